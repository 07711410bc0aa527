//! Command-line definitions (clap) and dispatch.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use cutover::check::{self, FileCheck};
use cutover::decision::Decision;
use cutover::diagnostic::Diagnostic;
use cutover::graph::TaskGraph;
use cutover::load::{self, Limits};
use cutover::montecarlo::Settings;
use cutover::output;
use cutover::plan::{Filter, plan};
use cutover::project::Project;
use cutover::render::diagnostics as render_diagnostics;
use cutover::render::table::Style;
use cutover::render::{
    graph as render_graph, html as render_html, plan as render_plan, report as render_report,
    simulate as render_simulate,
};
use cutover::report::report;
use cutover::scenario::{self, AdHoc};
use cutover::schedule::ScheduleError;
use cutover::schema::{SchemaKind, schema};
use cutover::simulate;
use cutover::source::Sources;
use cutover::status::{self, Status};
use cutover::time::Moment;
use cutover::time::parse_instant;
use cutover::validate::validate as validate_runbook;

/// Exit codes (documented in the README).
pub mod exit {
    /// Success: the runbook is valid, or the command did what was asked.
    pub const OK: u8 = 0;
    /// The runbook or status file has errors.
    pub const INVALID: u8 = 1;
    /// Bad arguments, or a file could not be read or written.
    pub const USAGE: u8 = 2;
    /// With `--exit-code`: the decision is GO WITH CONDITIONS.
    pub const GO_WITH_CONDITIONS: u8 = 3;
    /// With `--exit-code`: the decision is NO-GO.
    pub const NO_GO: u8 = 4;
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
    /// Bring a plan in from MS Project (XML), Excel (.xlsx) or CSV, as a runbook.
    #[command(
        after_help = "The format comes from the file's extension (.xml, .xlsx, .csv) or --from. \
        The runbook written validates; every assumption (time zone, go-live) is a comment in it, and \
        every row or value left out is listed here. The mapping: docs/interop.md.\n\n\
        Exit codes: 0 imported, 1 something was left out or the plan does not validate (the runbook \
        is still written), 2 the file cannot be read or is refused.\n\n\
        Example: cutover import plan.xml -o runbook.yaml --status-out runbook.status.yaml"
    )]
    Import(ImportArgs),
    /// Write the runbook and its plan for the programme office: MS Project XML, Excel or CSV.
    #[command(
        after_help = "MS Project XML (mspdi) carries tasks, workstreams as summary tasks, links and \
        lags, calendars, constraints and the computed dates; xlsx a summary sheet with the decision, \
        the task sheet and the gate sheet; csv the task sheet. `cutover import` reads each back. \
        What each keeps and loses: docs/interop.md.\n\n\
        Example: cutover export runbook.yaml --status runbook.status.yaml --format xlsx -o plan.xlsx"
    )]
    Export(ExportArgs),
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

/// The runbook and what it is judged from: the arguments every planning command takes.
#[derive(Args)]
struct Input {
    /// The runbook.
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// Status file with the data date, actuals, metrics and sign-offs.
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,

    /// Data date (local time in the runbook's zone, e.g. 2027-02-19T17:00); overrides the status file's.
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

    /// Write to this file (atomically) instead of standard output.
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

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,

    /// Exit with the decision: 0 GO, 3 GO WITH CONDITIONS, 4 NO-GO (for CI gating).
    #[arg(long)]
    exit_code: bool,
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

    /// Ad hoc: set a task's duration, e.g. clinic-build=3w (repeatable).
    #[arg(long, value_name = "TASK=DURATION", help_heading = "Ad hoc scenario")]
    duration: Vec<String>,

    /// Ad hoc: a metric reading at the data date, e.g. training.completion_pct=92 (repeatable).
    #[arg(long, value_name = "METRIC=VALUE", help_heading = "Ad hoc scenario")]
    metric: Vec<String>,

    /// Ad hoc: treat a task as finished at the data date (repeatable).
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

