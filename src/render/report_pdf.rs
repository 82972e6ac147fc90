//! The evaluation report as a PDF: A4, as many pages as it needs, a running header, page
//! numbers, table rows never split. Same content as the HTML report, from the judgement.

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
use crate::render::plain_text::{BlockKind, markdown_to_blocks};
use crate::render::report::{
    Provenance, ReportInput, facts_text, observed_values, phase_title, result_word, rule_words,
    source_lines,
};

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
    reasons(&mut flow, &measure, input.judgement);
    rules_table(&mut flow, &measure, input.judgement);
    open_points(&mut flow, &measure, input.judgement);
    bonus(&mut flow, &measure, input.judgement);
    checklist_and_questions(&mut flow, &measure, input.judgement);
    actions(&mut flow, &measure, input.framework);
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
            baseline: style.size * 25.4 / 72.0 * 1.1,
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
            baseline: BODY.size * 25.4 / 72.0 * 1.1,
            text: d.verdict.label().into(),
            style: verdict,
        });
        flow.place(p, h + 0.6);
    }
}

fn reasons(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
    heading(flow, measure, "判定理由");
    if !j.triggered.is_empty() {
        line(
            flow,
            measure,
            0.0,
            "触发了以下 No Go 条件或红线，任一为真即不推进：",
            &BODY,
        );
        for id in &j.triggered {
            if let Some(rule) = j.rule(id) {
                item(
                    flow,
                    measure,
                    Some(Mark::No),
                    &format!(
                        "{}「{}」—— {}",
                        rule.group.label(),
                        rule.label,
                        facts_text(&rule.observed)
                    ),
                    &BODY,
                );
            }
        }
        return;
    }
    let go_line = format!(
        "未触发任何 No Go 条件或红线。Go 条件满足 {} 条，至少需要 {} 条。",
        j.go_met, j.go_required
    );
    line(flow, measure, 0.0, &go_line, &BODY);
    for d in &j.directions {
        let needed: Vec<&RuleOutcome> = j
            .rules
            .iter()
            .filter(|r| {
                (r.group == RuleGroup::DealBreaker && d.moves_business)
                    || (r.group == RuleGroup::Acceptance && r.id == format!("{}.accept", d.id))
            })
            .collect();
        if needed.is_empty() {
            line(
                flow,
                measure,
                0.0,
                &format!(
                    "方向「{}」：不涉及业务迁移，无需满足合作前提，也没有单独的接受条件。",
                    d.title
                ),
                &BODY,
            );
            continue;
        }
        line(
            flow,
            measure,
            0.0,
            &format!("方向「{}」需要：", d.title),
            &STRONG,
        );
        for r in needed {
            let mark = match r.result {
                Tri::True => Mark::Yes,
                Tri::False => Mark::No,
                Tri::Unknown => Mark::Caution,
            };
            item(
                flow,
                measure,
                Some(mark),
                &format!("{}「{}」：{}", r.group.label(), r.label, result_word(r)),
                &BODY,
            );
        }
    }
}

fn rules_table(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
    heading(flow, measure, "逐条规则");
    let columns = [
        ("规则", 56.0),
        ("阈值", 46.0),
        ("实际值", 42.0),
        ("结果", 14.0),
        ("来源", 20.0),
    ];
    let header_style = Style::new(8.5, true, palette::NAVY);
    let cell = Style::new(8.5, false, palette::INK);
    let header: Vec<String> = columns.iter().map(|(t, _)| t.to_string()).collect();
    let place_header = |flow: &mut Flow| {
        let (paints, height) = table_row(
            measure,
            &header,
            &columns,
            &header_style,
            None,
            Some(palette::BLUE_TINT),
        );
        flow.place(paints, height);
    };
    flow.keep(20.0);
    place_header(flow);
    for (i, r) in j.rules.iter().enumerate() {
        let values = observed_values(&r.observed);
        let source = source_lines(&r.observed);
        let cells = vec![
            format!("{} · {}", r.group.label(), r.label),
            r.threshold.clone(),
            values,
            result_word(r).to_string(),
            source,
        ];
        let tint = if i % 2 == 1 {
            Some(palette::GREY_TINT)
        } else {
            None
        };
        let (paints, height) = table_row(
            measure,
            &cells,
            &columns,
            &cell,
            Some(result_colour(r)),
            tint,
        );
        if flow_would_break(flow, height) {
            flow.new_page();
            place_header(flow);
        }
        flow.place(paints, height);
    }
}

fn flow_would_break(flow: &Flow, height: f32) -> bool {
    !flow.fits(height)
}

