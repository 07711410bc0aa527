//! Monte Carlo over three-point estimates: how likely is the plan to be ready by
//! go-live and by the window's close, and which tasks drive the risk.
//!
//! Each iteration draws a duration for every task not yet started (triangular or PERT
//! from its `estimate`, or the runbook's `uncertainty` spread around its planned
//! duration), runs the forward pass of the same working-time CPM as
//! [`crate::schedule`], and walks the driving links back from readiness to mark the
//! tasks that were critical. Finished tasks keep their actual dates and tasks in
//! progress their remaining work.
//!
//! Iteration `i` draws from its own generator seeded by `(seed, i)`, so results are the
//! same whatever the number of threads.

use std::collections::BTreeMap;

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use crate::calendar::{Bias, FlatCalendar, OutOfRange};
use crate::graph::TaskGraph;
use crate::project::{Distribution, LinkType, Project, TaskId};
use crate::schedule::{Inputs, Progress, ScheduleError, State, floors, schedule_with};
use crate::time::Moment;

/// How a task's duration is drawn (working minutes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Draw {
    /// Always this many working minutes: the task cannot vary (no spread, or a milestone).
    Fixed(i64),
    /// Triangular between `low` and `high` with its peak at `mode` (inverse CDF, closed form).
    Triangular {
        /// Best case, working minutes.
        low: f64,
        /// Most likely, working minutes.
        mode: f64,
        /// Worst case, working minutes.
        high: f64,
    },
    /// PERT: `low + (high - low) * Beta(a, b)`, sampled from table `table`.
    Pert {
        /// Best case, working minutes.
        low: f64,
        /// Worst minus best, working minutes.
        range: f64,
        /// Which of the [`Sampler`]'s PERT tables (one per shape, shared between tasks).
        table: usize,
    },
}

/// Points of the tabulated inverse CDF of each PERT shape.
const TABLE_POINTS: usize = 2048;
/// PERT shapes are tabulated for the mode's position rounded to 1/SHAPES of the range.
const SHAPES: usize = 1024;

/// Inverse CDF of Beta(a, b) on [0, 1], tabulated at `TABLE_POINTS + 1` probabilities.
fn beta_table(a: f64, b: f64) -> Vec<f32> {
    // Integrate the density on a fine grid (midpoint rule; a, b >= 1 so it is bounded),
    // then invert by walking the cumulative sums.
    const GRID: usize = 16 * TABLE_POINTS;
    let pdf = |x: f64| x.powf(a - 1.0) * (1.0 - x).powf(b - 1.0);
    let mut cdf = Vec::with_capacity(GRID + 1);
    cdf.push(0.0f64);
    let h = 1.0 / GRID as f64;
    let mut sum = 0.0;
    for i in 0..GRID {
        sum += pdf((i as f64 + 0.5) * h) * h;
        cdf.push(sum);
    }
    let total = sum;
    let mut table = Vec::with_capacity(TABLE_POINTS + 1);
    let mut j = 0;
    for k in 0..=TABLE_POINTS {
        let u = k as f64 / TABLE_POINTS as f64 * total;
        while j < GRID && cdf[j + 1] < u {
            j += 1;
        }
        let (c0, c1) = (cdf[j], cdf[(j + 1).min(GRID)]);
        let frac = if c1 > c0 { (u - c0) / (c1 - c0) } else { 0.0 };
        table.push(((j as f64 + frac.clamp(0.0, 1.0)) * h) as f32);
    }
    table
}

/// Nearest whole minute of a non-negative duration (`f64::round` is a libm call in the
/// hot loop; this is not).
#[inline]
fn round(x: f64) -> i64 {
    (x + 0.5) as i64
}

/// Three-point estimates turned into samplers, with the PERT tables they share.
#[derive(Debug, Clone, Default)]
pub struct Sampler {
    /// How each task's duration is drawn, indexed by [`TaskId`].
    pub draws: Vec<Draw>,
    /// The PERT tables, one after the other (`TABLE_POINTS + 1` values each).
    tables: Vec<f32>,
}

