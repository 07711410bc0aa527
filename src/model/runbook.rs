//! The top level of a runbook file, and of files it includes.

use std::collections::HashSet;

use schemars::JsonSchema;
use serde::Deserialize;

use super::calendar::CalendarSpec;
use super::gate::Gate;
use super::lint::Setting;
use super::scenario::Scenario;
use super::task::{Distribution, Task};
use super::{Entries, Located, Text};
use crate::source::FileId;

/// A runbook: one go-live, its window, calendars, workstreams, tasks, gates and scenarios.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cutover runbook (format v1)")]
pub struct RunbookFile {
    /// Format version; 1 is the only one.
    #[schemars(with = "Option<crate::schema::Version>")]
    pub version: Option<Located<u32>>,
    /// The go-live's name, shown on every report.
    #[schemars(required)]
    pub runbook: Option<Text>,
    /// The trust or trusts going live.
    pub organisation: Option<Text>,
    /// IANA time-zone name, e.g. `Europe/London`.
    #[schemars(required)]
    #[schemars(with = "crate::schema::TimeZone")]
    pub timezone: Option<Text>,
    /// When the plan starts: tasks without predecessors start here.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Instant")]
    pub start: Option<Text>,
    /// Go-live (T-0): when the EPR opens to users.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Instant")]
    pub go_live: Option<Text>,
    /// The cutover window.
    pub window: Option<Located<Window>>,
    /// Calendar for tasks that name none (default `24x7`).
    #[schemars(with = "Option<crate::schema::Id>")]
    pub default_calendar: Option<Text>,
    /// Float thresholds for criticality and the go/no-go decision.
    pub thresholds: Option<Thresholds>,
    /// What deferral costs.
    pub cost_of_delay: Option<CostOfDelay>,
    /// Monte Carlo spread for tasks without a three-point estimate.
    pub uncertainty: Option<Uncertainty>,
    /// Settings for `cutover lint`, by check name or code (docs/lint.md).
    #[serde(default)]
    pub lint: Entries<Located<Setting>>,
    /// More files with calendars, workstreams, tasks, gates and scenarios, relative to this one.
    #[serde(default)]
    pub include: Vec<Text>,
    /// Working-time calendars by id. `24x7` is built in.
    #[serde(default)]
    #[schemars(with = "crate::schema::ById<Located<CalendarSpec>>")]
    pub calendars: Entries<Located<CalendarSpec>>,
    /// Workstreams by id.
    #[serde(default)]
    #[schemars(with = "crate::schema::ById<Located<Workstream>>")]
    pub workstreams: Entries<Located<Workstream>>,
    /// The tasks of the plan.
    #[serde(default)]
    pub tasks: Option<Vec<Located<Task>>>,
    /// Readiness gates the board decides on.
    #[serde(default)]
    pub gates: Vec<Located<Gate>>,
    /// What-if scenarios to compare with the plan.
    #[serde(default)]
    pub scenarios: Vec<Located<Scenario>>,
}

impl RunbookFile {
    /// Splits the collections off, leaving the settings.
    pub fn take_parts(&mut self) -> Parts {
        Parts {
            include: std::mem::take(&mut self.include),
            calendars: std::mem::take(&mut self.calendars),
            workstreams: std::mem::take(&mut self.workstreams),
            tasks: self.tasks.take(),
            gates: std::mem::take(&mut self.gates),
            scenarios: std::mem::take(&mut self.scenarios),
        }
    }
}

/// What an included file may hold: the collections, not the settings.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cutover runbook include file (format v1)")]
pub struct Parts {
    /// More files with calendars, workstreams, tasks, gates and scenarios, relative to this one.
    #[serde(default)]
    pub include: Vec<Text>,
    /// Working-time calendars by id. `24x7` is built in.
    #[serde(default)]
    #[schemars(with = "crate::schema::ById<Located<CalendarSpec>>")]
    pub calendars: Entries<Located<CalendarSpec>>,
    /// Workstreams by id.
    #[serde(default)]
    #[schemars(with = "crate::schema::ById<Located<Workstream>>")]
    pub workstreams: Entries<Located<Workstream>>,
    /// The tasks of the plan.
    #[serde(default)]
    pub tasks: Option<Vec<Located<Task>>>,
    /// Readiness gates the board decides on.
    #[serde(default)]
    pub gates: Vec<Located<Gate>>,
    /// What-if scenarios to compare with the plan.
    #[serde(default)]
    pub scenarios: Vec<Located<Scenario>>,
}

/// The cutover window: legacy freeze to the latest the EPR may open.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Instant the window opens (the legacy system freezes).
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub opens: Option<Text>,
    /// Instant the window closes: the latest the EPR may open.
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub closes: Option<Text>,
}

