//! Report PDFs from earlier builds, kept outside the output in `.dealbook-cache/pdf/` beside the
//! content folder. An entry's name is the hash of everything that decides the PDF's bytes, so
//! an entry is either exactly the PDF this build would draw or never looked up. Drawing every
//! report PDF again is most of a build's time at a few hundred meetings; the cache is safe to
//! delete at any moment.
//!
//! An entry is the PDF itself, named `KEY-SHA.pdf`, SHA being the SHA-256 of its bytes: it is
//! written to a temporary file and renamed into place, so a reader never sees half an entry,
//! and one whose bytes do not have the SHA-256 its name says (damaged, cut short, edited) is
//! not used. A good entry is hard-linked into the output, not copied: a thousand reports are a
//! hundred megabytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::render::report::hex;

/// The cache's folder, beside the content folder.
pub const CACHE_DIR: &str = ".dealbook-cache";

pub struct PdfCache {
    dir: PathBuf,
    /// The entries there were when the build started: key → file.
    entries: HashMap<String, PathBuf>,
}

impl PdfCache {
    /// The cache beside `content`: `content/../.dealbook-cache/pdf`.
    pub fn beside(content: &Path) -> PdfCache {
        let parent = content.parent().unwrap_or(Path::new(""));
        let dir = parent.join(CACHE_DIR).join("pdf");
        let entries = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let (key, _) = name.strip_suffix(".pdf")?.split_once('-')?;
                Some((key.to_string(), entry.path()))
            })
            .collect();
        PdfCache { dir, entries }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of the PDF stored under `key`, when there is one and its check passes.
    pub fn get(&self, key: &str) -> Option<&Path> {
        let file = self.entries.get(key)?;
        let name = file.file_name()?.to_str()?;
        let sha = name.strip_suffix(".pdf")?.split_once('-')?.1;
        let bytes = std::fs::read(file).ok()?;
        (hex(&Sha256::digest(&bytes)) == sha).then_some(file.as_path())
    }

    /// Stores `pdf` under `key`. A cache that cannot be written (a read-only disk, a full
    /// one) only means the PDF is drawn again next time, so failures are ignored.
    pub fn put(&self, key: &str, pdf: &[u8]) {
        let _ = self.try_put(key, pdf);
    }

    fn try_put(&self, key: &str, pdf: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temporary = self
            .dir
            .join(format!(".{key}.{}-{n}.tmp", std::process::id()));
        let entry = self
            .dir
            .join(format!("{key}-{}.pdf", hex(&Sha256::digest(pdf))));
        let written =
            std::fs::write(&temporary, pdf).and_then(|()| std::fs::rename(&temporary, entry));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }
}

/// The key of the parts that decide a PDF's bytes: each part's length, then the part, so no
/// two lists of parts give the same bytes to hash.
pub fn key(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex(&hasher.finalize())
}

/// This binary: its version and its file's size and modification time. A rebuilt binary may
/// draw PDFs differently, so it never takes an entry an earlier one wrote. (Its own bytes
/// would be a finer identity, but hashing 16 MB on every build costs more than the cache
/// saves at the shipped content's size.)
pub fn binary_identity() -> String {
    let stamp = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|meta| {
            let modified = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{modified}", meta.len())
        })
        .unwrap_or_default();
    format!("{} {stamp}", env!("CARGO_PKG_VERSION"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("dealbook-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// The cache as a new build sees it.
    fn reopen(dir: &Path) -> PdfCache {
        PdfCache::beside(&dir.join("content"))
    }

    #[test]
    fn an_entry_comes_back_as_it_was_stored() {
        let dir = scratch("roundtrip");
        let cache = reopen(&dir);
        assert_eq!(cache.get("k"), None);
        cache.put("k", b"%PDF-1.7 one");
        let cache = reopen(&dir);
        let file = cache.get("k").expect("an entry");
        assert_eq!(std::fs::read(file).unwrap(), b"%PDF-1.7 one");
        assert_eq!(cache.dir(), dir.join(".dealbook-cache/pdf"));
        assert_eq!(cache.get("other"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_damaged_or_short_entry_is_not_used() {
        let dir = scratch("damaged");
        reopen(&dir).put("k", b"%PDF-1.7 one");
        let entry = reopen(&dir).entries["k"].clone();
        let mut bytes = std::fs::read(&entry).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&entry, &bytes).unwrap();
        assert_eq!(reopen(&dir).get("k"), None);
        std::fs::write(&entry, &bytes[..4]).unwrap();
        assert_eq!(reopen(&dir).get("k"), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn keys_differ_when_any_part_or_its_boundary_does() {
        assert_eq!(key(&[b"a", b"b"]), key(&[b"a", b"b"]));
        assert_ne!(key(&[b"a", b"b"]), key(&[b"a", b"c"]));
        assert_ne!(key(&[b"ab", b""]), key(&[b"a", b"b"]));
        assert_eq!(key(&[b"x"]).len(), 64);
    }
}
