//! The pages under `docs/` are generated (`terraform-provider-influxdb docs`) from the schemas the
//! provider serves, the templates under `templates/` and the examples under `examples/`; these
//! tests assert that the committed pages are exactly what the generator writes, so a description
//! changed in code, a new attribute or a new resource can never leave a stale or missing page.
//! They also keep the checks that say what every page must hold (its example, every attribute,
//! a "Nested Schema" section for every attribute holding objects, its import section, its
//! resource identity and import-by-identity example, the Terraform version it needs) and that the
//! provider's source address is the same everywhere.
//!
//! Pages by kind: `docs/resources/`, `docs/data-sources/`, `docs/ephemeral-resources/` (Terraform
//! 1.10+), `docs/list-resources/` (Terraform 1.14+), each from `templates/<kind>/<short>.md.tmpl`
//! and `examples/<kind>/<type>/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use terraform_provider_influxdb::docs::{self, Page};
use terraform_provider_influxdb::engine::schema::Nesting;
use terraform_provider_influxdb::engine::{Attribute, Engine, Schema, Type};
use terraform_provider_influxdb::influxdb::provider::{InfluxProvider, NAME, SOURCE_ADDRESS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<Page> {
    let engine = Engine::new(InfluxProvider);
    let (identities, d) = engine.identity_schemas();
    assert!(!d.has_errors(), "{d:?}");
    docs::pages(NAME, &engine.schemas(), &identities)
}

fn page<'a>(pages: &'a mut [Page], type_name: &str, dir: &str) -> &'a mut Page {
    pages
        .iter_mut()
        .find(|p| p.name == type_name && p.doc.starts_with(dir))
        .unwrap_or_else(|| panic!("no page for {type_name} in {dir}"))
}

fn generate(root: &Path, pages: &[Page]) -> Vec<docs::Generated> {
    docs::generate(root, pages)
        .unwrap_or_else(|problems| panic!("the generator failed:\n{}", problems.join("\n")))
}

/// A copy of what the generator reads and writes, to change without touching the repository.
fn copy_of_the_repository() -> tempfile::TempDir {
    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for d in ["docs", "templates", "examples"] {
        copy_dir(&root().join(d), &dir.path().join(d));
    }
    dir
}

/// `pages` with the description of `attribute` of `type_name` replaced.
fn with_description(
    mut pages: Vec<Page>,
    type_name: &str,
    attribute: &str,
    text: &str,
) -> Vec<Page> {
    let page = pages
        .iter_mut()
        .find(|p| p.name == type_name)
        .unwrap_or_else(|| panic!("no page for {type_name}"));
    let attr = page
        .schema
        .attributes
        .iter_mut()
        .find(|a| a.name == attribute)
        .unwrap_or_else(|| panic!("{type_name} has no attribute {attribute}"));
    attr.description = text.to_owned();
    pages
}

#[test]
fn the_committed_docs_are_exactly_what_the_generator_writes() {
    let generated = generate(&root(), &pages());
    let problems = docs::check(&root(), &generated);
    assert!(
        problems.is_empty(),
        "docs/ is not what the schemas, templates/ and examples/ give:\n{}",
        problems.join("\n")
    );
    // One page per resource, data source, ephemeral resource and list resource, the index,
    // README.md's product table, and one page per guide (templates/guides/).
    let engine = Engine::new(InfluxProvider);
    let schemas = engine.schemas();
    assert!(!schemas.ephemeral_resources.is_empty() && !schemas.list_resources.is_empty());
    assert!(generated.iter().any(|g| g.path.ends_with("README.md")));
    let guides = std::fs::read_dir(root().join("templates/guides"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(
        generated.len(),
        2 + schemas.resources.len()
            + schemas.data_sources.len()
            + schemas.ephemeral_resources.len()
            + schemas.list_resources.len()
            + guides
    );
    assert!(generated
        .iter()
        .any(|g| g.path.ends_with("docs/guides/migrating.md")));
    for dir in [
        "resources",
        "data-sources",
        "ephemeral-resources",
        "list-resources",
    ] {
        assert!(
            generated
                .iter()
                .any(|g| g.path.starts_with(format!("docs/{dir}"))),
            "no page in docs/{dir}"
        );
    }
}

#[test]
fn a_description_changed_in_code_fails_the_check_until_the_docs_are_regenerated() {
    let copy = copy_of_the_repository();
    let changed = "What the token is for, as changed in code.";
    let pages = with_description(pages(), "influxdb_database_token", "description", changed);

    // The committed pages were made from the schemas as they are, not as changed.
    let generated = generate(copy.path(), &pages);
    let problems = docs::check(copy.path(), &generated);
    assert!(
        problems.iter().any(
            |p| p.starts_with("docs/resources/database_token.md is stale") && p.contains(changed)
        ),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|p| p.contains("data-sources/")),
        "only the resource's page uses that description: {problems:?}"
    );

    // Regenerating fixes it, and the page carries the new description.
    docs::write(copy.path(), &generated).unwrap();
    assert_eq!(docs::check(copy.path(), &generated), Vec::<String>::new());
    let page =
        std::fs::read_to_string(copy.path().join("docs/resources/database_token.md")).unwrap();
    assert!(
        page.contains(&format!("- `description` (String) {changed}")),
        "{page}"
    );
}

#[test]
fn a_new_attribute_or_a_page_left_behind_fails_the_check() {
    let copy = copy_of_the_repository();
    let mut pages = pages();
    let db = pages
        .iter_mut()
        .find(|p| p.name == "influxdb_database")
        .unwrap();
    db.schema
        .attributes
        .push(Attribute::optional("comment", Type::String).describe("A comment added in code."));
    let problems = docs::check(copy.path(), &generate(copy.path(), &pages));
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("docs/resources/database.md is stale")),
        "{problems:?}"
    );

    // A page for a type the provider no longer serves.
    std::fs::write(copy.path().join("docs/resources/gone.md"), "# gone\n").unwrap();
    let problems = docs::check(copy.path(), &generate(copy.path(), &self::pages()));
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("docs/resources/gone.md documents nothing")),
        "{problems:?}"
    );
}

