//! Rehearsal calibration: how long the weekend's tasks really took in the dress
//! rehearsals, against the plan, and three-point estimates fitted from what was seen.
//!
//! Each rehearsal is a status file resolved against the runbook like any other. A task
//! is *measured* in a rehearsal when that file gives it both `started` and `finished`;
//! its actual duration is the working time between the two on the task's own calendar,
//! counted exactly as the scheduler counts a duration (`Calendar::work_between`), so
//! actual and plan are in the same units. The method is in `docs/calibrate.md`:
//!
//! - one or two rehearsals **widen** the plan's estimate by what was seen (best can only
//!   fall, likely and worst only rise): too few runs to narrow it;
//! - three or more **fit** it: likely becomes the median of the actuals, best and worst
//!   keep the plan's proportions around it and stretch to cover every actual.
//!
//! Either way, actuals equal to the plan leave the plan's estimate unchanged (a
//! property test holds the method to that).

use std::collections::HashSet;

use serde::Serialize;

use crate::graph::TaskGraph;
use crate::montecarlo::{self, Forecast};
use crate::project::{Distribution, Estimate, Project, Scenario, TaskId};
use crate::scenario::apply;
use crate::schedule::{Actual, Inputs, Progress, ScheduleError, schedule};
use crate::status::Status;
use crate::time::{Moment, Stamp, TMinus, work_label};

/// The ratio above which a rehearsal is flagged as having run over (`--over`).
pub const DEFAULT_OVER: f64 = 1.5;

/// The id of the scenario the estimates file holds.
pub const SCENARIO_ID: &str = "calibrated";

/// One rehearsal to learn from: a resolved status file.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    /// The status file's path as given (for output).
    pub file: String,
    /// The file's name without `.status.yaml` (or its last extension), the label when
    /// the file does not name its run.
    pub stem: String,
    /// The resolved status.
    pub status: Status,
}

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Flag a rehearsal that ran more than this many times the plan (`--over`).
    pub over: f64,
    /// Run Monte Carlo on the planned and the calibrated estimates (`--simulate`).
    pub monte_carlo: Option<montecarlo::Settings>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            over: DEFAULT_OVER,
            monte_carlo: None,
        }
    }
}

/// Why calibration could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalibrateError {
    /// Two rehearsals have the same label: their columns could not be told apart.
    #[error(
        "two rehearsals are both called `{0}`: give each status file its own `run: {{ kind: rehearsal, name: ... }}`"
    )]
    DuplicateLabel(String),
    /// No rehearsal was given.
    #[error("give at least one rehearsal status file (--rehearsal FILE)")]
    NoRehearsal,
    /// The plan (or a Monte Carlo iteration) ran outside the plan's horizon.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

/// A three-point estimate in working minutes on the task's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ThreePoint {
    /// Best case.
    pub best: i64,
    /// Most likely: the planned duration.
    pub likely: i64,
    /// Worst case.
    pub worst: i64,
}

/// How a suggested estimate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// One or two rehearsals: the plan's estimate widened by what was seen.
    Widened,
    /// Three or more: fitted to the actuals (median, plan's proportions, widened).
    Fitted,
}

impl Method {
    /// `widened` or `fitted`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Widened => "widened",
            Method::Fitted => "fitted",
        }
    }
}

/// Where the plan's three-point estimate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanSource {
    /// The task's own `estimate:`.
    Estimate,
    /// A `duration:` spread by the runbook's `uncertainty:` (what Monte Carlo draws from).
    Uncertainty,
}

/// `pert` or `triangular`, as the runbook writes it.
pub fn distribution_label(d: Distribution) -> &'static str {
    match d {
        Distribution::Pert => "pert",
        Distribution::Triangular => "triangular",
    }
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's serialize_with passes a reference"
)]
fn distribution_name<S: serde::Serializer>(d: &Distribution, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(distribution_label(*d))
}

/// Nearest whole minute of a non-negative number (halves up).
fn nearest(x: f64) -> i64 {
    x.round() as i64
}

