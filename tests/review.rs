//! Runbook review in pull requests: `cutover lint` on `tests/fixtures/lint/` (a fixture
//! per lint code) and `cutover diff` on pairs from `tests/fixtures/diff/`, including
//! `diff --git` on a temporary repository.
//!
//! Snapshots are in `tests/snapshots/`; accept changes with
//! `INSTA_UPDATE=always cargo test --test integration review::` and read the diff.

use std::path::Path;

use cutover::lint::Check;
use serde_json::Value;

use crate::common::{Run, cutover, run};

/// Runs `cutover ARGS` in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = cutover().current_dir(dir).args(args).output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let r = run(args);
    let value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: {e}\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        )
    });
    (r.code, value)
}

const LINT: &str = "tests/fixtures/lint";
const DIFF: &str = "tests/fixtures/diff";

fn lint_fixture(check: Check) -> String {
    format!("{LINT}/{}-{}.yaml", check.code(), check.name())
}

/// `(code, waived)` of every finding of the one runbook linted.
fn findings(value: &Value) -> Vec<(String, bool)> {
    value["runbooks"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                !f["waived"].is_null(),
            )
        })
        .collect()
}

#[test]
fn every_lint_code_has_a_fixture_that_finds_it() {
    for &check in Check::ALL {
        let path = lint_fixture(check);
        assert!(Path::new(&path).is_file(), "no fixture {path}");
        let mut args = vec!["lint", path.as_str(), "--format", "json"];
        let status = path.replace(".yaml", ".status.yaml");
        if Path::new(&status).is_file() {
            args.extend(["--status", status.as_str()]);
        }
        let (code, value) = json(&args);
        let found = findings(&value);
        assert!(
            found.iter().any(|(c, waived)| c == check.code() && !waived),
            "{path}: {found:?}"
        );
        // Every finding at a level that fails the run is of this fixture's code, or
        // (for a waiver without a reason) the finding it failed to waive.
        for f in value["runbooks"][0]["findings"].as_array().unwrap() {
            if f["level"] != "note" {
                let c = f["code"].as_str().unwrap();
                assert!(
                    c == check.code() || (check == Check::InvalidWaiver && c == "L003"),
                    "{path}: also {c}"
                );
            }
        }
        let expected = i32::from(check.default_level() != cutover::lint::Level::Note);
        assert_eq!(code, Some(expected), "{path}");
    }
}

#[test]
fn docs_lint_md_documents_every_check_in_order() {
    let docs = std::fs::read_to_string("docs/lint.md").unwrap();
    let headings: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("### L"))
        .collect();
    let expected: Vec<String> = Check::ALL
        .iter()
        .map(|c| format!("{} {}", &c.code()[1..], c.name()))
        .collect();
    assert_eq!(headings, expected);
    for &c in Check::ALL {
        assert!(
            docs.contains(&format!("`{}`", lint_fixture(c))),
            "docs/lint.md does not name the fixture of {}",
            c.code()
        );
    }
}

