//! The InfluxDB 3 Management API domain: client, provider configuration, resources and data
//! sources.

pub mod client;
pub mod data_sources;
pub mod ephemeral;
pub mod list;
pub mod models;
pub mod names;
pub mod partition_template;
pub mod product;
pub mod provider;
pub mod resources;
pub mod retry;
pub mod snapshot;
pub mod trust;
pub mod v2;
