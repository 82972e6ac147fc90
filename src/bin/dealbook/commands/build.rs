//! `dealbook build`: the library's build with a progress bar, and its summary line.

use dealbook::build::{BuildOptions, Built};

use super::progress::Progress;
use super::{Failure, print, print_warnings};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs) -> Result<(), Failure> {
    let progress = Progress::new(args.progress);
    let built = dealbook::build::build(&options(args), &progress);
    progress.finish();
    let built = built?;
    print_warnings(&built.warnings);
    print(&summary(&built));
    Ok(())
}

/// Builds without a progress bar (for `serve`); returns the warnings and the summary line.
#[cfg(feature = "serve")]
pub fn build(args: &BuildArgs) -> Result<String, Failure> {
    dealbook::build::build(&options(args), &dealbook::build::Quiet).map(|built| {
        let warnings: String = built.warnings.iter().map(|w| format!("{w}\n")).collect();
        warnings + &summary(&built)
    })
}

fn options(args: &BuildArgs) -> BuildOptions {
    BuildOptions {
        content: args.content.content.clone(),
        theme: args.theme.clone(),
        output: args.output.clone(),
        font: args.font.clone(),
        force: args.force,
    }
}

/// The one line a person reads after a build.
fn summary(built: &Built) -> String {
    let cached = match built.cached {
        0 => String::new(),
        n => format!("（{n} 份未变，取自缓存）"),
    };
    format!(
        "已生成 {}：网页 {} 个，速查卡 PDF 1 份，评估报告 PDF {} 份{cached}，用时 {:.2} 秒\n",
        built.output.display(),
        built.pages,
        built.reports,
        built.seconds
    )
}
