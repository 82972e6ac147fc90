//! Hostile and odd input files (proposals, and the framework, pages and templates around them),
//! run through the real binary.
//!
//! Every invalid file must be refused with exit code 1 and `PATH:LINE:COL: 错误：MESSAGE` on
//! stderr (then `共 N 个问题`); every legal one accepted with exit code 0. No input may make
//! the program panic or run longer than [`support::TIMEOUT`]. A test marked
//! `#[ignore = "BUG: …"]` asserts what the spec asks for and the program does not do yet.

mod common;

mod support {
    use std::fmt;
    use std::fs::{self, File};
    use std::ops::RangeInclusive;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    /// The longest any run may take before it is killed and the test fails.
    pub const TIMEOUT: Duration = Duration::from_secs(20);

    /// Lines 1–4 of a valid proposal; a case appends its own lines from line 5 on.
    pub const HEAD: &str = "vendor: 阿里云\nmeeting:\n  date: 2026-01-05\ndirections: [compute]\n";

    /// The shipped content (its example proposals only): the real framework.
    pub fn content_dir() -> PathBuf {
        crate::common::shipped_content().to_path_buf()
    }

    /// A fresh folder under the system's temporary folder, removed when the test passes
    /// (kept, and named on stderr, when it fails).
    pub struct Fixture {
        dir: PathBuf,
    }

    impl Fixture {
        pub fn new(test: &str) -> Fixture {
            crate::common::sweep_ended_runs();
            let name = format!("dealbook-hostile-{test}-{}", std::process::id());
            let dir = std::env::temp_dir().join(name);
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("create the fixture folder");
            Fixture { dir }
        }

        pub fn path(&self, name: &str) -> PathBuf {
            self.dir.join(name)
        }