impl Sampler {
    /// A sampler for each task of `project`, with `durations` as the planned ones.
    pub fn new(project: &Project, durations: &[i64]) -> Sampler {
        let mut sampler = Sampler::default();
        let mut shape_table: Vec<Option<usize>> = vec![None; SHAPES + 1];
        let u = project.uncertainty;
        for (t, task) in project.tasks.iter().enumerate() {
            let d = durations[t];
            let (low, mode, high, dist) = match &task.estimate {
                _ if task.milestone => (0.0, 0.0, 0.0, Distribution::Pert),
                Some(e) if durations[t] == task.duration => (
                    e.best as f64,
                    e.likely as f64,
                    e.worst as f64,
                    e.distribution,
                ),
                // A scenario changed the duration: spread it like the estimate.
                Some(e) if e.likely > 0 => {
                    let k = d as f64 / e.likely as f64;
                    (
                        e.best as f64 * k,
                        d as f64,
                        e.worst as f64 * k,
                        e.distribution,
                    )
                }
                _ => (
                    d as f64 * u.best,
                    d as f64,
                    d as f64 * u.worst,
                    u.distribution,
                ),
            };
            let draw = if high - low < 0.5 {
                Draw::Fixed(d)
            } else {
                match dist {
                    Distribution::Triangular => Draw::Triangular { low, mode, high },
                    Distribution::Pert => {
                        let r = ((mode - low) / (high - low)).clamp(0.0, 1.0);
                        let q = (r * SHAPES as f64).round() as usize;
                        let table = *shape_table[q].get_or_insert_with(|| {
                            let r = q as f64 / SHAPES as f64;
                            let table = sampler.tables.len() / (TABLE_POINTS + 1);
                            sampler
                                .tables
                                .extend(beta_table(1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r)));
                            table
                        });
                        Draw::Pert {
                            low,
                            range: high - low,
                            table,
                        }
                    }
                }
            };
            sampler.draws.push(draw);
        }
        sampler
    }

    /// A duration for task `t` from a uniform `u` in [0, 1).
    #[inline]
    pub fn duration(&self, t: usize, u: f64) -> i64 {
        self.sample(self.draws[t], u)
    }

    /// A duration drawn with `draw` from a uniform `u` in [0, 1).
    #[inline]
    fn sample(&self, draw: Draw, u: f64) -> i64 {
        match draw {
            Draw::Fixed(d) => d,
            Draw::Triangular { low, mode, high } => {
                let (range, left) = (high - low, mode - low);
                let x = if u * range < left {
                    low + (u * range * left).sqrt()
                } else {
                    high - ((1.0 - u) * range * (high - mode)).sqrt()
                };
                round(x)
            }
            Draw::Pert { low, range, table } => {
                let from = table * (TABLE_POINTS + 1);
                let table = &self.tables[from..=(from + TABLE_POINTS)];
                let pos = u * TABLE_POINTS as f64;
                let i = (pos as usize).min(TABLE_POINTS - 1);
                let frac = pos - i as f64;
                let x =
                    f64::from(table[i]) + (f64::from(table[i + 1]) - f64::from(table[i])) * frac;
                round(low + range * x)
            }
        }
    }

    /// Does any task vary?
    pub fn varies(&self) -> bool {
        self.draws.iter().any(|d| !matches!(d, Draw::Fixed(_)))
    }
}

/// How a dependency's bound is computed in the successor's working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Same calendar, working lag: plain arithmetic.
    Same,
    /// Different calendars: through the predecessor's moment.
    Cross,
    /// An elapsed lag: through the predecessor's moment plus the lag.
    Elapsed,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    /// The predecessor's point in [`Pass`]: `2 * position`, plus 1 for its finish.
    from: u32,
    mode: Mode,
    to_finish: bool,
    lag: i64,
}

