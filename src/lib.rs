//! Terraform provider for InfluxDB 3 Cloud Dedicated and Clustered.
//!
//! Three layers, each in its own folder, and a request walks them one way:
//! - [`wire`]: go-plugin handshake, mutual TLS, the gRPC services and the generated protocol
//!   code. Nothing outside it sees a protobuf type.
//! - [`engine`]: protocol-independent Terraform semantics: typed values, msgpack and JSON codecs,
//!   schemas, diagnostics with attribute paths, and the plan/apply/read rules Terraform enforces,
//!   applied once for every resource.
//! - [`influxdb`]: the domain: Management API client, provider configuration, resources and data
//!   sources, written as plain CRUD against the engine's traits.
//!
//! [`sim`] is the local Management API simulator used by the tests and the demo; [`docs`] writes
//! the documentation pages from the schemas.

pub mod docs;
pub mod engine;
pub mod influxdb;
pub mod log;
pub mod sim;
pub mod wire;