fn result_colour(rule: &RuleOutcome) -> Colour {
    let bad_when_true = matches!(rule.group, RuleGroup::NoGo | RuleGroup::RedLine);
    match (rule.result, bad_when_true) {
        (Tri::Unknown, _) => palette::AMBER,
        (Tri::True, false) | (Tri::False, true) => palette::GREEN,
        _ => palette::RED,
    }
}

/// One table row at y = 0: every cell wrapped, the row as tall as its tallest cell.
fn table_row(
    measure: &Canvas<'_>,
    cells: &[String],
    columns: &[(&str, f32)],
    style: &Style,
    result: Option<Colour>,
    tint: Option<Colour>,
) -> (Vec<Paint>, f32) {
    let pad = 1.4;
    let mut x = LEFT;
    let mut texts = Vec::new();
    let mut height: f32 = 0.0;
    for (i, (text, (_, width))) in cells.iter().zip(columns).enumerate() {
        let cell_style = match (i, result) {
            (3, Some(colour)) => Style::new(style.size, true, colour),
            _ => *style,
        };
        let (p, h) = paragraph(measure, x + pad, pad, width - 2.0 * pad, text, &cell_style);
        texts.extend(p);
        height = height.max(h);
        x += width;
    }
    let height = height + 2.0 * pad;
    let mut paints = Vec::new();
    if let Some(colour) = tint {
        paints.push(Paint::Rect {
            x: LEFT,
            y: 0.0,
            width: WIDTH,
            height,
            colour,
        });
    }
    paints.extend(texts);
    paints.push(Paint::Line {
        from: (LEFT, height),
        to: (A4_WIDTH - LEFT, height),
        colour: palette::RULE,
        width_pt: 0.4,
    });
    (paints, height)
}

fn open_points(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
    heading(flow, measure, "待获取与需协商");
    let mut any = false;
    for d in &j.directions {
        if d.unmet.is_empty() && d.unknown.is_empty() {
            continue;
        }
        any = true;
        line(flow, measure, 0.0, &format!("方向「{}」", d.title), &STRONG);
        for id in &d.unmet {
            if let Some(r) = j.rule(id) {
                item(
                    flow,
                    measure,
                    Some(Mark::No),
                    &format!("需协商：{} —— {}", rule_words(r), facts_text(&r.observed)),
                    &BODY,
                );
            }
        }
        for id in &d.unknown {
            if let Some(r) = j.rule(id) {
                item(
                    flow,
                    measure,
                    Some(Mark::Caution),
                    &format!("待获取：{}", rule_words(r)),
                    &BODY,
                );
            }
        }
    }
    let listed: Vec<&String> = j
        .directions
        .iter()
        .flat_map(|d| d.unmet.iter().chain(&d.unknown))
        .collect();
    let others: Vec<&RuleOutcome> = j
        .unknown
        .iter()
        .filter(|id| !listed.contains(id))
        .filter_map(|id| j.rule(id))
        .collect();
    if !others.is_empty() {
        any = true;
        line(
            flow,
            measure,
            0.0,
            "其他仍未知、需向对方确认的规则",
            &STRONG,
        );
        for r in others {
            item(
                flow,
                measure,
                Some(Mark::Caution),
                &format!("{}「{}」", r.group.label(), r.label),
                &BODY,
            );
        }
    }
    if !any {
        line(flow, measure, 0.0, "没有需要协商或待获取的事项。", &BODY);
    }
}

fn bonus(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
    heading(flow, measure, "加分条件（不影响结论）");
    for r in j.rules_in(RuleGroup::Bonus) {
        let mark = match r.result {
            Tri::True => Some(Mark::Yes),
            Tri::False => Some(Mark::No),
            Tri::Unknown => Some(Mark::Caution),
        };
        item(
            flow,
            measure,
            mark,
            &format!("{}：{}", r.label, result_word(r)),
            &BODY,
        );
    }
}

