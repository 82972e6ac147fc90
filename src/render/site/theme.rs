//! The theme: Tera templates and static files. The default theme is embedded in the binary;
//! `--theme DIR` overrides it file by file (`DIR/templates/NAME.html`, `DIR/static/NAME`).

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diag::{Diagnostic, suggestion};
use crate::location::Pos;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../themes/default/templates/", $name)))),*]
    };
}

/// The default templates. Their names end in `.html`, so Tera escapes every value.
const TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "components.html",
    "index.html",
    "page.html",
    "meetings.html",
    "report.html"
];

/// The names of the theme's templates, the only ones it reads.
fn template_names() -> Vec<&'static str> {
    TEMPLATES.iter().map(|(n, _)| *n).collect()
}

macro_rules! embedded_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../../themes/default/static/", $name)).as_slice())),*]
    };
}

const STATICS: &[(&str, &[u8])] = embedded_static!["style.css", "search.js", "search.css"];

pub struct Theme {
    pub tera: Tera,
    /// Static files to copy into the output, by file name.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Where each template came from, by name: the override's path or the embedded theme's.
    files: Vec<(String, PathBuf)>,
}

impl Theme {
    /// The file a template name stands for, as errors name it.
    pub fn template_path(&self, name: &str) -> PathBuf {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| PathBuf::from(name), |(_, path)| path.clone())
    }

    /// A failed render as a diagnostic at the template's line and column, when Tera knows them,
    /// and, for a failure inside a component, where the component was called from.
    pub fn render_failed(&self, template: &str, error: &tera::Error) -> Diagnostic {
        match located(error) {
            Some(report) => {
                let callers: Vec<String> = called_from(&error.to_string())
                    .map(|(name, pos)| format!("{}:{pos}", self.template_path(name).display()))
                    .collect();
                let undefined = undefined_name(report.message());
                let mut message = match &undefined {
                    Some((kind, name, _)) => format!("模板渲染失败：{kind}「{name}」不存在"),
                    None => format!("模板渲染失败：{}", report.message()),
                };
                if !callers.is_empty() {
                    message.push_str(&format!("（调用自 {}）", callers.join("，")));
                }
                let problem = Diagnostic::new(
                    &self.template_path(report.filename()),
                    Some(position(report)),
                    message,
                );
                match undefined {
                    Some((_, name, known)) if !known.is_empty() => {
                        problem.with_hint(suggestion(name, &known))
                    }
                    _ => problem,
                }
            }
            None => Diagnostic::new(
                &self.template_path(template),
                None,
                format!("模板渲染失败：{}", error_chain(error).replace('\n', " ")),
            ),
        }
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

/// The embedded theme with any file of `dir` in its place.
pub fn load_theme(dir: &Path) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
    let mut problems = unused_templates(dir);
    for (name, embedded) in TEMPLATES {
        let path = dir.join("templates").join(name);
        match theme_file(
            &path,
            |p| std::fs::read_to_string(p),
            "主题模板",
            &mut problems,
        ) {
            Some(text) => templates.push((name.to_string(), text, path)),
            None => templates.push((
                name.to_string(),
                embedded.to_string(),
                PathBuf::from(format!("(内置主题)/templates/{name}")),
            )),
        }
    }
    // Pages are made from the sources alone (the same sources give the same bytes, and a
    // kept page is known unchanged from its inputs): Tera 2 has no function that reads the
    // environment, the clock or the disk, and none is registered here.
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    if let Err(all) =
        tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
    {
        problems.extend(template_errors(&templates, dir, &all));
    }
    let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, embedded) in STATICS {
        let path = dir.join("static").join(name);
        let bytes = theme_file(&path, |p| std::fs::read(p), "主题文件", &mut problems)
            .unwrap_or_else(|| embedded.to_vec());
        statics.push((name.to_string(), bytes));
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    let files = templates
        .into_iter()
        .map(|(name, _, path)| (name, path))
        .collect();
    Ok(Theme {
        tera,
        statics,
        files,
    })
}

/// A theme file that overrides the embedded one: `None` when there is none, or when it is
/// there but cannot be read (a problem, not replaced unnoticed by the embedded one).
fn theme_file<T>(
    path: &Path,
    read: impl Fn(&Path) -> std::io::Result<T>,
    what: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<T> {
    match read(path) {
        Ok(value) => Some(value),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            problems.push(Diagnostic::new(path, None, format!("无法读取{what}：{e}")));
            None
        }
    }
}

