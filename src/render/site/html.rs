//! What the site reads back from the HTML it made: heading anchors and a table of contents,
//! and the plain text of a page for the search index.

use std::collections::HashSet;

use super::markdown::{self, Heading, slug};

/// Gives every `<h2>`/`<h3>` an id (from its `id`, else its text, unique on the page), adds a
/// self-link, and returns the table of contents.
pub fn anchor_headings(html: &str) -> (String, Vec<Heading>) {
    let mut out = String::with_capacity(html.len() + 256);
    let mut toc = Vec::new();
    let mut used = HashSet::new();
    let mut rest = html;
    while let Some(start) = find_heading(rest) {
        out.push_str(&rest[..start]);
        let level = rest.as_bytes()[start + 2] - b'0';
        let open_end = match rest[start..].find('>') {
            Some(e) => start + e + 1,
            None => break,
        };
        let close = format!("</h{level}>");
        let Some(close_at) = rest[open_end..].find(&close).map(|c| open_end + c) else {
            break;
        };
        let inner = &rest[open_end..close_at];
        let text = html_to_text(inner).trim().to_string();
        let given = rest[start..open_end]
            .split("id=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_string);
        let id = markdown::unique_id(&given.unwrap_or_else(|| slug(&text)), &mut used);
        out.push_str(&format!(
            "<h{level} id=\"{id}\">{inner}<a class=\"anchor\" href=\"#{id}\" aria-label=\"链接到本节：{}\">#</a>{close}",
            escape_attr(&text)
        ));
        toc.push(Heading { level, id, text });
        rest = &rest[close_at + close.len()..];
    }
    out.push_str(rest);
    (out, toc)
}

/// The first `<h2` or `<h3` in `html`.
fn find_heading(html: &str) -> Option<usize> {
    html.match_indices("<h")
        .map(|(at, _)| at)
        .find(|at| matches!(html.as_bytes().get(at + 2), Some(b'2' | b'3')))
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Tags that start a new line of text.
const BLOCKS: &[&str] = &[
    "p", "li", "tr", "h1", "h2", "h3", "h4", "br", "div", "section", "td", "th", "dt", "dd",
];

/// The text of HTML: tags dropped, blocks on their own lines, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let tag = &rest[open + 1..open + close];
        let name = tag
            .trim_start_matches('/')
            .split([' ', '>'])
            .next()
            .unwrap_or("");
        if BLOCKS.contains(&name) {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let decoded = markdown::decode_entities(&out);
    decoded
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_headings_and_builds_the_toc() {
        let (html, toc) =
            anchor_headings("<h2>立场</h2><p>x</p><h3 id=\"a\">A &amp; B</h3><h2>立场</h2>");
        assert_eq!(
            toc.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            ["立场", "a", "立场-2"]
        );
        assert!(
            html.starts_with("<h2 id=\"立场\">立场<a class=\"anchor\" href=\"#立场\""),
            "{html}"
        );
        assert_eq!(toc[1].text, "A & B");
    }

    #[test]
    fn html_text_has_one_block_per_line() {
        assert_eq!(
            html_to_text("<h2>标题</h2><ul><li>一 &lt;b&gt;</li><li>二</li></ul>"),
            "标题\n一 <b>\n二"
        );
    }
}
