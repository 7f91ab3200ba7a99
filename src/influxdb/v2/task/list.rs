//! `list "influxdb_task"`: the tasks of an organization of InfluxDB OSS v2 / Cloud
//! Serverless, as `influxdb_task` resources, for `terraform query`.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::*;
use crate::engine::schema::Attribute;
use crate::engine::{Diagnostics, ListResource, Listed, Schema, Type};
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct TaskList;

#[derive(Serialize, Deserialize, Default)]
pub struct TaskListConfig {
    pub org_id: Option<String>,
}

#[async_trait]
impl ListResource for TaskList {
    type Client = V2Api;
    type Config = TaskListConfig;
    type State = TaskState;

    fn type_name(&self) -> &'static str {
        "influxdb_task"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "Lists the tasks of an organization for `terraform query` (Terraform 1.14 or later): those of `org_id` when set, else of the provider's organization.",
            vec![Attribute::optional("org_id", Type::String)
                .describe("The organization whose tasks are listed (16 hexadecimal digits).")
                .validate_str("Invalid org_id", validate_v2_id)],
        )
    }

    async fn list(
        &self,
        api: &V2Api,
        config: TaskListConfig,
        diags: &mut Diagnostics,
    ) -> Vec<Listed<TaskState>> {
        let Some(org_id) = api.org_id(config.org_id.as_deref(), "org_id", diags).await else {
            return Vec::new();
        };
        let list = match api.client.list_tasks(&org_id, None).await {
            Ok(l) => l,
            Err(e) => {
                diags.error("Listing the tasks failed", e.to_string());
                return Vec::new();
            }
        };
        let mut out: Vec<Listed<TaskState>> = list
            .into_iter()
            .map(|t| {
                let state = state_from(t);
                Listed {
                    display_name: state.name.clone().unwrap_or_default(),
                    state,
                }
            })
            .collect();
        out.sort_by(|a, b| (&a.display_name, &a.state.id).cmp(&(&b.display_name, &b.state.id)));
        out
    }
}
