//! The board paper: the go/no-go [`Report`] arranged for people who decide, not for
//! people who plan. What `cutover report --format html` and `--format markdown` show.
//!
//! The paper adds no rule of its own; it groups and names what the report decided:
//! - each cause once: reasons about the same thing (the plan's timing, one metric, one
//!   sign-off, one blocked task) are one [`Cause`], weighed by its heaviest reason;
//! - names first, ids second: every `` `id` `` of a task or gate in a reason's words is
//!   written `Name (`id`)`;
//! - what it takes to reach GO: each condition and blocker with its owner, the first
//!   date it is due and the evidence needed;
//! - the earliest GO, when the decision is not GO, from the whole-day deferral search
//!   of `cutover simulate` (docs/simulate.md);
//! - with `--iterations`, the Monte Carlo confidence in readiness by go-live;
//! - one bar per workstream, and the driving path by task name, for the chart;
//! - with `--tag`, the tasks the task-level lists show ([`Tagged`]). The decision,
//!   reasons, gates and points of no return explain the decision and are never
//!   narrowed.

use crate::decision::{Clearance, Decision, Reason, Source, Weight};
use crate::gates::Verdict;
use crate::graph::TaskGraph;
use crate::montecarlo::{Forecast, Settings};
use crate::project::{CriterionKind, Project, TaskId};
use crate::report::{Report, report};
use crate::schedule::{Inputs, ScheduleError, State};
use crate::simulate::{EarliestGo, GoSearch, earliest_go};
use crate::status::Status;
use crate::time::{Elapsed, Moment, day_label};

/// What to put in the paper beyond the report.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A Monte Carlo run for the confidence line (`--iterations`, `--seed`).
    pub monte_carlo: Option<Settings>,
    /// The task-level chart in the appendix (`--detail`).
    pub detail: bool,
    /// The status of the last board, for "Changes since the last board" (`--since`).
    pub since: Option<Status>,
    /// Only tasks carrying one of these tags in the task-level lists (`--tag`, exact
    /// match); empty: every task.
    pub tags: Vec<String>,
}

/// The task-level lists narrowed to tasks carrying one of some tags (`report --tag`):
/// the appendix charts of the HTML paper, and the task list the other formats add.
/// The decision, its reasons, the gates and the points of no return are for the whole
/// runbook whatever the tags, so that no filter hides why the decision was made.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    /// The tags asked for, as given.
    pub tags: Vec<String>,
    /// The tasks carrying one of them, by early start, then early finish, then id.
    pub tasks: Vec<TaskId>,
    /// How many tasks the runbook has.
    pub of: usize,
    /// The filter in words, for wherever the list is shown: `Tasks tagged ptl, pas
    /// (12 of 175); the decision above is for the whole runbook`.
    pub statement: String,
}

impl Tagged {
    /// The tasks of `report`'s plan carrying one of `tags`; `None` when no tag is given.
    #[must_use]
    pub fn of(report: &Report, tags: &[String]) -> Option<Self> {
        if tags.is_empty() {
            return None;
        }
        let filter = crate::plan::Filter {
            tags: tags.to_vec(),
            ..crate::plan::Filter::default()
        };
        let project = report.plan.project;
        let tasks = crate::plan::select(project, &report.plan.schedule, &filter);
        let of = project.tasks.len();
        let statement = format!(
            "Tasks tagged {} ({} of {of}); the decision above is for the whole runbook",
            tags.join(", "),
            tasks.len()
        );
        Some(Self {
            tags: tags.to_vec(),
            tasks,
            of,
            statement,
        })
    }
}

/// One cause of the decision, said once: every reason about the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Cause {
    /// The heaviest of its reasons.
    pub weight: Weight,
    /// What it is about, names first: a task's name, then its id in backticks.
    pub title: String,
    /// The heaviest reason in words, ids named.
    pub text: String,
    /// The other reasons about the same thing, one line each (`also: ...`), ids named.
    pub also: Vec<String>,
    /// Who must act, the first date it is due, and the evidence needed (ids named).
    pub clear: Option<Clearance>,
    /// The reasons grouped here, indices into the report's `outcome.reasons`.
    pub reasons: Vec<usize>,
    /// The runbook's `notes:` of the task the cause is about, if it is about a task.
    pub notes: Option<String>,
}

