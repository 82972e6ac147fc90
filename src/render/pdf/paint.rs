//! Layout first, paint after: a layout is a list of paints with positions, so it can be
//! measured (does it fit?) before anything is drawn.

use super::canvas::{Canvas, Colour, Style};
use crate::model::mark::Mark;

#[derive(Debug, Clone, PartialEq)]
pub enum Paint {
    Text {
        x: f32,
        baseline: f32,
        text: String,
        style: Style,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        colour: Colour,
    },
    Mark {
        mark: Mark,
        x: f32,
        top: f32,
        size: f32,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        colour: Colour,
        width_pt: f32,
    },
}

impl Paint {
    pub fn draw(&self, canvas: &mut Canvas<'_>) {
        match self {
            Paint::Text {
                x,
                baseline,
                text,
                style,
            } => canvas.text(*x, *baseline, text, style),
            Paint::Rect {
                x,
                y,
                width,
                height,
                colour,
            } => canvas.fill_rect(*x, *y, *width, *height, *colour),
            Paint::Mark { mark, x, top, size } => canvas.mark(*mark, *x, *top, *size),
            Paint::Line {
                from,
                to,
                colour,
                width_pt,
            } => canvas.line(*from, *to, *colour, *width_pt),
        }
    }

    /// The same paint moved down by `dy` millimetres.
    pub fn shifted(&self, dy: f32) -> Paint {
        let mut p = self.clone();
        match &mut p {
            Paint::Text { baseline, .. } => *baseline += dy,
            Paint::Rect { y, .. } => *y += dy,
            Paint::Mark { top, .. } => *top += dy,
            Paint::Line { from, to, .. } => {
                from.1 += dy;
                to.1 += dy;
            }
        }
        p
    }
}

/// Wrapped lines of text painted from `top`; returns the paints and the height used.
pub fn paragraph(
    canvas: &Canvas<'_>,
    x: f32,
    top: f32,
    width: f32,
    text: &str,
    style: &Style,
) -> (Vec<Paint>, f32) {
    let line_height = style.line_height();
    let ascent = style.baseline();
    let mut paints = Vec::new();
    let lines = canvas.wrap(text, style, width);
    for (i, line) in lines.iter().enumerate() {
        paints.push(Paint::Text {
            x,
            baseline: top + ascent + i as f32 * line_height,
            text: line.clone(),
            style: *style,
        });
    }
    (paints, lines.len() as f32 * line_height)
}
