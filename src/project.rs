//! The runbook after validation: ids resolved to indices, durations to minutes,
//! instants to UTC, calendars compiled. Every later stage works on this.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use crate::calendar::Calendar;
pub use crate::model::gate::Severity;
pub use crate::model::task::{Distribution, LinkType};
use crate::source::Origin;
use crate::time::{DurationSpec, Horizon, Moment};

/// Index of a task in [`Project::tasks`].
pub type TaskId = usize;

/// A validated runbook.
#[derive(Debug, Clone)]
pub struct Project {
    /// The go-live's name (the runbook's `runbook:`), shown on every report.
    pub name: String,
    /// The trust or trusts going live (`organisation:`), if given.
    pub organisation: Option<String>,
    /// The IANA time-zone name as written (`Europe/London`), shown in reports.
    pub timezone_name: String,
    /// The runbook's time zone: instants are read and shown in it, and calendars work in it.
    pub tz: TimeZone,
    /// When the plan starts (`start:`): tasks without predecessors start here.
    pub start: Moment,
    /// Go-live, T-0 (`go_live:`): the instant the EPR opens to users.
    pub go_live: Moment,
    /// The instants the plan may use (10 years before start to 10 after go-live).
    pub horizon: Horizon,
    /// The cutover window (`window:`), if the runbook gives one.
    pub window: Option<Window>,
    /// Calendars; index 0 is the built-in `24x7`.
    pub calendars: Vec<Calendar>,
    /// The calendar of tasks that name none (`default_calendar`; 0 when unset).
    pub default_calendar: usize,
    /// Workstreams, indexed by [`Task::workstream`] and [`CriterionKind::WorkstreamDone`].
    pub workstreams: Vec<Workstream>,
    /// Every task; a [`TaskId`] is an index into this.
    pub tasks: Vec<Task>,
    /// The milestone marked `go_live: true`, if any.
    pub go_live_task: Option<TaskId>,
    /// The readiness gates the board decides on, with their criteria.
    pub gates: Vec<Gate>,
    /// The named what-if scenarios of the runbook's `scenarios:`.
    pub scenarios: Vec<Scenario>,
    /// When a task is critical and when float to go-live gives conditions (`thresholds:`).
    pub thresholds: Thresholds,
    /// What a month of deferral costs (`cost_of_delay:`), if given.
    pub cost_of_delay: Option<CostOfDelay>,
    /// Monte Carlo spread for tasks without an `estimate` (default: none).
    pub uncertainty: Uncertainty,
    /// Task ids to indices.
    pub task_index: HashMap<String, TaskId>,
}

impl Project {
    /// The index of the task whose runbook id is `id` (`dm-load`), if there is one.
    pub fn task_by_id(&self, id: &str) -> Option<TaskId> {
        self.task_index.get(id).copied()
    }

    /// The calendar `task` is scheduled on.
    pub fn calendar_of(&self, task: TaskId) -> &Calendar {
        &self.calendars[self.tasks[task].calendar]
    }

    /// The id of `task`'s workstream, if it has one.
    pub fn workstream_id(&self, task: TaskId) -> Option<&str> {
        self.tasks[task]
            .workstream
            .map(|w| self.workstreams[w].id.as_str())
    }
}

/// The cutover window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// When the window opens (the legacy PAS freezes).
    pub opens: Moment,
    /// The latest the EPR may open: the plan must be ready by then.
    pub closes: Moment,
}

/// A workstream: the tasks one lead answers for (data migration, training, ...).
#[derive(Debug, Clone)]
pub struct Workstream {
    /// The workstream's id, its key under `workstreams:` (`data-migration`).
    pub id: String,
    /// Name shown in reports; the id when the runbook gives none.
    pub name: String,
    /// The person accountable for the workstream, if named.
    pub lead: Option<String>,
}

