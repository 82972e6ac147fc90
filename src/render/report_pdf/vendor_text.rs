//! A vendor's Markdown (the notes, each answer) in the report PDF, as the page shows it:
//! emphasis, lists, quotes, code and tables drawn as such; raw HTML as the text it is.

use super::*;
use crate::render::pdf::rich::{Align, Look, RichText};
use crate::render::text_blocks::{self, Block, BlockKind, Span, Table};

const CELL: Style = Style::new(8.5, false, palette::INK);
const HEAD: Style = Style::new(8.5, true, palette::NAVY);
const QUOTE: Style = Style::new(9.5, false, palette::MUTED);
const CODE: Style = Style::new(8.5, false, palette::INK);
/// A cell's padding, across and down, in millimetres.
const CELL_PAD_X: f32 = 2.2;
const CELL_PAD_Y: f32 = 1.4;

/// Vendor Markdown, block by block, `left` mm in from the margin.
pub(super) fn vendor_markdown(flow: &mut Flow, measure: &Canvas<'_>, markdown: &str, left: f32) {
    for block in text_blocks::markdown_to_blocks(markdown) {
        match &block {
            Block::Text { kind, spans } => text_block(flow, measure, kind, spans, left),
            Block::Table(table) => markdown_table(flow, measure, table, left),
        }
        flow.space(1.2);
    }
}

/// A paragraph, heading, list item, quote or code block, placed line by line so that long
/// notes flow across pages.
fn text_block(flow: &mut Flow, measure: &Canvas<'_>, kind: &BlockKind, spans: &[Span], left: f32) {
    let base = match kind {
        BlockKind::Heading => STRONG,
        BlockKind::Quote => QUOTE,
        BlockKind::Code => CODE,
        _ => BODY,
    };
    let (indent, marker) = match kind {
        // A hanging indent: the marker in the margin of the item's text.
        BlockKind::Item { marker, depth } => (*depth as f32 * 4.0 + 5.0, Some(marker)),
        BlockKind::Quote => (4.0, None),
        BlockKind::Code => (2.0, None),
        _ => (0.0, None),
    };
    let x = LEFT + left + indent;
    let width = WIDTH - left - indent - if *kind == BlockKind::Code { 2.0 } else { 0.0 };
    let text = rich(spans, base);
    for (i, line) in text.lines(measure, width).into_iter().enumerate() {
        let (mut paints, height) = text.paint_line(measure, line, x, width, Align::Left);
        match kind {
            BlockKind::Quote => paints.insert(
                0,
                Paint::Line {
                    from: (x - 2.5, 0.3),
                    to: (x - 2.5, height - 0.3),
                    colour: palette::RULE,
                    width_pt: 1.6,
                },
            ),
            // One tint behind every line: the lines make one box.
            BlockKind::Code => paints.insert(
                0,
                Paint::Rect {
                    x: x - 2.0,
                    y: 0.0,
                    width: width + 4.0,
                    height,
                    colour: palette::GREY_TINT,
                },
            ),
            _ => {}
        }
        if let (0, Some(marker)) = (i, marker) {
            let marker_x = x - measure.measure(marker, &base) - 1.5;
            paints.insert(
                0,
                Paint::Text {
                    x: marker_x.max(LEFT + left),
                    baseline: base.size * 25.4 / 72.0 * 1.1,
                    text: marker.clone(),
                    style: base,
                },
            );
        }
        flow.place(paints, height);
    }
}

/// Spans in the looks of their emphasis, on `base`.
fn rich(spans: &[Span], base: Style) -> RichText {
    let mut text = RichText::default();
    for span in spans {
        let e = span.emphasis;
        let style = Style {
            bold: base.bold || e.strong,
            italic: e.em,
            colour: if e.strike {
                palette::MUTED
            } else {
                base.colour
            },
            ..base
        };
        let look = Look {
            style,
            tint: e.code.then_some(palette::GREY_TINT),
            strike: e.strike,
        };
        text.push(&span.text, look);
    }
    text
}

