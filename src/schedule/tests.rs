//! CPM checked against networks worked by hand, and laws checked on random networks.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::load::{Limits, load_runbook_text};
use crate::source::Sources;
use crate::time::{local_label, parse_instant};
use crate::validate::validate;

/// `yaml` with a go-live milestone (`zz-go-live`, the last task) after every task, when
/// it marks none: the networks worked by hand here are judged at their finish.
pub(crate) fn with_go_live(yaml: &str) -> String {
    if yaml.contains("go_live: true") {
        return yaml.to_owned();
    }
    let sinks = task_ids(yaml);
    let line = format!(
        "  - {{ id: zz-go-live, name: Go live, owner: o, milestone: true, go_live: true, after: [{}] }}",
        sinks.join(", ")
    );
    let lines: Vec<&str> = yaml.lines().collect();
    let last = lines
        .iter()
        .rposition(|l| l.starts_with("  - "))
        .unwrap_or(lines.len());
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    out.insert(last + 1, line);
    out.join("\n") + "\n"
}

/// Every task id in `yaml` written as `- { id: ... }` or `id: ...`.
fn task_ids(yaml: &str) -> Vec<String> {
    yaml.lines()
        .filter(|l| l.trim_start().starts_with("- ") || l.trim_start().starts_with("id:"))
        .filter_map(|l| l.split("id: ").nth(1))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect()
        })
        .collect()
}

/// Loads and validates `yaml` (adding a go-live milestone if it has none, see
/// [`with_go_live`]), panicking with the diagnostics if it is invalid.
pub(crate) fn project(yaml: &str) -> (Project, TaskGraph) {
    let mut sources = Sources::default();
    let loaded = load_runbook_text(
        Path::new("test.yaml"),
        with_go_live(yaml),
        &mut sources,
        &Limits::default(),
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let v = validate(&loaded.runbook.unwrap());
    let errors: Vec<_> = v.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    (v.project.unwrap(), v.graph.unwrap())
}

fn plan(yaml: &str) -> (Project, Schedule) {
    let (p, g) = project(yaml);
    let s = schedule(&p, &g, None).unwrap();
    (p, s)
}

/// A runbook starting Monday 4 January 2027 00:00 (GMT = UTC), with `tasks` in 24x7.
fn elapsed_runbook(go_live: &str, tasks: &str) -> String {
    format!(
        "runbook: test\ntimezone: Europe/London\nstart: 2027-01-04T00:00\ngo_live: {go_live}\ntasks:\n{tasks}"
    )
}

/// Hours since the start for each task: (ES, EF, LS, LF, TF, FF).
fn hours(p: &Project, s: &Schedule, id: &str) -> (i64, i64, i64, i64, i64, i64) {
    let t = &s.tasks[p.task_by_id(id).unwrap()];
    let h = |m: Moment| (m.0 - p.start.0) / 60;
    (
        h(t.early_start),
        h(t.early_finish),
        h(t.late_start),
        h(t.late_finish),
        t.total_float / 60,
        t.free_float / 60,
    )
}

const TEXTBOOK: &str = r"  - { id: a, name: A, owner: o, duration: 3h }
  - { id: b, name: B, owner: o, duration: 4h, after: [a] }
  - { id: c, name: C, owner: o, duration: 2h, after: [a] }
  - { id: d, name: D, owner: o, duration: 5h, after: [b] }
  - { id: e, name: E, owner: o, duration: 1h, after: [c] }
  - { id: f, name: F, owner: o, duration: 2h, after: [d, e] }
";

#[test]
fn textbook_network_has_the_hand_worked_dates_and_floats() {
    // A(3) -> B(4) -> D(5) -> F(2) is the longest path (14h); C(2) -> E(1) has 6h float.
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", TEXTBOOK));
    assert_eq!(hours(&p, &s, "a"), (0, 3, 0, 3, 0, 0));
    assert_eq!(hours(&p, &s, "b"), (3, 7, 3, 7, 0, 0));
    assert_eq!(hours(&p, &s, "c"), (3, 5, 9, 11, 6, 0));
    assert_eq!(hours(&p, &s, "d"), (7, 12, 7, 12, 0, 0));
    assert_eq!(hours(&p, &s, "e"), (5, 6, 11, 12, 6, 6));
    assert_eq!(hours(&p, &s, "f"), (12, 14, 12, 14, 0, 0));
    let critical: Vec<&str> = p
        .tasks
        .iter()
        .zip(&s.tasks)
        .filter(|(_, d)| d.critical)
        .map(|(t, _)| t.id.as_str())
        .collect();
    assert_eq!(critical, ["a", "b", "d", "f", "zz-go-live"]);
    assert_eq!(s.finish.0 - p.start.0, 14 * 60);
    // Go-live is 24h after the start: 10h to spare.
    assert_eq!(s.float_to_go_live(), 10 * 60);
    // Against go-live alone (24h), the chain has those 10h and C and E 6h more:
    // E's latest finish is F's latest start, 22h, so E may start at 21h (ES 5h).
    let to_go_live = |id: &str| s.tasks[p.task_by_id(id).unwrap()].float_to_go_live;
    for (id, hours) in [
        ("a", 10),
        ("b", 10),
        ("c", 16),
        ("d", 10),
        ("e", 16),
        ("f", 10),
    ] {
        assert_eq!(to_go_live(id), Some(hours * 60), "{id}");
    }
}

#[test]
fn missing_go_live_shows_as_negative_float_on_the_driving_chain() {
    // Go-live at 12h, but the plan needs 14h: the chain has -2h, C and E keep 4h.
    let tasks = format!(
        "{TEXTBOOK}  - {{ id: live, name: Live, owner: o, milestone: true, go_live: true, after: [f] }}\n"
    );
    let (p, s) = plan(&elapsed_runbook("2027-01-04T12:00", &tasks));
    assert_eq!(hours(&p, &s, "live").4, -2);
    assert_eq!(hours(&p, &s, "a").4, -2);
    assert_eq!(hours(&p, &s, "f"), (12, 14, 10, 12, -2, -2));
    assert_eq!(hours(&p, &s, "e").4, 4);
    assert_eq!(s.float_to_go_live(), -2 * 60);
}

#[test]
fn a_deadline_pulls_late_dates_in() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 3h }
  - { id: b, name: B, owner: o, duration: 2h, deadline: 2027-01-04T04:00 }
  - { id: c, name: C, owner: o, duration: 1h, after: [a, b] }
