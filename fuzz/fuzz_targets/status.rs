//! Arbitrary bytes as a status file for a fixed runbook
//! (`tests/fixtures/safety/property.yaml`): load, resolve, report, and render.
//!
//! Besides "no panic, hang or runaway memory", three laws are checked on every status
//! that resolves:
//! - a milestone the status records as reached has what it waits for finished (FS,
//!   FF) or started (SS, SF) by the status itself (E091 refuses the rest);
//! - removing every milestone's actuals never gives a worse decision: actuals on a
//!   milestone may only move the decision towards GO when its predecessors are done;
//! - the scheduler sets aside a milestone's actuals that an unfinished predecessor
//!   contradicts: forcing the go-live milestone "reached at the data date" into the
//!   progress, behind the status file's back, leaves readiness where it was unless
//!   every predecessor is finished.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use cutover::graph::TaskGraph;
use cutover::load::{Limits, load_runbook_text, load_status_text};
use cutover::project::{LinkType, Project};
use cutover::render::diagnostics as render_diagnostics;
use cutover::report::report;
use cutover::schedule::{Actual, State, schedule};
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
    let Ok(with) = report(project, graph, status.clone()) else {
        return;
    };
    let _ = cutover::render::report::json(&with);
    let _ = cutover::render::html::html(&with);
    let mut stripped = status.clone();
    for &m in &milestones {
        stripped.progress.actuals[m] = Actual::default();
    }
    if let Ok(without) = report(project, graph, stripped) {
        // Decision is ordered GO < GO WITH CONDITIONS < NO-GO.
        assert!(
            with.outcome.decision >= without.outcome.decision
                || milestones.iter().all(|&m| allowed(project, status, m)),
            "milestone actuals improved {:?} to {:?}",
            without.outcome.decision,
            with.outcome.decision
        );
    }
    // Behind the status file's back: go-live "reached" at the data date.
    if let Some(g) = project.go_live_task {
        let mut forced = status.progress.clone();
        forced.actuals[g] = Actual {
            started: Some(status.as_of),
            finished: Some(status.as_of),
            remaining: None,
        };
        let (Ok(base), Ok(pushed)) = (
            schedule(project, graph, Some(&status.progress)),
            schedule(project, graph, Some(&forced)),
        ) else {
            return;
        };
        let preds_done = project.tasks[g].deps.iter().all(|d| {
            let s = base.tasks[d.pred].state;
            match d.link {
                LinkType::FS | LinkType::FF => s == State::Done,
                LinkType::SS | LinkType::SF => s != State::NotStarted,
            }
        });
        if !preds_done {
            assert_eq!(base.ready, pushed.ready, "a forced go-live moved readiness");
        }
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
        let (status, problems) = status::resolve(project, &file, file_id, None);
        diagnostics.extend(problems);
        if let Some(status) = status {
            check(project, graph, &status);
        }
    }
    let checks = [cutover::check::FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    }];
    let _ = render_diagnostics::human(&sources, &checks, false, true);
    let _ = render_diagnostics::json(&sources, &checks);
});
