//! Scenarios side by side with the baseline: dates, float, critical path, gates that
//! flip, the decision, the cost of delay, the earliest GO, and optionally Monte Carlo.

use crate::decision::{Decision, Reason};
use crate::gates::Verdict;
use crate::graph::TaskGraph;
use crate::montecarlo::{self, Forecast, MonteCarlo, Settings};
use crate::project::{Project, Scenario, TaskId};
use crate::report::report;
use crate::scenario::{apply, defer};
use crate::schedule::{Inputs, ScheduleError};
use crate::status::Status;
use crate::time::Moment;

const DAY: i64 = 1440;
/// The cost model's month.
pub const MONTH_MINUTES: i64 = 30 * DAY;
/// How far the search for a GO looks.
pub const SEARCH_DAYS: i64 = 365;

/// Money a deferral costs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Programme cost: months of deferral times `cost_of_delay.per_month`.
    pub programme: f64,
    /// Benefits forgone: months of deferral times `cost_of_delay.benefits_per_month`.
    pub benefits: f64,
}

impl Cost {
    /// Programme cost plus benefits forgone, in the runbook's currency.
    pub fn total(&self) -> f64 {
        self.programme + self.benefits
    }
}

/// The cost of deferring go-live by `minutes` under the runbook's cost model.
pub fn cost_of_delay(project: &Project, minutes: i64) -> Option<Cost> {
    let model = project.cost_of_delay.as_ref()?;
    let months = minutes.max(0) as f64 / MONTH_MINUTES as f64;
    Some(Cost {
        programme: months * model.per_month,
        benefits: months * model.benefits_per_month,
    })
}

/// The earliest go-live with a GO decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EarliestGo {
    /// At this deferral (elapsed minutes, a whole number of days) and go-live.
    At {
        /// Elapsed minutes from this case's go-live to the one that gives a GO.
        deferral: i64,
        /// The earliest go-live that gives a GO.
        go_live: Moment,
    },
    /// No GO within [`SEARCH_DAYS`] (e.g. a blocked critical task).
    NotWithin,
}

/// A gate whose result differs from the baseline's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flip {
    /// The gate, an index into [`Project::gates`] (and [`Case::gates`]).
    pub gate: usize,
    /// The gate's result in the baseline.
    pub from: Verdict,
    /// The gate's result in this scenario.
    pub to: Verdict,
}

/// One column of the comparison.
#[derive(Debug, Clone)]
pub struct Case {
    /// `baseline`, or the scenario's id.
    pub id: String,
    /// The scenario's name, or a line saying the baseline is the runbook as it stands.
    pub name: String,
    /// Elapsed minutes go-live moved from the runbook's.
    pub deferral: i64,
    /// Go-live in this case (moved by the scenario's deferral or new go-live).
    pub go_live: Moment,
    /// When the window closes in this case (it moves with go-live), if there is a window.
    pub closes: Option<Moment>,
    /// When the plan is ready: the go-live milestone's finish, or the latest finish.
    pub ready: Moment,
    /// Elapsed minutes from readiness to go-live (negative: go-live cannot be met).
    pub float_to_go_live: i64,
    /// Elapsed minutes from readiness to the window's close, if there is a window.
    pub float_to_close: Option<i64>,
    /// The first driving chain, from its first task to the go-live milestone (or last task).
    pub critical_path: Vec<TaskId>,
    /// The driving chain differs from the baseline's.
    pub critical_path_changed: bool,
    /// Each gate's result as of the data date, in [`Project::gates`] order.
    pub gates: Vec<Verdict>,
    /// The gates whose result differs from the baseline's (none for the baseline).
    pub flips: Vec<Flip>,
    /// GO, GO WITH CONDITIONS or NO-GO.
    pub decision: Decision,
    /// The decision differs from the baseline's.
    pub decision_changed: bool,
    /// Why the decision is what it is, heaviest first.
    pub reasons: Vec<Reason>,
    /// What the deferral costs, when the runbook has a `cost_of_delay`.
    pub cost: Option<Cost>,
    /// The smallest deferral of whole days (within a year) that gives a GO.
    pub earliest_go: EarliestGo,
    /// The Monte Carlo run, with `--iterations`.
    pub monte_carlo: Option<MonteCarlo>,
    /// The Monte Carlo run summarised, as shown.
    pub forecast: Option<Forecast>,
}

/// The baseline and each scenario.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The data date every case is judged as of.
    pub as_of: Moment,
    /// The baseline first, then each scenario in turn.
    pub cases: Vec<Case>,
}

