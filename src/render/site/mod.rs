//! The HTML site: an index, one page per framework section, the meetings page and a report page
//! per proposal, each rendered from a theme template inside the page frame (`base.html`).
//! A page comes back as bytes with its search text; writing it and checking its links is the
//! build's (`crate::build::site`).

pub mod chart;
pub mod config;
mod html;
pub mod links;
pub mod markdown;
mod pages;
pub mod report_view;
pub mod theme;
pub mod views;

use std::path::Path;

use serde::Serialize;
use tera::Context;

use crate::content::Content;
use crate::diag::Diagnostic;
use crate::model::framework::Framework;
use crate::render::search::SearchDoc;
use config::SiteConfig;
use theme::Theme;
use views::{FrameworkView, framework_view};

pub use html::html_to_text;
pub use pages::{MeetingRow, meeting_row};

/// One page of the site, made and not yet written.
pub struct Page {
    /// Its path relative to the site's root, `/`-separated.
    pub path: String,
    pub html: String,
    /// What the search index holds of it.
    pub search: SearchDoc,
}

/// Renders the site's pages from the content, the site settings and the theme.
pub struct Site<'a> {
    content: &'a Content,
    /// The framework as its own pages read it (`{vendor}` as `meta.counterparty`); each
    /// report page is given the framework for its vendor.
    framework: Framework,
    config: &'a SiteConfig,
    theme: &'a Theme,
    fw: FrameworkView,
    card_pdf: &'a str,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    current: bool,
}

/// The framework's title line, which every page's frame shows.
#[derive(Serialize)]
struct FrameworkMeta<'a> {
    title: &'a str,
    version: &'a str,
    updated: &'a str,
    position: &'a str,
}

/// What the frame shows of the framework: the whole view on section pages (their templates
/// read its lists), the title line elsewhere.
#[derive(Serialize)]
#[serde(untagged)]
enum FrameFramework<'a> {
    Meta(FrameworkMeta<'a>),
    Whole(&'a FrameworkView),
}

/// The values every page's frame (`base.html`) receives.
#[derive(Serialize)]
struct Frame<'a> {
    site: &'a SiteConfig,
    root: &'a str,
    nav: Vec<NavItem>,
    title: &'a str,
    card_url: String,
    fw: FrameFramework<'a>,
}

/// Links to the previous and next pages: (file, title).
type PrevNext = (Option<(String, String)>, Option<(String, String)>);

impl<'a> Site<'a> {
    pub fn new(
        content: &'a Content,
        config: &'a SiteConfig,
        theme: &'a Theme,
        card_pdf: &'a str,
    ) -> Site<'a> {
        let framework = content.framework.for_counterparty();
        Site {
            content,
            config,
            theme,
            fw: framework_view(&framework),
            framework,
            card_pdf,
        }
    }

    fn nav(&self, current: &str, root: &str) -> Vec<NavItem> {
        let mut nav: Vec<NavItem> = self
            .content
            .pages
            .iter()
            .map(|p| {
                let url = page_file(&p.slug);
                NavItem {
                    title: if p.slug == "index" {
                        "首页".into()
                    } else {
                        p.title.clone()
                    },
                    current: url == current,
                    url: format!("{root}{url}"),
                }
            })
            .collect();
        nav.push(NavItem {
            title: "会谈记录".into(),
            url: format!("{root}meetings.html"),
            current: current == "meetings.html" || current.starts_with("reports/"),
        });
        nav
    }

    /// The frame's values for the page at `path`.
    /// `framework` says the title line: a report's speaks of its vendor.
    fn base_context(
        &self,
        path: &str,
        title: &str,
        framework: &Framework,
    ) -> Result<Context, Diagnostic> {
        let root = if path.contains('/') { "../" } else { "" };
        let section = !(path.starts_with("reports/") || path == "meetings.html");
        let fw = if section {
            FrameFramework::Whole(&self.fw)
        } else {
            FrameFramework::Meta(FrameworkMeta {
                title: &self.fw.title,
                version: &self.fw.version,
                updated: &self.fw.updated,
                position: &framework.meta.position,
            })
        };
        let frame = Frame {
            site: self.config,
            root: if root.is_empty() { "./" } else { root },
            nav: self.nav(path, root),
            title,
            card_url: format!("{root}{}", self.card_pdf),
            fw,
        };
        Context::from_serialize(&frame)
            .map_err(|e| Diagnostic::new(Path::new(path), None, format!("模板渲染失败：{e}")))
    }

    fn render(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| self.theme.render_failed(template, &e))
    }

    /// Renders `template` as the page's main part, then the frame around it. `search_text`
    /// replaces the main part's text in the search index.
    fn page(
        &self,
        path: &str,
        title: &str,
        template: &str,
        mut ctx: Context,
        prev_next: PrevNext,
        search_text: Option<String>,
    ) -> Result<Page, Diagnostic> {
        let at_page = |problem: Diagnostic| problem.with_note(&format!("生成页面 {path} 时"));
        let main = self.render(template, &ctx).map_err(at_page)?;
        // The searchable text before the heading self-links add their "#".
        let search = SearchDoc {
            url: path.to_string(),
            title: title.to_string(),
            text: search_text.unwrap_or_else(|| html_to_text(&main)),
        };
        let (main, toc) = html::anchor_headings(&main);
        ctx.insert("toc", &toc);
        ctx.insert("prev", &prev_next.0);
        ctx.insert("next", &prev_next.1);
        ctx.insert("main_html", &main);
        let html = self.render("base.html", &ctx).map_err(at_page)?;
        Ok(Page {
            path: path.to_string(),
            html,
            search,
        })
    }
}

/// A report's page: `2026-02-05-aliyun-review` → `reports/2026-02-05-aliyun-review.html`.
pub fn report_file(name: &str) -> String {
    format!("reports/{name}.html")
}

/// `index` → `index.html`, `decision` → `decision.html`.
fn page_file(slug: &str) -> String {
    format!("{slug}.html")
}
