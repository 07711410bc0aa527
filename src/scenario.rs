//! What-if scenarios as pure transformations: a scenario turns the project and status
//! into new ones, and everything after that is the same plan, gates and decision.

use crate::project::{CriterionKind, LinkType, Project, Scenario, TaskId, Window};
use crate::schedule::Actual;
use crate::status::{Reading, Status};
use crate::time::{HORIZON_YEARS, Moment, local_label};

/// A project and status with a scenario applied, and how far go-live moved.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub project: Project,
    pub status: Status,
    /// Elapsed minutes go-live (and the window) moved; negative: earlier.
    pub deferral: i64,
}

/// Applies `scenario` to `project` and `status`. Neither is changed.
pub(crate) fn apply(project: &Project, status: &Status, scenario: &Scenario) -> Applied {
    let mut p = project.clone();
    let mut s = status.clone();
    let deferral = match scenario.go_live {
        Some(at) => {
            let d = at.0 - project.go_live.0;
            p.go_live = at;
            move_window(&mut p, |m| Moment(m.0 + d));
            d
        }
        None => defer(&mut p, scenario.defer.unwrap_or(0)),
    };
    for &(task, minutes) in &scenario.slips {
        p.tasks[task].duration = (p.tasks[task].duration + minutes).max(0);
        if let Some(e) = &mut p.tasks[task].estimate {
            e.best += minutes;
            e.likely += minutes;
            e.worst += minutes;
        }
    }
    for &(task, minutes) in &scenario.durations {
        p.tasks[task].duration = minutes;
        p.tasks[task].estimate = None;
    }
    for &(task, estimate) in &scenario.estimates {
        p.tasks[task].duration = estimate.likely;
        p.tasks[task].estimate = Some(estimate);
    }
    for (metric, value) in &scenario.metrics {
        let readings = s.metrics.entry(metric.clone()).or_default();
        readings.retain(|r| r.at != s.as_of);
        readings.push(Reading {
            at: s.as_of,
            value: *value,
        });
    }
    for &task in &scenario.done {
        let a = s.progress.actual(task);
        if s.progress.actuals.len() < p.tasks.len() {
            s.progress.actuals.resize(p.tasks.len(), Actual::default());
        }
        s.progress.actuals[task] = Actual {
            started: Some(a.started.unwrap_or(s.as_of)),
            finished: Some(a.finished.unwrap_or(s.as_of)),
            remaining: None,
            blocked: false,
        };
        s.blocked.remove(&task);
    }
    Applied {
        project: p,
        status: s,
        deferral,
    }
}

/// Moves go-live and the window later by `minutes` (negative: earlier) of calendar
/// time: whole days keep the local clock time across a clock change. Gates due as
/// T-minus move with go-live. Returns the elapsed minutes go-live moved.
pub(crate) fn defer(project: &mut Project, minutes: i64) -> i64 {
    if minutes == 0 {
        return 0;
    }
    let tz = project.tz.clone();
    let before = project.go_live;
    project.go_live = project.go_live.shift_local(&tz, minutes);
    move_window(project, |m| m.shift_local(&tz, minutes));
    project.go_live.0 - before.0
}

/// Moves the cutover window, and with it every task's `not_before` and `deadline`
/// that falls inside it (opening and closing included): tasks pinned to the cutover
/// weekend move with the weekend. Constraints outside the window stay where they are.
fn move_window(project: &mut Project, shift: impl Fn(Moment) -> Moment) {
    let Some(w) = project.window else {
        return;
    };
    let inside = |m: Moment| (w.opens..=w.closes).contains(&m);
    for task in &mut project.tasks {
        if let Some(nb) = task.not_before.filter(|&m| inside(m)) {
            task.not_before = Some(shift(nb));
        }
        if let Some(dl) = task.deadline.filter(|&m| inside(m)) {
            task.deadline = Some(shift(dl));
        }
    }
    project.window = Some(Window {
        opens: shift(w.opens),
        closes: shift(w.closes),
    });
}

