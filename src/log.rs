//! Provider logging: hclog-style JSON lines on stderr.
//!
//! go-plugin reads the plugin's stderr line by line and re-logs every line that parses as hclog
//! JSON at its own level, so `TF_LOG=debug terraform plan` shows ours next to Terraform's. The
//! level follows `TF_LOG_PROVIDER`, then `TF_LOG`; unset means off, as with the Go SDKs.
//!
//! Secrets never reach a log line: the management token and every access token are registered
//! with [`redact`] as soon as the provider sees them, and every line is scrubbed before it is
//! written, whatever part of the code produced it.

use std::io::Write;
use std::sync::{OnceLock, RwLock};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Off,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Off => "off",
        }
    }

    /// Parses a `TF_LOG`-style value. `JSON` is Terraform's alias for trace.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s.trim().to_ascii_uppercase().as_str() {
            "TRACE" | "JSON" => Level::Trace,
            "DEBUG" => Level::Debug,
            "INFO" => Level::Info,
            "WARN" => Level::Warn,
            "ERROR" => Level::Error,
            "OFF" | "" => Level::Off,
            _ => return None,
        })
    }
}

fn threshold() -> Level {
    static LEVEL: OnceLock<Level> = OnceLock::new();
    *LEVEL.get_or_init(|| {
        let from = |name: &str| std::env::var(name).ok().and_then(|v| Level::parse(&v));
        // An unrecognised non-empty TF_LOG means trace in Terraform; keep that behaviour.
        let loose = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(|v| Level::parse(&v).unwrap_or(Level::Trace))
        };
        from("TF_LOG_PROVIDER")
            .or_else(|| loose("TF_LOG_PROVIDER"))
            .or_else(|| from("TF_LOG"))
            .or_else(|| loose("TF_LOG"))
            .unwrap_or(Level::Off)
    })
}

/// True when a line at `level` would be written; lets callers skip building expensive fields.
pub fn enabled(level: Level) -> bool {
    level != Level::Off && level >= threshold()
}

fn secrets() -> &'static RwLock<Vec<String>> {
    static SECRETS: OnceLock<RwLock<Vec<String>>> = OnceLock::new();
    SECRETS.get_or_init(|| RwLock::new(Vec::new()))
}

/// Registers a secret so that no later log line can contain it. Short strings are ignored
/// (they would mangle ordinary words and are not credentials).
pub fn redact(secret: &str) {
    if secret.len() < 8 {
        return;
    }
    let mut list = secrets().write().unwrap_or_else(|e| e.into_inner());
    if !list.iter().any(|s| s == secret) {
        list.push(secret.to_owned());
    }
}

/// Replaces every registered secret in `text` with `[REDACTED]`.
pub fn scrub(text: &str) -> String {
    let list = secrets().read().unwrap_or_else(|e| e.into_inner());
    let mut out = text.to_owned();
    for s in list.iter() {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "[REDACTED]");
        }
    }
    out
}

/// Writes one hclog JSON line to stderr: `@level`, `@message`, `@module`, `@timestamp` and the
/// given key-value pairs.
pub fn log(level: Level, message: &str, fields: &[(&str, &dyn std::fmt::Display)]) {
    if !enabled(level) {
        return;
    }
    let mut obj = serde_json::Map::new();
    obj.insert("@level".into(), level.as_str().into());
    obj.insert("@message".into(), message.into());
    obj.insert("@module".into(), "provider.influxdb".into());
    obj.insert("@timestamp".into(), timestamp().into());
    for (k, v) in fields {
        obj.insert((*k).to_owned(), v.to_string().into());
    }
    let line = scrub(&serde_json::Value::Object(obj).to_string());
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

fn timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    now.format(&fmt).unwrap_or_default()
}

#[macro_export]
macro_rules! log_at {
    ($level:expr, $msg:expr $(, $k:literal = $v:expr)* $(,)?) => {
        if $crate::log::enabled($level) {
            $crate::log::log($level, &$msg, &[$(($k, &$v as &dyn std::fmt::Display)),*]);
        }
    };
}
#[macro_export]
macro_rules! trace { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Trace, $($t)*) }; }
#[macro_export]
macro_rules! debug { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Debug, $($t)*) }; }
#[macro_export]
macro_rules! info { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Info, $($t)*) }; }
#[macro_export]
macro_rules! warn { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Warn, $($t)*) }; }
#[macro_export]
macro_rules! error { ($($t:tt)*) => { $crate::log_at!($crate::log::Level::Error, $($t)*) }; }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_are_scrubbed() {
        redact("apiv1_0123456789abcdef");
        assert_eq!(scrub("token=apiv1_0123456789abcdef!"), "token=[REDACTED]!");
        redact("short");
        assert_eq!(scrub("short"), "short");
    }

    #[test]
    fn levels_parse_like_terraform() {
        assert_eq!(Level::parse("trace"), Some(Level::Trace));
        assert_eq!(Level::parse("JSON"), Some(Level::Trace));
        assert_eq!(Level::parse("warn"), Some(Level::Warn));
        assert_eq!(Level::parse("bogus"), None);
    }
}
