//! The evaluation report as a PDF: A4, as many pages as it needs, a running header, page
//! numbers, table rows never split. Same content as the HTML report, from the judgement.
//! This file holds the document, its page frame, the drawing helpers and the banner;
//! `judgement.rs` the reasons and the rule tables, `meeting.rs` what the meeting recorded,
//! `vendor_text.rs` the vendor's Markdown in it, `markdown_table.rs` its tables.

mod judgement;
mod markdown_table;
mod meeting;
mod vendor_text;

use crate::judge::judgement::{Judgement, RuleGroup, RuleOutcome, Verdict};
use crate::judge::tri::Tri;
use crate::model::framework::Framework;
use crate::model::mark::Mark;
use crate::model::proposal::Proposal;
use crate::render::pdf::canvas::{A4_HEIGHT, A4_WIDTH, Canvas, Colour, Style, palette};
use crate::render::pdf::document::{PdfError, save_pdf};
use crate::render::pdf::flow::Flow;
use crate::render::pdf::fonts::Fonts;
use crate::render::pdf::paint::{Paint, paragraph};
use crate::render::report::{
    Change, Provenance, ReportInput, SinceLast, Tone, WARNINGS_TITLE, facts_text, need_word,
    observed_values, phase_title, reasons_line, result_word, rule_words, source_lines,
    warning_lines,
};
use judgement::{bonus, open_points, reasons, rules_table, since_last};
use meeting::{actions, checklist_and_questions, notes, provenance};

const LEFT: f32 = 16.0;
const WIDTH: f32 = A4_WIDTH - 2.0 * LEFT;
const TOP: f32 = 22.0;
const BOTTOM: f32 = A4_HEIGHT - 18.0;

const BODY: Style = Style::new(9.5, false, palette::INK);
const SMALL: Style = Style::new(8.0, false, palette::MUTED);
const STRONG: Style = Style::new(9.5, true, palette::INK);
const H2: Style = Style::new(12.5, true, palette::NAVY);

pub fn render_report_pdf(input: &ReportInput<'_>, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let measure = Canvas::new(fonts);
    let mut flow = Flow::new(TOP, BOTTOM);
    banner(&mut flow, &measure, input);
    warnings(&mut flow, &measure, input.proposal);
    reasons(&mut flow, &measure, input.judgement);
    if let Some(since) = &input.since {
        since_last(&mut flow, &measure, since);
    }
    rules_table(&mut flow, &measure, input.judgement);
    open_points(&mut flow, &measure, input.judgement);
    bonus(&mut flow, &measure, input.judgement);
    checklist_and_questions(&mut flow, &measure, input.judgement);
    actions(
        &mut flow,
        &measure,
        input.framework,
        input.judgement.verdict,
    );
    notes(&mut flow, &measure, input.proposal);
    provenance(&mut flow, &measure, input.provenance);

    let total = flow.pages.len();
    let running = format!(
        "{} · {} · 合作评估报告",
        input.judgement.vendor, input.judgement.date
    );
    let pages = flow
        .pages
        .into_iter()
        .enumerate()
        .map(|(i, paints)| {
            let mut canvas = Canvas::new(fonts);
            for p in page_frame(&measure, &running, i + 1, total)
                .iter()
                .chain(&paints)
            {
                p.draw(&mut canvas);
            }
            canvas
        })
        .collect();
    save_pdf(
        &format!(
            "{} · {} · 合作评估报告",
            input.judgement.vendor, input.judgement.date
        ),
        input.provenance.build_date,
        pages,
    )
}

/// The running header and the page number of one page.
fn page_frame(measure: &Canvas<'_>, running: &str, page: usize, total: usize) -> Vec<Paint> {
    let number = format!("第 {page} 页 / 共 {total} 页");
    vec![
        Paint::Text {
            x: LEFT,
            baseline: 12.0,
            text: running.to_string(),
            style: SMALL,
        },
        Paint::Text {
            x: A4_WIDTH - LEFT - measure.measure("dealbook", &SMALL),
            baseline: 12.0,
            text: "dealbook".into(),
            style: SMALL,
        },
        Paint::Line {
            from: (LEFT, 14.5),
            to: (A4_WIDTH - LEFT, 14.5),
            colour: palette::RULE,
            width_pt: 0.5,
        },
        Paint::Text {
            x: (A4_WIDTH - measure.measure(&number, &SMALL)) / 2.0,
            baseline: A4_HEIGHT - 9.0,
            text: number,
            style: SMALL,
        },
    ]
}

/// The proposal's probable slips, on an amber tint under the verdict: it was reached on the
/// values as written.
fn warnings(flow: &mut Flow, measure: &Canvas<'_>, proposal: &Proposal) {
    let lines = warning_lines(proposal);
    if lines.is_empty() {
        return;
    }
    let pad = 2.0;
    let width = WIDTH - 2.0 * pad;
    let title = Style::new(9.5, true, palette::AMBER);
    let (mut texts, mut height) =
        paragraph(measure, LEFT + pad, pad, width, WARNINGS_TITLE, &title);
    for line in &lines {
        let (p, h) = paragraph(
            measure,
            LEFT + pad,
            pad + height,
            width,
            &format!("• {line}"),
            &BODY,
        );
        texts.extend(p);
        height += h;
    }
    let height = height + 2.0 * pad;
    let mut paints = vec![Paint::Rect {
        x: LEFT,
        y: 0.0,
        width: WIDTH,
        height,
        colour: palette::AMBER_TINT,
    }];
    paints.extend(texts);
    flow.place(paints, height);
    flow.space(2.0);
}

