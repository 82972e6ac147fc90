//! The pieces of the records a build leaves for the next one (the proposals read, the report
//! pages kept): LEB128 numbers, length-prefixed UTF-8, and a SHA-256 of everything before it at
//! the end of the file, so a record cut short or damaged is read as no record at all.
//!
//! Decoding checks what it reads (lengths against the bytes left, UTF-8, tags) and fails,
//! never panics; a record is read whole and its hash checked before anything in it is used.

use std::io::Write;

use sha2::{Digest as _, Sha256};

use crate::yaml::Digest;

/// Appends to a buffer.
pub struct Encoder<'a>(pub &'a mut Vec<u8>);

impl Encoder<'_> {
    pub fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    pub fn bytes(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// `n` in LEB128: seven bits a byte, the low ones first.
    pub fn number(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8 & 0x7F) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    pub fn len(&mut self, n: usize) {
        self.number(n as u64);
    }

    pub fn string(&mut self, s: &str) {
        self.len(s.len());
        self.bytes(s.as_bytes());
    }

    /// `None` as 0; `Some` as 1, then the value.
    pub fn option<T>(&mut self, value: Option<&T>, write: impl FnOnce(&mut Self, &T)) {
        match value {
            None => self.byte(0),
            Some(v) => {
                self.byte(1);
                write(self, v);
            }
        }
    }

    /// The count, then each item.
    pub fn list<'t, T: 't>(
        &mut self,
        items: impl ExactSizeIterator<Item = &'t T>,
        write: impl Fn(&mut Self, &T),
    ) {
        self.len(items.len());
        for item in items {
            write(self, item);
        }
    }
}

/// Reads off the front of a slice.
pub struct Decoder<'a>(pub &'a [u8]);

impl<'a> Decoder<'a> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// A LEB128 number, in the fewest bytes (as [`Encoder::number`] writes it); `None` past
    /// the end, above 64 bits or overlong.
    pub fn number(&mut self) -> Option<u64> {
        let mut value: u64 = 0;
        for (i, &byte) in self.0.iter().enumerate().take(10) {
            let bits = u64::from(byte & 0x7F);
            // The tenth byte may hold the top bit only.
            if i == 9 && bits > 1 {
                return None;
            }
            value |= bits << (7 * i);
            if byte & 0x80 == 0 {
                // A last byte of 0 after others adds nothing: another encoding of a number.
                if byte == 0 && i > 0 {
                    return None;
                }
                self.0 = &self.0[i + 1..];
                return Some(value);
            }
        }
        None
    }

    /// A number that fits `T`.
    pub fn small<T: TryFrom<u64>>(&mut self) -> Option<T> {
        T::try_from(self.number()?).ok()
    }

    /// A count of things each at least one byte long: never more than the bytes left, so a
    /// damaged count reserves no more room than the bytes left would fill, one item a byte.
    pub fn count(&mut self) -> Option<usize> {
        self.small::<usize>().filter(|&n| n <= self.0.len())
    }

    pub fn str(&mut self) -> Option<&'a str> {
        let len = self.small()?;
        std::str::from_utf8(self.take(len)?).ok()
    }

    pub fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    pub fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    pub fn list<T>(&mut self, read: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count()?;
        (0..n).map(|_| read(self)).collect()
    }
}

/// A writer that hashes everything written through it; [`Sealing::seal`] ends the record
/// with that hash.
pub struct Sealing<W: Write> {
    inner: W,
    hasher: Sha256,
}

impl<W: Write> Sealing<W> {
    pub fn new(inner: W) -> Self {
        Sealing {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Writes the hash of everything written before it.
    pub fn seal(mut self) -> std::io::Result<()> {
        let hash: Digest = self.hasher.finalize().into();
        self.inner.write_all(&hash)?;
        self.inner.flush()
    }
}

impl<W: Write> Write for Sealing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The record without its last 32 bytes, when they are the hash of the rest; else `None`.
pub fn unseal(mut record: Vec<u8>) -> Option<Vec<u8>> {
    let body = record.len().checked_sub(32)?;
    let hash: Digest = Sha256::digest(&record[..body]).into();
    (record[body..] == hash).then(|| {
        record.truncate(body);
        record
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_overlong_ones_are_refused() {
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            Encoder(&mut out).number(n);
            let mut d = Decoder(&out);
            assert_eq!(d.number(), Some(n));
            assert!(d.is_empty());
        }
        assert_eq!(Decoder(&[0xFF; 11]).number(), None);
        let too_big = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        assert_eq!(Decoder(&too_big).number(), None);
        assert_eq!(Decoder(&[0x80]).number(), None, "cut short");
        assert_eq!(Decoder(&[0x80, 0x00]).number(), None, "0 in two bytes");
        assert_eq!(
            Decoder(&[0x81, 0x80, 0x00]).number(),
            None,
            "1 in three bytes"
        );
    }

    #[test]
    fn strings_lists_and_options_round_trip_and_bad_ones_are_refused() {
        let mut out = Vec::new();
        let mut e = Encoder(&mut out);
        e.string("阿里云");
        e.option(Some(&7u64), |e, n| e.number(*n));
        e.option(None::<&u64>, |e, n| e.number(*n));
        e.list(["a", "bc"].iter(), |e, s| e.string(s));
        let mut d = Decoder(&out);
        assert_eq!(d.str(), Some("阿里云"));
        assert_eq!(d.option(Decoder::number), Some(Some(7)));
        assert_eq!(d.option(Decoder::number), Some(None));
        assert_eq!(d.list(Decoder::string), Some(vec!["a".into(), "bc".into()]));
        assert!(d.is_empty());
        // Not UTF-8, longer than what is left, an option tag that is neither, a huge count.
        assert_eq!(Decoder(&[2, 0xC3, 0x28]).str(), None);
        assert_eq!(Decoder(&[5, b'a']).str(), None);
        assert_eq!(Decoder(&[2]).option(Decoder::number), None);
        assert_eq!(Decoder(&[0xFF, 0xFF, 0x03, 0]).count(), None);
    }

    #[test]
    fn a_sealed_record_is_unsealed_only_whole_and_unchanged() {
        let mut record = Vec::new();
        let mut sealing = Sealing::new(&mut record);
        sealing.write_all(b"body of the record").unwrap();
        sealing.seal().unwrap();
        assert_eq!(
            unseal(record.clone()).as_deref(),
            Some(&b"body of the record"[..])
        );
        for len in 0..record.len() {
            assert_eq!(unseal(record[..len].to_vec()), None, "cut at {len}");
        }
        for at in 0..record.len() {
            let mut damaged = record.clone();
            damaged[at] ^= 1;
            assert_eq!(unseal(damaged), None, "byte {at}");
        }
    }
}
