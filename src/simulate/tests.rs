//! Scenario laws on a 24x7 network worked by hand: `a` (2d) -> `b` (2d) -> go-live
//! milestone at day 4, with `side` (1d, float 3d) also feeding it; go-live at day 6.

use super::*;
use crate::project::Scenario;
use crate::schedule::tests::project;
use crate::status::Reading;

const RUNBOOK: &str = "runbook: scenarios
timezone: Europe/London
start: 2027-01-04T00:00
go_live: 2027-01-10T00:00
window: { opens: 2027-01-07T00:00, closes: 2027-01-10T00:00 }
cost_of_delay: { per_month: 3000000, benefits_per_month: 600000 }
tasks:
  - { id: a, name: A, owner: o, duration: 2d }
  - { id: b, name: B, owner: o, duration: 2d, after: [a] }
  - { id: side, name: Side, owner: o, duration: 1d }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [b, side] }
gates:
  - id: g
    name: Training
    due: T-2d
    criteria:
      - { metric: training, at_least: 90, severity: major }
";

fn setup() -> (Project, TaskGraph, Status) {
    let (p, g) = project(RUNBOOK);
    let mut s = Status::at_from(&p, p.start, crate::status::DataDateSource::StatusFile);
    s.origin = Some(crate::source::FileId(1));
    s.metrics.insert(
        "training".into(),
        vec![Reading {
            at: p.start,
            value: 95.0,
        }],
    );
    (p, g, s)
}

fn scenario(p: &Project, f: impl FnOnce(&mut Scenario)) -> Scenario {
    let mut sc = Scenario {
        id: "s".into(),
        name: "S".into(),
        ..Scenario::default()
    };
    let _ = p;
    f(&mut sc);
    sc
}

fn compare_one(sc: Scenario) -> (Case, Case, Project) {
    let (p, g, s) = setup();
    let mut c = compare(&p, &g, &s, &[sc], None, &|_| {}).unwrap();
    let scenario = c.cases.pop().unwrap();
    (c.cases.pop().unwrap(), scenario, p)
}

#[test]
fn slipping_a_task_within_its_float_changes_nothing() {
    let (p, _, _) = setup();
    let side = p.task_by_id("side").unwrap();
    let (base, s, _) = compare_one(scenario(&p, |sc| sc.slips = vec![(side, 3 * DAY - 1)]));
    assert_eq!(s.ready, base.ready);
    assert_eq!(s.float_to_go_live, base.float_to_go_live);
    assert_eq!(s.critical_path, base.critical_path);
    assert_eq!(s.decision, base.decision);
    assert!(s.flips.is_empty());
}

#[test]
fn slipping_a_critical_task_moves_the_finish_by_the_slip() {
    let (p, _, _) = setup();
    let a = p.task_by_id("a").unwrap();
    let (base, s, _) = compare_one(scenario(&p, |sc| sc.slips = vec![(a, 7 * 60)]));
    assert_eq!(s.ready.0 - base.ready.0, 7 * 60);
    assert_eq!(s.float_to_go_live, base.float_to_go_live - 7 * 60);
}

#[test]
fn deferring_go_live_adds_the_deferral_to_float_and_costs_money() {
    let (p, _, _) = setup();
    let (base, s, _) = compare_one(scenario(&p, |sc| sc.defer = Some(28 * DAY)));
    assert_eq!(s.float_to_go_live, base.float_to_go_live + 28 * DAY);
    assert_eq!(
        s.float_to_close.unwrap(),
        base.float_to_close.unwrap() + 28 * DAY
    );
    assert_eq!(s.ready, base.ready);
    assert_eq!(s.go_live.0 - base.go_live.0, 28 * DAY);
    // 28 days of a 30-day month: 28/30 of 3.0M and of 0.6M.
    let cost = s.cost.unwrap();
    assert!((cost.programme - 2_800_000.0).abs() < 1e-6);
    assert!((cost.benefits - 560_000.0).abs() < 1e-6);
    assert_eq!(base.cost.unwrap().total(), 0.0);
}

#[test]
fn a_metric_override_flips_the_gate() {
    let (p, _, _) = setup();
    let (base, s, _) = compare_one(scenario(&p, |sc| {
        sc.metrics = vec![("training".into(), 80.0)];
    }));
    assert_eq!(base.decision, Decision::Go);
    // Not yet due at the start, and one reading: no trend, not at risk.
    assert_eq!(s.gates, base.gates);
    // Mark `a` done and the reading is judged at a later data date the same way.
    let (p, g, mut st) = setup();
    st.as_of = Moment(p.go_live.0 - DAY);
    let sc = scenario(&p, |sc| {
        sc.metrics = vec![("training".into(), 80.0)];
        sc.done = vec![
            p.task_by_id("a").unwrap(),
            p.task_by_id("b").unwrap(),
            p.task_by_id("side").unwrap(),
        ];
    });
    let c = compare(&p, &g, &st, &[sc], None, &|_| {}).unwrap();
    let s = &c.cases[1];
    assert_eq!(s.gates[0], Verdict::Fail);
    assert_eq!(s.decision, Decision::GoWithConditions);
    assert_eq!(
        s.flips.len(),
        usize::from(c.cases[0].gates[0] != Verdict::Fail)
    );
}

