//! What needs InfluxDB 3 Enterprise: the plan-time check that a resource (or an argument) the
//! Core edition lacks is refused on Core, naming Enterprise, before any API call. Which edition
//! the server is comes from `/ping` (asked once per provider process).

use super::client::CoreClient;
use crate::engine::{AttributePath, Diagnostic, Diagnostics, OrError};

/// Records an error when the server is InfluxDB 3 Core: `what` (for example "influxdb_database_token"
/// or "retention_period of influxdb_table") needs Enterprise. `at`: the attribute to name, if
/// any. Nothing is said when the edition cannot be asked at plan (the apply checks again).
pub fn require_enterprise(
    client: Option<&CoreClient>,
    what: &str,
    at: Option<&str>,
    diags: &mut Diagnostics,
) {
    let Some(Ok(server)) = client.and_then(CoreClient::server_now) else {
        return;
    };
    if !server.enterprise {
        diags.push(not_on_core(what, &server.product(), at));
    }
}

/// The error for `what` on a Core server (`product` as `/ping` says, e.g. "InfluxDB 3 Core 3.8.4").
pub fn not_on_core(what: &str, product: &str, at: Option<&str>) -> Diagnostic {
    let d = Diagnostic::error(
        format!("{what} needs InfluxDB 3 Enterprise"),
        format!("{what} is available on InfluxDB 3 Enterprise only, and this provider talks to {product} (as its /ping says). Nothing was changed. Remove it from the configuration, or point the provider at an Enterprise server."),
    );
    match at {
        Some(a) => d.at(AttributePath::root(a)),
        None => d,
    }
}

/// Before an API call that needs Enterprise: `Some(())` on Enterprise; `None` with the reason
/// on Core, or with the error (under `summary`) when the server cannot say which it is.
pub async fn enterprise(
    client: &CoreClient,
    what: &str,
    summary: &str,
    diags: &mut Diagnostics,
) -> Option<()> {
    let server = client.server().await.or_error(diags, summary)?;
    if !server.enterprise {
        diags.push(not_on_core(what, &server.product(), None));
        return None;
    }
    Some(())
}