/// The estimate calibrated from `actuals` (working minutes, at least one): with one or
/// two, `plan` widened by them; with three or more, fitted to them. See the module doc
/// and `docs/calibrate.md`; the result always has best <= likely <= worst.
pub fn fit(plan: ThreePoint, actuals: &[i64]) -> (ThreePoint, Method) {
    let (Some(&low), Some(&high)) = (actuals.iter().min(), actuals.iter().max()) else {
        return (plan, Method::Widened);
    };
    let n = actuals.len() as i64;
    if n < 3 {
        // Mean, to the minute, halves up.
        let mean = (actuals.iter().sum::<i64>() * 2 + n) / (2 * n);
        let fitted = ThreePoint {
            best: plan.best.min(low),
            likely: plan.likely.max(mean),
            worst: plan.worst.max(high),
        };
        return (fitted, Method::Widened);
    }
    let mut sorted = actuals.to_vec();
    sorted.sort_unstable();
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid] + 1) / 2
    };
    // The plan's best and worst scaled by median / likely (its proportions kept).
    let (best, worst) = if plan.likely > 0 {
        let scale = |x: i64| nearest((x as f64) * (median as f64) / (plan.likely as f64));
        (scale(plan.best), scale(plan.worst))
    } else {
        (low, high)
    };
    let fitted = ThreePoint {
        best: best.min(low).min(median),
        likely: median,
        worst: worst.max(high).max(median),
    };
    (fitted, Method::Fitted)
}

/// The three-point estimate Monte Carlo draws `task` from today: its `estimate:`, or its
/// duration spread by the runbook's `uncertainty:` (to the minute, and kept in order).
pub fn plan_estimate(project: &Project, task: TaskId) -> (ThreePoint, Distribution, PlanSource) {
    let t = &project.tasks[task];
    if let Some(e) = t.estimate {
        return (
            ThreePoint {
                best: e.best,
                likely: e.likely,
                worst: e.worst,
            },
            e.distribution,
            PlanSource::Estimate,
        );
    }
    let d = t.duration;
    let u = project.uncertainty;
    (
        ThreePoint {
            best: nearest(d as f64 * u.best).min(d),
            likely: d,
            worst: nearest(d as f64 * u.worst).max(d),
        },
        u.distribution,
        PlanSource::Uncertainty,
    )
}

/// One rehearsal as shown in the output.
#[derive(Debug, Clone, Serialize)]
pub struct RehearsalInfo {
    /// The column heading: the status file's `run:` name, else its file name.
    pub label: String,
    /// `run` when the label is the status file's `run: { name }`, `file` otherwise.
    pub label_from: &'static str,
    /// The status file.
    pub file: String,
    /// The status file's data date.
    pub as_of: Stamp,
    /// The file says it is the live run, not a rehearsal.
    pub says_live: bool,
}

/// A task's duration in one rehearsal.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Measured {
    /// Working minutes from `started` to `finished` on the task's calendar.
    pub actual: i64,
    /// Actual over planned.
    pub ratio: f64,
    /// The ratio is above the threshold.
    pub over: bool,
}

/// One task with actuals in at least one rehearsal.
#[derive(Debug, Clone, Serialize)]
pub struct TaskCalibration {
    /// The task, an index into [`Project::tasks`].
    #[serde(skip)]
    pub index: TaskId,
    /// The task's id.
    pub task: String,
    /// The task's name.
    pub name: String,
    /// Its workstream's id, if it has one.
    pub workstream: Option<String>,
    /// Minutes in one working day of the task's calendar (for labels).
    pub day_minutes: i64,
    /// The planned duration, working minutes.
    pub plan: i64,
    /// The plan's three-point estimate.
    pub plan_estimate: ThreePoint,
    /// Where that estimate comes from.
    pub plan_source: PlanSource,
    /// The distribution Monte Carlo draws from (kept in the suggestion).
    #[serde(serialize_with = "distribution_name")]
    pub distribution: Distribution,
    /// Each rehearsal's measurement, in rehearsal order; `None`: not measured there.
    pub rehearsals: Vec<Option<Measured>>,
    /// Widened or fitted.
    pub method: Method,
    /// The suggested estimate.
    pub suggested: ThreePoint,
    /// The suggestion differs from the plan's estimate.
    pub changed: bool,
}

