//! The build's PDFs: the cheat card, and one report per meeting, taken from the cache when an
//! earlier build rendered the same bytes.

use std::path::Path;

use rayon::prelude::*;

use super::output::Output;
use super::pdf_cache::{PdfCache, binary_identity, key};
use super::{CARD_PDF, Inputs};
use crate::diag::Diagnostic;
use crate::judge::judge;
use crate::location::Pos;
use crate::render::card::{CardError, SMALLEST_SIZE, render_card};
use crate::render::pdf::document::PdfError;
use crate::render::pdf::fonts::Fonts;
use crate::render::report::{Meeting, ReportInput, build_date, since_last};
use crate::render::report_pdf::render_report_pdf;

/// Writes the card and every report PDF, each from the cache when an earlier build drew the
/// same bytes; returns how many reports came from the cache.
pub(super) fn render(
    inputs: &Inputs,
    meetings: &[Meeting<'_>],
    cache: &PdfCache,
    out: &Output<'_>,
) -> Result<usize, Vec<Diagnostic>> {
    let identity = binary_identity();
    let pdfs = Pdfs {
        inputs,
        cache,
        out,
        identity: &identity,
    };
    let card = pdfs.card(meetings);
    let before = super::previous_meetings(meetings);
    let reports: Vec<_> = meetings
        .par_iter()
        .zip(before)
        .map(|(m, before)| pdfs.report(m, before))
        .collect();
    let mut problems = card.err().unwrap_or_default();
    let mut cached = 0;
    for report in reports {
        match report {
            Ok(from_cache) => cached += usize::from(from_cache),
            Err(more) => problems.extend(more),
        }
    }
    // A character missing from the font is met in every report that has it: said once.
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        Ok(cached)
    } else {
        Err(problems)
    }
}

struct Pdfs<'a> {
    inputs: &'a Inputs,
    cache: &'a PdfCache,
    out: &'a Output<'a>,
    identity: &'a str,
}

impl Pdfs<'_> {
    fn card(&self, meetings: &[Meeting<'_>]) -> Result<bool, Vec<Diagnostic>> {
        let framework = &self.inputs.content.framework;
        let proposals: Vec<_> = meetings.iter().map(|m| m.proposal).collect();
        let date = build_date(framework, &proposals);
        let framework_file = self.inputs.framework_file.as_path();
        // The card is drawn from the framework, on the newest date of all the sources.
        let day = date.to_string();
        let parts: [&[u8]; 3] = [
            CARD_PDF.as_bytes(),
            &self.inputs.framework_digest,
            day.as_bytes(),
        ];
        self.cached(CARD_PDF, &parts, |fonts| {
            render_card(&framework.for_counterparty(), fonts, date)
                .map_err(|e| card_problems(e, framework_file, fonts))
        })
    }

    /// One report's PDF, compared with the vendor's meeting `before` it; whether it came
    /// from the cache.
    fn report(
        &self,
        meeting: &Meeting<'_>,
        before: Option<&Meeting<'_>>,
    ) -> Result<bool, Vec<Diagnostic>> {
        let inputs = self.inputs;
        let p = &meeting.provenance;
        // What the PDF shows is the judgement of the framework and the proposal, the
        // proposal's file name (the source of every fact), what changed since the meeting
        // before (that proposal's bytes and report name) and the provenance line: both files'
        // SHA-256 and the report's date.
        let date = p.build_date.to_string();
        let (before_digest, before_name) =
            before.map_or((&[][..], ""), |b| (&b.digest[..], b.name.as_str()));
        let parts: [&[u8]; 6] = [
            &inputs.framework_digest,
            &meeting.digest,
            meeting.proposal.file.as_bytes(),
            before_digest,
            before_name.as_bytes(),
            date.as_bytes(),
        ];
        let path = format!("reports/{}.pdf", meeting.name);
        self.cached(&path, &parts, |fonts| {
            let framework = inputs
                .content
                .framework
                .for_vendor(&meeting.proposal.vendor.value);
            let judgement = judge(&framework, meeting.proposal);
            let since = before.map(|b| {
                let earlier = judge(&framework, b.proposal);
                since_last(
                    &framework,
                    &b.name,
                    b.proposal,
                    &earlier,
                    meeting.proposal,
                    &judgement,
                )
            });
            let input = ReportInput {
                framework: &framework,
                proposal: meeting.proposal,
                judgement: &judgement,
                provenance: p,
                since,
            };
            let sources = [meeting.path, inputs.framework_file.as_path()];
            render_report_pdf(&input, fonts).map_err(|e| pdf_problems(e, &sources, fonts))
        })
    }

    /// Writes the PDF at `path` from the cache entry of `parts` (with this binary and the
    /// font), or draws it and stores it there; whether it came from the cache.
    fn cached(
        &self,
        path: &str,
        parts: &[&[u8]],
        draw: impl FnOnce(&Fonts) -> Result<Vec<u8>, Vec<Diagnostic>>,
    ) -> Result<bool, Vec<Diagnostic>> {
        let mut all: Vec<&[u8]> = vec![self.identity.as_bytes(), self.inputs.font.as_bytes()];
        all.extend(parts);
        let key = key(&all);
        if let Some(file) = self.cache.get(&key) {
            self.out.link(path, file).map_err(|e| vec![e])?;
            return Ok(true);
        }
        let pdf = draw(self.inputs.fonts.get()?)?;
        self.cache.put(&key, &pdf);
        self.out.write(path, &pdf).map_err(|e| vec![e])?;
        Ok(false)
    }
}

