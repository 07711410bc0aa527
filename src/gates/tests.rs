//! Each criterion kind and each decision rule, with boundaries worked by hand.
//!
//! The runbook runs on 24x7 time from Monday 2027-01-04 00:00 (GMT, so UTC):
//! `a` (2 days) then `b` (2 days) then the go-live milestone at day 4; go-live is
//! day 6, so float to go-live is 2 days. The window closes at day 6 too.

use super::*;
use crate::decision::{Decision, Weight, decide};
use crate::plan::{Filter, plan};
use crate::schedule::Actual;
use crate::schedule::tests::project;
use crate::status::Signoff;

const DAY: i64 = 1440;

fn runbook(criteria: &str, extra: &str) -> String {
    format!(
        "runbook: gates test
timezone: Europe/London
start: 2027-01-04T00:00
go_live: 2027-01-10T00:00
window: {{ opens: 2027-01-07T00:00, closes: 2027-01-10T00:00 }}
{extra}
workstreams:
  build: {{ name: Build }}
tasks:
  - {{ id: a, name: A, owner: o, workstream: build, duration: 2d elapsed }}
  - {{ id: b, name: B, owner: o, workstream: build, duration: 2d elapsed, after: [a] }}
  - {{ id: side, name: Side, owner: o, duration: 1d elapsed }}
  - {{ id: live, name: Live, owner: o, milestone: true, go_live: true, after: [b, side] }}
gates:
  - id: g
    name: Gate
    due: 2027-01-06T00:00
    criteria:
{criteria}"
    )
}

/// Minutes since the start, as an instant.
fn day(d: f64) -> Moment {
    Moment(
        Moment::from_timestamp("2027-01-04T00:00:00Z".parse().unwrap()).0 + (d * DAY as f64) as i64,
    )
}

struct Case {
    project: Project,
    graph: crate::graph::TaskGraph,
}

impl Case {
    fn new(criteria: &str) -> Case {
        Case::with(criteria, "")
    }

    fn with(criteria: &str, extra: &str) -> Case {
        let (project, graph) = project(&runbook(criteria, extra));
        Case { project, graph }
    }

    /// A status file at `as_of` with nothing recorded: unfinished work restarts then.
    fn bare(&self, as_of: f64) -> Status {
        let mut s = Status::at_from(
            &self.project,
            day(as_of),
            crate::status::DataDateSource::StatusFile,
        );
        s.origin = Some(crate::source::FileId(1));
        s
    }

    /// A status at `as_of` with the work done as planned (a: days 0-2, b: 2-4,
    /// side: 0-1), so the plan is unchanged.
    fn status(&self, as_of: f64) -> Status {
        let mut s = self.bare(as_of);
        for (id, start, end) in [("a", 0.0, 2.0), ("b", 2.0, 4.0), ("side", 0.0, 1.0)] {
            let t = self.id(id);
            if end <= as_of {
                self.finish(&mut s, id, start, end);
            } else if start <= as_of {
                s.progress.actuals[t] = Actual {
                    started: Some(day(start)),
                    finished: None,
                    remaining: None,
                    ..Actual::default()
                };
            }
        }
        s
    }

    fn id(&self, id: &str) -> TaskId {
        self.project.task_by_id(id).unwrap()
    }

    fn finish(&self, status: &mut Status, id: &str, start: f64, end: f64) {
        let t = self.id(id);
        status.progress.actuals[t] = Actual {
            started: Some(day(start)),
            finished: Some(day(end)),
            remaining: None,
            ..Actual::default()
        };
    }

    /// (gate verdict, first criterion's result, decision).
    fn run(&self, status: &Status) -> (Verdict, CriterionResult, crate::decision::Outcome) {
        let plan = plan(&self.project, &self.graph, Some(status), &Filter::default()).unwrap();
        let gates = evaluate(&plan, status);
        let outcome = decide(&plan, &gates, status);
        (gates[0].verdict, gates[0].criteria[0].clone(), outcome)
    }
}