/// Plan against actual over a set of tasks in one rehearsal.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Totals {
    /// How many tasks were measured.
    pub tasks: usize,
    /// Their planned durations added up (working minutes).
    pub plan: i64,
    /// Their actual durations added up (working minutes).
    pub actual: i64,
    /// Actual over planned (`None` when nothing planned).
    pub ratio: Option<f64>,
    /// The ratio is above the threshold.
    pub over: bool,
}

/// A workstream's tasks, plan against actual, per rehearsal.
#[derive(Debug, Clone, Serialize)]
pub struct WorkstreamTotals {
    /// The workstream's id (`None`: tasks with no workstream).
    pub workstream: Option<String>,
    /// Its name.
    pub name: String,
    /// Per rehearsal, in rehearsal order.
    pub rehearsals: Vec<Totals>,
}

/// The window's tasks measured in one rehearsal: work and elapsed span.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WindowTotals {
    /// Work, plan against actual, over the window tasks measured.
    pub work: Totals,
    /// Elapsed minutes from the first planned start to the last planned finish of the
    /// window tasks measured.
    pub plan_span: i64,
    /// Elapsed minutes from the first actual start to the last actual finish of the
    /// same tasks.
    pub actual_span: i64,
    /// Actual span over planned span (`None` when the planned span is zero).
    pub span_ratio: Option<f64>,
    /// The span ratio is above the threshold.
    pub span_over: bool,
}

/// The cutover window: its tasks (planned to start inside it), per rehearsal.
#[derive(Debug, Clone, Serialize)]
pub struct WindowCalibration {
    /// When the window opens.
    pub opens: Stamp,
    /// When it closes.
    pub closes: Stamp,
    /// How many tasks (not milestones) the plan starts inside the window.
    pub tasks: usize,
    /// Per rehearsal, in rehearsal order.
    pub rehearsals: Vec<WindowTotals>,
}

/// Something a rehearsal records that could not be measured.
#[derive(Debug, Clone, Serialize)]
pub struct Unmeasured {
    /// The rehearsal's label.
    pub rehearsal: String,
    /// The task's id.
    pub task: String,
    /// Why, in words.
    pub why: &'static str,
}

/// A Monte Carlo summary of readiness.
#[derive(Debug, Clone, Serialize)]
pub struct Readiness {
    /// Median readiness.
    pub p50: Stamp,
    /// The 80th percentile.
    pub p80: Stamp,
    /// P80 as T-minus.
    pub p80_t: TMinus,
    /// The 95th percentile.
    pub p95: Stamp,
    /// Share of iterations ready by go-live.
    pub probability_by_go_live: f64,
    /// Share ready by the window's close, when there is a window.
    pub probability_by_close: Option<f64>,
    /// P80 as a moment (for the difference).
    #[serde(skip)]
    pub p80_at: Moment,
}

impl Readiness {
    fn of(f: &Forecast, tz: &jiff::tz::TimeZone) -> Readiness {
        Readiness {
            p50: Stamp::new(f.p50, tz),
            p80: Stamp::new(f.p80, tz),
            p80_t: TMinus {
                at: f.p80,
                go_live: f.go_live,
            },
            p95: Stamp::new(f.p95, tz),
            probability_by_go_live: f.probability_by_go_live,
            probability_by_close: f.probability_by_close,
            p80_at: f.p80,
        }
    }
}

/// Monte Carlo on the plan's estimates and on the calibrated ones, same seed.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Iterations of each run.
    pub iterations: usize,
    /// The seed both runs use.
    pub seed: u64,
    /// Where both runs start: the window's opening, with the work planned before it done
    /// as planned; `None`: the plan's start, nothing done (a runbook with no window).
    pub from: Option<Stamp>,
    /// The runbook as it stands.
    pub planned: Readiness,
    /// With the suggested estimates (the `calibrated` scenario).
    pub calibrated: Readiness,
    /// Calibrated P80 minus planned P80, elapsed minutes (positive: later).
    pub p80_shift: i64,
}

