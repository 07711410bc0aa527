//! `cutover simulate`: the comparison and Monte Carlo as a terminal table, Markdown
//! (with an SVG histogram) and JSON.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::plan::signed;
use super::report::{decision_tone, source_label};
use super::table::{Style, Tone, cell, markdown_escape, table};
use super::{Format, Render, RenderError, put, put_json};
use crate::montecarlo::{Bin, Driver, Forecast};
use crate::project::Project;
use crate::simulate::{Case, Comparison, Cost, EarliestGo};
use crate::time::{Elapsed, Moment, local_label, rfc3339, t_label};

/// Money as a board paper writes it: `GBP 1,234,567`.
pub fn money(project: &Project, amount: f64) -> String {
    let currency = project
        .cost_of_delay
        .as_ref()
        .map_or("GBP", |c| c.currency.as_str());
    let whole = amount.round() as i64;
    let digits = whole.abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if whole < 0 { "-" } else { "" };
    format!("{currency} {sign}{grouped}")
}

fn cost_text(project: &Project, cost: Option<Cost>) -> String {
    match cost {
        None => "-".to_owned(),
        Some(c) if c.total() == 0.0 => "0".to_owned(),
        Some(c) => money(project, c.total()),
    }
}

fn earliest_text(project: &Project, e: EarliestGo) -> String {
    match e {
        EarliestGo::At { deferral: 0, .. } => "now".to_owned(),
        EarliestGo::At { deferral, go_live } => {
            format!(
                "{} (+{})",
                local_label(go_live, &project.tz),
                Elapsed(deferral)
            )
        }
        EarliestGo::NotWithin => "none within the search".to_owned(),
    }
}

/// The search for a GO, in words: on which deferrals the decision is GO, or why no
/// deferral gives one.
fn go_search_lines(project: &Project, c: &Case) -> Vec<String> {
    let search = &c.go_search;
    let days = |(a, b): (i64, i64)| {
        if a == b {
            format!("+{a}d")
        } else {
            format!("+{a}d to +{b}d")
        }
    };
    if search.go_days.is_empty() {
        let mut out = vec![format!(
            "no deferral of 0 to {} days gives a GO; at +{}d still:",
            search.last_day, search.last_day
        )];
        for r in search.blockers.iter().take(5) {
            out.push(format!(
                "  {}: {}",
                source_label(project, &r.source),
                r.text
            ));
        }
        if search.blockers.len() > 5 {
            out.push(format!("  … and {} more", search.blockers.len() - 5));
        }
        out
    } else if search.go_days.len() > 1 || search.go_days[0].1 < search.last_day {
        vec![format!(
            "GO on deferrals of {} (days judged: 0 to {})",
            search
                .go_days
                .iter()
                .map(|&r| days(r))
                .collect::<Vec<_>>()
                .join(", "),
            search.last_day
        )]
    } else {
        Vec::new()
    }
}

fn changes(project: &Project, base: &Case, c: &Case) -> Vec<String> {
    let mut out = Vec::new();
    if c.critical_path_changed {
        let ids: Vec<&str> = c
            .critical_path
            .iter()
            .map(|&t| project.tasks[t].id.as_str())
            .collect();
        out.push(format!("critical path now: {}", ids.join(" -> ")));
    }
    for f in &c.flips {
        out.push(format!(
            "gate `{}`: {} -> {}",
            project.gates[f.gate].id,
            f.from.label(),
            f.to.label()
        ));
    }
    if let Some(r) = c.reasons.first()
        && c.decision_changed
    {
        out.push(format!(
            "decision {} -> {}: {} ({})",
            base.decision.label(),
            c.decision.label(),
            r.text,
            source_label(project, &r.source)
        ));
    }
    out
}

/// What `cutover simulate` shows: the comparison of a project's scenarios.
#[derive(Debug)]
pub struct Simulation<'a> {
    /// The runbook the scenarios are of (names, ids, time zone, currency).
    pub project: &'a Project,
    /// The baseline and each scenario, computed.
    pub comparison: Comparison,
}

impl Render for Simulation<'_> {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        let (project, cmp) = (self.project, &self.comparison);
        match format {
            Format::Table { color, width } => {
                put(out, &text(project, cmp, Style::Terminal { color, width }))
            }
            Format::Markdown => put(out, &text(project, cmp, Style::Markdown)),
            Format::Json => put_json(out, &json(project, cmp)),
            _ => Err(RenderError::Unsupported {
                what: "the scenario comparison",
                format,
            }),
        }
    }
}