        /// Writes `contents` (any bytes) to `name` inside the fixture, creating folders.
        pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
            let path = self.path(name);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).expect("create a fixture subfolder");
            }
            fs::write(&path, contents).expect("write a fixture file");
            path
        }

        /// `dealbook eval FILE --format json --content <repo>/content`.
        pub fn eval(&self, file: &Path) -> Outcome {
            let mut command = Command::new(env!("CARGO_BIN_EXE_dealbook"));
            command
                .arg("eval")
                .arg(file)
                .args(["--format", "json", "--content"])
                .arg(content_dir());
            self.run(command, file)
        }

        /// A copy of the repository's `content/` inside the fixture, to break a file of.
        pub fn content_copy(&self) -> PathBuf {
            let content = self.path("content");
            crate::common::copy_shipped_content(&content);
            content
        }

        /// `dealbook build --content DIR --theme THEME` into the fixture; assertions name `file`.
        pub fn build(&self, content: &Path, theme: &Path, file: &Path) -> Outcome {
            let mut command = Command::new(env!("CARGO_BIN_EXE_dealbook"));
            command
                .args(["build", "--font", "builtin", "--content"])
                .arg(content)
                .arg("--theme")
                .arg(theme)
                .arg("--output")
                .arg(self.path("output"));
            self.run(command, file)
        }

        /// `dealbook check --content DIR`; assertions then name `file` until [`Outcome::about`].
        pub fn check(&self, content: &Path, file: &Path) -> Outcome {
            let mut command = Command::new(env!("CARGO_BIN_EXE_dealbook"));
            command.arg("check").arg("--content").arg(content);
            self.run(command, file)
        }

        /// Runs the binary with its output in files (no pipe can fill up and block it), kills
        /// it after [`TIMEOUT`], and fails on a panic or a signal whatever the test expects.
        fn run(&self, mut command: Command, file: &Path) -> Outcome {
            let out_path = self.path("dealbook.stdout");
            let err_path = self.path("dealbook.stderr");
            let mut child = command
                .stdin(Stdio::null())
                .stdout(File::create(&out_path).expect("create the stdout file"))
                .stderr(File::create(&err_path).expect("create the stderr file"))
                .spawn()
                .expect("start dealbook");
            let started = Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().expect("poll dealbook") {
                    break status;
                }
                if started.elapsed() > TIMEOUT {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!(
                        "dealbook still running after {} s on {}: killed",
                        TIMEOUT.as_secs(),
                        file.display()
                    );
                }
                std::thread::sleep(Duration::from_millis(10));
            };
            let read =
                |p: &Path| String::from_utf8_lossy(&fs::read(p).unwrap_or_default()).into_owned();
            let outcome = Outcome {
                code: status.code(),
                stdout: read(&out_path),
                stderr: read(&err_path),
                file: file.to_path_buf(),
            };
            assert!(
                !outcome.stderr.contains("panicked"),
                "dealbook panicked\n{outcome}"
            );
            assert!(
                outcome.code.is_some(),
                "dealbook was killed by a signal: {status}\n{outcome}"
            );
            assert_ne!(outcome.code, Some(101), "dealbook panicked\n{outcome}");
            outcome
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            if std::thread::panicking() {
                eprintln!("fixture kept for inspection: {}", self.dir.display());
            } else {
                let _ = fs::remove_dir_all(&self.dir);
            }
        }
    }

    /// What one run printed, and the file whose diagnostics the assertions look at.
    #[derive(Clone)]
    pub struct Outcome {
        pub code: Option<i32>,
        pub stdout: String,
        pub stderr: String,
        file: PathBuf,
    }

    /// One `PATH:LINE:COL: 错误：MESSAGE` entry, with its `  提示：HINT` line if any.
    #[derive(Debug)]
    struct Diag {
        pos: Option<(u32, u32)>,
        message: String,
        hint: String,
    }

    impl Outcome {
        /// The same outcome, with assertions about another file's diagnostics.
        pub fn about(&self, file: &Path) -> Outcome {
            Outcome {
                file: file.to_path_buf(),
                ..self.clone()
            }
        }

        /// Exit code exactly 1, nothing on stdout, and the closing count line.
        pub fn expect_invalid(&self) -> &Self {
            assert_eq!(self.code, Some(1), "exit code\n{self}");
            assert!(self.stdout.is_empty(), "nothing on stdout\n{self}");
            let last = self.stderr.lines().last().unwrap_or("");
            assert!(
                last.starts_with("共 ") && last.ends_with(" 个问题"),
                "the count line 共 N 个问题 comes last\n{self}"
            );
            self
        }

        /// Exit code 0, nothing on stderr; returns the JSON judgement from stdout.
        pub fn expect_valid(&self) -> serde_json::Value {
            assert_eq!(self.code, Some(0), "exit code\n{self}");
            assert!(self.stderr.is_empty(), "nothing on stderr\n{self}");
            serde_json::from_str(&self.stdout)
                .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
        }

        /// An error about this file at `line` (with a column) whose message contains `fragment`.
        pub fn expect_error(&self, line: u32, fragment: &str) -> &Self {
            self.expect_error_within(line..=line, fragment)
        }

        /// An error at any line of `lines`: for a problem that spans many lines.
        pub fn expect_error_within(&self, lines: RangeInclusive<u32>, fragment: &str) -> &Self {
            let found = self.diagnostics().iter().any(|d| {
                matches!(d.pos, Some((l, c)) if lines.contains(&l) && c >= 1)
                    && d.message.contains(fragment)
            });
            assert!(
                found,
                "expected `{}:{lines:?}:COL: 错误：…{fragment}…`\n{self}",
                self.file.display()
            );
            self
        }

        /// A hint under the error at `line` containing `fragment`.
        pub fn expect_hint(&self, line: u32, fragment: &str) -> &Self {
            let found = self
                .diagnostics()
                .iter()
                .any(|d| matches!(d.pos, Some((l, _)) if l == line) && d.hint.contains(fragment));
            assert!(
                found,
                "expected a hint `提示：…{fragment}…` at line {line}\n{self}"
            );
            self
        }

        /// Any error about this file (with or without a position) whose message contains `fragment`.
        pub fn expect_message(&self, fragment: &str) -> &Self {
            let found = self
                .diagnostics()
                .iter()
                .any(|d| d.message.contains(fragment));
            assert!(found, "expected an error containing `{fragment}`\n{self}");
            self
        }

        pub fn expect_count(&self, problems: usize) -> &Self {
            let line = format!("共 {problems} 个问题");
            assert!(
                self.stderr.lines().any(|l| l == line),
                "expected `{line}`\n{self}"
            );
            self
        }

        fn diagnostics(&self) -> Vec<Diag> {
            let prefix = self.file.display().to_string();
            let mut found = Vec::new();
            let mut lines = self.stderr.lines().peekable();
            while let Some(line) = lines.next() {
                let Some((pos, message)) = line.strip_prefix(&prefix).and_then(split_position)
                else {
                    continue;
                };
                let hint = lines
                    .next_if(|l| l.starts_with("  提示："))
                    .map_or("", |l| l.trim_start_matches("  提示："));
                found.push(Diag {
                    pos,
                    message: message.to_string(),
                    hint: hint.to_string(),
                });
            }
            found
        }
    }

    /// `:LINE:COL: 错误：MESSAGE` or `: 错误：MESSAGE` → (position, message).
    fn split_position(rest: &str) -> Option<(Option<(u32, u32)>, &str)> {
        if let Some(message) = rest.strip_prefix(": 错误：") {
            return Some((None, message));
        }
        let (line, rest) = rest.strip_prefix(':')?.split_once(':')?;
        let (col, rest) = rest.split_once(':')?;
        let message = rest.strip_prefix(" 错误：")?;
        Some((Some((line.parse().ok()?, col.parse().ok()?)), message))
    }

    impl fmt::Display for Outcome {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            const SHOWN: usize = 3000;
            let stdout: String = self.stdout.chars().take(SHOWN).collect();
            writeln!(f, "--- exit code: {:?}", self.code)?;
            writeln!(f, "--- stderr:\n{}", self.stderr)?;
            write!(f, "--- stdout (first {SHOWN} characters):\n{stdout}")
        }
    }

    /// A fresh fixture named after the test that calls it (its function name).
    macro_rules! fixture {
        () => {{
            fn here() {}
            let name = std::any::type_name_of_val(&here);
            let test = name.trim_end_matches("::here");
            support::Fixture::new(test.rsplit("::").next().unwrap_or(test))
        }};
    }
    pub(crate) use fixture;
}

