//! A local simulator of the InfluxDB APIs, for tests and demos, written from the API docs and
//! specs alone: it imports nothing from [`crate::influxdb`], so that a misreading of an API
//! cannot hide on both sides. Run the `influxdb-sim` binary (which calls [`run`]) or start it
//! in-process with [`Simulator::start`].
//!
//! One folder per API family, around a shared harness:
//! - [`harness`]: listener and TLS, fault injection and latency, the request log, the state
//!   file, HTTP helpers (JSON answers, body and query parsing, percent-decoding, token hashes)
//!   and the `/__sim/` control endpoints every family has (`faults`, `requests`).
//! - [`management`]: the InfluxDB 3 Management API of Cloud Dedicated and Clustered
//!   (`/api/v0`: tokens, databases with rename, tables).
//! - [`v2`]: InfluxDB OSS v2 and Cloud Serverless (`/health`, `/api/v2`: orgs, users, buckets,
//!   authorizations).
//! - [`core`]: InfluxDB 3 Core and Enterprise (`/ping`, `/health`, `/api/v3`: tokens,
//!   databases, tables, `query_sql` on the system tables, `write_lp`).
//!
//! Adding a family: a folder with a type implementing [`harness::Family`] (`handle` for its
//! API requests, `control` for its own `/__sim/` endpoints, `error` for its error format,
//! `snapshot`/`restore` if it keeps state in the state file), and one line in [`PRODUCTS`]
//! naming the `--product` that serves it (plus that product's line in [`USAGE`]).

pub mod core;
pub mod harness;
pub mod management;
mod options;
pub mod v2;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

pub use harness::faults::{Fault, FaultSpec};
pub use harness::server::{run, Simulator};
pub use harness::{Family, RequestRecord};
pub use options::{parse_args, USAGE};

pub const DEFAULT_MANAGEMENT_TOKEN: &str = "sim-management-token";
pub const DEFAULT_ACCOUNT_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const DEFAULT_CLUSTER_ID: &str = "22222222-2222-4222-8222-222222222222";

/// A `--product`: the family that serves it, made from the options.
pub struct Product {
    /// The `--product` value.
    pub name: &'static str,
    /// What it serves, for the start-up message.
    pub serves: &'static str,
    pub family: fn(&SimOptions) -> Arc<dyn Family>,
}

impl Product {
    pub const fn new(
        name: &'static str,
        serves: &'static str,
        family: fn(&SimOptions) -> Arc<dyn Family>,
    ) -> Product {
        Product {
            name,
            serves,
            family,
        }
    }
}

impl std::fmt::Debug for Product {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// Every `--product`, the first one the default. A new family: one line here (kept one line a
/// product, hence `rustfmt::skip`).
#[rustfmt::skip]
pub const PRODUCTS: &[Product] = &[
    Product::new("dedicated", "Cloud Dedicated Management API", management::dedicated),
    Product::new("clustered", "Clustered Management API", management::clustered),
    Product::new("oss-v2", "InfluxDB OSS v2 API", v2::family),
    Product::new("cloud-serverless", "InfluxDB Cloud Serverless /api/v2", v2::serverless),
    Product::new("core", "InfluxDB 3 Core API", core::core),
    Product::new("enterprise", "InfluxDB 3 Enterprise API", core::enterprise),
];

/// The product named `name`.
pub fn product(name: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.name == name)
}

#[derive(Clone, Debug)]
pub struct SimOptions {
    pub listen: SocketAddr,
    pub product: &'static Product,
    pub management_token: String,
    pub account_id: Uuid,
    pub cluster_id: Uuid,
    /// JSON file holding the family's state: loaded at start if present, written after every
    /// change and at shutdown (families that keep their state in memory only ignore it).
    pub state_file: Option<PathBuf>,
    /// Delay before every API request is handled.
    pub latency: Duration,
    /// `--product oss-v2`, `core`, `enterprise`: the operator token.
    pub v2_token: String,
    /// Serve HTTPS with a certificate from a CA made at start (see [`harness::tls`]).
    pub tls: bool,
    /// With `tls`: where to write the CA certificate (PEM).
    pub tls_ca_file: Option<PathBuf>,
    /// With `tls`: present a certificate that has expired.
    pub tls_expired: bool,
    /// Carry out every request received even when the client disconnects before the answer,
    /// as real servers do (see [`harness::server`]).
    pub complete_after_disconnect: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            product: &PRODUCTS[0],
            management_token: DEFAULT_MANAGEMENT_TOKEN.into(),
            account_id: Uuid::parse_str(DEFAULT_ACCOUNT_ID).expect("valid uuid"),
            cluster_id: Uuid::parse_str(DEFAULT_CLUSTER_ID).expect("valid uuid"),
            state_file: None,
            latency: Duration::ZERO,
            v2_token: v2::DEFAULT_TOKEN.into(),
            tls: false,
            tls_ca_file: None,
            tls_expired: false,
            complete_after_disconnect: false,
        }
    }
}
