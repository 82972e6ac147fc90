//! Where everything of a chart goes: its frame and plot, the title and the legend, the axes'
//! numbers and dates, the vendors' marks and the threshold labels, each text's box kept clear
//! of the others (see the module's doc).

use std::collections::BTreeMap;

use super::axes::{date_axis, days, nice_ceiling, ticks, y_axis};
use super::measure::{fit, text_width};
use super::series::{Meetings, colour_of, series_class, series_classes, thin_all};
use super::thresholds::place_thresholds;
use super::{
    ASCENT, AXIS_SIZE, BASELINE, CENTRE, DESCENT, GAP, LEGEND_SIZE, LINE, PAD, PLOT_HEIGHT, R,
    SWATCH, Series, TITLE_SIZE, WIDTH, thresholds_of,
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
    pub(super) fn crossed_by(&self, (ax, ay): (f64, f64), (bx, by): (f64, f64)) -> bool {
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
    pub(super) lead: f64,
}

impl Label {
    pub(super) fn new(
        class: &'static str,
        text: String,
        x: f64,
        y: f64,
        anchor: Anchor,
        size: f64,
    ) -> Self {
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
    pub(super) fn centred_within(mut self, x: f64, plot: &Rect) -> Self {
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
    pub(super) x0: f64,
    pub(super) x1: f64,
    y0: f64,
    y1: f64,
    pub(super) plot: Rect,
}

impl Frame {
    pub(super) fn sx(&self, day: f64) -> f64 {
        self.plot.left + (day - self.x0) / (self.x1 - self.x0) * (self.plot.right - self.plot.left)
    }

    pub(super) fn sy(&self, value: f64) -> f64 {
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

impl Layout<'_> {
    /// Every text placed so far.
    pub(super) fn labels(&self) -> Vec<&Label> {
        let mut all = vec![&self.title];
        all.extend(self.lines.iter().map(|l| &l.legend));
        all.extend(self.y_axis.iter().filter_map(|(_, l)| l.as_ref()));
        all.extend(self.x_axis.iter().map(|(_, l)| l));
        all.extend(self.thresholds.iter().map(|(_, l)| l));
        all
    }

    /// The boxes of every vendor's marks.
    pub(super) fn marks(&self) -> impl Iterator<Item = Rect> + '_ {
        self.lines
            .iter()
            .flat_map(|l| l.marks.iter().map(|m| Rect::mark(m.x, m.y)))
    }

    /// The pieces of every vendor's line.
    pub(super) fn segments(&self) -> Vec<Segment> {
        self.lines
            .iter()
            .flat_map(|l| {
                l.marks
                    .windows(2)
                    .map(|w| ((w[0].x, w[0].y), (w[1].x, w[1].y)))
            })
            .collect()
    }
}

/// A piece of a vendor's line, from one mark to the next.
pub(super) type Segment = ((f64, f64), (f64, f64));

/// Where everything of the chart of `series` goes, or None when no meeting has a value: the
/// title and legend at the top, then the plot, then the dates; the threshold labels last,
/// clear of everything else.
pub(super) fn layout<'a>(
    framework: &Framework,
    proposals: &[&'a Proposal],
    series: &Series<'_>,
) -> Option<Layout<'a>> {
    let meetings = meetings_of(proposals, series.fact)?;
    let thresholds: Vec<f64> = thresholds_of(framework, series.fact)
        .into_iter()
        .filter(|t| t.is_finite())
        .collect();
    let (title, legend, last_baseline) = title_and_legend(series, &meetings);
    let (frame, y_axis) = frame_and_y_axis(&meetings, &thresholds, plot_top(last_baseline));
    let (date_baseline, height) = below_plot(frame.plot.bottom);
    let (kept, thinned) = thin_all(&meetings, frame.x0, frame.x1);
    let classes = series_classes(proposals);
    // Drawn again if the threshold labels need a margin.
    let draw = |frame: &Frame| -> Drawn<'a> {
        (
            vendor_lines(&kept, &classes, &legend, frame),
            date_axis(frame, date_baseline),
        )
    };
    let (lines, x_axis) = draw(&frame);
    let mut chart = Layout {
        height,
        frame,
        title,
        y_axis,
        x_axis,
        thresholds: Vec::new(),
        lines,
        thinned,
    };
    place_thresholds(&mut chart, &thresholds, &series.unit, draw);
    Some(chart)
}

/// Each vendor's meetings with a finite value of `fact`, in date order (then by value), or
/// None when there are none.
fn meetings_of<'a>(proposals: &[&'a Proposal], fact: &str) -> Option<Meetings<'a>> {
    let mut by_vendor: Meetings<'a> = BTreeMap::new();
    for p in proposals {
        if let Some(FactValue::Number(v)) = p.fact(fact)
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
    Some(by_vendor)
}

