//! `influxdb_user` on InfluxDB 1.x end to end, against a real `influxd` (auth enabled), under
//! Terraform 1.0.3 and 1.15.5: a user named `we"ird 'name` with a password holding `'` and `\`
//! and grants in any case; a new password, admin flag and grants changed in place; a grant
//! revoked and a user dropped outside Terraform put back; import by name; a grant on a missing
//! database failing with the server's words; the write-only `password_wo` (Terraform 1.15.5,
//! and refused clearly by 1.0.3); passwords in no output, trace log, plan or state.

#[path = "support/influxd.rs"]
mod influxd;
#[path = "support/terraform.rs"]
mod terraform;

use influxd::{quote_ident, Influxd};
use terraform::{flat, hcl_escape, provider_block, Tf, Workspace};

const USER: &str = r#"we"ird 'name"#;
const PASSWORD: &str = r"pa'ss\word-1st";
const NEW_PASSWORD: &str = r"n3w'pa\ss-2nd";

fn setup(tf: Tf) -> (Influxd, Workspace) {
    let server = Influxd::start();
    let ws = Workspace::with_env(tf, server.provider_env());
    (server, ws)
}

fn user_config(password: &str, admin: bool, grants: &[(&str, &str)]) -> String {
    let grants: String = grants
        .iter()
        .map(|(db, p)| {
            format!(
                "  grant {{\n    database  = \"{}\"\n    privilege = \"{p}\"\n  }}\n",
                hcl_escape(db)
            )
        })
        .collect();
    format!(
        "{}\nresource \"influxdb_user\" \"app\" {{\n  name     = \"{}\"\n  password = \"{}\"\n  admin    = {admin}\n{grants}}}\n",
        provider_block(""),
        hcl_escape(USER),
        hcl_escape(password),
    )
}