/// A task not yet started, whose dates each iteration computes.
#[derive(Debug, Clone, Copy)]
struct Free {
    /// No earlier than this working minute.
    lower: i64,
    /// Topological position.
    pos: u32,
    /// Its links: `edges[first..other]` on its own calendar with a working lag (plain
    /// arithmetic), `edges[other..last]` through an instant (across calendars or with
    /// an elapsed lag).
    first: u32,
    other: u32,
    last: u32,
    calendar: u32,
    /// Its start instant is needed (a cross-calendar or elapsed SS/SF successor).
    needs_start: bool,
    /// Its finish instant is needed (a cross-calendar or elapsed FS/FF successor, or
    /// readiness).
    needs_finish: bool,
}

/// Marks a position whose task is finished or in progress in [`Network::free_at`].
const FIXED: u32 = u32::MAX;

/// The network flattened for fast repeated forward passes: tasks renumbered in
/// topological order, so each pass walks its arrays front to back.
#[derive(Debug)]
struct Network {
    /// Task at each position.
    order: Vec<u32>,
    /// Tasks not started, in topological order.
    free: Vec<Free>,
    /// How each free task's duration is drawn.
    draws: Vec<Draw>,
    /// Index in `free` of the task at each position, or [`FIXED`].
    free_at: Vec<u32>,
    edges: Vec<Edge>,
    calendars: Vec<FlatCalendar>,
    /// Points of every position as planned, `[start, finish]` pairs (working minutes
    /// and instants): fixed tasks keep them in every iteration.
    base_work: Vec<i64>,
    base_at: Vec<Moment>,
    /// Readiness: the go-live task, or the tasks with no successors (positions).
    ends: Vec<u32>,
    go_live_task: bool,
    start: Moment,
}

