//! Database renames planned in this provider process, so that a table whose `database` follows
//! a rename of its database (`database = influxdb_database.x.name`) moves with it in place
//! instead of being replaced (the API renames a database with its tables and data).
//!
//! Terraform plans a database before the tables that refer to it, in the same provider process,
//! and plans again in the same order before applying; so the table's plan, made in either phase,
//! sees the rename its database planned, and both phases decide the same.

use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct PlannedRenames(Mutex<HashMap<String, String>>);

impl PlannedRenames {
    /// The database `old` is planned to be renamed to `new`.
    pub fn record(&self, old: &str, new: &str) {
        let mut m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.insert(old.to_owned(), new.to_owned());
    }

    /// Whether the database `old` is planned to be renamed to `new`.
    pub fn is_planned(&self, old: &str, new: &str) -> bool {
        let m = self.0.lock().unwrap_or_else(|e| e.into_inner());
        m.get(old).is_some_and(|n| n == new)
    }
}
