//! A page to draw on in millimetres from the top-left corner, written straight into the
//! page's PDF content stream (the operators printpdf would write, without building its
//! operations first). Records which characters had no glyph, for the glyph gate, and which
//! glyphs each face drew, for the font subsets (`embed.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use subsetter::GlyphRemapper;

use super::fonts::Fonts;
use super::text;
use crate::model::mark::Mark;

pub const A4_WIDTH: f32 = 210.0;
pub const A4_HEIGHT: f32 = 297.0;
const PT_PER_MM: f32 = 72.0 / 25.4;
const ITALIC_SHEAR: f32 = 0.2126;

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
    fn channels(self) -> [f32; 3] {
        [self.0, self.1, self.2].map(|c| f32::from(c) / 255.0)
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
    /// Slanted (emphasis in a vendor's notes): no CJK font ships an italic, so the glyphs
    /// are sheared as browsers do.
    pub italic: bool,
    pub colour: Colour,
}

impl Style {
    pub const fn new(size: f32, bold: bool, colour: Colour) -> Self {
        Style {
            size,
            bold,
            italic: false,
            colour,
        }
    }

    /// One em of this size, in millimetres.
    pub fn em(&self) -> f32 {
        self.size * 25.4 / 72.0
    }

    /// Where the baseline of a line sits below the line's top, in millimetres: half the
    /// leading above, then the ascent.
    pub fn baseline(&self) -> f32 {
        self.em() * 1.1
    }

    /// A comfortable line height for this size, in millimetres.
    pub fn line_height(&self) -> f32 {
        self.size * 1.45 / PT_PER_MM
    }
}

