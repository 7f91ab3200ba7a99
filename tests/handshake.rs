//! The go-plugin contract, checked against the real binary launched the way Terraform 1.0.3
//! (go-plugin v1.4.1) launches it. See tests/support/plugin.rs for the harness.

#[path = "support/plugin.rs"]
mod plugin;

use std::path::Path;
use std::time::{Duration, Instant};

use plugin::{
    cert_is_for_localhost, connect, run_raw, DebugPlugin, LaunchOptions, Plugin, Presented,
    MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE,
};
use terraform_provider_influxdb::wire::proto::tfplugin6::{
    get_provider_schema, provider_client::ProviderClient,
};

/// The binary under test. `HANDSHAKE_TEST_BIN=/path/to/provider` runs the same contract against
/// another provider (e.g. the Go reference one, to check the harness itself).
fn bin() -> &'static Path {
    static BIN: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| match std::env::var_os("HANDSHAKE_TEST_BIN") {
        Some(p) if !p.is_empty() => p.into(),
        _ => env!("CARGO_BIN_EXE_terraform-provider-influxdb").into(),
    })
}

const PROVIDER_ADDRESS: &str = "example.com/influxdata/influxdb";

async fn get_schema(
    client: &mut ProviderClient<tonic::transport::Channel>,
) -> Result<get_provider_schema::Response, tonic::Status> {
    client
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .map(|r| r.into_inner())
}

fn assert_schema_contract(resp: &get_provider_schema::Response) {
    assert!(
        resp.diagnostics.is_empty(),
        "GetProviderSchema diagnostics: {:?}",
        resp.diagnostics
    );
    let block = resp
        .provider
        .as_ref()
        .and_then(|s| s.block.as_ref())
        .expect("GetProviderSchema returned no provider schema block");
    let names: Vec<&str> = block.attributes.iter().map(|a| a.name.as_str()).collect();
    for want in ["url", "account_id", "cluster_id", "management_token"] {
        assert!(
            names.contains(&want),
            "provider schema lacks attribute {want:?}; has {names:?}"
        );
    }
    let token = block
        .attributes
        .iter()
        .find(|a| a.name == "management_token")
        .unwrap();
    assert!(
        token.sensitive,
        "provider attribute management_token must be sensitive"
    );
    assert!(
        resp.resource_schemas
            .contains_key("influxdb_database_token"),
        "no resource schema influxdb_database_token; have {:?}",
        resp.resource_schemas.keys().collect::<Vec<_>>()
    );
    // Terraform >= 1.3 then plans destroys through the provider (deletion protection).
    assert!(
        resp.server_capabilities
            .as_ref()
            .is_some_and(|c| c.plan_destroy),
        "plan_destroy must be announced: {:?}",
        resp.server_capabilities
    );
}

#[tokio::test]
async fn handshake_like_go_plugin_then_schema_over_mtls() {
    let mut p = Plugin::launch(bin());
    let h = p.handshake.clone();
    assert_eq!(h.fields.len(), 6, "handshake {:?}", h.raw);
    assert_eq!(h.core_version, 1, "core protocol version in {:?}", h.raw);
    assert_eq!(
        h.protocol_version, 6,
        "plugin protocol version in {:?}",
        h.raw
    );
    assert_eq!(h.network, "unix", "network in {:?}", h.raw);
    assert_eq!(h.protocol, "grpc", "protocol in {:?}", h.raw);
    assert!(
        std::fs::metadata(&h.address).is_ok(),
        "socket {} does not exist after the handshake",
        h.address
    );
    {
        use std::os::unix::fs::FileTypeExt;
        let ft = std::fs::metadata(&h.address).unwrap().file_type();
        assert!(ft.is_socket(), "{} is not a socket", h.address);
    }
    assert!(
        h.cert_b64.len() > 50,
        "go-plugin only reads field 6 as a cert if > 50 chars"
    );
    assert!(
        !h.cert_b64.contains('='),
        "field 6 must not be padded: {}",
        h.cert_b64
    );
    assert!(
        h.cert_b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/'),
        "field 6 must use the standard base64 alphabet: {}",
        h.cert_b64
    );
    let der = h.server_cert.clone().expect("field 6 decodes");
    cert_is_for_localhost(&der).unwrap();

    let mut client = p
        .provider_client()
        .await
        .expect("mTLS connect with the right cert");
    let resp = get_schema(&mut client)
        .await
        .expect("GetProviderSchema over mTLS");
    assert_schema_contract(&resp);
    drop(client);
    p.shutdown().await.expect("shutdown");
}

