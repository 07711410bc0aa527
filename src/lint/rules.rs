//! The checks themselves: each walks the runbook once and reports the items that fail
//! it, with how many items it looked at (the share's denominator). Whether a check
//! passes is decided in [`summarise`], after waivers.

use std::collections::HashMap;

use super::config::{CheckSettings, Settings, Threshold};
use super::{Anchor, Check, CheckSummary, Finding, Level, Outcome, Subject, finding};
use crate::model::task::LinkType;
use crate::project::{CriterionKind, TaskId};
use crate::schedule::State;
use crate::source::Origin;
use crate::time::{local_label, work_label};

/// How many items a check looked at, or why it could not run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Counted {
    pub population: usize,
    pub not_run: Option<String>,
}

/// Runs every check that is on, adding its findings to `findings`.
pub(crate) fn run(
    s: &Subject,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) -> HashMap<Check, Counted> {
    let cx = Context::new(s);
    let mut counted = HashMap::new();
    for &check in Check::ALL.iter().filter(|c| c.is_schedule_check()) {
        let set = settings.of(check);
        let Some(level) = set.level else {
            continue;
        };
        let mut out = Out {
            cx: &cx,
            check,
            level,
            findings,
        };
        let c = match check {
            Check::MissingLogic => missing_logic(&mut out),
            Check::Lead | Check::LongLag | Check::NonFinishToStart => links(&mut out, &set),
            Check::HardConstraints => hard_constraints(&mut out),
            Check::HighFloat | Check::NegativeFloat => float(&mut out, &set),
            Check::LongWindowTask => long_window_task(&mut out, &set),
            Check::NoRollback | Check::UnrehearsedRollback => points_of_no_return(&mut out, &set),
            Check::MetricNeverRead => metric_never_read(&mut out),
            Check::OwnedMilestoneWithoutSuccessor => owned_milestone(&mut out),
            Check::WorkstreamWithoutLead => workstream_lead(&mut out),
            Check::Setting | Check::InvalidWaiver | Check::UnusedWaiver => Counted::default(),
        };
        counted.insert(check, c);
    }
    counted
}

/// What every check reads: the subject, and each task's entry in the model.
struct Context<'a> {
    s: &'a Subject<'a>,
    /// The model's entry for each task, by task index.
    written: Vec<Option<usize>>,
}

impl<'a> Context<'a> {
    fn new(s: &'a Subject<'a>) -> Self {
        let mut written = vec![None; s.project.tasks.len()];
        for (i, t) in s.model.tasks.iter().enumerate() {
            if let Some(id) = &t.item.value.id
                && let Some(task) = s.project.task_by_id(&id.value)
                && written[task].is_none()
            {
                written[task] = Some(i);
            }
        }
        Context { s, written }
    }

    /// Where the task's mapping starts (its waiver anchor).
    fn anchor(&self, task: TaskId) -> Anchor {
        let origin = match self.written[task] {
            Some(i) => {
                let t = &self.s.model.tasks[i];
                Origin {
                    file: t.file,
                    span: t.item.span,
                }
            }
            None => self.s.project.tasks[task].origin,
        };
        Anchor { origin, key: false }
    }

    fn id(&self, task: TaskId) -> &str {
        &self.s.project.tasks[task].id
    }

    /// `minutes` in working days and hours of the task's calendar.
    fn work(&self, task: TaskId, minutes: i64) -> String {
        work_label(minutes, self.s.project.calendar_of(task).day_minutes)
    }

    /// The threshold in working minutes on `task`'s calendar.
    fn minutes(&self, task: TaskId, threshold: Option<&Threshold>) -> Option<i64> {
        match threshold? {
            Threshold::Duration { spec, .. } => {
                let cal = self.s.project.calendar_of(task);
                Some(spec.minutes_with(cal.day_minutes, cal.week_minutes))
            }
            Threshold::Tag(_) => None,
        }
    }

