//! Watching the sources and rebuilding: notify's full debouncer batches the file events, our
//! [`Filter`] drops reads, the output folder and editor temp files, and [`rebuild_loop`] runs
//! one build at a time.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{Event, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::{mpsc, watch};

use super::{BuildState, Failure, absolute, build, eprintln_safe};
use super::{print, server_failure, shown_path};
use crate::cli::BuildArgs;

/// How long a file must stay quiet before its change is passed on. The events of one save
/// (write, rename, close) come within milliseconds, so they mostly arrive in one batch.
const QUIET: Duration = Duration::from_millis(150);

pub(super) type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

/// Watches the content and theme folders and spawns the rebuild loop. Dropping the returned
/// watcher ends the loop. Also returns the folders watched.
pub(super) fn start(
    args: Arc<BuildArgs>,
    output: &Path,
    state: watch::Sender<BuildState>,
) -> Result<(Watcher, Vec<PathBuf>), Failure> {
    let (batches_tx, batches_rx) = mpsc::unbounded_channel();
    let mut watcher = new_debouncer(QUIET, None, move |batch: DebounceEventResult| {
        let _ = batches_tx.send(batch);
    })
    .map_err(|e| server_failure(output, format!("无法监视源文件的改动：{e}")))?;
    let folders = watched_folders(&args);
    for folder in &folders {
        watcher
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| server_failure(folder, format!("无法监视这个文件夹的改动：{e}")))?;
    }
    tokio::spawn(rebuild_loop(batches_rx, args, state, Filter::new(output)));
    Ok((watcher, folders))
}

/// The content folder, and the theme folders that exist.
fn watched_folders(args: &BuildArgs) -> Vec<PathBuf> {
    let mut folders = vec![absolute(&args.content.content)];
    for theme in [PathBuf::from("themes"), args.theme.clone()] {
        let theme = absolute(&theme);
        if theme.is_dir() && !folders.iter().any(|f| theme.starts_with(f)) {
            folders.retain(|f| !f.starts_with(&theme));
            folders.push(theme);
        }
    }
    folders
}

/// Decides which file events are worth a rebuild.
struct Filter {
    /// The output folder as written and as resolved (they differ behind a symlink).
    output: Vec<PathBuf>,
}

impl Filter {
    fn new(output: &Path) -> Filter {
        let mut paths = vec![output.to_path_buf()];
        if let Ok(real) = output.canonicalize()
            && real != output
        {
            paths.push(real);
        }
        Filter { output: paths }
    }

    fn relevant(&self, event: &Event) -> bool {
        // Reads (the build opens every source) are not changes.
        if matches!(event.kind, EventKind::Access(_)) {
            return false;
        }
        // An event without paths (a rescan) may hide any change.
        event.paths.is_empty() || event.paths.iter().any(|p| !self.ignored(p))
    }

    fn ignored(&self, path: &Path) -> bool {
        if self.output.iter().any(|o| path.starts_with(o)) {
            return true;
        }
        // The build's staging and old folders sit beside the output folder.
        let staging = path.components().any(|c| {
            let part = c.as_os_str().to_string_lossy();
            part.contains(".dealbook-tmp-") || part.contains(".dealbook-old-")
        });
        staging
            || path
                .file_name()
                .is_some_and(|n| is_editor_temporary(&n.to_string_lossy()))
    }
}

