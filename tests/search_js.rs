//! Runs the search script's own tests (`tests/search_js_test.mjs`) under Node: the JS splits
//! text exactly like the Rust index, finds Chinese queries, and keeps vendor text as text.

use std::path::Path;
use std::process::Command;

#[test]
fn search_script_passes_its_node_tests() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("node")
        .arg(repo.join("tests/search_js_test.mjs"))
        .current_dir(repo)
        .output()
        .expect("node is needed for the search script's tests (Node 20 is on the machine)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("passed"), "{text}");
}
