//! `influxdb_task` and the `influxdb_task` data source end to end: the real Terraform, in human
//! output mode, against the simulator's InfluxDB OSS v2 mode, which reads `name`, `every`,
//! `cron` and `offset` from the script's `option task` as InfluxDB 2.7 does. The task has no
//! nested or write-only attribute, so its lifecycle runs under Terraform 1.0.3 and 1.15.5.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use serde_json::json;
use sim::{SimProcess, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    a_task_changes_in_place_ignores_formatting_and_shows_edits_made_outside,
    a_task_is_imported_replaced_and_recreated_after_a_delete_outside,
);

fn setup(tf: Tf) -> (SimProcess, Workspace) {
    let sim = SimProcess::oss_v2();
    let ws = Workspace::with_env(tf, sim.provider_env());
    (sim, ws)
}

/// A downsampling script with this schedule (`every: 1h, offset: 5m`, or `cron: "..."`).
fn script(schedule: &str) -> String {
    format!(
        "option task = {{name: \"downsample\", {schedule}}}\n\nfrom(bucket: \"raw\")\n  |> range(start: -1h)\n  |> aggregateWindow(every: 1h, fn: mean)\n  |> to(bucket: \"hourly\")\n"
    )
}

/// The configuration: the script in a heredoc, and the other arguments.
fn task(schedule: &str, extra: &str) -> String {
    let heredoc: String = script(schedule)
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("    {l}\n")
            }
        })
        .collect();
    format!(
        "{}\nresource \"influxdb_task\" \"t\" {{\n  flux = <<-EOT\n{heredoc}  EOT\n{extra}\n}}\n",
        provider_block("")
    )
}

fn writes(sim: &SimProcess) -> Vec<(String, String)> {
    sim.calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect()
}

