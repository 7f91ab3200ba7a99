//! MoveResourceState (protocol 6.5, Terraform >= 1.8): a `moved` block whose `from` is another
//! resource type, possibly of another provider. Terraform hands over the source's raw JSON
//! state and schema version, unchecked, and uses only what comes back.
//!
//! Rules:
//! - the target must be one of our resource types;
//! - the provider reads the source state ([`Provider::move_state`]); one it cannot read is
//!   refused with an error naming the source type, version and provider, and Terraform then
//!   leaves the state as it was (nothing is written);
//! - the result is decoded with the target's schema, as an upgraded state is.

use super::super::diag::Diagnostics;
use super::super::provider::{Provider, StoredState};
use super::{failed, Engine, StateResponse};

/// What Terraform says about the state to move.
pub struct MoveSource<'a> {
    /// The source provider's address (`registry.terraform.io/komminarlabs/influxdb3`).
    pub provider: &'a str,
    pub type_name: &'a str,
    pub schema_version: i64,
    /// The source state's JSON.
    pub raw_json: &'a [u8],
}

impl<P: Provider> Engine<P> {
    /// Moves another type's state to `target_type`.
    pub fn move_resource_state(&self, source: MoveSource<'_>, target_type: &str) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(target_type, &mut diags) else {
            return failed(diags);
        };
        let json = match serde_json::from_slice::<serde_json::Value>(source.raw_json) {
            Ok(j) if j.is_object() => j,
            Ok(_) | Err(_) => {
                diags.error(
                    "Cannot move the resource",
                    format!(
                        "The state of {} (schema version {}) from {} is not a JSON object, so it cannot be moved to {target_type}. The state was left as it was.",
                        source.type_name, source.schema_version, source.provider
                    ),
                );
                return failed(diags);
            }
        };
        let stored = StoredState {
            source_provider: Some(source.provider),
            source_type: source.type_name,
            source_version: source.schema_version,
            target_type,
            json,
        };
        let Some(moved) = self.provider.move_state(stored, &mut diags) else {
            return failed(diags);
        };
        if diags.has_errors() {
            return failed(diags);
        }
        let ty = r.schema().ty();
        self.stored_state_response(target_type, &moved, &ty, diags)
    }
}
