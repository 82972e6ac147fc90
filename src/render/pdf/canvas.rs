//! A page to draw on in millimetres from the top-left corner, over printpdf's operations.
//! Records which characters had no glyph, for the glyph gate, and which glyphs each face
//! drew, for the font subsets (`embed.rs`).

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Color, DictItem, Line, LinePoint, Mm, Op, PaintMode, PdfPage, Point, Polygon, PolygonRing, Pt,
    Rect, Rgb, TextRenderingMode, WindingOrder,
};
use subsetter::GlyphRemapper;

use super::fonts::Fonts;
use super::text;
use crate::model::mark::Mark;

pub const A4_WIDTH: f32 = 210.0;
pub const A4_HEIGHT: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;

/// The faces a page draws with, and their names in the page's font resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular = 0,
    Bold = 1,
}

impl Face {
    pub const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    pub fn resource_name(self) -> &'static str {
        match self {
            Face::Regular => "DBKREG",
            Face::Bold => "DBKBLD",
        }
    }
}

/// Glyphs drawn with one face: glyph id → the character it stands for (for ToUnicode).
pub type UsedGlyphs = BTreeMap<u16, char>;

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

/// What a page holds until the document knows its font subsets: printpdf operations, and
/// runs of glyphs in the fonts' own ids, renumbered into the subset's when the page is made.
enum Piece {
    Op(Op),
    Glyphs(Face, Vec<u16>),
}

pub struct Canvas<'f> {
    fonts: &'f Fonts,
    pieces: Vec<Piece>,
    pub missing: BTreeSet<char>,
    /// Per face (indexed by `Face as usize`), the glyphs this page drew.
    pub used: [UsedGlyphs; 2],
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Canvas {
            fonts,
            pieces: Vec::new(),
            missing: BTreeSet::new(),
            used: [UsedGlyphs::new(), UsedGlyphs::new()],
        }
    }

    fn op(&mut self, op: Op) {
        self.pieces.push(Piece::Op(op));
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
        let real_bold = style.bold && self.fonts.bold.is_some();
        let face = if real_bold { Face::Bold } else { Face::Regular };
        // By glyph of the face this run is drawn with; each glyph's character goes into the
        // PDF's ToUnicode map. A character that face lacks goes to the glyph gate.
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            match self.fonts.glyph(c, real_bold) {
                Some(glyph) => {
                    self.used[face as usize].entry(glyph).or_insert(c);
                    glyphs.push(glyph);
                }
                None if !c.is_whitespace() => {
                    self.missing.insert(c);
                }
                None => {}
            }
        }
        if glyphs.is_empty() {
            return;
        }
        self.op(Op::StartTextSection);
        // Fonts are ours to embed (embed.rs), so the font operator is written as is.
        self.op(Op::Unknown {
            key: "Tf".into(),
            value: vec![
                DictItem::Name(face.resource_name().as_bytes().to_vec()),
                DictItem::Real(style.size),
            ],
        });
        self.op(Op::SetFillColor {
            col: style.colour.pdf(),
        });
        // The rendering mode belongs to the graphics state, not the text object: set it
        // on every run, or one synthetic-bold run outlines all the text after it.
        if style.bold && !real_bold {
            self.op(Op::SetOutlineColor {
                col: style.colour.pdf(),
            });
            self.op(Op::SetOutlineThickness {
                pt: Pt(style.size * 0.035),
            });
            self.op(Op::SetTextRenderingMode {
                mode: TextRenderingMode::FillStroke,
            });
        } else {
            self.op(Op::SetTextRenderingMode {
                mode: TextRenderingMode::Fill,
            });
        }
        self.op(Op::SetTextCursor {
            pos: point(x, baseline),
        });
        self.pieces.push(Piece::Glyphs(face, glyphs));
        self.op(Op::EndTextSection);
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Colour) {
        self.op(Op::SetFillColor { col: colour.pdf() });
        self.op(Op::DrawRectangle {
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
        self.op(Op::SetOutlineColor { col: colour.pdf() });
        self.op(Op::SetOutlineThickness { pt: Pt(width_pt) });
        self.op(Op::DrawLine {
            line: Line {
                points: vec![corner(from.0, from.1), corner(to.0, to.1)],
                is_closed: false,
            },
        });
    }

    fn polyline(&mut self, points: &[(f32, f32)], colour: Colour, width_pt: f32) {
        self.op(Op::SetOutlineColor { col: colour.pdf() });
        self.op(Op::SetOutlineThickness { pt: Pt(width_pt) });
        self.op(Op::SetLineCapStyle {
            cap: printpdf::LineCapStyle::Round,
        });
        self.op(Op::SetLineJoinStyle {
            join: printpdf::LineJoinStyle::Round,
        });
        self.op(Op::DrawLine {
            line: Line {
                points: points.iter().map(|(x, y)| corner(*x, *y)).collect(),
                is_closed: false,
            },
        });
    }

    fn polygon(&mut self, points: &[(f32, f32)], colour: Colour) {
        self.op(Op::SetFillColor { col: colour.pdf() });
        self.op(Op::DrawPolygon {
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

    /// The page, its glyphs renumbered by each face's subset (`subsets[face as usize]`; a
    /// face the document uses always has one).
    pub fn into_page(self, subsets: &[Option<GlyphRemapper>; 2]) -> PdfPage {
        let ops = self
            .pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Op(op) => op,
                Piece::Glyphs(face, glyphs) => {
                    let subset = subsets[face as usize].as_ref();
                    let data = glyphs
                        .iter()
                        .flat_map(|g| {
                            let code = subset.and_then(|s| s.get(*g));
                            debug_assert!(code.is_some(), "glyph {g} outside its subset");
                            code.unwrap_or(0).to_be_bytes()
                        })
                        .collect();
                    Op::Unknown {
                        key: "Tj".into(),
                        value: vec![DictItem::String {
                            data,
                            literal: false,
                        }],
                    }
                }
            })
            .collect();
        PdfPage::new(Mm(A4_WIDTH), Mm(A4_HEIGHT), ops)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::FontChoice;

    #[test]
    fn a_run_without_a_drawable_glyph_writes_no_text_object_and_goes_to_the_gate() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let mut canvas = Canvas::new(&fonts);
        canvas.text(10.0, 10.0, "🚀", &Style::new(10.0, true, palette::INK));
        assert!(canvas.pieces.is_empty());
        assert_eq!(canvas.missing, BTreeSet::from(['🚀']));
        assert!(canvas.used.iter().all(UsedGlyphs::is_empty));
    }

    #[test]
    fn records_each_glyph_drawn_with_its_character() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let mut canvas = Canvas::new(&fonts);
        canvas.text(
            10.0,
            10.0,
            "成本 成本",
            &Style::new(10.0, false, palette::INK),
        );
        let used = &canvas.used[Face::Regular as usize];
        let chars: BTreeSet<char> = used.values().copied().collect();
        assert_eq!(chars, BTreeSet::from(['成', '本', ' ']));
        assert!(canvas.missing.is_empty());
        let glyph_runs = canvas
            .pieces
            .iter()
            .filter(|p| matches!(p, Piece::Glyphs(Face::Regular, g) if g.len() == 5))
            .count();
        assert_eq!(glyph_runs, 1);
    }
}
