//! ValidateProviderConfig, ValidateResourceConfig and ValidateDataResourceConfig: the checks on
//! a configuration that Terraform asks for before planning or reading anything.
//!
//! Rules:
//! - the configuration is checked by the schema (attribute validators) first, then by the
//!   provider, resource or data source itself (cross-attribute checks); values may be unknown;
//! - a resource or data source whose schema needs a newer Terraform than the one running is an
//!   error, once the running version is known (from ConfigureProvider);
//! - a write-only attribute set in the configuration is an error, naming it, when Terraform
//!   did not say it handles write-only attributes (client capability
//!   `write_only_attributes_allowed`, Terraform >= 1.11).
//!
//! Ephemeral and list resources are validated in their own files.

use super::super::diag::{AttributePath, Diagnostics};
use super::super::provider::Provider;
use super::{decode, DynamicValue, Engine};

impl<P: Provider> Engine<P> {
    pub fn validate_provider_config(&self, config: &DynamicValue) -> Diagnostics {
        let mut diags = Diagnostics::default();
        if let Some(v) = decode(config, &self.provider_schema.ty(), "config", &mut diags) {
            self.provider_schema.validate(&v, &mut diags);
            self.provider.validate(&v, &mut diags);
        }
        diags
    }

    pub fn validate_resource_config(&self, type_name: &str, config: &DynamicValue) -> Diagnostics {
        self.validate_resource_config_with(type_name, config, true)
    }

    /// ValidateResourceConfig; `write_only_allowed` is Terraform's capability.
    pub fn validate_resource_config_with(
        &self,
        type_name: &str,
        config: &DynamicValue,
        write_only_allowed: bool,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return diags;
        };
        self.check_terraform_version(type_name, r.schema(), &mut diags);
        if let Some(v) = decode(config, &r.schema().ty(), "config", &mut diags) {
            if !write_only_allowed {
                for name in r.schema().write_only_attributes() {
                    if !v.attr(name).is_null() {
                        diags.attribute_error(
                            AttributePath::root(name),
                            "Write-only attribute not supported",
                            format!("{name} is a write-only attribute, which needs Terraform 1.11 or later; this Terraform did not say it supports them. Upgrade Terraform, or remove {name}."),
                        );
                    }
                }
            }
            r.schema().validate(&v, &mut diags);
            r.validate(&v, &mut diags);
        }
        diags
    }

    pub fn validate_data_source_config(
        &self,
        type_name: &str,
        config: &DynamicValue,
    ) -> Diagnostics {
        let mut diags = Diagnostics::default();
        let Some(d) = self.data_source(type_name, &mut diags) else {
            return diags;
        };
        self.check_terraform_version(type_name, d.schema(), &mut diags);
        if let Some(v) = decode(config, &d.schema().ty(), "config", &mut diags) {
            d.schema().validate(&v, &mut diags);
            d.validate(&v, &mut diags);
        }
        diags
    }
}
