//! `cutover lint`: schedule-quality checks adapted to cutover runbooks, after DCMA's
//! 14-point assessment (missing logic, leads, lags, relationship types, hard
//! constraints, high and negative float) and a cutover lead's own (long tasks in the
//! window, points of no return without a rehearsed rollback, metrics never read,
//! milestones nobody waits for, workstreams without a lead).
//!
//! Each check has a stable code in its own code space (`L001`...; validation codes are
//! `E`/`W`), a default level and thresholds. The runbook's `lint:` section and a
//! `cutover.toml` at the repository root tune them ([`config`]); a comment at a task
//! waives a check for it ([`waiver`]). The rules, and why each matters, are in
//! `docs/lint.md`.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::{self, FileCheck};
use crate::diagnostic::Diagnostic;
use crate::graph::TaskGraph;
use crate::load::{self, Limits, ReadError};
use crate::model::runbook::Runbook;
use crate::plan::{Filter, Plan, plan};
use crate::project::Project;
use crate::source::{Origin, Sources};
use crate::status::{self, Status};
use crate::time::{Stamp, parse_instant};
use crate::validate::validate;

pub mod config;
mod rules;
pub mod waiver;

/// How much a finding matters, least first. `--fail-level` names the lowest level
/// that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing; fails only with `--fail-level note`.
    Note,
    /// Fails the run by default.
    Warning,
    /// Always fails the run.
    Error,
}

impl Level {
    /// The word a user types: `note`, `warning`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Note => "note",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// Reads `error`, `warning` or `note`.
    pub fn parse(word: &str) -> Option<Level> {
        match word {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "note" => Some(Level::Note),
            _ => None,
        }
    }
}

/// What a check's threshold is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    /// A duration, on the calendar of the task concerned.
    Duration(&'static str),
    /// A tag.
    Tag(&'static str),
}

macro_rules! checks {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $name:literal, $level:ident,
        $param:expr, $share:expr, $counted:literal, $title:literal), )*) => {
        /// A lint check. Codes never change meaning; new ones are added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Check {
            $( $(#[$doc])* $variant, )*
        }

        impl Check {
            /// Every check, in code order (for documentation, SARIF rules and tests).
            pub const ALL: &'static [Check] = &[$(Check::$variant),*];

            /// The code, e.g. `L003`.
            pub fn code(self) -> &'static str {
                match self { $(Check::$variant => $code,)* }
            }

            /// The kebab-case name, e.g. `long-lag`.
            pub fn name(self) -> &'static str {
                match self { $(Check::$variant => $name,)* }
            }

            /// The level of its findings unless settings change it.
            pub fn default_level(self) -> Level {
                match self { $(Check::$variant => Level::$level,)* }
            }

            /// The threshold it compares with, if any, as written by default.
            pub fn default_param(self) -> Option<Param> {
                match self { $(Check::$variant => $param,)* }
            }

            /// The share of items tolerated before the check fails (percent), if any.
            pub fn default_max_share(self) -> Option<f64> {
                match self { $(Check::$variant => $share,)* }
            }

            /// What the share is a share of (`tasks`, `links`...).
            pub fn counted(self) -> &'static str {
                match self { $(Check::$variant => $counted,)* }
            }

            /// One line: what the check finds.
            pub fn title(self) -> &'static str {
                match self { $(Check::$variant => $title,)* }
            }
        }
    };
}

