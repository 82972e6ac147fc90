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

use crate::cli::{Cli, Command, NewCommand};
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

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes to stderr; a closed stderr is not worth a panic either.
pub fn print_err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