    fn unfinished(&self, task: TaskId) -> bool {
        self.s.plan.schedule.tasks[task].state != State::Done
    }
}

/// Where one check puts its findings.
struct Out<'a, 'b> {
    cx: &'a Context<'a>,
    check: Check,
    level: Level,
    findings: &'b mut Vec<Finding>,
}

impl Out<'_, '_> {
    fn push(
        &mut self,
        origin: Origin,
        anchor: Anchor,
        subject: &str,
        message: String,
        help: &'static str,
    ) {
        let mut f = finding(
            self.cx.s.sources,
            self.check,
            self.level,
            origin,
            Some(subject),
            message,
            Some(std::borrow::Cow::Borrowed(help)),
        );
        f.anchor = Some(anchor);
        self.findings.push(f);
    }

    /// A finding at a task (shown at its id, waived at its mapping).
    fn at_task(&mut self, task: TaskId, message: String, help: &'static str) {
        let cx = self.cx;
        self.push(
            cx.s.project.tasks[task].origin,
            cx.anchor(task),
            cx.id(task),
            message,
            help,
        );
    }
}

fn missing_logic(out: &mut Out) -> Counted {
    let (p, g) = (out.cx.s.project, out.cx.s.graph);
    let mut population = 0;
    for (t, task) in p.tasks.iter().enumerate() {
        if task.milestone {
            continue;
        }
        population += 1;
        let before = !task.deps.is_empty();
        let after = g.has_successors(t);
        let what = match (before, after) {
            (true, true) => continue,
            (false, true) => "no predecessor",
            (true, false) => "no successor",
            (false, false) => "no predecessor and no successor",
        };
        out.at_task(
            t,
            format!("task `{}` has {what}", task.id),
            if before {
                "nothing waits for it, so its slipping never shows at go-live: add it to the `after:` of the task that needs it, or end it at a milestone"
            } else {
                "it starts at the plan's start whatever happens before it: list in `after:` what it waits for, or start it from a milestone"
            },
        );
    }
    Counted {
        population,
        not_run: None,
    }
}

/// Leads, long lags and links other than finish-to-start: one pass over `after:`.
fn links(out: &mut Out, set: &CheckSettings) -> Counted {
    let cx = out.cx;
    let (p, model) = (cx.s.project, cx.s.model);
    let mut population = 0;
    for (i, written) in model.tasks.iter().enumerate() {
        let Some(succ) = written
            .item
            .value
            .id
            .as_ref()
            .and_then(|id| p.task_by_id(&id.value))
        else {
            continue;
        };
        if cx.written[succ] != Some(i) {
            continue;
        }
        // The resolved links by (predecessor, type), the first of a repeated pair as
        // validate keeps it. Indexed only for a task with many links (a go-live
        // milestone may wait for thousands of tasks): no scan of the list per link.
        let deps = &p.tasks[succ].deps;
        let index: Option<
            std::collections::HashMap<(usize, LinkType), &crate::project::Dependency>,
        > = (deps.len() > 16).then(|| {
            let mut m = std::collections::HashMap::with_capacity(deps.len());
            for x in deps {
                m.entry((x.pred, x.link)).or_insert(x);
            }
            m
        });
        for dep in &written.item.value.after {
            let d = &dep.value;
            let Some(pred) = p.task_by_id(&d.task.value) else {
                continue;
            };
            let link = d.link.as_ref().map_or(LinkType::FS, |l| l.value);
            let found = match &index {
                Some(m) => m.get(&(pred, link)).copied(),
                None => deps.iter().find(|x| x.pred == pred && x.link == link),
            };
            let Some(resolved) = found else {
                continue;
            };
            population += 1;
            let origin = Origin {
                file: written.file,
                span: dep.span,
            };
            let anchor = cx.anchor(succ);
            let lag_text = d.lag.as_ref().map_or("0m", |l| l.value.as_str());
            let (pred_id, succ_id) = (cx.id(pred), cx.id(succ));
            match out.check {
                Check::Lead if resolved.lag.minutes < 0 => out.push(
                    origin,
                    anchor,
                    succ_id,
                    format!(
                        "task `{succ_id}` starts with a lead of {} on `{pred_id}` ({link}, lag {lag_text})",
                        lag_text.trim_start_matches('-')
                    ),
                    "a lead overlaps work that is meant to follow: split the predecessor at the point that matters and link to that, with no lag",
                ),
                Check::LongLag => {
                    let limit = if resolved.lag.elapsed {
                        match &set.threshold {
                            Some(Threshold::Duration { spec, .. }) => Some(spec.elapsed_minutes()),
                            _ => None,
                        }
                    } else {
                        cx.minutes(succ, set.threshold.as_ref())
                    };
                    if let Some(limit) = limit
                        && resolved.lag.minutes > limit
                    {
                        let threshold = set.threshold.as_ref().map_or("", |t| t.text());
                        out.push(
                            origin,
                            anchor,
                            succ_id,
                            format!(
                                "the link from `{pred_id}` to `{succ_id}` ({link}) has a lag of {lag_text}, over {threshold}"
                            ),
                            "a long lag hides work nobody owns: make the wait a task with an owner and a duration, or explain it in a waiver",
                        );
                    }
                }
                Check::NonFinishToStart if link != LinkType::FS => out.push(
                    origin,
                    anchor,
                    succ_id,
                    format!("the link from `{pred_id}` to `{succ_id}` is {link}, not finish-to-start"),
                    "overlapping links make the path harder to follow and to check by hand: prefer finish-to-start between smaller tasks",
                ),
                _ => {}
            }
        }
    }
    Counted {
        population,
        not_run: None,
    }
}

