//! The one-page cheat card (十二、沟通立场速查卡), from the framework's YAML: the stance, the
//! refusals and acceptances, the key questions and the whole rule the engine judges with
//! (`render::verdict_rule`). Auto-fit: the type steps down until the page holds everything.

use crate::model::date::Date;
use crate::model::framework::Framework;
use crate::model::mark::Mark;
use crate::render::pdf::canvas::{A4_HEIGHT, A4_WIDTH, Canvas, Colour, Style, palette};
use crate::render::pdf::document::{PdfError, save_pdf};
use crate::render::pdf::fonts::Fonts;
use crate::render::pdf::paint::{Paint, paragraph};
use crate::render::verdict_rule::verdict_rule;

const MARGIN: f32 = 12.0;
const LARGEST_SIZE: f32 = 14.0;
/// The smallest body size still legible across a table.
pub const SMALLEST_SIZE: f32 = 7.5;
const SIZE_STEP: f32 = 0.25;

#[derive(Debug, PartialEq)]
pub enum CardError {
    /// At the smallest size, `section` still ends `overflow_mm` below the page's last line.
    Overflow {
        section: String,
        overflow_mm: f32,
    },
    Pdf(PdfError),
}

/// What stands before each item of a list on the card.
#[derive(Clone, Copy)]
enum Bullet {
    None,
    /// The framework's ✅ / ❌ (acceptances, refusals).
    Mark(Mark),
    /// An empty box to tick at the table: a condition, not a verdict.
    Checkbox,
}

/// A titled list on the card.
struct Section<'a> {
    title: &'a str,
    bullet: Bullet,
    items: Vec<&'a str>,
    accent: Colour,
    tint: Colour,
}

pub fn render_card(framework: &Framework, fonts: &Fonts, date: Date) -> Result<Vec<u8>, CardError> {
    let mut canvas = Canvas::new(fonts);
    let paints = fit(framework, &canvas)?;
    for p in &paints {
        p.draw(&mut canvas);
    }
    save_pdf(
        &format!("{} · {}", framework.meta.title, "沟通立场速查卡"),
        date,
        vec![canvas],
    )
    .map_err(CardError::Pdf)
}

/// The largest type size whose layout fits, with the spare height spread between sections.
fn fit(framework: &Framework, canvas: &Canvas<'_>) -> Result<Vec<Paint>, CardError> {
    let bottom_limit = A4_HEIGHT - MARGIN - footer_height();
    let mut size = LARGEST_SIZE;
    loop {
        let layout = lay_out(framework, canvas, size);
        let bottom = layout.sections.last().map_or(0.0, |s| s.1);
        if bottom <= bottom_limit {
            return Ok(layout.spread(bottom_limit - bottom, framework, canvas));
        }
        if size - SIZE_STEP < SMALLEST_SIZE - f32::EPSILON {
            let section = layout
                .sections
                .iter()
                .find(|(_, end)| *end > bottom_limit)
                .map(|(title, _)| title.clone())
                .unwrap_or_default();
            let overflow_mm = ((bottom - bottom_limit) * 10.0).ceil() / 10.0;
            return Err(CardError::Overflow {
                section,
                overflow_mm,
            });
        }
        size -= SIZE_STEP;
    }
}

struct Layout {
    /// Paints per block, in order; each block can be moved down as a whole.
    blocks: Vec<Vec<Paint>>,
    /// Section titles and where each ends.
    sections: Vec<(String, f32)>,
}

impl Layout {
    /// Moves every block after the header down by an equal share of `spare` millimetres,
    /// and puts the footer at the page's foot.
    fn spread(self, spare: f32, framework: &Framework, canvas: &Canvas<'_>) -> Vec<Paint> {
        let gaps = self.blocks.len().saturating_sub(1).max(1) as f32;
        let share = (spare / gaps).min(14.0);
        let mut paints = Vec::new();
        for (i, block) in self.blocks.iter().enumerate() {
            let dy = share * i as f32;
            paints.extend(block.iter().map(|p| p.shifted(dy)));
        }
        paints.extend(footer(framework, canvas));
        paints
    }
}