/// Everything `cutover calibrate` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// The runbook's name.
    pub runbook: String,
    /// The time zone instants are shown in.
    pub timezone: String,
    /// Go-live.
    pub go_live: Stamp,
    /// The ratio above which a rehearsal is flagged (`--over`).
    pub over: f64,
    /// The rehearsals, in the order given.
    pub rehearsals: Vec<RehearsalInfo>,
    /// Every task measured in at least one rehearsal, in planned order.
    pub tasks: Vec<TaskCalibration>,
    /// Each workstream with a task measured, in the runbook's order.
    pub workstreams: Vec<WorkstreamTotals>,
    /// The cutover window, when the runbook has one.
    pub window: Option<WindowCalibration>,
    /// Entries that could not be measured.
    pub unmeasured: Vec<Unmeasured>,
    /// With `--simulate`: readiness on the planned and on the calibrated estimates.
    pub monte_carlo: Option<Comparison>,
}

impl Calibration {
    /// The suggested estimates as a scenario (what the estimates file holds).
    pub fn scenario(&self) -> Scenario {
        Scenario {
            id: SCENARIO_ID.to_owned(),
            name: self.scenario_name(),
            estimates: self
                .tasks
                .iter()
                .map(|t| {
                    (
                        t.index,
                        Estimate {
                            best: t.suggested.best,
                            likely: t.suggested.likely,
                            worst: t.suggested.worst,
                            distribution: t.distribution,
                        },
                    )
                })
                .collect(),
            ..Scenario::default()
        }
    }

    /// `Estimates calibrated from rehearsals DR1, DR2`.
    pub fn scenario_name(&self) -> String {
        let labels: Vec<&str> = self.rehearsals.iter().map(|r| r.label.as_str()).collect();
        format!(
            "Estimates calibrated from {} {}",
            if labels.len() == 1 {
                "rehearsal"
            } else {
                "rehearsals"
            },
            labels.join(", ")
        )
    }

    /// A task's duration for people, on its calendar (`7h 30m`, `2d 3h`).
    pub fn label(task: &TaskCalibration, minutes: i64) -> String {
        work_label(minutes, task.day_minutes)
    }
}

/// Each rehearsal's label: the status file's `run:` name, else the file's stem.
fn labels(
    rehearsals: &[Rehearsal],
    project: &Project,
) -> Result<Vec<RehearsalInfo>, CalibrateError> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(rehearsals.len());
    for r in rehearsals {
        let name = r.status.run.as_ref().and_then(|run| run.name.clone());
        let (label, label_from) = match name {
            Some(n) if !n.trim().is_empty() => (n.trim().to_owned(), "run"),
            _ => (r.stem.clone(), "file"),
        };
        if !seen.insert(label.clone()) {
            return Err(CalibrateError::DuplicateLabel(label));
        }
        out.push(RehearsalInfo {
            label,
            label_from,
            file: r.file.clone(),
            as_of: Stamp::new(r.status.as_of, &project.tz),
            says_live: r
                .status
                .run
                .as_ref()
                .is_some_and(|run| run.kind == crate::model::status::RunKind::Live),
        });
    }
    Ok(out)
}

fn ratio(actual: i64, plan: i64) -> Option<f64> {
    (plan > 0).then(|| actual as f64 / plan as f64)
}