";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    // B could finish as late as 3h (C starts at 3h), but its deadline says 4h: 3h wins.
    assert_eq!(hours(&p, &s, "b"), (0, 2, 1, 3, 1, 1));
    let tasks = "  - { id: b, name: B, owner: o, duration: 5h, deadline: 2027-01-04T04:00 }\n";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    assert_eq!(hours(&p, &s, "b").4, -1);
}

#[test]
fn start_to_start_with_a_lag() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 5h }
  - { id: b, name: B, owner: o, duration: 4h, after: [{ task: a, type: SS, lag: 2h }] }
";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    assert_eq!(hours(&p, &s, "b"), (2, 6, 2, 6, 0, 0));
    // A drives B through its start, so A is critical although B finishes after it.
    assert_eq!(hours(&p, &s, "a"), (0, 5, 0, 5, 0, 0));
}

#[test]
fn finish_to_finish_with_a_lag() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 5h }
  - { id: b, name: B, owner: o, duration: 2h, after: [{ task: a, type: FF, lag: 1h }] }
";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    assert_eq!(hours(&p, &s, "b"), (4, 6, 4, 6, 0, 0));
    assert_eq!(hours(&p, &s, "a"), (0, 5, 0, 5, 0, 0));
}

#[test]
fn start_to_finish_with_a_lag() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 5h }
  - { id: b, name: B, owner: o, duration: 2h, after: [{ task: a, type: SF, lag: 3h }] }
";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    // B must finish at least 3h after A starts: it runs 1h-3h. A sets the end at 5h.
    assert_eq!(hours(&p, &s, "b"), (1, 3, 3, 5, 2, 2));
}

#[test]
fn finish_to_start_with_a_lead() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 5h }
  - { id: b, name: B, owner: o, duration: 3h, after: [{ task: a, type: FS, lag: -2h }] }
";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    assert_eq!(hours(&p, &s, "b"), (3, 6, 3, 6, 0, 0));
    assert_eq!(hours(&p, &s, "a"), (0, 5, 0, 5, 0, 0));
}

#[test]
fn a_lead_cannot_start_before_the_plan() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 1h }
  - { id: b, name: B, owner: o, duration: 1h, after: [{ task: a, type: FS, lag: -3h }] }
";
    let (p, s) = plan(&elapsed_runbook("2027-01-05T00:00", tasks));
    assert_eq!(hours(&p, &s, "b").0, 0);
}

const OFFICE: &str = r"runbook: test
timezone: Europe/London
start: 2027-05-24T08:00
go_live: 2027-07-01T07:00
default_calendar: office
calendars:
  office: { hours: 08:00-18:00, days: mon-fri, holidays: [england-and-wales] }
tasks:
";

#[test]
fn working_time_crosses_a_weekend_and_the_spring_bank_holiday() {
    // Three 10h days from Friday 28 May 2027; Monday 31 May is a bank holiday.
    let yaml = format!(
        "{OFFICE}  - {{ id: a, name: A, owner: o, duration: 3d, not_before: 2027-05-28T08:00 }}\n  - {{ id: b, name: B, owner: o, duration: 1h, after: [a] }}\n"
    );
    let (p, s) = plan(&yaml);
    let a = &s.tasks[p.task_by_id("a").unwrap()];
    assert_eq!(local_label(a.early_start, &p.tz), "2027-05-28 08:00");
    assert_eq!(local_label(a.early_finish, &p.tz), "2027-06-02 18:00");
    let b = &s.tasks[p.task_by_id("b").unwrap()];
    assert_eq!(local_label(b.early_start, &p.tz), "2027-06-03 08:00");
    assert_eq!(local_label(b.early_finish, &p.tz), "2027-06-03 09:00");
}

