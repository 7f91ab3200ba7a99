//! Nested attributes, defaults, a schema's minimum Terraform version and the plan-time
//! provider check, through the engine with a small in-memory provider: the rules Terraform
//! would otherwise break on (a nested value planned other than as written, an old Terraform
//! crashing on a nested attribute, an API call for a configuration the provider cannot serve).

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use terraform_provider_influxdb::engine::resource;
use terraform_provider_influxdb::engine::resource::{DynDataSource, DynResource};
use terraform_provider_influxdb::engine::schema::{validators, Nesting};
use terraform_provider_influxdb::engine::{
    msgpack, Attribute, AttributePath, Diagnostics, DynamicValue, Engine, Provider, Resource,
    Schema, Type, Value,
};
use tokio_util::sync::CancellationToken;

#[derive(Serialize, Deserialize, Clone, Default, Debug)]
struct Target {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Default, Debug)]
struct Rule {
    action: Option<String>,
    target: Option<Target>,
}

#[derive(Serialize, Deserialize, Clone, Default, Debug)]
struct Grant {
    id: Option<String>,
    mode: Option<String>,
    rules: Option<Vec<Rule>>,
}

/// The client: whether it may serve grants (as a provider block of the right product).
struct Client {
    serves_grants: bool,
}

struct GrantResource;

#[async_trait]
impl Resource for GrantResource {
    type Client = Client;
    type State = Grant;

    fn type_name(&self) -> &'static str {
        "test_grant"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "test",
            vec![
                Attribute::computed("id", Type::String).use_state_for_unknown(),
                Attribute::optional_computed("mode", Type::String).default("on"),
                Attribute::optional("rules", Type::Dynamic)
                    .nested(
                        Nesting::Set,
                        vec![
                            Attribute::required("action", Type::String)
                                .validate_str("Invalid action", validators::one_of(&["read"])),
                            Attribute::required("target", Type::Dynamic).nested(
                                Nesting::Single,
                                vec![
                                    Attribute::required("type", Type::String).validate_str(
                                        "Invalid target type",
                                        validators::one_of(&["a", "b"]),
                                    ),
                                    Attribute::optional("id", Type::String),
                                ],
                            ),
                        ],
                    )
                    .requires_replace(),
            ],
        )
        .requires_terraform("1.3.0", "cannot display nested attributes")
    }

    fn check_provider(&self, c: &Client, _: &Value, diags: &mut Diagnostics) {
        if !c.serves_grants {
            diags.error(
                "Wrong product",
                "this provider block cannot serve test_grant",
            );
        }
    }

    async fn create(&self, _: &Client, mut g: Grant, _: &mut Diagnostics) -> Option<Grant> {
        g.id = Some("g-1".into());
        Some(g)
    }
    async fn read(&self, _: &Client, g: Grant, _: &mut Diagnostics) -> Option<Grant> {
        Some(g)
    }
    async fn update(&self, _: &Client, _: Grant, g: Grant, _: &mut Diagnostics) -> Option<Grant> {
        Some(g)
    }
    async fn delete(&self, _: &Client, _: Grant, _: &mut Diagnostics) {}
}

struct TestProvider {
    serves_grants: bool,
}

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
        Some(Client {
            serves_grants: self.serves_grants,
        })
    }
    fn resources(&self) -> Vec<Arc<dyn DynResource<Client>>> {
        vec![resource(GrantResource)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Client>>> {
        vec![]
    }
}

fn ty() -> Type {
    GrantResource.schema().ty()
}

fn dv(v: &Value) -> DynamicValue {
    DynamicValue::msgpack(msgpack::encode(v, &ty()).unwrap())
}

fn rule(action: &str, kind: &str, id: Option<&str>) -> Value {
    let mut target = std::collections::BTreeMap::new();
    target.insert("type".to_owned(), Value::from(kind));
    target.insert("id".to_owned(), id.map(Value::from).unwrap_or(Value::Null));
    let mut r = std::collections::BTreeMap::new();
    r.insert("action".to_owned(), Value::from(action));
    r.insert("target".to_owned(), Value::Object(target));
    Value::Object(r)
}

fn config(rules: Option<Vec<Value>>) -> Value {
    let mut v = Value::empty_object(&ty());
    v.set_attr("rules", rules.map(Value::Set).unwrap_or(Value::Null));
    v
}

async fn engine(serves_grants: bool, terraform: &str) -> Engine<TestProvider> {
    let e = Engine::new(TestProvider { serves_grants });
    e.set_terraform_version(terraform);
    let d = e.configure_provider(&DynamicValue::default()).await;
    assert!(!d.has_errors(), "{d:?}");
    e
}

fn plan(
    e: &Engine<TestProvider>,
    prior: &Value,
    cfg: &Value,
) -> (Value, Vec<AttributePath>, Diagnostics) {
    let r = e.plan_resource_change("test_grant", &dv(prior), &dv(cfg), &dv(cfg), &[]);
    let planned = if r.planned_state.is_empty() {
        Value::Null
    } else {
        msgpack::decode(&r.planned_state, &ty()).unwrap()
    };
    (planned, r.requires_replace, r.diagnostics)
}

#[test]
fn the_implied_type_of_a_nested_set_is_a_set_of_objects_with_every_inner_attribute() {
    let expected = Type::set(Type::object([
        ("action", Type::String),
        (
            "target",
            Type::object([("type", Type::String), ("id", Type::String)]),
        ),
    ]));
    assert_eq!(
        GrantResource.schema().attribute("rules").unwrap().ty,
        expected
    );
    GrantResource.schema().check().unwrap();
}

#[test]
fn validators_of_inner_attributes_run_and_name_the_outer_attribute() {
    let schema = GrantResource.schema();
    let mut d = Diagnostics::default();
    schema.validate(
        &config(Some(vec![
            rule("write", "a", None),
            rule("read", "zzz", Some("1")),
        ])),
        &mut d,
    );
    let errs: Vec<_> = d.iter().collect();
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs
        .iter()
        .all(|e| e.attribute == Some(AttributePath::root("rules"))));
    assert!(errs.iter().any(|e| e.summary == "Invalid action"));
    assert!(errs.iter().any(|e| e.summary == "Invalid target type"));
}

