//! `plan --format ics`: calendar invites, read back with an independent parser (the
//! `ical` crate, not the `icalendar` crate that writes them).

use crate::common::{json, ok, run};
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;

const ACUTE: &str = "runbooks/northgate-acute.yaml";
const INVITES: &str = "tests/fixtures/ics/invites.yaml";

/// The one calendar in `text`, parsed by the `ical` crate.
fn parse(text: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(text.as_bytes());
    let calendar = calendars.next().expect("one calendar").expect("it parses");
    assert!(calendars.next().is_none(), "more than one calendar");
    calendar
}

/// The raw (still escaped) value of `name` in `props`.
fn value<'a>(props: &'a [Property], name: &str) -> &'a str {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// A parameter of property `name` in `props`.
fn param(props: &[Property], name: &str, key: &str) -> Option<String> {
    let p = props.iter().find(|p| p.name == name)?;
    let params = p.params.as_ref()?;
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.join(","))
}

/// RFC 5545 3.3.11 TEXT unescaped, as a calendar shows it.
fn unescape(raw: &str) -> String {
    let mut out = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The event whose UID is of task `id`.
fn event<'a>(calendar: &'a IcalCalendar, id: &str) -> &'a IcalEvent {
    let suffix = format!("/{id}@cutover.invalid");
    calendar
        .events
        .iter()
        .find(|e| value(&e.properties, "UID").ends_with(&suffix))
        .unwrap_or_else(|| panic!("no event of {id}"))
}

fn invites() -> String {
    ok(&["plan", INVITES, "--as-of", "2027-10-20T09:00", "-f", "ics"])
}

