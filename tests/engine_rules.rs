//! The rules Terraform enforces on plan, apply, read and upgrade, checked through the engine
//! with a small in-memory provider. Each test states what Terraform would reject if the rule
//! were broken.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use terraform_provider_influxdb::engine::resource;
use terraform_provider_influxdb::engine::resource::{DynDataSource, DynResource};
use terraform_provider_influxdb::engine::{
    msgpack, Attribute, AttributePath, Diagnostics, DynamicValue, Engine, PlanChange, Provider,
    Resource, Schema, Type, Value,
};
use tokio_util::sync::CancellationToken;

/// The remote objects of the fake API, by id.
#[derive(Default)]
struct Store {
    things: Mutex<HashMap<String, Thing>>,
    /// When set, the server reports this size whatever was asked (a server-computed value).
    forced_size: Mutex<Option<i64>>,
    /// How many times a plan asked the server (`check_server`).
    server_checks: Mutex<u32>,
}

#[derive(Serialize, Deserialize, Clone, Default, Debug, PartialEq)]
struct Thing {
    id: Option<String>,
    name: Option<String>,
    note: Option<String>,
    size: Option<i64>,
    zone: Option<String>,
    secret: Option<String>,
    label: Option<String>,
}

struct ThingResource {
    /// Misbehave on purpose: return a different `name` than planned.
    rename_on_create: bool,
}