/// One workstream as one bar: from its first task's start to its last task's finish.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The workstream's name (or `No workstream`).
    pub name: String,
    /// The workstream's id, if it has one.
    pub id: Option<String>,
    /// The earliest start of its tasks.
    pub start: Moment,
    /// The latest finish of its tasks.
    pub finish: Moment,
    /// How many tasks it has, how many are done and how many are critical.
    pub tasks: usize,
    /// Of [`Lane::tasks`], finished at the data date.
    pub done: usize,
    /// Of [`Lane::tasks`], critical.
    pub critical: usize,
}

/// The board paper: the report, its causes, the summary and the chart's lanes.
#[derive(Debug)]
pub struct Paper<'a> {
    /// The go/no-go report the paper is of.
    pub report: Report<'a>,
    /// The summary paragraph, in plain words.
    pub summary: String,
    /// The causes of the decision, heaviest first, each once.
    pub causes: Vec<Cause>,
    /// The deferral search, when the decision is not GO.
    pub earliest_go: Option<GoSearch>,
    /// The Monte Carlo confidence, with `--iterations`.
    pub confidence: Option<Forecast>,
    /// One bar per workstream, in the runbook's order (tasks with none last).
    pub lanes: Vec<Lane>,
    /// The first driving chain, from its first task to go-live.
    pub driving: Vec<TaskId>,
    /// Whether the appendix has the task-level chart.
    pub detail: bool,
    /// What changed since the last board, with `--since`.
    pub since: Option<crate::since::Since>,
    /// With `--tag`: the only tasks the task-level lists show.
    pub tagged: Option<Tagged>,
}

/// Reports on `project` from `status` and arranges the paper.
pub fn paper<'a>(
    project: &'a Project,
    graph: &TaskGraph,
    status: Status,
    options: Options,
) -> Result<Paper<'a>, ScheduleError> {
    let report = report(project, graph, status.clone())?;
    let earliest = match report.outcome.decision {
        Decision::Go => None,
        _ => Some(earliest_go(project, graph, &status)?),
    };
    let confidence = match options.monte_carlo {
        Some(settings) => {
            let durations: Vec<i64> = project.tasks.iter().map(|t| t.duration).collect();
            let mc = crate::montecarlo::run(
                project,
                graph,
                Inputs::of(project, &durations, Some(&status.progress)),
                report.plan.fit.closes,
                settings,
                &|_| {},
            )?;
            Some(mc.forecast(project))
        }
        None => None,
    };
    let since = match options.since {
        Some(then) => Some(crate::since::since(
            &crate::report::report(project, graph, then)?,
            &report,
        )),
        None => None,
    };
    let causes = causes(project, &report.outcome.reasons);
    let lanes = lanes(&report);
    let driving = report
        .plan
        .critical
        .chains
        .first()
        .cloned()
        .unwrap_or_default();
    let summary = summary(&report, &causes, earliest.as_ref(), confidence.as_ref());
    let tagged = Tagged::of(&report, &options.tags);
    Ok(Paper {
        report,
        summary,
        causes,
        earliest_go: earliest,
        confidence,
        lanes,
        driving,
        detail: options.detail,
        since,
        tagged,
    })
}

/// What a reason is about, so that reasons about one thing make one cause.
fn cause_key(project: &Project, source: &Source) -> String {
    match source {
        Source::GoLive | Source::Window => "timing".to_owned(),
        Source::Criterion { gate, criterion } => {
            match &project.gates[*gate].criteria[*criterion].kind {
                CriterionKind::FitsWindow | CriterionKind::FloatToGoLive(_) => "timing".to_owned(),
                CriterionKind::Metric { metric, .. } => format!("metric {metric}"),
                CriterionKind::Signoff { id, .. } => format!("signoff {id}"),
                CriterionKind::TasksDone(tasks) => {
                    let mut ids: Vec<usize> = tasks.clone();
                    ids.sort_unstable();
                    format!("tasks {ids:?}")
                }
                CriterionKind::WorkstreamDone { workstream, .. } => {
                    format!("workstream {workstream}")
                }
            }
        }
        Source::Task(t) => format!("task {t}"),
        Source::Evidence => "evidence".to_owned(),
        Source::Gates => "gates".to_owned(),
    }
}

/// The title of a cause: what it is about, names first and ids second.
fn cause_title(project: &Project, key: &str, source: &Source) -> String {
    if key == "timing" {
        return "The plan's timing: readiness against go-live and the cutover window".to_owned();
    }
    match source {
        Source::Criterion { gate, criterion } => {
            let c = &project.gates[*gate].criteria[*criterion];
            match &c.kind {
                CriterionKind::Metric { metric, .. } if c.label.contains(metric.as_str()) => {
                    format!("Metric `{metric}`")
                }
                CriterionKind::Metric { metric, .. } => format!("{} (`{metric}`)", c.label),
                CriterionKind::Signoff { id, by } => match by {
                    Some(by) => format!("Sign-off `{id}` by {by}"),
                    None => format!("Sign-off `{id}`"),
                },
                _ => name_ids(project, &c.label),
            }
        }
        Source::Task(t) => task_name(project, *t),
        Source::Evidence => "Readiness evidence (the status file)".to_owned(),
        Source::Gates => "Readiness gates".to_owned(),
        Source::GoLive | Source::Window => String::new(),
    }
}