pub struct Canvas<'f> {
    fonts: &'f Fonts,
    /// The page's content stream, less its runs of glyphs: operators one per line.
    content: String,
    /// Runs of glyphs in the fonts' own ids, each with where in `content` its `Tj` goes;
    /// renumbered into the subset's when the document knows its subsets.
    runs: Vec<(usize, Face, Vec<u16>)>,
    pub missing: BTreeSet<char>,
    /// Per face (indexed by `Face as usize`), the glyphs this page drew.
    pub used: [UsedGlyphs; 2],
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts) -> Self {
        Canvas {
            fonts,
            content: String::new(),
            runs: Vec::new(),
            missing: BTreeSet::new(),
            used: [UsedGlyphs::new(), UsedGlyphs::new()],
        }
    }

    /// One operator and its operands, numbers written as lopdf writes them (the shortest
    /// form that reads back as the same `f32`).
    fn op(&mut self, operands: &[f32], operator: &str) {
        let content = self.next_op();
        for x in operands {
            // Writing into a String cannot fail.
            let _ = write!(content, "{x} ");
        }
        content.push_str(operator);
    }

    /// The content stream, ready for the next operator (operators are one per line).
    fn next_op(&mut self) -> &mut String {
        if !self.content.is_empty() {
            self.content.push('\n');
        }
        &mut self.content
    }

    fn fill_colour(&mut self, colour: Colour) {
        self.op(&colour.channels(), "rg");
    }

    fn stroke_colour(&mut self, colour: Colour) {
        self.op(&colour.channels(), "RG");
    }

    /// A path through `points` (mm from the top-left), not yet painted.
    fn path(&mut self, points: &[(f32, f32)]) {
        debug_assert!(points.len() >= 2, "a path of {} points", points.len());
        for (i, &(x, y)) in points.iter().enumerate() {
            let [x, y] = point(x, y);
            self.op(&[x, y], if i == 0 { "m" } else { "l" });
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
        let real_bold = style.bold && self.fonts.bold.is_some();
        let face = if real_bold { Face::Bold } else { Face::Regular };
        // By glyph of the face this run is drawn with; each glyph's character goes into the
        // PDF's ToUnicode map. A character that face lacks goes to the glyph gate.
        let mut glyphs = Vec::with_capacity(text.len());
        for c in text.chars() {
            match self.fonts.glyph(c, real_bold) {
                Some(glyph) => {
                    // Copied out of the PDF, every kind of space is a plain one.
                    let copied = if c.is_whitespace() { ' ' } else { c };
                    self.used[face as usize].entry(glyph).or_insert(copied);
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
        self.op(&[], "BT");
        // Fonts are ours to embed (embed.rs): the font is named by its resource.
        let _ = write!(
            self.next_op(),
            "/{} {} Tf",
            face.resource_name(),
            style.size
        );
        self.fill_colour(style.colour);
        // The rendering mode belongs to the graphics state, not the text object: set it
        // on every run, or one synthetic-bold run outlines all the text after it.
        if style.bold && !real_bold {
            self.stroke_colour(style.colour);
            self.op(&[style.size * 0.035], "w");
            self.op(&[], "2 Tr");
        } else {
            self.op(&[], "0 Tr");
        }
        let [x, y] = point(x, baseline);
        if style.italic {
            // The text matrix shears by tan 12°, the slant browsers give a font without
            // an italic.
            self.op(&[1.0, 0.0, ITALIC_SHEAR, 1.0, x, y], "Tm");
        } else {
            self.op(&[x, y], "Td");
        }
        self.runs.push((self.content.len(), face, glyphs));
        self.op(&[], "ET");
    }

    pub fn fill_rect(&mut self, x: f32, y: f32, width: f32, height: f32, colour: Colour) {
        self.fill_colour(colour);
        let bottom = (A4_HEIGHT - y - height) * PT_PER_MM;
        let corner = [x * PT_PER_MM, bottom, width * PT_PER_MM, height * PT_PER_MM];
        self.op(&corner, "re");
        self.op(&[], "f");
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), colour: Colour, width_pt: f32) {
        self.stroke_colour(colour);
        self.op(&[width_pt], "w");
        self.path(&[from, to]);
        self.op(&[], "S");
    }

    fn polyline(&mut self, points: &[(f32, f32)], colour: Colour, width_pt: f32) {
        self.stroke_colour(colour);
        self.op(&[width_pt], "w");
        // Round caps and joins.
        self.op(&[], "1 J");
        self.op(&[], "1 j");
        self.path(points);
        self.op(&[], "S");
    }

    fn polygon(&mut self, points: &[(f32, f32)], colour: Colour) {
        self.fill_colour(colour);
        self.path(points);
        // Closed, and filled by the non-zero winding rule.
        self.op(&[], "h");
        self.op(&[], "f");
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

    /// The page's content stream, its glyphs renumbered by each face's subset
    /// (`subsets[face as usize]`; a face the document uses always has one).
    pub fn into_content(self, subsets: &[Option<GlyphRemapper>; 2]) -> Vec<u8> {
        let glyph_bytes: usize = self.runs.iter().map(|(_, _, g)| 4 * g.len() + 6).sum();
        let mut out = String::with_capacity(self.content.len() + glyph_bytes);
        let mut from = 0;
        for (at, face, glyphs) in &self.runs {
            out.push_str(&self.content[from..*at]);
            from = *at;
            let subset = subsets[*face as usize].as_ref();
            out.push_str("\n<");
            for g in glyphs {
                let code = subset.and_then(|s| s.get(*g));
                debug_assert!(code.is_some(), "glyph {g} outside its subset");
                let _ = write!(out, "{:04X}", code.unwrap_or(0));
            }
            out.push_str("> Tj");
        }
        out.push_str(&self.content[from..]);
        out.into_bytes()
    }
}

/// A point in mm from the top-left corner, in PDF points from the bottom-left.
fn point(x: f32, y: f32) -> [f32; 2] {
    [x * PT_PER_MM, (A4_HEIGHT - y) * PT_PER_MM]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::embed::subset_numbering;
    use crate::render::pdf::fonts::FontChoice;

    #[test]
    fn a_run_without_a_drawable_glyph_writes_no_text_object_and_goes_to_the_gate() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let mut canvas = Canvas::new(&fonts);
        canvas.text(10.0, 10.0, "🚀", &Style::new(10.0, true, palette::INK));
        assert!(canvas.content.is_empty() && canvas.runs.is_empty());
        assert_eq!(canvas.missing, BTreeSet::from(['🚀']));
        assert!(canvas.used.iter().all(UsedGlyphs::is_empty));
    }

    #[test]
    fn a_space_the_font_lacks_is_drawn_and_copied_as_a_plain_space() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let mut canvas = Canvas::new(&fonts);
        let style = Style::new(10.0, false, palette::INK);
        for text in ["成\u{a0}本", "成\u{2003}本", "成\t本"] {
            assert_eq!(
                canvas.measure(text, &style),
                canvas.measure("成 本", &style)
            );
            canvas.text(10.0, 10.0, text, &style);
        }
        assert!(canvas.missing.is_empty(), "{:?}", canvas.missing);
        let chars: BTreeSet<char> = canvas.used[Face::Regular as usize]
            .values()
            .copied()
            .collect();
        assert_eq!(chars, BTreeSet::from(['成', '本', ' ']));
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
            .runs
            .iter()
            .filter(|(_, face, g)| *face == Face::Regular && g.len() == 5)
            .count();
        assert_eq!(glyph_runs, 1);
    }

    #[test]
    fn the_stream_is_what_lopdf_writes_for_the_same_operations() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let mut canvas = Canvas::new(&fonts);
        canvas.text(
            12.5,
            40.25,
            "结论：推进 PoC",
            &Style::new(9.5, false, palette::MUTED),
        );
        // Synthetic bold: the built-in font has no bold face.
        canvas.text(12.5, 50.0, "红线", &Style::new(22.0, true, palette::RED));
        let slanted = Style {
            italic: true,
            ..Style::new(9.5, false, palette::INK)
        };
        canvas.text(12.5, 55.0, "斜体 PoC", &slanted);
        for (i, mark) in [Mark::Yes, Mark::No, Mark::Caution].into_iter().enumerate() {
            canvas.mark(mark, 20.0 + 10.0 * i as f32, 60.0, 4.2);
        }
        canvas.fill_rect(0.0, 0.0, A4_WIDTH, 35.4, palette::NAVY);
        canvas.line((15.0, 280.3), (195.0, 280.3), palette::RULE, 0.5);
        let remapper = subset_numbering(&canvas.used[Face::Regular as usize]);
        let ours = canvas.into_content(&[Some(remapper), None]);
        // Read back as operations and written again by lopdf (as printpdf's pages were).
        let operations = lopdf::content::Content::decode(&ours).unwrap();
        assert_eq!(
            operations.operations.len(),
            ours.split(|b| *b == b'\n').count()
        );
        assert_eq!(
            String::from_utf8(operations.encode().unwrap()).unwrap(),
            String::from_utf8(ours).unwrap()
        );
    }

    #[test]
    fn writes_the_operators_of_each_drawing_with_glyphs_in_subset_numbering() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let mut canvas = Canvas::new(&fonts);
        canvas.fill_rect(10.0, 20.0, 30.0, 5.0, palette::WHITE);
        canvas.text(10.0, 297.0, "成本", &Style::new(8.0, false, palette::INK));
        canvas.line((0.0, 297.0), (25.4, 297.0), palette::RULE, 0.5);
        let remapper = subset_numbering(&canvas.used[Face::Regular as usize]);
        let codes: Vec<String> = ['成', '本']
            .iter()
            .map(|c| {
                format!(
                    "{:04X}",
                    remapper.get(fonts.glyph(*c, false).unwrap()).unwrap()
                )
            })
            .collect();
        let content = String::from_utf8(canvas.into_content(&[Some(remapper), None])).unwrap();
        let ink = palette::INK.channels().map(|c| c.to_string()).join(" ");
        let rule = palette::RULE.channels().map(|c| c.to_string()).join(" ");
        let expected = [
            "1 1 1 rg".to_string(),
            format!(
                "{} {} {} {} re",
                10.0 * PT_PER_MM,
                272.0 * PT_PER_MM,
                30.0 * PT_PER_MM,
                5.0 * PT_PER_MM
            ),
            "f".into(),
            "BT".into(),
            "/DBKREG 8 Tf".into(),
            format!("{ink} rg"),
            "0 Tr".into(),
            format!("{} 0 Td", 10.0 * PT_PER_MM),
            format!("<{}{}> Tj", codes[0], codes[1]),
            "ET".into(),
            format!("{rule} RG"),
            "0.5 w".into(),
            "0 0 m".into(),
            "72 0 l".into(),
            "S".into(),
        ];
        assert_eq!(content, expected.join("\n"));
    }
}