/// The comparison (and Monte Carlo, if it ran) for the terminal or Markdown.
fn text(project: &Project, cmp: &Comparison, style: Style) -> String {
    let md = style == Style::Markdown;
    let tz = &project.tz;
    let mut out = String::new();
    let width = terminal_width(style);
    // A prose line for the terminal, wrapped to its width; continuation lines start
    // `indent` columns in.
    let wrap = |text: &str, indent: usize| super::table::wrap(text, width, indent);
    if md {
        let _ = writeln!(
            out,
            "# Scenarios: {}\n\nData date {}.\n",
            markdown_escape(&project.name),
            local_label(cmp.as_of, tz)
        );
    } else {
        let head = format!(
            "{}: scenarios as of {}",
            project.name,
            local_label(cmp.as_of, tz)
        );
        let _ = writeln!(out, "{}\n", wrap(&head, 2));
    }
    let mut t = table(
        style,
        &[
            "Scenario",
            "Go-live",
            "Ready",
            "Float to go-live",
            "Float to close",
            "Decision",
            "Cost of delay",
            "Earliest GO",
        ],
    );
    for c in &cmp.cases {
        t.add_row(vec![
            cell(style, &format!("{}: {}", c.id, c.name), Tone::Plain),
            cell(style, &local_label(c.go_live, tz), Tone::Plain),
            cell(
                style,
                &format!(
                    "{} ({})",
                    local_label(c.ready, tz),
                    t_label(c.ready, c.go_live)
                ),
                Tone::Plain,
            ),
            cell(
                style,
                &signed(c.float_to_go_live),
                if c.float_to_go_live < 0 {
                    Tone::Bad
                } else {
                    Tone::Plain
                },
            ),
            cell(
                style,
                &c.float_to_close.map_or("-".to_owned(), signed),
                if c.float_to_close.is_some_and(|f| f < 0) {
                    Tone::Bad
                } else {
                    Tone::Plain
                },
            ),
            cell(style, c.decision.label(), decision_tone(c.decision)),
            cell(style, &cost_text(project, c.cost), Tone::Plain),
            cell(style, &earliest_text(project, c.earliest_go), Tone::Plain),
        ]);
    }
    let _ = writeln!(out, "{t}");
    let base = &cmp.cases[0];
    for c in &cmp.cases {
        let lines = go_search_lines(project, c);
        if lines.is_empty() {
            continue;
        }
        let head = format!("{}: earliest GO", c.id);
        if md {
            let _ = writeln!(out, "\n**{}**\n", markdown_escape(&head));
            for l in lines {
                let _ = writeln!(out, "- {}", markdown_escape(l.trim_start()));
            }
        } else {
            let _ = writeln!(out, "\n{}:", wrap(&head, 2));
            for l in lines {
                let line = format!("  {l}");
                let indent = line.len() - line.trim_start().len() + 2;
                let _ = writeln!(out, "{}", wrap(&line, indent));
            }
        }
    }
    for c in &cmp.cases[1..] {
        let mut list: Vec<String> = c.warnings.iter().map(|w| format!("warning: {w}")).collect();
        list.extend(changes(project, base, c));
        let head = format!("{} against the baseline", c.id);
        if md {
            let _ = writeln!(out, "\n**{}**\n", markdown_escape(&head));
        } else {
            let _ = writeln!(out, "\n{}:", wrap(&head, 2));
        }
        if list.is_empty() {
            out.push_str(if md {
                "- no change to the critical path, gates or decision\n"
            } else {
                "  no change to the critical path, gates or decision\n"
            });
        }
        for line in list {
            if md {
                let _ = writeln!(out, "- {}", markdown_escape(&line));
            } else {
                let _ = writeln!(out, "{}", wrap(&format!("  - {line}"), 4));
            }
        }
    }
    if cmp.cases.iter().any(|c| c.forecast.is_some()) {
        out.push_str(&monte_carlo_text(project, cmp, style));
    }
    out
}

