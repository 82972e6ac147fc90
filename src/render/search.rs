//! Offline full-text search for the HTML site, for Chinese and Latin text alike.
//!
//! [`write_search_index`] writes `search-index.js`, a classic script that sets
//! `window.DEALBOOK_SEARCH` (so it loads from `file://`, with no fetch); the theme's
//! `static/search.js` answers queries from it in the browser. Format, version 1:
//!
//! ```text
//! window.DEALBOOK_SEARCH = {"v":1,"docs":[{"u":URL,"p":[TITLE,PARAGRAPH,…]},…],"terms":{TERM:[N,…],…}};
//! ```
//!
//! - `docs[i].u` is the link relative to the site root; `docs[i].p` is the title followed by
//!   the non-empty, trimmed paragraphs of the text. Every text is stored once.
//! - Paragraphs are numbered across all documents in order: the title of the first document is
//!   0, its first paragraph 1, and so on.
//! - `terms` maps every term to the sorted numbers of the paragraphs it occurs in,
//!   delta-encoded: the first number as it is, each later one minus the one before it.
//! - Terms: the text is normalised character by character (full-width ASCII to ASCII, the
//!   ideographic space to a space, then lowercase where that is one character of the same
//!   UTF-16 length, so an offset in the normalised text is the same offset in the original).
//!   A run of CJK characters gives each character and each pair of neighbours (`排`, `排他`);
//!   a run of other letters and digits gives one word (`poc`, `5s`, `30`); anything else only
//!   separates.
//!
//! The JSON is made safe inside HTML: `<`, `>`, `&`, U+2028 and U+2029 are written as `\uXXXX`
//! escapes, so no text can end the script. `search.js` implements the same normalisation and
//! tokenisation; `tests/search_js_test.mjs` checks that both give the same terms.

use std::io::Write;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::binary::{Decoder, Encoder};

/// One searchable document: a section page or a report page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchDoc {
    /// Link relative to the site root, e.g. "decision.html" or
    /// "reports/2026-02-05-aliyun-review.html"; may include "#anchor".
    pub url: String,
    pub title: String,
    /// Plain text of the document (no HTML), paragraphs separated by "\n".
    pub text: String,
}

/// The version of the index format; `search.js` refuses any other.
pub const INDEX_VERSION: u32 = 1;

/// The global `search.js` reads.
pub const INDEX_GLOBAL: &str = "DEALBOOK_SEARCH";

#[derive(Debug, Serialize)]
struct IndexDoc {
    u: String,
    /// The title, then the paragraphs.
    p: Paragraphs,
}

/// A document's title on one line, then its non-empty trimmed paragraphs: ranges of its text,
/// which is kept whole rather than copied paragraph by paragraph (400,000 strings at ten
/// thousand reports). Serialised as the list of strings.
#[derive(Debug)]
struct Paragraphs {
    title: String,
    text: String,
    ranges: Vec<std::ops::Range<usize>>,
}

impl Paragraphs {
    fn of(title: &str, text: String) -> Paragraphs {
        let mut ranges = Vec::new();
        let mut at = 0;
        for line in text.split('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() {
                let start = at + (line.len() - line.trim_start().len());
                ranges.push(start..start + trimmed.len());
            }
            at += line.len() + 1;
        }
        Paragraphs {
            title: one_line(title),
            text,
            ranges,
        }
    }

    fn len(&self) -> usize {
        1 + self.ranges.len()
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        let body = self.ranges.iter().map(|r| &self.text[r.clone()]);
        std::iter::once(self.title.as_str()).chain(body)
    }
}

