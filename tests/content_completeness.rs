//! Proves that `content/` holds every item of the source framework document, faithfully.
//!
//! The source (`tests/fixtures/framework-source.md`, a copy of the document the content was
//! made from) is cut into fragments: heading texts, table cells, list and task items, bold
//! labels and their texts, paragraph lines and code-block lines, without Markdown syntax and
//! without the marks ✅ ⚠️ ❌. The content is cut into texts: every string and number of
//! `content/framework.yaml` (with `{threshold}` placeholders filled in), and every page of
//! `content/pages/` (its title, and its body cut the same way as the source). Then:
//!
//! - every source fragment must equal a content text (not merely occur inside one), found in
//!   the part of the content its source heading maps to, so no item moves to another section;
//! - the cells of a table row, and the label and text of a marked line, must be values of one
//!   YAML mapping, and a marked line's mark must be that mapping's mark or its group's;
//! - the framework has the expected number of questions, rules, rows, items and pages.
//!
//! The few fragments the content holds in another form are listed in `EXPECTED_SPLITS`; the
//! source text the content lacks (fidelity gaps) is listed in `KNOWN_GAPS`. An entry of either
//! list that no fragment needs fails the test, so both lists stay exact.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use serde_json::Value;

const SOURCE: &str = "tests/fixtures/framework-source.md";
const FRAMEWORK: &str = "content/framework.yaml";
const PAGES: &str = "content/pages";

const MARKS: [&str; 3] = ["✅", "⚠️", "❌"];

/// Source fragments that the content holds in another form. Each part is a YAML path (as
/// built by `collect_yaml_texts`) and the exact text expected there. An entry no fragment
/// needs fails the test.
type Parts = &'static [(&'static str, &'static str)];
const EXPECTED_SPLITS: &[(&str, Parts)] = &[
    // Each direction's two list headings are written once, for all five directions.
    ("对方诉求", &[("direction_headings.asks", "对方诉求")]),
    (
        "我们的评估",
        &[("direction_headings.assessment", "我们的评估")],
    ),
    // A direction's heading number is its position in `directions`; the title is the rest.
    (
        "方向 1：成为主要模型提供商",
        &[("directions[0].title", "成为主要模型提供商")],
    ),
    (
        "方向 2：算力基础设施合作",
        &[("directions[1].title", "算力基础设施合作")],
    ),
    (
        "方向 3：联合解决方案 / 战略合作",
        &[("directions[2].title", "联合解决方案 / 战略合作")],
    ),
    (
        "方向 4：技术赋能 / 最佳实践分享",
        &[("directions[3].title", "技术赋能 / 最佳实践分享")],
    ),
    (
        "方向 5：模型微调 / 定制合作",
        &[("directions[4].title", "模型微调 / 定制合作")],
    ),
    // The footer's "label：value" lines are the fields of `meta`.
    ("文档版本：v2.0", &[("meta.version", "v2.0")]),
    ("更新日期：2026-01-16", &[("meta.updated", "2026-01-16")]),
    (
        "立场：企业作为甲方，评估阿里云合作提案",
        &[("meta.position", "企业作为甲方，评估阿里云合作提案")],
    ),
];

/// Fidelity gaps: source text that content/ does not hold at all, listed so they stay
/// visible and cannot grow unnoticed. The parts are what content/ does hold of the fragment
/// (checked like `EXPECTED_SPLITS`); the rest of the fragment is lost. Once content/ holds a
/// fragment verbatim, its entry is no longer needed and the test fails until it is deleted.
const KNOWN_GAPS: &[(&str, Parts)] = &[];

/// One text of the content, with where it lives.
#[derive(Debug)]
struct Entry {
    /// A YAML path such as `directions[0].assessment[1].label`, or a page file such as
    /// `pages/index.md`.
    place: String,
    /// The YAML mapping the text is a value of (a string in a list belongs to the mapping
    /// holding the list); for a page, the page file.
    owner: String,
    /// The mark (✅ ⚠️ ❌) of the owner or of its nearest enclosing mapping that has one; for a
    /// page, the mark of the line.
    mark: Option<String>,
    text: String,
}

/// A page of `content/pages/`, as far as scoping needs it.
struct Page {
    file: String,
    title: String,
    /// The YAML paths of the framework data the page shows after its prose.
    data: Vec<String>,
}

/// Everything the content holds.
struct Content {
    entries: Vec<Entry>,
    pages: Vec<Page>,
}

