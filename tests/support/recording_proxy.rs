//! A reverse proxy on loopback for tests in front of the real InfluxDB 3 Core server
//! (`core_server.rs`): it records every call the provider makes (what the simulator's
//! `/__sim/requests` tells) and injects faults with the simulator's `/__sim/faults` spec, so a
//! scenario written for the simulator runs against the real server too. Part of
//! `core_server.rs` (declared there).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One logged request through a [`RecordingProxy`].
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// The path with its query string.
    pub path: String,
    pub status: u16,
}

/// A reverse proxy on loopback in front of a server, recording the method, path and status of
/// every request (what the simulator's `/__sim/requests` tells), so a scenario can assert how
/// many calls of a kind the provider made on the real server too; and injecting faults, with
/// the simulator's `/__sim/faults` spec (`method`, `path_suffix`, `body_contains` (matched in
/// the body with a form's `%XX` and `+` decoded: an InfluxDB 1.x statement), `count`, and one
/// of `status`
/// (+ `retry_after_secs`), `drop_before_handling`, `drop_after_handling`), so that a fault case
/// runs against the real server as written for the simulator. Keep-alive to the client; one
/// upstream connection per request. Stops when dropped.
pub struct RecordingProxy {
    pub url: String,
    log: Arc<Mutex<Vec<Seen>>>,
    faults: Arc<Mutex<Vec<ProxyFault>>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

/// What an armed fault does to a matching request.
#[derive(Debug, Clone, PartialEq)]
enum FaultAction {
    /// Answer this status (plain text) without passing the request on.
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    /// Close the connection without passing the request on.
    DropBefore,
    /// Pass the request on, then close the connection without the answer.
    DropAfter,
}

#[derive(Debug, Clone)]
struct ProxyFault {
    method: Option<String>,
    path_suffix: Option<String>,
    body_contains: Option<String>,
    remaining: u32,
    action: FaultAction,
}

impl ProxyFault {
    /// The fault a `/__sim/faults`-style spec arms; panics on a key the proxy cannot play.
    fn from_spec(spec: &serde_json::Value) -> ProxyFault {
        let known = [
            "method",
            "path_suffix",
            "body_contains",
            "count",
            "status",
            "retry_after_secs",
            "drop_before_handling",
            "drop_after_handling",
        ];
        for k in spec.as_object().expect("a fault is an object").keys() {
            assert!(
                known.contains(&k.as_str()),
                "the fault proxy cannot play {k:?}"
            );
        }
        let flag = |k: &str| spec[k].as_bool().unwrap_or(false);
        let action = if let Some(status) = spec["status"].as_u64() {
            FaultAction::Status {
                status: status as u16,
                retry_after: spec["retry_after_secs"].as_u64(),
            }
        } else if flag("drop_before_handling") {
            FaultAction::DropBefore
        } else if flag("drop_after_handling") {
            FaultAction::DropAfter
        } else {
            panic!("a fault needs status, drop_before_handling or drop_after_handling: {spec}")
        };
        ProxyFault {
            method: spec["method"].as_str().map(str::to_owned),
            path_suffix: spec["path_suffix"].as_str().map(str::to_owned),
            body_contains: spec["body_contains"].as_str().map(str::to_owned),
            remaining: spec["count"].as_u64().unwrap_or(1) as u32,
            action,
        }
    }
}

/// The action of the first armed fault matching this request, spending one of its uses.
fn take_fault(
    faults: &Mutex<Vec<ProxyFault>>,
    method: &str,
    path: &str,
    body: &[u8],
) -> Option<FaultAction> {
    let path = path.split('?').next().unwrap_or("");
    let mut faults = faults.lock().unwrap();
    let i = faults.iter().position(|f| {
        f.remaining > 0
            && f.method.as_deref().is_none_or(|m| m == method)
            && f.path_suffix.as_deref().is_none_or(|p| path.ends_with(p))
            && f.body_contains
                .as_deref()
                .is_none_or(|b| form_decoded(body).contains(b))
    })?;
    faults[i].remaining -= 1;
    let action = faults[i].action.clone();
    if faults[i].remaining == 0 {
        faults.remove(i);
    }
    Some(action)
}

/// A body as text with an HTML form's encoding undone (`+` is a space, `%XX` a byte).
fn form_decoded(body: &[u8]) -> String {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < body.len() => {
                let hex = std::str::from_utf8(&body[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl RecordingProxy {
    pub fn start(upstream: &str) -> RecordingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the recording proxy");
        let addr = listener.local_addr().expect("proxy address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let faults = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (log2, faults2, stop2, upstream) = (
            log.clone(),
            faults.clone(),
            stop.clone(),
            upstream.to_owned(),
        );
        thread::spawn(move || {
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let (log, faults, upstream) = (log2.clone(), faults2.clone(), upstream.clone());
                thread::spawn(move || {
                    let _ = relay(conn, &upstream, &log, &faults);
                });
            }
        });
        RecordingProxy {
            url: format!("http://{addr}"),
            log,
            faults,
            stop,
            addr,
        }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }

    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }

    /// How many uses of armed faults are left (0: every fault armed has happened).
    pub fn faults_left(&self) -> u32 {
        self.faults
            .lock()
            .unwrap()
            .iter()
            .map(|f| f.remaining)
            .sum()
    }

    /// Arms a fault (the simulator's `/__sim/faults` spec, see the type's doc).
    pub fn add_fault(&self, spec: &serde_json::Value) {
        self.faults
            .lock()
            .unwrap()
            .push(ProxyFault::from_spec(spec));
    }
}

impl Drop for RecordingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
    }
}

