//! The decision engine: framework + proposal → judgement. Pure: no I/O, no clock.
//!
//! 1. Any true No-Go rule or red line (of those that apply) → `no_go`, for the proposal and
//!    every direction.
//! 2. Otherwise a proposed direction is `go` when at least the required number of Go
//!    conditions hold, every deal breaker holds (for directions that move business), its own
//!    acceptance condition holds, and no No-Go rule or red line that applies is unknown (a red
//!    line nobody has confirmed holds a Go back); else `pending`, listing what is false apart
//!    from what is unknown.
//! 3. The proposal is `go` when every proposed direction is `go`, else `pending`.
//!
//! A No-Go rule with `applies_to: moves_business` judges only a proposal with a direction that
//! moves business to the vendor, or whose directions are not recorded yet.

pub mod condition;
pub mod judgement;
pub mod tri;

use crate::model::condition::Condition;
use crate::model::framework::{Direction, Framework, Scope};
use crate::model::proposal::Proposal;
use std::borrow::Cow;

use judgement::{
    ChecklistStatus, DirectionOutcome, Judgement, QuestionStatus, RuleGroup, RuleOutcome, Verdict,
    accept_id,
};
use tri::Tri;

pub fn judge<'f>(framework: &'f Framework, proposal: &Proposal) -> Judgement<'f> {
    let proposed: Vec<&Direction> = proposal
        .directions
        .iter()
        .flatten()
        .filter_map(|id| framework.direction(&id.value))
        .collect();
    let rules = judge_rules(framework, proposal, &proposed);
    let triggered: Vec<String> = rules
        .iter()
        .filter(|r| r.is_alarm() && r.result == Tri::True)
        .map(|r| r.id.clone())
        .collect();
    let go_met = rules
        .iter()
        .filter(|r| r.group == RuleGroup::Go && r.result == Tri::True)
        .count();
    let go_required = framework.go_required();
    let directions: Vec<DirectionOutcome> = proposed
        .iter()
        .map(|d| judge_direction(d, &rules, !triggered.is_empty(), go_met >= go_required))
        .collect();
    let verdict = overall_verdict(&triggered, proposal.directions.is_some(), &directions);
    let unknown = unknown_rules(&rules);
    Judgement {
        vendor: proposal.vendor.value.clone(),
        date: proposal.date.value,
        verdict,
        directions_recorded: proposal.directions.is_some(),
        triggered,
        go_met,
        go_required,
        directions,
        unknown,
        rules,
        questions: question_status(framework, proposal),
        checklist: checklist_status(framework, proposal),
    }
}

fn overall_verdict(
    triggered: &[String],
    recorded: bool,
    directions: &[DirectionOutcome],
) -> Verdict {
    if !triggered.is_empty() {
        Verdict::NoGo
    } else if recorded
        && !directions.is_empty()
        && directions.iter().all(|d| d.verdict == Verdict::Go)
    {
        Verdict::Go
    } else {
        Verdict::Pending
    }
}

