//! The index as it is serialised: each document's paragraphs, and every term with the numbers
//! of the paragraphs it occurs in.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::terms::for_each_term;
use super::{INDEX_VERSION, SearchDoc};

/// The value of `window.DEALBOOK_SEARCH`; the field order is the order written.
#[derive(Debug, Serialize)]
pub(super) struct Index {
    v: u32,
    docs: Vec<IndexDoc>,
    /// Term → the paragraphs it occurs in, delta-encoded. A `BTreeMap` so the terms are
    /// written in one order on every build.
    terms: BTreeMap<String, Vec<u32>>,
}

#[derive(Debug, Serialize)]
struct IndexDoc {
    u: String,
    /// The title, then the paragraphs.
    p: Vec<String>,
}

impl Index {
    /// The index of `docs`, numbering their paragraphs in order from 0.
    pub(super) fn of(docs: Vec<SearchDoc>) -> Index {
        let mut indexed = Vec::with_capacity(docs.len());
        // Gathered in a hash map and sorted once at the end: a term is looked up for every
        // occurrence, and in a BTreeMap each lookup compares strings at every level.
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        let mut number: u32 = 0;
        for doc in docs {
            let p = paragraphs(&doc.title, &doc.text);
            for paragraph in &p {
                for_each_term(paragraph, |term| match postings.get_mut(term) {
                    // Numbers only grow, so a term met again in this paragraph is the last.
                    Some(list) if list.last() == Some(&number) => {}
                    Some(list) => list.push(number),
                    None => {
                        postings.insert(term.to_string(), vec![number]);
                    }
                });
                number += 1;
            }
            indexed.push(IndexDoc { u: doc.url, p });
        }
        for list in postings.values_mut() {
            delta_encode(list);
        }
        Index {
            v: INDEX_VERSION,
            docs: indexed,
            terms: postings.into_iter().collect(),
        }
    }
}

/// The title on one line, then the non-empty trimmed lines of `text`.
fn paragraphs(title: &str, text: &str) -> Vec<String> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines = text.split('\n').map(str::trim).filter(|p| !p.is_empty());
    std::iter::once(title)
        .chain(lines.map(str::to_string))
        .collect()
}

/// An ascending list as its first number, then each number minus the one before it: small
/// numbers, so fewer digits in the file.
fn delta_encode(list: &mut [u32]) {
    for i in (1..list.len()).rev() {
        list[i] -= list[i - 1];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_the_first_number_then_differences() {
        let mut list = [0, 5, 200, 70_000, u32::MAX];
        delta_encode(&mut list);
        assert_eq!(list, [0, 5, 195, 69_800, u32::MAX - 70_000]);
        let mut empty: [u32; 0] = [];
        delta_encode(&mut empty);
    }

    #[test]
    fn paragraphs_are_the_title_then_the_lines_that_hold_text() {
        assert_eq!(
            paragraphs(" 报告\n 一 ", "  第一段 \n\n \t\n第二段"),
            ["报告 一", "第一段", "第二段"]
        );
        assert_eq!(paragraphs("", ""), [""]);
    }
}
