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
    /// A nested attribute (`Schema.Attribute.nested_type`): its value is an object, or a
    /// collection of objects, whose own attributes have modes, so inner attributes may be left
    /// out. `ty` is then the implied type.
    pub nested: Option<Nested>,
    /// The value planned when the configuration leaves this optional+computed attribute unset
    /// (so a value changed outside Terraform is restored).
    pub default: Option<Value>,
    /// A write-only attribute (Terraform >= 1.11): read from the configuration when applying,
    /// never kept in the plan or the state (always null there). For secrets such as passwords.
    pub write_only: bool,
    /// A nested *block* (`retention_policies { ... }`), not a nested attribute: what every
    /// Terraform version shows and what SDKv2 providers' configurations are written with. Its
    /// value is the same list (or set) of objects; absent blocks are an empty collection, never
    /// null. Inner attributes may be optional and computed: the resource plans them (see
    /// [`Attribute::block`]).
    pub block: bool,
}

/// How a nested attribute holds its objects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    Single,
    List,
    Set,
    Map,
}

/// The attributes of a nested attribute's objects.
#[derive(Clone, Debug)]
pub struct Nested {
    pub nesting: Nesting,
    pub attributes: Vec<Attribute>,
}

impl Nested {
    /// The implied type: an object of the attributes' types, in the nesting's collection.
    pub fn ty(&self) -> Type {
        let object = Type::object(
            self.attributes
                .iter()
                .map(|a| (a.name.clone(), a.ty.clone())),
        );
        match self.nesting {
            Nesting::Single => object,
            Nesting::List => Type::list(object),
            Nesting::Set => Type::set(object),
            Nesting::Map => Type::map(object),
        }
    }
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
            .field("write_only", &self.write_only)
            .field("nested", &self.nested)
            .field("block", &self.block)
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
            nested: None,
            default: None,
            write_only: false,
            block: false,
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
    /// Makes the attribute write-only: Terraform sends its value only in the configuration,
    /// the engine hands it to create and update, and the plan and the state hold null. The
    /// schema must declare Terraform 1.11 or later ([`Schema::requires_terraform`]).
    pub fn write_only(mut self) -> Attribute {
        self.write_only = true;
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
    /// The value planned when the configuration leaves the attribute unset; the attribute must
    /// be optional and computed.
    pub fn default(mut self, v: impl Into<Value>) -> Attribute {
        self.default = Some(v.into());
        self
    }
    /// Makes this a nested attribute holding objects of `attributes`; the type given to the
    /// constructor is replaced by the implied type.
    pub fn nested(mut self, nesting: Nesting, attributes: Vec<Attribute>) -> Attribute {
        let nested = Nested {
            nesting,
            attributes,
        };
        self.ty = nested.ty();
        self.nested = Some(nested);
        self
    }

    /// A nested block of `nesting` (List or Set) holding objects of `attributes`. The engine
    /// plans it as configured (an empty list when no block is written); inner attributes that
    /// are optional and computed are left as configured (null when unset), for the resource's
    /// `modify_plan` to fill in, and the plan check allows them to differ from the
    /// configuration only where the configuration leaves them null.
    pub fn block(name: &str, nesting: Nesting, attributes: Vec<Attribute>) -> Attribute {
        let mut a = Attribute::new(name, Type::Dynamic).nested(nesting, attributes);
        a.optional = true;
        a.block = true;
        a
    }

    /// Runs this attribute's validators (and its nested attributes') on its value in `config`,
    /// as [`Schema::validate`] does for every attribute: for a value checked apart from its
    /// schema (a type several API families serve checks each family's own rules at plan).
    pub fn validate_in(&self, config: &Value, diags: &mut Diagnostics) {
        let v = config.attr(&self.name);
        if !v.is_null() && v.is_known() {
            self.validate_value(v, &AttributePath::root(&self.name), false, diags);
        }
    }

    /// Runs this attribute's validators on a known, non-null value, then those of its nested
    /// attributes on every object it holds. `pinned`: inside a set, whose elements Terraform
    /// cannot point at, so every problem is shown on the set.
    fn validate_value(
        &self,
        v: &Value,
        path: &AttributePath,
        pinned: bool,
        diags: &mut Diagnostics,
    ) {
        for check in &self.validators {
            check(v, path, diags);
        }
        let Some(nested) = &self.nested else {
            return;
        };
        let pinned = pinned || nested.nesting == Nesting::Set;
        let objects: Vec<(&Value, AttributePath)> = match nested.nesting {
            Nesting::Single => vec![(v, path.clone())],
            Nesting::Set => v
                .elements()
                .unwrap_or_default()
                .iter()
                .map(|e| (e, path.clone()))
                .collect(),
            Nesting::List => v
                .elements()
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(i, e)| (e, path.clone().index(i as i64)))
                .collect(),
            Nesting::Map => match v {
                Value::Map(m) => m.iter().map(|(k, e)| (e, path.clone().key(k))).collect(),
                _ => Vec::new(),
            },
        };
        for (object, object_path) in objects {
            if object.is_null() || !object.is_known() {
                continue;
            }
            for inner in &nested.attributes {
                let iv = object.attr(&inner.name);
                if iv.is_null() || !iv.is_known() {
                    continue;
                }
                let inner_path = if pinned {
                    object_path.clone()
                } else {
                    object_path.clone().attr(&inner.name)
                };
                inner.validate_value(iv, &inner_path, pinned, diags);
            }
        }
    }
}

