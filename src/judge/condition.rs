//! Evaluating a condition on a proposal's facts, and saying it in words.

use crate::model::condition::{Condition, Leaf, Op, Operand};
use crate::model::framework::Framework;
use crate::model::placeholders::format_number;
use crate::model::proposal::{FactValue, Proposal};
use std::borrow::Cow;

use super::judgement::Observation;
use super::tri::Tri;

pub fn evaluate(condition: &Condition, framework: &Framework, proposal: &Proposal) -> Tri {
    match condition {
        Condition::All(items) => Tri::all(items.iter().map(|c| evaluate(c, framework, proposal))),
        Condition::Any(items) => Tri::any(items.iter().map(|c| evaluate(c, framework, proposal))),
        Condition::Not(inner) => evaluate(inner, framework, proposal).negate(),
        Condition::Leaf(leaf) => evaluate_leaf(leaf, framework, proposal),
    }
}

fn evaluate_leaf(leaf: &Leaf, framework: &Framework, proposal: &Proposal) -> Tri {
    let Some(fact) = proposal.fact(&leaf.fact.value) else {
        return Tri::Unknown;
    };
    match (fact, operand_value(&leaf.value.value, framework)) {
        (FactValue::Number(x), Some(FactValue::Number(y))) => {
            Tri::from_bool(compare(leaf.op.value, x, y))
        }
        (FactValue::Bool(x), Some(FactValue::Bool(y))) => match leaf.op.value {
            Op::Eq => Tri::from_bool(x == y),
            Op::Ne => Tri::from_bool(x != y),
            _ => Tri::Unknown,
        },
        // Types are checked when the framework is loaded; a mismatch cannot be judged.
        _ => Tri::Unknown,
    }
}

fn operand_value(operand: &Operand, framework: &Framework) -> Option<FactValue> {
    match operand {
        Operand::Bool(b) => Some(FactValue::Bool(*b)),
        Operand::Number(n) => Some(FactValue::Number(*n)),
        Operand::Threshold(name) => framework.threshold(name).map(FactValue::Number),
    }
}

fn compare(op: Op, x: f64, y: f64) -> bool {
    match op {
        Op::Lt => x < y,
        Op::Le => x <= y,
        Op::Gt => x > y,
        Op::Ge => x >= y,
        Op::Eq => x == y,
        Op::Ne => x != y,
    }
}

/// The condition in the framework's words: "成本降低 ≥ 30% 且 提供了具体的成本数据对比". A
/// part that is a deal breaker's whole condition (`*tech_validation` in the YAML) is named
/// by that deal breaker (合作前提「技术验证通过」), not spelt out again.
pub fn describe(condition: &Condition, framework: &Framework) -> String {
    match condition {
        Condition::All(items) => join(items, " 且 ", framework),
        Condition::Any(items) => join(items, " 或 ", framework),
        Condition::Not(inner) => format!("并非（{}）", describe_part(inner, framework)),
        Condition::Leaf(leaf) => describe_leaf(leaf, framework),
    }
}

/// A part of a condition: by a deal breaker's label when it is that deal breaker's condition.
fn describe_part(condition: &Condition, framework: &Framework) -> String {
    deal_breaker_name(condition, framework).unwrap_or_else(|| describe(condition, framework))
}

/// The label of the deal breaker whose whole condition this is.
fn deal_breaker_name(condition: &Condition, framework: &Framework) -> Option<String> {
    let rules = &framework.preconditions.deal_breakers.rules;
    let rule = rules.iter().find(|r| same(&r.when, condition))?;
    Some(format!("合作前提「{}」", rule.label))
}

fn join(items: &[Condition], separator: &str, framework: &Framework) -> String {
    items
        .iter()
        .map(|c| match deal_breaker_name(c, framework) {
            Some(name) => name,
            None if items.len() > 1 && matches!(c, Condition::All(_) | Condition::Any(_)) => {
                format!("（{}）", describe(c, framework))
            }
            None => describe(c, framework),
        })
        .collect::<Vec<_>>()
        .join(separator)
}

/// The same condition wherever it is written (positions aside).
fn same(a: &Condition, b: &Condition) -> bool {
    match (a, b) {
        (Condition::All(x), Condition::All(y)) | (Condition::Any(x), Condition::Any(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Condition::Not(x), Condition::Not(y)) => same(x, y),
        (Condition::Leaf(x), Condition::Leaf(y)) => {
            x.fact.value == y.fact.value
                && x.op.value == y.op.value
                && x.value.value == y.value.value
        }
        _ => false,
    }
}

fn describe_leaf(leaf: &Leaf, framework: &Framework) -> String {
    let key = leaf.fact.value.as_str();
    match operand_value(&leaf.value.value, framework) {
        Some(FactValue::Bool(expected)) => {
            let wanted = expected == (leaf.op.value == Op::Eq);
            bool_phrase(framework, key, wanted)
        }
        Some(FactValue::Number(n)) => {
            let label = framework.name_of(key);
            format!(
                "{label} {} {}",
                leaf.op.value.symbol(),
                with_unit(framework, key, n)
            )
        }
        None => key.to_string(),
    }
}

fn bool_phrase(framework: &Framework, key: &str, value: bool) -> String {
    let label = framework.label(key);
    let phrase = label.and_then(|l| {
        if value {
            l.when_true.as_deref()
        } else {
            l.when_false.as_deref()
        }
    });
    match phrase {
        Some(p) => p.to_string(),
        None => format!("{key} = {value}"),
    }
}

/// "30%", "5s", "2 人周": a unit made of letters or % sticks to the number.
pub fn with_unit(framework: &Framework, key: &str, n: f64) -> String {
    let number = format_number(n);
    match framework.label(key).and_then(|l| l.unit.as_deref()) {
        Some(unit) if unit.starts_with(|c: char| c.is_ascii()) => format!("{number}{unit}"),
        Some(unit) => format!("{number} {unit}"),
        None => number,
    }
}

/// A fact's value as a person reads it.
pub fn display_fact(framework: &Framework, key: &str, value: FactValue) -> String {
    match value {
        FactValue::Number(n) => with_unit(framework, key, n),
        FactValue::Bool(b) => bool_phrase(framework, key, b),
    }
}

/// The facts a condition reads, each once, with the value written in the proposal and where
/// (a fact written as `null` is unknown, at its line).
pub fn observe<'f>(
    condition: &'f Condition,
    framework: &'f Framework,
    proposal: &Proposal,
) -> Vec<Observation<'f>> {
    let mut seen: Vec<&str> = Vec::new();
    let mut observed = Vec::new();
    for leaf in condition.leaves() {
        let key = leaf.fact.value.as_str();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let line = proposal.fact_line(key);
        observed.push(Observation {
            fact: Cow::Borrowed(key),
            label: Cow::Borrowed(framework.name_of(key)),
            value: proposal
                .fact(key)
                .map(|value| display_fact(framework, key, value)),
            file: line.map(|_| proposal.file.clone()),
            line,
        });
    }
    observed
}
