//! Serving a provider the way go-plugin's server does, so Terraform can launch it.
//!
//! Order matters and follows go-plugin's `Serve`: check the magic cookie, negotiate protocol 6,
//! bind a Unix socket, set up AutoMTLS, print the one handshake line on stdout (nothing is ever
//! written to stdout before or after it), then serve gRPC until `GRPCController/Shutdown`.
//! SIGINT is ignored (Terraform sends StopProvider itself); stdin is never read.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_util::sync::CancellationToken;
use tonic::transport::server::Connected;

use super::plugin::{Broker, Controller, Stdio};
use super::proto::plugin::{
    grpc_broker_server::GrpcBrokerServer, grpc_controller_server::GrpcControllerServer,
    grpc_stdio_server::GrpcStdioServer,
};
use super::proto::tfplugin6::provider_server::ProviderServer;
use super::provider::ProviderService;
use super::tls;
use crate::engine::resource::Provider;

pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const PROTOCOL_VERSION: u32 = 6;
/// terraform-plugin-go's limit; tonic's default of 4 MiB is too small for large states.
const MAX_MESSAGE_SIZE: usize = 256 << 20;

pub struct ServeOptions {
    /// The provider's source address, used in the `--debug` reattach instructions.
    pub address: String,
    pub name: String,
    pub version: String,
}

/// Entry point for the provider binary: parses the command line, then serves.
pub fn main<P: Provider>(make_provider: impl FnOnce() -> P, opts: ServeOptions) -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut debug = false;
    for a in &args {
        match a.as_str() {
            "--debug" | "-debug" => debug = true,
            "--version" | "-version" => {
                println!("{} {}", opts.name, opts.version);
                return ExitCode::SUCCESS;
            }
            "--help" | "-help" | "-h" => {
                eprint!("{}", explanation(&opts));
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("{}: unknown argument {other:?}\n", opts.name);
                eprint!("{}", explanation(&opts));
                return ExitCode::from(2);
            }
        }
    }

    if !debug {
        if std::env::var(MAGIC_COOKIE_KEY).ok().as_deref() != Some(MAGIC_COOKIE_VALUE) {
            eprint!("{}", explanation(&opts));
            return ExitCode::from(1);
        }
        if let Ok(offered) = std::env::var("PLUGIN_PROTOCOL_VERSIONS") {
            let speaks_6 = offered
                .split(',')
                .any(|v| v.trim().parse::<u32>().ok() == Some(PROTOCOL_VERSION));
            if !offered.trim().is_empty() && !speaks_6 {
                eprintln!(
                    "{}: Terraform offered plugin protocol version(s) {offered:?}, but this provider \
                     speaks only protocol 6. Use Terraform 1.0 or later (0.15.4 at the least).",
                    opts.name
                );
                return ExitCode::from(1);
            }
        }
    }

    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{}: cannot start the async runtime: {e}", opts.name);
            return ExitCode::from(1);
        }
    };
    match rt.block_on(serve(make_provider(), debug, &opts)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::error!("provider failed", "error" = e);
            eprintln!("{}: {e}", opts.name);
            ExitCode::from(1)
        }
    }
}

fn explanation(opts: &ServeOptions) -> String {
    format!(
        "{name} {version}\n\n\
         This binary is a Terraform provider plugin. It is not meant to be run by hand:\n\
         Terraform starts it, talks to it over gRPC on a Unix socket secured with mutual TLS,\n\
         and stops it when done.\n\n\
         To use it, declare it in your configuration:\n\n\
         \x20 terraform {{\n\
         \x20   required_providers {{\n\
         \x20     influxdb = {{ source = \"{address}\" }}\n\
         \x20   }}\n\
         \x20 }}\n\n\
         and make it available to Terraform (a provider mirror, or dev_overrides in the CLI\n\
         configuration while developing).\n\n\
         To run it under a debugger, start it with --debug: it then serves without TLS and\n\
         prints a TF_REATTACH_PROVIDERS value to give to Terraform.\n",
        name = opts.name,
        version = opts.version,
        address = opts.address,
    )
}

