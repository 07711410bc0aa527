//! Interop with the programme office: MS Project XML (MSPDI), Excel and CSV in and out.
//!
//! Import reads another tool's file into a [`Draft`]: the runbook a person would have
//! written, with every value kept in the units and names the source used, and every
//! assumption and loss recorded. `render::runbook` writes it as YAML like the shipped
//! runbooks. The draft is then loaded, validated and scheduled like any runbook, so
//! what is written is known to be valid, and go-live (which no source has) is set to
//! when the plan finishes. Export ([`export`]) goes the other way, from a validated
//! runbook and its plan.
//!
//! The mapping field by field, and what is lost, is in `docs/interop.md`.

pub mod export;
pub mod mspdi;
pub mod recurrence;
pub mod table;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};

use crate::load::Limits;
use crate::plan::{Filter, plan};
use crate::project::LinkType;
use crate::source::Sources;

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// MS Project XML (MSPDI), `.xml`.
    Mspdi,
    /// An Excel workbook, `.xlsx`.
    Xlsx,
    /// Comma-separated values, `.csv`.
    Csv,
}

impl ImportFormat {
    /// The format a file name implies, if any.
    pub fn from_path(path: &Path) -> Option<ImportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xml" | "mspdi" => Some(ImportFormat::Mspdi),
            "xlsx" | "xlsm" => Some(ImportFormat::Xlsx),
            "csv" | "txt" => Some(ImportFormat::Csv),
            _ => None,
        }
    }

    /// The format's name for people: `MS Project XML`, `Excel workbook`, `CSV file`.
    pub fn label(self) -> &'static str {
        match self {
            ImportFormat::Mspdi => "MS Project XML",
            ImportFormat::Xlsx => "Excel workbook",
            ImportFormat::Csv => "CSV file",
        }
    }
}

/// How slashed dates (`05/03/2027`) in a table are read. ISO dates and Excel date
/// cells need no setting; slashed text dates are refused without one, never guessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DateOrder {
    /// Not given: slashed text dates are refused.
    #[default]
    Unset,
    /// Day first, as in the UK: `05/03/2027` is 5 March.
    DayFirst,
    /// Month first, as in the US: `03/05/2027` is 5 March.
    MonthFirst,
}

/// What `import` needs besides the file.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The format; by default from the file's extension.
    pub format: Option<ImportFormat>,
    /// IANA time zone for the runbook; sources carry none. Default `Europe/London`,
    /// stated in the runbook written.
    pub timezone: Option<String>,
    /// The plan's start; default the source's (MSPDI) or the earliest fixed start.
    pub start: Option<DateTime>,
    /// Go-live; default when the imported plan finishes (stated in the runbook).
    pub go_live: Option<DateTime>,
    /// The sheet to read from a workbook; default the first with a header row.
    pub sheet: Option<String>,
    /// How slashed text dates in a table are read.
    pub dates: DateOrder,
    /// Today, for a table that gives no date at all (the plan starts at 09:00 on it).
    pub today: Date,
    /// Safety limits on input (file size).
    pub limits: Limits,
}

/// The time zone assumed when none is given.
pub const DEFAULT_TIMEZONE: &str = "Europe/London";

/// Most task rows (or MSPDI tasks) read: ten times the largest EPR cutover runbooks
/// (a few thousand rows), far below what a hostile file could ask for.
pub const MAX_ROWS: usize = 50_000;

/// Most bytes a workbook may hold once unzipped, whatever its size on disk: a zip
/// bomb is refused before anything is parsed.
pub const MAX_UNZIPPED_BYTES: u64 = 128 * 1024 * 1024;

/// A file that cannot be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is larger than `--max-file-size`.
    #[error("{} is larger than the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// Neither `--from` nor the file's extension names a format.
    #[error("cannot tell the format of {} from its name: give --from mspdi, xlsx or csv", path.display())]
    UnknownFormat {
        /// The file.
        path: PathBuf,
    },
    /// The file is not what its format says, or is refused as hostile.
    #[error("{0}")]
    Invalid(String),
    /// A date or time out of range.
    #[error("{0}")]
    Time(String),
}

