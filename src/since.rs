//! Changes since the last board (`report --since OLD.status.yaml`): the same runbook
//! judged from an older status file and from the current one, compared. Every value is
//! the engine's answer for each status; nothing here judges anew.

use crate::decision::Decision;
use crate::gates::Verdict;
use crate::project::TaskId;
use crate::report::Report;
use crate::schedule::Standing;
use crate::time::Moment;

/// A value then and now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThenNow<T> {
    /// At the older data date.
    pub then: T,
    /// At the current data date.
    pub now: T,
}

impl<T: PartialEq> ThenNow<T> {
    /// Whether the value changed.
    pub fn changed(&self) -> bool {
        self.then != self.now
    }
}

/// A gate whose result changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateFlip {
    /// The gate, an index into `Project::gates`.
    pub gate: usize,
    /// Its result then and now.
    pub verdict: ThenNow<Verdict>,
}

/// What changed between two judgements of one runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Since {
    /// The two data dates.
    pub data_date: ThenNow<Moment>,
    /// The two decisions.
    pub decision: ThenNow<Decision>,
    /// When the go-live milestone is reached.
    pub ready: ThenNow<Moment>,
    /// Elapsed minutes from readiness to go-live.
    pub float_to_go_live: ThenNow<i64>,
    /// Whether the plan fits go-live and the window.
    pub fits: ThenNow<bool>,
    /// Gates whose result changed, in the runbook's order.
    pub gates_flipped: Vec<GateFlip>,
    /// Tasks on the driving path now that were not then, in plan order.
    pub driving_joined: Vec<TaskId>,
    /// Tasks on the driving path then that are not now, in plan order.
    pub driving_left: Vec<TaskId>,
    /// Tasks done now that were not done then.
    pub done_since: usize,
}

/// Compares the report from the older status (`then`) with the current one (`now`).
/// Both must be reports of the same project.
pub fn since(then: &Report, now: &Report) -> Since {
    // The tasks of the driving chains, by index (sorted, for binary search).
    let on_path = |r: &Report| -> Vec<TaskId> {
        let mut on = vec![false; r.plan.project.tasks.len()];
        for &t in r.plan.critical.chains.iter().flatten() {
            on[t] = true;
        }
        (0..on.len()).filter(|&t| on[t]).collect()
    };
    let (old_path, new_path) = (on_path(then), on_path(now));
    let only = |x: &[TaskId], y: &[TaskId]| -> Vec<TaskId> {
        x.iter()
            .copied()
            .filter(|t| y.binary_search(t).is_err())
            .collect()
    };
    let mut driving_joined = only(&new_path, &old_path);
    let mut driving_left = only(&old_path, &new_path);
    let by_start = |r: &Report, v: &mut Vec<TaskId>| {
        v.sort_by_key(|&t| (r.plan.schedule.tasks[t].early_start, t));
    };
    by_start(now, &mut driving_joined);
    by_start(then, &mut driving_left);
    let gates_flipped = then
        .gates
        .iter()
        .zip(&now.gates)
        .filter(|(a, b)| a.verdict != b.verdict)
        .map(|(a, b)| GateFlip {
            gate: b.gate,
            verdict: ThenNow {
                then: a.verdict,
                now: b.verdict,
            },
        })
        .collect();
    let done = |r: &Report| -> Vec<bool> {
        (0..r.plan.project.tasks.len())
            .map(|t| r.plan.schedule.tasks[t].standing == Standing::Done)
            .collect()
    };
    let (done_then, done_now) = (done(then), done(now));
    let done_since = done_now
        .iter()
        .zip(&done_then)
        .filter(|(n, t)| **n && !**t)
        .count();
    Since {
        data_date: ThenNow {
            then: then.status.as_of,
            now: now.status.as_of,
        },
        decision: ThenNow {
            then: then.outcome.decision,
            now: now.outcome.decision,
        },
        ready: ThenNow {
            then: then.plan.fit.ready,
            now: now.plan.fit.ready,
        },
        float_to_go_live: ThenNow {
            then: then.plan.fit.float_to_go_live(),
            now: now.plan.fit.float_to_go_live(),
        },
        fits: ThenNow {
            then: then.plan.fit.fits(),
            now: now.plan.fit.fits(),
        },
        gates_flipped,
        driving_joined,
        driving_left,
        done_since,
    }
}
