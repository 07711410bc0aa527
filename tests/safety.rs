//! Nothing lost, nothing flipped (issue 18): `--out` never destroys an input or a
//! device, one status line never turns NO-GO into GO, hostile status files stay
//! bounded, instants mean what they say, and numbers at the edge stay numbers.
//!
//! The `--out` tests copy the fixtures (`tests/fixtures/safety/`) into a temporary
//! directory first, so a regression replaces a copy, never the repository's files.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;

use cutover::decision::Decision;
use cutover::diagnostic::Code;
use cutover::graph::TaskGraph;
use cutover::load::{Limits, load_runbook_text, load_status_text};
use cutover::project::{LinkType, Project};
use cutover::report::report;
use cutover::source::{FileId, Sources};
use cutover::status::{self, Status};
use cutover::validate::validate;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/safety");

/// The binary, run in `dir`, without colour or size-limit overrides from the outside.
fn cutover(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cutover").unwrap();
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CUTOVER_MAX_FILE_SIZE")
        .env_remove("CUTOVER_MAX_STATUS_SIZE")
        .args(["--color", "never"]);
    cmd
}

/// Runs `args` in `dir`: (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cutover(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary copy of `tests/fixtures/safety/` (with `parts/` and an empty `sub/`).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("parts")).unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    for name in [
        "runbook.yaml",
        "runbook.status.yaml",
        "parts/weekend.yaml",
        "property.yaml",
        "property.status.yaml",
    ] {
        fs::copy(Path::new(FIXTURES).join(name), dir.path().join(name)).unwrap();
    }
    dir
}

const RUNBOOK: &str = "runbook.yaml";
const STATUS: &str = "runbook.status.yaml";
const INCLUDE: &str = "parts/weekend.yaml";

/// Each command that takes `--out`, with the arguments that make it read the runbook
/// (and, where it takes one, the status file).
fn commands_with_out() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("plan", vec!["plan", RUNBOOK, "--status", STATUS]),
        (
            "critical-path",
            vec!["critical-path", RUNBOOK, "--status", STATUS],
        ),
        ("gates", vec!["gates", RUNBOOK, "--status", STATUS]),
        ("report", vec!["report", RUNBOOK, "--status", STATUS]),
        ("simulate", vec!["simulate", RUNBOOK, "--status", STATUS]),
        ("graph", vec!["graph", RUNBOOK]),
    ]
}

// ---------------------------------------------------------------------------------
// 1. `--out` never overwrites an input.

#[test]
fn out_never_replaces_an_input_of_any_command_by_any_path() {
    let dir = workspace();
    let before: Vec<(PathBuf, Vec<u8>)> = [RUNBOOK, STATUS, INCLUDE]
        .iter()
        .map(|p| (dir.path().join(p), fs::read(dir.path().join(p)).unwrap()))
        .collect();
    for (command, args) in commands_with_out() {
        let mut targets = vec![
            (RUNBOOK, RUNBOOK.to_owned()),
            (RUNBOOK, format!("sub/../{RUNBOOK}")),
            (RUNBOOK, format!("./{RUNBOOK}")),
            (INCLUDE, INCLUDE.to_owned()),
            (INCLUDE, format!("parts/../sub/../{INCLUDE}")),
        ];
        if args.contains(&"--status") {
            targets.push((STATUS, STATUS.to_owned()));
            targets.push((STATUS, format!("sub/../{STATUS}")));
        }
        for (input, target) in targets {
            let mut full = args.clone();
            full.extend(["--out", target.as_str()]);
            let (rc, out, err) = run(dir.path(), &full);
            assert_eq!(rc, 2, "{command} --out {target}: {err}");
            assert!(out.is_empty(), "{command} --out {target}: {out}");
            assert!(
                err.contains(&format!("the command read {input} as input")),
                "{command} --out {target}: {err}"
            );
            assert!(!err.contains("wrote"), "{err}");
        }
    }
    for (path, bytes) in &before {
        assert_eq!(
            &fs::read(path).unwrap(),
            bytes,
            "{} changed",
            path.display()
        );
    }
    // The runbook still loads: nothing was replaced.
    let (rc, _, err) = run(dir.path(), &["validate", RUNBOOK]);
    assert_eq!(rc, 0, "{err}");
}