/// How serious an import problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A row, value or link was left out: the runbook lacks it.
    Error,
    /// Brought in with a change of meaning, or something the format cannot hold.
    Warning,
}

/// One problem found while importing, where the source has it: `Tasks!C12`, or
/// `task 12 (UID 14) "Load data"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Whether something was left out, or brought in with a change.
    pub severity: Severity,
    /// Where in the source: `Tasks!C12`, `task 12 (UID 14) "Load data"`.
    pub place: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The sheet row (0-based), so a table's problems list top to bottom.
    pub row: Option<u32>,
}

impl Problem {
    /// A problem that left something out.
    pub fn error(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            place: place.into(),
            message: message.into(),
            help: None,
            row: None,
        }
    }

    /// A problem that brought something in with a change.
    pub fn warning(place: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            place: place.into(),
            message: message.into(),
            help: None,
            row: None,
        }
    }

    /// Sets the sheet row, for ordering.
    pub fn at_row(mut self, row: u32) -> Problem {
        self.row = Some(row);
        self
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// A length as the source gave it: minutes, and the unit it was shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount {
    /// The length in minutes (working minutes unless `elapsed`).
    pub minutes: i64,
    /// The unit the source showed it in.
    pub unit: Unit,
    /// Wall-clock time, whatever the calendar.
    pub elapsed: bool,
}

impl Amount {
    /// A length in working time.
    pub fn working(minutes: i64, unit: Unit) -> Amount {
        Amount {
            minutes,
            unit,
            elapsed: false,
        }
    }
}

/// The unit a length was shown in; the runbook uses it when it divides exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// Minutes (`m`).
    Minutes,
    /// Hours (`h`).
    Hours,
    /// Days (`d`) of the calendar's day length.
    Days,
    /// Weeks (`w`) of the calendar's working days.
    Weeks,
}

/// A runbook drafted from another tool's file.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The runbook's name (`runbook:`).
    pub name: String,
    /// Where it came from, for the header: `plan.xml (MS Project XML, saved by Project 2016)`.
    pub source: String,
    /// The IANA time zone.
    pub timezone: String,
    /// The time zone was assumed ([`DEFAULT_TIMEZONE`]): a comment says so.
    pub timezone_assumed: bool,
    /// The plan's start (local time).
    pub start: DateTime,
    /// Why this start, when the source gave none.
    pub start_assumed: Option<String>,
    /// Go-live: when the plan finishes unless the source or the user says otherwise.
    pub go_live: DateTime,
    /// Why go-live is what it is, when neither the source nor the user gave it.
    pub go_live_assumed: Option<String>,
    /// The calendar of tasks that name none, if not `24x7`.
    pub default_calendar: Option<String>,
    /// Working-time calendars.
    pub calendars: Vec<DraftCalendar>,
    /// Workstreams (summary tasks or a workstream column).
    pub workstreams: Vec<DraftWorkstream>,
    /// Tasks, in source order.
    pub tasks: Vec<DraftTask>,
    /// Tasks that had no owner and were given [`UNASSIGNED`].
    pub unassigned: usize,
    /// Lines for the header comment: what was assumed, mapped or left out.
    pub remarks: Vec<String>,
    /// Actuals from the source, for a status file.
    pub status: Option<DraftStatus>,
}

/// The owner given to a task whose source names nobody, so the runbook validates
/// clean and `cutover plan --owner unassigned` lists them.
pub const UNASSIGNED: &str = "unassigned";

/// A working-time calendar (the built-in `24x7` is never drafted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftCalendar {
    /// The calendar's id.
    pub id: String,
    /// The name in the source, for a comment.
    pub source_name: String,
    /// Working ranges per weekday, Monday first, in minutes of the day.
    pub week: [Vec<(u16, u16)>; 7],
    /// Non-working dates, sorted.
    pub holidays: Vec<Date>,
    /// Dates with their own working hours, sorted.
    pub exceptions: Vec<(Date, Vec<(u16, u16)>)>,
    /// What one day (`1d`) means, when it is not the first working day's hours.
    pub day_minutes: Option<i64>,
}

