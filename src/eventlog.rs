//! `cutover log`: record what happened during the cutover weekend, safely.
//!
//! The status file the lead edits by hand names an event log (`log: weekend.events.yaml`);
//! `cutover log` never touches the status file. Each event is one line of YAML appended to
//! the log, so the log stays a valid YAML list after every write and nothing already
//! written is ever rewritten. A write:
//!
//! 1. takes an exclusive lock on `<log>.lock` (a lock file beside the log, created once
//!    and never removed: the log itself is replaced on each write, so it cannot hold a
//!    lock), so concurrent writers wait their turn and none loses another's event;
//! 2. reads the runbook, the status file and the log, and refuses to add to them when
//!    they already have errors;
//! 3. appends the new line in memory and resolves the whole log again: an event that
//!    would be an error (unknown task, a finish before its start, ...) is refused and
//!    nothing is written;
//! 4. writes the new log atomically (a temporary file renamed over it), so a reader or a
//!    crash sees the old log or the new one, never half a line.
//!
//! The rules an event is checked against are in `docs/live.md`.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use crate::diagnostic::Diagnostic;
use crate::load::{self, Limits, ReadError};
use crate::model::event::EventKind;
use crate::output::{self, WriteError};
use crate::pipeline::{self, PrepareError, Request};
use crate::project::Project;
use crate::source::{FileId, Sources};
use crate::status::{self, LogInput, LoggedEvent, What};
use crate::time::{Moment, local_label, parse_instant, rfc3339};

/// The first lines of a new log.
const HEADER: &str = "# cutover event log: append-only, written by `cutover log` (see docs/live.md).\n\
# Do not edit: correct a mistake with `cutover log void SEQ --reason TEXT`.\n";

/// What an event says, before it is dated and numbered.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// What kind of event.
    pub kind: EventKind,
    /// The task (`start`, `done`, `block`, `unblock`, `remaining`).
    pub task: Option<String>,
    /// Why (`block`, `void`).
    pub reason: Option<String>,
    /// Work left, as typed (`remaining`).
    pub remaining: Option<String>,
    /// The metric (`metric`).
    pub metric: Option<String>,
    /// The reading (`metric`).
    pub value: Option<f64>,
    /// The sign-off's id (`signoff`).
    pub signoff: Option<String>,
    /// Who signed (`signoff`).
    pub signed_by: Option<String>,
    /// The event voided (`void`).
    pub void: Option<u64>,
}

impl Entry {
    /// An entry of `kind` with no fields yet.
    pub fn new(kind: EventKind) -> Entry {
        Entry {
            kind,
            task: None,
            reason: None,
            remaining: None,
            metric: None,
            value: None,
            signoff: None,
            signed_by: None,
            void: None,
        }
    }
}

/// One `cutover log` write: the files, the event, and the clock.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The runbook, to check task ids and the schedule against.
    pub runbook: PathBuf,
    /// The status file naming the log.
    pub status: PathBuf,
    /// The event.
    pub entry: Entry,
    /// When it happened, as typed (`--at`); `None` is `now`.
    pub at: Option<String>,
    /// Who records it.
    pub by: String,
    /// The clock: when it is recorded.
    pub now: Moment,
    /// Input limits.
    pub limits: Limits,
}

/// What a write did.
#[derive(Debug)]
pub enum Recorded {
    /// The event was appended.
    Written {
        /// Its number in the log.
        seq: u64,
        /// The log written.
        log: PathBuf,
        /// The line appended.
        line: String,
        /// Warnings about the new event (a start before a predecessor finished).
        warnings: Vec<Diagnostic>,
        /// Every file read, for showing the warnings.
        sources: Sources,
    },
    /// The event, or the files it would join, have errors: nothing was written.
    Refused {
        /// The problems.
        diagnostics: Vec<Diagnostic>,
        /// Every file read (the refused event appears as the log's last line).
        sources: Sources,
        /// The problems are in the files already, not in the new event.
        existing: bool,
    },
}

/// Why `cutover log` could not do its work (the user's mistakes in events are
/// [`Recorded::Refused`], not errors).
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// A file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The runbook could not be prepared.
    #[error(transparent)]
    Prepare(#[from] PrepareError),
    /// The log could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// The lock file could not be opened or locked.
    #[error("cannot lock {}", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The status file names no log.
    #[error(
        "{} names no event log: add a line `log: {}` to it (the file is created by the first event)",
        status.display(),
        suggested
    )]
    NoLog {
        /// The status file.
        status: PathBuf,
        /// A name to suggest.
        suggested: String,
    },
    /// `--at` could not be read.
    #[error("--at {text}: {message}")]
    At {
        /// As typed.
        text: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads `--at`: `now`; `HH:MM`, the occurrence of that local time in `tz` nearest to
/// `now` (yesterday's, today's or tomorrow's: `23:50` typed at 00:10 is last night, and
/// `21:00` typed at 19:05 is tonight, which the event checks then refuse as the future);
/// or an instant as [`parse_instant`] reads it.
pub fn parse_at(text: &str, now: Moment, tz: &TimeZone) -> Result<Moment, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some((h, m)) = clock_time(text) {
        let today = now.local(tz).date();
        let mut best: Option<Moment> = None;
        for days in [-1, 0, 1] {
            let day = today
                .checked_add(jiff::Span::new().days(days))
                .map_err(|e| e.to_string())?;
            let at = tz
                .to_ambiguous_zoned_datetime(day.at(h, m, 0, 0))
                .compatible()
                .map_err(|e| e.to_string())?;
            let at = Moment::from_timestamp(at.timestamp());
            if best.is_none_or(|b| (at.0 - now.0).abs() < (b.0 - now.0).abs()) {
                best = Some(at);
            }
        }
        return best.ok_or_else(|| "not a time of day".to_owned());
    }
    parse_instant(text, tz).map_err(|e| format!("{} ({})", e.message, e.help))
}

