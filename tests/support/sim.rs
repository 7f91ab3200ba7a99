//! Spawns the `influxdb-sim` binary for a test and talks to its `/__sim/` control
//! endpoints. Synchronous (plain `std::net`, and rustls for a simulator started with `--tls`),
//! so it works from async and blocking tests alike. The process is killed when the handle is
//! dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::time::Duration;

pub const MANAGEMENT_TOKEN: &str = "sim-management-token";
pub const ACCOUNT_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const CLUSTER_ID: &str = "22222222-2222-4222-8222-222222222222";

pub fn sim_binary() -> &'static str {
    env!("CARGO_BIN_EXE_influxdb-sim")
}

pub struct SimProcess {
    child: Child,
    /// `http://127.0.0.1:PORT` (`https://` with `--tls`)
    pub url: String,
    pub clustered: bool,
    /// Started with `--product oss-v2` or `cloud-serverless` (both serve `/api/v2`).
    pub is_oss_v2: bool,
    /// Started with `--product core` or `--product enterprise`.
    pub is_core: bool,
    /// With `--tls`: the file holding the simulator's CA certificate (PEM), in a temp dir that
    /// lives as long as this handle.
    pub ca_file: Option<PathBuf>,
    _ca_dir: Option<tempfile::TempDir>,
}

