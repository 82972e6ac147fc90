//! The user documentation in `docs/` stays true: its table of facts is what
//! `content/framework.yaml` declares, its table of rules is what the framework holds and what
//! `dealbook eval` reports, its JSON example is what `eval` prints, and it links only to files
//! of this repository.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::repo;

/// The documents `docs/` must hold.
const DOCS: [&str; 4] = [
    "proposal-format.md",
    "framework-format.md",
    "eval-json.md",
    "theme.md",
];

const FACTS_HEADER: &str = "| 事实键 | 类型和范围 | 单位 | 标签 | 含义 |";
const RULES_HEADER: &str = "| id | 分组 | 标签 | 条件 |";

fn read(relative: &str) -> String {
    let path = repo().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn framework() -> Value {
    serde_saphyr::from_str(&read("content/framework.yaml"))
        .unwrap_or_else(|e| panic!("content/framework.yaml does not parse: {e}"))
}

fn dealbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("binary runs")
}

/// `dealbook eval FILE --format json`, which must succeed.
fn eval_json(file: &str) -> Value {
    let o = dealbook(&["eval", file, "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "eval {file}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("eval {file} prints JSON: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Markdown tables

/// The cells of the rows of the table whose header line is `header` (one such table).
fn table(doc: &str, header: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = doc.lines().collect();
    let at: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim() == header)
        .collect();
    assert_eq!(at.len(), 1, "one table headed {header}");
    let separator = lines.get(at[0] + 1).copied().unwrap_or("");
    assert!(separator.starts_with("|---"), "{header} has its separator");
    let columns = header.matches('|').count() - 1;
    let rows: Vec<Vec<String>> = lines[at[0] + 2..]
        .iter()
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let inner = l.trim().trim_start_matches('|').trim_end_matches('|');
            let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
            assert_eq!(cells.len(), columns, "{columns} cells in {l}");
            cells
        })
        .collect();
    assert!(!rows.is_empty(), "the table headed {header} has rows");
    rows
}

/// The text of a cell that is one code span: "`terms.exclusive`" → "terms.exclusive".
fn code(cell: &str) -> &str {
    cell.strip_prefix('`')
        .and_then(|c| c.strip_suffix('`'))
        .filter(|c| !c.contains('`'))
        .unwrap_or_else(|| panic!("cell {cell} is one code span"))
}

// ---------------------------------------------------------------------------------------------
// (a) The facts table of proposal-format.md

/// What the docs say of a fact, and what `fields:` declares.
#[derive(Debug, PartialEq)]
struct Fact {
    ty: String,
    min: Option<f64>,
    max: Option<f64>,
    warn_above: Option<f64>,
    unit: Option<String>,
    label: String,
}

fn number(text: &str) -> f64 {
    text.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{text} is a number: {e}"))
}

/// "`number`，0 到 3600；超过 60 时提醒" → the type, its range and its warning line.
fn type_and_range(cell: &str) -> (String, Option<f64>, Option<f64>, Option<f64>) {
    let (ty, rest) = ["bool", "number"]
        .iter()
        .find_map(|ty| Some((ty.to_string(), cell.strip_prefix(&format!("`{ty}`"))?)))
        .unwrap_or_else(|| panic!("{cell} starts with `bool` or `number`"));
    let (mut min, mut max, mut warn) = (None, None, None);
    for part in rest.split(['，', '；']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        if let Some((low, high)) = part.split_once(" 到 ") {
            (min, max) = (Some(number(low)), Some(number(high)));
        } else if let Some(low) = part.strip_prefix("≥ ") {
            min = Some(number(low));
        } else if let Some(high) = part.strip_prefix("≤ ") {
            max = Some(number(high));
        } else if let Some(w) = part
            .strip_prefix("超过 ")
            .and_then(|p| p.strip_suffix(" 时提醒"))
        {
            warn = Some(number(w));
        } else {
            panic!("cannot read “{part}” of {cell}");
        }
    }
    (ty, min, max, warn)
}

fn documented_facts() -> BTreeMap<String, Fact> {
    let mut facts = BTreeMap::new();
    for row in table(&read("docs/proposal-format.md"), FACTS_HEADER) {
        let (ty, min, max, warn_above) = type_and_range(&row[1]);
        let unit = match row[2].as_str() {
            "—" => None,
            cell => Some(code(cell).to_string()),
        };
        let fact = Fact {
            ty,
            min,
            max,
            warn_above,
            unit,
            label: row[3].clone(),
        };
        let key = code(&row[0]).to_string();
        assert!(
            facts.insert(key.clone(), fact).is_none(),
            "{key} listed once"
        );
    }
    facts
}

fn declared_facts(framework: &Value) -> BTreeMap<String, Fact> {
    let fields = framework["fields"]
        .as_object()
        .expect("framework.yaml has a fields: mapping");
    let bound = |field: &Value, key: &str| field.get(key).map(|v| v.as_f64().expect("a number"));
    fields
        .iter()
        .filter_map(|(key, field)| {
            let ty = field.get("type")?.as_str().expect("type is a text");
            Some((
                key.clone(),
                Fact {
                    ty: ty.to_string(),
                    min: bound(field, "min"),
                    max: bound(field, "max"),
                    warn_above: bound(field, "warn_above"),
                    unit: field.get("unit").map(|u| u.as_str().unwrap().to_string()),
                    label: field["label"].as_str().expect("a label").to_string(),
                },
            ))
        })
        .collect()
}

#[test]
fn the_facts_table_is_what_fields_declares() {
    let declared = declared_facts(&framework());
    assert!(
        declared.len() > 10,
        "the shipped framework declares its facts"
    );
    let documented = documented_facts();
    let keys = |m: &BTreeMap<String, Fact>| m.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(
        keys(&documented),
        keys(&declared),
        "docs/proposal-format.md lists exactly the facts of fields:"
    );
    for (key, fact) in &declared {
        assert_eq!(&documented[key], fact, "{key} in docs/proposal-format.md");
    }
}

/// The fenced code blocks of `doc` in the language `lang`, in order.
fn code_blocks(doc: &str, lang: &str) -> Vec<String> {
    let opener = format!("```{lang}\n");
    let mut blocks = Vec::new();
    let mut rest = doc;
    while let Some(at) = rest.find(&opener) {
        rest = &rest[at + opener.len()..];
        let end = rest.find("```").expect("the block ends");
        blocks.push(rest[..end].to_string());
        rest = &rest[end + 3..];
    }
    blocks
}

#[test]
fn the_example_proposals_are_real() {
    let doc = read("docs/proposal-format.md");
    let blocks = code_blocks(&doc, "yaml");
    assert_eq!(blocks.len(), 2, "a complete example and the shortest one");
    let shipped = "content/proposals/2026-02-12-volcengine-contact.yaml";
    assert!(
        doc.contains(&format!("(../{shipped})")),
        "the example names its file"
    );
    assert_eq!(
        blocks[0],
        read(shipped),
        "the complete example is {shipped}"
    );

    // What eval says of it: every line shown (but the "..." of the cut) is a line eval prints.
    let o = dealbook(&["eval", shipped]);
    assert_eq!(o.status.code(), Some(0));
    let printed = String::from_utf8_lossy(&o.stdout).into_owned();
    let printed: BTreeSet<&str> = printed.lines().collect();
    let (_, after) = doc
        .split_once("对它的判定（节选）")
        .expect("the verdict shown");
    let shown = &code_blocks(after, "text")[0];
    assert!(shown.lines().count() > 3, "some of eval's lines are shown");
    for line in shown.lines().filter(|l| *l != "...") {
        assert!(printed.contains(line), "eval {shipped} prints {line}");
    }

    // The shortest proposal is valid.
    let draft =
        std::env::temp_dir().join(format!("dealbook-docs-short-{}.yaml", std::process::id()));
    fs::write(&draft, &blocks[1]).unwrap();
    let o = dealbook(&["eval", draft.to_str().unwrap(), "--format", "json"]);
    fs::remove_file(&draft).unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "the shortest proposal is valid: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// (b) The rules table of framework-format.md

/// Every rule of the framework as `eval` names it, with its group, from `framework.yaml`.
fn framework_rules(fw: &Value) -> BTreeMap<String, String> {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let id = |v: &Value| v["id"].as_str().expect("an id").to_string();
    let mut rules = BTreeMap::new();
    for r in list(&fw["no_go"]["rules"]) {
        rules.insert(format!("no_go.{}", id(&r)), "no_go".to_string());
    }
    for group in list(&fw["red_lines"]) {
        for item in list(&group["items"])
            .iter()
            .filter(|i| i.get("id").is_some())
        {
            rules.insert(format!("red_line.{}", id(item)), "red_line".to_string());
        }
    }
    for r in list(&fw["go"]["rules"]) {
        rules.insert(id(&r), "go".to_string());
    }
    for r in list(&fw["preconditions"]["deal_breakers"]["rules"]) {
        rules.insert(id(&r), "deal_breaker".to_string());
    }
    for d in list(&fw["directions"])
        .iter()
        .filter(|d| d.get("accept").is_some())
    {
        rules.insert(format!("{}.accept", id(d)), "acceptance".to_string());
    }
    for r in list(&fw["preconditions"]["bonus"]["items"]) {
        rules.insert(format!("bonus.{}", id(&r)), "bonus".to_string());
    }
    rules
}

/// The rules table: id → (group, label).
fn documented_rules() -> BTreeMap<String, (String, String)> {
    let mut rules = BTreeMap::new();
    for row in table(&read("docs/framework-format.md"), RULES_HEADER) {
        let id = code(&row[0]).to_string();
        let entry = (code(&row[1]).to_string(), row[2].clone());
        assert!(
            rules.insert(id.clone(), entry).is_none(),
            "{id} listed once"
        );
    }
    rules
}

/// `eval`'s rules as id → (group, label), `{vendor}` written back where the vendor's name is.
fn evaluated_rules(judgement: &Value) -> BTreeMap<String, (String, String)> {
    let vendor = judgement["vendor"].as_str().expect("a vendor");
    judgement["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| {
            let text = |key: &str| r[key].as_str().expect(key).to_string();
            (
                text("id"),
                (text("group"), text("label").replace(vendor, "{vendor}")),
            )
        })
        .collect()
}

#[test]
fn the_rules_table_lists_every_rule_of_the_framework() {
    let documented = documented_rules();
    let groups: BTreeMap<String, String> = documented
        .iter()
        .map(|(id, (group, _))| (id.clone(), group.clone()))
        .collect();
    let declared = framework_rules(&framework());
    assert!(declared.len() > 10, "the shipped framework has its rules");
    assert_eq!(
        groups, declared,
        "docs/framework-format.md lists every rule of framework.yaml with its group"
    );
}

#[test]
fn the_rules_table_names_rules_as_eval_reports_them() {
    let documented = documented_rules();
    // A meeting that proposes only some directions: every rule but the other directions'
    // acceptance conditions.
    let contact = evaluated_rules(&eval_json(
        "content/proposals/2026-01-20-aliyun-contact.yaml",
    ));
    let shown: BTreeSet<&String> = contact.keys().collect();
    let expected: BTreeSet<&String> = documented
        .keys()
        .filter(|id| !id.ends_with(".accept") || contact.contains_key(*id))
        .collect();
    assert_eq!(
        shown, expected,
        "eval of the first meeting reports these ids"
    );

    // Every direction proposed: every rule, with its label as a report shows it.
    let directions: Vec<String> = framework()["directions"]
        .as_array()
        .expect("directions")
        .iter()
        .map(|d| d["id"].as_str().expect("an id").to_string())
        .collect();
    let draft = std::env::temp_dir().join(format!("dealbook-docs-{}.yaml", std::process::id()));
    let text = format!(
        "vendor: 某云厂商\nmeeting: {{ date: 2026-04-01 }}\ndirections: [{}]\n",
        directions.join(", ")
    );
    fs::write(&draft, text).unwrap();
    let every = eval_json(draft.to_str().unwrap());
    fs::remove_file(&draft).unwrap();
    assert_eq!(
        evaluated_rules(&every),
        documented,
        "docs/framework-format.md gives each rule's group and label as eval does"
    );
}

// ---------------------------------------------------------------------------------------------
// The JSON example of eval-json.md

#[test]
fn the_json_example_is_what_eval_prints() {
    let doc = read("docs/eval-json.md");
    let start = doc.find("```json\n").expect("a JSON example") + "```json\n".len();
    let end = start + doc[start..].find("```").expect("the example ends");
    let example: Value = serde_json::from_str(&doc[start..end]).expect("the example is JSON");
    let shown: BTreeSet<&str> = example["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    assert!(!shown.is_empty(), "the example shows some rules");
    let mut real = eval_json("content/proposals/2026-02-05-aliyun-review.yaml");
    real["rules"]
        .as_array_mut()
        .expect("rules")
        .retain(|r| shown.contains(r["id"].as_str().unwrap()));
    assert_eq!(
        example, real,
        "docs/eval-json.md shows eval's output, rules trimmed"
    );
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&example), keys(&real), "in the order eval prints them");
}