    /// Write to this file (atomically) instead of standard output.
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Table,
    Markdown,
    Json,
    /// One self-contained page (inline CSS and SVG), printable on A4.
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TableFormat {
    Table,
    Markdown,
    Json,
    Csv,
}

#[derive(Args)]
struct GraphArgs {
    /// The runbook.
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
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
struct ImportArgs {
    /// The file to import: MS Project XML (.xml), Excel (.xlsx) or CSV (.csv).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Where to write the runbook (default: standard output).
    #[arg(long, short = 'o', value_name = "RUNBOOK")]
    out: Option<PathBuf>,

    /// Where to write the status file with the source's actuals, if it has any.
    #[arg(long, value_name = "FILE")]
    status_out: Option<PathBuf>,

    /// The source's format, if its extension does not say.
    #[arg(long, value_enum)]
    from: Option<FromFormat>,

    /// The runbook's time zone (sources have none; default Europe/London, stated in the runbook).
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,

    /// The plan's start (local time); default the source's, or the earliest fixed start.
    #[arg(long, value_name = "INSTANT")]
    start: Option<String>,

    /// Go-live (local time); default when the imported plan finishes, stated in the runbook.
    #[arg(long, value_name = "INSTANT")]
    go_live: Option<String>,

    /// The workbook sheet to read (default: the first with a header row).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,

    /// How to read slashed dates like 05/03/2027 in a table: dmy (UK) or mdy (US).
    #[arg(long, value_enum)]
    dates: Option<DateOrderArg>,
}

#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    input: Input,

