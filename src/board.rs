//! `cutover board`: the live picture for the command centre, as of now.
//!
//! One value holds every fact the board shows, computed from the go/no-go report at the
//! data date (the clock, or `--as-of`) and from the baseline plan (the runbook with no
//! actuals), which says where each task should be by now. The rules, in words, are in
//! `docs/live.md` ("The board").

use serde::Serialize;

use crate::decision::{Decision, Weight};
use crate::graph::TaskGraph;
use crate::plan::Filter;
use crate::project::{Project, TaskId};
use crate::report::{Report, report_listing};
use crate::schedule::{Inputs, Schedule, ScheduleError, Standing, schedule_with};
use crate::status::{RunInfo, Status};
use crate::time::{Moment, Rfc3339, TMinus, local_label};

/// How many tasks the board lists as next, per workstream.
pub const NEXT_PER_WORKSTREAM: usize = 2;

/// The board: one screen for the command centre.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    /// The runbook's name.
    pub runbook: String,
    /// Which run this is: live, or a rehearsal (none without a status file).
    pub run: Option<RunInfo>,
    /// The time the board is drawn for: the clock, or `--as-of`.
    pub now: Rfc3339,
    /// Where `now` came from: `clock`, `as_of` (see docs/json.md).
    pub now_source: &'static str,
    /// `now` as T-minus.
    pub t_minus: TMinus,
    /// Go-live, T-0.
    pub go_live: Rfc3339,
    /// The decision now: `GO`, `GO WITH CONDITIONS` or `NO-GO`.
    pub decision: &'static str,
    /// The decision as a value, for colour.
    #[serde(skip)]
    pub verdict: Decision,
    /// The reasons that set it (no-go and conditions, heaviest first), in words.
    pub reasons: Vec<String>,
    /// How many reasons there are in all (notes included); `report` lists them.
    pub reasons_total: usize,
    /// When the plan is ready for go-live, as forecast from now.
    pub ready: Rfc3339,
    /// Elapsed minutes from readiness to go-live (negative: late).
    pub float_to_go_live: i64,
    /// Tasks started and not finished, by start.
    pub running: Vec<Running>,
    /// For each workstream with work left, its next tasks to start.
    pub next: Vec<NextUp>,
    /// Tasks behind the baseline plan, most behind first.
    pub late: Vec<Late>,
    /// Each point of no return: when it is passed, and the rollback decision deadline.
    pub points_of_no_return: Vec<Point>,
    /// Time labels, in the runbook's zone, for the renderers.
    #[serde(skip)]
    pub labels: Labels,
}

/// Display strings computed once (renderers do not compute).
#[derive(Debug, Clone, Default)]
pub struct Labels {
    /// `now` in local time.
    pub now: String,
    /// `now` as T-minus.
    pub t_minus: String,
    /// Readiness in local time and T-minus.
    pub ready: String,
    /// Go-live in local time.
    pub go_live: String,
}

/// A task in progress.
#[derive(Debug, Clone, Serialize)]
pub struct Running {
    /// Task id.
    pub id: String,
    /// Task name.
    pub name: String,
    /// The owner (or the workstream's lead).
    pub owner: Option<String>,
    /// When it started.
    pub started: Rfc3339,
    /// Working minutes since it started, on its calendar.
    pub elapsed_minutes: i64,
    /// Its planned duration, in working minutes.
    pub planned_minutes: i64,
    /// Elapsed beyond plan.
    pub overrunning: bool,
    /// Why it is blocked, if it is.
    pub blocked: Option<String>,
    /// When it is forecast to finish.
    pub forecast_finish: Rfc3339,
    /// Elapsed and planned in the calendar's days and hours, for people.
    #[serde(skip)]
    pub label: String,
    /// Start and forecast finish in local time, for people.
    #[serde(skip)]
    pub times: (String, String),
}

/// A workstream's next tasks.
#[derive(Debug, Clone, Serialize)]
pub struct NextUp {
    /// Workstream id (`-` for tasks in none).
    pub workstream: String,
    /// Its lead.
    pub lead: Option<String>,
    /// The next tasks, by forecast start.
    pub tasks: Vec<Upcoming>,
}

/// A task due to start.
#[derive(Debug, Clone, Serialize)]
pub struct Upcoming {
    /// Task id.
    pub id: String,
    /// Task name.
    pub name: String,
    /// The owner (or the workstream's lead).
    pub owner: Option<String>,
    /// Its forecast start from now.
    pub start: Rfc3339,
    /// As T-minus.
    pub t_minus: TMinus,
    /// On the driving path to go-live.
    pub critical: bool,
    /// Local start, for people.
    #[serde(skip)]
    pub start_label: String,
}

