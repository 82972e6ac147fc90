//! What the engine concludes about a proposal: plain data that every output renders.

use std::borrow::Cow;

use serde::Serialize;

use super::tri::Tri;
use crate::model::date::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Go,
    NoGo,
    Pending,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Go => "go",
            Verdict::NoGo => "no_go",
            Verdict::Pending => "pending",
        }
    }

    /// The word printed on reports and cards.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Go => "推进",
            Verdict::NoGo => "不推进",
            Verdict::Pending => "待定",
        }
    }
}

/// Where a rule comes from in the framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleGroup {
    NoGo,
    RedLine,
    Go,
    DealBreaker,
    Acceptance,
    Bonus,
}

impl RuleGroup {
    /// A No-Go rule or a red line: true means No-Go.
    pub fn is_alarm(self) -> bool {
        matches!(self, RuleGroup::NoGo | RuleGroup::RedLine)
    }

    pub fn label(self) -> &'static str {
        match self {
            RuleGroup::NoGo => "No Go 条件",
            RuleGroup::RedLine => "红线",
            RuleGroup::Go => "Go 条件",
            RuleGroup::DealBreaker => "合作前提",
            RuleGroup::Acceptance => "方向接受条件",
            RuleGroup::Bonus => "加分条件",
        }
    }
}

/// A fact a rule read: its value as written, or `None` when unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation<'f> {
    pub fact: Cow<'f, str>,
    pub label: Cow<'f, str>,
    pub value: Option<String>,
    /// The proposal file the fact was written in (when it was written, `null` included).
    pub file: Option<String>,
    /// The line the fact was written on.
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleOutcome<'f> {
    pub group: RuleGroup,
    /// The id used in `triggered`, `unmet` and `unknown` (`no_go.x`, `red_line.x`, `x`,
    /// `direction.accept`, `bonus.x`).
    pub id: String,
    /// The framework's wording of the rule.
    pub label: Cow<'f, str>,
    /// The condition in words, thresholds filled in.
    pub threshold: String,
    pub result: Tri,
    /// Whether the rule bears on this proposal: a deal breaker only when a proposed direction
    /// moves business, a No-Go rule with `applies_to: moves_business` likewise.
    pub applies: bool,
    pub observed: Vec<Observation<'f>>,
}

impl RuleOutcome<'_> {
    /// A No-Go rule or a red line that applies to the proposal: true means No-Go.
    pub fn is_alarm(&self) -> bool {
        self.group.is_alarm() && self.applies
    }

    /// Whether the direction `direction_id` (moving business or not) needs this rule, the Go
    /// count aside: a No-Go rule or red line that applies while it is unknown (a true one is
    /// No-Go, a false one is what Go needs), a deal breaker when the direction moves business,
    /// and the direction's own acceptance condition.
    pub fn needed_by(&self, direction_id: &str, moves_business: bool) -> bool {
        match self.group {
            RuleGroup::NoGo | RuleGroup::RedLine => self.is_alarm() && self.result == Tri::Unknown,
            RuleGroup::DealBreaker => moves_business,
            RuleGroup::Acceptance => self.id == accept_id(direction_id),
            RuleGroup::Go | RuleGroup::Bonus => false,
        }
    }
}

/// The id of a direction's acceptance condition (`compute.accept`).
pub fn accept_id(direction_id: &str) -> String {
    format!("{direction_id}.accept")
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectionOutcome<'f> {
    pub id: String,
    pub title: Cow<'f, str>,
    pub moves_business: bool,
    pub verdict: Verdict,
    /// Rules that are false: to negotiate.
    pub unmet: Vec<String>,
    /// Rules that are unknown: to obtain from the vendor or the PoC.
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStatus<'f> {
    pub id: String,
    pub group: Cow<'f, str>,
    pub text: Cow<'f, str>,
    pub answer: Option<String>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistStatus<'f> {
    pub id: String,
    pub group: Cow<'f, str>,
    pub text: Cow<'f, str>,
    /// `None` when the proposal does not say.
    pub done: Option<bool>,
    pub line: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement<'f> {
    pub vendor: String,
    pub date: Date,
    pub verdict: Verdict,
    /// `false` while the proposal's `directions` is still `null`.
    pub directions_recorded: bool,
    pub triggered: Vec<String>,
    pub go_met: usize,
    pub go_required: usize,
    pub directions: Vec<DirectionOutcome<'f>>,
    pub unknown: Vec<String>,
    /// Every rule judged, in framework order: No Go, red lines, Go, deal breakers,
    /// acceptance conditions of the proposed directions, bonus conditions.
    pub rules: Vec<RuleOutcome<'f>>,
    pub questions: Vec<QuestionStatus<'f>>,
    pub checklist: Vec<ChecklistStatus<'f>>,
}

impl<'f> Judgement<'f> {
    pub fn rule(&self, id: &str) -> Option<&RuleOutcome<'f>> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn rules_in(&self, group: RuleGroup) -> impl Iterator<Item = &RuleOutcome<'f>> {
        self.rules.iter().filter(move |r| r.group == group)
    }

    /// What `direction` needs besides the Go count ([`RuleOutcome::needed_by`]).
    pub fn needs(&self, direction: &DirectionOutcome) -> Vec<&RuleOutcome<'f>> {
        self.rules
            .iter()
            .filter(|r| r.needed_by(&direction.id, direction.moves_business))
            .collect()
    }

    /// The No-Go rules and red lines that apply and nobody has confirmed yet.
    pub fn unconfirmed_alarms(&self) -> usize {
        self.rules
            .iter()
            .filter(|r| r.is_alarm() && r.result == Tri::Unknown)
            .count()
    }

    pub fn answered(&self) -> usize {
        self.questions.iter().filter(|q| q.answer.is_some()).count()
    }

    pub fn checklist_done(&self) -> usize {
        self.checklist
            .iter()
            .filter(|c| c.done == Some(true))
            .count()
    }
}
