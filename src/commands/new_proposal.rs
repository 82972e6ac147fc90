//! `dealbook new proposal`: a file with every field present as `null` and a Chinese comment
//! above each, that passes `check` as it is.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use crate::cli::NewProposalArgs;
use crate::content::{ContentDir, load_framework_of};
use crate::diag::{Diagnostic, suggestion};
use crate::model::date::Date;
use crate::model::fields;
use crate::model::framework::Framework;

use super::{Failure, print};

pub fn run(args: &NewProposalArgs) -> Result<(), Failure> {
    let vendor = args.vendor.trim();
    if vendor.is_empty() {
        return Err(Failure::Usage("--vendor 不能为空".into()));
    }
    let date = match &args.date {
        Some(text) => text.parse::<Date>().map_err(|()| {
            Failure::Usage(format!(
                "--date 应为 YYYY-MM-DD 格式的有效日期，实际是「{text}」"
            ))
        })?,
        None => today(),
    };
    let dir = ContentDir::new(&args.content.content);
    let framework = load_framework_of(&dir).map_err(Failure::Invalid)?;
    check_directions(&framework, &args.directions)?;
    let path = args.path.clone().unwrap_or_else(|| {
        dir.proposals()
            .join(format!("{date}-{}.yaml", file_slug(vendor)))
    });
    let text = template(&framework, vendor, date, &args.directions);
    write_new(&path, &text)?;
    print(&format!(
        "已生成 {}\n填写后运行：dealbook eval {}\n",
        path.display(),
        path.display()
    ));
    Ok(())
}

fn check_directions(framework: &Framework, directions: &[String]) -> Result<(), Failure> {
    let ids: Vec<&str> = framework
        .directions
        .iter()
        .map(|d| d.id.value.as_str())
        .collect();
    for d in directions {
        if !ids.contains(&d.as_str()) {
            return Err(Failure::Usage(format!(
                "--direction「{d}」不是框架中的合作方向；{}",
                suggestion(d, &ids)
            )));
        }
    }
    Ok(())
}

/// Today, or the day of `SOURCE_DATE_EPOCH` when set (reproducible builds and tests).
fn today() -> Date {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let seconds = from_env.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
    });
    Date::from_unix_seconds(seconds)
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

/// Refuses to overwrite: an existing file is the team's work.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    let fail = |message: String| Failure::Invalid(vec![Diagnostic::new(path, None, message)]);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| fail(format!("无法创建文件夹：{e}")))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                fail("文件已存在，不会覆盖；请换一个 --path 或先移走它".into())
            }
            _ => fail(format!("无法创建文件：{e}")),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| fail(format!("无法写入文件：{e}")))
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
    for key in fields::all_field_keys() {
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
    items: impl Iterator<Item = (&'a String, &'a crate::model::framework::IdText)>,
) {
    let _ = writeln!(out, "{key}:");
    for (group, item) in items {
        let _ = writeln!(out, "  # {group}：{}", one_line(&item.text));
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