/// A task behind the baseline plan.
#[derive(Debug, Clone, Serialize)]
pub struct Late {
    /// Task id.
    pub id: String,
    /// The owner (or the workstream's lead).
    pub owner: Option<String>,
    /// `start` (not started, though the baseline started it) or `finish` (not
    /// finished, though the baseline finished it).
    pub missed: &'static str,
    /// When the baseline plan had it start or finish.
    pub baseline: Rfc3339,
    /// Elapsed minutes since then.
    pub late_minutes: i64,
    /// Float left to go-live as forecast now (working minutes), if it leads to go-live.
    pub float_to_go_live_minutes: Option<i64>,
    /// Local baseline time, for people.
    #[serde(skip)]
    pub baseline_label: String,
}

/// A point of no return on the board.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// Task id.
    pub id: String,
    /// Passed already (the task is done).
    pub passed: bool,
    /// When it is (forecast to be) passed.
    pub passes: Rfc3339,
    /// Elapsed minutes from now until it is passed (negative: passed).
    pub minutes_to_pass: i64,
    /// The rollback decision deadline: the latest it may be passed with time left to roll
    /// back by the window's close (or go-live), when the runbook gives `rollback:`.
    pub decide_by: Option<Rfc3339>,
    /// Elapsed minutes from now to that deadline.
    pub minutes_to_decide: Option<i64>,
    /// Local times, for people.
    #[serde(skip)]
    pub labels: (String, Option<String>),
}

/// What the live commands (`board`, `update`) judge from: the go/no-go report as of
/// now (the status's data date) and the baseline plan (the runbook with no actuals).
/// Both commands read the same value, so they never disagree.
pub struct Live<'a> {
    /// The report as of now, rescheduled from now with the actuals.
    pub report: Report<'a>,
    /// The runbook scheduled with no actuals, as planned before the weekend.
    pub baseline: Schedule,
}

/// Plans and judges `project` as of `status`'s data date ("now"), and its baseline.
pub fn live<'a>(
    project: &'a Project,
    graph: &TaskGraph,
    status: Status,
) -> Result<Live<'a>, ScheduleError> {
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    let baseline = schedule_with(project, graph, Inputs::of(project, &durations, None))?;
    // The live commands list no plan rows: the driving path costs no sort of every task.
    let driving = Filter {
        driving_path: true,
        ..Filter::default()
    };
    let report = report_listing(project, graph, status, &driving)?;
    Ok(Live { report, baseline })
}

/// Who answers for a task: its owner, else its workstream's lead.
pub(crate) fn owner_of(project: &Project, t: TaskId) -> Option<String> {
    let task = &project.tasks[t];
    task.owner.clone().or_else(|| {
        task.workstream
            .and_then(|w| project.workstreams[w].lead.clone())
    })
}

/// Draws the board for `status` (its data date is "now").
pub fn board(project: &Project, graph: &TaskGraph, status: Status) -> Result<Board, ScheduleError> {
    Ok(board_of(project, &live(project, graph, status)?))
}

/// Draws the board from what [`live`] computed.
pub fn board_of(project: &Project, live: &Live) -> Board {
    let report = &live.report;
    let now = report.status.as_of;
    let now_source = report.status.source;
    let run = RunInfo::of(&report.status);
    let tz = &project.tz;
    let s = &report.plan.schedule;
    let fit = &report.plan.fit;
    let owner = |t: TaskId| owner_of(project, t);
    let at = |m: Moment| {
        format!(
            "{} ({})",
            local_label(m, tz),
            TMinus {
                at: m,
                go_live: s.go_live
            }
        )
    };

    let running = running(project, report, now, &owner);
    let next = next_up(project, report, &owner);
    let late = late(project, report, &live.baseline, now, &owner);
    let points = fit
        .points_of_no_return
        .iter()
        .map(|p| {
            let passed = report.status.progress.actual(p.task).finished.is_some();
            Point {
                id: project.tasks[p.task].id.clone(),
                passed,
                passes: Rfc3339::new(p.planned, tz),
                minutes_to_pass: p.planned.0 - now.0,
                decide_by: p.latest.map(|l| Rfc3339::new(l, tz)),
                minutes_to_decide: p.latest.map(|l| l.0 - now.0),
                labels: (at(p.planned), p.latest.map(at)),
            }
        })
        .collect();
    let reasons_total = report.outcome.reasons.len();
    let reasons = report
        .outcome
        .reasons
        .iter()
        .filter(|r| r.weight != Weight::Note)
        .map(|r| r.text.clone())
        .collect();
    Board {
        runbook: project.name.clone(),
        run,
        now: Rfc3339::new(now, tz),
        now_source: now_source.name(),
        t_minus: TMinus {
            at: now,
            go_live: s.go_live,
        },
        go_live: Rfc3339::new(s.go_live, tz),
        decision: report.outcome.decision.label(),
        verdict: report.outcome.decision,
        reasons,
        reasons_total,
        ready: Rfc3339::new(fit.ready, tz),
        float_to_go_live: fit.float_to_go_live(),
        running,
        next,
        late,
        points_of_no_return: points,
        labels: Labels {
            now: local_label(now, tz),
            t_minus: TMinus {
                at: now,
                go_live: s.go_live,
            }
            .to_string(),
            ready: at(fit.ready),
            go_live: local_label(s.go_live, tz),
        },
    }
}

