//! The [`Provider`] trait domain code implements: the provider's own configuration schema, how
//! it builds its client, and the resources, data sources, ephemeral and list resources it offers.
//!
//! It names every kind of resource, so it lives apart from them: `resource`, `ephemeral` and
//! `list` each depend only on the typed bridge ([`super::typed`]), never on each other or on
//! this file.

use std::sync::Arc;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use super::diag::Diagnostics;
use super::ephemeral::DynEphemeralResource;
use super::list::DynListResource;
use super::resource::{DynDataSource, DynResource};
use super::schema::Schema;
use super::value::Value;

/// Everything a provider offers.
pub struct Offerings<C> {
    pub resources: Vec<Arc<dyn DynResource<C>>>,
    pub data_sources: Vec<Arc<dyn DynDataSource<C>>>,
    pub ephemeral_resources: Vec<Arc<dyn DynEphemeralResource<C>>>,
    pub list_resources: Vec<Arc<dyn DynListResource<C>>>,
}

/// A stored state handed to the provider to read before it is decoded with the target type's
/// schema: by `UpgradeResourceState` (a state of an older schema version, or another provider's
/// state of the same type name after `terraform state replace-provider`) or by
/// `MoveResourceState` (another type's or another provider's state named in a `moved` block).
pub struct StoredState<'a> {
    /// The provider that wrote the state, when Terraform says so (`MoveResourceState` only).
    pub source_provider: Option<&'a str>,
    /// The type the state was written for (the target type itself for an upgrade).
    pub source_type: &'a str,
    /// The schema version the state was written with.
    pub source_version: i64,
    /// The type the state is read as.
    pub target_type: &'a str,
    /// The state file's JSON object.
    pub json: serde_json::Value,
}

/// The provider: its own configuration schema, how it configures its client, and what it
/// offers.
#[async_trait]
pub trait Provider: Send + Sync + 'static {
    type Client: Send + Sync + 'static;
    type Config: DeserializeOwned + Send;

    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Builds the client from the configuration. Unknown values arrive as `None`. `stop` fires
    /// when Terraform asks the provider to stop (Ctrl-C): in-flight calls should give up.
    async fn configure(
        &self,
        config: Self::Config,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Self::Client>;
    fn resources(&self) -> Vec<Arc<dyn DynResource<Self::Client>>>;
    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Self::Client>>>;
    /// Ephemeral resources (Terraform >= 1.10).
    fn ephemeral_resources(&self) -> Vec<Arc<dyn DynEphemeralResource<Self::Client>>> {
        Vec::new()
    }
    /// List resources for `terraform query` (Terraform >= 1.14).
    fn list_resources(&self) -> Vec<Arc<dyn DynListResource<Self::Client>>> {
        Vec::new()
    }
    /// Rewrites a stored state, before it is decoded with the target type's schema, into the
    /// shape that schema reads (see [`StoredState`]). `None` with an error in `diags` refuses it.
    /// The default keeps the state as it is.
    fn upgrade_state(
        &self,
        state: StoredState<'_>,
        _diags: &mut Diagnostics,
    ) -> Option<serde_json::Value> {
        Some(state.json)
    }
    /// Reads another type's stored state for a `moved` block (MoveResourceState), before it is
    /// decoded with the target type's schema. `None` with an error in `diags` refuses it. The
    /// default refuses every move, naming the source.
    fn move_state(
        &self,
        state: StoredState<'_>,
        diags: &mut Diagnostics,
    ) -> Option<serde_json::Value> {
        diags.error(
            "Cannot move the resource",
            format!(
                "This provider cannot read the state of {} (schema version {}) from {} as {}. The state was left as it was.",
                state.source_type,
                state.source_version,
                state.source_provider.unwrap_or("another provider"),
                state.target_type
            ),
        );
        None
    }
    /// Everything the provider offers, asked once when the engine starts. The default asks the
    /// four methods above; a provider that makes them together answers at once.
    fn offerings(&self) -> Offerings<Self::Client> {
        Offerings {
            resources: self.resources(),
            data_sources: self.data_sources(),
            ephemeral_resources: self.ephemeral_resources(),
            list_resources: self.list_resources(),
        }
    }
}
