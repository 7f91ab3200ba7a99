//! The InfluxDB 1.x provider settings against a real `influxd`, end to end under Terraform 1.0.3
//! and 1.15.5: credentials the server rejects and a provider user without admin privilege fail
//! at plan, at once (they are permanent errors, never retried), naming the URL and the user and
//! never the password, which is in no output and no trace log either.

#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/terraform.rs"]
mod terraform;

use std::time::{Duration, Instant};

use base64::Engine as _;

use influxd::{Influxd, ADMIN_USER};
use terraform::{flat, provider_block, Tf, Workspace};

terraform::every_terraform!(
    wrong_credentials_fail_at_plan_naming_the_url_and_user,
    a_non_admin_provider_user_fails_at_plan_naming_the_privilege,
);

/// Well under the provider's 60 s retry budget: a permanent error is not retried.
const AT_ONCE: Duration = Duration::from_secs(30);

const WRONG_PASSWORD: &str = "Wr0ng-pw-kq83Lz";
const READER_PASSWORD: &str = "reader-pw-Yt52Mx";

/// One configuration per type: each needs the server at plan, alone.
fn configs() -> Vec<String> {
    [
        r#"resource "influxdb_database" "metrics" {
  name = "metrics"

  retention_policies {
    name     = "short"
    duration = "1d"
    default  = true
  }
}"#,
        r#"resource "influxdb_user" "app" {
  name     = "app"
  password = "app-pw-Jw81Qs"
}"#,
        r#"resource "influxdb_continuous_query" "mean" {
  name     = "cq_mean"
  database = "metrics"
  query    = "SELECT mean(value) INTO mean_value FROM value GROUP BY time(1h)"
}"#,
    ]
    .iter()
    .map(|body| format!("{}\n{body}\n", provider_block("")))
    .collect()
}

/// Runs a traced plan of each of [`configs`] with `user`/`password` and checks that each failed
/// at once, naming the server's URL and the user and never the password; returns the outputs,
/// flattened.
fn failed_plans(tf: Tf, server: &Influxd, user: &str, password: &str) -> Vec<String> {
    configs()
        .iter()
        .map(|config| failed_plan(tf, server, config, user, password))
        .collect()
}

fn failed_plan(tf: Tf, server: &Influxd, config: &str, user: &str, password: &str) -> String {
    let env: Vec<(&str, String)> = server
        .provider_env()
        .into_iter()
        .map(|(k, v)| match k {
            "INFLUXDB_USERNAME" => (k, user.to_owned()),
            "INFLUXDB_PASSWORD" => (k, password.to_owned()),
            _ => (k, v),
        })
        .collect();
    let ws = Workspace::with_env(tf, env);
    ws.write("main.tf", config);
    let started = Instant::now();
    let plan = ws.run_traced(&["plan"]);
    let took = started.elapsed();
    plan.assert_failure();
    assert!(
        took < AT_ONCE,
        "the plan took {took:?}: {}",
        plan.combined()
    );
    let out = flat(&plan.combined());
    let url = server.provider_env()[0].1.clone();
    assert!(out.contains(&url), "names the URL {url}: {out}");
    assert!(
        out.contains(&format!("\"{user}\"")),
        "names the user: {out}"
    );
    assert!(!out.contains(password), "the password is not shown: {out}");
    // Nor its basic-auth form (`user:password` in base64).
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    let trace = ws.trace_log();
    assert!(
        !trace.contains(password) && !trace.contains(&basic),
        "the password is in no trace log"
    );
    assert!(server.databases().is_empty(), "nothing was created");
    out
}

fn wrong_credentials_fail_at_plan_naming_the_url_and_user(tf: Tf) {
    let server = Influxd::start();
    for out in failed_plans(tf, &server, ADMIN_USER, WRONG_PASSWORD) {
        assert!(out.contains("401"), "{out}");
        assert!(
            out.contains("username") && out.contains("password"),
            "{out}"
        );
    }
}

fn a_non_admin_provider_user_fails_at_plan_naming_the_privilege(tf: Tf) {
    let server = Influxd::start();
    server.create_user("reader", READER_PASSWORD);
    for out in failed_plans(tf, &server, "reader", READER_PASSWORD) {
        assert!(
            out.contains("403") && out.contains("admin privilege"),
            "{out}"
        );
    }
}