impl Network {
    fn new(
        project: &Project,
        graph: &TaskGraph,
        durations: &[i64],
        progress: Option<&Progress>,
        sampler: &Sampler,
    ) -> Result<Network, ScheduleError> {
        let n = project.tasks.len();
        let base = schedule_with(project, graph, Inputs::of(project, durations, progress))?;
        let cals = &project.calendars;
        let floor = floors(project, progress.and_then(|p| p.as_of));
        let mut pos_of = vec![0u32; n];
        for (k, &t) in graph.order.iter().enumerate() {
            pos_of[t] = k as u32;
        }
        let mut free = Vec::new();
        let mut free_at = vec![FIXED; n];
        let mut needs_start = vec![false; n];
        let mut needs_finish = vec![false; n];
        let mut edges = Vec::new();
        for (k, &t) in graph.order.iter().enumerate() {
            let task = &project.tasks[t];
            let err = |side: OutOfRange| ScheduleError { task: t, side };
            let lower = match base.tasks[t].state {
                State::Done | State::InProgress => None,
                State::NotStarted => {
                    let cal = &cals[task.calendar];
                    let mut lower = floor[task.calendar].map_err(err)?;
                    if let Some(nb) = task.not_before {
                        lower = lower.max(cal.work_at(nb).map_err(err)?);
                    }
                    Some(lower)
                }
            };
            let first = edges.len();
            for dep in &task.deps {
                let mode = if dep.lag.elapsed {
                    Mode::Elapsed
                } else if project.tasks[dep.pred].calendar == task.calendar {
                    Mode::Same
                } else {
                    Mode::Cross
                };
                let from_start = matches!(dep.link, LinkType::SS | LinkType::SF);
                if mode != Mode::Same {
                    if from_start {
                        needs_start[dep.pred] = true;
                    } else {
                        needs_finish[dep.pred] = true;
                    }
                }
                edges.push(Edge {
                    from: 2 * pos_of[dep.pred] + u32::from(!from_start),
                    mode,
                    to_finish: matches!(dep.link, LinkType::FF | LinkType::SF),
                    lag: dep.lag.minutes,
                });
            }
            // A fixed task's links are never followed.
            let Some(lower) = lower else {
                edges.truncate(first);
                continue;
            };
            edges[first..].sort_by_key(|e| e.mode != Mode::Same);
            free_at[k] = free.len() as u32;
            free.push(Free {
                lower,
                pos: k as u32,
                first: first as u32,
                other: (first
                    + edges[first..]
                        .iter()
                        .filter(|e| e.mode == Mode::Same)
                        .count()) as u32,
                last: edges.len() as u32,
                calendar: task.calendar as u32,
                needs_start: false,
                needs_finish: false,
            });
        }
        let ends: Vec<TaskId> = match project.go_live_task {
            Some(g) => vec![g],
            None => (0..n).filter(|&t| !graph.has_successors(t)).collect(),
        };
        for &e in &ends {
            needs_finish[e] = true;
        }
        let order: Vec<u32> = graph.order.iter().map(|&t| t as u32).collect();
        for f in &mut free {
            let t = order[f.pos as usize] as usize;
            f.needs_start = needs_start[t];
            f.needs_finish = needs_finish[t];
        }
        // Conversions fall mostly within the plan's years; lay the calendars out over
        // them and as long again after, for iterations that finish late.
        let first = base.tasks.iter().map(|d| d.early_start).min();
        let last = base.tasks.iter().map(|d| d.early_finish).max();
        let from = first.map_or(project.start, |f| f.min(project.start));
        let to = last.map_or(from, |l| Moment(l.0.saturating_add(l.0 - from.0)));
        let calendars = cals.iter().map(|c| c.flat(from, to)).collect();
        let mut base_work = Vec::with_capacity(2 * n);
        let mut base_at = Vec::with_capacity(2 * n);
        for &t in &graph.order {
            let d = &base.tasks[t];
            base_work.extend([d.early_work.0, d.early_work.1]);
            base_at.extend([d.early_start, d.early_finish]);
        }
        Ok(Network {
            draws: free
                .iter()
                .map(|f| sampler.draws[order[f.pos as usize] as usize])
                .collect(),
            order,
            free,
            free_at,
            edges,
            calendars,
            base_work,
            base_at,
            ends: ends.iter().map(|&e| pos_of[e]).collect(),
            go_live_task: project.go_live_task.is_some(),
            start: project.start,
        })
    }

    fn error(&self, f: &Free) -> impl Fn(OutOfRange) -> ScheduleError {
        let task = self.order[f.pos as usize] as usize;
        move |side| ScheduleError { task, side }
    }
}

/// Working-time points of one iteration (reused from one iteration to the next).
struct Pass {
    /// Working minutes of each position's start and finish.
    work: Vec<i64>,
    /// Instants of each position's start and finish, where needed.
    at: Vec<Moment>,
    /// Each free task's duration.
    durations: Vec<i64>,
    /// Iteration stamp of the last time a free task was found critical.
    stamp: Vec<u32>,
    stack: Vec<u32>,
    /// Free tasks found critical in this iteration.
    critical: Vec<u32>,
}

impl Pass {
    fn new(net: &Network) -> Pass {
        Pass {
            work: net.base_work.clone(),
            at: net.base_at.clone(),
            durations: vec![0; net.free.len()],
            stamp: vec![u32::MAX; net.free.len()],
            stack: Vec::new(),
            critical: Vec::new(),
        }
    }
}

