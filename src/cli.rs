//! Command-line definitions (clap) and dispatch.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use cutover::check;
use cutover::load::Limits;
use cutover::output;
use cutover::render::diagnostics as render_diagnostics;
use cutover::schema::{SchemaKind, schema};
use cutover::source::Sources;

/// Exit codes (documented in the README).
pub mod exit {
    /// Success: the runbook is valid, or the command did what was asked.
    pub const OK: u8 = 0;
    /// The runbook or status file has errors.
    pub const INVALID: u8 = 1;
    /// Bad arguments, or a file could not be read or written.
    pub const USAGE: u8 = 2;
}

const STARTER: &str = include_str!("../templates/starter.yaml");

#[derive(Parser)]
#[command(
    name = "cutover",
    version,
    about = "Go-live cutover runbooks for hospital EPR programmes",
    long_about = "Go-live cutover runbooks for hospital EPR programmes.\n\n\
        Keeps the runbook as YAML in git and answers from the command line and in CI: \
        is the runbook valid, what is the critical path, which readiness gates pass, \
        GO or NO-GO, and what if we slip or defer.",
    after_help = "Exit codes: 0 success, 1 runbook has errors, 2 usage or I/O error.\n\
        The runbook format: docs/runbook-format.md. Start with `cutover init`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    #[command(flatten)]
    global: Global,
}

#[derive(Args)]
struct Global {
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Largest input file accepted, in bytes.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes, env = "CUTOVER_MAX_FILE_SIZE")]
    max_file_size: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check runbooks: every problem with its file:line:col, code and a hint.
    #[command(
        after_help = "PATH may be a runbook file, a directory (searched for *.yaml and *.yml; \
        *.status.yaml files and files another runbook includes are skipped) or a quoted glob \
        such as 'runbooks/**/*.yaml'.\n\n\
        Exit codes: 0 all valid, 1 a runbook has errors (or warnings with --strict), \
        2 a path cannot be read."
    )]
    Validate(ValidateArgs),
    /// Write a starter runbook to begin from.
    Init(InitArgs),
    /// Print the JSON Schema of the runbook format, for editors and other tools.
    #[command(
        after_help = "Save it next to your runbooks and add this first line to each runbook \
        for checking and completion in editors that use yaml-language-server (such as VS Code):\n\n    \
        # yaml-language-server: $schema=./runbook.schema.json"
    )]
    Schema(SchemaArgs),
}

#[derive(Args)]
struct ValidateArgs {
    /// Runbook files, directories or globs.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiagnosticFormat::Human)]
    format: DiagnosticFormat,

    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,

    /// Print only the problems that fail the check: no warnings, no summary.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiagnosticFormat {
    /// Source snippets for people (on standard error).
    Human,
    /// The JSON shape in docs/json.md (on standard output).
    Json,
    /// GitHub Actions annotations (on standard output).
    Github,
    /// JUnit XML, one test case per runbook (on standard output).
    Junit,
}

#[derive(Args)]
struct InitArgs {
    /// Where to write the runbook.
    #[arg(default_value = "runbook.yaml")]
    path: PathBuf,

    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct SchemaArgs {
    /// Describe the status file instead of the runbook.
    #[arg(long, conflicts_with = "include")]
    status: bool,

    /// Describe a file named in a runbook's `include:`.
    #[arg(long)]
    include: bool,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}

struct Context {
    color: bool,
    limits: Limits,
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let cx = Context {
        color,
        limits: Limits {
            max_file_bytes: cli.global.max_file_size,
            ..Limits::default()
        },
    };
    match cli.command {
        Command::Validate(args) => validate(&cx, args),
        Command::Init(args) => init(args),
        Command::Schema(args) => {
            let kind = if args.status {
                SchemaKind::Status
            } else if args.include {
                SchemaKind::Include
            } else {
                SchemaKind::Runbook
            };
            print_stdout(&schema(kind))?;
            Ok(exit::OK)
        }
    }
}

fn validate(cx: &Context, args: ValidateArgs) -> anyhow::Result<u8> {
    let discovered = check::discover(&args.paths)?;
    let mut sources = Sources::default();
    let mut checks = check::check_all(&discovered, &cx.limits, &mut sources)?;
    if args.strict {
        check::make_strict(&mut checks);
    }
    let failed = checks.iter().any(|c| c.errors() > 0);
    if args.quiet {
        for c in &mut checks {
            c.diagnostics.retain(|d| d.is_error());
        }
    }
    match args.format {
        DiagnosticFormat::Human => {
            if !args.quiet || failed {
                let summary = !args.quiet;
                eprint!(
                    "{}",
                    render_diagnostics::human(&sources, &checks, cx.color, summary)
                );
            }
        }
        DiagnosticFormat::Json => print_stdout(&render_diagnostics::json(&sources, &checks))?,
        DiagnosticFormat::Github => print_stdout(&render_diagnostics::github(&sources, &checks))?,
        DiagnosticFormat::Junit => print_stdout(&render_diagnostics::junit(&sources, &checks))?,
    }
    Ok(if failed { exit::INVALID } else { exit::OK })
}

fn init(args: InitArgs) -> anyhow::Result<u8> {
    let result = if args.force {
        output::write_atomic(&args.path, STARTER.as_bytes())
    } else {
        output::create_atomic(&args.path, STARTER.as_bytes())
    };
    result?;
    eprintln!(
        "wrote {}\nnext: cutover validate {0} && cutover plan {0}",
        display(&args.path)
    );
    Ok(exit::OK)
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Writes to standard output, treating a closed pipe as success.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
