//! The built site in a real browser: builds the shipped content with the real binary, then runs
//! `node tests/browser/run.mjs SITE SHOTS` (Debian's Chromium driven by playwright-core, axe-core
//! and the Nu Html Checker; see that file for the checks). Never skipped: a missing tool fails.
//!
//! Setup: `scripts/test.sh` installs what it needs (`npm ci --prefix tests/browser`, and
//! Debian's chromium and default-jre-headless where missing). Screenshots land in
//! `target/tmp/browser-shots/`.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

mod common;
use common::repo;

const SETUP: &str = "run scripts/test.sh, which installs them (npm ci --prefix tests/browser; apt-get install chromium default-jre-headless)";

/// The whole browser run (run.mjs stops itself at 150 s; this is the backstop).
const NODE_LIMIT: Duration = Duration::from_secs(180);
const BUILD_LIMIT: Duration = Duration::from_secs(120);

/// Runs `cmd` to its end or until `limit` (then kills it), collecting both outputs.
/// `None` for the status means it was killed at the limit.
fn run_bounded(mut cmd: Command, limit: Duration) -> (Option<ExitStatus>, String, String) {
    let what = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} does not start: {e}\n{SETUP}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("child status") {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(100));
    };
    (status, out.join().unwrap(), err.join().unwrap())
}

fn fresh(dir: PathBuf) -> PathBuf {
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn site_passes_the_browser_checks() {
    let browser = repo().join("tests/browser");
    assert!(
        browser.join("node_modules").is_dir(),
        "tests/browser/node_modules is missing: {SETUP}"
    );

    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let work = fresh(tmp.join(format!("browser-{}", std::process::id())));
    let site = work.join("site");
    let shots = fresh(tmp.join("browser-shots"));

    let mut build = Command::new(env!("CARGO_BIN_EXE_dealbook"));
    build
        .args(["build", "--font", "builtin", "--content"])
        .arg(common::shipped_content())
        .arg("--output")
        .arg(&site)
        .current_dir(repo());
    let (status, out, err) = run_bounded(build, BUILD_LIMIT);
    assert!(
        status.is_some_and(|s| s.success()),
        "dealbook build failed ({status:?}):\n{out}{err}"
    );

    let mut node = Command::new("node");
    node.arg(browser.join("run.mjs"))
        .arg(&site)
        .arg(&shots)
        .current_dir(repo());
    let (status, out, err) = run_bounded(node, NODE_LIMIT);
    println!("{out}");
    eprintln!("{err}");
    match status {
        None => panic!("node tests/browser/run.mjs took longer than {NODE_LIMIT:?}; killed"),
        Some(s) => assert!(
            s.success(),
            "node tests/browser/run.mjs failed ({s}); its output is above.\n{}",
            out.lines()
                .filter(|l| l.starts_with("FAIL") || l.starts_with("browser:"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
    let _ = fs::remove_dir_all(&work);
}
