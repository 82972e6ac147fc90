//! The theme: Tera templates and static files. The default theme is embedded in the binary;
//! `--theme DIR` overrides it file by file (`DIR/templates/NAME.html`, `DIR/static/NAME`).

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diag::{Diagnostic, os_error, suggestion};
use crate::translate::tera::{self as english, Known};

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
        let Some(report) = english::located(error) else {
            return Diagnostic::new(
                &self.template_path(template),
                None,
                format!(
                    "模板渲染失败：{}",
                    english::error_chain(error).replace('\n', " ")
                ),
            );
        };
        let callers: Vec<String> = english::called_from(&error.to_string())
            .map(|(name, pos)| format!("{}:{pos}", self.template_path(name).display()))
            .collect();
        let (mut message, undefined) = english::render_failure(report.message());
        if !callers.is_empty() {
            message.push_str(&format!("（调用自 {}）", callers.join("，")));
        }
        let problem = Diagnostic::new(
            &self.template_path(report.filename()),
            Some(english::position(report)),
            message,
        );
        match undefined {
            Some((name, known)) if !known.is_empty() => problem.with_hint(suggestion(name, &known)),
            _ => problem,
        }
    }
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
            problems.push(Diagnostic::new(
                path,
                None,
                format!("无法读取{what}：{}", os_error(&e)),
            ));
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
                    Some(english::position(report)),
                    format!("模板有错误：{}", report.message()),
                )),
                // Alone, a template misses the others' components and blocks.
                _ => None,
            }
        })
        .collect();
    if problems.is_empty() {
        let components: Vec<&str> = all_components(templates);
        problems = english::reports(&english::error_chain(all))
            .iter()
            .map(|report| reference_problem(report, &path_of, &components, dir))
            .collect();
    }
    problems.sort();
    problems.dedup();
    problems
}

/// One of Tera's reports of a problem between templates, at its file, line and column, with
/// a suggestion for a misspelt name.
fn reference_problem(
    report: &str,
    path_of: &impl Fn(&str) -> PathBuf,
    components: &[&str],
    dir: &Path,
) -> Diagnostic {
    let read = english::reference_problem(report);
    let diagnostic = match read.place {
        Some((name, pos)) => Diagnostic::new(&path_of(name), Some(pos), read.message),
        None => Diagnostic::new(dir, None, read.message),
    };
    match read.unknown {
        // A theme without components has none to offer.
        Some((_, Known::Components)) if components.is_empty() => diagnostic,
        Some((name, Known::Components)) => diagnostic.with_hint(suggestion(name, components)),
        Some((name, Known::Templates)) => diagnostic.with_hint(suggestion(name, &template_names())),
        Some((name, Known::Names(names))) => diagnostic.with_hint(suggestion(name, names)),
        None => diagnostic,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
