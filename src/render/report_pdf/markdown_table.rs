//! A Markdown table in a vendor's notes, drawn as a table: columns sized so that short words
//! stay whole, cells aligned as the Markdown says, the header again at the top of every page
//! the table runs onto, and a row taller than a page continued line by line.

use super::vendor_text::rich;
use super::*;
use crate::render::pdf::rich::{Align, RichText};
use crate::render::text_blocks::Table;

const CELL: Style = Style::new(8.5, false, palette::INK);
const HEAD: Style = Style::new(8.5, true, palette::NAVY);
/// A cell's padding, across and down, in millimetres.
const PAD_X: f32 = 2.2;
const PAD_Y: f32 = 1.4;

/// A line of a cell, painted at y = 0 in its column, and its height.
type CellLine = (Vec<Paint>, f32);

/// The table, `left` mm in from the margin.
pub(super) fn markdown_table(flow: &mut Flow, measure: &Canvas<'_>, table: &Table, left: f32) {
    let head: Vec<RichText> = table.head.iter().map(|c| rich(c, HEAD)).collect();
    let rows: Vec<Vec<RichText>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| rich(c, CELL)).collect())
        .collect();
    let available = WIDTH - left;
    let widths = fit_columns(measure, &head, &rows, available);
    let x = LEFT + left;
    let align = |i: usize| table.align.get(i).copied().unwrap_or(Align::Left);
    let lay_out = |cells: &[RichText]| -> Vec<Vec<CellLine>> {
        let mut cell_x = x;
        let mut laid = Vec::new();
        for (i, width) in widths.iter().enumerate() {
            let inner = width - 2.0 * PAD_X;
            let lines = cells.get(i).map_or_else(Vec::new, |cell| {
                let lines = cell.lines(measure, inner);
                lines
                    .into_iter()
                    .map(|line| cell.paint_line(measure, line, cell_x + PAD_X, inner, align(i)))
                    .collect()
            });
            laid.push(lines);
            cell_x += width;
        }
        laid
    };
    let frame = Frame {
        x,
        width: widths.iter().sum(),
    };
    let head = lay_out(&head);
    let head_height = frame.height(&slices(&head));
    let place_head = |flow: &mut Flow| {
        let (paints, height) = frame.row(&slices(&head), Some(palette::BLUE_TINT));
        flow.place(paints, height);
    };
    let rows: Vec<Vec<Vec<CellLine>>> = rows.iter().map(|r| lay_out(r)).collect();
    // The header stays with the first row, or with the first rows' lines of a tall one.
    let first = rows.first().map_or(0.0, |r| frame.height(&slices(r)));
    flow.keep(head_height + first.min(3.0 * CELL.line_height()));
    place_head(flow);
    for row in &rows {
        place_row(flow, &frame, slices(row), head_height, &place_head);
    }
}

/// Where the table sits across the page.
struct Frame {
    x: f32,
    width: f32,
}

impl Frame {
    /// How tall a row of these cells' lines is: its tallest cell, padded.
    fn height(&self, cells: &[&[CellLine]]) -> f32 {
        let tallest = cells
            .iter()
            .map(|lines| lines.iter().map(|(_, h)| h).sum::<f32>())
            .fold(CELL.line_height(), f32::max);
        tallest + 2.0 * PAD_Y
    }

    /// A row of these cells' lines at y = 0 on `tint`, with a rule under it.
    fn row(&self, cells: &[&[CellLine]], tint: Option<Colour>) -> (Vec<Paint>, f32) {
        let height = self.height(cells);
        let mut paints = Vec::new();
        if let Some(colour) = tint {
            paints.push(Paint::Rect {
                x: self.x,
                y: 0.0,
                width: self.width,
                height,
                colour,
            });
        }
        for lines in cells {
            let mut y = PAD_Y;
            for (line, line_height) in lines.iter() {
                paints.extend(line.iter().map(|p| p.shifted(y)));
                y += line_height;
            }
        }
        paints.push(Paint::Line {
            from: (self.x, height),
            to: (self.x + self.width, height),
            colour: palette::RULE,
            width_pt: 0.4,
        });
        (paints, height)
    }
}