use support::{HEAD, fixture};

// ---------------------------------------------------------------------------------------------
// Not a proposal at all
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_empty_file_at_line_1() {
    let fx = fixture!();
    let file = fx.write("p.yaml", "");
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "提案文件是空的")
        .expect_count(1);
}

#[test]
fn rejects_comment_only_file_at_line_1() {
    let fx = fixture!();
    let file = fx.write("p.yaml", "# 评估提案\n# 待填写\n");
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "提案文件是空的");
}

#[test]
fn rejects_list_instead_of_map() {
    let fx = fixture!();
    let file = fx.write("p.yaml", "- vendor: 阿里云\n- directions: [compute]\n");
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "提案文件应为映射（键: 值），实际是列表");
}

#[test]
fn rejects_non_utf8_bytes_at_their_line() {
    let fx = fixture!();
    let mut bytes = HEAD.as_bytes().to_vec();
    bytes.extend_from_slice(b"title: \"ab\xff\xfecd\"\n");
    let file = fx.write("p.yaml", bytes);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(5, "不是有效的 UTF-8")
        .expect_error(5, "0xFF");
}

#[test]
fn non_utf8_error_hint_is_about_the_encoding() {
    let fx = fixture!();
    let mut bytes = HEAD.as_bytes().to_vec();
    bytes.extend_from_slice(b"title: \"ab\xff\xfecd\"\n");
    let file = fx.write("p.yaml", bytes);
    let out = fx.eval(&file);
    out.expect_invalid().expect_hint(5, "UTF-8 编码");
    assert!(
        !out.stderr.contains("1 MiB"),
        "a size hint for an encoding problem\n{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Numbers out of their domain
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_nan_as_a_number_with_line() {
    let fx = fixture!();
    let file = fx.write(
        "p.yaml",
        format!("{HEAD}terms:\n  cost_reduction_pct: .nan\n"),
    );
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms.cost_reduction_pct」应为有限数字");
}

#[test]
fn rejects_infinity_as_a_number_with_line() {
    let fx = fixture!();
    let file = fx.write("p.yaml", format!("{HEAD}poc:\n  latency_s: .inf\n"));
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「poc.latency_s」应为有限数字");
}

#[test]
fn rejects_negative_infinity_and_overflowing_numbers() {
    // cost_reduction_pct may be negative, so only the finiteness check stops -.inf; 1e400
    // overflows to infinity while parsing.
    let fx = fixture!();
    let text = format!(
        "{HEAD}terms:\n  cost_reduction_pct: -.inf\nmigration:\n  cost_vs_benefit_pct: 1e400\n"
    );
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms.cost_reduction_pct」应为有限数字")
        .expect_error(8, "「migration.cost_vs_benefit_pct」应为有限数字")
        .expect_count(2);
}

#[test]
fn rejects_negative_latency_with_line() {
    let fx = fixture!();
    let file = fx.write("p.yaml", format!("{HEAD}poc:\n  latency_s: -0.5\n"));
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「poc.latency_s」不能小于 0，实际是 -0.5");
}

#[test]
fn rejects_percentage_over_100_with_line() {
    let fx = fixture!();
    let file = fx.write(
        "p.yaml",
        format!("{HEAD}terms:\n  cost_reduction_pct: 120\n"),
    );
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms.cost_reduction_pct」不能大于 100，实际是 120");
}

#[test]
fn percentage_just_over_100_shows_the_value_as_written() {
    let fx = fixture!();
    let file = fx.write(
        "p.yaml",
        format!("{HEAD}terms:\n  cost_reduction_pct: 100.0000001\n"),
    );
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "实际是 100.0000001");
}

#[test]
fn an_absurd_number_is_refused_and_printed_readably() {
    let fx = fixture!();
    let file = fx.write(
        "p.yaml",
        format!("{HEAD}terms:\n  cost_reduction_pct: -1e308\npoc:\n  latency_s: 1e9\n"),
    );
    fx.eval(&file)
        .expect_invalid()
        .expect_error(
            6,
            "「terms.cost_reduction_pct」不能小于 -1000，实际是 -1e308",
        )
        .expect_error(8, "「poc.latency_s」不能大于 3600，实际是 1000000000");
}

#[test]
fn rejects_string_where_number_expected() {
    let fx = fixture!();
    let text =
        format!("{HEAD}terms:\n  cost_reduction_pct: \"35\"\nmigration:\n  person_weeks: 3 周\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(
            6,
            "「terms.cost_reduction_pct」应为数字（未知请写 null），实际是字符串 \"35\"",
        )
        .expect_error(8, "「migration.person_weeks」应为数字")
        .expect_count(2);
}

// ---------------------------------------------------------------------------------------------
// Booleans are strict: only true / false (null for unknown)
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_no_as_a_boolean() {
    let fx = fixture!();
    let file = fx.write("p.yaml", format!("{HEAD}terms:\n  exclusive: no\n"));
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms.exclusive」应为 true 或 false")
        .expect_error(6, "实际是字符串 \"no\"");
}

#[test]
fn rejects_yes_on_and_off_as_booleans() {
    let fx = fixture!();
    let text = format!("{HEAD}terms:\n  exclusive: yes\n  lock_in: off\npoc:\n  passed: on\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms.exclusive」应为 true 或 false")
        .expect_error(7, "「terms.lock_in」应为 true 或 false")
        .expect_error(9, "「poc.passed」应为 true 或 false")
        .expect_count(3);
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_february_30th_with_line() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  date: 2026-02-30\ndirections: [compute]\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file).expect_invalid().expect_error(
        3,
        "「meeting.date」应为 YYYY-MM-DD 格式的有效日期，实际是 \"2026-02-30\"",
    );
}

