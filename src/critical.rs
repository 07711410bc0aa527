//! The driving critical path: from the go-live milestone (or the last task) back through
//! the links that set each task's early start, to where the chain begins.

use crate::graph::TaskGraph;
use crate::project::{Project, TaskId};
use crate::schedule::{Inputs, Schedule, driving_preds};

/// At most this many chains are listed (ties can make many).
pub const MAX_CHAINS: usize = 5;

/// The driving chains, each from its first task to the end task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriticalPath {
    pub chains: Vec<Vec<TaskId>>,
    /// More chains tie for driving than are listed.
    pub more: bool,
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
    CriticalPath { chains, more }
}
