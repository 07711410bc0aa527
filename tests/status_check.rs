//! A status file checked like the runbook (issue 12, item 2): names no gate uses get a
//! warning with the nearest one, `validate` recognises a status file and checks it with
//! its runbook (or alone), and a criterion with no reading says why in its reason.

use crate::common::{cutover, diagnostic_places as codes_at, run_parts};

const DIR: &str = "tests/fixtures/status_check";

fn path(name: &str) -> String {
    format!("{DIR}/{name}")
}

#[test]
fn typos_in_metric_and_signoff_names_are_warned_with_the_nearest_name() {
    let status = path("cutover.status.yaml");
    let (code, stdout, stderr) = run_parts(&["validate", "--color", "never", &status]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("did you mean `training.completion_pct`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `dcb0160-safety-case`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("checked against tests/fixtures/status_check/cutover.yaml (the runbook of the same name beside it)"),
        "{stderr}"
    );
    insta::assert_snapshot!("typos.human", stderr);

    let (code, stdout, _) = run_parts(&["validate", "--format", "json", &status]);
    assert_eq!(code, 0);
    assert_eq!(
        codes_at(&stdout),
        [("W011".to_owned(), 5, 3), ("W012".to_owned(), 7, 3)]
    );

    // `--strict` makes the typos fail the check, as in a pre-commit hook.
    let (code, _, _) = run_parts(&["validate", "--strict", "--color", "never", &status]);
    assert_eq!(code, 1);
}

#[test]
fn validate_runbook_with_status_checks_both() {
    let (code, stdout, stderr) = run_parts(&[
        "validate",
        "--format",
        "json",
        &path("cutover.yaml"),
        "--status",
        &path("cutover.status.yaml"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["runbooks"], 1);
    assert_eq!(json["summary"]["status_files"], 1);
    assert_eq!(json["summary"]["warnings"], 2);
    assert_eq!(json["status_files"][0]["found_by"], "status");
    assert_eq!(json["status_files"][0]["runbook"], path("cutover.yaml"));
    assert_eq!(
        codes_at(&stdout),
        [("W011".to_owned(), 5, 3), ("W012".to_owned(), 7, 3)]
    );
}

#[test]
fn a_status_file_is_found_through_its_runbook_field() {
    let (code, _, stderr) =
        run_parts(&["validate", "--color", "never", &path("named.status.yaml")]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "note: tests/fixtures/status_check/named.status.yaml checked against \
         tests/fixtures/status_check/cutover.yaml (the runbook in its folder named by its `runbook:` field)\n\
         1 status file checked: 0 invalid, 0 errors, 0 warnings\n"
    );
}

#[test]
fn a_status_file_without_a_runbook_is_checked_alone() {
    let status = path("alone/alone.status.yaml");
    let (code, stdout, stderr) = run_parts(&["validate", "--color", "never", &status]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    // Not "unknown field `as_of`" and a list of runbook fields.
    assert!(!stderr.contains("unknown field"), "{stderr}");
    assert!(
        stderr.contains("checked alone (no runbook found)"),
        "{stderr}"
    );
    insta::assert_snapshot!("alone.human", stderr);
    let (_, stdout, _) = run_parts(&["validate", "--format", "json", &status]);
    assert_eq!(codes_at(&stdout), [("E041".to_owned(), 5, 20)]);

    // Given the runbook, its task ids are checked too.
    let (code, stdout, _) = run_parts(&[
        "validate",
        "--format",
        "json",
        &status,
        "--runbook",
        &path("cutover.yaml"),
    ]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["status_files"][0]["found_by"], "argument");
    let codes = codes_at(&stdout);
    assert!(codes.contains(&("E041".to_owned(), 5, 20)), "{codes:?}");
    assert!(codes.contains(&("W006".to_owned(), 2, 10)), "{codes:?}");
}

#[test]
fn a_status_file_is_recognised_by_its_as_of_whatever_its_name() {
    let (code, _, stderr) = run_parts(&[
        "validate",
        "--color",
        "never",
        &path("alone/not-named-status.yaml"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.ends_with("1 status file checked: 0 invalid, 0 errors, 0 warnings\n"),
        "{stderr}"
    );
}

#[test]
fn status_takes_one_runbook() {
    cutover()
        .args([
            "validate",
            &path("cutover.yaml"),
            "tests/fixtures/status/runbook.yaml",
            "--status",
            &path("cutover.status.yaml"),
        ])
        .assert()
        .code(2);
}

#[test]
fn a_criterion_without_a_reading_says_the_status_file_has_none() {
    let args = |format: &'static str| {
        [
            "gates",
            "--color",
            "never",
            "--format",
            format,
            "tests/fixtures/status_check/cutover.yaml",
            "--status",
            "tests/fixtures/status_check/cutover.status.yaml",
        ]
    };
    let metric = "no reading of `training.completion_pct` (the status file has no entry for it under `metrics:`)";
    let signoff = "`dcb0160-safety-case` not yet signed by Clinical Safety Officer (the status file has no entry for it under `signoffs:`)";
    for format in ["table", "markdown", "json", "html"] {
        let (_, stdout, stderr) = run_parts(&args(format));
        assert!(!stdout.is_empty(), "{format}: {stderr}");
        // Markdown and HTML mark up the ids; the words are the same.
        assert!(
            stdout
                .matches("the status file has no entry for it under")
                .count()
                >= 2,
            "{format}: both reasons\n{stdout}"
        );
        if matches!(format, "table" | "json") {
            assert!(
                stdout.contains(metric),
                "{format}: the metric's reason\n{stdout}"
            );
            assert!(
                stdout.contains(signoff),
                "{format}: the sign-off's reason\n{stdout}"
            );
        }
    }
    // Without a status file, the reason says so.
    let (_, stdout, _) = run_parts(&[
        "gates",
        "--format",
        "json",
        "--as-of",
        "2027-01-04T17:00",
        "tests/fixtures/status_check/cutover.yaml",
    ]);
    assert!(
        stdout.contains("no reading of `training.completion_pct` (no status file was given)"),
        "{stdout}"
    );
}
