//! The meetings picture: cost reduction and PoC latency of every meeting over time, one line
//! per vendor, the rules' thresholds drawn across. Inline SVG made at build time; colours come
//! from CSS classes so it follows dark mode and prints.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::condition::Operand;
use crate::model::date::Date;
use crate::model::framework::Framework;
use crate::model::placeholders::format_number;
use crate::model::proposal::{FactValue, Proposal};

const WIDTH: f64 = 640.0;
/// The height with the title and the legend on one line; each more line of legend adds
/// `LINE` above the plot, which keeps its size.
const HEIGHT: f64 = 230.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 34.0;
/// The baseline of the title and of the legend's first line, and the legend's line height.
const BASELINE: f64 = 18.0;
const LINE: f64 = 18.0;
/// Distinct colours (`series-0` … `series-9` in the theme's CSS); past them a vendor's line is
/// dashed and its marks hollow (`series-alt`).
const COLOURS: usize = 10;

/// One panel of the picture: a fact over time.
pub struct Series<'a> {
    pub fact: &'a str,
    pub title: String,
    pub unit: String,
}

/// The thresholds the Go and No-Go rules compare `fact` with, from the YAML.
pub fn thresholds_of(framework: &Framework, fact: &str) -> Vec<f64> {
    let mut values: Vec<f64> = framework
        .go
        .rules
        .iter()
        .map(|r| &r.when)
        .chain(framework.no_go.rules.iter().map(|r| &r.when))
        .flat_map(|when| when.leaves())
        .filter(|l| l.fact.value == fact)
        .filter_map(|l| match &l.value.value {
            Operand::Number(n) => Some(*n),
            Operand::Threshold(name) => framework.threshold(name),
            Operand::Bool(_) => None,
        })
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    values
}

/// An SVG of `series` for the proposals (any order), or None when no meeting has a value.
pub fn svg(framework: &Framework, proposals: &[&Proposal], series: &Series<'_>) -> Option<String> {
    // Colours follow the vendor across every chart: its place among all vendors.
    let vendors: std::collections::BTreeSet<&str> =
        proposals.iter().map(|p| p.vendor.value.as_str()).collect();
    let mut by_vendor: BTreeMap<&str, Vec<(Date, f64)>> = BTreeMap::new();
    for p in proposals {
        if let Some(FactValue::Number(v)) = p.fact(series.fact) {
            by_vendor
                .entry(p.vendor.value.as_str())
                .or_default()
                .push((p.date.value, v));
        }
    }
    if by_vendor.is_empty() {
        return None;
    }
    for points in by_vendor.values_mut() {
        points.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    }
    let thresholds = thresholds_of(framework, series.fact);
    let days = |d: Date| (d.unix_seconds() / 86_400) as f64;
    let all: Vec<(Date, f64)> = by_vendor.values().flatten().copied().collect();
    let (mut x0, mut x1) = all.iter().fold((f64::MAX, f64::MIN), |(a, b), (d, _)| {
        (a.min(days(*d)), b.max(days(*d)))
    });
    if x1 - x0 < 14.0 {
        x0 -= 7.0;
        x1 += 7.0;
    }
    let top_value = all
        .iter()
        .map(|p| p.1)
        .chain(thresholds.iter().copied())
        .fold(0.0_f64, f64::max);
    let low_value = all.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let (y0, y1) = (low_value.min(0.0), nice_ceiling(top_value * 1.15));
    let title = format!("{}（{}）", series.title, series.unit);
    let names: Vec<&str> = by_vendor.keys().copied().collect();
    let (legend, lines) = legend_layout(text_width(&title, TITLE_SIZE), &names);
    let below = (lines - 1) as f64 * LINE;
    let (top, height) = (TOP + below, HEIGHT + below);
    let sx = |d: f64| LEFT + (d - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
    let sy = |v: f64| height - BOTTOM - (v - y0) / (y1 - y0) * (height - top - BOTTOM);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-{id}-title"><title id="chart-{id}-title">{title}</title>"#,
        id = series.fact.replace('.', "-"),
        title = escape(&series.title)
    );
    let _ = write!(
        s,
        r#"<text class="chart-title" x="{LEFT}" y="{BASELINE}">{}</text>"#,
        escape(&title)
    );
    for tick in ticks(y0, y1) {
        let y = sy(tick);
        let _ = write!(
            s,
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="axis" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            format_number(tick)
        );
    }
    // Highest first: its label above its line, the next one's below, and so on.
    for (i, t) in thresholds.iter().rev().enumerate() {
        let y = sy(*t);
        // Alternate labels above and below their lines, so near thresholds stay readable.
        let label_y = if i % 2 == 0 { y - 4.0 } else { y + 13.0 };
        let _ = write!(
            s,
            r#"<line class="threshold" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="threshold-label" x="{}" y="{:.1}" text-anchor="end">阈值 {}{}</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT,
            label_y,
            format_number(*t),
            escape(&series.unit)
        );
    }
    let _ = write!(
        s,
        r#"<text class="axis" x="{LEFT}" y="{}">{}</text>"#,
        height - 10.0,
        date_of(x0)
    );
    let _ = write!(
        s,
        r#"<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>"#,
        WIDTH - RIGHT,
        height - 10.0,
        date_of(x1)
    );
    for (i, ((vendor, points), (legend_x, legend_y))) in by_vendor.iter().zip(legend).enumerate() {
        let colour = vendors.iter().position(|v| v == vendor).unwrap_or(i);
        let class = series_class(colour);
        let path: Vec<String> = points
            .iter()
            .map(|(d, v)| format!("{:.1},{:.1}", sx(days(*d)), sy(*v)))
            .collect();
        let _ = write!(
            s,
            r#"<g class="{class}"><polyline points="{}"/>"#,
            path.join(" ")
        );
        for (d, v) in points {
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="4"><title>{} {}：{}{}</title></circle>"#,
                sx(days(*d)),
                sy(*v),
                escape(vendor),
                d,
                format_number(*v),
                escape(&series.unit)
            );
        }
        let _ = write!(
            s,
            r#"<rect x="{legend_x}" y="{}" width="10" height="10"/><text class="legend" x="{}" y="{legend_y}">{}</text></g>"#,
            legend_y - 9.0,
            legend_x + SWATCH,
            escape(vendor)
        );
    }
    s.push_str("</svg>");
    Some(s)
}

