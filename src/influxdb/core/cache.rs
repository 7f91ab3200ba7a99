//! What the last-value and distinct-value caches share: their import id
//! (`DATABASE:TABLE:NAME`), durations the API takes in whole seconds (`ttl`, `max_age`) and
//! how a cache's duration is read back without a diff, and the diagnostics of a create.

use crate::engine::identity::{IdentityAttribute, IdentitySchema};
use crate::engine::{AttributePath, Diagnostics};
use crate::influxdb::database as database_rules;
use crate::influxdb::duration::{format_duration, parse_duration};
use crate::influxdb::http::CreateError;

const SEC: i64 = 1_000_000_000;

/// A duration written as users write them (`"4h"`, `"90m"`) in whole seconds, for the API.
pub fn whole_seconds(s: &str) -> Result<u64, String> {
    let ns = parse_duration(s)?;
    if ns <= 0 {
        return Err(format!("The duration {s:?} must be longer than zero."));
    }
    if ns % SEC != 0 {
        return Err(format!(
            "The duration {s:?} is not a whole number of seconds; the API counts in seconds."
        ));
    }
    Ok((ns / SEC) as u64)
}

/// A validator for such a duration.
pub fn validate_whole_seconds(s: &str) -> Result<(), String> {
    whole_seconds(s).map(|_| ())
}

/// The duration the server shows (`secs`) as the state keeps it: the state's own text when it
/// means the same, else the canonical form (`"4h"`).
pub fn seconds_text(current: Option<&str>, secs: u64) -> String {
    match current.map(whole_seconds) {
        Some(Ok(s)) if s == secs => current.unwrap_or_default().to_owned(),
        _ => format_duration((secs as i64).saturating_mul(SEC)),
    }
}

/// `DATABASE:TABLE:NAME` (a database or table name has no `:`; the cache name may), or
/// `DATABASE,TABLE,NAME` as Terraform joins an import identity's attributes.
pub fn split_import_id<'a>(
    id: &'a str,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<(&'a str, &'a str, &'a str)> {
    let sep = if id.contains(':') { ':' } else { ',' };
    let mut parts = id.splitn(3, sep);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(d), Some(t), Some(n)) if !d.is_empty() && !t.is_empty() && !n.is_empty() => {
            Some((d, t, n))
        }
        _ => {
            diags.error(
                format!("Importing the {what} failed"),
                format!("A {what} is imported as DATABASE:TABLE:NAME (for example sensors:cpu:cpu_host_{}), not {id:?}.", what.replace(' ', "_").replace("-value", "")),
            );
            None
        }
    }
}

/// A cache's identity (Terraform >= 1.12): its database, table and name.
pub fn identity() -> IdentitySchema {
    IdentitySchema::new(vec![
        IdentityAttribute::required("database", "The database's name."),
        IdentityAttribute::required("table", "The table's name."),
        IdentityAttribute::required("name", "The cache's name."),
    ])
}

/// The diagnostic of a failed cache create, naming the attribute at fault where the server's
/// answer says which one.
pub fn create_failed(
    what: &str,
    database: &str,
    table: &str,
    name: Option<&str>,
    e: &CreateError,
    diags: &mut Diagnostics,
) {
    let summary = format!("Creating the {what} failed");
    let err = &e.error;
    if err.is_conflict() {
        let detail = match name {
            Some(n) => format!("{err}\n\nThe table {table:?} of {database:?} already has a {what} named {n:?} (the server refuses a taken name even with the same settings). Choose another `name`, or import it: terraform import ADDRESS {database}:{table}:{n}"),
            None => format!("{err}\n\nThe table {table:?} of {database:?} already has a {what} with the server's default name for these columns. Set `name` to another name, or import the existing one (terraform import ADDRESS {database}:{table}:NAME)."),
        };
        diags.attribute_error(
            AttributePath::root("name"),
            format!("{} already exists", capitalise(what)),
            detail,
        );
    } else if err.is_not_found() {
        let text = err.to_string();
        let (attr, why) = if text.contains("Database not found") {
            ("database", database_rules::missing_text(database))
        } else {
            ("table", format!("The table {table:?} does not exist in {database:?}. Create it first (an influxdb_table, referred to as influxdb_table.<name>.name) or write to it."))
        };
        diags.attribute_error(
            AttributePath::root(attr),
            summary,
            format!("{err}\n\n{why}"),
        );
    } else if err.status() == Some(400) {
        diags.error(summary, format!("{err}\n\nThe server refused the cache's settings (a column that does not exist, or of a type this cache cannot hold)."));
    } else {
        diags.error(summary, e.to_string());
    }
}

/// `s` with its first letter a capital.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_whole_seconds_read_back_as_written() {
        assert_eq!(whole_seconds("4h"), Ok(14400));
        assert!(whole_seconds("1500ms").is_err());
        assert!(whole_seconds("0s").is_err());
        assert_eq!(seconds_text(Some("240m"), 14400), "240m");
        assert_eq!(seconds_text(Some("1h"), 14400), "4h");
        assert_eq!(seconds_text(None, 86400), "1d");
    }

    #[test]
    fn import_ids_have_three_parts() {
        let mut d = Diagnostics::default();
        assert_eq!(
            split_import_id("db:cpu:a:b", "last-value cache", &mut d),
            Some(("db", "cpu", "a:b"))
        );
        assert_eq!(
            split_import_id("db,cpu,c", "last-value cache", &mut d),
            Some(("db", "cpu", "c"))
        );
        assert_eq!(split_import_id("db:cpu", "last-value cache", &mut d), None);
        assert!(d.has_errors());
    }
}
