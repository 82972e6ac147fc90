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
//! ([`text_width`], [`ASCENT`], [`DESCENT`]), and keeps clear of every other box: the legend
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

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::condition::Operand;
use crate::model::date::Date;
use crate::model::framework::Framework;
use crate::model::placeholders::format_number;
use crate::model::proposal::{FactValue, Proposal};

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

// ---------------------------------------------------------------- layout

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    fn inside(&self, other: &Rect) -> bool {
        self.left >= other.left
            && self.right <= other.right
            && self.top >= other.top
            && self.bottom <= other.bottom
    }

    /// The box a mark at (x, y) covers, its outline included.
    fn mark(x: f64, y: f64) -> Rect {
        let r = R + 1.5;
        Rect {
            left: x - r,
            top: y - r,
            right: x + r,
            bottom: y + r,
        }
    }

    /// Whether the segment from a to b passes through this box (Liang–Barsky).
    fn crossed_by(&self, (ax, ay): (f64, f64), (bx, by): (f64, f64)) -> bool {
        let (dx, dy) = (bx - ax, by - ay);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, ax - self.left),
            (dx, self.right - ax),
            (-dy, ay - self.top),
            (dy, self.bottom - ay),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else if p < 0.0 {
                t0 = t0.max(q / p);
            } else {
                t1 = t1.min(q / p);
            }
        }
        t0 <= t1
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// A text of the chart where it is drawn (`x` per `anchor`, `y` its baseline).
#[derive(Debug, Clone)]
struct Label {
    class: &'static str,
    text: String,
    x: f64,
    y: f64,
    anchor: Anchor,
    size: f64,
    /// Room taken left of the text (a legend entry's key).
    lead: f64,
}

impl Label {
    fn new(class: &'static str, text: String, x: f64, y: f64, anchor: Anchor, size: f64) -> Self {
        Label {
            class,
            text,
            x,
            y,
            anchor,
            size,
            lead: 0.0,
        }
    }

    fn width(&self) -> f64 {
        text_width(&self.text, self.size)
    }

    /// The box the text (and its lead) covers, by the estimates of `text_width`.
    fn bbox(&self) -> Rect {
        let width = self.width();
        let left = match self.anchor {
            Anchor::Start => self.x,
            Anchor::Middle => self.x - width / 2.0,
            Anchor::End => self.x - width,
        };
        Rect {
            left: left - self.lead,
            top: self.y - ASCENT * self.size,
            right: left + width,
            bottom: self.y + DESCENT * self.size,
        }
    }

    /// The same text centred on `x`, moved (or anchored at the edge) to stay within `plot`.
    fn centred_within(mut self, x: f64, plot: &Rect) -> Self {
        let half = self.width() / 2.0;
        if plot.right - plot.left < 2.0 * half {
            (self.x, self.anchor) = (plot.left, Anchor::Start);
        } else {
            (self.x, self.anchor) = (x.clamp(plot.left + half, plot.right - half), Anchor::Middle);
        }
        self
    }
}

/// The chart's ranges and where its plot is.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// First and last day (days since 1970).
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    plot: Rect,
}

impl Frame {
    fn sx(&self, day: f64) -> f64 {
        self.plot.left + (day - self.x0) / (self.x1 - self.x0) * (self.plot.right - self.plot.left)
    }

    fn sy(&self, value: f64) -> f64 {
        self.plot.bottom
            - (value - self.y0) / (self.y1 - self.y0) * (self.plot.bottom - self.plot.top)
    }
}

#[derive(Debug, Clone, Copy)]
struct Mark {
    date: Date,
    value: f64,
    x: f64,
    y: f64,
}

/// A vendor's line, marks and legend entry.
#[derive(Debug)]
struct Line<'a> {
    vendor: &'a str,
    class: String,
    square: bool,
    marks: Vec<Mark>,
    legend: Label,
}

/// Everything the SVG draws, where it goes.
#[derive(Debug)]
struct Layout<'a> {
    height: f64,
    frame: Frame,
    title: Label,
    /// Gridlines (their y) and their value, unless it would touch the one below.
    y_axis: Vec<(f64, Option<Label>)>,
    /// Ticks (their x) and their date.
    x_axis: Vec<(f64, Label)>,
    /// Threshold lines (their y) and their labels.
    thresholds: Vec<(f64, Label)>,
    lines: Vec<Line<'a>>,
    /// Whether some vendor's meetings were thinned.
    thinned: bool,
}

#[cfg(test)]
impl Layout<'_> {
    fn labels(&self) -> Vec<&Label> {
        let mut all = vec![&self.title];
        all.extend(self.lines.iter().map(|l| &l.legend));
        all.extend(self.y_axis.iter().filter_map(|(_, l)| l.as_ref()));
        all.extend(self.x_axis.iter().map(|(_, l)| l));
        all.extend(self.thresholds.iter().map(|(_, l)| l));
        all
    }

    fn marks(&self) -> impl Iterator<Item = Rect> + '_ {
        self.lines
            .iter()
            .flat_map(|l| l.marks.iter().map(|m| Rect::mark(m.x, m.y)))
    }
}