fn case_insensitive(a: &Value, b: &Value) -> bool {
    matches!((a.as_str(), b.as_str()), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

#[async_trait]
impl Resource for ThingResource {
    type Client = Store;
    type State = Thing;

    fn type_name(&self) -> &'static str {
        "test_thing"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "test",
            vec![
                Attribute::computed("id", Type::String).use_state_for_unknown(),
                Attribute::required("name", Type::String),
                Attribute::optional("note", Type::String),
                Attribute::optional_computed("size", Type::Number),
                Attribute::optional("zone", Type::String).requires_replace(),
                Attribute::computed("secret", Type::String)
                    .sensitive()
                    .use_state_for_unknown(),
                Attribute::optional("label", Type::String).semantic_equality(case_insensitive),
            ],
        )
    }

    fn modify_plan(&self, _: &mut PlanChange<'_>, _: &mut Diagnostics) {}

    /// A thing whose note says "protected" refuses to be destroyed.
    fn guard_destroy(&self, prior: &Value, diags: &mut Diagnostics) {
        if prior.attr("note").as_str() == Some("protected") {
            diags.error("Protected", "this thing is protected");
        }
    }

    /// The server has no zone "nowhere": known only by asking it.
    async fn check_server(&self, s: &Store, planned: &Value, diags: &mut Diagnostics) {
        *s.server_checks.lock().unwrap() += 1;
        if planned.attr("zone").as_str() == Some("nowhere") {
            diags.attribute_error(
                AttributePath::root("zone"),
                "No such zone",
                "the server has no zone nowhere",
            );
        }
    }

    async fn create(&self, s: &Store, mut t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        let id = format!("id-{}", s.things.lock().unwrap().len() + 1);
        t.id = Some(id.clone());
        t.secret = Some(format!("secret-{id}"));
        t.size = s.forced_size.lock().unwrap().or(t.size).or(Some(10));
        t.label = t.label.map(|l| l.to_uppercase());
        if self.rename_on_create {
            t.name = Some("something else".into());
        }
        s.things.lock().unwrap().insert(id, t.clone());
        Some(t)
    }

    async fn read(&self, s: &Store, cur: Thing, _: &mut Diagnostics) -> Option<Thing> {
        s.things.lock().unwrap().get(cur.id.as_deref()?).cloned()
    }

    async fn update(
        &self,
        s: &Store,
        prior: Thing,
        mut t: Thing,
        _: &mut Diagnostics,
    ) -> Option<Thing> {
        t.id = prior.id.clone();
        t.secret = prior.secret;
        t.size = s.forced_size.lock().unwrap().or(t.size).or(prior.size);
        t.label = t.label.map(|l| l.to_uppercase());
        s.things.lock().unwrap().insert(prior.id?, t.clone());
        Some(t)
    }

    async fn delete(&self, s: &Store, prior: Thing, _: &mut Diagnostics) {
        s.things
            .lock()
            .unwrap()
            .remove(prior.id.as_deref().unwrap_or(""));
    }
}

struct TestProvider {
    rename_on_create: bool,
}

#[async_trait]
impl Provider for TestProvider {
    type Client = Store;
    type Config = serde_json::Value;
    fn schema(&self) -> Schema {
        Schema::new("test provider", vec![])
    }
    async fn configure(
        &self,
        _: serde_json::Value,
        _: CancellationToken,
        _: &mut Diagnostics,
    ) -> Option<Store> {
        Some(Store::default())
    }
    fn resources(&self) -> Vec<Arc<dyn DynResource<Store>>> {
        vec![resource(ThingResource {
            rename_on_create: self.rename_on_create,
        })]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Store>>> {
        vec![]
    }
}

// ---------------------------------------------------------------------------------------------

struct Harness {
    engine: Engine<TestProvider>,
    ty: Type,
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    let ty = ThingResource {
        rename_on_create: false,
    }
    .schema()
    .ty();
    let mut v = Value::empty_object(&ty);
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v
}

impl Harness {
    async fn new(rename_on_create: bool) -> Harness {
        let engine = Engine::new(TestProvider { rename_on_create });
        let d = engine.configure_provider(&DynamicValue::default()).await;
        assert!(!d.has_errors(), "{d:?}");
        Harness {
            engine,
            ty: ThingResource { rename_on_create }.schema().ty(),
        }
    }

    fn dv(&self, v: &Value) -> DynamicValue {
        DynamicValue::msgpack(msgpack::encode(v, &self.ty).unwrap())
    }

    fn value(&self, bytes: &[u8]) -> Value {
        msgpack::decode(bytes, &self.ty).unwrap()
    }

    /// PlanResourceChange as Terraform calls it (proposed = config merged with prior; the
    /// engine does not rely on it).
    fn plan(&self, prior: &Value, config: &Value) -> (Value, Vec<AttributePath>, Diagnostics) {
        let r = self.engine.plan_resource_change(
            "test_thing",
            &self.dv(prior),
            &self.dv(config),
            &self.dv(config),
            &[],
        );
        let planned = if r.planned_state.is_empty() {
            Value::Null
        } else {
            self.value(&r.planned_state)
        };
        (planned, r.requires_replace, r.diagnostics)
    }

    async fn apply(&self, prior: &Value, planned: &Value) -> (Value, Diagnostics) {
        let r = self
            .engine
            .apply_resource_change("test_thing", &self.dv(prior), &self.dv(planned), &[])
            .await;
        (
            r.state.map(|s| self.value(&s)).unwrap_or(Value::Null),
            r.diagnostics,
        )
    }

    /// Plan and apply a create; returns the new state.
    /// PlanResourceChange as the gRPC server answers it (the rules, then `check_server`):
    /// the planned state's bytes and the diagnostics.
    async fn plan_checked(&self, prior: &Value, config: &Value) -> (Vec<u8>, Diagnostics) {
        let (prior, config) = (self.dv(prior), self.dv(config));
        let planned =
            (self.engine).plan_resource_change("test_thing", &prior, &config, &config, &[]);
        let r = self
            .engine
            .check_planned("test_thing", &prior, planned)
            .await;
        (r.planned_state, r.diagnostics)
    }

    async fn create(&self, config: &Value) -> Value {
        let (planned, _, d) = self.plan(&Value::Null, config);
        assert!(!d.has_errors(), "{d:?}");
        let (state, d) = self.apply(&Value::Null, &planned).await;
        assert!(!d.has_errors(), "{d:?}");
        state
    }
}

/// Terraform's `AssertObjectCompatible`: every known planned value is kept by the apply.
fn assert_compatible(planned: &Value, new: &Value) {
    if let Value::Object(attrs) = planned {
        for (k, v) in attrs {
            if v.is_wholly_known() {
                assert_eq!(
                    v,
                    new.attr(k),
                    "Terraform: inconsistent result after apply for {k}"
                );
            }
        }
    }
}

#[tokio::test]
async fn configured_values_are_planned_exactly_as_written() {
    let h = Harness::new(false).await;
    let state = h
        .create(&obj(&[("name", "a".into()), ("note", "n".into())]))
        .await;

    // Update: the new configuration's values, and a removed optional value becomes null.
    let config = obj(&[("name", "b".into())]);
    let (planned, _, d) = h.plan(&state, &config);
    assert!(!d.has_errors(), "{d:?}");
    // Terraform: "planned value for a non-computed attribute" must equal config.
    assert_eq!(planned.attr("name"), &Value::from("b"));
    assert_eq!(planned.attr("note"), &Value::Null);
    // An unknown configured value is planned unknown, not guessed.
    let (planned, _, _) = h.plan(&state, &obj(&[("name", Value::Unknown)]));
    assert_eq!(planned.attr("name"), &Value::Unknown);
}

#[tokio::test]
async fn computed_values_left_unset_become_unknown_when_the_resource_changes() {
    let h = Harness::new(false).await;
    let state = h.create(&obj(&[("name", "a".into())])).await;
    assert_eq!(state.attr("size"), &Value::from(10));

    // The server recomputes `size` on update: planning the old value would make Terraform
    // reject the apply as inconsistent, so it must be unknown.
    *h.store().forced_size.lock().unwrap() = Some(99);
    let (planned, _, _) = h.plan(&state, &obj(&[("name", "b".into())]));
    assert_eq!(planned.attr("size"), &Value::Unknown);
    let (new, d) = h.apply(&state, &planned).await;
    assert!(!d.has_errors(), "{d:?}");
    assert_compatible(&planned, &new);
    assert_eq!(new.attr("size"), &Value::from(99));

    // Nothing changes: nothing is unknown (no "(known after apply)" noise).
    let (planned, _, _) = h.plan(&new, &obj(&[("name", "b".into())]));
    assert_eq!(planned, new);
}

impl Harness {
    /// The fake API behind the configured provider.
    fn store(&self) -> Arc<Store> {
        self.engine.configured().expect("configured")
    }
}

#[tokio::test]
async fn use_state_for_unknown_keeps_stable_computed_values() {
    let h = Harness::new(false).await;
    let state = h.create(&obj(&[("name", "a".into())])).await;
    let (planned, _, _) = h.plan(&state, &obj(&[("name", "b".into())]));
    assert_eq!(planned.attr("id"), state.attr("id"));
    assert_eq!(planned.attr("secret"), state.attr("secret"));
    // On create there is no prior to keep: unknown.
    let (planned, _, _) = h.plan(&Value::Null, &obj(&[("name", "b".into())]));
    assert_eq!(planned.attr("id"), &Value::Unknown);
    assert_eq!(planned.attr("secret"), &Value::Unknown);
}

#[tokio::test]
async fn requires_replace_reports_only_attributes_that_change() {
    let h = Harness::new(false).await;
    let state = h
        .create(&obj(&[("name", "a".into()), ("zone", "z1".into())]))
        .await;
    let (_, rr, _) = h.plan(&state, &obj(&[("name", "b".into()), ("zone", "z1".into())]));
    assert!(rr.is_empty(), "{rr:?}");
    let (_, rr, _) = h.plan(&state, &obj(&[("name", "a".into()), ("zone", "z2".into())]));
    assert_eq!(rr, vec![AttributePath::root("zone")]);
    // Never on create.
    let (_, rr, _) = h.plan(
        &Value::Null,
        &obj(&[("name", "a".into()), ("zone", "z2".into())]),
    );
    assert!(rr.is_empty());
}

/// What only the server can tell is checked at plan for creates and replacements (through the
/// gRPC server's `check_planned`), never for in-place updates or destroys, and
/// an error there fails the plan with no planned state.
#[tokio::test]
async fn the_server_is_asked_at_plan_only_for_creates_and_replacements() {
    let h = Harness::new(false).await;
    let checks = |h: &Harness| *h.engine.configured().unwrap().server_checks.lock().unwrap();
    let nowhere = obj(&[("name", "a".into()), ("zone", "nowhere".into())]);
    // The rules alone do not ask the server.
    let (_, _, d) = h.plan(&Value::Null, &nowhere);
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(checks(&h), 0);
    let (planned, d) = h.plan_checked(&Value::Null, &nowhere).await;
    assert!(d.has_errors(), "a create is checked");
    assert!(planned.is_empty(), "a failed plan plans nothing");
    assert_eq!(checks(&h), 1);

    let state = h
        .create(&obj(&[("name", "a".into()), ("zone", "z1".into())]))
        .await;
    let before = checks(&h);
    let (_, d) = h
        .plan_checked(&state, &obj(&[("name", "b".into()), ("zone", "z1".into())]))
        .await;
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(checks(&h), before, "an in-place update is not checked");
    let (_, d) = h.plan_checked(&state, &Value::Null).await;
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(checks(&h), before, "a destroy is not checked");
    let (_, d) = h.plan_checked(&state, &nowhere).await;
    assert!(d.has_errors(), "a replacement is checked");
    assert_eq!(checks(&h), before + 1);
}

#[tokio::test]
async fn destroy_plans_are_null_and_delete_returns_null() {
    let h = Harness::new(false).await;
    let state = h.create(&obj(&[("name", "a".into())])).await;
    let r = h.engine.plan_resource_change(
        "test_thing",
        &h.dv(&state),
        &h.dv(&Value::Null),
        &h.dv(&Value::Null),
        &[],
    );
    // Terraform: "planned a non-null destroy value".
    assert_eq!(h.value(&r.planned_state), Value::Null);
    let (new, d) = h.apply(&state, &Value::Null).await;
    assert!(!d.has_errors());
    assert_eq!(
        new,
        Value::Null,
        "Terraform rejects a non-null object after delete"
    );
}

#[tokio::test]
async fn state_after_apply_is_wholly_known_and_keeps_planned_values() {
    let h = Harness::new(false).await;
    let (planned, _, _) = h.plan(&Value::Null, &obj(&[("name", "a".into())]));
    assert!(
        !planned.is_wholly_known(),
        "id, size and secret are unknown before create"
    );
    let (new, d) = h.apply(&Value::Null, &planned).await;
    assert!(!d.has_errors(), "{d:?}");
    assert!(
        new.is_wholly_known(),
        "Terraform: provider still indicated an unknown value"
    );
    assert_compatible(&planned, &new);

    // A resource that changes a configured value is reported by the engine itself, with the
    // attribute named, rather than by Terraform's vague message.
    let bad = Harness::new(true).await;
    let (planned, _, _) = bad.plan(&Value::Null, &obj(&[("name", "a".into())]));
    let (_, d) = bad.apply(&Value::Null, &planned).await;
    assert!(d.has_errors());
    assert_eq!(d.0[0].attribute, Some(AttributePath::root("name")));
}

#[tokio::test]
async fn semantically_equal_values_keep_what_the_user_wrote() {
    let h = Harness::new(false).await;
    // The server upper-cases labels; the user's spelling stays, so the apply is consistent.
    let (planned, _, _) = h.plan(
        &Value::Null,
        &obj(&[("name", "a".into()), ("label", "blue".into())]),
    );
    let (state, d) = h.apply(&Value::Null, &planned).await;
    assert!(!d.has_errors(), "{d:?}");
    assert_compatible(&planned, &state);
    assert_eq!(state.attr("label"), &Value::from("blue"));
    // And "BLUE" in the configuration later is no change.
    let (planned, _, _) = h.plan(
        &state,
        &obj(&[("name", "a".into()), ("label", "BLUE".into())]),
    );
    assert_eq!(planned, state);
}

#[tokio::test]
async fn a_null_state_from_read_means_the_object_is_gone() {
    let h = Harness::new(false).await;
    let state = h.create(&obj(&[("name", "a".into())])).await;
    let r = h
        .engine
        .read_resource("test_thing", &h.dv(&state), &[])
        .await;
    assert_eq!(h.value(&r.state.unwrap()), state);
    h.store().things.lock().unwrap().clear();
    let r = h
        .engine
        .read_resource("test_thing", &h.dv(&state), &[])
        .await;
    assert!(!r.diagnostics.has_errors());
    assert_eq!(
        h.value(&r.state.unwrap()),
        Value::Null,
        "gone: Terraform plans a create"
    );
}

#[tokio::test]
async fn every_stored_state_is_upgraded_and_removed_attributes_are_dropped() {
    let h = Harness::new(false).await;
    let raw = br#"{"id":"id-1","name":"a","note":null,"size":3,"zone":null,"secret":"s","label":null,"attribute_from_an_old_version":true}"#;
    let r = h.engine.upgrade_resource_state("test_thing", 0, raw);
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    let v = h.value(&r.state.unwrap());
    assert_eq!(v.attr("name"), &Value::from("a"));
    assert_eq!(v.attr("size"), &Value::from(3));
    // An attribute added since the state was written is null.
    let r = h
        .engine
        .upgrade_resource_state("test_thing", 0, br#"{"id":"x","name":"a"}"#);
    assert_eq!(h.value(&r.state.unwrap()).attr("label"), &Value::Null);
    // A state from a newer schema is refused, not misread.
    let r = h.engine.upgrade_resource_state("test_thing", 7, raw);
    assert!(r.diagnostics.has_errors());
}

#[tokio::test]
async fn a_resource_can_refuse_a_destroy_or_a_replacement_at_plan_and_at_apply() {
    let h = Harness::new(false).await;
    let config = obj(&[
        ("name", "a".into()),
        ("note", "protected".into()),
        ("zone", "z1".into()),
    ]);
    let state = h.create(&config).await;

    // A destroy plan (Terraform >= 1.3 with plan_destroy) fails instead of planning null.
    let r = h.engine.plan_resource_change(
        "test_thing",
        &h.dv(&state),
        &h.dv(&Value::Null),
        &h.dv(&Value::Null),
        &[],
    );
    assert!(r.diagnostics.has_errors());
    assert!(r.planned_state.is_empty());

    // A replacement fails at plan time too; an in-place update does not.
    let mut moved = config.clone();
    moved.set_attr("zone", "z2".into());
    let (_, rr, d) = h.plan(&state, &moved);
    assert_eq!(rr, vec![AttributePath::root("zone")]);
    assert!(d.has_errors(), "{d:?}");
    let mut renamed = config.clone();
    renamed.set_attr("name", "b".into());
    let (_, _, d) = h.plan(&state, &renamed);
    assert!(!d.has_errors(), "{d:?}");

    // Terraform 1.0 goes straight to apply: the delete is refused and the state kept.
    let (new, d) = h.apply(&state, &Value::Null).await;
    assert!(d.has_errors());
    assert_eq!(new, state, "the object is still there, so is its state");

    // Once unprotected, it can be destroyed.
    let mut open = config.clone();
    open.set_attr("note", "open".into());
    let (planned, _, d) = h.plan(&state, &open);
    assert!(!d.has_errors(), "{d:?}");
    let (state, _) = h.apply(&state, &planned).await;
    let (new, d) = h.apply(&state, &Value::Null).await;
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(new, Value::Null);
}
