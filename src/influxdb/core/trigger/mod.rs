//! A processing-engine trigger of InfluxDB 3 Core and Enterprise: what runs a plugin file of
//! the server's plugin directory, and when. Its `trigger_specification` is written as the
//! server's CLI writes it (`table:NAME`, `all_tables`, `every:DURATION`, `cron:EXPR`,
//! `request:PATH`), validated here at plan as the server parses it
//! (`TriggerSpecificationDefinition::from_string_rep`), and read back from
//! `system.processing_engine_triggers`, which shows it as JSON; [`Specification`] is the one
//! form both map to, so the two are compared without a diff.

pub mod resource;

use crate::engine::Value;
use crate::influxdb::duration::parse_duration;

/// The longest `every:` the server accepts: humantime's year, 365.25 days.
const YEAR_NS: i64 = 31_557_600 * 1_000_000_000;

/// What a trigger reacts to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Specification {
    /// `table:NAME`: the writes to one table.
    Table(String),
    /// `all_tables`: every write.
    AllTables,
    /// `every:DURATION`, in nanoseconds.
    Every(i64),
    /// `cron:EXPR`, six or seven fields (seconds first).
    Cron(String),
    /// `request:PATH`: `/api/v3/engine/PATH`.
    Request(String),
}

impl Specification {
    /// Parses the string form, as the server does (surrounding spaces ignored), with a
    /// sentence saying what is wrong.
    pub fn parse(s: &str) -> Result<Specification, String> {
        let s = s.trim();
        let forms = "use one of `table:TABLE`, `all_tables`, `every:DURATION` (for example `every:10m`), `cron:EXPRESSION` (six fields, seconds first, for example `cron:0 */5 * * * *`) or `request:PATH`";
        if s == "all_tables" {
            return Ok(Specification::AllTables);
        }
        let Some((kind, rest)) = s.split_once(':') else {
            return Err(format!("{s:?} is not a trigger specification; {forms}."));
        };
        let rest = rest.trim();
        match kind {
            "table" if rest.is_empty() => Err("`table:` needs a table name, for example `table:cpu`.".into()),
            "table" => Ok(Specification::Table(rest.to_owned())),
            "request" if rest.is_empty() => Err("`request:` needs a path, for example `request:hello` (served at /api/v3/engine/hello).".into()),
            "request" => Ok(Specification::Request(rest.to_owned())),
            "every" => {
                let ns = parse_duration(rest).map_err(|e| format!("`every:` needs a duration: {e}"))?;
                if ns <= 0 {
                    Err(format!("`every:{rest}` must be longer than zero."))
                } else if ns > YEAR_NS {
                    Err(format!("`every:{rest}` is longer than a year, which the server refuses."))
                } else {
                    Ok(Specification::Every(ns))
                }
            }
            "cron" => {
                let fields = rest.split_whitespace().count();
                if (6..=7).contains(&fields) {
                    Ok(Specification::Cron(rest.to_owned()))
                } else {
                    Err(format!("`cron:{rest}` has {fields} fields; the server's cron expressions have six or seven, seconds first (for example `cron:0 */5 * * * *` for every five minutes)."))
                }
            }
            _ => Err(format!("{s:?} is not a trigger specification; {forms}.")),
        }
    }

    /// Reads the JSON form of `system.processing_engine_triggers`:
    /// `{"single_table_wal_write":{"table_name":"cpu"}}`, `"all_tables_wal_write"`,
    /// `{"schedule":{"schedule":"0 */5 * * * *"}}`, `{"every":{"duration":{"secs":10,"nanos":0}}}`,
    /// `{"request_path":{"path":"hello"}}`.
    pub fn from_server(json: &str) -> Option<Specification> {
        let v: serde_json::Value = serde_json::from_str(json).ok()?;
        if v.as_str() == Some("all_tables_wal_write") {
            return Some(Specification::AllTables);
        }
        let text = |p: &str| v.pointer(p).and_then(|t| t.as_str()).map(str::to_owned);
        if let Some(t) = text("/single_table_wal_write/table_name") {
            return Some(Specification::Table(t));
        }
        if let Some(c) = text("/schedule/schedule") {
            return Some(Specification::Cron(c));
        }
        if let Some(p) = text("/request_path/path") {
            return Some(Specification::Request(p));
        }
        let d = v.pointer("/every/duration")?;
        let secs = d.get("secs")?.as_i64()?;
        let nanos = d.get("nanos").and_then(|n| n.as_i64()).unwrap_or(0);
        Some(Specification::Every(
            secs.checked_mul(1_000_000_000)?.checked_add(nanos)?,
        ))
    }

