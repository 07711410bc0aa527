//! What it does: both versions scheduled from the same status, side by side.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::changes::{Changes, TaskRef};
use super::{DiffError, Invalid, Version};
use crate::check::FileCheck;
use crate::decision::{Outcome, Reason, Source, Weight};
use crate::diagnostic::Diagnostic;
use crate::model::status::StatusFile;
use crate::plan::{Filter, Plan, plan};
use crate::project::Project;
use crate::report::report;
use crate::source::{FileId, Sources};
use crate::status::{self, Status};
use crate::time::{Moment, Stamp, parse_instant};

/// A value in the old version and in the new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved<T> {
    /// In the old version.
    pub old: T,
    /// In the new version.
    pub new: T,
}

impl<T: PartialEq> Moved<T> {
    /// The two differ.
    pub fn changed(&self) -> bool {
        self.old != self.new
    }
}

/// A point of no return whose planned or latest pass moved (or which is new or gone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PointOfNoReturnChange {
    /// The task's id.
    pub task: String,
    /// The task's name.
    pub name: String,
    /// When the plan passes it, in each version it is a point of no return in.
    pub planned: Moved<Option<Stamp>>,
    /// The latest it may be passed with time left to roll back.
    pub latest: Moved<Option<Stamp>>,
    /// Elapsed minutes the latest pass moved (positive: later).
    #[serde(rename = "latest_moved_minutes")]
    pub latest_moved: Option<i64>,
    /// Elapsed minutes from the planned pass to the latest (negative: too late).
    #[serde(rename = "margin_minutes")]
    pub margin: Moved<Option<i64>>,
}

/// The decision under the same status in both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionChange {
    /// The old version's decision: `GO`, `GO WITH CONDITIONS` or `NO-GO`.
    pub old: String,
    /// The new version's decision.
    pub new: String,
    /// The two differ.
    pub changed: bool,
    /// The new decision is a step towards NO-GO.
    pub worse: bool,
    /// Reasons only the new version gives.
    pub reasons_added: Vec<String>,
    /// Reasons only the old version gives.
    pub reasons_removed: Vec<String>,
}

/// What the changes do to the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effects {
    /// The data date both were scheduled from, if any.
    pub data_date: Option<Stamp>,
    /// When each is ready for go-live.
    pub ready: Moved<Stamp>,
    /// Elapsed minutes readiness moved (positive: later).
    #[serde(rename = "ready_moved_minutes")]
    pub ready_moved: i64,
    /// Elapsed minutes from readiness to go-live (negative: late).
    #[serde(rename = "float_to_go_live_minutes")]
    pub float_to_go_live: Moved<i64>,
    /// Ready by go-live and by the window's close.
    pub fits_window: Moved<bool>,
    /// Elapsed minutes from readiness to the window's close.
    #[serde(rename = "float_to_close_minutes")]
    pub float_to_close: Moved<Option<i64>>,
    /// Tasks on the driving path of the new version only.
    pub driving_joined: Vec<TaskRef>,
    /// Tasks on the driving path of the old version only.
    pub driving_left: Vec<TaskRef>,
    /// More chains tie for driving than are listed (so the lists above may be partial).
    pub driving_truncated: Moved<bool>,
    /// Tasks the schedule marks critical.
    pub critical_tasks: Moved<usize>,
    /// Points of no return whose planned or latest pass moved, or which are new or gone.
    pub points_of_no_return: Vec<PointOfNoReturnChange>,
    /// With a status file or data date.
    pub decision: Option<DecisionChange>,
    /// Status entries left out because the version has no such task.
    pub status_ignored: Moved<Vec<String>>,
}

impl Effects {
    /// The plan is ready later, or has less float to go-live or to the window's close.
    pub fn later(&self) -> bool {
        self.ready_moved > 0
            || self.float_to_go_live.new < self.float_to_go_live.old
            || matches!(
                (self.float_to_close.old, self.float_to_close.new),
                (Some(o), Some(n)) if n < o
            )
    }

    /// Anything the changes do.
    pub fn moved(&self) -> bool {
        self.ready.changed()
            || self.float_to_go_live.changed()
            || self.fits_window.changed()
            || self.float_to_close.changed()
            || !self.driving_joined.is_empty()
            || !self.driving_left.is_empty()
            || self.critical_tasks.changed()
            || !self.points_of_no_return.is_empty()
            || self.decision.as_ref().is_some_and(|d| d.changed)
    }
}

/// A version's status: the status file with entries for tasks it lacks left out.
fn status_of(
    v: &Version,
    file: Option<&(StatusFile, Sources)>,
    as_of: Option<Moment>,
) -> Result<(Option<Status>, Vec<String>), Vec<Diagnostic>> {
    let p = &v.project;
    let Some((file, _)) = file else {
        return Ok((as_of.map(|a| Status::at(p, a)), Vec::new()));
    };
    let mut kept = file.clone();
    let mut ignored = Vec::new();
    kept.tasks.0.retain(|(id, _)| {
        let known = p.task_by_id(&id.value).is_some();
        if !known {
            ignored.push(id.value.clone());
        }
        known
    });
    let (status, problems) = status::resolve(
        p,
        &kept,
        FileId(0),
        as_of.map(|m| (m, status::DataDateSource::AsOf)),
        None,
    );
    match status {
        Some(s) => Ok((Some(s), ignored)),
        None => Err(problems),
    }
}

