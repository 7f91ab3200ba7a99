//! Managed resources.

pub mod authorization;
pub mod database;
pub mod database_token;
pub mod renames;
pub mod table;

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::resource::{resource, DynResource};

pub fn all() -> Vec<Arc<dyn DynResource<Influx>>> {
    let renames = Arc::new(renames::PlannedRenames::default());
    vec![
        resource(database_token::DatabaseTokenResource),
        resource(database::DatabaseResource {
            renames: renames.clone(),
        }),
        resource(table::TableResource { renames }),
        resource(authorization::AuthorizationResource),
    ]
}
