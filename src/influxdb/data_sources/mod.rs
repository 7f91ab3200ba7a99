//! Data sources.

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::resource::DynDataSource;

pub fn all() -> Vec<Arc<dyn DynDataSource<Influx>>> {
    vec![]
}