/// A task's name, then its id in backticks.
fn task_name(project: &Project, t: TaskId) -> String {
    let task = &project.tasks[t];
    if task.name == task.id {
        format!("`{}`", task.id)
    } else {
        format!("{} (`{}`)", task.name, task.id)
    }
}

/// `text` with each id of a task or gate (in backticks) written as its name, then the id.
pub fn name_ids(project: &Project, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            out.push_str(part);
            continue;
        }
        if let Some(t) = project.task_by_id(part) {
            out.push_str(&task_name(project, t));
        } else if let Some(g) = project
            .gates
            .iter()
            .find(|g| g.id == part && g.name != g.id)
        {
            out.push_str(&format!("{} (`{part}`)", g.name));
        } else {
            out.push('`');
            out.push_str(part);
            out.push('`');
        }
    }
    out
}

/// Where a reason comes from, in a few words, for `also:` lines.
fn source_words(project: &Project, source: &Source) -> String {
    match source {
        Source::Criterion { gate, .. } => {
            let g = &project.gates[*gate];
            if g.name == g.id {
                format!("gate `{}`", g.id)
            } else {
                format!("gate {} (`{}`)", g.name, g.id)
            }
        }
        Source::Task(t) => task_name(project, *t),
        Source::GoLive => "the plan against go-live".to_owned(),
        Source::Window => "the plan against the cutover window".to_owned(),
        Source::Evidence => "the status file".to_owned(),
        Source::Gates => "the gates".to_owned(),
    }
}

/// A reason in words with its source (for a gate criterion), ids named.
/// Reasons about a task or the plan already name it.
fn said(project: &Project, r: &Reason) -> String {
    match r.source {
        Source::Criterion { .. } => format!(
            "{}: {}",
            source_words(project, &r.source),
            name_ids(project, &r.text)
        ),
        _ => name_ids(project, &r.text),
    }
}

/// Groups `reasons` (heaviest first) into causes, each said once, heaviest first.
fn causes(project: &Project, reasons: &[Reason]) -> Vec<Cause> {
    let mut keys: Vec<String> = Vec::new();
    let mut out: Vec<Cause> = Vec::new();
    // Heaviest first; of equal weight, the plan's own reasons (against go-live and the
    // window) lead, as they say what to change, where a gate says only that it fails.
    let mut order: Vec<usize> = (0..reasons.len()).collect();
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(reasons[i].weight),
            !matches!(reasons[i].source, Source::GoLive | Source::Window),
        )
    });
    for i in order {
        let r = &reasons[i];
        let key = cause_key(project, &r.source);
        let line = said(project, r);
        if let Some(at) = keys.iter().position(|k| *k == key) {
            let cause = &mut out[at];
            cause.reasons.push(i);
            cause.also.push(line);
            // The first date it is due is the one that matters.
            if let (Some(mine), Some(theirs)) = (cause.clear.as_mut(), r.clear.as_ref())
                && let Some(due) = theirs.due
                && mine.due.is_none_or(|d| due < d)
            {
                mine.due = Some(due);
            }
            continue;
        }
        let clear = r.clear.as_ref().map(|c| Clearance {
            owner: c.owner.clone(),
            due: c.due,
            needed: name_ids(project, &c.needed),
        });
        keys.push(key.clone());
        out.push(Cause {
            weight: r.weight,
            title: cause_title(project, &key, &r.source),
            text: line,
            also: Vec::new(),
            clear,
            reasons: vec![i],
            notes: match r.source {
                Source::Task(t) => project.tasks[t].notes.clone(),
                _ => None,
            },
        });
    }
    out
}

