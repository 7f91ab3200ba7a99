//! The HTTP core's stop and reachability rules, through `ManagementClient` against the
//! `influxdb-sim` binary: a write in flight when Terraform stops the provider is waited for
//! (its object lands), cleanup ignores the stop signal, a server that never answered and
//! refuses connections is given up on after 3 tries naming the URL and the setting, and a
//! server that answered once is retried until the deadline. Also the simulator's
//! `--complete-after-disconnect`, which the interrupt tests rely on.

#[path = "support/sim.rs"]
mod sim;

use std::time::{Duration, Instant};

use serde_json::json;
use sim::{SimProcess, ACCOUNT_ID, CLUSTER_ID, MANAGEMENT_TOKEN};
use terraform_provider_influxdb::influxdb::http::{cleanup, CreateOutcome, ErrorKind, Policy};
use terraform_provider_influxdb::influxdb::management::models::CreateDatabaseToken;
use terraform_provider_influxdb::influxdb::management::{
    ClientConfig, Deployment, ManagementClient,
};
use tokio_util::sync::CancellationToken;

fn dedicated() -> Deployment {
    Deployment::Dedicated {
        account_id: ACCOUNT_ID.into(),
        cluster_id: CLUSTER_ID.into(),
    }
}

fn client(url: &str, policy: Policy, cancel: &CancellationToken) -> ManagementClient {
    let mut cfg = ClientConfig::new(url, dedicated(), MANAGEMENT_TOKEN);
    cfg.policy = policy;
    ManagementClient::new(cfg, cancel.clone()).unwrap()
}

fn token(description: &str) -> CreateDatabaseToken {
    CreateDatabaseToken {
        description: description.into(),
        permissions: vec![],
        expires_at: None,
    }
}

/// Cancels `cancel` after `after`.
fn stop_after(cancel: &CancellationToken, after: Duration) {
    let cancel = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(after).await;
        cancel.cancel();
    });
}

#[tokio::test]
async fn a_create_in_flight_when_stopped_waits_for_its_answer_and_the_token_is_returned() {
    let sim = SimProcess::start(&["--latency-ms", "1000"]);
    let cancel = CancellationToken::new();
    let c = client(&sim.url, Policy::DEFAULT, &cancel);
    stop_after(&cancel, Duration::from_millis(300));
    let start = Instant::now();
    let created = c.create_token(&token("in flight")).await;
    let elapsed = start.elapsed();
    let created = created.unwrap_or_else(|e| panic!("the create was abandoned: {e}"));
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(created.access_token.is_some());
    let live: Vec<_> = sim.active_tokens();
    assert_eq!(live.len(), 1, "{live:?}");
    assert_eq!(live[0]["id"], created.id.as_str());

    // Stopped now: a create not yet sent is not sent, and says so.
    let err = c.create_token(&token("after stop")).await.unwrap_err();
    assert!(err.error.is_cancelled(), "{err:?}");
    assert_eq!(err.outcome, CreateOutcome::NotSent);
    assert_eq!(sim.count_requests("POST", "/tokens"), 1);
}

#[tokio::test]
async fn a_read_in_flight_is_abandoned_at_once_but_cleanup_ignores_the_stop() {
    let sim = SimProcess::start(&["--latency-ms", "1000"]);
    let cancel = CancellationToken::new();
    let c = client(&sim.url, Policy::DEFAULT, &cancel);
    stop_after(&cancel, Duration::from_millis(100));
    let start = Instant::now();
    let err = c.list_tokens().await.unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_millis(600),
        "{:?}",
        start.elapsed()
    );

    // The same client, stopped: cleanup work still reaches the server.
    let listed = cleanup(c.list_tokens()).await;
    assert!(listed.is_ok(), "{listed:?}");
    assert!(start.elapsed() >= Duration::from_millis(1000));
}

#[tokio::test]
async fn a_closed_port_fails_after_three_tries_naming_the_url_and_the_setting() {
    // A port nobody listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let c = client(&url, Policy::DEFAULT, &CancellationToken::new());
    let start = Instant::now();
    let err = c.list_tokens().await.unwrap_err();
    let elapsed = start.elapsed();
    eprintln!("closed port: failed after {elapsed:?}: {err}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(
        matches!(err.kind, ErrorKind::Unreachable { attempts: 3, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains(&url), "{text}");
    assert!(text.contains("the provider's `url`"), "{text}");
}

#[tokio::test]
async fn a_server_that_answered_once_is_retried_until_the_deadline() {
    let sim = SimProcess::dedicated();
    let url = sim.url.clone();
    let policy = Policy {
        retry_deadline: Duration::from_secs(3),
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
        ..Policy::DEFAULT
    };
    let c = client(&url, policy, &CancellationToken::new());
    c.list_tokens().await.expect("the server answers first");
    sim.terminate();
    let start = Instant::now();
    let err = c.list_databases().await.unwrap_err();
    let elapsed = start.elapsed();
    eprintln!("after the server went away: failed after {elapsed:?}: {err}");
    match &err.kind {
        ErrorKind::DeadlineExceeded { deadline, last } => {
            assert!(deadline.attempts > 3, "{deadline:?}");
            assert!(matches!(**last, ErrorKind::Transport { .. }), "{last:?}");
        }
        other => panic!("expected retries until the deadline: {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(2000), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn a_create_answered_after_the_stop_with_a_lost_answer_still_reports_unknown() {
    // The answer of a create in flight is lost (the connection closes after the server acted):
    // the create is not retried and says the token may exist, so the caller's recovery runs.
    let sim = SimProcess::start(&["--latency-ms", "500"]);
    sim.add_fault(json!({"method": "POST", "path_suffix": "/tokens", "drop_after_handling": true}));
    let cancel = CancellationToken::new();
    let c = client(&sim.url, Policy::DEFAULT, &cancel);
    stop_after(&cancel, Duration::from_millis(100));
    let err = c.create_token(&token("lost")).await.unwrap_err();
    assert_eq!(err.outcome, CreateOutcome::Unknown, "{err:?}");
    assert!(!err.error.is_cancelled(), "{err:?}");
    // Recovery through the stopped client, as cleanup, sees the token.
    let tokens = cleanup(c.list_tokens()).await.unwrap();
    assert_eq!(tokens.len(), 1);
}

/// Sends a token create to the simulator and closes the connection before the answer.
fn create_and_hang_up(sim: &SimProcess) {
    use std::io::Write;
    let body = json!({"description": "hung up", "permissions": []}).to_string();
    let path = format!("{}/tokens", sim.api_prefix());
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {MANAGEMENT_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        sim.addr(),
        body.len()
    );
    let mut tcp = std::net::TcpStream::connect(sim.addr()).unwrap();
    tcp.write_all(request.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    drop(tcp);
}

#[test]
fn the_simulator_carries_out_a_request_after_the_client_hung_up_only_if_asked() {
    let real = SimProcess::start(&["--latency-ms", "600", "--complete-after-disconnect"]);
    create_and_hang_up(&real);
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(real.active_tokens().len(), 1, "as a real server does");

    let abandoning = SimProcess::start(&["--latency-ms", "600"]);
    create_and_hang_up(&abandoning);
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(abandoning.active_tokens().len(), 0, "the default drops it");
}
