//! How a request finds what it names: an object by its ID (with the server's 400, 404 and 403
//! answers), and a list's filters (`org`/`orgID`, `user`/`userID`) and page (`offset`,
//! `limit`), as every `/api/v2` collection checks them.

// The helpers below return a ready answer as their error; its size does not matter here.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;

use super::model::Store;
use super::{error, valid_id, Call};
use crate::sim::harness::http::Resp;

/// The object `id` of the collection `kind` (`"buckets"`) that `/api/v2/{kind}/{id}` finds for
/// `method`, as the server checks it: a malformed ID is 400 (`bad_id`), an unknown one 404
/// (`missing`), one the caller may not read (GET) or write (any other method) 403. `org`: the
/// object's organization, which a permission may name.
pub(super) fn found<T: Clone>(
    call: &Call<'_>,
    (method, kind, id): (&str, &str, &str),
    objects: &BTreeMap<String, T>,
    org: impl Fn(&T) -> Option<String>,
    (bad_id, missing): (&str, &str),
) -> Result<T, Resp> {
    if !valid_id(id) {
        return Err(error(400, bad_id));
    }
    let Some(o) = objects.get(id).cloned() else {
        return Err(error(404, missing));
    };
    let action = if method == "GET" { "read" } else { "write" };
    if !call.allowed(action, kind, org(&o).as_deref(), Some(id)) {
        return Err(error(403, &format!("{action}:{kind} is unauthorized")));
    }
    Ok(o)
}

/// The page of `items` a list's query asks for: `offset` (unset: from the first) and `limit`
/// (unset: all).
pub(super) fn paged<T>(items: impl Iterator<Item = T>, q: &BTreeMap<String, String>) -> Vec<T> {
    let number = |k: &str| q.get(k).and_then(|v| v.parse().ok());
    let (offset, limit) = (number("offset").unwrap_or(0), number("limit"));
    items
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .collect()
}

/// The ID of the organization named `name` (404 when there is none), as a list's `org`
/// filter finds it.
pub(super) fn org_named(s: &Store, name: &str) -> Result<String, Resp> {
    match s.orgs.values().find(|o| o.name == name) {
        Some(o) => Ok(o.id.clone()),
        None => Err(error(
            404,
            &format!("organization name \"{name}\" not found"),
        )),
    }
}

/// The organization a list filters on: `orgID`, else `org` (a name).
pub(super) fn org_filter(s: &Store, q: &BTreeMap<String, String>) -> Result<Option<String>, Resp> {
    match (q.get("orgID"), q.get("org")) {
        (Some(id), _) => Ok(Some(id.clone())),
        (None, Some(name)) => org_named(s, name).map(Some),
        (None, None) => Ok(None),
    }
}

/// The user a list of authorizations filters on: `user` (a name, 404 when none has it), else
/// `userID`; and the organization: `org` (a name), else `orgID`.
pub(super) fn owner_filters(
    s: &Store,
    q: &BTreeMap<String, String>,
) -> Result<(Option<String>, Option<String>), Resp> {
    let user_id = match q.get("user") {
        Some(name) => match s.users.values().find(|u| &u.name == name) {
            Some(u) => Some(u.id.clone()),
            None => return Err(error(404, "user not found")),
        },
        None => q.get("userID").cloned(),
    };
    let org_id = match q.get("org") {
        Some(name) => Some(org_named(s, name)?),
        None => q.get("orgID").cloned(),
    };
    Ok((user_id, org_id))
}

/// What `found` answers for an ID that is not 16 hexadecimal digits.
pub(super) const BAD_ID: &str = "id must have a length of 16 bytes";
