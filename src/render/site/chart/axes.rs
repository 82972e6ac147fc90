//! The chart's axes: round values up the left with their gridlines, dates along the bottom
//! (evenly spaced days or the starts of months), and the day numbers the x axis counts in.

use super::layout::{Anchor, Frame, Label, Rect};
use super::{AXIS_SIZE, CENTRE, DATE_GAP};
use crate::model::date::Date;

/// A date as days since 1970, the x axis's unit.
pub(super) fn days(date: Date) -> f64 {
    (date.unix_seconds() / 86_400) as f64
}

fn date_of(days: f64) -> Date {
    Date::from_unix_seconds(days as i64 * 86_400)
}

/// The least of 1, 2, 2.5, 5 and 10 times a power of ten that is at least `v` (1 for zero
/// or less): a round top for a range or a round step between ticks.
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

/// Round values from y0 to y1, about five steps apart.
pub(super) fn ticks(y0: f64, y1: f64) -> Vec<f64> {
    let step = nice_ceiling((y1 - y0) / 5.0);
    let first = (y0 / step).ceil();
    (0..12)
        .map(|i| (first + f64::from(i)) * step)
        .take_while(|t| *t <= y1 + 1e-9 * step)
        .collect()
}

/// The y axis: a gridline at each of `numbers` (lowest first), with the number left of the
/// plot, centred on its line, unless it would touch the one below.
pub(super) fn y_axis(frame: &Frame, numbers: Vec<(f64, String)>) -> Vec<(f64, Option<Label>)> {
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
    y_axis
}

/// The x axis: as many evenly spaced dates as fit, or the starts of months, whichever shows
/// more (months when as many: they are round).
pub(super) fn date_axis(frame: &Frame, baseline: f64) -> Vec<(f64, Label)> {
    let dates = even_dates(frame, baseline);
    let months = month_starts(frame, baseline);
    if months.len() >= 2 && months.len() >= dates.len() {
        months
    } else {
        dates
    }
}

/// Whether each label (in order, left to right) ends `DATE_GAP` or more before the next.
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
