//! InfluxDB OSS v2 and Cloud Serverless: the `/api/v2` client and its models. Both products
//! serve the same API; a provider block with `host`, `token` and `org` talks to one of them.

pub mod client;
pub mod models;
pub mod permissions;

pub use client::{V2Client, V2CreateError, V2Error};
