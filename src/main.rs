//! `terraform-provider-influxdb`: started by Terraform, never by hand (run it to see why).

use std::process::ExitCode;

use terraform_provider_influxdb::influxdb::provider::InfluxProvider;
use terraform_provider_influxdb::wire::serve::{self, ServeOptions};

fn main() -> ExitCode {
    serve::main(
        || InfluxProvider,
        ServeOptions {
            address: "example.com/influxdata/influxdb".into(),
            name: env!("CARGO_PKG_NAME").into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
    )
}
