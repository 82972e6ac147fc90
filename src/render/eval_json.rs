//! `dealbook eval --format json`: the contract of `proposal.md`, plus the detail behind it.

use serde::Serialize;

use crate::diag::Warning;
use crate::judge::judgement::{Judgement, Observation, RuleGroup};
use crate::judge::tri::Tri;

#[derive(Serialize)]
struct JsonJudgement<'a> {
    vendor: &'a str,
    date: String,
    verdict: &'static str,
    triggered: &'a [String],
    go_met: usize,
    go_required: usize,
    directions: Vec<JsonDirection<'a>>,
    unknown: &'a [String],
    directions_recorded: bool,
    rules: Vec<JsonRule<'a>>,
    bonus_met: Vec<&'a str>,
    questions: JsonProgress<'a>,
    checklist: JsonProgress<'a>,
    warnings: Vec<JsonWarning<'a>>,
}

/// A value accepted but probably mistyped (0.32 for 32 %): what `eval` also says on stderr.
#[derive(Serialize)]
struct JsonWarning<'a> {
    /// The proposal's file name, as in `observed[].file`.
    file: String,
    line: Option<u32>,
    column: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonDirection<'a> {
    id: &'a str,
    verdict: &'static str,
    unmet: &'a [String],
    unknown: &'a [String],
}

#[derive(Serialize)]
struct JsonRule<'a> {
    id: &'a str,
    group: RuleGroup,
    label: &'a str,
    threshold: &'a str,
    result: Tri,
    /// False for a rule that does not bear on this proposal (a deal breaker when no direction
    /// moves business, a No-Go rule with `applies_to: moves_business` likewise).
    applies: bool,
    observed: &'a [Observation<'a>],
}

#[derive(Serialize)]
struct JsonProgress<'a> {
    done: usize,
    total: usize,
    /// Ids of the questions not answered, or of the checklist items not done.
    open: Vec<&'a str>,
}

pub fn render(judgement: &Judgement, warnings: &[Warning]) -> String {
    let j = judgement;
    let json = JsonJudgement {
        vendor: &j.vendor,
        date: j.date.to_string(),
        verdict: j.verdict.id(),
        triggered: &j.triggered,
        go_met: j.go_met,
        go_required: j.go_required,
        directions: j
            .directions
            .iter()
            .map(|d| JsonDirection {
                id: &d.id,
                verdict: d.verdict.id(),
                unmet: &d.unmet,
                unknown: &d.unknown,
            })
            .collect(),
        unknown: &j.unknown,
        directions_recorded: j.directions_recorded,
        rules: j
            .rules
            .iter()
            .map(|r| JsonRule {
                id: &r.id,
                group: r.group,
                label: &r.label,
                threshold: &r.threshold,
                result: r.result,
                applies: r.applies,
                observed: &r.observed,
            })
            .collect(),
        bonus_met: j
            .rules_in(RuleGroup::Bonus)
            .filter(|r| r.result == Tri::True)
            .map(|r| r.id.as_str())
            .collect(),
        questions: JsonProgress {
            done: j.answered(),
            total: j.questions.len(),
            open: j
                .questions
                .iter()
                .filter(|q| q.answer.is_none())
                .map(|q| q.id.as_str())
                .collect(),
        },
        checklist: JsonProgress {
            done: j.checklist_done(),
            total: j.checklist.len(),
            open: j
                .checklist
                .iter()
                .filter(|c| c.done != Some(true))
                .map(|c| c.id.as_str())
                .collect(),
        },
        warnings: warnings
            .iter()
            .map(|Warning(w)| JsonWarning {
                file: w
                    .file
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                line: w.pos.map(|p| p.line),
                column: w.pos.map(|p| p.col),
                message: &w.message,
            })
            .collect(),
    };
    let mut text =
        serde_json::to_string_pretty(&json).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