fn card_problems(error: CardError, framework: &Path, fonts: &Fonts) -> Vec<Diagnostic> {
    match error {
        CardError::Overflow {
            section,
            overflow_mm,
        } => {
            let pos = find_line(framework, "card:");
            let message = format!(
                "速查卡一页放不下：「{section}」超出页面 {overflow_mm} 毫米（字号已缩到最小 {SMALLEST_SIZE}pt）"
            );
            let hint = "精简 framework.yaml 中 card、go、no_go、red_lines、preconditions.deal_breakers 或方向的 accept 的文字或条目";
            vec![Diagnostic::new(framework, pos, message).with_hint(hint)]
        }
        CardError::Pdf(e) => pdf_problems(e, &[framework], fonts),
    }
}

/// The glyph gate's error: every missing character, where it was written, and how to fix it.
fn pdf_problems(error: PdfError, sources: &[&Path], fonts: &Fonts) -> Vec<Diagnostic> {
    match error {
        PdfError::MissingGlyphs(chars) => chars
            .into_iter()
            .map(|c| {
                let (file, pos) = sources
                    .iter()
                    .find_map(|f| find_char(f, c).map(|p| (*f, Some(p))))
                    .unwrap_or((sources[0], None));
                let message = format!(
                    "字符「{c}」（U+{:04X}）在字体中没有字形，PDF 里会是空白方框",
                    c as u32
                );
                let hint = format!(
                    "当前字体：{}。请安装包含该字符的中文字体（如 Debian 的 fonts-noto-cjk），或用 --font 路径[:序号] 指定字体文件；也可以改掉这个字符",
                    fonts.source
                );
                Diagnostic::new(file, pos, message).with_hint(hint)
            })
            .collect(),
        PdfError::Save(message) => {
            let message = format!("PDF 生成失败：{message}");
            vec![Diagnostic::new(sources[0], None, message)]
        }
    }
}

fn find_line(path: &Path, prefix: &str) -> Option<Pos> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .position(|l| l.starts_with(prefix))
        .map(|i| Pos::new(i as u32 + 1, 1))
}

fn find_char(path: &Path, c: char) -> Option<Pos> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().enumerate().find_map(|(i, line)| {
        line.chars()
            .position(|x| x == c)
            .map(|col| Pos::new(i as u32 + 1, col as u32 + 1))
    })
}
