//! `cutover lint` and `cutover diff` against `cutover validate` on seeded synthetic
//! runbooks (docs/performance.md). The budget: each under 2x validate of one runbook.
//!
//! ```text
//! cargo bench --bench review                              # 1k, 10k, 100k tasks
//! CUTOVER_BENCH_SIZES=100000 cargo bench --bench review
//! ```
//! The three run in turn, one round after another, until three seconds have passed (at
//! least 5 rounds, at most 30), so that a slow spell of the machine falls on all three
//! alike. Reported, in milliseconds, as a Markdown table and in `target/bench/review.csv`:
//! the median time of each, and the median over the rounds of each round's ratio.
//! All three read their files from disk, as the commands do. `diff` compares the
//! runbook with a copy in which one task in a thousand takes an hour longer.

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

use cutover::load::Limits;
use cutover::{diff, lint, pipeline, synthetic};

/// Runs each of `runs` in turn, round after round (at least 5 rounds, then until 3 s
/// have passed or 30 rounds), and returns each one's times in milliseconds.
fn rounds(runs: &mut [&mut dyn FnMut()]) -> Vec<Vec<f64>> {
    let mut times = vec![Vec::new(); runs.len()];
    let begun = Instant::now();
    while times[0].len() < 5 || (begun.elapsed() < Duration::from_secs(3) && times[0].len() < 30) {
        for (run, times) in runs.iter_mut().zip(&mut times) {
            let t = Instant::now();
            run();
            times.push(t.elapsed().as_secs_f64() * 1e3);
        }
    }
    times
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The median over the rounds of `a[i] / b[i]`.
fn median_ratio(a: &[f64], b: &[f64]) -> f64 {
    median(a.iter().zip(b).map(|(a, b)| a / b).collect())
}

fn drop_later<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// One task in a thousand with a plain `duration: Nh` (the first, the 1001st...) takes
/// an hour longer.
fn edited(text: &str) -> (String, usize) {
    let mut seen = 0;
    let mut changed = 0;
    let mut out = String::with_capacity(text.len() + 1024);
    for line in text.lines() {
        let hours = line
            .starts_with("  - { id: t")
            .then(|| line.split_once("duration: "))
            .flatten()
            .and_then(|(head, rest)| {
                let (n, tail) = rest.split_once('h')?;
                Some((head, n.parse::<u32>().ok()?, tail))
            });
        match hours {
            Some((head, n, tail)) => {
                if seen % 1000 == 0 {
                    out.push_str(&format!("{head}duration: {}h{tail}", n + 1));
                    changed += 1;
                } else {
                    out.push_str(line);
                }
                seen += 1;
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    (out, changed)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: Vec<usize> = std::env::var("CUTOVER_BENCH_SIZES").ok().map_or_else(
        || vec![1_000, 10_000, 100_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut rows = Vec::new();
    println!(
        "| tasks | tasks changed | rounds | validate ms | lint ms | lint / validate | diff ms | diff / validate |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let text = synthetic::runbook(n, 7);
        let (changed_text, changed) = edited(&text);
        let base = dir.path().join(format!("s{n}.yaml"));
        let pr = dir.path().join(format!("s{n}-pr.yaml"));
        std::fs::write(&base, &text).expect("write the runbook");
        std::fs::write(&pr, &changed_text).expect("write the changed runbook");
        let limits = Limits::default();

        // `validate` as the commands run it: the one pipeline entry point (load,
        // validate, graph; no status file here).
        let request = pipeline::Request {
            runbook: base.clone(),
            limits: limits.clone(),
            ..pipeline::Request::default()
        };
        let lint_request = lint::Request {
            paths: vec![base.display().to_string()],
            status: None,
            as_of: None,
            fail_level: lint::Level::Warning,
            limits: limits.clone(),
        };
        let diff_request = diff::Request {
            compare: diff::Compare::Files {
                old: base.clone(),
                new: pr.clone(),
            },
            status: None,
            as_of: None,
            limits: limits.clone(),
        };
        let times = rounds(&mut [
            &mut || {
                let prepared = pipeline::prepare(&request).expect("readable");
                assert!(prepared.ready.is_some(), "synthetic runbooks are valid");
                drop_later(prepared);
            },
            &mut || match lint::lint(&lint_request).expect("lint runs") {
                lint::Linted::Done(l) => drop_later(black_box(l)),
                lint::Linted::Invalid { .. } => panic!("synthetic runbooks are valid"),
            },
            &mut || match diff::diff(&diff_request).expect("diff runs") {
                diff::Diffed::Done(r) => {
                    assert!(!r.same);
                    drop_later(black_box(r));
                }
                diff::Diffed::Invalid(_) => panic!("synthetic runbooks are valid"),
            },
        ]);
        let (lint_ratio, diff_ratio) = (
            median_ratio(&times[1], &times[0]),
            median_ratio(&times[2], &times[0]),
        );
        let rounds = times[0].len();
        let [validate_ms, lint_ms, diff_ms] = [0, 1, 2].map(|i| median(times[i].clone()));
        println!(
            "| {n} | {changed} | {rounds} | {validate_ms:.1} | {lint_ms:.1} | {lint_ratio:.2} | {diff_ms:.1} | {diff_ratio:.2} |",
        );
        rows.push(format!(
            "{n},{changed},{rounds},{validate_ms:.2},{lint_ms:.2},{lint_ratio:.3},{diff_ms:.2},{diff_ratio:.3}"
        ));
        // Let the frees on other threads finish before the next size.
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = Path::new("target/bench");
    if std::fs::create_dir_all(out).is_ok() {
        let csv = format!(
            "tasks,tasks_changed,rounds,validate_ms,lint_ms,lint_per_validate,diff_ms,diff_per_validate\n{}\n",
            rows.join("\n")
        );
        let _ = std::fs::write(out.join("review.csv"), csv);
    }
}