/// A task ready to schedule.
#[derive(Debug, Clone)]
pub struct Task {
    /// The task's id as written in the runbook (`dm-load-appointments`).
    pub id: String,
    /// What is done, in words a ward manager understands.
    pub name: String,
    /// Index into [`Project::workstreams`], if the task names a workstream.
    pub workstream: Option<usize>,
    /// The person who does the task or answers for it, if named.
    pub owner: Option<String>,
    /// Index into [`Project::calendars`].
    pub calendar: usize,
    /// Planned working minutes on the task's calendar; 0 for milestones.
    pub duration: i64,
    /// Three-point estimate for Monte Carlo; `duration` is its `likely`.
    pub estimate: Option<Estimate>,
    /// True for a zero-length event (`milestone: true`), such as go-live.
    pub milestone: bool,
    /// The links from this task's predecessors (`after:`).
    pub deps: Vec<Dependency>,
    /// Start no earlier than this instant (`not_before:`).
    pub not_before: Option<Moment>,
    /// Should finish by this instant (`deadline:`); missing it shows as negative float.
    pub deadline: Option<Moment>,
    /// True when rolling back is no longer possible once this task is done.
    pub point_of_no_return: bool,
    /// Elapsed minutes to roll back from this point of no return.
    pub rollback: Option<i64>,
    /// Words to filter by (`tags:`).
    pub tags: Vec<String>,
    /// Free text (`notes:`).
    pub notes: Option<String>,
    /// Where the task's id is written, for diagnostics.
    pub origin: Origin,
}

/// Three-point estimate in working minutes on the task's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// Best case, in working minutes on the task's calendar.
    pub best: i64,
    /// Most likely, in working minutes on the task's calendar; the planned duration.
    pub likely: i64,
    /// Worst case, in working minutes on the task's calendar.
    pub worst: i64,
    /// The shape Monte Carlo draws from between best and worst.
    pub distribution: Distribution,
}

/// A link from a predecessor to the task that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency {
    /// The predecessor.
    pub pred: TaskId,
    /// How the two tasks' starts and finishes are tied (FS, SS, FF, SF).
    pub link: LinkType,
    /// The lag (negative: a lead) added to the predecessor's point.
    pub lag: Lag,
}

/// A lag (negative: a lead) in working minutes on the successor's calendar, or elapsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lag {
    /// Lag in minutes: working minutes on the successor's calendar, or elapsed when `elapsed`.
    pub minutes: i64,
    /// True when written `elapsed`: wall-clock time whatever the calendar.
    pub elapsed: bool,
}

/// The runbook's `thresholds:` (both default to 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Thresholds {
    /// Total float at or below which a task is critical, read on each task's
    /// calendar (`1d` is one of its working days), like the float shown beside it.
    pub critical_float: DurationSpec,
    /// Float to go-live (elapsed minutes) below which the decision has conditions.
    pub min_float: i64,
}

/// What deferring go-live costs (`cost_of_delay:`), for the cost of each scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct CostOfDelay {
    /// Programme cost per 30-day month of deferral.
    pub per_month: f64,
    /// Benefits forgone per 30-day month of deferral (0 when not given).
    pub benefits_per_month: f64,
    /// ISO currency code for the costs (`GBP` by default).
    pub currency: String,
}

/// Monte Carlo spread for tasks without an estimate, as fractions of the planned duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uncertainty {
    /// Best case as a fraction of the planned duration (0.9 for `90%`).
    pub best: f64,
    /// Worst case as a fraction of the planned duration (1.5 for `150%`).
    pub worst: f64,
    /// The shape Monte Carlo draws from between best and worst.
    pub distribution: Distribution,
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            best: 1.0,
            worst: 1.0,
            distribution: Distribution::Pert,
        }
    }
}

/// When a gate is due: relative to go-live (moves with it) or fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Elapsed minutes from go-live (negative: before).
    Relative(i64),
    /// A fixed instant, whatever go-live does.
    At(Moment),
}

impl Due {
    /// The instant the gate is due for a go-live at `go_live`.
    pub fn resolve(self, go_live: Moment) -> Moment {
        match self {
            Due::Relative(m) => Moment(go_live.0 + m),
            Due::At(m) => m,
        }
    }
}