/// A Markdown table drawn as a table: columns as wide as their text wants when the page
/// has room, else shared out; the header again at the top of each page it runs onto.
fn markdown_table(flow: &mut Flow, measure: &Canvas<'_>, table: &Table, left: f32) {
    let head: Vec<RichText> = table.head.iter().map(|c| rich(c, HEAD)).collect();
    let rows: Vec<Vec<RichText>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| rich(c, CELL)).collect())
        .collect();
    let columns = head.len();
    let mut natural = vec![0.0f32; columns];
    // No column narrower than two characters, whatever its words.
    let mut least = vec![measure.measure("中文", &CELL) + 2.0 * CELL_PAD_X; columns];
    for row in std::iter::once(&head).chain(&rows) {
        for (i, cell) in row.iter().enumerate().take(columns) {
            natural[i] = natural[i].max(cell.natural_width(measure) + 2.0 * CELL_PAD_X);
            least[i] = least[i].max(cell.min_width(measure) + 2.0 * CELL_PAD_X);
        }
    }
    let widths = column_widths(&natural, &least, WIDTH - left);
    let align: Vec<Align> = table.align.iter().map(|a| pdf_align(*a)).collect();
    let x = LEFT + left;
    let place_head = |flow: &mut Flow| {
        let (paints, height) =
            table_row(measure, &head, &widths, &align, x, Some(palette::BLUE_TINT));
        flow.place(paints, height);
    };
    flow.keep(16.0);
    place_head(flow);
    for row in &rows {
        let (paints, height) = table_row(measure, row, &widths, &align, x, None);
        if !flow.fits(height) {
            flow.new_page();
            place_head(flow);
        }
        flow.place(paints, height);
    }
}

fn pdf_align(align: text_blocks::Align) -> Align {
    match align {
        text_blocks::Align::Left => Align::Left,
        text_blocks::Align::Center => Align::Center,
        text_blocks::Align::Right => Align::Right,
    }
}

/// One row at y = 0: each cell wrapped in its column, the row as tall as its tallest cell,
/// a rule under it.
fn table_row(
    measure: &Canvas<'_>,
    cells: &[RichText],
    widths: &[f32],
    align: &[Align],
    x: f32,
    tint: Option<Colour>,
) -> (Vec<Paint>, f32) {
    let mut texts = Vec::new();
    let mut height = CELL.line_height();
    let mut cell_x = x;
    for (i, width) in widths.iter().enumerate() {
        if let Some(cell) = cells.get(i) {
            let align = align.get(i).copied().unwrap_or(Align::Left);
            let inner = width - 2.0 * CELL_PAD_X;
            let (p, h) = cell.paint(measure, cell_x + CELL_PAD_X, CELL_PAD_Y, inner, align);
            texts.extend(p);
            height = height.max(h);
        }
        cell_x += width;
    }
    let height = height + 2.0 * CELL_PAD_Y;
    let table_width: f32 = widths.iter().sum();
    let mut paints = Vec::new();
    if let Some(colour) = tint {
        paints.push(Paint::Rect {
            x,
            y: 0.0,
            width: table_width,
            height,
            colour,
        });
    }
    paints.extend(texts);
    paints.push(Paint::Line {
        from: (x, height),
        to: (x + table_width, height),
        colour: palette::RULE,
        width_pt: 0.4,
    });
    (paints, height)
}