#[test]
fn a_lag_counts_working_days_on_the_successor_calendar() {
    let yaml = format!(
        "{OFFICE}  - {{ id: a, name: A, owner: o, duration: 1d, not_before: 2027-05-27T08:00 }}\n  - {{ id: b, name: B, owner: o, duration: 1h, after: [{{ task: a, lag: 2d }}] }}\n  - {{ id: c, name: C, owner: o, duration: 1h, after: [{{ task: a, lag: 2d elapsed }}] }}\n"
    );
    let (p, s) = plan(&yaml);
    // A: Thursday 27 May. Two working days after it: Friday and Tuesday (Monday is a
    // bank holiday), so B starts Wednesday 2 June. Two elapsed days: Saturday 18:00,
    // so C starts at the next working minute, Tuesday 08:00.
    let start = |id: &str| local_label(s.tasks[p.task_by_id(id).unwrap()].early_start, &p.tz);
    assert_eq!(start("b"), "2027-06-02 08:00");
    assert_eq!(start("c"), "2027-06-01 08:00");
}

#[test]
fn six_elapsed_hours_across_both_clock_changes() {
    for (from, to) in [
        ("2027-03-27T23:00", "2027-03-28 06:00"),
        ("2027-10-30T23:00", "2027-10-31 04:00"),
    ] {
        let yaml = elapsed_runbook(
            "2027-12-01T00:00",
            &format!("  - {{ id: a, name: A, owner: o, duration: 6h, not_before: {from} }}\n"),
        );
        let (p, s) = plan(&yaml);
        let a = &s.tasks[0];
        assert_eq!(a.early_finish.0 - a.early_start.0, 360);
        assert_eq!(local_label(a.early_finish, &p.tz), to);
    }
}

#[test]
fn a_weekend_task_may_slip_until_monday_office_hours_begin() {
    // A 24x7 task finishing Saturday before an office task that can only start Monday
    // 08:00 has float until then; the office task is critical.
    let yaml = format!(
        "{OFFICE}  - {{ id: w, name: W, owner: o, duration: 4h, calendar: 24x7, not_before: 2027-06-05T08:00 }}\n  - {{ id: m, name: M, owner: o, duration: 1d, after: [w] }}\n"
    );
    let (p, s) = plan(&yaml);
    let w = &s.tasks[p.task_by_id("w").unwrap()];
    assert_eq!(local_label(w.late_finish, &p.tz), "2027-06-07 08:00");
    assert_eq!(w.total_float, (48 - 12 + 8) * 60);
    assert!(s.tasks[p.task_by_id("m").unwrap()].critical);
}

#[test]
fn actuals_and_the_data_date_move_the_plan() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 3h }
  - { id: b, name: B, owner: o, duration: 4h, after: [a] }
  - { id: c, name: C, owner: o, duration: 2h, after: [b] }
  - { id: d, name: D, owner: o, duration: 1h }
";
    let (p, g) = project(&elapsed_runbook("2027-01-05T00:00", tasks));
    let tz = &p.tz;
    let at = |s: &str| parse_instant(s, tz).unwrap();
    let mut actuals = vec![Actual::default(); p.tasks.len()];
    // A finished late, at 05:00; B started at 05:00 and has 3h left at the data date 06:00.
    actuals[0] = Actual {
        started: Some(at("2027-01-04T00:30")),
        finished: Some(at("2027-01-04T05:00")),
        remaining: None,
        ..Actual::default()
    };
    actuals[1] = Actual {
        started: Some(at("2027-01-04T05:00")),
        finished: None,
        remaining: Some(180),
        ..Actual::default()
    };
    let progress = Progress {
        as_of: Some(at("2027-01-04T06:00")),
        actuals,
    };
    let s = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!(s.tasks[0].state, State::Done);
    assert_eq!(
        (s.tasks[0].early_start, s.tasks[0].early_finish),
        (at("2027-01-04T00:30"), at("2027-01-04T05:00"))
    );
    assert!(!s.tasks[0].critical);
    assert_eq!(s.tasks[1].state, State::InProgress);
    assert_eq!(s.tasks[1].early_finish, at("2027-01-04T09:00"));
    assert_eq!(s.tasks[2].early_start, at("2027-01-04T09:00"));
    // D has not started: nothing unfinished is planned before the data date.
    assert_eq!(s.tasks[3].early_start, at("2027-01-04T06:00"));
    // Remaining defaults to planned minus worked: B worked 1h of 4h.
    let mut progress = progress;
    progress.actuals[1].remaining = None;
    let s = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!(s.tasks[1].early_finish, at("2027-01-04T09:00"));
}

