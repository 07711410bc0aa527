//! `cutover runsheet`: the printed sheet as HTML (A4 landscape, a page per day, the
//! header row repeated on each page), Markdown, CSV (local date-times and decimal hours,
//! formula text neutralised, as `plan --format csv`) and JSON.

use std::fmt::Write as _;
use std::io::Write;

use html_escape::encode_text;

use super::predecessors::{Lags, LinkText, predecessor_text};
use super::table::{Style, Tone, cell, markdown_escape, table};
use super::{Format, Render, RenderError, put, put_json};
use crate::runsheet::{Deadline, Entry, PointOfNoReturn, Row, Runsheet};

impl Render for Runsheet {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Markdown => put(out, &markdown(self)),
            Format::Html => put(out, &html(self)),
            Format::Csv => csv(self, out),
            Format::Json => put_json(out, self),
            _ => Err(RenderError::Unsupported {
                what: "the runsheet",
                format,
            }),
        }
    }
}

// ---- Words every format shares ----

/// The predecessors by name: `Freeze the legacy PAS; Final backup SS+1h`.
fn after(r: &Row) -> String {
    let day = r.predecessors.first().map_or(1, |p| p.day_minutes);
    let links = r.predecessors.iter().map(|p| LinkText {
        task: &p.name,
        link: p.link,
        lag_minutes: p.lag_minutes,
        elapsed: p.lag_elapsed,
    });
    predecessor_text(links, Lags::Working { day })
}

/// What the sheet covers, and every default and filter that decides it.
fn header_lines(s: &Runsheet) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    let from = if s.from_given {
        "--from"
    } else {
        "the cutover window opens"
    };
    let to = if s.to_given {
        "--to"
    } else {
        "the window closes"
    };
    let change = if s.from_given && s.to_given {
        ""
    } else {
        "; --from and --to change it"
    };
    lines.push((
        "Covers",
        format!(
            "{} ({from}) to {} ({to}){change}",
            s.labels.from, s.labels.to
        ),
    ));
    let mut filters = Vec::new();
    if !s.workstreams.is_empty() {
        filters.push(format!("workstream {}", s.workstreams.join(" or ")));
    }
    if !s.owners.is_empty() {
        filters.push(format!("owner containing {}", s.owners.join(" or ")));
    }
    if !s.tags.is_empty() {
        filters.push(format!("tagged {}", s.tags.join(" or ")));
    }
    let filtered = if filters.is_empty() {
        "every workstream, owner and tag".to_owned()
    } else {
        format!("only {}", filters.join("; "))
    };
    lines.push((
        "Tasks",
        format!(
            "{} of the runbook's {}: those that run in this span, {filtered}, in time order",
            s.task_count, s.runbook_tasks
        ),
    ));
    lines.push((
        "Times",
        format!(
            "{}; T-minus to go-live (T-0) {}",
            s.timezone, s.labels.go_live
        ),
    ));
    lines.push((
        "Plan",
        match (&s.labels.data_date, s.data_date_source) {
            (Some(d), Some(source)) => format!(
                "as of {d} ({source}): started and finished tasks show their actual times and ticked boxes"
            ),
            (Some(d), None) => format!("as of {d}"),
            _ => "the baseline plan (no status file or --as-of): every time is planned".to_owned(),
        },
    ));
    lines.push((
        "Marks",
        "POINT OF NO RETURN on a task that cannot be undone once done; ROLLBACK DEADLINE at the last \
         moment to pass it with time left to roll back by the window's close (or go-live)"
            .to_owned(),
    ));
    lines
}

/// A point of no return on its task: rollback and deadline.
fn point_words(p: &PointOfNoReturn) -> String {
    let mut text = "Point of no return".to_owned();
    match (&p.rollback_label, &p.latest_label, &p.margin_label) {
        (Some(r), Some(l), Some(m)) => {
            let _ = write!(
                text,
                ": rollback takes {r}; pass it by {l} at the latest (margin {m})"
            );
            if p.margin_minutes.is_some_and(|m| m < 0) {
                text.push_str(": TOO LATE TO ROLL BACK as planned");
            }
        }
        _ => text.push_str(": no rollback time in the runbook"),
    }
    text
}

