//! The `/api/v3` calls and bodies of the last-value and distinct-value caches, the processing
//! engine's plugin files and triggers, and the rows of the system tables that show them
//! (`system.last_caches`, `system.distinct_caches`, `system.processing_engine_triggers`,
//! `system.processing_engine_trigger_arguments` of each database). Written from the server's
//! `influxdb3_server/src/http.rs`, `influxdb3_types` and `influxdb3_system_tables`, and checked
//! against a real InfluxDB 3 Core server:
//! - a cache create answers 201 with the catalog operation, which names the cache (the server
//!   makes a default name such as `cpu_host_region_last_cache`); a taken name is 409;
//! - a trigger create answers 200 with no body; a missing plugin file or a bad specification
//!   is a 500 with a plain-text reason;
//! - a plugin file is written with `POST /api/v3/plugins/files` (create or overwrite); no call
//!   deletes one.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::client::{sql_text, CoreClient};
use crate::influxdb::http::{query, CreateError, HttpError};

/// `POST /api/v3/configure/last_cache`. Unset fields take the server's defaults (key columns:
/// the table's tags; value columns: every other column; count 1; ttl 4 hours).
#[derive(Clone, Debug, Serialize)]
pub struct CreateLastCache {
    pub db: String,
    pub table: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_columns: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_columns: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u64>,
}

/// `POST /api/v3/configure/distinct_cache`. Unset fields take the server's defaults
/// (max_cardinality 100000, max_age 1 day).
#[derive(Clone, Debug, Serialize)]
pub struct CreateDistinctCache {
    pub db: String,
    pub table: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub columns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_cardinality: Option<u64>,
    /// Seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u64>,
}

/// A row of a database's `system.last_caches`; `value_column_names` is absent when the cache
/// keeps every non-key column.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct LastCacheRow {
    pub table: String,
    pub name: String,
    #[serde(default)]
    pub key_column_names: Vec<String>,
    pub value_column_names: Option<Vec<String>>,
    pub count: u64,
    /// Seconds.
    pub ttl: u64,
}

/// A row of a database's `system.distinct_caches`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct DistinctCacheRow {
    pub table: String,
    pub name: String,
    #[serde(default)]
    pub column_names: Vec<String>,
    pub max_cardinality: u64,
    pub max_age_seconds: u64,
}

/// `POST /api/v3/plugins/files`: writes (creates or overwrites) a file of the plugin directory.
#[derive(Clone, Serialize)]
pub struct PluginFileBody {
    pub plugin_name: String,
    pub content: String,
}

/// The `trigger_settings` of a trigger create.
#[derive(Clone, Debug, Serialize)]
pub struct TriggerSettings {
    pub run_async: bool,
    /// `log`, `retry` or `disable`.
    pub error_behavior: String,
}

/// `POST /api/v3/configure/processing_engine_trigger`.
#[derive(Clone, Debug, Serialize)]
pub struct CreateTrigger {
    pub db: String,
    pub trigger_name: String,
    pub plugin_filename: String,
    pub trigger_specification: String,
    pub trigger_arguments: Option<BTreeMap<String, String>>,
    pub trigger_settings: TriggerSettings,
    pub disabled: bool,
}

/// A row of a database's `system.processing_engine_triggers`: the specification as JSON
/// (`{"every":{"duration":{"secs":10,"nanos":0}}}`, `"all_tables_wal_write"`, ...); no
/// `run_async`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TriggerRow {
    pub trigger_name: String,
    pub plugin_filename: String,
    pub trigger_specification: String,
    pub disabled: bool,
    pub error_behavior: String,
}

/// A row of a database's `system.processing_engine_trigger_arguments`.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TriggerArgumentRow {
    pub trigger_name: String,
    pub argument_key: String,
    pub argument_value: String,
}

/// The cache name a create answer names: the first `name` or `cache_name` of its operations.
fn created_cache_name(answer: &serde_json::Value) -> Option<String> {
    let ops = answer.pointer("/catalog_batch/Database/ops")?.as_array()?;
    ops.iter().find_map(|op| {
        let inner = op.as_object()?.values().next()?;
        inner
            .get("name")
            .or_else(|| inner.get("cache_name"))?
            .as_str()
            .map(str::to_owned)
    })
}

impl CoreClient {
    // ---- caches ----

    /// Creates a cache of kind `api` (`last_cache`, `distinct_cache`); the answer's cache name
    /// (the server's default when `name` was not given), `None` when the answer does not say.
    pub async fn create_cache(
        &self,
        api: &str,
        body: &(impl Serialize + Sync),
    ) -> Result<Option<String>, CreateError> {
        let answer: serde_json::Value = self
            .core
            .create(&format!("/api/v3/configure/{api}"), body)
            .await?;
        Ok(created_cache_name(&answer))
    }

