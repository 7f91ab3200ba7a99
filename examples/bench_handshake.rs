//! Start-up benchmark: exec-to-handshake-line time and memory at the handshake, for our provider
//! and a Go (terraform-plugin-framework) provider, side by side in one run.
//!
//! Usage (scripts/bench-handshake.sh does all of this):
//!   cargo run --example bench_handshake -- --ours target/release/terraform-provider-influxdb \
//!       --go .tools/go-reference-provider/terraform-provider-workato_v0.16.0 [--runs 30] [--warmup 3]
//!
//! Each run launches the binary like go-plugin v1.4.1 (Terraform 1.0.3) does: parent env plus the
//! magic cookie, PLUGIN_MIN_PORT/MAX_PORT, PLUGIN_PROTOCOL_VERSIONS=5,6 and PLUGIN_CLIENT_CERT (a
//! fresh go-plugin-style P-521 certificate per pair of runs, shared by both binaries), stdin
//! /dev/null, stdout piped. The clock starts right before spawn and stops when the first stdout
//! line arrives; /proc/PID/status (VmHWM, VmRSS) is read at once, then the process is killed.
//! Runs alternate which binary goes first. Exit status is non-zero only when a measurement
//! failed; missing the targets is reported, not failed.

#[path = "../tests/support/plugin.rs"]
#[allow(unused_imports)]
mod plugin;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TARGET_TIME_RATIO: f64 = 0.15;
const TARGET_MEM_RATIO: f64 = 0.35;

struct Sample {
    handshake: Duration,
    hwm_kib: u64,
    rss_kib: u64,
    /// RssAnon and RssFile (0 if the kernel does not report them): most of a small Rust
    /// binary's RSS at start-up is its own file-backed code pages.
    anon_kib: u64,
    file_kib: u64,
}

fn status_kib(status: &str, key: &str) -> Option<u64> {
    status.lines().find(|l| l.starts_with(key)).and_then(|l| {
        l[key.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    })
}

fn measure(bin: &Path, cert_pem: &str) -> Result<Sample, String> {
    let mut cmd = Command::new(bin);
    for k in plugin::PLUGIN_ENV_VARS {
        cmd.env_remove(k);
    }
    cmd.env(plugin::MAGIC_COOKIE_KEY, plugin::MAGIC_COOKIE_VALUE)
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
        .env("PLUGIN_CLIENT_CERT", cert_pem)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let t0 = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("spawn {}: {e}", bin.display()))?;
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut line = String::new();
        let n = r.read_line(&mut line);
        let _ = tx.send((Instant::now(), n.map(|_| line)));
        // Keep draining so the child never blocks on a full pipe.
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut r, &mut sink);
    });
    let result = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok((t1, Ok(line))) if line.split('|').count() == 6 => {
            let handshake = t1 - t0;
            match std::fs::read_to_string(format!("/proc/{pid}/status")) {
                Ok(s) => match (status_kib(&s, "VmHWM:"), status_kib(&s, "VmRSS:")) {
                    (Some(hwm_kib), Some(rss_kib)) => Ok(Sample {
                        handshake,
                        hwm_kib,
                        rss_kib,
                        anon_kib: status_kib(&s, "RssAnon:").unwrap_or(0),
                        file_kib: status_kib(&s, "RssFile:").unwrap_or(0),
                    }),
                    _ => Err(format!("no VmHWM/VmRSS in /proc/{pid}/status")),
                },
                Err(e) => Err(format!("read /proc/{pid}/status: {e}")),
            }
        }
        Ok((_, Ok(line))) => Err(format!("{}: bad handshake line {line:?}", bin.display())),
        Ok((_, Err(e))) => Err(format!("{}: reading stdout: {e}", bin.display())),
        Err(_) => Err(format!("{}: no handshake line within 60 s", bin.display())),
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}

struct Stats {
    median: f64,
    p90: f64,
    min: f64,
    max: f64,
}

fn stats(mut v: Vec<f64>) -> Stats {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let q = |p: f64| {
        // nearest-rank
        let rank = ((p * v.len() as f64).ceil() as usize).clamp(1, v.len());
        v[rank - 1]
    };
    let median = if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    };
    Stats {
        median,
        p90: q(0.9),
        min: v[0],
        max: v[v.len() - 1],
    }
}