/// A rollback deadline in words (its task is named beside it).
fn deadline_words(d: &Deadline) -> String {
    let p = &d.point_of_no_return;
    format!(
        "The last safe moment to pass this point of no return: passed later, a rollback{} would not end by the window's close (or go-live). Decide by now: go on, or roll back.",
        p.rollback_label
            .as_deref()
            .map_or(String::new(), |r| format!(" ({r})")),
    )
}

fn instructions(r: &Row) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(p) = &r.point_of_no_return {
        lines.push(point_words(p));
    }
    if let Some(n) = &r.notes {
        lines.push(n.clone());
    }
    lines
}

/// The duration, or `milestone` for a task of no length.
fn duration(r: &Row) -> &str {
    if r.milestone {
        "milestone"
    } else {
        &r.duration
    }
}

fn owner_and_workstream(r: &Row) -> (String, String) {
    (
        r.owner.clone().unwrap_or_default(),
        r.workstream_name
            .clone()
            .or_else(|| r.workstream.clone())
            .unwrap_or_default(),
    )
}

const BOX: &str = "☐";
const TICKED: &str = "☑";

// ---- Markdown ----

fn markdown(s: &Runsheet) -> String {
    let style = Style::Markdown;
    let esc = |t: &str| markdown_escape(t);
    let mut o = String::new();
    let _ = writeln!(o, "# Runsheet: {}\n", esc(&s.runbook));
    if let Some(org) = &s.organisation {
        let _ = writeln!(o, "{}\n", esc(org));
    }
    for (k, v) in header_lines(s) {
        let _ = writeln!(o, "- **{k}:** {}", esc(&v));
    }
    o.push('\n');
    if !s.points_of_no_return.is_empty() {
        o.push_str("## Points of no return\n\n");
        let mut t = table(
            style,
            &[
                "Task",
                "Passed at",
                "Rollback takes",
                "Rollback deadline",
                "Margin",
            ],
        );
        for p in &s.points_of_no_return {
            t.add_row(vec![
                cell(style, &format!("{} ({})", p.name, p.id), Tone::Plain),
                cell(style, &p.passed_label, Tone::Plain),
                cell(
                    style,
                    p.rollback_label.as_deref().unwrap_or("-"),
                    Tone::Plain,
                ),
                cell(style, p.latest_label.as_deref().unwrap_or("-"), Tone::Plain),
                cell(style, p.margin_label.as_deref().unwrap_or("-"), Tone::Plain),
            ]);
        }
        let _ = writeln!(o, "{t}\n");
    }
    if s.days.is_empty() {
        o.push_str("No task runs in this span.\n");
    }
    for day in &s.days {
        let _ = writeln!(o, "## {}\n", esc(&day.label));
        let mut t = table(
            style,
            &[
                "Started",
                "Done",
                "Start",
                "Finish",
                "T-minus",
                "Task",
                "Owner",
                "Workstream",
                "After",
                "Duration",
                "Instructions",
                "Actual start / finish",
            ],
        );
        for entry in &day.entries {
            let cells: Vec<String> = match entry {
                Entry::Task(r) => {
                    let (owner, ws) = owner_and_workstream(r);
                    let marks = match (&r.point_of_no_return, r.critical) {
                        (Some(_), _) => "**POINT OF NO RETURN** ",
                        (None, true) => "(critical) ",
                        (None, false) => "",
                    };
                    vec![
                        (if r.started { TICKED } else { BOX }).to_owned(),
                        (if r.done { TICKED } else { BOX }).to_owned(),
                        esc(&r.start_label),
                        esc(&r.finish_label),
                        r.t_minus.to_string(),
                        format!("{marks}{} ({})", esc(&r.name), esc(&r.id)),
                        esc(&owner),
                        esc(&ws),
                        esc(&after(r)),
                        esc(duration(r)),
                        instructions(r)
                            .iter()
                            .map(|l| esc(l))
                            .collect::<Vec<_>>()
                            .join("<br>"),
                        String::new(),
                    ]
                }
                Entry::RollbackDeadline(d) => vec![
                    String::new(),
                    String::new(),
                    esc(&d.label),
                    String::new(),
                    d.t_minus.to_string(),
                    format!(
                        "**ROLLBACK DEADLINE** {} ({})",
                        esc(&d.point_of_no_return.name),
                        esc(&d.point_of_no_return.id)
                    ),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    esc(&deadline_words(d)),
                    String::new(),
                ],
            };
            // Already escaped (with the bold marks and line breaks kept).
            t.add_row(cells);
        }
        let _ = writeln!(o, "{t}\n");
    }
    o
}

