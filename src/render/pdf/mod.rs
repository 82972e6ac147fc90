//! PDF output with printpdf: fonts, text layout, a drawing surface and the document.

pub mod canvas;
pub mod document;
pub mod embed;
pub mod flow;
pub mod fonts;
pub mod paint;
pub mod text;
