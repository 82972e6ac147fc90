//! Checks every internal link of the generated site: the page or file exists, and the anchor
//! exists in it. External links (http, https, mailto) are left alone.

use std::collections::{BTreeMap, BTreeSet};

use super::markdown::attributes;

/// A broken link: the page it is on and the link as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub page: String,
    pub link: String,
}

/// What the check needs of a page, taken as it is written so its HTML need not be kept:
/// the ids it holds and its internal links.
#[derive(Debug, Clone, Default)]
pub struct PageLinks {
    pub ids: BTreeSet<String>,
    pub links: BTreeSet<String>,
}

impl PageLinks {
    pub fn of(html: &str) -> PageLinks {
        let [href, src, ids]: [BTreeSet<String>; 3] = attributes(html, &["href", "src", "id"])
            .try_into()
            .unwrap_or_default();
        let links = href
            .into_iter()
            .chain(src)
            .filter(|link| !is_external(link))
            .collect();
        PageLinks { ids, links }
    }
}

/// `files`: every output path (relative, `/`-separated); `pages`: the links of each page.
/// Broken links come in page order, then link order.
pub fn check_links(
    files: &BTreeSet<String>,
    pages: &BTreeMap<&str, &PageLinks>,
) -> Vec<BrokenLink> {
    pages
        .iter()
        .flat_map(|(page, summary)| {
            summary
                .links
                .iter()
                .filter(|link| !leads_somewhere(files, pages, page, link))
                .map(|link| BrokenLink {
                    page: page.to_string(),
                    link: link.clone(),
                })
        })
        .collect()
}

/// Whether `link` on `page` leads to a file of the site, and to an element of it when it
/// names one.
fn leads_somewhere(
    files: &BTreeSet<String>,
    pages: &BTreeMap<&str, &PageLinks>,
    page: &str,
    link: &str,
) -> bool {
    let (path, anchor) = link
        .split_once('#')
        .map_or((link, None), |(p, a)| (p, Some(a)));
    let target = if path.is_empty() {
        Some(page.to_string())
    } else {
        resolve(page, path)
    };
    let Some(target) = target else {
        return false;
    };
    let anchor_ok = match anchor {
        None | Some("") => true,
        Some(a) => pages
            .get(target.as_str())
            .is_some_and(|p| p.ids.contains(&decode(a))),
    };
    files.contains(&target) && anchor_ok
}

fn is_external(link: &str) -> bool {
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| link.starts_with(p))
}

/// `reports/a.html` + `../index.html` → `index.html`; None when it leaves the site or is absolute.
fn resolve(page: &str, link: &str) -> Option<String> {
    if link.starts_with('/') || link.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Percent-decoding for anchors (browsers decode `#%E7%AB%8B` to `#立`).
pub fn decode(anchor: &str) -> String {
    let bytes = anchor.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| {
                anchor
                    .get(i + 1..i + 3)
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            })
            .flatten();
        if let Some(b) = escaped {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_broken_pages_files_and_anchors() {
        let files: BTreeSet<String> =
            ["index.html", "reports/a.html", "reports/a.pdf", "style.css"]
                .map(String::from)
                .into();
        let pages: BTreeMap<String, PageLinks> = [
            ("index.html".to_string(), r#"<a href="reports/a.html#x">r</a><a href="missing.html">m</a><h2 id="top"></h2>"#.to_string()),
            (
                "reports/a.html".to_string(),
                r#"<p id="x"></p><a href="../index.html#top">i</a><a href="a.pdf">p</a><a href="../index.html#nope">n</a><link href="../style.css"><a href="https://x.org">e</a><a href="../../up.html">u</a>"#.to_string(),
            ),
        ]
        .map(|(path, html)| (path, PageLinks::of(&html)))
        .into();
        let broken: Vec<String> = check_links(&files, &borrowed(&pages))
            .into_iter()
            .map(|b| format!("{} → {}", b.page, b.link))
            .collect();
        assert_eq!(
            broken,
            [
                "index.html → missing.html",
                "reports/a.html → ../../up.html",
                "reports/a.html → ../index.html#nope"
            ]
        );
    }

    fn borrowed(pages: &BTreeMap<String, PageLinks>) -> BTreeMap<&str, &PageLinks> {
        pages.iter().map(|(p, l)| (p.as_str(), l)).collect()
    }

    #[test]
    fn anchors_on_the_same_page_are_looked_for_on_each_page() {
        // "#mine" is on the page itself, which only every other page has.
        let names: Vec<String> = (0..400).map(|i| format!("r/p{i:03}.html")).collect();
        let mut files: BTreeSet<String> = names.iter().cloned().collect();
        files.insert("index.html".into());
        let mut pages: BTreeMap<String, PageLinks> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let mine = if i % 2 == 1 { r#"<p id="mine"></p>"# } else { "" };
                let html = format!(
                    r##"{mine}<a href="#mine">m</a><a href="../index.html#top">i</a><a href="../gone.html">g</a><a href="">s</a>"##
                );
                (name.clone(), PageLinks::of(&html))
            })
            .collect();
        pages.insert("index.html".into(), PageLinks::of(r#"<h2 id="top"></h2>"#));
        let found: Vec<(String, String)> = check_links(&files, &borrowed(&pages))
            .into_iter()
            .map(|b| (b.page, b.link))
            .collect();
        let mut expected = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if i % 2 == 0 {
                expected.push((name.clone(), "#mine".to_string()));
            }
            expected.push((name.clone(), "../gone.html".to_string()));
        }
        assert_eq!(found, expected);
    }

    #[test]
    fn broken_links_come_in_page_order() {
        let files: BTreeSet<String> = (0..600).map(|i| format!("p{i:03}.html")).collect();
        let pages: BTreeMap<String, PageLinks> = files
            .iter()
            .map(|page| {
                let html = format!(
                    r#"<a href="gone-{page}">a</a><a href="{page}#nowhere">b</a><a href="p000.html">c</a>"#
                );
                (page.clone(), PageLinks::of(&html))
            })
            .collect();
        let found: Vec<(String, String)> = check_links(&files, &borrowed(&pages))
            .into_iter()
            .map(|b| (b.page, b.link))
            .collect();
        let mut expected = Vec::new();
        for (page, summary) in &pages {
            for link in summary.links.iter() {
                if link.starts_with("gone-") || link.ends_with("#nowhere") {
                    expected.push((page.clone(), link.to_string()));
                }
            }
        }
        assert_eq!(expected.len(), 1200);
        assert_eq!(found, expected);
    }

    #[test]
    fn decodes_percent_encoded_anchors() {
        assert_eq!(decode("%E7%AB%8B%E5%9C%BA"), "立场");
    }
}
