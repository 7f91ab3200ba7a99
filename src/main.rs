//! `terraform-provider-influxdb`: started by Terraform, never by hand (run it to see why).
//! `terraform-provider-influxdb docs [--check]` (re)writes docs/ from the schemas instead.

use std::process::ExitCode;

use terraform_provider_influxdb::docs;
use terraform_provider_influxdb::engine::Engine;
use terraform_provider_influxdb::influxdb::provider::{self, InfluxProvider};
use terraform_provider_influxdb::wire::serve::{self, ServeOptions};

fn main() -> ExitCode {
    // Terraform starts the plugin without arguments, so a subcommand never meets the handshake.
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("docs") {
        let engine = Engine::new(InfluxProvider);
        let (identities, diags) = engine.identity_schemas();
        if diags.has_errors() {
            eprintln!("error: invalid identity schemas: {diags:?}");
            return ExitCode::FAILURE;
        }
        return docs::cli(provider::NAME, &engine.schemas(), &identities, &args[1..]);
    }
    serve::main(
        || InfluxProvider,
        ServeOptions {
            address: provider::SOURCE_ADDRESS.into(),
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
    )
}