#[test]
fn a_plan_past_its_horizon_is_an_error_at_the_first_task_past_it() {
    // Go-live 2028-01-04, so the horizon ends 2038-01-04 00:00 (4,018 days after the
    // start). Tasks of 364 days in a chain: t11 finishes 4,368 days after the start.
    let mut tasks = String::from("  - { id: t0, name: T, owner: o, duration: 52w }\n");
    for i in 1..25 {
        tasks.push_str(&format!(
            "  - {{ id: t{i}, name: T, owner: o, duration: 52w, after: [t{}] }}\n",
            i - 1
        ));
    }
    let (p, g) = project(&elapsed_runbook("2028-01-04T00:00", &tasks));
    let err = schedule(&p, &g, None).unwrap_err();
    assert_eq!(
        (p.tasks[err.task].id.as_str(), err.side),
        ("t11", OutOfRange::After)
    );
    let d = err.diagnostic(&p);
    assert_eq!(d.code, Code::ScheduleOutOfRange);
    assert_eq!(
        d.message,
        "the dates of task `t11` run past 2038-01-04 00:00, 10 years after go-live"
    );
}

#[test]
fn late_dates_before_the_horizon_are_an_error_at_that_task() {
    // t1's deadline pulls t0's late start 3,920 days before 2027-06-01: before
    // 2017-01-04, ten years before the start.
    let tasks = "  - { id: t0, name: T, owner: o, duration: 510w }\n  - { id: t1, name: T, owner: o, duration: 50w, after: [t0], deadline: 2027-06-01T00:00 }\n";
    let (p, g) = project(&elapsed_runbook("2028-01-04T00:00", tasks));
    let err = schedule(&p, &g, None).unwrap_err();
    assert_eq!(
        (p.tasks[err.task].id.as_str(), err.side),
        ("t0", OutOfRange::Before)
    );
    assert_eq!(
        err.diagnostic(&p).message,
        "the dates of task `t0` run before 2017-01-04 00:00, 10 years before the plan's start"
    );
}

#[test]
fn a_plan_beyond_the_supported_years_is_an_error_not_a_panic() {
    // A horizon clipped at the end of 2999: a task of 48 years runs past it.
    let tasks = "  - { id: t0, name: T, owner: o, duration: 2500w }\n";
    let yaml = elapsed_runbook("2994-01-04T00:00", tasks).replace("2027-01-04", "2994-01-01");
    let (p, g) = project(&yaml);
    let err = schedule(&p, &g, None).unwrap_err();
    assert_eq!(err.side, OutOfRange::After);
    assert_eq!(
        err.diagnostic(&p).message,
        "the dates of task `t0` run past the end of 2999, the last year `cutover` supports"
    );
}

/// A random network as YAML: tasks in order, each depending on some earlier ones.
fn network() -> impl Strategy<Value = (String, Vec<String>)> {
    let task = (
        1i64..40,      // duration in hours (or 0 for a milestone)
        any::<bool>(), // milestone
        any::<bool>(), // office calendar
        prop::collection::vec((0usize..100, 0usize..4, -3i64..6, any::<bool>()), 0..3),
        prop::option::of(0i64..400), // not_before, hours from start
    );
    prop::collection::vec(task, 1..25).prop_map(|tasks| {
        let mut yaml = String::from(
            "runbook: random\ntimezone: Europe/London\nstart: 2027-03-22T08:00\ngo_live: 2029-01-01T00:00\ncalendars:\n  office: { hours: \"08:00-12:00, 13:00-17:30\", days: mon-fri, holidays: [england-and-wales] }\ntasks:\n",
        );
        let mut ids = Vec::new();
        for (i, (hours, milestone, office, deps, not_before)) in tasks.into_iter().enumerate() {
            let id = format!("t{i}");
            let mut line = format!("  - {{ id: {id}, name: T, owner: o");
            if milestone {
                line.push_str(", milestone: true");
            } else {
                line.push_str(&format!(", duration: {hours}h"));
            }
            if office {
                line.push_str(", calendar: office");
            }
            if let Some(h) = not_before {
                // 22 March 2027 08:00 plus h hours, written in UTC.
                let m = crate::time::Moment(parse_instant("2027-03-22T08:00Z", &jiff::tz::TimeZone::UTC).unwrap().0 + h * 60);
                line.push_str(&format!(", not_before: {}", crate::time::rfc3339(m, &jiff::tz::TimeZone::UTC)));
            }
            let mut after = Vec::new();
            let mut used = std::collections::HashSet::new();
            if i > 0 {
                for (pred, link, lag, elapsed) in deps {
                    let pred = pred % i;
                    let link = ["FS", "SS", "FF", "SF"][link];
                    if !used.insert((pred, link)) {
                        continue;
                    }
                    let lag = if elapsed { format!("{lag}h elapsed") } else { format!("{lag}h") };
                    after.push(format!("{{ task: t{pred}, type: {link}, lag: {lag} }}"));
                }
            }
            if !after.is_empty() {
                line.push_str(&format!(", after: [{}]", after.join(", ")));
            }
            line.push_str(" }\n");
            yaml.push_str(&line);
            ids.push(id);
        }
        (yaml, ids)
    })
}