impl Serialize for Paragraphs {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The JavaScript file `search-index.js`: `window.DEALBOOK_SEARCH = {...};` holding everything
/// the script needs, written to `to` as it is made (at ten thousand reports it is 50 MB), in
/// many small writes: `to` should be buffered, or memory.
/// Deterministic: the same docs give the same bytes. Takes the documents, so their text
/// becomes the index's paragraphs instead of being copied.
pub fn write_search_index(docs: Vec<SearchDoc>, to: &mut dyn Write) -> std::io::Result<()> {
    let docs = index_docs(docs);
    let mut out = ScriptSafe(to);
    // What is written to `out.0` directly is ASCII punctuation, names and digits: safe as is.
    out.0
        .write_all(b"/* dealbook search index (generated; read by search.js) */\n")?;
    write!(
        out.0,
        "window.{INDEX_GLOBAL} = {{\"v\":{INDEX_VERSION},\"docs\":"
    )?;
    // The documents are written on this core while the postings are collected on the others.
    let mut terms = Vec::new();
    rayon::in_place_scope(|scope| {
        scope.spawn(|_| terms = index_terms(&docs));
        serde_json::to_writer(&mut out, &docs)
    })?;
    drop(docs);
    out.0.write_all(b",\"terms\":{")?;
    // The postings are millions of numbers at ten thousand reports: spelt out on every core,
    // a window of groups at a time (a few megabytes), and written in order.
    let groups = term_groups(&terms);
    for window in groups.chunks(TERM_WINDOW) {
        let texts: Vec<Vec<u8>> = window
            .par_iter()
            .map(|group| spell_terms(&terms[group.clone()], group.start == 0))
            .collect::<std::io::Result<_>>()?;
        for text in texts {
            out.0.write_all(&text)?;
        }
    }
    out.0.write_all(b"}};\n")?;
    out.0.flush()
}

/// Bytes of postings (about a third of their digits) per group of terms spelt out at once.
const TERM_GROUP_BYTES: usize = 64 * 1024;

/// Groups spelt out at once, then written.
const TERM_WINDOW: usize = 16;

/// Consecutive runs of `terms` of about [`TERM_GROUP_BYTES`] of postings each.
fn term_groups(terms: &[(String, List)]) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, (_, list)) in terms.iter().enumerate() {
        bytes += list.bytes.len();
        if bytes >= TERM_GROUP_BYTES {
            groups.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < terms.len() {
        groups.push(start..terms.len());
    }
    groups
}

/// `"term":[n,…]` for each of `terms`, comma-separated, led by a comma unless `first`.
fn spell_terms(terms: &[(String, List)], first: bool) -> std::io::Result<Vec<u8>> {
    let digits: usize = terms.iter().map(|(_, list)| 3 * list.bytes.len()).sum();
    let mut text = Vec::with_capacity(digits + 16 * terms.len());
    for (i, (term, list)) in terms.iter().enumerate() {
        if i > 0 || !first {
            text.push(b',');
        }
        serde_json::to_writer(ScriptSafe(&mut text), term)?;
        text.extend_from_slice(b":[");
        for (k, n) in list.deltas().enumerate() {
            if k > 0 {
                text.push(b',');
            }
            push_decimal(&mut text, n);
        }
        text.push(b']');
    }
    Ok(text)
}

/// `n` in decimal digits, as JSON writes it.
fn push_decimal(out: &mut Vec<u8>, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes JSON so that it stays inert inside an HTML `<script>` and parses as JavaScript
/// everywhere. Outside strings, JSON never holds these characters, so escaping them all is
/// escaping them in strings (a preceding backslash is itself always escaped). serde_json
/// writes strings in runs cut only at ASCII characters, so no character is split between
/// two writes; a write that splits one where it matters (U+2028 and U+2029 start with the
/// byte E2) is refused rather than passed through unescaped.
struct ScriptSafe<W: Write>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut plain = 0;
        let mut from = 0;
        while let Some(found) = bytes[from..]
            .iter()
            .position(|b| matches!(b, b'<' | b'>' | b'&' | 0xE2))
        {
            let at = from + found;
            let (escape, len) = match bytes[at] {
                b'<' => ("\\u003c", 1),
                b'>' => ("\\u003e", 1),
                b'&' => ("\\u0026", 1),
                _ => match bytes.get(at + 1..at + 3) {
                    Some([0x80, 0xA8]) => ("\\u2028", 3),
                    Some([0x80, 0xA9]) => ("\\u2029", 3),
                    Some(_) => {
                        from = at + 1;
                        continue;
                    }
                    None => return Err(std::io::Error::other("a write split a character")),
                },
            };
            self.0.write_all(&bytes[plain..at])?;
            self.0.write_all(escape.as_bytes())?;
            plain = at + len;
            from = plain;
        }
        self.0.write_all(&bytes[plain..])?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Documents per unit of parallel work when collecting postings, at the least.
const CHUNK: usize = 64;

/// Units of work per core when collecting postings: enough to keep every core busy to the
/// end, few enough that their postings, all held until they are merged, stay small (each
/// unit's map holds most of the index's terms).
const CHUNKS_PER_CORE: usize = 4;

/// Each document's link and paragraphs, on every core.
fn index_docs(docs: Vec<SearchDoc>) -> Vec<IndexDoc> {
    docs.into_par_iter()
        .map(|doc| IndexDoc {
            p: Paragraphs::of(&doc.title, doc.text),
            u: doc.url,
        })
        .collect()
}

/// The index's terms, sorted, each with the numbers of the paragraphs it occurs in, built on
/// every core: the postings of runs of documents (numbered from where each document starts),
/// merged in document order so every list stays ascending.
fn index_terms(docs: &[IndexDoc]) -> Vec<(String, List)> {
    let mut starts = Vec::with_capacity(docs.len());
    let mut next: u32 = 0;
    for doc in docs {
        starts.push(next);
        next += u32::try_from(doc.p.len()).unwrap_or(u32::MAX);
    }
    let chunk = docs
        .len()
        .div_ceil(CHUNKS_PER_CORE * rayon::current_num_threads())
        .max(CHUNK);
    let chunks: Vec<Postings> = docs
        .par_chunks(chunk)
        .zip(starts.par_chunks(chunk))
        .map(|(docs, starts)| {
            let mut postings = Postings::default();
            for (doc, start) in docs.iter().zip(starts) {
                for (number, paragraph) in (*start..).zip(doc.p.iter()) {
                    postings.add(paragraph, number);
                }
            }
            postings
        })
        .collect();
    let mut merged = Postings::default();
    for chunk in chunks {
        merged.append(chunk);
    }
    let mut terms = merged.into_terms();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    terms
}

/// Term → the ascending numbers of the paragraphs it occurs in. CJK terms (one character or
/// two) are kept as a number, so counting them allocates nothing; most terms are CJK.
#[derive(Default)]
struct Postings {
    cjk: FxHashMap<u64, List>,
    words: FxHashMap<String, List>,
}

impl Postings {
    /// Adds paragraph `number` to the list of each of its terms, once per term.
    fn add(&mut self, paragraph: &str, number: u32) {
        for_each_key(paragraph, |term| match term {
            Term::Cjk(key) => self.cjk.entry(key).or_default().push(number),
            Term::Word(word) => match self.words.get_mut(word) {
                Some(list) => list.push(number),
                None => {
                    let mut list = List::default();
                    list.push(number);
                    self.words.insert(word.to_string(), list);
                }
            },
        });
    }

    /// Appends the postings of later paragraphs.
    fn append(&mut self, later: Postings) {
        for (key, list) in later.cjk {
            self.cjk.entry(key).or_default().append(list);
        }
        for (word, list) in later.words {
            match self.words.get_mut(&word) {
                Some(all) => all.append(list),
                None => {
                    self.words.insert(word, list);
                }
            }
        }
    }

    fn into_terms(self) -> Vec<(String, List)> {
        let cjk = self
            .cjk
            .into_iter()
            .map(|(key, list)| (cjk_term(key), list));
        cjk.chain(self.words).collect()
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ascending paragraph numbers, each kept as its difference from the one before (the first as
/// it is) in LEB128 bytes: what the index writes, in about a byte per number instead of four.
#[derive(Debug, Default)]
struct List {
    last: u32,
    bytes: Vec<u8>,
}

impl List {
    /// Adds `number`, not below the last one; a repeat of the last is not added again.
    fn push(&mut self, number: u32) {
        if self.bytes.is_empty() || number != self.last {
            Encoder(&mut self.bytes).number(u64::from(number - self.last));
            self.last = number;
        }
    }

    /// Appends a list of later numbers.
    fn append(&mut self, later: List) {
        let mut deltas = later.deltas();
        if let Some(first) = deltas.next() {
            let rest = later.bytes.len() - deltas.remaining();
            Encoder(&mut self.bytes).number(u64::from(first - self.last));
            self.bytes.extend_from_slice(&later.bytes[rest..]);
            self.last = later.last;
        }
    }

    /// The first number, then the difference of each from the one before.
    fn deltas(&self) -> Deltas<'_> {
        Deltas(Decoder(&self.bytes))
    }
}

struct Deltas<'a>(Decoder<'a>);

impl Deltas<'_> {
    fn remaining(&self) -> usize {
        self.0.0.len()
    }
}

impl Iterator for Deltas<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        // Every number in a list was written from a u32.
        self.0.small()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Other,
}

/// CJK ideographs, kana (without the middle dot) and Hangul syllables: searched by character
/// and by pairs. Mirrored in `search.js` (`isCjk`).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005 | 0x3007
        | 0x3041..=0x30FA
        | 0x30FC..=0x30FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        // Alphabetic or a number: `[\p{Alphabetic}\p{N}]` in JavaScript.
        Class::Word
    } else {
        Class::Other
    }
}

