//! The engine: Terraform's rules for every RPC, applied once for every resource.
//!
//! The wire layer hands requests over as raw [`DynamicValue`]s; the engine decodes them with the
//! schema, calls the domain's typed CRUD, and makes sure that what goes back is something
//! Terraform accepts. One file per RPC (or family of RPCs), each listing the rules it enforces:
//! - `validate`: ValidateProviderConfig, ValidateResourceConfig, ValidateDataResourceConfig;
//! - `upgrade`: UpgradeResourceState;
//! - `move_state`: MoveResourceState (a `moved` block across types or providers);
//! - `read`: ReadResource;
//! - `plan`: PlanResourceChange and the plan rules;
//! - `apply`: ApplyResourceChange;
//! - `import`: ImportResourceState;
//! - `data_source`: ReadDataSource;
//! - `ephemeral`, `identity`, `list`: the ephemeral resource, resource identity and list
//!   resource RPCs.
//!
//! This file holds the [`Engine`] itself: what the provider registered, the configured client
//! and the Terraform version (GetProviderSchema, ConfigureProvider, StopProvider), and what
//! every RPC shares.

mod apply;
mod data_source;
mod ephemeral;
mod identity;
mod import;
mod list;
mod move_state;
mod plan;
mod read;
mod upgrade;
mod validate;

pub use ephemeral::{ClosedResponse, OpenResponse};
pub use identity::{IdentityResponse, IdentitySchemaInfo};
pub use import::ImportedResource;
pub use list::{ListEvent, ListResponse};
pub use move_state::MoveSource;
pub use plan::{plan, PlanOutcome, PlanResponse};

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio_util::sync::CancellationToken;

use super::diag::Diagnostics;
use super::ephemeral::DynEphemeralResource;
use super::json;
use super::list::DynListResource;
use super::msgpack;
use super::provider::Provider;
use super::resource::{DynDataSource, DynResource};
use super::schema::Schema;
use super::typed::to_typed;
use super::types::Type;
use super::value::Value;

/// A value as it arrives from Terraform: msgpack, or (rarely) JSON.
#[derive(Clone, Debug, Default)]
pub struct DynamicValue {
    pub msgpack: Vec<u8>,
    pub json: Vec<u8>,
}

impl DynamicValue {
    pub fn msgpack(bytes: Vec<u8>) -> DynamicValue {
        DynamicValue {
            msgpack: bytes,
            json: Vec::new(),
        }
    }

    /// Decodes with `ty`. An empty value is null, as in Terraform.
    pub fn decode(&self, ty: &Type) -> Result<Value, String> {
        if !self.msgpack.is_empty() {
            msgpack::decode(&self.msgpack, ty).map_err(|e| e.to_string())
        } else if !self.json.is_empty() {
            json::decode_bytes(&self.json, ty, json::DecodeOptions::default())
                .map_err(|e| e.to_string())
        } else {
            Ok(Value::Null)
        }
    }
}

pub struct Schemas<'a> {
    pub provider: &'a Schema,
    pub resources: Vec<(&'static str, &'a Schema)>,
    pub data_sources: Vec<(&'static str, &'a Schema)>,
    pub ephemeral_resources: Vec<(&'static str, &'a Schema)>,
    pub list_resources: Vec<(&'static str, &'a Schema)>,
}

/// The answer of the RPCs that produce a state: UpgradeResourceState, ReadResource,
/// ApplyResourceChange and ReadDataSource.
pub struct StateResponse {
    /// msgpack; `None` when the call failed before a state could be produced.
    pub state: Option<Vec<u8>>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct Engine<P: Provider> {
    provider: P,
    provider_schema: Schema,
    resources: HashMap<&'static str, Arc<dyn DynResource<P::Client>>>,
    resource_order: Vec<&'static str>,
    data_sources: HashMap<&'static str, Arc<dyn DynDataSource<P::Client>>>,
    data_source_order: Vec<&'static str>,
    ephemeral_resources: Vec<Arc<dyn DynEphemeralResource<P::Client>>>,
    list_resources: Vec<Arc<dyn DynListResource<P::Client>>>,
    client: RwLock<Option<Arc<P::Client>>>,
    /// The version of the Terraform talking to us, from ConfigureProvider.
    terraform_version: RwLock<Option<String>>,
    stop: CancellationToken,
}

/// Encodes a value for Terraform; a failure is a provider bug, reported in `diags`.
fn encode(v: &Value, ty: &Type, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    msgpack::encode(v, ty)
        .map_err(|e| diags.error("Provider internal error", format!("encoding a value: {e}")))
        .ok()
}

/// Decodes `what` from a request; a failure is reported in `diags` as Terraform's fault.
fn decode(raw: &DynamicValue, ty: &Type, what: &str, diags: &mut Diagnostics) -> Option<Value> {
    raw.decode(ty)
        .map_err(|e| diags.error("Invalid request from Terraform", format!("{what}: {e}")))
        .ok()
}

/// A [`StateResponse`] without a state: the call failed before one could be produced.
fn failed(diags: Diagnostics) -> StateResponse {
    StateResponse {
        state: None,
        private: Vec::new(),
        diagnostics: diags,
    }
}

/// After an apply or a read, keeps the earlier value of attributes whose new value means the
/// same (for example a timestamp the API normalised).
fn keep_semantically_equal(schema: &Schema, earlier: &Value, new: &mut Value) {
    for a in &schema.attributes {
        let Some(eq) = a.semantic_equality else {
            continue;
        };
        let before = earlier.attr(&a.name);
        let after = new.attr(&a.name);
        if !before.is_null()
            && before.is_wholly_known()
            && !after.is_null()
            && before != after
            && eq(before, after)
        {
            let keep = before.clone();
            new.set_attr(&a.name, keep);
        }
    }
}

impl<P: Provider> Engine<P> {
    pub fn new(provider: P) -> Engine<P> {
        let provider_schema = provider.schema();
        let offered = provider.offerings();
        let mut resources = HashMap::new();
        let mut resource_order = Vec::new();
        for r in offered.resources {
            resource_order.push(r.type_name());
            resources.insert(r.type_name(), r);
        }
        let mut data_sources = HashMap::new();
        let mut data_source_order = Vec::new();
        for d in offered.data_sources {
            data_source_order.push(d.type_name());
            data_sources.insert(d.type_name(), d);
        }
        let ephemeral_resources = offered.ephemeral_resources;
        let list_resources = offered.list_resources;
        Engine {
            provider,
            provider_schema,
            resources,
            resource_order,
            data_sources,
            data_source_order,
            ephemeral_resources,
            list_resources,
            client: RwLock::new(None),
            terraform_version: RwLock::new(None),
            stop: CancellationToken::new(),
        }
    }

