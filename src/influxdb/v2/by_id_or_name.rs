//! A data source that finds one object by `id` or by `name` (`influxdb_bucket`,
//! `influxdb_task`): the rule that exactly one of them is set, and the error when nothing
//! matches, written once.

use crate::engine::{AttributePath, Diagnostics, Value};

/// Exactly one of `id` and `name` is set; `what` is the object (`"bucket"`).
pub fn validate(config: &Value, what: &str, diags: &mut Diagnostics) {
    let (id, name) = (config.attr("id"), config.attr("name"));
    if !id.is_null() && !name.is_null() {
        diags.attribute_error(
            AttributePath::root("name"),
            "Both id and name are set",
            format!("Find the {what} by id or by name, not both."),
        );
    }
    if id.is_null() && name.is_null() && id.is_known() && name.is_known() {
        diags.attribute_error(
            AttributePath::root("name"),
            "Missing id or name",
            format!("Set the {what}'s id or its name."),
        );
    }
}

/// The error when no `what` (`"bucket"`) has the `id` or `name` looked for.
pub fn not_found(id: Option<&str>, name: Option<&str>, what: &str, diags: &mut Diagnostics) {
    let which = id
        .map(|i| format!("with ID {i}"))
        .or(name.map(|n| format!("named {n:?}")))
        .unwrap_or_default();
    let mut title = what.to_owned();
    title[..1].make_ascii_uppercase();
    diags.error(
        format!("{title} not found"),
        format!("InfluxDB has no {what} {which} visible to the provider's token."),
    );
}