#[test]
fn rejects_date_without_leading_zeros() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  date: 2026-1-5\ndirections: [compute]\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file).expect_invalid().expect_error(
        3,
        "「meeting.date」应为 YYYY-MM-DD 格式的有效日期，实际是 \"2026-1-5\"",
    );
}

// ---------------------------------------------------------------------------------------------
// Keys: duplicates, typos, non-text keys, missing required keys
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_duplicate_key_naming_the_first_line() {
    let fx = fixture!();
    let text = format!("{HEAD}terms:\n  exclusive: false\n  lock_in: false\n  exclusive: true\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(8, "重复的键「exclusive」")
        .expect_error(8, "第 6 行")
        .expect_count(1);
}

#[test]
fn rejects_misspelt_terms_key_suggesting_the_nearest() {
    let fx = fixture!();
    let file = fx.write("p.yaml", format!("{HEAD}terms:\n  exclusiv: false\n"));
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "未知的键「exclusiv」")
        .expect_hint(6, "是不是想写「exclusive」？");
}

#[test]
fn rejects_misspelt_top_level_key_suggesting_the_nearest() {
    let fx = fixture!();
    let text = "vendr: 阿里云\nmeeting:\n  date: 2026-01-05\ndirections: [compute]\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "未知的键「vendr」")
        .expect_hint(1, "是不是想写「vendor」？")
        .expect_error(1, "缺少必填的键「vendor」");
}

#[test]
fn rejects_misspelt_meeting_key_suggesting_the_nearest() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  dat: 2026-01-05\ndirections: [compute]\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(3, "未知的键「dat」")
        .expect_hint(3, "是不是想写「date」？");
}

#[test]
fn rejects_list_as_a_key() {
    let fx = fixture!();
    let text = format!("{HEAD}terms:\n  [exclusive, lock_in]: true\n? [a, b]\n: true\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms」中的键应为文字，实际是列表")
        .expect_error(7, "提案文件中的键应为文字，实际是列表")
        .expect_count(2);
}