/// The schema of a resource, data source or provider: a list of attributes.
///
/// Nested blocks are deliberately absent. Collections of objects whose attributes are all set
/// are typed attributes (`set(object({...}))`), which every Terraform version displays
/// correctly. Objects with optional inner attributes need nested attributes ([`Nested`]), which
/// Terraform 1.0.x crashes displaying (see the protocol notes): a schema using them declares
/// the Terraform it needs with [`Schema::requires_terraform`], and the engine enforces it.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub version: i64,
    pub description: String,
    pub attributes: Vec<Attribute>,
    /// The oldest Terraform that can use this schema, and why.
    pub min_terraform: Option<MinTerraform>,
}

/// A minimum Terraform version, declared by a schema and enforced by the engine at validate
/// and plan.
#[derive(Clone, Debug)]
pub struct MinTerraform {
    pub version: &'static str,
    /// Completes "Terraform older than VERSION ...", e.g. "crashes displaying nested attributes".
    pub reason: &'static str,
}

/// Parses `1.2.3` (any suffix such as `-dev` ignored) into comparable numbers.
pub fn parse_terraform_version(v: &str) -> Option<(u64, u64, u64)> {
    let core = v.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    Some((
        parts.next()??,
        parts.next().flatten().unwrap_or(0),
        parts.next().flatten().unwrap_or(0),
    ))
}

impl Schema {
    pub fn new(description: &str, attributes: Vec<Attribute>) -> Schema {
        Schema {
            version: 0,
            description: description.to_owned(),
            attributes,
            min_terraform: None,
        }
    }

    /// Declares the oldest Terraform this schema works with.
    pub fn requires_terraform(mut self, version: &'static str, reason: &'static str) -> Schema {
        self.min_terraform = Some(MinTerraform { version, reason });
        self
    }

    /// Whether Terraform `running` is too old for this schema; the message says why.
    pub fn terraform_too_old(&self, running: &str) -> Option<String> {
        let min = self.min_terraform.as_ref()?;
        let (have, need) = (
            parse_terraform_version(running)?,
            parse_terraform_version(min.version)?,
        );
        (have < need).then(|| {
            format!(
                "This needs Terraform {} or later; this is Terraform {running}. Terraform older than {} {}. Upgrade Terraform to use it.",
                min.version, min.version, min.reason
            )
        })
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
            a.validate_value(v, &AttributePath::root(&a.name), false, diags);
        }
    }

    /// Checks the rules Terraform applies to schemas (`internal_validate.go`), so a mistake
    /// shows up in our unit tests rather than as a Terraform error.
    pub fn check(&self) -> Result<(), String> {
        check_attributes(&self.attributes)?;
        // An optional write-only attribute is refused at validate by a Terraform older than
        // 1.11 only when it is set (so a type may offer it beside a stored alternative, as
        // `password` beside `password_wo`); a required one needs 1.11 for the whole type.
        if self.attributes.iter().any(|a| a.write_only && a.required) {
            let min = self
                .min_terraform
                .as_ref()
                .and_then(|m| parse_terraform_version(m.version));
            if min.is_none_or(|m| m < WRITE_ONLY_TERRAFORM) {
                return Err("a schema with a required write-only attribute must require Terraform 1.11.0 or later (requires_terraform)".into());
            }
        }
        Ok(())
    }

    /// Names of the write-only attributes.
    pub fn write_only_attributes(&self) -> impl Iterator<Item = &str> {
        self.attributes
            .iter()
            .filter(|a| a.write_only)
            .map(|a| a.name.as_str())
    }

    /// `v` with every write-only attribute null (what a plan or a state holds).
    pub fn without_write_only(&self, mut v: Value) -> Value {
        if matches!(v, Value::Object(_)) {
            for name in self.write_only_attributes() {
                v.set_attr(name, Value::Null);
            }
        }
        v
    }
}

/// The first Terraform with write-only attributes (plugin protocol 6.8).
pub const WRITE_ONLY_TERRAFORM: (u64, u64, u64) = (1, 11, 0);

fn check_attributes(attributes: &[Attribute]) -> Result<(), String> {
    {
        for a in attributes {
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
            if a.default.is_some() && !(a.optional && a.computed) {
                return Err(format!("{}: a default needs optional and computed", a.name));
            }
            // Terraform's rules (and terraform-plugin-framework's): a write-only value is never
            // in a plan or a state, so nothing may be planned from it.
            if a.write_only
                && (a.computed
                    || a.default.is_some()
                    || a.use_state_for_unknown
                    || a.requires_replace
                    || a.semantic_equality.is_some()
                    || a.nested.is_some())
            {
                return Err(format!(
                    "{}: a write-only attribute must be required or optional only: not computed, without default, requires_replace, use_state_for_unknown, semantic equality or nested attributes",
                    a.name
                ));
            }
            if a.block
                && (a.computed
                    || !matches!(
                        a.nested.as_ref().map(|n| n.nesting),
                        Some(Nesting::List | Nesting::Set)
                    ))
            {
                return Err(format!(
                    "{}: a block is a list or set of objects, optional, never computed",
                    a.name
                ));
            }
            if let Some(n) = &a.nested {
                // The plan rules plan a nested value as a whole (as configured, or the prior
                // value); a computed attribute inside would need per-element planning, which
                // a block's resource does in its modify_plan.
                if let Some(inner) = n
                    .attributes
                    .iter()
                    .find(|i| i.computed && !(a.block && i.optional && i.nested.is_none()))
                {
                    return Err(format!(
                        "{}.{}: computed attributes inside nested attributes are not supported",
                        a.name, inner.name
                    ));
                }
                check_attributes(&n.attributes).map_err(|e| format!("{}.{e}", a.name))?;
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
