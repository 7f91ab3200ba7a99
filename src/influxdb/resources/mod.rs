//! Managed resources.

use std::sync::Arc;

use super::provider::Influx;
use crate::engine::resource::DynResource;

pub fn all() -> Vec<Arc<dyn DynResource<Influx>>> {
    vec![]
}
