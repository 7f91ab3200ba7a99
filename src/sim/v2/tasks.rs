//! `/api/v2/tasks`: list (filters `orgID`, `org`, `name`, `status`; pages of `limit` (1 to
//! 500, default 100) by ID with `after`), create, get, patch (`flux`, `status`,
//! `description`, and the options `name`, `every`, `cron`, `offset`), delete. Written from InfluxDB 2.7 (`task/taskmodel/task.go`,
//! `kv/task.go`, `http/task_service.go`).
//!
//! As the server: the options `name`, `every`, `cron` and `offset` are read from the script's
//! `option task = {...}` ([`super::task_options`]) on create and whenever `flux` is patched; a
//! script the options cannot be read from is a 400 `invalid options: ...`; the script is
//! stored as sent, except when a PATCH sends options (as the official clients' `update_task`
//! does): they are written into the script's `option task`, and the whole script is
//! reformatted ([`super::task_format`]); `every` is shown as written and `offset` in hours, minutes
//! and seconds; empty `description`, `every`, `cron` and `offset` are left out of answers; the
//! caller's user becomes the task's owner. Permissions: `read`/`write` on `tasks` of the org.

use serde_json::{json, Value};

use super::model::{Store, Task};
use super::task_format::{edit_options, OptionEdit};
use super::task_options::{from_script, show_offset};
use super::{error, error_code, found, new_id, now, org_filter, reply, valid_id, Call};
use crate::sim::harness::http::{no_content, Resp};

/// The default and largest page of `GET /api/v2/tasks`.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 500;

/// A task as the API shows it.
pub(super) fn view(s: &Store, t: &Task) -> Value {
    let org = s
        .orgs
        .get(&t.org_id)
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let mut v = json!({
        "id": t.id,
        "orgID": t.org_id,
        "org": org,
        "ownerID": t.owner_id,
        "name": t.name,
        "status": t.status,
        "flux": t.flux,
        "latestCompleted": t.created_at,
        "createdAt": t.created_at,
        "updatedAt": t.updated_at,
        "labels": [],
        "links": {
            "self": format!("/api/v2/tasks/{}", t.id),
            "owners": format!("/api/v2/tasks/{}/owners", t.id),
            "members": format!("/api/v2/tasks/{}/members", t.id),
            "labels": format!("/api/v2/tasks/{}/labels", t.id),
            "runs": format!("/api/v2/tasks/{}/runs", t.id),
            "logs": format!("/api/v2/tasks/{}/logs", t.id),
        },
    });
    for (k, val) in [
        ("description", t.description.clone()),
        ("every", t.every.clone()),
        ("cron", t.cron.clone()),
        ("offset", show_offset(t.offset_ns)),
    ] {
        if !val.is_empty() {
            v[k] = json!(val);
        }
    }
    v
}

pub(super) fn list(s: &Store, call: &Call<'_>) -> Resp {
    let q = &call.query;
    let limit = match q.get("limit").map(|l| l.parse::<usize>()) {
        None => DEFAULT_PAGE,
        Some(Ok(l)) if (1..=MAX_PAGE).contains(&l) => l,
        Some(_) => {
            return error_code(
                422,
                "unprocessable entity",
                &format!("limit must be between 1 and {MAX_PAGE}"),
            )
        }
    };
    for k in ["orgID", "after"] {
        if q.get(k).is_some_and(|v| !valid_id(v)) {
            return error(400, "failed to decode request: invalid ID");
        }
    }
    let org_id = match org_filter(s, q) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let tasks: Vec<Value> = s
        .tasks
        .values()
        .filter(|t| q.get("after").is_none_or(|a| &t.id > a))
        .filter(|t| org_id.as_ref().is_none_or(|o| &t.org_id == o))
        .filter(|t| q.get("name").is_none_or(|n| &t.name == n))
        .filter(|t| q.get("status").is_none_or(|st| &t.status == st))
        .filter(|t| call.allowed("read", "tasks", Some(&t.org_id), Some(&t.id)))
        .take(limit)
        .map(|t| view(s, t))
        .collect();
    let mut links = json!({"self": "/api/v2/tasks"});
    if tasks.len() == limit {
        if let Some(last) = tasks.last() {
            links["next"] = json!(format!(
                "/api/v2/tasks?after={}&limit={limit}",
                last["id"].as_str().unwrap_or("")
            ));
        }
    }
    reply(200, &json!({"links": links, "tasks": tasks}))
}

/// The error for a status other than `active` and `inactive`.
fn bad_status(status: &str) -> Option<Resp> {
    (status != "active" && status != "inactive")
        .then(|| error(400, &format!("invalid task status: \"{status}\"")))
}

