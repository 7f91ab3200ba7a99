//! `ManagementClient` against the `influxdb-sim` binary: every endpoint on both products,
//! the error classes, the retry policy (Retry-After and the deadline), cancellation, the
//! never-twice rule for creates, the refresh snapshot (one list call, fresh after a write, a
//! lagging list confirmed by GET), and the simulator's own strictness.

#[path = "support/sim.rs"]
mod sim;

use std::time::{Duration, Instant};

use serde_json::json;
use sim::{SimProcess, ACCOUNT_ID, CLUSTER_ID, MANAGEMENT_TOKEN};
use terraform_provider_influxdb::influxdb::http::{CreateOutcome, ErrorKind};
use terraform_provider_influxdb::influxdb::management::models::{
    BucketPart, CreateDatabase, CreateDatabaseToken, CreateTable, PartitionPart, Permission,
    UpdateDatabase, UpdateDatabaseToken,
};
use terraform_provider_influxdb::influxdb::management::{
    ClientConfig, Deployment, ManagementClient,
};
use tokio_util::sync::CancellationToken;

fn config(sim: &SimProcess) -> ClientConfig {
    let product = if sim.clustered {
        Deployment::Clustered
    } else {
        Deployment::Dedicated {
            account_id: ACCOUNT_ID.into(),
            cluster_id: CLUSTER_ID.into(),
        }
    };
    let mut cfg = ClientConfig::new(&sim.url, product, MANAGEMENT_TOKEN);
    cfg.policy.request_timeout = Duration::from_secs(5);
    cfg.policy.retry_deadline = Duration::from_secs(10);
    cfg.policy.initial_backoff = Duration::from_millis(20);
    cfg.policy.max_backoff = Duration::from_millis(100);
    cfg
}

fn client(sim: &SimProcess) -> ManagementClient {
    ManagementClient::new(config(sim), CancellationToken::new()).unwrap()
}

fn new_token(description: &str, perms: &[(&str, &str)]) -> CreateDatabaseToken {
    CreateDatabaseToken {
        description: description.into(),
        permissions: perms.iter().map(|(a, r)| Permission::new(*a, *r)).collect(),
        expires_at: None,
    }
}

async fn token_lifecycle(sim: SimProcess) {
    let c = client(&sim);
    assert!(c.list_tokens().await.unwrap().is_empty());

    let mut body = new_token(
        "ci writer",
        &[("write", "mydb"), ("read", "*"), ("read", "mydb")],
    );
    body.expires_at = Some("2030-01-01T02:00:00.123456+02:00".into());
    let created = c.create_token(&body).await.unwrap();
    let secret = created.access_token.clone().unwrap();
    assert!(
        secret.starts_with("apiv1_") && secret.len() == 70,
        "{secret}"
    );
    assert_eq!(
        created.expires_at.as_deref(),
        Some("2030-01-01T00:00:00.123Z")
    );
    assert!(created.created_at.ends_with('Z') && created.created_at.len() == 24);
    // Sorted by resource, then action: not the order sent.
    assert_eq!(
        created.permissions,
        vec![
            Permission::new("read", "*"),
            Permission::new("read", "mydb"),
            Permission::new("write", "mydb")
        ]
    );
    if sim.clustered {
        assert_eq!(created.account_id, None);
        assert_eq!(created.cluster_id, None);
    } else {
        assert_eq!(created.account_id.as_deref(), Some(ACCOUNT_ID));
        assert_eq!(created.cluster_id.as_deref(), Some(CLUSTER_ID));
    }

    let got = c.get_token(&created.id).await.unwrap();
    assert_eq!(
        got.access_token, None,
        "the secret is only in the create response"
    );
    assert_eq!(got.permissions, created.permissions);

    // A permissions PATCH replaces the whole set; a description PATCH keeps it.
    let updated = c
        .update_token(
            &created.id,
            &UpdateDatabaseToken {
                description: None,
                permissions: Some(vec![Permission::new("read", "other")]),
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.permissions, vec![Permission::new("read", "other")]);
    let updated = c
        .update_token(
            &created.id,
            &UpdateDatabaseToken {
                description: Some("renamed".into()),
                permissions: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.description, "renamed");
    assert_eq!(updated.permissions, vec![Permission::new("read", "other")]);
    assert_eq!(updated.access_token, None);

    // DELETE revokes; the token stays visible with revokedAt.
    c.delete_token(&created.id).await.unwrap();
    let revoked = c.get_token(&created.id).await.unwrap();
    let revoked_at = revoked.revoked_at.clone().expect("revokedAt");
    assert!(revoked_at.ends_with('Z'));
    let list = c.list_tokens().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].revoked_at.as_deref(), Some(revoked_at.as_str()));
    // Revoking again is accepted and keeps the first revokedAt; changing it is a conflict.
    c.delete_token(&created.id).await.unwrap();
    assert_eq!(
        c.get_token(&created.id).await.unwrap().revoked_at,
        Some(revoked_at)
    );
    let err = c
        .update_token(
            &created.id,
            &UpdateDatabaseToken {
                description: Some("x".into()),
                permissions: None,
            },
        )
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");

    // A token with no permissions at all is valid.
    let empty = c.create_token(&new_token("no access", &[])).await.unwrap();
    assert!(empty.permissions.is_empty());
    assert_eq!(c.list_tokens().await.unwrap().len(), 2);
}

