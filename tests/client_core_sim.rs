//! The InfluxDB 3 Core/Enterprise simulator (`--product core|enterprise`) as a client sees it:
//! authentication, `/ping` and `/health`, tokens (named admin, Enterprise resource tokens,
//! delete by name, `_admin` protected), the SQL it answers on `system.tokens`,
//! `system.databases` and `system.influxdb_schema`, databases (create, list, retention, soft
//! and hard delete), tables, columns added by a write, faults; then the provider's
//! `CoreClient` against it.

#[path = "support/sim.rs"]
mod sim;

use serde_json::json;
use sim::{SimProcess, CORE_TOKEN};

fn post(sim: &SimProcess, path: &str, body: serde_json::Value) -> sim::Answer {
    sim.v3("POST", path, Some(&body.to_string()))
}

#[test]
fn authentication_comes_before_routing() {
    let sim = SimProcess::core();
    let a = sim.request_as("GET", "/ping", None, None);
    assert_eq!(a.status, 401);
    assert_eq!(a.json()["error"], "the request was not authenticated");
    assert_eq!(sim.request_as("GET", "/nowhere", None, None).status, 401);
    let a = sim.request_as("GET", "/ping", None, Some("bearer sim-operator-token"));
    assert_eq!(a.status, 400, "the scheme is case-sensitive");
    assert_eq!(
        sim.request_as("GET", "/ping", None, Some("Bearer wrong"))
            .status,
        401
    );
    let token = format!("Token {CORE_TOKEN}");
    assert_eq!(
        sim.request_as("GET", "/ping", None, Some(&token)).status,
        200
    );
    let a = sim.v3("GET", "/nowhere", None);
    assert_eq!((a.status, a.body.as_str()), (404, "Not found"));
    // The operator token exists from the start: creating it again is a conflict, without auth.
    let a = sim.request_as("POST", "/api/v3/configure/token/admin", None, None);
    assert_eq!(
        (a.status, a.body.as_str()),
        (409, "token name already exists, _admin")
    );
}

#[test]
fn ping_says_which_server_it_is() {
    for (sim, build) in [
        (SimProcess::core(), "Core"),
        (SimProcess::enterprise(), "Enterprise"),
    ] {
        let a = sim.v3("GET", "/ping", None);
        assert_eq!(a.status, 200);
        assert_eq!(a.json()["version"], "3.8.4");
        assert_eq!(a.json()["product_name"], format!("InfluxDB 3 {build}"));
        let raw = sim.request_as("GET", "/ping", None, Some(&format!("Bearer {CORE_TOKEN}")));
        assert_eq!(raw.status, 200);
        let h = sim.v3("GET", "/health", None);
        assert_eq!((h.status, h.body.as_str()), (200, "OK"));
    }
}

#[test]
fn named_admin_tokens_are_created_listed_and_deleted_by_name() {
    let sim = SimProcess::core();
    let a = post(
        &sim,
        "/api/v3/configure/token/named_admin",
        json!({"token_name": "ci", "expiry_secs": 3600}),
    );
    assert_eq!(a.status, 201, "{}", a.body);
    let t = a.json();
    let secret = t["token"].as_str().unwrap().to_owned();
    assert!(
        secret.starts_with("apiv3_") && secret.len() == 92,
        "{secret}"
    );
    assert_eq!(t["hash"].as_str().unwrap().len(), 128);
    assert_eq!(t["id"], 1);
    assert!(t["created_at"].as_str().unwrap().ends_with('Z'));
    assert!(t["expiry"].as_str().unwrap().ends_with('Z'));
    assert_eq!(sim.v3_authenticate(&secret), Some(("ci".into(), true)));
    // The new token is an admin: it may create another.
    let a = sim.request_as(
        "POST",
        "/api/v3/configure/token/named_admin",
        Some(r#"{"token_name":"second"}"#),
        Some(&format!("Bearer {secret}")),
    );
    assert_eq!(a.status, 201);
    assert!(a.json()["expiry"].is_null());

    let a = post(
        &sim,
        "/api/v3/configure/token/named_admin",
        json!({"token_name": "ci"}),
    );
    assert_eq!(
        (a.status, a.body.as_str()),
        (409, "token name already exists, ci")
    );

    let rows = sim.v3_rows("_internal", "system.tokens");
    let names: Vec<_> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["_admin", "ci", "second"]);
    let ci = &rows[1];
    assert_eq!(ci["token_id"], 1);
    assert_eq!(ci["permissions"], "*:*:*");
    assert_eq!(ci["hash"].as_str().unwrap().len(), 9);
    assert!(
        !ci["created_at"].as_str().unwrap().ends_with('Z'),
        "naive timestamps"
    );
    assert!(ci.get("expiry").is_some());
    assert!(rows[2].get("expiry").is_none(), "null columns are left out");

    // A WHERE on one column and a projection.
    let q = "SELECT%20token_id,%20name%20FROM%20system.tokens%20WHERE%20name%20=%20'ci'";
    let a = sim.v3(
        "GET",
        &format!("/api/v3/query_sql?db=_internal&q={q}"),
        None,
    );
    assert_eq!(a.json(), json!([{"token_id": 1, "name": "ci"}]));

    let a = sim.v3("DELETE", "/api/v3/configure/token?token_name=ci", None);
    assert_eq!((a.status, a.body.as_str()), (200, ""));
    assert_eq!(sim.v3_authenticate(&secret), None);
    let a = sim.v3("DELETE", "/api/v3/configure/token?token_name=ci", None);
    assert_eq!(a.status, 404);
    let a = sim.v3("DELETE", "/api/v3/configure/token?token_name=_admin", None);
    assert_eq!(
        (a.status, a.body.as_str()),
        (405, "cannot delete operator token")
    );
}

