//! Calendar arithmetic checked against answers worked out by hand.

use super::*;
use crate::time::{local_label, parse_instant};
use proptest::prelude::*;

fn london() -> TimeZone {
    TimeZone::get("Europe/London").unwrap()
}

fn at(text: &str) -> Moment {
    parse_instant(text, &london()).unwrap()
}

fn show(m: Moment) -> String {
    local_label(m, &london())
}

fn office() -> Calendar {
    Calendar::working(
        "office",
        london(),
        WeekPattern::uniform(
            parse_days("mon-fri").unwrap(),
            &parse_hours("08:00-18:00").unwrap(),
        ),
        Holidays {
            dates: HashSet::new(),
            england_and_wales: true,
            ..Holidays::default()
        },
        None,
        Horizon::ALL,
    )
}

/// Weekdays 08:00-18:00 with no holidays, inside `horizon`.
fn weekdays(id: &str, horizon: Horizon) -> Calendar {
    Calendar::working(
        id,
        london(),
        WeekPattern::uniform(
            parse_days("mon-fri").unwrap(),
            &parse_hours("08:00-18:00").unwrap(),
        ),
        Holidays::default(),
        None,
        horizon,
    )
}

fn all_day(tz: TimeZone) -> Calendar {
    Calendar::working(
        "all-day",
        tz,
        WeekPattern::uniform([true; 7], &[(0, 1440)]),
        Holidays::default(),
        None,
        Horizon::ALL,
    )
}

#[test]
fn office_day_and_week_lengths() {
    let cal = office();
    assert_eq!(cal.day_minutes, 600);
    assert_eq!(cal.week_minutes, 3000);
}

#[test]
fn three_working_days_across_a_weekend_and_the_spring_bank_holiday() {
    // Friday 28 May 2027; Monday 31 May is the spring bank holiday.
    // Friday 10h, Tuesday 10h, Wednesday 10h: finishes Wednesday 18:00.
    let cal = office();
    let finish = cal.add_work(at("2027-05-28T08:00"), 30 * 60).unwrap();
    assert_eq!(show(finish), "2027-06-02 18:00");
    assert_eq!(
        show(cal.sub_work(finish, 30 * 60).unwrap()),
        "2027-05-28 08:00"
    );
    assert_eq!(
        show(cal.next_start(at("2027-05-28T18:00")).unwrap()),
        "2027-06-01 08:00"
    );
    assert_eq!(
        show(cal.prev_end(at("2027-05-31T12:00")).unwrap()),
        "2027-05-28 18:00"
    );
    assert_eq!(
        cal.work_between(at("2027-05-28T08:00"), finish).unwrap(),
        30 * 60
    );
    assert_eq!(
        cal.work_between(finish, at("2027-05-28T08:00")).unwrap(),
        -30 * 60
    );
}

#[test]
fn office_hours_stay_local_across_the_spring_clock_change_and_easter() {
    // 19 Mar to 2 Apr 2027: clocks go forward on 28 Mar; Good Friday 26 Mar and
    // Easter Monday 29 Mar are holidays. Working days: 19, 22-25, 30, 31 Mar, 1 Apr.
    let cal = office();
    let work = cal
        .work_between(at("2027-03-19T08:00"), at("2027-04-02T08:00"))
        .unwrap();
    assert_eq!(work, 8 * 600);
    // 08:00 BST is 07:00 UTC.
    assert_eq!(
        cal.next_start(at("2027-03-30T00:00")).unwrap(),
        at("2027-03-30T07:00Z")
    );
}

#[test]
fn work_crosses_the_new_year_holiday() {
    // Thursday 31 Dec 2026: 10h; Friday 1 Jan 2027 is a holiday; Monday 4 Jan: 10h.
    let cal = office();
    let finish = cal.add_work(at("2026-12-31T08:00"), 20 * 60).unwrap();
    assert_eq!(show(finish), "2027-01-04 18:00");
    assert_eq!(
        cal.sub_work(finish, 20 * 60).unwrap(),
        at("2026-12-31T08:00")
    );
}

