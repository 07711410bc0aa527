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

use crate::board::board;
use crate::check::{self, FileCheck};
use crate::decision::Decision;
use crate::diagnostic::Diagnostic;
use crate::eventlog::{self, Entry, LogView, Recorded, Recording};
use crate::load::Limits;
use crate::model::event::EventKind;
use crate::montecarlo::Settings;
use crate::output;
use crate::pipeline::{self, KeptRunbook, Prepared, Ready, Request, Restated};
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
use crate::update::update;

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
        after_help = "PATH may be a runbook file, a status file (checked against its runbook), \
        a file a runbook includes (checked as part of that runbook: see `# cutover-runbook:` \
        in docs/runbook-format.md), a directory (searched for *.yaml and *.yml; \
        *.status.yaml files are skipped, files another runbook includes are checked with it, \
        other YAML is skipped with a note) or a quoted glob such as 'runbooks/**/*.yaml'.\n\n\
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
    Report(PaperArgs),
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
    /// What changed between two versions of a runbook, and what it does to the plan.
    #[command(
        after_help = "Compares tasks, links, gates, calendars, settings and scenarios, \
        flags lowered bars as relaxations, and schedules both versions from the same \
        status. The rules: docs/diff.md.\n\n\
        Exit codes (as diff(1)): 0 the same, 1 they differ (with --fail-on: one of its \
        conditions holds), 2 a runbook has errors, or a usage, I/O or git error.\n\n\
        Examples:\n  cutover diff old.yaml new.yaml --status runbook.status.yaml\n  \
        cutover diff --git origin/main runbooks/northgate.yaml --format markdown"
    )]
    Diff(DiffArgs),
    /// Schedule-quality checks (after DCMA's 14 points), with SARIF for code scanning.
    #[command(
        after_help = "Checks, thresholds, waivers and the `lint:` settings: docs/lint.md.\n\n\
        Exit codes: 0 no finding at or above --fail-level, 1 such a finding (or a runbook \
        with errors), 2 usage or I/O error.\n\n\
        Example: cutover lint runbooks/ --format sarif --out cutover.sarif"
    )]
    Lint(LintArgs),
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
    /// Record what happened during the cutover: starts, finishes, blocks, work left, metrics, sign-offs.
    #[command(
        after_help = "Events are appended to the event log the status file names \
        (`log: weekend.events.yaml`); the status file itself is never written. Each event is \
        checked first: an event that is wrong (an unknown task, a finish before its start, a \
        time in the future) is refused and nothing is written. Writers take turns on a lock \
        file (<log>.lock), so team leads logging at the same moment lose nothing.\n\n\
        Set CUTOVER_RUNBOOK and CUTOVER_STATUS once instead of --runbook and --status, and \
        CUTOVER_BY for --by. The rules: docs/live.md.\n\n\
        Examples:\n  cutover log start tech-pas-freeze --at 19:02\n  \
        cutover log block dm-load-appointments --reason \"interface engine down\"\n  \
        cutover log remaining dm-load-appointments 3h\n  \
        cutover log metric migration.reconciliation_pct 99.7\n  \
        cutover log show"
    )]
    Log(LogArgs),
    /// The live picture: now and T-minus, the decision, what is running, next, late, and the time left to each point of no return.
    #[command(
        after_help = "Judged as of now (the clock; CUTOVER_NOW pins it) unless --as-of is \
        given, with the status file and its event log. Late means behind the baseline plan \
        (the runbook with no actuals). --format html gives a page that reloads itself every \
        minute, for a wall screen. The rules: docs/live.md.\n\n\
        Example: cutover board runbook.yaml --status weekend.status.yaml"
    )]
    Board(BoardArgs),
    /// Dress rehearsals against the plan: each task's actual / plan, workstreams, the window, and estimates fitted from them.
    #[command(
        after_help = "Each --rehearsal is a status file recorded during a dress rehearsal, named by its \
        `run: { kind: rehearsal, name: DR2 }` (else by its file name). Durations are working time on \
        each task's calendar. With one or two rehearsals the plan's estimates are widened by what was \
        seen; with three or more they are fitted to them. --estimates-out writes them as a scenario \
        `calibrated` the runbook can include; --simulate N compares Monte Carlo readiness on the \
        planned and the calibrated estimates. The method: docs/calibrate.md.\n\n\
        Example: cutover calibrate runbook.yaml --rehearsal dr1.status.yaml --rehearsal dr2.status.yaml \
        --estimates-out calibrated.yaml --simulate 10000"
    )]
    Calibrate(CalibrateArgs),
    /// The hourly update: on track, at risk or late and why; progress; milestones; issues; the next decision.
    #[command(
        after_help = "Judged as of now (the clock; CUTOVER_NOW pins it) unless --as-of is \
        given, from the same results as `cutover board`. Milestones reached since --since \
        (default: an hour before now) are listed. --format html gives an email body (inline \
        styles, no scripts). The rules: docs/live.md.\n\n\
        Example: cutover update runbook.yaml --status weekend.status.yaml --since 21:00"
    )]
    Update(UpdateArgs),
    /// The printed sheet for the cutover weekend: every task in the window hour by hour, with tick boxes.
    #[command(
        after_help = "Lists every task that runs in the runbook's cutover window (or from --from \
        to --to) in time order, a section per day: local start and finish with the weekday, \
        T-minus, owner, workstream, predecessors by name, duration, the task's notes as \
        instructions, points of no return and their rollback deadlines, tick boxes for \
        started and done, and a blank column for actual times. --format html prints on A4 \
        landscape, a page per day. The columns and defaults: docs/runsheet.md.\n\n\
        Examples:\n  cutover runsheet runbook.yaml --format html --out runsheet.html\n  \
        cutover runsheet runbook.yaml --workstream data-migration --from T-36h --format csv"
    )]
    Runsheet(RunsheetArgs),
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

    /// The runbook to check the status files named against (default: `x.yaml` beside
    /// `x.status.yaml`, else the runbook in the same folder named by its `runbook:`).
    #[arg(long, value_name = "FILE")]
    runbook: Option<PathBuf>,

    /// A status file to check together with the one runbook named.
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,

    /// Skip, with a note, YAML files named that are not runbooks, files runbooks
    /// include, or status files (as for directories and globs). For hooks that pass
    /// every staged `*.yaml`, such as the pre-commit hook.
    #[arg(long)]
    skip_other_yaml: bool,
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
    input: Input,

    /// Output format (`ics`: one calendar event per listed task, see docs/interop.md).
    #[arg(long, short = 'f', value_enum, default_value_t = PlanFormat::Table)]
    format: PlanFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    ///
    /// Written atomically (a temporary file renamed over it). Refused: a file the command
    /// read (runbook, include, status file), a read-only file, a directory. A device or
    /// FIFO (such as /dev/null) is written in place. Stale .cutover-*.tmp files an
    /// interrupted write left in the directory are removed. See docs/decision.md.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,

    /// Only tasks of these workstreams (repeatable).
    #[arg(long, value_name = "ID")]
    workstream: Vec<String>,

    /// Only tasks whose owner contains this text (repeatable).
    #[arg(long, value_name = "NAME")]
    owner: Vec<String>,

    /// Only critical tasks.
    #[arg(long)]
    critical: bool,

    /// Only tasks carrying this tag (repeatable: any of them).
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
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

    /// The status file of the last board: add "Changes since the last board" (the
    /// decision, gates that flipped, readiness, float, the driving path).
    #[arg(long, value_name = "OLD_STATUS")]
    since: Option<PathBuf>,
}

