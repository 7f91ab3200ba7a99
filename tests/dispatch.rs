//! One Terraform type served by two API families: the union schema, the argument a family lacks
//! refused at plan naming it, and every call going to the configured family's implementation.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use terraform_provider_influxdb::engine::schema::Attribute;
use terraform_provider_influxdb::engine::{Diagnostics, Resource, Schema, Type, Value};
use terraform_provider_influxdb::influxdb::connection::FamilyClient;
use terraform_provider_influxdb::influxdb::family::{
    Connected, FamilyName, Product, Setting, Settings,
};
use terraform_provider_influxdb::influxdb::registry::{Family, Registry};
use terraform_provider_influxdb::influxdb::Connection;
use tokio_util::sync::CancellationToken;

struct ClientA;
struct ClientB;
impl FamilyClient for ClientA {}
impl FamilyClient for ClientB {}

struct FamilyA;
struct FamilyB;

static PRODUCT_A: [Product; 1] = [Product {
    name: "Product A",
    simulator: None,
    needs: "a_token",
    lacks: &[],
}];
static PRODUCT_B: [Product; 1] = [Product {
    name: "Product B",
    simulator: None,
    needs: "b_token",
    lacks: &[],
}];

macro_rules! family {
    ($ty:ident, $key:literal, $products:ident, $client:ident, $resource:ident) => {
        impl Family for $ty {
            fn name(&self) -> &'static FamilyName {
                static NAME: FamilyName = FamilyName {
                    key: $key,
                    title: concat!("family ", $key),
                    configured_as: concat!("family ", $key, " (its settings)"),
                    summary: "things",
                    products: &$products,
                };
                &NAME
            }
            fn settings(&self) -> &'static [Setting] {
                &[]
            }
            fn configure(
                &self,
                _: &Settings,
                _: CancellationToken,
                _: &mut Diagnostics,
            ) -> Option<Connected> {
                Some(Ok(Arc::new($client)))
            }
            fn register(&self, r: &mut Registry) {
                r.resource($resource);
            }
        }
    };
}
family!(FamilyA, "a", PRODUCT_A, ClientA, ThingA);
family!(FamilyB, "b", PRODUCT_B, ClientB, ThingB);

#[derive(Serialize, Deserialize, Default)]
struct StateB {
    name: Option<String>,
    colour: Option<String>,
    served_by: Option<String>,
}

struct ThingA;
struct ThingB;

macro_rules! thing {
    ($ty:ident, $client:ident, $state:ident, $extra:literal, $tag:literal, $rule:expr) => {
        #[async_trait]
        impl Resource for $ty {
            type Client = $client;
            type State = $state;
            fn type_name(&self) -> &'static str {
                "influxdb_thing"
            }
            fn schema(&self) -> Schema {
                Schema::new(
                    concat!("A thing of family ", $tag, "."),
                    vec![
                        Attribute::required("name", Type::String)
                            .describe("The name.")
                            .validate_str("Invalid name", $rule),
                        Attribute::optional($extra, Type::String).describe("Family-only."),
                        Attribute::computed("served_by", Type::String).describe("Who served."),
                    ],
                )
            }
            async fn create(
                &self,
                _: &$client,
                mut s: $state,
                _: &mut Diagnostics,
            ) -> Option<$state> {
                s.served_by = Some($tag.into());
                Some(s)
            }
            async fn read(&self, _: &$client, s: $state, _: &mut Diagnostics) -> Option<$state> {
                Some(s)
            }
            async fn update(
                &self,
                _: &$client,
                _: $state,
                s: $state,
                _: &mut Diagnostics,
            ) -> Option<$state> {
                Some(s)
            }
            async fn delete(&self, _: &$client, _: $state, _: &mut Diagnostics) {}
        }
    };
}
#[derive(Serialize, Deserialize, Default)]
struct StateA2 {
    name: Option<String>,
    size: Option<String>,
    served_by: Option<String>,
}
/// Family A's name rule: at most 3 characters.
fn short(s: &str) -> Result<(), String> {
    if s.len() > 3 {
        return Err(format!("{s:?} is longer than 3 characters (family a)."));
    }
    Ok(())
}
/// Family B's name rule: no `z`.
fn no_z(s: &str) -> Result<(), String> {
    if s.contains('z') {
        return Err(format!("{s:?} has a z (family b)."));
    }
    Ok(())
}
thing!(ThingA, ClientA, StateA2, "size", "a", short);
thing!(ThingB, ClientB, StateB, "colour", "b", no_z);

static A: FamilyA = FamilyA;
static B: FamilyB = FamilyB;

fn registry() -> Registry {
    Registry::of_families(&[&A, &B])
}

