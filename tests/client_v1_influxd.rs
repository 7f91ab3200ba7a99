//! The provider's InfluxDB 1.x client (`V1Client`) against a real `influxd` (Debian's
//! `influxdb` package, started per test by `support/influxd.rs`): several statements in one
//! request, databases with their policies, names that need quoting, and the errors a user
//! sees for wrong credentials and a user without admin privilege.

#[path = "support/influxd.rs"]
mod influxd;

use influxd::{Influxd, ADMIN_PASSWORD, ADMIN_USER};
use terraform_provider_influxdb::influxdb::v1::influxql::quote_ident;
use terraform_provider_influxdb::influxdb::v1::V1Client;
use tokio_util::sync::CancellationToken;

fn client(server: &Influxd, user: &str, password: &str) -> V1Client {
    V1Client::new(
        &server.url,
        Some((user, password)),
        V1Client::DEFAULT_POLICY,
        None,
        CancellationToken::new(),
    )
    .expect("client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn databases_and_policies_in_two_requests_with_any_name() {
    let server = Influxd::start();
    let c = client(&server, ADMIN_USER, ADMIN_PASSWORD);
    let weird = "we\"ird 'name";
    c.execute(&[
        format!("CREATE DATABASE {}", quote_ident(weird)),
        "CREATE DATABASE metrics".to_owned(),
        format!(
            "CREATE RETENTION POLICY {} ON metrics DURATION 180d REPLICATION 1",
            quote_ident(weird)
        ),
    ])
    .await
    .expect("create");
    let dbs = c.list_databases().await.expect("list");
    let names: Vec<&str> = dbs.iter().map(|d| d.name.as_str()).collect();
    assert!(
        names.contains(&weird) && names.contains(&"metrics"),
        "{names:?}"
    );
    let metrics = dbs.iter().find(|d| d.name == "metrics").unwrap();
    let rp = metrics
        .policies
        .iter()
        .find(|p| p.name == weird)
        .expect("policy");
    assert_eq!(rp.duration, "4320h0m0s");
    assert_eq!(rp.replication, 1);
    assert!(metrics
        .policies
        .iter()
        .any(|p| p.name == "autogen" && p.default));
    // The server agrees.
    assert!(server.databases().contains(&weird.to_owned()));
    assert!(c.find_database("nope").await.expect("find").is_none());
    assert!(c.find_database(weird).await.expect("find").is_some());
    // A statement's own error is reported as such, the others still ran.
    let e = c
        .execute(&[
            "CREATE DATABASE other".to_owned(),
            "ALTER RETENTION POLICY nope ON metrics DURATION 2d".to_owned(),
        ])
        .await
        .expect_err("unknown policy");
    assert!(e.to_string().contains("retention policy not found"), "{e}");
    assert!(server.databases().contains(&"other".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_names_the_url_and_user_never_the_password() {
    let server = Influxd::start();
    let c = client(&server, ADMIN_USER, "wrong-pass-123");
    let started = std::time::Instant::now();
    let e = c.list_databases().await.expect_err("401").to_string();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "not retried"
    );
    assert!(e.contains(&server.url) && e.contains(ADMIN_USER), "{e}");
    assert!(e.contains("401") && !e.contains("wrong-pass-123"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_without_admin_privilege_is_told_which_privilege_it_lacks() {
    let server = Influxd::start();
    server.create_user("reader", "reader-pass");
    let c = client(&server, "reader", "reader-pass");
    let e = c.list_databases().await.expect_err("403").to_string();
    assert!(e.contains("admin privilege"), "{e}");
    assert!(e.contains("403"), "{e}");
}
