//! Command-line definitions (clap) and dispatch. The one module that reads the
//! arguments, the environment, the terminal and the clock, and the one that prints.
#![allow(
    clippy::print_stderr,
    reason = "the command line reports progress and problems on standard error"
)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::{self, FileCheck};
use crate::decision::Decision;
use crate::diagnostic::Diagnostic;
use crate::load::Limits;
use crate::montecarlo::Settings;
use crate::output;
use crate::pipeline::{self, Prepared, Ready, Request};
use crate::plan::{Filter, driving_path, plan};
use crate::render::diagnostics::Validation;
use crate::render::graph::Graph;
use crate::render::report::Gates;
use crate::render::simulate::Simulation;
use crate::render::{Format, Render};
use crate::scenario::{self, AdHoc};
use crate::schedule::ScheduleError;
use crate::schema::{SchemaKind, schema};
use crate::simulate;
use crate::source::Sources;
use crate::status::{DataDateSource, Status};
use crate::time::Moment;

/// Exit codes (documented in the README).
mod exit {
    /// Success: the runbook is valid, or the command did what was asked.
    pub(super) const OK: u8 = 0;
    /// The runbook or status file has errors.
    pub(super) const INVALID: u8 = 1;
    /// Bad arguments, or a file could not be read or written.
    pub(super) const USAGE: u8 = 2;
    /// With `--exit-code`: the decision is GO WITH CONDITIONS.
    pub(super) const GO_WITH_CONDITIONS: u8 = 3;
    /// With `--exit-code`: the decision is NO-GO.
    pub(super) const NO_GO: u8 = 4;
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
    after_help = "Exit codes: 0 success, 1 runbook has errors, 2 usage or I/O error \
        (3 GO WITH CONDITIONS and 4 NO-GO from `gates`/`report --exit-code`).\n\
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
    /// When to colour output: auto (on a terminal, unless `NO_COLOR` is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Largest runbook or included file accepted, in bytes.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes, env = "CUTOVER_MAX_FILE_SIZE")]
    max_file_size: u64,

    /// Tables for the terminal: keep every column and full rows, however wide.
    #[arg(long, global = true, conflicts_with = "width")]
    wide: bool,

    /// Tables for the terminal: fit this many columns (default: the terminal's width,
    /// or `COLUMNS`, when standard output is a terminal; full rows to a pipe or a file).
    #[arg(long, global = true, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..))]
    width: Option<u16>,

    /// Largest status file accepted, in bytes (default 4 MiB: status files are small).
    #[arg(long, global = true, value_name = "BYTES", default_value_t = Limits::default().max_status_bytes, env = "CUTOVER_MAX_STATUS_SIZE")]
    max_status_size: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check runbooks: every problem with its <file:line:col>, code and a hint.
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
    /// The schedule: every task's dates in local time and T-minus, float, critical marker.
    #[command(
        after_help = "Float is in the task's working days and hours. With --status or --as-of, \
        finished tasks keep their actual dates and the rest is planned from the data date."
    )]
    Plan(PlanArgs),
    /// The driving chain(s) to go-live, their length, and slack to go-live and window close.
    CriticalPath(ScheduleArgs),
    /// Readiness gates as of the data date: each criterion's value, threshold and result.
    #[command(
        after_help = "Results: pass, fail, at risk (not yet due, but the trend or plan misses it), \
        not yet due, no data. The data date is the status file's `as_of`, or --as-of, or now.\n\n\
        Exit codes: 0 evaluated, 1 runbook or status has errors, 2 usage or I/O error; \
        with --exit-code also 3 GO WITH CONDITIONS, 4 NO-GO."
    )]
    Gates(ReportArgs),
    /// The go/no-go paper: decision, reasons, plan, gates (table, Markdown, JSON, HTML).
    #[command(after_help = "The decision rules are in docs/decision.md.\n\n\
        Exit codes: 0 report made, 1 runbook or status has errors, 2 usage or I/O error; \
        with --exit-code: 0 GO, 3 GO WITH CONDITIONS, 4 NO-GO.\n\n\
        Example: cutover report runbook.yaml --status runbook.status.yaml --format html --out go-no-go.html")]
    Report(ReportArgs),
    /// What if: scenarios side by side with the baseline, cost of delay, Monte Carlo.
    #[command(
        after_help = "Without scenario flags, compares every scenario the runbook names (or those \
        given with --scenario). Flags such as --defer 4w or --slip dm-load=3d make one more, \
        ad hoc. --iterations N adds a Monte Carlo run per scenario; the same --seed gives the \
        same result on any number of threads.\n\n\
        Examples:\n  cutover simulate runbook.yaml --status runbook.status.yaml\n  \
        cutover simulate runbook.yaml --defer 4w --iterations 10000 --seed 7"
    )]
    Simulate(SimulateArgs),
    /// The task graph for Graphviz or Mermaid, with the critical path highlighted.
    #[command(after_help = "Example: cutover graph runbook.yaml | dot -Tsvg > runbook.svg")]
    Graph(GraphArgs),
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
    /// `JUnit` XML, one test case per runbook (on standard output).
    Junit,
}

