//! "Changes since the last board" (`report --since`): the same rows in every format.

use std::fmt::Write as _;

use serde::Serialize;

use super::table::{Style, Tone, cell, table};
use crate::project::Project;
use crate::since::{Since, ThenNow};
use crate::time::{Elapsed, day_label};

/// One row: what, then -> now, and a word on the change.
pub(crate) struct Row {
    pub what: &'static str,
    pub text: String,
    pub tone: Tone,
}

fn moved(minutes: i64, later: &str, earlier: &str) -> String {
    match minutes.cmp(&0) {
        std::cmp::Ordering::Equal => "unchanged".to_owned(),
        std::cmp::Ordering::Greater => format!("{} {later}", Elapsed(minutes)),
        std::cmp::Ordering::Less => format!("{} {earlier}", Elapsed(-minutes)),
    }
}

/// `then → now (3h later)`, or `now (unchanged)` alone.
fn with_move(text: String, moved: String) -> String {
    if moved == "unchanged" {
        text
    } else {
        format!("{text} ({moved})")
    }
}

fn then_now<T: PartialEq>(v: &ThenNow<T>, show: impl Fn(&T) -> String) -> String {
    if v.changed() {
        format!("{} → {}", show(&v.then), show(&v.now))
    } else {
        format!("{} (unchanged)", show(&v.now))
    }
}

