//! One broken runbook (or status file) per diagnostic code, run through the binary.
//!
//! Fixtures are named `<CODE>-<short-name>.yaml`; the code is taken from the file name.
//! Runbook fixtures live in `tests/fixtures/diagnostics/` (included files in its
//! `includes/` folder); codes only a status file can produce live in
//! `tests/fixtures/status/` as `<CODE>-<short-name>.status.yaml`, next to the small
//! valid `runbook.yaml` they describe.
//!
//! Each fixture's output is snapshotted (`tests/snapshots/`). To accept new or changed
//! output: `INSTA_UPDATE=always cargo test --test diagnostics`, then read the diff.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::cutover;
use cutover::diagnostic::{Code, Level};

const RUNBOOK_FIXTURES: &str = "tests/fixtures/diagnostics";
const STATUS_FIXTURES: &str = "tests/fixtures/status";
const STATUS_RUNBOOK: &str = "tests/fixtures/status/runbook.yaml";

/// Codes the scheduler reports (`cutover plan`), not `cutover validate`.
const PLAN_ONLY: &[&str] = &["E046"];

/// Codes that are reported but never shown: see `status_fixtures_report_their_code`.
const HIDDEN_WARNINGS: &[&str] = &[];

/// Fixture files directly in `dir` (relative to the crate root) whose names end in
/// `suffix`, sorted.
fn fixtures(dir: &str, suffix: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|name| name.ends_with(suffix))
        .map(|name| format!("{dir}/{name}"))
        .collect();
    out.sort();
    out
}

/// `E021` from `tests/fixtures/diagnostics/E021-unknown-dependency.yaml`.
fn code_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap();
    let code = name.split('-').next().unwrap();
    assert!(
        code.len() == 4 && (code.starts_with('E') || code.starts_with('W')),
        "fixture {path} is not named <CODE>-<short-name>.yaml"
    );
    code
}

/// `E021-unknown-dependency` from the path: the snapshot name.
fn stem_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap();
    name.trim_end_matches(".yaml").trim_end_matches(".status")
}

fn code(code: &str) -> Code {
    *Code::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .unwrap_or_else(|| panic!("{code} is not a code in src/diagnostic.rs"))
}

/// Exit code `validate` (or `plan`) gives when the only problem has `code`.
fn expected_exit(code: Code) -> i32 {
    match code.level() {
        Level::Error => 1,
        Level::Warning => 0,
    }
}

/// Codes in human output: `error[E021]: ...` and `warning[W002]: ...`.
fn human_codes(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| {
            let rest = l
                .strip_prefix("error[")
                .or_else(|| l.strip_prefix("warning["))?;
            Some(rest.split(']').next()?.to_owned())
        })
        .collect()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn every_code_has_a_fixture() {
    let mut have: BTreeSet<&str> = BTreeSet::new();
    for f in fixtures(RUNBOOK_FIXTURES, ".yaml") {
        have.insert(code(code_of(&f)).as_str());
    }
    for f in fixtures(STATUS_FIXTURES, ".status.yaml") {
        have.insert(code(code_of(&f)).as_str());
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !have.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a fixture in {RUNBOOK_FIXTURES} or {STATUS_FIXTURES}: {missing:?}"
    );
}

#[test]
fn code_list_matches_the_source() {
    // `Code::ALL` is generated from the `codes!` table; check it against the source
    // text too, so a code added outside the table would be noticed.
    let source = include_str!("../src/diagnostic.rs");
    let in_source: Vec<&str> = source
        .lines()
        .filter_map(|l| {
            let rest = l.trim().split_once("= (\"")?.1;
            rest.split('"').next()
        })
        .collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(in_source, all);
    assert!(all.len() >= 35, "parsed only {} codes", all.len());
}

