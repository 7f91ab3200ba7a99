//! The server a Core scenario runs against: the simulator (`influxdb-sim --product core` or
//! `enterprise`) or the real InfluxDB 3 Core server (`core_server.rs`), behind one interface so
//! that a scenario is written once and runs on both. The server's view is read the way a user
//! would read it, with SQL on the system tables (`system.databases`, `system.tokens`,
//! `system.influxdb_schema`), which both answer; the calls the provider made are the
//! simulator's request log, or a recording proxy's in front of the real server. Faults are
//! injected by the simulator, or by that proxy (a lost answer, a 503) in front of the real one.
//!
//! A test file using it declares `sim`, `core_server`, `terraform` and this module with
//! `#[path]`, and lists its scenarios `fn NAME(target: Target, tf: Tf)` in
//! [`on_sim_and_real_core!`].
#![allow(dead_code)]

use super::core_server::{percent, query_sql_path, CoreServer, RecordingProxy};
use super::sim::{Answer, SimProcess};

pub enum Target {
    Sim(SimProcess),
    /// The real server, and the recording proxy the provider is pointed at.
    Real(CoreServer, RecordingProxy),
}

/// Declares, for each scenario `fn NAME(target: Target, tf: Tf)`, a module `NAME` of four
/// tests: `sim_terraform_1_0_3`, `sim_terraform_1_15_5` (the Core simulator) and
/// `real_terraform_1_0_3`, `real_terraform_1_15_5` (the real InfluxDB 3 Core server).
#[allow(unused_macros)]
macro_rules! on_sim_and_real_core {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            use super::core_target::Target;
            use super::terraform::Tf;
            #[test]
            fn sim_terraform_1_0_3() {
                super::$scenario(Target::sim_core(), Tf::V1_0_3)
            }
            #[test]
            fn sim_terraform_1_15_5() {
                super::$scenario(Target::sim_core(), Tf::V1_15_5)
            }
            #[test]
            fn real_terraform_1_0_3() {
                super::$scenario(Target::real(), Tf::V1_0_3)
            }
            #[test]
            fn real_terraform_1_15_5() {
                super::$scenario(Target::real(), Tf::V1_15_5)
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use on_sim_and_real_core;

/// As [`on_sim_and_real_core!`], under Terraform 1.15.5 only (`sim_terraform_1_15_5`,
/// `real_terraform_1_15_5`): for the scenarios of resources that no provider release run
/// under 1.0.3 ever had (caches, plugin files, triggers).
#[allow(unused_macros)]
macro_rules! on_sim_and_real_core_latest {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            use super::core_target::Target;
            use super::terraform::Tf;
            #[test]
            fn sim_terraform_1_15_5() {
                super::$scenario(Target::sim_core(), Tf::V1_15_5)
            }
            #[test]
            fn real_terraform_1_15_5() {
                super::$scenario(Target::real(), Tf::V1_15_5)
            }
        }
    )*};
}
#[allow(unused_imports)]
pub(crate) use on_sim_and_real_core_latest;

impl Target {
    pub fn sim_core() -> Target {
        Target::Sim(SimProcess::core())
    }

    pub fn sim_enterprise() -> Target {
        Target::Sim(SimProcess::enterprise())
    }

    /// A fresh real InfluxDB 3 Core server, with a recording proxy in front.
    pub fn real() -> Target {
        let server = CoreServer::start();
        let proxy = RecordingProxy::start(server.addr());
        Target::Real(server, proxy)
    }

    pub fn is_real(&self) -> bool {
        matches!(self, Target::Real(..))
    }

    /// The real server, for what only it can do (run a plugin's Python).
    pub fn real_server(&self) -> Option<&CoreServer> {
        match self {
            Target::Real(server, _) => Some(server),
            Target::Sim(_) => None,
        }
    }

    /// The content of the plugin directory's file `name`, if there is one: read from the real
    /// server's disk, or from the simulator's state.
    pub fn plugin_file(&self, name: &str) -> Option<String> {
        match self {
            Target::Real(server, _) => std::fs::read_to_string(server.plugin_dir.join(name)).ok(),
            Target::Sim(s) => s.state()["plugin_files"][name]["content"]
                .as_str()
                .map(str::to_owned),
        }
    }

    /// Arms a fault (the simulator's `/__sim/faults` spec): in the simulator, or in the fault
    /// proxy in front of the real server (`status`, `drop_before_handling`,
    /// `drop_after_handling`, with `method`, `path_suffix`, `count`).
    pub fn add_fault(&self, spec: serde_json::Value) {
        match self {
            Target::Sim(s) => s.add_fault(spec),
            Target::Real(_, proxy) => proxy.add_fault(&spec),
        }
    }

    /// The simulator, for what only it can do (`/__sim/` switches, faults the proxy cannot
    /// play).
    pub fn sim(&self) -> &SimProcess {
        match self {
            Target::Sim(s) => s,
            Target::Real(..) => panic!("this step needs the simulator"),
        }
    }

    /// `INFLUXDB3_HOST_URL` and `INFLUXDB3_AUTH_TOKEN`, as a user sets them.
    pub fn provider_env(&self) -> Vec<(&'static str, String)> {
        match self {
            Target::Sim(s) => s.provider_env(),
            Target::Real(server, proxy) => vec![
                ("INFLUXDB3_HOST_URL", proxy.url.clone()),
                ("INFLUXDB3_AUTH_TOKEN", server.token.clone()),
            ],
        }
    }

    /// The operator token's string.
    pub fn admin_token(&self) -> String {
        match self {
            Target::Sim(_) => super::sim::CORE_TOKEN.to_owned(),
            Target::Real(server, _) => server.token.clone(),
        }
    }