/// A raw HTTP answer: status and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl SimProcess {
    /// Starts the simulator on a free port with extra flags (e.g. `["--product", "clustered"]`).
    pub fn start(args: &[&str]) -> SimProcess {
        let tls = args.contains(&"--tls");
        let ca_dir = tls.then(|| tempfile::tempdir().expect("temp dir for the CA"));
        let ca_file = ca_dir.as_ref().map(|d| d.path().join("ca.pem"));
        let mut cmd = Command::new(sim_binary());
        cmd.args(["--listen", "127.0.0.1:0"]).args(args);
        if let Some(f) = &ca_file {
            cmd.arg("--tls-ca-file").arg(f);
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn influxdb-sim");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the simulator's address");
        let url = line.trim().to_owned();
        let scheme = if tls { "https" } else { "http" };
        assert!(
            url.starts_with(&format!("{scheme}://127.0.0.1:")),
            "first line: {line:?}"
        );
        let clustered = args.windows(2).any(|w| w == ["--product", "clustered"]);
        let is_oss_v2 = args
            .windows(2)
            .any(|w| w == ["--product", "oss-v2"] || w == ["--product", "cloud-serverless"]);
        let is_core = args
            .windows(2)
            .any(|w| w == ["--product", "core"] || w == ["--product", "enterprise"]);
        SimProcess {
            child,
            url,
            clustered,
            is_oss_v2,
            is_core,
            ca_file,
            _ca_dir: ca_dir,
        }
    }

    /// A Cloud Dedicated simulator serving HTTPS with its own CA (see [`SimProcess::ca_pem`]).
    pub fn tls() -> SimProcess {
        SimProcess::start(&["--tls"])
    }

    /// The environment variables that point the provider at this simulator, as a user of the
    /// product would set them: `INFLUX_HOST`, `INFLUX_TOKEN` and `INFLUX_ORG` for InfluxDB OSS v2;
    /// `INFLUXDB3_HOST_URL` and `INFLUXDB3_AUTH_TOKEN` for InfluxDB 3 Core and Enterprise;
    /// `INFLUXDB3_URL` and `INFLUXDB3_MANAGEMENT_TOKEN`, plus `INFLUXDB3_ACCOUNT_ID` and
    /// `INFLUXDB3_CLUSTER_ID` unless clustered, for InfluxDB 3.
    pub fn provider_env(&self) -> Vec<(&'static str, String)> {
        if self.is_core {
            return vec![
                ("INFLUXDB3_HOST_URL", self.url.clone()),
                ("INFLUXDB3_AUTH_TOKEN", CORE_TOKEN.to_owned()),
            ];
        }
        if self.is_oss_v2 {
            return vec![
                ("INFLUX_HOST", self.url.clone()),
                ("INFLUX_TOKEN", V2_TOKEN.to_owned()),
                ("INFLUX_ORG", V2_ORG.to_owned()),
            ];
        }
        let mut env = vec![
            ("INFLUXDB3_URL", self.url.clone()),
            ("INFLUXDB3_MANAGEMENT_TOKEN", MANAGEMENT_TOKEN.to_owned()),
        ];
        if !self.clustered {
            env.push(("INFLUXDB3_ACCOUNT_ID", ACCOUNT_ID.to_owned()));
            env.push(("INFLUXDB3_CLUSTER_ID", CLUSTER_ID.to_owned()));
        }
        env
    }

    /// `host:port`.
    pub fn addr(&self) -> &str {
        self.url
            .trim_start_matches("http://")
            .trim_start_matches("https://")
    }

    /// With `--tls`: the CA certificate (PEM).
    pub fn ca_pem(&self) -> String {
        let f = self
            .ca_file
            .as_ref()
            .expect("a simulator started with --tls");
        std::fs::read_to_string(f).expect("read the CA file")
    }

    /// A TLS client configuration trusting only the simulator's CA.
    fn tls_config(&self) -> Arc<rustls::ClientConfig> {
        use rustls::pki_types::pem::PemObject;
        let mut roots = rustls::RootCertStore::empty();
        for der in rustls::pki_types::CertificateDer::pem_slice_iter(self.ca_pem().as_bytes()) {
            roots.add(der.expect("CA PEM")).expect("CA certificate");
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        Arc::new(
            rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("TLS versions")
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    }

    pub fn dedicated() -> SimProcess {
        SimProcess::start(&[])
    }

    pub fn clustered() -> SimProcess {
        SimProcess::start(&["--product", "clustered"])
    }

    /// The API prefix for the simulator's product, e.g. `/api/v0/accounts/../clusters/..`.
    pub fn api_prefix(&self) -> String {
        if self.clustered {
            "/api/v0".into()
        } else {
            format!("/api/v0/accounts/{ACCOUNT_ID}/clusters/{CLUSTER_ID}")
        }
    }

    /// One HTTP/1.1 request; `auth` adds the management token.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>, auth: bool) -> Answer {
        let bearer = format!("Bearer {MANAGEMENT_TOKEN}");
        self.request_as(method, path, body, auth.then_some(bearer.as_str()))
    }

    /// One HTTP/1.1 request with this `Authorization` header, if any.
    pub fn request_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: Option<&str>,
    ) -> Answer {
        let addr = self.addr();
        let tcp = TcpStream::connect(addr).expect("connect to the simulator");
        tcp.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let mut s: Box<dyn ReadWrite> = if self.ca_file.is_some() {
            let name = rustls::pki_types::ServerName::try_from("127.0.0.1")
                .expect("server name")
                .to_owned();
            let conn = rustls::ClientConnection::new(self.tls_config(), name).expect("TLS client");
            Box::new(rustls::StreamOwned::new(conn, tcp))
        } else {
            Box::new(tcp)
        };
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
        s.write_all(req.as_bytes()).expect("write request");
        let mut bytes = Vec::new();
        // A TLS peer may close without close_notify after `Connection: close`; what was read
        // is the whole answer.
        if let Err(e) = s.read_to_end(&mut bytes) {
            assert!(
                e.kind() == std::io::ErrorKind::UnexpectedEof && !bytes.is_empty(),
                "read response: {e}"
            );
        }
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {raw:?}"));
        Answer {
            status,
            body: body.to_owned(),
        }
    }

    /// An authenticated Management API request; `path` is relative to the API prefix.
    pub fn api(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        self.request(method, &format!("{}{path}", self.api_prefix()), body, true)
    }

    /// `POST /__sim/faults` with the given JSON.
    pub fn add_fault(&self, fault: serde_json::Value) {
        let a = self.request("POST", "/__sim/faults", Some(&fault.to_string()), false);
        assert_eq!(a.status, 204, "add fault: {}", a.body);
    }

    pub fn clear_faults(&self) {
        assert_eq!(
            self.request("DELETE", "/__sim/faults", None, false).status,
            204
        );
    }

    /// `GET /__sim/requests`: `[{"method", "path", "status"}]`.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        match self.request("GET", "/__sim/requests", None, false).json() {
            serde_json::Value::Array(a) => a,
            other => panic!("requests: {other}"),
        }
    }

    /// How many logged API requests had this method and a path ending in `suffix`.
    pub fn count_requests(&self, method: &str, suffix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r["method"] == method && r["path"].as_str().unwrap_or("").ends_with(suffix))
            .count()
    }

    pub fn clear_requests(&self) {
        assert_eq!(
            self.request("DELETE", "/__sim/requests", None, false)
                .status,
            204
        );
    }

    /// `GET /__sim/state`: `{"tokens": [...], "databases": [...]}`.
    pub fn state(&self) -> serde_json::Value {
        self.request("GET", "/__sim/state", None, false).json()
    }

    /// Sends SIGTERM and waits for the process to exit.
    pub fn terminate(mut self) -> ExitStatus {
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        self.child.wait().expect("wait for the simulator")
    }
}

