//! Attributes several InfluxDB v2 types declare alike, each built once: the organization a
//! resource belongs to, its `status` and its `description`. Only the words that name the type
//! differ.

use super::validate_v2_id;
use crate::engine::schema::{validators, Attribute};
use crate::engine::Type;

/// `org_id` of a resource: unset, the provider's organization; a change replaces `replaced`
/// (`"the authorization"`).
pub fn org_id(replaced: &str) -> Attribute {
    Attribute::optional_computed("org_id", Type::String)
        .describe(&format!("The organization's ID (16 hexadecimal digits). Unset: the provider's `org` or `org_id`. A change replaces {replaced}."))
        .validate_str("Invalid org_id", validate_v2_id)
        .requires_replace()
        .use_state_for_unknown()
}

/// `status`, `"active"` by default; `inactive` says what `"inactive"` means.
pub fn status(inactive: &str) -> Attribute {
    Attribute::optional_computed("status", Type::String)
        .describe(&format!("`\"active\"` (the default) or `\"inactive\"` ({inactive}). Updated in place; a status changed outside Terraform is restored."))
        .validate_str("Invalid status", validators::one_of(&["active", "inactive"]))
        .default("active")
}

/// `description`, never empty; `what_is` says what it describes (`"the token is"`).
pub fn description(what_is: &str) -> Attribute {
    Attribute::optional("description", Type::String)
        .describe(&format!(
            "What {what_is} for. Must not be empty. Updated in place."
        ))
        .validate_str("Invalid description", validators::not_empty)
}
