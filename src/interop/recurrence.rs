//! MS Project's recurring calendar exceptions (Project 2007 and later): daily, weekly,
//! monthly and yearly rules, expanded to the dates they cover.
//!
//! Files from 2007 on also store every exception expanded day by day, and the importer
//! prefers those rows; these rules are read only when a file has no expanded rows. A
//! test expands the 27 rules of `calendar-recurring-exceptions-project2016-mspdi.xml`
//! and compares them with the 138 rows MS Project wrote beside them.

use jiff::ToSpan as _;
use jiff::civil::{Date, Weekday};

/// One `<Exception>`'s recurrence, as MSPDI numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rule {
    /// 1 daily (every day of the range), 7 every `period` days, 6 weekly, 5 monthly
    /// relative, 4 monthly absolute, 3 yearly relative, 2 yearly absolute.
    pub kind: u8,
    /// Every how many days, weeks or months (at least 1).
    pub period: u32,
    /// Weekly: a bit per day, 1 Sunday, 2 Monday, ... 64 Saturday.
    pub days_of_week: u8,
    /// Relative: 0 day, 1 weekday, 2 weekend day, 3 Sunday ... 9 Saturday.
    pub month_item: u8,
    /// Relative: 0 first, 1 second, 2 third, 3 fourth, 4 last.
    pub month_position: u8,
    /// Yearly: the month, 0 January ... 11 December.
    pub month: u8,
    /// Absolute: the day of the month.
    pub month_day: u8,
}

