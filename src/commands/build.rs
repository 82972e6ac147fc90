//! `dealbook build`: every output into the output folder, swapped in only when all succeeded.

use std::path::Path;

use rayon::prelude::*;
use std::time::Instant;

use crate::cli::BuildArgs;
use crate::content::{Content, ContentDir, load_content_with};
use crate::diag::Diagnostic;
use crate::judge::judge;
use crate::location::Pos;
use crate::model::proposal::Proposal;
use crate::output::{Staging, check_target};
use crate::proposal_cache::{self, KnownProposals};
use crate::render::card::{CardError, SMALLEST_SIZE, render_card};
use crate::render::pdf::document::PdfError;
use crate::render::pdf::fonts::{FontChoice, Fonts};
use crate::render::report::{Provenance, ReportInput, build_date};
use crate::render::report_pdf::render_report_pdf;
use crate::render::site::config::{SiteConfig, load_site_config};
use crate::render::site::kept::PreviousPages;
use crate::render::site::theme::{Theme, load_theme};
use crate::render::site::{Meeting, SiteBuilt, SiteFile, render_site, write_search};
use crate::report_cache::{self, MANIFEST, ReportCache, manifest};
use crate::yaml::Digest;

use super::progress::Progress;
use super::{Failure, print};

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    let summary = build(args)?;
    print(&summary);
    Ok(())
}

/// A proposal with what the build derived from it.
struct Report<'a> {
    path: &'a Path,
    name: String,
    proposal: &'a Proposal,
    provenance: Provenance,
    /// A hash of what the report says: the framework file, the proposal file and its date.
    sources: Digest,
    /// The hash of everything its PDF is made from (see `report_cache`).
    key: String,
}

/// Builds everything into `args.output`; returns the one-line summary for a person.
///
/// Work that does not depend on each other runs at once: the content, the theme and the fonts
/// load together; then the PDFs (card and reports) and the site render together, each on
/// every core, into one staging folder; then the search index, once the proposals, reports
/// and fonts are let go of.
pub fn build(args: &BuildArgs) -> Result<String, Failure> {
    let started = Instant::now();
    let dir = ContentDir::new(&args.content.content);
    check_target(&args.output, &[&dir.root, &args.theme], args.force).map_err(Failure::Usage)?;
    let choice = FontChoice::parse(&args.font).map_err(Failure::Usage)?;
    let (content, (theme, fonts, previous)) = rayon::join(
        || {
            // The proposals the previous build read, so unchanged files are not read again.
            let known = KnownProposals::open(&args.output);
            let content = load_content_with(&dir, &known);
            let config = load_site_config(&dir.root.join("site.yaml"));
            (content, config)
        },
        || {
            let (theme, fonts) = rayon::join(
                || load_theme(&args.theme),
                || {
                    Fonts::load(&choice)
                        .map_err(|e| vec![Diagnostic::new(Path::new(&args.font), None, e)])
                },
            );
            // The previous build's record (tens of megabytes of JSON at thousands of
            // reports) is read on this core while the proposals load on the others, rather
            // than after them.
            (theme, fonts, PreviousPages::open(&args.output))
        },
    );
    let (content, config, theme, fonts) = all_loaded(content, theme, fonts)?;
    let cache = ReportCache::open(&args.output);

    let staging = Staging::new(&args.output).map_err(io_failure(&args.output))?;
    // The card, a PDF and a page per report, the section pages, the meetings page, the
    // search index, the records of kept reports and of proposals, and the theme's static
    // files.
    let files = 1 + 2 * content.proposals.len() + content.pages.len() + 1 + 4 + theme.statics.len();
    let progress = Progress::new(files, args.progress);
    // Every file of the output goes through here, ticking the progress bar.
    let sink = |path: &str, file: SiteFile<'_>| {
        progress.tick();
        match file {
            SiteFile::Made(bytes) => staging.write(path, bytes),
            SiteFile::Streamed(fill) => staging.write_with(path, fill),
            SiteFile::Kept => staging.link(path, &args.output.join(path)),
        }
    };
    let write = |path: &str, bytes: &[u8]| {
        sink(path, SiteFile::Made(bytes)).map_err(io_failure(&args.output))
    };
    // Everything but the search index, in a block that owns the content and the fonts: the
    // index, a build's largest structure, is made once the proposals, the reports (with their
    // judgements) and the fonts are let go of, as only the pages' text is needed for it.
    let (reused, site, report_count) = {
        let (content, fonts) = (content, fonts);
        let reports = reports_of(&content, &dir, &fonts)?;
        let pdfs = || -> Result<usize, Failure> {
            let proposals: Vec<&Proposal> = reports.iter().map(|j| j.proposal).collect();
            let date = build_date(&content.framework, &proposals);
            let card = render_card(&content.framework, &fonts, date)
                .map_err(|e| card_failure(e, &dir, &fonts))?;
            write(CARD_PDF, &card)?;
            let reused = render_reports(
                &content,
                &dir,
                &fonts,
                &reports,
                &|name, pdf| match pdf {
                    Pdf::Made(bytes) => write(&format!("reports/{name}.pdf"), bytes),
                    Pdf::Kept(previous) => {
                        progress.tick();
                        staging
                            .link(&format!("reports/{name}.pdf"), previous)
                            .map_err(io_failure(&args.output))
                    }
                },
                &cache,
            )?;
            let keys: Vec<(&str, &str)> = reports
                .iter()
                .map(|j| (j.name.as_str(), j.key.as_str()))
                .collect();
            write(MANIFEST, manifest(&keys).as_bytes())?;
            let record = &mut |to: &mut dyn std::io::Write| record_proposals(&content, &dir, to);
            sink(proposal_cache::RECORD, SiteFile::Streamed(record))
                .map_err(io_failure(&args.output))?;
            Ok(reused)
        };
        let site = || {
            let meetings: Vec<Meeting<'_>> = reports
                .iter()
                .map(|j| Meeting {
                    name: j.name.clone(),
                    proposal: j.proposal,
                    provenance: &j.provenance,
                    sources: j.sources,
                })
                .collect();
            render_site(
                &content, &config, &theme, &meetings, CARD_PDF, &sink, previous,
            )
        };
        let (reused, site) = rayon::join(pdfs, site);
        match (reused, site) {
            (Ok(reused), Ok(site)) => (reused, site, reports.len()),
            // Every problem of both halves at once.
            (Err(Failure::Invalid(mut a)), Err(b)) => {
                a.extend(b);
                return Err(Failure::Invalid(a));
            }
            (Err(e), _) => return Err(e),
            (Ok(_), Err(b)) => return Err(Failure::Invalid(b)),
        }
    };
    let SiteBuilt {
        pages,
        kept,
        search,
    } = site;
    write_search(&sink, search).map_err(Failure::Invalid)?;

    progress.finish();
    let target = staging.commit().map_err(io_failure(&args.output))?;
    Ok(summary(&target, pages, kept, report_count, reused, started))
}