#[test]
fn the_docs_command_checks_and_rewrites_a_tampered_page() {
    let bin = env!("CARGO_BIN_EXE_terraform-provider-influxdb");
    let run = |args: &[&str], dir: &Path| {
        Command::new(bin)
            .arg("docs")
            .args(args)
            .arg("--dir")
            .arg(dir)
            .env_remove("TF_PLUGIN_MAGIC_COOKIE")
            .output()
            .unwrap()
    };
    let ok = run(&["--check"], &root());
    assert!(
        ok.status.success(),
        "docs --check on the repository:\n{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    let copy = copy_of_the_repository();
    let page = copy.path().join("docs/data-sources/databases.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("sorted by name", "in any order")).unwrap();
    let stale = run(&["--check"], copy.path());
    assert!(!stale.status.success());
    let said = String::from_utf8_lossy(&stale.stderr);
    assert!(
        said.contains("docs/data-sources/databases.md is stale")
            && said.contains("cargo run -- docs"),
        "{said}"
    );

    let write = run(&[], copy.path());
    assert!(
        write.status.success(),
        "{}",
        String::from_utf8_lossy(&write.stderr)
    );
    assert!(String::from_utf8_lossy(&write.stdout).contains("wrote docs/data-sources/databases.md"));
    assert_eq!(std::fs::read_to_string(&page).unwrap(), text);
    assert!(run(&["--check"], copy.path()).status.success());
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

/// The dotted paths of the attributes whose values hold objects, nested attributes
/// (`permissions`, `permissions.resource`) and typed ones (`partition_template`): each has a
/// "Nested Schema" section.
fn nested_sections(attributes: &[Attribute], prefix: &str, out: &mut Vec<String>) {
    fn typed(ty: &Type, path: &str, out: &mut Vec<String>) {
        match ty {
            Type::List(t) | Type::Set(t) | Type::Map(t) => typed(t, path, out),
            Type::Object(attrs) => {
                out.push(path.to_owned());
                for (name, t) in attrs {
                    typed(t, &format!("{path}.{name}"), out);
                }
            }
            _ => {}
        }
    }
    for a in attributes {
        let path = format!("{prefix}{}", a.name);
        match &a.nested {
            Some(n) => {
                out.push(path.clone());
                nested_sections(&n.attributes, &format!("{path}."), out);
            }
            None => typed(&a.ty, &path, out),
        }
    }
}

/// The text of the `## NAME` section of a page (up to the next `## ` heading).
fn section<'a>(text: &'a str, heading: &str) -> Option<&'a str> {
    let start = text.find(&format!("\n## {heading}\n"))? + 1;
    let rest = &text[start..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    Some(&rest[..end])
}

#[test]
fn every_page_has_its_example_every_attribute_and_its_import_section() {
    let root = root();
    let pages = pages();
    for (page, generated) in pages.iter().zip(generate(&root, &pages)) {
        let text = &generated.text;
        let example = std::fs::read_to_string(root.join(&page.example)).unwrap();
        assert!(text.contains(&format!("# {}", page.name)), "{}", page.name);
        assert!(text.contains("## Example Usage"), "{}", page.name);
        assert!(
            text.contains(&format!("```terraform\n{}\n```", example.trim_end())),
            "{}: the example is not on the page",
            page.name
        );
        let mut names = Vec::new();
        for a in &page.schema.attributes {
            names.push(a.name.clone());
            nested_names(&a.ty, &mut names);
        }
        for attr in names {
            assert!(
                text.contains(&format!("`{attr}`")),
                "{}: attribute `{attr}` is not documented",
                page.name
            );
        }
        let mut sections = Vec::new();
        nested_sections(&page.schema.attributes, "", &mut sections);
        for path in sections {
            assert!(
                text.contains(&format!("### Nested Schema for `{path}`")),
                "{}: `{path}` has no \"Nested Schema for `{path}`\" section",
                page.name
            );
        }
        // Every importable resource has an import section; influxdb_table cannot be imported
        // (the API cannot read a table: see its page's "No import" section), nor
        // influxdb_plugin_file (the server cannot show a plugin file).
        if page.doc.starts_with("docs/resources")
            && !["influxdb_table", "influxdb_plugin_file"].contains(&page.name.as_str())
        {
            assert!(
                root.join(&page.import).is_file(),
                "{}: {} is missing",
                page.name,
                page.import.display()
            );
            let import = section(text, "Import").unwrap_or_else(|| panic!("{}", page.name));
            assert!(
                import.contains(&format!("terraform import {}.", page.name)),
                "{}",
                page.name
            );
        }
    }
}

#[test]
fn each_page_states_the_terraform_version_it_needs() {
    let root = root();
    let pages = pages();
    let generated = generate(&root, &pages);
    let mut checked = Vec::new();
    for (page, g) in pages.iter().zip(&generated) {
        let dir = page
            .doc
            .iter()
            .nth(1)
            .map(|d| d.to_string_lossy().into_owned());
        let needed = match dir.as_deref() {
            Some("ephemeral-resources") => Some("1.10"),
            Some("list-resources") => Some("1.14"),
            _ => page.schema.min_terraform.as_ref().map(|m| m.version),
        };
        if let Some(version) = needed {
            assert!(
                g.text
                    .contains(&format!("Requires Terraform {version} or later")),
                "{} does not say it requires Terraform {version} or later",
                g.path.display()
            );
            checked.push((g.path.clone(), version));
        }
    }
    let resource = |p: &str| {
        checked
            .iter()
            .find(|(path, _)| path == Path::new(p))
            .map(|c| c.1)
    };
    assert_eq!(
        resource("docs/ephemeral-resources/database_token.md"),
        Some("1.10")
    );
    assert_eq!(
        resource("docs/list-resources/database_token.md"),
        Some("1.14")
    );
    assert_eq!(resource("docs/list-resources/database.md"), Some("1.14"));
    assert_eq!(resource("docs/resources/authorization.md"), Some("1.3.0"));

    // A template that leaves the note out fails the generator, naming it.
    let copy = copy_of_the_repository();
    let template = copy
        .path()
        .join("templates/ephemeral-resources/database_token.md.tmpl");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(
        &template,
        text.replace("Requires Terraform 1.10 or later", "Needs 1.10"),
    )
    .unwrap();
    let problems = docs::generate(copy.path(), &self::pages()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p
                .contains("database_token.md.tmpl must say \"Requires Terraform 1.10 or later\"")),
        "{problems:?}"
    );
}

#[test]
fn every_resource_with_an_identity_documents_it_and_shows_an_import_by_identity() {
    let engine = Engine::new(InfluxProvider);
    let (identities, d) = engine.identity_schemas();
    assert!(!d.has_errors(), "{d:?}");
    // Every importable resource has an identity; influxdb_table and influxdb_plugin_file have
    // neither, by design (the API cannot read a table or a plugin file, see their pages).
    let without: Vec<&str> = engine
        .schemas()
        .resources
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| !identities.iter().any(|i| i.type_name == *n))
        .collect();
    assert_eq!(
        without,
        ["influxdb_table", "influxdb_plugin_file"],
        "resources without an identity"
    );

    let root = root();
    let pages = pages();
    let generated = generate(&root, &pages);
    for identity in &identities {
        let (page, g) = pages
            .iter()
            .zip(&generated)
            .find(|(p, _)| p.name == identity.type_name && p.doc.starts_with("docs/resources"))
            .unwrap();
        let section = section(&g.text, "Identity")
            .unwrap_or_else(|| panic!("{} has no \"## Identity\" section", g.path.display()));
        for a in &identity.attributes {
            let group = if a.required_for_import {
                "### Required in an import identity"
            } else {
                "### Optional in an import identity"
            };
            let group = &section[section.find(group).unwrap_or_else(|| {
                panic!("{}: no {group:?} in the Identity section", g.path.display())
            })..];
            assert!(
                group.contains(&format!("- `{}` ({}) {}", a.name, "String", a.description)),
                "{}: identity attribute `{}` is not documented in its group:\n{section}",
                g.path.display(),
                a.name
            );
        }
        let example = std::fs::read_to_string(root.join(&page.import_by_identity)).unwrap();
        assert!(
            example.contains("identity = {"),
            "{}",
            page.import_by_identity.display()
        );
        assert!(
            section.contains(&format!("```terraform\n{}\n```", example.trim_end())),
            "{}: the import-by-identity example is not in the Identity section",
            g.path.display()
        );
    }
    assert!(identities.len() >= 3);
}