/// Each vendor's meetings with a value: their dates and values, in date order.
type Meetings<'a> = BTreeMap<&'a str, Vec<(Date, f64)>>;

/// A piece of a vendor's line, from one mark to the next.
type Segment = ((f64, f64), (f64, f64));

fn days(date: Date) -> f64 {
    (date.unix_seconds() / 86_400) as f64
}

fn layout<'a>(
    framework: &Framework,
    proposals: &[&'a Proposal],
    series: &Series<'_>,
) -> Option<Layout<'a>> {
    let mut by_vendor: Meetings<'a> = BTreeMap::new();
    for p in proposals {
        if let Some(FactValue::Number(v)) = p.fact(series.fact)
            && v.is_finite()
        {
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
    let classes = series_classes(proposals);
    let thresholds: Vec<f64> = thresholds_of(framework, series.fact)
        .into_iter()
        .filter(|t| t.is_finite())
        .collect();

    // Ranges: at least two weeks of time; values from zero (or below) to above the highest
    // value and threshold.
    let dates = by_vendor.values().flatten().map(|p| days(p.0));
    let (mut x0, mut x1) = dates.fold((f64::MAX, f64::MIN), |(a, b), d| (a.min(d), b.max(d)));
    if x1 - x0 < 14.0 {
        x0 -= 7.0;
        x1 += 7.0;
    }
    let values = || {
        by_vendor
            .values()
            .flatten()
            .map(|p| p.1)
            .chain(thresholds.iter().copied())
    };
    let top = values().fold(0.0_f64, f64::max);
    let low = values().fold(0.0_f64, f64::min);
    let y1 = nice_ceiling(top * 1.15);
    let y0 = if low < 0.0 {
        -nice_ceiling(-low * 1.05)
    } else {
        0.0
    };

    // Title and legend, then the plot, then the dates.
    let title_text = if series.unit.is_empty() {
        series.title.clone()
    } else {
        format!("{}（{}）", series.title, series.unit)
    };
    let title = Label::new(
        "chart-title",
        fit(&title_text, TITLE_SIZE, WIDTH - 2.0 * PAD),
        PAD,
        BASELINE,
        Anchor::Start,
        TITLE_SIZE,
    );
    let names: Vec<String> = by_vendor
        .keys()
        .map(|v| fit(v, LEGEND_SIZE, WIDTH - 2.0 * PAD - SWATCH))
        .collect();
    let (legend, lines) = legend_layout(title.width(), &names);
    let last_baseline = BASELINE + (lines - 1) as f64 * LINE;
    let plot_top =
        (last_baseline + DESCENT * TITLE_SIZE + (ASCENT - CENTRE) * AXIS_SIZE + 4.0).ceil();
    let plot_bottom = plot_top + PLOT_HEIGHT;
    let date_baseline = (plot_bottom + 6.0 + ASCENT * AXIS_SIZE).ceil();
    let height = (date_baseline + DESCENT * AXIS_SIZE + PAD).ceil();

    // The y axis, as wide as its longest number.
    let mut frame = Frame {
        x0,
        x1,
        y0,
        y1,
        plot: Rect {
            left: 0.0,
            top: plot_top,
            right: WIDTH - PAD - R - 2.0,
            bottom: plot_bottom,
        },
    };
    let numbers: Vec<(f64, String)> = ticks(y0, y1)
        .into_iter()
        .map(|t| (t, format_number(t)))
        .collect();
    let widest = numbers
        .iter()
        .map(|(_, n)| text_width(n, AXIS_SIZE))
        .fold(0.0, f64::max);
    frame.plot.left = (PAD + widest + 6.0).ceil();
    let mut y_axis: Vec<(f64, Option<Label>)> = Vec::new();
    let mut last: Option<Rect> = None;
    for (t, number) in numbers {
        let y = frame.sy(t);
        let label = Label::new(
            "axis",
            number,
            frame.plot.left - 6.0,
            y + CENTRE * AXIS_SIZE,
            Anchor::End,
            AXIS_SIZE,
        );
        let b = label.bbox();
        // Lowest first: a number that would touch the one below is left out.
        let clear = last.is_none_or(|l| b.bottom + 1.0 <= l.top);
        if clear {
            last = Some(b);
        }
        y_axis.push((y, clear.then_some(label)));
    }

    let (kept, thinned) = thin_all(&by_vendor, x0, x1);
    let legend_labels: Vec<Label> = names
        .into_iter()
        .zip(&legend)
        .map(|(name, (x, y))| Label {
            lead: SWATCH,
            ..Label::new("legend", name, x + SWATCH, *y, Anchor::Start, LEGEND_SIZE)
        })
        .collect();
    let draw = |frame: &Frame| -> (Vec<Line<'a>>, Vec<(f64, Label)>) {
        let lines = kept
            .iter()
            .zip(&legend_labels)
            .map(|((vendor, points), legend)| {
                let (class, square) = classes
                    .get(vendor)
                    .cloned()
                    .unwrap_or_else(|| (series_class(colour_of(vendor), 0), false));
                Line {
                    vendor,
                    class,
                    square,
                    marks: points
                        .iter()
                        .map(|(date, value)| Mark {
                            date: *date,
                            value: *value,
                            x: frame.sx(days(*date)),
                            y: frame.sy(*value),
                        })
                        .collect(),
                    legend: legend.clone(),
                }
            })
            .collect();
        (lines, date_axis(frame, date_baseline))
    };

    let (mut lines, mut x_axis) = draw(&frame);
    let mut chart = Layout {
        height,
        frame,
        title,
        y_axis,
        x_axis: Vec::new(),
        thresholds: Vec::new(),
        lines: Vec::new(),
        thinned,
    };
    let placed = {
        let fixed: Vec<Rect> = std::iter::once(&chart.title)
            .chain(&legend_labels)
            .chain(chart.y_axis.iter().filter_map(|(_, l)| l.as_ref()))
            .chain(x_axis.iter().map(|(_, l)| l))
            .map(Label::bbox)
            .chain(
                lines
                    .iter()
                    .flat_map(|l| l.marks.iter().map(|m| Rect::mark(m.x, m.y))),
            )
            .collect();
        let segments: Vec<Segment> = lines
            .iter()
            .flat_map(|l| {
                l.marks
                    .windows(2)
                    .map(|w| ((w[0].x, w[0].y), (w[1].x, w[1].y)))
            })
            .collect();
        thresholds_inside(&frame, &thresholds, &series.unit, &fixed, &segments)
    };
    chart.thresholds = match placed {
        Some(placed) => placed,
        None => {
            // Into the margin: narrow the plot to make room, and draw it again.
            let widest = thresholds
                .iter()
                .map(|t| text_width(&threshold_text(*t, &series.unit), LABEL_SIZE))
                .fold(0.0, f64::max);
            frame.plot.right = (WIDTH - PAD - widest - R - 4.0).floor();
            (lines, x_axis) = draw(&frame);
            thresholds_in_margin(&frame, &thresholds, &series.unit, height)
        }
    };
    chart.frame = frame;
    chart.lines = lines;
    chart.x_axis = x_axis;
    Some(chart)
}

fn threshold_text(value: f64, unit: &str) -> String {
    format!("阈值 {}{}", format_number(value), unit)
}

/// Threshold labels at an end of their lines (right, left; above, below), highest first, or
/// None when one finds no place clear of `fixed` (labels and marks), of the vendors' lines, of
/// the other labels and of the other thresholds.
fn thresholds_inside(
    frame: &Frame,
    thresholds: &[f64],
    unit: &str,
    fixed: &[Rect],
    segments: &[Segment],
) -> Option<Vec<(f64, Label)>> {
    let plot = frame.plot;
    let ys: Vec<f64> = thresholds.iter().map(|t| frame.sy(*t)).collect();
    let mut placed: Vec<(f64, Label)> = Vec::new();
    for (i, t) in thresholds.iter().enumerate().rev() {
        let y = ys[i];
        let text = threshold_text(*t, unit);
        let (above, below) = (y - 5.0, y + 5.0 + ASCENT * LABEL_SIZE);
        let (left, right) = (plot.left + 3.0, plot.right - 3.0);
        let best = [
            (right, above, Anchor::End),
            (left, above, Anchor::Start),
            (right, below, Anchor::End),
            (left, below, Anchor::Start),
        ]
        .into_iter()
        .map(|(x, baseline, anchor)| {
            Label::new(
                "threshold-label",
                text.clone(),
                x,
                baseline,
                anchor,
                LABEL_SIZE,
            )
        })
        .find(|label| {
            let b = label.bbox();
            b.inside(&plot)
                && !fixed.iter().any(|f| f.overlaps(&b))
                && !placed.iter().any(|(_, p)| p.bbox().overlaps(&b))
                && !ys
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && b.top - 1.0 < *other && *other < b.bottom + 1.0)
                && !segments.iter().any(|(a, z)| b.crossed_by(*a, *z))
        })?;
        placed.push((y, best));
    }
    Some(placed)
}

