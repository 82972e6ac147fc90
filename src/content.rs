//! Finds and loads everything under the content folder: the framework, its pages and the
//! proposals. Every problem in every file is collected; none stops the others being read.
//! [`new_proposal`] writes the file a new proposal starts from.

pub mod new_proposal;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::{Diagnostic, os_error};
use crate::model::framework::Framework;
use crate::model::framework_load::{load_framework, load_framework_source};
use crate::model::page::{Page, load_page};
use crate::model::proposal::Proposal;
use crate::model::proposal_load::{parse_proposal, read_proposal_source};
use crate::model::vendor;
use crate::yaml::Digest;

/// Where the parts of a content folder live.
#[derive(Debug, Clone)]
pub struct ContentDir {
    pub root: PathBuf,
}

impl ContentDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ContentDir { root: root.into() }
    }

    pub fn framework(&self) -> PathBuf {
        self.root.join("framework.yaml")
    }

    pub fn pages(&self) -> PathBuf {
        self.root.join("pages")
    }

    pub fn proposals(&self) -> PathBuf {
        self.root.join("proposals")
    }
}

/// Everything loaded, valid.
#[derive(Debug)]
pub struct Content {
    pub framework: Framework,
    pub pages: Vec<Page>,
    pub proposals: Vec<(PathBuf, Proposal)>,
    /// The SHA-256 of `framework.yaml` and of each proposal file, as read (for provenance and
    /// the report cache: no file is read twice).
    pub digests: BTreeMap<PathBuf, Digest>,
}

/// Loads the framework alone (what `eval` needs).
pub fn load_framework_of(dir: &ContentDir) -> Result<Framework, Vec<Diagnostic>> {
    require_folder(&dir.root)?;
    let refused = links_leaving(&dir.root);
    if let Some(problem) = refused.iter().find(|(p, _)| *p == dir.framework()) {
        return Err(vec![problem.1.clone()]);
    }
    load_framework(&dir.framework())
}

/// The framework and one proposal file read against it (what `eval` needs; the file may be
/// anywhere, not only under `proposals/`).
pub fn load_proposal_of(
    dir: &ContentDir,
    file: &Path,
) -> Result<(Framework, Proposal), Vec<Diagnostic>> {
    let framework = load_framework_of(dir)?;
    let proposal = crate::model::proposal_load::load_proposal(file, &framework)?;
    Ok((framework, proposal))
}

/// Loads the whole content folder, reporting every problem found.
pub fn load_content(dir: &ContentDir) -> Result<Content, Vec<Diagnostic>> {
    require_folder(&dir.root)?;
    let refused = links_leaving(&dir.root);
    let mut problems: Vec<Diagnostic> = refused.iter().map(|(_, d)| d.clone()).collect();
    let is_refused = |path: &Path| refused.iter().any(|(p, _)| p == path);
    let mut digests = BTreeMap::new();
    let framework = if is_refused(&dir.framework()) {
        None
    } else {
        load_framework_source(&dir.framework())
            .map_err(|e| problems.extend(e))
            .ok()
    };
    let framework = framework.map(|(framework, digest)| {
        digests.insert(dir.framework(), digest);
        framework
    });
    let thresholds = framework
        .as_ref()
        .map(|f| f.thresholds.clone())
        .unwrap_or_default();
    let mut pages = Vec::new();
    let pages_files = files_in(&dir.pages(), &["md"], &mut problems);
    for path in pages_files.into_iter().filter(|p| !is_refused(p)) {
        match load_page(&path, &thresholds) {
            Ok(page) => pages.push(page),
            Err(e) if framework.is_some() => problems.extend(e),
            // Without thresholds every placeholder looks unknown; report the rest only.
            Err(e) => problems.extend(e.into_iter().filter(|d| !d.message.contains("占位符"))),
        }
    }
    check_page_order(&mut pages, &mut problems);
    if let Some(fw) = &framework {
        // The framework's pages speak of the counterparty.
        for page in &mut pages {
            let counterparty = &fw.meta.counterparty;
            page.title = vendor::fill(&page.title, counterparty).into_owned();
            page.body = vendor::fill(&page.body, counterparty).into_owned();
        }
    }
    let mut proposals = Vec::new();
    let proposal_files = files_in(&dir.proposals(), &["yaml", "yml"], &mut problems);
    problems.extend(proposal_files.iter().filter_map(|p| unsafe_report_name(p)));
    if let Some(fw) = &framework {
        let loaded: Vec<_> = proposal_files
            .into_par_iter()
            .filter(|p| !is_refused(p))
            .map(|path| (load_proposal(&path, fw), path))
            .collect();
        for (result, path) in loaded {
            match result {
                Ok((p, digest)) => {
                    digests.insert(path.clone(), digest);
                    proposals.push((path, p));
                }
                Err(e) => problems.extend(e),
            }
        }
    }
    match framework {
        Some(framework) if problems.is_empty() => Ok(Content {
            framework,
            pages,
            proposals,
            digests,
        }),
        // The warnings of the files that loaded go with the problems, each file's together
        // (the proposals come last, in file order): one run shows all there is to fix.
        _ => {
            let first_proposal = problems
                .iter()
                .position(|p| p.file.starts_with(dir.proposals()))
                .unwrap_or(problems.len());
            problems.extend(
                proposals
                    .iter()
                    .flat_map(|(_, p)| p.warnings.iter().map(|w| w.0.clone())),
            );
            problems[first_proposal..].sort_by(|a, b| a.file.cmp(&b.file));
            Err(problems)
        }
    }
}

