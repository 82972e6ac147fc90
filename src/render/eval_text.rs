//! `dealbook eval --format text`: the verdict first, then one reason per line, in Chinese.

use std::fmt::Write;

use crate::judge::judgement::{Judgement, RuleGroup, RuleOutcome};
use crate::judge::tri::Tri;
use crate::render::report::{facts_text, rule_words};

pub fn render(judgement: &Judgement) -> String {
    let j = judgement;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "结论：{}（{} · {}）",
        j.verdict.label(),
        j.vendor,
        j.date
    );
    for id in &j.triggered {
        if let Some(rule) = j.rule(id) {
            let _ = writeln!(
                out,
                "不推进：触发 {}「{}」—— {}",
                rule.group.label(),
                rule.label,
                facts_text(&rule.observed)
            );
        }
    }
    let go_met: Vec<&str> = j
        .rules_in(RuleGroup::Go)
        .filter(|r| r.result == Tri::True)
        .map(|r| r.label.as_ref())
        .collect();
    let _ = writeln!(
        out,
        "Go 条件：满足 {} 条{}，至少需要 {} 条",
        j.go_met,
        list_suffix(&go_met),
        j.go_required
    );
    if !j.directions_recorded {
        let _ = writeln!(out, "待补充：提案尚未记录对方提出的合作方向（directions）");
    }
    // Any No-Go rule or red line stops every direction: said on each, so a direction whose own
    // list holds nothing that fired does not read as a No-Go without a reason.
    let because = if j.triggered.is_empty() {
        ""
    } else {
        "（因上面触发的规则）"
    };
    for d in &j.directions {
        let _ = writeln!(
            out,
            "方向「{}」（{}）：{}{because}",
            d.title,
            d.id,
            d.verdict.label()
        );
        for id in &d.unmet {
            write_rule_line(&mut out, j, id, "需协商", "  ");
        }
        for id in &d.unknown {
            write_rule_line(&mut out, j, id, "待获取", "  ");
        }
    }
    let direction_ids: Vec<&String> = j
        .directions
        .iter()
        .flat_map(|d| d.unmet.iter().chain(&d.unknown))
        .collect();
    for id in j.unknown.iter().filter(|id| !direction_ids.contains(id)) {
        write_rule_line(&mut out, j, id, "仍未知", "");
    }
    let bonus: Vec<&RuleOutcome> = j.rules_in(RuleGroup::Bonus).collect();
    let met: Vec<&str> = bonus
        .iter()
        .filter(|r| r.result == Tri::True)
        .map(|r| r.label.as_ref())
        .collect();
    let _ = writeln!(
        out,
        "加分条件：满足 {} / {}{}",
        met.len(),
        bonus.len(),
        list_suffix(&met)
    );
    let _ = writeln!(out, "问题：已回答 {} / {}", j.answered(), j.questions.len());
    let _ = writeln!(
        out,
        "会后评估清单：已完成 {} / {}",
        j.checklist_done(),
        j.checklist.len()
    );
    out
}

/// One reason: "  需协商：<rule> —— <facts>", indented under its direction or not.
fn write_rule_line(out: &mut String, j: &Judgement, id: &str, what: &str, indent: &str) {
    if let Some(rule) = j.rule(id) {
        let _ = writeln!(
            out,
            "{indent}{what}：{} —— {}",
            rule_words(rule),
            facts_text(&rule.observed)
        );
    }
}

fn list_suffix(items: &[&str]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("（{}）", items.join("、"))
    }
}