/// The server's grants of `user`: (database, privilege), `NO PRIVILEGES` rows left out.
fn grants(server: &Influxd, user: &str) -> Vec<(String, String)> {
    let mut g: Vec<(String, String)> = server
        .rows(&format!("SHOW GRANTS FOR {}", quote_ident(user)))
        .iter()
        .map(|r| {
            (
                r["database"].as_str().unwrap_or_default().to_owned(),
                r["privilege"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .filter(|(_, p)| p != "NO PRIVILEGES")
        .collect();
    g.sort();
    g
}

fn is_admin(server: &Influxd, user: &str) -> Option<bool> {
    server
        .rows("SHOW USERS")
        .iter()
        .find(|r| r["user"] == user)
        .map(|r| r["admin"].as_bool().unwrap_or(false))
}

/// Whether `password` signs `user` in (a `/query` with basic auth).
fn authenticates(server: &Influxd, user: &str, password: &str) -> bool {
    server.query_as(user, password, "SHOW DATABASES").status == 200
}

fn assert_no_password(what: &str, text: &str) {
    for p in [PASSWORD, NEW_PASSWORD] {
        assert!(!text.contains(p), "a password leaked into {what}");
        let json_escaped = serde_json::to_string(p).unwrap();
        let inner = &json_escaped[1..json_escaped.len() - 1];
        assert!(!text.contains(inner), "a password leaked into {what}");
    }
}

fn lifecycle(tf: Tf) {
    let (server, ws) = setup(tf);
    server.influxql(&format!(
        "CREATE DATABASE metrics; CREATE DATABASE {}",
        quote_ident(USER)
    ));
    let weird = USER;
    ws.write(
        "main.tf",
        &user_config(PASSWORD, false, &[("metrics", "read"), (weird, "Write")]),
    );
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    assert_no_password("the apply output", &out.combined());
    assert_no_password("the trace log", &ws.trace_log());
    assert_eq!(
        grants(&server, USER),
        [
            ("metrics".to_owned(), "READ".to_owned()),
            (USER.to_owned(), "WRITE".to_owned())
        ]
    );
    assert_eq!(is_admin(&server, USER), Some(false));
    assert!(authenticates(&server, USER, PASSWORD));
    let state = ws.state_attributes("influxdb_user.app");
    assert_eq!(state["id"], USER);
    ws.plan_no_changes(&[]);

    // A new password, admin, and other grants: in place.
    ws.write(
        "main.tf",
        &user_config(NEW_PASSWORD, true, &[("metrics", "ALL")]),
    );
    let plan = ws.run(&["plan"]);
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    assert_no_password("the apply output", &out.combined());
    assert_no_password("the trace log", &ws.trace_log());
    assert!(authenticates(&server, USER, NEW_PASSWORD));
    assert!(!authenticates(&server, USER, PASSWORD));
    assert_eq!(is_admin(&server, USER), Some(true));
    ws.plan_no_changes(&[]);
    ws.write(
        "main.tf",
        &user_config(NEW_PASSWORD, false, &[("metrics", "all")]),
    );
    ws.apply(&[]);
    assert_eq!(is_admin(&server, USER), Some(false));
    assert_eq!(
        grants(&server, USER),
        [("metrics".to_owned(), "ALL PRIVILEGES".to_owned())]
    );
    ws.plan_no_changes(&[]);

    // A grant revoked outside Terraform shows and is put back.
    server.influxql(&format!("REVOKE ALL ON metrics FROM {}", quote_ident(USER)));
    let plan = ws.run(&["plan", "-detailed-exitcode"]);
    plan.assert_code(2);
    assert!(plan.stdout.contains("grant"), "{}", plan.stdout);
    ws.apply(&[]);
    assert_eq!(
        grants(&server, USER),
        [("metrics".to_owned(), "ALL PRIVILEGES".to_owned())]
    );

    // A user dropped outside Terraform is made again, with its password.
    server.influxql(&format!("DROP USER {}", quote_ident(USER)));
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("dropped outside Terraform"),
        "{}",
        out.combined()
    );
    assert!(authenticates(&server, USER, NEW_PASSWORD));
    ws.plan_no_changes(&[]);

    // Import by name: the password cannot be read back, so the next apply sets it.
    ws.run(&["state", "rm", "influxdb_user.app"])
        .assert_success();
    ws.run(&["import", "influxdb_user.app", USER])
        .assert_success();
    let imported = ws.state_attributes("influxdb_user.app");
    assert_eq!(imported["name"], USER);
    assert!(imported["password"].is_null());
    assert_eq!(imported["grant"][0]["privilege"], "ALL");
    let plan = ws.run(&["plan"]);
    assert!(
        plan.stdout.contains("1 to change, 0 to destroy"),
        "{}",
        plan.stdout
    );
    ws.apply(&[]);
    ws.plan_no_changes(&[]);

    // Destroy drops the user and leaves the databases.
    ws.apply(&["-destroy"]);
    assert_eq!(is_admin(&server, USER), None);
    assert!(server.databases().contains(&"metrics".to_owned()));
}

#[test]
fn a_user_with_grants_is_managed_in_place_and_put_back_under_terraform_1_0_3() {
    lifecycle(Tf::V1_0_3);
}

#[test]
fn a_user_with_grants_is_managed_in_place_and_put_back_under_terraform_1_15_5() {
    lifecycle(Tf::V1_15_5);
}

#[test]
fn a_grant_on_a_missing_database_fails_with_the_servers_words_and_bad_privileges_at_plan() {
    for tf in Tf::ALL {
        let (server, ws) = setup(tf);
        ws.write(
            "main.tf",
            &user_config(PASSWORD, false, &[("nosuchdb", "READ")]),
        );
        let out = ws.run(&["apply", "-auto-approve"]);
        out.assert_failure();
        assert!(
            out.stderr.contains("database not found: nosuchdb"),
            "{}",
            out.stderr
        );
        assert_no_password("the output", &out.combined());
        ws.write("main.tf", &user_config(PASSWORD, false, &[("x", "OWNER")]));
        let out = ws.run(&["plan"]);
        out.assert_failure();
        assert!(out.stderr.contains("READ, WRITE or ALL"), "{}", out.stderr);
        // A name with a line break cannot go into a statement: refused at plan.
        ws.write(
            "main.tf",
            &format!(
                "{}\nresource \"influxdb_user\" \"nl\" {{\n  name     = \"a\\nb\"\n  password = \"x-pass-1\"\n}}\n",
                provider_block("")
            ),
        );
        let out = ws.run(&["plan"]);
        out.assert_failure();
        assert!(out.stderr.contains("Invalid user name"), "{}", out.stderr);
        // A user made outside Terraform is not taken over: refused at plan, saying to import.
        server.create_user("outsider", PASSWORD);
        ws.write(
            "main.tf",
            &format!(
                "{}\nresource \"influxdb_user\" \"o\" {{\n  name     = \"outsider\"\n  password = \"x-pass-1\"\n}}\n",
                provider_block("")
            ),
        );
        let out = ws.run(&["plan"]);
        out.assert_failure();
        let err = flat(&out.stderr);
        assert!(
            err.contains("User already exists")
                && err.contains("terraform import ADDRESS outsider"),
            "{err}"
        );
        drop(server);
    }
}

fn write_only_config(version: u32) -> String {
    format!(
        "{}\nvariable \"pw\" {{\n  type      = string\n  sensitive = true\n  ephemeral = true\n}}\n\nresource \"influxdb_user\" \"app\" {{\n  name                = \"app\"\n  password_wo         = var.pw\n  password_wo_version = {version}\n  grant {{\n    database  = \"metrics\"\n    privilege = \"WRITE\"\n  }}\n}}\n",
        provider_block("")
    )
}

#[test]
fn a_write_only_password_is_set_and_rotated_and_never_stored() {
    let (server, mut ws) = setup(Tf::V1_15_5);
    server.influxql("CREATE DATABASE metrics");
    ws.set_env("TF_VAR_pw", PASSWORD);
    ws.write("main.tf", &write_only_config(1));
    let plan = ws.run(&["plan", "-out=tfplan"]);
    plan.assert_success();
    assert_no_password("the plan output", &plan.combined());
    assert_no_password("the saved plan", &ws.plan_file_contents("tfplan"));
    let out = ws.run_traced(&["apply", "-auto-approve", "tfplan"]);
    out.assert_success();
    assert_no_password("the trace log", &ws.trace_log());
    assert_no_password("the state", &ws.read("terraform.tfstate"));
    let state = ws.state_attributes("influxdb_user.app");
    assert!(state["password_wo"].is_null(), "{state}");
    assert!(state["password"].is_null(), "{state}");
    assert!(authenticates(&server, "app", PASSWORD));
    ws.plan_no_changes(&[]);

    ws.set_env("TF_VAR_pw", NEW_PASSWORD);
    ws.write("main.tf", &write_only_config(2));
    let out = ws.run_traced(&["apply", "-auto-approve"]);
    out.assert_success();
    assert_no_password("the trace log", &ws.trace_log());
    assert_no_password("the state", &ws.read("terraform.tfstate"));
    assert!(authenticates(&server, "app", NEW_PASSWORD));
    assert!(!authenticates(&server, "app", PASSWORD));
    assert_eq!(
        grants(&server, "app"),
        [("metrics".to_owned(), "WRITE".to_owned())]
    );
    ws.plan_no_changes(&[]);
}

#[test]
fn terraform_1_0_3_refuses_password_wo_clearly_before_any_change() {
    let (server, ws) = setup(Tf::V1_0_3);
    ws.write(
        "main.tf",
        &format!(
            "{}\nresource \"influxdb_user\" \"app\" {{\n  name        = \"app\"\n  password_wo = \"{}\"\n}}\n",
            provider_block(""),
            hcl_escape(PASSWORD)
        ),
    );
    let out = ws.run(&["plan"]);
    out.assert_failure();
    assert!(out.stderr.contains("password_wo"), "{}", out.stderr);
    assert!(out.stderr.contains("1.11"), "{}", out.stderr);
    assert_eq!(is_admin(&server, "app"), None);
}