/// The CSS classes of the `n`th vendor's line, marks and legend entry.
fn series_class(n: usize) -> String {
    match n / COLOURS {
        0 => format!("series series-{n}"),
        _ => format!("series series-{} series-alt", n % COLOURS),
    }
}

/// Font sizes of the title and the legend, as the theme's `.chart` rules set them.
const TITLE_SIZE: f64 = 14.0;
const LEGEND_SIZE: f64 = 13.0;
/// A legend entry's swatch and the gap to its name; the gap after a name.
const SWATCH: f64 = 14.0;
const GAP: f64 = 18.0;

/// How wide `text` is drawn at `size` px, a little on the wide side: a CJK character is a
/// square em; Latin letters, digits and signs are about 0.62 em in the sans-serif fonts the
/// theme names.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.62 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// Where each legend entry goes (its swatch's left edge and its baseline): after the title on
/// the title's line, then on as many lines below as it takes, none past the right edge.
/// Returns the positions, in order, and the number of lines.
fn legend_layout(title_width: f64, names: &[&str]) -> (Vec<(f64, f64)>, usize) {
    let right = WIDTH - RIGHT;
    let (mut x, mut line) = (LEFT + title_width + 2.0 * GAP, 0);
    let mut at = Vec::with_capacity(names.len());
    for name in names {
        let width = SWATCH + text_width(name, LEGEND_SIZE);
        // A name too long for any line still starts a line of its own.
        if x + width > right && x > LEFT {
            (x, line) = (LEFT, line + 1);
        }
        at.push((x, BASELINE + line as f64 * LINE));
        x += width + GAP;
    }
    (at, line + 1)
}

fn date_of(days: f64) -> Date {
    Date::from_unix_seconds(days as i64 * 86_400)
}

fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v)
        .unwrap_or(v)
}

fn ticks(y0: f64, y1: f64) -> Vec<f64> {
    let step = nice_ceiling((y1 - y0) / 5.0);
    let mut t = (y0 / step).ceil() * step;
    let mut out = Vec::new();
    while t <= y1 + 1e-9 && out.len() < 12 {
        out.push(t);
        t += step;
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_ceiling(46.0), 50.0);
        assert_eq!(nice_ceiling(5.75), 10.0);
        assert_eq!(ticks(0.0, 50.0), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
    }

    #[test]
    fn the_legend_wraps_inside_the_chart_without_overlaps() {
        let names = [
            "阿里云",
            "火山引擎",
            "腾讯云",
            "华为云",
            "百度智能云",
            "京东云",
            "天翼云",
            "移动云",
            "联通云",
            "Amazon Web Services",
            "金山云",
        ];
        let title = text_width("PoC 验证延迟（s）", TITLE_SIZE);
        let (at, lines) = legend_layout(title, &names);
        assert_eq!(at.len(), names.len());
        assert!(lines > 1, "eleven vendors take more than the title's line");
        let right = |i: usize| at[i].0 + SWATCH + text_width(names[i], LEGEND_SIZE);
        for i in 0..names.len() {
            assert!(right(i) <= WIDTH - RIGHT, "{} ends past the edge", names[i]);
            assert!(at[i].0 >= LEFT);
            if i > 0 && at[i].1 == at[i - 1].1 {
                assert!(at[i].0 >= right(i - 1) + GAP, "{} overlaps", names[i]);
            }
        }
        // The first line leaves the title alone.
        assert!(at[0].0 >= LEFT + title && at[0].1 == BASELINE);
        assert_eq!(at[names.len() - 1].1, BASELINE + (lines - 1) as f64 * LINE);
        // Two vendors stay on the title's line.
        assert_eq!(legend_layout(title, &names[..2]).1, 1);
    }

    #[test]
    fn vendors_past_the_colours_are_told_apart_by_dashes() {
        let classes: Vec<String> = (0..2 * COLOURS).map(series_class).collect();
        let unique: std::collections::BTreeSet<&String> = classes.iter().collect();
        assert_eq!(unique.len(), classes.len());
        assert_eq!(series_class(3), "series series-3");
        assert_eq!(series_class(COLOURS + 3), "series series-3 series-alt");
    }

    #[test]
    fn escapes_vendor_names() {
        assert_eq!(escape("<b>&\""), "&lt;b&gt;&amp;&quot;");
    }
}
