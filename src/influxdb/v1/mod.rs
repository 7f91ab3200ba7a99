//! InfluxDB 1.x (OSS 1.x and Enterprise 1.x, which serve the same `/query` API): the client,
//! its models, InfluxQL quoting and durations, the refresh snapshots, and one folder per
//! concept (a database with its retention policies).
//!
//! Settings: the names the existing 1.x provider (`DrFaust92/influxdb`) uses, so that its
//! configurations move over as they are: `url`, `username`, `password` (or `INFLUXDB_URL`,
//! `INFLUXDB_USERNAME`, `INFLUXDB_PASSWORD`), and `skip_ssl_verify` (accepted, with a warning:
//! certificate verification is never turned off; `ca_certificate` trusts a private CA). `url`
//! is also the Management API's setting: `url` alone, or with `username`/`password`, means
//! 1.x; with `management_token`, `account_id` or `cluster_id` (configured or in the
//! environment) it stays InfluxDB 3 Cloud Dedicated/Clustered (see [`super::products`]).

pub mod client;
pub mod continuous_query;
pub mod database;
pub mod influxql;
pub mod models;
pub mod snapshots;
pub mod user;

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

pub use client::V1Client;

use super::family::{env, validate_url, Connected, FamilyName, Product, Setting, Settings};
use super::http::{error_field, Api};
use super::registry::{Family, Registry};
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Value};

/// How InfluxDB 1.x's errors are worded.
pub static V1_API: Api = Api {
    subject: "InfluxDB 1.x",
    object: "InfluxDB 1.x",
    log_name: "1.x API",
    client_name: "InfluxDB 1.x client",
    url_setting: "the provider's `url` (or INFLUXDB_URL)",
    url_example: "\"http://localhost:8086\"",
    token_setting:
        "the provider's `username` and `password` (or INFLUXDB_USERNAME and INFLUXDB_PASSWORD)",
    ca_setting: "the provider's `ca_certificate`",
    unauthorized: |message| {
        format!(
            "InfluxDB 1.x rejected the provider's credentials (401 Unauthorized: {message}). \
             Check the provider's `username` and `password` (or INFLUXDB_USERNAME and \
             INFLUXDB_PASSWORD)."
        )
    },
    forbidden: |message| {
        format!(
            "The provider's InfluxDB 1.x user is not allowed to do this (403 Forbidden: \
             {message}). Managing databases, retention policies, users and continuous queries \
             needs a user with admin privilege (`GRANT ALL PRIVILEGES TO \"user\"`)."
        )
    },
    conflict_hint: "",
    error_body_message: error_field,
};

static SETTINGS: [Setting; 4] = [
    Setting {
        name: "url",
        env: Some("INFLUXDB_URL"),
        description: "InfluxDB 1.x: the URL of the server, e.g. `http://localhost:8086`. Alone or with `username`/`password` (and no `management_token`, `account_id` or `cluster_id`), it means InfluxDB 1.x.",
        sensitive: false,
        selects: true,
        validate: Some(("Invalid provider url", validate_url)),
    },
    Setting {
        name: "username",
        env: Some("INFLUXDB_USERNAME"),
        description: "InfluxDB 1.x: the user the provider signs in as (HTTP basic auth); it needs admin privilege. Unset: no credentials (a server without authentication).",
        sensitive: false,
        selects: true,
        validate: None,
    },
    Setting {
        name: "password",
        env: Some("INFLUXDB_PASSWORD"),
        description: "InfluxDB 1.x: the password of `username`. Never logged.",
        sensitive: true,
        selects: true,
        validate: None,
    },
    Setting {
        name: "skip_ssl_verify",
        env: Some("INFLUXDB_SKIP_SSL_VERIFY"),
        description: "InfluxDB 1.x: accepted so that configurations of the `DrFaust92/influxdb` provider keep working, but certificate verification is never turned off (a warning says so): give a private CA's certificate in `ca_certificate` instead.",
        sensitive: false,
        selects: false,
        validate: Some(("Invalid skip_ssl_verify", validate_bool)),
    },
];

/// `true` or `false`, as Terraform writes a bool into a string setting.
fn validate_bool(s: &str) -> Result<(), String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "false" | "1" | "0" => Ok(()),
        _ => Err(format!("{s:?} is not true or false.")),
    }
}

const NEEDS: &str =
    "url, username and password (or INFLUXDB_URL, INFLUXDB_USERNAME and INFLUXDB_PASSWORD)";

static PRODUCTS: [Product; 2] = [
    Product {
        name: "InfluxDB OSS 1.x",
        simulator: None,
        needs: NEEDS,
        lacks: &[],
    },
    Product {
        name: "InfluxDB Enterprise 1.x",
        simulator: None,
        needs: NEEDS,
        lacks: &[],
    },
];