/// What a line of Markdown is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Heading(usize),
    TableHeader,
    TableRow,
    /// A `---` rule: the source separates sections with it.
    Rule,
    Text,
}

/// One meaningful line of a Markdown document, cut into its fragments.
#[derive(Debug)]
struct Line {
    /// 1-based line number.
    number: usize,
    kind: Kind,
    mark: Option<&'static str>,
    pieces: Vec<String>,
}

/// Where in the content the fragments of a source section must be found: YAML paths and page
/// files. No prefixes means anywhere.
#[derive(Clone, Debug, Default)]
struct Scope(Vec<String>);

impl Scope {
    fn contains(&self, place: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|prefix| is_within(place, prefix))
    }
}

/// Whether `place` is the YAML path or page `prefix`, or lies below it.
fn is_within(place: &str, prefix: &str) -> bool {
    match place.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('.') || rest.starts_with('['),
        None => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading files

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn parse_yaml(text: &str, what: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("{what} does not parse: {e}"))
}

fn load_framework() -> Value {
    parse_yaml(&read(FRAMEWORK), FRAMEWORK)
}

fn source_lines() -> Vec<Line> {
    parse_markdown(&read(SOURCE))
}

/// The threshold values by name, written as the text shows them (`30`, `5`), and `vendor`:
/// the counterparty, as the framework's own pages read `{vendor}`.
fn thresholds(framework: &Value) -> BTreeMap<String, String> {
    let mut values: BTreeMap<String, String> = framework["thresholds"]
        .as_object()
        .expect("framework.yaml has a thresholds: mapping")
        .iter()
        .map(|(name, value)| (name.clone(), value.to_string()))
        .collect();
    let counterparty = framework["meta"]["counterparty"]
        .as_str()
        .expect("framework.yaml has meta.counterparty");
    values.insert("vendor".into(), counterparty.to_string());
    values
}

/// Replaces every `{name}` by the value of the threshold of that name.
fn fill_placeholders(text: &str, thresholds: &BTreeMap<String, String>) -> String {
    thresholds
        .iter()
        .fold(text.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// Collapses every run of whitespace into one space and trims the ends.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_content() -> Content {
    let framework = load_framework();
    let thresholds = thresholds(&framework);
    let mut entries = Vec::new();
    collect_yaml_texts(&framework, "", "", None, &thresholds, &mut entries);
    let pages = load_pages(&thresholds, &mut entries);
    Content { entries, pages }
}

/// Walks the YAML tree and records every string (placeholders filled in) and number, with
/// its path, owning mapping and inherited mark. The `mark` values themselves are not texts.
fn collect_yaml_texts(
    value: &Value,
    place: &str,
    owner: &str,
    mark: Option<&str>,
    thresholds: &BTreeMap<String, String>,
    out: &mut Vec<Entry>,
) {
    let mut record = |text: String| {
        out.push(Entry {
            place: place.to_string(),
            owner: owner.to_string(),
            mark: mark.map(str::to_string),
            text,
        })
    };
    match value {
        Value::String(text) => record(normalise(&fill_placeholders(text, thresholds))),
        Value::Number(number) => record(number.to_string()),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let child = format!("{place}[{index}]");
                collect_yaml_texts(item, &child, owner, mark, thresholds, out);
            }
        }
        Value::Object(map) => {
            let mark = map.get("mark").and_then(Value::as_str).or(mark);
            for (key, child_value) in map.iter().filter(|(key, _)| *key != "mark") {
                let child = if place.is_empty() {
                    key.clone()
                } else {
                    format!("{place}.{key}")
                };
                collect_yaml_texts(child_value, &child, place, mark, thresholds, out);
            }
        }
        Value::Null | Value::Bool(_) => {}
    }
}

/// Reads every page: its title and every fragment of its body become entries.
fn load_pages(thresholds: &BTreeMap<String, String>, entries: &mut Vec<Entry>) -> Vec<Page> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(PAGES);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect();
    names.sort();
    let mut pages = Vec::new();
    for name in names {
        let file = format!("pages/{name}");
        let text = read(&format!("{PAGES}/{name}"));
        let (front, body) = split_front_matter(&text, &file);
        let front = parse_yaml(front, &file);
        let title = normalise(front["title"].as_str().expect("page has a title"));
        let page_entry = |text: String, mark: Option<&str>| Entry {
            place: file.clone(),
            owner: file.clone(),
            mark: mark.map(str::to_string),
            text,
        };
        entries.push(page_entry(title.clone(), None));
        for line in parse_markdown(&fill_placeholders(body, thresholds)) {
            for piece in line.pieces {
                entries.push(page_entry(piece, line.mark));
            }
        }
        let data = front["data"].as_str().map(data_paths).unwrap_or_default();
        pages.push(Page { file, title, data });
    }
    pages
}

