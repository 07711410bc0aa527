//! `cutover calibrate` as a terminal table, Markdown and JSON, and the estimates file
//! (`--estimates-out`) as YAML a runbook can include.

use std::fmt::Write as _;
use std::io::Write;

use super::table::{Style, Tone, cell, fit, key_values, table, wrap};
use super::{Format, Render, RenderError, put, put_json};
use crate::calibrate::{
    Calibration, Measured, Readiness, SCENARIO_ID, TaskCalibration, ThreePoint, Totals,
    distribution_label,
};
use crate::time::{Elapsed, work_label};

/// `1.38x`.
fn times(r: f64) -> String {
    format!("{r:.2}x")
}

fn tone(ratio: Option<f64>, over: bool) -> Tone {
    match ratio {
        _ if over => Tone::Bad,
        Some(r) if r > 1.0 => Tone::Warn,
        Some(_) => Tone::Good,
        None => Tone::Muted,
    }
}

/// `5h 30m (1.38x)`, with `, over` when flagged.
fn measured(t: &TaskCalibration, m: Option<Measured>) -> (String, Tone) {
    match m {
        None => ("-".to_owned(), Tone::Muted),
        Some(m) => (
            format!(
                "{} ({}{})",
                Calibration::label(t, m.actual),
                times(m.ratio),
                if m.over { ", over" } else { "" }
            ),
            tone(Some(m.ratio), m.over),
        ),
    }
}

fn three(t: &TaskCalibration, e: ThreePoint) -> String {
    format!(
        "{} / {} / {}",
        Calibration::label(t, e.best),
        Calibration::label(t, e.likely),
        Calibration::label(t, e.worst)
    )
}

/// Work summed over tasks of different calendars: hours and minutes, no days.
fn hours(minutes: i64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    match (h, m) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h {m}m"),
    }
}

fn totals(t: &Totals) -> (String, Tone) {
    if t.tasks == 0 {
        return ("-".to_owned(), Tone::Muted);
    }
    let ratio = t.ratio.map_or_else(|| "-".to_owned(), times);
    (
        format!(
            "{} -> {} ({ratio}{}), {} {}",
            hours(t.plan),
            hours(t.actual),
            if t.over { ", over" } else { "" },
            t.tasks,
            if t.tasks == 1 { "task" } else { "tasks" }
        ),
        tone(t.ratio, t.over),
    )
}

fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

fn heading(style: Style, text: &str) -> String {
    match style {
        Style::Markdown => format!("## {text}\n\n"),
        Style::Terminal { .. } => format!("{text}\n"),
    }
}

