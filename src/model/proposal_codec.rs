//! A loaded [`Proposal`] as compact bytes and back, for the record of proposals already read
//! (`proposal_cache`): decoding one is several times cheaper than reading its YAML again.
//!
//! The bytes are exactly the model: every value with its position, in field order, in the
//! pieces of [`crate::binary`]; a fact's key is its index in [`fields::FACTS`], a fact's
//! number its IEEE bits. Decoding checks everything it reads (lengths, UTF-8, tags,
//! fact indices) and fails, never panics, on bytes that are not an encoding: a truncated or
//! damaged record is read as no record. It is only ever trusted with bytes this same binary
//! wrote (the record carries the binary's identity).

use super::date::Date;
use super::fields;
use super::proposal::{FactValue, Proposal};
use crate::binary::{Decoder, Encoder};
use crate::location::{Located, Pos};

/// Appends `proposal`'s encoding to `out`.
pub fn encode(proposal: &Proposal, out: &mut Vec<u8>) {
    let mut e = Encoder(out);
    text(&mut e, &proposal.vendor);
    e.option(proposal.title.as_ref(), text);
    date(&mut e, &proposal.date);
    e.option(proposal.phase.as_ref(), text);
    e.list(proposal.attendees.iter(), text);
    e.option(proposal.notes.as_ref(), text);
    e.option(proposal.directions.as_ref(), |e, list| {
        e.list(list.iter(), text)
    });
    e.len(proposal.facts.len());
    for (key, value) in proposal.facts.iter() {
        // Every key of a loaded proposal is one of the table's.
        let index = fields::FACTS.iter().position(|f| f.key == *key);
        e.len(index.unwrap_or(usize::MAX));
        fact(&mut e, value);
    }
    e.len(proposal.answers.len());
    for (id, answer) in proposal.answers.iter() {
        e.string(id);
        text(&mut e, answer);
    }
    e.len(proposal.checklist.len());
    for (id, done) in proposal.checklist.iter() {
        e.string(id);
        pos(&mut e, done.pos);
        e.byte(u8::from(done.value));
    }
}

/// The proposal encoded in all of `bytes`; `None` when they are not exactly one encoding.
pub fn decode(bytes: &[u8]) -> Option<Proposal> {
    let mut d = Decoder(bytes);
    let proposal = Proposal {
        vendor: read_text(&mut d)?,
        title: d.option(read_text)?,
        date: read_date(&mut d)?,
        phase: d.option(read_text)?,
        attendees: d.list(read_text)?,
        notes: d.option(read_text)?,
        directions: d.option(|d| d.list(read_text))?,
        facts: entries(&mut d, |d| {
            let def = fields::FACTS.get(d.small::<usize>()?)?;
            Some((def.key, read_fact(d)?))
        })?,
        answers: entries(&mut d, |d| Some((d.string()?, read_text(d)?)))?,
        checklist: entries(&mut d, |d| {
            let id = d.string()?;
            let at = read_pos(d)?;
            let done = match d.byte()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            Some((id, Located::new(done, at)))
        })?,
    };
    d.is_empty().then_some(proposal)
}

fn pos(e: &mut Encoder<'_>, at: Pos) {
    e.number(u64::from(at.line));
    e.number(u64::from(at.col));
}

fn text(e: &mut Encoder<'_>, text: &Located<String>) {
    e.string(&text.value);
    pos(e, text.pos);
}

fn date(e: &mut Encoder<'_>, date: &Located<Date>) {
    let Date { year, month, day } = date.value;
    e.number(u64::from(year));
    e.bytes(&[month, day]);
    pos(e, date.pos);
}

fn fact(e: &mut Encoder<'_>, fact: &Located<FactValue>) {
    match fact.value {
        FactValue::Bool(b) => e.byte(u8::from(b)),
        FactValue::Number(n) => {
            e.byte(2);
            e.bytes(&n.to_bits().to_le_bytes());
        }
    }
    pos(e, fact.pos);
}

fn read_pos(d: &mut Decoder<'_>) -> Option<Pos> {
    Some(Pos::new(d.small()?, d.small()?))
}

fn read_text(d: &mut Decoder<'_>) -> Option<Located<String>> {
    Some(Located::new(d.string()?, read_pos(d)?))
}

fn read_date(d: &mut Decoder<'_>) -> Option<Located<Date>> {
    let year = d.small()?;
    let [month, day] = d.array()?;
    Some(Located::new(Date { year, month, day }, read_pos(d)?))
}

fn read_fact(d: &mut Decoder<'_>) -> Option<Located<FactValue>> {
    let value = match d.byte()? {
        0 => FactValue::Bool(false),
        1 => FactValue::Bool(true),
        2 => FactValue::Number(f64::from_bits(u64::from_le_bytes(d.array()?))),
        _ => return None,
    };
    Some(Located::new(value, read_pos(d)?))
}

/// A map's entries, which were written in key order, one per key: read back into the same
/// map, and refused when they are not in strictly ascending order.
fn entries<'a, K: Ord, V, M: FromIterator<(K, V)>>(
    d: &mut Decoder<'a>,
    read: impl Fn(&mut Decoder<'a>) -> Option<(K, V)>,
) -> Option<M> {
    let entries = d.list(read)?;
    entries
        .windows(2)
        .all(|pair| pair[0].0 < pair[1].0)
        .then(|| entries.into_iter().collect())
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
}
