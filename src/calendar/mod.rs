//! Working time: when work happens on a calendar, and arithmetic in working minutes.
//!
//! A calendar is either elapsed time (`24x7`: every minute counts) or working time:
//! ranges of local hours on working weekdays, minus holidays, in the runbook's time
//! zone. Working time is kept as UTC intervals built a year at a time, on first use,
//! with a running total of working minutes, so each operation is a binary search.
//! Local hours stay local across clock changes (08:00-18:00 is 10 hours of work on
//! either side of a change; a 00:00-24:00 day has 23 or 25 hours).
//! A calendar answers only inside the plan's [`Horizon`] and has tables for its years
//! alone, so its cost is bounded however far a schedule tries to reach.

mod flat;
mod holidays;
mod spec;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;

pub use flat::FlatCalendar;
pub use holidays::england_and_wales;
pub use spec::{WeekPattern, parse_days, parse_hours};
pub(crate) use spec::{days_pattern, hours_pattern};

pub use crate::time::OutOfRange;
use crate::time::{DAY, Horizon, MAX_YEAR, MIN_YEAR, Moment, WEEK};

/// Holidays of a working calendar, and days whose hours differ from their weekday's.
#[derive(Debug, Clone, Default)]
pub struct Holidays {
    /// Single non-working dates (`2026-12-29`).
    pub dates: HashSet<Date>,
    /// True when the England and Wales bank holidays apply (`england-and-wales`), any year.
    pub england_and_wales: bool,
    /// Dates with their own working hours (MS Project's working exceptions). They
    /// replace the weekday's hours and win over a holiday on the same date.
    pub exceptions: HashMap<Date, Vec<(u16, u16)>>,
}

impl Holidays {
    fn for_year(&self, year: i16) -> HashSet<Date> {
        let mut set: HashSet<Date> = self
            .dates
            .iter()
            .filter(|d| d.year() == year)
            .copied()
            .collect();
        if self.england_and_wales {
            set.extend(england_and_wales(year));
        }
        set
    }
}

/// A calendar ready for arithmetic. Clones share the working-time tables.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// The calendar's id (`office`), or `24x7` for the built-in one.
    pub id: String,
    /// Minutes in one day (`1d`) on this calendar.
    pub day_minutes: i64,
    /// Minutes in one week (`1w`) on this calendar.
    pub week_minutes: i64,
    time: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Elapsed(Horizon),
    Working(std::sync::Arc<Working>),
}

#[derive(Debug)]
struct Working {
    tz: TimeZone,
    week: WeekPattern,
    holidays: Holidays,
    horizon: Horizon,
    /// The local year of the horizon's start: year index 0.
    first_year: i16,
    /// UTC minute of local midnight on 1 January of each year from `first_year` to
    /// the horizon's last year + 1.
    year_starts: Vec<i64>,
    years: Vec<OnceLock<YearBlock>>,
    /// The year (index) working minutes are counted from: the first one asked about.
    anchor: OnceLock<usize>,
    /// Working minutes from the anchor year's start to each year's start.
    prefix: Vec<OnceLock<i64>>,
}

/// One year's working intervals `[start, end)` in UTC minutes, and the working
/// minutes before each.
#[derive(Debug)]
struct YearBlock {
    intervals: Vec<(i64, i64)>,
    before: Vec<i64>,
    total: i64,
}

impl Calendar {
    /// The `24x7` calendar: every minute of `horizon` is working time.
    pub fn elapsed(id: impl Into<String>, horizon: Horizon) -> Calendar {
        Calendar {
            id: id.into(),
            day_minutes: DAY,
            week_minutes: WEEK,
            time: Kind::Elapsed(horizon),
        }
    }

    /// A working-time calendar inside `horizon`. `day_minutes` defaults to the first
    /// working day's hours.
    pub fn working(
        id: impl Into<String>,
        tz: TimeZone,
        week: WeekPattern,
        holidays: Holidays,
        day_minutes: Option<i64>,
        horizon: Horizon,
    ) -> Calendar {
        let day = day_minutes
            .unwrap_or_else(|| week.first_day_minutes())
            .max(1);
        let working_days = week.working_days() as i64;
        let year = |m: Moment| m.local(&tz).year().clamp(MIN_YEAR, MAX_YEAR);
        let (first_year, last_year) = (year(horizon.from), year(horizon.until));
        let year_starts = (first_year..=last_year + 1)
            .map(|y| local_minute(&tz, Date::new(y, 1, 1).unwrap_or_default(), 0))
            .collect();
        let years = (first_year..=last_year).map(|_| OnceLock::new()).collect();
        let prefix = (first_year..=last_year).map(|_| OnceLock::new()).collect();
        Calendar {
            id: id.into(),
            day_minutes: day,
            week_minutes: day * working_days.max(1),
            time: Kind::Working(std::sync::Arc::new(Working {
                tz,
                week,
                holidays,
                horizon,
                first_year,
                year_starts,
                years,
                anchor: OnceLock::new(),
                prefix,
            })),
        }
    }

