//! What changed: the two projects compared item by item. Values are compared as
//! resolved (minutes, instants, ids), and shown as a person writes them.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use super::Version;
use crate::gates::{number, severity_label};
use crate::model::calendar::{CalendarSpec, Days, Hours};
use crate::project::{
    Comparison, Criterion, CriterionKind, Due, Gate, LinkType, Project, Scenario, Severity, TaskId,
};
use crate::time::{Elapsed, Moment, local_label, work_label};

/// One field that differs. `old` is `None` for something added, `new` for something
/// removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The field: `estimate`, `threshold`, `window.closes`.
    pub what: String,
    /// The old value as a person reads it.
    pub old: Option<String>,
    /// The new value as a person reads it.
    pub new: Option<String>,
    /// Why this lowers a bar, when it does.
    pub relaxation: Option<String>,
}

impl Change {
    fn new(what: impl Into<String>, old: Option<String>, new: Option<String>) -> Change {
        Change {
            what: what.into(),
            old,
            new,
            relaxation: None,
        }
    }

    fn relaxing(mut self, why: Option<String>) -> Change {
        self.relaxation = why;
        self
    }
}

/// Whether an item was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with fields that differ.
    Changed,
}

/// A calendar, workstream or scenario that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// The item's id.
    pub id: String,
    /// Added, removed or changed.
    pub kind: Kind,
    /// The fields that differ (every field, for one added or removed).
    pub changes: Vec<Change>,
}

/// A task, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskRef {
    /// The task's id.
    pub id: String,
    /// The task's name.
    pub name: String,
}

/// A task whose id changed while its name and links stayed the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The id in the old version.
    pub old: String,
    /// The id in the new version.
    pub new: String,
    /// The name both versions give it.
    pub name: String,
}

/// A task present in both versions whose fields differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskChange {
    /// Its id in the new version.
    pub id: String,
    /// Its name in the new version.
    pub name: String,
    /// The fields that differ.
    pub fields: Vec<Change>,
}

/// Tasks added, removed, renamed and changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TaskChanges {
    /// Tasks only in the new version.
    pub added: Vec<TaskRef>,
    /// Tasks only in the old version.
    pub removed: Vec<TaskRef>,
    /// Tasks whose id changed while their name and links stayed the same.
    pub renamed: Vec<Rename>,
    /// Tasks in both versions whose fields differ.
    pub changed: Vec<TaskChange>,
}

/// A dependency: `to` waits for `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The predecessor's id.
    pub from: String,
    /// The successor's id.
    pub to: String,
    /// `FS`, `SS`, `FF` or `SF`.
    pub link: String,
    /// On `to`'s calendar (`elapsed` when wall-clock); `0m` for none.
    pub lag: String,
}

/// A link whose lag changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkChange {
    /// The predecessor's id.
    pub from: String,
    /// The successor's id.
    pub to: String,
    /// `FS`, `SS`, `FF` or `SF`.
    pub link: String,
    /// The lag before.
    pub old_lag: String,
    /// The lag now.
    pub new_lag: String,
}

/// Links between tasks present in both versions (the links of added and removed
/// tasks go with them).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LinkChanges {
    /// Links only in the new version.
    pub added: Vec<Link>,
    /// Links only in the old version.
    pub removed: Vec<Link>,
    /// Links in both whose lag differs.
    pub changed: Vec<LinkChange>,
}

/// A gate added, removed or changed, with its criteria.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateChange {
    /// The gate's id.
    pub id: String,
    /// The gate's name.
    pub name: String,
    /// Added, removed or changed.
    pub kind: Kind,
    /// Its fields and criteria that differ.
    pub changes: Vec<Change>,
}

/// Everything that changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Changes {
    /// Name, time zone, start, go-live, window, thresholds, cost of delay, uncertainty.
    pub settings: Vec<Change>,
    /// Calendars by id.
    pub calendars: Vec<ItemChange>,
    /// Workstreams by id.
    pub workstreams: Vec<ItemChange>,
    /// Tasks by id.
    pub tasks: TaskChanges,
    /// Links by their two tasks and type.
    pub links: LinkChanges,
    /// Gates by id, with their criteria.
    pub gates: Vec<GateChange>,
    /// Scenarios by id.
    pub scenarios: Vec<ItemChange>,
}

