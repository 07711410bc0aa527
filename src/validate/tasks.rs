//! Tasks and their links: ids, names, owners, durations and estimates, go-live,
//! dates, points of no return, `after:` lists; then, on the graph, cycles and tasks
//! not connected to go-live.

use std::collections::{HashMap, HashSet};

use petgraph::Direction;

use super::Checker;
use super::calendars::Calendars;
use super::common::{at, duplicate, loc};
use super::settings::Settings;
use super::workstreams::Workstreams;
use crate::calendar::Calendar;
use crate::diagnostic::{Code, Diagnostic};
use crate::graph::{Cycle, TaskGraph};
use crate::model::runbook::{InFile, Runbook};
use crate::model::{Located, task};
use crate::project::{Dependency, Lag, Project, Task, TaskId};
use crate::source::{FileId, Origin, Span};
use crate::time::parse_duration;

/// Where an item's id was first written, for "first defined here".
struct Seen {
    index: usize,
    origin: Origin,
}

/// The task ids, read before the tasks so that `after:` can point forwards.
pub(super) struct TaskIds<'a> {
    /// Each accepted task's [`TaskId`], by id.
    pub(super) index: HashMap<String, TaskId>,
    /// Where each accepted task's id was written, by [`TaskId`].
    seen: Vec<Seen>,
    /// Each accepted task as written, by [`TaskId`].
    accepted: Vec<&'a InFile<Located<task::Task>>>,
}

/// The tasks, resolved.
pub(super) struct Tasks {
    /// By [`TaskId`].
    pub(super) list: Vec<Task>,
    /// The go-live milestone, and where it is marked.
    pub(super) go_live: Option<(TaskId, Origin)>,
    /// Whether any task belongs to each workstream, by its place.
    pub(super) workstream_used: Vec<bool>,
}