impl Network {
    /// The bound edge `e` (on the task's own calendar, working lag) puts on the start
    /// of a task of duration `d`.
    #[allow(
        clippy::inline_always,
        reason = "the innermost call of the Monte Carlo passes, tuned with it in place"
    )]
    #[inline(always)]
    fn same_bound(work: &[i64], e: &Edge, d: i64) -> i64 {
        let need = work[e.from as usize] + e.lag;
        if e.to_finish { need - d } else { need }
    }

    /// The bound edge `e` (through an instant) puts on the start of a task of duration
    /// `d` on calendar `cal`.
    #[inline]
    fn other_bound(&self, at: &[Moment], cal: u32, e: &Edge, d: i64) -> Result<i64, OutOfRange> {
        let cal = &self.calendars[cal as usize];
        let at = at[e.from as usize];
        let need = match e.mode {
            Mode::Elapsed => cal.work_at(at.plus(e.lag).ok_or(OutOfRange::toward(e.lag))?)?,
            _ => cal.work_at(at)? + e.lag,
        };
        Ok(if e.to_finish { need - d } else { need })
    }

    /// One forward pass with the durations in `pass`; returns when the plan is ready.
    #[inline]
    fn forward(&self, pass: &mut Pass) -> Result<Moment, ScheduleError> {
        let (work, at) = (&mut pass.work, &mut pass.at);
        for (f, &d) in self.free.iter().zip(&pass.durations) {
            let mut es = f.lower;
            for e in &self.edges[f.first as usize..f.other as usize] {
                es = es.max(Self::same_bound(work, e, d));
            }
            for e in &self.edges[f.other as usize..f.last as usize] {
                let bound = self.other_bound(at, f.calendar, e, d);
                es = es.max(bound.map_err(self.error(f))?);
            }
            let p = 2 * f.pos as usize;
            work[p] = es;
            work[p + 1] = es + d;
            let cal = &self.calendars[f.calendar as usize];
            if f.needs_finish || (d == 0 && f.needs_start) {
                let finish = cal.moment_at(es + d, Bias::Finish);
                let finish = finish.map_err(self.error(f))?;
                at[p] = finish;
                at[p + 1] = finish;
            }
            if f.needs_start && d != 0 {
                at[p] = cal.moment_at(es, Bias::Start).map_err(self.error(f))?;
            }
        }
        Ok(self
            .ends
            .iter()
            .map(|&e| at[2 * e as usize + 1])
            .max()
            .unwrap_or(self.start))
    }

    /// Marks (with `stamp`) the free tasks on a driving chain to readiness.
    fn mark_critical(&self, pass: &mut Pass, ready: Moment, stamp: u32) {
        pass.stack.clear();
        pass.critical.clear();
        for &e in &self.ends {
            if pass.at[2 * e as usize + 1] == ready || self.go_live_task {
                pass.stack.push(e);
            }
        }
        while let Some(p) = pass.stack.pop() {
            let j = self.free_at[p as usize];
            if j == FIXED || pass.stamp[j as usize] == stamp {
                continue;
            }
            pass.stamp[j as usize] = stamp;
            pass.critical.push(j);
            let f = &self.free[j as usize];
            let d = pass.durations[j as usize];
            let start = pass.work[2 * p as usize];
            for e in &self.edges[f.first as usize..f.other as usize] {
                if Self::same_bound(&pass.work, e, d) == start {
                    pass.stack.push(e.from / 2);
                }
            }
            for e in &self.edges[f.other as usize..f.last as usize] {
                if self.other_bound(&pass.at, f.calendar, e, d) == Ok(start) {
                    pass.stack.push(e.from / 2);
                }
            }
        }
    }
}

/// What to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// How many iterations to run (`--iterations`).
    pub iterations: usize,
    /// The seed (`--seed`): iteration `i` draws from a generator seeded by `(seed, i)`.
    pub seed: u64,
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    /// How many iterations were run.
    pub iterations: usize,
    /// The seed they were drawn with.
    pub seed: u64,
    /// When the plan was ready: each distinct instant, in order, with how many
    /// iterations were ready then. Kept as counts, not one entry per iteration, so a
    /// run's memory does not grow with `--iterations` (10,000,000 iterations would be
    /// 80 MB of instants); the counts add up to `iterations`.
    pub ready: Vec<(Moment, u64)>,
    /// The go-live the run is judged against (a scenario's, when it moves it).
    pub go_live: Moment,
    /// When the cutover window closes, if the runbook has one.
    pub closes: Option<Moment>,
    /// Share of iterations in which each task was on a driving chain.
    pub criticality: Vec<f64>,
    /// Each task's range of durations drawn from (worst minus best, working minutes).
    pub spread: Vec<f64>,
}

