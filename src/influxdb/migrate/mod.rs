//! Reading states that other providers wrote, so that a switch to this provider keeps every
//! object and every token string: `terraform state replace-provider` (the same type name, read
//! by `UpgradeResourceState`) and `moved` blocks across providers (`MoveResourceState`).
//!
//! Each source provider is one file beside this one holding its [`Migration`]s; [`MIGRATIONS`]
//! lists them. A migration maps the source's JSON state to ours; what the source lacks is left
//! null and read from the server at the next refresh. A state no migration recognises is kept
//! as it is for an upgrade (it is ours) and refused, naming its type and version, for a move.

pub mod drfaust92;

use crate::engine::provider::StoredState;
use crate::engine::Diagnostics;

/// One source type this provider can read, and how.
pub struct Migration {
    /// The source provider's address suffix as Terraform names it (`drfaust92/influxdb`), for
    /// the docs and for matching a move's source provider.
    pub source_provider: &'static str,
    pub source_type: &'static str,
    pub target_type: &'static str,
    /// Whether `state` (the target type's upgrade input) is this source's shape. Only asked on
    /// the upgrade route, where Terraform does not say which provider wrote the state.
    pub recognise: fn(state: &StoredState<'_>) -> bool,
    /// The source state mapped to the target's JSON state; `Err` says what could not be read.
    pub map: fn(state: &StoredState<'_>) -> Result<serde_json::Value, String>,
}

/// Every migration this provider knows, one entry per source type.
pub static MIGRATIONS: &[&[Migration]] = &[drfaust92::DRFAUST92];

fn all() -> impl Iterator<Item = &'static Migration> {
    MIGRATIONS.iter().flat_map(|m| m.iter())
}

/// `UpgradeResourceState`: a state one of the migrations recognises is mapped; any other is
/// ours and kept as it is.
pub fn upgrade(state: StoredState<'_>, diags: &mut Diagnostics) -> Option<serde_json::Value> {
    let found = all().find(|m| m.target_type == state.target_type && (m.recognise)(&state));
    match found {
        None => Some(state.json),
        Some(m) => apply(m, &state, diags),
    }
}

fn apply(
    m: &Migration,
    state: &StoredState<'_>,
    diags: &mut Diagnostics,
) -> Option<serde_json::Value> {
    match (m.map)(state) {
        Ok(j) => Some(j),
        Err(e) => {
            diags.error(
                "Cannot read the state of another provider",
                format!(
                    "The state of {} (schema version {}) from {} could not be read as {}: {e}. The state was left as it was; see docs/guides/migrating.md.",
                    state.source_type, state.source_version, m.source_provider, state.target_type
                ),
            );
            None
        }
    }
}
