//! Does the plan fit? Float to go-live and to the window's close, and for each point of
//! no return the latest time it may be passed with time left to roll back.

use crate::project::{Project, TaskId};
use crate::schedule::Schedule;
use crate::time::Moment;

/// A point of no return and its rollback budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointOfNoReturn {
    /// The point of no return, an index into [`Project::tasks`].
    pub task: TaskId,
    /// When the plan passes it (the task's early finish).
    pub planned: Moment,
    /// Elapsed minutes to roll back, if the runbook says.
    pub rollback: Option<i64>,
    /// The latest it may be passed so that rollback still ends by the window's close
    /// (or go-live when there is no window).
    pub latest: Option<Moment>,
}

impl PointOfNoReturn {
    /// Minutes between the planned pass and the latest (negative: too late to roll back).
    pub fn margin(&self) -> Option<i64> {
        self.latest.map(|l| l.0 - self.planned.0)
    }
}

/// How the plan sits against go-live and the cutover window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowFit {
    /// When the plan is ready: the go-live milestone's finish, or the latest finish.
    pub ready: Moment,
    /// Go-live (possibly a scenario's).
    pub go_live: Moment,
    /// When the cutover window closes (moved with go-live), if there is a window.
    pub closes: Option<Moment>,
    /// Every task marked `point_of_no_return`, in runbook order.
    pub points_of_no_return: Vec<PointOfNoReturn>,
}

impl WindowFit {
    /// Elapsed minutes from readiness to go-live (negative: late).
    pub fn float_to_go_live(&self) -> i64 {
        self.go_live.0 - self.ready.0
    }

    /// Elapsed minutes from readiness to the window's close.
    pub fn float_to_close(&self) -> Option<i64> {
        self.closes.map(|c| c.0 - self.ready.0)
    }

    /// The plan is ready by go-live and by the window's close.
    pub fn fits(&self) -> bool {
        self.float_to_go_live() >= 0 && self.float_to_close().is_none_or(|f| f >= 0)
    }
}

/// Checks `schedule` against go-live (possibly a scenario's) and the window.
pub fn fit(project: &Project, schedule: &Schedule, window_shift: i64) -> WindowFit {
    let closes = project.window.map(|w| Moment(w.closes.0 + window_shift));
    let limit = closes.unwrap_or(schedule.go_live);
    let points_of_no_return = project
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.point_of_no_return)
        .map(|(i, t)| PointOfNoReturn {
            task: i,
            planned: schedule.tasks[i].early_finish,
            rollback: t.rollback,
            latest: t.rollback.map(|r| Moment(limit.0 - r)),
        })
        .collect();
    WindowFit {
        ready: schedule.ready,
        go_live: schedule.go_live,
        closes,
        points_of_no_return,
    }
}