#[tokio::test]
async fn token_lifecycle_on_dedicated() {
    token_lifecycle(SimProcess::dedicated()).await;
}

#[tokio::test]
async fn token_lifecycle_on_clustered() {
    token_lifecycle(SimProcess::clustered()).await;
}

async fn database_lifecycle(sim: SimProcess) {
    let c = client(&sim);
    assert!(c.list_databases().await.unwrap().is_empty());

    let plain = c
        .create_database(&CreateDatabase {
            name: "team/metrics".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (
            plain.max_tables,
            plain.max_columns_per_table,
            plain.retention_period
        ),
        (500, 250, 0)
    );
    assert_eq!(plain.partition_template, None);
    assert_eq!(plain.account_id.is_some(), !sim.clustered);

    let template = vec![
        PartitionPart::Tag("region".into()),
        PartitionPart::Bucket(BucketPart {
            tag_name: "host".into(),
            number_of_buckets: 10,
        }),
        PartitionPart::Time("%Y-%m-%d".into()),
    ];
    let full = c
        .create_database(&CreateDatabase {
            name: "sensors".into(),
            max_tables: Some(10),
            max_columns_per_table: Some(20),
            retention_period: Some(3_600_000_000_000),
            partition_template: Some(template.clone()),
        })
        .await
        .unwrap();
    assert_eq!(full.partition_template.as_ref(), Some(&template));
    assert_eq!(full.retention_period, 3_600_000_000_000);

    let names: Vec<_> = c
        .list_databases()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, ["sensors", "team/metrics"]);

    // A name with a slash travels percent-encoded in the path.
    let updated = c
        .update_database(
            "team/metrics",
            &UpdateDatabase {
                retention_period: Some(86_400_000_000_000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.retention_period, 86_400_000_000_000);
    assert_eq!(updated.max_tables, 500);

    c.delete_database("team/metrics").await.unwrap();
    let err = c.delete_database("team/metrics").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let err = c
        .update_database(
            "team/metrics",
            &UpdateDatabase {
                max_tables: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    assert_eq!(c.list_databases().await.unwrap().len(), 1);
}

#[tokio::test]
async fn database_lifecycle_on_dedicated() {
    database_lifecycle(SimProcess::dedicated()).await;
}

#[tokio::test]
async fn database_lifecycle_on_clustered() {
    database_lifecycle(SimProcess::clustered()).await;
}

/// Rename of a database (its data kept, the old name free) and table create, rename, delete.
async fn rename_and_tables(sim: SimProcess) {
    let c = client(&sim);
    c.create_database(&CreateDatabase {
        name: "metrics".into(),
        retention_period: Some(3_600_000_000_000),
        ..Default::default()
    })
    .await
    .unwrap();
    let marker = sim.request(
        "PUT",
        "/__sim/databases/metrics/data",
        Some(r#"{"marker": "m1"}"#),
        false,
    );
    assert_eq!(marker.status, 204, "{}", marker.body);
    let template = vec![
        PartitionPart::Tag("host".into()),
        PartitionPart::Time("%Y-%m".into()),
    ];
    let t = c
        .create_table(
            "metrics",
            &CreateTable {
                name: "cpu".into(),
                partition_template: Some(template.clone()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (t.database_name.as_str(), t.name.as_str()),
        ("metrics", "cpu")
    );
    assert_eq!(t.partition_template.as_ref(), Some(&template));
    assert_eq!(t.account_id.is_some(), !sim.clustered);

    // The database is renamed with its settings, tables and data; the old name is free.
    let d = c.rename_database("metrics", "team/metrics").await.unwrap();
    assert_eq!(d.name, "team/metrics");
    assert_eq!(d.retention_period, 3_600_000_000_000);
    let state = sim.state();
    let db = &state["databases"][0];
    assert_eq!(db["name"], "team/metrics");
    assert_eq!(db["dataMarker"], "m1", "data kept: {db}");
    assert_eq!(db["tables"][0]["name"], "cpu");
    let err = c.rename_database("metrics", "x").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    c.create_database(&CreateDatabase {
        name: "metrics".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let err = c
        .rename_database("metrics", "team/metrics")
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");

    // Tables: rename in place (with its id), conflicts, unknown database, delete.
    let renamed = c
        .rename_table("team/metrics", "cpu", "cpu_load")
        .await
        .unwrap();
    assert_eq!(renamed.name, "cpu_load");
    assert!(renamed.id.is_some_and(|id| id > 0), "{renamed:?}");
    let plain = |name: &str| CreateTable {
        name: name.into(),
        partition_template: None,
    };
    c.create_table("team/metrics", &plain("cpu")).await.unwrap();
    let err = c
        .rename_table("team/metrics", "cpu", "cpu_load")
        .await
        .unwrap_err();
    assert!(err.is_conflict(), "{err}");
    let err = c
        .create_table("team/metrics", &plain("cpu"))
        .await
        .unwrap_err();
    assert!(err.error.is_conflict(), "{err}");
    let err = c.create_table("nope", &plain("cpu")).await.unwrap_err();
    assert!(err.error.is_not_found(), "{err}");
    assert!(!err.may_have_been_created());
    c.delete_table("team/metrics", "cpu_load").await.unwrap();
    let err = c
        .delete_table("team/metrics", "cpu_load")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let err = c
        .rename_table("team/metrics", "gone", "x")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err}");
    let tables: Vec<_> = sim.state()["databases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "team/metrics")
        .unwrap()["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(tables, ["cpu"]);

    // Deleting the database deletes its tables and data.
    c.delete_database("team/metrics").await.unwrap();
    let err = c.delete_table("team/metrics", "cpu").await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
}

#[tokio::test]
async fn rename_and_tables_on_dedicated() {
    rename_and_tables(SimProcess::dedicated()).await;
}

#[tokio::test]
async fn rename_and_tables_on_clustered() {
    rename_and_tables(SimProcess::clustered()).await;
}

#[tokio::test]
async fn simulator_is_strict_on_renames_and_tables() {
    let sim = SimProcess::clustered();
    assert_eq!(
        sim.api("POST", "/databases", Some(r#"{"name":"d","maxTables":1}"#))
            .status,
        200
    );
    let status = |method: &str, path: &str, body: &str| {
        let a = sim.api(method, path, Some(body));
        (a.status, a.body)
    };
    for (method, path, body, want) in [
        ("PUT", "/databases/d/rename", r#"{"name":"_x"}"#, 400),
        ("PUT", "/databases/d/rename", r#"{"name":""}"#, 400),
        ("PUT", "/databases/d/rename", r#"{}"#, 400),
        (
            "PUT",
            "/databases/d/rename",
            r#"{"name":"e","extra":1}"#,
            400,
        ),
        ("PUT", "/databases/none/rename", r#"{"name":"e"}"#, 404),
        ("POST", "/databases/d/tables", r#"{"name":""}"#, 400),
        (
            "POST",
            "/databases/d/tables",
            r#"{"name":"t","partitionTemplate":[]}"#,
            400,
        ),
        (
            "POST",
            "/databases/d/tables",
            r#"{"name":"t","partitionTemplate":[{"type":"tag","value":"a"}]}"#,
            400,
        ),
        (
            "POST",
            "/databases/d/tables",
            r#"{"name":"t","partitionTemplate":[{"type":"time","value":"%Y"},{"type":"time","value":"%Y"}]}"#,
            400,
        ),
        ("POST", "/databases/none/tables", r#"{"name":"t"}"#, 404),
        ("POST", "/databases/d/tables", r#"{"name":"t"}"#, 200),
        ("POST", "/databases/d/tables", r#"{"name":"u"}"#, 400),
        ("PUT", "/databases/d/tables/t/rename", r#"{"name":""}"#, 400),
        (
            "PUT",
            "/databases/d/tables/none/rename",
            r#"{"name":"x"}"#,
            404,
        ),
        ("GET", "/databases/d/tables/t", "", 405),
    ] {
        let (got, body) = status(method, path, body);
        assert_eq!(got, want, "{method} {path}: {body}");
    }
    assert_eq!(
        sim.request(
            "PUT",
            "/__sim/databases/none/data",
            Some(r#"{"marker":"x"}"#),
            false
        )
        .status,
        404
    );
}

#[tokio::test]
async fn rejected_management_token_names_the_setting_but_not_the_token() {
    let sim = SimProcess::dedicated();
    let mut cfg = config(&sim);
    cfg.management_token = "wrong-management-token-value".into();
    let c = ManagementClient::new(cfg, CancellationToken::new()).unwrap();
    let err = c.list_tokens().await.unwrap_err();
    assert!(
        matches!(err.kind, ErrorKind::Unauthorized { .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains("management_token"), "{msg}");
    assert!(msg.contains("INFLUXDB3_MANAGEMENT_TOKEN"), "{msg}");
    assert!(!msg.contains("wrong-management-token-value"), "{msg}");
    assert!(!format!("{err:?}").contains("wrong-management-token-value"));
    let err = c.create_token(&new_token("x", &[])).await.unwrap_err();
    assert_eq!(err.outcome, CreateOutcome::Rejected);
    assert!(!err.to_string().contains("wrong-management-token-value"));
    // 401 is not retried: one request each.
    assert_eq!(sim.requests().len(), 2);
}

#[tokio::test]
async fn wrong_account_is_forbidden_and_wrong_cluster_not_found() {
    let sim = SimProcess::dedicated();
    let mut cfg = config(&sim);
    cfg.deployment = Deployment::Dedicated {
        account_id: "33333333-3333-4333-8333-333333333333".into(),
        cluster_id: CLUSTER_ID.into(),
    };
    let c = ManagementClient::new(cfg.clone(), CancellationToken::new()).unwrap();
    let err = c.list_databases().await.unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().contains("account_id"), "{err}");
    assert!(err.to_string().contains("INFLUXDB3_ACCOUNT_ID"), "{err}");

    cfg.deployment = Deployment::Dedicated {
        account_id: ACCOUNT_ID.into(),
        cluster_id: "33333333-3333-4333-8333-333333333333".into(),
    };
    let c = ManagementClient::new(cfg, CancellationToken::new()).unwrap();
    assert!(c.list_tokens().await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn unknown_token_is_not_found() {
    let sim = SimProcess::clustered();
    let c = client(&sim);
    let err = c
        .get_token("00000000-0000-4000-8000-000000000000")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(c
        .delete_token("00000000-0000-4000-8000-000000000000")
        .await
        .unwrap_err()
        .is_not_found());
}

#[tokio::test]
async fn duplicate_database_is_a_conflict() {
    let sim = SimProcess::dedicated();
    let c = client(&sim);
    let body = CreateDatabase {
        name: "dup".into(),
        ..Default::default()
    };
    c.create_database(&body).await.unwrap();
    let err = c.create_database(&body).await.unwrap_err();
    assert!(err.error.is_conflict(), "{err:?}");
    assert_eq!(err.outcome, CreateOutcome::Rejected);
    assert!(err.to_string().contains("409"), "{err}");
}

#[tokio::test]
async fn bad_request_carries_the_server_message() {
    let sim = SimProcess::dedicated();
    let c = client(&sim);
    let err = c
        .create_database(&CreateDatabase {
            name: "my db".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.outcome, CreateOutcome::Rejected);
    assert!(
        matches!(err.error.kind, ErrorKind::Invalid { status: 400, .. }),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("400") && msg.contains("\"my db\" contains the character ' '"),
        "{msg}"
    );

    let err = c
        .create_token(&new_token("x", &[("admin", "*")]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("\"read\" or \"write\""), "{err}");
    assert_eq!(err.outcome, CreateOutcome::Rejected);

    let err = c
        .create_database(&CreateDatabase {
            name: "no-time".into(),
            partition_template: Some(vec![PartitionPart::Tag("a".into())]),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert!(err.to_string().contains("exactly one time part"), "{err}");
}

#[tokio::test]
async fn too_many_requests_is_retried_after_retry_after() {
    let sim = SimProcess::dedicated();
    sim.add_fault(
        json!({"method": "GET", "path_suffix": "/tokens", "count": 1,
                         "status": 429, "retry_after_secs": 1}),
    );
    let start = Instant::now();
    assert!(client(&sim).list_tokens().await.unwrap().is_empty());
    assert!(
        start.elapsed() >= Duration::from_millis(950),
        "{:?}",
        start.elapsed()
    );
    let statuses: Vec<_> = sim.requests().iter().map(|r| r["status"].clone()).collect();
    assert_eq!(statuses, [json!(429), json!(200)]);
}

#[tokio::test]
async fn unavailable_is_retried_until_success() {
    let sim = SimProcess::clustered();
    let c = client(&sim);
    let db = c
        .create_database(&CreateDatabase {
            name: "db".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    sim.clear_requests();
    sim.add_fault(json!({"method": "PATCH", "count": 2, "status": 503}));
    sim.add_fault(json!({"method": "DELETE", "count": 1, "status": 502}));
    sim.add_fault(json!({"method": "GET", "count": 1, "status": 504}));
    let updated = c
        .update_database(
            &db.name,
            &UpdateDatabase {
                max_tables: Some(7),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.max_tables, 7);
    assert_eq!(c.list_databases().await.unwrap()[0].max_tables, 7);
    c.delete_database(&db.name).await.unwrap();
    assert_eq!(sim.count_requests("PATCH", "/databases/db"), 3);
    assert_eq!(sim.count_requests("GET", "/databases"), 2);
    assert_eq!(sim.count_requests("DELETE", "/databases/db"), 2);
}

#[tokio::test]
async fn faults_that_outlast_the_deadline_give_deadline_exceeded() {
    let sim = SimProcess::dedicated();
    sim.add_fault(json!({"count": 1000, "status": 503}));
    let mut cfg = config(&sim);
    cfg.policy.retry_deadline = Duration::from_millis(400);
    let c = ManagementClient::new(cfg, CancellationToken::new()).unwrap();
    let start = Instant::now();
    let err = c.list_tokens().await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    match &err.kind {
        ErrorKind::DeadlineExceeded { deadline, last } => {
            let attempts = deadline.attempts;
            assert!(attempts >= 2, "{attempts}");
            assert_eq!(last.status(), Some(503));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("503"), "{err}");
}

#[tokio::test]
async fn cancellation_stops_a_slow_call_promptly() {
    let sim = SimProcess::dedicated();
    sim.add_fault(json!({"latency_ms": 5000}));
    let cancel = CancellationToken::new();
    let c = ManagementClient::new(config(&sim), cancel.clone()).unwrap();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        trigger.cancel();
    });
    let start = Instant::now();
    let err = c.list_databases().await.unwrap_err();
    assert!(err.is_cancelled(), "{err:?}");
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    // Once cancelled, nothing more is sent: a create reports that it never left.
    let err = c.create_token(&new_token("x", &[])).await.unwrap_err();
    assert!(err.error.is_cancelled());
    assert_eq!(err.outcome, CreateOutcome::NotSent);
    assert_eq!(sim.count_requests("POST", "/tokens"), 0);
}

#[tokio::test]
async fn cancellation_interrupts_the_backoff() {
    let sim = SimProcess::dedicated();
    sim.add_fault(json!({"count": 10, "status": 429, "retry_after_secs": 30}));
    let cancel = CancellationToken::new();
    let mut cfg = config(&sim);
    cfg.policy.retry_deadline = Duration::from_secs(60);
    let c = ManagementClient::new(cfg, cancel.clone()).unwrap();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let start = Instant::now();
    assert!(c.list_tokens().await.unwrap_err().is_cancelled());
    assert!(start.elapsed() < Duration::from_secs(2));
    assert_eq!(sim.requests().len(), 1);
}

#[tokio::test]
async fn create_answered_by_a_gateway_error_is_unknown_and_sent_once() {
    let sim = SimProcess::dedicated();
    sim.add_fault(json!({"method": "POST", "path_suffix": "/tokens", "count": 5, "status": 503}));
    let c = client(&sim);
    let err = c
        .create_token(&new_token("once", &[("read", "*")]))
        .await
        .unwrap_err();
    assert_eq!(err.outcome, CreateOutcome::Unknown);
    assert!(err.may_have_been_created());
    assert_eq!(err.error.status(), Some(503));
    assert!(err.to_string().contains("may have been created"), "{err}");
    assert_eq!(sim.count_requests("POST", "/tokens"), 1);
    assert!(
        c.list_tokens().await.unwrap().is_empty(),
        "a fault does not act"
    );
}

#[tokio::test]
async fn create_whose_answer_is_lost_is_unknown_sent_once_and_exists() {
    let sim = SimProcess::dedicated();
    sim.add_fault(
        json!({"method": "POST", "path_suffix": "/tokens", "count": 1,
                         "drop_after_handling": true}),
    );
    let c = client(&sim);
    let err = c
        .create_token(&new_token("orphan", &[("write", "db")]))
        .await
        .unwrap_err();
    assert_eq!(err.outcome, CreateOutcome::Unknown, "{err:?}");
    assert!(
        matches!(err.error.kind, ErrorKind::Transport { .. }),
        "{err:?}"
    );
    let posts: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r["method"] == "POST")
        .collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["status"], serde_json::Value::Null);
    let tokens = c.list_tokens().await.unwrap();
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].description, "orphan");
}

#[tokio::test]
async fn create_that_cannot_connect_is_not_sent() {
    // A port nobody listens on: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cfg = ClientConfig::new(
        format!("http://127.0.0.1:{port}"),
        Deployment::Clustered,
        MANAGEMENT_TOKEN,
    );
    cfg.policy.retry_deadline = Duration::from_millis(300);
    cfg.policy.initial_backoff = Duration::from_millis(20);
    let c = ManagementClient::new(cfg, CancellationToken::new()).unwrap();
    let err = c
        .create_database(&CreateDatabase {
            name: "x".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.outcome, CreateOutcome::NotSent, "{err:?}");
    // Nothing ever answered there: a wrong address, given up after 3 tries.
    assert!(
        matches!(err.error.kind, ErrorKind::Unreachable { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Could not reach"), "{err}");
}

#[tokio::test]
async fn simulator_rejects_what_the_api_rejects() {
    let sim = SimProcess::dedicated();
    let bad = |body: serde_json::Value| {
        let a = sim.api("POST", "/tokens", Some(&body.to_string()));
        assert_eq!(a.status, 400, "{body} -> {}", a.body);
        assert_eq!(a.json()["code"], 400);
        a.json()["message"].as_str().unwrap().to_owned()
    };
    let m = bad(json!({"description": "x", "permissions": [{"action": "admin", "resource": "*"}]}));
    assert!(m.contains("admin"), "{m}");
    let m =
        bad(json!({"description": "x", "permissions": [{"action": "read", "resource": "db*"}]}));
    assert!(m.contains("db*"), "{m}");
    let m = bad(json!({"description": "x", "expiresAt": "2030-01-01"}));
    assert!(m.contains("RFC 3339"), "{m}");
    let m = bad(json!({"description": "x", "colour": "red"}));
    assert!(m.contains("colour"), "{m}");
    bad(json!({"description": 5}));
    bad(json!({"permissions": []}));
    bad(json!({"description": "x", "permissions": [{"action": "read"}]}));

    let a = sim.api("GET", "/tokens/not-a-uuid", None);
    assert_eq!(a.status, 400, "{}", a.body);
    let a = sim.api(
        "PATCH",
        "/tokens/00000000-0000-4000-8000-000000000000",
        Some("{}"),
    );
    assert_eq!(a.status, 400, "{}", a.body);
    let a = sim.api("POST", "/databases", Some(r#"{"name":"d","maxTables":0}"#));
    assert_eq!(a.status, 400, "{}", a.body);
    let a = sim.api("POST", "/databases", Some(r#"{"name":"_internal"}"#));
    assert_eq!(a.status, 400, "{}", a.body);
    let a = sim.api(
        "POST",
        "/databases",
        Some(
            r#"{"name":"d","partitionTemplate":[{"type":"time","value":"%Y"},
               {"type":"bucket","value":{"tagName":"t","numberOfBuckets":100001}}]}"#,
        ),
    );
    assert_eq!(a.status, 400, "{}", a.body);
    let a = sim.api(
        "POST",
        "/databases",
        Some(r#"{"name":"d","retentionPeriod":-1}"#),
    );
    assert_eq!(a.status, 400, "{}", a.body);
    let a = sim.api("POST", "/databases", Some(r#"{"name":"d"}"#));
    assert_eq!(a.status, 200, "{}", a.body);
    let a = sim.api("PATCH", "/databases/d", Some("{}"));
    assert_eq!(a.status, 400, "{}", a.body);

    // No bearer token: 401 with the spec's body; a Clustered path on Dedicated: 404.
    let a = sim.request("GET", &format!("{}/tokens", sim.api_prefix()), None, false);
    assert_eq!(
        (a.status, a.json()),
        (401, json!({"code": 401, "message": "unauthorized"}))
    );
    assert_eq!(sim.request("GET", "/api/v0/tokens", None, true).status, 404);
    assert_eq!(sim.state()["databases"][0]["name"], "d");
}

#[tokio::test]
async fn simulator_binary_keeps_state_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let state_arg = state.to_str().unwrap();
    let sim = SimProcess::start(&["--product", "clustered", "--state", state_arg]);
    let c = client(&sim);
    c.create_database(&CreateDatabase {
        name: "kept".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let token = c
        .create_token(&new_token("kept", &[("read", "kept")]))
        .await
        .unwrap();
    let secret = token.access_token.unwrap();
    assert!(sim.terminate().success(), "exits cleanly on SIGTERM");
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(!text.contains(&secret), "access tokens are never stored");

    let sim = SimProcess::start(&["--product", "clustered", "--state", state_arg]);
    let c = client(&sim);
    assert_eq!(c.list_databases().await.unwrap()[0].name, "kept");
    let again = c.get_token(&token.id).await.unwrap();
    assert_eq!(again.description, "kept");
    assert_eq!(again.access_token, None);
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_fails_at_once_saying_so() {
    let sim = SimProcess::dedicated();
    sim.add_fault(json!({"method": "GET", "count": 5, "status": 503, "retry_after_secs": 30}));
    let c = client(&sim); // retry deadline 10 s
    let start = Instant::now();
    let err = c.list_tokens().await.unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let text = err.to_string();
    assert!(text.contains("and 1 try;"), "{text}");
    assert!(
        text.contains("asked to retry after 30 s, which is past the retry deadline of 10 s"),
        "{text}"
    );
    assert_eq!(sim.requests().len(), 1);
}

// ---- refresh from one list call (src/influxdb/snapshot.rs) ----

#[tokio::test]
async fn reads_of_many_tokens_cost_one_list_call_even_when_concurrent() {
    let sim = SimProcess::dedicated();
    let c = client(&sim);
    let mut ids = Vec::new();
    for i in 0..20 {
        ids.push(
            c.create_token(&new_token(&format!("t{i}"), &[("read", "db")]))
                .await
                .unwrap()
                .id,
        );
    }
    sim.clear_requests();
    let mut reads = tokio::task::JoinSet::new();
    for id in ids.clone() {
        let c = c.clone();
        reads.spawn(async move { c.read_token(&id).await.map(|t| (id, t)) });
    }
    while let Some(r) = reads.join_next().await {
        let (id, t) = r.unwrap().unwrap();
        assert_eq!(t.id, id);
    }
    // Later reads too come from the same snapshot.
    assert_eq!(c.read_token(&ids[3]).await.unwrap().description, "t3");
    let log = sim.requests();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["method"], "GET");
    assert!(log[0]["path"].as_str().unwrap().ends_with("/tokens"));
}

#[tokio::test]
async fn a_read_after_a_write_through_the_client_sees_the_write() {
    let sim = SimProcess::dedicated();
    let c = client(&sim);
    let a = c
        .create_token(&new_token("before", &[("read", "db")]))
        .await
        .unwrap();
    assert_eq!(c.read_token(&a.id).await.unwrap().description, "before");

    // Update: the snapshot taken above must not answer the next read.
    c.update_token(
        &a.id,
        &UpdateDatabaseToken {
            description: Some("after".into()),
            permissions: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(c.read_token(&a.id).await.unwrap().description, "after");

    // Create: the new token is in the next list.
    let b = c.create_token(&new_token("second", &[])).await.unwrap();
    sim.clear_requests();
    assert_eq!(c.read_token(&b.id).await.unwrap().description, "second");
    assert_eq!(
        sim.count_requests("GET", "/tokens"),
        1,
        "{:?}",
        sim.requests()
    );
    assert_eq!(
        sim.requests().len(),
        1,
        "found in the fresh list, no GET by id"
    );

    // Delete (revoke): the next read sees revokedAt. A clone shares the snapshot.
    c.clone().delete_token(&a.id).await.unwrap();
    assert!(c.read_token(&a.id).await.unwrap().revoked_at.is_some());

    // Databases the same way.
    c.create_database(&CreateDatabase {
        name: "db".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        c.read_database("db").await.unwrap().unwrap().max_tables,
        500
    );
    c.update_database(
        "db",
        &UpdateDatabase {
            max_tables: Some(9),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(c.read_database("db").await.unwrap().unwrap().max_tables, 9);
    c.delete_database("db").await.unwrap();
    assert_eq!(c.read_database("db").await.unwrap(), None);
}

#[tokio::test]
async fn a_token_missing_from_a_lagging_list_is_confirmed_by_one_get() {
    let sim = SimProcess::clustered();
    let c = client(&sim);
    let t = c.create_token(&new_token("lagging", &[])).await.unwrap();
    let fresh = client(&sim);
    sim.add_fault(json!({"method": "GET", "path_suffix": "/tokens", "omit_ids": [t.id]}));
    sim.clear_requests();
    let got = fresh.read_token(&t.id).await.unwrap();
    assert_eq!(got.description, "lagging");
    let paths: Vec<_> = sim.requests().iter().map(|r| r["path"].clone()).collect();
    assert_eq!(
        paths,
        [
            json!("/api/v0/tokens"),
            json!(format!("/api/v0/tokens/{}", t.id))
        ]
    );

    // A token that is really gone: the GET says 404.
    let err = fresh
        .read_token("33333333-3333-4333-8333-333333333333")
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
}
