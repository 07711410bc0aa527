//! Semantic checks: turns the loaded model into a [`Project`], reporting every
//! problem found (not only the first) as a coded [`Diagnostic`].

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Level, SUGGESTION_BUDGET};
use crate::graph::TaskGraph;
use crate::model::runbook::{Runbook, Skipped};
use crate::project::Project;
use crate::source::Origin;

mod calendars;
mod common;
mod gates;
mod scenarios;
mod settings;
mod tasks;
mod workstreams;

use common::loc;

/// A validated runbook, its dependency graph, and every problem found.
#[derive(Debug, Default)]
pub struct Validated {
    /// Present when there were no errors (warnings allowed).
    pub project: Option<Project>,
    /// The task graph, present with the project.
    pub graph: Option<TaskGraph>,
    /// Every problem found: errors and warnings, in the order checked.
    pub diagnostics: Vec<Diagnostic>,
}

/// Checks `runbook` and resolves it into a [`Project`].
pub fn validate(runbook: &Runbook) -> Validated {
    let mut cx = Checker {
        diagnostics: Vec::new(),
        suggestion_budget: SUGGESTION_BUDGET,
        skipped: runbook.skipped.clone(),
    };
    // The project is built even when there are errors (with what could be resolved),
    // so that the graph checks below still report cycles and loose ends.
    let project = cx.project(runbook);
    let mut out = Validated::default();
    match TaskGraph::build(&project) {
        Ok(graph) => {
            // With tasks left out for structural errors, links are missing: whether
            // a task reaches go-live is judged once they are fixed.
            if runbook.skipped.tasks == 0 {
                cx.check_connected(&project, &graph);
            }
            // A runbook with anything left out is never scheduled.
            if !cx.has_errors() && runbook.skipped.is_empty() {
                out.graph = Some(graph);
                out.project = Some(project);
            }
        }
        Err(cycles) => {
            // Where each task was written, so that many cycles take linear time.
            let written: HashMap<Origin, usize> = runbook
                .tasks
                .iter()
                .enumerate()
                .filter_map(|(i, t)| Some((loc(t.file, t.item.value.id.as_ref()?), i)))
                .collect();
            for cycle in &cycles {
                cx.report_cycle(runbook, &written, &project, cycle);
            }
        }
    }
    out.diagnostics = cx.diagnostics;
    out
}

/// Is `id` a valid task, gate, workstream, calendar or scenario id?
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

struct Checker {
    diagnostics: Vec<Diagnostic>,
    /// Comparisons left for "did you mean" suggestions.
    suggestion_budget: usize,
    /// What loading left out: references to these ids, and these settings missing,
    /// raise no second error.
    skipped: Skipped,
}

impl Checker {
    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }

    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// Builds the project from whatever resolves, section by section in the order
    /// checked (so the diagnostics keep that order); the caller refuses it if any
    /// error was reported.
    fn project(&mut self, runbook: &Runbook) -> Project {
        let settings = self.settings(runbook);
        let calendars = self.calendars(runbook, &settings);
        let workstreams = self.workstreams(runbook);
        let ids = self.task_ids(runbook);
        let tasks = self.tasks(&ids, &settings, &calendars, &workstreams);
        self.unused_workstreams(&workstreams, &tasks.workstream_used);
        let gates = self.gates(runbook, &settings.tz, &ids.index, &workstreams.index);
        let scenarios = self.scenarios(
            runbook,
            &settings.tz,
            settings
                .go_live
                .zip(settings.start)
                .map(|(g, start)| (g, settings.horizon, start)),
            &ids.index,
            &tasks.list,
            &calendars.list,
        );
        self.check_go_live_marked(runbook, &tasks);

        Project {
            name: settings.name,
            organisation: settings.organisation,
            timezone_name: settings.timezone_name,
            tz: settings.tz,
            start: settings.start.unwrap_or_default(),
            go_live: settings.go_live.unwrap_or_default(),
            horizon: settings.horizon,
            window: settings.window,
            calendars: calendars.list,
            default_calendar: calendars.default,
            workstreams: workstreams.list,
            tasks: tasks.list,
            go_live_task: tasks.go_live.map(|(t, _)| t),
            gates,
            scenarios,
            thresholds: settings.thresholds,
            cost_of_delay: settings.cost_of_delay,
            uncertainty: settings.uncertainty,
            task_index: ids.index,
        }
    }
}

#[cfg(test)]
mod tests;
