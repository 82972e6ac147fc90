//! What the templates see: view structs made for them, every text final (thresholds filled in,
//! marks as CSS classes), never the domain types.

use serde::Serialize;

use crate::judge::judgement::{Judgement, RuleOutcome, Verdict};
use crate::model::framework::Framework;
use crate::model::mark::Mark;
use crate::render::report::{Tone, facts_text, observed_values, result_word, source_lines};
use crate::render::verdict_rule::{VerdictRule, verdict_rule};

/// A mark as the templates draw it.
#[derive(Debug, Clone, Serialize)]
pub struct MarkView {
    /// `yes`, `caution` or `no` (CSS class).
    pub kind: &'static str,
    /// A symbol every system font has.
    pub symbol: &'static str,
    /// What a screen reader says.
    pub label: &'static str,
}

pub fn mark(m: Mark) -> MarkView {
    match m {
        Mark::Yes => MarkView {
            kind: "yes",
            symbol: "✓",
            label: "可以",
        },
        Mark::Caution => MarkView {
            kind: "caution",
            symbol: "!",
            label: "注意",
        },
        Mark::No => MarkView {
            kind: "no",
            symbol: "✗",
            label: "不接受",
        },
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MarkedText {
    pub mark: Option<MarkView>,
    pub label: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListGroup {
    pub title: String,
    pub mark: Option<MarkView>,
    pub items: Vec<String>,
    pub tasks: bool,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<MarkedText>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DirectionView {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub asks: Vec<String>,
    pub assessment: Vec<MarkedText>,
    pub accept: Option<String>,
    pub moves_business: bool,
}

/// A group of red lines (三): each judged item is a refusal, marked; an item without a
/// condition is a principle the group states ("保持技术中立性"), not a refusal.
#[derive(Debug, Clone, Serialize)]
pub struct RedLineGroupView {
    pub title: String,
    pub mark: MarkView,
    pub items: Vec<RedLineItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RedLineItem {
    pub text: String,
    pub refusal: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PhaseView {
    pub title: String,
    pub blocks: Vec<ListGroup>,
}

/// Every structured part of the framework, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkView {
    pub title: String,
    pub version: String,
    pub updated: String,
    pub position: String,
    pub deal_breakers: Table,
    pub bonus: ListGroup,
    pub direction_headings: (String, String),
    pub directions: Vec<DirectionView>,
    pub red_lines: Vec<RedLineGroupView>,
    pub priorities: Table,
    pub talking_points_title: String,
    pub talking_points: Vec<ListGroup>,
    pub phases: Vec<PhaseView>,
    pub go: ListGroup,
    pub no_go: ListGroup,
    pub actions: Vec<ListGroup>,
    pub questions: Vec<ListGroup>,
    pub bottom_lines: Vec<ListGroup>,
    pub decision_matrix: Table,
    pub checklist: Vec<ListGroup>,
    pub card: CardView,
    /// How the verdict is reached (the 六 page's 判定如何组合).
    pub verdict_rule: VerdictRule,
}

#[derive(Debug, Clone, Serialize)]
pub struct CardView {
    pub note: String,
    pub stance_title: String,
    pub stance: String,
    pub refusals: ListGroup,
    pub acceptances: ListGroup,
    pub questions: ListGroup,
}

fn plain(text: &str) -> MarkedText {
    MarkedText {
        mark: None,
        label: String::new(),
        text: text.to_string(),
    }
}

fn group(title: &str, m: Option<Mark>, items: Vec<String>) -> ListGroup {
    ListGroup {
        title: title.to_string(),
        mark: m.map(mark),
        items,
        tasks: false,
        text: None,
    }
}

/// A list whose items are to be ticked off.
fn task_group(title: &str, items: Vec<String>) -> ListGroup {
    ListGroup {
        tasks: true,
        ..group(title, None, items)
    }
}

/// The framework's follow-up actions, as task lists (what a report page shows of the framework).
/// The follow-up actions (七): all of them, or those that suit `verdict` (a report's).
pub fn actions_view(fw: &Framework, verdict: Option<Verdict>) -> Vec<ListGroup> {
    fw.actions
        .iter()
        .map(|a| {
            let items = a
                .items
                .iter()
                .filter(|i| verdict.is_none_or(|v| i.suits(v)))
                .map(|i| i.text.clone())
                .collect();
            task_group(&a.title, items)
        })
        .filter(|g| !g.items.is_empty())
        .collect()
}

pub fn framework_view(fw: &Framework) -> FrameworkView {
    let db = &fw.preconditions.deal_breakers;
    let deal_breakers = Table {
        title: db.title.clone(),
        columns: db.columns.clone(),
        rows: db
            .rules
            .iter()
            .map(|r| {
                vec![
                    MarkedText {
                        mark: Some(mark(db.mark)),
                        label: String::new(),
                        text: r.label.clone(),
                    },
                    plain(&r.description),
                    plain(&r.verification),
                ]
            })
            .collect(),
    };
    let bonus = ListGroup {
        tasks: true,
        ..group(
            &fw.preconditions.bonus.title,
            None,
            fw.preconditions
                .bonus
                .items
                .iter()
                .map(|r| r.label.clone())
                .collect(),
        )
    };
    let directions = fw
        .directions
        .iter()
        .enumerate()
        .map(|(i, d)| DirectionView {
            number: i + 1,
            id: d.id.value.clone(),
            title: d.title.clone(),
            asks: d.asks.clone(),
            assessment: d
                .assessment
                .iter()
                .map(|a| MarkedText {
                    mark: Some(mark(a.mark)),
                    label: a.label.clone(),
                    text: a.text.clone(),
                })
                .collect(),
            accept: d.accept.as_ref().map(|a| a.label.clone()),
            moves_business: d.moves_business,
        })
        .collect();
    let red_lines = fw
        .red_lines
        .iter()
        .map(|g| RedLineGroupView {
            title: g.title.clone(),
            mark: mark(g.mark),
            items: g
                .items
                .iter()
                .map(|r| RedLineItem {
                    text: r.text.clone(),
                    refusal: r.when.is_some(),
                })
                .collect(),
        })
        .collect();
    let pr = &fw.negotiation.priorities;
    let priorities = Table {
        title: pr.title.clone(),
        columns: pr.columns.clone(),
        rows: pr
            .rows
            .iter()
            .map(|r| vec![plain(&r.rank.to_string()), plain(&r.kind), plain(&r.reason)])
            .collect(),
    };
    let talking_points = fw
        .negotiation
        .talking_points
        .groups
        .iter()
        .map(|g| group(&g.title, None, g.items.clone()))
        .collect();
    let phases = fw
        .phases
        .iter()
        .map(|p| PhaseView {
            title: p.title.clone(),
            blocks: p
                .blocks
                .iter()
                .map(|b| ListGroup {
                    title: b.title.clone(),
                    mark: None,
                    items: b.items.clone(),
                    tasks: b.tasks,
                    text: b.text.clone(),
                })
                .collect(),
        })
        .collect();
    let go = task_group(
        &fw.go.title,
        fw.go.rules.iter().map(|r| r.label.clone()).collect(),
    );
    let no_go = task_group(
        &fw.no_go.title,
        fw.no_go.rules.iter().map(|r| r.label.clone()).collect(),
    );
    let actions = actions_view(fw, None);
    let questions = fw
        .questions
        .iter()
        .map(|g| ListGroup {
            tasks: false,
            ..group(
                &g.title,
                None,
                g.items.iter().map(|q| q.text.clone()).collect(),
            )
        })
        .collect();
    let bottom_lines = fw
        .bottom_lines
        .iter()
        .map(|g| group(&g.title, Some(g.mark), g.items.clone()))
        .collect();
    let dm = &fw.decision_matrix;
    let decision_matrix = Table {
        title: dm.title.clone(),
        columns: dm.columns.clone(),
        rows: dm
            .rows
            .iter()
            .map(|r| {
                vec![
                    plain(&r.offer),
                    MarkedText {
                        mark: Some(mark(r.mark)),
                        label: String::new(),
                        text: r.attitude.clone(),
                    },
                    plain(&r.basis),
                ]
            })
            .collect(),
    };
    let checklist = fw
        .checklist
        .iter()
        .map(|g| task_group(&g.title, g.items.iter().map(|c| c.text.clone()).collect()))
        .collect();
    let c = &fw.card;
    let card = CardView {
        note: c.note.clone(),
        stance_title: c.stance.title.clone(),
        stance: c.stance.lines.join(""),
        refusals: group(
            &c.refusals.title,
            Some(c.refusals.mark),
            c.refusals.items.clone(),
        ),
        acceptances: group(
            &c.acceptances.title,
            Some(c.acceptances.mark),
            c.acceptances.items.clone(),
        ),
        questions: group(&c.questions.title, None, c.questions.items.clone()),
    };
    FrameworkView {
        title: fw.meta.title.clone(),
        version: fw.meta.version.clone(),
        updated: fw.meta.updated.to_string(),
        position: fw.meta.position.clone(),
        deal_breakers,
        bonus,
        direction_headings: (
            fw.direction_headings.asks.clone(),
            fw.direction_headings.assessment.clone(),
        ),
        directions,
        red_lines,
        priorities,
        talking_points_title: fw.negotiation.talking_points.title.clone(),
        talking_points,
        phases,
        go,
        no_go,
        actions,
        questions,
        bottom_lines,
        decision_matrix,
        checklist,
        card,
        verdict_rule: verdict_rule(fw),
    }
}

/// A verdict badge.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    pub id: &'static str,
    pub label: &'static str,
}

pub fn verdict(v: Verdict) -> VerdictView {
    VerdictView {
        id: v.id(),
        label: v.label(),
    }
}

/// One rule of a report.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView<'a> {
    pub id: &'a str,
    pub group: &'static str,
    pub label: &'a str,
    pub threshold: &'a str,
    pub values: String,
    pub lines: String,
    pub result: &'static str,
    /// `good`, `bad`, `unknown` or `na`, for colour.
    pub tone: &'static str,
    pub facts: String,
}

pub fn rule_view<'a>(r: &'a RuleOutcome<'_>) -> RuleView<'a> {
    let tone = Tone::of(r).css();
    RuleView {
        id: &r.id,
        group: r.group.label(),
        label: &r.label,
        threshold: &r.threshold,
        values: observed_values(&r.observed),
        lines: source_lines(&r.observed),
        result: result_word(r),
        tone,
        facts: facts_text(&r.observed),
    }
}

/// Rule views for a list of ids of a judgement.
pub fn rules_by_id<'a>(j: &'a Judgement<'_>, ids: &[String]) -> Vec<RuleView<'a>> {
    ids.iter()
        .filter_map(|id| j.rule(id))
        .map(rule_view)
        .collect()
}