fn weight_label(w: Weight) -> &'static str {
    match w {
        Weight::NoGo => "NO-GO",
        Weight::Condition => "condition",
        Weight::Note => "note",
    }
}

fn source_label(p: &Project, source: &Source) -> String {
    match source {
        Source::Criterion { gate, criterion } => {
            let g = &p.gates[*gate];
            format!("gate `{}`: {}", g.id, g.criteria[*criterion].label)
        }
        Source::Task(t) => format!("task `{}`", p.tasks[*t].id),
        Source::GoLive => "plan vs go-live".to_owned(),
        Source::Window => "plan vs cutover window".to_owned(),
        Source::Evidence => "evidence".to_owned(),
        Source::Gates => "gates".to_owned(),
    }
}

/// What a reason is about and how much it weighs.
fn reason_key(p: &Project, r: &Reason) -> String {
    format!("{}: {}", weight_label(r.weight), source_label(p, &r.source))
}

fn reason_text(p: &Project, r: &Reason) -> String {
    format!("{}: {}", reason_key(p, r), r.text)
}

/// Schedules `v` from `status` (deciding when there is one).
fn scheduled(
    v: &Version,
    status: Option<Status>,
) -> Result<(Plan<'_>, Option<Outcome>), Box<Diagnostic>> {
    let (p, g) = (&v.project, &v.graph);
    match status {
        Some(s) => report(p, g, s)
            .map(|r| (r.plan, Some(r.outcome)))
            .map_err(|e| Box::new(e.diagnostic(p))),
        // The diff reads the fit, the driving path and the points of no return, not
        // the plan's rows: list only the driving path rather than sort every task.
        None => plan(
            p,
            g,
            None,
            &Filter {
                driving_path: true,
                ..Filter::default()
            },
        )
        .map(|plan| (plan, None))
        .map_err(|e| Box::new(e.diagnostic(p))),
    }
}

fn invalid(v: &Version, diagnostics: Vec<Diagnostic>) -> Invalid {
    Invalid {
        sources: v.sources.clone(),
        checks: vec![FileCheck {
            path: v.label.clone().into(),
            diagnostics,
        }],
    }
}

/// Schedules both versions and compares.
pub(crate) fn effects(
    old: &Version,
    new: &Version,
    changes: &Changes,
    status: Option<&(StatusFile, Sources)>,
    as_of: Option<&str>,
) -> Result<Result<Effects, Invalid>, DiffError> {
    let parse = |v: &Version| -> Result<Option<Moment>, DiffError> {
        as_of
            .map(|text| {
                parse_instant(text, &v.project.tz)
                    .map_err(|e| DiffError::AsOf(format!("{} ({})", e.message, e.help)))
            })
            .transpose()
    };
    let (old_as_of, new_as_of) = (parse(old)?, parse(new)?);
    let (old_status, old_ignored) = match status_of(old, status, old_as_of) {
        Ok(s) => s,
        Err(problems) => return Ok(Err(status_invalid(status, problems))),
    };
    let (new_status, new_ignored) = match status_of(new, status, new_as_of) {
        Ok(s) => s,
        Err(problems) => return Ok(Err(status_invalid(status, problems))),
    };
    let data_date = new_status
        .as_ref()
        .map(|s| Stamp::new(s.as_of, &new.project.tz));
    let (a, b) = (&old.project, &new.project);
    // The two schedules are independent: one on another thread.
    let (old_scheduled, new_scheduled) = std::thread::scope(|scope| {
        let other = scope.spawn(|| scheduled(old, old_status));
        let new_scheduled = scheduled(new, new_status);
        let old_scheduled = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old_scheduled, new_scheduled)
    });
    let (old_plan, old_outcome) = match old_scheduled {
        Ok(x) => x,
        Err(d) => return Ok(Err(invalid(old, vec![*d]))),
    };
    let (new_plan, new_outcome) = match new_scheduled {
        Ok(x) => x,
        Err(d) => return Ok(Err(invalid(new, vec![*d]))),
    };
    let renames = changes.renames();
    let old_id = |id: &str| renames.get(id).map_or(id, |x| *x).to_owned();

    // The driving path, by (new) id.
    let path =
        |v: &Version, plan: &Plan, map: &dyn Fn(&str) -> String| -> BTreeMap<String, String> {
            plan.critical
                .tasks(&v.graph)
                .into_iter()
                .map(|t| (map(&v.project.tasks[t].id), v.project.tasks[t].name.clone()))
                .collect()
        };
    let old_path = path(old, &old_plan, &old_id);
    let new_path = path(new, &new_plan, &|id: &str| id.to_owned());
    let only = |x: &BTreeMap<String, String>, y: &BTreeMap<String, String>| -> Vec<TaskRef> {
        x.iter()
            .filter(|(id, _)| !y.contains_key(*id))
            .map(|(id, name)| TaskRef {
                id: id.clone(),
                name: name.clone(),
            })
            .collect()
    };

    let (of, nf) = (&old_plan.fit, &new_plan.fit);
    let ready = Moved {
        old: Stamp::new(of.ready, &a.tz),
        new: Stamp::new(nf.ready, &b.tz),
    };
    let critical = |plan: &Plan| plan.critical_tasks;
    let decision = match (old_outcome, new_outcome) {
        (Some(x), Some(y)) => Some(decision_change(a, &x, b, &y)),
        _ => None,
    };
    Ok(Ok(Effects {
        data_date,
        ready,
        ready_moved: nf.ready.0 - of.ready.0,
        float_to_go_live: Moved {
            old: of.float_to_go_live(),
            new: nf.float_to_go_live(),
        },
        fits_window: Moved {
            old: of.fits(),
            new: nf.fits(),
        },
        float_to_close: Moved {
            old: of.float_to_close(),
            new: nf.float_to_close(),
        },
        driving_joined: only(&new_path, &old_path),
        driving_left: only(&old_path, &new_path),
        driving_truncated: Moved {
            old: old_plan.critical.more,
            new: new_plan.critical.more,
        },
        critical_tasks: Moved {
            old: critical(&old_plan),
            new: critical(&new_plan),
        },
        points_of_no_return: points_of_no_return(&old_plan, &new_plan, &old_id),
        decision,
        status_ignored: Moved {
            old: old_ignored,
            new: new_ignored,
        },
    }))
}

