//! The pages under `docs/` are generated (`terraform-provider-influxdb docs`) from the schemas the
//! provider serves, the templates under `templates/` and the examples under `examples/`; these
//! tests assert that the committed pages are exactly what the generator writes, so a description
//! changed in code, a new attribute or a new resource can never leave a stale or missing page.
//! They also keep the checks that say what every page must hold (its example, every attribute,
//! its import section) and that the provider's source address is the same everywhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use terraform_provider_influxdb::docs::{self, Page};
use terraform_provider_influxdb::engine::{Attribute, Engine, Schema, Type};
use terraform_provider_influxdb::influxdb::provider::{InfluxProvider, NAME, SOURCE_ADDRESS};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<Page> {
    let engine = Engine::new(InfluxProvider);
    docs::pages(NAME, &engine.schemas())
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
    // One page per resource and data source, and the index.
    let engine = Engine::new(InfluxProvider);
    let schemas = engine.schemas();
    assert_eq!(
        generated.len(),
        1 + schemas.resources.len() + schemas.data_sources.len()
    );
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

#[test]
fn every_page_has_its_example_every_attribute_and_its_import_section() {
    let root = root();
    let pages = pages();
    for (page, generated) in pages.iter().zip(generate(&root, &pages)) {
        let text = &generated.text;
        let example = std::fs::read_to_string(root.join(&page.example)).unwrap();
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
        if page.doc.starts_with("docs/resources") {
            assert!(
                root.join(&page.import).is_file(),
                "{}: every resource here can be imported; {} is missing",
                page.name,
                page.import.display()
            );
            assert!(text.contains("## Import"), "{}", page.name);
            assert!(
                text.contains(&format!("terraform import {}.", page.name)),
                "{}",
                page.name
            );
        }
    }
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
        schema: schema.clone(),
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
