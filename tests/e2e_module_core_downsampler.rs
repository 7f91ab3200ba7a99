//! `examples/modules/core-downsampler` against the REAL InfluxDB 3 Core server
//! (`support/core_server.rs`) with Terraform 1.15.5: its `terraform test` file passes and cleans
//! up, fails when the module is broken, and the module applied as a root module really
//! downsamples: its `every:` trigger runs the uploaded plugin, which writes the averages.

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/terraform.rs"]
mod terraform;

use std::time::{Duration, Instant};

use core_server::CoreServer;
use terraform::{repo_root, Tf, Workspace};

const MODULE: &str = "examples/modules/core-downsampler";
const FILES: [&str; 5] = [
    "main.tf",
    "variables.tf",
    "outputs.tf",
    "plugins/downsample.py",
    "tests/core_downsampler.tftest.hcl",
];

/// The module's files in a fresh workspace, the provider pointed at `server`.
fn module_workspace(server: &CoreServer) -> Workspace {
    let ws = Workspace::with_env(Tf::V1_15_5, server.provider_env());
    let src = repo_root().join(MODULE);
    for f in FILES {
        let text = std::fs::read_to_string(src.join(f)).unwrap();
        ws.write(f, &text);
    }
    ws
}

fn live_database(server: &CoreServer, name: &str) -> bool {
    server
        .databases()
        .iter()
        .any(|d| d["database_name"] == name && d["deleted"] != true)
}

#[test]
fn the_modules_terraform_test_passes_on_the_real_server_and_cleans_up() {
    let server = CoreServer::start();
    let ws = module_workspace(&server);
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_success();
    assert!(
        out.stdout.contains("Success! 2 passed, 0 failed."),
        "{}",
        out.stdout
    );
    // The teardown destroyed the database (soft delete) with its cache and trigger; the plugin
    // file stays, as the server cannot delete one.
    assert!(
        !live_database(&server, "tftest_downsampler"),
        "{:?}",
        server.databases()
    );
    assert!(server
        .plugin_dir
        .join("tftest_downsampler_downsample.py")
        .is_file());
}

/// The test file really checks the module: a trigger that ignores the interval fails it.
#[test]
fn the_modules_terraform_test_catches_a_broken_module() {
    let server = CoreServer::start();
    let ws = module_workspace(&server);
    let broken = ws
        .read("main.tf")
        .replace("\"every:${var.interval}\"", "\"every:1h\"");
    assert_ne!(broken, ws.read("main.tf"), "the module was changed");
    ws.write("main.tf", &broken);
    let out = ws.terraform(&["test", "-no-color"]);
    out.assert_failure();
    assert!(
        out.combined()
            .contains("The trigger runs every interval, as written."),
        "{}",
        out.combined()
    );
}

/// Applied as a root module with a short interval, the trigger runs the plugin Terraform
/// uploaded, which writes the per-host averages to `cpu_downsampled`.
#[test]
fn the_module_downsamples_on_the_real_server() {
    let server = CoreServer::start();
    let ws = module_workspace(&server);
    ws.write(
        "terraform.tfvars",
        "database_name = \"metrics\"\ninterval = \"2s\"\n",
    );
    ws.apply(&[]);
    ws.plan_no_changes(&[]);
    // The same points written again every half second with the current time: whenever the
    // schedule runs (every 2 s, looking back 2 s), recent points are there (a single write
    // could fall between two runs' windows while the server flushes its WAL). Host a's average
    // is 2 and b's 5 whatever the number of batches in a window.
    let write_batch = || {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        server.write(
            "metrics",
            &format!(
                "cpu,host=a usage=1 {now}\ncpu,host=a usage=3 {}\ncpu,host=b usage=5 {}",
                now + 1,
                now + 2
            ),
        );
    };
    // The schedule runs every 2 s; allow a loaded machine much longer.
    let deadline = Instant::now() + Duration::from_secs(90);
    let rows = loop {
        write_batch();
        let r = server.v3(
            "GET",
            &core_server::query_sql_path(
                "metrics",
                "SELECT host, usage FROM cpu_downsampled ORDER BY time DESC",
            ),
            None,
        );
        if r.status == 200 {
            let rows = r.json().as_array().cloned().unwrap_or_default();
            if rows.iter().any(|r| r["host"] == "a") && rows.iter().any(|r| r["host"] == "b") {
                break rows;
            }
        }
        assert!(
            Instant::now() < deadline,
            "no downsampled rows after 90 s ({}: {}); the server's log:\n{}",
            r.status,
            r.body,
            server.log_tail()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    let a = rows.iter().find(|r| r["host"] == "a").unwrap();
    assert_eq!(a["usage"], 2.0, "{rows:?}");
    let b = rows.iter().find(|r| r["host"] == "b").unwrap();
    assert_eq!(b["usage"], 5.0, "{rows:?}");
    ws.apply(&["-destroy"]);
}
