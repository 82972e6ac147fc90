//! A command line clap could not read, said in Chinese in the shape of our other errors:
//! what is wrong, a hint (the nearest valid word, or the valid ones), the usage line of the
//! command the words reached, and where its help is. What is wrong is read from clap's error
//! kind and context, not its English; the few patterns of its text we do rely on are
//! `dealbook::translate::clap`'s, pinned there.

use std::ffi::OsString;

use clap::Command;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use dealbook::diag::{did_you_mean, nearest as nearest_word, suggestion};
use dealbook::translate::clap::{error_message, usage_line, without_placeholder};

use super::help::in_chinese;

/// The whole message for stderr. `root` is the localised command line, built; `args` the
/// words it was given (the program's name first).
pub fn describe(error: &clap::Error, root: &Command, args: &[OsString]) -> String {
    let path = commands_named(root, args);
    let (message, hint) = problem(error, descend(root, &path), args);
    let mut text = format!("错误：{message}");
    if let Some(hint) = hint {
        text.push_str(&format!("\n  提示：{hint}"));
    }
    // `dealbook help build extra`: the usage is the `help` command's, not its copy of `build`.
    let help = path.iter().position(|name| name == "help");
    let shown = descend(root, &path[..help.map_or(path.len(), |at| at + 1)]);
    let name = shown.get_bin_name().unwrap_or(shown.get_name());
    let more = match help {
        Some(_) => name.to_string(),
        None => format!("{name} --help"),
    };
    // Rendering needs a mutable command; this is the error path, a copy is cheap enough.
    let usage = shown.clone().render_usage().to_string();
    text.push_str(&format!(
        "\n\n用法：{}\n更多说明：运行 {more}\n",
        in_chinese(usage_line(&usage))
    ));
    text
}

/// The leading words that name commands: `dealbook new proposal --vendor` → new, proposal.
fn commands_named(root: &Command, args: &[OsString]) -> Vec<String> {
    let mut command = root;
    let mut path = Vec::new();
    for word in args.iter().skip(1).map_while(|w| w.to_str()) {
        match command.find_subcommand(word) {
            Some(sub) => {
                command = sub;
                path.push(word.to_string());
            }
            None => break,
        }
    }
    path
}

/// The command at the end of `path` (as far as it goes).
fn descend<'a>(root: &'a Command, path: &[String]) -> &'a Command {
    let mut command = root;
    for name in path {
        match command.find_subcommand(name) {
            Some(sub) => command = sub,
            None => break,
        }
    }
    command
}

/// What is wrong, and a hint where there is one.
fn problem(error: &clap::Error, reached: &Command, args: &[OsString]) -> (String, Option<String>) {
    let text = |kind| one(error, kind);
    let arg = || text(ContextKind::InvalidArg).map(|a| without_placeholder(&a).to_string());
    let nearest = |kind| text(kind).map(|best| did_you_mean(&[best]));
    match error.kind() {
        ErrorKind::InvalidValue => {
            let arg = arg().unwrap_or_default();
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            // The nearest valid value as the rest of dealbook finds it, else the valid ones.
            let hint = many(error, ContextKind::ValidValue).map(|valid| {
                let valid: Vec<&str> = valid.iter().map(String::as_str).collect();
                suggestion(&value, &valid)
            });
            if value.is_empty() {
                (format!("{arg} 需要一个值（不能为空）"), hint)
            } else {
                (format!("{arg} 的值「{value}」无效"), hint)
            }
        }
        ErrorKind::ValueValidation => {
            let arg = arg().unwrap_or_default();
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let why = std::error::Error::source(error).map(ToString::to_string);
            (format!("{arg} 的值「{value}」无效"), why)
        }
        ErrorKind::UnknownArgument => {
            let given = text(ContextKind::InvalidArg).unwrap_or_default();
            let hint = nearest(ContextKind::SuggestedArg)
                .or_else(|| in_a_subcommand(reached, &given))
                .or_else(|| as_a_value(reached, &given, args));
            if given.starts_with('-') {
                (format!("没有「{given}」这个选项"), hint)
            } else {
                (format!("多余的参数「{given}」"), hint)
            }
        }
        ErrorKind::InvalidSubcommand => {
            let given = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let names = subcommand_names(reached);
            if names.is_empty() {
                return (format!("多余的参数「{given}」"), None);
            }
            // The nearest command by dealbook's own measure (clap offers `help` beside
            // `eval` for `evl`), else clap's guesses, else the list.
            let best = nearest_word(&given, names.iter().copied())
                .map(|best| vec![best.to_string()])
                .or_else(|| many(error, ContextKind::SuggestedSubcommand));
            let hint = match best {
                Some(best) => did_you_mean(&best),
                None => format!("可用的命令：{}", names.join("、")),
            };
            (format!("没有「{given}」这个命令"), Some(hint))
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = many(error, ContextKind::InvalidArg).unwrap_or_default();
            (format!("缺少必需的参数：{}", missing.join("、")), None)
        }
        ErrorKind::ArgumentConflict => {
            let arg = arg().unwrap_or_default();
            match text(ContextKind::PriorArg).map(|a| without_placeholder(&a).to_string()) {
                Some(prior) if prior != arg => (format!("{arg} 不能和 {prior} 一起用"), None),
                _ => (format!("{arg} 只能写一次"), None),
            }
        }
        // `--force=yes`: a switch given a value.
        ErrorKind::TooManyValues => {
            let arg = arg().unwrap_or_default();
            (
                format!("{arg} 是开关，不带值"),
                Some(format!("直接写 {arg}")),
            )
        }
        ErrorKind::InvalidUtf8 => {
            let position = args.iter().position(|a| a.to_str().is_none()).unwrap_or(0);
            let shown = args
                .get(position)
                .map(|a| a.to_string_lossy().into_owned())
                .unwrap_or_default();
            (
                format!("第 {position} 个参数「{shown}」不是有效的 UTF-8 文本"),
                Some("这个值只接受 UTF-8 文本".to_string()),
            )
        }
        // Kinds our command line cannot produce (value counts of multi-value options, I/O):
        // clap's own words, in our frame.
        _ => (error_message(&error.render().to_string()).to_string(), None),
    }
}