/// Threshold labels right of the plot, each beside its line or pushed just clear of its
/// neighbours; one that still finds no room (dozens of thresholds) is left out.
fn thresholds_in_margin(
    frame: &Frame,
    thresholds: &[f64],
    unit: &str,
    height: f64,
) -> Vec<(f64, Label)> {
    let x = frame.plot.right + R + 4.0;
    // Highest value first: from the top down.
    let mut labels: Vec<(f64, Label)> = thresholds
        .iter()
        .rev()
        .map(|t| {
            let y = frame.sy(*t);
            let label = Label::new(
                "threshold-label",
                threshold_text(*t, unit),
                x,
                y + CENTRE * LABEL_SIZE,
                Anchor::Start,
                LABEL_SIZE,
            );
            (y, label)
        })
        .collect();
    let (up, down) = (ASCENT * LABEL_SIZE, DESCENT * LABEL_SIZE);
    let ceiling = frame.plot.top - (ASCENT - CENTRE) * AXIS_SIZE;
    let floor = height - PAD;
    let mut free = ceiling;
    for (_, label) in &mut labels {
        label.y = label.y.max(free + up);
        free = label.y + down + 1.0;
    }
    let mut free = floor;
    for (_, label) in labels.iter_mut().rev() {
        label.y = label.y.min(free - down);
        free = label.y - up - 1.0;
    }
    labels.retain(|(_, label)| label.y - up >= ceiling);
    labels
}