#[test]
fn rejects_missing_vendor() {
    let fx = fixture!();
    let text = "title: 试点\nmeeting:\n  date: 2026-01-05\ndirections: [compute]\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "缺少必填的键「vendor」")
        .expect_count(1);
}

#[test]
fn rejects_missing_meeting_date() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  phase: review\ndirections: [compute]\n";
    let file = fx.write("p.yaml", text);
    // Either the `meeting:` line or the first line of its block names the missing key.
    fx.eval(&file)
        .expect_invalid()
        .expect_error_within(2..=3, "缺少必填的键")
        .expect_error_within(2..=3, "date」")
        .expect_count(1);
}

// ---------------------------------------------------------------------------------------------
// Ids that must exist in the framework
// ---------------------------------------------------------------------------------------------

#[test]
fn rejects_unknown_direction_suggesting_the_nearest() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  date: 2026-01-05\ndirections:\n  - compute\n  - primary_modle\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「directions」的取值「primary_modle」无效")
        .expect_hint(6, "是不是想写「primary_model」（成为主要模型提供商）？");
}

#[test]
fn rejects_empty_directions_list() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  date: 2026-01-05\ndirections: []\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(4, "「directions」应为非空列表")
        .expect_hint(4, "primary_model");
}

#[test]
fn empty_directions_message_says_the_list_is_empty() {
    let fx = fixture!();
    let text = "vendor: 阿里云\nmeeting:\n  date: 2026-01-05\ndirections: []\n";
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(4, "实际是空列表");
}

