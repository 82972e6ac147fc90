//! serde-saphyr's and serde's wording, pinned on real errors, and what we make of it.

use std::fmt::Debug;

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer, Visitor};

use super::*;
use crate::translate::english_left;
use crate::yaml::{parse_tree, parse_typed};

/// serde-saphyr's and serde's words: none is left once a message is translated.
#[rustfmt::skip]
const ENGLISH: &[&str] = &[
    "unknown", "field", "variant", "expected", "one of", "missing", "invalid", "type",
    "duplicate", "mapping", "key", "DuplicateKeyPolicy", "Options", "recursion", "limit",
    "budget", "breached", "Depth", "Nodes", "line", "column", "at", "sequence", "string",
    "integer", "floating point", "boolean", "map", "unit", "value", "Option",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Page {
    title: String,
    order: u32,
    kind: Option<Kind>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum Kind {
    Section,
    Appendix,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct One {
    title: String,
}

/// A value that no YAML value fits, read with `deserialize_any` (as the rules' operands
/// are): serde's own `invalid type` for whatever is there.
#[derive(Debug)]
struct Nothing;

impl<'de> Deserialize<'de> for Nothing {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NothingVisitor)
    }
}

struct NothingVisitor;

impl Visitor<'_> for NothingVisitor {
    type Value = Nothing;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a boolean")
    }
}

/// serde-saphyr's message for `text` read as a `T` (as [`diagnostic`] reads it), and
/// what we make of it.
fn read<T: DeserializeOwned + Debug>(text: &str) -> (String, Diagnostic) {
    let error =
        serde_saphyr::from_str_with_options::<T>(text, crate::yaml::options()).expect_err(text);
    let raw = error.without_snippet().render();
    (raw, diagnostic(Path::new("t.yaml"), &error, 0))
}

/// The message and hint, as the team reads them.
fn shown(d: &Diagnostic) -> String {
    format!("{} {}", d.message, d.hint.as_deref().unwrap_or_default())
}

#[test]
fn serde_saphyr_still_words_what_we_match() {
    let (raw, _) = read::<Page>("titel: x\norder: 1\n");
    assert!(raw.starts_with("unknown field `titel`"), "{raw}");
    assert!(
        raw.contains(", expected one of title, order, kind"),
        "{raw}"
    );
    assert!(raw.ends_with(" at line 1, column 1"), "{raw}");
    let (raw, _) = read::<One>("titel: x\n");
    assert!(
        raw.starts_with("unknown field `titel`, expected one of title "),
        "{raw}"
    );
    let (raw, _) = read::<Page>("title: x\norder: 1\nkind: chapter\n");
    assert!(raw.starts_with("unknown variant `chapter`"), "{raw}");
    assert!(raw.contains(", expected one of section, appendix"), "{raw}");
    let (raw, _) = read::<Page>("order: 1\n");
    assert!(raw.starts_with("missing field `title`"), "{raw}");
    let (raw, _) = read::<Page>("title: x\ntitle: y\norder: 1\n");
    assert!(raw.starts_with("duplicate mapping key: title,"), "{raw}");
    for value in ["[1]", "{a: 1}", "x", "1", "1.5", "true", "~"] {
        let (raw, _) = read::<Nothing>(value);
        assert!(raw.starts_with("invalid type: "), "{value}: {raw}");
        assert!(raw.contains(", expected a boolean"), "{value}: {raw}");
    }
    let (raw, _) = read::<serde_json::Value>(&alias_bomb());
    assert!(raw.starts_with("budget breached"), "{raw}");
    let (raw, _) = read::<serde_json::Value>(TWO_DOCUMENTS);
    assert!(raw.starts_with("multiple YAML documents detected"), "{raw}");
    let (raw, _) = read::<serde_json::Value>(&deep_flow());
    assert!(raw.starts_with("recursion limit exceeded"), "{raw}");
    let (raw, _) = read::<serde_json::Value>(&deep_block());
    assert!(raw.contains("Depth {"), "{raw}");
    // Our own messages, through serde's `custom`, keep their marker.
    let (raw, _) = read::<crate::model::date::Date>("2026-02-30");
    assert!(raw.starts_with(OWN_MESSAGE), "{raw}");
}

/// Two documents in one file.
const TWO_DOCUMENTS: &str = "vendor: a\n---\nvendor: b\n";

/// Lists in lists, past the nesting limit.
fn deep_flow() -> String {
    format!("{}{}", "[".repeat(100), "]".repeat(100))
}

