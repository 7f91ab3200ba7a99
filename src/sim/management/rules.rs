//! The simulator's validation, written from the specs' schemas (and, where marked, from the
//! product documentation), independently of the provider's checks in `src/influxdb/names.rs`.
//! Each function returns the message of a 400 answer.

use std::collections::HashSet;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::model::{BucketValue, SimPermission, TemplatePart};

/// `ClusterDatabaseName`: 1 to 64 characters (spec). Docs ("Database naming restrictions"):
/// only `A-Z a-z 0-9 _ - /`, and no leading `_` (reserved).
pub fn database_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if !(1..=64).contains(&n) {
        return Err(format!(
            "name must be 1 to 64 characters long, got {n} ({name:?})"
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && !"_-/".contains(*c))
    {
        return Err(format!("name {name:?} contains the character {c:?}"));
    }
    if name.starts_with('_') {
        return Err(format!("name {name:?} must not start with an underscore"));
    }
    Ok(())
}

/// `ClusterDatabaseTableName`: a string of at least one character (the spec's only rule).
pub fn table_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the table name must be at least 1 character long".into());
    }
    Ok(())
}

/// `DatabaseTokenPermission`: `action` is a plain string in the spec; the docs and influxctl
/// know only `read` and `write`. `resource` is a `ClusterDatabaseName` or `*`.
pub fn permissions(perms: Vec<SimPermission>) -> Result<Vec<SimPermission>, String> {
    let mut perms = perms;
    for p in &perms {
        if p.action != "read" && p.action != "write" {
            return Err(format!(
                "permission action {:?} is not \"read\" or \"write\"",
                p.action
            ));
        }
        if p.resource != "*" {
            database_name(&p.resource)
                .map_err(|e| format!("permission resource is not \"*\" or a database: {e}"))?;
        }
    }
    perms.sort_by(|a, b| (&a.resource, &a.action).cmp(&(&b.resource, &b.action)));
    Ok(perms)
}

/// `ClusterDatabaseMaxTables` / `ClusterDatabaseMaxColumnsPerTable`: int32, minimum 1.
pub fn limit(name: &str, v: Option<i64>) -> Result<(), String> {
    match v {
        Some(n) if !(1..=i64::from(i32::MAX)).contains(&n) => Err(format!(
            "{name} must be between 1 and {}, got {n}",
            i32::MAX
        )),
        _ => Ok(()),
    }
}

/// `ClusterDatabaseRetentionPeriod`: int64, minimum 0 (0 = infinite).
pub fn retention(v: Option<i64>) -> Result<(), String> {
    match v {
        Some(n) if n < 0 => Err(format!(
            "retentionPeriod must be 0 (infinite) or a positive number of nanoseconds, got {n}"
        )),
        _ => Ok(()),
    }
}

/// A create's optional `partitionTemplate` (absent: none), checked as [`partition_template`].
pub fn optional_template(
    items: Option<&[serde_json::Value]>,
) -> Result<Option<Vec<TemplatePart>>, String> {
    items.map(partition_template).transpose()
}

/// `ClusterDatabasePartitionTemplate`: 1 to 8 unique items, each a tag part (value: string,
/// minLength 1), a time part (value: string, minLength 1) or a bucket part (`tagName` minLength
/// 1, `numberOfBuckets` 1 to 100000). Docs (custom partitions): exactly one time part, and a
/// tag used by at most one part.
pub fn partition_template(items: &[serde_json::Value]) -> Result<Vec<TemplatePart>, String> {
    if items.is_empty() || items.len() > 8 {
        return Err(format!(
            "partitionTemplate must have 1 to 8 parts, got {}",
            items.len()
        ));
    }
    let mut seen = HashSet::new();
    let mut parts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if !seen.insert(item.to_string()) {
            return Err(format!("partitionTemplate[{i}] repeats an earlier part"));
        }
        parts.push(template_part(i, item)?);
    }
    let times = parts
        .iter()
        .filter(|p| matches!(p, TemplatePart::Time(_)))
        .count();
    if times != 1 {
        return Err(format!(
            "partitionTemplate must have exactly one time part, got {times}"
        ));
    }
    let mut tags = HashSet::new();
    for p in &parts {
        let tag = match p {
            TemplatePart::Tag(t) => t,
            TemplatePart::Bucket(b) => &b.tag_name,
            TemplatePart::Time(_) => continue,
        };
        if !tags.insert(tag.clone()) {
            return Err(format!(
                "partitionTemplate uses the tag {tag:?} in more than one part"
            ));
        }
    }
    Ok(parts)
}

