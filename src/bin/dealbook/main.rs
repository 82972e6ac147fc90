//! The `dealbook` command line: the program around the library. Everything here is about
//! people at a terminal — clap's arguments with their Chinese help and usage errors (`cli`),
//! the commands that call the library and print what it made, and the build's progress bar
//! (`commands`). Loading, judging, rendering and writing the output are the library's
//! (`dealbook::…`, `src/lib.rs`); no file of the library reads a command line.
//!
//! The binary lives in its own folder, `src/bin/dealbook/`, so the file tree shows which
//! files are the program and which the library (as bat does).

mod cli;
mod commands;

use std::process::ExitCode;

use cli::{Exit, parse};

fn main() -> ExitCode {
    let cli = match parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(Exit::Asked(text)) => {
            commands::print(&text);
            return ExitCode::SUCCESS;
        }
        Err(Exit::Usage(text)) => {
            commands::print_err(&text);
            return ExitCode::from(2);
        }
    };
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.report();
            failure.exit_code()
        }
    }
}
