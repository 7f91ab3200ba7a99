//! The answer of InfluxDB 1.x's `/query`: one result per statement (`statement_id`), each
//! with its series (`name`, `columns`, `values`) or its own `error`, and rows read from them
//! (a database, a user, a continuous query).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value as Json;

/// The whole answer: `{"results": [...]}`, or `{"error": "..."}` for a request the server
/// refused as a whole (for example a parse error).
#[derive(Deserialize, Debug, Default)]
pub struct QueryResponse {
    #[serde(default)]
    pub results: Vec<StatementResult>,
    #[serde(default)]
    pub error: Option<String>,
}

/// What one statement answered.
#[derive(Deserialize, Debug, Default, Clone)]
pub struct StatementResult {
    #[serde(default)]
    pub statement_id: usize,
    #[serde(default)]
    pub series: Vec<Series>,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Deserialize, Debug, Default, Clone)]
pub struct Series {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub columns: Vec<String>,
    #[serde(default)]
    pub values: Vec<Vec<Json>>,
}

/// One row of a series: its values by column name.
pub struct Row<'a> {
    /// The series' name (`SHOW CONTINUOUS QUERIES` names a series per database).
    pub series: Option<&'a str>,
    columns: &'a [String],
    values: &'a [Json],
}

impl<'a> Row<'a> {
    pub fn get(&self, column: &str) -> Option<&'a Json> {
        let i = self.columns.iter().position(|c| c == column)?;
        self.values.get(i)
    }

    /// A text column (`None` when absent or not text).
    pub fn text(&self, column: &str) -> Option<&'a str> {
        self.get(column).and_then(Json::as_str)
    }

    pub fn bool(&self, column: &str) -> Option<bool> {
        self.get(column).and_then(Json::as_bool)
    }

    pub fn int(&self, column: &str) -> Option<i64> {
        let v = self.get(column)?;
        v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
    }
}

impl StatementResult {
    /// Every row of every series.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.series.iter().flat_map(|s| {
            s.values.iter().map(move |v| Row {
                series: s.name.as_deref(),
                columns: &s.columns,
                values: v,
            })
        })
    }
}

/// A database as `SHOW DATABASES` and `SHOW RETENTION POLICIES ON` describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseRow {
    pub name: String,
    pub policies: Vec<RetentionPolicyRow>,
}

/// A row of `SHOW RETENTION POLICIES ON "db"`: durations as the server writes them
/// (`4320h0m0s`; infinite is `0s`).
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionPolicyRow {
    pub name: String,
    pub duration: String,
    pub shard_group_duration: String,
    pub replication: i64,
    pub default: bool,
}

impl RetentionPolicyRow {
    pub fn from_row(row: &Row<'_>) -> Option<RetentionPolicyRow> {
        Some(RetentionPolicyRow {
            name: row.text("name")?.to_owned(),
            duration: row.text("duration").unwrap_or("0s").to_owned(),
            shard_group_duration: row.text("shardGroupDuration").unwrap_or("").to_owned(),
            replication: row.int("replicaN").unwrap_or(1),
            default: row.bool("default").unwrap_or(false),
        })
    }
}

/// A user as the server describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub name: String,
    pub admin: bool,
    /// Database → `READ`, `WRITE` or `ALL` (rows reading `NO PRIVILEGES` left out).
    pub grants: BTreeMap<String, String>,
}

/// One continuous query as the server stores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContinuousQueryRow {
    /// `DATABASE:NAME`, the import ID and the snapshot's key.
    pub id: String,
    pub database: String,
    pub name: String,
    /// The `RESAMPLE` clause after the keyword (`EVERY 30m FOR 2h`), if any.
    pub resample: Option<String>,
    /// The query between `BEGIN` and `END`, as the server rewrote it.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_by_column() {
        let r: QueryResponse = serde_json::from_str(r#"{"results":[{"statement_id":0,"series":[{"columns":["name","duration","shardGroupDuration","replicaN","default"],"values":[["autogen","0s","168h0m0s",1,true]]}]},{"statement_id":1,"error":"database not found: x"}]}"#).unwrap();
        let rp: Vec<_> = r.results[0]
            .rows()
            .filter_map(|row| RetentionPolicyRow::from_row(&row))
            .collect();
        assert_eq!(rp[0].name, "autogen");
        assert_eq!(rp[0].shard_group_duration, "168h0m0s");
        assert_eq!(rp[0].replication, 1);
        assert!(rp[0].default);
        assert_eq!(r.results[1].error.as_deref(), Some("database not found: x"));
    }
}
