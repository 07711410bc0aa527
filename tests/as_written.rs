//! Durations and ids behave as written (issue 12, item 4): units in any case, a fraction
//! of a day refused with the reason, and an id that YAML would read as a boolean or a
//! number (`y`, `on`, `007`, `1`) read in `after:` as the text written, as `id:` is.

use crate::common::run_parts;

const DIR: &str = "tests/fixtures/as_written";

/// (code, line, column) of every diagnostic in `validate --format json` output.
fn codes_at(path: &str) -> Vec<(String, u64, u64)> {
    let (_, stdout, _) = run_parts(&["validate", "--format", "json", path]);
    crate::common::diagnostic_places(&stdout)
}

#[test]
fn units_in_any_case_are_read_and_a_fraction_of_a_day_is_refused_with_the_reason() {
    let runbook = format!("{DIR}/durations.yaml");
    let (code, _, stderr) = run_parts(&["validate", "--color", "never", &runbook]);
    assert_eq!(code, 1, "{stderr}");
    // `2 Days` and `2H` are accepted: the one error is the fraction of a day.
    assert_eq!(codes_at(&runbook), [("E040".to_owned(), 22, 15)]);
    assert!(
        stderr.contains(
            "`1.5d` has a fraction of a day, and the length of a day comes from the task's calendar"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("e.g. `1d 4h` instead of `1.5d`"),
        "{stderr}"
    );
    insta::assert_snapshot!("durations.human", stderr);
}

#[test]
fn units_in_any_case_mean_what_the_lower_case_units_mean() {
    // The fixture without its fraction: `2 Days` is two 8-hour office days, `2H` two hours.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(format!("{DIR}/durations.yaml"))
        .unwrap()
        .replace("duration: 1.5d", "duration: 1d 4h");
    let path = dir.path().join("r.yaml");
    std::fs::write(&path, text).unwrap();
    let (code, stdout, stderr) = run_parts(&["plan", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let minutes = |id: &str| {
        json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .map(|t| t["duration_minutes"].as_i64().unwrap())
            .unwrap()
    };
    assert_eq!(minutes("build"), 2 * 8 * 60);
    assert_eq!(minutes("test"), 120);
    assert_eq!(minutes("sign"), 12 * 60);
}

#[test]
fn ids_yaml_would_read_as_booleans_or_numbers_are_the_text_written() {
    let runbook = format!("{DIR}/yaml-ids.yaml");
    let (code, _, stderr) = run_parts(&["validate", "--color", "never", &runbook]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run_parts(&["plan", "--format", "json", &runbook]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let predecessors = |id: &str| -> Vec<String> {
        let task = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap_or_else(|| panic!("no task {id}"));
        task["predecessors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["task"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(predecessors("n"), ["y"]);
    assert_eq!(predecessors("007"), ["n"]);
    assert_eq!(predecessors("on"), ["007", "y"]);
    assert_eq!(predecessors("1"), ["on"]);
    assert_eq!(predecessors("live"), ["1"]);
}