fn hard_constraints(out: &mut Out) -> Counted {
    let cx = out.cx;
    let (p, model) = (cx.s.project, cx.s.model);
    for (t, task) in p.tasks.iter().enumerate() {
        let written = cx.written[t].map(|i| &model.tasks[i]);
        let mut which = Vec::new();
        let mut origin = task.origin;
        if let Some(at) = task.not_before {
            which.push(format!("not_before {}", local_label(at, &p.tz)));
            if let Some(w) = written
                && let Some(text) = &w.item.value.not_before
            {
                origin = Origin {
                    file: w.file,
                    span: text.span,
                };
            }
        }
        if let Some(at) = task.deadline {
            which.push(format!("deadline {}", local_label(at, &p.tz)));
            if task.not_before.is_none()
                && let Some(w) = written
                && let Some(text) = &w.item.value.deadline
            {
                origin = Origin {
                    file: w.file,
                    span: text.span,
                };
            }
        }
        if which.is_empty() {
            continue;
        }
        let id = task.id.clone();
        out.push(
            origin,
            cx.anchor(t),
            &id,
            format!("task `{id}` is held by a date: {}", which.join(", ")),
            "a date fixes the task instead of its predecessors, so a slip before it stays hidden: prefer links, and keep dates for what the world fixes (a freeze, a meeting)",
        );
    }
    Counted {
        population: p.tasks.len(),
        not_run: None,
    }
}

