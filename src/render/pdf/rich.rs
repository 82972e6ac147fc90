//! A paragraph of several looks (a vendor's **bold**, *slanted*, `code` and ~~struck~~ words):
//! wrapped as one text, so a line breaks wherever plain text could, and drawn run by run.

use std::ops::Range;

use super::canvas::{Canvas, Colour, Style};
use super::paint::Paint;
use super::text;

/// How a run of text looks: its style, a tint behind it (code), a line through it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub style: Style,
    pub tint: Option<Colour>,
    pub strike: bool,
}

impl Look {
    pub fn plain(style: Style) -> Look {
        Look {
            style,
            tint: None,
            strike: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// Text made of runs, each with its look.
#[derive(Debug, Clone, Default)]
pub struct RichText {
    text: String,
    runs: Vec<(Range<usize>, Look)>,
}

impl RichText {
    pub fn push(&mut self, text: &str, look: Look) {
        let start = self.text.len();
        self.text.push_str(text);
        self.runs.push((start..self.text.len(), look));
    }

    /// Width in millimetres of a part of the text, each run measured in its own style.
    fn width_of(&self, canvas: &Canvas<'_>, part: Range<usize>) -> f32 {
        self.pieces(part)
            .map(|(piece, look)| canvas.measure(&self.text[piece], &look.style))
            .sum()
    }

    /// The runs that fall in `part`, cut to it.
    fn pieces(&self, part: Range<usize>) -> impl Iterator<Item = (Range<usize>, &Look)> {
        self.runs.iter().filter_map(move |(run, look)| {
            let piece = run.start.max(part.start)..run.end.min(part.end);
            (piece.start < piece.end).then_some((piece, look))
        })
    }

    /// The width of its longest line, unwrapped: what a table column would like to have.
    pub fn natural_width(&self, canvas: &Canvas<'_>) -> f32 {
        let mut widest: f32 = 0.0;
        let mut start = 0;
        for line in self.text.split('\n') {
            widest = widest.max(self.width_of(canvas, start..start + line.len()));
            start += line.len() + 1;
        }
        widest
    }

    /// The narrowest it can be set without breaking inside a word or a number.
    pub fn min_width(&self, canvas: &Canvas<'_>) -> f32 {
        text::widest_unit(&self.text, |part| self.width_of(canvas, part))
    }

    /// Its lines when set `width` millimetres wide.
    pub fn lines(&self, canvas: &Canvas<'_>, width: f32) -> Vec<Range<usize>> {
        // A line measured whole and the same line summed unit by unit differ in the last
        // bits of a float: a table column set to its text's `natural_width` must hold it.
        let width = width + 1e-4;
        text::line_ranges(&self.text, width, |part| self.width_of(canvas, part))
    }

    /// One line (from `lines`) at y = 0, `width` mm wide from `x`: the paints and its height.
    pub fn paint_line(
        &self,
        canvas: &Canvas<'_>,
        line: Range<usize>,
        x: f32,
        width: f32,
        align: Align,
    ) -> (Vec<Paint>, f32) {
        // The line is as tall as its largest run; an empty line (two newlines running) as
        // the text's first.
        let tallest = self
            .pieces(line.clone())
            .map(|(_, look)| look.style)
            .max_by(|a, b| a.size.total_cmp(&b.size))
            .or_else(|| self.runs.first().map(|(_, look)| look.style));
        let Some(tallest) = tallest else {
            return (Vec::new(), 0.0);
        };
        let baseline = tallest.baseline();
        let slack = (width - self.width_of(canvas, line.clone())).max(0.0);
        let mut at = x + match align {
            Align::Left => 0.0,
            Align::Center => slack / 2.0,
            Align::Right => slack,
        };
        let (mut under, mut texts, mut over) = (Vec::new(), Vec::new(), Vec::new());
        for (piece, look) in self.pieces(line) {
            let piece_text = &self.text[piece];
            let piece_width = canvas.measure(piece_text, &look.style);
            let size = look.style.em();
            if let Some(colour) = look.tint {
                under.push(Paint::Rect {
                    x: at - 0.4,
                    y: baseline - 0.9 * size,
                    width: piece_width + 0.8,
                    height: 1.15 * size,
                    colour,
                });
            }
            texts.push(Paint::Text {
                x: at,
                baseline,
                text: piece_text.to_string(),
                style: look.style,
            });
            if look.strike {
                let y = baseline - 0.3 * size;
                over.push(Paint::Line {
                    from: (at, y),
                    to: (at + piece_width, y),
                    colour: look.style.colour,
                    width_pt: look.style.size * 0.06,
                });
            }
            at += piece_width;
        }
        under.extend(texts);
        under.extend(over);
        (under, tallest.line_height())
    }

    /// All its lines from (`x`, `top`), `width` mm wide: the paints and the height used.
    pub fn paint(
        &self,
        canvas: &Canvas<'_>,
        x: f32,
        top: f32,
        width: f32,
        align: Align,
    ) -> (Vec<Paint>, f32) {
        let mut paints = Vec::new();
        let mut y = top;
        for line in self.lines(canvas, width) {
            let (line_paints, height) = self.paint_line(canvas, line, x, width, align);
            paints.extend(line_paints.iter().map(|p| p.shifted(y)));
            y += height;
        }
        (paints, y - top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::canvas::palette;
    use crate::render::pdf::fonts::{FontChoice, Fonts};

    fn fonts() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(|| Fonts::load(&FontChoice::Builtin).unwrap())
    }

    const BODY: Style = Style::new(10.0, false, palette::INK);
    const BOLD: Style = Style::new(10.0, true, palette::INK);

    fn sample() -> RichText {
        let mut rich = RichText::default();
        rich.push("成本降低 ", Look::plain(BODY));
        rich.push("42%", Look::plain(BOLD));
        rich.push("，延迟 ", Look::plain(BODY));
        rich.push(
            "5s",
            Look {
                tint: Some(palette::GREY_TINT),
                ..Look::plain(BODY)
            },
        );
        rich.push(
            "（旧）",
            Look {
                strike: true,
                ..Look::plain(BODY)
            },
        );
        rich
    }

    fn texts(paints: &[Paint]) -> Vec<(String, bool)> {
        paints
            .iter()
            .filter_map(|p| match p {
                Paint::Text { text, style, .. } => Some((text.clone(), style.bold)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_run_is_drawn_in_its_look_one_after_another() {
        let canvas = Canvas::new(fonts());
        let rich = sample();
        let (paints, height) = rich.paint(&canvas, 10.0, 0.0, 200.0, Align::Left);
        assert_eq!(
            texts(&paints),
            [
                ("成本降低 ".to_string(), false),
                ("42%".into(), true),
                ("，延迟 ".into(), false),
                ("5s".into(), false),
                ("（旧）".into(), false),
            ]
        );
        assert!((height - BODY.line_height()).abs() < 1e-4);
        // The tint is drawn under its run, the strike line over its own.
        let Paint::Rect { x: tint_x, .. } = paints[0] else {
            panic!("{paints:?}")
        };
        let x_of = |wanted: &str| {
            paints.iter().find_map(|p| match p {
                Paint::Text { text, x, .. } if text == wanted => Some(*x),
                _ => None,
            })
        };
        assert!((tint_x + 0.4 - x_of("5s").unwrap()).abs() < 1e-4);
        let Some(Paint::Line { from, to, .. }) = paints.last() else {
            panic!("{paints:?}")
        };
        assert!((from.0 - x_of("（旧）").unwrap()).abs() < 1e-4);
        let strike_width = canvas.measure("（旧）", &BODY);
        assert!((to.0 - from.0 - strike_width).abs() < 1e-4);
        // Runs follow each other at their measured widths, bold measured as bold.
        let after_bold = x_of("，延迟 ").unwrap() - x_of("42%").unwrap();
        assert!((after_bold - canvas.measure("42%", &BOLD)).abs() < 1e-4);
    }

    #[test]
    fn wraps_across_runs_and_keeps_every_character() {
        let canvas = Canvas::new(fonts());
        let rich = sample();
        let width = canvas.measure("成本降低 42", &BODY);
        let lines = rich.lines(&canvas, width);
        assert!(lines.len() > 1, "{lines:?}");
        // "42%" stays whole although its run is bold and the text around it is not.
        assert_eq!(&rich.text[lines[0].clone()], "成本降低");
        let (paints, height) = rich.paint(&canvas, 0.0, 0.0, width, Align::Left);
        assert!((height - lines.len() as f32 * BODY.line_height()).abs() < 1e-3);
        let joined: String = texts(&paints).into_iter().map(|t| t.0).collect();
        assert_eq!(joined.replace(' ', ""), rich.text.replace(' ', ""));
    }

    #[test]
    fn widths_for_a_table_column() {
        let canvas = Canvas::new(fonts());
        let rich = sample();
        let whole = canvas.measure("成本降低 ", &BODY)
            + canvas.measure("42%", &BOLD)
            + canvas.measure("，延迟 5s（旧）", &BODY);
        assert!((rich.natural_width(&canvas) - whole).abs() < 1e-3);
        // The pieces that cannot break: the bold number with its comma, the bracketed word.
        let number = canvas.measure("42%", &BOLD) + canvas.measure("，", &BODY);
        let bracketed = canvas.measure("（旧）", &BODY);
        assert!((rich.min_width(&canvas) - number.max(bracketed)).abs() < 1e-3);
    }

    #[test]
    fn aligns_a_line_right_and_centre() {
        let canvas = Canvas::new(fonts());
        let mut rich = RichText::default();
        rich.push("42%", Look::plain(BODY));
        let width = canvas.measure("42%", &BODY);
        let x_at = |align| {
            let (paints, _) = rich.paint(&canvas, 10.0, 0.0, 30.0, align);
            match paints[0] {
                Paint::Text { x, .. } => x,
                _ => panic!("{paints:?}"),
            }
        };
        assert_eq!(x_at(Align::Left), 10.0);
        assert!((x_at(Align::Right) - (40.0 - width)).abs() < 1e-4);
        assert!((x_at(Align::Center) - (25.0 - width / 2.0)).abs() < 1e-4);
    }

    #[test]
    fn nothing_takes_no_room() {
        let canvas = Canvas::new(fonts());
        let (paints, height) = RichText::default().paint(&canvas, 0.0, 0.0, 50.0, Align::Left);
        assert!(paints.is_empty());
        assert_eq!(height, 0.0);
    }
}
