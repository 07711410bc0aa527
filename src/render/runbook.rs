//! A drafted runbook ([`crate::interop::Draft`]) as the YAML a person would write: the
//! layout of the shipped runbooks, flow-style task lines, a comment wherever a value
//! was assumed, and the status file for the source's actuals.

use std::fmt::Write as _;

use jiff::civil::DateTime;

use crate::interop::{Amount, Draft, DraftCalendar, DraftStatus, DraftTask, Unit};
use crate::project::LinkType;
use crate::render::{Format, Render, RenderError, put};

/// Longest line before a flow mapping or list wraps.
const WIDTH: usize = 110;

/// Minutes in a day and a week of elapsed time.
const ELAPSED: (i64, i64) = (1440, 10080);

/// The runbook. Writing to a `String` cannot fail.
pub fn yaml(draft: &Draft) -> String {
    let mut out = String::with_capacity(256 + draft.tasks.len() * 160);
    header(&mut out, draft);
    top_level(&mut out, draft);
    calendars(&mut out, draft);
    workstreams(&mut out, draft);
    tasks(&mut out, draft);
    out
}

/// `cutover import`'s result: the drafted runbook, as YAML.
impl Render for Draft {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        match format {
            Format::Yaml => put(out, &yaml(self)),
            format => Err(RenderError::Unsupported {
                what: "an imported runbook",
                format,
            }),
        }
    }
}

/// The status file a draft's actuals make (`cutover import --status-out`).
#[derive(Debug, Clone, Copy)]
pub struct StatusFile<'a> {
    /// The runbook the actuals belong to.
    pub draft: &'a Draft,
    /// The actuals.
    pub status: &'a DraftStatus,
}

impl Render for StatusFile<'_> {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        match format {
            Format::Yaml => put(out, &status_yaml(self.draft, self.status)),
            format => Err(RenderError::Unsupported {
                what: "an imported status file",
                format,
            }),
        }
    }
}

fn header(out: &mut String, draft: &Draft) {
    out.push_str("# yaml-language-server: $schema=./runbook.schema.json\n#\n");
    let _ = writeln!(
        out,
        "# Imported by `cutover import` from {}.",
        one_line(&draft.source)
    );
    if !draft.remarks.is_empty() || draft.unassigned > 0 {
        out.push_str("#\n");
    }
    for remark in &draft.remarks {
        comment_wrapped(out, remark);
    }
    if draft.unassigned > 0 {
        comment_wrapped(
            out,
            &format!(
                "{} {} no owner in the source: the owner written is `{}` (`cutover plan --owner {}` lists them).",
                draft.unassigned,
                if draft.unassigned == 1 {
                    "task had"
                } else {
                    "tasks had"
                },
                crate::interop::UNASSIGNED,
                crate::interop::UNASSIGNED,
            ),
        );
    }
    out.push_str("#\n# Field by field, and what an import leaves out: docs/interop.md.\n");
}

/// A `# ` comment wrapped at the page width.
fn comment_wrapped(out: &mut String, text: &str) {
    comment_indented(out, "", text);
}

