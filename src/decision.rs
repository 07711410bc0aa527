//! GO / GO WITH CONDITIONS / NO-GO from the gates and the plan, with every reason
//! naming its source and, for conditions and NO-GO reasons, who must act, by when, and
//! what must be true to clear it. The rules are in docs/decision.md:
//!
//! NO-GO when
//! - a blocker criterion of a due gate fails or has no data,
//! - the plan is not ready by go-live, or overruns the cutover window,
//! - a critical task (on the longest path to go-live, or with float at or below
//!   `critical_float`) is blocked.
//!
//! GO WITH CONDITIONS (when nothing above holds) when
//! - a major criterion of a due gate fails or has no data,
//! - a blocker or major criterion of a gate not yet due is at risk,
//! - float to go-live is below the runbook's `thresholds.min_float`,
//! - a task with float is blocked,
//! - there is no readiness evidence: no status file, or one that records nothing.
//!
//! GO otherwise. Minor criteria that fail are listed as notes and change nothing, as
//! are "no gate is due yet" and "the runbook has no gates".

use crate::calendar::Bias;
use crate::gates::{CriterionResult, GateResult, Measured, Verdict, number};
use crate::model::gate::Severity;
use crate::plan::Plan;
use crate::project::{Comparison, Criterion, CriterionKind, TaskId};
use crate::schedule::State;
use crate::status::{DataDateSource, Status};
use crate::time::{Elapsed, Moment, day_label, work_label};

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
    /// The evidence the decision rests on: the status file, or its absence.
    Evidence,
    /// The runbook's gates as a whole (none due yet, or none at all).
    Gates,
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
    /// What it takes to clear it (conditions and NO-GO reasons).
    pub clear: Option<Clearance>,
}

/// Who must act, by when, and what must be true for a reason to go away.
#[derive(Debug, Clone, PartialEq)]
pub struct Clearance {
    /// Who answers for it: the criterion's or gate's owner, the task's owner.
    pub owner: Option<String>,
    /// By when: the gate's due instant, the latest a task may resume, go-live.
    pub due: Option<Moment>,
    /// What must be true, in one sentence with the numbers.
    pub needed: String,
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
    let tz = &project.tz;
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
            let clear = (weight != Weight::Note).then(|| Clearance {
                owner: criterion.owner.clone().or_else(|| gate.owner.clone()),
                due: Some(g.due),
                needed: criterion_needed(plan, status, g.due, criterion, r),
            });
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
                clear,
            });
        }
    }

    let fit = &plan.fit;
    let float = fit.float_to_go_live();
    let go_live_owner = project
        .go_live_task
        .and_then(|g| project.tasks[g].owner.clone());
    let first_driving = plan
        .critical
        .chains
        .first()
        .and_then(|c| c.first())
        .map(|&t| project.tasks[t].id.as_str());
    let longest = first_driving.map_or(String::new(), |t| {
        format!(" (the longest path to go-live starts with `{t}`)")
    });
    if float < 0 {
        reasons.push(Reason {
            weight: Weight::NoGo,
            source: Source::GoLive,
            text: format!("the plan is ready {} after go-live", Elapsed(-float)),
            clear: Some(Clearance {
                owner: go_live_owner.clone(),
                due: Some(fit.go_live),
                needed: format!(
                    "readiness must come {} earlier, by go-live on {}: shorten or overlap the \
                     longest path{longest}, or defer go-live",
                    Elapsed(-float),
                    day_label(fit.go_live, tz)
                ),
            }),
        });
    } else if float < project.thresholds.min_float {
        let min = project.thresholds.min_float;
        reasons.push(Reason {
            weight: Weight::Condition,
            source: Source::GoLive,
            text: format!(
                "float to go-live is {}, below the runbook's minimum of {}",
                Elapsed(float),
                Elapsed(min)
            ),
            clear: Some(Clearance {
                owner: go_live_owner.clone(),
                due: Some(fit.go_live),
                needed: format!(
                    "float to go-live must grow by {} to the minimum of {}: readiness by {}{longest}",
                    Elapsed(min - float),
                    Elapsed(min),
                    day_label(Moment(fit.go_live.0 - min), tz)
                ),
            }),
        });
    }
    if let (Some(close), Some(closes)) = (fit.float_to_close(), fit.closes)
        && close < 0
    {
        reasons.push(Reason {
            weight: Weight::NoGo,
            source: Source::Window,
            text: format!(
                "the plan overruns the cutover window by {}",
                Elapsed(-close)
            ),
            clear: Some(Clearance {
                owner: go_live_owner.clone(),
                due: Some(closes),
                needed: format!(
                    "readiness must come {} earlier, inside the window that closes on {}{longest}",
                    Elapsed(-close),
                    day_label(closes, tz)
                ),
            }),
        });
    }

    let mut blocked: Vec<_> = status.blocked.iter().collect();
    blocked.sort_by_key(|(t, _)| **t);
    for (&task, why) in blocked {
        reasons.push(blocked_reason(plan, status, task, why));
    }

    evidence(plan, gates, status, &mut reasons);

    reasons.sort_by_key(|r| std::cmp::Reverse(r.weight));
    let decision = match reasons.first().map(|r| r.weight) {
        Some(Weight::NoGo) => Decision::NoGo,
        Some(Weight::Condition) => Decision::GoWithConditions,
        _ => Decision::Go,
    };
    Outcome { decision, reasons }
}

