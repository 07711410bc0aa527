//! The status file resolved against a project: actuals by task, metric readings in
//! time order, sign-offs. Problems come back as diagnostics like the runbook's.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic, STATUS_SUGGESTION_BUDGET, shorten, suggestion};
use crate::model::event::Event;
use crate::model::status::{MetricValue, RunKind, StatusFile};
use crate::model::{Located, Text};
use crate::project::{CriterionKind, LinkType, Project, TaskId};
use crate::schedule::{Actual, Progress, overdue_remaining};
use crate::source::{FileId, Origin, Span};
use crate::time::{
    HORIZON_YEARS, Moment, date_without_time, local_label, parse_duration, parse_instant,
    parse_instant_as_written,
};

pub mod events;

pub use events::{LoggedEvent, What};

/// One reading of a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// When the reading was taken (the data date, for a single number).
    pub at: Moment,
    /// The reading, in the metric's own units.
    pub value: f64,
}

/// A recorded sign-off.
#[derive(Debug, Clone, PartialEq)]
pub struct Signoff {
    /// Who signed, as the status file says (`Dr Amara Khan (CSO)`), if given.
    pub by: Option<String>,
    /// When they signed, if given.
    pub at: Option<Moment>,
}

/// Where the data date came from: every output that depends on it says so.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DataDateSource {
    /// The status file's `as_of`.
    StatusFile,
    /// `--as-of` on the command line.
    #[default]
    AsOf,
    /// Neither was given: the clock when the command ran (or `CUTOVER_NOW`); the live
    /// commands (`board`, `update`) always judge as of the clock unless given `--as-of`.
    Clock,
    /// The status file's event log: its last event was recorded after the file's `as_of`.
    Log,
}

impl DataDateSource {
    /// In a sentence: "from the status file".
    pub fn label(self) -> &'static str {
        match self {
            DataDateSource::StatusFile => "from the status file",
            DataDateSource::AsOf => "from --as-of",
            DataDateSource::Clock => "the clock: no status file or --as-of was given",
            DataDateSource::Log => "from the event log: its last event was recorded then",
        }
    }

    /// The JSON value: `status_file`, `as_of`, `clock`.
    pub fn name(self) -> &'static str {
        match self {
            DataDateSource::StatusFile => "status_file",
            DataDateSource::AsOf => "as_of",
            DataDateSource::Clock => "clock",
            DataDateSource::Log => "log",
        }
    }
}

/// What has happened so far, as of a data date.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// The data date: `--as-of` if given, else the status file's `as_of`.
    pub as_of: Moment,
    /// Where `as_of` came from.
    pub source: DataDateSource,
    /// Actuals indexed by task.
    pub progress: Progress,
    /// Why a task cannot progress, by task.
    pub blocked: HashMap<TaskId, String>,
    /// Readings by metric name, oldest first.
    pub metrics: HashMap<String, Vec<Reading>>,
    /// Who signed each sign-off, by its id (`dcb0160-safety-case`).
    pub signoffs: HashMap<String, Signoff>,
    /// The status file, if one was read (not with `--as-of` alone).
    pub origin: Option<FileId>,
    /// The run the status file says it describes (`run:`), if it says.
    pub run: Option<Run>,
    /// The event log the status file names (`log:`), with every event read from it.
    pub log: Option<Log>,
}

/// Which run a status describes: the live cutover or a dress rehearsal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Live or rehearsal.
    pub kind: RunKind,
    /// The run's name (`DR2`), if given.
    pub name: Option<String>,
}

impl Run {
    /// For headers: `REHEARSAL DR2: not the live run` or `LIVE`.
    pub fn label(&self) -> String {
        match (self.kind, &self.name) {
            (RunKind::Rehearsal, Some(n)) => format!("REHEARSAL {n}: not the live run"),
            (RunKind::Rehearsal, None) => "REHEARSAL: not the live run".to_owned(),
            (RunKind::Live, Some(n)) => format!("LIVE ({n})"),
            (RunKind::Live, None) => "LIVE".to_owned(),
        }
    }