    /// The string form (`every:` in the largest exact unit).
    pub fn to_text(&self) -> String {
        match self {
            Specification::Table(t) => format!("table:{t}"),
            Specification::AllTables => "all_tables".into(),
            Specification::Every(ns) => {
                format!("every:{}", crate::influxdb::duration::format_duration(*ns))
            }
            Specification::Cron(c) => format!("cron:{c}"),
            Specification::Request(p) => format!("request:{p}"),
        }
    }

    pub fn is_request(&self) -> bool {
        matches!(self, Specification::Request(_))
    }
}

/// The server's specification (JSON) as the state keeps it: the state's own text when it
/// means the same, else the string form.
pub fn specification_text(current: Option<&str>, server_json: &str) -> String {
    let Some(server) = Specification::from_server(server_json) else {
        return server_json.to_owned();
    };
    match current.map(Specification::parse) {
        Some(Ok(c)) if c == server => current.unwrap_or_default().to_owned(),
        _ => server.to_text(),
    }
}

/// `every:1h` and `every:60m` are the same specification.
pub fn same_specification(a: &Value, b: &Value) -> bool {
    match (
        a.as_str().map(Specification::parse),
        b.as_str().map(Specification::parse),
    ) {
        (Some(Ok(a)), Some(Ok(b))) => a == b,
        _ => false,
    }
}

/// A validator for the string form.
pub fn validate_specification(s: &str) -> Result<(), String> {
    Specification::parse(s).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_as_the_server_parses_it() {
        assert_eq!(
            Specification::parse("table:cpu"),
            Ok(Specification::Table("cpu".into()))
        );
        assert_eq!(
            Specification::parse(" all_tables "),
            Ok(Specification::AllTables)
        );
        assert_eq!(
            Specification::parse("every:90m"),
            Ok(Specification::Every(5_400_000_000_000))
        );
        assert!(Specification::parse("cron:0 */5 * * * *").is_ok());
        assert!(Specification::parse("cron:*/5 * * * *").is_err());
        assert_eq!(
            Specification::parse("request:a/b"),
            Ok(Specification::Request("a/b".into()))
        );
        for bad in [
            "table:",
            "request: ",
            "every:bad",
            "every:0s",
            "every:400d",
            "bogus",
            "tables:x",
        ] {
            assert!(Specification::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_servers_json_maps_back_to_what_was_written() {
        let cases = [
            (
                "every:1h",
                r#"{"every":{"duration":{"secs":3600,"nanos":0}}}"#,
            ),
            (
                "every:500ms",
                r#"{"every":{"duration":{"secs":0,"nanos":500000000}}}"#,
            ),
            (
                "cron:0 */5 * * * *",
                r#"{"schedule":{"schedule":"0 */5 * * * *"}}"#,
            ),
            (
                "table:cpu",
                r#"{"single_table_wal_write":{"table_name":"cpu"}}"#,
            ),
            ("all_tables", r#""all_tables_wal_write""#),
            ("request:hello", r#"{"request_path":{"path":"hello"}}"#),
        ];
        for (text, json) in cases {
            assert_eq!(specification_text(Some(text), json), text);
            assert_eq!(specification_text(None, json), text);
        }
        assert_eq!(
            specification_text(Some("every:60m"), cases[0].1),
            "every:60m"
        );
        assert_eq!(specification_text(Some("every:2h"), cases[0].1), "every:1h");
    }
}
