//! A real InfluxDB 1.x server (`influxd`, Debian's `influxdb` package installed by
//! `scripts/install-influxdb1.sh`) for the InfluxDB 1.x end-to-end tests: one per test, on free
//! loopback ports (HTTP and the RPC `bind-address`), with its meta, data and WAL directories in
//! a temporary directory, `auth-enabled = true` and reporting off. The first admin user is made
//! at start; the process is killed (by its pid) and its directory removed when the handle is
//! dropped.
//!
//! [`Influxd::start_tls`] serves HTTPS only, with a certificate for `127.0.0.1` signed by a
//! certificate authority made for that server ([`Influxd::ca_pem`]).
//!
//! Helpers run InfluxQL as that admin, to change things behind Terraform's back and to check
//! the server's own view. A test FAILS, with the reason, when `influxd` cannot be installed or
//! started: it never skips.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine as _;

/// The first admin user every server is started with.
pub const ADMIN_USER: &str = "tf-admin";
pub const ADMIN_PASSWORD: &str = "admin-secret-pw-7Qz";

/// The `influxd` binary: installed by the project's script when missing.
pub fn influxd_binary() -> PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new("bash")
            .arg(root.join("scripts/install-influxdb1.sh"))
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("could not run scripts/install-influxdb1.sh: {e}"));
        assert!(
            out.status.success(),
            "influxd is missing and scripts/install-influxdb1.sh could not install it: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let path = PathBuf::from(path.lines().last().unwrap_or_default());
        assert!(
            path.is_file(),
            "install-influxdb1.sh printed {path:?}, which is not a file"
        );
        path
    })
    .clone()
}

/// A raw HTTP answer.
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

/// One running `influxd`.
pub struct Influxd {
    child: Child,
    /// `http://127.0.0.1:PORT` (`https://` for [`Influxd::start_tls`]).
    pub url: String,
    port: u16,
    dir: tempfile::TempDir,
    tls: Option<Tls>,
}

/// A server's HTTPS: the CA that signed its certificate, and a client trusting that CA alone.
struct Tls {
    ca_pem: String,
    client: Arc<rustls::ClientConfig>,
}

impl Tls {
    /// Makes a CA and a certificate for `127.0.0.1` signed by it, written into `dir` as
    /// `cert.pem` (with the CA after it) and `key.pem`.
    fn make(dir: &Path) -> Tls {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
            KeyPair, KeyUsagePurpose, SanType,
        };
        let now = time::OffsetDateTime::now_utc();
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.distinguished_name
            .push(DnType::CommonName, "influxd test CA");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        ca.not_before = now - time::Duration::days(1);
        ca.not_after = now + time::Duration::days(30);
        let ca_cert = ca.self_signed(&ca_key).expect("self-sign the CA");
        let issuer = Issuer::new(ca, ca_key);
        let key = KeyPair::generate().expect("server key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("server parameters");
        params.subject_alt_names = vec![SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))];
        params
            .distinguished_name
            .push(DnType::CommonName, "influxd");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = now - time::Duration::minutes(5);
        params.not_after = now + time::Duration::days(30);
        let cert = params
            .signed_by(&key, &issuer)
            .expect("sign the server certificate");
        std::fs::write(
            dir.join("cert.pem"),
            format!("{}{}", cert.pem(), ca_cert.pem()),
        )
        .expect("write cert.pem");
        std::fs::write(dir.join("key.pem"), key.serialize_pem()).expect("write key.pem");
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca_cert.der().clone()).expect("the CA as a root");
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let client = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_root_certificates(roots)
            .with_no_client_auth();
        Tls {
            ca_pem: ca_cert.pem(),
            client: Arc::new(client),
        }
    }
}

/// A stream the helpers talk HTTP over: plain TCP or TLS.
trait Stream: Read + Write {}
impl<T: Read + Write> Stream for T {}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn config(dir: &Path, http_port: u16, rpc_port: u16, tls: bool) -> String {
    let d = dir.display();
    let https = if tls {
        format!("  https-enabled = true\n  https-certificate = \"{d}/cert.pem\"\n  https-private-key = \"{d}/key.pem\"\n")
    } else {
        String::new()
    };
    format!(
        r#"reporting-disabled = true
bind-address = "127.0.0.1:{rpc_port}"

[meta]
  dir = "{d}/meta"
  logging-enabled = false

[data]
  dir = "{d}/data"
  wal-dir = "{d}/wal"
  query-log-enabled = false
  cache-snapshot-write-cold-duration = "10m0s"

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:{http_port}"
  auth-enabled = true
  log-enabled = false
  pprof-enabled = false
{https}
[logging]
  level = "warn"

[subscriber]
  enabled = false
"#
    )
}