#[cfg(unix)]
#[test]
fn out_through_a_link_to_an_input_is_refused() {
    let dir = workspace();
    std::os::unix::fs::symlink(RUNBOOK, dir.path().join("soft.txt")).unwrap();
    fs::hard_link(dir.path().join(STATUS), dir.path().join("hard.txt")).unwrap();
    for target in ["soft.txt", "hard.txt"] {
        let (rc, _, err) = run(
            dir.path(),
            &["report", RUNBOOK, "--status", STATUS, "--out", target],
        );
        assert_eq!(rc, 2, "{target}: {err}");
        assert!(err.contains("as input"), "{err}");
    }
}

#[test]
fn out_writes_other_files_and_says_so() {
    let dir = workspace();
    for (command, mut args) in commands_with_out() {
        let target = format!("sub/{command}.out");
        args.extend(["--out", target.as_str()]);
        let (rc, out, err) = run(dir.path(), &args);
        assert!(rc == 0, "{command}: {err}");
        assert!(out.is_empty());
        assert!(err.contains(&format!("wrote {target}")), "{err}");
        assert!(!fs::read(dir.path().join(&target)).unwrap().is_empty());
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_file_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = workspace();
    let target = dir.path().join("signed.md");
    fs::write(&target, "the copy the board signed").unwrap();
    fs::set_permissions(&target, fs::Permissions::from_mode(0o444)).unwrap();
    let (rc, _, err) = run(
        dir.path(),
        &[
            "report",
            RUNBOOK,
            "--status",
            STATUS,
            "-f",
            "markdown",
            "--out",
            "signed.md",
        ],
    );
    assert_eq!(rc, 2, "{err}");
    assert!(
        err.contains("refusing to replace signed.md: the file is read-only"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&target).unwrap(),
        "the copy the board signed"
    );
}

#[test]
fn an_output_directory_is_refused_with_its_cause_said_once() {
    let dir = workspace();
    let (rc, _, err) = run(dir.path(), &["plan", RUNBOOK, "--out", "sub"]);
    assert_eq!(rc, 2);
    assert_eq!(
        err.trim(),
        "error: cannot write sub: it is a directory (name a file in it)"
    );
    // Reading a directory as a runbook: the cause once, not twice.
    let (rc, _, err) = run(dir.path(), &["plan", "sub"]);
    assert_eq!(rc, 2);
    assert_eq!(err.matches("os error").count(), 1, "{err}");
}

// ---------------------------------------------------------------------------------
// 2. `--out` at a device or special file; `--out -`; stale temporary files.

#[test]
fn out_dash_is_standard_output() {
    let dir = workspace();
    let (rc, out, err) = run(dir.path(), &["graph", RUNBOOK, "--out", "-"]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.starts_with("digraph"), "{out}");
    assert!(!dir.path().join("-").exists());
    let (_, to_stdout, _) = run(dir.path(), &["graph", RUNBOOK]);
    assert_eq!(out, to_stdout);
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[cfg(unix)]
#[test]
fn a_device_node_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt as _;
    if !is_root() {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let dir = workspace();
    // A null device (character 1,3) of our own, so the machine's /dev/null is never at stake.
    let status = std::process::Command::new("mknod")
        .args(["null", "c", "1", "3"])
        .current_dir(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    for (command, mut args) in commands_with_out() {
        args.extend(["--out", "null"]);
        let (rc, _, err) = run(dir.path(), &args);
        assert_eq!(rc, 0, "{command}: {err}");
        let kind = fs::symlink_metadata(dir.path().join("null"))
            .unwrap()
            .file_type();
        assert!(kind.is_char_device(), "{command} replaced the device node");
    }
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".cutover-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt as _;
    let dir = workspace();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let (rc, _, err) = run(dir.path(), &["graph", RUNBOOK, "--out", "pipe"]);
    assert_eq!(rc, 0, "{err}");
    let read = reader.join().unwrap();
    assert!(read.starts_with("digraph"), "{read}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn stale_temporary_files_of_an_interrupted_write_are_removed() {
    let dir = workspace();
    let stale = dir.path().join("sub/.cutover-Kill9d.tmp");
    fs::write(&stale, "half a report").unwrap();
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(day_ago)
        .unwrap();
    let (rc, _, err) = run(dir.path(), &["graph", RUNBOOK, "--out", "sub/graph.dot"]);
    assert_eq!(rc, 0, "{err}");
    assert!(!stale.exists());
    assert!(
        err.contains("note: removed 1 stale temporary file(s) (.cutover-*.tmp)"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------
// 3. One status line must not flip the decision.

/// The fixture status with `line` added under `tasks:`.
fn status_with(dir: &Path, line: &str) -> String {
    let text = fs::read_to_string(dir.join(STATUS)).unwrap();
    let text = text.replace("tasks:\n", &format!("tasks:\n  {line}\n"));
    fs::write(dir.join("edited.status.yaml"), text).unwrap();
    "edited.status.yaml".to_owned()
}

#[test]
fn the_fixture_is_no_go() {
    let dir = workspace();
    let (rc, _, err) = run(
        dir.path(),
        &["report", RUNBOOK, "--status", STATUS, "--exit-code"],
    );
    assert_eq!(rc, 4, "{err}");
}

#[test]
fn go_live_recorded_as_started_does_not_turn_no_go_into_go() {
    let dir = workspace();
    for line in [
        "live: { started: 2027-02-20T09:00 }",
        "live: { finished: 2027-02-20T09:00 }",
        "live: { started: 2027-02-20T09:00, finished: 2027-02-20T09:00 }",
    ] {
        let status = status_with(dir.path(), line);
        let (rc, out, err) = run(
            dir.path(),
            &["report", RUNBOOK, "--status", &status, "--exit-code"],
        );
        assert_eq!(rc, 1, "{line}: {out}{err}");
        assert!(err.contains("error[E091]"), "{err}");
        assert!(
            err.contains("milestone `live` is recorded as reached, but `smoke`, which it waits for, has not finished"),
            "{err}"
        );
    }
}

#[test]
fn remaining_on_a_milestone_is_an_error() {
    let dir = workspace();
    let status = status_with(
        dir.path(),
        "live: { started: 2027-02-20T09:00, remaining: 5h }",
    );
    let (rc, _, err) = run(dir.path(), &["gates", RUNBOOK, "--status", &status]);
    assert_eq!(rc, 1);
    assert!(
        err.contains("error[E091]: milestone `live` has remaining work"),
        "{err}"
    );
}

#[test]
fn done_on_a_milestone_needs_what_it_waits_for() {
    let dir = workspace();
    let (rc, out, err) = run(
        dir.path(),
        &["simulate", RUNBOOK, "--status", STATUS, "--done", "live"],
    );
    assert_eq!(rc, 2, "{out}{err}");
    assert!(
        err.contains("--done live: `live` is a milestone, reached only when what it waits for is done, and `smoke` is not finished"),
        "{err}"
    );
    // With everything before it done too, the scenario is the honest one.
    let (rc, out, err) = run(
        dir.path(),
        &[
            "simulate", RUNBOOK, "--status", STATUS, "--done", "load", "--done", "smoke", "--done",
            "live", "-f", "json",
        ],
    );
    assert_eq!(rc, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["cases"][1]["decision"], "GO", "{out}");
}

#[test]
fn a_negative_duration_on_the_command_line_is_refused_like_a_runbook_scenario() {
    let dir = workspace();
    let (rc, _, err) = run(
        dir.path(),
        &[
            "simulate",
            RUNBOOK,
            "--status",
            STATUS,
            "--duration",
            "smoke=-1h",
        ],
    );
    assert_eq!(rc, 2);
    assert!(
        err.contains("--duration smoke=-1h: `-1h` is negative (only lags may be negative, a lead)"),
        "{err}"
    );
    // The same value in a runbook scenario: E040, in the same words.
    let text = fs::read_to_string(dir.path().join(RUNBOOK)).unwrap()
        + "  - { id: shorter, durations: { smoke: -1h } }\n";
    fs::write(dir.path().join("negative.yaml"), text).unwrap();
    let (rc, _, err) = run(dir.path(), &["validate", "negative.yaml"]);
    assert_eq!(rc, 1);
    assert!(err.contains("error[E040]: `-1h` is negative"), "{err}");
    assert!(err.contains("only lags may be negative (a lead)"), "{err}");
}

/// A runbook and status loaded in-process.
struct Loaded {
    project: Project,
    graph: TaskGraph,
}

fn property_runbook() -> &'static Loaded {
    static CELL: std::sync::OnceLock<Loaded> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let text = fs::read_to_string(Path::new(FIXTURES).join("property.yaml")).unwrap();
        let mut sources = Sources::default();
        let loaded = load_runbook_text(
            Path::new("property.yaml"),
            text,
            &mut sources,
            &Limits::default(),
        );
        let v = validate(loaded.runbook.as_ref().unwrap());
        Loaded {
            project: v.project.unwrap(),
            graph: v.graph.unwrap(),
        }
    })
}

/// Resolves status text against the property fixture: the status, or the codes of its
/// errors.
fn resolve(text: &str) -> Result<Status, Vec<Code>> {
    let rb = property_runbook();
    let mut sources = Sources::default();
    let (file, problem) = load_status_text(
        Path::new("p.status.yaml"),
        text.to_owned(),
        &mut sources,
        &Limits::default(),
    );
    if let Some(d) = problem {
        return Err(vec![d.code]);
    }
    let (status, diagnostics) = status::resolve(&rb.project, &file.unwrap(), FileId(0), None, None);
    status.ok_or_else(|| {
        diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.code)
            .collect()
    })
}

fn decision(status: Status) -> Decision {
    let rb = property_runbook();
    report(&rb.project, &rb.graph, status)
        .expect("inside the horizon")
        .outcome
        .decision
}

/// Does `status` have what milestone `m` waits for: FS/FF predecessors finished, SS/SF
/// started?
fn predecessors_done(status: &Status, m: usize) -> bool {
    let rb = property_runbook();
    rb.project.tasks[m].deps.iter().all(|d| {
        let a = status.progress.actual(d.pred);
        match d.link {
            LinkType::FS | LinkType::FF => a.finished.is_some(),
            LinkType::SS | LinkType::SF => a.started.is_some() || a.finished.is_some(),
        }
    })
}

/// What a generated status says about one task: nothing, started at hour `s`, or
/// started at `s` and finished `f` hours later (hours from 2027-03-01 09:00).
#[derive(Debug, Clone, Copy)]
enum Line {
    None,
    Started(i64),
    Finished(i64, i64),
}

fn instant(hours: i64) -> String {
    let start: jiff::Timestamp = "2027-03-01T09:00:00Z".parse().unwrap();
    let at = start
        .checked_add(jiff::SignedDuration::from_hours(hours))
        .unwrap();
    at.strftime("%Y-%m-%dT%H:%M").to_string()
}

fn status_text(as_of: i64, lines: &[(&str, Line)], recon: f64, signed: bool) -> String {
    let mut text = format!("as_of: {}\ntasks:\n", instant(as_of));
    for (id, line) in lines {
        match *line {
            Line::None => {}
            Line::Started(s) => text += &format!("  {id}: {{ started: {} }}\n", instant(s)),
            Line::Finished(s, f) => {
                text += &format!(
                    "  {id}: {{ started: {}, finished: {} }}\n",
                    instant(s),
                    instant(s + f)
                );
            }
        }
    }
    text += &format!("metrics:\n  recon: {recon}\n");
    if signed {
        text += "signoffs:\n  safety: { by: CSO }\n";
    }
    text
}

fn line(as_of: i64) -> impl Strategy<Value = Line> {
    prop_oneof![
        Just(Line::None),
        (0..=as_of).prop_map(Line::Started),
        (0..=as_of)
            .prop_flat_map(move |s| (Just(s), 0..=as_of - s))
            .prop_map(|(s, f)| Line::Finished(s, f)),
    ]
}

const WORK: [&str; 5] = ["prep", "rehearse", "freeze", "load", "check"];
const MILESTONES: [&str; 4] = ["ready", "load-begun", "checked", "live"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// For any status file, adding actuals to a milestone never improves the decision
    /// over the same status file without them, unless its predecessors are finished.
    #[test]
    fn milestone_actuals_never_improve_the_decision_unless_their_predecessors_are_done(
        (as_of, work, milestone, reached, recon, signed) in (100i64..=140).prop_flat_map(|as_of| (
            Just(as_of),
            proptest::collection::vec(line(as_of), WORK.len()),
            0..MILESTONES.len(),
            0..=as_of,
            prop_oneof![Just(98.0), Just(99.5)],
            any::<bool>(),
        ))
    ) {
        let lines: Vec<(&str, Line)> = WORK.iter().copied().zip(work).collect();
        let Ok(without) = resolve(&status_text(as_of, &lines, recon, signed)) else {
            // Generated actuals that contradict each other: not this property's concern.
            return Ok(());
        };
        let m = MILESTONES[milestone];
        let mut with_lines = lines.clone();
        with_lines.push((m, Line::Finished(reached, 0)));
        let rb = property_runbook();
        let t = rb.project.task_by_id(m).unwrap();
        let before = decision(without.clone());
        match resolve(&status_text(as_of, &with_lines, recon, signed)) {
            Err(codes) => {
                // Refused (E091 and nothing else): no decision at all, never a better one.
                prop_assert!(!codes.is_empty());
                prop_assert!(codes.iter().all(|&c| c == Code::MilestoneActuals), "{codes:?}");
            }
            Ok(with) => {
                // Accepted: only with what it waits for finished (or started), which is
                // when the property allows the decision to improve.
                prop_assert!(predecessors_done(&with, t), "E091 let `{m}` through");
                let _ = decision(with);
            }
        }
        // Behind the status file's back (a library caller, a scenario): the same
        // milestone forced "reached" into the progress never moves readiness unless
        // what it waits for is done.
        let mut forced = without.clone();
        let at = without.as_of;
        forced.progress.actuals[t] = cutover::schedule::Actual {
            started: Some(at),
            finished: Some(at),
            ..cutover::schedule::Actual::default()
        };
        if !predecessors_done(&without, t) {
            // Set aside by the scheduler: the same decision, not merely no better one.
            prop_assert_eq!(decision(forced), before, "forcing `{}` changed the decision", m);
        }
    }
}

// ---------------------------------------------------------------------------------
// 4. Bounded work on hostile status files.

#[test]
fn many_unknown_ids_print_a_bounded_number_of_problems() {
    let dir = workspace();
    let mut text = String::from("as_of: 2027-02-20T12:00\ntasks:\n");
    for i in 0..250 {
        text += &format!("  unknown-{i}: {{ started: 2027-02-20T09:00 }}\n");
    }
    fs::write(dir.path().join("many.status.yaml"), text).unwrap();
    let (rc, _, err) = run(
        dir.path(),
        &["report", RUNBOOK, "--status", "many.status.yaml"],
    );
    assert_eq!(rc, 1);
    assert_eq!(err.matches("error[E026]").count(), 20, "{err}");
    assert!(
        err.contains("note: … and 230 more E026 errors (unknown-task): only the first 20 of one code are printed; `--format json` lists them all"),
        "{err}"
    );
}

#[test]
fn a_long_unknown_key_is_quoted_short_and_not_compared() {
    let dir = workspace();
    let key = "k".repeat(200_000);
    let text = format!("as_of: 2027-02-20T12:00\ntasks:\n  ? {key}\n  : {{}}\n");
    fs::write(dir.path().join("long.status.yaml"), text).unwrap();
    let (rc, _, err) = run(
        dir.path(),
        &["report", RUNBOOK, "--status", "long.status.yaml"],
    );
    assert_eq!(rc, 1);
    assert!(
        err.contains("… (200000 bytes)`"),
        "{}",
        &err[..err.len().min(2000)]
    );
    assert!(err.len() < 4000, "{} bytes of stderr", err.len());
}

#[test]
fn status_files_have_their_own_size_limit() {
    let dir = workspace();
    let (rc, _, err) = run(
        dir.path(),
        &[
            "report",
            RUNBOOK,
            "--status",
            STATUS,
            "--max-status-size",
            "100",
        ],
    );
    assert_eq!(rc, 1);
    assert!(err.contains("error[E007]: the file is"), "{err}");
    assert!(err.contains("more than the limit of 100 bytes"), "{err}");
    assert!(
        err.contains("raise the limit with --max-status-size"),
        "{err}"
    );
    // The runbook's limit is a different one.
    let (rc, _, err) = run(
        dir.path(),
        &[
            "report",
            RUNBOOK,
            "--status",
            STATUS,
            "--max-file-size",
            "100",
        ],
    );
    assert_eq!(rc, 1);
    assert!(
        err.contains("raise the limit with --max-file-size"),
        "{err}"
    );
    // From the environment too.
    let out = cutover(dir.path())
        .env("CUTOVER_MAX_STATUS_SIZE", "100")
        .args(["gates", RUNBOOK, "--status", STATUS])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The default: 4 MiB.
    let help = run(dir.path(), &["report", "--help"]).1;
    assert!(help.contains("[default: 4194304]"), "{help}");
}

// ---------------------------------------------------------------------------------
// 6. Instants mean what they say.

fn data_date(dir: &Path, as_of: &str) -> Result<String, String> {
    let (rc, out, err) = run(
        dir,
        &[
            "report", RUNBOOK, "--status", STATUS, "--as-of", as_of, "-f", "json",
        ],
    );
    if rc != 0 {
        return Err(err);
    }
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    Ok(doc["data_date"].as_str().unwrap().to_owned())
}

#[test]
fn a_named_zone_in_as_of_is_local_time_there() {
    let dir = workspace();
    assert_eq!(
        data_date(dir.path(), "2027-02-20T17:00[America/New_York]").unwrap(),
        "2027-02-20T22:00:00+00:00"
    );
}

#[test]
fn impossible_offsets_and_far_years_are_refused_in_our_words() {
    let dir = workspace();
    let err = data_date(dir.path(), "2027-02-20T17:00+25:59").unwrap_err();
    assert!(
        err.contains("has the offset +25:59, which no time zone uses"),
        "{err}"
    );
    let err = data_date(dir.path(), "9999-12-31T23:59").unwrap_err();
    assert!(err.contains("is outside the years 1900-2999"), "{err}");
    assert!(!err.contains("Unix timestamp"), "{err}");
    let err = data_date(dir.path(), "2040-01-01").unwrap_err();
    assert!(
        err.contains("--as-of: `2040-01-01` is after the plan's horizon"),
        "{err}"
    );
}

#[test]
fn out_of_range_actuals_point_at_the_status_file() {
    let dir = workspace();
    let status = status_with(dir.path(), "smoke: { started: 1901-01-01T00:00 }");
    let (rc, _, err) = run(dir.path(), &["plan", RUNBOOK, "--status", &status]);
    assert_eq!(rc, 1);
    assert!(
        err.contains("error[E046]: `1901-01-01T00:00` is before the plan's horizon"),
        "{err}"
    );
    assert!(err.contains("--> edited.status.yaml:6:"), "{err}");
    let text = fs::read_to_string(dir.path().join(STATUS))
        .unwrap()
        .replace("as_of: 2027-02-20T12:00", "as_of: 2040-01-01");
    fs::write(dir.path().join("late.status.yaml"), text).unwrap();
    let (rc, _, err) = run(
        dir.path(),
        &["plan", RUNBOOK, "--status", "late.status.yaml"],
    );
    assert_eq!(rc, 1);
    assert!(err.contains("--> late.status.yaml:4:"), "{err}");
    assert!(!err.contains("runbook.yaml:"), "{err}");
}

#[test]
fn go_live_may_not_move_before_the_plan_start() {
    let dir = workspace();
    for flag in ["--defer=-52w", "--go-live=2020-01-01"] {
        let (rc, _, err) = run(dir.path(), &["simulate", RUNBOOK, "--status", STATUS, flag]);
        assert_eq!(rc, 2, "{flag:?}: {err}");
        assert!(
            err.contains("not after the plan's start (2027-02-15 09:00)"),
            "{err}"
        );
    }
    let text = fs::read_to_string(dir.path().join(RUNBOOK)).unwrap()
        + "  - { id: back, go_live: 2020-01-01T00:00 }\n";
    fs::write(dir.path().join("back.yaml"), text).unwrap();
    let (rc, _, err) = run(dir.path(), &["validate", "back.yaml"]);
    assert_eq!(rc, 1);
    assert!(
        err.contains("error[E081]: the scenario moves go-live to 2020-01-01 00:00, not after the plan's start (2027-02-15 09:00)"),
        "{err}"
    );
}

#[test]
fn a_metric_no_gate_uses_is_refused() {
    let dir = workspace();
    let (rc, _, err) = run(
        dir.path(),
        &[
            "simulate",
            RUNBOOK,
            "--status",
            STATUS,
            "--metric",
            "recon.pc=100",
        ],
    );
    assert_eq!(rc, 2);
    assert!(
        err.contains("--metric recon.pc=100: no gate criterion uses the metric `recon.pc`, so the reading would change nothing (did you mean `recon.pct`?)"),
        "{err}"
    );
    let (rc, _, err) = run(
        dir.path(),
        &[
            "simulate",
            RUNBOOK,
            "--status",
            STATUS,
            "--metric",
            "recon.pct=100",
        ],
    );
    assert_eq!(rc, 0, "{err}");
}

// ---------------------------------------------------------------------------------
// 7. Numbers at the edge.

/// The fixture status moved to before the gate is due (T-24h), with `readings` of
/// `recon.pct`.
fn early_status(dir: &Path, readings: &str) -> String {
    let text = format!(
        "as_of: 2027-02-19T12:00\ntasks:\n  build: {{ started: 2027-02-15T09:00, finished: 2027-02-17T09:00 }}\nmetrics:\n  recon.pct: [{readings}]\n"
    );
    fs::write(dir.join("early.status.yaml"), text).unwrap();
    "early.status.yaml".to_owned()
}

#[test]
fn huge_readings_give_a_finite_trend() {
    let dir = workspace();
    let status = early_status(
        dir.path(),
        "{ at: 2027-02-17, value: 1e308 }, { at: 2027-02-18, value: 1e308 }, { at: 2027-02-19, value: 1e308 }",
    );
    let (rc, out, err) = run(
        dir.path(),
        &["gates", RUNBOOK, "--status", &status, "-f", "json"],
    );
    assert_eq!(rc, 0, "{err}");
    assert!(
        !out.contains("NaN") && !out.contains("null,\n            \"at_due\""),
        "{out}"
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let criterion = &doc["gates"][0]["criteria"][1];
    assert_eq!(criterion["trend"]["per_day"], 0.0, "{criterion}");
    assert_eq!(criterion["result"], "not yet due", "{criterion}");
    let (_, table, _) = run(dir.path(), &["gates", RUNBOOK, "--status", &status]);
    assert!(!table.contains("NaN"), "{table}");
}

#[test]
fn readings_at_one_instant_are_not_called_one_reading() {
    let dir = workspace();
    let status = early_status(
        dir.path(),
        "{ at: 2027-02-19, value: 90 }, { at: 2027-02-19, value: 91 }, { at: 2027-02-19, value: 92 }",
    );
    let (rc, out, err) = run(dir.path(), &["gates", RUNBOOK, "--status", &status]);
    assert_eq!(rc, 0, "{err}");
    assert!(
        out.contains("every reading is at the same time, so no trend yet"),
        "{out}"
    );
    assert!(!out.contains("one reading"), "{out}");
}
