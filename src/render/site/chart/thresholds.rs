//! The threshold labels of a chart ("阈值 30%"): inside the plot beside their lines when each
//! finds a place clear of every other text, mark and line; else in a margin right of the
//! plot, which is narrowed to make room.

use super::layout::{Anchor, Drawn, Frame, Label, Layout, Rect, Segment};
use super::measure::text_width;
use super::{ASCENT, AXIS_SIZE, CENTRE, DESCENT, LABEL_SIZE, PAD, R, WIDTH};
use crate::model::placeholders::format_number;

/// The threshold labels: inside the plot when every one finds a place there; otherwise in a
/// margin right of the plot, which is narrowed to make room and drawn again by `draw`.
pub(super) fn place_thresholds<'a>(
    chart: &mut Layout<'a>,
    thresholds: &[f64],
    unit: &str,
    draw: impl Fn(&Frame) -> Drawn<'a>,
) {
    let fixed: Vec<Rect> = chart
        .labels()
        .into_iter()
        .map(Label::bbox)
        .chain(chart.marks())
        .collect();
    let segments = chart.segments();
    if let Some(placed) = thresholds_inside(&chart.frame, thresholds, unit, &fixed, &segments) {
        chart.thresholds = placed;
        return;
    }
    let widest = thresholds
        .iter()
        .map(|t| text_width(&threshold_text(*t, unit), LABEL_SIZE))
        .fold(0.0, f64::max);
    chart.frame.plot.right = (WIDTH - PAD - widest - R - 4.0).floor();
    (chart.lines, chart.x_axis) = draw(&chart.frame);
    chart.thresholds = thresholds_in_margin(&chart.frame, thresholds, unit, chart.height);
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