fn verdict_colours(verdict: Verdict) -> (Colour, Colour) {
    match verdict {
        Verdict::Go => (palette::GREEN, palette::GREEN_TINT),
        Verdict::Pending => (palette::AMBER, palette::AMBER_TINT),
        Verdict::NoGo => (palette::RED, palette::RED_TINT),
    }
}

/// A block of wrapped text at y = 0.
fn text_at(
    measure: &Canvas<'_>,
    x: f32,
    width: f32,
    text: &str,
    style: &Style,
) -> (Vec<Paint>, f32) {
    paragraph(measure, x, 0.0, width, text, style)
}

fn heading(flow: &mut Flow, measure: &Canvas<'_>, title: &str) {
    flow.space(5.0);
    flow.keep(20.0);
    let (mut paints, height) = text_at(measure, LEFT, WIDTH, title, &H2);
    paints.push(Paint::Line {
        from: (LEFT, height + 0.6),
        to: (A4_WIDTH - LEFT, height + 0.6),
        colour: palette::NAVY,
        width_pt: 0.7,
    });
    flow.place(paints, height + 2.6);
}

fn line(flow: &mut Flow, measure: &Canvas<'_>, indent: f32, text: &str, style: &Style) {
    let (paints, height) = text_at(measure, LEFT + indent, WIDTH - indent, text, style);
    flow.place(paints, height);
}

/// A list item with a vector mark or a bullet before it.
fn item(flow: &mut Flow, measure: &Canvas<'_>, mark: Option<Mark>, text: &str, style: &Style) {
    let indent = 5.0;
    let (text_paints, height) = text_at(measure, LEFT + indent, WIDTH - indent, text, style);
    // The marker first, so copied text and screen readers meet it before the item.
    let mut paints = Vec::new();
    match mark {
        Some(mark) => paints.push(Paint::Mark {
            mark,
            x: LEFT + 0.6,
            top: (style.line_height() - 3.0) / 2.0 + 0.2,
            size: 3.0,
        }),
        None => paints.push(Paint::Text {
            x: LEFT + 1.2,
            baseline: style.baseline(),
            text: "•".into(),
            style: *style,
        }),
    }
    paints.extend(text_paints);
    flow.place(paints, height);
}

fn banner(flow: &mut Flow, measure: &Canvas<'_>, input: &ReportInput<'_>) {
    let j = input.judgement;
    let (strong, tint) = verdict_colours(j.verdict);
    let pad = 4.0;
    let mut paints = Vec::new();
    let big = Style::new(22.0, true, strong);
    let label = Style::new(9.0, false, palette::MUTED);
    paints.push(Paint::Text {
        x: LEFT + pad,
        baseline: pad + 4.0,
        text: "评估结论".into(),
        style: label,
    });
    paints.push(Paint::Text {
        x: LEFT + pad,
        baseline: pad + 13.0,
        text: j.verdict.label().into(),
        style: big,
    });
    let info_x = LEFT + pad + measure.measure("不推进", &big) + 8.0;
    let info_width = WIDTH - (info_x - LEFT) - pad;
    let mut y = pad;
    let title = Style::new(12.0, true, palette::INK);
    let (p, h) = paragraph(
        measure,
        info_x,
        y,
        info_width,
        &format!("{} · {}", j.vendor, j.date),
        &title,
    );
    paints.extend(p);
    y += h;
    let mut facts = Vec::new();
    if let Some(phase) = input.proposal.phase.as_ref() {
        facts.push(format!(
            "评估阶段：{}",
            phase_title(input.framework, &phase.value)
        ));
    }
    if let Some(t) = input.proposal.title.as_ref() {
        facts.push(t.value.clone());
    }
    for fact in facts {
        let (p, h) = paragraph(measure, info_x, y, info_width, &fact, &BODY);
        paints.extend(p);
        y += h;
    }
    let height = (y + pad).max(pad * 2.0 + 14.0);
    let mut block = vec![
        Paint::Rect {
            x: LEFT,
            y: 0.0,
            width: WIDTH,
            height,
            colour: tint,
        },
        Paint::Rect {
            x: LEFT,
            y: 0.0,
            width: 2.0,
            height,
            colour: strong,
        },
    ];
    block.extend(paints);
    flow.place(block, height);
    flow.space(3.0);
    if !j.directions_recorded {
        line(
            flow,
            measure,
            0.0,
            "提案尚未记录对方提出的合作方向（directions），结论只能待定。",
            &BODY,
        );
    }
    for d in &j.directions {
        let (colour, _) = verdict_colours(d.verdict);
        let verdict = Style::new(9.5, true, colour);
        let title = format!("方向：{}", d.title);
        let (mut p, h) = text_at(measure, LEFT + 22.0, WIDTH - 22.0, &title, &BODY);
        p.push(Paint::Text {
            x: LEFT,
            baseline: BODY.baseline(),
            text: d.verdict.label().into(),
            style: verdict,
        });
        flow.place(p, h + 0.6);
    }
}
