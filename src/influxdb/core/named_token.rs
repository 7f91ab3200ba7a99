//! What every token of InfluxDB 3 Core/Enterprise shares, admin or resource token alike: the API
//! deletes tokens by name, so a token is deleted only while the name still belongs to the token
//! Terraform made (its id), never a token someone else has since made under that name. A name
//! is unique on the server, so a create first checks that it is free, and a lost create answer
//! deletes the token of that name made since (its string is lost). Tokens cannot change: an
//! expired token is replaced, and `expires_at` keeps the configuration's spelling.

use super::admin_token::{delete_orphan, expiry_secs, name_taken};
use super::client::CoreClient;
use super::models::TokenRow;
use crate::engine::{AttributePath, Diagnostics, Listed, OrError, PlanChange, Value};
use crate::influxdb::http::{gone_is_ok, CreateError};
use crate::influxdb::timestamp;

/// Whether a planned or prior `expires_at` is past.
pub fn in_past(v: &Value) -> bool {
    v.as_str()
        .and_then(|s| timestamp::parse_rfc3339(s).ok())
        .is_some_and(|t| t <= time::OffsetDateTime::now_utc())
}

/// The plan of `expires_at` (`kind` titles the messages, e.g. "Admin token"): a create with a
/// past time fails; a token that has expired is replaced, unless its new time is past too.
pub fn plan_expiry(change: &mut PlanChange<'_>, kind: &str, diags: &mut Diagnostics) {
    let path = AttributePath::root("expires_at");
    if change.is_create() {
        if let Some(Err(e)) = change.config.attr("expires_at").as_str().map(expiry_secs) {
            diags.attribute_error(path, "expires_at is in the past", e);
        }
        return;
    }
    if !in_past(change.prior.attr("expires_at")) {
        return;
    }
    let name = change.prior.attr("name").as_str().unwrap_or("?").to_owned();
    if in_past(change.config.attr("expires_at")) {
        diags.attribute_error(
            path,
            format!("{kind} expired"),
            format!("Token {name:?} has expired. Terraform must replace it, but its expires_at is in the past, so the new token would be expired too. Set expires_at to a future time, or remove it."),
        );
    } else {
        diags.warning(
            format!("{kind} expired"),
            format!("Token {name:?} has expired; it will be replaced."),
        );
        change.force_replace("id");
    }
}

/// The planned `expires_at` as the API's `expiry_secs`; `None` with the error when it is past.
#[allow(clippy::option_option)]
pub fn planned_expiry(expires_at: Option<&str>, diags: &mut Diagnostics) -> Option<Option<u64>> {
    expires_at.map(expiry_secs).transpose().or_attribute_error(
        diags,
        "expires_at",
        "Invalid expires_at",
    )
}

/// The refreshed `expires_at`: the server's is the create time plus whole seconds, so what was
/// written is kept while both say the token expires.
pub fn kept_expiry(mine: &Option<String>, theirs: &Option<String>) -> Option<String> {
    match (mine, theirs) {
        (Some(mine), Some(_)) => Some(mine.clone()),
        (_, theirs) => theirs.clone(),
    }
}

/// Before a create: `Some(())` when no token is named `name`. A token of that name now is not
/// Terraform's: never touch it (the error names `attribute`, if any). The check also tells a
/// lost answer's orphan (made after it) from a token that existed.
pub async fn name_free(
    client: &CoreClient,
    type_name: &str,
    name: &str,
    attribute: Option<&str>,
    summary: &str,
    diags: &mut Diagnostics,
) -> Option<()> {
    match client.find_token(name).await.or_error(diags, summary)? {
        None => Some(()),
        Some(_) => {
            let detail = name_taken(type_name, name);
            match attribute {
                Some(a) => diags.attribute_error(AttributePath::root(a), summary, detail),
                None => diags.error(summary, detail),
            }
            None
        }
    }
}

/// A failed create of the token `name`: a name taken meanwhile, or a lost answer (the token of
/// that name, made by this call, is deleted: its string is lost), or any other error. Always
/// `None`, the create's answer.
pub async fn create_failed<T>(
    client: &CoreClient,
    type_name: &str,
    name: &str,
    e: CreateError,
    summary: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    if e.error.is_conflict() {
        diags.error(
            summary,
            format!("{}\n\n{}", e.error, name_taken(type_name, name)),
        );
    } else if e.may_have_been_created() {
        let cleanup = delete_orphan(client, name).await;
        diags.error(summary, format!("{e}\n\n{cleanup}"));
    } else {
        diags.error(summary, e.to_string());
    }
    None
}

/// The tokens of `rows` that `keep` keeps, oldest first, as a list resource shows them.
pub fn listed<S>(
    mut rows: Vec<TokenRow>,
    keep: impl Fn(&TokenRow) -> bool,
    state: impl Fn(&TokenRow) -> S,
) -> Vec<Listed<S>> {
    rows.retain(keep);
    rows.sort_by_key(|t| t.token_id);
    rows.iter()
        .map(|t| Listed {
            display_name: format!("{} ({})", t.name, t.token_id),
            state: state(t),
        })
        .collect()
}

/// Deletes the token `name` if it is still the one with `id` (`kind` names it in messages,
/// e.g. "admin token"). A token already gone is deleted; one of that name with another id is
/// left alone, with a warning.
pub async fn delete_if_ours(
    client: &CoreClient,
    name: &str,
    id: Option<&str>,
    kind: &str,
    diags: &mut Diagnostics,
) {
    let summary = format!("Deleting the {kind} failed");
    match client.find_token(name).await {
        Ok(None) => return,
        Ok(Some(row)) if id.is_some_and(|id| id != row.token_id.to_string()) => {
            diags.warning(
                format!("{} not deleted", capitalised(kind)),
                format!("The token named {name:?} on the server (id {}) is not the one Terraform created (id {}), so it was left alone.", row.token_id, id.unwrap_or("?")),
            );
            return;
        }
        Ok(Some(_)) => {}
        Err(e) => {
            diags.error(summary, e.to_string());
            return;
        }
    }
    if let Err(e) = gone_is_ok(client.delete_token(name).await) {
        diags.error(summary, e.to_string());
    }
}

/// The server's row of the token `name`, for a refresh, while it is still the one with `id`.
/// `None` (with a warning) when the token is gone, or when another token now has the name (the
/// next apply then fails rather than touch a token Terraform did not create; `rename` says what
/// the user can change instead, e.g. "name"), and (with an error) when it cannot be read.
pub async fn read_if_ours(
    client: &CoreClient,
    name: &str,
    id: Option<&str>,
    kind: &str,
    rename: &str,
    diags: &mut Diagnostics,
) -> Option<TokenRow> {
    match client.read_token(name).await {
        Ok(Some(row)) if id.is_some_and(|id| id != row.token_id.to_string()) => {
            diags.warning(
                format!("{} replaced outside Terraform", capitalised(kind)),
                format!("The token named {name:?} that Terraform created (id {}) was deleted, and the server now has another token of that name (id {}). It is removed from the state; the next apply fails rather than touch a token Terraform did not create. Import that token, or choose another {rename}.", id.unwrap_or("?"), row.token_id),
            );
            None
        }
        Ok(Some(row)) => Some(row),
        Ok(None) => {
            diags.warning(
                format!("{} deleted outside Terraform", capitalised(kind)),
                format!("Token {name:?} no longer exists. It is removed from the state and the next apply creates a new one."),
            );
            None
        }
        Err(e) => {
            diags.error(format!("Reading the {kind} failed"), e.to_string());
            None
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