#[test]
fn an_identity_changed_in_code_or_a_missing_identity_example_fails() {
    let copy = copy_of_the_repository();
    let mut changed = pages();
    let description = "The database name, as changed in code.";
    let db = page(&mut changed, "influxdb_database", "docs/resources");
    db.identity.as_mut().unwrap()[0].description = description.into();
    let generated = generate(copy.path(), &changed);
    let problems = docs::check(copy.path(), &generated);
    assert!(
        problems.iter().any(
            |p| p.starts_with("docs/resources/database.md is stale") && p.contains(description)
        ),
        "{problems:?}"
    );

    // No import-by-identity example: the generator names the file it needs.
    std::fs::remove_file(
        copy.path()
            .join("examples/resources/influxdb_database/import-by-identity.tf"),
    )
    .unwrap();
    let problems = docs::generate(copy.path(), &pages()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("influxdb_database/import-by-identity.tf")
                && p.contains("import-by-identity example")),
        "{problems:?}"
    );

    // A template without {{ .Identity }} for a resource that has one.
    let copy = copy_of_the_repository();
    let template = copy
        .path()
        .join("templates/resources/database_token.md.tmpl");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, text.replace("{{ .Identity }}", "")).unwrap();
    let problems = docs::generate(copy.path(), &pages()).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("database_token.md.tmpl") && p.contains("{{ .Identity }}")),
        "{problems:?}"
    );
}

