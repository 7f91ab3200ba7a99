//! Managed resources.

pub mod authorization;
pub mod database;
pub mod database_token;

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::resource::{resource, DynResource};

pub fn all() -> Vec<Arc<dyn DynResource<Influx>>> {
    vec![
        resource(database_token::DatabaseTokenResource),
        resource(database::DatabaseResource),
        resource(authorization::AuthorizationResource),
    ]
}