impl MonteCarlo {
    /// How many iterations were counted in [`MonteCarlo::ready`].
    fn counted(&self) -> u64 {
        self.ready.iter().map(|&(_, c)| c).sum()
    }

    /// The earliest readiness of any iteration.
    pub fn earliest(&self) -> Option<Moment> {
        self.ready.first().map(|&(m, _)| m)
    }

    /// The latest readiness of any iteration.
    pub fn latest(&self) -> Option<Moment> {
        self.ready.last().map(|&(m, _)| m)
    }

    /// The `p`-th percentile (0-100) of readiness (nearest rank).
    pub fn percentile(&self, p: f64) -> Moment {
        let n = self.counted();
        if n == 0 {
            return self.go_live;
        }
        let rank = (((p / 100.0) * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for &(m, c) in &self.ready {
            seen += c;
            if seen >= rank {
                return m;
            }
        }
        self.latest().unwrap_or(self.go_live)
    }

    /// Share of iterations ready by `at`.
    pub fn probability_by(&self, at: Moment) -> f64 {
        let n = self.counted();
        if n == 0 {
            return 0.0;
        }
        let by: u64 = self
            .ready
            .iter()
            .take_while(|&&(m, _)| m <= at)
            .map(|&(_, c)| c)
            .sum();
        by as f64 / n as f64
    }

    /// Mean readiness, in UTC minutes since the epoch (0 when no iteration ran).
    pub fn mean(&self) -> f64 {
        let sum: f64 = self.ready.iter().map(|&(m, c)| m.0 as f64 * c as f64).sum();
        sum / self.counted().max(1) as f64
    }

    /// The tasks that drive the risk: ranked by criticality index times the range of
    /// their duration (a task always critical but never varying drives none of the
    /// spread), then by criticality, then id. Only tasks ever critical.
    pub fn drivers(&self, project: &Project, top: usize) -> Vec<(TaskId, f64)> {
        let mut list: Vec<(TaskId, f64)> = self
            .criticality
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, c)| c > 0.0)
            .collect();
        let weight = |t: TaskId, c: f64| c * self.spread.get(t).copied().unwrap_or(0.0);
        list.sort_by(|a, b| {
            weight(b.0, b.1)
                .total_cmp(&weight(a.0, a.1))
                .then_with(|| b.1.total_cmp(&a.1))
                .then_with(|| project.tasks[a.0].id.cmp(&project.tasks[b.0].id))
        });
        list.truncate(top);
        list
    }

    /// `bins` equal-width bins of readiness between the first and last: (from, count).
    pub fn histogram(&self, bins: usize) -> Vec<(Moment, usize)> {
        let (Some(lo), Some(hi)) = (self.earliest(), self.latest()) else {
            return Vec::new();
        };
        let bins = bins.max(1);
        let width = ((hi.0 - lo.0) as f64 / bins as f64).max(1.0);
        let mut counts = vec![0usize; bins];
        for &(r, c) in &self.ready {
            let i = (((r.0 - lo.0) as f64 / width) as usize).min(bins - 1);
            counts[i] += c as usize;
        }
        counts
            .into_iter()
            .enumerate()
            .map(|(i, c)| (Moment(lo.0 + (i as f64 * width) as i64), c))
            .collect()
    }
}

/// How many bins the readiness histogram has.
pub const HISTOGRAM_BINS: usize = 16;

/// How many risk drivers a forecast lists.
pub const DRIVERS: usize = 20;

