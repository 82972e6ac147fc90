//! The fields of a proposal file, as `proposal.md` fixes them: names, types and ranges.
//! Their Chinese labels live in `content/framework.yaml` (`fields:`), not here.

/// The type and range of a fact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FactType {
    Bool,
    Number { min: Option<f64>, max: Option<f64> },
}

/// One fact a rule can test: `section.name` in the proposal file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactDef {
    pub key: &'static str,
    pub ty: FactType,
}

const fn flag(key: &'static str) -> FactDef {
    FactDef {
        key,
        ty: FactType::Bool,
    }
}

const fn number(key: &'static str, min: Option<f64>, max: Option<f64>) -> FactDef {
    FactDef {
        key,
        ty: FactType::Number { min, max },
    }
}

/// The sections of a proposal that hold facts.
pub const FACT_SECTIONS: [&str; 4] = ["terms", "poc", "migration", "bonus"];

/// Every fact, in the order of `proposal.md`.
pub const FACTS: &[FactDef] = &[
    number("terms.cost_reduction_pct", None, Some(100.0)),
    flag("terms.cost_data"),
    flag("terms.exclusive"),
    flag("terms.lock_in"),
    flag("terms.replace_all_suppliers"),
    flag("terms.multi_vendor_ok"),
    flag("terms.joint_marketing"),
    flag("terms.exit_clause"),
    flag("terms.vague_benefit"),
    flag("terms.resource_swap"),
    flag("poc.offered"),
    flag("poc.vendor_pays"),
    number("poc.latency_s", Some(0.0), None),
    flag("poc.no_rate_limit"),
    flag("poc.compatible"),
    flag("poc.passed"),
    number("migration.person_weeks", Some(0.0), None),
    number("migration.cost_vs_benefit_pct", Some(0.0), None),
    flag("migration.major_refactor"),
    flag("migration.long_term_infra"),
    flag("migration.core_business"),
    flag("migration.reversible"),
    flag("bonus.enablement"),
    flag("bonus.strategic_investment"),
    flag("bonus.industry_influence"),
];

/// The fields around the facts, in file order: before them and after them.
pub const FIELDS_BEFORE_FACTS: [&str; 7] = [
    "vendor",
    "title",
    "meeting.date",
    "meeting.phase",
    "meeting.attendees",
    "meeting.notes",
    "directions",
];
pub const FIELDS_AFTER_FACTS: [&str; 2] = ["answers", "checklist"];

/// The top-level keys of a proposal file.
pub const TOP_LEVEL_KEYS: [&str; 10] = [
    "vendor",
    "title",
    "meeting",
    "directions",
    "terms",
    "poc",
    "migration",
    "bonus",
    "answers",
    "checklist",
];

/// The keys under `meeting`.
pub const MEETING_KEYS: [&str; 4] = ["date", "phase", "attendees", "notes"];

pub fn fact(key: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.key == key)
}

/// Every field key of a proposal, in file order.
pub fn all_field_keys() -> impl Iterator<Item = &'static str> {
    FIELDS_BEFORE_FACTS
        .into_iter()
        .chain(FACTS.iter().map(|f| f.key))
        .chain(FIELDS_AFTER_FACTS)
}

/// The fact names (without the section) that a section holds.
pub fn facts_in(section: &str) -> Vec<&'static str> {
    FACTS
        .iter()
        .filter_map(|f| f.key.strip_prefix(section)?.strip_prefix('.'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fact_lives_in_a_known_section() {
        for f in FACTS {
            let section = f.key.split('.').next().unwrap();
            assert!(FACT_SECTIONS.contains(&section), "{}", f.key);
        }
        assert_eq!(facts_in("poc").len(), 6);
        assert_eq!(all_field_keys().count(), 7 + 25 + 2);
    }
}