    /// `rehearsal` or `live`.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            RunKind::Rehearsal => "rehearsal",
            RunKind::Live => "live",
        }
    }

    /// A dress rehearsal, not the live run.
    pub fn is_rehearsal(&self) -> bool {
        self.kind == RunKind::Rehearsal
    }
}

/// Which run an output describes, as `board`, `update` and `report` show it when the
/// status file says (`rehearsal:` or `run:`): every output of a rehearsal says so, so
/// that its NO-GO is never taken for the live one. A status file that names no run is
/// not a rehearsal, and nothing is shown.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RunInfo {
    /// `live` or `rehearsal`.
    pub kind: &'static str,
    /// The run's name (`DR2`), if given.
    pub name: Option<String>,
    /// For people: `REHEARSAL DR2: not the live run`, `LIVE`.
    #[serde(skip)]
    pub label: String,
}

impl RunInfo {
    /// The run `status` says it describes; `None` when it does not say.
    pub fn of(status: &Status) -> Option<RunInfo> {
        status.run.as_ref().map(|run| RunInfo {
            kind: run.kind_name(),
            name: run.name.clone(),
            label: run.label(),
        })
    }

    /// A dress rehearsal, not the live run.
    pub fn is_rehearsal(&self) -> bool {
        self.kind == "rehearsal"
    }
}

/// An event log named by a status file.
#[derive(Debug, Clone, Default)]
pub struct Log {
    /// Where it is (the status file's `log:` resolved against the status file's folder).
    pub path: PathBuf,
    /// The log among the sources, when it exists.
    pub file: Option<FileId>,
    /// Every event read, in log order, marked when voided or left out.
    pub events: Vec<LoggedEvent>,
}

impl Log {
    /// The last event recorded (by `recorded_at`) that counts, if any.
    pub fn last(&self) -> Option<&LoggedEvent> {
        self.events
            .iter()
            .filter(|e| !e.left_out)
            .max_by_key(|e| (e.recorded_at, e.seq))
    }
}

/// An event log as read, for [`resolve`].
#[derive(Debug, Clone, Copy)]
pub struct LogInput<'a> {
    /// The log's path.
    pub path: &'a std::path::Path,
    /// The log among the sources, when it exists.
    pub file: Option<FileId>,
    /// Its events as written.
    pub events: &'a [crate::model::Located<Event>],
}

impl Status {
    /// A status with only a data date (`--as-of` without a status file).
    pub fn at(project: &Project, as_of: Moment) -> Status {
        Status::at_from(project, as_of, DataDateSource::AsOf)
    }

    /// A status with only a data date, from `source`.
    pub fn at_from(project: &Project, as_of: Moment, source: DataDateSource) -> Status {
        Status {
            as_of,
            source,
            progress: Progress {
                as_of: Some(as_of),
                actuals: vec![Actual::default(); project.tasks.len()],
            },
            ..Default::default()
        }
    }

    /// The latest reading of `metric` at or before the data date.
    pub fn latest(&self, metric: &str) -> Option<Reading> {
        self.metrics.get(metric).and_then(|r| r.last().copied())
    }
}