checks! {
    /// A `lint:` setting or `cutover.toml` entry that cannot be read.
    Setting = ("L000", "lint-setting", Error, None, None, "settings",
        "A lint setting that cannot be read"),
    /// A task with no predecessor or no successor (milestones are exempt).
    MissingLogic = ("L001", "missing-logic", Warning, None, Some(5.0), "tasks",
        "Tasks with no predecessor or no successor"),
    /// A link with a negative lag.
    Lead = ("L002", "lead", Warning, None, None, "links",
        "Links with a negative lag (a lead)"),
    /// A link with a lag longer than the threshold.
    LongLag = ("L003", "long-lag", Warning, Some(Param::Duration("5d")), None, "links",
        "Links with a lag longer than the threshold"),
    /// Start-to-start, finish-to-finish and start-to-finish links over a share.
    NonFinishToStart = ("L004", "non-fs-links", Warning, None, Some(10.0), "links",
        "Links other than finish-to-start"),
    /// Tasks with `not_before` or `deadline` over a share.
    HardConstraints = ("L005", "hard-constraints", Warning, None, Some(5.0), "tasks",
        "Tasks with a date constraint (`not_before`, `deadline`)"),
    /// Tasks whose total float exceeds the threshold.
    HighFloat = ("L006", "high-float", Warning, Some(Param::Duration("44d")), Some(5.0),
        "unfinished tasks", "Tasks with total float over the threshold"),
    /// Tasks with negative total float.
    NegativeFloat = ("L007", "negative-float", Error, None, None, "unfinished tasks",
        "Tasks with negative total float"),
    /// A task in the cutover window longer than the threshold.
    LongWindowTask = ("L008", "long-window-task", Warning, Some(Param::Duration("4h")), None,
        "tasks in the window", "Tasks in the cutover window longer than the threshold"),
    /// A point of no return without `rollback`.
    NoRollback = ("L009", "no-rollback", Error, None, None, "points of no return",
        "Points of no return without a rollback time"),
    /// A point of no return with no rollback rehearsal before it.
    UnrehearsedRollback = ("L010", "unrehearsed-rollback", Warning,
        Some(Param::Tag("rollback-rehearsal")), None, "points of no return",
        "Points of no return with no rollback rehearsal before them"),
    /// A gate criterion whose metric has never had a reading.
    MetricNeverRead = ("L011", "metric-never-read", Warning, None, None, "metric criteria",
        "Gate criteria whose metric has never had a reading"),
    /// A milestone with an owner that no task waits for.
    OwnedMilestoneWithoutSuccessor = ("L012", "owned-milestone-without-successor", Warning,
        None, None, "milestones", "Milestones with an owner but no successor"),
    /// A workstream without a `lead`.
    WorkstreamWithoutLead = ("L013", "workstream-without-lead", Warning, None, None,
        "workstreams", "Workstreams with no lead"),
    /// A waiver comment that names no known check or gives no reason.
    InvalidWaiver = ("L090", "invalid-waiver", Warning, None, None, "waivers",
        "Waiver comments that cannot be applied"),
    /// A waiver comment that waives nothing.
    UnusedWaiver = ("L091", "unused-waiver", Note, None, None, "waivers",
        "Waiver comments that waive nothing"),
}

impl Check {
    /// Finds a check by code (`L003`, any case) or name (`long-lag`).
    pub fn find(word: &str) -> Option<Check> {
        Check::ALL
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(word) || c.name() == word)
    }

    /// Checks of the schedule (listed in the summary), not of lint's own settings.
    pub fn is_schedule_check(self) -> bool {
        !matches!(
            self,
            Check::Setting | Check::InvalidWaiver | Check::UnusedWaiver
        )
    }

    /// May a comment waive it?
    pub fn waivable(self) -> bool {
        self.is_schedule_check()
    }
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The check's code, e.g. `L003`.
    pub code: Check,
    /// The check's name, e.g. `long-lag`.
    pub name: &'static str,
    /// Its level after settings (a check within its tolerated share gives notes).
    pub level: Level,
    /// The file, as named on the command line or in an `include:`.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix or waive it (most checks give the same words every time: not copied).
    pub help: Option<Cow<'static, str>>,
    /// The task, workstream or gate it is about.
    pub subject: Option<String>,
    /// Why it is accepted, when a comment waives it.
    pub waived: Option<String>,
    /// Where it is, for quoting the source (not serialised; `file`, `line` and `col`
    /// say the same).
    #[serde(skip)]
    pub origin: Option<Origin>,
    /// The item a waiver comment must be at to waive it.
    #[serde(skip)]
    pub(crate) anchor: Option<Anchor>,
}

