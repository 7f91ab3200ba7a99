//! An InfluxDB v2 task: a Flux script that InfluxDB runs on the schedule its
//! `option task = {...}` statement gives. Its state, the attributes its resource, data source
//! and list resource share, its API ([`api`]) and how its script is compared and checked
//! ([`flux`]).
//!
//! The server reads `name`, `every`, `cron` and `offset` from the script, so they are computed
//! attributes, read back from the server; the script is the one thing to configure.

pub mod api;
pub mod data_source;
pub mod flux;
pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};

use api::Task;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct TaskState {
    pub id: Option<String>,
    pub org_id: Option<String>,
    pub flux: Option<String>,
    pub status: Option<String>,
    pub description: Option<String>,
    pub name: Option<String>,
    pub every: Option<String>,
    pub cron: Option<String>,
    pub offset: Option<String>,
}

/// The state of a task as the API describes it (empty strings are null).
pub fn state_from(t: Task) -> TaskState {
    let some = |s: Option<String>| s.filter(|s| !s.is_empty());
    TaskState {
        id: Some(t.id),
        org_id: Some(t.org_id),
        flux: Some(t.flux),
        status: Some(
            t.status
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "active".into()),
        ),
        description: some(t.description),
        name: Some(t.name),
        every: some(t.every),
        cron: some(t.cron),
        offset: some(t.offset),
    }
}

pub mod doc {
    pub const ORG_ID: &str = "The organization's ID (16 hexadecimal digits).";
    pub const FLUX: &str = "The whole Flux script, with its `option task = { name: \"...\", every: 1h }` statement (InfluxDB reads the task's name and schedule from it: `name`, and exactly one of `every` and `cron`, optionally `offset`; durations in units up to `h`).";
    pub const STATUS: &str = "`\"active\"` (runs on its schedule) or `\"inactive\"`.";
    pub const NAME: &str = "The task's name, from the script's `option task`.";
    pub const EVERY: &str = "How often the task runs, from the script's `option task` (`every`), as InfluxDB shows it; null with `cron`.";
    pub const CRON: &str =
        "The task's cron schedule, from the script's `option task` (`cron`); null with `every`.";
    pub const OFFSET: &str = "The delay after each scheduled time, from the script's `option task` (`offset`), as InfluxDB shows it (hours, minutes, seconds: `90m` is `\"1h30m\"`); null without one.";
}
