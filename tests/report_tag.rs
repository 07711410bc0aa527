//! `cutover report --tag`: the task lists narrow to the tagged tasks and say so; the
//! decision, its reasons, the gates and the points of no return stay those of the whole
//! runbook (docs/decision.md, "Tagged tasks").

use crate::common::{json, ok, run_parts};

const RUNBOOK: &str = "runbooks/northgate-acute.yaml";
const STATUS: &str = "runbooks/northgate-acute.status.yaml";

fn report(extra: &[&str]) -> String {
    let mut args = vec!["report", RUNBOOK, "--status", STATUS];
    args.extend_from_slice(extra);
    ok(&args)
}

fn report_json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["report", RUNBOOK, "--status", STATUS, "--format", "json"];
    args.extend_from_slice(extra);
    json(&args)
}

/// The ids of the runbook's tasks carrying one of `tags`, from `plan`'s full list
/// (not from `plan --tag`, so that the test does not check the filter against itself),
/// and how many tasks the runbook has.
fn tagged_in_plan(tags: &[&str]) -> (Vec<String>, usize) {
    let plan = json(&["plan", RUNBOOK, "--status", STATUS, "--format", "json"]);
    let tasks = plan["tasks"].as_array().expect("a task list");
    let mut ids: Vec<String> = tasks
        .iter()
        .filter(|t| {
            t["tags"]
                .as_array()
                .expect("tags")
                .iter()
                .any(|g| tags.iter().any(|want| g == want))
        })
        .map(|t| t["id"].as_str().expect("an id").to_owned())
        .collect();
    ids.sort();
    (ids, tasks.len())
}

#[test]
fn the_decision_reasons_gates_and_plan_are_the_same_with_and_without_tag() {
    let all = report_json(&[]);
    let mut tagged = report_json(&["--tag", "ptl", "--tag", "signoff"]);
    assert!(tagged["tagged"].is_object(), "{tagged:#}");
    assert!(all.get("tagged").is_none(), "no task list without --tag");
    tagged.as_object_mut().expect("an object").remove("tagged");
    // Everything else (decision, reasons, plan summary, gates) is the same document.
    assert_eq!(tagged, all);
    assert_eq!(all["decision"], "GO WITH CONDITIONS");
    assert!(!all["gates"].as_array().expect("gates").is_empty());
}

#[test]
fn the_json_task_list_holds_exactly_the_tagged_tasks_and_states_the_filter() {
    let doc = report_json(&["--tag", "ptl", "--tag", "signoff"]);
    let t = &doc["tagged"];
    let (want, of) = tagged_in_plan(&["ptl", "signoff"]);
    assert!(want.len() >= 12, "ptl is on 12 or more tasks: {want:?}");
    assert!(want.len() < of);
    let tasks = t["tasks"].as_array().expect("tagged tasks");
    for task in tasks {
        let tags = task["tags"].as_array().expect("tags");
        assert!(
            tags.iter().any(|g| g == "ptl" || g == "signoff"),
            "untagged task listed: {task:#}"
        );
    }
    let mut got: Vec<String> = tasks
        .iter()
        .map(|x| x["id"].as_str().expect("an id").to_owned())
        .collect();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(t["tags"], serde_json::json!(["ptl", "signoff"]));
    assert_eq!(t["tasks_in_runbook"], of);
    assert_eq!(
        t["statement"],
        format!(
            "Tasks tagged ptl, signoff ({} of {of}); the decision above is for the whole runbook",
            want.len()
        )
    );
    // Each task is listed as `plan --format json` lists it.
    let plan = json(&["plan", RUNBOOK, "--status", STATUS, "--format", "json"]);
    let first = &tasks[0];
    assert_eq!(
        first,
        crate::common::task(&plan, first["id"].as_str().unwrap())
    );
}

#[test]
fn markdown_and_the_terminal_add_the_tagged_tasks_after_an_unchanged_paper() {
    let (want, of) = tagged_in_plan(&["ptl"]);
    let statement = format!(
        "Tasks tagged ptl ({} of {of}); the decision above is for the whole runbook",
        want.len()
    );
    for format in ["markdown", "table"] {
        let all = report(&["--format", format]);
        let tagged = report(&["--format", format, "--tag", "ptl"]);
        let rest = tagged
            .strip_prefix(all.as_str())
            .unwrap_or_else(|| panic!("{format}: the paper before the task list changed"));
        assert!(rest.contains(&statement), "{format}:\n{rest}");
        for id in &want {
            assert!(
                rest.contains(id.as_str()),
                "{format}: {id} missing:\n{rest}"
            );
        }
        // An untagged task is not in the list.
        assert!(!rest.contains("dm-scope"), "{format}:\n{rest}");
    }
    let md = report(&["--format", "markdown", "--tag", "ptl"]);
    let section = &md[md.find("## Tagged tasks").expect("a Tagged tasks section")..];
    insta::assert_snapshot!("markdown_ptl", section);
}

#[test]
fn html_states_the_filter_in_the_appendix_and_leaves_the_paper_alone() {
    let all = report(&["--format", "html"]);
    let tagged = report(&["--format", "html", "--tag", "ptl"]);
    let before = |h: &str| h[..h.find("<!-- appendix -->").expect("an appendix")].to_owned();
    assert_eq!(
        before(&tagged),
        before(&all),
        "the paper before the appendix changed"
    );
    let (want, of) = tagged_in_plan(&["ptl"]);
    let statement = format!(
        "<p class=\"filter\">Tasks tagged ptl ({} of {of}); the decision above is for the whole runbook.</p>",
        want.len()
    );
    assert!(tagged.contains(&statement), "{tagged}");
    assert!(tagged.contains("Appendix: the tagged tasks"));
    assert!(!all.contains("class=\"filter\""));
    // The chart of the tagged tasks draws one bar per tagged task.
    let appendix = &tagged[tagged.find("Appendix: the tagged tasks").unwrap()..];
    assert!(
        !appendix.contains("Showing "),
        "a dozen tasks all fit the chart"
    );
}

#[test]
fn an_unknown_tag_is_a_usage_error_with_a_suggestion() {
    let (code, out, err) = run_parts(&["report", RUNBOOK, "--status", STATUS, "--tag", "ptll"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("--tag ptll: no task has this tag"), "{err}");
    assert!(err.contains("did you mean `ptl`?"), "{err}");
}

#[test]
fn gates_has_no_tag_filter() {
    let (code, _, err) = run_parts(&["gates", RUNBOOK, "--status", STATUS, "--tag", "ptl"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--tag"), "{err}");
}