#[test]
fn one_event_per_listed_task_with_the_plan_filters() {
    let all = json(&["plan", ACUTE, "-f", "json"]);
    let tasks = all["tasks"].as_array().unwrap().len();
    assert!(tasks > 100);
    let calendar = parse(&ok(&["plan", ACUTE, "-f", "ics"]));
    assert_eq!(calendar.events.len(), tasks);

    for filter in [
        &["--owner", "Medical Engineering"][..],
        &["--workstream", "data-migration"][..],
        &["--critical"][..],
        &["--owner", "manager", "--tag", "ptl"][..],
    ] {
        let mut args = vec!["plan", ACUTE];
        args.extend_from_slice(filter);
        let listed = json(&[&args[..], &["-f", "json"]].concat());
        let ids: Vec<&str> = listed["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        assert!(!ids.is_empty() && ids.len() < tasks, "{filter:?}");
        let calendar = parse(&ok(&[&args[..], &["-f", "ics"]].concat()));
        assert_eq!(calendar.events.len(), ids.len(), "{filter:?}");
        for id in ids {
            event(&calendar, id);
        }
    }
}

#[test]
fn an_unknown_owner_is_refused_with_a_suggestion() {
    let r = run(&[
        "plan",
        ACUTE,
        "--owner",
        "Medcal Engineering Manager",
        "-f",
        "ics",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("did you mean `Medical Engineering Manager`?"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn the_time_zone_is_defined_with_london_s_real_2027_clock_changes() {
    let calendar = parse(&invites());
    assert_eq!(calendar.timezones.len(), 1);
    let zone = &calendar.timezones[0];
    assert_eq!(value(&zone.properties, "TZID"), "Europe/London");
    let parts: Vec<(String, &str, &str, &str, &str)> = zone
        .transitions
        .iter()
        .map(|t| {
            let p = &t.properties;
            (
                format!("{:?}", t.transition),
                value(p, "DTSTART"),
                value(p, "TZOFFSETFROM"),
                value(p, "TZOFFSETTO"),
                value(p, "TZNAME"),
            )
        })
        .collect();
    // 2027: BST from 01:00 GMT on Sunday 28 March, GMT from 02:00 BST on Sunday
    // 31 October; the October 2026 change sets the offset 2027 starts with.
    let expected = [
        ("STANDARD", "20261025T020000", "+0100", "+0000", "GMT"),
        ("DAYLIGHT", "20270328T010000", "+0000", "+0100", "BST"),
        ("STANDARD", "20271031T020000", "+0100", "+0000", "GMT"),
    ];
    let expected: Vec<(String, &str, &str, &str, &str)> = expected
        .iter()
        .map(|&(k, a, b, c, d)| (k.to_owned(), a, b, c, d))
        .collect();
    assert_eq!(parts, expected);

    // Every local time names the zone; the hour the clocks repeat is written in UTC.
    for e in &calendar.events {
        for key in ["DTSTART", "DTEND"] {
            let at = value(&e.properties, key);
            match param(&e.properties, key, "TZID") {
                Some(tzid) => assert_eq!(tzid, "Europe/London"),
                None => assert!(at.ends_with('Z'), "{key}:{at}"),
            }
        }
    }
    // final-load ends at 01:00 GMT, the second 01:00 of 31 October.
    let load = event(&calendar, "final-load");
    assert_eq!(value(&load.properties, "DTEND"), "20271031T010000Z");
    assert_eq!(
        value(&load.properties, "DTSTART"),
        "20271031T003000",
        "00:30 BST"
    );
    // A milestone is an event of no length, shown as free time.
    let live = event(&calendar, "live");
    assert_eq!(
        value(&live.properties, "DTSTART"),
        value(&live.properties, "DTEND")
    );
    assert_eq!(value(&live.properties, "TRANSP"), "TRANSPARENT");
}

#[test]
fn uids_are_stable_across_runs_and_unique_within_a_file() {
    let first = invites();
    let again = invites();
    assert_eq!(first, again, "the same input gives the same bytes");
    // A later data date moves DTSTAMP and keeps every UID.
    let later = ok(&["plan", INVITES, "--as-of", "2027-10-30T12:00", "-f", "ics"]);
    let uids = |text: &str| -> Vec<String> {
        parse(text)
            .events
            .iter()
            .map(|e| value(&e.properties, "UID").to_owned())
            .collect()
    };
    assert_eq!(uids(&first), uids(&later));
    let mut unique = uids(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 6);
    assert_eq!(
        unescape(&uids(&first)[0]),
        "Riverside%20EPR%20cutover%3B%20phase%201%2C%20wards/brief@cutover.invalid"
    );

    let acute = parse(&ok(&["plan", ACUTE, "-f", "ics"]));
    let mut all: Vec<&str> = acute
        .events
        .iter()
        .map(|e| value(&e.properties, "UID"))
        .collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), acute.events.len());
}

#[test]
fn dtstamp_is_the_data_date_else_the_runbook_start() {
    let calendar = parse(&invites());
    for e in &calendar.events {
        // 2027-10-20 09:00 BST.
        assert_eq!(value(&e.properties, "DTSTAMP"), "20271020T080000Z");
    }
    let calendar = parse(&ok(&["plan", INVITES, "-f", "ics"]));
    // The runbook's start, 2027-10-29 09:00 BST.
    assert_eq!(
        value(&calendar.events[0].properties, "DTSTAMP"),
        "20271029T080000Z"
    );
}

#[test]
fn text_is_escaped_and_long_lines_are_folded() {
    let text = invites();
    // Every line ends in CRLF and has at most 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split_terminator("\r\n") {
        assert!(!line.contains('\n'), "a bare line feed: {line:?}");
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let calendar = parse(&text);
    let brief = event(&calendar, "brief");
    let summary = value(&brief.properties, "SUMMARY");
    assert_eq!(summary, r"Brief the wards\, theatres and ED");
    let description = unescape(value(&brief.properties, "DESCRIPTION"));
    assert!(
        description
            .ends_with("Notes:\nWards 1, 2 and 3; theatres\\recovery.\nBring the sign-in sheet."),
        "{description}"
    );
    assert!(
        value(&brief.properties, "DESCRIPTION")
            .contains(r"Wards 1\, 2 and 3\; theatres\\recovery.\nBring"),
        "commas, semicolons, backslashes and line breaks are escaped"
    );
    assert_eq!(
        value(&brief.properties, "CATEGORIES"),
        "Technical cutover,comms,wards"
    );

    // The long note is folded over several lines and unfolds whole.
    let note = "Load order: master patient index first, then referrals, then appointments, then the waiting list; stop and call the data lead if any count is out by more than 0.5%, and record the counts in the command-centre log before moving on to reconciliation.";
    let load = event(&calendar, "final-load");
    let description = unescape(value(&load.properties, "DESCRIPTION"));
    assert!(
        description.ends_with(&format!("Notes:\n{note}")),
        "{description}"
    );
    let start = text.find("DESCRIPTION:Task: final-load").unwrap();
    let folded = text[start..]
        .split("\r\n")
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .count();
    assert!(folded >= 4, "{folded} continuation lines");

    // What a task owner reads: owner, workstream, predecessors, the point of no return.
    for part in [
        "Task: final-load\nOwner: Jo Patel\nWorkstream: Data migration (data)\nPredecessors: extract\n",
        "POINT OF NO RETURN: once this is done the cutover cannot be rolled back; rolling back takes 4h; pass it by 2027-10-31 04:00 at the latest",
    ] {
        assert!(description.contains(part), "{part}\n{description}");
    }
}

#[test]
fn the_invites_of_a_small_runbook() {
    insta::assert_snapshot!(invites().replace("\r\n", "\n"));
}

#[test]
fn only_plan_offers_ics() {
    let r = run(&["critical-path", ACUTE, "-f", "ics"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("invalid value 'ics'"), "{}", r.stderr);
}
