//! Markdown to HTML. Framework pages are ours: headings get stable anchors. Vendor text
//! (notes, answers) is not: raw HTML becomes text, links keep only http, https and mailto, and
//! ammonia cleans the result before any template marks it safe, unless the Markdown made only
//! escaped text and attribute-free allow-listed tags, which ammonia would give back unchanged.

use std::collections::{BTreeSet, HashSet};

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

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

/// Vendor Markdown as safe HTML: raw HTML as text, then ammonia with a small allow-list.
/// Markdown made only of text and tags that carry no attribute (most notes and answers) has
/// nothing for ammonia to remove: it is written as ammonia would write it back, without the
/// parse (a tenth of a report page's time when every page is made).
pub fn render_untrusted(markdown: &str) -> String {
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options())
        .map(html_as_text)
        .collect();
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    if events.iter().all(is_inert) {
        html::push_html(&mut html, events.into_iter());
        return as_ammonia_writes(html);
    }
    html::push_html(&mut html, events.into_iter());
    clean(&html)
}

/// An event that writes escaped text, or a tag of the sanitiser's allow-list with no attribute.
/// Links, images, code blocks, task boxes, aligned table cells and ordered lists not starting
/// at 1 are left to ammonia; so is text with a no-break space (ammonia writes it `&nbsp;`) or
/// a NUL (which it drops), and, should pulldown-cmark ever pass one on (it reads it as a line
/// end today), a carriage return (the HTML parser turns it into a line feed). So are HTML
/// blocks, though their lines are already text: their tags are not worth the case.
fn is_inert(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::BlockQuote(None)
            | Tag::List(None | Some(1))
            | Tag::Item
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough => true,
            Tag::Heading {
                id: None,
                classes,
                attrs,
                ..
            } => classes.is_empty() && attrs.is_empty(),
            Tag::Table(alignments) => alignments.iter().all(|a| *a == Alignment::None),
            _ => false,
        },
        // Every end closes a start that was looked at first.
        Event::End(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        Event::Text(text) | Event::Code(text) => !text.contains(['\u{a0}', '\r', '\0']),
        _ => false,
    }
}

/// The void elements as ammonia's serialiser writes them: `<br>`, not pulldown-cmark's
/// `<br />`. Text is escaped, so ` />` is only ever the end of these two tags.
fn as_ammonia_writes(html: String) -> String {
    if html.contains(" />") {
        html.replace("<br />", "<br>").replace("<hr />", "<hr>")
    } else {
        html
    }
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
        .add_tag_attributes("input", ["type", "checked", "disabled"]);
    builder
});

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
    attributes(html.as_bytes(), &[name])
        .pop()
        .unwrap_or_default()
}

/// The values of each of `names`, one set per name, in one pass over the tags (a page is
/// read once for its links and ids, thousands of times in a large build). Bytes, not text:
/// a page made is written as Tera wrote it, never checked whole for UTF-8; a value that is
/// not UTF-8 (Tera writes none) is read with replacement characters.
pub fn attributes(html: &[u8], names: &[&str]) -> Vec<BTreeSet<String>> {
    let mut sets = vec![BTreeSet::new(); names.len()];
    for tag in tags(html) {
        for space in (0..tag.len()).filter(|&i| tag[i] == b' ') {
            let rest = &tag[space + 1..];
            for (set, name) in sets.iter_mut().zip(names) {
                let Some(value) = rest
                    .strip_prefix(name.as_bytes())
                    .and_then(|r| r.strip_prefix(b"=\""))
                else {
                    continue;
                };
                if let Some(end) = memchr::memchr(b'"', value) {
                    insert_decoded(set, &String::from_utf8_lossy(&value[..end]));
                }
            }
        }
    }
    sets
}

/// Most values repeat on a page (the navigation, the style sheets) and hold no entity: those
/// are looked up before anything is allocated.
fn insert_decoded(set: &mut BTreeSet<String>, value: &str) {
    if value.contains('&') {
        set.insert(decode_entities(value));
    } else if !set.contains(value) {
        set.insert(value.to_string());
    }
}

