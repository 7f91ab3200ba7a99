//! A continuous query of InfluxDB 1.x: what `SHOW CONTINUOUS QUERIES` says of it (one series
//! per database, each row a name and the stored `CREATE CONTINUOUS QUERY` text), the
//! statements that make and drop it, and the per-process snapshot of every query (one
//! request for all of them). The stored text is the server's rewrite of what was sent;
//! [`text`] compares the two by meaning.

pub mod resource;
pub mod text;

use std::sync::Arc;

use super::client::{statement_error, V1Client};
use super::influxql::quote_ident;
pub use super::models::ContinuousQueryRow;
use crate::influxdb::http::{HttpError, Listing};

/// `DATABASE:NAME`.
pub fn id_of(database: &str, name: &str) -> String {
    format!("{database}:{name}")
}

/// The statement that makes the query. `resample` is the clause after `RESAMPLE`.
pub fn create_statement(name: &str, database: &str, resample: Option<&str>, query: &str) -> String {
    let resample = resample
        .map(|r| {
            let r = r.trim();
            let r = r
                .strip_prefix("RESAMPLE ")
                .or_else(|| r.strip_prefix("resample "))
                .unwrap_or(r);
            format!(" RESAMPLE {r}")
        })
        .unwrap_or_default();
    format!(
        "CREATE CONTINUOUS QUERY {} ON {}{resample} BEGIN {} END",
        quote_ident(name),
        quote_ident(database),
        query.trim()
    )
}

pub fn drop_statement(name: &str, database: &str) -> String {
    format!(
        "DROP CONTINUOUS QUERY {} ON {}",
        quote_ident(name),
        quote_ident(database)
    )
}

/// Every continuous query of every database: one request.
pub async fn list_continuous_queries(
    client: &V1Client,
) -> Result<Vec<ContinuousQueryRow>, HttpError> {
    let results = client.read(&["SHOW CONTINUOUS QUERIES".to_owned()]).await?;
    let first = results.into_iter().next().unwrap_or_default();
    if let Some(e) = &first.error {
        return Err(statement_error(e));
    }
    Ok(first
        .rows()
        .filter_map(|r| {
            let database = r.series?.to_owned();
            let name = r.text("name")?.to_owned();
            let stored = text::parse_stored(r.text("query")?)?;
            Some(ContinuousQueryRow {
                id: id_of(&database, &name),
                database,
                name,
                resample: stored.resample,
                body: stored.body,
            })
        })
        .collect())
}

/// Every continuous query by `DATABASE:NAME`, from this process's snapshot.
pub async fn continuous_queries_snapshot(
    client: &V1Client,
) -> Result<Arc<Listing<ContinuousQueryRow>>, HttpError> {
    client
        .snapshots()
        .continuous_queries
        .get(|| list_continuous_queries(client))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_quote_names_and_keep_the_query() {
        assert_eq!(
            create_statement("cq", r#"we"ird"#, Some("EVERY 1h FOR 2h"), " SELECT 1 "),
            r#"CREATE CONTINUOUS QUERY "cq" ON "we\"ird" RESAMPLE EVERY 1h FOR 2h BEGIN SELECT 1 END"#
        );
        assert_eq!(
            create_statement("cq", "db", None, "SELECT 1"),
            r#"CREATE CONTINUOUS QUERY "cq" ON "db" BEGIN SELECT 1 END"#
        );
        assert_eq!(
            drop_statement("cq", "db"),
            r#"DROP CONTINUOUS QUERY "cq" ON "db""#
        );
    }
}
