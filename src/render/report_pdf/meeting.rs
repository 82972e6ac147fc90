//! The report PDF's meeting: checklist and questions, follow-up actions, the vendor's notes
//! and the provenance line.

use super::vendor_text::vendor_markdown;
use super::*;
pub(super) fn checklist_and_questions(flow: &mut Flow, measure: &Canvas<'_>, j: &Judgement) {
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
    let unanswered = j.questions.len() - j.answered();
    line(
        flow,
        measure,
        0.0,
        &format!(
            "问题：已回答 {} / {}，未回答 {unanswered} 个",
            j.answered(),
            j.questions.len()
        ),
        &STRONG,
    );
    // In the framework's order, as the page lists them: each question, then its answer.
    for q in &j.questions {
        item(
            flow,
            measure,
            None,
            &format!("{}：{}", q.group, q.text),
            &STRONG,
        );
        match &q.answer {
            Some(answer) => vendor_markdown(flow, measure, answer, 5.0),
            None => {
                line(flow, measure, 5.0, "未回答", &SMALL);
                flow.space(1.2);
            }
        }
    }
}

/// The follow-up actions that suit the verdict (七, as `framework.yaml` assigns them).
pub(super) fn actions(
    flow: &mut Flow,
    measure: &Canvas<'_>,
    framework: &Framework,
    verdict: Verdict,
) {
    heading(flow, measure, "后续行动（会后行动清单）");
    for horizon in &framework.actions {
        let items: Vec<&str> = horizon
            .items
            .iter()
            .filter(|i| i.suits(verdict))
            .map(|i| i.text.as_str())
            .collect();
        if items.is_empty() {
            continue;
        }
        line(flow, measure, 0.0, &horizon.title, &STRONG);
        for text in items {
            line(flow, measure, 1.5, &format!("□ {text}"), &BODY);
        }
    }
}

pub(super) fn notes(flow: &mut Flow, measure: &Canvas<'_>, proposal: &Proposal) {
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

pub(super) fn provenance(flow: &mut Flow, measure: &Canvas<'_>, p: &Provenance) {
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
