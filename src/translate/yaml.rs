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
    let (text, hint) = match by_variant(error) {
        Some(said) => said,
        None => {
            let raw = error.without_snippet().render();
            explain(strip_location(raw.trim()))
        }
    };
    let d = Diagnostic::new(file, pos, text);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// serde-saphyr's own errors that name what they are by their variant: said in Chinese
/// without matching their words. `None` for the rest (serde's messages, which only exist as
/// text, and the parser's).
fn by_variant(error: &serde_saphyr::Error) -> Option<(String, Option<String>)> {
    use serde_saphyr::Error as E;
    let said = |text: String, hint: Option<&str>| Some((text, hint.map(str::to_string)));
    match error {
        E::WithSnippet { error, .. } => by_variant(error),
        E::Unexpected { expected, .. } => said(format!("这里应为{}", structure(expected)), None),
        E::InvalidBooleanStrict { .. } => said(
            "应为 true 或 false".to_string(),
            Some("yes / no / on / off 在这里不算布尔值；请写 true 或 false"),
        ),
        E::InvalidScalar { ty, .. } => said(format!("应为{}", english_type(ty)), None),
        E::Eof { .. } => said(
            "文件意外结束".to_string(),
            Some("检查最后几行的括号和引号是否成对"),
        ),
        E::UnexpectedSequenceEnd { .. } => said("列表提前结束了".to_string(), None),
        E::UnexpectedMappingEnd { .. } => said("映射（键: 值）提前结束了".to_string(), None),
        E::NullIntoString { .. } => said("这里不能为空，应为文字".to_string(), None),
        E::NonFiniteFloat { value, .. } => said(
            format!("不接受非有限的数字「{value}」"),
            Some("请写一个有限的数字"),
        ),
        E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => said(
            format!(
                "取值不对：应为 {}，实际是 {}",
                english_type(expected),
                english_type(unexpected)
            ),
            None,
        ),
        E::SerdeInvalidLength { len, expected, .. } => said(
            format!("项数不对：应为 {}，实际有 {len} 项", english_type(expected)),
            None,
        ),
        E::UnsupportedTag { tag, .. } => said(
            format!("不支持 YAML 标签「{tag}」"),
            Some("去掉以 ! 开头的标签，直接写值"),
        ),
        _ => None,
    }
}

/// What serde-saphyr expected where it found something else (`Error::Unexpected`).
fn structure(expected: &str) -> String {
    let said = match expected {
        "string scalar" | "scalar" => "一段文字",
        "sequence start" => "列表（- 项 或 [a, b]）",
        "mapping start" | "empty mapping start" => "映射（键: 值）",
        "mapping end" | "empty mapping end" => "映射的结束",
        "value" | "single YAML node" => "一个值",
        other => return format!("「{other}」"),
    };
    said.to_string()
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
    if let Some(rest) = message.strip_prefix("unexpected character: `") {
        // "unexpected character: `\u{7}'" (Rust's escape_default): name the character,
        // visible or not.
        let found = rest.strip_suffix('\'').unwrap_or(rest);
        if let Some(c) = unescape_default(found) {
            let text = if c.is_control() {
                format!("这里有不可见的控制字符 U+{:04X}", c as u32)
            } else {
                format!("无法识别的字符「{c}」")
            };
            let hint = "删掉这个字符；要写特殊字符，放进双引号并用转义（如 \\t）";
            return (text, Some(hint.to_string()));
        }
    }
    if let Some((text, hint)) = syntax(message) {
        return (text.to_string(), Some(hint.to_string()));
    }
    (format!("YAML 格式错误：{message}"), None)
}