#[test]
fn a_clean_runbook_passes_every_check() {
    let (code, value) = json(&["lint", &format!("{LINT}/clean.yaml"), "--format", "json"]);
    assert_eq!(code, Some(0));
    assert_eq!(findings(&value), Vec::<(String, bool)>::new());
    let outcomes: Vec<(&str, &str)> = value["runbooks"][0]["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["code"].as_str().unwrap(), s["outcome"].as_str().unwrap()))
        .collect();
    for (code, outcome) in outcomes {
        let expected = if code == "L011" { "not-run" } else { "pass" };
        assert_eq!(outcome, expected, "{code}");
    }
}

#[test]
fn the_shipped_runbooks_pass_lint_at_the_default_level() {
    let r = run(&["lint", "runbooks/"]);
    assert_eq!(r.code, Some(0), "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("3 runbooks linted: 0 errors, 0 warnings"),
        "{}",
        r.stdout
    );
    // With their status files too.
    for name in ["northgate-acute", "riverside-mh-community"] {
        let runbook = format!("runbooks/{name}.yaml");
        let status = format!("runbooks/{name}.status.yaml");
        let r = run(&[
            "lint",
            &runbook,
            "--status",
            &status,
            "--fail-level",
            "error",
        ]);
        // Riverside is written to be NO-GO: scheduled from its data date, the plan
        // no longer fits, which negative float reports.
        let expected = i32::from(name == "riverside-mh-community");
        assert_eq!(r.code, Some(expected), "{name}:\n{}", r.stdout);
    }
}

#[test]
fn a_waiver_with_a_reason_waives_the_finding_and_shows_why() {
    let (code, value) = json(&["lint", &format!("{LINT}/waived.yaml"), "--format", "json"]);
    assert_eq!(code, Some(0));
    let f = &value["runbooks"][0]["findings"][0];
    assert_eq!(f["code"], "L003");
    assert_eq!(f["level"], "warning");
    assert_eq!(
        f["waived"],
        "the supplier needs two weeks' notice to staff the rehearsal"
    );
    let l003 = &value["runbooks"][0]["summary"][2];
    assert_eq!(
        (l003["count"].as_u64(), l003["waived"].as_u64()),
        (Some(0), Some(1))
    );
    assert_eq!(l003["outcome"], "pass");
}

#[test]
fn settings_come_from_cutover_toml_then_the_runbook() {
    let (code, value) = json(&[
        "lint",
        &format!("{LINT}/settings/runbook.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0));
    let r = &value["runbooks"][0];
    assert_eq!(r["config"], format!("{LINT}/settings/cutover.toml"));
    let row = |code: &str| {
        r["summary"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == code)
            .unwrap()
            .clone()
    };
    // cutover.toml: the 2w lag is within 3w; high float is off.
    assert_eq!(row("L003")["threshold"], "3w");
    assert_eq!(row("L003")["settings_from"], "cutover.toml");
    assert_eq!(row("L003")["outcome"], "pass");
    assert_eq!(row("L006")["outcome"], "off");
    // The runbook overrides cutover.toml's 10% with 40%: one constrained task in five
    // passes, and its finding is a note.
    assert_eq!(row("L005")["max_share"], 40.0);
    assert_eq!(row("L005")["settings_from"], "runbook");
    assert_eq!(row("L005")["outcome"], "pass");
    assert_eq!(r["findings"][0]["level"], "note");
    assert_eq!(row("L002")["level"], "error");
}

#[test]
fn fail_level_picks_the_lowest_level_that_fails() {
    let l003 = lint_fixture(Check::LongLag);
    let l009 = lint_fixture(Check::NoRollback);
    let l091 = lint_fixture(Check::UnusedWaiver);
    let code = |path: &str, level: &str| run(&["lint", path, "--fail-level", level]).code;
    assert_eq!(code(&l003, "warning"), Some(1));
    assert_eq!(code(&l003, "error"), Some(0));
    assert_eq!(code(&l009, "error"), Some(1));
    assert_eq!(code(&l091, "warning"), Some(0));
    assert_eq!(code(&l091, "note"), Some(1));
}

#[test]
fn lint_sarif_validates_against_the_official_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/sarif/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    // Every fixture at once: errors, warnings, notes, waived findings, settings.
    let r = run(&["lint", LINT, "--format", "sarif"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let sarif: Value = serde_json::from_str(&r.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // A broken log is refused, so the check above has teeth.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let (_, lint) = json(&["lint", LINT, "--format", "json"]);
    let total: usize = lint["runbooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"].as_array().unwrap().len())
        .sum();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), total);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), Check::ALL.len());
    let waived = results
        .iter()
        .find(|r| !r["suppressions"].is_null())
        .expect("a waived finding");
    assert_eq!(waived["suppressions"][0]["kind"], "inSource");
    let located = &results[0]["locations"][0]["physicalLocation"];
    assert!(
        located["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("tests/fixtures/lint/")
    );
    assert!(located["region"]["startLine"].as_u64().unwrap() > 0);
}

#[test]
fn lint_for_people_and_for_github() {
    let r = run(&["lint", &lint_fixture(Check::InvalidWaiver)]);
    insta::assert_snapshot!("lint-human-L090", r.stdout);
    let r = run(&[
        "lint",
        &lint_fixture(Check::InvalidWaiver),
        "--format",
        "github",
    ]);
    insta::assert_snapshot!("lint-github-L090", r.stdout);
    let r = run(&[
        "lint",
        &lint_fixture(Check::Setting),
        "--format",
        "markdown",
    ]);
    insta::assert_snapshot!("lint-markdown-L000", r.stdout);
}

#[test]
fn lint_reports_an_invalid_runbook_instead_of_linting_it() {
    let r = run(&[
        "lint",
        "tests/fixtures/diagnostics/E021-unknown-dependency.yaml",
    ]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("E021"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let r = run(&["lint", "no-such-file.yaml"]);
    assert_eq!(r.code, Some(2));
}

// ---- diff

fn diff(new: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let old = format!("{DIFF}/base.yaml");
    let new = format!("{DIFF}/{new}.yaml");
    let mut args = vec!["diff", old.as_str(), new.as_str(), "--format", "json"];
    args.extend(extra);
    json(&args)
}

const STATUS: &[&str] = &["--status", "tests/fixtures/diff/base.status.yaml"];

#[test]
fn a_runbook_written_differently_is_the_same() {
    let (code, value) = diff("reformatted", STATUS);
    assert_eq!(code, Some(0));
    assert_eq!(value["same"], true);
    let r = run(&[
        "diff",
        "tests/fixtures/diff/base.yaml",
        "tests/fixtures/diff/base.yaml",
    ]);
    assert_eq!((r.code, r.stdout.contains("no change")), (Some(0), true));
}

#[test]
fn a_lowered_threshold_is_flagged_as_a_relaxation() {
    let (code, value) = diff("threshold-lowered", STATUS);
    assert_eq!(code, Some(1));
    let d = &value["diffs"][0];
    assert_eq!(d["relaxations"], 1);
    let change = &d["changes"]["gates"][0]["changes"][0];
    assert_eq!(change["old"], "at_least 90");
    assert_eq!(change["new"], "at_least 85");
    assert_eq!(change["relaxation"], "threshold lowered from 90 to 85");
    // It moves nothing.
    assert_eq!(d["effects"]["ready_moved_minutes"], 0);
    assert_eq!(d["later"], false);
    let old = format!("{DIFF}/base.yaml");
    let new = format!("{DIFF}/threshold-lowered.yaml");
    let gate = |when: &str| run(&["diff", &old, &new, "--fail-on", when]).code;
    assert_eq!(gate("relaxation"), Some(1));
    assert_eq!(gate("later"), Some(0));
    assert_eq!(gate("later,decision"), Some(0));
}

#[test]
fn an_estimate_raised_on_the_driving_path_moves_readiness_by_its_working_time_effect() {
    // 24x7: the load's 8h -> 11h is 3h later.
    let (_, value) = diff("load-raised", &[]);
    let e = &value["diffs"][0]["effects"];
    assert_eq!(e["ready_moved_minutes"], 180);
    assert_eq!(e["ready"]["old"], "2027-03-05T01:30:00+00:00");
    assert_eq!(e["ready"]["new"], "2027-03-05T04:30:00+00:00");
    // Office hours (09:00-17:00): the rehearsal's 6h -> 9h ends Friday 10:00 instead of
    // Thursday 15:00, 19 hours later; the 24x7 tasks after it follow.
    let (_, value) = diff("estimate-raised", STATUS);
    let d = &value["diffs"][0];
    let e = &d["effects"];
    assert_eq!(e["ready_moved_minutes"], 19 * 60);
    assert_eq!(e["ready"]["new"], "2027-03-05T20:30:00+00:00");
    let float = &e["float_to_go_live_minutes"];
    assert_eq!(
        float["old"].as_i64().unwrap() - float["new"].as_i64().unwrap(),
        19 * 60
    );
    assert_eq!(d["later"], true);
    let field = &d["changes"]["tasks"]["changed"][0];
    assert_eq!(field["id"], "rehearse");
    assert_eq!(field["fields"][0]["new"], "likely 9h (best 4h, worst 12h)");
    // The point of no return is passed 19h later, with 19h less margin.
    let ponr = &e["points_of_no_return"][0];
    assert_eq!(ponr["task"], "load");
    assert_eq!(
        ponr["margin_minutes"]["old"].as_i64().unwrap()
            - ponr["margin_minutes"]["new"].as_i64().unwrap(),
        19 * 60
    );
}

#[test]
fn a_renamed_task_is_a_rename_when_its_name_and_links_match() {
    let (_, value) = diff("renamed", &[]);
    let tasks = &value["diffs"][0]["changes"]["tasks"];
    assert_eq!(tasks["renamed"][0]["old"], "check");
    assert_eq!(tasks["renamed"][0]["new"], "smoke-test");
    assert_eq!(tasks["added"], Value::Array(Vec::new()));
    assert_eq!(
        value["diffs"][0]["changes"]["links"]["added"],
        Value::Array(Vec::new())
    );
    assert_eq!(
        value["diffs"][0]["effects"]["driving_joined"],
        Value::Array(Vec::new())
    );
    // With another name as well, it is one task removed and another added.
    let (_, value) = diff("renamed-and-edited", &[]);
    let tasks = &value["diffs"][0]["changes"]["tasks"];
    assert_eq!(tasks["renamed"], Value::Array(Vec::new()));
    assert_eq!(tasks["removed"][0]["id"], "check");
    assert_eq!(tasks["added"][0]["id"], "smoke-test");
    assert_eq!(
        value["diffs"][0]["effects"]["driving_joined"][0]["id"],
        "smoke-test"
    );
    assert_eq!(
        value["diffs"][0]["effects"]["driving_left"][0]["id"],
        "check"
    );
}

#[test]
fn the_decision_is_compared_under_the_same_status() {
    let (code, value) = diff("stricter", STATUS);
    assert_eq!(code, Some(1));
    let d = &value["diffs"][0];
    assert_eq!(d["effects"]["decision"]["old"], "GO");
    assert_eq!(d["effects"]["decision"]["new"], "GO WITH CONDITIONS");
    assert_eq!(d["decision_worse"], true);
    assert_eq!(d["relaxations"], 0);
    let old = format!("{DIFF}/base.yaml");
    let new = format!("{DIFF}/stricter.yaml");
    let mut args = vec!["diff", old.as_str(), new.as_str(), "--fail-on", "decision"];
    args.extend(STATUS);
    assert_eq!(run(&args).code, Some(1));
    // Without a status there is no decision to compare.
    let (_, value) = diff("stricter", &[]);
    assert_eq!(value["diffs"][0]["effects"]["decision"], Value::Null);
    assert_eq!(value["diffs"][0]["decision_worse"], false);
}

#[test]
fn the_pull_request_comment() {
    let r = run(&[
        "diff",
        "tests/fixtures/diff/base.yaml",
        "tests/fixtures/diff/pr.yaml",
        "--status",
        "tests/fixtures/diff/base.status.yaml",
        "--format",
        "markdown",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stdout.starts_with("<!-- cutover diff -->\n"));
    insta::assert_snapshot!("diff-pr-markdown", r.stdout);
    let r = run(&[
        "diff",
        "tests/fixtures/diff/base.yaml",
        "tests/fixtures/diff/pr.yaml",
        "--status",
        "tests/fixtures/diff/base.status.yaml",
    ]);
    insta::assert_snapshot!("diff-pr-human", r.stdout);
}

#[test]
fn diff_exit_codes() {
    let base = "tests/fixtures/diff/base.yaml";
    // A runbook with errors: 2, as diff(1) does for trouble, with the errors shown.
    let r = run(&[
        "diff",
        base,
        "tests/fixtures/diagnostics/E021-unknown-dependency.yaml",
    ]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("E021"), "{}", r.stderr);
    assert_eq!(run(&["diff", base, "no-such-file.yaml"]).code, Some(2));
    assert_eq!(run(&["diff", base]).code, Some(2));
}

#[test]
fn out_never_replaces_a_runbook_the_command_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["base.yaml", "pr.yaml"] {
        std::fs::copy(root.join(DIFF).join(name), dir.path().join(name)).unwrap();
    }
    let before = std::fs::read(dir.path().join("pr.yaml")).unwrap();
    for args in [
        &[
            "diff",
            "base.yaml",
            "pr.yaml",
            "--format",
            "markdown",
            "--out",
            "pr.yaml",
        ][..],
        &["diff", "base.yaml", "pr.yaml", "--out", "base.yaml"],
        &["lint", "pr.yaml", "--format", "sarif", "--out", "pr.yaml"],
    ] {
        let r = run_in(dir.path(), args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.contains("pr.yaml") || r.stderr.contains("base.yaml"),
            "{}",
            r.stderr
        );
    }
    assert_eq!(std::fs::read(dir.path().join("pr.yaml")).unwrap(), before);
    // Another file is written, atomically, with what standard output would show.
    let r = run_in(
        dir.path(),
        &["diff", "base.yaml", "pr.yaml", "--out", "diff.txt"],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let shown = run_in(dir.path(), &["diff", "base.yaml", "pr.yaml"]).stdout;
    assert_eq!(
        std::fs::read_to_string(dir.path().join("diff.txt")).unwrap(),
        shown
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Cutover Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn diff_git_compares_the_working_copy_with_a_revision_includes_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let base = std::fs::read_to_string(format!("{DIFF}/base.yaml")).unwrap();
    // The tasks move into an included file, so the change is in the include.
    let (head, tasks) = base.split_at(base.find("tasks:").unwrap());
    let (tasks, gates) = tasks.split_at(tasks.find("gates:").unwrap());
    std::fs::create_dir(root.join("parts")).unwrap();
    std::fs::write(
        root.join("runbook.yaml"),
        format!("{head}include: [parts/tasks.yaml]\n{gates}"),
    )
    .unwrap();
    std::fs::write(root.join("parts/tasks.yaml"), tasks).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "First"]);
    std::fs::write(
        root.join("parts/tasks.yaml"),
        tasks.replace(
            "duration: 8h, after: [freeze]",
            "duration: 11h, after: [freeze]",
        ),
    )
    .unwrap();
    git(root, &["commit", "-qam", "Second: the load takes 11h"]);

    // The working copy (the second commit) against the first.
    let r = run_in(
        root,
        &[
            "diff",
            "--git",
            "HEAD~1",
            "runbook.yaml",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let value: Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &value["diffs"][0];
    assert_eq!(d["old"]["label"], "HEAD~1:runbook.yaml");
    assert_eq!(d["changes"]["tasks"]["changed"][0]["id"], "load");
    assert_eq!(d["effects"]["ready_moved_minutes"], 180);
    // Against itself, nothing changed.
    let r = run_in(root, &["diff", "--git", "HEAD", "runbook.yaml"]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    // With no runbook named: every runbook whose files changed (the include is part
    // of runbook.yaml, not a runbook of its own).
    let r = run_in(root, &["diff", "--git", "HEAD~1", "--format", "json"]);
    let value: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(value["diffs"].as_array().unwrap().len(), 1, "{}", r.stdout);
    assert_eq!(value["diffs"][0]["new"]["label"], "runbook.yaml");
    // An uncommitted change is part of the working copy.
    std::fs::write(
        root.join("runbook.yaml"),
        format!("{head}include: [parts/tasks.yaml]\n{gates}")
            .replace("at_least: 90", "at_least: 80"),
    )
    .unwrap();
    let r = run_in(root, &["diff", "--git", "HEAD", "--format", "json"]);
    let value: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(value["diffs"][0]["relaxations"], 1, "{}", r.stdout);
    // Errors: an unknown revision, a runbook the revision lacks.
    let r = run_in(root, &["diff", "--git", "no-such-rev", "runbook.yaml"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no-such-rev"), "{}", r.stderr);
    std::fs::write(root.join("new.yaml"), &base).unwrap();
    let r = run_in(root, &["diff", "--git", "HEAD", "new.yaml"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("not in revision HEAD"), "{}", r.stderr);
}
