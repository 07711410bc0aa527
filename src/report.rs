//! The go/no-go report: the plan, every gate as of the data date, and the decision.
//! What `cutover gates` and `cutover report` show.

use crate::decision::{Outcome, decide};
use crate::gates::{GateResult, evaluate};
use crate::graph::TaskGraph;
use crate::plan::{Filter, Plan, plan};
use crate::project::Project;
use crate::schedule::ScheduleError;
use crate::status::Status;

/// The go/no-go report: the plan, every gate as of the data date, and the decision.
#[derive(Debug)]
pub struct Report<'a> {
    /// The plan rescheduled from the data date with the status file's actuals.
    pub plan: Plan<'a>,
    /// The status the report is judged on (actuals, readings, sign-offs, blocked tasks).
    pub status: Status,
    /// Each gate's result, in [`Project::gates`] order.
    pub gates: Vec<GateResult>,
    /// The decision and the reasons for it.
    pub outcome: Outcome,
}

/// Plans `project` from `status`, evaluates its gates and decides.
pub fn report<'a>(
    project: &'a Project,
    graph: &TaskGraph,
    status: Status,
) -> Result<Report<'a>, ScheduleError> {
    report_listing(project, graph, status, &Filter::default())
}

/// [`report`], listing in `plan.rows` only the tasks `filter` asks for (the live
/// commands, which list no plan rows, ask for the driving path, which costs no sort).
pub fn report_listing<'a>(
    project: &'a Project,
    graph: &TaskGraph,
    status: Status,
    filter: &Filter,
) -> Result<Report<'a>, ScheduleError> {
    let plan = plan(project, graph, Some(&status), filter)?;
    let gates = evaluate(&plan, &status);
    let outcome = decide(&plan, &gates, &status);
    Ok(Report {
        plan,
        status,
        gates,
        outcome,
    })
}
