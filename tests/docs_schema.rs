//! Every resource and data source has its documentation page and its example, and every
//! attribute of its schema (including the attributes of objects inside its collection
//! attributes) is named, in backticks, on its page:
//! - resources: `docs/resources/<name without influxdb_>.md` and
//!   `examples/resources/<name>/resource.tf` (plus `import.sh` when the page has an Import
//!   section);
//! - data sources: `docs/data-sources/<name without influxdb_>.md` and
//!   `examples/data-sources/<name>/data-source.tf`;
//! - ephemeral resources: `docs/ephemeral-resources/<short>.md` and
//!   `examples/ephemeral-resources/<name>/ephemeral-resource.tf`, the page saying which Terraform
//!   version they need (1.10);
//! - list resources: `docs/list-resources/<short>.md` and
//!   `examples/list-resources/<name>/list-resource.tfquery.hcl`, the page saying which Terraform
//!   version they need (1.14);
//! - resource identities: an `## Identity` section on the resource's page naming every identity
//!   attribute, and `examples/resources/<name>/import-by-identity.tf`.
//!
//! A nested attribute (`nested_type`) has its own "Nested Schema for `NAME`" section (and one
//! for every nested attribute inside it, `NAME.INNER`), and a schema that declares a minimum
//! Terraform version names it on its page.
//!
//! The schemas come straight from the crate, so a new attribute without documentation fails
//! here.

use std::path::{Path, PathBuf};

use terraform_provider_influxdb::engine::schema::Attribute;
use terraform_provider_influxdb::engine::{Engine, IdentitySchema, Schema, Type};
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