/// The x axis: as many evenly spaced dates as fit, or the starts of months, whichever shows
/// more (months when as many: they are round).
fn date_axis(frame: &Frame, baseline: f64) -> Vec<(f64, Label)> {
    let dates = even_dates(frame, baseline);
    let months = month_starts(frame, baseline);
    if months.len() >= 2 && months.len() >= dates.len() {
        months
    } else {
        dates
    }
}

fn spaced(labels: &[(f64, Label)]) -> bool {
    labels
        .windows(2)
        .all(|w| w[0].1.bbox().right + DATE_GAP <= w[1].1.bbox().left)
}

/// The first and the last day and up to six evenly spaced between, as YYYY-MM-DD.
fn even_dates(frame: &Frame, baseline: f64) -> Vec<(f64, Label)> {
    let span = frame.x1 - frame.x0;
    let plot = &frame.plot;
    let label = |day: f64| {
        Label::new(
            "axis",
            date_of(day).to_string(),
            frame.sx(day),
            baseline,
            Anchor::Start,
            AXIS_SIZE,
        )
    };
    for n in (2..=8_usize).rev() {
        if span / ((n - 1) as f64) < 1.0 {
            continue;
        }
        let labels: Vec<(f64, Label)> = (0..n)
            .map(|i| {
                let day = (frame.x0 + span * i as f64 / (n - 1) as f64).round();
                let x = frame.sx(day);
                let at = label(day);
                let at = if i == 0 {
                    Label { x: plot.left, ..at }
                } else if i == n - 1 {
                    Label {
                        x: plot.right,
                        anchor: Anchor::End,
                        ..at
                    }
                } else {
                    at.centred_within(x, plot)
                };
                (x, at)
            })
            .collect();
        if spaced(&labels) && labels.iter().all(|(_, l)| l.bbox().left >= plot.left) {
            return labels;
        }
    }
    vec![(plot.left, label(frame.x0))]
}

/// The first days of every month, or of every 2nd, 3rd, 6th, 12th … month, as YYYY-MM: the
/// shortest step whose labels fit (leaving out, if it must, a date at an end of the plot that
/// could not be centred on its tick).
fn month_starts(frame: &Frame, baseline: f64) -> Vec<(f64, Label)> {
    let month = |d: Date| i64::from(d.year) * 12 + i64::from(d.month) - 1;
    let (first, last) = (date_of(frame.x0), date_of(frame.x1));
    let start = month(first) + i64::from(first.day > 1);
    let end = month(last);
    for step in [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200] {
        let from = start.div_euclid(step) * step + if start % step == 0 { 0 } else { step };
        if from > end {
            return Vec::new();
        }
        if (end - from) / step > 40 {
            continue;
        }
        let labels: Vec<(f64, Label)> = (0..)
            .map(|i| from + i * step)
            .take_while(|m| *m <= end)
            .map(|m| {
                let date = Date {
                    year: u16::try_from(m.div_euclid(12)).unwrap_or(0),
                    month: u8::try_from(m.rem_euclid(12) + 1).unwrap_or(1),
                    day: 1,
                };
                let x = frame.sx(days(date));
                let text = format!("{:04}-{:02}", date.year, date.month);
                let label = Label::new("axis", text, x, baseline, Anchor::Middle, AXIS_SIZE);
                (x, label.centred_within(x, &frame.plot))
            })
            .collect();
        if spaced(&labels) {
            return labels;
        }
        // Without the dates that had to move off their ticks (at the plot's ends).
        let centred: Vec<(f64, Label)> = labels
            .into_iter()
            .filter(|(x, l)| l.anchor == Anchor::Middle && l.x == *x)
            .collect();
        if centred.len() >= 2 && spaced(&centred) {
            return centred;
        }
    }
    Vec::new()
}

