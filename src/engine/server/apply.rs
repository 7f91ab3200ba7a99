//! ApplyResourceChange: creates, updates or deletes the remote object as planned.
//!
//! Rules:
//! - a null planned state is a delete, which the resource may still refuse
//!   (`Resource::guard_destroy`: asked again here because Terraform < 1.3 never plans a destroy
//!   through the provider); the new state is null, or the prior state when the delete failed;
//! - state after apply is wholly known and agrees with every known planned value (Terraform's
//!   `AssertObjectCompatible`), checked unless the apply itself reported an error;
//! - attributes whose new value means the same as the planned one keep the planned value;
//! - a failed update keeps the prior state; a failed create leaves none.

use super::super::diag::{AttributePath, Diagnostic, Diagnostics};
use super::super::provider::Provider;
use super::super::schema::Schema;
use super::super::value::Value;
use super::{decode, encode, failed, keep_semantically_equal, DynamicValue, Engine, StateResponse};

impl<P: Provider> Engine<P> {
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
            r.guard_destroy(Some(&client), &prior, &mut diags);
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
