//! A new proposal file: every field present as `null` under its Chinese help, so the team
//! fills it in and it passes `check` as it is. What the command line adds (reading the
//! flags, saying what is wrong with them) lives with the binary.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::content::{ContentDir, load_framework_of};
use crate::diag::{Diagnostic, os_error};
use crate::model::date::Date;
use crate::model::framework::{Framework, IdText};

/// What a new proposal is made from.
pub struct NewProposal<'a> {
    /// The vendor's name, as it is to appear (not empty).
    pub vendor: &'a str,
    pub date: Date,
    /// Direction ids the vendor proposed; each must be one of the framework's.
    pub directions: &'a [String],
    /// Where to write it; by default `<content>/proposals/<date>-<vendor>.yaml`.
    pub path: Option<PathBuf>,
}

/// Why no file was written.
#[derive(Debug)]
pub enum NotWritten {
    /// A direction the framework does not have, and the ids it has with their titles (the
    /// caller words it: the command line names its flag).
    UnknownDirection {
        given: String,
        known: Vec<(String, String)>,
    },
    /// The file is there already: it is the team's work, never overwritten.
    Exists(PathBuf),
    /// The framework does not load, or the file cannot be written.
    Invalid(Vec<Diagnostic>),
}

/// Writes the new proposal under `dir`'s framework; returns the file written.
pub fn write_new_proposal(dir: &ContentDir, new: &NewProposal) -> Result<PathBuf, NotWritten> {
    let framework = load_framework_of(dir).map_err(NotWritten::Invalid)?;
    let ids: Vec<&str> = framework
        .directions
        .iter()
        .map(|d| d.id.value.as_str())
        .collect();
    if let Some(given) = new.directions.iter().find(|d| !ids.contains(&d.as_str())) {
        return Err(NotWritten::UnknownDirection {
            given: given.clone(),
            known: framework
                .for_counterparty()
                .directions
                .iter()
                .map(|d| (d.id.value.clone(), d.title.clone()))
                .collect(),
        });
    }
    let path = new.path.clone().unwrap_or_else(|| {
        dir.proposals()
            .join(format!("{}-{}.yaml", new.date, file_slug(new.vendor)))
    });
    let text = template(
        &framework.for_vendor(new.vendor),
        new.vendor,
        new.date,
        new.directions,
    );
    write_once(&path, &text)?;
    Ok(path)
}

/// A file name from a vendor name: letters and digits of any script, `-` for the rest.
fn file_slug(vendor: &str) -> String {
    let mut slug = String::new();
    for c in vendor.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-');
    if slug.is_empty() {
        "vendor".to_string()
    } else {
        slug.to_string()
    }
}

/// Writes a file that is not there yet.
fn write_once(path: &Path, text: &str) -> Result<(), NotWritten> {
    let fail = |message: String| NotWritten::Invalid(vec![Diagnostic::new(path, None, message)]);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| fail(format!("无法创建文件夹：{}", os_error(&e))))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => NotWritten::Exists(path.to_path_buf()),
            _ => fail(format!("无法创建文件：{}", os_error(&e))),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| fail(format!("无法写入文件：{}", os_error(&e))))
}

/// The proposal template: every field, `null` unless given, each under its Chinese help.
pub fn template(framework: &Framework, vendor: &str, date: Date, directions: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# 评估提案：{} · {date}", one_line(vendor));
    let _ = writeln!(
        out,
        "# 由 dealbook new proposal 生成。不知道的事实保持 null：判定时按\"未知\"处理，绝不猜测。"
    );
    let _ = writeln!(
        out,
        "# 填好后运行 dealbook eval <本文件> 查看判定，dealbook check 校验全部内容。"
    );
    let _ = writeln!(out);
    let help = |key: &str| {
        framework
            .label(key)
            .map_or_else(|| key.to_string(), |l| l.help.clone())
    };
    let mut section = "";
    for key in framework.fields.in_file_order() {
        let (parent, name) = key.split_once('.').unwrap_or(("", key));
        if parent != section {
            if !parent.is_empty() {
                let _ = writeln!(out, "{parent}:");
            }
            section = parent;
        }
        let indent = if parent.is_empty() { "" } else { "  " };
        let _ = writeln!(out, "{indent}# {}", one_line(&help(key)));
        match key {
            "vendor" => {
                let _ = writeln!(out, "vendor: {}", yaml_string(vendor));
            }
            "meeting.date" => {
                let _ = writeln!(out, "  date: {date}");
            }
            "directions" if !directions.is_empty() => {
                let _ = writeln!(out, "directions: [{}]", directions.join(", "));
            }
            "answers" => write_id_map(
                &mut out,
                "answers",
                framework.question_items().map(|(g, q)| (&g.title, q)),
            ),
            "checklist" => write_id_map(
                &mut out,
                "checklist",
                framework.checklist_items().map(|(g, c)| (&g.title, c)),
            ),
            _ => {
                let _ = writeln!(out, "{indent}{name}: null");
            }
        }
    }
    out
}

fn write_id_map<'a>(
    out: &mut String,
    key: &str,
    items: impl Iterator<Item = (&'a String, &'a IdText)>,
) {
    let _ = writeln!(out, "{key}:");
    for (group, item) in items {
        let _ = writeln!(out, "  # {}：{}", one_line(group), one_line(&item.text));
        let _ = writeln!(out, "  {}: null", item.id.value);
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A double-quoted YAML scalar (JSON strings are valid YAML).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_chinese_and_join_the_rest_with_dashes() {
        assert_eq!(file_slug("阿里云"), "阿里云");
        assert_eq!(file_slug("Volc Engine / 火山"), "volc-engine-火山");
        assert_eq!(file_slug("***"), "vendor");
    }

    #[test]
    fn quotes_vendor_names_safely() {
        assert_eq!(yaml_string("a\"b\nc"), "\"a\\\"b\\nc\"");
    }
}