/// `cutover report`: the arguments of `gates`, and the paper's own.
#[derive(Args)]
struct PaperArgs {
    #[command(flatten)]
    report: ReportArgs,

    /// Only tasks carrying this tag in the task lists (repeatable: any of them). The
    /// decision, reasons, gates and points of no return stay those of the whole runbook.
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
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

/// `plan`'s formats: the table formats and calendar invites.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PlanFormat {
    Table,
    Markdown,
    Json,
    Csv,
    Ics,
}

impl PlanFormat {
    fn format(self, color: bool, width: Option<u16>) -> Format {
        match self {
            PlanFormat::Table => Format::Table { color, width },
            PlanFormat::Markdown => Format::Markdown,
            PlanFormat::Json => Format::Json,
            PlanFormat::Csv => Format::Csv,
            PlanFormat::Ics => Format::Ics,
        }
    }
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
struct DiffArgs {
    /// OLD and NEW runbooks; with --git, the runbooks to compare (default: every runbook
    /// under the current directory that differs from the revision).
    #[arg(value_name = "RUNBOOK")]
    runbooks: Vec<PathBuf>,

    /// Compare the working copy with this git revision (read with `git`).
    #[arg(long, value_name = "REV")]
    git: Option<String>,

    /// Status file both versions are scheduled from (for the decision).
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,

    /// Data date (local time in the runbook's zone); overrides the status file's.
    #[arg(long, value_name = "INSTANT")]
    as_of: Option<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    format: DiffFormat,

    /// Exit 1 only when one of these holds (comma-separated or repeated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "WHEN")]
    fail_on: Vec<FailOnArg>,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Args)]
struct BoardArgs {
    #[command(flatten)]
    input: Input,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "watch")]
    out: Option<PathBuf>,

    /// Keep drawing: redraw when the runbook, the status file or its event log changes,
    /// and every --every seconds (the clock moves). Ctrl-C stops it.
    #[arg(long)]
    watch: bool,

    /// With --watch: redraw at least every N seconds.
    #[arg(long, value_name = "N", requires = "watch", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    every: u64,
}

#[derive(Args)]
struct RunsheetArgs {
    #[command(flatten)]
    input: Input,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RunsheetFormat::Markdown)]
    format: RunsheetFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,

    /// Start of the sheet: a local time (`2027-06-11T19:00`) or T-minus (`T-36h`).
    /// Default: the cutover window opens.
    #[arg(long, value_name = "WHEN")]
    from: Option<String>,

    /// End of the sheet: a local time or T-minus (`T+2h`). Default: the window closes.
    #[arg(long, value_name = "WHEN")]
    to: Option<String>,

    /// Only tasks of these workstreams (repeatable).
    #[arg(long, value_name = "ID")]
    workstream: Vec<String>,

    /// Only tasks whose owner contains this text (repeatable).
    #[arg(long, value_name = "NAME")]
    owner: Vec<String>,

    /// Only tasks carrying this tag (repeatable: any of them).
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RunsheetFormat {
    Markdown,
    /// One self-contained page that prints on A4 landscape, a page per day.
    Html,
    /// One row per task (and rollback deadline), for spreadsheets.
    Csv,
    Json,
}

impl RunsheetFormat {
    fn format(self) -> Format {
        match self {
            RunsheetFormat::Markdown => Format::Markdown,
            RunsheetFormat::Html => Format::Html,
            RunsheetFormat::Csv => Format::Csv,
            RunsheetFormat::Json => Format::Json,
        }
    }
}

#[derive(Args)]
struct UpdateArgs {
    #[command(flatten)]
    input: Input,

    /// The last update's time: milestones reached after it are listed (`21:00`, the
    /// nearest such local time, or an instant). Default: an hour before now.
    #[arg(long, value_name = "TIME")]
    since: Option<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = UpdateFormat::Text)]
    format: UpdateFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum UpdateFormat {
    /// Plain text, for a chat message or an SMS bridge.
    Text,
    Markdown,
    /// An email body: inline styles, no scripts.
    Html,
    Json,
}

