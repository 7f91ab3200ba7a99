//! Conversions from the engine's types to protobuf messages, for the responses of the
//! `tfplugin6.Provider` service (as terraform-plugin-go's `internal/toproto`).

use super::proto::tfplugin6 as pb;
use crate::engine::diag::{Diagnostics, Severity, Step};
use crate::engine::schema::{Attribute, Nesting};
use crate::engine::server::{IdentitySchemaInfo, ListEvent, StateResponse};
use crate::engine::{AttributePath, Schema};

// ---------------------------------------------------------------------------------------------
// Values, paths and diagnostics

/// A `DynamicValue` holding msgpack bytes (always `Some`, to chain after `Option::and_then`).
pub fn dynamic_value(bytes: Vec<u8>) -> Option<pb::DynamicValue> {
    Some(pb::DynamicValue {
        msgpack: bytes,
        json: Vec::new(),
    })
}

/// An attribute path, step by step.
pub fn attribute_path(p: &AttributePath) -> pb::AttributePath {
    use pb::attribute_path::step::Selector;
    pb::AttributePath {
        steps: p
            .0
            .iter()
            .map(|s| pb::attribute_path::Step {
                selector: Some(match s {
                    Step::Attribute(a) => Selector::AttributeName(a.clone()),
                    Step::ElementKeyString(k) => Selector::ElementKeyString(k.clone()),
                    Step::ElementKeyInt(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect(),
    }
}

/// Diagnostics, with secrets scrubbed from their text.
pub fn diagnostics(d: Diagnostics) -> Vec<pb::Diagnostic> {
    d.0.into_iter()
        .map(|d| pb::Diagnostic {
            severity: match d.severity {
                Severity::Error => pb::diagnostic::Severity::Error,
                Severity::Warning => pb::diagnostic::Severity::Warning,
            } as i32,
            summary: crate::log::scrub(&d.summary),
            detail: crate::log::scrub(&d.detail),
            attribute: d.attribute.as_ref().map(attribute_path),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Schemas and capabilities

/// One attribute; a nested attribute carries `nested_type` and no `type`.
pub fn attribute(a: &Attribute) -> pb::schema::Attribute {
    use pb::schema::object::NestingMode;
    let (r#type, nested_type) = match &a.nested {
        None => (a.ty.to_json_bytes(), None),
        Some(n) => (
            Vec::new(),
            Some(pb::schema::Object {
                attributes: n.attributes.iter().map(attribute).collect(),
                nesting: match n.nesting {
                    Nesting::Single => NestingMode::Single,
                    Nesting::List => NestingMode::List,
                    Nesting::Set => NestingMode::Set,
                    Nesting::Map => NestingMode::Map,
                } as i32,
                ..Default::default()
            }),
        ),
    };
    pb::schema::Attribute {
        name: a.name.clone(),
        r#type,
        nested_type,
        description: a.description.clone(),
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        write_only: a.write_only,
        description_kind: pb::StringKind::Markdown as i32,
        ..Default::default()
    }
}

/// A nested block (`Attribute::block`): its inner attributes as the block's attributes.
fn block(a: &Attribute) -> pb::schema::NestedBlock {
    use pb::schema::nested_block::NestingMode;
    let (inner, nesting) = match &a.nested {
        Some(n) => (
            n.attributes.iter().map(attribute).collect(),
            match n.nesting {
                Nesting::Set => NestingMode::Set,
                _ => NestingMode::List,
            },
        ),
        None => (Vec::new(), NestingMode::List),
    };
    pb::schema::NestedBlock {
        type_name: a.name.clone(),
        block: Some(pb::schema::Block {
            attributes: inner,
            description: a.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            ..Default::default()
        }),
        nesting: nesting as i32,
        ..Default::default()
    }
}

/// A schema: its attributes as one block (nested blocks among its block types), descriptions
/// in Markdown.
pub fn schema(s: &Schema) -> pb::Schema {
    pb::Schema {
        version: s.version,
        block: Some(pb::schema::Block {
            version: s.version,
            attributes: s
                .attributes
                .iter()
                .filter(|a| !a.block)
                .map(attribute)
                .collect(),
            block_types: s.attributes.iter().filter(|a| a.block).map(block).collect(),
            description: s.description.clone(),
            description_kind: pb::StringKind::Markdown as i32,
            ..Default::default()
        }),
    }
}

/// `plan_destroy`: Terraform >= 1.3 then plans destroys through PlanResourceChange, where the
/// engine can refuse them (deletion protection) before anything is applied.
/// `move_resource_state`: Terraform >= 1.8 may then hand us another type's state named in a
/// `moved` block (MoveResourceState).
pub fn server_capabilities() -> pb::ServerCapabilities {
    pb::ServerCapabilities {
        plan_destroy: true,
        move_resource_state: true,
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Responses

/// The state, private data and diagnostics of a state-producing RPC, for its response.
pub fn state_parts(r: StateResponse) -> (Option<pb::DynamicValue>, Vec<u8>, Vec<pb::Diagnostic>) {
    (
        r.state.and_then(dynamic_value),
        r.private,
        diagnostics(r.diagnostics),
    )
}

// ---------------------------------------------------------------------------------------------
// Resource identity (Terraform >= 1.12) and list results (Terraform >= 1.14, `terraform query`)

/// The identity data of an object, msgpack.
pub fn identity_data(bytes: Vec<u8>) -> pb::ResourceIdentityData {
    pb::ResourceIdentityData {
        identity_data: dynamic_value(bytes),
    }
}

/// One resource type's identity schema, keyed by type name for the response map.
pub fn identity_schema(s: &IdentitySchemaInfo) -> (String, pb::ResourceIdentitySchema) {
    let schema = pb::ResourceIdentitySchema {
        version: s.version,
        identity_attributes: s
            .attributes
            .iter()
            .map(|a| pb::resource_identity_schema::IdentityAttribute {
                name: a.name.clone(),
                r#type: a.ty.to_json_bytes(),
                required_for_import: a.required_for_import,
                optional_for_import: !a.required_for_import,
                description: a.description.clone(),
            })
            .collect(),
    };
    (s.type_name.to_owned(), schema)
}

/// One result of a list. Diagnostics travel in an event of their own, after the results.
pub fn list_event(e: ListEvent) -> pb::list_resource::Event {
    pb::list_resource::Event {
        identity: Some(identity_data(e.identity)),
        display_name: e.display_name,
        resource_object: e.resource_object.and_then(dynamic_value),
        diagnostic: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Type;

    #[test]
    fn the_provider_announces_plan_destroy_and_move_resource_state() {
        let c = server_capabilities();
        assert!(c.plan_destroy && c.move_resource_state);
    }

    #[test]
    fn a_nested_attribute_is_sent_as_nested_type_without_a_type() {
        let a = Attribute::optional("rules", Type::Dynamic).nested(
            Nesting::Set,
            vec![
                Attribute::required("action", Type::String),
                Attribute::required("target", Type::Dynamic).nested(
                    Nesting::Single,
                    vec![Attribute::optional("id", Type::String)],
                ),
            ],
        );
        let pb = attribute(&a);
        assert!(
            pb.r#type.is_empty(),
            "Terraform rejects both type and nested_type"
        );
        assert!(pb.optional && !pb.required);
        let nested = pb.nested_type.expect("nested_type");
        assert_eq!(nested.nesting, pb::schema::object::NestingMode::Set as i32);
        assert_eq!(nested.attributes.len(), 2);
        let target = &nested.attributes[1];
        assert_eq!(target.name, "target");
        let inner = target.nested_type.as_ref().expect("inner nested_type");
        assert_eq!(
            inner.nesting,
            pb::schema::object::NestingMode::Single as i32
        );
        assert_eq!(inner.attributes[0].r#type, b"\"string\"".to_vec());

        let plain = attribute(&Attribute::required("name", Type::String));
        assert!(plain.nested_type.is_none());
        assert_eq!(plain.r#type, b"\"string\"".to_vec());
    }
}