#[test]
fn resource_tokens_exist_on_enterprise_only() {
    let core = SimProcess::core();
    let body = json!({"token_name": "app", "permissions": [{"resource_type": "db", "resource_names": ["*"], "actions": ["read"]}]});
    let a = post(&core, "/api/v3/enterprise/configure/token", body.clone());
    assert_eq!((a.status, a.body.as_str()), (404, "Not found"));

    let sim = SimProcess::enterprise();
    let named = json!({"token_name": "app", "permissions": [{"resource_type": "db", "resource_names": ["sensors"], "actions": ["read", "write"]}]});
    let a = post(&sim, "/api/v3/enterprise/configure/token", named.clone());
    assert_eq!(a.status, 400);
    assert!(
        a.body
            .contains("cannot parse token permission, invalid resource name sensors"),
        "{}",
        a.body
    );
    assert_eq!(
        post(&sim, "/api/v3/configure/database", json!({"db": "sensors"})).status,
        200
    );
    let a = post(&sim, "/api/v3/enterprise/configure/token", named);
    assert_eq!(a.status, 201, "{}", a.body);
    let secret = a.json()["token"].as_str().unwrap().to_owned();
    let mixed = json!({"token_name": "x", "permissions": [{"resource_type": "db", "resource_names": ["*", "sensors"], "actions": ["read"]}]});
    let a = post(&sim, "/api/v3/enterprise/configure/token", mixed);
    assert!(a.body.contains("mixed wildcard"), "{}", a.body);

    let rows = sim.v3_rows("_internal", "system.tokens");
    let app = rows.iter().find(|r| r["name"] == "app").unwrap();
    assert_eq!(
        app["permissions"],
        r#"["db:sensors:read","db:sensors:write"]"#
    );

    // A resource token may write its database but not administer.
    let bearer = format!("Bearer {secret}");
    let a = sim.request_as(
        "POST",
        "/api/v3/write_lp?db=sensors",
        Some("cpu,host=a usage=1"),
        Some(&bearer),
    );
    assert_eq!(a.status, 204);
    let a = sim.request_as(
        "POST",
        "/api/v3/configure/token/named_admin",
        Some(r#"{"token_name":"y"}"#),
        Some(&bearer),
    );
    assert_eq!(a.status, 403);
    let a = sim.v3("DELETE", "/api/v3/configure/token?token_name=app", None);
    assert_eq!(a.status, 200);
}

#[test]
fn databases_are_created_listed_changed_and_deleted() {
    let sim = SimProcess::core();
    let a = post(
        &sim,
        "/api/v3/configure/database",
        json!({"db": "sensors", "retention_period": "30d"}),
    );
    assert_eq!((a.status, a.body.as_str()), (200, ""));
    assert_eq!(
        post(&sim, "/api/v3/configure/database", json!({"db": "sensors"})).status,
        409
    );
    let a = post(&sim, "/api/v3/configure/database", json!({"db": "_bad"}));
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["error"],
        "db name did not start with a number or letter"
    );
    let a = sim.request_as(
        "POST",
        "/api/v3/configure/database",
        Some(r#"{"db":"x"}"#),
        Some(&format!("Bearer {CORE_TOKEN}")),
    );
    assert_eq!(a.status, 200);

    let a = sim.v3("GET", "/api/v3/configure/database?format=json", None);
    assert_eq!(
        a.json(),
        json!([{"iox::database": "_internal"}, {"iox::database": "sensors"}, {"iox::database": "x"}])
    );
    assert_eq!(
        sim.v3("GET", "/api/v3/configure/database", None).status,
        400
    );
    let dbs = sim.v3_rows("_internal", "system.databases");
    let sensors = dbs
        .iter()
        .find(|d| d["database_name"] == "sensors")
        .unwrap();
    assert_eq!(
        sensors["retention_period_ns"],
        30u64 * 86_400 * 1_000_000_000
    );
    assert_eq!(sensors["deleted"], false);

    // PUT without retention_period clears it.
    let a = sim.v3(
        "PUT",
        "/api/v3/configure/database",
        Some(r#"{"db":"sensors"}"#),
    );
    assert_eq!(a.status, 200);
    let dbs = sim.v3_rows("_internal", "system.databases");
    assert!(dbs
        .iter()
        .find(|d| d["database_name"] == "sensors")
        .unwrap()
        .get("retention_period_ns")
        .is_none());

    // Soft delete renames; the name is free again; a second delete by name is 404.
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/database?db=sensors", None)
            .status,
        200
    );
    let a = sim.v3(
        "GET",
        "/api/v3/configure/database?format=json&show_deleted=true",
        None,
    );
    let deleted: Vec<_> = a
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["deleted"] == true)
        .cloned()
        .collect();
    assert_eq!(deleted.len(), 1);
    assert!(deleted[0]["iox::database"]
        .as_str()
        .unwrap()
        .starts_with("sensors-"));
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/database?db=sensors", None)
            .status,
        404
    );
    // Hard delete removes it.
    assert_eq!(
        sim.v3(
            "DELETE",
            "/api/v3/configure/database?db=x&hard_delete_at=now",
            None
        )
        .status,
        200
    );
    // As on the real server, it stays listed, deleted, until the background deletion.
    let dbs = sim.v3_rows("_internal", "system.databases");
    assert!(
        dbs.iter().any(|d| d["database_name"] == "_internal"),
        "{dbs:?}"
    );
    assert!(
        dbs.iter()
            .filter(|d| d["database_name"] != "_internal")
            .all(|d| d["deleted"] == true),
        "{dbs:?}"
    );
    assert_eq!(
        sim.v3("DELETE", "/api/v3/configure/database?db=_internal", None)
            .status,
        500
    );

    // Core's limit of five databases.
    for i in 0..5 {
        assert_eq!(
            post(
                &sim,
                "/api/v3/configure/database",
                json!({"db": format!("d{i}")})
            )
            .status,
            200
        );
    }
    assert_eq!(
        post(&sim, "/api/v3/configure/database", json!({"db": "d5"})).status,
        422
    );
}

