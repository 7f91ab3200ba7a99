//! The task endpoints of `/api/v2` (`/tasks`) on [`V2Client`], their JSON bodies (the v2
//! OpenAPI's `Task`, `TaskCreateRequest`, `TaskUpdateRequest`), and the per-organization
//! refresh snapshots of tasks: a refresh of N tasks of one organization costs one paginated
//! listing (pages of [`TASK_PAGE`], the most the server serves).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::influxdb::http::{item, query, Listing, Snapshot};
use crate::influxdb::v2::{V2Client, V2CreateError, V2Error};

/// The largest page `GET /api/v2/tasks` serves (InfluxDB 2.7's `TaskMaxPageSize`).
pub const TASK_PAGE: usize = 500;

/// A task as the API shows it.
#[derive(Clone, Debug, Deserialize)]
pub struct Task {
    pub id: String,
    #[serde(rename = "orgID")]
    pub org_id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub flux: String,
    #[serde(default)]
    pub every: Option<String>,
    #[serde(default)]
    pub cron: Option<String>,
    #[serde(default)]
    pub offset: Option<String>,
}

#[derive(Deserialize)]
struct Tasks {
    #[serde(default)]
    tasks: Vec<Task>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CreateTask {
    #[serde(rename = "orgID")]
    pub org_id: String,
    pub flux: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What a PATCH changes; absent keys stay as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UpdateTask {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flux: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The task listings of this process, one per organization, dropped by every write.
#[derive(Default)]
pub struct TaskSnapshots {
    by_org: Mutex<HashMap<String, Arc<Snapshot<Task>>>>,
}

impl TaskSnapshots {
    fn of(&self, org_id: &str) -> Arc<Snapshot<Task>> {
        let mut m = self.by_org.lock().unwrap_or_else(|e| e.into_inner());
        m.entry(org_id.to_owned())
            .or_insert_with(|| Arc::new(Snapshot::new(|t: &Task| t.id.as_str())))
            .clone()
    }

    pub fn invalidate(&self) {
        let m = self.by_org.lock().unwrap_or_else(|e| e.into_inner());
        for s in m.values() {
            s.invalidate();
        }
    }
}

impl V2Client {
    pub async fn create_task(&self, body: &CreateTask) -> Result<Task, V2CreateError> {
        self.core.create("/tasks", body).await
    }

    pub async fn get_task(&self, id: &str) -> Result<Task, V2Error> {
        self.core.get(&item("/tasks", id)).await
    }

    pub async fn update_task(&self, id: &str, body: &UpdateTask) -> Result<Task, V2Error> {
        self.core.patch(&item("/tasks", id), body).await
    }

    pub async fn delete_task(&self, id: &str) -> Result<(), V2Error> {
        self.core.delete(&item("/tasks", id)).await
    }

    /// The tasks of `org_id` (all of them, or those named `name`), by ID, in pages of
    /// [`TASK_PAGE`] with `after`.
    pub async fn list_tasks(&self, org_id: &str, name: Option<&str>) -> Result<Vec<Task>, V2Error> {
        let mut all: Vec<Task> = Vec::new();
        let limit = TASK_PAGE.to_string();
        loop {
            let after = all.last().map(|t| t.id.clone());
            let q = query(&[
                ("orgID", Some(org_id)),
                ("name", name),
                ("limit", Some(&limit)),
                ("after", after.as_deref()),
            ]);
            let page: Tasks = self.core.get(&format!("/tasks{q}")).await?;
            let n = page.tasks.len();
            all.extend(page.tasks);
            if n < TASK_PAGE {
                return Ok(all);
            }
        }
    }

    /// The tasks of `org_id`, from this process's snapshot.
    pub async fn tasks_snapshot(&self, org_id: &str) -> Result<Arc<Listing<Task>>, V2Error> {
        self.snapshots()
            .tasks
            .of(org_id)
            .get(|| self.list_tasks(org_id, None))
            .await
    }

    /// A task for a refresh: from its organization's snapshot, else from one GET (a 404 there
    /// means it is gone).
    pub async fn read_task(&self, org_id: Option<&str>, id: &str) -> Result<Task, V2Error> {
        if let Some(org_id) = org_id {
            if let Some(t) = self.tasks_snapshot(org_id).await?.get(id) {
                return Ok(t.clone());
            }
        }
        self.get_task(id).await
    }
}
