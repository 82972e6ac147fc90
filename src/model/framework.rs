//! The framework (`content/framework.yaml`): thresholds, rules, labels and every list of the
//! framework document, as plain data.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::condition::Condition;
use super::date::Date;
use super::fields::{Field, Fields};
use super::mark::Mark;
use crate::judge::judgement::Verdict;
use crate::location::Located;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub meta: Meta,
    pub thresholds: BTreeMap<String, f64>,
    pub fields: Fields,
    /// What the meetings table and chart show of each meeting (none when absent).
    #[serde(default)]
    pub meetings: Meetings,
    pub preconditions: Preconditions,
    pub direction_headings: DirectionHeadings,
    pub directions: Vec<Direction>,
    pub red_lines: Vec<RedLineGroup>,
    pub negotiation: Negotiation,
    pub phases: Vec<Phase>,
    pub go: GoRules,
    pub no_go: NoGoRules,
    pub actions: Vec<ActionHorizon>,
    pub questions: Vec<QuestionGroup>,
    pub bottom_lines: Vec<MarkedList>,
    pub decision_matrix: DecisionMatrix,
    pub checklist: Vec<ChecklistGroup>,
    pub card: Card,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: String,
    pub version: String,
    pub updated: Date,
    pub position: String,
    /// The vendor the framework's own pages speak of: what `{vendor}` reads as there (each
    /// report reads it as the vendor met).
    pub counterparty: String,
}

/// The facts the meetings table lists beside each meeting, and those charted over time.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meetings {
    pub columns: Vec<Located<String>>,
    pub charts: Vec<Located<String>>,
}

