//! `build`: the whole site into the output folder, as a list of stages. Load the content, the
//! theme and the font; list the meetings; render the PDFs and the site side by side into a
//! staging folder; swap it in. Nothing is read from the output folder: the only thing a build
//! reuses is a report PDF from the cache beside the content (`pdf_cache`).

mod output;
mod pdf_cache;
mod pdfs;
mod site;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use crate::content::{Content, ContentDir, load_content};
use crate::diag::{Diagnostic, Failure, Warning};
use crate::model::date::Date;
use crate::output::{OutputLock, check_target};
use crate::render::pdf::fonts::{FontChoice, Fonts};
use crate::render::report::{Meeting, Provenance, build_date};
use crate::render::site::config::{SiteConfig, load_site_config};
use crate::render::site::theme::{Theme, load_theme};
use crate::yaml::Digest;
use output::Output;
use pdf_cache::PdfCache;

pub use output::{Progress, Quiet};

/// What to build, and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    pub theme: PathBuf,
    pub output: PathBuf,
    /// `auto`, `builtin` or `PATH[:INDEX]` (see [`FontChoice`]).
    pub font: String,
    /// Replace an output folder that dealbook did not make.
    pub force: bool,
}

/// What a build made.
#[derive(Debug)]
pub struct Built {
    pub output: PathBuf,
    pub pages: usize,
    pub reports: usize,
    /// Report PDFs taken from the cache instead of rendered.
    pub cached: usize,
    pub seconds: f64,
    /// Values accepted that look like slips (0.32 for 32 %), for the command to say.
    pub warnings: Vec<Warning>,
}

/// The cheat card's file in the output.
pub const CARD_PDF: &str = "cheat-card.pdf";

/// Everything a build renders from.
struct Inputs {
    content: Content,
    framework_file: PathBuf,
    /// The SHA-256 of `framework.yaml`, as read.
    framework_digest: Digest,
    config: SiteConfig,
    theme: Theme,
    /// What tells the font from any other (see [`FontChoice::fingerprint`]).
    font: String,
    /// The font, read when the first PDF that is not in the cache is drawn: reading a
    /// system CJK font takes tens of megabytes and milliseconds a build with a warm cache
    /// does not need.
    fonts: LazyFonts,
}

/// The faces the PDFs are drawn with, read once, when first needed.
struct LazyFonts {
    choice: FontChoice,
    /// As given on the command line, for its problems.
    given: String,
    loaded: OnceLock<Result<Fonts, Diagnostic>>,
}

impl LazyFonts {
    fn get(&self) -> Result<&Fonts, Vec<Diagnostic>> {
        self.loaded
            .get_or_init(|| {
                Fonts::load(&self.choice)
                    .map_err(|e| Diagnostic::new(Path::new(&self.given), None, e))
            })
            .as_ref()
            .map_err(|problem| vec![problem.clone()])
    }
}

/// Builds everything into `options.output`. On any problem the output is left as it was and
/// every problem found is returned.
pub fn build(options: &BuildOptions, progress: &dyn Progress) -> Result<Built, Failure> {
    let started = Instant::now();
    let dir = ContentDir::new(&options.content);
    let cache = PdfCache::beside(&dir.root);
    let protected = [dir.root.as_path(), options.theme.as_path(), cache.dir()];
    let check = || check_target(&options.output, &protected, options.force).map_err(Failure::Usage);
    check()?;
    let mut waited = false;
    let _lock = OutputLock::take(&options.output, || {
        waited = true;
        progress.waiting(&options.output);
    })
    .map_err(Failure::Usage)?;
    if waited {
        // The other build may have changed what the output is.
        check()?;
    }
    let inputs = load(options, &dir)?;
    let warnings = inputs
        .content
        .proposals
        .iter()
        .flat_map(|(_, p)| p.warnings.iter().cloned())
        .collect();
    let meetings = meetings(&inputs)?;
    let out = Output::new(&options.output, progress, file_count(&inputs))?;
    let (pdfs, site) = rayon::join(
        || pdfs::render(&inputs, &meetings, &cache, &out),
        || site::render(&inputs, &meetings, &out),
    );
    let (cached, pages) = both(pdfs, site)?;
    let output = out.commit()?;
    Ok(Built {
        output,
        pages,
        reports: meetings.len(),
        cached,
        seconds: started.elapsed().as_secs_f64(),
        warnings,
    })
}