fn monte_carlo_text(project: &Project, cmp: &Comparison, style: Style) -> String {
    let md = style == Style::Markdown;
    let tz = &project.tz;
    let mut out = String::new();
    let first = cmp.cases.iter().find_map(|c| c.forecast.as_ref());
    if let Some(mc) = first {
        let head = format!(
            "Monte Carlo: {} iterations, seed {}",
            mc.iterations, mc.seed
        );
        if md {
            let _ = writeln!(out, "\n## {head}\n");
        } else {
            let _ = writeln!(out, "\n{head}");
        }
    }
    let mut t = table(
        style,
        &[
            "Scenario",
            "P10 ready",
            "P50 ready",
            "P80 ready",
            "P95 ready",
            "P(by go-live)",
            "P(by window close)",
        ],
    );
    for c in &cmp.cases {
        let Some(mc) = &c.forecast else { continue };
        let pct = |p: f64| format!("{:.1}%", 100.0 * p);
        let by_go_live = mc.probability_by_go_live;
        t.add_row(vec![
            cell(style, &c.id, Tone::Plain),
            cell(style, &local_label(mc.p10, tz), Tone::Plain),
            cell(style, &local_label(mc.p50, tz), Tone::Plain),
            cell(style, &local_label(mc.p80, tz), Tone::Plain),
            cell(style, &local_label(mc.p95, tz), Tone::Plain),
            cell(
                style,
                &pct(by_go_live),
                if by_go_live >= 0.8 {
                    Tone::Good
                } else if by_go_live >= 0.5 {
                    Tone::Warn
                } else {
                    Tone::Bad
                },
            ),
            cell(
                style,
                &mc.probability_by_close.map_or("-".to_owned(), pct),
                Tone::Plain,
            ),
        ]);
    }
    let _ = writeln!(out, "{t}");
    for c in &cmp.cases {
        let Some(mc) = &c.forecast else { continue };
        let drivers = mc.drivers.iter().take(8);
        if md {
            let _ = writeln!(
                out,
                "\n### {}: readiness\n\n{}",
                markdown_escape(&c.id),
                histogram_svg(project, mc)
            );
            out.push_str(
                "\n| Risk driver | Criticality index | Duration range |\n|---|---:|---:|\n",
            );
            for d in drivers {
                let _ = writeln!(
                    out,
                    "| {} | {:.1}% | {} |",
                    markdown_escape(&project.tasks[d.task].id),
                    100.0 * d.criticality,
                    range_text(project, d)
                );
            }
        } else {
            let width = terminal_width(style);
            let wrap = |text: &str, indent: usize| super::table::wrap(text, width, indent);
            let _ = writeln!(
                out,
                "\n{}",
                wrap(&format!("{}: when the plan is ready", c.id), 2)
            );
            out.push_str(&histogram_text(project, mc, width));
            let head = "  Risk drivers (criticality index: share of iterations on the driving chain; range of durations):";
            let _ = writeln!(out, "{}", wrap(head, 4));
            for d in drivers {
                let row = format!(
                    "    {:>5.1}%  {:<10} {}",
                    100.0 * d.criticality,
                    range_text(project, d),
                    project.tasks[d.task].id
                );
                let _ = writeln!(out, "{}", wrap(&row, 23));
            }
        }
    }
    out
}

fn range_text(project: &Project, d: &Driver) -> String {
    let day = project.calendar_of(d.task).day_minutes;
    super::plan::work(d.range, day)
}

fn marker(bin: &Bin) -> &'static str {
    if bin.has_go_live {
        " <- go-live"
    } else if bin.has_close {
        " <- window closes"
    } else {
        ""
    }
}

/// The terminal's width, when the output is for a terminal that has one.
fn terminal_width(style: Style) -> Option<u16> {
    match style {
        Style::Terminal { width, .. } => width,
        Style::Markdown => None,
    }
}

/// A text histogram of readiness, with go-live marked: bars of up to 40 characters,
/// fewer when a terminal of `width` columns has no room for them beside the labels.
fn histogram_text(project: &Project, mc: &Forecast, width: Option<u16>) -> String {
    // "  2027-06-13 07:00 123456 " before the bar, " <- window closes" after it.
    const LABELS: usize = 26 + 17;
    let longest = width.map_or(40, |w| usize::from(w).saturating_sub(LABELS).clamp(10, 40));
    let max = mc
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(1)
        .max(1);
    let mut out = String::new();
    for bin in &mc.histogram {
        let bar = "#".repeat((bin.count * longest).div_ceil(max));
        let _ = writeln!(
            out,
            "  {} {:>6} {bar}{}",
            local_label(bin.from, &project.tz),
            bin.count,
            marker(bin)
        );
    }
    out
}

