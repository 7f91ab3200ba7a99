//! Ctrl-C as a terminal sends it: a terraform command started in a process group of its own
//! (as a shell's foreground job), its output read while it runs, and SIGINT sent to the whole
//! group (Terraform and the provider processes it started) with `killpg`.
//!
//! Include it after tests/support/terraform.rs:
//!
//! ```ignore
//! #[path = "support/interrupt.rs"]
//! mod interrupt;
//! let run = interrupt::Running::start(&ws, &["apply", "-auto-approve", "-no-color"]);
//! run.wait_for_stdout(|out| out.matches("Creating...").count() >= 12);
//! run.interrupt();
//! let done = run.wait();
//! ```
#![allow(dead_code)]

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::terraform::{Workspace, COMMAND_TIMEOUT};

/// A terraform command running in its own process group.
pub struct Running {
    child: Child,
    args: Vec<String>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    readers: Vec<JoinHandle<()>>,
    started: Instant,
    interrupted: Option<Instant>,
}

/// How an interrupted command ended.
#[derive(Debug)]
pub struct Finished {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    /// From the start to the exit.
    pub elapsed: Duration,
    /// From the (first) SIGINT to the exit.
    pub after_interrupt: Option<Duration>,
}

impl Finished {
    pub fn dump(&self) -> String {
        format!(
            "exit {} after {:?} ({:?} after the interrupt)\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.elapsed, self.after_interrupt, self.stdout, self.stderr
        )
    }
}

fn pump(mut from: impl Read + Send + 'static, into: Arc<Mutex<String>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&buf[..n]).into_owned();
            into.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push_str(&text);
        }
    })
}

impl Running {
    /// Starts `terraform <args>` in the workspace, in a new process group.
    pub fn start(ws: &Workspace, args: &[&str]) -> Running {
        let mut cmd = ws.command(args, &[]);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let mut child = cmd.spawn().expect("spawn terraform");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let readers = vec![
            pump(child.stdout.take().expect("stdout"), stdout.clone()),
            pump(child.stderr.take().expect("stderr"), stderr.clone()),
        ];
        Running {
            child,
            args: args.iter().map(|s| s.to_string()).collect(),
            stdout,
            stderr,
            readers,
            started: Instant::now(),
            interrupted: None,
        }
    }

    /// stdout so far.
    pub fn stdout(&self) -> String {
        self.stdout
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits until `ready` holds for stdout so far; panics if the command exits first or after
    /// a minute.
    #[track_caller]
    pub fn wait_for_stdout(&mut self, ready: impl Fn(&str) -> bool) {
        let limit = Instant::now() + Duration::from_secs(60);
        loop {
            if ready(&self.stdout()) {
                return;
            }
            let exited = self.child.try_wait().expect("wait terraform").is_some();
            if exited || Instant::now() > limit {
                let so = self.stdout();
                let se = self
                    .stderr
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                panic!(
                    "terraform {} {} before the expected output\n--- stdout ---\n{so}\n--- stderr ---\n{se}",
                    self.args.join(" "),
                    if exited { "exited" } else { "took over a minute" }
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGINT to the whole process group, as a terminal's Ctrl-C.
    pub fn interrupt(&mut self) {
        let pgid = self.child.id() as libc::pid_t;
        // SAFETY: killpg has no memory-safety preconditions; the group is the child's own.
        let rc = unsafe { libc::killpg(pgid, libc::SIGINT) };
        assert_eq!(rc, 0, "killpg: {}", std::io::Error::last_os_error());
        self.interrupted.get_or_insert_with(Instant::now);
    }

    /// Waits for the command to exit (at most the usual command timeout).
    pub fn wait(mut self) -> Finished {
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("wait terraform") {
                break s;
            }
            if self.started.elapsed() > COMMAND_TIMEOUT {
                let _ = self.child.kill();
                panic!("terraform {} did not exit in time", self.args.join(" "));
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let exited = Instant::now();
        for r in self.readers.drain(..) {
            let _ = r.join();
        }
        Finished {
            code: status.code().unwrap_or(-1),
            stdout: self.stdout(),
            stderr: self
                .stderr
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
            elapsed: exited - self.started,
            after_interrupt: self.interrupted.map(|i| exited - i),
        }
    }
}