impl DraftCalendar {
    /// Minutes in `1d` and `1w` on this calendar, as `validate` will read them.
    pub fn day_and_week(&self) -> (i64, i64) {
        let first = self
            .week
            .iter()
            .map(|r| r.iter().map(|&(s, e)| i64::from(e - s)).sum::<i64>())
            .find(|&m| m > 0)
            .unwrap_or(0);
        let day = self.day_minutes.unwrap_or(first).max(1);
        let days = self.week.iter().filter(|r| !r.is_empty()).count().max(1) as i64;
        (day, day * days)
    }
}

/// A workstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftWorkstream {
    /// Its id.
    pub id: String,
    /// Its name, as the source gave it.
    pub name: String,
}

/// A task as the runbook will have it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftTask {
    /// Its id: the source's, or made from the name.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its workstream's id.
    pub workstream: Option<String>,
    /// Its owner (`unassigned` when the source names nobody).
    pub owner: String,
    /// `None` for a milestone.
    pub duration: Option<Amount>,
    /// A calendar id; `None` for the runbook's default.
    pub calendar: Option<String>,
    /// What it waits for.
    pub after: Vec<DraftLink>,
    /// `not_before` (start no earlier than).
    pub not_before: Option<DateTime>,
    /// `deadline` (finish no later than).
    pub deadline: Option<DateTime>,
    /// Its tags, the source's id among them where it was not kept.
    pub tags: Vec<String>,
    /// Its notes.
    pub notes: Option<String>,
    /// The milestone whose finish means ready to go live (`go_live: true`).
    pub go_live: bool,
    /// Why this task is the go-live milestone, when the source did not say so.
    pub go_live_assumed: Option<String>,
}

/// A link to a predecessor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftLink {
    /// The predecessor's id.
    pub task: String,
    /// FS, SS, FF or SF.
    pub link: LinkType,
    /// The lag, if any.
    pub lag: Option<Amount>,
}

/// Actuals from the source, for a status file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftStatus {
    /// The data date.
    pub as_of: DateTime,
    /// Why that data date, when the source gave none.
    pub as_of_assumed: Option<String>,
    /// One entry per task with actuals.
    pub tasks: Vec<DraftActual>,
}

/// One task's actuals.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DraftActual {
    /// The task's id.
    pub task: String,
    /// When it started.
    pub started: Option<DateTime>,
    /// When it finished.
    pub finished: Option<DateTime>,
    /// Working time left on a started task.
    pub remaining: Option<Amount>,
    /// Percent complete in the source, for a comment.
    pub percent: Option<u8>,
}

/// What `import` produced: the draft, its problems, and the runbook text's own
/// diagnostics if it does not validate (a cycle or a date out of range in the source).
#[derive(Debug)]
pub struct Imported {
    /// The runbook drafted.
    pub draft: Draft,
    /// What was left out or changed, where the source has it.
    pub problems: Vec<Problem>,
    /// The runbook as written.
    pub runbook: String,
    /// The status file as written, if the source had actuals.
    pub status: Option<String>,
    /// Errors `validate` or the scheduler found in the runbook written; with `sources`
    /// to show them in.
    pub invalid: Vec<crate::diagnostic::Diagnostic>,
    /// The texts checked (the runbook written), for the diagnostics.
    pub sources: Sources,
}

/// Imports the file at `path`: reads it, drafts the runbook, writes it as YAML and
/// checks it the way `cutover validate` and `cutover plan` would. `out` is where the
/// runbook will be written (diagnostics point there).
pub fn import(path: &Path, out: &Path, options: &ImportOptions) -> Result<Imported, ImportError> {
    let format = match options.format {
        Some(f) => f,
        None => ImportFormat::from_path(path).ok_or_else(|| ImportError::UnknownFormat {
            path: path.to_path_buf(),
        })?,
    };
    let bytes = read_bounded(path, options.limits.max_file_bytes)?;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (draft, problems) = match format {
        ImportFormat::Mspdi => mspdi::read(&bytes, &file_name, options)?,
        ImportFormat::Xlsx => table::read_xlsx(&bytes, &file_name, options)?,
        ImportFormat::Csv => table::read_csv(&bytes, &file_name, options)?,
    };
    finish(draft, problems, out, options)
}

