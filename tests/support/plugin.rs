//! Test harness that launches a provider binary exactly as go-plugin v1.4.1 (Terraform 1.0.3)
//! does, reads its handshake line and talks gRPC to it over the Unix socket with mutual TLS.
//!
//! Include it from an integration test (each test crate includes only what it needs):
//!
//! ```ignore
//! #[path = "support/plugin.rs"]
//! mod plugin;
//! use plugin::{Plugin, LaunchOptions, Presented};
//!
//! #[tokio::test]
//! async fn schema() {
//!     let bin = std::path::Path::new(env!("CARGO_BIN_EXE_terraform-provider-influxdb"));
//!     let mut p = Plugin::launch(bin);
//!     let mut client = p.provider_client().await.unwrap();
//!     // ... client.get_provider_schema(...) ...
//!     p.shutdown().await.unwrap();
//! }
//! ```
//!
//! What go-plugin's `Client.Start()` does and this harness copies:
//! - environment = the parent's plus `TF_PLUGIN_MAGIC_COOKIE`, `PLUGIN_MIN_PORT=10000`,
//!   `PLUGIN_MAX_PORT=25000`, `PLUGIN_PROTOCOL_VERSIONS=5,6` and (AutoMTLS) `PLUGIN_CLIENT_CERT`,
//!   a PEM certificate made like go-plugin's `generateCert` (ECDSA P-521, ECDSA-SHA512, CA,
//!   CN/SAN localhost, O HashiCorp). Variables that would change the plugin's behaviour and that
//!   go-plugin does not set (`PLUGIN_UNIX_SOCKET_DIR`, `TF_DISABLE_PLUGIN_TLS`, ...) are removed
//!   from the inherited environment unless a test sets them explicitly.
//! - the first stdout line is the handshake `CORE|PROTO|NETWORK|ADDR|grpc|CERT`, CERT being the
//!   server's DER leaf in standard base64 without padding; later stdout lines are drained.
//! - the TLS client pins the server certificate like Go does with a one-certificate root pool: the
//!   presented leaf must be that certificate and be valid for the name `localhost`; the handshake
//!   signatures are verified with aws-lc-rs (which has P-521). A plain rustls `WebPkiServerVerifier`
//!   cannot be used: webpki refuses a leaf with `cA=TRUE` (CaUsedAsEndEntity) while Go accepts it.
#![allow(dead_code)]

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use hyper_util::rt::TokioIo;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use tonic::transport::{Channel, Endpoint, Uri};

use terraform_provider_influxdb::wire::proto::plugin::grpc_controller_client::GrpcControllerClient;
use terraform_provider_influxdb::wire::proto::tfplugin6::provider_client::ProviderClient;

pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// Variables go-plugin sets or that steer a plugin; stripped from the inherited environment so a
/// test's outcome does not depend on the shell it runs in. Tests re-add what they need.
pub const PLUGIN_ENV_VARS: &[&str] = &[
    "TF_PLUGIN_MAGIC_COOKIE",
    "PLUGIN_MIN_PORT",
    "PLUGIN_MAX_PORT",
    "PLUGIN_PROTOCOL_VERSIONS",
    "PLUGIN_CLIENT_CERT",
    "PLUGIN_UNIX_SOCKET_DIR",
    "PLUGIN_UNIX_SOCKET_GROUP",
    "PLUGIN_MULTIPLEX_GRPC",
    "TF_DISABLE_PLUGIN_TLS",
    "TF_REATTACH_PROVIDERS",
];

/// go-plugin starts the gRPC client with unlimited message sizes; tonic defaults to 4 MiB.
const MAX_MESSAGE: usize = 256 << 20;

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

/// A client certificate made like go-plugin's `mtls.go` `generateCert`.
pub struct ClientCert {
    /// The PEM that goes into `PLUGIN_CLIENT_CERT`.
    pub pem: String,
    pub der: CertificateDer<'static>,
    /// PKCS#8 DER of the P-521 private key.
    pub key_pkcs8: Vec<u8>,
}

impl Clone for ClientCert {
    fn clone(&self) -> Self {
        ClientCert {
            pem: self.pem.clone(),
            der: self.der.clone(),
            key_pkcs8: self.key_pkcs8.clone(),
        }
    }
}

impl fmt::Debug for ClientCert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCert")
            .field("der_len", &self.der.len())
            .finish()
    }
}