fn footer_height() -> f32 {
    7.0
}

fn footer(framework: &Framework, canvas: &Canvas<'_>) -> Vec<Paint> {
    let style = Style::new(7.5, false, palette::MUTED);
    let y = A4_HEIGHT - MARGIN;
    let text = format!(
        "{} {} · 更新于 {} · 判定规则与阈值取自 framework.yaml，与评估报告同源",
        framework.meta.title, framework.meta.version, framework.meta.updated
    );
    let width = canvas.measure(&text, &style);
    vec![
        Paint::Line {
            from: (MARGIN, y - 4.5),
            to: (A4_WIDTH - MARGIN, y - 4.5),
            colour: palette::RULE,
            width_pt: 0.5,
        },
        Paint::Text {
            x: (A4_WIDTH - width) / 2.0,
            baseline: y,
            text,
            style,
        },
    ]
}

fn lay_out(framework: &Framework, canvas: &Canvas<'_>, size: f32) -> Layout {
    let card = &framework.card;
    let width = A4_WIDTH - 2.0 * MARGIN;
    let gap = size * 0.45;
    let mut blocks = Vec::new();
    let mut sections = Vec::new();

    let (header, mut y) = header(framework, canvas, size);
    blocks.push(header);
    sections.push(("标题".to_string(), y));

    y += gap;
    let (stance, end) = stance_block(
        canvas,
        MARGIN,
        y,
        width,
        &card.stance.title,
        &card.stance.lines,
        size,
    );
    blocks.push(stance);
    sections.push((card.stance.title.clone(), end));
    y = end + gap;

    let refusals = Section {
        title: &card.refusals.title,
        bullet: Bullet::Mark(card.refusals.mark),
        items: strs(&card.refusals.items),
        accent: palette::RED,
        tint: palette::RED_TINT,
    };
    let acceptances = Section {
        title: &card.acceptances.title,
        bullet: Bullet::Mark(card.acceptances.mark),
        items: strs(&card.acceptances.items),
        accent: palette::GREEN,
        tint: palette::GREEN_TINT,
    };
    let (pair, end) = two_columns(canvas, y, width, &refusals, &acceptances, size);
    blocks.push(pair);
    sections.push((format!("{} / {}", refusals.title, acceptances.title), end));
    y = end + gap;

    let questions = Section {
        title: &card.questions.title,
        bullet: Bullet::None,
        items: strs(&card.questions.items),
        accent: palette::NAVY,
        tint: palette::BLUE_TINT,
    };
    let (block, end) = boxed_list(canvas, MARGIN, y, width, &questions, size, true);
    blocks.push(block);
    sections.push((questions.title.to_string(), end));
    y = end + gap;

    // The whole rule the engine judges with, generated from it (as the 六 page shows it).
    let rule = verdict_rule(framework);
    let (rule_title, title_height) = band_title(
        canvas,
        y,
        "判定规则（由 framework.yaml 的规则生成，与评估引擎一致）",
        size,
    );
    let [no_go, red_lines] = [&rule.no_go[0], &rule.no_go[1]].map(|clause| Section {
        title: &clause.title,
        bullet: Bullet::Checkbox,
        items: strs(&clause.items),
        accent: palette::RED,
        tint: palette::GREY_TINT,
    });
    let no_go_title = format!("{}（任一成立即不推进）", no_go.title);
    let red_lines_title = format!("{}（任一成立即不推进）", red_lines.title);
    let no_go = Section {
        title: &no_go_title,
        ..no_go
    };
    let red_lines = Section {
        title: &red_lines_title,
        ..red_lines
    };
    let (pair, end) = two_columns(canvas, y + title_height, width, &no_go, &red_lines, size);
    let mut block = rule_title;
    block.extend(pair);
    blocks.push(block);
    sections.push(("判定规则".to_string(), end));
    y = end + gap;

    let go_items: Vec<String> = rule
        .go
        .iter()
        .map(|clause| format!("{}：{}", clause.title, clause.items.join("；")))
        .collect();
    let go = Section {
        title: &rule.go_title,
        bullet: Bullet::None,
        items: strs(&go_items),
        accent: palette::GREEN,
        tint: palette::GREY_TINT,
    };
    let (mut block, end) = boxed_list(canvas, MARGIN, y, width, &go, size, true);
    // Not a condition of Go: what every other case is, under the box.
    let style = Style::new(size, true, palette::NAVY);
    let (otherwise, height) = paragraph(canvas, MARGIN, end + 1.5, width, &rule.otherwise, &style);
    block.extend(otherwise);
    let end = end + 1.5 + height;
    blocks.push(block);
    sections.push((rule.go_title.clone(), end));

    Layout { blocks, sections }
}