/// Reads at most `limit` bytes of `path`, refusing a larger file.
fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    let io = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// Sets go-live to when the plan finishes (unless it is known), writes the runbook and
/// status text, and checks them as `cutover validate` and `cutover plan` would.
pub fn finish(
    mut draft: Draft,
    problems: Vec<Problem>,
    out: &Path,
    options: &ImportOptions,
) -> Result<Imported, ImportError> {
    let mut problems = problems;
    settle_go_live(&mut draft, &mut problems);
    let limits = &options.limits;
    let (runbook, sources, invalid) = if let Some(go_live) = options.go_live {
        draft.go_live = go_live;
        draft.go_live_assumed = None;
        let runbook = crate::render::runbook::yaml(&draft);
        let (sources, invalid, _) = check(runbook.clone(), out, limits);
        (runbook, sources, invalid)
    } else {
        // Checked once with go-live a year on (`validate` allows ten), which
        // changes no other answer; then go-live becomes when the plan finishes.
        let provisional = draft
            .start
            .checked_add(jiff::Span::new().days(365))
            .map_err(|e| ImportError::Time(format!("the plan's start is out of range: {e}")))?;
        draft.go_live = provisional;
        draft.go_live_assumed = Some("when the plan finishes; set the real go-live".to_owned());
        let first = crate::render::runbook::yaml(&draft);
        let (sources, invalid, finish) = check(first.clone(), out, limits);
        match finish {
            Some(finish) => {
                let next_day = draft.start.checked_add(jiff::Span::new().days(1));
                draft.go_live = if finish > draft.start {
                    finish
                } else {
                    next_day.unwrap_or(finish)
                };
                let runbook = crate::render::runbook::yaml(&draft);
                let ten_years = draft.start.checked_add(jiff::Span::new().years(10));
                if runbook.len() == first.len() && ten_years.is_ok_and(|t| draft.go_live <= t) {
                    // Only go-live's value moved, to a place of the same length:
                    // the diagnostics point at the same bytes of the final text.
                    let mut sources = Sources::default();
                    sources.add(out.to_path_buf(), runbook.clone());
                    (runbook, sources, invalid)
                } else {
                    let (sources, invalid, _) = check(runbook.clone(), out, limits);
                    (runbook, sources, invalid)
                }
            }
            None => (first, sources, invalid),
        }
    };
    let status = draft
        .status
        .as_ref()
        .map(|s| crate::render::runbook::status_yaml(&draft, s));
    Ok(Imported {
        draft,
        problems,
        runbook,
        status,
        invalid,
        sources,
    })
}

