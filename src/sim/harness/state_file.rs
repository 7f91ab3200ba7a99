//! The state file (`--state FILE`): loaded at start if present, written after every request
//! that may have changed something and at shutdown. Its content is the family's
//! ([`super::Family::snapshot`]); the harness only reads and writes it.

use std::path::PathBuf;
use std::sync::Mutex;

use super::Family;

pub struct StateFile {
    path: PathBuf,
    /// Held while a snapshot is taken and written, so that two requests finishing together
    /// cannot leave the older snapshot in the file.
    writing: Mutex<()>,
}

impl StateFile {
    pub fn new(path: PathBuf) -> StateFile {
        StateFile {
            path,
            writing: Mutex::new(()),
        }
    }

    /// Gives the file's content to `family`, if the file exists.
    pub fn load(&self, family: &dyn Family) -> std::io::Result<()> {
        if !self.path.exists() {
            return Ok(());
        }
        let saved = std::fs::read(&self.path)?;
        family.restore(&saved).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("state file {} is not valid: {e}", self.path.display()),
            )
        })
    }

    /// Writes `family`'s snapshot, atomically (via a temporary file). A failure is reported on
    /// stderr only: the simulator keeps serving from memory.
    pub fn save(&self, family: &dyn Family) {
        let _writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        let Some(text) = family.snapshot() else {
            return;
        };
        let tmp = self.path.with_extension("tmp");
        let result = std::fs::write(&tmp, text).and_then(|_| std::fs::rename(&tmp, &self.path));
        if let Err(e) = result {
            eprintln!(
                "influxdb-sim: could not write state file {}: {e}",
                self.path.display()
            );
        }
    }
}
