//! The build's HTML site: the report pages, then the section pages and the meetings page
//! (which list every report's verdict), the theme's static files and the search index; then
//! every internal link of every page is checked.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::output::Output;
use super::{CARD_PDF, Inputs};
use crate::diag::Diagnostic;
use crate::judge::judge;
use crate::location::Pos;
use crate::render::report::Meeting;
use crate::render::search::{SearchDoc, write_search_index};
use crate::render::site::links::{PageLinks, check_links, decode};
use crate::render::site::{MeetingRow, Page, Site, meeting_row};

/// The search index's file.
const SEARCH_INDEX: &str = "search-index.js";

/// What is kept of a page once written: its search entry and its links.
struct Written {
    search: SearchDoc,
    links: PageLinks,
}

/// Writes every file of the site; returns the number of HTML pages.
pub(super) fn render(
    inputs: &Inputs,
    meetings: &[Meeting<'_>],
    out: &Output<'_>,
) -> Result<usize, Vec<Diagnostic>> {
    let site = Site::new(&inputs.content, &inputs.config, &inputs.theme, CARD_PDF);
    let (rows, reports) = report_pages(&site, inputs, meetings, out);
    // In the order the search lists its results: sections, the meetings page, reports.
    let mut written: Vec<_> = inputs
        .content
        .pages
        .par_iter()
        .map(|page| write(out, site.section_page(page, &rows)))
        .collect();
    written.push(write(out, site.meetings_page(&rows, meetings)));
    written.extend(reports);
    let (written, problems): (Vec<_>, Vec<_>) = written.into_iter().partition(Result::is_ok);
    if !problems.is_empty() {
        return Err(once_each(problems.into_iter().filter_map(Result::err)));
    }
    let written: Vec<Written> = written.into_iter().filter_map(Result::ok).collect();
    links(&written, inputs, meetings)?;
    for (name, bytes) in &inputs.theme.statics {
        out.write(name, bytes).map_err(|e| vec![e])?;
    }
    let pages = written.len();
    let search: Vec<SearchDoc> = written.into_iter().map(|w| w.search).collect();
    let mut index = Vec::new();
    write_search_index(search, &mut index).map_err(|e| {
        vec![Diagnostic::new(
            Path::new(SEARCH_INDEX),
            None,
            e.to_string(),
        )]
    })?;
    out.write(SEARCH_INDEX, &index).map_err(|e| vec![e])?;
    Ok(pages)
}

/// Every report page, on every core, each compared with the vendor's meeting before it; and
/// every meeting's row for the pages that list them. A judgement is made where it is needed
/// (about 25 µs): by the page, by the next meeting's page, and by the PDF; so is the
/// framework for the meeting's vendor (a clone with `{vendor}` filled in).
fn report_pages(
    site: &Site<'_>,
    inputs: &Inputs,
    meetings: &[Meeting<'_>],
    out: &Output<'_>,
) -> (Vec<MeetingRow>, Vec<Result<Written, Diagnostic>>) {
    let before = super::previous_meetings(meetings);
    meetings
        .par_iter()
        .zip(before)
        .map(|(meeting, before)| {
            // The framework as it reads for this vendor; the earlier meeting is the same
            // vendor's.
            let fw = inputs
                .content
                .framework
                .for_vendor(&meeting.proposal.vendor.value);
            let judgement = judge(&fw, meeting.proposal);
            let row = meeting_row(&fw, meeting, &judgement);
            let earlier = before.map(|m| (m, judge(&fw, m.proposal)));
            let earlier = earlier.as_ref().map(|(m, j)| (*m, j));
            let page = site.report_page(meeting, &fw, &judgement, earlier);
            (row, write(out, page))
        })
        .unzip()
}

fn write(out: &Output<'_>, page: Result<Page, Diagnostic>) -> Result<Written, Diagnostic> {
    let page = page?;
    out.write(&page.path, page.html.as_bytes())?;
    Ok(Written {
        links: PageLinks::of(&page.html),
        search: page.search,
    })
}

/// Every internal link of every page leads to a file of the site, and to an id in it when it
/// names one.
fn links(
    written: &[Written],
    inputs: &Inputs,
    meetings: &[Meeting<'_>],
) -> Result<(), Vec<Diagnostic>> {
    let pages: BTreeMap<&str, &PageLinks> = written
        .iter()
        .map(|w| (w.search.url.as_str(), &w.links))
        .collect();
    let mut files: BTreeSet<String> = pages.keys().map(|url| url.to_string()).collect();
    files.insert(SEARCH_INDEX.into());
    files.insert(CARD_PDF.into());
    files.extend(inputs.theme.statics.iter().map(|(name, _)| name.clone()));
    files.extend(meetings.iter().map(|m| format!("reports/{}.pdf", m.name)));
    let broken = check_links(&files, &pages);
    if broken.is_empty() {
        return Ok(());
    }
    Err(broken
        .into_iter()
        .map(|b| {
            let message = format!("链接指向不存在的页面、文件或锚点：{}", decode(&b.link));
            Diagnostic::new(Path::new(&b.page), None, message)
        })
        .collect())
}

/// Each problem once, in the order first met: a template that fails on every report page
/// fails the same way hundreds of times. The first page that met it stays in the hint, with
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
