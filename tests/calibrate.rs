//! `cutover calibrate` on the shipped dress rehearsals of the acute runbook: the
//! output a lead reads, the estimates file and the two ways to see its effect.

use std::fs;

use crate::common::{json, ok, run_parts};

const RUNBOOK: &str = "runbooks/northgate-acute.yaml";
const DR1: &str = "runbooks/northgate-acute.dr1.status.yaml";
const DR2: &str = "runbooks/northgate-acute.dr2.status.yaml";

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["calibrate", RUNBOOK, "--rehearsal", DR1, "--rehearsal", DR2];
    a.extend_from_slice(extra);
    a
}

#[test]
fn table_on_the_shipped_rehearsals() {
    let out = ok(&args(&["--simulate", "2000", "--seed", "7"]));
    insta::assert_snapshot!("table", out);
}

#[test]
fn markdown_on_the_shipped_rehearsals() {
    let out = ok(&args(&["--format", "markdown"]));
    insta::assert_snapshot!("markdown", out);
}

#[test]
fn json_has_the_ratios_flags_and_fits() {
    let v = json(&args(&["--format", "json", "--over", "1.5"]));
    let labels: Vec<&str> = v["rehearsals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["DR1", "DR2"]);
    let task = |id: &str| {
        v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["task"] == id)
            .unwrap()
            .clone()
    };
    // Appointments: plan 7h (420); DR1 13h20m (800, 1.90x, over), DR2 9h05m (545, 1.30x).
    let appts = task("dm-load-appointments");
    assert_eq!(appts["plan"], 420);
    assert_eq!(appts["rehearsals"][0]["actual"], 800);
    assert_eq!(appts["rehearsals"][0]["over"], true);
    assert_eq!(appts["rehearsals"][1]["actual"], 545);
    assert_eq!(appts["rehearsals"][1]["over"], false);
    // Widened: best min(5h, 9h05m) = 5h, likely max(7h, 672.5 -> 673) = 11h13m, worst
    // max(12h, 13h20m) = 13h20m.
    assert_eq!(
        appts["suggested"],
        serde_json::json!({ "best": 300, "likely": 673, "worst": 800 })
    );
    assert_eq!(appts["method"], "widened");
    // Clinical validation ran to plan (3h55m, 4h): unchanged.
    assert_eq!(task("cb-clinical-validation")["changed"], false);
    // The device checks of DR2 were stood down: not measured there.
    assert_eq!(
        task("di-device-checks")["rehearsals"][1],
        serde_json::Value::Null
    );
    assert_eq!(v["unmeasured"][0]["task"], "di-device-checks");
    // A lower threshold flags more.
    let strict = json(&args(&["--format", "json", "--over", "1.3"]));
    let flagged = |v: &serde_json::Value| {
        v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                t["rehearsals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|m| m["over"] == true)
            })
            .count()
    };
    assert_eq!(flagged(&v), 2);
    assert!(flagged(&strict) > 2);
}

#[test]
fn estimates_file_includes_and_simulates_as_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    // A copy of the runbook that includes the estimates file.
    let root = dir.path();
    fs::create_dir(root.join("northgate-acute")).unwrap();
    for entry in fs::read_dir("runbooks/northgate-acute").unwrap() {
        let path = entry.unwrap().path();
        fs::copy(
            &path,
            root.join("northgate-acute").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let runbook = fs::read_to_string(RUNBOOK)
        .unwrap()
        .replace("include:\n", "include:\n  - calibrated.yaml\n");
    fs::write(root.join("northgate-acute.yaml"), runbook).unwrap();
    let estimates = root.join("calibrated.yaml");
    let e = estimates.to_str().unwrap();
    let (code, _, stderr) = run_parts(&args(&["--estimates-out", e, "-o", "/dev/null"]));
    assert_eq!(code, 0, "{stderr}");
    let written = fs::read_to_string(&estimates).unwrap();
    insta::assert_snapshot!("estimates_file", written);

    // The runbook with the file included validates, and `simulate --scenario calibrated`
    // runs the calibrated estimates beside the baseline.
    let copy = root.join("northgate-acute.yaml");
    let copy = copy.to_str().unwrap();
    let (code, _, stderr) = run_parts(&["validate", "--strict", copy]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&[
        "simulate",
        copy,
        "--scenario",
        "calibrated",
        "--as-of",
        "2027-06-11T19:00",
        "--format",
        "json",
    ]);
    let text = v.to_string();
    assert!(
        text.contains("Estimates calibrated from rehearsals DR1, DR2"),
        "{text}"
    );
}

#[test]
fn never_writes_over_an_input() {
    let before = fs::read(DR1).unwrap();
    let (code, _, stderr) = run_parts(&args(&["--estimates-out", DR1, "-o", "/dev/null"]));
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(fs::read(DR1).unwrap(), before);
    let (code, _, stderr) = run_parts(&args(&["--over", "0"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("--over 0"), "{stderr}");
}