/// The metrics the runbook's gate criteria read, sorted.
pub(crate) fn metrics_used(project: &Project) -> Vec<&str> {
    let mut used: Vec<&str> = project
        .gates
        .iter()
        .flat_map(|g| &g.criteria)
        .filter_map(|c| match &c.kind {
            CriterionKind::Metric { metric, .. } => Some(metric.as_str()),
            _ => None,
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    used
}

/// For a milestone `task` marked done along with `done`: the first predecessor that
/// does not allow it yet (an FS or FF one not finished, an SS or SF one not started,
/// in `status` or by `done`). `None` for other tasks, and for a milestone that may be done.
pub(crate) fn milestone_waits(
    project: &Project,
    status: &Status,
    done: &[TaskId],
    task: TaskId,
) -> Option<TaskId> {
    let t = &project.tasks[task];
    if !t.milestone {
        return None;
    }
    t.deps
        .iter()
        .map(|d| (d.pred, d.link))
        .find_map(|(pred, link)| {
            let a = status.progress.actual(pred);
            let allowed = done.contains(&pred)
                || match link {
                    LinkType::FS | LinkType::FF => a.finished.is_some(),
                    LinkType::SS | LinkType::SF => a.started.is_some() || a.finished.is_some(),
                };
            (!allowed).then_some(pred)
        })
}

/// A scenario given on the command line, as text.
#[derive(Debug, Clone, Default)]
pub(crate) struct AdHoc {
    pub defer: Option<String>,
    pub go_live: Option<String>,
    /// `task=duration`
    pub slips: Vec<String>,
    /// `task=duration`
    pub durations: Vec<String>,
    /// `metric=value`
    pub metrics: Vec<String>,
    pub done: Vec<String>,
}

impl AdHoc {
    pub(crate) fn is_empty(&self) -> bool {
        self.defer.is_none()
            && self.go_live.is_none()
            && self.slips.is_empty()
            && self.durations.is_empty()
            && self.metrics.is_empty()
            && self.done.is_empty()
    }
}

/// Resolves an ad hoc scenario against `project` and its `status`; errors name the flag
/// and value. The flags follow the runbook's rules for scenarios (docs/simulate.md):
/// `--duration` may not be negative, go-live must stay after the plan's start and
/// inside its horizon, `--metric` must name a metric a gate uses, and `--done` on a
/// milestone needs what it waits for finished (in the status or by `--done`).
pub(crate) fn ad_hoc(project: &Project, status: &Status, spec: &AdHoc) -> Result<Scenario, String> {
    use crate::time::{parse_duration, parse_instant};
    let task = |flag: &str, id: &str| {
        project.task_by_id(id).ok_or_else(|| {
            let hint =
                crate::diagnostic::suggestion(id, project.tasks.iter().map(|t| t.id.as_str()))
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
            format!("{flag} {id}: no task has this id{hint}")
        })
    };
    let pair = |flag: &str, text: &str| {
        text.split_once('=')
            .map(|(a, b)| (a.trim().to_owned(), b.trim().to_owned()))
            .ok_or_else(|| format!("{flag} {text}: expected NAME=VALUE"))
    };
    let working = |flag: &str, id: &str, text: &str| -> Result<(usize, i64), String> {
        let t = task(flag, id)?;
        let cal = project.calendar_of(t);
        let d = parse_duration(text).map_err(|e| format!("{flag} {id}={text}: {}", e.message))?;
        // As in a runbook scenario's `durations:` (E040); a slip may be negative.
        if flag == "--duration" && d.is_negative() {
            return Err(format!(
                "{flag} {id}={text}: `{text}` is negative (only lags may be negative, a lead)"
            ));
        }
        Ok((t, d.minutes_with(cal.day_minutes, cal.week_minutes)))
    };
    let mut sc = Scenario {
        id: "ad-hoc".to_owned(),
        ..Scenario::default()
    };
    let mut words = Vec::new();
    if let Some(text) = &spec.defer {
        let d = parse_duration(text).map_err(|e| format!("--defer {text}: {}", e.message))?;
        sc.defer = Some(d.elapsed_minutes());
        words.push(format!("defer {text}"));
    }
    if let Some(text) = &spec.go_live {
        let at = parse_instant(text, &project.tz)
            .map_err(|e| format!("--go-live {text}: {}", e.message))?;
        sc.go_live = Some(at);
        words.push(format!("go live {text}"));
    }
    for s in &spec.slips {
        let (id, d) = pair("--slip", s)?;
        sc.slips.push(working("--slip", &id, &d)?);
        words.push(format!("{id} slips {d}"));
    }
    for s in &spec.durations {
        let (id, d) = pair("--duration", s)?;
        sc.durations.push(working("--duration", &id, &d)?);
        words.push(format!("{id} takes {d}"));
    }
    for s in &spec.metrics {
        let (name, v) = pair("--metric", s)?;
        let used = metrics_used(project);
        if !used.contains(&name.as_str()) {
            let hint = crate::diagnostic::suggestion(&name, used.iter().copied())
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            return Err(format!(
                "--metric {s}: no gate criterion uses the metric `{name}`, so the reading would change nothing{hint}"
            ));
        }
        let value: f64 = v
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite())
            .ok_or_else(|| format!("--metric {s}: `{v}` is not a number"))?;
        sc.metrics.push((name.clone(), value));
        words.push(format!("{name} = {v}"));
    }
    for id in &spec.done {
        sc.done.push(task("--done", id)?);
        words.push(format!("{id} done"));
    }
    for (&t, id) in sc.done.iter().zip(&spec.done) {
        if let Some(waiting) = milestone_waits(project, status, &sc.done, t) {
            let pred = &project.tasks[waiting].id;
            return Err(format!(
                "--done {id}: `{id}` is a milestone, reached only when what it waits for is done, \
                 and `{pred}` is not finished (add --done {pred}, or record it in the status file)"
            ));
        }
    }
    let moved = match sc.go_live {
        Some(at) => at,
        None => project
            .go_live
            .shift_local(&project.tz, sc.defer.unwrap_or(0)),
    };
    if moved <= project.start {
        let flag = match (&spec.go_live, &spec.defer) {
            (Some(text), _) => format!("--go-live {text}"),
            (None, Some(text)) => format!("--defer {text}"),
            (None, None) => "go-live".to_owned(),
        };
        return Err(format!(
            "{flag}: go-live would be {}, not after the plan's start ({})",
            local_label(moved, &project.tz),
            local_label(project.start, &project.tz),
        ));
    }
    if !project.horizon.contains(moved) {
        let flag = match (&spec.go_live, &spec.defer) {
            (Some(text), _) => format!("--go-live {text}"),
            (None, Some(text)) => format!("--defer {text}"),
            (None, None) => "go-live".to_owned(),
        };
        return Err(format!(
            "{flag}: go-live would be {}, outside the plan's horizon ({} to {}: {HORIZON_YEARS} years before the start and after go-live)",
            local_label(moved, &project.tz),
            local_label(project.horizon.from, &project.tz),
            local_label(project.horizon.until, &project.tz),
        ));
    }
    sc.name = words.join(", ");
    Ok(sc)
}
