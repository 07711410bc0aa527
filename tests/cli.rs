//! The commands other than per-code diagnostics: plan, critical-path, graph, init,
//! and validate's paths, formats and flags, on `tests/fixtures/plans/small.yaml`.
//!
//! Snapshots are in `tests/snapshots/`; accept changes with
//! `INSTA_UPDATE=always cargo test --test cli` and read the diff.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::{cutover, json, ok, run, task};

const SMALL: &str = "tests/fixtures/plans/small.yaml";
const SMALL_STATUS: &str = "tests/fixtures/plans/small.status.yaml";
/// The plan's start: as a data date it changes nothing but pins "now".
const AS_OF_START: &str = "2027-04-29T09:00";

/// The driving chain of `small.yaml`, worked by hand in `hand_checked_schedule`.
const CHAIN: &[&str] = &[
    "extract",
    "transform",
    "validate-load",
    "sign-off",
    "freeze",
    "final-load",
    "reconcile",
    "smoke-live",
    "live",
];

fn ids(plan: &Value) -> Vec<String> {
    plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

fn has_ansi(text: &str) -> bool {
    text.contains('\u{1b}')
}

// ---------------------------------------------------------------- plan

#[test]
fn small_runbook_is_valid() {
    let r = run(&["validate", "--color", "never", SMALL]);
    assert_eq!(r.code, Some(0));
    assert_eq!(
        r.stderr,
        "1 runbook checked: 0 invalid, 0 errors, 0 warnings\n"
    );
}

/// The schedule of `small.yaml`, worked by hand.
///
/// Office calendar: 09:00-17:00 Mon-Fri, so `1d` = 8 working hours; Monday 2027-05-03
/// is the early May bank holiday (england-and-wales), so there is no work from
/// Fri 30 Apr 17:00 to Tue 4 May 09:00. The cutover tasks run on 24x7.
///
/// ```text
/// extract        2d             Thu 29 Apr 09:00 -> Fri 30 Apr 17:00
/// transform      SS+1d, 2d      start = extract start + 8h work = Fri 30 09:00;
///                               16h work: Fri 30 (8h), Mon 3 holiday, Tue 4 (8h)
///                                                     -> Tue 4 May 17:00
/// validate-load  FS, 2d         Wed 5 09:00 -> Thu 6 17:00
/// sign-off       FF+2h, 4h      finish >= Thu 6 17:00 + 2h work = Fri 7 11:00;
///                               start = finish - 4h work = Thu 6 15:00
/// build-env      3d             Thu 29, Fri 30, (Mon 3 holiday), Tue 4 -> Tue 4 17:00
/// smoke-env      FS, 1d         Wed 5 09:00 -> Wed 5 17:00
/// comms          FS, 1d         Thu 6 09:00 -> Thu 6 17:00
/// freeze (24x7)  after sign-off (Fri 7 11:00) and smoke-env (Wed 5 17:00), 30m
///                                                     Fri 7 11:00 -> 11:30
/// final-load     8h             Fri 7 11:30 -> 19:30 (point of no return)
/// reconcile      4h             Fri 7 19:30 -> 23:30
/// smoke-live     SS+3h, 2h      start = 19:30 + 3h = 22:30 -> Sat 8 May 00:30
/// live           milestone after smoke-live (00:30), reconcile (23:30), comms
///                                                     Sat 8 May 00:30
/// ```
///
/// Ready 00:30, go-live Sat 8 May 07:00 and the window closes then too: 6h 30m = 390
/// minutes of float. The driving chain runs back from `live` through smoke-live
/// (its 00:30 finish beats reconcile's 23:30), reconcile (SS), final-load, freeze,
/// sign-off (Fri 11:00 beats smoke-env's Wed 17:00), validate-load (FF),
/// transform, extract (SS); its length is Thu 29 Apr 09:00 to Sat 8 May 00:30,
/// 8d 15h 30m.
///
/// The backward pass is anchored at the plan's finish (00:30), so the chain has zero
/// float. The tech preparation has 1d (480 working minutes): comms may finish as late
/// as Fri 7 17:00 (the last office minute before 00:30 Sat), so it may start Fri 09:00
/// (Thu 17:00 in working time); smoke-env must then finish by Thu 17:00, a day after
/// its planned Wed 17:00; build-env likewise by Wed 17:00 instead of Tue 17:00.
///
/// Rollback from final-load takes 4h, so it must be passed by 07:00 - 4h = 03:00;
/// it is passed at 19:30, a margin of 7h 30m = 450 minutes.
#[test]
fn hand_checked_schedule() {
    let plan = json(&["plan", "--format", "json", "--as-of", AS_OF_START, SMALL]);

    assert_eq!(plan["ready"], "2027-05-08T00:30:00+01:00");
    assert_eq!(plan["finish"], "2027-05-08T00:30:00+01:00");
    assert_eq!(plan["go_live"], "2027-05-08T07:00:00+01:00");
    assert_eq!(plan["float_to_go_live_minutes"], 390);
    assert_eq!(plan["float_to_window_close_minutes"], 390);
    assert_eq!(plan["fits"], true);
    assert_eq!(plan["critical_path"], serde_json::json!([CHAIN]));
    assert_eq!(plan["critical_path_truncated"], false);

    let expect = [
        // id, early start, early finish, total float (working minutes)
        ("extract", "2027-04-29T09:00", "2027-04-30T17:00", 0),
        ("transform", "2027-04-30T09:00", "2027-05-04T17:00", 0),
        ("validate-load", "2027-05-05T09:00", "2027-05-06T17:00", 0),
        ("sign-off", "2027-05-06T15:00", "2027-05-07T11:00", 0),
        ("build-env", "2027-04-29T09:00", "2027-05-04T17:00", 480),
        ("smoke-env", "2027-05-05T09:00", "2027-05-05T17:00", 480),
        ("comms", "2027-05-06T09:00", "2027-05-06T17:00", 480),
        ("freeze", "2027-05-07T11:00", "2027-05-07T11:30", 0),
        ("final-load", "2027-05-07T11:30", "2027-05-07T19:30", 0),
        ("reconcile", "2027-05-07T19:30", "2027-05-07T23:30", 0),
        ("smoke-live", "2027-05-07T22:30", "2027-05-08T00:30", 0),
        ("live", "2027-05-08T00:30", "2027-05-08T00:30", 0),
    ];
    assert_eq!(plan["tasks"].as_array().unwrap().len(), expect.len());
    for (id, start, finish, float) in expect {
        let t = task(&plan, id);
        assert_eq!(t["early_start"], format!("{start}:00+01:00"), "{id} start");
        assert_eq!(
            t["early_finish"],
            format!("{finish}:00+01:00"),
            "{id} finish"
        );
        assert_eq!(t["total_float_minutes"], float, "{id} float");
        assert_eq!(t["critical"], float == 0, "{id} critical");
    }
    // The late dates of the tech chain, from the float reasoning above.
    assert_eq!(
        task(&plan, "comms")["late_finish"],
        "2027-05-07T17:00:00+01:00"
    );
    assert_eq!(
        task(&plan, "smoke-env")["late_finish"],
        "2027-05-06T17:00:00+01:00"
    );
    assert_eq!(
        task(&plan, "build-env")["late_finish"],
        "2027-05-05T17:00:00+01:00"
    );

    let ponr = &plan["points_of_no_return"][0];
    assert_eq!(ponr["task"], "final-load");
    assert_eq!(ponr["passed_at"], "2027-05-07T19:30:00+01:00");
    assert_eq!(ponr["latest"], "2027-05-08T03:00:00+01:00");
    assert_eq!(ponr["margin_minutes"], 450);

    // The human table says the same.
    let table = ok(&["plan", "--color", "never", SMALL]);
    assert!(table.contains("Ready for go-live:  2027-05-08 00:30 (T-0d 06:30)"));
    assert!(table.contains("2027-05-08 07:00, float 6h 30m"));
    assert!(table.contains("Critical tasks:     9 of 12"));
    let critical = ok(&["critical-path", "--color", "never", SMALL]);
    assert!(critical.contains(
        "Driving chain 1 of 1: 9 tasks, 8d 15h 30m from 2027-04-29 09:00 to 2027-05-08 00:30"
    ));
}

#[test]
fn plan_table() {
    let out = ok(&["plan", "--color", "never", SMALL]);
    assert!(!has_ansi(&out));
    insta::assert_snapshot!("plan-table", out);
}

#[test]
fn plan_markdown() {
    let out = ok(&["plan", "--format", "markdown", SMALL]);
    assert!(out.starts_with("# Plan: Small fixture EPR go-live\n"));
    assert!(out.contains("| extract "));
    insta::assert_snapshot!("plan-markdown", out);
}

#[test]
fn plan_csv() {
    let out = ok(&["plan", "--format", "csv", SMALL]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 13, "header and 12 tasks");
    assert!(lines[0].starts_with("id,name,workstream,owner,state,predecessors,early_start,"));
    assert!(lines[1].starts_with("extract,Extract legacy PAS data,data,Jo Patel,"));
    insta::assert_snapshot!("plan-csv", out);
}

/// The plan CSV as a spreadsheet reads it: local date-times Excel takes as dates,
/// hours and minutes as numbers, predecessors with their link types, and no cell that
/// a spreadsheet would run as a formula.
#[test]
fn plan_csv_opens_as_dates_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("formula.yaml");
    let text = std::fs::read_to_string(SMALL).unwrap().replace(
        "name: Brief the wards,",
        "name: \"=HYPERLINK(\\\"http://x\\\",\\\"click\\\")\", tags: [comms, wards],\n      notes: \"@SUM(A1) then -1\",",
    );
    std::fs::write(&runbook, text).unwrap();
    let out = ok(&["plan", "--format", "csv", runbook.to_str().unwrap()]);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12);
    for row in &rows {
        for c in ["early_start", "early_finish", "late_start", "late_finish"] {
            jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", &row[col(c)])
                .unwrap_or_else(|e| panic!("{c} {:?}: {e}", &row[col(c)]));
        }
        assert_eq!(&row[col("time_zone")], "Europe/London");
        let minutes: f64 = row[col("duration_minutes")].parse().unwrap();
        let hours: f64 = row[col("duration_hours")].parse().unwrap();
        assert!((hours * 60.0 - minutes).abs() < 0.6, "{row:?}");
        let float: f64 = row[col("total_float_hours")].parse().unwrap();
        let float_minutes: f64 = row[col("total_float_minutes")].parse().unwrap();
        assert!((float * 60.0 - float_minutes).abs() < 0.6, "{row:?}");
        for c in [
            "id",
            "name",
            "owner",
            "workstream",
            "predecessors",
            "tags",
            "notes",
        ] {
            let cell = &row[col(c)];
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "{c} runs as a formula: {cell}"
            );
        }
    }
    let comms = rows.iter().find(|r| &r[col("id")] == "comms").unwrap();
    assert_eq!(&comms[col("name")], "'=HYPERLINK(\"http://x\",\"click\")");
    assert_eq!(&comms[col("notes")], "'@SUM(A1) then -1");
    assert_eq!(&comms[col("tags")], "comms wards");
    assert_eq!(&comms[col("predecessors")], "smoke-env");
    // Link types and lags as written: SS with a day's lag, FF with two hours.
    let transform = rows.iter().find(|r| &r[col("id")] == "transform").unwrap();
    assert_eq!(&transform[col("predecessors")], "extract SS+1d");
    let sign_off = rows.iter().find(|r| &r[col("id")] == "sign-off").unwrap();
    assert_eq!(&sign_off[col("predecessors")], "validate-load FF+2h");
    // The go-live milestone at 2027-05-08 07:00 local.
    let live = rows.iter().find(|r| &r[col("id")] == "live").unwrap();
    assert_eq!(&live[col("milestone")], "true");
    assert_eq!(&live[col("predecessors")], "smoke-live; reconcile; comms");
}

