use std::process::ExitCode;

use dealbook::cli::{Exit, parse};

fn main() -> ExitCode {
    let cli = match parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(Exit::Asked(text)) => {
            dealbook::commands::print(&text);
            return ExitCode::SUCCESS;
        }
        Err(Exit::Usage(text)) => {
            dealbook::commands::print_err(&text);
            return ExitCode::from(2);
        }
    };
    match dealbook::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.report();
            failure.exit_code()
        }
    }
}
