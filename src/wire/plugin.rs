//! go-plugin's own services: GRPCController (Shutdown), GRPCStdio and GRPCBroker.
//!
//! Terraform calls `Shutdown` when it is done with a provider process and SIGKILLs it 2 s later;
//! answering it promptly is what avoids "plugin failed to exit gracefully". Stdio and broker are
//! held open and idle: we write nothing to stdout after the handshake and broker no connections.

use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::proto::plugin as pb;

pub struct Controller {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_controller_server::GrpcController for Controller {
    async fn shutdown(&self, _: Request<pb::Empty>) -> Result<Response<pb::Empty>, Status> {
        crate::debug!("GRPCController/Shutdown received");
        self.shutdown.cancel();
        Ok(Response::new(pb::Empty {}))
    }
}

/// A stream that sends nothing and ends when the plugin shuts down.
fn idle_stream<T: Send + 'static>(
    shutdown: &CancellationToken,
) -> ReceiverStream<Result<T, Status>> {
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let shutdown = shutdown.clone();
    tokio::spawn(async move {
        shutdown.cancelled().await;
        drop(tx);
    });
    ReceiverStream::new(rx)
}

pub struct Stdio {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_stdio_server::GrpcStdio for Stdio {
    async fn stream_stdio(
        &self,
        _: Request<()>,
    ) -> Result<Response<tonic::codegen::BoxStream<pb::StdioData>>, Status> {
        Ok(Response::new(Box::pin(idle_stream(&self.shutdown))))
    }
}

pub struct Broker {
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::grpc_broker_server::GrpcBroker for Broker {
    async fn start_stream(
        &self,
        _: Request<Streaming<pb::ConnInfo>>,
    ) -> Result<Response<tonic::codegen::BoxStream<pb::ConnInfo>>, Status> {
        Ok(Response::new(Box::pin(idle_stream(&self.shutdown))))
    }
}
