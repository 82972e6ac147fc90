//! The HTML site: an index, one page per framework section, the meetings page and a report per
//! proposal, all links relative, checked before anything is written.

pub mod chart;
pub mod config;
mod judgements;
pub mod kept;
pub mod links;
pub mod markdown;
pub mod report_view;
pub mod theme;
pub mod views;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::Content;
use crate::diag::Diagnostic;
use crate::judge::judge;
use crate::judge::judgement::Judgement;
use crate::location::Pos;
use crate::model::fields::FactType;
use crate::model::proposal::{FactValue, Proposal};
use crate::render::report::{Provenance, ReportInput, phase_title};
use crate::render::search::{SearchDoc, write_search_index};
use crate::report_cache;
use crate::yaml::Digest;
use config::SiteConfig;
use judgements::Judgements;
use kept::{Outcome, PreviousPages};
use links::PageLinks;
use markdown::{Heading, render_page, slug};
use theme::Theme;
use views::{FrameworkView, VerdictView, framework_view, verdict};

/// One proposal and its report's name and provenance. Its judgement is made when its report
/// page, or the page of the vendor's next meeting, is made (see `judgements.rs`); a build that
/// keeps both pages needs none.
pub struct Meeting<'a> {
    /// The report's name: the proposal file's stem.
    pub name: String,
    pub proposal: &'a Proposal,
    pub provenance: &'a Provenance,
    /// A hash of what its report says: the framework file, the proposal file and the date.
    pub sources: Digest,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct MeetingRow {
    name: String,
    date: String,
    vendor: String,
    phase: Option<String>,
    directions: Vec<String>,
    verdict: VerdictView,
    cost: Option<String>,
    latency: Option<String>,
}

/// What a build of the site made.
#[derive(Debug)]
pub struct SiteBuilt {
    /// HTML pages in the site.
    pub pages: usize,
    /// Report pages kept from the previous build.
    pub kept: usize,
    /// Every page's text for `search-index.js`, which the caller writes
    /// ([`write_search_index`]) once it has let go of what it no longer needs: the index is
    /// the largest structure of a build.
    pub search: Vec<SearchDoc>,
}