#[test]
fn tables_have_columns_and_writes_add_more() {
    let sim = SimProcess::enterprise();
    let table = json!({"db": "sensors", "table": "cpu", "tags": ["host"], "fields": [{"name": "usage", "type": "float64"}]});
    // As the real server does, a table in a missing database creates the database.
    let elsewhere = json!({"db": "implicit", "table": "cpu", "tags": ["host"], "fields": []});
    assert_eq!(post(&sim, "/api/v3/configure/table", elsewhere).status, 200);
    assert!(sim.database("implicit").is_some());
    post(&sim, "/api/v3/configure/database", json!({"db": "sensors"}));
    let a = post(&sim, "/api/v3/configure/table", table.clone());
    assert_eq!((a.status, a.body.as_str()), (200, ""));
    assert_eq!(post(&sim, "/api/v3/configure/table", table).status, 409);
    let bad = json!({"db": "sensors", "table": "t", "tags": [], "fields": [{"name": "x", "type": "double"}]});
    assert_eq!(post(&sim, "/api/v3/configure/table", bad).status, 400);
    let reserved = json!({"db": "sensors", "table": "t", "tags": ["time"], "fields": []});
    assert_eq!(post(&sim, "/api/v3/configure/table", reserved).status, 400);

    sim.v3_write("sensors", "cpu,host=a,region=eu usage=1,count=3i\n");
    let q = "SELECT%20key,%20data_type%20FROM%20system.influxdb_schema%20WHERE%20measurement%20=%20'cpu'";
    let a = sim.v3("GET", &format!("/api/v3/query_sql?db=sensors&q={q}"), None);
    // Sorted by name, as the real server lists them.
    assert_eq!(
        a.json(),
        json!([
            {"key": "count", "data_type": "integer"},
            {"key": "host", "data_type": "tag"},
            {"key": "region", "data_type": "tag"},
            {"key": "time", "data_type": "time"},
            {"key": "usage", "data_type": "float"}
        ])
    );
    let a = sim.v3(
        "GET",
        "/api/v3/query_sql?db=nope&q=SELECT%20*%20FROM%20system.influxdb_schema",
        None,
    );
    assert_eq!(a.status, 404);
    assert_eq!(a.json()["error"], "query error: database not found: nope");
    let a = sim.v3(
        "DELETE",
        "/api/v3/configure/table?db=sensors&table=cpu",
        None,
    );
    assert_eq!(a.status, 200);
    assert_eq!(
        sim.v3(
            "DELETE",
            "/api/v3/configure/table?db=sensors&table=cpu",
            None
        )
        .status,
        404
    );
}

