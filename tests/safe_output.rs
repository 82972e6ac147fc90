//! Nothing lost, nothing different: a build killed at any moment leaves the previous output as
//! it was, links out of the content folder are refused, and the same sources give the same
//! bytes in any folder, with or without `SOURCE_DATE_EPOCH`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use common::{copy_dir, files_under, repo, tree_hash};

fn temp(name: &str) -> PathBuf {
    common::temp("safe", name)
}

fn build_command(content: &Path, output: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dealbook"));
    command
        .args(["build", "--font", "builtin", "--content"])
        .arg(content)
        .arg("--output")
        .arg(output)
        .env_remove("SOURCE_DATE_EPOCH");
    command
}

fn build(content: &Path, output: &Path) -> Output {
    build_command(content, output)
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Folders dealbook left beside `output` (staging or moved-aside outputs; the lock file that
/// lets one build at a time write it stays).
fn leftovers(output: &Path) -> Vec<String> {
    let name = output.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<String> = fs::read_dir(output.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with(&format!(".{name}.dealbook-")))
        .filter(|f| *f != format!(".{name}.dealbook-lock"))
        .collect();
    found.sort();
    found
}

/// The shipped content with `copies` more proposals (the shipped ones under new names).
fn large_content(dir: &Path, copies: usize) -> PathBuf {
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let proposals = content.join("proposals");
    let mut originals: Vec<PathBuf> = fs::read_dir(&proposals)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    originals.sort();
    for i in 0..copies {
        let from = &originals[i % originals.len()];
        let stem = from.file_stem().unwrap().to_string_lossy();
        fs::copy(from, proposals.join(format!("{stem}-copy-{i:04}.yaml"))).unwrap();
    }
    content
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output_whole() {
    let dir = temp("kill");
    let content = large_content(&dir, 40);
    let output = dir.join("out");

    let started = Instant::now();
    let first = build(&content, &output);
    let full = started.elapsed();
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(
        stderr(&first),
        "",
        "no progress bar when stderr is not a terminal"
    );
    let before = tree_hash(&output);
    let pristine = dir.join("first");
    copy_dir(&output, &pristine);

    // The next build would change every report: its output is the only other acceptable state.
    let framework = content.join("framework.yaml");
    let text = fs::read_to_string(&framework).unwrap();
    fs::write(&framework, text.replacen("合作", "协作", 1)).unwrap();
    let reference = dir.join("reference");
    assert_eq!(build(&content, &reference).status.code(), Some(0));
    let after = tree_hash(&reference);
    assert_ne!(before, after, "the edit changes the output");

    let mut interrupted = 0;
    let points = [0.02, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 0.95];
    for fraction in points {
        // Each killed build draws every PDF, as the first did, so it lasts as long.
        let _ = fs::remove_dir_all(cache_of(&content));
        let mut child = build_command(&content, &output).spawn().unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap(); // SIGKILL: no destructor, no clean-up runs.
        child.wait().unwrap();
        let now = tree_hash(&output);
        if now == before {
            interrupted += usize::from(!finished);
        } else {
            assert_eq!(
                now, after,
                "killed at {fraction} of a build: a partial output"
            );
            // A finished build is the new previous output: reset it for the next point.
            fs::remove_dir_all(&output).unwrap();
            copy_dir(&pristine, &output);
        }
    }
    assert!(
        interrupted >= points.len() / 2,
        "only {interrupted} of {} kills landed during a build of {full:?}",
        points.len()
    );

    // The next run cleans up after the killed ones and succeeds.
    let last = build(&content, &output);
    assert_eq!(last.status.code(), Some(0), "{}", stderr(&last));
    assert_eq!(tree_hash(&output), after);
    assert_eq!(leftovers(&output), Vec::<String>::new());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_failed_build_leaves_the_previous_output_and_no_staging_folder() {
    let dir = temp("failed");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let output = dir.join("out");
    assert_eq!(build(&content, &output).status.code(), Some(0));
    let before = tree_hash(&output);
    // A broken link fails the build at its last step, after every PDF was written to staging.
    let page = content.join("pages/negotiation.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\n见[附件](missing.pdf)。\n")).unwrap();
    let failed = build(&content, &output);
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("missing.pdf"),
        "{}",
        stderr(&failed)
    );
    assert_eq!(tree_hash(&output), before);
    assert_eq!(leftovers(&output), Vec::<String>::new());
    fs::remove_dir_all(dir).unwrap();
}

#[cfg(unix)]
#[test]
fn links_out_of_the_content_folder_are_refused_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = temp("links");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let secret = dir.join("secret.md");
    fs::write(&secret, "---\ntitle: 机密\norder: 99\n---\n机密内容\n").unwrap();
    symlink(&secret, content.join("pages/99-secret.md")).unwrap();
    symlink(
        dir.join("nowhere.yaml"),
        content.join("proposals/gone.yaml"),
    )
    .unwrap();
    // A link that stays inside the folder is fine.
    symlink(
        content.join("proposals/2026-03-18-aliyun-pilot.yaml"),
        content.join("proposals/2026-03-19-again.yaml"),
    )
    .unwrap();

    let output = dir.join("out");
    let o = build(&content, &output);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("99-secret.md") && err.contains("指向内容文件夹之外"),
        "{err}"
    );
    assert!(err.contains("gone.yaml") && err.contains("不存在"), "{err}");
    assert!(!err.contains("again.yaml"), "{err}");
    assert!(!err.contains("机密内容"), "{err}");
    assert!(!output.exists());

    fs::remove_file(content.join("pages/99-secret.md")).unwrap();
    fs::remove_file(content.join("proposals/gone.yaml")).unwrap();
    let o = build(&content, &output);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(output.join("reports/2026-03-19-again.html").is_file());

    // `eval` refuses a framework that lives elsewhere too.
    let elsewhere = dir.join("framework.yaml");
    fs::rename(content.join("framework.yaml"), &elsewhere).unwrap();
    symlink(&elsewhere, content.join("framework.yaml")).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["eval", "--content"])
        .arg(&content)
        .arg(content.join("proposals/2026-03-18-aliyun-pilot.yaml"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("framework.yaml"), "{}", stderr(&o));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn builds_are_byte_identical_in_any_folder_with_or_without_source_date_epoch() {
    let dir = temp("reproducible");
    let nested = dir.join("deeper/still");
    fs::create_dir_all(&nested).unwrap();
    let shipped = common::shipped_content().to_path_buf();
    let run = |output: &Path, cwd: &Path, epoch: Option<&str>| {
        let mut command = build_command(&shipped, output);
        command.current_dir(cwd);
        if let Some(epoch) = epoch {
            command.env("SOURCE_DATE_EPOCH", epoch);
        }
        let o = command.output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        tree_hash(output)
    };
    let plain = run(&dir.join("a"), repo(), None);
    // The marker, the card, 4 report PDFs, 18 pages, 3 static files and the search index.
    assert_eq!(files_under(&dir.join("a")).len(), 1 + 1 + 4 + 18 + 3 + 1);
    assert_eq!(plain, run(&nested.join("b"), &nested, None));
    // 2030-01-02: a date none of the sources carries, so it must show in the output.
    let epoch = "1893542400";
    let dated = run(&dir.join("c"), repo(), Some(epoch));
    assert_eq!(dated, run(&nested.join("d"), &dir, Some(epoch)));
    assert_ne!(plain, dated, "SOURCE_DATE_EPOCH sets the build date");
    let report = fs::read_to_string(dir.join("c/reports/2026-03-18-aliyun-pilot.html")).unwrap();
    assert!(
        report.contains("2030-01-02"),
        "the report shows the build date"
    );
    fs::remove_dir_all(dir).unwrap();
}

fn summary(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The PDF cache beside a content folder.
fn cache_of(content: &Path) -> PathBuf {
    content.parent().unwrap().join(".dealbook-cache/pdf")
}

#[test]
fn report_pdfs_come_from_the_cache_only_when_nothing_that_draws_them_changed() {
    let dir = temp("cache");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let output = dir.join("out");
    let first = summary(&build(&content, &output));
    assert!(!first.contains("取自缓存"), "{first}");
    let before = tree_hash(&output);
    assert_eq!(
        files_under(&cache_of(&content)).len(),
        5,
        "the card and each report"
    );

    let again = summary(&build(&content, &output));
    assert!(
        again.contains("评估报告 PDF 4 份（4 份未变，取自缓存）"),
        "{again}"
    );
    assert_eq!(tree_hash(&output), before);

    // One proposal edited: only its PDF is rendered again, and the output is what a build
    // with no cache at all makes.
    let pilot = content.join("proposals/2026-03-18-aliyun-pilot.yaml");
    let text = fs::read_to_string(&pilot).unwrap();
    fs::write(
        &pilot,
        text.replace("可随时切回原供应商", "可随时切回原有供应商"),
    )
    .unwrap();
    let edited = summary(&build(&content, &output));
    assert!(edited.contains("（3 份未变，取自缓存）"), "{edited}");
    let cached = tree_hash(&output);
    fs::remove_dir_all(cache_of(&content)).unwrap();
    summary(&build(&content, &dir.join("fresh")));
    assert_eq!(cached, tree_hash(&dir.join("fresh")));

    // A newer meeting leaves the earlier reports as they were.
    let newer = content.join("proposals/2026-04-01-aliyun-next.yaml");
    fs::write(&newer, text.replace("2026-03-18", "2026-04-01")).unwrap();
    let added = summary(&build(&content, &output));
    assert!(
        added.contains("评估报告 PDF 5 份（4 份未变，取自缓存）"),
        "{added}"
    );

    // Another font: every PDF is rendered again.
    let font = repo().join("themes/default/fonts/DealbookSansSC-Regular.ttf");
    let o = Command::new(env!("CARGO_BIN_EXE_dealbook"))
        .args(["build", "--font", font.to_str().unwrap(), "--content"])
        .arg(&content)
        .arg("--output")
        .arg(&output)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(
        summary(&o).contains("评估报告 PDF 5 份，用时"),
        "{}",
        summary(&o)
    );
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_damaged_cache_entry_is_rendered_again_and_the_pdf_is_right() {
    let dir = temp("cache-damaged");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let output = dir.join("out");
    summary(&build(&content, &output));
    let pdf = output.join("reports/2026-03-18-aliyun-pilot.pdf");
    let right = fs::read(&pdf).unwrap();
    // Every entry damaged in the middle of its PDF, one also cut short: the entry whose
    // bytes are the pilot's is found by its content.
    let cache = cache_of(&content);
    for (i, entry) in files_under(&cache).iter().enumerate() {
        let entry = cache.join(entry);
        let mut bytes = fs::read(&entry).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        if i == 0 {
            bytes.truncate(middle);
        }
        fs::write(&entry, bytes).unwrap();
    }
    let again = summary(&build(&content, &output));
    assert!(!again.contains("取自缓存"), "{again}");
    assert_eq!(fs::read(&pdf).unwrap(), right);
    // The entries are whole again.
    let third = summary(&build(&content, &output));
    assert!(third.contains("（4 份未变，取自缓存）"), "{third}");
    assert_eq!(fs::read(&pdf).unwrap(), right);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_output_path_that_is_a_file_is_refused_and_left_as_it_was() {
    let dir = temp("output-file");
    fs::create_dir_all(&dir).unwrap();
    let notes = dir.join("notes.txt");
    fs::write(&notes, "precious").unwrap();
    for force in [false, true] {
        let mut command = build_command(common::shipped_content(), &notes);
        if force {
            command.arg("--force");
        }
        let o = command.output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("已是一个文件，不是文件夹"),
            "{}",
            stderr(&o)
        );
        assert_eq!(fs::read_to_string(&notes).unwrap(), "precious");
        assert_eq!(
            common::names_in(&dir),
            ["notes.txt"],
            "nothing moved aside or left beside it"
        );
    }
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_output_holds_the_site_and_its_marker_only() {
    let dir = temp("no-records");
    let content = dir.join("content");
    common::copy_shipped_content(&content);
    let output = dir.join("out");
    summary(&build(&content, &output));
    summary(&build(&content, &output));
    let hidden: Vec<String> = files_under(&output)
        .iter()
        .map(|f| f.to_string_lossy().into_owned())
        .filter(|f| f.split('/').any(|part| part.starts_with('.')))
        .collect();
    assert_eq!(hidden, [".dealbook-output"]);
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn two_builds_into_one_output_at_once_leave_one_whole_build() {
    let dir = temp("concurrent");
    // Large enough that the second build starts while the first still runs.
    let a = large_content(&dir.join("a"), 40);
    let b = large_content(&dir.join("b"), 40);
    let pilot = b.join("proposals/2026-03-18-aliyun-pilot.yaml");
    let text = fs::read_to_string(&pilot).unwrap();
    let edited = text.replace("可随时切回原供应商", "可随时切回原有供应商");
    assert_ne!(edited, text);
    fs::write(&pilot, edited).unwrap();
    let fresh_a = dir.join("fresh-a");
    let fresh_b = dir.join("fresh-b");
    summary(&build(&a, &fresh_a));
    summary(&build(&b, &fresh_b));
    let (hash_a, hash_b) = (tree_hash(&fresh_a), tree_hash(&fresh_b));
    assert_ne!(hash_a, hash_b);
    let output = dir.join("out");
    let mut waited = 0;
    for _ in 0..3 {
        let spawn = |content: &Path| {
            build_command(content, &output)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (one, two) = (spawn(&a), spawn(&b));
        for child in [one, two] {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            waited += usize::from(stderr(&o).contains("另一个 dealbook 正在构建"));
        }
        let now = tree_hash(&output);
        assert!(now == hash_a || now == hash_b, "a mix of two builds");
        assert_eq!(leftovers(&output), Vec::<String>::new());
    }
    assert!(waited >= 1, "the second build never said it waited");
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_build_on_a_terminal_shows_progress_then_one_summary_line() {
    let dir = temp("progress");
    let content = large_content(&dir, 160);
    let output = dir.join("out");
    // `script` runs the build on a pseudo-terminal, as a person's shell would. `always`
    // draws the bar from the first file: by default it waits a second, and whether this
    // build takes a second depends on the machine (the wait is unit-tested in progress.rs).
    let command = format!(
        "{} build --progress always --font builtin --content {} --output {}",
        env!("CARGO_BIN_EXE_dealbook"),
        content.display(),
        output.display()
    );
    let o = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("script (util-linux) runs");
    let seen = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{seen}");
    assert!(
        seen.contains("/347 个文件"),
        "a bar counting the files: {seen}"
    );
    assert!(
        seen.contains("评估报告 PDF 164 份"),
        "the summary after the bar: {seen}"
    );
    fs::remove_dir_all(dir).unwrap();
}

/// A build that must be refused: exit 2 with `message` in its error.
fn assert_refused(mut command: Command, message: &str) {
    let o = command.output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains(message), "{}", stderr(&o));
}

#[test]
fn links_cannot_make_the_output_the_content_folder_under_another_name() {
    use std::os::unix::fs::symlink;
    let dir = temp("real-paths");
    let proj = dir.join("proj");
    let content = proj.join("c");
    common::copy_shipped_content(&content);
    let before = tree_hash(&content);
    // The folder holding the content, the content named through a link to that folder.
    symlink(&proj, dir.join("L")).unwrap();
    let mut command = build_command(&dir.join("L/c"), &proj);
    command.arg("--force");
    assert_refused(command, "重叠");
    // An output inside the content folder, or its proposals, named through a link to it.
    symlink(&content, dir.join("M")).unwrap();
    for inside in ["M/out", "M/proposals"] {
        let mut command = build_command(&content, &dir.join(inside));
        command.arg("--force");
        assert_refused(command, "重叠");
    }
    assert_eq!(tree_hash(&content), before, "the content is untouched");
    // Without --force: a site whose folder now holds a copy of the content, reached by a link.
    let site = dir.join("site");
    summary(&build(&content, &site));
    copy_dir(&content, &site.join("c"));
    symlink(&site, dir.join("S")).unwrap();
    assert_refused(build_command(&dir.join("S/c"), &site), "重叠");
    assert!(site.join("c/framework.yaml").is_file());
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_folder_holding_a_git_repository_or_the_home_folder_is_never_the_output() {
    let dir = temp("repository-home");
    let content = common::shipped_content().to_path_buf();
    let output = dir.join("out");
    fs::create_dir_all(output.join("deep/er/.git")).unwrap();
    fs::write(output.join(".dealbook-output"), "").unwrap();
    for force in [false, true] {
        let mut command = build_command(&content, &output);
        if force {
            command.arg("--force");
        }
        assert_refused(command, "中有 git 仓库");
        assert!(output.join("deep/er/.git").is_dir());
    }
    let home = dir.join("h/home");
    fs::create_dir_all(&home).unwrap();
    let mut command = build_command(&content, &dir.join("h"));
    command.arg("--force").env("HOME", &home);
    assert_refused(command, "拒绝把主目录或包含它的文件夹");
    assert!(home.is_dir());
    fs::remove_dir_all(dir).unwrap();
}
