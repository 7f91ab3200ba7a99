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
    let r = sim.v2(
        "PATCH",
        &format!("/authorizations/{}", a.id),
        Some(r#"{"permissions":[]}"#),
    );
    assert_eq!(r.status, 400, "permissions cannot be changed: {}", r.body);
    let r = sim.v2(
        "POST",
        "/authorizations",
        Some(&json!({"orgID": V2_ORG_ID, "permissions": []}).to_string()),
    );
    assert_eq!(r.status, 400);
}
