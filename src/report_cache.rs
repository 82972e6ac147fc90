//! Report PDFs carried over from the previous build. The output records, for each report, a
//! hash of everything its PDF is made from (this binary, the fonts, the framework file, the
//! proposal file and the report's date). When the hash is unchanged the previous PDF is linked
//! into the new build instead of being rendered again: the bytes are the ones a fresh build
//! would make, so output stays reproducible. (Report pages are kept the same way; their record
//! is the site's, in `render::site::kept`.)

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::output::MARKER;
use crate::yaml::Digest as Hash;

/// The record of a build's report PDFs, inside the output folder.
pub const MANIFEST: &str = ".dealbook-reports";

/// What the previous build left to reuse.
pub struct ReportCache {
    reports: PathBuf,
    keys: HashMap<String, String>,
}

impl ReportCache {
    /// The record of the build in `output`, if it is one of ours; else nothing to reuse.
    pub fn open(output: &Path) -> ReportCache {
        let text = previous_record(output, MANIFEST).unwrap_or_default();
        let keys = text
            .lines()
            .filter_map(|line| line.split_once("  "))
            .map(|(key, name)| (name.to_string(), key.to_string()))
            .collect();
        ReportCache {
            reports: output.join("reports"),
            keys,
        }
    }

    /// The previous PDF of report `name`, when it was made from the same inputs (`key`).
    pub fn reusable(&self, name: &str, key: &str) -> Option<PathBuf> {
        if self.keys.get(name).map(String::as_str) != Some(key) {
            return None;
        }
        let path = self.reports.join(format!("{name}.pdf"));
        kept_file(&path).map(|_| path)
    }
}

/// The largest record read back: a record is a few kilobytes per report, so this is far above
/// any real one, and a record that is not ours (a link to `/dev/zero`) cannot exhaust memory.
const MAX_RECORD: u64 = 1 << 30;

/// The text of record `name` the previous build left in `output`, when that folder is one of
/// our builds (it has the marker) and the record is a regular file of sane size; else
/// nothing, and nothing is reused.
pub fn previous_record(output: &Path, name: &str) -> Option<String> {
    String::from_utf8(previous_bytes(output, name)?).ok()
}

/// The bytes of record `name`, on the same terms as [`previous_record`]; a record that grows
/// past the limit while it is read is not read.
pub fn previous_bytes(output: &Path, name: &str) -> Option<Vec<u8>> {
    output.join(MARKER).is_file().then_some(())?;
    let meta = kept_file(&output.join(name))?;
    if meta.len() > MAX_RECORD {
        return None;
    }
    let file = std::fs::File::open(output.join(name)).ok()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).ok()?);
    file.take(MAX_RECORD + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= MAX_RECORD).then_some(bytes)
}

/// The metadata of a file the previous build left, when it is a regular file in a real folder
/// of the output: symbolic links are never followed out of it, nor copied into the next one.
pub fn kept_file(path: &Path) -> Option<std::fs::Metadata> {
    let parent_is_real = path
        .parent()
        .and_then(|p| std::fs::symlink_metadata(p).ok())
        .is_some_and(|m| m.is_dir());
    let meta = std::fs::symlink_metadata(path).ok()?;
    (parent_is_real && meta.is_file()).then_some(meta)
}

/// The key of a kept file: a hash of this binary and its inputs, in hex.
pub fn key(parts: &[&[u8]]) -> String {
    hex(&hash(parts))
}

/// `bytes` in lowercase hex digits, as `sha256sum` writes a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(2 * bytes.len());
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    text
}

/// The identity of this binary (see `build.rs`): what a build keeps for the next one is
/// reused only by the same binary.
pub fn build_id() -> &'static [u8] {
    env!("DEALBOOK_BUILD_ID").as_bytes()
}

/// A hash of this binary and `parts`, each length-prefixed so no two lists give the same bytes.
pub fn hash(parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update(build_id());
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The manifest's text: one `KEY  NAME` line per report, sorted by name.
pub fn manifest(entries: &[(&str, &str)]) -> String {
    let mut entries = entries.to_vec();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
        .iter()
        .map(|(name, key)| format!("{key}  {name}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte_as_sha256sum_writes() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xf0, 0xff]), "000fa5f0ff");
        let abc: [u8; 32] = Sha256::digest(b"abc").into();
        assert_eq!(
            hex(&abc),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn keys_change_with_any_input_and_its_boundaries() {
        let base = key(&[b"framework", b"proposal"]);
        assert_eq!(base, key(&[b"framework", b"proposal"]));
        assert_ne!(base, key(&[b"framework", b"proposal!"]));
        assert_ne!(base, key(&[b"frameworkp", b"roposal"]));
    }

    #[test]
    fn reuses_only_a_recorded_report_with_the_same_key() {
        let dir = std::env::temp_dir().join(format!("dealbook-cache-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("reports")).unwrap();
        std::fs::write(dir.join("reports/a.pdf"), "%PDF").unwrap();
        std::fs::write(dir.join(MANIFEST), manifest(&[("a", "k1"), ("b", "k2")])).unwrap();
        // Not ours without the marker.
        assert!(ReportCache::open(&dir).reusable("a", "k1").is_none());
        std::fs::write(dir.join(MARKER), "").unwrap();
        let cache = ReportCache::open(&dir);
        assert_eq!(cache.reusable("a", "k1"), Some(dir.join("reports/a.pdf")));
        assert!(cache.reusable("a", "k2").is_none(), "another key");
        assert!(cache.reusable("b", "k2").is_none(), "the file is gone");
        std::os::unix::fs::symlink(dir.join("reports/a.pdf"), dir.join("reports/b.pdf")).unwrap();
        assert!(cache.reusable("b", "k2").is_none(), "a link is never kept");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