/// The title (with its unit) and each vendor's legend entry, cut short where too wide for
/// the chart, and the baseline of the legend's last line.
fn title_and_legend(series: &Series<'_>, meetings: &Meetings<'_>) -> (Label, Vec<Label>, f64) {
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
    let names: Vec<String> = meetings
        .keys()
        .map(|v| fit(v, LEGEND_SIZE, WIDTH - 2.0 * PAD - SWATCH))
        .collect();
    let (at, lines) = legend_layout(title.width(), &names);
    let last_baseline = BASELINE + (lines - 1) as f64 * LINE;
    let legend = names
        .into_iter()
        .zip(&at)
        .map(|(name, (x, y))| Label {
            lead: SWATCH,
            ..Label::new("legend", name, x + SWATCH, *y, Anchor::Start, LEGEND_SIZE)
        })
        .collect();
    (title, legend, last_baseline)
}

/// The plot's top: clear of the legend's last line and of the top number of the y axis,
/// which is centred on the plot's top edge.
fn plot_top(last_baseline: f64) -> f64 {
    (last_baseline + DESCENT * TITLE_SIZE + (ASCENT - CENTRE) * AXIS_SIZE + 4.0).ceil()
}

/// The dates' baseline below the plot, and the chart's height below them.
fn below_plot(plot_bottom: f64) -> (f64, f64) {
    let date_baseline = (plot_bottom + 6.0 + ASCENT * AXIS_SIZE).ceil();
    let height = (date_baseline + DESCENT * AXIS_SIZE + PAD).ceil();
    (date_baseline, height)
}

/// The chart's ranges and its plot from `top` down, right of a y axis as wide as its longest
/// number; and the y axis.
fn frame_and_y_axis(
    meetings: &Meetings<'_>,
    thresholds: &[f64],
    top: f64,
) -> (Frame, Vec<(f64, Option<Label>)>) {
    let (x0, x1) = time_range(meetings);
    let (y0, y1) = value_range(meetings, thresholds);
    let numbers: Vec<(f64, String)> = ticks(y0, y1)
        .into_iter()
        .map(|t| (t, format_number(t)))
        .collect();
    let widest = numbers
        .iter()
        .map(|(_, n)| text_width(n, AXIS_SIZE))
        .fold(0.0, f64::max);
    let frame = Frame {
        x0,
        x1,
        y0,
        y1,
        plot: Rect {
            left: (PAD + widest + 6.0).ceil(),
            top,
            right: WIDTH - PAD - R - 2.0,
            bottom: top + PLOT_HEIGHT,
        },
    };
    let y_axis = y_axis(&frame, numbers);
    (frame, y_axis)
}

/// The first and the last day of the meetings, widened to two weeks at least so that a
/// single meeting still has an axis around it.
fn time_range(meetings: &Meetings<'_>) -> (f64, f64) {
    let dates = meetings.values().flatten().map(|p| days(p.0));
    let (mut x0, mut x1) = dates.fold((f64::MAX, f64::MIN), |(a, b), d| (a.min(d), b.max(d)));
    if x1 - x0 < 14.0 {
        x0 -= 7.0;
        x1 += 7.0;
    }
    (x0, x1)
}

/// From zero (or a round value below the lowest) to a round value some way above the
/// highest value and threshold, so that the top mark and line have room.
fn value_range(meetings: &Meetings<'_>, thresholds: &[f64]) -> (f64, f64) {
    let values = || {
        meetings
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
    (y0, y1)
}

/// What depends on the plot's width: the vendors' lines and the dates.
pub(super) type Drawn<'a> = (Vec<Line<'a>>, Vec<(f64, Label)>);

/// Each vendor's line through its marks (the meetings `kept`), in its classes, with its
/// legend entry.
fn vendor_lines<'a>(
    kept: &Meetings<'a>,
    classes: &BTreeMap<&'a str, (String, bool)>,
    legend: &[Label],
    frame: &Frame,
) -> Vec<Line<'a>> {
    kept.iter()
        .zip(legend)
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
        .collect()
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