impl DiagnosticFormat {
    fn format(self, color: bool, summary: bool) -> Format {
        match self {
            DiagnosticFormat::Human => Format::Human { color, summary },
            DiagnosticFormat::Json => Format::Json,
            DiagnosticFormat::Github => Format::Github,
            DiagnosticFormat::Junit => Format::Junit,
        }
    }
}

/// The runbook and what it is judged from: the arguments every planning command takes.
#[derive(Args, Clone)]
struct Input {
    /// The runbook.
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// Status file with the data date, actuals, metrics and sign-offs.
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,

    /// Data date (local time in the runbook's zone, e.g. `2027-02-19T17:00`, or `2027-02-19T12:00[America/New_York]`); overrides the status file's.
    #[arg(long, value_name = "INSTANT")]
    as_of: Option<String>,
}

#[derive(Args)]
struct ScheduleArgs {
    #[command(flatten)]
    input: Input,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = TableFormat::Table)]
    format: TableFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    ///
    /// Written atomically (a temporary file renamed over it). Refused: a file the command
    /// read (runbook, include, status file), a read-only file, a directory. A device or
    /// FIFO (such as /dev/null) is written in place. Stale .cutover-*.tmp files an
    /// interrupted write left in the directory are removed. See docs/decision.md.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct PlanArgs {
    #[command(flatten)]
    common: ScheduleArgs,

    /// Only tasks of these workstreams (repeatable).
    #[arg(long, value_name = "ID")]
    workstream: Vec<String>,

    /// Only tasks whose owner contains this text (repeatable).
    #[arg(long, value_name = "NAME")]
    owner: Vec<String>,

    /// Only critical tasks.
    #[arg(long)]
    critical: bool,
}

#[derive(Args)]
struct ReportArgs {
    #[command(flatten)]
    input: Input,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    ///
    /// Written atomically (a temporary file renamed over it). Refused: a file the command
    /// read (runbook, include, status file), a read-only file, a directory. A device or
    /// FIFO (such as /dev/null) is written in place. Stale .cutover-*.tmp files an
    /// interrupted write left in the directory are removed. See docs/decision.md.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,

    /// Exit with the decision: 0 GO, 3 GO WITH CONDITIONS, 4 NO-GO (for CI gating).
    #[arg(long)]
    exit_code: bool,

    /// The paper (HTML, Markdown): a Monte Carlo run of this many iterations for the
    /// confidence in readiness by go-live (0: none; at most 10,000,000).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    iterations: u32,

    /// The paper: the Monte Carlo seed.
    #[arg(long, value_name = "SEED", default_value_t = 1)]
    seed: u64,

    /// The paper (HTML): add every task's bar to the appendix.
    #[arg(long)]
    detail: bool,
}

#[derive(Args)]
struct SimulateArgs {
    #[command(flatten)]
    input: Input,

    /// Only these named scenarios (repeatable); default: all of them.
    #[arg(long, value_name = "ID")]
    scenario: Vec<String>,

    /// Ad hoc: move go-live and the window later by this much (e.g. 4w).
    #[arg(long, value_name = "DURATION", help_heading = "Ad hoc scenario")]
    defer: Option<String>,

