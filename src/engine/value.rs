//! Terraform values: known, null or unknown, for every type Terraform can send.
//!
//! A `Value` does not carry its type (nulls and unknowns are untyped here); the schema's
//! [`Type`] travels beside it, as in terraform-plugin-go's `tftypes`. The one exception is a
//! value in a `dynamic` position, which keeps its concrete type in [`Value::Dynamic`] so that it
//! can be written back.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use bigdecimal::{BigDecimal, ToPrimitive};

use super::types::Type;

/// A Terraform number: arbitrary-precision decimal, or an infinity.
#[derive(Clone, Debug)]
pub enum Number {
    Finite(BigDecimal),
    PosInfinity,
    NegInfinity,
}

impl Number {
    pub fn from_i64(i: i64) -> Number {
        Number::Finite(BigDecimal::from(i))
    }

    /// Exact conversion from a float; NaN is not a Terraform number.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            None
        } else if f == f64::INFINITY {
            Some(Number::PosInfinity)
        } else if f == f64::NEG_INFINITY {
            Some(Number::NegInfinity)
        } else {
            BigDecimal::try_from(f).ok().map(Number::Finite)
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Finite(d) if d.is_integer() => d.to_i64(),
            _ => None,
        }
    }

    /// The float with exactly this value, if there is one.
    pub fn as_exact_f64(&self) -> Option<f64> {
        match self {
            Number::PosInfinity => Some(f64::INFINITY),
            Number::NegInfinity => Some(f64::NEG_INFINITY),
            Number::Finite(d) => {
                let f = d.to_f64()?;
                (f.is_finite() && BigDecimal::try_from(f).ok().as_ref() == Some(d)).then_some(f)
            }
        }
    }

    /// Decimal text without exponent, as cty writes numbers it cannot put in an int or float.
    pub fn to_decimal_string(&self) -> String {
        match self {
            Number::Finite(d) => {
                let n = d.normalized();
                if n.is_integer() {
                    n.with_scale(0).to_string()
                } else {
                    n.to_plain_string()
                }
            }
            Number::PosInfinity => "+Inf".into(),
            Number::NegInfinity => "-Inf".into(),
        }
    }
}

impl FromStr for Number {
    type Err = String;
    fn from_str(s: &str) -> Result<Number, String> {
        match s {
            "+Inf" | "Inf" | "inf" | "+inf" => return Ok(Number::PosInfinity),
            "-Inf" | "-inf" => return Ok(Number::NegInfinity),
            _ => {}
        }
        // Guard against pathological exponents ("1e999999999") that would allocate without end.
        if let Some(pos) = s.find(['e', 'E']) {
            let exp: i64 = s[pos + 1..]
                .parse()
                .map_err(|_| format!("invalid number {s:?}"))?;
            if exp.abs() > 100_000 {
                return Err(format!("number {s:?} is out of range"));
            }
        }
        if s.len() > 100_000 {
            return Err("number is too long".into());
        }
        BigDecimal::from_str(s)
            .map(Number::Finite)
            .map_err(|_| format!("invalid number {s:?}"))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Finite(a), Number::Finite(b)) => a == b,
            (Number::PosInfinity, Number::PosInfinity) => true,
            (Number::NegInfinity, Number::NegInfinity) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

/// A value. Collections may hold unknowns at any depth.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    /// Set elements in no particular order; equality ignores the order.
    Set(Vec<Value>),
    Tuple(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    /// A value in a `dynamic` position, with its concrete type.
    Dynamic(Box<Type>, Box<Value>),
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        use Value::*;
        match (self, other) {
            (Null, Null) | (Unknown, Unknown) => true,
            (Bool(a), Bool(b)) => a == b,
            (Number(a), Number(b)) => a == b,
            (String(a), String(b)) => a == b,
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => a == b,
            (Set(a), Set(b)) => set_eq(a, b),
            (Map(a), Map(b)) | (Object(a), Object(b)) => a == b,
            (Dynamic(ta, a), Dynamic(tb, b)) => ta == tb && a == b,
            _ => false,
        }
    }
}

