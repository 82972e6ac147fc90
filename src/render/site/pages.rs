//! The site's pages: a framework section, the meetings page and a report page.

use std::collections::HashSet;

use serde::Serialize;

use super::markdown::render_page;
use super::report_view::{ReportView, report_view};
use super::views::{VerdictView, verdict};
use super::{Page, Site, html_to_text, page_file, report_file};
use crate::diag::Diagnostic;
use crate::judge::condition::display_fact;
use crate::judge::judgement::Judgement;
use crate::model::framework::Framework;
use crate::model::page::Page as Section;
use crate::render::report::{Meeting, ReportInput, phase_title, since_last};

/// A meeting's row on the meetings page and the index: what a person scans the history by.
#[derive(Serialize)]
pub struct MeetingRow {
    pub name: String,
    pub date: String,
    pub vendor: String,
    pub phase: Option<String>,
    pub directions: Vec<String>,
    pub verdict: VerdictView,
    /// The facts of `meetings.columns`, as a person reads them; `None` when unknown.
    pub facts: Vec<Option<String>>,
}

/// The row of `meeting`, judged as `judgement`.
pub fn meeting_row(fw: &Framework, meeting: &Meeting<'_>, judgement: &Judgement<'_>) -> MeetingRow {
    let p = meeting.proposal;
    MeetingRow {
        name: meeting.name.clone(),
        date: p.date.value.to_string(),
        vendor: p.vendor.value.clone(),
        phase: p.phase.as_ref().map(|ph| phase_title(fw, &ph.value)),
        directions: judgement
            .directions
            .iter()
            .map(|d| d.title.to_string())
            .collect(),
        verdict: verdict(judgement.verdict),
        facts: fw
            .meetings
            .columns
            .iter()
            .map(|key| {
                p.fact(&key.value)
                    .map(|value| display_fact(fw, &key.value, value))
            })
            .collect(),
    }
}

/// The headings of the meetings table's fact columns (`meetings.columns`).
pub fn fact_columns(fw: &Framework) -> Vec<String> {
    fw.meetings
        .columns
        .iter()
        .map(|key| fw.name_of(&key.value).to_string())
        .collect()
}

impl Site<'_> {
    /// A framework section; the index also lists the latest meetings (`rows`, newest first).
    pub fn section_page(&self, page: &Section, rows: &[MeetingRow]) -> Result<Page, Diagnostic> {
        let path = page_file(&page.slug);
        let mut ctx = self.base_context(&path, &page.title, &self.framework)?;
        let (body, _) = render_page(&page.body, &mut HashSet::new());
        ctx.insert("body_html", &body);
        ctx.insert("page_title", &page.title);
        ctx.insert("data", &page.data);
        ctx.insert("meetings", &rows.iter().take(5).collect::<Vec<_>>());
        ctx.insert("fact_columns", &fact_columns(&self.framework));
        let template = if page.slug == "index" {
            "index.html"
        } else {
            "page.html"
        };
        let pages = &self.content.pages;
        let at = pages.iter().position(|p| p.slug == page.slug).unwrap_or(0);
        let link = |p: &Section| (page_file(&p.slug), p.title.clone());
        let prev = at.checked_sub(1).and_then(|i| pages.get(i)).map(link);
        let next = pages
            .get(at + 1)
            .map(link)
            .or_else(|| Some(("meetings.html".into(), "会谈记录".into())));
        self.page(&path, &page.title, template, ctx, (prev, next), None)
    }

    /// Every meeting's row, newest first, and the charts of the facts that change over time.
    pub fn meetings_page(
        &self,
        rows: &[MeetingRow],
        meetings: &[Meeting<'_>],
    ) -> Result<Page, Diagnostic> {
        let mut ctx = self.base_context("meetings.html", "会谈记录", &self.framework)?;
        ctx.insert("meetings", rows);
        ctx.insert("fact_columns", &fact_columns(&self.framework));
        let proposals: Vec<_> = meetings.iter().map(|m| m.proposal).collect();
        let fw = &self.framework;
        // Checked at load: each is a number fact.
        let charts: Vec<String> = fw
            .meetings
            .charts
            .iter()
            .filter_map(|key| {
                let series = super::chart::Series {
                    fact: &key.value,
                    title: fw.name_of(&key.value).to_string(),
                    unit: (fw.label(&key.value))
                        .and_then(|l| l.unit.clone())
                        .unwrap_or_default(),
                };
                super::chart::svg(fw, &proposals, &series)
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
        let (path, title) = ("meetings.html", "会谈记录");
        self.page(
            path,
            title,
            "meetings.html",
            ctx,
            (last, None),
            Some(search),
        )
    }

    /// One meeting's report page, compared with the vendor's meeting before it (`earlier`),
    /// when there was one.
    /// `framework` is the framework for the meeting's vendor, which judged it.
    pub fn report_page(
        &self,
        meeting: &Meeting<'_>,
        framework: &Framework,
        judgement: &Judgement<'_>,
        earlier: Option<(&Meeting<'_>, &Judgement<'_>)>,
    ) -> Result<Page, Diagnostic> {
        let title = report_title(meeting);
        let input = ReportInput {
            framework,
            proposal: meeting.proposal,
            judgement,
            provenance: &meeting.provenance,
            since: earlier.map(|(m, before)| {
                since_last(
                    framework,
                    &m.name,
                    m.proposal,
                    before,
                    meeting.proposal,
                    judgement,
                )
            }),
        };
        let view = report_view(&meeting.name, &input);
        let search = report_search_text(&view);
        let path = report_file(&meeting.name);
        let mut ctx = self.base_context(&path, "", framework)?;
        ctx.insert("title", &title);
        ctx.insert("report", &view);
        self.page(
            &path,
            &title,
            "report.html",
            ctx,
            (None, None),
            Some(search),
        )
    }
}

/// A report page's title.
fn report_title(m: &Meeting<'_>) -> String {
    format!(
        "{} · {} · 评估报告",
        m.proposal.vendor.value, m.proposal.date.value
    )
}

/// What a report is found by: its verdict and what was triggered, and what is this meeting's
/// own (title, attendees, answers, notes), not the framework's wording every report repeats.
fn report_search_text(view: &ReportView) -> String {
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
