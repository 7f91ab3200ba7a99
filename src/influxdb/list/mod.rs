//! List resources for `terraform query` (Terraform >= 1.14): find the tokens and databases made
//! outside Terraform (influxctl, the console) and bring them under management.

pub mod database;
pub mod database_token;

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::list::{list_resource, DynListResource};

pub fn all() -> Vec<Arc<dyn DynListResource<Influx>>> {
    vec![
        list_resource(database_token::DatabaseTokenList),
        list_resource(database::DatabaseList),
    ]
}