async fn assert_refused(present: Presented) {
    let p = Plugin::launch_with(bin(), LaunchOptions::default().present(present.clone()));
    let outcome = match p.provider_client().await {
        Err(e) => Err(format!("connect: {e}")),
        Ok(mut c) => match get_schema(&mut c).await {
            Err(e) => Err(format!("rpc: {e}")),
            Ok(_) => Ok(()),
        },
    };
    assert!(
        outcome.is_err(),
        "presenting {present:?} must be refused, but GetProviderSchema succeeded"
    );
    // The server survives a refused client: the right certificate still works.
    let mut good = Plugin {
        presented: p.client_cert.clone(),
        ..p
    };
    let mut c = good
        .provider_client()
        .await
        .expect("right cert after a refused one");
    get_schema(&mut c)
        .await
        .expect("GetProviderSchema after a refused client");
    drop(c);
    good.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_different_client_certificate_is_refused() {
    assert_refused(Presented::Other).await;
}

#[tokio::test]
async fn no_client_certificate_is_refused() {
    assert_refused(Presented::None).await;
}

#[tokio::test]
async fn shutdown_exits_promptly_and_removes_the_socket() {
    let mut p = Plugin::launch(bin());
    let socket = p.socket_path();
    // A live connection, like Terraform's, must not hold the process up.
    let mut c = p.provider_client().await.unwrap();
    get_schema(&mut c).await.unwrap();
    let (status, took) = p.shutdown().await.expect("Shutdown makes the process exit");
    assert!(
        took < Duration::from_millis(1000),
        "exit took {took:?} after Shutdown (go-plugin waits 2 s)"
    );
    assert!(
        status.success() || status.code().is_some(),
        "exit status {status:?}"
    );
    assert!(
        !socket.exists(),
        "socket {} still exists after Shutdown",
        socket.display()
    );
    let stderr = p.stderr_text();
    assert!(!stderr.contains("panicked"), "stderr:\n{stderr}");
}

#[tokio::test]
async fn protocol_5_only_is_a_clear_error() {
    let cert = plugin::ClientCert::generate();
    let out = run_raw(
        bin(),
        &[],
        &[
            (MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE),
            ("PLUGIN_MIN_PORT", "10000"),
            ("PLUGIN_MAX_PORT", "25000"),
            ("PLUGIN_PROTOCOL_VERSIONS", "5"),
            ("PLUGIN_CLIENT_CERT", &cert.pem),
        ],
        Duration::from_secs(10),
    );
    assert!(
        out.status.is_some(),
        "still running 10 s after being offered only protocol 5"
    );
    assert_ne!(
        out.code(),
        Some(0),
        "exit status {:?}; stderr:\n{}",
        out.status,
        out.stderr
    );
    let lower = out.stderr.to_lowercase();
    assert!(
        lower.contains("protocol") && lower.contains('6'),
        "stderr should say protocol 6 is required:\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "stderr:\n{}", out.stderr);
}

#[tokio::test]
async fn run_by_hand_explains_itself() {
    let out = run_raw(bin(), &[], &[], Duration::from_secs(10));
    assert_eq!(
        out.code(),
        Some(1),
        "exit status {:?}; stderr:\n{}",
        out.status,
        out.stderr
    );
    assert!(
        out.stdout.is_empty(),
        "nothing may go to stdout, got {:?}",
        out.stdout
    );
    assert!(
        out.stderr.contains("Terraform"),
        "stderr should mention Terraform:\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--debug"),
        "stderr should mention --debug:\n{}",
        out.stderr
    );
    assert!(
        out.stderr.len() < 2000,
        "explanation should be short:\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "stderr:\n{}", out.stderr);
}

#[tokio::test]
async fn unix_socket_dir_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = Plugin::launch_with(
        bin(),
        LaunchOptions::default().env("PLUGIN_UNIX_SOCKET_DIR", dir.path()),
    );
    let sock = p.socket_path();
    assert_eq!(
        sock.parent().map(|d| d.canonicalize().unwrap()),
        Some(dir.path().canonicalize().unwrap()),
        "socket {} is not in PLUGIN_UNIX_SOCKET_DIR {}",
        sock.display(),
        dir.path().display()
    );
    let mut c = p.provider_client().await.unwrap();
    get_schema(&mut c).await.unwrap();
    drop(c);
    p.shutdown().await.unwrap();
}

#[tokio::test]
async fn unix_socket_group_makes_the_socket_group_accessible() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // Our own group: chown to it is always allowed.
    let gid = own_gid();
    let mut p = Plugin::launch_with(
        bin(),
        LaunchOptions::default().env("PLUGIN_UNIX_SOCKET_GROUP", gid.to_string()),
    );
    let meta = std::fs::metadata(p.socket_path()).unwrap();
    assert_eq!(meta.gid(), gid);
    assert_eq!(meta.permissions().mode() & 0o777, 0o660);
    let mut c = p.provider_client().await.unwrap();
    get_schema(&mut c).await.unwrap();
    drop(c);
    p.shutdown().await.unwrap();

    // A group that does not exist is a clear error, not a panic.
    let out = Plugin::try_launch_with(
        bin(),
        LaunchOptions::default().env("PLUGIN_UNIX_SOCKET_GROUP", "no-such-group-here"),
    );
    let (err, stderr) = out.err().expect("an unknown group must fail");
    assert!(
        stderr.contains("PLUGIN_UNIX_SOCKET_GROUP"),
        "{err}\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// The test process's primary group, from a file it creates.
fn own_gid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    let f = tempfile::NamedTempFile::new().unwrap();
    f.as_file().metadata().unwrap().gid()
}

#[tokio::test]
async fn tls_disabled_serves_plaintext_h2c() {
    let mut p = Plugin::launch_with(bin(), LaunchOptions::default().no_tls());
    assert_eq!(
        p.handshake.fields.len(),
        6,
        "handshake {:?}",
        p.handshake.raw
    );
    assert_eq!(
        p.handshake.cert_b64, "",
        "field 6 must be empty without TLS: {:?}",
        p.handshake.raw
    );
    assert!(
        p.handshake.raw.ends_with("|grpc|"),
        "handshake {:?}",
        p.handshake.raw
    );
    let mut c = p.provider_client().await.expect("plaintext connect");
    let resp = get_schema(&mut c)
        .await
        .expect("GetProviderSchema over h2c");
    assert_schema_contract(&resp);
    drop(c);
    p.shutdown().await.unwrap();
}

#[tokio::test]
async fn debug_mode_prints_reattach_config() {
    let mut d = DebugPlugin::launch(bin(), Duration::from_secs(30));
    let providers = d.providers();
    let cfg = providers
        .get(PROVIDER_ADDRESS)
        .unwrap_or_else(|| panic!("reattach JSON has no key {PROVIDER_ADDRESS:?}: {}", d.json));
    assert_eq!(cfg["Protocol"], "grpc", "{cfg}");
    assert_eq!(cfg["ProtocolVersion"].as_u64(), Some(6), "{cfg}");
    assert_eq!(cfg["Test"], true, "{cfg}");
    assert_eq!(
        cfg["Pid"].as_u64(),
        Some(d.proc.pid() as u64),
        "Pid must be the real pid: {cfg}"
    );
    assert_eq!(cfg["Addr"]["Network"], "unix", "{cfg}");
    let path = cfg["Addr"]["String"]
        .as_str()
        .expect("Addr.String")
        .to_string();
    assert!(
        Path::new(&path).exists(),
        "reattach socket {path} does not exist"
    );
    let ch = connect("unix", &path, None)
        .await
        .expect("plaintext connect to the debug socket");
    let mut c = ProviderClient::new(ch).max_decoding_message_size(256 << 20);
    let resp = get_schema(&mut c)
        .await
        .expect("GetProviderSchema in debug mode");
    assert_schema_contract(&resp);
    drop(c);
    d.proc.kill();
}

#[tokio::test]
async fn sigint_and_stdin_eof_do_not_stop_the_plugin() {
    let mut p = Plugin::launch_with(bin(), LaunchOptions::default().piped_stdin());
    let mut c = p.provider_client().await.unwrap();
    get_schema(&mut c).await.unwrap();

    p.proc.signal(libc::SIGINT);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        p.proc.try_wait().is_none(),
        "SIGINT killed the plugin; stderr:\n{}",
        p.stderr_text()
    );
    get_schema(&mut c)
        .await
        .expect("RPC after SIGINT on the existing connection");
    let mut c2 = p
        .provider_client()
        .await
        .expect("new connection after SIGINT");
    get_schema(&mut c2)
        .await
        .expect("RPC on a new connection after SIGINT");

    p.proc.close_stdin();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        p.proc.try_wait().is_none(),
        "closing stdin stopped the plugin; stderr:\n{}",
        p.stderr_text()
    );
    get_schema(&mut c).await.expect("RPC after stdin EOF");

    drop((c, c2));
    let t = Instant::now();
    p.shutdown()
        .await
        .expect("Shutdown still works after SIGINT");
    assert!(t.elapsed() < Duration::from_secs(2));
}
