//! `cutover log show` as a terminal table, Markdown, CSV and JSON.

use std::io::Write;

use super::table::{Style, Tone, cell, table};
use super::{Format, Render, RenderError, put, put_json};
use crate::eventlog::LogView;

fn text(view: &LogView, style: Style) -> String {
    let mut t = table(
        style,
        &[
            "#", "at", "recorded", "by", "event", "about", "detail", "state",
        ],
    );
    for e in &view.events {
        let tone = match e.state {
            "counts" => Tone::Plain,
            _ => Tone::Muted,
        };
        let state = match e.voided_by {
            Some(n) => format!("void (#{n})"),
            None => e.state.to_owned(),
        };
        t.add_row(vec![
            cell(style, &e.seq.to_string(), Tone::Plain),
            cell(style, &e.at_local, Tone::Plain),
            cell(style, &e.recorded_local, Tone::Muted),
            cell(style, &e.by, Tone::Plain),
            cell(style, e.kind, Tone::Plain),
            cell(style, &e.subject, Tone::Plain),
            cell(style, &e.detail, Tone::Plain),
            cell(style, &state, tone),
        ]);
    }
    let count = match view.events.len() {
        1 => "1 event".to_owned(),
        n => format!("{n} events"),
    };
    format!("Event log {} ({count})\n{t}\n", view.log.display())
}

fn csv(view: &LogView, out: &mut dyn Write) -> Result<(), RenderError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "seq",
        "at",
        "recorded_at",
        "by",
        "kind",
        "subject",
        "detail",
        "state",
        "voided_by",
    ])?;
    for e in &view.events {
        w.write_record([
            e.seq.to_string().as_str(),
            &e.at,
            &e.recorded_at,
            &e.by,
            e.kind,
            &e.subject,
            &e.detail,
            e.state,
            &e.voided_by.map_or(String::new(), |n| n.to_string()),
        ])?;
    }
    w.flush()?;
    Ok(())
}

impl Render for LogView {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Table { color, width } => {
                put(out, &text(self, Style::Terminal { color, width }))
            }
            Format::Markdown => put(out, &text(self, Style::Markdown)),
            Format::Json => put_json(out, self),
            Format::Csv => csv(self, out),
            _ => Err(RenderError::Unsupported {
                what: "the event log",
                format,
            }),
        }
    }
}
