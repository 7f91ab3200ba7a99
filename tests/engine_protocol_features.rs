//! The engine's rules for the newer protocol features, checked with a small in-memory provider:
//! resource identity (Terraform >= 1.12), ephemeral resources (>= 1.10) and list resources
//! (>= 1.14). Each test states what Terraform, or the user, would suffer if the rule broke.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use terraform_provider_influxdb::engine::ephemeral::DynEphemeralResource;
use terraform_provider_influxdb::engine::list::DynListResource;
use terraform_provider_influxdb::engine::resource;
use terraform_provider_influxdb::engine::resource::{DynDataSource, DynResource};
use terraform_provider_influxdb::engine::{
    ephemeral_resource, list_resource, msgpack, Attribute, AttributePath, Diagnostics,
    DynamicValue, Engine, EphemeralResource, IdentityAttribute, IdentitySchema, ListResource,
    Listed, Opened, Provider, Resource, Schema, Type, Value,
};
use tokio_util::sync::CancellationToken;

/// The fake API: things by id, and a log of what the ephemeral resource did.
#[derive(Default)]
struct Store {
    things: Mutex<BTreeMap<String, Thing>>,
    opened: Mutex<Vec<String>>,
    closed: Mutex<Vec<String>>,
}

#[derive(Serialize, Deserialize, Clone, Default, Debug, PartialEq)]
struct Thing {
    id: Option<String>,
    name: Option<String>,
    zone: Option<String>,
    secret: Option<String>,
}

struct ThingResource;

fn thing_schema() -> Schema {
    Schema::new(
        "test",
        vec![
            Attribute::computed("id", Type::String).use_state_for_unknown(),
            Attribute::required("name", Type::String),
            Attribute::computed("zone", Type::String).use_state_for_unknown(),
            Attribute::computed("secret", Type::String)
                .sensitive()
                .use_state_for_unknown(),
        ],
    )
}

#[async_trait]
impl Resource for ThingResource {
    type Client = Store;
    type State = Thing;

    fn type_name(&self) -> &'static str {
        "test_thing"
    }
    fn schema(&self) -> Schema {
        thing_schema()
    }
    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![
            IdentityAttribute::required("id", "the id"),
            IdentityAttribute::optional("zone", "the zone"),
        ]))
    }
    async fn create(&self, s: &Store, mut t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        let id = format!("id-{}", s.things.lock().unwrap().len() + 1);
        t.id = Some(id.clone());
        t.zone = Some("z1".into());
        t.secret = Some("s".into());
        s.things.lock().unwrap().insert(id, t.clone());
        Some(t)
    }
    async fn read(&self, s: &Store, cur: Thing, _: &mut Diagnostics) -> Option<Thing> {
        s.things.lock().unwrap().get(cur.id.as_deref()?).cloned()
    }
    async fn update(&self, _: &Store, _: Thing, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn delete(&self, s: &Store, prior: Thing, _: &mut Diagnostics) {
        s.things
            .lock()
            .unwrap()
            .remove(prior.id.as_deref().unwrap_or(""));
    }
    async fn import(&self, s: &Store, id: &str, _: &mut Diagnostics) -> Option<Thing> {
        s.things.lock().unwrap().get(id).cloned()
    }
}

/// A resource whose identity names a sensitive attribute: a declaration error.
struct BadIdentity;

