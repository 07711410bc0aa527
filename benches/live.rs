//! `cutover board` redraws on seeded synthetic runbooks (docs/performance.md). The
//! budget: a redraw of a 10,000-task runbook under 100 ms, so that `board --watch`
//! keeps up with a command centre logging events.
//!
//! ```text
//! cargo bench --bench live                                # 1k and 10k tasks
//! CUTOVER_BENCH_SIZES=100000 cargo bench --bench live
//! ```
//! A redraw is what `board --watch` does on each change. When the status file or its
//! event log changed (the common case on the weekend), it keeps the runbook it read and
//! reads only the status, then plans and judges as of now, draws the board and renders
//! the terminal table; when the runbook changed, it reads and checks everything again.
//! The board alone (from the files already read) is timed too, and the hourly update
//! from the same files. Each is run until a second has passed (at least
//! 3 times, at most 30) and the median is reported, in milliseconds, as a Markdown
//! table and in `target/bench/live.csv`.

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

use cutover::board::board;
use cutover::load::Limits;
use cutover::pipeline::{KeptRunbook, Request, prepare};
use cutover::render::{Format, Render};
use cutover::synthetic;
use cutover::time::{Moment, parse_instant};
use cutover::update::update;

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

const TABLE: Format = Format::Table {
    color: false,
    width: None,
};

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: Vec<usize> = std::env::var("CUTOVER_BENCH_SIZES").ok().map_or_else(
        || vec![1_000, 10_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let dir = tempfile::tempdir().expect("a temporary directory");
    let status = dir.path().join("status.yaml");
    std::fs::write(&status, synthetic::status()).expect("write the status file");
    let mut rows = Vec::new();
    println!(
        "| tasks | redraw ms, status changed (read status + board + render) | redraw ms, runbook changed (read all + board + render) | board ms | update ms |"
    );
    println!("|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let runbook = dir.path().join(format!("s{n}.yaml"));
        std::fs::write(&runbook, synthetic::runbook(n, 7)).expect("write the runbook");
        let mut request = Request {
            runbook: runbook.clone(),
            status: Some(status.clone()),
            as_of: None,
            now: None,
            limits: Limits::default(),
        };
        // "Now": the synthetic status file's data date, as the clock would give it.
        let first = prepare(&request).expect("readable");
        let ready = first.ready.expect("synthetic runbooks are valid");
        let now: Moment = parse_instant("2028-02-14T17:00", &ready.project.tz).expect("an instant");
        request.now = Some(now);

        let redraw_ms = median_ms(|| {
            let prepared = prepare(&request).expect("readable");
            let ready = prepared.ready.expect("valid");
            let status = ready.status.clone().expect("a status");
            let b = board(&ready.project, &ready.graph, status).expect("in range");
            let bytes = b.to_bytes(TABLE).expect("renders");
            assert!(bytes.len() > 100);
            black_box((bytes, ready, prepared.sources));
        });
        // What `board --watch` does when the status file or event log changes: the
        // runbook is kept, and only the status is read again.
        let kept = KeptRunbook::read(&request)
            .expect("readable")
            .expect("valid");
        let status_redraw_ms = median_ms(|| {
            assert!(kept.unchanged());
            let restated = kept.status(&request).expect("readable");
            let status = restated.status.expect("a status");
            let b = board(&kept.project, &kept.graph, status).expect("in range");
            let bytes = b.to_bytes(TABLE).expect("renders");
            assert!(bytes.len() > 100);
            black_box((bytes, restated.sources));
        });
        let prepared = prepare(&request).expect("readable");
        let ready = prepared.ready.expect("valid");
        let status = ready.status.clone().expect("a status");
        let board_ms = median_ms(|| {
            let b = board(&ready.project, &ready.graph, status.clone()).expect("in range");
            black_box(b.to_bytes(TABLE).expect("renders"));
        });
        let update_ms = median_ms(|| {
            let u = update(&ready.project, &ready.graph, status.clone(), None).expect("in range");
            black_box(u.to_bytes(TABLE).expect("renders"));
        });
        println!(
            "| {n} | {status_redraw_ms:.1} | {redraw_ms:.1} | {board_ms:.1} | {update_ms:.1} |"
        );
        rows.push(format!(
            "{n},{status_redraw_ms:.2},{redraw_ms:.2},{board_ms:.2},{update_ms:.2}"
        ));
    }
    let out = Path::new("target/bench");
    if std::fs::create_dir_all(out).is_ok() {
        let csv = format!(
            "tasks,status_redraw_ms,redraw_ms,board_ms,update_ms\n{}\n",
            rows.join("\n")
        );
        let _ = std::fs::write(out.join("live.csv"), csv);
    }
}
