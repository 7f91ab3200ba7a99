//! Database tokens: list, get, create (the only answer that shows the access token), update,
//! and delete, which revokes (the token stays visible with its `revokedAt`).

use uuid::Uuid;

use super::model::{CreateTokenBody, TokenRecord, UpdateTokenBody};
use super::{bad_request, error, not_found, now, parse_body, rules, Management};
use crate::sim::harness::http::{json_response, no_content, sha512_hex, Resp};

/// A new access token: `apiv1_` and 64 hex digits, like the real ones.
fn random_access_token() -> String {
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        for b in bytes.iter_mut() {
            *b = fastrand::u8(..);
        }
    }
    let mut s = String::with_capacity(70);
    s.push_str("apiv1_");
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

impl Management {
    pub(super) fn list_tokens(&self) -> Resp {
        let store = self.lock();
        let mut list: Vec<TokenRecord> =
            store.tokens.values().map(|t| self.token_view(t)).collect();
        list.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        json_response(200, &list)
    }

    pub(super) fn get_token(&self, id: Uuid) -> Resp {
        match self.lock().tokens.get(&id) {
            Some(t) => json_response(200, &self.token_view(t)),
            None => not_found(),
        }
    }

    pub(super) fn create_token(&self, body: &[u8]) -> Resp {
        let b: CreateTokenBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        let permissions = match rules::permissions(b.permissions.unwrap_or_default()) {
            Ok(p) => p,
            Err(e) => return bad_request(e),
        };
        if let Some(kind) = &b.expiration_type {
            if kind != "datetime" && kind != "noExpiration" {
                return bad_request(format!(
                    "expirationType must be \"datetime\" or \"noExpiration\", got {kind:?}"
                ));
            }
        }
        let expires_at = match &b.expires_at {
            Some(s) => match rules::timestamp(s.trim()) {
                Ok(t) => Some(rules::format_timestamp(t)),
                Err(e) => return bad_request(format!("expiresAt: {e}")),
            },
            None => None,
        };
        let id = Uuid::new_v4();
        let token = TokenRecord {
            account_id: None,
            cluster_id: None,
            id: id.to_string(),
            description: b.description,
            permissions,
            created_at: now(),
            expires_at,
            revoked_at: None,
            access_token: None,
        };
        let secret = random_access_token();
        let mut store = self.lock();
        store.tokens.insert(id, token.clone());
        store.access_token_sha512.insert(id, sha512_hex(&secret));
        let mut view = self.token_view(&token);
        view.access_token = Some(secret);
        json_response(200, &view)
    }

    pub(super) fn update_token(&self, id: Uuid, body: &[u8]) -> Resp {
        let b: UpdateTokenBody = match parse_body(body) {
            Ok(b) => b,
            Err(e) => return bad_request(e),
        };
        if b.description.is_none() && b.permissions.is_none() {
            return bad_request("the body must set at least one of description or permissions");
        }
        let permissions = match b.permissions.map(rules::permissions).transpose() {
            Ok(p) => p,
            Err(e) => return bad_request(e),
        };
        let mut store = self.lock();
        let Some(token) = store.tokens.get_mut(&id) else {
            return not_found();
        };
        if token.revoked_at.is_some() {
            return error(409, "conflict: the token has been revoked");
        }
        if let Some(d) = b.description {
            token.description = d;
        }
        if let Some(p) = permissions {
            token.permissions = p;
        }
        json_response(200, &self.token_view(token))
    }

    /// Revokes: idempotent, the first `revokedAt` is kept.
    pub(super) fn delete_token(&self, id: Uuid) -> Resp {
        let mut store = self.lock();
        let Some(token) = store.tokens.get_mut(&id) else {
            return not_found();
        };
        if token.revoked_at.is_none() {
            token.revoked_at = Some(now());
        }
        no_content()
    }
}
