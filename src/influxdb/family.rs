//! What an API family is called and what it declares as data: its name and products
//! ([`FamilyName`]), its provider settings and the environment variables behind them
//! ([`Setting`]), and the settings of a provider block as configured ([`Settings`]). The
//! behaviour (configure, register) is the `Family` trait of [`super::registry`].

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::http::Policy;
use crate::engine::{Diagnostic, Diagnostics};

/// One InfluxDB product, as users know it.
pub struct Product {
    /// "InfluxDB 3 Cloud Dedicated".
    pub name: &'static str,
    /// The simulator's `--product` value for it, when the simulator serves it.
    pub simulator: Option<&'static str>,
    /// What a provider block for it needs, e.g. "account_id, cluster_id and
    /// management_token".
    pub needs: &'static str,
    /// Types its family serves that this product has not (they fail at plan on it, naming the
    /// product that has them), left out of its row of the product table.
    pub lacks: &'static [&'static str],
}

/// A check of a setting's value: the error is a sentence for a diagnostic.
pub type Check = fn(&str) -> Result<(), String>;

/// One provider setting of a family.
pub struct Setting {
    pub name: &'static str,
    /// The environment variable read when the setting is unset.
    pub env: Option<&'static str>,
    pub description: &'static str,
    pub sensitive: bool,
    /// Whether setting this (in the configuration, or its environment variable) says that the
    /// provider block is for this family. A setting shared by every family (`ca_certificate`)
    /// is declared by the provider itself, not here.
    pub selects: bool,
    /// A plan-time check of the value: (diagnostic summary, check).
    pub validate: Option<(&'static str, Check)>,
}

/// The provider block's settings: what the configuration says, else the environment.
pub struct Settings {
    configured: HashMap<String, String>,
    /// PEM from `ca_certificate`, shared by every family.
    pub ca_certificate: Option<String>,
    /// `retry_timeout`, shared by every family: how long one call is retried in all.
    pub retry_timeout: Duration,
}

impl Settings {
    pub fn new(configured: HashMap<String, String>, ca_certificate: Option<String>) -> Self {
        Settings {
            configured,
            ca_certificate,
            retry_timeout: Policy::DEFAULT.retry_deadline,
        }
    }

    /// The HTTP core's timings for this provider block: the defaults, with `retry_timeout`.
    pub fn policy(&self) -> Policy {
        Policy {
            retry_deadline: self.retry_timeout,
            ..Policy::DEFAULT
        }
    }

    /// The configured value of `name` (never the environment).
    pub fn configured(&self, name: &str) -> Option<&str> {
        self.configured
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// The configured value, else the environment variable's.
    /// The value of `setting`; a sensitive one (a token) is registered for redaction first, so
    /// it never reaches a log or a message.
    pub fn get(&self, setting: &Setting) -> Option<String> {
        let value = self
            .configured(setting.name)
            .map(str::to_owned)
            .or_else(|| setting.env.and_then(env));
        if let (true, Some(secret)) = (setting.sensitive, &value) {
            crate::log::redact(secret);
        }
        value
    }

    /// The server's URL (checked) and the token of a family that connects with the two;
    /// `None` when the URL is invalid (with the error), `Some(Err(..))` when one is missing
    /// (plans may proceed: the error is said when a call needs the server).
    pub fn endpoint(
        &self,
        e: &Endpoint,
        diags: &mut Diagnostics,
    ) -> Option<Result<(String, String), Diagnostic>> {
        let (url, token) = (self.get(e.url), self.get(e.token));
        let (u, t) = (e.url.name, e.token.name);
        let (u_env, t_env) = (
            e.url.env.unwrap_or_default(),
            e.token.env.unwrap_or_default(),
        );
        if let Some(Err(err)) = url.as_deref().map(validate_url) {
            diags.error(
                format!("Invalid provider {u}"),
                format!(
                    "{err} Check the provider's {u} setting or the {u_env} environment variable."
                ),
            );
            return None;
        }
        Some(match (url, token) {
            (None, _) => Err(Diagnostic::error(
                format!("Missing provider {u}"),
                format!("This provider block is for {}, which needs the server's URL: set the provider's {u} or {u_env} (for example {}).", e.product, e.example),
            )),
            (Some(_), None) => Err(Diagnostic::error(
                format!("Missing provider {t}"),
                format!("This operation calls {}, which needs {}: set the provider's {t} or the {t_env} environment variable.", e.calls, e.token_kind),
            )),
            (Some(url), Some(token)) => Ok((url, token)),
        })
    }
}

/// How a family that connects with a URL and a token names them in its errors.
pub struct Endpoint {
    pub url: &'static Setting,
    pub token: &'static Setting,
    /// The products, as a provider block is for them: "InfluxDB OSS v2 / Cloud Serverless".
    pub product: &'static str,
    /// A URL to show: "http://localhost:8086".
    pub example: &'static str,
    /// What a call reaches: "the InfluxDB v2 API".
    pub calls: &'static str,
    /// The token it needs: "an API token".
    pub token_kind: &'static str,
}

/// An environment variable that is set and not blank.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// What configuring a provider block of a family yields: the family's client (any type the
/// family's resources name as their `Client`), or the reason there is none (reported when a
/// resource first needs it, so that `terraform plan` of a configuration without a token still
/// validates).
pub type Connected = Result<Arc<dyn Any + Send + Sync>, Diagnostic>;

/// What a family is called, in code, in messages and in the docs.
pub struct FamilyName {
    /// A short stable key, e.g. `"management"`.
    pub key: &'static str,
    /// The family in a sentence: "InfluxDB 3 Cloud Dedicated and Clustered (the Management
    /// API)".
    pub title: &'static str,
    /// How a provider block of this family is recognised, for mismatch errors:
    /// "InfluxDB OSS v2 / Cloud Serverless (host, token, org)".
    pub configured_as: &'static str,
    /// What the provider manages through this family, for the provider's description:
    /// "InfluxDB 3 Cloud Dedicated and Clustered databases, tables and database tokens through
    /// the Management API".
    pub summary: &'static str,
    pub products: &'static [Product],
}

/// The products of `families`, as a list in a sentence: "A, B and C".
pub fn product_names(families: &[&FamilyName]) -> String {
    let names: Vec<&str> = families
        .iter()
        .flat_map(|f| f.products)
        .map(|p| p.name)
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The sentence every product mismatch ends with: what each product of `families` needs.
pub fn products_help(families: &[&FamilyName]) -> String {
    let mut parts = vec!["Each provider block talks to one InfluxDB.".to_owned()];
    for f in families {
        let needs: Vec<String> = f
            .products
            .iter()
            .map(|p| format!("{} needs {}", p.name, p.needs))
            .collect();
        parts.push(format!("{}.", needs.join("; ")));
    }
    parts.push("To manage several, declare a second provider block with an alias and set `provider = influxdb.ALIAS` on its resources.".to_owned());
    parts.join(" ")
}

/// Checks that a URL setting is `http://` or `https://` with a host.
pub fn validate_url(s: &str) -> Result<(), String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or_else(|| format!("{s:?} is not an http:// or https:// URL."))?;
    if rest.trim_matches('/').is_empty() {
        return Err(format!("{s:?} has no host."));
    }
    Ok(())
}