    /// True for a `24x7` calendar: every minute is working time, so work is elapsed time.
    pub fn is_elapsed(&self) -> bool {
        matches!(self.time, Kind::Elapsed(_))
    }

    /// A working calendar's week and holidays (`None` for `24x7`), for export.
    pub fn definition(&self) -> Option<(&WeekPattern, &Holidays)> {
        match &self.time {
            Kind::Elapsed(_) => None,
            Kind::Working(w) => Some((&w.week, &w.holidays)),
        }
    }

    /// Is `t` inside working time (`[start, end)` of an interval)?
    pub fn is_working(&self, t: Moment) -> bool {
        match &self.time {
            Kind::Elapsed(h) => h.contains(t),
            Kind::Working(w) => {
                w.horizon.contains(t)
                    && w.locate(t.0).is_some_and(|(y, i)| {
                        let block = w.block(y);
                        block
                            .intervals
                            .get(i)
                            .is_some_and(|&(s, e)| s <= t.0 && t.0 < e)
                    })
            }
        }
    }

    /// Working minutes done by `t`, counted from a fixed point of this calendar: a
    /// coordinate in which every working minute counts one and nothing else counts.
    /// For `24x7` it is the minute itself. Only differences between values matter.
    /// Outside the calendar's horizon there is no answer.
    pub fn work_at(&self, t: Moment) -> Result<i64, OutOfRange> {
        match &self.time {
            Kind::Elapsed(h) => h.check(t).map(|t| t.0),
            Kind::Working(w) => w.work_at(w.horizon.check(t)?.0),
        }
    }

    /// The moment at which `work` (a [`Self::work_at`] value) is reached: with
    /// [`Bias::Start`] the first working moment at that point (where work resumes),
    /// with [`Bias::Finish`] the end of the last working minute before it.
    pub fn moment_at(&self, work: i64, bias: Bias) -> Result<Moment, OutOfRange> {
        match &self.time {
            Kind::Elapsed(h) => h.check(Moment(work)),
            Kind::Working(w) => w.horizon.check(Moment(w.moment_at(work, bias)?)),
        }
    }

    /// The first working minute at or after `t`: where a task that may start at `t`
    /// really starts.
    pub fn next_start(&self, t: Moment) -> Result<Moment, OutOfRange> {
        self.moment_at(self.work_at(t)?, Bias::Start)
    }

    /// The end of the last working minute at or before `t`: where a task that must
    /// finish by `t` really finishes.
    pub fn prev_end(&self, t: Moment) -> Result<Moment, OutOfRange> {
        self.moment_at(self.work_at(t)?, Bias::Finish)
    }

    /// The latest moment at or before `t` at which a task with work to do can start:
    /// `t` itself in working time, otherwise the start of the last working minute.
    pub fn last_start_by(&self, t: Moment) -> Result<Moment, OutOfRange> {
        if self.is_working(t) {
            Ok(t)
        } else {
            Ok(Moment(self.prev_end(t)?.0 - 1))
        }
    }

    /// The moment `minutes` of working time after `t` (a finish: at an interval's end
    /// when the work ends there). Negative `minutes` count backwards (see [`Self::sub_work`]).
    pub fn add_work(&self, t: Moment, minutes: i64) -> Result<Moment, OutOfRange> {
        match minutes {
            0 => Ok(t),
            m if m < 0 => self.sub_work(t, m.saturating_neg()),
            m => self.moment_at(self.work_at(t)?.saturating_add(m), Bias::Finish),
        }
    }

    /// The moment `minutes` of working time before `t` (a start: at an interval's
    /// start when the work begins there).
    pub fn sub_work(&self, t: Moment, minutes: i64) -> Result<Moment, OutOfRange> {
        match minutes {
            0 => Ok(t),
            m if m < 0 => self.add_work(t, m.saturating_neg()),
            m => self.moment_at(self.work_at(t)?.saturating_sub(m), Bias::Start),
        }
    }

    /// Working minutes from `a` to `b` (negative when `b` is before `a`).
    pub fn work_between(&self, a: Moment, b: Moment) -> Result<i64, OutOfRange> {
        Ok(self.work_at(b)? - self.work_at(a)?)
    }
}

/// Which moment stands for a point in working time that falls between intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bias {
    /// Where work resumes (a task starting there starts then).
    Start,
    /// Where work stopped (a task finishing there finished then).
    Finish,
}

/// UTC minute of a local date and minute of day (1440 = next midnight).
fn local_minute(tz: &TimeZone, date: Date, minute_of_day: u16) -> i64 {
    let (date, minute) = if minute_of_day >= 1440 {
        (date.tomorrow().unwrap_or(date), 0)
    } else {
        (date, minute_of_day)
    };
    let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).unwrap_or_default();
    let dt = DateTime::from_parts(date, time);
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .map_or(i64::MAX, |ts| ts.as_second().div_euclid(60))
}