/// Checks a status file without its runbook (`cutover validate x.status.yaml` when no
/// runbook is found): the data date is given, and every instant and duration reads.
/// Instants are read as UTC here, which is enough to know they are instants; task
/// ids, metrics, sign-offs, the plan's horizon and the event log need the runbook.
pub fn check_alone(file: &StatusFile, file_id: FileId) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let here = |span: Span| Origin {
        file: file_id,
        span,
    };
    let utc = jiff::tz::TimeZone::UTC;
    let mut check = |text: &Text, date_ok: bool| match parse_instant_as_written(&text.value, &utc) {
        Ok((_, true)) if !date_ok => diagnostics.push(
            Diagnostic::at(
                Code::DateWithoutTime,
                here(text.span),
                format!(
                    "`{}` has no time of day, so it is read as midnight at the start of the day",
                    text.value.trim()
                ),
            )
            .with_label("read as 00:00")
            .with_help(date_without_time(&text.value, Moment(0), &utc).1),
        ),
        Ok(_) => {}
        Err(e) => diagnostics.push(
            Diagnostic::at(Code::InvalidInstant, here(text.span), e.message).with_help(e.help),
        ),
    };
    if let Some(t) = &file.as_of {
        check(t, false);
    }
    for (_, entry) in file.tasks.iter() {
        for t in [&entry.value.started, &entry.value.finished]
            .into_iter()
            .flatten()
        {
            check(t, false);
        }
    }
    for (_, value) in file.metrics.iter() {
        if let MetricValue::History(list) = &value.value {
            for r in list {
                check(&r.value.at, true);
            }
        }
    }
    for (_, value) in file.signoffs.iter() {
        if let Some(t) = &value.value.at {
            check(t, false);
        }
    }
    if file.as_of.is_none() {
        diagnostics.push(
            Diagnostic::at(
                Code::MissingField,
                here(Span::default()),
                "missing field `as_of`",
            )
            .with_help("the data date the status describes, e.g. `as_of: 2027-02-19T17:00`"),
        );
    }
    for (_, entry) in file.tasks.iter() {
        if let Some(text) = &entry.value.remaining
            && let Err(err) = parse_duration(&text.value)
        {
            diagnostics.push(
                Diagnostic::at(Code::InvalidDuration, here(text.span), err.message)
                    .with_help(err.help),
            );
        }
    }
    diagnostics
}

/// Where `at` falls outside the plan's horizon ([`crate::time::Horizon`]), in words.
fn outside_horizon(project: &Project, at: Moment) -> Option<String> {
    let (h, tz) = (project.horizon, &project.tz);
    if at < h.from {
        Some(format!(
            "before the plan's horizon, which begins {} ({HORIZON_YEARS} years before its start)",
            local_label(h.from, tz)
        ))
    } else if at > h.until {
        Some(format!(
            "after the plan's horizon, which ends {} ({HORIZON_YEARS} years after go-live)",
            local_label(h.until, tz)
        ))
    } else {
        None
    }
}

/// Reads a data date given on the command line (`--as-of`): an instant as
/// [`parse_instant`] reads it, inside the plan's horizon.
pub fn parse_data_date(text: &str, project: &Project) -> Result<Moment, String> {
    let at = parse_instant(text, &project.tz).map_err(|e| format!("{} ({})", e.message, e.help))?;
    match outside_horizon(project, at) {
        Some(problem) => Err(format!("`{text}` is {problem}")),
        None => Ok(at),
    }
}