#[test]
fn plan_json() {
    let plan = json(&["plan", "--format", "json", "--as-of", AS_OF_START, SMALL]);
    assert_eq!(plan["format"], 1);
    assert_eq!(plan["runbook"], "Small fixture EPR go-live");
    assert_eq!(plan["timezone"], "Europe/London");
    assert_eq!(plan["data_date"], "2027-04-29T09:00:00+01:00");
    assert_eq!(plan["window"]["opens"], "2027-05-07T10:00:00+01:00");
    let t = task(&plan, "transform");
    assert_eq!(t["workstream"], "data");
    assert_eq!(t["owner"], "Jo Patel");
    assert_eq!(t["calendar"], "office");
    assert_eq!(t["state"], "not_started");
    assert_eq!(t["duration_minutes"], 960, "2d on an 8h office day");
    assert_eq!(t["milestone"], false);
    let live = task(&plan, "live");
    assert_eq!(live["milestone"], true);
    assert_eq!(live["duration_minutes"], 0);
    // Rows come by early start.
    let starts: Vec<&str> = plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["early_start"].as_str().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    insta::assert_json_snapshot!("plan-json", plan);
}

#[test]
fn plan_critical_only() {
    let plan = json(&["plan", "--format", "json", "--critical", SMALL]);
    let got: BTreeSet<String> = ids(&plan).into_iter().collect();
    let want: BTreeSet<String> = CHAIN.iter().map(std::string::ToString::to_string).collect();
    assert_eq!(got, want);
    let table = ok(&["plan", "--color", "never", "--critical", SMALL]);
    assert!(!table.contains("build-env"));
    insta::assert_snapshot!("plan-critical", table);
}

