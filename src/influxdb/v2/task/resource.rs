//! `influxdb_task`: a task of InfluxDB OSS v2 or Cloud Serverless, through `/api/v2/tasks`.
//!
//! - `flux`, `status` and `description` change in place (one PATCH, same ID); `org_id`
//!   replaces the task (the API cannot move one).
//! - `flux` is compared without its formatting ([`super::flux::same_script`]): a re-indented
//!   script, or one the server or a UI reformatted, is no change; any other edit, in the
//!   configuration or outside Terraform, is shown and applied.
//! - `name`, `every`, `cron` and `offset` are read from the server, which parses them from the
//!   script; they stay as they are while the script does, and are known after apply when it
//!   changes. The script's `option task` is checked at plan as InfluxDB checks it.
//! - Refreshes read from one paginated listing per organization per provider process
//!   ([`super::api`]).
//! - A create whose answer is lost looks for the task it may have made (same organization,
//!   same script) before failing, so that a retried apply does not schedule it twice.

use async_trait::async_trait;

use super::api::{CreateTask, UpdateTask};
use super::flux::{check_options, same_script};
use super::*;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{
    Diagnostics, IdentityAttribute, IdentitySchema, PlanChange, Resource, Schema, Type,
};
use crate::influxdb::http::gone_is_ok;
use crate::influxdb::v2::{validate_v2_id, V2Api};

pub struct TaskResource;

/// The attributes the server derives from the script.
const FROM_SCRIPT: [&str; 4] = ["name", "every", "cron", "offset"];

#[async_trait]
impl Resource for TaskResource {
    type Client = V2Api;
    type State = TaskState;