/// The item a finding is about, where a waiver comment is looked for: a mapping (a
/// task, a gate criterion), whose lines are as indented as its first key, or a key (a
/// workstream), whose lines are indented further.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Anchor {
    pub origin: Origin,
    pub key: bool,
}

/// Whether a check passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// No finding, or a share within the tolerated one.
    Pass,
    /// More findings than tolerated.
    Fail,
    /// Turned off in the settings.
    Off,
    /// It needs something the run did not have (a status file, a window).
    NotRun,
}

impl Outcome {
    /// As the summary table writes it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Off => "off",
            Outcome::NotRun => "not run",
        }
    }
}

/// One row of the summary table: a check, its thresholds, its count and share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckSummary {
    /// The check's code, e.g. `L003`.
    pub code: Check,
    /// The check's name, e.g. `long-lag`.
    pub name: &'static str,
    /// What it checks, in a few words.
    pub title: &'static str,
    /// The level its findings have when it fails.
    pub level: Level,
    /// The threshold, as written (`5d`, `rollback-rehearsal`), if the check has one.
    pub threshold: Option<String>,
    /// The share tolerated, in percent; none means any finding fails the check.
    pub max_share: Option<f64>,
    /// Where the settings came from: `default`, `cutover.toml` or `runbook`.
    pub settings_from: &'static str,
    /// What is counted (`tasks`, `links`...), and how many there are.
    pub counted: &'static str,
    /// How many of them there are.
    pub population: usize,
    /// Findings not waived.
    pub count: usize,
    /// `count` as a percentage of `population` (0 when there are none).
    pub share: f64,
    /// Findings a comment waives.
    pub waived: usize,
    /// Pass, fail, off or not run.
    pub outcome: Outcome,
    /// Why a check did not run.
    pub note: Option<String>,
}

/// `cutover lint` on one runbook.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookLint {
    /// The runbook file.
    pub path: PathBuf,
    /// The runbook's name.
    pub runbook: String,
    /// The `cutover.toml` read, if any.
    pub config: Option<PathBuf>,
    /// The data date the plan was scheduled from, if any.
    pub data_date: Option<Stamp>,
    /// One row per check.
    pub summary: Vec<CheckSummary>,
    /// Every finding, waived ones included, by file and position.
    pub findings: Vec<Finding>,
}

/// Counts of findings not waived, by level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Errors not waived.
    pub errors: usize,
    /// Warnings not waived.
    pub warnings: usize,
    /// Notes not waived.
    pub notes: usize,
    /// Findings a comment waives, at any level.
    pub waived: usize,
}

/// What `cutover lint` computes: every runbook's findings and summary.
#[derive(Debug, Clone, Serialize)]
pub struct Lint {
    /// The lowest level that fails the run.
    pub fail_level: Level,
    /// A finding at or above `fail_level`, not waived, exists.
    pub failed: bool,
    /// Counts over every runbook.
    pub totals: Totals,
    /// Each runbook linted.
    pub runbooks: Vec<RunbookLint>,
    /// The text of every file read, for quoting findings (not serialised).
    #[serde(skip)]
    pub sources: Sources,
}

/// What to lint and how.
#[derive(Debug, Clone)]
pub struct Request {
    /// Runbook files, directories or globs, as `validate` takes them.
    pub paths: Vec<String>,
    /// A status file (one runbook only): metric readings for `metric-never-read`, and
    /// float from the data date.
    pub status: Option<PathBuf>,
    /// A data date, as written on the command line.
    pub as_of: Option<String>,
    /// The lowest level that fails the run.
    pub fail_level: Level,
    /// Safety limits on input.
    pub limits: Limits,
}