fn slices(cells: &[Vec<CellLine>]) -> Vec<&[CellLine]> {
    cells.iter().map(Vec::as_slice).collect()
}

/// Places a row whole: on this page if it fits, else under the header on the next. A row
/// taller than a page fills what is left of this one, line by line in every cell, and goes
/// on under the header of the next.
fn place_row(
    flow: &mut Flow,
    frame: &Frame,
    mut rest: Vec<&[CellLine]>,
    head_height: f32,
    place_head: &dyn Fn(&mut Flow),
) {
    loop {
        let whole = frame.height(&rest);
        if flow.fits(whole) {
            let (paints, height) = frame.row(&rest, None);
            flow.place(paints, height);
            return;
        }
        if whole <= flow.page_height() - head_height {
            flow.new_page();
            place_head(flow);
            continue;
        }
        let room = flow.room() - 2.0 * PAD_Y;
        let split: Vec<usize> = rest.iter().map(|lines| lines_within(lines, room)).collect();
        // Nothing fits in what is left of this page: go on at the top of the next.
        if split.iter().all(|n| *n == 0) {
            flow.new_page();
            place_head(flow);
            let room = flow.room() - 2.0 * PAD_Y;
            if rest.iter().all(|lines| lines_within(lines, room) == 0) {
                // Not even one line fits a page: place the row as it is, so the table ends.
                let (paints, height) = frame.row(&rest, None);
                flow.place(paints, height);
                return;
            }
            continue;
        }
        let now: Vec<&[CellLine]> = rest.iter().zip(&split).map(|(l, n)| &l[..*n]).collect();
        let (paints, height) = frame.row(&now, None);
        flow.place(paints, height);
        rest = rest.iter().zip(&split).map(|(l, n)| &l[*n..]).collect();
        flow.new_page();
        place_head(flow);
    }
}

/// How many of `lines`, from the first, fit in `room` mm.
fn lines_within(lines: &[CellLine], room: f32) -> usize {
    let mut used = 0.0;
    lines
        .iter()
        .take_while(|(_, height)| {
            used += height;
            used <= room
        })
        .count()
}

/// Each column's width: what its text wants when the table fits, else shared out
/// (`column_widths`). A column squeezed is no narrower than two characters, nor than its
/// widest word unless that word is wider than an equal share of the page (a long address):
/// such a word breaks between characters instead of starving the other columns.
fn fit_columns(
    measure: &Canvas<'_>,
    head: &[RichText],
    rows: &[Vec<RichText>],
    available: f32,
) -> Vec<f32> {
    let columns = head.len().max(1);
    let equal = available / columns as f32;
    let two_chars = measure.measure("中文", &CELL) + 2.0 * PAD_X;
    let mut natural = vec![0.0f32; columns];
    let mut least = vec![two_chars.min(equal); columns];
    for row in std::iter::once(head).chain(rows.iter().map(Vec::as_slice)) {
        for (i, cell) in row.iter().enumerate().take(columns) {
            natural[i] = natural[i].max(cell.natural_width(measure) + 2.0 * PAD_X);
            let word = (cell.min_width(measure) + 2.0 * PAD_X).min(equal);
            least[i] = least[i].max(word);
        }
    }
    column_widths(&natural, &least, available)
}