/// Resolves `file` (read as `file_id`) and its event log against `project`. `as_of`
/// (with where it came from: `--as-of` or the clock) overrides the file's data date;
/// without it, the data date is the file's `as_of`, or the last event's recording if
/// later. Returns `None` if there were errors.
pub fn resolve(
    project: &Project,
    file: &StatusFile,
    file_id: FileId,
    as_of: Option<(Moment, DataDateSource)>,
    log: Option<LogInput<'_>>,
) -> (Option<Status>, Vec<Diagnostic>) {
    let (as_of, given_source) = match as_of {
        Some((m, s)) => (Some(m), s),
        None => (None, DataDateSource::AsOf),
    };
    let mut diagnostics = Vec::new();
    let tz = &project.tz;
    let here = |span: Span| Origin {
        file: file_id,
        span,
    };
    // A metric reading may be dated by the day (`at: 2027-02-15`): read as midnight,
    // which moves a trend by hours at most. Everywhere else a date alone gets `W013`.
    let reading_at =
        |text: &Text, diagnostics: &mut Vec<Diagnostic>| match parse_instant(&text.value, tz) {
            Ok(m) => Some(m),
            Err(e) => {
                diagnostics.push(
                    Diagnostic::at(Code::InvalidInstant, here(text.span), e.message)
                        .with_help(e.help),
                );
                None
            }
        };
    let instant = |text: &Text, diagnostics: &mut Vec<Diagnostic>| match parse_instant_as_written(
        &text.value,
        tz,
    ) {
        Ok((m, date_only)) => {
            if date_only {
                let (message, help) = date_without_time(&text.value, m, tz);
                diagnostics.push(
                    Diagnostic::at(Code::DateWithoutTime, here(text.span), message)
                        .with_label("read as 00:00")
                        .with_help(help),
                );
            }
            Some(m)
        }
        Err(e) => {
            diagnostics.push(
                Diagnostic::at(Code::InvalidInstant, here(text.span), e.message).with_help(e.help),
            );
            None
        }
    };

    // The data date and actuals are where the plan starts from: inside its horizon, or
    // the scheduler would stop with E046 at a runbook task instead of at this line.
    let planned = |text: &Text, diagnostics: &mut Vec<Diagnostic>| {
        let m = instant(text, diagnostics)?;
        match outside_horizon(project, m) {
            None => Some(m),
            Some(problem) => {
                diagnostics.push(
                    Diagnostic::at(
                        Code::ScheduleOutOfRange,
                        here(text.span),
                        format!("`{}` is {problem}", text.value),
                    )
                    .with_help("check the year; actuals and the data date must fall within the plan's dates"),
                );
                None
            }
        }
    };

    if let Some(name) = &file.runbook
        && name.value != project.name
    {
        diagnostics.push(
            Diagnostic::at(
                Code::StatusRunbookMismatch,
                here(name.span),
                format!(
                    "this status is for `{}`, not `{}`",
                    name.value, project.name
                ),
            )
            .with_help("check that the status file goes with this runbook"),
        );
    }
    let file_as_of = if let Some(t) = &file.as_of {
        planned(t, &mut diagnostics)
    } else {
        if as_of.is_none() {
            diagnostics.push(
                Diagnostic::at(
                    Code::MissingField,
                    here(Span::default()),
                    "missing field `as_of`",
                )
                .with_help("the data date the status describes, e.g. `as_of: 2027-02-19T17:00`"),
            );
        }
        None
    };
    // The log's events, read first: the last one recorded may set the data date.
    let mut logged = match log {
        Some(l) => {
            let (events, problems) = match l.file {
                Some(f) => events::read(project, l.events, f),
                None => (Vec::new(), Vec::new()),
            };
            diagnostics.extend(problems);
            Some((l, events))
        }
        None => None,
    };
    let last_recorded = logged
        .as_ref()
        .and_then(|(_, e)| e.iter().map(|e| e.recorded_at).max());
    let (data_date, source) = match (as_of, file_as_of, last_recorded) {
        (Some(a), _, _) => (a, given_source),
        (None, f, Some(l)) if f.is_none_or(|f| l > f) => (l, DataDateSource::Log),
        (None, f, _) => (f.unwrap_or(project.start), DataDateSource::StatusFile),
    };
    let mut status = Status::at_from(project, data_date, source);
    status.origin = Some(file_id);
    status.run = run_of(file, &mut diagnostics, &here);

    // Without a data date (already reported) nothing can be "after" it.
    let known = as_of.is_some() || file_as_of.is_some();
    // Looking back with `--as-of`: what the file records after that date had not
    // happened yet, so it is left out (and counted), not an error.
    let looking_back = as_of.is_some();
    let mut left_out = LeftOut::default();
    let after_data_date = |what: &str, text: &Text, diagnostics: &mut Vec<Diagnostic>| {
        if !known || looking_back {
            return;
        }
        diagnostics.push(
            Diagnostic::at(
                Code::InvalidActuals,
                here(text.span),
                format!("{what} is after the data date"),
            )
            .with_help("actuals cannot be in the future; check the date or the `as_of`"),
        );
    };
    let mut seen: HashMap<&str, Origin> = HashMap::new();
    // Comparisons left for "did you mean": a fifth of the runbook's budget, as a status
    // file is checked on every `report` (50,000 unknown ids against 20,000 tasks spent
    // 2.5 s on the runbook's 5,000,000 comparisons).
    let mut suggestion_budget = STATUS_SUGGESTION_BUDGET;
    // Milestones recorded as reached: (task, where), checked against what they wait for.
    let mut reached: Vec<(TaskId, Origin)> = Vec::new();
    for (key, entry) in file.tasks.iter() {
        let Some(task) = project.task_by_id(&key.value) else {
            let suggested = if project.tasks.len() <= suggestion_budget {
                suggestion_budget -= project.tasks.len();
                suggestion(&key.value, project.tasks.iter().map(|t| t.id.as_str()))
            } else {
                None
            };
            let help = suggested.unwrap_or_else(|| "no task in the runbook has this id".to_owned());
            diagnostics.push(
                Diagnostic::at(
                    Code::UnknownTask,
                    here(key.span),
                    format!("unknown task `{}`", shorten(&key.value)),
                )
                .with_help(help),
            );
            continue;
        };
        if let Some(first) = seen.insert(&key.value, here(key.span)) {
            diagnostics.push(
                Diagnostic::at(
                    Code::DuplicateId,
                    here(key.span),
                    format!("task `{}` appears twice", key.value),
                )
                .with_related(first, "first here"),
            );
            continue;
        }
        let e = &entry.value;
        let mut started = e
            .started
            .as_ref()
            .and_then(|t| planned(t, &mut diagnostics));
        let mut finished = e
            .finished
            .as_ref()
            .and_then(|t| planned(t, &mut diagnostics));
        let cal = project.calendar_of(task);
        let remaining = e
            .remaining
            .as_ref()
            .and_then(|text| match parse_duration(&text.value) {
                Ok(d) if !d.is_negative() => {
                    Some(d.minutes_with(cal.day_minutes, cal.week_minutes))
                }
                Ok(_) => {
                    diagnostics.push(Diagnostic::at(
                        Code::InvalidDuration,
                        here(text.span),
                        "remaining work cannot be negative",
                    ));
                    None
                }
                Err(err) => {
                    diagnostics.push(
                        Diagnostic::at(Code::InvalidDuration, here(text.span), err.message)
                            .with_help(err.help),
                    );
                    None
                }
            });
        if let (Some(s), Some(f), Some(text)) = (started, finished, &e.finished)
            && f < s
        {
            diagnostics.push(
                Diagnostic::at(
                    Code::InvalidActuals,
                    here(text.span),
                    format!("task `{}` finished before it started", key.value),
                )
                .with_help("check the `started` and `finished` times"),
            );
        }
        if let (Some(s), Some(text)) = (started, &e.started)
            && s > data_date
        {
            after_data_date("the start", text, &mut diagnostics);
        }
        if let (Some(f), Some(text)) = (finished, &e.finished)
            && f > data_date
        {
            after_data_date("the finish", text, &mut diagnostics);
        }
        if looking_back {
            if started.is_some_and(|s| s > data_date) {
                started = None;
                left_out.actuals += 1;
            }
            if finished.is_some_and(|f| f > data_date) {
                finished = None;
                left_out.actuals += 1;
            }
        }
        let milestone = project.tasks[task].milestone;
        if let (false, Some(_), Some(text)) = (milestone, &e.finished, &e.remaining) {
            diagnostics.push(
                Diagnostic::at(
                    Code::InvalidActuals,
                    here(text.span),
                    format!("finished task `{}` has remaining work", key.value),
                )
                .with_help("remove `remaining`, or remove `finished` if the task is still going"),
            );
        }
        if let (false, Some(text), None) = (milestone, &e.remaining, &e.started) {
            diagnostics.push(
                Diagnostic::at(
                    Code::InvalidActuals,
                    here(text.span),
                    format!("task `{}` has remaining work but no start", key.value),
                )
                .with_help("add `started:` with when the work began"),
            );
        }
        if let (Some(s), None, None, Some(&d)) = (
            started,
            finished,
            &e.remaining,
            project.tasks.get(task).map(|t| &t.duration),
        ) && d > 0
            && let (Ok(from), Ok(to)) = (cal.work_at(s), cal.work_at(data_date.max(s)))
            && to - from >= d
        {
            let day = cal.day_minutes;
            diagnostics.push(
                Diagnostic::at(
                    Code::OverdueWithoutRemaining,
                    here(key.span),
                    format!(
                        "task `{}` has run its planned {} and has no `remaining:`; \
                         assumed {} more from the data date (a quarter of its planned duration)",
                        key.value,
                        crate::time::work_label(d, day),
                        crate::time::work_label(overdue_remaining(d), day)
                    ),
                )
                .with_help(format!(
                    "ask the owner how much work is left and write it under the task: `{}: {{ started: ..., remaining: 2d }}`",
                    key.value
                )),
            );
        }
        if let (true, Some(text)) = (milestone, &e.remaining) {
            diagnostics.push(
                Diagnostic::at(
                    Code::MilestoneActuals,
                    here(text.span),
                    format!("milestone `{}` has remaining work", key.value),
                )
                .with_label("a milestone takes no time")
                .with_help(
                    "remove `remaining`; record when the milestone was reached with `finished:`",
                ),
            );
        }
        if let Some(reason) = &e.blocked {
            if e.finished.is_some() {
                diagnostics.push(
                    Diagnostic::at(
                        Code::InvalidActuals,
                        here(reason.span),
                        format!("finished task `{}` is marked blocked", key.value),
                    )
                    .with_help("remove `blocked` once the task is done"),
                );
            }
            status.blocked.insert(task, reason.value.clone());
        }
        let actual = Actual {
            started,
            finished,
            remaining: remaining.filter(|_| started.is_some()),
            blocked: e.blocked.is_some() && finished.is_none(),
        };
        status.progress.actuals[task] = if milestone {
            // A milestone takes no time: it is reached at `finished`, or at `started`
            // when only that is given.
            let at = finished.or(started);
            if at.is_some() {
                reached.push((task, here(key.span)));
            }
            Actual {
                started: at,
                finished: at,
                ..Actual::default()
            }
        } else {
            actual
        };
    }
    for &(milestone, origin) in &reached {
        if let Some(d) = milestone_before_predecessors(project, &status.progress, milestone, origin)
        {
            diagnostics.push(d);
        }
    }

    for (key, value) in file.metrics.iter() {
        let mut readings = match &value.value {
            MetricValue::Single(v) => vec![Reading {
                at: data_date,
                value: *v,
            }],
            MetricValue::History(list) => list
                .iter()
                .filter_map(|r: &Located<crate::model::status::Reading>| {
                    let at = reading_at(&r.value.at, &mut diagnostics)?;
                    if at > data_date {
                        if looking_back {
                            left_out.readings += 1;
                            return None;
                        }
                        after_data_date("the reading", &r.value.at, &mut diagnostics);
                    }
                    Some(Reading {
                        at,
                        value: r.value.value.value,
                    })
                })
                .collect(),
        };
        if readings.iter().any(|r| !r.value.is_finite()) {
            diagnostics.push(Diagnostic::at(
                Code::WrongType,
                here(value.span),
                format!("metric `{}` has a reading that is not a number", key.value),
            ));
            continue;
        }
        readings.sort_by_key(|r| r.at);
        status.metrics.insert(key.value.clone(), readings);
    }
    for (key, value) in file.signoffs.iter() {
        let at = value
            .value
            .at
            .as_ref()
            .and_then(|t| instant(t, &mut diagnostics));
        if let (Some(at), Some(text)) = (at, &value.value.at)
            && at > data_date
        {
            if looking_back {
                left_out.signoffs += 1;
                continue;
            }
            after_data_date("the sign-off", text, &mut diagnostics);
        }
        status.signoffs.insert(
            key.value.clone(),
            Signoff {
                by: value.value.by.as_ref().map(|b| b.value.clone()),
                at,
            },
        );
    }
    unused_names(
        project,
        file,
        file_id,
        &mut suggestion_budget,
        &mut diagnostics,
    );
    let mut left_events = events::LeftOutEvents::default();
    if let Some((input, mut list)) = logged.take() {
        let (left, problems) = events::mark(&mut list, data_date, looking_back);
        diagnostics.extend(problems);
        diagnostics.extend(events::fold(project, &mut status, &list));
        left_events = left;
        status.log = Some(Log {
            path: input.path.to_path_buf(),
            file: input.file,
            events: list,
        });
    }
    left_out.actuals += left_events.tasks;
    left_out.readings += left_events.readings;
    left_out.signoffs += left_events.signoffs;
    if !left_out.is_empty() {
        let at = file.as_of.as_ref().map_or(Span::default(), |t| t.span);
        diagnostics.push(
            Diagnostic::at(
                Code::AfterDataDateIgnored,
                here(at),
                format!(
                    "the data date {} ({}) is before entries of this status file{}; \
                     left out as not yet happened: {}",
                    crate::time::local_label(data_date, tz),
                    if source == DataDateSource::Clock {
                        "the clock"
                    } else {
                        "from --as-of"
                    },
                    if left_events.tasks + left_events.readings + left_events.signoffs > 0 {
                        " or its event log"
                    } else {
                        ""
                    },
                    left_out.describe()
                ),
            )
            .with_help("drop --as-of to judge the status file at its own `as_of`"),
        );
    }
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    (ok.then_some(status), diagnostics)
}

