//! InfluxDB 3 Core and Enterprise, through their `/api/v3` administration API: the client,
//! its models, the refresh snapshots, and one folder per concept (a named admin token, a database,
//! a processing engine trigger) or one file (a table, a last-value or distinct-value cache, a
//! plugin file).
//! Whether the server is Core or Enterprise is asked from `GET /ping` once per provider
//! process ([`CoreClient::server`]).
//!
//! Settings: `host_url` and `auth_token` (or the `influxdb3` CLI's `INFLUXDB3_HOST_URL` and
//! `INFLUXDB3_AUTH_TOKEN`), and the shared `ca_certificate`. With only the two environment
//! variables set, an empty `provider "influxdb" {}` block talks to Core/Enterprise.

pub mod admin_token;
pub mod cache;
pub mod cache_resource;
pub mod client;
pub mod database;
pub mod database_token;
pub mod distinct_cache;
pub mod edition;
pub mod engine_api;
pub mod last_cache;
pub mod models;
pub mod named_token;
pub mod plugin_file;
pub mod snapshots;
pub mod table;
pub mod trigger;

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

pub use client::CoreClient;

use super::family::{validate_url, Connected, Endpoint, FamilyName, Product, Setting, Settings};
use super::http::Api;
use super::registry::{Family, Registry};
use super::timestamp;
use crate::engine::{Diagnostic, Diagnostics};

/// The message of an `/api/v3` error body: `{"error": "..."}` (authentication, name rules,
/// limits); most errors are plain text, which the HTTP core then quotes as it is.
pub fn error_field(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Body {
        error: String,
    }
    serde_json::from_slice::<Body>(body).ok().map(|b| b.error)
}

/// How `/api/v3`'s errors are worded.
pub static CORE_API: Api = Api {
    subject: "InfluxDB 3",
    object: "InfluxDB 3",
    log_name: "v3 API",
    client_name: "InfluxDB 3 Core/Enterprise client",
    url_setting: "the provider's `host_url` (or INFLUXDB3_HOST_URL)",
    url_example: "\"http://localhost:8181\"",
    token_setting:
        "the provider's `auth_token` argument or the INFLUXDB3_AUTH_TOKEN environment variable",
    ca_setting: "the provider's `ca_certificate`",
    unauthorized: |message| {
        format!(
            "InfluxDB 3 rejected the provider's token (401 Unauthorized: {message}). Check the \
             provider's `auth_token` argument or the INFLUXDB3_AUTH_TOKEN environment variable: \
             the token may be wrong, deleted or expired."
        )
    },
    forbidden: |message| {
        format!(
            "The provider's token is not allowed to do this (403 Forbidden: {message}). \
             Managing databases, tables and tokens needs an admin token (the operator token or \
             a named admin token), not a resource token."
        )
    },
    conflict_hint: "",
    error_body_message: error_field,
};

static SETTINGS: [Setting; 2] = [
    Setting {
        name: "host_url",
        env: Some("INFLUXDB3_HOST_URL"),
        description: "InfluxDB 3 Core or Enterprise: the URL of the server, e.g. `http://localhost:8181`.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid provider host_url", validate_url)),
    },
    Setting {
        name: "auth_token",
        env: Some("INFLUXDB3_AUTH_TOKEN"),
        description: "InfluxDB 3 Core or Enterprise: an admin token (the operator token or a named admin token). Needed only once something calls the API.",
        sensitive: true,
        selects: true,
        validate: None,
    },
];

static PRODUCTS: [Product; 2] = [
    Product {
        name: "InfluxDB 3 Core",
        simulator: Some("core"),
        needs: "host_url and auth_token (or INFLUXDB3_HOST_URL and INFLUXDB3_AUTH_TOKEN)",
        lacks: &["influxdb_database_token", "influxdb_database_tokens"],
    },
    Product {
        name: "InfluxDB 3 Enterprise",
        simulator: Some("enterprise"),
        needs: "host_url and auth_token (or INFLUXDB3_HOST_URL and INFLUXDB3_AUTH_TOKEN)",
        lacks: &[],
    },
];

