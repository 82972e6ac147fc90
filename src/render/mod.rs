//! Outputs: the judgement of one proposal for a person (text) or a script (JSON), the cheat
//! card, the report PDF and the HTML site.

pub mod card;
pub mod eval_json;
pub mod eval_text;
pub mod pdf;
pub mod report;
pub mod report_pdf;
pub mod search;
pub mod site;
pub mod text_blocks;
pub mod verdict_rule;