/// A Unix socket path like go-plugin's `os.CreateTemp(dir, "plugin")`.
fn socket_path() -> std::io::Result<PathBuf> {
    let dir = std::env::var_os("PLUGIN_UNIX_SOCKET_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    for _ in 0..100 {
        let p = dir.join(format!("plugin{}", fastrand::u32(..)));
        if !p.exists() {
            return Ok(p);
        }
    }
    Err(std::io::Error::other("no free socket name"))
}

/// `PLUGIN_UNIX_SOCKET_GROUP`: a group name or id that may use the socket (mode 0660).
fn apply_socket_group(path: &Path, group: &str) -> Result<(), String> {
    let gid = match group.parse::<libc::gid_t>() {
        Ok(gid) => gid,
        Err(_) => {
            let name = std::ffi::CString::new(group).map_err(|e| e.to_string())?;
            // SAFETY: getgrnam returns a pointer to static storage or null; we read one field
            // immediately, on this thread, before any other call that could overwrite it.
            let gr = unsafe { libc::getgrnam(name.as_ptr()) };
            if gr.is_null() {
                return Err(format!(
                    "PLUGIN_UNIX_SOCKET_GROUP: no group named {group:?}"
                ));
            }
            unsafe { (*gr).gr_gid }
        }
    };
    std::os::unix::fs::chown(path, None, Some(gid))
        .map_err(|e| format!("PLUGIN_UNIX_SOCKET_GROUP: chown: {e}"))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o660))
        .map_err(|e| format!("PLUGIN_UNIX_SOCKET_GROUP: chmod: {e}"))
}

/// Removes the socket file when the server stops, however it stops.
struct SocketFile(PathBuf);
impl Drop for SocketFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

async fn serve<P: Provider>(provider: P, debug: bool, opts: &ServeOptions) -> Result<(), String> {
    let path = socket_path().map_err(|e| format!("choosing a socket path: {e}"))?;
    let listener =
        UnixListener::bind(&path).map_err(|e| format!("listening on {}: {e}", path.display()))?;
    let socket = SocketFile(path.clone());
    if let Ok(group) = std::env::var("PLUGIN_UNIX_SOCKET_GROUP") {
        if !group.is_empty() {
            apply_socket_group(&path, &group)?;
        }
    }

    let shutdown = CancellationToken::new();
    let client_cert = std::env::var("PLUGIN_CLIENT_CERT").unwrap_or_default();
    let use_tls = !debug && !client_cert.trim().is_empty();

    let (tx_tls, rx_tls) = mpsc::channel(16);
    let (tx_plain, rx_plain) = mpsc::channel(16);
    let cert_field = if use_tls {
        let identity = tls::server_identity().map_err(|e| e.to_string())?;
        let config = tls::server_config(&identity, &client_cert).map_err(|e| e.to_string())?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        tokio::spawn(accept_tls(listener, acceptor, tx_tls, shutdown.clone()));
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD_NO_PAD,
            identity.cert.as_ref(),
        )
    } else {
        tokio::spawn(accept_plain(listener, tx_plain, shutdown.clone()));
        String::new()
    };

    {
        let mut out = std::io::stdout().lock();
        let line = if debug {
            reattach_instructions(opts, &path)
        } else {
            format!(
                "1|{PROTOCOL_VERSION}|unix|{}|grpc|{cert_field}\n",
                path.display()
            )
        };
        out.write_all(line.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| format!("writing the handshake: {e}"))?;
    }
    crate::debug!(
        "plugin server started",
        "socket" = path.display(),
        "tls" = use_tls,
        "version" = opts.version
    );

    tokio::spawn(watch_signals(debug, shutdown.clone()));
    if !debug {
        tokio::spawn(watch_parent(shutdown.clone()));
    }

    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status("plugin", tonic_health::ServingStatus::Serving)
        .await;
    let mut routes = tonic::service::Routes::builder();
    routes
        .add_service(health_service)
        .add_service(
            ProviderServer::new(ProviderService::new(provider))
                .max_decoding_message_size(MAX_MESSAGE_SIZE)
                .max_encoding_message_size(MAX_MESSAGE_SIZE),
        )
        .add_service(GrpcControllerServer::new(Controller {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcStdioServer::new(Stdio {
            shutdown: shutdown.clone(),
        }))
        .add_service(GrpcBrokerServer::new(Broker {
            shutdown: shutdown.clone(),
        }));
    let router = routes.routes();

    let server = tonic::transport::Server::builder();
    let stopped = shutdown.clone();
    let serving = async move {
        let mut server = server;
        let router = server.add_routes(router);
        if use_tls {
            router
                .serve_with_incoming_shutdown(ReceiverStream::new(rx_tls), stopped.cancelled())
                .await
        } else {
            router
                .serve_with_incoming_shutdown(ReceiverStream::new(rx_plain), stopped.cancelled())
                .await
        }
    };
    // Shutdown is immediate, as in go-plugin (`server.Stop()`): connections still open after a
    // short grace period are not waited for.
    let grace = async {
        shutdown.cancelled().await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::select! {
        r = serving => r.map_err(|e| format!("gRPC server: {e}"))?,
        _ = grace => {}
    }
    drop(socket);
    crate::debug!("plugin server stopped");
    Ok(())
}

async fn accept_tls(
    listener: UnixListener,
    acceptor: tokio_rustls::TlsAcceptor,
    tx: mpsc::Sender<Result<tokio_rustls::server::TlsStream<UnixStream>, std::io::Error>>,
    shutdown: CancellationToken,
) {
    loop {
        let stream = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    crate::warn!("accepting a connection failed", "error" = e);
                    continue;
                }
            },
            _ = shutdown.cancelled() => return,
        };
        // One task per handshake, so a slow or hostile client cannot block the others.
        let (acceptor, tx) = (acceptor.clone(), tx.clone());
        tokio::spawn(async move {
            match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    let _ = tx.send(Ok(tls)).await;
                }
                // Refused clients (wrong or no certificate), and grpc-go reconnecting while
                // Terraform closes the provider, end up here: not worth a warning.
                Ok(Err(e)) => crate::debug!("TLS handshake refused", "error" = e),
                Err(_) => crate::debug!("TLS handshake timed out"),
            }
        });
    }
}