static NAME: FamilyName = FamilyName {
    key: "v1",
    title: "InfluxDB 1.x (OSS and Enterprise, /query)",
    configured_as: "InfluxDB 1.x (url, username, password)",
    summary:
        "InfluxDB 1.x (OSS and Enterprise) databases with their retention policies, users with their grants and continuous queries through `/query`",
    products: &PRODUCTS,
};

const SKIP_SSL_WARNING: &str = "skip_ssl_verify is accepted so that configurations of the DrFaust92/influxdb provider keep working, but this provider never turns certificate verification off. If the server's certificate is signed by a private certificate authority, set ca_certificate to that CA's certificate in PEM form (for example ca_certificate = file(\"ca.pem\")) and remove skip_ssl_verify.";

fn truthy(s: &str) -> bool {
    matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1")
}

/// `skip_ssl_verify = true` in the configuration: accepted, with a warning on the attribute.
fn warn_skip_ssl_verify(value: &Value, diags: &mut Diagnostics) {
    if value.as_str().is_some_and(truthy) {
        diags.push(
            Diagnostic::warning("skip_ssl_verify is not honoured", SKIP_SSL_WARNING)
                .at(AttributePath::root("skip_ssl_verify")),
        );
    }
}

/// The 1.x client of the settings: a URL, and a username with its password or neither.
fn connect(
    settings: &Settings,
    stop: CancellationToken,
    diags: &mut Diagnostics,
) -> Option<Connected> {
    let [url, username, password, skip] = SETTINGS.each_ref().map(|s| settings.get(s));
    if let Some(p) = &password {
        crate::log::redact(p);
    }
    // The environment's INFLUXDB_SKIP_SSL_VERIFY (the configuration's is warned at validate).
    if settings.configured(SETTINGS[3].name).is_none() && skip.as_deref().is_some_and(truthy) {
        diags.warning("INFLUXDB_SKIP_SSL_VERIFY is not honoured", SKIP_SSL_WARNING);
    }
    if let Some(Err(e)) = url.as_deref().map(validate_url) {
        diags.error(
            "Invalid provider url",
            format!(
                "{e} Check the provider's url setting or the INFLUXDB_URL environment variable."
            ),
        );
        return None;
    }
    let client = match (url, username, password) {
        (None, _, _) => Err(Diagnostic::error(
            "Missing provider url",
            "This provider block is for InfluxDB 1.x, which needs the server's URL: set the provider's url or INFLUXDB_URL (for example http://localhost:8086).",
        )),
        (Some(_), Some(_), None) => Err(Diagnostic::error(
            "Missing provider password",
            "The provider's username (or INFLUXDB_USERNAME) is set but no password: set the provider's password or the INFLUXDB_PASSWORD environment variable.",
        )),
        (Some(_), None, Some(_)) => Err(Diagnostic::error(
            "Missing provider username",
            "The provider's password (or INFLUXDB_PASSWORD) is set but no username: set the provider's username or the INFLUXDB_USERNAME environment variable.",
        )),
        (Some(url), user, password) => {
            let credentials = user.as_deref().zip(password.as_deref());
            V1Client::new(
                &url,
                credentials,
                settings.policy(),
                settings.ca_certificate.as_deref(),
                stop,
            )
            .map_err(|e| {
                Diagnostic::error("Cannot create the InfluxDB 1.x client", e.to_string())
            })
        }
    };
    Some(client.map(|c| Arc::new(c) as _))
}

/// The InfluxDB 1.x family.
pub struct V1;

impl Family for V1 {
    fn configure(
        &self,
        settings: &Settings,
        cancel: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connected> {
        connect(settings, cancel, diags)
    }

    fn name(&self) -> &'static FamilyName {
        &NAME
    }
    fn settings(&self) -> &'static [Setting] {
        &SETTINGS
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        warn_skip_ssl_verify(config.attr("skip_ssl_verify"), diags);
    }

    fn register(&self, r: &mut Registry) {
        r.resource(database::resource::DatabaseResource);
        r.data_source(database::data_source::DatabaseDataSource);
        r.data_source(database::data_sources::DatabasesDataSource);
        r.resource(user::resource::UserResource);
        r.resource(continuous_query::resource::ContinuousQueryResource);
    }
}

impl super::connection::FamilyClient for V1Client {}

/// Whether the environment names InfluxDB 1.x credentials (for the choice of family).
pub fn credentials_in_env() -> bool {
    env("INFLUXDB_USERNAME").is_some() || env("INFLUXDB_PASSWORD").is_some()
}