fn status_invalid(status: Option<&(StatusFile, Sources)>, problems: Vec<Diagnostic>) -> Invalid {
    let sources = status.map(|(_, s)| s.clone()).unwrap_or_default();
    let path = sources.path(FileId(0)).to_path_buf();
    Invalid {
        sources,
        checks: vec![FileCheck {
            path,
            diagnostics: problems,
        }],
    }
}

fn decision_change(a: &Project, x: &Outcome, b: &Project, y: &Outcome) -> DecisionChange {
    // Reasons by weight and source: a reason whose wording alone changed (a number
    // that moved, shown above) is the same reason.
    let reasons = |p: &Project, o: &Outcome| -> BTreeMap<String, String> {
        o.reasons
            .iter()
            .map(|r| (reason_key(p, r), reason_text(p, r)))
            .collect()
    };
    let (ra, rb) = (reasons(a, x), reasons(b, y));
    let only = |m: &BTreeMap<String, String>, other: &BTreeMap<String, String>| {
        m.iter()
            .filter(|(k, _)| !other.contains_key(*k))
            .map(|(_, text)| text.clone())
            .collect()
    };
    DecisionChange {
        old: x.decision.label().to_owned(),
        new: y.decision.label().to_owned(),
        changed: x.decision != y.decision,
        worse: y.decision > x.decision,
        reasons_added: only(&rb, &ra),
        reasons_removed: only(&ra, &rb),
    }
}

fn points_of_no_return(
    old: &Plan,
    new: &Plan,
    old_id: &dyn Fn(&str) -> String,
) -> Vec<PointOfNoReturnChange> {
    let (a, b) = (old.project, new.project);
    let read = |plan: &Plan, map: &dyn Fn(&str) -> String| {
        plan.fit
            .points_of_no_return
            .iter()
            .map(|p| (map(&plan.project.tasks[p.task].id), p.clone()))
            .collect::<HashMap<_, _>>()
    };
    let olds = read(old, old_id);
    let news = read(new, &|id: &str| id.to_owned());
    let ids: BTreeSet<&String> = olds.keys().chain(news.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (x, y) = (olds.get(id), news.get(id));
        let same = match (x, y) {
            (Some(x), Some(y)) => x.planned == y.planned && x.latest == y.latest,
            _ => false,
        };
        if same {
            continue;
        }
        let name = y
            .map(|p| b.tasks[p.task].name.clone())
            .or_else(|| x.map(|p| a.tasks[p.task].name.clone()))
            .unwrap_or_default();
        out.push(PointOfNoReturnChange {
            task: id.clone(),
            name,
            planned: Moved {
                old: x.map(|p| Stamp::new(p.planned, &a.tz)),
                new: y.map(|p| Stamp::new(p.planned, &b.tz)),
            },
            latest: Moved {
                old: x.and_then(|p| p.latest).map(|m| Stamp::new(m, &a.tz)),
                new: y.and_then(|p| p.latest).map(|m| Stamp::new(m, &b.tz)),
            },
            latest_moved: match (x.and_then(|p| p.latest), y.and_then(|p| p.latest)) {
                (Some(l), Some(m)) => Some(m.0 - l.0),
                _ => None,
            },
            margin: Moved {
                old: x.and_then(|p| p.margin()),
                new: y.and_then(|p| p.margin()),
            },
        });
    }
    out
}
