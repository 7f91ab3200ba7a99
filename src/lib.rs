//! Terraform provider for every InfluxDB: InfluxDB 3 Cloud Dedicated and Clustered (the
//! Management API) and InfluxDB OSS v2 and Cloud Serverless (`/api/v2`), one folder per API
//! family under [`influxdb`].
//!
//! Three layers, each in its own folder, and a request walks them one way:
//! - [`wire`]: go-plugin handshake, mutual TLS, the gRPC services and the generated protocol
//!   code. Nothing outside it sees a protobuf type.
//! - [`engine`]: protocol-independent Terraform semantics: typed values, msgpack and JSON codecs,
//!   schemas, diagnostics with attribute paths, and the plan/apply/read rules Terraform enforces,
//!   applied once for every resource.
//! - [`influxdb`]: the domain: one folder per API family (its client on the shared HTTP core, its
//!   models, validation and concepts), every family declared once in `influxdb::products`;
//!   resources are plain CRUD against the engine's traits, on their family's client.
//!
//! [`sim`] is the local simulator of every API family (binary `influxdb-sim`), used by the tests
//! and the demo and written from the API documentation, sharing nothing with [`influxdb`];
//! [`docs`] writes the documentation pages from the schemas.

pub mod docs;
pub mod engine;
pub mod influxdb;
pub mod log;
pub mod sim;
pub mod wire;