/// A file of the site, as the sink receives it.
pub enum SiteFile<'a> {
    /// Made by this build.
    Made(&'a [u8]),
    /// Made by this build and written by the function as it is made: large files, never
    /// held whole in memory.
    Streamed(&'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>),
    /// The previous build's file at the same path, unchanged (see [`kept`]).
    Kept,
}

/// Where the site's files go, by path relative to the output folder. Called from several
/// threads at once.
pub type Sink<'s> = &'s (dyn Fn(&str, SiteFile<'_>) -> Result<(), String> + Sync);

/// Renders every file of the site into `out` as it is made (nothing is held back but each
/// page's search text and links), report pages on every core, keeping the `previous` build's
/// report pages whose inputs are unchanged; then checks every internal link, and writes the
/// theme's static files. Returns the number of HTML pages and every page's search text, for
/// the search index. On error some files may have been written: the caller writes into a
/// staging folder it throws away.
pub fn render_site<'a>(
    content: &'a Content,
    config: &SiteConfig,
    theme: &Theme,
    meetings: &[Meeting<'a>],
    card_pdf: &str,
    out: Sink<'_>,
    mut previous: PreviousPages,
) -> Result<SiteBuilt, Vec<Diagnostic>> {
    let fw_view = framework_view(&content.framework);
    let mut meetings: Vec<&Meeting<'_>> = meetings.iter().collect();
    meetings
        .sort_by(|a, b| (b.proposal.date.value, &b.name).cmp(&(a.proposal.date.value, &a.name)));
    let renderer = Renderer {
        content,
        config,
        theme,
        fw: &fw_view,
        card_pdf,
        out,
        report_frame: OnceLock::new(),
    };
    let frame = renderer.report_frame_key().map_err(|e| vec![e])?;
    let reports = renderer.report_jobs(&meetings, &mut previous, frame);
    // Each judgement's users: its own page, and the vendor's next meeting's, which compares
    // with it.
    let mut users = vec![1; meetings.len()];
    for before in reports.iter().filter_map(|job| job.previous) {
        users[before.0] += 1;
    }
    let judgements = Judgements::new(
        &content.framework,
        meetings.iter().map(|m| m.proposal).zip(users),
    );
    let previous = &previous;
    let reports: Vec<Result<Made, Diagnostic>> = reports
        .into_par_iter()
        .map(|mut job| {
            job.kept = job
                .kept
                .take()
                .filter(|record| previous.still_there(&job.path, record));
            let (at, before) = (job.at, job.previous);
            let made = match job.kept.take() {
                Some(record) => renderer.keep_report_page(job, record),
                None => {
                    let earlier = before.map(|(i, m)| (m, judgements.get(i)));
                    let earlier = earlier.as_ref().map(|(m, j)| (*m, &**j));
                    renderer.report_page(job, &judgements.get(at), earlier)
                }
            };
            judgements.done(at);
            before.inspect(|&(i, _)| judgements.done(i));
            made
        })
        .collect();
    drop(judgements);
    // The meetings page and the section pages (the index shows the latest meetings) list
    // each report's outcome, which its page recorded; the meetings page, one template over
    // every row, renders while the section pages do on the other cores. A report whose page
    // failed is judged again for its row, so the pages that list it still render and every
    // problem of the build is reported at once.
    let rows: Vec<MeetingRow> = meetings
        .iter()
        .zip(&reports)
        .map(|(m, made)| {
            let outcome = match made.as_ref().map(|made| &made.outcome) {
                Ok(Some(outcome)) => outcome.clone(),
                _ => Outcome::of(&judge(&content.framework, m.proposal)),
            };
            meeting_row(content, m, outcome)
        })
        .collect();
    let (mut made, meetings_page): (Vec<_>, _) = rayon::join(
        || {
            content
                .pages
                .par_iter()
                .map(|page| renderer.section_page(page, &rows))
                .collect()
        },
        || renderer.meetings_page(&rows, &meetings),
    );
    made.push(meetings_page);
    made.extend(reports);
    let (made, problems): (Vec<_>, Vec<_>) = made.into_iter().partition(Result::is_ok);
    if !problems.is_empty() {
        return Err(once_each(problems.into_iter().filter_map(Result::err)));
    }
    let made: Vec<Made> = made.into_iter().filter_map(Result::ok).collect();

    let write = |path: &str, bytes: &[u8]| {
        out(path, SiteFile::Made(bytes))
            .map_err(|e| vec![Diagnostic::new(Path::new(path), None, e)])
    };
    let stream = |path: &str, fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
        out(path, SiteFile::Streamed(fill))
            .map_err(|e| vec![Diagnostic::new(Path::new(path), None, e)])
    };
    let kept = made.iter().filter(|m| m.kept).count();
    let pages: BTreeMap<&str, &PageLinks> = made
        .iter()
        .map(|m| (m.search.url.as_str(), &m.links))
        .collect();
    let page_count = pages.len();
    let mut all: BTreeSet<String> = pages.keys().map(|url| url.to_string()).collect();
    all.insert(SEARCH_INDEX.into());
    all.extend(theme.statics.iter().map(|(name, _)| name.clone()));
    all.insert(card_pdf.to_string());
    all.extend(meetings.iter().map(|m| format!("reports/{}.pdf", m.name)));
    // The record for the next build is written on one core while the links are checked on
    // the others.
    let (written, broken) = rayon::join(
        || stream(kept::RECORD, &mut |to| write_report_records(&made, to)),
        || links::check_links(&all, &pages),
    );
    written?;
    if !broken.is_empty() {
        return Err(broken
            .into_iter()
            .map(|b| {
                Diagnostic::new(
                    Path::new(&b.page),
                    None,
                    format!(
                        "链接指向不存在的页面、文件或锚点：{}",
                        links::decode(&b.link)
                    ),
                )
            })
            .collect());
    }
    drop((all, pages));
    for (name, bytes) in &theme.statics {
        write(name, bytes)?;
    }
    Ok(SiteBuilt {
        pages: page_count,
        kept,
        search: made.into_iter().map(|m| m.search).collect(),
    })
}

/// The search index's file, written after the rest of the site (see [`write_search`]).
const SEARCH_INDEX: &str = "search-index.js";

/// The search index of `search` as `search-index.js` in `out`.
pub fn write_search(out: Sink<'_>, search: Vec<SearchDoc>) -> Result<(), Vec<Diagnostic>> {
    let mut search = Some(search);
    out(
        SEARCH_INDEX,
        SiteFile::Streamed(&mut |to| write_search_index(search.take().unwrap_or_default(), to)),
    )
    .map_err(|e| vec![Diagnostic::new(Path::new(SEARCH_INDEX), None, e)])
}

fn meeting_row(content: &Content, m: &Meeting<'_>, outcome: Outcome) -> MeetingRow {
    let fw = &content.framework;
    let p = m.proposal;
    let number = |key: &str| match p.fact(key).map(|f| f.value) {
        Some(v @ FactValue::Number(_)) => Some(crate::judge::condition::display_fact(fw, key, v)),
        _ => None,
    };
    MeetingRow {
        name: m.name.clone(),
        date: p.date.value.to_string(),
        vendor: p.vendor.value.clone(),
        phase: p.phase.as_ref().map(|ph| phase_title(fw, &ph.value)),
        directions: outcome.directions,
        verdict: verdict(outcome.verdict),
        cost: number("terms.cost_reduction_pct"),
        latency: number("poc.latency_s"),
    }
}

/// Room for the page around its main part (head, navigation, table of contents), so a page is
/// rendered into one buffer.
const FRAME_BYTES: usize = 16 * 1024;

/// Links to the previous and next pages: (file, title).
type PrevNext = (Option<(String, String)>, Option<(String, String)>);

/// One report page alone (for benchmarks and tests; a build renders them in `render_site`).
pub fn render_report_page<'a>(
    content: &'a Content,
    config: &SiteConfig,
    theme: &Theme,
    meeting: &Meeting<'a>,
    judgement: &Judgement<'a>,
    card_pdf: &str,
) -> Result<String, Diagnostic> {
    let fw_view = framework_view(&content.framework);
    let page = std::sync::Mutex::new(String::new());
    let keep = |_: &str, file: SiteFile<'_>| {
        if let SiteFile::Made(bytes) = file {
            let mut page = page.lock().map_err(|e| e.to_string())?;
            *page = String::from_utf8_lossy(bytes).into_owned();
        }
        Ok(())
    };
    let renderer = Renderer {
        content,
        config,
        theme,
        fw: &fw_view,
        card_pdf,
        out: &keep,
        report_frame: OnceLock::new(),
    };
    let job = ReportJob {
        meeting,
        at: 0,
        previous: None,
        path: report_file(&meeting.name),
        key: String::new(),
        kept: None,
    };
    renderer.report_page(job, judgement, None)?;
    Ok(page.into_inner().unwrap_or_default())
}

