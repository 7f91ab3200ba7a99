//! Every type a family registers is complete: an example and a doc template (what the docs are
//! made from) and an end-to-end test file (what proves it works with a real Terraform). The
//! recipe in CONTRIBUTING.md names these files; this test fails when one is missing.
//!
//! The files each kind needs:
//! - a resource `influxdb_X`: `examples/resources/influxdb_X/resource.tf`,
//!   `templates/resources/X.md.tmpl`, `tests/e2e_X.rs`;
//! - a data source: `examples/data-sources/influxdb_X/data-source.tf`,
//!   `templates/data-sources/X.md.tmpl`, and a `data "influxdb_X"` block in some
//!   `tests/e2e_*.rs`;
//! - an ephemeral resource: `examples/ephemeral-resources/influxdb_X/ephemeral-resource.tf`,
//!   `templates/ephemeral-resources/X.md.tmpl`, `tests/e2e_ephemeral_X.rs`;
//! - a list resource: `examples/list-resources/influxdb_X/list-resource.tfquery.hcl`,
//!   `templates/list-resources/X.md.tmpl`, and a `list "influxdb_X"` block in
//!   `tests/e2e_query.rs`.

use std::path::{Path, PathBuf};

use terraform_provider_influxdb::engine::Engine;
use terraform_provider_influxdb::influxdb::provider::InfluxProvider;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Clone, Copy)]
enum Kind {
    Resource,
    DataSource,
    Ephemeral,
    List,
}

/// What is missing for `type_name` of `kind` under `root`.
fn missing(root: &Path, kind: Kind, type_name: &str) -> Vec<String> {
    let short = type_name.strip_prefix("influxdb_").unwrap_or(type_name);
    let (dir, example) = match kind {
        Kind::Resource => ("resources", "resource.tf"),
        Kind::DataSource => ("data-sources", "data-source.tf"),
        Kind::Ephemeral => ("ephemeral-resources", "ephemeral-resource.tf"),
        Kind::List => ("list-resources", "list-resource.tfquery.hcl"),
    };
    let mut out = Vec::new();
    for file in [
        Path::new("examples")
            .join(dir)
            .join(type_name)
            .join(example),
        Path::new("templates")
            .join(dir)
            .join(format!("{short}.md.tmpl")),
    ] {
        if !root.join(&file).is_file() {
            out.push(format!("{type_name}: no {}", file.display()));
        }
    }
    let tests_mention = |needle: &str| {
        std::fs::read_dir(root.join("tests"))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("e2e_"))
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains(needle)))
    };
    let test_file = |name: String| {
        let path = Path::new("tests").join(&name);
        (!root.join(&path).is_file()).then(|| format!("{type_name}: no {}", path.display()))
    };
    out.extend(match kind {
        Kind::Resource => test_file(format!("e2e_{short}.rs")),
        Kind::Ephemeral => test_file(format!("e2e_ephemeral_{short}.rs")),
        Kind::DataSource => (!tests_mention(&format!("data \\\"{type_name}\\\""))
            && !tests_mention(&format!("data \"{type_name}\"")))
        .then(|| format!("{type_name}: no tests/e2e_*.rs declares data \"{type_name}\"")),
        Kind::List => {
            let query =
                std::fs::read_to_string(root.join("tests/e2e_query.rs")).unwrap_or_default();
            (!query.contains(&format!("list \\\"{type_name}\\\""))
                && !query.contains(&format!("list \"{type_name}\"")))
            .then(|| format!("{type_name}: tests/e2e_query.rs declares no list \"{type_name}\""))
        }
    });
    out
}

#[test]
fn every_registered_type_has_an_example_a_doc_template_and_an_end_to_end_test() {
    let engine = Engine::new(InfluxProvider);
    let s = engine.schemas();
    let mut problems = Vec::new();
    let mut count = 0;
    for (kind, names) in [
        (
            Kind::Resource,
            s.resources.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        ),
        (
            Kind::DataSource,
            s.data_sources.iter().map(|(n, _)| *n).collect(),
        ),
        (
            Kind::Ephemeral,
            s.ephemeral_resources.iter().map(|(n, _)| *n).collect(),
        ),
        (
            Kind::List,
            s.list_resources.iter().map(|(n, _)| *n).collect(),
        ),
    ] {
        for name in names {
            count += 1;
            problems.extend(missing(&root(), kind, name));
        }
    }
    assert!(count >= 14, "only {count} registered types");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_type_without_its_files_is_reported_for_each_missing_file() {
    for kind in [
        Kind::Resource,
        Kind::DataSource,
        Kind::Ephemeral,
        Kind::List,
    ] {
        let problems = missing(&root(), kind, "influxdb_nothing_yet");
        assert_eq!(problems.len(), 3, "{problems:?}");
        for p in &problems {
            assert!(p.starts_with("influxdb_nothing_yet: "), "{p}");
        }
    }
}

#[test]
fn the_simulator_serves_every_product_the_table_says_it_does() {
    use terraform_provider_influxdb::influxdb::products::FAMILIES;
    use terraform_provider_influxdb::sim;
    let declared: Vec<&str> = FAMILIES
        .iter()
        .flat_map(|f| f.name().products)
        .filter_map(|p| p.simulator)
        .collect();
    let served: Vec<&str> = sim::PRODUCTS.iter().map(|p| p.name).collect();
    for name in &declared {
        assert!(
            sim::product(name).is_some(),
            "the product table names simulator product {name:?}, which `influxdb-sim --product` does not accept ({served:?})"
        );
    }
    for name in &served {
        assert!(
            declared.contains(name),
            "`influxdb-sim --product {name}` is no product's simulator in src/influxdb/products.rs ({declared:?})"
        );
    }
    // The usage text lists them all.
    for name in &served {
        assert!(sim::USAGE.contains(name), "{name} missing from --help");
    }
}
