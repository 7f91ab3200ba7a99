//! The JSON form of values: the state file's `attributes` (`RawState`), JSON `DynamicValue`s, and
//! the bridge between values and the typed Rust structs resources work with.
//!
//! JSON has no unknown. Encoding an unknown is an error unless the caller asks for it to be
//! written as null (the typed-struct bridge does, since a resource sees "not yet known" as None).

use std::collections::BTreeMap;

use serde_json::Value as J;

use super::types::Type;
use super::value::{Number, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "json: {}", self.0)
    }
}
impl std::error::Error for JsonError {}

fn err<T>(msg: impl Into<String>) -> Result<T, JsonError> {
    Err(JsonError(msg.into()))
}

#[derive(Clone, Copy, Debug, Default)]
pub struct DecodeOptions {
    /// Drop object attributes the type does not have (state written by an older schema).
    pub ignore_undefined_attributes: bool,
}

pub fn decode_bytes(bytes: &[u8], ty: &Type, opts: DecodeOptions) -> Result<Value, JsonError> {
    let j: J = serde_json::from_slice(bytes).map_err(|e| JsonError(e.to_string()))?;
    decode(&j, ty, opts)
}

/// Decodes JSON as a value of `ty`. Missing object attributes are null.
pub fn decode(j: &J, ty: &Type, opts: DecodeOptions) -> Result<Value, JsonError> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    match ty {
        Type::String => match j {
            J::String(s) => Ok(Value::String(s.clone())),
            J::Number(n) => Ok(Value::String(n.to_string())),
            J::Bool(b) => Ok(Value::String(b.to_string())),
            _ => err("expected a string"),
        },
        Type::Number => match j {
            J::Number(n) => Ok(Value::Number(n.to_string().parse().map_err(JsonError)?)),
            J::String(s) => Ok(Value::Number(s.parse().map_err(JsonError)?)),
            _ => err("expected a number"),
        },
        Type::Bool => match j {
            J::Bool(b) => Ok(Value::Bool(*b)),
            J::String(s) if s == "true" => Ok(Value::Bool(true)),
            J::String(s) if s == "false" => Ok(Value::Bool(false)),
            _ => err("expected a bool"),
        },
        Type::List(t) | Type::Set(t) => {
            let J::Array(items) = j else {
                return err("expected an array");
            };
            let v = items
                .iter()
                .map(|i| decode(i, t, opts))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(if matches!(ty, Type::List(_)) {
                Value::List(v)
            } else {
                Value::Set(v)
            })
        }
        Type::Tuple(ts) => {
            let J::Array(items) = j else {
                return err("expected an array");
            };
            if items.len() != ts.len() {
                return err("wrong number of tuple elements");
            }
            Ok(Value::Tuple(
                items
                    .iter()
                    .zip(ts)
                    .map(|(i, t)| decode(i, t, opts))
                    .collect::<Result<_, _>>()?,
            ))
        }
        Type::Map(t) => {
            let J::Object(m) = j else {
                return err("expected an object");
            };
            Ok(Value::Map(
                m.iter()
                    .map(|(k, v)| Ok((k.clone(), decode(v, t, opts)?)))
                    .collect::<Result<_, JsonError>>()?,
            ))
        }
        Type::Object(attrs) => {
            let J::Object(m) = j else {
                return err("expected an object");
            };
            if !opts.ignore_undefined_attributes {
                if let Some(k) = m.keys().find(|k| !attrs.contains_key(*k)) {
                    return err(format!("unsupported attribute {k:?}"));
                }
            }
            let mut out = BTreeMap::new();
            for (k, t) in attrs {
                let v = match m.get(k) {
                    Some(v) => decode(v, t, opts)?,
                    None => Value::Null,
                };
                out.insert(k.clone(), v);
            }
            Ok(Value::Object(out))
        }
        Type::Dynamic => {
            let (Some(t), Some(v)) = (j.get("type"), j.get("value")) else {
                return err("a dynamic value is {\"value\":…,\"type\":…}");
            };
            let t = Type::from_json(t).map_err(|e| JsonError(e.to_string()))?;
            let v = decode(v, &t, opts)?;
            Ok(Value::Dynamic(Box::new(t), Box::new(v)))
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct EncodeOptions {
    /// Write unknowns as null instead of failing.
    pub unknown_as_null: bool,
}

pub fn encode(v: &Value, ty: &Type, opts: EncodeOptions) -> Result<J, JsonError> {
    Ok(match (v, ty) {
        (Value::Unknown, _) if opts.unknown_as_null => J::Null,
        (Value::Unknown, _) => return err("JSON cannot hold an unknown value"),
        (Value::Null, _) => J::Null,
        (Value::Dynamic(t, inner), Type::Dynamic) => {
            let mut m = serde_json::Map::new();
            m.insert("value".into(), encode(inner, t, opts)?);
            m.insert("type".into(), t.to_json());
            J::Object(m)
        }
        (Value::Bool(b), Type::Bool) => J::Bool(*b),
        (Value::String(s), Type::String) => J::String(s.clone()),
        (Value::Number(n), Type::Number) => number_json(n)?,
        (Value::List(items), Type::List(t)) | (Value::Set(items), Type::Set(t)) => J::Array(
            items
                .iter()
                .map(|i| encode(i, t, opts))
                .collect::<Result<_, _>>()?,
        ),
        (Value::Tuple(items), Type::Tuple(ts)) if items.len() == ts.len() => J::Array(
            items
                .iter()
                .zip(ts)
                .map(|(i, t)| encode(i, t, opts))
                .collect::<Result<_, _>>()?,
        ),
        (Value::Map(m), Type::Map(t)) => J::Object(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), encode(v, t, opts)?)))
                .collect::<Result<_, JsonError>>()?,
        ),
        (Value::Object(m), Type::Object(attrs)) => {
            if let Some(k) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return err(format!("unsupported attribute {k:?}"));
            }
            J::Object(
                attrs
                    .iter()
                    .map(|(k, t)| {
                        Ok((
                            k.clone(),
                            encode(m.get(k).unwrap_or(&Value::Null), t, opts)?,
                        ))
                    })
                    .collect::<Result<_, JsonError>>()?,
            )
        }
        (v, t) => return err(format!("value {v:?} does not conform to type {t}")),
    })
}

fn number_json(n: &Number) -> Result<J, JsonError> {
    match n {
        Number::Finite(_) => n
            .to_decimal_string()
            .parse::<serde_json::Number>()
            .map(J::Number)
            .map_err(|e| JsonError(e.to_string())),
        _ => err("JSON cannot hold an infinite number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_attributes_are_dropped_only_when_asked() {
        let ty = Type::object([("a", Type::String)]);
        let j: J = serde_json::from_str(r#"{"a":"x","gone":1}"#).unwrap();
        assert!(decode(&j, &ty, DecodeOptions::default()).is_err());
        let v = decode(
            &j,
            &ty,
            DecodeOptions {
                ignore_undefined_attributes: true,
            },
        )
        .unwrap();
        assert_eq!(v.attr("a"), &Value::from("x"));
    }

    #[test]
    fn big_numbers_keep_their_precision() {
        let j: J = serde_json::from_str("123456789012345678901234567890.5").unwrap();
        let v = decode(&j, &Type::Number, DecodeOptions::default()).unwrap();
        let back = encode(&v, &Type::Number, EncodeOptions::default()).unwrap();
        assert_eq!(back.to_string(), "123456789012345678901234567890.5");
    }
}