/// The framework's title line, which every page's frame shows.
#[derive(Serialize)]
struct FrameworkMeta<'a> {
    title: &'a str,
    version: &'a str,
    updated: &'a str,
    position: &'a str,
}

impl<'a> FrameworkMeta<'a> {
    fn of(view: &'a FrameworkView) -> Self {
        FrameworkMeta {
            title: &view.title,
            version: &view.version,
            updated: &view.updated,
            position: &view.position,
        }
    }
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

#[derive(Serialize)]
#[serde(untagged)]
enum FrameFramework<'a> {
    Meta(FrameworkMeta<'a>),
    Whole(&'a FrameworkView),
}

/// What is kept of a page once it is written: its search entry, its links, its length and
/// hash, and for a report page its key (see [`kept`]).
struct Made {
    search: SearchDoc,
    links: PageLinks,
    bytes: u64,
    sha256: String,
    key: Option<String>,
    outcome: Option<Outcome>,
    /// Whether the file is the previous build's.
    kept: bool,
}

/// The record of every report page, for the next build.
fn write_report_records(made: &[Made], to: &mut dyn Write) -> std::io::Result<()> {
    let records = made.iter().filter_map(|m| {
        let record = kept::PageRecord {
            key: m.key.as_deref()?.into(),
            bytes: m.bytes,
            sha256: m.sha256.as_str().into(),
            search: m.search.text.as_str().into(),
            links: std::borrow::Cow::Borrowed(&m.links),
            outcome: m.outcome.clone()?,
        };
        Some((m.search.url.as_str(), record))
    });
    kept::write_records(records, to)
}

/// One report page to make or keep.
struct ReportJob<'m, 'a> {
    meeting: &'m Meeting<'a>,
    /// Its place in the meetings, newest first.
    at: usize,
    /// The vendor's meeting before this one, and its place.
    previous: Option<(usize, &'m Meeting<'a>)>,
    path: String,
    key: String,
    /// The previous build's record of the page, when its key is the same; the page is kept
    /// when it is also still the file the record describes (checked as the page's turn comes).
    kept: Option<kept::PageRecord<'static>>,
}

struct Renderer<'a> {
    content: &'a Content,
    config: &'a SiteConfig,
    theme: &'a Theme,
    fw: &'a FrameworkView,
    card_pdf: &'a str,
    out: Sink<'a>,
    /// The frame every report page shares but for its title, made once: its values are
    /// reference-counted, so each page's copy shares them.
    report_frame: OnceLock<Result<Context, Diagnostic>>,
}

impl Renderer<'_> {
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

