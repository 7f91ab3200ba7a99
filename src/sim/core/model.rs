//! What the InfluxDB 3 Core/Enterprise family keeps, written from the server's catalog
//! (`influxdb3_catalog`) and its HTTP types: tokens (kept as a SHA-512, never the string),
//! databases (soft-deleted ones renamed `NAME-YYYYMMDDTHHMMSS`) with their processing-engine
//! triggers, their tables with tag and field columns and the tables' last-value and
//! distinct-value caches, the plugin files; and how times are written (RFC 3339 with `Z` in
//! API answers, zone-less in SQL rows, both at millisecond precision). Ids count up as the
//! catalog's do: databases from 1 (`_internal` is 0), tables per database, caches per table,
//! columns per table (tags, then fields, then `time` for a table the API creates).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The one database that always exists and cannot be created, changed or deleted.
pub const INTERNAL_DB: &str = "_internal";

/// The operator token's name.
pub const OPERATOR: &str = "_admin";

/// One permission of an Enterprise resource token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub resource_type: String,
    pub resource_names: Vec<String>,
    pub actions: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct TokenRecord {
    pub id: u64,
    pub name: String,
    pub sha512: String,
    pub created_ms: i64,
    /// `None`: never expires.
    pub expiry_ms: Option<i64>,
    /// `None`: an admin token (the operator token or a named admin token).
    pub permissions: Option<Vec<Permission>>,
    pub updated_ms: Option<i64>,
}

impl TokenRecord {
    pub fn expired(&self, now_ms: i64) -> bool {
        self.expiry_ms.is_some_and(|e| e <= now_ms)
    }
}

/// A column type as the table API writes it.
pub const FIELD_TYPES: &[&str] = &["utf8", "int64", "uint64", "float64", "bool"];

#[derive(Clone, Debug, Serialize)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A last-value cache of a table.
#[derive(Clone, Debug, Serialize)]
pub struct LastCacheRecord {
    pub id: u64,
    pub name: String,
    pub key_columns: Vec<String>,
    /// `None`: every column that is not a key column.
    pub value_columns: Option<Vec<String>>,
    pub count: u64,
    pub ttl_s: u64,
}

/// A distinct-value cache of a table.
#[derive(Clone, Debug, Serialize)]
pub struct DistinctCacheRecord {
    pub id: u64,
    pub name: String,
    pub columns: Vec<String>,
    pub max_cardinality: u64,
    pub max_age_s: u64,
}

/// A processing-engine trigger of a database.
#[derive(Clone, Debug, Serialize)]
pub struct TriggerRecord {
    pub name: String,
    pub plugin_filename: String,
    /// The specification as `system.processing_engine_triggers` writes it (JSON text).
    pub specification: String,
    pub arguments: Vec<(String, String)>,
    pub run_async: bool,
    pub error_behavior: String,
    pub disabled: bool,
}

/// A file of the plugin directory (the simulator keeps its content in memory).
#[derive(Clone, Debug, Serialize)]
pub struct PluginFileRecord {
    pub content: String,
    pub last_modified_ms: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct TableRecord {
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
    pub fields: Vec<Field>,
    /// Enterprise: the table's own retention (humantime text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<String>,
    /// A soft-deleted table is renamed `NAME-YYYYMMDDTHHMMSS` and kept, as the server does.
    pub deleted: bool,
    /// Seconds since the epoch; `None` when it is never hard-deleted (or is live).
    #[serde(skip)]
    pub hard_deletion_s: Option<i64>,
    /// Every column's name in the order of its id (`time` included).
    pub columns: Vec<String>,
    pub last_caches: Vec<LastCacheRecord>,
    pub distinct_caches: Vec<DistinctCacheRecord>,
    #[serde(skip)]
    pub next_last_cache_id: u64,
    #[serde(skip)]
    pub next_distinct_cache_id: u64,
}

impl TableRecord {
    /// A table as the API or a write makes it: columns numbered tags first, then fields,
    /// then `time`.
    pub fn new(id: u64, name: String, tags: Vec<String>, fields: Vec<Field>) -> TableRecord {
        let mut columns: Vec<String> = tags.clone();
        columns.extend(fields.iter().map(|f| f.name.clone()));
        columns.push("time".into());
        TableRecord {
            id,
            name,
            tags,
            fields,
            retention_period: None,
            deleted: false,
            hard_deletion_s: None,
            columns,
            last_caches: Vec::new(),
            distinct_caches: Vec::new(),
            next_last_cache_id: 0,
            next_distinct_cache_id: 0,
        }
    }