/// An SVG histogram of readiness with go-live and the window's close as lines.
fn histogram_svg(project: &Project, mc: &Forecast) -> String {
    let bins = &mc.histogram;
    let Some(first) = bins.first() else {
        return String::new();
    };
    let max = bins.iter().map(|b| b.count).max().unwrap_or(1).max(1) as f64;
    let (w, h, left, bottom) = (640.0, 200.0, 40.0, 30.0);
    let lo = first.from.0;
    let hi = mc.latest.0.max(lo + 1);
    let (lo_all, hi_all) = (
        lo.min(mc.go_live.0),
        hi.max(mc.go_live.0).max(mc.closes.map_or(hi, |c| c.0)),
    );
    let span = (hi_all - lo_all).max(1) as f64;
    let x = |m: i64| left + (m - lo_all) as f64 / span * (w - left - 10.0);
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"Histogram of when the plan is ready\">\n"
    );
    let bin_w = (hi - lo) as f64 / bins.len() as f64;
    for &Bin { from, count, .. } in bins {
        let (x0, x1) = (x(from.0), x(from.0 + bin_w.ceil() as i64));
        let bh = count as f64 / max * (h - bottom - 10.0);
        let _ = writeln!(
            o,
            "<rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bh:.1}\" fill=\"#3d6fb6\"><title>{}: {count}</title></rect>",
            h - bottom - bh,
            (x1 - x0 - 1.0).max(1.0),
            local_label(from, &project.tz)
        );
    }
    let mut line = |m: Moment, colour: &str, label: &str| {
        let mx = x(m.0);
        let _ = writeln!(
            o,
            "<line x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"5\" y2=\"{:.1}\" stroke=\"{colour}\" stroke-dasharray=\"4 2\"/><text x=\"{:.1}\" y=\"14\" font-size=\"10\" fill=\"{colour}\">{label}</text>",
            h - bottom,
            mx + 3.0
        );
    };
    line(mc.go_live, "#b3261e", "go-live");
    if let Some(c) = mc.closes
        && c != mc.go_live
    {
        line(c, "#b86e00", "window closes");
    }
    let _ = writeln!(
        o,
        "<text x=\"{left}\" y=\"{:.1}\" font-size=\"10\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>",
        h - 10.0,
        local_label(Moment(lo_all), &project.tz),
        w - 10.0,
        h - 10.0,
        local_label(Moment(hi_all), &project.tz)
    );
    o.push_str("</svg>\n");
    o
}

#[derive(Serialize)]
struct JsonComparison<'a> {
    format: u32,
    runbook: &'a str,
    data_date: String,
    cases: Vec<JsonCase<'a>>,
}

#[derive(Serialize)]
struct JsonCase<'a> {
    id: &'a str,
    name: &'a str,
    deferral_minutes: i64,
    go_live: String,
    ready: String,
    float_to_go_live_minutes: i64,
    float_to_window_close_minutes: Option<i64>,
    critical_path: Vec<&'a str>,
    decision: &'static str,
    reasons: Vec<String>,
    gates_flipped: Vec<JsonFlip<'a>>,
    cost_of_delay: Option<JsonCost>,
    earliest_go: Option<String>,
    earliest_go_deferral_minutes: Option<i64>,
    go_days: Vec<JsonDays>,
    days_searched: i64,
    no_go_because: Vec<JsonBlocker<'a>>,
    warnings: &'a [String],
    monte_carlo: Option<JsonMonteCarlo<'a>>,
}

#[derive(Serialize)]
struct JsonDays {
    from_days: i64,
    to_days: i64,
}

#[derive(Serialize)]
struct JsonBlocker<'a> {
    weight: &'static str,
    source: String,
    text: &'a str,
}

#[derive(Serialize)]
struct JsonFlip<'a> {
    gate: &'a str,
    from: &'static str,
    to: &'static str,
}

#[derive(Serialize)]
struct JsonCost {
    programme: f64,
    benefits_forgone: f64,
    total: f64,
    currency: String,
}

