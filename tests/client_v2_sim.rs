//! `V2Client` against the simulator's InfluxDB OSS v2 mode: the authorization endpoints, the
//! `{code, message}` errors as actionable messages, `Token` auth, the shared retry policy and
//! the never-twice rule for creates, and the simulator's own strictness.

#[path = "support/sim.rs"]
mod sim;

use std::time::Duration;

use serde_json::json;
use sim::{SimProcess, V2_ORG, V2_ORG_ID, V2_TOKEN, V2_USER_ID};
use terraform_provider_influxdb::influxdb::http::{CreateOutcome, ErrorKind, Policy};
use terraform_provider_influxdb::influxdb::v2::client::AuthorizationFilter;
use terraform_provider_influxdb::influxdb::v2::models::{
    CreateAuthorization, Permission, Resource, UpdateAuthorization,
};
use terraform_provider_influxdb::influxdb::v2::V2Client;
use tokio_util::sync::CancellationToken;

fn policy() -> Policy {
    Policy {
        request_timeout: Duration::from_secs(5),
        retry_deadline: Duration::from_secs(10),
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(100),
    }
}

fn client_with(sim: &SimProcess, token: &str) -> V2Client {
    V2Client::with_policy(&sim.url, token, policy(), CancellationToken::new()).unwrap()
}

fn client(sim: &SimProcess) -> V2Client {
    client_with(sim, V2_TOKEN)
}

fn read_buckets() -> CreateAuthorization {
    CreateAuthorization {
        org_id: V2_ORG_ID.into(),
        user_id: None,
        description: Some("reader".into()),
        status: "active".into(),
        permissions: vec![Permission {
            action: "read".into(),
            resource: Resource {
                kind: "buckets".into(),
                org_id: Some(V2_ORG_ID.into()),
                ..Default::default()
            },
        }],
    }
}

#[tokio::test]
async fn authorization_lifecycle_and_the_token_is_returned_only_once() {
    let sim = SimProcess::oss_v2();
    let c = client(&sim);
    assert_eq!(
        sim.request("GET", "/health", None, false).json()["status"],
        "pass"
    );
    let org = c.find_org(V2_ORG).await.unwrap().expect("the default org");
    assert_eq!(org.id, V2_ORG_ID);
    assert!(c.find_org("nope").await.unwrap().is_none());
    assert!(c
        .resource_types()
        .await
        .unwrap()
        .contains(&"buckets".to_owned()));

    let created = c.create_authorization(&read_buckets()).await.unwrap();
    let token = created.token.clone().expect("the token");
    assert_eq!(created.user_id.as_deref(), Some(V2_USER_ID));
    assert_eq!(created.org.as_deref(), Some(V2_ORG));
    assert_eq!(
        sim.v2_authenticate(&token),
        Some((created.id.clone(), true))
    );

    let got = c.get_authorization(&created.id).await.unwrap();
    assert_eq!(got.token, None, "reads never return the token");
    assert_eq!(got.permissions[0].resource.org.as_deref(), Some(V2_ORG));
    let listed = c
        .list_authorizations(&AuthorizationFilter {
            org: Some(V2_ORG.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(listed.len(), 2, "the operator's and ours");
    assert!(listed.iter().all(|a| a.token.is_none()));

    let updated = c
        .update_authorization(
            &created.id,
            &UpdateAuthorization {
                status: Some("inactive".into()),
                description: Some("paused".into()),
            },
        )
        .await
        .unwrap();
    assert!(!updated.is_active());
    assert_eq!(updated.description.as_deref(), Some("paused"));
    assert_eq!(
        sim.v2_authenticate(&token),
        Some((created.id.clone(), false))
    );
    // An inactive token is refused by the API.
    let e = client_with(&sim, &token)
        .find_org(V2_ORG)
        .await
        .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Unauthorized { .. }), "{e:?}");

    c.delete_authorization(&created.id).await.unwrap();
    let e = c.delete_authorization(&created.id).await.unwrap_err();
    assert!(e.is_not_found(), "{e:?}");
    assert!(e.to_string().contains("authorization not found"), "{e}");
    assert_eq!(sim.v2_authenticate(&token), None);
}

#[tokio::test]
async fn errors_are_the_servers_code_and_message_with_what_to_check() {
    let sim = SimProcess::oss_v2();
    let e = client_with(&sim, "wrong-token")
        .get_authorization("0123456789abcdef")
        .await
        .unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Unauthorized { .. }));
    let text = e.to_string();
    assert!(
        text.contains("unauthorized access") && text.contains("INFLUX_TOKEN"),
        "{text}"
    );

    let mut bad = read_buckets();
    bad.permissions[0].resource.kind = "buckts".into();
    let e = client(&sim).create_authorization(&bad).await.unwrap_err();
    assert_eq!(e.outcome, CreateOutcome::Rejected);
    assert!(
        e.to_string()
            .contains("invalid resource type for permission"),
        "{e}"
    );
    let e = client(&sim).get_authorization("xyz").await.unwrap_err();
    assert!(
        matches!(e.kind, ErrorKind::Invalid { status: 400, .. }),
        "{e:?}"
    );
}

