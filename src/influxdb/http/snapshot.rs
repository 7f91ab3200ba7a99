//! Refresh at scale: per-process snapshots of an API's lists (tokens, databases, ...), so that
//! refreshing N objects costs one list call instead of N calls. Every API family keeps its
//! snapshots in its client and registers them with the HTTP core ([`Invalidate`]).
//!
//! Terraform refreshes every resource instance with its own ReadResource call (ten at a time).
//! Within one provider process the first read of a token fetches the whole token list once and
//! every later read is served from that snapshot; the same for databases. Reads that arrive
//! while the list is being fetched wait for that one call instead of starting their own (no
//! thundering herd).
//!
//! Freshness: any write through the client (create, update, delete: every call that is not a
//! GET, see [`super::HttpCore`]) drops the client's snapshots when it finishes, so a read after a
//! write fetches again and sees it. A token missing from the list is confirmed with one GET
//! before it is declared gone, because a list that lags must not make Terraform recreate a live
//! token. A failed list is not kept: the reads waiting for it get its error, the next read tries
//! again. Each Terraform command starts its own provider processes, so a snapshot never outlives
//! the command that fetched it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use super::error::HttpError;

/// A list as the API returned it, indexed by key.
pub struct Listing<T> {
    items: Vec<T>,
    index: HashMap<String, usize>,
}

impl<T> Listing<T> {
    fn new(items: Vec<T>, key: fn(&T) -> &str) -> Self {
        let index = items
            .iter()
            .enumerate()
            .map(|(i, t)| (key(t).to_owned(), i))
            .collect();
        Listing { items, index }
    }

    pub fn get(&self, key: &str) -> Option<&T> {
        self.index.get(key).map(|&i| &self.items[i])
    }

    /// Every item, in the order the API listed them.
    pub fn items(&self) -> &[T] {
        &self.items
    }
}

type Cell<T> = Arc<OnceCell<Result<Arc<Listing<T>>, HttpError>>>;

/// One list, fetched at most once per generation; [`Snapshot::invalidate`] starts a new one.
pub struct Snapshot<T> {
    key: fn(&T) -> &str,
    current: Mutex<Cell<T>>,
}

impl<T> Snapshot<T> {
    pub fn new(key: fn(&T) -> &str) -> Self {
        Snapshot {
            key,
            current: Mutex::new(Arc::default()),
        }
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Cell<T>> {
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets the list; the next [`Snapshot::get`] fetches it again. A fetch already in
    /// flight completes for the reads that joined it, which started before the write.
    pub fn invalidate(&self) {
        *self.slot() = Arc::default();
    }

    /// The list, fetched with `fetch` unless this generation already has it or is fetching it
    /// (then this waits for that one call).
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<Listing<T>>, HttpError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Vec<T>, HttpError>>,
    {
        let cell = self.slot().clone();
        let key = self.key;
        let result = cell
            .get_or_init(|| async move {
                fetch()
                    .await
                    .map(|items| Arc::new(Listing::new(items, key)))
            })
            .await
            .clone();
        if result.is_err() {
            // Keep no error: the next read tries again (unless a write already moved on).
            let mut slot = self.slot();
            if Arc::ptr_eq(&slot, &cell) {
                *slot = Arc::default();
            }
        }
        result
    }
}

/// What a client's snapshots do when the client writes: forget what they hold. The shared
/// HTTP core calls it after every call that is not a GET.
pub trait Invalidate: Send + Sync {
    fn invalidate(&self);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    fn snapshot() -> Snapshot<String> {
        Snapshot::new(|s| s.as_str())
    }

    async fn fetch(calls: &AtomicUsize, items: &[&str]) -> Result<Vec<String>, HttpError> {
        calls.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_millis(20)).await;
        Ok(items.iter().map(|s| s.to_string()).collect())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_reads_share_one_fetch() {
        let s = Arc::new(snapshot());
        let calls = Arc::new(AtomicUsize::new(0));
        let mut reads = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let (s, calls) = (s.clone(), calls.clone());
            reads.spawn(async move { s.get(|| fetch(&calls, &["a", "b"])).await });
        }
        while let Some(r) = reads.join_next().await {
            let listing = r.expect("task").expect("list");
            assert_eq!(listing.get("b").map(String::as_str), Some("b"));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        // Later reads are served from the snapshot.
        s.get(|| fetch(&calls, &["x"])).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn invalidate_makes_the_next_read_fetch_again() {
        let s = snapshot();
        let calls = AtomicUsize::new(0);
        s.get(|| fetch(&calls, &["a"])).await.unwrap();
        s.invalidate();
        let l = s.get(|| fetch(&calls, &["a", "new"])).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(l.get("new").is_some());
        assert_eq!(l.items().len(), 2);
    }

    #[tokio::test]
    async fn an_error_is_shared_but_not_kept() {
        let s = snapshot();
        let err = s
            .get(|| async {
                Err(HttpError::new(
                    &crate::influxdb::management::MANAGEMENT_API,
                    crate::influxdb::http::ErrorKind::Status {
                        status: 500,
                        message: "boom".into(),
                    },
                ))
            })
            .await;
        assert!(err.is_err());
        let calls = AtomicUsize::new(0);
        s.get(|| fetch(&calls, &["a"])).await.unwrap();
        assert_eq!(
            calls.load(Ordering::SeqCst),
            1,
            "the failed list was not kept"
        );
    }
}
