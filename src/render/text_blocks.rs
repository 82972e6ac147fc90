//! Markdown as blocks of styled text, for the report PDF (a vendor's notes and answers): the
//! structure kept (headings, list items, quotes, code, tables as tables), emphasis kept as
//! spans, and every tag and raw HTML shown as the text it is, nothing live.

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

pub use crate::render::pdf::rich::Align;

/// How a span of text is marked up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Emphasis {
    pub strong: bool,
    pub em: bool,
    pub strike: bool,
    pub code: bool,
}

/// A run of text with one emphasis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub emphasis: Emphasis,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    /// A list item with its marker ("•" or "1."; empty for the item's second paragraph) and
    /// nesting depth (0 = top).
    Item {
        marker: String,
        depth: usize,
    },
    Quote,
    Code,
}

/// A table: a cell is its spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub align: Vec<Align>,
    pub head: Vec<Vec<Span>>,
    pub rows: Vec<Vec<Vec<Span>>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Text { kind: BlockKind, spans: Vec<Span> },
    Table(Table),
}

impl Block {
    /// The plain text of each part: the block's, or each cell's of a table.
    pub fn texts(&self) -> Vec<String> {
        match self {
            Block::Text { spans, .. } => vec![plain(spans)],
            Block::Table(table) => std::iter::once(&table.head)
                .chain(&table.rows)
                .flatten()
                .map(|cell| plain(cell))
                .collect(),
        }
    }
}

/// The text of spans, without their emphasis.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Link targets worth printing after the link's text: the ones the HTML keeps live.
const PRINTED_SCHEMES: [&str; 3] = ["http:", "https:", "mailto:"];

