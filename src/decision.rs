//! GO / GO WITH CONDITIONS / NO-GO from the gates and the plan, with every reason
//! naming its source. The rules are in docs/decision.md:
//!
//! NO-GO when
//! - a blocker criterion of a due gate fails or has no data,
//! - the plan is not ready by go-live, or overruns the cutover window,
//! - a critical task is blocked.
//!
//! GO WITH CONDITIONS (when nothing above holds) when
//! - a major criterion of a due gate fails or has no data,
//! - a blocker or major criterion of a gate not yet due is at risk,
//! - float to go-live is below the runbook's `thresholds.min_float`,
//! - a non-critical task is blocked.
//!
//! GO otherwise. Minor criteria that fail are listed as notes and change nothing.

use crate::gates::{GateResult, Verdict};
use crate::model::gate::Severity;
use crate::plan::Plan;
use crate::project::TaskId;
use crate::status::Status;
use crate::time::Elapsed;

/// The board's choice, in increasing order of concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// Every rule is met: go live as planned.
    Go,
    /// Go live, with the conditions the reasons list (a major failure, a risk, thin float).
    GoWithConditions,
    /// Do not go live: a blocker fails, the plan misses go-live or the window, or a
    /// critical task is blocked.
    NoGo,
}

impl Decision {
    /// The decision as reports show it: `GO`, `GO WITH CONDITIONS` or `NO-GO`.
    pub fn label(self) -> &'static str {
        match self {
            Decision::Go => "GO",
            Decision::GoWithConditions => "GO WITH CONDITIONS",
            Decision::NoGo => "NO-GO",
        }
    }
}

/// How much a reason weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weight {
    /// Reported; does not change the decision.
    Note,
    /// Turns a GO into GO WITH CONDITIONS.
    Condition,
    /// Turns the decision into NO-GO.
    NoGo,
}

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A criterion of a gate that failed, has no data or is at risk.
    Criterion {
        /// The gate, an index into [`Project::gates`](crate::project::Project::gates).
        gate: usize,
        /// The criterion, an index into that gate's criteria.
        criterion: usize,
    },
    /// A blocked task (critical: NO-GO; otherwise a condition).
    Task(TaskId),
    /// The plan against go-live.
    GoLive,
    /// The plan against the window's close.
    Window,
}

/// One reason for the decision: how much it weighs, what it is about, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Whether it is a note, a condition or a NO-GO.
    pub weight: Weight,
    /// The gate and criterion, task, go-live or window it is about.
    pub source: Source,
    /// The reason in words, e.g. `fail (blocker): ...` with the criterion's detail.
    pub text: String,
}

/// The decision and every reason behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// GO, GO WITH CONDITIONS or NO-GO, set by the heaviest reason (notes change nothing).
    pub decision: Decision,
    /// Heaviest first, then in runbook order.
    pub reasons: Vec<Reason>,
}

/// Applies the decision rules.
pub fn decide(plan: &Plan, gates: &[GateResult], status: &Status) -> Outcome {
    let project = plan.project;
    let mut reasons = Vec::new();

    for g in gates {
        let gate = &project.gates[g.gate];
        for (c, r) in g.criteria.iter().enumerate() {
            let criterion = &gate.criteria[c];
            let weight = match (r.verdict, criterion.severity) {
                (Verdict::Fail | Verdict::NoData, Severity::Blocker) => Weight::NoGo,
                (Verdict::Fail | Verdict::NoData, Severity::Major)
                | (Verdict::AtRisk, Severity::Blocker | Severity::Major) => Weight::Condition,
                (Verdict::Fail | Verdict::NoData | Verdict::AtRisk, Severity::Minor) => {
                    Weight::Note
                }
                (Verdict::Pass | Verdict::NotYetDue, _) => continue,
            };
            reasons.push(Reason {
                weight,
                source: Source::Criterion {
                    gate: g.gate,
                    criterion: c,
                },
                text: format!(
                    "{} ({}): {}",
                    r.verdict.label(),
                    crate::gates::severity_label(criterion.severity),
                    r.detail
                ),
            });
        }
    }

    let fit = &plan.fit;
    let float = fit.float_to_go_live();
    if float < 0 {
        reasons.push(Reason {
            weight: Weight::NoGo,
            source: Source::GoLive,
            text: format!("the plan is ready {} after go-live", Elapsed(-float)),
        });
    } else if float < project.thresholds.min_float {
        reasons.push(Reason {
            weight: Weight::Condition,
            source: Source::GoLive,
            text: format!(
                "float to go-live is {}, below the runbook's minimum of {}",
                Elapsed(float),
                Elapsed(project.thresholds.min_float)
            ),
        });
    }
    if let Some(close) = fit.float_to_close()
        && close < 0
    {
        reasons.push(Reason {
            weight: Weight::NoGo,
            source: Source::Window,
            text: format!(
                "the plan overruns the cutover window by {}",
                Elapsed(-close)
            ),
        });
    }

    let mut blocked: Vec<_> = status.blocked.iter().collect();
    blocked.sort_by_key(|(t, _)| **t);
    for (&task, why) in blocked {
        let critical = plan.schedule.tasks[task].critical;
        reasons.push(Reason {
            weight: if critical {
                Weight::NoGo
            } else {
                Weight::Condition
            },
            source: Source::Task(task),
            text: format!(
                "{} task `{}` is blocked: {why}",
                if critical { "critical" } else { "non-critical" },
                project.tasks[task].id
            ),
        });
    }

    reasons.sort_by_key(|r| std::cmp::Reverse(r.weight));
    let decision = match reasons.first().map(|r| r.weight) {
        Some(Weight::NoGo) => Decision::NoGo,
        Some(Weight::Condition) => Decision::GoWithConditions,
        _ => Decision::Go,
    };
    Outcome { decision, reasons }
}
