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
const HEIGHT: f64 = 230.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 34.0;

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
        .chain(&framework.no_go.rules)
        .flat_map(|r| r.when.leaves())
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
        if let Some(FactValue::Number(v)) = p.fact(series.fact).map(|f| f.value) {
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
    let sx = |d: f64| LEFT + (d - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT);
    let sy = |v: f64| HEIGHT - BOTTOM - (v - y0) / (y1 - y0) * (HEIGHT - TOP - BOTTOM);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-{id}-title"><title id="chart-{id}-title">{title}</title>"#,
        id = series.fact.replace('.', "-"),
        title = escape(&series.title)
    );
    let _ = write!(
        s,
        r#"<text class="chart-title" x="{LEFT}" y="18">{}（{}）</text>"#,
        escape(&series.title),
        escape(&series.unit)
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
        HEIGHT - 10.0,
        date_of(x0)
    );
    let _ = write!(
        s,
        r#"<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>"#,
        WIDTH - RIGHT,
        HEIGHT - 10.0,
        date_of(x1)
    );
    for (i, (vendor, points)) in by_vendor.iter().enumerate() {
        let colour = vendors.iter().position(|v| v == vendor).unwrap_or(i);
        let class = format!("series series-{}", colour % 6);
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
        let legend_x = LEFT + 150.0 + i as f64 * 110.0;
        let _ = write!(
            s,
            r#"<rect x="{legend_x}" y="9" width="10" height="10"/><text class="legend" x="{}" y="18">{}</text></g>"#,
            legend_x + 14.0,
            escape(vendor)
        );
    }
    s.push_str("</svg>");
    Some(s)
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
    fn escapes_vendor_names() {
        assert_eq!(escape("<b>&\""), "&lt;b&gt;&amp;&quot;");
    }
}
