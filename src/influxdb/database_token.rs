//! What a database token is on every family that has one (`influxdb_database_token` on the
//! Management API and on InfluxDB 3 Enterprise): the model of the ephemeral token and the
//! element of `influxdb_database_tokens`, the same attributes on both, each family with its own
//! permission type.

use serde::{Deserialize, Serialize};

/// One token of `influxdb_database_tokens` (never its token string); what a family lacks is
/// null.
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct TokenItem<P> {
    pub id: Option<String>,
    pub description: Option<String>,
    pub permissions: Option<Vec<P>>,
    pub expires_at: Option<String>,
    pub created_at: Option<String>,
    pub revoked_at: Option<String>,
    pub account_id: Option<String>,
    pub cluster_id: Option<String>,
}

/// An ephemeral database token: configured by `description`, `permissions` (of the family's
/// type `P`) and `ttl`; `id`, `access_token` and `expires_at` are what open made.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct EphemeralTokenModel<P> {
    pub description: Option<String>,
    pub permissions: Option<Vec<P>>,
    pub ttl: Option<String>,
    pub id: Option<String>,
    pub access_token: Option<String>,
    pub expires_at: Option<String>,
}
