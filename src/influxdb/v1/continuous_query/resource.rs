//! `influxdb_continuous_query` on InfluxDB 1.x: `name`, `database`, `query` (the `SELECT ...
//! INTO ...` between `BEGIN` and `END`) and `resample` (the clause after `RESAMPLE`). 1.x
//! cannot alter a continuous query, so any change replaces it (a drop and a create).
//!
//! The server stores its own rewrite of the query; the refresh keeps the configured text while
//! the stored one means the same ([`super::text`]), and shows the server's text when it does
//! not (a query dropped and made again with another body outside Terraform), which the plan
//! then replaces. Refresh reads one snapshot of every continuous query. Import by
//! `DATABASE:NAME`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::text::{same_query, same_resample};
use super::{continuous_queries_snapshot, create_statement, drop_statement, id_of};
use crate::engine::schema::Attribute;
use crate::engine::{
    AttributePath, Diagnostics, IdentityAttribute, IdentitySchema, OrError, PlanChange, Resource,
    Schema, Type, Value,
};
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::v1::client::{statement_error, Effect, V1Client};
use crate::influxdb::v1::influxql::check_name;

pub struct ContinuousQueryResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct ContinuousQueryState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub database: Option<String>,
    pub query: Option<String>,
    pub resample: Option<String>,
}

impl ContinuousQueryState {
    fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }
    fn database(&self) -> &str {
        self.database.as_deref().unwrap_or("")
    }
}

fn check_query(q: &str) -> Result<(), String> {
    let upper = q.trim_start().to_ascii_uppercase();
    if upper.starts_with("CREATE") {
        return Err("query is the SELECT statement alone (what goes between BEGIN and END), not the whole CREATE CONTINUOUS QUERY statement.".into());
    }
    if !upper.starts_with("SELECT") {
        return Err(format!(
            "query = {q:?} is not a SELECT statement; a continuous query is SELECT ... INTO ... FROM ... GROUP BY time(...)."
        ));
    }
    Ok(())
}

fn check_resample(r: &str) -> Result<(), String> {
    let upper = r.trim().to_ascii_uppercase();
    let upper = upper.strip_prefix("RESAMPLE ").unwrap_or(&upper);
    if upper.starts_with("EVERY ") || upper.starts_with("FOR ") {
        Ok(())
    } else {
        Err(format!(
            "resample = {r:?} is not a RESAMPLE clause; write for example \"EVERY 30m FOR 2h\"."
        ))
    }
}

impl ContinuousQueryResource {
    /// The state from the stored query, keeping the configured texts while they mean the same.
    fn from_server(
        prior: &ContinuousQueryState,
        row: &super::ContinuousQueryRow,
    ) -> ContinuousQueryState {
        let query = match &prior.query {
            Some(q) if same_query(q, &row.body, &row.database) => q.clone(),
            _ => row.body.clone(),
        };
        let resample = match (&prior.resample, &row.resample) {
            (Some(p), Some(s)) if same_resample(p, s) => Some(p.clone()),
            (_, s) => s.clone(),
        };
        ContinuousQueryState {
            id: Some(row.id.clone()),
            name: Some(row.name.clone()),
            database: Some(row.database.clone()),
            query: Some(query),
            resample,
        }
    }
}

#[async_trait]
impl Resource for ContinuousQueryResource {
    type Client = V1Client;
    type State = ContinuousQueryState;

