//! Readiness gates as of a data date: each criterion's verdict, measured value and
//! threshold, and for gates not yet due whether the trend says they will be met.
//!
//! Rules (docs/decision.md):
//! - A gate is due when its due instant is at or before the data date.
//! - On a due gate a criterion passes, fails, or has no data (no reading yet).
//! - On a gate not yet due a criterion is "not yet due" (on track, or no way to tell)
//!   or "at risk": a metric whose linear trend over its readings misses the threshold
//!   at the due date, tasks planned to finish after the due date, a workstream planned
//!   to be short of its share, or a schedule criterion the current plan already fails.

use crate::model::gate::Severity;
use crate::plan::Plan;
use crate::project::{Comparison, Criterion, CriterionKind, Gate, Project, TaskId};
use crate::schedule::State;
use crate::status::{Reading, Status};
use crate::time::Moment;

/// The outcome of one criterion, or of a gate (its worst criterion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// The criterion holds on a due gate (the best verdict).
    Pass,
    /// A gate not yet due: on track, or too early to tell.
    NotYetDue,
    /// A gate not yet due, and the trend or the plan says it will miss its due date.
    AtRisk,
    /// A due metric criterion with no reading yet: no evidence is not a pass.
    NoData,
    /// The criterion does not hold on a due gate (the worst verdict).
    Fail,
}

impl Verdict {
    /// The label reports use.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::NotYetDue => "not yet due",
            Verdict::AtRisk => "at risk",
            Verdict::NoData => "no data",
            Verdict::Fail => "fail",
        }
    }
}

/// A value a criterion measured.
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    /// A metric reading (and when it was taken).
    Reading(Reading),
    /// Tasks finished out of those listed.
    TasksDone {
        /// How many of the listed tasks have finished.
        done: usize,
        /// How many tasks the criterion lists.
        of: usize,
    },
    /// Percent of the workstream's planned duration done.
    Percent(f64),
    /// Elapsed minutes of float to go-live.
    Float(i64),
    /// Elapsed minutes from readiness to the window's close (negative: overrun).
    WindowMargin(i64),
    /// A sign-off: who and when.
    Signed {
        /// Who signed, as the status file records it, if named.
        by: Option<String>,
        /// When they signed, if recorded.
        at: Option<Moment>,
    },
}

/// Where a metric's straight-line trend goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trend {
    /// Change per day.
    pub per_day: f64,
    /// The trend's value at the gate's due instant.
    pub at_due: f64,
    /// When the trend line reaches the threshold (if it is heading there, within the
    /// supported years).
    pub reaches: Option<Moment>,
}

/// One criterion's result as of the data date, with what was measured and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionResult {
    /// Pass, fail, no data, not yet due or at risk.
    pub verdict: Verdict,
    /// What was measured, when there was something to measure.
    pub measured: Option<Measured>,
    /// Where a metric's readings are heading, on a gate not yet due with two or more.
    pub trend: Option<Trend>,
    /// Tasks behind the verdict (unfinished tasks, tasks late for the due date).
    pub tasks: Vec<TaskId>,
    /// One sentence a reader can act on.
    pub detail: String,
}

/// One gate's result as of the data date: its due instant and each criterion's result.
#[derive(Debug, Clone, PartialEq)]
pub struct GateResult {
    /// The gate, an index into [`Project::gates`].
    pub gate: usize,
    /// The instant the gate is due (for this plan's go-live).
    pub due: Moment,
    /// True when the due instant is at or before the data date: the gate is judged.
    pub is_due: bool,
    /// The gate's worst criterion verdict (a due gate with no criteria passes).
    pub verdict: Verdict,
    /// Each criterion's result, in the gate's order.
    pub criteria: Vec<CriterionResult>,
}

