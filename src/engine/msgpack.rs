//! The msgpack form of values that Terraform uses for every `DynamicValue` (cty's encoding).
//!
//! Unknown is written as the fixext1 `d4 00 00`; any extension is read as unknown (refinements,
//! ext type 12, are dropped, which Terraform allows). Numbers are written as an int when they
//! are an exact int64, a float when exactly representable, and a decimal string otherwise.
//! Decoding is type-directed and never panics: malformed input is an error.

use std::collections::BTreeMap;

use rmp::Marker;

use super::types::Type;
use super::value::{Number, Value};

/// Deepest nesting accepted while decoding (types bound it, except through `dynamic`).
const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MsgpackError(pub String);

impl std::fmt::Display for MsgpackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "msgpack: {}", self.0)
    }
}
impl std::error::Error for MsgpackError {}

fn err<T>(msg: impl Into<String>) -> Result<T, MsgpackError> {
    Err(MsgpackError(msg.into()))
}

// ---------------------------------------------------------------------------------------------
// Encoding

pub fn encode(value: &Value, ty: &Type) -> Result<Vec<u8>, MsgpackError> {
    let mut out = Vec::with_capacity(64);
    write_value(&mut out, value, ty)?;
    Ok(out)
}

const UNKNOWN: [u8; 3] = [0xd4, 0x00, 0x00];

fn write_value(out: &mut Vec<u8>, value: &Value, ty: &Type) -> Result<(), MsgpackError> {
    use rmp::encode as e;
    // Writes to a Vec cannot fail; rmp's error type only matters for other writers.
    match (value, ty) {
        (Value::Unknown, _) => out.extend_from_slice(&UNKNOWN),
        (Value::Null, _) => {
            e::write_nil(out).ok();
        }
        (Value::Dynamic(t, v), Type::Dynamic) => {
            e::write_array_len(out, 2).ok();
            e::write_bin(out, &t.to_json_bytes()).ok();
            write_value(out, v, t)?;
        }
        (_, Type::Dynamic) => return err("a value in a dynamic position must carry its type"),
        (Value::Bool(b), Type::Bool) => {
            e::write_bool(out, *b).ok();
        }
        (Value::String(s), Type::String) => {
            e::write_str(out, s).ok();
        }
        (Value::Number(n), Type::Number) => write_number(out, n),
        (Value::List(v), Type::List(t)) | (Value::Set(v), Type::Set(t)) => {
            write_array_len(out, v.len())?;
            for el in v {
                write_value(out, el, t)?;
            }
        }
        (Value::Tuple(v), Type::Tuple(ts)) if v.len() == ts.len() => {
            write_array_len(out, v.len())?;
            for (el, t) in v.iter().zip(ts) {
                write_value(out, el, t)?;
            }
        }
        (Value::Map(m), Type::Map(t)) => {
            write_map_len(out, m.len())?;
            for (k, v) in m {
                e::write_str(out, k).ok();
                write_value(out, v, t)?;
            }
        }
        (Value::Object(m), Type::Object(attrs)) => {
            if let Some(k) = m.keys().find(|k| !attrs.contains_key(*k)) {
                return err(format!("unsupported attribute {k:?}"));
            }
            // cty requires every attribute of the type, in any order; we write them sorted.
            write_map_len(out, attrs.len())?;
            for (k, t) in attrs {
                e::write_str(out, k).ok();
                write_value(out, m.get(k).unwrap_or(&Value::Null), t)?;
            }
        }
        (v, t) => return err(format!("value {v:?} does not conform to type {t}")),
    }
    Ok(())
}

fn write_array_len(out: &mut Vec<u8>, n: usize) -> Result<(), MsgpackError> {
    let n = u32::try_from(n).or_else(|_| err("collection too large"))?;
    rmp::encode::write_array_len(out, n).ok();
    Ok(())
}

fn write_map_len(out: &mut Vec<u8>, n: usize) -> Result<(), MsgpackError> {
    let n = u32::try_from(n).or_else(|_| err("map too large"))?;
    rmp::encode::write_map_len(out, n).ok();
    Ok(())
}

