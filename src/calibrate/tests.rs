//! Calibration with answers worked by hand, and the law that actuals equal to the plan
//! change no estimate.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::load::Limits;
use crate::pipeline::{Prepared, add_status_text, prepare_text};

fn tp(best: i64, likely: i64, worst: i64) -> ThreePoint {
    ThreePoint {
        best,
        likely,
        worst,
    }
}

#[test]
fn one_or_two_rehearsals_widen_the_plan() {
    // Plan 5h / 7h / 12h; DR1 13h20m (800), DR2 9h05m (545).
    // best  = min(300, 545) = 300
    // likely = max(420, mean (800 + 545) / 2 = 672.5 -> 673 halves up) = 673 (11h 13m)
    // worst = max(720, 800) = 800
    assert_eq!(
        fit(tp(300, 420, 720), &[800, 545]),
        (tp(300, 673, 800), Method::Widened)
    );
    // A fast rehearsal does not narrow the plan: 3h / 4h / 6h, one run of 3h20m (200).
    // best = min(180, 200) = 180, likely = max(240, 200) = 240, worst = max(360, 200) = 360.
    assert_eq!(
        fit(tp(180, 240, 360), &[200]),
        (tp(180, 240, 360), Method::Widened)
    );
    // A run faster than the plan's best lowers best: 2h (120) against 3h / 4h / 6h.
    assert_eq!(
        fit(tp(180, 240, 360), &[120]),
        (tp(120, 240, 360), Method::Widened)
    );
}

#[test]
fn three_or_more_rehearsals_fit_them() {
    // Plan 5h / 7h / 12h; runs 9h05m, 6h50m, 8h (545, 410, 480): median 480.
    // Scale 480 / 420: best 300 * 480 / 420 = 342.86 -> 343, worst 720 * 480 / 420 =
    // 822.86 -> 823. best = min(343, 410) = 343; worst = max(823, 545) = 823.
    assert_eq!(
        fit(tp(300, 420, 720), &[545, 410, 480]),
        (tp(343, 480, 823), Method::Fitted)
    );
    // Three fast runs bring likely down: 3h / 4h / 6h, runs 200, 210, 190 -> median 200.
    // Scale 200 / 240: best 150, worst 300; min actual 190 > 150, max 210 < 300.
    assert_eq!(
        fit(tp(180, 240, 360), &[200, 210, 190]),
        (tp(150, 200, 300), Method::Fitted)
    );
    // An even count: the median is the mean of the middle two, halves up.
    // 1h / 1h30m / 2h30m, runs 70, 81, 100, 120: median (81 + 100) / 2 = 90.5 -> 91.
    // Scale 91 / 90: best 60.67 -> 61, worst 151.67 -> 152; min 70 > 61, max 120 < 152.
    assert_eq!(
        fit(tp(60, 90, 150), &[100, 70, 120, 81]),
        (tp(61, 91, 152), Method::Fitted)
    );
    // A run beyond the scaled worst stretches it: 1h / 1h30m / 2h, runs 90, 90, 300.
    // Median 90, scale 1: best 60, worst max(120, 300) = 300.
    assert_eq!(
        fit(tp(60, 90, 120), &[90, 300, 90]),
        (tp(60, 90, 300), Method::Fitted)
    );
}

proptest! {
    /// The law: actuals equal to the plan leave the plan's estimate as it is, with any
    /// number of rehearsals.
    #[test]
    fn actuals_equal_to_plan_change_nothing(
        best in 0i64..10_000,
        up in 1i64..10_000,
        spread in 0i64..20_000,
        n in 1usize..8,
    ) {
        let plan = tp(best, best + up, best + up + spread);
        let (fitted, _) = fit(plan, &vec![plan.likely; n]);
        prop_assert_eq!(fitted, plan);
    }

    /// Whatever was seen, the suggestion is a valid estimate and covers every actual.
    #[test]
    fn suggestions_are_ordered_and_cover_the_actuals(
        best in 0i64..5_000,
        up in 1i64..5_000,
        spread in 0i64..5_000,
        actuals in prop::collection::vec(0i64..20_000, 1..7),
    ) {
        let plan = tp(best, best + up, best + up + spread);
        let (s, _) = fit(plan, &actuals);
        prop_assert!(s.best <= s.likely && s.likely <= s.worst, "{s:?}");
        prop_assert!(actuals.iter().all(|&a| s.best <= a && a <= s.worst), "{s:?}");
    }
}

const RUNBOOK: &str = "\
runbook: Calibration test
timezone: Europe/London
start: 2027-01-04T09:00
go_live: 2027-01-09T07:00
window: { opens: 2027-01-08T18:00, closes: 2027-01-09T07:00 }
calendars:
  office: { hours: 09:00-17:00, days: mon-fri }
workstreams:
  prep: { name: Preparation }
  data: { name: Data migration }
