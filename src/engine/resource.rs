//! The traits domain code implements for managed resources and data sources: [`Resource`] and
//! [`DataSource`], with typed Rust structs for state. The engine turns them into object-safe
//! `Dyn*` forms that work on [`Value`]s, so that Terraform's rules are applied in one place
//! ([`super::server`]).

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::{AttributePath, Diagnostics};
use super::identity::IdentitySchema;
use super::schema::Schema;
use super::value::Value;

// Their home is now `provider` and `typed`; re-exported so that `engine::resource::...` paths
// keep working. Nothing in this file uses them.
pub use super::provider::Provider;
pub use super::typed::{from_typed, to_typed};

/// A planned change that a resource may adjust in [`Resource::modify_plan`], after the engine
/// has applied the generic rules (config values kept, computed values unknown on change,
/// `use_state_for_unknown`).
pub struct PlanChange<'a> {
    /// Null when the resource is being created.
    pub prior: &'a Value,
    pub config: &'a Value,
    pub planned: &'a mut Value,
    pub(crate) forced_replace: Vec<AttributePath>,
}

impl PlanChange<'_> {
    pub fn is_create(&self) -> bool {
        self.prior.is_null()
    }

    /// Replaces the resource although no `requires_replace` attribute changed (for example
    /// because the remote object expired). `computed_attr` (typically `id`) is planned unknown
    /// and reported as the attribute forcing the replacement.
    pub fn force_replace(&mut self, computed_attr: &str) {
        self.planned.set_attr(computed_attr, Value::Unknown);
        self.forced_replace.push(AttributePath::root(computed_attr));
    }

    /// Reports that the change of `attr` (planned as configured) replaces the resource: for an
    /// attribute that replaces only in some cases, decided by the resource (an attribute that
    /// always does is marked `requires_replace` in the schema instead).
    pub fn replace_because_of(&mut self, attr: &str) {
        self.forced_replace.push(AttributePath::root(attr));
    }
}

/// A managed resource, written as plain CRUD on a typed state struct whose fields are the
/// schema's attributes (null and not-yet-known values are `None`).
#[async_trait]
pub trait Resource: Send + Sync + 'static {
    /// What the configured provider hands to every call (the API client).
    type Client: Send + Sync + 'static;
    type State: Serialize + DeserializeOwned + Send + Sync;

    /// The full type name, e.g. `influxdb_database_token`.
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;

    /// Cross-attribute checks on the configuration (values may be unknown). Attribute-level
    /// checks belong in the schema's validators.
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Adjusts a plan; called for creates and updates, never for destroys.
    fn modify_plan(&self, _change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {}

    /// [`Resource::modify_plan`] with the configured client, when the provider is configured:
    /// for a rule that depends on the server (for example on which edition it is). By default
    /// the plain `modify_plan`.
    fn modify_plan_with(
        &self,
        _client: Option<&Self::Client>,
        change: &mut PlanChange<'_>,
        diags: &mut Diagnostics,
    ) {
        self.modify_plan(change, diags)
    }

    /// Which state attributes identify the remote object (Terraform >= 1.12). The engine derives
    /// the identity from the state and imports by identity through [`Resource::import`].
    fn identity(&self) -> Option<IdentitySchema> {
        None
    }

    /// Refuses, with an error in `diags`, to destroy the object whose state is `prior` (for
    /// example because the state says it is protected). The engine asks before every destroy
    /// and replacement: at plan time when Terraform plans destroys through the provider
    /// (Terraform >= 1.3, `plan_destroy`), when a plan replaces the object, and again in apply
    /// before the delete (Terraform 1.0 never plans destroys through the provider).
    fn guard_destroy(&self, _prior: &Value, _diags: &mut Diagnostics) {}

    /// Checks at plan (creates and updates) that the configured provider can serve this
    /// configuration, before any API call: for example that the provider block talks to the
    /// product this resource belongs to. Called only once the provider is configured.
    fn check_provider(&self, _client: &Self::Client, _config: &Value, _diags: &mut Diagnostics) {}

    /// Checks at plan, for a create or a replacement, what only the server can tell (for
    /// example which product it is), so that a configuration it cannot serve fails at plan
    /// rather than half-way through an apply. Called after the plan rules, with the planned
    /// object, once the provider is configured. It may read from the API, never write; when
    /// the server cannot tell, it must not guess (the apply still checks).
    async fn check_server(
        &self,
        _client: &Self::Client,
        _planned: &Value,
        _diags: &mut Diagnostics,
    ) {
    }

    async fn create(
        &self,
        client: &Self::Client,
        planned: Self::State,
        diags: &mut Diagnostics,
    ) -> Option<Self::State>;

    /// Refreshes the state. `None` without an error means the object is gone.
    async fn read(
        &self,
        client: &Self::Client,
        current: Self::State,
        diags: &mut Diagnostics,
    ) -> Option<Self::State>;

    async fn update(
        &self,
        client: &Self::Client,
        prior: Self::State,
        planned: Self::State,
        diags: &mut Diagnostics,
    ) -> Option<Self::State>;

    async fn delete(&self, client: &Self::Client, prior: Self::State, diags: &mut Diagnostics);

    /// The state for `terraform import ADDRESS ID`; Terraform reads it afterwards.
    async fn import(
        &self,
        _client: &Self::Client,
        _id: &str,
        diags: &mut Diagnostics,
    ) -> Option<Self::State> {
        diags.error(
            "Import not supported",
            format!("{} cannot be imported.", self.type_name()),
        );
        None
    }
}

