//! The event log folded into a status: each event checked against the runbook, then
//! applied on top of the status file's own entries in the order the events happened.
//! The rules are in docs/live.md ("How events and the status file combine"):
//!
//! - Facts are recorded once: a start, a finish, a sign-off. A second one, a finish
//!   before its start, or a finish of a task never started (milestones excepted: they
//!   finish without starting) is an error, as is any event about a finished task.
//! - States take the latest word: `block`/`unblock` and `remaining`. A finish clears a
//!   block. `remaining` is the work left at the event's `at`; from then on the task is
//!   taken to work through it, so at the data date it is that much less.
//! - Metric readings join the status file's history at their `at`.
//! - `void` takes an earlier event out of the fold; both stay in the log.
//! - An event may not be dated more than [`FUTURE_TOLERANCE`] after it was recorded.

use std::collections::HashMap;

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::Located;
use crate::model::event::{Event, EventKind};
use crate::project::{LinkType, Project, TaskId};
use crate::source::{FileId, Origin, Span};
use crate::time::{Moment, local_label, parse_duration, parse_instant};

use super::{Reading, Signoff, Status};

/// How far after its recording an event may be dated, in minutes: clocks in a
/// command centre differ by a minute or two, and "it starts now" takes a moment to
/// type. Later than this is a mistake in the date.
pub const FUTURE_TOLERANCE: i64 = 5;

/// What an event records, resolved against the runbook.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// The task started.
    Start(TaskId),
    /// The task finished.
    Done(TaskId),
    /// The task cannot progress.
    Block {
        /// The task.
        task: TaskId,
        /// Why, in the words of whoever reported it.
        reason: String,
    },
    /// The task can progress again.
    Unblock(TaskId),
    /// Work left on a started task at the event's `at`.
    Remaining {
        /// The task.
        task: TaskId,
        /// Working minutes on the task's calendar.
        minutes: i64,
        /// As written (`2h 30m`).
        text: String,
    },
    /// A metric reading at the event's `at`.
    Metric {
        /// The metric's name (`migration.reconciliation_pct`).
        name: String,
        /// The reading.
        value: f64,
    },
    /// A sign-off given at the event's `at`.
    Signoff {
        /// The sign-off's id.
        id: String,
        /// Who signed.
        signed_by: String,
    },
    /// An earlier event recorded in error.
    Void {
        /// The `seq` of the event voided.
        seq: u64,
        /// Why, if given.
        reason: Option<String>,
    },
}

impl What {
    /// The event's kind.
    pub fn kind(&self) -> EventKind {
        match self {
            What::Start(_) => EventKind::Start,
            What::Done(_) => EventKind::Done,
            What::Block { .. } => EventKind::Block,
            What::Unblock(_) => EventKind::Unblock,
            What::Remaining { .. } => EventKind::Remaining,
            What::Metric { .. } => EventKind::Metric,
            What::Signoff { .. } => EventKind::Signoff,
            What::Void { .. } => EventKind::Void,
        }
    }

    /// The task the event is about, if any.
    pub fn task(&self) -> Option<TaskId> {
        match *self {
            What::Start(t)
            | What::Done(t)
            | What::Unblock(t)
            | What::Block { task: t, .. }
            | What::Remaining { task: t, .. } => Some(t),
            _ => None,
        }
    }
}

/// One event of the log, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedEvent {
    /// Its position in the log, from 1.
    pub seq: u64,
    /// When it happened.
    pub at: Moment,
    /// When it was recorded.
    pub recorded_at: Moment,
    /// Who recorded it.
    pub by: String,
    /// What it records.
    pub what: What,
    /// Where it is written (unknown for an event not yet written).
    pub origin: Origin,
    /// The `seq` of the `void` event that takes it out of the fold, if any.
    pub voided_by: Option<u64>,
    /// Not yet happened or recorded at the data date (looking back): not applied.
    pub left_out: bool,
}

impl LoggedEvent {
    /// Applied to the status: neither voided nor left out (a `void` is never applied).
    pub fn counts(&self) -> bool {
        self.voided_by.is_none() && !self.left_out && !matches!(self.what, What::Void { .. })
    }
}

