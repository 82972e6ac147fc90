//! Report pages carried over from the previous build. A report page is made from the framework,
//! its proposal and date, the previous meeting with the same vendor, the theme and the page
//! frame (site settings, navigation); the build records a hash of those for every report page,
//! with what the site needs of a page once it is written: its length and SHA-256, its search
//! text, its ids and links, and its verdict and directions for the meetings page. When the hash
//! is unchanged and the file is still the one written, the previous file is kept and its record
//! stands in for the page (the proposal is not even judged), so a build after one new meeting
//! renders one report page, not all of them. The bytes are the ones a fresh build would make.
//! The recorded verdict and directions stand for the meetings page whenever the hash is
//! unchanged, even if the file was edited since (and is made again): the same inputs give the
//! same judgement.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use sha2::{Digest as _, Sha256};

use super::links::{Names, PageLinks};
use crate::binary::{Decoder, Encoder, Sealing, unseal};
use crate::judge::judgement::{Judgement, Verdict};
use crate::report_cache::{hex, kept_file, previous_bytes};

/// The record of a build's report pages, inside the output folder.
pub const RECORD: &str = ".dealbook-pages";

/// What is recorded of one report page.
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
#[derive(Debug, Clone, PartialEq)]
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
        let records = previous_bytes(output, RECORD)
            .and_then(read_records)
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

    /// Whether the previous page at `path` is still the file `record` describes: a regular
    /// file (not a link) with the same length and bytes.
    pub fn still_there(&self, path: &str, record: &PageRecord<'_>) -> bool {
        let file = self.output.join(path);
        kept_file(&file).is_some_and(|m| m.len() == record.bytes)
            && std::fs::read(&file).is_ok_and(|bytes| sha256_hex(&bytes) == record.sha256)
    }
}

/// The first bytes of the record: its format.
const MAGIC: &[u8] = b"dealbook pages 1\n";

/// The fewest bytes a page's record takes: a byte for each of its nine parts.
const MIN_PAGE_RECORD: usize = 9;

/// Writes the record file: every report page's record, by path (sorted, so the bytes depend on
/// the sources only). Every id and link is written once, in a table the pages refer to by
/// number (the pages of a site share most of them: the navigation, the style sheets),
/// and the record ends with the SHA-256 of everything before it (see [`crate::binary`]).
pub fn write_records<'a>(
    pages: impl Iterator<Item = (&'a str, PageRecord<'a>)>,
    to: &mut dyn Write,
) -> std::io::Result<()> {
    let pages: BTreeMap<&str, PageRecord<'_>> = pages.collect();
    // Numbered as first met, pages in order and each page's names sorted.
    let mut numbers: FxHashMap<&str, usize> = FxHashMap::default();
    let mut names: Vec<&str> = Vec::new();
    for name in pages
        .values()
        .flat_map(|r| r.links.ids.iter().chain(r.links.links.iter()))
    {
        numbers.entry(name).or_insert_with(|| {
            names.push(name);
            names.len() - 1
        });
    }
    let mut out = Sealing::new(to);
    let mut buf = Vec::new();
    let mut e = Encoder(&mut buf);
    e.bytes(MAGIC);
    e.list(names.iter(), |e, name| e.string(name));
    e.len(pages.len());
    out.write_all(&buf)?;
    for (path, record) in &pages {
        buf.clear();
        let mut e = Encoder(&mut buf);
        e.string(path);
        e.string(&record.key);
        e.number(record.bytes);
        e.string(&record.sha256);
        e.string(&record.search);
        for names in [&record.links.ids, &record.links.links] {
            e.len(names.len());
            for name in names.iter() {
                e.len(numbers[name]);
            }
        }
        e.byte(verdict_code(record.outcome.verdict));
        e.list(record.outcome.directions.iter(), |e, d| e.string(d));
        out.write_all(&buf)?;
    }
    out.seal()
}

/// The records in `record`, by path, when it is whole and in this format; else `None`.
fn read_records(record: Vec<u8>) -> Option<HashMap<String, PageRecord<'static>>> {
    let record = unseal(record)?;
    let mut d = Decoder(&record);
    if d.take(MAGIC.len())? != MAGIC {
        return None;
    }
    let names: Vec<Arc<str>> = d.list(|d| d.str().map(Arc::from))?;
    let read_names = |d: &mut Decoder<'_>| -> Option<Names> {
        d.list(|d| names.get(d.small::<usize>()?).cloned())
            .map(Names::from_iter)
    };
    let count = d.count()?;
    // Room for as many records as the bytes left could hold, at most.
    let mut pages = HashMap::with_capacity(count.min(d.0.len() / MIN_PAGE_RECORD));
    for _ in 0..count {
        let path = d.string()?;
        let record = PageRecord {
            key: Cow::Owned(d.string()?),
            bytes: d.number()?,
            sha256: Cow::Owned(d.string()?),
            search: Cow::Owned(d.string()?),
            links: Cow::Owned(PageLinks {
                ids: read_names(&mut d)?,
                links: read_names(&mut d)?,
            }),
            outcome: Outcome {
                verdict: verdict_of(d.byte()?)?,
                directions: d.list(Decoder::string)?,
            },
        };
        pages.insert(path, record);
    }
    d.is_empty().then_some(pages)
}