fn checklist_and_questions(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
    heading(flow, measure, "会后评估清单与未回答的问题");
    line(
        flow,
        measure,
        0.0,
        &format!(
            "会后评估清单：已完成 {} / {} 项",
            j.checklist_done(),
            j.checklist.len()
        ),
        &STRONG,
    );
    let mut groups: Vec<&str> = Vec::new();
    for c in &j.checklist {
        if !groups.contains(&c.group.as_ref()) {
            groups.push(&c.group);
        }
    }
    for group in groups {
        let items: Vec<_> = j.checklist.iter().filter(|c| c.group == group).collect();
        let done = items.iter().filter(|c| c.done == Some(true)).count();
        line(
            flow,
            measure,
            0.0,
            &format!("{group}：{done} / {}", items.len()),
            &STRONG,
        );
        for c in items.iter().filter(|c| c.done != Some(true)) {
            item(flow, measure, None, &format!("未完成：{}", c.text), &BODY);
        }
    }
    flow.space(2.0);
    let unanswered: Vec<_> = j.questions.iter().filter(|q| q.answer.is_none()).collect();
    line(
        flow,
        measure,
        0.0,
        &format!(
            "问题：已回答 {} / {}，未回答 {} 个",
            j.answered(),
            j.questions.len(),
            unanswered.len()
        ),
        &STRONG,
    );
    for q in j.questions.iter() {
        let Some(answer) = &q.answer else { continue };
        item(
            flow,
            measure,
            None,
            &format!("{}：{}", q.group, q.text),
            &STRONG,
        );
        vendor_markdown(flow, measure, answer, 4.0);
    }
    if !unanswered.is_empty() {
        line(flow, measure, 0.0, "未回答：", &STRONG);
    }
    for q in unanswered {
        item(
            flow,
            measure,
            None,
            &format!("{}：{}", q.group, q.text),
            &BODY,
        );
    }
}

fn actions(flow: &mut Flow, measure: &Canvas<'_>, framework: &Framework) {
    heading(flow, measure, "后续行动（会后行动清单）");
    for horizon in &framework.actions {
        line(flow, measure, 0.0, &horizon.title, &STRONG);
        for a in &horizon.items {
            line(flow, measure, 1.5, &format!("□ {a}"), &BODY);
        }
    }
}

fn notes(flow: &mut Flow, measure: &Canvas<'_>, proposal: &Proposal) {
    heading(flow, measure, "会议记录");
    if !proposal.attendees.is_empty() {
        let names: Vec<&str> = proposal
            .attendees
            .iter()
            .map(|a| a.value.as_str())
            .collect();
        line(
            flow,
            measure,
            0.0,
            &format!("参会人员：{}", names.join("、")),
            &BODY,
        );
        flow.space(1.5);
    }
    let Some(notes) = proposal.notes.as_ref() else {
        line(flow, measure, 0.0, "（没有会议记录）", &SMALL);
        return;
    };
    vendor_markdown(flow, measure, &notes.value, 0.0);
}

/// Vendor Markdown as plain text, block by block, `left` mm in from the margin.
fn vendor_markdown(flow: &mut Flow, measure: &Canvas<'_>, markdown: &str, left: f32) {
    for block in markdown_to_blocks(markdown) {
        let (indent, text, style) = match &block.kind {
            BlockKind::Heading => (0.0, block.text.clone(), STRONG),
            BlockKind::Item { marker, depth } => (
                *depth as f32 * 4.0,
                format!("{marker} {}", block.text),
                BODY,
            ),
            BlockKind::Quote => (
                4.0,
                block.text.clone(),
                Style::new(9.5, false, palette::MUTED),
            ),
            BlockKind::TableRow { header: true } => (0.0, block.text.clone(), STRONG),
            _ => (0.0, block.text.clone(), BODY),
        };
        let indent = left + indent;
        // Line by line, so long notes flow across pages; a quote gets a bar, not a character.
        for text_line in measure.wrap(&text, &style, WIDTH - indent) {
            let (mut paints, height) =
                text_at(measure, LEFT + indent, WIDTH - indent, &text_line, &style);
            if block.kind == BlockKind::Quote {
                let bar = Paint::Line {
                    from: (LEFT + indent - 2.5, 0.3),
                    to: (LEFT + indent - 2.5, height - 0.3),
                    colour: palette::RULE,
                    width_pt: 1.6,
                };
                paints.insert(0, bar);
            }
            flow.place(paints, height);
        }
        flow.space(1.2);
    }
}

fn provenance(flow: &mut Flow, measure: &Canvas<'_>, p: &Provenance) {
    flow.space(6.0);
    let text = format!(
        "dealbook {} · 框架 sha256:{} · 提案 sha256:{} · 生成日期 {}",
        p.version, p.framework_hash, p.proposal_hash, p.build_date
    );
    let (mut paints, height) = text_at(measure, LEFT, WIDTH, &text, &SMALL);
    paints.insert(
        0,
        Paint::Line {
            from: (LEFT, -1.5),
            to: (A4_WIDTH - LEFT, -1.5),
            colour: palette::RULE,
            width_pt: 0.4,
        },
    );
    flow.place(paints, height);
}
