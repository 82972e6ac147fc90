//! A loaded [`Proposal`] as compact bytes and back, for the record of proposals already read
//! (`proposal_cache`): decoding one is several times cheaper than reading its YAML again.
//!
//! The bytes are exactly the model: every value with its position, in field order. Numbers are
//! LEB128, text is its length then its UTF-8, a fact's key is its index in [`fields::FACTS`],
//! a fact's number its IEEE bits. Decoding checks everything it reads (lengths, UTF-8, tags,
//! fact indices) and fails, never panics, on bytes that are not an encoding: a truncated or
//! damaged record is read as no record. It is only ever trusted with bytes this same binary
//! wrote (the record carries the binary's identity).

use super::date::Date;
use super::fields;
use super::proposal::{FactValue, Proposal};
use crate::location::{Located, Pos};

/// Appends `proposal`'s encoding to `out`.
pub fn encode(proposal: &Proposal, out: &mut Vec<u8>) {
    let mut w = Writer(out);
    w.text(&proposal.vendor);
    w.option(proposal.title.as_ref(), Writer::text);
    w.date(&proposal.date);
    w.option(proposal.phase.as_ref(), Writer::text);
    w.list(&proposal.attendees, Writer::text);
    w.option(proposal.notes.as_ref(), Writer::text);
    w.option(proposal.directions.as_ref(), |w, list| {
        w.list(list, Writer::text)
    });
    w.number(proposal.facts.len());
    for (key, fact) in proposal.facts.iter() {
        // Every key of a loaded proposal is one of the table's.
        let index = fields::FACTS.iter().position(|f| f.key == *key);
        w.number(index.unwrap_or(usize::MAX));
        w.fact(fact);
    }
    w.number(proposal.answers.len());
    for (id, answer) in proposal.answers.iter() {
        w.string(id);
        w.text(answer);
    }
    w.number(proposal.checklist.len());
    for (id, done) in proposal.checklist.iter() {
        w.string(id);
        w.pos(done.pos);
        w.0.push(u8::from(done.value));
    }
}

/// The proposal encoded in all of `bytes`; `None` when they are not exactly one encoding.
pub fn decode(bytes: &[u8]) -> Option<Proposal> {
    let mut r = Reader(bytes);
    let proposal = Proposal {
        vendor: r.text()?,
        title: r.option(Reader::text)?,
        date: r.date()?,
        phase: r.option(Reader::text)?,
        attendees: r.list(Reader::text)?,
        notes: r.option(Reader::text)?,
        directions: r.option(|r| r.list(Reader::text))?,
        facts: r.entries(|r| {
            let def = fields::FACTS.get(r.number()?)?;
            Some((def.key, r.fact()?))
        })?,
        answers: r.entries(|r| Some((r.string()?, r.text()?)))?,
        checklist: r.entries(|r| {
            let id = r.string()?;
            let pos = r.pos()?;
            let done = match r.byte()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            Some((id, Located::new(done, pos)))
        })?,
    };
    r.0.is_empty().then_some(proposal)
}

/// Appends LEB128 `n` to `out`.
pub fn write_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7F) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a LEB128 number off the front of `bytes`; `None` past the end or above 64 bits.
pub fn read_number(bytes: &mut &[u8]) -> Option<u64> {
    let mut value: u64 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(10) {
        let bits = u64::from(byte & 0x7F);
        // The tenth byte may hold the top bit only.
        if i == 9 && bits > 1 {
            return None;
        }
        value |= bits << (7 * i);
        if byte & 0x80 == 0 {
            *bytes = &bytes[i + 1..];
            return Some(value);
        }
    }
    None
}

struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn number(&mut self, n: usize) {
        write_number(self.0, n as u64);
    }

    fn string(&mut self, s: &str) {
        self.number(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn pos(&mut self, pos: Pos) {
        write_number(self.0, u64::from(pos.line));
        write_number(self.0, u64::from(pos.col));
    }

    fn text(&mut self, text: &Located<String>) {
        self.string(&text.value);
        self.pos(text.pos);
    }

    fn date(&mut self, date: &Located<Date>) {
        let Date { year, month, day } = date.value;
        write_number(self.0, u64::from(year));
        self.0.extend_from_slice(&[month, day]);
        self.pos(date.pos);
    }

    fn fact(&mut self, fact: &Located<FactValue>) {
        match fact.value {
            FactValue::Bool(b) => self.0.push(u8::from(b)),
            FactValue::Number(n) => {
                self.0.push(2);
                self.0.extend_from_slice(&n.to_bits().to_le_bytes());
            }
        }
        self.pos(fact.pos);
    }

    fn option<T>(&mut self, value: Option<&T>, write: impl FnOnce(&mut Self, &T)) {
        match value {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                write(self, v);
            }
        }
    }

    fn list<T>(&mut self, items: &[T], write: impl Fn(&mut Self, &T)) {
        self.number(items.len());
        for item in items {
            write(self, item);
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    fn number(&mut self) -> Option<usize> {
        usize::try_from(read_number(&mut self.0)?).ok()
    }

    fn small<T: TryFrom<u64>>(&mut self) -> Option<T> {
        T::try_from(read_number(&mut self.0)?).ok()
    }

    /// A count of things each at least one byte long: never more than the bytes left, so a
    /// damaged count cannot reserve memory for nothing.
    fn count(&mut self) -> Option<usize> {
        self.number().filter(|&n| n <= self.0.len())
    }

    fn string(&mut self) -> Option<String> {
        let len = self.number()?;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }

    fn pos(&mut self) -> Option<Pos> {
        Some(Pos::new(self.small()?, self.small()?))
    }

    fn text(&mut self) -> Option<Located<String>> {
        Some(Located::new(self.string()?, self.pos()?))
    }

    fn date(&mut self) -> Option<Located<Date>> {
        let year = self.small()?;
        let month = self.byte()?;
        let day = self.byte()?;
        Some(Located::new(Date { year, month, day }, self.pos()?))
    }

    fn fact(&mut self) -> Option<Located<FactValue>> {
        let value = match self.byte()? {
            0 => FactValue::Bool(false),
            1 => FactValue::Bool(true),
            2 => {
                let bits = self.take(8)?.try_into().ok()?;
                FactValue::Number(f64::from_bits(u64::from_le_bytes(bits)))
            }
            _ => return None,
        };
        Some(Located::new(value, self.pos()?))
    }

    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    fn list<T>(&mut self, read: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count()?;
        (0..n).map(|_| read(self)).collect()
    }

    /// A map's entries, which were written in key order, one per key: read back into the
    /// same map, and refused when they are not in strictly ascending order.
    fn entries<K: Ord, V, M: FromIterator<(K, V)>>(
        &mut self,
        read: impl Fn(&mut Self) -> Option<(K, V)>,
    ) -> Option<M> {
        let entries = self.list(read)?;
        entries
            .windows(2)
            .all(|pair| pair[0].0 < pair[1].0)
            .then(|| entries.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::small_map::SmallMap;

    fn at(line: u32, col: u32) -> Pos {
        Pos::new(line, col)
    }

    fn text(s: &str, line: u32) -> Located<String> {
        Located::new(s.to_string(), at(line, 3))
    }

    /// A proposal using every field, with text that is not ASCII, large positions and a
    /// number whose bits matter.
    fn full() -> Proposal {
        Proposal {
            vendor: text("阿里云", 1),
            title: Some(text("长期合作 <script>", 2)),
            date: Located::new(
                Date {
                    year: 2026,
                    month: 2,
                    day: 5,
                },
                at(4, 9),
            ),
            phase: Some(text("poc", 5)),
            attendees: vec![text("张伟（CTO）", 6), text("", 6)],
            notes: Some(text("第一段\n\n- 要点 **30%**\n", 7)),
            directions: Some(vec![text("primary_model", 20), text("compute", 20)]),
            facts: [
                (
                    "terms.cost_reduction_pct",
                    Located::new(FactValue::Number(0.1 + 0.2), at(22, 24)),
                ),
                (
                    "poc.passed",
                    Located::new(FactValue::Bool(true), at(u32::MAX, u32::MAX)),
                ),
                (
                    "terms.exclusive",
                    Located::new(FactValue::Bool(false), at(23, 14)),
                ),
            ]
            .into_iter()
            .collect(),
            answers: [("cost", text("降 30%", 30)), ("exit", text("", 31))]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            checklist: [("a", true), ("b", false)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), Located::new(v, at(40, 5))))
                .collect(),
        }
    }

    fn empty() -> Proposal {
        Proposal {
            vendor: text("v", 1),
            title: None,
            date: Located::new(
                Date {
                    year: 1,
                    month: 1,
                    day: 1,
                },
                at(1, 1),
            ),
            phase: None,
            attendees: Vec::new(),
            notes: None,
            directions: None,
            facts: SmallMap::default(),
            answers: SmallMap::default(),
            checklist: SmallMap::default(),
        }
    }

    fn bytes(p: &Proposal) -> Vec<u8> {
        let mut out = Vec::new();
        encode(p, &mut out);
        out
    }

    #[test]
    fn decodes_what_it_encodes() {
        for p in [full(), empty()] {
            assert_eq!(decode(&bytes(&p)).expect("decodes"), p);
        }
        let bits = match decode(&bytes(&full()))
            .unwrap()
            .facts
            .get("terms.cost_reduction_pct")
        {
            Some(Located {
                value: FactValue::Number(n),
                ..
            }) => n.to_bits(),
            other => panic!("{other:?}"),
        };
        assert_eq!(bits, (0.1f64 + 0.2).to_bits());
    }

    #[test]
    fn refuses_every_cut_and_anything_after() {
        let whole = bytes(&full());
        for len in 0..whole.len() {
            assert_eq!(decode(&whole[..len]), None, "cut at {len}");
        }
        let mut longer = whole.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }

    #[test]
    fn refuses_damaged_bytes_without_panicking() {
        let whole = bytes(&full());
        // Every byte changed to a few values: whatever decodes must be a proposal, and no
        // change may panic or allocate for a count larger than the input.
        for at in 0..whole.len() {
            for value in [0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF] {
                let mut damaged = whole.clone();
                damaged[at] = value;
                let _ = decode(&damaged);
            }
        }
        // An unknown fact index, tag and option marker are refused.
        let mut p = empty();
        p.facts = [("poc.passed", Located::new(FactValue::Bool(true), at(1, 1)))]
            .into_iter()
            .collect();
        let good = bytes(&p);
        let index = fields::FACTS
            .iter()
            .position(|f| f.key == "poc.passed")
            .unwrap() as u8;
        let at_index = good.iter().rposition(|&b| b == index).unwrap();
        let mut bad = good.clone();
        bad[at_index] = fields::FACTS.len() as u8;
        assert_eq!(decode(&bad), None, "fact index");
        let mut bad = good.clone();
        bad[at_index + 1] = 3;
        assert_eq!(decode(&bad), None, "fact tag");
        let mut bad = bytes(&empty());
        let directions = bad.len() - 4;
        bad[directions] = 2;
        assert_eq!(decode(&bad), None, "directions marker");
    }

    #[test]
    fn refuses_entries_out_of_order() {
        // Two answers swapped in the bytes: a map written by `encode` is always ascending.
        let mut p = empty();
        p.answers = [("a", text("x", 1)), ("b", text("y", 1))]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let good = bytes(&p);
        let a = good.windows(2).position(|w| w == [1, b'a']).unwrap();
        let b = good.windows(2).position(|w| w == [1, b'b']).unwrap();
        let mut swapped = good.clone();
        swapped[a + 1] = b'b';
        swapped[b + 1] = b'a';
        assert!(decode(&good).is_some());
        assert_eq!(decode(&swapped), None);
    }

    #[test]
    fn numbers_round_trip_and_overlong_ones_are_refused() {
        for n in [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut out = Vec::new();
            write_number(&mut out, n);
            let mut slice = &out[..];
            assert_eq!(read_number(&mut slice), Some(n));
            assert!(slice.is_empty());
        }
        let mut eleven: &[u8] = &[0xFF; 11];
        assert_eq!(read_number(&mut eleven), None);
        let mut too_big: &[u8] = &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        assert_eq!(read_number(&mut too_big), None);
    }
}