// ---------------------------------------------------------------------------------------------
// (c) Links stay inside the repository

/// The Markdown outside fenced code blocks.
fn prose(doc: &str) -> Vec<&str> {
    let mut fenced = false;
    doc.lines()
        .filter(|l| {
            if l.trim_start().starts_with("```") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

/// A heading's anchor as GitHub makes it: lowercase, spaces to `-`, punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(doc: &str) -> BTreeSet<String> {
    prose(doc)
        .into_iter()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|l| anchor(l.trim_start_matches('#').trim()))
        .collect()
}

/// The targets of the links and images of a Markdown text: `[text](target)`, `src="target"`,
/// `href="target"`.
fn link_targets(doc: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for opener in ["](", "src=\"", "href=\""] {
        let close = if opener == "](" { ')' } else { '"' };
        let mut rest = doc;
        while let Some(at) = rest.find(opener) {
            rest = &rest[at + opener.len()..];
            let end = rest.find(close).unwrap_or(rest.len());
            targets.push(rest[..end].trim().to_string());
        }
    }
    targets
}

/// `a/./b/../c` → `a/c`, without touching the disk; `None` when it climbs above the start.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !matches!(parts.last(), Some(Component::Normal(_))) {
                    return None;
                }
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    Some(parts.iter().collect())
}