/// Marks exactly one milestone `go_live: true`, as `validate` requires (`E066`). A mark
/// the source gives (the column or custom field `cutover export` writes) is kept; else
/// the one milestone named for go-live is taken; else a go-live milestone is added after
/// every task nothing follows, so it is reached when the plan finishes. What was assumed
/// is a comment on the task.
fn settle_go_live(draft: &mut Draft, problems: &mut Vec<Problem>) {
    let mut marked = 0;
    for task in &mut draft.tasks {
        if !task.go_live {
            continue;
        }
        if task.duration.is_some() {
            task.go_live = false;
            problems.push(
                Problem::warning(
                    format!("task `{}`", task.id),
                    "marked go-live but has a duration: not taken as the go-live milestone",
                )
                .with_help("go-live is a milestone whose finish means ready"),
            );
        } else if marked > 0 {
            task.go_live = false;
            problems.push(
                Problem::warning(
                    format!("task `{}`", task.id),
                    "a second go-live milestone: the first one marked is kept",
                )
                .with_help("a runbook has one go-live milestone"),
            );
        } else {
            marked += 1;
        }
    }
    if marked > 0 {
        return;
    }
    let named: Vec<usize> = draft
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.duration.is_none() && names_go_live(&t.name))
        .map(|(i, _)| i)
        .collect();
    if let [only] = named[..] {
        let task = &mut draft.tasks[only];
        task.go_live = true;
        task.go_live_assumed =
            Some("the go-live milestone, from its name; the source marks none".to_owned());
        return;
    }
    let followed: std::collections::HashSet<&str> = draft
        .tasks
        .iter()
        .flat_map(|t| t.after.iter().map(|l| l.task.as_str()))
        .collect();
    let last: Vec<DraftLink> = draft
        .tasks
        .iter()
        .filter(|t| !followed.contains(t.id.as_str()))
        .map(|t| DraftLink {
            task: t.id.clone(),
            link: LinkType::FS,
            lag: None,
        })
        .collect();
    let mut ids = IdSet::default();
    for t in &draft.tasks {
        ids.claim(&t.id);
    }
    draft.tasks.push(DraftTask {
        id: ids.claim("go-live"),
        name: "Go-live".to_owned(),
        owner: UNASSIGNED.to_owned(),
        after: last,
        go_live: true,
        go_live_assumed: Some(
            "added by import: the source marks no go-live milestone; this one follows every \
             task nothing else follows, so it is reached when the plan finishes"
                .to_owned(),
        ),
        ..DraftTask::default()
    });
}

/// Whether a milestone's name says it is go-live: `Go-live`, `Go Live`, `EPR golive`.
fn names_go_live(name: &str) -> bool {
    let squashed: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    squashed.contains("golive")
}

/// Loads, validates and plans `text` as the runbook at `out`: its errors, and when the
/// plan finishes (local time) if it could be scheduled.
fn check(
    text: String,
    out: &Path,
    limits: &Limits,
) -> (
    Sources,
    Vec<crate::diagnostic::Diagnostic>,
    Option<DateTime>,
) {
    let prepared = crate::pipeline::prepare_text(out, text, limits);
    let mut errors: Vec<_> = prepared
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    let mut finish = None;
    if let Some(ready) = &prepared.ready {
        let project = &ready.project;
        match plan(project, &ready.graph, None, &Filter::default()) {
            Ok(p) => finish = Some(p.schedule.finish.local(&project.tz)),
            Err(e) => errors.push(e.diagnostic(project)),
        }
    }
    let sources = prepared.sources;
    (sources, errors, finish)
}

/// Reads a local date and time (`2027-03-05T18:00`, `2027-03-05 18:00`) or a date
/// (`2027-03-05`, midnight), as `--start` and `--go-live` take them.
pub fn parse_local(text: &str) -> Result<DateTime, String> {
    let t = text.trim();
    t.parse::<DateTime>()
        .or_else(|_| t.parse::<Date>().map(|d| d.at(0, 0, 0, 0)))
        .map_err(|_| format!("`{t}` is not a local date and time (write e.g. 2027-03-05T18:00)"))
}

/// An id made from a name: lower case, words joined by `-`, at most 48 characters
/// (`Load future appointments` -> `load-future-appointments`). Empty if the name has
/// no letter or digit.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Patient's" -> "patients"
        } else {
            dash = true;
        }
        if out.len() >= 48 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Makes ids unique: the first of each stays, later ones get `-2`, `-3`...
#[derive(Debug, Default)]
pub struct IdSet {
    taken: std::collections::HashSet<String>,
}