#[test]
fn plan_workstream_filter() {
    let plan = json(&["plan", "--format", "json", "--workstream", "tech", SMALL]);
    assert_eq!(
        ids(&plan),
        [
            "build-env",
            "smoke-env",
            "comms",
            "freeze",
            "smoke-live",
            "live"
        ]
    );
    // Repeatable: both workstreams give every task.
    let plan = json(&[
        "plan",
        "--format",
        "json",
        "--workstream",
        "tech",
        "--workstream",
        "data",
        SMALL,
    ]);
    assert_eq!(ids(&plan).len(), 12);
    // Combined with --critical.
    let plan = json(&[
        "plan",
        "--format",
        "json",
        "--workstream",
        "data",
        "--critical",
        SMALL,
    ]);
    assert_eq!(
        ids(&plan),
        [
            "extract",
            "transform",
            "validate-load",
            "sign-off",
            "final-load",
            "reconcile"
        ]
    );
    let out = ok(&[
        "plan",
        "--format",
        "markdown",
        "--workstream",
        "tech",
        SMALL,
    ]);
    insta::assert_snapshot!("plan-workstream-tech", out);
}

#[test]
fn plan_unknown_workstream_is_a_usage_error() {
    let r = run(&["plan", "--workstream", "nope", SMALL]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "error: --workstream nope: no workstream has this id\n"
    );
}

