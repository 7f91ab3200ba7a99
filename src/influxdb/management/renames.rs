//! Database renames planned in this provider process, so that a table whose `database` follows
//! a rename of its database (`database = influxdb_database.x.name`) moves with it in place
//! instead of being replaced (the API renames a database with its tables and data).
//!
//! Terraform plans a database before the tables that refer to it, in the same provider process,
//! and plans again in the same order before applying; so the table's plan, made in either phase,
//! sees the rename its database planned, and both phases decide the same.
//!
//! The test below plans both resources, the one place where a database and a table meet.

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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::server::plan;
    use crate::engine::{AttributePath, Diagnostics, Resource, Value};
    use crate::influxdb::management::database::resource::DatabaseResource;
    use crate::influxdb::management::table::TableResource;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let schema = TableResource::default().schema();
        let mut v = Value::empty_object(&schema.ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    #[test]
    fn a_table_follows_a_planned_rename_of_its_database_in_place() {
        let renames = Arc::new(PlannedRenames::default());
        let table = TableResource {
            renames: renames.clone(),
        };
        let prior = obj(&[("database", "db".into()), ("name", "cpu".into())]);
        let config = obj(&[("database", "db2".into()), ("name", "cpu".into())]);
        let plan_with = |t: &TableResource| {
            let mut d = Diagnostics::default();
            plan(
                &t.schema(),
                &prior,
                &config,
                |c, d| t.modify_plan(c, d),
                &mut d,
            )
        };
        assert_eq!(
            plan_with(&table).requires_replace,
            vec![AttributePath::root("database")]
        );
        // The database's own plan records the rename first (Terraform plans it first).
        let db = DatabaseResource { renames };
        let db_prior = {
            let mut v = Value::empty_object(&db.schema().ty());
            v.set_attr("name", "db".into());
            v.set_attr("deletion_protection", Value::Bool(false));
            v
        };
        let mut db_config = Value::empty_object(&db.schema().ty());
        db_config.set_attr("name", "db2".into());
        let mut d = Diagnostics::default();
        plan(
            &db.schema(),
            &db_prior,
            &db_config,
            |c, d| db.modify_plan(c, d),
            &mut d,
        );
        let out = plan_with(&table);
        assert!(
            out.requires_replace.is_empty(),
            "{:?}",
            out.requires_replace
        );
        assert_eq!(out.planned.attr("database"), &Value::from("db2"));
    }
}
