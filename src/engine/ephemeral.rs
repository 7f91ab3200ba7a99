//! Ephemeral resources (Terraform >= 1.10): values that are opened for one Terraform run and
//! closed at its end, never written to state or plan files.
//!
//! The domain implements [`EphemeralResource`] with a typed model (the schema's attributes)
//! and a typed private value carrying what `close` needs (Terraform keeps it between the calls
//! and hands it back). The engine ([`super::server`]) validates the configuration, declines to
//! open while the configuration is not wholly known, checks the result, and serialises the
//! private value.

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::value::Value;

/// What a successful open returns: the result (the configured attributes and the computed
/// ones) and what `close` will need.
pub struct Opened<M, P> {
    pub result: M,
    pub private: P,
}

#[async_trait]
pub trait EphemeralResource: Send + Sync + 'static {
    type Client: Send + Sync + 'static;
    /// The schema's attributes; unset and computed-before-open values are `None`.
    type Model: Serialize + DeserializeOwned + Send + Sync;
    /// Kept by Terraform between open and close (serialised as JSON; never shown).
    type Private: Serialize + DeserializeOwned + Send + Sync;

    /// The full type name, e.g. `influxdb_database_token`.
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    /// Cross-attribute checks on the configuration (values may be unknown).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// As [`super::resource::Resource::check_provider`]: checks before open, and before any API
    /// call, that the configured provider can serve this configuration (values may be unknown).
    fn check_provider(&self, _client: &Self::Client, _config: &Value, _diags: &mut Diagnostics) {}

    /// Opens the resource with a wholly known configuration.
    async fn open(
        &self,
        client: &Self::Client,
        config: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Opened<Self::Model, Self::Private>>;

    /// Releases what `open` made. Something already gone is success.
    async fn close(&self, client: &Self::Client, private: Self::Private, diags: &mut Diagnostics);
}

/// The result of an open, in engine terms.
pub struct OpenedValue {
    pub result: Value,
    /// JSON of the domain's private value; empty when nothing needs closing.
    pub private: Vec<u8>,
}

#[async_trait]
pub trait DynEphemeralResource<C>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    fn check_provider(&self, c: &C, config: &Value, diags: &mut Diagnostics);
    async fn open(&self, c: &C, config: &Value, diags: &mut Diagnostics) -> Option<OpenedValue>;
    async fn close(&self, c: &C, private: &[u8], diags: &mut Diagnostics);
}
