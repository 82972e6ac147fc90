//! A page to draw on in millimetres from the top-left corner, over printpdf's operations.
//! Records which characters had no glyph, for the glyph gate.

use std::collections::BTreeSet;

use printpdf::{
    Codepoint, Color, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, PdfPage, Point, Polygon,
    PolygonRing, Pt, Rect, Rgb, TextItem, TextRenderingMode, WindingOrder,
};

use super::fonts::Fonts;
use super::text;
use crate::model::mark::Mark;

pub const A4_WIDTH: f32 = 210.0;
pub const A4_HEIGHT: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

pub const REGULAR_ID: &str = "DBKREG";
pub const BOLD_ID: &str = "DBKBLD";

/// An sRGB colour, 0-255 per channel.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    fn pdf(self) -> Color {
        Color::Rgb(Rgb {
            r: f32::from(self.0) / 255.0,
            g: f32::from(self.1) / 255.0,
            b: f32::from(self.2) / 255.0,
            icc_profile: None,
        })
    }
}

/// The colours of meaning, shared by the card and the reports.
pub mod palette {
    use super::Colour;
    pub const INK: Colour = Colour(0x1f, 0x23, 0x28);
    pub const MUTED: Colour = Colour(0x59, 0x63, 0x6e);
    pub const RULE: Colour = Colour(0xd0, 0xd7, 0xde);
    pub const NAVY: Colour = Colour(0x1f, 0x3a, 0x5f);
    pub const WHITE: Colour = Colour(0xff, 0xff, 0xff);
    pub const GREEN: Colour = Colour(0x1a, 0x7f, 0x37);
    pub const GREEN_TINT: Colour = Colour(0xe8, 0xf5, 0xec);
    pub const RED: Colour = Colour(0xc6, 0x28, 0x28);
    pub const RED_TINT: Colour = Colour(0xfd, 0xec, 0xec);
    pub const AMBER: Colour = Colour(0x9a, 0x5b, 0x00);
    pub const AMBER_TINT: Colour = Colour(0xfd, 0xf4, 0xe3);
    pub const BLUE_TINT: Colour = Colour(0xea, 0xf1, 0xf8);
    pub const GREY_TINT: Colour = Colour(0xf4, 0xf6, 0xf8);
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub colour: Colour,
}

impl Style {
    pub const fn new(size: f32, bold: bool, colour: Colour) -> Self {
        Style { size, bold, colour }
    }

    /// A comfortable line height for this size, in millimetres.
    pub fn line_height(&self) -> f32 {
        self.size * 1.45 / PT_PER_MM
    }
}