/// A rule with an id, a label in the framework's words and its condition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: Located<String>,
    pub label: String,
    pub when: Condition,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preconditions {
    pub deal_breakers: DealBreakers,
    pub bonus: Bonus,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealBreakers {
    pub title: String,
    /// The table's column headings.
    pub columns: Vec<String>,
    pub mark: Mark,
    pub applies_to: String,
    pub rules: Vec<DealBreaker>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DealBreaker {
    pub id: Located<String>,
    pub label: String,
    pub description: String,
    pub verification: String,
    pub when: Condition,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    pub title: String,
    pub items: Vec<Rule>,
}

/// The headings of each direction's two lists (对方诉求, 我们的评估).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectionHeadings {
    pub asks: String,
    pub assessment: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Direction {
    pub id: Located<String>,
    pub title: String,
    /// Moves business to the vendor: the deal breakers apply.
    pub moves_business: bool,
    pub asks: Vec<String>,
    pub assessment: Vec<Assessment>,
    /// The direction's own acceptance condition; none means always acceptable.
    #[serde(default)]
    pub accept: Option<Acceptance>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub mark: Mark,
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    pub label: String,
    pub when: Condition,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedLineGroup {
    pub title: String,
    pub mark: Mark,
    pub items: Vec<RedLine>,
}

/// A red line; those with a condition are judged, the others are stance only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedLine {
    #[serde(default)]
    pub id: Option<Located<String>>,
    pub text: String,
    #[serde(default)]
    pub when: Option<Condition>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Negotiation {
    pub priorities: Priorities,
    pub talking_points: TalkingPoints,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priorities {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<PriorityRow>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriorityRow {
    pub rank: u32,
    pub kind: String,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkingPoints {
    pub title: String,
    pub groups: Vec<ItemGroup>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemGroup {
    pub title: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: Located<String>,
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A titled block of a phase: a line of text, a list, or a task list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub title: String,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub tasks: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoRules {
    pub title: String,
    /// The name of the threshold that says how many Go conditions must hold.
    pub min_met: Located<String>,
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoGoRules {
    pub title: String,
    pub rules: Vec<NoGoRule>,
}

/// A No-Go condition; some judge only proposals that move business to the vendor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoGoRule {
    pub id: Located<String>,
    pub label: String,
    pub when: Condition,
    #[serde(default)]
    pub applies_to: Scope,
}

/// Which proposals a No-Go condition judges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every proposal.
    #[default]
    All,
    /// Only a proposal with a direction that moves business to the vendor (or whose
    /// directions are not recorded yet): a joint solution alone has no cost or PoC to judge.
    MovesBusiness,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionHorizon {
    pub id: Located<String>,
    pub title: String,
    pub items: Vec<ActionItem>,
}

/// A follow-up action (七): the framework's page lists every one; a report lists those for
/// its verdict. Written as text (for every verdict) or `{ text, verdicts: [go, pending] }`.
#[derive(Debug, Clone)]
pub struct ActionItem {
    pub text: String,
    /// The verdicts it suits; `None` for all.
    pub verdicts: Option<Vec<Verdict>>,
}

impl ActionItem {
    pub fn suits(&self, verdict: Verdict) -> bool {
        self.verdicts.as_ref().is_none_or(|v| v.contains(&verdict))
    }
}

impl<'de> Deserialize<'de> for ActionItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ActionItemVisitor)
    }
}

struct ActionItemVisitor;

impl<'de> serde::de::Visitor<'de> for ActionItemVisitor {
    type Value = ActionItem;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string or a map")
    }

    fn visit_str<E>(self, text: &str) -> Result<ActionItem, E> {
        Ok(ActionItem {
            text: text.to_string(),
            verdicts: None,
        })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ActionItem, A::Error> {
        use serde::de::Error;
        let (mut text, mut verdicts) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "text" => text = Some(map.next_value()?),
                "verdicts" => verdicts = Some(map.next_value()?),
                other => return Err(A::Error::unknown_field(other, &["text", "verdicts"])),
            }
        }
        Ok(ActionItem {
            text: text.ok_or_else(|| A::Error::missing_field("text"))?,
            verdicts: Some(verdicts.ok_or_else(|| A::Error::missing_field("verdicts"))?),
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionGroup {
    pub title: String,
    pub items: Vec<IdText>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistGroup {
    pub title: String,
    pub items: Vec<IdText>,
}

/// An item that proposals refer to by id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdText {
    pub id: Located<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkedList {
    pub title: String,
    pub mark: Mark,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionMatrix {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixRow {
    pub offer: String,
    pub mark: Mark,
    pub attitude: String,
    pub basis: String,
}

/// The one-page stance card (十二); its 判定规则 block is generated from the rules.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub note: String,
    pub stance: CardStance,
    pub refusals: MarkedList,
    pub acceptances: MarkedList,
    pub questions: ItemGroup,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardStance {
    pub title: String,
    pub lines: Vec<String>,
}

impl Framework {
    pub fn threshold(&self, name: &str) -> Option<f64> {
        self.thresholds.get(name).copied()
    }

    /// How many Go conditions must hold (validated at load).
    pub fn go_required(&self) -> usize {
        self.threshold(&self.go.min_met.value)
            .map_or(0, |n| n.max(0.0) as usize)
    }

    pub fn label(&self, field: &str) -> Option<&Field> {
        self.fields.get(field)
    }

    /// How a field is named for people: its label, or its key when `fields:` has none.
    pub fn name_of<'a>(&'a self, field: &'a str) -> &'a str {
        self.label(field).map_or(field, |l| l.label.as_str())
    }

    pub fn direction(&self, id: &str) -> Option<&Direction> {
        self.directions.iter().find(|d| d.id.value == id)
    }

    pub fn question_items(&self) -> impl Iterator<Item = (&QuestionGroup, &IdText)> {
        self.questions
            .iter()
            .flat_map(|g| g.items.iter().map(move |i| (g, i)))
    }

    pub fn checklist_items(&self) -> impl Iterator<Item = (&ChecklistGroup, &IdText)> {
        self.checklist
            .iter()
            .flat_map(|g| g.items.iter().map(move |i| (g, i)))
    }

    /// The red lines that are judged (they have an id and a condition).
    pub fn judged_red_lines(
        &self,
    ) -> impl Iterator<Item = (&Located<String>, &RedLine, &Condition)> {
        self.red_lines
            .iter()
            .flat_map(|g| g.items.iter())
            .filter_map(|r| Some((r.id.as_ref()?, r, r.when.as_ref()?)))
    }
}
