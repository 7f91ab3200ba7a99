//! A local InfluxDB 3 Management API simulator (Cloud Dedicated or Clustered) for tests and
//! demos: the token, database (with rename) and table endpoints on the spec's paths, the API's validation rules, and
//! a few control endpoints under `/__sim/` to inject faults and inspect the requests received.
//!
//! Start it in-process with [`Simulator::start`], or run the `influxdb-sim` binary (which
//! calls [`run`]). Choices where the spec is silent are documented in [`api`].

pub mod api;
pub mod model;
pub mod rules;
pub mod tls;
pub mod v2;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub use api::{Fault, FaultSpec, RequestRecord};

pub const DEFAULT_MANAGEMENT_TOKEN: &str = "sim-management-token";
pub const DEFAULT_ACCOUNT_ID: &str = "11111111-1111-4111-8111-111111111111";
pub const DEFAULT_CLUSTER_ID: &str = "22222222-2222-4222-8222-222222222222";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimProduct {
    Dedicated,
    Clustered,
    /// InfluxDB OSS v2 (`/api/v2`), see [`v2`].
    OssV2,
}

#[derive(Clone, Debug)]
pub struct SimOptions {
    pub listen: SocketAddr,
    pub product: SimProduct,
    pub management_token: String,
    pub account_id: Uuid,
    pub cluster_id: Uuid,
    /// JSON file holding tokens and databases: loaded at start if present, written after every
    /// change and at shutdown.
    pub state_file: Option<PathBuf>,
    /// Delay before every API request is handled.
    pub latency: Duration,
    /// `--product oss-v2`: the operator token.
    pub v2_token: String,
    /// Serve HTTPS with a certificate from a CA made at start (see [`tls`]).
    pub tls: bool,
    /// With `tls`: where to write the CA certificate (PEM).
    pub tls_ca_file: Option<PathBuf>,
    /// With `tls`: present a certificate that has expired.
    pub tls_expired: bool,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            product: SimProduct::Dedicated,
            management_token: DEFAULT_MANAGEMENT_TOKEN.into(),
            account_id: Uuid::parse_str(DEFAULT_ACCOUNT_ID).expect("valid uuid"),
            cluster_id: Uuid::parse_str(DEFAULT_CLUSTER_ID).expect("valid uuid"),
            state_file: None,
            latency: Duration::ZERO,
            v2_token: v2::DEFAULT_TOKEN.into(),
            tls: false,
            tls_ca_file: None,
            tls_expired: false,
        }
    }
}

pub const USAGE: &str = "\
influxdb-sim: a local InfluxDB 3 Management API simulator (tokens, databases, tables)

Usage: influxdb-sim [OPTIONS]

