//! Using `cutover` as a library: build a runbook in code, schedule it and print its
//! critical path.
//!
//! ```text
//! cargo run --example critical_path
//! ```
//! The runbook is written as the same YAML a cutover lead keeps in git (the format is
//! the library's input too), assembled here from data, then it goes through the same
//! pipeline as the command line: load -> validate -> plan.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark or example: it prints its results and stops at the first failure"
)]

use std::fmt::Write as _;
use std::path::Path;

use cutover::load::Limits;
use cutover::pipeline::prepare_text;
use cutover::plan::{Filter, plan};
use cutover::time::{Elapsed, local_label};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A cutover weekend: (id, name, hours, predecessors).
    let tasks: &[(&str, &str, u32, &[&str])] = &[
        ("freeze", "Freeze the legacy PAS", 1, &[]),
        ("extract", "Final extract", 4, &["freeze"]),
        ("load", "Load into the EPR", 6, &["extract"]),
        ("interfaces", "Switch interfaces", 2, &["freeze"]),
        ("reconcile", "Reconcile counts", 3, &["load"]),
        ("smoke", "Smoke tests", 2, &["reconcile", "interfaces"]),
    ];
    let mut yaml = String::from(
        "runbook: Library example\ntimezone: Europe/London\n\
         start: 2027-06-11T19:00\ngo_live: 2027-06-12T19:00\n\
         window: { opens: 2027-06-11T19:00, closes: 2027-06-12T19:00 }\ntasks:\n",
    );
    for (id, name, hours, after) in tasks {
        writeln!(
            yaml,
            "  - {{ id: {id}, name: {name}, owner: Cutover lead, duration: {hours}h, after: [{}] }}",
            after.join(", ")
        )?;
    }
    yaml.push_str(
        "  - { id: live, name: Go live, owner: SRO, milestone: true, go_live: true, after: [smoke] }\n",
    );

    let prepared = prepare_text(Path::new("example.yaml"), yaml, &Limits::default());
    if let Some(problem) = prepared.diagnostics.iter().find(|d| d.is_error()) {
        return Err(problem.message.clone().into());
    }
    let ready = prepared.ready.ok_or("the runbook did not validate")?;
    let (project, graph) = (ready.project, ready.graph);
    let plan = plan(&project, &graph, None, &Filter::default())?;

    println!("Critical path of {}:", project.name);
    for chain in &plan.critical.chains {
        for &t in chain {
            let d = &plan.schedule.tasks[t];
            println!(
                "  {:<11} {} -> {}  {}",
                project.tasks[t].id,
                local_label(d.early_start, &project.tz),
                local_label(d.early_finish, &project.tz),
                project.tasks[t].name
            );
        }
    }
    println!(
        "Ready {} before go-live.",
        Elapsed(plan.fit.float_to_go_live())
    );
    Ok(())
}
