//! Tables of a database: create (within the database's `maxTables`), rename and delete. The
//! API has no call that reads tables; `GET /__sim/state` shows them.

use serde_json::json;

use super::model::{CreateTableBody, TableRecord};
use super::{
    bad_request, error, move_entry, not_found, parse_body, rename_body, rules, Management,
};
use crate::sim::harness::http::{json_response, no_content, Resp};

impl Management {
    /// `CreateClusterDatabaseTable`.
    pub(super) fn create_table(&self, database: &str, body: &[u8]) -> Resp {
        let b: CreateTableBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        let template = b.partition_template.as_deref();
        let checked = rules::table_name(&b.name).and_then(|_| rules::optional_template(template));
        let partition_template = match checked {
            Ok(p) => p,
            Err(e) => return bad_request(e),
        };
        let mut store = self.lock();
        store.last_id += 1;
        let id = store.last_id;
        let Some(db) = store.databases.get_mut(database) else {
            return not_found();
        };
        if db.tables.contains_key(&b.name) {
            return error(409, "conflict: a table with this name already exists");
        }
        if db.tables.len() as i64 >= db.max_tables {
            return bad_request(format!(
                "the database already has its maximum of {} tables (maxTables)",
                db.max_tables
            ));
        }
        let table = TableRecord {
            id,
            name: b.name.clone(),
            partition_template,
        };
        db.tables.insert(b.name, table.clone());
        json_response(200, &self.table_view(database, &table))
    }

    /// `RenameClusterDatabaseTable`.
    pub(super) fn rename_table(&self, database: &str, name: &str, body: &[u8]) -> Resp {
        let new_name = match rename_body(body, rules::table_name) {
            Ok(n) => n,
            Err(e) => return bad_request(e),
        };
        let mut store = self.lock();
        let Some(db) = store.databases.get_mut(database) else {
            return not_found();
        };
        let conflict = "conflict: a table with this name already exists";
        let table = match move_entry(&mut db.tables, name, &new_name, conflict) {
            Ok(t) => t,
            Err(resp) => return *resp,
        };
        table.name = new_name;
        let mut view = self.table_view(database, table);
        view["id"] = json!(table.id);
        json_response(200, &view)
    }

    /// `DeleteClusterDatabaseTable`.
    pub(super) fn delete_table(&self, database: &str, name: &str) -> Resp {
        let mut store = self.lock();
        let Some(db) = store.databases.get_mut(database) else {
            return not_found();
        };
        if db.tables.remove(name).is_none() {
            return not_found();
        }
        no_content()
    }
}