    pub fn schemas(&self) -> Schemas<'_> {
        Schemas {
            provider: &self.provider_schema,
            resources: self
                .resource_order
                .iter()
                .map(|n| (*n, self.resources[n].schema()))
                .collect(),
            data_sources: self
                .data_source_order
                .iter()
                .map(|n| (*n, self.data_sources[n].schema()))
                .collect(),
            ephemeral_resources: self
                .ephemeral_resources
                .iter()
                .map(|e| (e.type_name(), e.schema()))
                .collect(),
            list_resources: self
                .list_resources
                .iter()
                .map(|l| (l.type_name(), l.schema()))
                .collect(),
        }
    }

    /// The client built by ConfigureProvider, if it has run.
    pub fn configured(&self) -> Option<Arc<P::Client>> {
        self.client
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// StopProvider: cancel in-flight work.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    pub fn stop_token(&self) -> CancellationToken {
        self.stop.clone()
    }

    fn resource(
        &self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<Arc<dyn DynResource<P::Client>>> {
        let r = self.resources.get(name).cloned();
        if r.is_none() {
            diags.error(
                "Unknown resource type",
                format!("This provider has no resource {name:?}."),
            );
        }
        r
    }

    fn data_source(
        &self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<Arc<dyn DynDataSource<P::Client>>> {
        let d = self.data_sources.get(name).cloned();
        if d.is_none() {
            diags.error(
                "Unknown data source",
                format!("This provider has no data source {name:?}."),
            );
        }
        d
    }

    /// Records the Terraform version ConfigureProvider announced.
    pub fn set_terraform_version(&self, version: &str) {
        if !version.trim().is_empty() {
            *self
                .terraform_version
                .write()
                .unwrap_or_else(|e| e.into_inner()) = Some(version.trim().to_owned());
        }
    }

    pub fn terraform_version(&self) -> Option<String> {
        self.terraform_version
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Enforces a schema's minimum Terraform version, when the version is known.
    fn check_terraform_version(&self, type_name: &str, schema: &Schema, diags: &mut Diagnostics) {
        let Some(running) = self.terraform_version() else {
            return;
        };
        if let Some(why) = schema.terraform_too_old(&running) {
            diags.error(
                format!("{type_name} needs a newer Terraform"),
                format!("{type_name}: {why}"),
            );
        }
    }

    fn configured_client(&self, diags: &mut Diagnostics) -> Option<Arc<P::Client>> {
        let c = self.configured();
        if c.is_none() {
            diags.error(
                "Provider not configured",
                "The provider was not configured before it was used. This is a bug in Terraform or the provider.",
            );
        }
        c
    }

    // -----------------------------------------------------------------------------------------
    // ConfigureProvider

    pub async fn configure_provider(&self, config: &DynamicValue) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let ty = self.provider_schema.ty();
        let Some(v) = decode(config, &ty, "config", &mut diags) else {
            return diags;
        };
        let typed = match to_typed::<P::Config>(&v, &ty) {
            Ok(t) => t,
            Err(e) => {
                diags.error(
                    "Provider internal error",
                    format!("provider configuration: {e}"),
                );
                return diags;
            }
        };
        if let Some(client) = self
            .provider
            .configure(typed, self.stop.clone(), &mut diags)
            .await
        {
            *self.client.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(client));
        }
        diags
    }
}
