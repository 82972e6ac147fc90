//! clap's own words in `--help`, in Chinese: the headings, the help and version flags, the
//! `help` command, defaults and the usage line's placeholders. Our help texts are written in
//! Chinese in `cli.rs`; this puts the words clap adds around them in Chinese as well, through
//! clap's API where it has a setting, through `dealbook::translate::clap` where only its
//! rendered text has them.

use clap::{Arg, ArgAction, Command};

/// The help page's layout: clap's default, with a Chinese heading for the usage line.
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";
const OPTIONS: &str = "选项";
const ARGUMENTS: &str = "参数";
const COMMANDS: &str = "命令";

/// `command` and every command under it, with clap's words in Chinese.
pub fn localised(command: Command) -> Command {
    let command = command.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本"),
    );
    let mut command = localise_each(command);
    // clap adds its `help` commands when the command is built; their descriptions can only
    // be set after that.
    command.build();
    describe_help_commands(command)
}

/// The description of the `help` command of `command` and of every command under it.
fn describe_help_commands(command: Command) -> Command {
    let first = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .find(|name| name != "help");
    let Some(first) = first else {
        return command;
    };
    let path = command
        .get_bin_name()
        .unwrap_or(command.get_name())
        .to_string();
    let about = match path.split_once(' ') {
        Some((bin, rest)) => format!("显示某个命令的说明（例如 {bin} help {rest} {first}）"),
        None => format!("显示本说明，或某个命令的说明（例如 {path} help {first}）"),
    };
    command
        .mut_subcommand("help", |help| {
            // The `help` command lists the commands again, each with a `help` of its own.
            help_layout(help.about(about.clone()))
                .mut_subcommand("help", |inner| inner.about(about.clone()))
        })
        .mut_subcommands(|sub| {
            if sub.get_name() == "help" {
                sub
            } else {
                describe_help_commands(sub)
            }
        })
}

/// The page's layout, and the words for its commands.
fn layout(command: Command) -> Command {
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading(COMMANDS)
        .subcommand_value_name(COMMANDS)
}

/// The layout of a `help` command clap made, and of the copies of the commands under it.
fn help_layout(command: Command) -> Command {
    layout(command).mut_subcommands(help_layout)
}

/// The headings, the help flag and the defaults of `command` and of every command under it.
fn localise_each(command: Command) -> Command {
    layout(command)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示本说明"),
        )
        .mut_args(localise_arg)
        .mut_subcommands(localise_each)
}

/// An argument under a Chinese heading, with its default said in Chinese. Possible values
/// are not listed by clap: every help text that has them names them, with what each means
/// (checked by a test).
fn localise_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        ARGUMENTS
    } else {
        OPTIONS
    };
    let arg = arg.help_heading(heading);
    if !arg.get_action().takes_values() {
        return arg;
    }
    let arg = arg.hide_possible_values(true);
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if defaults.is_empty() || arg.is_hide_default_value_set() {
        return arg;
    }
    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    arg.hide_default_value(true)
        .help(format!("{help}；默认：{}", defaults.join("、")))
}

/// A help page or usage line clap rendered, with clap's words around ours in Chinese (the
/// patterns are `dealbook::translate::clap`'s, pinned there).
pub fn in_chinese(rendered: &str) -> String {
    dealbook::translate::clap::help_page(rendered, &[OPTIONS, ARGUMENTS, COMMANDS])
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    fn every_command(command: &Command) -> Vec<&Command> {
        let mut all = vec![command];
        for sub in command.get_subcommands() {
            all.extend(every_command(sub));
        }
        all
    }

    #[test]
    fn every_help_text_that_has_possible_values_names_each_of_them() {
        let command = localised(Cli::command());
        for sub in every_command(&command) {
            for arg in sub.get_arguments() {
                let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                for value in arg.get_possible_values() {
                    assert!(
                        help.contains(value.get_name()),
                        "{} --{}: {help}",
                        sub.get_name(),
                        arg.get_id()
                    );
                }
            }
        }
    }

    #[test]
    fn the_help_pages_have_no_english_words_of_clap() {
        fn pages(command: &mut Command, out: &mut Vec<String>) {
            out.push(in_chinese(&command.render_long_help().to_string()));
            for sub in command.get_subcommands_mut() {
                pages(sub, out);
            }
        }
        let mut all = Vec::new();
        pages(&mut localised(Cli::command()), &mut all);
        // The commands, `new proposal`, and the `help` commands with their lists.
        assert!(all.len() >= 8, "{}", all.len());
        for page in all {
            for english in [
                "Usage",
                "Options",
                "Arguments",
                "Commands",
                "Print",
                "default:",
                "possible values",
                "[OPTIONS]",
                "COMMAND",
            ] {
                assert!(!page.contains(english), "{english} in:\n{page}");
            }
            assert!(page.contains("用法：dealbook"), "{page}");
            // The `help` command has no options of its own.
            let usage = page.lines().find(|l| l.starts_with("用法：")).unwrap();
            if !usage.contains(" help") {
                assert!(page.contains("\n选项：\n"), "{page}");
                assert!(page.contains("-h, --help"), "{page}");
            }
        }
    }
}