    fn type_name(&self) -> &'static str {
        "influxdb_task"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A task of InfluxDB OSS v2 or Cloud Serverless: a Flux script run on the schedule of its `option task`. Destroying the resource deletes the task (and its run history); the data it wrote stays.",
            vec![
                Attribute::computed("id", Type::String)
                    .describe("The task's ID.")
                    .use_state_for_unknown(),
                Attribute::optional_computed("org_id", Type::String)
                    .describe(&format!("{} Unset: the provider's `org` or `org_id`. A change replaces the task.", doc::ORG_ID))
                    .validate_str("Invalid org_id", validate_v2_id)
                    .requires_replace()
                    .use_state_for_unknown(),
                Attribute::required("flux", Type::String)
                    .describe(&format!("{} Updated in place (same ID). Compared without its formatting: re-indenting the script, or a server or UI that reformats it, is no change; any other edit, here or outside Terraform, is shown and applied. The `option task` statement is checked at plan.", doc::FLUX))
                    .validate_str("Invalid flux", check_options)
                    .semantic_equality(same_script),
                Attribute::optional_computed("status", Type::String)
                    .describe(&format!("{} Default `\"active\"`. Updated in place; a status changed outside Terraform is restored.", doc::STATUS))
                    .validate_str("Invalid status", validators::one_of(&["active", "inactive"]))
                    .default("active"),
                Attribute::optional("description", Type::String)
                    .describe("What the task is for. Updated in place.")
                    .validate_str("Invalid description", validators::not_empty),
                Attribute::computed("name", Type::String).describe(doc::NAME),
                Attribute::computed("every", Type::String).describe(doc::EVERY),
                Attribute::computed("cron", Type::String).describe(doc::CRON),
                Attribute::computed("offset", Type::String).describe(doc::OFFSET),
            ],
        )
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "id",
            "The task's ID (16 hexadecimal digits).",
        )]))
    }

    /// While the script stays, so does what the server read from it.
    fn modify_plan(&self, change: &mut PlanChange<'_>, _diags: &mut Diagnostics) {
        if change.is_create() || change.prior.attr("flux") != change.planned.attr("flux") {
            return;
        }
        for a in FROM_SCRIPT {
            let prior = change.prior.attr(a).clone();
            change.planned.set_attr(a, prior);
        }
    }

    async fn create(
        &self,
        api: &V2Api,
        planned: TaskState,
        diags: &mut Diagnostics,
    ) -> Option<TaskState> {
        let org_id = api
            .org_id(planned.org_id.as_deref(), "org_id", diags)
            .await?;
        let flux = planned.flux.clone().unwrap_or_default();
        let body = CreateTask {
            org_id: org_id.clone(),
            flux: flux.clone(),
            status: planned.status.clone().unwrap_or_else(|| "active".into()),
            description: planned.description.clone(),
        };
        let client = &api.client;
        match client.create_task(&body).await {
            Ok(t) => Some(state_from(t)),
            // The outcome is unknown: look for a task of the org with exactly this script.
            Err(e) if e.may_have_been_created() => {
                let found = client
                    .list_tasks(&org_id, None)
                    .await
                    .map(|l| l.into_iter().filter(|t| t.flux == flux).collect::<Vec<_>>());
                match found {
                    Ok(mut l) if l.len() == 1 => Some(state_from(l.remove(0))),
                    _ => {
                        diags.error("Creating the task failed", format!("{e}\n\nThe task may have been created: look for it in organization {org_id} (influx task list) before running terraform apply again, or import it."));
                        None
                    }
                }
            }
            Err(e) => {
                diags.error("Creating the task failed", e.to_string());
                None
            }
        }
    }

    async fn read(
        &self,
        api: &V2Api,
        current: TaskState,
        diags: &mut Diagnostics,
    ) -> Option<TaskState> {
        let id = current.id.clone().unwrap_or_default();
        match api.client.read_task(current.org_id.as_deref(), &id).await {
            Ok(t) => Some(state_from(t)),
            Err(e) if e.is_not_found() => {
                diags.warning(
                    "Task deleted outside Terraform",
                    format!("The task {:?} ({id}) no longer exists. It is removed from the state and the next apply creates it again (with a new ID).", current.name.as_deref().unwrap_or("")),
                );
                None
            }
            Err(e) => {
                diags.error("Reading the task failed", e.to_string());
                None
            }
        }
    }

    async fn update(
        &self,
        api: &V2Api,
        prior: TaskState,
        planned: TaskState,
        diags: &mut Diagnostics,
    ) -> Option<TaskState> {
        let id = prior.id.clone().unwrap_or_default();
        let changed = |p: &Option<String>, n: &Option<String>| {
            (p != n).then(|| n.clone().unwrap_or_default())
        };
        let body = UpdateTask {
            flux: changed(&prior.flux, &planned.flux),
            status: changed(&prior.status, &planned.status),
            description: changed(&prior.description, &planned.description),
        };
        if body == UpdateTask::default() {
            return Some(prior);
        }
        match api.client.update_task(&id, &body).await {
            Ok(t) => Some(state_from(t)),
            Err(e) => {
                diags.error("Updating the task failed", e.to_string());
                None
            }
        }
    }

    async fn delete(&self, api: &V2Api, prior: TaskState, diags: &mut Diagnostics) {
        let id = prior.id.unwrap_or_default();
        if let Err(e) = gone_is_ok(api.client.delete_task(&id).await) {
            diags.error("Deleting the task failed", e.to_string());
        }
    }

    /// By ID.
    async fn import(&self, api: &V2Api, id: &str, diags: &mut Diagnostics) -> Option<TaskState> {
        if let Err(e) = validate_v2_id(id) {
            diags.error(
                "Invalid import ID",
                format!("A task is imported by its ID. {e}"),
            );
            return None;
        }
        match api.client.get_task(id).await {
            Ok(t) => Some(state_from(t)),
            Err(e) if e.is_not_found() => None,
            Err(e) => {
                diags.error("Importing the task failed", e.to_string());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::server::plan;
    use crate::engine::Value;

    const SCRIPT: &str = "option task = {name: \"t\", every: 1h}\nfrom(bucket: \"a\") |> range(start: -1h) |> to(bucket: \"b\")\n";

    fn obj(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::empty_object(&TaskResource.schema().ty());
        for (k, x) in pairs {
            v.set_attr(k, x.clone());
        }
        v
    }

    fn existing() -> Value {
        obj(&[
            ("id", "00000000000000c1".into()),
            ("org_id", "00000000000000a1".into()),
            ("flux", SCRIPT.into()),
            ("status", "active".into()),
            ("name", "t".into()),
            ("every", "1h".into()),
        ])
    }

    fn run(prior: &Value, config: &Value) -> crate::engine::server::PlanOutcome {
        let mut d = Diagnostics::default();
        let out = plan(
            &TaskResource.schema(),
            prior,
            config,
            |c, d| TaskResource.modify_plan(c, d),
            &mut d,
        );
        assert!(!d.has_errors(), "{d:?}");
        out
    }

    #[test]
    fn the_schema_follows_terraforms_rules() {
        TaskResource.schema().check().unwrap();
    }

    #[test]
    fn a_reformatted_script_plans_nothing_and_a_status_change_keeps_the_schedule() {
        let prior = existing();
        let reformatted = SCRIPT.replace(" |> ", "\n  |> ");
        let out = run(&prior, &obj(&[("flux", reformatted.into())]));
        assert_eq!(out.planned, prior);
        let out = run(
            &prior,
            &obj(&[("flux", SCRIPT.into()), ("status", "inactive".into())]),
        );
        assert_eq!(out.planned.attr("every"), &Value::from("1h"));
        assert_eq!(out.planned.attr("id"), prior.attr("id"));
        let out = run(
            &prior,
            &obj(&[("flux", SCRIPT.replace("1h}", "2h}").into())]),
        );
        assert_eq!(out.planned.attr("every"), &Value::Unknown);
        assert!(out.requires_replace.is_empty());
    }
}
