//! Every example the documentation shows (`examples/provider/provider.tf`, each page's example
//! under `examples/<kind>/<type>/`, and each resource's `import-by-identity.tf`) is a
//! configuration the real Terraform accepts: `terraform validate` passes with the provider's
//! schemas.
//!
//! Which Terraform validates what, by design:
//! - resources, data sources and the provider: both 1.0.3 and 1.15.5;
//! - ephemeral resources: 1.15.5 only (`ephemeral` blocks need Terraform 1.10; 1.0.3 rejects the
//!   block itself, which is what its page says);
//! - resources with a write-only attribute (`influxdb_user`'s password, Terraform 1.11, fed from
//!   an ephemeral variable): 1.15.5 only;
//! - list resources (`*.tfquery.hcl`, Terraform 1.14): 1.15.5 only, with `terraform validate
//!   -query`: plain `terraform validate` skips `.tfquery.hcl` files (a broken one passes, as
//!   [`validate_reads_the_query_files_only_with_query_terraform_1_15_5`] shows);
//! - `import { identity = ... }` (Terraform 1.12): 1.15.5 only, with the resource's example.

#[path = "support/terraform.rs"]
mod terraform;

use terraform::{Tf, Workspace};
use terraform_provider_influxdb::docs::{self, Page};
use terraform_provider_influxdb::engine::Engine;
use terraform_provider_influxdb::influxdb::provider::{InfluxProvider, NAME};

terraform::every_terraform!(every_documented_example_validates);

fn pages() -> Vec<Page> {
    let engine = Engine::new(InfluxProvider);
    let (identities, d) = engine.identity_schemas();
    assert!(!d.has_errors(), "{d:?}");
    docs::pages(NAME, &engine.schemas(), &identities)
}

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(terraform::repo_root().join(path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The page's kind: its folder under `docs/` (`resources`, `list-resources`, ...), or `""` for
/// the index.
fn kind(page: &Page) -> String {
    let mut parts = page.doc.iter();
    parts.next();
    match (parts.next(), parts.next()) {
        (Some(dir), Some(_)) => dir.to_string_lossy().into_owned(),
        _ => String::new(),
    }
}

/// `terraform validate` on `files` (name, contents), with the provider requirements added when
/// the files leave them out (as the registry's examples do).
fn validate(tf: Tf, files: &[(&str, &str)]) -> terraform::TfOutput {
    validate_with(tf, files, &[])
}

fn validate_with(tf: Tf, files: &[(&str, &str)], args: &[&str]) -> terraform::TfOutput {
    let ws = Workspace::new(tf);
    for (name, text) in files {
        ws.write(name, text);
    }
    if !files.iter().any(|(_, t)| t.contains("required_providers")) {
        let block = terraform::provider_block("");
        // An example that configures the provider itself gets only the requirements.
        let block = if files
            .iter()
            .any(|(_, t)| t.contains("provider \"influxdb\" {"))
        {
            block[..block.find("provider \"influxdb\"").unwrap_or(block.len())].to_owned()
        } else {
            block
        };
        ws.write("provider.tf", &block);
    }
    let mut all = vec!["validate", "-no-color"];
    all.extend_from_slice(args);
    ws.terraform(&all)
}

fn assert_valid(out: &terraform::TfOutput, what: &str, tf: Tf) {
    assert!(
        out.success() && out.stdout.contains("The configuration is valid"),
        "{what} does not validate under Terraform {}:\n{}",
        tf.version(),
        out.combined()
    );
}

/// Whether the page shows what Terraform 1.0.3 cannot express.
fn newer_only(page: &Page) -> bool {
    matches!(
        kind(page).as_str(),
        "ephemeral-resources" | "list-resources"
    ) || page.schema.write_only_attributes().next().is_some()
}

fn every_documented_example_validates(tf: Tf) {
    let pages = pages();
    let mut validated = 0;
    for page in &pages {
        let kind = kind(page);
        let newer_only = newer_only(page);
        if newer_only && tf == Tf::V1_0_3 {
            // By design: Terraform 1.0.3 has neither ephemeral nor list blocks.
            continue;
        }
        let example = read(&page.example);
        let out = if kind == "list-resources" {
            // Terraform reads list blocks only from `*.tfquery.hcl` files, and validates them
            // only when asked to.
            validate_with(tf, &[("query.tfquery.hcl", &example)], &["-query"])
        } else {
            validate(tf, &[("main.tf", &example)])
        };
        assert_valid(&out, &page.example.display().to_string(), tf);
        validated += 1;
        if page.identity.is_some() && tf == Tf::V1_15_5 {
            let by_identity = read(&page.import_by_identity);
            assert_valid(
                &validate(tf, &[("main.tf", &example), ("import.tf", &by_identity)]),
                &page.import_by_identity.display().to_string(),
                tf,
            );
        }
    }
    let expected = pages.len()
        - if tf == Tf::V1_0_3 {
            pages.iter().filter(|p| newer_only(p)).count()
        } else {
            0
        };
    assert_eq!(validated, expected);
    assert!(validated > 1);
}

/// `terraform validate -query` reads `*.tfquery.hcl` and checks them against the list resource's
/// schema (a list example naming an argument the list resource does not have fails), so the list
/// examples above are really checked; plain `terraform validate` does not look at them.
#[test]
fn validate_reads_the_query_files_only_with_query_terraform_1_15_5() {
    let tf = Tf::V1_15_5;
    let broken = "list \"influxdb_database_token\" \"all\" {\n  provider = influxdb\n\n  config {\n    no_such_setting = true\n  }\n}\n";
    let files = [("query.tfquery.hcl", broken)];
    assert_valid(
        &validate(tf, &files),
        "a broken .tfquery.hcl without -query",
        tf,
    );
    let out = validate_with(tf, &files, &["-query"]);
    assert!(
        !out.success() && out.combined().contains("no_such_setting"),
        "a broken .tfquery.hcl passed terraform validate:\n{}",
        out.combined()
    );
}
