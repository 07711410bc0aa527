//! The driving critical path: from the go-live milestone (or the last task) back through
//! the links that set each task's early start, to where the chain begins.

use crate::graph::TaskGraph;
use crate::project::{Project, TaskId};
use crate::schedule::{Inputs, Schedule, driving_preds};
use crate::time::Moment;

/// At most this many chains are listed (ties can make many).
pub const MAX_CHAINS: usize = 5;

/// The driving chains, each from its first task to the end task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalPath {
    /// Each chain's tasks, from its first task to the go-live milestone (or a last task).
    pub chains: Vec<Vec<TaskId>>,
    /// When each chain starts and ends, and its length, by the index of `chains`.
    pub spans: Vec<ChainSpan>,
    /// More chains tie for driving than are listed.
    pub more: bool,
}

/// Where a driving chain sits in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainSpan {
    /// The early start of its first task.
    pub start: Moment,
    /// The early finish of its last task.
    pub finish: Moment,
    /// Elapsed minutes from `start` to `finish`.
    pub length: i64,
}

impl CriticalPath {
    /// Every task on any listed chain, in plan order.
    pub fn tasks(&self, graph: &TaskGraph) -> Vec<TaskId> {
        let mut on = vec![false; graph.len()];
        for &t in self.chains.iter().flatten() {
            on[t] = true;
        }
        graph.order.iter().copied().filter(|&t| on[t]).collect()
    }
}

/// Finds the driving chains ending at the go-live milestone, or at the tasks that
/// finish last when the runbook marks none.
pub fn critical_path(project: &Project, schedule: &Schedule, inputs: &Inputs<'_>) -> CriticalPath {
    let ends: Vec<TaskId> = match project.go_live_task {
        Some(g) => vec![g],
        None => (0..project.tasks.len())
            .filter(|&t| schedule.tasks[t].early_finish == schedule.finish)
            .collect(),
    };
    let mut chains = Vec::new();
    let mut more = false;
    'ends: for end in ends {
        let first = driving_preds(project, schedule, inputs, end);
        if first.is_empty() {
            chains.push(vec![end]);
            continue;
        }
        // Depth-first over driving links without recursion: a chain may be very long.
        let mut path = vec![end];
        let mut pending = vec![first];
        while let Some(options) = pending.last_mut() {
            let Some(next) = options.pop() else {
                pending.pop();
                path.pop();
                continue;
            };
            let links = driving_preds(project, schedule, inputs, next);
            if links.is_empty() {
                if chains.len() == MAX_CHAINS {
                    more = true;
                    break 'ends;
                }
                chains.push(
                    std::iter::once(next)
                        .chain(path.iter().rev().copied())
                        .collect(),
                );
            } else {
                path.push(next);
                pending.push(links);
            }
        }
    }
    let spans = chains
        .iter()
        .map(|chain| {
            let start = chain
                .first()
                .map_or(schedule.go_live, |&t| schedule.tasks[t].early_start);
            let finish = chain
                .last()
                .map_or(schedule.go_live, |&t| schedule.tasks[t].early_finish);
            ChainSpan {
                start,
                finish,
                length: finish.0 - start.0,
            }
        })
        .collect();
    CriticalPath {
        chains,
        spans,
        more,
    }
}
