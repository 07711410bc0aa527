//! The cutover weekend end to end: a scripted weekend of 30 `cutover log` events with
//! `board` and `update` checked at three moments (clock pinned), the hourly update on the
//! shipped acute runbook, rehearsal runs shown as such in every output, `board --watch`
//! picking up a change, and the log surviving writers killed mid-write. The fixture is
//! `tests/fixtures/live/` (see `tests/live.rs`).

use std::io::Read as _;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{cutover, run_parts};
use crate::live::Weekend;

/// London in June is UTC+1: the script gives local times, pinned with their offset.
fn local(at: &str) -> String {
    format!("{at}+01:00")
}

/// The weekend, as the command centre logged it: (when, what). Each event is recorded
/// at the moment it happened (`CUTOVER_NOW` = `--at`).
const SCRIPT: [(&str, &[&str]); 30] = [
    ("2027-06-11T19:00", &["start", "pas-freeze"]),
    ("2027-06-11T19:28", &["done", "pas-freeze"]),
    ("2027-06-11T19:30", &["start", "final-extract"]),
    ("2027-06-11T19:35", &["start", "interfaces"]),
    ("2027-06-11T20:00", &["remaining", "final-extract", "1h30m"]),
    (
        "2027-06-11T20:15",
        &["block", "interfaces", "--reason", "engine down"],
    ),
    ("2027-06-11T21:00", &["unblock", "interfaces"]),
    ("2027-06-11T21:40", &["done", "final-extract"]),
    ("2027-06-11T21:45", &["start", "load-patients"]),
    ("2027-06-11T22:30", &["done", "interfaces"]),
    ("2027-06-11T23:00", &["remaining", "load-patients", "3h"]),
    (
        "2027-06-11T23:30",
        &["metric", "migration.reconciliation_pct", "97.2"],
    ),
    // Moment 1: Friday 23:45.
    ("2027-06-12T00:30", &["remaining", "load-patients", "2h"]),
    ("2027-06-12T02:40", &["done", "load-patients"]),
    ("2027-06-12T02:50", &["start", "load-appointments"]),
    (
        "2027-06-12T03:00",
        &["metric", "migration.reconciliation_pct", "98.9"],
    ),
    (
        "2027-06-12T04:00",
        &["remaining", "load-appointments", "5h"],
    ),
    (
        "2027-06-12T05:10",
        &[
            "block",
            "load-appointments",
            "--reason",
            "slots rejected by the EPR",
        ],
    ),
    ("2027-06-12T06:00", &["unblock", "load-appointments"]),
    (
        "2027-06-12T06:30",
        &["remaining", "load-appointments", "4h"],
    ),
    (
        "2027-06-12T06:40",
        &["void", "20", "--reason", "estimate was for the wrong load"],
    ),
    (
        "2027-06-12T06:45",
        &["remaining", "load-appointments", "3h30m"],
    ),
    // Moment 2: Saturday 07:00.
    ("2027-06-12T10:20", &["done", "load-appointments"]),
    ("2027-06-12T10:30", &["start", "reconcile"]),
    (
        "2027-06-12T12:00",
        &["metric", "migration.reconciliation_pct", "99.6"],
    ),
    ("2027-06-12T13:15", &["done", "reconcile"]),
    ("2027-06-12T13:30", &["start", "smoke-tests"]),
    (
        "2027-06-12T15:00",
        &["signoff", "clinical-safety", "--signed-by", "Dr Jo Reed"],
    ),
    ("2027-06-12T16:10", &["done", "smoke-tests"]),
    ("2027-06-13T07:00", &["done", "epr-live"]),
    // Moment 3: Sunday 07:30, after go-live.
];

fn logged(w: &Weekend, events: &[(&str, &[&str])]) {
    for (at, args) in events {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--at", at]);
        w.log(&local(at), &full);
    }
}

/// `board` and `update` at `now` (local), in the formats the command centre reads.
fn picture(w: &Weekend, now: &str, since: Option<&str>) -> (String, String) {
    let now = local(now);
    let (code, board, err) = w.run(
        &now,
        &["board", "runbook.yaml", "--status", "weekend.status.yaml"],
    );
    assert_eq!(code, 0, "{err}");
    let mut args = vec!["update", "runbook.yaml", "--status", "weekend.status.yaml"];
    if let Some(s) = since {
        args.extend(["--since", s]);
    }
    let (code, update, err) = w.run(&now, &args);
    assert_eq!(code, 0, "{err}");
    (board, update)
}