#[tokio::test]
async fn nested_values_are_planned_as_written_including_an_empty_set_and_unset_inner_attributes() {
    let e = engine(true, "1.15.5").await;
    for rules in [
        vec![],
        vec![rule("read", "a", None), rule("read", "b", Some("x"))],
    ] {
        let cfg = config(Some(rules.clone()));
        let (planned, _, d) = plan(&e, &Value::Null, &cfg);
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(planned.attr("rules"), &Value::Set(rules.clone()));
        assert_eq!(
            planned.attr("mode"),
            &Value::from("on"),
            "the default is planned"
        );
        let r = e
            .apply_resource_change("test_grant", &dv(&Value::Null), &dv(&planned), &[])
            .await;
        let state = msgpack::decode(&r.state.unwrap(), &ty()).unwrap();
        // The same rules in another order: no change.
        let mut reversed = rules.clone();
        reversed.reverse();
        let (again, replace, d) = plan(&e, &state, &config(Some(reversed)));
        assert!(!d.has_errors(), "{d:?}");
        assert_eq!(again, state);
        assert!(replace.is_empty());
    }
}

#[tokio::test]
async fn a_default_restores_a_value_changed_outside() {
    let e = engine(true, "1.15.5").await;
    let cfg = config(Some(vec![rule("read", "a", None)]));
    let mut prior = cfg.clone();
    prior.set_attr("id", "g-1".into());
    prior.set_attr("mode", "off".into());
    let (planned, replace, d) = plan(&e, &prior, &cfg);
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(planned.attr("mode"), &Value::from("on"));
    assert_eq!(planned.attr("id"), &Value::from("g-1"));
    assert!(replace.is_empty());
}

#[tokio::test]
async fn an_older_terraform_than_the_schema_needs_is_refused_at_validate_and_plan() {
    let e = engine(true, "1.0.3").await;
    let cfg = config(Some(vec![rule("read", "a", None)]));
    let (planned, _, d) = plan(&e, &Value::Null, &cfg);
    assert_eq!(planned, Value::Null);
    let err = d.iter().next().expect("an error");
    assert_eq!(err.summary, "test_grant needs a newer Terraform");
    assert!(
        err.detail.contains("1.3.0") && err.detail.contains("1.0.3"),
        "{}",
        err.detail
    );
    let d = e.validate_resource_config("test_grant", &dv(&cfg));
    assert!(d.has_errors());
    // A version without the suffix rules, and a newer one, pass.
    for ok in ["1.3.0", "1.10.0-beta1", "v1.15.5"] {
        let e = engine(true, ok).await;
        assert!(!plan(&e, &Value::Null, &cfg).2.has_errors(), "{ok}");
    }
}

#[tokio::test]
async fn the_provider_check_fails_the_plan_before_any_call() {
    let e = engine(false, "1.15.5").await;
    let (planned, _, d) = plan(
        &e,
        &Value::Null,
        &config(Some(vec![rule("read", "a", None)])),
    );
    assert_eq!(planned, Value::Null);
    assert_eq!(
        d.iter().next().map(|d| d.summary.as_str()),
        Some("Wrong product")
    );
}

#[test]
fn a_computed_attribute_inside_a_nested_attribute_is_a_schema_error() {
    let schema = Schema::new(
        "",
        vec![Attribute::optional("rules", Type::Dynamic)
            .nested(Nesting::List, vec![Attribute::computed("id", Type::String)])],
    );
    let e = schema.check().unwrap_err();
    assert!(e.contains("rules.id"), "{e}");
}
