//! The cutover weekend: `cutover log` records events in the log a status file names,
//! checks each against the runbook first, never writes the status file, and loses no
//! event when many team leads log at once. The fixture is `tests/fixtures/live/`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

use crate::common::cutover;

const FIXTURES: &str = "tests/fixtures/live";

/// A copy of the fixture folder to write in.
pub(crate) struct Weekend {
    pub(crate) dir: tempfile::TempDir,
}

/// How a run ended: (exit code, stdout, stderr).
pub(crate) type Outcome = (i32, String, String);

impl Weekend {
    pub(crate) fn new() -> Weekend {
        let dir = tempfile::tempdir().unwrap();
        for name in ["runbook.yaml", "weekend.status.yaml"] {
            let from = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(FIXTURES)
                .join(name);
            std::fs::copy(from, dir.path().join(name)).unwrap();
        }
        Weekend { dir }
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub(crate) fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_default()
    }

    /// `cutover ARGS` in the folder at `now` (UTC), with the runbook, status file and
    /// recorder from the environment as a command centre sets them.
    pub(crate) fn run(&self, now: &str, args: &[&str]) -> Outcome {
        let out = cutover()
            .current_dir(self.dir.path())
            .env("CUTOVER_RUNBOOK", "runbook.yaml")
            .env("CUTOVER_STATUS", "weekend.status.yaml")
            .env("CUTOVER_BY", "Sam Okafor")
            .env("CUTOVER_NOW", now)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// A `log` that must be recorded.
    pub(crate) fn log(&self, now: &str, args: &[&str]) -> String {
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        let (code, _, stderr) = self.run(now, &full);
        assert_eq!(code, 0, "{args:?} refused:\n{stderr}");
        assert!(stderr.contains("recorded #"), "{args:?}:\n{stderr}");
        stderr
    }

    /// A `log` that must be refused, leaving the log as it was; its stderr.
    pub(crate) fn refused(&self, now: &str, args: &[&str]) -> String {
        let before = self.read("weekend.events.yaml");
        let mut full = vec!["log"];
        full.extend_from_slice(args);
        let (code, _, stderr) = self.run(now, &full);
        assert_eq!(code, 1, "{args:?} was not refused:\n{stderr}");
        assert!(stderr.contains("nothing recorded"), "{args:?}:\n{stderr}");
        assert_eq!(
            self.read("weekend.events.yaml"),
            before,
            "{args:?} changed the log"
        );
        stderr
    }
}

/// Friday evening in London is UTC+1: 18:05Z is 19:05 local.
const FRI_1905: &str = "2027-06-11T18:05Z";
const FRI_1935: &str = "2027-06-11T18:35Z";
const FRI_2140: &str = "2027-06-11T20:40Z";

#[test]
fn events_are_appended_to_the_log_and_the_status_file_is_never_written() {
    let w = Weekend::new();
    let status = w.read("weekend.status.yaml");
    w.log(FRI_1905, &["start", "pas-freeze", "--at", "19:02"]);
    w.log(FRI_1935, &["done", "pas-freeze"]);
    w.log(FRI_1935, &["start", "final-extract", "--by", "Priya Shah"]);
    w.log(
        FRI_1935,
        &["start", "interfaces", "--at", "2027-06-11T19:36+01:00"],
    );
    w.log(
        FRI_2140,
        &[
            "block",
            "interfaces",
            "--reason",
            "engine \"down\": vendor called",
        ],
    );
    w.log(FRI_2140, &["remaining", "final-extract", "30m"]);
    w.log(
        FRI_2140,
        &["metric", "migration.reconciliation_pct", "99.1"],
    );
    w.log(
        FRI_2140,
        &["void", "7", "--reason", "read from the wrong report"],
    );
    w.log(
        FRI_2140,
        &["signoff", "clinical-safety", "--signed-by", "Dr Jo Reed"],
    );
    assert_eq!(
        w.read("weekend.status.yaml"),
        status,
        "the status file was written"
    );
    let log = w.read("weekend.events.yaml");
    insta::assert_snapshot!("log_file", log);
    let (code, table, _) = w.run(FRI_2140, &["log", "show"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("log_show", table);
    let (_, json, _) = w.run(FRI_2140, &["log", "show", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 9);
    // Every event carries when it happened, when it was recorded and by whom.
    assert_eq!(events[0]["at"], "2027-06-11T19:02:00+01:00");
    assert_eq!(events[0]["recorded_at"], "2027-06-11T19:05:00+01:00");
    assert_eq!(events[2]["by"], "Priya Shah");
    assert_eq!(events[6]["state"], "void");
    assert_eq!(events[6]["voided_by"], 8);
    assert_eq!(events[7]["state"], "voids");
}

#[test]
fn events_feed_the_plan_and_the_report() {
    let w = Weekend::new();
    w.log(FRI_1905, &["start", "pas-freeze", "--at", "19:00"]);
    w.log(FRI_1935, &["done", "pas-freeze", "--at", "19:30"]);
    w.log(FRI_1935, &["start", "final-extract"]);
    w.log(FRI_1935, &["start", "interfaces"]);
    w.log(
        FRI_2140,
        &["block", "interfaces", "--reason", "engine down"],
    );
    w.log(
        FRI_2140,
        &["metric", "migration.reconciliation_pct", "99.7"],
    );
    w.log(
        FRI_2140,
        &["signoff", "clinical-safety", "--signed-by", "Dr Jo Reed"],
    );
    let (code, json, stderr) = w.run(
        FRI_2140,
        &[
            "plan",
            "runbook.yaml",
            "--status",
            "weekend.status.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The data date is the last event's recording, 21:40.
    assert_eq!(plan["data_date_source"], "log", "{plan:#}");
    let state = |id: &str| {
        plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .map(|t| t["state"].clone())
            .unwrap()
    };
    assert_eq!(state("pas-freeze"), "done");
    // Started at 19:35 with 2h planned: at 21:40 it has overrun.
    assert_eq!(state("final-extract"), "overdue");
    assert_eq!(state("interfaces"), "blocked");
    assert_eq!(state("load-patients"), "not_started");
    // The reading and the sign-off pass the final gate.
    let (_, json, _) = w.run(
        FRI_2140,
        &[
            "report",
            "runbook.yaml",
            "--status",
            "weekend.status.yaml",
            "--format",
            "json",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let criteria = report["gates"][0]["criteria"].as_array().unwrap();
    assert!(
        criteria
            .iter()
            .all(|c| c["result"] == "pass" || c["result"] == "not yet due"),
        "{criteria:#?}"
    );
    assert_eq!(criteria[0]["measured"]["value"], 99.7, "{criteria:#?}");
    assert_eq!(criteria[1]["measured"]["by"], "Dr Jo Reed", "{criteria:#?}");
}

#[test]
fn wrong_events_are_refused_and_leave_the_log_untouched() {
    let w = Weekend::new();
    w.log(FRI_1905, &["start", "pas-freeze", "--at", "19:02"]);
    // An unknown task, with the id meant.
    let err = w.refused(FRI_1935, &["done", "pas-freez"]);
    assert!(err.contains("unknown task `pas-freez`"), "{err}");
    assert!(err.contains("did you mean `pas-freeze`?"), "{err}");
    // A finish of a task never started.
    let err = w.refused(FRI_1935, &["done", "final-extract"]);
    assert!(
        err.contains("`final-extract` finishes at 2027-06-11 19:35 but was never started"),
        "{err}"
    );
    assert!(
        err.contains("cutover log start final-extract --at TIME"),
        "{err}"
    );
    // A time in the future beyond the tolerance (5 minutes): 19:45 at 19:35.
    let err = w.refused(FRI_1935, &["done", "pas-freeze", "--at", "19:45"]);
    assert!(
        err.contains("more than 5 minutes after it was recorded"),
        "{err}"
    );
    // ... within it is fine, below.
    // A finish before its start.
    let err = w.refused(FRI_1935, &["done", "pas-freeze", "--at", "18:50"]);
    assert!(
        err.contains("before it started at 2027-06-11 19:02"),
        "{err}"
    );
    // A second start.
    let err = w.refused(FRI_1935, &["start", "pas-freeze"]);
    assert!(err.contains("already started at 2027-06-11 19:02"), "{err}");
    // Remaining work that is not a duration; a void of an event that is not there.
    let err = w.refused(FRI_1935, &["remaining", "pas-freeze", "soon"]);
    assert!(err.contains("E040"), "{err}");
    let err = w.refused(FRI_1935, &["void", "9", "--reason", "typo"]);
    assert!(
        err.contains("voids event 9, which the log does not have"),
        "{err}"
    );
    // A milestone does not start.
    let err = w.refused(FRI_1935, &["start", "epr-live"]);
    assert!(err.contains("milestone `epr-live` cannot start"), "{err}");
    // Within the tolerance: recorded.
    w.log(FRI_1935, &["done", "pas-freeze", "--at", "19:39"]);
    assert_eq!(
        w.read("weekend.events.yaml")
            .lines()
            .filter(|l| l.starts_with("- "))
            .count(),
        2
    );
}

#[test]
fn a_start_before_its_predecessor_finished_is_recorded_with_a_warning() {
    let w = Weekend::new();
    let err = w.log(FRI_1905, &["start", "final-extract"]);
    assert!(err.contains("warning[W009]"), "{err}");
    assert!(
        err.contains(
            "`final-extract` started at 2027-06-11 19:05 before `pas-freeze` had finished"
        ),
        "{err}"
    );
    assert!(
        w.read("weekend.events.yaml")
            .contains("kind: start, task: \"final-extract\"")
    );
}

#[test]
fn a_status_file_without_a_log_says_how_to_name_one() {
    let w = Weekend::new();
    let status = w
        .read("weekend.status.yaml")
        .replace("log: weekend.events.yaml\n", "");
    std::fs::write(w.path("weekend.status.yaml"), &status).unwrap();
    let (code, _, err) = w.run(FRI_1905, &["log", "start", "pas-freeze"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("names no event log: add a line `log: weekend.events.yaml` to it"),
        "{err}"
    );
    assert_eq!(w.read("weekend.status.yaml"), status);
}

#[test]
fn a_log_with_errors_takes_no_more_events_until_fixed() {
    let w = Weekend::new();
    w.log(FRI_1905, &["start", "pas-freeze"]);
    // Someone edits the log by hand and breaks the numbering.
    let log = w.read("weekend.events.yaml").replace("seq: 1", "seq: 4");
    std::fs::write(w.path("weekend.events.yaml"), &log).unwrap();
    let (code, _, err) = w.run(FRI_1935, &["log", "done", "pas-freeze"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("event 1 of the log has seq 4"), "{err}");
    assert!(err.contains("fix them first"), "{err}");
    assert_eq!(w.read("weekend.events.yaml"), log);
}

/// Twenty team leads log a reading at the same moment: twenty events, numbered 1 to 20,
/// none lost, and the log still reads.
#[test]
fn twenty_processes_logging_at_once_lose_nothing() {
    let w = Weekend::new();
    let bin = assert_cmd::cargo::cargo_bin("cutover");
    let children: Vec<Child> = (0..20)
        .map(|i| {
            Process::new(&bin)
                .current_dir(w.dir.path())
                .env("CUTOVER_RUNBOOK", "runbook.yaml")
                .env("CUTOVER_STATUS", "weekend.status.yaml")
                .env("CUTOVER_NOW", FRI_1905)
                .args(["log", "metric", "migration.reconciliation_pct"])
                .arg(format!("{}", 90 + i))
                .args(["--by", &format!("lead {i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let (code, json, err) = w.run(FRI_1905, &["log", "show", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 20);
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=20).collect::<Vec<_>>());
    let mut by: Vec<&str> = events.iter().map(|e| e["by"].as_str().unwrap()).collect();
    by.sort_unstable();
    by.dedup();
    assert_eq!(by.len(), 20, "every lead's event is there once");
}

/// The board at two moments of a scripted evening, with the clock pinned.
#[test]
fn the_board_shows_running_next_late_and_the_points_of_no_return() {
    let w = Weekend::new();
    let board = |now: &str| {
        let (code, out, err) = w.run(
            now,
            &["board", "runbook.yaml", "--status", "weekend.status.yaml"],
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    // 19:05, before anything is logged: nothing running, the freeze due at 19:00 is late.
    insta::assert_snapshot!("board_1905", board(FRI_1905));
    w.log(FRI_1905, &["start", "pas-freeze", "--at", "19:00"]);
    w.log(FRI_1935, &["done", "pas-freeze", "--at", "19:30"]);
    w.log(FRI_1935, &["start", "final-extract"]);
    w.log(FRI_1935, &["start", "interfaces"]);
    w.log(
        FRI_2140,
        &["block", "interfaces", "--reason", "engine down"],
    );
    // 22:10: the extract has overrun its 2h, the interfaces are blocked.
    insta::assert_snapshot!("board_2210", board("2027-06-11T21:10Z"));
    let (_, json, _) = w.run(
        "2027-06-11T21:10Z",
        &[
            "board",
            "runbook.yaml",
            "--status",
            "weekend.status.yaml",
            "--format",
            "json",
        ],
    );
    let b: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(b["now"], "2027-06-11T22:10:00+01:00");
    assert_eq!(b["now_source"], "clock");
    assert_eq!(b["t_minus"], "T-1d 08:50");
    assert_eq!(b["run"]["kind"], "live");
    let running = b["running"].as_array().unwrap();
    assert_eq!(running.len(), 2);
    // 19:35 to 22:10 is 2h 35m against 2h planned.
    assert_eq!(running[0]["id"], "final-extract");
    assert_eq!(running[0]["elapsed_minutes"], 155);
    assert_eq!(running[0]["planned_minutes"], 120);
    assert_eq!(running[0]["overrunning"], true);
    assert_eq!(running[1]["blocked"], "engine down");
    // The baseline finished the extract at 21:30: 40 minutes late.
    let late = b["late"].as_array().unwrap();
    assert_eq!(late[0]["id"], "final-extract");
    assert_eq!(late[0]["missed"], "finish");
    assert_eq!(late[0]["late_minutes"], 40);
    // The rollback decision for the appointments load: window close 07:00 Sunday less
    // 8h of rollback is 23:00 Saturday, 24h 50m from now.
    let pnr = &b["points_of_no_return"][0];
    assert_eq!(pnr["id"], "load-appointments");
    assert_eq!(pnr["decide_by"], "2027-06-12T23:00:00+01:00");
    assert_eq!(pnr["minutes_to_decide"], 24 * 60 + 50);
    // The wall-screen page reloads itself, without JavaScript.
    let (_, html, _) = w.run(
        "2027-06-11T21:10Z",
        &[
            "board",
            "runbook.yaml",
            "--status",
            "weekend.status.yaml",
            "--format",
            "html",
        ],
    );
    assert!(
        html.contains(r#"<meta http-equiv="refresh" content="60">"#),
        "{html}"
    );
    assert!(!html.contains("<script"));
}
