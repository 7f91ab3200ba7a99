//! A user of InfluxDB 1.x and its grants: in 1.x, a user with per-database privileges is the
//! credential an application holds (what a token is elsewhere). This file holds what a user is
//! (its row as `SHOW USERS` and `SHOW GRANTS` describe it), how privileges are spelled and
//! compared, the statements that change them, and the per-process snapshot of every user.
//!
//! A refresh of N users costs two requests whatever N: `SHOW USERS`, then every non-admin
//! user's `SHOW GRANTS FOR` in one `POST /query` (an admin has every privilege and lists none).

pub mod resource;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::client::{statement_error, V1Client};
use super::influxql::{quote_ident, quote_string};
pub use super::models::UserRow;
use crate::influxdb::http::{HttpError, Listing};

/// One `grant` block: a privilege on a database.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub database: String,
    pub privilege: String,
}

/// The privileges a `grant` block may name.
pub const PRIVILEGES: &[&str] = &["READ", "WRITE", "ALL"];

/// A privilege in its canonical spelling (`read` → `READ`, `ALL PRIVILEGES` → `ALL`); `None`
/// for anything else (and for `NO PRIVILEGES`).
pub fn canonical_privilege(p: &str) -> Option<&'static str> {
    let up = p.trim().to_ascii_uppercase();
    let up = up.strip_suffix(" PRIVILEGES").unwrap_or(&up);
    PRIVILEGES.iter().copied().find(|k| *k == up)
}

/// The validator of `grant[*].privilege`.
pub fn check_privilege(p: &str) -> Result<(), String> {
    match canonical_privilege(p) {
        Some(_) => Ok(()),
        None => Err(format!(
            "privilege = {p:?} is not one of READ, WRITE or ALL (in any case)."
        )),
    }
}

/// Grants as database → canonical privilege. Two blocks for one database keep the last.
pub fn grant_map(grants: &[Grant]) -> BTreeMap<String, String> {
    grants
        .iter()
        .map(|g| {
            let p = canonical_privilege(&g.privilege).unwrap_or("ALL");
            (g.database.clone(), p.to_owned())
        })
        .collect()
}

/// Whether two sets of grants say the same (privileges compared case-insensitively).
pub fn same_grants(a: &[Grant], b: &[Grant]) -> bool {
    a.len() == b.len() && grant_map(a) == grant_map(b)
}

/// The server's grants as `grant` blocks, spelled as in `prior` where they say the same
/// privilege, so that a configuration writing `read` shows no change against `READ`.
pub fn grants_as_configured(server: &BTreeMap<String, String>, prior: &[Grant]) -> Vec<Grant> {
    server
        .iter()
        .map(|(db, p)| {
            let spelled = prior
                .iter()
                .find(|g| &g.database == db && canonical_privilege(&g.privilege) == Some(p))
                .map_or_else(|| p.clone(), |g| g.privilege.clone());
            Grant {
                database: db.clone(),
                privilege: spelled,
            }
        })
        .collect()
}

/// The statements that take `user` from the grants `from` to the grants `to`: a database
/// dropped from the list is revoked (`REVOKE ALL ON`), a new or changed one granted (a
/// `GRANT` replaces the privilege the user had on that database).
pub fn grant_statements(
    user: &str,
    from: &BTreeMap<String, String>,
    to: &BTreeMap<String, String>,
) -> Vec<String> {
    let u = quote_ident(user);
    let mut out = Vec::new();
    for db in from.keys().filter(|db| !to.contains_key(*db)) {
        out.push(format!("REVOKE ALL ON {} FROM {u}", quote_ident(db)));
    }
    for (db, p) in to {
        if from.get(db) != Some(p) {
            out.push(format!("GRANT {p} ON {} TO {u}", quote_ident(db)));
        }
    }
    out
}

/// `CREATE USER`; the password goes as a string literal, never into a log.
pub fn create_statement(user: &str, password: &str, admin: bool) -> String {
    crate::log::redact(password);
    let all = if admin { " WITH ALL PRIVILEGES" } else { "" };
    format!(
        "CREATE USER {} WITH PASSWORD {}{all}",
        quote_ident(user),
        quote_string(password)
    )
}

