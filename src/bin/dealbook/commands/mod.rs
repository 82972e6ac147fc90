//! The commands: each reads its arguments, calls the library and prints what it made.
//! Each returns `Ok` or a [`Failure`]; `main` turns that into an exit code, written down
//! once: 0 ok, 1 invalid input, 2 usage error. A No-Go verdict is a result, not a failure.

pub mod build;
pub mod check;
pub mod eval;
pub mod new_proposal;
mod progress;
#[cfg(feature = "serve")]
pub mod serve;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, DEFAULT_CONTENT, NewCommand};
pub use dealbook::diag::Failure;

pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::New {
            what: NewCommand::Proposal(args),
        } => new_proposal::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    }
}

/// The content folder for `check` and `eval`: the one given (by default `content`), or, when
/// the default is not here (the command was run outside the project), the nearest folder
/// above `near` (the proposal file, else the current folder) that holds `framework.yaml`
/// or `content/framework.yaml`. The one found is said on stderr.
pub fn content_near(given: &Path, near: Option<&Path>) -> PathBuf {
    if given.is_dir() || given != Path::new(DEFAULT_CONTENT) {
        return given.to_path_buf();
    }
    let start = match near.and_then(|file| std::path::absolute(file).ok()) {
        Some(file) => file.parent().map(Path::to_path_buf),
        None => std::env::current_dir().ok(),
    };
    let found = start
        .iter()
        .flat_map(|dir| dir.ancestors())
        .find_map(|dir| {
            [dir.to_path_buf(), dir.join(DEFAULT_CONTENT)]
                .into_iter()
                .find(|candidate| candidate.join("framework.yaml").is_file())
        });
    match found {
        Some(dir) => {
            print_err(&format!("使用内容文件夹 {}\n", dir.display()));
            dir
        }
        None => given.to_path_buf(),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Each warning on stderr: the command still succeeds.
pub fn print_warnings(warnings: &[dealbook::diag::Warning]) {
    for warning in warnings {
        print_err(&format!("{warning}\n"));
    }
}

/// Writes to stderr; a closed stderr is not worth a panic either.
pub fn print_err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
