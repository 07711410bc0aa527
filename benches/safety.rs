//! Hostile status files and Monte Carlo memory (docs/performance.md, issue 18).
//!
//! ```text
//! cargo bench --bench safety
//! CUTOVER_BENCH_MC_ITERATIONS=10000,1000000 cargo bench --bench safety   # the default
//! ```
//! - The `cutover` binary of this build, end to end, on seeded synthetic runbooks
//!   written to a temporary directory: `report` with a status file of 50,000 unknown
//!   task ids against a 20,000-task runbook, and with 50 MB status files (refused by
//!   the default 4 MiB limit, and read with the limit raised). Wall time of each run,
//!   the median of 3, in milliseconds.
//! - Monte Carlo peak memory: this bench runs itself as a child process per iteration
//!   count (a fresh process, so each peak is its own), which loads a 4,000-task
//!   synthetic runbook, runs `montecarlo::run` and reports its peak resident set
//!   (`VmHWM` in /proc/self/status, Linux).
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
use std::process::Command;
use std::time::Instant;

use cutover::load::Limits;
use cutover::montecarlo::{self, Settings};
use cutover::pipeline::{Ready, prepare_text};
use cutover::schedule::Inputs;
use cutover::synthetic;

const CHILD: &str = "CUTOVER_BENCH_MC_CHILD";
const MC_TASKS: usize = 4_000;

/// Median wall time of 3 runs of the binary with `args` in `dir`, and its exit code.
fn time_cli(dir: &Path, args: &[&str]) -> (f64, i32) {
    let mut times = Vec::new();
    let mut code = -1;
    for _ in 0..3 {
        let started = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_cutover"))
            .current_dir(dir)
            .args(args)
            .env_remove("CUTOVER_MAX_FILE_SIZE")
            .env_remove("CUTOVER_MAX_STATUS_SIZE")
            .output()
            .expect("the binary runs");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        code = out.status.code().unwrap_or(-1);
    }
    times.sort_by(f64::total_cmp);
    (times[1], code)
}