/// `W(successor point) >= W(predecessor point) + lag` on the successor's calendar.
fn link_holds(
    p: &Project,
    succ: TaskId,
    dep: &Dependency,
    pred_dates: (Moment, Moment),
    succ_dates: (Moment, Moment),
) -> bool {
    let task = &p.tasks[succ];
    let cal = &p.calendars[task.calendar];
    let pred_point = match dep.link {
        LinkType::FS | LinkType::FF => pred_dates.1,
        LinkType::SS | LinkType::SF => pred_dates.0,
    };
    let succ_point = match dep.link {
        LinkType::FS | LinkType::SS => succ_dates.0,
        LinkType::FF | LinkType::SF => succ_dates.1,
    };
    let pred_point = if dep.lag.elapsed {
        Moment(pred_point.0 + dep.lag.minutes)
    } else {
        pred_point
    };
    let lag = if dep.lag.elapsed { 0 } else { dep.lag.minutes };
    if task.milestone || cal.is_elapsed() {
        let shifted = if dep.lag.elapsed {
            pred_point
        } else {
            cal.add_work(pred_point, lag).unwrap()
        };
        succ_point >= shifted
    } else {
        cal.work_between(pred_point, succ_point).unwrap() >= lag
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    /// Every dependency holds in the early and the late schedule; early <= late;
    /// with no binding deadline or go-live, no float is negative.
    #[test]
    fn every_link_holds_and_float_is_never_negative((yaml, _ids) in network()) {
        let (p, g) = project(&yaml);
        let s = schedule(&p, &g, None).unwrap();
        for (t, task) in p.tasks.iter().enumerate() {
            let d = &s.tasks[t];
            prop_assert!(d.total_float >= 0, "{} has float {}", task.id, d.total_float);
            prop_assert!(d.free_float >= 0 && d.free_float <= d.total_float);
            prop_assert!(d.early_start <= d.late_start && d.early_finish <= d.late_finish);
            prop_assert!(d.early_start >= p.start);
            prop_assert!(d.late_finish <= s.finish);
            for dep in &task.deps {
                let pred = &s.tasks[dep.pred];
                prop_assert!(link_holds(&p, t, dep, (pred.early_start, pred.early_finish), (d.early_start, d.early_finish)),
                    "early {:?} -> {}", dep, task.id);
                prop_assert!(link_holds(&p, t, dep, (pred.late_start, pred.late_finish), (d.late_start, d.late_finish)),
                    "late {:?} -> {}", dep, task.id);
            }
        }
        prop_assert!(p.tasks.iter().zip(&s.tasks).any(|(_, d)| d.critical));
    }

    /// Lengthening any task never brings the plan's finish earlier when links are
    /// finish-to-start or start-to-start. (With FF or SF links standard CPM has
    /// "reverse-critical" tasks; see `a_longer_finish_tied_task_can_finish_the_plan_earlier`.)
    #[test]
    fn slipping_a_task_never_finishes_earlier((yaml, _ids) in network(), pick in 0usize..100, extra in 1i64..3000) {
        let yaml = yaml.replace("type: FF", "type: FS").replace("type: SF", "type: SS");
        let (p, g) = project(&yaml);
        let base = schedule(&p, &g, None).unwrap();
        let mut durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
        let t = pick % durations.len();
        if !p.tasks[t].milestone {
            durations[t] += extra;
        }
        let slipped = schedule_with(&p, &g, Inputs::of(&p, &durations, None)).unwrap();
        prop_assert!(slipped.finish >= base.finish);
        prop_assert!(slipped.ready >= base.ready);
        for (a, b) in base.tasks.iter().zip(&slipped.tasks) {
            prop_assert!(b.early_start >= a.early_start && b.early_finish >= a.early_finish);
        }
    }

    /// With any link types, a longer task itself never finishes earlier.
    #[test]
    fn a_longer_task_never_finishes_earlier_itself((yaml, _ids) in network(), pick in 0usize..100, extra in 1i64..3000) {
        let (p, g) = project(&yaml);
        let base = schedule(&p, &g, None).unwrap();
        let mut durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
        let t = pick % durations.len();
        if !p.tasks[t].milestone {
            durations[t] += extra;
        }
        let slipped = schedule_with(&p, &g, Inputs::of(&p, &durations, None)).unwrap();
        prop_assert!(slipped.tasks[t].early_finish >= base.tasks[t].early_finish);
    }

    /// With the default thresholds, every task on a driving chain to go-live is marked
    /// critical, so the chain reads contiguously in the critical column.
    #[test]
    fn the_longest_path_to_go_live_is_always_critical((yaml, _ids) in network()) {
        let (p, g) = project(&yaml);
        let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
        let inputs = Inputs::of(&p, &durations, None);
        let s = schedule_with(&p, &g, inputs).unwrap();
        let path = crate::critical::critical_path(&p, &s, &inputs);
        for &t in path.chains.iter().flatten() {
            prop_assert!(s.tasks[t].critical, "{} on the chain is not critical", p.tasks[t].id);
            prop_assert!(s.tasks[t].driving);
        }
        prop_assert!(s.tasks.iter().filter(|d| d.driving).all(|d| d.critical));
    }

    /// Blocking an unfinished task never brings readiness earlier and never improves
    /// the decision.
    #[test]
    fn blocking_a_task_never_helps(
        (yaml, _ids) in network(),
        pick in 0usize..100,
        as_of_hours in 0i64..600,
        started in prop::collection::vec(any::<bool>(), 25),
    ) {
        let (p, g) = project(&yaml);
        let as_of = Moment(p.start.0 + as_of_hours * 60);
        let mut status = crate::status::Status::at_from(&p, as_of, crate::status::DataDateSource::StatusFile);
        status.origin = Some(crate::source::FileId(1));
        // Some tasks started at the plan's start (their predecessors need not be done:
        // progress can run out of sequence).
        for (t, on) in started.iter().enumerate().take(p.tasks.len()) {
            if *on && !p.tasks[t].milestone {
                status.progress.actuals[t].started = Some(p.start);
            }
        }
        let base = crate::report::report(&p, &g, status.clone()).unwrap();
        let t = pick % p.tasks.len();
        let mut blocked = status;
        blocked.blocked.insert(t, "blocked".into());
        blocked.progress.actuals[t].blocked = true;
        let after = crate::report::report(&p, &g, blocked).unwrap();
        prop_assert!(after.plan.schedule.ready >= base.plan.schedule.ready);
        prop_assert!(after.outcome.decision >= base.outcome.decision);
    }
}

#[test]
fn a_longer_finish_tied_task_can_finish_the_plan_earlier() {
    // The classic reverse-critical case: B finishes with A (FF) and C starts with B (SS).
    // Lengthening B moves its start, and so C, earlier. MS Project and P6 agree.
    let tasks = r"  - { id: a, name: A, owner: o, duration: 10h }
  - { id: b, name: B, owner: o, duration: 2h, after: [{ task: a, type: FF }] }
  - { id: c, name: C, owner: o, duration: 9h, after: [{ task: b, type: SS }] }
";
    let (p, g) = project(&elapsed_runbook("2027-01-05T00:00", tasks));
    let base = schedule(&p, &g, None).unwrap();
    let longer = schedule_with(&p, &g, Inputs::of(&p, &[600, 240, 540, 0], None)).unwrap();
    assert_eq!(base.finish.0 - p.start.0, 17 * 60);
    assert_eq!(longer.finish.0 - p.start.0, 15 * 60);
}

#[test]
fn the_driving_chain_of_the_textbook_network() {
    let tasks = format!(
        "{TEXTBOOK}  - {{ id: live, name: Live, owner: o, milestone: true, go_live: true, after: [f] }}\n"
    );
    let (p, g) = project(&elapsed_runbook("2027-01-05T00:00", &tasks));
    let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
    let inputs = Inputs::of(&p, &durations, None);
    let s = schedule_with(&p, &g, inputs).unwrap();
    let path = crate::critical::critical_path(&p, &s, &inputs);
    let ids: Vec<Vec<&str>> = path
        .chains
        .iter()
        .map(|c| c.iter().map(|&t| p.tasks[t].id.as_str()).collect())
        .collect();
    assert_eq!(ids, [["a", "b", "d", "f", "live"]]);
    assert!(!path.more);
}

#[test]
fn tied_chains_are_all_listed() {
    let tasks = r"  - { id: a, name: A, owner: o, duration: 2h }
  - { id: b, name: B, owner: o, duration: 2h }
  - { id: c, name: C, owner: o, duration: 1h, after: [a, b] }
";
    let (p, g) = project(&elapsed_runbook("2027-01-05T00:00", tasks));
    let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
    let inputs = Inputs::of(&p, &durations, None);
    let s = schedule_with(&p, &g, inputs).unwrap();
    let path = crate::critical::critical_path(&p, &s, &inputs);
    let mut ids: Vec<Vec<&str>> = path
        .chains
        .iter()
        .map(|c| c.iter().map(|&t| p.tasks[t].id.as_str()).collect())
        .collect();
    ids.sort();
    assert_eq!(ids, [["a", "c", "zz-go-live"], ["b", "c", "zz-go-live"]]);
}

#[test]
fn a_100k_task_chain_schedules_and_traces_without_recursion() {
    let mut tasks = String::from("  - { id: t0, name: T, owner: o, duration: 1m }\n");
    for i in 1..100_000 {
        tasks.push_str(&format!(
            "  - {{ id: t{i}, name: T, owner: o, duration: 1m, after: [t{}] }}\n",
            i - 1
        ));
    }
    let (p, g) = project(&elapsed_runbook("2027-12-01T00:00", &tasks));
    let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
    let inputs = Inputs::of(&p, &durations, None);
    let s = schedule_with(&p, &g, inputs).unwrap();
    assert_eq!(s.finish.0 - p.start.0, 100_000);
    let path = crate::critical::critical_path(&p, &s, &inputs);
    // The chain and the go-live milestone `with_go_live` puts after it.
    assert_eq!(path.chains[0].len(), 100_001);
}

#[test]
fn an_elapsed_duration_ignores_the_task_calendar() {
    // Office hours Mon-Fri 09:00-17:00: 24h elapsed from Monday 09:00 ends Tuesday
    // 09:00; 24h of work would end Wednesday 17:00.
    let yaml = "runbook: t\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-01-11T09:00\n\
        calendars:\n  office: { hours: 09:00-17:00, days: mon-fri }\ndefault_calendar: office\n\
        tasks:\n  - { id: e, name: E, owner: o, duration: 24h elapsed }\n  - { id: w, name: W, owner: o, duration: 24h }\n";
    let (p, s) = plan(yaml);
    let finish = |id: &str| local_label(s.tasks[p.task_by_id(id).unwrap()].early_finish, &p.tz);
    assert_eq!(finish("e"), "2027-01-05 09:00");
    assert_eq!(finish("w"), "2027-01-06 17:00");
}

// ---------------------------------------------------------------- rules in docs/scheduling.md

/// A lag on a link out of a milestone counts on the successor's calendar: from a
/// milestone on Friday 17:00, `1d` into an office task (09:00-17:00) is one working day,
/// so the task starts Tuesday 09:00, not Saturday 17:00.
#[test]
fn a_lag_out_of_a_milestone_counts_on_the_successors_calendar() {
    let yaml =
        "runbook: lag\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-02-01T09:00
calendars:\n  office: { hours: 09:00-17:00, days: mon-fri }\ndefault_calendar: office
tasks:
  - { id: a, name: A, owner: o, duration: 5d }
  - { id: m, name: M, owner: o, milestone: true, after: [a] }
  - { id: b, name: B, owner: o, duration: 1h, after: [{ task: m, lag: 1d }] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [b] }
";
    let (p, s) = plan(yaml);
    let at = |id: &str| local_label(s.tasks[p.task_by_id(id).unwrap()].early_start, &p.tz);
    assert_eq!(at("m"), "2027-01-08 17:00");
    assert_eq!(at("b"), "2027-01-12 09:00");
}

/// In-progress float is late finish minus early finish (its start is fixed).
#[test]
fn the_float_of_a_task_in_progress_is_measured_at_its_finish() {
    let (p, g) = project(&elapsed_runbook("2027-01-05T00:00", TEXTBOOK));
    let mut progress = Progress {
        as_of: Some(Moment(p.start.0 + 60)),
        actuals: vec![Actual::default(); p.tasks.len()],
    };
    // C (2h) started at 0h instead of 3h: it finishes at 2h. A has not started, so it
    // waits for the data date (1h): A 1-4h, B 4-8h, D 8-13h, F 13-15h. E's latest start
    // is F's (13h) less its hour, 12h, which is C's latest finish: 10h of float.
    progress.actuals[p.task_by_id("c").unwrap()].started = Some(p.start);
    let s = schedule(&p, &g, Some(&progress)).unwrap();
    let c = &s.tasks[p.task_by_id("c").unwrap()];
    assert_eq!(c.state, State::InProgress);
    assert_eq!((c.early_finish.0 - p.start.0) / 60, 2);
    assert_eq!((c.late_finish.0 - p.start.0) / 60, 12);
    assert_eq!(c.total_float, 10 * 60);
}

/// An overdue task with no `remaining:` is assumed to need a quarter of its planned
/// duration from the data date, and shows as overdue.
#[test]
fn an_overdue_task_needs_a_quarter_of_its_duration_more() {
    let (p, g) = project(&elapsed_runbook("2027-01-10T00:00", TEXTBOOK));
    let b = p.task_by_id("b").unwrap();
    let mut progress = Progress {
        as_of: Some(Moment(p.start.0 + 20 * 60)),
        actuals: vec![Actual::default(); p.tasks.len()],
    };
    progress.actuals[p.task_by_id("a").unwrap()] = Actual {
        started: Some(p.start),
        finished: Some(Moment(p.start.0 + 3 * 60)),
        ..Actual::default()
    };
    // B (4h) started at 3h: by the data date (20h) it has run 17h.
    progress.actuals[b].started = Some(Moment(p.start.0 + 3 * 60));
    let s = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!(s.tasks[b].standing, Standing::Overdue);
    assert_eq!(s.tasks[b].assumed_remaining, Some(60));
    assert_eq!((s.tasks[b].early_finish.0 - p.start.0) / 60, 21);
    // Blocked as well: shown as blocked, the same dates.
    progress.actuals[b].blocked = true;
    let s = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!(s.tasks[b].standing, Standing::Blocked);
    assert_eq!((s.tasks[b].early_finish.0 - p.start.0) / 60, 21);
    // With `remaining:` it is in progress, on the owner's word.
    progress.actuals[b] = Actual {
        started: Some(Moment(p.start.0 + 3 * 60)),
        remaining: Some(5 * 60),
        ..Actual::default()
    };
    let s = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!(s.tasks[b].standing, Standing::InProgress);
    assert_eq!((s.tasks[b].early_finish.0 - p.start.0) / 60, 25);
}

/// `critical_float: 1d` on an office calendar of 8-hour days means 8 working hours,
/// the unit the float beside it is shown in, not 24 elapsed hours.
#[test]
fn critical_float_counts_in_the_tasks_own_days() {
    let yaml =
        "runbook: cf\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-01-08T17:00
calendars:\n  office: { hours: 09:00-17:00, days: mon-fri }\ndefault_calendar: office
thresholds: { critical_float: 1d }
tasks:
  - { id: long, name: Long, owner: o, duration: 3d }
  - { id: short, name: Short, owner: o, duration: 1d, after: [long] }
  - { id: side, name: Side, owner: o, duration: 2d }
  - { id: side2, name: Side 2, owner: o, duration: 1d, after: [side] }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [short, side2] }
  - { id: hypercare, name: Hypercare, owner: o, duration: 1w, after: [live] }
";
    let (p, s) = plan(yaml);
    let d = |id: &str| &s.tasks[p.task_by_id(id).unwrap()];
    // Ready Thursday 17:00, go-live Friday 17:00: the chain has 1 working day (8h) of
    // float to go-live, the side chain 2 days (16h). Hypercare after go-live sets the
    // plan's finish, so the CPM total float (to that finish) is 0 on the chain: tasks
    // before go-live are judged by their float to go-live instead.
    assert_eq!(d("long").judged_float(), Some(8 * 60));
    assert_eq!(d("long").total_float, 0);
    assert!(d("long").critical && d("short").critical);
    assert_eq!(d("side").judged_float(), Some(16 * 60));
    assert!(!d("side").critical);
    // Hypercare is judged against the plan's finish.
    assert_eq!(d("hypercare").judged_float(), Some(0));
    assert!(d("hypercare").critical && !d("hypercare").leads_to_go_live);
}

