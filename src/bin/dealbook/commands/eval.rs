//! `dealbook eval FILE`: the judgement of one proposal, as text or JSON.

use dealbook::content::{ContentDir, load_proposal_of};
use dealbook::judge::judge;
use dealbook::render::{eval_json, eval_text};

use super::{Failure, content_near, print, print_warnings};
use crate::cli::{EvalArgs, Format};

pub fn run(args: &EvalArgs) -> Result<(), Failure> {
    let dir = ContentDir::new(content_near(&args.content.content, Some(&args.file)));
    let (framework, proposal) = load_proposal_of(&dir, &args.file).map_err(Failure::Invalid)?;
    print_warnings(&proposal.warnings);
    let framework = framework.for_vendor(&proposal.vendor.value);
    let judgement = judge(&framework, &proposal);
    print(&match args.format {
        Format::Text => eval_text::render(&judgement),
        Format::Json => eval_json::render(&judgement, &proposal.warnings),
    });
    Ok(())
}
