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
    Go,
    GoWithConditions,
    NoGo,
}

impl Decision {
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
    Condition,
    NoGo,
}

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Criterion {
        gate: usize,
        criterion: usize,
    },
    Task(TaskId),
    /// The plan against go-live.
    GoLive,
    /// The plan against the window's close.
    Window,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub weight: Weight,
    pub source: Source,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
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
