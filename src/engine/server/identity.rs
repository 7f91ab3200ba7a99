//! Resource identity in the RPCs: GetResourceIdentitySchemas, UpgradeResourceIdentity, the
//! identity that goes with every state Terraform receives, and import by identity.
//!
//! Rules:
//! - the identity is derived from the state it goes with, never computed separately, so it
//!   never changes while the object lives (Terraform rejects a changed identity);
//! - a null state has no identity, and a planned state whose identity is not yet wholly known
//!   (a create) has none either;
//! - an import identity must set every `required_for_import` attribute, and any other
//!   attribute it sets must match the object found.

use super::super::diag::Diagnostics;
use super::super::identity::TypedIdentityAttribute;
use super::super::json;
use super::super::provider::Provider;
use super::super::value::Value;
use super::{decode, encode, DynamicValue, Engine, ImportedResource};

/// The identity schema of one resource type, with attribute types.
pub struct IdentitySchemaInfo {
    pub type_name: &'static str,
    pub version: i64,
    pub attributes: Vec<TypedIdentityAttribute>,
}

pub struct IdentityResponse {
    /// msgpack; `None` on error.
    pub identity: Option<Vec<u8>>,
    pub diagnostics: Diagnostics,
}

impl<P: Provider> Engine<P> {
    /// Every resource type that declares an identity.
    pub fn identity_schemas(&self) -> (Vec<IdentitySchemaInfo>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let mut out = Vec::new();
        for name in &self.resource_order {
            let r = &self.resources[name];
            let Some(id) = r.identity() else { continue };
            match id.typed(r.schema()) {
                Ok(attributes) => out.push(IdentitySchemaInfo {
                    type_name: name,
                    version: id.version,
                    attributes,
                }),
                Err(e) => diags.error(
                    "Provider internal error",
                    format!("{name}: invalid identity schema: {e}. This is a bug in the provider."),
                ),
            }
        }
        (out, diags)
    }

    /// Reads a stored identity (JSON) into the current identity schema.
    pub fn upgrade_resource_identity(
        &self,
        type_name: &str,
        version: i64,
        raw_json: &[u8],
    ) -> IdentityResponse {
        let mut diags = Diagnostics::default();
        let failed = |diagnostics| IdentityResponse {
            identity: None,
            diagnostics,
        };
        let Some(r) = self.resource(type_name, &mut diags) else {
            return failed(diags);
        };
        let Some(id) = r.identity() else {
            diags.error(
                "Resource has no identity",
                format!(
                    "{type_name} has no identity schema, so a stored identity cannot be upgraded."
                ),
            );
            return failed(diags);
        };
        if version > id.version {
            diags.error(
                "Resource identity written by a newer provider",
                format!(
                    "The identity of this {type_name} has version {version}; this provider knows {}. Upgrade the provider.",
                    id.version
                ),
            );
            return failed(diags);
        }
        let ty = id.ty(r.schema());
        let opts = json::DecodeOptions {
            ignore_undefined_attributes: true,
        };
        match json::decode_bytes(raw_json, &ty, opts) {
            Ok(v) => IdentityResponse {
                identity: encode(&v, &ty, &mut diags),
                diagnostics: diags,
            },
            Err(e) => {
                diags.error("Invalid stored identity", format!("{type_name}: {e}"));
                failed(diags)
            }
        }
    }

    /// The identity (msgpack) of a state (msgpack) of `type_name`; `None` when the type has no
    /// identity, the state is null or unreadable, or the identity is not wholly known yet (a
    /// planned create: Terraform cannot store a partly unknown identity in a plan).
    pub fn identity_of(&self, type_name: &str, state: &[u8]) -> Option<Vec<u8>> {
        let mut diags = Diagnostics::default();
        let r = self.resources.get(type_name)?;
        let id = r.identity()?;
        let state = decode(
            &DynamicValue::msgpack(state.to_vec()),
            &r.schema().ty(),
            "state",
            &mut diags,
        )?;
        let identity = id.derive(&state, r.schema())?;
        if !identity.is_wholly_known() {
            return None;
        }
        encode(&identity, &id.ty(r.schema()), &mut diags)
    }

    /// ImportResourceState with an identity instead of an ID.
    pub async fn import_resource_by_identity(
        &self,
        type_name: &str,
        identity: &DynamicValue,
    ) -> (Vec<ImportedResource>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let Some(r) = self.resource(type_name, &mut diags) else {
            return (Vec::new(), diags);
        };
        let Some(id_schema) = r.identity() else {
            diags.error(
                "Import by identity not supported",
                format!("{type_name} has no identity; import it with an ID."),
            );
            return (Vec::new(), diags);
        };
        let id_ty = id_schema.ty(r.schema());
        let Some(given) = decode(identity, &id_ty, "identity", &mut diags) else {
            return (Vec::new(), diags);
        };
        let Some(import_id) = id_schema.import_id(&given, &mut diags) else {
            return (Vec::new(), diags);
        };
        let (imported, more) = self.import_resource_state(type_name, &import_id).await;
        diags.extend(more);
        for i in &imported {
            let state = decode(
                &DynamicValue::msgpack(i.state.clone()),
                &r.schema().ty(),
                "imported state",
                &mut diags,
            )
            .unwrap_or(Value::Null);
            if let Some(found) = id_schema.derive(&state, r.schema()) {
                id_schema.check_import(&given, &found, type_name, &mut diags);
            }
        }
        if diags.has_errors() {
            return (Vec::new(), diags);
        }
        (imported, diags)
    }
}
