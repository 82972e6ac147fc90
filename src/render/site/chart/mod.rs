//! The meetings picture: each fact of `meetings.charts` over time, one line per vendor, the
//! rules' thresholds drawn across. Inline SVG made at build time; colours come from CSS
//! classes so it follows dark mode and prints.
//!
//! **Scale.** The SVG has a viewBox [`WIDTH`] units wide and no size of its own: the theme
//! makes it as wide as its container. Text sizes are viewBox units, so they scale with the
//! chart: the smallest, [`AXIS_SIZE`], is 11 px from a 326 px wide chart on (a 375 px phone
//! gives it 343 px), and the theme sets charts side by side where there is room, so that on a
//! desktop they stay about 460 px wide (text about 15 px) and fill the page together.
//!
//! **Layout.** Every text is a [`Label`] whose box the layout estimates, a little generously
//! (`measure::text_width`, [`ASCENT`], [`DESCENT`]), and keeps clear of every other box: the legend
//! wraps onto as many lines as the vendors take; the y axis is as wide as its longest number;
//! the x axis labels as many dates as fit, evenly spaced (`YYYY-MM-DD`, both ends included) or
//! month starts (`YYYY-MM`), whichever shows more; each threshold label goes at the right or
//! the left end of its line, above or below it, wherever it covers no point, no vendor's line,
//! no other label and no other threshold line; when one has no such place, all of them go
//! into a margin right of the plot, beside their lines.
//!
//! **Colours.** A vendor's colour is FNV-1a (32 bits) of its name's UTF-8 bytes mod 10, so it
//! does not depend on which other vendors there are. Vendors that share a colour are told
//! apart by line and mark, the same way in every chart: the one met first keeps solid lines and
//! filled dots, the next gets dashed lines and hollow dots (`series-alt`), then dotted lines and
//! squares (`series-dotted`), then dash-dot lines and hollow squares (`series-dashdot`), and
//! round again.
//!
//! **Dense series are thinned, not aggregated.** A vendor with more than [`MAX_POINTS`]
//! meetings on a chart is drawn through its first and its last meeting and, in each of
//! [`BUCKETS`] equal spans of the chart's time range, the meeting with its lowest and the one
//! with its highest value: every extreme and every crossing of a threshold stays visible (a
//! monthly mean would hide them) and no vendor draws more than `MAX_POINTS` marks. The chart's
//! description then says so; the meetings table below lists every meeting. One meeting is one
//! mark, with its date labelled.

use std::fmt::Write;

use crate::model::condition::Operand;
use crate::model::framework::Framework;
use crate::model::placeholders::format_number;
use crate::model::proposal::Proposal;

mod axes;
mod layout;
mod measure;
mod series;
#[cfg(test)]
mod tests;
mod thresholds;

use layout::{Anchor, Label, layout};