    /// Ad hoc: a new go-live (the window moves with it).
    #[arg(long, value_name = "INSTANT", help_heading = "Ad hoc scenario")]
    go_live: Option<String>,

    /// Ad hoc: add time to a task, e.g. dm-load=3d (repeatable).
    #[arg(long, value_name = "TASK=DURATION", help_heading = "Ad hoc scenario")]
    slip: Vec<String>,

    /// Ad hoc: set a task's duration, e.g. clinic-build=3w; not negative (repeatable).
    #[arg(long, value_name = "TASK=DURATION", help_heading = "Ad hoc scenario")]
    duration: Vec<String>,

    /// Ad hoc: a reading, at the data date, of a metric a gate uses, e.g. `training.completion_pct=92` (repeatable).
    #[arg(long, value_name = "METRIC=VALUE", help_heading = "Ad hoc scenario")]
    metric: Vec<String>,

    /// Ad hoc: treat a task as finished at the data date; a milestone needs its predecessors finished too (repeatable).
    #[arg(long, value_name = "TASK", help_heading = "Ad hoc scenario")]
    done: Vec<String>,

    /// Monte Carlo iterations per scenario (0: none; at most 10,000,000).
    #[arg(long, short = 'n', value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    iterations: u32,

    /// Monte Carlo seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SimulateFormat::Table)]
    format: SimulateFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    ///
    /// Written atomically (a temporary file renamed over it). Refused: a file the command
    /// read (runbook, include, status file), a read-only file, a directory. A device or
    /// FIFO (such as /dev/null) is written in place. Stale .cutover-*.tmp files an
    /// interrupted write left in the directory are removed. See docs/decision.md.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SimulateFormat {
    Table,
    /// With an SVG histogram per scenario.
    Markdown,
    Json,
}

