//! The board paper (`cutover report`): HTML (in [`super::html`]) and Markdown lay out
//! the same parts in the same order; the terminal table and JSON are the report's.

use std::fmt::Write as _;
use std::io::Write;

use super::plan::summary;
use super::report::{findings, measured, needed};
use super::table::{Style, Tone, cell, markdown_escape, table};
use super::{Format, Render, RenderError, put};
use crate::decision::Weight;
use crate::gates::severity_label;
use crate::paper::{Paper, Tagged};
use crate::time::{Elapsed, day_label, t_label};

impl Render for Paper<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        let p = self.report.plan.project;
        let extras = self.since.is_some() || self.tagged.is_some();
        match format {
            Format::Markdown => put(out, &markdown(self)),
            Format::Html => put(out, &super::html::html(self)),
            Format::Table { color, width } if extras => {
                let style = Style::Terminal { color, width };
                let mut text = super::report::report_text(&self.report, style);
                if let Some(since) = &self.since {
                    text.push('\n');
                    text.push_str(&super::since::text(p, since, style));
                }
                if let Some(tagged) = &self.tagged {
                    text.push('\n');
                    text.push_str(&tagged_text(self, tagged, style));
                }
                put(out, &text)
            }
            Format::Json if extras => super::put_json(
                out,
                &WithExtras {
                    report: super::report::json(&self.report),
                    since: self.since.as_ref().map(|s| super::since::json(p, s)),
                    tagged: self.tagged.as_ref().map(|t| JsonTagged {
                        tags: &t.tags,
                        tasks_in_runbook: t.of,
                        statement: &t.statement,
                        tasks: t
                            .tasks
                            .iter()
                            .map(|&i| super::plan::task_json(&self.report.plan, i))
                            .collect(),
                    }),
                },
            ),
            _ => self.report.render(format, out),
        }
    }
}

/// The report's JSON with `since` (`report --since`) and `tagged` (`report --tag`)
/// added.
#[derive(serde::Serialize)]
struct WithExtras<'a> {
    #[serde(flatten)]
    report: super::report::JsonReport<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<super::since::JsonSince>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tagged: Option<JsonTagged<'a>>,
}

/// `report --tag`: the tagged tasks, each as `plan --format json` lists it.
#[derive(serde::Serialize)]
struct JsonTagged<'a> {
    tags: &'a [String],
    tasks_in_runbook: usize,
    statement: &'a str,
    tasks: Vec<super::plan::JsonTask<'a>>,
}

/// `report --tag` in the terminal and Markdown: the filter in words, then the tagged
/// tasks as `plan` lists them.
fn tagged_text(paper: &Paper, tagged: &Tagged, style: Style) -> String {
    let mut o = String::new();
    match style {
        Style::Markdown => {
            let _ = writeln!(
                o,
                "## Tagged tasks\n\n{}.\n",
                markdown_escape(&tagged.statement)
            );
        }
        Style::Terminal { width, .. } => {
            let _ = writeln!(
                o,
                "{}",
                super::table::wrap(&format!("{}:", tagged.statement), width, 2)
            );
        }
    }
    o.push_str(&super::plan::task_table(
        &paper.report.plan,
        &tagged.tasks,
        style,
    ));
    o
}

fn weight_label(w: Weight) -> &'static str {
    match w {
        Weight::NoGo => "NO-GO",
        Weight::Condition => "condition",
        Weight::Note => "note",
    }
}

