//! A named admin token of InfluxDB 3 Core/Enterprise: its state, how it is read from a
//! `system.tokens` row, how `expires_at` becomes `expiry_secs`, and how an orphan left by a lost
//! create answer is found and deleted. Shared by its resource and its list resource.

pub mod list;
pub mod resource;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::client::CoreClient;
use super::models::TokenRow;
use super::utc;
use crate::influxdb::timestamp;

/// The operator token: created by the server, never managed here.
pub const OPERATOR: &str = "_admin";

#[derive(Serialize, Deserialize, Default, Clone, Debug)]
pub struct AdminTokenState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub expires_at: Option<String>,
    pub created_at: Option<String>,
    pub access_token: Option<String>,
}

/// Whether a `system.tokens` row is an admin token (Core shows `*:*:*` for every token).
pub fn is_admin(row: &TokenRow) -> bool {
    row.permissions
        .as_deref()
        .is_none_or(|p| p.trim() == "*:*:*")
}

/// The state of a token the server lists (no access token: it is never shown again).
pub fn state_from_row(row: &TokenRow) -> AdminTokenState {
    AdminTokenState {
        id: Some(row.token_id.to_string()),
        name: Some(row.name.clone()),
        expires_at: row.expiry.as_deref().map(utc),
        created_at: Some(utc(&row.created_at)),
        access_token: None,
    }
}

/// `expires_at` as the API takes it: whole seconds from now, rounded up. `Err` for a time
/// that is not in the future.
pub fn expiry_secs(expires_at: &str) -> Result<u64, String> {
    let t = timestamp::parse_rfc3339(expires_at)?;
    let secs = (t - OffsetDateTime::now_utc()).as_seconds_f64().ceil();
    if secs < 1.0 {
        return Err(format!(
            "expires_at {expires_at:?} is in the past, so the token would be expired as soon as it is created. Set a future time, or remove expires_at for a token that never expires."
        ));
    }
    Ok(secs as u64)
}

/// The sentence for a name that a token on the server already has.
pub fn name_taken(kind: &str, name: &str) -> String {
    format!(
        "A token named {name:?} already exists on the server, and token names are unique. Terraform never deletes a token it did not create. To manage that token, import it (`terraform import {kind}.NAME {name}`, or an `import` block with `id = \"{name}\"`; its access_token cannot be recovered), or choose another name."
    )
}

/// After a create whose answer was lost: the server had no token named `name` before the call
/// (checked first), so a token of that name now is the one this create made, whose string is
/// lost. It is deleted. Returns a sentence for the error message. Runs as cleanup: on its own
/// deadline, even while Terraform is stopping the provider (see [`crate::influxdb::http::stop`]).
pub async fn delete_orphan(client: &CoreClient, name: &str) -> String {
    crate::influxdb::http::cleanup(find_and_delete(client, name)).await
}

async fn find_and_delete(client: &CoreClient, name: &str) -> String {
    match client.find_token(name).await {
        Err(e) => format!(
            "A token named {name:?} may have been created on the server, and it could not be checked ({e}). Look for it (SELECT * FROM system.tokens on the _internal database) and delete it (influxdb3 delete token --token-name {name:?})."
        ),
        Ok(None) => "No token was created on the server. Run terraform apply again.".into(),
        Ok(Some(t)) => match client.delete_token(name).await {
            Ok(()) => format!(
                "The server had created token {name:?} (id {}) before the answer was lost; it was deleted, because its string was lost. Run terraform apply again.",
                t.token_id
            ),
            Err(e) => format!(
                "The server created token {name:?} but deleting it failed ({e}); delete it by hand (influxdb3 delete token --token-name {name:?})."
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_is_whole_seconds_from_now_and_in_the_future() {
        let in_an_hour = timestamp::format_api_timestamp(
            OffsetDateTime::now_utc() + time::Duration::seconds(3600),
        );
        let s = expiry_secs(&in_an_hour).unwrap();
        assert!((3599..=3600).contains(&s), "{s}");
        assert!(expiry_secs("2001-01-01T00:00:00Z")
            .unwrap_err()
            .contains("past"));
    }

    #[test]
    fn rows_of_admin_tokens_are_told_apart() {
        let mut row = TokenRow {
            token_id: 3,
            name: "ci".into(),
            created_at: "2025-04-18T14:02:45.331".into(),
            expiry: None,
            permissions: Some("*:*:*".into()),
        };
        assert!(is_admin(&row));
        let s = state_from_row(&row);
        assert_eq!(s.id.as_deref(), Some("3"));
        assert_eq!(s.created_at.as_deref(), Some("2025-04-18T14:02:45.331Z"));
        row.permissions = Some(r#"["db:a:read"]"#.into());
        assert!(!is_admin(&row));
    }
}