/// Column widths: what each column wants (`natural`), when the table fits in `available`.
/// Otherwise a column that wants no more than an equal share of the room left gets what it
/// wants (so short words such as 高峰期偶发 stay whole), and the wide columns share the rest in
/// proportion to what they want, none narrower than its `least`. Only when even the `least`
/// widths do not fit are they scaled down.
fn column_widths(natural: &[f32], least: &[f32], available: f32) -> Vec<f32> {
    if natural.iter().sum::<f32>() <= available {
        return natural.to_vec();
    }
    let mut widths: Vec<Option<f32>> = vec![None; natural.len()];
    let mut room = available;
    // Settle the narrow columns, then any wide one whose share would be below its least,
    // until the shares hold.
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
    use crate::render::report_pdf::vendor_text::vendor_markdown;
    use crate::render::text_blocks::{Emphasis, Span};

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3)
    }

    /// The texts each page draws, in order.
    fn page_texts(markdown: &str, before: f32) -> Vec<Vec<String>> {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let measure = Canvas::new(&fonts);
        let mut flow = Flow::new(TOP, BOTTOM);
        flow.space(before);
        vendor_markdown(&mut flow, &measure, markdown, 0.0);
        flow.pages
            .iter()
            .map(|page| {
                page.iter()
                    .filter_map(|p| match p {
                        Paint::Text { text, baseline, .. } => {
                            assert!(*baseline <= BOTTOM, "«{text}» below the foot: {baseline}");
                            Some(text.clone())
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_long_table_repeats_its_header_on_each_page_and_splits_no_row() {
        let mut markdown = String::from("| 序号 | 说明 |\n|---|---|\n");
        for i in 1..=80 {
            markdown.push_str(&format!("| {i} | 第 {i} 行 |\n"));
        }
        let pages = page_texts(&markdown, 0.0);
        assert!(pages.len() >= 2, "{} pages", pages.len());
        for texts in &pages {
            assert_eq!(texts[..2], ["序号", "说明"], "{texts:?}");
            // Every row on the page whole: its number and its text together.
            for pair in texts[2..].chunks(2) {
                assert_eq!(pair[1], format!("第 {} 行", pair[0]), "{texts:?}");
            }
        }
        let rows: usize = pages.iter().map(|t| (t.len() - 2) / 2).sum();
        assert_eq!(rows, 80);
    }

    #[test]
    fn a_row_taller_than_a_page_goes_on_under_the_header_and_loses_nothing() {
        let long = "成本与延迟的承诺。".repeat(400);
        let markdown = format!("| 项目 | 说明 |\n|---|---|\n| 甲 | {long} |\n| 乙 | 短 |\n");
        // Start low on the page: the header must not be left alone at its foot.
        let pages = page_texts(&markdown, 200.0);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for texts in &pages {
            assert_eq!(texts[..2], ["项目", "说明"], "{texts:?}");
            assert!(texts.len() > 2, "a page with the header alone: {texts:?}");
        }
        let drawn: String = pages.iter().flat_map(|t| t[2..].to_vec()).collect();
        assert_eq!(drawn, format!("甲{long}乙短"));
    }

    #[test]
    fn a_long_address_breaks_instead_of_starving_the_other_columns() {
        let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
        let measure = Canvas::new(&fonts);
        let cell = |text: &str| {
            let span = Span {
                text: text.into(),
                emphasis: Emphasis::default(),
            };
            rich(&[span], CELL)
        };
        let head = vec![cell("说明"), cell("链接")];
        let rows = vec![vec![
            cell(&"说明文字".repeat(100)),
            cell(&format!("https://example.com/{}", "a".repeat(300))),
        ]];
        let widths = fit_columns(&measure, &head, &rows, 178.0);
        assert!(widths[0] >= 178.0 / 2.0 - 1e-3, "{widths:?}");
        assert!(
            (widths.iter().sum::<f32>() - 178.0).abs() < 1e-3,
            "{widths:?}"
        );
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
    fn no_share_is_narrower_than_its_least() {
        // In proportion, the first would get 25, less than its word of 40.
        let widths = column_widths(&[100.0, 300.0], &[40.0, 10.0], 100.0);
        assert!(close(&widths, &[40.0, 60.0]), "{widths:?}");
    }

    #[test]
    fn least_widths_wider_than_the_page_are_scaled_to_it() {
        let widths = column_widths(&[300.0, 300.0], &[150.0, 50.0], 100.0);
        assert!(close(&widths, &[75.0, 25.0]));
    }
}