fn text(c: &Calibration, style: Style) -> String {
    let width = match style {
        Style::Terminal { width, .. } => width,
        Style::Markdown => None,
    };
    let mut out = String::new();
    let title = format!("Rehearsal calibration: {}", c.runbook);
    match style {
        Style::Markdown => {
            let _ = writeln!(out, "# {title}\n");
        }
        Style::Terminal { .. } => {
            let _ = writeln!(out, "{title}\n");
        }
    }
    let rehearsals: Vec<String> = c
        .rehearsals
        .iter()
        .map(|r| {
            format!(
                "{} ({}, as of {}{}{})",
                r.label,
                r.file,
                r.as_of.local,
                if r.label_from == "file" {
                    "; named by its file: it has no `run: { name }`"
                } else {
                    ""
                },
                if r.says_live {
                    "; the file says it is the live run"
                } else {
                    ""
                }
            )
        })
        .collect();
    let flagged = c
        .tasks
        .iter()
        .filter(|t| t.rehearsals.iter().flatten().any(|m| m.over))
        .count();
    let changed = c.tasks.iter().filter(|t| t.changed).count();
    let rows = [
        ("Rehearsals", rehearsals.join("; "), Tone::Plain),
        (
            "Durations",
            "working time on each task's calendar, counted as the scheduler counts it".to_owned(),
            Tone::Plain,
        ),
        (
            "Flagged",
            format!(
                "{flagged} of {} tasks ran over {} plan in a rehearsal (--over)",
                c.tasks.len(),
                times(c.over)
            ),
            if flagged > 0 { Tone::Bad } else { Tone::Good },
        ),
        (
            "Suggested",
            format!(
                "{changed} of {} estimates change; method in docs/calibrate.md",
                c.tasks.len()
            ),
            Tone::Plain,
        ),
    ];
    out.push_str(&key_values(style, &rows));
    out.push('\n');

    // Tasks.
    let mut header: Vec<String> = vec!["task".into(), "plan".into()];
    header.extend(c.rehearsals.iter().map(|r| r.label.clone()));
    header.extend(["plan estimate".into(), "suggested".into(), "method".into()]);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = table(style, &header);
    for task in &c.tasks {
        let mut row = vec![
            cell(style, &task.task, Tone::Plain),
            cell(style, &Calibration::label(task, task.plan), Tone::Plain),
        ];
        for m in &task.rehearsals {
            let (text, tone) = measured(task, *m);
            row.push(cell(style, &text, tone));
        }
        row.push(cell(
            style,
            &format!(
                "{}{}",
                three(task, task.plan_estimate),
                match task.plan_source {
                    crate::calibrate::PlanSource::Estimate => "",
                    crate::calibrate::PlanSource::Uncertainty => " (uncertainty)",
                }
            ),
            Tone::Plain,
        ));
        row.push(cell(
            style,
            &three(task, task.suggested),
            if task.changed {
                Tone::Warn
            } else {
                Tone::Muted
            },
        ));
        row.push(cell(
            style,
            if task.changed {
                task.method.name()
            } else {
                "unchanged"
            },
            Tone::Plain,
        ));
        t.add_row(row);
    }
    let n = c.rehearsals.len();
    let drop: Vec<usize> = vec![n + 4, n + 2];
    fit(&mut t, style, &drop);
    out.push_str(&heading(
        style,
        "Tasks measured (actual, and actual / plan)",
    ));
    let _ = writeln!(out, "{t}\n");

    // Workstreams.
    let mut header: Vec<String> = vec!["workstream".into()];
    header.extend(
        c.rehearsals
            .iter()
            .map(|r| format!("{}: plan -> actual", r.label)),
    );
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = table(style, &header);
    for w in &c.workstreams {
        let mut row = vec![cell(style, &w.name, Tone::Plain)];
        for r in &w.rehearsals {
            let (text, tone) = totals(r);
            row.push(cell(style, &text, tone));
        }
        t.add_row(row);
    }
    fit(&mut t, style, &[]);
    out.push_str(&heading(
        style,
        "Workstreams (work of the tasks measured, in hours)",
    ));
    let _ = writeln!(out, "{t}\n");

    // The window.
    if let Some(w) = &c.window {
        let mut header: Vec<String> = vec![String::new()];
        header.extend(c.rehearsals.iter().map(|r| r.label.clone()));
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = table(style, &header);
        let mut work = vec![cell(style, "work, plan -> actual", Tone::Plain)];
        let mut span = vec![cell(style, "elapsed span, plan -> actual", Tone::Plain)];
        for r in &w.rehearsals {
            let (text, work_tone) = totals(&r.work);
            work.push(cell(style, &text, work_tone));
            let (text, span_tone) = if r.work.tasks == 0 {
                ("-".to_owned(), Tone::Muted)
            } else {
                (
                    format!(
                        "{} -> {} ({}{})",
                        Elapsed(r.plan_span),
                        Elapsed(r.actual_span),
                        r.span_ratio.map_or_else(|| "-".to_owned(), times),
                        if r.span_over { ", over" } else { "" }
                    ),
                    tone(r.span_ratio, r.span_over),
                )
            };
            span.push(cell(style, &text, span_tone));
        }
        t.add_row(work);
        t.add_row(span);
        fit(&mut t, style, &[]);
        out.push_str(&heading(
            style,
            &format!(
                "Cutover window {} to {} ({} tasks planned to start in it)",
                w.opens.local, w.closes.local, w.tasks
            ),
        ));
        let _ = writeln!(out, "{t}\n");
    } else {
        out.push_str(&heading(style, "Cutover window"));
        out.push_str("The runbook has no `window:`; nothing to compare.\n\n");
    }

    if !c.unmeasured.is_empty() {
        out.push_str(&heading(style, "Not measured"));
        for u in &c.unmeasured {
            let line = format!("- {}: `{}` {}", u.rehearsal, u.task, u.why);
            let _ = writeln!(out, "{}", wrap(&line, width, 2));
        }
        out.push('\n');
    }

    if let Some(mc) = &c.monte_carlo {
        let mut t = table(style, &["readiness", "planned", "calibrated"]);
        let row = |label: &str, f: &dyn Fn(&Readiness) -> String| {
            vec![
                cell(style, label, Tone::Plain),
                cell(style, &f(&mc.planned), Tone::Plain),
                cell(style, &f(&mc.calibrated), Tone::Plain),
            ]
        };
        t.add_row(row("P50", &|r| r.p50.local.clone()));
        t.add_row(row("P80", &|r| format!("{} ({})", r.p80.local, r.p80_t)));
        t.add_row(row("P95", &|r| r.p95.local.clone()));
        t.add_row(row("ready by go-live", &|r| {
            percent(r.probability_by_go_live)
        }));
        if mc.planned.probability_by_close.is_some() {
            t.add_row(row("ready by window close", &|r| {
                r.probability_by_close
                    .map_or_else(|| "-".to_owned(), percent)
            }));
        }
        fit(&mut t, style, &[]);
        out.push_str(&heading(
            style,
            &format!(
                "Monte Carlo: {} iterations each, seed {}, {}",
                mc.iterations,
                mc.seed,
                match &mc.from {
                    Some(at) => format!(
                        "from the window's opening ({}), the work planned before it done as planned",
                        at.local
                    ),
                    None => "from the plan's start".to_owned(),
                }
            ),
        ));
        let shift = if mc.p80_shift >= 0 {
            format!("{} later", Elapsed(mc.p80_shift))
        } else {
            format!("{} earlier", Elapsed(-mc.p80_shift))
        };
        let _ = writeln!(
            out,
            "{t}\nCalibrated P80 is {shift} than planned (go-live {}).\n",
            c.go_live.local
        );
    }
    let _ = writeln!(
        out,
        "{}",
        wrap(
            &format!(
                "Write the suggested estimates with --estimates-out FILE: a scenario `{SCENARIO_ID}` \
                 to include from the runbook and compare with `cutover simulate --scenario {SCENARIO_ID}`."
            ),
            width,
            0
        )
    );
    out
}