impl Changes {
    /// Nothing changed.
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
            && self.calendars.is_empty()
            && self.workstreams.is_empty()
            && self.tasks == TaskChanges::default()
            && self.links == LinkChanges::default()
            && self.gates.is_empty()
            && self.scenarios.is_empty()
    }

    /// Every change that lowers a bar.
    pub fn relaxed(&self) -> impl Iterator<Item = &Change> {
        self.settings
            .iter()
            .chain(self.gates.iter().flat_map(|g| &g.changes))
            .filter(|c| c.relaxation.is_some())
    }

    /// How many changes lower a bar.
    pub fn relaxations(&self) -> usize {
        self.relaxed().count()
    }

    /// Old id -> new id of each renamed task.
    pub fn renames(&self) -> HashMap<&str, &str> {
        self.tasks
            .renamed
            .iter()
            .map(|r| (r.old.as_str(), r.new.as_str()))
            .collect()
    }
}

/// Compares two versions.
pub(crate) fn changes(old: &Version, new: &Version) -> Changes {
    let (o, n) = (&old.project, &new.project);
    let tasks = tasks(old, new);
    let renames: HashMap<&str, &str> = tasks
        .renamed
        .iter()
        .map(|r| (r.old.as_str(), r.new.as_str()))
        .collect();
    let links = links(o, n, &renames);
    Changes {
        settings: settings(o, n),
        calendars: calendars(old, new),
        workstreams: workstreams(o, n),
        gates: gates(o, n, &renames),
        scenarios: scenarios(o, n),
        tasks,
        links,
    }
}

fn push(out: &mut Vec<Change>, what: &str, old: Option<String>, new: Option<String>) {
    if old != new {
        out.push(Change::new(what, old, new));
    }
}

fn at(p: &Project, m: Moment) -> String {
    local_label(m, &p.tz)
}

fn settings(o: &Project, n: &Project) -> Vec<Change> {
    let mut out = Vec::new();
    push(
        &mut out,
        "runbook",
        Some(o.name.clone()),
        Some(n.name.clone()),
    );
    push(
        &mut out,
        "organisation",
        o.organisation.clone(),
        n.organisation.clone(),
    );
    push(
        &mut out,
        "timezone",
        Some(o.timezone_name.clone()),
        Some(n.timezone_name.clone()),
    );
    if o.start != n.start {
        push(
            &mut out,
            "start",
            Some(at(o, o.start)),
            Some(at(n, n.start)),
        );
    }
    if o.go_live != n.go_live {
        push(
            &mut out,
            "go_live",
            Some(at(o, o.go_live)),
            Some(at(n, n.go_live)),
        );
    }
    let window = |p: &Project, f: fn(&crate::project::Window) -> Moment| {
        p.window.as_ref().map(|w| at(p, f(w)))
    };
    if o.window.map(|w| w.opens) != n.window.map(|w| w.opens) {
        push(
            &mut out,
            "window.opens",
            window(o, |w| w.opens),
            window(n, |w| w.opens),
        );
    }
    if o.window.map(|w| w.closes) != n.window.map(|w| w.closes) {
        push(
            &mut out,
            "window.closes",
            window(o, |w| w.closes),
            window(n, |w| w.closes),
        );
    }
    let (ot, nt) = (o.thresholds, n.thresholds);
    push(
        &mut out,
        "thresholds.critical_float",
        Some(ot.critical_float.to_string()),
        Some(nt.critical_float.to_string()),
    );
    if ot.min_float != nt.min_float {
        out.push(
            Change::new(
                "thresholds.min_float",
                Some(Elapsed(ot.min_float).to_string()),
                Some(Elapsed(nt.min_float).to_string()),
            )
            .relaxing(
                (nt.min_float < ot.min_float).then(|| {
                    "less float to go-live is accepted before GO WITH CONDITIONS".to_owned()
                }),
            ),
        );
    }
    let money = |p: &Project, f: fn(&crate::project::CostOfDelay) -> f64| {
        p.cost_of_delay
            .as_ref()
            .map(|c| format!("{} {}", number(f(c)), c.currency))
    };
    push(
        &mut out,
        "cost_of_delay.per_month",
        money(o, |c| c.per_month),
        money(n, |c| c.per_month),
    );
    push(
        &mut out,
        "cost_of_delay.benefits_per_month",
        money(o, |c| c.benefits_per_month),
        money(n, |c| c.benefits_per_month),
    );
    let spread = |p: &Project| {
        let u = p.uncertainty;
        format!(
            "best {}%, worst {}%, {:?}",
            number(u.best * 100.0),
            number(u.worst * 100.0),
            u.distribution
        )
        .to_lowercase()
    };
    push(&mut out, "uncertainty", Some(spread(o)), Some(spread(n)));
    out
}