/// Every rule, in framework order, with its result, the facts behind it and whether it
/// applies to this proposal.
fn judge_rules<'f>(
    framework: &'f Framework,
    proposal: &Proposal,
    proposed: &[&'f Direction],
) -> Vec<RuleOutcome<'f>> {
    let moves_business = proposed.iter().any(|d| d.moves_business);
    // A draft whose directions are not recorded may yet move business: its cost and PoC
    // are judged.
    let may_move_business = moves_business || proposal.directions.is_none();
    let outcome = |group: RuleGroup, id: String, label: &'f str, when: &'f Condition| RuleOutcome {
        group,
        id,
        label: Cow::Borrowed(label),
        threshold: condition::describe(when, framework),
        result: condition::evaluate(when, framework, proposal),
        applies: match group {
            RuleGroup::DealBreaker => moves_business,
            _ => true,
        },
        observed: condition::observe(when, framework, proposal),
    };
    let mut rules = Vec::new();
    for r in &framework.no_go.rules {
        let mut rule = outcome(
            RuleGroup::NoGo,
            format!("no_go.{}", r.id.value),
            &r.label,
            &r.when,
        );
        rule.applies = match r.applies_to {
            Scope::All => true,
            Scope::MovesBusiness => may_move_business,
        };
        rules.push(rule);
    }
    for (id, red_line, when) in framework.judged_red_lines() {
        rules.push(outcome(
            RuleGroup::RedLine,
            format!("red_line.{}", id.value),
            &red_line.text,
            when,
        ));
    }
    for r in &framework.go.rules {
        rules.push(outcome(
            RuleGroup::Go,
            r.id.value.clone(),
            &r.label,
            &r.when,
        ));
    }
    for r in &framework.preconditions.deal_breakers.rules {
        rules.push(outcome(
            RuleGroup::DealBreaker,
            r.id.value.clone(),
            &r.label,
            &r.when,
        ));
    }
    for d in proposed {
        if let Some(accept) = &d.accept {
            rules.push(outcome(
                RuleGroup::Acceptance,
                accept_id(&d.id.value),
                &accept.label,
                &accept.when,
            ));
        }
    }
    for r in &framework.preconditions.bonus.items {
        rules.push(outcome(
            RuleGroup::Bonus,
            format!("bonus.{}", r.id.value),
            &r.label,
            &r.when,
        ));
    }
    rules
}

/// The rules a direction needs: the No-Go rules and red lines that apply (to be confirmed
/// false), Go conditions (while the count is short), deal breakers (when it moves business)
/// and its own acceptance condition.
fn judge_direction<'f>(
    direction: &'f Direction,
    rules: &[RuleOutcome<'f>],
    no_go: bool,
    go_reached: bool,
) -> DirectionOutcome<'f> {
    let needed: Vec<&RuleOutcome> = rules
        .iter()
        .filter(|r| {
            (r.group == RuleGroup::Go && !go_reached)
                || r.needed_by(&direction.id.value, direction.moves_business)
        })
        .collect();
    let ids_with = |result: Tri| -> Vec<String> {
        needed
            .iter()
            .filter(|r| r.result == result)
            .map(|r| r.id.clone())
            .collect()
    };
    let unmet = ids_with(Tri::False);
    let unknown = ids_with(Tri::Unknown);
    let verdict = if no_go {
        Verdict::NoGo
    } else if go_reached && unmet.is_empty() && unknown.is_empty() {
        Verdict::Go
    } else {
        Verdict::Pending
    };
    DirectionOutcome {
        id: direction.id.value.clone(),
        title: Cow::Borrowed(&direction.title),
        moves_business: direction.moves_business,
        verdict,
        unmet,
        unknown,
    }
}

/// The unknown rules that bear on the verdict: No-Go rules and red lines, Go conditions,
/// deal breakers and the proposed directions' acceptance conditions, of those that apply.
fn unknown_rules(rules: &[RuleOutcome]) -> Vec<String> {
    rules
        .iter()
        .filter(|r| r.result == Tri::Unknown && r.applies && r.group != RuleGroup::Bonus)
        .map(|r| r.id.clone())
        .collect()
}

fn question_status<'f>(framework: &'f Framework, proposal: &Proposal) -> Vec<QuestionStatus<'f>> {
    framework
        .question_items()
        .map(|(group, q)| {
            let answer = proposal.answers.get(&q.id.value);
            QuestionStatus {
                id: q.id.value.clone(),
                group: Cow::Borrowed(&group.title),
                text: Cow::Borrowed(&q.text),
                answer: answer.map(|a| a.value.clone()),
                line: answer.map(|a| a.pos.line),
            }
        })
        .collect()
}

fn checklist_status<'f>(framework: &'f Framework, proposal: &Proposal) -> Vec<ChecklistStatus<'f>> {
    framework
        .checklist_items()
        .map(|(group, item)| {
            let done = proposal.checklist.get(&item.id.value);
            ChecklistStatus {
                id: item.id.value.clone(),
                group: Cow::Borrowed(&group.title),
                text: Cow::Borrowed(&item.text),
                done: done.map(|d| d.value),
                line: done.map(|d| d.pos.line),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
