//! The integration tests: one crate (one build and one link), one module per area,
//! sharing the helpers in `common`. Each module runs the binary on fixtures in
//! `tests/fixtures/` and snapshots what a user sees.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

mod cli;
mod diagnostics;
mod formats;
mod fuzz_regressions;
mod limits;
mod papers;
mod report_cli;
mod safety;
mod simulate_cli;
mod trust;