fn server_task(sim: &SimProcess, id: &str) -> serde_json::Value {
    let a = sim.v2("GET", &format!("/tasks/{id}"), None);
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

/// Replaces the task's script as the UI or `influx task update` would.
fn patch_flux(sim: &SimProcess, id: &str, flux: &str) {
    let body = json!({ "flux": flux }).to_string();
    let a = sim.v2("PATCH", &format!("/tasks/{id}"), Some(&body));
    assert_eq!(a.status, 200, "{}", a.body);
}

fn a_task_changes_in_place_ignores_formatting_and_shows_edits_made_outside(tf: Tf) {
    let (sim, ws) = setup(tf);
    ws.write(
        "main.tf",
        &task("every: 1h, offset: 5m", "  description = \"raw to hourly\""),
    );
    ws.apply(&[]);
    let state = ws.state_attributes("influxdb_task.t");
    let id = state["id"].as_str().unwrap().to_owned();
    assert_eq!(state["org_id"], V2_ORG_ID, "the provider's organization");
    assert_eq!(state["name"], "downsample");
    assert_eq!(state["every"], "1h");
    assert_eq!(state["offset"], "5m");
    assert!(state["cron"].is_null(), "{state}");
    assert_eq!(state["status"], "active");
    let t = server_task(&sim, &id);
    assert_eq!(t["flux"], script("every: 1h, offset: 5m").as_str());
    assert_eq!(t["description"], "raw to hourly");
    ws.plan_no_changes(&[]);

    // The script reformatted outside (one line, other indentation, a trailing comma): no change.
    let reformatted = "option task = {\n    name: \"downsample\",\n    every: 1h,\n    offset: 5m,\n}\n\nfrom(bucket: \"raw\") |> range(start: -1h) |> aggregateWindow(every: 1h, fn: mean) |> to(bucket: \"hourly\")";
    patch_flux(&sim, &id, reformatted);
    ws.plan_no_changes(&[]);
    // Options sent back unchanged (as the official clients' update_task does) make the server
    // rewrite and reformat the whole script: still no change.
    let r = sim.v2(
        "PATCH",
        &format!("/tasks/{id}"),
        Some(r#"{"every":"1h","offset":"5m","description":"raw to hourly"}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let stored = server_task(&sim, &id)["flux"].as_str().unwrap().to_owned();
    assert!(
        stored.contains("\n    |> range"),
        "reformatted by the server: {stored}"
    );
    ws.plan_no_changes(&[]);

    // A new schedule and a status: one PATCH, same ID, the schedule read back.
    ws.write(
        "main.tf",
        &task(
            "cron: \"0 * * * *\"",
            "  description = \"raw to hourly\"\n  status = \"inactive\"",
        ),
    );
    sim.clear_requests();
    ws.apply(&[]);
    assert_eq!(
        writes(&sim),
        [("PATCH".to_owned(), format!("/api/v2/tasks/{id}"))]
    );
    let state = ws.state_attributes("influxdb_task.t");
    assert_eq!(state["id"], id.as_str());
    assert_eq!(state["cron"], "0 * * * *");
    assert!(
        state["every"].is_null() && state["offset"].is_null(),
        "{state}"
    );
    assert_eq!(server_task(&sim, &id)["status"], "inactive");
    ws.plan_no_changes(&[]);

    // A real edit outside Terraform is shown, and put back by the next apply; so is a status.
    patch_flux(&sim, &id, &script("cron: \"30 * * * *\""));
    let r = sim.v2(
        "PATCH",
        &format!("/tasks/{id}"),
        Some(r#"{"status":"active"}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(plan.stdout.contains("30 * * * *"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains("\"active\" -> \"inactive\""),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    let t = server_task(&sim, &id);
    assert_eq!(t["cron"], "0 * * * *");
    assert_eq!(t["status"], "inactive");
    ws.plan_no_changes(&[]);

    // The data source finds it by name and by ID.
    ws.write(
        "data.tf",
        &format!("data \"influxdb_task\" \"by_name\" {{\n  name = \"downsample\"\n}}\n\ndata \"influxdb_task\" \"by_id\" {{\n  id = \"{id}\"\n}}\n"),
    );
    ws.apply(&[]);
    let by_name = ws.state_attributes("data.influxdb_task.by_name");
    assert_eq!(by_name["id"], id.as_str());
    assert_eq!(by_name["cron"], "0 * * * *");
    assert_eq!(
        ws.state_attributes("data.influxdb_task.by_id")["name"],
        "downsample"
    );
    std::fs::remove_file(ws.path().join("data.tf")).unwrap();

    // Destroy deletes it.
    ws.apply(&["-destroy"]);
    assert_eq!(sim.v2("GET", &format!("/tasks/{id}"), None).status, 404);
}

fn a_task_is_imported_replaced_and_recreated_after_a_delete_outside(tf: Tf) {
    let (sim, ws) = setup(tf);
    // Made by hand, imported by ID.
    let body = json!({"orgID": V2_ORG_ID, "flux": script("every: 30m"), "description": "by hand"});
    let a = sim.v2("POST", "/tasks", Some(&body.to_string()));
    assert_eq!(a.status, 201, "{}", a.body);
    let id = a.json()["id"].as_str().unwrap().to_owned();
    ws.write(
        "main.tf",
        &task("every: 30m", "  description = \"by hand\""),
    );
    ws.run(&["import", "influxdb_task.t", &id]).assert_success();
    let state = ws.state_attributes("influxdb_task.t");
    assert_eq!(
        (state["id"].as_str(), state["every"].as_str()),
        (Some(id.as_str()), Some("30m"))
    );
    ws.plan_no_changes(&[]);

    // Deleted outside: the next apply says so and creates it again.
    assert_eq!(sim.v2("DELETE", &format!("/tasks/{id}"), None).status, 204);
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("deleted outside Terraform"),
        "{}",
        out.combined()
    );
    let recreated = ws.state_attributes("influxdb_task.t")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(recreated, id);
    assert_eq!(server_task(&sim, &recreated)["every"], "30m");

    // Another organization replaces it: the old one is deleted, the new one made there.
    let o = sim.v2("POST", "/orgs", Some(r#"{"name":"other"}"#));
    assert_eq!(o.status, 201, "{}", o.body);
    let other = o.json()["id"].as_str().unwrap().to_owned();
    ws.write(
        "main.tf",
        &task(
            "every: 30m",
            &format!("  description = \"by hand\"\n  org_id = \"{other}\""),
        ),
    );
    let plan = ws.run(&["plan"]);
    plan.assert_success();
    assert!(plan.stdout.contains("must be replaced"), "{}", plan.stdout);
    ws.apply(&[]);
    let moved = ws.state_attributes("influxdb_task.t");
    assert_eq!(moved["org_id"], other.as_str());
    assert_eq!(
        sim.v2("GET", &format!("/tasks/{recreated}"), None).status,
        404
    );
    let tasks = sim.state()["tasks"].as_array().unwrap().clone();
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(tasks[0]["orgID"], other.as_str());
    ws.apply(&["-destroy"]);
    assert!(sim.state()["tasks"].as_array().unwrap().is_empty());
}

#[test]
fn an_option_influxdb_refuses_fails_at_plan_with_no_api_call() {
    let (sim, ws) = setup(Tf::V1_15_5);
    for (schedule, says) in [
        ("every: 1d", "largest unit supported is h"),
        ("every: 1h, cron: \"0 * * * *\"", "both `every` and `cron`"),
        ("offset: 5m", "neither `every` nor `cron`"),
    ] {
        ws.write("main.tf", &task(schedule, ""));
        sim.clear_requests();
        let out = ws.run(&["plan"]);
        out.assert_failure();
        let text = terraform::flat(&out.stderr);
        assert!(
            text.contains("Invalid flux") && text.contains(says),
            "{text}"
        );
        assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    }
    ws.write(
        "main.tf",
        &format!("{}\nresource \"influxdb_task\" \"t\" {{\n  flux = \"option task = {{name: \\\"x\\\", every: 1h}}\"\n  status = \"paused\"\n}}\n", provider_block("")),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(out.stderr.contains("Invalid status"), "{}", out.stderr);
}

#[test]
fn a_name_several_tasks_share_fails_in_the_data_source_listing_their_ids() {
    let (sim, ws) = setup(Tf::V1_15_5);
    let mut ids = Vec::new();
    for _ in 0..2 {
        let body = json!({"orgID": V2_ORG_ID, "flux": script("every: 1h")});
        let a = sim.v2("POST", "/tasks", Some(&body.to_string()));
        assert_eq!(a.status, 201, "{}", a.body);
        ids.push(a.json()["id"].as_str().unwrap().to_owned());
    }
    ws.write(
        "main.tf",
        &format!(
            "{}\ndata \"influxdb_task\" \"t\" {{\n  name = \"downsample\"\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = terraform::flat(&out.stderr);
    assert!(text.contains("Several tasks have this name"), "{text}");
    assert!(ids.iter().all(|id| text.contains(id.as_str())), "{text}");
}