#[test]
fn plan_owner_filter() {
    let plan = json(&["plan", "--format", "json", "--owner", "priya", SMALL]);
    assert_eq!(ids(&plan), ["validate-load", "sign-off", "reconcile"]);
}

/// Progress at Tue 4 May 12:00: extract done; transform started (16h planned, 11h
/// worked: Fri 30 8h + Tue 3h, so 5h left: Tue 17:00 as planned); build-env started
/// with 8h remaining: Tue 12:00-17:00 and Wed 09:00-12:00, so 3h late, eating 3h of
/// the tech chain's 8h float.
#[test]
fn plan_with_status() {
    let plan = json(&["plan", "--format", "json", "--status", SMALL_STATUS, SMALL]);
    assert_eq!(plan["data_date"], "2027-05-04T12:00:00+01:00");
    assert_eq!(task(&plan, "extract")["state"], "done");
    assert_eq!(task(&plan, "extract")["critical"], false);
    assert_eq!(task(&plan, "transform")["state"], "in_progress");
    assert_eq!(
        task(&plan, "transform")["early_finish"],
        "2027-05-04T17:00:00+01:00"
    );
    let b = task(&plan, "build-env");
    assert_eq!(b["state"], "in_progress");
    assert_eq!(b["early_finish"], "2027-05-05T12:00:00+01:00");
    assert_eq!(b["total_float_minutes"], 300);
    assert_eq!(
        task(&plan, "comms")["early_finish"],
        "2027-05-07T12:00:00+01:00"
    );
    assert_eq!(plan["ready"], "2027-05-08T00:30:00+01:00");

    let table = ok(&["plan", "--color", "never", "--status", SMALL_STATUS, SMALL]);
    assert!(table.contains("Data date:          2027-05-04 12:00 (T-3d 19:00)"));
    insta::assert_snapshot!("plan-status-table", table);
}