fn tasks(p: &Project, ids: &[usize]) -> String {
    ids.iter()
        .map(|&t| format!("{} ({})", p.tasks[t].name, p.tasks[t].id))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The rows, in the order every format shows them.
pub(crate) fn rows(p: &Project, s: &Since) -> Vec<Row> {
    let tz = &p.tz;
    let mut out = vec![
        Row {
            what: "Data date",
            text: then_now(&s.data_date, |m| day_label(*m, tz)),
            tone: Tone::Plain,
        },
        Row {
            what: "Decision",
            text: then_now(&s.decision, |d| d.label().to_owned()),
            tone: match s.decision.now.cmp(&s.decision.then) {
                std::cmp::Ordering::Greater => Tone::Bad,
                std::cmp::Ordering::Less => Tone::Good,
                std::cmp::Ordering::Equal => Tone::Plain,
            },
        },
        Row {
            what: "Ready for go-live",
            text: with_move(
                then_now(&s.ready, |m| day_label(*m, tz)),
                moved(s.ready.now.0 - s.ready.then.0, "later", "earlier"),
            ),
            tone: tone(s.ready.then.0 - s.ready.now.0),
        },
        Row {
            what: "Float to go-live",
            text: with_move(
                then_now(&s.float_to_go_live, |m| Elapsed(*m).to_string()),
                moved(
                    s.float_to_go_live.now - s.float_to_go_live.then,
                    "more",
                    "less",
                ),
            ),
            tone: tone(s.float_to_go_live.now - s.float_to_go_live.then),
        },
        Row {
            what: "Fits go-live and the window",
            text: then_now(&s.fits, |f| if *f { "yes" } else { "no" }.to_owned()),
            tone: match (s.fits.then, s.fits.now) {
                (true, false) => Tone::Bad,
                (false, true) => Tone::Good,
                _ => Tone::Plain,
            },
        },
    ];
    for f in &s.gates_flipped {
        let g = &p.gates[f.gate];
        out.push(Row {
            what: "Gate changed",
            text: format!(
                "{} ({}): {} → {}",
                g.name,
                g.id,
                f.verdict.then.label(),
                f.verdict.now.label()
            ),
            tone: match f.verdict.now.cmp(&f.verdict.then) {
                std::cmp::Ordering::Greater => Tone::Bad,
                _ => Tone::Good,
            },
        });
    }
    if s.gates_flipped.is_empty() {
        out.push(Row {
            what: "Gates",
            text: "no gate changed its result".to_owned(),
            tone: Tone::Plain,
        });
    }
    if !s.driving_joined.is_empty() {
        out.push(Row {
            what: "Joined the driving path",
            text: tasks(p, &s.driving_joined),
            tone: Tone::Warn,
        });
    }
    if !s.driving_left.is_empty() {
        out.push(Row {
            what: "Left the driving path",
            text: tasks(p, &s.driving_left),
            tone: Tone::Plain,
        });
    }
    if s.driving_joined.is_empty() && s.driving_left.is_empty() {
        out.push(Row {
            what: "Driving path",
            text: "the same tasks".to_owned(),
            tone: Tone::Plain,
        });
    }
    out.push(Row {
        what: "Tasks done since",
        text: s.done_since.to_string(),
        tone: Tone::Plain,
    });
    out
}

/// Positive is better.
fn tone(better_by: i64) -> Tone {
    match better_by.cmp(&0) {
        std::cmp::Ordering::Less => Tone::Bad,
        std::cmp::Ordering::Equal => Tone::Plain,
        std::cmp::Ordering::Greater => Tone::Good,
    }
}

/// The section for the terminal or Markdown, with its heading.
pub(crate) fn text(p: &Project, s: &Since, style: Style) -> String {
    let mut o = String::new();
    match style {
        Style::Markdown => o.push_str("## Changes since the last board\n\n"),
        Style::Terminal { .. } => o.push_str("Changes since the last board:\n"),
    }
    let mut t = table(style, &["", "then → now"]);
    for r in rows(p, s) {
        t.add_row(vec![
            cell(style, r.what, Tone::Plain),
            cell(style, &r.text, r.tone),
        ]);
    }
    super::table::fit(&mut t, style, &[1]);
    let _ = writeln!(o, "{t}");
    o
}

/// The section in HTML.
pub(crate) fn html(p: &Project, s: &Since) -> String {
    use html_escape::encode_text;
    let mut o = String::from(
        "<h2>Changes since the last board</h2>\n<table>\n<thead><tr><th></th><th>Then → now</th></tr></thead>\n",
    );
    for r in rows(p, s) {
        let class = match r.tone {
            Tone::Bad => " class=\"v fail\"",
            Tone::Good => " class=\"v pass\"",
            Tone::Warn => " class=\"v risk\"",
            Tone::Plain | Tone::Muted => "",
        };
        let _ = writeln!(
            o,
            "<tr><th scope=\"row\">{}</th><td{class}>{}</td></tr>",
            encode_text(r.what),
            encode_text(&r.text)
        );
    }
    o.push_str("</table>\n");
    o
}

/// The JSON shape (docs/json.md, `since`).
#[derive(Serialize)]
pub(crate) struct JsonSince {
    data_date: JsonThenNow<String>,
    decision: JsonThenNow<&'static str>,
    ready: JsonThenNow<String>,
    ready_moved_minutes: i64,
    float_to_go_live_minutes: JsonThenNow<i64>,
    fits: JsonThenNow<bool>,
    gates_flipped: Vec<JsonFlip>,
    driving_joined: Vec<String>,
    driving_left: Vec<String>,
    tasks_done_since: usize,
}

#[derive(Serialize)]
struct JsonThenNow<T> {
    then: T,
    now: T,
}

#[derive(Serialize)]
struct JsonFlip {
    gate: String,
    then: &'static str,
    now: &'static str,
}

pub(crate) fn json(p: &Project, s: &Since) -> JsonSince {
    let at = |m: crate::time::Moment| crate::time::rfc3339(m, &p.tz);
    let ids = |v: &[usize]| v.iter().map(|&t| p.tasks[t].id.clone()).collect();
    JsonSince {
        data_date: JsonThenNow {
            then: at(s.data_date.then),
            now: at(s.data_date.now),
        },
        decision: JsonThenNow {
            then: s.decision.then.label(),
            now: s.decision.now.label(),
        },
        ready: JsonThenNow {
            then: at(s.ready.then),
            now: at(s.ready.now),
        },
        ready_moved_minutes: s.ready.now.0 - s.ready.then.0,
        float_to_go_live_minutes: JsonThenNow {
            then: s.float_to_go_live.then,
            now: s.float_to_go_live.now,
        },
        fits: JsonThenNow {
            then: s.fits.then,
            now: s.fits.now,
        },
        gates_flipped: s
            .gates_flipped
            .iter()
            .map(|f| JsonFlip {
                gate: p.gates[f.gate].id.clone(),
                then: f.verdict.then.label(),
                now: f.verdict.now.label(),
            })
            .collect(),
        driving_joined: ids(&s.driving_joined),
        driving_left: ids(&s.driving_left),
        tasks_done_since: s.done_since,
    }
}