#[test]
fn faults_and_the_request_log_work_as_for_every_family() {
    let sim = SimProcess::core();
    sim.add_fault(json!({"method": "POST", "path_suffix": "/named_admin", "status": 503}));
    let a = post(
        &sim,
        "/api/v3/configure/token/named_admin",
        json!({"token_name": "ci"}),
    );
    assert_eq!(a.status, 503);
    assert!(
        sim.v3_token("ci").is_none(),
        "a failed request does nothing"
    );
    // A list that lags: system.tokens rows are left out by name.
    post(
        &sim,
        "/api/v3/configure/token/named_admin",
        json!({"token_name": "ci"}),
    );
    sim.add_fault(json!({"method": "GET", "path_suffix": "/query_sql", "omit_ids": ["ci"]}));
    let rows = sim.v3_rows("_internal", "system.tokens");
    assert!(rows.iter().all(|r| r["name"] != "ci"));
    assert_eq!(
        sim.count_requests("POST", "/api/v3/configure/token/named_admin"),
        2
    );
    let a = sim.request("DELETE", "/__sim/state", None, false);
    assert_eq!(a.status, 204);
    assert_eq!(sim.v3_tokens().len(), 1);
}

// ---- the provider's client ----

mod client {
    use super::sim::{SimProcess, CORE_TOKEN};
    use std::time::Duration;
    use terraform_provider_influxdb::influxdb::core::models::{
        CreateNamedAdminToken, CreateResourceToken, CreateTable, DatabaseBody, FieldColumn,
        TokenPermission,
    };
    use terraform_provider_influxdb::influxdb::core::CoreClient;
    use terraform_provider_influxdb::influxdb::http::{CreateOutcome, ErrorKind, Policy};
    use tokio_util::sync::CancellationToken;

    fn client(sim: &SimProcess, token: &str) -> CoreClient {
        let policy = Policy {
            request_timeout: Duration::from_secs(5),
            retry_deadline: Duration::from_secs(10),
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(100),
        };
        CoreClient::new(&sim.url, token, policy, None, CancellationToken::new()).unwrap()
    }