/// An empty square `size` mm wide at (`x`, `top`), outlined in ink.
fn checkbox(x: f32, top: f32, size: f32) -> Vec<Paint> {
    let corners = [
        (x, top),
        (x + size, top),
        (x + size, top + size),
        (x, top + size),
    ];
    (0..4)
        .map(|i| Paint::Line {
            from: corners[i],
            to: corners[(i + 1) % 4],
            colour: palette::INK,
            width_pt: 0.6,
        })
        .collect()
}

fn strs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

/// The navy band at the top: title, how to use the card, the framework's version.
fn header(framework: &Framework, canvas: &Canvas<'_>, size: f32) -> (Vec<Paint>, f32) {
    let height = 12.0 + size * 0.9;
    let title = Style::new(size * 1.75, true, palette::WHITE);
    let note = Style::new(size * 0.85, false, Colour(0xc9, 0xd6, 0xe6));
    let mut paints = vec![Paint::Rect {
        x: 0.0,
        y: 0.0,
        width: A4_WIDTH,
        height: MARGIN + height,
        colour: palette::NAVY,
    }];
    let baseline = MARGIN + height * 0.62;
    paints.push(Paint::Text {
        x: MARGIN,
        baseline,
        text: "沟通立场速查卡".into(),
        style: title,
    });
    let meta = format!(
        "{} · {} · {}",
        framework.meta.title, framework.meta.version, framework.meta.updated
    );
    let note_text = framework.card.note.clone();
    let right = A4_WIDTH - MARGIN;
    paints.push(Paint::Text {
        x: right - canvas.measure(&note_text, &note),
        baseline: baseline - size * 0.55,
        text: note_text,
        style: note,
    });
    paints.push(Paint::Text {
        x: right - canvas.measure(&meta, &note),
        baseline: baseline + size * 0.05,
        text: meta,
        style: note,
    });
    (paints, MARGIN + height)
}

/// The opening statement, large, on a blue tint with a navy bar.
fn stance_block(
    canvas: &Canvas<'_>,
    x: f32,
    top: f32,
    width: f32,
    title: &str,
    lines: &[String],
    size: f32,
) -> (Vec<Paint>, f32) {
    let pad = size * 0.45;
    let heading = Style::new(size * 1.05, true, palette::NAVY);
    let body = Style::new(size * 1.45, true, palette::INK);
    let mut paints = Vec::new();
    let (title_paints, title_height) = paragraph(
        canvas,
        x + pad + 2.0,
        top + pad,
        width - 2.0 * pad - 2.0,
        title,
        &heading,
    );
    let text = format!("“{}”", lines.join(""));
    let (text_paints, text_height) = paragraph(
        canvas,
        x + pad + 2.0,
        top + pad + title_height + 1.0,
        width - 2.0 * pad - 2.0,
        &text,
        &body,
    );
    let height = pad * 2.0 + title_height + 1.0 + text_height;
    paints.push(Paint::Rect {
        x,
        y: top,
        width,
        height,
        colour: palette::BLUE_TINT,
    });
    paints.push(Paint::Rect {
        x,
        y: top,
        width: 1.6,
        height,
        colour: palette::NAVY,
    });
    paints.extend(title_paints);
    paints.extend(text_paints);
    (paints, top + height)
}

