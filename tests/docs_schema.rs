//! Every resource and data source has its documentation page and its example, and every
//! attribute of its schema (including the attributes of objects inside its collection
//! attributes) is named, in backticks, on its page:
//! - resources: `docs/resources/<name without influxdb_>.md` and
//!   `examples/resources/<name>/resource.tf` (plus `import.sh` when the page has an Import
//!   section);
//! - data sources: `docs/data-sources/<name without influxdb_>.md` and
//!   `examples/data-sources/<name>/data-source.tf`.
//!
//! The provider's own settings each have an entry on `docs/index.md`.
//!
//! The schemas come straight from the crate, so a new attribute without documentation fails
//! here.

use std::path::{Path, PathBuf};

use terraform_provider_influxdb::engine::{Engine, Schema, Type};
use terraform_provider_influxdb::influxdb::provider::InfluxProvider;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Attribute names inside object types (of lists, sets, maps and objects).
fn nested_names(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::List(t) | Type::Set(t) | Type::Map(t) => nested_names(t, out),
        Type::Object(attrs) => {
            for (name, t) in attrs {
                out.push(name.clone());
                nested_names(t, out);
            }
        }
        _ => {}
    }
}

fn check(
    kind: &str,
    name: &str,
    schema: &Schema,
    page: &Path,
    example: &Path,
    problems: &mut Vec<String>,
) {
    if let Err(e) = schema.check() {
        problems.push(format!("{kind} {name}: invalid schema: {e}"));
    }
    match std::fs::read_to_string(example) {
        Ok(text) if text.contains(&format!("\"{name}\"")) => {}
        Ok(_) => problems.push(format!(
            "{kind} {name}: {} does not use {name}",
            example.display()
        )),
        Err(_) => problems.push(format!(
            "{kind} {name}: no example at {}",
            example.display()
        )),
    }
    let text = match std::fs::read_to_string(page) {
        Ok(t) => t,
        Err(_) => {
            problems.push(format!(
                "{kind} {name}: no documentation page at {}",
                page.display()
            ));
            return;
        }
    };
    if !text.contains(name) {
        problems.push(format!(
            "{kind} {name}: {} never names {name}",
            page.display()
        ));
    }
    for heading in ["## Example Usage"] {
        if !text.contains(heading) {
            problems.push(format!(
                "{kind} {name}: {} has no {heading:?} section",
                page.display()
            ));
        }
    }
    let mut names = Vec::new();
    for a in &schema.attributes {
        names.push(a.name.clone());
        nested_names(&a.ty, &mut names);
    }
    for attr in names {
        if !text.contains(&format!("`{attr}`")) {
            problems.push(format!(
                "{kind} {name}: attribute `{attr}` is not documented in {}",
                page.display()
            ));
        }
    }
    if kind == "resource" && text.contains("## Import") {
        let import = example.with_file_name("import.sh");
        if !import.is_file() {
            problems.push(format!(
                "{kind} {name}: the page documents import but {} is missing",
                import.display()
            ));
        }
    }
}

#[test]
fn every_schema_attribute_is_documented_and_every_type_has_an_example() {
    let engine = Engine::new(InfluxProvider);
    let schemas = engine.schemas();
    let root = root();
    let mut problems = Vec::new();
    assert!(!schemas.resources.is_empty() && !schemas.data_sources.is_empty());
    for (name, schema) in &schemas.resources {
        let short = name.strip_prefix("influxdb_").expect("influxdb_ prefix");
        check(
            "resource",
            name,
            schema,
            &root.join(format!("docs/resources/{short}.md")),
            &root.join(format!("examples/resources/{name}/resource.tf")),
            &mut problems,
        );
    }
    for (name, schema) in &schemas.data_sources {
        let short = name.strip_prefix("influxdb_").expect("influxdb_ prefix");
        check(
            "data source",
            name,
            schema,
            &root.join(format!("docs/data-sources/{short}.md")),
            &root.join(format!("examples/data-sources/{name}/data-source.tf")),
            &mut problems,
        );
    }
    assert!(
        problems.is_empty(),
        "documentation problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_provider_setting_is_documented_on_the_provider_page() {
    let engine = Engine::new(InfluxProvider);
    let schemas = engine.schemas();
    let page = root().join("docs/index.md");
    let text = std::fs::read_to_string(&page).expect("docs/index.md");
    assert!(!schemas.provider.attributes.is_empty());
    let missing: Vec<_> = schemas
        .provider
        .attributes
        .iter()
        .map(|a| a.name.clone())
        .filter(|name| !text.contains(&format!("- `{name}` (")))
        .collect();
    assert!(
        missing.is_empty(),
        "provider settings without an entry (- `name` (Type) ...) in {}: {missing:?}",
        page.display()
    );
}

#[test]
fn the_database_page_has_an_import_section() {
    let text = std::fs::read_to_string(root().join("docs/resources/database.md")).unwrap();
    assert!(text.contains("## Import"));
    assert!(text.contains("terraform import influxdb_database."));
}

#[test]
fn the_check_reports_a_missing_attribute_page_and_example() {
    use terraform_provider_influxdb::engine::Attribute;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("thing.md");
    let example = dir.path().join("resource.tf");
    std::fs::write(
        &page,
        "# influxdb_thing\n\n## Example Usage\n\n- `name` (String)\n",
    )
    .unwrap();
    std::fs::write(&example, "resource \"influxdb_thing\" \"x\" {}\n").unwrap();
    let schema = Schema::new(
        "",
        vec![
            Attribute::required("name", Type::String),
            Attribute::computed("parts", Type::list(Type::object([("kind", Type::String)]))),
        ],
    );
    let mut problems = Vec::new();
    check(
        "resource",
        "influxdb_thing",
        &schema,
        &page,
        &example,
        &mut problems,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("`parts`"));
    assert!(problems[1].contains("`kind`"));

    let mut problems = Vec::new();
    let missing = dir.path().join("missing.md");
    check(
        "resource",
        "influxdb_thing",
        &schema,
        &missing,
        &missing,
        &mut problems,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}
