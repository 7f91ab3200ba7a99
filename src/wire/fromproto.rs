//! Conversions from protobuf messages to the engine's types, for the requests of the
//! `tfplugin6.Provider` service (as terraform-plugin-go's `internal/fromproto`).

use super::proto::tfplugin6 as pb;
use crate::engine::server::DynamicValue;

/// A value from a request; an absent one is empty, which the engine decodes as null.
pub fn dynamic_value(v: Option<pb::DynamicValue>) -> DynamicValue {
    v.map(|v| DynamicValue {
        msgpack: v.msgpack,
        json: v.json,
    })
    .unwrap_or_default()
}

/// The JSON form of a stored state or identity; an absent one is empty.
pub fn raw_state_json(raw: Option<pb::RawState>) -> Vec<u8> {
    raw.map(|r| r.json).unwrap_or_default()
}
