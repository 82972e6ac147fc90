//! Markdown to HTML. Framework pages are ours: headings get stable anchors. Vendor text
//! (notes, answers) is not: raw HTML becomes text, links keep only http, https and mailto, and
//! ammonia cleans the result before any template marks it safe.

use std::collections::{BTreeSet, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// A heading of a rendered page, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH
}

/// Raw HTML shown as the text it is.
fn html_as_text(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    }
}

/// A framework page: headings get ids (`used` keeps them unique across the page).
pub fn render_page(markdown: &str, used: &mut HashSet<String>) -> (String, Vec<Heading>) {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options())
        .map(html_as_text)
        .collect();
    let mut headings = Vec::new();
    let mut out_events = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) = &events[i]
        {
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let text: String = events[i + 1..end]
                .iter()
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let id = unique_id(&slug(&text), used);
            headings.push(Heading {
                level: heading_number(*level),
                id: id.clone(),
                text,
            });
            out_events.push(Event::Start(Tag::Heading {
                level: *level,
                id: Some(CowStr::from(id)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }));
            i += 1;
            continue;
        }
        out_events.push(events[i].clone());
        i += 1;
    }
    let mut out = String::new();
    html::push_html(&mut out, out_events.into_iter());
    (out, headings)
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A stable anchor for any heading, Chinese included: letters and digits of every script
/// kept (Latin lowercased), everything else a single `-`.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// `base`, or `base-2`, `base-3`… when taken.
pub fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Vendor Markdown as safe HTML: raw HTML as text, then ammonia with a small allow-list,
/// always (vendor text is never trusted to be harmless, however plain it looks).
pub fn render_untrusted(markdown: &str) -> String {
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    html::push_html(
        &mut html,
        Parser::new_ext(markdown, options()).map(html_as_text),
    );
    clean(&html)
}

fn clean(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// The sanitiser, set up once (building it is a third of its work on a short answer).
static SANITISER: std::sync::LazyLock<ammonia::Builder<'static>> = std::sync::LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "strong",
        "em",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "input",
    ]
    .into_iter()
    .collect();
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    let mut builder = ammonia::Builder::new();
    builder
        .tags(tags)
        .url_schemes(schemes)
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // A table column's alignment (`|--:|`), as pulldown-cmark writes it, and no other
        // style: the page aligns numbers as the PDF does.
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(|_, attribute, value| {
            let kept = attribute != "style" || TABLE_ALIGNMENTS.contains(&value);
            kept.then_some(value.into())
        });
    builder
});

/// The only styles vendor Markdown keeps: a table cell's alignment.
pub const TABLE_ALIGNMENTS: [&str; 3] = [
    "text-align: left",
    "text-align: center",
    "text-align: right",
];

/// Plain text of Markdown (for the search index): block texts separated by newlines.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableCell,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Every id attribute in an HTML text (for the link checker).
pub fn ids_in(html: &str) -> BTreeSet<String> {
    attribute_values(html, "id")
}

/// Values of `name="…"` attributes, looked for inside tags only (text may quote HTML).
pub fn attribute_values(html: &str, name: &str) -> BTreeSet<String> {
    attributes(html, &[name]).pop().unwrap_or_default()
}

/// The values of each of `names`, one set per name, in one pass over the tags.
pub fn attributes(html: &str, names: &[&str]) -> Vec<BTreeSet<String>> {
    let mut sets = vec![BTreeSet::new(); names.len()];
    for tag in tags(html) {
        for (space, _) in tag.match_indices(' ') {
            let rest = &tag[space + 1..];
            for (set, name) in sets.iter_mut().zip(names) {
                let value = rest
                    .strip_prefix(name)
                    .and_then(|r| r.strip_prefix("=\""))
                    .and_then(|v| v.split_once('"'));
                if let Some((value, _)) = value {
                    set.insert(decode_entities(value));
                }
            }
        }
    }
    sets
}

/// Every `<…>` of an HTML text: what lies between a `<` and the next `>`. Text and attribute
/// values never hold a raw `<` or `>` in what Tera, pulldown-cmark and ammonia write.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<')
        .skip(1)
        .filter_map(|s| s.split_once('>').map(|(tag, _)| tag))
}

/// The entities escaping writes in attribute values: Tera 2's and ammonia's, and Tera 1's
/// `&#x2F;` and `&#x27;`, which a theme's own escaping may still write. `&amp;` last, so an
/// escaped entity stays as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headings_get_stable_unique_ids() {
        let mut used = HashSet::new();
        let (html, headings) = render_page("### 4.1 立场\n\n## 立场\n\n## 立场\n", &mut used);
        assert_eq!(headings[0].id, "4-1-立场");
        assert_eq!(headings[1].id, "立场");
        assert_eq!(headings[2].id, "立场-2");
        assert!(html.contains("<h3 id=\"4-1-立场\">4.1 立场</h3>"), "{html}");
    }

    #[test]
    fn vendor_html_and_scripts_become_visible_text() {
        let html = render_untrusted(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [a](javascript:alert(3)) [b](data:text/html,x) [c](https://example.com)\n",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{html}"
        );
        assert!(!html.contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href=\"data"), "{html}");
        assert!(
            html.contains(
                "<a href=\"https://example.com\" rel=\"noopener noreferrer nofollow\">c</a>"
            ),
            "{html}"
        );
    }

    #[test]
    fn vendor_tables_keep_their_alignment_and_no_other_style() {
        let html = render_untrusted("| 甲 | 乙 | 丙 |\n|:-:|--:|---|\n| 1 | 2 | 3 |\n");
        assert!(
            html.contains("<th style=\"text-align: center\">甲</th>"),
            "{html}"
        );
        assert!(
            html.contains("<td style=\"text-align: right\">2</td>"),
            "{html}"
        );
        assert!(html.contains("<td>3</td>"), "{html}");
        // Raw HTML is text, whatever style it brings.
        let html =
            render_untrusted("<td style=\"background:url(x)\">x</td>\n\n| a |\n|---|\n| b |\n");
        assert!(!html.contains("<td style=\"background"), "{html}");
        assert!(html.contains("&lt;td style="), "{html}");
        // And the sanitiser keeps no other style, should one ever reach it.
        let cleaned = clean("<table><tr><td style=\"color: red\">x</td></tr></table>");
        assert!(cleaned.contains("<td>x</td>"), "{cleaned}");
    }

    #[test]
    fn plain_text_keeps_blocks_apart() {
        assert_eq!(
            plain_text("## 要点\n\n- 成本 **35%**\n- 延迟\n"),
            "要点\n成本 35%\n延迟\n"
        );
    }

    #[test]
    fn reads_attributes_inside_tags_only() {
        let html = "<a href=\"x.html\">1</a><a href=\"x.html\">2</a><a href=\"a&amp;b\" id=\"t\">\
                     <a href=\"立.html\"> href=\"text\" <a title=\"q\" href=\"y.html#z\">";
        let [href, id]: [BTreeSet<String>; 2] = attributes(html, &["href", "id"])
            .try_into()
            .expect("two sets");
        assert_eq!(
            href,
            BTreeSet::from(["x.html", "a&b", "立.html", "y.html#z"].map(String::from))
        );
        assert_eq!(id, BTreeSet::from(["t".to_string()]));
    }

    #[test]
    fn finds_attribute_values() {
        let ids = ids_in("<h2 id=\"a\">x</h2><p id=\"b-2\"> id=\"not-a-tag\"");
        assert_eq!(ids, BTreeSet::from(["a".to_string(), "b-2".to_string()]));
    }
}
