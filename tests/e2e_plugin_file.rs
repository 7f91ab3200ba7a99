//! `influxdb_plugin_file` end to end on the Core simulator and on the REAL InfluxDB 3 Core
//! server (`support/core_target.rs`), under Terraform 1.15.5: the file lands in the server's plugin
//! directory, a content change is one write in place, a `source` file is read at plan, nothing
//! the server cannot show is ever a diff, import is refused saying why, and destroy leaves the
//! file on the server with a warning. (A trigger running the file: `e2e_processing_engine_trigger.rs`.)

#[path = "support/core_server.rs"]
mod core_server;
#[path = "support/core_target.rs"]
mod core_target;
#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use core_target::{on_sim_and_real_core_latest, Target};
use terraform::{flat, provider_block, Tf, Workspace};

on_sim_and_real_core_latest!(plugin_files_are_written_in_place_and_left_on_destroy);

fn config(content: &str) -> String {
    format!(
        "{}
resource \"influxdb_plugin_file\" \"inline\" {{
  filename = \"tools/inline.py\"
  content  = {content:?}
}}

resource \"influxdb_plugin_file\" \"from_source\" {{
  filename = \"from_source.py\"
  source   = \"${{path.module}}/plugin.py\"
}}
",
        provider_block("")
    )
}

fn plugin_files_are_written_in_place_and_left_on_destroy(server: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, server.provider_env());
    let on_disk = |name: &str| server.plugin_file(name);
    ws.write("plugin.py", "# version 1\n");
    ws.write("main.tf", &config("x = 1\n"));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("2 added"), "{}", out.stdout);
    assert_eq!(on_disk("tools/inline.py").as_deref(), Some("x = 1\n"));
    assert_eq!(on_disk("from_source.py").as_deref(), Some("# version 1\n"));
    assert_eq!(
        ws.state_attributes("influxdb_plugin_file.from_source")["content"],
        "# version 1\n"
    );
    ws.plan_no_changes(&[]);

    // The server cannot show a file: one rewritten there is not a diff.
    let r = server.v3(
        "POST",
        "/api/v3/plugins/files",
        Some(r#"{"plugin_name": "tools/inline.py", "content": "edited on the server\n"}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        on_disk("tools/inline.py").as_deref(),
        Some("edited on the server\n")
    );
    ws.plan_no_changes(&[]);

    // New content (inline, and in the source file): written in place.
    ws.write("plugin.py", "# version 2\n");
    ws.write("main.tf", &config("x = 2\n"));
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 2 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert_eq!(on_disk("tools/inline.py").as_deref(), Some("x = 2\n"));
    assert_eq!(on_disk("from_source.py").as_deref(), Some("# version 2\n"));
    ws.plan_no_changes(&[]);

    // Import is refused, saying why; applying the declared file writes it again.
    ws.run(&["state", "rm", "influxdb_plugin_file.inline"])
        .assert_success();
    let out = ws.run(&["import", "influxdb_plugin_file.inline", "tools/inline.py"]);
    out.assert_failure();
    assert!(
        flat(&out.stderr).contains("cannot show a plugin file's content"),
        "{}",
        out.stderr
    );
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("1 added, 0 changed, 0 destroyed"),
        "{}",
        out.stdout
    );

    // Destroy: no API call deletes a plugin file; the warning says the file stays.
    let out = ws.apply(&["-destroy"]);
    let text = flat(&out.stdout);
    assert!(
        text.contains("Plugin file left on the server") && text.contains("from_source.py"),
        "{text}"
    );
    assert!(out.stdout.contains("2 destroyed"), "{}", out.stdout);
    assert!(on_disk("from_source.py").is_some());
}