pub fn set_password_statement(user: &str, password: &str) -> String {
    crate::log::redact(password);
    format!(
        "SET PASSWORD FOR {} = {}",
        quote_ident(user),
        quote_string(password)
    )
}

pub fn admin_statement(user: &str, admin: bool) -> String {
    if admin {
        format!("GRANT ALL PRIVILEGES TO {}", quote_ident(user))
    } else {
        format!("REVOKE ALL PRIVILEGES FROM {}", quote_ident(user))
    }
}

/// Every user with its grants: two requests.
pub async fn list_users(client: &V1Client) -> Result<Vec<UserRow>, HttpError> {
    let results = client.read(&["SHOW USERS".to_owned()]).await?;
    let first = results.into_iter().next().unwrap_or_default();
    if let Some(e) = &first.error {
        return Err(statement_error(e));
    }
    let mut users: Vec<UserRow> = first
        .rows()
        .filter_map(|r| {
            Some(UserRow {
                name: r.text("user")?.to_owned(),
                admin: r.bool("admin").unwrap_or(false),
                grants: BTreeMap::new(),
            })
        })
        .collect();
    let asked: Vec<usize> = (0..users.len()).filter(|&i| !users[i].admin).collect();
    let statements: Vec<String> = asked
        .iter()
        .map(|&i| format!("SHOW GRANTS FOR {}", quote_ident(&users[i].name)))
        .collect();
    let grants = client.read(&statements).await?;
    for (k, &i) in asked.iter().enumerate() {
        let Some(result) = grants.get(k) else {
            continue;
        };
        // A user dropped between the two requests keeps no grants.
        for row in result.rows() {
            let (Some(db), Some(p)) = (row.text("database"), row.text("privilege")) else {
                continue;
            };
            if let Some(p) = canonical_privilege(p) {
                users[i].grants.insert(db.to_owned(), p.to_owned());
            }
        }
    }
    Ok(users)
}

/// Every user by name, from this process's snapshot (fetched once between writes).
pub async fn users_snapshot(client: &V1Client) -> Result<Arc<Listing<UserRow>>, HttpError> {
    client.snapshots().users.get(|| list_users(client)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(db: &str, p: &str) -> Grant {
        Grant {
            database: db.into(),
            privilege: p.into(),
        }
    }

    #[test]
    fn privileges_are_case_insensitive_and_all_privileges_is_all() {
        assert_eq!(canonical_privilege("read"), Some("READ"));
        assert_eq!(canonical_privilege("ALL PRIVILEGES"), Some("ALL"));
        assert_eq!(canonical_privilege("NO PRIVILEGES"), None);
        assert!(check_privilege("Write").is_ok());
        assert!(check_privilege("admin").is_err());
        assert!(same_grants(&[g("a", "read")], &[g("a", "READ")]));
        assert!(!same_grants(&[g("a", "read")], &[g("a", "WRITE")]));
    }

    #[test]
    fn the_servers_grants_keep_the_configured_spelling() {
        let server = BTreeMap::from([("a".to_owned(), "READ".to_owned())]);
        assert_eq!(
            grants_as_configured(&server, &[g("a", "read")]),
            [g("a", "read")]
        );
        assert_eq!(
            grants_as_configured(&server, &[g("a", "write")]),
            [g("a", "READ")]
        );
    }

    #[test]
    fn grant_changes_are_revokes_and_grants_with_names_quoted() {
        let from = grant_map(&[g("old", "READ"), g("same", "WRITE"), g("up", "READ")]);
        let to = grant_map(&[g("same", "write"), g("up", "ALL"), g(r#"we"ird"#, "READ")]);
        assert_eq!(
            grant_statements("u", &from, &to),
            [
                r#"REVOKE ALL ON "old" FROM "u""#,
                r#"GRANT ALL ON "up" TO "u""#,
                r#"GRANT READ ON "we\"ird" TO "u""#,
            ]
        );
        assert_eq!(
            set_password_statement("we\"ird 'name", r"it's\"),
            r#"SET PASSWORD FOR "we\"ird 'name" = 'it\'s\\'"#
        );
    }
}
