//! A real InfluxDB 3 Core server (`influxdb3 serve`) for a test: started on a free loopback
//! port with its data, plugin directory and admin token file in a temp dir, waited for until
//! `/health` answers, and stopped by its process id when the handle is dropped (the temp dir
//! goes with it: nothing is left behind). The binary is `../shared/servers/influxdb3-core/influxdb3`
//! next to the checkout (or next to any directory above it, for worktrees), or the file named
//! by `INFLUXDB3_CORE_BINARY`. A test that needs it fails, never skips, when it is missing or
//! cannot start, and says why (for a missing shared library, what `ldd` reports).
//!
//! [`RecordingProxy`] goes in front of it: it records the calls and injects faults (a lost
//! answer, a status) with the simulator's fault spec, so fault cases run on the real server.
//!
//! Synchronous (plain `std::net`), like `sim.rs`, so it works from async and blocking tests.
//! A server is about 4 s to healthy on 2 cores: one per test (nextest runs each test in its own
//! process, so a server cannot be shared across tests without outliving them).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The variable that names the `influxdb3` binary, overriding the search.
pub const BINARY_ENV: &str = "INFLUXDB3_CORE_BINARY";

/// Where the binary lives relative to a directory above the checkout.
const SHARED_PATH: &str = "shared/servers/influxdb3-core/influxdb3";

/// How long the server may take to answer `/health` (2 shared cores, a cold page cache).
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// A raw HTTP answer: status and body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// Header names in lower case, values as sent.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// The `influxdb3` binary: `$INFLUXDB3_CORE_BINARY`, else `shared/servers/influxdb3-core/influxdb3`
/// in the first directory above the repository root that holds it. Panics naming every place
/// looked at when there is none.
pub fn core_binary() -> PathBuf {
    if let Some(p) = std::env::var_os(BINARY_ENV) {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "{BINARY_ENV}={} is not a file: the real InfluxDB 3 Core server is required for this \
             test (tests that need it fail rather than skip)",
            p.display()
        );
        return p;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut looked = Vec::new();
    for dir in root.ancestors().skip(1) {
        let candidate = dir.join(SHARED_PATH);
        if candidate.is_file() {
            return candidate;
        }
        looked.push(candidate.display().to_string());
    }
    panic!(
        "the real InfluxDB 3 Core server (influxdb3) is required for this test and was not found \
         (tests that need it fail rather than skip). Looked at:\n  {}\nPut the binary at \
         <checkout>/../{SHARED_PATH} or set {BINARY_ENV} to its path.",
        looked.join("\n  ")
    )
}

/// What `ldd` says the binary lacks (`libpython3.11.so.1.0 => not found`), if anything.
fn missing_libraries(binary: &Path) -> Vec<String> {
    let Ok(out) = Command::new("ldd").arg(binary).output() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("not found"))
        .map(|l| l.trim().to_owned())
        .collect()
}

/// A free port on 127.0.0.1 (the listener is closed before the server binds it).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A fresh admin token string: `apiv3_` and 32 random URL-safe characters.
fn random_token() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("random bytes");
    let tail: String = bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect();
    format!("apiv3_{tail}")
}

pub struct CoreServer {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// The operator token (`_admin`), from the admin token file.
    pub token: String,
    /// The server's `--plugin-dir`.
    pub plugin_dir: PathBuf,
    /// The server's `--data-dir`.
    pub data_dir: PathBuf,
    log_file: PathBuf,
    dir: tempfile::TempDir,
}

