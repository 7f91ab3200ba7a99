//! The command line: `--help` text and flag parsing into [`SimOptions`].

use std::path::PathBuf;
use std::time::Duration;

use super::{management, product, SimOptions, PRODUCTS};

pub const USAGE: &str = "\
influxdb-sim: a local simulator of the InfluxDB APIs: the InfluxDB 3 Management API of Cloud
Dedicated and Clustered (tokens, databases, tables), InfluxDB OSS v2, and InfluxDB 3 Core and
Enterprise

Usage: influxdb-sim [OPTIONS]

Options:
  --listen ADDR             address to listen on (default 127.0.0.1:0, a free port);
                            the first stdout line is the base URL, http://ADDR
  --product NAME            dedicated (default), clustered, oss-v2 (the InfluxDB OSS v2
                            API: /health and /api/v2 orgs, users, buckets, authorizations;
                            one org sim-org 5f3e0d9c1a2b4c6d, user sim-admin, and that user's
                            operator token; state is kept in memory only), or
                            cloud-serverless (the same API as Cloud Serverless serves it:
                            retention rules required, schema types, no users or members)
  --product core            InfluxDB 3 Core: /ping, /health, /api/v3 named admin tokens,
                            databases, tables, query_sql on system tables, write_lp; the
                            operator token _admin is --token; state in memory only
  --product enterprise      InfluxDB 3 Enterprise: as core, plus resource tokens
                            (/api/v3/enterprise/configure/token) and table retention
  --token TOKEN             oss-v2, cloud-serverless, core, enterprise: the operator token
                            (default sim-operator-token)
  --management-token TOKEN  bearer token the API accepts (default sim-management-token)
  --account-id UUID         Cloud Dedicated account id (default 11111111-1111-4111-8111-111111111111)
  --cluster-id UUID         Cloud Dedicated cluster id (default 22222222-2222-4222-8222-222222222222)
  --state FILE              load state from FILE if present; write it after every change
  --latency-ms N            delay every API request by N milliseconds
  --complete-after-disconnect
                            carry out every request received even when the client closes
                            the connection before the answer (as real servers do); without
                            it, a request whose client went away during the latency or a
                            delay is abandoned
  --tls                     serve HTTPS (the first stdout line is then https://ADDR) with a
                            server certificate for ADDR signed by a CA made at start
  --tls-ca-file FILE        with --tls: write that CA's certificate (PEM) to FILE, for the
                            provider's ca_certificate or INFLUXDB3_CA_CERTIFICATE
  --tls-expired             with --tls: present a certificate that expired yesterday
  --help                    print this help

Control endpoints (no auth, loopback clients only):
  POST   /__sim/faults    {\"method\":\"POST\",\"path_suffix\":\"/tokens\",\"count\":1,\"status\":503,
                           \"retry_after_secs\":1} | {..., \"drop_after_handling\":true}
                          | {..., \"drop_before_handling\":true} | {..., \"delay_ms\":N}
                          | {\"latency_ms\":N}
                          | {\"method\":\"GET\",\"path_suffix\":\"/tokens\",\"omit_ids\":[\"ID\"]}
                            (a list that lags: leaves out the objects with these ids/names)
  DELETE /__sim/faults    clear faults and restore the start-up latency
  GET    /__sim/requests  [{\"method\":\"POST\",\"path\":\"/api/v0/...\",\"status\":200}] (null = dropped)
  DELETE /__sim/requests  clear the request log
  GET    /__sim/state     {\"tokens\":[...],\"databases\":[...]} (never access tokens; a database
                          also shows its id, dataMarker and tables)
  PUT    /__sim/databases/NAME/data {\"marker\":\"...\"}  stands for data written to NAME
                          (kept by a rename, lost with the database)
  POST   /__sim/authenticate {\"accessToken\":\"apiv1_...\"} -> {\"id\":..,\"active\":bool} or 404
  DELETE /__sim/state     delete all tokens and databases
  oss-v2: GET /__sim/state {\"orgs\",\"users\",\"buckets\",\"authorizations\"} (never tokens),
          POST /__sim/authenticate {\"token\":\"...\"} -> {\"id\":..,\"active\":bool} or 404,
          DELETE /__sim/state back to the start-up org, user and operator token
  core, enterprise: GET /__sim/state {\"tokens\",\"databases\"} (never token strings),
          POST /__sim/authenticate {\"token\":\"...\"} -> {\"id\":..,\"name\":..,\"active\":bool}
          or 404, DELETE /__sim/state back to the operator token alone, PUT /__sim/bugs
          {\"27620\":true} reproduces influxdata/influxdb#27620 (Enterprise 3.11.3: a
          resource token created without an expiry expires at once); columns are added
          with POST /api/v3/write_lp?db=DB (line protocol), as a real write does
";

/// Parses command-line flags (without the program name). `Ok(None)` means `--help`.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<SimOptions>, String> {
    let mut opts = SimOptions::default();
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (flag.clone(), None),
        };
        if name == "--help" || name == "-h" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--listen" => {
                let v = value()?;
                opts.listen = v
                    .parse()
                    .map_err(|_| format!("--listen {v:?} is not an address like 127.0.0.1:8086"))?;
            }
            "--product" => {
                let v = value()?;
                opts.product = product(&v).ok_or_else(|| {
                    format!("--product {v:?} is not supported; use {}", product_names())
                })?;
            }
            "--management-token" => {
                opts.management_token = value()?;
                if opts.management_token.is_empty() {
                    return Err("--management-token must not be empty".into());
                }
            }
            "--account-id" | "--cluster-id" => {
                let v = value()?;
                let id = management::parse_uuid(&v)
                    .ok_or_else(|| format!("{name} {v:?} is not a UUID"))?;
                if name == "--account-id" {
                    opts.account_id = id;
                } else {
                    opts.cluster_id = id;
                }
            }
            "--token" => {
                opts.v2_token = value()?;
                if opts.v2_token.is_empty() {
                    return Err("--token must not be empty".into());
                }
            }
            "--state" => opts.state_file = Some(PathBuf::from(value()?)),
            "--latency-ms" => {
                let v = value()?;
                let ms: u64 = v
                    .parse()
                    .map_err(|_| format!("--latency-ms {v:?} is not a number of milliseconds"))?;
                opts.latency = Duration::from_millis(ms);
            }
            "--tls" => opts.tls = true,
            "--complete-after-disconnect" => opts.complete_after_disconnect = true,
            "--tls-expired" => opts.tls_expired = true,
            "--tls-ca-file" => opts.tls_ca_file = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown flag {other:?}; see --help")),
        }
    }
    if !opts.tls && (opts.tls_ca_file.is_some() || opts.tls_expired) {
        return Err("--tls-ca-file and --tls-expired need --tls".into());
    }
    Ok(Some(opts))
}

/// `dedicated, clustered, oss-v2 or cloud-serverless`.
fn product_names() -> String {
    let names: Vec<&str> = PRODUCTS.iter().map(|p| p.name).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_named_in_the_error() {
        let err = parse_args(["--product".to_owned(), "cloud".to_owned()]).unwrap_err();
        assert_eq!(
            err,
            "--product \"cloud\" is not supported; use dedicated, clustered, oss-v2, cloud-serverless, core or enterprise"
        );
        let opts = parse_args(["--product=oss-v2".to_owned()])
            .unwrap()
            .unwrap();
        assert_eq!(opts.product.name, "oss-v2");
    }
}
