//! Partition templates, as the `influxdb_database` and `influxdb_table` resources (and the
//! database data sources) write them: a plain typed attribute `list(object({ type = string,
//! value = string }))` (no nested attributes or blocks, which Terraform 1.0.3 cannot display).
//! A `"bucket"` part's value is `"TAG,N"`, the tag name and the number of buckets, as influxctl's
//! `--template-tag-bucket TAG,N`; the tag name is everything before the last comma.
//!
//! One concept, one file: the conversion to and from the API's parts, the plan-time validation
//! (with the attribute named) and the semantic equality (`"c,0100"` is `"c,100"`) are shared by
//! every schema that holds a template.

use serde::{Deserialize, Serialize};

use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Type, Value};
use crate::influxdb::management::models::{BucketPart, PartitionPart};
use crate::influxdb::management::validation;

/// One part of a partition template as Terraform sees it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TemplatePart {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub value: Option<String>,
}

pub fn template_part_type() -> Type {
    Type::object([("type", Type::String), ("value", Type::String)])
}

pub const PARTITION_TEMPLATE_DOC: &str = "How data is partitioned: a list of `{ type, value }` parts, in order. `type` is `\"time\"` (value: a strftime format such as `\"%Y-%m-%d\"`), `\"tag\"` (value: a tag name) or `\"bucket\"` (value: `\"TAG,N\"`, a tag name and a number of buckets from 1 to 100000, hashing the tag's values into N buckets; the tag name is what precedes the last comma). Exactly one time part and up to seven tag or bucket parts; a tag appears in at most one part.";

/// Converts the Terraform form of one part to the API's.
fn part_to_api(i: usize, p: &TemplatePart) -> Result<PartitionPart, String> {
    let (Some(kind), Some(value)) = (&p.kind, &p.value) else {
        return Err(format!(
            "partition_template[{i}] needs both a type and a value."
        ));
    };
    match kind.as_str() {
        "time" => Ok(PartitionPart::Time(value.clone())),
        "tag" => Ok(PartitionPart::Tag(value.clone())),
        "bucket" => {
            let bad = || {
                format!(
                    "partition_template[{i}] is a bucket part, whose value is \"TAG,N\": a tag name, a comma, and the number of buckets (for example \"customer_id,100\"); {value:?} is not."
                )
            };
            let (tag, n) = value.rsplit_once(',').ok_or_else(bad)?;
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let number_of_buckets = n.parse().map_err(|_| bad())?;
            Ok(PartitionPart::Bucket(BucketPart {
                tag_name: tag.to_owned(),
                number_of_buckets,
            }))
        }
        other => Err(format!(
            "partition_template[{i}] has type {other:?}; use \"time\", \"tag\" or \"bucket\"."
        )),
    }
}

/// A planned template (if any) for the API, or `None` with the error on `partition_template`.
#[allow(clippy::option_option)]
pub fn planned(
    parts: Option<&[TemplatePart]>,
    diags: &mut Diagnostics,
) -> Option<Option<Vec<PartitionPart>>> {
    match parts.map(template_to_api).transpose() {
        Ok(p) => Some(p),
        Err(e) => {
            diags.attribute_error(
                AttributePath::root("partition_template"),
                "Invalid partition_template",
                e,
            );
            None
        }
    }
}

/// Converts and checks a whole template (the API's rules, with the attribute named).
pub fn template_to_api(parts: &[TemplatePart]) -> Result<Vec<PartitionPart>, String> {
    let api = parts
        .iter()
        .enumerate()
        .map(|(i, p)| part_to_api(i, p))
        .collect::<Result<Vec<_>, _>>()?;
    validation::validate_partition_template(&api)
        .map_err(|e| format!("partition_template: {e}"))?;
    Ok(api)
}

pub fn template_from_api(parts: &[PartitionPart]) -> Vec<TemplatePart> {
    parts
        .iter()
        .map(|p| {
            let (kind, value) = match p {
                PartitionPart::Time(f) => ("time", f.clone()),
                PartitionPart::Tag(t) => ("tag", t.clone()),
                PartitionPart::Bucket(b) => {
                    ("bucket", format!("{},{}", b.tag_name, b.number_of_buckets))
                }
            };
            TemplatePart {
                kind: Some(kind.to_owned()),
                value: Some(value),
            }
        })
        .collect()
}

