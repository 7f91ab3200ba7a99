//! The `## Schema` section of a page, generated from a schema in the registry's format (that of
//! HashiCorp's tfplugindocs): attributes grouped as Required, Optional and Read-Only, each with
//! its type, `Sensitive` when it is, and its description; then a "Nested Schema" section for
//! every attribute whose type holds objects, listing the objects' attributes.
//!
//! Everything is converted first to [`DocAttribute`], the documentation's view of an attribute:
//! objects inside a typed attribute (`list(object({...}))`) take the attribute's group and have
//! no descriptions; protocol 6 nested attributes (`nested_type`) bring their own descriptions and
//! modes. Both render the same way.
//!
//! A resource identity (Terraform 1.12+) renders as its own list ([`identity`]).

use crate::engine::identity::TypedIdentityAttribute;
use crate::engine::schema::Nesting;
use crate::engine::{Attribute, Schema, Type};

/// Where an attribute is listed: what the user may or must write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Required,
    Optional,
    ReadOnly,
}

impl Group {
    const ALL: [Group; 3] = [Group::Required, Group::Optional, Group::ReadOnly];

    fn title(self) -> &'static str {
        match self {
            Group::Required => "Required",
            Group::Optional => "Optional",
            Group::ReadOnly => "Read-Only",
        }
    }

    fn of(a: &Attribute) -> Group {
        if a.required {
            Group::Required
        } else if a.optional {
            Group::Optional
        } else {
            Group::ReadOnly
        }
    }
}

/// An attribute as the documentation shows it.
#[derive(Clone, Debug)]
pub struct DocAttribute {
    pub name: String,
    /// `String`, `List of Object`, ...
    pub type_label: String,
    pub description: String,
    pub group: Group,
    pub sensitive: bool,
    /// The attributes of the objects this attribute holds, if any: documented in a nested
    /// section.
    pub nested: Vec<DocAttribute>,
}

impl DocAttribute {
    pub fn from_attribute(a: &Attribute) -> DocAttribute {
        let group = Group::of(a);
        let (type_label, nested) = match &a.nested {
            // A nested attribute: its inner attributes have their own modes and descriptions.
            Some(n) => (
                if a.block {
                    block_label(n.nesting).to_owned()
                } else {
                    nesting_label(n.nesting).to_owned()
                },
                n.attributes
                    .iter()
                    .map(DocAttribute::from_attribute)
                    .collect(),
            ),
            None => (type_label(&a.ty), object_fields(&a.ty, group)),
        };
        DocAttribute {
            name: a.name.clone(),
            type_label,
            description: a.description.clone(),
            group,
            sensitive: a.sensitive,
            nested,
        }
    }
}

/// The attributes of the object type inside `ty` (through lists, sets and maps). An object
/// type's attributes have no description or mode of their own: they take the attribute's group.
fn object_fields(ty: &Type, group: Group) -> Vec<DocAttribute> {
    match ty {
        Type::List(t) | Type::Set(t) | Type::Map(t) => object_fields(t, group),
        Type::Object(attrs) => attrs
            .iter()
            .map(|(name, t)| DocAttribute {
                name: name.clone(),
                type_label: type_label(t),
                description: String::new(),
                group,
                sensitive: false,
                nested: object_fields(t, group),
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A nested block's type as the registry (tfplugindocs) writes it.
fn block_label(n: Nesting) -> &'static str {
    match n {
        Nesting::Set => "Block Set",
        _ => "Block List",
    }
}

/// A nested attribute's type as the registry (tfplugindocs) writes it.
fn nesting_label(n: Nesting) -> &'static str {
    match n {
        Nesting::Single => "Attributes",
        Nesting::List => "Attributes List",
        Nesting::Set => "Attributes Set",
        Nesting::Map => "Attributes Map",
    }
}

/// The type as the registry writes it: `String`, `Boolean`, `Set of Object`, `Map of String`.
pub fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(t) => format!("List of {}", type_label(t)),
        Type::Set(t) => format!("Set of {}", type_label(t)),
        Type::Map(t) => format!("Map of {}", type_label(t)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

/// The `## Schema` section of `schema`, ending with a newline.
pub fn schema(schema: &Schema) -> String {
    let attrs: Vec<DocAttribute> = schema
        .attributes
        .iter()
        .map(DocAttribute::from_attribute)
        .collect();
    let mut out = String::from("## Schema\n");
    let mut nested = Vec::new();
    for group in Group::ALL {
        let members: Vec<&DocAttribute> = attrs.iter().filter(|a| a.group == group).collect();
        if members.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {}\n\n", group.title()));
        for a in members {
            out.push_str(&item(a, &[]));
            collect_nested(a, &[], &mut nested);
        }
    }
    for (path, a) in nested {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n### Nested Schema for `{}`\n",
            anchor(&path),
            path.join(".")
        ));
        for group in Group::ALL {
            let members: Vec<&DocAttribute> =
                a.nested.iter().filter(|n| n.group == group).collect();
            if members.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{}:\n\n", group.title()));
            for n in members {
                out.push_str(&item(n, &path));
            }
        }
    }
    out
}

/// The attributes of a resource identity, grouped as required in an `import { identity = ...
/// }` block (they make the import ID) and optional (checked against the imported object when
/// given), ending with a newline.
pub fn identity(attributes: &[TypedIdentityAttribute]) -> String {
    let mut out = String::new();
    for (title, required) in [
        ("Required in an import identity", true),
        ("Optional in an import identity", false),
    ] {
        let members: Vec<&TypedIdentityAttribute> = attributes
            .iter()
            .filter(|a| a.required_for_import == required)
            .collect();
        if members.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("### {title}\n\n"));
        for a in members {
            out.push_str(&item(
                &DocAttribute {
                    name: a.name.clone(),
                    type_label: type_label(&a.ty),
                    description: a.description.clone(),
                    group: Group::Required,
                    sensitive: false,
                    nested: Vec::new(),
                },
                &[],
            ));
        }
    }
    out
}