    /// What the page around the main part shows: the site, the navigation and the framework.
    fn frame<'s>(&'s self, path: &str, title: &'s str) -> Frame<'s> {
        let root = if path.contains('/') { "../" } else { "" };
        Frame {
            site: self.config,
            root: if root.is_empty() { "./" } else { root },
            nav: self.nav(path, root),
            title,
            card_url: format!("{root}{}", self.card_pdf),
            fw: if path.starts_with("reports/") || path == "meetings.html" {
                // What the page frame shows of the framework; the whole view (every list of
                // the framework) is for section pages, and copying it into each of thousands
                // of report contexts cost most of a report page's time.
                FrameFramework::Meta(FrameworkMeta::of(self.fw))
            } else {
                FrameFramework::Whole(self.fw)
            },
        }
    }

    fn base_context(&self, path: &str, title: &str) -> Result<Context, Diagnostic> {
        Context::from_serialize(&self.frame(path, title))
            .map_err(|e| Diagnostic::new(Path::new(path), None, format!("模板渲染失败：{e}")))
    }

    /// What `template` wrote, as text, for what is read again (a page's main part, its
    /// headings). Tera writes only strings, so the bytes are UTF-8; they are checked with SIMD
    /// (core's check goes a byte at a time through Chinese text: 4.3 % of a build with every
    /// page made).
    fn text<'b>(&self, template: &str, bytes: &'b [u8]) -> Result<&'b str, Diagnostic> {
        simdutf8::compat::from_utf8(bytes).map_err(|e| {
            Diagnostic::new(
                &self.theme.template_path(template),
                None,
                format!("模板渲染失败：输出不是有效的 UTF-8（{e}）"),
            )
        })
    }

    /// `template` as the bytes Tera writes, into a buffer of `capacity` bytes to start with: a
    /// page around a known main part grows it once, if at all, instead of doubling to twice
    /// its size. A whole page is only written, hashed and searched for links, so it is not
    /// checked for UTF-8 (a tenth of Tera's time on a report page): Tera writes only strings,
    /// and a page that were not UTF-8 would be written as it is rather than refused.
    fn render_bytes(
        &self,
        template: &str,
        ctx: &Context,
        capacity: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(capacity);
        self.theme
            .tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| self.theme.render_failed(template, &e))?;
        Ok(out)
    }

    /// Renders `template` as the page's main part, then the page around it, and writes it.
    /// `search_text` replaces the main part's text in the search index.
    fn page(
        &self,
        path: &str,
        title: &str,
        template: &str,
        mut ctx: Context,
        prev_next: PrevNext,
        search_text: Option<String>,
    ) -> Result<Made, Diagnostic> {
        let at_page = |problem: Diagnostic| problem.with_note(&format!("生成页面 {path} 时"));
        let (search, main, toc) = {
            let bytes = self.render_bytes(template, &ctx, 2048).map_err(at_page)?;
            let main = self.text(template, &bytes).map_err(at_page)?;
            // The searchable text before the heading self-links add their "#".
            let search = SearchDoc {
                url: path.to_string(),
                title: title.to_string(),
                text: search_text.unwrap_or_else(|| html_to_text(main)),
            };
            let (anchored, toc) = anchor_headings(main);
            (search, anchored, toc)
        };
        let capacity = main.len() + FRAME_BYTES;
        ctx.insert("toc", &toc);
        ctx.insert("prev", &prev_next.0);
        ctx.insert("next", &prev_next.1);
        // Copied once into Tera's shared string (a large meetings page is megabytes).
        ctx.insert_value("main_html", tera::Value::from(main));
        let html = self
            .render_bytes("base.html", &ctx, capacity)
            .map_err(at_page)?;
        (self.out)(path, SiteFile::Made(&html))
            .map_err(|e| Diagnostic::new(Path::new(path), None, e))?;
        Ok(Made {
            search,
            links: PageLinks::of(&html),
            bytes: html.len() as u64,
            sha256: kept::sha256_hex(&html),
            key: None,
            outcome: None,
            kept: false,
        })
    }

    fn section_page(
        &self,
        page: &crate::model::page::Page,
        rows: &[MeetingRow],
    ) -> Result<Made, Diagnostic> {
        let path = page_file(&page.slug);
        let mut ctx = self.base_context(&path, &page.title)?;
        let mut used = HashSet::new();
        let (body, _) = render_page(&page.body, &mut used);
        ctx.insert("body_html", &body);
        ctx.insert("page_title", &page.title);
        ctx.insert("data", &page.data);
        ctx.insert("meetings", &rows.iter().take(5).collect::<Vec<_>>());
        let template = if page.slug == "index" {
            "index.html"
        } else {
            "page.html"
        };
        let pages = &self.content.pages;
        let at = pages.iter().position(|p| p.slug == page.slug).unwrap_or(0);
        let link = |p: &crate::model::page::Page| (page_file(&p.slug), p.title.clone());
        let prev = at.checked_sub(1).and_then(|i| pages.get(i)).map(link);
        let next = pages
            .get(at + 1)
            .map(link)
            .or_else(|| Some(("meetings.html".into(), "会谈记录".into())));
        self.page(&path, &page.title, template, ctx, (prev, next), None)
    }

    fn meetings_page(
        &self,
        rows: &[MeetingRow],
        meetings: &[&Meeting<'_>],
    ) -> Result<Made, Diagnostic> {
        let mut ctx = self.base_context("meetings.html", "会谈记录")?;
        ctx.insert("meetings", rows);
        let proposals: Vec<&Proposal> = meetings.iter().map(|m| m.proposal).collect();
        let fw = &self.content.framework;
        let charts: Vec<String> = [
            ("terms.cost_reduction_pct", "成本降低"),
            ("poc.latency_s", "PoC 验证延迟"),
        ]
        .iter()
        .filter(|(key, _)| {
            crate::model::fields::fact(key).is_some_and(|f| matches!(f.ty, FactType::Number { .. }))
        })
        .filter_map(|(key, fallback)| {
            let label = fw.label(key);
            let series = chart::Series {
                fact: key,
                title: label.map_or_else(|| fallback.to_string(), |l| l.label.clone()),
                unit: label.and_then(|l| l.unit.clone()).unwrap_or_default(),
            };
            chart::svg(fw, &proposals, &series)
        })
        .collect();
        ctx.insert("charts", &charts);
        let last = self
            .content
            .pages
            .last()
            .map(|p| (page_file(&p.slug), p.title.clone()));
        // One line per meeting is enough to find it; each report is indexed on its own.
        let search = rows
            .iter()
            .map(|r| format!("{} {} {}", r.date, r.vendor, r.verdict.label))
            .collect::<Vec<_>>()
            .join("\n");
        self.page(
            "meetings.html",
            "会谈记录",
            "meetings.html",
            ctx,
            (last, None),
            Some(search),
        )
    }

    /// Every report page with its key, newest first, each with the previous build's record
    /// when the key is unchanged (whether the page is still the file recorded is checked when
    /// the page is made or kept, on every core: it reads each page).
    fn report_jobs<'m, 'a>(
        &self,
        meetings: &[&'m Meeting<'a>],
        previous: &mut PreviousPages,
        frame: Digest,
    ) -> Vec<ReportJob<'m, 'a>> {
        let before = previous_meetings(meetings);
        meetings
            .iter()
            .zip(before)
            .enumerate()
            .map(|(at, (&meeting, before))| {
                let before = before.map(|i| (i, meetings[i]));
                let (before_name, before_sources) = before.map_or((&[][..], &[][..]), |(_, b)| {
                    (b.name.as_bytes(), &b.sources[..])
                });
                let key = report_cache::key(&[
                    &frame,
                    meeting.name.as_bytes(),
                    &meeting.sources,
                    before_name,
                    before_sources,
                ]);
                let path = report_file(&meeting.name);
                let kept = previous.take(&path, &key);
                ReportJob {
                    meeting,
                    at,
                    previous: before,
                    path,
                    key,
                    kept,
                }
            })
            .collect()
    }

    /// A hash of what every report page shares: the theme and the page frame (site settings,
    /// navigation, the framework's title line).
    fn report_frame_key(&self) -> Result<Digest, Diagnostic> {
        let frame = serde_json::to_vec(&self.frame("reports/", "")).map_err(|e| {
            Diagnostic::new(Path::new("reports"), None, format!("模板渲染失败：{e}"))
        })?;
        Ok(report_cache::hash(&[&self.theme.digest, &frame]))
    }

    /// Keeps the previous build's report page, whose inputs are unchanged (`record`).
    fn keep_report_page(
        &self,
        job: ReportJob<'_, '_>,
        record: kept::PageRecord<'static>,
    ) -> Result<Made, Diagnostic> {
        (self.out)(&job.path, SiteFile::Kept)
            .map_err(|e| Diagnostic::new(Path::new(&job.path), None, e))?;
        Ok(Made {
            search: SearchDoc {
                title: report_title(job.meeting),
                url: job.path,
                text: record.search.into_owned(),
            },
            links: record.links.into_owned(),
            bytes: record.bytes,
            sha256: record.sha256.into_owned(),
            key: Some(job.key),
            outcome: Some(record.outcome),
            kept: true,
        })
    }

    /// Makes one report page from its proposal's judgement and, when the vendor met before,
    /// that meeting and its judgement (`earlier`), which the page compares with.
    fn report_page(
        &self,
        job: ReportJob<'_, '_>,
        judgement: &Judgement<'_>,
        earlier: Option<(&Meeting<'_>, &Judgement<'_>)>,
    ) -> Result<Made, Diagnostic> {
        let m = job.meeting;
        let title = report_title(m);
        let fw = &self.content.framework;
        let input = ReportInput {
            framework: fw,
            proposal: m.proposal,
            judgement,
            provenance: m.provenance,
        };
        let before = earlier.map(|(p, j)| (p.name.as_str(), p.proposal, j));
        let view = report_view::report_view(&m.name, &input, before);
        let search = report_search_text(&view);
        let mut ctx = self
            .report_frame
            .get_or_init(|| self.base_context("reports/", ""))
            .clone()?;
        ctx.insert("title", &title);
        ctx.insert("report", &view);
        let made = self.page(
            &job.path,
            &title,
            "report.html",
            ctx,
            (None, None),
            Some(search),
        )?;
        Ok(Made {
            key: Some(job.key),
            outcome: Some(Outcome::of(judgement)),
            ..made
        })
    }
}

