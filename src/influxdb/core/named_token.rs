//! What every token of InfluxDB 3 Core/Enterprise shares, admin or resource token alike: the API
//! deletes tokens by name, so a token is deleted only while the name still belongs to the token
//! Terraform made (its id), never a token someone else has since made under that name.

use super::client::CoreClient;
use super::models::TokenRow;
use crate::engine::Diagnostics;
use crate::influxdb::http::gone_is_ok;

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
