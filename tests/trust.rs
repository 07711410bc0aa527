//! Answers a cutover lead can trust (issue 11): blocked and overdue work, the go-live
//! milestone, the critical path to go-live, an explicit data date, the earliest GO,
//! scenarios that change nothing, and what would make it GO. Each runs the binary on
//! `tests/fixtures/trust/` and checks the decision, the dates and the reason text; the
//! dates are worked by hand in `docs/scheduling.md` ("A worked example").

use serde_json::Value;

use crate::common::{cutover, json, run, task};

const RUNBOOK: &str = "tests/fixtures/trust/trust.yaml";
const BLOCKED_DRIVING: &str = "tests/fixtures/trust/blocked-driving.status.yaml";
const BLOCKED_WITH_FLOAT: &str = "tests/fixtures/trust/blocked-with-float.status.yaml";

fn reason_texts(report: &Value) -> Vec<String> {
    report["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs a command that succeeds, and returns stdout as JSON (stderr may hold warnings).
fn json_loud(args: &[&str]) -> (Value, String) {
    let r = run(args);
    assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
    (serde_json::from_str(&r.stdout).unwrap(), r.stderr)
}

#[test]
fn the_worked_example_marks_the_weekend_chain_critical_and_hypercare_apart() {
    let plan = json(&["plan", RUNBOOK, "--format", "json"]);
    assert_eq!(plan["ready"], "2027-03-06T13:00:00+00:00");
    assert_eq!(plan["float_to_go_live_minutes"], 18 * 60);
    let critical: Vec<&str> = plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["critical"] == true && t["leads_to_go_live"] == true)
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    // With the default critical_float of 0m, the longest path to go-live is critical.
    assert_eq!(critical, ["freeze", "load", "reconcile", "smoke", "live"]);
    assert_eq!(plan["critical_to_go_live"], 5);
    assert_eq!(plan["tasks_to_go_live"], 10);
    let hypercare = task(&plan, "hypercare");
    assert_eq!(hypercare["leads_to_go_live"], false);
    assert_eq!(hypercare["float_to_go_live_minutes"], Value::Null);
    // Float to go-live in each task's own units: working minutes on the office calendar
    // (13 days of 10 hours for comms), elapsed for milestones (19d 14h).
    assert_eq!(task(&plan, "comms")["float_to_go_live_minutes"], 13 * 600);
    assert_eq!(
        task(&plan, "go-decision")["float_to_go_live_minutes"],
        19 * 1440 + 14 * 60
    );
    assert_eq!(
        task(&plan, "rtt-validation")["float_to_go_live_minutes"],
        18 * 600
    );
    let text = run(&["plan", RUNBOOK]).stdout;
    assert!(
        text.contains("After go-live (float to the plan's finish, 2027-04-06 18:00):"),
        "{text}"
    );
}

#[test]
fn a_blocked_overdue_task_on_the_longest_path_is_no_go() {
    let args = [
        "report",
        RUNBOOK,
        "--status",
        BLOCKED_DRIVING,
        "--format",
        "json",
    ];
    let (report, stderr) = json_loud(&args);
    assert_eq!(report["decision"], "NO-GO");
    assert!(stderr.contains("warning[W007]"), "{stderr}");
    assert!(
        stderr.contains(
            "task `rtt-validation` has run its planned 20d and has no `remaining:`; assumed 5d more"
        ),
        "{stderr}"
    );
    let texts = reason_texts(&report);
    assert!(
        texts.contains(
            &"task `rtt-validation` (on the longest path to go-live) is blocked: Waiting for the RTT validation team to return from the Cancer PTL review".to_owned()
        ),
        "{texts:#?}"
    );
    // Blocked and overdue: it cannot finish before the data date plus the assumed
    // week, Friday 26 February 17:00, and the plan is 2d 13h late.
    let (plan, _) = json_loud(&[
        "plan",
        RUNBOOK,
        "--status",
        BLOCKED_DRIVING,
        "--format",
        "json",
    ]);
    let rtt = task(&plan, "rtt-validation");
    assert_eq!(rtt["state"], "blocked");
    assert_eq!(rtt["assumed_remaining_minutes"], 5 * 600);
    assert_eq!(rtt["early_finish"], "2027-02-26T17:00:00+00:00");
    assert_eq!(plan["float_to_go_live_minutes"], -(2 * 1440 + 13 * 60));
    // The clearance says it is already late, not "by" a date in the past.
    let reason = report["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"]["task"] == "rtt-validation")
        .unwrap();
    assert_eq!(reason["to_clear"]["owner"], "RTT Lead");
    assert_eq!(reason["to_clear"]["due"], Value::Null);
    assert!(
        reason["to_clear"]["needed"]
            .as_str()
            .unwrap()
            .starts_with("`rtt-validation` must be unblocked now: it already delays go-live by")
    );
}