/// A section title on its own line, for a group of boxes (whose coloured tops underline it).
fn band_title(canvas: &Canvas<'_>, top: f32, title: &str, size: f32) -> (Vec<Paint>, f32) {
    let style = Style::new(size * 1.05, true, palette::NAVY);
    let (paints, height) = paragraph(canvas, MARGIN, top, A4_WIDTH - 2.0 * MARGIN, title, &style);
    (paints, height + 1.2)
}

/// Two boxed lists side by side, as tall as the taller one.
fn two_columns(
    canvas: &Canvas<'_>,
    top: f32,
    width: f32,
    left: &Section<'_>,
    right: &Section<'_>,
    size: f32,
) -> (Vec<Paint>, f32) {
    let gutter = 5.0;
    let column = (width - gutter) / 2.0;
    let (l, l_end) = boxed_list(canvas, MARGIN, top, column, left, size, false);
    let (r, r_end) = boxed_list(
        canvas,
        MARGIN + column + gutter,
        top,
        column,
        right,
        size,
        false,
    );
    let end = l_end.max(r_end);
    let mut paints = Vec::new();
    for (paints_of, x, section) in [(l, MARGIN, left), (r, MARGIN + column + gutter, right)] {
        // Redraw both backgrounds at the common height, under the text.
        paints.push(Paint::Rect {
            x,
            y: top,
            width: column,
            height: end - top,
            colour: section.tint,
        });
        paints.push(Paint::Rect {
            x,
            y: top,
            width: column,
            height: 1.2,
            colour: section.accent,
        });
        paints.extend(
            paints_of
                .into_iter()
                .filter(|p| !matches!(p, Paint::Rect { y, .. } if *y == top)),
        );
    }
    (paints, end)
}

/// A titled list on a tinted box: marks drawn as vectors, or numbers.
fn boxed_list(
    canvas: &Canvas<'_>,
    x: f32,
    top: f32,
    width: f32,
    section: &Section<'_>,
    size: f32,
    numbered: bool,
) -> (Vec<Paint>, f32) {
    let pad = size * 0.45;
    let heading = Style::new(size * 1.05, true, section.accent);
    let body = Style::new(size, false, palette::INK);
    let number = Style::new(size, true, section.accent);
    let mut items = Vec::new();
    let (title_paints, title_height) = paragraph(
        canvas,
        x + pad,
        top + pad + 0.8,
        width - 2.0 * pad,
        section.title,
        &heading,
    );
    items.extend(title_paints);
    let mut y = top + pad + 0.8 + title_height + size * 0.12;
    let indent = size * 0.62;
    for (i, item) in section.items.iter().enumerate() {
        let text_x = x + pad + indent;
        let (lines, height) = paragraph(canvas, text_x, y, width - 2.0 * pad - indent, item, &body);
        let mark_size = size * 0.36;
        if numbered {
            items.push(Paint::Text {
                x: x + pad,
                baseline: y + number.baseline(),
                text: format!("{}", i + 1),
                style: number,
            });
        } else {
            let top = y + (body.line_height() - mark_size) / 2.0 + 0.15;
            match section.bullet {
                Bullet::None => {}
                Bullet::Mark(mark) => items.push(Paint::Mark {
                    mark,
                    x: x + pad,
                    top,
                    size: mark_size,
                }),
                Bullet::Checkbox => items.extend(checkbox(x + pad, top, mark_size)),
            }
        }
        items.extend(lines);
        y += height + size * 0.1;
    }
    let end = y + pad;
    let mut paints = vec![
        Paint::Rect {
            x,
            y: top,
            width,
            height: end - top,
            colour: section.tint,
        },
        Paint::Rect {
            x,
            y: top,
            width,
            height: 1.2,
            colour: section.accent,
        },
    ];
    paints.extend(items);
    (paints, end)
}
