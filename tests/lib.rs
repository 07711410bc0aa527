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

mod all_at_once;
mod as_written;
mod calibrate;
mod cli;
mod dates;
mod diagnostics;
mod formats;
mod fuzz_regressions;
mod ics;
mod includes;
mod interop;
mod limits;
mod live;
mod papers;
mod report_cli;
mod report_tag;
mod review;
mod runsheet;
mod safety;
mod schemas;
mod simulate_cli;
mod status_check;
mod terminal;
mod trust;
mod weekend;
mod yaml_errors;
