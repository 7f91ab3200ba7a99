//! A wrong address, said at once: which servers have answered this provider process.
//!
//! "Connection refused" or a name that does not resolve, from a server that has never answered
//! in this process, is almost always a typo in the URL: the call gives up after
//! [`UNREACHED_TRIES`] tries (a second or two) with [`super::ErrorKind::Unreachable`], which
//! names the URL and the setting it came from. Once a server has answered (any HTTP status), the
//! same failure means it is restarting or briefly unreachable, and the call is retried until the
//! retry deadline as usual.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// How many tries a call makes at a server that has never answered before it gives up.
pub const UNREACHED_TRIES: u32 = 3;

/// The origins (`scheme://host:port`) that have answered in this process.
static ANSWERED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// `scheme://host:port` of a URL (the URL itself if it does not parse).
pub fn origin(url: &str) -> String {
    reqwest::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| url.to_owned())
}

/// Records that the server at `origin` answered.
pub fn answered(origin: &str) {
    let mut set = ANSWERED.lock().unwrap_or_else(|e| e.into_inner());
    if !set.contains(origin) {
        set.insert(origin.to_owned());
    }
}

/// Whether the server at `origin` has answered in this process.
pub fn has_answered(origin: &str) -> bool {
    ANSWERED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .contains(origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_scheme_host_and_port() {
        assert_eq!(
            origin("http://127.0.0.1:9/api/v0/tokens?x=1"),
            "http://127.0.0.1:9"
        );
        assert_eq!(origin("https://h.example/api"), "https://h.example");
        let o = origin("http://answered.invalid:1/x");
        assert!(!has_answered(&o));
        answered(&o);
        assert!(has_answered(&o));
    }
}