/// Resolves the events of a log written as `file` against `project`: every field
/// checked, ids resolved, instants and durations read. Problems are diagnostics at
/// the event; an event with problems is left out of the result.
pub fn read(
    project: &Project,
    events: &[Located<Event>],
    file: FileId,
) -> (Vec<LoggedEvent>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        if let Some(ev) = read_one(project, &e.value, e.span, file, &mut diagnostics) {
            let expected = i as u64 + 1;
            if ev.seq == expected {
                out.push(ev);
            } else {
                diagnostics.push(
                    Diagnostic::at(
                        Code::InvalidActuals,
                        Origin {
                            file,
                            span: e.value.seq.span,
                        },
                        format!(
                            "event {} of the log has seq {}: the log is append-only and \
                             numbered from 1",
                            expected, ev.seq
                        ),
                    )
                    .with_help(
                        "restore the log from version control, or renumber it; record \
                         corrections with `cutover log void`",
                    ),
                );
            }
        }
    }
    (out, diagnostics)
}

/// Resolves one event; `None` (with diagnostics) when it has a problem.
pub fn read_one(
    project: &Project,
    e: &Event,
    span: Span,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<LoggedEvent> {
    let here = |span: Span| Origin { file, span };
    let before = diagnostics.len();
    let kind = e.kind.value;
    let instant = |t: &Located<String>, diagnostics: &mut Vec<Diagnostic>| match parse_instant(
        &t.value,
        &project.tz,
    ) {
        Ok(m) => Some(m),
        Err(err) => {
            diagnostics.push(
                Diagnostic::at(Code::InvalidInstant, here(t.span), err.message).with_help(err.help),
            );
            None
        }
    };
    let at = instant(&e.at, diagnostics);
    let recorded_at = instant(&e.recorded_at, diagnostics);
    let missing = |field: &str, diagnostics: &mut Vec<Diagnostic>| {
        diagnostics.push(
            Diagnostic::at(
                Code::MissingField,
                here(span),
                format!("a `{}` event needs `{field}`", kind.name()),
            )
            .with_help("record events with `cutover log`, which writes every field"),
        );
    };
    let task = |diagnostics: &mut Vec<Diagnostic>| -> Option<TaskId> {
        let Some(id) = &e.task else {
            missing("task", diagnostics);
            return None;
        };
        let found = project.task_by_id(&id.value);
        if found.is_none() {
            diagnostics.push(unknown_task(project, &id.value, here(id.span)));
        }
        found
    };
    let text = |t: &Option<Located<String>>, field: &str, diagnostics: &mut Vec<Diagnostic>| {
        let v = t.as_ref().map(|t| t.value.clone());
        if v.is_none() {
            missing(field, diagnostics);
        }
        v
    };
    let what = match kind {
        EventKind::Start => task(diagnostics).map(What::Start),
        EventKind::Done => task(diagnostics).map(What::Done),
        EventKind::Unblock => task(diagnostics).map(What::Unblock),
        EventKind::Block => {
            let t = task(diagnostics);
            let reason = text(&e.reason, "reason", diagnostics);
            t.zip(reason)
                .map(|(task, reason)| What::Block { task, reason })
        }
        EventKind::Remaining => {
            let t = task(diagnostics);
            let minutes = match (&e.remaining, t) {
                (None, _) => {
                    missing("remaining", diagnostics);
                    None
                }
                (Some(r), Some(t)) => remaining_minutes(project, t, r, file, diagnostics),
                (Some(_), None) => None,
            };
            t.zip(minutes).map(|(task, minutes)| What::Remaining {
                task,
                minutes,
                text: e
                    .remaining
                    .as_ref()
                    .map_or(String::new(), |r| r.value.clone()),
            })
        }
        EventKind::Metric => {
            let name = text(&e.metric, "metric", diagnostics);
            let value = match &e.value {
                None => {
                    missing("value", diagnostics);
                    None
                }
                Some(v) if !v.value.is_finite() => {
                    diagnostics.push(Diagnostic::at(
                        Code::WrongType,
                        here(v.span),
                        "the reading is not a number",
                    ));
                    None
                }
                Some(v) => Some(v.value),
            };
            name.zip(value)
                .map(|(name, value)| What::Metric { name, value })
        }
        EventKind::Signoff => {
            let id = text(&e.signoff, "signoff", diagnostics);
            let by = text(&e.signed_by, "signed_by", diagnostics);
            id.zip(by)
                .map(|(id, signed_by)| What::Signoff { id, signed_by })
        }
        EventKind::Void => match &e.void {
            None => {
                missing("void", diagnostics);
                None
            }
            Some(v) => Some(What::Void {
                seq: v.value,
                reason: e.reason.as_ref().map(|r| r.value.clone()),
            }),
        },
    };
    if let (Some(at), Some(rec)) = (at, recorded_at)
        && at.0 > rec.0 + FUTURE_TOLERANCE
    {
        diagnostics.push(
            Diagnostic::at(
                Code::InvalidActuals,
                here(e.at.span),
                format!(
                    "the event is dated {}, more than {FUTURE_TOLERANCE} minutes after it was \
                     recorded ({})",
                    local_label(at, &project.tz),
                    local_label(rec, &project.tz)
                ),
            )
            .with_help("events record what has happened: check the date"),
        );
    }
    if diagnostics.len() > before {
        return None;
    }
    Some(LoggedEvent {
        seq: e.seq.value,
        at: at?,
        recorded_at: recorded_at?,
        by: e.by.value.clone(),
        what: what?,
        origin: here(span),
        voided_by: None,
        left_out: false,
    })
}

/// An "unknown task" diagnostic with a "did you mean".
pub fn unknown_task(project: &Project, id: &str, origin: Origin) -> Diagnostic {
    let help = suggestion(id, project.tasks.iter().map(|t| t.id.as_str()))
        .unwrap_or_else(|| "no task in the runbook has this id".to_owned());
    Diagnostic::at(Code::UnknownTask, origin, format!("unknown task `{id}`")).with_help(help)
}

/// Working minutes on `task`'s calendar for a `remaining` text.
fn remaining_minutes(
    project: &Project,
    task: TaskId,
    text: &Located<String>,
    file: FileId,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<i64> {
    let here = Origin {
        file,
        span: text.span,
    };
    let cal = project.calendar_of(task);
    match parse_duration(&text.value) {
        Ok(d) if !d.is_negative() => Some(d.minutes_with(cal.day_minutes, cal.week_minutes)),
        Ok(_) => {
            diagnostics.push(Diagnostic::at(
                Code::InvalidDuration,
                here,
                "remaining work cannot be negative",
            ));
            None
        }
        Err(err) => {
            diagnostics
                .push(Diagnostic::at(Code::InvalidDuration, here, err.message).with_help(err.help));
            None
        }
    }
}

/// What a data date earlier than some events leaves out, by kind.
#[derive(Debug, Default, Clone, Copy)]
pub struct LeftOutEvents {
    /// Starts, finishes, blocks and remaining work.
    pub tasks: usize,
    /// Metric readings.
    pub readings: usize,
    /// Sign-offs.
    pub signoffs: usize,
}

/// Marks voided events, and (looking back) those not yet happened or recorded at the
/// data date. Problems with `void` events are diagnostics.
pub fn mark(
    events: &mut [LoggedEvent],
    data_date: Moment,
    looking_back: bool,
) -> (LeftOutEvents, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut left = LeftOutEvents::default();
    if looking_back {
        for e in events.iter_mut() {
            if e.at > data_date || e.recorded_at > data_date {
                e.left_out = true;
                match e.what {
                    What::Metric { .. } => left.readings += 1,
                    What::Signoff { .. } => left.signoffs += 1,
                    What::Void { .. } => {}
                    _ => left.tasks += 1,
                }
            }
        }
    }
    let index: HashMap<u64, usize> = events.iter().enumerate().map(|(i, e)| (e.seq, i)).collect();
    for i in 0..events.len() {
        let (What::Void { seq: target, .. }, false) = (&events[i].what, events[i].left_out) else {
            continue;
        };
        let (target, own, origin) = (*target, events[i].seq, events[i].origin);
        let problem = match index.get(&target).map(|&j| &events[j]) {
            None => Some(format!(
                "event {own} voids event {target}, which the log does not have"
            )),
            Some(t) if t.seq >= own => Some(format!(
                "event {own} voids event {target}, which comes after it"
            )),
            Some(t) if matches!(t.what, What::Void { .. }) => Some(format!(
                "event {own} voids event {target}, itself a void: record the event again instead"
            )),
            Some(t) if t.voided_by.is_some() => Some(format!(
                "event {own} voids event {target}, already voided by event {}",
                t.voided_by.unwrap_or_default()
            )),
            Some(_) => None,
        };
        match problem {
            Some(message) => diagnostics.push(
                Diagnostic::at(Code::InvalidActuals, origin, message)
                    .with_help("`cutover log show` lists the events with their numbers"),
            ),
            None => {
                if let Some(&j) = index.get(&target) {
                    events[j].voided_by = Some(own);
                }
            }
        }
    }
    (left, diagnostics)
}

/// Applies the events that count to `status`, in the order they happened (`at`, then
/// `seq`). `status` holds the status file's own entries; the data date is set.
pub fn fold(project: &Project, status: &mut Status, events: &[LoggedEvent]) -> Vec<Diagnostic> {
    let tz = &project.tz;
    let mut diagnostics = Vec::new();
    let mut order: Vec<&LoggedEvent> = events.iter().filter(|e| e.counts()).collect();
    order.sort_by_key(|e| (e.at, e.seq));
    // When each task's logged start happened, to explain a finish dated before it.
    let mut starts: HashMap<TaskId, Moment> = HashMap::new();
    for e in &order {
        if let What::Start(t) = e.what {
            starts.entry(t).or_insert(e.at);
        }
    }
    // Remaining work by task: working minutes, as of when.
    let mut remaining: HashMap<TaskId, (i64, Moment)> = HashMap::new();
    let mut metrics_touched = Vec::new();
    for e in order {
        let fail = |message: String, help: &str| {
            Diagnostic::at(Code::InvalidActuals, e.origin, message).with_help(help.to_owned())
        };
        let when = |m: Moment| local_label(m, tz);
        let problem = match &e.what {
            What::Start(t) => {
                let (id, a) = (&project.tasks[*t].id, status.progress.actuals[*t]);
                if project.tasks[*t].milestone {
                    Some(
                        Diagnostic::at(
                            Code::MilestoneActuals,
                            e.origin,
                            format!("milestone `{id}` cannot start: it takes no time"),
                        )
                        .with_help("record when it was reached with `cutover log done`"),
                    )
                } else if let Some(f) = a.finished {
                    Some(fail(
                        format!(
                            "`{id}` starts at {} but finished at {}",
                            when(e.at),
                            when(f)
                        ),
                        "void the event that is wrong (`cutover log void N`)",
                    ))
                } else if let Some(s) = a.started {
                    Some(fail(
                        format!("`{id}` already started at {}", when(s)),
                        "a start is recorded once: void the wrong one (`cutover log void N`)",
                    ))
                } else {
                    status.progress.actuals[*t].started = Some(e.at);
                    started_early(project, &status.progress, *t, e)
                }
            }
            What::Done(t) => {
                let task = &project.tasks[*t];
                let a = status.progress.actuals[*t];
                if let Some(f) = a.finished {
                    Some(fail(
                        format!("`{}` already finished at {}", task.id, when(f)),
                        "a finish is recorded once: void the wrong one (`cutover log void N`)",
                    ))
                } else if let (None, false, Some(&s)) = (a.started, task.milestone, starts.get(t)) {
                    Some(fail(
                        format!(
                            "`{}` finishes at {}, before it started at {}",
                            task.id,
                            when(e.at),
                            when(s)
                        ),
                        "check the time given with --at",
                    ))
                } else if a.started.is_none() && !task.milestone {
                    Some(fail(
                        format!(
                            "`{}` finishes at {} but was never started",
                            task.id,
                            when(e.at)
                        ),
                        &format!(
                            "record its start first: `cutover log start {} --at TIME`",
                            task.id
                        ),
                    ))
                } else if let Some(s) = a.started.filter(|&s| e.at < s) {
                    Some(fail(
                        format!(
                            "`{}` finishes at {}, before it started at {}",
                            task.id,
                            when(e.at),
                            when(s)
                        ),
                        "check the time given with --at",
                    ))
                } else {
                    let actual = &mut status.progress.actuals[*t];
                    if task.milestone {
                        // Reached: it takes no time, so it starts as it finishes.
                        actual.started = Some(e.at);
                    }
                    actual.finished = Some(e.at);
                    actual.remaining = None;
                    actual.blocked = false;
                    status.blocked.remove(t);
                    remaining.remove(t);
                    if task.milestone {
                        super::milestone_before_predecessors(
                            project,
                            &status.progress,
                            *t,
                            e.origin,
                        )
                    } else {
                        None
                    }
                }
            }
            What::Block { task: t, reason } => {
                if let Some(f) = status.progress.actuals[*t].finished {
                    Some(fail(
                        format!(
                            "`{}` is blocked at {} but finished at {}",
                            project.tasks[*t].id,
                            when(e.at),
                            when(f)
                        ),
                        "a finished task cannot be blocked",
                    ))
                } else {
                    status.blocked.insert(*t, reason.clone());
                    None
                }
            }
            What::Unblock(t) => {
                if status.blocked.remove(t).is_none() {
                    Some(fail(
                        format!(
                            "`{}` is unblocked at {} but is not blocked",
                            project.tasks[*t].id,
                            when(e.at)
                        ),
                        "record `block` first, or check the task",
                    ))
                } else {
                    None
                }
            }
            What::Remaining {
                task: t, minutes, ..
            } => {
                let a = status.progress.actuals[*t];
                let id = &project.tasks[*t].id;
                if project.tasks[*t].milestone {
                    Some(
                        Diagnostic::at(
                            Code::MilestoneActuals,
                            e.origin,
                            format!("milestone `{id}` has remaining work"),
                        )
                        .with_label("a milestone takes no time")
                        .with_help("record when it was reached with `cutover log done`"),
                    )
                } else if a.finished.is_some() {
                    Some(fail(
                        format!("`{id}` has remaining work recorded but is finished"),
                        "remaining work is for tasks in progress",
                    ))
                } else if a.started.is_none_or(|s| s > e.at) {
                    Some(fail(
                        format!(
                            "`{id}` has remaining work at {} but had not started",
                            when(e.at)
                        ),
                        &format!("record its start first: `cutover log start {id} --at TIME`"),
                    ))
                } else {
                    remaining.insert(*t, (*minutes, e.at));
                    None
                }
            }
            What::Metric { name, value } => {
                status
                    .metrics
                    .entry(name.clone())
                    .or_default()
                    .push(Reading {
                        at: e.at,
                        value: *value,
                    });
                metrics_touched.push(name.clone());
                None
            }
            What::Signoff { id, signed_by } => {
                if let Some(s) = status.signoffs.get(id) {
                    Some(fail(
                        format!(
                            "sign-off `{id}` is already recorded{}",
                            s.by.as_ref()
                                .map_or(String::new(), |b| format!(" (by {b})"))
                        ),
                        "a sign-off is recorded once: void the wrong one (`cutover log void N`)",
                    ))
                } else {
                    status.signoffs.insert(
                        id.clone(),
                        Signoff {
                            by: Some(signed_by.clone()),
                            at: Some(e.at),
                        },
                    );
                    None
                }
            }
            What::Void { .. } => None,
        };
        diagnostics.extend(problem);
    }
    for name in metrics_touched {
        if let Some(r) = status.metrics.get_mut(&name) {
            r.sort_by_key(|r| r.at);
        }
    }
    // Remaining work as of the data date: the task worked through it since `at`.
    for (t, (minutes, at)) in remaining {
        let cal = project.calendar_of(t);
        let worked = match (cal.work_at(at), cal.work_at(status.as_of.max(at))) {
            (Ok(a), Ok(b)) => b - a,
            _ => 0,
        };
        status.progress.actuals[t].remaining = Some((minutes - worked).max(0));
    }
    for (t, a) in status.progress.actuals.iter_mut().enumerate() {
        a.blocked = a.finished.is_none() && status.blocked.contains_key(&t);
    }
    diagnostics
}

/// A start recorded before a predecessor allowed it (`W009`): a finish-to-start
/// predecessor not finished, or a start-to-start one not started, at the start's `at`
/// (lags aside). It happened, so it is recorded; the warning says so.
fn started_early(
    project: &Project,
    progress: &crate::schedule::Progress,
    task: TaskId,
    e: &LoggedEvent,
) -> Option<Diagnostic> {
    let tz = &project.tz;
    let id = &project.tasks[task].id;
    for dep in &project.tasks[task].deps {
        let pred = progress.actual(dep.pred);
        let (point, verb) = match dep.link {
            LinkType::FS => (pred.finished, "finished"),
            LinkType::SS => (pred.started.or(pred.finished), "started"),
            // Finish-to-finish and start-to-finish links say nothing about the start.
            LinkType::FF | LinkType::SF => continue,
        };
        if point.is_none_or(|p| p > e.at) {
            let pred_id = &project.tasks[dep.pred].id;
            return Some(
                Diagnostic::at(
                    Code::StartedBeforePredecessor,
                    e.origin,
                    format!(
                        "`{id}` started at {} before `{pred_id}` had {verb}",
                        local_label(e.at, tz)
                    ),
                )
                .with_help(format!(
                    "recorded as it happened; if `{pred_id}` has {verb}, record it: `cutover log {} {pred_id} --at TIME`",
                    if verb == "finished" { "done" } else { "start" }
                )),
            );
        }
    }
    None
}
