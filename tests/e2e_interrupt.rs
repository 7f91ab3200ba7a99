//! Ctrl-C, end to end with the real Terraform: SIGINT to the process group (Terraform and the
//! provider, as a terminal sends it) while an apply creates 40 tokens against a simulator that
//! answers after 1.5 s and, like a real server, carries out every request it received even if
//! the client has gone (`--complete-after-disconnect`). After Terraform exits and the requests
//! in flight have landed, every live token on the server is in the state (no orphan), in each
//! of 5 runs interrupted at different points; the next apply converges to exactly 40. The same
//! for InfluxDB v2 authorizations (Terraform 1.15.5: the type needs 1.3 or later). And stopping
//! stays prompt: a plan interrupted while it refreshes 1,000 tokens exits within 2 s.

#[path = "support/interrupt.rs"]
mod interrupt;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use std::collections::BTreeSet;
use std::time::Duration;

use interrupt::Running;
use serde_json::{json, Value as J};
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    an_interrupted_apply_of_40_tokens_leaves_no_orphan,
    a_plan_interrupted_while_refreshing_1000_tokens_exits_within_2_s,
);

const LATENCY_MS: &str = "1500";
const RUNS: usize = 5;
const COUNT: usize = 40;

fn tokens_tf() -> String {
    format!(
        "{}\nresource \"influxdb_database_token\" \"t\" {{\n  count       = {COUNT}\n  \
         description = \"interrupt ${{count.index}}\"\n  \
         permissions = [{{ action = \"read\", resource = \"*\" }}]\n}}\n",
        provider_block("")
    )
}

fn authorizations_tf() -> String {
    format!(
        "{}\nresource \"influxdb_authorization\" \"a\" {{\n  count       = {COUNT}\n  \
         description = \"interrupt ${{count.index}}\"\n  \
         permissions = [{{ action = \"read\", resource = {{ type = \"buckets\" }} }}]\n}}\n",
        provider_block("")
    )
}

/// The IDs of every resource instance in the workspace's state (none without a state).
fn ids_in_state(ws: &Workspace) -> BTreeSet<String> {
    if !ws.path().join("terraform.tfstate").exists() {
        return BTreeSet::new();
    }
    let state = ws.state_json();
    let resources = state["resources"].as_array().cloned().unwrap_or_default();
    resources
        .iter()
        .flat_map(|r| r["instances"].as_array().cloned().unwrap_or_default())
        .filter_map(|i| i["attributes"]["id"].as_str().map(str::to_owned))
        .collect()
}

/// One kind of object created by the interrupted apply.
struct Kind {
    config: fn() -> String,
    /// The live objects on the server, by ID.
    live: fn(&SimProcess) -> BTreeSet<String>,
    /// The path suffix of its create.
    create_path: &'static str,
    /// After how many creates have started each run is interrupted.
    interrupt_after: [usize; RUNS],
}

fn live_tokens(sim: &SimProcess) -> BTreeSet<String> {
    let ids = sim.active_tokens().into_iter();
    ids.filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect()
}

fn live_authorizations(sim: &SimProcess) -> BTreeSet<String> {
    let all = sim.v2_authorizations().into_iter();
    all.filter(|a| a["status"] != "inactive")
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect()
}

/// Five runs, each on a fresh server and workspace, interrupted while creates are in flight,
/// each time at another point of the apply.
fn interrupted_applies(tf: Tf, sim_args: &[&str], kind: Kind) {
    let mut report = Vec::new();
    for run in 0..RUNS {
        let sim = SimProcess::start(sim_args);
        let mut ws = Workspace::new(tf);
        ws.set_envs(sim.provider_env());
        ws.write("main.tf", &(kind.config)());
        let mut apply = Running::start(&ws, &["apply", "-auto-approve", "-no-color"]);
        let started = kind.interrupt_after[run];
        apply.wait_for_stdout(|out| out.matches("Creating...").count() >= started);
        apply.interrupt();
        let done = apply.wait();
        assert!(
            done.stdout.contains("Interrupt received") && done.code != 0,
            "run {run}: the apply was not interrupted\n{}",
            done.dump()
        );
        // Whatever the server received lands within its latency.
        std::thread::sleep(Duration::from_millis(2000));
        let live = (kind.live)(&sim);
        let in_state = ids_in_state(&ws);
        let orphans: Vec<_> = live.difference(&in_state).collect();
        let posts = sim.count_requests("POST", kind.create_path);
        report.push(format!(
            "run {run}: interrupted after {started} creates started; exit {:?} after the \
             interrupt; {posts} creates received, {} live, {} in state, {} orphans",
            done.after_interrupt,
            live.len(),
            in_state.len(),
            orphans.len()
        ));
        assert!(
            orphans.is_empty(),
            "run {run}: live objects in no state: {orphans:?}\n{}\n{}",
            report.join("\n"),
            done.dump()
        );
        assert!(posts > 0, "run {run}: no create was sent\n{}", done.dump());
        // Not abandoned then revoked: every create the server received reached the state.
        assert_eq!(
            in_state.len(),
            posts,
            "run {run}: creates received but not in the state\n{}\n{}",
            report.join("\n"),
            done.dump()
        );
        assert!(
            live.len() < COUNT,
            "run {run}: the interrupt came too late to stop anything\n{}\n{}",
            report.join("\n"),
            done.dump()
        );
        // The next apply creates what is missing, and nothing twice.
        ws.apply(&[]);
        let live = (kind.live)(&sim);
        assert_eq!(live.len(), COUNT, "run {run}");
        assert_eq!(live, ids_in_state(&ws), "run {run}");
    }
    eprintln!("{}", report.join("\n"));
}

