//! The command line (clap derive). Help texts are for the team, in Chinese, and so are the
//! words clap adds (headings, defaults, usage errors: `help.rs`, `usage_error.rs`). The few
//! patterns of clap's English these rewrite are in the library's `dealbook::translate::clap`,
//! beside those of the other dependencies, where tests pin each one's wording.

mod help;
mod usage_error;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

/// A command line that does not run a command.
#[derive(Debug)]
pub enum Exit {
    /// The help or the version, asked for: on stdout, exit 0.
    Asked(String),
    /// A command line that cannot be read, or the help for a missing command: on stderr,
    /// exit 2.
    Usage(String),
}

/// Reads a command line (the program's name first), in Chinese throughout.
pub fn parse<I, T>(args: I) -> Result<Cli, Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut command = help::localised(Cli::command());
    let read = command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    read.map_err(|error| {
        let rendered = || help::in_chinese(&error.render().to_string());
        match error.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Exit::Asked(rendered()),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Exit::Usage(rendered()),
            _ => Exit::Usage(usage_error::describe(&error, &command, &args)),
        }
    })
}

#[derive(Debug, Parser)]
#[command(
    name = "dealbook",
    version,
    about = "合作评估框架工具：校验框架与提案，按框架规则判定每次会谈的提案",
    after_help = "退出码：0 成功；1 输入无效（文件、行、列见错误信息）；2 命令用法错误"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct ContentArg {
    #[arg(
        long,
        value_name = "DIR",
        default_value = DEFAULT_CONTENT,
        help = "内容文件夹（framework.yaml、pages/、proposals/）；check 和 eval 在当前位置找不到它时，向上查找含 framework.yaml 的文件夹"
    )]
    pub content: PathBuf,
}

/// The content folder when `--content` is not given.
pub const DEFAULT_CONTENT: &str = "content";

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(
        about = "生成全部输出：网站（框架各页、会谈记录、每个提案的评估报告网页）、速查卡 PDF 和每份评估报告 PDF，写入输出文件夹"
    )]
    Build(BuildArgs),
    #[command(
        about = "校验框架、页面和每个提案，一次报告全部问题（文件:行:列）；有问题时退出码为 1"
    )]
    Check(ContentArg),
    #[command(about = "按框架规则判定一个提案：推进（go）、不推进（no_go）或待定（pending）")]
    Eval(EvalArgs),
    #[cfg(feature = "serve")]
    #[command(about = "构建并在 127.0.0.1 上预览网站，源文件改动后自动重新构建并刷新浏览器")]
    Serve(ServeArgs),
    #[command(about = "生成新文件")]
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[arg(value_name = "FILE", help = "提案文件（YAML）")]
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text, help = "输出格式：text（给人看的中文）或 json（给脚本）")]
    pub format: Format,
    #[command(flatten)]
    pub content: ContentArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    #[command(about = "生成一个待填写的提案文件：每个字段都在，值为 null，上方有中文说明")]
    Proposal(NewProposalArgs),
}

#[derive(Debug, Args)]
pub struct NewProposalArgs {
    #[arg(long, value_name = "NAME", help = "对方名称，例如：阿里云")]
    pub vendor: String,
    #[arg(
        long,
        value_name = "YYYY-MM-DD",
        help = "会议日期，默认今天（设置了 SOURCE_DATE_EPOCH 时取它）"
    )]
    pub date: Option<String>,
    #[arg(
        long = "direction",
        value_name = "ID",
        help = "对方提出的合作方向，可重复；不写则 directions 留空待填"
    )]
    pub directions: Vec<String>,
    #[arg(
        long,
        value_name = "FILE",
        help = "写到这个文件，默认 <content>/proposals/<日期>-<对方名称>.yaml"
    )]
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub content: ContentArg,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub content: ContentArg,
    #[arg(
        long,
        value_name = "DIR",
        default_value = "output",
        help = "输出文件夹；每次构建整体替换"
    )]
    pub output: PathBuf,
    #[arg(
        long,
        value_name = "PATH[:INDEX]",
        default_value = "auto",
        help = "PDF 字体：auto（优先系统中文字体，否则用内置字体）、builtin（内置字体）或字体文件路径[:序号]"
    )]
    pub font: String,
    #[arg(long, help = "输出文件夹不是 dealbook 生成的也照样替换")]
    pub force: bool,
    #[arg(
        long,
        value_name = "DIR",
        default_value = "themes/default",
        help = "主题文件夹：其中的模板和静态文件逐个覆盖内置主题"
    )]
    pub theme: PathBuf,
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ProgressWhen::Auto,
        help = "进度条（只画在终端上）：auto（构建超过一秒才显示）、always（从头显示）或 never（不显示）"
    )]
    pub progress: ProgressWhen,
}

/// When a build draws its progress bar; never outside a terminal. (Plain comments on the
/// variants: clap would print doc comments in `--help`, and the help is in Chinese.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProgressWhen {
    // Once the build has run for a second.
    Auto,
    // From the first file written.
    Always,
    Never,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    #[arg(
        long,
        value_name = "PORT",
        default_value_t = 3000,
        value_parser = port,
        allow_negative_numbers = true,
        help = "监听端口（只监听 127.0.0.1）"
    )]
    pub port: u16,
}

#[cfg(feature = "serve")]
fn port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| "端口应为 0 到 65535 之间的整数（0 表示由系统挑一个空闲端口）".to_string())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    const EVAL: [&str; 5] = ["dealbook", "eval", "a.yaml", "--format", "json"];

    #[test]
    fn reads_a_command() {
        let cli = parse(EVAL).expect("a valid command line");
        let Command::Eval(args) = cli.command else {
            panic!("eval expected: {cli:?}")
        };
        assert_eq!(args.file, PathBuf::from("a.yaml"));
        assert_eq!(args.format, Format::Json);
        assert_eq!(args.content.content, PathBuf::from("content"));
    }

    /// What reading a command line costs every command: clap's command put in Chinese, then
    /// the words read; and clap alone, for what the Chinese costs. (A criterion bench until
    /// the command line moved into the binary, which benches cannot reach.) Run with
    /// `cargo test --release --bin dealbook -- --ignored --nocapture costs`.
    #[test]
    #[ignore = "a timing, not a check"]
    fn reading_a_command_line_costs() {
        const RUNS: u32 = 2_000;
        let time = |read: &dyn Fn() -> bool| {
            let start = Instant::now();
            for _ in 0..RUNS {
                assert!(std::hint::black_box(read()));
            }
            start.elapsed() / RUNS
        };
        let chinese = time(&|| parse(EVAL).is_ok());
        let english = time(&|| Cli::try_parse_from(EVAL).is_ok());
        println!("read a command line: {chinese:?}; with clap's English: {english:?}");
    }
}