#[test]
fn as_of_overrides_the_status_data_date() {
    let plan = json(&[
        "plan",
        "--format",
        "json",
        "--status",
        SMALL_STATUS,
        "--as-of",
        "2027-05-04T16:00",
        SMALL,
    ]);
    assert_eq!(plan["data_date"], "2027-05-04T16:00:00+01:00");
    // 8h remaining counted from 16:00: Tue 16-17 and Wed 09:00-16:00.
    assert_eq!(
        task(&plan, "build-env")["early_finish"],
        "2027-05-05T16:00:00+01:00"
    );
}

#[test]
fn bad_as_of_is_a_usage_error() {
    let r = run(&["plan", "--as-of", "yesterday", SMALL]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.starts_with("error: --as-of: "), "{}", r.stderr);
}

// ---------------------------------------------------------------- critical-path

#[test]
fn critical_path_table() {
    let out = ok(&["critical-path", "--color", "never", SMALL]);
    insta::assert_snapshot!("critical-path-table", out);
}

#[test]
fn critical_path_json_lists_the_chain() {
    let plan = json(&["critical-path", "--format", "json", SMALL]);
    assert_eq!(ids(&plan), CHAIN);
    assert_eq!(plan["critical_path"], serde_json::json!([CHAIN]));
}

#[test]
fn critical_path_markdown_and_csv() {
    let md = ok(&["critical-path", "--format", "markdown", SMALL]);
    insta::assert_snapshot!("critical-path-markdown", md);
    let csv = ok(&["critical-path", "--format", "csv", SMALL]);
    let first: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(first, CHAIN);
}

// ---------------------------------------------------------------- graph

#[test]
fn graph_dot() {
    let out = ok(&["graph", SMALL]);
    assert!(out.starts_with("digraph \"Small fixture EPR go-live\" {"));
    assert!(out.contains("\"extract\" -> \"transform\" [label=\"SS+8h\""));
    assert!(out.trim_end().ends_with('}'));
    assert_eq!(out, ok(&["graph", "--format", "dot", SMALL]));
    insta::assert_snapshot!("graph-dot", out);
}

#[test]
fn graph_mermaid() {
    let out = ok(&["graph", "--format", "mermaid", SMALL]);
    assert!(out.starts_with("flowchart LR\n"));
    assert!(out.contains("class n0,n1,n2,n3,n7,n8,n9,n10,n11 critical;"));
    insta::assert_snapshot!("graph-mermaid", out);
}

// ---------------------------------------------------------------- --out

#[test]
fn out_writes_the_file_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[&str])] = &[
        ("plan.md", &["plan", "--format", "markdown", SMALL]),
        ("plan.json", &["plan", "--format", "json", SMALL]),
        (
            "critical.txt",
            &["critical-path", "--color", "always", SMALL],
        ),
        ("graph.dot", &["graph", SMALL]),
        ("graph.mmd", &["graph", "--format", "mermaid", SMALL]),
    ];
    for (name, args) in cases {
        let path = dir.path().join(name);
        let path_text = path.to_str().unwrap();
        let mut with_out = args.to_vec();
        with_out.extend(["--out", path_text]);
        let r = run(&with_out);
        assert_eq!(r.code, Some(0), "{with_out:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{with_out:?} printed to stdout");
        assert_eq!(r.stderr, format!("wrote {path_text}\n"));
        let written = std::fs::read_to_string(&path).unwrap();
        // The same as standard output, without colour even when asked for: a file
        // is not a terminal.
        let printed = ok(&args
            .iter()
            .map(|a| if *a == "always" { "never" } else { a })
            .collect::<Vec<_>>());
        assert_eq!(written, printed, "{with_out:?}");
        assert!(!has_ansi(&written));
    }
}

#[test]
fn out_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("graph.dot");
    std::fs::write(&path, "old").unwrap();
    let r = run(&["graph", SMALL, "-o", path.to_str().unwrap()]);
    assert_eq!(r.code, Some(0));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("digraph")
    );
}