/// The record of every proposal as loaded, for the next build (see [`proposal_cache`]). Every
/// file loaded has its digest (`reports_of` refused the build otherwise).
fn record_proposals(
    content: &Content,
    dir: &ContentDir,
    to: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let Some(framework) = content.digests.get(&dir.framework()) else {
        return Ok(());
    };
    let proposals = content
        .proposals
        .iter()
        .filter_map(|(path, proposal)| Some((content.digests.get(path)?, proposal)));
    proposal_cache::write_record(framework, proposals, to)
}

/// The loaded inputs, or every problem any of them had.
fn all_loaded(
    content: (
        Result<Content, Vec<Diagnostic>>,
        Result<SiteConfig, Vec<Diagnostic>>,
    ),
    theme: Result<Theme, Vec<Diagnostic>>,
    fonts: Result<Fonts, Vec<Diagnostic>>,
) -> Result<(Content, SiteConfig, Theme, Fonts), Failure> {
    match (content, theme, fonts) {
        ((Ok(content), Ok(config)), Ok(theme), Ok(fonts)) => Ok((content, config, theme, fonts)),
        ((content, config), theme, fonts) => {
            let mut problems = Vec::new();
            problems.extend(content.err().unwrap_or_default());
            problems.extend(config.err().unwrap_or_default());
            problems.extend(theme.err().unwrap_or_default());
            problems.extend(fonts.err().unwrap_or_default());
            Err(Failure::Invalid(problems))
        }
    }
}

const CARD_PDF: &str = "cheat-card.pdf";

/// Every proposal's report: its name, date, provenance and keys, on every core. Its judgement
/// is made where its PDF or its page is, and let go of with it: a build that keeps both needs
/// none, and one that makes thousands holds only those in use. A report is dated by
/// its own sources (the framework and its proposal), so a new meeting leaves every earlier
/// report, and its PDF, as it was.
fn reports_of<'a>(
    content: &'a Content,
    dir: &ContentDir,
    fonts: &Fonts,
) -> Result<Vec<Report<'a>>, Failure> {
    // Every file loaded has its digest; a missing one is a bug, and is said so rather than
    // hashed as nothing (which could reuse another report's PDF).
    let digest = |path: &Path| {
        content.digests.get(path).copied().ok_or_else(|| {
            Failure::Invalid(vec![Diagnostic::new(
                path,
                None,
                "内部错误：构建时找不到该文件读取时的摘要，请报告此问题",
            )])
        })
    };
    let framework = digest(&dir.framework())?;
    content
        .proposals
        .par_iter()
        .map(|(path, proposal)| {
            let source = digest(path)?;
            let date = build_date(&content.framework, &[proposal]);
            let sources = report_cache::hash(&[&framework, &source, date.to_string().as_bytes()]);
            Ok(Report {
                path,
                name: report_name(path),
                proposal,
                provenance: Provenance::of_digests(&framework, &source, date),
                sources,
                key: report_cache::key(&[fonts.fingerprint.as_bytes(), &sources]),
            })
        })
        .collect()
}