fn readings(status: &mut Status, metric: &str, points: &[(f64, f64)]) {
    status.metrics.insert(
        metric.to_owned(),
        points
            .iter()
            .map(|&(d, value)| Reading { at: day(d), value })
            .collect(),
    );
}

#[test]
fn metric_exactly_at_threshold_passes_and_just_below_fails() {
    let case = Case::new("      - { metric: m, at_least: 90, severity: blocker }");
    let mut s = case.status(3.0);
    readings(&mut s, "m", &[(1.0, 90.0)]);
    let (gate, c, outcome) = case.run(&s);
    assert_eq!((gate, c.verdict), (Verdict::Pass, Verdict::Pass));
    assert_eq!(outcome.decision, Decision::Go);

    readings(&mut s, "m", &[(1.0, 89.99)]);
    let (_, c, outcome) = case.run(&s);
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(outcome.decision, Decision::NoGo);
    assert!(c.detail.contains("short of at least 90"), "{}", c.detail);
}

#[test]
fn at_most_and_equals_compare_the_latest_reading() {
    let case =
        Case::new("      - { metric: defects, at_most: 0 }\n      - { metric: sites, equals: 3 }");
    let mut s = case.status(3.0);
    readings(&mut s, "defects", &[(1.0, 4.0), (2.5, 0.0)]);
    readings(&mut s, "sites", &[(2.0, 3.0)]);
    let plan = plan(&case.project, &case.graph, Some(&s), &Filter::default()).unwrap();
    let g = &evaluate(&plan, &s)[0];
    assert_eq!(g.criteria[0].verdict, Verdict::Pass);
    assert_eq!(g.criteria[1].verdict, Verdict::Pass);
    readings(&mut s, "sites", &[(2.0, 2.0)]);
    let g = &evaluate(&plan, &s)[0];
    assert_eq!(g.criteria[1].verdict, Verdict::Fail);
}

#[test]
fn a_due_blocker_with_no_reading_is_no_data_and_no_go() {
    let case = Case::new("      - { metric: m, at_least: 90, severity: blocker }");
    let (gate, c, outcome) = case.run(&case.status(3.0));
    assert_eq!((gate, c.verdict), (Verdict::NoData, Verdict::NoData));
    assert_eq!(outcome.decision, Decision::NoGo);
}

#[test]
fn a_gate_due_exactly_now_is_due() {
    // The gate is due at day 2.
    let case = Case::new("      - { metric: m, at_least: 90 }");
    let mut s = case.status(2.0);
    readings(&mut s, "m", &[(2.0, 95.0)]);
    assert_eq!(case.run(&s).0, Verdict::Pass);
    let mut s = case.status(2.0 - 1.0 / DAY as f64);
    readings(&mut s, "m", &[(1.0, 95.0)]);
    assert_eq!(case.run(&s).0, Verdict::NotYetDue);
}

#[test]
fn a_trend_that_misses_the_threshold_by_the_due_date_is_at_risk() {
    // Readings 50 on day 0 and 60 on day 1: +10 a day. Due day 2: the trend gives 70.
    let case = Case::new("      - { metric: m, at_least: 75 }");
    let mut s = case.status(1.0);
    readings(&mut s, "m", &[(0.0, 50.0), (1.0, 60.0)]);
    let (gate, c, outcome) = case.run(&s);
    assert_eq!((gate, c.verdict), (Verdict::AtRisk, Verdict::AtRisk));
    let t = c.trend.unwrap();
    assert!((t.per_day - 10.0).abs() < 1e-9);
    assert!((t.at_due - 70.0).abs() < 1e-9);
    // It reaches 75 at day 2.5, after the due date.
    assert_eq!(t.reaches, Some(day(2.5)));
    assert!(c.detail.contains("2027-01-06 12:00"), "{}", c.detail);
    assert_eq!(outcome.decision, Decision::GoWithConditions);

    // Needing 70, the trend gets there exactly at the due date: on track.
    let case = Case::new("      - { metric: m, at_least: 70 }");
    let (gate, c, outcome) = case.run(&s);
    assert_eq!((gate, c.verdict), (Verdict::NotYetDue, Verdict::NotYetDue));
    assert_eq!(c.trend.unwrap().reaches, Some(day(2.0)));
    assert_eq!(outcome.decision, Decision::Go);
}

