//! The server: listens (HTTP, or HTTPS with [`super::tls`]), routes `/__sim/` to the control
//! endpoints, applies latency and faults, hands the rest to the family, logs every API request
//! and writes the state file after changes.
//!
//! hyper drops a request's handler when its connection closes, so by default a request whose
//! client went away during the latency is abandoned. With `--complete-after-disconnect` each
//! request is handled in a task of its own that runs to completion whatever the connection
//! does, as a real server carries out a request it has received.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Method;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::faults::{omit_from_list, FaultSpec};
use super::http::{default_message, Resp};
use super::{control, tls, Harness, Request, RequestRecord};
use crate::sim::{Product, SimOptions};

/// A running simulator. Dropping it stops accepting connections.
pub struct Simulator {
    addr: SocketAddr,
    product: &'static Product,
    harness: Arc<Harness>,
    /// With `--tls`: the CA certificate clients must trust.
    ca_pem: Option<String>,
    shutdown: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Simulator {
    /// Makes the product's family, binds the listener, loads the state file if any, and
    /// serves in a background task.
    pub async fn start(opts: SimOptions) -> std::io::Result<Simulator> {
        let family = (opts.product.family)(&opts);
        let harness = Arc::new(Harness::new(family, &opts)?);
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
        let complete = opts.complete_after_disconnect;
        let task = tokio::spawn(serve(
            listener,
            acceptor,
            harness.clone(),
            shutdown.clone(),
            complete,
        ));
        Ok(Simulator {
            addr,
            product: opts.product,
            harness,
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

    pub fn product(&self) -> &'static Product {
        self.product
    }

    /// Requests received so far (API requests only).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.harness.requests()
    }

    /// Adds a fault, as `POST /__sim/faults` does.
    pub fn add_fault(&self, spec: FaultSpec) -> Result<(), String> {
        self.harness.add_fault(spec)
    }

    /// Stops serving and writes the state file.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.harness.save();
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
    harness: Arc<Harness>,
    shutdown: CancellationToken,
    complete_after_disconnect: bool,
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
        let harness = harness.clone();
        let shutdown = shutdown.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let svc = service_fn(move |req: hyper::Request<Incoming>| {
                let harness = harness.clone();
                async move {
                    if !complete_after_disconnect {
                        return handle(&harness, req, peer).await;
                    }
                    // Dropping the JoinHandle (the connection closed) does not stop the task.
                    let task = tokio::spawn(async move { handle(&harness, req, peer).await });
                    task.await.unwrap_or(Err(DropConnection))
                }
            });
            let builder = http1::Builder::new();
            // On shutdown, open connections are simply dropped; the state file is written
            // before each answer, so nothing is half-done.
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

/// Whether an answer to `method` may follow a change, so the state file must be written.
fn may_have_changed(method: &Method, resp: &Resp) -> bool {
    *method != Method::GET && *method != Method::HEAD && resp.status().is_success()
}

async fn handle(
    harness: &Harness,
    req: hyper::Request<Incoming>,
    peer: SocketAddr,
) -> Result<Resp, DropConnection> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(DropConnection),
    };
    let req = Request {
        method: &parts.method,
        path: &path,
        query: parts.uri.query(),
        headers: &parts.headers,
        body: &body,
    };
    let family = harness.family();
    if path == "/__sim" || path.starts_with("/__sim/") {
        if !peer.ip().is_loopback() {
            return Ok(control::error(
                403,
                "control endpoints accept loopback clients only",
            ));
        }
        if let Some(resp) = control::serve(harness, &req) {
            return Ok(resp);
        }
        let Some(resp) = family.control(&req) else {
            return Ok(control::error(404, "not found"));
        };
        if may_have_changed(req.method, &resp) {
            harness.save();
        }
        return Ok(resp);
    }

    let fault = harness.take_fault(req.method, &path);
    let mut delay = harness.latency();
    if let Some(f) = &fault {
        delay += f.delay;
    }
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    if let Some(f) = &fault {
        if f.drop_before_handling {
            harness.record(req.method, &path, None);
            return Err(DropConnection);
        }
        if let Some(status) = f.status {
            harness.record(req.method, &path, Some(status));
            let mut resp = family.error(status, default_message(status));
            if let Some(secs) = f.retry_after_secs {
                resp.headers_mut().insert(
                    hyper::header::RETRY_AFTER,
                    hyper::header::HeaderValue::from(secs),
                );
            }
            return Ok(resp);
        }
    }
    let mut resp = family.handle(&req);
    if may_have_changed(req.method, &resp) {
        harness.save();
    }
    if let Some(ids) = fault.as_ref().and_then(|f| f.omit_ids.as_ref()) {
        resp = omit_from_list(resp, ids).await;
    }
    if fault.as_ref().is_some_and(|f| f.drop_after_handling) {
        harness.record(req.method, &path, None);
        return Err(DropConnection);
    }
    harness.record(req.method, &path, Some(resp.status().as_u16()));
    Ok(resp)
}

/// Runs the simulator until SIGTERM or SIGINT: prints `http://ADDR` as the first stdout line,
/// then serves; on a signal, stops and writes the state file.
pub async fn run(opts: SimOptions) -> std::io::Result<()> {
    let sim = Simulator::start(opts).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", sim.url())?;
        out.flush()?;
    }
    eprintln!(
        "influxdb-sim: serving the {} at {}",
        sim.product().serves,
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
