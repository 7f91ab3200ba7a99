//! ImportResourceState with an ID (`terraform import`, `import` blocks): the resource finds the
//! remote object and returns its state, which Terraform then reads. Import by identity is in
//! `identity`.
//!
//! Rules:
//! - a resource whose schema needs a newer Terraform than the one running is not imported;
//! - an ID that finds no object is an error, as Terraform words it ("Cannot import non-existent
//!   remote object");
//! - exactly one object is imported, of the type asked, with no private data.

use super::super::diag::Diagnostics;
use super::super::provider::Provider;
use super::{encode, Engine};

/// One imported object, its state msgpack.
pub struct ImportedResource {
    pub type_name: String,
    pub state: Vec<u8>,
    pub private: Vec<u8>,
}

impl<P: Provider> Engine<P> {
    pub async fn import_resource_state(
        &self,
        type_name: &str,
        id: &str,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return (Vec::new(), diags);
        };
        self.check_terraform_version(type_name, r.schema(), &mut diags);
        if diags.has_errors() {
            return (Vec::new(), diags);
        }
        let Some(client) = self.configured_client(&mut diags) else {
            return (Vec::new(), diags);
        };
        let ty = r.schema().ty();
        let Some(state) = r.import(&client, id, &mut diags).await else {
            if !diags.has_errors() {
                diags.error(
                    "Cannot import non-existent remote object",
                    format!("No {type_name} with id {id:?} exists."),
                );
            }
            return (Vec::new(), diags);
        };
        match encode(&state, &ty, &mut diags) {
            Some(state) => (
                vec![ImportedResource {
                    type_name: type_name.to_owned(),
                    state,
                    private: Vec::new(),
                }],
                diags,
            ),
            None => (Vec::new(), diags),
        }
    }
}
