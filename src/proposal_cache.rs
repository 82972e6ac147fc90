//! Proposals carried over from the previous build, already read. Reading every proposal's YAML
//! was the largest part of a rebuild over a team's years of meetings; the output records every
//! proposal it was built from, as loaded (see [`proposal_codec`]), under the SHA-256 of the
//! file's bytes. A proposal file whose bytes have the same digest, read by this same binary
//! against the same framework file, is the same proposal: its record is taken instead of
//! reading the YAML again. Anything else (another binary, another framework, a record that is
//! damaged, cut short or not ours) and the files are read as if there were no record.
//!
//! The file, `.dealbook-proposals`:
//!
//! ```text
//! MAGIC  build-id length (1 byte)  build id  framework SHA-256 (32)
//! for each proposal: 1  file SHA-256 (32)  length (u32 LE)  the proposal's encoding
//! 0  SHA-256 of every byte above (32)
//! ```
//!
//! It is trusted only once its last hash matches; each proposal is decoded when it is taken,
//! on the core that loads its file.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::binary::{Decoder, Sealing, unseal};
use crate::model::proposal::Proposal;
use crate::model::proposal_codec;
use crate::model::proposal_load::MAX_PROPOSAL_BYTES;
use crate::report_cache::{build_id, previous_bytes};
use crate::yaml::Digest;

/// The record of the proposals a build was made from, inside the output folder.
pub const RECORD: &str = ".dealbook-proposals";

const MAGIC: &[u8] = b"dealbook proposals 1\n";

/// What comes before each proposal's entry, and after the last.
const ENTRY: u8 = 1;
const END: u8 = 0;

/// The largest encoding of one proposal read back. An encoding is about the size of its file
/// (the text, plus a few bytes of position per value), and files are at most
/// [`MAX_PROPOSAL_BYTES`]; a larger length is damage, not a proposal.
const MAX_ENCODING: u32 = 8 * MAX_PROPOSAL_BYTES as u32;

/// Proposals the previous build read, by the digest of their file's bytes; each is taken once,
/// and decoded when taken (on whichever core loads its file).
pub struct KnownProposals {
    framework: Digest,
    /// The record as read: the encodings are ranges of it.
    record: Vec<u8>,
    by_digest: HashMap<Digest, Known>,
}

struct Known {
    encoding: Range<usize>,
    taken: AtomicBool,
}

impl KnownProposals {
    /// None known: every proposal is read from its file.
    pub fn none() -> KnownProposals {
        KnownProposals {
            framework: [0; 32],
            record: Vec::new(),
            by_digest: HashMap::new(),
        }
    }

    /// The proposals recorded in the build in `output`, when that is one of our builds, made
    /// by this binary, and its record is whole; else none.
    pub fn open(output: &Path) -> KnownProposals {
        previous_bytes(output, RECORD)
            .and_then(read_record)
            .unwrap_or_else(KnownProposals::none)
    }

    /// How many proposals are known.
    pub fn len(&self) -> usize {
        self.by_digest.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_digest.is_empty()
    }

    /// The proposal read from a file whose bytes have SHA-256 `file`, against a framework
    /// file whose bytes have SHA-256 `framework`, if it is known and not yet taken.
    pub fn take(&self, file: &Digest, framework: &Digest) -> Option<Proposal> {
        if *framework != self.framework {
            return None;
        }
        let known = self.by_digest.get(file)?;
        if known.taken.swap(true, Ordering::Relaxed) {
            return None;
        }
        proposal_codec::decode(self.record.get(known.encoding.clone())?)
    }
}