/// The latest pass of a point of no return is the window's close minus the rollback,
/// in elapsed time whatever the task's calendar (a rollback runs round the clock); a
/// point of no return without `rollback` has no latest pass and no margin.
#[test]
fn points_of_no_return_count_rollback_in_elapsed_time() {
    let yaml =
        "runbook: ponr\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-01-11T09:00
window: { opens: 2027-01-08T17:00, closes: 2027-01-11T09:00 }
calendars:\n  office: { hours: 09:00-17:00, days: mon-fri }\ndefault_calendar: office
tasks:
  - { id: a, name: A, owner: o, duration: 1d, point_of_no_return: true, rollback: 1d }
  - { id: b, name: B, owner: o, duration: 1d, after: [a], point_of_no_return: true }
  - { id: live, name: Live, owner: o, milestone: true, go_live: true, after: [b] }
";
    let (p, s) = plan(yaml);
    let fit = crate::window::fit(&p, &s, 0);
    let a = &fit.points_of_no_return[0];
    // `1d` of rollback is 24 elapsed hours, not one 8-hour office day: Monday 09:00
    // less 24h is Sunday 09:00.
    assert_eq!(a.rollback, Some(1440));
    assert_eq!(local_label(a.latest.unwrap(), &p.tz), "2027-01-10 09:00");
    assert_eq!(local_label(a.planned, &p.tz), "2027-01-04 17:00");
    let b = &fit.points_of_no_return[1];
    assert_eq!((b.rollback, b.latest, b.margin()), (None, None, None));
}

