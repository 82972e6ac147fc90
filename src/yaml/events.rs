//! The located tree of a plain document, read straight from the YAML parser's events
//! (serde-saphyr's own parser, granit-parser): about twice as fast as going through serde, and
//! most of a build's loading time at thousands of proposals.
//!
//! Only the subset every proposal uses is read here: block and flow collections, and scalars
//! whose type is certain: quoted and block scalars are text, plain ones are null, a boolean,
//! a decimal integer or decimal fraction, or text that no schema reads as anything else.
//! Anything else (anchors, aliases, tags, merge keys, several documents, a plain scalar that
//! could be a number in some notation, a syntax error, deep nesting) returns `None`, and the
//! caller parses the document with serde-saphyr, which handles all of YAML and locates its
//! errors. The tests check that both give the same tree wherever this one gives one.

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle};

use super::{MAX_DEPTH, Node, Value, clamp};
use crate::location::Pos;

/// A collection being read.
enum Open {
    Seq(Pos, Vec<Node>),
    /// A mapping, with the key read before its value.
    Map(Pos, Vec<(Node, Node)>, Option<Node>),
}

/// The tree of `text`, or `None` when the document is not in the subset read here. Within
/// serde-saphyr's budget too: a document it would refuse for its size is left to it.
pub fn tree(text: &str) -> Option<Node> {
    let budget = serde_saphyr::Budget::default();
    let mut open: Vec<Open> = Vec::new();
    let mut root = None;
    let (mut documents, mut nodes) = (0, 0);
    for (events, item) in Parser::new_from_str(text).enumerate() {
        if events >= budget.max_events || nodes >= budget.max_nodes {
            return None;
        }
        let (event, span) = item.ok()?;
        if matches!(
            event,
            Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..)
        ) {
            nodes += 1;
        }
        let pos = Pos::new(
            clamp(span.start.line() as u64),
            clamp(span.start.col() as u64 + 1),
        );
        let node = match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => continue,
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return None;
                }
                let value = match style {
                    ScalarStyle::Plain => plain(&value)?,
                    _ => Value::Str(value.into_owned()),
                };
                Node { value, pos }
            }
            Event::SequenceStart(_, anchor, ref tag) | Event::MappingStart(_, anchor, ref tag) => {
                if anchor != 0 || tag.is_some() || open.len() >= MAX_DEPTH {
                    return None;
                }
                open.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::Seq(pos, Vec::new())
                } else {
                    Open::Map(pos, Vec::new(), None)
                });
                continue;
            }
            Event::SequenceEnd => match open.pop()? {
                Open::Seq(pos, items) => Node {
                    value: Value::Seq(items),
                    pos,
                },
                Open::Map(..) => return None,
            },
            Event::MappingEnd => match open.pop()? {
                Open::Map(pos, entries, None) => Node {
                    value: Value::Map(entries),
                    pos,
                },
                _ => return None,
            },
            // Aliases, anchors and anything a later parser adds.
            _ => return None,
        };
        match open.last_mut() {
            None if root.is_none() => root = Some(node),
            None => return None,
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, key)) => match key.take() {
                None if is_merge_key(&node) => return None,
                None => *key = Some(node),
                Some(k) => entries.push((k, node)),
            },
        }
    }
    root
}

/// `<<`, which some YAML readers take as a merge of another mapping.
fn is_merge_key(node: &Node) -> bool {
    matches!(&node.value, Value::Str(s) if s == "<<")
}

/// The value of a plain scalar, when its type is certain.
fn plain(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let first = text.chars().next()?;
    if first.is_ascii_digit() || matches!(first, '-' | '+' | '.') {
        return number(text);
    }
    // Words some readers take for booleans or non-finite numbers.
    let lower = text.to_ascii_lowercase();
    let special = ["y", "n", "yes", "no", "on", "off", "nan", "inf", "infinity"];
    if special.contains(&lower.as_str()) {
        return None;
    }
    Some(Value::Str(text.to_string()))
}

