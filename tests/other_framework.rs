//! A second framework (`tests/fixtures/other-framework/`: other facts, thresholds, red lines
//! and No-Go rules, none of them the shipped one's) through `check`, `eval`, `new proposal`
//! and `build`: nothing in the code knows a fact's name.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{copy_dir, repo, temp};

/// A fresh copy of the fixture (builds write a cache beside the content folder).
fn fixture(name: &str) -> PathBuf {
    let dir = temp("other", name);
    copy_dir(
        &repo().join("tests/fixtures/other-framework"),
        &dir.join("content"),
    );
    dir
}

fn dealbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1795737600")
        .output()
        .expect("binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn eval(dir: &Path, name: &str) -> serde_json::Value {
    let file = format!("content/proposals/{name}.yaml");
    let o = dealbook(dir, &["eval", &file, "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("JSON")
}

fn rule<'a>(judgement: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    judgement["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("rule {id}"))
}

#[test]
fn check_accepts_it_and_eval_judges_by_its_own_rules() {
    let dir = fixture("eval");
    let o = dealbook(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "检查通过：框架 1 个，页面 2 个，提案 4 个\n"
    );

    // Three Go conditions of which two are needed, a deal breaker, a direction's own rule.
    let go = eval(&dir, "2026-05-01-go");
    assert_eq!(go["verdict"], "go");
    assert_eq!(
        (go["go_met"].as_u64(), go["go_required"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(rule(&go, "gpu_rental.accept")["threshold"], "折扣 > 30%");
    assert_eq!(rule(&go, "uptime")["observed"][0]["value"], "99.95%");

    // A red line of a new group, on a new bool fact, written as null: it holds the Go back.
    let pending = eval(&dir, "2026-05-08-pending");
    assert_eq!(pending["verdict"], "pending");
    assert_eq!(
        pending["directions"][0]["unknown"],
        serde_json::json!(["red_line.data_abroad"])
    );
    let abroad = &rule(&pending, "red_line.data_abroad")["observed"][0];
    assert_eq!(abroad["value"], serde_json::Value::Null);
    assert_eq!(abroad["line"], 10);
    assert_eq!(abroad["file"], "2026-05-08-pending.yaml");

    // Confirmed true, it is No-Go for every direction.
    let no_go = eval(&dir, "2026-05-15-no-go");
    assert_eq!(no_go["verdict"], "no_go");
    assert_eq!(
        no_go["triggered"],
        serde_json::json!(["red_line.data_abroad"])
    );
    // {vendor} reads as the vendor met.
    assert_eq!(
        rule(&no_go, "red_line.exclusive")["label"],
        "不接受北辰云独家"
    );

    // The new No-Go rule on a new number fact judges only a proposal that moves business.
    let course = eval(&dir, "2026-05-20-course");
    assert_eq!(course["verdict"], "go");
    let low = rule(&course, "no_go.discount_low");
    assert_eq!(
        (low["result"].as_str(), low["applies"].as_bool()),
        (Some("true"), Some(false))
    );
    assert_eq!(course["triggered"], serde_json::json!([]));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_fact_of_the_other_framework_is_unknown_here_and_its_own_are_checked() {
    let dir = fixture("check");
    let proposals = dir.join("content/proposals");
    fs::write(
        proposals.join("2026-06-01-wrong.yaml"),
        "vendor: 某云\nmeeting:\n  date: 2026-06-01\ndirections: [gpu_rental]\nterms:\n  exclusive: false\nsla:\n  uptime_pct: 101\ndata:\n  in_chian: true\n",
    )
    .unwrap();
    let o = dealbook(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("2026-06-01-wrong.yaml:5:1: 错误：未知的键「terms」"),
        "{err}"
    );
    assert!(
        err.contains(
            "2026-06-01-wrong.yaml:8:15: 错误：「sla.uptime_pct」不能大于 100，实际是 101"
        ),
        "{err}"
    );
    assert!(
        err.contains("未知的键「in_chian」（在 data 下）\n  提示：是不是想写「in_china」？"),
        "{err}"
    );
    assert!(err.ends_with("共 3 个问题\n"), "{err}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn new_proposal_writes_its_facts_and_passes_check() {
    let dir = fixture("new");
    let o = dealbook(
        &dir,
        &[
            "new",
            "proposal",
            "--vendor",
            "云起",
            "--date",
            "2026-07-01",
            "--direction",
            "gpu_rental",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let written = fs::read_to_string(dir.join("content/proposals/2026-07-01-云起.yaml")).unwrap();
    for part in [
        "offer:\n  # 相对刊例价的折扣（%）\n  discount_pct: null\n",
        "data:\n  # 训练数据是否存储在境内\n  in_china: null\n",
        "exit:\n  # 解约需提前通知的天数\n  notice_days: null\n",
        "answers:\n  # 数据：数据存储在哪里？\n  q.data: null\n",
    ] {
        assert!(written.contains(part), "{part} in:\n{written}");
    }
    assert!(!written.contains("terms:"), "{written}");
    let o = dealbook(&dir, &["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn build_makes_its_site_card_and_reports() {
    let dir = fixture("build");
    let o = dealbook(&dir, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = dir.join("output");
    let read = |name: &str| fs::read_to_string(out.join(name)).unwrap();
    // The meetings table lists the facts `meetings.columns` names, a chart the one of
    // `meetings.charts`.
    let meetings = read("meetings.html");
    for header in [
        "<th scope=\"col\">折扣</th>",
        "<th scope=\"col\">可用性</th>",
        "<th scope=\"col\">数据存储在境内</th>",
    ] {
        assert!(meetings.contains(header), "{header}");
    }
    assert!(
        meetings.contains("<td>数据存储在境外</td>"),
        "a bool column"
    );
    assert_eq!(meetings.matches("<svg").count(), 1, "one chart");
    assert!(meetings.contains("可用性"));
    // A report: its vendor, its facts with file and line, a rule that does not apply.
    let course = read("reports/2026-05-20-course.html");
    assert!(course.contains("不接受北辰云独家"), "{course}");
    assert!(
        course.contains("<td class=\"source\" data-label=\"来源\">2026-05-20-course.yaml:7</td>"),
        "{course}"
    );
    assert!(course.contains("不适用"), "{course}");
    let pending = read("reports/2026-05-08-pending.html");
    assert!(
        pending.contains("未触发任何 No Go 条件或红线，但有 1 条尚未确认"),
        "{pending}"
    );
    assert!(
        pending.contains("红线「不接受数据存储在境外」"),
        "{pending}"
    );
    // The decision page and the card state the whole rule of this framework.
    let decision = read("decision.html");
    assert!(
        decision.contains("<li>不接受数据存储在境外</li>"),
        "{decision}"
    );
    assert!(
        decision.contains("Go 条件至少满足 2 条（共 3 条）"),
        "{decision}"
    );
    assert!(
        decision.contains("<li>租用 GPU 集群：折扣 &gt; 30%</li>"),
        "{decision}"
    );
    let card = common::pdf_text(&out.join("cheat-card.pdf"), &[]).replace(['\n', ' '], "");
    for part in [
        "不接受数据存储在境外",
        "不接受某算力云独家",
        "折扣<10%（仅判定迁移业务的提案）",
    ] {
        assert!(card.contains(part), "{part} in {card}");
    }
    assert!(!card.contains("阿里云"), "{card}");
    fs::remove_dir_all(dir).unwrap();
}
