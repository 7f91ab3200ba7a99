//! Reading states that other providers wrote, so that a switch to this provider keeps every
//! object and every token string: `terraform state replace-provider` (the same type name, read
//! by `UpgradeResourceState`) and `moved` blocks across providers (`MoveResourceState`).
//!
//! Each source provider is one file beside this one holding its [`Migration`]s; [`MIGRATIONS`]
//! lists them. A migration maps the source's JSON state to ours; what the source lacks is left
//! null and read from the server at the next refresh. A state no migration recognises is kept
//! as it is for an upgrade (it is ours) and refused, naming its type and version, for a move.

mod drfaust92_influxdb;
mod komminarlabs_influxdb;
mod komminarlabs_influxdb3;
mod slcp_influxdb_v2;
mod values;

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
pub static MIGRATIONS: &[&[Migration]] = &[
    komminarlabs_influxdb3::MIGRATIONS,
    komminarlabs_influxdb::MIGRATIONS,
    slcp_influxdb_v2::MIGRATIONS,
    drfaust92_influxdb::MIGRATIONS,
];

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

/// `MoveResourceState`: the migration of the source provider, type and schema version named
/// by Terraform maps the state; a move no migration knows is refused, naming the source and
/// saying what to do, and Terraform leaves the state as it was.
pub fn move_state(state: StoredState<'_>, diags: &mut Diagnostics) -> Option<serde_json::Value> {
    let provider = state.source_provider.unwrap_or("");
    let found = all().find(|m| {
        m.target_type == state.target_type
            && m.source_type == state.source_type
            && same_provider(provider, m.source_provider)
    });
    let Some(m) = found else {
        let same_type: Vec<&Migration> = all()
            .filter(|m| m.source_type == state.source_type)
            .collect();
        let into: Vec<&str> = same_type
            .iter()
            .filter(|m| same_provider(provider, m.source_provider))
            .map(|m| m.target_type)
            .collect();
        let why = match (same_type.first(), into.is_empty()) {
            (None, _) => "this provider has no migration for that type".to_owned(),
            (Some(m), true) => format!(
                "this provider has no migration for that type from that provider (it reads {} of {})",
                m.source_type, m.source_provider
            ),
            (Some(_), false) => format!("it can be moved to {} only", into.join(", ")),
        };
        diags.error(
            "Cannot move the resource",
            format!(
                "{} (schema version {}) from {} cannot be moved to {}: {why}. The state was left as it was. Move it to one of the types listed in docs/guides/migrating.md, or keep it with its provider.",
                state.source_type,
                state.source_version,
                if provider.is_empty() { "another provider" } else { provider },
                state.target_type,
            ),
        );
        return None;
    };
    apply(m, &state, diags)
}

/// For a `map`: refuses a source schema version the mapping was not written for (a newer
/// release of the source provider may have changed its attributes).
pub fn known_version(state: &StoredState<'_>, versions: &[i64]) -> Result<(), String> {
    if versions.contains(&state.source_version) {
        return Ok(());
    }
    let known: Vec<String> = versions.iter().map(i64::to_string).collect();
    Err(format!(
        "schema version {} is not one this provider reads (it reads version {}); upgrade this provider, or move from a release of the source provider that writes version {}",
        state.source_version,
        known.join(" or "),
        known.join(" or ")
    ))
}

/// Whether Terraform's provider address (`registry.terraform.io/slcp/influxdb-v2`) names the
/// provider `namespace/type` (any host: mirrors and private registries keep the same names).
fn same_provider(address: &str, provider: &str) -> bool {
    address
        .to_ascii_lowercase()
        .rsplit_once('/')
        .and_then(|(rest, ty)| {
            let ns = rest.rsplit('/').next()?;
            Some(format!("{ns}/{ty}") == provider.to_ascii_lowercase())
        })
        .unwrap_or(false)
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
                    "The state of {} (schema version {}) from {} could not be read as {}: {e}. The state was left as it was; see docs/guides/migrating.md for what each migration reads.",
                    state.source_type,
                    state.source_version,
                    state.source_provider.unwrap_or(m.source_provider),
                    state.target_type
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn moved(provider: &'static str, ty: &'static str, version: i64) -> StoredState<'static> {
        StoredState {
            source_provider: Some(provider),
            source_type: ty,
            source_version: version,
            target_type: "influxdb_database_token",
            json: json!({"id": "i", "access_token": "apiv1_x", "permissions": []}),
        }
    }

    #[test]
    fn a_known_move_is_mapped_from_any_host_of_the_source() {
        let mut d = Diagnostics::default();
        let s = moved(
            "terraform.example.com/KomminarLabs/influxdb3",
            "influxdb3_token",
            0,
        );
        let j = move_state(s, &mut d).expect("mapped");
        assert_eq!(j["access_token"], "apiv1_x");
        assert!(!d.has_errors());
    }

    #[test]
    fn an_unknown_move_names_the_source_type_version_and_provider() {
        for (provider, ty, version, says) in [
            (
                "registry.terraform.io/someone/else",
                "influxdb3_token",
                0,
                "no migration",
            ),
            (
                "registry.terraform.io/komminarlabs/influxdb3",
                "influxdb3_database",
                0,
                "moved to influxdb_database only",
            ),
            (
                "registry.terraform.io/komminarlabs/influxdb3",
                "influxdb3_table",
                0,
                "no migration",
            ),
            (
                "registry.terraform.io/komminarlabs/influxdb3",
                "influxdb3_token",
                3,
                "schema version 3",
            ),
        ] {
            let mut d = Diagnostics::default();
            assert!(move_state(moved(provider, ty, version), &mut d).is_none());
            let text = format!("{d:?}");
            for part in [
                ty,
                provider,
                &format!("schema version {version}"),
                says,
                "left as it was",
            ] {
                assert!(text.contains(part), "{part:?} missing from {text}");
            }
        }
    }
}
