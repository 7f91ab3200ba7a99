//! `ManagementClient` over HTTPS against `influxdb-sim --tls` (a server certificate signed
//! by a CA the simulator makes at start): a private CA given as `ca_certificate` is trusted, and
//! a certificate that does not verify fails at once, not after a minute of retries, with the
//! host, the reason and the setting that fixes it. The v2 client shares the retry policy, so
//! the same holds for it.

#[path = "support/sim.rs"]
mod sim;

use std::time::{Duration, Instant};

use sim::{SimProcess, ACCOUNT_ID, CLUSTER_ID, MANAGEMENT_TOKEN, V2_TOKEN};
use terraform_provider_influxdb::influxdb::http::Policy;
use terraform_provider_influxdb::influxdb::http::{CreateOutcome, ErrorKind};
use terraform_provider_influxdb::influxdb::management::models::{CreateDatabaseToken, Permission};
use terraform_provider_influxdb::influxdb::management::{
    ClientConfig, Deployment, ManagementClient,
};
use terraform_provider_influxdb::influxdb::v2::V2Client;
use tokio_util::sync::CancellationToken;

fn config(url: &str, ca: Option<String>) -> ClientConfig {
    let product = Deployment::Dedicated {
        account_id: ACCOUNT_ID.into(),
        cluster_id: CLUSTER_ID.into(),
    };
    let mut cfg = ClientConfig::new(url, product, MANAGEMENT_TOKEN);
    cfg.policy.request_timeout = Duration::from_secs(5);
    // Long enough that a retried certificate error would be obvious.
    cfg.policy.retry_deadline = Duration::from_secs(20);
    cfg.policy.initial_backoff = Duration::from_millis(50);
    cfg.ca_certificate = ca;
    cfg
}

fn token() -> CreateDatabaseToken {
    CreateDatabaseToken {
        description: "over https".into(),
        permissions: vec![Permission::new("read", "db")],
        expires_at: None,
    }
}

/// Fails fast (well inside the 20 s deadline) with a certificate error naming `host`.
async fn assert_certificate_error(c: &ManagementClient, host: &str, reason: &str) {
    let start = Instant::now();
    let err = c.list_tokens().await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert!(matches!(err.kind, ErrorKind::Certificate { .. }), "{err:?}");
    let text = err.to_string();
    for part in [host, reason, "`ca_certificate`", "cannot be turned off"] {
        assert!(text.contains(part), "missing {part:?} in: {text}");
    }
    // A create fails the same way, and nothing was sent.
    let e = c.create_token(&token()).await.unwrap_err();
    assert_eq!(e.outcome, CreateOutcome::NotSent);
}

#[tokio::test]
async fn a_private_ca_given_as_ca_certificate_is_trusted() {
    let sim = SimProcess::tls();
    assert!(sim.url.starts_with("https://"));
    let c = ManagementClient::new(
        config(&sim.url, Some(sim.ca_pem())),
        CancellationToken::new(),
    )
    .unwrap();
    let t = c.create_token(&token()).await.unwrap();
    assert_eq!(c.get_token(&t.id).await.unwrap().description, "over https");
    c.delete_token(&t.id).await.unwrap();
    assert_eq!(sim.state()["tokens"][0]["id"], t.id.as_str());
}

#[tokio::test]
async fn an_unknown_issuer_fails_at_once_naming_host_reason_and_setting() {
    let sim = SimProcess::tls();
    let c = ManagementClient::new(config(&sim.url, None), CancellationToken::new()).unwrap();
    assert_certificate_error(&c, "127.0.0.1", "unknown issuer").await;
    assert!(sim.requests().is_empty(), "no request got through");
    assert_eq!(sim.state()["tokens"], serde_json::json!([]));
}

#[tokio::test]
async fn a_certificate_for_another_name_is_a_name_mismatch() {
    let sim = SimProcess::tls();
    // The certificate is for 127.0.0.1 only.
    let url = sim.url.replace("127.0.0.1", "localhost");
    let c =
        ManagementClient::new(config(&url, Some(sim.ca_pem())), CancellationToken::new()).unwrap();
    assert_certificate_error(&c, "localhost", "name mismatch").await;
}

#[tokio::test]
async fn an_expired_certificate_is_reported_as_expired() {
    let sim = SimProcess::start(&["--tls", "--tls-expired"]);
    let c = ManagementClient::new(
        config(&sim.url, Some(sim.ca_pem())),
        CancellationToken::new(),
    )
    .unwrap();
    assert_certificate_error(&c, "127.0.0.1", "expired").await;
}

#[test]
fn a_ca_certificate_that_is_not_pem_is_refused_when_the_client_is_built() {
    let err = ManagementClient::new(
        config("https://127.0.0.1:1", Some("/etc/ca.pem".into())),
        CancellationToken::new(),
    )
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("`ca_certificate`"), "{text}");
    assert!(text.contains("file(\"ca.pem\")"), "{text}");
}

fn v2_client(url: &str, ca: Option<&str>) -> V2Client {
    let policy = Policy {
        request_timeout: Duration::from_secs(5),
        retry_deadline: Duration::from_secs(20),
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
    };
    V2Client::with_options(url, V2_TOKEN, policy, ca, CancellationToken::new()).unwrap()
}

#[tokio::test]
async fn the_v2_client_trusts_ca_certificate_and_fails_at_once_without_it() {
    let sim = SimProcess::start(&["--product", "oss-v2", "--tls"]);
    assert!(sim.url.starts_with("https://"));
    let ca = sim.ca_pem();
    let trusted = v2_client(&sim.url, Some(&ca));
    assert!(trusted.resource_types().await.unwrap().len() > 1);

    let untrusted = v2_client(&sim.url, None);
    let start = Instant::now();
    let err = untrusted.resource_types().await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "retried: {:?}",
        start.elapsed()
    );
    assert!(matches!(err.kind, ErrorKind::Certificate { .. }), "{err:?}");
    let text = err.to_string();
    for part in [
        "127.0.0.1",
        "unknown issuer",
        "`ca_certificate`",
        "cannot be turned off",
    ] {
        assert!(text.contains(part), "missing {part:?} in: {text}");
    }
}
