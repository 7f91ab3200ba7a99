//! Every example the documentation shows (`examples/provider/provider.tf` and each page's example
//! under `examples/<kind>/<type>/`) is a configuration the real Terraform (1.0.3 and 1.15.5)
//! accepts: `terraform validate` passes with the provider's schemas.

#[path = "support/terraform.rs"]
mod terraform;

use terraform::{Tf, Workspace};
use terraform_provider_influxdb::docs;
use terraform_provider_influxdb::engine::Engine;
use terraform_provider_influxdb::influxdb::provider::{InfluxProvider, NAME};

terraform::every_terraform!(every_documented_example_validates);

fn every_documented_example_validates(tf: Tf) {
    let engine = Engine::new(InfluxProvider);
    let pages = docs::pages(NAME, &engine.schemas());
    assert!(pages.len() > 1);
    for page in pages {
        let example = std::fs::read_to_string(terraform::repo_root().join(&page.example))
            .unwrap_or_else(|e| panic!("{}: {e}", page.example.display()));
        let ws = Workspace::new(tf);
        ws.write("main.tf", &example);
        // Examples of resources and data sources leave out the provider requirements, as the
        // registry's examples do; the provider's own example has them.
        if !example.contains("required_providers") {
            ws.write("provider.tf", &terraform::provider_block(""));
        }
        let out = ws.terraform(&["validate", "-no-color"]);
        assert!(
            out.success() && out.stdout.contains("The configuration is valid"),
            "{} does not validate under Terraform {}:\n{}",
            page.example.display(),
            tf.version(),
            out.combined()
        );
    }
}