    /// A column's id.
    pub fn column_id(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct DatabaseRecord {
    pub id: u64,
    /// The current name: a soft-deleted database is renamed `NAME-YYYYMMDDTHHMMSS`.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_period_ns: Option<u64>,
    pub deleted: bool,
    /// Seconds since the epoch; `None` when it is never hard-deleted (or is live).
    #[serde(skip)]
    pub hard_deletion_s: Option<i64>,
    pub tables: BTreeMap<String, TableRecord>,
    #[serde(skip)]
    pub next_table_id: u64,
    /// In the order they were created.
    pub triggers: Vec<TriggerRecord>,
}

impl DatabaseRecord {
    pub fn new(id: u64, name: String, retention_period_ns: Option<u64>) -> DatabaseRecord {
        DatabaseRecord {
            id,
            name,
            retention_period_ns,
            deleted: false,
            hard_deletion_s: None,
            tables: BTreeMap::new(),
            next_table_id: 0,
            triggers: Vec::new(),
        }
    }

    /// A live table.
    pub fn live_table_mut(&mut self, name: &str) -> Option<&mut TableRecord> {
        self.tables.get_mut(name).filter(|t| !t.deleted)
    }
}

/// Everything the family keeps (in memory only).
#[derive(Default)]
pub struct Store {
    pub tokens: BTreeMap<u64, TokenRecord>,
    /// Token ids count up from 0 across all tokens.
    pub next_token_id: u64,
    /// The last database id given (`_internal` is 0, so the first is 1).
    pub next_db_id: u64,
    /// The plugin directory, by file name.
    pub plugin_files: BTreeMap<String, PluginFileRecord>,
    /// By current name.
    pub databases: BTreeMap<String, DatabaseRecord>,
    /// Reproduce influxdata/influxdb#27620 (Enterprise 3.11.3): a resource token created
    /// without an expiry expires when it is created. Set by `PUT /__sim/bugs`.
    pub bug_27620: bool,
}

impl Store {
    pub fn token_by_name(&self, name: &str) -> Option<&TokenRecord> {
        self.tokens.values().find(|t| t.name == name)
    }

    /// A live (not soft-deleted) database.
    pub fn live_db(&self, name: &str) -> Option<&DatabaseRecord> {
        self.databases.get(name).filter(|d| !d.deleted)
    }

    pub fn live_db_mut(&mut self, name: &str) -> Option<&mut DatabaseRecord> {
        self.databases.get_mut(name).filter(|d| !d.deleted)
    }

    /// A new live database `name` with the next id.
    pub fn add_db(&mut self, name: &str, retention_period_ns: Option<u64>) {
        self.next_db_id += 1;
        let d = DatabaseRecord::new(self.next_db_id, name.to_owned(), retention_period_ns);
        self.databases.insert(name.to_owned(), d);
    }
}

pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn datetime(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2025-04-18T14:02:45` plus `.331` when the milliseconds are not zero (chrono's and arrow's
/// way), without a zone.
fn naive(ms: i64) -> String {
    let t = datetime(ms);
    let base = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    match t.millisecond() {
        0 => base,
        m => format!("{base}.{m:03}"),
    }
}

/// How the token API writes a time: RFC 3339 with `Z`.
pub fn rfc3339(ms: i64) -> String {
    format!("{}Z", naive(ms))
}

/// How a `Timestamp(ms, no zone)` column reads in a JSON query answer.
pub fn sql_timestamp(ms: i64) -> String {
    naive(ms)
}

/// The name a database or table gets when soft-deleted at `ms`.
pub fn deleted_name(name: &str, ms: i64) -> String {
    let t = datetime(ms);
    format!(
        "{name}-{:04}{:02}{:02}T{:02}{:02}{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// humantime's durations as the server reads `retention_period`: `30d`, `24h`, `1h 30m`,
/// `2w`, `1y` (365.25 days), `1M` (30.44 days). Nanoseconds.
pub fn parse_humantime(s: &str) -> Option<u64> {
    let mut total: u128 = 0;
    let mut rest = s.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u128 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = rest[unit_len..].trim_start();
        let second: u128 = 1_000_000_000;
        let nanos = match unit {
            "ns" | "nsec" => 1,
            "us" | "usec" => 1_000,
            "ms" | "msec" => 1_000_000,
            "s" | "sec" | "secs" | "second" | "seconds" => second,
            "m" | "min" | "mins" | "minute" | "minutes" => 60 * second,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600 * second,
            "d" | "day" | "days" => 86_400 * second,
            "w" | "week" | "weeks" => 7 * 86_400 * second,
            "M" | "month" | "months" => 2_630_016 * second,
            "y" | "year" | "years" => 31_557_600 * second,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(nanos)?)?;
    }
    u64::try_from(total).ok()
}

/// The server's `validate_db_name`: ASCII letters, digits, `_` and `-`, starting with a letter
/// or a digit, one `/` allowed (not last), at most 511 bytes.
pub fn validate_db_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("db name cannot be empty");
    }
    if name.len() > 511 {
        return Err("db name exceeds the 511 byte limit");
    }
    if !name.as_bytes()[0].is_ascii_alphanumeric() {
        return Err("db name did not start with a number or letter");
    }
    if name.matches('/').count() > 1 || name.ends_with('/') {
        return Err("db name may contain one '/' that is not its last character");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'/'))
    {
        return Err("invalid character in database or rp name: must be ASCII, containing only letters, numbers, underscores, or hyphens");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_humantime_reads_them() {
        let day = 86_400_000_000_000u64;
        assert_eq!(parse_humantime("30d"), Some(30 * day));
        assert_eq!(parse_humantime("1h 30m"), Some(5_400_000_000_000));
        assert_eq!(parse_humantime("2w"), Some(14 * day));
        assert_eq!(parse_humantime("forever"), None);
        assert_eq!(parse_humantime(""), None);
    }

    #[test]
    fn times_are_written_at_millisecond_precision() {
        assert_eq!(rfc3339(1_745_000_000_000), "2025-04-18T18:13:20Z");
        assert_eq!(sql_timestamp(1_745_000_000_331), "2025-04-18T18:13:20.331");
        assert_eq!(
            deleted_name("foo", 1_745_000_000_331),
            "foo-20250418T181320"
        );
    }

    #[test]
    fn database_names_follow_the_servers_rule() {
        assert!(validate_db_name("sensors_1-a").is_ok());
        assert!(validate_db_name("db/rp").is_ok());
        assert!(validate_db_name("_x").is_err());
        assert!(validate_db_name("a b").is_err());
        assert!(validate_db_name("a/").is_err());
    }
}
