//! Helpers the integration tests share: the repository, fresh temporary folders, and copies of
//! `content/` to change the way a user would.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// The text of a PDF as `pdftotext` reads it with `options` (`.ci/run` installs poppler-utils;
/// a missing tool or an unreadable PDF fails the test).
pub fn pdf_text(pdf: &Path, options: &[&str]) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(options)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is needed (Debian's poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped content as the repository has it, with only its example proposals (the files
/// that announce `# 预期结论：`), copied once per test process: what the tests build and judge,
/// whatever proposals of its own a team has added to `content/proposals/`.
pub fn shipped_content() -> &'static Path {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        sweep_ended_runs();
        let dir = std::env::temp_dir()
            .join(format!("dealbook-shipped-content-{}", std::process::id()))
            .join("content");
        let _ = fs::remove_dir_all(&dir);
        copy_shipped_content(&dir);
        dir
    })
}

/// Copies the shipped content, with only its example proposals, to `to`.
pub fn copy_shipped_content(to: &Path) {
    copy_dir(&repo().join("content"), to);
    for entry in fs::read_dir(to.join("proposals")).unwrap() {
        let path = entry.unwrap().path();
        let example = fs::read_to_string(&path)
            .is_ok_and(|t| t.contains("\n# 预期结论：") || t.starts_with("# 预期结论："));
        if !example {
            fs::remove_file(&path).unwrap();
        }
    }
}

/// A fresh, empty folder named for the test and this process.
pub fn temp(prefix: &str, name: &str) -> PathBuf {
    sweep_ended_runs();
    let dir = std::env::temp_dir().join(format!("dealbook-{prefix}-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The prefixes of the test suites' folders under the temporary folder:
/// `dealbook-PREFIX-…-PID`.
const SUITES: &[&str] = &[
    "pdf",
    "site",
    "safe",
    "cli",
    "serve",
    "injection",
    "hostile",
    "other",
    "shipped",
];

/// Removes the temporary folders of test processes that have ended, once per process.
/// Fixtures shared by a whole test binary (the shipped build, built once) have no test to
/// remove them; each run clears what earlier runs left instead. Only on systems with
/// `/proc`, where an ended process is known; a running one's folders are never touched.
pub fn sweep_ended_runs() {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| {
        let proc = Path::new("/proc");
        if !proc.join("self").exists() {
            return;
        }
        let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = SUITES
                .iter()
                .any(|suite| name.starts_with(&format!("dealbook-{suite}-")));
            let pid = name.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
            if let Some(pid) = pid.filter(|_| ours)
                && pid != std::process::id()
                && !proc.join(pid.to_string()).exists()
            {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    });
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, sorted, as paths relative to it.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                files.push(path.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

/// The sha256 of a whole tree: every file's relative path and bytes, in sorted order.
pub fn tree_hash(dir: &Path) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for file in files_under(dir) {
        let bytes = fs::read(dir.join(&file)).unwrap();
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Property-test cases: `PROPTEST_CASES` when set (a longer run by hand), else `default`
/// (what CI runs).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
