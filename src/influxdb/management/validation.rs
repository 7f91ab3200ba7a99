//! Validation rules of the Management API (names, permissions, partition templates), checked at
//! plan time so a bad value fails with a clear message before any API call. Every error is a
//! sentence a Terraform user can act on.

use std::collections::HashSet;

use super::models::PartitionPart;

pub const MAX_DATABASE_NAME_LEN: usize = 64;
pub const MAX_PARTITION_PARTS: usize = 8;
pub const MAX_BUCKETS: i64 = 100_000;

/// A database name: 1 to 64 characters of `A-Z a-z 0-9 _ - /`, not starting with `_`.
pub fn validate_database_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("A database name must not be empty.".into());
    }
    let len = name.chars().count();
    if len > MAX_DATABASE_NAME_LEN {
        return Err(format!(
            "The database name {name:?} is {len} characters long; the maximum is {MAX_DATABASE_NAME_LEN}."
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/')))
    {
        return Err(format!(
            "The database name {name:?} contains {bad:?}; only letters A-Z and a-z, digits, \
             underscore (_), hyphen (-) and slash (/) are allowed."
        ));
    }
    if name.starts_with('_') {
        return Err(format!(
            "The database name {name:?} starts with an underscore, which is reserved; start it \
             with a letter or a digit."
        ));
    }
    Ok(())
}

/// A table name: the specs' `ClusterDatabaseTableName` is a string of at least one character,
/// with no other rule.
pub fn validate_table_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("A table name must not be empty.".into());
    }
    Ok(())
}

/// A permission resource: `*` (all databases) or a database name. `system:NAME` passes too:
/// `influxdb_database_token` is shared with InfluxDB 3 Enterprise, which has system
/// permissions, and this rule runs for every product; the Management family refuses them in
/// its plan ([`is_system_resource`]).
pub fn validate_permission_resource(resource: &str) -> Result<(), String> {
    if resource == "*" || is_system_resource(resource) {
        return Ok(());
    }
    validate_database_name(resource).map_err(|e| {
        format!("A permission resource must be \"*\" (all databases) or a database name. {e}")
    })
}

/// An InfluxDB 3 Enterprise system permission resource (`system:ping`, ...).
pub fn is_system_resource(resource: &str) -> bool {
    resource.starts_with("system:")
}

/// The error for a system permission on the Management API, which has none.
pub fn no_system_permissions(resource: &str) -> String {
    format!("The permission resource {resource:?} is a system permission, which only InfluxDB 3 Enterprise has; Cloud Dedicated and Clustered tokens grant databases only (a database name or \"*\").")
}

/// A permission action: `read` or `write`.
pub fn validate_action(action: &str) -> Result<(), String> {
    match action {
        "read" | "write" => Ok(()),
        other => Err(format!(
            "The permission action {other:?} is not supported; use \"read\" or \"write\"."
        )),
    }
}

/// A partition template: 1 to 8 parts, exactly one time part, non-empty values, bucket counts
/// between 1 and 100000, and no tag used twice.
pub fn validate_partition_template(parts: &[PartitionPart]) -> Result<(), String> {
    if parts.is_empty() || parts.len() > MAX_PARTITION_PARTS {
        return Err(format!(
            "A partition template must have between 1 and {MAX_PARTITION_PARTS} parts; this one has {}.",
            parts.len()
        ));
    }
    let times = parts
        .iter()
        .filter(|p| matches!(p, PartitionPart::Time(_)))
        .count();
    if times != 1 {
        return Err(format!(
            "A partition template must have exactly one time part (for example \
             {{type = \"time\", value = \"%Y-%m-%d\"}}); this one has {times}."
        ));
    }
    let mut tags = HashSet::new();
    for part in parts {
        let tag = match part {
            PartitionPart::Time(format) => {
                if format.is_empty() {
                    return Err("The time part of a partition template needs a non-empty \
                                strftime format such as \"%Y-%m-%d\"."
                        .into());
                }
                continue;
            }
            PartitionPart::Tag(tag) => tag,
            PartitionPart::Bucket(b) => {
                if !(1..=MAX_BUCKETS).contains(&b.number_of_buckets) {
                    return Err(format!(
                        "The bucket part for tag {:?} has {} buckets; the number of buckets must \
                         be between 1 and {MAX_BUCKETS}.",
                        b.tag_name, b.number_of_buckets
                    ));
                }
                &b.tag_name
            }
        };
        if tag.is_empty() {
            return Err(
                "A tag or bucket part of a partition template needs a non-empty tag name.".into(),
            );
        }
        if !tags.insert(tag.as_str()) {
            return Err(format!(
                "The tag {tag:?} appears more than once in the partition template; use each tag \
                 in at most one part."
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::influxdb::management::models::BucketPart;

    #[test]
    fn database_names_follow_the_documented_rules() {
        for ok in ["a", "mydb", "My-DB_2", "team/metrics", &"x".repeat(64)] {
            assert_eq!(validate_database_name(ok), Ok(()), "{ok}");
        }
        assert!(validate_database_name("").unwrap_err().contains("empty"));
        assert!(validate_database_name(&"x".repeat(65))
            .unwrap_err()
            .contains("maximum is 64"));
        assert!(validate_database_name("my db").unwrap_err().contains("' '"));
        assert!(validate_database_name("db.prod").is_err());
        assert!(validate_database_name("ü").is_err());
        assert!(validate_database_name("_internal")
            .unwrap_err()
            .contains("underscore"));
    }

    #[test]
    fn resources_and_actions() {
        assert!(validate_permission_resource("*").is_ok());
        assert!(validate_permission_resource("db1").is_ok());
        let e = validate_permission_resource("db*").unwrap_err();
        assert!(e.contains("\"*\" (all databases)"), "{e}");
        assert!(validate_action("read").is_ok());
        assert!(validate_action("write").is_ok());
        assert!(validate_action("READ")
            .unwrap_err()
            .contains("\"read\" or \"write\""));
        assert!(validate_action("admin").is_err());
    }

    #[test]
    fn partition_templates() {
        let time = PartitionPart::Time("%Y-%m-%d".into());
        let tag = |t: &str| PartitionPart::Tag(t.into());
        let bucket = |t: &str, n| {
            PartitionPart::Bucket(BucketPart {
                tag_name: t.into(),
                number_of_buckets: n,
            })
        };
        assert!(validate_partition_template(std::slice::from_ref(&time)).is_ok());
        assert!(
            validate_partition_template(&[tag("a"), time.clone(), bucket("b", 100_000)]).is_ok()
        );
        assert!(validate_partition_template(&[]).is_err());
        assert!(validate_partition_template(&[tag("a")])
            .unwrap_err()
            .contains("exactly one time part"));
        assert!(validate_partition_template(&[time.clone(), time.clone()]).is_err());
        assert!(validate_partition_template(&[time.clone(), bucket("b", 0)]).is_err());
        assert!(validate_partition_template(&[time.clone(), bucket("b", 100_001)]).is_err());
        assert!(
            validate_partition_template(&[time.clone(), tag("a"), bucket("a", 2)])
                .unwrap_err()
                .contains("more than once")
        );
        assert!(validate_partition_template(&[time.clone(), tag("")]).is_err());
        let mut nine = vec![time];
        nine.extend((0..8).map(|i| tag(&format!("t{i}"))));
        assert!(validate_partition_template(&nine)
            .unwrap_err()
            .contains("between 1 and 8"));
    }
}