/// What is wrong with a link to `target` from a document of `docs/` whose text is `doc`.
fn bad_link(doc: &str, target: &str) -> Option<String> {
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| target.starts_with(s))
    {
        return None;
    }
    let (path, fragment) = target.split_once('#').unwrap_or((target, ""));
    if path.is_empty() {
        return (!anchors(doc).contains(fragment)).then(|| format!("no heading #{fragment}"));
    }
    if path.starts_with('/') || path.starts_with('~') || path.contains(':') {
        return Some("not a path inside the repository".into());
    }
    let Some(inside) = normalise(&Path::new("docs").join(path)) else {
        return Some("leads outside the repository".into());
    };
    let file = repo().join(&inside);
    if !file.exists() {
        return Some(format!("{} does not exist", inside.display()));
    }
    if inside.starts_with("shared") {
        return Some("points at shared/".into());
    }
    if !fragment.is_empty() {
        let text = fs::read_to_string(&file).unwrap_or_default();
        if !anchors(&text).contains(fragment) {
            return Some(format!("{} has no heading #{fragment}", inside.display()));
        }
    }
    None
}

/// Absolute paths written anywhere in a text (`/tmp/x.yaml`, `~/notes`, `C:\…`): a document
/// that names one refers to a place outside the repository. A single `/name` is not taken
/// for one (`</span>` in a template, a PDF's `/ID`).
fn absolute_paths(doc: &str) -> Vec<String> {
    doc.split(|c: char| c.is_whitespace() || "`()[]\"'<>，。：（）「」".contains(c))
        .filter(|token| {
            let mut chars = token.chars();
            match (chars.next(), chars.next()) {
                (Some('/'), Some(c)) => {
                    (c.is_alphanumeric() || c == '.') && token[1..].contains('/')
                }
                (Some('~'), Some('/')) => true,
                (Some(c), Some(':')) => c.is_ascii_alphabetic() && token[2..].starts_with('\\'),
                _ => false,
            }
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_docs_link_only_to_files_of_the_repository() {
    let dir = repo().join("docs");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for expected in DOCS {
        assert!(
            names.iter().any(|n| n == expected),
            "docs/{expected} exists"
        );
    }
    let mut checked = 0;
    let mut problems = Vec::new();
    for name in &names {
        let doc = read(&format!("docs/{name}"));
        if doc.contains("shared/") {
            problems.push(format!("docs/{name} refers to shared/"));
        }
        for path in absolute_paths(&doc) {
            problems.push(format!(
                "docs/{name} names a path outside the repository: {path}"
            ));
        }
        let prose = prose(&doc).join("\n");
        for target in link_targets(&prose) {
            checked += 1;
            if let Some(why) = bad_link(&doc, &target) {
                problems.push(format!("docs/{name} links to {target}: {why}"));
            }
        }
    }
    assert!(checked > 10, "the docs' links were found ({checked})");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_link_checks_catch_what_they_look_for() {
    let doc = "# 标题\n\n## fields：格式字段和事实\n";
    assert_eq!(bad_link(doc, "#fields格式字段和事实"), None);
    assert!(bad_link(doc, "#没有这一节").is_some());
    assert_eq!(bad_link(doc, "../content/framework.yaml"), None);
    assert_eq!(bad_link(doc, "https://keats.github.io/tera/"), None);
    for outside in [
        "../../shared/spec/proposal.md",
        "/work/shared/spec/proposal.md",
        "../no-such-file.md",
        "file:///etc/passwd",
        "framework-format.md#没有这一节",
    ] {
        assert!(bad_link(doc, outside).is_some(), "{outside}");
    }
    assert_eq!(
        absolute_paths("用 `--path /tmp/x.yaml` 或 ~/x 或 /work/，不用 a/b、`/`、</span> 和 /ID"),
        ["/tmp/x.yaml", "~/x", "/work/"]
    );
    assert_eq!(
        link_targets("[a](b.md) ![c](d.png) <img src=\"e.png\">"),
        ["b.md", "d.png", "e.png"]
    );
}