impl ClientCert {
    /// ECDSA P-521 key, ECDSA-SHA512 self-signature, IsCA, KeyUsage
    /// DigitalSignature|KeyEncipherment|KeyAgreement|KeyCertSign, EKU ClientAuth+ServerAuth,
    /// CN and DNS SAN "localhost", O "HashiCorp", NotBefore now-30 s, NotAfter now+262980 h.
    pub fn generate() -> ClientCert {
        use rcgen::{
            BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
            KeyUsagePurpose, SerialNumber, PKCS_ECDSA_P521_SHA512,
        };
        let key = KeyPair::generate_for(&PKCS_ECDSA_P521_SHA512).expect("generate P-521 key");
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params
            .distinguished_name
            .push(DnType::OrganizationName, "HashiCorp");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
            KeyUsagePurpose::KeyAgreement,
            KeyUsagePurpose::KeyCertSign,
        ];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ClientAuth,
            ExtendedKeyUsagePurpose::ServerAuth,
        ];
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::seconds(30);
        params.not_after = now + time::Duration::hours(262_980);
        // Go: a random positive 128-bit serial.
        let mut serial = [0u8; 16];
        for b in serial.iter_mut() {
            *b = fastrand::u8(..);
        }
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        params.serial_number = Some(SerialNumber::from_slice(&serial));
        let cert = params.self_signed(&key).expect("self-sign client cert");
        ClientCert {
            pem: cert.pem(),
            der: cert.der().clone(),
            key_pkcs8: key.serialize_der(),
        }
    }

    fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_pkcs8.clone()))
    }
}

/// Which certificate the harness presents in the TLS handshake.
#[derive(Clone, Debug)]
pub enum Presented {
    /// The certificate given to the plugin in `PLUGIN_CLIENT_CERT` (what Terraform does).
    Matching,
    /// Another, freshly generated P-521 certificate with the same profile.
    Other,
    /// No client certificate at all.
    None,
}

// ---------------------------------------------------------------------------------------------
// Launch options and the handshake
// ---------------------------------------------------------------------------------------------

/// How to start the plugin. `LaunchOptions::default()` is exactly Terraform 1.0.3 with AutoMTLS.
#[derive(Clone, Debug)]
pub struct LaunchOptions {
    pub args: Vec<OsString>,
    /// Extra variables (set after the go-plugin ones, so they can override them).
    pub env: Vec<(OsString, OsString)>,
    /// Variables removed after everything else was set (e.g. the cookie).
    pub env_remove: Vec<OsString>,
    /// `PLUGIN_PROTOCOL_VERSIONS`.
    pub protocol_versions: String,
    /// AutoMTLS: set `PLUGIN_CLIENT_CERT`. When false, `TF_DISABLE_PLUGIN_TLS=1` is set instead
    /// (as Terraform does when the user sets it) and the client speaks plaintext h2c.
    pub auto_mtls: bool,
    /// Which certificate to present when connecting.
    pub present: Presented,
    /// Give the child a stdin pipe (that the test can close) instead of /dev/null.
    pub piped_stdin: bool,
    /// How long to wait for the handshake line (go-plugin: 1 minute).
    pub handshake_timeout: Duration,
}

impl Default for LaunchOptions {
    fn default() -> Self {
        LaunchOptions {
            args: Vec::new(),
            env: Vec::new(),
            env_remove: Vec::new(),
            protocol_versions: "5,6".to_string(),
            auto_mtls: true,
            present: Presented::Matching,
            piped_stdin: false,
            handshake_timeout: Duration::from_secs(30),
        }
    }
}

impl LaunchOptions {
    pub fn env(mut self, k: impl Into<OsString>, v: impl Into<OsString>) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
    pub fn env_remove(mut self, k: impl Into<OsString>) -> Self {
        self.env_remove.push(k.into());
        self
    }
    pub fn arg(mut self, a: impl Into<OsString>) -> Self {
        self.args.push(a.into());
        self
    }
    pub fn present(mut self, p: Presented) -> Self {
        self.present = p;
        self
    }
    pub fn protocol_versions(mut self, v: &str) -> Self {
        self.protocol_versions = v.to_string();
        self
    }
    pub fn no_tls(mut self) -> Self {
        self.auto_mtls = false;
        self
    }
    pub fn piped_stdin(mut self) -> Self {
        self.piped_stdin = true;
        self
    }
}

