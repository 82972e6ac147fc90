//! The real binary on real files: the shipped content, fixtures under `tests/fixtures/`, and
//! copies of `content/` changed the way a user would change them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::repo;

fn dealbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(args)
        .current_dir(repo())
        .env("SOURCE_DATE_EPOCH", "1795737600")
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh copy of the shipped `content/` in a temporary folder.
fn content_copy(name: &str) -> PathBuf {
    common::sweep_ended_runs();
    let dir = std::env::temp_dir().join(format!("dealbook-cli-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    common::copy_shipped_content(&dir);
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("JSON on stdout: {e}\n{}", stdout(o)))
}

#[test]
fn check_passes_on_the_shipped_content() {
    let shipped = common::shipped_content().to_str().unwrap();
    let o = dealbook(&["check", "--content", shipped]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "检查通过：框架 1 个，页面 13 个，提案 4 个\n");
}

#[test]
fn every_example_proposal_gets_the_verdict_its_file_announces() {
    let mut verdicts = Vec::new();
    for entry in fs::read_dir(common::shipped_content().join("proposals")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let expected = text
            .lines()
            .find_map(|l| l.strip_prefix("# 预期结论："))
            .and_then(|rest| rest.split('（').next())
            .unwrap_or_else(|| panic!("{} announces its verdict", path.display()));
        let o = dealbook(&["eval", path.to_str().unwrap(), "--format", "json"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(json(&o)["verdict"], expected, "{}", path.display());
        verdicts.push(expected.to_string());
    }
    verdicts.sort();
    verdicts.dedup();
    assert_eq!(
        verdicts,
        ["go", "no_go", "pending"],
        "the examples cover every verdict"
    );
}

#[test]
fn eval_json_follows_the_contract() {
    let o = dealbook(&[
        "eval",
        "content/proposals/2026-02-05-aliyun-review.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let j = json(&o);
    assert_eq!(j["vendor"], "阿里云");
    assert_eq!(j["date"], "2026-02-05");
    assert_eq!(j["verdict"], "pending");
    assert_eq!(j["triggered"], serde_json::json!([]));
    assert_eq!(j["go_met"], 3);
    assert_eq!(j["go_required"], 3);
    assert_eq!(
        j["directions"],
        serde_json::json!([
            {"id": "primary_model", "verdict": "pending", "unmet": ["primary_model.accept"], "unknown": ["no_go.tech_failed", "tech_validation"]},
            // The PoC's outcome is unknown: a failed PoC (a No-Go) is not ruled out.
            {"id": "joint_solution", "verdict": "pending", "unmet": [], "unknown": ["no_go.tech_failed"]}
        ])
    );
    assert_eq!(
        j["unknown"],
        serde_json::json!([
            "no_go.tech_failed",
            "latency_5s",
            "no_rate_limit",
            "tech_validation"
        ])
    );
    let latency = j["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "cost_30")
        .unwrap();
    assert_eq!(latency["threshold"], "成本降低 ≥ 30%");
    assert_eq!(latency["result"], "true");
    assert_eq!(latency["observed"][0]["value"], "35%");
    assert_eq!(latency["observed"][0]["line"], 18);
    assert_eq!(
        latency["observed"][0]["file"],
        "2026-02-05-aliyun-review.yaml"
    );
    // A fact written as null is unknown, and still has its file and line.
    let tech = j["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "no_go.tech_failed")
        .unwrap();
    let passed = &tech["observed"][0];
    assert_eq!(passed["fact"], "poc.passed");
    assert_eq!(passed["value"], serde_json::Value::Null);
    assert_eq!(passed["line"], 34);
    assert_eq!(passed["file"], "2026-02-05-aliyun-review.yaml");
}

#[test]
fn eval_json_lists_triggered_rules_with_prefixes() {
    let o = dealbook(&[
        "eval",
        "content/proposals/2026-02-12-volcengine-contact.yaml",
        "--format",
        "json",
    ]);
    let j = json(&o);
    assert_eq!(j["verdict"], "no_go");
    assert_eq!(
        j["triggered"],
        serde_json::json!([
            "no_go.exclusive_or_binding",
            "red_line.exclusive",
            "red_line.replace_all_suppliers",
            "red_line.lock_in"
        ])
    );
    assert_eq!(j["directions"][0]["verdict"], "no_go");
}

#[test]
fn eval_text_speaks_chinese_verdict_first() {
    let o = dealbook(&["eval", "content/proposals/2026-02-05-aliyun-review.yaml"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "结论：待定（阿里云 · 2026-02-05）");
    assert_eq!(
        lines[1],
        "Go 条件：满足 3 条（成本降低 ≥ 30%、有联合营销资源、无排他性条款），至少需要 3 条"
    );
    assert!(
        text.contains("方向「成为主要模型提供商」（primary_model）：待定"),
        "{text}"
    );
    assert!(
        text.contains("需协商：方向接受条件「成本优势 > 40%、技术验证通过，且接受多供应商策略」"),
        "{text}"
    );
    assert!(text.contains("成本降低：35%（第 18 行）"), "{text}");
    assert!(
        text.contains("方向「联合解决方案 / 战略合作」（joint_solution）：待定"),
        "{text}"
    );
    assert!(
        text.contains("待获取：No Go 条件「技术验证不通过」"),
        "{text}"
    );
    // A No-Go stops every direction, and each says why.
    let o = dealbook(&[
        "eval",
        "content/proposals/2026-02-12-volcengine-contact.yaml",
    ]);
    let text = stdout(&o);
    assert!(text.starts_with("结论：不推进"), "{text}");
    assert!(text.contains("：不推进（因上面触发的规则）\n"), "{text}");
    assert!(!text.contains("待定"), "{text}");
}

#[test]
fn new_proposal_passes_check_and_is_judged_pending() {
    let content = content_copy("new");
    let o = dealbook(&[
        "new",
        "proposal",
        "--vendor",
        "腾讯云",
        "--date",
        "2026-04-01",
        "--content",
        content.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = content.join("proposals/2026-04-01-腾讯云.yaml");
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("vendor: \"腾讯云\""));
    assert!(
        text.contains("  # 是否有排他性条款\n  exclusive: null\n"),
        "{text}"
    );
    assert!(
        text.contains("  # 技术相关：如何解决限流问题？\n  tech.rate_limit: null\n"),
        "{text}"
    );
    // 30 fields (all but vendor, date and the two maps) + 12 questions + 18 checklist items.
    assert_eq!(
        text.matches(": null").count(),
        60,
        "every field and id but vendor and date is null"
    );

    let o = dealbook(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("提案 5 个"));
    let o = dealbook(&[
        "eval",
        file.to_str().unwrap(),
        "--format",
        "json",
        "--content",
        content.to_str().unwrap(),
    ]);
    let j = json(&o);
    assert_eq!(j["verdict"], "pending");
    assert_eq!(j["directions_recorded"], false);

    let before = fs::read(&file).unwrap();
    let o = dealbook(&[
        "new",
        "proposal",
        "--vendor",
        "腾讯云",
        "--date",
        "2026-04-01",
        "--content",
        content.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("文件已存在，不会覆盖"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read(&file).unwrap(),
        before,
        "the existing file is untouched"
    );
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn new_proposal_fills_directions_and_refuses_bad_flags() {
    let content = content_copy("new-flags");
    let c = content.to_str().unwrap();
    let o = dealbook(&[
        "new",
        "proposal",
        "--vendor",
        "百度智能云",
        "--direction",
        "compute",
        "--direction",
        "enablement",
        "--content",
        c,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = content.join("proposals/2026-11-27-百度智能云.yaml");
    assert!(
        fs::read_to_string(&file)
            .unwrap()
            .contains("directions: [compute, enablement]\n")
    );

    let o = dealbook(&[
        "new",
        "proposal",
        "--vendor",
        "x",
        "--direction",
        "comput",
        "--content",
        c,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("是不是想写「compute」（算力基础设施合作）？"),
        "{}",
        stderr(&o)
    );
    let o = dealbook(&[
        "new",
        "proposal",
        "--vendor",
        "x",
        "--date",
        "2026-02-30",
        "--content",
        c,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--date 应为 YYYY-MM-DD 格式的有效日期"),
        "{}",
        stderr(&o)
    );
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn eval_reports_every_problem_of_a_file_at_once() {
    let o = dealbook(&["eval", "tests/fixtures/invalid/two-problems.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    let file = "tests/fixtures/invalid/two-problems.yaml";
    assert!(err.contains(&format!("{file}:3:9: 错误：「meeting.date」应为 YYYY-MM-DD 格式的有效日期，实际是 \"2026-02-30\"")), "{err}");
    assert!(err.contains(&format!("{file}:6:3: 错误：未知的键「exclusiv」（在 terms 下）\n  提示：是不是想写「exclusive」？")), "{err}");
    assert!(
        err.contains(&format!(
            "{file}:7:23: 错误：「terms.cost_reduction_pct」不能大于 100，实际是 120"
        )),
        "{err}"
    );
    assert!(err.ends_with("共 3 个问题\n"), "{err}");
}

#[test]
fn eval_suggests_the_nearest_phase_and_direction() {
    let o = dealbook(&["eval", "tests/fixtures/invalid/misspelt-direction.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            ":4:10: 错误：「meeting.phase」的取值「reveiw」无效\n  提示：是不是想写「review」（第二阶段：方案评估（会后 1-2 周））？"
        ),
        "{err}"
    );
    assert!(err.contains(":5:14: 错误：「directions」的取值「primary_modle」无效\n  提示：是不是想写「primary_model」（成为主要模型提供商）？"), "{err}");
}

#[test]
fn check_reports_problems_in_every_file_in_one_run() {
    let content = content_copy("check-all");
    edit(
        &content.join("proposals/2026-01-20-aliyun-contact.yaml"),
        "  exclusive: false",
        "  exclusive: no",
    );
    edit(
        &content.join("proposals/2026-03-18-aliyun-pilot.yaml"),
        "  latency_s: 3.2",
        "  latency_s: -1",
    );
    edit(&content.join("pages/decision.md"), "order: 6", "ordr: 6");
    let o = dealbook(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("2026-01-20-aliyun-contact.yaml:19:14: 错误：「terms.exclusive」应为 true 或 false（未知请写 null），实际是字符串 \"no\""), "{err}");
    assert!(
        err.contains(
            "2026-03-18-aliyun-pilot.yaml:34:14: 错误：「poc.latency_s」不能小于 0，实际是 -1"
        ),
        "{err}"
    );
    assert!(
        err.contains("decision.md:3:1: 错误：未知的键「ordr」"),
        "{err}"
    );
    assert!(err.contains("是不是想写「order」？"), "{err}");
    assert!(err.ends_with("共 3 个问题\n"), "{err}");
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn check_rejects_rules_on_unknown_facts_and_wrong_types() {
    let content = content_copy("bad-rules");
    let framework = content.join("framework.yaml");
    edit(
        &framework,
        "{ fact: poc.latency_s, op: lt, value: latency_s }",
        "{ fact: poc.latency, op: lt, value: latency_s }",
    );
    edit(
        &framework,
        "{ fact: poc.no_rate_limit, op: eq, value: true }",
        "{ fact: poc.no_rate_limit, op: eq, value: 5 }",
    );
    edit(
        &framework,
        "{ fact: migration.person_weeks, op: lt, value: migration_weeks }",
        "{ fact: migration.person_weeks, op: lt, value: migration_week }",
    );
    let o = dealbook(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "规则引用了不存在的事实「poc.latency」\n  提示：是不是想写「poc.latency_s」？"
        ),
        "{err}"
    );
    assert!(
        err.contains("事实「poc.no_rate_limit」是布尔值，只能与 true / false 比较，实际是 5"),
        "{err}"
    );
    assert!(
        err.contains(
            "规则引用了未定义的阈值「migration_week」\n  提示：是不是想写「migration_weeks」？"
        ),
        "{err}"
    );
    assert!(err.contains("framework.yaml:"), "{err}");
    assert!(err.ends_with("共 3 个问题\n"), "{err}");
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn a_threshold_changed_in_the_yaml_changes_the_verdict() {
    let content = content_copy("threshold");
    let c = content.to_str().unwrap();
    let review = content.join("proposals/2026-02-05-aliyun-review.yaml");
    let before = json(&dealbook(&[
        "eval",
        review.to_str().unwrap(),
        "--format",
        "json",
        "--content",
        c,
    ]));
    assert_eq!(
        before["directions"][0]["unmet"],
        serde_json::json!(["primary_model.accept"])
    );
    edit(
        &content.join("framework.yaml"),
        "cost_primary: 40",
        "cost_primary: 30",
    );
    let after = json(&dealbook(&[
        "eval",
        review.to_str().unwrap(),
        "--format",
        "json",
        "--content",
        c,
    ]));
    assert_eq!(after["directions"][0]["unmet"], serde_json::json!([]));
    let accept = after["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "primary_model.accept")
        .unwrap()
        .clone();
    assert_eq!(
        accept["label"],
        "成本优势 > 30%、技术验证通过，且接受多供应商策略"
    );
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn usage_errors_exit_2_and_missing_files_exit_1() {
    assert_eq!(dealbook(&["eval"]).status.code(), Some(2));
    assert_eq!(
        dealbook(&["eval", "x.yaml", "--format", "xml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(dealbook(&["frobnicate"]).status.code(), Some(2));
    let o = dealbook(&["eval", "no-such-file.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("no-such-file.yaml: 错误：无法读取文件"),
        "{}",
        stderr(&o)
    );
    let o = dealbook(&["check", "--content", "no-such-folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("找不到内容文件夹"), "{}", stderr(&o));
    assert_eq!(dealbook(&["--help"]).status.code(), Some(0));
    assert_eq!(dealbook(&["eval", "--help"]).status.code(), Some(0));
}

#[test]
fn a_command_line_that_cannot_be_read_is_explained_in_chinese_with_the_nearest_word() {
    // (arguments, what stderr must say)
    let cases: [(&[&str], &[&str]); 15] = [
        (
            &["build", "--forse"],
            &[
                "错误：没有「--forse」这个选项",
                "提示：是不是想写「--force」？",
                "更多说明：运行 dealbook build --help",
            ],
        ),
        (
            &["buidl"],
            &["错误：没有「buidl」这个命令", "是不是想写「build」？"],
        ),
        // One letter short of eval: eval alone, not help beside it.
        (
            &["evl"],
            &["错误：没有「evl」这个命令", "提示：是不是想写「eval」？\n"],
        ),
        (
            &["eval", "x.yaml", "--format", "xml"],
            &[
                "错误：--format 的值「xml」无效",
                "提示：可用的值：text、json",
            ],
        ),
        (
            &["build", "--progress", "alwys"],
            &["--progress 的值「alwys」无效", "是不是想写「always」？"],
        ),
        (
            &["serve", "--port", "http"],
            &["--port 的值「http」无效", "0 到 65535 之间的整数"],
        ),
        (
            &["new", "proposal"],
            &[
                "错误：缺少必需的参数：--vendor <NAME>",
                "用法：dealbook new proposal [选项] --vendor <NAME>",
            ],
        ),
        (
            &["eval", "a.yaml", "b.yaml"],
            &[
                "错误：多余的参数「b.yaml」",
                "用法：dealbook eval [选项] <FILE>",
            ],
        ),
        (
            &["build", "--output"],
            &["错误：--output 需要一个值（不能为空）"],
        ),
        (
            &["eval", "--format"],
            &["错误：--format 需要一个值", "提示：可用的值：text、json"],
        ),
        (
            &["build", "--force=yes"],
            &[
                "错误：--force 是开关，不带值",
                "用法：dealbook build [选项]",
            ],
        ),
        (
            &["--force"],
            &["是不是想写「dealbook build --force」或「dealbook serve --force」？"],
        ),
        (
            &["eval", "-x.yaml"],
            &[
                "请写在 -- 之后：-- -x.yaml",
                "更多说明：运行 dealbook eval --help",
            ],
        ),
        (
            &["eval", "a.yaml", "my proposal.yaml"],
            &["错误：多余的参数「my proposal.yaml」"],
        ),
        (
            &["help", "nosuch"],
            &[
                "错误：没有「nosuch」这个命令",
                "可用的命令：build、check、eval、serve、new",
            ],
        ),
    ];
    for (args, said) in cases {
        let o = dealbook(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(stdout(&o), "", "{args:?}");
        for words in said {
            assert!(err.contains(words), "{args:?} should say {words}:\n{err}");
        }
        for english in ["error:", "tip:", "Usage:", "For more information"] {
            assert!(!err.contains(english), "{args:?}: {english} in\n{err}");
        }
    }
}

#[test]
fn help_is_in_chinese_from_the_flag_and_from_the_help_command() {
    for args in [
        &["--help"][..],
        &["help", "build"],
        &["build", "-h"],
        &["help", "new", "proposal"],
    ] {
        let o = dealbook(args);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(out.contains("用法：dealbook"), "{args:?}:\n{out}");
        assert!(out.contains("选项：\n"), "{args:?}:\n{out}");
        for english in [
            "Usage",
            "Options",
            "Commands",
            "Print",
            "[default",
            "[possible",
        ] {
            assert!(!out.contains(english), "{args:?}: {english} in\n{out}");
        }
    }
    let out = stdout(&dealbook(&["help", "build"]));
    assert!(out.contains("--progress <WHEN>"), "{out}");
    assert!(out.contains("；默认：output"), "{out}");
    // No command at all: the help, on stderr, as a usage error.
    let o = dealbook(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("命令：\n  build"), "{}", stderr(&o));
}

#[test]
fn a_value_that_is_not_utf8_is_named_by_its_place() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["new", "proposal", "--vendor"])
        .arg(OsStr::from_bytes(b"\xff"))
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("错误：第 4 个参数「\u{fffd}」不是有效的 UTF-8 文本"),
        "{err}"
    );
}

#[test]
fn an_invalid_source_date_epoch_is_an_error_naming_the_variable() {
    let dir = content_copy("bad-epoch");
    let output = dir.with_extension("out");
    for args in [
        vec![
            "build",
            "--font",
            "builtin",
            "--content",
            dir.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
        vec![
            "new",
            "proposal",
            "--vendor",
            "腾讯云",
            "--content",
            dir.to_str().unwrap(),
        ],
    ] {
        let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
            .args(&args)
            .env("SOURCE_DATE_EPOCH", "2026-03-18")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("环境变量 SOURCE_DATE_EPOCH 应为 1970 年以来的整秒数")
                && stderr(&o).contains("「2026-03-18」"),
            "{}",
            stderr(&o)
        );
    }
    assert!(!output.exists(), "nothing built");
    // Set but empty is unset, as reproducible-build tools mean it.
    let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["build", "--font", "builtin", "--content"])
        .arg(&dir)
        .arg("--output")
        .arg(&output)
        .env("SOURCE_DATE_EPOCH", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    fs::remove_dir_all(&output).unwrap();
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_proposal_that_is_not_a_regular_file_is_a_problem_not_skipped() {
    let content = content_copy("fifo");
    let fifo = content.join("proposals/x.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let o = dealbook(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("x.yaml: 错误：不是普通文件（可能是管道或设备），无法作为源文件读取"),
        "{err}"
    );
    assert!(err.ends_with("共 1 个问题\n"), "{err}");
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn a_proposal_of_two_yaml_documents_is_told_so_in_chinese() {
    let content = content_copy("two-documents");
    let two = content.join("proposals/two.yaml");
    fs::write(
        &two,
        "---\nvendor: 腾讯云\ndate: 2026-01-01\n---\nvendor: x\n",
    )
    .unwrap();
    let o = dealbook(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("two.yaml:5:1: 错误：一个文件里有多个 YAML 文档（以 --- 分隔）"),
        "{err}"
    );
    assert!(!err.contains("from_str_multiple"), "{err}");
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn proposal_names_that_links_cannot_carry_are_refused_by_check_and_build_alike() {
    let content = content_copy("names");
    let proposals = content.join("proposals");
    let pilot = fs::read_to_string(proposals.join("2026-03-18-aliyun-pilot.yaml")).unwrap();
    for name in ["a#b", "a?b", "a%20b", "a b", ".hidden"] {
        fs::write(proposals.join(format!("{name}.yaml")), &pilot).unwrap();
    }
    // Chinese, digits, dashes, underscores and inner dots are fine.
    fs::write(proposals.join("2026-04-01_腾讯云.v2.yaml"), &pilot).unwrap();
    let output = content.with_extension("out");
    for command in [
        vec!["check", "--content", content.to_str().unwrap()],
        vec![
            "build",
            "--font",
            "builtin",
            "--content",
            content.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
    ] {
        let o = dealbook(&command);
        assert_eq!(o.status.code(), Some(1), "{command:?}: {}", stderr(&o));
        let err = stderr(&o);
        for (name, odd) in [("a#b", "#"), ("a?b", "?"), ("a%20b", "%"), ("a b", " ")] {
            assert!(
                err.contains(&format!(
                    "{name}.yaml: 错误：文件名「{name}」里有不能直接用在网页链接里的字符「{odd}」"
                )),
                "{name}: {err}"
            );
        }
        assert!(err.contains("文件名「.hidden」以「.」开头"), "{err}");
        assert!(!err.contains("腾讯云.v2"), "{err}");
        assert!(err.ends_with("共 5 个问题\n"), "{err}");
    }
    assert!(!output.exists());
    fs::remove_dir_all(content).unwrap();
}

#[test]
fn eval_and_check_find_the_content_folder_from_outside_the_project() {
    let outside = std::env::temp_dir().join(format!("dealbook-cli-outside-{}", std::process::id()));
    fs::create_dir_all(&outside).unwrap();
    let content = common::shipped_content().to_path_buf();
    let proposal = content.join("proposals/2026-02-05-aliyun-review.yaml");
    let run = |dir: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_dealbook"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("binary runs")
    };
    // From a folder with no content/: the proposal's own path leads to it, and it is said.
    let o = run(
        &outside,
        &["eval", proposal.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["verdict"], "pending");
    assert_eq!(
        stderr(&o),
        format!("使用内容文件夹 {}\n", content.display())
    );
    // From inside the content folder, check finds the folder above.
    let o = run(&content.join("proposals"), &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("使用内容文件夹 {}", content.display())));
    // Nowhere to find one: the error says where to run it.
    let o = run(&outside, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("找不到内容文件夹"), "{}", stderr(&o));
    // An explicit --content is used as given.
    let o = run(&outside, &["check", "--content", content.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
    fs::remove_dir_all(outside).unwrap();
}

#[test]
fn build_help_says_it_writes_the_site() {
    let o = dealbook(&["build", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).starts_with("生成全部输出：网站"),
        "{}",
        stdout(&o)
    );
}

/// `check` of `content` fails, saying each of `said` in this order and ending with `tally`.
fn check_fails_saying(content: &str, said: &[&str], tally: &str) {
    let o = dealbook(&["check", "--content", content]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let mut from = 0;
    for line in said {
        match err[from..].find(line) {
            Some(at) => from += at + line.len(),
            None => panic!("«{line}» missing or out of order in:\n{err}"),
        }
    }
    assert!(err.ends_with(tally), "{err}");
}

#[test]
fn slips_get_the_id_or_section_they_mean_and_fractions_a_warning() {
    let content = content_copy("slips");
    let c = content.to_str().unwrap();
    let wrong = content.join("proposals/2026-05-01-slips.yaml");
    fs::write(
        &wrong,
        "vendor: 某云\nmeeting:\n  date: 2026-05-01\n  phase: 初步接触\ndirections: [算力, prim]\nterms:\n  passed: true\nlatency_s: 3\n",
    )
    .unwrap();
    let o = dealbook(&["check", "--content", c]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for expected in [
        "2026-05-01-slips.yaml:4:10: 错误：「meeting.phase」的取值「初步接触」无效\n  提示：是不是想写「contact」（第一阶段：初步接触（当面沟通））？",
        "2026-05-01-slips.yaml:5:14: 错误：「directions」的取值「算力」无效\n  提示：是不是想写「compute」（算力基础设施合作）？",
        "2026-05-01-slips.yaml:5:18: 错误：「directions」的取值「prim」无效\n  提示：是不是想写「primary_model」（成为主要模型提供商）？",
        "2026-05-01-slips.yaml:7:3: 错误：未知的键「passed」（在 terms 下）\n  提示：「passed」属于 poc：写在 poc: 下面，比它多缩进两格",
        "2026-05-01-slips.yaml:8:1: 错误：未知的键「latency_s」\n  提示：「latency_s」属于 poc：写在 poc: 下面，比它多缩进两格",
    ] {
        assert!(err.contains(expected), "{expected}\nin:\n{err}");
    }
    assert!(err.ends_with("共 5 个问题\n"), "{err}");

    // A fraction where a percentage belongs, and milliseconds where seconds belong: accepted,
    // judged, and said at their lines.
    fs::write(
        &wrong,
        "vendor: 某云\nmeeting:\n  date: 2026-05-01\ndirections: [compute]\nterms:\n  cost_reduction_pct: 0.32\npoc:\n  latency_s: 3100\n",
    )
    .unwrap();
    let path = wrong.to_str().unwrap();
    let o = dealbook(&["eval", path, "--format", "json", "--content", c]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j = json(&o);
    assert_eq!(j["verdict"], "no_go");
    // A script reading the JSON gets the same warnings, at the same places.
    assert_eq!(
        j["warnings"],
        serde_json::json!([
            {"file": "2026-05-01-slips.yaml", "line": 6, "column": 23,
             "message": "「terms.cost_reduction_pct」是 0.32，看起来是小数；百分比请写 32"},
            {"file": "2026-05-01-slips.yaml", "line": 8, "column": 14,
             "message": "「poc.latency_s」是 3100s，超过通常的 60s：单位是 s，请确认没有按别的单位（如毫秒）填写"}
        ])
    );
    let err = stderr(&o);
    assert!(
        err.contains(
            ":6:23: 警告：「terms.cost_reduction_pct」是 0.32，看起来是小数；百分比请写 32"
        ),
        "{err}"
    );
    assert!(
        err.contains(":8:14: 警告：「poc.latency_s」是 3100s，超过通常的 60s"),
        "{err}"
    );
    let o = dealbook(&["check", "--content", c]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("警告：").count(), 2, "{}", stderr(&o));
    // `build` says them too, and builds.
    let out = content.parent().unwrap().join("slips-output");
    let o = dealbook(&["build", "--content", c, "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("警告：").count(), 2, "{}", stderr(&o));
    // And the report, page and PDF, says them under its verdict: it was reached on the values
    // as written.
    let page = fs::read_to_string(out.join("reports/2026-05-01-slips.html")).unwrap();
    let pdf = common::pdf_text(&out.join("reports/2026-05-01-slips.pdf"), &[]).replace('\n', "");
    for said in [&page, &pdf] {
        let verdict = said.find("评估结论").unwrap();
        let warning = said
            .find("第 6 行：「terms.cost_reduction_pct」是 0.32，看起来是小数；百分比请写 32")
            .unwrap_or_else(|| panic!("no warning in:\n{said}"));
        assert!(verdict < warning, "{said}");
        assert!(
            said.contains("第 8 行：「poc.latency_s」是 3100s"),
            "{said}"
        );
    }

    // Another file's error does not hide them.
    let broken = content.join("proposals/2026-05-02-broken.yaml");
    fs::write(
        &broken,
        "vendor: 某云\nmeeting:\n  date: 2026-05-02\ndirections: [compute]\nterm: {}\n",
    )
    .unwrap();
    check_fails_saying(
        c,
        &[
            "2026-05-01-slips.yaml:8:14: 警告：",
            "2026-05-02-broken.yaml:5:1: 错误：未知的键「term」",
        ],
        "共 1 个问题，另有 2 个警告\n",
    );
    fs::remove_file(&broken).unwrap();

    // With an error in the same file, its warnings are said too: one run, all there is to fix.
    fs::write(
        &wrong,
        "vendor: 某云\nmeeting:\n  date: 2026-05-01\ndirections: [compute]\nterms:\n  cost_reduction_pct: 0.32\n  lockin: true\n",
    )
    .unwrap();
    check_fails_saying(
        c,
        &[
            ":6:23: 警告：「terms.cost_reduction_pct」是 0.32",
            ":7:3: 错误：未知的键「lockin」",
        ],
        "共 1 个问题，另有 1 个警告\n",
    );

    // An operating system's error, in Chinese.
    let o = dealbook(&["eval", "no-such.yaml", "--content", c]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "no-such.yaml: 错误：无法读取文件：文件或文件夹不存在\n共 1 个问题\n"
    );
    let o = dealbook(&[
        "new",
        "proposal",
        "--vendor",
        "x",
        "--direction",
        "算力",
        "--content",
        c,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("是不是想写「compute」（算力基础设施合作）？"),
        "{}",
        stderr(&o)
    );
    fs::remove_dir_all(content).unwrap();
}