/// Evaluates every gate of the planned project as of `status.as_of`.
pub fn evaluate(plan: &Plan, status: &Status) -> Vec<GateResult> {
    plan.project
        .gates
        .iter()
        .enumerate()
        .map(|(g, gate)| evaluate_gate(plan, status, g, gate))
        .collect()
}

fn gate_verdict(is_due: bool, criteria: &[CriterionResult]) -> Verdict {
    let worst = criteria.iter().map(|c| c.verdict).max();
    match worst {
        None => {
            if is_due {
                Verdict::Pass
            } else {
                Verdict::NotYetDue
            }
        }
        Some(Verdict::Pass) if !is_due => Verdict::NotYetDue,
        Some(v) => v,
    }
}

fn evaluate_gate(plan: &Plan, status: &Status, g: usize, gate: &Gate) -> GateResult {
    let due = gate.due.resolve(plan.schedule.go_live);
    let is_due = due <= status.as_of;
    let criteria: Vec<CriterionResult> = gate
        .criteria
        .iter()
        .map(|c| evaluate_criterion(plan, status, due, is_due, c))
        .collect();
    GateResult {
        gate: g,
        due,
        is_due,
        verdict: gate_verdict(is_due, &criteria),
        criteria,
    }
}

fn result(verdict: Verdict, measured: Option<Measured>, detail: String) -> CriterionResult {
    CriterionResult {
        verdict,
        measured,
        trend: None,
        tasks: Vec::new(),
        detail,
    }
}

/// Evaluates one criterion of a gate due at `due`.
pub fn evaluate_criterion(
    plan: &Plan,
    status: &Status,
    due: Moment,
    is_due: bool,
    criterion: &Criterion,
) -> CriterionResult {
    let project = plan.project;
    match &criterion.kind {
        CriterionKind::Metric {
            metric,
            comparison,
            threshold,
        } => metric_criterion(
            project,
            status,
            due,
            is_due,
            metric,
            *comparison,
            *threshold,
        ),
        CriterionKind::TasksDone(tasks) => tasks_done(plan, due, is_due, tasks),
        CriterionKind::WorkstreamDone {
            workstream,
            at_least,
        } => workstream_done(plan, status, due, is_due, *workstream, *at_least),
        CriterionKind::FloatToGoLive(min) => {
            let float = plan.fit.float_to_go_live();
            let ok = float >= *min;
            let e = crate::time::Elapsed;
            let detail = if ok {
                format!("the plan is ready {} before go-live", e(float))
            } else if float >= 0 {
                format!(
                    "the plan is ready {} before go-live; {} needed",
                    e(float),
                    e(*min)
                )
            } else {
                format!(
                    "the plan is ready {} after go-live; {} of float needed",
                    e(-float),
                    e(*min)
                )
            };
            schedule_result(is_due, ok, Measured::Float(float), detail, plan)
        }
        CriterionKind::FitsWindow => {
            let margin = plan
                .fit
                .float_to_close()
                .unwrap_or_else(|| plan.fit.float_to_go_live());
            let ok = plan.fit.fits();
            let detail = match plan.fit.float_to_close() {
                Some(m) if m >= 0 && ok => format!(
                    "the plan finishes {} before the window closes",
                    crate::time::Elapsed(m)
                ),
                Some(m) if m < 0 => format!(
                    "the plan overruns the window by {}",
                    crate::time::Elapsed(-m)
                ),
                _ if ok => "the plan is ready by go-live".to_owned(),
                _ => format!(
                    "the plan is ready {} after go-live",
                    crate::time::Elapsed(-plan.fit.float_to_go_live())
                ),
            };
            schedule_result(is_due, ok, Measured::WindowMargin(margin), detail, plan)
        }
        CriterionKind::Signoff { id, by } => signoff(status, is_due, id, by.as_deref()),
    }
}