fn running(
    project: &Project,
    report: &Report,
    now: Moment,
    owner: &dyn Fn(TaskId) -> Option<String>,
) -> Vec<Running> {
    let tz = &project.tz;
    let s = &report.plan.schedule;
    let mut out: Vec<(Moment, Running)> = Vec::new();
    for (t, task) in project.tasks.iter().enumerate() {
        let a = report.status.progress.actual(t);
        let (Some(started), None) = (a.started, a.finished) else {
            continue;
        };
        let cal = project.calendar_of(t);
        let elapsed = match (cal.work_at(started), cal.work_at(now.max(started))) {
            (Ok(a), Ok(b)) => b - a,
            _ => 0,
        };
        let day = cal.day_minutes;
        let finish = s.tasks[t].early_finish;
        out.push((
            started,
            Running {
                id: task.id.clone(),
                name: task.name.clone(),
                owner: owner(t),
                started: Rfc3339::new(started, tz),
                elapsed_minutes: elapsed,
                planned_minutes: task.duration,
                overrunning: elapsed > task.duration,
                blocked: report.status.blocked.get(&t).cloned(),
                forecast_finish: Rfc3339::new(finish, tz),
                label: format!(
                    "{} of {}",
                    crate::time::work_label(elapsed, day),
                    crate::time::work_label(task.duration, day)
                ),
                times: (local_label(started, tz), local_label(finish, tz)),
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    out.into_iter().map(|(_, r)| r).collect()
}

fn next_up(
    project: &Project,
    report: &Report,
    owner: &dyn Fn(TaskId) -> Option<String>,
) -> Vec<NextUp> {
    let tz = &project.tz;
    let s = &report.plan.schedule;
    // Workstreams in runbook order, then tasks in none.
    let mut groups: Vec<(Option<usize>, Vec<TaskId>)> = (0..project.workstreams.len())
        .map(|w| (Some(w), Vec::new()))
        .collect();
    groups.push((None, Vec::new()));
    for (t, task) in project.tasks.iter().enumerate() {
        if s.tasks[t].standing != Standing::NotStarted {
            continue;
        }
        let slot = task.workstream.unwrap_or(project.workstreams.len());
        groups[slot].1.push(t);
    }
    groups
        .into_iter()
        .filter(|(_, tasks)| !tasks.is_empty())
        .map(|(w, mut tasks)| {
            tasks.sort_by_key(|&t| (s.tasks[t].early_start, t));
            tasks.truncate(NEXT_PER_WORKSTREAM);
            NextUp {
                workstream: w.map_or("-".to_owned(), |w| project.workstreams[w].id.clone()),
                lead: w.and_then(|w| project.workstreams[w].lead.clone()),
                tasks: tasks
                    .into_iter()
                    .map(|t| {
                        let start = s.tasks[t].early_start;
                        Upcoming {
                            id: project.tasks[t].id.clone(),
                            name: project.tasks[t].name.clone(),
                            owner: owner(t),
                            start: Rfc3339::new(start, tz),
                            t_minus: TMinus {
                                at: start,
                                go_live: s.go_live,
                            },
                            critical: s.tasks[t].critical,
                            start_label: local_label(start, tz),
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn late(
    project: &Project,
    report: &Report,
    baseline: &crate::schedule::Schedule,
    now: Moment,
    owner: &dyn Fn(TaskId) -> Option<String>,
) -> Vec<Late> {
    let tz = &project.tz;
    let s = &report.plan.schedule;
    let mut out = Vec::new();
    for (t, task) in project.tasks.iter().enumerate() {
        let a = report.status.progress.actual(t);
        let b = &baseline.tasks[t];
        let missed = match (a.started, a.finished) {
            (_, Some(_)) => continue,
            (None, _) if b.early_start < now => Some(("start", b.early_start)),
            (_, None) if b.early_finish < now => Some(("finish", b.early_finish)),
            _ => None,
        };
        // A milestone is "started" only when reached: one missed is a missed finish.
        let Some((what, when)) = missed else { continue };
        let what = if task.milestone { "finish" } else { what };
        out.push(Late {
            id: task.id.clone(),
            owner: owner(t),
            missed: what,
            baseline: Rfc3339::new(when, tz),
            late_minutes: now.0 - when.0,
            float_to_go_live_minutes: s.tasks[t].float_to_go_live,
            baseline_label: local_label(when, tz),
        });
    }
    out.sort_by(|a, b| {
        b.late_minutes
            .cmp(&a.late_minutes)
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}
