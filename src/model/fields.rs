//! The fields of a proposal file. A few belong to the proposal format itself (who was met,
//! when, which directions, the answers and the checklist); every other section holds *facts*,
//! which the framework declares in `fields:` (`content/framework.yaml`). No fact is named here.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::location::Located;

/// The top-level keys the proposal format owns; any other section of `fields:` holds facts.
pub const FORMAT_SECTIONS: [&str; 6] = [
    "vendor",
    "title",
    "meeting",
    "directions",
    "answers",
    "checklist",
];

/// The format's own fields, each of which `fields:` labels, in file order (the facts come
/// before the last two).
pub const FORMAT_FIELDS: [&str; 9] = [
    "vendor",
    "title",
    "meeting.date",
    "meeting.phase",
    "meeting.attendees",
    "meeting.notes",
    "directions",
    "answers",
    "checklist",
];

/// The keys under `meeting`.
pub const MEETING_KEYS: [&str; 4] = ["date", "phase", "attendees", "notes"];

/// What a fact holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactType {
    Bool,
    Number,
}

/// One entry of `fields:`: how a field is named for people and, for a fact, its type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub label: String,
    pub help: String,
    /// `bool` or `number` for a fact; absent for the format's own fields.
    #[serde(default, rename = "type")]
    pub ty: Option<Located<FactType>>,
    #[serde(default)]
    pub min: Option<Located<f64>>,
    #[serde(default)]
    pub max: Option<Located<f64>>,
    #[serde(default)]
    pub unit: Option<String>,
    /// Above this a number is accepted but `check` and `eval` warn: it may be in another
    /// unit (milliseconds for seconds).
    #[serde(default)]
    pub warn_above: Option<Located<f64>>,
    #[serde(default)]
    pub when_true: Option<String>,
    #[serde(default)]
    pub when_false: Option<String>,
}

impl Field {
    pub fn fact_type(&self) -> Option<FactType> {
        self.ty.as_ref().map(|t| t.value)
    }

    pub fn min(&self) -> Option<f64> {
        self.min.as_ref().map(|m| m.value)
    }

    pub fn max(&self) -> Option<f64> {
        self.max.as_ref().map(|m| m.value)
    }
}

/// `fields:` in the order it is written (the order of `new proposal`'s template and of the
/// facts in a report), each key with its position.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(Located<String>, Field)>);

impl Fields {
    pub fn get(&self, key: &str) -> Option<&Field> {
        self.0.iter().find(|(k, _)| k.value == key).map(|(_, f)| f)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Located<String>, &Field)> {
        self.0.iter().map(|(k, f)| (k, f))
    }

    /// Every field key, in file order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.value.as_str())
    }

    /// The facts (fields with a type), in file order.
    pub fn facts(&self) -> impl Iterator<Item = (&str, &Field)> {
        self.0
            .iter()
            .filter(|(_, f)| f.ty.is_some())
            .map(|(k, f)| (k.value.as_str(), f))
    }

    pub fn fact(&self, key: &str) -> Option<&Field> {
        self.get(key).filter(|f| f.ty.is_some())
    }

    /// The sections that hold facts, in the order they first appear.
    pub fn fact_sections(&self) -> Vec<&str> {
        let mut sections: Vec<&str> = Vec::new();
        for (key, _) in self.facts() {
            let section = section_of(key);
            if !sections.contains(&section) {
                sections.push(section);
            }
        }
        sections
    }

    /// Every field key in the order of a proposal file: the format's fields, with the facts,
    /// section by section, before `answers` and `checklist`.
    pub fn in_file_order(&self) -> Vec<&str> {
        let (before, after) = FORMAT_FIELDS.split_at(FORMAT_FIELDS.len() - 2);
        let facts = self.fact_sections().into_iter().flat_map(|section| {
            self.facts()
                .map(|(key, _)| key)
                .filter(move |key| section_of(key) == section)
        });
        before
            .iter()
            .copied()
            .chain(facts)
            .chain(after.iter().copied())
            .collect()
    }

    /// The fact names (without the section) that `section` holds.
    pub fn facts_in(&self, section: &str) -> Vec<&str> {
        self.facts()
            .filter_map(|(key, _)| key.strip_prefix(section)?.strip_prefix('.'))
            .collect()
    }
}

/// `terms` of `terms.exclusive`; the key itself when it has no section.
pub fn section_of(key: &str) -> &str {
    key.split_once('.').map_or(key, |(section, _)| section)
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of field keys to their labels")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Located<String>>()? {
            let field: Field = map.next_value()?;
            entries.push((key, field));
        }
        // Duplicate keys are refused by the YAML layer before this point.
        Ok(Fields(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_field_lives_in_a_format_section() {
        for key in FORMAT_FIELDS {
            assert!(FORMAT_SECTIONS.contains(&section_of(key)), "{key}");
        }
        assert_eq!(section_of("terms.exclusive"), "terms");
        assert_eq!(section_of("vendor"), "vendor");
    }
}