    /// One request as the operator (not logged by the proxy: it goes to the server itself).
    pub fn v3(&self, method: &str, path: &str, body: Option<&str>) -> Answer {
        match self {
            Target::Sim(s) => s.v3(method, path, body),
            Target::Real(server, _) => {
                let r = server.v3(method, path, body);
                Answer {
                    status: r.status,
                    body: r.body,
                }
            }
        }
    }

    /// One request with this `Authorization` header, if any.
    pub fn request_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: Option<&str>,
    ) -> Answer {
        match self {
            Target::Sim(s) => s.request_as(method, path, body, authorization),
            Target::Real(server, _) => {
                let r = server.request_as(method, path, body, authorization);
                Answer {
                    status: r.status,
                    body: r.body,
                }
            }
        }
    }

    /// The rows of `sql` on `db`; panics on an error.
    pub fn sql(&self, db: &str, sql: &str) -> Vec<serde_json::Value> {
        let a = self.v3("GET", &query_sql_path(db, sql), None);
        assert_eq!(a.status, 200, "{sql} on {db}: {}", a.body);
        match a.json() {
            serde_json::Value::Array(rows) => rows,
            other => panic!("{sql}: not rows: {other}"),
        }
    }

    /// `system.databases`: `database_name`, `retention_period_ns`, `deleted`,
    /// `hard_deletion_time` (`_internal` and soft-deleted ones included).
    pub fn databases(&self) -> Vec<serde_json::Value> {
        self.sql("_internal", "SELECT * FROM system.databases")
    }

    /// The live database `name`'s row.
    pub fn live_database(&self, name: &str) -> Option<serde_json::Value> {
        self.databases()
            .into_iter()
            .find(|d| d["database_name"] == name && d["deleted"] == false)
    }

    /// Every database row whose current name starts with `prefix` (soft-deleted ones are
    /// renamed `NAME-YYYYMMDDTHHMMSS`).
    pub fn databases_named(&self, prefix: &str) -> Vec<serde_json::Value> {
        self.databases()
            .into_iter()
            .filter(|d| {
                d["database_name"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with(prefix)
            })
            .collect()
    }

    /// `system.tokens` (`_admin` included).
    pub fn tokens(&self) -> Vec<serde_json::Value> {
        self.sql("_internal", "SELECT * FROM system.tokens")
    }

    pub fn token(&self, name: &str) -> Option<serde_json::Value> {
        self.tokens().into_iter().find(|t| t["name"] == name)
    }

    /// Creates a named admin token by hand (as `influxdb3 create token --admin --name` does);
    /// its string.
    pub fn named_admin(&self, name: &str) -> String {
        let body = serde_json::json!({ "token_name": name }).to_string();
        let a = self.v3("POST", "/api/v3/configure/token/named_admin", Some(&body));
        assert_eq!(a.status, 201, "{}", a.body);
        a.json()["token"].as_str().unwrap_or_default().to_owned()
    }

    /// Whether `secret` is accepted by the server and a token `name` exists. (The real server
    /// cannot say which token a string is; the simulator can, and is asked.)
    pub fn is_token_of(&self, secret: &str, name: &str) -> bool {
        match self {
            Target::Sim(s) => s.v3_authenticate(secret) == Some((name.to_owned(), true)),
            Target::Real(..) => self.token_works(secret) && self.token(name).is_some(),
        }
    }

    /// Whether `token` is accepted by the server (`GET /health` with it).
    pub fn token_works(&self, token: &str) -> bool {
        let auth = format!("Bearer {token}");
        self.request_as("GET", "/health", None, Some(&auth)).status == 200
    }

    /// The columns of `table` in `db`: `(key, data_type)`; empty when there is no such table.
    pub fn columns(&self, db: &str, table: &str) -> Vec<(String, String)> {
        let sql = format!(
            "SELECT key, data_type FROM system.influxdb_schema WHERE measurement = '{}'",
            table.replace('\'', "''")
        );
        let a = self.v3("GET", &query_sql_path(db, &sql), None);
        if a.status == 404 {
            return Vec::new();
        }
        assert_eq!(a.status, 200, "{sql}: {}", a.body);
        a.json()
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                (
                    r["key"].as_str().unwrap_or("").to_owned(),
                    r["data_type"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    /// Writes line protocol to `db`.
    pub fn write(&self, db: &str, lines: &str) {
        let a = self.v3(
            "POST",
            &format!("/api/v3/write_lp?db={}", percent(db)),
            Some(lines),
        );
        assert_eq!(a.status, 204, "write to {db}: {}", a.body);
    }

    /// The (method, path without query) of the calls the provider made.
    pub fn calls(&self) -> Vec<(String, String)> {
        match self {
            Target::Sim(s) => s.calls(),
            Target::Real(_, proxy) => proxy
                .requests()
                .into_iter()
                .map(|r| {
                    let path = r.path.split('?').next().unwrap_or("").to_owned();
                    (r.method, path)
                })
                .collect(),
        }
    }

    pub fn clear_requests(&self) {
        match self {
            Target::Sim(s) => s.clear_requests(),
            Target::Real(_, proxy) => proxy.clear(),
        }
    }

    /// How many calls had this method and a path ending in `suffix`.
    pub fn count_requests(&self, method: &str, suffix: &str) -> usize {
        self.calls()
            .iter()
            .filter(|(m, p)| m == method && p.ends_with(suffix))
            .count()
    }

    /// Whether every call the provider made was a read (`GET`).
    pub fn only_reads(&self) -> bool {
        self.calls().iter().all(|(m, _)| m == "GET")
    }
}