pub struct Canvas<'f> {
    fonts: &'f Fonts,
    ops: Vec<Op>,
    pub missing: BTreeSet<char>,
    pub used_regular: bool,
    pub used_bold: bool,
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Canvas {
            fonts,
            ops: Vec::new(),
            missing: BTreeSet::new(),
            used_regular: false,
            used_bold: false,
        }
    }

    pub fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Width of `text` in millimetres.
    pub fn measure(&self, text: &str, style: &Style) -> f32 {
        text::measure(self.fonts, text, style.size, style.bold) / PT_PER_MM
    }

    /// Lines of `text` no wider than `width` millimetres.
    pub fn wrap(&self, text: &str, style: &Style, width: f32) -> Vec<String> {
        text::wrap(self.fonts, text, style.size, style.bold, width * PT_PER_MM)
    }

    /// One line of text with its baseline at `baseline` (mm from the top).
    pub fn text(&mut self, x: f32, baseline: f32, text: &str, style: &Style) {
        let text: String = text.chars().filter(|c| !text::is_invisible(*c)).collect();
        if text.trim().is_empty() {
            return;
        }
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            if !self.fonts.has_glyph(c) {
                self.missing.insert(c);
            }
        }
        let real_bold = style.bold && self.fonts.bold.is_some();
        let font = if real_bold { BOLD_ID } else { REGULAR_ID };
        if real_bold {
            self.used_bold = true;
        } else {
            self.used_regular = true;
        }
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: PdfFontHandle::External(printpdf::FontId(font.into())),
            size: Pt(style.size),
        });
        self.ops.push(Op::SetFillColor {
            col: style.colour.pdf(),
        });
        // The rendering mode belongs to the graphics state, not the text object: set it
        // on every run, or one synthetic-bold run outlines all the text after it.
        if style.bold && !real_bold {
            self.ops.push(Op::SetOutlineColor {
                col: style.colour.pdf(),
            });
            self.ops.push(Op::SetOutlineThickness {
                pt: Pt(style.size * 0.035),
            });
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
        } else {
            self.ops.push(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        self.ops.push(Op::SetTextCursor {
            pos: point(x, baseline),
        });
        // By glyph: each with its character, which the PDF's ToUnicode map is made from.
        let glyphs = text
            .chars()
            .filter_map(|c| {
                let glyph = self.fonts.glyph(c, real_bold)?;
                Some(Codepoint {
                    gid: glyph,
                    offset: 0.0,
                    cid: Some(c.to_string()),
                })
            })
            .collect();
        self.ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(glyphs)],
        });
        self.ops.push(Op::EndTextSection);
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Colour) {
        self.ops.push(Op::SetFillColor { col: colour.pdf() });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x * PT_PER_MM),
                y: Pt((A4_HEIGHT - y - height) * PT_PER_MM),
                width: Pt(width * PT_PER_MM),
                height: Pt(height * PT_PER_MM),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), colour: Colour, width_pt: f32) {
        self.ops.push(Op::SetOutlineColor { col: colour.pdf() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![corner(from.0, from.1), corner(to.0, to.1)],
                is_closed: false,
            },
        });
    }

    fn polyline(&mut self, points: &[(f32, f32)], colour: Colour, width_pt: f32) {
        self.ops.push(Op::SetOutlineColor { col: colour.pdf() });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width_pt) });
        self.ops.push(Op::SetLineCapStyle {
            cap: printpdf::LineCapStyle::Round,
        });
        self.ops.push(Op::SetLineJoinStyle {
            join: printpdf::LineJoinStyle::Round,
        });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: points.iter().map(|(x, y)| corner(*x, *y)).collect(),
                is_closed: false,
            },
        });
    }

    fn polygon(&mut self, points: &[(f32, f32)], colour: Colour) {
        self.ops.push(Op::SetFillColor { col: colour.pdf() });
        self.ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![PolygonRing {
                    points: points.iter().map(|(x, y)| corner(*x, *y)).collect(),
                }],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    /// ✅ ❌ ⚠️ drawn as vectors in their colour: a square `size` mm wide at (`x`, `top`).
    pub fn mark(&mut self, mark: Mark, x: f32, top: f32, size: f32) {
        let s = size;
        let stroke = s * PT_PER_MM * 0.13;
        match mark {
            Mark::Yes => {
                self.fill_rect(x, top, s, s, palette::GREEN);
                let tick = [
                    (x + s * 0.24, top + s * 0.52),
                    (x + s * 0.43, top + s * 0.72),
                    (x + s * 0.78, top + s * 0.3),
                ];
                self.polyline(&tick, palette::WHITE, stroke);
            }
            Mark::No => {
                self.fill_rect(x, top, s, s, palette::RED);
                self.polyline(
                    &[
                        (x + s * 0.28, top + s * 0.28),
                        (x + s * 0.72, top + s * 0.72),
                    ],
                    palette::WHITE,
                    stroke,
                );
                self.polyline(
                    &[
                        (x + s * 0.72, top + s * 0.28),
                        (x + s * 0.28, top + s * 0.72),
                    ],
                    palette::WHITE,
                    stroke,
                );
            }
            Mark::Caution => {
                let triangle = [
                    (x + s * 0.5, top + s * 0.04),
                    (x + s * 1.0, top + s * 0.94),
                    (x, top + s * 0.94),
                ];
                self.polygon(&triangle, palette::AMBER);
                self.polyline(
                    &[(x + s * 0.5, top + s * 0.36), (x + s * 0.5, top + s * 0.62)],
                    palette::WHITE,
                    stroke,
                );
                self.polyline(
                    &[(x + s * 0.5, top + s * 0.78), (x + s * 0.5, top + s * 0.79)],
                    palette::WHITE,
                    stroke,
                );
            }
        }
    }

    pub fn into_page(self) -> PdfPage {
        PdfPage::new(Mm(A4_WIDTH), Mm(A4_HEIGHT), self.ops)
    }
}

fn point(x: f32, y: f32) -> Point {
    Point {
        x: Pt(x * PT_PER_MM),
        y: Pt((A4_HEIGHT - y) * PT_PER_MM),
    }
}

fn corner(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: point(x, y),
        bezier: false,
    }
}
