//! Report PDFs from earlier builds, kept outside the output in `.dealbook-cache/pdf/` beside the
//! content folder. An entry's name is the hash of everything that decides the PDF's bytes, so
//! an entry is either exactly the PDF this build would render or never looked up. Rendering
//! every report PDF again is most of a build's time at a few hundred meetings; the cache is
//! safe to delete at any moment.
//!
//! An entry is the SHA-256 of the PDF followed by the PDF. It is written to a temporary file
//! and renamed into place, so a reader never sees half an entry; one whose hash does not match
//! its bytes (damaged, cut short, edited) is ignored and rendered again.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::render::report::hex;

/// The cache's folder, beside the content folder.
pub const CACHE_DIR: &str = ".dealbook-cache";

pub struct PdfCache {
    dir: PathBuf,
}

impl PdfCache {
    /// The cache beside `content`: `content/../.dealbook-cache/pdf`.
    pub fn beside(content: &Path) -> PdfCache {
        let parent = content.parent().unwrap_or(Path::new(""));
        PdfCache {
            dir: parent.join(CACHE_DIR).join("pdf"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The PDF stored under `key`, when there is one and its check passes.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let entry = std::fs::read(self.entry(key)).ok()?;
        let (hash, pdf) = entry.split_at_checked(32)?;
        (Sha256::digest(pdf).as_slice() == hash).then(|| pdf.to_vec())
    }

    /// Stores `pdf` under `key`. A cache that cannot be written (a read-only disk, a full
    /// one) only means the PDF is rendered again next time, so failures are ignored.
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
        let mut entry = Sha256::digest(pdf).to_vec();
        entry.extend_from_slice(pdf);
        let written = std::fs::write(&temporary, &entry)
            .and_then(|()| std::fs::rename(&temporary, self.entry(key)));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        written
    }

    fn entry(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}.pdf"))
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

    #[test]
    fn an_entry_comes_back_as_it_was_stored() {
        let dir = scratch("roundtrip");
        let cache = PdfCache::beside(&dir.join("content"));
        assert_eq!(cache.get("k"), None);
        cache.put("k", b"%PDF-1.7 one");
        assert_eq!(cache.get("k").as_deref(), Some(&b"%PDF-1.7 one"[..]));
        assert_eq!(cache.dir(), dir.join(".dealbook-cache/pdf"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_damaged_or_short_entry_is_not_used() {
        let dir = scratch("damaged");
        let cache = PdfCache::beside(&dir.join("content"));
        cache.put("k", b"%PDF-1.7 one");
        let entry = cache.entry("k");
        let mut bytes = std::fs::read(&entry).unwrap();
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&entry, &bytes).unwrap();
        assert_eq!(cache.get("k"), None);
        std::fs::write(&entry, &bytes[..10]).unwrap();
        assert_eq!(cache.get("k"), None);
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
