//! Any text given to the proposal loader: it must report problems, never panic. A proposal
//! that loads is judged and rendered as text and JSON, which must not panic either.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use dealbook::content::{ContentDir, load_framework_of};
use dealbook::model::framework::Framework;
use dealbook::model::proposal_load::parse_proposal;
use dealbook::render::{eval_json, eval_text};
use libfuzzer_sys::fuzz_target;

/// The shipped framework, loaded once per process.
fn framework() -> &'static Framework {
    static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| {
        let dir = ContentDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../content"));
        match load_framework_of(&dir) {
            Ok(framework) => framework,
            Err(problems) => {
                // A harness problem, not a finding: the shipped content must load.
                for p in &problems {
                    eprintln!("{p}");
                }
                std::process::abort();
            }
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let framework = framework();
    match parse_proposal(Path::new("fuzz.yaml"), text, framework) {
        Ok(proposal) => {
            let judgement = dealbook::judge::judge(framework, &proposal);
            let text = eval_text::render(&judgement);
            assert!(!text.is_empty());
            let json = eval_json::render(&judgement);
            assert!(!json.is_empty());
        }
        Err(problems) => {
            // Every failure names at least one problem; printing them must not panic.
            assert!(!problems.is_empty(), "parse_proposal failed without a problem");
            for p in &problems {
                let _ = p.to_string();
            }
        }
    }
});
