//! `cutover plan --format ics`: the listed tasks as calendar events (RFC 5545), so that
//! task owners see their cutover tasks in Outlook or Google Calendar.
//!
//! The `icalendar` crate writes each property: it escapes text (`\`, `,`, `;` and
//! newlines) and quotes parameters. It has no time-zone component, so the `VTIMEZONE`
//! block is assembled here from the clock changes the plan computed ([`Plan::zone`]),
//! each of its properties again written by the crate. Its line folding can leave a
//! line of 76 octets, so [`refold`] folds the whole file again at 75.
//!
//! What each event holds, and why (see `docs/interop.md`):
//! - `UID`: the runbook's name and the task's id, percent-encoded, at the reserved
//!   domain `cutover.invalid`: the same task gives the same UID on every run, so a
//!   calendar updates the event on re-import instead of adding a second one.
//! - `DTSTAMP`: the plan's data date (the status file's `as_of` or `--as-of`), else the
//!   runbook's `start`: never the clock, so the same input gives the same bytes.
//! - `DTSTART`/`DTEND`: the task's early start and finish, in the runbook's zone with
//!   its `TZID` (in UTC in the hour a clock change repeats, where local time is
//!   ambiguous). A milestone is an event of no length at its instant, shown as free.

use std::fmt::Write as _;
use std::io::Write;

use icalendar::{Component, Event, EventLike, Property};
use jiff::tz::TimeZone;

use super::RenderError;
use crate::plan::Plan;
use crate::project::TaskId;
use crate::time::{Elapsed, Moment, ZoneChange, local_label, t_label};

/// The domain of every UID: reserved (RFC 2606), so it is no one's real domain.
const UID_DOMAIN: &str = "cutover.invalid";

/// Writes `plan`'s listed tasks as an iCalendar file.
pub(super) fn ics(plan: &Plan, out: &mut dyn Write) -> Result<(), RenderError> {
    let p = plan.project;
    let mut text = String::from("BEGIN:VCALENDAR\r\n");
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//cutover//plan//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", &clean(&p.name)),
        ("X-WR-TIMEZONE", &p.timezone_name),
    ] {
        text.push_str(&line(Property::new(key, value))?);
    }
    timezone(&mut text, &p.timezone_name, &plan.zone)?;
    let stamp = utc(plan.schedule.data_date.unwrap_or(p.start));
    for &t in &plan.rows {
        text.push_str(&event(plan, t, &stamp).try_into_string()?);
    }
    text.push_str("END:VCALENDAR\r\n");
    out.write_all(refold(&text).as_bytes())?;
    Ok(())
}

/// The longest content line, in octets without its CRLF (RFC 5545 3.1).
const LINE_OCTETS: usize = 75;