// ---- CSV ----

/// The columns of `cutover runsheet --format csv` (docs/runsheet.md).
const CSV_COLUMNS: [&str; 24] = [
    "date",
    "kind",
    "start",
    "finish",
    "time_zone",
    "t_minus_start",
    "id",
    "name",
    "workstream",
    "owner",
    "predecessors",
    "duration_hours",
    "duration_minutes",
    "instructions",
    "point_of_no_return",
    "rollback_hours",
    "rollback_deadline",
    "critical",
    "state",
    "started",
    "done",
    "actual_start",
    "actual_finish",
    "tags",
];

fn csv(s: &Runsheet, out: &mut dyn Write) -> Result<(), RenderError> {
    use super::export::neutralise;
    use super::plan::hours;
    let yes = |b: bool| if b { "yes" } else { "" }.to_owned();
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_COLUMNS)?;
    for day in &s.days {
        for entry in &day.entries {
            let record: [String; 24] = match entry {
                Entry::Task(r) => {
                    let p = r.point_of_no_return.as_ref();
                    [
                        day.date.clone(),
                        "task".to_owned(),
                        r.start.local.clone(),
                        r.finish.local.clone(),
                        s.timezone.clone(),
                        r.t_minus.to_string(),
                        neutralise(&r.id),
                        neutralise(&r.name),
                        neutralise(r.workstream.as_deref().unwrap_or("")),
                        neutralise(r.owner.as_deref().unwrap_or("")),
                        neutralise(&after(r)),
                        hours(r.duration_minutes),
                        r.duration_minutes.to_string(),
                        neutralise(r.notes.as_deref().unwrap_or("")),
                        yes(p.is_some()),
                        p.and_then(|p| p.rollback_minutes)
                            .map(hours)
                            .unwrap_or_default(),
                        p.and_then(|p| p.latest.as_ref())
                            .map(|l| l.local.clone())
                            .unwrap_or_default(),
                        yes(r.critical),
                        r.state.to_owned(),
                        yes(r.started),
                        yes(r.done),
                        String::new(),
                        String::new(),
                        neutralise(&r.tags.join(" ")),
                    ]
                }
                Entry::RollbackDeadline(d) => {
                    let p = &d.point_of_no_return;
                    [
                        day.date.clone(),
                        "rollback_deadline".to_owned(),
                        d.at.local.clone(),
                        String::new(),
                        s.timezone.clone(),
                        d.t_minus.to_string(),
                        neutralise(&p.id),
                        neutralise(&p.name),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        neutralise(&deadline_words(d)),
                        String::new(),
                        p.rollback_minutes.map(hours).unwrap_or_default(),
                        d.at.local.clone(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]
                }
            };
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}

// ---- HTML ----

const CSS: &str = r#"
@page { size: A4 landscape; margin: 10mm; }
body { font: 8.5pt/1.3 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1d2430; margin: 0 auto; max-width: 1100px; padding: 16px; }
h1 { font-size: 15pt; margin: 0 0 2px; }
h2 { font-size: 11pt; margin: 10px 0 4px; border-bottom: 1px solid #ccd; padding-bottom: 2px; break-after: avoid; page-break-after: avoid; }
.meta { color: #556; margin: 0 0 6px; }
ul.defaults { margin: 0 0 6px; padding-left: 16px; color: #334; }
ul.defaults li { margin: 1px 0; }
section.day + section.day { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin: 4px 0; page-break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #c9ced6; padding: 2px 4px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-size: 8pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
table.sheet { table-layout: fixed; }
td.box { text-align: center; }
.box span { display: inline-block; width: 11px; height: 11px; border: 1.3px solid #1d2430; border-radius: 2px; line-height: 11px; font-size: 10px; text-align: center; }
td.when { white-space: nowrap; }
td.when .date { color: #556; font-size: 7pt; }
td.when strong { font-size: 9.5pt; }
td.t { color: #445; }
td.dur { white-space: nowrap; }
.id { color: #667; font-size: 7.5pt; font-family: ui-monospace, Menlo, Consolas, monospace; }
.ws { color: #556; font-size: 7.5pt; }
.mark { display: inline-block; font-weight: 700; font-size: 7.5pt; padding: 0 4px; border-radius: 2px; color: #fff; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.mark.ponr { background: #b3261e; }
.mark.deadline { background: #b86e00; }
.mark.critical { background: #fff; color: #b3261e; border: 1px solid #b3261e; }
tr.ponr td { border-top: 2px solid #b3261e; border-bottom: 2px solid #b3261e; }
tr.deadline td { background: #fff4e0; border-top: 2px solid #b86e00; border-bottom: 2px solid #b86e00; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
tr.done td { color: #667; }
.note { margin: 0; }
.note + .note { margin-top: 2px; }
.warn { color: #b3261e; font-weight: 600; }
footer { color: #889; font-size: 7.5pt; margin-top: 10px; }
@media print { body { padding: 0; max-width: none; } }
"#;

fn esc(t: &str) -> String {
    encode_text(t).into_owned()
}

/// `Fri 11 Jun 2027 19:00` as the date over the time, the time in bold.
fn when(label: &str) -> String {
    match label.rsplit_once(' ') {
        Some((date, time)) => format!(
            "<span class=\"date\">{}</span><br><strong>{}</strong>",
            esc(date),
            esc(time)
        ),
        None => esc(label),
    }
}

fn tick(on: bool) -> &'static str {
    if on {
        "<td class=\"box\"><span>&#10003;</span></td>"
    } else {
        "<td class=\"box\"><span></span></td>"
    }
}

fn html(s: &Runsheet) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Runsheet: {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&s.runbook)
    );
    let _ = writeln!(o, "<h1>Runsheet: {}</h1>", esc(&s.runbook));
    if let Some(org) = &s.organisation {
        let _ = writeln!(o, "<p class=\"meta\">{}</p>", esc(org));
    }
    o.push_str("<ul class=\"defaults\">\n");
    for (k, v) in header_lines(s) {
        let _ = writeln!(o, "<li><strong>{k}:</strong> {}</li>", esc(&v));
    }
    o.push_str("</ul>\n");
    if !s.points_of_no_return.is_empty() {
        o.push_str(
            "<h2>Points of no return</h2>\n<table>\n<thead><tr><th>Task</th><th>Passed at</th>\
             <th>Rollback takes</th><th>Rollback deadline</th><th>Margin</th></tr></thead>\n<tbody>\n",
        );
        for p in &s.points_of_no_return {
            let late = p.margin_minutes.is_some_and(|m| m < 0);
            let _ = writeln!(
                o,
                "<tr><td>{} <span class=\"id\">{}</span></td><td class=\"when\">{}</td><td class=\"when\">{}</td>\
                 <td class=\"when\">{}</td><td class=\"when{}\">{}</td></tr>",
                esc(&p.name),
                esc(&p.id),
                esc(&p.passed_label),
                esc(p.rollback_label.as_deref().unwrap_or("-")),
                esc(p.latest_label.as_deref().unwrap_or("-")),
                if late { " warn" } else { "" },
                esc(p.margin_label.as_deref().unwrap_or("-")),
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    if s.days.is_empty() {
        o.push_str("<p>No task runs in this span.</p>\n");
    }
    for day in &s.days {
        let _ = writeln!(o, "<section class=\"day\">\n<h2>{}</h2>", esc(&day.label));
        o.push_str(
            "<table class=\"sheet\">\n<colgroup><col style=\"width:5%\"><col style=\"width:4.5%\">\
             <col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:6%\">\
             <col style=\"width:18%\"><col style=\"width:10%\"><col style=\"width:13%\">\
             <col style=\"width:5.5%\"><col style=\"width:14%\"><col style=\"width:8%\"></colgroup>\n\
             <thead><tr><th>Started</th><th>Done</th><th>Start</th><th>Finish</th>\
             <th>T-minus</th><th>Task</th><th>Owner</th><th>After</th><th>Duration</th>\
             <th>Instructions</th><th>Actual start / finish</th></tr></thead>\n<tbody>\n",
        );
        for entry in &day.entries {
            match entry {
                Entry::Task(r) => html_row(&mut o, r),
                Entry::RollbackDeadline(d) => {
                    let _ = writeln!(
                        o,
                        "<tr class=\"deadline\"><td></td><td></td><td class=\"when\">{}</td><td></td>\
                         <td class=\"t\">{}</td><td><span class=\"mark deadline\">ROLLBACK DEADLINE</span> {} \
                         <span class=\"id\">{}</span></td><td></td><td></td><td></td><td><p class=\"note\">{}</p></td>\
                         <td class=\"actual\"></td></tr>",
                        when(&d.label),
                        d.t_minus,
                        esc(&d.point_of_no_return.name),
                        esc(&d.point_of_no_return.id),
                        esc(&deadline_words(d)),
                    );
                }
            }
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }
    let _ = writeln!(
        o,
        "<footer>cutover runsheet &middot; {} tasks &middot; times in {}</footer>\n</body>\n</html>",
        s.task_count,
        esc(&s.timezone)
    );
    o
}

fn html_row(o: &mut String, r: &Row) {
    let (owner, ws) = owner_and_workstream(r);
    let mut classes = Vec::new();
    if r.point_of_no_return.is_some() {
        classes.push("ponr");
    }
    if r.done {
        classes.push("done");
    }
    let class = if classes.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", classes.join(" "))
    };
    let mark = match (&r.point_of_no_return, r.critical) {
        (Some(_), _) => "<span class=\"mark ponr\">POINT OF NO RETURN</span> ",
        (None, true) => "<span class=\"mark critical\">critical</span> ",
        (None, false) => "",
    };
    let mut notes = String::new();
    for (i, l) in instructions(r).iter().enumerate() {
        let warn = i == 0 && r.point_of_no_return.is_some();
        let _ = write!(
            notes,
            "<p class=\"note{}\">{}</p>",
            if warn { " warn" } else { "" },
            esc(l).replace('\n', "<br>")
        );
    }
    let _ = writeln!(
        o,
        "<tr{class}>{}{}<td class=\"when\">{}</td><td class=\"when\">{}</td><td class=\"t\">{}</td>\
         <td>{mark}{} <span class=\"id\">{}</span></td><td>{}<br><span class=\"ws\">{}</span></td>\
         <td>{}</td><td class=\"dur\">{}</td><td>{notes}</td><td class=\"actual\"></td></tr>",
        tick(r.started),
        tick(r.done),
        when(&r.start_label),
        when(&r.finish_label),
        r.t_minus,
        esc(&r.name),
        esc(&r.id),
        esc(&owner),
        esc(&ws),
        esc(&after(r)),
        esc(duration(r)),
    );
}