    fn type_name(&self) -> &'static str {
        "influxdb_continuous_query"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A continuous query of InfluxDB 1.x. InfluxDB 1.x cannot alter a continuous query, so any change replaces it (drop, then create). The server stores its own rewrite of the query (quotes dropped, measurement names qualified, durations in their largest unit); the plan compares by meaning, so that rewrite is no change, while a query made again with another body outside Terraform is. Import by `DATABASE:NAME`.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("`DATABASE:NAME`.")
                    .use_state_for_unknown(),
                Attribute::required("name", Type::String)
                    .describe("The continuous query's name, unique in its database. A change replaces it.")
                    .requires_replace()
                    .validate_str("Invalid name", |s| check_name("continuous query", s)),
                Attribute::required("database", Type::String)
                    .describe("The database the query runs on; it must exist. A change replaces the query.")
                    .requires_replace()
                    .validate_str("Invalid database", |s| check_name("database", s)),
                Attribute::required("query", Type::String)
                    .describe("The `SELECT ... INTO ... FROM ... GROUP BY time(...)` statement (what goes between `BEGIN` and `END`). A change of meaning replaces the query; the server's rewrite of the same query is no change.")
                    .requires_replace()
                    .validate_str("Invalid query", check_query),
                Attribute::optional("resample", Type::String)
                    .describe("The `RESAMPLE` clause without the keyword, for example `\"EVERY 30m FOR 2h\"`. Unset: the server's default (the query runs once per `GROUP BY time()` interval over that interval). A change replaces the query.")
                    .requires_replace()
                    .validate_str("Invalid resample", check_resample),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("id", "`DATABASE:NAME`."),
            IdentityAttribute::optional("database", "The database."),
            IdentityAttribute::optional("name", "The continuous query's name."),
        ]))
    }

    /// At plan, for a create or a replacement: the credentials work and the provider's user is
    /// an admin (the snapshot's `SHOW CONTINUOUS QUERIES` needs it). A query of the same name
    /// may exist: a replacement drops it first.
    async fn check_server(&self, client: &V1Client, _planned: &Value, diags: &mut Diagnostics) {
        if let Err(e) = continuous_queries_snapshot(client).await {
            diags.error("Checking the server failed", e.to_string());
        }
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        if change.is_create() {
            return;
        }
        let database = change
            .config
            .attr("database")
            .as_str()
            .unwrap_or("")
            .to_owned();
        if let (Some(c), Some(p)) = (
            change.config.attr("query").as_str(),
            change.prior.attr("query").as_str(),
        ) {
            if c != p && same_query(c, p, &database) {
                change.planned.set_attr("query", Value::string(p));
            }
        }
        if let (Some(c), Some(p)) = (
            change.config.attr("resample").as_str(),
            change.prior.attr("resample").as_str(),
        ) {
            if c != p && same_resample(c, p) {
                change.planned.set_attr("resample", Value::string(p));
            }
        }
    }

    async fn create(
        &self,
        client: &V1Client,
        planned: ContinuousQueryState,
        diags: &mut Diagnostics,
    ) -> Option<ContinuousQueryState> {
        let (name, database) = (planned.name(), planned.database());
        let statement = create_statement(
            name,
            database,
            planned.resample.as_deref(),
            planned.query.as_deref().unwrap_or(""),
        );
        match client.send(&[statement], Effect::Idempotent).await {
            Ok(results) => {
                if let Some(e) = results.first().and_then(|r| r.error.as_deref()) {
                    let e = statement_error(e);
                    let attr = if e.is_not_found() {
                        "database"
                    } else {
                        "query"
                    };
                    let detail = if e.is_conflict() {
                        format!("{e}\n\nA continuous query named {name:?} with another query already exists in {database:?}. To manage it with Terraform, import it: terraform import ADDRESS {}", id_of(database, name))
                    } else {
                        e.to_string()
                    };
                    diags.attribute_error(
                        AttributePath::root(attr),
                        "Creating the continuous query failed",
                        detail,
                    );
                    return None;
                }
            }
            Err(e) => {
                diags.error("Creating the continuous query failed", e.error.to_string());
                return None;
            }
        }
        Some(ContinuousQueryState {
            id: Some(id_of(database, name)),
            ..planned
        })
    }

    async fn read(
        &self,
        client: &V1Client,
        current: ContinuousQueryState,
        diags: &mut Diagnostics,
    ) -> Option<ContinuousQueryState> {
        let id = id_of(current.database(), current.name());
        let all = continuous_queries_snapshot(client)
            .await
            .or_error(diags, "Reading the continuous query failed")?;
        let Some(row) = all.get(&id) else {
            diags.warning(
                "Continuous query dropped outside Terraform",
                format!("The continuous query {:?} of database {:?} no longer exists (dropping a database drops its continuous queries). It is removed from the state and the next apply creates it again.", current.name(), current.database()),
            );
            return None;
        };
        Some(Self::from_server(&current, row))
    }

    async fn update(
        &self,
        _client: &V1Client,
        _prior: ContinuousQueryState,
        planned: ContinuousQueryState,
        _diags: &mut Diagnostics,
    ) -> Option<ContinuousQueryState> {
        // Every argument replaces; only a texts' rewrite reaches here, which changes nothing.
        Some(planned)
    }

    async fn delete(
        &self,
        client: &V1Client,
        prior: ContinuousQueryState,
        diags: &mut Diagnostics,
    ) {
        let drop = drop_statement(prior.name(), prior.database());
        if let Err(e) = gone_is_ok(client.execute(&[drop]).await) {
            diags.error("Dropping the continuous query failed", e.to_string());
        }
    }

    /// By `DATABASE:NAME`.
    async fn import(
        &self,
        client: &V1Client,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<ContinuousQueryState> {
        if !id.contains(':') {
            diags.error(
                "Invalid import ID",
                format!("{id:?} is not DATABASE:NAME (for example metrics:cq_mean)."),
            );
            return None;
        }
        match continuous_queries_snapshot(client).await {
            Ok(all) => all
                .get(id)
                .map(|row| Self::from_server(&ContinuousQueryState::default(), row)),
            Err(e) => {
                diags.error("Importing the continuous query failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_follows_terraforms_rules_and_checks_the_texts() {
        ContinuousQueryResource.schema().check().unwrap();
        assert!(check_query("select 1").is_ok());
        assert!(check_query("CREATE CONTINUOUS QUERY x ON y BEGIN SELECT 1 END").is_err());
        assert!(check_resample("EVERY 1h").is_ok());
        assert!(check_resample("every 1h for 2h").is_ok());
        assert!(check_resample("1h").is_err());
    }
}
