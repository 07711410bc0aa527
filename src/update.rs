//! `cutover update`: the message a command centre sends each hour.
//!
//! It is read off the same [`Live`] value as `cutover board` (the go/no-go report as of
//! now and the baseline plan), so the update and the board never disagree: the overall
//! status comes from the decision and the float to go-live, the overdue tasks are the
//! board's late tasks, the points of no return are the board's. The rules, in words,
//! are in `docs/live.md` ("The hourly update").

use serde::Serialize;

use crate::board::{Late, Live, board_of, owner_of};
use crate::decision::{Decision, Weight};
use crate::gates::done_minutes;
use crate::graph::TaskGraph;
use crate::project::Project;
use crate::schedule::ScheduleError;
use crate::status::{RunInfo, Status};
use crate::time::{Moment, Rfc3339, TMinus, day_label};

/// How far back "since the last update" reaches when `--since` is not given.
pub const DEFAULT_SINCE_MINUTES: i64 = 60;
/// How many of the next milestones the update names.
pub const NEXT_MILESTONES: usize = 3;
/// How many milestones passed, blocked and overdue tasks the update names each, at most;
/// the rest are counted (`cutover board` lists them all).
pub const MAX_LISTED: usize = 4;

/// On track, at risk or late: the one-word summary of the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// The decision now is GO and the plan is ready by go-live.
    OnTrack,
    /// Ready by go-live, but the decision now is GO WITH CONDITIONS or NO-GO.
    AtRisk,
    /// The plan, rescheduled from now, is ready after go-live.
    Late,
}

impl Overall {
    /// `ON TRACK`, `AT RISK`, `LATE`.
    pub fn label(self) -> &'static str {
        match self {
            Overall::OnTrack => "ON TRACK",
            Overall::AtRisk => "AT RISK",
            Overall::Late => "LATE",
        }
    }
}

/// The hourly update.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    /// The runbook's name.
    pub runbook: String,
    /// Which run this is: live, or a rehearsal (none without a status file).
    pub run: Option<RunInfo>,
    /// The time of the update: the clock, or `--as-of`.
    pub now: Rfc3339,
    /// Where `now` came from: `clock`, `as_of`.
    pub now_source: &'static str,
    /// `now` as T-minus.
    pub t_minus: TMinus,
    /// Go-live, T-0.
    pub go_live: Rfc3339,
    /// On track, at risk or late.
    pub status: Overall,
    /// Why, in one line.
    pub why: String,
    /// The decision now, as `board` and `report` give it.
    pub decision: &'static str,
    /// When the plan is ready, as forecast from now.
    pub ready: Rfc3339,
    /// Elapsed minutes from readiness to go-live (negative: late).
    pub float_to_go_live: i64,
    /// Tasks done and the share of the planned work done.
    pub progress: Progress,
    /// The start of "since the last update".
    pub since: Rfc3339,
    /// Whether `since` was given (`--since`) or is the default, an hour before now.
    pub since_given: bool,
    /// Milestones reached after `since` and by now, in the order reached.
    pub passed: Vec<Milestone>,
    /// The next milestones not yet reached, by forecast.
    pub next: Vec<Milestone>,
    /// Blocked tasks, most urgent (least float) first.
    pub blocked: Vec<Blocked>,
    /// Tasks behind the baseline plan, most behind first (the board's late tasks), but
    /// for those blocked: a blocked task is named once, in `blocked`.
    pub overdue: Vec<Late>,
    /// The next decision point: a gate falling due, a rollback decision deadline, or a
    /// point of no return, whichever comes first.
    pub next_decision: Option<DecisionPoint>,
    /// Time labels for people, in the runbook's zone.
    #[serde(skip)]
    pub labels: Labels,
}

/// Display strings computed once (renderers do not compute).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// `now`, with weekday.
    pub now: String,
    /// `since`, with weekday.
    pub since: String,
    /// Readiness, with weekday.
    pub ready: String,
    /// Go-live, with weekday.
    pub go_live: String,
}

/// Tasks done, and the share of planned work done.
#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    /// Tasks (milestones aside) finished.
    pub done: usize,
    /// Tasks (milestones aside) in the runbook.
    pub total: usize,
    /// Working minutes of planned duration done: finished tasks in full, a task in
    /// progress by its working time so far, capped at its duration.
    pub done_minutes: i64,
    /// Working minutes of planned duration in all.
    pub total_minutes: i64,
    /// `done_minutes` as a percentage of `total_minutes`, to one decimal (100 with no work).
    pub percent: f64,
}