/// A data source: reads a typed model whose configured fields are set.
#[async_trait]
pub trait DataSource: Send + Sync + 'static {
    type Client: Send + Sync + 'static;
    type Model: Serialize + DeserializeOwned + Send + Sync;

    fn type_name(&self) -> &'static str;
    fn schema(&self) -> Schema;
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// As [`Resource::check_provider`]: called before `read`, which is skipped on an error.
    fn check_provider(&self, _client: &Self::Client, _config: &Value, _diags: &mut Diagnostics) {}
    async fn read(
        &self,
        client: &Self::Client,
        config: Self::Model,
        diags: &mut Diagnostics,
    ) -> Option<Self::Model>;
}

// ---------------------------------------------------------------------------------------------
// Object-safe forms used by the engine.

#[async_trait]
pub trait DynResource<C>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn identity(&self) -> Option<&IdentitySchema>;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    /// `c` is the configured provider's client, when the provider is configured (always, in
    /// practice: Terraform configures the provider before it plans).
    fn modify_plan(&self, c: Option<&C>, change: &mut PlanChange<'_>, diags: &mut Diagnostics);
    fn guard_destroy(&self, c: Option<&C>, prior: &Value, diags: &mut Diagnostics);
    fn check_provider(&self, c: &C, config: &Value, diags: &mut Diagnostics);
    async fn check_server(&self, c: &C, planned: &Value, diags: &mut Diagnostics);
    async fn create(&self, c: &C, planned: &Value, diags: &mut Diagnostics) -> Option<Value>;
    async fn read(&self, c: &C, current: &Value, diags: &mut Diagnostics) -> Option<Value>;
    async fn update(
        &self,
        client: &C,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value>;
    async fn delete(&self, c: &C, prior: &Value, diags: &mut Diagnostics);
    async fn import(&self, c: &C, id: &str, diags: &mut Diagnostics) -> Option<Value>;
}

#[async_trait]
pub trait DynDataSource<C>: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;
    fn validate(&self, config: &Value, diags: &mut Diagnostics);
    fn check_provider(&self, c: &C, config: &Value, diags: &mut Diagnostics);
    async fn read(&self, c: &C, config: &Value, diags: &mut Diagnostics) -> Option<Value>;
}