#[test]
fn out_to_a_missing_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/plan.md");
    let r = run(&["plan", SMALL, "--out", path.to_str().unwrap()]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert!(!path.exists());
}

// ---------------------------------------------------------------- init

#[test]
fn init_writes_a_valid_starter_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-go-live.yaml");
    let p = path.to_str().unwrap();

    let r = run(&["init", p]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        format!("wrote {p}\nnext: cutover validate {p} && cutover plan {p}\n")
    );
    let starter = std::fs::read_to_string(&path).unwrap();
    assert!(starter.starts_with("# yaml-language-server: $schema=./runbook.schema.json\n"));
    // Its comments name the file it was written to and how to get the schema, and
    // point at no half-written link.
    assert!(
        starter.contains("#   cutover validate my-go-live.yaml\n"),
        "{starter}"
    );
    assert!(
        starter.contains("#   cutover plan my-go-live.yaml\n"),
        "{starter}"
    );
    assert!(
        starter.contains("cutover schema > runbook.schema.json"),
        "{starter}"
    );
    assert!(
        !starter.contains("{file}") && !starter.contains("https://"),
        "{starter}"
    );

    // The starter is a valid runbook that plans.
    let r = run(&["validate", "--color", "never", p]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr.ends_with("0 invalid, 0 errors, 0 warnings\n"),
        "{}",
        r.stderr
    );
    ok(&["plan", "--color", "never", p]);

    // A second init refuses and leaves the (edited) file alone.
    let edited = format!("{starter}# my edits\n");
    std::fs::write(&path, &edited).unwrap();
    let r = run(&["init", p]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stdout, "");
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);

    // --force replaces it.
    let r = run(&["init", "--force", p]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), starter);
}

#[test]
fn init_default_path_is_runbook_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let out = cutover()
        .current_dir(dir.path())
        .arg("init")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.path().join("runbook.yaml").is_file());
}

// ---------------------------------------------------------------- validate

#[test]
fn validate_a_directory() {
    // plans/ holds small.yaml and small.status.yaml; status files are skipped.
    let r = run(&["validate", "--color", "never", "tests/fixtures/plans"]);
    assert_eq!(r.code, Some(0));
    assert_eq!(
        r.stderr,
        "1 runbook checked: 0 invalid, 0 errors, 0 warnings\n"
    );

    // A directory with broken runbooks: exit 1, one file entry per runbook, and files
    // other runbooks include are not checked on their own.
    let r = run(&["validate", "--format", "json", "tests/fixtures/diagnostics"]);
    assert_eq!(r.code, Some(1));
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"tests/fixtures/diagnostics/E001-yaml-syntax.yaml"));
    assert!(
        files.contains(&"tests/fixtures/diagnostics/W005-rollback-without-point-of-no-return.yaml")
    );
    assert!(!files.iter().any(|f| f.contains("/includes/")), "{files:?}");
    // A part that includes its runbook back is checked as part of that runbook, which
    // reports the loop.
    assert!(files.contains(&"tests/fixtures/diagnostics/E008-include-loop.yaml"));
    // Other tools' YAML found in a directory is skipped, with its reason.
    assert_eq!(
        report["skipped"][0]["path"],
        "tests/fixtures/diagnostics/E012-not-a-cutover-file.yaml"
    );
    insta::assert_json_snapshot!("validate-directory-summary", report["summary"]);
}

