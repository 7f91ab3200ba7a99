//! Ephemeral `influxdb_database_token` on InfluxDB 3 Enterprise (and refused on Core), end to
//! end under the real Terraform 1.15.5 (ephemeral resources need 1.10 or later), against the
//! simulator (Core's refusal also against the REAL InfluxDB 3 Core server): every token a run opens is deleted when the run closes it, and no token string
//! reaches the output. The Management family's scenarios live in
//! `e2e_ephemeral_database_token.rs`.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core_latest, Target};
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

// Refused on Core: on the Core simulator and on the REAL InfluxDB 3 Core server.
on_sim_and_real_core_latest!(on_core_opening_fails_naming_enterprise);

fn setup(sim: SimProcess) -> (SimProcess, Workspace) {
    let ws = Workspace::with_env(Tf::V1_15_5, sim.provider_env());
    (sim, ws)
}

/// An ephemeral token reading the existing database `sensors` (Enterprise checks that a
/// permission's database exists, and Terraform opens ephemeral resources while planning, before
/// a database of the same configuration would be created), and a check that its string is real.
fn config() -> String {
    format!(
        r#"{}
ephemeral "influxdb_database_token" "ci" {{
  description = "ci run"
  permissions = [{{ action = "read", resource = "sensors" }}]
  ttl         = "1h"
}}

check "ci_token" {{
  assert {{
    condition     = can(regex("^api[v]3_", ephemeral.influxdb_database_token.ci.access_token))
    error_message = "The ephemeral token has no token string."
  }}
}}
"#,
        provider_block("")
    )
}

#[test]
fn on_enterprise_every_opened_token_is_deleted_at_close() {
    let (sim, ws) = setup(SimProcess::enterprise());
    let a = sim.v3(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"sensors"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    ws.write("main.tf", &config());
    let out = ws.apply(&[]);
    assert!(!out.combined().contains("apiv3_"), "no token string shown");
    assert!(
        !out.combined()
            .contains("The ephemeral token has no token string"),
        "{}",
        out.combined()
    );
    let created = sim.count_requests("POST", "/api/v3/enterprise/configure/token");
    assert!(created >= 1, "opened at least once: {:?}", sim.requests());
    assert_eq!(
        sim.count_requests("DELETE", "/api/v3/configure/token"),
        created,
        "each deleted at close"
    );
    assert_eq!(
        sim.v3_tokens().len(),
        1,
        "only _admin is left: {:?}",
        sim.v3_tokens()
    );
}

fn on_core_opening_fails_naming_enterprise(sim: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, sim.provider_env());
    let a = sim.v3(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"sensors"}"#),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    ws.write(
        "main.tf",
        &format!(
            "{}\nephemeral \"influxdb_database_token\" \"ci\" {{\n  description = \"ci run\"\n  permissions = [{{ action = \"read\", resource = \"sensors\" }}]\n  ttl         = \"1h\"\n}}\n",
            provider_block("")
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = out
        .combined()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("influxdb_database_token needs InfluxDB 3 Enterprise"),
        "{text}"
    );
    assert_eq!(
        sim.count_requests("POST", "/api/v3/enterprise/configure/token"),
        0
    );
    assert_eq!(sim.tokens().len(), 1);
}
