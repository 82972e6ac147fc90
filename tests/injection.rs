//! Injection-proof rendering, by property: random strings built from HTML and Markdown
//! fragments are put in every free-text field of a proposal (vendor, title, attendees, notes,
//! answers). The report page, parsed as a browser parses it, must hold no element, attribute or
//! URL that the template itself did not create (the sanitised Markdown of notes and answers may
//! add only its own inert tags), and the PDF must show the text as text.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::cases;
use proptest::prelude::*;
use scraper::Html;

use dealbook::content::{Content, ContentDir, load_content};
use dealbook::judge::judge;
use dealbook::model::proposal::Proposal;
use dealbook::model::proposal_load::parse_proposal;
use dealbook::render::pdf::fonts::{FontChoice, Fonts};
use dealbook::render::report::{Meeting, Provenance, ReportInput, build_date};
use dealbook::render::report_pdf::render_report_pdf;
use dealbook::render::site::Site;
use dealbook::render::site::config::{SiteConfig, load_site_config};
use dealbook::render::site::markdown::TABLE_ALIGNMENTS;
use dealbook::render::site::theme::{Theme, load_theme};
use dealbook::render::text_blocks::markdown_to_blocks;

/// What every case shares: loaded once.
struct World {
    content: Content,
    config: SiteConfig,
    theme: Theme,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = ContentDir::new(common::repo().join("content"));
        World {
            content: load_content(&dir).expect("the shipped content loads"),
            config: load_site_config(&dir.root.join("site.yaml")).expect("site.yaml loads"),
            theme: load_theme(&common::repo().join("themes/default")).expect("the theme loads"),
        }
    })
}

/// The free-text fields of one proposal.
#[derive(Debug, Clone)]
struct Texts {
    vendor: String,
    title: String,
    attendee: String,
    notes: String,
    answer: String,
}

impl Texts {
    fn benign() -> Texts {
        let text = "甲".to_string();
        Texts {
            vendor: text.clone(),
            title: text.clone(),
            attendee: text.clone(),
            notes: text.clone(),
            answer: text,
        }
    }

    /// A proposal file holding the texts (as YAML double-quoted strings).
    fn yaml(&self) -> String {
        let q = |s: &str| serde_json::to_string(s).unwrap();
        format!(
            "vendor: {}\ntitle: {}\nmeeting:\n  date: 2026-03-18\n  phase: pilot\n  attendees: [{}]\n  notes: {}\ndirections: [compute]\nanswers:\n  cost.advantage: {}\n  tech.latency: {}\n",
            q(&self.vendor),
            q(&self.title),
            q(&self.attendee),
            q(&self.notes),
            q(&self.answer),
            q(&self.notes),
        )
    }

    fn proposal(&self) -> Option<Proposal> {
        let framework = &world().content.framework;
        parse_proposal(Path::new("p.yaml"), &self.yaml(), framework).ok()
    }
}

/// The report page of one proposal, rendered the way `build` renders it.
fn report_html(proposal: &Proposal) -> String {
    let w = world();
    let date = build_date(&w.content.framework, &[proposal]);
    let provenance = Provenance::new(b"framework", b"proposal", date);
    let meeting = Meeting {
        name: "p".into(),
        path: Path::new("p.yaml"),
        proposal,
        digest: [0; 32],
        provenance,
    };
    let site = Site::new(&w.content, &w.config, &w.theme, "cheat-card.pdf");
    // The vendor's name is filled into the framework's texts (`{vendor}`): inert there too.
    let framework = w.content.framework.for_vendor(&proposal.vendor.value);
    let judgement = judge(&framework, proposal);
    let page = site
        .report_page(&meeting, &framework, &judgement, None)
        .expect("the report page renders");
    page.html
}

/// Tags the sanitised Markdown of notes and answers may create (and nothing else may).
const MARKDOWN_TAGS: &[&str] = &[
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
];

/// Attributes that sanitised Markdown may put on its tags.
const MARKDOWN_ATTRIBUTES: &[&str] = &[
    "href", "rel", "title", "lang", "type", "checked", "disabled",
];

/// What a parsed page is made of.
#[derive(Debug, Default)]
struct Anatomy {
    /// Elements per tag.
    tags: BTreeMap<String, usize>,
    /// Attribute names per tag.
    attributes: BTreeMap<String, BTreeSet<String>>,
    /// Every value of a URL attribute.
    urls: BTreeSet<String>,
    /// Every value of a style attribute.
    styles: BTreeSet<String>,
    /// The document's text, whitespace collapsed.
    text: String,
}