fn an_interrupted_apply_of_40_tokens_leaves_no_orphan(tf: Tf) {
    let kind = Kind {
        config: tokens_tf,
        live: live_tokens,
        create_path: "/tokens",
        // Terraform creates 10 at a time, 1.5 s each: every point falls in one of the first three
        // waves, so the interrupt always leaves creates unstarted (the fourth wave starts, all
        // at once, after the 30th create, and would leave nothing for the interrupt to stop).
        interrupt_after: [3, 8, 14, 19, 25],
    };
    let args = ["--latency-ms", LATENCY_MS, "--complete-after-disconnect"];
    interrupted_applies(tf, &args, kind);
}

#[test]
fn an_interrupted_apply_of_40_authorizations_leaves_no_orphan() {
    let kind = Kind {
        config: authorizations_tf,
        live: live_authorizations,
        create_path: "/authorizations",
        // A first create reads the organization before it posts: start after the first ten.
        interrupt_after: [11, 15, 19, 23, 27],
    };
    let args = [
        "--product",
        "oss-v2",
        "--latency-ms",
        LATENCY_MS,
        "--complete-after-disconnect",
    ];
    interrupted_applies(Tf::V1_15_5, &args, kind);
}

/// A state of `n` tokens made on the server directly (an apply of 1,000 would take minutes):
/// the state an apply of one token writes, its instance repeated for each.
fn state_of_many_tokens(ws: &Workspace, sim: &SimProcess, n: usize) {
    ws.write(
        "main.tf",
        &tokens_tf().replace("count       = 40", "count       = 1"),
    );
    ws.apply(&[]);
    let mut state = ws.state_json();
    let template = state["resources"][0]["instances"][0].clone();
    let mut instances = Vec::new();
    for i in 0..n {
        let body = json!({"description": format!("interrupt {i}"),
                          "permissions": [{"action": "read", "resource": "*"}]});
        let a = sim.api("POST", "/tokens", Some(&body.to_string()));
        assert!(a.status < 300, "{}", a.body);
        let created = a.json();
        let mut inst = template.clone();
        inst["index_key"] = json!(i);
        for k in ["id", "description", "createdAt", "accessToken"] {
            let attr = match k {
                "createdAt" => "created_at",
                "accessToken" => "access_token",
                other => other,
            };
            inst["attributes"][attr] = created[k].clone();
        }
        instances.push(inst);
    }
    state["resources"][0]["instances"] = J::Array(instances);
    state["serial"] = json!(state["serial"].as_u64().unwrap_or(1) + 1);
    ws.write("terraform.tfstate", &state.to_string());
    let count = format!("count       = {n}");
    ws.write("main.tf", &tokens_tf().replace("count       = 40", &count));
}

fn a_plan_interrupted_while_refreshing_1000_tokens_exits_within_2_s(tf: Tf) {
    let sim = SimProcess::dedicated();
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    state_of_many_tokens(&ws, &sim, 1000);
    sim.add_fault(json!({"latency_ms": 1500}));
    let mut plan = Running::start(&ws, &["plan", "-no-color"]);
    plan.wait_for_stdout(|out| out.matches("Refreshing state...").count() >= 10);
    std::thread::sleep(Duration::from_millis(300));
    plan.interrupt();
    let done = plan.wait();
    let after = done.after_interrupt.expect("interrupted");
    eprintln!(
        "plan of 1,000 tokens interrupted during refresh: exit {} after {after:?}",
        done.code
    );
    assert!(
        done.stdout.contains("Interrupt received"),
        "{}",
        done.dump()
    );
    assert_ne!(done.code, 0, "{}", done.dump());
    assert!(after < Duration::from_secs(2), "{}", done.dump());
}