#[test]
fn rejects_unknown_question_id_under_answers() {
    let fx = fixture!();
    let text = format!("{HEAD}answers:\n  tech.poc: 愿意提供\n  tech.latncy: 3 秒内\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(7, "「answers」中的问题编号「tech.latncy」在框架中不存在")
        .expect_hint(7, "是不是想写「tech.latency」？")
        .expect_count(1);
}

#[test]
fn rejects_unknown_checklist_id() {
    let fx = fixture!();
    let text = format!("{HEAD}checklist:\n  biz.exit: true\n  biz.exitt: true\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(7, "「checklist」中的清单项编号「biz.exitt」在框架中不存在")
        .expect_hint(7, "是不是想写「biz.exit」？")
        .expect_count(1);
}

// ---------------------------------------------------------------------------------------------
// Every problem of a file in one run
// ---------------------------------------------------------------------------------------------

/// Eight problems, one per line listed in [`MANY_ERRORS_LINES`].
const MANY_ERRORS: &str = "\
vendor: \"\"
meeting:
  date: 2026-02-30
  phase: reviw
directions: [compute, computer]
terms:
  cost_reduction_pct: 120
  exclusive: no
poc:
  latency_s: fast
answers:
  tech.pocc: 可以
";
const MANY_ERRORS_LINES: [u32; 8] = [1, 3, 4, 5, 7, 8, 10, 12];

#[test]
fn reports_every_error_of_a_file_in_one_run() {
    let fx = fixture!();
    let file = fx.write("p.yaml", MANY_ERRORS);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "「vendor」不能为空")
        .expect_error(3, "「meeting.date」应为 YYYY-MM-DD 格式的有效日期")
        .expect_error(4, "「meeting.phase」的取值「reviw」无效")
        .expect_error(5, "「directions」的取值「computer」无效")
        .expect_error(7, "不能大于 100")
        .expect_error(8, "应为 true 或 false")
        .expect_error(10, "「poc.latency_s」应为数字")
        .expect_error(12, "问题编号「tech.pocc」在框架中不存在")
        .expect_count(MANY_ERRORS_LINES.len());
}

#[test]
fn check_reports_every_bad_proposal_in_one_run() {
    let fx = fixture!();
    let content = fx.path("content");
    let source = support::content_dir();
    fx.write(
        "content/framework.yaml",
        std::fs::read(source.join("framework.yaml")).expect("read framework.yaml"),
    );
    for page in std::fs::read_dir(source.join("pages")).expect("list pages") {
        let page = page.expect("read a page entry").path();
        let name = page
            .file_name()
            .and_then(|n| n.to_str())
            .expect("page name");
        let text = std::fs::read(&page).expect("read a page");
        fx.write(&format!("content/pages/{name}"), text);
    }
    let many = fx.write("content/proposals/a-many.yaml", MANY_ERRORS);
    let dup = fx.write(
        "content/proposals/b-dup.yaml",
        format!("{HEAD}vendor: 火山引擎\n"),
    );
    fx.write("content/proposals/c-good.yaml", HEAD);
    let out = fx.check(&content, &many);
    out.expect_invalid()
        .expect_count(MANY_ERRORS_LINES.len() + 1);
    for line in MANY_ERRORS_LINES {
        out.expect_error(line, "");
    }
    out.about(&dup)
        .expect_error(5, "重复的键「vendor」：第 1 行已经写过");
}

// ---------------------------------------------------------------------------------------------
// Resource attacks: alias expansion, nesting depth, size
// ---------------------------------------------------------------------------------------------

/// The "billion laughs": ten levels of ten aliases each, 10^10 strings once expanded.
fn alias_bomb() -> String {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    text
}

#[test]
fn rejects_alias_bomb_quickly_at_an_alias_line() {
    let fx = fixture!();
    let file = fx.write("p.yaml", alias_bomb());
    fx.eval(&file)
        .expect_invalid()
        .expect_error_within(2..=10, "别名")
        .expect_count(1);
}

#[test]
fn explains_alias_bomb_in_chinese() {
    let fx = fixture!();
    let file = fx.write("p.yaml", alias_bomb());
    let out = fx.eval(&file);
    out.expect_invalid().expect_error_within(2..=10, "别名");
    assert!(
        !out.stderr.contains("budget breached"),
        "raw parser message\n{out}"
    );
}

const DEPTH: usize = 100_000;

/// `title: [[[…]]]` at line 5.
fn deep_flow_sequence() -> String {
    format!("{HEAD}title: {}{}\n", "[".repeat(DEPTH), "]".repeat(DEPTH))
}

/// `title: {a: {a: …}}` at line 5.
fn deep_flow_map() -> String {
    format!(
        "{HEAD}title: {}{}\n",
        "{a: ".repeat(DEPTH),
        "}".repeat(DEPTH)
    )
}

/// `title:` then `- - - … x` on line 6: block sequences nested 100,000 deep in one line.
fn deep_compact_block_sequence() -> String {
    format!("{HEAD}title:\n  {}x\n", "- ".repeat(DEPTH))
}

/// `terms:` then one more level of block indentation per line, from line 6 on, as deep as
/// fits under the 1 MiB limit (about 1,400 levels: 100,000 indented levels would take 5 GB).
fn deep_block_indentation() -> (String, u32) {
    let mut text = format!("{HEAD}terms:\n");
    let mut lines = 5;
    for level in 1.. {
        let line = format!("{}k:\n", " ".repeat(level));
        if text.len() + line.len() > 1_000_000 {
            break;
        }
        text.push_str(&line);
        lines += 1;
    }
    (text, lines)
}

#[test]
fn rejects_100k_nested_flow_sequences() {
    let fx = fixture!();
    let file = fx.write("p.yaml", deep_flow_sequence());
    fx.eval(&file)
        .expect_invalid()
        .expect_error(5, "嵌套层级过深")
        .expect_count(1);
}

#[test]
fn rejects_100k_nested_flow_maps() {
    let fx = fixture!();
    let file = fx.write("p.yaml", deep_flow_map());
    fx.eval(&file)
        .expect_invalid()
        .expect_error(5, "嵌套层级过深")
        .expect_count(1);
}

#[test]
fn rejects_100k_nested_block_sequences() {
    let fx = fixture!();
    let file = fx.write("p.yaml", deep_compact_block_sequence());
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "嵌套层级过深")
        .expect_count(1);
}

#[test]
fn rejects_deep_block_indentation() {
    let fx = fixture!();
    let (text, last_line) = deep_block_indentation();
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error_within(6..=last_line, "嵌套层级过深")
        .expect_count(1);
}

#[test]
fn explains_too_deep_nesting_in_chinese() {
    let fx = fixture!();
    let (indented, last_line) = deep_block_indentation();
    let cases = [
        ("flow-seq.yaml", deep_flow_sequence(), 5..=5),
        ("flow-map.yaml", deep_flow_map(), 5..=5),
        ("block-seq.yaml", deep_compact_block_sequence(), 6..=6),
        ("block-map.yaml", indented, 6..=last_line),
    ];
    for (name, text, lines) in cases {
        let file = fx.write(name, text);
        let out = fx.eval(&file);
        out.expect_invalid().expect_error_within(lines, "嵌套");
        assert!(
            !out.stderr.contains("budget breached") && !out.stderr.contains("recursion limit"),
            "raw parser message\n{out}"
        );
    }
}