/// Splits Markdown into blocks. Raw HTML is kept as literal text.
pub fn markdown_to_blocks(markdown: &str) -> Vec<Block> {
    let mut b = Builder::default();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        b.event(event);
    }
    b.flush();
    b.blocks
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    /// The text block being written, if any.
    current: Option<(BlockKind, Vec<Span>)>,
    /// How deep in each emphasis the text is (`*a _b_ c*` is slanted to its end).
    strong: u8,
    em: u8,
    strike: u8,
    /// Open lists: the next number of an ordered one.
    lists: Vec<Option<u64>>,
    quotes: u8,
    table: Option<Table>,
    row: Vec<Vec<Span>>,
    cell: Option<Vec<Span>>,
    /// Open links: the target, and how much text the link's place held when it opened.
    links: Vec<(String, usize)>,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => self.push_text(&t),
            Event::Code(t) => self.push(
                &t,
                Emphasis {
                    code: true,
                    ..self.emphasis()
                },
            ),
            Event::TaskListMarker(done) => {
                self.push(if done { "[x] " } else { "[ ] " }, Emphasis::default())
            }
            // A line break in the source joins Chinese directly, other words with a space.
            Event::SoftBreak if !self.last_char().is_some_and(is_cjk) => {
                self.push(" ", self.emphasis())
            }
            Event::HardBreak => self.push("\n", self.emphasis()),
            Event::Rule => {
                self.flush();
                self.open(BlockKind::Paragraph);
                self.push("——", Emphasis::default());
                self.flush();
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { .. } => self.open(BlockKind::Heading),
            // A list item's first paragraph belongs to the item; its next ones keep its indent.
            Tag::Paragraph if !self.in_fresh_item() && self.cell.is_none() => {
                let kind = if self.quotes > 0 {
                    BlockKind::Quote
                } else if !self.lists.is_empty() {
                    BlockKind::Item {
                        marker: String::new(),
                        depth: self.lists.len() - 1,
                    }
                } else {
                    BlockKind::Paragraph
                };
                self.open(kind)
            }
            Tag::CodeBlock(_) => self.open(BlockKind::Code),
            Tag::BlockQuote(_) => self.quotes += 1,
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                self.open(BlockKind::Item { marker, depth });
            }
            Tag::Strong => self.strong += 1,
            Tag::Emphasis => self.em += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => {
                let so_far = plain(self.target()).len();
                self.links.push((dest_url.to_string(), so_far));
            }
            Tag::Table(align) => {
                self.flush();
                self.table = Some(Table {
                    align: align.iter().map(|a| Align::from(*a)).collect(),
                    head: Vec::new(),
                    rows: Vec::new(),
                });
            }
            Tag::TableHead | Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.cell = Some(Vec::new()),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::Item
                if self.cell.is_none() =>
            {
                self.flush()
            }
            TagEnd::BlockQuote(_) => self.quotes = self.quotes.saturating_sub(1),
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Emphasis => self.em = self.em.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::TableCell => {
                let cell = self.cell.take().unwrap_or_default();
                self.row.push(trimmed(cell));
            }
            TagEnd::TableHead => {
                if let Some(table) = self.table.as_mut() {
                    table.head = std::mem::take(&mut self.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(table) = self.table.as_mut() {
                    table.rows.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.blocks.push(Block::Table(table));
                }
            }
            _ => {}
        }
    }

    /// A printed page cannot be clicked: a link's target follows its text, unless the text
    /// already is the target (`<https://example.com>`). Targets the HTML drops are left out.
    fn end_link(&mut self) {
        let Some((url, from)) = self.links.pop() else {
            return;
        };
        let so_far = plain(self.target());
        let text = so_far.get(from..).unwrap_or_default();
        let printed = PRINTED_SCHEMES.iter().any(|s| {
            url.get(..s.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(s))
        });
        if printed && text.trim() != url && text.trim() != url.trim_start_matches("mailto:") {
            self.push(&format!("（{url}）"), Emphasis::default());
        }
    }

    fn open(&mut self, kind: BlockKind) {
        self.flush();
        self.current = Some((kind, Vec::new()));
    }

    fn flush(&mut self) {
        if let Some((kind, spans)) = self.current.take() {
            // A code block keeps the indentation of its first line.
            let spans = if kind == BlockKind::Code {
                trimmed_end(spans)
            } else {
                trimmed(spans)
            };
            if !spans.is_empty() {
                self.blocks.push(Block::Text { kind, spans });
            }
        }
    }

    fn in_fresh_item(&self) -> bool {
        self.current.as_ref().is_some_and(|(kind, spans)| {
            matches!(kind, BlockKind::Item { .. }) && plain(spans).trim().is_empty()
        })
    }

    /// Where text goes now: the table cell being read, else the current block (a paragraph
    /// when text comes with no block open).
    fn target(&mut self) -> &mut Vec<Span> {
        match &mut self.cell {
            Some(cell) => cell,
            None => {
                &mut self
                    .current
                    .get_or_insert_with(|| (BlockKind::Paragraph, Vec::new()))
                    .1
            }
        }
    }

    fn last_char(&self) -> Option<char> {
        let spans = match (&self.cell, &self.current) {
            (Some(cell), _) => cell,
            (None, Some((_, spans))) => spans,
            (None, None) => return None,
        };
        spans.last().and_then(|s| s.text.chars().last())
    }

    fn emphasis(&self) -> Emphasis {
        Emphasis {
            strong: self.strong > 0,
            em: self.em > 0,
            strike: self.strike > 0,
            code: false,
        }
    }

    /// Text in the current emphasis. In a code block a tab is four spaces: the fonts have no
    /// glyph for a tab, and code's indentation matters.
    fn push_text(&mut self, text: &str) {
        let in_code = matches!(self.current, Some((BlockKind::Code, _)));
        if in_code && text.contains('\t') {
            self.push(&text.replace('\t', "    "), self.emphasis());
        } else {
            self.push(text, self.emphasis());
        }
    }

    fn push(&mut self, text: &str, emphasis: Emphasis) {
        let spans = self.target();
        match spans.last_mut() {
            Some(last) if last.emphasis == emphasis => last.text.push_str(text),
            _ => spans.push(Span {
                text: text.to_string(),
                emphasis,
            }),
        }
    }
}