/// Why `lint` could not run at all (a usage or I/O problem, exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// A path, directory or glob named no readable runbook.
    #[error("{0}")]
    Discover(String),
    /// A runbook or the status file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// `--status` with more than one runbook.
    #[error("--status goes with one runbook; {0} were given")]
    StatusWithMany(usize),
    /// `--as-of` is not an instant.
    #[error("--as-of: {0}")]
    AsOf(String),
    /// A `cutover.toml` could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// Why the operating system could not read it.
        #[source]
        source: std::io::Error,
    },
}

/// The lint, or the runbooks that did not validate (with their sources for quoting).
#[derive(Debug)]
pub enum Linted {
    /// Every runbook validated and was linted.
    Done(Lint),
    /// Some runbooks have errors; nothing was linted.
    Invalid {
        /// The texts read.
        sources: Sources,
        /// The problems, per runbook.
        checks: Vec<FileCheck>,
    },
}

/// A runbook loaded, validated and scheduled, with its model kept for positions.
pub(crate) struct Subject<'a> {
    pub model: &'a Runbook,
    pub project: &'a Project,
    pub graph: &'a TaskGraph,
    pub plan: &'a Plan<'a>,
    pub status: Option<&'a Status>,
    pub sources: &'a Sources,
}

/// Runs every check on every runbook of `request`.
pub fn lint(request: &Request) -> Result<Linted, LintError> {
    let discovered =
        check::discover(&request.paths).map_err(|e| LintError::Discover(e.to_string()))?;
    if request.status.is_some() && discovered.files.len() > 1 {
        return Err(LintError::StatusWithMany(discovered.files.len()));
    }
    let mut sources = Sources::default();
    let mut loaded = Vec::new();
    for (path, from_directory) in &discovered.files {
        let first = sources.len();
        let result = load::load_runbook(path, &mut sources, &request.limits)?;
        let files: Vec<PathBuf> = sources
            .iter()
            .skip(first)
            .map(|(_, f)| f.path.clone())
            .collect();
        loaded.push((path.clone(), *from_directory, files, result));
    }
    let skip = check::included_elsewhere(
        &loaded
            .iter()
            .map(|(_, from_directory, files, _)| (*from_directory, files.as_slice()))
            .collect::<Vec<_>>(),
    );
    let mut invalid = Vec::new();
    let mut runbooks = Vec::new();
    for ((path, _, _, result), skip) in loaded.into_iter().zip(skip) {
        if skip {
            continue;
        }
        let mut diagnostics = result.diagnostics;
        let Some(model) = result.runbook else {
            check::sort(&mut diagnostics);
            invalid.push(FileCheck { path, diagnostics });
            continue;
        };
        let validated = validate(&model);
        diagnostics.extend(validated.diagnostics);
        let (Some(project), Some(graph)) = (validated.project, validated.graph) else {
            check::sort(&mut diagnostics);
            invalid.push(FileCheck { path, diagnostics });
            continue;
        };
        match lint_one(request, &path, &model, &project, &graph, &mut sources)? {
            Ok(one) => runbooks.push(one),
            Err(diagnostics) => invalid.push(FileCheck { path, diagnostics }),
        }
        let tasks = project.tasks.len();
        crate::background::drop_large((model, project, graph), tasks);
    }
    if !invalid.is_empty() {
        return Ok(Linted::Invalid {
            sources,
            checks: invalid,
        });
    }
    let mut totals = Totals::default();
    for f in runbooks.iter().flat_map(|r| &r.findings) {
        match (f.waived.is_some(), f.level) {
            (true, _) => totals.waived += 1,
            (false, Level::Error) => totals.errors += 1,
            (false, Level::Warning) => totals.warnings += 1,
            (false, Level::Note) => totals.notes += 1,
        }
    }
    let failed = runbooks
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.waived.is_none() && f.level >= request.fail_level);
    Ok(Linted::Done(Lint {
        fail_level: request.fail_level,
        failed,
        totals,
        runbooks,
        sources,
    }))
}

