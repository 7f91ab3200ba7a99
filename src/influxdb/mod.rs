//! The InfluxDB domain: one folder per API family, each declared once in [`products`].
//!
//! - [`management`]: InfluxDB 3 Cloud Dedicated and Clustered (the Management API, `/api/v0`).
//! - [`v2`]: InfluxDB OSS v2 and Cloud Serverless (`/api/v2`).
//!
//! Shared by every family: [`http`] (the HTTP core: retries, trust, proxies, errors, refresh
//! snapshots), [`duration`] and [`timestamp`] (values as users write them), and the glue
//! between the engine and the families: [`family`] (what a family declares), [`products`] (the
//! table of families), [`provider`] (the provider schema and configuration), [`connection`]
//! (the configured provider) and [`adapter`] (the one place a resource meets the configured
//! family).
//!
//! Import cycles: a family's `mod.rs` registers its resources (it imports them), and its
//! resources import the family's client and models from sibling modules; [`family`] names the
//! [`adapter`] and [`connection`] it wraps resources with, and [`products`] lists the families
//! that implement [`family::Family`]. These are the declarations a registration table needs;
//! no resource imports another resource's file.

pub mod adapter;
pub mod connection;
pub mod core;
pub mod duration;
pub mod family;
pub mod http;
pub mod management;
pub mod products;
pub mod provider;
pub mod timestamp;
pub mod v2;

pub use connection::Connection;