tasks:
  - { id: prep, name: Prepare, workstream: prep, owner: A, calendar: office, duration: 2h }
  - { id: freeze, name: Freeze, workstream: data, owner: B, duration: 1h,
      not_before: 2027-01-08T18:00, after: [prep] }
  - { id: load, name: Load, workstream: data, owner: B,
      estimate: { best: 3h, likely: 4h, worst: 8h }, after: [freeze] }
  - { id: live, name: Live, owner: B, milestone: true, go_live: true, after: [load] }
";

/// The runbook above, prepared.
fn prepared() -> Prepared {
    let p = prepare_text(
        Path::new("calib.yaml"),
        RUNBOOK.to_owned(),
        &Limits::default(),
    );
    assert!(p.ready.is_some(), "{:?}", p.diagnostics);
    p
}

/// A status text resolved against `p` as a rehearsal.
fn rehearsal(p: &mut Prepared, stem: &str, text: &str) -> Rehearsal {
    add_status_text(
        p,
        Path::new("r.status.yaml"),
        text.to_owned(),
        &Limits::default(),
    );
    let status = p
        .ready
        .as_mut()
        .and_then(|r| r.status.take())
        .unwrap_or_else(|| panic!("{:?}", p.diagnostics));
    Rehearsal {
        file: format!("{stem}.status.yaml"),
        stem: stem.to_owned(),
        status,
    }
}

