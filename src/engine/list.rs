//! List resources (Terraform >= 1.14, `terraform query`): find the remote objects of a managed
//! resource type, so that Terraform can write `import` blocks and configuration for them.
//!
//! The domain implements [`ListResource`] for a managed resource type of the same name: a
//! configuration schema (the `config { ... }` of a `list` block) and a `list` that returns the
//! objects as that resource's typed state. The engine derives each result's identity from the
//! state with the resource's identity schema, adds the full object when Terraform asks for it,
//! and honours Terraform's limit.

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::Diagnostics;
use super::schema::Schema;
use super::types::Type;
use super::value::Value;

/// One object found: a name for people and the managed resource's state.
pub struct Listed<S> {
    pub display_name: String,
    pub state: S,
}

#[async_trait]
pub trait ListResource: Send + Sync + 'static {
    type Client: Send + Sync + 'static;
    /// The `config` block's attributes.
    type Config: Serialize + DeserializeOwned + Send + Sync;
    /// The state of the managed resource of the same type name.
    type State: Serialize + Send + Sync;

    /// The managed resource type listed, e.g. `influxdb_database_token`.
    fn type_name(&self) -> &'static str;
    /// The schema of the `config` block.
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Every object matching the configuration, in a stable order.
    async fn list(
        &self,
        client: &Self::Client,
        config: Self::Config,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<Self::State>>;
}

#[async_trait]
pub trait DynListResource<C>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    /// The objects as (display name, state of type `state_ty`).
    async fn list(
        &self,
        client: &C,
        config: &Value,
        state_ty: &Type,
        diags: &mut Diagnostics,
    ) -> Vec<(String, Value)>;
}
