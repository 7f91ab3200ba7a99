//! What every API family of the simulator shares: the listener and TLS ([`server`], [`tls`]),
//! fault injection and latency ([`faults`]), the request log, the state file ([`state_file`]),
//! HTTP helpers ([`http`]) and the `/__sim/` control endpoints common to all ([`control`]).
//!
//! A family is anything that implements [`Family`]: the harness hands it every API request
//! that no fault stopped, and the `/__sim/` requests the harness does not serve itself.

pub mod control;
pub mod faults;
pub mod http;
pub mod server;
pub mod state_file;
pub mod tls;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use hyper::header::HeaderMap;
use hyper::Method;
use serde::{Deserialize, Serialize};

use self::faults::{Fault, FaultSpec};
use self::http::Resp;
use self::state_file::StateFile;
use super::SimOptions;

/// One API family (the Management API, InfluxDB OSS v2, ...): its endpoints, its error format,
/// its own `/__sim/` endpoints and what it keeps in the state file.
pub trait Family: Send + Sync {
    /// An API request (any path outside `/__sim/`).
    fn handle(&self, req: &Request<'_>) -> Resp;

    /// This family's `/__sim/` endpoints (state, authenticate, ...); `None` for a path it does
    /// not serve, which the harness answers with 404.
    fn control(&self, req: &Request<'_>) -> Option<Resp>;

    /// The answer to a request an injected fault fails with `status`, in the family's error
    /// format.
    fn error(&self, status: u16, message: &str) -> Resp;

    /// The state file's content (JSON), or `None` for a family that keeps its state in memory
    /// only. Called after every request that may have changed something, and at shutdown.
    fn snapshot(&self) -> Option<Vec<u8>> {
        None
    }

    /// Loads a state file written from [`Family::snapshot`]; the error says what is wrong.
    fn restore(&self, saved: &[u8]) -> Result<(), String> {
        let _ = saved;
        Ok(())
    }
}

/// An HTTP request as a family sees it, body read.
pub struct Request<'a> {
    pub method: &'a Method,
    /// The path, not decoded.
    pub path: &'a str,
    /// The query string, not decoded.
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// One API request as the simulator saw it; `status` is `None` when the connection was dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
}

/// What changes while the simulator runs, apart from the family's own state.
#[derive(Default)]
struct Live {
    faults: Vec<Fault>,
    latency: Duration,
    requests: Vec<RequestRecord>,
}

/// The family being served, with the faults, latency, request log and state file around it.
pub struct Harness {
    family: Arc<dyn Family>,
    state_file: Option<StateFile>,
    /// The latency set at start, which `DELETE /__sim/faults` comes back to.
    base_latency: Duration,
    live: Mutex<Live>,
}

impl Harness {
    /// Wraps `family`, loading the state file into it if the file exists.
    pub fn new(family: Arc<dyn Family>, opts: &SimOptions) -> std::io::Result<Harness> {
        let state_file = opts.state_file.clone().map(StateFile::new);
        if let Some(file) = &state_file {
            file.load(family.as_ref())?;
        }
        Ok(Harness {
            family,
            state_file,
            base_latency: opts.latency,
            live: Mutex::new(Live {
                latency: opts.latency,
                ..Live::default()
            }),
        })
    }

    pub fn family(&self) -> &dyn Family {
        self.family.as_ref()
    }

    fn lock(&self) -> MutexGuard<'_, Live> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the state file, if there is one and the family keeps state in it.
    pub fn save(&self) {
        if let Some(file) = &self.state_file {
            file.save(self.family.as_ref());
        }
    }

    pub fn latency(&self) -> Duration {
        self.lock().latency
    }

    pub fn requests(&self) -> Vec<RequestRecord> {
        self.lock().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    pub fn record(&self, method: &Method, path: &str, status: Option<u16>) {
        self.lock().requests.push(RequestRecord {
            method: method.to_string(),
            path: path.to_owned(),
            status,
        });
    }

    /// Arms the fault `spec` describes and applies its `latency_ms`.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<(), String> {
        let mut live = self.lock();
        if let Some(ms) = spec.latency_ms {
            live.latency = Duration::from_millis(ms);
        }
        if let Some(fault) = Fault::from_spec(spec)? {
            live.faults.push(fault);
        }
        Ok(())
    }

    /// The first armed fault matching the request, with one use consumed.
    pub fn take_fault(&self, method: &Method, path: &str) -> Option<Fault> {
        faults::take(&mut self.lock().faults, method, path)
    }

    /// Disarms every fault and restores the start-up latency.
    pub fn clear_faults(&self) {
        let mut live = self.lock();
        live.faults.clear();
        live.latency = self.base_latency;
    }

    /// `GET /__sim/faults`: the latency and the armed faults.
    pub fn faults_view(&self) -> serde_json::Value {
        let live = self.lock();
        let list: Vec<_> = live.faults.iter().map(Fault::view).collect();
        serde_json::json!({"latency_ms": live.latency.as_millis() as u64, "faults": list})
    }
}
