//! `influxdb_organization` and the `influxdb_organization` data source end to end, under
//! Terraform 1.0.3 and 1.15.5: create with its system buckets, a rename in place (one PATCH,
//! same ID), `org_id = data.influxdb_organization.main.id`, import by name, and destroy
//! taking the organization's buckets with it.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(an_organization_is_created_renamed_in_place_and_found_by_name);

fn config(name: &str) -> String {
    format!(
        "{}\nresource \"influxdb_organization\" \"o\" {{\n  name        = \"{name}\"\n  description = \"team data\"\n}}\n\ndata \"influxdb_organization\" \"main\" {{\n  name = \"{V2_ORG}\"\n}}\n\nresource \"influxdb_bucket\" \"in_main\" {{\n  org_id = data.influxdb_organization.main.id\n  name   = \"in-main\"\n}}\n\nresource \"influxdb_bucket\" \"in_team\" {{\n  org_id = influxdb_organization.o.id\n  name   = \"in-team\"\n}}\n",
        provider_block("")
    )
}

fn an_organization_is_created_renamed_in_place_and_found_by_name(tf: Tf) {
    let sim = SimProcess::oss_v2();
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    ws.write("main.tf", &config("team"));
    ws.apply(&[]);
    let id = ws.state_attributes("influxdb_organization.o")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        ws.state_attributes("data.influxdb_organization.main")["id"],
        V2_ORG_ID
    );
    assert_eq!(
        ws.state_attributes("influxdb_bucket.in_main")["org_id"],
        V2_ORG_ID
    );
    let team = sim.v2("GET", &format!("/buckets?orgID={id}"), None).json();
    assert_eq!(
        team["buckets"].as_array().map(Vec::len),
        Some(3),
        "2 system buckets + in-team"
    );
    ws.plan_no_changes(&[]);

    ws.write("main.tf", &config("team-renamed"));
    sim.clear_requests();
    ws.apply(&[]);
    let writes: Vec<_> = sim
        .calls()
        .into_iter()
        .filter(|(m, _)| m != "GET")
        .collect();
    assert_eq!(writes, [("PATCH".to_owned(), format!("/api/v2/orgs/{id}"))]);
    assert_eq!(
        ws.state_attributes("influxdb_organization.o")["id"],
        id.as_str()
    );
    ws.plan_no_changes(&[]);

    // Import by name.
    ws.run(&["state", "rm", "influxdb_organization.o"])
        .assert_success();
    ws.run(&["import", "influxdb_organization.o", "team-renamed"])
        .assert_success();
    ws.plan_no_changes(&[]);

    ws.apply(&["-destroy"]);
    assert_eq!(sim.v2("GET", &format!("/orgs/{id}"), None).status, 404);
    assert!(sim.state()["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["orgID"] == V2_ORG_ID));
}
