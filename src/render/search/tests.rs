//! Tests of the whole index: its format, its escaping, and queries answered from it as
//! `search.js` answers them.

use std::collections::BTreeSet;

use serde_json::Value;

use super::terms::{Run, normalize, runs};
use super::*;

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
    for run in runs(q) {
        // The text to confirm, the terms to look up, and whether the text is a phrase.
        let (unit, terms, phrase) = match run {
            Run::Cjk(chars) => {
                let unit: String = chars.iter().collect();
                let terms = match chars.len() {
                    1 => vec![unit.clone()],
                    _ => chars.windows(2).map(|w| w.iter().collect()).collect(),
                };
                (unit, terms, true)
            }
            Run::Word(word) => (word.clone(), vec![word], false),
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
            .filter(|&p| !phrase || paragraphs[p as usize].contains(&unit))
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

/// The index of the fixture, byte for byte as the first implementation wrote it: any change
/// to the format or the terms shows here.
#[test]
fn the_index_is_the_same_bytes_as_before() {
    let golden = include_str!("../../../tests/fixtures/search/fixture-index.js");
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
        let mut text: Vec<String> = crate::render::text_blocks::markdown_to_blocks(&page.body)
            .iter()
            .flat_map(|b| b.texts())
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
