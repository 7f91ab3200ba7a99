//! The list resource RPCs: ValidateListResourceConfig and ListResource (`terraform query`).
//!
//! Rules:
//! - a list resource lists a managed resource type of the same name that has an identity;
//! - every result carries the identity derived from the object's state, a display name, and,
//!   when Terraform asks (`include_resource`), the full object, wholly known;
//! - at most `limit` results are returned (Terraform stops reading there anyway);
//! - an error is one event carrying the diagnostics, after the results found before it.

use std::sync::Arc;

use super::super::diag::Diagnostics;
use super::super::list::DynListResource;
use super::super::provider::Provider;
use super::{decode, encode, DynamicValue, Engine};

/// One result of a list.
pub struct ListEvent {
    /// msgpack of the identity.
    pub identity: Vec<u8>,
    pub display_name: String,
    /// msgpack of the full object, when asked for.
    pub resource_object: Option<Vec<u8>>,
}

pub struct ListResponse {
    pub events: Vec<ListEvent>,
    /// Sent as a last event when not empty.
    pub diagnostics: Diagnostics,
}

impl<P: Provider> Engine<P> {
    fn list_resource(
        &self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<Arc<dyn DynListResource<P::Client>>> {
        let l = self
            .list_resources
            .iter()
            .find(|l| l.type_name() == name)
            .cloned();
        if l.is_none() {
            diags.error(
                "Unknown list resource type",
                format!("This provider has no list resource {name:?}."),
            );
        }
        l
    }

    pub fn validate_list_resource_config(
        &self,
        type_name: &str,
        config: &DynamicValue,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some(l) = self.list_resource(type_name, &mut diags) else {
            return diags;
        };
        if let Some(v) = decode(config, &l.schema().ty(), "config", &mut diags) {
            l.schema().validate(&v, &mut diags);
            l.validate(&v, &mut diags);
        }
        diags
    }

    pub async fn list(
        &self,
        type_name: &str,
        config: &DynamicValue,
        include_resource: bool,
        limit: i64,
    ) -> ListResponse {
        let mut diags = Diagnostics::default();
        let failed = |diagnostics| ListResponse {
            events: Vec::new(),
            diagnostics,
        };
        let Some(l) = self.list_resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let Some(r) = self.resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let Some(id_schema) = r.identity() else {
            diags.error(
                "Provider internal error",
                format!(
                    "{type_name} is listed but has no identity. This is a bug in the provider."
                ),
            );
            return failed(diags);
        };
        let Some(config) = decode(config, &l.schema().ty(), "config", &mut diags) else {
            return failed(diags);
        };
        l.schema().validate(&config, &mut diags);
        l.validate(&config, &mut diags);
        if diags.has_errors() {
            return failed(diags);
        }
        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };
        let state_ty = r.schema().ty();
        let id_ty = id_schema.ty(r.schema());
        let found = l.list(&client, &config, &state_ty, &mut diags).await;
        let limit = usize::try_from(limit).ok().filter(|l| *l > 0);
        let mut events = Vec::new();
        for (display_name, state) in found.into_iter().take(limit.unwrap_or(usize::MAX)) {
            let Some(identity) = id_schema.derive(&state, r.schema()) else {
                continue;
            };
            if !state.is_wholly_known() {
                diags.error(
                    "Provider produced an incomplete object",
                    format!("{type_name} {display_name:?}: the listed object has unknown values. This is a bug in the provider."),
                );
                break;
            }
            let Some(identity) = encode(&identity, &id_ty, &mut diags) else {
                break;
            };
            let resource_object = if include_resource {
                match encode(&state, &state_ty, &mut diags) {
                    Some(o) => Some(o),
                    None => break,
                }
            } else {
                None
            };
            events.push(ListEvent {
                identity,
                display_name,
                resource_object,
            });
        }
        ListResponse {
            events,
            diagnostics: diags,
        }
    }
}