/// A report's PDF: made by this build, or kept from the previous one.
enum Pdf<'a> {
    Made(&'a [u8]),
    Kept(&'a Path),
}

/// Puts one report's PDF in the output, from any thread.
type WriteFile<'a> = &'a (dyn Fn(&str, Pdf<'_>) -> Result<(), Failure> + Sync);

/// One PDF report per proposal, named after its file, on every core; each is written as soon
/// as it is made, or kept from the previous build when its inputs are unchanged. Returns how
/// many were kept.
fn render_reports<'a>(
    content: &'a Content,
    dir: &ContentDir,
    fonts: &Fonts,
    reports: &[Report<'a>],
    write: WriteFile<'_>,
    cache: &ReportCache,
) -> Result<usize, Failure> {
    let framework_path = dir.framework();
    let kept = std::sync::atomic::AtomicUsize::new(0);
    let failures: Vec<Failure> = reports
        .par_iter()
        .map(|j| {
            if let Some(previous) = cache.reusable(&j.name, &j.key) {
                kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                return write(&j.name, Pdf::Kept(&previous));
            }
            let judgement = judge(&content.framework, j.proposal);
            let input = ReportInput {
                framework: &content.framework,
                proposal: j.proposal,
                judgement: &judgement,
                provenance: &j.provenance,
            };
            let pdf = render_report_pdf(&input, fonts)
                .map_err(|e| pdf_failure(e, &[j.path, &framework_path], fonts))?;
            write(&j.name, Pdf::Made(&pdf))
        })
        .filter_map(Result::err)
        .collect();
    // Every proposal's problems at once, not only the first one's.
    let mut problems = Vec::new();
    for failure in failures {
        match failure {
            Failure::Invalid(diagnostics) => problems.extend(diagnostics),
            usage @ Failure::Usage(_) => return Err(usage),
        }
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        Ok(kept.into_inner())
    } else {
        Err(Failure::Invalid(problems))
    }
}

/// `content/proposals/NAME.yaml` → `NAME`.
pub fn report_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn summary(
    target: &Path,
    pages: usize,
    kept_pages: usize,
    reports: usize,
    kept: usize,
    started: Instant,
) -> String {
    let kept_pages = if kept_pages > 0 {
        format!("（{kept_pages} 个报告页未变，沿用上次）")
    } else {
        String::new()
    };
    let kept = if kept > 0 {
        format!("（{kept} 份未变，沿用上次）")
    } else {
        String::new()
    };
    format!(
        "已生成 {}：网页 {pages} 个{kept_pages}，速查卡 PDF 1 份，评估报告 PDF {reports} 份{kept}，用时 {:.2} 秒\n",
        target.display(),
        started.elapsed().as_secs_f64()
    )
}

fn io_failure(output: &Path) -> impl Fn(String) -> Failure + '_ {
    move |message| Failure::Invalid(vec![Diagnostic::new(output, None, message)])
}

fn card_failure(error: CardError, dir: &ContentDir, fonts: &Fonts) -> Failure {
    let framework = dir.framework();
    match error {
        CardError::Overflow {
            section,
            overflow_mm,
        } => {
            let pos = find_line(&framework, "card:");
            let message = format!(
                "速查卡一页放不下：「{section}」超出页面 {overflow_mm} 毫米（字号已缩到最小 {SMALLEST_SIZE}pt）"
            );
            Failure::Invalid(vec![
                Diagnostic::new(&framework, pos, message)
                    .with_hint("精简 framework.yaml 中 card、go、no_go 的文字或条目"),
            ])
        }
        CardError::Pdf(e) => pdf_failure(e, &[&framework], fonts),
    }
}

/// The glyph gate's error: every missing character, where it was written, and how to fix it.
pub(crate) fn pdf_failure(error: PdfError, sources: &[&Path], fonts: &Fonts) -> Failure {
    match error {
        PdfError::MissingGlyphs(chars) => Failure::Invalid(
            chars
                .into_iter()
                .map(|c| {
                    let (file, pos) = sources
                        .iter()
                        .find_map(|f| find_char(f, c).map(|p| (*f, Some(p))))
                        .unwrap_or((sources[0], None));
                    let message = format!("字符「{c}」（U+{:04X}）在字体中没有字形，PDF 里会是空白方框", c as u32);
                    let hint = format!(
                        "当前字体：{}。请安装包含该字符的中文字体（如 Debian 的 fonts-noto-cjk），或用 --font 路径[:序号] 指定字体文件；也可以改掉这个字符",
                        fonts.source
                    );
                    Diagnostic::new(file, pos, message).with_hint(hint)
                })
                .collect(),
        ),
        PdfError::Save(message) => Failure::Invalid(vec![Diagnostic::new(sources[0], None, format!("PDF 生成失败：{message}"))]),
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
