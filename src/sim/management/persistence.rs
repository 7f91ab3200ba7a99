//! This family's state file: tokens, databases (with tables and data markers) and token hashes.
//! Access tokens are never stored: like the real service, the simulator keeps a SHA-512 of
//! each one, which is enough to tell which token a string is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{DatabaseRecord, TokenRecord};
use super::{parse_uuid, Management};

/// What the state file holds.
#[derive(Default, Serialize, Deserialize)]
struct Persisted {
    tokens: Vec<TokenRecord>,
    databases: Vec<DatabaseRecord>,
    #[serde(default)]
    access_token_sha512: BTreeMap<String, String>,
}

impl Management {
    /// The state file's content (pretty JSON).
    pub(super) fn persisted(&self) -> Option<Vec<u8>> {
        let store = self.lock();
        let p = Persisted {
            tokens: store.tokens.values().cloned().collect(),
            databases: store.databases.values().cloned().collect(),
            access_token_sha512: store
                .access_token_sha512
                .iter()
                .map(|(id, h)| (id.to_string(), h.clone()))
                .collect(),
        };
        serde_json::to_vec_pretty(&p).ok()
    }

    /// Adds what a state file holds; numeric IDs go on from the highest one in it.
    pub(super) fn load(&self, saved: &[u8]) -> Result<(), String> {
        let p: Persisted = serde_json::from_slice(saved).map_err(|e| e.to_string())?;
        let mut store = self.lock();
        for mut t in p.tokens {
            t.access_token = None;
            if let Some(id) = parse_uuid(&t.id) {
                store.tokens.insert(id, t);
            }
        }
        for d in p.databases {
            store.last_id = store.last_id.max(d.id);
            for t in d.tables.values() {
                store.last_id = store.last_id.max(t.id);
            }
            store.databases.insert(d.name.clone(), d);
        }
        for (id, h) in p.access_token_sha512 {
            if let Some(id) = parse_uuid(&id) {
                store.access_token_sha512.insert(id, h);
            }
        }
        Ok(())
    }
}