#[test]
fn hand_checked_calibration() {
    let mut p = prepared();
    // R1 (named by `run:`): prep on the office calendar (09:00-17:00) from Monday 16:00
    // to Tuesday 10:00 is 1h + 1h = 2h of working time; freeze 18:00-19:30 (1h30m,
    // exactly 1.5x: not over, the flag is for more than 1.5x); load 19:30-03:30 (8h, 2x).
    let r1 = rehearsal(
        &mut p,
        "r1",
        "as_of: 2026-12-20T12:00
run: { kind: rehearsal, name: R1 }
tasks:
  prep: { started: 2026-12-14T16:00, finished: 2026-12-15T10:00 }
  freeze: { started: 2026-12-18T18:00, finished: 2026-12-18T19:30 }
  load: { started: 2026-12-18T19:30, finished: 2026-12-19T03:30 }
  live: { started: 2026-12-19T03:30 }
",
    );
    // r2 (no run name: labelled by its file): freeze 1h (1.0x), load 5h (1.25x), prep
    // still running.
    let r2 = rehearsal(
        &mut p,
        "r2",
        "as_of: 2027-01-03T12:00
tasks:
  prep: { started: 2026-12-28T09:00, remaining: 1h }
  freeze: { started: 2027-01-01T18:00, finished: 2027-01-01T19:00 }
  load: { started: 2027-01-01T19:00, finished: 2027-01-02T00:00 }
",
    );
    let ready = p.ready.as_ref().unwrap();
    let c = calibrate(&ready.project, &ready.graph, &[r1, r2], Settings::default()).unwrap();
    let labels: Vec<(&str, &str)> = c
        .rehearsals
        .iter()
        .map(|r| (r.label.as_str(), r.label_from))
        .collect();
    assert_eq!(labels, [("R1", "run"), ("r2", "file")]);

    // Tasks in planned order; the milestone is not measured.
    let ids: Vec<&str> = c.tasks.iter().map(|t| t.task.as_str()).collect();
    assert_eq!(ids, ["prep", "freeze", "load"]);
    let actual = |t: usize| -> Vec<Option<(i64, bool)>> {
        c.tasks[t]
            .rehearsals
            .iter()
            .map(|m| m.map(|m| (m.actual, m.over)))
            .collect()
    };
    assert_eq!(actual(0), [Some((120, false)), None]);
    assert_eq!(actual(1), [Some((90, false)), Some((60, false))]);
    assert_eq!(actual(2), [Some((480, true)), Some((300, false))]);
    assert!((c.tasks[2].rehearsals[1].unwrap().ratio - 1.25).abs() < 1e-12);

    // prep: a duration with no uncertainty spread (100% / 100%): plan 2h / 2h / 2h, one
    // run of 2h -> unchanged.
    assert_eq!(c.tasks[0].plan_estimate, tp(120, 120, 120));
    assert_eq!(c.tasks[0].plan_source, PlanSource::Uncertainty);
    assert!(!c.tasks[0].changed);
    // freeze: plan 1h / 1h / 1h, runs 90 and 60: best min(60, 60) = 60, likely
    // max(60, 75) = 75, worst max(60, 90) = 90.
    assert_eq!(c.tasks[1].suggested, tp(60, 75, 90));
    // load: plan 3h / 4h / 8h, runs 480 and 300: best 180, likely max(240, 390) = 390,
    // worst max(480, 480) = 480.
    assert_eq!(c.tasks[2].suggested, tp(180, 390, 480));
    assert_eq!(c.tasks[2].method, Method::Widened);

    // Workstreams: Preparation R1 2h -> 2h, r2 nothing finished; Data migration R1
    // 1h + 4h = 300 -> 90 + 480 = 570 (1.9x, over), r2 300 -> 60 + 300 = 360 (1.2x).
    type Row = (usize, i64, i64, bool);
    let ws: Vec<(&str, Vec<Row>)> = c
        .workstreams
        .iter()
        .map(|w| {
            (
                w.name.as_str(),
                w.rehearsals
                    .iter()
                    .map(|t| (t.tasks, t.plan, t.actual, t.over))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        ws,
        [
            ("Preparation", vec![(1, 120, 120, false), (0, 0, 0, false)]),
            (
                "Data migration",
                vec![(2, 300, 570, true), (2, 300, 360, false)]
            ),
        ]
    );

    // The window holds freeze and load (prep is planned on Monday). Planned span
    // Friday 18:00 to 23:00 = 300; R1 18:00 to 03:30 = 570 (1.9x), r2 18:00 to 00:00 =
    // 360 (1.2x).
    let w = c.window.as_ref().unwrap();
    assert_eq!(w.tasks, 2);
    let spans: Vec<(i64, i64, bool)> = w
        .rehearsals
        .iter()
        .map(|r| (r.plan_span, r.actual_span, r.span_over))
        .collect();
    assert_eq!(spans, [(300, 570, true), (300, 360, false)]);

    // prep in r2 was started, not finished.
    let unmeasured: Vec<(&str, &str, &str)> = c
        .unmeasured
        .iter()
        .map(|u| (u.rehearsal.as_str(), u.task.as_str(), u.why))
        .collect();
    assert_eq!(unmeasured, [("r2", "prep", "started but not finished")]);

    // The scenario the estimates file holds: every task measured.
    let sc = c.scenario();
    assert_eq!(sc.id, "calibrated");
    assert_eq!(sc.name, "Estimates calibrated from rehearsals R1, r2");
    assert_eq!(sc.estimates.len(), 3);
}

#[test]
fn the_threshold_is_a_setting_and_labels_must_differ() {
    let mut p = prepared();
    let text = "as_of: 2026-12-20T12:00
run: { kind: rehearsal, name: DR1 }
tasks:
  freeze: { started: 2026-12-18T18:00, finished: 2026-12-18T19:30 }
";
    let a = rehearsal(&mut p, "a", text);
    let b = rehearsal(&mut p, "b", text);
    let ready = p.ready.as_ref().unwrap();
    let settings = Settings {
        over: 1.2,
        monte_carlo: None,
    };
    let c = calibrate(
        &ready.project,
        &ready.graph,
        std::slice::from_ref(&a),
        settings,
    )
    .unwrap();
    assert!(c.tasks[0].rehearsals[0].unwrap().over, "1.5x is over 1.2x");
    assert_eq!(
        calibrate(&ready.project, &ready.graph, &[a, b], settings).unwrap_err(),
        CalibrateError::DuplicateLabel("DR1".to_owned())
    );
    assert_eq!(
        calibrate(&ready.project, &ready.graph, &[], settings).unwrap_err(),
        CalibrateError::NoRehearsal
    );
}

#[test]
fn monte_carlo_compares_the_plan_with_the_calibration() {
    let mut p = prepared();
    // Load ran 8h twice against 3h / 4h / 8h: calibrated likely 8h, so readiness later.
    let runs = ["DR1", "DR2"].map(|name| {
        rehearsal(
            &mut p,
            name,
            &format!(
                "as_of: 2026-12-20T12:00
run: {{ kind: rehearsal, name: {name} }}
tasks:
  load: {{ started: 2026-12-18T19:30, finished: 2026-12-19T03:30 }}
"
            ),
        )
    });
    let ready = p.ready.as_ref().unwrap();
    let settings = Settings {
        over: DEFAULT_OVER,
        monte_carlo: Some(montecarlo::Settings {
            iterations: 500,
            seed: 3,
        }),
    };
    let c = calibrate(&ready.project, &ready.graph, &runs, settings).unwrap();
    assert_eq!(c.tasks[0].suggested, tp(180, 480, 480));
    let mc = c.monte_carlo.as_ref().unwrap();
    // From the window's opening: freeze 18:00-19:00 is fixed (no spread), then load.
    // Planned: load between 3h and 8h, so ready between 22:00 and 03:00. Calibrated:
    // between 3h and 8h with its peak at 8h: later.
    assert_eq!(mc.from.as_ref().unwrap().local, "2027-01-08 18:00");
    assert!(mc.p80_shift > 0, "{}", mc.p80_shift);
    assert!(mc.planned.p80.local.as_str() <= "2027-01-09 03:00");
    assert!(mc.calibrated.p95.local.as_str() <= "2027-01-09 03:00");
    // Everything is ready before go-live (07:00) either way.
    assert!((mc.planned.probability_by_go_live - 1.0).abs() < 1e-12);
}