#[test]
fn validate_a_glob() {
    // Quoted glob, expanded by cutover: the seven warning fixtures.
    let r = run(&[
        "validate",
        "--color",
        "never",
        "tests/fixtures/diagnostics/W*.yaml",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("7 runbooks checked: 0 invalid, 0 errors, 7 warnings\n"),
        "{}",
        r.stderr
    );
    let r = run(&["validate", "tests/fixtures/diagnostics/Z*.yaml"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(
        r.stderr,
        "error: `tests/fixtures/diagnostics/Z*.yaml` matches no file\n"
    );
}

#[test]
fn validate_several_paths_without_repeats() {
    let r = run(&[
        "validate",
        "--format",
        "json",
        SMALL,
        "tests/fixtures/plans",
        "tests/fixtures/plans/small.yaml",
    ]);
    assert_eq!(r.code, Some(0));
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["summary"]["runbooks"], 1, "{}", r.stdout);
    assert_eq!(report["files"][0]["path"], SMALL);
}

/// A glob, like a directory walk, skips `*.status.yaml` status files.
#[test]
fn glob_skips_status_files() {
    let r = run(&[
        "validate",
        "--format",
        "json",
        "tests/fixtures/plans/*.yaml",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["summary"]["runbooks"], 1);
    assert_eq!(report["files"][0]["path"], SMALL);
    assert_eq!(report["files"][0]["valid"], true);
}

#[test]
fn strict_turns_warnings_into_errors() {
    let w001 = "tests/fixtures/diagnostics/W001-missing-owner.yaml";
    let r = run(&["validate", "--color", "never", w001]);
    assert_eq!(r.code, Some(0));
    assert!(r.stderr.starts_with("warning[W001]"));

    let r = run(&["validate", "--color", "never", "--strict", w001]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.starts_with("error[W001]"), "{}", r.stderr);
    assert!(
        r.stderr
            .ends_with("1 runbook checked: 1 invalid, 1 error, 0 warnings\n")
    );

    let report: Value =
        serde_json::from_str(&run(&["validate", "--format", "json", "--strict", w001]).stdout)
            .unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["diagnostics"][0]["severity"], "error");
    assert_eq!(report["diagnostics"][0]["code"], "W001");
}

#[test]
fn quiet_prints_only_failing_problems() {
    let w001 = "tests/fixtures/diagnostics/W001-missing-owner.yaml";
    let e021 = "tests/fixtures/diagnostics/E021-unknown-dependency.yaml";
    // Only warnings: nothing at all.
    let r = run(&["validate", "--color", "never", "--quiet", w001]);
    assert_eq!(r.code, Some(0));
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "");
    // Errors: the errors, no warnings, no summary.
    let r = run(&["validate", "--color", "never", "-q", w001, e021]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("error[E021]"));
    assert!(!r.stderr.contains("W001"));
    assert!(!r.stderr.contains("checked"));
    // --quiet with --strict: the warning is now an error and is shown.
    let r = run(&["validate", "--color", "never", "-q", "--strict", w001]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("error[W001]"));
    // JSON drops the warnings too.
    let report: Value =
        serde_json::from_str(&run(&["validate", "-f", "json", "-q", w001, e021]).stdout).unwrap();
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E021"]);
}

const MIXED: &[&str] = &[
    "tests/fixtures/plans/small.yaml",
    "tests/fixtures/diagnostics/E020-duplicate-id.yaml",
    "tests/fixtures/diagnostics/E021-unknown-dependency.yaml",
    "tests/fixtures/diagnostics/W002-not-connected-to-go-live.yaml",
];

#[test]
fn validate_github_annotations() {
    let mut args = vec!["validate", "--format", "github"];
    args.extend(MIXED);
    let r = run(&args);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stderr, "");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(lines[0].starts_with(
        "::error file=tests/fixtures/diagnostics/E020-duplicate-id.yaml,line=10,col=9,title=E020 duplicate-id::"
    ));
    assert!(lines[2].starts_with("::warning "));
    insta::assert_snapshot!("validate-github", r.stdout);
}

#[test]
fn validate_junit() {
    let mut args = vec!["validate", "--format", "junit"];
    args.extend(MIXED);
    let r = run(&args);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stderr, "");
    assert!(r.stdout.starts_with("<?xml"));
    assert!(r.stdout.contains("tests=\"4\""));
    assert!(r.stdout.contains("failures=\"2\""));
    insta::assert_snapshot!("validate-junit", r.stdout);
}

#[test]
fn validate_json_of_a_valid_runbook() {
    let report = json(&["validate", "--format", "json", SMALL]);
    insta::assert_json_snapshot!("validate-json-valid", report);
}

// ---------------------------------------------------------------- errors and colour