#[test]
fn a_passing_metric_trending_the_wrong_way_is_at_risk() {
    // Open defects 1 then 3 (+2 a day): above 4 by day 2.
    let case = Case::new("      - { metric: defects, at_most: 4 }");
    let mut s = case.status(1.0);
    readings(&mut s, "defects", &[(0.0, 1.0), (1.0, 3.0)]);
    let (_, c, _) = case.run(&s);
    assert_eq!(c.verdict, Verdict::AtRisk);
    assert_eq!(c.trend.unwrap().reaches, Some(day(1.5)));
}

#[test]
fn a_single_off_track_reading_before_the_due_date_has_no_trend() {
    let case = Case::new("      - { metric: m, at_least: 75 }");
    let mut s = case.status(1.0);
    readings(&mut s, "m", &[(1.0, 60.0)]);
    let (_, c, _) = case.run(&s);
    assert_eq!(c.verdict, Verdict::NotYetDue);
    assert!(c.trend.is_none());
    assert!(c.detail.contains("no trend"), "{}", c.detail);
}

#[test]
fn tasks_done_pass_fail_and_at_risk() {
    let case = Case::new("      - { tasks_done: [a], severity: blocker }");
    let mut s = case.status(2.5);
    case.finish(&mut s, "a", 0.0, 2.0);
    let (_, c, _) = case.run(&s);
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(c.measured, Some(Measured::TasksDone { done: 1, of: 1 }));

    let (_, c, outcome) = case.run(&case.bare(2.5));
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(c.tasks, vec![case.id("a")]);
    assert_eq!(outcome.decision, Decision::NoGo);

    // Not yet due: `b` is planned to finish at day 4, after the due date (day 2).
    let case = Case::new("      - { tasks_done: [b] }");
    let (_, c, _) = case.run(&case.status(1.0));
    assert_eq!(c.verdict, Verdict::AtRisk);
    // `a` is planned to finish exactly at day 2: in time.
    let case = Case::new("      - { tasks_done: [a] }");
    let (_, c, _) = case.run(&case.status(1.0));
    assert_eq!(c.verdict, Verdict::NotYetDue);
}

#[test]
fn workstream_percent_is_by_duration() {
    // `a` done (2 of 4 days): 50%.
    let case = Case::new("      - { workstream_done: build, at_least: 50 }");
    let mut s = case.bare(2.5);
    case.finish(&mut s, "a", 0.0, 2.0);
    let (_, c, _) = case.run(&s);
    assert_eq!(c.measured, Some(Measured::Percent(50.0)));
    assert_eq!(c.verdict, Verdict::Pass);

    // At day 3 with `b` started at day 2 and planned to the end: 3 of 4 days.
    let case = Case::new("      - { workstream_done: build, at_least: 80 }");
    let mut s = case.bare(3.0);
    case.finish(&mut s, "a", 0.0, 2.0);
    s.progress.actuals[case.id("b")] = Actual {
        started: Some(day(2.0)),
        finished: None,
        remaining: None,
        ..Actual::default()
    };
    let (_, c, _) = case.run(&s);
    assert_eq!(c.measured, Some(Measured::Percent(75.0)));
    assert_eq!(c.verdict, Verdict::Fail);
}

