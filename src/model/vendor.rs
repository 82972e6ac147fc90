//! `{vendor}` in the framework's texts: the vendor being met. The framework's own pages and
//! the card read it as `meta.counterparty`; each report reads it as its meeting's vendor. The
//! framework is loaded with `{vendor}` as written, and [`Framework::for_vendor`] gives the
//! framework as it reads for one vendor, so no renderer has to remember to fill it in.

use std::borrow::Cow;

use super::fields::{Field, Fields};
use super::framework::*;

/// The placeholder's name; no threshold may take it.
pub const VENDOR: &str = "vendor";
const PLACEHOLDER: &str = "{vendor}";

/// `text` with every `{vendor}` replaced by `vendor`.
pub fn fill<'a>(text: &'a str, vendor: &str) -> Cow<'a, str> {
    if text.contains(PLACEHOLDER) {
        Cow::Owned(text.replace(PLACEHOLDER, vendor))
    } else {
        Cow::Borrowed(text)
    }
}

impl Framework {
    /// The framework with `{vendor}` filled in every text.
    pub fn for_vendor(&self, vendor: &str) -> Framework {
        let mut framework = self.clone();
        framework.each_text(&mut |text: &mut String| {
            if let Cow::Owned(filled) = fill(text, vendor) {
                *text = filled;
            }
        });
        framework
    }

    /// The framework as its own pages and the card show it: for `meta.counterparty`.
    pub fn for_counterparty(&self) -> Framework {
        self.for_vendor(&self.meta.counterparty)
    }
}

/// Every text a person reads, visited mutably. Ids, fact names, thresholds and marks are not
/// texts: they never hold `{vendor}`.
trait Texts {
    fn each_text(&mut self, f: &mut dyn FnMut(&mut String));
}

impl Texts for String {
    fn each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        f(self)
    }
}

impl<T: Texts> Texts for Vec<T> {
    fn each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.iter_mut().for_each(|item| item.each_text(f))
    }
}

impl<T: Texts> Texts for Option<T> {
    fn each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        if let Some(item) = self {
            item.each_text(f)
        }
    }
}

impl Texts for Fields {
    fn each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        self.0.iter_mut().for_each(|(_, field)| field.each_text(f))
    }
}

/// `texts!(Type { field, ... })`: the texts of a struct are those of the fields listed.
macro_rules! texts {
    ($($ty:ty { $($field:ident),* $(,)? })*) => {
        $(impl Texts for $ty {
            fn each_text(&mut self, f: &mut dyn FnMut(&mut String)) {
                $(self.$field.each_text(f);)*
            }
        })*
    };
}

texts! {
    Framework {
        meta, fields, preconditions, direction_headings, directions, red_lines, negotiation,
        phases, go, no_go, actions, questions, bottom_lines, decision_matrix, checklist, card,
    }
    Meta { title, version, position }
    Field { label, help, unit, when_true, when_false }
    Rule { label }
    Preconditions { deal_breakers, bonus }
    DealBreakers { title, columns, applies_to, rules }
    DealBreaker { label, description, verification }
    Bonus { title, items }
    DirectionHeadings { asks, assessment }
    Direction { title, asks, assessment, accept }
    Assessment { label, text }
    Acceptance { label }
    RedLineGroup { title, items }
    RedLine { text }
    Negotiation { priorities, talking_points }
    Priorities { title, columns, rows }
    PriorityRow { kind, reason }
    TalkingPoints { title, groups }
    ItemGroup { title, items }
    Phase { title, blocks }
    Block { title, text, items }
    GoRules { title, rules }
    NoGoRules { title, rules }
    NoGoRule { label }
    ActionHorizon { title, items }
    ActionItem { text }
    QuestionGroup { title, items }
    ChecklistGroup { title, items }
    IdText { text }
    MarkedList { title, items }
    DecisionMatrix { title, columns, rows }
    MatrixRow { offer, attitude, basis }
    Card { note, stance, refusals, acceptances, questions }
    CardStance { title, lines }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::framework_load::parse_framework;
    use crate::yaml::{Node, Value, parse_tree};
    use std::path::Path;

    /// The shipped framework with `{vendor}` put before every text a person reads (every
    /// string with a Chinese character), written back as JSON (which YAML reads).
    fn framework_with_vendor_everywhere() -> String {
        fn json(node: &Node) -> serde_json::Value {
            match &node.value {
                Value::Null => serde_json::Value::Null,
                Value::Bool(b) => (*b).into(),
                Value::Int(i) => (*i).into(),
                Value::Float(x) => (*x).into(),
                Value::Str(s) if s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) => {
                    format!("{{vendor}}{s}").into()
                }
                Value::Str(s) => s.clone().into(),
                Value::Seq(items) => items.iter().map(json).collect(),
                Value::Map(entries) => entries
                    .iter()
                    .map(|(k, v)| match &k.value {
                        Value::Str(key) => (key.clone(), json(v)),
                        other => panic!("a key that is not text: {other:?}"),
                    })
                    .collect::<serde_json::Map<_, _>>()
                    .into(),
            }
        }
        let shipped = include_str!("../../content/framework.yaml");
        let tree = parse_tree(Path::new("framework.yaml"), shipped).expect("shipped YAML");
        let mut framework = json(&tree);
        // The counterparty is what `{vendor}` reads as, not a text that says it.
        framework["meta"]["counterparty"] = "阿里云".into();
        serde_json::to_string_pretty(&framework).expect("JSON")
    }

    #[test]
    fn every_text_of_the_framework_is_filled_in() {
        let text = framework_with_vendor_everywhere();
        let framework =
            parse_framework(Path::new("framework.json"), &text).unwrap_or_else(|e| panic!("{e:?}"));
        let written = format!("{framework:?}").matches(PLACEHOLDER).count();
        assert!(written > 300, "{{vendor}} put in {written} texts");
        let filled = format!("{:?}", framework.for_vendor("某云"));
        if let Some(at) = filled.find(PLACEHOLDER) {
            let before: String = filled[..at].chars().rev().take(120).collect();
            let before: String = before.chars().rev().collect();
            panic!("a text the walk does not visit: …{before}{PLACEHOLDER}");
        }
        assert_eq!(filled.matches("某云").count(), written);
    }

    #[test]
    fn fills_every_occurrence_and_borrows_when_there_is_none() {
        assert_eq!(
            fill("不接受只使用{vendor}模型", "火山引擎"),
            "不接受只使用火山引擎模型"
        );
        assert_eq!(fill("{vendor}与{vendor}", "甲"), "甲与甲");
        assert!(matches!(fill("无", "甲"), Cow::Borrowed("无")));
        // The vendor's name is put in as written, never read again as a placeholder.
        assert_eq!(fill("{vendor}", "{vendor}x"), "{vendor}x");
    }
}
