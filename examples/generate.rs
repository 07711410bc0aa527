//! Writes a large synthetic runbook to standard output, for benchmarks and stress tests.
//!
//! ```text
//! cargo run --release --example generate -- --tasks 100000 --seed 7 > /tmp/big.yaml
//! ```
//! The same `--tasks` and `--seed` always give the same file. `--status` writes a
//! status file for it instead (a data date three weeks before go-live, metric histories
//! and a sign-off), for timing `gates` and `report`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark or example: it prints its results and stops at the first failure"
)]

use std::io::Write;

fn main() {
    let mut tasks = 10_000usize;
    let mut seed = 7u64;
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "--status") {
        let _ = std::io::stdout()
            .lock()
            .write_all(cutover::synthetic::status().as_bytes());
        return;
    }
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value.as_deref()) {
            ("--tasks", Some(v)) => v.parse().map(|v| tasks = v).is_ok(),
            ("--seed", Some(v)) => v.parse().map(|v| seed = v).is_ok(),
            _ => false,
        };
        if !parsed {
            eprintln!("usage: generate [--tasks N] [--seed S] | generate --status");
            std::process::exit(2);
        }
    }
    let text = cutover::synthetic::runbook(tasks, seed);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
