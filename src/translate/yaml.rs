//! serde-saphyr's English, and serde's that it passes on (unknown, missing and duplicate
//! keys, wrong types, limits): said in Chinese, at the file, line and column the error names,
//! with the nearest valid key for a misspelt one.

use std::path::Path;

use crate::diag::{Diagnostic, did_you_mean, nearest};
use crate::location::Pos;
use crate::yaml::MAX_DEPTH;

/// Marks a message of our own inside a serde error (`de::Error::custom`), so it is shown as
/// it is.
pub const OWN_MESSAGE: &str = "dealbook: ";

/// A serde-saphyr error as our diagnostic, in Chinese where the message is known.
/// `line_offset` is added to its line, for blocks embedded in a larger file (front matter).
pub fn diagnostic(file: &Path, error: &serde_saphyr::Error, line_offset: u32) -> Diagnostic {
    let pos = error
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| Pos::new(clamp(l.line()), clamp(l.column())).shifted(line_offset));
    let raw = error.without_snippet().render();
    let (text, hint) = explain(strip_location(raw.trim()));
    let d = Diagnostic::new(file, pos, text);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The message without the position serde-saphyr writes into it (`… at line 2, column 8`);
/// the diagnostic carries the position.
fn strip_location(message: &str) -> &str {
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let message = match message.find(": ") {
        Some(i) if message.starts_with("line ") => &message[i + 2..],
        _ => message,
    };
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// Known messages in Chinese, with the nearest valid key for a misspelt one.
fn explain(message: &str) -> (String, Option<String>) {
    if let Some(own) = message.find(OWN_MESSAGE) {
        return (message[own + OWN_MESSAGE.len()..].to_string(), None);
    }
    if message.contains("recursion limit exceeded") || message.contains("Depth {") {
        let text = format!("嵌套层级过深（最多 {MAX_DEPTH} 层），已拒绝读取");
        return (
            text,
            Some("提案和框架文件只需要几层缩进；请检查是否有多余的括号或缩进".into()),
        );
    }
    if message.starts_with("multiple YAML documents detected") {
        let text = "一个文件里有多个 YAML 文档（以 --- 分隔）；每个文件只能有一个".to_string();
        return (
            text,
            Some("删掉多余的 --- 行，把内容合并成一个文档；另一次会谈请写成另一个文件".into()),
        );
    }
    if message.starts_with("budget breached") {
        let text =
            "别名（&锚点 / *引用）展开后的内容过多，疑似\"别名炸弹\"，已拒绝读取".to_string();
        return (text, Some("请直接写出内容，不要层层引用别名".into()));
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = split_expected(rest);
        let hint = nearest(key, expected.iter().copied()).map(|best| did_you_mean(&[best]));
        let list = format!("可用的键：{}", expected.join("、"));
        return (format!("未知的键「{key}」；{list}"), hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = split_expected(rest);
        let hint = nearest(value, expected.iter().copied()).map(|best| did_you_mean(&[best]));
        let list = format!("可用的值：{}", expected.join("、"));
        return (format!("未知的取值「{value}」；{list}"), hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return (format!("缺少必填的键「{key}」"), None);
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return (format!("类型不对：{}", translate_type_phrase(rest)), None);
    }
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return (format!("重复的键「{key}」"), None);
    }
    (format!("YAML 格式错误：{message}"), None)
}

/// "`key`, expected one of a, b" (with or without backticks) → ("key", ["a", "b"]).
fn split_expected(rest: &str) -> (&str, Vec<&str>) {
    let key = rest.split('`').next().unwrap_or(rest);
    let expected = rest
        .split_once("expected")
        .map(|(_, list)| {
            let list = list.trim();
            let list = list.strip_prefix("one of").unwrap_or(list);
            list.split(',')
                .map(|item| item.trim().trim_matches('`'))
                .filter(|item| !item.is_empty())
                .collect()
        })
        .unwrap_or_default();
    (key, expected)
}

/// "sequence, expected a boolean" → "应为 布尔值 true / false，实际是 列表".
fn translate_type_phrase(rest: &str) -> String {
    let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
    format!(
        "应为 {}，实际是 {}",
        english_type(expected),
        english_type(found)
    )
}

/// serde's names of types (what a visitor expects, `Unexpected` for what it found).
fn english_type(phrase: &str) -> String {
    let words = [
        ("a boolean", "布尔值 true / false"),
        ("boolean", "布尔值"),
        ("a string", "字符串"),
        ("string", "字符串"),
        ("a sequence", "列表"),
        ("sequence", "列表"),
        ("a map", "映射（键: 值）"),
        ("map", "映射（键: 值）"),
        ("integer", "整数"),
        ("floating point", "数字"),
        ("unit value", "空值"),
        ("an integer", "整数"),
        ("f64", "数字"),
        ("u32", "非负整数"),
    ];
    for (en, zh) in words {
        if let Some(rest) = phrase.strip_prefix(en) {
            return format!("{zh}{rest}");
        }
    }
    phrase.to_string()
}

#[cfg(test)]
mod tests;
