//! Data sources.

pub mod authorization;
pub mod authorizations;
pub mod database;
pub mod database_token;
pub mod database_tokens;
pub mod databases;

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::resource::{data_source, DynDataSource};

pub fn all() -> Vec<Arc<dyn DynDataSource<Influx>>> {
    vec![
        data_source(database_token::DatabaseTokenDataSource),
        data_source(database_tokens::DatabaseTokensDataSource),
        data_source(database::DatabaseDataSource),
        data_source(databases::DatabasesDataSource),
        data_source(authorization::AuthorizationDataSource),
        data_source(authorizations::AuthorizationsDataSource),
    ]
}
