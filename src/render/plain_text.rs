//! Vendor Markdown (meeting notes) as plain text blocks for the PDF: structure kept (headings,
//! list items, table rows), every tag and raw HTML shown as the text it is, nothing live.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading,
    Paragraph,
    /// A list item with its marker ("•" or "1.") and nesting depth (0 = top).
    Item {
        marker: String,
        depth: usize,
    },
    Quote,
    Code,
    TableRow {
        header: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBlock {
    pub kind: BlockKind,
    pub text: String,
}

/// Splits Markdown into blocks of plain text. Raw HTML is kept as literal text.
pub fn markdown_to_blocks(markdown: &str) -> Vec<TextBlock> {
    let mut blocks = Vec::new();
    let mut current: Option<TextBlock> = None;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut in_quote = false;
    let mut in_table_head = false;
    let mut cells: Vec<String> = Vec::new();
    let flush = |current: &mut Option<TextBlock>, blocks: &mut Vec<TextBlock>| {
        if let Some(block) = current.take() {
            let text = block.text.trim().to_string();
            if !text.is_empty() {
                blocks.push(TextBlock { text, ..block });
            }
        }
    };
    for event in Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS,
    ) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, &mut blocks);
                current = Some(TextBlock {
                    kind: BlockKind::Heading,
                    text: String::new(),
                });
            }
            // A loose list item's first paragraph belongs to the item.
            Event::Start(Tag::Paragraph) if !is_fresh_item(current.as_ref()) => {
                flush(&mut current, &mut blocks);
                let kind = if in_quote {
                    BlockKind::Quote
                } else {
                    BlockKind::Paragraph
                };
                current = Some(TextBlock {
                    kind,
                    text: String::new(),
                });
            }
            Event::Start(Tag::CodeBlock(_)) => {
                flush(&mut current, &mut blocks);
                current = Some(TextBlock {
                    kind: BlockKind::Code,
                    text: String::new(),
                });
            }
            Event::Start(Tag::BlockQuote(_)) => in_quote = true,
            Event::End(TagEnd::BlockQuote(_)) => in_quote = false,
            Event::Start(Tag::List(start)) => {
                flush(&mut current, &mut blocks);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut blocks);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut blocks);
                let depth = lists.len().saturating_sub(1);
                let marker = match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_string(),
                };
                current = Some(TextBlock {
                    kind: BlockKind::Item { marker, depth },
                    text: String::new(),
                });
            }
            Event::TaskListMarker(done) => push(&mut current, if done { "[x] " } else { "[ ] " }),
            Event::Start(Tag::TableHead) => in_table_head = true,
            Event::End(TagEnd::TableHead) => {
                blocks.push(TextBlock {
                    kind: BlockKind::TableRow { header: true },
                    text: cells.join(" | "),
                });
                cells.clear();
                in_table_head = false;
            }
            Event::Start(Tag::TableCell) => cells.push(String::new()),
            Event::End(TagEnd::TableRow) if !in_table_head => {
                blocks.push(TextBlock {
                    kind: BlockKind::TableRow { header: false },
                    text: cells.join(" | "),
                });
                cells.clear();
            }
            Event::Text(t)
            | Event::Code(t)
            | Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => match cells.last_mut() {
                Some(cell) => cell.push_str(&t),
                None => push(&mut current, &t),
            },
            Event::SoftBreak => push(&mut current, ""),
            Event::HardBreak => push(&mut current, "\n"),
            Event::Rule => {
                flush(&mut current, &mut blocks);
                blocks.push(TextBlock {
                    kind: BlockKind::Paragraph,
                    text: "——".into(),
                });
            }
            Event::End(
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::Item,
            ) => {
                flush(&mut current, &mut blocks);
            }
            _ => {}
        }
    }
    flush(&mut current, &mut blocks);
    blocks
}

fn is_fresh_item(current: Option<&TextBlock>) -> bool {
    current.is_some_and(|b| matches!(b.kind, BlockKind::Item { .. }) && b.text.trim().is_empty())
}

fn push(current: &mut Option<TextBlock>, text: &str) {
    let block = current.get_or_insert_with(|| TextBlock {
        kind: BlockKind::Paragraph,
        text: String::new(),
    });
    block.text.push_str(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(markdown: &str) -> Vec<(BlockKind, String)> {
        markdown_to_blocks(markdown)
            .into_iter()
            .map(|b| (b.kind, b.text))
            .collect()
    }

    #[test]
    fn keeps_structure_as_plain_text() {
        let blocks = texts("## 要点\n\n- 成本 **35%**\n- 延迟\n\n1. 一\n2. 二\n");
        assert_eq!(blocks[0], (BlockKind::Heading, "要点".into()));
        assert_eq!(
            blocks[1],
            (
                BlockKind::Item {
                    marker: "•".into(),
                    depth: 0
                },
                "成本 35%".into()
            )
        );
        assert_eq!(
            blocks[3],
            (
                BlockKind::Item {
                    marker: "1.".into(),
                    depth: 0
                },
                "一".into()
            )
        );
        assert_eq!(blocks[4].1, "二");
    }

    #[test]
    fn shows_html_and_scripts_as_text() {
        let blocks =
            texts("<script>alert(1)</script>\n\n<b>原文：</b>独家 <img src=x onerror=alert(1)>\n");
        let all: String = blocks.iter().map(|b| b.1.clone()).collect();
        assert!(all.contains("<script>alert(1)</script>"), "{all}");
        assert!(all.contains("<img src=x onerror=alert(1)>"), "{all}");
    }

    #[test]
    fn tables_become_rows() {
        let blocks = texts("| 指标 | 试点 |\n|---|---|\n| 成本 | 降低 42% |\n");
        assert_eq!(
            blocks[0],
            (BlockKind::TableRow { header: true }, "指标 | 试点".into())
        );
        assert_eq!(
            blocks[1],
            (
                BlockKind::TableRow { header: false },
                "成本 | 降低 42%".into()
            )
        );
    }
}