/// Every `<…>` of an HTML text: what lies between a `<` and the next `>` with no other `<`
/// before it. Text and attribute values never hold a raw `<` or `>` in what Tera,
/// pulldown-cmark and ammonia write.
fn tags(html: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut open = memchr::memchr(b'<', html);
    std::iter::from_fn(move || {
        loop {
            let start = open? + 1;
            let Some(at) = memchr::memchr2(b'<', b'>', &html[start..]).map(|at| start + at) else {
                open = None;
                return None;
            };
            if html[at] == b'<' {
                open = Some(at);
                continue;
            }
            open = memchr::memchr(b'<', &html[at..]).map(|next| at + next);
            return Some(&html[start..at]);
        }
    })
}

/// The entities escaping writes in attribute values, in one pass: Tera 2's and ammonia's, and
/// Tera 1's `&#x2F;` and `&#x27;`, which a theme's own escaping may still write. Any other `&`
/// stays as it is.
pub fn decode_entities(text: &str) -> String {
    const ENTITIES: [(&str, char); 7] = [
        ("&#x2F;", '/'),
        ("&#x27;", '\''),
        ("&#39;", '\''),
        ("&quot;", '"'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            Some((entity, c)) => {
                out.push(*c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `decode_entities` did before it was one pass: a replacement per entity, `&amp;`
    /// last.
    fn decode_entities_in_turn(text: &str) -> String {
        text.replace("&#x2F;", "/")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }

    proptest::proptest! {
        #[test]
        fn entities_decode_in_one_pass_as_in_turn(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "&#x2F;", "&#x27;", "&#39;", "&quot;", "&lt;", "&gt;", "&amp;", "&", "amp;",
                    "lt;", "#x2F;", ";", "a", "立", "&#x2F", "&am", " ",
                ]),
                0..12,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(decode_entities(&text), decode_entities_in_turn(&text));
        }
    }

    /// What `render_untrusted` wrote before inert Markdown skipped the sanitiser.
    fn render_untrusted_through_ammonia(markdown: &str) -> String {
        let mut raw = String::new();
        html::push_html(
            &mut raw,
            Parser::new_ext(markdown, options()).map(html_as_text),
        );
        clean(&raw)
    }

    /// Every tag Markdown that skips ammonia may write.
    const BARE_TAGS: &[&str] = &[
        "p",
        "/p",
        "h1",
        "/h1",
        "h2",
        "/h2",
        "h3",
        "/h3",
        "h4",
        "/h4",
        "h5",
        "/h5",
        "h6",
        "/h6",
        "blockquote",
        "/blockquote",
        "ul",
        "/ul",
        "ol",
        "/ol",
        "li",
        "/li",
        "table",
        "/table",
        "thead",
        "/thead",
        "tbody",
        "/tbody",
        "tr",
        "/tr",
        "th",
        "/th",
        "td",
        "/td",
        "em",
        "/em",
        "strong",
        "/strong",
        "del",
        "/del",
        "code",
        "/code",
        "br",
        "hr",
    ];

    fn is_all_inert(markdown: &str) -> bool {
        Parser::new_ext(markdown, options())
            .map(html_as_text)
            .all(|e| is_inert(&e))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn untrusted_markdown_renders_as_ammonia_cleans_it(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "# ", "## ", "###### ", "- ", "* ", "+ ", "1. ", "2. ", "3) ", "> ", ">> ",
                    "**", "*", "_", "__", "~~", "~", "`", "``", "```", "    ", "\t", "---", "***",
                    "===", "| a | b |\n|---|---|\n| c | d |", "|:--|", "| x |", "|", "\n", "\n\n",
                    "  \n", "\\\n", "\\", "\\*", "<", ">", "&", "&amp;", "&nbsp;", "&#0;",
                    "&lt;", "\"", "'", "=", "[x] ", "[ ] ", "[", "]", "](", ")", "![", "http://a.b",
                    "javascript:x", "<b>", "</b>", "<p>", "<script>", "<!-- c -->", "<br/>",
                    "<https://x.y>", " ", "  ", "文字", "成本降低 35%", "a", "é", "\u{a0}", "\r",
                    "\r\n", "\0", "\u{1}", "\u{c}", "\u{b}", "\u{feff}", "\u{fffe}", "\u{1f600}",
                    "\u{2028}", "\u{85}",
                ]),
                0..24,
            )
        ) {
            let markdown = parts.concat();
            let html = render_untrusted(&markdown);
            proptest::prop_assert_eq!(
                &html,
                &render_untrusted_through_ammonia(&markdown),
                "markdown {:?}, inert: {}", markdown, is_all_inert(&markdown)
            );
            // Whatever ammonia's version does, what skipped it holds only bare tags.
            if is_all_inert(&markdown) {
                for tag in tags(html.as_bytes()) {
                    let tag = std::str::from_utf8(tag).unwrap_or("(not UTF-8)");
                    proptest::prop_assert!(BARE_TAGS.contains(&tag), "tag <{}> in {}", tag, html);
                }
            }
        }
    }

    #[test]
    fn meeting_notes_are_inert_and_links_are_not() {
        let notes = "## 要点\n\n对方称成本可降低 **45%**，*待确认*。\n\n1. 延迟\n2. SLA\n\n\
                     - 排他\n- ~~绑定~~\n\n> 待确认：`PoC`\n\n| 指标 | 试点 |\n|------|------|\n\
                     | 成本 | 降低 20% |\n\n---\n\n第一行  \n第二行\n";
        assert!(is_all_inert(notes));
        assert_eq!(
            render_untrusted(notes),
            render_untrusted_through_ammonia(notes)
        );
        for needs_cleaning in [
            "[a](https://example.com)",
            "![a](x.png)",
            "- [x] 完成",
            "```\ncode\n```",
            "3. 第三",
            "| a |\n|:-:|\n| b |",
            "a\u{a0}b",
        ] {
            assert!(!is_all_inert(needs_cleaning), "{needs_cleaning}");
        }
    }

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
    fn plain_text_keeps_blocks_apart() {
        assert_eq!(
            plain_text("## 要点\n\n- 成本 **35%**\n- 延迟\n"),
            "要点\n成本 35%\n延迟\n"
        );
    }

    /// How tags were found before the scan used `memchr`.
    fn tags_by_splitting(html: &str) -> Vec<&str> {
        html.split('<')
            .skip(1)
            .filter_map(|s| s.split_once('>').map(|(tag, _)| tag))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn tags_are_found_as_by_splitting(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "<a href=\"x\">", "</a>", "文字", " ", "id=\"y\"", "\"", "&amp;", "a",
                ]),
                0..16,
            )
        ) {
            let html = parts.concat();
            let found: Vec<&[u8]> = tags(html.as_bytes()).collect();
            let by_splitting: Vec<&[u8]> =
                tags_by_splitting(&html).into_iter().map(str::as_bytes).collect();
            proptest::prop_assert_eq!(found, by_splitting);
        }
    }

    #[test]
    fn reads_attributes_from_bytes() {
        let html = b"<a href=\"x.html\">1</a><a href=\"x.html\">2</a><a href=\"a&amp;b\" id=\"t\">\
                     <a href=\"\xff.html\"> href=\"text\" <a title=\"q\" href=\"y.html#z\">";
        let [href, id]: [BTreeSet<String>; 2] = attributes(html, &["href", "id"])
            .try_into()
            .expect("two sets");
        assert_eq!(
            href,
            BTreeSet::from(["x.html", "a&b", "\u{fffd}.html", "y.html#z"].map(String::from))
        );
        assert_eq!(id, BTreeSet::from(["t".to_string()]));
    }

    #[test]
    fn finds_attribute_values() {
        let ids = ids_in("<h2 id=\"a\">x</h2><p id=\"b-2\"> id=\"not-a-tag\"");
        assert_eq!(ids, BTreeSet::from(["a".to_string(), "b-2".to_string()]));
    }
}
