//! The framework's prose: one Markdown page per section, with YAML front matter.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::placeholders;
use crate::diag::{Diagnostic, suggestion};
use crate::location::{Located, Pos};
use crate::yaml;

/// The parts of the framework data a page can show after its prose.
pub const DATA_PARTS: [&str; 12] = [
    "preconditions",
    "directions",
    "red_lines",
    "negotiation",
    "phases",
    "decision",
    "actions",
    "questions",
    "bottom_lines",
    "decision_matrix",
    "checklist",
    "card",
];

const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub path: PathBuf,
    /// The file name without `.md`: the page's address in the site.
    pub slug: String,
    pub title: String,
    pub order: Located<i64>,
    /// Which part of the framework data follows the prose.
    pub data: Option<String>,
    /// Markdown, with threshold placeholders filled in (and `{vendor}`, once the content is
    /// loaded, as the framework's counterparty).
    pub body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    order: Located<i64>,
    #[serde(default)]
    data: Option<Located<String>>,
}

pub fn load_page(
    path: &Path,
    thresholds: &std::collections::BTreeMap<String, f64>,
) -> Result<Page, Vec<Diagnostic>> {
    let text = yaml::read_text(path, MAX_PAGE_BYTES).map_err(|d| vec![d])?;
    parse_page(path, &text, thresholds)
}

pub fn parse_page(
    path: &Path,
    text: &str,
    thresholds: &std::collections::BTreeMap<String, f64>,
) -> Result<Page, Vec<Diagnostic>> {
    let (front, body, body_line) = split_front_matter(path, text).map_err(|d| vec![d])?;
    let front: FrontMatter = yaml::parse_typed(path, front, 1).map_err(|d| vec![d])?;
    let mut problems = placeholders::check(path, body, thresholds, body_line - 1);
    if front.title.trim().is_empty() {
        problems.push(Diagnostic::at(
            path,
            Pos::new(2, 1),
            "页面标题 title 不能为空",
        ));
    }
    if let Some(data) = &front.data
        && !DATA_PARTS.contains(&data.value.as_str())
    {
        let message = format!(
            "front matter 中 data 的取值「{}」不是框架数据的部分",
            data.value
        );
        let hint = suggestion(&data.value, &DATA_PARTS);
        problems.push(Diagnostic::at(path, data.pos.shifted(1), message).with_hint(hint));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Page {
        path: path.to_path_buf(),
        slug: path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        title: front.title,
        order: Located::new(front.order.value, front.order.pos.shifted(1)),
        data: front.data.map(|d| d.value),
        body: placeholders::substitute(body, thresholds),
    })
}

/// Splits `---\nfront\n---\nbody` into the front matter, the body and the body's first line.
fn split_front_matter<'t>(
    path: &Path,
    text: &'t str,
) -> Result<(&'t str, &'t str, u32), Diagnostic> {
    let missing = || {
        Diagnostic::at(
            path,
            Pos::new(1, 1),
            "页面缺少 front matter：应以 --- 开头的一段 YAML（title、order）开始，再以 --- 结束",
        )
    };
    let text = text.strip_prefix("---").ok_or_else(missing)?;
    let text = text
        .strip_prefix("\r\n")
        .or_else(|| text.strip_prefix('\n'))
        .ok_or_else(missing)?;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_end() == "---" {
            let body = &text[offset + line.len()..];
            return Ok((&text[..offset], body, index as u32 + 3));
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        path,
        Pos::new(1, 1),
        "页面的 front matter 没有结束：缺少单独一行的 ---",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Page, Vec<Diagnostic>> {
        let thresholds = std::collections::BTreeMap::from([("latency_s".to_string(), 5.0)]);
        parse_page(Path::new("pages/x.md"), text, &thresholds)
    }

    #[test]
    fn reads_front_matter_and_fills_placeholders() {
        let page =
            parse("---\ntitle: 六、决策标准\norder: 6\ndata: decision\n---\n延迟 < {latency_s}s\n")
                .unwrap();
        assert_eq!(page.title, "六、决策标准");
        assert_eq!(page.order.value, 6);
        assert_eq!(page.data.as_deref(), Some("decision"));
        assert_eq!(page.body, "延迟 < 5s\n");
        assert_eq!(page.slug, "x");
    }

    #[test]
    fn reports_front_matter_errors_at_the_real_file_line() {
        let errors = parse("---\ntitle: x\nordr: 1\n---\n").unwrap_err();
        assert_eq!(errors[0].pos, Some(Pos::new(3, 1)));
        assert_eq!(errors[0].hint.as_deref(), Some("是不是想写「order」？"));
    }

    #[test]
    fn reports_a_misspelt_data_part_and_placeholder_together() {
        let errors =
            parse("---\ntitle: x\norder: 1\ndata: decisoin\n---\n\n{latency}\n").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().any(|e| e.pos == Some(Pos::new(7, 1))));
        assert!(
            errors
                .iter()
                .any(|e| e.hint.as_deref() == Some("是不是想写「decision」？"))
        );
    }

    #[test]
    fn refuses_a_page_without_front_matter() {
        let errors = parse("# 标题\n").unwrap_err();
        assert!(errors[0].message.contains("front matter"));
    }
}