impl SimulateFormat {
    fn format(self, color: bool, width: Option<u16>) -> Format {
        match self {
            SimulateFormat::Table => Format::Table { color, width },
            SimulateFormat::Markdown => Format::Markdown,
            SimulateFormat::Json => Format::Json,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Table,
    Markdown,
    Json,
    /// One self-contained page (inline CSS and SVG), printable on A4.
    Html,
}

impl ReportFormat {
    fn format(self, color: bool, width: Option<u16>) -> Format {
        match self {
            ReportFormat::Table => Format::Table { color, width },
            ReportFormat::Markdown => Format::Markdown,
            ReportFormat::Json => Format::Json,
            ReportFormat::Html => Format::Html,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    Table,
    Markdown,
    Json,
    Csv,
}

impl TableFormat {
    fn format(self, color: bool, width: Option<u16>) -> Format {
        match self {
            TableFormat::Table => Format::Table { color, width },
            TableFormat::Markdown => Format::Markdown,
            TableFormat::Json => Format::Json,
            TableFormat::Csv => Format::Csv,
        }
    }
}

#[derive(Args)]
struct GraphArgs {
    /// The runbook.
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    ///
    /// Written atomically (a temporary file renamed over it). Refused: a file the command
    /// read (runbook, include, status file), a read-only file, a directory. A device or
    /// FIFO (such as /dev/null) is written in place. Stale .cutover-*.tmp files an
    /// interrupted write left in the directory are removed. See docs/decision.md.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
}

impl GraphFormat {
    fn format(self) -> Format {
        match self {
            GraphFormat::Dot => Format::Dot,
            GraphFormat::Mermaid => Format::Mermaid,
        }
    }
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

/// What the command line reads once from the world: colour choices and limits.
struct Context {
    /// Colour for diagnostics on standard error.
    color: bool,
    /// `--wide`, or the width `--width` asks for.
    wide: bool,
    width: Option<u16>,
    color_choice: ColorChoice,
    limits: Limits,
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let color = match cli.global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stderr().is_terminal() && no_color_unset(),
    };
    let cx = Context {
        color,
        wide: cli.global.wide,
        width: cli.global.width,
        color_choice: cli.global.color,
        limits: Limits {
            max_file_bytes: cli.global.max_file_size,
            max_status_bytes: cli.global.max_status_size,
            ..Limits::default()
        },
    };
    match cli.command {
        Command::Validate(args) => validate(&cx, args),
        Command::Plan(args) => plan_command(&cx, args),
        Command::CriticalPath(args) => critical_path_command(&cx, args),
        Command::Graph(args) => graph_command(&cx, args),
        Command::Gates(args) => report_command(&cx, args, false),
        Command::Report(args) => report_command(&cx, args, true),
        Command::Simulate(args) => simulate_command(&cx, args),
        Command::Init(args) => init(args),
        Command::Schema(args) => {
            let kind = if args.status {
                SchemaKind::Status
            } else if args.include {
                SchemaKind::Include
            } else {
                SchemaKind::Runbook
            };
            emit(&schema(kind), Format::Json, None, &Sources::default())?;
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
    let result = Validation {
        sources: &sources,
        checks: &checks,
    };
    let format = args.format.format(cx.color, !args.quiet);
    if args.format == DiagnosticFormat::Human {
        // People read problems on standard error; nothing to say when quiet and valid.
        if !args.quiet || failed {
            eprint_rendered(&result, format)?;
        }
    } else {
        emit(&result, format, None, &sources)?;
    }
    Ok(if failed { exit::INVALID } else { exit::OK })
}

/// Loads and validates a runbook (and status). On errors, prints them and returns the
/// exit code to use instead.
fn load_ready(cx: &Context, input: &Input) -> anyhow::Result<Result<(Ready, Sources), u8>> {
    let request = Request {
        runbook: input.runbook.clone(),
        status: input.status.clone(),
        as_of: input.as_of.clone(),
        limits: cx.limits.clone(),
    };
    let mut prepared = pipeline::prepare(&request)?;
    let Some(ready) = prepared.ready.take() else {
        let Prepared {
            sources,
            diagnostics,
            ..
        } = prepared;
        return Ok(Err(report_problems(
            cx,
            &sources,
            &input.runbook,
            diagnostics,
        )));
    };
    // Warnings about the status file are shown in full (`validate` does not read
    // status files); the runbook's are counted.
    let of_status = prepared.take_status_diagnostics();
    if let (Some(path), false) = (&input.status, of_status.is_empty()) {
        let checks = [FileCheck {
            path: path.clone(),
            diagnostics: of_status,
        }];
        print_problems(cx, &prepared.sources, &checks)?;
    }
    let warnings = prepared
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .count();
    if warnings > 0 {
        eprintln!(
            "note: {warnings} {} in {}; `cutover validate` lists them",
            if warnings == 1 { "warning" } else { "warnings" },
            display(&input.runbook)
        );
    }
    Ok(Ok((ready, prepared.sources)))
}

/// Prints problems for people on standard error.
fn print_problems(cx: &Context, sources: &Sources, checks: &[FileCheck]) -> anyhow::Result<()> {
    let result = Validation { sources, checks };
    eprint_rendered(
        &result,
        Format::Human {
            color: cx.color,
            summary: false,
        },
    )
}

fn report_problems(
    cx: &Context,
    sources: &Sources,
    path: &Path,
    mut diagnostics: Vec<Diagnostic>,
) -> u8 {
    check::sort(&mut diagnostics);
    let checks = [FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    }];
    match print_problems(cx, sources, &checks) {
        Ok(()) => exit::INVALID,
        Err(e) => {
            eprintln!("error: {e:#}");
            exit::USAGE
        }
    }
}

/// The schedule ran outside the plan's horizon: report it at the task.
fn out_of_range(
    cx: &Context,
    ready: &Ready,
    sources: &Sources,
    path: &Path,
    e: ScheduleError,
) -> u8 {
    report_problems(cx, sources, path, vec![e.diagnostic(&ready.project)])
}

/// Writes a command's result in `format`, to `out` or standard output (no `--out`, or
/// `--out -`). A file is never one of `inputs` (the files the command read); see
/// `output.rs`. Nothing is written when rendering fails: the error is returned (exit
/// code 2).
fn emit(
    result: &dyn Render,
    format: Format,
    out: Option<&Path>,
    inputs: &Sources,
) -> anyhow::Result<()> {
    let bytes = result.to_bytes(format)?;
    match output::Target::of(out) {
        output::Target::File(path) => {
            let read: Vec<PathBuf> = inputs.iter().map(|(_, f)| f.path.clone()).collect();
            let written = output::write_output(&path, &bytes, &read)?;
            note_stale(&written);
            eprintln!("wrote {}", display(&path));
            Ok(())
        }
        output::Target::Stdout => print_stdout(&bytes),
    }
}

/// Says so when a write removed temporary files an interrupted write had left.
fn note_stale(written: &output::Written) {
    if written.stale_removed > 0 {
        eprintln!(
            "note: removed {} stale temporary file(s) (.cutover-*.tmp) an interrupted write left next to {}",
            written.stale_removed,
            display(&written.path)
        );
    }
}

/// Writes a result for people to standard error.
fn eprint_rendered(result: &dyn Render, format: Format) -> anyhow::Result<()> {
    let bytes = result.to_bytes(format)?;
    let mut err = std::io::stderr().lock();
    match err.write_all(&bytes).and_then(|()| err.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard error"),
    }
}

/// Whether tables going to `out` (or standard output) are coloured.
fn table_color(cx: &Context, out: Option<&Path>) -> bool {
    output::Target::of(out) == output::Target::Stdout
        && match cx.color_choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && no_color_unset(),
        }
}

/// The width terminal tables fit: `--width`; else, when the output is a terminal (and
/// not `--wide`), `COLUMNS` or the terminal's own width; else none (full rows).
fn table_width(cx: &Context, out: Option<&Path>) -> Option<u16> {
    if cx.wide {
        return None;
    }
    if cx.width.is_some() {
        return cx.width;
    }
    if output::Target::of(out) != output::Target::Stdout || !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .or_else(|| comfy_table::Table::new().width())
        .map(|w| w.max(40))
}

/// The clock, read once, for commands that judge "now" when given no data date.
/// `CUTOVER_NOW` (an RFC 3339 instant, e.g. `2027-05-28T17:00Z`) pins it, for tests
/// and reproducible CI runs.
fn now() -> anyhow::Result<Moment> {
    match std::env::var("CUTOVER_NOW") {
        Ok(text) if !text.is_empty() => {
            let at: jiff::Timestamp = text.parse().with_context(|| {
                format!("CUTOVER_NOW={text}: not an instant with an offset, e.g. 2027-05-28T17:00Z")
            })?;
            Ok(Moment::from_timestamp(at))
        }
        _ => Ok(Moment::from_timestamp(jiff::Timestamp::now())),
    }
}

fn plan_command(cx: &Context, args: PlanArgs) -> anyhow::Result<u8> {
    let c = &args.common;
    let (ready, sources) = match load_ready(cx, &c.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let filter = Filter {
        workstreams: args.workstream.clone(),
        owners: args.owner.clone(),
        critical_only: args.critical,
        driving_path: false,
    };
    for w in &filter.workstreams {
        if !ready.project.workstreams.iter().any(|x| &x.id == w) {
            anyhow::bail!("--workstream {w}: no workstream has this id");
        }
    }
    let plan = match plan(&ready.project, &ready.graph, ready.status.as_ref(), &filter) {
        Ok(p) => p,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &c.input.runbook, e)),
    };
    let out = c.out.as_deref();
    emit(
        &plan,
        c.format.format(table_color(cx, out), table_width(cx, out)),
        out,
        &sources,
    )?;
    drop(plan);
    let tasks = ready.project.tasks.len();
    crate::background::drop_large((ready, sources), tasks);
    Ok(exit::OK)
}

fn critical_path_command(cx: &Context, args: ScheduleArgs) -> anyhow::Result<u8> {
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let path = match driving_path(&ready.project, &ready.graph, ready.status.as_ref()) {
        Ok(p) => p,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e)),
    };
    let out = args.out.as_deref();
    emit(
        &path,
        args.format
            .format(table_color(cx, out), table_width(cx, out)),
        out,
        &sources,
    )?;
    Ok(exit::OK)
}

fn report_command(cx: &Context, args: ReportArgs, paper: bool) -> anyhow::Result<u8> {
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let status = match &ready.status {
        Some(s) => s.clone(),
        None => Status::at_from(&ready.project, now()?, DataDateSource::Clock),
    };
    let options = crate::paper::Options {
        monte_carlo: (args.iterations > 0).then_some(Settings {
            iterations: args.iterations as usize,
            seed: args.seed,
        }),
        detail: args.detail,
    };
    let result = match crate::paper::paper(&ready.project, &ready.graph, status, options) {
        Ok(r) => r,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e)),
    };
    let decision = result.report.outcome.decision;
    let out = args.out.as_deref();
    let format = args
        .format
        .format(table_color(cx, out), table_width(cx, out));
    if paper {
        emit(&result, format, out, &sources)?;
    } else {
        emit(&Gates(result), format, out, &sources)?;
    }
    Ok(if args.exit_code {
        match decision {
            Decision::Go => exit::OK,
            Decision::GoWithConditions => exit::GO_WITH_CONDITIONS,
            Decision::NoGo => exit::NO_GO,
        }
    } else {
        exit::OK
    })
}