/// The `.html` files of `dir/templates` that are not one of the theme's templates: they would
/// be silently left out of every page, so each is a problem (a Tera 1 theme's `macros.html`
/// with how to move it to components).
fn unused_templates(dir: &Path) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(dir.join("templates")) else {
        return Vec::new();
    };
    let names = template_names();
    let mut unused: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.file_name().into_string().ok()?, entry.path())))
        .filter(|(name, _)| name.ends_with(".html") && !names.contains(&name.as_str()))
        .collect();
    unused.sort();
    unused
        .into_iter()
        .map(|(name, path)| {
            let problem = Diagnostic::new(
                &path,
                None,
                format!(
                    "主题中的模板「{name}」不会被使用：模板只有 {}",
                    names.join("、")
                ),
            );
            if name == "macros.html" {
                problem.with_hint(
                    "主题已改用 Tera 2：共用片段写成 components.html 中的组件\
                     （{% component 名称(参数) %}…{% endcomponent 名称 %}），\
                     调用写作 {{ <名称 参数={值}/> }}；移过去后删除 macros.html",
                )
            } else {
                problem.with_hint(suggestion(&name, &names))
            }
        })
        .collect()
}

/// Every problem of the theme's templates, each at its file, line and column.
///
/// Tera stops at the first template that does not parse, so each template is parsed again on
/// its own to find every syntax error. When all parse, the problems are between templates
/// (an unknown component, filter or function, a missing parent): Tera lists each of them.
fn template_errors(
    templates: &[(String, String, PathBuf)],
    dir: &Path,
    all: &tera::Error,
) -> Vec<Diagnostic> {
    let path_of = |name: &str| {
        templates
            .iter()
            .find(|(n, ..)| n == name)
            .map_or_else(|| dir.join("templates").join(name), |(.., p)| p.clone())
    };
    let mut problems: Vec<Diagnostic> = templates
        .iter()
        .filter_map(|(name, text, _)| {
            let mut single = Tera::default();
            let error = single.add_raw_template(name, text).err()?;
            match error.kind() {
                tera::ErrorKind::SyntaxError(report) => Some(Diagnostic::new(
                    &path_of(report.filename()),
                    Some(position(report)),
                    format!("模板有错误：{}", report.message()),
                )),
                // Alone, a template misses the others' components and blocks.
                _ => None,
            }
        })
        .collect();
    if problems.is_empty() {
        let components: Vec<&str> = all_components(templates);
        problems = reports(&error_chain(all))
            .iter()
            .map(|report| reference_problem(report, &path_of, &components, dir))
            .collect();
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Tera's reports, one per problem: each starts with `error: `, and they are joined by a blank
/// line (a blank line inside one, as in a quoted name, stays in it).
fn reports(text: &str) -> Vec<String> {
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
fn called_from(text: &str) -> impl Iterator<Item = (&str, Pos)> {
    text.lines()
        .filter_map(|line| line.strip_prefix("note: called from "))
        .filter_map(place)
}

/// One of Tera's reports of a problem between templates (`error: MESSAGE` then
/// `--> NAME:LINE:COLUMN`), with a suggestion for a misspelt component.
fn reference_problem(
    report: &str,
    path_of: &impl Fn(&str) -> PathBuf,
    components: &[&str],
    dir: &Path,
) -> Diagnostic {
    let message = report
        .lines()
        .find_map(|line| line.strip_prefix("error: "))
        .unwrap_or(report)
        .trim();
    let spot = report
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))
        .and_then(place);
    let unknown = unknown_name(message);
    let message = match unknown {
        Some((kind, name, _)) => format!("模板有错误：未知的{kind}「{name}」"),
        None => format!("模板有错误：{message}"),
    };
    let diagnostic = match spot {
        Some((name, pos)) => Diagnostic::new(&path_of(name), Some(pos), message),
        None => Diagnostic::new(dir, None, message),
    };
    match unknown {
        // A theme without components has none to offer.
        Some((_, _, Known::Components)) if components.is_empty() => diagnostic,
        Some((_, name, Known::Components)) => diagnostic.with_hint(suggestion(name, components)),
        Some((_, name, Known::Templates)) => {
            diagnostic.with_hint(suggestion(name, &template_names()))
        }
        Some((_, name, Known::Names(names))) => diagnostic.with_hint(suggestion(name, names)),
        None => diagnostic,
    }
}

/// What a name that Tera does not know could have been.
enum Known {
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

/// The names of the components the templates define (`{% component NAME(...) %}`).
fn all_components(templates: &[(String, String, PathBuf)]) -> Vec<&str> {
    let mut names: Vec<&str> = templates
        .iter()
        .flat_map(|(_, text, _)| text.split("{%").skip(1))
        .filter_map(|tag| {
            let rest = tag
                .trim_start_matches('-')
                .trim_start()
                .strip_prefix("component")?;
            let name = rest.trim_start().split(['(', ' ', '%']).next()?;
            (!name.is_empty()).then_some(name)
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The report an error carries, with its template, line and column.
fn located(error: &tera::Error) -> Option<&tera::ReportError> {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report)
            if !report.filename().is_empty() =>
        {
            Some(report)
        }
        _ => None,
    }
}

/// Tera's span as a 1-based line and column.
fn position(report: &tera::ReportError) -> Pos {
    let span = report.span();
    let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Pos::new(
        clamp(span.start_line),
        clamp(span.start_col).saturating_add(1),
    )
}

/// Tera's error with every cause.
fn error_chain(error: &tera::Error) -> String {
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
mod tests {
    use super::*;

    /// Every name the suggestions offer is one Tera knows.
    #[test]
    fn suggested_names_are_known_to_tera() {
        let uses = FILTERS
            .iter()
            .map(|f| format!("{{{{ x | {f} }}}}"))
            .chain(TESTS.iter().map(|t| format!("{{{{ x is {t} }}}}")))
            .chain(FUNCTIONS.iter().map(|f| format!("{{{{ {f}() }}}}")));
        for template in uses {
            let error = Tera::default()
                .add_raw_template("t.html", &template)
                .err()
                .map(|e| error_chain(&e));
            let unknown = error.as_deref().is_some_and(|e| e.contains("Unknown"));
            assert!(!unknown, "{template}: {error:?}");
        }
        // And the check itself can fail.
        let error = Tera::default().add_raw_template("t.html", "{{ x | nope }}");
        assert!(error.is_err_and(|e| error_chain(&e).contains("Unknown filter `nope`")));
    }

    #[test]
    fn reports_are_split_at_each_error_and_places_read_from_the_right() {
        let text = "error: Unknown filter `a`\n --> page.html:1:4\n\nerror: Unknown template `x\n\ny`\n --> odd:name.html:12:30";
        let all = reports(text);
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(
            all[1].contains("`x\n\ny`"),
            "a blank line inside a report stays in it"
        );
        assert_eq!(
            place(" odd:name.html:12:30"),
            Some(("odd:name.html", Pos::new(12, 30)))
        );
        assert_eq!(place("page.html:x:1"), None);
        let notes = "error: Field `x`\n\nnote: called from components.html:9:2\n |\n\nnote: called from report.html:15:35";
        let callers: Vec<_> = called_from(notes).collect();
        assert_eq!(
            callers,
            [
                ("components.html", Pos::new(9, 2)),
                ("report.html", Pos::new(15, 35))
            ]
        );
    }

    #[test]
    fn undefined_names_are_read_with_the_names_there_are() {
        assert_eq!(
            undefined_name("Field `vendr` is not defined. Available fields: date, vendor"),
            Some(("字段", "vendr", vec!["date", "vendor"]))
        );
        assert_eq!(
            undefined_name("Variable `reprot` is not defined. Available variables: report"),
            Some(("变量", "reprot", vec!["report"]))
        );
        assert_eq!(
            undefined_name("Variable `x` is not defined."),
            Some(("变量", "x", vec![]))
        );
        assert_eq!(
            undefined_name("Variable `x` exists but its value is undefined"),
            None
        );
        assert_eq!(undefined_name("Division by zero"), None);
    }

    #[test]
    fn component_names_are_read_from_their_tags() {
        let templates = vec![(
            "components.html".to_string(),
            "{% component a(x) %}{% endcomponent a %}{%- component ui.b() -%}{% endcomponent %}"
                .to_string(),
            PathBuf::new(),
        )];
        assert_eq!(all_components(&templates), ["a", "ui.b"]);
    }
}
