use super::*;
use crate::time::parse_timezone;

fn london() -> TimeZone {
    parse_timezone("Europe/London").unwrap()
}

fn at(text: &str) -> Moment {
    parse_instant(text, &london()).unwrap()
}

#[test]
fn a_clock_time_is_its_occurrence_nearest_to_now() {
    let tz = london();
    let now = at("2027-06-12T00:10");
    // 23:50 typed ten minutes after midnight is last night.
    assert_eq!(parse_at("23:50", now, &tz), Ok(at("2027-06-11T23:50")));
    // 00:05 is today, five minutes ago.
    assert_eq!(parse_at("00:05", now, &tz), Ok(at("2027-06-12T00:05")));
    // 21:00 is tonight, not last night: the event checks refuse it as the future.
    assert_eq!(parse_at("21:00", now, &tz), Ok(at("2027-06-11T21:00")));
    assert_eq!(parse_at("11:00", now, &tz), Ok(at("2027-06-12T11:00")));
    assert_eq!(parse_at("now", now, &tz), Ok(now));
    assert_eq!(
        parse_at("2027-06-11T19:02", now, &tz),
        Ok(at("2027-06-11T19:02"))
    );
    assert!(parse_at("25:00", now, &tz).is_err());
    assert!(parse_at("yesterday", now, &tz).is_err());
}

#[test]
fn an_event_is_one_line_of_yaml_with_every_string_quoted() {
    let tz = london();
    let mut e = Entry::new(EventKind::Block);
    e.task = Some("dm-load".to_owned());
    e.reason = Some("engine \"down\": call #2".to_owned());
    let line = event_line(
        3,
        at("2027-06-11T19:02"),
        at("2027-06-11T19:04"),
        "Sam O'Neil",
        &e,
        &tz,
    );
    assert_eq!(
        line,
        r#"- { seq: 3, at: "2027-06-11T19:02:00+01:00", recorded_at: "2027-06-11T19:04:00+01:00", by: "Sam O'Neil", kind: block, task: "dm-load", reason: "engine \"down\": call #2" }"#
    );
    let parsed: Vec<crate::model::event::Event> = serde_saphyr::from_str(&line).unwrap();
    assert_eq!(
        parsed[0].reason.as_ref().unwrap().value,
        "engine \"down\": call #2"
    );
    assert_eq!(parsed[0].by.value, "Sam O'Neil");
}

#[test]
fn the_lock_file_sits_beside_the_log() {
    assert_eq!(
        lock_path(Path::new("runs/weekend.events.yaml")),
        PathBuf::from("runs/weekend.events.yaml.lock")
    );
    assert_eq!(
        suggested_log_name(Path::new("x/weekend.status.yaml")),
        "weekend.events.yaml"
    );
}