fn simulate_command(cx: &Context, args: SimulateArgs) -> anyhow::Result<u8> {
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let project = &ready.project;
    let status = match &ready.status {
        Some(s) => s.clone(),
        None => Status::at_from(project, now()?, DataDateSource::Clock),
    };
    let mut scenarios = Vec::new();
    for id in &args.scenario {
        match project.scenarios.iter().find(|s| &s.id == id) {
            Some(s) => scenarios.push(s.clone()),
            None => anyhow::bail!(
                "--scenario {id}: the runbook has no such scenario{}",
                crate::diagnostic::suggestion(id, project.scenarios.iter().map(|s| s.id.as_str()))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            ),
        }
    }
    let ad_hoc = AdHoc {
        defer: args.defer.clone(),
        go_live: args.go_live.clone(),
        slips: args.slip.clone(),
        durations: args.duration.clone(),
        metrics: args.metric.clone(),
        done: args.done.clone(),
    };
    if args.scenario.is_empty() && ad_hoc.is_empty() {
        scenarios.clone_from(&project.scenarios);
    }
    if !ad_hoc.is_empty() {
        scenarios
            .push(scenario::ad_hoc(project, &status, &ad_hoc).map_err(|e| anyhow::anyhow!(e))?);
    }
    let iterations = args.iterations as usize;
    let settings = (iterations > 0).then_some(Settings {
        iterations,
        seed: args.seed,
    });
    let show_bar = settings.is_some()
        && args.format != SimulateFormat::Json
        && std::io::stderr().is_terminal();
    let bar = show_bar.then(|| {
        let total = (iterations * (scenarios.len() + 1)) as u64;
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} Monte Carlo {bar:30} {pos}/{len} iterations ({eta})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let tick = |done: usize| {
        if let Some(b) = &bar {
            b.inc(done as u64);
        }
    };
    let comparison =
        match simulate::compare(project, &ready.graph, &status, &scenarios, settings, &tick) {
            Ok(c) => c,
            Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e)),
        };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let out = args.out.as_deref();
    let result = Simulation {
        project,
        comparison,
    };
    emit(
        &result,
        args.format
            .format(table_color(cx, out), table_width(cx, out)),
        out,
        &sources,
    )?;
    Ok(exit::OK)
}

fn graph_command(cx: &Context, args: GraphArgs) -> anyhow::Result<u8> {
    let input = Input {
        runbook: args.runbook.clone(),
        status: None,
        as_of: None,
    };
    let (ready, sources) = match load_ready(cx, &input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let plan = match plan(&ready.project, &ready.graph, None, &Filter::default()) {
        Ok(p) => p,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.runbook, e)),
    };
    emit(
        &Graph(plan),
        args.format.format(),
        args.out.as_deref(),
        &sources,
    )?;
    Ok(exit::OK)
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn init(args: InitArgs) -> anyhow::Result<u8> {
    // The starter's comments name the file it was written to (`{file}` in the template).
    let name = args
        .path
        .file_name()
        .map_or_else(|| display(&args.path), |n| n.to_string_lossy().into_owned());
    let starter = STARTER.replace("{file}", &name);
    let result = if args.force {
        output::write_atomic(&args.path, starter.as_bytes())
    } else {
        output::create_atomic(&args.path, starter.as_bytes())
    };
    note_stale(&result?);
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
fn print_stdout(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}