fn lanes(report: &Report) -> Vec<Lane> {
    let p = report.plan.project;
    let s = &report.plan.schedule;
    let mut lanes: Vec<Option<Lane>> = vec![None; p.workstreams.len() + 1];
    for (t, task) in p.tasks.iter().enumerate() {
        let d = &s.tasks[t];
        let i = task.workstream.unwrap_or(p.workstreams.len());
        let lane = lanes[i].get_or_insert_with(|| Lane {
            name: p
                .workstreams
                .get(i)
                .map_or_else(|| "No workstream".to_owned(), |w| w.name.clone()),
            id: p.workstreams.get(i).map(|w| w.id.clone()),
            start: d.early_start,
            finish: d.early_finish,
            tasks: 0,
            done: 0,
            critical: 0,
        });
        lane.start = lane.start.min(d.early_start);
        lane.finish = lane.finish.max(d.early_finish);
        lane.tasks += 1;
        lane.done += usize::from(d.state == State::Done);
        lane.critical += usize::from(d.critical);
    }
    lanes.into_iter().flatten().collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary paragraph: the decision and go-live, the plan against it, the gates,
/// what stands in the way, the earliest GO and the confidence.
fn summary(
    report: &Report,
    causes: &[Cause],
    earliest: Option<&GoSearch>,
    confidence: Option<&Forecast>,
) -> String {
    let p = report.plan.project;
    let tz = &p.tz;
    let s = &report.plan.schedule;
    let fit = &report.plan.fit;
    let go_live = day_label(s.go_live, tz);
    let blockers = causes.iter().filter(|c| c.weight == Weight::NoGo).count();
    let conditions = causes
        .iter()
        .filter(|c| c.weight == Weight::Condition)
        .count();
    let mut out = match report.outcome.decision {
        Decision::Go => format!("Go-live on {go_live} can go ahead as planned."),
        Decision::GoWithConditions => format!(
            "Go-live on {go_live} can go ahead if {} below {} met.",
            plural(conditions, "condition", "conditions"),
            if conditions == 1 { "is" } else { "are" }
        ),
        Decision::NoGo => format!(
            "Go-live on {go_live} should not go ahead: {} {} it{}.",
            plural(blockers, "blocker", "blockers"),
            if blockers == 1 { "stops" } else { "stop" },
            if conditions > 0 {
                format!(
                    ", and {} would remain",
                    plural(conditions, "condition", "conditions")
                )
            } else {
                String::new()
            }
        ),
    };
    let float = fit.float_to_go_live();
    if float >= 0 {
        out.push_str(&format!(
            " The plan is ready on {}, {} before go-live",
            day_label(s.ready, tz),
            Elapsed(float)
        ));
    } else {
        out.push_str(&format!(
            " The plan is ready on {}, {} after go-live",
            day_label(s.ready, tz),
            Elapsed(-float)
        ));
    }
    match fit.float_to_close() {
        Some(c) if c >= 0 => out.push_str(", inside the cutover window."),
        Some(c) => out.push_str(&format!(
            ", and overruns the cutover window by {}.",
            Elapsed(-c)
        )),
        None => out.push('.'),
    }
    let due: Vec<_> = report.gates.iter().filter(|g| g.is_due).collect();
    let passed = due.iter().filter(|g| g.verdict == Verdict::Pass).count();
    let at_risk = report
        .gates
        .iter()
        .filter(|g| !g.is_due && g.verdict == Verdict::AtRisk)
        .count();
    if !report.gates.is_empty() {
        let of = plural(report.gates.len(), "readiness gate", "readiness gates");
        if due.is_empty() {
            out.push_str(&format!(" Of {of}, none is due yet"));
        } else {
            out.push_str(&format!(
                " Of {of}, {} {} due by the data date and {passed} of them {}",
                due.len(),
                if due.len() == 1 { "is" } else { "are" },
                if passed == 1 { "passes" } else { "pass" }
            ));
        }
        out.push_str(&format!(
            "; {} not yet due {} at risk.",
            plural(at_risk, "gate", "gates"),
            if at_risk == 1 { "is" } else { "are" }
        ));
    }
    if let Some(search) = earliest {
        match search.earliest {
            EarliestGo::At { deferral: 0, .. } => {}
            EarliestGo::At { deferral, go_live } => out.push_str(&format!(
                " Deferring go-live by {} to {} is the earliest that gives GO.",
                Elapsed(deferral),
                day_label(go_live, tz)
            )),
            EarliestGo::NotWithin => out.push_str(&format!(
                " No deferral of up to {} days gives GO: the causes below must be cleared.",
                search.last_day
            )),
        }
    }
    if let Some(f) = confidence {
        out.push_str(&format!(
            " In {} simulated runs (seed {}), {:.0}% are ready by go-live; 80% are ready by {}.",
            f.iterations,
            f.seed,
            f.probability_by_go_live * 100.0,
            day_label(f.p80, tz)
        ));
    }
    out
}
