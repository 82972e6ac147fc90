//! The one place that parses YAML (with serde-saphyr). Everything else sees either a typed
//! value or a located [`Node`] tree, and errors that name the file, line and column (said in
//! Chinese by `translate::yaml`).

use sha2::{Digest as _, Sha256};
use std::path::Path;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, NonFiniteFloatPolicy, Options, Spanned};

use crate::diag::{Diagnostic, os_error};
use crate::location::Pos;
use crate::translate;

/// A parsed YAML value with the position of every node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// How the value is named in errors ("实际是…").
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "空值 null".to_string(),
            Value::Bool(b) => format!("布尔值 {b}"),
            Value::Int(i) => format!("数字 {i}"),
            Value::Float(x) => format!("数字 {x}"),
            Value::Str(s) => format!("字符串 \"{}\"", shorten(s)),
            Value::Seq(items) if items.is_empty() => "空列表".to_string(),
            Value::Seq(_) => "列表".to_string(),
            Value::Map(_) => "映射（键: 值）".to_string(),
        }
    }
}

fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(MAX).collect::<String>())
    }
}

/// The SHA-256 of a file's bytes as read (byte-order mark included).
pub type Digest = [u8; 32];

/// Reads a UTF-8 text file of at most `max_bytes`, without its byte-order mark.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<String, Diagnostic> {
    read_source(path, max_bytes).map(|(text, _)| text)
}

/// [`read_text`], and the digest of the bytes read: what provenance and the report cache
/// record, so no file is read twice in a build.
pub fn read_source(path: &Path, max_bytes: u64) -> Result<(String, Digest), Diagnostic> {
    let size = std::fs::metadata(path)
        .map_err(|e| Diagnostic::new(path, None, format!("无法读取文件：{}", os_error(&e))))?
        .len();
    if size > max_bytes {
        let message = format!(
            "文件过大（{size} 字节），上限为 {}（{max_bytes} 字节）",
            human_size(max_bytes)
        );
        return Err(Diagnostic::at(path, Pos::new(1, 1), message));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(path, None, format!("无法读取文件：{}", os_error(&e))))?;
    let digest: Digest = Sha256::digest(&bytes).into();
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let bad = e.as_bytes()[valid.len()];
        Diagnostic::at(
            path,
            end_position(valid),
            format!("文件不是有效的 UTF-8 文本：字节 0x{bad:02X} 无法解码"),
        )
        .with_hint("请以 UTF-8 编码保存文件")
    })?;
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_owned)
        .unwrap_or(text);
    Ok((text, digest))
}

/// The position just after `text`.
fn end_position(text: &str) -> Pos {
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Pos::new(to_u32(line), to_u32(col))
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn human_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64).replace(".0 ", " ")
    } else {
        format!("{:.1} KiB", bytes as f64 / 1024.0).replace(".0 ", " ")
    }
}

/// No file of ours nests deeper than a few levels; these limits keep the recursive parser
/// far from the stack's end, even on a 2 MiB worker thread in a debug build.
pub(crate) const MAX_DEPTH: usize = 24;

/// How every document is read: strict booleans (`no` is a string), and limits on nesting
/// and on what aliases expand to.
pub(crate) fn options() -> Options {
    let mut o = Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    o.budget = Some(budget);
    o.strict_booleans = true;
    o.with_snippet = false;
    o
}

/// Parses a document into a located tree. Duplicate keys and non-finite numbers are kept
/// in the tree, so the caller can report them together with every other problem.
pub fn parse_tree(file: &Path, text: &str) -> Result<Node, Diagnostic> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Null,
            pos: Pos::new(1, 1),
        });
    }
    let mut root = located_tree(file, text)?;
    if root.value == Value::Null {
        // A file of comments only: the document is empty from its first line.
        root.pos = Pos::new(1, 1);
    }
    Ok(root)
}

/// [`parse_tree`] through serde-saphyr: every YAML feature, and its located errors.
fn located_tree(file: &Path, text: &str) -> Result<Node, Diagnostic> {
    let mut o = options();
    o.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    o.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    serde_saphyr::from_str_with_options::<Spanned<RawNode>>(text, o)
        .map(into_node)
        .map_err(|e| translate::yaml::diagnostic(file, &e, 0))
}

/// Parses a document straight into a typed value. `line_offset` is added to every line, for
/// blocks embedded in a larger file (front matter).
pub fn parse_typed<T: DeserializeOwned>(
    file: &Path,
    text: &str,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|e| translate::yaml::diagnostic(file, &e, line_offset))
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What serde-saphyr hands us: any YAML value, with the location of every child.
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawNode>, Spanned<RawNode>)>),
}

fn into_node(spanned: Spanned<RawNode>) -> Node {
    let pos = Pos::new(
        clamp(spanned.referenced.line()),
        clamp(spanned.referenced.column()),
    );
    let value = match spanned.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(x) => Value::Float(x),
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => Value::Seq(items.into_iter().map(into_node).collect()),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (into_node(k), into_node(v)))
                .collect(),
        ),
    };
    Node { value, pos }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<RawNode, E> {
        Ok(RawNode::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(RawNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Result<Node, Diagnostic> {
        parse_tree(Path::new("t.yaml"), text)
    }

    #[test]
    fn a_source_digest_is_of_the_bytes_read_byte_order_mark_included() {
        let path = std::env::temp_dir().join(format!("dealbook-bom-{}.yaml", std::process::id()));
        std::fs::write(&path, "\u{feff}a: 1\n").unwrap();
        let (text, digest) = read_source(&path, 1024).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(text, "a: 1\n");
        let expected: Digest = Sha256::digest("\u{feff}a: 1\n".as_bytes()).into();
        assert_eq!(digest, expected);
        assert_ne!(digest, <Digest>::from(Sha256::digest(b"a: 1\n")));
    }

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let node = tree("a: 1\nb:\n  c: x\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("map expected")
        };
        assert_eq!(entries[1].0.pos, Pos::new(2, 1));
        let Value::Map(inner) = &entries[1].1.value else {
            panic!("inner map expected")
        };
        assert_eq!(inner[0].1.pos, Pos::new(3, 6));
        assert_eq!(inner[0].1.value, Value::Str("x".into()));
    }

    #[test]
    fn reads_no_as_a_string_not_false() {
        let node = tree("a: no\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("map expected")
        };
        assert_eq!(entries[0].1.value, Value::Str("no".into()));
    }

    #[test]
    fn keeps_duplicate_keys_and_nan_for_the_validator() {
        let node = tree("a: .nan\na: 2\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("map expected")
        };
        assert_eq!(entries.len(), 2);
        assert!(matches!(entries[0].1.value, Value::Float(x) if x.is_nan()));
    }

    #[test]
    fn reports_syntax_errors_with_line_and_column() {
        let err = tree("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos::new(2, 2)));
        assert_eq!(err.message, "「:」的位置不对");
        let hint = err.hint.unwrap_or_default();
        assert!(hint.contains("没闭合的 [ 或 {"), "{hint}");
    }

    #[test]
    fn refuses_deep_nesting_without_crashing() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(tree(&deep).is_err());
        let deep_map = format!("a: {}{}", "{a: ".repeat(100_000), "}".repeat(100_000));
        assert!(tree(&deep_map).is_err());
        let deep_block: String = (0..5_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        assert!(tree(&deep_block).is_err());
    }

    #[test]
    fn refuses_an_alias_bomb() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(tree(&text).is_err());
    }
}
