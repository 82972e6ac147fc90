//! clap's English in what the command line shows: the `[OPTIONS]` placeholder and the colons
//! after headings in help pages and usage lines, the `Usage:` before a usage line, the
//! `error:` before a message, and the `<VALUE>` after an option's name. Functions on strings:
//! the binary (`src/bin/dealbook/cli/`) holds clap itself and hands its text here. The rest of
//! a usage error is read from clap's structured context, not its wording.

/// A help page or usage line clap rendered, with its placeholder for options and the colons
/// it puts after `headings` (ours, in Chinese) in Chinese.
pub fn help_page(rendered: &str, headings: &[&str]) -> String {
    let mut text = rendered.replace("[OPTIONS]", "[选项]");
    for heading in headings {
        text = text.replace(&format!("\n{heading}:\n"), &format!("\n{heading}：\n"));
    }
    text
}

/// A usage line clap rendered (`Command::render_usage`), without its `Usage:` heading.
pub fn usage_line(rendered: &str) -> &str {
    let usage = rendered.trim();
    usage.strip_prefix("Usage:").unwrap_or(usage).trim()
}

/// The first line of an error clap rendered, without its `error:` prefix: clap's own words,
/// for the kinds of error our command line cannot produce.
pub fn error_message(rendered: &str) -> &str {
    let first = rendered.lines().next().unwrap_or_default();
    first.trim_start_matches("error:").trim()
}

/// `--port <PORT>` → `--port`: an option as clap names it in an error's context, without its
/// value's placeholder.
pub fn without_placeholder(arg: &str) -> &str {
    arg.split(" <").next().unwrap_or(arg)
}

#[cfg(test)]
mod tests {
    use ::clap::error::{ContextKind, ContextValue, ErrorKind};
    use ::clap::{Arg, ArgAction, Command};

    use super::*;
    use crate::translate::english_left;

    /// clap's words: none is left in a help page or usage line once translated.
    const ENGLISH: &[&str] = &["Usage", "OPTIONS", "Options", "Arguments", "Commands"];
    const HEADINGS: [&str; 3] = ["选项", "参数", "命令"];

    /// A small command line with our headings and no help flag of clap's, as the binary's
    /// is (whose page layout, in Chinese, is its template).
    fn command() -> Command {
        Command::new("tool")
            .help_template("用法：{usage}\n\n{all-args}")
            .disable_help_flag(true)
            .disable_help_subcommand(true)
            .subcommand_help_heading(HEADINGS[2])
            .subcommand_value_name(HEADINGS[2])
            .arg(
                Arg::new("port")
                    .long("port")
                    .value_name("PORT")
                    .help_heading(HEADINGS[0]),
            )
            .arg(
                Arg::new("force")
                    .long("force")
                    .action(ArgAction::SetTrue)
                    .help_heading(HEADINGS[0]),
            )
            .arg(Arg::new("file").help_heading(HEADINGS[1]))
            .subcommand(Command::new("run"))
    }

    fn error(args: &[&str]) -> ::clap::Error {
        command()
            .try_get_matches_from(args)
            .expect_err("a bad command line")
    }

    #[test]
    fn clap_still_words_what_we_match() {
        let usage = command().render_usage().to_string();
        assert!(usage.starts_with("Usage: tool [OPTIONS]"), "{usage}");
        let help = command().render_help().to_string();
        for heading in HEADINGS {
            assert!(help.contains(&format!("\n{heading}:\n")), "{help}");
        }
        let missing = error(&["tool", "--port"]);
        assert_eq!(missing.kind(), ErrorKind::InvalidValue);
        assert!(missing.render().to_string().starts_with("error: "));
        let Some(ContextValue::String(arg)) = missing.get(ContextKind::InvalidArg) else {
            panic!("the option in the context: {missing:?}")
        };
        assert_eq!(arg, "--port <PORT>");
    }

    #[test]
    fn what_we_make_of_it_has_none_of_its_english() {
        let usage = command().render_usage().to_string();
        let usage = help_page(usage_line(&usage), &HEADINGS);
        assert_eq!(usage, "tool [选项] [file] [命令]");
        let help = help_page(&command().render_help().to_string(), &HEADINGS);
        assert!(help.contains("\n选项：\n"), "{help}");
        for text in [usage, help] {
            assert_eq!(english_left(&text, ENGLISH), [""; 0], "{text}");
        }
        let missing = error(&["tool", "--port"]).render().to_string();
        assert!(!error_message(&missing).starts_with("error"), "{missing}");
        assert_eq!(without_placeholder("--port <PORT>"), "--port");
    }
}