/// What a Monte Carlo run says, as every format shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// How many iterations were run.
    pub iterations: usize,
    /// The seed they were drawn with.
    pub seed: u64,
    /// The go-live the run is judged against.
    pub go_live: Moment,
    /// When the cutover window closes, if the runbook has one.
    pub closes: Option<Moment>,
    /// Readiness percentiles (nearest rank).
    pub p10: Moment,
    /// The 50th percentile (median) of readiness.
    pub p50: Moment,
    /// The 80th percentile of readiness.
    pub p80: Moment,
    /// The 95th percentile of readiness.
    pub p95: Moment,
    /// Mean readiness, to the minute.
    pub mean: Moment,
    /// The earliest and latest readiness drawn.
    pub earliest: Moment,
    /// The latest readiness drawn.
    pub latest: Moment,
    /// Share of iterations ready by go-live, and by window close.
    pub probability_by_go_live: f64,
    /// Share of iterations ready by the window's close, when there is a window.
    pub probability_by_close: Option<f64>,
    /// Readiness in [`HISTOGRAM_BINS`] equal bins.
    pub histogram: Vec<Bin>,
    /// The tasks that drive the risk, most first (see [`MonteCarlo::drivers`]).
    pub drivers: Vec<Driver>,
}

/// One bin of the readiness histogram: `from` up to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bin {
    /// Where the bin starts (included).
    pub from: Moment,
    /// Where the bin ends (excluded): the next bin's start; for the last bin, its start
    /// plus one minute.
    pub to: Moment,
    /// How many iterations were ready in the bin.
    pub count: usize,
    /// Go-live falls in this bin.
    pub has_go_live: bool,
    /// Window close falls in this bin (and go-live does not).
    pub has_close: bool,
}

/// A task that drives the risk.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Driver {
    /// The task, an index into [`Project::tasks`].
    pub task: TaskId,
    /// Share of iterations in which the task was on a driving chain.
    pub criticality: f64,
    /// The range of its drawn durations (worst minus best), in working minutes.
    pub range: i64,
}

impl MonteCarlo {
    /// The run summarised for reading.
    pub fn forecast(&self, project: &Project) -> Forecast {
        let bins = self.histogram(HISTOGRAM_BINS);
        let histogram = bins
            .iter()
            .enumerate()
            .map(|(i, &(from, count))| {
                let to = bins.get(i + 1).map_or(Moment(from.0 + 1), |b| b.0);
                let has_go_live = (from..to).contains(&self.go_live);
                Bin {
                    from,
                    to,
                    count,
                    has_go_live,
                    has_close: !has_go_live && self.closes.is_some_and(|c| (from..to).contains(&c)),
                }
            })
            .collect();
        Forecast {
            iterations: self.iterations,
            seed: self.seed,
            go_live: self.go_live,
            closes: self.closes,
            p10: self.percentile(10.0),
            p50: self.percentile(50.0),
            p80: self.percentile(80.0),
            p95: self.percentile(95.0),
            mean: Moment(self.mean().round() as i64),
            earliest: self.earliest().unwrap_or(self.go_live),
            latest: self.latest().unwrap_or(self.go_live),
            probability_by_go_live: self.probability_by(self.go_live),
            probability_by_close: self.closes.map(|c| self.probability_by(c)),
            histogram,
            drivers: self
                .drivers(project, DRIVERS)
                .into_iter()
                .map(|(task, criticality)| Driver {
                    task,
                    criticality,
                    range: self.spread.get(task).map_or(0, |s| s.round() as i64),
                })
                .collect(),
        }
    }
}