fn anatomy(html: &str) -> Anatomy {
    let document = Html::parse_document(html);
    let mut out = Anatomy::default();
    for node in document.tree.nodes() {
        let Some(element) = node.value().as_element() else {
            continue;
        };
        let tag = element.name().to_string();
        *out.tags.entry(tag.clone()).or_default() += 1;
        for (name, value) in element.attrs() {
            out.attributes
                .entry(tag.clone())
                .or_default()
                .insert(name.to_string());
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "srcset",
            ]
            .contains(&name)
            {
                out.urls.insert(value.to_string());
            }
            if name == "style" {
                out.styles.insert(value.to_string());
            }
        }
    }
    out.text = collapse(&document.root_element().text().collect::<String>());
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn baseline() -> &'static Anatomy {
    static BASELINE: OnceLock<Anatomy> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let proposal = Texts::benign()
            .proposal()
            .expect("the benign proposal loads");
        anatomy(&report_html(&proposal))
    })
}

/// Fragments an attacker, or a careless copy and paste, brings.
fn fragment() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "<script>alert(1)</script>",
        "<script src=//evil.example/x.js>",
        "<scr<script>ipt>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<div onclick=\"alert(1)\" style=\"position:fixed\">",
        "<a href=\"javascript:alert(1)\">点我</a>",
        "[点我](javascript:alert(1))",
        "[点我](JaVaScRiPt:alert(1))",
        "[点我](java&#x09;script:alert(1))",
        "[图](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![图](data:image/svg+xml,<svg onload=alert(1)>)",
        "<iframe src=\"https://evil.example\"></iframe>",
        "<form action=\"https://evil.example\"><input name=x>",
        "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
        "<style>body{display:none}</style>",
        "<link rel=stylesheet href=//evil.example/x.css>",
        "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
        "<base href=\"https://evil.example/\">",
        "<object data=x></object><embed src=x>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<",
        ">",
        "\"",
        "'",
        "`",
        "&",
        "&lt;script&gt;",
        "&#60;script&#62;",
        "&#x3C;img src=x onerror=alert(1)&#x3E;",
        "&amp;",
        "{{ config }}",
        "{% raw %}",
        "**粗体**",
        "*斜体*",
        "`代码`",
        "\n\n",
        "\n- [ ] 待办\n",
        "\n| 甲 | 乙 |\n|---|---|\n| <b>丙</b> | 丁 |\n",
        "\n| 甲 | 乙 |\n|:-:|--:|\n| 丙 | 1 |\n",
        "<td style=\"background:url(javascript:alert(1))\">",
        "\n```html\n<script>alert(1)</script>\n```\n",
        "[正常链接](https://example.com \"标题\")",
        "<https://example.com>",
        "<mailto:a@example.com>",
        " onmouseover=alert(1) ",
        "\u{202e}",
    ]);
    prop_oneof![
        3 => fixed.prop_map(str::to_string),
        1 => "[a-z0-9成本延迟合作 ]{0,8}",
    ]
}

fn hostile() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 1..10).prop_map(|parts| parts.concat())
}

fn texts() -> impl Strategy<Value = Texts> {
    (hostile(), hostile(), hostile(), hostile(), hostile()).prop_map(
        |(vendor, title, attendee, notes, answer)| Texts {
            // One visible character each: a vendor name is required, and an empty field
            // would leave out a part of the page that the baseline has.
            vendor: format!("厂{vendor}"),
            title: format!("题{title}"),
            attendee: format!("人{attendee}"),
            notes: format!("记{notes}"),
            answer: format!("答{answer}"),
        },
    )
}

