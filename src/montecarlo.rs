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

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rayon::prelude::*;

use crate::calendar::{Bias, Calendar, OutOfRange};
use crate::graph::TaskGraph;
use crate::project::{Distribution, LinkType, Project, TaskId};
use crate::schedule::{Inputs, Progress, ScheduleError, State, floors, schedule_with};
use crate::time::Moment;

/// How a task's duration is drawn (working minutes).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Draw {
    Fixed(i64),
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// PERT: `low + (high - low) * Beta(a, b)`, sampled from table `table`.
    Pert {
        low: f64,
        range: f64,
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
    pub draws: Vec<Draw>,
    tables: Vec<Vec<f32>>,
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
                            sampler
                                .tables
                                .push(beta_table(1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r)));
                            sampler.tables.len() - 1
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
        match self.draws[t] {
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
                let table = &self.tables[table];
                let pos = u * TABLE_POINTS as f64;
                let i = (pos as usize).min(TABLE_POINTS - 1);
                let frac = pos - i as f64;
                let x = table[i] as f64 + (table[i + 1] as f64 - table[i] as f64) * frac;
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
    pred: u32,
    from_start: bool,
    to_finish: bool,
    mode: Mode,
    lag: i64,
}

/// Where a task stands before any drawing.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Finished or in progress: dates fixed by actuals and remaining work.
    Fixed,
    /// Not started: no earlier than this working minute.
    Free { lower: i64 },
}

/// The network flattened for fast repeated forward passes.
#[derive(Debug)]
struct Network<'a> {
    project: &'a Project,
    order: Vec<u32>,
    kind: Vec<Kind>,
    edge_start: Vec<u32>,
    edges: Vec<Edge>,
    /// Tasks whose start moment is needed (a cross-calendar or elapsed SS/SF successor).
    needs_start: Vec<bool>,
    /// Tasks whose finish moment is needed (a cross-calendar or elapsed FS/FF
    /// successor, or readiness).
    needs_finish: Vec<bool>,
    /// Base points of fixed tasks: (start_w, finish_w, start, finish).
    base: Vec<(i64, i64, Moment, Moment)>,
    /// Readiness: the go-live task, or the tasks with no successors.
    ends: Vec<TaskId>,
    go_live_task: Option<TaskId>,
}

impl<'a> Network<'a> {
    fn new(
        project: &'a Project,
        graph: &TaskGraph,
        durations: &[i64],
        progress: Option<&Progress>,
    ) -> Result<Network<'a>, ScheduleError> {
        let n = project.tasks.len();
        let base = schedule_with(project, graph, Inputs::of(project, durations, progress))?;
        let cals = &project.calendars;
        let floor = floors(project, progress.and_then(|p| p.as_of));
        let mut kind = Vec::with_capacity(n);
        let mut needs_start = vec![false; n];
        let mut needs_finish = vec![false; n];
        let mut edge_start = Vec::with_capacity(n + 1);
        let mut edges = Vec::new();
        for (t, task) in project.tasks.iter().enumerate() {
            let err = |side: OutOfRange| ScheduleError { task: t, side };
            let d = &base.tasks[t];
            kind.push(match d.state {
                State::Done | State::InProgress => Kind::Fixed,
                State::NotStarted => {
                    let cal = &cals[task.calendar];
                    let mut lower = floor[task.calendar].map_err(err)?;
                    if let Some(nb) = task.not_before {
                        lower = lower.max(cal.work_at(nb).map_err(err)?);
                    }
                    Kind::Free { lower }
                }
            });
            edge_start.push(edges.len() as u32);
            for dep in &task.deps {
                let mode = if dep.lag.elapsed {
                    Mode::Elapsed
                } else if project.tasks[dep.pred].calendar == task.calendar {
                    Mode::Same
                } else {
                    Mode::Cross
                };
                if mode != Mode::Same {
                    match dep.link {
                        LinkType::SS | LinkType::SF => needs_start[dep.pred] = true,
                        LinkType::FS | LinkType::FF => needs_finish[dep.pred] = true,
                    }
                }
                edges.push(Edge {
                    pred: dep.pred as u32,
                    from_start: matches!(dep.link, LinkType::SS | LinkType::SF),
                    to_finish: matches!(dep.link, LinkType::FF | LinkType::SF),
                    mode,
                    lag: dep.lag.minutes,
                });
            }
        }
        edge_start.push(edges.len() as u32);
        let ends: Vec<TaskId> = match project.go_live_task {
            Some(g) => vec![g],
            None => (0..n).filter(|&t| !graph.has_successors(t)).collect(),
        };
        for &e in &ends {
            needs_finish[e] = true;
        }
        Ok(Network {
            project,
            order: graph.order.iter().map(|&t| t as u32).collect(),
            kind,
            edge_start,
            edges,
            needs_start,
            needs_finish,
            base: base
                .tasks
                .iter()
                .map(|d| {
                    (
                        d.early_work.0,
                        d.early_work.1,
                        d.early_start,
                        d.early_finish,
                    )
                })
                .collect(),
            ends,
            go_live_task: project.go_live_task,
        })
    }

    fn cal(&self, t: usize) -> &Calendar {
        &self.project.calendars[self.project.tasks[t].calendar]
    }
}