/// A plain scalar that starts like a number: a decimal integer or fraction, a date, text with
/// a character no number notation has; else uncertain.
fn number(text: &str) -> Option<Value> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (digits, None),
    };
    let decimal = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let canonical = decimal(whole) && (whole == "0" || !whole.starts_with('0'));
    match fraction {
        None if canonical => return text.parse().ok().map(Value::Int),
        Some(f) if canonical && decimal(f) => return text.parse().ok().map(Value::Float),
        _ => {}
    }
    if is_date(text) {
        return Some(Value::Str(text.to_string()));
    }
    // Letters, digits and these make up every number notation (0x1F, 1_000, 1e3, 1:30, .inf).
    let numeric = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-' | ':');
    if text.chars().all(numeric) {
        None
    } else {
        Some(Value::Str(text.to_string()))
    }
}

/// `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The tree through serde-saphyr.
    fn located(text: &str) -> Node {
        super::super::located_tree(Path::new("t.yaml"), text).expect("valid YAML")
    }

    /// Where this reader gives a tree, it is serde-saphyr's, positions included.
    fn same_or_declined(text: &str) -> bool {
        match tree(text) {
            Some(fast) => {
                assert_eq!(fast, located(text), "{text}");
                true
            }
            None => false,
        }
    }

    /// Every YAML file under `dir`.
    fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn the_shipped_files_are_read_here_and_as_serde_saphyr_reads_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        yaml_files(&root.join("content"), &mut files);
        assert!(files.len() >= 5);
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(
                same_or_declined(&text),
                "{} is not read here",
                file.display()
            );
        }
        // The fixtures, some of them broken on purpose: the same tree, or declined.
        let mut fixtures = Vec::new();
        yaml_files(&root.join("tests/fixtures"), &mut fixtures);
        for file in &fixtures {
            let text = std::fs::read_to_string(file).unwrap();
            if super::super::located_tree(file, &text).is_ok() {
                same_or_declined(&text);
            } else {
                assert!(tree(&text).is_none(), "{} parsed", file.display());
            }
        }
    }

    #[test]
    fn scalars_are_typed_as_serde_saphyr_types_them_or_declined() {
        let read = [
            "a: 1",
            "a: -12",
            "a: 0",
            "a: 3.5",
            "a: -0.25",
            "a: true",
            "a: False",
            "a: null",
            "a: ~",
            "a:",
            "a: 2026-02-05",
            "a: 阿里云",
            "a: '1'",
            "a: \"true\"",
            "a: 3 人周",
            "a: [x, 1, {b: 2}]",
            "a:\n  - x\n  -\n  - {}\n",
            "a: |\n  多行\n  文本\n",
            "a: >\n  folded\n  text\n",
            "a: PoC",
            "a: 10%",
            "- 1\n- b\n",
            "a: 1 # c\nb: 2\n",
            "a: 1\na: 2\n",
            "? a\n: 1\n",
            "a: 9223372036854775807",
        ];
        for text in read {
            assert!(same_or_declined(text), "{text} declined");
        }
        let declined = [
            "a: 0x1F",
            "a: 0o17",
            "a: 1_000",
            "a: 1e3",
            "a: .5",
            "a: +1",
            "a: 007",
            "a: .inf",
            "a: -.inf",
            "a: .nan",
            "a: yes",
            "a: No",
            "a: on",
            "a: 1:30",
            "a: &x 1\nb: *x\n",
            "a: !!str 1",
            "<<: {a: 1}",
            "a: 1\n---\nb: 2\n",
            "a: [1, 2",
            "a: 99999999999999999999",
        ];
        for text in declined {
            assert!(!same_or_declined(text), "{text} read");
        }
    }

    #[test]
    fn documents_beyond_serde_saphyrs_budget_are_left_to_it() {
        let max = serde_saphyr::Budget::default().max_nodes;
        let list = |n: usize| format!("x: [{}]", vec!["0"; n].join(","));
        // The mapping, the key and the sequence are nodes too.
        assert!(tree(&list(max - 4)).is_some());
        assert!(tree(&list(max)).is_none());
        assert!(super::super::located_tree(Path::new("t.yaml"), &list(max)).is_err());
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_declined() {
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(tree(&deep).is_none());
        let fine = format!("{}1{}", "[".repeat(5), "]".repeat(5));
        assert!(same_or_declined(&fine));
    }
}
