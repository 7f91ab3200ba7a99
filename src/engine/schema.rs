//! Schemas: attributes with their modes, validators and plan behaviour, declared once and
//! enforced by the engine for every resource, data source and the provider itself.

use std::sync::Arc;

use super::diag::{AttributePath, Diagnostics};
use super::types::Type;
use super::value::Value;

/// Checks a configured value. It is called only with a known, non-null top-level value;
/// values inside collections may still be unknown and must then be skipped.
pub type Validator = Arc<dyn Fn(&Value, &AttributePath, &mut Diagnostics) + Send + Sync>;

/// Two values that mean the same thing although they differ as values (for example the same
/// instant written with two offsets). The engine keeps the value the user wrote.
pub type SemanticEquality = fn(&Value, &Value) -> bool;

#[derive(Clone)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    /// Keep the prior value instead of "(known after apply)" when the resource changes.
    pub use_state_for_unknown: bool,
    /// A change to this attribute replaces the resource.
    pub requires_replace: bool,
    pub validators: Vec<Validator>,
    pub semantic_equality: Option<SemanticEquality>,
}

impl std::fmt::Debug for Attribute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attribute")
            .field("name", &self.name)
            .field("ty", &self.ty)
            .field("required", &self.required)
            .field("optional", &self.optional)
            .field("computed", &self.computed)
            .field("sensitive", &self.sensitive)
            .finish_non_exhaustive()
    }
}

impl Attribute {
    fn new(name: &str, ty: Type) -> Attribute {
        Attribute {
            name: name.to_owned(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            use_state_for_unknown: false,
            requires_replace: false,
            validators: Vec::new(),
            semantic_equality: None,
        }
    }

    pub fn required(name: &str, ty: Type) -> Attribute {
        Attribute {
            required: true,
            ..Attribute::new(name, ty)
        }
    }
    pub fn optional(name: &str, ty: Type) -> Attribute {
        Attribute {
            optional: true,
            ..Attribute::new(name, ty)
        }
    }
    pub fn computed(name: &str, ty: Type) -> Attribute {
        Attribute {
            computed: true,
            ..Attribute::new(name, ty)
        }
    }
    /// Optional and computed: the server's value when the configuration leaves it unset.
    pub fn optional_computed(name: &str, ty: Type) -> Attribute {
        Attribute {
            optional: true,
            computed: true,
            ..Attribute::new(name, ty)
        }
    }

    pub fn describe(mut self, d: &str) -> Attribute {
        self.description = d.to_owned();
        self
    }
    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }
    pub fn use_state_for_unknown(mut self) -> Attribute {
        self.use_state_for_unknown = true;
        self
    }
    pub fn requires_replace(mut self) -> Attribute {
        self.requires_replace = true;
        self
    }
    pub fn validate(
        mut self,
        f: impl Fn(&Value, &AttributePath, &mut Diagnostics) + Send + Sync + 'static,
    ) -> Attribute {
        self.validators.push(Arc::new(f));
        self
    }
    /// A validator for a string attribute: `check` returns the problem in words.
    pub fn validate_str(
        self,
        summary: &'static str,
        check: impl Fn(&str) -> Result<(), String> + Send + Sync + 'static,
    ) -> Attribute {
        self.validate(move |v, path, diags| {
            if let Some(s) = v.as_str() {
                if let Err(detail) = check(s) {
                    diags.attribute_error(path.clone(), summary, detail);
                }
            }
        })
    }
    pub fn semantic_equality(mut self, eq: SemanticEquality) -> Attribute {
        self.semantic_equality = Some(eq);
        self
    }
}

/// The schema of a resource, data source or provider: a flat list of attributes.
///
/// Nested blocks are deliberately absent: collections of objects are typed attributes
/// (`set(object({...}))`), which every Terraform version displays correctly (see the protocol
/// notes on Terraform 1.0.3's nested-attribute display crashes).
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub version: i64,
    pub description: String,
    pub attributes: Vec<Attribute>,
}

impl Schema {
    pub fn new(description: &str, attributes: Vec<Attribute>) -> Schema {
        Schema {
            version: 0,
            description: description.to_owned(),
            attributes,
        }
    }

    /// The object type of the whole schema.
    pub fn ty(&self) -> Type {
        Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone())),
        )
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Runs every attribute's validators on the known values of `config`.
    pub fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        for a in &self.attributes {
            let v = config.attr(&a.name);
            if v.is_null() || !v.is_known() {
                continue;
            }
            let path = AttributePath::root(&a.name);
            for check in &a.validators {
                check(v, &path, diags);
            }
        }
    }

    /// Checks the rules Terraform applies to schemas (`internal_validate.go`), so a mistake
    /// shows up in our unit tests rather than as a Terraform error.
    pub fn check(&self) -> Result<(), String> {
        for a in &self.attributes {
            let ok_name = !a.name.is_empty()
                && a.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !ok_name {
                return Err(format!("attribute name {:?} is not [a-z0-9_]+", a.name));
            }
            if !(a.required || a.optional || a.computed) {
                return Err(format!("{}: one of required, optional, computed", a.name));
            }
            if a.required && (a.optional || a.computed) {
                return Err(format!(
                    "{}: required excludes optional and computed",
                    a.name
                ));
            }
        }
        Ok(())
    }
}

/// Validators shared by many schemas.
pub mod validators {
    /// The string must be one of `allowed`.
    pub fn one_of(allowed: &'static [&'static str]) -> impl Fn(&str) -> Result<(), String> {
        move |s| {
            if allowed.contains(&s) {
                Ok(())
            } else {
                Err(format!(
                    "{s:?} is not allowed here; use one of: {}.",
                    allowed
                        .iter()
                        .map(|a| format!("{a:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
    }

    pub fn not_empty(s: &str) -> Result<(), String> {
        if s.trim().is_empty() {
            Err("The value must not be empty.".into())
        } else {
            Ok(())
        }
    }
}