fn main() {
    let mut ours: Option<PathBuf> = None;
    let mut go: Option<PathBuf> = None;
    let mut runs = 30usize;
    let mut warmup = 3usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--ours" => ours = args.next().map(PathBuf::from),
            "--go" => go = args.next().map(PathBuf::from),
            "--runs" => runs = args.next().and_then(|s| s.parse().ok()).unwrap_or(runs),
            "--warmup" => warmup = args.next().and_then(|s| s.parse().ok()).unwrap_or(warmup),
            "-h" | "--help" => {
                eprintln!("usage: bench_handshake --ours BIN --go BIN [--runs N] [--warmup N]");
                return;
            }
            other => {
                eprintln!("bench_handshake: unknown argument {other:?}");
                std::process::exit(2);
            }
        }
    }
    let (Some(ours), Some(go)) = (ours, go) else {
        eprintln!("usage: bench_handshake --ours BIN --go BIN [--runs N] [--warmup N]");
        std::process::exit(2);
    };
    let runs = runs.max(1);
    let bins = [("ours", ours.as_path()), ("go", go.as_path())];

    let mut samples: [Vec<Sample>; 2] = [Vec::new(), Vec::new()];
    let mut failures = Vec::new();
    for i in 0..(warmup + runs) {
        let cert = plugin::ClientCert::generate();
        let order: [usize; 2] = if i % 2 == 0 { [0, 1] } else { [1, 0] };
        for idx in order {
            match measure(bins[idx].1, &cert.pem) {
                Ok(s) if i >= warmup => samples[idx].push(s),
                Ok(_) => {}
                Err(e) => failures.push(e),
            }
        }
    }
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("bench_handshake: measurement failed: {f}");
        }
        std::process::exit(1);
    }

    let ms = |v: &Vec<Sample>| stats(v.iter().map(|s| s.handshake.as_secs_f64() * 1e3).collect());
    let hwm = |v: &Vec<Sample>| stats(v.iter().map(|s| s.hwm_kib as f64 / 1024.0).collect());
    let rss = |v: &Vec<Sample>| stats(v.iter().map(|s| s.rss_kib as f64 / 1024.0).collect());
    let (t_o, t_g) = (ms(&samples[0]), ms(&samples[1]));
    let (h_o, h_g) = (hwm(&samples[0]), hwm(&samples[1]));
    let (r_o, r_g) = (rss(&samples[0]), rss(&samples[1]));
    let anon = |v: &Vec<Sample>| stats(v.iter().map(|s| s.anon_kib as f64 / 1024.0).collect());
    let file = |v: &Vec<Sample>| stats(v.iter().map(|s| s.file_kib as f64 / 1024.0).collect());
    let (a_o, a_g) = (anon(&samples[0]), anon(&samples[1]));
    let (f_o, f_g) = (file(&samples[0]), file(&samples[1]));

    println!("Handshake benchmark: {runs} alternating runs per binary (+{warmup} warm-up each, discarded)");
    println!("  ours: {}", bins[0].1.display());
    println!("  go:   {}", bins[1].1.display());
    println!();
    println!(
        "{:<34} {:>10} {:>10} {:>9}",
        "metric", "ours", "go", "ours/go"
    );
    let row = |name: &str, o: f64, g: f64| {
        println!("{:<34} {:>10.2} {:>10.2} {:>9.3}", name, o, g, o / g);
    };
    row("exec->handshake median (ms)", t_o.median, t_g.median);
    row("exec->handshake p90 (ms)", t_o.p90, t_g.p90);
    row("exec->handshake min (ms)", t_o.min, t_g.min);
    row("exec->handshake max (ms)", t_o.max, t_g.max);
    row("VmHWM at handshake median (MiB)", h_o.median, h_g.median);
    row("VmHWM at handshake max (MiB)", h_o.max, h_g.max);
    row("VmRSS at handshake median (MiB)", r_o.median, r_g.median);
    row("  of which RssAnon median (MiB)", a_o.median, a_g.median);
    row("  of which RssFile median (MiB)", f_o.median, f_g.median);
    println!();
    let time_ratio = t_o.median / t_g.median;
    let mem_ratio = h_o.median / h_g.median;
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    println!(
        "time   ratio ours/go (median): {time_ratio:.3}  target <= {TARGET_TIME_RATIO}  -> {}",
        verdict(time_ratio <= TARGET_TIME_RATIO)
    );
    println!(
        "memory ratio ours/go (VmHWM median): {mem_ratio:.3}  target <= {TARGET_MEM_RATIO}  -> {}",
        verdict(mem_ratio <= TARGET_MEM_RATIO)
    );
}
