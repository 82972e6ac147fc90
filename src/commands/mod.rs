//! The commands. Each returns `Ok` or a [`Failure`]; `main` turns that into an exit code,
//! written down once: 0 ok, 1 invalid input, 2 usage error. A No-Go verdict is a result,
//! not a failure.

pub mod build;
pub mod check;
pub mod eval;
pub mod new_proposal;
mod progress;
#[cfg(feature = "serve")]
pub mod serve;

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{Cli, Command, NewCommand};
use crate::diag::Diagnostic;

#[derive(Debug)]
pub enum Failure {
    /// Input files with problems: exit 1.
    Invalid(Vec<Diagnostic>),
    /// A command line that cannot be carried out as written: exit 2.
    Usage(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Invalid(_) => ExitCode::from(1),
            Failure::Usage(_) => ExitCode::from(2),
        }
    }

    /// Prints every problem on stderr, then a count.
    pub fn report(&self) {
        let mut err = std::io::stderr().lock();
        match self {
            Failure::Invalid(problems) => {
                for p in problems {
                    let _ = writeln!(err, "{p}");
                }
                let _ = writeln!(err, "共 {} 个问题", problems.len());
            }
            Failure::Usage(message) => {
                let _ = writeln!(err, "错误：{message}");
            }
        }
    }
}

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
