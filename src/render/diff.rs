//! `cutover diff` for people, as Markdown for a pull-request comment (a headline, then
//! collapsible sections), and as JSON (docs/json.md).

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::table::markdown_escape as esc;
use super::{Format, Render, RenderError, put, put_json};
use crate::diff::{Change, Changes, Effects, Review, RunbookDiff};
use crate::time::Elapsed;

/// The first line of the Markdown, so a CI job can find its earlier comment.
pub const MARKER: &str = "<!-- cutover diff -->";

impl Render for Review {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Human { .. } => put(out, &human(self)),
            Format::Markdown => put(out, &markdown(self)),
            Format::Json => put_json(
                out,
                &Json {
                    format: 1,
                    review: self,
                },
            ),
            _ => Err(RenderError::Unsupported {
                what: "the runbook diff",
                format,
            }),
        }
    }
}

#[derive(Serialize)]
struct Json<'a> {
    /// Version of this JSON shape.
    format: u32,
    #[serde(flatten)]
    review: &'a Review,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A signed duration: `3h later`, `45m earlier`.
fn later(minutes: i64) -> String {
    match minutes.cmp(&0) {
        std::cmp::Ordering::Greater => format!("{} later", Elapsed(minutes)),
        std::cmp::Ordering::Less => format!("{} earlier", Elapsed(-minutes)),
        std::cmp::Ordering::Equal => "unchanged".to_owned(),
    }
}

fn opt(v: Option<&crate::time::Stamp>) -> &str {
    v.map_or("none", |s| s.local.as_str())
}

fn float(v: Option<i64>) -> String {
    v.map_or_else(|| "none".to_owned(), |m| Elapsed(m).to_string())
}

/// One line on what the change does, for the top of a comment.
fn headline(d: &RunbookDiff, arrow: &str) -> String {
    if d.same {
        return "no change".to_owned();
    }
    let e = &d.effects;
    let mut parts = Vec::new();
    if e.ready_moved == 0 {
        parts.push("readiness unchanged".to_owned());
    } else {
        parts.push(format!("ready {}", later(e.ready_moved)));
    }
    if e.float_to_go_live.changed() {
        parts.push(format!(
            "float to go-live {} {arrow} {}",
            Elapsed(e.float_to_go_live.old),
            Elapsed(e.float_to_go_live.new)
        ));
    }
    if e.fits_window.changed() {
        parts.push(
            if e.fits_window.new {
                "now fits the window"
            } else {
                "no longer fits the window"
            }
            .to_owned(),
        );
    }
    if d.relaxations > 0 {
        parts.push(plural(d.relaxations, "relaxation", "relaxations"));
    }
    if !e.driving_joined.is_empty() || !e.driving_left.is_empty() {
        parts.push(format!(
            "driving path: {} joined, {} left",
            e.driving_joined.len(),
            e.driving_left.len()
        ));
    }
    if let Some(dc) = e.decision.as_ref().filter(|dc| dc.changed) {
        parts.push(format!("decision {} {arrow} {}", dc.old, dc.new));
    }
    parts.join("; ")
}

/// What changed, counted: `2 tasks changed, 1 link added`.
fn counts(c: &Changes) -> String {
    let links = c.links.added.len() + c.links.removed.len() + c.links.changed.len();
    let parts: Vec<String> = [
        (c.settings.len(), "setting", "settings"),
        (c.tasks.added.len(), "task added", "tasks added"),
        (c.tasks.removed.len(), "task removed", "tasks removed"),
        (c.tasks.renamed.len(), "task renamed", "tasks renamed"),
        (c.tasks.changed.len(), "task changed", "tasks changed"),
        (links, "link", "links"),
        (c.gates.len(), "gate", "gates"),
        (c.calendars.len(), "calendar", "calendars"),
        (c.workstreams.len(), "workstream", "workstreams"),
        (c.scenarios.len(), "scenario", "scenarios"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    if parts.is_empty() {
        "nothing".to_owned()
    } else {
        parts.join(", ")
    }
}

/// `old -> new`, `(added) new`, `old (removed)`.
fn change_text(c: &Change, arrow: &str) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => format!("{o} {arrow} {n}"),
        (None, Some(n)) => format!("added: {n}"),
        (Some(o), None) => format!("removed (was {o})"),
        (None, None) => String::new(),
    }
}

