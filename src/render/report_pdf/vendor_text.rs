//! A vendor's Markdown (the notes, each answer) in the report PDF, as the page shows it:
//! emphasis, lists, quotes, code and tables drawn as such; raw HTML as the text it is.

use super::markdown_table::markdown_table;
use super::*;
use crate::render::pdf::rich::{Align, Look, RichText};
use crate::render::text_blocks::{self, Block, BlockKind, Span};

const QUOTE: Style = Style::new(9.5, false, palette::MUTED);
const CODE: Style = Style::new(8.5, false, palette::INK);

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
        // A hanging indent, the same for every item of a list: the marker ends just before
        // the text, and a long one ("100.") reaches into the margin, as in a browser.
        BlockKind::Item { marker, depth } => (
            *depth as f32 * 4.0 + 6.0,
            Some(marker).filter(|m| !m.is_empty()),
        ),
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
            paints.insert(
                0,
                Paint::Text {
                    x: x - measure.measure(marker, &base) - 1.5,
                    baseline: base.baseline(),
                    text: marker.clone(),
                    style: base,
                },
            );
        }
        flow.place(paints, height);
    }
}

/// Spans in the looks of their emphasis, on `base`.
pub(super) fn rich(spans: &[Span], base: Style) -> RichText {
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

    /// Pieces of the Markdown vendors write, good and bad.
    fn fragment() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let fixed = prop::sample::select(vec![
            "\n\n",
            "\n",
            "**粗体**",
            "*斜体*",
            "~~删除~~",
            "`代码`",
            "# 标题\n",
            "- 项目\n",
            "  - 子项\n",
            "1. 一\n",
            "> 引用\n",
            "```\n\tcode\n```\n",
            "\n| 甲 | 乙 |\n|---|--:|\n| 丙 | 丁 |\n",
            "| 长 |\n",
            "[链接](https://example.com/a-very-long-address-that-does-not-break)",
            "<b>标签</b>",
            "\u{a0}",
            "\t",
            "——",
        ]);
        prop_oneof![
            3 => fixed.prop_map(str::to_string),
            1 => "[成本延迟合作a-z0-9 ，。（）]{0,12}",
            1 => "[成本a-z]{40,400}",
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever a vendor writes is drawn within the page, and every character of the text
        /// read from its Markdown is drawn.
        #[test]
        fn any_notes_stay_on_the_page_and_lose_no_character(
            parts in proptest::collection::vec(fragment(), 1..24)
        ) {
            let markdown = parts.concat();
            let fonts = Fonts::load(&FontChoice::Builtin).unwrap();
            let measure = Canvas::new(&fonts);
            let mut flow = Flow::new(TOP, BOTTOM);
            vendor_markdown(&mut flow, &measure, &markdown, 4.0);
            let mut drawn: Vec<char> = Vec::new();
            for page in &flow.pages {
                for paint in page {
                    if let Paint::Text { x, baseline, text, style } = paint {
                        proptest::prop_assert!(*baseline <= BOTTOM + 0.01, "{text} at {baseline}");
                        let right = x + measure.measure(text, style);
                        proptest::prop_assert!(*x >= LEFT - 8.0, "{text} at x {x}");
                        proptest::prop_assert!(right <= LEFT + WIDTH + 0.01, "{text} to {right}");
                        drawn.extend(text.chars().filter(|c| !c.is_whitespace()));
                    }
                }
            }
            let mut written: Vec<char> = text_blocks::markdown_to_blocks(&markdown)
                .iter()
                .flat_map(Block::texts)
                .flat_map(|t| t.chars().collect::<Vec<_>>())
                .filter(|c| !c.is_whitespace())
                .collect();
            written.sort_unstable();
            drawn.sort_unstable();
            // Every written character is drawn (headers repeated on a new page, and list
            // markers, are drawn as well).
            let mut extra = drawn.into_iter().peekable();
            for c in written {
                while extra.peek().is_some_and(|d| *d < c) {
                    extra.next();
                }
                proptest::prop_assert_eq!(extra.next(), Some(c), "{:?} lost from {:?}", c, markdown);
            }
        }
    }
}
