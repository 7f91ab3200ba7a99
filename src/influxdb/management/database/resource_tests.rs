//! Plan-time tests of `influxdb_database` on the Management API: validation on the attribute,
//! server values on create, durations compared by value, import, rename in place,
//! `deletion_protection`, template changes.

use super::*;
use crate::engine::server::plan;

fn obj(pairs: &[(&str, Value)]) -> Value {
    let schema = DatabaseResource::default().schema();
    let mut v = Value::empty_object(&schema.ty());
    for (k, x) in pairs {
        v.set_attr(k, x.clone());
    }
    v
}

use crate::influxdb::management::partition_template::part_value as part;

fn run_plan(prior: &Value, config: &Value) -> (crate::engine::server::PlanOutcome, Diagnostics) {
    let schema = DatabaseResource::default().schema();
    let mut d = Diagnostics::default();
    let out = plan(
        &schema,
        prior,
        config,
        |c, d| DatabaseResource::default().modify_plan(c, d),
        &mut d,
    );
    (out, d)
}

fn validate(config: &Value) -> Diagnostics {
    let mut d = Diagnostics::default();
    DatabaseResource::default()
        .schema()
        .validate(config, &mut d);
    d
}

#[test]
fn schema_is_valid() {
    DatabaseResource::default().schema().check().unwrap();
}

#[test]
fn bad_retention_is_reported_on_the_attribute() {
    let d = validate(&obj(&[
        ("name", "db".into()),
        ("retention_period", "30 days".into()),
    ]));
    let errs: Vec<_> = d.iter().collect();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].attribute,
        Some(AttributePath::root("retention_period"))
    );
    assert!(errs[0].summary.contains("retention_period"));
    assert!(
        errs[0].detail.contains("retention_period = \"30 days\""),
        "{}",
        errs[0].detail
    );
}

#[test]
fn bad_names_and_limits_are_reported_on_the_attribute() {
    let d = validate(&obj(&[
        ("name", "_internal".into()),
        ("max_tables", Value::from(0)),
    ]));
    let attrs: Vec<_> = d.iter().map(|e| e.attribute.clone().unwrap()).collect();
    assert_eq!(
        attrs,
        vec![
            AttributePath::root("name"),
            AttributePath::root("max_tables")
        ]
    );
    assert!(d.iter().nth(1).unwrap().detail.contains("max_tables = 0"));
}

#[test]
fn bad_partition_template_is_reported_on_the_attribute() {
    let config = obj(&[
        ("name", "db".into()),
        (
            "partition_template",
            Value::List(vec![part("tag", "a"), part("tag", "b")]),
        ),
    ]);
    let d = validate(&config);
    let errs: Vec<_> = d.iter().collect();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(
        errs[0].attribute,
        Some(AttributePath::root("partition_template"))
    );
    assert!(errs[0].detail.contains("exactly one time part"));

    // Unknown parts are left for later.
    let config = obj(&[
        ("name", "db".into()),
        ("partition_template", Value::List(vec![Value::Unknown])),
    ]);
    assert!(!validate(&config).has_errors());
}

fn existing() -> Value {
    obj(&[
        ("name", "db".into()),
        ("max_tables", Value::from(500)),
        ("max_columns_per_table", Value::from(250)),
        ("retention_period", "30d".into()),
        ("partition_template", Value::Null),
        ("account_id", "acc".into()),
        ("cluster_id", "clu".into()),
        ("deletion_protection", Value::Bool(false)),
    ])
}

#[test]
fn create_plans_server_values_unknown() {
    let (out, d) = run_plan(&Value::Null, &obj(&[("name", "db".into())]));
    assert!(!d.has_errors(), "{d:?}");
    for a in [
        "max_tables",
        "max_columns_per_table",
        "retention_period",
        "partition_template",
        "account_id",
    ] {
        assert_eq!(out.planned.attr(a), &Value::Unknown, "{a}");
    }
}

#[test]
fn equal_retention_in_another_unit_is_no_change() {
    let prior = existing();
    let config = obj(&[("name", "db".into()), ("retention_period", "720h".into())]);
    let (out, d) = run_plan(&prior, &config);
    assert!(!d.has_errors(), "{d:?}");
    assert_eq!(out.planned, prior);
    assert!(out.requires_replace.is_empty());

    // An unset configuration keeps everything the server set.
    let (out, _) = run_plan(&prior, &obj(&[("name", "db".into())]));
    assert_eq!(out.planned, prior);
}

