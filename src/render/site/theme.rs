//! The theme: Tera templates and static files. The default theme is embedded in the binary;
//! `--theme DIR` overrides it file by file (`DIR/templates/NAME.html`, `DIR/static/NAME`).

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diag::Diagnostic;
use crate::location::Pos;
use crate::report_cache;
use crate::yaml::Digest;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../themes/default/templates/", $name)))),*]
    };
}

/// The default templates. Their names end in `.html`, so Tera escapes every value.
const TEMPLATES: &[(&str, &str)] = embedded![
    "base.html",
    "macros.html",
    "index.html",
    "page.html",
    "meetings.html",
    "report.html"
];

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
    /// The SHA-256 of every template and static file, named: what the pages are made with.
    pub digest: Digest,
}

/// The embedded theme with any file of `dir` in its place.
pub fn load_theme(dir: &Path) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
    for (name, embedded) in TEMPLATES {
        let path = dir.join("templates").join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => templates.push((name.to_string(), text, path)),
            Err(_) => templates.push((
                name.to_string(),
                embedded.to_string(),
                PathBuf::from(format!("(内置主题)/templates/{name}")),
            )),
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Pages are made from the sources alone (the same sources give the same bytes, and a
    // kept page is known unchanged from its inputs): no template reads the environment.
    tera.register_function(
        "get_env",
        |_: &std::collections::HashMap<String, tera::Value>| {
            Err(tera::Error::msg(
                "主题模板不能读取环境变量（get_env）：页面只由内容文件和主题决定",
            ))
        },
    );
    if let Err(all) =
        tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.as_str(), t.as_str())))
    {
        return Err(locate_template_errors(&templates, dir, &all));
    }
    let statics: Vec<(String, Vec<u8>)> = STATICS
        .iter()
        .map(|(name, embedded)| {
            let bytes =
                std::fs::read(dir.join("static").join(name)).unwrap_or_else(|_| embedded.to_vec());
            (name.to_string(), bytes)
        })
        .collect();
    let digest = theme_digest(&templates, &statics);
    Ok(Theme {
        tera,
        statics,
        digest,
    })
}

/// One hash over the theme's files: each name and content (see [`report_cache::hash`]).
fn theme_digest(templates: &[(String, String, PathBuf)], statics: &[(String, Vec<u8>)]) -> Digest {
    let templates = templates
        .iter()
        .flat_map(|(name, text, _)| [name.as_bytes(), text.as_bytes()]);
    let statics = statics
        .iter()
        .flat_map(|(name, bytes)| [name.as_bytes(), bytes.as_slice()]);
    let parts: Vec<&[u8]> = templates.chain(statics).collect();
    report_cache::hash(&parts)
}

/// Which templates fail to parse, each named by its file (only when parsing them all failed:
/// a second, slower pass).
fn locate_template_errors(
    templates: &[(String, String, PathBuf)],
    dir: &Path,
    all: &tera::Error,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (name, text, path) in templates {
        let mut single = Tera::default();
        let with_shared: Vec<(&str, &str)> = templates
            .iter()
            .filter(|(n, ..)| n == "macros.html" || n == "base.html")
            .map(|(n, t, _)| (n.as_str(), t.as_str()))
            .chain(std::iter::once((name.as_str(), text.as_str())))
            .collect();
        if let Err(e) = single.add_raw_templates(with_shared) {
            // The error may lie in a shared template: name the file Tera names.
            let chain = error_chain(&e);
            let failed = failed_template(&chain)
                .and_then(|n| templates.iter().find(|(name, ..)| name == n))
                .map_or(path, |(.., p)| p);
            let message = format!("模板有错误：{chain}");
            problems.push(Diagnostic::new(failed, parse_position(&e), message));
        }
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        problems.push(Diagnostic::new(
            dir,
            None,
            format!("模板有错误：{}", error_chain(all)),
        ));
    }
    problems
}

/// The template a Tera parse error names: `Failed to parse 'NAME'`.
fn failed_template(chain: &str) -> Option<&str> {
    let rest = chain.split_once("Failed to parse '")?.1;
    Some(rest.split_once('\'')?.0)
}

/// The line and column of a parse error, from the ` --> LINE:COLUMN` its cause carries.
fn parse_position(error: &tera::Error) -> Option<Pos> {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if let Some((_, rest)) = text.split_once("--> ") {
            let spot = rest.split_whitespace().next()?;
            let (line, column) = spot.split_once(':')?;
            return Some(Pos::new(line.parse().ok()?, column.parse().ok()?));
        }
        source = cause.source();
    }
    None
}

/// Tera's error with every cause, which carry the template's line and column.
pub fn error_chain(error: &tera::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push('：');
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.replace('\n', " ")
}