/// A blocked task: NO-GO when critical (the longest path to go-live, or float at or
/// below `critical_float`), otherwise a condition that says how much float is left,
/// counted from the data date, and by when it must resume.
fn blocked_reason(plan: &Plan, status: &Status, task: TaskId, why: &str) -> Reason {
    let project = plan.project;
    let tz = &project.tz;
    let t = &project.tasks[task];
    let d = &plan.schedule.tasks[task];
    let cal = project.calendar_of(task);
    let day = cal.day_minutes;
    let against = if d.leads_to_go_live {
        "go-live"
    } else {
        "the plan's finish"
    };
    // A task whose every way to go-live runs through started tasks cannot delay it:
    // its float is unbounded; count it against the plan's finish instead.
    let float = d.judged_float().unwrap_or(d.total_float);
    // Work resumes from the data date (or its planned start, if later).
    let from = if d.state == State::NotStarted {
        Some(d.early_work.0)
    } else {
        cal.work_at(status.as_of.max(d.early_start)).ok()
    };
    // With no float left there is no "by": it is already late.
    let resume_by = from
        .filter(|_| float >= 0)
        .and_then(|w| cal.moment_at(w + float, Bias::Start).ok());
    let (weight, text) = if d.critical {
        let which = if d.driving {
            "on the longest path to go-live".to_owned()
        } else {
            format!(
                "critical: {} of float, at or below the runbook's {}",
                work_label(float, day),
                project.thresholds.critical_float
            )
        };
        (
            Weight::NoGo,
            format!("task `{}` ({which}) is blocked: {why}", t.id),
        )
    } else {
        (
            Weight::Condition,
            format!(
                "task `{}` is blocked: {why}; it has {} of float to {against}, counted from \
                 the data date",
                t.id,
                work_label(float, day)
            ),
        )
    };
    let needed = match resume_by {
        Some(at) => format!(
            "`{}` must be unblocked and resume by {} or it delays {against}",
            t.id,
            day_label(at, tz)
        ),
        None => format!(
            "`{}` must be unblocked now: it already delays {against} by {}",
            t.id,
            work_label(-float, day)
        ),
    };
    Reason {
        weight,
        source: Source::Task(task),
        text,
        clear: Some(Clearance {
            owner: t.owner.clone(),
            due: resume_by,
            needed,
        }),
    }
}