impl CoreServer {
    /// Starts a server and waits until it is healthy. Panics with the reason (missing binary,
    /// missing shared library, the server's own output) when it cannot.
    pub fn start() -> CoreServer {
        let binary = core_binary();
        let missing = missing_libraries(&binary);
        assert!(
            missing.is_empty(),
            "the real InfluxDB 3 Core server {} cannot start on this machine; ldd reports:\n  {}\n\
             (install the missing libraries, e.g. Debian's libpython3.11)",
            binary.display(),
            missing.join("\n  ")
        );
        // The port is free when asked; another process may take it before the server binds it,
        // so a start that fails on the port is tried again on another.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(&binary) {
                Ok(s) => return s,
                Err(e) => last = e,
            }
        }
        panic!("the real InfluxDB 3 Core server could not start:\n{last}");
    }

    fn try_start(binary: &Path) -> Result<CoreServer, String> {
        let dir = tempfile::tempdir().expect("temp dir for the server");
        let token = random_token();
        let token_file = dir.path().join("admin.json");
        std::fs::write(
            &token_file,
            serde_json::json!({"token": token, "name": "_admin"}).to_string(),
        )
        .expect("write admin.json");
        let plugin_dir = dir.path().join("plugins");
        let data_dir = dir.path().join("data");
        std::fs::create_dir_all(&plugin_dir).expect("plugin dir");
        let log_file = dir.path().join("server.log");
        let log = std::fs::File::create(&log_file).expect("server log");
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = Command::new(binary);
        cmd.args(["serve", "--node-id", "test-node", "--object-store", "file"])
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--http-bind", &addr])
            .arg("--admin-token-file")
            .arg(&token_file)
            .arg("--plugin-dir")
            .arg(&plugin_dir)
            .arg("--disable-telemetry-upload")
            .env_remove("INFLUXDB3_AUTH_TOKEN")
            .env("LOG_FILTER", "info")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log handle"))
            .stderr(log);
        // Dies with the thread that started it, should the test process be killed before the
        // handle is dropped.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("spawn {}: {e}", binary.display()))?;
        let mut server = CoreServer {
            child,
            url: format!("http://{addr}"),
            token,
            plugin_dir,
            data_dir,
            log_file,
            dir,
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "{} exited ({status}) before answering /health; its output:\n{}",
                    binary.display(),
                    server.log_tail()
                ));
            }
            if let Ok(r) = server.try_request("GET", "/health", None, true) {
                if r.status == 200 {
                    return Ok(server);
                }
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{} did not answer /health within {START_TIMEOUT:?}; its output:\n{}",
                    binary.display(),
                    server.log_tail()
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// The last lines the server wrote.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log_file).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// The environment a user of Core sets for the provider.
    pub fn provider_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("INFLUXDB3_HOST_URL", self.url.clone()),
            ("INFLUXDB3_AUTH_TOKEN", self.token.clone()),
        ]
    }

    fn try_request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        admin: bool,
    ) -> std::io::Result<Reply> {
        let auth = admin.then(|| format!("Bearer {}", self.token));
        http_request(self.addr(), method, path, body, auth.as_deref())
    }

    /// One request with this `Authorization` header, if any.
    pub fn request_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: Option<&str>,
    ) -> Reply {
        http_request(self.addr(), method, path, body, authorization)
            .unwrap_or_else(|e| panic!("{method} {path} to the real server: {e}"))
    }

    /// One request as the operator (`_admin`); `path` is absolute (`/api/v3/...`).
    pub fn v3(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let auth = format!("Bearer {}", self.token);
        self.request_as(method, path, body, Some(&auth))
    }

    /// The rows of `sql` on database `db` (`GET /api/v3/query_sql`, JSON); panics on an error.
    pub fn sql(&self, db: &str, sql: &str) -> Vec<serde_json::Value> {
        let r = self.v3("GET", &query_sql_path(db, sql), None);
        assert_eq!(r.status, 200, "{sql} on {db}: {}", r.body);
        match r.json() {
            serde_json::Value::Array(a) => a,
            other => panic!("{sql}: not rows: {other}"),
        }
    }

    /// `system.databases` (soft-deleted ones included, under their new names).
    pub fn databases(&self) -> Vec<serde_json::Value> {
        self.sql("_internal", "SELECT * FROM system.databases")
    }

    /// `system.tokens` (`_admin` included).
    pub fn tokens(&self) -> Vec<serde_json::Value> {
        self.sql("_internal", "SELECT * FROM system.tokens")
    }

    /// Writes line protocol to `db` (creating the database and table as a real write does).
    pub fn write(&self, db: &str, lines: &str) {
        let r = self.v3("POST", &format!("/api/v3/write_lp?db={db}"), Some(lines));
        assert_eq!(r.status, 204, "write to {db}: {}", r.body);
    }
}

/// `/api/v3/query_sql?db=DB&q=SQL&format=json`, percent-encoded.
pub fn query_sql_path(db: &str, sql: &str) -> String {
    format!(
        "/api/v3/query_sql?db={}&q={}&format=json",
        percent(db),
        percent(sql)
    )
}

/// Percent-encodes everything but unreserved characters.
pub fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`); the answer's body is
/// de-chunked.
pub fn http_request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    authorization: Option<&str>,
) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.unwrap_or("");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(a) = authorization {
        req.push_str(&format!("Authorization: {a}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes)?;
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    let (head, rest) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {raw:?}")))?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
    });
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Reply {
        status,
        body,
        headers,
    })
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for CoreServer {
    /// SIGTERM by process id, then SIGKILL if it has not exited within 10 s; the temp dir
    /// (data, plugins, token file) is removed after.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            unsafe {
                libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

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