/// Writes the record of `proposals` (each with the digest of its file), read against a
/// framework file whose bytes have SHA-256 `framework`. Deterministic: the same proposals in
/// the same order give the same bytes.
pub fn write_record<'a>(
    framework: &Digest,
    proposals: impl Iterator<Item = (&'a Digest, &'a Proposal)>,
    to: &mut dyn Write,
) -> std::io::Result<()> {
    let mut out = Sealing::new(to);
    let id = build_id();
    out.write_all(MAGIC)?;
    out.write_all(&[u8::try_from(id.len()).map_err(std::io::Error::other)?])?;
    out.write_all(id)?;
    out.write_all(framework)?;
    let mut encoding = Vec::new();
    for (digest, proposal) in proposals {
        encoding.clear();
        proposal_codec::encode(proposal, &mut encoding);
        // One too large to record (none is, from a file within the size limit) is read from
        // its file next time.
        let Some(len) = u32::try_from(encoding.len())
            .ok()
            .filter(|&n| n <= MAX_ENCODING)
        else {
            continue;
        };
        out.write_all(&[ENTRY])?;
        out.write_all(digest)?;
        out.write_all(&len.to_le_bytes())?;
        out.write_all(&encoding)?;
    }
    out.write_all(&[END])?;
    out.seal()
}