/// The viewBox's width. Its height is the title's and legend's lines, the plot and the x axis.
const WIDTH: f64 = 400.0;
/// Space kept free at the SVG's edges.
const PAD: f64 = 2.0;
const PLOT_HEIGHT: f64 = 180.0;
/// Font sizes in viewBox units, as the theme's `.chart` rules set them (`style.css`).
const TITLE_SIZE: f64 = 15.0;
const LEGEND_SIZE: f64 = 14.0;
const AXIS_SIZE: f64 = 13.5;
const LABEL_SIZE: f64 = 13.5;
/// A text's box above and below its baseline, in ems: the line metrics of Noto Sans CJK, the
/// tallest of the fonts the theme names (and what a browser's `getBBox()` reports).
const ASCENT: f64 = 1.16;
const DESCENT: f64 = 0.29;
/// Where a baseline goes below a line for the text to be centred on it, in ems.
const CENTRE: f64 = 0.35;
/// The baseline of the title and of the legend's first line, and the legend's line height
/// (at least `(ASCENT + DESCENT) * TITLE_SIZE`).
const BASELINE: f64 = 20.0;
const LINE: f64 = 22.0;
/// A legend entry's key (a piece of the vendor's line with its mark) and the gap to its
/// name; the gap after a name (and after the title).
const KEY: f64 = 16.0;
const SWATCH: f64 = KEY + 5.0;
const GAP: f64 = 14.0;
/// The least space between two dates of the x axis.
const DATE_GAP: f64 = 10.0;
/// A mark's radius (a square mark is as large).
const R: f64 = 4.0;
/// Thinning: the chart's time range is cut into `BUCKETS` spans.
const BUCKETS: usize = 12;
/// The most marks a vendor draws on a chart.
pub const MAX_POINTS: usize = 2 * BUCKETS + 2;
/// Distinct colours (`series-0` … `series-9` in the theme's CSS).
const COLOURS: u32 = 10;
/// The styles of vendors sharing a colour, in order of their first meeting; the last two
/// draw squares.
const STYLES: [&str; 4] = ["", " series-alt", " series-dotted", " series-dashdot"];

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
    let chart = layout(framework, proposals, series)?;
    let id = series.fact.replace('.', "-");
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {}" role="img" aria-labelledby="chart-{id}-title"><title id="chart-{id}-title">{}</title>"#,
        chart.height,
        escape(&series.title)
    );
    if chart.thinned {
        let _ = write!(
            s,
            "<desc>会谈较多：每个对方画出第一次和最后一次会谈，以及时间轴等分的 {BUCKETS} 段中每段的最高值和最低值；每次会谈见下方表格。</desc>"
        );
    }
    text(&mut s, &chart.title);
    let plot = chart.frame.plot;
    for (y, label) in &chart.y_axis {
        let _ = write!(
            s,
            r#"<line class="grid" x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/>"#,
            plot.left, plot.right
        );
        if let Some(label) = label {
            text(&mut s, label);
        }
    }
    for (x, label) in &chart.x_axis {
        let _ = write!(
            s,
            r#"<line class="grid" x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}"/>"#,
            plot.bottom,
            plot.bottom + 5.0
        );
        text(&mut s, label);
    }
    for (y, _) in &chart.thresholds {
        let _ = write!(
            s,
            r#"<line class="threshold" x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/>"#,
            plot.left, plot.right
        );
    }
    for line in &chart.lines {
        let _ = write!(s, r#"<g class="{}">"#, line.class);
        if line.marks.len() > 1 {
            let path: Vec<String> = line
                .marks
                .iter()
                .map(|m| format!("{:.1},{:.1}", m.x, m.y))
                .collect();
            let _ = write!(s, r#"<polyline points="{}"/>"#, path.join(" "));
        }
        for m in &line.marks {
            let tip = format!(
                "{} {}：{}{}",
                escape(line.vendor),
                m.date,
                format_number(m.value),
                escape(&series.unit)
            );
            mark(&mut s, line.square, m.x, m.y, Some(&tip));
        }
        let key_y = line.legend.y - CENTRE * LEGEND_SIZE;
        let key_x = line.legend.x - SWATCH;
        let _ = write!(
            s,
            r#"<line class="key" x1="{key_x:.1}" x2="{:.1}" y1="{key_y:.1}" y2="{key_y:.1}"/>"#,
            key_x + KEY
        );
        mark(&mut s, line.square, key_x + KEY / 2.0, key_y, None);
        text(&mut s, &line.legend);
        s.push_str("</g>");
    }
    for (_, label) in &chart.thresholds {
        text(&mut s, label);
    }
    s.push_str("</svg>");
    Some(s)
}

fn text(s: &mut String, label: &Label) {
    let anchor = match label.anchor {
        Anchor::Start => "",
        Anchor::Middle => r#" text-anchor="middle""#,
        Anchor::End => r#" text-anchor="end""#,
    };
    let _ = write!(
        s,
        r#"<text class="{}" x="{:.1}" y="{:.1}"{anchor}>{}</text>"#,
        label.class,
        label.x,
        label.y,
        escape(&label.text)
    );
}

/// A dot, or a square of about the same area, centred on (x, y).
fn mark(s: &mut String, square: bool, x: f64, y: f64, tip: Option<&str>) {
    let tip = tip.map(|t| format!("<title>{t}</title>"));
    let side = R * 1.8;
    let _ = match (square, tip) {
        (false, None) => write!(
            s,
            r#"<circle class="dot" cx="{x:.1}" cy="{y:.1}" r="{R}"/>"#
        ),
        (false, Some(tip)) => write!(
            s,
            r#"<circle class="dot" cx="{x:.1}" cy="{y:.1}" r="{R}">{tip}</circle>"#
        ),
        (true, None) => write!(
            s,
            r#"<rect class="dot" x="{:.1}" y="{:.1}" width="{side:.1}" height="{side:.1}"/>"#,
            x - side / 2.0,
            y - side / 2.0
        ),
        (true, Some(tip)) => write!(
            s,
            r#"<rect class="dot" x="{:.1}" y="{:.1}" width="{side:.1}" height="{side:.1}">{tip}</rect>"#,
            x - side / 2.0,
            y - side / 2.0
        ),
    };
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