/// Every attribute with nested attributes, depth first, with its path.
fn collect_nested<'a>(
    a: &'a DocAttribute,
    parent: &[String],
    out: &mut Vec<(Vec<String>, &'a DocAttribute)>,
) {
    if a.nested.is_empty() {
        return;
    }
    let mut path = parent.to_vec();
    path.push(a.name.clone());
    out.push((path.clone(), a));
    for n in &a.nested {
        collect_nested(n, &path, out);
    }
}

fn anchor(path: &[String]) -> String {
    format!("nestedatt--{}", path.join("--"))
}

/// `- `name` (Type, Sensitive) Description (see below for nested schema)` and a newline.
fn item(a: &DocAttribute, parent: &[String]) -> String {
    let mut line = format!("- `{}` ({}", a.name, a.type_label);
    if a.sensitive {
        line.push_str(", Sensitive");
    }
    line.push(')');
    let description = a.description.trim();
    if !description.is_empty() {
        line.push(' ');
        line.push_str(description);
    }
    if !a.nested.is_empty() {
        let mut path = parent.to_vec();
        path.push(a.name.clone());
        line.push_str(&format!(
            " (see [below for nested schema](#{}))",
            anchor(&path)
        ));
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_types_sensitivity_and_nested_objects() {
        let s = Schema::new(
            "",
            vec![
                Attribute::computed("id", Type::String).describe("The ID."),
                Attribute::required(
                    "parts",
                    Type::list(Type::object([
                        ("kind", Type::String),
                        ("inner", Type::object([("n", Type::Number)])),
                    ])),
                )
                .describe("The parts."),
                Attribute::optional_computed("flag", Type::Bool),
                Attribute::computed("secret", Type::map(Type::String)).sensitive(),
            ],
        );
        assert_eq!(
            schema(&s),
            "## Schema\n\
             \n### Required\n\n\
             - `parts` (List of Object) The parts. (see [below for nested schema](#nestedatt--parts))\n\
             \n### Optional\n\n\
             - `flag` (Boolean)\n\
             \n### Read-Only\n\n\
             - `id` (String) The ID.\n\
             - `secret` (Map of String, Sensitive)\n\
             \n<a id=\"nestedatt--parts\"></a>\n### Nested Schema for `parts`\n\
             \nRequired:\n\n\
             - `inner` (Object) (see [below for nested schema](#nestedatt--parts--inner))\n\
             - `kind` (String)\n\
             \n<a id=\"nestedatt--parts--inner\"></a>\n### Nested Schema for `parts.inner`\n\
             \nRequired:\n\n\
             - `n` (Number)\n"
        );
    }

    #[test]
    fn nested_attributes_have_their_own_modes_and_descriptions() {
        let s = Schema::new(
            "",
            vec![Attribute::required("rules", Type::Dynamic)
                .describe("The rules.")
                .nested(
                    Nesting::Set,
                    vec![
                        Attribute::required("action", Type::String).describe("What to do."),
                        Attribute::optional("target", Type::Dynamic)
                            .describe("On what.")
                            .nested(
                                Nesting::Single,
                                vec![Attribute::optional("id", Type::String)
                                    .describe("Its ID.")
                                    .sensitive()],
                            ),
                    ],
                )],
        );
        assert_eq!(
            schema(&s),
            "## Schema\n\
             \n### Required\n\n\
             - `rules` (Attributes Set) The rules. (see [below for nested schema](#nestedatt--rules))\n\
             \n<a id=\"nestedatt--rules\"></a>\n### Nested Schema for `rules`\n\
             \nRequired:\n\n\
             - `action` (String) What to do.\n\
             \nOptional:\n\n\
             - `target` (Attributes) On what. (see [below for nested schema](#nestedatt--rules--target))\n\
             \n<a id=\"nestedatt--rules--target\"></a>\n### Nested Schema for `rules.target`\n\
             \nOptional:\n\n\
             - `id` (String, Sensitive) Its ID.\n"
        );
    }

    #[test]
    fn identity_attributes_are_grouped_by_what_an_import_needs() {
        let attr = |name: &str, required_for_import| TypedIdentityAttribute {
            name: name.into(),
            ty: Type::String,
            description: format!("The {name}."),
            required_for_import,
        };
        assert_eq!(
            identity(&[attr("name", true), attr("zone", false)]),
            "### Required in an import identity\n\n- `name` (String) The name.\n\n\
             ### Optional in an import identity\n\n- `zone` (String) The zone.\n"
        );
    }
}