/// A milestone, reached or to come.
#[derive(Debug, Clone, Serialize)]
pub struct Milestone {
    /// Task id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it was reached, or is forecast to be.
    pub at: Rfc3339,
    /// As T-minus.
    pub t_minus: TMinus,
    /// On the driving path to go-live (next milestones only).
    pub critical: bool,
    /// Local time with weekday, for people.
    #[serde(skip)]
    pub label: String,
}

/// A blocked task.
#[derive(Debug, Clone, Serialize)]
pub struct Blocked {
    /// Task id.
    pub id: String,
    /// The owner (or the workstream's lead).
    pub owner: Option<String>,
    /// Why it is blocked.
    pub reason: String,
    /// Float left to go-live as forecast now (working minutes), if it leads to go-live.
    pub float_to_go_live_minutes: Option<i64>,
}

/// What the next decision point is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// A readiness gate falls due and is judged.
    Gate,
    /// The latest a point of no return may be passed with time left to roll back.
    RollbackDecision,
    /// A point of no return without `rollback:` is passed.
    PointOfNoReturn,
}

/// The next decision point.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionPoint {
    /// A gate, a rollback decision deadline, or a point of no return.
    pub kind: DecisionKind,
    /// The gate's or task's id.
    pub id: String,
    /// The gate's or task's name.
    pub name: String,
    /// Who presents the gate, or owns the task.
    pub owner: Option<String>,
    /// When.
    pub at: Rfc3339,
    /// Elapsed minutes from now.
    pub minutes_from_now: i64,
    /// Local time with weekday and T-minus, for people.
    #[serde(skip)]
    pub label: String,
}

/// Writes the update for `status` (its data date is "now"), covering what happened
/// after `since` (default: [`DEFAULT_SINCE_MINUTES`] before now).
pub fn update(
    project: &Project,
    graph: &TaskGraph,
    status: Status,
    since: Option<Moment>,
) -> Result<Update, ScheduleError> {
    let live = crate::board::live(project, graph, status)?;
    Ok(update_of(project, &live, since))
}

/// The update from what [`crate::board::live`] computed.
pub fn update_of(project: &Project, live: &Live, since: Option<Moment>) -> Update {
    let board = board_of(project, live);
    let report = &live.report;
    let tz = &project.tz;
    let s = &report.plan.schedule;
    let now = report.status.as_of;
    let since_given = since.is_some();
    let since = since.unwrap_or(Moment(now.0 - DEFAULT_SINCE_MINUTES));
    let t_minus = |at: Moment| TMinus {
        at,
        go_live: s.go_live,
    };
    let with_t = |at: Moment| format!("{} ({})", day_label(at, tz), t_minus(at));

    let (status, why) = overall(live, board.float_to_go_live, &with_t);

    // Progress: the rule of a `workstream_done` criterion, over every task.
    let mut progress = Progress {
        done: 0,
        total: 0,
        done_minutes: 0,
        total_minutes: 0,
        percent: 100.0,
    };
    for (t, task) in project.tasks.iter().enumerate() {
        if task.milestone {
            continue;
        }
        progress.total += 1;
        if report.status.progress.actual(t).finished.is_some() {
            progress.done += 1;
        }
        progress.total_minutes += task.duration;
        progress.done_minutes += done_minutes(&report.plan, t, now);
    }
    if progress.total_minutes > 0 {
        #[allow(clippy::cast_precision_loss)] // minutes, far below 2^52
        let share = progress.done_minutes as f64 * 100.0 / progress.total_minutes as f64;
        progress.percent = (share * 10.0).floor() / 10.0;
    }

    // Milestones reached in (since, now], and the next ones by forecast.
    let mut passed = Vec::new();
    let mut next = Vec::new();
    for (t, task) in project.tasks.iter().enumerate() {
        if !task.milestone {
            continue;
        }
        let milestone = |at: Moment, critical: bool| Milestone {
            id: task.id.clone(),
            name: task.name.clone(),
            at: Rfc3339::new(at, tz),
            t_minus: t_minus(at),
            critical,
            label: day_label(at, tz),
        };
        match report.status.progress.actual(t).finished {
            Some(at) if at > since && at <= now => passed.push((at, milestone(at, false))),
            Some(_) => {}
            None => {
                let at = s.tasks[t].early_finish;
                next.push((at, milestone(at, s.tasks[t].critical)));
            }
        }
    }
    let by_time = |a: &(Moment, Milestone), b: &(Moment, Milestone)| {
        a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id))
    };
    passed.sort_by(by_time);
    next.sort_by(by_time);
    next.truncate(NEXT_MILESTONES);

    let mut blocked: Vec<Blocked> = report
        .status
        .blocked
        .iter()
        .filter(|(t, _)| report.status.progress.actual(**t).finished.is_none())
        .map(|(&t, reason)| Blocked {
            id: project.tasks[t].id.clone(),
            owner: owner_of(project, t),
            reason: reason.clone(),
            float_to_go_live_minutes: s.tasks[t].float_to_go_live,
        })
        .collect();
    blocked.sort_by(|a, b| {
        let key = |x: &Blocked| x.float_to_go_live_minutes.unwrap_or(i64::MAX);
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });

    let next_decision = next_decision(project, live, &board, &with_t);

    Update {
        runbook: project.name.clone(),
        run: board.run.clone(),
        now: board.now,
        now_source: board.now_source,
        t_minus: board.t_minus,
        go_live: board.go_live,
        status,
        why,
        decision: board.decision,
        ready: board.ready,
        float_to_go_live: board.float_to_go_live,
        progress,
        since: Rfc3339::new(since, tz),
        since_given,
        passed: passed.into_iter().map(|(_, m)| m).collect(),
        next: next.into_iter().map(|(_, m)| m).collect(),
        // A blocked task that is also late is named once, as blocked.
        overdue: {
            let blocked: std::collections::HashSet<&str> =
                blocked.iter().map(|b| b.id.as_str()).collect();
            board
                .late
                .into_iter()
                .filter(|l| !blocked.contains(l.id.as_str()))
                .collect()
        },
        blocked,
        next_decision,
        labels: Labels {
            now: with_t(now),
            since: day_label(since, tz),
            ready: with_t(report.plan.fit.ready),
            go_live: day_label(s.go_live, tz),
        },
    }
}