fn write_number(out: &mut Vec<u8>, n: &Number) {
    use rmp::encode as e;
    if let Some(i) = n.as_i64() {
        e::write_sint(out, i).ok();
    } else if let Some(f) = n.as_exact_f64() {
        e::write_f64(out, f).ok();
    } else {
        e::write_str(out, &n.to_decimal_string()).ok();
    }
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Decodes `bytes` as a value of `ty`. Trailing bytes are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, MsgpackError> {
    let mut r = Reader { buf: bytes };
    let v = r.value(ty, 0)?;
    if !r.buf.is_empty() {
        return err(format!("{} trailing bytes", r.buf.len()));
    }
    Ok(v)
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], MsgpackError> {
        if self.buf.len() < n {
            return err("unexpected end of input");
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }

    fn be<const N: usize>(&mut self) -> Result<[u8; N], MsgpackError> {
        let s = self.take(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, MsgpackError> {
        Ok(self.be::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, MsgpackError> {
        Ok(u16::from_be_bytes(self.be()?))
    }
    fn u32(&mut self) -> Result<u32, MsgpackError> {
        Ok(u32::from_be_bytes(self.be()?))
    }
    fn u64(&mut self) -> Result<u64, MsgpackError> {
        Ok(u64::from_be_bytes(self.be()?))
    }

    fn marker(&mut self) -> Result<Marker, MsgpackError> {
        Ok(Marker::from_u8(self.u8()?))
    }

    /// Skips an extension's payload; `m` is its marker.
    fn skip_ext(&mut self, m: Marker) -> Result<bool, MsgpackError> {
        let len = match m {
            Marker::FixExt1 => 1,
            Marker::FixExt2 => 2,
            Marker::FixExt4 => 4,
            Marker::FixExt8 => 8,
            Marker::FixExt16 => 16,
            Marker::Ext8 => self.u8()? as usize,
            Marker::Ext16 => self.u16()? as usize,
            Marker::Ext32 => self.u32()? as usize,
            _ => return Ok(false),
        };
        let _ext_type = self.u8()?;
        self.take(len)?;
        Ok(true)
    }

    fn str_len(&mut self, m: Marker) -> Result<Option<usize>, MsgpackError> {
        Ok(Some(match m {
            Marker::FixStr(n) => n as usize,
            Marker::Str8 => self.u8()? as usize,
            Marker::Str16 => self.u16()? as usize,
            Marker::Str32 => self.u32()? as usize,
            _ => return Ok(None),
        }))
    }

    fn bin_len(&mut self, m: Marker) -> Result<Option<usize>, MsgpackError> {
        Ok(Some(match m {
            Marker::Bin8 => self.u8()? as usize,
            Marker::Bin16 => self.u16()? as usize,
            Marker::Bin32 => self.u32()? as usize,
            _ => return Ok(None),
        }))
    }

    fn array_len(&mut self, m: Marker) -> Result<Option<usize>, MsgpackError> {
        Ok(Some(match m {
            Marker::FixArray(n) => n as usize,
            Marker::Array16 => self.u16()? as usize,
            Marker::Array32 => self.u32()? as usize,
            _ => return Ok(None),
        }))
    }

    fn map_len(&mut self, m: Marker) -> Result<Option<usize>, MsgpackError> {
        Ok(Some(match m {
            Marker::FixMap(n) => n as usize,
            Marker::Map16 => self.u16()? as usize,
            Marker::Map32 => self.u32()? as usize,
            _ => return Ok(None),
        }))
    }

    fn string(&mut self) -> Result<String, MsgpackError> {
        let m = self.marker()?;
        match self.str_len(m)? {
            Some(n) => self.utf8(n),
            None => err("expected a string"),
        }
    }

    fn utf8(&mut self, n: usize) -> Result<String, MsgpackError> {
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).or_else(|_| err("string is not valid UTF-8"))
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<Value, MsgpackError> {
        if depth > MAX_DEPTH {
            return err("value nested too deeply");
        }
        let m = self.marker()?;
        if m == Marker::Null {
            return Ok(Value::Null);
        }
        if self.skip_ext(m)? {
            return Ok(Value::Unknown);
        }
        match ty {
            Type::Bool => match m {
                Marker::True => Ok(Value::Bool(true)),
                Marker::False => Ok(Value::Bool(false)),
                _ => err("expected a bool"),
            },
            Type::String => match self.str_len(m)? {
                Some(n) => Ok(Value::String(self.utf8(n)?)),
                None => err("expected a string"),
            },
            Type::Number => self.number(m).map(Value::Number),
            Type::List(t) | Type::Set(t) => {
                let n = self
                    .array_len(m)?
                    .ok_or(MsgpackError("expected an array".into()))?;
                let mut v = Vec::with_capacity(n.min(self.buf.len()));
                for _ in 0..n {
                    v.push(self.value(t, depth + 1)?);
                }
                Ok(if matches!(ty, Type::List(_)) {
                    Value::List(v)
                } else {
                    Value::Set(v)
                })
            }
            Type::Tuple(ts) => {
                let n = self
                    .array_len(m)?
                    .ok_or(MsgpackError("expected an array".into()))?;
                if n != ts.len() {
                    return err(format!(
                        "a tuple of {} elements is required ({n} given)",
                        ts.len()
                    ));
                }
                let v = ts
                    .iter()
                    .map(|t| self.value(t, depth + 1))
                    .collect::<Result<_, _>>()?;
                Ok(Value::Tuple(v))
            }
            Type::Map(t) => {
                let n = self
                    .map_len(m)?
                    .ok_or(MsgpackError("expected a map".into()))?;
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let k = self.string()?;
                    let v = self.value(t, depth + 1)?;
                    out.insert(k, v);
                }
                Ok(Value::Map(out))
            }
            Type::Object(attrs) => {
                let n = self
                    .map_len(m)?
                    .ok_or(MsgpackError("expected an object".into()))?;
                if n != attrs.len() {
                    return err(format!(
                        "an object with {} attributes is required ({n} given)",
                        attrs.len()
                    ));
                }
                let mut out = BTreeMap::new();
                for _ in 0..n {
                    let k = self.string()?;
                    let Some(t) = attrs.get(&k) else {
                        return err(format!("unsupported attribute {k:?}"));
                    };
                    let v = self.value(t, depth + 1)?;
                    if out.insert(k.clone(), v).is_some() {
                        return err(format!("duplicate attribute {k:?}"));
                    }
                }
                Ok(Value::Object(out))
            }
            Type::Dynamic => {
                if self.array_len(m)? != Some(2) {
                    return err("a dynamic value is a [type, value] pair");
                }
                let tm = self.marker()?;
                let n = match self.bin_len(tm)? {
                    Some(n) => n,
                    None => self
                        .str_len(tm)?
                        .ok_or(MsgpackError("expected type JSON".into()))?,
                };
                let t = Type::from_json_bytes(self.take(n)?)
                    .map_err(|e| MsgpackError(e.to_string()))?;
                let v = self.value(&t, depth + 1)?;
                Ok(Value::Dynamic(Box::new(t), Box::new(v)))
            }
        }
    }

    fn number(&mut self, m: Marker) -> Result<Number, MsgpackError> {
        let n = match m {
            Marker::FixPos(n) => Number::from_i64(n as i64),
            Marker::FixNeg(n) => Number::from_i64(n as i64),
            Marker::U8 => Number::from_i64(self.u8()? as i64),
            Marker::U16 => Number::from_i64(self.u16()? as i64),
            Marker::U32 => Number::from_i64(self.u32()? as i64),
            Marker::U64 => Number::Finite(self.u64()?.into()),
            Marker::I8 => Number::from_i64(self.u8()? as i8 as i64),
            Marker::I16 => Number::from_i64(self.u16()? as i16 as i64),
            Marker::I32 => Number::from_i64(self.u32()? as i32 as i64),
            Marker::I64 => Number::from_i64(self.u64()? as i64),
            Marker::F32 => float(f32::from_bits(self.u32()?) as f64)?,
            Marker::F64 => float(f64::from_bits(self.u64()?))?,
            m => match self.str_len(m)? {
                Some(n) => self.utf8(n)?.parse().map_err(MsgpackError)?,
                None => return err("expected a number"),
            },
        };
        Ok(n)
    }
}

fn float(f: f64) -> Result<Number, MsgpackError> {
    Number::from_f64(f).ok_or(MsgpackError("NaN is not a number".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_the_compact_extension() {
        assert_eq!(encode(&Value::Unknown, &Type::String).unwrap(), UNKNOWN);
        // Any extension reads as unknown, including a refined unknown (type 12).
        let refined = [0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2];
        assert_eq!(decode(&refined, &Type::String).unwrap(), Value::Unknown);
    }

    #[test]
    fn objects_carry_every_attribute() {
        let ty = Type::object([("a", Type::String), ("b", Type::Number)]);
        let mut m = BTreeMap::new();
        m.insert("a".to_owned(), Value::from("x"));
        let bytes = encode(&Value::Object(m), &ty).unwrap();
        // fixmap(2) "a" "x" "b" nil
        assert_eq!(bytes, vec![0x82, 0xa1, b'a', 0xa1, b'x', 0xa1, b'b', 0xc0]);
        // A missing attribute is an error on decode, as in cty.
        assert!(decode(&[0x81, 0xa1, b'a', 0xa1, b'x'], &ty).is_err());
    }

    #[test]
    fn numbers_use_the_narrowest_exact_form() {
        let n = |s: &str| Value::Number(s.parse().unwrap());
        assert_eq!(encode(&n("5"), &Type::Number).unwrap(), vec![0x05]);
        assert_eq!(encode(&n("1.5"), &Type::Number).unwrap()[0], 0xcb);
        let big = encode(&n("123456789012345678901234567890"), &Type::Number).unwrap();
        assert_eq!(big[0], 0xbe, "a 30-char decimal string");
        assert_eq!(
            decode(&big, &Type::Number).unwrap(),
            n("123456789012345678901234567890")
        );
        assert_eq!(
            decode(&[0xa3, b'0', b'.', b'1'], &Type::Number).unwrap(),
            n("0.1")
        );
    }

    #[test]
    fn dynamic_values_carry_their_type() {
        let v = Value::Dynamic(
            Box::new(Type::list(Type::Bool)),
            Box::new(Value::List(vec![true.into()])),
        );
        let bytes = encode(&v, &Type::Dynamic).unwrap();
        assert_eq!(decode(&bytes, &Type::Dynamic).unwrap(), v);
    }
}
