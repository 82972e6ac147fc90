//! A command line clap could not read, said in Chinese in the shape of our other errors:
//! what is wrong, a hint (the nearest valid word, or the valid ones), the usage line, and
//! where the help is.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::help::in_chinese;

/// The whole message for stderr.
pub fn describe(error: &clap::Error) -> String {
    let (message, hint) = problem(error);
    let mut text = format!("错误：{message}");
    if let Some(hint) = hint {
        text.push_str(&format!("\n  提示：{hint}"));
    }
    if let Some(usage) = usage(error) {
        text.push_str(&format!(
            "\n\n用法：{usage}\n说明：{} --help\n",
            command_of(&usage)
        ));
    } else {
        text.push('\n');
    }
    text
}

/// What is wrong, and a hint where there is one.
fn problem(error: &clap::Error) -> (String, Option<String>) {
    let text = |kind| one(error, kind);
    let arg = text(ContextKind::InvalidArg).map(|a| name_of(&a));
    match error.kind() {
        ErrorKind::InvalidValue => {
            let arg = arg.unwrap_or_default();
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            if value.is_empty() {
                return (format!("{arg} 后面缺少值"), None);
            }
            let hint = match text(ContextKind::SuggestedValue) {
                Some(best) => Some(format!("是不是想写「{best}」？")),
                None => many(error, ContextKind::ValidValue)
                    .map(|valid| format!("可用的值：{}", valid.join("、"))),
            };
            (format!("{arg} 的值「{value}」无效"), hint)
        }
        ErrorKind::ValueValidation => {
            let arg = arg.unwrap_or_default();
            let value = text(ContextKind::InvalidValue).unwrap_or_default();
            let why = std::error::Error::source(error).map(ToString::to_string);
            (format!("{arg} 的值「{value}」无效"), why)
        }
        ErrorKind::UnknownArgument => {
            let given = arg.unwrap_or_default();
            let hint =
                text(ContextKind::SuggestedArg).map(|best| format!("是不是想写「{best}」？"));
            if given.starts_with('-') {
                (format!("没有「{given}」这个选项"), hint)
            } else {
                (format!("多余的参数「{given}」"), hint)
            }
        }
        ErrorKind::InvalidSubcommand => {
            let given = text(ContextKind::InvalidSubcommand).unwrap_or_default();
            let hint = match many(error, ContextKind::SuggestedSubcommand) {
                Some(best) => Some(format!("是不是想写「{}」？", best.join("」或「"))),
                None => many(error, ContextKind::ValidSubcommand)
                    .map(|valid| format!("可用的命令：{}", valid.join("、"))),
            };
            (format!("没有「{given}」这个命令"), hint)
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = many(error, ContextKind::InvalidArg).unwrap_or_default();
            (format!("缺少必需的参数：{}", missing.join("、")), None)
        }
        ErrorKind::ArgumentConflict => {
            let arg = arg.unwrap_or_default();
            match text(ContextKind::PriorArg).map(|a| name_of(&a)) {
                Some(prior) if prior != arg => (format!("{arg} 不能和 {prior} 一起用"), None),
                _ => (format!("{arg} 只能写一次"), None),
            }
        }
        ErrorKind::InvalidUtf8 => ("命令行参数不是有效的 UTF-8 文本".to_string(), None),
        // Kinds our command line cannot produce (value counts, `--x=` forms, I/O): clap's own
        // words, in our frame.
        _ => (clap_words(error), None),
    }
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

/// `--port <PORT>` → `--port`: the option as the user typed it.
fn name_of(arg: &str) -> String {
    arg.split(' ').next().unwrap_or(arg).to_string()
}

/// The usage line clap gave with the error, without its English heading.
fn usage(error: &clap::Error) -> Option<String> {
    let usage = one(error, ContextKind::Usage)?;
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    Some(in_chinese(usage))
}

/// `dealbook new proposal --vendor <NAME>` → `dealbook new proposal`.
fn command_of(usage: &str) -> String {
    usage
        .split(' ')
        .take_while(|word| !word.starts_with(['-', '[', '<']))
        .collect::<Vec<_>>()
        .join(" ")
}

/// clap's message without its `error:` prefix and its English tail.
fn clap_words(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let first = rendered.lines().next().unwrap_or_default();
    first.trim_start_matches("error:").trim().to_string()
}