/// One proposal and the SHA-256 of its file.
fn load_proposal(
    path: &Path,
    framework: &Framework,
) -> Result<(Proposal, Digest), Vec<Diagnostic>> {
    let (text, digest) = read_proposal_source(path)?;
    parse_proposal(path, &text, framework).map(|proposal| (proposal, digest))
}

/// A report is named after its proposal file, and the name goes into the site's links as it
/// is: letters and digits of any script (Chinese included), `-`, `_` and `.` (not first) need
/// no escaping in a URL and are served by any web server. Anything else is a problem here, so
/// a file `check` accepts always builds and serves.
fn unsafe_report_name(path: &Path) -> Option<Diagnostic> {
    let stem = path.file_stem()?.to_string_lossy();
    let message = if stem.starts_with('.') {
        format!("文件名「{stem}」以「.」开头：网页服务器不提供这样的文件，报告打不开")
    } else {
        let odd: String = stem
            .chars()
            .filter(|&c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .collect();
        if odd.is_empty() {
            return None;
        }
        format!("文件名「{stem}」里有不能直接用在网页链接里的字符「{odd}」")
    };
    let hint =
        "报告以提案文件名命名；文件名只用字母、汉字、数字、- 和 _（如 2026-04-01-腾讯云.yaml）";
    Some(Diagnostic::new(path, None, message).with_hint(hint))
}

fn require_folder(root: &Path) -> Result<(), Vec<Diagnostic>> {
    if root.is_dir() {
        Ok(())
    } else {
        let d = Diagnostic::new(root, None, "找不到内容文件夹")
            .with_hint("在项目根目录运行，或用 --content 指定内容文件夹");
        Err(vec![d])
    }
}

/// Symbolic links under `root` that lead outside it, or nowhere: they are refused, never
/// followed, so a content folder cannot pull in files from elsewhere on the machine.
fn links_leaving(root: &Path) -> Vec<(PathBuf, Diagnostic)> {
    let Ok(real_root) = root.canonicalize() else {
        return Vec::new();
    };
    let mut refused = Vec::new();
    for entry in WalkDir::new(root).sort_by_file_name().into_iter().flatten() {
        if !entry.path_is_symlink() {
            continue;
        }
        let path = entry.into_path();
        let message = match path.canonicalize() {
            Ok(real) if real.starts_with(&real_root) => continue,
            Ok(real) => format!("符号链接指向内容文件夹之外（{}），拒绝读取", real.display()),
            Err(_) => "符号链接指向不存在的路径，无法读取".to_string(),
        };
        let hint = "把文件本身复制进内容文件夹，而不是链接到外面";
        refused.push((
            path.clone(),
            Diagnostic::new(&path, None, message).with_hint(hint),
        ));
    }
    refused
}

/// The files with one of `extensions` under `folder`, sorted, without following links.
fn files_in(folder: &Path, extensions: &[&str], problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    if !folder.is_dir() {
        problems.push(Diagnostic::new(folder, None, "找不到这个文件夹"));
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(folder).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let ext = e.path().extension().and_then(|x| x.to_str()).unwrap_or("");
                if !extensions.contains(&ext) {
                    continue;
                }
                if e.file_type().is_file() || e.path_is_symlink() {
                    files.push(e.into_path());
                } else {
                    // A FIFO or a device named like a source would block or mislead a read.
                    let message = "不是普通文件（可能是管道或设备），无法作为源文件读取";
                    problems.push(Diagnostic::new(e.path(), None, message));
                }
            }
            Err(err) => {
                let path = err.path().unwrap_or(folder).to_path_buf();
                let why = err.io_error().map_or_else(|| err.to_string(), os_error);
                problems.push(Diagnostic::new(&path, None, format!("无法读取：{why}")));
            }
        }
    }
    files
}

/// Pages are sorted by `order`; two pages with the same order would be ambiguous.
fn check_page_order(pages: &mut [Page], problems: &mut Vec<Diagnostic>) {
    pages.sort_by(|a, b| (a.order.value, &a.slug).cmp(&(b.order.value, &b.slug)));
    for pair in pages.windows(2) {
        if pair[0].order.value == pair[1].order.value {
            let message = format!(
                "页面顺序 order: {} 与 {} 重复",
                pair[1].order.value,
                pair[0].path.display()
            );
            problems.push(Diagnostic::at(&pair[1].path, pair[1].order.pos, message));
        }
    }
}