async fn accept_plain(
    listener: UnixListener,
    tx: mpsc::Sender<Result<UnixStream, std::io::Error>>,
    shutdown: CancellationToken,
) {
    loop {
        tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => {
                    if tx.send(Ok(s)).await.is_err() {
                        return;
                    }
                }
                Err(e) => crate::warn!("accepting a connection failed", "error" = e),
            },
            _ = shutdown.cancelled() => return,
        }
    }
}

/// SIGINT reaches the whole process group on Ctrl-C; Terraform handles it by calling
/// StopProvider, so the plugin must survive it (go-plugin ignores it too). In `--debug` mode
/// the developer's Ctrl-C stops the server. SIGTERM always stops it cleanly.
async fn watch_signals(debug: bool, shutdown: CancellationToken) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        crate::warn!("cannot install signal handlers");
        return;
    };
    loop {
        tokio::select! {
            _ = int.recv() => {
                if debug {
                    shutdown.cancel();
                    return;
                }
                crate::debug!("SIGINT ignored: Terraform stops providers with StopProvider");
            }
            _ = term.recv() => {
                shutdown.cancel();
                return;
            }
        }
    }
}

/// If Terraform itself dies (SIGKILL), nobody will call Shutdown: exit instead of lingering.
async fn watch_parent(shutdown: CancellationToken) {
    // SAFETY: getppid has no preconditions and cannot fail.
    let parent = unsafe { libc::getppid() };
    loop {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = shutdown.cancelled() => return,
        }
        if unsafe { libc::getppid() } != parent {
            crate::info!("Terraform exited without stopping the provider; shutting down");
            shutdown.cancel();
            return;
        }
    }
}

fn reattach_instructions(opts: &ServeOptions, path: &Path) -> String {
    let reattach = serde_json::json!({
        opts.address.clone(): {
            "Protocol": "grpc",
            "ProtocolVersion": PROTOCOL_VERSION,
            "Pid": std::process::id(),
            "Test": true,
            "Addr": { "Network": "unix", "String": path.display().to_string() },
        }
    });
    format!(
        "Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\n\n\tTF_REATTACH_PROVIDERS='{reattach}'\n\n"
    )
}

// `Connected` is needed for the incoming streams; assert it at compile time.
#[allow(dead_code)]
fn _assert_connected() {
    fn is_connected<T: Connected>() {}
    is_connected::<UnixStream>();
    is_connected::<tokio_rustls::server::TlsStream<UnixStream>>();
}