/// Schedule criteria are about the current plan: a failing one on a gate not yet due
/// is at risk (the plan as it stands would fail it).
fn schedule_result(
    is_due: bool,
    ok: bool,
    measured: Measured,
    detail: String,
    plan: &Plan,
) -> CriterionResult {
    let verdict = match (is_due, ok) {
        (true, true) => Verdict::Pass,
        (true, false) => Verdict::Fail,
        (false, true) => Verdict::NotYetDue,
        (false, false) => Verdict::AtRisk,
    };
    let mut r = result(verdict, Some(measured), detail);
    if !ok {
        r.tasks = plan.critical.chains.first().cloned().unwrap_or_default();
    }
    r
}

/// Does `value` meet the threshold?
pub fn meets(comparison: Comparison, value: f64, threshold: f64) -> bool {
    match comparison {
        Comparison::AtLeast => value >= threshold,
        Comparison::AtMost => value <= threshold,
        Comparison::Equals => (value - threshold).abs() <= 1e-9 * threshold.abs().max(1.0),
    }
}

fn comparison_words(comparison: Comparison, threshold: f64) -> String {
    match comparison {
        Comparison::AtLeast => format!("at least {}", number(threshold)),
        Comparison::AtMost => format!("at most {}", number(threshold)),
        Comparison::Equals => format!("exactly {}", number(threshold)),
    }
}

/// How a value misses its threshold, in words.
fn missed(comparison: Comparison, threshold: f64) -> String {
    match comparison {
        Comparison::AtLeast => format!("short of at least {}", number(threshold)),
        Comparison::AtMost => format!("over the limit of {}", number(threshold)),
        Comparison::Equals => format!("not {}", number(threshold)),
    }
}

/// A number as a person writes it: `92`, `99.5`.
pub fn number(v: f64) -> String {
    if v.abs() >= 1e15 {
        // Not 309 digits for 1e308.
        format!("{v:e}")
    } else if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

const MINUTES_PER_DAY: f64 = 1440.0;

/// Why a metric has no trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoTrend {
    /// Fewer than two readings.
    OneReading,
    /// Two or more readings, all at the same instant: no change over time to fit.
    OneInstant,
    /// The line through the readings runs past the largest number a trend can hold.
    TooLarge,
}

impl NoTrend {
    /// Why, in words for a report.
    pub fn reason(self) -> &'static str {
        match self {
            NoTrend::OneReading => "one reading, so no trend yet",
            NoTrend::OneInstant => "every reading is at the same time, so no trend yet",
            NoTrend::TooLarge => "the readings are too large to project, so no trend",
        }
    }
}

/// A straight line through readings: its value at `x0` (minutes) and slope per minute.
#[derive(Debug, Clone, Copy)]
struct Line {
    x0: i64,
    at_x0: f64,
    slope: f64,
}

impl Line {
    fn at(&self, t: Moment) -> f64 {
        self.at_x0 + self.slope * (t.0 - self.x0) as f64
    }
}

/// Least-squares line through the readings (x in minutes from the first), if there are
/// two or more readings at different times. The values are scaled by the largest of
/// them first, so finite readings near the largest float give a finite line or
/// [`NoTrend::TooLarge`], never NaN.
fn fit_line(readings: &[Reading]) -> Result<Line, NoTrend> {
    let first = readings.first().ok_or(NoTrend::OneReading)?;
    if readings.len() < 2 {
        return Err(NoTrend::OneReading);
    }
    if readings.iter().all(|r| r.at == first.at) {
        return Err(NoTrend::OneInstant);
    }
    let x0 = first.at.0;
    let scale = readings.iter().map(|r| r.value.abs()).fold(0.0, f64::max);
    let scale = if scale > 0.0 && scale.is_finite() {
        scale
    } else {
        1.0
    };
    let n = readings.len() as f64;
    let x = |r: &Reading| (r.at.0 - x0) as f64;
    let y = |r: &Reading| r.value / scale;
    let mean_x = readings.iter().map(x).sum::<f64>() / n;
    let mean_y = readings.iter().map(y).sum::<f64>() / n;
    let (mut sxx, mut sxy) = (0.0, 0.0);
    for r in readings {
        sxx += (x(r) - mean_x) * (x(r) - mean_x);
        sxy += (x(r) - mean_x) * (y(r) - mean_y);
    }
    let slope = sxy / sxx;
    let line = Line {
        x0,
        at_x0: (mean_y - slope * mean_x) * scale,
        slope: slope * scale,
    };
    if line.at_x0.is_finite() && line.slope.is_finite() {
        Ok(line)
    } else {
        Err(NoTrend::TooLarge)
    }
}

