//! Tera's English: a failed render's message, the reports of problems between templates
//! (`error: …` then ` --> NAME:LINE:COLUMN`), the notes on where a component was called
//! from, and the names Tera knows. The theme (`render::site::theme`) turns them into
//! diagnostics at the theme's files.

use ::tera::{Error, ErrorKind, ReportError};

use crate::location::Pos;

/// A failed render's message in Chinese: `模板渲染失败：字段「x」不存在` for a name the
/// values lack (with the name and the names there are, for a hint), else Tera's words after
/// the Chinese frame.
pub fn render_failure(message: &str) -> (String, Option<(&str, Vec<&str>)>) {
    match undefined_name(message) {
        Some((kind, name, known)) => (
            format!("模板渲染失败：{kind}「{name}」不存在"),
            Some((name, known)),
        ),
        None => (format!("模板渲染失败：{message}"), None),
    }
}

/// `Field `NAME` is not defined. Available fields: A, B` (or `Variable …`, `… variables: …`),
/// as Tera words a name a template reads that its values do not have: the kind in Chinese,
/// the name, and the names there are.
fn undefined_name(message: &str) -> Option<(&'static str, &str, Vec<&str>)> {
    let (kind, rest) = if let Some(rest) = message.strip_prefix("Field `") {
        ("字段", rest)
    } else {
        ("变量", message.strip_prefix("Variable `")?)
    };
    let (name, rest) = rest.split_once('`')?;
    let rest = rest.strip_prefix(" is not defined.")?;
    let known = rest
        .split_once(": ")
        .map(|(_, names)| names.split(", ").map(str::trim).collect())
        .unwrap_or_default();
    Some((kind, name, known))
}

/// One of Tera's reports of a problem between templates (`error: MESSAGE` then
/// ` --> NAME:LINE:COLUMN`), read.
pub struct Reference<'a> {
    /// In Chinese (`模板有错误：未知的过滤器「uper」`), or Tera's words after the Chinese
    /// frame.
    pub message: String,
    /// The template, line and column it names.
    pub place: Option<(&'a str, Pos)>,
    /// For a name Tera does not know: the name, and what it could have been.
    pub unknown: Option<(&'a str, Known)>,
}

/// Reads one of Tera's reports of a problem between templates.
pub fn reference_problem(report: &str) -> Reference<'_> {
    let message = report
        .lines()
        .find_map(|line| line.strip_prefix("error: "))
        .unwrap_or(report)
        .trim();
    let place = report
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .and_then(place);
    match unknown_name(message) {
        Some((kind, name, known)) => Reference {
            message: format!("模板有错误：未知的{kind}「{name}」"),
            place,
            unknown: Some((name, known)),
        },
        None => Reference {
            message: format!("模板有错误：{message}"),
            place,
            unknown: None,
        },
    }
}

/// What a name that Tera does not know could have been.
#[derive(Debug, PartialEq)]
pub enum Known {
    /// The components the theme's templates define.
    Components,
    /// The theme's template files.
    Templates,
    Names(&'static [&'static str]),
}

/// Tera's filters (Tera 2.4, `register_builtin_filters`; a test holds each one known).
const FILTERS: &[&str] = &[
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
    "pairs",
    "group_by",
];

/// Tera's tests (`is NAME`).
const TESTS: &[&str] = &[
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];

/// Tera's functions. None reads the environment, the clock or a file: a page is made from
/// the sources alone.
const FUNCTIONS: &[&str] = &["range", "throw"];

/// `Unknown KIND `NAME``, as Tera words a reference to nothing: the kind in Chinese, the name,
/// and what it could have been.
fn unknown_name(message: &str) -> Option<(&'static str, &str, Known)> {
    let rest = message.strip_prefix("Unknown ")?;
    let (kind, name) = rest.split_once(" `")?;
    let name = name.strip_suffix('`')?;
    let (kind, known) = match kind {
        "component" => ("组件", Known::Components),
        "filter" => ("过滤器", Known::Names(FILTERS)),
        "test" => ("测试", Known::Names(TESTS)),
        "function" => ("函数", Known::Names(FUNCTIONS)),
        "template" => ("模板", Known::Templates),
        _ => return None,
    };
    Some((kind, name, known))
}

/// Tera's reports, one per problem: each starts with `error: `, and they are joined by a blank
/// line (a blank line inside one, as in a quoted name, stays in it).
pub fn reports(text: &str) -> Vec<String> {
    let mut reports: Vec<String> = Vec::new();
    for chunk in text.split("\n\n") {
        match reports.last_mut() {
            Some(last) if !chunk.starts_with("error: ") => {
                last.push_str("\n\n");
                last.push_str(chunk);
            }
            _ => reports.push(chunk.to_string()),
        }
    }
    reports
}

/// `NAME:LINE:COLUMN`, as Tera writes a place (a name may hold ':').
fn place(text: &str) -> Option<(&str, Pos)> {
    let mut parts = text.trim().rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, Pos::new(line, column)))
}

/// The places a render error's notes say the failing component was called from, innermost
/// first (`note: called from NAME:LINE:COLUMN`).
pub fn called_from(text: &str) -> impl Iterator<Item = (&str, Pos)> {
    text.lines()
        .filter_map(|line| line.strip_prefix("note: called from "))
        .filter_map(place)
}

/// The report an error carries, with its template, line and column.
pub fn located(error: &Error) -> Option<&ReportError> {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report)
            if !report.filename().is_empty() =>
        {
            Some(report)
        }
        _ => None,
    }
}

/// Tera's span as a 1-based line and column (Tera counts columns from 0).
pub fn position(report: &ReportError) -> Pos {
    let span = report.span();
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(
        clamp(span.start_line),
        clamp(span.start_col).saturating_add(1),
    )
}

/// Tera's error with every cause.
pub fn error_chain(error: &Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push('：');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
