//! Smoke test with the real Terraform (1.0.3 and 1.15.5) under dev_overrides (see tests/support/terraform.rs).
//! Fails (does not skip) when Terraform cannot be installed.

#[path = "support/terraform.rs"]
mod terraform;

use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(
    validate_and_plan_with_an_empty_provider_block,
    provider_logs_reach_terraform_trace_log_and_plugin_exits_gracefully,
);

fn validate_and_plan_with_an_empty_provider_block(tf: Tf) {
    let ws = Workspace::new(tf);
    ws.write("main.tf", &provider_block(""));

    let v = ws.terraform(&["validate", "-no-color"]);
    v.assert_success();
    assert!(
        v.stdout.contains("The configuration is valid"),
        "validate:\n{}",
        v.stdout
    );
    assert!(
        v.combined()
            .contains("Provider development overrides are in effect"),
        "dev_overrides not in effect:\n{}",
        v.combined()
    );

    let p = ws.terraform(&["plan", "-detailed-exitcode", "-no-color"]);
    p.assert_success();
    assert!(
        p.stdout.contains("No changes."),
        "an empty configuration plans no changes:\n{}",
        p.stdout
    );
}

fn provider_logs_reach_terraform_trace_log_and_plugin_exits_gracefully(tf: Tf) {
    let ws = Workspace::new(tf);
    ws.write("main.tf", &provider_block(""));
    let log = ws.path().join("terraform-trace.log");
    let log_s = log.to_string_lossy().into_owned();
    let env = [("TF_LOG", "trace"), ("TF_LOG_PATH", log_s.as_str())];

    ws.terraform_with_env(&["validate", "-no-color"], &env)
        .assert_success();
    ws.terraform_with_env(&["plan", "-detailed-exitcode", "-no-color"], &env)
        .assert_success();

    let text = std::fs::read_to_string(&log).expect("TF_LOG_PATH log written");
    // go-plugin relogs every provider stderr line under the logger "provider.<binary name>".
    let provider_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("provider.terraform-provider-influxdb"))
        .collect();
    assert!(
        !provider_lines.is_empty(),
        "no provider log lines in the trace log; sample:\n{}",
        text.lines()
            .filter(|l| l.contains("plugin"))
            .take(40)
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Our hclog JSON lines are relogged at their own level, with the JSON keys as key=value
    // pairs: "[TRACE] provider.terraform-provider-influxdb: GetProviderSchema: @module=provider.influxdb
    // timestamp=...". A line go-plugin could not parse is relogged verbatim at DEBUG, so a
    // provider line at another level, and the @module key, prove the JSON was understood.
    assert!(
        provider_lines
            .iter()
            .any(|l| l.contains("@module=provider.influxdb")),
        "no provider line carries @module=provider.influxdb:\n{}",
        provider_lines.join("\n")
    );
    assert!(
        provider_lines
            .iter()
            .any(
                |l| ["[TRACE]", "[INFO]", "[WARN]", "[ERROR]"].iter().any(|lv| l
                    .contains(&format!("{lv} provider.terraform-provider-influxdb:"))
                    || l.contains(&format!("{lv}  provider.terraform-provider-influxdb:")))
            ),
        "every provider line is at DEBUG: their levels were not taken from the JSON:\n{}",
        provider_lines.join("\n")
    );
    assert!(
        !provider_lines.iter().any(|l| l.contains("\"@level\"")),
        "provider JSON was not parsed by go-plugin (raw hclog JSON relogged):\n{}",
        provider_lines.join("\n")
    );
    // Every provider process Terraform started has exited.
    let started = text
        .lines()
        .filter(|l| l.contains("provider: plugin started:"))
        .count();
    let exited = text
        .lines()
        .filter(|l| l.contains("provider: plugin process exited:"))
        .count();
    assert!(
        started > 0,
        "the log shows no provider process being started"
    );
    assert_eq!(
        started, exited,
        "{started} provider processes started but {exited} exited"
    );
    assert!(
        !text.contains("plugin failed to exit gracefully"),
        "Shutdown did not make the provider exit within 2 s:\n{}",
        text.lines()
            .filter(|l| l.contains("plugin") && !l.contains("provider.terraform-provider-influxdb"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