#[derive(Serialize)]
struct JsonMonteCarlo<'a> {
    iterations: usize,
    seed: u64,
    p10: String,
    p50: String,
    p80: String,
    p95: String,
    mean: String,
    probability_by_go_live: f64,
    probability_by_window_close: Option<f64>,
    histogram: Vec<JsonBin>,
    drivers: Vec<JsonDriver<'a>>,
}

#[derive(Serialize)]
struct JsonBin {
    from: String,
    count: usize,
}

#[derive(Serialize)]
struct JsonDriver<'a> {
    task: &'a str,
    criticality: f64,
    range_minutes: i64,
}

/// `cutover simulate --format json` (docs/json.md).
fn json<'a>(project: &'a Project, cmp: &'a Comparison) -> JsonComparison<'a> {
    let tz = &project.tz;
    JsonComparison {
        format: 1,
        runbook: &project.name,
        data_date: rfc3339(cmp.as_of, tz),
        cases: cmp
            .cases
            .iter()
            .map(|c| JsonCase {
                id: &c.id,
                name: &c.name,
                deferral_minutes: c.deferral,
                go_live: rfc3339(c.go_live, tz),
                ready: rfc3339(c.ready, tz),
                float_to_go_live_minutes: c.float_to_go_live,
                float_to_window_close_minutes: c.float_to_close,
                critical_path: c
                    .critical_path
                    .iter()
                    .map(|&t| project.tasks[t].id.as_str())
                    .collect(),
                decision: c.decision.label(),
                reasons: c.reasons.iter().map(|r| r.text.clone()).collect(),
                gates_flipped: c
                    .flips
                    .iter()
                    .map(|f| JsonFlip {
                        gate: &project.gates[f.gate].id,
                        from: f.from.label(),
                        to: f.to.label(),
                    })
                    .collect(),
                cost_of_delay: c.cost.map(|cost| JsonCost {
                    programme: cost.programme.round(),
                    benefits_forgone: cost.benefits.round(),
                    total: cost.total().round(),
                    currency: project
                        .cost_of_delay
                        .as_ref()
                        .map_or("GBP".to_owned(), |m| m.currency.clone()),
                }),
                earliest_go: match c.earliest_go {
                    EarliestGo::At { go_live, .. } => Some(rfc3339(go_live, tz)),
                    EarliestGo::NotWithin => None,
                },
                earliest_go_deferral_minutes: match c.earliest_go {
                    EarliestGo::At { deferral, .. } => Some(deferral),
                    EarliestGo::NotWithin => None,
                },
                go_days: c
                    .go_search
                    .go_days
                    .iter()
                    .map(|&(from_days, to_days)| JsonDays { from_days, to_days })
                    .collect(),
                days_searched: c.go_search.last_day,
                no_go_because: c
                    .go_search
                    .blockers
                    .iter()
                    .map(|r| JsonBlocker {
                        weight: match r.weight {
                            crate::decision::Weight::NoGo => "no_go",
                            crate::decision::Weight::Condition => "condition",
                            crate::decision::Weight::Note => "note",
                        },
                        source: source_label(project, &r.source),
                        text: &r.text,
                    })
                    .collect(),
                warnings: &c.warnings,
                monte_carlo: c.forecast.as_ref().map(|mc| JsonMonteCarlo {
                    iterations: mc.iterations,
                    seed: mc.seed,
                    p10: rfc3339(mc.p10, tz),
                    p50: rfc3339(mc.p50, tz),
                    p80: rfc3339(mc.p80, tz),
                    p95: rfc3339(mc.p95, tz),
                    mean: rfc3339(mc.mean, tz),
                    probability_by_go_live: mc.probability_by_go_live,
                    probability_by_window_close: mc.probability_by_close,
                    histogram: mc
                        .histogram
                        .iter()
                        .map(|b| JsonBin {
                            from: rfc3339(b.from, tz),
                            count: b.count,
                        })
                        .collect(),
                    drivers: mc
                        .drivers
                        .iter()
                        .map(|d| JsonDriver {
                            task: &project.tasks[d.task].id,
                            criticality: d.criticality,
                            range_minutes: d.range,
                        })
                        .collect(),
                }),
            })
            .collect(),
    }
}