impl From<Alignment> for Align {
    fn from(a: Alignment) -> Self {
        match a {
            Alignment::Center => Align::Center,
            Alignment::Right => Align::Right,
            Alignment::None | Alignment::Left => Align::Left,
        }
    }
}

/// Whether a line break after `c` joins the next line directly, as Chinese and Japanese do.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{9fff}'
            | '\u{f900}'..='\u{faff}'
            | '\u{fe30}'..='\u{fe4f}'
            | '\u{ff00}'..='\u{ffef}'
            | '\u{20000}'..='\u{3134f}')
}

/// Spans without the blank at their end, and without empty spans.
fn trimmed_end(mut spans: Vec<Span>) -> Vec<Span> {
    while let Some(last) = spans.last_mut() {
        last.text.truncate(last.text.trim_end().len());
        if !last.text.is_empty() {
            break;
        }
        spans.pop();
    }
    spans.retain(|s| !s.text.is_empty());
    spans
}

/// Spans without the blank at their start and end, and without empty spans.
fn trimmed(spans: Vec<Span>) -> Vec<Span> {
    let mut spans = trimmed_end(spans);
    while let Some(first) = spans.first_mut() {
        let blank = first.text.len() - first.text.trim_start().len();
        first.text.drain(..blank);
        if !first.text.is_empty() {
            break;
        }
        spans.remove(0);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, emphasis: Emphasis) -> Span {
        Span {
            text: text.into(),
            emphasis,
        }
    }

    const STRONG: Emphasis = Emphasis {
        strong: true,
        em: false,
        strike: false,
        code: false,
    };

    fn plain_blocks(markdown: &str) -> Vec<String> {
        markdown_to_blocks(markdown)
            .iter()
            .flat_map(Block::texts)
            .collect()
    }

    #[test]
    fn keeps_structure() {
        let blocks = markdown_to_blocks("## 要点\n\n- 成本 **35%**\n- 延迟\n\n1. 一\n2. 二\n");
        assert_eq!(
            blocks[0],
            Block::Text {
                kind: BlockKind::Heading,
                spans: vec![span("要点", Emphasis::default())]
            }
        );
        assert_eq!(
            blocks[1],
            Block::Text {
                kind: BlockKind::Item {
                    marker: "•".into(),
                    depth: 0
                },
                spans: vec![span("成本 ", Emphasis::default()), span("35%", STRONG)]
            }
        );
        let Block::Text { kind, .. } = &blocks[3] else {
            panic!("{blocks:?}")
        };
        assert_eq!(
            kind,
            &BlockKind::Item {
                marker: "1.".into(),
                depth: 0
            }
        );
        assert_eq!(plain_blocks("1. 一\n2. 二\n")[1], "二");
    }

    #[test]
    fn keeps_each_emphasis_and_their_nesting() {
        let blocks = markdown_to_blocks("甲 *乙 **丙*** ~~丁~~ `戊` ***己***");
        let Block::Text { spans, .. } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let em = Emphasis {
            em: true,
            ..Emphasis::default()
        };
        let both = Emphasis {
            strong: true,
            em: true,
            ..Emphasis::default()
        };
        let strike = Emphasis {
            strike: true,
            ..Emphasis::default()
        };
        let code = Emphasis {
            code: true,
            ..Emphasis::default()
        };
        let plainly = Emphasis::default();
        assert_eq!(
            spans,
            &vec![
                span("甲 ", plainly),
                span("乙 ", em),
                span("丙", both),
                span(" ", plainly),
                span("丁", strike),
                span(" ", plainly),
                span("戊", code),
                span(" ", plainly),
                span("己", both),
            ]
        );
    }

    #[test]
    fn shows_html_and_scripts_as_text() {
        let all = plain_blocks(
            "<script>alert(1)</script>\n\n<b>原文：</b>独家 <img src=x onerror=alert(1)>\n",
        )
        .concat();
        assert!(all.contains("<script>alert(1)</script>"), "{all}");
        assert!(all.contains("<b>原文：</b>独家"), "{all}");
        assert!(all.contains("<img src=x onerror=alert(1)>"), "{all}");
    }

    #[test]
    fn tables_keep_their_cells_emphasis_and_alignment() {
        let blocks = markdown_to_blocks(
            "| 指标 | 试点 |\n|---|--:|\n| 成本 | 降低 **42%** |\n| 延迟 |  |\n",
        );
        let [Block::Table(table)] = blocks.as_slice() else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.align, [Align::Left, Align::Right]);
        assert_eq!(
            table.head.iter().map(|c| plain(c)).collect::<Vec<_>>(),
            ["指标", "试点"]
        );
        assert_eq!(
            table.rows[0][1],
            vec![span("降低 ", Emphasis::default()), span("42%", STRONG)]
        );
        assert_eq!(table.rows[1][1], Vec::<Span>::new());
        assert_eq!(table.rows.len(), 2);
    }

    #[test]
    fn a_printed_link_gives_its_target_unless_the_text_is_the_target() {
        let texts = plain_blocks(
            "[报价单](https://example.com/p) <https://example.com> \
             [点我](javascript:alert(1)) <mailto:a@example.com> [邮件](MAILTO:a@example.com)",
        );
        assert_eq!(
            texts,
            ["报价单（https://example.com/p） https://example.com 点我 \
              mailto:a@example.com 邮件（MAILTO:a@example.com）"]
        );
    }

    #[test]
    fn a_soft_break_spaces_latin_words_and_joins_chinese() {
        assert_eq!(
            plain_blocks("成本\n降低 PoC\nplan café\nnext"),
            ["成本降低 PoC plan café next"]
        );
    }

    #[test]
    fn emphasis_inside_the_same_emphasis_lasts_to_the_outer_end() {
        for markdown in ["*甲 _乙_ 丙*", "**甲 __乙__ 丙**"] {
            let blocks = markdown_to_blocks(markdown);
            let Block::Text { spans, .. } = &blocks[0] else {
                panic!("{blocks:?}")
            };
            assert_eq!(spans.len(), 1, "{markdown}: {spans:?}");
            assert!(
                spans[0].emphasis.em || spans[0].emphasis.strong,
                "{spans:?}"
            );
        }
    }

    #[test]
    fn a_code_block_keeps_its_indentation_and_its_tabs_as_spaces() {
        let blocks = markdown_to_blocks("```\n    indented\n\tx\ty\n```\n");
        assert_eq!(
            blocks,
            [Block::Text {
                kind: BlockKind::Code,
                spans: vec![span("    indented\n    x    y", Emphasis::default())]
            }]
        );
    }

    #[test]
    fn an_items_second_paragraph_keeps_its_indent_and_a_nested_quote_stays_a_quote() {
        let kinds: Vec<BlockKind> =
            markdown_to_blocks("- 甲\n\n  乙\n\n> 丙\n>\n> > 丁\n>\n> 戊\n")
                .into_iter()
                .map(|b| match b {
                    Block::Text { kind, .. } => kind,
                    Block::Table(_) => panic!("no table here"),
                })
                .collect();
        let item = |marker: &str| BlockKind::Item {
            marker: marker.into(),
            depth: 0,
        };
        assert_eq!(
            kinds,
            [
                item("•"),
                item(""),
                BlockKind::Quote,
                BlockKind::Quote,
                BlockKind::Quote
            ]
        );
    }

    #[test]
    fn empty_blocks_and_edges_are_dropped() {
        assert_eq!(plain_blocks("- \n-  \n\n ` a ` "), ["a"]);
        assert!(markdown_to_blocks("").is_empty());
    }
}
