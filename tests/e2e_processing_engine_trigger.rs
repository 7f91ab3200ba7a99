//! `influxdb_plugin_file` and `influxdb_processing_engine_trigger` end to end on the Core
//! simulator and on the REAL InfluxDB 3 Core server (`support/core_target.rs`; the real one's
//! processing engine embeds Python), under Terraform 1.15.5: a `request:` trigger whose plugin
//! file Terraform uploaded answers on `/api/v3/engine/PATH` with the plugin's output (real
//! server only: the simulator runs no plugin); a change of the file's content is one call in
//! place and changes that answer with the trigger untouched; `disabled` in place; the server's
//! JSON specification reads back without a diff; drift, import, the server's 500 for a missing
//! plugin file named as `plugin_filename`; destroy deletes an enabled trigger and says that the
//! plugin file stays.

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

on_sim_and_real_core_latest!(
    a_request_trigger_runs_the_uploaded_plugin_and_follows_its_content,
    a_missing_plugin_file_is_named_as_plugin_filename,
);

fn plugin(answer: &str) -> String {
    format!(
        "def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):\n    return {{\"answer\": \"{answer}\", \"args\": args}}\n\n\ndef process_scheduled_call(influxdb3_local, call_time, args=None):\n    influxdb3_local.info(\"tick\")\n"
    )
}

fn config(trigger_extra: &str) -> String {
    format!(
        "{}
resource \"influxdb_database\" \"apps\" {{
  name = \"apps\"
}}

resource \"influxdb_plugin_file\" \"hello\" {{
  filename = \"hello.py\"
  source   = \"${{path.module}}/hello.py\"
}}

resource \"influxdb_processing_engine_trigger\" \"hello\" {{
  database              = influxdb_database.apps.name
  name                  = \"hello\"
  plugin_filename       = influxdb_plugin_file.hello.filename
  trigger_specification = \"request:hello\"
  trigger_arguments     = {{ greeting = \"hi\" }}
{trigger_extra}}}

resource \"influxdb_processing_engine_trigger\" \"hourly\" {{
  database              = influxdb_database.apps.name
  name                  = \"hourly\"
  plugin_filename       = influxdb_plugin_file.hello.filename
  trigger_specification = \"every:60m\"
  error_behavior        = \"retry\"
  disabled              = true
}}
",
        provider_block("")
    )
}

/// The plugin's answer on `/api/v3/engine/hello` (status, body): the real server runs the
/// plugin; the simulator runs none, so there it is `None` and the scenario checks the
/// trigger's record only.
fn ask(server: &Target) -> Option<(u16, serde_json::Value)> {
    let real = server.real_server()?;
    let r = real.v3("POST", "/api/v3/engine/hello", Some("{}"));
    let body = serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null);
    Some((r.status, body))
}

fn triggers(server: &Target) -> Vec<serde_json::Value> {
    server.sql("apps", "SELECT * FROM system.processing_engine_triggers")
}

/// Whether the trigger `name` is disabled, as the server lists it.
fn disabled(server: &Target, name: &str) -> bool {
    triggers(server)
        .into_iter()
        .find(|t| t["trigger_name"] == name)
        .unwrap_or_else(|| panic!("trigger {name} is listed"))["disabled"]
        .as_bool()
        .unwrap()
}