#[test]
fn a_blocked_task_with_float_is_a_condition_that_says_how_much_is_left() {
    let (report, _) = json_loud(&[
        "report",
        RUNBOOK,
        "--status",
        BLOCKED_WITH_FLOAT,
        "--format",
        "json",
    ]);
    assert_eq!(report["decision"], "GO WITH CONDITIONS");
    let reason = report["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"]["task"] == "training")
        .unwrap();
    assert_eq!(reason["weight"], "condition");
    assert_eq!(
        reason["text"],
        "task `training` is blocked: The training environment is down until the supplier restores it; it has 12d 1h of float to go-live, counted from the data date"
    );
    // Four weeks left from Monday 18 January 17:00 ends on 15 February 17:00; the
    // latest finish is Wednesday 3 March 18:00, 12 days and an hour later: it must
    // resume by Thursday 4 February 08:00.
    assert_eq!(reason["to_clear"]["due"], "2027-02-04T08:00:00+00:00");
    assert_eq!(reason["to_clear"]["owner"], "Training Lead");
    // What would make it GO: the metric, its trend and when the trend reaches it.
    let training = report["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"]["criterion"] == "training.completion_pct >= 85")
        .unwrap();
    assert_eq!(
        training["to_clear"]["needed"],
        "`training.completion_pct` must reach at least 85 by Sun 21 Feb 2027 07:00; now 30 (Mon 18 Jan 2027 17:00), trend +1.43/day reaches it on Fri 26 Feb 2027 05:00"
    );
    assert_eq!(training["to_clear"]["due"], "2027-02-21T07:00:00+00:00");
}

#[test]
fn every_output_says_where_its_data_date_came_from() {
    // No status file and no --as-of: the clock (pinned for the test), no readiness
    // evidence, so at most GO WITH CONDITIONS.
    let out = cutover()
        .env("CUTOVER_NOW", "2027-01-04T09:00Z")
        .args(["report", RUNBOOK, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["data_date"], "2027-01-04T09:00:00+00:00");
    assert_eq!(report["data_date_source"], "clock");
    assert_eq!(report["decision"], "GO WITH CONDITIONS");
    let texts = reason_texts(&report);
    assert!(
        texts.contains(&"no readiness evidence: no status file was given, and the data date is the clock; the decision rests on the plan alone".to_owned()),
        "{texts:#?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with(
            "no readiness gate is due yet: the first, `t2w`, is due on Sun 21 Feb 2027 07:00"
        )),
        "{texts:#?}"
    );
    let text = String::from_utf8(
        cutover()
            .env("CUTOVER_NOW", "2027-01-04T09:00Z")
            .args(["report", RUNBOOK])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        text.contains("Data date:  2027-01-04 09:00 (T-61d 22:00), the clock: no status file or --as-of was given"),
        "{text}"
    );
    // --as-of and the status file say so too.
    let (report, _) = json_loud(&[
        "gates",
        RUNBOOK,
        "--as-of",
        "2027-01-05T09:00",
        "--format",
        "json",
    ]);
    assert_eq!(report["data_date_source"], "as_of");
    let (report, _) = json_loud(&[
        "gates",
        RUNBOOK,
        "--status",
        BLOCKED_WITH_FLOAT,
        "--format",
        "json",
    ]);
    assert_eq!(report["data_date_source"], "status_file");
    // A bad CUTOVER_NOW is a usage error.
    let out = cutover()
        .env("CUTOVER_NOW", "tomorrow")
        .args(["report", RUNBOOK])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_search_for_a_go_says_what_no_deferral_clears() {
    let (doc, _) = json_loud(&[
        "simulate",
        RUNBOOK,
        "--status",
        BLOCKED_WITH_FLOAT,
        "--scenario",
        "defer-nothing",
        "--format",
        "json",
    ]);
    let base = &doc["cases"][0];
    assert_eq!(base["earliest_go"], Value::Null);
    assert_eq!(base["days_searched"], 365);
    assert_eq!(base["go_days"], serde_json::json!([]));
    let because: Vec<&str> = base["no_go_because"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["text"].as_str().unwrap())
        .collect();
    assert!(
        because
            .iter()
            .any(|t| t.starts_with("task `training` is blocked: The training environment is down")),
        "{because:#?}"
    );
    let text = run(&[
        "simulate",
        RUNBOOK,
        "--status",
        BLOCKED_WITH_FLOAT,
        "--scenario",
        "defer-nothing",
    ])
    .stdout;
    assert!(
        text.contains("no deferral of 0 to 365 days gives a GO; at +365d still:"),
        "{text}"
    );
}