/// Thresholds the runbook may tune.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// A task with total float at or below this is critical (default `0m`).
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub critical_float: Option<Text>,
    /// Float to go-live below this means GO WITH CONDITIONS (default `0m`).
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub min_float: Option<Text>,
}

/// The cost of deferring go-live.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostOfDelay {
    /// Programme cost per month of deferral.
    pub per_month: Option<Located<f64>>,
    /// Programme cost per week of deferral (instead of per month).
    pub per_week: Option<Located<f64>>,
    /// Benefits forgone per month of deferral.
    pub benefits_per_month: Option<Located<f64>>,
    /// ISO currency code (default GBP).
    pub currency: Option<Text>,
}

/// Monte Carlo spread for tasks without a three-point estimate.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Best case as a percentage of the planned duration, e.g. `90%`.
    #[schemars(with = "Option<crate::schema::Percentage>")]
    pub best: Option<Text>,
    /// Worst case as a percentage of the planned duration, e.g. `150%`.
    #[schemars(with = "Option<crate::schema::Percentage>")]
    pub worst: Option<Text>,
    /// `pert` (default) or `triangular`.
    pub distribution: Option<Located<Distribution>>,
}

/// A workstream: a team and its lead.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workstream {
    /// Name shown in reports (default: the id).
    pub name: Option<Text>,
    /// The person accountable.
    pub lead: Option<Text>,
}

/// An item and the file it was written in.
#[derive(Debug, Clone)]
pub struct InFile<T> {
    /// The file the item is written in.
    pub file: FileId,
    /// The calendar, workstream, task, gate or scenario, as written.
    pub item: T,
}

/// A runbook after loading: the main file's settings, and the collections of the main
/// file and every file it includes, each item tagged with its file.
#[derive(Debug, Clone, Default)]
pub struct Runbook {
    /// The main file; its collections have been moved into the fields below.
    pub settings: RunbookFile,
    /// The runbook's own file (named on the command line); the others are its includes.
    pub main_file: FileId,
    /// Every calendar (its id, then what is written), the main file's first, then each
    /// included file's in the order they were read.
    pub calendars: Vec<InFile<(Text, Located<CalendarSpec>)>>,
    /// Every workstream (id, then its fields), in the same order.
    pub workstreams: Vec<InFile<(Text, Located<Workstream>)>>,
    /// Every task, in the same order.
    pub tasks: Vec<InFile<Located<Task>>>,
    /// Every gate, in the same order.
    pub gates: Vec<InFile<Located<Gate>>>,
    /// Every scenario, in the same order.
    pub scenarios: Vec<InFile<Located<Scenario>>>,
    /// Items and settings left out because of structural errors (unknown fields,
    /// wrong types); a runbook with anything skipped is checked but never scheduled.
    pub skipped: Skipped,
}

impl Runbook {
    /// Adds one file's collections (its `include` list is handled by the loader).
    pub fn absorb(&mut self, file: FileId, parts: Parts) {
        let tag = |item| InFile { file, item };
        self.calendars
            .extend(parts.calendars.0.into_iter().map(tag));
        self.workstreams.extend(
            parts
                .workstreams
                .0
                .into_iter()
                .map(|i| InFile { file, item: i }),
        );
        self.tasks.extend(
            parts
                .tasks
                .into_iter()
                .flatten()
                .map(|i| InFile { file, item: i }),
        );
        self.gates
            .extend(parts.gates.into_iter().map(|i| InFile { file, item: i }));
        self.scenarios.extend(
            parts
                .scenarios
                .into_iter()
                .map(|i| InFile { file, item: i }),
        );
    }
}

/// What was left out of a runbook because of structural errors in it.
#[derive(Debug, Clone, Default)]
pub struct Skipped {
    /// `(kind, id)` of every skipped item whose id could be read: kind is `task`,
    /// `calendar`, `workstream`, `gate` or `scenario`.
    pub ids: HashSet<(String, String)>,
    /// Top-level settings left out (`window`, `thresholds`, ...).
    pub settings: Vec<String>,
    /// How many items were left out, with or without a readable id.
    pub items: usize,
    /// How many of those were tasks.
    pub tasks: usize,
}

impl Skipped {
    /// True when nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.items == 0 && self.settings.is_empty()
    }

    /// Was an item of `kind` with this `id` left out?
    pub fn has(&self, kind: &str, id: &str) -> bool {
        !self.ids.is_empty() && self.ids.contains(&(kind.to_owned(), id.to_owned()))
    }

    /// Adds what another file left out.
    pub fn merge(&mut self, other: Skipped) {
        self.ids.extend(other.ids);
        self.settings.extend(other.settings);
        self.items += other.items;
        self.tasks += other.tasks;
    }
}