/// The parsed handshake line.
#[derive(Clone, Debug)]
pub struct Handshake {
    /// The line without its trailing newline.
    pub raw: String,
    /// All `|`-separated fields (a conforming line has exactly 6).
    pub fields: Vec<String>,
    pub core_version: u32,
    pub protocol_version: u32,
    pub network: String,
    pub address: String,
    pub protocol: String,
    /// Field 6 as printed.
    pub cert_b64: String,
    /// Field 6 decoded (standard alphabet, no padding), if non-empty.
    pub server_cert: Option<CertificateDer<'static>>,
}

impl Handshake {
    pub fn parse(line: &str) -> Result<Handshake, String> {
        let raw = line.trim_end_matches(['\n', '\r']).to_string();
        let fields: Vec<String> = raw.split('|').map(str::to_string).collect();
        if fields.len() != 6 {
            return Err(format!(
                "handshake line has {} fields, want 6: {raw:?}",
                fields.len()
            ));
        }
        let num = |i: usize, what: &str| {
            fields[i]
                .parse::<u32>()
                .map_err(|e| format!("handshake {what} {:?}: {e}", fields[i]))
        };
        let core_version = num(0, "core version")?;
        let protocol_version = num(1, "protocol version")?;
        let cert_b64 = fields[5].clone();
        let server_cert = if cert_b64.is_empty() {
            None
        } else {
            let der = base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(cert_b64.as_bytes())
                .map_err(|e| format!("handshake certificate is not STANDARD_NO_PAD base64: {e}"))?;
            Some(CertificateDer::from(der))
        };
        Ok(Handshake {
            core_version,
            protocol_version,
            network: fields[2].clone(),
            address: fields[3].clone(),
            protocol: fields[4].clone(),
            cert_b64,
            server_cert,
            fields,
            raw,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Child process plumbing
// ---------------------------------------------------------------------------------------------

/// A child with its stdout and stderr read line by line on background threads.
pub struct Proc {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    stdout_rx: Receiver<String>,
    stdout_all: Arc<Mutex<Vec<String>>>,
    stderr_all: Arc<Mutex<Vec<String>>>,
    pub started: Instant,
    exit: Option<ExitStatus>,
}

fn spawn_line_reader(
    r: impl std::io::Read + Send + 'static,
    all: Arc<Mutex<Vec<String>>>,
    tx: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut r = BufReader::new(r);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf)
                        .trim_end_matches(['\n', '\r'])
                        .to_string();
                    all.lock().unwrap().push(line.clone());
                    if let Some(tx) = &tx {
                        let _ = tx.send(line);
                    }
                }
            }
        }
    });
}