/// "是不是想写「dealbook build --force」？" when `option`, unknown here, is an option of a
/// command under `command` (`dealbook --force`).
fn in_a_subcommand(command: &Command, option: &str) -> Option<String> {
    let long = option.strip_prefix("--")?;
    let long = long.split('=').next().unwrap_or(long);
    let owners: Vec<String> = command
        .get_subcommands()
        .filter(|sub| sub.get_arguments().any(|a| a.get_long() == Some(long)))
        .map(|sub| {
            let path = sub.get_bin_name().unwrap_or(sub.get_name());
            format!("{path} --{long}")
        })
        .collect();
    (!owners.is_empty()).then(|| did_you_mean(&owners))
}

/// For a word that starts with `-` where the command takes a file or value: how to pass it
/// as one (`dealbook eval -- -x.yaml`). clap names only the flag it did not know (`-x`), so
/// the word is the argument as typed.
fn as_a_value(command: &Command, given: &str, args: &[OsString]) -> Option<String> {
    let takes_positional = command.get_arguments().any(|a| a.is_positional());
    if !given.starts_with('-') || !takes_positional {
        return None;
    }
    let typed = args
        .iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| a.starts_with(given))
        .unwrap_or(given);
    Some(format!(
        "若「{typed}」是文件名或值，请写在 -- 之后：-- {typed}"
    ))
}

/// The commands `command` has, but clap's `help`.
fn subcommand_names(command: &Command) -> Vec<&str> {
    command
        .get_subcommands()
        .map(Command::get_name)
        .filter(|name| *name != "help")
        .collect()
}

/// The one text value of `kind` in the error's context.
fn one(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        _ => None,
    }
}

/// Every text value of `kind` in the error's context.
fn many(error: &clap::Error, kind: ContextKind) -> Option<Vec<String>> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(vec![s.clone()]),
        ContextValue::Strings(v) if !v.is_empty() => Some(v.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::ffi::OsStringExt;

    use dealbook::translate::english_left;

    use super::*;
    use crate::cli::{Exit, parse};

    /// The words of clap's own usage errors (`error: unexpected argument '--x' found`, `tip:`,
    /// `For more information, try '--help'`…): none is left in ours.
    #[rustfmt::skip]
    const ENGLISH: &[&str] = &[
        "error", "tip", "Usage", "unexpected", "argument", "arguments", "found", "invalid",
        "value", "values", "possible", "required", "were", "not", "provided", "cannot", "used",
        "multiple", "times", "unrecognized", "subcommand", "similar", "exists",
        "For more information", "try", "OPTIONS", "expects", "isn", "valid",
    ];

    /// What `dealbook ARGS` says on stderr.
    fn usage_error(args: Vec<OsString>) -> String {
        match parse(args) {
            Err(Exit::Usage(text)) => text,
            other => panic!("a usage error expected: {other:?}"),
        }
    }

    fn words(args: &[&str]) -> Vec<OsString> {
        std::iter::once("dealbook")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// One command line for each kind of error clap gives ours, and the line's start.
    #[test]
    fn every_usage_error_is_in_chinese_without_clap_s_english() {
        let cases: [(&[&str], &str); 13] = [
            (&["evl"], "错误：没有「evl」这个命令"),
            (&["help", "nosuch"], "错误：没有「nosuch」这个命令"),
            (&["build", "--progres"], "错误：没有「--progres」这个选项"),
            (&["--force"], "错误：没有「--force」这个选项"),
            (&["eval", "-x.yaml"], "错误：没有「-x」这个选项"),
            (&["eval", "a.yaml", "b.yaml"], "错误：多余的参数「b.yaml」"),
            (
                &["eval", "--format", "yaml", "a"],
                "错误：--format 的值「yaml」无效",
            ),
            (
                &["build", "--output="],
                "错误：--output 需要一个值（不能为空）",
            ),
            (
                &["serve", "--port", "http"],
                "错误：--port 的值「http」无效",
            ),
            (
                &["new", "proposal"],
                "错误：缺少必需的参数：--vendor <NAME>",
            ),
            (&["build", "--force", "--force"], "错误：--force 只能写一次"),
            (&["build", "--force=yes"], "错误：--force 是开关，不带值"),
            (
                &["check", "--content", "a", "--content", "b"],
                "错误：--content 只能写一次",
            ),
        ];
        let mut all: Vec<String> = cases
            .iter()
            .map(|(args, start)| {
                let text = usage_error(words(args));
                assert!(text.starts_with(start), "{args:?}:\n{text}");
                text
            })
            .collect();
        let mut not_utf8 = words(&["new", "proposal", "--vendor"]);
        not_utf8.push(OsString::from_vec(b"caf\xe9".to_vec()));
        all.push(usage_error(not_utf8));
        assert!(all[13].contains("不是有效的 UTF-8 文本"), "{}", all[13]);
        for text in all {
            assert!(text.contains("\n\n用法：dealbook"), "{text}");
            assert_eq!(english_left(&text, ENGLISH), [""; 0], "{text}");
        }
    }
}
