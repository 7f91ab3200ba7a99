//! Ephemeral resources (Terraform >= 1.10).

pub mod authorization;
pub mod database_token;

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::ephemeral::{ephemeral_resource, DynEphemeralResource};

pub fn all() -> Vec<Arc<dyn DynEphemeralResource<Influx>>> {
    vec![
        ephemeral_resource(database_token::EphemeralDatabaseToken),
        ephemeral_resource(authorization::EphemeralAuthorization),
    ]
}