impl Render for Calibration {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => {
                put(out, &text(self, Style::Terminal { color, width }))
            }
            Format::Markdown => put(out, &text(self, Style::Markdown)),
            Format::Json => put_json(out, self),
            _ => Err(RenderError::Unsupported {
                what: "the calibration",
                format,
            }),
        }
    }
}

/// The suggested estimates as a file a runbook can `include:` (`--estimates-out`): one
/// scenario, `calibrated`, with an `estimates:` entry per task measured.
#[derive(Debug, Clone, Copy)]
pub struct EstimatesFile<'a>(pub &'a Calibration);

/// A duration the runbook reads back as the same working minutes on any calendar:
/// hours and minutes only (a `d` would depend on the calendar's day length).
fn duration(minutes: i64) -> String {
    hours(minutes)
}

/// Text safe in a YAML comment: one line.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A task id as a YAML key: quoted when plain YAML would read it as something other
/// than a string (a number, `true`, `null`, ...).
fn key(id: &str) -> String {
    let special = matches!(
        id.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
    ) || id.parse::<f64>().is_ok()
        || id.starts_with("0x")
        || id.starts_with("0o")
        || id.contains(':');
    if special {
        format!("\"{id}\"")
    } else {
        id.to_owned()
    }
}

fn estimates_yaml(c: &Calibration) -> Result<String, RenderError> {
    let mut out = String::new();
    let labels: Vec<String> = c
        .rehearsals
        .iter()
        .map(|r| comment(&format!("{} ({})", r.label, r.file)))
        .collect();
    let _ = writeln!(
        out,
        "# Three-point estimates calibrated from dress rehearsals by `cutover calibrate`."
    );
    let _ = writeln!(out, "# Runbook: {}", comment(&c.runbook));
    let _ = writeln!(out, "# Rehearsals: {}", labels.join(", "));
    let _ = writeln!(
        out,
        "# Method (docs/calibrate.md): with one or two rehearsals the plan's estimate is widened"
    );
    let _ = writeln!(
        out,
        "# by what was seen; with three or more it is fitted to them. Durations are working time"
    );
    let _ = writeln!(out, "# on each task's calendar.");
    let _ = writeln!(out, "#");
    let _ = writeln!(
        out,
        "# Review the diff, then include this file from the runbook (`include: [FILE]`) and compare:"
    );
    let _ = writeln!(
        out,
        "#   cutover simulate RUNBOOK --scenario {SCENARIO_ID} --iterations 10000"
    );
    let _ = writeln!(
        out,
        "# The plan itself is unchanged until its tasks' `estimate:` are edited."
    );
    out.push_str("scenarios:\n");
    let _ = writeln!(out, "  - id: {SCENARIO_ID}");
    let _ = writeln!(
        out,
        "    name: {}",
        serde_json::to_string(&c.scenario_name())?
    );
    if c.tasks.is_empty() {
        out.push_str("    estimates: {}\n");
        return Ok(out);
    }
    out.push_str("    estimates:\n");
    for t in &c.tasks {
        let seen: Vec<String> = c
            .rehearsals
            .iter()
            .zip(&t.rehearsals)
            .filter_map(|(r, m)| {
                m.map(|m| {
                    format!(
                        "{} {} ({}{})",
                        r.label,
                        work_label(m.actual, t.day_minutes),
                        times(m.ratio),
                        if m.over { ", over" } else { "" }
                    )
                })
            })
            .collect();
        let p = t.plan_estimate;
        let note = format!(
            "plan {} / {} / {}{}; {}; {}",
            duration(p.best),
            duration(p.likely),
            duration(p.worst),
            match t.plan_source {
                crate::calibrate::PlanSource::Estimate => "",
                crate::calibrate::PlanSource::Uncertainty => " (duration and uncertainty)",
            },
            seen.join(", "),
            if t.changed {
                t.method.name()
            } else {
                "unchanged"
            }
        );
        let _ = writeln!(out, "      # {}", comment(&note));
        let s = t.suggested;
        let _ = writeln!(
            out,
            "      {}: {{ best: {}, likely: {}, worst: {}, distribution: {} }}",
            key(&t.task),
            duration(s.best),
            duration(s.likely),
            duration(s.worst),
            distribution_label(t.distribution)
        );
    }
    Ok(out)
}

impl Render for EstimatesFile<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Yaml => put(out, &estimates_yaml(self.0)?),
            _ => Err(RenderError::Unsupported {
                what: "the estimates file",
                format,
            }),
        }
    }
}