/// Set equality: same size and every element of one matched by a distinct element of the other.
fn set_eq(a: &[Value], b: &[Value]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    a.iter().all(
        |x| match b.iter().enumerate().find(|(i, y)| !used[*i] && x == *y) {
            Some((i, _)) => {
                used[i] = true;
                true
            }
            None => false,
        },
    )
}

impl Value {
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Known at the top level (it may still contain unknowns inside).
    pub fn is_known(&self) -> bool {
        !matches!(self, Value::Unknown)
    }

    /// No unknown anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            Value::Dynamic(_, v) => v.is_wholly_known(),
            _ => true,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The elements of a list, set or tuple.
    pub fn elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v),
            _ => None,
        }
    }

    /// An attribute of an object; null when the object is null or lacks it.
    pub fn attr(&self, name: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self {
            Value::Object(m) => m.get(name).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    pub fn attr_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(name),
            _ => None,
        }
    }

    pub fn set_attr(&mut self, name: &str, v: Value) {
        if let Value::Object(m) = self {
            m.insert(name.to_owned(), v);
        }
    }

    /// The null value of an object type with every attribute present and null: Terraform's
    /// "empty value" of a schema.
    pub fn empty_object(ty: &Type) -> Value {
        match ty {
            Type::Object(attrs) => {
                Value::Object(attrs.keys().map(|k| (k.clone(), Value::Null)).collect())
            }
            _ => Value::Null,
        }
    }

    /// Checks that this value can be written as `ty`.
    pub fn conforms(&self, ty: &Type) -> Result<(), String> {
        match (self, ty) {
            (Value::Null | Value::Unknown, _) => Ok(()),
            (Value::Dynamic(t, v), Type::Dynamic) => v.conforms(t),
            (_, Type::Dynamic) => Err("a value in a dynamic position must carry its type".into()),
            (Value::Bool(_), Type::Bool)
            | (Value::Number(_), Type::Number)
            | (Value::String(_), Type::String) => Ok(()),
            (Value::List(v), Type::List(t)) | (Value::Set(v), Type::Set(t)) => {
                v.iter().try_for_each(|e| e.conforms(t))
            }
            (Value::Map(m), Type::Map(t)) => m.values().try_for_each(|e| e.conforms(t)),
            (Value::Tuple(v), Type::Tuple(ts)) if v.len() == ts.len() => {
                v.iter().zip(ts).try_for_each(|(e, t)| e.conforms(t))
            }
            (Value::Object(m), Type::Object(attrs)) => {
                if let Some(k) = m.keys().find(|k| !attrs.contains_key(*k)) {
                    return Err(format!("unsupported attribute {k:?}"));
                }
                attrs
                    .iter()
                    .try_for_each(|(k, t)| m.get(k).unwrap_or(&Value::Null).conforms(t))
            }
            (v, t) => Err(format!("{} is not a {t}", v.kind())),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "unknown",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Set(_) => "a set",
            Value::Tuple(_) => "a tuple",
            Value::Map(_) => "a map",
            Value::Object(_) => "an object",
            Value::Dynamic(..) => "a dynamic value",
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(Number::from_i64(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_compare_without_order() {
        let a = Value::Set(vec!["x".into(), "y".into()]);
        let b = Value::Set(vec!["y".into(), "x".into()]);
        assert_eq!(a, b);
        assert_ne!(a, Value::Set(vec!["x".into(), "x".into()]));
    }

    #[test]
    fn numbers_compare_by_value() {
        let a: Number = "1.50".parse().unwrap();
        let b: Number = "1.5".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_exact_f64(), Some(1.5));
        let big: Number = "123456789012345678901234567890".parse().unwrap();
        assert_eq!(big.as_i64(), None);
        assert_eq!(big.as_exact_f64(), None);
        assert_eq!(big.to_decimal_string(), "123456789012345678901234567890");
        let tenth: Number = "0.1".parse().unwrap();
        assert_eq!(tenth.as_exact_f64(), None, "0.1 has no exact float");
        assert!("1e99999999999".parse::<Number>().is_err());
    }
}
