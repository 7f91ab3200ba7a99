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
//! A server answers `/health` in about half a second once the shared Python environment exists
//! (`target/tmp/influxdb3-core-venv`; the first server of a build makes it, about 5 s): one per
//! test (nextest runs each test in its own process, so a server cannot be shared across tests
//! without outliving them).
#![allow(dead_code)]

#[path = "recording_proxy.rs"]
mod recording_proxy;
#[allow(unused_imports)]
pub use recording_proxy::{RecordingProxy, Seen};

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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

/// The Python virtual environment every test server of this build shares
/// (`target/tmp/influxdb3-core-venv`, a build artifact like the rest of `target/`). The server
/// makes it when it is missing, which is most of its start-up time; with it, a server answers
/// `/health` within about half a second. Servers only read it (no test installs packages).
fn shared_venv() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("influxdb3-core-venv")
}

/// Marks a shared environment complete (a server made it and answered `/health`).
const VENV_READY: &str = ".made-by-a-test-server";

/// An exclusive lock (`flock`) on `<venv>.lock`, held while the first server makes the shared
/// environment, so that concurrent test processes do not make it twice.
struct VenvLock {
    file: std::fs::File,
    venv: PathBuf,
}

impl VenvLock {
    /// `None` when the environment is already made; else the lock, once no other process holds
    /// it, with a half-made environment (its maker killed) removed.
    fn if_missing(venv: &Path) -> Option<VenvLock> {
        use std::os::unix::io::AsRawFd;
        if venv.join(VENV_READY).is_file() {
            return None;
        }
        let parent = venv.parent().expect("the venv's directory");
        std::fs::create_dir_all(parent).expect("target/tmp");
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(venv.with_extension("lock"))
            .expect("the venv lock file");
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
        assert_eq!(rc, 0, "flock on the venv lock file");
        if venv.join(VENV_READY).is_file() {
            return None; // made by another process while this one waited
        }
        let _ = std::fs::remove_dir_all(venv);
        Some(VenvLock {
            file,
            venv: venv.to_owned(),
        })
    }

    /// The server answered `/health`: its environment is complete.
    fn made(self) {
        let _ = std::fs::write(self.venv.join(VENV_READY), "");
        drop(self.file); // releases the lock
    }
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
        // The first server of a build makes the shared Python environment; the others wait for
        // it, then start in well under a second instead of about five.
        let venv = shared_venv();
        let first = VenvLock::if_missing(&venv);
        // The port is free when asked; another process may take it before the server binds it,
        // so a start that fails on the port is tried again on another.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(&binary, &venv) {
                Ok(s) => {
                    if let Some(lock) = first {
                        lock.made();
                    }
                    return s;
                }
                Err(e) => last = e,
            }
        }
        panic!("the real InfluxDB 3 Core server could not start:\n{last}");
    }

    fn try_start(binary: &Path, venv: &Path) -> Result<CoreServer, String> {
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
            .arg("--virtual-env-location")
            .arg(venv)
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
