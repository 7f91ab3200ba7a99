//! Reading the attributes of another provider's JSON state: what each migration shares.
//!
//! Every reader names the attribute it could not read, so that a refused move says which one.
//! SDKv2 providers write `""` for an unset optional string; [`text`] reads it as null, as our
//! resources do.

use serde_json::{Map, Value as J};

use crate::influxdb::duration::format_duration;

const NS_PER_SEC: i64 = 1_000_000_000;

/// The state's attributes.
pub fn object(j: &J) -> Result<&Map<String, J>, String> {
    j.as_object()
        .ok_or_else(|| "the state is not a JSON object".to_owned())
}

/// A string attribute; absent, null or `""` is null.
pub fn text(m: &Map<String, J>, key: &str) -> Result<J, String> {
    match m.get(key) {
        None | Some(J::Null) => Ok(J::Null),
        Some(J::String(s)) if s.is_empty() => Ok(J::Null),
        Some(J::String(s)) => Ok(J::String(s.clone())),
        Some(other) => Err(format!("`{key}` is {}, not a string", kind(other))),
    }
}

/// A string attribute that must be set (an ID, a name, a token string).
pub fn required_text(m: &Map<String, J>, key: &str) -> Result<J, String> {
    match text(m, key)? {
        J::Null => Err(format!("`{key}` is missing or empty")),
        s => Ok(s),
    }
}

/// An `influxdb_bucket` of ours from what every source's bucket has alike (its ID,
/// organization, name and description), with `retention_period` and the attributes `also`
/// (already mapped) added; never protected against deletion, as ours by default.
pub fn bucket(m: &Map<String, J>, retention: J, also: &[(&str, J)]) -> Result<J, String> {
    let mut ours = Map::new();
    ours.insert("id".into(), required_text(m, "id")?);
    ours.insert("org_id".into(), text(m, "org_id")?);
    ours.insert("name".into(), required_text(m, "name")?);
    ours.insert("description".into(), text(m, "description")?);
    ours.insert("retention_period".into(), retention);
    for (key, value) in also {
        ours.insert((*key).into(), value.clone());
    }
    ours.insert("deletion_protection".into(), J::Bool(false));
    Ok(J::Object(ours))
}

/// An `influxdb_authorization` of ours from what every source's authorization has alike: its
/// ID, its token string (null when they imported the authorization, as ours after an import),
/// status, description, organization and user, the string attributes `also` has too, and
/// `permissions`, already mapped.
pub fn authorization(m: &Map<String, J>, also: &[&str], permissions: Vec<J>) -> Result<J, String> {
    let mut ours = Map::new();
    ours.insert("id".into(), required_text(m, "id")?);
    for key in ["token", "status", "description", "org_id", "user_id"]
        .iter()
        .chain(also)
    {
        ours.insert((*key).into(), text(m, key)?);
    }
    ours.insert("permissions".into(), J::Array(permissions));
    Ok(J::Object(ours))
}

/// A whole-number attribute; absent or null is null.
pub fn integer(m: &Map<String, J>, key: &str) -> Result<Option<i64>, String> {
    match m.get(key) {
        None | Some(J::Null) => Ok(None),
        Some(J::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("`{key}` is not a whole number ({n})")),
        Some(other) => Err(format!("`{key}` is {}, not a number", kind(other))),
    }
}

/// A list (or set) attribute's elements; absent or null is none.
pub fn elements<'a>(m: &'a Map<String, J>, key: &str) -> Result<&'a [J], String> {
    match m.get(key) {
        None | Some(J::Null) => Ok(&[]),
        Some(J::Array(a)) => Ok(a),
        Some(other) => Err(format!("`{key}` is {}, not a list", kind(other))),
    }
}

/// What a JSON value is, for an error: never the value itself, which may be a secret.
fn kind(j: &J) -> &'static str {
    match j {
        J::Null => "null",
        J::Bool(_) => "a boolean",
        J::Number(_) => "a number",
        J::String(_) => "a string",
        J::Array(_) => "a list",
        J::Object(_) => "an object",
    }
}

/// A number of seconds as our duration string (`2592000` is `"30d"`, `0` is `"0s"`).
pub fn seconds(secs: i64, key: &str) -> Result<J, String> {
    if secs < 0 {
        return Err(format!("`{key}` is negative ({secs})"));
    }
    Ok(J::String(format_duration(secs.saturating_mul(NS_PER_SEC))))
}

/// A number of nanoseconds as our duration string.
pub fn nanoseconds(ns: i64, key: &str) -> Result<J, String> {
    if ns < 0 {
        return Err(format!("`{key}` is negative ({ns})"));
    }
    Ok(J::String(format_duration(ns)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_empty_string_is_null_and_a_wrong_type_names_the_attribute() {
        let j = json!({"a": "", "b": "x", "c": 3});
        let m = object(&j).unwrap();
        assert_eq!(text(m, "a").unwrap(), J::Null);
        assert_eq!(text(m, "b").unwrap(), json!("x"));
        assert_eq!(text(m, "c").unwrap_err(), "`c` is a number, not a string");
        let secret = json!({"token": ["s3cr3t"]});
        let e = text(object(&secret).unwrap(), "token").unwrap_err();
        assert!(!e.contains("s3cr3t"), "a value never reaches an error: {e}");
        assert!(required_text(m, "a").unwrap_err().contains("`a`"));
    }

    #[test]
    fn durations_are_written_in_their_canonical_form() {
        assert_eq!(seconds(2_592_000, "r").unwrap(), json!("30d"));
        assert_eq!(seconds(0, "r").unwrap(), json!("0s"));
        assert_eq!(nanoseconds(3_600_000_000_000, "r").unwrap(), json!("1h"));
        assert!(seconds(-1, "r").is_err());
    }
}
