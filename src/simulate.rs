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
    // Each part in whole currency units, so that the parts add up to the total shown.
    Some(Cost {
        programme: (months * model.per_month).round(),
        benefits: (months * model.benefits_per_month).round(),
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
    /// Every day judged in the search for a GO, and what blocks one.
    pub go_search: GoSearch,
    /// Ways the scenario does less than it says (a slip of a finished task, a
    /// deferral of nothing, go-live moved earlier), one sentence each.
    pub warnings: Vec<String>,
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

/// Every whole-day deferral from 0 to [`SEARCH_DAYS`] (or the plan's horizon) judged:
/// the earliest GO, every day that gives one, and, when none does, the reasons that
/// remain at the furthest day (what no deferral clears).
#[derive(Debug, Clone, PartialEq)]
pub struct GoSearch {
    /// The first day with a GO, or none.
    pub earliest: EarliestGo,
    /// Runs of whole-day deferrals with a GO: (first day, last day), inclusive.
    pub go_days: Vec<(i64, i64)>,
    /// The last day searched (fewer than [`SEARCH_DAYS`] near the horizon).
    pub last_day: i64,
    /// With no GO: the NO-GO reasons and conditions at the last day searched.
    pub blockers: Vec<Reason>,
}

/// Judges deferrals of every whole day, 0 to [`SEARCH_DAYS`]: more time is not always
/// better (a metric trending the wrong way, a gate due at a fixed date), so no day is
/// skipped. The days are judged in parallel; the search stops at the plan's horizon.
pub fn earliest_go(
    project: &Project,
    graph: &TaskGraph,
    status: &Status,
) -> Result<GoSearch, ScheduleError> {
    use rayon::prelude::*;
    let base = project.go_live;
    let mut last = SEARCH_DAYS.min((project.horizon.until.0 - base.0).div_euclid(DAY));
    while last > 0 && base.shift_local(&project.tz, last * DAY) > project.horizon.until {
        last -= 1;
    }
    let last = last.max(0);
    let outcomes: Vec<(Decision, Vec<Reason>)> = (0..=last)
        .into_par_iter()
        .map(|days| {
            let mut p = project.clone();
            defer(&mut p, days * DAY);
            let r = report(&p, graph, status.clone())?;
            let keep = if days == last {
                r.outcome.reasons
            } else {
                Vec::new()
            };
            Ok((r.outcome.decision, keep))
        })
        .collect::<Result<_, ScheduleError>>()?;
    let mut go_days: Vec<(i64, i64)> = Vec::new();
    for (day, (decision, _)) in (0_i64..).zip(&outcomes) {
        if *decision != Decision::Go {
            continue;
        }
        match go_days.last_mut() {
            Some((_, end)) if *end == day - 1 => *end = day,
            _ => go_days.push((day, day)),
        }
    }
    let earliest = go_days.first().map_or(EarliestGo::NotWithin, |&(day, _)| {
        let go_live = base.shift_local(&project.tz, day * DAY);
        EarliestGo::At {
            deferral: go_live.0 - base.0,
            go_live,
        }
    });
    let blockers = if go_days.is_empty() {
        outcomes
            .into_iter()
            .last()
            .map(|(_, reasons)| {
                reasons
                    .into_iter()
                    .filter(|r| r.weight != crate::decision::Weight::Note)
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(GoSearch {
        earliest,
        go_days,
        last_day: last,
        blockers,
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
    let search = earliest_go(project, graph, status)?;
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
        earliest_go: search.earliest,
        go_search: search,
        warnings: Vec::new(),
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
        c.warnings = warnings(project, status, sc, applied.deferral);
        c.decision_changed = c.decision != cases[0].decision;
        cases.push(c);
    }
    Ok(Comparison {
        as_of: status.as_of,
        cases,
    })
}

/// What a scenario cannot do as written: changes to finished tasks, a deferral of
/// nothing, go-live moved earlier than the runbook's.
fn warnings(project: &Project, status: &Status, sc: &Scenario, deferral: i64) -> Vec<String> {
    let mut out = Vec::new();
    let finished = |t: TaskId| status.progress.actual(t).finished.is_some();
    let changed = sc
        .slips
        .iter()
        .map(|&(t, _)| (t, "slips"))
        .chain(
            sc.durations
                .iter()
                .map(|&(t, _)| (t, "changes the duration of")),
        )
        .chain(sc.estimates.iter().map(|&(t, _)| (t, "re-estimates")));
    for (t, what) in changed {
        if finished(t) {
            out.push(format!(
                "the scenario {what} `{}`, which is already finished: it changes nothing",
                project.tasks[t].id
            ));
        }
    }
    for &t in &sc.done {
        if finished(t) {
            out.push(format!(
                "the scenario marks `{}` done, which it already is",
                project.tasks[t].id
            ));
        }
    }
    if sc.defer == Some(0) || (sc.go_live.is_some() && deferral == 0) {
        out.push("the scenario moves go-live by nothing".to_owned());
    } else if deferral < 0 {
        out.push(format!(
            "the scenario moves go-live {} earlier than the runbook's",
            crate::time::Elapsed(-deferral)
        ));
    }
    out
}

#[cfg(test)]
mod tests;
