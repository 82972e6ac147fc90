//! `dealbook new proposal`: reads the flags, says in their words what is wrong with them,
//! and has the library write the file (`dealbook::content::new_proposal`).

use dealbook::content::ContentDir;
use dealbook::content::new_proposal::{NewProposal, NotWritten, write_new_proposal};
use dealbook::diag::{Diagnostic, Titled, id_suggestion};
use dealbook::model::date::Date;

use super::{Failure, print};
use crate::cli::NewProposalArgs;

pub fn run(args: &NewProposalArgs) -> Result<(), Failure> {
    let vendor = args.vendor.trim();
    if vendor.is_empty() {
        return Err(Failure::Usage("--vendor 不能为空".into()));
    }
    let date = match &args.date {
        Some(text) => text.parse::<Date>().map_err(|()| {
            Failure::Usage(format!(
                "--date 应为 YYYY-MM-DD 格式的有效日期，实际是「{text}」"
            ))
        })?,
        None => Date::today().map_err(Failure::Usage)?,
    };
    let new = NewProposal {
        vendor,
        date,
        directions: &args.directions,
        path: args.path.clone(),
    };
    let path =
        write_new_proposal(&ContentDir::new(&args.content.content), &new).map_err(|refused| {
            match refused {
                NotWritten::UnknownDirection { given, known } => {
                    let known: Vec<Titled> = known
                        .iter()
                        .map(|(id, title)| (id.as_str(), title.as_str()))
                        .collect();
                    Failure::Usage(format!(
                        "--direction「{given}」不是框架中的合作方向；{}",
                        id_suggestion(&given, &known)
                    ))
                }
                NotWritten::Exists(path) => Failure::Invalid(vec![Diagnostic::new(
                    &path,
                    None,
                    "文件已存在，不会覆盖；请换一个 --path 或先移走它",
                )]),
                NotWritten::Invalid(problems) => Failure::Invalid(problems),
            }
        })?;
    print(&format!(
        "已生成 {}\n填写后运行：dealbook eval {}\n",
        path.display(),
        path.display()
    ));
    Ok(())
}
