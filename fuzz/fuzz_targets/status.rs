//! Arbitrary bytes as a status file for a fixed runbook
//! (`tests/fixtures/safety/property.yaml`): load, resolve, report, and render.
//!
//! Besides "no panic, hang or runaway memory", two laws are checked on every status
//! that resolves:
//! - a milestone the status records as reached has what it waits for finished (FS,
//!   FF) or started (SS, SF) by the status itself (E091 refuses the rest);
//! - the scheduler sets aside a milestone's actuals that an unfinished predecessor
//!   contradicts: forcing any such milestone "reached at the data date" into the
//!   progress, behind the status file's back (as a scenario's `done` or a library
//!   caller could), leaves readiness and the decision exactly as they were.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use cutover::graph::TaskGraph;
use cutover::load::{Limits, load_runbook_text, load_status_text};
use cutover::project::{LinkType, Project};
use cutover::render::diagnostics::{FileCheck, Validation};
use cutover::render::{Format, Render};
use cutover::report::report;
use cutover::schedule::{Actual, State};
use cutover::source::{FileId, Sources};
use cutover::status::{self, Status};
use cutover::validate::validate;
use libfuzzer_sys::fuzz_target;

const RUNBOOK: &str = include_str!("../../tests/fixtures/safety/property.yaml");

fn runbook() -> &'static (Sources, Project, TaskGraph) {
    static CELL: OnceLock<(Sources, Project, TaskGraph)> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut sources = Sources::default();
        let loaded = load_runbook_text(
            Path::new("property.yaml"),
            RUNBOOK.to_owned(),
            &mut sources,
            &Limits::default(),
        );
        let v = validate(loaded.runbook.as_ref().expect("the fixture parses"));
        (sources, v.project.expect("valid"), v.graph.expect("valid"))
    })
}

/// Does the progress allow milestone `m`: each FS/FF predecessor finished, SS/SF started?
fn allowed(project: &Project, status: &Status, m: usize) -> bool {
    project.tasks[m].deps.iter().all(|d| {
        let a = status.progress.actual(d.pred);
        match d.link {
            LinkType::FS | LinkType::FF => a.finished.is_some(),
            LinkType::SS | LinkType::SF => a.started.is_some() || a.finished.is_some(),
        }
    })
}

fn check(project: &Project, graph: &TaskGraph, status: &Status) {
    let milestones: Vec<usize> = (0..project.tasks.len())
        .filter(|&t| project.tasks[t].milestone)
        .collect();
    for &m in &milestones {
        if status.progress.actual(m).finished.is_some() {
            assert!(allowed(project, status, m), "E091 let through `{}`", project.tasks[m].id);
        }
    }
    let Ok(base) = report(project, graph, status.clone()) else {
        return;
    };
    let _ = base.to_bytes(Format::Json);
    if let Ok(paper) =
        cutover::paper::paper(project, graph, status.clone(), cutover::paper::Options::default())
    {
        let _ = paper.to_bytes(Format::Html);
    }
    for &m in &milestones {
        let states = &base.plan.schedule.tasks;
        let preds_done = project.tasks[m].deps.iter().all(|d| match d.link {
            LinkType::FS | LinkType::FF => states[d.pred].state == State::Done,
            LinkType::SS | LinkType::SF => states[d.pred].state != State::NotStarted,
        });
        if preds_done {
            continue;
        }
        let mut forced = status.clone();
        forced.progress.actuals[m] = Actual {
            started: Some(status.as_of),
            finished: Some(status.as_of),
            ..Actual::default()
        };
        let Ok(pushed) = report(project, graph, forced) else {
            continue;
        };
        assert_eq!(
            (pushed.plan.schedule.ready, pushed.outcome.decision),
            (base.plan.schedule.ready, base.outcome.decision),
            "forcing `{}` moved readiness or the decision",
            project.tasks[m].id
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let (sources, project, graph) = runbook();
    let mut sources = sources.clone();
    let text = String::from_utf8_lossy(data).into_owned();
    let path = Path::new("property.status.yaml");
    let limits = Limits::default();
    let (file, problem) = load_status_text(path, text, &mut sources, &limits);
    let file_id = FileId(sources.len() as u32 - 1);
    let mut diagnostics: Vec<_> = problem.into_iter().collect();
    if let Some(file) = file {
        let (status, problems) = status::resolve(project, &file, file_id, None, None);
        diagnostics.extend(problems);
        if let Some(status) = status {
            check(project, graph, &status);
        }
    }
    let checks = [FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    }];
    let validation = Validation {
        sources: &sources,
        checks: &checks,
    };
    let _ = validation.to_bytes(Format::Human {
        color: false,
        summary: true,
    });
    let _ = validation.to_bytes(Format::Json);
});
