//! The InfluxDB 3 Management API domain: client, provider configuration, resources and data
//! sources.

pub mod client;
pub mod data_sources;
pub mod models;
pub mod names;
pub mod provider;
pub mod resources;
pub mod snapshot;
pub mod trust;
