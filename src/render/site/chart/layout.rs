//! Where everything of a chart goes: its frame and plot, the title and the legend, the axes'
//! numbers and dates, the vendors' marks and the threshold labels, each text's box kept clear
//! of the others (see the module's doc).

use std::collections::BTreeMap;

use super::series::{Meetings, colour_of, series_class, series_classes, thin_all};
use super::{
    ASCENT, AXIS_SIZE, BASELINE, CENTRE, DATE_GAP, DESCENT, GAP, LABEL_SIZE, LEGEND_SIZE, LINE,
    PAD, PLOT_HEIGHT, R, SWATCH, Series, TITLE_SIZE, WIDTH, thresholds_of,
};
use crate::model::date::Date;
use crate::model::framework::Framework;
use crate::model::placeholders::format_number;
use crate::model::proposal::{FactValue, Proposal};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rect {
    pub(super) left: f64,
    pub(super) top: f64,
    pub(super) right: f64,
    pub(super) bottom: f64,
}

impl Rect {
    pub(super) fn overlaps(&self, other: &Rect) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }

    pub(super) fn inside(&self, other: &Rect) -> bool {
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
pub(super) enum Anchor {
    Start,
    Middle,
    End,
}

/// A text of the chart where it is drawn (`x` per `anchor`, `y` its baseline).
#[derive(Debug, Clone)]
pub(super) struct Label {
    pub(super) class: &'static str,
    pub(super) text: String,
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) anchor: Anchor,
    pub(super) size: f64,
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
    pub(super) fn bbox(&self) -> Rect {
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
pub(super) struct Frame {
    /// First and last day (days since 1970).
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    pub(super) plot: Rect,
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
pub(super) struct Mark {
    pub(super) date: Date,
    pub(super) value: f64,
    pub(super) x: f64,
    pub(super) y: f64,
}

/// A vendor's line, marks and legend entry.
#[derive(Debug)]
pub(super) struct Line<'a> {
    pub(super) vendor: &'a str,
    pub(super) class: String,
    pub(super) square: bool,
    pub(super) marks: Vec<Mark>,
    pub(super) legend: Label,
}

/// Everything the SVG draws, where it goes.
#[derive(Debug)]
pub(super) struct Layout<'a> {
    pub(super) height: f64,
    pub(super) frame: Frame,
    pub(super) title: Label,
    /// Gridlines (their y) and their value, unless it would touch the one below.
    pub(super) y_axis: Vec<(f64, Option<Label>)>,
    /// Ticks (their x) and their date.
    pub(super) x_axis: Vec<(f64, Label)>,
    /// Threshold lines (their y) and their labels.
    pub(super) thresholds: Vec<(f64, Label)>,
    pub(super) lines: Vec<Line<'a>>,
    /// Whether some vendor's meetings were thinned.
    pub(super) thinned: bool,
}

#[cfg(test)]
impl Layout<'_> {
    pub(super) fn labels(&self) -> Vec<&Label> {
        let mut all = vec![&self.title];
        all.extend(self.lines.iter().map(|l| &l.legend));
        all.extend(self.y_axis.iter().filter_map(|(_, l)| l.as_ref()));
        all.extend(self.x_axis.iter().map(|(_, l)| l));
        all.extend(self.thresholds.iter().map(|(_, l)| l));
        all
    }

    pub(super) fn marks(&self) -> impl Iterator<Item = Rect> + '_ {
        self.lines
            .iter()
            .flat_map(|l| l.marks.iter().map(|m| Rect::mark(m.x, m.y)))
    }
}

/// A piece of a vendor's line, from one mark to the next.
type Segment = ((f64, f64), (f64, f64));

pub(super) fn days(date: Date) -> f64 {
    (date.unix_seconds() / 86_400) as f64
}

pub(super) fn layout<'a>(
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

/// How wide `text` is drawn at `size`, a little on the wide side of the sans-serif fonts the
/// theme names (bold included): a CJK character is a square em, Latin letters, digits and
/// signs at most 0.62 em, capitals 0.72, the widest (M, W, m, w, %, @) 0.95.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
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
pub(super) fn fit(text: &str, size: f64, room: f64) -> String {
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
pub(super) fn legend_layout(title_width: f64, names: &[String]) -> (Vec<(f64, f64)>, usize) {
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

pub(super) fn nice_ceiling(v: f64) -> f64 {
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

pub(super) fn ticks(y0: f64, y1: f64) -> Vec<f64> {
    let step = nice_ceiling((y1 - y0) / 5.0);
    let first = (y0 / step).ceil();
    (0..12)
        .map(|i| (first + f64::from(i)) * step)
        .take_while(|t| *t <= y1 + 1e-9 * step)
        .collect()
}
