//! Vendor Markdown (notes, answers) through the site's Markdown renderers: no panic, and the
//! output of `render_untrusted` carries no script, no event handler and no link other than
//! http, https and mailto.

#![no_main]

use std::collections::HashSet;

use dealbook::render::site::markdown::{plain_text, render_page, render_untrusted};
use libfuzzer_sys::fuzz_target;

/// The tags `render_untrusted` lets through (its allow-list in src/render/site/markdown.rs).
const ALLOWED_TAGS: &[&str] = &[
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "table", "thead", "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "input",
];

fuzz_target!(|data: &[u8]| {
    let markdown = String::from_utf8_lossy(data);
    let html = render_untrusted(&markdown);
    check_safe(&markdown, &html);
    let _ = plain_text(&markdown);
    let _ = render_page(&markdown, &mut HashSet::new());
});

fn check_safe(markdown: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    // html5ever escapes `<` everywhere (text and attribute values), and so does
    // pulldown-cmark in the text of Markdown that skips ammonia (no attribute there), so a
    // raw `<script` can only be a tag.
    assert!(
        !lower.contains("<script"),
        "script tag in output\ninput: {markdown:?}\noutput: {html}"
    );
    for tag in tags(html) {
        check_tag(&tag, markdown, html);
    }
}

/// One tag of the output: its name and attributes (values with entities decoded).
struct TagInfo {
    raw: String,
    name: String,
    attrs: Vec<(String, String)>,
}

/// Splits serialised HTML (html5ever's output, or pulldown-cmark's tags without attributes
/// when ammonia had nothing to clean: attribute values always double-quoted) into its tags. Quotes are honoured so that a `>` in a value cannot end a tag early.
fn tags(html: &str) -> Vec<TagInfo> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let mut quoted = false;
        while i < bytes.len() && (quoted || bytes[i] != b'>') {
            if bytes[i] == b'"' {
                quoted = !quoted;
            }
            i += 1;
        }
        let inner = &html[start + 1..i.min(html.len())];
        assert!(
            i < bytes.len(),
            "unterminated tag <{inner} in output:\n{html}"
        );
        i += 1;
        out.push(parse_tag(inner));
    }
    out
}

fn parse_tag(inner: &str) -> TagInfo {
    let body = inner.strip_prefix('/').unwrap_or(inner);
    let body = body.strip_suffix('/').unwrap_or(body);
    let name_end = body
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(body.len());
    let name = body[..name_end].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut rest = body[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = &rest[key_end..];
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix("=\"") {
            let end = after.find('"').unwrap_or(after.len());
            value = decode(&after[..end]);
            rest = after.get(end + 1..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix('=') {
            let end = after
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(after.len());
            value = decode(&after[..end]);
            rest = &after[end..];
        }
        attrs.push((key, value));
        rest = rest.trim_start();
    }
    TagInfo {
        raw: inner.to_string(),
        name,
        attrs,
    }
}

/// The entities html5ever writes in attribute values.
fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

fn check_tag(tag: &TagInfo, markdown: &str, html: &str) {
    let context = || format!("tag <{}>\ninput: {markdown:?}\noutput: {html}", tag.raw);
    assert!(
        ALLOWED_TAGS.contains(&tag.name.as_str()),
        "tag not in the allow-list: {}",
        context()
    );
    for (key, value) in &tag.attrs {
        assert!(!key.starts_with("on"), "event handler attribute: {}", context());
        assert!(key != "style", "style attribute: {}", context());
        if matches!(key.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href") {
            let url: String = value
                .chars()
                .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            let scheme_ok = ["http:", "https:", "mailto:"]
                .iter()
                .any(|s| url.starts_with(s));
            assert!(scheme_ok, "URL attribute with a disallowed scheme: {}", context());
        }
    }
}
