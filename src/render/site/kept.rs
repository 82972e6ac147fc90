//! Report pages carried over from the previous build. A report page is made from the framework,
//! its proposal and date, the previous meeting with the same vendor, the theme and the page
//! frame (site settings, navigation); the build records a hash of those for every report page,
//! with what the site needs of a page once it is written: its length and SHA-256, its search
//! text, its ids and links, and its verdict and directions for the meetings page. When the hash
//! is unchanged and the file is still the one written, the previous file is kept and its record
//! stands in for the page (the proposal is not even judged), so a build after one new meeting
//! renders one report page, not all of them. The bytes are the ones a fresh build would make.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::links::{PageLinks, forget_interned};
use crate::judge::judgement::{Judgement, Verdict};
use crate::report_cache::{hex, kept_file, previous_record};

/// The record of a build's report pages, inside the output folder.
pub const RECORD: &str = ".dealbook-pages";

/// What is recorded of one report page.
#[derive(Serialize, Deserialize)]
pub struct PageRecord<'a> {
    /// The hash of everything the page is made from.
    pub key: Cow<'a, str>,
    /// The page's length in bytes and the SHA-256 of its bytes (hex): a page changed in the
    /// output since is made again.
    pub bytes: u64,
    pub sha256: Cow<'a, str>,
    /// The page's text for the search index.
    pub search: Cow<'a, str>,
    /// Its ids and internal links, for the link check.
    pub links: Cow<'a, PageLinks>,
    /// What the meetings page shows of its judgement, so a kept report needs none.
    pub outcome: Outcome,
}

/// The verdict and the proposed directions of a report, for its row on the meetings page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub verdict: Verdict,
    pub directions: Vec<String>,
}

impl Outcome {
    pub fn of(judgement: &Judgement<'_>) -> Outcome {
        Outcome {
            verdict: judgement.verdict,
            directions: judgement
                .directions
                .iter()
                .map(|d| d.title.to_string())
                .collect(),
        }
    }
}

/// The report pages the previous build left in the output folder, by path.
pub struct PreviousPages {
    output: PathBuf,
    records: HashMap<String, PageRecord<'static>>,
}

impl PreviousPages {
    /// The record of the build in `output`, if it is one of ours and can be read; else
    /// nothing to keep.
    pub fn open(output: &Path) -> PreviousPages {
        let records = previous_record(output, RECORD)
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        forget_interned();
        PreviousPages {
            output: output.to_path_buf(),
            records,
        }
    }

    /// Nothing to keep: every page is made.
    pub fn none() -> PreviousPages {
        PreviousPages {
            output: PathBuf::new(),
            records: HashMap::new(),
        }
    }

    /// Takes the record of page `path` when it was made with `key`.
    pub fn take(&mut self, path: &str, key: &str) -> Option<PageRecord<'static>> {
        let record = self.records.remove(path)?;
        (record.key == key).then_some(record)
    }

    /// Whether the previous page at `path` is still the file `record` describes: a regular
    /// file (not a link) with the same length and bytes.
    pub fn still_there(&self, path: &str, record: &PageRecord<'_>) -> bool {
        let file = self.output.join(path);
        kept_file(&file).is_some_and(|m| m.len() == record.bytes)
            && std::fs::read(&file).is_ok_and(|bytes| sha256_hex(&bytes) == record.sha256)
    }
}