#[test]
fn scenarios_that_change_nothing_say_so() {
    let (doc, _) = json_loud(&[
        "simulate",
        RUNBOOK,
        "--status",
        BLOCKED_DRIVING,
        "--format",
        "json",
    ]);
    let warnings = |id: &str| -> Vec<String> {
        doc["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        warnings("slip-finished"),
        ["the scenario slips `training`, which is already finished: it changes nothing"]
    );
    assert_eq!(
        warnings("defer-nothing"),
        ["the scenario moves go-live by nothing"]
    );
    assert_eq!(
        warnings("earlier"),
        ["the scenario moves go-live 7d earlier than the runbook's"]
    );
}

#[test]
fn cost_parts_add_up_and_no_model_is_null() {
    let doc = json(&[
        "simulate",
        "runbooks/northgate-acute.yaml",
        "--status",
        "runbooks/northgate-acute.status.yaml",
        "--scenario",
        "defer-4w",
        "--format",
        "json",
    ]);
    let cost = &doc["cases"][1]["cost_of_delay"];
    let part = |k: &str| cost[k].as_f64().unwrap();
    assert_eq!(part("programme") + part("benefits_forgone"), part("total"));
    // 28/30 of (1,450,000 + 310,000) a month, each part rounded to the pound.
    assert_eq!(part("programme"), 1_353_333.0);
    assert_eq!(part("benefits_forgone"), 289_333.0);
    let doc = json(&[
        "simulate",
        "tests/fixtures/plans/small.yaml",
        "--as-of",
        "2027-04-29T09:00",
        "--defer",
        "1w",
        "--format",
        "json",
    ]);
    assert_eq!(doc["cases"][1]["cost_of_delay"], Value::Null);
}

#[test]
fn a_runbook_without_a_go_live_milestone_is_refused_not_judged_at_its_last_task() {
    let r = run(&[
        "report",
        "tests/fixtures/diagnostics/E066-missing-go-live-milestone.yaml",
        "--as-of",
        "2027-01-04T09:00",
    ]);
    assert_eq!(r.code, Some(1));
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("error[E066]"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "help: add the milestone whose finish means ready, after the last cutover task"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn every_day_is_judged_when_more_time_makes_things_worse() {
    let status = "tests/fixtures/trust/defects-rising.status.yaml";
    let (doc, _) = json_loud(&[
        "simulate",
        RUNBOOK,
        "--status",
        status,
        "--scenario",
        "defer-nothing",
        "--format",
        "json",
    ]);
    let base = &doc["cases"][0];
    assert_eq!(base["decision"], "NO-GO");
    assert_eq!(base["earliest_go"], "2027-03-13T07:00:00+00:00");
    assert_eq!(base["earliest_go_deferral_minutes"], 6 * 1440);
    assert_eq!(
        base["go_days"],
        serde_json::json!([{ "from_days": 6, "to_days": 8 }])
    );
    let text = run(&[
        "simulate",
        RUNBOOK,
        "--status",
        status,
        "--scenario",
        "defer-nothing",
    ])
    .stdout;
    assert!(
        text.contains("GO on deferrals of +6d to +8d (days judged: 0 to 365)"),
        "{text}"
    );
}