impl Proc {
    /// Starts `bin` with the inherited environment minus [`PLUGIN_ENV_VARS`], plus `env`, minus
    /// `env_remove`. stdout and stderr are piped; stdin is /dev/null unless `piped_stdin`.
    pub fn spawn(
        bin: &Path,
        args: &[OsString],
        env: &[(OsString, OsString)],
        env_remove: &[OsString],
        piped_stdin: bool,
    ) -> std::io::Result<Proc> {
        let mut cmd = Command::new(bin);
        cmd.args(args);
        for k in PLUGIN_ENV_VARS {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        for k in env_remove {
            cmd.env_remove(k);
        }
        cmd.stdin(if piped_stdin {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let started = Instant::now();
        let mut child = cmd.spawn()?;
        let (tx, stdout_rx) = mpsc::channel();
        let stdout_all = Arc::new(Mutex::new(Vec::new()));
        let stderr_all = Arc::new(Mutex::new(Vec::new()));
        spawn_line_reader(child.stdout.take().unwrap(), stdout_all.clone(), Some(tx));
        spawn_line_reader(child.stderr.take().unwrap(), stderr_all.clone(), None);
        let stdin = child.stdin.take();
        Ok(Proc {
            child,
            stdin,
            stdout_rx,
            stdout_all,
            stderr_all,
            started,
            exit: None,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The next stdout line, or None on timeout or EOF.
    pub fn next_stdout_line(&mut self, timeout: Duration) -> Option<String> {
        match self.stdout_rx.recv_timeout(timeout) {
            Ok(l) => Some(l),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for a stdout line matching `pred`.
    pub fn wait_stdout_line(
        &mut self,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let l = self.next_stdout_line(left)?;
            if pred(&l) {
                return Some(l);
            }
        }
    }

    pub fn stdout_lines(&self) -> Vec<String> {
        self.stdout_all.lock().unwrap().clone()
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.stderr_all.lock().unwrap().clone()
    }

    pub fn stderr_text(&self) -> String {
        self.stderr_lines().join("\n")
    }

    /// Non-blocking exit check.
    pub fn try_wait(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() {
            self.exit = self.child.try_wait().ok().flatten();
        }
        self.exit
    }

    /// Polls for exit up to `timeout`.
    pub fn wait_timeout(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.try_wait() {
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    pub fn signal(&self, sig: libc::c_int) {
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, sig);
        }
    }

    /// SIGKILL and reap.
    pub fn kill(&mut self) {
        if self.try_wait().is_none() {
            let _ = self.child.kill();
            self.exit = self.child.wait().ok();
        }
    }

    /// Closes the child's stdin pipe (only with `piped_stdin`).
    pub fn close_stdin(&mut self) {
        if let Some(mut s) = self.stdin.take() {
            let _ = s.flush();
            drop(s);
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Output of a process run to completion (see [`run_raw`]).
#[derive(Debug)]
pub struct RawOutput {
    /// None when it had to be killed at the timeout.
    pub status: Option<ExitStatus>,
    pub stdout: String,
    pub stderr: String,
}

impl RawOutput {
    pub fn code(&self) -> Option<i32> {
        self.status.and_then(|s| s.code())
    }
}

/// Runs `bin` the way a human would (no go-plugin variables unless given in `env`), waits up to
/// `timeout` for it to exit (killing it otherwise) and returns everything it printed.
pub fn run_raw(bin: &Path, args: &[&str], env: &[(&str, &str)], timeout: Duration) -> RawOutput {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    let env: Vec<(OsString, OsString)> = env
        .iter()
        .map(|(k, v)| (OsString::from(k), OsString::from(v)))
        .collect();
    let mut p = Proc::spawn(bin, &args, &env, &[], false).expect("spawn");
    let status = p.wait_timeout(timeout);
    if status.is_none() {
        p.kill();
    }
    // Let the reader threads drain the pipes.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut last = (usize::MAX, usize::MAX);
    while Instant::now() < deadline {
        let now = (p.stdout_lines().len(), p.stderr_lines().len());
        if now == last {
            break;
        }
        last = now;
        std::thread::sleep(Duration::from_millis(20));
    }
    let join = |v: Vec<String>| {
        if v.is_empty() {
            String::new()
        } else {
            v.join("\n") + "\n"
        }
    };
    RawOutput {
        status,
        stdout: join(p.stdout_lines()),
        stderr: join(p.stderr_lines()),
    }
}

// ---------------------------------------------------------------------------------------------
// The plugin
// ---------------------------------------------------------------------------------------------

/// A provider process launched like Terraform launches it, after its handshake line.
pub struct Plugin {
    pub proc: Proc,
    pub handshake: Handshake,
    /// Time from spawn to the handshake line.
    pub handshake_elapsed: Duration,
    /// The certificate put into `PLUGIN_CLIENT_CERT` (None without AutoMTLS).
    pub client_cert: Option<ClientCert>,
    /// The certificate presented when connecting (None: present none).
    pub presented: Option<ClientCert>,
}

impl Plugin {
    /// Launches like Terraform 1.0.3 with AutoMTLS and presents the matching certificate.
    /// Panics (with the plugin's stderr) if there is no valid handshake line.
    pub fn launch(bin: &Path) -> Plugin {
        Self::launch_with(bin, LaunchOptions::default())
    }

    /// Launches with options. Panics (with the plugin's stderr) if no valid handshake arrives.
    pub fn launch_with(bin: &Path, opts: LaunchOptions) -> Plugin {
        match Self::try_launch_with(bin, opts) {
            Ok(p) => p,
            Err((e, stderr)) => panic!(
                "launching {}: {e}\n--- plugin stderr ---\n{stderr}",
                bin.display()
            ),
        }
    }

    /// Like [`Plugin::launch_with`], returning the error and the stderr seen so far.
    pub fn try_launch_with(bin: &Path, opts: LaunchOptions) -> Result<Plugin, (String, String)> {
        let client_cert = opts.auto_mtls.then(ClientCert::generate);
        let mut env: Vec<(OsString, OsString)> = vec![
            (MAGIC_COOKIE_KEY.into(), MAGIC_COOKIE_VALUE.into()),
            ("PLUGIN_MIN_PORT".into(), "10000".into()),
            ("PLUGIN_MAX_PORT".into(), "25000".into()),
            (
                "PLUGIN_PROTOCOL_VERSIONS".into(),
                opts.protocol_versions.clone().into(),
            ),
        ];
        match &client_cert {
            Some(c) => env.push(("PLUGIN_CLIENT_CERT".into(), c.pem.clone().into())),
            None => env.push(("TF_DISABLE_PLUGIN_TLS".into(), "1".into())),
        }
        env.extend(opts.env.iter().cloned());
        let mut proc = Proc::spawn(bin, &opts.args, &env, &opts.env_remove, opts.piped_stdin)
            .map_err(|e| (format!("spawn: {e}"), String::new()))?;
        let line = match proc.next_stdout_line(opts.handshake_timeout) {
            Some(l) => l,
            None => {
                let status = proc.wait_timeout(Duration::from_millis(200));
                std::thread::sleep(Duration::from_millis(50));
                return Err((
                    format!(
                        "no handshake line within {:?} (exit status: {status:?})",
                        opts.handshake_timeout
                    ),
                    proc.stderr_text(),
                ));
            }
        };
        let handshake_elapsed = proc.started.elapsed();
        let handshake = Handshake::parse(&line).map_err(|e| (e, proc.stderr_text()))?;
        let presented = match opts.present {
            Presented::Matching => client_cert.clone(),
            Presented::Other => Some(ClientCert::generate()),
            Presented::None => None,
        };
        Ok(Plugin {
            proc,
            handshake,
            handshake_elapsed,
            client_cert,
            presented,
        })
    }

    pub fn pid(&self) -> u32 {
        self.proc.pid()
    }

    /// The socket path (field 4 of the handshake, for network "unix").
    pub fn socket_path(&self) -> PathBuf {
        PathBuf::from(&self.handshake.address)
    }

    pub fn stderr_lines(&self) -> Vec<String> {
        self.proc.stderr_lines()
    }

    pub fn stderr_text(&self) -> String {
        self.proc.stderr_text()
    }

    /// A gRPC channel to the plugin: mutual TLS when the handshake carried a certificate,
    /// plaintext h2c otherwise.
    pub async fn channel(&self) -> Result<Channel, BoxError> {
        let tls = match &self.handshake.server_cert {
            Some(server) => Some(Arc::new(client_tls_config(
                server.clone(),
                self.presented.as_ref(),
            )?)),
            None => None,
        };
        connect(&self.handshake.network, &self.handshake.address, tls).await
    }

    pub async fn provider_client(&self) -> Result<ProviderClient<Channel>, BoxError> {
        Ok(ProviderClient::new(self.channel().await?)
            .max_decoding_message_size(MAX_MESSAGE)
            .max_encoding_message_size(MAX_MESSAGE))
    }

    pub async fn controller_client(&self) -> Result<GrpcControllerClient<Channel>, BoxError> {
        Ok(GrpcControllerClient::new(self.channel().await?))
    }

    /// What go-plugin's `Kill()` does: GRPCController/Shutdown, then wait for the exit.
    /// Returns the exit status and the time from the RPC to the exit; errors if the RPC fails or
    /// the process is still alive after 5 s (it is then SIGKILLed, as go-plugin does after 2 s).
    pub async fn shutdown(&mut self) -> Result<(ExitStatus, Duration), BoxError> {
        use terraform_provider_influxdb::wire::proto::plugin::Empty;
        let mut ctl = self.controller_client().await?;
        let t0 = Instant::now();
        // go-plugin ignores the Shutdown error (the server may drop the connection while replying).
        let rpc = ctl.shutdown(Empty {}).await;
        let deadline = t0 + Duration::from_secs(5);
        loop {
            if let Some(s) = self.proc.try_wait() {
                return Ok((s, t0.elapsed()));
            }
            if Instant::now() >= deadline {
                self.proc.kill();
                return Err(format!(
                    "plugin still running 5 s after Shutdown (rpc result: {:?})",
                    rpc.map(|_| ())
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

/// Connects a tonic channel to `network`/`address` ("unix" or "tcp"), with TLS when given.
pub async fn connect(
    network: &str,
    address: &str,
    tls: Option<Arc<ClientConfig>>,
) -> Result<Channel, BoxError> {
    let network = network.to_string();
    let address = address.to_string();
    let connector = tower::service_fn(move |_: Uri| {
        let network = network.clone();
        let address = address.clone();
        let tls = tls.clone();
        async move {
            let stream: Box<dyn AsyncStream> = match network.as_str() {
                "unix" => Box::new(tokio::net::UnixStream::connect(&address).await?),
                "tcp" => Box::new(tokio::net::TcpStream::connect(&address).await?),
                other => {
                    return Err(std::io::Error::other(format!("unknown network {other:?}")));
                }
            };
            let stream: Box<dyn AsyncStream> = match tls {
                Some(cfg) => {
                    let name = ServerName::try_from("localhost").unwrap();
                    Box::new(
                        tokio_rustls::TlsConnector::from(cfg)
                            .connect(name, stream)
                            .await?,
                    )
                }
                None => stream,
            };
            Ok::<_, std::io::Error>(TokioIo::new(stream))
        }
    });
    let ch = Endpoint::from_static("http://localhost")
        .connect_timeout(Duration::from_secs(10))
        .connect_with_connector(connector)
        .await?;
    Ok(ch)
}

pub trait AsyncStream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin> AsyncStream for T {}

/// The TLS client config Terraform's go-plugin uses: trust exactly the handshake certificate for
/// the name "localhost", present `client` (or nothing), ALPN h2, TLS 1.2+, aws-lc-rs.
pub fn client_tls_config(
    server: CertificateDer<'static>,
    client: Option<&ClientCert>,
) -> Result<ClientConfig, BoxError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = Arc::new(PinnedServerVerifier {
        pinned: server,
        provider: provider.clone(),
    });
    let builder = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut cfg = match client {
        Some(c) => builder.with_client_auth_cert(vec![c.der.clone()], c.key())?,
        None => builder.with_no_client_auth(),
    };
    cfg.alpn_protocols = vec![b"h2".to_vec()];
    Ok(cfg)
}

/// Go's verification with a root pool holding only the server's self-signed certificate:
/// hostname check, then "the leaf is in the root pool". Handshake signatures really verified.
#[derive(Debug)]
struct PinnedServerVerifier {
    pinned: CertificateDer<'static>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for PinnedServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let parsed = rustls::server::ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_name(&parsed, server_name)?;
        if end_entity.as_ref() != self.pinned.as_ref() {
            return Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            ));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// True when `der` parses as an X.509 certificate valid for the DNS name `localhost`.
pub fn cert_is_for_localhost(der: &CertificateDer<'_>) -> Result<(), String> {
    let parsed = rustls::server::ParsedCertificate::try_from(der)
        .map_err(|e| format!("not a DER certificate: {e}"))?;
    rustls::client::verify_server_name(&parsed, &ServerName::try_from("localhost").unwrap())
        .map_err(|e| format!("certificate not valid for localhost: {e}"))
}

// ---------------------------------------------------------------------------------------------
// --debug (reattach) mode
// ---------------------------------------------------------------------------------------------

/// A provider started with `--debug`, after its `TF_REATTACH_PROVIDERS='...'` line.
pub struct DebugPlugin {
    pub proc: Proc,
    /// The whole line as printed.
    pub line: String,
    /// The JSON between the quotes.
    pub json: serde_json::Value,
}

impl DebugPlugin {
    /// Starts `bin --debug` (no go-plugin variables) and waits for the reattach line.
    pub fn launch(bin: &Path, timeout: Duration) -> DebugPlugin {
        let mut proc =
            Proc::spawn(bin, &[OsString::from("--debug")], &[], &[], false).expect("spawn --debug");
        let line = proc
            .wait_stdout_line(timeout, |l| l.contains("TF_REATTACH_PROVIDERS="))
            .unwrap_or_else(|| {
                panic!(
                    "no TF_REATTACH_PROVIDERS line within {timeout:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    proc.stdout_lines().join("\n"),
                    proc.stderr_text()
                )
            });
        let start = line.find("TF_REATTACH_PROVIDERS=").unwrap() + "TF_REATTACH_PROVIDERS=".len();
        let quoted = line[start..].trim();
        let inner = quoted
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .unwrap_or_else(|| panic!("reattach value is not single-quoted: {line:?}"));
        let json: serde_json::Value = serde_json::from_str(inner)
            .unwrap_or_else(|e| panic!("reattach value is not JSON ({e}): {inner}"));
        DebugPlugin { proc, line, json }
    }

    /// The reattach entries by provider address.
    pub fn providers(&self) -> HashMap<String, serde_json::Value> {
        self.json
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }
}
