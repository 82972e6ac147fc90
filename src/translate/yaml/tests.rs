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