#[test]
fn milestone_actuals_an_unfinished_predecessor_contradicts_are_set_aside() {
    // a (2d) -> live; a runs 00:00 Monday to 00:00 Wednesday. Status at Tuesday 00:00:
    // a started, live "reached" Monday 12:00 (a library caller bypassing E091).
    let (p, g) = project(&elapsed_runbook(
        "2027-01-10T00:00",
        "  - { id: a, name: A, owner: o, duration: 2d }\n  - { id: live, name: L, owner: o, milestone: true, go_live: true, after: [a] }\n",
    ));
    let h = |hours: i64| Moment(p.start.0 + hours * 60);
    let (a, live) = (p.task_by_id("a").unwrap(), p.task_by_id("live").unwrap());
    let mut progress = Progress {
        as_of: Some(h(24)),
        actuals: vec![Actual::default(); 2],
    };
    progress.actuals[a].started = Some(h(0));
    let honest = schedule(&p, &g, Some(&progress)).unwrap();
    progress.actuals[live] = Actual {
        started: Some(h(12)),
        finished: Some(h(12)),
        ..Actual::default()
    };
    let forced = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!(forced.ready, h(48));
    assert_eq!(forced.ready, honest.ready);
    assert_eq!(forced.tasks[live].state, State::NotStarted);
    // Once `a` has finished, the milestone's own actuals stand.
    progress.actuals[a].finished = Some(h(11));
    let done = schedule(&p, &g, Some(&progress)).unwrap();
    assert_eq!((done.ready, done.tasks[live].state), (h(12), State::Done));
}