/// Working-time points of one iteration.
struct Pass {
    start_w: Vec<i64>,
    finish_w: Vec<i64>,
    start: Vec<Moment>,
    finish: Vec<Moment>,
    durations: Vec<i64>,
    /// Iteration stamp of the last time a task was found critical.
    stamp: Vec<u32>,
    stack: Vec<u32>,
    /// Tasks found critical in this iteration.
    critical: Vec<u32>,
}

impl Pass {
    fn new(n: usize) -> Pass {
        Pass {
            start_w: vec![0; n],
            finish_w: vec![0; n],
            start: vec![Moment(0); n],
            finish: vec![Moment(0); n],
            durations: vec![0; n],
            stamp: vec![u32::MAX; n],
            stack: Vec::new(),
            critical: Vec::new(),
        }
    }
}

impl Network<'_> {
    /// The bound edge `e` puts on the start of task `t` (duration `d`).
    #[inline(always)]
    fn bound(&self, pass: &Pass, t: usize, e: &Edge, d: i64) -> Result<i64, OutOfRange> {
        let p = e.pred as usize;
        let need = match e.mode {
            Mode::Same => {
                (if e.from_start {
                    pass.start_w[p]
                } else {
                    pass.finish_w[p]
                }) + e.lag
            }
            Mode::Cross => {
                let at = if e.from_start {
                    pass.start[p]
                } else {
                    pass.finish[p]
                };
                self.cal(t).work_at(at)? + e.lag
            }
            Mode::Elapsed => {
                let at = if e.from_start {
                    pass.start[p]
                } else {
                    pass.finish[p]
                };
                self.cal(t)
                    .work_at(at.plus(e.lag).ok_or(OutOfRange::toward(e.lag))?)?
            }
        };
        Ok(if e.to_finish { need - d } else { need })
    }

    /// One forward pass, drawing each unstarted task's duration with `draw` as it is
    /// reached (in topological order); returns when the plan is ready.
    #[inline]
    fn forward(
        &self,
        pass: &mut Pass,
        mut draw: impl FnMut(usize) -> i64,
    ) -> Result<Moment, ScheduleError> {
        for &t in &self.order {
            let t = t as usize;
            let err = |side: OutOfRange| ScheduleError { task: t, side };
            match self.kind[t] {
                Kind::Fixed => {
                    let (sw, fw, s, f) = self.base[t];
                    pass.start_w[t] = sw;
                    pass.finish_w[t] = fw;
                    pass.start[t] = s;
                    pass.finish[t] = f;
                }
                Kind::Free { lower } => {
                    let d = draw(t);
                    pass.durations[t] = d;
                    let mut es = lower;
                    let (a, b) = (self.edge_start[t] as usize, self.edge_start[t + 1] as usize);
                    for e in &self.edges[a..b] {
                        es = es.max(self.bound(pass, t, e, d).map_err(err)?);
                    }
                    pass.start_w[t] = es;
                    pass.finish_w[t] = es + d;
                    if self.needs_finish[t] || (d == 0 && self.needs_start[t]) {
                        let f = self.cal(t).moment_at(es + d, Bias::Finish).map_err(err)?;
                        pass.finish[t] = f;
                        pass.start[t] = f;
                    }
                    if self.needs_start[t] && d != 0 {
                        pass.start[t] = self.cal(t).moment_at(es, Bias::Start).map_err(err)?;
                    }
                }
            }
        }
        Ok(self
            .ends
            .iter()
            .map(|&e| pass.finish[e])
            .max()
            .unwrap_or(self.project.start))
    }

    /// Marks (with `stamp`) the tasks on a driving chain to readiness.
    fn mark_critical(&self, pass: &mut Pass, ready: Moment, stamp: u32) {
        pass.stack.clear();
        pass.critical.clear();
        for &e in &self.ends {
            if pass.finish[e] == ready || self.go_live_task.is_some() {
                pass.stack.push(e as u32);
            }
        }
        while let Some(t) = pass.stack.pop() {
            let t = t as usize;
            if pass.stamp[t] == stamp {
                continue;
            }
            let Kind::Free { .. } = self.kind[t] else {
                continue;
            };
            pass.stamp[t] = stamp;
            pass.critical.push(t as u32);
            let d = pass.durations[t];
            let (a, b) = (self.edge_start[t] as usize, self.edge_start[t + 1] as usize);
            for e in &self.edges[a..b] {
                if self.bound(pass, t, e, d) == Ok(pass.start_w[t]) {
                    pass.stack.push(e.pred);
                }
            }
        }
    }
}