#[tokio::test]
async fn a_token_cannot_grant_what_it_does_not_hold() {
    let sim = SimProcess::oss_v2();
    let c = client(&sim);
    // A token that may manage authorizations of the org but holds nothing else.
    let mut body = read_buckets();
    body.permissions = ["read", "write"]
        .map(|a| Permission {
            action: a.into(),
            resource: Resource {
                kind: "authorizations".into(),
                org_id: Some(V2_ORG_ID.into()),
                ..Default::default()
            },
        })
        .into();
    let limited = c.create_authorization(&body).await.unwrap();
    let lc = client_with(&sim, limited.token.as_deref().unwrap());
    let e = lc.create_authorization(&read_buckets()).await.unwrap_err();
    assert!(matches!(e.error.kind, ErrorKind::Forbidden { .. }), "{e:?}");
    assert!(
        e.to_string()
            .contains("can only grant permissions it holds"),
        "{e}"
    );
}

#[tokio::test]
async fn a_user_deleted_takes_its_tokens_with_it() {
    let sim = SimProcess::oss_v2();
    let user = sim.v2_user("temp");
    let mut body = read_buckets();
    body.user_id = Some(user.clone());
    let a = client(&sim).create_authorization(&body).await.unwrap();
    let token = a.token.unwrap();
    assert_eq!(sim.v2_authenticate(&token), Some((a.id.clone(), true)));
    assert_eq!(
        sim.v2("DELETE", &format!("/users/{user}"), None).status,
        204
    );
    assert_eq!(sim.v2_authenticate(&token), Some((a.id, false)));
}

#[tokio::test]
async fn idempotent_calls_are_retried_and_a_create_is_never_sent_twice() {
    let sim = SimProcess::oss_v2();
    let c = client(&sim);
    sim.add_fault(
        json!({"method": "GET", "path_suffix": "/authorizations", "count": 2, "status": 503}),
    );
    assert!(c
        .list_authorizations(&AuthorizationFilter::default())
        .await
        .is_ok());
    assert_eq!(sim.count_requests("GET", "/authorizations"), 3);

    sim.add_fault(json!({"method": "POST", "path_suffix": "/authorizations", "status": 503}));
    let e = c.create_authorization(&read_buckets()).await.unwrap_err();
    assert_eq!(
        e.outcome,
        CreateOutcome::Unknown,
        "a 503 after sending may have acted"
    );
    assert_eq!(sim.count_requests("POST", "/authorizations"), 1);

    sim.add_fault(
        json!({"method": "POST", "path_suffix": "/authorizations", "drop_after_handling": true}),
    );
    let e = c.create_authorization(&read_buckets()).await.unwrap_err();
    assert!(e.may_have_been_created());
    assert_eq!(sim.count_requests("POST", "/authorizations"), 2);
    assert_eq!(sim.v2_authorizations().len(), 1, "the server did create it");
    // The simulator's fault answer is a v2 error body too.
    sim.add_fault(json!({"method": "GET", "path_suffix": "/orgs", "status": 403}));
    let e = c.find_org(V2_ORG).await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Forbidden { .. }), "{e:?}");
}