/// The proposals in `record`, when it is whole and this binary's; `None` at the first thing
/// that is not as written. Only the layout is read here: each encoding is decoded when taken.
fn read_record(record: Vec<u8>) -> Option<KnownProposals> {
    let record = unseal(record)?;
    let mut d = Decoder(&record);
    let magic = d.take(MAGIC.len())?;
    let id_len = d.byte()?;
    let id = d.take(usize::from(id_len))?;
    if magic != MAGIC || id != build_id() {
        return None;
    }
    let framework: Digest = d.array()?;
    let mut by_digest = HashMap::new();
    loop {
        match d.byte()? {
            ENTRY => {}
            END => break,
            _ => return None,
        }
        let digest: Digest = d.array()?;
        let len = u32::from_le_bytes(d.array()?);
        if len > MAX_ENCODING {
            return None;
        }
        let start = record.len() - d.0.len();
        d.take(len as usize)?;
        let taken = AtomicBool::new(false);
        let encoding = start..start + len as usize;
        by_digest.insert(digest, Known { encoding, taken });
    }
    d.is_empty().then_some(KnownProposals {
        framework,
        record,
        by_digest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ContentDir, load_content, load_content_with};
    use crate::output::MARKER;
    use sha2::{Digest as _, Sha256};

    /// The shipped proposals, each with its file's digest, and the framework's digest.
    fn shipped() -> (Digest, Vec<(Digest, Proposal)>) {
        let dir = ContentDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
        let content = load_content(&dir).expect("the shipped content loads");
        let framework = content.digests[&dir.framework()];
        let proposals = content
            .proposals
            .into_iter()
            .map(|(path, p)| (content.digests[&path], p))
            .collect();
        (framework, proposals)
    }

    fn record(framework: &Digest, proposals: &[(Digest, Proposal)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        write_record(framework, proposals.iter().map(|(d, p)| (d, p)), &mut bytes).unwrap();
        bytes
    }

    #[test]
    fn gives_back_each_recorded_proposal_once_for_the_same_file_and_framework() {
        let (framework, proposals) = shipped();
        assert!(proposals.len() >= 4);
        let bytes = record(&framework, &proposals);
        assert_eq!(bytes, record(&framework, &proposals), "deterministic");
        let known = read_record(bytes.clone()).expect("reads back");
        assert_eq!(known.len(), proposals.len());
        for (digest, proposal) in &proposals {
            let mut other = framework;
            other[0] ^= 1;
            assert_eq!(known.take(digest, &other), None, "another framework");
            assert_eq!(known.take(digest, &framework).as_ref(), Some(proposal));
            assert_eq!(known.take(digest, &framework), None, "taken once");
        }
        assert_eq!(known.take(&[7; 32], &framework), None, "an unknown file");
    }

    #[test]
    fn loading_takes_the_known_proposal_of_a_file_with_its_digest_and_framework() {
        let dir = ContentDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content"));
        let (framework, proposals) = shipped();
        assert_ne!(proposals[0].1, proposals[1].1);
        // A record forged so that the first file's digest stands for the second proposal:
        // what loading gives for that file shows where it came from.
        let forged = [(proposals[0].0, proposals[1].1.clone())];
        let known = read_record(record(&framework, &forged)).unwrap();
        let content = load_content_with(&dir, &known).unwrap();
        assert_eq!(
            content.proposals[0].1, proposals[1].1,
            "taken from the record"
        );
        assert_eq!(content.proposals[1].1, proposals[1].1, "read from its file");
        assert_eq!(content.digests[&content.proposals[0].0], proposals[0].0);
        // Recorded against another framework file: every file is read.
        let mut other = framework;
        other[31] ^= 1;
        let known = read_record(record(&other, &forged)).unwrap();
        let content = load_content_with(&dir, &known).unwrap();
        assert_eq!(content.proposals[0].1, proposals[0].1);
    }

    #[test]
    fn a_record_cut_short_damaged_or_extended_is_not_read() {
        let (framework, proposals) = shipped();
        let bytes = record(&framework, &proposals);
        for len in (0..bytes.len()).step_by(97).chain([bytes.len() - 1]) {
            assert!(read_record(bytes[..len].to_vec()).is_none(), "cut at {len}");
        }
        let mut longer = bytes.clone();
        longer.push(b'\n');
        assert!(read_record(longer).is_none(), "a byte after the end");
        // One bit changed anywhere: in the header, an entry's digest, length or encoding, or
        // the final hash.
        for at in (0..bytes.len()).step_by(101).chain([bytes.len() - 1]) {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assert!(read_record(damaged).is_none(), "byte {at} damaged");
        }
    }

    #[test]
    fn a_sealed_record_not_laid_out_as_written_is_not_read() {
        let (framework, proposals) = shipped();
        let body = unseal(record(&framework, &proposals)).unwrap();
        let reseal = |body: &[u8]| {
            let mut bytes = body.to_vec();
            bytes.extend_from_slice(&Sha256::digest(body));
            read_record(bytes)
        };
        assert!(reseal(&body).is_some(), "the record itself");
        let first = MAGIC.len() + 1 + build_id().len() + 32;
        let length = first + 1 + 32..first + 1 + 32 + 4;
        assert_eq!(body[first], ENTRY);
        let with = |at: std::ops::Range<usize>, bytes: &[u8]| {
            let mut changed = body.clone();
            changed.splice(at, bytes.iter().copied());
            changed
        };
        let cases = [
            (
                "a length above the limit",
                with(length.clone(), &(MAX_ENCODING + 1).to_le_bytes()),
            ),
            (
                "a length past the end",
                with(length.clone(), &u32::MAX.to_le_bytes()),
            ),
            ("an entry one byte longer", {
                let len = u32::from_le_bytes(body[length.clone()].try_into().unwrap());
                with(length.clone(), &(len + 1).to_le_bytes())
            }),
            ("a marker that is neither", with(first..first + 1, &[2])),
            ("no end", body[..body.len() - 1].to_vec()),
            ("a byte after the end", [&body[..], &[0]].concat()),
        ];
        for (what, changed) in cases {
            assert!(reseal(&changed).is_none(), "{what}");
        }
    }

    #[test]
    fn a_record_of_another_binary_is_not_read() {
        let (framework, proposals) = shipped();
        let bytes = record(&framework, &proposals);
        // The same record with another identity, hashed again so only the identity differs.
        let id_at = MAGIC.len() + 1;
        let mut other = bytes[..bytes.len() - 32].to_vec();
        other[id_at] ^= 1;
        let hash: Digest = Sha256::digest(&other).into();
        other.extend_from_slice(&hash);
        assert!(read_record(other.clone()).is_none());
        // And the check itself is what refuses it: with the identity put back, it reads.
        other[id_at] ^= 1;
        let len = other.len();
        let hash: Digest = Sha256::digest(&other[..len - 32]).into();
        other[len - 32..].copy_from_slice(&hash);
        assert!(read_record(other).is_some());
    }

    #[test]
    fn opens_only_a_record_in_one_of_our_builds() {
        let (framework, proposals) = shipped();
        let dir = std::env::temp_dir().join(format!("dealbook-known-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(RECORD), record(&framework, &proposals)).unwrap();
        assert!(KnownProposals::open(&dir).is_empty(), "no marker: not ours");
        std::fs::write(dir.join(MARKER), "").unwrap();
        assert_eq!(KnownProposals::open(&dir).len(), proposals.len());
        std::fs::remove_file(dir.join(RECORD)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.join(RECORD)).unwrap();
        assert!(
            KnownProposals::open(&dir).is_empty(),
            "a link is never read"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
