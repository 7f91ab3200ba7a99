//! PlanResourceChange, and the plan rules every resource's plan goes through.
//!
//! Rules:
//! - configured values are planned exactly as written (or the prior value when semantically
//!   equal); null configuration of a non-computed attribute stays null;
//! - computed attributes left unset are planned unknown when the resource changes, except those
//!   marked `use_state_for_unknown`, which keep their prior value, and those with a `default`,
//!   which is planned;
//! - `requires_replace` attributes that change are reported, and a forced replacement is shown;
//! - destroy plans are null (Terraform >= 1.3 plans destroys through the provider); a resource
//!   may refuse a destroy or a replacement (`Resource::guard_destroy`);
//! - creates and updates are checked against the running Terraform's version and the configured
//!   provider (`check_provider`) before anything is planned;
//! - a create or a replacement is then checked against what only the server can tell
//!   (`Resource::check_server`, which may read from the API but never writes): the gRPC server
//!   calls [`Engine::check_planned`] after [`Engine::plan_resource_change`];
//! - write-only attributes are planned null whatever the configuration says (the resource sees
//!   the configured value in `PlanChange::config`);
//! - the plan is checked as Terraform checks it (`AssertPlanValid`), so that a mistake in a
//!   resource's plan modification reads as a clear provider error.
//!
//! The rules are plain functions ([`plan`]) so they can be tested without a provider.

use super::super::diag::{AttributePath, Diagnostic, Diagnostics};
use super::super::provider::Provider;
use super::super::resource::PlanChange;
use super::super::schema::Schema;
use super::super::value::Value;
use super::{decode, encode, DynamicValue, Engine};

/// The answer to PlanResourceChange.
pub struct PlanResponse {
    pub planned_state: Vec<u8>,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Diagnostics,
}

impl<P: Provider> Engine<P> {
    /// The second half of PlanResourceChange as the gRPC server answers it, after
    /// [`Engine::plan_resource_change`] (the rules, without any API call) gave `out`: for a
    /// create or a replacement, the resource's `check_server`. An error there fails the plan.
    pub async fn check_planned(
        &self,
        type_name: &str,
        prior: &DynamicValue,
        mut out: PlanResponse,
    ) -> PlanResponse {
        if out.diagnostics.has_errors() {
            return out;
        }
        let mut diags = Diagnostics::default();
        let (Some(r), Some(client)) = (self.resource(type_name, &mut diags), self.configured())
        else {
            return out;
        };
        let ty = r.schema().ty();
        let planned = DynamicValue::msgpack(out.planned_state.clone());
        let (Some(prior), Some(planned)) = (
            decode(prior, &ty, "prior state", &mut diags),
            decode(&planned, &ty, "planned state", &mut diags),
        ) else {
            return out;
        };
        let creates = prior.is_null() || !out.requires_replace.is_empty();
        if planned.is_null() || !creates {
            return out;
        }
        r.check_server(&client, &planned, &mut out.diagnostics)
            .await;
        if out.diagnostics.has_errors() {
            out.planned_state = Vec::new();
            out.requires_replace = Vec::new();
            out.planned_private = Vec::new();
        }
        out
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
                r.guard_destroy(self.configured().as_deref(), &prior, &mut diags);
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
        let client = self.configured();
        if let Some(client) = &client {
            r.check_provider(client, &config, &mut diags);
        }
        if diags.has_errors() {
            return fail(diags);
        }
        let outcome = plan(
            schema,
            &prior,
            &config,
            |change, d| r.modify_plan(client.as_deref(), change, d),
            &mut diags,
        );
        // A replacement destroys the object too.
        if !outcome.requires_replace.is_empty() && !diags.has_errors() {
            r.guard_destroy(client.as_deref(), &prior, &mut diags);
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
}

/// What the plan rules decided: the planned value and the attributes forcing a replacement.
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
        let v = if a.write_only {
            Value::Null
        } else if !cfg.is_null() {
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

/// A block's plan against its configuration, object by object (as Terraform pairs them: by
/// position): inner attributes as configured, or as they were (the prior object at that
/// position: a value that means the same, kept), or, for optional+computed ones the
/// configuration leaves null, anything.
fn block_matches(
    a: &super::super::schema::Attribute,
    cfg: &Value,
    pl: &Value,
    pri: &Value,
) -> bool {
    let (Some(n), Some(c), Some(p)) = (&a.nested, cfg.elements(), pl.elements()) else {
        return false;
    };
    let before = pri.elements().unwrap_or_default();
    c.len() == p.len()
        && c.iter().zip(p.iter()).enumerate().all(|(k, (co, po))| {
            n.attributes.iter().all(|i| {
                let (ci, pi) = (co.attr(&i.name), po.attr(&i.name));
                let bi = before
                    .get(k)
                    .map(|b| b.attr(&i.name))
                    .unwrap_or(&Value::Null);
                ci == pi
                    || (pi == bi && !bi.is_null() && !ci.is_null())
                    || (i.computed && ci.is_null())
            })
        })
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
            || (a.block && block_matches(a, cfg, pl, pri))
            || (a.write_only && pl.is_null())
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