impl UpdateFormat {
    fn format(self) -> Format {
        match self {
            UpdateFormat::Text => Format::Table {
                color: false,
                width: None,
            },
            UpdateFormat::Markdown => Format::Markdown,
            UpdateFormat::Html => Format::Html,
            UpdateFormat::Json => Format::Json,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Human,
    /// For a pull-request comment: a headline, details in collapsible sections.
    Markdown,
    /// The JSON shape in docs/json.md.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOnArg {
    /// A bar was lowered: a gate threshold, a severity, a due date moved later.
    Relaxation,
    /// The plan is ready later, or has less float.
    Later,
    /// The decision under the same status is worse.
    Decision,
}

#[derive(Args)]
struct LintArgs {
    /// Runbook files, directories or globs.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,

    /// Status file (one runbook only): metric readings, and float from its data date.
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,

    /// Data date (local time in the runbook's zone); overrides the status file's.
    #[arg(long, value_name = "INSTANT")]
    as_of: Option<String>,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,

    /// The lowest level of finding that fails the run (exit code 1).
    #[arg(long, value_enum, default_value_t = FailLevel::Warning)]
    fail_level: FailLevel,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LintFormat {
    /// Findings with source snippets, then the summary table.
    Human,
    Markdown,
    /// The JSON shape in docs/json.md.
    Json,
    /// GitHub Actions annotations.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailLevel {
    Error,
    Warning,
    Note,
}

#[derive(Args)]
struct LogArgs {
    /// The runbook (checked for task ids and the order of work).
    #[arg(long, global = true, value_name = "RUNBOOK", env = "CUTOVER_RUNBOOK")]
    runbook: Option<PathBuf>,

    /// The status file; its `log:` names the event log.
    #[arg(long, global = true, value_name = "FILE", env = "CUTOVER_STATUS")]
    status: Option<PathBuf>,

    #[command(subcommand)]
    event: LogCommand,
}

/// When an event happened and who records it.
#[derive(Args)]
struct When {
    /// When it happened: `now` (the default), `HH:MM` (the latest such time in the runbook's zone, at most a few minutes ahead), or an instant like `2027-06-11T19:02`.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,

    /// Who records it (default: `CUTOVER_BY`, else the login name).
    #[arg(long, value_name = "NAME", env = "CUTOVER_BY")]
    by: Option<String>,
}

#[derive(Subcommand)]
enum LogCommand {
    /// A task started.
    Start {
        /// The task's id.
        task: String,
        #[command(flatten)]
        when: When,
    },
    /// A task finished (a milestone: it was reached).
    Done {
        /// The task's id.
        task: String,
        #[command(flatten)]
        when: When,
    },
    /// A task cannot progress.
    Block {
        /// The task's id.
        task: String,
        /// Why, in a few words.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[command(flatten)]
        when: When,
    },
    /// A blocked task can progress again.
    Unblock {
        /// The task's id.
        task: String,
        #[command(flatten)]
        when: When,
    },
    /// The work left on a started task, e.g. `2h 30m`.
    Remaining {
        /// The task's id.
        task: String,
        /// Work left, from --at.
        #[arg(value_name = "DURATION")]
        duration: String,
        #[command(flatten)]
        when: When,
    },
    /// A metric reading, e.g. `migration.reconciliation_pct 99.7`.
    Metric {
        /// The metric's name, as the runbook's gates use it.
        name: String,
        /// The reading.
        #[arg(allow_negative_numbers = true)]
        value: f64,
        #[command(flatten)]
        when: When,
    },
    /// A sign-off was given.
    Signoff {
        /// The sign-off's id, as the runbook's gates use it.
        id: String,
        /// Who signed (default: --by).
        #[arg(long, value_name = "NAME")]
        signed_by: Option<String>,
        #[command(flatten)]
        when: When,
    },
    /// Take back an event recorded in error: it stays in the log but counts no more.
    Void {
        /// The event's number (`cutover log show`).
        seq: u64,
        /// Why it is void.
        #[arg(long, value_name = "TEXT")]
        reason: String,
        #[command(flatten)]
        when: When,
    },
    /// List every event with when it happened, when it was recorded and by whom.
    Show {
        /// Output format.
        #[arg(long, short = 'f', value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,

        /// Write to this file instead of standard output (`-` is standard output).
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
    },
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

impl ExportFormatArg {
    fn format(self) -> Format {
        match self {
            ExportFormatArg::Mspdi => Format::Mspdi,
            ExportFormatArg::Xlsx => Format::Xlsx,
            ExportFormatArg::Csv => Format::Csv,
        }
    }
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
            eprintln!(
                "error: {}",
                crate::render::visible::visible(&format!("{e:#}"))
            );
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
        Command::Gates(args) => report_command(&cx, args, None),
        Command::Report(args) => report_command(&cx, args.report, Some(args.tag)),
        Command::Simulate(args) => simulate_command(&cx, args),
        Command::Diff(args) => diff_command(&cx, args),
        Command::Lint(args) => lint_command(&cx, args),
        Command::Init(args) => init(args),
        Command::Import(args) => import_command(&cx, args),
        Command::Export(args) => export_command(&cx, args),
        Command::Log(args) => log_command(&cx, args),
        Command::Board(args) => board_command(&cx, args),
        Command::Calibrate(args) => calibrate_command(&cx, args),
        Command::Update(args) => update_command(&cx, args),
        Command::Runsheet(args) => runsheet_command(&cx, args),
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
    if args.status.is_some() && discovered.files.len() != 1 {
        anyhow::bail!("--status goes with one runbook; name only that runbook");
    }
    let options = check::Options {
        runbook: args.runbook,
        status: args.status,
        skip_other_yaml: args.skip_other_yaml,
    };
    let check::Checked {
        mut checks,
        status_files,
        parts,
        skipped,
    } = check::check_all(&discovered, &options, &cx.limits, &mut sources)?;
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
        status_files: &status_files,
        parts: &parts,
        skipped: &skipped,
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
    load_ready_at(cx, input, None)
}

/// [`load_ready`], judging as of `now` when `--as-of` is not given (the live commands).
fn load_ready_at(
    cx: &Context,
    input: &Input,
    now: Option<Moment>,
) -> anyhow::Result<Result<(Ready, Sources), u8>> {
    let request = Request {
        runbook: input.runbook.clone(),
        status: input.status.clone(),
        as_of: input.as_of.clone(),
        now,
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
    let result = Validation {
        sources,
        checks,
        status_files: &[],
        parts: &[],
        skipped: &[],
    };
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
            eprintln!(
                "error: {}",
                crate::render::visible::visible(&format!("{e:#}"))
            );
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
    let read: Vec<PathBuf> = inputs.iter().map(|(_, f)| f.path.clone()).collect();
    emit_read(result, format, out, &read)
}

/// [`emit`] for a command whose inputs are not one `Sources` (`diff` reads two
/// versions): `read` lists every file it read.
fn emit_read(
    result: &dyn Render,
    format: Format,
    out: Option<&Path>,
    read: &[PathBuf],
) -> anyhow::Result<()> {
    let bytes = result.to_bytes(format)?;
    match output::Target::of(out) {
        output::Target::File(path) => {
            let written = output::write_output(&path, &bytes, read)?;
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

/// A usage error for a `--workstream`, `--owner` or `--tag` that matches nothing in
/// the runbook, with the nearest that does ("did you mean").
fn check_filter(project: &crate::project::Project, filter: &Filter) -> anyhow::Result<()> {
    let hint = |text: &str, known: &mut dyn Iterator<Item = &str>| {
        crate::diagnostic::suggestion(text, known)
            .map(|h| format!(" ({h})"))
            .unwrap_or_default()
    };
    for w in &filter.workstreams {
        if !project.workstreams.iter().any(|x| &x.id == w) {
            anyhow::bail!(
                "--workstream {w}: no workstream has this id{}",
                hint(w, &mut project.workstreams.iter().map(|x| x.id.as_str()))
            );
        }
    }
    let owners = || project.tasks.iter().filter_map(|t| t.owner.as_deref());
    for o in &filter.owners {
        let needle = o.to_lowercase();
        if !owners().any(|x| x.to_lowercase().contains(&needle)) {
            anyhow::bail!(
                "--owner {o}: no task's owner contains this{}",
                hint(o, &mut owners())
            );
        }
    }
    for t in &filter.tags {
        let tags = || {
            project
                .tasks
                .iter()
                .flat_map(|x| x.tags.iter().map(String::as_str))
        };
        if !tags().any(|x| x == t) {
            anyhow::bail!("--tag {t}: no task has this tag{}", hint(t, &mut tags()));
        }
    }
    Ok(())
}

fn plan_command(cx: &Context, args: PlanArgs) -> anyhow::Result<u8> {
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let filter = Filter {
        workstreams: args.workstream.clone(),
        owners: args.owner.clone(),
        critical_only: args.critical,
        driving_path: false,
        tags: args.tag.clone(),
    };
    check_filter(&ready.project, &filter)?;
    let plan = match plan(&ready.project, &ready.graph, ready.status.as_ref(), &filter) {
        Ok(p) => p,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e)),
    };
    let out = args.out.as_deref();
    emit(
        &plan,
        args.format
            .format(table_color(cx, out), table_width(cx, out)),
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

/// `cutover gates` (`tags` is `None`) and `cutover report` (`tags` from `--tag`).
fn report_command(cx: &Context, args: ReportArgs, tags: Option<Vec<String>>) -> anyhow::Result<u8> {
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let paper = tags.is_some();
    let tags = tags.unwrap_or_default();
    check_filter(
        &ready.project,
        &Filter {
            tags: tags.clone(),
            ..Filter::default()
        },
    )?;
    let status = match &ready.status {
        Some(s) => s.clone(),
        None => Status::at_from(&ready.project, now()?, DataDateSource::Clock),
    };
    let since = match &args.since {
        Some(path) => match read_since(cx, &ready, path, &status)? {
            Ok(s) => Some(s),
            Err(code) => return Ok(code),
        },
        None => None,
    };
    let options = crate::paper::Options {
        monte_carlo: (args.iterations > 0).then_some(Settings {
            iterations: args.iterations as usize,
            seed: args.seed,
        }),
        detail: args.detail,
        since,
        tags,
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

/// The status of the last board (`report --since`), resolved against the same runbook.
/// Problems in it are printed and give exit code 1; it must be older than `now`.
fn read_since(
    cx: &Context,
    ready: &Ready,
    path: &Path,
    now: &Status,
) -> anyhow::Result<Result<Status, u8>> {
    let mut sources = Sources::default();
    let mut diagnostics = Vec::new();
    let (status, _) = pipeline::read_status(
        &ready.project,
        path,
        None,
        &cx.limits,
        &mut sources,
        &mut diagnostics,
    )?;
    let Some(then) = status.filter(|_| !diagnostics.iter().any(Diagnostic::is_error)) else {
        return Ok(Err(report_problems(cx, &sources, path, diagnostics)));
    };
    if !diagnostics.is_empty() {
        let checks = [FileCheck {
            path: path.to_path_buf(),
            diagnostics,
        }];
        print_problems(cx, &sources, &checks)?;
    }
    if then.as_of > now.as_of {
        anyhow::bail!(
            "--since {}: its data date ({}) is after the report's ({}); give the older status file to --since",
            display(path),
            crate::time::local_label(then.as_of, &ready.project.tz),
            crate::time::local_label(now.as_of, &ready.project.tz)
        );
    }
    Ok(Ok(then))
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

fn diff_command(cx: &Context, args: DiffArgs) -> anyhow::Result<u8> {
    use crate::diff::{self, Compare, Diffed, FailOn};
    let compare = match (args.git, args.runbooks.as_slice()) {
        (Some(rev), runbooks) => Compare::Git {
            rev,
            runbooks: runbooks.to_vec(),
        },
        (None, [old, new]) => Compare::Files {
            old: old.clone(),
            new: new.clone(),
        },
        (None, _) => anyhow::bail!("give two runbooks (OLD NEW), or --git REV"),
    };
    let request = diff::Request {
        compare,
        status: args.status,
        as_of: args.as_of,
        limits: cx.limits.clone(),
    };
    let review = match diff::diff(&request)? {
        Diffed::Done(review) => review,
        Diffed::Invalid(invalid) => {
            for i in &invalid {
                print_problems(cx, &i.sources, &i.checks)?;
            }
            return Ok(exit::USAGE);
        }
    };
    let format = match args.format {
        DiffFormat::Human => Format::Human {
            color: false,
            summary: true,
        },
        DiffFormat::Markdown => Format::Markdown,
        DiffFormat::Json => Format::Json,
    };
    emit_read(&review, format, args.out.as_deref(), &review.read)?;
    let fail_on: Vec<FailOn> = args
        .fail_on
        .iter()
        .map(|f| match f {
            FailOnArg::Relaxation => FailOn::Relaxation,
            FailOnArg::Later => FailOn::Later,
            FailOnArg::Decision => FailOn::Decision,
        })
        .collect();
    Ok(if review.fails(&fail_on) {
        exit::INVALID
    } else {
        exit::OK
    })
}

fn lint_command(cx: &Context, args: LintArgs) -> anyhow::Result<u8> {
    use crate::lint::{self, Level, Linted};
    let request = lint::Request {
        paths: args.paths,
        status: args.status,
        as_of: args.as_of,
        fail_level: match args.fail_level {
            FailLevel::Error => Level::Error,
            FailLevel::Warning => Level::Warning,
            FailLevel::Note => Level::Note,
        },
        limits: cx.limits.clone(),
    };
    let lint = match lint::lint(&request)? {
        Linted::Done(lint) => lint,
        Linted::Invalid { sources, checks } => {
            print_problems(cx, &sources, &checks)?;
            return Ok(exit::INVALID);
        }
    };
    let format = match args.format {
        LintFormat::Human => Format::Human {
            color: table_color(cx, args.out.as_deref()),
            summary: true,
        },
        LintFormat::Markdown => Format::Markdown,
        LintFormat::Json => Format::Json,
        LintFormat::Github => Format::Github,
        LintFormat::Sarif => Format::Sarif,
    };
    emit(&lint, format, args.out.as_deref(), &lint.sources)?;
    Ok(if lint.failed { exit::INVALID } else { exit::OK })
}

fn import_command(cx: &Context, args: ImportArgs) -> anyhow::Result<u8> {
    use crate::interop::{self, DateOrder, ImportFormat, ImportOptions};
    let local =
        |flag: &str, text: &Option<String>| -> anyhow::Result<Option<jiff::civil::DateTime>> {
            text.as_deref()
                .map(|t| interop::parse_local(t).map_err(|e| anyhow::anyhow!("--{flag}: {e}")))
                .transpose()
        };
    if let (Some(out), Some(status_out)) = (&args.out, &args.status_out)
        && output::refuse_inputs(status_out, std::slice::from_ref(out)).is_err()
    {
        anyhow::bail!(
            "--status-out and --out name the same file ({}): give the status file its own name",
            display(out)
        );
    }
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
        today: now()?.local(&jiff::tz::TimeZone::UTC).date(),
        limits: cx.limits.clone(),
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdout>"));
    let imported = interop::import(&args.file, &out, &options)?;
    let source = display(&args.file);
    eprint_rendered(
        &crate::render::import::Problems {
            problems: &imported.problems,
            source: &source,
        },
        Format::Human {
            color: cx.color,
            summary: true,
        },
    )?;
    // Never over the file imported; the status file never over the runbook written.
    let mut read = vec![args.file.clone()];
    emit_read(&imported.draft, Format::Yaml, args.out.as_deref(), &read)?;
    read.extend(args.out.clone());
    match (&args.status_out, &imported.draft.status) {
        (Some(path), Some(status)) => emit_read(
            &crate::render::runbook::StatusFile {
                draft: &imported.draft,
                status,
            },
            Format::Yaml,
            Some(path),
            &read,
        )?,
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
    let out = args.out.as_deref();
    if args.format == ExportFormatArg::Xlsx
        && output::Target::of(out) == output::Target::Stdout
        && std::io::stdout().is_terminal()
    {
        anyhow::bail!("an Excel workbook is binary: give --out FILE (or redirect standard output)");
    }
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let export = match crate::interop::export::gather(
        &ready.project,
        &ready.graph,
        ready.status.as_ref(),
        now()?,
    ) {
        Ok(e) => e,
        Err(d) => {
            return Ok(report_problems(cx, &sources, &args.input.runbook, vec![*d]));
        }
    };
    emit(&export, args.format.format(), out, &sources)?;
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

/// Who records an event: `--by`, else `CUTOVER_BY` (read by clap), else the login name.
fn recorder(by: Option<String>) -> anyhow::Result<String> {
    let by = by
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("LOGNAME").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|b| b.trim().to_owned())
        .filter(|b| !b.is_empty());
    by.context("say who records the event with --by NAME (or set CUTOVER_BY)")
}

fn log_command(cx: &Context, args: LogArgs) -> anyhow::Result<u8> {
    let runbook = args
        .runbook
        .context("name the runbook with --runbook FILE (or set CUTOVER_RUNBOOK)")?;
    let status = args
        .status
        .context("name the status file with --status FILE (or set CUTOVER_STATUS)")?;
    let (entry, when) = match args.event {
        LogCommand::Show { format, out } => {
            return log_show(cx, &runbook, &status, format, out.as_deref());
        }
        LogCommand::Start { task, when } => (task_entry(EventKind::Start, task), when),
        LogCommand::Done { task, when } => (task_entry(EventKind::Done, task), when),
        LogCommand::Unblock { task, when } => (task_entry(EventKind::Unblock, task), when),
        LogCommand::Block { task, reason, when } => {
            let mut e = task_entry(EventKind::Block, task);
            e.reason = Some(reason);
            (e, when)
        }
        LogCommand::Remaining {
            task,
            duration,
            when,
        } => {
            let mut e = task_entry(EventKind::Remaining, task);
            e.remaining = Some(duration);
            (e, when)
        }
        LogCommand::Metric { name, value, when } => {
            anyhow::ensure!(value.is_finite(), "the reading {value} is not a number");
            let mut e = Entry::new(EventKind::Metric);
            e.metric = Some(name);
            e.value = Some(value);
            (e, when)
        }
        LogCommand::Signoff {
            id,
            signed_by,
            when,
        } => {
            let mut e = Entry::new(EventKind::Signoff);
            e.signoff = Some(id);
            e.signed_by = signed_by;
            (e, when)
        }
        LogCommand::Void { seq, reason, when } => {
            let mut e = Entry::new(EventKind::Void);
            e.void = Some(seq);
            e.reason = Some(reason);
            (e, when)
        }
    };
    let by = recorder(when.by)?;
    let mut entry = entry;
    if entry.kind == EventKind::Signoff && entry.signed_by.is_none() {
        entry.signed_by = Some(by.clone());
    }
    let recording = Recording {
        runbook,
        status: status.clone(),
        entry,
        at: when.at,
        by,
        now: now()?,
        limits: cx.limits.clone(),
    };
    match eventlog::record(&recording)? {
        Recorded::Written {
            seq,
            log,
            line,
            warnings,
            sources,
        } => {
            if !warnings.is_empty() {
                let checks = [FileCheck {
                    path: log.clone(),
                    diagnostics: warnings,
                }];
                print_problems(cx, &sources, &checks)?;
            }
            eprintln!(
                "recorded #{seq} in {}: {}",
                display(&log),
                crate::render::visible::visible(line.trim_start_matches("- "))
            );
            Ok(exit::OK)
        }
        Recorded::Refused {
            diagnostics,
            sources,
            existing,
        } => {
            let code = report_problems(cx, &sources, &status, diagnostics);
            if existing {
                eprintln!(
                    "nothing recorded: the runbook, the status file or its log has errors; fix them first"
                );
            } else {
                eprintln!("nothing recorded: the event was refused and the log is unchanged");
            }
            Ok(code)
        }
    }
}

fn task_entry(kind: EventKind, task: String) -> Entry {
    let mut e = Entry::new(kind);
    e.task = Some(task);
    e
}

fn log_show(
    cx: &Context,
    runbook: &Path,
    status: &Path,
    format: TableFormat,
    out: Option<&Path>,
) -> anyhow::Result<u8> {
    let input = Input {
        runbook: runbook.to_path_buf(),
        status: Some(status.to_path_buf()),
        as_of: None,
    };
    let (ready, sources) = match load_ready(cx, &input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let Some(log) = ready.status.as_ref().and_then(|s| s.log.as_ref()) else {
        anyhow::bail!(
            "{} names no event log: add a line `log: FILE` to it",
            display(status)
        );
    };
    let view = LogView::new(&ready.project, log);
    emit(
        &view,
        format.format(table_color(cx, out), table_width(cx, out)),
        out,
        &sources,
    )?;
    Ok(exit::OK)
}

fn board_command(cx: &Context, args: BoardArgs) -> anyhow::Result<u8> {
    if args.watch {
        return board_watch(cx, &args);
    }
    let now = now()?;
    let (ready, sources) = match load_ready_at(cx, &args.input, Some(now))? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let status = match &ready.status {
        Some(s) => s.clone(),
        None => Status::at_from(&ready.project, now, DataDateSource::Clock),
    };
    let result = match board(&ready.project, &ready.graph, status) {
        Ok(b) => b,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e)),
    };
    let out = args.out.as_deref();
    emit(
        &result,
        args.format
            .format(table_color(cx, out), table_width(cx, out)),
        out,
        &sources,
    )?;
    Ok(exit::OK)
}

#[derive(Args)]
struct CalibrateArgs {
    /// The runbook.
    #[arg(value_name = "RUNBOOK")]
    runbook: PathBuf,

    /// A status file recorded during a dress rehearsal (repeatable, in order).
    #[arg(long, value_name = "FILE", required = true)]
    rehearsal: Vec<PathBuf>,

    /// Flag a task (or workstream) that ran more than this many times its plan.
    #[arg(long, value_name = "RATIO", default_value_t = crate::calibrate::DEFAULT_OVER)]
    over: f64,

    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = SimulateFormat::Table)]
    format: SimulateFormat,

    /// Write to this file instead of standard output (`-` is standard output).
    ///
    /// Written atomically; never over a file the command read. See docs/decision.md.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,

    /// Write the suggested estimates to this file, as a scenario `calibrated` the
    /// runbook can include (written atomically; never over a file the command read).
    #[arg(long, value_name = "FILE")]
    estimates_out: Option<PathBuf>,

    /// Monte Carlo iterations on the planned and on the calibrated estimates (0: none;
    /// at most 10,000,000).
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    simulate: u32,

    /// Monte Carlo seed.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
}

/// The label of a rehearsal named by its file: `northgate-acute.dr1` from
/// `northgate-acute.dr1.status.yaml`.
fn rehearsal_stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| display(path), |n| n.to_string_lossy().into_owned());
    for suffix in [".status.yaml", ".status.yml", ".yaml", ".yml"] {
        if let Some(stem) = name.strip_suffix(suffix)
            && !stem.is_empty()
        {
            return stem.to_owned();
        }
    }
    name
}

fn calibrate_command(cx: &Context, args: CalibrateArgs) -> anyhow::Result<u8> {
    if !(args.over.is_finite() && args.over > 0.0) {
        anyhow::bail!("--over {}: give a ratio above 0, e.g. 1.5", args.over);
    }
    let input = Input {
        runbook: args.runbook.clone(),
        status: None,
        as_of: None,
    };
    let (ready, mut sources) = match load_ready(cx, &input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let mut rehearsals = Vec::new();
    let mut failed = false;
    for path in &args.rehearsal {
        let mut diagnostics = Vec::new();
        let (status, _) = pipeline::read_status(
            &ready.project,
            path,
            None,
            &cx.limits,
            &mut sources,
            &mut diagnostics,
        )?;
        if !diagnostics.is_empty() {
            check::sort(&mut diagnostics);
            let checks = [FileCheck {
                path: path.clone(),
                diagnostics,
            }];
            print_problems(cx, &sources, &checks)?;
        }
        match status {
            Some(status) => rehearsals.push(crate::calibrate::Rehearsal {
                file: display(path),
                stem: rehearsal_stem(path),
                status,
            }),
            None => failed = true,
        }
    }
    if failed {
        return Ok(exit::INVALID);
    }
    let settings = crate::calibrate::Settings {
        over: args.over,
        monte_carlo: (args.simulate > 0).then_some(Settings {
            iterations: args.simulate as usize,
            seed: args.seed,
        }),
    };
    let result =
        match crate::calibrate::calibrate(&ready.project, &ready.graph, &rehearsals, settings) {
            Ok(c) => c,
            Err(crate::calibrate::CalibrateError::Schedule(e)) => {
                return Ok(out_of_range(cx, &ready, &sources, &args.runbook, e));
            }
            Err(e) => anyhow::bail!(e),
        };
    if let Some(path) = &args.estimates_out {
        if args.out.as_deref() == Some(path.as_path()) && path.as_os_str() != "-" {
            anyhow::bail!("--estimates-out and -o name the same file: give each its own");
        }
        if output::Target::of(Some(path)) == output::Target::Stdout
            && output::Target::of(args.out.as_deref()) == output::Target::Stdout
        {
            anyhow::bail!(
                "--estimates-out -: the calibration already goes to standard output; give -o FILE or an estimates file"
            );
        }
        emit(
            &crate::render::calibrate::EstimatesFile(&result),
            Format::Yaml,
            Some(path),
            &sources,
        )?;
    }
    let out = args.out.as_deref();
    emit(
        &result,
        args.format
            .format(table_color(cx, out), table_width(cx, out)),
        out,
        &sources,
    )?;
    Ok(exit::OK)
}
fn update_command(cx: &Context, args: UpdateArgs) -> anyhow::Result<u8> {
    let now = now()?;
    let (ready, sources) = match load_ready_at(cx, &args.input, Some(now))? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let status = match &ready.status {
        Some(s) => s.clone(),
        None => Status::at_from(&ready.project, now, DataDateSource::Clock),
    };
    let since = match &args.since {
        None => None,
        Some(text) => {
            let at = eventlog::parse_at(text, status.as_of, &ready.project.tz)
                .map_err(|e| anyhow::anyhow!("--since {text}: {e}"))?;
            anyhow::ensure!(
                at <= status.as_of,
                "--since {text}: that is after the time of the update ({}); give the last update's time",
                crate::time::local_label(status.as_of, &ready.project.tz)
            );
            Some(at)
        }
    };
    let result = match update(&ready.project, &ready.graph, status, since) {
        Ok(u) => u,
        Err(e) => return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e)),
    };
    emit(&result, args.format.format(), args.out.as_deref(), &sources)?;
    Ok(exit::OK)
}

fn runsheet_command(cx: &Context, args: RunsheetArgs) -> anyhow::Result<u8> {
    let (ready, sources) = match load_ready(cx, &args.input)? {
        Ok(r) => r,
        Err(code) => return Ok(code),
    };
    let filter = Filter {
        workstreams: args.workstream,
        owners: args.owner,
        tags: args.tag,
        ..Filter::default()
    };
    check_filter(&ready.project, &filter)?;
    let bound = |flag: &str, text: &Option<String>| -> anyhow::Result<Option<Moment>> {
        text.as_deref()
            .map(|t| {
                crate::runsheet::parse_bound(t, &ready.project)
                    .map_err(|e| anyhow::anyhow!("--{flag} {t}: {e}"))
            })
            .transpose()
    };
    let options = crate::runsheet::Options {
        from: bound("from", &args.from)?,
        to: bound("to", &args.to)?,
        filter,
    };
    let sheet = match crate::runsheet::runsheet(
        &ready.project,
        &ready.graph,
        ready.status.as_ref(),
        &options,
    ) {
        Ok(s) => s,
        Err(crate::runsheet::RunsheetError::Schedule(e)) => {
            return Ok(out_of_range(cx, &ready, &sources, &args.input.runbook, e));
        }
        Err(e) => return Err(e.into()),
    };
    emit(&sheet, args.format.format(), args.out.as_deref(), &sources)?;
    Ok(exit::OK)
}

/// `board --watch`: draws a frame, then waits for a change to a file the board read
/// (the runbook and its includes, the status file, its event log) or for `--every`
/// seconds, and draws again, until stopped. On a terminal each frame replaces the last
/// (clear screen, cursor home); to a pipe or file, frames follow each other after a
/// separating line. It writes no file, so stopping it (Ctrl-C, a kill) leaves nothing.
fn board_watch(cx: &Context, args: &BoardArgs) -> anyhow::Result<u8> {
    use notify::Watcher as _;
    let terminal = std::io::stdout().is_terminal();
    let format = args
        .format
        .format(table_color(cx, None), table_width(cx, None));
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver only goes when the loop ends; nothing to do then.
        let _ = tx.send(event);
    })
    .context("cannot watch the files for changes")?;
    let mut watched_dirs: Vec<PathBuf> = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let every = std::time::Duration::from_secs(args.every);
    let mut why = None;
    let mut kept = None;
    loop {
        let (frame, read) = board_frame(cx, &args.input, format, &mut kept)?;
        // Watch the folders (an atomic write replaces a file, and a watch on the file
        // itself would end with it), and note the files that matter in them.
        for path in read {
            let path = std::path::absolute(&path).unwrap_or(path);
            let dir = path
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
            if !watched_dirs.contains(&dir) {
                watcher
                    .watch(&dir, notify::RecursiveMode::NonRecursive)
                    .with_context(|| format!("cannot watch {}", display(&dir)))?;
                watched_dirs.push(dir);
            }
            if !files.contains(&path) {
                files.push(path);
            }
        }
        let mut bytes = Vec::new();
        match (terminal, why) {
            (true, _) => bytes.extend_from_slice(b"\x1b[2J\x1b[H"),
            (false, Some(why)) => {
                bytes.extend_from_slice(format!("\n----- redrawn: {why} -----\n\n").as_bytes());
            }
            (false, None) => {}
        }
        bytes.extend_from_slice(&frame);
        print_stdout(&bytes)?;
        why = Some(wait_for_change(&rx, &files, every));
    }
}

/// One frame of the board as of the clock now, and the files it read. When the files
/// have errors (a status file saved half-edited), the errors go to standard error and
/// the frame says so: the watch goes on until they are fixed. The runbook is kept in
/// `kept` between frames and read again only when one of its files has changed, so a
/// change to the status file or the event log re-reads only them.
fn board_frame(
    cx: &Context,
    input: &Input,
    format: Format,
    kept: &mut Option<KeptRunbook>,
) -> anyhow::Result<(Vec<u8>, Vec<PathBuf>)> {
    let now = now()?;
    let mut read = vec![input.runbook.clone()];
    read.extend(input.status.clone());
    let waiting = b"The board cannot be drawn: the files have errors (on standard error). \
                    Waiting for them to be fixed.\n"
        .to_vec();
    let request = Request {
        runbook: input.runbook.clone(),
        status: input.status.clone(),
        as_of: input.as_of.clone(),
        now: Some(now),
        limits: cx.limits.clone(),
    };
    if !kept.as_ref().is_some_and(KeptRunbook::unchanged) {
        *kept = None;
        match KeptRunbook::read(&request)? {
            Ok(runbook) => {
                let warnings = runbook.diagnostics.len();
                if warnings > 0 {
                    eprintln!(
                        "note: {warnings} {} in {}; `cutover validate` lists them",
                        if warnings == 1 { "warning" } else { "warnings" },
                        display(&input.runbook)
                    );
                }
                *kept = Some(runbook);
            }
            Err(prepared) => {
                read.extend(prepared.sources.iter().map(|(_, f)| f.path.clone()));
                report_problems(cx, &prepared.sources, &input.runbook, prepared.diagnostics);
                return Ok((waiting, read));
            }
        }
    }
    let Some(runbook) = kept.as_ref() else {
        return Ok((waiting, read));
    };
    let restated = runbook.status(&request)?;
    read.extend(restated.sources.iter().map(|(_, f)| f.path.clone()));
    // The event log, even before its first event creates it.
    read.extend(
        restated
            .status
            .as_ref()
            .and_then(|s| s.log.as_ref())
            .map(|l| l.path.clone()),
    );
    let Restated {
        sources,
        diagnostics,
        status,
        ..
    } = restated;
    let status = match (status, &input.status) {
        (Some(s), _) => s,
        (None, Some(path)) => {
            report_problems(cx, &sources, path, diagnostics);
            return Ok((waiting, read));
        }
        (None, None) => Status::at_from(&runbook.project, now, DataDateSource::Clock),
    };
    if let (Some(path), false) = (&input.status, diagnostics.is_empty()) {
        let checks = [FileCheck {
            path: path.clone(),
            diagnostics,
        }];
        print_problems(cx, &sources, &checks)?;
    }
    let bytes = match board(&runbook.project, &runbook.graph, status) {
        Ok(b) => b.to_bytes(format)?,
        Err(e) => {
            let problem = vec![e.diagnostic(&runbook.project)];
            report_problems(cx, &sources, &input.runbook, problem);
            b"The board cannot be drawn: the plan runs outside its dates (on standard error).\n"
                .to_vec()
        }
    };
    Ok((bytes, read))
}

/// A file was written, created, renamed or removed (not read, nor its times touched).
fn is_change(kind: notify::EventKind) -> bool {
    use notify::EventKind::{Create, Modify, Remove};
    use notify::event::ModifyKind;
    matches!(kind, Create(_) | Remove(_))
        || matches!(kind, Modify(m) if !matches!(m, ModifyKind::Metadata(_)))
}

/// Waits until one of `files` changes (then a moment more, so that a burst of writes
/// gives one redraw) or `every` passes; says which.
fn wait_for_change(
    rx: &std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
    files: &[PathBuf],
    every: std::time::Duration,
) -> String {
    use std::sync::mpsc::RecvTimeoutError;
    let deadline = std::time::Instant::now() + every;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            // Reading the files (each frame does) gives access events: only a
            // change counts.
            Ok(Ok(event))
                if is_change(event.kind) && event.paths.iter().any(|p| files.contains(p)) =>
            {
                std::thread::sleep(std::time::Duration::from_millis(150));
                while rx.try_recv().is_ok() {}
                return "a file changed".to_owned();
            }
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => return format!("every {}s", every.as_secs()),
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(left);
                return format!("every {}s", every.as_secs());
            }
        }
    }
}