/// A calendar as written, in one line.
fn describe_calendar(spec: &CalendarSpec) -> String {
    match spec {
        CalendarSpec::Preset(word) => word.value.trim().to_owned(),
        CalendarSpec::Custom(fields) => {
            let f = &fields.value;
            let mut parts = Vec::new();
            match f.hours.as_ref().map(|h| &h.value) {
                Some(Hours::Every(h)) => parts.push(format!("hours {}", h.trim())),
                Some(Hours::PerDay(days)) => parts.push(format!(
                    "hours {}",
                    days.iter()
                        .map(|(d, h)| format!("{} {}", d.value.trim(), h.trim()))
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                None => {}
            }
            match f.days.as_ref().map(|d| &d.value) {
                Some(Days::Text(d)) => parts.push(format!("days {}", d.trim())),
                Some(Days::List(d)) => parts.push(format!("days {}", d.join(","))),
                None => {}
            }
            if !f.holidays.is_empty() {
                let h: Vec<&str> = f.holidays.iter().map(|h| h.value.trim()).collect();
                parts.push(format!("holidays {}", h.join(", ")));
            }
            if let Some(d) = &f.day_length {
                parts.push(format!("day_length {}", d.value.trim()));
            }
            parts.join("; ")
        }
    }
}

fn calendars(old: &Version, new: &Version) -> Vec<ItemChange> {
    let read = |v: &Version| -> BTreeMap<String, String> {
        v.model
            .calendars
            .iter()
            .map(|c| (c.item.0.value.clone(), describe_calendar(&c.item.1.value)))
            .collect()
    };
    items(&read(old), &read(new))
}

/// Items by id, each described in one line: added, removed, or described differently.
fn items(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Vec<ItemChange> {
    let mut out = Vec::new();
    for (id, o) in old {
        match new.get(id) {
            None => out.push(ItemChange {
                id: id.clone(),
                kind: Kind::Removed,
                changes: vec![Change::new(id.clone(), Some(o.clone()), None)],
            }),
            Some(n) if n != o => out.push(ItemChange {
                id: id.clone(),
                kind: Kind::Changed,
                changes: vec![Change::new(id.clone(), Some(o.clone()), Some(n.clone()))],
            }),
            Some(_) => {}
        }
    }
    for (id, n) in new {
        if !old.contains_key(id) {
            out.push(ItemChange {
                id: id.clone(),
                kind: Kind::Added,
                changes: vec![Change::new(id.clone(), None, Some(n.clone()))],
            });
        }
    }
    out
}

fn workstreams(o: &Project, n: &Project) -> Vec<ItemChange> {
    let mut out = Vec::new();
    for w in &o.workstreams {
        match n.workstreams.iter().find(|x| x.id == w.id) {
            None => out.push(ItemChange {
                id: w.id.clone(),
                kind: Kind::Removed,
                changes: Vec::new(),
            }),
            Some(x) => {
                let mut changes = Vec::new();
                push(
                    &mut changes,
                    "name",
                    Some(w.name.clone()),
                    Some(x.name.clone()),
                );
                push(&mut changes, "lead", w.lead.clone(), x.lead.clone());
                if !changes.is_empty() {
                    out.push(ItemChange {
                        id: w.id.clone(),
                        kind: Kind::Changed,
                        changes,
                    });
                }
            }
        }
    }
    for x in &n.workstreams {
        if !o.workstreams.iter().any(|w| w.id == x.id) {
            out.push(ItemChange {
                id: x.id.clone(),
                kind: Kind::Added,
                changes: Vec::new(),
            });
        }
    }
    out
}

/// A task's planned duration as written (`4h`, `likely 6h (best 4h, worst 10h)`), or
/// in the calendar's days and hours when the text is not at hand.
fn duration_text(v: &Version, t: TaskId) -> Option<String> {
    let p = &v.project;
    let task = &p.tasks[t];
    if task.milestone {
        return None;
    }
    if let Some(w) = v.written(&task.id) {
        if let Some(e) = &w.estimate {
            let e = &e.value;
            let part = |x: &Option<crate::model::Text>| {
                x.as_ref()
                    .map_or("?", |x| x.value.as_str())
                    .trim()
                    .to_owned()
            };
            let shape = e
                .distribution
                .as_ref()
                .map(|d| format!(", {:?}", d.value).to_lowercase())
                .unwrap_or_default();
            return Some(format!(
                "likely {} (best {}, worst {}{shape})",
                part(&e.likely),
                part(&e.best),
                part(&e.worst)
            ));
        }
        if let Some(d) = &w.duration {
            return Some(d.value.trim().to_owned());
        }
    }
    let day = p.calendar_of(t).day_minutes;
    Some(work_label(task.duration, day))
}

fn flag(on: bool) -> Option<String> {
    on.then(|| "yes".to_owned())
}

/// The fields of task `a` (old) and `b` (new) that differ.
fn task_fields(old: &Version, a: TaskId, new: &Version, b: TaskId) -> Vec<Change> {
    let (o, n) = (&old.project, &new.project);
    let (x, y) = (&o.tasks[a], &n.tasks[b]);
    let mut out = Vec::new();
    if x.name != y.name {
        push(&mut out, "name", Some(x.name.clone()), Some(y.name.clone()));
    }
    let ws = |p: &Project, t: TaskId| p.workstream_id(t).map(str::to_owned);
    if o.workstream_id(a) != n.workstream_id(b) {
        push(&mut out, "workstream", ws(o, a), ws(n, b));
    }
    if x.owner != y.owner {
        push(&mut out, "owner", x.owner.clone(), y.owner.clone());
    }
    let (day_x, day_y) = (o.calendar_of(a).day_minutes, n.calendar_of(b).day_minutes);
    if (x.duration, x.estimate, x.milestone, day_x) != (y.duration, y.estimate, y.milestone, day_y)
    {
        let what = if x.estimate.is_some() || y.estimate.is_some() {
            "estimate"
        } else {
            "duration"
        };
        push(&mut out, what, duration_text(old, a), duration_text(new, b));
    }
    let cal = |p: &Project, t: TaskId| (!p.tasks[t].milestone).then(|| p.calendar_of(t).id.clone());
    if cal(o, a) != cal(n, b) {
        push(&mut out, "calendar", cal(o, a), cal(n, b));
    }
    push(&mut out, "milestone", flag(x.milestone), flag(y.milestone));
    push(
        &mut out,
        "go_live",
        flag(o.go_live_task == Some(a)),
        flag(n.go_live_task == Some(b)),
    );
    if x.not_before != y.not_before {
        push(
            &mut out,
            "not_before",
            x.not_before.map(|m| at(o, m)),
            y.not_before.map(|m| at(n, m)),
        );
    }
    if x.deadline != y.deadline {
        push(
            &mut out,
            "deadline",
            x.deadline.map(|m| at(o, m)),
            y.deadline.map(|m| at(n, m)),
        );
    }
    push(
        &mut out,
        "point_of_no_return",
        flag(x.point_of_no_return),
        flag(y.point_of_no_return),
    );
    if x.rollback != y.rollback {
        push(
            &mut out,
            "rollback",
            x.rollback.map(|m| Elapsed(m).to_string()),
            y.rollback.map(|m| Elapsed(m).to_string()),
        );
    }
    out
}

/// The ids of a task's predecessors and successors.
fn neighbours(p: &Project, succs: &[Vec<TaskId>], t: TaskId) -> (Vec<String>, Vec<String>) {
    let mut before: Vec<String> = p.tasks[t]
        .deps
        .iter()
        .map(|d| p.tasks[d.pred].id.clone())
        .collect();
    let mut after: Vec<String> = succs[t].iter().map(|&s| p.tasks[s].id.clone()).collect();
    before.sort();
    after.sort();
    (before, after)
}

fn successors(p: &Project) -> Vec<Vec<TaskId>> {
    let mut succs = vec![Vec::new(); p.tasks.len()];
    for (t, task) in p.tasks.iter().enumerate() {
        for d in &task.deps {
            succs[d.pred].push(t);
        }
    }
    succs
}

fn task_ref(p: &Project, t: TaskId) -> TaskRef {
    TaskRef {
        id: p.tasks[t].id.clone(),
        name: p.tasks[t].name.clone(),
    }
}

fn tasks(old: &Version, new: &Version) -> TaskChanges {
    let (o, n) = (&old.project, &new.project);
    let mut out = TaskChanges::default();
    let removed: Vec<TaskId> = (0..o.tasks.len())
        .filter(|&t| n.task_by_id(&o.tasks[t].id).is_none())
        .collect();
    let added: Vec<TaskId> = (0..n.tasks.len())
        .filter(|&t| o.task_by_id(&n.tasks[t].id).is_none())
        .collect();
    // A removed and an added task with the same name and the same neighbours are one
    // task renamed, when no other task of either side matches them.
    let mut renamed: Vec<(TaskId, TaskId)> = Vec::new();
    if !removed.is_empty() && !added.is_empty() {
        let (so, sn) = (successors(o), successors(n));
        let mut by_name: HashMap<&str, Vec<TaskId>> = HashMap::new();
        for &t in &added {
            by_name.entry(n.tasks[t].name.as_str()).or_default().push(t);
        }
        let mut removed_by_name: HashMap<&str, usize> = HashMap::new();
        for &t in &removed {
            *removed_by_name.entry(o.tasks[t].name.as_str()).or_default() += 1;
        }
        for &r in &removed {
            let name = o.tasks[r].name.as_str();
            let Some(candidates) = by_name.get(name) else {
                continue;
            };
            if candidates.len() != 1 || removed_by_name.get(name) != Some(&1) {
                continue;
            }
            let a = candidates[0];
            if neighbours(o, &so, r) == neighbours(n, &sn, a) {
                renamed.push((r, a));
            }
        }
    }
    let renamed_old: HashSet<TaskId> = renamed.iter().map(|&(r, _)| r).collect();
    let renamed_new: HashSet<TaskId> = renamed.iter().map(|&(_, a)| a).collect();
    out.removed = removed
        .iter()
        .filter(|t| !renamed_old.contains(t))
        .map(|&t| task_ref(o, t))
        .collect();
    out.added = added
        .iter()
        .filter(|t| !renamed_new.contains(t))
        .map(|&t| task_ref(n, t))
        .collect();
    out.renamed = renamed
        .iter()
        .map(|&(r, a)| Rename {
            old: o.tasks[r].id.clone(),
            new: n.tasks[a].id.clone(),
            name: n.tasks[a].name.clone(),
        })
        .collect();
    let pairs = (0..n.tasks.len())
        .filter_map(|b| o.task_by_id(&n.tasks[b].id).map(|a| (a, b)))
        .chain(renamed.iter().copied());
    for (a, b) in pairs {
        let fields = task_fields(old, a, new, b);
        if !fields.is_empty() {
            out.changed.push(TaskChange {
                id: n.tasks[b].id.clone(),
                name: n.tasks[b].name.clone(),
                fields,
            });
        }
    }
    out.changed.sort_by(|x, y| x.id.cmp(&y.id));
    out.added.sort_by(|x, y| x.id.cmp(&y.id));
    out.removed.sort_by(|x, y| x.id.cmp(&y.id));
    out
}

fn link_name(l: LinkType) -> String {
    l.to_string()
}

/// A link's lag as a person reads it.
fn lag_text(p: &Project, succ: TaskId, lag: crate::project::Lag) -> String {
    if lag.elapsed && !p.calendar_of(succ).is_elapsed() {
        format!("{} elapsed", Elapsed(lag.minutes))
    } else {
        work_label(lag.minutes, p.calendar_of(succ).day_minutes)
    }
}

fn links(o: &Project, n: &Project, renames: &HashMap<&str, &str>) -> LinkChanges {
    let back: HashMap<&str, &str> = renames.iter().map(|(a, b)| (*b, *a)).collect();
    // Each old task's counterpart in the new version and each new task's in the old,
    // found once rather than once per link.
    let new_of: Vec<Option<TaskId>> = o
        .tasks
        .iter()
        .map(|t| n.task_by_id(renames.get(t.id.as_str()).copied().unwrap_or(&t.id)))
        .collect();
    let old_of: Vec<Option<TaskId>> = n
        .tasks
        .iter()
        .map(|t| o.task_by_id(back.get(t.id.as_str()).copied().unwrap_or(&t.id)))
        .collect();
    let mut out = LinkChanges::default();
    for (b, a) in old_of.iter().enumerate() {
        let Some(a) = *a else {
            continue;
        };
        let (x, y) = (&o.tasks[a], &n.tasks[b]);
        let same_day = o.calendar_of(a).day_minutes == n.calendar_of(b).day_minutes;
        // Most tasks keep the same links in the same order: nothing to look up.
        let unchanged = same_day
            && x.deps.len() == y.deps.len()
            && x.deps
                .iter()
                .zip(&y.deps)
                .all(|(d, e)| d.link == e.link && d.lag == e.lag && new_of[d.pred] == Some(e.pred));
        if unchanged {
            continue;
        }
        let to = &y.id;
        // Each side's links by (type, predecessor in the new version): a go-live
        // milestone may wait for thousands of tasks, so no scan of one list per link.
        let new_links: HashMap<(LinkType, TaskId), &crate::project::Dependency> =
            y.deps.iter().map(|e| ((e.link, e.pred), e)).collect();
        let old_links: HashSet<(LinkType, TaskId)> = x
            .deps
            .iter()
            .filter_map(|d| new_of[d.pred].map(|p| (d.link, p)))
            .collect();
        for d in &x.deps {
            let Some(from_new) = new_of[d.pred] else {
                continue;
            };
            let from = &n.tasks[from_new].id;
            match new_links.get(&(d.link, from_new)).copied() {
                None => out.removed.push(Link {
                    from: from.clone(),
                    to: to.clone(),
                    link: link_name(d.link),
                    lag: lag_text(o, a, d.lag),
                }),
                Some(e) => {
                    if e.lag == d.lag && same_day {
                        continue;
                    }
                    let (old_lag, new_lag) = (lag_text(o, a, d.lag), lag_text(n, b, e.lag));
                    if old_lag != new_lag {
                        out.changed.push(LinkChange {
                            from: from.clone(),
                            to: to.clone(),
                            link: link_name(d.link),
                            old_lag,
                            new_lag,
                        });
                    }
                }
            }
        }
        for e in &y.deps {
            if old_of[e.pred].is_none() {
                continue;
            }
            if !old_links.contains(&(e.link, e.pred)) {
                out.added.push(Link {
                    from: n.tasks[e.pred].id.clone(),
                    to: to.clone(),
                    link: link_name(e.link),
                    lag: lag_text(n, b, e.lag),
                });
            }
        }
    }
    let key = |l: &Link| (l.to.clone(), l.from.clone(), l.link.clone());
    out.added.sort_by_key(key);
    out.removed.sort_by_key(key);
    out.changed
        .sort_by_key(|l| (l.to.clone(), l.from.clone(), l.link.clone()));
    out
}

/// When a gate is due, as written.
fn due_text(p: &Project, due: Due) -> String {
    match due {
        Due::Relative(m) if m <= 0 => format!("T-{}", Elapsed(-m)),
        Due::Relative(m) => format!("T+{}", Elapsed(m)),
        Due::At(m) => at(p, m),
    }
}

/// Minutes from go-live to when the gate is due (negative: before).
fn due_offset(p: &Project, due: Due) -> i64 {
    due.resolve(p.go_live).0 - p.go_live.0
}

/// What identifies a criterion across versions: its kind and what it measures.
fn criterion_key(c: &Criterion) -> String {
    match &c.kind {
        CriterionKind::Metric { metric, .. } => format!("metric {metric}"),
        CriterionKind::TasksDone(_) => "tasks_done".to_owned(),
        CriterionKind::WorkstreamDone { .. } => "workstream_done".to_owned(),
        CriterionKind::FloatToGoLive(_) => "float_to_go_live".to_owned(),
        CriterionKind::FitsWindow => "fits_window".to_owned(),
        CriterionKind::Signoff { id, .. } => format!("signoff {id}"),
    }
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Blocker => 2,
        Severity::Major => 1,
        Severity::Minor => 0,
    }
}

/// The criteria `a` (old) and `b` (new) of the same kind and subject, compared.
fn criterion_changes(
    o: &Project,
    a: &Criterion,
    n: &Project,
    b: &Criterion,
    renames: &HashMap<&str, &str>,
    out: &mut Vec<Change>,
) {
    let what = |field: &str| format!("criterion `{}`: {field}", a.label);
    if a.severity != b.severity {
        let lowered = severity_rank(b.severity) < severity_rank(a.severity);
        out.push(
            Change::new(
                what("severity"),
                Some(severity_label(a.severity).to_owned()),
                Some(severity_label(b.severity).to_owned()),
            )
            .relaxing(lowered.then(|| {
                format!(
                    "severity lowered: failing it now means {}",
                    match b.severity {
                        Severity::Major => "GO WITH CONDITIONS, not NO-GO",
                        _ => "a note, not a condition",
                    }
                )
            })),
        );
    }
    match (&a.kind, &b.kind) {
        (
            CriterionKind::Metric {
                comparison: ca,
                threshold: ta,
                ..
            },
            CriterionKind::Metric {
                comparison: cb,
                threshold: tb,
                ..
            },
        ) => {
            let op = |c: &Comparison| match c {
                Comparison::AtLeast => "at_least",
                Comparison::AtMost => "at_most",
                Comparison::Equals => "equals",
            };
            if ca != cb || ta != tb {
                let lowered = ca == cb
                    && match ca {
                        Comparison::AtLeast => tb < ta,
                        Comparison::AtMost => tb > ta,
                        Comparison::Equals => false,
                    };
                out.push(
                    Change::new(
                        what("threshold"),
                        Some(format!("{} {}", op(ca), number(*ta))),
                        Some(format!("{} {}", op(cb), number(*tb))),
                    )
                    .relaxing(lowered.then(|| {
                        format!("threshold lowered from {} to {}", number(*ta), number(*tb))
                    })),
                );
            }
        }
        (CriterionKind::TasksDone(x), CriterionKind::TasksDone(y)) => {
            let ids = |p: &Project, list: &[TaskId], map: bool| -> Vec<String> {
                let mut v: Vec<String> = list
                    .iter()
                    .map(|&t| {
                        let id = p.tasks[t].id.as_str();
                        if map {
                            renames.get(id).map_or(id, |x| *x).to_owned()
                        } else {
                            id.to_owned()
                        }
                    })
                    .collect();
                v.sort();
                v
            };
            let (before, after) = (ids(o, x, true), ids(n, y, false));
            if before != after {
                let dropped: Vec<&String> = before.iter().filter(|t| !after.contains(t)).collect();
                out.push(
                    Change::new(
                        what("tasks_done"),
                        Some(before.join(", ")),
                        Some(after.join(", ")),
                    )
                    .relaxing((!dropped.is_empty()).then(|| {
                        format!(
                            "no longer requires {} done",
                            dropped
                                .iter()
                                .map(|t| format!("`{t}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    })),
                );
            }
        }
        (
            CriterionKind::WorkstreamDone {
                workstream: wa,
                at_least: xa,
            },
            CriterionKind::WorkstreamDone {
                workstream: wb,
                at_least: xb,
            },
        ) => {
            let (ida, idb) = (&o.workstreams[*wa].id, &n.workstreams[*wb].id);
            if ida != idb || xa != xb {
                out.push(
                    Change::new(
                        what("workstream_done"),
                        Some(format!("{ida} at least {}%", number(*xa))),
                        Some(format!("{idb} at least {}%", number(*xb))),
                    )
                    .relaxing((ida == idb && xb < xa).then(|| {
                        format!(
                            "threshold lowered from {}% to {}%",
                            number(*xa),
                            number(*xb)
                        )
                    })),
                );
            }
        }
        (CriterionKind::FloatToGoLive(x), CriterionKind::FloatToGoLive(y)) if x != y => {
            out.push(
                Change::new(
                    what("float_to_go_live"),
                    Some(Elapsed(*x).to_string()),
                    Some(Elapsed(*y).to_string()),
                )
                .relaxing((y < x).then(|| {
                    format!(
                        "float required lowered from {} to {}",
                        Elapsed(*x),
                        Elapsed(*y)
                    )
                })),
            );
        }
        (CriterionKind::Signoff { by: x, .. }, CriterionKind::Signoff { by: y, .. }) if x != y => {
            out.push(Change::new(what("by"), x.clone(), y.clone()));
        }
        _ => {}
    }
    if a.owner != b.owner {
        out.push(Change::new(what("owner"), a.owner.clone(), b.owner.clone()));
    }
}

fn gates(o: &Project, n: &Project, renames: &HashMap<&str, &str>) -> Vec<GateChange> {
    let mut out = Vec::new();
    for g in &o.gates {
        let Some(h) = n.gates.iter().find(|x| x.id == g.id) else {
            out.push(GateChange {
                id: g.id.clone(),
                name: g.name.clone(),
                kind: Kind::Removed,
                changes: vec![
                    Change::new("gate", Some(g.name.clone()), None).relaxing(Some(format!(
                        "gate `{}` and its {} criteria removed",
                        g.id,
                        g.criteria.len()
                    ))),
                ],
            });
            continue;
        };
        let changes = gate_changes(o, g, n, h, renames);
        if !changes.is_empty() {
            out.push(GateChange {
                id: h.id.clone(),
                name: h.name.clone(),
                kind: Kind::Changed,
                changes,
            });
        }
    }
    for h in &n.gates {
        if !o.gates.iter().any(|g| g.id == h.id) {
            out.push(GateChange {
                id: h.id.clone(),
                name: h.name.clone(),
                kind: Kind::Added,
                changes: h
                    .criteria
                    .iter()
                    .map(|c| {
                        Change::new(
                            format!("criterion `{}`", c.label),
                            None,
                            Some(severity_label(c.severity).to_owned()),
                        )
                    })
                    .collect(),
            });
        }
    }
    out
}

fn gate_changes(
    o: &Project,
    g: &Gate,
    n: &Project,
    h: &Gate,
    renames: &HashMap<&str, &str>,
) -> Vec<Change> {
    let mut out = Vec::new();
    push(&mut out, "name", Some(g.name.clone()), Some(h.name.clone()));
    push(&mut out, "owner", g.owner.clone(), h.owner.clone());
    let (da, db) = (due_offset(o, g.due), due_offset(n, h.due));
    if da != db || due_text(o, g.due) != due_text(n, h.due) {
        out.push(
            Change::new("due", Some(due_text(o, g.due)), Some(due_text(n, h.due))).relaxing(
                (db > da).then(|| {
                    format!(
                        "due {} later, nearer go-live: less time to act on a failure",
                        Elapsed(db - da)
                    )
                }),
            ),
        );
    }
    // Criteria match by kind and subject, in order among those alike.
    let mut pending: HashMap<String, Vec<&Criterion>> = HashMap::new();
    for c in &h.criteria {
        pending.entry(criterion_key(c)).or_default().push(c);
    }
    for list in pending.values_mut() {
        list.reverse();
    }
    for a in &g.criteria {
        match pending.get_mut(&criterion_key(a)).and_then(Vec::pop) {
            Some(b) => criterion_changes(o, a, n, b, renames, &mut out),
            None => out.push(
                Change::new(
                    format!("criterion `{}`", a.label),
                    Some(severity_label(a.severity).to_owned()),
                    None,
                )
                .relaxing(Some(format!("criterion `{}` removed", a.label))),
            ),
        }
    }
    let mut added: Vec<&Criterion> = pending.into_values().flatten().collect();
    added.sort_by_key(|c| (c.origin.file, c.origin.span.line, c.origin.span.col));
    for b in added {
        out.push(Change::new(
            format!("criterion `{}`", b.label),
            None,
            Some(severity_label(b.severity).to_owned()),
        ));
    }
    out
}

/// A scenario in one line.
fn describe_scenario(p: &Project, s: &Scenario) -> String {
    let id = |t: TaskId| p.tasks[t].id.as_str();
    let work = |t: TaskId, m: i64| work_label(m, p.calendar_of(t).day_minutes);
    let mut parts = vec![format!("name {}", s.name)];
    if let Some(d) = s.defer {
        parts.push(format!("defer {}", Elapsed(d)));
    }
    if let Some(g) = s.go_live {
        parts.push(format!("go-live {}", at(p, g)));
    }
    for &(t, m) in &s.slips {
        parts.push(format!("slip {} +{}", id(t), work(t, m)));
    }
    for &(t, m) in &s.durations {
        parts.push(format!("duration {} {}", id(t), work(t, m)));
    }
    for (t, e) in &s.estimates {
        parts.push(format!(
            "estimate {} {}/{}/{}",
            id(*t),
            work(*t, e.best),
            work(*t, e.likely),
            work(*t, e.worst)
        ));
    }
    for (m, v) in &s.metrics {
        parts.push(format!("metric {m} = {}", number(*v)));
    }
    for &t in &s.done {
        parts.push(format!("done {}", id(t)));
    }
    parts.join("; ")
}

fn scenarios(o: &Project, n: &Project) -> Vec<ItemChange> {
    let read = |p: &Project| -> BTreeMap<String, String> {
        p.scenarios
            .iter()
            .map(|s| (s.id.clone(), describe_scenario(p, s)))
            .collect()
    };
    items(&read(o), &read(n))
}