#[test]
fn the_earliest_go_is_found_by_deferral() {
    // Nothing done by day 5: ready at day 9, 3 days after go-live: NO-GO until go-live
    // moves at least 3 days (the gate, 2 days before go-live, then still passes).
    let (p, g, mut s) = setup();
    s.as_of = Moment(p.start.0 + 5 * DAY);
    s.progress.as_of = Some(s.as_of);
    let found = earliest_go(&p, &g, &s).unwrap();
    assert_eq!(
        found.earliest,
        EarliestGo::At {
            deferral: 3 * DAY,
            go_live: Moment(p.go_live.0 + 3 * DAY)
        }
    );
    assert_eq!(found.go_days, [(3, 365)]);
    assert!(found.blockers.is_empty());
    // A blocked task never allows a GO, and the search says so.
    s.blocked
        .insert(p.task_by_id("a").unwrap(), "no environment".into());
    let found = earliest_go(&p, &g, &s).unwrap();
    assert_eq!(found.earliest, EarliestGo::NotWithin);
    assert!(found.go_days.is_empty());
    assert_eq!(found.blockers.len(), 1);
    // `a` starts the longest path to go-live, whatever the deferral: NO-GO.
    assert_eq!(
        found.blockers[0].text,
        "task `a` (on the longest path to go-live) is blocked: no environment"
    );
    assert_eq!(found.blockers[0].weight, crate::decision::Weight::NoGo);
}

#[test]
fn every_day_is_judged_when_more_time_makes_things_worse() {
    // Nothing done by day 5: ready at day 9, so go-live (day 6) needs 3 more days. But
    // open defects rise by one a day (3 on day 3, 5 on day 5) against a limit of 10 at
    // the gate, 2 days before go-live: with go-live deferred by d days the gate is due
    // on day 4 + d, when the trend says 4 + d. So d = 3..6 is GO and d >= 7 is at
    // risk (a condition). Bisection over 0..365 would have found no GO at all.
    let (mut p, g, mut s) = setup();
    p.gates[0].criteria.push(crate::project::Criterion {
        kind: crate::project::CriterionKind::Metric {
            metric: "defects".into(),
            comparison: crate::project::Comparison::AtMost,
            threshold: 10.0,
        },
        severity: crate::project::Severity::Major,
        owner: None,
        label: "defects <= 10".into(),
        origin: crate::source::Origin::default(),
    });
    s.as_of = Moment(p.start.0 + 5 * DAY);
    s.progress.as_of = Some(s.as_of);
    s.metrics.insert(
        "defects".into(),
        vec![
            Reading {
                at: Moment(p.start.0 + 3 * DAY),
                value: 3.0,
            },
            Reading {
                at: Moment(p.start.0 + 5 * DAY),
                value: 5.0,
            },
        ],
    );
    let found = earliest_go(&p, &g, &s).unwrap();
    assert_eq!(found.go_days, [(3, 6)]);
    assert_eq!(
        found.earliest,
        EarliestGo::At {
            deferral: 3 * DAY,
            go_live: Moment(p.go_live.0 + 3 * DAY)
        }
    );
}

#[test]
fn monte_carlo_runs_per_scenario() {
    let (mut p, g, s) = setup();
    p.uncertainty.best = 0.8;
    p.uncertainty.worst = 2.0;
    let defer = scenario(&p, |sc| sc.defer = Some(28 * DAY));
    let settings = Settings {
        iterations: 500,
        seed: 3,
    };
    let c = compare(&p, &g, &s, &[defer], Some(settings), &|_| {}).unwrap();
    let (base, later) = (
        c.cases[0].monte_carlo.as_ref().unwrap(),
        c.cases[1].monte_carlo.as_ref().unwrap(),
    );
    // The same work: the same spread of readiness; more of it makes the later date.
    assert_eq!(base.ready, later.ready);
    assert!(later.probability_by(later.go_live) >= base.probability_by(base.go_live));
    assert_eq!(later.probability_by(later.go_live), 1.0);
}

#[test]
fn deferring_by_weeks_keeps_the_local_clock_time_across_a_clock_change() {
    // Clocks go forward on 28 March 2027: four weeks after 07:00 GMT is 07:00 BST,
    // one hour less than 28 x 24 hours later.
    let tz = crate::time::parse_timezone("Europe/London").unwrap();
    let before = crate::time::parse_instant("2027-03-08T07:00", &tz).unwrap();
    let after = before.shift_local(&tz, 28 * DAY);
    assert_eq!(crate::time::local_label(after, &tz), "2027-04-05 07:00");
    assert_eq!(after.0 - before.0, 28 * DAY - 60);
}

#[test]
fn the_search_for_a_go_stops_at_the_horizon() {
    // The horizon ends at go-live + 10 years: day 3,659 from the start. With `a` 3,640
    // days longer the plan is ready on day 3,644; go-live deferred to day 3,636 is
    // NO-GO, and only 23 more days fit before the horizon (not the search's 365).
    let (p, g, s) = setup();
    let sc = scenario(&p, |sc| {
        sc.slips = vec![(0, 3640 * DAY)];
        sc.defer = Some(3630 * DAY);
    });
    let c = compare(&p, &g, &s, &[sc], None, &|_| {}).unwrap();
    assert_eq!(c.cases[1].decision, Decision::NoGo);
    assert_eq!(
        c.cases[1].earliest_go,
        EarliestGo::At {
            deferral: 8 * DAY,
            go_live: Moment(p.start.0 + 3644 * DAY),
        }
    );
}
