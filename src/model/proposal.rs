//! One vendor meeting: what was offered and what was measured. A fact that is absent or
//! `null` is unknown; one written as `null` keeps its line, so a report can point at it.

use std::collections::BTreeMap;

use super::date::Date;
use crate::diag::Warning;
use crate::location::Located;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FactValue {
    Bool(bool),
    Number(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// The file's name (`2026-02-05-aliyun-review.yaml`), for the source of every fact.
    pub file: String,
    pub vendor: Located<String>,
    pub title: Option<Located<String>>,
    pub date: Located<Date>,
    /// An id of the framework's phases.
    pub phase: Option<Located<String>>,
    pub attendees: Vec<Located<String>>,
    pub notes: Option<Located<String>>,
    /// Ids of the framework's directions; `None` while not yet recorded (`directions: null`).
    pub directions: Option<Vec<Located<String>>>,
    /// The facts written down, by key (`terms.exclusive`), with the position of their value;
    /// `None` for a fact written as `null`.
    pub facts: BTreeMap<String, Located<Option<FactValue>>>,
    /// Answered questions by question id.
    pub answers: BTreeMap<String, Located<String>>,
    /// Checklist items with a recorded state, by item id.
    pub checklist: BTreeMap<String, Located<bool>>,
    /// Values accepted that look like slips (0.32 for 32 %), said by `check` and `eval`.
    pub warnings: Vec<Warning>,
}

impl Proposal {
    /// The value of a fact, or `None` when it is unknown.
    pub fn fact(&self, key: &str) -> Option<FactValue> {
        self.facts.get(key).and_then(|f| f.value)
    }

    /// The line a fact is written on, `null` included.
    pub fn fact_line(&self, key: &str) -> Option<u32> {
        self.facts.get(key).map(|f| f.pos.line)
    }
}
