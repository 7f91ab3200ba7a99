//! The real InfluxDB 3 Core server harness (`support/core_server.rs`): it starts, answers as
//! the operator, and leaves nothing behind when dropped.

#[path = "support/core_server.rs"]
mod core_server;

use core_server::{CoreServer, RecordingProxy};

#[test]
fn starts_answers_as_admin_and_stops_leaving_nothing() {
    let server = CoreServer::start();
    assert!(server.token.starts_with("apiv3_"));
    assert!(server.plugin_dir.is_dir());
    let tokens = server.tokens();
    assert!(
        tokens.iter().any(|t| t["name"] == "_admin"),
        "the admin token file's token is the operator: {tokens:?}"
    );
    // Without the token: refused.
    let r = server.request_as("GET", "/api/v3/configure/database?format=json", None, None);
    assert_eq!(r.status, 401, "{}", r.body);
    server.write("harness", "cpu,host=a usage=1 1");
    let rows = server.sql("harness", "SELECT host, usage FROM cpu");
    assert_eq!(rows, vec![serde_json::json!({"host": "a", "usage": 1.0})]);

    // Through the recording proxy, keep-alive: every request is seen with its status.
    let proxy = RecordingProxy::start(server.addr());
    let addr = proxy.url.trim_start_matches("http://").to_owned();
    let auth = format!("Bearer {}", server.token);
    let r = core_server::http_request(&addr, "GET", "/health", None, Some(&auth)).unwrap();
    assert_eq!(r.status, 200);
    let seen = proxy.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        (
            seen[0].method.as_str(),
            seen[0].path.as_str(),
            seen[0].status
        ),
        ("GET", "/health", 200)
    );

    let pid = server_pid(&server);
    let dir = server.data_dir.parent().unwrap().to_path_buf();
    let port = addr_port(server.addr());
    drop(server);
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map(|s| s.contains(") Z "))
                .unwrap_or(true),
        "the server process is gone"
    );
    assert!(!dir.exists(), "its temp dir is removed");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens on its port"
    );
}

fn server_pid(s: &CoreServer) -> u32 {
    s.pid()
}

fn addr_port(addr: &str) -> u16 {
    addr.rsplit(':').next().unwrap().parse().unwrap()
}