fn template_part(i: usize, item: &serde_json::Value) -> Result<TemplatePart, String> {
    let obj = item
        .as_object()
        .ok_or_else(|| format!("partitionTemplate[{i}] is not an object"))?;
    if let Some(k) = obj.keys().find(|k| *k != "type" && *k != "value") {
        return Err(format!(
            "partitionTemplate[{i}] has the unknown field {k:?}"
        ));
    }
    let value = obj
        .get("value")
        .ok_or_else(|| format!("partitionTemplate[{i}] has no value"))?;
    let string_value = |what: &str| match value.as_str() {
        Some(s) if !s.is_empty() => Ok(s.to_owned()),
        Some(_) => Err(format!(
            "partitionTemplate[{i}]: a {what} value must not be empty"
        )),
        None => Err(format!(
            "partitionTemplate[{i}]: a {what} value must be a string"
        )),
    };
    match obj.get("type").and_then(|t| t.as_str()) {
        Some("tag") => Ok(TemplatePart::Tag(string_value("tag")?)),
        Some("time") => Ok(TemplatePart::Time(string_value("time")?)),
        Some("bucket") => {
            let b: BucketValue = serde_json::from_value(value.clone()).map_err(|e| {
                format!(
                    "partitionTemplate[{i}]: a bucket value is {{tagName, numberOfBuckets}} ({e})"
                )
            })?;
            if b.tag_name.is_empty() {
                return Err(format!("partitionTemplate[{i}]: tagName must not be empty"));
            }
            if !(1..=100_000).contains(&b.number_of_buckets) {
                return Err(format!(
                    "partitionTemplate[{i}]: numberOfBuckets must be between 1 and 100000, got {}",
                    b.number_of_buckets
                ));
            }
            Ok(TemplatePart::Bucket(b))
        }
        other => Err(format!(
            "partitionTemplate[{i}]: type must be \"tag\", \"time\" or \"bucket\", got {other:?}"
        )),
    }
}

/// `DateTimeRfc3339`: any offset, optional fraction.
pub fn timestamp(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| format!("{s:?} is not an RFC 3339 date-time ({e})"))
}

/// How the simulator writes timestamps: UTC with milliseconds, as the spec's examples
/// (`2023-12-21T17:32:28.000Z`).
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names() {
        assert!(database_name("team/metrics-1_a").is_ok());
        assert!(database_name(&"a".repeat(64)).is_ok());
        assert!(database_name(&"a".repeat(65)).is_err());
        assert!(database_name("").is_err());
        assert!(database_name("a b").is_err());
        assert!(database_name("_x").is_err());
        assert!(table_name("cpu load").is_ok());
        assert!(table_name("").is_err());
    }

    #[test]
    fn partition_templates_follow_the_spec() {
        let ok = partition_template(&[
            json!({"type": "time", "value": "%Y"}),
            json!({"type": "tag", "value": "a"}),
            json!({"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 10}}),
        ])
        .unwrap();
        assert_eq!(ok.len(), 3);
        let time = json!({"type": "time", "value": "%Y"});
        for (bad, why) in [
            (vec![], "1 to 8"),
            (
                vec![json!({"type": "tag", "value": "a"})],
                "exactly one time",
            ),
            (vec![time.clone(), time.clone()], "repeats"),
            (
                vec![time.clone(), json!({"type": "tag", "value": ""})],
                "empty",
            ),
            (
                vec![time.clone(), json!({"type": "month", "value": "x"})],
                "type must be",
            ),
            (
                vec![
                    time.clone(),
                    json!({"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 0}}),
                ],
                "between 1 and 100000",
            ),
            (
                vec![
                    time.clone(),
                    json!({"type": "tag", "value": "c"}),
                    json!({"type": "bucket", "value": {"tagName": "c", "numberOfBuckets": 2}}),
                ],
                "more than one part",
            ),
        ] {
            let e = partition_template(&bad).unwrap_err();
            assert!(e.contains(why), "{why}: {e}");
        }
        let mut nine = vec![time];
        nine.extend((0..8).map(|i| json!({"type": "tag", "value": format!("t{i}")})));
        assert!(partition_template(&nine).unwrap_err().contains("1 to 8"));
    }

    #[test]
    fn timestamps() {
        let t = timestamp("2030-01-01T01:00:00.5+01:00").unwrap();
        assert_eq!(format_timestamp(t), "2030-01-01T00:00:00.500Z");
        assert!(timestamp("2030-01-01").is_err());
    }
}
