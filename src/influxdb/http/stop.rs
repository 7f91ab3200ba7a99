//! What Terraform's stop signal (StopProvider, sent on the first Ctrl-C) does to the calls of
//! every client built on [`super::HttpCore`], and the cleanup work it must never cut short.
//!
//! Terraform's contract: on the first Ctrl-C it calls StopProvider, schedules no new operation
//! and waits for the operations in flight to return; a second Ctrl-C abandons them, and the
//! provider process with them. A server carries out a request it has received even when the
//! client has gone away, so abandoning a create that has been sent leaves an object nobody
//! knows about (for a token, a working credential). Hence, on stop:
//!
//! - a call not yet sent, a retry and a back-off wait are cancelled
//!   ([`super::ErrorKind::Cancelled`]; a create reports [`super::CreateOutcome::NotSent`]);
//! - a read (GET) in flight is abandoned at once, so plan, refresh and listing stop promptly;
//! - a write in flight (a create, an update, a delete: anything but a GET) has left the client,
//!   so it is NOT abandoned: it waits for its answer up to its request timeout, and the object a
//!   create made reaches the state;
//! - cleanup work runs inside [`cleanup`]: finding and removing what a create whose answer was
//!   lost may have made, and closing an ephemeral token or authorization. There the stop signal
//!   is ignored and every call is bounded by the cleanup's own deadline ([`CLEANUP_DEADLINE`])
//!   instead of the retry deadline, so a stopping run still leaves no credential behind and its
//!   error says what the cleanup found.
//!
//! A family gets the first three for free; it wraps its lost-answer recovery and its ephemeral
//! Close in [`cleanup`].

use std::future::Future;
use std::time::{Duration, Instant};

/// How long cleanup work may take in all, whatever the stop signal says.
pub const CLEANUP_DEADLINE: Duration = Duration::from_secs(20);

tokio::task_local! {
    /// Set inside [`cleanup`]: when its work must be done.
    static CLEANUP_UNTIL: Instant;
}

/// Runs `work` (cleanup calls through any client) unaffected by the stop signal, each call
/// bounded by what is left of [`CLEANUP_DEADLINE`]. Nested cleanups keep the outer deadline.
pub async fn cleanup<F: Future>(work: F) -> F::Output {
    let until = cleanup_deadline().unwrap_or_else(|| Instant::now() + CLEANUP_DEADLINE);
    CLEANUP_UNTIL.scope(until, work).await
}

/// The deadline of the cleanup the current task runs, if it runs one.
pub(super) fn cleanup_deadline() -> Option<Instant> {
    CLEANUP_UNTIL.try_with(|until| *until).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_deadline_is_seen_inside_cleanup_only_and_nesting_keeps_it() {
        assert_eq!(cleanup_deadline(), None);
        let (outer, inner) = cleanup(async {
            let outer = cleanup_deadline();
            tokio::time::sleep(Duration::from_millis(5)).await;
            let inner = cleanup(async { cleanup_deadline() }).await;
            (outer, inner)
        })
        .await;
        assert!(outer.is_some());
        assert_eq!(outer, inner);
        assert_eq!(cleanup_deadline(), None);
    }
}