/// What to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub iterations: usize,
    pub seed: u64,
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct MonteCarlo {
    pub iterations: usize,
    pub seed: u64,
    /// When the plan was ready, per iteration, sorted.
    pub ready: Vec<Moment>,
    pub go_live: Moment,
    pub closes: Option<Moment>,
    /// Share of iterations in which each task was on a driving chain.
    pub criticality: Vec<f64>,
    /// Each task's range of durations drawn from (worst minus best, working minutes).
    pub spread: Vec<f64>,
}

impl MonteCarlo {
    /// The `p`-th percentile (0-100) of readiness (nearest rank).
    pub fn percentile(&self, p: f64) -> Moment {
        let n = self.ready.len();
        if n == 0 {
            return self.go_live;
        }
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        self.ready[rank.clamp(1, n) - 1]
    }

    /// Share of iterations ready by `at`.
    pub fn probability_by(&self, at: Moment) -> f64 {
        if self.ready.is_empty() {
            return 0.0;
        }
        self.ready.partition_point(|&r| r <= at) as f64 / self.ready.len() as f64
    }

    pub fn mean(&self) -> f64 {
        self.ready.iter().map(|m| m.0 as f64).sum::<f64>() / self.ready.len().max(1) as f64
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
        let (Some(&lo), Some(&hi)) = (self.ready.first(), self.ready.last()) else {
            return Vec::new();
        };
        let bins = bins.max(1);
        let width = ((hi.0 - lo.0) as f64 / bins as f64).max(1.0);
        let mut counts = vec![0usize; bins];
        for r in &self.ready {
            let i = (((r.0 - lo.0) as f64 / width) as usize).min(bins - 1);
            counts[i] += 1;
        }
        counts
            .into_iter()
            .enumerate()
            .map(|(i, c)| (Moment(lo.0 + (i as f64 * width) as i64), c))
            .collect()
    }
}

/// A seed for iteration `i`, well mixed (SplitMix64).
fn iteration_seed(seed: u64, i: u64) -> u64 {
    let mut z = seed ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Readiness per iteration and how often each task was critical, for a chunk.
type ChunkResult = Result<(Vec<Moment>, Vec<u32>), ScheduleError>;

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
    let net = Network::new(project, graph, durations, progress)?;
    let sampler = Sampler::new(project, durations);
    const CHUNK: usize = 64;
    let chunks = settings.iterations.div_ceil(CHUNK);
    let results: Vec<ChunkResult> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut pass = Pass::new(n);
            let mut counts = vec![0u32; n];
            let from = c * CHUNK;
            let to = (from + CHUNK).min(settings.iterations);
            let mut ready = Vec::with_capacity(to - from);
            for i in from..to {
                let mut rng = ChaCha8Rng::seed_from_u64(iteration_seed(settings.seed, i as u64));
                let r = net.forward(&mut pass, |t| match sampler.draws[t] {
                    Draw::Fixed(d) => d,
                    _ => sampler.duration(t, rng.random::<f64>()),
                })?;
                let stamp = i as u32;
                net.mark_critical(&mut pass, r, stamp);
                for &t in &pass.critical {
                    counts[t as usize] += 1;
                }
                ready.push(r);
            }
            tick(to - from);
            Ok((ready, counts))
        })
        .collect();
    let mut ready = Vec::with_capacity(settings.iterations);
    let mut counts = vec![0u64; n];
    for r in results {
        let (r, c) = r?;
        ready.extend(r);
        for (total, c) in counts.iter_mut().zip(c) {
            *total += c as u64;
        }
    }
    ready.sort_unstable();
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
