//! Phase timings of the pipeline on seeded synthetic runbooks (docs/performance.md).
//!
//! ```text
//! cargo bench --bench pipeline                              # 1k, 10k, 100k tasks
//! CUTOVER_BENCH_SIZES=1000000 cargo bench --bench pipeline  # 1M tasks
//! ```
//! Each phase is run until a second has passed (at least 3 times, at most 50) and the
//! median is reported, in milliseconds. Results go to standard output as a Markdown
//! table and to `target/bench/pipeline.csv`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark or example: it prints its results and stops at the first failure"
)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use cutover::graph::TaskGraph;
use cutover::load::Limits;
use cutover::pipeline::{self, Ready};
use cutover::plan::{Filter, plan};
use cutover::project::Project;
use cutover::render::{Format, Render};
use cutover::report::report;
use cutover::schedule::{Inputs, schedule_with};
use cutover::status::Status;
use cutover::synthetic;

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    let begun = Instant::now();
    while times.len() < 3 || (begun.elapsed() < Duration::from_secs(1) && times.len() < 50) {
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn prepare(text: &str, with_status: bool) -> Ready {
    let limits = Limits::default();
    let mut prepared = pipeline::prepare_text(Path::new("bench.yaml"), text.to_owned(), &limits);
    if with_status {
        pipeline::add_status_text(
            &mut prepared,
            Path::new("bench.status.yaml"),
            synthetic::status(),
            &limits,
        );
    }
    match prepared.ready {
        Some(ready) => ready,
        None => panic!("synthetic runbooks validate: {:?}", prepared.diagnostics),
    }
}

fn load(text: &str) -> (Project, TaskGraph) {
    let ready = prepare(text, false);
    (ready.project, ready.graph)
}

fn status_for(text: &str) -> Status {
    prepare(text, true)
        .status
        .expect("synthetic status resolves")
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we need.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: Vec<usize> = std::env::var("CUTOVER_BENCH_SIZES").ok().map_or_else(
        || vec![1_000, 10_000, 100_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let mut rows = Vec::new();
    println!(
        "| tasks | edges | YAML MB | load+validate ms | schedule ms | plan ms | plan JSON ms | report ms | report HTML ms |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let text = synthetic::runbook(n, 7);
        let load_ms = median_ms(|| {
            black_box(load(&text));
        });
        let (project, graph) = load(&text);
        let edges: usize = project.tasks.iter().map(|t| t.deps.len()).sum();
        let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
        let schedule_ms = median_ms(|| {
            let inputs = Inputs::of(&project, &durations, None);
            black_box(schedule_with(&project, &graph, inputs).expect("in range"));
        });
        let plan_ms = median_ms(|| {
            black_box(plan(&project, &graph, None, &Filter::default()).expect("in range"));
        });
        let planned = plan(&project, &graph, None, &Filter::default()).expect("in range");
        let json_ms = median_ms(|| {
            black_box(planned.to_bytes(Format::Json).expect("renders"));
        });
        let status = status_for(&text);
        let report_ms = median_ms(|| {
            black_box(report(&project, &graph, status.clone()).expect("in range"));
        });
        // The board paper (with its earliest-GO search when the decision is not GO).
        let made = cutover::paper::paper(
            &project,
            &graph,
            status.clone(),
            cutover::paper::Options::default(),
        )
        .expect("in range");
        let html_ms = median_ms(|| {
            black_box(made.to_bytes(Format::Html).expect("renders"));
        });
        let mb = text.len() as f64 / 1e6;
        println!(
            "| {n} | {edges} | {mb:.1} | {load_ms:.1} | {schedule_ms:.1} | {plan_ms:.1} | {json_ms:.1} | {report_ms:.1} | {html_ms:.1} |"
        );
        rows.push(format!(
            "{n},{edges},{mb:.2},{load_ms:.2},{schedule_ms:.2},{plan_ms:.2},{json_ms:.2},{report_ms:.2},{html_ms:.2}"
        ));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    if std::fs::create_dir_all(&dir).is_ok() {
        let mut csv = String::from(
            "tasks,edges,yaml_mb,load_validate_ms,schedule_ms,plan_ms,plan_json_ms,report_ms,report_html_ms\n",
        );
        for r in rows {
            csv.push_str(&r);
            csv.push('\n');
        }
        let _ = cutover::output::write_atomic(&dir.join("pipeline.csv"), csv.as_bytes());
    }
}