#[test]
fn runbook_fixtures_report_their_code() {
    let files = fixtures(RUNBOOK_FIXTURES, ".yaml");
    assert!(files.len() >= 35, "only {} fixtures found", files.len());
    for path in &files {
        let expected = code_of(path);
        let stem = stem_of(path);
        if PLAN_ONLY.contains(&expected) {
            check_plan_only(path, expected, stem);
            continue;
        }
        let exit = expected_exit(code(expected));

        // Human output, on standard error.
        let out = cutover()
            .args(["validate", "--color", "never", path])
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(exit), "{path}: exit code\n{stderr}");
        assert!(out.stdout.is_empty(), "{path}: human output on stdout");
        let codes = human_codes(&stderr);
        assert!(
            codes.contains(expected),
            "{path}: {expected} missing from the output\n{stderr}"
        );
        assert_eq!(
            codes,
            BTreeSet::from([expected.to_owned()]),
            "{path}: should report {expected} only\n{stderr}"
        );
        insta::assert_snapshot!(format!("{stem}.human"), stderr);

        // JSON, on standard output.
        let out = cutover()
            .args(["validate", "--format", "json", path])
            .output()
            .unwrap();
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(exit), "{path}: JSON exit code");
        let json: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{path}: not JSON ({e})\n{stdout}"));
        assert_eq!(json["valid"], exit == 0, "{path}: `valid`");
        let diagnostics = json["diagnostics"].as_array().unwrap();
        assert!(
            diagnostics.iter().any(|d| d["code"] == expected),
            "{path}: {expected} missing from the JSON\n{stdout}"
        );
        for d in diagnostics {
            assert_eq!(
                d["runbook"],
                path.as_str(),
                "{path}: `runbook` is the path given"
            );
            assert_eq!(d["name"], code(expected).name());
            assert!(d["line"].as_u64().unwrap() >= 1);
            assert!(d["column"].as_u64().unwrap() >= 1);
        }
        insta::assert_snapshot!(format!("{stem}.json"), stdout);
    }
}

/// A code only the scheduler reports: `validate` passes the runbook, `plan` refuses it.
fn check_plan_only(path: &str, expected: &str, stem: &str) {
    let out = cutover()
        .args(["validate", "--format", "json", path])
        .output()
        .unwrap();
    // Current behaviour, documented: validate does not schedule, so it cannot see this.
    assert_eq!(out.status.code(), Some(0), "{path}: validate");
    insta::assert_snapshot!(format!("{stem}.json"), text(&out.stdout));

    let out = cutover()
        .args([
            "plan",
            "--color",
            "never",
            "--as-of",
            "2027-01-04T09:00",
            path,
        ])
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{path}: plan exit code\n{stderr}"
    );
    assert!(out.stdout.is_empty(), "{path}: plan printed a plan");
    assert_eq!(
        human_codes(&stderr),
        BTreeSet::from([expected.to_owned()]),
        "{path}: plan should report {expected} only\n{stderr}"
    );
    insta::assert_snapshot!(format!("{stem}.human"), stderr);
}

#[test]
fn status_runbook_is_valid() {
    cutover()
        .args(["validate", "--color", "never", STATUS_RUNBOOK])
        .assert()
        .code(0)
        .stderr("1 runbook checked: 0 invalid, 0 errors, 0 warnings\n");
}

#[test]
fn status_fixtures_report_their_code() {
    let files = fixtures(STATUS_FIXTURES, ".status.yaml");
    assert!(!files.is_empty());
    for path in &files {
        let expected = code_of(path);
        let stem = stem_of(path);
        // A fixture may ask for more arguments in a first-line comment `# args: ...`.
        let text_of_fixture = std::fs::read_to_string(path).unwrap();
        let extra: Vec<&str> = text_of_fixture
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# args:"))
            .map(|a| a.split_whitespace().collect())
            .unwrap_or_default();
        let out = cutover()
            .args([
                "plan",
                "--color",
                "never",
                "--format",
                "csv",
                STATUS_RUNBOOK,
                "--status",
                path,
            ])
            .args(&extra)
            .output()
            .unwrap();
        let stderr = text(&out.stderr);
        let exit = expected_exit(code(expected));
        assert_eq!(out.status.code(), Some(exit), "{path}: exit code\n{stderr}");
        if exit == 1 {
            assert!(out.stdout.is_empty(), "{path}: a plan was printed");
        }
        if HIDDEN_WARNINGS.contains(&expected) {
            // KNOWN BUG: status-file warnings are counted but never printed. `plan`
            // only says "note: 1 warning in <runbook>; `cutover validate` lists them",
            // naming the runbook instead of the status file, and `validate` takes no
            // status file, so nothing ever shows the warning. When fixed, remove the
            // code from HIDDEN_WARNINGS so that the check below applies.
            assert!(
                stderr.contains("note: 1 warning in"),
                "{path}: the warning note is missing\n{stderr}"
            );
        } else {
            assert_eq!(
                human_codes(&stderr),
                BTreeSet::from([expected.to_owned()]),
                "{path}: should report {expected} only\n{stderr}"
            );
        }
        insta::assert_snapshot!(format!("status-{stem}.human"), stderr);
    }
}
