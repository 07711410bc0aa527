//! `cutover lint` and `cutover diff` against `cutover validate` on seeded synthetic
//! runbooks (docs/performance.md). The budget: each under 2x validate of one runbook.
//!
//! ```text
//! cargo bench --bench review                              # 1k, 10k, 100k tasks
//! CUTOVER_BENCH_SIZES=100000 cargo bench --bench review
//! ```
//! Each is run until a second has passed (at least 3 times, at most 30) and the median
//! is reported, in milliseconds, as a Markdown table and in `target/bench/review.csv`.
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

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    let begun = Instant::now();
    while times.len() < 3 || (begun.elapsed() < Duration::from_secs(1) && times.len() < 30) {
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Frees a large value on another thread, as the commands do once a stage is done.
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
        "| tasks | tasks changed | validate ms | lint ms | lint / validate | diff ms | diff / validate |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
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
        let validate_ms = median_ms(|| {
            let prepared = pipeline::prepare(&request).expect("readable");
            assert!(prepared.ready.is_some(), "synthetic runbooks are valid");
            drop_later(prepared);
        });
        let lint_request = lint::Request {
            paths: vec![base.display().to_string()],
            status: None,
            as_of: None,
            fail_level: lint::Level::Warning,
            limits: limits.clone(),
        };
        let lint_ms = median_ms(|| match lint::lint(&lint_request).expect("lint runs") {
            lint::Linted::Done(l) => drop_later(black_box(l)),
            lint::Linted::Invalid { .. } => panic!("synthetic runbooks are valid"),
        });
        let diff_request = diff::Request {
            compare: diff::Compare::Files {
                old: base.clone(),
                new: pr.clone(),
            },
            status: None,
            as_of: None,
            limits: limits.clone(),
        };
        let diff_ms = median_ms(|| match diff::diff(&diff_request).expect("diff runs") {
            diff::Diffed::Done(r) => {
                assert!(!r.same);
                drop_later(black_box(r));
            }
            diff::Diffed::Invalid(_) => panic!("synthetic runbooks are valid"),
        });
        println!(
            "| {n} | {changed} | {validate_ms:.1} | {lint_ms:.1} | {:.2} | {diff_ms:.1} | {:.2} |",
            lint_ms / validate_ms,
            diff_ms / validate_ms
        );
        rows.push(format!(
            "{n},{changed},{validate_ms:.2},{lint_ms:.2},{diff_ms:.2}"
        ));
        // Let the frees on other threads finish before the next size.
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = Path::new("target/bench");
    if std::fs::create_dir_all(out).is_ok() {
        let csv = format!(
            "tasks,tasks_changed,validate_ms,lint_ms,diff_ms\n{}\n",
            rows.join("\n")
        );
        let _ = std::fs::write(out.join("review.csv"), csv);
    }
}
