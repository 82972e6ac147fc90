//! The report PDF's judgement: the reasons for the verdict, every rule in a table, what is
//! still open, and the bonus conditions.

use super::*;
pub(super) fn reasons(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
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
                    &format!("{} —— {}", rule_words(rule), facts_text(&rule.observed)),
                    &BODY,
                );
            }
        }
        return;
    }
    line(flow, measure, 0.0, &reasons_line(j), &BODY);
    for d in &j.directions {
        let needed = j.needs(d);
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
                &format!("{}：{}", rule_words(r), need_word(r)),
                &BODY,
            );
        }
    }
}

/// "与上次会谈相比": the earlier meeting's verdict, the facts that moved and the rules whose
/// result changed, as the report page shows them.
pub(super) fn since_last(flow: &mut Flow, measure: &Canvas<'_>, since: &SinceLast) {
    heading(flow, measure, &format!("与上次会谈相比（{}）", since.date));
    let verdict = format!("上次结论：{}（{}.pdf）", since.verdict.label(), since.name);
    line(flow, measure, 0.0, &verdict, &BODY);
    for (title, first, changes) in [
        ("变化的事实", "事实", &since.facts),
        ("结果改变的规则", "规则", &since.rules),
    ] {
        if changes.is_empty() {
            continue;
        }
        line(flow, measure, 0.0, title, &STRONG);
        let columns = [(first, 98.0), ("上次", 40.0), ("这次", 40.0)];
        let (paints, height) = table_header(measure, &columns);
        flow.keep(height * 3.0);
        flow.place(paints, height);
        let cell = Style::new(8.5, false, palette::INK);
        for Change {
            label,
            before,
            after,
        } in changes.iter()
        {
            let cells = [label.clone(), before.clone(), after.clone()];
            let (paints, height) = table_row(measure, &cells, &columns, &cell, None, None);
            flow.place(paints, height);
        }
    }
}

pub(super) fn rules_table(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
    heading(flow, measure, "逐条规则");
    let columns = [
        ("规则", 48.0),
        ("阈值", 38.0),
        ("实际值", 36.0),
        ("结果", 14.0),
        // "2026-02-12-volcengine-" and "contact.yaml:17、18": a file name in two lines.
        ("来源", 42.0),
    ];
    let cell = Style::new(8.5, false, palette::INK);
    let place_header = |flow: &mut Flow| {
        let (paints, height) = table_header(measure, &columns);
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
        if !flow.fits(height) {
            flow.new_page();
            place_header(flow);
        }
        flow.place(paints, height);
    }
}

/// A table's header row: the column titles on a tint, at y = 0.
fn table_header(measure: &Canvas<'_>, columns: &[(&str, f32)]) -> (Vec<Paint>, f32) {
    let titles: Vec<String> = columns.iter().map(|(t, _)| t.to_string()).collect();
    let style = Style::new(8.5, true, palette::NAVY);
    table_row(
        measure,
        &titles,
        columns,
        &style,
        None,
        Some(palette::BLUE_TINT),
    )
}

fn result_colour(rule: &RuleOutcome) -> Colour {
    match Tone::of(rule) {
        Tone::Good => palette::GREEN,
        Tone::Bad => palette::RED,
        Tone::Unknown => palette::AMBER,
        Tone::NotApplicable => palette::MUTED,
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

pub(super) fn open_points(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
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

pub(super) fn bonus(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
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