#[test]
fn nested_attributes_are_documented_with_their_own_modes_and_descriptions() {
    let root = root();
    let pages = pages();
    let generated = generate(&root, &pages);
    let text = &generated
        .iter()
        .find(|g| g.path == Path::new("docs/resources/authorization.md"))
        .unwrap()
        .text;
    let nested = text
        .split("### Nested Schema for `permissions.resource`")
        .nth(1)
        .expect("a section for permissions.resource");
    let (required, optional) = nested.split_once("Optional:").expect("an Optional group");
    assert!(
        required.contains("- `type` (String) The resource type: `authorizations`"),
        "{nested}"
    );
    assert!(
        optional.contains("- `id` (String) One resource by ID"),
        "{nested}"
    );
    assert!(optional.contains("- `org_id` (String)"), "{nested}");
    assert!(text.contains("- `permissions` (Attributes Set) "), "{text}");
    assert!(
        text.contains("- `resource` (Attributes) What the permission applies to."),
        "{text}"
    );

    // A description changed inside a nested attribute makes the page stale.
    let copy = copy_of_the_repository();
    let mut changed = pages.clone();
    let auth = page(&mut changed, "influxdb_authorization", "docs/resources");
    let permissions = auth
        .schema
        .attributes
        .iter_mut()
        .find(|a| a.name == "permissions")
        .unwrap();
    let inner = permissions.nested.as_mut().unwrap();
    assert_eq!(inner.nesting, Nesting::Set);
    let resource = inner
        .attributes
        .iter_mut()
        .find(|a| a.name == "resource")
        .unwrap();
    let id = resource
        .nested
        .as_mut()
        .unwrap()
        .attributes
        .iter_mut()
        .find(|a| a.name == "id")
        .unwrap();
    id.description = "An ID, as changed in code.".into();
    let problems = docs::check(copy.path(), &generate(copy.path(), &changed));
    assert!(
        problems.iter().any(
            |p| p.starts_with("docs/resources/authorization.md is stale")
                && p.contains("An ID, as changed in code.")
        ),
        "{problems:?}"
    );
}

#[test]
fn the_database_page_has_an_import_section() {
    let text = std::fs::read_to_string(root().join("docs/resources/database.md")).unwrap();
    let import = section(&text, "Import").expect("an Import section");
    assert!(import.contains("terraform import influxdb_database."));
}