/// High float over the threshold, or negative float: unfinished tasks only.
fn float(out: &mut Out, set: &CheckSettings) -> Counted {
    let cx = out.cx;
    let (p, schedule) = (cx.s.project, &cx.s.plan.schedule);
    let mut population = 0;
    for t in 0..p.tasks.len() {
        if !cx.unfinished(t) {
            continue;
        }
        population += 1;
        let total = schedule.tasks[t].total_float;
        let id = cx.id(t).to_owned();
        match out.check {
            Check::HighFloat => {
                if let Some(limit) = cx.minutes(t, set.threshold.as_ref())
                    && total > limit
                {
                    let threshold = set.threshold.as_ref().map_or("", |t| t.text());
                    out.at_task(
                        t,
                        format!(
                            "task `{id}` has {} of total float, over {threshold}",
                            cx.work(t, total)
                        ),
                        "so much float usually means a missing link: check what really waits for this task",
                    );
                }
            }
            Check::NegativeFloat if total < 0 => out.at_task(
                t,
                format!(
                    "task `{id}` has negative float ({}): it cannot meet go-live or its deadline",
                    cx.work(t, total)
                ),
                "shorten or overlap the work before it, move the date, or re-plan: the plan as written cannot be met",
            ),
            _ => {}
        }
    }
    Counted {
        population,
        not_run: None,
    }
}

fn long_window_task(out: &mut Out, set: &CheckSettings) -> Counted {
    let cx = out.cx;
    let (p, schedule) = (cx.s.project, &cx.s.plan.schedule);
    let Some(window) = p.window else {
        return Counted {
            population: 0,
            not_run: Some("the runbook has no cutover window".to_owned()),
        };
    };
    let mut population = 0;
    for (t, task) in p.tasks.iter().enumerate() {
        let start = schedule.tasks[t].early_start;
        if task.milestone || start < window.opens || start >= window.closes {
            continue;
        }
        population += 1;
        if let Some(limit) = cx.minutes(t, set.threshold.as_ref())
            && task.duration > limit
        {
            let threshold = set.threshold.as_ref().map_or("", |t| t.text());
            let id = task.id.clone();
            out.at_task(
                t,
                format!(
                    "task `{id}` runs {} in the cutover window, over {threshold}, as one step",
                    cx.work(t, task.duration)
                ),
                "on the weekend the command centre tracks progress step by step: break it into tasks with their own owners and checkpoints",
            );
        }
    }
    Counted {
        population,
        not_run: None,
    }
}

fn points_of_no_return(out: &mut Out, set: &CheckSettings) -> Counted {
    let cx = out.cx;
    let (p, g) = (cx.s.project, cx.s.graph);
    let tag = match &set.threshold {
        Some(Threshold::Tag(tag)) => tag.as_str(),
        _ => "rollback-rehearsal",
    };
    // Whether a rehearsal comes before each task: one pass in plan order.
    let rehearsed_before: Vec<bool> = if out.check == Check::UnrehearsedRollback {
        let mut before = vec![false; p.tasks.len()];
        for &t in &g.order {
            before[t] = p.tasks[t]
                .deps
                .iter()
                .any(|d| before[d.pred] || p.tasks[d.pred].tags.iter().any(|x| x == tag));
        }
        before
    } else {
        Vec::new()
    };
    let mut population = 0;
    for (t, task) in p.tasks.iter().enumerate() {
        if !task.point_of_no_return {
            continue;
        }
        population += 1;
        let id = task.id.clone();
        match out.check {
            Check::NoRollback if task.rollback.is_none() => out.at_task(
                t,
                format!("point of no return `{id}` has no `rollback`"),
                "without the time a rollback takes, nobody can say when the point is passed too late: add `rollback: <duration>`",
            ),
            Check::UnrehearsedRollback if !rehearsed_before[t] => out.at_task(
                t,
                format!("no task tagged `{tag}` comes before point of no return `{id}`"),
                "rehearse the rollback before the weekend (a dress rehearsal that rolls back), tag that task, and make this one follow it",
            ),
            _ => {}
        }
    }
    Counted {
        population,
        not_run: None,
    }
}

