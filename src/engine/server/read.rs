//! ReadResource: refreshes a managed resource's state from the remote object.
//!
//! Rules:
//! - a null state stays null: there is nothing to read;
//! - the resource returning nothing without an error means the object is gone: the new state is
//!   null, and Terraform plans to create it again;
//! - after an error the state is kept as it was: an error must never look like "gone";
//! - attributes whose new value means the same as the stored one keep the stored value, so that
//!   a normalisation by the API is not shown as drift.

use super::super::diag::Diagnostics;
use super::super::provider::Provider;
use super::super::value::Value;
use super::{decode, encode, failed, keep_semantically_equal, DynamicValue, Engine, StateResponse};

impl<P: Provider> Engine<P> {
    pub async fn read_resource(
        &self,
        type_name: &str,
        current: &DynamicValue,
        private: &[u8],
    ) -> StateResponse {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let ty = r.schema().ty();
        let Some(current) = decode(current, &ty, "current state", &mut diags) else {
            return failed(diags);
        };
        if current.is_null() {
            return StateResponse {
                state: encode(&Value::Null, &ty, &mut diags),
                private: private.to_vec(),
                diagnostics: diags,
            };
        }
        let Some(client) = self.configured_client(&mut diags) else {
            return failed(diags);
        };
        let new = r.read(&client, &current, &mut diags).await;
        if diags.has_errors() {
            // Keep the state as it was: an error must never look like "gone".
            return StateResponse {
                state: encode(&current, &ty, &mut diags),
                private: private.to_vec(),
                diagnostics: diags,
            };
        }
        let new = match new {
            None => Value::Null,
            Some(mut new) => {
                keep_semantically_equal(r.schema(), &current, &mut new);
                new
            }
        };
        StateResponse {
            state: encode(&new, &ty, &mut diags),
            private: private.to_vec(),
            diagnostics: diags,
        }
    }
}
