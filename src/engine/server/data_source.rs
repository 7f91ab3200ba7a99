//! ReadDataSource: reads a data source from its configuration.
//!
//! Rules:
//! - the running Terraform's version and the configured provider (`check_provider`) are checked
//!   before anything is read;
//! - the result holds the configured values as written: what the configuration set is what the
//!   data source holds;
//! - the result is wholly known, and a data source returning nothing is a provider bug.

use super::super::diag::Diagnostics;
use super::super::provider::Provider;
use super::{decode, encode, failed, DynamicValue, Engine, StateResponse};

impl<P: Provider> Engine<P> {
    pub async fn read_data_source(&self, type_name: &str, config: &DynamicValue) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(d) = self.data_source(type_name, &mut diags) else {
            return failed(diags);
        };
        let schema = d.schema();
        let ty = schema.ty();
        let Some(config) = decode(config, &ty, "config", &mut diags) else {
            return failed(diags);
        };
        self.check_terraform_version(type_name, schema, &mut diags);
        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };
        d.check_provider(&client, &config, &mut diags);
        if diags.has_errors() {
            return failed(diags);
        }
        let Some(mut state) = d.read(&client, &config, &mut diags).await else {
            if !diags.has_errors() {
                diags.error(
                    "Provider produced null object",
                    format!("{type_name}: the data source returned nothing. This is a bug in the provider."),
                );
            }
            return failed(diags);
        };
        // What the configuration set is what the data source holds.
        for a in &schema.attributes {
            let c = config.attr(&a.name);
            if !a.computed || !c.is_null() {
                state.set_attr(&a.name, c.clone());
            }
        }
        if !state.is_wholly_known() {
            diags.error(
                "Provider produced an incomplete object",
                format!("{type_name}: the data source result has unknown values. This is a bug in the provider."),
            );
            return failed(diags);
        }
        StateResponse {
            state: encode(&state, &ty, &mut diags),
            private: Vec::new(),
            diagnostics: diags,
        }
    }
}
