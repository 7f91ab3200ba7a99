//! HTTP helpers every API family uses: JSON and empty answers, JSON request bodies, the
//! `Authorization` header, percent-decoding of path segments and query strings, and the
//! SHA-512 the simulator keeps instead of a token (like the real services, it never stores one).

use std::collections::BTreeMap;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde::{Deserialize, Serialize};

/// What every handler returns.
pub type Resp = Response<Full<Bytes>>;

/// `body` as JSON with the given status and `Content-Type: application/json`.
pub fn json_response(status: u16, body: &impl Serialize) -> Resp {
    json_response_as(status, body, "application/json")
}

/// `body` as JSON with the given status and content type (the families do not all send the
/// same one).
pub fn json_response_as(status: u16, body: &impl Serialize, content_type: &'static str) -> Resp {
    let bytes = Bytes::from(serde_json::to_vec(body).unwrap_or_default());
    json_body(
        bytes,
        status,
        StatusCode::INTERNAL_SERVER_ERROR,
        content_type,
    )
}

/// `bytes` (already JSON) with the given status; `fallback` when `status` is not a status.
pub fn raw_json(status: u16, bytes: Bytes, fallback: StatusCode) -> Resp {
    json_body(bytes, status, fallback, "application/json")
}

fn json_body(bytes: Bytes, status: u16, fallback: StatusCode, content_type: &'static str) -> Resp {
    let mut resp = Response::new(Full::new(bytes));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(fallback);
    resp.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// `204 No Content`.
pub fn no_content() -> Resp {
    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = StatusCode::NO_CONTENT;
    resp
}

/// The usual reason phrase of an error status, for answers that have nothing more to say
/// (injected faults).
pub fn default_message(status: u16) -> &'static str {
    match status {
        400 => "bad request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not found",
        405 => "method not allowed",
        409 => "conflict",
        429 => "too many requests",
        500 => "internal server error",
        502 => "bad gateway",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "error",
    }
}

/// A JSON request body as `T`.
pub fn parse_json<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, serde_json::Error> {
    serde_json::from_slice(body)
}

/// The credential of an `Authorization: <scheme> <credential>` header, trimmed. The scheme is
/// compared as `exact_scheme` says: InfluxDB v2 wants `Token` as written, the Management API
/// takes `Bearer` in any case.
pub fn authorization<'h>(
    headers: &'h HeaderMap,
    scheme: &str,
    exact_scheme: bool,
) -> Option<&'h str> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (given, credential) = v.split_once(' ')?;
    let same = if exact_scheme {
        given == scheme
    } else {
        given.eq_ignore_ascii_case(scheme)
    };
    same.then(|| credential.trim())
}

/// Constant-time comparison of two secrets; the simulator guards nothing real, but it costs
/// nothing.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Lowercase hex SHA-512 of `s`: what the simulator keeps of a token.
pub fn sha512_hex(s: &str) -> String {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA512, s.as_bytes());
    d.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A path segment with its `%XX` escapes decoded (`+` stays `+`); `None` when an escape is
/// not two hex digits or the result is not UTF-8, which the families answer with a 400.
pub fn decode_path_segment(s: &str) -> Option<String> {
    let (bytes, escapes_valid) = unescape(s, false);
    if !escapes_valid {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// A query string as a map, decoded as a form is (`+` is a space). Lenient like Go's servers:
/// a `%` that starts no escape is kept, bytes that are not UTF-8 become U+FFFD.
pub fn query_pairs(q: Option<&str>) -> BTreeMap<String, String> {
    let decode = |s: &str| String::from_utf8_lossy(&unescape(s, true).0).into_owned();
    let mut out = BTreeMap::new();
    for pair in q.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(decode(k), decode(v));
    }
    out
}

/// Decodes `%XX` escapes (and `+` when `plus_is_space`); an escape that is not two hex digits
/// is kept as it is, and the flag returned is then false.
fn unescape(s: &str, plus_is_space: bool) -> (Vec<u8>, bool) {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut valid = true;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' if plus_is_space => out.push(b' '),
            b'%' => match s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                Some(Ok(v)) => {
                    out.push(v);
                    i += 2;
                }
                _ => {
                    valid = false;
                    out.push(b'%');
                }
            },
            c => out.push(c),
        }
        i += 1;
    }
    (out, valid)
}

/// The SHA-512 (hex) of the token in a `POST /__sim/authenticate` body `{"token": "..."}`: what
/// the v2 and v3 families compare with the hashes they keep (as their servers do). The error is
/// the message of a 400.
pub fn token_hash_of_body(body: &[u8]) -> Result<String, String> {
    #[derive(serde::Deserialize)]
    struct Body {
        token: String,
    }
    serde_json::from_slice::<Body>(body)
        .map(|b| sha512_hex(&b.token))
        .map_err(|e| format!("expected {{\"token\": ...}}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_are_decoded() {
        let q = query_pairs(Some("org=my%20org&name=a+b&x=100%"));
        assert_eq!(q["org"], "my org");
        assert_eq!(q["name"], "a b");
        assert_eq!(q["x"], "100%");
    }

    #[test]
    fn path_segments_are_decoded_strictly() {
        assert_eq!(
            decode_path_segment("team%2Fmetrics").as_deref(),
            Some("team/metrics")
        );
        assert_eq!(decode_path_segment("a+b").as_deref(), Some("a+b"));
        assert_eq!(decode_path_segment("bad%2"), None);
        assert_eq!(decode_path_segment("bad%zz"), None);
        assert_eq!(decode_path_segment("%ff"), None);
    }
}
