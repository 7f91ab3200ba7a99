//! `influxdb_task` data source: one task of InfluxDB OSS v2 / Cloud Serverless, by ID or by
//! name (in `org_id`, or the provider's organization). Task names need not be unique: a name
//! that several tasks share is an error that lists their IDs.

use async_trait::async_trait;

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, DataSource, Diagnostics, Schema, Type, Value};
use crate::influxdb::v2::{by_id_or_name, validate_v2_id, V2Api};

pub struct TaskDataSource;

#[async_trait]
impl DataSource for TaskDataSource {
    type Client = V2Api;
    type Model = TaskState;

    fn type_name(&self) -> &'static str {
        "influxdb_task"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "One task of InfluxDB OSS v2 or Cloud Serverless, by `id` or by `name`. Fails when there is no such task, or when several tasks have the name.",
            vec![
                Attribute::optional_computed("id", Type::String)
                    .describe("The task's ID. Set `id` or `name`, not both.")
                    .validate_str("Invalid id", validate_v2_id),
                Attribute::optional_computed("name", Type::String)
                    .describe("The task's name, looked up in `org_id`. Set `id` or `name`, not both."),
                Attribute::optional_computed("org_id", Type::String)
                    .describe(&format!("{} With `name`, unset: the provider's organization.", doc::ORG_ID))
                    .validate_str("Invalid org_id", validate_v2_id),
                Attribute::computed("flux", Type::String).describe("The task's Flux script, as the server keeps it."),
                Attribute::computed("status", Type::String).describe(doc::STATUS),
                Attribute::computed("description", Type::String).describe("The task's description; null when empty."),
                Attribute::computed("every", Type::String).describe(doc::EVERY),
                Attribute::computed("cron", Type::String).describe(doc::CRON),
                Attribute::computed("offset", Type::String).describe(doc::OFFSET),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        by_id_or_name::validate(config, "task", diags);
    }

    async fn read(
        &self,
        api: &V2Api,
        config: TaskState,
        diags: &mut Diagnostics,
    ) -> Option<TaskState> {
        let client = &api.client;
        let found = match (&config.id, &config.name) {
            (Some(id), _) => match client.get_task(id).await {
                Ok(t) => Ok(vec![t]),
                Err(e) if e.is_not_found() => Ok(Vec::new()),
                Err(e) => Err(e),
            },
            (None, Some(name)) => {
                let org_id = api
                    .org_id(config.org_id.as_deref(), "org_id", diags)
                    .await?;
                client
                    .list_tasks(&org_id, Some(name))
                    .await
                    .map(|l| l.into_iter().filter(|t| &t.name == name).collect())
            }
            (None, None) => return None,
        };
        match found {
            Ok(mut l) if l.len() == 1 => Some(state_from(l.remove(0))),
            Ok(l) if l.is_empty() => {
                let (id, name) = (config.id.as_deref(), config.name.as_deref());
                by_id_or_name::not_found(id, name, "task", diags);
                None
            }
            Ok(l) => {
                let ids: Vec<&str> = l.iter().map(|t| t.id.as_str()).collect();
                diags.attribute_error(
                    AttributePath::root("name"),
                    "Several tasks have this name",
                    format!(
                        "{} tasks are named {:?} ({}); find the one you mean by id.",
                        l.len(),
                        config.name.as_deref().unwrap_or(""),
                        ids.join(", ")
                    ),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the task failed", e.to_string());
                None
            }
        }
    }
}