/// A seed for iteration `i`, well mixed (`SplitMix64`).
fn iteration_seed(seed: u64, i: u64) -> u64 {
    let mut z = seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What finished iterations add up to: how many were ready at each instant, and how
/// often each free task was critical. Tallies are merged as chunks finish, so memory
/// depends on the tasks, the threads and the spread of readiness, not the iterations.
struct Tally {
    ready: BTreeMap<Moment, u64>,
    /// By position in [`Network::free`].
    critical: Vec<u64>,
    /// The first iteration (by number) whose dates ran outside the plan's horizon, so
    /// the error reported is the same on any number of threads.
    error: Option<(usize, ScheduleError)>,
}

impl Tally {
    fn new(free: usize) -> Tally {
        Tally {
            ready: BTreeMap::new(),
            critical: vec![0; free],
            error: None,
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        let (mut big, small) = if self.ready.len() >= other.ready.len() {
            (self.ready, other.ready)
        } else {
            (other.ready, self.ready)
        };
        for (m, c) in small {
            *big.entry(m).or_insert(0) += c;
        }
        self.ready = big;
        for (a, b) in self.critical.iter_mut().zip(other.critical) {
            *a += b;
        }
        self.error = match (self.error, other.error) {
            (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        self
    }
}

/// Runs `settings.iterations` iterations over `project` with the planned durations,
/// go-live and progress of `inputs`, judged against window close `closes`. `tick` is
/// called as iterations finish (for a progress bar), from any thread.
pub fn run(
    project: &Project,
    graph: &TaskGraph,
    inputs: Inputs<'_>,
    closes: Option<Moment>,
    settings: Settings,
    tick: &(dyn Fn(usize) + Sync),
) -> Result<MonteCarlo, ScheduleError> {
    let (durations, progress, go_live) = (inputs.durations, inputs.progress, inputs.go_live);
    let n = project.tasks.len();
    let sampler = Sampler::new(project, durations);
    let net = Network::new(project, graph, durations, progress, &sampler)?;
    const CHUNK: usize = 64;
    let chunks = settings.iterations.div_ceil(CHUNK);
    let free = net.free.len();
    let tally = (0..chunks)
        .into_par_iter()
        .fold(
            || (Pass::new(&net), Tally::new(free)),
            |(mut pass, mut tally), c| {
                let from = c * CHUNK;
                let to = (from + CHUNK).min(settings.iterations);
                for i in from..to {
                    let seed = iteration_seed(settings.seed, i as u64);
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    // In topological order, one number per task that varies.
                    for (d, &draw) in pass.durations.iter_mut().zip(&net.draws) {
                        *d = match draw {
                            Draw::Fixed(d) => d,
                            _ => sampler.sample(draw, rng.random::<f64>()),
                        };
                    }
                    let r = match net.forward(&mut pass) {
                        Ok(r) => r,
                        Err(e) => {
                            tally.error = tally.error.or(Some((i, e)));
                            break;
                        }
                    };
                    net.mark_critical(&mut pass, r, i as u32);
                    for &j in &pass.critical {
                        tally.critical[j as usize] += 1;
                    }
                    *tally.ready.entry(r).or_insert(0) += 1;
                }
                tick(to - from);
                (pass, tally)
            },
        )
        .map(|(_, tally)| tally)
        .reduce(|| Tally::new(free), Tally::merge);
    if let Some((_, e)) = tally.error {
        return Err(e);
    }
    let mut counts = vec![0u64; n];
    for (f, c) in net.free.iter().zip(tally.critical) {
        counts[net.order[f.pos as usize] as usize] += c;
    }
    let ready: Vec<(Moment, u64)> = tally.ready.into_iter().collect();
    let iterations = settings.iterations.max(1) as f64;
    Ok(MonteCarlo {
        iterations: settings.iterations,
        seed: settings.seed,
        ready,
        go_live,
        closes,
        criticality: counts.into_iter().map(|c| c as f64 / iterations).collect(),
        spread: sampler
            .draws
            .iter()
            .map(|d| match *d {
                Draw::Fixed(_) => 0.0,
                Draw::Triangular { low, high, .. } => high - low,
                Draw::Pert { range, .. } => range,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests;
