//! `cutover simulate`: scenarios from the runbook and the command line, Monte Carlo
//! reproducibility, formats and errors.

use crate::common::run_parts as run;

const RUNBOOK: &str = "runbooks/northgate-acute.yaml";
const STATUS: &str = "runbooks/northgate-acute.status.yaml";

fn json(args: &[&str]) -> serde_json::Value {
    let (rc, out, err) = run(args);
    assert_eq!(rc, 0, "{err}");
    serde_json::from_str(&out).expect("valid JSON")
}

#[test]
fn compares_every_named_scenario_with_the_baseline() {
    let doc = json(&["simulate", RUNBOOK, "--status", STATUS, "--format", "json"]);
    let cases = doc["cases"].as_array().unwrap();
    let ids: Vec<&str> = cases.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids[0], "baseline");
    assert!(ids.contains(&"defer-4w"), "{ids:?}");
    let base = &cases[0];
    let defer = cases.iter().find(|c| c["id"] == "defer-4w").unwrap();
    // Deferring four weeks moves the cutover weekend with go-live (its tasks are pinned
    // inside the window): readiness moves four weeks too, float stays (no clock change
    // between 13 June and 11 July), and it costs money.
    assert_eq!(base["ready"], "2027-06-13T04:30:00+01:00");
    assert_eq!(defer["ready"], "2027-07-11T04:30:00+01:00");
    assert_eq!(
        defer["float_to_go_live_minutes"],
        base["float_to_go_live_minutes"]
    );
    assert!(defer["cost_of_delay"]["total"].as_f64().unwrap() > 0.0);
    assert_eq!(base["cost_of_delay"]["total"].as_f64().unwrap(), 0.0);
    assert!(doc["cases"][0]["monte_carlo"].is_null());
}

#[test]
fn ad_hoc_flags_make_one_scenario() {
    let doc = json(&[
        "simulate",
        RUNBOOK,
        "--status",
        STATUS,
        "--format",
        "json",
        "--slip",
        "dm-load-appointments=2h",
        "--defer",
        "1w",
    ]);
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2, "only the ad hoc scenario with the baseline");
    assert_eq!(cases[1]["id"], "ad-hoc");
    assert_eq!(cases[1]["name"], "defer 1w, dm-load-appointments slips 2h");
    // The weekend moves a week with go-live, and the appointment load is critical on
    // its 24x7 calendar: ready a week and 2h later.
    let ready = |c: &serde_json::Value| c["ready"].as_str().unwrap().to_owned();
    assert_eq!(ready(&cases[0]), "2027-06-13T04:30:00+01:00");
    assert_eq!(ready(&cases[1]), "2027-06-20T06:30:00+01:00");
}

#[test]
fn monte_carlo_is_reproducible_from_the_seed() {
    let args = [
        "simulate",
        RUNBOOK,
        "--status",
        STATUS,
        "--scenario",
        "defer-4w",
        "--iterations",
        "500",
        "--seed",
        "11",
        "--format",
        "json",
    ];
    let (a, b) = (json(&args), json(&args));
    assert_eq!(a, b);
    let mc = &a["cases"][0]["monte_carlo"];
    assert_eq!(mc["iterations"], 500);
    let p = mc["probability_by_go_live"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    // Four weeks later the weekend is the same work with the same draws: at least as
    // likely to be ready in time.
    let later = a["cases"][1]["monte_carlo"]["probability_by_go_live"]
        .as_f64()
        .unwrap();
    assert!(later >= p, "{later} < {p}");
    // Another seed draws other durations.
    let mut other = args;
    other[9] = "12";
    let c = json(&other);
    assert_ne!(
        c["cases"][0]["monte_carlo"]["histogram"],
        a["cases"][0]["monte_carlo"]["histogram"]
    );
}

#[test]
fn markdown_has_an_svg_histogram_and_no_progress_bar_off_a_terminal() {
    let (rc, out, err) = run(&[
        "simulate",
        RUNBOOK,
        "--status",
        STATUS,
        "--scenario",
        "defer-4w",
        "--iterations",
        "200",
        "--format",
        "markdown",
    ]);
    assert_eq!(rc, 0, "{err}");
    assert!(out.starts_with("# Scenarios: Northgate Hospitals EPR go-live"));
    assert!(out.contains("<svg"), "{out}");
    assert!(out.contains("| Risk driver |"));
    assert!(
        !err.contains("iterations ("),
        "a progress bar was drawn: {err}"
    );
}

#[test]
fn bad_ad_hoc_values_are_usage_errors() {
    let (rc, out, err) = run(&["simulate", RUNBOOK, "--slip", "dm-load-appointmnts=2h"]);
    assert_eq!(rc, 2);
    assert!(out.is_empty());
    assert!(
        err.contains(
            "--slip dm-load-appointmnts: no task has this id (did you mean `dm-load-appointments`?)"
        ),
        "{err}"
    );
    let (rc, _, err) = run(&["simulate", RUNBOOK, "--defer", "4 fortnights"]);
    assert_eq!(rc, 2, "{err}");
    let (rc, _, err) = run(&["simulate", RUNBOOK, "--scenario", "defer-5w"]);
    assert_eq!(rc, 2);
    assert!(err.contains("did you mean `defer-4w`?"), "{err}");
}