/// A report page's title.
fn report_title(m: &Meeting<'_>) -> String {
    format!(
        "{} · {} · 评估报告",
        m.proposal.vendor.value, m.proposal.date.value
    )
}

/// Each problem once, in the order first met: a template that fails on every report page
/// fails the same way thousands of times. The first page that met it stays in the hint, with
/// how many more did.
fn once_each(problems: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: HashMap<(PathBuf, Option<Pos>, String), usize> = HashMap::new();
    let mut once: Vec<(Diagnostic, usize)> = Vec::new();
    for problem in problems {
        let key = (problem.file.clone(), problem.pos, problem.message.clone());
        match seen.get(&key) {
            Some(&at) => once[at].1 += 1,
            None => {
                seen.insert(key, once.len());
                once.push((problem, 0));
            }
        }
    }
    once.into_iter()
        .map(|(problem, more)| match more {
            0 => problem,
            _ => problem.with_note(&format!("另有 {more} 个页面出现同样的问题")),
        })
        .collect()
}

/// For each meeting (newest first), the index of the same vendor's meeting before it.
fn previous_meetings(meetings: &[&Meeting<'_>]) -> Vec<Option<usize>> {
    let mut last_seen: HashMap<&str, usize> = HashMap::new();
    let mut before = vec![None; meetings.len()];
    for (i, m) in meetings.iter().enumerate().rev() {
        before[i] = last_seen.insert(m.proposal.vendor.value.as_str(), i);
    }
    before
}

/// What a report is found by: its verdict and what was triggered, and what is this meeting's
/// own (title, attendees, answers, notes), not the framework's wording every report repeats.
fn report_search_text(view: &report_view::ReportView) -> String {
    let mut lines = vec![format!("结论：{}", view.verdict.label)];
    lines.extend(view.title.clone());
    lines.extend(view.phase.clone());
    if !view.attendees.is_empty() {
        lines.push(format!("参会人员：{}", view.attendees.join("、")));
    }
    lines.extend(
        view.triggered
            .iter()
            .map(|r| format!("{}：{}", r.group, r.label)),
    );
    for answer in &view.answers {
        if let Some(html) = &answer.answer_html {
            lines.push(format!("{}：{}", answer.question, html_to_text(html)));
        }
    }
    lines.extend(view.notes_html.as_deref().map(html_to_text));
    lines.join("\n")
}

/// A report's page: `2026-02-05-aliyun-review` → `reports/2026-02-05-aliyun-review.html`.
fn report_file(name: &str) -> String {
    format!("reports/{name}.html")
}

/// `index` → `index.html`, `decision` → `decision.html`.
fn page_file(slug: &str) -> String {
    format!("{slug}.html")
}

/// Gives every `<h2>`/`<h3>` an id (from its `id`, else its text, unique on the page), adds a
/// self-link, and returns the table of contents.
fn anchor_headings(html: &str) -> (String, Vec<Heading>) {
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
        let _ = std::fmt::Write::write_fmt(
            &mut out,
            format_args!(
                "<h{level} id=\"{id}\">{inner}<a class=\"anchor\" href=\"#{id}\" aria-label=\"链接到本节：{}\">#</a>{close}",
                escape_attr(&text)
            ),
        );
        toc.push(Heading { level, id, text });
        rest = &rest[close_at + close.len()..];
    }
    out.push_str(rest);
    (out, toc)
}

/// The first `<h2` or `<h3` in `html`, in one pass (memchr's SIMD search: core's search for a
/// two-byte needle was 3 % of a build with every page made).
fn find_heading(html: &str) -> Option<usize> {
    memchr::memmem::find_iter(html.as_bytes(), b"<h")
        .find(|at| matches!(html.as_bytes().get(at + 2), Some(b'2' | b'3')))
}

fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

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
        if matches!(
            name,
            "p" | "li"
                | "tr"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "br"
                | "div"
                | "section"
                | "td"
                | "th"
                | "dt"
                | "dd"
        ) {
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
