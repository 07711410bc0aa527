//! Hostile and extreme input: each case must end in a clear error (exit 1 for a bad
//! runbook, 2 for bad arguments) that names the file and, where there is one, the
//! line and column, or be accepted; never a panic, an abort or runaway output.
//!
//! Small inputs are in `tests/fixtures/limits/`; large ones are written at test time
//! into a temporary directory. Nothing here asserts on time: the figures for a release
//! build are in `docs/fuzzing.md`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::cutover as binary;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/limits")
        .join(name)
}

fn cutover(args: &[&str], file: &Path) -> Output {
    binary()
        .args(["--color", "never"])
        .args(args)
        .arg(file)
        .output()
        .expect("cutover runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exited with `code`, with no panic, and no more than `max_bytes` on stderr.
fn assert_exit(out: &Output, code: i32, max_bytes: usize) -> String {
    let err = stderr(out);
    assert!(
        !err.contains("panicked")
            && !err.contains("overflowed its stack")
            && !err.contains("RUST_BACKTRACE"),
        "crashed: {}",
        &err[..err.len().min(2000)]
    );
    assert_eq!(
        out.status.code(),
        Some(code),
        "stderr: {}",
        &err[..err.len().min(2000)]
    );
    assert!(
        err.len() <= max_bytes,
        "{} bytes on stderr, more than {max_bytes}",
        err.len()
    );
    err
}

/// `cutover validate FILE` fails with `message` at `file:line:col`.
fn assert_invalid_at(name: &str, line_col: Option<(u32, u32)>, message: &str) -> String {
    let path = fixture(name);
    let out = cutover(&["validate"], &path);
    let err = assert_exit(&out, 1, 4096);
    let place = match line_col {
        Some((line, col)) => format!("{name}:{line}:{col}"),
        None => name.to_owned(),
    };
    assert!(err.contains(&place), "no `{place}` in: {err}");
    assert!(err.contains(message), "no `{message}` in: {err}");
    err
}

/// The go-live milestone, after task `a`.
const LIVE_AFTER_A: &str =
    "  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }\n";

const HEADER: &str = "runbook: Generated\ntimezone: Europe/London\nstart: 2027-01-04T08:00\ngo_live: 2036-03-01T08:00\n";

/// A runbook of `n` one-hour tasks, each after the one before; with `close`, the first
/// also waits for the last, closing a loop through all of them.
fn chain(n: usize, close: bool) -> String {
    let mut y = String::with_capacity(n * 64);
    y.push_str(HEADER);
    y.push_str("tasks:\n");
    for i in 0..n {
        let _ = write!(y, "  - {{ id: t{i}, name: T, owner: o, duration: 1h");
        if i > 0 {
            let _ = write!(y, ", after: [t{}]", i - 1);
        } else if close {
            let _ = write!(y, ", after: [t{}]", n - 1);
        }
        y.push_str(" }\n");
    }
    let _ = writeln!(
        y,
        "  - {{ id: live, name: Live, owner: o, milestone: true, go_live: true, after: [t{}] }}",
        n - 1
    );
    y
}

fn write_temp(dir: &tempfile::TempDir, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn alias_bomb_is_refused_as_an_input_limit() {
    assert_invalid_at(
        "alias-bomb.yaml",
        Some((9, 34)),
        "the YAML has too many values",
    );
}

#[test]
fn nesting_200_levels_deep_is_refused() {
    assert_invalid_at(
        "nesting-200.yaml",
        Some((8, 72)),
        "the YAML nests too deeply (more than 64 levels)",
    );
}

#[test]
fn nesting_is_refused_in_block_style_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut y = String::from(HEADER);
    y.push_str("calendars:\n  office:\n    hours:\n");
    for i in 0..200 {
        let _ = writeln!(y, "{}k{i}:", "  ".repeat(i + 3));
    }
    let path = write_temp(&dir, "deep.yaml", y.as_bytes());
    let err = assert_exit(&cutover(&["validate"], &path), 1, 4096);
    assert!(err.contains("nests too deeply"), "{err}");
    assert!(err.contains("deep.yaml:"), "{err}");
}

#[test]
fn non_utf8_file_is_refused_at_the_bad_byte() {
    // Line 6 is `organisation: H\xf4pital...`; the bad byte is the 16th character.
    assert_invalid_at("not-utf8.yaml", Some((6, 16)), "the file is not UTF-8 text");
}

#[test]
fn file_over_max_file_size_is_refused() {
    let path = fixture("alias-bomb.yaml");
    let out = cutover(&["--max-file-size", "100", "validate"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("alias-bomb.yaml"), "{err}");
    assert!(err.contains("more than the limit of 100 bytes"), "{err}");
    // The same limit applies to `plan`.
    let out = cutover(&["--max-file-size", "100", "plan"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("more than the limit of 100 bytes"), "{err}");
}

#[test]
fn a_bad_max_file_size_is_a_usage_error() {
    let out = cutover(
        &["--max-file-size", "lots", "validate"],
        &fixture("year-1.yaml"),
    );
    let err = assert_exit(&out, 2, 4096);
    assert!(err.contains("--max-file-size"), "{err}");
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_read_only_up_to_the_limit() {
    // `/dev/zero` reports size 0 and never ends: it must not be read into memory.
    let out = cutover(
        &["--max-file-size", "4096", "validate"],
        Path::new("/dev/zero"),
    );
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("/dev/zero"), "{err}");
    assert!(err.contains("larger than the limit of 4096 bytes"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let y = format!(
        "{HEADER}include: [/dev/zero]\ntasks:\n  - {{ id: a, name: A, owner: o, duration: 1h }}\n"
    );
    let path = write_temp(&dir, "includes-zero.yaml", y.as_bytes());
    let out = cutover(&["--max-file-size", "4096", "validate"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("larger than the limit of 4096 bytes"), "{err}");
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let out = cutover(&["plan"], Path::new("no-such-runbook.yaml"));
    let err = assert_exit(&out, 2, 4096);
    assert!(err.contains("no-such-runbook.yaml"), "{err}");
}

#[test]
fn a_one_megabyte_task_name_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let name = "x".repeat(1 << 20);
    let y = format!(
        "{HEADER}tasks:\n  - id: a\n    name: {name}\n    owner: o\n    duration: 1h\n{LIVE_AFTER_A}"
    );
    let path = write_temp(&dir, "long-name.yaml", y.as_bytes());
    let out = cutover(&["validate"], &path);
    assert_exit(&out, 0, 4096);
    let out = cutover(&["plan", "--format", "json"], &path);
    assert_exit(&out, 0, 4096);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(json.to_string().contains(&name));
}

#[test]
fn a_one_megabyte_key_is_reported_briefly() {
    // YAML caps implicit keys at 1024 characters; the snippet is trimmed.
    let dir = tempfile::tempdir().unwrap();
    let y = format!("{HEADER}{}: 1\n", "k".repeat(1 << 20));
    let path = write_temp(&dir, "long-key.yaml", y.as_bytes());
    let out = cutover(&["validate"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("long-key.yaml:5:1"), "{err}");
    assert!(err.contains("simple key expected"), "{err}");
}

#[test]
fn huge_numbers_are_refused_where_they_are() {
    assert_invalid_at("huge-version.yaml", Some((5, 10)), "invalid u32");
    assert_invalid_at("huge-float.yaml", Some((5, 29)), "invalid floating point");
    assert_invalid_at(
        "huge-integer-duration.yaml",
        Some((6, 43)),
        "`184467440737095516160m` is not a duration",
    );
}

#[test]
fn overflowing_durations_and_lags_are_refused() {
    assert_invalid_at(
        "duration-overflow.yaml",
        Some((6, 43)),
        "`99999999999999w` is not a duration",
    );
    assert_invalid_at(
        "lag-overflow.yaml",
        Some((7, 71)),
        "`-99999999999999w` is not a duration",
    );
    assert_invalid_at(
        "duration-50-years.yaml",
        Some((6, 43)),
        "`2700w` is longer than 50 years",
    );
}

#[test]
fn instants_out_of_range_are_refused() {
    assert_invalid_at(
        "year-99999.yaml",
        Some((4, 10)),
        "`99999-03-01T08:00` is not a date and time",
    );
    assert_invalid_at(
        "year-1.yaml",
        Some((3, 8)),
        "`0001-01-04T08:00` is outside the years 1900-2999",
    );
}

#[test]
fn a_plan_running_past_2999_is_reported_at_the_task() {
    let path = fixture("plan-past-2999.yaml");
    // Each instant and duration is valid on its own.
    assert_exit(&cutover(&["validate"], &path), 0, 4096);
    let out = cutover(&["plan", "--format", "json"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("plan-past-2999.yaml:6:11"), "{err}");
    assert!(
        err.contains(
            "the dates of task `t0` run past the end of 2999, the last year `cutover` supports"
        ),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// `calendars` custom calendars with three short ranges a day, each with one task of
/// `minutes` working minutes: far past go-live, each calendar's working time would
/// have to be built year by year (the finding in `docs/fuzzing.md`).
fn many_calendars(calendars: usize, go_live: &str, minutes: u32) -> String {
    let mut y = format!(
        "runbook: r\ntimezone: Europe/London\nstart: 2027-01-04T00:00\ngo_live: {go_live}\ncalendars:\n"
    );
    for c in 0..calendars {
        let _ = writeln!(
            y,
            "  c{c}: {{ hours: \"00:00-00:01, 08:00-08:01, 16:00-16:{:02}\", days: mon-sun }}",
            c % 50 + 1
        );
    }
    y.push_str("tasks:\n");
    for c in 0..calendars {
        let _ = writeln!(
            y,
            "  - {{ id: t{c}, name: T, owner: o, calendar: c{c}, duration: {minutes}m }}"
        );
    }
    let all: Vec<String> = (0..calendars).map(|c| format!("t{c}")).collect();
    let _ = writeln!(
        y,
        "  - {{ id: live, name: Live, owner: o, milestone: true, go_live: true, after: [{}] }}",
        all.join(", ")
    );
    y
}

#[test]
fn many_calendars_walked_for_centuries_stop_at_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    // The reproducer as found, scaled down: go-live 972 years after the start is refused
    // before anything is scheduled.
    let path = write_temp(
        &dir,
        "cals.yaml",
        many_calendars(5, "2999-01-01T00:00", 1_000_000).as_bytes(),
    );
    for command in ["validate", "plan"] {
        let err = assert_exit(&cutover(&[command], &path), 1, 4096);
        assert!(err.contains("error[E045]"), "{err}");
        assert!(err.contains("cals.yaml:4:10"), "{err}");
        assert!(
            err.contains("go-live is more than 10 years after the plan's start"),
            "{err}"
        );
    }
    // With go-live a year after the start, the tasks run for centuries: every command
    // that schedules stops at the horizon, ten years after go-live, at a task.
    let path = write_temp(
        &dir,
        "cals-near.yaml",
        many_calendars(5, "2028-01-04T00:00", 1_000_000).as_bytes(),
    );
    assert_exit(&cutover(&["validate"], &path), 0, 4096);
    let commands: [&[&str]; 8] = [
        &["plan"],
        &["plan", "--format", "json"],
        &["critical-path"],
        &["graph"],
        &["gates", "--as-of", "2027-06-01T00:00"],
        &["report"],
        &["simulate", "--defer", "4w"],
        &["simulate", "--iterations", "20", "--seed", "1"],
    ];
    for args in commands {
        let out = cutover(args, &path);
        let err = assert_exit(&out, 1, 4096);
        assert!(err.contains("error[E046]"), "{args:?}: {err}");
        assert!(
            err.contains("run past 2038-01-04 00:00, 10 years after go-live"),
            "{args:?}: {err}"
        );
        // file:line:col of the task's id.
        assert!(names_a_task(&err), "{args:?}: no task position in {err}");
        assert!(
            err.contains("help: a plan may use the 10 years"),
            "{args:?}: {err}"
        );
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// Names `cals-near.yaml:LINE:11`, the id of one of the tasks (lines 12 to 16).
fn names_a_task(err: &str) -> bool {
    (12..=16).any(|line| err.contains(&format!("cals-near.yaml:{line}:11")))
}

#[test]
fn many_calendars_within_the_horizon_schedule() {
    // Each task ends a few years after go-live: inside the horizon, so it plans.
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(
        &dir,
        "cals-ok.yaml",
        many_calendars(5, "2028-01-04T00:00", 5_000).as_bytes(),
    );
    let out = cutover(&["plan", "--format", "json"], &path);
    assert_exit(&out, 0, 4096);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON plan");
    // Five tasks and the go-live milestone.
    assert_eq!(json["tasks"].as_array().map(Vec::len), Some(6));
}

#[test]
fn a_chain_of_100000_tasks_schedules() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "chain.yaml", chain(100_000, false).as_bytes());
    let out = cutover(&["plan", "--format", "json"], &path);
    assert_exit(&out, 0, 4096);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON plan");
    let tasks = json["tasks"].as_array().expect("tasks in the JSON plan");
    // The chain and the go-live milestone after it.
    assert_eq!(tasks.len(), 100_001);
    // One after the other, every one critical.
    assert_eq!(tasks[0]["id"], "t0");
    assert_eq!(tasks[99_999]["id"], "t99999");
    assert!(tasks.iter().all(|t| t["critical"] == true));
    assert_exit(&cutover(&["critical-path"], &path), 0, 4096);
}

#[test]
fn a_cycle_through_100000_tasks_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_temp(&dir, "cycle.yaml", chain(100_000, true).as_bytes());
    let out = cutover(&["validate"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(
        err.contains("dependency cycle of 100000 tasks: `t0` -> `t1`"),
        "{err}"
    );
    assert!(err.contains("... 99990 more ..."), "{err}");
    assert!(err.contains("`t99999` -> `t0`"), "{err}");
    // Points at `t1`'s `after: [t0]`, on line 7.
    assert!(err.contains("cycle.yaml:7:"), "{err}");
    // `plan` refuses it the same way.
    assert_exit(&cutover(&["plan"], &path), 1, 4096);
}

#[test]
fn ten_thousand_small_cycles_are_each_reported() {
    let dir = tempfile::tempdir().unwrap();
    let mut y = String::from(HEADER);
    y.push_str("tasks:\n");
    for i in (0..20_000).step_by(2) {
        let _ = writeln!(
            y,
            "  - {{ id: t{i}, name: T, owner: o, duration: 1h, after: [t{}] }}",
            i + 1
        );
        let _ = writeln!(
            y,
            "  - {{ id: t{}, name: T, owner: o, duration: 1h, after: [t{i}] }}",
            i + 1
        );
    }
    let path = write_temp(&dir, "pairs.yaml", y.as_bytes());
    let out = cutover(&["validate", "--format", "json"], &path);
    assert_exit(&out, 1, 4096);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cycles = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["name"] == "dependency-cycle")
        .count();
    assert_eq!(cycles, 10_000);
}

#[test]
fn twenty_thousand_unknown_dependencies_are_each_reported() {
    // "did you mean" compares each unknown id with every task id: without a budget
    // this is 4 * 10^8 comparisons here (10^10 for 100,000 tasks).
    let dir = tempfile::tempdir().unwrap();
    let mut y = String::from(HEADER);
    y.push_str("tasks:\n");
    for i in 0..20_000 {
        let _ = writeln!(
            y,
            "  - {{ id: t{i}, name: T, owner: o, duration: 1h, after: [x{i}] }}"
        );
    }
    let path = write_temp(&dir, "unknown.yaml", y.as_bytes());
    let out = cutover(&["validate", "--format", "json"], &path);
    assert_exit(&out, 1, 4096);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["name"] == "unknown-dependency")
        .count();
    assert_eq!(unknown, 20_000);
}

#[test]
fn an_absurd_uncertainty_is_refused_before_monte_carlo_uses_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEADER}uncertainty: {{ best: 90%, worst: 99999999999999999999999% }}\ntasks:\n  - {{ id: a, name: A, owner: o, duration: 1d }}\n"
    );
    let path = write_temp(&dir, "uncertainty.yaml", text.as_bytes());
    let out = cutover(&["validate"], &path);
    let err = assert_exit(&out, 1, 4096);
    assert!(err.contains("E063"), "{err}");
    assert!(err.contains("uncertainty.yaml:5:"), "{err}");
    let out = cutover(&["simulate", "--iterations", "10"], &path);
    assert_exit(&out, 1, 4096);
}

#[test]
fn a_scenario_may_not_move_go_live_past_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let base = "runbook: r\ntimezone: Europe/London\nstart: 2027-01-04T08:00\ngo_live: 2027-03-01T08:00\ntasks:\n  - { id: t0, name: T, owner: o, duration: 1h }\n  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [t0] }\n";
    let path = write_temp(&dir, "ok.yaml", base.as_bytes());
    // On the command line: a usage error (exit 2), nothing scheduled.
    for flag in [["--defer", "600w"], ["--go-live", "2040-01-01T00:00"]] {
        let out = cutover(&["simulate", flag[0], flag[1]], &path);
        let err = assert_exit(&out, 2, 4096);
        assert!(
            err.contains(&format!("{} {}: go-live would be", flag[0], flag[1])),
            "{err}"
        );
        assert!(
            err.contains("outside the plan's horizon (2017-01-04 08:00 to 2037-03-01 08:00"),
            "{err}"
        );
    }
    // In the runbook: E081 at the value.
    let text = format!("{base}scenarios:\n  - {{ id: late, defer_go_live: 600w }}\n");
    let path = write_temp(&dir, "late.yaml", text.as_bytes());
    let err = assert_exit(&cutover(&["validate"], &path), 1, 4096);
    assert!(err.contains("error[E081]"), "{err}");
    assert!(err.contains("late.yaml:9:32"), "{err}");
    assert!(
        err.contains("the scenario moves go-live to 2038-08-30 08:00, outside the plan's horizon"),
        "{err}"
    );
}

/// Lines that each start an item are cheap to write (`- a` is 6 bytes with its
/// indent) while a task is hundreds of bytes in memory: the parallel parse must not
/// reserve memory for items before they parse as tasks, and the part-by-part reading
/// after a structural error stops after 1,000 errors (E007), printing 20 of them.
#[test]
fn millions_of_items_that_are_not_tasks_are_refused_after_a_bounded_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "runbook: r\ntimezone: Europe/London\nstart: 2027-01-04T08:00\ngo_live: 2027-03-01T07:00\ntasks:\n  - { id: t0, name: T, owner: o, duration: 1h }\n",
    );
    text.push_str(&"  - a\n".repeat(2_000_000));
    let path = write_temp(&dir, "scalars.yaml", text.as_bytes());
    let out = cutover(&["validate"], &path);
    let err = assert_exit(&out, 1, 8192);
    assert!(err.contains("scalars.yaml:7:5"), "{err}");
    assert!(err.contains("E002"), "{err}");
    assert!(err.contains("… and 980 more E002 errors"), "{err}");
    assert!(
        err.contains("more than 1000 unknown fields or wrong types: the file is read no further"),
        "{err}"
    );
}
