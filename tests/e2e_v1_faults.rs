//! InfluxDB 1.x faults a real server cannot produce, played by the fault-injecting proxy of
//! `support/core_server.rs` ([`RecordingProxy`]) in front of a real `influxd`, under Terraform
//! 1.0.3 and 1.15.5: the answer to `CREATE USER` lost after the server made the user (the
//! provider sends it again, which 1.x answers with success for the same password, so the user is
//! in the state: no orphan user, no second user), a 503 on `CREATE USER` retried, the answer to
//! `CREATE DATABASE` and its policies lost (sent again: one database, its policies as
//! configured), and 503s on the refresh snapshot's read retried.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/terraform.rs"]
mod terraform;

use core_server::RecordingProxy;
use influxd::Influxd;
use serde_json::json;
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    a_lost_answer_on_create_user_leaves_no_orphan_user,
    a_503_on_create_user_is_retried,
    a_lost_answer_on_create_database_is_sent_again,
);

const PASSWORD: &str = "app-pw-Fq93Lm";

fn config() -> String {
    format!(
        r#"{}
resource "influxdb_user" "app" {{
  name     = "app"
  password = "{PASSWORD}"

  grant {{
    database  = "metrics"
    privilege = "WRITE"
  }}
}}
"#,
        provider_block("")
    )
}

/// A server with the database `metrics`, the proxy in front of it, and a workspace whose
/// provider talks to the proxy, with the create planned (`plan -out`): the apply of that plan
/// sends the `CREATE USER` the fault is armed for.
fn setup(tf: Tf) -> (Influxd, RecordingProxy, Workspace) {
    setup_with(tf, &config())
}

fn setup_with(tf: Tf, config: &str) -> (Influxd, RecordingProxy, Workspace) {
    let server = Influxd::start();
    server.influxql("CREATE DATABASE metrics");
    let proxy = RecordingProxy::start(&server.addr());
    let env: Vec<(&str, String)> = server
        .provider_env()
        .into_iter()
        .map(|(k, v)| match k {
            "INFLUXDB_URL" => (k, proxy.url.clone()),
            _ => (k, v),
        })
        .collect();
    let ws = Workspace::with_env(tf, env);
    ws.write("main.tf", config);
    ws.run(&["plan", "-out=create.tfplan"]).assert_success();
    proxy.clear();
    (server, proxy, ws)
}

/// The server's users named `app`, and whether the password signs in with a write grant.
fn check_app(server: &Influxd) {
    let users: Vec<_> = server
        .rows("SHOW USERS")
        .into_iter()
        .filter(|r| r["user"] == "app")
        .collect();
    assert_eq!(users.len(), 1, "{users:?}");
    assert_eq!(
        server.query_as("app", PASSWORD, "SHOW DATABASES").status,
        200
    );
    let grants = server.rows("SHOW GRANTS FOR app");
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0]["privilege"], "WRITE");
}

/// The `POST /query` requests the proxy passed on or answered.
fn queries(proxy: &RecordingProxy) -> usize {
    proxy
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/query")
        .count()
}

fn a_lost_answer_on_create_user_leaves_no_orphan_user(tf: Tf) {
    let (server, proxy, ws) = setup(tf);
    proxy.add_fault(&json!({
        "method": "POST",
        "path_suffix": "/query",
        "body_contains": "CREATE USER \"app\"",
        "drop_after_handling": true,
        "count": 1
    }));
    ws.run(&["apply", "create.tfplan"]).assert_success();
    // The user was made by the first request, whose answer was lost; the second found it
    // (the same password: success).
    assert_eq!(proxy.faults_left(), 0, "the answer was lost");
    assert!(queries(&proxy) >= 2, "{:?}", proxy.requests());
    check_app(&server);
    assert_eq!(ws.state_attributes("influxdb_user.app")["name"], "app");
    ws.plan_no_changes(&[]);
    // Destroy leaves nothing behind either.
    ws.run(&["destroy", "-auto-approve"]).assert_success();
    assert!(!server.rows("SHOW USERS").iter().any(|r| r["user"] == "app"));
}

fn a_503_on_create_user_is_retried(tf: Tf) {
    let (server, proxy, ws) = setup(tf);
    proxy.add_fault(&json!({
        "method": "POST",
        "path_suffix": "/query",
        "body_contains": "CREATE USER \"app\"",
        "status": 503,
        "count": 2
    }));
    ws.run(&["apply", "create.tfplan"]).assert_success();
    assert_eq!(proxy.faults_left(), 0);
    let statuses: Vec<u16> = proxy.requests().iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 503).count(),
        2,
        "{statuses:?}"
    );
    assert_eq!(statuses.last(), Some(&200), "{statuses:?}");
    check_app(&server);
    ws.plan_no_changes(&[]);
}

fn a_lost_answer_on_create_database_is_sent_again(tf: Tf) {
    let config = format!(
        r#"{}
resource "influxdb_database" "events" {{
  name = "events"

  retention_policies {{
    name     = "week"
    duration = "7d"
    default  = true
  }}
}}
"#,
        provider_block("")
    );
    let (server, proxy, ws) = setup_with(tf, &config);
    proxy.add_fault(&json!({
        "method": "POST",
        "path_suffix": "/query",
        "body_contains": "CREATE DATABASE \"events\"",
        "drop_after_handling": true,
        "count": 1
    }));
    ws.run(&["apply", "create.tfplan"]).assert_success();
    assert_eq!(proxy.faults_left(), 0, "the answer was lost");
    let dbs: Vec<String> = server
        .databases()
        .into_iter()
        .filter(|d| d == "events")
        .collect();
    assert_eq!(dbs.len(), 1);
    let week: Vec<_> = server
        .retention_policies("events")
        .into_iter()
        .filter(|p| p["name"] == "week")
        .collect();
    assert_eq!(week.len(), 1, "{week:?}");
    assert_eq!(week[0]["duration"], "168h0m0s");
    assert_eq!(week[0]["default"], true);

    // The refresh snapshot's read answered 503 twice: retried, and the plan is empty.
    proxy.clear();
    proxy.add_fault(&json!({
        "method": "POST",
        "path_suffix": "/query",
        "body_contains": "SHOW DATABASES",
        "status": 503,
        "count": 2
    }));
    ws.plan_no_changes(&[]);
    assert_eq!(proxy.faults_left(), 0);
    let statuses: Vec<u16> = proxy.requests().iter().map(|r| r.status).collect();
    assert!(
        statuses.iter().filter(|s| **s == 503).count() == 2,
        "{statuses:?}"
    );
}