fn verdict_code(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Go => 0,
        Verdict::NoGo => 1,
        Verdict::Pending => 2,
    }
}

fn verdict_of(code: u8) -> Option<Verdict> {
    [Verdict::Go, Verdict::NoGo, Verdict::Pending]
        .into_iter()
        .find(|v| verdict_code(*v) == code)
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::MARKER;

    fn record_bytes<'a>(pages: impl Iterator<Item = (&'a str, PageRecord<'a>)>) -> Vec<u8> {
        let mut bytes = Vec::new();
        write_records(pages, &mut bytes).unwrap();
        bytes
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
        let bytes = record_bytes(pages.iter().map(|(path, text)| (*path, record("k", text))));
        std::fs::write(dir.join(RECORD), &bytes).unwrap();
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
    fn a_record_cut_short_or_damaged_keeps_nothing() {
        let dir = output("bad", &[("reports/a.html", "<p>a</p>")]);
        assert!(kept(&dir, "reports/a.html", "k"));
        let whole = std::fs::read(dir.join(RECORD)).unwrap();
        for len in [0, 1, whole.len() / 2, whole.len() - 1] {
            std::fs::write(dir.join(RECORD), &whole[..len]).unwrap();
            assert!(!kept(&dir, "reports/a.html", "k"), "cut at {len}");
        }
        for at in [0, whole.len() / 3, whole.len() / 2, whole.len() - 40] {
            let mut damaged = whole.clone();
            damaged[at] ^= 0x20;
            std::fs::write(dir.join(RECORD), &damaged).unwrap();
            assert!(!kept(&dir, "reports/a.html", "k"), "byte {at} damaged");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_sealed_record_not_laid_out_as_written_keeps_nothing() {
        let bytes = record_bytes([("reports/a.html", record("k", "<p>a</p>"))].into_iter());
        let body = crate::binary::unseal(bytes).unwrap();
        let reseal = |body: &[u8]| {
            let mut bytes = body.to_vec();
            bytes.extend_from_slice(&Sha256::digest(body));
            read_records(bytes)
        };
        assert_eq!(reseal(&body).map(|pages| pages.len()), Some(1));
        // The layout: MAGIC, 2 names ("a", "../index.html", as met), the count, the page.
        let count_at = MAGIC.len() + 1 + 2 + 14;
        assert_eq!(body[count_at], 1, "{body:?}");
        let verdict_at = body.len() - "联合方案".len() - 1 - 1 - 1;
        assert_eq!(body[verdict_at], verdict_code(Verdict::Pending));
        let changed = |at: usize, byte: u8| {
            let mut changed = body.clone();
            changed[at] = byte;
            changed
        };
        let cases = [
            ("a count above the pages", changed(count_at, 2)),
            ("a verdict that is none", changed(verdict_at, 3)),
            (
                "a name that is not in the table",
                changed(verdict_at - 1, 9),
            ),
            ("a byte after the pages", [&body[..], &[0]].concat()),
            ("another format", changed(MAGIC.len() - 2, b'2')),
        ];
        for (what, changed) in cases {
            assert!(reseal(&changed).is_none(), "{what}");
        }
    }

    #[test]
    fn records_read_back_whole_with_their_links_shared_between_pages() {
        let mut second = record("k2", "<p>b</p>");
        second.links = Cow::Owned(PageLinks::of(
            r#"<h2 id="b"></h2><a href="../index.html">i</a><a href="x.pdf">x</a>"#,
        ));
        second.outcome = Outcome {
            verdict: Verdict::NoGo,
            directions: vec![],
        };
        let bytes = record_bytes(
            [
                ("reports/a.html", record("k1", "<p>a</p>")),
                ("reports/b.html", second),
            ]
            .into_iter(),
        );
        let pages = read_records(bytes).expect("reads back");
        let (a, b) = (&pages["reports/a.html"], &pages["reports/b.html"]);
        assert_eq!((a.key.as_ref(), b.key.as_ref()), ("k1", "k2"));
        assert_eq!((a.bytes, b.bytes), (8, 8));
        assert_eq!(a.sha256, sha256_hex(b"<p>a</p>"));
        assert_eq!(a.search, "结论：待定\n阿里云");
        assert_eq!(a.outcome, record("k", "").outcome);
        assert_eq!(b.outcome.verdict, Verdict::NoGo);
        assert!(b.outcome.directions.is_empty());
        assert_eq!(a.links.ids.iter().collect::<Vec<_>>(), ["a"]);
        assert_eq!(b.links.ids.iter().collect::<Vec<_>>(), ["b"]);
        assert_eq!(
            b.links.links.iter().collect::<Vec<_>>(),
            ["../index.html", "x.pdf"]
        );
        // One string for the link both pages hold.
        let shared = |r: &PageRecord<'_>| r.links.links.iter().next().unwrap().as_ptr();
        assert_eq!(shared(a), shared(b));
    }

    #[test]
    fn the_record_is_sorted_by_path() {
        let bytes = record_bytes(
            [
                ("reports/b.html", record("k", "b")),
                ("reports/a.html", record("k", "a")),
            ]
            .into_iter(),
        );
        let at = |path: &[u8]| bytes.windows(path.len()).position(|w| w == path);
        let (a, b) = (at(b"reports/a.html"), at(b"reports/b.html"));
        assert!(a.unwrap() < b.unwrap());
    }
}