/// The content, the site settings, the theme and the font's identity; every problem any of
/// them has.
fn load(options: &BuildOptions, dir: &ContentDir) -> Result<Inputs, Failure> {
    let choice = FontChoice::parse(&options.font).map_err(Failure::Usage)?;
    Date::source_date_epoch().map_err(Failure::Usage)?;
    let font = choice
        .fingerprint()
        .map_err(|e| vec![Diagnostic::new(Path::new(&options.font), None, e)]);
    let content = load_content(dir);
    let config = load_site_config(&dir.root.join("site.yaml"));
    let theme = load_theme(&options.theme);
    match (content, config, theme, font) {
        (Ok(content), Ok(config), Ok(theme), Ok(font)) => Ok(Inputs {
            framework_file: dir.framework(),
            framework_digest: content
                .digests
                .get(&dir.framework())
                .copied()
                .unwrap_or_default(),
            content,
            config,
            theme,
            font,
            fonts: LazyFonts {
                choice,
                given: options.font.clone(),
                loaded: OnceLock::new(),
            },
        }),
        (content, config, theme, font) => {
            let mut problems = content.err().unwrap_or_default();
            problems.extend(config.err().unwrap_or_default());
            problems.extend(theme.err().unwrap_or_default());
            problems.extend(font.err().unwrap_or_default());
            Err(Failure::Invalid(problems))
        }
    }
}

/// Every proposal as a meeting, newest first, with its report's provenance. A report is dated
/// by its own sources (the framework and its proposal), so a new meeting leaves every earlier
/// report as it was.
fn meetings(inputs: &Inputs) -> Result<Vec<Meeting<'_>>, Failure> {
    let content = &inputs.content;
    // Every file loaded has its digest; a missing one is a bug, said so rather than hashed
    // as nothing (which could take another report's PDF from the cache).
    let digest = |path: &Path| {
        content.digests.get(path).copied().ok_or_else(|| {
            let message = "内部错误：构建时找不到该文件读取时的摘要，请报告此问题";
            Failure::Invalid(vec![Diagnostic::new(path, None, message)])
        })
    };
    let framework = digest(&inputs.framework_file)?;
    let mut meetings = content
        .proposals
        .iter()
        .map(|(path, proposal)| {
            let date = build_date(&content.framework, &[proposal]);
            let proposal_digest = digest(path)?;
            Ok(Meeting {
                name: report_name(path),
                path,
                proposal,
                digest: proposal_digest,
                provenance: Provenance::of_digests(&framework, &proposal_digest, date),
            })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    meetings
        .sort_by(|a, b| (b.proposal.date.value, &b.name).cmp(&(a.proposal.date.value, &a.name)));
    Ok(meetings)
}

/// `content/proposals/NAME.yaml` → `NAME`.
pub fn report_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// How many files the build writes, for the progress bar: the card, a PDF and a page per
/// report, the section pages, the meetings page, the search index and the static files.
fn file_count(inputs: &Inputs) -> usize {
    let content = &inputs.content;
    1 + 2 * content.proposals.len() + content.pages.len() + 2 + inputs.theme.statics.len()
}

/// Both halves' results, or every problem of both.
fn both(
    pdfs: Result<usize, Vec<Diagnostic>>,
    site: Result<usize, Vec<Diagnostic>>,
) -> Result<(usize, usize), Failure> {
    match (pdfs, site) {
        (Ok(cached), Ok(pages)) => Ok((cached, pages)),
        (pdfs, site) => {
            let mut problems = pdfs.err().unwrap_or_default();
            problems.extend(site.err().unwrap_or_default());
            Err(Failure::Invalid(problems))
        }
    }
}

/// For each meeting (newest first), the same vendor's meeting before it.
pub(super) fn previous_meetings<'m, 'a>(
    meetings: &'m [Meeting<'a>],
) -> Vec<Option<&'m Meeting<'a>>> {
    let mut last_seen: HashMap<&str, &Meeting<'a>> = HashMap::new();
    let mut before = vec![None; meetings.len()];
    for (i, m) in meetings.iter().enumerate().rev() {
        before[i] = last_seen.insert(m.proposal.vendor.value.as_str(), m);
    }
    before
}
