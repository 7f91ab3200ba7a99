//! Terraform's type system (cty) and its JSON form, which schemas carry in `Attribute.type`.

use std::collections::BTreeMap;
use std::fmt;

/// A Terraform type. `Dynamic` is cty's `DynamicPseudoType` ("any type").
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(BTreeMap<String, Type>),
    Tuple(Vec<Type>),
    Dynamic,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError(pub String);

impl fmt::Display for TypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid type: {}", self.0)
    }
}
impl std::error::Error for TypeError {}

impl Type {
    pub fn list(t: Type) -> Type {
        Type::List(Box::new(t))
    }
    pub fn set(t: Type) -> Type {
        Type::Set(Box::new(t))
    }
    pub fn map(t: Type) -> Type {
        Type::Map(Box::new(t))
    }
    pub fn object<I, K>(attrs: I) -> Type
    where
        I: IntoIterator<Item = (K, Type)>,
        K: Into<String>,
    {
        Type::Object(attrs.into_iter().map(|(k, t)| (k.into(), t)).collect())
    }

    /// The cty JSON form: `"string"`, `["list","number"]`, `["object",{"a":"bool"}]`, ...
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(t) => J::Array(vec!["list".into(), t.to_json()]),
            Type::Set(t) => J::Array(vec!["set".into(), t.to_json()]),
            Type::Map(t) => J::Array(vec!["map".into(), t.to_json()]),
            Type::Tuple(ts) => J::Array(vec![
                "tuple".into(),
                J::Array(ts.iter().map(Type::to_json).collect()),
            ]),
            Type::Object(attrs) => J::Array(vec![
                "object".into(),
                J::Object(
                    attrs
                        .iter()
                        .map(|(k, t)| (k.clone(), t.to_json()))
                        .collect(),
                ),
            ]),
        }
    }

    pub fn to_json_bytes(&self) -> Vec<u8> {
        self.to_json().to_string().into_bytes()
    }

    pub fn from_json_bytes(bytes: &[u8]) -> Result<Type, TypeError> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| TypeError(e.to_string()))?;
        Type::from_json(&v)
    }

    pub fn from_json(v: &serde_json::Value) -> Result<Type, TypeError> {
        use serde_json::Value as J;
        match v {
            J::String(s) => match s.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                other => Err(TypeError(format!("unknown primitive type {other:?}"))),
            },
            J::Array(parts) if parts.len() >= 2 => {
                let kind = parts[0]
                    .as_str()
                    .ok_or_else(|| TypeError("type kind must be a string".into()))?;
                match (kind, &parts[1]) {
                    ("list", t) if parts.len() == 2 => Ok(Type::list(Type::from_json(t)?)),
                    ("set", t) if parts.len() == 2 => Ok(Type::set(Type::from_json(t)?)),
                    ("map", t) if parts.len() == 2 => Ok(Type::map(Type::from_json(t)?)),
                    ("tuple", J::Array(ts)) if parts.len() == 2 => Ok(Type::Tuple(
                        ts.iter().map(Type::from_json).collect::<Result<_, _>>()?,
                    )),
                    // A third element lists optional attributes (function and variable types
                    // only); the value shape is the same.
                    ("object", J::Object(attrs)) if parts.len() <= 3 => Ok(Type::Object(
                        attrs
                            .iter()
                            .map(|(k, t)| Ok((k.clone(), Type::from_json(t)?)))
                            .collect::<Result<_, TypeError>>()?,
                    )),
                    _ => Err(TypeError(format!("malformed {kind} type"))),
                }
            }
            _ => Err(TypeError("a type is a string or an array".into())),
        }
    }

    /// The element type of a list, set or map.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(t) | Type::Set(t) | Type::Map(t) => Some(t),
            _ => None,
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&Type> {
        match self {
            Type::Object(attrs) => attrs.get(name),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("any"),
            Type::List(t) => write!(f, "list({t})"),
            Type::Set(t) => write!(f, "set({t})"),
            Type::Map(t) => write!(f, "map({t})"),
            Type::Tuple(ts) => {
                f.write_str("tuple([")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str("])")
            }
            Type::Object(attrs) => {
                f.write_str("object({")?;
                for (i, (k, t)) in attrs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={t}")?;
                }
                f.write_str("})")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cty_json_matches_terraform() {
        let t = Type::set(Type::object([
            ("action", Type::String),
            ("resource", Type::String),
        ]));
        assert_eq!(
            String::from_utf8(t.to_json_bytes()).unwrap(),
            r#"["set",["object",{"action":"string","resource":"string"}]]"#
        );
        assert_eq!(Type::String.to_json_bytes(), br#""string""#);
        assert_eq!(Type::from_json_bytes(&t.to_json_bytes()).unwrap(), t);
    }

    #[test]
    fn malformed_types_are_errors() {
        for bad in [
            r#""strin""#,
            r#"["list"]"#,
            r#"["object",[]]"#,
            "7",
            r#"[1,2]"#,
        ] {
            assert!(Type::from_json_bytes(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
