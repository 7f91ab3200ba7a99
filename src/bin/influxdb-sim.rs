//! `influxdb-sim`: a local simulator of the InfluxDB APIs (the InfluxDB 3 Management API of
//! Cloud Dedicated and Clustered, InfluxDB OSS v2) for tests and demos.
//! See `--help` and `terraform_provider_influxdb::sim`.

use terraform_provider_influxdb::sim;

fn main() {
    let opts = match sim::parse_args(std::env::args().skip(1)) {
        Ok(Some(opts)) => opts,
        Ok(None) => {
            print!("{}", sim::USAGE);
            return;
        }
        Err(e) => {
            eprintln!("influxdb-sim: {e}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("influxdb-sim: cannot start the async runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(sim::run(opts)) {
        eprintln!("influxdb-sim: {e}");
        std::process::exit(1);
    }
}
