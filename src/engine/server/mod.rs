//! The engine: Terraform's rules for every RPC, applied once for every resource.
//!
//! The wire layer hands requests over as raw [`DynamicValue`]s; the engine decodes them with the
//! schema, calls the domain's typed CRUD, and makes sure that what goes back is something
//! Terraform accepts:
//! - configured values are planned exactly as written (or the prior value when semantically
//!   equal); null configuration of a non-computed attribute stays null;
//! - computed attributes left unset are planned unknown when the resource changes, except those
//!   marked `use_state_for_unknown`, which keep their prior value, and those with a `default`,
//!   which is planned;
//! - `requires_replace` attributes that change are reported, and a forced replacement is shown;
//! - destroy plans are null; a resource may refuse a destroy or a replacement
//!   ([`super::resource::Resource::guard_destroy`]), asked at plan time and again before the
//!   delete is applied; state after apply is wholly known and agrees with every known
//!   planned value; delete returns null; a null state from read means the object is gone;
//! - every stored state is upgraded, attributes no longer in the schema dropped.

// Newer protocol features, each in its own file: more `impl Engine` blocks.
mod ephemeral;
mod identity;
mod list;

pub use ephemeral::{ClosedResponse, OpenResponse};
pub use identity::{IdentityResponse, IdentitySchemaInfo};
pub use list::{ListEvent, ListResponse};

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tokio_util::sync::CancellationToken;

use super::diag::{AttributePath, Diagnostic, Diagnostics};
use super::ephemeral::DynEphemeralResource;
use super::json;
use super::list::DynListResource;
use super::msgpack;
use super::resource::{to_typed, DynDataSource, DynResource, PlanChange, Provider};
use super::schema::Schema;
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