/// Serves one client connection: each request (head and `Content-Length` body) is sent upstream
/// on its own connection with `Connection: close`, and the whole answer is passed back as it
/// came, until the client closes; unless an armed fault says otherwise.
fn relay(
    client: TcpStream,
    upstream: &str,
    log: &Mutex<Vec<Seen>>,
    faults: &Mutex<Vec<ProxyFault>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut out = client;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut head = request_line.clone();
        let mut length = 0usize;
        let mut close = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("connection:") {
                close = lower.contains("close");
                continue;
            }
            head.push_str(&line);
        }
        head.push_str("Connection: close\r\n\r\n");
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body)?;
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_owned();
        let path = parts.next().unwrap_or("").to_owned();
        let record = |status: u16| {
            log.lock().unwrap().push(Seen {
                method: method.clone(),
                path: path.clone(),
                status,
            })
        };
        let fault = take_fault(faults, &method, &path, &body);
        match fault {
            Some(FaultAction::DropBefore) => {
                record(0);
                return Ok(());
            }
            Some(FaultAction::Status {
                status,
                retry_after,
            }) => {
                record(status);
                let text = "injected by the test's fault proxy";
                let mut answer = format!(
                    "HTTP/1.1 {status} Injected\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n",
                    text.len()
                );
                if let Some(s) = retry_after {
                    answer.push_str(&format!("Retry-After: {s}\r\n"));
                }
                answer.push_str("\r\n");
                answer.push_str(text);
                out.write_all(answer.as_bytes())?;
                if close {
                    return Ok(());
                }
                continue;
            }
            _ => {}
        }
        let mut up = TcpStream::connect(upstream)?;
        up.write_all(head.as_bytes())?;
        up.write_all(&body)?;
        let mut answer = Vec::new();
        up.read_to_end(&mut answer)?;
        let status = String::from_utf8_lossy(&answer[..answer.len().min(32)])
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        record(status);
        if fault == Some(FaultAction::DropAfter) {
            // Handled by the server; the answer is lost.
            return Ok(());
        }
        // The answer keeps its own framing, so the client can send its next request here.
        out.write_all(&answer)?;
        if close {
            return Ok(());
        }
    }
}