impl Checker {
    /// The task ids first, so that `after:` can point forwards: each task with an id
    /// that is valid and not taken, in the order written.
    pub(super) fn task_ids<'a>(&mut self, runbook: &'a Runbook) -> TaskIds<'a> {
        let mut task_index: HashMap<String, TaskId> = HashMap::with_capacity(runbook.tasks.len());
        let mut task_seen: Vec<Seen> = Vec::with_capacity(runbook.tasks.len());
        let mut accepted: Vec<&InFile<Located<task::Task>>> =
            Vec::with_capacity(runbook.tasks.len());
        for entry in &runbook.tasks {
            let file = entry.file;
            let t = &entry.item;
            let Some(id) = &t.value.id else {
                self.push(
                    Diagnostic::at(Code::MissingField, loc(file, t), "task has no `id`")
                        .with_help("give every task a unique id, e.g. `id: dm-extract`"),
                );
                continue;
            };
            let origin = loc(file, id);
            if !self.check_id(origin, &id.value, "task") {
                continue;
            }
            if let Some(&first) = task_index.get(&id.value) {
                self.push(duplicate(
                    "task",
                    &id.value,
                    origin,
                    task_seen[first].origin,
                ));
                continue;
            }
            task_index.insert(id.value.clone(), accepted.len());
            task_seen.push(Seen {
                index: accepted.len(),
                origin,
            });
            accepted.push(entry);
        }
        TaskIds {
            index: task_index,
            seen: task_seen,
            accepted,
        }
    }

    /// Each task with an id: its name, owner, workstream, calendar, duration or
    /// estimate, go-live mark, dates, point of no return and links.
    pub(super) fn tasks(
        &mut self,
        ids: &TaskIds<'_>,
        settings: &Settings,
        calendars: &Calendars,
        workstreams: &Workstreams,
    ) -> Tasks {
        let tz = &settings.tz;
        let (accepted, task_seen) = (&ids.accepted, &ids.seen);
        let mut tasks = Vec::with_capacity(accepted.len());
        let mut go_live_task: Option<(TaskId, Origin)> = None;
        let mut workstream_used = vec![false; workstreams.list.len()];
        for (index, entry) in accepted.iter().enumerate() {
            let file = entry.file;
            let t = &entry.item.value;
            let id = t.id.as_ref().map_or("", |i| i.value.as_str());
            let id_origin = task_seen[index].origin;
            debug_assert_eq!(task_seen[index].index, index);
            let name = if let Some(n) = &t.name {
                n.clone()
            } else {
                self.push(
                    Diagnostic::at(
                        Code::MissingField,
                        id_origin,
                        format!("task `{id}` has no `name`"),
                    )
                    .with_help("say what is done, e.g. `name: Freeze legacy PAS to read-only`"),
                );
                String::new()
            };
            let workstream = t.workstream.as_ref().and_then(|w| {
                let found = self.reference(
                    file,
                    w,
                    &workstreams.index,
                    Code::UnknownWorkstream,
                    "workstream",
                );
                if let Some(i) = found {
                    workstream_used[i] = true;
                }
                found
            });
            if t.owner.as_ref().is_none_or(|o| o.trim().is_empty()) {
                self.push(
                    Diagnostic::at(
                        Code::MissingOwner,
                        id_origin,
                        format!("task `{id}` has no owner"),
                    )
                    .with_help("add `owner:` with the person who does it or answers for it"),
                );
            }
            let calendar = match &t.calendar {
                Some(c) => self
                    .calendar_ref(file, c, &calendars.index)
                    .unwrap_or(calendars.default),
                None => calendars.default,
            };
            let zero = t
                .duration
                .as_ref()
                .is_some_and(|d| parse_duration(&d.value).is_ok_and(|d| d.elapsed_minutes() == 0));
            let flagged = t.milestone.unwrap_or(false);
            // A milestone (or a task of zero length) does no work, so it keeps no
            // calendar: its links and lags are elapsed time.
            let milestone = flagged || (zero && t.estimate.is_none());
            // A task whose duration is `elapsed` runs round the clock, whatever its
            // calendar.
            let elapsed = t
                .duration
                .as_ref()
                .is_some_and(|d| parse_duration(&d.value).is_ok_and(|d| d.elapsed));
            let calendar = if milestone || elapsed { 0 } else { calendar };
            let (day, week) = (
                calendars.list[calendar].day_minutes,
                calendars.list[calendar].week_minutes,
            );
            let (mut duration, mut estimate) = (0, None);
            if flagged {
                let span = match (&t.duration, &t.estimate) {
                    (Some(d), _) if !zero => Some(d.span),
                    (_, Some(e)) => Some(e.span),
                    _ => None,
                };
                if let Some(span) = span {
                    self.push(
                        Diagnostic::at(
                            Code::MilestoneWithDuration,
                            at(file, span),
                            format!("milestone `{id}` has a duration"),
                        )
                        .with_label("a milestone takes no time")
                        .with_help("remove the duration, or remove `milestone: true`"),
                    );
                }
            }
            if !flagged {
                match (&t.duration, &t.estimate) {
                    (Some(d), Some(e)) => {
                        self.push(
                            Diagnostic::at(Code::ConflictingDuration, loc(file, e), format!("task `{id}` has both a duration and an estimate"))
                                .with_help(format!("keep one: the estimate's `likely` is the planned duration (the duration says {})", d.value)),
                        );
                    }
                    (Some(d), None) => {
                        if let Some(m) = self.work_duration(file, d, day, week) {
                            duration = m;
                        }
                    }
                    (None, Some(e)) => {
                        if let Some(est) = self.estimate(file, e, day, week) {
                            duration = est.likely;
                            estimate = Some(est);
                        }
                    }
                    (None, None) => {
                        self.push(
                            Diagnostic::at(Code::MissingDuration, id_origin, format!("task `{id}` has no duration"))
                                .with_help("add `duration: 4h`, an `estimate: { best, likely, worst }`, or `milestone: true`"),
                        );
                    }
                }
            }
            if let Some(g) = &t.go_live
                && g.value
            {
                if !milestone {
                    self.push(
                        Diagnostic::at(
                            Code::GoLiveNotMilestone,
                            loc(file, g),
                            format!("go-live task `{id}` is not a milestone"),
                        )
                        .with_help(
                            "add `milestone: true`: go-live is the moment the EPR opens, not work",
                        ),
                    );
                }
                match go_live_task {
                    Some((_, first)) => self.push(
                        Diagnostic::at(
                            Code::MultipleGoLive,
                            loc(file, g),
                            format!("task `{id}` is a second go-live milestone"),
                        )
                        .with_related(first, "the first go-live milestone")
                        .with_help("mark one milestone `go_live: true`"),
                    ),
                    None => go_live_task = Some((index, loc(file, g))),
                }
            }
            let not_before = t
                .not_before
                .as_ref()
                .and_then(|x| self.instant(file, x, tz));
            let deadline = t.deadline.as_ref().and_then(|x| self.instant(file, x, tz));
            if let (Some(nb), Some(dl), Some(text)) = (not_before, deadline, &t.deadline)
                && dl < nb
            {
                self.push(
                    Diagnostic::at(
                        Code::DeadlineBeforeNotBefore,
                        loc(file, text),
                        format!("task `{id}` has a deadline before it may start"),
                    )
                    .with_related(
                        t.not_before.as_ref().map_or(id_origin, |x| loc(file, x)),
                        "not before this",
                    )
                    .with_help("move the deadline after `not_before`, or remove one of them"),
                );
            }
            let point_of_no_return = t.point_of_no_return.unwrap_or(false);
            let rollback = t.rollback.as_ref().and_then(|r| {
                if !point_of_no_return {
                    self.push(
                        Diagnostic::at(
                            Code::RollbackWithoutPointOfNoReturn,
                            loc(file, r),
                            format!("task `{id}` has a rollback but is not a point of no return"),
                        )
                        .with_help("add `point_of_no_return: true`, or remove `rollback:`"),
                    );
                }
                self.elapsed_duration(file, r, false)
            });

            let deps = self.dependencies(file, id, &t.after, ids, &calendars.list[calendar]);

            tasks.push(Task {
                id: id.to_owned(),
                name,
                workstream,
                owner: t.owner.clone(),
                calendar,
                duration,
                estimate,
                milestone,
                deps,
                not_before,
                deadline,
                point_of_no_return,
                rollback,
                tags: t.tags.clone(),
                notes: t.notes.clone(),
                origin: id_origin,
            });
        }
        Tasks {
            list: tasks,
            go_live: go_live_task,
            workstream_used,
        }
    }

    /// A task's `after:` list: each predecessor with its link type and lag (in working
    /// time of the task's `calendar`).
    fn dependencies(
        &mut self,
        file: FileId,
        id: &str,
        after: &[Located<task::Dependency>],
        ids: &TaskIds<'_>,
        calendar: &Calendar,
    ) -> Vec<Dependency> {
        let (day, week) = (calendar.day_minutes, calendar.week_minutes);
        let mut deps: Vec<Dependency> = Vec::with_capacity(after.len());
        // Links seen, for the duplicate check (a set: a milestone may gather
        // thousands of links).
        let mut seen_links: HashSet<(TaskId, task::LinkType)> = HashSet::new();
        for dep in after {
            let d = &dep.value;
            let target = &d.task;
            if target.value == id {
                self.push(
                    Diagnostic::at(
                        Code::SelfDependency,
                        loc(file, target),
                        format!("task `{id}` depends on itself"),
                    )
                    .with_help("remove it from its own `after:` list"),
                );
                continue;
            }
            let Some(pred) =
                self.reference(file, target, &ids.index, Code::UnknownDependency, "task")
            else {
                continue;
            };
            let link = d.link.as_ref().map_or(task::LinkType::FS, |l| l.value);
            let lag = match &d.lag {
                Some(text) => match self.duration(file, text, true) {
                    Some(spec) => Lag {
                        minutes: spec.minutes_with(day, week),
                        elapsed: spec.elapsed || calendar.is_elapsed(),
                    },
                    None => continue,
                },
                None => Lag::default(),
            };
            if !seen_links.insert((pred, link)) {
                self.push(
                    Diagnostic::at(
                        Code::DuplicateDependency,
                        loc(file, target),
                        format!("task `{id}` lists `{}` twice", target.value),
                    )
                    .with_help("remove one of the two entries"),
                );
                continue;
            }
            deps.push(Dependency { pred, link, lag });
        }
        deps
    }

    /// Reports a runbook with no go-live milestone (unless tasks were left out).
    pub(super) fn check_go_live_marked(&mut self, runbook: &Runbook, tasks: &Tasks) {
        let (s, main) = (&runbook.settings, runbook.main_file);
        let top = at(main, Span::default());
        if tasks.go_live.is_none() && self.skipped.tasks == 0 {
            let at = s.go_live.as_ref().map_or(top, |g| loc(main, g));
            self.push(
                Diagnostic::at(
                    Code::MissingGoLive,
                    at,
                    "no task is marked `go_live: true`, so nothing says when the EPR is ready to go live",
                )
                .with_help(
                    "add the milestone whose finish means ready, after the last cutover task: \
                     `- { id: epr-live, name: EPR open to users, owner: SRO, milestone: true, go_live: true, after: [smoke-tests] }`",
                ),
            );
        }
    }

    /// Warns about tasks that neither lead to the go-live milestone nor follow it.
    pub(super) fn check_connected(&mut self, project: &Project, graph: &TaskGraph) {
        let Some(go) = project.go_live_task else {
            return;
        };
        let before = graph.reachable(go, Direction::Incoming);
        let after = graph.reachable(go, Direction::Outgoing);
        for (i, task) in project.tasks.iter().enumerate() {
            if !before[i] && !after[i] {
                self.push(
                    Diagnostic::at(
                        Code::NotConnectedToGoLive,
                        task.origin,
                        format!("task `{}` neither leads to go-live nor follows it", task.id),
                    )
                    .with_help(format!(
                        "link it into the plan: add it to the `after:` of a task on the way to `{}`, or make it follow that milestone",
                        project.tasks[go].id
                    )),
                );
            }
        }
    }

    pub(super) fn report_cycle(
        &mut self,
        runbook: &Runbook,
        written: &HashMap<Origin, usize>,
        project: &Project,
        cycle: &Cycle,
    ) {
        let ids: Vec<&str> = cycle
            .tasks
            .iter()
            .map(|&t| project.tasks[t].id.as_str())
            .collect();
        let mut shown: Vec<String> = if ids.len() > 12 {
            let mut v: Vec<String> = ids[..5].iter().map(|s| format!("`{s}`")).collect();
            v.push(format!("... {} more ...", ids.len() - 10));
            v.extend(ids[ids.len() - 5..].iter().map(|s| format!("`{s}`")));
            v
        } else {
            ids.iter().map(|s| format!("`{s}`")).collect()
        };
        shown.push(format!("`{}`", ids[0]));
        // Point at the entry in the second task's `after:` that names the first.
        let (first, second) = (cycle.tasks[0], cycle.tasks[1 % cycle.tasks.len()]);
        let origin = dependency_origin(runbook, written, project, second, first)
            .unwrap_or(project.tasks[second].origin);
        self.push(
            Diagnostic::at(
                Code::DependencyCycle,
                origin,
                format!("dependency cycle of {} tasks: {}", ids.len(), shown.join(" -> ")),
            )
            .with_label(format!("`{}` waits for `{}` here", ids[1 % ids.len()], ids[0]))
            .with_help("each task waits for the one before it, so none can start; remove one of these dependencies"),
        );
    }
}

/// Where `task`'s `after:` entry naming `pred` was written.
fn dependency_origin(
    runbook: &Runbook,
    written: &HashMap<Origin, usize>,
    project: &Project,
    task: TaskId,
    pred: TaskId,
) -> Option<Origin> {
    let model = &runbook.tasks[*written.get(&project.tasks[task].origin)?];
    let dep = model
        .item
        .value
        .after
        .iter()
        .find(|d| d.value.task.value == project.tasks[pred].id)?;
    Some(at(model.file, dep.value.task.span))
}