/// The valid "go" example, padded with a leading comment to 1 MiB + 1 byte.
fn just_over_1_mib() -> Vec<u8> {
    let example =
        std::fs::read(support::content_dir().join("proposals/2026-03-18-aliyun-pilot.yaml"))
            .expect("read the pilot example");
    let target = 1024 * 1024 + 1;
    let padding = target - example.len() - "# \n".len();
    let mut bytes = format!("# {}\n", "x".repeat(padding)).into_bytes();
    bytes.extend_from_slice(&example);
    assert_eq!(bytes.len(), target);
    bytes
}

#[test]
fn rejects_file_over_1_mib_naming_the_limit() {
    let fx = fixture!();
    let file = fx.write("p.yaml", just_over_1_mib());
    fx.eval(&file)
        .expect_invalid()
        .expect_message("文件过大")
        .expect_message("上限为 1 MiB")
        .expect_count(1);
}

#[test]
fn oversized_file_error_has_a_line() {
    let fx = fixture!();
    let file = fx.write("p.yaml", just_over_1_mib());
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "上限为 1 MiB");
}

#[test]
fn oversized_file_error_shows_a_size_above_the_limit() {
    let fx = fixture!();
    let file = fx.write("p.yaml", just_over_1_mib());
    let out = fx.eval(&file);
    out.expect_invalid().expect_message("上限为 1 MiB");
    assert!(
        !out.stderr.contains("文件过大（1 MiB）"),
        "the size shown equals the limit\n{out}"
    );
}

// ---------------------------------------------------------------------------------------------
// Odd but legal
// ---------------------------------------------------------------------------------------------

#[test]
fn accepts_bom_and_crlf_line_ends() {
    let fx = fixture!();
    let example = std::fs::read_to_string(
        support::content_dir().join("proposals/2026-03-18-aliyun-pilot.yaml"),
    )
    .expect("read the pilot example");
    let text = format!("\u{feff}{}", example.replace('\n', "\r\n"));
    let file = fx.write("p.yaml", text);
    let json = fx.eval(&file).expect_valid();
    assert_eq!(json["vendor"], "阿里云");
    assert_eq!(
        json["verdict"], "go",
        "the same verdict as without BOM and CRLF"
    );
}

#[test]
fn counts_lines_after_bom_and_crlf() {
    let fx = fixture!();
    let text = format!("\u{feff}{HEAD}terms:\n  exclusive: no\n").replace('\n', "\r\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "「terms.exclusive」应为 true 或 false");
}

#[test]
fn accepts_tabs_in_values() {
    let fx = fixture!();
    let text = "vendor: 阿里\t云\nmeeting:\n  date:\t2026-01-05\n  notes: \"a\\tb\"\ndirections: [compute]\ntitle: 成本\t对比\n";
    let file = fx.write("p.yaml", text);
    let json = fx.eval(&file).expect_valid();
    assert_eq!(json["vendor"], "阿里\t云");
    assert_eq!(json["date"], "2026-01-05");
}

#[test]
fn rejects_tab_indentation_with_line() {
    let fx = fixture!();
    let file = fx.write("p.yaml", format!("{HEAD}terms:\n\texclusive: false\n"));
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "这里有制表符（Tab）");
}

#[test]
fn accepts_control_characters_and_bidi_marks_in_notes() {
    // Control characters written as YAML escapes (a raw C0 byte is not valid YAML); U+202E
    // (right-to-left override), U+200F (right-to-left mark) and U+061C also written raw.
    let fx = fixture!();
    let text = concat!(
        "vendor: 阿里云\n",
        "meeting:\n",
        "  date: 2026-01-05\n",
        "  notes: \"\\0 \\a \\e \\x01 \\x7f \\u0085 \\u202E evil \\u200F \\u2066x\"\n",
        "directions: [compute]\n",
        "title: |\n",
        "  raw \u{202e} override \u{200f} mark \u{61c} letter mark\n",
    );
    let file = fx.write("p.yaml", text);
    let json = fx.eval(&file).expect_valid();
    assert_eq!(json["vendor"], "阿里云");
}

#[test]
fn rejects_raw_control_byte_with_line() {
    // YAML 1.2 allows no raw C0 control character but tab, LF and CR (§5.1, c-printable).
    let fx = fixture!();
    let text = format!("{HEAD}title: |\n  响铃 \u{7} 在这里\n");
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(6, "这里有不可见的控制字符 U+0007");
}

#[test]
fn accepts_emoji_only_vendor() {
    let fx = fixture!();
    let text = HEAD.replace("阿里云", "👩\u{200d}💻🚀");
    let file = fx.write("p.yaml", text);
    let json = fx.eval(&file).expect_valid();
    assert_eq!(json["vendor"], "👩\u{200d}💻🚀");
}

