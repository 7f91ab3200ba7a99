//! Write-only attributes (Terraform >= 1.11, plugin protocol 6.8) through the engine: the
//! schema rules, the plan and the state holding null, the configured value handed to create
//! and update only, and the refusal when Terraform does not announce the capability.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use terraform_provider_influxdb::engine::resource;
use terraform_provider_influxdb::engine::resource::{DynDataSource, DynResource};
use terraform_provider_influxdb::engine::{
    msgpack, Attribute, Diagnostics, DynamicValue, Engine, Provider, Resource, Schema, Type, Value,
};
use tokio_util::sync::CancellationToken;

#[derive(Serialize, Deserialize, Clone, Default, Debug)]
struct Account {
    id: Option<String>,
    secret_wo: Option<String>,
    secret_wo_version: Option<i64>,
}

/// What create and update were handed: the secret they saw.
#[derive(Default)]
struct Client {
    seen: Mutex<Vec<Option<String>>>,
}

struct AccountResource;

fn schema() -> Schema {
    Schema::new(
        "test",
        vec![
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::optional("secret_wo", Type::String)
                .sensitive()
                .write_only(),
            Attribute::optional("secret_wo_version", Type::Number),
        ],
    )
    .requires_terraform("1.11.0", "has no write-only attributes")
}

#[async_trait]
impl Resource for AccountResource {
    type Client = Client;
    type State = Account;
    fn type_name(&self) -> &'static str {
        "test_account"
    }
    fn schema(&self) -> Schema {
        schema()
    }
    async fn create(&self, c: &Client, mut a: Account, _: &mut Diagnostics) -> Option<Account> {
        c.seen.lock().unwrap().push(a.secret_wo.clone());
        a.id = Some("a-1".into());
        // Even a resource that returns the secret never gets it into the state.
        Some(a)
    }
    async fn read(&self, _: &Client, a: Account, _: &mut Diagnostics) -> Option<Account> {
        Some(a)
    }
    async fn update(
        &self,
        c: &Client,
        _: Account,
        a: Account,
        _: &mut Diagnostics,
    ) -> Option<Account> {
        c.seen.lock().unwrap().push(a.secret_wo.clone());
        Some(a)
    }
    async fn delete(&self, _: &Client, _: Account, _: &mut Diagnostics) {}
}

struct TestProvider;

#[async_trait]
impl Provider for TestProvider {
    type Client = Client;
    type Config = serde_json::Value;
    fn schema(&self) -> Schema {
        Schema::new("test provider", vec![])
    }
    async fn configure(
        &self,
        _: serde_json::Value,
        _: CancellationToken,
        _: &mut Diagnostics,
    ) -> Option<Client> {
        Some(Client::default())
    }
    fn resources(&self) -> Vec<Arc<dyn DynResource<Client>>> {
        vec![resource(AccountResource)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Client>>> {
        vec![]
    }
}

fn dv(v: &Value) -> DynamicValue {
    DynamicValue::msgpack(msgpack::encode(v, &schema().ty()).unwrap())
}

fn decode(b: &[u8]) -> Value {
    msgpack::decode(b, &schema().ty()).unwrap()
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::empty_object(&schema().ty());
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v
}

#[test]
fn a_write_only_attribute_must_be_plain_and_needs_terraform_1_11() {
    schema().check().unwrap();
    let computed = Schema::new(
        "t",
        vec![Attribute::optional_computed("s", Type::String).write_only()],
    )
    .requires_terraform("1.11.0", "x");
    assert!(computed.check().unwrap_err().contains("write-only"));
    let old = Schema::new(
        "t",
        vec![Attribute::required("s", Type::String).write_only()],
    );
    assert!(old.check().unwrap_err().contains("1.11"));
    // Optional, it is refused at validate under an older Terraform only when it is set.
    Schema::new(
        "t",
        vec![Attribute::optional("s", Type::String).write_only()],
    )
    .check()
    .unwrap();
    let replaces = Schema::new(
        "t",
        vec![Attribute::optional("s", Type::String)
            .write_only()
            .requires_replace()],
    )
    .requires_terraform("1.11.0", "x");
    assert!(replaces.check().is_err());
}

#[tokio::test]
async fn the_plan_and_the_state_hold_null_and_create_and_update_see_the_configured_value() {
    let e = Engine::new(TestProvider);
    e.set_terraform_version("1.15.5");
    assert!(!e
        .configure_provider(&DynamicValue::default())
        .await
        .has_errors());
    let config = obj(&[
        ("secret_wo", "s3cret".into()),
        ("secret_wo_version", Value::from(1)),
    ]);

    let p = e.plan_resource_change(
        "test_account",
        &dv(&Value::Null),
        &dv(&config),
        &dv(&config),
        &[],
    );
    assert!(!p.diagnostics.has_errors(), "{:?}", p.diagnostics);
    let planned = decode(&p.planned_state);
    assert_eq!(planned.attr("secret_wo"), &Value::Null);
    assert_eq!(planned.attr("secret_wo_version"), &Value::from(1));

    let r = e
        .apply_resource_change_with_config(
            "test_account",
            &dv(&Value::Null),
            &dv(&planned),
            &dv(&config),
            &[],
        )
        .await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    let state = decode(r.state.as_deref().unwrap());
    assert_eq!(state.attr("secret_wo"), &Value::Null, "never in the state");
    assert!(!String::from_utf8_lossy(r.state.as_deref().unwrap()).contains("s3cret"));

    // Unchanged configuration: no change planned, although the configuration holds a value.
    let p = e.plan_resource_change("test_account", &dv(&state), &dv(&config), &dv(&config), &[]);
    assert_eq!(decode(&p.planned_state), state);

    // A new version: an update that sees the new secret.
    let config2 = obj(&[
        ("secret_wo", "n3w-secret".into()),
        ("secret_wo_version", Value::from(2)),
    ]);
    let p = e.plan_resource_change(
        "test_account",
        &dv(&state),
        &dv(&config2),
        &dv(&config2),
        &[],
    );
    let planned = decode(&p.planned_state);
    let r = e
        .apply_resource_change_with_config(
            "test_account",
            &dv(&state),
            &dv(&planned),
            &dv(&config2),
            &[],
        )
        .await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(
        decode(r.state.as_deref().unwrap()).attr("secret_wo"),
        &Value::Null
    );
    let client = e.configured().unwrap();
    let seen = client.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [Some("s3cret".to_owned()), Some("n3w-secret".to_owned())]
    );
}

#[test]
fn a_terraform_without_the_capability_is_refused_naming_the_attribute() {
    let e = Engine::new(TestProvider);
    let config = obj(&[("secret_wo", "s3cret".into())]);
    let d = e.validate_resource_config_with("test_account", &dv(&config), false);
    assert!(d.has_errors());
    let msg = format!("{d:?}");
    assert!(
        msg.contains("secret_wo") && msg.contains("1.11") && !msg.contains("s3cret"),
        "{msg}"
    );
    assert!(!e
        .validate_resource_config_with("test_account", &dv(&config), true)
        .has_errors());
    // Unset, it is no problem.
    assert!(!e
        .validate_resource_config_with("test_account", &dv(&obj(&[])), false)
        .has_errors());
}
