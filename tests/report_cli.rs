//! `cutover gates` and `cutover report`: decisions as exit codes, every format, escaping
//! of runbook text, and snapshots of the shipped runbooks' reports.

use crate::common::run_parts as run;

const SMALL: &str = "tests/fixtures/report/small.yaml";

fn status(name: &str) -> String {
    format!("tests/fixtures/report/{name}.status.yaml")
}

#[test]
fn exit_code_gives_the_decision_only_when_asked() {
    for (name, code, label) in [
        ("go", 0, "GO"),
        ("conditions", 3, "GO WITH CONDITIONS"),
        ("no-go", 4, "NO-GO"),
    ] {
        let s = status(name);
        let (rc, out, _) = run(&["report", SMALL, "--status", &s, "--exit-code"]);
        assert_eq!(rc, code, "{name}: {out}");
        assert!(out.contains(&format!("Decision:   {label}\n")), "{out}");
        let (rc, _, _) = run(&["report", SMALL, "--status", &s]);
        assert_eq!(rc, 0, "{name} without --exit-code");
        let (rc, _, _) = run(&["gates", SMALL, "--status", &s, "--exit-code"]);
        assert_eq!(rc, code, "gates {name}");
    }
}

#[test]
fn every_no_go_reason_names_its_source() {
    let (_, out, _) = run(&[
        "report",
        SMALL,
        "--status",
        &status("no-go"),
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["decision"], "NO-GO");
    let reasons = doc["reasons"].as_array().unwrap();
    assert_eq!(reasons.len(), 2, "{reasons:#?}");
    assert_eq!(reasons[0]["weight"], "no_go");
    assert_eq!(reasons[0]["source"]["kind"], "criterion");
    assert_eq!(reasons[0]["source"]["gate"], "g1");
    assert_eq!(reasons[1]["source"]["kind"], "task");
    assert_eq!(reasons[1]["source"]["task"], "b");
    // Gate g1 is due (day 2) and fails; g2 (T-12h) is not yet due.
    assert_eq!(doc["gates"][0]["result"], "fail");
    assert_eq!(doc["gates"][0]["is_due"], true);
    assert_eq!(doc["gates"][1]["result"], "not yet due");
    let recon = &doc["gates"][0]["criteria"][0];
    assert_eq!(recon["measured"]["value"], 97.0);
    assert_eq!(recon["needed"], ">= 99");
    assert_eq!(recon["severity"], "blocker");
}

#[test]
fn html_escapes_runbook_text() {
    let (rc, html, _) = run(&[
        "report",
        SMALL,
        "--status",
        &status("no-go"),
        "--format",
        "html",
    ]);
    assert_eq!(rc, 0);
    assert!(!html.contains("<script>"), "a runbook's text became markup");
    assert!(!html.contains("<img"), "a runbook's text became markup");
    assert!(!html.contains("<i>%"), "a runbook's text became markup");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Load server down &lt;again&gt;"));
    assert!(html.contains("Test &amp; Trust"));
    // Self-contained: no scripts, nothing fetched.
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http"));
    assert!(!html.contains("<link"));
    assert!(html.contains("<svg"));
    assert!(html.contains("Decision: NO-GO"));
}

#[test]
fn markdown_escapes_runbook_text() {
    let (_, md, _) = run(&[
        "report",
        SMALL,
        "--status",
        &status("no-go"),
        "--format",
        "markdown",
    ]);
    assert!(
        md.starts_with("# Go/no-go: Report test \\<script\\>"),
        "{md}"
    );
    assert!(md.contains("> **Decision: NO-GO**"));
    assert!(!md.contains("<script>"));
}

#[test]
fn out_writes_the_report_atomically_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("paper.html");
    std::fs::write(&path, "previous").unwrap();
    let (rc, out, err) = run(&[
        "report",
        SMALL,
        "--status",
        &status("go"),
        "--format",
        "html",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.is_empty());
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "temporary files left behind");
}

#[test]
fn a_broken_status_file_gives_exit_1_and_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.status.yaml");
    std::fs::write(&bad, "as_of: 2027-01-06T12:00\nmetrics:\n  recon: lots\n").unwrap();
    let (rc, out, err) = run(&["report", SMALL, "--status", bad.to_str().unwrap()]);
    assert_eq!(rc, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("bad.status.yaml:3:"), "{err}");
}

/// The shipped runbooks with their status files, in every format.
#[test]
fn shipped_reports() {
    let shipped = ["northgate-acute", "riverside-mh-community"];
    for name in shipped {
        let runbook = format!("runbooks/{name}.yaml");
        let status = format!("runbooks/{name}.status.yaml");
        for format in ["table", "markdown", "json", "html"] {
            let (rc, out, err) =
                run(&["report", &runbook, "--status", &status, "--format", format]);
            assert_eq!(rc, 0, "{name} {format}: {err}");
            insta::assert_snapshot!(format!("report-{name}-{format}"), out);
        }
        for format in ["table", "markdown"] {
            let (rc, out, err) = run(&["gates", &runbook, "--status", &status, "--format", format]);
            assert_eq!(rc, 0, "{name} {format}: {err}");
            insta::assert_snapshot!(format!("gates-{name}-{format}"), out);
        }
        // `gates` gives the report's JSON and HTML, byte for byte.
        for format in ["json", "html"] {
            let args = ["--status", &status, "--format", format];
            let (rc, gates, err) = run(&[&["gates", &runbook][..], &args].concat());
            assert_eq!(rc, 0, "{name} {format}: {err}");
            let (_, report, _) = run(&[&["report", &runbook][..], &args].concat());
            assert!(
                gates == report,
                "{name}: gates and report differ in {format}"
            );
        }
    }
}