fn a_request_trigger_runs_the_uploaded_plugin_and_follows_its_content(server: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, server.provider_env());
    ws.write("hello.py", &plugin("one"));
    ws.write("main.tf", &config(""));
    let out = ws.apply(&[]);
    assert!(out.stdout.contains("4 added"), "{}", out.stdout);
    assert_eq!(server.plugin_file("hello.py"), Some(plugin("one")));
    if let Some((status, body)) = ask(&server) {
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body,
            serde_json::json!({"answer": "one", "args": {"greeting": "hi"}})
        );
    }
    // The server shows `every:60m` as {"every":{"duration":{"secs":3600,...}}}: no diff.
    let hourly = triggers(&server)
        .into_iter()
        .find(|t| t["trigger_name"] == "hourly")
        .unwrap();
    assert!(
        hourly["trigger_specification"]
            .as_str()
            .unwrap()
            .contains("3600"),
        "{hourly}"
    );
    assert_eq!(
        (
            hourly["disabled"].as_bool(),
            hourly["error_behavior"].as_str()
        ),
        (Some(true), Some("retry"))
    );
    ws.plan_no_changes(&[]);

    // New content: the file is rewritten in place, the trigger untouched, the answer follows.
    ws.write("hello.py", &plugin("two"));
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("influxdb_plugin_file.hello will be updated in-place"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout
            .contains("influxdb_processing_engine_trigger.hello will be"),
        "{}",
        out.stdout
    );
    assert_eq!(server.plugin_file("hello.py"), Some(plugin("two")));
    if let Some((_, body)) = ask(&server) {
        assert_eq!(body["answer"], "two");
    }
    ws.plan_no_changes(&[]);

    // Disabled in place: the path stops answering; enabled again, it answers.
    ws.write("main.tf", &config("  disabled = true\n"));
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("0 added, 1 changed, 0 destroyed"),
        "{}",
        out.stdout
    );
    assert!(disabled(&server, "hello"));
    if let Some((status, _)) = ask(&server) {
        assert_eq!(status, 404);
    }
    ws.plan_no_changes(&[]);
    ws.write("main.tf", &config(""));
    ws.apply(&[]);
    assert!(!disabled(&server, "hello"));
    if let Some((_, body)) = ask(&server) {
        assert_eq!(body["answer"], "two");
    }

    // Another argument replaces the trigger.
    ws.write(
        "main.tf",
        &config("").replace("greeting = \"hi\"", "greeting = \"hello\""),
    );
    let out = ws.apply(&[]);
    assert!(
        out.stdout.contains("1 added, 0 changed, 1 destroyed"),
        "{}",
        out.stdout
    );
    let args = server.sql(
        "apps",
        "SELECT * FROM system.processing_engine_trigger_arguments WHERE trigger_name = 'hello'",
    );
    assert_eq!(args.len(), 1, "{args:?}");
    assert_eq!(args[0]["argument_value"], "hello");
    if let Some((_, body)) = ask(&server) {
        assert_eq!(body["args"]["greeting"], "hello");
    }
    ws.plan_no_changes(&[]);

    // Deleted outside Terraform: created again.
    let r = server.v3(
        "DELETE",
        "/api/v3/configure/processing_engine_trigger?db=apps&trigger_name=hourly&force=true",
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let out = ws.apply(&[]);
    assert!(
        flat(&out.stdout).contains("Processing engine trigger deleted outside Terraform"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("1 added, 0 changed, 0 destroyed"),
        "{}",
        out.stdout
    );

    // Import by DATABASE:NAME, then no diff.
    ws.run(&[
        "state",
        "rm",
        "influxdb_processing_engine_trigger.hello",
        "influxdb_processing_engine_trigger.hourly",
    ])
    .assert_success();
    ws.run(&[
        "import",
        "influxdb_processing_engine_trigger.hello",
        "apps:hello",
    ])
    .assert_success();
    ws.run(&[
        "import",
        "influxdb_processing_engine_trigger.hourly",
        "apps:hourly",
    ])
    .assert_success();
    ws.plan_no_changes(&[]);

    // Destroy: the enabled trigger is deleted; the plugin file stays, and Terraform says so.
    let out = ws.apply(&["-destroy"]);
    assert!(
        flat(&out.stdout).contains("Plugin file left on the server"),
        "{}",
        out.stdout
    );
    assert!(server.plugin_file("hello.py").is_some());
    if let Some((status, _)) = ask(&server) {
        assert_eq!(status, 404);
    }
}

fn a_missing_plugin_file_is_named_as_plugin_filename(server: Target, tf: Tf) {
    let ws = Workspace::with_env(tf, server.provider_env());
    ws.write(
        "main.tf",
        &format!(
            "{}
resource \"influxdb_database\" \"apps\" {{
  name = \"apps\"
}}

resource \"influxdb_processing_engine_trigger\" \"t\" {{
  database              = influxdb_database.apps.name
  name                  = \"t\"
  plugin_filename       = \"nowhere.py\"
  trigger_specification = \"every:10m\"
}}
",
            provider_block("")
        ),
    );
    let out = ws.run(&["apply", "-auto-approve"]);
    out.assert_failure();
    let text = flat(&out.stderr);
    assert!(
        text.contains("Plugin file not found") && text.contains("plugin_filename"),
        "{text}"
    );
    assert!(
        text.contains("nowhere.py") && text.contains("influxdb_plugin_file"),
        "{text}"
    );
    assert!(triggers(&server).is_empty());
    ws.apply(&["-destroy"]);
}

#[test]
fn specifications_and_plugin_sources_are_checked_at_plan() {
    let ws = Workspace::with_env(
        Tf::V1_15_5,
        [
            ("INFLUXDB3_HOST_URL", "http://127.0.0.1:9"),
            ("INFLUXDB3_AUTH_TOKEN", "apiv3_x"),
        ],
    );
    ws.write(
        "main.tf",
        &format!(
            "{}
resource \"influxdb_processing_engine_trigger\" \"cron5\" {{
  database              = \"apps\"
  name                  = \"a\"
  plugin_filename       = \"a.py\"
  trigger_specification = \"cron:*/5 * * * *\"
}}

resource \"influxdb_processing_engine_trigger\" \"bogus\" {{
  database              = \"apps\"
  name                  = \"b\"
  plugin_filename       = \"a.py\"
  trigger_specification = \"tables:cpu\"
  error_behavior        = \"panic\"
}}

resource \"influxdb_plugin_file\" \"both\" {{
  filename = \"../x.py\"
  content  = \"x\"
  source   = \"x.py\"
}}
",
            provider_block("")
        ),
    );
    let out = ws.run(&["validate"]);
    out.assert_failure();
    let text = flat(&out.stderr);
    assert!(
        text.contains("has 5 fields") && text.contains("seconds first"),
        "{text}"
    );
    assert!(
        text.contains("\"tables:cpu\" is not a trigger specification"),
        "{text}"
    );
    assert!(text.contains("Invalid error_behavior"), "{text}");
    assert!(
        text.contains("Conflicting content and source") && text.contains("Invalid filename"),
        "{text}"
    );
    // A source that cannot be read fails at plan, naming `source`.
    ws.write(
        "main.tf",
        &format!("{}\nresource \"influxdb_plugin_file\" \"gone\" {{\n  filename = \"x.py\"\n  source   = \"missing.py\"\n}}\n", provider_block("")),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    let text = flat(&out.stderr);
    assert!(
        text.contains("Cannot read the plugin source") && text.contains("missing.py"),
        "{text}"
    );
}