/// Each vendor's meetings to draw, and whether any were thinned (see the module's doc).
fn thin_all<'a>(by_vendor: &Meetings<'a>, x0: f64, x1: f64) -> (Meetings<'a>, bool) {
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
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, b| {
        (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

/// A vendor's colour, `series-0` … `series-9`: from its name alone.
fn colour_of(vendor: &str) -> u32 {
    fnv1a(vendor.as_bytes()) % COLOURS
}

/// The CSS classes of a vendor's line, marks and legend entry.
fn series_class(colour: u32, style: usize) -> String {
    format!("series series-{colour}{}", STYLES[style % STYLES.len()])
}

/// Each vendor's classes and whether its marks are squares, the same in every chart: among
/// the vendors of the same colour, by their first meeting (then name), the first keeps the
/// plain style and the others take the next ones.
fn series_classes<'a>(proposals: &[&'a Proposal]) -> BTreeMap<&'a str, (String, bool)> {
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

/// How wide `text` is drawn at `size`, a little on the wide side of the sans-serif fonts the
/// theme names (bold included): a CJK character is a square em, Latin letters, digits and
/// signs at most 0.62 em, capitals 0.72, the widest (M, W, m, w, %, @) 0.95.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * size
}

fn char_width(c: char) -> f64 {
    match c {
        'M' | 'W' | 'm' | 'w' | '%' | '@' => 0.95,
        'A'..='Z' => 0.72,
        c if c.is_ascii() => 0.62,
        c if u32::from(c) > 0xFFFF => 1.25,
        _ => 1.0,
    }
}