/// The dotted paths of nested attributes (`permissions`, `permissions.resource`).
fn nested_sections(attributes: &[Attribute], prefix: &str, out: &mut Vec<String>) {
    for a in attributes {
        if let Some(n) = &a.nested {
            let path = format!("{prefix}{}", a.name);
            out.push(path.clone());
            nested_sections(&n.attributes, &format!("{path}."), out);
        }
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
    let mut sections = Vec::new();
    nested_sections(&schema.attributes, "", &mut sections);
    for path in sections {
        if !text.contains(&format!("### Nested Schema for `{path}`")) {
            problems.push(format!(
                "{kind} {name}: nested attribute `{path}` has no \"### Nested Schema for `{path}`\" section in {}",
                page.display()
            ));
        }
    }
    if let Some(min) = &schema.min_terraform {
        if !text.contains(&format!("Terraform {} or later", min.version)) {
            problems.push(format!(
                "{kind} {name}: needs Terraform {} but {} does not say \"Terraform {} or later\"",
                min.version,
                page.display(),
                min.version
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

/// The page's `## Identity` section names every identity attribute, and the import-by-identity
/// example exists.
fn check_identity(
    name: &str,
    identity: &IdentitySchema,
    page: &Path,
    example_dir: &Path,
    problems: &mut Vec<String>,
) {
    let text = std::fs::read_to_string(page).unwrap_or_default();
    let Some(start) = text.find("## Identity") else {
        problems.push(format!(
            "resource {name}: {} has no \"## Identity\" section",
            page.display()
        ));
        return;
    };
    let section = &text[start + 2..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    for a in &identity.attributes {
        if !section.contains(&format!("`{}`", a.name)) {
            problems.push(format!(
                "resource {name}: identity attribute `{}` is not documented in the Identity section of {}",
                a.name,
                page.display()
            ));
        }
    }
    let example = example_dir.join("import-by-identity.tf");
    match std::fs::read_to_string(&example) {
        Ok(t) if t.contains("identity = {") => {}
        _ => problems.push(format!(
            "resource {name}: no import-by-identity example at {}",
            example.display()
        )),
    }
}

fn check_version_note(
    kind: &str,
    name: &str,
    page: &Path,
    version: &str,
    problems: &mut Vec<String>,
) {
    let text = std::fs::read_to_string(page).unwrap_or_default();
    if !text.contains(&format!("Requires Terraform {version} or later")) {
        problems.push(format!(
            "{kind} {name}: {} does not say it requires Terraform {version} or later",
            page.display()
        ));
    }
}

#[test]
fn every_ephemeral_and_list_resource_and_identity_is_documented() {
    let engine = Engine::new(InfluxProvider);
    let schemas = engine.schemas();
    let root = root();
    let mut problems = Vec::new();
    assert!(!schemas.ephemeral_resources.is_empty() && !schemas.list_resources.is_empty());
    for (name, schema) in &schemas.ephemeral_resources {
        let short = name.strip_prefix("influxdb_").expect("influxdb_ prefix");
        let page = root.join(format!("docs/ephemeral-resources/{short}.md"));
        check(
            "ephemeral resource",
            name,
            schema,
            &page,
            &root.join(format!(
                "examples/ephemeral-resources/{name}/ephemeral-resource.tf"
            )),
            &mut problems,
        );
        check_version_note("ephemeral resource", name, &page, "1.10", &mut problems);
    }
    for (name, schema) in &schemas.list_resources {
        let short = name.strip_prefix("influxdb_").expect("influxdb_ prefix");
        let page = root.join(format!("docs/list-resources/{short}.md"));
        check(
            "list resource",
            name,
            schema,
            &page,
            &root.join(format!(
                "examples/list-resources/{name}/list-resource.tfquery.hcl"
            )),
            &mut problems,
        );
        check_version_note("list resource", name, &page, "1.14", &mut problems);
    }
    let (identities, d) = engine.identity_schemas();
    assert!(!d.has_errors(), "{d:?}");
    // Every importable resource has an identity; influxdb_table has neither (the API cannot
    // read a table, see its page).
    let without: Vec<&str> = schemas
        .resources
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !identities.iter().any(|i| i.type_name == *n))
        .collect();
    assert_eq!(without, ["influxdb_table"], "resources without an identity");
    for (name, _) in &schemas.resources {
        let short = name.strip_prefix("influxdb_").expect("influxdb_ prefix");
        let Some(identity) = terraform_provider_influxdb::influxdb::resources::all()
            .into_iter()
            .find(|r| r.type_name() == *name)
            .and_then(|r| r.identity().cloned())
        else {
            continue;
        };
        check_identity(
            name,
            &identity,
            &root.join(format!("docs/resources/{short}.md")),
            &root.join(format!("examples/resources/{name}")),
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
fn the_database_page_has_an_import_section() {
    let text = std::fs::read_to_string(root().join("docs/resources/database.md")).unwrap();
    assert!(text.contains("## Import"));
    assert!(text.contains("terraform import influxdb_database."));
}

#[test]
fn the_identity_check_reports_an_undocumented_identity_attribute() {
    use terraform_provider_influxdb::engine::IdentityAttribute;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("thing.md");
    std::fs::write(
        &page,
        "# thing\n\n## Identity\n\n- `name` (String)\n\n## Import\n\n`zone`\n",
    )
    .unwrap();
    let identity = IdentitySchema::new(vec![
        IdentityAttribute::required("name", ""),
        IdentityAttribute::optional("zone", ""),
    ]);
    let mut problems = Vec::new();
    check_identity(
        "influxdb_thing",
        &identity,
        &page,
        dir.path(),
        &mut problems,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("`zone`"), "only in another section");
    assert!(problems[1].contains("import-by-identity.tf"));
}

#[test]
fn the_table_page_explains_why_there_is_no_import() {
    let text = std::fs::read_to_string(root().join("docs/resources/table.md")).unwrap();
    assert!(text.contains("## No import"));
    assert!(text.contains("no call that lists tables or reads one"));
    assert!(!root()
        .join("examples/resources/influxdb_table/import.sh")
        .exists());
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

#[test]
fn the_check_reports_an_undocumented_nested_attribute_and_minimum_terraform() {
    use terraform_provider_influxdb::engine::schema::Nesting;
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("thing.md");
    let example = dir.path().join("resource.tf");
    std::fs::write(&example, "resource \"influxdb_thing\" \"x\" {}\n").unwrap();
    let schema = Schema::new(
        "",
        vec![Attribute::optional("rules", Type::Dynamic).nested(
            Nesting::Set,
            vec![Attribute::required("target", Type::Dynamic).nested(
                Nesting::Single,
                vec![Attribute::optional("kind", Type::String)],
            )],
        )],
    )
    .requires_terraform("1.3.0", "cannot");
    let documented = "# influxdb_thing\n\n## Example Usage\n\n- `rules`\n- `target`\n- `kind`\n";
    std::fs::write(&page, documented).unwrap();
    let mut problems = Vec::new();
    check(
        "resource",
        "influxdb_thing",
        &schema,
        &page,
        &example,
        &mut problems,
    );
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].contains("`rules`") && problems[1].contains("`rules.target`"));
    assert!(problems[2].contains("1.3.0"));

    std::fs::write(
        &page,
        format!("{documented}Needs Terraform 1.3.0 or later.\n### Nested Schema for `rules`\n### Nested Schema for `rules.target`\n"),
    )
    .unwrap();
    let mut problems = Vec::new();
    check(
        "resource",
        "influxdb_thing",
        &schema,
        &page,
        &example,
        &mut problems,
    );
    assert!(problems.is_empty(), "{problems:?}");
}