#[tokio::test]
async fn the_simulator_keeps_no_token_and_is_strict() {
    let sim = SimProcess::oss_v2();
    let a = client(&sim)
        .create_authorization(&read_buckets())
        .await
        .unwrap();
    let token = a.token.unwrap();
    let state = sim.request("GET", "/__sim/state", None, false).body;
    assert!(!state.contains(&token) && !state.contains(V2_TOKEN));
    // Bearer is not the v2 scheme; Token is.
    let r = sim.request_as(
        "GET",
        "/api/v2/authorizations",
        None,
        Some(&format!("Bearer {V2_TOKEN}")),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["code"], "unauthorized");
    // As InfluxDB: a PATCH changes status and description only and ignores every other key
    // (InfluxData's clients send the whole authorization back).
    let r = sim.v2(
        "PATCH",
        &format!("/authorizations/{}", a.id),
        Some(r#"{"permissions":[],"createdAt":"2000-01-01T00:00:00Z","id":"0000000000000001","description":"x"}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["id"], a.id.as_str());
    assert_eq!(v["description"], "x");
    assert_eq!(v["permissions"].as_array().map(Vec::len), Some(1));
    assert_ne!(v["createdAt"], "2000-01-01T00:00:00Z");
    let r = sim.v2(
        "POST",
        "/authorizations",
        Some(&json!({"orgID": V2_ORG_ID, "permissions": []}).to_string()),
    );
    assert_eq!(r.status, 400);
}

// ---- The simulator's tenancy endpoints, as InfluxDB 2.x serves them ----

fn post(sim: &SimProcess, path: &str, body: serde_json::Value) -> sim::Answer {
    sim.v2("POST", path, Some(&body.to_string()))
}

#[tokio::test]
async fn buckets_normalise_shard_groups_refuse_bad_rules_and_page() {
    let sim = SimProcess::oss_v2();
    let r = post(
        &sim,
        "/buckets",
        json!({"orgID": V2_ORG_ID, "name": "b30", "retentionRules": [{"type": "expire", "everySeconds": 2_592_000}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let b = r.json();
    assert_eq!(b["retentionRules"][0]["shardGroupDurationSeconds"], 86400);
    assert!(
        b.get("description").is_none(),
        "an empty description is left out"
    );
    assert!(b.get("schemaType").is_none(), "OSS has no schema type");
    let id = b["id"].as_str().unwrap().to_owned();
    let forever = post(
        &sim,
        "/buckets",
        json!({"orgID": V2_ORG_ID, "name": "forever"}),
    )
    .json();
    assert_eq!(forever["retentionRules"][0]["everySeconds"], 0);
    assert_eq!(
        forever["retentionRules"][0]["shardGroupDurationSeconds"],
        604800
    );

    let dup = post(&sim, "/buckets", json!({"orgID": V2_ORG_ID, "name": "b30"}));
    assert_eq!(
        (dup.status, dup.json()["code"].clone()),
        (422, json!("conflict"))
    );
    let two = post(
        &sim,
        "/buckets",
        json!({"orgID": V2_ORG_ID, "name": "x", "retentionRules": [{"everySeconds": 3600}, {"everySeconds": 7200}]}),
    );
    assert_eq!(two.status, 422);
    let short = post(
        &sim,
        "/buckets",
        json!({"orgID": V2_ORG_ID, "name": "x", "retentionRules": [{"everySeconds": 60}]}),
    );
    assert_eq!(short.status, 500);
    assert!(short.body.contains("at least 1h0m0s"), "{}", short.body);
    assert_eq!(
        post(&sim, "/buckets", json!({"orgID": V2_ORG_ID, "name": "_x"})).status,
        400
    );
    assert_eq!(post(&sim, "/buckets", json!({"name": "x"})).status, 400);
    assert_eq!(
        sim.state()["buckets"].as_array().unwrap().len(),
        4,
        "2 system + 2"
    );

    // PATCH: retention shrunk below the shard group without a new one is refused; with it, ok.
    let path = format!("/buckets/{id}");
    let r = sim.v2(
        "PATCH",
        &path,
        Some(r#"{"retentionRules":[{"type":"expire","everySeconds":3600}]}"#),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let r = sim.v2("PATCH", &path, Some(r#"{"name":"renamed","retentionRules":[{"type":"expire","everySeconds":3600,"shardGroupDurationSeconds":3600}]}"#));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        (r.json()["id"].as_str(), r.json()["name"].as_str()),
        (Some(id.as_str()), Some("renamed"))
    );
    // No rules in a PATCH: the retention stays.
    let r = sim.v2(
        "PATCH",
        &path,
        Some(r#"{"description":"d","retentionRules":[]}"#),
    );
    assert_eq!(r.json()["retentionRules"][0]["everySeconds"], 3600);
    assert_eq!(r.json()["description"], "d");

    // System buckets: in every org, not deletable.
    let list = sim
        .v2("GET", &format!("/buckets?orgID={V2_ORG_ID}"), None)
        .json();
    let names: Vec<&str> = list["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["_monitoring", "_tasks", "forever", "renamed"],
        "by name bytes"
    );
    let sys = list["buckets"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.v2("DELETE", &format!("/buckets/{sys}"), None).status,
        400
    );

    // Paging by ID without an org, `after` and `limit`; limit is 1..100.
    for i in 0..5 {
        sim.v2_bucket(&format!("p{i}"));
    }
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let q = if after.is_empty() {
            "/buckets?limit=3".to_owned()
        } else {
            format!("/buckets?limit=3&after={after}")
        };
        let page = sim.v2("GET", &q, None).json();
        let items = page["buckets"].as_array().unwrap().clone();
        assert_eq!(page["links"].get("next").is_some(), items.len() == 3);
        seen.extend(items.iter().map(|b| b["id"].as_str().unwrap().to_owned()));
        if items.len() < 3 {
            break;
        }
        after = seen.last().unwrap().clone();
    }
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!((seen.len(), &seen), (9, &sorted));
    assert_eq!(sim.v2("GET", "/buckets?limit=101", None).status, 400);
    assert_eq!(
        sim.v2("GET", "/buckets?name=nope", None).json()["buckets"],
        json!([])
    );
    assert_eq!(
        sim.v2(
            "GET",
            &format!("/buckets?orgID={V2_ORG_ID}&name=nope"),
            None
        )
        .status,
        404
    );

    assert_eq!(sim.v2("DELETE", &path, None).status, 204);
    assert_eq!(sim.v2("GET", &path, None).status, 404);
    assert_eq!(sim.v2("DELETE", &path, None).status, 404);
}

#[tokio::test]
async fn orgs_users_members_and_passwords() {
    let sim = SimProcess::oss_v2();
    let org = post(&sim, "/orgs", json!({"name": "team", "description": "d"}));
    assert_eq!(org.status, 201, "{}", org.body);
    let org_id = org.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(post(&sim, "/orgs", json!({"name": "team"})).status, 422);
    assert_eq!(post(&sim, "/orgs", json!({"name": " "})).status, 400);
    let buckets = sim.v2("GET", "/buckets?org=team", None).json();
    assert_eq!(
        buckets["buckets"].as_array().map(Vec::len),
        Some(2),
        "system buckets"
    );
    let r = sim.v2(
        "PATCH",
        &format!("/orgs/{org_id}"),
        Some(r#"{"name":"team2"}"#),
    );
    assert_eq!(
        (r.status, r.json()["description"].clone()),
        (200, json!("d"))
    );

    let user = post(&sim, "/users", json!({"name": "ann"})).json();
    assert_eq!(user["status"], "active");
    let uid = user["id"].as_str().unwrap().to_owned();
    assert_eq!(post(&sim, "/users", json!({"name": "ann"})).status, 422);
    let pw = format!("/users/{uid}/password");
    let short = post(&sim, &pw, json!({"password": "short"}));
    assert_eq!(
        (short.status, short.json()["code"].clone()),
        (400, json!("invalid"))
    );
    assert_eq!(
        post(&sim, &pw, json!({"password": "long enough"})).status,
        204
    );
    assert_eq!(
        post(
            &sim,
            "/users/00000000000000ff/password",
            json!({"password": "long enough"})
        )
        .status,
        403
    );
    let signin = |pw: &str| {
        use base64::Engine;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("ann:{pw}"));
        sim.request_as(
            "POST",
            "/api/v2/signin",
            None,
            Some(&format!("Basic {basic}")),
        )
        .status
    };
    assert_eq!(signin("long enough"), 204);
    assert_eq!(signin("wrong one"), 401);
    assert!(!sim.state().to_string().contains("long enough"));

    let members = format!("/orgs/{org_id}/members");
    let m = post(&sim, &members, json!({"id": uid}));
    assert_eq!((m.status, m.json()["role"].clone()), (201, json!("member")));
    assert_eq!(
        post(&sim, &members, json!({"id": uid})).status,
        500,
        "already mapped"
    );
    assert_eq!(
        post(&sim, &format!("/orgs/{org_id}/owners"), json!({"id": uid})).status,
        500
    );
    let list = sim.v2("GET", &members, None).json();
    assert_eq!(list["users"][0]["id"], uid.as_str());
    let owners = sim
        .v2("GET", &format!("/orgs/{org_id}/owners"), None)
        .json();
    assert_eq!(
        owners["users"][0]["id"], V2_USER_ID,
        "the creator owns the org"
    );
    assert_eq!(
        sim.v2("DELETE", &format!("{members}/{uid}"), None).status,
        204
    );
    assert_eq!(
        sim.v2("DELETE", &format!("{members}/{uid}"), None).status,
        404
    );

    let r = sim.v2(
        "PATCH",
        &format!("/users/{uid}"),
        Some(r#"{"id":"x","name":"ann2","status":"inactive"}"#),
    );
    assert_eq!(
        (r.json()["name"].clone(), r.json()["status"].clone()),
        (json!("ann2"), json!("inactive"))
    );
    assert_eq!(sim.v2("GET", "/users?name=nobody", None).status, 404);
    assert_eq!(sim.v2("DELETE", &format!("/users/{uid}"), None).status, 204);
    assert_eq!(
        sim.v2("DELETE", &format!("/orgs/{org_id}"), None).status,
        204
    );
    assert_eq!(sim.v2("GET", "/buckets?org=team2", None).status, 404);
    assert!(sim.state()["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["orgID"] == V2_ORG_ID));
}

#[tokio::test]
async fn cloud_serverless_requires_retention_rules_and_has_schema_types() {
    let sim = SimProcess::start(&["--product", "cloud-serverless"]);
    assert_eq!(
        post(&sim, "/buckets", json!({"orgID": V2_ORG_ID, "name": "b"})).status,
        400
    );
    let r = post(
        &sim,
        "/buckets",
        json!({"orgID": V2_ORG_ID, "name": "bb", "retentionRules": [{"everySeconds": 0}], "schemaType": "explicit"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["schemaType"], "explicit");
    assert!(r.json()["retentionRules"][0]
        .get("shardGroupDurationSeconds")
        .is_none());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        sim.v2("PATCH", &format!("/buckets/{id}"), Some(r#"{"name":"cc"}"#))
            .status,
        403
    );
    assert_eq!(
        sim.v2("GET", "/users", None).status,
        404,
        "users are OSS only"
    );
}
