//! `dealbook check`: every problem in every file, in one run.

use dealbook::content::{ContentDir, load_content};

use super::{Failure, content_near, print, print_warnings};
use crate::cli::ContentArg;

pub fn run(args: &ContentArg) -> Result<(), Failure> {
    let dir = ContentDir::new(content_near(&args.content, None));
    let content = load_content(&dir).map_err(Failure::Invalid)?;
    for (_, proposal) in &content.proposals {
        print_warnings(&proposal.warnings);
    }
    print(&format!(
        "检查通过：框架 1 个，页面 {} 个，提案 {} 个\n",
        content.pages.len(),
        content.proposals.len()
    ));
    Ok(())
}