pub struct PlanResponse {
    pub planned_state: Vec<u8>,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct StateResponse {
    /// msgpack; `None` when the call failed before a state could be produced.
    pub state: Option<Vec<u8>>,
    pub private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

pub struct ImportedResource {
    pub type_name: String,
    pub state: Vec<u8>,
    pub private: Vec<u8>,
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

fn encode(v: &Value, ty: &Type, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    msgpack::encode(v, ty)
        .map_err(|e| diags.error("Provider internal error", format!("encoding a value: {e}")))
        .ok()
}

fn decode(dv: &DynamicValue, ty: &Type, what: &str, diags: &mut Diagnostics) -> Option<Value> {
    dv.decode(ty)
        .map_err(|e| diags.error("Invalid request from Terraform", format!("{what}: {e}")))
        .ok()
}

fn failed(diags: Diagnostics) -> StateResponse {
    StateResponse {
        state: None,
        private: Vec::new(),
        diagnostics: diags,
    }
}

impl<P: Provider> Engine<P> {
    pub fn new(provider: P) -> Engine<P> {
        let provider_schema = provider.schema();
        let mut resources = HashMap::new();
        let mut resource_order = Vec::new();
        for r in provider.resources() {
            resource_order.push(r.type_name());
            resources.insert(r.type_name(), r);
        }
        let mut data_sources = HashMap::new();
        let mut data_source_order = Vec::new();
        for d in provider.data_sources() {
            data_source_order.push(d.type_name());
            data_sources.insert(d.type_name(), d);
        }
        let ephemeral_resources = provider.ephemeral_resources();
        let list_resources = provider.list_resources();
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
    // Provider

    pub fn validate_provider_config(&self, config: &DynamicValue) -> Diagnostics {
        let mut diags = Diagnostics::default();
        if let Some(v) = decode(config, &self.provider_schema.ty(), "config", &mut diags) {
            self.provider_schema.validate(&v, &mut diags);
            self.provider.validate(&v, &mut diags);
        }
        diags
    }

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

    // -----------------------------------------------------------------------------------------
    // Resources

    pub fn validate_resource_config(&self, type_name: &str, config: &DynamicValue) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return diags;
        };
        self.check_terraform_version(type_name, r.schema(), &mut diags);
        if let Some(v) = decode(config, &r.schema().ty(), "config", &mut diags) {
            r.schema().validate(&v, &mut diags);
            r.validate(&v, &mut diags);
        }
        diags
    }

    /// Upgrades a stored state to the current schema. Terraform calls this for every resource
    /// in state on every run, with the JSON from the state file.
    pub fn upgrade_resource_state(
        &self,
        type_name: &str,
        version: i64,
        raw_json: &[u8],
    ) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let schema = r.schema();
        if version > schema.version {
            diags.error(
                "Resource instance managed by newer provider version",
                format!(
                    "The state of this {type_name} was written by a newer provider (schema version {version}, this provider knows {}). Upgrade the provider.",
                    schema.version
                ),
            );
            return failed(diags);
        }
        let ty = schema.ty();
        if raw_json.is_empty() {
            diags.error(
                "Unsupported state format",
                "The state has no JSON form (pre-0.12 flatmap state is not supported).",
            );
            return failed(diags);
        }
        let opts = json::DecodeOptions {
            ignore_undefined_attributes: true,
        };
        let v = match json::decode_bytes(raw_json, &ty, opts) {
            Ok(v) => v,
            Err(e) => {
                diags.error("Invalid stored state", format!("{type_name}: {e}"));
                return failed(diags);
            }
        };
        let state = encode(&v, &ty, &mut diags);
        StateResponse {
            state,
            private: Vec::new(),
            diagnostics: diags,
        }
    }

    pub async fn read_resource(
        &self,
        type_name: &str,
        current: &DynamicValue,
        private: &[u8],
    ) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let schema = r.schema();
        let ty = schema.ty();
        let Some(current) = decode(current, &ty, "current state", &mut diags) else {
            return failed(diags);
        };
        if current.is_null() {
            return StateResponse {
                state: encode(&Value::Null, &ty, &mut diags),
                private: private.to_vec(),
                diagnostics: diags,
            };
        }
        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };
        let new = r.read(&client, &current, &mut diags).await;
        if diags.has_errors() {
            // Keep the state as it was: an error must never look like "gone".
            return StateResponse {
                state: encode(&current, &ty, &mut diags),
                private: private.to_vec(),
                diagnostics: diags,
            };
        }
        let new = match new {
            None => Value::Null,
            Some(mut new) => {
                keep_semantically_equal(schema, &current, &mut new);
                new
            }
        };
        StateResponse {
            state: encode(&new, &ty, &mut diags),
            private: private.to_vec(),
            diagnostics: diags,
        }
    }

    pub fn plan_resource_change(
        &self,
        type_name: &str,
        prior: &DynamicValue,
        proposed: &DynamicValue,
        config: &DynamicValue,
        prior_private: &[u8],
    ) -> PlanResponse {
        let mut diags = Diagnostics::default();
        let fail = |diags| PlanResponse {
            planned_state: Vec::new(),
            requires_replace: Vec::new(),
            planned_private: Vec::new(),
            diagnostics: diags,
        };
        let Some(r) = self.resource(type_name, &mut diags) else {
            return fail(diags);
        };
        let schema = r.schema();
        let ty = schema.ty();
        let (Some(prior), Some(proposed), Some(config)) = (
            decode(prior, &ty, "prior state", &mut diags),
            decode(proposed, &ty, "proposed new state", &mut diags),
            decode(config, &ty, "config", &mut diags),
        ) else {
            return fail(diags);
        };

        // Destroy (Terraform >= 1.3 plans it through the provider): the plan is null, unless the
        // resource refuses to be destroyed.
        if proposed.is_null() || config.is_null() {
            if !prior.is_null() {
                r.guard_destroy(&prior, &mut diags);
                if diags.has_errors() {
                    return fail(diags);
                }
            }
            return PlanResponse {
                planned_state: encode(&Value::Null, &ty, &mut diags).unwrap_or_default(),
                requires_replace: Vec::new(),
                planned_private: prior_private.to_vec(),
                diagnostics: diags,
            };
        }

        self.check_terraform_version(type_name, schema, &mut diags);
        if let Some(client) = self.configured() {
            r.check_provider(&client, &config, &mut diags);
        }
        if diags.has_errors() {
            return fail(diags);
        }
        let outcome = plan(
            schema,
            &prior,
            &config,
            |change, d| r.modify_plan(change, d),
            &mut diags,
        );
        // A replacement destroys the object too.
        if !outcome.requires_replace.is_empty() && !diags.has_errors() {
            r.guard_destroy(&prior, &mut diags);
        }
        let planned_state = if diags.has_errors() {
            Vec::new()
        } else {
            encode(&outcome.planned, &ty, &mut diags).unwrap_or_default()
        };
        PlanResponse {
            planned_state,
            requires_replace: outcome.requires_replace,
            planned_private: prior_private.to_vec(),
            diagnostics: diags,
        }
    }

    pub async fn apply_resource_change(
        &self,
        type_name: &str,
        prior: &DynamicValue,
        planned: &DynamicValue,
        planned_private: &[u8],
    ) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let schema = r.schema();
        let ty = schema.ty();
        let (Some(prior), Some(planned)) = (
            decode(prior, &ty, "prior state", &mut diags),
            decode(planned, &ty, "planned state", &mut diags),
        ) else {
            return failed(diags);
        };
        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };

        // Delete: the new state is null, whatever happened; on error keep the prior. Asked
        // again here because Terraform < 1.3 never plans a destroy through the provider.
        if planned.is_null() {
            r.guard_destroy(&prior, &mut diags);
            if !diags.has_errors() {
                r.delete(&client, &prior, &mut diags).await;
            }
            let state = if diags.has_errors() {
                &prior
            } else {
                &Value::Null
            };
            return StateResponse {
                state: encode(state, &ty, &mut diags),
                private: Vec::new(),
                diagnostics: diags,
            };
        }

        let result = if prior.is_null() {
            r.create(&client, &planned, &mut diags).await
        } else {
            r.update(&client, &prior, &planned, &mut diags).await
        };
        let new = match result {
            Some(mut new) => {
                keep_semantically_equal(schema, &planned, &mut new);
                // After an error, the state is what partly happened (e.g. a rename done, the
                // next call failed): Terraform records it and does not hold it to the plan.
                if !diags.has_errors() {
                    check_apply_result(schema, &planned, &new, &mut diags);
                }
                new
            }
            // A failed update keeps the prior state; a failed create has nothing to keep.
            None if !prior.is_null() => prior,
            None => {
                if !diags.has_errors() {
                    diags.error(
                        "Provider returned no state",
                        format!("{type_name}: the apply produced no object. This is a bug in the provider."),
                    );
                }
                return failed(diags);
            }
        };
        StateResponse {
            state: encode(&new, &ty, &mut diags),
            private: planned_private.to_vec(),
            diagnostics: diags,
        }
    }

    pub async fn import_resource_state(
        &self,
        type_name: &str,
        id: &str,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return (Vec::new(), diags);
        };
        self.check_terraform_version(type_name, r.schema(), &mut diags);
        if diags.has_errors() {
            return (Vec::new(), diags);
        }
        let Some(client) = self.configured_client(&mut diags) else {
            return (Vec::new(), diags);
        };
        let ty = r.schema().ty();
        let Some(state) = r.import(&client, id, &mut diags).await else {
            if !diags.has_errors() {
                diags.error(
                    "Cannot import non-existent remote object",
                    format!("No {type_name} with id {id:?} exists."),
                );
            }
            return (Vec::new(), diags);
        };
        match encode(&state, &ty, &mut diags) {
            Some(state) => (
                vec![ImportedResource {
                    type_name: type_name.to_owned(),
                    state,
                    private: Vec::new(),
                }],
                diags,
            ),
            None => (Vec::new(), diags),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Data sources

    pub fn validate_data_source_config(
        &self,
        type_name: &str,
        config: &DynamicValue,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some(d) = self.data_source(type_name, &mut diags) else {
            return diags;
        };
        self.check_terraform_version(type_name, d.schema(), &mut diags);
        if let Some(v) = decode(config, &d.schema().ty(), "config", &mut diags) {
            d.schema().validate(&v, &mut diags);
            d.validate(&v, &mut diags);
        }
        diags
    }

    pub async fn read_data_source(&self, type_name: &str, config: &DynamicValue) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(d) = self.data_source(type_name, &mut diags) else {
            return failed(diags);
        };
        let schema = d.schema();
        let ty = schema.ty();
        let Some(config) = decode(config, &ty, "config", &mut diags) else {
            return failed(diags);
        };
        self.check_terraform_version(type_name, schema, &mut diags);
        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };
        d.check_provider(&client, &config, &mut diags);
        if diags.has_errors() {
            return failed(diags);
        }
        let Some(mut state) = d.read(&client, &config, &mut diags).await else {
            if !diags.has_errors() {
                diags.error(
                    "Provider produced null object",
                    format!("{type_name}: the data source returned nothing. This is a bug in the provider."),
                );
            }
            return failed(diags);
        };
        // What the configuration set is what the data source holds.
        for a in &schema.attributes {
            let c = config.attr(&a.name);
            if !a.computed || !c.is_null() {
                state.set_attr(&a.name, c.clone());
            }
        }
        if !state.is_wholly_known() {
            diags.error(
                "Provider produced an incomplete object",
                format!("{type_name}: the data source result has unknown values. This is a bug in the provider."),
            );
            return failed(diags);
        }
        StateResponse {
            state: encode(&state, &ty, &mut diags),
            private: Vec::new(),
            diagnostics: diags,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The plan rules, as plain functions so they can be tested without a provider.

pub struct PlanOutcome {
    pub planned: Value,
    pub requires_replace: Vec<AttributePath>,
}

/// Plans a create (`prior` null) or an update of a resource with `schema`.
///
/// The planned value is built from `config` and `prior`, never from Terraform's proposed new
/// state, whose handling of collections differs between Terraform versions.
pub fn plan(
    schema: &Schema,
    prior: &Value,
    config: &Value,
    modify: impl FnOnce(&mut PlanChange<'_>, &mut Diagnostics),
    diags: &mut Diagnostics,
) -> PlanOutcome {
    let is_create = prior.is_null();
    let mut planned = Value::empty_object(&schema.ty());
    for a in &schema.attributes {
        let cfg = config.attr(&a.name);
        let pri = prior.attr(&a.name);
        let v = if !cfg.is_null() {
            // Configured values are planned as written, unless the prior value means the same.
            match a.semantic_equality {
                Some(eq) if !pri.is_null() && cfg.is_wholly_known() && eq(pri, cfg) => pri.clone(),
                _ => cfg.clone(),
            }
        } else if let Some(d) = &a.default {
            d.clone()
        } else if a.computed {
            pri.clone()
        } else {
            Value::Null
        };
        planned.set_attr(&a.name, v);
    }

    // Something changes: computed attributes the configuration leaves unset become unknown,
    // unless their prior value is known to survive.
    if is_create || &planned != prior {
        for a in schema
            .attributes
            .iter()
            .filter(|a| a.computed && a.default.is_none())
        {
            if config.attr(&a.name).is_null() {
                let keep = a.use_state_for_unknown && !is_create && !prior.attr(&a.name).is_null();
                if !keep {
                    planned.set_attr(&a.name, Value::Unknown);
                }
            }
        }
    }

    let mut change = PlanChange {
        prior,
        config,
        planned: &mut planned,
        forced_replace: Vec::new(),
    };
    modify(&mut change, diags);
    let forced = std::mem::take(&mut change.forced_replace);

    let mut requires_replace = Vec::new();
    if !is_create {
        for a in schema.attributes.iter().filter(|a| a.requires_replace) {
            if planned.attr(&a.name) != prior.attr(&a.name) {
                requires_replace.push(AttributePath::root(&a.name));
            }
        }
        requires_replace.extend(forced);
    }

    check_plan(schema, prior, config, &planned, diags);
    PlanOutcome {
        planned,
        requires_replace,
    }
}

/// The checks Terraform makes on a plan (`AssertPlanValid`), made before Terraform does so that
/// a mistake in a resource's plan modification reads as a clear provider error.
fn check_plan(
    schema: &Schema,
    prior: &Value,
    config: &Value,
    planned: &Value,
    diags: &mut Diagnostics,
) {
    for a in &schema.attributes {
        let (cfg, pri, pl) = (
            config.attr(&a.name),
            prior.attr(&a.name),
            planned.attr(&a.name),
        );
        let ok = pl == cfg
            || (pl == pri && !pri.is_null() && !cfg.is_null())
            || (a.computed && (!a.optional || cfg.is_null()));
        if !ok {
            diags.push(
                Diagnostic::error(
                    "Provider produced invalid plan",
                    format!(
                        "The planned value of {} does not match the configuration. This is a bug in the provider.",
                        a.name
                    ),
                )
                .at(AttributePath::root(&a.name)),
            );
        }
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

/// The checks Terraform makes after an apply (`AssertObjectCompatible`): wholly known, and every
/// known planned value kept.
fn check_apply_result(schema: &Schema, planned: &Value, new: &Value, diags: &mut Diagnostics) {
    for a in &schema.attributes {
        let (pl, nv) = (planned.attr(&a.name), new.attr(&a.name));
        if !nv.is_wholly_known() {
            diags.push(
                Diagnostic::error(
                    "Provider returned an unknown value after apply",
                    format!(
                        "{} is still unknown after apply. This is a bug in the provider.",
                        a.name
                    ),
                )
                .at(AttributePath::root(&a.name)),
            );
        } else if pl.is_wholly_known() && pl != nv {
            let detail = if a.sensitive {
                format!("The provider changed the planned value of the sensitive attribute {}. This is a bug in the provider.", a.name)
            } else {
                format!(
                    "{} was planned as {} but the API returned {}. This is a bug in the provider.",
                    a.name,
                    show(pl),
                    show(nv)
                )
            };
            diags.push(
                Diagnostic::error("Provider produced inconsistent result after apply", detail)
                    .at(AttributePath::root(&a.name)),
            );
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => format!("{other:?}"),
    }
}
