//! Watching the sources and rebuilding: notify's full debouncer batches the file events, our
//! [`Filter`] drops reads, the output folder and editor temp files, and [`rebuild_loop`] runs
//! one build at a time.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{Event, EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::{mpsc, watch};

use super::{BuildState, Failure, absolute, build, eprintln_safe, failure_text};
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
                .is_some_and(|n| editor_temp(&n.to_string_lossy()))
    }
}

/// Swap files of vim, backups of emacs and others, emacs locks, and vim's write test `4913`.
fn editor_temp(name: &str) -> bool {
    name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
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
                Some(failure_text(&failure))
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
            "/site/.output.dealbook-tmp-12/x.pdf",
        ] {
            assert!(filter.ignored(Path::new(ignored)), "{ignored}");
        }
        assert!(!filter.ignored(Path::new("/site/content/proposals/a.yaml")));
        assert!(!filter.ignored(Path::new("/site/outputs/a.yaml")));
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
