//! Databases: list, create, update (limits and retention), delete (with tables and data) and
//! rename (ID, settings, tables and data move to the new name).

use std::collections::BTreeMap;

use serde_json::json;

use super::model::{CreateDatabaseBody, DatabaseRecord, UpdateDatabaseBody};
use super::{
    bad_request, error, move_entry, not_found, parse_body, rename_body, rules, Management,
};
use crate::sim::harness::http::{json_response, no_content, Resp};

const DEFAULT_MAX_TABLES: i64 = 500;
const DEFAULT_MAX_COLUMNS_PER_TABLE: i64 = 250;

impl Management {
    pub(super) fn list_databases(&self) -> Resp {
        let store = self.lock();
        let list: Vec<_> = store
            .databases
            .values()
            .map(|d| self.database_view(d))
            .collect();
        json_response(200, &list)
    }

    pub(super) fn create_database(&self, body: &[u8]) -> Resp {
        let b: CreateDatabaseBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        let template = b.partition_template.as_deref();
        let checked = rules::database_name(&b.name)
            .and_then(|_| rules::limit("maxTables", b.max_tables))
            .and_then(|_| rules::limit("maxColumnsPerTable", b.max_columns_per_table))
            .and_then(|_| rules::retention(b.retention_period))
            .and_then(|_| rules::optional_template(template));
        let partition_template = match checked {
            Ok(p) => p,
            Err(e) => return bad_request(e),
        };
        let mut store = self.lock();
        if store.databases.contains_key(&b.name) {
            return error(409, "conflict: a database with this name already exists");
        }
        store.last_id += 1;
        let db = DatabaseRecord {
            id: store.last_id,
            name: b.name.clone(),
            max_tables: b.max_tables.unwrap_or(DEFAULT_MAX_TABLES),
            max_columns_per_table: b
                .max_columns_per_table
                .unwrap_or(DEFAULT_MAX_COLUMNS_PER_TABLE),
            retention_period: b.retention_period.unwrap_or(0),
            partition_template,
            tables: BTreeMap::new(),
            data_marker: None,
        };
        let view = self.database_view(&db);
        store.databases.insert(b.name, db);
        json_response(200, &view)
    }

    pub(super) fn update_database(&self, name: &str, body: &[u8]) -> Resp {
        let b: UpdateDatabaseBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if b.max_tables.is_none()
            && b.max_columns_per_table.is_none()
            && b.retention_period.is_none()
        {
            return bad_request(
                "the body must set at least one of maxTables, maxColumnsPerTable or retentionPeriod",
            );
        }
        if let Err(e) = rules::limit("maxTables", b.max_tables)
            .and_then(|_| rules::limit("maxColumnsPerTable", b.max_columns_per_table))
            .and_then(|_| rules::retention(b.retention_period))
        {
            return bad_request(e);
        }
        let mut store = self.lock();
        let Some(db) = store.databases.get_mut(name) else {
            return not_found();
        };
        if let Some(v) = b.max_tables {
            db.max_tables = v;
        }
        if let Some(v) = b.max_columns_per_table {
            db.max_columns_per_table = v;
        }
        if let Some(v) = b.retention_period {
            db.retention_period = v;
        }
        json_response(200, &self.database_view(db))
    }

    pub(super) fn delete_database(&self, name: &str) -> Resp {
        if self.lock().databases.remove(name).is_none() {
            return not_found();
        }
        no_content()
    }

    /// `RenameClusterDatabase`: the record (ID, settings, tables, data) moves to the new name.
    pub(super) fn rename_database(&self, name: &str, body: &[u8]) -> Resp {
        let new_name = match rename_body(body, rules::database_name) {
            Ok(n) => n,
            Err(e) => return bad_request(e),
        };
        let mut store = self.lock();
        let conflict = "conflict: a database with this name already exists";
        let db = match move_entry(&mut store.databases, name, &new_name, conflict) {
            Ok(db) => db,
            Err(resp) => return *resp,
        };
        db.name = new_name;
        let mut view = self.database_view(db);
        view["id"] = json!(db.id);
        json_response(200, &view)
    }
}