/// Whether `name` is a file that editors and tools write beside the one being saved, never
/// content: such a change alone neither rebuilds nor shows in the log.
///
/// - `sedXXXXXX`: `sed -i` writes the new text to `sed` + 6 random letters or digits (mkstemp),
///   without extension, then renames it over the file; `sedan-2026.yaml` is content.
/// - `.NAME.swp`, `.swo`, `.swx`: vim's swap files (the second and third when one exists).
/// - `NAME~`: the backups of emacs, and of vim with `backup` on.
/// - `4913`: the file vim creates and deletes to test that the folder is writable.
/// - `.#NAME`: emacs's lock files (symlinks) while a buffer is modified.
/// - `#NAME#`: emacs's auto-save files.
/// - `NAME.tmp` (also `.NAME.tmp`), `NAME.part`: the temp files of other editors and of
///   downloads, renamed to the real name once complete.
fn is_editor_temporary(name: &str) -> bool {
    let sed = name.strip_prefix("sed").is_some_and(|random| {
        random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    let vim_swap =
        name.starts_with('.') && [".swp", ".swo", ".swx"].iter().any(|s| name.ends_with(s));
    let emacs_autosave = name.len() > 1 && name.starts_with('#') && name.ends_with('#');
    sed || vim_swap
        || emacs_autosave
        || name.ends_with('~')
        || name == "4913"
        || name.starts_with(".#")
        || name.ends_with(".tmp")
        || name.ends_with(".part")
}

/// The relevant changes of the batches taken so far.
#[derive(Default)]
struct Changes {
    /// The changed paths, each once, in the order met.
    paths: Vec<PathBuf>,
    /// When the earliest relevant event happened; `None`: nothing relevant yet.
    first: Option<Instant>,
}

impl Changes {
    fn take(&mut self, batch: DebounceEventResult, filter: &Filter, warned: &mut bool) {
        let events = match batch {
            Ok(events) => events,
            Err(errors) => {
                if !std::mem::replace(warned, true)
                    && let Some(error) = errors.first()
                {
                    eprintln_safe(&format!(
                        "警告：监视文件改动时出错（{error}）；改动可能不会自动重新构建"
                    ));
                }
                return;
            }
        };
        for event in events.into_iter().filter(|e| filter.relevant(e)) {
            self.first = Some(self.first.map_or(event.time, |t| t.min(event.time)));
            for path in event.event.paths {
                if !filter.ignored(&path) && !self.paths.contains(&path) {
                    self.paths.push(path);
                }
            }
        }
    }

    /// "content/proposals/a.yaml" or "content/proposals/a.yaml 等 3 个文件".
    fn describe(&self) -> String {
        match self.paths.as_slice() {
            [] => "源文件夹".to_string(),
            [one] => shown_path(one),
            [first, rest @ ..] => format!("{} 等 {} 个文件", shown_path(first), rest.len() + 1),
        }
    }
}

/// Waits for a batch with relevant changes, takes every batch that is already queued (changes
/// made during the last build) into the same build, rebuilds; forever, one build at a time.
async fn rebuild_loop(
    mut batches: mpsc::UnboundedReceiver<DebounceEventResult>,
    args: Arc<BuildArgs>,
    state: watch::Sender<BuildState>,
    filter: Filter,
) {
    let mut warned = false;
    loop {
        let mut changes = Changes::default();
        while changes.first.is_none() {
            let Some(batch) = batches.recv().await else {
                return;
            };
            changes.take(batch, &filter, &mut warned);
            while let Ok(batch) = batches.try_recv() {
                changes.take(batch, &filter, &mut warned);
            }
        }

        print(&format!("改动：{}，重新构建…\n", changes.describe()));
        state.send_modify(|s| s.building = true);
        let build_args = Arc::clone(&args);
        let result = tokio::task::spawn_blocking(move || build(&build_args)).await;
        let outcome = match result {
            Ok(Ok(summary)) => {
                print(&summary);
                let elapsed = changes.first.map(|t| t.elapsed()).unwrap_or_default();
                print(&format!(
                    "（从改动到完成 {:.2} 秒；已通知打开的页面刷新）\n",
                    elapsed.as_secs_f64()
                ));
                None
            }
            Ok(Err(failure)) => {
                failure.report();
                print("构建失败：继续提供上次成功的版本，错误已显示在打开的页面上\n");
                Some(failure.text())
            }
            Err(_) => {
                let message = "构建意外中止（程序内部错误）；继续提供上次成功的版本".to_string();
                eprintln_safe(&message);
                Some(message)
            }
        };
        state.send_modify(|s| {
            s.building = false;
            s.generation += 1;
            match outcome {
                None => {
                    s.good = s.generation;
                    s.error = None;
                }
                Some(text) => s.error = Some(text),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_output_are_ignored() {
        let filter = Filter::new(Path::new("/site/output"));
        for ignored in [
            "/site/output/index.html",
            "/site/content/.a.yaml.swp",
            "/site/content/a.yaml~",
            "/site/content/.#a.yaml",
            "/site/content/4913",
            "/site/content/proposals/sedAb12Cd",
            "/site/.output.dealbook-tmp-12/x.pdf",
        ] {
            assert!(filter.ignored(Path::new(ignored)), "{ignored}");
        }
        assert!(!filter.ignored(Path::new("/site/content/proposals/a.yaml")));
        assert!(!filter.ignored(Path::new("/site/outputs/a.yaml")));
    }

    #[test]
    fn editor_temporary_files_are_recognised() {
        for name in [
            "sedAb12Cd",
            "sed0aZ9xQ",
            ".a.yaml.swp",
            ".a.yaml.swo",
            ".a.yaml.swx",
            "a.yaml~",
            "4913",
            ".#a.yaml",
            "#a.yaml#",
            "a.yaml.tmp",
            ".a.yaml.tmp",
            "a.yaml.part",
        ] {
            assert!(is_editor_temporary(name), "{name}");
        }
        for name in [
            "sedan-2026.yaml",
            "2026-04-01-阿里云.yaml",
            "sed",
            "sedAb12C",
            "sedAb12Cd3",
            "sedAb12Cd.yaml",
            "sedAb-2Cd",
            "notes.md",
            "4913.yaml",
            "a~b.md",
            "a.swp.yaml",
            "#",
            "#a.yaml",
            "a.yaml",
        ] {
            assert!(!is_editor_temporary(name), "{name}");
        }
    }

    /// One batch of events on `paths`, as the debouncer hands it over.
    fn batch(paths: &[&[&str]]) -> DebounceEventResult {
        use notify_debouncer_full::DebouncedEvent;
        use notify_debouncer_full::notify::event::{CreateKind, ModifyKind, RenameMode};
        let events = paths.iter().map(|paths| {
            let kind = match paths.len() {
                1 => EventKind::Create(CreateKind::File),
                _ => EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            };
            let event = paths
                .iter()
                .fold(Event::new(kind), |e, p| e.add_path(p.into()));
            DebouncedEvent::new(event, Instant::now())
        });
        Ok(events.collect())
    }

    #[test]
    fn temporary_files_alone_do_not_rebuild_and_are_not_logged() {
        let filter = Filter::new(Path::new("/site/output"));
        let mut warned = false;
        let mut changes = Changes::default();
        changes.take(
            batch(&[
                &["/site/content/proposals/sedAb12Cd"],
                &["/site/content/proposals/.a.yaml.swp"],
                &["/site/content/proposals/#a.yaml#"],
            ]),
            &filter,
            &mut warned,
        );
        assert!(changes.first.is_none());
        assert!(changes.paths.is_empty());

        // `sed -i`: the temp file, then its rename over the real one; and a real new file.
        changes.take(
            batch(&[
                &["/site/content/proposals/sedAb12Cd"],
                &[
                    "/site/content/proposals/sedAb12Cd",
                    "/site/content/proposals/a.yaml",
                ],
                &["/site/content/proposals/sedan-2026.yaml"],
            ]),
            &filter,
            &mut warned,
        );
        assert!(changes.first.is_some());
        assert_eq!(
            changes.paths,
            [
                PathBuf::from("/site/content/proposals/a.yaml"),
                PathBuf::from("/site/content/proposals/sedan-2026.yaml"),
            ]
        );
        assert_eq!(
            changes.describe(),
            "/site/content/proposals/a.yaml 等 2 个文件"
        );
    }

    #[test]
    fn reads_are_not_changes() {
        use notify_debouncer_full::notify::event::{AccessKind, ModifyKind};
        let filter = Filter::new(Path::new("/site/output"));
        let at = |kind| Event::new(kind).add_path("/site/content/a.yaml".into());
        assert!(!filter.relevant(&at(EventKind::Access(AccessKind::Any))));
        assert!(filter.relevant(&at(EventKind::Modify(ModifyKind::Any))));
        // A rescan names no paths and may hide any change.
        assert!(filter.relevant(&Event::new(EventKind::Other)));
    }
}
