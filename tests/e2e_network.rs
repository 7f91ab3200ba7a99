//! The provider on real networks, end to end with the real Terraform (1.0.3 and 1.15.5): HTTPS
//! with a private CA (the simulator started with `--tls` makes its own), a certificate that does
//! not verify failing at once with an error that says what to do, HTTPS_PROXY / NO_PROXY
//! through a CONNECT proxy written for the test, and HTTP_PROXY through the same proxy
//! forwarding plain HTTP. A wrong address said at once (a closed port fails a plan within
//! 10 s naming the URL and the setting) and the `retry_timeout` setting.

#[path = "support/proxy.rs"]
mod proxy;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use std::time::Duration;

use proxy::ConnectProxy;
use serde_json::Value as J;
use sim::SimProcess;
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    the_token_lifecycle_passes_over_https_with_ca_certificate,
    without_the_ca_the_apply_fails_at_once_and_creates_nothing,
    https_proxy_is_used_through_connect_and_no_proxy_bypasses_it,
    http_proxy_forwards_plain_http,
    a_plan_against_a_closed_port_fails_within_10_s_naming_the_url_and_the_setting,
    retry_timeout_bounds_the_retries_and_is_checked_at_plan,
);

const TOKENS_DATA: &str = "data \"influxdb_database_tokens\" \"all\" {}\n";

fn a_plan_against_a_closed_port_fails_within_10_s_naming_the_url_and_the_setting(tf: Tf) {
    let mut s = setup_with(tf, SimProcess::dedicated());
    // A port nobody listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    s.ws.set_env("INFLUXDB3_URL", &url);
    s.ws.write("main.tf", &format!("{}\n{TOKENS_DATA}", provider_block("")));
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    eprintln!("plan against a closed port failed after {:?}", out.elapsed);
    assert!(
        out.elapsed < Duration::from_secs(10),
        "took {:?}",
        out.elapsed
    );
    let text = words(&out.stderr);
    for part in [url.as_str(), "3 tries", "the provider's `url`"] {
        assert!(text.contains(part), "missing {part:?} in:\n{}", out.stderr);
    }
}

fn retry_timeout_bounds_the_retries_and_is_checked_at_plan(tf: Tf) {
    let s = setup_with(tf, SimProcess::dedicated());
    s.sim
        .add_fault(serde_json::json!({"count": 1000, "status": 503}));
    let with = |timeout: &str| {
        let provider = format!("  retry_timeout = \"{timeout}\"");
        format!("{}\n{TOKENS_DATA}", provider_block(&provider))
    };
    s.ws.write("main.tf", &with("3s"));
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    let text = words(&out.stderr);
    assert!(text.contains("the retry deadline is 3 s"), "{}", out.stderr);
    assert!(
        out.elapsed < Duration::from_secs(20),
        "took {:?}",
        out.elapsed
    );
    // Retried (backoff from 0.5 s, doubling, with jitter: 2 to 5 tries fit in 3 s), then
    // stopped by the deadline.
    assert!(
        s.sim.requests().len() >= 2,
        "retried: {:?}",
        s.sim.requests()
    );

    s.sim.clear_requests();
    s.ws.write("main.tf", &with("soon"));
    let out = s.ws.run(&["plan"]);
    out.assert_failure();
    let text = words(&out.stderr);
    assert!(text.contains("Invalid retry_timeout"), "{}", out.stderr);
    assert!(text.contains("retry_timeout"), "{}", out.stderr);
    assert!(s.sim.requests().is_empty(), "checked before any call");
}

struct Setup {
    sim: SimProcess,
    ws: Workspace,
}

fn setup(tf: Tf) -> Setup {
    setup_with(tf, SimProcess::tls())
}

fn setup_with(tf: Tf, sim: SimProcess) -> Setup {
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env())
        // Whatever the machine has, these tests decide about proxies themselves.
        .set_env("HTTPS_PROXY", "")
        .set_env("https_proxy", "")
        .set_env("HTTP_PROXY", "")
        .set_env("http_proxy", "")
        .set_env("ALL_PROXY", "")
        .set_env("all_proxy", "")
        .set_env("NO_PROXY", "")
        .set_env("no_proxy", "")
        .set_env("INFLUXDB3_CA_CERTIFICATE", "");
    Setup { sim, ws }
}

fn token_tf(provider: &str, description: &str) -> String {
    format!(
        "{}\nresource \"influxdb_database_token\" \"t\" {{\n  description = \"{description}\"\n  permissions = [{{ action = \"read\", resource = \"db\" }}]\n}}\n",
        provider_block(provider)
    )
}