/// The lines of "what changed", each `(section, item, change, relaxation)`.
fn change_rows(c: &Changes, arrow: &str) -> Vec<(String, String, String, Option<String>)> {
    let mut rows = Vec::new();
    for s in &c.settings {
        rows.push((
            "setting".to_owned(),
            s.what.clone(),
            change_text(s, arrow),
            s.relaxation.clone(),
        ));
    }
    for t in &c.tasks.added {
        rows.push(("task added".to_owned(), t.id.clone(), t.name.clone(), None));
    }
    for t in &c.tasks.removed {
        rows.push((
            "task removed".to_owned(),
            t.id.clone(),
            t.name.clone(),
            None,
        ));
    }
    for r in &c.tasks.renamed {
        rows.push((
            "task renamed".to_owned(),
            format!("{} {arrow} {}", r.old, r.new),
            r.name.clone(),
            None,
        ));
    }
    for t in &c.tasks.changed {
        for f in &t.fields {
            rows.push((
                "task".to_owned(),
                format!("{}: {}", t.id, f.what),
                change_text(f, arrow),
                None,
            ));
        }
    }
    for l in &c.links.added {
        rows.push((
            "link added".to_owned(),
            format!("{} {arrow} {}", l.from, l.to),
            format!("{}, lag {}", l.link, l.lag),
            None,
        ));
    }
    for l in &c.links.removed {
        rows.push((
            "link removed".to_owned(),
            format!("{} {arrow} {}", l.from, l.to),
            format!("{}, lag {}", l.link, l.lag),
            None,
        ));
    }
    for l in &c.links.changed {
        rows.push((
            "link".to_owned(),
            format!("{} {arrow} {} ({})", l.from, l.to, l.link),
            format!("lag {} {arrow} {}", l.old_lag, l.new_lag),
            None,
        ));
    }
    for g in &c.gates {
        let section = format!("gate {}", kind_word(g.kind));
        for ch in &g.changes {
            rows.push((
                section.clone(),
                format!("{}: {}", g.id, ch.what),
                change_text(ch, arrow),
                ch.relaxation.clone(),
            ));
        }
    }
    for (section, items) in [
        ("calendar", &c.calendars),
        ("workstream", &c.workstreams),
        ("scenario", &c.scenarios),
    ] {
        for i in items {
            if i.changes.is_empty() {
                rows.push((
                    format!("{section} {}", kind_word(i.kind)),
                    i.id.clone(),
                    String::new(),
                    None,
                ));
            }
            for ch in &i.changes {
                let what = if ch.what == i.id {
                    i.id.clone()
                } else {
                    format!("{}: {}", i.id, ch.what)
                };
                rows.push((
                    format!("{section} {}", kind_word(i.kind)),
                    what,
                    change_text(ch, arrow),
                    None,
                ));
            }
        }
    }
    rows
}

fn kind_word(k: crate::diff::changes::Kind) -> &'static str {
    match k {
        crate::diff::changes::Kind::Added => "added",
        crate::diff::changes::Kind::Removed => "removed",
        crate::diff::changes::Kind::Changed => "changed",
    }
}

