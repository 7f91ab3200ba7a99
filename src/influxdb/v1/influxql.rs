//! InfluxQL as the 1.x provider writes it: identifiers in double quotes and string literals
//! (passwords) in single quotes, each with its quote and `\` escaped, so any name works end to
//! end; names with a line break refused at plan (the server cannot hold them in a statement);
//! and durations (`"180d"`, `"4320h0m0s"`, `"INF"`) read, compared and written canonically.

use crate::influxdb::duration::{format_duration, parse_duration};

/// An identifier in double quotes, `"` and `\` escaped by a backslash.
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A string literal in single quotes, `'` and `\` escaped by a backslash.
pub fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A name (database, retention policy, user) the provider can put into a statement: not
/// empty, without a line break or a NUL.
pub fn check_name(what: &str, s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Err(format!("The {what} name is empty."));
    }
    if let Some(c) = s.chars().find(|c| matches!(c, '\n' | '\r' | '\0')) {
        return Err(format!(
            "The {what} name {s:?} contains {c:?}; InfluxDB 1.x names cannot hold line breaks or NUL characters."
        ));
    }
    Ok(())
}

/// Nanoseconds of a duration as InfluxQL and the server write it: `"180d"`, `"2w"`,
/// `"4320h0m0s"` (what `SHOW RETENTION POLICIES` answers), and `"INF"` (or `"0s"`) for
/// infinite, which is 0.
pub fn duration_ns(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("inf") {
        return Ok(0);
    }
    parse_duration(t)
}

/// Whether two durations mean the same (`"180d"` ≡ `"4320h0m0s"`, `"INF"` ≡ `"0s"`).
pub fn same_duration(a: &str, b: &str) -> bool {
    match (duration_ns(a), duration_ns(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// The literal for a statement: `INF` for infinite, else the canonical duration.
pub fn duration_literal(ns: i64) -> String {
    if ns == 0 {
        "INF".to_owned()
    } else {
        format_duration(ns)
    }
}

const HOUR: i64 = 3_600 * 1_000_000_000;

/// A retention policy's `duration` as the server accepts it: infinite, or at least one hour
/// ("retention policy duration must be at least 1h0m0s").
pub fn check_policy_duration(s: &str) -> Result<(), String> {
    let ns = duration_ns(s).map_err(|e| {
        format!("duration = {s:?} is not an InfluxQL duration (such as \"30d\", \"4320h0m0s\" or \"INF\"). {e}")
    })?;
    if ns != 0 && ns < HOUR {
        return Err(format!(
            "duration = {s:?} is shorter than one hour; InfluxDB 1.x keeps data at least 1h (or \"INF\" for ever)."
        ));
    }
    Ok(())
}

/// A retention policy's `shardgroupduration`: a positive duration (the server rounds it
/// up to at least one hour).
pub fn check_shard_duration(s: &str) -> Result<(), String> {
    let ns = duration_ns(s).map_err(|e| {
        format!("shardgroupduration = {s:?} is not an InfluxQL duration (such as \"1d\" or \"168h0m0s\"). {e}")
    })?;
    if ns == 0 || s.trim().eq_ignore_ascii_case("inf") {
        return Err(format!(
            "shardgroupduration = {s:?} must be a positive duration such as \"1d\"."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_escapes_quotes_and_backslashes() {
        assert_eq!(quote_ident(r#"we"ird 'name"#), r#""we\"ird 'name""#);
        assert_eq!(quote_ident(r"a\b"), r#""a\\b""#);
        assert_eq!(quote_string(r"it's \ok"), r"'it\'s \\ok'");
    }

    #[test]
    fn names_with_line_breaks_are_refused() {
        assert!(check_name("database", "a\nb").is_err());
        assert!(check_name("database", "").is_err());
        assert!(check_name("database", r#"we"ird 'name"#).is_ok());
    }

    #[test]
    fn durations_compare_canonically() {
        assert!(same_duration("180d", "4320h0m0s"));
        assert!(same_duration("INF", "0s"));
        assert!(same_duration("inf", "0"));
        assert!(!same_duration("1d", "25h"));
        assert_eq!(duration_literal(0), "INF");
        assert_eq!(duration_literal(duration_ns("4320h0m0s").unwrap()), "180d");
        assert!(check_policy_duration("30m").is_err());
        assert!(check_policy_duration("1h").is_ok());
        assert!(check_policy_duration("INF").is_ok());
        assert!(check_policy_duration("forever").is_err());
        assert!(check_shard_duration("0s").is_err());
        assert!(check_shard_duration("1d").is_ok());
    }
}
