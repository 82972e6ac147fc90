//! One vendor meeting: what was offered and what was measured. Absent or `null` facts are
//! unknown and simply not in [`Proposal::facts`].

use std::collections::BTreeMap;

use super::date::Date;
use crate::location::Located;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FactValue {
    Bool(bool),
    Number(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub vendor: Located<String>,
    pub title: Option<Located<String>>,
    pub date: Located<Date>,
    /// An id of the framework's phases.
    pub phase: Option<Located<String>>,
    pub attendees: Vec<Located<String>>,
    pub notes: Option<Located<String>>,
    /// Ids of the framework's directions; `None` while not yet recorded (`directions: null`).
    pub directions: Option<Vec<Located<String>>>,
    /// Known facts by key (`terms.exclusive`), with the position of their value.
    pub facts: BTreeMap<&'static str, Located<FactValue>>,
    /// Answered questions by question id.
    pub answers: BTreeMap<String, Located<String>>,
    /// Checklist items with a recorded state, by item id.
    pub checklist: BTreeMap<String, Located<bool>>,
}

impl Proposal {
    pub fn fact(&self, key: &str) -> Option<&Located<FactValue>> {
        self.facts.get(key)
    }
}
