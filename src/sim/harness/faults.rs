//! Fault injection (`POST /__sim/faults`), the same for every API family: fail, delay or drop
//! the next matching requests, change the latency, or make a list answer lag.

use std::time::Duration;

use http_body_util::BodyExt;
use hyper::{Method, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::http::{json_response, raw_json, Resp};

/// Body of `POST /__sim/faults`.
/// Every field may be left out (the container's `default`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FaultSpec {
    /// HTTP method to match; any method when absent.
    pub method: Option<String>,
    /// The request path must end with this; any path when absent.
    pub path_suffix: Option<String>,
    /// How many matching requests the fault applies to (default 1).
    pub count: Option<u32>,
    /// Answer with this status (and the family's error body) without acting.
    pub status: Option<u16>,
    /// With `status`: send a `Retry-After` header.
    pub retry_after_secs: Option<u64>,
    /// Handle the request fully, then close the connection without answering.
    pub drop_after_handling: bool,
    /// Close the connection without acting or answering.
    pub drop_before_handling: bool,
    /// Extra delay before this request is handled.
    pub delay_ms: Option<u64>,
    /// Sets the latency of every API request from now on (on its own, adds no fault).
    pub latency_ms: Option<u64>,
    /// A list that lags: a list answer leaves out the objects whose `id` (tokens) or `name`
    /// (databases) is one of these. Other answers are unchanged.
    pub omit_ids: Option<Vec<String>>,
}

/// An armed fault.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Option<Method>,
    pub path_suffix: Option<String>,
    pub remaining: u32,
    pub status: Option<u16>,
    pub retry_after_secs: Option<u64>,
    pub drop_after_handling: bool,
    pub drop_before_handling: bool,
    pub delay: Duration,
    pub omit_ids: Option<Vec<String>>,
}

impl Fault {
    /// The fault a spec arms, or why it arms none: `Ok(None)` for a spec that only sets the
    /// latency.
    pub fn from_spec(spec: FaultSpec) -> Result<Option<Fault>, String> {
        let acts = spec.status.is_some()
            || spec.drop_after_handling
            || spec.drop_before_handling
            || spec.delay_ms.is_some()
            || spec.omit_ids.is_some();
        if !acts {
            if spec.latency_ms.is_some() {
                return Ok(None);
            }
            return Err(
                "a fault needs status, drop_after_handling, drop_before_handling, \
                        delay_ms, omit_ids or latency_ms"
                    .into(),
            );
        }
        if let Some(s) = spec.status {
            if !(400..=599).contains(&s) {
                return Err(format!("status {s} is not an error status (400-599)"));
            }
        }
        let method = match &spec.method {
            Some(m) => Some(
                Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                    .map_err(|_| format!("{m:?} is not an HTTP method"))?,
            ),
            None => None,
        };
        Ok(Some(Fault {
            method,
            path_suffix: spec.path_suffix,
            remaining: spec.count.unwrap_or(1),
            status: spec.status,
            retry_after_secs: spec.retry_after_secs,
            drop_after_handling: spec.drop_after_handling,
            drop_before_handling: spec.drop_before_handling,
            delay: Duration::from_millis(spec.delay_ms.unwrap_or(0)),
            omit_ids: spec.omit_ids,
        }))
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.remaining > 0
            && self.method.as_ref().is_none_or(|m| m == method)
            && self
                .path_suffix
                .as_deref()
                .is_none_or(|s| path.ends_with(s))
    }

    /// How `GET /__sim/faults` shows it.
    pub fn view(&self) -> serde_json::Value {
        json!({"method": self.method.as_ref().map(|m| m.to_string()),
               "path_suffix": self.path_suffix, "count": self.remaining,
               "status": self.status, "retry_after_secs": self.retry_after_secs,
               "drop_after_handling": self.drop_after_handling,
               "drop_before_handling": self.drop_before_handling,
               "delay_ms": self.delay.as_millis() as u64,
               "omit_ids": self.omit_ids})
    }
}

/// The first armed fault in `faults` matching the request, with one use consumed (a fault
/// used up is removed).
pub fn take(faults: &mut Vec<Fault>, method: &Method, path: &str) -> Option<Fault> {
    let idx = faults.iter().position(|f| f.matches(method, path))?;
    let fault = faults[idx].clone();
    faults[idx].remaining -= 1;
    if faults[idx].remaining == 0 {
        faults.remove(idx);
    }
    Some(fault)
}

/// A list answer without the objects whose `id` or `name` is in `ids` (any other answer is
/// returned as it was, as `application/json`).
pub async fn omit_from_list(resp: Resp, ids: &[String]) -> Resp {
    let status = resp.status().as_u16();
    let body = match resp.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(never) => match never {},
    };
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Array(items)) => {
            let kept: Vec<_> = items
                .into_iter()
                .filter(|o| {
                    let key = o.get("id").or_else(|| o.get("name"));
                    !key.and_then(|k| k.as_str())
                        .is_some_and(|k| ids.iter().any(|i| i == k))
                })
                .collect();
            json_response(status, &kept)
        }
        _ => raw_json(status, body, StatusCode::OK),
    }
}