pub(super) fn create(s: &mut Store, call: &Call<'_>) -> Resp {
    let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
        return error(400, "failed to decode request");
    };
    let flux = b["flux"].as_str().unwrap_or("");
    if flux.is_empty() {
        return error(400, "failed to decode request: missing flux");
    }
    let org_id = match (b["orgID"].as_str(), b["org"].as_str()) {
        (Some(id), _) if valid_id(id) => id.to_owned(),
        (Some(_), _) => return error(400, "invalid organization id"),
        (None, Some(name)) => match s.orgs.values().find(|o| o.name == name) {
            Some(o) => o.id.clone(),
            None => return error(404, "organization not found"),
        },
        (None, None) => return error(400, "failed to decode request: missing orgID and org"),
    };
    if !s.orgs.contains_key(&org_id) {
        return error(404, "organization not found");
    }
    if !call.allowed("write", "tasks", Some(&org_id), None) {
        return error(403, "write:tasks is unauthorized");
    }
    let status = b["status"]
        .as_str()
        .filter(|st| !st.is_empty())
        .unwrap_or("active");
    if let Some(r) = bad_status(status) {
        return r;
    }
    let opts = match from_script(flux) {
        Ok(o) => o,
        Err(e) => return error(400, &format!("failed to create task: {e}")),
    };
    let t = now();
    let task = Task {
        id: new_id(),
        org_id,
        owner_id: call.caller.user_id.clone(),
        name: opts.name,
        description: b["description"].as_str().unwrap_or("").to_owned(),
        status: status.to_owned(),
        flux: flux.to_owned(),
        every: opts.every,
        cron: opts.cron,
        offset_ns: opts.offset_ns,
        created_at: t.clone(),
        updated_at: t,
    };
    s.tasks.insert(task.id.clone(), task.clone());
    reply(201, &view(s, &task))
}

/// `/api/v2/tasks/{id}` with any method.
pub(super) fn one(s: &mut Store, call: &Call<'_>, method: &str, id: &str) -> Resp {
    let org = |t: &Task| Some(t.org_id.clone());
    let bad_id = "failed to decode request: invalid ID";
    let at = (method, "tasks", id);
    let mut task = match found(call, at, &s.tasks, org, (bad_id, "task not found")) {
        Ok(t) => t,
        Err(r) => return r,
    };
    match method {
        "GET" => reply(200, &view(s, &task)),
        "PATCH" => {
            let Ok(b) = serde_json::from_slice::<Value>(call.body) else {
                return error(400, "failed to decode request");
            };
            let (flux, status, description) = (
                b["flux"].as_str(),
                b["status"].as_str(),
                b["description"].as_str(),
            );
            let opt = |k: &str| b[k].as_str().map(str::to_owned);
            let edit = OptionEdit {
                name: opt("name").filter(|n| !n.is_empty()),
                every: opt("every").filter(|e| !e.is_empty()),
                cron: opt("cron").filter(|c| !c.is_empty()),
                offset: opt("offset"),
            };
            if flux.is_none() && status.is_none() && description.is_none() && edit.is_empty() {
                return error(400, "cannot update task without content");
            }
            if edit.every.is_some() && edit.cron.is_some() {
                return error(400, "cannot specify both every and cron");
            }
            if let Some(st) = status {
                if let Some(r) = bad_status(st) {
                    return r;
                }
                task.status = st.to_owned();
            }
            // Options sent beside (or instead of) a script are written into it, and the whole
            // script is reformatted, as `TaskUpdate.UpdateFlux` does.
            let new_flux = match (flux, edit.is_empty()) {
                (f, true) => f.map(str::to_owned),
                (f, false) => match edit_options(f.unwrap_or(&task.flux), &edit) {
                    Some(edited) => Some(edited),
                    None => return error(400, "failed to update task: unable to edit option"),
                },
            };
            if let Some(f) = new_flux {
                let opts = match from_script(&f) {
                    Ok(o) => o,
                    Err(e) => return error(400, &format!("failed to update task: {e}")),
                };
                task.flux = f;
                task.name = opts.name;
                task.every = opts.every;
                task.cron = opts.cron;
                task.offset_ns = opts.offset_ns;
            }
            if let Some(d) = description {
                task.description = d.to_owned();
            }
            task.updated_at = now();
            s.tasks.insert(task.id.clone(), task.clone());
            reply(200, &view(s, &task))
        }
        "DELETE" => {
            s.tasks.remove(id);
            no_content()
        }
        _ => error(405, "method not allowed"),
    }
}