fn json(w: &Weekend, now: &str, command: &str, since: Option<&str>) -> serde_json::Value {
    let mut args = vec![
        command,
        "runbook.yaml",
        "--status",
        "weekend.status.yaml",
        "--format",
        "json",
    ];
    if let Some(s) = since {
        args.extend(["--since", s]);
    }
    let (code, out, err) = w.run(&local(now), &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn a_scripted_weekend_seen_by_board_and_update_at_three_moments() {
    let w = Weekend::new();
    logged(&w, &SCRIPT[..12]);

    // Friday 23:45. Hand check: the extract ran 19:30-21:40 (2h 10m of a 2h plan); the
    // patients load started 21:45 with 3h left at 23:00, so it finishes at 02:00, then
    // appointments (6h) to 08:00, reconcile (3h) to 11:00, smoke tests (3h) to 14:00:
    // ready Sat 14:00, 17h before go-live (Sun 07:00). The load's 4h plan from 21:45 had
    // it done by 01:45, so nothing is late against the baseline yet except what the
    // 10-minute slip of the extract pushed: the baseline finished it at 21:30.
    let (board, update) = picture(&w, "2027-06-11T23:45", None);
    insta::assert_snapshot!("board_fri_2345", board);
    insta::assert_snapshot!("update_fri_2345", update);
    let u = json(&w, "2027-06-11T23:45", "update", None);
    assert_eq!(u["ready"], "2027-06-12T14:00:00+01:00");
    assert_eq!(u["float_to_go_live"], 17 * 60);
    // Three of seven tasks done: 30m + 2h + 2h of 20h 30m; the patients load counts its
    // working time since it started at 21:45, 2h, as a `workstream_done` criterion
    // counts it (the work left does not enter): 390 of 1230 minutes, 31.7%.
    assert_eq!(u["progress"]["done"], 3);
    assert_eq!(u["progress"]["total"], 7);
    assert_eq!(u["progress"]["total_minutes"], 20 * 60 + 30);
    assert_eq!(u["progress"]["done_minutes"], 30 + 120 + 120 + 120);
    assert_eq!(u["progress"]["percent"], 31.7);
    assert_eq!(u["since"], "2027-06-11T22:45:00+01:00");
    assert_eq!(u["since_given"], false);

    logged(&w, &SCRIPT[12..22]);
    // Saturday 07:00, the update of the last hour given: the appointments load (the
    // point of no return, rollback 8h) has 3h 30m left from 06:45, to 10:15.
    let (board, update) = picture(&w, "2027-06-12T07:00", Some("06:00"));
    insta::assert_snapshot!("board_sat_0700", board);
    insta::assert_snapshot!("update_sat_0700", update);
    let u = json(&w, "2027-06-12T07:00", "update", Some("06:00"));
    assert_eq!(u["since"], "2027-06-12T06:00:00+01:00");
    assert_eq!(u["since_given"], true);
    // The next decision: the rollback deadline of the appointments load, window close
    // (Sun 07:00) less 8h = Sat 23:00, 16h from now; before the gate (Sun 05:00).
    assert_eq!(u["next_decision"]["kind"], "rollback_decision");
    assert_eq!(u["next_decision"]["id"], "load-appointments");
    assert_eq!(u["next_decision"]["minutes_from_now"], 16 * 60);
    // The board and the update agree: they are read off one computation.
    let b = json(&w, "2027-06-12T07:00", "board", None);
    assert_eq!(u["decision"], b["decision"]);
    assert_eq!(u["ready"], b["ready"]);
    assert_eq!(u["overdue"], b["late"]);

    logged(&w, &SCRIPT[22..]);
    let (code, show, err) = w.run(&local("2027-06-13T07:30"), &["log", "show"]);
    assert_eq!(code, 0, "{err}");
    assert!(show.contains("void (#21)"), "{show}");
    // Sunday 07:30: live since 07:00, every gate passed.
    let (board, update) = picture(&w, "2027-06-13T07:30", None);
    insta::assert_snapshot!("board_sun_0730", board);
    insta::assert_snapshot!("update_sun_0730", update);
    let u = json(&w, "2027-06-13T07:30", "update", None);
    assert_eq!(u["status"], "on_track");
    assert_eq!(u["progress"]["done"], 7);
    assert_eq!(u["progress"]["percent"], 100.0);
    assert_eq!(u["passed"][0]["id"], "epr-live");
    assert_eq!(u["passed"][0]["at"], "2027-06-13T07:00:00+01:00");
}

/// The update for the shipped acute runbook at its status file's date stays short.
#[test]
fn the_acute_runbooks_update_fits_in_twenty_lines() {
    let out = cutover()
        .env("CUTOVER_NOW", "2027-05-28T16:00Z")
        .args([
            "update",
            "runbooks/northgate-acute.yaml",
            "--status",
            "runbooks/northgate-acute.status.yaml",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().count() <= 20, "{text}");
    insta::assert_snapshot!("update_acute", text);

    let out = cutover()
        .env("CUTOVER_NOW", "2027-05-28T16:00Z")
        .args([
            "update",
            "runbooks/northgate-acute.yaml",
            "--status",
            "runbooks/northgate-acute.status.yaml",
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    // An email body: inline styles only, nothing a mail client strips or blocks.
    for banned in [
        "<script", "<style", "<link", "class=", "http://", "https://",
    ] {
        assert!(!html.contains(banned), "{banned} in\n{html}");
    }
    assert!(html.contains("Status:</strong> AT RISK"), "{html}");
    insta::assert_snapshot!("update_acute_html", html);
    let md = crate::common::ok(&[
        "update",
        "runbooks/northgate-acute.yaml",
        "--status",
        "runbooks/northgate-acute.status.yaml",
        "--as-of",
        "2027-05-28T17:00",
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!("update_acute_markdown", md);
}

/// A rehearsal's status file says so, and every output of `report`, `board` and
/// `update` shows it, in every format.
#[test]
fn a_rehearsal_is_shown_as_one_in_every_output() {
    let w = Weekend::new();
    let status = w.read("weekend.status.yaml");
    std::fs::write(
        w.path("weekend.status.yaml"),
        status.replace("run: { kind: live }", "rehearsal: DR2"),
    )
    .unwrap();
    let now = local("2027-06-11T19:05");
    for command in ["report", "board", "update"] {
        for format in ["table", "markdown", "html", "json"] {
            let format = if command == "update" && format == "table" {
                "text"
            } else {
                format
            };
            let (code, out, err) = w.run(
                &now,
                &[
                    command,
                    "runbook.yaml",
                    "--status",
                    "weekend.status.yaml",
                    "--format",
                    format,
                ],
            );
            assert_eq!(code, 0, "{command} {format}: {err}");
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert_eq!(v["run"]["kind"], "rehearsal", "{command}");
                assert_eq!(v["run"]["name"], "DR2", "{command}");
            } else {
                assert!(
                    out.contains("REHEARSAL DR2: not the live run"),
                    "{command} {format}:\n{out}"
                );
                assert!(
                    out.contains("(rehearsal DR2, not the live run)"),
                    "{command} {format}: the decision does not name the rehearsal\n{out}"
                );
            }
        }
    }
    let (_, update, _) = w.run(
        &now,
        &["update", "runbook.yaml", "--status", "weekend.status.yaml"],
    );
    insta::assert_snapshot!("update_rehearsal", update);

    // Saying it twice is refused, with the line.
    std::fs::write(
        w.path("weekend.status.yaml"),
        status.replace("run: { kind: live }", "run: { kind: live }\nrehearsal: DR2"),
    )
    .unwrap();
    let (code, _, err) = w.run(
        &now,
        &["board", "runbook.yaml", "--status", "weekend.status.yaml"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("E090"), "{err}");
    assert!(err.contains("`rehearsal:` and `run:` both say"), "{err}");
}

/// `--since` after the update's own time is a mistake, said plainly.
#[test]
fn since_after_now_is_refused() {
    let (code, _, err) = run_parts(&[
        "update",
        "tests/fixtures/live/runbook.yaml",
        "--status",
        "tests/fixtures/live/weekend.status.yaml",
        "--as-of",
        "2027-06-11T19:00",
        "--since",
        "2027-06-11T20:00",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("after the time of the update"), "{err}");
}

/// What a process wrote to standard output so far, read on a thread.
fn collect(mut from: impl std::io::Read + Send + 'static) -> Arc<Mutex<String>> {
    let seen = Arc::new(Mutex::new(String::new()));
    let into = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    seen
}

/// Waits (generously) for `what` to appear in `seen`; true if it did.
fn appears(seen: &Mutex<String>, what: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if seen.lock().unwrap().contains(what) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// `board --watch` redraws when the event log changes, and leaves nothing behind.
#[test]
fn board_watch_redraws_when_an_event_is_logged() {
    let w = Weekend::new();
    let now = local("2027-06-11T19:05");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cutover"))
        .current_dir(w.dir.path())
        .env("CUTOVER_NOW", &now)
        .args([
            "board",
            "runbook.yaml",
            "--status",
            "weekend.status.yaml",
            "--watch",
            "--every",
            "3600",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = collect(child.stdout.take().unwrap());
    let first = appears(&seen, "Running (0)");
    let before: Vec<_> = std::fs::read_dir(w.dir.path()).unwrap().collect();
    // The log does not exist yet: its first event creates it, in the watched folder.
    if first {
        w.log(&now, &["start", "pas-freeze", "--at", "19:00"]);
    }
    let redrawn = first && appears(&seen, "redrawn: a file changed");
    let second = redrawn && appears(&seen, "Running (1)");
    child.kill().unwrap();
    child.wait().unwrap();
    let text = seen.lock().unwrap().clone();
    assert!(first, "no first frame:\n{text}");
    assert!(second, "the change was not picked up:\n{text}");
    // Not a terminal: the frames follow each other, the first one whole.
    assert_eq!(text.matches("Decision now:").count(), 2, "{text}");
    assert!(!text.contains('\x1b'), "no terminal codes into a pipe");
    // Killed, it leaves nothing: the folder holds the fixture, the log and its lock.
    let mut names: Vec<String> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(before.len(), 2, "the watch wrote a file");
    assert_eq!(
        names,
        [
            "runbook.yaml",
            "weekend.events.yaml",
            "weekend.events.yaml.lock",
            "weekend.status.yaml"
        ]
    );
}

/// Writers killed at random moments mid-write never leave a broken log: after each
/// kill the log is the old one or the new one, whole, and the status file is untouched.
#[test]
fn a_writer_killed_mid_write_leaves_the_previous_log_intact() {
    let w = Weekend::new();
    let status = w.read("weekend.status.yaml");
    let now = local("2027-06-11T19:05");
    w.log(&now, &["metric", "migration.reconciliation_pct", "1"]);
    for i in 0..16u64 {
        let value = (i + 2).to_string();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cutover"))
            .current_dir(w.dir.path())
            .env("CUTOVER_RUNBOOK", "runbook.yaml")
            .env("CUTOVER_STATUS", "weekend.status.yaml")
            .env("CUTOVER_BY", "Sam Okafor")
            .env("CUTOVER_NOW", &now)
            .args(["log", "metric", "migration.reconciliation_pct", &value])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // From before the process reads anything to after it has written: the kill
        // lands anywhere in between (or after, and the event is simply recorded).
        std::thread::sleep(Duration::from_millis(i * 5));
        let _ = child.kill();
        child.wait().unwrap();
        // The log as a reader sees it after every kill: whole, numbered 1..n, in order.
        let (code, out, err) = w.run(&now, &["log", "show", "--format", "json"]);
        assert_eq!(code, 0, "after kill {i}, the log is broken:\n{err}");
        let events: serde_json::Value = serde_json::from_str(&out).unwrap();
        let events = events["events"].as_array().unwrap();
        let mut last = 0.0;
        for (n, e) in events.iter().enumerate() {
            assert_eq!(e["seq"], n + 1, "{out}");
            let v: f64 = e["detail"].as_str().unwrap().parse().unwrap();
            assert!(v > last, "events out of order: {out}");
            last = v;
        }
    }
    assert_eq!(w.read("weekend.status.yaml"), status);
    // And the next writer goes on from there.
    let before = w.read("weekend.events.yaml").lines().count();
    w.log(&now, &["metric", "migration.reconciliation_pct", "99"]);
    assert_eq!(w.read("weekend.events.yaml").lines().count(), before + 1);
    let mut out = String::new();
    std::fs::File::open(w.path("weekend.events.yaml"))
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(out.ends_with("}\n"), "the last line is whole:\n{out}");
}