fn template_of(v: &Value) -> Option<Vec<TemplatePart>> {
    let parts = v.elements()?;
    parts
        .iter()
        .map(|p| {
            let s = |n: &str| p.attr(n).as_str().map(str::to_owned);
            p.is_known().then(|| TemplatePart {
                kind: s("type"),
                value: s("value"),
            })
        })
        .collect()
}

/// `"customer_id,0100"` and `"customer_id,100"` are the same bucket part.
pub fn same_template(a: &Value, b: &Value) -> bool {
    match (template_of(a), template_of(b)) {
        (Some(a), Some(b)) => {
            matches!((template_to_api(&a), template_to_api(&b)), (Ok(a), Ok(b)) if a == b)
        }
        _ => false,
    }
}

pub fn validate_template(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let Some(parts) = v.elements() else {
        return;
    };
    // Parts still unknown (computed from other resources) are checked at apply.
    if !v.is_wholly_known() {
        return;
    }
    let mut typed = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if p.is_null() {
            diags.attribute_error(
                path.clone(),
                "Invalid partition_template",
                format!("partition_template[{i}] is null; every part needs a type and a value."),
            );
            return;
        }
        let s = |n: &str| p.attr(n).as_str().map(str::to_owned);
        typed.push(TemplatePart {
            kind: s("type"),
            value: s("value"),
        });
    }
    if let Err(e) = template_to_api(&typed) {
        diags.attribute_error(path.clone(), "Invalid partition_template", e);
    }
}

/// An optional attribute named `name` holding a template, validated at plan time and compared
/// by meaning. The caller adds the description and the plan behaviour.
pub fn attribute(name: &str, optional_computed: bool) -> Attribute {
    let a = if optional_computed {
        Attribute::optional_computed(name, Type::list(template_part_type()))
    } else {
        Attribute::optional(name, Type::list(template_part_type()))
    };
    a.validate(validate_template)
        .semantic_equality(same_template)
}

/// A part as a configuration writes it, for the tests of every schema that holds a template.
#[cfg(test)]
pub fn part_value(t: &str, v: &str) -> Value {
    let mut m = std::collections::BTreeMap::new();
    m.insert("type".to_owned(), Value::from(t));
    m.insert("value".to_owned(), Value::from(v));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_templates_convert_and_validate() {
        let tp = |k: &str, v: &str| TemplatePart {
            kind: Some(k.into()),
            value: Some(v.into()),
        };
        let api = template_to_api(&[
            tp("tag", "region"),
            tp("bucket", "a,b,100"),
            tp("time", "%Y"),
        ])
        .unwrap();
        assert_eq!(
            api,
            vec![
                PartitionPart::Tag("region".into()),
                PartitionPart::Bucket(BucketPart {
                    tag_name: "a,b".into(),
                    number_of_buckets: 100
                }),
                PartitionPart::Time("%Y".into()),
            ]
        );
        assert_eq!(
            template_from_api(&api),
            vec![
                tp("tag", "region"),
                tp("bucket", "a,b,100"),
                tp("time", "%Y")
            ]
        );
        for (bad, why) in [
            (vec![tp("tag", "a")], "exactly one time part"),
            (vec![tp("time", "%Y"), tp("month", "x")], "type \"month\""),
            (vec![tp("time", "%Y"), tp("bucket", "a")], "\"TAG,N\""),
            (vec![tp("time", "%Y"), tp("bucket", "a, 10")], "\"TAG,N\""),
            (
                vec![tp("time", "%Y"), tp("bucket", "a,0")],
                "between 1 and 100000",
            ),
            (
                vec![
                    tp("time", "%Y"),
                    TemplatePart {
                        kind: Some("tag".into()),
                        value: None,
                    },
                ],
                "both a type and a value",
            ),
        ] {
            let e = template_to_api(&bad).unwrap_err();
            assert!(e.contains("partition_template"), "{e}");
            assert!(e.contains(why), "{why}: {e}");
        }
        let mut eight = vec![tp("time", "%Y")];
        eight.extend((0..8).map(|i| tp("tag", &format!("t{i}"))));
        assert!(template_to_api(&eight)
            .unwrap_err()
            .contains("between 1 and 8"));
    }
}
