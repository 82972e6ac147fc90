//! `dealbook eval FILE`: the judgement of one proposal.

use crate::cli::{EvalArgs, Format};
use crate::content::{ContentDir, load_framework_of};
use crate::judge::judge;
use crate::model::proposal_load::load_proposal;
use crate::render::{eval_json, eval_text};

use super::{Failure, print};

pub fn run(args: &EvalArgs) -> Result<(), Failure> {
    let framework =
        load_framework_of(&ContentDir::new(&args.content.content)).map_err(Failure::Invalid)?;
    let proposal = load_proposal(&args.file, &framework).map_err(Failure::Invalid)?;
    let judgement = judge(&framework, &proposal);
    print(&match args.format {
        Format::Text => eval_text::render(&judgement),
        Format::Json => eval_json::render(&judgement),
    });
    Ok(())
}