fn metric_never_read(out: &mut Out) -> Counted {
    let cx = out.cx;
    let p = cx.s.project;
    let Some(status) = cx.s.status.filter(|s| s.origin.is_some()) else {
        return Counted {
            population: 0,
            not_run: Some("needs a status file (--status)".to_owned()),
        };
    };
    let mut population = 0;
    for gate in &p.gates {
        for c in &gate.criteria {
            let CriterionKind::Metric { metric, .. } = &c.kind else {
                continue;
            };
            population += 1;
            if status.metrics.get(metric).is_some_and(|r| !r.is_empty()) {
                continue;
            }
            out.push(
                c.origin,
                Anchor {
                    origin: c.origin,
                    key: false,
                },
                &gate.id,
                format!(
                    "gate `{}` judges `{metric}`, which the status file has never read",
                    gate.id
                ),
                "a criterion with no readings has no trend and fails as `no data` when due: start recording it, or drop the criterion",
            );
        }
    }
    Counted {
        population,
        not_run: None,
    }
}

fn owned_milestone(out: &mut Out) -> Counted {
    let cx = out.cx;
    let (p, g) = (cx.s.project, cx.s.graph);
    let mut population = 0;
    for (t, task) in p.tasks.iter().enumerate() {
        if !task.milestone || p.go_live_task == Some(t) {
            continue;
        }
        population += 1;
        if let Some(owner) = &task.owner
            && !g.has_successors(t)
        {
            let id = task.id.clone();
            out.at_task(
                t,
                format!("milestone `{id}` has an owner ({owner}) but no task waits for it"),
                "a milestone someone answers for usually gates later work: add it to the `after:` of what it gates",
            );
        }
    }
    Counted {
        population,
        not_run: None,
    }
}

fn workstream_lead(out: &mut Out) -> Counted {
    let cx = out.cx;
    let model = cx.s.model;
    for w in &model.workstreams {
        let (key, ws) = &w.item;
        if ws
            .value
            .lead
            .as_ref()
            .is_some_and(|l| !l.value.trim().is_empty())
        {
            continue;
        }
        let origin = Origin {
            file: w.file,
            span: key.span,
        };
        out.push(
            origin,
            Anchor { origin, key: true },
            &key.value,
            format!("workstream `{}` has no lead", key.value),
            "name the person accountable for the workstream: `lead: <name or role>`",
        );
    }
    Counted {
        population: model.workstreams.len(),
        not_run: None,
    }
}

/// The summary table, after waivers: each check's count and share, and whether it
/// passes. The findings of a check that passes within its tolerated share become notes.
pub(crate) fn summarise(
    settings: &Settings,
    counted: &HashMap<Check, Counted>,
    findings: &mut [Finding],
) -> Vec<CheckSummary> {
    let mut rows = Vec::new();
    for &check in Check::ALL.iter().filter(|c| c.is_schedule_check()) {
        let set = settings.of(check);
        let c = counted.get(&check).cloned().unwrap_or_default();
        let mine = || findings.iter().filter(move |f| f.code == check);
        let count = mine().filter(|f| f.waived.is_none()).count();
        let waived = mine().filter(|f| f.waived.is_some()).count();
        let share = if c.population == 0 {
            0.0
        } else {
            100.0 * count as f64 / c.population as f64
        };
        let outcome = match (set.level, &c.not_run) {
            (None, _) => Outcome::Off,
            (Some(_), Some(_)) => Outcome::NotRun,
            (Some(_), None) => {
                let within = match set.max_share {
                    Some(max) => share <= max,
                    None => count == 0,
                };
                if within { Outcome::Pass } else { Outcome::Fail }
            }
        };
        if outcome == Outcome::Pass {
            for f in findings
                .iter_mut()
                .filter(|f| f.code == check && f.waived.is_none())
            {
                f.level = Level::Note;
            }
        }
        rows.push(CheckSummary {
            code: check,
            name: check.name(),
            title: check.title(),
            level: set.level.unwrap_or(check.default_level()),
            threshold: set.threshold.as_ref().map(|t| t.text().to_owned()),
            max_share: set.max_share,
            settings_from: set.from,
            counted: check.counted(),
            population: c.population,
            count,
            share,
            waived,
            outcome,
            note: c.not_run,
        });
    }
    rows
}
