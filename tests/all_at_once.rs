//! Every structural mistake in a runbook at once (issue 12): unknown fields and wrong
//! types are each reported at their own line and column, the parts that did parse are
//! still checked, nothing is scheduled from a runbook with a part left out, and one
//! repeated warning does not drown the rest of the human output.

use crate::common::{diagnostic_places, run};

const STRUCTURAL: &str = "tests/fixtures/all_at_once/structural.yaml";
const LOOSE: &str = "tests/fixtures/all_at_once/many-loose-tasks.yaml";

/// (code, line, column) of every diagnostic in `validate --format json`.
fn found(path: &str) -> Vec<(String, u64, u64)> {
    diagnostic_places(&run(&["validate", "--format", "json", path]).stdout)
}

#[test]
fn every_misspelt_owner_is_reported_at_its_own_line() {
    let all = found(STRUCTURAL);
    let owners: Vec<u64> = all
        .iter()
        .filter(|(c, _, col)| c == "E003" && *col == 5)
        .map(|(_, line, _)| *line)
        .collect();
    assert_eq!(owners, [15, 19, 24, 29, 34, 39, 44, 49]);
}

#[test]
fn settings_calendars_and_gates_report_their_own_structural_errors() {
    let all = found(STRUCTURAL);
    for expected in [("E003", 7, 35), ("E003", 9, 66), ("E002", 68, 15)] {
        assert!(
            all.contains(&(expected.0.to_owned(), expected.1, expected.2)),
            "{expected:?} not in {all:?}"
        );
    }
}

#[test]
fn semantic_checks_go_on_for_what_parsed() {
    let all = found(STRUCTURAL);
    // A bad duration in a task that parsed, an unknown dependency, and an unknown task
    // in a gate that parsed.
    for expected in [("E040", 55, 15), ("E021", 58, 72), ("E026", 71, 35)] {
        assert!(
            all.contains(&(expected.0.to_owned(), expected.1, expected.2)),
            "{expected:?} not in {all:?}"
        );
    }
    // References to the skipped tasks (`after: [t8]`, `tasks_done: [t3]`) and the
    // skipped calendar (`calendar: office`) raise no second error, and with tasks
    // left out nothing is judged loose or missing its go-live.
    assert_eq!(all.len(), 15, "{all:?}");
    assert!(!all.iter().any(|(c, _, _)| c == "E024" || c == "W002"));
}

#[test]
fn human_output_shows_every_structural_error() {
    let r = run(&["validate", STRUCTURAL]);
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("14 errors, 1 warning"), "{}", r.stderr);
    insta::assert_snapshot!("structural", r.stderr);
}

#[test]
fn a_runbook_with_a_part_left_out_is_never_planned() {
    let r = run(&["plan", STRUCTURAL]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert_eq!(r.stdout, "");
}

#[test]
fn one_repeated_code_is_capped_in_human_output_only() {
    let r = run(&["validate", LOOSE]);
    let blocks = r.stderr.matches("warning[W002]").count();
    assert_eq!(blocks, 20, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "note: … and 5 more W002 warnings (not-connected-to-go-live): only the first 20 of one code are printed; `--format json` lists them all"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("25 warnings"));
    let json = found(LOOSE);
    assert_eq!(json.iter().filter(|(c, _, _)| c == "W002").count(), 25);
}
