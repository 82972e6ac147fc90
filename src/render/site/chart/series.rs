//! Which of a vendor's meetings a chart draws (thinning) and how its line looks (colour and
//! style, from its name and the vendors sharing its colour).

use std::collections::BTreeMap;

use super::axes::days;
use super::{BUCKETS, COLOURS, MAX_POINTS, STYLES};
use crate::model::date::Date;
use crate::model::proposal::Proposal;

/// Each vendor's meetings with a value: their dates and values, in date order.
pub(super) type Meetings<'a> = BTreeMap<&'a str, Vec<(Date, f64)>>;

/// Each vendor's meetings to draw, and whether any were thinned (see the module's doc).
pub(super) fn thin_all<'a>(by_vendor: &Meetings<'a>, x0: f64, x1: f64) -> (Meetings<'a>, bool) {
    let mut thinned = false;
    let kept = by_vendor
        .iter()
        .map(|(vendor, points)| {
            let kept = thin(points, x0, x1);
            thinned |= kept.len() < points.len();
            (*vendor, kept)
        })
        .collect();
    (kept, thinned)
}

/// `points` (in date order) when there are at most `MAX_POINTS`; otherwise the first, the last
/// and the lowest and highest of each of `BUCKETS` spans of x0..x1, in date order.
fn thin(points: &[(Date, f64)], x0: f64, x1: f64) -> Vec<(Date, f64)> {
    if points.len() <= MAX_POINTS {
        return points.to_vec();
    }
    let mut extremes: Vec<Option<(usize, usize)>> = vec![None; BUCKETS];
    for (i, (date, value)) in points.iter().enumerate() {
        let at = ((days(*date) - x0) / (x1 - x0) * BUCKETS as f64).floor();
        let bucket = (at.max(0.0) as usize).min(BUCKETS - 1);
        extremes[bucket] = Some(match extremes[bucket] {
            None => (i, i),
            Some((lo, hi)) => (
                if *value < points[lo].1 { i } else { lo },
                if *value > points[hi].1 { i } else { hi },
            ),
        });
    }
    let mut keep: Vec<usize> = vec![0, points.len() - 1];
    keep.extend(extremes.into_iter().flatten().flat_map(|(lo, hi)| [lo, hi]));
    keep.sort_unstable();
    keep.dedup();
    keep.into_iter().map(|i| points[i]).collect()
}

/// FNV-1a, 32 bits: the same number for the same bytes on every machine and run.
pub(super) fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, b| {
        (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// A vendor's colour, `series-0` … `series-9`: from its name alone.
pub(super) fn colour_of(vendor: &str) -> u32 {
    fnv1a(vendor.as_bytes()) % COLOURS
}

/// The CSS classes of a vendor's line, marks and legend entry.
pub(super) fn series_class(colour: u32, style: usize) -> String {
    format!("series series-{colour}{}", STYLES[style % STYLES.len()])
}

/// Each vendor's classes and whether its marks are squares, the same in every chart: among
/// the vendors of the same colour, by their first meeting (then name), the first keeps the
/// plain style and the others take the next ones.
pub(super) fn series_classes<'a>(proposals: &[&'a Proposal]) -> BTreeMap<&'a str, (String, bool)> {
    let mut first: BTreeMap<&str, Date> = BTreeMap::new();
    for p in proposals {
        let date = first.entry(p.vendor.value.as_str()).or_insert(p.date.value);
        *date = (*date).min(p.date.value);
    }
    let mut colours: BTreeMap<u32, Vec<(Date, &str)>> = BTreeMap::new();
    for (vendor, date) in first {
        colours
            .entry(colour_of(vendor))
            .or_default()
            .push((date, vendor));
    }
    let mut out = BTreeMap::new();
    for (colour, mut vendors) in colours {
        vendors.sort();
        for (style, (_, vendor)) in vendors.into_iter().enumerate() {
            let style = style % STYLES.len();
            out.insert(vendor, (series_class(colour, style), style >= 2));
        }
    }
    out
}
