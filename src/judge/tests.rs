//! The engine against the shipped framework: every rule, every boundary, the verdict rules.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use super::judge;
use super::judgement::{Judgement, Verdict};
use super::tri::Tri;
use crate::location::{Located, Pos};
use crate::model::date::Date;
use crate::model::framework::Framework;
use crate::model::framework_load::parse_framework;
use crate::model::proposal::{FactValue, Proposal};

fn framework() -> &'static Framework {
    static FRAMEWORK: OnceLock<Framework> = OnceLock::new();
    FRAMEWORK.get_or_init(|| {
        let text = include_str!("../../content/framework.yaml");
        parse_framework(Path::new("content/framework.yaml"), text)
            .expect("shipped framework is valid")
    })
}

fn at<T>(value: T) -> Located<T> {
    Located::new(value, Pos::new(1, 1))
}

fn num(x: f64) -> FactValue {
    FactValue::Number(x)
}

const YES: FactValue = FactValue::Bool(true);
const NO: FactValue = FactValue::Bool(false);

/// A fact the shipped framework declares (a typo in a test would otherwise read as unknown).
fn declared(key: &str) -> String {
    assert!(framework().fields.fact(key).is_some(), "{key} is declared");
    key.to_string()
}

fn proposal(directions: &[&str], facts: &[(&str, FactValue)]) -> Proposal {
    Proposal {
        file: "test.yaml".to_string(),
        vendor: at("测试云".to_string()),
        title: None,
        date: at(Date {
            year: 2026,
            month: 1,
            day: 20,
        }),
        phase: None,
        attendees: Vec::new(),
        notes: None,
        directions: Some(directions.iter().map(|d| at(d.to_string())).collect()),
        facts: facts
            .iter()
            .map(|(k, v)| (declared(k), at(Some(*v))))
            .collect(),
        answers: Default::default(),
        checklist: Default::default(),
        warnings: Vec::new(),
    }
}

/// Every fact set so that every rule passes: a clean Go for any direction.
fn ideal() -> Vec<(&'static str, FactValue)> {
    vec![
        ("terms.cost_reduction_pct", num(45.0)),
        ("terms.cost_data", YES),
        ("terms.exclusive", NO),
        ("terms.lock_in", NO),
        ("terms.replace_all_suppliers", NO),
        ("terms.multi_vendor_ok", YES),
        ("terms.joint_marketing", YES),
        ("terms.vague_benefit", NO),
        ("terms.resource_swap", NO),
        ("poc.offered", YES),
        ("poc.latency_s", num(3.0)),
        ("poc.no_rate_limit", YES),
        ("poc.compatible", YES),
        ("poc.passed", YES),
        ("migration.person_weeks", num(1.0)),
        ("migration.cost_vs_benefit_pct", num(20.0)),
        ("migration.major_refactor", NO),
        ("migration.long_term_infra", NO),
        ("migration.core_business", NO),
        ("migration.reversible", YES),
    ]
}

