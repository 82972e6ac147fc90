//! A progress bar for builds that take a while: drawn on stderr once a build has run for a
//! second, and only when stderr is a terminal (never in a pipe, a log or CI).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before it shows a bar.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    terminal: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar for `total` files, hidden until it has something to say.
    pub fn new(total: usize) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
        let style =
            ProgressStyle::with_template("{bar:32} {pos}/{len} 个文件 · {elapsed} · 剩余约 {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress {
            bar,
            started: Instant::now(),
            terminal: std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// One more file written (from any thread).
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.terminal
            && self.started.elapsed() >= QUIET_FOR
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar before the summary line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
