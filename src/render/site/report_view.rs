//! The report page's view; "since the last meeting with this vendor" comes from
//! `render::report::since_last`, as the PDF's does.

use serde::Serialize;

use super::markdown::render_untrusted;
use super::views::{RuleView, VerdictView, rule_view, rules_by_id, verdict};
use crate::judge::judgement::RuleGroup;
use crate::render::report::{
    Change, Provenance, ReportInput, SinceLast, need_word, phase_title, reasons_line, warning_lines,
};

#[derive(Debug, Clone, Serialize)]
pub struct DirectionReport<'a> {
    pub title: String,
    pub verdict: VerdictView,
    pub unmet: Vec<RuleView<'a>>,
    pub unknown: Vec<RuleView<'a>>,
    /// What it needs besides the Go count (`Judgement::needs`).
    pub needs: Vec<RuleView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistGroupView {
    pub title: String,
    pub done: usize,
    pub total: usize,
    pub open: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnswerView {
    pub group: String,
    pub question: String,
    /// Sanitised HTML of the vendor's answer, or None when unanswered.
    pub answer_html: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub previous_date: String,
    pub previous_url: String,
    pub previous_verdict: VerdictView,
    pub facts: Vec<Change>,
    pub rules: Vec<Change>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView<'a> {
    pub name: String,
    pub vendor: String,
    pub date: String,
    pub title: Option<String>,
    pub phase: Option<String>,
    pub attendees: Vec<String>,
    pub verdict: VerdictView,
    /// The first line of 判定理由 when nothing triggered.
    pub reasons_line: String,
    pub directions_recorded: bool,
    /// Values of the proposal that look like slips, with their lines.
    pub warnings: Vec<String>,
    pub directions: Vec<DirectionReport<'a>>,
    pub triggered: Vec<RuleView<'a>>,
    pub go_met: usize,
    pub go_required: usize,
    pub rules: Vec<RuleView<'a>>,
    pub other_unknown: Vec<RuleView<'a>>,
    pub bonus: Vec<RuleView<'a>>,
    pub checklist_done: usize,
    pub checklist_total: usize,
    pub checklist: Vec<ChecklistGroupView>,
    pub answered: usize,
    pub questions_total: usize,
    pub answers: Vec<AnswerView>,
    pub actions: Vec<super::views::ListGroup>,
    pub notes_html: Option<String>,
    pub provenance: Provenance,
    pub history: Option<History>,
    pub pdf: String,
}

pub fn report_view<'a>(name: &str, input: &ReportInput<'a>) -> ReportView<'a> {
    let j = input.judgement;
    let p = input.proposal;
    let fw = input.framework;
    let directions = j
        .directions
        .iter()
        .map(|d| DirectionReport {
            title: d.title.to_string(),
            verdict: verdict(d.verdict),
            unmet: rules_by_id(j, &d.unmet),
            unknown: rules_by_id(j, &d.unknown),
            needs: j
                .needs(d)
                .into_iter()
                .map(|r| RuleView {
                    result: need_word(r),
                    ..rule_view(r)
                })
                .collect(),
        })
        .collect();
    let listed: Vec<&String> = j
        .directions
        .iter()
        .flat_map(|d| d.unmet.iter().chain(&d.unknown))
        .collect();
    let other: Vec<String> = j
        .unknown
        .iter()
        .filter(|id| !listed.contains(id))
        .cloned()
        .collect();
    let mut checklist: Vec<ChecklistGroupView> = Vec::new();
    for c in &j.checklist {
        if checklist.last().is_none_or(|g| g.title != c.group) {
            checklist.push(ChecklistGroupView {
                title: c.group.to_string(),
                done: 0,
                total: 0,
                open: Vec::new(),
            });
        }
        if let Some(g) = checklist.last_mut() {
            g.total += 1;
            if c.done == Some(true) {
                g.done += 1;
            } else {
                g.open.push(c.text.to_string());
            }
        }
    }
    ReportView {
        name: name.to_string(),
        vendor: j.vendor.clone(),
        date: j.date.to_string(),
        title: p.title.as_ref().map(|t| t.value.clone()),
        phase: p.phase.as_ref().map(|ph| phase_title(fw, &ph.value)),
        attendees: p.attendees.iter().map(|a| a.value.clone()).collect(),
        verdict: verdict(j.verdict),
        reasons_line: reasons_line(j),
        directions_recorded: j.directions_recorded,
        warnings: warning_lines(p),
        directions,
        triggered: rules_by_id(j, &j.triggered),
        go_met: j.go_met,
        go_required: j.go_required,
        rules: j.rules.iter().map(rule_view).collect(),
        other_unknown: rules_by_id(j, &other),
        bonus: j.rules_in(RuleGroup::Bonus).map(rule_view).collect(),
        checklist_done: j.checklist_done(),
        checklist_total: j.checklist.len(),
        checklist,
        answered: j.answered(),
        questions_total: j.questions.len(),
        answers: j
            .questions
            .iter()
            .map(|q| AnswerView {
                group: q.group.to_string(),
                question: q.text.to_string(),
                answer_html: q.answer.as_deref().map(render_untrusted),
            })
            .collect(),
        actions: super::views::actions_view(fw, Some(j.verdict)),
        notes_html: p.notes.as_ref().map(|n| render_untrusted(&n.value)),
        provenance: input.provenance.clone(),
        history: input.since.as_ref().map(history),
        pdf: format!("{name}.pdf"),
    }
}

fn history(since: &SinceLast) -> History {
    History {
        previous_date: since.date.to_string(),
        previous_url: format!("{}.html", since.name),
        previous_verdict: verdict(since.verdict),
        facts: since.facts.clone(),
        rules: since.rules.clone(),
    }
}
