//! The meetings picture's tests: layouts kept legible, colours stable, dense series thinned.

use std::path::Path;
use std::sync::OnceLock;

use super::axes::{nice_ceiling, ticks};
use super::layout::{Layout, Rect, layout, legend_layout};
use super::measure::{fit, text_width};
use super::series::{colour_of, fnv1a, series_classes};
use super::*;
use crate::location::{Located, Pos};
use crate::model::date::Date;
use crate::model::framework_load::parse_framework;
use crate::model::proposal::FactValue;

const COST: &str = "terms.cost_reduction_pct";
const LATENCY: &str = "poc.latency_s";

fn framework() -> &'static Framework {
    static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| {
        let text = include_str!("../../../../content/framework.yaml");
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
            let drawn: Vec<(Date, f64)> = line.marks.iter().map(|m| (m.date, m.value)).collect();
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