#[test]
fn the_table_page_explains_why_there_is_no_import() {
    let text = std::fs::read_to_string(root().join("docs/resources/table.md")).unwrap();
    assert!(text.contains("## No import"));
    assert!(text.contains("no call that lists tables or reads one"));
    assert!(!text.contains("## Import"));
    assert!(!root()
        .join("examples/resources/influxdb_table/import.sh")
        .exists());
}

#[test]
fn the_generator_names_a_missing_template_and_example_and_an_orphan() {
    let dir = tempfile::tempdir().unwrap();
    let schema = Schema::new(
        "A thing.",
        vec![Attribute::required("name", Type::String).describe("Its name.")],
    );
    let page = |name: &str| Page {
        name: format!("influxdb_{name}"),
        page_title: String::new(),
        subcategory: None,
        heading: String::new(),
        doc: PathBuf::from(format!("docs/resources/{name}.md")),
        template: PathBuf::from(format!("templates/resources/{name}.md.tmpl")),
        example: PathBuf::from(format!("examples/resources/influxdb_{name}/resource.tf")),
        import: PathBuf::from(format!("examples/resources/influxdb_{name}/import.sh")),
        import_by_identity: PathBuf::from(format!(
            "examples/resources/influxdb_{name}/import-by-identity.tf"
        )),
        schema: schema.clone(),
        identity: None,
        min_terraform: Vec::new(),
    };
    let write = |p: &str, text: &str| {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "templates/resources/thing.md.tmpl",
        "{{ .Description }}\n\n## Example Usage\n\n{{ .Example }}\n\n{{ .SchemaMarkdown }}\n",
    );
    write(
        "examples/resources/influxdb_thing/resource.tf",
        "resource \"influxdb_other\" \"x\" {}\n",
    );
    write("templates/resources/old.md.tmpl", "");
    let problems = docs::generate(dir.path(), &[page("thing"), page("missing")]).unwrap_err();
    let expect = [
        "the example examples/resources/influxdb_thing/resource.tf does not use influxdb_thing",
        "templates/resources/missing.md.tmpl",
        "templates/resources/old.md.tmpl: a template for a resource the provider does not serve",
    ];
    for e in expect {
        assert!(
            problems.iter().any(|p| p.contains(e)),
            "{e:?} not in {problems:?}"
        );
    }

    write(
        "examples/resources/influxdb_thing/resource.tf",
        "resource \"influxdb_thing\" \"x\" {}\n",
    );
    std::fs::remove_file(dir.path().join("templates/resources/old.md.tmpl")).unwrap();
    let generated = docs::generate(dir.path(), &[page("thing")]).unwrap();
    assert_eq!(
        generated[0].text,
        "---\npage_title: \"\"\ndescription: |-\n  A thing.\n---\n\n# \n\nA thing.\n\n## Example Usage\n\n\
         ```terraform\nresource \"influxdb_thing\" \"x\" {}\n```\n\n## Schema\n\n### Required\n\n\
         - `name` (String) Its name.\n"
    );
}

/// Every `source = "…/influxdb"` of a file.
fn addresses_in(p: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(text) = std::fs::read_to_string(p) else {
        return;
    };
    for line in text.lines() {
        let Some((_, rest)) = line.split_once("source") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(value) = rest
            .trim_start()
            .strip_prefix('"')
            .and_then(|v| v.split('"').next())
        else {
            continue;
        };
        if value.ends_with("/influxdb") {
            out.push((p.to_path_buf(), value.to_owned()));
        }
    }
}

/// Every `source = "…/influxdb"` in the files under `dir`.
fn addresses_under(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let rd = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            addresses_under(&p, out);
        } else {
            addresses_in(&p, out);
        }
    }
}

#[test]
fn one_provider_source_address_everywhere() {
    let root = root();
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        cargo.contains(&format!("source-address = \"{SOURCE_ADDRESS}\"")),
        "Cargo.toml's [package.metadata.terraform] source-address is not {SOURCE_ADDRESS}"
    );
    let mut found = Vec::new();
    for d in ["docs", "templates", "examples"] {
        addresses_under(&root.join(d), &mut found);
    }
    addresses_in(&root.join("README.md"), &mut found);
    assert!(found.len() >= 5, "{found:?}");
    let wrong: Vec<_> = found.iter().filter(|(_, a)| a != SOURCE_ADDRESS).collect();
    assert!(wrong.is_empty(), "not {SOURCE_ADDRESS}: {wrong:?}");

    let demo = std::fs::read_to_string(root.join("scripts/demo.sh")).unwrap();
    assert!(demo.contains(&format!("SOURCE={SOURCE_ADDRESS}\n")));
}
