//! The InfluxDB domain: one folder per API family, each declared once in [`products`].
//!
//! - [`management`]: InfluxDB 3 Cloud Dedicated and Clustered (the Management API, `/api/v0`).
//! - [`v2`]: InfluxDB OSS v2 and Cloud Serverless (`/api/v2`).
//!
//! Shared by every family: [`http`] (the HTTP core: retries, trust, proxies, errors, refresh
//! snapshots), [`duration`] and [`timestamp`] (values as users write them), and the glue
//! between the engine and the families: [`family`] and [`registry`] (what a family declares), [`products`] (the
//! table of families), [`provider`] (the provider schema and configuration), [`connection`]
//! (the configured provider, and the lens through which a type gets its family's client) and
//! [`dispatch`] (the one wrapper between the engine and the families: a type name served by the
//! families that register it). [`migrate`] reads the
//! states that other providers wrote.
//!
//! No import cycle: [`family`] (names and settings, as data) imports none of the glue;
//! [`registry`] (the `Family` trait and the registry) imports the [`dispatch`] and
//! [`connection`] it wraps types with; a family's folder imports the registry, and
//! [`products`] imports the families. No resource imports another resource's file.

pub mod connection;
pub mod core;
pub mod database;
pub mod database_token;
pub mod dispatch;
pub mod duration;
pub mod family;
pub mod http;
pub mod management;
pub mod migrate;
pub mod products;
pub mod provider;
pub mod registry;
pub mod timestamp;
pub mod v1;
pub mod v2;

pub use connection::Connection;