impl IdSet {
    /// `wanted` if free, else `wanted-2`, `wanted-3`, ...
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_owned()) {
            return wanted.to_owned();
        }
        let mut n = 2;
        loop {
            let candidate = format!("{wanted}-{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, milestone: bool, after: &[&str]) -> DraftTask {
        DraftTask {
            id: id.to_owned(),
            name: id.replace('-', " "),
            owner: "Ops".to_owned(),
            duration: (!milestone).then_some(Amount::working(60, Unit::Hours)),
            after: after
                .iter()
                .map(|t| DraftLink {
                    task: (*t).to_owned(),
                    link: LinkType::FS,
                    lag: None,
                })
                .collect(),
            ..DraftTask::default()
        }
    }

    fn go_live_of(draft: &Draft) -> Vec<(&str, bool)> {
        draft
            .tasks
            .iter()
            .filter(|t| t.go_live)
            .map(|t| (t.id.as_str(), t.go_live_assumed.is_some()))
            .collect()
    }

    #[test]
    fn a_marked_go_live_is_kept_and_a_second_mark_dropped() {
        let mut draft = Draft {
            tasks: vec![
                task("a", false, &[]),
                task("live", true, &["a"]),
                task("also", true, &["a"]),
            ],
            ..Draft::default()
        };
        draft.tasks[1].go_live = true;
        draft.tasks[2].go_live = true;
        let mut problems = Vec::new();
        settle_go_live(&mut draft, &mut problems);
        assert_eq!(go_live_of(&draft), [("live", false)]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].place, "task `also`");
    }

    #[test]
    fn a_go_live_mark_on_a_task_with_a_duration_is_not_taken() {
        let mut draft = Draft {
            tasks: vec![task("cutover", false, &[])],
            ..Draft::default()
        };
        draft.tasks[0].go_live = true;
        let mut problems = Vec::new();
        settle_go_live(&mut draft, &mut problems);
        assert_eq!(problems.len(), 1);
        // So one is added after it.
        assert_eq!(go_live_of(&draft), [("go-live", true)]);
    }

    #[test]
    fn the_one_milestone_named_go_live_is_taken() {
        let mut draft = Draft {
            tasks: vec![
                task("load", false, &[]),
                task("EPR-Go-Live", true, &["load"]),
                task("hypercare", false, &["EPR-Go-Live"]),
            ],
            ..Draft::default()
        };
        let mut problems = Vec::new();
        settle_go_live(&mut draft, &mut problems);
        assert_eq!(go_live_of(&draft), [("EPR-Go-Live", true)]);
        assert!(problems.is_empty());
        assert_eq!(draft.tasks.len(), 3);
    }

    #[test]
    fn otherwise_go_live_is_added_after_every_last_task() {
        // Two milestones named for go-live: neither is guessed at. `go-live` is taken
        // as an id, so the new one is `go-live-2`.
        let mut draft = Draft {
            tasks: vec![
                task("go-live", true, &[]),
                task("a", false, &["go-live"]),
                task("b", false, &["a"]),
                task("c", false, &["a"]),
                task("golive-rehearsal", true, &[]),
            ],
            ..Draft::default()
        };
        let mut problems = Vec::new();
        settle_go_live(&mut draft, &mut problems);
        assert_eq!(go_live_of(&draft), [("go-live-2", true)]);
        let added = draft.tasks.last().unwrap();
        let after: Vec<&str> = added.after.iter().map(|l| l.task.as_str()).collect();
        assert_eq!(after, ["b", "c", "golive-rehearsal"]);
        assert!(added.duration.is_none());
        assert!(problems.is_empty());
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Load future appointments"), "load-future-appointments");
        assert_eq!(slug("  Freeze PAS (read-only) "), "freeze-pas-read-only");
        assert_eq!(slug("Patient's record"), "patients-record");
        assert_eq!(slug("Überprüfung"), "berpr-fung");
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"a".repeat(100)).len() <= 48);
        for name in ["Task 1", "2027 plan", "a--b", "x_y.z"] {
            assert!(crate::validate::is_valid_id(&slug(name)), "{name}");
        }
    }

    #[test]
    fn id_sets_number_repeats() {
        let mut ids = IdSet::default();
        assert_eq!(ids.claim("task"), "task");
        assert_eq!(ids.claim("task"), "task-2");
        assert_eq!(ids.claim("task-2"), "task-2-2");
        assert_eq!(ids.claim("task"), "task-3");
    }
}