#[async_trait]
impl Resource for BadIdentity {
    type Client = Store;
    type State = Thing;
    fn type_name(&self) -> &'static str {
        "test_bad"
    }
    fn schema(&self) -> Schema {
        thing_schema()
    }
    fn identity(&self) -> Option<IdentitySchema> {
        Some(IdentitySchema::new(vec![IdentityAttribute::required(
            "secret", "",
        )]))
    }
    async fn create(&self, _: &Store, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn read(&self, _: &Store, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn update(&self, _: &Store, _: Thing, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn delete(&self, _: &Store, _: Thing, _: &mut Diagnostics) {}
}

#[derive(Serialize, Deserialize, Default, Debug)]
struct Lease {
    purpose: Option<String>,
    id: Option<String>,
    secret: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct LeasePrivate {
    id: String,
}

/// An ephemeral lease. `fail_after_open` makes it report an error after it has created the
/// lease, as a provider might when a follow-up call fails.
struct LeaseEphemeral {
    fail_after_open: bool,
}

#[async_trait]
impl EphemeralResource for LeaseEphemeral {
    type Client = Store;
    type Model = Lease;
    type Private = LeasePrivate;

    fn type_name(&self) -> &'static str {
        if self.fail_after_open {
            "test_broken_lease"
        } else {
            "test_lease"
        }
    }
    fn schema(&self) -> Schema {
        Schema::new(
            "lease",
            vec![
                Attribute::required("purpose", Type::String).validate_str("Invalid purpose", |s| {
                    if s.is_empty() {
                        Err("empty".into())
                    } else {
                        Ok(())
                    }
                }),
                Attribute::computed("id", Type::String),
                Attribute::computed("secret", Type::String).sensitive(),
            ],
        )
    }
    fn check_provider(&self, _s: &Store, config: &Value, diags: &mut Diagnostics) {
        if config.attr("purpose") == &Value::from("other product") {
            diags.error("Wrong provider", "this provider block cannot serve it");
        }
    }
    async fn open(
        &self,
        s: &Store,
        _config: Lease,
        diags: &mut Diagnostics,
    ) -> Option<Opened<Lease, LeasePrivate>> {
        let id = format!("lease-{}", s.opened.lock().unwrap().len() + 1);
        s.opened.lock().unwrap().push(id.clone());
        if self.fail_after_open {
            diags.error("Lease unusable", "the follow-up call failed");
        }
        Some(Opened {
            result: Lease {
                id: Some(id.clone()),
                secret: Some("hunter2".into()),
                // The engine keeps the configured value whatever the domain returns.
                purpose: Some("changed by the provider".into()),
            },
            private: LeasePrivate { id },
        })
    }
    async fn close(&self, s: &Store, p: LeasePrivate, _: &mut Diagnostics) {
        s.closed.lock().unwrap().push(p.id);
    }
}

#[derive(Serialize, Deserialize, Default)]
struct ThingListConfig {
    name_prefix: Option<String>,
}

struct ThingList {
    type_name: &'static str,
}

#[async_trait]
impl ListResource for ThingList {
    type Client = Store;
    type Config = ThingListConfig;
    type State = Thing;
    fn type_name(&self) -> &'static str {
        self.type_name
    }
    fn schema(&self) -> Schema {
        Schema::new(
            "list",
            vec![Attribute::optional("name_prefix", Type::String)],
        )
    }
    async fn list(
        &self,
        s: &Store,
        config: ThingListConfig,
        _: &mut Diagnostics,
    ) -> Vec<Listed<Thing>> {
        let prefix = config.name_prefix.unwrap_or_default();
        s.things
            .lock()
            .unwrap()
            .values()
            .filter(|t| t.name.as_deref().unwrap_or("").starts_with(&prefix))
            .map(|t| Listed {
                display_name: t.name.clone().unwrap_or_default(),
                state: t.clone(),
            })
            .collect()
    }
}

/// A resource with no identity, to list (a provider bug the engine must report).
struct NoIdentity;

#[async_trait]
impl Resource for NoIdentity {
    type Client = Store;
    type State = Thing;
    fn type_name(&self) -> &'static str {
        "test_plain"
    }
    fn schema(&self) -> Schema {
        thing_schema()
    }
    async fn create(&self, _: &Store, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn read(&self, _: &Store, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn update(&self, _: &Store, _: Thing, t: Thing, _: &mut Diagnostics) -> Option<Thing> {
        Some(t)
    }
    async fn delete(&self, _: &Store, _: Thing, _: &mut Diagnostics) {}
}

struct TestProvider {
    bad_identity: bool,
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
        let mut r = vec![resource(ThingResource), resource(NoIdentity)];
        if self.bad_identity {
            r.push(resource(BadIdentity));
        }
        r
    }
    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<Store>>> {
        vec![]
    }
    fn ephemeral_resources(&self) -> Vec<Arc<dyn DynEphemeralResource<Store>>> {
        vec![
            ephemeral_resource(LeaseEphemeral {
                fail_after_open: false,
            }),
            ephemeral_resource(LeaseEphemeral {
                fail_after_open: true,
            }),
        ]
    }
    fn list_resources(&self) -> Vec<Arc<dyn DynListResource<Store>>> {
        vec![
            list_resource(ThingList {
                type_name: "test_thing",
            }),
            list_resource(ThingList {
                type_name: "test_plain",
            }),
        ]
    }
}

// ---------------------------------------------------------------------------------------------

async fn engine() -> Engine<TestProvider> {
    let e = Engine::new(TestProvider {
        bad_identity: false,
    });
    let d = e.configure_provider(&DynamicValue::default()).await;
    assert!(!d.has_errors(), "{d:?}");
    e
}

fn object(ty: &Type, pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::empty_object(ty);
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v
}

fn thing(pairs: &[(&str, Value)]) -> Value {
    object(&thing_schema().ty(), pairs)
}

fn dv(v: &Value, ty: &Type) -> DynamicValue {
    DynamicValue::msgpack(msgpack::encode(v, ty).unwrap())
}

fn identity_ty() -> Type {
    Type::object([("id", Type::String), ("zone", Type::String)])
}

fn lease_ty() -> Type {
    LeaseEphemeral {
        fail_after_open: false,
    }
    .schema()
    .ty()
}

/// Creates a thing through plan and apply; returns its state (msgpack).
async fn create(e: &Engine<TestProvider>, name: &str) -> Vec<u8> {
    let ty = thing_schema().ty();
    let config = thing(&[("name", name.into())]);
    let p = e.plan_resource_change(
        "test_thing",
        &DynamicValue::default(),
        &dv(&config, &ty),
        &dv(&config, &ty),
        &[],
    );
    assert!(!p.diagnostics.has_errors(), "{:?}", p.diagnostics);
    let a = e
        .apply_resource_change(
            "test_thing",
            &DynamicValue::default(),
            &DynamicValue::msgpack(p.planned_state),
            &[],
        )
        .await;
    assert!(!a.diagnostics.has_errors(), "{:?}", a.diagnostics);
    a.state.unwrap()
}

// ---------------------------------------------------------------------------------------------
// Identity

/// Terraform rejects a read whose identity differs from the stored one, so the identity must be
/// exactly the identifying attributes of the state.
#[tokio::test]
async fn identity_is_the_identifying_attributes_of_the_state() {
    let e = engine().await;
    let state = create(&e, "a").await;
    let id = e.identity_of("test_thing", &state).expect("an identity");
    let id = msgpack::decode(&id, &identity_ty()).unwrap();
    assert_eq!(
        id,
        object(
            &identity_ty(),
            &[("id", "id-1".into()), ("zone", "z1".into())]
        )
    );
    // No object, no identity; no identity schema, no identity.
    let null = msgpack::encode(&Value::Null, &thing_schema().ty()).unwrap();
    assert!(e.identity_of("test_thing", &null).is_none());
    assert!(e.identity_of("test_plain", &state).is_none());
}

/// Terraform cannot store a partly unknown identity in a plan ("value is not known"), so a
/// planned create has none.
#[tokio::test]
async fn a_planned_create_has_no_identity() {
    let e = engine().await;
    let ty = thing_schema().ty();
    let config = thing(&[("name", "a".into())]);
    let p = e.plan_resource_change(
        "test_thing",
        &DynamicValue::default(),
        &dv(&config, &ty),
        &dv(&config, &ty),
        &[],
    );
    assert!(e.identity_of("test_thing", &p.planned_state).is_none());
}

#[tokio::test]
async fn identity_schemas_take_the_types_of_the_state_and_mark_the_import_id() {
    let e = engine().await;
    let (schemas, d) = e.identity_schemas();
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(schemas.len(), 1, "only resources declaring an identity");
    let s = &schemas[0];
    assert_eq!(s.type_name, "test_thing");
    let attrs: Vec<_> = s
        .attributes
        .iter()
        .map(|a| (a.name.as_str(), a.required_for_import, a.ty.clone()))
        .collect();
    assert_eq!(
        attrs,
        vec![("id", true, Type::String), ("zone", false, Type::String)]
    );
}

/// A sensitive attribute in an identity would be written in clear to state and query output.
#[tokio::test]
async fn an_identity_naming_a_sensitive_attribute_is_a_provider_bug() {
    let e = Engine::new(TestProvider { bad_identity: true });
    let (schemas, d) = e.identity_schemas();
    assert!(d.has_errors());
    assert!(format!("{d:?}").contains("sensitive"), "{d:?}");
    assert_eq!(schemas.len(), 1, "the valid schema is still served");
}

#[tokio::test]
async fn import_by_identity_uses_the_required_attribute_as_the_id() {
    let e = engine().await;
    create(&e, "a").await;
    let given = object(&identity_ty(), &[("id", "id-1".into())]);
    let (imported, d) = e
        .import_resource_by_identity("test_thing", &dv(&given, &identity_ty()))
        .await;
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(imported.len(), 1);
    let state = msgpack::decode(&imported[0].state, &thing_schema().ty()).unwrap();
    assert_eq!(state.attr("name"), &Value::from("a"));
}

#[tokio::test]
async fn import_by_identity_names_a_missing_required_attribute() {
    let e = engine().await;
    let given = object(&identity_ty(), &[("zone", "z1".into())]);
    let (imported, d) = e
        .import_resource_by_identity("test_thing", &dv(&given, &identity_ty()))
        .await;
    assert!(imported.is_empty());
    assert!(d.has_errors());
    assert_eq!(d.0[0].attribute, Some(AttributePath::root("id")));
}

/// An optional identity attribute that disagrees with the object found (another account) must
/// not import the wrong object silently.
#[tokio::test]
async fn import_by_identity_refuses_an_object_that_does_not_match() {
    let e = engine().await;
    create(&e, "a").await;
    let given = object(
        &identity_ty(),
        &[("id", "id-1".into()), ("zone", "elsewhere".into())],
    );
    let (imported, d) = e
        .import_resource_by_identity("test_thing", &dv(&given, &identity_ty()))
        .await;
    assert!(imported.is_empty(), "nothing imported on a mismatch");
    let err = d
        .iter()
        .find(|x| x.summary.contains("does not match"))
        .expect("mismatch");
    assert_eq!(err.attribute, Some(AttributePath::root("zone")));
    assert!(err.detail.contains("\"elsewhere\"") && err.detail.contains("\"z1\""));
}

#[tokio::test]
async fn a_stored_identity_is_upgraded_from_json() {
    let e = engine().await;
    let r = e.upgrade_resource_identity("test_thing", 0, br#"{"id":"id-9","zone":null,"gone":1}"#);
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    let v = msgpack::decode(&r.identity.unwrap(), &identity_ty()).unwrap();
    assert_eq!(v.attr("id"), &Value::from("id-9"));
    let r = e.upgrade_resource_identity("test_thing", 1, br#"{"id":"x"}"#);
    assert!(
        r.diagnostics.has_errors(),
        "a newer identity version is refused"
    );
}

// ---------------------------------------------------------------------------------------------
// Ephemeral resources

#[tokio::test]
async fn ephemeral_config_is_validated_with_the_attribute_named() {
    let e = engine().await;
    let config = object(&lease_ty(), &[("purpose", "".into())]);
    let d = e.validate_ephemeral_resource_config("test_lease", &dv(&config, &lease_ty()));
    assert!(d.has_errors());
    assert_eq!(d.0[0].attribute, Some(AttributePath::root("purpose")));
    // And open refuses it without calling the domain.
    let r = e
        .open_ephemeral_resource("test_lease", &dv(&config, &lease_ty()))
        .await;
    assert!(r.result.is_none() && r.diagnostics.has_errors());
    assert!(e.configured().unwrap().opened.lock().unwrap().is_empty());
}

/// A configuration known only after apply cannot be opened: the result is unknown where the
/// provider would compute it, nothing is created and nothing needs closing.
#[tokio::test]
async fn an_unknown_configuration_is_not_opened() {
    let e = engine().await;
    let config = object(&lease_ty(), &[("purpose", Value::Unknown)]);
    let r = e
        .open_ephemeral_resource("test_lease", &dv(&config, &lease_ty()))
        .await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    assert!(r.private.is_none());
    let result = msgpack::decode(&r.result.unwrap(), &lease_ty()).unwrap();
    assert_eq!(result.attr("id"), &Value::Unknown);
    assert_eq!(result.attr("secret"), &Value::Unknown);
    assert!(e.configured().unwrap().opened.lock().unwrap().is_empty());
}

#[tokio::test]
async fn open_keeps_the_configuration_and_close_gets_the_private_data() {
    let e = engine().await;
    let config = object(&lease_ty(), &[("purpose", "ci".into())]);
    let r = e
        .open_ephemeral_resource("test_lease", &dv(&config, &lease_ty()))
        .await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    let result = msgpack::decode(&r.result.unwrap(), &lease_ty()).unwrap();
    assert_eq!(result.attr("purpose"), &Value::from("ci"), "as configured");
    assert_eq!(result.attr("id"), &Value::from("lease-1"));
    assert!(result.is_wholly_known());

    let c = e
        .close_ephemeral_resource("test_lease", r.private.as_deref())
        .await;
    assert!(!c.diagnostics.has_errors(), "{:?}", c.diagnostics);
    assert_eq!(*e.configured().unwrap().closed.lock().unwrap(), ["lease-1"]);

    // Nothing opened (empty private): nothing closed.
    let c = e.close_ephemeral_resource("test_lease", None).await;
    assert!(!c.diagnostics.has_errors());
    assert_eq!(e.configured().unwrap().closed.lock().unwrap().len(), 1);
}

/// Terraform never closes what failed to open, so the engine closes it itself.
#[tokio::test]
async fn an_open_that_fails_after_creating_closes_what_it_made() {
    let e = engine().await;
    let config = object(&lease_ty(), &[("purpose", "ci".into())]);
    let r = e
        .open_ephemeral_resource("test_broken_lease", &dv(&config, &lease_ty()))
        .await;
    assert!(r.result.is_none() && r.private.is_none());
    assert!(r.diagnostics.has_errors());
    assert_eq!(*e.configured().unwrap().closed.lock().unwrap(), ["lease-1"]);
}

/// The provider check runs before open: a refused configuration opens (creates) nothing.
#[tokio::test]
async fn an_open_the_provider_cannot_serve_fails_before_opening_anything() {
    let e = engine().await;
    let config = object(&lease_ty(), &[("purpose", "other product".into())]);
    let r = e
        .open_ephemeral_resource("test_lease", &dv(&config, &lease_ty()))
        .await;
    assert!(r.result.is_none() && r.private.is_none());
    assert!(
        r.diagnostics.iter().any(|d| d.summary == "Wrong provider"),
        "{:?}",
        r.diagnostics
    );
    assert!(e.configured().unwrap().opened.lock().unwrap().is_empty());
}

#[tokio::test]
async fn renew_and_an_unknown_type_are_answered() {
    let e = engine().await;
    assert!(!e.renew_ephemeral_resource("test_lease").has_errors());
    let d = e.validate_ephemeral_resource_config("test_nope", &DynamicValue::default());
    assert!(d.has_errors());
}

// ---------------------------------------------------------------------------------------------
// List resources

fn list_config(prefix: Option<&str>) -> DynamicValue {
    let ty = Type::object([("name_prefix", Type::String)]);
    let v = object(
        &ty,
        &[(
            "name_prefix",
            prefix.map(Value::from).unwrap_or(Value::Null),
        )],
    );
    dv(&v, &ty)
}

#[tokio::test]
async fn list_results_carry_the_identity_and_the_object_only_when_asked() {
    let e = engine().await;
    create(&e, "alpha").await;
    create(&e, "beta").await;
    create(&e, "alfalfa").await;

    let r = e
        .list("test_thing", &list_config(Some("al")), false, 100)
        .await;
    assert!(!r.diagnostics.has_errors(), "{:?}", r.diagnostics);
    let names: Vec<_> = r.events.iter().map(|e| e.display_name.as_str()).collect();
    assert_eq!(names, ["alpha", "alfalfa"]);
    assert!(r.events.iter().all(|e| e.resource_object.is_none()));
    let id = msgpack::decode(&r.events[0].identity, &identity_ty()).unwrap();
    assert_eq!(id.attr("id"), &Value::from("id-1"));

    let r = e.list("test_thing", &list_config(None), true, 100).await;
    assert_eq!(r.events.len(), 3);
    let obj = msgpack::decode(
        r.events[1].resource_object.as_ref().unwrap(),
        &thing_schema().ty(),
    )
    .unwrap();
    assert_eq!(obj.attr("name"), &Value::from("beta"));
}

#[tokio::test]
async fn list_stops_at_terraforms_limit() {
    let e = engine().await;
    for n in ["a", "b", "c"] {
        create(&e, n).await;
    }
    let r = e.list("test_thing", &list_config(None), false, 2).await;
    assert_eq!(r.events.len(), 2);
}

/// Without an identity Terraform cannot write an import block for a result.
#[tokio::test]
async fn listing_a_resource_without_identity_is_a_provider_bug() {
    let e = engine().await;
    let r = e.list("test_plain", &list_config(None), false, 10).await;
    assert!(r.events.is_empty());
    assert!(format!("{:?}", r.diagnostics).contains("no identity"));
    let d = e.validate_list_resource_config("test_nope", &list_config(None));
    assert!(d.has_errors());
}

#[tokio::test]
async fn schemas_list_ephemeral_and_list_resources() {
    let e = engine().await;
    let s = e.schemas();
    let eph: Vec<_> = s.ephemeral_resources.iter().map(|(n, _)| *n).collect();
    assert_eq!(eph, ["test_lease", "test_broken_lease"]);
    let lists: Vec<_> = s.list_resources.iter().map(|(n, _)| *n).collect();
    assert_eq!(lists, ["test_thing", "test_plain"]);
}
