//! The PDFs read back with poppler's tools (`pdfinfo`, `pdffonts`, `pdftotext`): page count and
//! size, embedded subset fonts, the text in reading order, auto-fit, the glyph gate, and
//! byte-identical rebuilds. `.ci/run` installs poppler-utils; a missing tool fails the test.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::repo;

fn temp(name: &str) -> PathBuf {
    common::temp("pdf", name)
}

/// `dealbook build` of `content` into `output` with the built-in font (the same on every machine).
fn build(content: &Path, output: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["build", "--font", "builtin", "--content"])
        .arg(content)
        .arg("--output")
        .arg(output)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("binary runs")
}

/// `build`, which must succeed.
fn build_ok(content: &Path, output: &Path) {
    let o = build(content, output);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn tool(name: &str, args: &[&str], file: &Path) -> String {
    let out = Command::new(name)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("{name} is needed (Debian's poppler-utils; .ci/run installs it): {e}")
        });
    assert!(out.status.success(), "{name} failed on {}", file.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text in content-stream order: the order a reader, a search or a screen reader gets.
fn text_of(pdf: &Path) -> String {
    common::pdf_text(pdf, &["-raw"])
}

/// The shipped content built once into a temporary folder.
fn shipped() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = temp("shipped").join("output");
        build_ok(common::shipped_content(), &out);
        out
    })
}

fn assert_in_order(text: &str, phrases: &[&str]) {
    let mut from = 0;
    for phrase in phrases {
        match text[from..].find(phrase) {
            Some(i) => from += i + phrase.len(),
            None => panic!("«{phrase}» missing or out of order in:\n{text}"),
        }
    }
}

#[test]
fn card_is_one_a4_page_with_subset_fonts_under_100_kb() {
    let card = shipped().join("cheat-card.pdf");
    let info = tool("pdfinfo", &[], &card);
    assert!(info.contains("Pages:           1"), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let fonts = tool("pdffonts", &[], &card);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "embedded, subset, unicode: {row}"
        );
        assert!(
            cols[0].split('+').next().unwrap().len() == 6,
            "subset tag: {row}"
        );
    }
    let size = fs::metadata(&card).unwrap().len();
    assert!(size < 100 * 1024, "card is {size} bytes");
}

/// The system's Noto Sans CJK (CFF outlines, regular and bold; `.ci/run` installs
/// fonts-noto-cjk) goes in as bare CID-keyed CFF subsets, and its text reads back.
#[test]
fn system_cff_faces_embed_as_cid_keyed_subsets_and_read_back() {
    let system = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    assert!(
        Path::new(system).is_file(),
        "{system} is needed (Debian's fonts-noto-cjk; .ci/run installs it)"
    );
    let out = temp("system-font").join("output");
    let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["build", "--font", "auto", "--content"])
        .arg(common::shipped_content())
        .arg("--output")
        .arg(&out)
        .output()
        .expect("binary runs");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for pdf in [
        out.join("cheat-card.pdf"),
        out.join("reports/2026-02-05-aliyun-review.pdf"),
    ] {
        let fonts = tool("pdffonts", &[], &pdf);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert_eq!(rows.len(), 2, "regular and bold: {fonts}");
        for row in &rows {
            assert!(row.contains("CID Type 0C"), "{row}");
            assert!(
                row.contains("yes yes yes"),
                "embedded, subset, unicode: {row}"
            );
        }
        assert!(
            rows.iter().any(|r| r.contains("+NotoSansCJKsc-Bold")),
            "{fonts}"
        );
    }
    let text = text_of(&out.join("reports/2026-02-05-aliyun-review.pdf"));
    assert_in_order(
        &text,
        &["评估结论", "待定", "判定理由", "逐条规则", "成本降低 < 20%"],
    );
}

