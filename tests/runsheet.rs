//! `cutover runsheet`: the printed sheet for the cutover weekend. A small runbook
//! (`tests/fixtures/runsheet/weekend.yaml`: two workstreams over Saturday and Sunday,
//! notes, a point of no return with a rollback time) and its status file on Saturday
//! evening.

use crate::common::{ok, run_parts};

const RUNBOOK: &str = "tests/fixtures/runsheet/weekend.yaml";
const STATUS: &str = "tests/fixtures/runsheet/weekend.status.yaml";

fn sheet(extra: &[&str]) -> String {
    let mut args = vec!["runsheet", RUNBOOK];
    args.extend_from_slice(extra);
    ok(&args)
}

/// The CSV's records as maps from column to cell.
fn records(csv_text: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn ids(csv_text: &str) -> Vec<String> {
    records(csv_text)
        .into_iter()
        .filter(|r| r["kind"] == "task")
        .map(|r| r["id"].clone())
        .collect()
}

#[test]
fn markdown_of_the_window() {
    let md = sheet(&["--format", "markdown"]);
    insta::assert_snapshot!("markdown_window", md);
}

#[test]
fn csv_from_the_status_file() {
    let csv = sheet(&["--status", STATUS, "--format", "csv"]);
    insta::assert_snapshot!("csv_status", csv);
}

#[test]
fn the_window_by_default_a_task_before_it_left_out() {
    // `links-off` runs on Friday evening, before the window opens on Saturday at 18:00;
    // `hypercare` starts before the window closes and is listed.
    assert_eq!(
        ids(&sheet(&["--format", "csv"])),
        [
            "pas-freeze",
            "final-extract",
            "load",
            "interfaces",
            "epr-live",
            "hypercare"
        ]
    );
    let md = sheet(&[]);
    assert!(
        md.contains("(the cutover window opens) to Sun 13 Jun 2027 07:00 (the window closes)"),
        "{md}"
    );
    assert!(md.contains("6 of the runbook's 7"), "{md}");
}

#[test]
fn from_and_to_override_the_window_and_say_so() {
    let csv = sheet(&[
        "--from",
        "2027-06-11T19:00",
        "--to",
        "T-9h",
        "--format",
        "csv",
    ]);
    assert_eq!(
        ids(&csv),
        ["links-off", "pas-freeze", "final-extract", "load"]
    );
    let md = sheet(&["--from", "2027-06-11T19:00", "--to", "T-9h"]);
    assert!(
        md.contains("Fri 11 Jun 2027 19:00 (--from) to Sat 12 Jun 2027 22:00 (--to)"),
        "{md}"
    );
    // The rollback deadline (Sunday 04:00) is outside the span.
    assert!(!md.contains("**ROLLBACK DEADLINE**"), "{md}");
}

#[test]
fn filters_by_workstream_owner_and_tag_and_say_so() {
    let by_ws = sheet(&["--workstream", "data-migration", "--format", "csv"]);
    assert_eq!(ids(&by_ws), ["final-extract", "load"]);
    let by_owner = sheet(&["--owner", "okafor", "--format", "csv"]);
    assert_eq!(ids(&by_owner), ["pas-freeze", "interfaces", "epr-live"]);
    let by_tag = sheet(&["--tag", "interfaces", "--tag", "freeze", "--format", "csv"]);
    assert_eq!(ids(&by_tag), ["pas-freeze", "interfaces"]);
    // The rollback deadline follows its task: not on the technical sheet.
    let deadlines = |csv: &str| {
        records(csv)
            .iter()
            .filter(|r| r["kind"] == "rollback_deadline")
            .count()
    };
    assert_eq!(deadlines(&by_owner), 0, "{by_owner}");
    assert_eq!(deadlines(&by_ws), 1, "{by_ws}");
    let md = sheet(&["--workstream", "data-migration", "--tag", "load"]);
    assert!(
        md.contains("only workstream data-migration; tagged load"),
        "{md}"
    );
    assert!(md.contains("1 of the runbook's 7"), "{md}");
}

#[test]
fn an_unknown_filter_is_a_usage_error_with_a_suggestion() {
    for (flag, value, said) in [
        (
            "--workstream",
            "data-migraton",
            "--workstream data-migraton: no workstream has this id (did you mean `data-migration`?)",
        ),
        (
            "--tag",
            "interface",
            "--tag interface: no task has this tag (did you mean `interfaces`?)",
        ),
        (
            "--owner",
            "Sam Okafur",
            "--owner Sam Okafur: no task's owner contains this (did you mean `Sam Okafor`?)",
        ),
    ] {
        let (code, out, err) = run_parts(&["runsheet", RUNBOOK, flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {err}");
        assert_eq!(out, "");
        assert!(err.contains(said), "{flag} {value}: {err}");
    }
}

#[test]
fn a_span_that_ends_before_it_starts_is_refused() {
    let (code, _, err) = run_parts(&["runsheet", RUNBOOK, "--from", "T-2h", "--to", "T-3h"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("would end (Sun 13 Jun 2027 04:00) before it starts"),
        "{err}"
    );
    let (code, _, err) = run_parts(&["runsheet", RUNBOOK, "--from", "Friday"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--from Friday: `Friday` is not a date and time"),
        "{err}"
    );
}

#[test]
fn html_escapes_runbook_text_and_prints_a_page_per_day() {
    let html = sheet(&["--format", "html"]);
    assert!(
        html.contains("=1+1 is what a spreadsheet would run; &lt;script&gt;alert('x')&lt;/script&gt; &amp; friends stay text."),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("@page { size: A4 landscape;"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert!(html.contains("section.day + section.day { break-before: page;"));
    assert_eq!(html.matches("<section class=\"day\">").count(), 2);
    assert_eq!(
        html.matches("<thead>").count(),
        3,
        "points of no return and two days"
    );
    assert!(html.contains("<span class=\"mark ponr\">POINT OF NO RETURN</span>"));
    assert!(html.contains("<span class=\"mark deadline\">ROLLBACK DEADLINE</span>"));
}

#[test]
fn csv_dates_and_numbers_parse_and_formulas_are_neutralised() {
    let csv = sheet(&["--status", STATUS, "--format", "csv"]);
    let rows = records(&csv);
    assert_eq!(rows.len(), 7, "six tasks and one rollback deadline");
    let local = |text: &str| jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", text).unwrap();
    for r in &rows {
        let start = local(&r["start"]);
        assert_eq!(start.date().to_string(), r["date"], "{r:?}");
        assert_eq!(r["time_zone"], "Europe/London");
        if r["kind"] == "task" {
            let finish = local(&r["finish"]);
            assert!(finish >= start, "{r:?}");
            let hours: f64 = r["duration_hours"].parse().unwrap();
            let minutes: i64 = r["duration_minutes"].parse().unwrap();
            assert!((hours * 60.0 - minutes as f64).abs() < 0.5, "{r:?}");
        }
    }
    let load = rows
        .iter()
        .find(|r| r["kind"] == "task" && r["id"] == "load")
        .unwrap();
    assert!(load["instructions"].starts_with("'=1+1 "), "{load:?}");
    assert_eq!(load["point_of_no_return"], "yes");
    assert_eq!(load["rollback_hours"].parse::<f64>().unwrap(), 3.0);
    assert_eq!(local(&load["rollback_deadline"]), local("2027-06-13 04:00"));
    assert_eq!(
        load["predecessors"],
        "Final extract, patients and appointments; Freeze legacy PAS to read-only SS+1h elapsed"
    );
    // From the status file: the freeze is done (actual times), the extract running.
    let extract = rows.iter().find(|r| r["id"] == "final-extract").unwrap();
    assert_eq!(
        (extract["started"].as_str(), extract["done"].as_str()),
        ("yes", "")
    );
    assert_eq!(extract["start"], "2027-06-12 18:45");
    let freeze = rows.iter().find(|r| r["id"] == "pas-freeze").unwrap();
    assert_eq!(
        (freeze["started"].as_str(), freeze["done"].as_str()),
        ("yes", "yes")
    );
    assert_eq!(freeze["finish"], "2027-06-12 18:40");
    // Blank columns to write in.
    assert!(
        rows.iter()
            .all(|r| r["actual_start"].is_empty() && r["actual_finish"].is_empty())
    );
}

#[test]
fn the_board_paper_shows_notes_where_it_names_a_task() {
    let md = ok(&[
        "report", RUNBOOK, "--status", STATUS, "--format", "markdown",
    ]);
    assert!(
        md.contains(
            "  - Final extract, patients and appointments: Rehearsal 2 took 3h10m. Row counts every 30 minutes to the bridge.\n"
        ),
        "{md}"
    );
    assert!(md.contains("| Notes |") || md.contains("| Notes "), "{md}");
    let html = ok(&["report", RUNBOOK, "--status", STATUS, "--format", "html"]);
    // The point of no return, with its notes escaped.
    assert!(
        html.contains(
            "<span class=\"detail\">=1+1 is what a spreadsheet would run; &lt;script&gt;"
        ),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("<h3>Notes on the driving path</h3>"),
        "{html}"
    );
}