static NAME: FamilyName = FamilyName {
    key: "core",
    title: "InfluxDB 3 Core and Enterprise (/api/v3)",
    configured_as: "InfluxDB 3 Core / Enterprise (host_url, auth_token)",
    summary: "InfluxDB 3 Core and Enterprise admin tokens through `/api/v3`",
    products: &PRODUCTS,
};

/// The `/api/v3` family of Core and Enterprise.
pub struct Core;

impl Family for Core {
    fn name(&self) -> &'static FamilyName {
        &NAME
    }
    fn settings(&self) -> &'static [Setting] {
        &SETTINGS
    }

    fn configure(
        &self,
        settings: &Settings,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connected> {
        let [url, token] = &SETTINGS;
        let endpoint = Endpoint {
            url,
            token,
            product: "InfluxDB 3 Core / Enterprise",
            example: "http://localhost:8181",
            calls: "InfluxDB 3 Core / Enterprise",
            token_kind: "an admin token",
        };
        let client = settings
            .endpoint(&endpoint, diags)?
            .and_then(|(host, token)| {
                CoreClient::new(
                    &host,
                    &token,
                    settings.policy(),
                    settings.ca_certificate.as_deref(),
                    stop,
                )
                .map_err(|e| {
                    Diagnostic::error(
                        "Cannot create the InfluxDB 3 Core/Enterprise client",
                        e.to_string(),
                    )
                })
            });
        Some(client.map(|c| Arc::new(c) as _))
    }

    fn register(&self, r: &mut Registry) {
        r.resource(admin_token::resource::AdminTokenResource);
        r.list_resource(admin_token::list::AdminTokenList);
        r.resource(database::resource::DatabaseResource);
        r.data_source(database::data_source::DatabaseDataSource);
        r.data_source(database::data_sources::DatabasesDataSource);
        r.list_resource(database::list::DatabaseList);
        r.resource(table::TableResource);
        r.resource(database_token::resource::DatabaseTokenResource);
        r.ephemeral_resource(database_token::ephemeral::EphemeralDatabaseToken);
        r.list_resource(database_token::list::DatabaseTokenList);
        r.data_source(database_token::data_source::DatabaseTokenDataSource);
        r.data_source(database_token::data_sources::DatabaseTokensDataSource);
        r.resource(last_cache::LastCacheResource::new());
        r.resource(distinct_cache::DistinctCacheResource::new());
        r.resource(plugin_file::PluginFileResource);
        r.resource(trigger::resource::TriggerResource);
    }
}

impl super::connection::FamilyClient for CoreClient {}

/// A time of the server (`2025-04-18T14:02:45.331Z` from the token API, zone-less UTC
/// `2025-04-18T14:02:45.331` from SQL) as the provider shows it: RFC 3339, UTC, milliseconds.
pub fn utc(s: &str) -> String {
    let zoned = if s.ends_with('Z') || s.contains('+') {
        s.to_owned()
    } else {
        format!("{s}Z")
    };
    match timestamp::parse_rfc3339(&zoned) {
        Ok(t) => timestamp::format_api_timestamp(t),
        Err(_) => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::influxdb::http::HttpError;

    #[test]
    fn server_times_read_the_same_from_the_api_and_from_sql() {
        assert_eq!(utc("2025-04-18T14:02:45.331"), "2025-04-18T14:02:45.331Z");
        assert_eq!(utc("2025-04-18T14:02:45Z"), "2025-04-18T14:02:45.000Z");
    }

    #[test]
    fn errors_read_json_and_plain_text_bodies() {
        let e = HttpError::from_status(
            &CORE_API,
            401,
            br#"{"error": "the request was not authenticated"}"#,
        );
        let text = e.to_string();
        assert!(
            text.contains("the request was not authenticated")
                && text.contains("INFLUXDB3_AUTH_TOKEN"),
            "{text}"
        );
        let e = HttpError::from_status(&CORE_API, 409, b"token name already exists, ci");
        assert!(e.to_string().contains("token name already exists, ci"));
        assert!(e.is_conflict());
    }
}
