//! InfluxDB 3 Enterprise 3.11.3 gives a resource token created without an expiry an immediate
//! expiry (influxdata/influxdb#27620): the token never works. After a create that asked for no
//! expiry, an answer whose `expiry` is not later than its `created_at` shows the bug: the token
//! is deleted at once (its string must not be stored as if it worked) and the create fails,
//! saying to set `expires_at`.

use crate::influxdb::core::CoreClient;
use crate::influxdb::timestamp;

/// The server's issue.
pub const ISSUE: &str = "influxdata/influxdb#27620";

/// A server timestamp (`2026-12-05T09:02:49.505Z`, or without the `Z`, as `system.tokens`
/// shows it) as an instant.
fn instant(s: &str) -> Option<time::OffsetDateTime> {
    let zoned = if s.ends_with('Z') || s.contains('+') {
        s.to_owned()
    } else {
        format!("{s}Z")
    };
    timestamp::parse_rfc3339(&zoned).ok()
}

/// Whether a token created without an expiry came back expired: its `expiry` is set and not
/// later than its `created_at`.
pub fn expired_at_birth(created_at: &str, expiry: Option<&str>) -> bool {
    match (instant(created_at), expiry.and_then(instant)) {
        (Some(created), Some(expiry)) => expiry <= created,
        _ => false,
    }
}

/// Deletes the token `name` the server just created expired, and says what happened and what
/// to do.
pub async fn refuse_expired_token(client: &CoreClient, name: &str, expiry: &str) -> String {
    let deleted = crate::influxdb::http::cleanup(client.delete_token(name)).await;
    let outcome = match deleted {
        Ok(()) => format!("The token {name:?} was deleted again, and nothing was stored."),
        Err(e) => format!(
            "Deleting that token failed ({e}); delete it by hand (influxdb3 delete token --token-name {name:?})."
        ),
    };
    format!(
        "The server created the token {name:?} already expired (expiry {expiry}) although no expiry was asked for: a known bug of InfluxDB 3 Enterprise 3.11.3 ({ISSUE}), so the token would never work. {outcome} Set expires_at to a future time (for example a year from now) to create a working token."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expiry_at_or_before_creation_is_the_bug() {
        let at = "2026-12-05T09:02:49.505Z";
        assert!(expired_at_birth(at, Some(at)));
        assert!(expired_at_birth(at, Some("2026-12-05T09:02:49.505")));
        assert!(expired_at_birth(at, Some("2026-12-05T09:02:48Z")));
        assert!(!expired_at_birth(at, Some("2026-12-05T09:02:49.506Z")));
        assert!(!expired_at_birth(at, None));
        assert!(!expired_at_birth(at, Some("not a time")));
    }
}