/// The trend of `readings` towards `threshold`, judged at `due`; `None` when there is
/// none (see [`trend_or_why`] for the reason).
pub fn trend(readings: &[Reading], threshold: f64, due: Moment) -> Option<Trend> {
    trend_or_why(readings, threshold, due).ok()
}

/// The trend of `readings` towards `threshold`, judged at `due`, or why there is none.
pub fn trend_or_why(readings: &[Reading], threshold: f64, due: Moment) -> Result<Trend, NoTrend> {
    let line = fit_line(readings)?;
    let last = readings.last().map_or(line.x0, |r| r.at.0);
    let reaches = if line.slope == 0.0 {
        None
    } else {
        let t = line.x0 as f64 + (threshold - line.at_x0) / line.slope;
        let m = Moment(t.round() as i64);
        (t.is_finite() && t >= last as f64 && m.in_range()).then_some(m)
    };
    let (per_day, at_due) = (line.slope * MINUTES_PER_DAY, line.at(due));
    if !(per_day.is_finite() && at_due.is_finite()) {
        return Err(NoTrend::TooLarge);
    }
    Ok(Trend {
        per_day,
        at_due,
        reaches,
    })
}

fn metric_criterion(
    project: &Project,
    status: &Status,
    due: Moment,
    is_due: bool,
    metric: &str,
    comparison: Comparison,
    threshold: f64,
) -> CriterionResult {
    let readings: Vec<Reading> = status
        .metrics
        .get(metric)
        .map(|r| r.iter().copied().filter(|r| r.at <= status.as_of).collect())
        .unwrap_or_default();
    let want = comparison_words(comparison, threshold);
    let Some(latest) = readings.last().copied() else {
        let verdict = if is_due {
            Verdict::NoData
        } else {
            Verdict::NotYetDue
        };
        let why = match (status.origin, status.metrics.get(metric)) {
            (None, _) => "no status file was given".to_owned(),
            (Some(_), None) => "the status file has no entry for it under `metrics:`".to_owned(),
            (Some(_), Some(_)) => "none at or before the data date".to_owned(),
        };
        return result(
            verdict,
            None,
            format!("no reading of `{metric}` ({why}); {want} needed"),
        );
    };
    let ok = meets(comparison, latest.value, threshold);
    let now = format!("`{metric}` is {}", number(latest.value));
    if is_due {
        let verdict = if ok { Verdict::Pass } else { Verdict::Fail };
        let detail = if ok {
            format!("{now}; {want} needed")
        } else {
            format!("{now}, {}", missed(comparison, threshold))
        };
        return result(verdict, Some(Measured::Reading(latest)), detail);
    }
    let fitted = trend_or_why(&readings, threshold, due);
    let trend = fitted.ok();
    // An `equals` target is approached from one side: judge the trend as reaching it.
    let towards = match comparison {
        Comparison::Equals if latest.value > threshold => Comparison::AtMost,
        Comparison::Equals => Comparison::AtLeast,
        other => other,
    };
    let date = |m: Moment| crate::time::local_label(m, &project.tz);
    let (verdict, detail) = match fitted {
        Err(_) if ok => (
            Verdict::NotYetDue,
            format!("{now}; {want} needed: on track"),
        ),
        Err(why) => (
            Verdict::NotYetDue,
            format!("{now}, {}; {}", missed(comparison, threshold), why.reason()),
        ),
        Ok(t) => {
            let on_track = meets(towards, t.at_due, threshold);
            let sign = if t.per_day > 0.0 { "+" } else { "" };
            let per_day = format!("{sign}{} a day", number(t.per_day));
            match (ok, on_track, t.reaches) {
                (true, true, _) => (
                    Verdict::NotYetDue,
                    format!("{now} ({per_day}); {want} needed: on track"),
                ),
                (true, false, Some(when)) => (
                    Verdict::AtRisk,
                    format!(
                        "{now} but trending {per_day}: crosses {} on {}, before the gate is due",
                        number(threshold),
                        date(when)
                    ),
                ),
                (false, true, Some(when)) => (
                    Verdict::NotYetDue,
                    format!(
                        "{now} ({per_day}); trend reaches {} on {}, in time",
                        number(threshold),
                        date(when)
                    ),
                ),
                (false, true, None) => (
                    Verdict::NotYetDue,
                    format!("{now} ({per_day}); the trend meets {want} by the due date"),
                ),
                (false, _, Some(when)) => (
                    Verdict::AtRisk,
                    format!(
                        "{now} ({per_day}); trend reaches {} only on {}, after the gate is due",
                        number(threshold),
                        date(when)
                    ),
                ),
                (_, _, None) => (
                    Verdict::AtRisk,
                    format!(
                        "{now} ({per_day}); trend projects {} at the due date, {want} needed",
                        number(t.at_due)
                    ),
                ),
            }
        }
    };
    CriterionResult {
        verdict,
        measured: Some(Measured::Reading(latest)),
        trend,
        tasks: Vec::new(),
        detail,
    }
}