#[test]
fn missing_file_is_exit_2() {
    for args in [
        &["validate", "tests/fixtures/no-such.yaml"][..],
        &["plan", "tests/fixtures/no-such.yaml"],
        &["critical-path", "tests/fixtures/no-such.yaml"],
        &["graph", "tests/fixtures/no-such.yaml"],
        &["plan", SMALL, "--status", "tests/fixtures/no-such.yaml"],
    ] {
        let r = run(args);
        assert_eq!(r.code, Some(2), "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("no-such.yaml"), "{args:?}: {}", r.stderr);
    }
    let r = run(&["validate", "tests/fixtures/no-such.yaml"]);
    assert_eq!(
        r.stderr,
        "error: no such file or directory: tests/fixtures/no-such.yaml\n"
    );
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(run(&["validate"]).code, Some(2));
    assert_eq!(run(&["plan", "--format", "xml", SMALL]).code, Some(2));
    assert_eq!(run(&["frobnicate"]).code, Some(2));
}

#[test]
fn invalid_runbook_stops_plan_with_exit_1() {
    let r = run(&[
        "plan",
        "--color",
        "never",
        "tests/fixtures/diagnostics/E021-unknown-dependency.yaml",
    ]);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("error[E021]"));
}

#[test]
fn warnings_do_not_stop_plan() {
    let r = run(&[
        "plan",
        "--format",
        "csv",
        "tests/fixtures/diagnostics/W001-missing-owner.yaml",
    ]);
    assert_eq!(r.code, Some(0));
    assert!(r.stdout.starts_with("id,"));
    assert_eq!(
        r.stderr,
        "note: 1 warning in tests/fixtures/diagnostics/W001-missing-owner.yaml; `cutover validate` lists them\n"
    );
}

#[test]
fn color_flag() {
    let w001 = "tests/fixtures/diagnostics/W001-missing-owner.yaml";
    let r = run(&["validate", "--color", "always", w001]);
    assert!(has_ansi(&r.stderr));
    let r = run(&["validate", "--color", "never", w001]);
    assert!(!has_ansi(&r.stderr));
    assert!(has_ansi(&ok(&["plan", "--color", "always", SMALL])));
    // Auto: not a terminal here, so no colour.
    assert!(!has_ansi(&ok(&["plan", SMALL])));
    assert!(!has_ansi(&run(&["validate", w001]).stderr));
}

/// `NO_COLOR` turns colour off on a terminal. Needs a pseudo-terminal: uses
/// util-linux `script`, and is skipped where that is missing.
#[test]
fn no_color_is_honoured_on_a_terminal() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: util-linux `script` is not available");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("cutover");
    let on_tty = |args: &str, no_color: Option<&str>| -> String {
        let mut cmd = std::process::Command::new("script");
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let plan = format!("plan {SMALL}");
    let validate = "validate tests/fixtures/diagnostics/W001-missing-owner.yaml";
    assert!(
        has_ansi(&on_tty(&plan, None)),
        "plan on a terminal has colour"
    );
    assert!(has_ansi(&on_tty(validate, None)));
    assert!(!has_ansi(&on_tty(&plan, Some("1"))), "NO_COLOR=1");
    assert!(!has_ansi(&on_tty(validate, Some("1"))));
    // An empty NO_COLOR does not count (no-color.org).
    assert!(has_ansi(&on_tty(&plan, Some(""))));
    // An explicit --color always still wins.
    assert!(has_ansi(&on_tty(
        &format!("{plan} --color always"),
        Some("1")
    )));
}

#[test]
fn schema_is_json() {
    for args in [
        &["schema"][..],
        &["schema", "--status"],
        &["schema", "--include"],
    ] {
        let schema = json(args);
        assert!(schema["title"].is_string(), "{args:?}");
    }
}

#[test]
fn plan_tag_filter_lists_exactly_the_tagged_tasks() {
    const ACUTE: &str = "runbooks/northgate-acute.yaml";
    let all = json(&["plan", "--format", "json", ACUTE]);
    let tagged = json(&["plan", "--format", "json", "--tag", "readiness", ACUTE]);
    let with_tag = |plan: &Value| -> Vec<String> {
        plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                t["tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|g| g == "readiness")
            })
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let expected = with_tag(&all);
    assert!(!expected.is_empty());
    assert_eq!(with_tag(&tagged), expected);
    assert_eq!(tagged["tasks"].as_array().unwrap().len(), expected.len());
    let r = run(&["plan", "--tag", "readines", ACUTE]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("did you mean `readiness`?"),
        "{}",
        r.stderr
    );
}