/// A readiness gate: a checkpoint the board decides on (T-6w, T-2w, T-48h).
#[derive(Debug, Clone)]
pub struct Gate {
    /// The gate's id as written in the runbook (`t48-go-no-go`).
    pub id: String,
    /// Name shown in reports; the id when the runbook gives none.
    pub name: String,
    /// When the gate is judged: before then its criteria are projected, not judged.
    pub due: Due,
    /// Who presents the gate, if named.
    pub owner: Option<String>,
    /// What must hold for the gate to pass.
    pub criteria: Vec<Criterion>,
    /// Where the gate's id is written, for diagnostics.
    pub origin: Origin,
}

/// One criterion of a gate: what is measured, and how much a failure weighs.
#[derive(Debug, Clone)]
pub struct Criterion {
    /// What the criterion measures and when it passes.
    pub kind: CriterionKind,
    /// Which decision rule a failure falls under: blocker (NO-GO), major (conditions),
    /// minor (a note only).
    pub severity: Severity,
    /// Who answers for the criterion, if named.
    pub owner: Option<String>,
    /// Label for reports (the runbook's `name`, or one made from the criterion).
    pub label: String,
    /// Where the criterion is written, for diagnostics.
    pub origin: Origin,
}

/// How a metric is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// The reading must be at or above the threshold (`at_least`).
    AtLeast,
    /// The reading must be at or below the threshold (`at_most`).
    AtMost,
    /// The reading must equal the threshold, within 1e-9 relative (`equals`).
    Equals,
}

impl Comparison {
    /// The comparison as a sign: `>=`, `<=` or `=`.
    pub fn sign(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::AtMost => "<=",
            Comparison::Equals => "=",
        }
    }
}

/// What a criterion measures and when it passes (see `docs/decision.md`).
#[derive(Debug, Clone, PartialEq)]
pub enum CriterionKind {
    /// The latest reading of a status-file metric meets a threshold.
    Metric {
        /// The metric's name as written in the status file (`training.completion_pct`).
        metric: String,
        /// How the reading is compared with the threshold.
        comparison: Comparison,
        /// The threshold, in the metric's own units.
        threshold: f64,
    },
    /// Every listed task has finished (`tasks_done:`).
    TasksDone(Vec<TaskId>),
    /// A share of a workstream's planned duration is done (`workstream_done:`).
    WorkstreamDone {
        /// Index into [`Project::workstreams`].
        workstream: usize,
        /// The share needed, in percent (90.0 for 90%).
        at_least: f64,
    },
    /// Elapsed minutes the plan must be ready before go-live.
    FloatToGoLive(i64),
    /// The plan finishes before the window closes, or before go-live without a window.
    FitsWindow,
    /// The status file records a sign-off with this id (`signoff:`).
    Signoff {
        /// The sign-off's id (`dcb0160-safety-case`).
        id: String,
        /// Text the signer must contain (`Clinical Safety Officer`), if given.
        by: Option<String>,
    },
}

/// A what-if: changes applied to the project before scheduling.
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    /// The scenario's id (`defer-4w`); `ad-hoc` for one made from command-line flags.
    pub id: String,
    /// Name shown in the comparison; the id when the runbook gives none.
    pub name: String,
    /// Elapsed minutes to move go-live and the window.
    pub defer: Option<i64>,
    /// A new go-live; the window moves by the same elapsed time.
    pub go_live: Option<Moment>,
    /// (task, working minutes added).
    pub slips: Vec<(TaskId, i64)>,
    /// (task, new duration in working minutes on its calendar); the estimate is dropped.
    pub durations: Vec<(TaskId, i64)>,
    /// (task, new three-point estimate); its `likely` becomes the planned duration.
    pub estimates: Vec<(TaskId, Estimate)>,
    /// (metric, value): a reading at the data date, replacing one at the same instant.
    pub metrics: Vec<(String, f64)>,
    /// Tasks to treat as finished at the data date (and no longer blocked).
    pub done: Vec<TaskId>,
    /// Where the scenario's id is written, for diagnostics (unknown for `ad-hoc`).
    pub origin: Origin,
}