/// The lines of "what it does", each `(what, old, new, note)`.
fn effect_rows(e: &Effects, arrow: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    rows.push((
        "Ready for go-live".to_owned(),
        if e.ready.changed() {
            format!(
                "{} {arrow} {} ({})",
                e.ready.old.local,
                e.ready.new.local,
                later(e.ready_moved)
            )
        } else {
            format!("{} (unchanged)", e.ready.new.local)
        },
    ));
    let moved = |old: String, new: String| {
        if old == new {
            format!("{new} (unchanged)")
        } else {
            format!("{old} {arrow} {new}")
        }
    };
    rows.push((
        "Float to go-live".to_owned(),
        moved(
            Elapsed(e.float_to_go_live.old).to_string(),
            Elapsed(e.float_to_go_live.new).to_string(),
        ),
    ));
    let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
    rows.push((
        "Fits the window".to_owned(),
        moved(yes(e.fits_window.old), yes(e.fits_window.new)),
    ));
    if e.float_to_close.old.is_some() || e.float_to_close.new.is_some() {
        rows.push((
            "Float to close".to_owned(),
            moved(float(e.float_to_close.old), float(e.float_to_close.new)),
        ));
    }
    let ids = |list: &[crate::diff::TaskRef]| {
        list.iter()
            .map(|t| format!("`{}`", t.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !e.driving_joined.is_empty() {
        rows.push(("Joined the driving path".to_owned(), ids(&e.driving_joined)));
    }
    if !e.driving_left.is_empty() {
        rows.push(("Left the driving path".to_owned(), ids(&e.driving_left)));
    }
    if e.critical_tasks.changed() {
        rows.push((
            "Critical tasks".to_owned(),
            format!("{} {arrow} {}", e.critical_tasks.old, e.critical_tasks.new),
        ));
    }
    for p in &e.points_of_no_return {
        let mut text = format!(
            "latest pass {} {arrow} {}",
            opt(p.latest.old.as_ref()),
            opt(p.latest.new.as_ref())
        );
        if let Some(m) = p.latest_moved {
            let _ = write!(text, " ({})", later(m));
        }
        let _ = write!(
            text,
            "; planned {} {arrow} {}; margin {} {arrow} {}",
            opt(p.planned.old.as_ref()),
            opt(p.planned.new.as_ref()),
            float(p.margin.old),
            float(p.margin.new)
        );
        rows.push((format!("Point of no return `{}`", p.task), text));
    }
    if let Some(d) = &e.decision {
        rows.push((
            "Decision".to_owned(),
            if d.changed {
                format!(
                    "{} {arrow} {}{}",
                    d.old,
                    d.new,
                    if d.worse { " (worse)" } else { " (better)" }
                )
            } else {
                format!("{} (unchanged)", d.new)
            },
        ));
        for r in &d.reasons_added {
            rows.push(("  new reason".to_owned(), r.clone()));
        }
        for r in &d.reasons_removed {
            rows.push(("  reason gone".to_owned(), r.clone()));
        }
    }
    if !e.status_ignored.old.is_empty() || !e.status_ignored.new.is_empty() {
        let all: Vec<&String> = e
            .status_ignored
            .old
            .iter()
            .chain(&e.status_ignored.new)
            .collect();
        rows.push((
            "Status entries ignored".to_owned(),
            format!(
                "{} (no such task in one version)",
                all.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    rows
}

fn scheduled_from(e: &Effects, status: Option<&std::path::Path>) -> String {
    match (&e.data_date, status) {
        (Some(date), Some(path)) => {
            format!(
                "both scheduled from {} (data date {})",
                path.display(),
                date.local
            )
        }
        (Some(date), None) => format!("both scheduled from the data date {}", date.local),
        _ => {
            "both scheduled from the plan's start, with no status (give --status for the decision)"
                .to_owned()
        }
    }
}

fn human(review: &Review) -> String {
    let arrow = "->";
    let mut out = String::new();
    for d in &review.diffs {
        let _ = writeln!(
            out,
            "{} {arrow} {}: {}",
            d.old.label, d.new.label, d.new.runbook
        );
        let _ = writeln!(out, "  {}\n", headline(d, arrow));
        if d.same {
            continue;
        }
        let _ = writeln!(out, "What changed: {}", counts(&d.changes));
        for (section, item, change, relaxation) in change_rows(&d.changes, arrow) {
            let _ = writeln!(out, "  {section:<16} {item}: {change}");
            if let Some(why) = relaxation {
                let _ = writeln!(out, "  {:<16} RELAXATION: {why}", "");
            }
        }
        let _ = writeln!(
            out,
            "\nWhat it does ({}):",
            scheduled_from(&d.effects, review.status.as_deref())
        );
        for (what, text) in effect_rows(&d.effects, arrow) {
            let _ = writeln!(out, "  {what}: {text}");
        }
        out.push('\n');
    }
    for r in &review.new_runbooks {
        let _ = writeln!(
            out,
            "{}: new, not in {}\n",
            r.display(),
            review.revision.as_deref().unwrap_or("the revision")
        );
    }
    if review.diffs.is_empty() && review.new_runbooks.is_empty() {
        out.push_str("no runbook changed\n");
    }
    out
}

fn markdown(review: &Review) -> String {
    let arrow = "→";
    let mut out = format!("{MARKER}\n");
    for d in &review.diffs {
        let _ = writeln!(
            out,
            "### {}: {}\n",
            esc(&d.new.runbook),
            esc(&headline(d, arrow))
        );
        let _ = writeln!(out, "`{}` {arrow} `{}`\n", d.old.label, d.new.label);
        if d.same {
            continue;
        }
        let relaxed: Vec<(String, String)> = change_rows(&d.changes, arrow)
            .into_iter()
            .filter_map(|(_, item, _, why)| why.map(|w| (item, w)))
            .collect();
        if !relaxed.is_empty() {
            out.push_str("**Relaxations** (a bar lowered):\n\n");
            for (item, why) in &relaxed {
                let _ = writeln!(out, "- {}: {}", esc(item), esc(why));
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "<details><summary>What changed: {}</summary>\n",
            esc(&counts(&d.changes))
        );
        out.push_str("| | item | change |\n|---|---|---|\n");
        for (section, item, change, relaxation) in change_rows(&d.changes, arrow) {
            let change = match relaxation {
                Some(why) => format!("{} **(relaxation: {})**", esc(&change), esc(&why)),
                None => esc(&change),
            };
            let _ = writeln!(out, "| {} | {} | {change} |", esc(&section), esc(&item));
        }
        out.push_str("\n</details>\n\n");
        let _ = writeln!(
            out,
            "<details><summary>What it does ({})</summary>\n",
            esc(&scheduled_from(&d.effects, review.status.as_deref()))
        );
        out.push_str("| | old → new |\n|---|---|\n");
        for (what, text) in effect_rows(&d.effects, arrow) {
            let _ = writeln!(out, "| {} | {} |", esc(what.trim()), esc(&text));
        }
        out.push_str("\n</details>\n\n");
    }
    for r in &review.new_runbooks {
        let _ = writeln!(
            out,
            "### `{}`: new runbook\n\nNot in `{}`; nothing to compare.\n",
            r.display(),
            review.revision.as_deref().unwrap_or("the revision")
        );
    }
    if review.diffs.is_empty() && review.new_runbooks.is_empty() {
        out.push_str("No runbook changed.\n");
    }
    out
}