#[test]
fn exceptions_replace_the_weekday_and_win_over_holidays() {
    // Office hours 08:00-18:00 with England and Wales holidays, plus two exceptions:
    // Saturday 2 Jan 2027 works 09:00-13:00, and New Year's Day (a bank holiday,
    // Friday 1 Jan) works 10:00-12:00; Thursday 31 Dec works only 08:00-09:00.
    let date = |y, m, d| Date::new(y, m, d).unwrap();
    let cal = Calendar::working(
        "office",
        london(),
        WeekPattern::uniform(
            parse_days("mon-fri").unwrap(),
            &parse_hours("08:00-18:00").unwrap(),
        ),
        Holidays {
            england_and_wales: true,
            exceptions: [
                (date(2027, 1, 2), vec![(540, 780)]),
                (date(2027, 1, 1), vec![(600, 720)]),
                (date(2026, 12, 31), vec![(480, 540)]),
            ]
            .into_iter()
            .collect(),
            ..Holidays::default()
        },
        None,
        Horizon::ALL,
    );
    // 31 Dec: 1h, 1 Jan: 2h, 2 Jan: 4h, Sunday 3 Jan: none, Monday 4 Jan: 10h.
    let work = cal
        .work_between(at("2026-12-31T00:00"), at("2027-01-05T00:00"))
        .unwrap();
    assert_eq!(work, (1 + 2 + 4 + 10) * 60);
    // 5h of work from 31 Dec 08:00: 1h, 2h, then 2h of Saturday's 4h.
    let finish = cal.add_work(at("2026-12-31T08:00"), 5 * 60).unwrap();
    assert_eq!(show(finish), "2027-01-02 11:00");
    // The day's own hours decide where work resumes.
    assert_eq!(
        show(cal.next_start(at("2027-01-01T00:00")).unwrap()),
        "2027-01-01 10:00"
    );
    // The default day length is still the weekday's.
    assert_eq!(cal.day_minutes, 600);
}

#[test]
fn elapsed_six_hours_from_23_00_on_the_night_the_clocks_go_forward() {
    let cal = Calendar::elapsed("24x7", Horizon::ALL);
    let start = at("2027-03-27T23:00"); // GMT
    let finish = cal.add_work(start, 6 * 60).unwrap();
    assert_eq!(finish.0 - start.0, 360);
    assert_eq!(show(finish), "2027-03-28 06:00"); // 05:00 UTC is 06:00 BST
}

#[test]
fn elapsed_six_hours_from_23_00_on_the_night_the_clocks_go_back() {
    let cal = Calendar::elapsed("24x7", Horizon::ALL);
    let start = at("2027-10-30T23:00"); // BST
    let finish = cal.add_work(start, 6 * 60).unwrap();
    assert_eq!(finish.0 - start.0, 360);
    assert_eq!(show(finish), "2027-10-31 04:00"); // 04:00 UTC is 04:00 GMT
}

#[test]
fn all_day_local_calendar_has_23_and_25_hour_days() {
    let cal = all_day(london());
    assert_eq!(
        cal.work_between(at("2027-03-28T00:00"), at("2027-03-29T00:00"))
            .unwrap(),
        23 * 60
    );
    assert_eq!(
        cal.work_between(at("2027-10-31T00:00"), at("2027-11-01T00:00"))
            .unwrap(),
        25 * 60
    );
}

#[test]
fn last_start_by_a_non_working_moment_is_the_last_working_minute() {
    let cal = office();
    assert_eq!(
        show(cal.last_start_by(at("2027-06-05T12:00")).unwrap()),
        "2027-06-04 17:59"
    );
    assert_eq!(
        cal.last_start_by(at("2027-06-04T12:00")).unwrap(),
        at("2027-06-04T12:00")
    );
}

#[test]
fn arithmetic_past_the_supported_years_is_an_error() {
    let cal = office();
    assert_eq!(
        cal.add_work(at("2999-12-30T08:00"), 600 * 10),
        Err(OutOfRange::After)
    );
    assert_eq!(
        Calendar::elapsed("e", Horizon::ALL).add_work(Moment::MAX, 1),
        Err(OutOfRange::After)
    );
    assert_eq!(
        cal.sub_work(at("1900-01-02T08:00"), 600 * 10),
        Err(OutOfRange::Before)
    );
}

/// A calendar inside a plan's horizon: no answers outside it, tables for its years only.
#[test]
fn a_calendar_answers_only_inside_its_horizon() {
    let horizon = Horizon {
        from: at("2026-01-01T00:00"),
        until: at("2036-06-30T12:00"),
    };
    let cal = weekdays("office", horizon);
    let Kind::Working(w) = &cal.time else {
        panic!("a working calendar");
    };
    assert_eq!(w.years.len(), 11); // 2026 to 2036
    assert_eq!(
        show(cal.add_work(at("2036-06-25T08:00"), 600 * 3).unwrap()),
        "2036-06-27 18:00"
    );
    assert_eq!(
        cal.add_work(at("2036-06-25T08:00"), 600 * 4),
        Err(OutOfRange::After)
    );
    assert_eq!(cal.work_at(at("2036-06-30T12:01")), Err(OutOfRange::After));
    assert_eq!(cal.work_at(at("2025-12-31T23:59")), Err(OutOfRange::Before));
    assert_eq!(
        cal.sub_work(at("2026-01-02T10:00"), 600 * 2),
        Err(OutOfRange::Before)
    );
    assert!(!cal.is_working(at("2036-07-01T09:00")));
    let elapsed = Calendar::elapsed("e", horizon);
    assert_eq!(elapsed.add_work(horizon.until, 0), Ok(horizon.until));
    assert_eq!(elapsed.add_work(horizon.until, 1), Err(OutOfRange::After));
    assert_eq!(
        elapsed.work_at(Moment(horizon.from.0 - 1)),
        Err(OutOfRange::Before)
    );
}

