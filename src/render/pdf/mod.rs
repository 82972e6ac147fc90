//! PDF output: fonts, text layout, a drawing surface (written as the page's content stream),
//! the document, and the font subsets we embed in it.

pub mod canvas;
pub mod document;
pub mod embed;
pub mod flow;
pub mod fonts;
pub mod paint;
pub mod rich;
pub mod text;
