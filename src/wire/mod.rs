//! The wire layer: go-plugin handshake, TLS, gRPC services and generated protocol code.

pub mod proto {
    #![allow(clippy::all, missing_docs)]
    pub mod tfplugin6 {
        tonic::include_proto!("tfplugin6");
    }
    pub mod plugin {
        tonic::include_proto!("plugin");
    }
}

mod fromproto;
pub mod plugin;
pub mod provider;
pub mod serve;
pub mod tls;
mod toproto;