/// Peak resident set of this process so far, in kB (Linux).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The child: one Monte Carlo run of `iterations` on the 4,000-task runbook.
fn monte_carlo_child(iterations: usize) {
    let Ready { project, graph, .. } = prepare_text(
        Path::new("bench.yaml"),
        synthetic::runbook(MC_TASKS, 7),
        &Limits::default(),
    )
    .ready
    .expect("valid");
    let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
    let before = peak_rss_kb().unwrap_or(0);
    let started = Instant::now();
    let mc = montecarlo::run(
        &project,
        &graph,
        Inputs::of(&project, &durations, None),
        None,
        Settings {
            iterations,
            seed: 7,
        },
        &|_| {},
    )
    .expect("in range");
    let secs = started.elapsed().as_secs_f64();
    let after = peak_rss_kb().unwrap_or(0);
    // One line for the parent: iterations, peak before the run, peak after, seconds,
    // distinct readiness instants.
    println!("{iterations} {before} {after} {secs:.1} {}", mc.ready.len());
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    if let Some(n) = std::env::var(CHILD).ok().and_then(|n| n.parse().ok()) {
        monte_carlo_child(n);
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let dir = dir.path();
    println!("| benchmark | exit | ms |\n|---|---:|---:|");

    // 50,000 unknown ids against 20,000 tasks.
    std::fs::write(dir.join("s20k.yaml"), synthetic::runbook(20_000, 7)).expect("write");
    let mut unknown = String::from("as_of: 2028-02-14T17:00\ntasks:\n");
    for i in 0..50_000 {
        let _ = writeln!(unknown, "  t{i}x: {{ started: 2028-02-01T09:00 }}");
    }
    std::fs::write(dir.join("unknown.status.yaml"), &unknown).expect("write");
    let (ms, code) = time_cli(
        dir,
        &["report", "s20k.yaml", "--status", "unknown.status.yaml"],
    );
    println!(
        "| `report`, 50,000 unknown ids x 20,000 tasks ({} KB) | {code} | {ms:.0} |",
        unknown.len() / 1024
    );
    let (ms, code) = time_cli(dir, &["report", "s20k.yaml"]);
    println!("| `report`, the same runbook without a status file | {code} | {ms:.0} |");

    // 50 MB status files against the shipped-size runbook (175 tasks).
    std::fs::write(dir.join("s175.yaml"), synthetic::runbook(175, 7)).expect("write");
    const SIZE: usize = 50_000_000;
    let mut keys = String::from("as_of: 2028-02-14T17:00\ntasks:\n");
    let mut i = 0;
    while keys.len() < SIZE {
        // 1 KB keys (YAML caps implicit keys at 1,024 characters).
        let _ = writeln!(keys, "  k{i:07}{}: {{}}", "x".repeat(1000));
        i += 1;
    }
    std::fs::write(dir.join("keys.status.yaml"), &keys).expect("write");
    let mut readings =
        String::from("as_of: 2028-02-14T17:00\nmetrics:\n  training.completion_pct:\n");
    let mut day = 0u32;
    while readings.len() < SIZE {
        let _ = writeln!(
            readings,
            "    - {{ at: 2027-{:02}-{:02}T{:02}:{:02}, value: {} }}",
            1 + (day / 28) % 12,
            1 + day % 28,
            (day / 60) % 24,
            day % 60,
            day % 100
        );
        day += 1;
    }
    std::fs::write(dir.join("readings.status.yaml"), &readings).expect("write");
    // The largest status file the default limit accepts, in the slowest shape.
    let limit = cutover::load::DEFAULT_MAX_STATUS_BYTES as usize;
    let cut = readings[..limit].rfind('\n').map_or(0, |i| i + 1);
    std::fs::write(dir.join("at-limit.status.yaml"), &readings[..cut]).expect("write");
    let (ms, code) = time_cli(
        dir,
        &["report", "s175.yaml", "--status", "at-limit.status.yaml"],
    );
    println!(
        "| `report`, {:.1} MB of metric readings (the most the default limit accepts) | {code} | {ms:.0} |",
        cut as f64 / 1e6
    );
    for (name, what) in [
        ("keys.status.yaml", "50 MB of 1 KB unknown keys"),
        ("readings.status.yaml", "50 MB of metric readings"),
    ] {
        let (ms, code) = time_cli(dir, &["report", "s175.yaml", "--status", name]);
        println!("| `report`, {what}, default limit (refused) | {code} | {ms:.0} |");
        let (ms, code) = time_cli(
            dir,
            &[
                "report",
                "s175.yaml",
                "--status",
                name,
                "--max-status-size",
                "60000000",
            ],
        );
        println!("| `report`, {what}, `--max-status-size 60000000` | {code} | {ms:.0} |");
    }

    // Monte Carlo peak memory against iterations.
    let counts: Vec<usize> = std::env::var("CUTOVER_BENCH_MC_ITERATIONS")
        .ok()
        .map_or_else(
            || vec![10_000, 1_000_000],
            |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        );
    println!(
        "\n| Monte Carlo, {MC_TASKS} tasks: iterations | peak RSS before the run, MB | peak RSS, MB | s | distinct readiness instants |\n|---:|---:|---:|---:|---:|"
    );
    let mut peaks = Vec::new();
    for n in counts {
        let out = Command::new(std::env::current_exe().expect("this bench"))
            .env(CHILD, n.to_string())
            .output()
            .expect("the child runs");
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<f64> = line
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        if f.len() < 5 {
            println!(
                "| {n} | child failed: {line} {} |",
                String::from_utf8_lossy(&out.stderr)
            );
            continue;
        }
        println!(
            "| {n} | {:.1} | {:.1} | {:.1} | {} |",
            f[1] / 1024.0,
            f[2] / 1024.0,
            f[3],
            f[4]
        );
        peaks.push((n, f[2]));
    }
    if let (Some(first), Some(last)) = (peaks.first(), peaks.last()) {
        println!(
            "\npeak at {} iterations / peak at {} iterations = {:.3}",
            last.0,
            first.0,
            last.1 / first.1
        );
    }
}