#[test]
fn float_to_go_live_passes_exactly_at_the_minimum() {
    // Ready at day 4, go-live day 6: 2 days of float.
    let case = Case::new("      - { float_to_go_live: 2d }");
    let (_, c, _) = case.run(&case.status(2.0));
    assert_eq!(c.verdict, Verdict::Pass);
    assert_eq!(c.measured, Some(Measured::Float(2 * DAY)));
    let case = Case::new("      - { float_to_go_live: 2d 1m }");
    let (_, c, outcome) = case.run(&case.status(2.0));
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(outcome.decision, Decision::GoWithConditions);
}

#[test]
fn fits_window_fails_when_the_plan_overruns() {
    let case = Case::new("      - { fits_window: true, severity: blocker }");
    let (_, c, _) = case.run(&case.status(2.0));
    assert_eq!(c.verdict, Verdict::Pass);
    // `a` still not started at day 3: ready at day 7, a day after the window closes.
    let (_, c, outcome) = case.run(&case.bare(3.0));
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(c.measured, Some(Measured::WindowMargin(-DAY)));
    assert_eq!(outcome.decision, Decision::NoGo);
    assert!(
        outcome
            .reasons
            .iter()
            .any(|r| r.source == crate::decision::Source::Window)
    );
}

#[test]
fn signoffs_need_the_right_signer_by_the_due_date() {
    let case = Case::new("      - { signoff: safety-case, by: CSO, severity: blocker }");
    let mut s = case.status(1.0);
    assert_eq!(case.run(&s).1.verdict, Verdict::NotYetDue);
    let mut due = case.status(2.0);
    assert_eq!(case.run(&due).1.verdict, Verdict::Fail);
    due.signoffs.insert(
        "safety-case".into(),
        Signoff {
            by: Some("Dr Khan (CSO)".into()),
            at: Some(day(1.5)),
        },
    );
    assert_eq!(case.run(&due).1.verdict, Verdict::Pass);
    s.signoffs.insert(
        "safety-case".into(),
        Signoff {
            by: Some("Ward manager".into()),
            at: Some(day(0.5)),
        },
    );
    assert_eq!(case.run(&s).1.verdict, Verdict::AtRisk);
}

#[test]
fn minor_failures_are_notes_only() {
    let case = Case::new("      - { metric: m, at_least: 90, severity: minor }");
    let mut s = case.status(3.0);
    readings(&mut s, "m", &[(1.0, 10.0)]);
    let (_, c, outcome) = case.run(&s);
    assert_eq!(c.verdict, Verdict::Fail);
    assert_eq!(outcome.decision, Decision::Go);
    assert_eq!(outcome.reasons[0].weight, Weight::Note);
}

#[test]
fn float_below_the_runbooks_minimum_gives_conditions() {
    // 2 days of float; the runbook wants 2 days 1 minute, then exactly 2 days.
    let case = Case::with(
        "      - { metric: m, at_most: 1, severity: minor }",
        "thresholds: { min_float: 2d 1m }",
    );
    let s = case.status(0.0);
    assert_eq!(case.run(&s).2.decision, Decision::GoWithConditions);
    let case = Case::with(
        "      - { metric: m, at_most: 1, severity: minor }",
        "thresholds: { min_float: 2d }",
    );
    assert_eq!(case.run(&s).2.decision, Decision::Go);
}

#[test]
fn blocked_tasks_weigh_by_criticality() {
    let case = Case::new("      - { metric: m, at_most: 1, severity: minor }");
    let mut s = case.status(0.0);
    s.blocked.insert(case.id("a"), "no test environment".into());
    let outcome = case.run(&s).2;
    assert_eq!(outcome.decision, Decision::NoGo, "a is critical");
    assert!(outcome.reasons[0].text.contains("no test environment"));

    // `side` (1 day, feeding go-live at day 4) has 3 days of float: not critical.
    let mut s = case.status(0.0);
    s.blocked.insert(case.id("side"), "waiting".into());
    assert_eq!(case.run(&s).2.decision, Decision::GoWithConditions);
}