/// Lints one valid runbook; a status file with errors comes back as diagnostics.
fn lint_one(
    request: &Request,
    path: &Path,
    model: &Runbook,
    project: &Project,
    graph: &TaskGraph,
    sources: &mut Sources,
) -> Result<Result<RunbookLint, Vec<Diagnostic>>, LintError> {
    let as_of = match &request.as_of {
        Some(text) => Some(
            parse_instant(text, &project.tz)
                .map_err(|e| LintError::AsOf(format!("{} ({})", e.message, e.help)))?,
        ),
        None => None,
    };
    let status = match &request.status {
        Some(status_path) => {
            let (file, problem) = load::load_status(status_path, sources, &request.limits)?;
            let id = crate::source::FileId(sources.len().saturating_sub(1) as u32);
            let mut diagnostics: Vec<Diagnostic> = problem.into_iter().collect();
            let resolved = file.and_then(|file| {
                let (status, problems) = status::resolve(
                    project,
                    &file,
                    id,
                    as_of.map(|m| (m, status::DataDateSource::AsOf)),
                    None,
                );
                diagnostics.extend(problems);
                status
            });
            match resolved {
                Some(s) => Some(s),
                None => return Ok(Err(diagnostics)),
            }
        }
        None => as_of.map(|a| Status::at(project, a)),
    };
    let plan = match plan(project, graph, status.as_ref(), &Filter::default()) {
        Ok(p) => p,
        Err(e) => return Ok(Err(vec![e.diagnostic(project)])),
    };
    let config_path = config::find_file(path);
    let config_file = match &config_path {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .map(|text| sources.add(p.clone(), text))
                .map_err(|source| LintError::Config {
                    path: p.clone(),
                    source,
                })?,
        ),
        None => None,
    };
    let (settings, mut findings) = config::settings(model, config_file, sources);
    let subject = Subject {
        model,
        project,
        graph,
        plan: &plan,
        status: status.as_ref(),
        sources,
    };
    let counted = rules::run(&subject, &settings, &mut findings);
    let waivers = waiver::collect(model, sources);
    waiver::apply(&waivers, &settings, sources, &mut findings);
    let summary = rules::summarise(&settings, &counted, &mut findings);
    sort_findings(&mut findings);
    Ok(Ok(RunbookLint {
        path: path.to_path_buf(),
        runbook: project.name.clone(),
        config: config_path,
        data_date: status.map(|s| Stamp::new(s.as_of, &project.tz)),
        summary,
        findings,
    }))
}

/// Orders findings by file, line, column, code and message. The few files are ranked
/// once, so that 100,000 findings do not compare paths component by component.
fn sort_findings(findings: &mut Vec<Finding>) {
    let mut files: Vec<&Path> = findings
        .iter()
        .map(|f| f.file.as_path())
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    files.sort();
    let rank: std::collections::HashMap<PathBuf, usize> = files
        .into_iter()
        .enumerate()
        .map(|(i, f)| (f.to_path_buf(), i))
        .collect();
    let mut ranked: Vec<(usize, Finding)> = findings
        .drain(..)
        .map(|f| (rank.get(&f.file).copied().unwrap_or(usize::MAX), f))
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| {
        (ra, a.line, a.col, a.code, &a.message).cmp(&(rb, b.line, b.col, b.code, &b.message))
    });
    findings.extend(ranked.into_iter().map(|(_, f)| f));
}

/// A finding of `check` at `origin`, with the file and position resolved.
pub(crate) fn finding(
    sources: &Sources,
    check: Check,
    level: Level,
    origin: Origin,
    subject: Option<&str>,
    message: String,
    help: Option<Cow<'static, str>>,
) -> Finding {
    Finding {
        code: check,
        name: check.name(),
        level,
        file: sources.path(origin.file).to_path_buf(),
        line: origin.span.line.max(1),
        col: origin.span.col.max(1),
        message,
        help,
        subject: subject.map(str::to_owned),
        waived: None,
        origin: Some(origin),
        anchor: None,
    }
}
