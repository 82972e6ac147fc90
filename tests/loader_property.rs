//! The stable-Rust stand-in for `fuzz/` in CI: thousands of generated proposal texts, built
//! from the pieces YAML and our format are made of, go through the loader. Every one either
//! loads, is judged and renders as text and JSON, or fails with problems that each name the
//! file and a real line; none panics.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use common::cases;
use proptest::prelude::*;

use dealbook::content::{ContentDir, load_framework_of};
use dealbook::judge::judge;
use dealbook::model::framework::Framework;
use dealbook::model::proposal_load::parse_proposal;
use dealbook::render::{eval_json, eval_text};

fn framework() -> &'static Framework {
    static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| {
        load_framework_of(&ContentDir::new(common::repo().join("content")))
            .expect("the shipped framework loads")
    })
}

/// One line of a would-be proposal: a key (real, misspelt or odd) at some indentation, and a
/// value (right, wrong or hostile).
fn line() -> impl Strategy<Value = String> {
    let indent = prop::sample::select(vec!["", "", "  ", "    ", "\t", " ", "- ", "  - "]);
    let key = prop::sample::select(vec![
        "vendor",
        "title",
        "meeting",
        "date",
        "phase",
        "attendees",
        "notes",
        "directions",
        "terms",
        "poc",
        "migration",
        "bonus",
        "answers",
        "checklist",
        "cost_reduction_pct",
        "exclusive",
        "latency_s",
        "person_weeks",
        "tech.latency",
        "materials.sla",
        "vendr",
        "? complex",
        "<<",
        "\"quoted key\"",
        "[1, 2]",
        "",
    ]);
    let value = prop::sample::select(vec![
        "",
        " 阿里云",
        " 2026-01-20",
        " 2026-02-30",
        " 2026-1-5",
        " true",
        " no",
        " null",
        " ~",
        " 42",
        " -1",
        " 1e400",
        " .nan",
        " 0x1F",
        " [compute, joint_solution]",
        " [",
        " {a: 1",
        " &anchor x",
        " *anchor",
        " *nowhere",
        " !!binary aGk=",
        " !custom x",
        " |",
        " >-",
        " 'single",
        " \"double",
        " \"\\u202E\\x00\\t\"",
        " 👩‍💻🚀",
        " <script>alert(1)</script>",
        " # comment",
        " %YAML 1.2",
        " ---",
        " ...",
    ]);
    (indent, key, value).prop_map(|(indent, key, value)| format!("{indent}{key}:{value}"))
}

/// A real proposal (the shipped pilot) with up to three of its lines replaced.
fn edited_pilot() -> impl Strategy<Value = String> {
    let pilot = include_str!("../content/proposals/2026-03-18-aliyun-pilot.yaml");
    let lines: Vec<&'static str> = pilot.lines().collect();
    let count = lines.len();
    prop::collection::vec((0..count, line()), 0..4).prop_map(move |edits| {
        let mut edited: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        for (at, line) in edits {
            edited[at] = line;
        }
        edited.join("\n")
    })
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(line(), 0..24).prop_map(|lines| lines.join("\n")),
        4 => edited_pilot(),
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(10_000),
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_text_loads_or_is_explained_never_panics(text in text()) {
        let fw = framework();
        match parse_proposal(Path::new("p.yaml"), &text, fw) {
            Ok(proposal) => {
                let judgement = judge(fw, &proposal);
                prop_assert!(!eval_text::render(&judgement).is_empty());
                let json: serde_json::Value = serde_json::from_str(&eval_json::render(&judgement, &proposal.warnings))
                    .expect("eval JSON parses");
                prop_assert!(json["verdict"].is_string());
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                let lines = text.lines().count().max(1) as u32 + 1;
                for problem in &problems {
                    let shown = problem.to_string();
                    prop_assert!(shown.starts_with("p.yaml"), "{}", shown);
                    prop_assert!(shown.contains("错误："), "{}", shown);
                    if let Some(pos) = problem.pos {
                        prop_assert!(pos.line >= 1 && pos.line <= lines, "{} of {} lines", shown, lines);
                    }
                }
            }
        }
    }
}