#[test]
fn a_calendar_without_working_days_never_loops_forever() {
    let cal = Calendar::working(
        "none",
        london(),
        WeekPattern::default(),
        Holidays::default(),
        None,
        Horizon::ALL,
    );
    assert_eq!(
        cal.next_start(at("2027-01-01T00:00")),
        Err(OutOfRange::After)
    );
    assert_eq!(
        cal.add_work(at("2027-01-01T00:00"), 60),
        Err(OutOfRange::After)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Adding then removing the same work returns to the start; the work between is exact.
    #[test]
    fn add_and_sub_work_are_inverse(offset in 0i64..(3 * 366 * 1440), work in 1i64..(60 * 600)) {
        let cal = office();
        let t = Moment(at("2026-01-01T00:00").0 + offset);
        let start = cal.next_start(t).unwrap();
        let finish = cal.add_work(start, work).unwrap();
        prop_assert!(finish > start);
        prop_assert_eq!(cal.sub_work(finish, work).unwrap(), start);
        prop_assert_eq!(cal.work_between(start, finish).unwrap(), work);
        prop_assert_eq!(cal.work_between(t, finish).unwrap(), work);
    }

    /// In UTC an all-day working calendar is the same as elapsed time.
    #[test]
    fn all_day_in_utc_matches_elapsed(offset in 0i64..(3 * 366 * 1440), work in -100_000i64..100_000) {
        let cal = all_day(TimeZone::UTC);
        let elapsed = Calendar::elapsed("e", Horizon::ALL);
        let t = Moment(at("2026-01-01T00:00Z").0 + offset);
        prop_assert_eq!(cal.add_work(t, work).unwrap(), elapsed.add_work(t, work).unwrap());
    }

    /// Snapping never moves the wrong way, and lands in or at the edge of working time.
    #[test]
    fn snapping_is_monotone(offset in 0i64..(2 * 366 * 1440)) {
        let cal = office();
        let t = Moment(at("2026-06-01T00:00").0 + offset);
        let next = cal.next_start(t).unwrap();
        let prev = cal.prev_end(t).unwrap();
        prop_assert!(next >= t && prev <= t);
        prop_assert!(cal.is_working(next));
        prop_assert!(cal.is_working(Moment(prev.0 - 1)));
    }
}

/// Every minute of the spans, and a little outside them: the flat layout gives the
/// calendar's answers, through a clock change, bank holidays and the new year.
#[test]
fn a_flat_calendar_answers_like_the_calendar() {
    let mut split_day = WeekPattern::uniform(
        parse_days("mon-fri").unwrap(),
        &parse_hours("08:00-12:30, 13:15-17:00").unwrap(),
    );
    split_day.ranges[5] = vec![(540, 780)];
    let split = Calendar::working(
        "split",
        london(),
        split_day,
        Holidays {
            dates: [Date::new(2027, 3, 29).unwrap()].into_iter().collect(),
            england_and_wales: true,
            ..Holidays::default()
        },
        None,
        Horizon::ALL,
    );
    let none = Calendar::working(
        "none",
        london(),
        WeekPattern::default(),
        Holidays::default(),
        None,
        Horizon::ALL,
    );
    // A horizon ending inside the flat span: outside it both give the same error.
    let bounded = weekdays(
        "bounded",
        Horizon {
            from: at("2027-03-10T09:30"),
            until: at("2027-11-05T12:00"),
        },
    );
    let calendars = [
        office(),
        all_day(london()),
        split,
        none,
        bounded,
        Calendar::elapsed("24x7", Horizon::ALL),
    ];
    let (from, to) = (at("2027-03-01T00:00"), at("2028-01-20T00:00"));
    for cal in &calendars {
        // The span is the year 2027; ask about the ends of 2026 and 2028 as well.
        let flat = cal.flat(Moment(from.0 + 40 * DAY), Moment(from.0 + 41 * DAY));
        for t in (from.0 - 70 * DAY)..=to.0 {
            assert_eq!(
                flat.work_at(Moment(t)),
                cal.work_at(Moment(t)),
                "{}",
                cal.id
            );
        }
        let (Ok(w0), Ok(w1)) = (cal.work_at(from), cal.work_at(to)) else {
            continue;
        };
        for w in (w0 - 70 * DAY)..=w1 {
            for bias in [Bias::Start, Bias::Finish] {
                assert_eq!(
                    flat.moment_at(w, bias),
                    cal.moment_at(w, bias),
                    "{} {w} {bias:?}",
                    cal.id
                );
            }
        }
    }
    let cal = office();
    let flat = cal.flat(Moment::MAX, Moment::MAX);
    assert_eq!(
        flat.work_at(Moment(Moment::MAX.0 + 1)),
        Err(OutOfRange::After)
    );
    assert_eq!(
        flat.moment_at(i64::MAX / 2, Bias::Finish),
        cal.moment_at(i64::MAX / 2, Bias::Finish)
    );
}
