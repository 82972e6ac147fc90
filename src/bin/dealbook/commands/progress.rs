//! A progress bar for builds that take a while: drawn on stderr once a build has run for a
//! second (`--progress auto`), from the start (`always`) or not at all (`never`), and only
//! when stderr is a terminal (never in a pipe, a log or CI).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ProgressWhen;

/// How long a build runs before it shows a bar.
const QUIET_FOR: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    when: ProgressWhen,
    terminal: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A bar, hidden until it has something to say.
    pub fn new(when: ProgressWhen) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let style =
            ProgressStyle::with_template("{bar:32} {pos}/{len} 个文件 · {elapsed} · 剩余约 {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Progress {
            bar,
            started: Instant::now(),
            when,
            terminal: std::io::stderr().is_terminal(),
            shown: AtomicBool::new(false),
        }
    }

    /// Removes the bar before the summary line.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl dealbook::build::Progress for Progress {
    fn waiting(&self, output: &std::path::Path) {
        eprintln!(
            "另一个 dealbook 正在构建 {}，等它结束后再构建……",
            output.display()
        );
    }

    fn start(&self, files: usize) {
        self.bar.set_length(files as u64);
    }

    /// One more file written (from any thread).
    fn wrote(&self) {
        self.bar.inc(1);
        if shows(self.when, self.terminal, self.started.elapsed())
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}

/// Whether a build that has run for `elapsed` draws its bar.
fn shows(when: ProgressWhen, terminal: bool, elapsed: Duration) -> bool {
    terminal
        && match when {
            ProgressWhen::Auto => elapsed >= QUIET_FOR,
            ProgressWhen::Always => true,
            ProgressWhen::Never => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_waits_a_second_always_does_not_never_never_and_none_outside_a_terminal() {
        let short = Duration::from_millis(999);
        let long = QUIET_FOR;
        let cases = [
            (ProgressWhen::Auto, short, false),
            (ProgressWhen::Auto, long, true),
            (ProgressWhen::Always, Duration::ZERO, true),
            (ProgressWhen::Always, long, true),
            (ProgressWhen::Never, Duration::ZERO, false),
            (ProgressWhen::Never, Duration::from_secs(3600), false),
        ];
        for (when, elapsed, on_a_terminal) in cases {
            assert_eq!(
                shows(when, true, elapsed),
                on_a_terminal,
                "{when:?} after {elapsed:?}"
            );
            assert!(!shows(when, false, elapsed), "{when:?} in a pipe");
        }
    }
}