#[test]
fn card_reads_back_in_order_with_thresholds_from_the_rules() {
    let text = text_of(&shipped().join("cheat-card.pdf"));
    assert_in_order(
        &text,
        &[
            "沟通立场速查卡",
            "打印此页，沟通时参考",
            "核心立场（开场即声明）",
            "我们业务运行良好，使用多家模型供应商。",
            "四大拒绝点（明确底线）",
            "排他性合作",
            "无清晰收益的承诺",
            "关键问题（要求对方回答）",
            "延迟能保证 5s 内吗？（有数据吗）",
            // The whole rule: No-Go when any No-Go condition or red line holds...
            "判定规则",
            "No Go 条件（任一成立即不推进）",
            "成本降低 < 20%（仅判定迁移业务的提案）",
            "技术验证不通过",
            "红线（任一成立即不推进）",
            "不接受只使用阿里云模型",
            "不接受使用阿里云专有技术导致难以迁移",
            // ...Go when every clause holds for each direction proposed.
            "推进（Go）：每个提出的方向都满足以下全部",
            "Go 条件至少满足 3 条（共 6 条）",
            "合作前提全部成立",
            "无绑定条款：无排他性条款 且 无深度绑定",
            "该方向自身的接受条件成立",
            "每条适用的 No Go 条件和红线都已确认不成立",
            "其余情况为待定",
        ],
    );
    // A line may wrap (the space at a break goes): compare without line ends and spaces.
    let flat = text.replace(['\n', ' '], "");
    assert!(
        flat.contains(
            "成为主要模型提供商：成本降低>40%且合作前提「技术验证通过」且接受多供应商策略"
        ),
        "{text}"
    );
    assert!(
        flat.contains("成本降低≥30%；PoC验证延迟<5s；") && flat.contains("迁移成本低（<2人周）"),
        "{text}"
    );
    assert!(!text.contains("{vendor}"), "{text}");
    // What every other case is stands under the box, not as a fifth condition of Go.
    assert!(
        flat.contains("4每条适用的NoGo条件和红线都已确认不成立"),
        "{text}"
    );
    assert!(
        flat.contains("其余情况为待定") && !flat.contains("5其余情况"),
        "{text}"
    );
    assert!(
        text.contains("三大接受点（可合作方向）") && text.contains("PoC 验证（对方承担成本）"),
        "{text}"
    );
}

#[test]
fn reports_read_back_with_verdict_rules_pages_and_provenance() {
    let pdf = shipped().join("reports/2026-02-05-aliyun-review.pdf");
    let info = tool("pdfinfo", &[], &pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2, "{info}");
    let text = text_of(&pdf);
    assert_in_order(
        &text,
        &[
            "阿里云 · 2026-02-05 · 合作评估报告",
            "评估结论",
            "待定",
            "判定理由",
            "Go 条件满足 3 条，至少需要 3 条",
            "逐条规则",
            "待获取与需协商",
            "加分条件",
            "会后评估清单",
            "后续行动",
            "会议记录",
            "对方提交了基于我们近三个月调用量的成本对比",
        ],
    );
    assert!(text.contains(&format!("第 1 页 / 共 {pages} 页")), "{text}");
    assert!(
        text.contains(&format!("第 {pages} 页 / 共 {pages} 页")),
        "{text}"
    );
    // A table cell may wrap (the space at a break goes): compare without line ends and spaces.
    let flat = text.replace(['\n', ' '], "");
    assert!(
        flat.contains("方向接受条件·成本优势>40%、技术验证通过，且接受多供应商策略"),
        "{text}"
    );
    // Every source cell names the proposal file and the line.
    assert!(flat.contains("2026-02-05-aliyun-review.yaml:18"), "{text}");
    // What the page says: the reasons with what each rule requires, and what changed since
    // the vendor's meeting before.
    assert!(
        flat.contains(
            "NoGo条件「技术验证不通过」（要求：技术验证不通过或与现有架构不兼容）：尚未确认不成立"
        ),
        "{text}"
    );
    assert!(
        flat.contains(
            "与上次会谈相比（2026-01-20）上次结论：待定（2026-01-20-aliyun-contact.pdf）"
        ),
        "{text}"
    );
    assert!(flat.contains("成本降低未知35%"), "{text}");
    let first = text_of(&shipped().join("reports/2026-01-20-aliyun-contact.pdf"));
    assert!(
        !first.contains("与上次会谈相比"),
        "no meeting before: {first}"
    );
    let sha = |p: &Path| {
        let out = Command::new("sha256sum").arg(p).output().unwrap();
        String::from_utf8_lossy(&out.stdout)[..12].to_string()
    };
    let framework = sha(&repo().join("content/framework.yaml"));
    let proposal = sha(&repo().join("content/proposals/2026-02-05-aliyun-review.yaml"));
    assert!(text.contains(&format!("框架 sha256:{framework}")), "{text}");
    assert!(text.contains(&format!("提案 sha256:{proposal}")), "{text}");
    // The newest date of the report's own sources (its proposal, the framework), not of
    // later meetings: a new meeting leaves earlier reports as they were.
    assert!(
        text.contains("生成日期 2026-02-05"),
        "the report's newest source date: {text}"
    );
}

#[test]
fn no_go_report_names_the_triggered_red_lines() {
    let text = text_of(&shipped().join("reports/2026-02-12-volcengine-contact.pdf"));
    assert_in_order(
        &text,
        &[
            "不推进",
            "触发了以下 No Go 条件或红线",
            "有排他性或强绑定条款",
            "不接受替换现有全部供应商",
        ],
    );
    assert!(
        text.contains("对方材料原文：“独家合作伙伴享受最优价格”"),
        "{text}"
    );
}

