//! Status rules worked by hand: milestones, the plan's horizon, "did you mean" bounds.

use std::path::Path;

use super::*;
use crate::load::{Limits, load_status_text};
use crate::schedule::tests::project;
use crate::source::Sources;

/// 24x7 from Monday 2027-01-04 00:00: prep (1d) -> load (2d) -> live, and an SS milestone.
const RUNBOOK: &str = "runbook: status test
timezone: Europe/London
start: 2027-01-04T00:00
go_live: 2027-01-10T00:00
tasks:
  - { id: prep, name: P, owner: o, duration: 1d }
  - { id: load, name: L, owner: o, duration: 2d, after: [prep] }
  - { id: begun, name: B, owner: o, milestone: true, after: [{ task: load, type: SS }] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [load, begun] }
";

/// Resolves `status` against [`RUNBOOK`]: the status, and each diagnostic as
/// (code, line, message).
fn resolve_text(status: &str) -> (Option<Status>, Vec<(Code, u32, String)>) {
    let (p, _) = project(RUNBOOK);
    let mut sources = Sources::default();
    let (file, problem) = load_status_text(
        Path::new("s.status.yaml"),
        status.to_owned(),
        &mut sources,
        &Limits::default(),
    );
    assert!(problem.is_none(), "{problem:?}");
    let (status, diagnostics) = resolve(&p, &file.unwrap(), FileId(0), None, None);
    let found = diagnostics
        .into_iter()
        .map(|d| {
            let line = d.origin.map_or(0, |o| o.span.line);
            (d.code, line, d.message)
        })
        .collect();
    (status, found)
}

#[test]
fn a_milestone_reached_before_its_predecessor_finishes_is_an_error() {
    let (status, found) = resolve_text(
        "as_of: 2027-01-05T12:00
tasks:
  prep: { started: 2027-01-04T00:00, finished: 2027-01-05T00:00 }
  load: { started: 2027-01-05T00:00 }
  begun: { finished: 2027-01-05T00:00 }
  live: { started: 2027-01-05T09:00 }
",
    );
    assert!(status.is_none());
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, line, message) = &found[0];
    assert_eq!((*code, *line), (Code::MilestoneActuals, 6));
    assert!(
        message.contains("`load`, which it waits for, has not finished"),
        "{message}"
    );
}

#[test]
fn a_milestone_reached_before_its_predecessor_finished_is_an_error() {
    let (_, found) = resolve_text(
        "as_of: 2027-01-08T12:00
tasks:
  prep: { started: 2027-01-04T00:00, finished: 2027-01-05T00:00 }
  load: { started: 2027-01-05T00:00, finished: 2027-01-07T00:00 }
  begun: { finished: 2027-01-05T00:00 }
  live: { finished: 2027-01-06T00:00 }
",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (Code::MilestoneActuals, 6));
    assert!(
        found[0]
            .2
            .contains("reached at 2027-01-06 00:00, before `load`"),
        "{}",
        found[0].2
    );
}

#[test]
fn a_start_to_start_milestone_needs_its_predecessor_started() {
    let (_, found) = resolve_text(
        "as_of: 2027-01-04T12:00
tasks:
  prep: { started: 2027-01-04T00:00 }
  begun: { finished: 2027-01-04T06:00 }
",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .2
            .contains("`load`, which it waits for, has not started"),
        "{}",
        found[0].2
    );
}

#[test]
fn a_milestone_reached_in_order_stands_and_started_means_reached() {
    let (status, found) = resolve_text(
        "as_of: 2027-01-07T12:00
tasks:
  prep: { started: 2027-01-04T00:00, finished: 2027-01-05T00:00 }
  load: { started: 2027-01-05T00:00, finished: 2027-01-07T00:00 }
  begun: { started: 2027-01-05T00:00 }
  live: { finished: 2027-01-07T06:00 }
",
    );
    assert!(found.is_empty(), "{found:?}");
    let status = status.unwrap();
    let (p, _) = project(RUNBOOK);
    let begun = status.progress.actual(p.task_by_id("begun").unwrap());
    let at = Some(Moment(p.start.0 + 24 * 60));
    assert_eq!((begun.started, begun.finished), (at, at));
}

#[test]
fn remaining_work_on_a_milestone_is_an_error() {
    let (_, found) = resolve_text(
        "as_of: 2027-01-05T12:00
tasks:
  prep: { started: 2027-01-04T00:00, finished: 2027-01-05T00:00 }
  load: { started: 2027-01-05T00:00 }
  begun: { started: 2027-01-05T00:00, remaining: 5h }
",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (Code::MilestoneActuals, 5));
    assert!(found[0].2.contains("has remaining work"), "{}", found[0].2);
}

#[test]
fn actuals_and_data_date_outside_the_horizon_point_at_the_status_line() {
    let (_, found) = resolve_text(
        "as_of: 2027-01-05T12:00
tasks:
  prep: { started: 1901-01-01T00:00 }
",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (Code::ScheduleOutOfRange, 3));
    assert!(
        found[0].2.contains("before the plan's horizon"),
        "{}",
        found[0].2
    );
    let (_, found) = resolve_text("as_of: 2040-01-01T00:00\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (Code::ScheduleOutOfRange, 1));
    assert!(
        found[0]
            .2
            .contains("after the plan's horizon, which ends 2037-01-10 00:00"),
        "{}",
        found[0].2
    );
}

#[test]
fn the_data_date_on_the_command_line_stays_inside_the_horizon() {
    let (p, _) = project(RUNBOOK);
    assert!(parse_data_date("2027-01-05T12:00", &p).is_ok());
    let e = parse_data_date("2040-01-01", &p).unwrap_err();
    assert!(e.contains("after the plan's horizon"), "{e}");
    let e = parse_data_date("2027-02-20T17:00+25:00", &p).unwrap_err();
    assert!(e.contains("no time zone uses"), "{e}");
}

#[test]
fn long_unknown_ids_are_shortened_and_not_compared() {
    let key = "p".repeat(200_000);
    // YAML caps implicit keys at 1024 characters; an explicit key (`? key`) has no cap.
    let (_, found) = resolve_text(&format!(
        "as_of: 2027-01-05T12:00\ntasks:\n  ? {key}\n  : {{}}\n"
    ));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, Code::UnknownTask);
    assert!(found[0].2.len() < 200, "{}", found[0].2);
    assert!(found[0].2.contains("(200000 bytes)"), "{}", found[0].2);
}