/// The YAML paths a page's `data:` names. `decision` shows both the Go and the No-Go rules
/// (see `DATA_PARTS` in src/model/page.rs); every other name is a top-level key.
fn data_paths(data: &str) -> Vec<String> {
    match data {
        "decision" => vec!["go".to_string(), "no_go".to_string()],
        other => vec![other.to_string()],
    }
}

/// Splits `---\nfront matter\n---\nbody` into its two parts.
fn split_front_matter<'t>(text: &'t str, file: &str) -> (&'t str, &'t str) {
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{file} starts with front matter"));
    match rest.split_once("\n---\n") {
        Some(parts) => parts,
        None => (
            rest.strip_suffix("\n---\n")
                .or_else(|| rest.strip_suffix("\n---"))
                .unwrap_or_else(|| panic!("{file} closes its front matter")),
            "",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Cutting Markdown into fragments

/// Cuts a Markdown document into its meaningful lines. Empty lines, code fences and table
/// separator rows are dropped; the row above a separator is marked as the table's header.
fn parse_markdown(text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut in_code = false;
    for (index, raw) in text.lines().enumerate() {
        let raw = raw.trim();
        if raw.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if raw.is_empty() {
            continue;
        }
        if is_table_separator(raw) {
            if let Some(header) = lines.last_mut() {
                header.kind = Kind::TableHeader;
            }
            continue;
        }
        let (kind, mark, pieces) = if in_code {
            cut_code_line(raw)
        } else {
            cut_line(raw)
        };
        let pieces = pieces
            .iter()
            .map(|piece| normalise(piece))
            .filter(|piece| !piece.is_empty())
            .collect();
        lines.push(Line {
            number: index + 1,
            kind,
            mark,
            pieces,
        });
    }
    lines
}

fn is_table_separator(raw: &str) -> bool {
    raw.starts_with('|') && raw.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A line inside a code fence: the cheat card's lines, quoted or numbered, maybe marked.
fn cut_code_line(raw: &str) -> (Kind, Option<&'static str>, Vec<String>) {
    let line = strip_list_marker(raw.trim_matches('"'));
    let (mark, line) = take_mark(line);
    (Kind::Text, mark, vec![line.to_string()])
}

fn cut_line(raw: &str) -> (Kind, Option<&'static str>, Vec<String>) {
    if raw.len() >= 3 && raw.chars().all(|c| c == '-') {
        return (Kind::Rule, None, Vec::new());
    }
    if let Some((level, text)) = heading(raw) {
        let (mark, text) = take_mark(text);
        return (Kind::Heading(level), mark, vec![strip_bold(text)]);
    }
    if raw.starts_with('|') {
        let (mark, cells) = table_cells(raw);
        return (Kind::TableRow, mark, cells);
    }
    let item = strip_italics(strip_list_marker(raw));
    let (mark, item) = take_mark(item);
    (Kind::Text, mark, split_label(item))
}

/// `### text` → (3, "text").
fn heading(raw: &str) -> Option<(usize, &str)> {
    let level = raw.chars().take_while(|&c| c == '#').count();
    let text = raw[level..].strip_prefix(' ')?;
    (level > 0).then_some((level, text))
}

/// The cells of `| a | b | c |`, without bold, and the row's mark (a row has at most one).
fn table_cells(raw: &str) -> (Option<&'static str>, Vec<String>) {
    let inner = raw.trim_matches('|');
    let mut row_mark = None;
    let mut cells = Vec::new();
    for cell in inner.split('|') {
        let (mark, cell) = take_mark(cell.trim());
        if mark.is_some() {
            assert!(row_mark.is_none(), "a table row with two marks: {raw}");
            row_mark = mark;
        }
        cells.push(strip_bold(cell));
    }
    (row_mark, cells)
}

/// Drops a leading `- [ ] `, `- [x] `, `- ` or `1. `.
fn strip_list_marker(line: &str) -> &str {
    for marker in ["- [ ] ", "- [x] ", "- "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return rest;
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    match line[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest,
        _ => line,
    }
}

/// `*text*` → `text`; bold (`**`) is left alone.
fn strip_italics(line: &str) -> &str {
    match line.strip_prefix('*').and_then(|l| l.strip_suffix('*')) {
        Some(inner) if !line.starts_with("**") => inner,
        _ => line,
    }
}

fn strip_bold(text: &str) -> String {
    text.replace("**", "")
}

/// Splits a leading mark off: `✅ text` → (Some("✅"), "text").
fn take_mark(text: &str) -> (Option<&'static str>, &str) {
    for mark in MARKS {
        if let Some(rest) = text.strip_prefix(mark) {
            return (Some(mark), rest.trim_start());
        }
    }
    (None, text)
}

/// `**label**：text` → [label, text]; `**label**：` → [label]; anything else → [line].
fn split_label(line: &str) -> Vec<String> {
    let Some((label, rest)) = line.strip_prefix("**").and_then(|l| l.split_once("**")) else {
        return vec![line.to_string()];
    };
    let text = rest.trim_start_matches(['：', ':']).trim();
    vec![label.to_string(), strip_bold(text)]
}

// ---------------------------------------------------------------------------------------------
// Scoping: which part of the content a source heading maps to

/// How the content holds a source fragment.
#[derive(Clone, Copy, Debug)]
enum Held {
    /// Verbatim, in the fragment's section.
    Verbatim,
    /// In another form, as listed in `EXPECTED_SPLITS`.
    Split,
    /// Only partly or not at all: a fidelity gap listed in `KNOWN_GAPS`.
    Gap,
}

/// The entry of `EXPECTED_SPLITS` or `KNOWN_GAPS` for a fragment, if it has one.
fn not_verbatim(fragment: &str) -> Option<(Held, Parts)> {
    let find = |list: &[(&str, Parts)]| {
        list.iter()
            .find(|(source, _)| *source == fragment)
            .map(|(_, parts)| *parts)
    };
    find(EXPECTED_SPLITS)
        .map(|parts| (Held::Split, parts))
        .or_else(|| find(KNOWN_GAPS).map(|parts| (Held::Gap, parts)))
}

impl Content {
    fn entry_at(&self, place: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.place == place)
    }

    /// The entries whose text is exactly `fragment`, within `scope`.
    fn verbatim<'c>(&'c self, fragment: &str, scope: &Scope) -> Vec<&'c Entry> {
        self.entries
            .iter()
            .filter(|entry| entry.text == fragment && scope.contains(&entry.place))
            .collect()
    }

    /// The listed parts (YAML path, exact text) that the content does not have.
    fn missing_parts(&self, parts: Parts) -> Vec<String> {
        parts
            .iter()
            .filter(|(place, text)| self.entry_at(place).map(|e| e.text.as_str()) != Some(text))
            .map(|(place, text)| format!("listed part {place} = «{text}» not found"))
            .collect()
    }

    /// The part of the content a source heading maps to: a page (with its data) whose title
    /// it is, else the mappings or pages where it is a title or a heading, else the mappings
    /// of its listed parts. `None` if not found.
    fn heading_scope(&self, heading: &str, parent: &Scope) -> Option<Scope> {
        if let Some(page) = self.pages.iter().find(|page| page.title == heading) {
            let mut prefixes = vec![page.file.clone()];
            prefixes.extend(page.data.iter().cloned());
            return Some(Scope(prefixes));
        }
        let mut owners: Vec<String> = self
            .verbatim(heading, parent)
            .into_iter()
            .filter(|entry| entry.place.ends_with(".title") || entry.place.starts_with("pages/"))
            .map(|entry| entry.owner.clone())
            .collect();
        if owners.is_empty()
            && let Some((_, parts)) = not_verbatim(heading)
        {
            let listed = parts.iter().filter_map(|(place, _)| self.entry_at(place));
            owners = listed.map(|entry| entry.owner.clone()).collect();
        }
        (!owners.is_empty()).then_some(Scope(owners))
    }
}

/// The scope each source line's fragments must be found in. A heading is looked up in its
/// parent's scope (top-level `#` and `##` headings anywhere); the lines under it in its own.
/// A `---` rule ends every section, so the footer after the last rule is looked up anywhere.
fn assign_scopes(lines: &[Line], content: &Content) -> Vec<Scope> {
    let mut open: Vec<(usize, Scope)> = Vec::new();
    let mut scopes = Vec::new();
    for line in lines {
        let current = open
            .last()
            .map(|(_, scope)| scope.clone())
            .unwrap_or_default();
        match line.kind {
            Kind::Rule => {
                open.clear();
                scopes.push(Scope::default());
            }
            Kind::Heading(level) => {
                open.retain(|(open_level, _)| *open_level < level);
                let parent = match open.last() {
                    Some((_, scope)) if level > 2 => scope.clone(),
                    _ => Scope::default(),
                };
                let own = content.heading_scope(&line.pieces[0], &parent);
                open.push((level, own.unwrap_or_else(|| parent.clone())));
                scopes.push(parent);
            }
            _ => scopes.push(current),
        }
    }
    scopes
}

// ---------------------------------------------------------------------------------------------
// Checks

/// How the content holds a fragment in its section, or why it does not.
fn find_fragment(content: &Content, fragment: &str, scope: &Scope) -> Result<Held, String> {
    if !content.verbatim(fragment, scope).is_empty() {
        return Ok(Held::Verbatim);
    }
    if let Some((held, parts)) = not_verbatim(fragment) {
        let missing = content.missing_parts(parts);
        return if missing.is_empty() {
            Ok(held)
        } else {
            Err(missing.join("; "))
        };
    }
    Err(explain_missing(content, fragment, scope))
}

/// Says where a fragment missing from its section does occur, to help find the mistake.
fn explain_missing(content: &Content, fragment: &str, scope: &Scope) -> String {
    if let Some(elsewhere) = content.verbatim(fragment, &Scope::default()).first() {
        return format!(
            "found only outside its section {:?}, at {}",
            scope.0, elsewhere.place
        );
    }
    let within: Vec<String> = content
        .entries
        .iter()
        .filter(|entry| entry.text.contains(fragment))
        .map(|entry| format!("{} «{}»", entry.place, entry.text))
        .collect();
    if within.is_empty() {
        "not in content".to_string()
    } else {
        format!("only inside a longer text: {}", within.join(", "))
    }
}

/// For a table row or a marked line: why its pieces are not values of one mapping carrying
/// its mark, or `None` if they are.
fn find_together(content: &Content, line: &Line, scope: &Scope) -> Option<String> {
    let mut owners: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for entry in content.entries.iter().filter(|e| scope.contains(&e.place)) {
        owners.entry(&entry.owner).or_default().push(entry);
    }
    let holds_line = |entries: &Vec<&Entry>| {
        line.pieces.iter().all(|piece| {
            entries.iter().any(|entry| {
                entry.text == *piece && (line.mark.is_none() || entry.mark.as_deref() == line.mark)
            })
        })
    };
    if owners.values().any(holds_line) {
        return None;
    }
    Some(format!(
        "no mapping in {:?} holds all of {:?} with mark {}",
        scope.0,
        line.pieces,
        line.mark.unwrap_or("(none)")
    ))
}

/// One line per count that differs from its expected value: (what, actual, expected).
fn count_mismatches(counts: &[(&str, usize, usize)]) -> Vec<String> {
    counts
        .iter()
        .filter(|(_, actual, expected)| actual != expected)
        .map(|(what, actual, expected)| format!("{what}: {actual}, expected {expected}"))
        .collect()
}

fn failure_report(title: &str, failures: &[String]) -> String {
    format!("{title} ({}):\n  {}", failures.len(), failures.join("\n  "))
}

#[test]
fn every_source_fragment_is_in_its_section_of_the_content() {
    let content = load_content();
    let lines = source_lines();
    let scopes = assign_scopes(&lines, &content);
    let mut failures = Vec::new();
    let mut needed = BTreeSet::new();
    for (line, scope) in lines.iter().zip(&scopes) {
        for fragment in &line.pieces {
            match find_fragment(&content, fragment, scope) {
                Ok(Held::Verbatim) => {}
                Ok(Held::Split | Held::Gap) => {
                    needed.insert(fragment.as_str());
                }
                Err(why) => failures.push(format!("{SOURCE}:{}: «{fragment}»: {why}", line.number)),
            }
        }
    }
    for (list, entries) in [
        ("EXPECTED_SPLITS", EXPECTED_SPLITS),
        ("KNOWN_GAPS", KNOWN_GAPS),
    ] {
        let unneeded = entries
            .iter()
            .filter(|(source, _)| !needed.contains(source));
        failures.extend(
            unneeded.map(|(source, _)| {
                format!("{list} entry «{source}» is no longer needed: delete it")
            }),
        );
    }
    let checked: usize = lines.iter().map(|line| line.pieces.len()).sum();
    assert!(
        failures.is_empty(),
        "{}",
        failure_report(&format!("of {checked} source fragments"), &failures)
    );
}

#[test]
fn table_rows_and_marked_lines_stay_together_with_their_mark() {
    let content = load_content();
    let lines = source_lines();
    let scopes = assign_scopes(&lines, &content);
    let mut failures = Vec::new();
    for (line, scope) in lines.iter().zip(&scopes) {
        if line.kind != Kind::TableRow && line.mark.is_none() {
            continue;
        }
        if let Some(why) = find_together(&content, line, scope) {
            failures.push(format!("{SOURCE}:{}: {why}", line.number));
        }
    }
    assert!(
        failures.is_empty(),
        "{}",
        failure_report("rows or marked lines split apart", &failures)
    );
}

#[test]
fn source_is_cut_into_every_fragment() {
    // Counted independently of the cutting code (grep and a throwaway script on the fixture),
    // so a cutting mistake cannot quietly make the checks above see less of the source.
    let lines = source_lines();
    let count = |keep: fn(&Line) -> bool| lines.iter().filter(|line| keep(line)).count();
    let fragments: usize = lines.iter().map(|line| line.pieces.len()).sum();
    let counts = [
        (
            "headings",
            count(|l| matches!(l.kind, Kind::Heading(_))),
            50,
        ),
        ("table headers", count(|l| l.kind == Kind::TableHeader), 3),
        ("table rows", count(|l| l.kind == Kind::TableRow), 16),
        ("marked lines", count(|l| l.mark.is_some()), 48),
        ("--- rules", count(|l| l.kind == Kind::Rule), 19),
        ("fragments", fragments, 302),
    ];
    let mut failures = count_mismatches(&counts);
    // No Markdown syntax or mark may be left inside a fragment.
    let leftovers = ["**", "|", "#", "- [", "```", "✅", "⚠️", "❌"];
    for line in &lines {
        for piece in &line.pieces {
            let left: Vec<&str> = leftovers
                .into_iter()
                .filter(|s| piece.contains(s))
                .collect();
            if !left.is_empty() || piece.starts_with("- ") || piece.starts_with('"') {
                failures.push(format!("{SOURCE}:{}: «{piece}» keeps syntax", line.number));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}",
        failure_report("source cutting", &failures)
    );
}

/// The elements of a YAML list (none if it is not one).
fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// The total number of `key` elements over a list of groups.
fn items_over_groups(groups: &Value, key: &str) -> usize {
    list(groups)
        .iter()
        .map(|group| list(&group[key]).len())
        .sum()
}

#[test]
fn framework_has_the_expected_number_of_items() {
    let framework = load_framework();
    let red_line_items: Vec<&Value> = list(&framework["red_lines"])
        .iter()
        .flat_map(|group| list(&group["items"]))
        .collect();
    let judged = red_line_items.iter().filter(|item| !item["when"].is_null());
    let pages = load_content().pages.len();
    let counts = [
        (
            "questions",
            items_over_groups(&framework["questions"], "items"),
            12,
        ),
        (
            "checklist items",
            items_over_groups(&framework["checklist"], "items"),
            18,
        ),
        ("judged red lines", judged.count(), 7),
        (
            "stance-only red lines",
            red_line_items
                .iter()
                .filter(|item| item["when"].is_null())
                .count(),
            1,
        ),
        (
            "decision-matrix rows",
            list(&framework["decision_matrix"]["rows"]).len(),
            8,
        ),
        (
            "deal breakers",
            list(&framework["preconditions"]["deal_breakers"]["rules"]).len(),
            4,
        ),
        (
            "bonus conditions",
            list(&framework["preconditions"]["bonus"]["items"]).len(),
            4,
        ),
        ("directions", list(&framework["directions"]).len(), 5),
        ("Go conditions", list(&framework["go"]["rules"]).len(), 6),
        (
            "No-Go conditions",
            list(&framework["no_go"]["rules"]).len(),
            5,
        ),
        ("phases", list(&framework["phases"]).len(), 3),
        (
            "action items",
            items_over_groups(&framework["actions"], "items"),
            10,
        ),
        ("pages", pages, 13),
    ];
    let failures = count_mismatches(&counts);
    assert!(
        failures.is_empty(),
        "{}",
        failure_report("framework.yaml counts", &failures)
    );
}
