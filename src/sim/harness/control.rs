//! The `/__sim/` control endpoints every family has: faults and latency, and the request log.
//! Their errors are `{code, message}` with a numeric code, whatever the family's format.

use serde_json::json;

use super::faults::FaultSpec;
use super::http::{json_response, no_content, Resp};
use super::{Harness, Request};

/// `{code, message}` with the given status.
pub fn error(status: u16, message: impl Into<String>) -> Resp {
    json_response(status, &json!({"code": status, "message": message.into()}))
}

/// `/__sim/faults` and `/__sim/requests`; `None` for any other path.
pub fn serve(harness: &Harness, req: &Request<'_>) -> Option<Resp> {
    Some(
        match (req.method.as_str(), req.path.trim_end_matches('/')) {
            ("POST", "/__sim/faults") => {
                let spec: FaultSpec = match serde_json::from_slice(req.body) {
                    Ok(s) => s,
                    Err(e) => return Some(error(400, format!("bad request: invalid fault: {e}"))),
                };
                match harness.add_fault(spec) {
                    Ok(()) => no_content(),
                    Err(e) => error(400, format!("bad request: {e}")),
                }
            }
            ("DELETE", "/__sim/faults") => {
                harness.clear_faults();
                no_content()
            }
            ("GET", "/__sim/faults") => json_response(200, &harness.faults_view()),
            ("GET", "/__sim/requests") => json_response(200, &harness.requests()),
            ("DELETE", "/__sim/requests") => {
                harness.clear_requests();
                no_content()
            }
            _ => return None,
        },
    )
}
