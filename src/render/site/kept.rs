//! Report pages carried over from the previous build. A report page is made from the framework,
//! its proposal and date, the previous meeting with the same vendor, the theme and the page
//! frame (site settings, navigation); the build records a hash of those for every report page,
//! with what the site needs of a page once it is written: its length, its search text and its
//! ids and links. When the hash is unchanged and the file is as it was written, the previous
//! file is kept and its record stands in for the page, so a build after one new meeting renders
//! one report page, not all of them. The bytes are the ones a fresh build would make.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::links::PageLinks;
use crate::report_cache::previous_record;

/// The record of a build's report pages, inside the output folder.
pub const RECORD: &str = ".dealbook-pages";

/// What is recorded of one report page.
#[derive(Serialize, Deserialize)]
pub struct PageRecord<'a> {
    /// The hash of everything the page is made from.
    pub key: Cow<'a, str>,
    /// The page's length in bytes: a page edited or cut short since is made again.
    pub bytes: u64,
    /// The page's text for the search index.
    pub search: Cow<'a, str>,
    /// Its ids and internal links, for the link check.
    pub links: Cow<'a, PageLinks>,
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

    /// Whether the previous page at `path` is still the file `record` describes.
    pub fn still_there(&self, path: &str, record: &PageRecord<'_>) -> bool {
        std::fs::metadata(self.output.join(path))
            .is_ok_and(|m| m.is_file() && m.len() == record.bytes)
    }
}

/// Writes the record file: every report page's record, by path (sorted, so the bytes depend on
/// the sources only).
pub fn write_records<'a>(
    pages: impl Iterator<Item = (&'a str, PageRecord<'a>)>,
    to: &mut dyn Write,
) -> std::io::Result<()> {
    let pages: BTreeMap<&str, PageRecord<'_>> = pages.collect();
    serde_json::to_writer(BufWriter::new(to), &pages).map_err(std::io::Error::other)
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

    fn record(key: &str, bytes: u64) -> PageRecord<'static> {
        PageRecord {
            key: Cow::Owned(key.into()),
            bytes,
            search: Cow::Owned("结论：待定\n阿里云".into()),
            links: Cow::Owned(PageLinks::of(
                r#"<h2 id="a"></h2><a href="../index.html">i</a>"#,
            )),
        }
    }

    #[test]
    fn keeps_only_an_unchanged_page_of_our_own_build() {
        let dir = std::env::temp_dir().join(format!("dealbook-kept-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("reports")).unwrap();
        std::fs::write(dir.join("reports/a.html"), "<p>a</p>").unwrap();
        std::fs::write(dir.join("reports/b.html"), "<p>b, edited by hand</p>").unwrap();
        let json = record_json(
            [
                ("reports/a.html", record("k1", 8)),
                ("reports/b.html", record("k2", 8)),
            ]
            .into_iter(),
        );
        std::fs::write(dir.join(RECORD), &json).unwrap();
        // Not ours without the marker.
        assert!(
            PreviousPages::open(&dir)
                .take("reports/a.html", "k1")
                .is_none()
        );

        std::fs::write(dir.join(MARKER), "").unwrap();
        let mut previous = PreviousPages::open(&dir);
        assert!(
            previous.take("reports/a.html", "k0").is_none(),
            "another key"
        );
        let mut previous_again = PreviousPages::open(&dir);
        let a = previous_again
            .take("reports/a.html", "k1")
            .expect("the same key");
        assert!(previous_again.still_there("reports/a.html", &a));
        assert_eq!(a.search, "结论：待定\n阿里云");
        assert!(a.links.ids.contains("a") && a.links.links.contains("../index.html"));
        let b = previous.take("reports/b.html", "k2").expect("the same key");
        assert!(
            !previous.still_there("reports/b.html", &b),
            "its length changed"
        );
        assert!(
            previous.take("reports/c.html", "k1").is_none(),
            "never made"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn an_unreadable_record_keeps_nothing() {
        let dir = std::env::temp_dir().join(format!("dealbook-kept-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(MARKER), "").unwrap();
        std::fs::write(dir.join(RECORD), "{\"reports/a.html\": {\"key\": 3}}").unwrap();
        assert!(
            PreviousPages::open(&dir)
                .take("reports/a.html", "3")
                .is_none()
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_record_is_sorted_by_path() {
        let json = record_json(
            [
                ("reports/b.html", record("k", 1)),
                ("reports/a.html", record("k", 1)),
            ]
            .into_iter(),
        );
        let text = String::from_utf8(json).unwrap();
        assert!(
            text.find("reports/a.html") < text.find("reports/b.html"),
            "{text}"
        );
    }
}