    #[tokio::test]
    async fn the_server_is_asked_once_which_it_is() {
        for (sim, enterprise) in [
            (SimProcess::core(), false),
            (SimProcess::enterprise(), true),
        ] {
            let c = client(&sim, CORE_TOKEN);
            let info = c.server().await.unwrap();
            assert_eq!(info.enterprise, enterprise);
            assert_eq!(info.version, "3.8.4");
            c.server().await.unwrap();
            c.clone().server().await.unwrap();
            assert_eq!(sim.count_requests("GET", "/ping"), 1);
        }
        let sim = SimProcess::core();
        let e = client(&sim, "wrong").server().await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Unauthorized { .. }));
        assert!(e.to_string().contains("INFLUXDB3_AUTH_TOKEN"), "{e}");
    }

    #[tokio::test]
    async fn tokens_are_created_found_listed_once_and_deleted() {
        let sim = SimProcess::enterprise();
        let c = client(&sim, CORE_TOKEN);
        let body = CreateNamedAdminToken {
            token_name: "ci".into(),
            expiry_secs: Some(3600),
        };
        let t = c.create_named_admin_token(&body).await.unwrap();
        let secret = t.token.clone().unwrap();
        assert_eq!(sim.v3_authenticate(&secret), Some(("ci".into(), true)));
        assert!(!format!("{t:?}").contains(&secret));
        let e = c.create_named_admin_token(&body).await.unwrap_err();
        assert!(e.error.is_conflict() && e.outcome == CreateOutcome::Rejected);
        assert!(
            e.error
                .to_string()
                .contains("token name already exists, ci"),
            "{}",
            e.error
        );

        let found = c.find_token("ci").await.unwrap().unwrap();
        assert_eq!(found.token_id, t.id);
        assert!(found.expiry.is_some());
        assert!(c.find_token("o'k").await.unwrap().is_none());

        // Resource tokens (Enterprise).
        c.create_database(&DatabaseBody {
            db: "sensors".into(),
            retention_period: None,
        })
        .await
        .unwrap();
        let r = CreateResourceToken {
            token_name: "app".into(),
            permissions: vec![TokenPermission {
                resource_type: "db".into(),
                resource_names: vec!["sensors".into()],
                actions: vec!["read".into()],
            }],
            expiry_secs: None,
        };
        c.create_resource_token(&r).await.unwrap();

        sim.clear_requests();
        for name in ["ci", "app", "_admin"] {
            assert!(c.read_token(name).await.unwrap().is_some(), "{name}");
        }
        assert!(c.read_token("nope").await.unwrap().is_none());
        assert_eq!(sim.requests().len(), 1, "one query for every read");
        c.delete_token("app").await.unwrap();
        assert!(
            c.read_token("app").await.unwrap().is_none(),
            "a write drops the snapshot"
        );
        assert_eq!(sim.requests().len(), 3);
        let e = c.delete_token("app").await.unwrap_err();
        assert!(e.is_not_found());
    }

    #[tokio::test]
    async fn databases_and_tables() {
        let sim = SimProcess::core();
        let c = client(&sim, CORE_TOKEN);
        let body = DatabaseBody {
            db: "sensors".into(),
            retention_period: Some("30d".into()),
        };
        c.create_database(&body).await.unwrap();
        let e = c.create_database(&body).await.unwrap_err();
        assert!(e.error.is_conflict());
        let d = c.read_database("sensors").await.unwrap().unwrap();
        assert_eq!(d.retention_period_ns, Some(30 * 86_400 * 1_000_000_000));
        c.update_database(&DatabaseBody {
            db: "sensors".into(),
            retention_period: None,
        })
        .await
        .unwrap();
        assert_eq!(
            c.read_database("sensors")
                .await
                .unwrap()
                .unwrap()
                .retention_period_ns,
            None
        );

        let t = CreateTable {
            db: "sensors".into(),
            table: "cpu".into(),
            tags: vec!["host".into()],
            fields: vec![FieldColumn {
                name: "usage".into(),
                kind: "float64".into(),
            }],
            retention_period: None,
        };
        c.create_table(&t).await.unwrap();
        sim.v3_write("sensors", "cpu,host=a,region=eu usage=1,extra=2i");
        let cols = c.table_columns("sensors", "cpu").await.unwrap();
        let keys: Vec<_> = cols
            .iter()
            .map(|r| (r.key.as_str(), r.data_type.as_str()))
            .collect();
        // Sorted by name, as the real server lists them.
        assert_eq!(
            keys,
            [
                ("extra", "integer"),
                ("host", "tag"),
                ("region", "tag"),
                ("time", "time"),
                ("usage", "float")
            ]
        );
        assert!(c.table_columns("sensors", "nope").await.unwrap().is_empty());
        c.delete_table("sensors", "cpu", None).await.unwrap();
        c.delete_database("sensors", None).await.unwrap();
        assert!(
            c.read_database("sensors").await.unwrap().is_none(),
            "soft-deleted"
        );
        let e = c.delete_database("sensors", Some("now")).await.unwrap_err();
        assert!(e.is_not_found());
    }
}