#[test]
fn retention_change_updates_in_place_without_touching_the_template() {
    let prior = existing();
    let config = obj(&[("name", "db".into()), ("retention_period", "7d".into())]);
    let (out, d) = run_plan(&prior, &config);
    assert!(!d.has_errors(), "{d:?}");
    assert!(
        out.requires_replace.is_empty(),
        "{:?}",
        out.requires_replace
    );
    assert_eq!(out.planned.attr("retention_period"), &Value::from("7d"));
    assert_eq!(out.planned.attr("partition_template"), &Value::Null);
    assert_eq!(out.planned.attr("max_tables"), &Value::from(500));
    assert_eq!(out.planned.attr("account_id"), &Value::from("acc"));
}

#[test]
fn import_by_name_or_by_a_reported_id() {
    let db = |name: &str, id: Option<i64>| Database {
        id,
        account_id: None,
        cluster_id: None,
        name: name.into(),
        max_tables: 1,
        max_columns_per_table: 1,
        retention_period: 0,
        partition_template: None,
    };
    let no_ids = [db("a", None), db("7", None)];
    assert_eq!(pick_for_import(&no_ids, "a").unwrap().name, "a");
    assert_eq!(pick_for_import(&no_ids, "7").unwrap().name, "7");
    let e = pick_for_import(&no_ids, "12").unwrap_err();
    assert!(e.contains("reports no database IDs"), "{e}");
    assert!(pick_for_import(&no_ids, "b")
        .unwrap_err()
        .contains("No database named \"b\""));
    let ids = [db("a", Some(12)), db("12", Some(3))];
    assert_eq!(
        pick_for_import(&ids, "12").unwrap().name,
        "12",
        "names first"
    );
    assert_eq!(pick_for_import(&ids, "3").unwrap().name, "12");
    assert!(pick_for_import(&ids, "4")
        .unwrap_err()
        .contains("nor one with that ID"));
}

#[test]
fn a_new_name_is_an_in_place_rename() {
    let prior = existing();
    let (out, d) = run_plan(&prior, &obj(&[("name", "db2".into())]));
    assert!(!d.has_errors(), "{d:?}");
    assert!(
        out.requires_replace.is_empty(),
        "{:?}",
        out.requires_replace
    );
    assert_eq!(out.planned.attr("name"), &Value::from("db2"));
    // Everything else is known: the plan shows only `~ name`.
    assert!(out.planned.is_wholly_known());
    assert_eq!(out.planned.attr("max_tables"), &Value::from(500));
}

#[test]
fn deletion_protection_defaults_to_false_and_guards_destroys() {
    let (out, _) = run_plan(&Value::Null, &obj(&[("name", "db".into())]));
    assert_eq!(out.planned.attr("deletion_protection"), &Value::Bool(false));

    let mut d = Diagnostics::default();
    DatabaseResource::default().guard_destroy(&existing(), &mut d);
    assert!(!d.has_errors(), "{d:?}");

    let mut protected = existing();
    protected.set_attr("deletion_protection", Value::Bool(true));
    DatabaseResource::default().guard_destroy(&protected, &mut d);
    assert!(d.has_errors());
    let e = d.iter().next().unwrap();
    assert!(e.detail.contains("\"db\""), "{}", e.detail);
    assert!(
        e.detail.contains("deletion_protection = false"),
        "{}",
        e.detail
    );

    // Turning it off is an in-place change of the state only.
    let (out, _) = run_plan(
        &protected,
        &obj(&[
            ("name", "db".into()),
            ("deletion_protection", Value::Bool(false)),
        ]),
    );
    assert!(out.requires_replace.is_empty());
    assert_eq!(out.planned, existing());
}

#[test]
fn template_changes_replace() {
    let prior = existing();

    let config = obj(&[
        ("name", "db".into()),
        ("partition_template", Value::List(vec![part("time", "%Y")])),
    ]);
    let (out, _) = run_plan(&prior, &config);
    assert_eq!(
        out.requires_replace,
        vec![AttributePath::root("partition_template")]
    );

    // The same template spelled differently is no change.
    let mut prior = existing();
    prior.set_attr(
        "partition_template",
        Value::List(vec![part("time", "%Y"), part("bucket", "a,10")]),
    );
    let config = obj(&[
        ("name", "db".into()),
        (
            "partition_template",
            Value::List(vec![part("time", "%Y"), part("bucket", "a,010")]),
        ),
    ]);
    let (out, _) = run_plan(&prior, &config);
    assert!(out.requires_replace.is_empty());
    assert_eq!(out.planned, prior);
}