/// The report page of `texts` has nothing the template did not make.
fn assert_inert(texts: &Texts) -> Result<(), TestCaseError> {
    let Some(proposal) = texts.proposal() else {
        return Err(TestCaseError::reject("not a loadable proposal"));
    };
    let html = report_html(&proposal);
    let page = anatomy(&html);
    let base = baseline();
    for (tag, count) in &page.tags {
        if MARKDOWN_TAGS.contains(&tag.as_str()) {
            continue;
        }
        let expected = base.tags.get(tag).copied().unwrap_or(0);
        prop_assert_eq!(*count, expected, "<{}> elements: {}", tag, html);
    }
    for (tag, names) in &page.attributes {
        for name in names {
            let by_template = base.attributes.get(tag).is_some_and(|b| b.contains(name));
            // A table cell may carry its column's alignment, and nothing else may.
            let alignment = name == "style" && (tag == "th" || tag == "td");
            let by_markdown = MARKDOWN_TAGS.contains(&tag.as_str())
                && (MARKDOWN_ATTRIBUTES.contains(&name.as_str()) || alignment);
            prop_assert!(by_template || by_markdown, "<{} {}>: {}", tag, name, html);
            prop_assert!(!name.starts_with("on"), "<{} {}>", tag, name);
        }
    }
    for style in page.styles.difference(&base.styles) {
        prop_assert!(
            TABLE_ALIGNMENTS.contains(&style.as_str()),
            "a style the template did not make: {}",
            style
        );
    }
    for url in page.urls.difference(&base.urls) {
        let lower = url.to_ascii_lowercase();
        let allowed = ["https://", "http://", "mailto:"]
            .iter()
            .any(|s| lower.starts_with(s));
        prop_assert!(allowed, "a URL the template did not make: {}", url);
    }
    // Plain-text fields show exactly as written.
    for field in [&texts.vendor, &texts.title, &texts.attendee] {
        let shown = collapse(field);
        prop_assert!(page.text.contains(&shown), "{:?} not shown as text", shown);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(1000),
        max_global_rejects: 10_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn report_pages_hold_nothing_the_template_did_not_make(texts in texts()) {
        assert_inert(&texts)?;
    }
}

#[test]
fn the_baseline_has_the_template_scripts_and_no_handlers() {
    let base = baseline();
    assert!(
        base.tags.get("script").copied().unwrap_or(0) >= 1,
        "{base:?}"
    );
    let handlers = base
        .attributes
        .values()
        .flatten()
        .filter(|n| n.starts_with("on"))
        .count();
    assert_eq!(handlers, 0);
}

#[test]
fn known_attacks_stay_text() {
    let attack = Texts {
        vendor: "厂<script>alert(1)</script>".into(),
        title: "<img src=x onerror=alert(1)>".into(),
        attendee: "人<svg onload=alert(1)>".into(),
        notes: "[点我](javascript:alert(1)) <iframe src=x>".into(),
        answer: "<a href=\"data:text/html,x\">x</a>".into(),
    };
    assert_inert(&attack).unwrap();
    let html = report_html(&attack.proposal().unwrap());
    assert!(
        html.contains("厂&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("厂&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
}

// ---------------------------------------------------------------------------------------------
// The PDF shows the same strings as text
// ---------------------------------------------------------------------------------------------

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts::load(&FontChoice::parse("builtin").unwrap()).unwrap())
}

/// The report PDF of one proposal, rendered the way `build` renders it.
fn report_pdf(proposal: &Proposal) -> Vec<u8> {
    let w = world();
    let judgement = judge(&w.content.framework, proposal);
    let provenance = Provenance::new(b"framework", b"proposal", proposal.date.value);
    let input = ReportInput {
        framework: &w.content.framework,
        proposal,
        judgement: &judgement,
        provenance: &provenance,
        since: None,
    };
    render_report_pdf(&input, fonts()).expect("every fragment has glyphs")
}

/// The text of a PDF; with `body`, only what lies between the running header and footer.
fn pdf_text(pdf: &[u8], body: bool) -> String {
    common::sweep_ended_runs();
    let dir: PathBuf =
        std::env::temp_dir().join(format!("dealbook-injection-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:?}.pdf", std::thread::current().id()));
    std::fs::write(&path, pdf).unwrap();
    let mut command = Command::new("pdftotext");
    command.args(["-enc", "UTF-8"]);
    if body {
        // A4 in points at 72 dpi; the body runs from 22 mm to 279 mm.
        command.args(["-x", "0", "-y", "62", "-W", "595", "-H", "729"]);
    }
    let out = command
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Whitespace, bidirectional controls and hyphens removed: the PDF wraps lines wherever it
/// must, and pdftotext joins a line that ends in a hyphen to the next without it.
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202e}' && *c != '-')
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(64),
        max_global_rejects: 1_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn report_pdfs_print_the_strings_as_text(texts in texts()) {
        let Some(proposal) = texts.proposal() else {
            return Err(TestCaseError::reject("not a loadable proposal"));
        };
        let pdf = report_pdf(&proposal);
        let whole = squeeze(&pdf_text(&pdf, false));
        let body = squeeze(&pdf_text(&pdf, true));
        prop_assert!(whole.contains(&squeeze(&texts.vendor)), "vendor not in:\n{}", whole);
        for field in [&texts.title, &texts.attendee] {
            prop_assert!(body.contains(&squeeze(field)), "{:?} not in:\n{}", field, body);
        }
        // Notes and answers are Markdown: each block's text (each cell's, of a table), raw
        // HTML included, is printed.
        for field in [&texts.notes, &texts.answer] {
            for part in markdown_to_blocks(field).iter().flat_map(|b| b.texts()) {
                let text = squeeze(&part);
                prop_assert!(body.contains(&text), "{:?} not in:\n{}", text, body);
            }
        }
    }
}

#[test]
fn raw_html_in_notes_and_answers_prints_literally() {
    let texts = Texts {
        notes: "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>".into(),
        answer: "<iframe src=\"https://evil.example\">".into(),
        ..Texts::benign()
    };
    let proposal = texts.proposal().unwrap();
    let body = squeeze(&pdf_text(&report_pdf(&proposal), true));
    for literal in [
        "<script>alert(1)</script>",
        "<imgsrc=xonerror=alert(1)>",
        "<iframesrc=\"https://evil.example\">",
    ] {
        assert!(body.contains(literal), "{literal} not in:\n{body}");
    }
}
