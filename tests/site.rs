//! The HTML site, built by the real binary and read back: pages, navigation, relative links,
//! the meetings history, report pages, inert vendor text, checked links and theme overrides.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::repo;

fn temp(name: &str) -> PathBuf {
    common::temp("site", name)
}

fn build(content: &Path, output: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["build", "--font", "builtin", "--content"])
        .arg(content)
        .arg("--output")
        .arg(output)
        .args(extra)
        .current_dir(repo())
        .output()
        .expect("binary runs")
}

/// `dealbook build` of the shipped content with `theme` over the embedded theme.
fn build_themed(theme: &Path, output: &Path) -> Output {
    build(
        common::shipped_content(),
        output,
        &["--theme", theme.to_str().expect("a UTF-8 path")],
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn shipped() -> &'static Path {
    static OUT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    OUT.get_or_init(|| {
        let out = temp("shipped").join("output");
        let o = build(common::shipped_content(), &out, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        out
    })
}

/// A page's HTML, with Tera's `&#x2F;` for `/` decoded.
fn read(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("&#x2F;", "/")
}

/// Every tag (`<…>`) of a page: attributes live there; text may quote HTML as text.
fn tags(html: &str) -> Vec<&str> {
    html.split('<')
        .skip(1)
        .filter_map(|s| s.split_once('>').map(|(t, _)| t))
        .collect()
}

/// Values of `name="…"` in `html`.
fn attributes(html: &str, name: &str) -> Vec<String> {
    html.split(&format!(" {name}=\""))
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|v| v.replace("&#x2F;", "/"))
        .collect()
}

#[test]
fn every_section_has_a_page_and_the_site_is_complete() {
    let out = shipped();
    for page in [
        "index",
        "preconditions",
        "directions",
        "red-lines",
        "negotiation",
        "process",
        "decision",
        "actions",
        "questions",
        "bottom-lines",
        "decision-matrix",
        "checklist",
        "cheat-card",
        "meetings",
    ] {
        let html = read(&out.join(format!("{page}.html")));
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"),
            "{page}"
        );
        assert!(
            html.contains("href=\"cheat-card.pdf\"") || html.contains("href=\"./cheat-card.pdf\""),
            "{page} links the card"
        );
        assert!(html.contains("id=\"search-input\""), "{page} has search");
    }
    for file in [
        "style.css",
        "search.js",
        "search.css",
        "search-index.js",
        "cheat-card.pdf",
        "reports/2026-02-05-aliyun-review.html",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
}

#[test]
fn section_pages_show_the_yaml_in_the_source_wording() {
    let out = shipped();
    let decision = read(&out.join("decision.html"));
    assert!(decision.contains("Go 的条件（满足 3+ 条）"), "{decision}");
    assert!(decision.contains("PoC 验证延迟 &lt; 5s"), "{decision}");
    assert!(
        decision.contains("aria-current=\"page\">六、决策标准</a>"),
        "current page marked"
    );
    // How the rules combine, generated from them: every part of the verdict rule.
    let how = &decision[decision.find("判定如何组合").expect("the section")..];
    for part in [
        "不推进（No Go）：以下任一成立",
        "<li>成本降低 &lt; 20%（仅判定迁移业务的提案）</li>",
        "<li>不接受只使用阿里云模型</li>",
        "推进（Go）：每个提出的方向都满足以下全部",
        "Go 条件至少满足 3 条（共 6 条）",
        "<li>无绑定条款：无排他性条款 且 无深度绑定</li>",
        "<li>成为主要模型提供商：成本降低 &gt; 40% 且 合作前提「技术验证通过」 且 接受多供应商策略</li>",
        "每条适用的 No Go 条件和红线都已确认不成立",
        "其余情况为待定",
    ] {
        assert!(how.contains(part), "{part} in {how}");
    }
    // A principle under a red-line group is not a refusal: no ✗, no 不接受 for a screen reader.
    let red_lines = read(&out.join("red-lines.html"));
    let principle = red_lines
        .split("<li")
        .find(|li| li.contains("保持技术中立性"))
        .expect("the principle is shown");
    assert!(principle.contains("原则"), "{principle}");
    assert!(
        !principle.contains("mark-no") && !principle.contains("不接受"),
        "{principle}"
    );
    let refusal = red_lines
        .split("<li")
        .find(|li| li.contains("不接受只使用阿里云模型"))
        .expect("a refusal");
    assert!(refusal.contains("aria-label=\"不接受\""), "{refusal}");
    let matrix = read(&out.join("decision-matrix.html"));
    assert!(matrix.contains("<th scope=\"col\">对方提案</th>"));
    assert!(matrix.contains("提供 20% 成本优惠"));
    assert!(matrix.contains("class=\"mark mark-caution\""));
    let negotiation = read(&out.join("negotiation.html"));
    assert!(
        negotiation.contains("<h2 id=\"4-1-立场\">4.1 立场"),
        "Chinese heading anchors: {negotiation}"
    );
}

#[test]
fn each_report_names_its_own_vendor_where_the_framework_means_the_vendor_met() {
    let out = shipped();
    let volcengine = read(&out.join("reports/2026-02-12-volcengine-contact.html"));
    assert!(
        volcengine.contains("不接受只使用火山引擎模型"),
        "{volcengine}"
    );
    assert!(volcengine.contains("联合营销资源（火山引擎渠道推广）"));
    assert!(!volcengine.contains("只使用阿里云") && !volcengine.contains("阿里云专有"));
    assert!(
        volcengine.contains("评估火山引擎合作提案"),
        "the title line"
    );
    let aliyun = read(&out.join("reports/2026-02-05-aliyun-review.html"));
    assert!(aliyun.contains("不接受只使用阿里云模型"));
    // Nothing anywhere is left unfilled.
    for file in common::files_under(out) {
        if file.extension().is_some_and(|e| e == "html" || e == "js") {
            assert!(
                !read(&out.join(&file)).contains("{vendor}"),
                "{}",
                file.display()
            );
        }
    }
}

#[test]
fn each_report_lists_the_follow_up_actions_for_its_verdict() {
    let out = shipped();
    let page = read(&out.join("actions.html"));
    assert!(
        page.contains("如决定推进，执行 PoC"),
        "七 lists every action"
    );
    let no_go = read(&out.join("reports/2026-02-12-volcengine-contact.html"));
    assert!(
        no_go.contains("整理会议记录"),
        "an action for every verdict"
    );
    assert!(!no_go.contains("如决定推进，执行 PoC") && !no_go.contains("评估成本收益"));
    let go = read(&out.join("reports/2026-03-18-aliyun-pilot.html"));
    assert!(go.contains("如决定推进，执行 PoC") && go.contains("整理会议记录"));
    let pdf = std::process::Command::new("pdftotext")
        .arg(out.join("reports/2026-02-12-volcengine-contact.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext is needed (Debian's poppler-utils)");
    let pdf = String::from_utf8_lossy(&pdf.stdout);
    assert!(
        pdf.contains("整理会议记录") && !pdf.contains("执行 PoC"),
        "{pdf}"
    );
}

#[test]
fn all_links_are_relative() {
    let out = shipped();
    for page in [
        "index.html",
        "meetings.html",
        "reports/2026-03-18-aliyun-pilot.html",
    ] {
        let html = read(&out.join(page));
        for link in attributes(&html, "href")
            .into_iter()
            .chain(attributes(&html, "src"))
        {
            assert!(
                !link.starts_with('/') && !link.starts_with("http"),
                "{page}: {link}"
            );
        }
    }
    let report = read(&out.join("reports/2026-03-18-aliyun-pilot.html"));
    assert!(report.contains("href=\"../style.css\""));
}

#[test]
fn meetings_page_lists_newest_first_with_a_chart_and_thresholds() {
    let html = read(&shipped().join("meetings.html"));
    let order: Vec<usize> = ["2026-03-18", "2026-02-12", "2026-02-05", "2026-01-20"]
        .iter()
        .map(|d| html.find(&format!("<td>{d}</td>")).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "newest first");
    assert!(html.contains("<svg class=\"chart\""), "chart inline");
    assert!(
        html.contains("阈值 30%") && html.contains("阈值 20%") && html.contains("阈值 5s"),
        "thresholds from the rules"
    );
    assert!(
        html.contains("badge-no_go\">不推进")
            && html.contains("badge-go\">推进")
            && html.contains("badge-pending\">待定")
    );
    assert!(html.contains("href=\"./reports/2026-02-05-aliyun-review.pdf\""));
}

#[test]
fn report_page_has_the_pdf_content_and_the_change_since_last_time() {
    let html = read(&shipped().join("reports/2026-02-05-aliyun-review.html"));
    for part in [
        "评估结论",
        "判定理由",
        "逐条规则",
        "待获取与需协商",
        "加分条件",
        "会后评估清单",
        "后续行动",
        "会议记录",
        "框架 sha256:",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(html.contains("与上次会谈相比（2026-01-20）"), "history");
    assert!(
        html.contains("<td>成本降低</td><td>未知</td><td>35%</td>"),
        "fact moved"
    );
    assert!(
        html.contains(
            "<td class=\"source\" data-label=\"来源\">2026-02-05-aliyun-review.yaml:18</td>"
        ),
        "the source cell names the file and the line"
    );
    // A No-Go rule still unknown is what the direction needs confirmed false, said so.
    assert!(
        html.contains("No Go 条件「技术验证不通过」（要求：技术验证不通过 或 与现有架构不兼容）：尚未确认不成立"),
        "{html}"
    );
    let first = read(&shipped().join("reports/2026-01-20-aliyun-contact.html"));
    assert!(!first.contains("与上次会谈相比"), "no earlier meeting");
}

/// `dealbook eval --format json` of a shipped proposal.
fn eval_json(name: &str) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["eval", "--format", "json", "--content"])
        .arg(common::shipped_content())
        .arg(repo().join(format!("content/proposals/{name}.yaml")))
        .output()
        .expect("binary runs");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("eval prints JSON")
}

/// The page's name of a rule's group.
fn group_word(group: &str) -> &'static str {
    match group {
        "no_go" => "No Go 条件",
        "red_line" => "红线",
        "go" => "Go 条件",
        "deal_breaker" => "合作前提",
        "acceptance" => "方向接受条件",
        "bonus" => "加分条件",
        other => panic!("a rule group the page does not name: {other}"),
    }
}

