//! Ephemeral resources (Terraform >= 1.10): values that are opened for one Terraform run and
//! closed at its end, never written to state or plan files.
//!
//! The domain implements [`EphemeralResource`] with a typed model (the schema's attributes)
//! and a typed private value carrying what `close` needs (Terraform keeps it between the calls
//! and hands it back). The engine ([`super::server`]) validates the configuration, declines to
//! open while the configuration is not wholly known, checks the result, and serialises the
//! private value.

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::typed::{bridge_error, from_typed, to_typed};
use super::types::Type;
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

struct TypedEphemeral<E: EphemeralResource> {
    inner: E,
    schema: Schema,
    ty: Type,
}

/// Registers a typed ephemeral resource with the engine.
pub fn ephemeral_resource<E: EphemeralResource>(e: E) -> Arc<dyn DynEphemeralResource<E::Client>> {
    let schema = e.schema();
    let ty = schema.ty();
    Arc::new(TypedEphemeral {
        inner: e,
        schema,
        ty,
    })
}

#[async_trait]
impl<E: EphemeralResource> DynEphemeralResource<E::Client> for TypedEphemeral<E> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        &self.schema
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.inner.validate(config, diags)
    }
    fn check_provider(&self, c: &E::Client, config: &Value, diags: &mut Diagnostics) {
        self.inner.check_provider(c, config, diags)
    }
    async fn open(
        &self,
        c: &E::Client,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Option<OpenedValue> {
        let model = to_typed(config, &self.ty)
            .map_err(|e| bridge_error(diags, self.inner.type_name(), "configuration", e))
            .ok()?;
        let opened = self.inner.open(c, model, diags).await?;
        let converted = serde_json::to_vec(&opened.private)
            .map_err(|e| ("private data", e.to_string()))
            .and_then(|p| {
                from_typed(&opened.result, &self.ty)
                    .map(|r| (r, p))
                    .map_err(|e| ("result", e))
            });
        match converted {
            Ok((result, private)) => Some(OpenedValue { result, private }),
            Err((what, e)) => {
                // Opened but unusable: release it now, Terraform will never close it.
                bridge_error(diags, self.inner.type_name(), what, e);
                self.inner.close(c, opened.private, diags).await;
                None
            }
        }
    }
    async fn close(&self, c: &E::Client, private: &[u8], diags: &mut Diagnostics) {
        match serde_json::from_slice::<E::Private>(private) {
            Ok(p) => self.inner.close(c, p, diags).await,
            Err(e) => diags.error(
                "Invalid private data from Terraform",
                format!(
                    "{}: the data kept since open could not be read ({e}); nothing was closed.",
                    self.inner.type_name()
                ),
            ),
        }
    }
}