impl Working {
    fn block(&self, year: usize) -> &YearBlock {
        self.years[year].get_or_init(|| self.build_year(year))
    }

    fn build_year(&self, year: usize) -> YearBlock {
        let y = self.first_year + year as i16;
        let holidays = self.holidays.for_year(y);
        let mut intervals: Vec<(i64, i64)> = Vec::with_capacity(260);
        let Ok(first) = Date::new(y, 1, 1) else {
            return YearBlock {
                intervals,
                before: Vec::new(),
                total: 0,
            };
        };
        for day in first.series(jiff::Span::new().days(1)) {
            if day.year() != y {
                break;
            }
            let ranges = match self.holidays.exceptions.get(&day) {
                Some(ranges) => ranges,
                None if holidays.contains(&day) => continue,
                None => &self.week.ranges[day.weekday().to_monday_zero_offset() as usize],
            };
            for &(from, to) in ranges {
                let start = local_minute(&self.tz, day, from);
                let end = local_minute(&self.tz, day, to);
                if start >= end {
                    continue;
                }
                match intervals.last_mut() {
                    Some(last) if last.1 == start => last.1 = end,
                    _ => intervals.push((start, end)),
                }
            }
        }
        let mut before = Vec::with_capacity(intervals.len());
        let mut total = 0;
        for &(s, e) in &intervals {
            before.push(total);
            total += e - s;
        }
        YearBlock {
            intervals,
            before,
            total,
        }
    }

    fn year_of(&self, t: i64) -> Option<usize> {
        let i = self.year_starts.partition_point(|&s| s <= t);
        (i >= 1 && i < self.year_starts.len()).then(|| i - 1)
    }

    /// Year of `t`, and the index of the first interval ending after `t`.
    fn locate(&self, t: i64) -> Option<(usize, usize)> {
        let y = self.year_of(t)?;
        let block = self.block(y);
        Some((y, block.intervals.partition_point(|&(_, e)| e <= t)))
    }

    /// Working minutes from the start of `t`'s year to `t`.
    fn work_in_year(block: &YearBlock, t: i64) -> i64 {
        let i = block.intervals.partition_point(|&(_, e)| e <= t);
        match block.intervals.get(i) {
            Some(&(s, _)) if s <= t => block.before[i] + (t - s),
            Some(_) => block.before[i],
            None => block.total,
        }
    }

    /// Working minutes from the anchor year's start to the start of year `y`.
    fn prefix(&self, y: usize) -> i64 {
        if let Some(&p) = self.prefix[y].get() {
            return p;
        }
        let anchor = *self.anchor.get_or_init(|| y);
        self.prefix[anchor].get_or_init(|| 0);
        // Walk from `y` towards the anchor to a year already known...
        let up = y < anchor;
        let mut k = y;
        let mut p = loop {
            if let Some(&p) = self.prefix[k].get() {
                break p;
            }
            k = if up { k + 1 } else { k - 1 };
        };
        // ...then back out to `y`, recording each year on the way (no recursion).
        while k != y {
            if up {
                k -= 1;
                p -= self.block(k).total;
            } else {
                p += self.block(k).total;
                k += 1;
            }
            let _ = self.prefix[k].set(p);
        }
        p
    }

    fn work_at(&self, t: i64) -> Result<i64, OutOfRange> {
        let y = self.year_of(t).ok_or(if t < self.year_starts[0] {
            OutOfRange::Before
        } else {
            OutOfRange::After
        })?;
        Ok(self.prefix(y) + Self::work_in_year(self.block(y), t))
    }

    fn moment_at(&self, w: i64, bias: Bias) -> Result<i64, OutOfRange> {
        // Working time is counted from the first year asked about; before any
        // question, from the horizon's first year.
        let anchor = self.anchor.get().copied().unwrap_or(0);
        let per_year = self.block(anchor).total.max(1);
        let guess = anchor as i64 + (w - self.prefix(anchor)).div_euclid(per_year);
        let mut y = guess.clamp(0, self.years.len() as i64 - 1) as usize;
        let (block, p) = loop {
            let (block, p) = (self.block(y), self.prefix(y));
            let total = block.total;
            let (below, above) = match bias {
                Bias::Finish => (w <= p, w > p + total),
                Bias::Start => (w < p, w >= p + total),
            };
            if below {
                y = y.checked_sub(1).ok_or(OutOfRange::Before)?;
            } else if above {
                y += 1;
                if y >= self.years.len() {
                    return Err(OutOfRange::After);
                }
            } else {
                break (block, p);
            }
        };
        let target = w - p;
        let k = match bias {
            // The interval in which the target-th working minute ends.
            Bias::Finish => block.before.partition_point(|&b| b < target) - 1,
            // The interval in which the target-th working minute starts.
            Bias::Start => block.before.partition_point(|&b| b <= target) - 1,
        };
        Ok(block.intervals[k].0 + (target - block.before[k]))
    }
}

#[cfg(test)]
mod tests;