/// Writes the record file: every report page's record, by path (sorted, so the bytes depend on
/// the sources only).
pub fn write_records<'a>(
    pages: impl Iterator<Item = (&'a str, PageRecord<'a>)>,
    to: &mut dyn Write,
) -> std::io::Result<()> {
    let pages: BTreeMap<&str, PageRecord<'_>> = pages.collect();
    serde_json::to_writer(to, &pages).map_err(std::io::Error::other)
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::MARKER;

    fn record_json<'a>(pages: impl Iterator<Item = (&'a str, PageRecord<'a>)>) -> Vec<u8> {
        let mut json = Vec::new();
        write_records(pages, &mut json).unwrap();
        json
    }

    fn record(key: &str, page: &str) -> PageRecord<'static> {
        PageRecord {
            key: Cow::Owned(key.into()),
            bytes: page.len() as u64,
            sha256: Cow::Owned(sha256_hex(page.as_bytes())),
            search: Cow::Owned("结论：待定\n阿里云".into()),
            links: Cow::Owned(PageLinks::of(
                r#"<h2 id="a"></h2><a href="../index.html">i</a>"#,
            )),
            outcome: Outcome {
                verdict: Verdict::Pending,
                directions: vec!["联合方案".into()],
            },
        }
    }

    /// An output folder of ours holding `pages` (path, text) and a record of each as written.
    fn output(name: &str, pages: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dealbook-kept-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("reports")).unwrap();
        for (path, text) in pages {
            std::fs::write(dir.join(path), text).unwrap();
        }
        let json = record_json(pages.iter().map(|(path, text)| (*path, record("k", text))));
        std::fs::write(dir.join(RECORD), &json).unwrap();
        std::fs::write(dir.join(MARKER), "").unwrap();
        dir
    }

    /// Whether the previous build's page at `path` would be kept with key `key`.
    fn kept(dir: &Path, path: &str, key: &str) -> bool {
        let mut previous = PreviousPages::open(dir);
        previous
            .take(path, key)
            .is_some_and(|record| previous.still_there(path, &record))
    }

    #[test]
    fn keeps_only_an_unchanged_page_of_our_own_build() {
        let dir = output(
            "same",
            &[
                ("reports/a.html", "<p>a</p>"),
                ("reports/b.html", "<p>b</p>"),
            ],
        );
        assert!(kept(&dir, "reports/a.html", "k"));
        assert!(!kept(&dir, "reports/a.html", "k0"), "another key");
        assert!(!kept(&dir, "reports/c.html", "k"), "never made");
        let mut previous = PreviousPages::open(&dir);
        let a = previous.take("reports/a.html", "k").unwrap();
        assert_eq!(a.search, "结论：待定\n阿里云");
        assert!(a.links.ids.contains("a") && a.links.links.contains("../index.html"));
        assert_eq!(a.outcome.verdict, Verdict::Pending);
        assert_eq!(a.outcome.directions, ["联合方案"]);

        // Changed in the output, even to the same length: made again.
        std::fs::write(dir.join("reports/b.html"), "<p>B</p>").unwrap();
        assert!(!kept(&dir, "reports/b.html", "k"));
        std::fs::write(dir.join("reports/a.html"), "<p>a</p>\n").unwrap();
        assert!(!kept(&dir, "reports/a.html", "k"));
        std::fs::remove_dir_all(dir).unwrap();

        // Not ours without the marker.
        let dir = output("marker", &[("reports/a.html", "<p>a</p>")]);
        std::fs::remove_file(dir.join(MARKER)).unwrap();
        assert!(!kept(&dir, "reports/a.html", "k"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn links_in_the_previous_output_are_never_followed() {
        use std::os::unix::fs::symlink;
        // A page that is a link to a file outside, with a record forged to match it.
        let outside = std::env::temp_dir().join(format!("dealbook-outside-{}", std::process::id()));
        std::fs::write(&outside, "<p>a</p>").unwrap();
        let dir = output("link", &[("reports/a.html", "<p>a</p>")]);
        std::fs::remove_file(dir.join("reports/a.html")).unwrap();
        symlink(&outside, dir.join("reports/a.html")).unwrap();
        assert!(!kept(&dir, "reports/a.html", "k"), "a linked page");
        std::fs::remove_dir_all(dir).unwrap();

        // A linked reports folder.
        let elsewhere = output("elsewhere", &[("reports/a.html", "<p>a</p>")]);
        let dir = output("folder", &[("reports/a.html", "<p>a</p>")]);
        std::fs::remove_dir_all(dir.join("reports")).unwrap();
        symlink(elsewhere.join("reports"), dir.join("reports")).unwrap();
        assert!(!kept(&dir, "reports/a.html", "k"), "a linked folder");
        std::fs::remove_dir_all(dir).unwrap();

        // A record that is a link to something endless.
        let dir = output("record", &[("reports/a.html", "<p>a</p>")]);
        std::fs::remove_file(dir.join(RECORD)).unwrap();
        symlink("/dev/zero", dir.join(RECORD)).unwrap();
        assert!(!kept(&dir, "reports/a.html", "k"), "a linked record");
        for d in [dir, elsewhere] {
            std::fs::remove_dir_all(d).unwrap();
        }
        std::fs::remove_file(outside).unwrap();
    }

    #[test]
    fn an_unreadable_record_keeps_nothing() {
        let dir = output("bad", &[("reports/a.html", "<p>a</p>")]);
        std::fs::write(dir.join(RECORD), "{\"reports/a.html\": {\"key\": 3}}").unwrap();
        assert!(!kept(&dir, "reports/a.html", "3"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_record_is_sorted_by_path() {
        let json = record_json(
            [
                ("reports/b.html", record("k", "b")),
                ("reports/a.html", record("k", "a")),
            ]
            .into_iter(),
        );
        let text = String::from_utf8(json).unwrap();
        let (a, b) = (text.find("reports/a.html"), text.find("reports/b.html"));
        assert!(a.unwrap() < b.unwrap(), "{text}");
    }
}
