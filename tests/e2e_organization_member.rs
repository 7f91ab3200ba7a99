//! `influxdb_organization_member` end to end under Terraform 1.0.3 and 1.15.5: a user added
//! to an organization as a member, then as an owner (a replacement), a membership removed
//! outside added again, import as `ORG_ID/USER_ID`, destroy removing the mapping only.

#[path = "support/sim.rs"]
mod sim;
#[path = "support/terraform.rs"]
mod terraform;

use sim::{SimProcess, V2_ORG_ID};
use terraform::{provider_block, Tf, Workspace};

terraform::every_terraform!(a_membership_is_added_changed_repaired_and_removed);

fn config(user: &str, role: Option<&str>) -> String {
    let role = role
        .map(|r| format!("  role    = \"{r}\"\n"))
        .unwrap_or_default();
    format!("{}\nresource \"influxdb_organization_member\" \"m\" {{\n  org_id  = \"{V2_ORG_ID}\"\n  user_id = \"{user}\"\n{role}}}\n", provider_block(""))
}

fn role_of(sim: &SimProcess, user: &str) -> Option<String> {
    sim.state()["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["userID"] == user && m["resourceID"] == V2_ORG_ID)
        .map(|m| m["role"].as_str().unwrap().to_owned())
}

fn a_membership_is_added_changed_repaired_and_removed(tf: Tf) {
    let sim = SimProcess::oss_v2();
    let mut ws = Workspace::new(tf);
    ws.set_envs(sim.provider_env());
    let user = sim.v2_user("ann");
    ws.write("main.tf", &config(&user, None));
    ws.apply(&[]);
    assert_eq!(role_of(&sim, &user).as_deref(), Some("member"));
    assert_eq!(
        ws.state_attributes("influxdb_organization_member.m")["id"],
        format!("{V2_ORG_ID}/{user}")
    );
    ws.plan_no_changes(&[]);

    ws.write("main.tf", &config(&user, Some("owner")));
    ws.apply(&[]);
    assert_eq!(role_of(&sim, &user).as_deref(), Some("owner"));
    ws.plan_no_changes(&[]);

    assert_eq!(
        sim.v2("DELETE", &format!("/orgs/{V2_ORG_ID}/owners/{user}"), None)
            .status,
        204
    );
    let out = ws.apply(&[]);
    assert!(
        out.combined().contains("removed outside Terraform"),
        "{}",
        out.combined()
    );
    assert_eq!(role_of(&sim, &user).as_deref(), Some("owner"));

    ws.run(&["state", "rm", "influxdb_organization_member.m"])
        .assert_success();
    ws.run(&[
        "import",
        "influxdb_organization_member.m",
        &format!("{V2_ORG_ID}/{user}"),
    ])
    .assert_success();
    ws.plan_no_changes(&[]);

    ws.apply(&["-destroy"]);
    assert_eq!(role_of(&sim, &user), None);
    assert_eq!(
        sim.v2("GET", &format!("/users/{user}"), None).status,
        200,
        "the user stays"
    );
}