/// A `# ` comment after `indent`, wrapped at the page width.
fn comment_indented(out: &mut String, indent: &str, text: &str) {
    let mut line = format!("{indent}#");
    for word in one_line(text).split(' ').filter(|w| !w.is_empty()) {
        if line.len() + 1 + word.len() > 90 && line.len() > indent.len() + 1 {
            out.push_str(&line);
            out.push('\n');
            line = format!("{indent}#  ");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// `text` on one line, for a comment.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn top_level(out: &mut String, draft: &Draft) {
    out.push_str("version: 1\n");
    let _ = writeln!(out, "runbook: {}", scalar(&draft.name));
    line_with_comment(
        out,
        &format!("timezone: {}", scalar(&draft.timezone)),
        draft
            .timezone_assumed
            .then_some("assumed: the source has no time zone (import --timezone to choose)"),
    );
    let start = format!("start: {}", instant(draft.start));
    line_with_comment(
        out,
        &start,
        draft
            .start_assumed
            .as_deref()
            .map(|a| format!("assumed: {a}"))
            .as_deref(),
    );
    let go_live = format!("go_live: {}", instant(draft.go_live));
    line_with_comment(
        out,
        &go_live,
        draft
            .go_live_assumed
            .as_deref()
            .map(|a| format!("assumed: {a}"))
            .as_deref(),
    );
    if let Some(c) = &draft.default_calendar {
        let _ = writeln!(out, "default_calendar: {}", scalar(c));
    }
}

fn line_with_comment(out: &mut String, line: &str, comment: Option<&str>) {
    out.push_str(line);
    if let Some(c) = comment {
        let pad = 32usize.saturating_sub(line.len()).max(1);
        let _ = write!(out, "{:pad$}# {}", "", one_line(c));
    }
    out.push('\n');
}

/// `2027-03-08T07:00`, with seconds only when the source had them.
pub fn instant(at: DateTime) -> String {
    if at.second() == 0 && at.subsec_nanosecond() == 0 {
        at.strftime("%Y-%m-%dT%H:%M").to_string()
    } else {
        at.strftime("%Y-%m-%dT%H:%M:%S").to_string()
    }
}

fn calendars(out: &mut String, draft: &Draft) {
    if draft.calendars.is_empty() {
        return;
    }
    out.push_str("\ncalendars:\n");
    for cal in &draft.calendars {
        calendar(out, cal);
    }
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn calendar(out: &mut String, cal: &DraftCalendar) {
    let working: Vec<usize> = (0..7).filter(|&d| !cal.week[d].is_empty()).collect();
    let uniform = working.windows(2).all(|w| cal.week[w[0]] == cal.week[w[1]]);
    let comment = if cal.source_name != cal.id && !cal.source_name.is_empty() {
        format!("  # {}", one_line(cal.source_name.trim()))
    } else {
        String::new()
    };
    let day_length = cal.day_minutes.filter(|&d| {
        let first = working.first().map_or(0, |&d| {
            cal.week[d]
                .iter()
                .map(|&(s, e)| i64::from(e - s))
                .sum::<i64>()
        });
        d != first
    });
    let holidays: Vec<String> = cal.holidays.iter().map(|d| d.to_string()).collect();
    // One line when it fits: uniform hours, no exceptions.
    if uniform && cal.exceptions.is_empty() && !working.is_empty() {
        let mut fields = vec![format!("hours: {}", scalar(&ranges(&cal.week[working[0]])))];
        let days = days_text(&working);
        if days != "mon-fri" {
            fields.push(format!("days: {}", scalar(&days)));
        }
        if !holidays.is_empty() {
            fields.push(format!("holidays: [{}]", holidays.join(", ")));
        }
        if let Some(d) = day_length {
            fields.push(format!(
                "day_length: {}",
                duration_text(d, Unit::Hours, false, (d, d))
            ));
        }
        let line = format!(
            "  {}: {{ {} }}{comment}",
            scalar(&cal.id),
            fields.join(", ")
        );
        if line.len() <= WIDTH {
            out.push_str(&line);
            out.push('\n');
            return;
        }
    }
    let _ = writeln!(out, "  {}:{comment}", scalar(&cal.id));
    if uniform && !working.is_empty() {
        let _ = writeln!(out, "    hours: {}", scalar(&ranges(&cal.week[working[0]])));
        let _ = writeln!(out, "    days: {}", scalar(&days_text(&working)));
    } else {
        out.push_str("    hours:\n");
        // Runs of consecutive days with the same hours share a line.
        let mut d = 0;
        while d < 7 {
            if cal.week[d].is_empty() {
                d += 1;
                continue;
            }
            let mut e = d;
            while e + 1 < 7 && cal.week[e + 1] == cal.week[d] {
                e += 1;
            }
            let key = if e == d {
                DAYS[d].to_owned()
            } else {
                format!("{}-{}", DAYS[d], DAYS[e])
            };
            let _ = writeln!(out, "      {key}: {}", scalar(&ranges(&cal.week[d])));
            d = e + 1;
        }
    }
    if !holidays.is_empty() {
        out.push_str("    holidays: ");
        flow_list(out, &holidays, 6);
        out.push('\n');
    }
    if !cal.exceptions.is_empty() {
        out.push_str("    exceptions:\n");
        for (date, r) in &cal.exceptions {
            let _ = writeln!(out, "      {date}: {}", scalar(&ranges(r)));
        }
    }
    if let Some(d) = day_length {
        let _ = writeln!(
            out,
            "    day_length: {}",
            duration_text(d, Unit::Hours, false, (d, d))
        );
    }
}

/// `[a, b, c]`, wrapped with continuation lines indented by `indent`.
fn flow_list(out: &mut String, items: &[String], indent: usize) {
    out.push('[');
    let mut col = indent + 12;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
            if col + item.len() + 2 > WIDTH {
                out.push('\n');
                out.push_str(&" ".repeat(indent + 2));
                col = indent + 2;
            } else {
                out.push(' ');
                col += 2;
            }
        }
        out.push_str(item);
        col += item.len();
    }
    out.push(']');
}

/// `08:00-12:00, 13:00-17:00`.
fn ranges(r: &[(u16, u16)]) -> String {
    r.iter()
        .map(|&(s, e)| format!("{}-{}", clock(s), clock(e)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn clock(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// `mon-fri`, `mon-wed, fri`, `sat`.
fn days_text(working: &[usize]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < working.len() {
        let mut j = i;
        while j + 1 < working.len() && working[j + 1] == working[j] + 1 {
            j += 1;
        }
        parts.push(if j == i {
            DAYS[working[i]].to_owned()
        } else {
            format!("{}-{}", DAYS[working[i]], DAYS[working[j]])
        });
        i = j + 1;
    }
    parts.join(", ")
}

fn workstreams(out: &mut String, draft: &Draft) {
    if draft.workstreams.is_empty() {
        return;
    }
    out.push_str("\nworkstreams:\n");
    for w in &draft.workstreams {
        let _ = writeln!(out, "  {}: {{ name: {} }}", scalar(&w.id), scalar(&w.name));
    }
}

/// Minutes in `1d` and `1w` for a task: its calendar's, elapsed for milestones.
fn task_units(draft: &Draft, task: &DraftTask) -> (i64, i64) {
    if task.duration.is_none() {
        return ELAPSED;
    }
    let id = task.calendar.as_ref().or(draft.default_calendar.as_ref());
    id.and_then(|id| draft.calendars.iter().find(|c| &c.id == id))
        .map_or(ELAPSED, DraftCalendar::day_and_week)
}

fn tasks(out: &mut String, draft: &Draft) {
    out.push_str("\ntasks:");
    if draft.tasks.is_empty() {
        out.push_str(" []\n");
        return;
    }
    out.push('\n');
    let mut current: Option<&str> = None;
    for task in &draft.tasks {
        let ws = task.workstream.as_deref();
        if ws != current {
            let label = ws
                .and_then(|w| draft.workstreams.iter().find(|x| x.id == w))
                .map_or("No workstream", |w| w.name.as_str());
            let _ = writeln!(out, "  # ---- {} ----", one_line(label));
            current = ws;
        }
        task_entry(out, draft, task);
    }
}

fn task_entry(out: &mut String, draft: &Draft, task: &DraftTask) {
    let units = task_units(draft, task);
    let mut fields: Vec<(&str, String)> =
        vec![("id", scalar(&task.id)), ("name", scalar(&task.name))];
    if let Some(w) = &task.workstream {
        fields.push(("workstream", scalar(w)));
    }
    fields.push(("owner", scalar(&task.owner)));
    match task.duration {
        Some(d) => fields.push(("duration", amount(d, units))),
        None => fields.push(("milestone", "true".to_owned())),
    }
    if task.go_live {
        fields.push(("go_live", "true".to_owned()));
    }
    if let Some(a) = &task.go_live_assumed {
        comment_indented(out, "  ", &format!("assumed: {a}"));
    }
    if let Some(c) = &task.calendar {
        fields.push(("calendar", scalar(c)));
    }
    if !task.after.is_empty() {
        let items: Vec<String> = task
            .after
            .iter()
            .map(|l| match (l.link, l.lag) {
                (LinkType::FS, None) => scalar(&l.task),
                (link, lag) => {
                    let mut s = format!("{{ task: {}", scalar(&l.task));
                    if link != LinkType::FS {
                        let _ = write!(s, ", type: {link}");
                    }
                    if let Some(lag) = lag {
                        let _ = write!(s, ", lag: {}", amount(lag, units));
                    }
                    s.push_str(" }");
                    s
                }
            })
            .collect();
        fields.push(("after", format!("[{}]", items.join(", "))));
    }
    if let Some(nb) = task.not_before {
        fields.push(("not_before", instant(nb)));
    }
    if let Some(dl) = task.deadline {
        fields.push(("deadline", instant(dl)));
    }
    if !task.tags.is_empty() {
        let tags: Vec<String> = task.tags.iter().map(|t| scalar(t)).collect();
        fields.push(("tags", format!("[{}]", tags.join(", "))));
    }
    let notes = task.notes.as_deref().filter(|n| !n.is_empty());
    if let Some(n) = notes
        && n.contains('\n')
        && literal_ok(n)
    {
        // Block style, so the notes keep their lines.
        let mut first = true;
        for (key, value) in &fields {
            let _ = writeln!(out, "  {} {key}: {value}", if first { "-" } else { " " });
            first = false;
        }
        out.push_str("    notes: |-\n");
        for line in n.split('\n') {
            if line.is_empty() {
                out.push('\n');
            } else {
                let _ = writeln!(out, "      {line}");
            }
        }
        return;
    }
    if let Some(n) = notes {
        fields.push(("notes", scalar(n)));
    }
    // A flow mapping, wrapped between fields like the shipped runbooks.
    let mut line = String::from("  - {");
    let mut first_line = true;
    for (i, (key, value)) in fields.iter().enumerate() {
        let piece = format!(
            " {key}: {value}{}",
            if i + 1 < fields.len() { "," } else { " }" }
        );
        if line.len() + piece.len() > WIDTH && line.len() > 6 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("     ");
            first_line = false;
        }
        line.push_str(&piece);
    }
    let _ = first_line;
    out.push_str(&line);
    out.push('\n');
}

/// Text a literal block (`|-`) keeps exactly: no carriage returns or other control
/// characters but newlines, no trailing spaces, a first line that does not start with
/// a space, and no leading or trailing blank line.
fn literal_ok(text: &str) -> bool {
    !text
        .chars()
        .any(|c| (c.is_control() && c != '\n') || is_special_break(c))
        && !text.starts_with([' ', '\n'])
        && !text.ends_with('\n')
        && text
            .split('\n')
            .all(|l| !l.ends_with(' ') && !l.starts_with('\t'))
        && text.split('\n').next().is_some_and(|l| !l.is_empty())
}

fn is_special_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// A length in the source's unit where it divides exactly: `2d`, `1w`, `90m` is
/// `1h 30m`, `36h elapsed`; `units` is the calendar's day and week in minutes.
fn amount(a: Amount, units: (i64, i64)) -> String {
    duration_text(a.minutes, a.unit, a.elapsed, units)
}

fn duration_text(minutes: i64, unit: Unit, elapsed: bool, units: (i64, i64)) -> String {
    let (day, week) = if elapsed { ELAPSED } else { units };
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs() as i64;
    let body = if m == 0 {
        "0m".to_owned()
    } else if unit == Unit::Weeks && week > 0 && m % week == 0 {
        format!("{}w", m / week)
    } else if matches!(unit, Unit::Days | Unit::Weeks) && day > 0 && m % day == 0 {
        format!("{}d", m / day)
    } else if m % 60 == 0 {
        format!("{}h", m / 60)
    } else if m > 60 {
        format!("{}h {}m", m / 60, m % 60)
    } else {
        format!("{m}m")
    };
    if elapsed {
        format!("{sign}{body} elapsed")
    } else {
        format!("{sign}{body}")
    }
}

/// The status file for the source's actuals.
pub fn status_yaml(draft: &Draft, status: &DraftStatus) -> String {
    let mut out = String::new();
    out.push_str("# yaml-language-server: $schema=./status.schema.json\n#\n");
    let _ = writeln!(
        out,
        "# Actuals imported by `cutover import` from {}.",
        one_line(&draft.source)
    );
    let _ = writeln!(out, "runbook: {}", scalar(&draft.name));
    line_with_comment(
        &mut out,
        &format!("as_of: {}", instant(status.as_of)),
        status
            .as_of_assumed
            .as_deref()
            .map(|a| format!("assumed: {a}"))
            .as_deref(),
    );
    if status.tasks.is_empty() {
        out.push_str("tasks: {}\n");
        return out;
    }
    out.push_str("tasks:\n");
    for a in &status.tasks {
        let mut fields = Vec::new();
        if let Some(s) = a.started {
            fields.push(format!("started: {}", instant(s)));
        }
        if let Some(f) = a.finished {
            fields.push(format!("finished: {}", instant(f)));
        }
        if let Some(r) = a.remaining {
            let units = draft
                .tasks
                .iter()
                .find(|t| t.id == a.task)
                .map_or(ELAPSED, |t| task_units(draft, t));
            fields.push(format!("remaining: {}", amount(r, units)));
        }
        let line = format!("  {}: {{ {} }}", scalar(&a.task), fields.join(", "));
        let comment = a
            .percent
            .filter(|&p| a.finished.is_none() && p > 0)
            .map(|p| format!("{p}% complete"));
        line_with_comment(&mut out, &line, comment.as_deref());
    }
    out
}

/// A YAML scalar for `text`: plain when it reads back as the same text in a flow
/// mapping, double-quoted otherwise.
pub fn scalar(text: &str) -> String {
    if plain_ok(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn plain_ok(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if !(first.is_alphanumeric() || first == '(' || first == '/' || first == '_') {
        return false;
    }
    if text.ends_with(' ') || text.contains("  ") {
        // Trailing spaces are trimmed; runs of spaces survive, but keep them visible.
        return false;
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let ok = c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '-'
                    | '_'
                    | '.'
                    | '('
                    | ')'
                    | '/'
                    | '\''
                    | '&'
                    | '+'
                    | ';'
                    | '='
                    | '?'
                    | '$'
                    | '%'
                    | '^'
                    | '~'
                    | '!'
                    | '<'
                    | '>'
            )
            || (c == ':'
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        if !ok || is_special_break(c) {
            return false;
        }
    }
    let lower = text.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return false;
    }
    !number_like(text)
}

/// Text YAML might read as a number (including YAML 1.1 forms: `1_000`, `1:30`, `0x1F`).
fn number_like(text: &str) -> bool {
    let t = text.strip_prefix(['+', '-']).unwrap_or(text);
    let Some(first) = t.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    // Digits with `_ . : e E + -` and hex/octal/binary letters only: treat as a number.
    t.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '_' | '.' | ':' | 'e' | 'E' | '+' | '-' | 'x' | 'X' | 'o' | 'O' | 'b' | 'B'
            )
            || c.is_ascii_hexdigit()
    })
}

fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || is_special_break(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::load::{Limits, load_runbook_text};
    use crate::source::Sources;

    /// The name a runbook with `name: <scalar(text)>` loads with.
    fn read_back(text: &str, flow: bool) -> Option<String> {
        let yaml = if flow {
            format!(
                "runbook: x\ntimezone: UTC\nstart: 2027-01-01\ngo_live: 2027-02-01\ntasks:\n  - {{ id: a, name: {}, owner: o, duration: 1h }}\n",
                scalar(text)
            )
        } else {
            format!(
                "runbook: x\ntimezone: UTC\nstart: 2027-01-01\ngo_live: 2027-02-01\ntasks:\n  - id: a\n    name: {}\n    owner: o\n    duration: 1h\n",
                scalar(text)
            )
        };
        let mut sources = Sources::default();
        let loaded = load_runbook_text(Path::new("x.yaml"), yaml, &mut sources, &Limits::default());
        let runbook = loaded.runbook?;
        runbook.tasks.first()?.item.value.name.clone()
    }

    #[test]
    fn scalars_read_back_as_written() {
        for text in [
            "Load data",
            "Load, then reconcile",
            "Phase 1: prep",
            "123",
            "1.5",
            "1e3",
            "12:30",
            "0x1F",
            "true",
            "No",
            "~",
            "null",
            "- dash",
            "#hash",
            "a # b",
            "[list]",
            "{map}",
            "it's",
            "\"quoted\"",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "  padded  ",
            "",
            "é café",
            "08:00-12:00, 13:00-17:00",
            "\u{2028}",
            "*star",
            "&amp",
            "!tag",
            "%pct",
            "@at",
            "`tick",
            "?q",
            "a: b",
            "a:",
        ] {
            assert_eq!(
                read_back(text, true).as_deref(),
                Some(text),
                "flow {text:?}"
            );
            assert_eq!(
                read_back(text, false).as_deref(),
                Some(text),
                "block {text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_reads_back(text in "\\PC{0,30}|[ -~]{0,30}|[0-9:._+eE-]{1,8}") {
            let back = read_back(&text, true);
            prop_assert_eq!(back.as_deref(), Some(text.as_str()));
        }
    }

    #[test]
    fn durations_use_the_unit_when_it_divides() {
        let office = (480, 2400);
        assert_eq!(duration_text(480, Unit::Days, false, office), "1d");
        assert_eq!(duration_text(2400, Unit::Weeks, false, office), "1w");
        assert_eq!(duration_text(4800, Unit::Weeks, false, office), "2w");
        assert_eq!(duration_text(720, Unit::Days, false, office), "12h");
        assert_eq!(duration_text(90, Unit::Minutes, false, office), "1h 30m");
        assert_eq!(duration_text(45, Unit::Hours, false, office), "45m");
        assert_eq!(duration_text(-480, Unit::Days, false, office), "-1d");
        assert_eq!(duration_text(1440, Unit::Days, true, office), "1d elapsed");
        assert_eq!(
            duration_text(2160, Unit::Hours, true, office),
            "36h elapsed"
        );
        assert_eq!(duration_text(0, Unit::Days, false, office), "0m");
    }

    #[test]
    fn days_and_ranges_read_as_calendar_text() {
        assert_eq!(days_text(&[0, 1, 2, 3, 4]), "mon-fri");
        assert_eq!(days_text(&[0, 2, 4]), "mon, wed, fri");
        assert_eq!(days_text(&[0, 1, 2, 4, 5]), "mon-wed, fri-sat");
        assert_eq!(
            ranges(&[(480, 720), (780, 1020)]),
            "08:00-12:00, 13:00-17:00"
        );
        assert_eq!(ranges(&[(1380, 1440)]), "23:00-24:00");
        for text in ["mon, wed, fri", "mon-wed, fri-sat"] {
            assert!(crate::calendar::parse_days(text).is_ok());
        }
    }
}
