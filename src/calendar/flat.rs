//! A calendar's working time laid out flat over a span of years, for code that
//! converts millions of instants (Monte Carlo): each conversion is an index into a
//! bucket and a step or two along the intervals, where [`Calendar`] finds the year,
//! its block and its prefix, then binary-searches. Outside the span it asks the
//! calendar, so the answers are always the calendar's.

use super::{Bias, Calendar, Kind, OutOfRange};
use crate::time::{Horizon, Moment};

/// Minutes of time per bucket of the instant index (a UTC day).
const MOMENT_BUCKET: i64 = 1440;

/// [`Calendar::work_at`] and [`Calendar::moment_at`] by table lookup over a span.
#[derive(Debug, Clone)]
pub struct FlatCalendar {
    calendar: Calendar,
    table: Option<Table>,
}

#[derive(Debug, Clone)]
struct Table {
    /// Instants covered: `[from, to)`, whole years of the calendar.
    from: i64,
    /// The calendar's horizon: outside it the calendar answers (with an error).
    horizon: Horizon,
    to: i64,
    /// Working minutes at `from` and at `to`.
    work_from: i64,
    work_to: i64,
    /// Working intervals `[start, end)` in UTC minutes, then a sentinel `(to, MAX)`.
    intervals: Vec<(i64, i64)>,
    /// Working minutes (in [`Calendar::work_at`]'s coordinate) at each interval's
    /// start; the sentinel's is `work_to`.
    before: Vec<i64>,
    /// Per `MOMENT_BUCKET` minutes from `from`: the first interval ending after the
    /// bucket's start.
    by_moment: Vec<u32>,
    /// Working minutes per bucket of the work index.
    work_bucket: i64,
    /// Per `work_bucket` working minutes from `work_from`: the last interval
    /// starting with fewer working minutes before it than the bucket's start (or 0).
    by_work: Vec<u32>,
}

impl Calendar {
    /// This calendar laid out flat over the years from `from`'s to `to`'s (clamped to
    /// the supported years). Conversions outside them still work, at the calendar's
    /// usual speed.
    pub fn flat(&self, from: Moment, to: Moment) -> FlatCalendar {
        let table = match &self.time {
            Kind::Elapsed(_) => None,
            Kind::Working(w) => {
                let last = w.years.len() - 1;
                let y0 = w.year_of(from.0).unwrap_or(0);
                let y1 = w.year_of(to.0).unwrap_or(last).max(y0);
                let mut intervals = Vec::new();
                let mut before = Vec::new();
                for y in y0..=y1 {
                    let (block, p) = (w.block(y), w.prefix(y));
                    intervals.extend_from_slice(&block.intervals);
                    before.extend(block.before.iter().map(|b| p + b));
                }
                let (from, to) = (w.year_starts[y0], w.year_starts[y1 + 1]);
                let work_from = w.prefix(y0);
                let work_to = w.prefix(y1) + w.block(y1).total;
                (!intervals.is_empty())
                    .then(|| Table::new(from, to, work_from, work_to, intervals, before, w.horizon))
            }
        };
        FlatCalendar {
            calendar: self.clone(),
            table,
        }
    }
}

impl Table {
    fn new(
        from: i64,
        to: i64,
        work_from: i64,
        work_to: i64,
        mut intervals: Vec<(i64, i64)>,
        mut before: Vec<i64>,
        horizon: Horizon,
    ) -> Table {
        let count = intervals.len() as i64;
        intervals.push((to, i64::MAX));
        before.push(work_to);
        let buckets = (to - from) / MOMENT_BUCKET + 1;
        let mut by_moment = Vec::with_capacity(buckets as usize);
        let mut i = 0;
        for b in 0..buckets {
            let at = from + b * MOMENT_BUCKET;
            while intervals[i].1 <= at {
                i += 1;
            }
            by_moment.push(i as u32);
        }
        let work_bucket = ((work_to - work_from) / count).max(1);
        let buckets = (work_to - work_from) / work_bucket + 1;
        let mut by_work = Vec::with_capacity(buckets as usize);
        let mut k = 0;
        for b in 0..buckets {
            let at = work_from + b * work_bucket;
            while k + 1 < before.len() && before[k + 1] < at {
                k += 1;
            }
            by_work.push(k as u32);
        }
        Table {
            from,
            horizon,
            to,
            work_from,
            work_to,
            intervals,
            before,
            by_moment,
            work_bucket,
            by_work,
        }
    }
}

impl FlatCalendar {
    /// [`Calendar::work_at`].
    #[inline]
    pub fn work_at(&self, t: Moment) -> Result<i64, OutOfRange> {
        let Some(table) = &self.table else {
            return self.calendar.work_at(t);
        };
        if t.0 < table.from || t.0 >= table.to || !table.horizon.contains(t) {
            return self.calendar.work_at(t);
        }
        let mut i = table.by_moment[((t.0 - table.from) / MOMENT_BUCKET) as usize] as usize;
        // The sentinel ends after every instant in the span.
        while table.intervals[i].1 <= t.0 {
            i += 1;
        }
        let start = table.intervals[i].0;
        Ok(table.before[i] + (t.0 - start).max(0))
    }

    /// [`Calendar::moment_at`].
    #[inline]
    pub fn moment_at(&self, work: i64, bias: Bias) -> Result<Moment, OutOfRange> {
        let Some(table) = &self.table else {
            return self.calendar.moment_at(work, bias);
        };
        let inside = match bias {
            Bias::Finish => table.work_from < work && work <= table.work_to,
            Bias::Start => table.work_from <= work && work < table.work_to,
        };
        if !inside {
            return self.calendar.moment_at(work, bias);
        }
        let mut k = table.by_work[((work - table.work_from) / table.work_bucket) as usize] as usize;
        // The last interval with less work before it than `work` (Finish: where that
        // minute of work ends) or no more (Start: where it starts); the sentinel's
        // `work_to` stops both.
        match bias {
            Bias::Finish => {
                while table.before[k + 1] < work {
                    k += 1;
                }
            }
            Bias::Start => {
                while table.before[k + 1] <= work {
                    k += 1;
                }
            }
        }
        let at = Moment(table.intervals[k].0 + (work - table.before[k]));
        if !table.horizon.contains(at) {
            return self.calendar.moment_at(work, bias);
        }
        Ok(at)
    }
}
