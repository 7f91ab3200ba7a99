//! The ephemeral resource RPCs: ValidateEphemeralResourceConfig, OpenEphemeralResource,
//! RenewEphemeralResource and CloseEphemeralResource.
//!
//! Rules:
//! - the configuration is validated by the schema and the resource, as for managed resources,
//!   and checked against the configured provider (`check_provider`) before anything is opened;
//! - a configuration that is not wholly known (it depends on something known only after apply)
//!   is not opened: the result is the configuration with every computed attribute unknown, and
//!   there is nothing to close. Terraform itself skips such opens; this is the same answer for
//!   a Terraform that does not;
//! - the result holds the configured values as written and is wholly known;
//! - the domain's private value travels through Terraform to Close; an empty private (nothing
//!   was opened) closes nothing.

use std::sync::Arc;

use super::super::diag::Diagnostics;
use super::super::ephemeral::DynEphemeralResource;
use super::super::provider::Provider;
use super::super::value::Value;
use super::{decode, encode, DynamicValue, Engine};

pub struct OpenResponse {
    /// msgpack of the result; `None` when the open failed.
    pub result: Option<Vec<u8>>,
    /// What Close needs; `None` when nothing needs closing.
    pub private: Option<Vec<u8>>,
    pub diagnostics: Diagnostics,
}

pub struct ClosedResponse {
    pub diagnostics: Diagnostics,
}

impl<P: Provider> Engine<P> {
    fn ephemeral(
        &self,
        name: &str,
        diags: &mut Diagnostics,
    ) -> Option<Arc<dyn DynEphemeralResource<P::Client>>> {
        let e = self
            .ephemeral_resources
            .iter()
            .find(|e| e.type_name() == name)
            .cloned();
        if e.is_none() {
            diags.error(
                "Unknown ephemeral resource type",
                format!("This provider has no ephemeral resource {name:?}."),
            );
        }
        e
    }

    pub fn validate_ephemeral_resource_config(
        &self,
        type_name: &str,
        config: &DynamicValue,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some(e) = self.ephemeral(type_name, &mut diags) else {
            return diags;
        };
        if let Some(v) = decode(config, &e.schema().ty(), "config", &mut diags) {
            e.schema().validate(&v, &mut diags);
            e.validate(&v, &mut diags);
        }
        diags
    }

    pub async fn open_ephemeral_resource(
        &self,
        type_name: &str,
        config: &DynamicValue,
    ) -> OpenResponse {
        let mut diags = Diagnostics::default();
        let failed = |diagnostics| OpenResponse {
            result: None,
            private: None,
            diagnostics,
        };
        let Some(e) = self.ephemeral(type_name, &mut diags) else {
            return failed(diags);
        };
        let schema = e.schema();
        let ty = schema.ty();
        let Some(config) = decode(config, &ty, "config", &mut diags) else {
            return failed(diags);
        };
        // Open only what is valid: validation may have run on a partly unknown configuration.
        schema.validate(&config, &mut diags);
        e.validate(&config, &mut diags);
        if let Some(client) = self.configured() {
            e.check_provider(&client, &config, &mut diags);
        }
        if diags.has_errors() {
            return failed(diags);
        }

        if !config.is_wholly_known() {
            let mut result = config.clone();
            for a in schema.attributes.iter().filter(|a| a.computed) {
                if config.attr(&a.name).is_null() {
                    result.set_attr(&a.name, Value::Unknown);
                }
            }
            return OpenResponse {
                result: encode(&result, &ty, &mut diags),
                private: None,
                diagnostics: diags,
            };
        }

        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };
        let Some(opened) = e.open(&client, &config, &mut diags).await else {
            if !diags.has_errors() {
                diags.error(
                    "Provider returned no result",
                    format!(
                        "{type_name}: the open produced nothing. This is a bug in the provider."
                    ),
                );
            }
            return failed(diags);
        };
        let mut result = opened.result;
        // What the configuration set is what the result holds.
        for a in &schema.attributes {
            let c = config.attr(&a.name);
            if !a.computed || !c.is_null() {
                result.set_attr(&a.name, c.clone());
            }
        }
        if !result.is_wholly_known() {
            diags.error(
                "Provider produced an incomplete ephemeral result",
                format!(
                    "{type_name}: the result has unknown values. This is a bug in the provider."
                ),
            );
        }
        if diags.has_errors() {
            // Terraform will not close what failed to open: release it now.
            e.close(&client, &opened.private, &mut diags).await;
            return failed(diags);
        }
        OpenResponse {
            result: encode(&result, &ty, &mut diags),
            private: Some(opened.private),
            diagnostics: diags,
        }
    }

    /// Renew: nothing of ours needs renewing (Open never asks for it), so this succeeds and
    /// keeps the private data as it is.
    pub fn renew_ephemeral_resource(&self, type_name: &str) -> Diagnostics {
        let mut diags = Diagnostics::default();
        self.ephemeral(type_name, &mut diags);
        diags
    }

    pub async fn close_ephemeral_resource(
        &self,
        type_name: &str,
        private: Option<&[u8]>,
    ) -> ClosedResponse {
        let mut diags = Diagnostics::default();
        let Some(e) = self.ephemeral(type_name, &mut diags) else {
            return ClosedResponse { diagnostics: diags };
        };
        let Some(private) = private.filter(|p| !p.is_empty()) else {
            return ClosedResponse { diagnostics: diags };
        };
        if let Some(client) = self.configured_client(&mut diags) {
            e.close(&client, private, &mut diags).await;
        }
        ClosedResponse { diagnostics: diags }
    }
}