/// One character as it is searched: full-width ASCII as ASCII, lowercase where that keeps it
/// one character of the same UTF-16 length (so normalising never moves an offset).
fn normalize(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if is_cjk(c) {
        // No CJK character has a lowercase form.
        return c;
    }
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) if l.len_utf16() == c.len_utf16() => l,
        _ => c,
    }
}

/// A pair of CJK characters as a key: above every single character's.
const PAIR: u64 = 1 << 42;

/// `a` alone, or `a` followed by `b`, as one number.
fn cjk_key(a: char, b: Option<char>) -> u64 {
    match b {
        None => a as u64,
        Some(b) => PAIR | (a as u64) << 21 | b as u64,
    }
}

/// The term a [`cjk_key`] stands for.
fn cjk_term(key: u64) -> String {
    let char_at = |shift: u32| char::from_u32(((key >> shift) & 0x1F_FFFF) as u32);
    if key & PAIR == 0 {
        char_at(0).into_iter().collect()
    } else {
        [char_at(21), char_at(0)].into_iter().flatten().collect()
    }
}

/// A term of the index as it is found.
enum Term<'a> {
    /// A CJK character or pair, as its [`cjk_key`].
    Cjk(u64),
    /// A run of other letters and digits.
    Word(&'a str),
}

/// Calls `f` with each term of `text`, normalised, as it occurs (a term may come more than
/// once): each CJK character and pair of neighbouring CJK characters, and each word.
fn for_each_key(text: &str, mut f: impl FnMut(Term<'_>)) {
    let mut previous: Option<char> = None;
    let mut run = String::new();
    for c in text.chars().map(normalize) {
        match class(c) {
            Class::Cjk => {
                if !run.is_empty() {
                    f(Term::Word(&run));
                    run.clear();
                }
                if let Some(before) = previous {
                    f(Term::Cjk(cjk_key(before, Some(c))));
                }
                f(Term::Cjk(cjk_key(c, None)));
                previous = Some(c);
            }
            Class::Word => {
                previous = None;
                run.push(c);
            }
            Class::Other => {
                previous = None;
                if !run.is_empty() {
                    f(Term::Word(&run));
                    run.clear();
                }
            }
        }
    }
    if !run.is_empty() {
        f(Term::Word(&run));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::BTreeSet;

    /// The set of terms of `text`.
    fn index_terms(text: &str) -> BTreeSet<String> {
        let mut terms = BTreeSet::new();
        for_each_key(text, |term| {
            terms.insert(match term {
                Term::Cjk(key) => cjk_term(key),
                Term::Word(word) => word.to_string(),
            });
        });
        terms
    }

    #[test]
    fn posting_lists_keep_their_numbers_as_differences() {
        let numbers = [0, 5, 200, 70_000, 3_000_000_000, u32::MAX];
        let mut whole = List::default();
        let (mut early, mut late) = (List::default(), List::default());
        for (i, n) in numbers.into_iter().enumerate() {
            whole.push(n);
            whole.push(n); // once per paragraph
            if i < 3 { early.push(n) } else { late.push(n) }
        }
        let deltas: Vec<u32> = whole.deltas().collect();
        assert_eq!(deltas, [0, 5, 195, 69_800, 2_999_930_000, 1_294_967_295]);
        early.append(late);
        assert_eq!(early.deltas().collect::<Vec<_>>(), deltas);
        let mut empty = List::default();
        empty.append(List::default());
        assert_eq!(empty.deltas().count(), 0);
    }

    #[test]
    fn terms_spelt_in_groups_are_the_terms_spelt_at_once() {
        let docs = (0..12_000)
            .map(|i| SearchDoc {
                url: format!("reports/r{i}.html"),
                title: format!("报告 {i}"),
                text: format!("成本降低 {i}%\n第{}段 延迟 {}s\n供应商", i % 7, i % 13),
            })
            .collect();
        let docs = index_docs(docs);
        let terms = super::index_terms(&docs);
        let groups = term_groups(&terms);
        assert!(groups.len() > 3, "{} groups", groups.len());
        let mut next = 0;
        for group in &groups {
            assert_eq!(group.start, next, "contiguous");
            next = group.end;
        }
        assert_eq!(next, terms.len(), "every term");
        let grouped: Vec<u8> = groups
            .iter()
            .flat_map(|g| spell_terms(&terms[g.clone()], g.start == 0).unwrap())
            .collect();
        assert_eq!(grouped, spell_terms(&terms, true).unwrap());
        // However many cores share the work, the terms and their lists are the same.
        let on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| spell_terms(&super::index_terms(&docs), true).unwrap())
        };
        assert_eq!(on(1), grouped);
        assert_eq!(on(5), grouped);
        assert!(grouped.starts_with(b"\"") && !grouped.ends_with(b","));
    }

    #[test]
    fn numbers_are_written_as_json_writes_them() {
        for n in [0, 7, 10, 99, 1000, 4_294_967_295] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap());
        }
    }

    #[test]
    fn cjk_keys_stand_for_their_terms() {
        for (a, b) in [
            ('排', None),
            ('排', Some('他')),
            ('𠀀', Some('𠀁')),
            ('ー', Some('々')),
        ] {
            let term: String = std::iter::once(a).chain(b).collect();
            assert_eq!(cjk_term(cjk_key(a, b)), term);
        }
        assert_ne!(cjk_key('排', Some('他')), cjk_key('他', Some('排')));
    }

    /// The runs of CJK characters and of word characters in `text`, normalised.
    fn runs(text: &str) -> Vec<(Class, Vec<char>)> {
        let mut out: Vec<(Class, Vec<char>)> = Vec::new();
        let mut previous = Class::Other;
        for c in text.chars().map(normalize) {
            let class = class(c);
            if class != Class::Other {
                match out.last_mut() {
                    Some((k, run)) if *k == class && previous == class => run.push(c),
                    _ => out.push((class, vec![c])),
                }
            }
            previous = class;
        }
        out
    }

    /// [`write_search_index`] into a string.
    fn search_index_js(docs: Vec<SearchDoc>) -> String {
        let mut bytes = Vec::new();
        write_search_index(docs, &mut bytes).expect("written to memory");
        String::from_utf8(bytes).expect("UTF-8")
    }

    fn doc(url: &str, title: &str, text: &str) -> SearchDoc {
        SearchDoc {
            url: url.to_string(),
            title: title.to_string(),
            text: text.to_string(),
        }
    }

    /// A few pages written like the framework's, and some awkward text.
    fn fixture() -> Vec<SearchDoc> {
        vec![
            doc(
                "preconditions.html",
                "一、合作前提条件",
                "显著成本优势：至少 30% 以上成本降低\n\n技术验证：PoC 验证延迟 < 5s，稳定性明显提升\n低迁移成本：迁移工作量 ≤ 2 人周",
            ),
            doc(
                "red-lines.html",
                "三、我们不接受的方案（明确红线）",
                "排他性协议：不接受任何排他性条款\n深度绑定：不接受专有技术导致的强绑定\n要求替换全部供应商：坚持多供应商策略",
            ),
            doc(
                "negotiation.html#strategy",
                "四、谈判策略",
                "强调我们的多供应商策略是既定方针\n成本降低不足 20% 时，不考虑迁移\n供应 商 分开写的时候不算「供应商」",
            ),
            doc(
                "reports/2026-02-05-aliyun-review.html",
                "阿里云 · 方案评估 2026-02-05",
                "综合成本降低约 35%\nP95 延迟数据对方下周提供\n对方笔记：</script><script>alert(1)</script> & <!-- x -->\nＰｏＣ 计划两周，ＡＰＩ 调用\u{2028}层改造 3 人周",
            ),
            doc(
                "reports/mixed.html",
                "Mixed Ελληνικά テスト 한국어",
                "ΣΊΣΥΦΟΣ and İstanbul straße\nカタカナ・テスト and ひらがな\n𠀀𠀁 astral ideographs, emoji 😀 v2.0 1.5",
            ),
        ]
    }

    fn parse(js: &str) -> Value {
        let json = js
            .split_once(" = ")
            .and_then(|(_, rest)| rest.strip_suffix(";\n"))
            .expect("window.DEALBOOK_SEARCH = {…};");
        serde_json::from_str(json).expect("valid JSON")
    }

    fn decode(deltas: &[Value]) -> Vec<u64> {
        let mut n = 0;
        deltas
            .iter()
            .map(|d| {
                n += d.as_u64().unwrap();
                n
            })
            .collect()
    }

    /// Global paragraph number → document index.
    fn paragraph_docs(index: &Value) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, d) in index["docs"].as_array().unwrap().iter().enumerate() {
            out.extend(std::iter::repeat_n(i, d["p"].as_array().unwrap().len()));
        }
        out
    }

    /// The documents holding every unit of the query (a CJK run as a phrase in one paragraph,
    /// a word exactly), found through the postings and confirmed in the text: what search.js
    /// does, without ranking.
    fn query(index: &Value, q: &str) -> Vec<usize> {
        let owners = paragraph_docs(index);
        let paragraphs: Vec<String> = index["docs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["p"].as_array().unwrap().iter())
            .map(|p| p.as_str().unwrap().chars().map(normalize).collect())
            .collect();
        let mut result: Option<BTreeSet<usize>> = None;
        for (class, run) in runs(q) {
            let unit: String = run.iter().collect();
            let terms: Vec<String> = match class {
                Class::Cjk if run.len() > 1 => run.windows(2).map(|w| w.iter().collect()).collect(),
                _ => vec![unit.clone()],
            };
            let mut hits: Option<BTreeSet<u64>> = None;
            for term in terms {
                let list: BTreeSet<u64> = index["terms"]
                    .get(&term)
                    .and_then(Value::as_array)
                    .map(|l| decode(l).into_iter().collect())
                    .unwrap_or_default();
                hits = Some(match hits {
                    None => list,
                    Some(h) => h.intersection(&list).copied().collect(),
                });
            }
            let docs: BTreeSet<usize> = hits
                .unwrap_or_default()
                .into_iter()
                .filter(|&p| class == Class::Word || paragraphs[p as usize].contains(&unit))
                .map(|p| owners[p as usize])
                .collect();
            result = Some(match result {
                None => docs,
                Some(r) => r.intersection(&docs).copied().collect(),
            });
        }
        result.unwrap_or_default().into_iter().collect()
    }

    #[test]
    fn terms_are_cjk_characters_and_pairs_and_lowercased_words() {
        let terms = index_terms("PoC 验证延迟 < 5s，成本降低 30%");
        for t in [
            "poc", "验", "证", "延", "迟", "验证", "证延", "延迟", "5s", "成本", "本降", "30",
        ] {
            assert!(terms.contains(t), "{t} missing from {terms:?}");
        }
        assert!(!terms.contains("迟5s") && !terms.contains("迟 ") && !terms.contains("%"));
        assert!(!terms.contains("PoC"), "words are lowercased");
        // Full-width Latin and digits are their ASCII selves.
        assert!(index_terms("ＰｏＣ ３０％").is_superset(&index_terms("poc 30")));
        // The kana middle dot separates; astral ideographs are CJK characters.
        let terms = index_terms("カタカナ・テスト 𠀀𠀁");
        assert!(terms.contains("ナ") && !terms.contains("ナテ") && terms.contains("𠀀𠀁"));
    }

    #[test]
    fn index_holds_every_text_once_and_the_expected_terms() {
        let index = parse(&search_index_js(fixture()));
        assert_eq!(index["v"], 1);
        let docs = index["docs"].as_array().unwrap();
        assert_eq!(docs.len(), 5);
        assert_eq!(docs[2]["u"], "negotiation.html#strategy");
        // The title first, then the non-empty paragraphs.
        assert_eq!(
            docs[0]["p"],
            serde_json::json!([
                "一、合作前提条件",
                "显著成本优势：至少 30% 以上成本降低",
                "技术验证：PoC 验证延迟 < 5s，稳定性明显提升",
                "低迁移成本：迁移工作量 ≤ 2 人周"
            ])
        );
        let terms = index["terms"].as_object().unwrap();
        // Paragraph numbers: doc 0 has 0..=3, doc 1 has 4..=7, doc 2 has 8..=11.
        assert_eq!(decode(terms["排他"].as_array().unwrap()), vec![5]);
        assert_eq!(decode(terms["poc"].as_array().unwrap()), vec![2, 16]);
        assert_eq!(
            decode(terms["供应"].as_array().unwrap()),
            vec![7, 9, 11],
            "each paragraph once, in order"
        );
        for term in [
            "延迟",
            "延",
            "5s",
            "30",
            "多供",
            "应商",
            "p95",
            "ελληνικά",
            "straße",
        ] {
            assert!(terms.contains_key(term), "{term}");
        }
        // Lists are delta-encoded: every stored number after the first is positive.
        for (term, list) in terms {
            let list = list.as_array().unwrap();
            assert!(!list.is_empty(), "{term}");
            assert!(list[1..].iter().all(|d| d.as_u64().unwrap() > 0), "{term}");
        }
    }

    #[test]
    fn chinese_queries_find_their_documents() {
        let index = parse(&search_index_js(fixture()));
        assert_eq!(query(&index, "排他"), vec![1]);
        assert_eq!(query(&index, "延迟"), vec![0, 3]);
        assert_eq!(query(&index, "多供应商"), vec![1, 2]);
        assert_eq!(query(&index, "供应商"), vec![1, 2]);
        assert_eq!(query(&index, "排"), vec![1]);
        assert_eq!(query(&index, "PoC"), vec![0, 3]);
        assert_eq!(query(&index, "ｐｏｃ"), vec![0, 3]);
        assert_eq!(query(&index, "成本 30%"), vec![0]);
        assert_eq!(query(&index, "成本降低"), vec![0, 2, 3]);
        assert_eq!(query(&index, "谈判策略"), vec![2], "titles are searched");
        assert!(
            query(&index, "排他 延迟").is_empty(),
            "all terms must match"
        );
        assert!(query(&index, "供应链").is_empty());
    }

    /// The index of the fixture, byte for byte as the first implementation wrote it (made by
    /// commit 135bc61): any change to the format or the terms shows here.
    #[test]
    fn the_index_is_the_same_bytes_as_before() {
        let golden = include_str!("../../tests/fixtures/search/fixture-index.js");
        assert_eq!(search_index_js(fixture()), golden);
    }

    #[test]
    fn the_script_is_deterministic() {
        let a = search_index_js(fixture());
        let b = search_index_js(fixture().clone());
        assert_eq!(a, b);
        assert!(a.starts_with("/* dealbook search index"));
        assert!(a.contains("\nwindow.DEALBOOK_SEARCH = {\"v\":1,"));
        assert!(a.ends_with("};\n"));
        let empty = search_index_js(Vec::new());
        assert_eq!(
            parse(&empty),
            serde_json::json!({"v": 1, "docs": [], "terms": {}})
        );
    }

    #[test]
    fn document_text_cannot_leave_the_script() {
        let js = search_index_js(fixture());
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!js.contains(bad), "{bad:?} written as it is");
        }
        assert!(js.contains(r"\u003c/script\u003e\u003cscript\u003ealert(1)"));
        // And the text reads back exactly.
        let index = parse(&js);
        assert_eq!(
            index["docs"][3]["p"][3],
            "对方笔记：</script><script>alert(1)</script> & <!-- x -->"
        );
        assert_eq!(
            index["docs"][3]["p"][4],
            "ＰｏＣ 计划两周，ＡＰＩ 调用\u{2028}层改造 3 人周"
        );
        // Backslashes stay escaped before an escaped "<".
        let js = search_index_js(vec![doc("a.html", "t", r"\</script>")]);
        assert!(js.contains(r#""\\\u003c/script\u003e""#), "{js}");
        assert_eq!(parse(&js)["docs"][0]["p"][1], r"\</script>");
    }

    /// The documents of the shipped content, roughly as the site will hold them: each page's
    /// prose with the strings of its part of the framework, and each proposal's judgement.
    fn content_docs() -> Option<Vec<SearchDoc>> {
        use crate::content::{ContentDir, load_content};
        use crate::model::placeholders::substitute;
        use crate::yaml::{Node, Value as Y, parse_tree};

        fn strings(node: &Node, out: &mut Vec<String>) {
            match &node.value {
                Y::Str(s) => out.push(s.clone()),
                Y::Seq(items) => items.iter().for_each(|n| strings(n, out)),
                Y::Map(entries) => entries.iter().for_each(|(_, v)| strings(v, out)),
                _ => {}
            }
        }

        let dir = ContentDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
        let content = load_content(&dir).ok()?;
        let source = std::fs::read_to_string(dir.framework()).ok()?;
        let tree = parse_tree(&dir.framework(), &source).ok()?;
        let Y::Map(sections) = &tree.value else {
            return None;
        };
        let thresholds = &content.framework.thresholds;
        let mut docs = Vec::new();
        for page in &content.pages {
            let mut text: Vec<String> = crate::render::plain_text::markdown_to_blocks(&page.body)
                .into_iter()
                .map(|b| b.text)
                .collect();
            if let Some(data) = &page.data
                && let Some((_, node)) = sections
                    .iter()
                    .find(|(k, _)| k.value == Y::Str(data.clone()))
            {
                let mut found = Vec::new();
                strings(node, &mut found);
                text.extend(found.iter().map(|s| substitute(s, thresholds)));
            }
            docs.push(doc(
                &format!("{}.html", page.slug),
                &page.title,
                &text.join("\n"),
            ));
        }
        for (path, proposal) in &content.proposals {
            let judgement = crate::judge::judge(&content.framework, proposal);
            let mut text = crate::render::eval_text::render(&judgement);
            if let Some(note) = &proposal.notes {
                text.push('\n');
                text.push_str(&note.value);
            }
            for answer in proposal.answers.values() {
                text.push('\n');
                text.push_str(&answer.value);
            }
            let stem = path.file_stem()?.to_string_lossy();
            docs.push(doc(
                &format!("reports/{stem}.html"),
                &format!("{} · {}", proposal.vendor.value, proposal.date.value),
                &text,
            ));
        }
        Some(docs)
    }

    #[test]
    fn the_shipped_content_is_searchable() {
        let Some(docs) = content_docs() else {
            panic!("content/ should load");
        };
        let js = search_index_js(docs.clone());
        let index = parse(&js);
        let slug = |i: usize| index["docs"][i]["u"].as_str().unwrap().to_string();
        let found = |q: &str| query(&index, q).into_iter().map(slug).collect::<Vec<_>>();
        assert!(found("排他").contains(&"red-lines.html".to_string()));
        let multi = found("多供应商");
        for page in ["negotiation.html", "questions.html", "decision-matrix.html"] {
            assert!(multi.contains(&page.to_string()), "{page} in {multi:?}");
        }
        assert!(!found("延迟").is_empty() && !found("PoC").is_empty());
        assert!(found("成本 30%").contains(&"preconditions.html".to_string()));
        let text: usize = docs.iter().map(|d| d.title.len() + d.text.len()).sum();
        println!(
            "search index: {} docs, {} bytes of text, {} terms, search-index.js {} bytes",
            docs.len(),
            text,
            index["terms"].as_object().unwrap().len(),
            js.len()
        );
    }

    /// Writes indexes for `node tests/search_js_test.mjs` under `target/search-test/`.
    #[test]
    fn writes_indexes_for_the_node_harness() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/search-test");
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, js: String| {
            let temporary = dir.join(format!("{name}.{}.tmp", std::process::id()));
            std::fs::write(&temporary, js).unwrap();
            std::fs::rename(&temporary, dir.join(name)).unwrap();
        };
        write("fixture-index.js", search_index_js(fixture()));
        if let Some(docs) = content_docs() {
            write("content-index.js", search_index_js(docs.clone()));
        }
    }
}
