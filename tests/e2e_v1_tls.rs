//! InfluxDB 1.x over HTTPS, against a real `influxd` serving a certificate signed by a private
//! CA, under Terraform 1.0.3 and 1.15.5: with `ca_certificate` the provider trusts it and
//! manages a database; without it the plan fails at once, naming the certificate problem and
//! the setting; `skip_ssl_verify = true` (DrFaust92/influxdb's setting) is accepted with a
//! warning that says to use `ca_certificate`, and never turns verification off. Through a
//! CONNECT proxy (`HTTPS_PROXY`) it works as on the other products.

#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/proxy.rs"]
mod proxy;
#[path = "support/terraform.rs"]
mod terraform;

use std::time::{Duration, Instant};

use influxd::Influxd;
use proxy::ConnectProxy;
use terraform::{flat, provider_block, Tf, Workspace};

terraform::every_terraform!(
    a_private_ca_is_trusted_with_ca_certificate,
    without_the_ca_the_plan_fails_and_skip_ssl_verify_only_warns,
    https_proxy_is_used_through_connect,
);

const DATABASE: &str = r#"
resource "influxdb_database" "secure" {
  name = "secure"

  retention_policies {
    name     = "month"
    duration = "30d"
    default  = true
  }
}
"#;

fn workspace(tf: Tf, server: &Influxd, provider_body: &str) -> Workspace {
    assert!(server.url.starts_with("https://"), "{}", server.url);
    let ws = Workspace::with_env(tf, server.provider_env());
    ws.write("ca.pem", server.ca_pem());
    ws.write(
        "main.tf",
        &format!("{}{DATABASE}", provider_block(provider_body)),
    );
    ws
}

fn a_private_ca_is_trusted_with_ca_certificate(tf: Tf) {
    let server = Influxd::start_tls();
    let ws = workspace(tf, &server, "  ca_certificate = file(\"ca.pem\")");
    ws.apply(&[]);
    assert!(server.databases().contains(&"secure".to_owned()));
    let month = server
        .retention_policies("secure")
        .into_iter()
        .find(|p| p["name"] == "month")
        .expect("the policy is on the server");
    assert_eq!(month["duration"], "720h0m0s");
    ws.plan_no_changes(&[]);
}

fn without_the_ca_the_plan_fails_and_skip_ssl_verify_only_warns(tf: Tf) {
    let server = Influxd::start_tls();
    for body in ["", "  skip_ssl_verify = true"] {
        let ws = workspace(tf, &server, body);
        let started = Instant::now();
        let plan = ws.run(&["plan"]);
        let took = started.elapsed();
        plan.assert_failure();
        let out = flat(&plan.combined());
        // A certificate problem is permanent: not retried for the minute of retry_timeout.
        assert!(took < Duration::from_secs(30), "took {took:?}: {out}");
        assert!(out.contains("certificate"), "{out}");
        assert!(out.contains("ca_certificate"), "{out}");
        if body.is_empty() {
            assert!(!out.contains("skip_ssl_verify"), "{out}");
        } else {
            assert!(out.contains("skip_ssl_verify is not honoured"), "{out}");
        }
    }
    assert!(!server.databases().contains(&"secure".to_owned()));
}

fn https_proxy_is_used_through_connect(tf: Tf) {
    let server = Influxd::start_tls();
    let ws = workspace(tf, &server, "  ca_certificate = file(\"ca.pem\")");
    let proxy = ConnectProxy::start();
    let proxy_url = proxy.url();
    ws.run_with_env(
        &["apply", "-auto-approve"],
        &[("HTTPS_PROXY", proxy_url.as_str())],
    )
    .assert_success();
    let connects = proxy.connects();
    assert!(
        !connects.is_empty() && connects.iter().all(|c| *c == server.addr()),
        "the proxy saw CONNECT {}: {connects:?}",
        server.addr()
    );
    assert!(server.databases().contains(&"secure".to_owned()));
}