/// The decision for `project` as of `status`.
fn decision(
    project: &Project,
    graph: &TaskGraph,
    status: &Status,
) -> Result<Decision, ScheduleError> {
    Ok(report(project, graph, status.clone())?.outcome.decision)
}

/// Searches deferrals of whole days (0 to [`SEARCH_DAYS`]) for the first GO, by
/// bisection: it assumes more time never turns a GO into something worse. The search
/// stops at the plan's horizon: go-live cannot be planned past it.
pub fn earliest_go(
    project: &Project,
    graph: &TaskGraph,
    status: &Status,
) -> Result<EarliestGo, ScheduleError> {
    let mut p = project.clone();
    let base = project.go_live;
    let mut at = move |days: i64| -> Result<bool, ScheduleError> {
        p.go_live = base;
        p.window = project.window;
        defer(&mut p, days * DAY);
        Ok(decision(&p, graph, status)? == Decision::Go)
    };
    let mut last = SEARCH_DAYS.min((project.horizon.until.0 - base.0).div_euclid(DAY));
    while last > 0 && base.shift_local(&project.tz, last * DAY) > project.horizon.until {
        last -= 1;
    }
    if at(0)? {
        return Ok(EarliestGo::At {
            deferral: 0,
            go_live: base,
        });
    }
    if last <= 0 || !at(last)? {
        return Ok(EarliestGo::NotWithin);
    }
    let (mut lo, mut hi) = (0, last); // lo: not GO, hi: GO
    while hi - lo > 1 {
        let mid = i64::midpoint(lo, hi);
        if at(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let go_live = base.shift_local(&project.tz, hi * DAY);
    Ok(EarliestGo::At {
        deferral: go_live.0 - base.0,
        go_live,
    })
}

/// Evaluates one case: `project` and `status` with a scenario already applied.
#[allow(clippy::too_many_arguments)]
fn case(
    id: &str,
    name: &str,
    project: &Project,
    graph: &TaskGraph,
    status: &Status,
    deferral: i64,
    monte_carlo: Option<Settings>,
    tick: &(dyn Fn(usize) + Sync),
) -> Result<Case, ScheduleError> {
    let r = report(project, graph, status.clone())?;
    let fit = &r.plan.fit;
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    let mc = match monte_carlo {
        Some(settings) => Some(montecarlo::run(
            project,
            graph,
            Inputs::of(project, &durations, Some(&status.progress)),
            fit.closes,
            settings,
            tick,
        )?),
        None => None,
    };
    let forecast = mc.as_ref().map(|mc| mc.forecast(project));
    Ok(Case {
        id: id.to_owned(),
        name: name.to_owned(),
        deferral,
        go_live: project.go_live,
        closes: fit.closes,
        ready: r.plan.schedule.ready,
        float_to_go_live: fit.float_to_go_live(),
        float_to_close: fit.float_to_close(),
        critical_path: r.plan.critical.chains.first().cloned().unwrap_or_default(),
        critical_path_changed: false,
        gates: r.gates.iter().map(|g| g.verdict).collect(),
        flips: Vec::new(),
        decision: r.outcome.decision,
        decision_changed: false,
        reasons: r.outcome.reasons,
        cost: cost_of_delay(project, deferral),
        earliest_go: earliest_go(project, graph, status)?,
        monte_carlo: mc,
        forecast,
    })
}

/// Compares `scenarios` with the baseline. With `monte_carlo`, each case also gets a
/// Monte Carlo run; `tick` reports finished iterations.
pub fn compare(
    project: &Project,
    graph: &TaskGraph,
    status: &Status,
    scenarios: &[Scenario],
    monte_carlo: Option<Settings>,
    tick: &(dyn Fn(usize) + Sync),
) -> Result<Comparison, ScheduleError> {
    let baseline = case(
        "baseline",
        "Baseline (the runbook as it stands)",
        project,
        graph,
        status,
        0,
        monte_carlo,
        tick,
    )?;
    let mut cases = vec![baseline];
    for sc in scenarios {
        let applied = apply(project, status, sc);
        let mut c = case(
            &sc.id,
            &sc.name,
            &applied.project,
            graph,
            &applied.status,
            applied.deferral,
            monte_carlo,
            tick,
        )?;
        c.flips = c
            .gates
            .iter()
            .zip(&cases[0].gates)
            .enumerate()
            .filter(|(_, (to, from))| to != from)
            .map(|(gate, (&to, &from))| Flip { gate, from, to })
            .collect();
        c.critical_path_changed = c.critical_path != cases[0].critical_path;
        c.decision_changed = c.decision != cases[0].decision;
        cases.push(c);
    }
    Ok(Comparison {
        as_of: status.as_of,
        cases,
    })
}

#[cfg(test)]
mod tests;
