//! The `influxdb_database` data source on InfluxDB 1.x: one database by name, with its
//! retention policies (every one, `autogen` included) and the default policy's duration.

use async_trait::async_trait;

use super::resource::valid_name;
use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{DataSource, Diagnostics, OrError, Schema, Type};
use crate::influxdb::database::not_found;
use crate::influxdb::v1::V1Client;

pub struct DatabaseDataSource;

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct DatabaseModel {
    pub name: Option<String>,
    pub retention_period: Option<String>,
    pub retention_policies: Option<Vec<PolicyState>>,
}

fn policy_type() -> Type {
    Type::object([
        ("name".to_owned(), Type::String),
        ("duration".to_owned(), Type::String),
        ("replication".to_owned(), Type::Number),
        ("shardgroupduration".to_owned(), Type::String),
        ("default".to_owned(), Type::Bool),
    ])
}

/// The default policy's duration in canonical form, null for infinite (or no default).
pub fn default_retention(row: &DatabaseRow) -> Option<String> {
    row.policies
        .iter()
        .find(|p| p.default)
        .and_then(|p| duration_ns(&p.duration).ok())
        .filter(|ns| *ns > 0)
        .map(crate::influxdb::duration::format_duration)
}

#[async_trait]
impl DataSource for DatabaseDataSource {
    type Client = V1Client;
    type Model = DatabaseModel;

    fn type_name(&self) -> &'static str {
        "influxdb_database"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Reads one database of InfluxDB 1.x by name, with its retention policies.",
            vec![
                Attribute::required("name", Type::String)
                    .describe(doc::NAME)
                    .validate_str("Invalid database name", valid_name),
                Attribute::computed("retention_period", Type::String).describe(
                    "The duration of the database's default retention policy, in canonical form (`\"30d\"`); null for infinite.",
                ),
                Attribute::computed("retention_policies", Type::list(policy_type())).describe(
                    "Every retention policy of the database (`autogen` included), as the server describes it: `name`, `duration` and `shardgroupduration` (Go durations such as `\"4320h0m0s\"`, infinite is `\"0s\"`), `replication` and `default`.",
                ),
            ],
        )
    }

    async fn read(
        &self,
        client: &V1Client,
        config: DatabaseModel,
        diags: &mut Diagnostics,
    ) -> Option<DatabaseModel> {
        let name = config.name.unwrap_or_default();
        let row = client
            .read_database(&name)
            .await
            .or_error(diags, "Reading the database failed")?;
        let Some(row) = row else {
            return not_found(&name, diags);
        };
        Some(DatabaseModel {
            retention_period: default_retention(&row),
            retention_policies: Some(row.policies.iter().map(PolicyState::from_row).collect()),
            name: Some(name),
        })
    }
}
