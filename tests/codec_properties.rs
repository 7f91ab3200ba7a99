//! Property tests for the value codecs: msgpack and JSON round-trips of random values of random
//! types (unknowns, nulls, big numbers, nested sets, maps, objects, dynamic values), and
//! decoding of random bytes, which must return an error and never panic.

use std::collections::BTreeMap;

use proptest::prelude::*;
use terraform_provider_influxdb::engine::json::{self, DecodeOptions, EncodeOptions};
use terraform_provider_influxdb::engine::{msgpack, Number, Type, Value};

fn leaf_type() -> impl Strategy<Value = Type> {
    prop_oneof![Just(Type::String), Just(Type::Number), Just(Type::Bool)]
}

fn any_type() -> impl Strategy<Value = Type> {
    let name = "[a-z][a-z0-9_]{0,6}";
    prop_oneof![leaf_type(), Just(Type::Dynamic)].prop_recursive(4, 24, 4, move |inner| {
        prop_oneof![
            inner.clone().prop_map(Type::list),
            inner.clone().prop_map(Type::set),
            inner.clone().prop_map(Type::map),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Type::Tuple),
            prop::collection::btree_map(name, inner, 0..4).prop_map(Type::Object),
        ]
    })
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from_i64),
        any::<u64>().prop_map(|u| u.to_string().parse().unwrap()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Number::from_f64(f).unwrap()),
        // Integers far beyond 64 bits, and decimals with no exact float.
        "-?[1-9][0-9]{20,60}".prop_map(|s| s.parse().unwrap()),
        "-?[0-9]{1,20}\\.[0-9]{1,30}".prop_map(|s| s.parse().unwrap()),
        Just(Number::PosInfinity),
        Just(Number::NegInfinity),
    ]
}

/// A random value of `ty`; `json_safe` leaves out what JSON cannot hold (unknowns, infinities).
fn value_of(ty: Type, json_safe: bool) -> BoxedStrategy<Value> {
    let known: BoxedStrategy<Value> = match ty.clone() {
        Type::String => ".{0,12}".prop_map(Value::String).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Number => number()
            .prop_filter("JSON has no infinity", move |n| {
                !json_safe || matches!(n, Number::Finite(_))
            })
            .prop_map(Value::Number)
            .boxed(),
        Type::List(t) => prop::collection::vec(value_of(*t, json_safe), 0..4)
            .prop_map(Value::List)
            .boxed(),
        Type::Set(t) => prop::collection::vec(value_of(*t, json_safe), 0..4)
            .prop_map(Value::Set)
            .boxed(),
        Type::Map(t) => prop::collection::btree_map(".{0,6}", value_of(*t, json_safe), 0..4)
            .prop_map(Value::Map)
            .boxed(),
        Type::Tuple(ts) => ts
            .into_iter()
            .map(|t| value_of(t, json_safe))
            .collect::<Vec<_>>()
            .prop_map(Value::Tuple)
            .boxed(),
        Type::Object(attrs) => attrs
            .into_iter()
            .map(|(k, t)| value_of(t, json_safe).prop_map(move |v| (k.clone(), v)))
            .collect::<Vec<_>>()
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<BTreeMap<_, _>>()))
            .boxed(),
        // A dynamic position holds a value of some concrete type, with that type.
        Type::Dynamic => leaf_type()
            .prop_flat_map(move |t| {
                value_of(t.clone(), json_safe)
                    .prop_map(move |v| Value::Dynamic(Box::new(t.clone()), Box::new(v)))
            })
            .boxed(),
    };
    if json_safe {
        prop_oneof![1 => Just(Value::Null), 6 => known].boxed()
    } else {
        prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 6 => known].boxed()
    }
}

fn typed_value(json_safe: bool) -> impl Strategy<Value = (Type, Value)> {
    any_type()
        .prop_flat_map(move |t| value_of(t.clone(), json_safe).prop_map(move |v| (t.clone(), v)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn msgpack_round_trips((ty, v) in typed_value(false)) {
        let bytes = msgpack::encode(&v, &ty).expect("encode");
        let back = msgpack::decode(&bytes, &ty).expect("decode");
        prop_assert_eq!(back, v);
    }

    #[test]
    fn json_round_trips((ty, v) in typed_value(true)) {
        let j = json::encode(&v, &ty, EncodeOptions::default()).expect("encode");
        let text = j.to_string();
        let back = json::decode_bytes(text.as_bytes(), &ty, DecodeOptions::default()).expect("decode");
        prop_assert_eq!(back, v);
    }

    #[test]
    fn type_json_round_trips(ty in any_type()) {
        prop_assert_eq!(Type::from_json_bytes(&ty.to_json_bytes()).unwrap(), ty);
    }

    #[test]
    fn random_bytes_never_panic(ty in any_type(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        // Either an error or a value that encodes back; never a panic.
        if let Ok(v) = msgpack::decode(&bytes, &ty) {
            prop_assert!(msgpack::encode(&v, &ty).is_ok());
        }
        let _ = json::decode_bytes(&bytes, &ty, DecodeOptions::default());
        let _ = Type::from_json_bytes(&bytes);
    }

    #[test]
    fn truncated_encodings_are_errors((ty, v) in typed_value(false)) {
        let bytes = msgpack::encode(&v, &ty).unwrap();
        for cut in 0..bytes.len() {
            prop_assert!(msgpack::decode(&bytes[..cut], &ty).is_err(), "cut at {}", cut);
        }
    }
}

#[test]
fn deeply_nested_dynamic_input_is_an_error_not_a_stack_overflow() {
    // [type=dynamic-list, [ [type, [ ... ]] ]] nested far beyond any schema.
    let mut bytes = Vec::new();
    for _ in 0..10_000 {
        bytes.extend_from_slice(&[0x92, 0xc4, 9]);
        bytes.extend_from_slice(b"\"dynamic\"");
    }
    bytes.push(0xc0);
    assert!(msgpack::decode(&bytes, &Type::Dynamic).is_err());
}

#[test]
fn huge_declared_lengths_do_not_allocate() {
    // An array header claiming 4 billion elements, followed by nothing.
    let bytes = [0xdd, 0xff, 0xff, 0xff, 0xff];
    assert!(msgpack::decode(&bytes, &Type::list(Type::String)).is_err());
}
