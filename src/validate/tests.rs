//! Each validation rule in-process: YAML text in, `(code, line, col)` out, one line
//! per case (as just's `analysis_error!` does). The CLI snapshots in `tests/` cover
//! how the same problems are rendered.

use std::path::Path;

use crate::diagnostic::Code;
use crate::load::{Limits, load_runbook_text};
use crate::source::Sources;

/// The head every case starts from: a valid runbook with a go-live milestone.
const HEAD: &str = "runbook: T
timezone: Europe/London
start: 2027-01-04T09:00
go_live: 2027-01-08T07:00
";

/// Every problem in `yaml` (loaded as a runbook, then validated) as
/// `(code, line, column)`, in the order reported.
fn problems(yaml: &str) -> Vec<(&'static str, u32, u32)> {
    let mut sources = Sources::default();
    let loaded = load_runbook_text(
        Path::new("case.yaml"),
        yaml.to_owned(),
        &mut sources,
        &Limits::default(),
    );
    let mut found = loaded.diagnostics;
    if let Some(runbook) = &loaded.runbook {
        found.extend(super::validate(runbook).diagnostics);
    }
    found
        .iter()
        .map(|d| {
            let span = d.origin.map(|o| o.span).unwrap_or_default();
            (d.code.as_str(), span.line, span.col)
        })
        .collect()
}

/// `HEAD` followed by `rest`.
fn case(rest: &str) -> Vec<(&'static str, u32, u32)> {
    problems(&format!("{HEAD}{rest}"))
}

/// Asserts that `rest` (after `HEAD`, whose lines are 1-4) gives exactly `expected`.
macro_rules! problems {
    ($rest:expr => $($code:ident @ $line:literal : $col:literal),* $(,)?) => {
        assert_eq!(
            case($rest),
            vec![$((Code::$code.as_str(), $line, $col)),*],
            "{}",
            $rest
        );
    };
}

#[test]
fn a_valid_runbook_has_no_problems() {
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" =>);
}

#[test]
fn ids() {
    problems!("tasks:
  - { id: 'a b', name: A, owner: o, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
" => InvalidId @ 6:11);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h }
  - { id: a, name: A again, owner: o, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => DuplicateId @ 7:11);
}

#[test]
fn dependencies() {
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, after: [b] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => UnknownDependency @ 6:55);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, after: [a] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => SelfDependency @ 6:55);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, after: [b] }
  - { id: b, name: B, owner: o, duration: 1h, after: [a] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [b] }
" => DependencyCycle @ 7:55);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a, a] }
" => DuplicateDependency @ 7:82);
}

#[test]
fn references() {
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, calendar: offfice }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => UnknownCalendar @ 6:57);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, workstream: dm }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => UnknownWorkstream @ 6:59);
}

#[test]
fn durations_and_estimates() {
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: soon }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => InvalidDuration @ 6:43);
    problems!("tasks:
  - { id: a, name: A, owner: o }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => MissingDuration @ 6:11);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, estimate: { best: 1h, likely: 2h, worst: 3h } }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => ConflictingDuration @ 6:57);
    problems!("tasks:
  - { id: a, name: A, owner: o, estimate: { best: 3h, likely: 2h, worst: 4h } }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => InvalidEstimate @ 6:43);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, duration: 1h, go_live: true, after: [a] }
" => MilestoneWithDuration @ 7:66);
}

#[test]
fn the_go_live_milestone() {
    problems!("tasks:
  - { id: a, name: A, owner: o, milestone: true, go_live: true }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => MultipleGoLive @ 7:65);
    problems!("tasks:
  - { id: live, name: Live, owner: o, duration: 1h, go_live: true }
" => GoLiveNotMilestone @ 6:62);
}

#[test]
fn instants_zones_and_windows() {
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, not_before: 2027-13-01T09:00 }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => InvalidInstant @ 6:59);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, not_before: 2027-01-06T09:00, deadline: 2027-01-05T17:00 }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => DeadlineBeforeNotBefore @ 6:87);
    problems!("window: { opens: 2027-01-08T07:00, closes: 2027-01-07T07:00 }
tasks:
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
" => InvalidWindow @ 5:9);
    assert_eq!(
        problems(
            "runbook: T\ntimezone: Europe/Londn\nstart: 2027-01-04T09:00\ngo_live: 2027-01-08T07:00\ntasks:\n  - { id: live, name: Live, owner: o, milestone: true, go_live: true }\n"
        ),
        vec![(Code::InvalidTimezone.as_str(), 2, 11)]
    );
}

#[test]
fn calendars() {
    problems!("calendars:
  office: { hours: 08:00-18:00, days: mon-fry }
tasks:
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
" => InvalidCalendar @ 6:39);
}

#[test]
fn gates_and_scenarios() {
    problems!("tasks:
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
gates:
  - id: g
    due: T-1d
    criteria:
      - { tasks_done: [missing], severity: blocker }
" => UnknownTask @ 11:24);
    problems!("tasks:
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
gates:
  - id: g
    due: T-1d
    criteria:
      - { severity: blocker }
" => InvalidCriterion @ 11:9);
    problems!("tasks:
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
scenarios:
  - { id: s, name: Nothing }
" => InvalidScenario @ 8:11);
}

#[test]
fn warnings() {
    problems!("tasks:
  - { id: a, name: A, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => MissingOwner @ 6:11);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
" => NotConnectedToGoLive @ 6:11);
    problems!("workstreams:
  dm: { lead: Lee }
tasks:
  - { id: live, name: Live, owner: o, milestone: true, go_live: true }
" => EmptyWorkstream @ 6:3);
    problems!("tasks:
  - { id: a, name: A, owner: o, duration: 1h, rollback: 2h }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [a] }
" => RollbackWithoutPointOfNoReturn @ 6:57);
}
