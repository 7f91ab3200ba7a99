//! Resource identity (Terraform >= 1.12): the few attributes that name a remote object, stored
//! by Terraform next to the state and usable in `import { identity = { ... } }` blocks and in
//! `terraform query` results.
//!
//! A resource declares its identity as a projection of its own state: every identity attribute
//! is a state attribute of the same name and type. The engine therefore derives the identity
//! from any state itself, so it can never disagree with the state, and it owns the import rules:
//! the attributes marked `required_for_import` make the import ID, and every other attribute
//! given in an import identity must match the imported object.

use super::diag::{AttributePath, Diagnostic, Diagnostics};
use super::schema::Schema;
use super::types::Type;
use super::value::Value;

/// One identity attribute: a state attribute of the resource, by name.
#[derive(Clone, Debug)]
pub struct IdentityAttribute {
    pub name: String,
    pub description: String,
    /// Must be given in an `import { identity = ... }` block; it is the import ID.
    pub required_for_import: bool,
}

impl IdentityAttribute {
    /// The attribute that identifies the object; the value `terraform import ADDRESS ID` takes.
    pub fn required(name: &str, description: &str) -> IdentityAttribute {
        IdentityAttribute {
            name: name.to_owned(),
            description: description.to_owned(),
            required_for_import: true,
        }
    }

    /// An attribute Terraform may give on import (checked against the imported object) but the
    /// provider knows by itself, e.g. the account of the configured provider.
    pub fn optional(name: &str, description: &str) -> IdentityAttribute {
        IdentityAttribute {
            name: name.to_owned(),
            description: description.to_owned(),
            required_for_import: false,
        }
    }
}

/// The identity schema of a resource type.
#[derive(Clone, Debug)]
pub struct IdentitySchema {
    pub version: i64,
    pub attributes: Vec<IdentityAttribute>,
}

/// One identity attribute with its type, as sent to Terraform.
#[derive(Clone, Debug)]
pub struct TypedIdentityAttribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required_for_import: bool,
}

impl IdentitySchema {
    pub fn new(attributes: Vec<IdentityAttribute>) -> IdentitySchema {
        IdentitySchema {
            version: 0,
            attributes,
        }
    }

    /// The identity attributes with the types of the state attributes they project, or why the
    /// declaration is wrong (a bug caught by the engine's tests, never by a user).
    pub fn typed(&self, state: &Schema) -> Result<Vec<TypedIdentityAttribute>, String> {
        if !self.attributes.iter().any(|a| a.required_for_import) {
            return Err("an identity needs at least one required_for_import attribute".into());
        }
        self.attributes
            .iter()
            .map(|a| {
                let s = state.attribute(&a.name).ok_or_else(|| {
                    format!("identity attribute {:?} is not in the schema", a.name)
                })?;
                if s.sensitive {
                    return Err(format!("identity attribute {:?} is sensitive", a.name));
                }
                Ok(TypedIdentityAttribute {
                    name: a.name.clone(),
                    ty: s.ty.clone(),
                    description: a.description.clone(),
                    required_for_import: a.required_for_import,
                })
            })
            .collect()
    }

    /// The object type of the identity data.
    pub fn ty(&self, state: &Schema) -> Type {
        Type::object(self.attributes.iter().map(|a| {
            let ty = state
                .attribute(&a.name)
                .map(|s| s.ty.clone())
                .unwrap_or(Type::String);
            (a.name.clone(), ty)
        }))
    }

    /// The identity of the object whose state is `state`: the identity attributes' values.
    /// `None` for a null state (no object, no identity).
    pub fn derive(&self, state: &Value, state_schema: &Schema) -> Option<Value> {
        if state.is_null() {
            return None;
        }
        let mut id = Value::empty_object(&self.ty(state_schema));
        for a in &self.attributes {
            id.set_attr(&a.name, state.attr(&a.name).clone());
        }
        Some(id)
    }

    /// The import ID given by an import identity: the value of the required attribute(s),
    /// joined with `,` when there are several. Names every missing attribute.
    pub fn import_id(&self, identity: &Value, diags: &mut Diagnostics) -> Option<String> {
        let mut parts = Vec::new();
        for a in self.attributes.iter().filter(|a| a.required_for_import) {
            match identity.attr(&a.name) {
                Value::String(s) if !s.is_empty() => parts.push(s.clone()),
                Value::Unknown => diags.push(
                    Diagnostic::error(
                        "Unknown identity value",
                        format!("The import identity's {} is not known yet; it must be known at plan time.", a.name),
                    )
                    .at(AttributePath::root(&a.name)),
                ),
                _ => diags.push(
                    Diagnostic::error(
                        "Missing identity attribute",
                        format!("The import identity must set {}.", a.name),
                    )
                    .at(AttributePath::root(&a.name)),
                ),
            }
        }
        (!diags.has_errors()).then(|| parts.join(","))
    }

    /// Checks that every attribute the import identity set matches the imported object's
    /// identity (for example an account ID other than the provider's).
    pub fn check_import(
        &self,
        given: &Value,
        imported: &Value,
        type_name: &str,
        diags: &mut Diagnostics,
    ) {
        for a in &self.attributes {
            let (g, i) = (given.attr(&a.name), imported.attr(&a.name));
            if !g.is_null() && g != i {
                diags.push(
                    Diagnostic::error(
                        "Import identity does not match",
                        format!(
                            "The import identity sets {} = {}, but the {type_name} found has {}. Check the provider configuration, or remove {} from the identity.",
                            a.name,
                            show(g),
                            show(i),
                            a.name
                        ),
                    )
                    .at(AttributePath::root(&a.name)),
                );
            }
        }
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".into(),
        other => format!("{other:?}"),
    }
}