/// Compares every rehearsal with the plan and fits estimates (see the module doc).
pub fn calibrate(
    project: &Project,
    graph: &TaskGraph,
    rehearsals: &[Rehearsal],
    settings: Settings,
) -> Result<Calibration, CalibrateError> {
    if rehearsals.is_empty() {
        return Err(CalibrateError::NoRehearsal);
    }
    let infos = labels(rehearsals, project)?;
    let tz = &project.tz;
    let baseline = schedule(project, graph, None)?;
    let over = settings.over;

    // Measure: (task, rehearsal) -> (start, finish, working minutes).
    let mut unmeasured = Vec::new();
    let mut measured: Vec<Vec<Option<(Moment, Moment, i64)>>> =
        vec![vec![None; rehearsals.len()]; project.tasks.len()];
    for (r, rehearsal) in rehearsals.iter().enumerate() {
        for (t, task) in project.tasks.iter().enumerate() {
            let a = rehearsal.status.progress.actual(t);
            if task.milestone || (a.started.is_none() && a.finished.is_none()) {
                continue;
            }
            let why = match (a.started, a.finished) {
                (Some(s), Some(f)) => match project.calendar_of(t).work_between(s, f) {
                    Ok(w) => {
                        measured[t][r] = Some((s, f, w));
                        continue;
                    }
                    Err(_) => "its dates are outside its calendar's range",
                },
                (Some(_), None) => "started but not finished",
                _ => "finished with no start recorded",
            };
            unmeasured.push(Unmeasured {
                rehearsal: infos[r].label.clone(),
                task: task.id.clone(),
                why,
            });
        }
    }

    // Tasks, in planned order.
    let mut order: Vec<TaskId> = (0..project.tasks.len())
        .filter(|&t| project.tasks[t].duration > 0 && measured[t].iter().any(Option::is_some))
        .collect();
    order.sort_by(|&a, &b| {
        baseline.tasks[a]
            .early_start
            .cmp(&baseline.tasks[b].early_start)
            .then_with(|| project.tasks[a].id.cmp(&project.tasks[b].id))
    });
    let tasks: Vec<TaskCalibration> = order
        .iter()
        .map(|&t| {
            let task = &project.tasks[t];
            let plan = task.duration;
            let (plan_estimate, distribution, plan_source) = plan_estimate(project, t);
            let per: Vec<Option<Measured>> = measured[t]
                .iter()
                .map(|m| {
                    m.map(|(_, _, actual)| {
                        let r = ratio(actual, plan).unwrap_or(0.0);
                        Measured {
                            actual,
                            ratio: r,
                            over: r > over,
                        }
                    })
                })
                .collect();
            let actuals: Vec<i64> = per.iter().flatten().map(|m| m.actual).collect();
            let (suggested, method) = fit(plan_estimate, &actuals);
            TaskCalibration {
                index: t,
                task: task.id.clone(),
                name: task.name.clone(),
                workstream: project.workstream_id(t).map(str::to_owned),
                day_minutes: project.calendar_of(t).day_minutes,
                plan,
                plan_estimate,
                plan_source,
                distribution,
                rehearsals: per,
                method,
                suggested,
                changed: suggested != plan_estimate,
            }
        })
        .collect();

    let totals = |members: &mut dyn Iterator<Item = &TaskCalibration>, r: usize| {
        let (mut n, mut plan, mut actual) = (0, 0, 0);
        for t in members {
            if let Some(m) = t.rehearsals[r] {
                n += 1;
                plan += t.plan;
                actual += m.actual;
            }
        }
        let ratio = ratio(actual, plan);
        Totals {
            tasks: n,
            plan,
            actual,
            ratio,
            over: ratio.is_some_and(|x| x > over),
        }
    };

    // Workstreams in the runbook's order, then tasks with none.
    let mut groups: Vec<(Option<usize>, String, Option<String>)> = project
        .workstreams
        .iter()
        .enumerate()
        .map(|(i, w)| (Some(i), w.name.clone(), Some(w.id.clone())))
        .collect();
    groups.push((None, "(no workstream)".to_owned(), None));
    let workstreams = groups
        .into_iter()
        .filter(|(w, _, _)| {
            tasks
                .iter()
                .any(|t| project.tasks[t.index].workstream == *w)
        })
        .map(|(w, name, id)| WorkstreamTotals {
            workstream: id,
            name,
            rehearsals: (0..rehearsals.len())
                .map(|r| {
                    totals(
                        &mut tasks
                            .iter()
                            .filter(|t| project.tasks[t.index].workstream == w),
                        r,
                    )
                })
                .collect(),
        })
        .collect();

    let window = project.window.map(|w| {
        let inside = |t: TaskId| {
            let s = baseline.tasks[t].early_start;
            !project.tasks[t].milestone && s >= w.opens && s < w.closes
        };
        let per = (0..rehearsals.len())
            .map(|r| {
                let members: Vec<&TaskCalibration> =
                    tasks.iter().filter(|t| inside(t.index)).collect();
                let work = totals(&mut members.iter().copied(), r);
                let (mut ps, mut pf, mut as_, mut af) = (None, None, None, None);
                for t in &members {
                    if let Some((s, f, _)) = measured[t.index][r] {
                        let d = &baseline.tasks[t.index];
                        ps = Some(ps.map_or(d.early_start, |x: Moment| x.min(d.early_start)));
                        pf = Some(pf.map_or(d.early_finish, |x: Moment| x.max(d.early_finish)));
                        as_ = Some(as_.map_or(s, |x: Moment| x.min(s)));
                        af = Some(af.map_or(f, |x: Moment| x.max(f)));
                    }
                }
                let span = |a: Option<Moment>, b: Option<Moment>| match (a, b) {
                    (Some(a), Some(b)) => b.0 - a.0,
                    _ => 0,
                };
                let (plan_span, actual_span) = (span(ps, pf), span(as_, af));
                let span_ratio = ratio(actual_span, plan_span);
                WindowTotals {
                    work,
                    plan_span,
                    actual_span,
                    span_ratio,
                    span_over: span_ratio.is_some_and(|x| x > over),
                }
            })
            .collect();
        WindowCalibration {
            opens: Stamp::new(w.opens, tz),
            closes: Stamp::new(w.closes, tz),
            tasks: (0..project.tasks.len()).filter(|&t| inside(t)).count(),
            rehearsals: per,
        }
    });

    let mut calibration = Calibration {
        runbook: project.name.clone(),
        timezone: project.timezone_name.clone(),
        go_live: Stamp::new(project.go_live, tz),
        over,
        rehearsals: infos,
        tasks,
        workstreams,
        window,
        unmeasured,
        monte_carlo: None,
    };
    if let Some(mc) = settings.monte_carlo {
        let start = weekend_start(project, &baseline);
        calibration.monte_carlo = Some(compare(
            project,
            graph,
            &calibration.scenario(),
            start.as_ref(),
            mc,
        )?);
    }
    Ok(calibration)
}