fn config(pairs: &[(&str, &str)], ty: &Type) -> Value {
    let mut v = Value::empty_object(ty);
    for (k, x) in pairs {
        v.set_attr(k, Value::from(*x));
    }
    v
}

#[test]
fn the_union_schema_says_which_products_have_an_argument() {
    let r = registry();
    assert_eq!(r.resources.len(), 1, "one type for both families");
    let schema = r.resources[0].schema();
    let name = schema.attribute("name").unwrap();
    assert!(name.required, "required by both families stays required");
    let size = schema.attribute("size").unwrap();
    assert!(size.optional && !size.required);
    assert!(
        size.description.ends_with("Only on Product A."),
        "{}",
        size.description
    );
    let colour = schema.attribute("colour").unwrap();
    assert!(
        colour.description.ends_with("Only on Product B."),
        "{}",
        colour.description
    );
    assert!(schema
        .description
        .contains("On Product B: A thing of family b."));
}

#[tokio::test]
async fn an_argument_of_another_family_fails_at_plan_naming_it() {
    let r = registry();
    let thing = &r.resources[0];
    let ty = thing.schema().ty();
    let on_b = Connection::new(B.name(), Ok(Arc::new(ClientB)), String::new());
    let mut diags = Diagnostics::default();
    thing.check_provider(
        &on_b,
        &config(&[("name", "x"), ("size", "big")], &ty),
        &mut diags,
    );
    assert!(diags.has_errors());
    let d = diags.iter().next().unwrap();
    assert!(d.summary.contains("size"), "{d:?}");
    assert!(d.detail.contains("only on Product A"), "{d:?}");
    assert!(d.detail.contains("family b"), "{d:?}");

    let mut diags = Diagnostics::default();
    thing.check_provider(
        &on_b,
        &config(&[("name", "x"), ("colour", "red")], &ty),
        &mut diags,
    );
    assert!(!diags.has_errors(), "{diags:?}");
}

#[tokio::test]
async fn every_call_goes_to_the_configured_family() {
    let r = registry();
    let thing = &r.resources[0];
    let ty = thing.schema().ty();
    for (conn, tag) in [
        (
            Connection::new(A.name(), Ok(Arc::new(ClientA)), String::new()),
            "a",
        ),
        (
            Connection::new(B.name(), Ok(Arc::new(ClientB)), String::new()),
            "b",
        ),
    ] {
        let mut diags = Diagnostics::default();
        let planned = config(&[("name", "x")], &ty);
        let created = thing.create(&conn, &planned, &mut diags).await;
        let created = created.unwrap_or_else(|| panic!("{diags:?}"));
        assert!(!diags.has_errors(), "{diags:?}");
        assert_eq!(created.attr("served_by"), &Value::from(tag));
        // The state has every attribute of the union (the other family's null).
        for a in &thing.schema().attributes {
            assert!(
                matches!(&created, Value::Object(m) if m.contains_key(&a.name)),
                "{} missing from {created:?}",
                a.name
            );
        }
    }
}

#[test]
fn a_shared_attribute_is_refused_at_validate_only_when_every_family_refuses_it_and_at_plan_by_the_configured_family(
) {
    let r = registry();
    let thing = &r.resources[0];
    let ty = thing.schema().ty();
    let validate = |name: &str| {
        let mut d = Diagnostics::default();
        thing
            .schema()
            .validate(&config(&[("name", name)], &ty), &mut d);
        d
    };
    let plan_on = |conn: &Connection, name: &str| {
        let mut d = Diagnostics::default();
        thing.check_provider(conn, &config(&[("name", name)], &ty), &mut d);
        d
    };
    let on_a = Connection::new(A.name(), Ok(Arc::new(ClientA)), String::new());
    let on_b = Connection::new(B.name(), Ok(Arc::new(ClientB)), String::new());
    // Only family a refuses "abcd": valid in the union, refused at plan on a only.
    assert!(!validate("abcd").has_errors());
    let d = plan_on(&on_a, "abcd");
    assert!(d.has_errors(), "{d:?}");
    assert!(d.iter().any(|x| x.detail.contains("family a")), "{d:?}");
    assert!(!plan_on(&on_b, "abcd").has_errors());
    // Only family b refuses "z".
    assert!(!validate("z").has_errors());
    assert!(!plan_on(&on_a, "z").has_errors());
    assert!(plan_on(&on_b, "z").has_errors());
    // Both refuse "zzzz": refused at validate, with one family's words.
    let d = validate("zzzz");
    assert!(d.has_errors(), "{d:?}");
    assert_eq!(d.iter().count(), 1, "{d:?}");
    assert!(!validate("ab").has_errors());
}
