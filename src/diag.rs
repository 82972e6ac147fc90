//! User-facing problems: each names the file, the position and what was expected.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::location::Pos;

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
}

/// An error stops the command; a warning (a value accepted that looks like a slip) does
/// not, and is said beside any errors, so one run shows all there is to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Diagnostic {
    pub fn new(file: &Path, pos: Option<Pos>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            pos,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
        }
    }

    pub fn at(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Self::new(file, Some(pos), message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// `note` added to the hint, in brackets after it, or as the hint when there is none.
    pub fn with_note(self, note: &str) -> Self {
        let hint = match &self.hint {
            Some(hint) => format!("{hint}（{note}）"),
            None => note.to_string(),
        };
        self.with_hint(hint)
    }
}

impl Diagnostic {
    /// `file:line:col: 错误：message`, with the hint on its own line.
    fn write(&self, f: &mut fmt::Formatter<'_>, kind: &str) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(pos) = self.pos {
            write!(f, ":{pos}")?;
        }
        write!(f, ": {kind}：{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  提示：{hint}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => self.write(f, "错误"),
            Severity::Warning => self.write(f, "警告"),
        }
    }
}

/// The last line of a failed run: how many problems, and how many warnings beside them.
pub fn tally(problems: &[Diagnostic]) -> String {
    let warnings = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    let errors = problems.len() - warnings;
    match warnings {
        0 => format!("共 {errors} 个问题"),
        _ => format!("共 {errors} 个问题，另有 {warnings} 个警告"),
    }
}

/// Something accepted that looks like a slip (a fraction where a percentage belongs): said
/// at its line, and never failing the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(pub Diagnostic);

impl Warning {
    pub fn at(file: &Path, pos: Pos, message: impl Into<String>) -> Self {
        Warning(Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::at(file, pos, message)
        })
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Why a command did not do its job. The exit codes are written down here once: 0 ok,
/// 1 invalid input, 2 usage error. A No-Go verdict is a result, not a failure.
#[derive(Debug)]
pub enum Failure {
    /// Input files with problems: exit 1.
    Invalid(Vec<Diagnostic>),
    /// A command line that cannot be carried out as written: exit 2.
    Usage(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Invalid(_) => ExitCode::from(1),
            Failure::Usage(_) => ExitCode::from(2),
        }
    }

    /// What a failed run says: every problem, then a count; or the usage error.
    pub fn text(&self) -> String {
        match self {
            Failure::Invalid(problems) => {
                let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                lines.push(tally(problems));
                lines.join("\n")
            }
            Failure::Usage(message) => format!("错误：{message}"),
        }
    }

    /// Prints `text` on stderr.
    pub fn report(&self) {
        let _ = writeln!(std::io::stderr().lock(), "{}", self.text());
    }
}

/// An operating-system error in Chinese (文件不存在、没有权限…); the system's own words
/// only for the rare kinds without a name here.
pub fn os_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let said = match error.kind() {
        K::NotFound => "文件或文件夹不存在",
        K::PermissionDenied => "没有权限",
        K::AlreadyExists => "已经存在",
        K::IsADirectory => "这是一个文件夹，不是文件",
        K::NotADirectory => "路径中有一段不是文件夹",
        K::DirectoryNotEmpty => "文件夹不是空的",
        K::ReadOnlyFilesystem => "文件系统是只读的",
        K::StorageFull => "磁盘空间不足",
        K::QuotaExceeded => "超出了磁盘配额",
        K::FileTooLarge => "文件太大",
        K::InvalidFilename => "文件名无效",
        K::CrossesDevices => "不能跨磁盘移动",
        K::ResourceBusy => "文件正被占用",
        K::AddrInUse => "端口已被占用",
        K::AddrNotAvailable => "地址不可用",
        K::Interrupted => "操作被中断",
        K::OutOfMemory => "内存不足",
        _ => return format!("系统错误（{error}）"),
    };
    said.to_string()
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// "是不是想写「x」？" when a near candidate exists, else the list of valid choices.
pub fn suggestion(word: &str, candidates: &[&str]) -> String {
    match nearest(word, candidates.iter().copied()) {
        Some(best) => did_you_mean(&[best]),
        None => format!("可用的值：{}", candidates.join("、")),
    }
}

/// An id and the title people know it by (`compute`, 算力基础设施合作).
pub type Titled<'a> = (&'a str, &'a str);

