//! Where a build writes: the staging folder that replaces the output at the end, and the
//! progress of the files written into it.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Failure};
use crate::output::Staging;

/// Told of every file a build writes (from any thread), for a progress bar.
pub trait Progress: Sync {
    /// The build will write `files` files.
    fn start(&self, _files: usize) {}
    /// One more file written.
    fn wrote(&self) {}
    /// Another build is writing the same output; this one waits for it to end.
    fn waiting(&self, _output: &Path) {}
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {}

pub(super) struct Output<'a> {
    staging: Staging,
    target: PathBuf,
    progress: &'a dyn Progress,
}

impl<'a> Output<'a> {
    pub fn new(target: &Path, progress: &'a dyn Progress, files: usize) -> Result<Self, Failure> {
        let staging = Staging::new(target).map_err(|e| failure(target, e))?;
        progress.start(files);
        Ok(Output {
            staging,
            target: target.to_path_buf(),
            progress,
        })
    }

    /// Writes one file of the site, at `path` relative to its root.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.staging
            .write(path, bytes)
            .map_err(|e| Diagnostic::new(&self.target, None, e))?;
        self.progress.wrote();
        Ok(())
    }

    /// Puts the file `source` at `path`: a hard link where the file system allows, else a copy.
    pub fn link(&self, path: &str, source: &Path) -> Result<(), Diagnostic> {
        self.staging
            .link(path, source)
            .map_err(|e| Diagnostic::new(&self.target, None, e))?;
        self.progress.wrote();
        Ok(())
    }

    /// Swaps the staging folder in as the output.
    pub fn commit(self) -> Result<PathBuf, Failure> {
        self.staging.commit().map_err(|e| failure(&self.target, e))
    }
}

fn failure(target: &Path, message: String) -> Failure {
    Failure::Invalid(vec![Diagnostic::new(target, None, message)])
}
