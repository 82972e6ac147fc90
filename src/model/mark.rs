//! The framework's marks: ✅ (yes), ⚠️ (caution), ❌ (no).

use serde::{Deserialize, Serialize};

use crate::translate::yaml::OWN_MESSAGE;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Yes,
    Caution,
    No,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Yes => "✅",
            Mark::Caution => "⚠️",
            Mark::No => "❌",
        }
    }
}

impl<'de> Deserialize<'de> for Mark {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        match text.trim().trim_end_matches('\u{fe0f}') {
            "✅" => Ok(Mark::Yes),
            "⚠" => Ok(Mark::Caution),
            "❌" => Ok(Mark::No),
            _ => Err(serde::de::Error::custom(format!(
                "{OWN_MESSAGE}标记应为 ✅、⚠️ 或 ❌，实际是 \"{text}\""
            ))),
        }
    }
}