/// The ids `word` may mean: a typo of one, the start of one (`prim`), or words of its title
/// (`算力` for 算力基础设施合作, `初步接触` for 第一阶段：初步接触（当面沟通）).
pub fn guess_ids<'a>(word: &str, options: &[Titled<'a>]) -> Vec<Titled<'a>> {
    let word = word.trim();
    if let Some(best) = nearest(word, options.iter().map(|(id, _)| *id)) {
        return options
            .iter()
            .filter(|(id, _)| *id == best)
            .copied()
            .collect();
    }
    let long_enough = word.chars().count() >= 2;
    let by_prefix: Vec<Titled> = options
        .iter()
        .filter(|(id, _)| long_enough && id.starts_with(&word.to_lowercase()))
        .copied()
        .collect();
    if !by_prefix.is_empty() {
        return by_prefix;
    }
    options
        .iter()
        .filter(|(_, title)| long_enough && (title.contains(word) || word.contains(*title)))
        .copied()
        .collect()
}

/// "是不是想写「compute」（算力基础设施合作）？可用的值：…", or the valid values alone.
pub fn id_suggestion(word: &str, options: &[Titled]) -> String {
    let all: Vec<String> = options
        .iter()
        .map(|(id, title)| format!("{id}（{title}）"))
        .collect();
    let all = format!("可用的值：{}", all.join("、"));
    let guesses = guess_ids(word, options);
    if guesses.is_empty() {
        return all;
    }
    let guesses: Vec<String> = guesses
        .iter()
        .map(|(id, title)| format!("「{id}」（{title}）"))
        .collect();
    format!("是不是想写{}？{all}", guesses.join("或"))
}

/// "是不是想写「x」？", or "是不是想写「x」或「y」？" for several.
pub fn did_you_mean(words: &[impl AsRef<str>]) -> String {
    let words: Vec<&str> = words.iter().map(AsRef::as_ref).collect();
    format!("是不是想写「{}」？", words.join("」或「"))
}

/// Levenshtein distance over characters, case-insensitive.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_misspelt_key() {
        let keys = ["exclusive", "lock_in", "exit_clause"];
        assert_eq!(nearest("exclusiv", keys), Some("exclusive"));
        assert_eq!(nearest("Lock_In", keys), Some("lock_in"));
    }

    #[test]
    fn a_note_follows_the_hint_or_becomes_it() {
        let bare = Diagnostic::new(Path::new("a"), None, "m").with_note("生成页面 x 时");
        assert_eq!(bare.hint.as_deref(), Some("生成页面 x 时"));
        let hinted = bare
            .with_hint("是不是想写「vendor」？")
            .with_note("生成页面 x 时");
        assert_eq!(
            hinted.hint.as_deref(),
            Some("是不是想写「vendor」？（生成页面 x 时）")
        );
    }

    #[test]
    fn offers_nothing_for_an_unrelated_word() {
        assert_eq!(nearest("vendor", ["exclusive", "lock_in"]), None);
    }

    #[test]
    fn lists_choices_when_nothing_is_near() {
        assert_eq!(suggestion("zzz", &["a", "b"]), "可用的值：a、b");
        assert_eq!(
            suggestion("comput", &["compute", "enablement"]),
            "是不是想写「compute」？"
        );
    }

    #[test]
    fn guesses_an_id_from_a_typo_its_start_or_its_title() {
        let directions = [
            ("primary_model", "成为主要模型提供商"),
            ("compute", "算力基础设施合作"),
            ("joint_solution", "联合解决方案 / 战略合作"),
        ];
        let ids = |word: &str| -> Vec<&str> {
            guess_ids(word, &directions)
                .iter()
                .map(|(id, _)| *id)
                .collect()
        };
        assert_eq!(ids("comptue"), ["compute"]);
        assert_eq!(ids("prim"), ["primary_model"]);
        assert_eq!(ids("Primary"), ["primary_model"]);
        assert_eq!(ids("算力"), ["compute"]);
        assert_eq!(ids("联合解决方案"), ["joint_solution"]);
        assert_eq!(ids("合作"), ["compute", "joint_solution"]);
        assert!(ids("p").is_empty() && ids("金融").is_empty());
        assert_eq!(
            id_suggestion("算力", &directions),
            "是不是想写「compute」（算力基础设施合作）？可用的值：primary_model（成为主要模型提供商）、compute（算力基础设施合作）、joint_solution（联合解决方案 / 战略合作）"
        );
    }

    #[test]
    fn displays_file_line_column_and_hint() {
        let d = Diagnostic::at(Path::new("p.yaml"), Pos::new(3, 5), "坏了").with_hint("修好它");
        assert_eq!(d.to_string(), "p.yaml:3:5: 错误：坏了\n  提示：修好它");
    }
}
