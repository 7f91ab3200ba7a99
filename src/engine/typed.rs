//! The bridge between the domain's typed Rust structs and the engine's [`Value`]s, through JSON.
//! Every kind of resource (managed, data source, ephemeral, list) converts its typed models with
//! it, and nothing else: so the kinds never depend on each other.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::diag::Diagnostics;
use super::json;
use super::types::Type;
use super::value::Value;

/// Converts a value of `ty` to a typed struct; unknowns become `None`.
pub fn to_typed<T: DeserializeOwned>(v: &Value, ty: &Type) -> Result<T, String> {
    let j = json::encode(
        v,
        ty,
        json::EncodeOptions {
            unknown_as_null: true,
        },
    )
    .map_err(|e| e.to_string())?;
    serde_json::from_value(j).map_err(|e| e.to_string())
}

/// Converts a typed struct to a value of `ty`. A field the type lacks is an error; an
/// attribute the struct lacks is null.
pub fn from_typed<T: Serialize>(t: &T, ty: &Type) -> Result<Value, String> {
    let j = serde_json::to_value(t).map_err(|e| e.to_string())?;
    json::decode(&j, ty, json::DecodeOptions::default()).map_err(|e| e.to_string())
}

/// Reports a failed conversion between a typed model and a value: always a provider bug.
pub(crate) fn bridge_error(
    diags: &mut Diagnostics,
    type_name: &str,
    what: &str,
    e: impl std::fmt::Display,
) {
    diags.error(
        "Provider internal error",
        format!("{type_name}: could not convert the {what}: {e}. This is a bug in the provider."),
    );
}