fn tasks_done(plan: &Plan, due: Moment, is_due: bool, tasks: &[TaskId]) -> CriterionResult {
    let project = plan.project;
    let s = &plan.schedule;
    let open: Vec<TaskId> = tasks
        .iter()
        .copied()
        .filter(|&t| s.tasks[t].state != State::Done)
        .collect();
    let measured = Some(Measured::TasksDone {
        done: tasks.len() - open.len(),
        of: tasks.len(),
    });
    let ids = |list: &[TaskId]| {
        list.iter()
            .map(|&t| format!("`{}`", project.tasks[t].id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if open.is_empty() {
        let verdict = if is_due {
            Verdict::Pass
        } else {
            Verdict::NotYetDue
        };
        return result(verdict, measured, format!("{} done", ids(tasks)));
    }
    if is_due {
        let mut r = result(Verdict::Fail, measured, format!("not done: {}", ids(&open)));
        r.tasks = open;
        return r;
    }
    let late: Vec<TaskId> = open
        .iter()
        .copied()
        .filter(|&t| s.tasks[t].early_finish > due)
        .collect();
    if late.is_empty() {
        let mut r = result(
            Verdict::NotYetDue,
            measured,
            format!("planned to finish by the due date: {}", ids(&open)),
        );
        r.tasks = open;
        return r;
    }
    let first = late[0];
    let mut r = result(
        Verdict::AtRisk,
        measured,
        format!(
            "planned to finish after the due date: {} (`{}` at {})",
            ids(&late),
            project.tasks[first].id,
            crate::time::local_label(s.tasks[first].early_finish, &project.tz)
        ),
    );
    r.tasks = late;
    r
}

/// Working minutes of `task` done by `at`, by the plan and actuals.
pub(crate) fn done_minutes(plan: &Plan, task: TaskId, at: Moment) -> i64 {
    let project = plan.project;
    let d = &plan.schedule.tasks[task];
    let duration = project.tasks[task].duration;
    if d.state == State::Done || d.early_finish <= at {
        return duration;
    }
    if d.early_start >= at {
        return 0;
    }
    // Part way: the working time from its (re)start to `at`, out of what was left.
    let cal = project.calendar_of(task);
    let left = cal
        .work_between(d.early_start, d.early_finish)
        .unwrap_or(0)
        .max(0);
    let worked_before = (duration - left).max(0);
    let since = cal.work_between(d.early_start, at).unwrap_or(0).max(0);
    (worked_before + since).min(duration)
}

fn workstream_done(
    plan: &Plan,
    status: &Status,
    due: Moment,
    is_due: bool,
    workstream: usize,
    at_least: f64,
) -> CriterionResult {
    let project = plan.project;
    let members: Vec<TaskId> = (0..project.tasks.len())
        .filter(|&t| project.tasks[t].workstream == Some(workstream) && !project.tasks[t].milestone)
        .collect();
    let total: i64 = members.iter().map(|&t| project.tasks[t].duration).sum();
    let percent_at = |at: Moment| {
        if total == 0 {
            100.0
        } else {
            let done: i64 = members.iter().map(|&t| done_minutes(plan, t, at)).sum();
            100.0 * done as f64 / total as f64
        }
    };
    let now = percent_at(status.as_of);
    let name = &project.workstreams[workstream].id;
    let ok = now + 1e-9 >= at_least;
    let measured = Some(Measured::Percent(now));
    let now_text = format!("`{name}` is {}% done by duration", number(now));
    if is_due {
        return if ok {
            result(
                Verdict::Pass,
                measured,
                format!("{now_text}; {}% needed", number(at_least)),
            )
        } else {
            result(
                Verdict::Fail,
                measured,
                format!("{now_text}, short of {}%", number(at_least)),
            )
        };
    }
    let planned = percent_at(due);
    if planned + 1e-9 >= at_least {
        result(
            Verdict::NotYetDue,
            measured,
            format!(
                "{now_text}; the plan reaches {}% by the due date",
                number(planned)
            ),
        )
    } else {
        let mut r = result(
            Verdict::AtRisk,
            measured,
            format!(
                "{now_text}; the plan reaches only {}% by the due date, {}% needed",
                number(planned),
                number(at_least)
            ),
        );
        r.tasks = members
            .iter()
            .copied()
            .filter(|&t| plan.schedule.tasks[t].early_finish > due)
            .collect();
        r
    }
}

fn signoff(status: &Status, is_due: bool, id: &str, by: Option<&str>) -> CriterionResult {
    match status.signoffs.get(id) {
        Some(s) if s.at.is_none_or(|at| at <= status.as_of) => {
            let measured = Some(Measured::Signed {
                by: s.by.clone(),
                at: s.at,
            });
            let who = s.by.as_deref().unwrap_or("someone unnamed");
            match by {
                Some(expected) if s.by.as_deref().is_some_and(|b| !b.contains(expected)) => {
                    let verdict = if is_due {
                        Verdict::Fail
                    } else {
                        Verdict::AtRisk
                    };
                    result(
                        verdict,
                        measured,
                        format!("`{id}` signed by {who}, but {expected} must sign"),
                    )
                }
                _ => {
                    let verdict = if is_due {
                        Verdict::Pass
                    } else {
                        Verdict::NotYetDue
                    };
                    result(verdict, measured, format!("`{id}` signed by {who}"))
                }
            }
        }
        _ => {
            let verdict = if is_due {
                Verdict::Fail
            } else {
                Verdict::NotYetDue
            };
            let who = by.map(|b| format!(" by {b}")).unwrap_or_default();
            let why = match (status.origin, status.signoffs.contains_key(id)) {
                (None, _) => "no status file was given",
                (Some(_), false) => "the status file has no entry for it under `signoffs:`",
                (Some(_), true) => "signed after the data date",
            };
            result(verdict, None, format!("`{id}` not yet signed{who} ({why})"))
        }
    }
}

/// The severity of a criterion (re-exported for reports).
pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Blocker => "blocker",
        Severity::Major => "major",
        Severity::Minor => "minor",
    }
}

#[cfg(test)]
mod tests;