/// The ideal facts with some replaced (or removed, with `None`).
fn ideal_with(changes: &[(&'static str, Option<FactValue>)]) -> Vec<(&'static str, FactValue)> {
    let mut facts: BTreeMap<&str, FactValue> = ideal().into_iter().collect();
    for (key, value) in changes {
        match value {
            Some(v) => facts.insert(key, *v),
            None => facts.remove(key),
        };
    }
    facts.into_iter().collect()
}

fn judged(directions: &[&str], facts: &[(&str, FactValue)]) -> Judgement<'static> {
    judge(framework(), &proposal(directions, facts))
}

fn result(j: &Judgement, id: &str) -> Tri {
    j.rule(id)
        .unwrap_or_else(|| panic!("rule {id} judged"))
        .result
}

const ALL_DIRECTIONS: [&str; 5] = [
    "primary_model",
    "compute",
    "joint_solution",
    "enablement",
    "fine_tuning",
];

#[test]
fn ideal_offer_is_go_for_every_direction() {
    let j = judged(&ALL_DIRECTIONS, &ideal());
    assert_eq!(j.verdict, Verdict::Go);
    assert!(j.triggered.is_empty());
    assert_eq!((j.go_met, j.go_required), (6, 3));
    assert!(
        j.directions
            .iter()
            .all(|d| d.verdict == Verdict::Go && d.unmet.is_empty() && d.unknown.is_empty())
    );
    assert!(j.unknown.is_empty(), "{:?}", j.unknown);
}

#[test]
fn numeric_rules_at_their_boundaries() {
    use Tri::{False, True};
    let table: [(&str, &str, f64, Tri); 24] = [
        (
            "no_go.cost_below_20",
            "terms.cost_reduction_pct",
            19.99,
            True,
        ),
        (
            "no_go.cost_below_20",
            "terms.cost_reduction_pct",
            20.0,
            False,
        ),
        (
            "no_go.cost_below_20",
            "terms.cost_reduction_pct",
            -5.0,
            True,
        ),
        ("cost_30", "terms.cost_reduction_pct", 29.99, False),
        ("cost_30", "terms.cost_reduction_pct", 30.0, True),
        ("cost_advantage", "terms.cost_reduction_pct", 29.99, False),
        ("cost_advantage", "terms.cost_reduction_pct", 30.0, True),
        (
            "primary_model.accept",
            "terms.cost_reduction_pct",
            39.99,
            False,
        ),
        // 二: "成本优势 > 40%": exactly 40 is not enough.
        (
            "primary_model.accept",
            "terms.cost_reduction_pct",
            40.0,
            False,
        ),
        (
            "primary_model.accept",
            "terms.cost_reduction_pct",
            40.01,
            True,
        ),
        (
            "primary_model.accept",
            "terms.cost_reduction_pct",
            100.0,
            True,
        ),
        ("latency_5s", "poc.latency_s", 4.99, True),
        ("latency_5s", "poc.latency_s", 5.0, False),
        ("latency_5s", "poc.latency_s", 0.0, True),
        // 一: technical validation covers latency.
        ("tech_validation", "poc.latency_s", 4.99, True),
        ("tech_validation", "poc.latency_s", 5.0, False),
        ("primary_model.accept", "poc.latency_s", 5.0, False),
        ("primary_model.accept", "poc.latency_s", 4.99, True),
        ("low_migration", "migration.person_weeks", 1.99, True),
        ("low_migration", "migration.person_weeks", 2.0, False),
        ("low_migration", "migration.person_weeks", 0.0, True),
        (
            "migration_cost",
            "migration.cost_vs_benefit_pct",
            49.99,
            True,
        ),
        (
            "migration_cost",
            "migration.cost_vs_benefit_pct",
            50.0,
            False,
        ),
        ("migration_cost", "migration.cost_vs_benefit_pct", 0.0, True),
    ];
    for (rule, fact, value, expected) in table {
        let j = judged(&ALL_DIRECTIONS, &ideal_with(&[(fact, Some(num(value)))]));
        assert_eq!(result(&j, rule), expected, "{rule} with {fact} = {value}");
    }
}

#[test]
fn boolean_rules_follow_their_fact() {
    use Tri::{False, True};
    let table: [(&str, &str, FactValue, Tri); 32] = [
        (
            "no_go.major_refactor",
            "migration.major_refactor",
            YES,
            True,
        ),
        (
            "no_go.major_refactor",
            "migration.major_refactor",
            NO,
            False,
        ),
        ("no_go.no_poc", "poc.offered", NO, True),
        ("no_go.no_poc", "poc.offered", YES, False),
        ("no_go.tech_failed", "poc.passed", NO, True),
        ("no_go.tech_failed", "poc.passed", YES, False),
        ("no_go.tech_failed", "poc.compatible", NO, True),
        ("red_line.exclusive", "terms.multi_vendor_ok", NO, True),
        ("primary_model.accept", "terms.multi_vendor_ok", NO, False),
        ("tech_validation", "poc.compatible", NO, False),
        ("tech_validation", "poc.no_rate_limit", NO, False),
        ("no_binding", "terms.lock_in", YES, False),
        ("compute.accept", "migration.reversible", NO, False),
        ("fine_tuning.accept", "migration.reversible", NO, False),
        ("fine_tuning.accept", "migration.core_business", YES, False),
        ("no_go.exclusive_or_binding", "terms.exclusive", YES, True),
        ("no_go.exclusive_or_binding", "terms.lock_in", YES, True),
        ("red_line.exclusive", "terms.exclusive", YES, True),
        (
            "red_line.replace_all_suppliers",
            "terms.replace_all_suppliers",
            YES,
            True,
        ),
        (
            "red_line.major_refactor",
            "migration.major_refactor",
            YES,
            True,
        ),
        (
            "red_line.long_term_infra",
            "migration.long_term_infra",
            YES,
            True,
        ),
        ("red_line.vague_benefit", "terms.vague_benefit", YES, True),
        ("red_line.resource_swap", "terms.resource_swap", YES, True),
        ("red_line.lock_in", "terms.lock_in", YES, True),
        ("no_rate_limit", "poc.no_rate_limit", NO, False),
        ("joint_marketing", "terms.joint_marketing", NO, False),
        ("no_exclusivity", "terms.exclusive", YES, False),
        ("tech_validation", "poc.passed", NO, False),
        ("no_binding", "terms.exclusive", YES, False),
        ("primary_model.accept", "poc.passed", NO, False),
        ("cost_advantage", "terms.cost_data", NO, False),
        ("compute.accept", "migration.core_business", YES, False),
    ];
    for (rule, fact, value, expected) in table {
        let j = judged(&ALL_DIRECTIONS, &ideal_with(&[(fact, Some(value))]));
        assert_eq!(result(&j, rule), expected, "{rule} with {fact} = {value:?}");
    }
}

#[test]
fn every_no_go_rule_and_red_line_alone_makes_everything_no_go() {
    let triggers: [(&str, FactValue, &[&str]); 12] = [
        (
            "terms.cost_reduction_pct",
            num(10.0),
            &["no_go.cost_below_20"],
        ),
        (
            "migration.major_refactor",
            YES,
            &["no_go.major_refactor", "red_line.major_refactor"],
        ),
        (
            "terms.exclusive",
            YES,
            &["no_go.exclusive_or_binding", "red_line.exclusive"],
        ),
        (
            "terms.lock_in",
            YES,
            &["no_go.exclusive_or_binding", "red_line.lock_in"],
        ),
        ("poc.offered", NO, &["no_go.no_poc"]),
        ("poc.passed", NO, &["no_go.tech_failed"]),
        ("poc.compatible", NO, &["no_go.tech_failed"]),
        ("terms.multi_vendor_ok", NO, &["red_line.exclusive"]),
        (
            "terms.replace_all_suppliers",
            YES,
            &["red_line.replace_all_suppliers"],
        ),
        (
            "migration.long_term_infra",
            YES,
            &["red_line.long_term_infra"],
        ),
        ("terms.vague_benefit", YES, &["red_line.vague_benefit"]),
        ("terms.resource_swap", YES, &["red_line.resource_swap"]),
    ];
    for (fact, value, expected) in triggers {
        let j = judged(&ALL_DIRECTIONS, &ideal_with(&[(fact, Some(value))]));
        assert_eq!(j.verdict, Verdict::NoGo, "{fact}");
        assert_eq!(j.triggered, expected, "{fact}");
        assert!(
            j.directions.iter().all(|d| d.verdict == Verdict::NoGo),
            "{fact}"
        );
    }
}

#[test]
fn no_go_wins_even_when_everything_else_is_unknown() {
    let j = judged(&["joint_solution"], &[("terms.exclusive", YES)]);
    assert_eq!(j.verdict, Verdict::NoGo);
    assert_eq!(
        j.triggered,
        ["no_go.exclusive_or_binding", "red_line.exclusive"]
    );
}

#[test]
fn go_needs_three_conditions() {
    // Only cost_30, no_exclusivity and joint_marketing true: exactly three.
    let three = ideal_with(&[
        ("poc.latency_s", Some(num(6.0))),
        ("poc.no_rate_limit", Some(NO)),
        ("migration.person_weeks", Some(num(3.0))),
    ]);
    let j = judged(&["joint_solution"], &three);
    assert_eq!((j.go_met, j.verdict), (3, Verdict::Go));

    let two = ideal_with(&[
        ("poc.latency_s", Some(num(6.0))),
        ("poc.no_rate_limit", Some(NO)),
        ("migration.person_weeks", Some(num(3.0))),
        ("terms.joint_marketing", Some(NO)),
    ]);
    let j = judged(&["joint_solution"], &two);
    assert_eq!((j.go_met, j.verdict), (2, Verdict::Pending));
    let d = &j.directions[0];
    assert_eq!(
        d.unmet,
        [
            "latency_5s",
            "no_rate_limit",
            "joint_marketing",
            "low_migration"
        ]
    );
    assert!(d.unknown.is_empty());
}

#[test]
fn deal_breakers_apply_only_to_directions_that_move_business() {
    let j = judged(
        &["joint_solution", "primary_model"],
        &ideal_with(&[("terms.cost_data", Some(NO))]),
    );
    assert_eq!(j.directions[0].verdict, Verdict::Go);
    assert_eq!(j.directions[1].verdict, Verdict::Pending);
    assert_eq!(j.directions[1].unmet, ["cost_advantage"]);
    assert_eq!(
        j.verdict,
        Verdict::Pending,
        "one pending direction keeps the proposal pending"
    );
}

#[test]
fn pending_direction_separates_false_from_unknown() {
    let facts = ideal_with(&[
        ("terms.cost_reduction_pct", Some(num(35.0))),
        ("poc.passed", None),
    ]);
    let j = judged(&["primary_model"], &facts);
    let d = &j.directions[0];
    assert_eq!(d.verdict, Verdict::Pending);
    // 35 < 40 is false whatever the PoC says: false AND unknown is false.
    assert_eq!(d.unmet, ["primary_model.accept"]);
    // The PoC's failure is not ruled out: it holds the Go back too.
    assert_eq!(d.unknown, ["no_go.tech_failed", "tech_validation"]);
    assert_eq!(j.unknown, ["no_go.tech_failed", "tech_validation"]);
}

#[test]
fn kleene_logic_in_rules() {
    // exclusive false OR lock_in unknown → unknown; exclusive true OR unknown → true.
    let j = judged(&["joint_solution"], &ideal_with(&[("terms.lock_in", None)]));
    assert_eq!(result(&j, "no_go.exclusive_or_binding"), Tri::Unknown);
    let j = judged(
        &["joint_solution"],
        &ideal_with(&[("terms.lock_in", None), ("terms.exclusive", Some(YES))]),
    );
    assert_eq!(result(&j, "no_go.exclusive_or_binding"), Tri::True);
    // cost 45 AND cost_data unknown → unknown; cost 20 AND unknown → false.
    let j = judged(&["compute"], &ideal_with(&[("terms.cost_data", None)]));
    assert_eq!(result(&j, "cost_advantage"), Tri::Unknown);
    assert_eq!(j.directions[0].unknown, ["cost_advantage"]);
    let j = judged(
        &["compute"],
        &ideal_with(&[
            ("terms.cost_data", None),
            ("terms.cost_reduction_pct", Some(num(20.0))),
        ]),
    );
    assert_eq!(result(&j, "cost_advantage"), Tri::False);
}

#[test]
fn each_unknown_no_go_rule_or_red_line_alone_holds_a_go_back() {
    // 三 "明确红线": a red line nobody has confirmed is not yet a Go.
    let cases: [(&str, &str); 12] = [
        ("terms.exclusive", "red_line.exclusive"),
        ("terms.multi_vendor_ok", "red_line.exclusive"),
        (
            "terms.replace_all_suppliers",
            "red_line.replace_all_suppliers",
        ),
        ("migration.long_term_infra", "red_line.long_term_infra"),
        ("terms.vague_benefit", "red_line.vague_benefit"),
        ("terms.resource_swap", "red_line.resource_swap"),
        ("terms.lock_in", "red_line.lock_in"),
        ("migration.major_refactor", "red_line.major_refactor"),
        ("terms.cost_reduction_pct", "no_go.cost_below_20"),
        ("poc.offered", "no_go.no_poc"),
        ("poc.passed", "no_go.tech_failed"),
        ("poc.compatible", "no_go.tech_failed"),
    ];
    for (fact, rule) in cases {
        let j = judged(&["compute"], &ideal_with(&[(fact, None)]));
        assert_eq!(result(&j, rule), Tri::Unknown, "{fact}");
        assert_eq!(j.verdict, Verdict::Pending, "{fact} unknown");
        let d = &j.directions[0];
        assert_eq!(d.verdict, Verdict::Pending, "{fact} unknown");
        assert!(d.unknown.iter().any(|id| id == rule), "{fact}: {d:?}");
        assert!(d.unmet.is_empty(), "{fact}: {d:?}");
    }
}

#[test]
fn a_proposal_that_moves_no_business_has_no_cost_or_poc_to_judge() {
    // Joint solution and enablement only: cost and PoC unknown, everything else confirmed.
    let facts = ideal_with(&[
        ("terms.cost_reduction_pct", None),
        ("terms.cost_data", None),
        ("poc.offered", None),
        ("poc.latency_s", None),
        ("poc.no_rate_limit", None),
        ("poc.compatible", None),
        ("poc.passed", None),
        ("migration.cost_vs_benefit_pct", None),
    ]);
    let j = judged(&["joint_solution", "enablement"], &facts);
    assert_eq!(j.verdict, Verdict::Go, "{:?}", j.directions);
    for id in ["no_go.cost_below_20", "no_go.no_poc", "no_go.tech_failed"] {
        let rule = j.rule(id).expect("judged");
        assert!(!rule.applies, "{id}");
        assert!(!j.unknown.contains(&id.to_string()), "{id}");
    }
    assert!(j.rule("no_go.major_refactor").is_some_and(|r| r.applies));
    // A cost that would be No-Go for a migration is beside the point here.
    let cheap = ideal_with(&[("terms.cost_reduction_pct", Some(num(10.0)))]);
    let j = judged(&["joint_solution"], &cheap);
    assert!(j.triggered.is_empty(), "{:?}", j.triggered);
    // With one direction that moves business, it applies again.
    let j = judged(&["joint_solution", "compute"], &cheap);
    assert_eq!(j.triggered, ["no_go.cost_below_20"]);
    assert_eq!(j.verdict, Verdict::NoGo);
    // A draft whose directions are not recorded may move business: judged.
    let mut draft = proposal(&[], &cheap);
    draft.directions = None;
    assert_eq!(
        judge(framework(), &draft).triggered,
        ["no_go.cost_below_20"]
    );
}

#[test]
fn fine_tuning_and_compute_need_non_core_business() {
    for direction in ["compute", "fine_tuning"] {
        let j = judged(&[direction], &ideal());
        assert_eq!(j.directions[0].verdict, Verdict::Go, "{direction}");
        let j = judged(
            &[direction],
            &ideal_with(&[("migration.core_business", Some(YES))]),
        );
        assert_eq!(j.directions[0].unmet, [format!("{direction}.accept")]);
        let j = judged(
            &[direction],
            &ideal_with(&[("migration.core_business", None)]),
        );
        assert_eq!(j.directions[0].unknown, [format!("{direction}.accept")]);
    }
}

#[test]
fn missing_directions_keep_the_proposal_pending() {
    let mut p = proposal(&[], &ideal());
    p.directions = None;
    let j = judge(framework(), &p);
    assert_eq!(j.verdict, Verdict::Pending);
    assert!(!j.directions_recorded);
}

#[test]
fn every_fact_unknown_lists_every_rule_as_unknown() {
    let j = judged(&["primary_model"], &[]);
    assert_eq!(j.verdict, Verdict::Pending);
    assert_eq!(j.go_met, 0);
    assert_eq!(j.unknown.len(), 5 + 7 + 6 + 4 + 1);
}

#[test]
fn a_changed_threshold_changes_the_judgement() {
    let mut fw = framework().clone();
    let facts = ideal_with(&[("terms.cost_reduction_pct", Some(num(27.0)))]);
    let before = judge(&fw, &proposal(&["compute"], &facts));
    assert_eq!(result(&before, "cost_30"), Tri::False);
    fw.thresholds.insert("cost_go".into(), 25.0);
    let after = judge(&fw, &proposal(&["compute"], &facts));
    assert_eq!(result(&after, "cost_30"), Tri::True);
    assert_eq!(
        after.rule("cost_30").map(|r| r.threshold.as_str()),
        Some("成本降低 ≥ 25%")
    );
}

#[test]
fn rules_report_their_threshold_value_and_line() {
    let mut p = proposal(&["compute"], &ideal());
    p.facts.insert(
        "poc.latency_s".into(),
        Located::new(Some(num(4.2)), Pos::new(17, 15)),
    );
    // Written as null: unknown, at its line.
    p.facts.insert(
        "poc.no_rate_limit".into(),
        Located::new(None, Pos::new(18, 18)),
    );
    let j = judge(framework(), &p);
    let rule = j.rule("no_rate_limit").unwrap();
    assert_eq!(rule.result, Tri::Unknown);
    assert_eq!(rule.observed[0].value, None);
    assert_eq!(rule.observed[0].line, Some(18));
    assert_eq!(rule.observed[0].file.as_deref(), Some("test.yaml"));
    let rule = j.rule("latency_5s").unwrap();
    assert_eq!(rule.label, "PoC 验证延迟 < 5s");
    assert_eq!(rule.threshold, "PoC 验证延迟 < 5s");
    assert_eq!(rule.observed[0].value.as_deref(), Some("4.2s"));
    assert_eq!(rule.observed[0].line, Some(17));
    let rule = j.rule("low_migration").unwrap();
    assert_eq!(rule.threshold, "迁移工作量 < 2 人周");
    assert_eq!(rule.observed[0].value.as_deref(), Some("1 人周"));
}

#[test]
fn bonus_questions_and_checklist_never_change_the_verdict() {
    let mut p = proposal(&["compute"], &ideal());
    let go = judge(framework(), &p).verdict;
    p.facts.insert("bonus.enablement".into(), at(Some(YES)));
    p.answers
        .insert("tech.latency".into(), at("3 秒".to_string()));
    p.checklist.insert("biz.exit".into(), at(true));
    let j = judge(framework(), &p);
    assert_eq!(j.verdict, go);
    assert_eq!(result(&j, "bonus.enablement"), Tri::True);
    assert_eq!((j.answered(), j.questions.len()), (1, 12));
    assert_eq!((j.checklist_done(), j.checklist.len()), (1, 18));
}