/// `text` with every content line folded to at most [`LINE_OCTETS`] octets, the
/// continuation lines' leading space included, never inside a UTF-8 character and,
/// where a line allows, not beside a space (the `ical` crate, for one, trims the ends
/// of folded lines, and would lose it).
///
/// `icalendar` 0.17 folds too, but its last continuation line can be 76 octets (75
/// after the space), so its folds are undone and redone here.
fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 24);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut room = LINE_OCTETS;
        while rest.len() > room {
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            // Not beside a space either: some readers trim a folded line's ends.
            let mut tidy = cut;
            while tidy > room / 2
                && (!rest.is_char_boundary(tidy)
                    || rest[..tidy].ends_with([' ', '\t'])
                    || rest[tidy..].starts_with([' ', '\t']))
            {
                tidy -= 1;
            }
            if tidy > room / 2 {
                cut = tidy;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            room = LINE_OCTETS - 1;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// One property as a folded content line ending in CRLF.
fn line(property: Property) -> Result<String, RenderError> {
    Ok(property.try_into()?)
}

/// The `VTIMEZONE` block: one `STANDARD` or `DAYLIGHT` part per clock change, each
/// starting at the change's local time before it (RFC 5545 3.6.5).
fn timezone(text: &mut String, tzid: &str, changes: &[ZoneChange]) -> Result<(), RenderError> {
    text.push_str("BEGIN:VTIMEZONE\r\n");
    text.push_str(&line(Property::new("TZID", tzid))?);
    for c in changes {
        let kind = if c.dst { "DAYLIGHT" } else { "STANDARD" };
        let start = c.at.map_or_else(
            || "19700101T000000".to_owned(),
            |at| {
                let before = jiff::tz::Offset::from_seconds(c.offset_before)
                    .map_or(TimeZone::UTC, TimeZone::fixed);
                local(at, &before)
            },
        );
        let _ = write!(text, "BEGIN:{kind}\r\n");
        for (key, value) in [
            ("DTSTART", start),
            ("TZOFFSETFROM", offset(c.offset_before)),
            ("TZOFFSETTO", offset(c.offset_after)),
            ("TZNAME", c.abbreviation.clone()),
        ] {
            text.push_str(&line(Property::new(key, value))?);
        }
        let _ = write!(text, "END:{kind}\r\n");
    }
    text.push_str("END:VTIMEZONE\r\n");
    Ok(())
}

/// The event of task `t`.
fn event(plan: &Plan, t: TaskId, stamp: &str) -> Event {
    let p = plan.project;
    let task = &p.tasks[t];
    let d = &plan.schedule.tasks[t];
    let mut e = Event::new();
    e.uid(&uid(&p.name, &task.id))
        .add_property("DTSTAMP", stamp)
        .append_property(when("DTSTART", d.early_start, plan))
        .append_property(when("DTEND", d.early_finish, plan))
        .summary(&clean(&task.name))
        .description(&description(plan, t));
    if task.milestone {
        e.add_property("TRANSP", "TRANSPARENT");
    }
    let workstream = task.workstream.map(|w| clean(&p.workstreams[w].name));
    let categories: Vec<String> = workstream
        .into_iter()
        .chain(task.tags.iter().map(|g| clean(g)))
        .collect();
    if !categories.is_empty() {
        e.categories(categories);
    }
    e.done()
}

/// `DTSTART`/`DTEND`: local time with the zone's `TZID`, or UTC where local time is
/// ambiguous (the hour repeated when clocks go back).
fn when(key: &str, at: Moment, plan: &Plan) -> Property {
    let p = plan.project;
    let dt = at.local(&p.tz);
    if p.tz.to_ambiguous_timestamp(dt).is_ambiguous() {
        Property::new(key, utc(at))
    } else {
        Property::new(key, local(at, &p.tz))
            .add_parameter("TZID", &p.timezone_name)
            .done()
    }
}

/// What a task owner needs to know, one fact a line.
fn description(plan: &Plan, t: TaskId) -> String {
    let p = plan.project;
    let task = &p.tasks[t];
    let d = &plan.schedule.tasks[t];
    let tz = &p.tz;
    let mut lines = vec![format!("Task: {}", task.id)];
    lines.push(format!("Owner: {}", task.owner.as_deref().unwrap_or("-")));
    if let Some(w) = task.workstream {
        let w = &p.workstreams[w];
        lines.push(format!("Workstream: {} ({})", w.name, w.id));
    }
    let preds = super::plan::predecessor_ids(p, t);
    lines.push(format!(
        "Predecessors: {}",
        if preds.is_empty() { "none" } else { &preds }
    ));
    lines.push(format!(
        "When: {} to {} (starts at {})",
        local_label(d.early_start, tz),
        local_label(d.early_finish, tz),
        t_label(d.early_start, plan.schedule.go_live)
    ));
    if task.milestone {
        lines.push("Milestone: an event of no length at its instant".to_owned());
    }
    if d.critical {
        lines.push("Critical: its float is at or below the critical threshold".to_owned());
    }
    if task.point_of_no_return {
        let point = plan.fit.points_of_no_return.iter().find(|x| x.task == t);
        let mut mark =
            "POINT OF NO RETURN: once this is done the cutover cannot be rolled back".to_owned();
        if let Some(r) = task.rollback {
            let _ = write!(mark, "; rolling back takes {}", Elapsed(r));
        }
        if let Some(latest) = point.and_then(|x| x.latest) {
            let _ = write!(
                mark,
                "; pass it by {} at the latest",
                local_label(latest, tz)
            );
        }
        lines.push(mark);
    }
    if let Some(notes) = &task.notes {
        lines.push(format!("Notes:\n{notes}"));
    }
    clean(&lines.join("\n"))
}

/// A task's UID: `<runbook>/<task id>@cutover.invalid`, each part percent-encoded
/// outside `A-Z a-z 0-9 - . _ ~`, so that no two (runbook, task) pairs share one.
fn uid(runbook: &str, task: &str) -> String {
    format!("{}/{}@{UID_DOMAIN}", percent(runbook), percent(task))
}

fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Text as iCalendar may carry it: line breaks as `\n` (the crate escapes those), no
/// other control characters (RFC 5545 3.3.11 allows none in TEXT).
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect()
}

/// `20270611T190000`: local time in `tz`.
fn local(at: Moment, tz: &TimeZone) -> String {
    let dt = at.local(tz);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `20270611T180000Z`.
fn utc(at: Moment) -> String {
    format!("{}Z", local(at, &TimeZone::UTC))
}

/// `+0100`, or `-000115` when the offset has seconds.
fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_percent_encoded_so_distinct_pairs_stay_distinct() {
        assert_eq!(
            uid("Northgate EPR, go-live", "dm-load"),
            "Northgate%20EPR%2C%20go-live/dm-load@cutover.invalid"
        );
        assert_ne!(uid("a/b", "c"), uid("a", "b/c"));
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_utc_offsets() {
        assert_eq!(offset(3600), "+0100");
        assert_eq!(offset(0), "+0000");
        assert_eq!(offset(-19_800), "-0530");
        assert_eq!(offset(-75), "-000115");
    }

    #[test]
    fn lines_fold_at_75_octets_with_the_space_and_never_inside_a_character() {
        let long = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = refold(&format!("{long}\r\nEND:VEVENT\r\n"));
        let lines: Vec<&str> = folded.split_terminator("\r\n").collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert_eq!(
            lines[0].len(),
            74,
            "12 ASCII octets and 31 two-octet characters"
        );
        assert_eq!(lines.last(), Some(&"END:VEVENT"));
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("{long}\r\nEND:VEVENT\r\n")
        );
        // A continuation line of exactly 74 octets after the space is 75 with it.
        let exact = format!("X:{}", "a".repeat(73 + 74));
        let lines: Vec<usize> = refold(&exact)
            .split_terminator("\r\n")
            .map(str::len)
            .collect();
        assert_eq!(lines, [75, 75]);
        // A space is kept off the ends of a folded line.
        let words = format!("X:{}", "word ".repeat(40).trim_end());
        let folded = refold(&words);
        for line in folded.split_terminator("\r\n") {
            assert!(line.len() <= 75 && !line.ends_with(' '), "{line:?}");
            assert!(!line.starts_with("  "), "{line:?}");
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{words}\r\n"));
    }

    #[test]
    fn control_characters_are_dropped_and_line_breaks_kept() {
        assert_eq!(clean("a\r\nb\rc\u{7}d\te"), "a\nb\ncd\te");
    }
}
