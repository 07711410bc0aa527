//! Monte Carlo and scenario comparison timings (docs/performance.md).
//!
//! ```text
//! cargo bench --bench simulate
//! ```
//! Monte Carlo: 10,000 iterations over a 10,000-task synthetic runbook on all cores
//! (and on one, to show the scaling). Scenarios: the five scenarios of a 1,000-task
//! synthetic runbook compared with the baseline, with the earliest-GO search.
//! Median of 3 runs (Monte Carlo) or of up to 50 (scenarios), in milliseconds.
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
use std::time::Instant;

use cutover::load::Limits;
use cutover::montecarlo::{self, Settings};
use cutover::pipeline::{self, Ready};
use cutover::schedule::Inputs;
use cutover::simulate::compare;
use cutover::synthetic;

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// A synthetic runbook of `n` tasks, with the synthetic status file if asked.
fn prepare(n: usize, with_status: bool) -> Ready {
    let limits = Limits::default();
    let mut prepared =
        pipeline::prepare_text(Path::new("bench.yaml"), synthetic::runbook(n, 7), &limits);
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

fn load(n: usize) -> (cutover::project::Project, cutover::graph::TaskGraph) {
    let ready = prepare(n, false);
    (ready.project, ready.graph)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let iterations: usize = std::env::var("CUTOVER_BENCH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let (project, graph) = load(10_000);
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    let settings = Settings {
        iterations,
        seed: 7,
    };
    let mc = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        median_ms(3, || {
            pool.install(|| {
                black_box(
                    montecarlo::run(
                        &project,
                        &graph,
                        Inputs::of(&project, &durations, None),
                        None,
                        settings,
                        &|_| {},
                    )
                    .expect("in range"),
                );
            });
        })
    };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let all = mc(cores);
    let one = mc(1);
    println!("| benchmark | ms |\n|---|---:|");
    println!("| Monte Carlo, {iterations} iterations x 10,000 tasks, {cores} threads | {all:.0} |");
    println!("| Monte Carlo, {iterations} iterations x 10,000 tasks, 1 thread | {one:.0} |");

    let Ready {
        project,
        graph,
        status,
    } = prepare(1_000, true);
    let st = status.expect("status resolves");
    let scenarios = project.scenarios.clone();
    let started = Instant::now();
    let mut runs = Vec::new();
    while runs.len() < 3 || (started.elapsed().as_secs() < 2 && runs.len() < 50) {
        runs.push(median_ms(1, || {
            black_box(compare(&project, &graph, &st, &scenarios, None, &|_| {}).expect("in range"));
        }));
    }
    runs.sort_by(f64::total_cmp);
    println!(
        "| Compare {} scenarios + baseline, 1,000 tasks (with earliest-GO search) | {:.1} |",
        scenarios.len(),
        runs[runs.len() / 2]
    );
}
