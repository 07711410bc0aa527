//! Tasks and dependencies as a directed graph (petgraph): topological order for the
//! scheduler, cycles with their path for diagnostics, reachability for go-live checks.
//!
//! Nothing here recurses on the depth of the graph, so a 100,000-task chain is safe.

use std::collections::{HashMap, VecDeque};

use petgraph::Direction;
use petgraph::algo::{kosaraju_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::project::{Project, TaskId};

/// The dependency graph: an edge from each predecessor to the task that waits for it.
#[derive(Debug, Clone)]
pub struct TaskGraph {
    /// Edge weight: index of the dependency in the successor's `deps`.
    graph: DiGraph<(), u32, u32>,
    /// Every task, predecessors before successors.
    pub order: Vec<TaskId>,
}

/// A loop of dependencies: each task comes before the next, and the last before the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The tasks of the loop, in dependency order.
    pub tasks: Vec<TaskId>,
}

impl TaskGraph {
    /// Builds the graph, or returns every dependency loop (one per tangle).
    pub fn build(project: &Project) -> Result<TaskGraph, Vec<Cycle>> {
        let n = project.tasks.len();
        let m: usize = project.tasks.iter().map(|t| t.deps.len()).sum();
        let mut graph = DiGraph::<(), u32, u32>::with_capacity(n, m);
        for _ in 0..n {
            graph.add_node(());
        }
        for (succ, task) in project.tasks.iter().enumerate() {
            for (i, dep) in task.deps.iter().enumerate() {
                graph.add_edge(node(dep.pred), node(succ), i as u32);
            }
        }
        match toposort(&graph, None) {
            Ok(order) => Ok(TaskGraph {
                order: order.into_iter().map(NodeIndex::index).collect(),
                graph,
            }),
            Err(_) => Err(find_cycles(&graph)),
        }
    }

    /// How many tasks the graph has.
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// True when the runbook has no tasks.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    /// Tasks that wait for `task`, with the index of the dependency in their `deps`.
    pub fn successors(&self, task: TaskId) -> impl Iterator<Item = (TaskId, usize)> + '_ {
        self.graph
            .edges_directed(node(task), Direction::Outgoing)
            .map(|e| (e.target().index(), *e.weight() as usize))
    }

    /// True when some task waits for `task`.
    pub fn has_successors(&self, task: TaskId) -> bool {
        self.graph
            .neighbors_directed(node(task), Direction::Outgoing)
            .next()
            .is_some()
    }

    /// Marks every task reachable from `from` (inclusive) following `direction`.
    pub fn reachable(&self, from: TaskId, direction: Direction) -> Vec<bool> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut queue = VecDeque::from([from]);
        seen[from] = true;
        while let Some(t) = queue.pop_front() {
            for next in self.graph.neighbors_directed(node(t), direction) {
                if !seen[next.index()] {
                    seen[next.index()] = true;
                    queue.push_back(next.index());
                }
            }
        }
        seen
    }
}

fn node(task: TaskId) -> NodeIndex<u32> {
    NodeIndex::new(task)
}

/// One cycle through each strongly connected tangle of more than one task.
fn find_cycles(graph: &DiGraph<(), u32, u32>) -> Vec<Cycle> {
    let mut in_scc = vec![usize::MAX; graph.node_count()];
    let mut cycles = Vec::new();
    // Kosaraju, not Tarjan: petgraph's Tarjan recurses once per task on the path and
    // overflows the stack on a loop of 100,000 tasks; Kosaraju's searches are iterative.
    for (k, scc) in kosaraju_scc(graph).into_iter().enumerate() {
        if scc.len() < 2 {
            continue;
        }
        for n in &scc {
            in_scc[n.index()] = k;
        }
        let start = scc.iter().map(|n| n.index()).min().unwrap_or_default();
        if let Some(path) = shortest_loop(graph, start, |t| in_scc[t] == k) {
            cycles.push(Cycle { tasks: path });
        }
    }
    cycles.sort_by_key(|c| c.tasks.first().copied());
    cycles
}

/// The shortest path from `start` back to itself through tasks where `inside` holds.
fn shortest_loop(
    graph: &DiGraph<(), u32, u32>,
    start: TaskId,
    inside: impl Fn(TaskId) -> bool,
) -> Option<Vec<TaskId>> {
    // Sparse: one search per tangle, so a dense array per search would be quadratic
    // in a runbook with many small loops.
    let mut parent: HashMap<TaskId, TaskId> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(t) = queue.pop_front() {
        for next in graph.neighbors_directed(node(t), Direction::Outgoing) {
            let next = next.index();
            if next == start {
                let mut path = vec![t];
                let mut cur = t;
                while cur != start {
                    cur = parent[&cur];
                    path.push(cur);
                }
                path.reverse();
                return Some(path);
            }
            if inside(next) && !parent.contains_key(&next) {
                parent.insert(next, t);
                queue.push_back(next);
            }
        }
    }
    None
}
