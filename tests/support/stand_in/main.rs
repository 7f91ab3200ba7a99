//! `stand-in-provider`: a test-only provider that plays another InfluxDB provider
//! (`STAND_IN_SOURCE`, an address of [`schemas::SOURCES`]) for the migration tests
//! (tests/e2e_migrate.rs). Terraform needs the provider that wrote a state to be installed
//! before a `moved` block can hand that state to us; the stand-in is installed at the source's
//! address and serves its schemas, through our own engine.
//!
//! It is never to be used for anything else: configuring it, or creating, reading, updating,
//! deleting or importing with it, fails loudly, so a test in which Terraform asks it for more
//! than its schema fails.

#[path = "schemas.rs"]
mod schemas;

use std::process::ExitCode;
use std::sync::Arc;

use async_trait::async_trait;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use terraform_provider_influxdb::engine::resource::{DynDataSource, DynResource};
use terraform_provider_influxdb::engine::{resource, Diagnostics, Provider, Resource, Schema};
use terraform_provider_influxdb::wire::serve::{self, ServeOptions};

const NEVER: &str = "The stand-in provider of the migration tests serves schemas only: Terraform must never configure it nor ask it to create, read, update, delete or import.";

#[derive(Deserialize)]
struct NoConfig {}

struct StandIn(&'static schemas::Source);

#[async_trait]
impl Provider for StandIn {
    type Client = ();
    type Config = NoConfig;

    fn schema(&self) -> Schema {
        Schema::new("A stand-in for another provider (tests only).", Vec::new())
    }

    async fn configure(
        &self,
        _: NoConfig,
        _: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<()> {
        diags.error("Stand-in provider configured", NEVER);
        None
    }

    fn resources(&self) -> Vec<Arc<dyn DynResource<()>>> {
        (self.0.resources)()
            .into_iter()
            .map(|(name, schema)| resource(SchemaOnly { name, schema }))
            .collect()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DynDataSource<()>>> {
        Vec::new()
    }
}

/// A resource type that has a schema and nothing else.
struct SchemaOnly {
    name: &'static str,
    schema: Schema,
}

fn never<T>(what: &str, diags: &mut Diagnostics) -> Option<T> {
    diags.error(format!("Stand-in provider asked to {what}"), NEVER);
    None
}

#[async_trait]
impl Resource for SchemaOnly {
    type Client = ();
    type State = serde_json::Value;

    fn type_name(&self) -> &'static str {
        self.name
    }
    fn schema(&self) -> Schema {
        self.schema.clone()
    }
    async fn create(&self, _: &(), _: Self::State, d: &mut Diagnostics) -> Option<Self::State> {
        never("create", d)
    }
    async fn read(&self, _: &(), _: Self::State, d: &mut Diagnostics) -> Option<Self::State> {
        never("read", d)
    }
    async fn update(
        &self,
        _: &(),
        _: Self::State,
        _: Self::State,
        d: &mut Diagnostics,
    ) -> Option<Self::State> {
        never("update", d)
    }
    async fn delete(&self, _: &(), _: Self::State, d: &mut Diagnostics) {
        never::<()>("delete", d);
    }
    async fn import(&self, _: &(), _: &str, d: &mut Diagnostics) -> Option<Self::State> {
        never("import", d)
    }
}

fn main() -> ExitCode {
    let wanted = std::env::var("STAND_IN_SOURCE").unwrap_or_default();
    let Some(source) = schemas::SOURCES.iter().find(|s| s.address == wanted) else {
        eprintln!(
            "stand-in-provider: STAND_IN_SOURCE={wanted:?} is none of the providers it plays"
        );
        return ExitCode::from(2);
    };
    serve::main(
        || StandIn(source),
        ServeOptions {
            address: source.address.into(),
            name: "stand-in-provider".into(),
            version: "0.0.0".into(),
        },
    )
}