/// `HH:MM` as hour and minute.
fn clock_time(text: &str) -> Option<(i8, i8)> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: i8 = h.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some((h, m))
}

/// A string as a YAML scalar: JSON's double-quoted strings are valid YAML.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The line an event is written as: a YAML flow mapping in a list item.
pub fn event_line(
    seq: u64,
    at: Moment,
    recorded_at: Moment,
    by: &str,
    entry: &Entry,
    tz: &TimeZone,
) -> String {
    let mut fields = vec![
        format!("seq: {seq}"),
        format!("at: {}", quoted(&rfc3339(at, tz))),
        format!("recorded_at: {}", quoted(&rfc3339(recorded_at, tz))),
        format!("by: {}", quoted(by)),
        format!("kind: {}", entry.kind.name()),
    ];
    let mut text = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            fields.push(format!("{name}: {}", quoted(v)));
        }
    };
    text("task", &entry.task);
    text("metric", &entry.metric);
    text("signoff", &entry.signoff);
    text("signed_by", &entry.signed_by);
    text("remaining", &entry.remaining);
    if let Some(v) = entry.value {
        fields.push(format!("value: {v}"));
    }
    if let Some(v) = entry.void {
        fields.push(format!("void: {v}"));
    }
    if let Some(r) = &entry.reason {
        fields.push(format!("reason: {}", quoted(r)));
    }
    format!("- {{ {} }}", fields.join(", "))
}

/// The lock file of the log at `log`: `<log>.lock` beside it.
pub fn lock_path(log: &Path) -> PathBuf {
    let mut name = log.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    log.with_file_name(name)
}

/// Holds `<log>.lock` exclusively until dropped (the operating system releases it if
/// the process dies).
fn lock(log: &Path) -> Result<File, LogError> {
    let path = lock_path(log);
    let err = |source| LogError::Lock {
        path: path.clone(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(err)?;
    file.lock().map_err(err)?;
    Ok(file)
}

/// Checks the event in `recording` against the runbook, the status file and the log,
/// and appends it to the log when it has no errors. See the module documentation.
pub fn record(recording: &Recording) -> Result<Recorded, LogError> {
    let mut prepared = pipeline::prepare(&Request {
        runbook: recording.runbook.clone(),
        status: None,
        as_of: None,
        now: None,
        limits: recording.limits.clone(),
    })?;
    let Some(ready) = prepared.ready.take() else {
        return Ok(refused(prepared.sources, prepared.diagnostics, true));
    };
    let project = ready.project;
    let mut sources = prepared.sources;
    let limits = &recording.limits;
    let (file, problem) = load::load_status(&recording.status, &mut sources, limits)?;
    let status_id = FileId(u32::try_from(sources.len().saturating_sub(1)).unwrap_or(u32::MAX));
    let (Some(file), None) = (file, problem.clone()) else {
        return Ok(refused(sources, problem.into_iter().collect(), true));
    };
    let Some(name) = &file.log else {
        return Err(LogError::NoLog {
            status: recording.status.clone(),
            suggested: suggested_log_name(&recording.status),
        });
    };
    let log_path = pipeline::log_path(&recording.status, &name.value);
    let _lock = lock(&log_path)?;

    // The log as it is, which must resolve without errors.
    let before = load::load_log(&log_path, &mut sources, limits)?;
    if let Some(problem) = before.problem {
        return Ok(refused(sources, vec![problem], true));
    }
    let old_text = before
        .file
        .and_then(|id| sources.get(id))
        .map_or(String::new(), |f| f.text.clone());
    let old_events = before.events.unwrap_or_default();
    let (_, problems) = status::resolve(
        &project,
        &file,
        status_id,
        None,
        Some(LogInput {
            path: &log_path,
            file: before.file,
            events: &old_events,
        }),
    );
    if problems.iter().any(Diagnostic::is_error) {
        let errors = problems.into_iter().filter(Diagnostic::is_error).collect();
        return Ok(refused(sources, errors, true));
    }

    // The log with the new event.
    let at = match &recording.at {
        Some(text) => {
            parse_at(text, recording.now, &project.tz).map_err(|message| LogError::At {
                text: text.clone(),
                message,
            })?
        }
        None => recording.now,
    };
    let seq = old_events.len() as u64 + 1;
    let line = event_line(
        seq,
        at,
        recording.now,
        &recording.by,
        &recording.entry,
        &project.tz,
    );
    let mut new_text = if old_text.is_empty() {
        HEADER.to_owned()
    } else {
        old_text.clone()
    };
    if !new_text.ends_with('\n') {
        new_text.push('\n');
    }
    let offset = new_text.len();
    new_text.push_str(&line);
    new_text.push('\n');
    let after = load::load_log_text(&log_path, new_text.clone(), &mut sources, limits);
    if let Some(problem) = after.problem {
        return Ok(refused(sources, vec![problem], false));
    }
    let events = after.events.unwrap_or_default();
    let (_, problems) = status::resolve(
        &project,
        &file,
        status_id,
        None,
        Some(LogInput {
            path: &log_path,
            file: after.file,
            events: &events,
        }),
    );
    let about_new = |d: &Diagnostic| {
        d.origin
            .is_some_and(|o| Some(o.file) == after.file && o.span.offset as usize >= offset)
    };
    if problems.iter().any(Diagnostic::is_error) {
        // Errors at the new event first; any other (a data date moved by the event can
        // leave out, or bring in, other entries) after them.
        let mut errors: Vec<Diagnostic> =
            problems.into_iter().filter(Diagnostic::is_error).collect();
        errors.sort_by_key(|d| !about_new(d));
        return Ok(refused(sources, errors, false));
    }
    let warnings = problems.into_iter().filter(|d| about_new(d)).collect();
    output::write_atomic(&log_path, new_text.as_bytes())?;
    Ok(Recorded::Written {
        seq,
        log: log_path,
        line,
        warnings,
        sources,
    })
}

fn refused(sources: Sources, diagnostics: Vec<Diagnostic>, existing: bool) -> Recorded {
    Recorded::Refused {
        diagnostics,
        sources,
        existing,
    }
}

/// `weekend.events.yaml` for `weekend.status.yaml`.
fn suggested_log_name(status: &Path) -> String {
    let name = status
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".status.yaml")
        .or_else(|| name.strip_suffix(".yaml"))
        .unwrap_or("cutover");
    format!("{stem}.events.yaml")
}

/// `cutover log show`: every event of a log, as recorded, with whether it counts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogView {
    /// The log's path, as the status file names it (resolved against its folder).
    pub log: PathBuf,
    /// The events in log order.
    pub events: Vec<ShownEvent>,
}