    /// What to write.
    #[arg(long, short = 'f', value_enum)]
    format: ExportFormatArg,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormatArg {
    /// MS Project XML (MSPDI), for MS Project and tools that read it.
    Mspdi,
    /// An Excel workbook: summary, tasks, gates.
    Xlsx,
    /// The task sheet as CSV.
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FromFormat {
    /// MS Project XML (MSPDI).
    Mspdi,
    Xlsx,
    Csv,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DateOrderArg {
    /// Day first: 05/03/2027 is 5 March.
    Dmy,
    /// Month first: 03/05/2027 is 5 March.
    Mdy,
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
    /// Colour for diagnostics on standard error.
    color: bool,
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
        color_choice: cli.global.color,
        limits: Limits {
            max_file_bytes: cli.global.max_file_size,
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
        Command::Import(args) => import_command(&cx, args),
        Command::Export(args) => export_command(&cx, args),
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

/// A runbook that validated, with its status if one was given.
struct Ready {
    project: Project,
    graph: TaskGraph,
    status: Option<Status>,
}

/// Loads and validates a runbook (and status). On errors, prints them and returns the
/// exit code to use instead.
fn load_ready(cx: &Context, input: &Input) -> anyhow::Result<Result<Ready, u8>> {
    let (runbook, status_path, as_of) = (
        input.runbook.as_path(),
        input.status.as_deref(),
        input.as_of.as_deref(),
    );
    let mut sources = Sources::default();
    let loaded = load::load_runbook(runbook, &mut sources, &cx.limits)?;
    let mut diagnostics = loaded.diagnostics;
    let validated = loaded.runbook.as_ref().map(validate_runbook);
    // The model as written is not needed past validation.
    if let Some(model) = loaded.runbook {
        let tasks = model.tasks.len();
        cutover::background::drop_large(model, tasks);
    }
    let (project, graph) = match validated {
        Some(v) => {
            diagnostics.extend(v.diagnostics);
            match (v.project, v.graph) {
                (Some(p), Some(g)) => (Some(p), Some(g)),
                _ => (None, None),
            }
        }
        None => (None, None),
    };
    let (Some(project), Some(graph)) = (project, graph) else {
        return Ok(Err(report_problems(cx, &sources, runbook, diagnostics)));
    };
    let as_of = match as_of {
        Some(text) => Some(
            parse_instant(text, &project.tz)
                .map_err(|e| anyhow::anyhow!("--as-of: {} ({})", e.message, e.help))?,
        ),
        None => None,
    };
    let status = match status_path {
        Some(path) => {
            let (file, problem) = load::load_status(path, &mut sources, &cx.limits)?;
            if let Some(d) = problem {
                diagnostics.push(d);
            }
            match file {
                Some(file) => {
                    let file_id = cutover::source::FileId(sources.len() as u32 - 1);
                    let (status, problems) = status::resolve(&project, &file, file_id, as_of);
                    diagnostics.extend(problems);
                    status
                }
                None => None,
            }
        }
        None => as_of.map(|a| Status::at(&project, a)),
    };
    if status_path.is_some() && status.is_none() {
        return Ok(Err(report_problems(cx, &sources, runbook, diagnostics)));
    }
    // Warnings about the status file are shown in full (`validate` does not read
    // status files); the runbook's are counted.
    if let Some(path) = status_path {
        let status_file = cutover::source::FileId(sources.len() as u32 - 1);
        let (of_status, rest): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
            .into_iter()
            .partition(|d| d.origin.is_some_and(|o| o.file == status_file));
        diagnostics = rest;
        if !of_status.is_empty() {
            let checks = [FileCheck {
                path: path.to_path_buf(),
                diagnostics: of_status,
            }];
            eprint!(
                "{}",
                render_diagnostics::human(&sources, &checks, cx.color, false)
            );
        }
    }
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    if warnings > 0 {
        eprintln!(
            "note: {warnings} {} in {}; `cutover validate` lists them",
            if warnings == 1 { "warning" } else { "warnings" },
            display(runbook)
        );
    }
    Ok(Ok(Ready {
        project,
        graph,
        status,
    }))
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
    eprint!(
        "{}",
        render_diagnostics::human(sources, &checks, cx.color, false)
    );
    exit::INVALID
}

/// The schedule ran outside the plan's horizon: report it at the task.
fn out_of_range(cx: &Context, project: &Project, path: &Path, e: ScheduleError) -> u8 {
    let d = e.diagnostic(project);
    let mut sources = Sources::default();
    let _ = load::load_runbook(path, &mut sources, &cx.limits);
    report_problems(cx, &sources, path, vec![d])
}

fn emit(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => {
            output::write_atomic(path, text.as_bytes())?;
            eprintln!("wrote {}", display(path));
            Ok(())
        }
        None => print_stdout(text),
    }
}

fn table_style(cx: &Context, out: Option<&Path>) -> Style {
    let color = out.is_none()
        && match cx.color_choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && no_color_unset(),
        };
    Style::Terminal { color }
}

fn plan_command(cx: &Context, args: PlanArgs) -> anyhow::Result<u8> {
    let c = &args.common;
    let ready = match load_ready(cx, &c.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let filter = Filter {
        workstreams: args.workstream.clone(),
        owners: args.owner.clone(),
        critical_only: args.critical,
    };
    for w in &filter.workstreams {
        if !ready.project.workstreams.iter().any(|x| &x.id == w) {
            anyhow::bail!("--workstream {w}: no workstream has this id");
        }
    }
    let plan = match plan(&ready.project, &ready.graph, ready.status.as_ref(), &filter) {
        Ok(p) => p,
        Err(e) => return Ok(out_of_range(cx, &ready.project, &c.input.runbook, e)),
    };
    let text = match c.format {
        TableFormat::Table => render_plan::text(&plan, table_style(cx, c.out.as_deref())),
        TableFormat::Markdown => render_plan::text(&plan, Style::Markdown),
        TableFormat::Json => render_plan::json(&plan),
        TableFormat::Csv => render_plan::csv(&plan),
    };
    emit(c.out.as_deref(), &text)?;
    drop(plan);
    let tasks = ready.project.tasks.len();
    cutover::background::drop_large((ready, text), tasks);
    Ok(exit::OK)
}

fn critical_path_command(cx: &Context, args: ScheduleArgs) -> anyhow::Result<u8> {
    let ready = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let filter = Filter {
        critical_only: true,
        ..Filter::default()
    };
    let mut plan = match plan(&ready.project, &ready.graph, ready.status.as_ref(), &filter) {
        Ok(p) => p,
        Err(e) => {
            return Ok(out_of_range(cx, &ready.project, &args.input.runbook, e));
        }
    };
    let text = match args.format {
        TableFormat::Table => {
            render_plan::critical_text(&plan, table_style(cx, args.out.as_deref()))
        }
        TableFormat::Markdown => render_plan::critical_text(&plan, Style::Markdown),
        TableFormat::Json => {
            plan.rows = plan.critical.tasks(&ready.graph);
            render_plan::json(&plan)
        }
        TableFormat::Csv => {
            plan.rows = plan.critical.tasks(&ready.graph);
            render_plan::csv(&plan)
        }
    };
    emit(args.out.as_deref(), &text)?;
    Ok(exit::OK)
}

fn report_command(cx: &Context, args: ReportArgs, paper: bool) -> anyhow::Result<u8> {
    let ready = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let status = ready.status.unwrap_or_else(|| {
        Status::at(
            &ready.project,
            Moment::from_timestamp(jiff::Timestamp::now()),
        )
    });
    let report = match report(&ready.project, &ready.graph, status) {
        Ok(r) => r,
        Err(e) => {
            return Ok(out_of_range(cx, &ready.project, &args.input.runbook, e));
        }
    };
    let style = table_style(cx, args.out.as_deref());
    let text = match (args.format, paper) {
        (ReportFormat::Table, false) => render_report::gates_text(&report, style),
        (ReportFormat::Markdown, false) => render_report::gates_text(&report, Style::Markdown),
        (ReportFormat::Table, true) => render_report::report_text(&report, style),
        (ReportFormat::Markdown, true) => render_report::report_text(&report, Style::Markdown),
        (ReportFormat::Json, _) => render_report::json(&report),
        (ReportFormat::Html, _) => render_html::html(&report),
    };
    emit(args.out.as_deref(), &text)?;
    Ok(if args.exit_code {
        match report.outcome.decision {
            Decision::Go => exit::OK,
            Decision::GoWithConditions => exit::GO_WITH_CONDITIONS,
            Decision::NoGo => exit::NO_GO,
        }
    } else {
        exit::OK
    })
}

fn simulate_command(cx: &Context, args: SimulateArgs) -> anyhow::Result<u8> {
    let ready = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let project = &ready.project;
    let status = ready
        .status
        .unwrap_or_else(|| Status::at(project, Moment::from_timestamp(jiff::Timestamp::now())));
    let mut scenarios = Vec::new();
    for id in &args.scenario {
        match project.scenarios.iter().find(|s| &s.id == id) {
            Some(s) => scenarios.push(s.clone()),
            None => anyhow::bail!(
                "--scenario {id}: the runbook has no such scenario{}",
                cutover::diagnostic::suggestion(
                    id,
                    project.scenarios.iter().map(|s| s.id.as_str())
                )
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
        scenarios = project.scenarios.clone();
    }
    if !ad_hoc.is_empty() {
        scenarios.push(scenario::ad_hoc(project, &ad_hoc).map_err(|e| anyhow::anyhow!(e))?);
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
            Err(e) => return Ok(out_of_range(cx, project, &args.input.runbook, e)),
        };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let text = match args.format {
        SimulateFormat::Table => {
            render_simulate::text(project, &comparison, table_style(cx, args.out.as_deref()))
        }
        SimulateFormat::Markdown => render_simulate::text(project, &comparison, Style::Markdown),
        SimulateFormat::Json => render_simulate::json(project, &comparison),
    };
    emit(args.out.as_deref(), &text)?;
    Ok(exit::OK)
}

fn graph_command(cx: &Context, args: GraphArgs) -> anyhow::Result<u8> {
    let input = Input {
        runbook: args.runbook.clone(),
        status: None,
        as_of: None,
    };
    let ready = match load_ready(cx, &input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let plan = match plan(&ready.project, &ready.graph, None, &Filter::default()) {
        Ok(p) => p,
        Err(e) => return Ok(out_of_range(cx, &ready.project, &args.runbook, e)),
    };
    let text = match args.format {
        GraphFormat::Dot => render_graph::dot(&plan),
        GraphFormat::Mermaid => render_graph::mermaid(&plan),
    };
    emit(args.out.as_deref(), &text)?;
    Ok(exit::OK)
}

fn import_command(cx: &Context, args: ImportArgs) -> anyhow::Result<u8> {
    use cutover::interop::{self, DateOrder, ImportFormat, ImportOptions};
    let local =
        |flag: &str, text: &Option<String>| -> anyhow::Result<Option<jiff::civil::DateTime>> {
            text.as_deref()
                .map(|t| interop::parse_local(t).map_err(|e| anyhow::anyhow!("--{flag}: {e}")))
                .transpose()
        };
    let options = ImportOptions {
        format: args.from.map(|f| match f {
            FromFormat::Mspdi => ImportFormat::Mspdi,
            FromFormat::Xlsx => ImportFormat::Xlsx,
            FromFormat::Csv => ImportFormat::Csv,
        }),
        timezone: args.timezone.clone(),
        start: local("start", &args.start)?,
        go_live: local("go-live", &args.go_live)?,
        sheet: args.sheet.clone(),
        dates: match args.dates {
            Some(DateOrderArg::Dmy) => DateOrder::DayFirst,
            Some(DateOrderArg::Mdy) => DateOrder::MonthFirst,
            None => DateOrder::Unset,
        },
        today: Moment::from_timestamp(jiff::Timestamp::now())
            .local(&jiff::tz::TimeZone::UTC)
            .date(),
        limits: cx.limits.clone(),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    let imported = interop::import(&args.file, &out, &options)?;
    eprint!(
        "{}",
        cutover::render::import::problems(&imported.problems, &display(&args.file))
    );
    emit(args.out.as_deref(), &imported.runbook)?;
    match (&args.status_out, &imported.status) {
        (Some(path), Some(text)) => emit(Some(path), text)?,
        (Some(_), None) => eprintln!("note: the source has no actuals: no status file written"),
        (None, Some(_)) => eprintln!("note: the source has actuals: --status-out FILE writes them"),
        (None, None) => {}
    }
    if !imported.invalid.is_empty() {
        return Ok(report_problems(
            cx,
            &imported.sources,
            &out,
            imported.invalid,
        ));
    }
    let left_out = imported
        .problems
        .iter()
        .any(|p| p.severity == interop::Severity::Error);
    Ok(if left_out { exit::INVALID } else { exit::OK })
}

fn export_command(cx: &Context, args: ExportArgs) -> anyhow::Result<u8> {
    use cutover::interop::export::{ExportError, ExportInput, export};
    use cutover::render::export as render_export;
    if args.format == ExportFormatArg::Xlsx && args.out.is_none() && std::io::stdout().is_terminal()
    {
        anyhow::bail!("an Excel workbook is binary: give --out FILE (or redirect standard output)");
    }
    let input = ExportInput {
        runbook: &args.input.runbook,
        status: args.input.status.as_deref(),
        as_of: args.input.as_of.as_deref(),
        now: Moment::from_timestamp(jiff::Timestamp::now()),
        limits: cx.limits.clone(),
    };
    let export = match export(&input) {
        Ok(e) => e,
        Err(ExportError::Invalid {
            path,
            sources,
            diagnostics,
        }) => return Ok(report_problems(cx, &sources, &path, diagnostics)),
        Err(e) => return Err(e.into()),
    };
    let mut bytes = Vec::new();
    match args.format {
        ExportFormatArg::Mspdi => render_export::mspdi(&export, &mut bytes)?,
        ExportFormatArg::Xlsx => render_export::xlsx(&export, &mut bytes)?,
        ExportFormatArg::Csv => render_export::csv(&export, &mut bytes)?,
    }
    match &args.out {
        Some(path) => {
            output::write_atomic(path, &bytes)?;
            eprintln!("wrote {}", display(path));
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
                other => other.context("cannot write to standard output")?,
            }
        }
    }
    Ok(exit::OK)
}

fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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