    pub async fn delete_cache(
        &self,
        api: &str,
        db: &str,
        table: &str,
        name: &str,
    ) -> Result<(), HttpError> {
        let q = query(&[
            ("db", Some(db)),
            ("table", Some(table)),
            ("name", Some(name)),
        ]);
        self.core
            .delete(&format!("/api/v3/configure/{api}{q}"))
            .await
    }

    /// The caches of kind `api` of a database, from `system.{api}s` (404 when the database
    /// does not exist).
    pub async fn caches<R: DeserializeOwned>(
        &self,
        api: &str,
        db: &str,
    ) -> Result<Vec<R>, HttpError> {
        self.query(db, &format!("SELECT * FROM system.{api}s"))
            .await
    }

    // ---- the processing engine ----

    /// Writes a plugin file (creates or overwrites it). Repeating it is harmless.
    pub async fn write_plugin_file(&self, body: &PluginFileBody) -> Result<(), HttpError> {
        self.core
            .send_empty(Method::POST, "/api/v3/plugins/files", Some(body))
            .await
    }

    pub async fn create_trigger(&self, body: &CreateTrigger) -> Result<(), CreateError> {
        self.core
            .post_once("/api/v3/configure/processing_engine_trigger", body)
            .await
    }

    /// Enables (`true`) or disables a trigger; doing it twice is harmless.
    pub async fn set_trigger_enabled(
        &self,
        db: &str,
        name: &str,
        enabled: bool,
    ) -> Result<(), HttpError> {
        let q = query(&[("db", Some(db)), ("trigger_name", Some(name))]);
        let verb = if enabled { "enable" } else { "disable" };
        self.core
            .send_empty::<()>(
                Method::POST,
                &format!("/api/v3/configure/processing_engine_trigger/{verb}{q}"),
                None,
            )
            .await
    }

    /// Deletes a trigger, enabled or not (`force=true`).
    pub async fn delete_trigger(&self, db: &str, name: &str) -> Result<(), HttpError> {
        let q = query(&[
            ("db", Some(db)),
            ("trigger_name", Some(name)),
            ("force", Some("true")),
        ]);
        self.core
            .delete(&format!("/api/v3/configure/processing_engine_trigger{q}"))
            .await
    }

    /// The trigger named `name` of a database, with its arguments; `None` when there is none
    /// (a missing database is a 404 error).
    pub async fn find_trigger(
        &self,
        db: &str,
        name: &str,
    ) -> Result<Option<(TriggerRow, BTreeMap<String, String>)>, HttpError> {
        let rows: Vec<TriggerRow> = self
            .query(db, "SELECT * FROM system.processing_engine_triggers")
            .await?;
        let Some(row) = rows.into_iter().find(|r| r.trigger_name == name) else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT * FROM system.processing_engine_trigger_arguments WHERE trigger_name = {}",
            sql_text(name)
        );
        let args: Vec<TriggerArgumentRow> = self.query(db, &sql).await?;
        let args = args
            .into_iter()
            .filter(|a| a.trigger_name == name)
            .map(|a| (a.argument_key, a.argument_value))
            .collect();
        Ok(Some((row, args)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_created_cache_is_named_by_the_answer() {
        let last = serde_json::json!({"catalog_batch":{"Database":{"database_name":"db1","ops":[
            {"CreateLastCache":{"table":"cpu","id":0,"name":"cpu_host_region_last_cache","count":1}}]}},"sequence_number":7});
        assert_eq!(
            created_cache_name(&last).as_deref(),
            Some("cpu_host_region_last_cache")
        );
        let distinct = serde_json::json!({"catalog_batch":{"Database":{"ops":[
            {"CreateDistinctCache":{"table_name":"cpu","cache_name":"dc2","max_age_seconds":3600}}]}}});
        assert_eq!(created_cache_name(&distinct).as_deref(), Some("dc2"));
        assert_eq!(created_cache_name(&serde_json::json!({})), None);
    }

    #[test]
    fn rows_read_as_the_server_writes_them() {
        let rows: Vec<LastCacheRow> = serde_json::from_str(r#"[{"table":"cpu","name":"c","key_column_ids":[0,1],"key_column_names":["host","region"],"count":1,"ttl":14400}]"#).unwrap();
        assert_eq!(rows[0].value_column_names, None);
        let rows: Vec<TriggerRow> = serde_json::from_str(r#"[{"trigger_name":"t1","plugin_filename":"hello.py","trigger_specification":"{\"request_path\":{\"path\":\"hello\"}}","disabled":false,"error_behavior":"log"}]"#).unwrap();
        assert_eq!(rows[0].trigger_name, "t1");
    }
}