/// The dates `rule` covers from `from` to `to` (both included), kept to `window`.
/// Weeks start on `week_start` (MS Project's `WeekStartDay`), the first period being
/// the week, month or year of `from`. Unknown rules give no dates.
pub fn dates(
    rule: &Rule,
    from: Date,
    to: Date,
    window: (Date, Date),
    week_start: Weekday,
) -> Vec<Date> {
    let lo = from.max(window.0);
    let hi = to.min(window.1);
    let mut out = Vec::new();
    if lo > hi {
        return out;
    }
    let period = i64::from(rule.period.max(1));
    let keep = |d: Date, out: &mut Vec<Date>| {
        if lo <= d && d <= hi {
            out.push(d);
        }
    };
    match rule.kind {
        1 => {
            let mut d = lo;
            while d <= hi {
                out.push(d);
                let Ok(next) = d.tomorrow() else { break };
                d = next;
            }
        }
        7 => {
            // Every `period` days counted from `from`.
            let skip = i64::from((lo - from).get_days().max(0));
            let first_step = (skip + period - 1) / period;
            let mut d = from.checked_add((first_step * period).days()).ok();
            while let Some(day) = d.filter(|&x| x <= hi) {
                out.push(day);
                d = day.checked_add(period.days()).ok();
            }
        }
        6 => {
            let offset = i64::from(from.weekday().since(week_start));
            let Ok(mut week) = from.checked_sub(offset.days()) else {
                return out;
            };
            // Jump near the window's start in whole periods.
            let weeks_to_lo = i64::from((lo - week).get_days().max(0)) / 7 / period * period;
            week = week.checked_add((weeks_to_lo * 7).days()).unwrap_or(week);
            while week <= hi {
                for i in 0..7 {
                    let Ok(day) = week.checked_add(i.days()) else {
                        break;
                    };
                    let bit = 1u8 << day.weekday().to_sunday_zero_offset();
                    if rule.days_of_week & bit != 0 {
                        keep(day, &mut out);
                    }
                }
                let Ok(next) = week.checked_add((7 * period).days()) else {
                    break;
                };
                week = next;
            }
        }
        4 | 5 => {
            let start = months(from);
            let first = start + (months(lo) - start).max(0) / period * period;
            let mut m = first;
            while m <= months(hi) {
                if let Some(day) = in_month(rule, m) {
                    keep(day, &mut out);
                }
                m += period;
            }
        }
        2 | 3 => {
            for year in lo.year()..=hi.year() {
                let m = i64::from(year) * 12 + i64::from(rule.month.min(11));
                if let Some(day) = in_month(rule, m) {
                    keep(day, &mut out);
                }
            }
        }
        _ => {}
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Months since year 0 (January of year 0 is 0).
fn months(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month()) - 1
}

/// The rule's day in month `m` (see [`months`]): an absolute day, or a relative one.
fn in_month(rule: &Rule, m: i64) -> Option<Date> {
    let year = i16::try_from(m.div_euclid(12)).ok()?;
    let month = i8::try_from(m.rem_euclid(12) + 1).ok()?;
    let first = Date::new(year, month, 1).ok()?;
    let last = first.last_of_month();
    if matches!(rule.kind, 2 | 4) {
        let day = i8::try_from(rule.month_day).ok()?.clamp(1, last.day());
        return Date::new(year, month, day).ok();
    }
    let fits = |d: Date| -> bool {
        let w = d.weekday();
        match rule.month_item {
            0 => true,
            1 => !matches!(w, Weekday::Saturday | Weekday::Sunday),
            2 => matches!(w, Weekday::Saturday | Weekday::Sunday),
            n @ 3..=9 => w.to_sunday_zero_offset() == (n - 3) as i8,
            _ => false,
        }
    };
    let days = first.series(1.day()).take_while(|d| *d <= last);
    if rule.month_position >= 4 {
        days.filter(|&d| fits(d)).last()
    } else {
        days.filter(|&d| fits(d))
            .nth(usize::from(rule.month_position))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const ALL: (Date, Date) = (date(1900, 1, 1), date(2999, 12, 31));

    fn rule(kind: u8) -> Rule {
        Rule {
            kind,
            period: 1,
            ..Rule::default()
        }
    }

    #[test]
    fn weekly_rules_count_weeks_from_the_week_of_the_first_date() {
        // Every 7 weeks on Sunday from Monday 1 Jan 2001: the week of 1 Jan starts on
        // Sunday 31 Dec 2000 (before the range), so the first is 18 Feb 2001.
        let r = Rule {
            period: 7,
            days_of_week: 1,
            ..rule(6)
        };
        let got = dates(
            &r,
            date(2001, 1, 1),
            date(2002, 3, 17),
            ALL,
            Weekday::Sunday,
        );
        assert_eq!(got.len(), 9);
        assert_eq!(got[0], date(2001, 2, 18));
        assert_eq!(got[8], date(2002, 3, 17));
    }

    #[test]
    fn monthly_and_yearly_rules_pick_their_day() {
        // The first Monday of every other month.
        let r = Rule {
            kind: 5,
            period: 2,
            month_item: 4,
            ..Rule::default()
        };
        let got = dates(&r, date(2002, 1, 1), date(2002, 5, 6), ALL, Weekday::Sunday);
        assert_eq!(got, [date(2002, 1, 7), date(2002, 3, 4), date(2002, 5, 6)]);
        // The last weekday of each month.
        let r = Rule {
            kind: 5,
            month_item: 1,
            month_position: 4,
            ..rule(5)
        };
        let got = dates(
            &r,
            date(2027, 1, 1),
            date(2027, 3, 31),
            ALL,
            Weekday::Sunday,
        );
        assert_eq!(
            got,
            [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 31)]
        );
        // 31st of every month: the last day where a month is shorter.
        let r = Rule {
            month_day: 31,
            ..rule(4)
        };
        let got = dates(
            &r,
            date(2027, 1, 1),
            date(2027, 3, 31),
            ALL,
            Weekday::Sunday,
        );
        assert_eq!(
            got,
            [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
        );
        // 2 February every year (months count from 0).
        let r = Rule {
            month: 1,
            month_day: 2,
            ..rule(2)
        };
        let got = dates(&r, date(2005, 1, 1), date(2008, 3, 2), ALL, Weekday::Sunday);
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn the_window_bounds_the_work() {
        // A daily rule over eleven centuries, kept to one week.
        let got = dates(
            &rule(1),
            date(1900, 1, 1),
            date(2999, 12, 31),
            (date(2027, 1, 4), date(2027, 1, 10)),
            Weekday::Sunday,
        );
        assert_eq!(got.len(), 7);
        let r = Rule {
            period: 3,
            ..rule(7)
        };
        let got = dates(
            &r,
            date(2027, 1, 1),
            date(2999, 12, 31),
            (date(2027, 1, 5), date(2027, 1, 12)),
            Weekday::Sunday,
        );
        assert_eq!(got, [date(2027, 1, 7), date(2027, 1, 10)]);
    }
}