#[test]
fn a_plan_ready_after_go_live_is_no_go() {
    let case = Case::new("      - { metric: m, at_most: 1, severity: minor }");
    // Nothing started by day 5: ready at day 9, three days after go-live.
    let outcome = case.run(&case.bare(5.0)).2;
    assert_eq!(outcome.decision, Decision::NoGo);
    assert!(
        outcome
            .reasons
            .iter()
            .any(|r| r.source == crate::decision::Source::GoLive && r.text.contains("3d"))
    );
}

#[test]
fn an_at_risk_blocker_gives_conditions_not_no_go() {
    let case = Case::new("      - { tasks_done: [b], severity: blocker }");
    let (gate, _, outcome) = case.run(&case.status(1.0));
    assert_eq!(gate, Verdict::AtRisk);
    assert_eq!(outcome.decision, Decision::GoWithConditions);
}

#[test]
fn an_equals_target_reached_by_the_trend_is_on_track() {
    // 40 unmatched pathways on day 0, 20 on day 1: zero by day 2, the due date.
    let case = Case::new("      - { metric: unmatched, equals: 0 }");
    let mut s = case.status(1.0);
    readings(&mut s, "unmatched", &[(0.0, 40.0), (1.0, 20.0)]);
    let (_, c, _) = case.run(&s);
    assert_eq!(c.verdict, Verdict::NotYetDue, "{}", c.detail);
    assert!(c.detail.contains("-20 a day"), "{}", c.detail);
    // Only 10 a day: 20 left at the due date.
    readings(&mut s, "unmatched", &[(0.0, 30.0), (1.0, 20.0)]);
    let (_, c, _) = case.run(&s);
    assert_eq!(c.verdict, Verdict::AtRisk, "{}", c.detail);
}

#[test]
fn readings_near_the_largest_float_give_a_finite_trend() {
    // Three readings of 1e308 summed overflow to infinity; scaled first they give a
    // flat line at 1e308.
    let case = Case::new("      - { metric: m, at_most: 5 }");
    let mut s = case.status(1.0);
    readings(&mut s, "m", &[(0.0, 1e308), (0.5, 1e308), (1.0, 1e308)]);
    let (_, c, _) = case.run(&s);
    let t = c.trend.unwrap();
    assert_eq!((t.per_day, t.at_due), (0.0, 1e308));
    assert!(!c.detail.contains("NaN"), "{}", c.detail);
    assert_eq!(c.verdict, Verdict::AtRisk, "{}", c.detail);
}

#[test]
fn a_trend_that_runs_past_the_largest_float_is_declared_unavailable() {
    // From -1.7e308 to 1.7e308 in a day: the line's slope is finite, its value at the
    // due date (a day later still) is not.
    let case = Case::new("      - { metric: m, at_most: 5 }");
    let mut s = case.status(1.0);
    readings(&mut s, "m", &[(0.0, -1.7e308), (1.0, 1.7e308)]);
    assert_eq!(
        trend_or_why(&s.metrics["m"], 5.0, day(2.0)),
        Err(NoTrend::TooLarge)
    );
    let (_, c, _) = case.run(&s);
    assert!(c.trend.is_none());
    assert_eq!(
        c.detail,
        "`m` is 1.7e308, over the limit of 5; the readings are too large to project, so no trend"
    );
}

#[test]
fn readings_all_at_one_instant_say_so() {
    let case = Case::new("      - { metric: m, at_least: 75 }");
    let mut s = case.status(1.0);
    readings(&mut s, "m", &[(1.0, 60.0), (1.0, 61.0), (1.0, 62.0)]);
    let (_, c, _) = case.run(&s);
    assert!(c.trend.is_none());
    assert!(
        c.detail.contains("every reading is at the same time"),
        "{}",
        c.detail
    );
    assert!(!c.detail.contains("one reading"), "{}", c.detail);
}