/// Metric readings and sign-offs that no gate criterion reads (`W011`, `W012`): a typo
/// there would otherwise pass unseen, the metric's criterion left with "no reading" and
/// the sign-off's with "not yet signed". Each gets the nearest name a gate does use.
fn unused_names(
    project: &Project,
    file: &StatusFile,
    file_id: FileId,
    budget: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let metrics = crate::scenario::metrics_used(project);
    let mut signoffs: Vec<&str> = project
        .gates
        .iter()
        .flat_map(|g| &g.criteria)
        .filter_map(|c| match &c.kind {
            CriterionKind::Signoff { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    signoffs.sort_unstable();
    signoffs.dedup();
    // A runbook whose gates read no metric (or ask for no sign-off) has nothing a name
    // could be a typo of: a status file kept only for progress is not warned about.
    let mut check = |key: &Text, used: &[&str], code: Code, what: &str, section: &str| {
        if used.is_empty() || used.binary_search(&key.value.as_str()).is_ok() {
            return;
        }
        let suggested = if used.len() <= *budget {
            *budget -= used.len();
            suggestion(&key.value, used.iter().copied())
        } else {
            None
        };
        let help = match suggested {
            Some(s) => format!("{s} A {what} that no gate reads changes no decision"),
            None => format!(
                "the gates read {}; check the spelling against the runbook's `gates:`",
                list_names(used)
            ),
        };
        diagnostics.push(
            Diagnostic::at(
                code,
                Origin {
                    file: file_id,
                    span: key.span,
                },
                format!(
                    "no gate uses the {what} `{}` ({section})",
                    shorten(&key.value)
                ),
            )
            .with_label("not read by any gate")
            .with_help(help),
        );
    };
    for (key, _) in file.metrics.iter() {
        check(
            key,
            &metrics,
            Code::UnusedMetric,
            "metric",
            "under `metrics:`",
        );
    }
    for (key, _) in file.signoffs.iter() {
        check(
            key,
            &signoffs,
            Code::UnusedSignoff,
            "sign-off",
            "under `signoffs:`",
        );
    }
}

/// `a`, `b` and 3 more: the first few names, for a help line.
fn list_names(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let quoted: Vec<String> = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{}`", shorten(n)))
        .collect();
    let mut out = quoted.join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

/// What a data date earlier than the status file's leaves out.
#[derive(Debug, Default)]
struct LeftOut {
    actuals: usize,
    readings: usize,
    signoffs: usize,
}

impl LeftOut {
    fn is_empty(&self) -> bool {
        self.actuals + self.readings + self.signoffs == 0
    }

    fn describe(&self) -> String {
        let part = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        [
            part(self.actuals, "start or finish", "starts or finishes"),
            part(self.readings, "metric reading", "metric readings"),
            part(self.signoffs, "sign-off", "sign-offs"),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A milestone recorded as reached (at `origin` in the status file) must not be
/// reached before what it waits for: each finish-to-start or finish-to-finish
/// predecessor finished, each start-to-start or start-to-finish one started, at or
/// before the milestone's instant (lags aside). Otherwise one status line could declare
/// go-live ready while the work before it is still running (`E091`).
fn milestone_before_predecessors(
    project: &Project,
    progress: &Progress,
    milestone: TaskId,
    origin: Origin,
) -> Option<Diagnostic> {
    let id = &project.tasks[milestone].id;
    let at = progress.actual(milestone).finished?;
    for dep in &project.tasks[milestone].deps {
        let pred = progress.actual(dep.pred);
        let (point, verb) = match dep.link {
            LinkType::FS | LinkType::FF => (pred.finished, "finished"),
            LinkType::SS | LinkType::SF => (pred.started.or(pred.finished), "started"),
        };
        let pred_id = &project.tasks[dep.pred].id;
        let message = match point {
            None => format!(
                "milestone `{id}` is recorded as reached, but `{pred_id}`, which it waits for, has not {verb}"
            ),
            Some(p) if p > at => format!(
                "milestone `{id}` is recorded as reached at {}, before `{pred_id}`, which it waits for, {verb} at {}",
                local_label(at, &project.tz),
                local_label(p, &project.tz)
            ),
            Some(_) => continue,
        };
        return Some(
            Diagnostic::at(Code::MilestoneActuals, origin, message)
                .with_label("reached too early")
                .with_help(format!(
                    "a milestone is reached only when what it waits for allows it: record when `{pred_id}` {verb}, or remove the milestone's `started`/`finished`"
                )),
        );
    }
    None
}

#[cfg(test)]
mod tests;

/// Which run the status file says it describes: `rehearsal: DR2`, or the long form
/// `run: { kind, name }`; one of the two, and a rehearsal has a name.
fn run_of(
    file: &StatusFile,
    diagnostics: &mut Vec<Diagnostic>,
    here: &dyn Fn(Span) -> Origin,
) -> Option<Run> {
    match (&file.run, &file.rehearsal) {
        (Some(_), Some(r)) => {
            diagnostics.push(
                Diagnostic::at(
                    Code::InvalidActuals,
                    here(r.span),
                    "`rehearsal:` and `run:` both say which run this is",
                )
                .with_help(
                    "keep one: `rehearsal: DR2` for a dress rehearsal, neither for the live run",
                ),
            );
            None
        }
        (None, Some(r)) if r.value.trim().is_empty() => {
            diagnostics.push(
                Diagnostic::at(Code::InvalidActuals, here(r.span), "`rehearsal:` has no name")
                    .with_help("name the rehearsal, e.g. `rehearsal: DR2`; for the live run leave `rehearsal:` out"),
            );
            None
        }
        (None, Some(r)) => Some(Run {
            kind: RunKind::Rehearsal,
            name: Some(r.value.trim().to_owned()),
        }),
        (Some(r), None) => Some(Run {
            kind: r.value.kind.value,
            name: r.value.name.as_ref().map(|n| n.value.clone()),
        }),
        (None, None) => None,
    }
}