/// One event for `log show`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownEvent {
    /// Its number.
    pub seq: u64,
    /// When it happened (RFC 3339 in the runbook's zone).
    pub at: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// When it happened, for people (`2027-06-11 19:02`).
    #[serde(skip)]
    pub at_local: String,
    /// When it was recorded, for people.
    #[serde(skip)]
    pub recorded_local: String,
    /// Who recorded it.
    pub by: String,
    /// Its kind (`start`, `done`, ...).
    pub kind: &'static str,
    /// What it is about: a task id, a metric, a sign-off, or `#N` for a void.
    pub subject: String,
    /// The rest: a reason, the work left, a reading, who signed.
    pub detail: String,
    /// `counts`, `void` (taken back by a later event), `voids` (a correction), or
    /// `not yet` (after the data date, looking back).
    pub state: &'static str,
    /// The `seq` of the event that voids it.
    pub voided_by: Option<u64>,
}

impl LogView {
    /// The view of `log` for `project`.
    pub fn new(project: &Project, log: &status::Log) -> LogView {
        let tz = &project.tz;
        let events = log.events.iter().map(|e| shown(project, e, tz)).collect();
        LogView {
            log: log.path.clone(),
            events,
        }
    }
}

fn shown(project: &Project, e: &LoggedEvent, tz: &TimeZone) -> ShownEvent {
    let task = |t: usize| project.tasks[t].id.clone();
    let (subject, detail) = match &e.what {
        What::Start(t) | What::Done(t) | What::Unblock(t) => (task(*t), String::new()),
        What::Block { task: t, reason } => (task(*t), reason.clone()),
        What::Remaining { task: t, text, .. } => (task(*t), format!("{text} left")),
        What::Metric { name, value } => (name.clone(), format!("{value}")),
        What::Signoff { id, signed_by } => (id.clone(), format!("signed by {signed_by}")),
        What::Void { seq, reason } => (format!("#{seq}"), reason.clone().unwrap_or_default()),
    };
    let state = if matches!(e.what, What::Void { .. }) {
        "voids"
    } else if e.voided_by.is_some() {
        "void"
    } else if e.left_out {
        "not yet"
    } else {
        "counts"
    };
    ShownEvent {
        seq: e.seq,
        at: rfc3339(e.at, tz),
        recorded_at: rfc3339(e.recorded_at, tz),
        at_local: local_label(e.at, tz),
        recorded_local: local_label(e.recorded_at, tz),
        by: e.by.clone(),
        kind: e.what.kind().name(),
        subject,
        detail,
        state,
        voided_by: e.voided_by,
    }
}

#[cfg(test)]
mod tests;