/// What the decision rests on: with no status file (or one that records nothing) there
/// is no readiness evidence, and a GO is at most GO WITH CONDITIONS. With no gate due
/// yet, or no gates at all, a note says so.
fn evidence(plan: &Plan, gates: &[GateResult], status: &Status, reasons: &mut Vec<Reason>) {
    let project = plan.project;
    let tz = &project.tz;
    let recorded =
        status.progress.actuals.iter().any(|a| {
            a.started.is_some() || a.finished.is_some() || a.remaining.is_some() || a.blocked
        }) || !status.metrics.is_empty()
            || !status.signoffs.is_empty();
    if status.origin.is_none() || !recorded {
        let why = if status.origin.is_none() {
            match status.source {
                DataDateSource::Clock => "no status file was given, and the data date is the clock",
                _ => "no status file was given",
            }
        } else {
            "the status file records no actuals, metric readings or sign-offs"
        };
        reasons.push(Reason {
            weight: Weight::Condition,
            source: Source::Evidence,
            text: format!("no readiness evidence: {why}; the decision rests on the plan alone"),
            clear: Some(Clearance {
                owner: None,
                due: None,
                needed: "give the status file (--status) with task actuals, metric readings and \
                         sign-offs as of the data date"
                    .to_owned(),
            }),
        });
    }
    if project.gates.is_empty() {
        reasons.push(Reason {
            weight: Weight::Note,
            source: Source::Gates,
            text: "the runbook has no readiness gates: only the plan is judged".to_owned(),
            clear: None,
        });
    } else if !gates.iter().any(|g| g.is_due) {
        let first = gates.iter().min_by_key(|g| g.due);
        if let Some(g) = first {
            reasons.push(Reason {
                weight: Weight::Note,
                source: Source::Gates,
                text: format!(
                    "no readiness gate is due yet: the first, `{}`, is due on {}; until then \
                     criteria are only projected",
                    project.gates[g.gate].id,
                    day_label(g.due, tz)
                ),
                clear: None,
            });
        }
    }
}

/// What must be true for a criterion to pass, with the numbers and the trend.
fn criterion_needed(
    plan: &Plan,
    status: &Status,
    due: Moment,
    criterion: &Criterion,
    r: &CriterionResult,
) -> String {
    let project = plan.project;
    let tz = &project.tz;
    let by = day_label(due, tz);
    match &criterion.kind {
        CriterionKind::Metric {
            metric,
            comparison,
            threshold,
        } => {
            let verb = match comparison {
                Comparison::AtLeast => "reach at least",
                Comparison::AtMost => "come down to at most",
                Comparison::Equals => "be exactly",
            };
            let mut s = format!("`{metric}` must {verb} {} by {by}", number(*threshold));
            match &r.measured {
                Some(Measured::Reading(reading)) => {
                    s.push_str(&format!(
                        "; now {} ({})",
                        number(reading.value),
                        day_label(reading.at, tz)
                    ));
                }
                _ if status.metrics.contains_key(metric) => {}
                _ => s.push_str("; the status file has no reading of it"),
            }
            if let Some(t) = r.trend {
                let sign = if t.per_day >= 0.0 { "+" } else { "" };
                match t.reaches {
                    Some(at) => s.push_str(&format!(
                        ", trend {sign}{}/day reaches it on {}",
                        number(t.per_day),
                        day_label(at, tz)
                    )),
                    None => s.push_str(&format!(
                        ", trend {sign}{}/day does not reach it",
                        number(t.per_day)
                    )),
                }
            }
            s
        }
        CriterionKind::TasksDone(tasks) => {
            let open: Vec<&str> = tasks
                .iter()
                .filter(|&&t| plan.schedule.tasks[t].state != State::Done)
                .map(|&t| project.tasks[t].id.as_str())
                .collect();
            let late: Vec<String> = r
                .tasks
                .iter()
                .map(|&t| {
                    format!(
                        "`{}` is planned to finish on {}",
                        project.tasks[t].id,
                        day_label(plan.schedule.tasks[t].early_finish, tz)
                    )
                })
                .collect();
            let mut s = format!(
                "{} must be done by {by}",
                open.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if !late.is_empty() {
                s.push_str(&format!("; {}", late.join(", ")));
            }
            s
        }
        CriterionKind::WorkstreamDone {
            workstream,
            at_least,
        } => {
            let mut s = format!(
                "workstream `{}` must be {}% done by {by}",
                project.workstreams[*workstream].id,
                number(*at_least)
            );
            if let Some(Measured::Percent(p)) = &r.measured {
                s.push_str(&format!("; now {}%", number(*p)));
            }
            s
        }
        CriterionKind::FloatToGoLive(min) => format!(
            "the plan must be ready {} before go-live by {by}; now {}",
            Elapsed(*min),
            Elapsed(plan.fit.float_to_go_live())
        ),
        CriterionKind::FitsWindow => format!("the plan must fit the cutover window by {by}"),
        CriterionKind::Signoff { id, by: who } => match who {
            Some(who) => format!("sign-off `{id}` by {who} must be recorded by {by}"),
            None => format!("sign-off `{id}` must be recorded by {by}"),
        },
    }
}