/// The overall status and its one line why (docs/live.md, "The hourly update"):
/// late when the plan is ready after go-live; else at risk when the decision now is
/// not GO; else on track.
fn overall(live: &Live, float: i64, with_t: &dyn Fn(Moment) -> String) -> (Overall, String) {
    let outcome = &live.report.outcome;
    let ready = with_t(live.report.plan.fit.ready);
    if float < 0 {
        return (
            Overall::Late,
            format!(
                "forecast ready {ready}, {} after go-live",
                crate::time::Elapsed(-float)
            ),
        );
    }
    if outcome.decision == Decision::Go {
        return (
            Overall::OnTrack,
            format!(
                "the decision now is GO; forecast ready {ready}, {} before go-live",
                crate::time::Elapsed(float)
            ),
        );
    }
    let weighty: Vec<&str> = outcome
        .reasons
        .iter()
        .filter(|r| r.weight != Weight::Note)
        .map(|r| r.text.as_str())
        .collect();
    let first = weighty.first().copied().unwrap_or("");
    let more = match weighty.len() {
        0 | 1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    (
        Overall::AtRisk,
        format!(
            "the decision now is {}: {first}{more}",
            outcome.decision.label()
        ),
    )
}

/// The earliest of: the next gate to fall due, each point of no return's rollback
/// decision deadline (or, without `rollback:`, its forecast pass) still ahead.
fn next_decision(
    project: &Project,
    live: &Live,
    board: &crate::board::Board,
    with_t: &dyn Fn(Moment) -> String,
) -> Option<DecisionPoint> {
    let report = &live.report;
    let now = report.status.as_of;
    let tz = &project.tz;
    let mut candidates: Vec<(Moment, DecisionKind, String, String, Option<String>)> = Vec::new();
    for g in report.gates.iter().filter(|g| !g.is_due) {
        let gate = &project.gates[g.gate];
        candidates.push((
            g.due,
            DecisionKind::Gate,
            gate.id.clone(),
            gate.name.clone(),
            gate.owner.clone(),
        ));
    }
    for (p, point) in report
        .plan
        .fit
        .points_of_no_return
        .iter()
        .zip(&board.points_of_no_return)
    {
        if point.passed {
            continue;
        }
        let (at, kind) = match p.latest {
            Some(latest) => (latest, DecisionKind::RollbackDecision),
            None => (p.planned, DecisionKind::PointOfNoReturn),
        };
        if at < now {
            continue;
        }
        let task = &project.tasks[p.task];
        candidates.push((
            at,
            kind,
            task.id.clone(),
            task.name.clone(),
            owner_of(project, p.task),
        ));
    }
    candidates.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
    candidates
        .into_iter()
        .next()
        .map(|(at, kind, id, name, owner)| DecisionPoint {
            kind,
            id,
            name,
            owner,
            at: Rfc3339::new(at, tz),
            minutes_from_now: at.0 - now.0,
            label: with_t(at),
        })
}