/// The board paper in Markdown: the HTML paper's parts, in its order.
fn markdown(paper: &Paper) -> String {
    let style = Style::Markdown;
    let report = &paper.report;
    let p = report.plan.project;
    let tz = &p.tz;
    let s = &report.plan.schedule;
    let fit = &report.plan.fit;
    let esc = |t: &str| markdown_escape(t);
    let mut o = String::new();
    let _ = writeln!(o, "# Go/no-go: {}\n", esc(&p.name));
    let _ = writeln!(
        o,
        "{}Data date {} ({}, {}) · go-live {} · times in {}\n",
        p.organisation
            .as_deref()
            .map(|org| format!("{} · ", esc(org)))
            .unwrap_or_default(),
        day_label(report.status.as_of, tz),
        t_label(report.status.as_of, s.go_live),
        esc(report.status.source.label()),
        day_label(s.go_live, tz),
        esc(&p.timezone_name)
    );
    let run = crate::status::RunInfo::of(&report.status);
    if let Some(banner) = super::board::rehearsal_banner(run.as_ref()) {
        let _ = writeln!(o, "> **{}**\n", esc(&banner));
    }
    let _ = writeln!(
        o,
        "> **Decision: {}**\n",
        super::board::decision_words(report.outcome.decision.label(), run.as_ref())
    );

    o.push_str("## Summary\n\n");
    let _ = writeln!(o, "{}\n", esc(&paper.summary));
    let actions: Vec<_> = paper
        .causes
        .iter()
        .filter(|c| c.weight != Weight::Note)
        .collect();
    if !actions.is_empty() {
        o.push_str("### What must happen to reach GO\n\n");
        let mut t = table(style, &["", "What must happen", "Owner", "By"]);
        for c in actions {
            let clear = c.clear.as_ref();
            t.add_row(vec![
                cell(style, weight_label(c.weight), Tone::Plain),
                cell(
                    style,
                    &format!("{}: {}", c.title, clear.map_or("", |c| c.needed.as_str())),
                    Tone::Plain,
                ),
                cell(
                    style,
                    clear.and_then(|c| c.owner.as_deref()).unwrap_or(""),
                    Tone::Plain,
                ),
                cell(
                    style,
                    &clear
                        .and_then(|c| c.due)
                        .map_or(String::new(), |d| day_label(d, tz)),
                    Tone::Plain,
                ),
            ]);
        }
        let _ = writeln!(o, "{t}\n");
    }

    o.push_str("## Reasons\n\n");
    if paper.causes.is_empty() {
        o.push_str("Every due criterion passes, and the plan fits.\n\n");
    } else {
        let mut t = table(style, &["Weight", "About", "Why"]);
        for c in &paper.causes {
            let mut why = c.text.clone();
            for a in &c.also {
                why.push_str("; also ");
                why.push_str(a);
            }
            if let Some(n) = &c.notes {
                why.push_str("; notes: ");
                why.push_str(n);
            }
            t.add_row(vec![
                cell(style, weight_label(c.weight), Tone::Plain),
                cell(style, &c.title, Tone::Plain),
                cell(style, &why, Tone::Plain),
            ]);
        }
        let _ = writeln!(o, "{t}\n");
    }

    o.push_str("## Plan\n\n");
    o.push_str(&summary(&report.plan, style));
    if !paper.driving.is_empty() {
        let names: Vec<String> = paper
            .driving
            .iter()
            .map(|&t| format!("{} ({})", p.tasks[t].name, p.tasks[t].id))
            .collect();
        let _ = writeln!(
            o,
            "- **Driving path ({} tasks):** {}",
            paper.driving.len(),
            esc(&names.join(" → "))
        );
        for &t in &paper.driving {
            if let Some(n) = &p.tasks[t].notes {
                let _ = writeln!(o, "  - {}: {}", esc(&p.tasks[t].name), esc(n));
            }
        }
    }
    o.push('\n');

    if !fit.points_of_no_return.is_empty() {
        o.push_str("## Points of no return\n\n");
        // A notes column when a point of no return has notes.
        let noted = fit
            .points_of_no_return
            .iter()
            .any(|point| p.tasks[point.task].notes.is_some());
        let header = [
            "Task",
            "Passed at",
            "Rollback takes",
            "Latest safe pass",
            "Margin",
            "Notes",
        ];
        let mut t = table(style, &header[..if noted { 6 } else { 5 }]);
        for point in &fit.points_of_no_return {
            let task = &p.tasks[point.task];
            let mut row = vec![
                cell(style, &format!("{} ({})", task.name, task.id), Tone::Plain),
                cell(style, &day_label(point.planned, tz), Tone::Plain),
                cell(
                    style,
                    &point
                        .rollback
                        .map_or("-".to_owned(), |r| Elapsed(r).to_string()),
                    Tone::Plain,
                ),
                cell(
                    style,
                    &point.latest.map_or("-".to_owned(), |l| day_label(l, tz)),
                    Tone::Plain,
                ),
                cell(
                    style,
                    &point
                        .margin()
                        .map_or("-".to_owned(), |m| Elapsed(m).to_string()),
                    Tone::Plain,
                ),
            ];
            if noted {
                row.push(cell(
                    style,
                    task.notes.as_deref().unwrap_or(""),
                    Tone::Plain,
                ));
            }
            t.add_row(row);
        }
        let _ = writeln!(o, "{t}\n");
    }

    o.push_str("## Readiness gates\n\n");
    let mut t = table(
        style,
        &[
            "Gate / criterion",
            "Due",
            "Severity",
            "Owner",
            "Measured",
            "Needed",
            "Result",
        ],
    );
    for g in &report.gates {
        let gate = &p.gates[g.gate];
        t.add_row(vec![
            cell(style, &format!("{} ({})", gate.name, gate.id), Tone::Plain),
            cell(
                style,
                &format!("{} ({})", day_label(g.due, tz), t_label(g.due, s.go_live)),
                Tone::Plain,
            ),
            cell(style, "", Tone::Plain),
            cell(style, gate.owner.as_deref().unwrap_or(""), Tone::Plain),
            cell(style, "", Tone::Plain),
            cell(style, "", Tone::Plain),
            cell(style, g.verdict.label(), Tone::Plain),
        ]);
        for (c, r) in gate.criteria.iter().zip(&g.criteria) {
            let owner = c.owner.as_deref().or(gate.owner.as_deref()).unwrap_or("");
            t.add_row(vec![
                cell(style, &format!("- {}", c.label), Tone::Plain),
                cell(style, "", Tone::Plain),
                cell(style, severity_label(c.severity), Tone::Plain),
                cell(style, owner, Tone::Plain),
                cell(style, &measured(p, r.measured.as_ref()), Tone::Plain),
                cell(style, &needed(p, c), Tone::Plain),
                cell(style, r.verdict.label(), Tone::Plain),
            ]);
        }
    }
    let _ = writeln!(o, "{t}\n");

    o.push_str("## Workstreams\n\n");
    let mut t = table(
        style,
        &[
            "Workstream",
            "First start",
            "Last finish",
            "Tasks",
            "Done",
            "Critical",
        ],
    );
    for l in &paper.lanes {
        t.add_row(vec![
            cell(style, &l.name, Tone::Plain),
            cell(style, &day_label(l.start, tz), Tone::Plain),
            cell(style, &day_label(l.finish, tz), Tone::Plain),
            cell(style, &l.tasks.to_string(), Tone::Plain),
            cell(style, &l.done.to_string(), Tone::Plain),
            cell(style, &l.critical.to_string(), Tone::Plain),
        ]);
    }
    let _ = writeln!(o, "{t}");
    if let Some(since) = &paper.since {
        o.push('\n');
        o.push_str(&super::since::text(p, since, style));
    }
    let f = findings(report, style);
    if !f.is_empty() {
        o.push_str("\n## Findings\n\n");
        o.push_str(&f);
    }
    if let Some(tagged) = &paper.tagged {
        o.push('\n');
        o.push_str(&tagged_text(paper, tagged, style));
    }
    o
}