/// The card's lists repeated `times` times.
fn grown_content(name: &str, times: usize) -> PathBuf {
    let dir = temp(name);
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let path = content.join("framework.yaml");
    let text = fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    let mut in_card = false;
    for line in text.lines() {
        in_card |= line.starts_with("card:");
        match line.trim_start().strip_prefix("items: [") {
            Some(rest) if in_card => {
                let items = rest.trim_end_matches(']');
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_str(&format!(
                    "{indent}items: [{}]\n",
                    vec![items; times].join(", ")
                ));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    fs::write(&path, out).unwrap();
    dir
}

#[test]
fn card_with_twice_the_content_still_fits_one_page() {
    let dir = grown_content("twice-content", 2);
    build_ok(&dir.join("content"), &dir.join("output"));
    let card = dir.join("output/cheat-card.pdf");
    assert!(tool("pdfinfo", &[], &card).contains("Pages:           1"));
    let text = text_of(&card);
    assert_eq!(
        text.matches("无清晰收益的承诺").count(),
        2,
        "nothing cut off: {text}"
    );
    assert_eq!(text.matches("是否接受多供应商策略？").count(), 2, "{text}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn card_with_ten_times_the_content_is_a_clear_overflow_error() {
    let dir = grown_content("ten-times", 10);
    let o = build(&dir.join("content"), &dir.join("output"));
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("framework.yaml:"), "{err}");
    assert!(err.contains("速查卡一页放不下：「"), "{err}");
    assert!(
        err.contains("」超出页面 ") && err.contains(" 毫米（字号已缩到最小 7.5pt）"),
        "{err}"
    );
    assert!(!dir.join("output").exists(), "nothing half-written");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_character_no_font_has_stops_the_build_and_keeps_the_old_output() {
    let dir = temp("glyph");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let output = dir.join("output");
    assert_eq!(build(&content, &output).status.code(), Some(0));
    let before = fs::read(output.join("cheat-card.pdf")).unwrap();

    let proposal = content.join("proposals/2026-03-18-aliyun-pilot.yaml");
    let text = fs::read_to_string(&proposal)
        .unwrap()
        .replace("- 测评场景为非核心业务", "- 测评场景为非核心业务 🚀");
    fs::write(&proposal, text).unwrap();
    let o = build(&content, &output);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2026-03-18-aliyun-pilot.yaml:17:18: 错误："),
        "{err}"
    );
    assert!(
        err.contains("字符「🚀」（U+1F680）在字体中没有字形"),
        "{err}"
    );
    assert!(err.contains("--font"), "{err}");
    assert_eq!(
        fs::read(output.join("cheat-card.pdf")).unwrap(),
        before,
        "the previous output is untouched"
    );
    // The PDF cache beside the content, the output's lock file, and no staging folder.
    assert_eq!(
        common::names_in(&dir),
        [
            ".dealbook-cache",
            ".output.dealbook-lock",
            "content",
            "output"
        ]
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_changed_threshold_changes_the_card() {
    let dir = temp("threshold");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let path = content.join("framework.yaml");
    fs::write(
        &path,
        fs::read_to_string(&path)
            .unwrap()
            .replace("latency_s: 5 ", "latency_s: 4 "),
    )
    .unwrap();
    assert_eq!(build(&content, &dir.join("output")).status.code(), Some(0));
    let text = text_of(&dir.join("output/cheat-card.pdf"));
    assert!(text.contains("PoC 验证延迟 < 4s"), "{text}");
    assert!(text.contains("延迟能保证 4s 内吗？"), "{text}");
    assert!(!text.contains("5s"), "{text}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_ours() {
    let dir = temp("foreign");
    let output = dir.join("mine");
    fs::create_dir_all(&output).unwrap();
    fs::write(output.join("notes.txt"), "keep me").unwrap();
    let o = build(common::shipped_content(), &output);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(
        fs::read_to_string(output.join("notes.txt")).unwrap(),
        "keep me"
    );
    let o = build(
        common::shipped_content(),
        &common::shipped_content().join("out"),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!common::shipped_content().join("out").exists());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn hostile_notes_are_printed_as_plain_text() {
    let dir = temp("hostile");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let notes = "notes: |\n    <script>alert(1)</script>\n\n    <img src=x onerror=alert(2)> [点我](javascript:alert(3))\n";
    let proposal = format!(
        "vendor: 测试云\nmeeting:\n  date: 2026-04-01\n  {}directions: [joint_solution]\n",
        notes.replace("\n    ", "\n      ")
    );
    fs::write(content.join("proposals/2026-04-01-hostile.yaml"), proposal).unwrap();
    build_ok(&content, &dir.join("output"));
    let text = text_of(&dir.join("output/reports/2026-04-01-hostile.pdf"));
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    assert!(text.contains("<img src=x onerror=alert(2)>"), "{text}");
    assert!(text.contains("点我"), "{text}");
    fs::remove_dir_all(dir).unwrap();
}

/// A word as `pdftotext -bbox` places it: points from the page's top-left.
#[derive(Debug)]
struct Word {
    text: String,
    x_min: f32,
    y_min: f32,
    x_max: f32,
}

fn words_of(pdf: &Path) -> Vec<Word> {
    let html = common::pdf_text(pdf, &["-bbox", "-enc", "UTF-8"]);
    let attribute = |line: &str, name: &str| -> f32 {
        let from = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[from..from + line[from..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| Word {
            text: l[l.find('>').unwrap() + 1..l.rfind("</word>").unwrap()].to_string(),
            x_min: attribute(l, "xMin"),
            y_min: attribute(l, "yMin"),
            x_max: attribute(l, "xMax"),
        })
        .collect()
}

#[test]
fn notes_keep_their_emphasis_links_lists_and_tables() {
    let dir = temp("markdown-notes");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let name = "2026-04-02-markdown.yaml";
    fs::copy(
        repo().join("tests/fixtures/markdown-notes").join(name),
        content.join("proposals").join(name),
    )
    .unwrap();
    build_ok(&content, &dir.join("output"));
    let pdf = dir.join("output/reports/2026-04-02-markdown.pdf");
    let text = text_of(&pdf);
    assert!(!text.contains('|'), "a table printed as pipe rows:\n{text}");
    assert!(
        !text.contains("**") && !text.contains('`') && !text.contains("~~"),
        "{text}"
    );
    assert_in_order(
        &text,
        &[
            "会议记录",
            "报价要点",
            "降低 38%",
            "仅限首年",
            "原报价 20%",
            "chat/v2",
        ],
    );
    // A printed link gives its target.
    assert!(
        text.contains("报价单（https://example.com/quote）"),
        "{text}"
    );

    let words = words_of(&pdf);
    let word = |t: &str| {
        words
            .iter()
            .find(|w| w.text == t)
            .unwrap_or_else(|| panic!("«{t}» is not a word of its own in {words:#?}"))
    };
    let close = |a: f32, b: f32| (a - b).abs() < 0.5;
    // The header is one row; each column's cells start where its header does.
    let head = ["指标", "现状", "对方承诺"].map(word);
    assert!(
        head.iter().all(|w| close(w.y_min, head[0].y_min)),
        "{head:?}"
    );
    for (column, cells) in [
        (0, ["成本", "P95", "限流"]),
        (1, ["基线", "4.1s", "高峰期偶发"]),
    ] {
        for cell in cells {
            assert!(
                close(word(cell).x_min, head[column].x_min),
                "«{cell}» off its column"
            );
        }
    }
    // Short words stay whole ("高峰期偶发" and "P95 延迟" above, "金额（万元）" here).
    let amount = word("金额（万元）");
    // The right-aligned column: its numbers end where its header ends.
    for number in ["120", "8", "1500"] {
        assert!(
            close(word(number).x_max, amount.x_max),
            "«{number}» not right-aligned"
        );
    }
    // The long promise wraps inside its column, and the next row starts below it.
    let promise: Vec<&Word> = words
        .iter()
        .filter(|w| w.text.contains("第二年起") || w.text.contains("季度返点"))
        .collect();
    assert_eq!(
        promise.len(),
        2,
        "the long cell is not on two lines: {promise:?}"
    );
    assert!(promise[1].y_min > promise[0].y_min);
    assert!(
        promise.iter().all(|w| w.x_max < amount.x_min),
        "{promise:?}"
    );
    assert!(word("P95").y_min > promise[1].y_min);
    // A nested list item is indented under its parent.
    assert!(word("第二层").x_min > word("第一层").x_min + 5.0);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn questions_are_listed_in_the_page_order_each_with_its_answer_or_unanswered() {
    let text = text_of(&shipped().join("reports/2026-02-05-aliyun-review.pdf"));
    assert_in_order(
        &text,
        &[
            "问题：已回答 8 / 12，未回答 4 个",
            "弹性计费的具体条款？",
            "支持按量和预留混合计费",
            "是否有算力补贴或扶持计划？",
            "未回答",
            "针对实时对练场景，能否保证 5s 内延迟？",
            "未回答",
            "是否愿意提供 PoC 验证？谁承担成本？",
            "愿意提供，两周",
        ],
    );
}