#[test]
fn accepts_900_kb_notes_under_the_limit() {
    let fx = fixture!();
    let line = "    会议记录要点：对方承诺两周内提供成本对比数据。\n";
    let notes = line.repeat(900 * 1024 / line.len());
    let text = format!(
        "vendor: 阿里云\nmeeting:\n  date: 2026-01-05\n  notes: |\n{notes}directions: [compute]\n"
    );
    assert!(text.len() > 900 * 1024 && text.len() < 1024 * 1024);
    let file = fx.write("p.yaml", text);
    let json = fx.eval(&file).expect_valid();
    assert_eq!(json["verdict"], "pending");
}

#[test]
fn rejects_a_10_mb_string_at_once_naming_the_limit() {
    let fx = fixture!();
    let text = format!("{HEAD}title: \"{}\"\n", "长".repeat(10 * 1024 * 1024 / 3));
    assert!(text.len() > 10_000_000);
    let file = fx.write("p.yaml", text);
    fx.eval(&file)
        .expect_invalid()
        .expect_error(1, "上限为 1 MiB")
        .expect_count(1);
}

// ---------------------------------------------------------------------------------------------
// Broken framework, pages and templates
// ---------------------------------------------------------------------------------------------

/// The 1-based line of `content/framework.yaml` that holds `needle`.
fn line_of(path: &std::path::Path, needle: &str) -> u32 {
    let text = std::fs::read_to_string(path).expect("read the file");
    let index = text.lines().position(|l| l.contains(needle));
    index.expect("the needle is in the file") as u32 + 1
}

#[test]
fn rejects_a_framework_rule_on_a_fact_that_does_not_exist() {
    let fx = fixture!();
    let content = fx.content_copy();
    let framework = content.join("framework.yaml");
    let text = std::fs::read_to_string(&framework).expect("read the framework");
    let rule = "{ fact: poc.latency_s, op: lt, value: latency_s }";
    assert!(text.contains(rule));
    std::fs::write(
        &framework,
        text.replacen(rule, "{ fact: poc.speed, op: lt, value: latency_s }", 1),
    )
    .expect("write the framework");
    let line = line_of(&framework, "poc.speed");
    fx.check(&content, &framework)
        .expect_invalid()
        .expect_error(line, "规则引用了不存在的事实「poc.speed」")
        .expect_count(1);
}

#[test]
fn rejects_a_page_with_broken_front_matter_at_its_line() {
    let fx = fixture!();
    let content = fx.content_copy();
    let page = content.join("pages/zz-broken.md");
    std::fs::write(&page, "---\ntitle: [未闭合\norder: 99\n---\n正文\n").expect("write the page");
    fx.check(&content, &page)
        .expect_invalid()
        .expect_error_within(2..=3, "这里应为一段文字")
        .expect_count(1);
}

/// A page template whose line 3 does not parse (an unclosed `{{`).
const BROKEN_PAGE_TEMPLATE: &str =
    "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title </h1>\n{% endblock %}\n";

#[test]
fn rejects_a_template_with_a_syntax_error_at_its_line() {
    let fx = fixture!();
    let content = fx.content_copy();
    let template = fx.write("theme/templates/page.html", BROKEN_PAGE_TEMPLATE);
    fx.build(&content, &fx.path("theme"), &template)
        .expect_invalid()
        .expect_error(3, "模板有错误")
        .expect_count(1);
    assert!(!fx.path("output").exists(), "nothing written");
}

#[test]
fn a_broken_proposal_and_a_broken_template_are_reported_in_one_run() {
    let fx = fixture!();
    let content = fx.content_copy();
    let proposal = fx.write(
        "content/proposals/2026-04-01-broken.yaml",
        "vendor: 阿里云\nmeeting:\n  date: 2026-02-30\n  phase: contact\n",
    );
    let template = fx.write("theme/templates/page.html", BROKEN_PAGE_TEMPLATE);
    let outcome = fx.build(&content, &fx.path("theme"), &proposal);
    outcome.expect_invalid();
    let proposal_line = outcome.stderr.contains("2026-04-01-broken.yaml:3:");
    let template_line = outcome
        .stderr
        .contains(&format!("{}:3:", template.display()));
    assert!(
        proposal_line && template_line,
        "both files, at their lines:\n{outcome}"
    );
    assert!(!fx.path("output").exists(), "nothing written");
}
