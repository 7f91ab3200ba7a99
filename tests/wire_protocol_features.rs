//! The newer RPCs on the wire, against the real binary: what GetMetadata and GetProviderSchema
//! announce (Terraform >= 1.10 refuses an ephemeral or list resource the provider does not
//! list), the identity schemas, and the answers Terraform gets before the provider is
//! configured. The end-to-end tests (e2e_ephemeral_database_token, e2e_query, e2e_identity) cover the rest.

#[path = "support/plugin.rs"]
mod plugin;

use plugin::{LaunchOptions, Plugin};
use terraform_provider_influxdb::engine::{msgpack, Type, Value};
use terraform_provider_influxdb::wire::proto::tfplugin6 as pb;

fn bin() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb"))
}

#[tokio::test]
async fn metadata_schemas_and_identity_schemas_announce_the_new_features() {
    let mut p = Plugin::launch_with(bin(), LaunchOptions::default().no_tls());
    let mut c = p.provider_client().await.expect("connect");

    let m = c
        .get_metadata(pb::get_metadata::Request {})
        .await
        .unwrap()
        .into_inner();
    let mut eph: Vec<_> = m
        .ephemeral_resources
        .iter()
        .map(|e| e.type_name.as_str())
        .collect();
    eph.sort();
    assert_eq!(eph, ["influxdb_authorization", "influxdb_database_token"]);
    let mut lists: Vec<_> = m
        .list_resources
        .iter()
        .map(|e| e.type_name.as_str())
        .collect();
    lists.sort();
    assert_eq!(
        lists,
        [
            "influxdb_admin_token",
            "influxdb_authorization",
            "influxdb_bucket",
            "influxdb_database",
            "influxdb_database_token",
            "influxdb_dbrp_mapping",
            "influxdb_task",
        ]
    );

    let s = c
        .get_provider_schema(pb::get_provider_schema::Request {})
        .await
        .unwrap()
        .into_inner();
    let eph = &s.ephemeral_resource_schemas["influxdb_database_token"];
    let attrs = &eph.block.as_ref().unwrap().attributes;
    let access = attrs.iter().find(|a| a.name == "access_token").unwrap();
    assert!(access.sensitive && access.computed);
    let ttl = attrs.iter().find(|a| a.name == "ttl").unwrap();
    assert!(ttl.required);
    assert!(s.list_resource_schemas.contains_key("influxdb_database"));
    // A write-only attribute is announced as such (protocol 6.8), optional and not computed.
    let user = &s.resource_schemas["influxdb_user"];
    let pw = user
        .block
        .as_ref()
        .unwrap()
        .attributes
        .iter()
        .find(|a| a.name == "password_wo")
        .unwrap();
    assert!(pw.write_only && pw.optional && !pw.computed && pw.sensitive);
    let name = user
        .block
        .as_ref()
        .unwrap()
        .attributes
        .iter()
        .find(|a| a.name == "name")
        .unwrap();
    assert!(!name.write_only);
    let list = &s.list_resource_schemas["influxdb_database_token"];
    let names: Vec<_> = list
        .block
        .as_ref()
        .unwrap()
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(names, ["include_revoked", "description_prefix"]);

    let ids = c
        .get_resource_identity_schemas(pb::get_resource_identity_schemas::Request {})
        .await
        .unwrap()
        .into_inner();
    assert!(ids.diagnostics.is_empty(), "{:?}", ids.diagnostics);
    let db = &ids.identity_schemas["influxdb_database"];
    let attrs: Vec<_> = db
        .identity_attributes
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.required_for_import,
                a.optional_for_import,
            )
        })
        .collect();
    assert_eq!(
        attrs,
        [
            ("name", true, false),
            ("account_id", false, true),
            ("cluster_id", false, true)
        ]
    );
    assert!(ids.identity_schemas["influxdb_database_token"]
        .identity_attributes
        .iter()
        .any(|a| a.name == "id" && a.required_for_import));

    drop(c);
    p.shutdown().await.unwrap();
}

#[tokio::test]
async fn validation_names_the_attribute_and_an_unconfigured_list_streams_one_error() {
    let mut p = Plugin::launch_with(bin(), LaunchOptions::default().no_tls());
    let mut c = p.provider_client().await.expect("connect");

    let ty = Type::object([
        ("description", Type::String),
        (
            "permissions",
            Type::set(Type::object([
                ("action", Type::String),
                ("resource", Type::String),
            ])),
        ),
        ("ttl", Type::String),
        ("id", Type::String),
        ("access_token", Type::String),
        ("expires_at", Type::String),
    ]);
    let mut config = Value::empty_object(&ty);
    config.set_attr("description", "ci".into());
    config.set_attr("permissions", Value::Set(vec![]));
    config.set_attr("ttl", "forever".into());
    let r = c
        .validate_ephemeral_resource_config(pb::validate_ephemeral_resource_config::Request {
            type_name: "influxdb_database_token".into(),
            config: Some(pb::DynamicValue {
                msgpack: msgpack::encode(&config, &ty).unwrap(),
                json: vec![],
            }),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    let path = r.diagnostics[0].attribute.as_ref().expect("attribute path");
    assert_eq!(
        path.steps[0].selector,
        Some(pb::attribute_path::step::Selector::AttributeName(
            "ttl".into()
        ))
    );

    // Nothing opened: closing is a no-op, not an error.
    let r = c
        .close_ephemeral_resource(pb::close_ephemeral_resource::Request {
            type_name: "influxdb_database_token".into(),
            private: None,
        })
        .await
        .unwrap()
        .into_inner();
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);

    let list_ty = Type::object([
        ("include_revoked", Type::Bool),
        ("description_prefix", Type::String),
    ]);
    let mut stream = c
        .list_resource(pb::list_resource::Request {
            type_name: "influxdb_database_token".into(),
            config: Some(pb::DynamicValue {
                msgpack: msgpack::encode(&Value::empty_object(&list_ty), &list_ty).unwrap(),
                json: vec![],
            }),
            include_resource_object: true,
            limit: 100,
        })
        .await
        .unwrap()
        .into_inner();
    let mut events = Vec::new();
    while let Some(e) = stream.message().await.unwrap() {
        events.push(e);
    }
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].identity.is_none());
    assert!(
        events[0].diagnostic[0].summary.contains("not configured"),
        "{:?}",
        events[0].diagnostic
    );

    drop(c);
    p.shutdown().await.unwrap();
}