impl Setup {
    fn state_id(&self) -> String {
        let state: J = serde_json::from_str(&self.ws.read("terraform.tfstate")).unwrap();
        state["resources"][0]["instances"][0]["attributes"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// Terraform boxes and wraps diagnostics; compare words only.
fn words(s: &str) -> String {
    s.replace(['│', '╷', '╵'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn the_token_lifecycle_passes_over_https_with_ca_certificate(tf: Tf) {
    let s = setup(tf);
    s.ws.write("ca.pem", &s.sim.ca_pem());
    let provider = "  ca_certificate = file(\"ca.pem\")";
    s.ws.write("main.tf", &token_tf(provider, "over https"));
    s.ws.run(&["apply", "-auto-approve"]).assert_success();
    let id = s.state_id();
    assert_eq!(s.sim.tokens().len(), 1);
    assert_eq!(s.sim.tokens()[0]["id"], id.as_str());
    s.ws.run(&["plan", "-detailed-exitcode"]).assert_code(0);

    s.ws.write("main.tf", &token_tf(provider, "renamed over https"));
    s.ws.run(&["apply", "-auto-approve"]).assert_success();
    assert_eq!(s.state_id(), id, "updated in place");
    assert_eq!(s.sim.tokens()[0]["description"], "renamed over https");

    // Import through the same trust, then destroy revokes.
    s.ws.run(&["state", "rm", "influxdb_database_token.t"])
        .assert_success();
    s.ws.run(&["import", "influxdb_database_token.t", &id])
        .assert_success();
    s.ws.run(&["destroy", "-auto-approve"]).assert_success();
    let tokens = s.sim.tokens();
    assert_eq!(tokens.len(), 1);
    assert!(!tokens[0]["revokedAt"].is_null(), "revoked: {tokens:?}");
}

fn without_the_ca_the_apply_fails_at_once_and_creates_nothing(tf: Tf) {
    let s = setup(tf);
    s.ws.write("main.tf", &token_tf("", "no ca"));
    let out = s.ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    // The retry deadline is 60 s: a certificate error is not retried.
    assert!(
        out.elapsed < Duration::from_secs(30),
        "took {:?}:\n{}",
        out.elapsed,
        out.stderr
    );
    let text = words(&out.stderr);
    for part in [
        "The TLS certificate of 127.0.0.1 could not be verified",
        "unknown issuer",
        "`ca_certificate`",
        "INFLUXDB3_CA_CERTIFICATE",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{}", out.stderr);
    }
    assert!(s.sim.tokens().is_empty(), "nothing is created");
    assert!(s.sim.requests().is_empty(), "no request got through TLS");
}

fn https_proxy_is_used_through_connect_and_no_proxy_bypasses_it(tf: Tf) {
    let s = setup(tf);
    let ca = s.ws.write("ca.pem", &s.sim.ca_pem());
    let ca = ca.to_string_lossy().into_owned();
    let proxy = ConnectProxy::start();
    let proxy_url = proxy.url();
    s.ws.write("main.tf", &token_tf("", "through a proxy"));
    // The CA from the environment, as a path this time.
    let env = [
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("INFLUXDB3_CA_CERTIFICATE", ca.as_str()),
    ];
    s.ws.run_with_env(&["apply", "-auto-approve"], &env)
        .assert_success();
    let connects = proxy.connects();
    assert!(
        !connects.is_empty() && connects.iter().all(|c| c == s.sim.addr()),
        "the proxy saw CONNECT {}: {connects:?}",
        s.sim.addr()
    );
    assert_eq!(s.sim.tokens().len(), 1);

    // NO_PROXY naming the host: straight to the server, the proxy sees nothing more.
    let before = proxy.connects().len();
    let env = [
        ("HTTPS_PROXY", proxy_url.as_str()),
        ("NO_PROXY", "127.0.0.1"),
        ("INFLUXDB3_CA_CERTIFICATE", ca.as_str()),
    ];
    s.sim.clear_requests();
    s.ws.run_with_env(&["plan", "-detailed-exitcode"], &env)
        .assert_code(0);
    assert_eq!(proxy.connects().len(), before);
    assert!(
        !s.sim.requests().is_empty(),
        "the plan did reach the server"
    );
}

fn http_proxy_forwards_plain_http(tf: Tf) {
    let s = setup_with(tf, SimProcess::dedicated());
    let proxy = ConnectProxy::start();
    s.ws.write("main.tf", &token_tf("", "through a forward proxy"));
    s.ws.run_with_env(&["apply", "-auto-approve"], &[("HTTP_PROXY", &proxy.url())])
        .assert_success();
    let forwarded = proxy.forwarded();
    let url = format!("{}/api/v0/", s.sim.url);
    assert!(
        !forwarded.is_empty() && forwarded.iter().all(|l| l.contains(&url)),
        "the proxy forwarded requests for {url}: {forwarded:?}"
    );
    assert!(proxy.connects().is_empty());
    assert_eq!(s.sim.tokens().len(), 1);
}