/// `text`, cut short with an ellipsis where it would be wider than `room`.
fn fit(text: &str, size: f64, room: f64) -> String {
    if text_width(text, size) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    let mut width = char_width('…') * size;
    for c in text.chars() {
        width += char_width(c) * size;
        if width > room {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Where each legend entry goes (its key's left edge and its baseline): after the title on
/// the title's line, then on as many lines below as it takes, none past the right edge.
/// Returns the positions, in order, and the number of lines.
fn legend_layout(title_width: f64, names: &[String]) -> (Vec<(f64, f64)>, usize) {
    let right = WIDTH - PAD;
    let (mut x, mut line) = (PAD + title_width + GAP, 0);
    let mut at = Vec::with_capacity(names.len());
    for name in names {
        let width = SWATCH + text_width(name, LEGEND_SIZE);
        // A name too long for any line still starts a line of its own.
        if x + width > right && x > PAD {
            (x, line) = (PAD, line + 1);
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
    let first = (y0 / step).ceil();
    (0..12)
        .map(|i| (first + f64::from(i)) * step)
        .take_while(|t| *t <= y1 + 1e-9 * step)
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::OnceLock;

    use super::*;
    use crate::location::{Located, Pos};
    use crate::model::framework_load::parse_framework;

    const COST: &str = "terms.cost_reduction_pct";
    const LATENCY: &str = "poc.latency_s";

    fn framework() -> &'static Framework {
        static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
        FRAMEWORK.get_or_init(|| {
            let text = include_str!("../../../content/framework.yaml");
            parse_framework(Path::new("content/framework.yaml"), text)
                .expect("shipped framework is valid")
        })
    }

    fn at<T>(value: T) -> Located<T> {
        Located::new(value, Pos::new(1, 1))
    }

    fn date(text: &str) -> Date {
        text.parse().expect("a date")
    }

    /// A meeting of `vendor` on `day` (days after 2026-01-01) with `facts`.
    fn meeting(vendor: &str, day: i64, facts: &[(&str, f64)]) -> Proposal {
        Proposal {
            file: format!("{day}-{vendor}.yaml"),
            vendor: at(vendor.to_string()),
            title: None,
            date: at(Date::from_unix_seconds(
                date("2026-01-01").unix_seconds() + day * 86_400,
            )),
            phase: None,
            attendees: Vec::new(),
            notes: None,
            directions: None,
            facts: facts
                .iter()
                .map(|(k, v)| {
                    assert!(framework().fields.fact(k).is_some(), "{k} is declared");
                    (k.to_string(), at(Some(FactValue::Number(*v))))
                })
                .collect(),
            answers: Default::default(),
            checklist: Default::default(),
            warnings: Vec::new(),
        }
    }

    fn series(fact: &str) -> Series<'_> {
        let label = framework().label(fact).expect("a label");
        Series {
            fact,
            title: label.label.clone(),
            unit: label.unit.clone().unwrap_or_default(),
        }
    }

    fn charted<'a>(proposals: &'a [Proposal], fact: &str) -> (Layout<'a>, String) {
        let refs: Vec<&Proposal> = proposals.iter().collect();
        let layout = layout(framework(), &refs, &series(fact)).expect("a chart");
        let svg = svg(framework(), &refs, &series(fact)).expect("a chart");
        (layout, svg)
    }

    /// The shipped meetings, plus one at 32 % just above the 30 % threshold.
    fn shipped_like() -> Vec<Proposal> {
        vec![
            meeting("阿里云", 35, &[(COST, 35.0)]),
            meeting("火山引擎", 42, &[(COST, 45.0)]),
            meeting("阿里云", 76, &[(COST, 42.0), (LATENCY, 3.2)]),
            meeting("腾讯云", 80, &[(COST, 32.0), (LATENCY, 4.8)]),
        ]
    }

    /// `n` meetings of `vendors` over three years, values going up and down across the
    /// thresholds.
    fn many(n: i64, vendors: &[&str]) -> Vec<Proposal> {
        (0..n)
            .map(|i| {
                let vendor = vendors[i as usize % vendors.len()];
                let cost = ((i * 37) % 90 - 20) as f64;
                let latency = ((i * 13) % 70) as f64 / 10.0;
                meeting(vendor, i * 3 * 365 / n, &[(COST, cost), (LATENCY, latency)])
            })
            .collect()
    }

    /// No two labels' boxes overlap, every label is inside the SVG, no threshold label covers
    /// a mark, and no text is under 11 px on a 340 px wide chart.
    fn assert_legible(chart: &Layout<'_>, svg: &str) {
        let labels = chart.labels();
        let whole = Rect {
            left: 0.0,
            top: 0.0,
            right: WIDTH,
            bottom: chart.height,
        };
        for (i, a) in labels.iter().enumerate() {
            assert!(a.bbox().inside(&whole), "{a:?} is outside the chart");
            assert!(a.size * 340.0 / WIDTH >= 11.0, "{a:?} is too small");
            for b in &labels[i + 1..] {
                assert!(!a.bbox().overlaps(&b.bbox()), "{a:?} overlaps {b:?}");
            }
        }
        for (_, label) in &chart.thresholds {
            let b = label.bbox();
            assert!(
                !chart.marks().any(|m| m.overlaps(&b)),
                "{label:?} covers a mark"
            );
        }
        assert!(svg.starts_with("<svg class=\"chart\" viewBox=\"0 0 400 "));
        assert!(!svg.contains(" width=\"100") && !svg.contains("NaN") && !svg.contains("inf"));
        assert_eq!(svg.matches("<text").count(), labels.len(), "{svg}");
    }

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_ceiling(46.0), 50.0);
        assert_eq!(nice_ceiling(5.75), 10.0);
        assert_eq!(ticks(0.0, 50.0), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);
        assert_eq!(
            ticks(-1000.0, 50.0),
            vec![-1000.0, -750.0, -500.0, -250.0, 0.0]
        );
    }

    #[test]
    fn the_colour_hash_is_fnv1a() {
        // The published test vectors of 32-bit FNV-1a.
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
        assert_eq!(colour_of("阿里云"), fnv1a("阿里云".as_bytes()) % 10);
    }

    #[test]
    fn a_vendor_keeps_its_colour_when_other_vendors_come() {
        let class = |proposals: &[Proposal], vendor: &str| {
            let refs: Vec<&Proposal> = proposals.iter().collect();
            series_classes(&refs)[vendor].0.clone()
        };
        let mut proposals = shipped_like();
        let before = class(&proposals, "阿里云");
        // Vendors named before and after it, met before it, and one more of every colour.
        for (i, vendor) in [
            "Amazon Web Services",
            "百度智能云",
            "七牛云",
            "UCloud优刻得",
        ]
        .iter()
        .chain(&[
            "云A", "云B", "云C", "云D", "云E", "云F", "云G", "云H", "云I", "云J",
        ])
        .enumerate()
        {
            proposals.push(meeting(vendor, i as i64 - 20, &[(COST, 10.0)]));
            let after = class(&proposals, "阿里云");
            let colour = |c: &str| c.split(' ').nth(1).map(str::to_string);
            assert_eq!(colour(&after), colour(&before), "after {vendor}");
        }
        // And in the SVG: the same `series-N` in both charts, before and after.
        let (_, svg) = charted(&proposals, COST);
        let (_, latency) = charted(&proposals, LATENCY);
        let colour = format!("series series-{}", colour_of("阿里云"));
        assert!(svg.contains(&format!("<g class=\"{colour}")), "{svg}");
        assert!(latency.contains(&format!("<g class=\"{colour}")));
    }

    #[test]
    fn vendors_sharing_a_colour_are_told_apart_by_lines_and_marks() {
        // Five vendors of one colour, met on different days.
        let colour = colour_of("阿里云");
        let same: Vec<String> = (0..1000)
            .map(|i| format!("云{i}"))
            .filter(|v| colour_of(v) == colour)
            .take(4)
            .collect();
        let mut proposals = vec![meeting("阿里云", 50, &[(COST, 30.0)])];
        for (i, v) in same.iter().enumerate() {
            proposals.push(meeting(v, 60 + i as i64, &[(COST, 40.0)]));
        }
        let refs: Vec<&Proposal> = proposals.iter().collect();
        let classes = series_classes(&refs);
        // Met first, the plain style; then one style each, squares from the third on.
        assert_eq!(
            classes["阿里云"],
            (format!("series series-{colour}"), false)
        );
        assert_eq!(
            classes[same[0].as_str()].0,
            format!("series series-{colour} series-alt")
        );
        assert_eq!(
            classes[same[1].as_str()],
            (format!("series series-{colour} series-dotted"), true)
        );
        assert_eq!(
            classes[same[2].as_str()],
            (format!("series series-{colour} series-dashdot"), true)
        );
        assert_eq!(
            classes[same[3].as_str()].0,
            classes["阿里云"].0,
            "round again"
        );
        let (_, svg) = charted(&proposals, COST);
        assert!(svg.contains("<rect class=\"dot\""));
    }

    #[test]
    fn threshold_labels_keep_off_the_points_and_each_other() {
        // The 32 % point sits just above the 30 % line, the 20 % line just below it.
        let proposals = shipped_like();
        let (chart, svg) = charted(&proposals, COST);
        assert_legible(&chart, &svg);
        assert_eq!(chart.thresholds.len(), 2);
        assert!(svg.contains(">阈值 30%</text>") && svg.contains(">阈值 20%</text>"));
        // A free end is used when there is one.
        let alone = [meeting("阿里云", 10, &[(LATENCY, 3.2)])];
        let (chart, svg) = charted(&alone, LATENCY);
        assert_legible(&chart, &svg);
        let label = chart.thresholds[0].1.bbox();
        assert!(
            label.right <= chart.frame.plot.right,
            "inside the plot: {label:?}"
        );
        // Points on every end and both sides of close thresholds: the labels go to the margin.
        let crowded: Vec<Proposal> = (0..40)
            .map(|i| {
                meeting(
                    "阿里云",
                    i,
                    &[(COST, [29.0, 21.0, 31.0, 19.0, 25.0][i as usize % 5])],
                )
            })
            .collect();
        let (chart, svg) = charted(&crowded, COST);
        assert_legible(&chart, &svg);
        assert_eq!(chart.thresholds.len(), 2);
        for (_, label) in &chart.thresholds {
            assert!(
                label.bbox().left > chart.frame.plot.right,
                "{label:?} in the margin"
            );
        }
    }

    #[test]
    fn the_x_axis_labels_as_many_dates_as_fit() {
        // Six weeks: three days, both ends included.
        let proposals = shipped_like();
        let (chart, svg) = charted(&proposals[..3], COST);
        assert_legible(&chart, &svg);
        let dates: Vec<&str> = chart.x_axis.iter().map(|(_, l)| l.text.as_str()).collect();
        assert_eq!(dates, ["2026-02-05", "2026-02-26", "2026-03-18"]);
        // A year: starts of months, more of them (a quarter apart).
        let proposals: Vec<Proposal> = (0..12)
            .map(|i| meeting("阿里云", 10 + i * 30, &[(COST, 30.0 + i as f64)]))
            .collect();
        let (chart, svg) = charted(&proposals, COST);
        assert_legible(&chart, &svg);
        let months: Vec<&str> = chart.x_axis.iter().map(|(_, l)| l.text.as_str()).collect();
        assert_eq!(months, ["2026-04", "2026-07", "2026-10"]);
        // Three years: starts of years.
        let proposals = many(60, &["阿里云"]);
        let (chart, svg) = charted(&proposals, COST);
        assert_legible(&chart, &svg);
        let months: Vec<&str> = chart.x_axis.iter().map(|(_, l)| l.text.as_str()).collect();
        assert_eq!(months, ["2026-01", "2027-01", "2028-01"]);
        assert!(
            months.iter().all(|m| m.len() == 7 && m.starts_with("20")),
            "{months:?}"
        );
        let xs: Vec<f64> = chart.x_axis.iter().map(|(x, _)| *x).collect();
        let steps: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            steps.iter().all(|s| (s - steps[0]).abs() < 3.0),
            "evenly spaced: {steps:?}"
        );
    }

    #[test]
    fn one_meeting_draws_a_point_and_labels() {
        let proposals = [meeting("阿里云", 76, &[(COST, 42.0)])];
        let (chart, svg) = charted(&proposals, COST);
        assert_legible(&chart, &svg);
        assert_eq!(
            svg.matches("<circle").count(),
            2,
            "its mark and its legend key: {svg}"
        );
        assert!(!svg.contains("<polyline"));
        assert!(svg.contains("<title>阿里云 2026-03-18：42%</title>"));
        assert!(
            svg.contains(">2026-03-18</text>"),
            "its date is on the axis: {svg}"
        );
        assert!(svg.contains(">阿里云</text>") && svg.contains(">阈值 30%</text>"));
        assert!(chart.y_axis.len() >= 3);
        // Without a value, no chart.
        let none = [meeting("阿里云", 76, &[])];
        let refs: Vec<&Proposal> = none.iter().collect();
        assert!(svg_of(&refs).is_none());
    }

    fn svg_of(refs: &[&Proposal]) -> Option<String> {
        super::svg(framework(), refs, &series(COST))
    }

    #[test]
    fn a_thousand_meetings_are_thinned_to_a_bounded_svg() {
        let vendors = ["阿里云", "火山引擎", "腾讯云", "华为云", "百度智能云"];
        let proposals = many(1000, &vendors);
        for fact in [COST, LATENCY] {
            let (chart, svg) = charted(&proposals, fact);
            assert_legible(&chart, &svg);
            assert!(chart.thinned && svg.contains("<desc>"));
            for line in &chart.lines {
                assert!(line.marks.len() <= MAX_POINTS, "{}", line.marks.len());
                // The first, the last and the extremes are kept.
                let all: Vec<(Date, f64)> = proposals
                    .iter()
                    .filter(|p| p.vendor.value == line.vendor)
                    .map(|p| match p.fact(fact) {
                        Some(FactValue::Number(v)) => (p.date.value, v),
                        _ => unreachable!(),
                    })
                    .collect();
                let drawn: Vec<(Date, f64)> =
                    line.marks.iter().map(|m| (m.date, m.value)).collect();
                assert_eq!(drawn.first(), all.first());
                assert_eq!(drawn.last(), all.last());
                let max = all.iter().map(|p| p.1).fold(f64::MIN, f64::max);
                let min = all.iter().map(|p| p.1).fold(f64::MAX, f64::min);
                assert!(drawn.iter().any(|p| p.1 == max) && drawn.iter().any(|p| p.1 == min));
                assert!(drawn.windows(2).all(|w| w[0].0 <= w[1].0), "in date order");
            }
            let elements = svg.matches('<').count() - svg.matches("</").count();
            assert!(
                elements <= 80 + vendors.len() * (2 * MAX_POINTS + 4),
                "{elements} elements"
            );
            assert!(svg.len() < 60_000, "{} bytes", svg.len());
        }
        // A few meetings are all drawn.
        let few = many(40, &vendors);
        let (chart, _) = charted(&few, COST);
        assert!(!chart.thinned);
        assert_eq!(chart.lines.iter().map(|l| l.marks.len()).sum::<usize>(), 40);
    }

    #[test]
    fn the_same_meetings_make_the_same_bytes() {
        let proposals = many(300, &["阿里云", "火山引擎", "Amazon Web Services"]);
        let mut shuffled: Vec<&Proposal> = proposals.iter().collect();
        shuffled.reverse();
        shuffled.rotate_left(77);
        let refs: Vec<&Proposal> = proposals.iter().collect();
        assert_eq!(svg_of(&refs), svg_of(&shuffled));
    }

    #[test]
    fn the_legend_wraps_inside_the_chart_without_overlaps() {
        let names = [
            "Amazon Web Services",
            "UCloud优刻得",
            "京东云",
            "华为云",
            "天翼云",
            "火山引擎",
            "百度智能云",
            "移动云",
            "联通云",
            "腾讯云",
            "金山云",
            "阿里云",
            "青云QingCloud",
        ];
        let proposals: Vec<Proposal> = names
            .iter()
            .enumerate()
            .map(|(i, v)| meeting(v, i as i64, &[(COST, 10.0 + i as f64), (LATENCY, 2.0)]))
            .collect();
        for fact in [COST, LATENCY] {
            let (chart, svg) = charted(&proposals, fact);
            assert_legible(&chart, &svg);
            assert_eq!(chart.lines.len(), names.len());
            let legend: Vec<Rect> = chart.lines.iter().map(|l| l.legend.bbox()).collect();
            assert!(
                legend
                    .iter()
                    .all(|b| b.right <= WIDTH - PAD && b.left >= PAD)
            );
            let bottom = legend.iter().map(|b| b.bottom).fold(0.0, f64::max);
            assert!(
                bottom < chart.frame.plot.top,
                "the legend is above the plot"
            );
            assert!(chart.height > 230.0, "the legend's extra lines make room");
        }
        let title = text_width("PoC 验证延迟（s）", TITLE_SIZE);
        let short: Vec<String> = ["阿里云", "火山引擎"].map(String::from).to_vec();
        assert_eq!(
            legend_layout(title, &short).1,
            1,
            "two vendors stay on the title's line"
        );
        // A name too long for a line is cut short.
        let long = "云".repeat(100);
        let fitted = fit(&long, LEGEND_SIZE, WIDTH - 2.0 * PAD - SWATCH);
        assert!(
            fitted.ends_with('…') && text_width(&fitted, LEGEND_SIZE) <= WIDTH - 2.0 * PAD - SWATCH
        );
    }

    #[test]
    fn negative_values_and_a_long_axis_keep_their_labels_apart() {
        let proposals = [
            meeting("阿里云", 0, &[(COST, -950.0)]),
            meeting("阿里云", 400, &[(COST, 45.0)]),
            meeting("Amazon Web Services", 800, &[(COST, 100.0)]),
        ];
        let (chart, svg) = charted(&proposals, COST);
        assert_legible(&chart, &svg);
        assert!(svg.contains(">-1000</text>"));
    }

    #[test]
    fn escapes_vendor_names() {
        assert_eq!(escape("<b>&\""), "&lt;b&gt;&amp;&quot;");
        let proposals = [meeting("<b>云&", 3, &[(COST, 10.0)])];
        let (_, svg) = charted(&proposals, COST);
        assert!(svg.contains("&lt;b&gt;云&amp;") && !svg.contains("<b>"));
    }
}
