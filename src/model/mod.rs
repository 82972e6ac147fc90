//! The typed model: the framework, its pages and the proposals, with positions for errors.

pub mod condition;
pub mod date;
pub mod fields;
pub mod framework;
pub mod framework_load;
pub mod mark;
pub mod page;
pub mod placeholders;
pub mod proposal;
pub mod proposal_load;
pub mod vendor;
