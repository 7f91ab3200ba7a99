//! UpgradeResourceState: Terraform hands every stored state over, as the JSON of the state file,
//! on every run, and uses only what comes back.
//!
//! Rules:
//! - a state written by a newer schema version than this provider knows is refused;
//! - the state must have a JSON form (pre-0.12 flatmap state is not supported);
//! - the provider may rewrite the state first ([`Provider::upgrade_state`]): an older version of
//!   ours, or another provider's state of the same type name after `replace-provider`;
//! - attributes no longer in the schema are dropped (as for MoveResourceState, `move_state`).

use super::super::diag::Diagnostics;
use super::super::json;
use super::super::provider::{Provider, StoredState};
use super::super::types::Type;
use super::{encode, failed, Engine, StateResponse};

impl<P: Provider> Engine<P> {
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
        let stored = match serde_json::from_slice::<serde_json::Value>(raw_json) {
            Ok(j) => j,
            Err(e) => {
                diags.error("Invalid stored state", format!("{type_name}: {e}"));
                return failed(diags);
            }
        };
        let stored = StoredState {
            source_provider: None,
            source_type: type_name,
            source_version: version,
            target_type: type_name,
            json: stored,
        };
        let Some(upgraded) = self.provider.upgrade_state(stored, &mut diags) else {
            return failed(diags);
        };
        if diags.has_errors() {
            return failed(diags);
        }
        self.stored_state_response(type_name, &upgraded, &ty, diags)
    }

    /// The answer to UpgradeResourceState and MoveResourceState: a stored JSON state, already
    /// read by the provider, decoded with the target type's schema (attributes it no longer
    /// declares are dropped).
    pub(super) fn stored_state_response(
        &self,
        type_name: &str,
        stored: &serde_json::Value,
        ty: &Type,
        mut diags: Diagnostics,
    ) -> StateResponse {
        let opts = json::DecodeOptions {
            ignore_undefined_attributes: true,
        };
        let v = match json::decode(stored, ty, opts) {
            Ok(v) => v,
            Err(e) => {
                diags.error("Invalid stored state", format!("{type_name}: {e}"));
                return failed(diags);
            }
        };
        let state = encode(&v, ty, &mut diags);
        StateResponse {
            state,
            private: Vec::new(),
            diagnostics: diags,
        }
    }
}
