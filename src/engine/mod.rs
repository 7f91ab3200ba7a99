//! The protocol-independent engine: typed values and their codecs, schemas, diagnostics, the
//! traits domain code implements, and Terraform's plan/apply rules enforced for every resource.
//! Nothing here knows about gRPC or protobuf.

pub mod bridge;
pub mod diag;
pub mod ephemeral;
pub mod identity;
pub mod json;
pub mod list;
pub mod msgpack;
pub mod provider;
pub mod resource;
pub mod schema;
pub mod server;
pub mod typed;
pub mod types;
pub mod value;

pub use bridge::{data_source, ephemeral_resource, list_resource, resource};
pub use diag::{AttributePath, Diagnostic, Diagnostics, OrError, Severity};
pub use ephemeral::{EphemeralResource, Opened};
pub use identity::{IdentityAttribute, IdentitySchema};
pub use list::{ListResource, Listed};
pub use provider::Provider;
pub use resource::{DataSource, PlanChange, Resource};
pub use schema::{Attribute, Schema};
pub use server::{DynamicValue, Engine};
pub use types::Type;
pub use value::{Number, Value};