/// Where Monte Carlo starts: with a window, at its opening, every task the plan
/// finishes by then done on its planned dates and any task running across the opening
/// started on its planned date (so the runs differ only in the weekend's durations);
/// without a window, at the plan's start with nothing done.
pub fn weekend_start(project: &Project, baseline: &crate::schedule::Schedule) -> Option<Progress> {
    let opens = project.window?.opens;
    let actuals = baseline
        .tasks
        .iter()
        .map(|d| {
            let started = d.early_start < opens;
            Actual {
                started: started.then_some(d.early_start),
                finished: (started && d.early_finish <= opens).then_some(d.early_finish),
                remaining: None,
                blocked: false,
            }
        })
        .collect();
    Some(Progress {
        as_of: Some(opens),
        actuals,
    })
}

/// Monte Carlo on the runbook as it stands and with `scenario` applied (as `cutover
/// simulate --scenario calibrated` applies it), both from `start` ([`weekend_start`]).
fn compare(
    project: &Project,
    graph: &TaskGraph,
    scenario: &Scenario,
    start: Option<&Progress>,
    settings: montecarlo::Settings,
) -> Result<Comparison, ScheduleError> {
    let run = |p: &Project| -> Result<Readiness, ScheduleError> {
        let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
        let closes = p.window.map(|w| w.closes);
        let mc = montecarlo::run(
            p,
            graph,
            Inputs::of(p, &durations, start),
            closes,
            settings,
            &|_| {},
        )?;
        Ok(Readiness::of(&mc.forecast(p), &p.tz))
    };
    let planned = run(project)?;
    let calibrated = run(&apply(project, &Status::default(), scenario).project)?;
    Ok(Comparison {
        iterations: settings.iterations,
        seed: settings.seed,
        from: start
            .and_then(|p| p.as_of)
            .map(|at| Stamp::new(at, &project.tz)),
        p80_shift: calibrated.p80_at.0 - planned.p80_at.0,
        planned,
        calibrated,
    })
}

#[cfg(test)]
mod tests;