/// Maps in maps, by indentation, past the nesting limit.
fn deep_block() -> String {
    (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect()
}

/// An alias whose expansion is far too large, in flow style (one line).
fn alias_bomb() -> String {
    let mut text = String::from("[&a0 [x, x, x, x, x, x, x, x, x, x]");
    for i in 1..12 {
        let p = i - 1;
        let refs = vec![format!("*a{p}"); 10].join(", ");
        text.push_str(&format!(", &a{i} [{refs}]"));
    }
    text.push(']');
    text
}

#[test]
fn what_we_make_of_them_has_none_of_their_english() {
    let mut all = vec![
        read::<Page>("titel: x\norder: 1\n").1,
        read::<One>("titel: x\n").1,
        read::<Page>("title: x\norder: 1\nkind: chapter\n").1,
        read::<Page>("order: 1\n").1,
        read::<Page>("title: x\ntitle: y\norder: 1\n").1,
        read::<serde_json::Value>(&alias_bomb()).1,
        read::<crate::model::date::Date>("2026-02-30").1,
    ];
    for value in ["[1]", "{a: 1}", "x", "1", "1.5", "true", "~"] {
        all.push(read::<Nothing>(value).1);
    }
    all.push(parse_tree(Path::new("t.yaml"), &deep_flow()).unwrap_err());
    all.push(parse_tree(Path::new("t.yaml"), &deep_block()).unwrap_err());
    all.push(parse_tree(Path::new("t.yaml"), TWO_DOCUMENTS).unwrap_err());
    for d in &all {
        let shown = shown(d);
        assert!(!shown.starts_with("YAML 格式错误"), "untranslated: {shown}");
        assert_eq!(english_left(&shown, ENGLISH), [""; 0], "{shown}");
    }
}

#[test]
fn translates_unknown_field_with_nearest_key() {
    let err = parse_typed::<Page>(Path::new("p.md"), "titel: x\norder: 1\n", 1).unwrap_err();
    assert_eq!(err.pos, Some(Pos::new(2, 1)));
    assert_eq!(
        err.message,
        "未知的键「titel」；可用的键：title、order、kind"
    );
    assert_eq!(err.hint.as_deref(), Some("是不是想写「title」？"));
}

#[test]
fn translates_types_and_values() {
    let (_, d) = read::<Nothing>("[1]");
    assert_eq!(d.message, "类型不对：应为 布尔值 true / false，实际是 列表");
    let (_, d) = read::<Page>("title: x\norder: 1\nkind: sectoin\n");
    assert_eq!(
        d.message,
        "未知的取值「sectoin」；可用的值：section、appendix"
    );
    assert_eq!(d.hint.as_deref(), Some("是不是想写「section」？"));
    assert_eq!(d.pos, Some(Pos::new(3, 7)));
}

/// A syntax mistake people make, the parser's English for it, and what the team reads.
const MISTAKES: &[(&str, &str, &str)] = &[
    (
        "a:\n  b: 1\n c: 2\n",
        "while parsing a block mapping, did not find expected key",
        "缩进不对：这一行没有和同一层的键对齐",
    ),
    (
        "a:\n  - x\n  y: 1\n",
        "while parsing a block collection, did not find expected '-' indicator",
        "列表里有一行不是以「- 」开头，或缩进不对",
    ),
    (
        "vendor: a: b\n",
        "mapping values are not allowed in this context",
        "这里不能出现「键: 值」",
    ),
    ("x:\n\t- a\n", "tabs disallowed", "这里有制表符（Tab）"),
    ("vendor: [a, b\n", "unclosed bracket", "括号没有闭合"),
    ("a: \"abc\n", "unclosed quote", "引号没有闭合"),
    (
        "a: \"b\"#c\n",
        "comments must be separated from other tokens by whitespace",
        "「#」注释前要有空格",
    ),
    (
        "a: \"b\" c\n",
        "invalid trailing content after",
        "引号结束后还有多余的文字",
    ),
    (
        "vendor: \"a\\q\"\n",
        "while parsing a quoted scalar, found unknown escape character",
        "双引号文字里有无法识别的反斜杠转义",
    ),
    (
        "v: *nope\n",
        "alias references unknown anchor",
        "引用了不存在的锚点（*名称）",
    ),
    ("a: @x\n", "unexpected character", "无法识别的字符「@」"),
    (
        "a: |\n  响铃 \u{7}\n",
        "unexpected character",
        "这里有不可见的控制字符 U+0007",
    ),
];

#[test]
fn the_parser_still_words_the_mistakes_we_translate() {
    for (text, english, _) in MISTAKES {
        let (raw, _) = read::<serde_json::Value>(text);
        let message = strip_location(raw.trim());
        assert!(message.starts_with(english), "{text:?}: {raw}");
    }
}

#[test]
fn syntax_mistakes_and_wrong_values_are_said_in_chinese_with_a_hint() {
    for (text, _, chinese) in MISTAKES {
        let d = parse_tree(Path::new("t.yaml"), text).unwrap_err();
        assert_eq!(d.message, *chinese, "{text:?}");
        assert!(d.hint.is_some(), "{text:?}");
        assert!(d.pos.is_some(), "{text:?}");
    }
    // serde-saphyr's own errors, by their variant.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Typed {
        name: String,
        flag: bool,
        count: u32,
        items: Vec<String>,
    }
    let ok = "name: a\nflag: true\ncount: 1\nitems: [x]\n";
    let cases = [
        (ok.replace("name: a", "name: [a]"), "这里应为一段文字"),
        (ok.replace("flag: true", "flag: yes"), "应为 true 或 false"),
        (ok.replace("count: 1", "count: -1"), "应为非负整数"),
        (
            ok.replace("items: [x]", "items: 3"),
            "这里应为列表（- 项 或 [a, b]）",
        ),
    ];
    for (text, chinese) in cases {
        let (_, d) = read::<Typed>(&text);
        assert_eq!(d.message, chinese, "{text}");
        assert_eq!(english_left(&shown(&d), ENGLISH), [""; 0], "{text}");
    }
}