/// Column widths: what each column's text wants, when the table fits in `available`.
/// Otherwise a column that wants no more than an equal share of the room left gets what it
/// wants (so short words such as 高峰期偶发 stay whole), and the wide columns share the rest in
/// proportion to what they want, none narrower than its widest word (`least`). Only when
/// even the words do not fit are they scaled down, and break inside.
fn column_widths(natural: &[f32], least: &[f32], available: f32) -> Vec<f32> {
    if natural.iter().sum::<f32>() <= available {
        return natural.to_vec();
    }
    let mut widths: Vec<Option<f32>> = vec![None; natural.len()];
    let mut room = available;
    // Settle the narrow columns, then any wide one whose share would break a word, until
    // the shares hold.
    loop {
        let open: Vec<usize> = (0..natural.len())
            .filter(|i| widths[*i].is_none())
            .collect();
        if open.is_empty() {
            break;
        }
        let least_open: f32 = open.iter().map(|i| least[*i]).sum();
        if least_open >= room {
            for &i in &open {
                widths[i] = Some(least[i] * room.max(0.0) / least_open);
            }
            break;
        }
        let equal = room / open.len() as f32;
        let narrow: Vec<usize> = open
            .iter()
            .copied()
            .filter(|i| natural[*i] <= equal)
            .collect();
        let wanted: f32 = open.iter().map(|i| natural[*i]).sum();
        let share = |i: usize| natural[i] * room / wanted;
        let cramped: Vec<usize> = open
            .iter()
            .copied()
            .filter(|i| share(*i) < least[*i])
            .collect();
        let settled: Vec<(usize, f32)> = if !narrow.is_empty() {
            narrow.iter().map(|i| (*i, natural[*i])).collect()
        } else if !cramped.is_empty() {
            cramped.iter().map(|i| (*i, least[*i])).collect()
        } else {
            for &i in &open {
                widths[i] = Some(share(i));
            }
            break;
        };
        for (i, width) in settled {
            widths[i] = Some(width);
            room -= width;
        }
    }
    widths.into_iter().map(Option::unwrap_or_default).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::fonts::FontChoice;

    #[test]
    fn emphasis_is_drawn_bold_slanted_tinted_and_struck() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let measure = Canvas::new(&fonts);
        let mut flow = Flow::new(TOP, BOTTOM);
        vendor_markdown(&mut flow, &measure, "甲 **乙** *丙* `丁` ~~戊~~", 0.0);
        let paints = &flow.pages[0];
        let text = |wanted: &str| {
            paints
                .iter()
                .find_map(|p| match p {
                    Paint::Text { text, style, x, .. } if text == wanted => Some((*style, *x)),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no «{wanted}» in {paints:?}"))
        };
        assert!(!text("甲 ").0.bold && text("乙").0.bold);
        assert!(text("丙").0.italic && !text("乙").0.italic);
        let code_x = text("丁").1;
        let tinted = paints.iter().any(|p| {
            matches!(p, Paint::Rect { x, colour, .. }
                if *colour == palette::GREY_TINT && (x + 0.4 - code_x).abs() < 1e-3)
        });
        assert!(tinted, "{paints:?}");
        let (struck, struck_x) = text("戊");
        assert_eq!(struck.colour, palette::MUTED);
        let line_through = paints
            .iter()
            .any(|p| matches!(p, Paint::Line { from, .. } if (from.0 - struck_x).abs() < 1e-3));
        assert!(line_through, "{paints:?}");
    }

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3)
    }

    #[test]
    fn columns_get_what_they_want_when_it_fits() {
        assert!(close(
            &column_widths(&[20.0, 30.0], &[10.0, 8.0], 100.0),
            &[20.0, 30.0]
        ));
    }

    #[test]
    fn narrow_columns_keep_their_words_and_the_wide_one_wraps() {
        // 指标, 现状, a long promise, 金额: the three short ones fit whole.
        let widths = column_widths(&[14.0, 19.0, 300.0, 22.0], &[9.0, 7.0, 12.0, 22.0], 178.0);
        assert!(
            close(&widths, &[14.0, 19.0, 178.0 - 55.0, 22.0]),
            "{widths:?}"
        );
    }

    #[test]
    fn wide_columns_share_in_proportion_to_what_they_want() {
        let widths = column_widths(&[10.0, 100.0, 300.0], &[5.0, 10.0, 10.0], 110.0);
        assert!(close(&widths, &[10.0, 25.0, 75.0]), "{widths:?}");
    }

    #[test]
    fn no_share_is_narrower_than_its_widest_word() {
        // In proportion, the first would get 25, less than its word of 40.
        let widths = column_widths(&[100.0, 300.0], &[40.0, 10.0], 100.0);
        assert!(close(&widths, &[40.0, 60.0]), "{widths:?}");
    }

    #[test]
    fn words_wider_than_the_page_are_scaled_to_it() {
        let widths = column_widths(&[300.0, 300.0], &[150.0, 50.0], 100.0);
        assert!(close(&widths, &[75.0, 25.0]));
    }
}
