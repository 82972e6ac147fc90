//! dealbook: keeps a cooperation evaluation framework as sources, judges vendor proposals
//! against it, and renders what the team uses around every vendor meeting.
//!
//! The pipeline: [`content`] loads the framework, pages and proposals into the typed
//! [`model`] (with positions for errors); [`judge`] evaluates a proposal (pure, no I/O);
//! [`render`] makes the site's pages, the cheat card and the reports; [`build`] runs the
//! stages into the output folder, which [`output`] writes safely. [`translate`] is the one
//! place that reads our dependencies' English (serde-saphyr, Tera, clap) and says it in
//! Chinese.
//!
//! The command line is not here: clap, the Chinese help and usage errors, the commands and
//! the progress bar are the `dealbook` binary's (`src/bin/dealbook/`), which reaches all of
//! this through `dealbook::…`.

pub mod build;
pub mod content;
pub mod diag;
pub mod judge;
pub mod location;
pub mod model;
pub mod output;
pub mod render;
pub mod translate;
pub mod yaml;