/// What the simulator holds and was asked, read through `/__sim/`.
impl SimProcess {
    /// The (method, path) of the API calls the simulator logged.
    pub fn calls(&self) -> Vec<(String, String)> {
        self.requests()
            .iter()
            .map(|r| {
                (
                    r["method"].as_str().unwrap_or("").to_owned(),
                    r["path"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    /// Every database token the simulator holds, revoked ones included.
    pub fn tokens(&self) -> Vec<serde_json::Value> {
        self.state()["tokens"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The database tokens not revoked.
    pub fn active_tokens(&self) -> Vec<serde_json::Value> {
        self.tokens()
            .into_iter()
            .filter(|t| t["revokedAt"].is_null())
            .collect()
    }

    /// Every database the simulator holds.
    pub fn databases(&self) -> Vec<serde_json::Value> {
        self.state()["databases"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The database named `name`, if the simulator holds one.
    pub fn database(&self, name: &str) -> Option<serde_json::Value> {
        self.databases().into_iter().find(|d| d["name"] == name)
    }
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

impl Drop for SimProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

impl SimProcess {
    /// Which token an access token string belongs to, and whether it is still active, as the
    /// data plane would tell (`POST /__sim/authenticate`). `None` when no token has it.
    pub fn authenticate(&self, access_token: &str) -> Option<(String, bool)> {
        self.sim_authenticate(serde_json::json!({ "accessToken": access_token }))
    }

    /// `POST /__sim/authenticate` with `body`: the ID of the credential it names and whether
    /// it is active; `None` when there is none.
    fn sim_authenticate(&self, body: serde_json::Value) -> Option<(String, bool)> {
        let body = body.to_string();
        let a = self.request("POST", "/__sim/authenticate", Some(&body), false);
        match a.status {
            200 => {
                let j = a.json();
                Some((
                    j["id"].as_str().unwrap_or_default().to_owned(),
                    j["active"].as_bool().unwrap_or(false),
                ))
            }
            404 => None,
            other => panic!("authenticate: unexpected status {other}: {}", a.body),
        }
    }
}

// ---- InfluxDB OSS v2 mode (`--product oss-v2`) ----

pub const V2_TOKEN: &str = "sim-operator-token";
pub const V2_ORG: &str = "sim-org";
pub const V2_ORG_ID: &str = "5f3e0d9c1a2b4c6d";
pub const V2_USER_ID: &str = "0a1b2c3d4e5f6071";
pub const V2_OPERATOR_AUTH_ID: &str = "0f1e2d3c4b5a6978";

impl SimProcess {
    pub fn oss_v2() -> SimProcess {
        SimProcess::start(&["--product", "oss-v2"])
    }

    /// A `/api/v2` request with the operator token; `path` starts after `/api/v2`.
    pub fn v2(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        let auth = format!("Token {V2_TOKEN}");
        self.request_as(method, &format!("/api/v2{path}"), body, Some(&auth))
    }

    /// Which authorization a token string is and whether it works (`POST /__sim/authenticate`).
    pub fn v2_authenticate(&self, token: &str) -> Option<(String, bool)> {
        self.sim_authenticate(serde_json::json!({ "token": token }))
    }

    /// The authorizations in the simulator, the operator's excepted.
    pub fn v2_authorizations(&self) -> Vec<serde_json::Value> {
        self.state()["authorizations"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a["id"] != V2_OPERATOR_AUTH_ID)
            .collect()
    }

    /// Creates a bucket in the default org; returns its ID.
    pub fn v2_bucket(&self, name: &str) -> String {
        let body = serde_json::json!({"orgID": V2_ORG_ID, "name": name}).to_string();
        let a = self.v2("POST", "/buckets", Some(&body));
        assert_eq!(a.status, 201, "{}", a.body);
        a.json()["id"].as_str().unwrap_or_default().to_owned()
    }

    /// Creates a user; returns its ID.
    pub fn v2_user(&self, name: &str) -> String {
        let body = serde_json::json!({ "name": name }).to_string();
        let a = self.v2("POST", "/users", Some(&body));
        assert_eq!(a.status, 201, "{}", a.body);
        a.json()["id"].as_str().unwrap_or_default().to_owned()
    }
}

// ---- InfluxDB 3 Core / Enterprise mode (`--product core|enterprise`) ----

/// The operator token (`_admin`) of a Core/Enterprise simulator.
pub const CORE_TOKEN: &str = "sim-operator-token";

impl SimProcess {
    pub fn core() -> SimProcess {
        SimProcess::start(&["--product", "core"])
    }

    pub fn enterprise() -> SimProcess {
        SimProcess::start(&["--product", "enterprise"])
    }

    /// A request with the operator token; `path` is absolute (`/api/v3/...`).
    pub fn v3(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        let auth = format!("Bearer {CORE_TOKEN}");
        self.request_as(method, path, body, Some(&auth))
    }

    /// Rows of `SELECT * FROM <table>` on database `db` (`GET /api/v3/query_sql`).
    pub fn v3_rows(&self, db: &str, table: &str) -> Vec<serde_json::Value> {
        let q = format!("SELECT%20*%20FROM%20{table}");
        let a = self.v3(
            "GET",
            &format!("/api/v3/query_sql?db={db}&q={q}&format=json"),
            None,
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.json().as_array().cloned().unwrap_or_default()
    }

    /// The tokens the simulator holds (`_admin` included), without their strings.
    pub fn v3_tokens(&self) -> Vec<serde_json::Value> {
        self.state()["tokens"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The token named `name`, if the simulator holds one.
    pub fn v3_token(&self, name: &str) -> Option<serde_json::Value> {
        self.v3_tokens().into_iter().find(|t| t["name"] == name)
    }

    /// Which token a string is and whether it works: `(name, active)`.
    pub fn v3_authenticate(&self, token: &str) -> Option<(String, bool)> {
        let body = serde_json::json!({ "token": token }).to_string();
        let a = self.request("POST", "/__sim/authenticate", Some(&body), false);
        match a.status {
            200 => {
                let j = a.json();
                Some((
                    j["name"].as_str().unwrap_or_default().to_owned(),
                    j["active"].as_bool().unwrap_or(false),
                ))
            }
            404 => None,
            other => panic!("authenticate: unexpected status {other}: {}", a.body),
        }
    }

    /// Creates a named admin token outside Terraform; returns its string.
    pub fn v3_named_admin(&self, name: &str) -> String {
        let body = serde_json::json!({ "token_name": name }).to_string();
        let a = self.v3("POST", "/api/v3/configure/token/named_admin", Some(&body));
        assert_eq!(a.status, 201, "{}", a.body);
        a.json()["token"].as_str().unwrap_or_default().to_owned()
    }

    /// Writes line protocol to `db` (adds columns, as a real write does).
    pub fn v3_write(&self, db: &str, lines: &str) {
        let a = self.v3("POST", &format!("/api/v3/write_lp?db={db}"), Some(lines));
        assert_eq!(a.status, 204, "{}", a.body);
    }
}