impl Influxd {
    /// Starts a server on free loopback ports, waits until it answers and creates the first
    /// admin user ([`ADMIN_USER`]).
    pub fn start() -> Influxd {
        Self::start_with(false)
    }

    /// [`Influxd::start`], serving HTTPS only (see [`Influxd::ca_pem`]).
    pub fn start_tls() -> Influxd {
        Self::start_with(true)
    }

    /// The PEM of the CA that signed an HTTPS server's certificate.
    pub fn ca_pem(&self) -> &str {
        &self
            .tls
            .as_ref()
            .expect("a server started with start_tls")
            .ca_pem
    }

    fn start_with(tls: bool) -> Influxd {
        let binary = influxd_binary();
        let mut last = String::new();
        // A port taken between choosing it and influxd binding it: try again with others.
        for _ in 0..5 {
            let dir = tempfile::tempdir().expect("temp dir for influxd");
            let (http_port, rpc_port) = (free_port(), free_port());
            if http_port == rpc_port {
                continue;
            }
            let conf = dir.path().join("influxdb.conf");
            let certs = tls.then(|| Tls::make(dir.path()));
            std::fs::write(&conf, config(dir.path(), http_port, rpc_port, tls))
                .expect("write conf");
            let log = std::fs::File::create(dir.path().join("influxd.log")).expect("log file");
            let child = Command::new(&binary)
                .arg("-config")
                .arg(&conf)
                .env_remove("INFLUXDB_HTTP_AUTH_ENABLED")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("could not start {}: {e}", binary.display()));
            let scheme = if tls { "https" } else { "http" };
            let mut server = Influxd {
                child,
                url: format!("{scheme}://127.0.0.1:{http_port}"),
                port: http_port,
                dir,
                tls: certs,
            };
            match server.wait_ready() {
                Ok(()) => {
                    server.create_admin();
                    return server;
                }
                Err(e) => last = e,
            }
        }
        panic!("influxd did not start: {last}");
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("influxd exited ({status}): {}", self.log()));
            }
            if let Ok(a) = self.http("GET", "/ping", None, None) {
                if a.status == 204 {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(format!("no answer to /ping within 60 s: {}", self.log()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn create_admin(&self) {
        let q = format!(
            "CREATE USER {} WITH PASSWORD {} WITH ALL PRIVILEGES",
            quote_ident(ADMIN_USER),
            quote_string(ADMIN_PASSWORD)
        );
        let a = self
            .http("POST", "/query", Some(&form(&[("q", &q)])), None)
            .expect("create the admin user");
        assert_eq!(a.status, 200, "create the admin user: {}", a.body);
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("influxd.log")).unwrap_or_default()
    }

    /// `127.0.0.1:PORT`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The environment that points the provider at this server as its admin:
    /// `INFLUXDB_URL`, `INFLUXDB_USERNAME`, `INFLUXDB_PASSWORD`.
    pub fn provider_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("INFLUXDB_URL", self.url.clone()),
            ("INFLUXDB_USERNAME", ADMIN_USER.to_owned()),
            ("INFLUXDB_PASSWORD", ADMIN_PASSWORD.to_owned()),
        ]
    }

    /// One HTTP/1.1 request; `auth` = (user, password) as basic auth.
    pub fn http(
        &self,
        method: &str,
        path: &str,
        form_body: Option<&str>,
        auth: Option<(&str, &str)>,
    ) -> std::io::Result<Answer> {
        let tcp = TcpStream::connect(self.addr())?;
        tcp.set_read_timeout(Some(Duration::from_secs(60)))?;
        let mut s: Box<dyn Stream> = match &self.tls {
            None => Box::new(tcp),
            Some(t) => {
                let name = rustls::pki_types::ServerName::from(IpAddr::V4(Ipv4Addr::LOCALHOST));
                let conn = rustls::ClientConnection::new(t.client.clone(), name)
                    .map_err(std::io::Error::other)?;
                Box::new(rustls::StreamOwned::new(conn, tcp))
            }
        };
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.addr()
        );
        if let Some((u, p)) = auth {
            let b = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
            req.push_str(&format!("Authorization: Basic {b}\r\n"));
        }
        let body = form_body.unwrap_or("");
        if form_body.is_some() {
            req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        s.write_all(req.as_bytes())?;
        let mut raw = Vec::new();
        match s.read_to_end(&mut raw) {
            // A TLS peer that closes without close_notify: what came is the whole answer.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => {}
            r => {
                r?;
            }
        }
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            dechunk(rest)
        } else {
            rest.to_owned()
        };
        Ok(Answer { status, body })
    }

    /// InfluxQL as `user`: the whole answer.
    pub fn query_as(&self, user: &str, password: &str, q: &str) -> Answer {
        self.http(
            "POST",
            "/query",
            Some(&form(&[("q", q)])),
            Some((user, password)),
        )
        .unwrap_or_else(|e| panic!("POST /query {q:?}: {e}"))
    }

    /// InfluxQL as the admin; panics on any error (HTTP or per statement). The answer's
    /// `results`.
    pub fn influxql(&self, q: &str) -> serde_json::Value {
        let a = self.query_as(ADMIN_USER, ADMIN_PASSWORD, q);
        assert_eq!(a.status, 200, "{q}: {}", a.body);
        let v = a.json();
        for r in v["results"].as_array().into_iter().flatten() {
            assert!(r.get("error").is_none(), "{q}: {}", a.body);
        }
        v["results"].clone()
    }

    /// The rows of a single-statement `SHOW ...`, each as column → value.
    pub fn rows(&self, q: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
        let results = self.influxql(q);
        let mut out = Vec::new();
        for series in results[0]["series"].as_array().into_iter().flatten() {
            let columns: Vec<String> = series["columns"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| c.as_str().unwrap_or_default().to_owned())
                .collect();
            for values in series["values"].as_array().into_iter().flatten() {
                let mut row = serde_json::Map::new();
                if let Some(name) = series.get("name") {
                    row.insert("_series".into(), name.clone());
                }
                for (c, v) in columns.iter().zip(values.as_array().into_iter().flatten()) {
                    row.insert(c.clone(), v.clone());
                }
                out.push(row);
            }
        }
        out
    }

    /// Every database name.
    pub fn databases(&self) -> Vec<String> {
        self.rows("SHOW DATABASES")
            .iter()
            .filter_map(|r| r["name"].as_str().map(str::to_owned))
            .collect()
    }

    /// The retention policies of `db` as the server lists them.
    pub fn retention_policies(&self, db: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
        self.rows(&format!("SHOW RETENTION POLICIES ON {}", quote_ident(db)))
    }

    /// Writes line protocol into `db` (retention policy `rp`, else the default) as the admin.
    pub fn write(&self, db: &str, rp: Option<&str>, lines: &str) {
        let mut q = vec![("db", db)];
        if let Some(rp) = rp {
            q.push(("rp", rp));
        }
        let path = format!("/write?{}", form(&q));
        let a = self
            .http(
                "POST",
                &path,
                Some(lines),
                Some((ADMIN_USER, ADMIN_PASSWORD)),
            )
            .expect("write");
        assert_eq!(a.status, 204, "write: {}", a.body);
    }

    /// Makes a user that is not an admin (for the "non-admin provider user" scenarios).
    pub fn create_user(&self, name: &str, password: &str) {
        self.influxql(&format!(
            "CREATE USER {} WITH PASSWORD {}",
            quote_ident(name),
            quote_string(password)
        ));
    }
}

impl Drop for Influxd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An InfluxQL identifier in double quotes (`"` and `\` escaped).
pub fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An InfluxQL string literal in single quotes (`'` and `\` escaped).
pub fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// `application/x-www-form-urlencoded`.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let (Some(chunk), Some(tail)) = (rest.get(..n), rest.get(n..)) else {
            break;
        };
        if n == 0 {
            break;
        }
        out.push_str(chunk);
        s = tail.trim_start_matches("\r\n");
    }
    out
}