/// One character as Rust's `char::escape_default` writes it (`@`, `\t`, `\u{7}`).
fn unescape_default(text: &str) -> Option<char> {
    let mut chars = text.chars();
    match (chars.next()?, chars.next()) {
        (c, None) => Some(c),
        ('\\', Some(e)) => match (e, chars.as_str()) {
            ('t', "") => Some('\t'),
            ('r', "") => Some('\r'),
            ('n', "") => Some('\n'),
            ('\\' | '\'' | '"', "") => Some(e),
            ('u', rest) => {
                let hex = rest.strip_prefix('{')?.strip_suffix('}')?;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The parser's messages for the mistakes people make, as (start of its English, what we
/// say, hint). The rest (tags, directives, escapes in tags) pass through after a Chinese frame.
const SYNTAX: &[(&str, &str, &str)] = &[
    (
        "while parsing a block mapping, did not find expected key",
        "缩进不对：这一行没有和同一层的键对齐",
        "同一层的键从同一列开始；「- 」列表项下的键比「-」多缩进两格；一段文字里有「: 」或以引号开头时给整段加引号",
    ),
    (
        "while parsing a block collection, did not find expected '-' indicator",
        "列表里有一行不是以「- 」开头，或缩进不对",
        "同一列表的每一项都以「- 」开头，并且从同一列开始",
    ),
    (
        "while parsing a flow sequence",
        "方括号列表 [a, b] 没有正确结束：缺少「,」或「]」",
        "检查这一行的方括号是否成对；列表项里有逗号或冒号时给它加引号",
    ),
    (
        "while parsing a flow mapping",
        "花括号映射 { 键: 值 } 没有正确结束：缺少「,」或「}」",
        "检查这一行的花括号是否成对；值里有逗号、冒号或花括号时给它加引号",
    ),
    (
        "mapping values are not allowed in this context",
        "这里不能出现「键: 值」",
        "一段文字里有「: 」时给整段加引号；否则检查这一行的缩进",
    ),
    (
        "block sequence entries are not allowed in this context",
        "这里不能出现列表项「- 」",
        "检查这一行的缩进：列表项要写在键的下一行，并比键多缩进",
    ),
    (
        "mapping keys are not allowed in this context",
        "这里不能出现键",
        "检查这一行的缩进和前面的括号",
    ),
    (
        "while scanning a plain scalar, found a tab",
        "这里有制表符（Tab）",
        "YAML 只能用空格缩进；把 Tab 换成空格",
    ),
    (
        "tabs disallowed",
        "这里有制表符（Tab）",
        "YAML 只能用空格缩进；把 Tab 换成空格",
    ),
    (
        "tab cannot be used as indentation",
        "这里有制表符（Tab）",
        "YAML 只能用空格缩进；把 Tab 换成空格",
    ),
    (
        "a block scalar content cannot start with a tab",
        "这里有制表符（Tab）",
        "YAML 只能用空格缩进；把 Tab 换成空格",
    ),
    (
        "unclosed bracket",
        "括号没有闭合",
        "检查这一行的 [ ] 或 { } 是否成对；值里有括号时给它加引号",
    ),
    (
        "unclosed quote",
        "引号没有闭合",
        "检查这段文字的引号是否成对",
    ),
    (
        "comments must be separated from other tokens by whitespace",
        "「#」注释前要有空格",
        "在 # 前加一个空格；如果 # 是文字的一部分，给整段文字加引号",
    ),
    (
        "illegal placement of ':' indicator",
        "「:」的位置不对",
        "键和值之间写「: 」（冒号后有空格）；文字里有冒号时给整段加引号；上一行若有没闭合的 [ 或 {，先把它闭合",
    ),
    (
        "invalid indentation",
        "缩进不对",
        "同一层的内容从同一列开始，只用空格缩进",
    ),
    (
        "unexpected EOF while parsing",
        "文件结束时括号还没有闭合",
        "检查最后写的 [ ] 和 { } 是否成对",
    ),
    (
        "unexpected eof",
        "文件意外结束",
        "检查最后几行的括号和引号是否成对",
    ),
    (
        "while parsing a quoted scalar, found unknown escape character",
        "双引号文字里有无法识别的反斜杠转义",
        "反斜杠要写成 \\\\，或者改用单引号",
    ),
    (
        "alias references unknown anchor",
        "引用了不存在的锚点（*名称）",
        "先用 &名称 定义锚点，再用 *名称 引用",
    ),
    (
        "while parsing node, found unknown anchor",
        "引用了不存在的锚点（*名称）",
        "先用 &名称 定义锚点，再用 *名称 引用",
    ),
    (
        "while parsing a node, did not find expected node content",
        "这里缺少内容",
        "检查这一行是否少写了值，或多写了符号",
    ),
    (
        "invalid trailing content after",
        "引号结束后还有多余的文字",
        "整段文字都放进引号里，或去掉引号",
    ),
    (
        "did not find expected <document start>",
        "文档开头有无法识别的内容",
        "文件应以「键: 值」开始",
    ),
    (
        "unexpected character",
        "无法识别的字符",
        "检查这一处是否有多余的符号；文字以特殊符号开头时给它加引号",
    ),
    (
        "invalid content after document end marker",
        "文档结束标记「...」之后还有内容",
        "删掉「...」一行，或把之后的内容移到它前面",
    ),
];

/// The parser's message in Chinese, when it is one people run into.
fn syntax(message: &str) -> Option<(&'static str, &'static str)> {
    SYNTAX
        .iter()
        .find(|(english, ..)| message.starts_with(english))
        .map(|(_, text, hint)| (*text, *hint))
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
        ("u64", "非负整数"),
        ("i64", "整数"),
        ("i32", "整数"),
        ("bool", "布尔值 true / false"),
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