Options:
  --listen ADDR             address to listen on (default 127.0.0.1:0, a free port);
                            the first stdout line is the base URL, http://ADDR
  --product NAME            dedicated (default), clustered, or oss-v2 (the InfluxDB OSS v2
                            API: /health and /api/v2 orgs, users, buckets, authorizations;
                            one org sim-org 5f3e0d9c1a2b4c6d, user sim-admin, and that user's
                            operator token; state is kept in memory only)
  --token TOKEN             oss-v2: the operator token (default sim-operator-token)
  --management-token TOKEN  bearer token the API accepts (default sim-management-token)
  --account-id UUID         Cloud Dedicated account id (default 11111111-1111-4111-8111-111111111111)
  --cluster-id UUID         Cloud Dedicated cluster id (default 22222222-2222-4222-8222-222222222222)
  --state FILE              load state from FILE if present; write it after every change
  --latency-ms N            delay every API request by N milliseconds
  --tls                     serve HTTPS (the first stdout line is then https://ADDR) with a
                            server certificate for ADDR signed by a CA made at start
  --tls-ca-file FILE        with --tls: write that CA's certificate (PEM) to FILE, for the
                            provider's ca_certificate or INFLUXDB3_CA_CERTIFICATE
  --tls-expired             with --tls: present a certificate that expired yesterday
  --help                    print this help

Control endpoints (no auth, loopback clients only):
  POST   /__sim/faults    {\"method\":\"POST\",\"path_suffix\":\"/tokens\",\"count\":1,\"status\":503,
                           \"retry_after_secs\":1} | {..., \"drop_after_handling\":true}
                          | {..., \"drop_before_handling\":true} | {..., \"delay_ms\":N}
                          | {\"latency_ms\":N}
                          | {\"method\":\"GET\",\"path_suffix\":\"/tokens\",\"omit_ids\":[\"ID\"]}
                            (a list that lags: leaves out the objects with these ids/names)
  DELETE /__sim/faults    clear faults and restore the start-up latency
  GET    /__sim/requests  [{\"method\":\"POST\",\"path\":\"/api/v0/...\",\"status\":200}] (null = dropped)
  DELETE /__sim/requests  clear the request log
  GET    /__sim/state     {\"tokens\":[...],\"databases\":[...]} (never access tokens; a database
                          also shows its id, dataMarker and tables)
  PUT    /__sim/databases/NAME/data {\"marker\":\"...\"}  stands for data written to NAME
                          (kept by a rename, lost with the database)
  POST   /__sim/authenticate {\"accessToken\":\"apiv1_...\"} -> {\"id\":..,\"active\":bool} or 404
  DELETE /__sim/state     delete all tokens and databases
  oss-v2: GET /__sim/state {\"orgs\",\"users\",\"buckets\",\"authorizations\"} (never tokens),
          POST /__sim/authenticate {\"token\":\"...\"} -> {\"id\":..,\"active\":bool} or 404,
          DELETE /__sim/state back to the start-up org, user and operator token
";

/// Parses command-line flags (without the program name). `Ok(None)` means `--help`.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<SimOptions>, String> {
    let mut opts = SimOptions::default();
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (flag.clone(), None),
        };
        if name == "--help" || name == "-h" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--listen" => {
                let v = value()?;
                opts.listen = v
                    .parse()
                    .map_err(|_| format!("--listen {v:?} is not an address like 127.0.0.1:8086"))?;
            }
            "--product" => {
                opts.product = match value()?.as_str() {
                    "dedicated" => SimProduct::Dedicated,
                    "clustered" => SimProduct::Clustered,
                    "oss-v2" => SimProduct::OssV2,
                    other => {
                        return Err(format!(
                        "--product {other:?} is not supported; use dedicated, clustered or oss-v2"
                    ))
                    }
                }
            }
            "--management-token" => {
                opts.management_token = value()?;
                if opts.management_token.is_empty() {
                    return Err("--management-token must not be empty".into());
                }
            }
            "--account-id" | "--cluster-id" => {
                let v = value()?;
                let id =
                    api::parse_uuid(&v).ok_or_else(|| format!("{name} {v:?} is not a UUID"))?;
                if name == "--account-id" {
                    opts.account_id = id;
                } else {
                    opts.cluster_id = id;
                }
            }
            "--token" => {
                opts.v2_token = value()?;
                if opts.v2_token.is_empty() {
                    return Err("--token must not be empty".into());
                }
            }
            "--state" => opts.state_file = Some(PathBuf::from(value()?)),
            "--latency-ms" => {
                let v = value()?;
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("--latency-ms {v:?} is not a number of milliseconds"))?;
                opts.latency = Duration::from_millis(ms);
            }
            "--tls" => opts.tls = true,
            "--tls-expired" => opts.tls_expired = true,
            "--tls-ca-file" => opts.tls_ca_file = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown flag {other:?}; see --help")),
        }
    }
    if !opts.tls && (opts.tls_ca_file.is_some() || opts.tls_expired) {
        return Err("--tls-ca-file and --tls-expired need --tls".into());
    }
    Ok(Some(opts))
}

/// A running simulator. Dropping it stops accepting connections.
pub struct Simulator {
    addr: SocketAddr,
    product: SimProduct,
    shared: Arc<api::Shared>,
    /// With `--tls`: the CA certificate clients must trust.
    ca_pem: Option<String>,
    shutdown: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// What serves the API: the Management API, or `/api/v2` (faults, latency and the request
/// log stay with [`api::Shared`] for both).
#[derive(Clone)]
struct Backends {
    shared: Arc<api::Shared>,
    v2: Option<Arc<v2::V2Sim>>,
}

impl Simulator {
    /// Binds the listener, loads the state file if any, and serves in a background task.
    pub async fn start(opts: SimOptions) -> std::io::Result<Simulator> {
        let shared = Arc::new(api::Shared::new(&opts)?);
        let v2 =
            (opts.product == SimProduct::OssV2).then(|| Arc::new(v2::V2Sim::new(&opts.v2_token)));
        let listener = TcpListener::bind(opts.listen).await?;
        let addr = listener.local_addr()?;
        let tls = if opts.tls {
            let tls = tls::make(addr, opts.tls_expired)?;
            if let Some(path) = &opts.tls_ca_file {
                std::fs::write(path, &tls.ca_pem).map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        format!("cannot write the CA certificate to {}: {e}", path.display()),
                    )
                })?;
            }
            Some(tls)
        } else {
            None
        };
        let ca_pem = tls.as_ref().map(|t| t.ca_pem.clone());
        let acceptor = tls.map(|t| t.acceptor);
        let shutdown = CancellationToken::new();
        let backends = Backends {
            shared: shared.clone(),
            v2,
        };
        let task = tokio::spawn(serve(listener, acceptor, backends, shutdown.clone()));
        Ok(Simulator {
            addr,
            product: opts.product,
            shared,
            ca_pem,
            shutdown,
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (`https://ADDR` with TLS), the value for the provider's `url`.
    pub fn url(&self) -> String {
        let scheme = if self.ca_pem.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// With TLS: the CA certificate (PEM) that signed the server's certificate.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn product(&self) -> SimProduct {
        self.product
    }

    /// Requests received so far (API requests only).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.requests()
    }

    /// Adds a fault, as `POST /__sim/faults` does.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<(), String> {
        self.shared.add_fault(spec)
    }

    /// Stops serving and writes the state file.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.shared.save();
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn serve(
    listener: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    backends: Backends,
    shutdown: CancellationToken,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = shutdown.cancelled() => return,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("influxdb-sim: accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let backends = backends.clone();
        let shutdown = shutdown.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: Request<Incoming>| {
                let backends = backends.clone();
                async move { handle(backends, req, peer).await }
            });
            let builder = http1::Builder::new();
            // On shutdown, open connections are simply dropped; the state is written under
            // its lock after every change, so nothing is half-done.
            match tls {
                None => {
                    let conn = builder.serve_connection(TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = shutdown.cancelled() => {}
                    }
                }
                Some(acceptor) => {
                    // A client that rejects the certificate ends the handshake: nothing to
                    // serve, nothing to log.
                    let stream = tokio::select! {
                        r = acceptor.accept(stream) => match r {
                            Ok(s) => s,
                            Err(_) => return,
                        },
                        _ = shutdown.cancelled() => return,
                    };
                    let conn = builder.serve_connection(TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = shutdown.cancelled() => {}
                    }
                }
            }
        });
    }
}

/// Returned by the service to make hyper close the connection without any response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

async fn handle(
    backends: Backends,
    req: Request<Incoming>,
    peer: SocketAddr,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let shared = backends.shared;
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(DropConnection),
    };
    if path == "/__sim" || path.starts_with("/__sim/") {
        if !peer.ip().is_loopback() {
            return Ok(api::error(
                403,
                "control endpoints accept loopback clients only",
            ));
        }
        if let Some(resp) = backends
            .v2
            .as_ref()
            .and_then(|v2| v2.control(&parts.method, &path, &body))
        {
            return Ok(resp);
        }
        return Ok(shared.control(&parts.method, &path, &body));
    }

    let fault = shared.take_fault(&parts.method, &path);
    let mut delay = shared.latency();
    if let Some(f) = &fault {
        delay += f.delay;
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(f) = &fault {
        if f.drop_before_handling {
            shared.record(&parts.method, &path, None);
            return Err(DropConnection);
        }
        if let Some(status) = f.status {
            shared.record(&parts.method, &path, Some(status));
            let mut resp = if backends.v2.is_some() {
                v2::error(status, api::default_message(status))
            } else {
                api::error(status, api::default_message(status))
            };
            if let Some(secs) = f.retry_after_secs {
                resp.headers_mut().insert(
                    hyper::header::RETRY_AFTER,
                    hyper::header::HeaderValue::from(secs),
                );
            }
            return Ok(resp);
        }
    }
    let mut resp = match &backends.v2 {
        Some(v2) => v2.api(
            &parts.method,
            &path,
            parts.uri.query(),
            &parts.headers,
            &body,
        ),
        None => shared.api(&parts.method, &path, &parts.headers, &body),
    };
    if let Some(ids) = fault.as_ref().and_then(|f| f.omit_ids.as_ref()) {
        resp = api::omit_from_list(resp, ids).await;
    }
    if fault.as_ref().is_some_and(|f| f.drop_after_handling) {
        shared.record(&parts.method, &path, None);
        return Err(DropConnection);
    }
    shared.record(&parts.method, &path, Some(resp.status().as_u16()));
    Ok(resp)
}

/// Runs the simulator until SIGTERM or SIGINT: prints `http://ADDR` as the first stdout line,
/// then serves; on a signal, stops and writes the state file.
pub async fn run(opts: SimOptions) -> std::io::Result<()> {
    let product = opts.product;
    let sim = Simulator::start(opts).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", sim.url())?;
        out.flush()?;
    }
    eprintln!(
        "influxdb-sim: serving the {} at {}",
        match product {
            SimProduct::Dedicated => "Cloud Dedicated Management API",
            SimProduct::Clustered => "Clustered Management API",
            SimProduct::OssV2 => "InfluxDB OSS v2 API",
        },
        sim.url()
    );
    wait_for_signal().await;
    sim.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