/// Text as the theme's escaping writes it into HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The page's wording of a rule's result (`result_word` in the report).
fn result_word(group: &str, result: &str) -> &'static str {
    let alarm = matches!(group, "no_go" | "red_line");
    match (result, alarm) {
        ("true", true) => "触发",
        ("false", true) => "未触发",
        ("true", false) => "满足",
        ("false", false) => "不满足",
        _ => "未知",
    }
}

#[test]
fn the_rules_that_changed_since_last_time_are_those_whose_judgement_changed() {
    // Each report page is made from its own judgement and the vendor's previous meeting's,
    // which the build makes and lets go of page by page: the table must still be the
    // difference of the two judgements `dealbook eval` gives.
    let (before, now) = (
        eval_json("2026-02-05-aliyun-review"),
        eval_json("2026-03-18-aliyun-pilot"),
    );
    let result_of = |id: &str| {
        before["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["result"].as_str().expect("a result").to_string())
    };
    let expected: Vec<(String, &str, &str)> = now["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| {
            let group = r["group"].as_str()?;
            let was = result_of(r["id"].as_str()?)?;
            let is = r["result"].as_str()?;
            let rule = format!("{}「{}」", group_word(group), escape(r["label"].as_str()?));
            (was != is).then(|| (rule, result_word(group, &was), result_word(group, is)))
        })
        .collect();
    assert!(
        !expected.is_empty(),
        "the shipped meetings differ in some rule"
    );

    let html = read(&shipped().join("reports/2026-03-18-aliyun-pilot.html"));
    assert!(html.contains("与上次会谈相比（2026-02-05）"), "history");
    let table = html
        .split("<caption>结果改变的规则</caption>")
        .nth(1)
        .and_then(|t| t.split("</tbody>").next())
        .expect("the table of rules that changed");
    let rows: Vec<(String, &str, &str)> = table
        .split("<tr>")
        .skip(2) // before the header row, and the header row
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .filter_map(|c| c.split("</td>").next())
                .collect();
            assert_eq!(cells.len(), 3, "{row}");
            (cells[0].to_string(), cells[1], cells[2])
        })
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn the_meetings_chart_fits_every_vendor_in_its_legend() {
    // Thirteen vendors: more than one line of legend, more than the ten colours.
    let dir = temp("many-vendors");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let pilot = fs::read_to_string(content.join("proposals/2026-03-18-aliyun-pilot.yaml"))
        .expect("the shipped pilot proposal");
    let vendors = [
        "腾讯云",
        "华为云",
        "百度智能云",
        "京东云",
        "天翼云",
        "移动云",
        "联通云",
        "金山云",
        "UCloud优刻得",
        "青云QingCloud",
        "Amazon Web Services",
    ];
    for (i, vendor) in vendors.iter().enumerate() {
        let yaml = pilot
            .replacen("vendor: 阿里云", &format!("vendor: {vendor}"), 1)
            .replacen(
                "date: 2026-03-18",
                &format!("date: 2026-04-{:02}", i + 1),
                1,
            );
        assert_ne!(yaml, pilot);
        fs::write(
            content.join(format!("proposals/2026-04-{:02}-v{i}.yaml", i + 1)),
            yaml,
        )
        .unwrap();
    }
    let o = build(&content, &dir.join("output"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(&dir.join("output/meetings.html"));
    let svg = html
        .split("<svg class=\"chart\"")
        .nth(1)
        .and_then(|s| s.split("</svg>").next())
        .expect("a chart");
    let number = |attrs: &str, name: &str| -> f64 {
        attrs
            .split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{name} in {attrs}"))
    };
    let view: Vec<f64> = svg
        .split("viewBox=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("a viewBox")
        .split(' ')
        .map(|n| n.parse().expect("a number"))
        .collect();
    let (width, height) = (view[2], view[3]);
    assert!(
        height > 230.0,
        "the legend's extra lines make room: {height}"
    );
    let entries: Vec<(f64, f64, &str)> = svg
        .split("<text class=\"legend\"")
        .skip(1)
        .map(|t| {
            let (attrs, rest) = t.split_once('>').expect("a tag");
            let name = rest.split("</text>").next().expect("a name");
            (number(attrs, "x"), number(attrs, "y"), name)
        })
        .collect();
    assert_eq!(entries.len(), 13, "every vendor is in the legend");
    for (x, y, name) in &entries {
        // A CJK character is at most one em (13 px) wide, a Latin one less.
        let end = x + 13.0 * name.chars().count() as f64;
        assert!(end <= width, "{name} ends at {end}, past {width}");
        assert!(*y < height - 200.0, "{name} is above the plot");
    }
    // A vendor's colour comes from its name; vendors that share one are told apart by their
    // lines and marks: thirteen vendors, thirteen different looks.
    let looks: std::collections::BTreeSet<&str> = svg
        .split("<g class=\"series ")
        .skip(1)
        .filter_map(|g| g.split('"').next())
        .collect();
    assert_eq!(looks.len(), 13, "{looks:?}");
}

#[test]
fn hostile_vendor_text_is_inert() {
    let dir = temp("hostile");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let proposal = "vendor: \"<img src=x onerror=alert(1)>云\"\nmeeting:\n  date: 2026-04-01\n  notes: |\n    <script>alert(1)</script>\n\n    [点我](javascript:alert(2)) [数据](data:text/html,hi) <a href=\"javascript:alert(3)\">a</a> <svg onload=alert(4)>\ndirections: [joint_solution]\nanswers:\n  tech.latency: \"**3s** <iframe src=//evil.example></iframe>\"\n";
    fs::write(content.join("proposals/2026-04-01-hostile.yaml"), proposal).unwrap();
    let o = build(&content, &dir.join("output"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let html = read(&dir.join("output/reports/2026-04-01-hostile.html"));
    let body = &html[html.find("<main").unwrap()..];
    for tag in tags(body) {
        let name = tag.split_whitespace().next().unwrap_or("").to_lowercase();
        assert!(
            !["script", "img", "iframe", "svg", "object", "embed"].contains(&name.as_str()),
            "element <{tag}>"
        );
        assert!(
            !tag.to_lowercase().contains(" on"),
            "event handler attribute in <{tag}>"
        );
        assert!(
            !tag.contains("javascript:") && !tag.contains("data:"),
            "dangerous link in <{tag}>"
        );
    }
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "visible as text"
    );
    assert!(
        body.contains("&lt;svg onload=alert(4)&gt;"),
        "visible as text"
    );
    assert!(
        body.contains("<strong>3s</strong>"),
        "Markdown still rendered"
    );
    let scripts = html.matches("<script").count();
    assert_eq!(scripts, 2, "only the two the theme ships");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_broken_link_in_a_page_fails_the_build_naming_page_and_link() {
    let dir = temp("broken");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let page = content.join("pages/negotiation.md");
    let text = read(&page) + "\n见[决策标准](decision.html#不存在的锚点)和[附件](missing.pdf)。\n";
    fs::write(&page, text).unwrap();
    let o = build(&content, &dir.join("output"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "negotiation.html: 错误：链接指向不存在的页面、文件或锚点：decision.html#不存在的锚点"
        ),
        "{err}"
    );
    assert!(
        err.contains("negotiation.html: 错误：链接指向不存在的页面、文件或锚点：missing.pdf"),
        "{err}"
    );
    assert!(!dir.join("output").exists(), "nothing written");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn theme_files_override_the_embedded_theme_one_by_one() {
    let dir = temp("theme");
    let theme = dir.join("theme");
    fs::create_dir_all(theme.join("static")).unwrap();
    fs::write(
        theme.join("static/style.css"),
        "body { color: rebeccapurple; }\n",
    )
    .unwrap();
    let o = build_themed(&theme, &dir.join("output"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        read(&dir.join("output/style.css")),
        "body { color: rebeccapurple; }\n"
    );
    assert!(
        read(&dir.join("output/search.js")).len() > 100,
        "the rest from the embedded theme"
    );

    fs::create_dir_all(theme.join("templates")).unwrap();
    fs::write(theme.join("templates/page.html"), "{% if %}\n").unwrap();
    let o = build_themed(&theme, &dir.join("output2"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("templates/page.html:1:7: 错误：模板有错误"),
        "{err}"
    );

    // Pages depend on the sources only: no template function reads the environment, and a
    // misspelt component, filter or function is named at its line and column, with the
    // nearest valid name.
    fs::write(
        theme.join("templates/page.html"),
        "<h1>{{ page_title | uper }}</h1>\n{{ get_env(name=\"HOME\") }}\n{{ <verdic v={data}/> }}\n",
    )
    .unwrap();
    let o = build_themed(&theme, &dir.join("output3"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let page = theme.join("templates/page.html");
    let page = page.display();
    for (spot, problem, hint) in [
        ("1:21", "未知的过滤器「uper」", "是不是想写「upper」？"),
        ("2:4", "未知的函数「get_env」", "可用的值：range、throw"),
        ("3:4", "未知的组件「verdic」", "是不是想写「verdict」？"),
    ] {
        let line = format!("{page}:{spot}: 错误：模板有错误：{problem}\n  提示：{hint}");
        assert!(err.contains(&line), "{line}\n{err}");
    }
    assert!(err.contains("共 3 个问题"), "{err}");
    assert!(!dir.join("output3").exists());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_template_file_the_theme_does_not_use_is_named_with_what_to_do() {
    let dir = temp("unused-template");
    let theme = dir.join("theme");
    fs::create_dir_all(theme.join("templates")).unwrap();
    // A Tera 1 theme's macros, and a misspelt override that would be silently left out.
    fs::write(
        theme.join("templates/macros.html"),
        "{% macro x() %}{% endmacro %}",
    )
    .unwrap();
    fs::write(
        theme.join("templates/reprot.html"),
        "<h1>{{ report.vendor }}</h1>",
    )
    .unwrap();
    fs::write(theme.join("templates/notes.txt"), "not a template").unwrap();
    let o = build_themed(&theme, &dir.join("output"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let macros = theme.join("templates/macros.html");
    assert!(
        err.contains(&format!(
            "{}: 错误：主题中的模板「macros.html」不会被使用",
            macros.display()
        )) && err.contains("components.html 中的组件"),
        "{err}"
    );
    let reprot = theme.join("templates/reprot.html");
    assert!(
        err.contains(&format!(
            "{}: 错误：主题中的模板「reprot.html」不会被使用",
            reprot.display()
        )) && err.contains("是不是想写「report.html」？"),
        "{err}"
    );
    assert!(err.contains("共 2 个问题"), "{err}");
    assert!(!dir.join("output").exists(), "nothing written");

    // A theme file that is there but cannot be read is said so, not replaced unnoticed by
    // the embedded one.
    fs::remove_file(theme.join("templates/macros.html")).unwrap();
    fs::remove_file(theme.join("templates/reprot.html")).unwrap();
    fs::write(theme.join("templates/page.html"), b"<h1>\xff\xfe</h1>").unwrap();
    fs::create_dir_all(theme.join("static/style.css")).unwrap();
    let o = build_themed(&theme, &dir.join("output"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for (file, problem) in [
        ("templates/page.html", "无法读取主题模板"),
        ("static/style.css", "无法读取主题文件"),
    ] {
        let line = format!("{}: 错误：{problem}", theme.join(file).display());
        assert!(err.contains(&line), "{line}\n{err}");
    }
    assert!(err.contains("共 2 个问题"), "{err}");
    assert!(!dir.join("output").exists(), "nothing written");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_failing_report_page_still_lets_the_meetings_page_report_its_own_problem() {
    // The meetings page lists every report's outcome, which a report page records as it is
    // made; the rows of reports whose page failed are still there, so a problem in the
    // meetings page's row loop is found in the same run.
    let dir = temp("render-errors-both");
    let theme = dir.join("theme");
    fs::create_dir_all(theme.join("templates")).unwrap();
    fs::write(
        theme.join("templates/report.html"),
        "<p>{{ report.vendr }}</p>\n",
    )
    .unwrap();
    fs::write(
        theme.join("templates/meetings.html"),
        "<ul>\n{% for m in meetings %}<li>{{ m.vendr }}</li>{% endfor %}\n</ul>\n",
    )
    .unwrap();
    let o = build_themed(&theme, &dir.join("output"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for template in ["report.html:1:", "meetings.html:2:"] {
        let at = format!(
            "{}{template}",
            theme.join("templates").display().to_string() + "/"
        );
        assert!(err.contains(&at), "{at} in:\n{err}");
    }
    assert!(err.contains("共 2 个问题"), "{err}");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_template_that_fails_on_every_report_is_reported_once_at_its_line() {
    let dir = temp("render-error");
    let theme = dir.join("theme");
    fs::create_dir_all(theme.join("templates")).unwrap();
    fs::write(
        theme.join("templates/report.html"),
        "<h1>{{ report.vendor }}</h1>\n<p>{{ report.vendr }}</p>\n",
    )
    .unwrap();
    let o = build_themed(&theme, &dir.join("output"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let at = format!(
        "{}:2:14: 错误：模板渲染失败：字段「vendr」不存在\n  提示：是不是想写「vendor」？（生成页面 reports/",
        theme.join("templates/report.html").display()
    );
    assert!(err.contains(&at), "{err}");
    // The shipped content has four proposals: one problem, the first page, three more.
    assert!(err.contains("（另有 3 个页面出现同样的问题）"), "{err}");
    assert!(err.contains("共 1 个问题"), "{err}");
    assert!(!dir.join("output").exists(), "nothing written");

    // A component that fails names the component's line and where each page called it from.
    fs::remove_file(theme.join("templates/report.html")).unwrap();
    let components = read(&repo().join("themes/default/templates/components.html"));
    let verdict = "<span class=\"badge badge-{{ v.id }}\">{{ v.label }}</span>";
    assert!(
        components.contains(verdict),
        "the default verdict component"
    );
    fs::write(
        theme.join("templates/components.html"),
        components.replace(verdict, "{{ v.lable }}"),
    )
    .unwrap();
    let o = build_themed(&theme, &dir.join("output"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    let report_call = err
        .lines()
        .find(|line| line.contains("templates/report.html:"))
        .unwrap_or_else(|| panic!("a call from report.html:\n{err}"));
    assert!(
        report_call.contains("templates/components.html:")
            && report_call.contains("字段「lable」不存在")
            && report_call.contains("（调用自 (内置主题)/templates/report.html:"),
        "{err}"
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn site_settings_are_validated() {
    let dir = temp("config");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    fs::write(content.join("site.yaml"), "titel: 评估\nlang: zh\n").unwrap();
    let o = build(&content, &dir.join("output"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("site.yaml:1:1: 错误：未知的键「titel」"),
        "{err}"
    );
    assert!(err.contains("是不是想写「title」？"), "{err}");
    fs::remove_dir_all(dir).unwrap();
}
