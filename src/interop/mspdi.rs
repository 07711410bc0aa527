//! MS Project XML (MSPDI) in: tasks, summaries, milestones, links and lags, constraints,
//! calendars with exceptions, resources as owners, notes and actuals.
//!
//! The XML is read with quick-xml's serde support into the plain structs below (every
//! value as text, so a bad value is reported at its task instead of failing the whole
//! file). Before that, the prologue is checked: a file with a `<!DOCTYPE>` is refused,
//! so no entity is ever declared, expanded or fetched (billion laughs, external
//! entities); quick-xml resolves only the five predefined entities and character
//! references.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::{Date, DateTime, Weekday};
use serde::Deserialize;

use super::recurrence::{self, Rule};
use super::{
    Amount, Draft, DraftActual, DraftCalendar, DraftLink, DraftStatus, DraftTask, DraftWorkstream,
    IdSet, ImportError, ImportOptions, MAX_ROWS, Problem, UNASSIGNED, Unit, slug,
};
use crate::project::LinkType;

// ---- The XML, as serde reads it (only what the import uses; the rest is skipped) ----

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Project {
    #[serde(rename = "SaveVersion")]
    save_version: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Title")]
    title: Option<String>,
    #[serde(rename = "ScheduleFromStart")]
    schedule_from_start: Option<String>,
    #[serde(rename = "StartDate")]
    start_date: Option<String>,
    #[serde(rename = "FinishDate")]
    finish_date: Option<String>,
    #[serde(rename = "StatusDate")]
    status_date: Option<String>,
    #[serde(rename = "CurrentDate")]
    current_date: Option<String>,
    #[serde(rename = "CalendarUID")]
    calendar_uid: Option<String>,
    #[serde(rename = "MinutesPerDay")]
    minutes_per_day: Option<String>,
    #[serde(rename = "MinutesPerWeek")]
    minutes_per_week: Option<String>,
    #[serde(rename = "WeekStartDay")]
    week_start_day: Option<String>,
    #[serde(rename = "ExtendedAttributes")]
    extended: Option<FieldDefinitions>,
    #[serde(rename = "Calendars")]
    calendars: Option<Calendars>,
    #[serde(rename = "Tasks")]
    tasks: Option<Tasks>,
    #[serde(rename = "Resources")]
    resources: Option<Resources>,
    #[serde(rename = "Assignments")]
    assignments: Option<Assignments>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FieldDefinitions {
    #[serde(rename = "ExtendedAttribute")]
    list: Vec<FieldDefinition>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FieldDefinition {
    #[serde(rename = "FieldID")]
    field: Option<String>,
    #[serde(rename = "Alias")]
    alias: Option<String>,
}

/// A custom field's value on a task.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FieldValue {
    #[serde(rename = "FieldID")]
    field: Option<String>,
    #[serde(rename = "Value")]
    value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Calendars {
    #[serde(rename = "Calendar")]
    list: Vec<XmlCalendar>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlCalendar {
    #[serde(rename = "UID")]
    uid: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "BaseCalendarUID")]
    base: Option<String>,
    #[serde(rename = "WeekDays")]
    week_days: Option<WeekDays>,
    #[serde(rename = "Exceptions")]
    exceptions: Option<Exceptions>,
    #[serde(rename = "WorkWeeks")]
    work_weeks: Option<WorkWeeks>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WeekDays {
    #[serde(rename = "WeekDay")]
    list: Vec<WeekDay>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WeekDay {
    #[serde(rename = "DayType")]
    day_type: Option<String>,
    #[serde(rename = "DayWorking")]
    day_working: Option<String>,
    #[serde(rename = "TimePeriod")]
    time_period: Option<TimePeriod>,
    #[serde(rename = "WorkingTimes")]
    working_times: Option<WorkingTimes>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TimePeriod {
    #[serde(rename = "FromDate")]
    from: Option<String>,
    #[serde(rename = "ToDate")]
    to: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WorkingTimes {
    #[serde(rename = "WorkingTime")]
    list: Vec<WorkingTime>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WorkingTime {
    #[serde(rename = "FromTime")]
    from: Option<String>,
    #[serde(rename = "ToTime")]
    to: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Exceptions {
    #[serde(rename = "Exception")]
    list: Vec<XmlException>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlException {
    #[serde(rename = "TimePeriod")]
    time_period: Option<TimePeriod>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Occurrences")]
    occurrences: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    #[serde(rename = "Period")]
    period: Option<String>,
    #[serde(rename = "DaysOfWeek")]
    days_of_week: Option<String>,
    #[serde(rename = "MonthItem")]
    month_item: Option<String>,
    #[serde(rename = "MonthPosition")]
    month_position: Option<String>,
    #[serde(rename = "Month")]
    month: Option<String>,
    #[serde(rename = "MonthDay")]
    month_day: Option<String>,
    #[serde(rename = "DayWorking")]
    day_working: Option<String>,
    #[serde(rename = "WorkingTimes")]
    working_times: Option<WorkingTimes>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WorkWeeks {
    #[serde(rename = "WorkWeek")]
    list: Vec<WorkWeek>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WorkWeek {
    #[serde(rename = "TimePeriod")]
    time_period: Option<TimePeriod>,
    #[serde(rename = "WeekDays")]
    week_days: Option<WeekDays>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Tasks {
    #[serde(rename = "Task")]
    list: Vec<XmlTask>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlTask {
    #[serde(rename = "UID")]
    uid: Option<String>,
    #[serde(rename = "ID")]
    id: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "IsNull")]
    is_null: Option<String>,
    #[serde(rename = "Active")]
    active: Option<String>,
    #[serde(rename = "OutlineLevel")]
    outline_level: Option<String>,
    #[serde(rename = "Summary")]
    summary: Option<String>,
    #[serde(rename = "Milestone")]
    milestone: Option<String>,
    #[serde(rename = "Manual")]
    manual: Option<String>,
    #[serde(rename = "ExternalTask")]
    external: Option<String>,
    #[serde(rename = "Duration")]
    duration: Option<String>,
    #[serde(rename = "DurationFormat")]
    duration_format: Option<String>,
    #[serde(rename = "Start")]
    start: Option<String>,
    #[serde(rename = "Finish")]
    finish: Option<String>,
    #[serde(rename = "ConstraintType")]
    constraint_type: Option<String>,
    #[serde(rename = "ConstraintDate")]
    constraint_date: Option<String>,
    #[serde(rename = "Deadline")]
    deadline: Option<String>,
    #[serde(rename = "CalendarUID")]
    calendar_uid: Option<String>,
    #[serde(rename = "IgnoreResourceCalendar")]
    ignore_resource_calendar: Option<String>,
    #[serde(rename = "Notes")]
    notes: Option<String>,
    #[serde(rename = "PercentComplete")]
    percent_complete: Option<String>,
    #[serde(rename = "ActualStart")]
    actual_start: Option<String>,
    #[serde(rename = "ActualFinish")]
    actual_finish: Option<String>,
    #[serde(rename = "RemainingDuration")]
    remaining_duration: Option<String>,
    #[serde(rename = "PredecessorLink")]
    links: Vec<XmlLink>,
    #[serde(rename = "ExtendedAttribute")]
    extended: Vec<FieldValue>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlLink {
    #[serde(rename = "PredecessorUID")]
    predecessor: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    #[serde(rename = "CrossProject")]
    cross_project: Option<String>,
    #[serde(rename = "LinkLag")]
    lag: Option<String>,
    #[serde(rename = "LagFormat")]
    lag_format: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Resources {
    #[serde(rename = "Resource")]
    list: Vec<XmlResource>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlResource {
    #[serde(rename = "UID")]
    uid: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Type")]
    kind: Option<String>,
    #[serde(rename = "CalendarUID")]
    calendar_uid: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Assignments {
    #[serde(rename = "Assignment")]
    list: Vec<XmlAssignment>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct XmlAssignment {
    #[serde(rename = "TaskUID")]
    task: Option<String>,
    #[serde(rename = "ResourceUID")]
    resource: Option<String>,
}

/// The custom fields `cutover export` writes a task's id and tags in, by alias.
const CUTOVER_ID: &str = crate::render::export::ALIAS_ID;
const CUTOVER_TAGS: &str = crate::render::export::ALIAS_TAGS;
const CUTOVER_GO_LIVE: &str = crate::render::export::ALIAS_GO_LIVE;

// ---- Reading ----

/// Checks the prologue (no `<!DOCTYPE>`, a `Project` root) and reads the document.
fn parse(bytes: &[u8]) -> Result<Project, ImportError> {
    let text = decode(bytes)?;
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::DocType(_)) => {
                return Err(ImportError::Invalid(
                    "the file declares a DOCTYPE: MS Project XML has none, and cutover never \
                     reads entity declarations (they can expand without bound or fetch other \
                     files), so the file is refused"
                        .to_owned(),
                ));
            }
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                let name = e.local_name();
                let name: &str = name.as_ref();
                if name != "Project" {
                    return Err(ImportError::Invalid(format!(
                        "this is not MS Project XML: the root element is `{name}`, not `Project`"
                    )));
                }
                break;
            }
            Ok(quick_xml::events::Event::Eof) => {
                return Err(ImportError::Invalid(
                    "the file has no XML element: it is not MS Project XML".to_owned(),
                ));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(ImportError::Invalid(format!(
                    "not well-formed XML near byte {}: {e}",
                    reader.error_position()
                )));
            }
        }
    }
    let mut de = quick_xml::de::Deserializer::from_str(&text);
    de.recursion_limit(32);
    Project::deserialize(&mut de)
        .map_err(|e| ImportError::Invalid(format!("cannot read the MS Project XML: {e}")))
}

/// UTF-8 (with or without a byte order mark, borrowed), or UTF-16 with one.
fn decode(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, ImportError> {
    let utf16 = |le: bool| -> Result<std::borrow::Cow<'_, str>, ImportError> {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map(std::borrow::Cow::Owned)
            .map_err(|_| ImportError::Invalid("the file is not valid UTF-16 text".to_owned()))
    };
    let utf8 = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => rest,
        [0xFF, 0xFE, ..] => return utf16(true),
        [0xFE, 0xFF, ..] => return utf16(false),
        _ => bytes,
    };
    std::str::from_utf8(utf8)
        .map(std::borrow::Cow::Borrowed)
        .map_err(|e| {
            ImportError::Invalid(format!(
                "the file is not UTF-8 text (invalid byte at {})",
                e.valid_up_to()
            ))
        })
}

// The helpers below take the serde structs' fields as they are (`&Option<String>`), so
// each call reads `text(&t.name)` rather than `text(t.name.as_ref())`.
#[allow(clippy::ref_option)]
fn flag(v: &Option<String>) -> bool {
    v.as_deref().map(str::trim) == Some("1")
}

#[allow(clippy::ref_option)]
fn int(v: &Option<String>) -> Option<i64> {
    v.as_deref()?.trim().parse().ok()
}

#[allow(clippy::ref_option)]
fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[allow(clippy::ref_option)]
fn datetime(v: &Option<String>) -> Option<DateTime> {
    let t = text(v)?;
    // Drop fractions and any offset: MSPDI times are local, with no zone.
    let t = t.get(..19).unwrap_or(t);
    t.parse::<DateTime>().ok()
}

/// An ISO 8601 duration (`PT8H0M0S`, `-PT4800H`, `PT7H30M0.5S`) in whole minutes.
fn iso_minutes(v: &str) -> Option<i64> {
    let t = v.trim();
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let span: jiff::Span = t.parse().ok()?;
    if span.get_years() != 0 || span.get_months() != 0 || span.get_weeks() != 0 {
        return None;
    }
    let seconds = i64::from(span.get_days()) * 86_400
        + i64::from(span.get_hours()) * 3600
        + span.get_minutes() * 60
        + span.get_seconds();
    let sub = span.get_milliseconds() * 1000
        + span.get_microseconds() * 1000
        + span.get_nanoseconds() / 1000;
    let total_seconds = seconds as f64 + sub as f64 / 1_000_000.0;
    let minutes = (total_seconds / 60.0).round() as i64;
    Some(if neg { -minutes } else { minutes })
}

/// A `DurationFormat` or `LagFormat` code: the unit shown, and whether it is elapsed
/// time. `None` for percent formats (19, 20, 51, 52).
fn format_unit(code: Option<i64>) -> Option<(Unit, bool)> {
    let code = code.unwrap_or(7);
    let base = if code >= 35 { code - 32 } else { code };
    Some(match base {
        3 => (Unit::Minutes, false),
        4 => (Unit::Minutes, true),
        5 => (Unit::Hours, false),
        6 => (Unit::Hours, true),
        8 | 12 => (Unit::Days, true),
        9 => (Unit::Weeks, false),
        10 => (Unit::Weeks, true),
        19 | 20 => return None,
        // 7 (days), 11 and 21 (days in older versions), and any other code.
        _ => (Unit::Days, false),
    })
}

/// Where a task is, for messages: `task 12 (UID 14) "Load data"`.
fn place(t: &XmlTask) -> String {
    let id = text(&t.id).unwrap_or("?");
    let uid = text(&t.uid).unwrap_or("?");
    match text(&t.name) {
        Some(n) => format!(
            "task {id} (UID {uid}) \"{}\"",
            n.chars().take(60).collect::<String>()
        ),
        None => format!("task {id} (UID {uid})"),
    }
}

/// Working ranges in minutes of the day; `ToTime` 00:00 is the midnight that ends the
/// day. Ranges that overlap or are out of order are merged.
#[allow(clippy::ref_option)]
fn ranges(times: &Option<WorkingTimes>) -> Vec<(u16, u16)> {
    let clock = |v: &Option<String>| -> Option<u16> {
        let t = text(v)?;
        let mut parts = t.split(':');
        let h: u16 = parts.next()?.parse().ok()?;
        let m: u16 = parts.next()?.parse().ok()?;
        (h <= 24 && m < 60)
            .then_some(h * 60 + m)
            .filter(|&x| x <= 1440)
    };
    let mut out: Vec<(u16, u16)> = times
        .iter()
        .flat_map(|w| &w.list)
        .filter_map(|w| {
            let from = clock(&w.from)?;
            let to = clock(&w.to)?;
            let to = if to == 0 { 1440 } else { to };
            (from < to).then_some((from, to))
        })
        .collect();
    out.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(out.len());
    for (s, e) in out {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// MS Project's default working day, for a `DayWorking` 1 without times.
const DEFAULT_DAY: [(u16, u16); 2] = [(480, 720), (780, 1020)];

#[allow(clippy::ref_option)]
fn day_ranges(day_working: &Option<String>, times: &Option<WorkingTimes>) -> Vec<(u16, u16)> {
    if !flag(day_working) {
        return Vec::new();
    }
    let r = ranges(times);
    if r.is_empty() {
        DEFAULT_DAY.to_vec()
    } else {
        r
    }
}

/// A calendar resolved against its base: hours per weekday (Monday first) and what
/// each dated exception makes of its day (`None`: not working).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Effective {
    week: [Vec<(u16, u16)>; 7],
    dates: BTreeMap<Date, Option<Vec<(u16, u16)>>>,
}

/// Index (Monday first) of MSPDI's `DayType` 1 (Sunday) .. 7 (Saturday).
fn weekday_index(day_type: i64) -> Option<usize> {
    match day_type {
        1 => Some(6),
        2..=7 => Some((day_type - 2) as usize),
        _ => None,
    }
}

/// Most exception days kept over all calendars (a hostile file could ask for millions).
const MAX_EXCEPTION_DAYS: usize = 200_000;

struct Calendars2<'a> {
    by_uid: HashMap<i64, &'a XmlCalendar>,
    window: (Date, Date),
    week_start: Weekday,
    resolved: HashMap<i64, Option<Effective>>,
    days: usize,
}

impl Calendars2<'_> {
    /// The calendar `uid` with its base applied; `None` if unknown or cyclic.
    fn effective(
        &mut self,
        uid: i64,
        problems: &mut Vec<Problem>,
    ) -> Result<Option<Effective>, ImportError> {
        if let Some(e) = self.resolved.get(&uid) {
            return Ok(e.clone());
        }
        // The chain of bases, this calendar first (stops at a repeat or 16 levels).
        let mut chain = Vec::new();
        let mut next = Some(uid);
        while let Some(u) = next {
            if chain.contains(&u) || chain.len() >= 16 {
                break;
            }
            let Some(cal) = self.by_uid.get(&u) else {
                break;
            };
            chain.push(u);
            next = int(&cal.base).filter(|&b| b >= 0 && b != u && self.by_uid.contains_key(&b));
        }
        if chain.is_empty() {
            self.resolved.insert(uid, None);
            return Ok(None);
        }
        let mut eff = Effective::default();
        // Bases first, so each derived calendar overrides what it redefines.
        for &u in chain.iter().rev() {
            let cal = self.by_uid[&u];
            let name = text(&cal.name).unwrap_or("(unnamed)").to_owned();
            let mut expanded = false;
            for wd in cal.week_days.iter().flat_map(|w| &w.list) {
                let day_type = int(&wd.day_type).unwrap_or(-1);
                if day_type == 0 {
                    expanded = true;
                    let Some(tp) = &wd.time_period else { continue };
                    let r = day_ranges(&wd.day_working, &wd.working_times);
                    self.add_range(
                        &mut eff,
                        tp,
                        if r.is_empty() { None } else { Some(r) },
                        &name,
                        problems,
                    )?;
                } else if let Some(i) = weekday_index(day_type) {
                    eff.week[i] = day_ranges(&wd.day_working, &wd.working_times);
                }
            }
            if !expanded {
                for ex in cal.exceptions.iter().flat_map(|e| &e.list) {
                    self.add_exception(&mut eff, ex, &name, problems)?;
                }
            }
            for ww in cal.work_weeks.iter().flat_map(|w| &w.list) {
                self.add_work_week(&mut eff, ww, &name, problems)?;
            }
        }
        self.resolved.insert(uid, Some(eff.clone()));
        Ok(Some(eff))
    }

    fn period(tp: &TimePeriod) -> Option<(Date, Date)> {
        let from = datetime(&tp.from)?.date();
        let to = datetime(&tp.to)?.date();
        (from <= to).then_some((from, to))
    }

    fn count(&mut self, n: usize) -> Result<(), ImportError> {
        self.days += n;
        if self.days > MAX_EXCEPTION_DAYS {
            return Err(ImportError::Invalid(format!(
                "the calendars' exceptions cover more than {MAX_EXCEPTION_DAYS} days within the \
                 plan's horizon: refused as too large"
            )));
        }
        Ok(())
    }

    fn add_range(
        &mut self,
        eff: &mut Effective,
        tp: &TimePeriod,
        day: Option<Vec<(u16, u16)>>,
        calendar: &str,
        problems: &mut Vec<Problem>,
    ) -> Result<(), ImportError> {
        let Some((from, to)) = Self::period(tp) else {
            problems.push(Problem::error(
                format!("calendar \"{calendar}\""),
                "an exception without a readable date range was left out",
            ));
            return Ok(());
        };
        let dates = recurrence::dates(
            &Rule {
                kind: 1,
                period: 1,
                ..Rule::default()
            },
            from,
            to,
            self.window,
            self.week_start,
        );
        self.count(dates.len())?;
        for d in dates {
            eff.dates.insert(d, day.clone());
        }
        Ok(())
    }

    fn add_exception(
        &mut self,
        eff: &mut Effective,
        ex: &XmlException,
        calendar: &str,
        problems: &mut Vec<Problem>,
    ) -> Result<(), ImportError> {
        let Some((from, to)) = ex.time_period.as_ref().and_then(Self::period) else {
            problems.push(Problem::error(
                format!("calendar \"{calendar}\""),
                format!(
                    "exception \"{}\" has no readable date range and was left out",
                    text(&ex.name).unwrap_or("")
                ),
            ));
            return Ok(());
        };
        let small = |v: &Option<String>| int(v).and_then(|n| u8::try_from(n).ok()).unwrap_or(0);
        let rule = Rule {
            kind: small(&ex.kind).max(1),
            period: int(&ex.period)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(1),
            days_of_week: small(&ex.days_of_week),
            month_item: small(&ex.month_item),
            month_position: small(&ex.month_position),
            month: small(&ex.month),
            month_day: small(&ex.month_day),
        };
        if !(1..=7).contains(&rule.kind) {
            problems.push(Problem::error(
                format!("calendar \"{calendar}\""),
                format!(
                    "exception \"{}\" has a recurrence (type {}) cutover does not know, and was left out",
                    text(&ex.name).unwrap_or(""),
                    rule.kind
                ),
            ));
            return Ok(());
        }
        let r = day_ranges(&ex.day_working, &ex.working_times);
        let day = if r.is_empty() { None } else { Some(r) };
        let dates = recurrence::dates(&rule, from, to, self.window, self.week_start);
        self.count(dates.len())?;
        for d in dates {
            eff.dates.insert(d, day.clone());
        }
        Ok(())
    }

    /// A work week (Project 2007+: other hours over a date range) as dated exceptions.
    fn add_work_week(
        &mut self,
        eff: &mut Effective,
        ww: &WorkWeek,
        calendar: &str,
        problems: &mut Vec<Problem>,
    ) -> Result<(), ImportError> {
        let Some((from, to)) = ww.time_period.as_ref().and_then(Self::period) else {
            problems.push(Problem::error(
                format!("calendar \"{calendar}\""),
                "a work week without a readable date range was left out",
            ));
            return Ok(());
        };
        let mut week: [Option<Vec<(u16, u16)>>; 7] = Default::default();
        for wd in ww.week_days.iter().flat_map(|w| &w.list) {
            if let Some(i) = int(&wd.day_type).and_then(weekday_index) {
                week[i] = Some(day_ranges(&wd.day_working, &wd.working_times));
            }
        }
        let dates = recurrence::dates(
            &Rule {
                kind: 1,
                period: 1,
                ..Rule::default()
            },
            from,
            to,
            self.window,
            self.week_start,
        );
        self.count(dates.len())?;
        for d in dates {
            let i = d.weekday().to_monday_zero_offset() as usize;
            if let Some(r) = &week[i] {
                // An exception on the same date wins over the work week.
                eff.dates
                    .entry(d)
                    .or_insert_with(|| if r.is_empty() { None } else { Some(r.clone()) });
            }
        }
        Ok(())
    }
}

impl Effective {
    /// The calendar as the runbook writes it: the week, holidays where the week would
    /// work, and exceptions where a date's hours differ from its weekday's.
    fn draft(&self, id: String, source_name: String, day_minutes: i64) -> DraftCalendar {
        let mut holidays = Vec::new();
        let mut exceptions = Vec::new();
        for (date, day) in &self.dates {
            let weekday = &self.week[date.weekday().to_monday_zero_offset() as usize];
            match day {
                None if !weekday.is_empty() => holidays.push(*date),
                Some(r) if r != weekday => exceptions.push((*date, r.clone())),
                _ => {}
            }
        }
        DraftCalendar {
            id,
            source_name,
            week: self.week.clone(),
            holidays,
            exceptions,
            day_minutes: Some(day_minutes),
        }
    }

    /// Every minute of every day works, with no dated exception.
    fn all_day(&self) -> bool {
        self.dates.is_empty() && self.week.iter().all(|d| d.as_slice() == [(0, 1440)])
    }

    fn works(&self) -> bool {
        self.week.iter().any(|d| !d.is_empty())
    }
}

/// One task as read, before ids are given.
struct Row<'a> {
    xml: &'a XmlTask,
    uid: i64,
    id: i64,
    level: i64,
    summary: bool,
}

/// Reads an MSPDI file into a draft runbook.
pub fn read(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<(Draft, Vec<Problem>), ImportError> {
    let project = parse(bytes)?;
    let mut problems = Vec::new();
    let task_count = project.tasks.as_ref().map_or(0, |t| t.list.len());
    if task_count > MAX_ROWS {
        return Err(ImportError::Invalid(format!(
            "the file has {task_count} tasks, more than the {MAX_ROWS} an import reads"
        )));
    }
    let version = match text(&project.save_version) {
        Some(v) => format!(
            "saved by {}",
            match v {
                "9" => "Project 2000".to_owned(),
                "10" | "11" => "Project 2002 or 2003".to_owned(),
                "12" => "Project 2007".to_owned(),
                "14" => "Project 2010 or later".to_owned(),
                other => format!("MS Project (save version {other})"),
            }
        ),
        None => "saved by Project 2003 or earlier".to_owned(),
    };
    let mut draft = Draft {
        name: text(&project.title).or(text(&project.name)).map_or_else(
            || file_name.to_owned(),
            |n| n.strip_suffix(".xml").unwrap_or(n).to_owned(),
        ),
        source: format!("{file_name} (MS Project XML, {version})"),
        ..Draft::default()
    };
    if let Some(tz) = &options.timezone {
        draft.timezone.clone_from(tz);
    } else {
        super::DEFAULT_TIMEZONE.clone_into(&mut draft.timezone);
        draft.timezone_assumed = true;
    }
    let start = match (options.start, datetime(&project.start_date)) {
        (Some(s), _) | (None, Some(s)) => s,
        (None, None) => {
            draft.start_assumed = Some("the file has no project start; today at 09:00".to_owned());
            options.today.at(9, 0, 0, 0)
        }
    };
    draft.start = start;
    let finish = datetime(&project.finish_date).filter(|&f| f > start);
    if text(&project.schedule_from_start) == Some("0") {
        problems.push(
            Problem::warning(
                "project",
                "MS Project schedules this project from its finish date (backwards); cutover \
                 schedules forwards from the start",
            )
            .with_help("dates will differ: tasks start as early as they can"),
        );
        draft.remarks.push(
            "MS Project scheduled this plan backwards from its finish; cutover schedules it forwards."
                .to_owned(),
        );
    }

    let minutes_per_day = int(&project.minutes_per_day)
        .filter(|&m| (1..=1440).contains(&m))
        .unwrap_or(480);
    let minutes_per_week = int(&project.minutes_per_week)
        .filter(|&m| (1..=10080).contains(&m))
        .unwrap_or(minutes_per_day * 5);
    let week_start = match int(&project.week_start_day) {
        Some(1) => Weekday::Monday,
        Some(2) => Weekday::Tuesday,
        Some(3) => Weekday::Wednesday,
        Some(4) => Weekday::Thursday,
        Some(5) => Weekday::Friday,
        Some(6) => Weekday::Saturday,
        _ => Weekday::Sunday,
    };
    // Exceptions are kept for the plan's horizon: ten years either side.
    let year = |d: DateTime, by: i16| {
        Date::new((d.year() + by).clamp(1900, 2999), 1, 1).unwrap_or(d.date())
    };
    let window = (
        year(start, -10),
        year(finish.unwrap_or(start), 11)
            .yesterday()
            .unwrap_or(start.date()),
    );
    let by_uid: HashMap<i64, &XmlCalendar> = project
        .calendars
        .iter()
        .flat_map(|c| &c.list)
        .filter_map(|c| Some((int(&c.uid)?, c)))
        .collect();
    let mut calendars = Calendars2 {
        by_uid,
        window,
        week_start,
        resolved: HashMap::new(),
        days: 0,
    };

    // ---- Tasks in outline order ----
    let mut rows: Vec<Row> = Vec::new();
    let mut skipped_null = 0;
    for t in project.tasks.iter().flat_map(|t| &t.list) {
        let Some(uid) = int(&t.uid) else {
            problems.push(Problem::error(
                place(t),
                "a task without a UID was left out",
            ));
            continue;
        };
        if uid == 0 {
            continue; // the project summary
        }
        if flag(&t.is_null) {
            skipped_null += 1;
            continue;
        }
        if text(&t.active) == Some("0") {
            problems.push(Problem::warning(
                place(t),
                "an inactive task (MS Project does not schedule it) was left out",
            ));
            continue;
        }
        if flag(&t.external) {
            problems.push(Problem::warning(
                place(t),
                "a task from another project (an external task) was left out; links to it are dropped",
            ));
            continue;
        }
        rows.push(Row {
            xml: t,
            uid,
            id: int(&t.id).unwrap_or(uid),
            level: int(&t.outline_level).unwrap_or(1).max(1),
            summary: flag(&t.summary),
        });
    }
    rows.sort_by_key(|r| r.id);
    if skipped_null > 0 {
        draft.remarks.push(format!(
            "{skipped_null} blank {} in MS Project {} left out.",
            if skipped_null == 1 { "row" } else { "rows" },
            if skipped_null == 1 { "was" } else { "were" }
        ));
    }

    // Outline: each row's summary ancestors, outermost first.
    let mut ancestors: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        while stack.last().is_some_and(|&s| rows[s].level >= r.level) {
            stack.pop();
        }
        ancestors.push(stack.clone());
        if r.summary {
            stack.push(i);
        }
    }
    // Leaf descendants of each summary, for links to and from it.
    let mut leaves: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if !r.summary {
            for &a in &ancestors[i] {
                leaves.entry(a).or_default().push(i);
            }
        }
    }

    // ---- Calendars: the project's, and those tasks name ----
    let project_cal_uid = int(&project.calendar_uid).unwrap_or(1);
    let mut cal_ids = IdSet::default();
    cal_ids.claim("24x7");
    let mut drafted: HashMap<i64, Option<String>> = HashMap::new();
    let mut draft_calendar = |uid: i64,
                              draft: &mut Draft,
                              calendars: &mut Calendars2,
                              problems: &mut Vec<Problem>|
     -> Result<Option<String>, ImportError> {
        if let Some(id) = drafted.get(&uid) {
            return Ok(id.clone());
        }
        let Some(eff) = calendars.effective(uid, problems)? else {
            drafted.insert(uid, None);
            return Ok(None);
        };
        if eff.all_day() {
            // Every minute of every day: the built-in `24x7`.
            drafted.insert(uid, Some("24x7".to_owned()));
            return Ok(Some("24x7".to_owned()));
        }
        if !eff.works() {
            problems.push(Problem::error(
                format!("calendar UID {uid}"),
                "a calendar with no working day was left out; its tasks use the project's calendar",
            ));
            drafted.insert(uid, None);
            return Ok(None);
        }
        let name = calendars
            .by_uid
            .get(&uid)
            .and_then(|c| text(&c.name))
            .unwrap_or("")
            .to_owned();
        let wanted = match slug(&name) {
            s if s.is_empty() => format!("calendar-{uid}"),
            s => s,
        };
        let id = cal_ids.claim(&wanted);
        draft
            .calendars
            .push(eff.draft(id.clone(), name, minutes_per_day));
        drafted.insert(uid, Some(id.clone()));
        Ok(Some(id))
    };
    let project_calendar =
        draft_calendar(project_cal_uid, &mut draft, &mut calendars, &mut problems)?;
    draft.default_calendar = project_calendar.clone().filter(|c| c != "24x7");
    if project_calendar.is_none() {
        problems.push(
            Problem::warning(
                "project",
                format!(
                    "the project calendar (UID {project_cal_uid}) is missing or has no working time"
                ),
            )
            .with_help(
                "tasks are scheduled round the clock (24x7): set `default_calendar` after import",
            ),
        );
    }
    if minutes_per_week != minutes_per_day * 5 {
        draft.remarks.push(format!(
            "MS Project's week is {} working hours; here `1w` is a calendar's day times its working days.",
            minutes_per_week as f64 / 60.0
        ));
    }

    // ---- Resources, as owners ----
    let resources: HashMap<i64, &XmlResource> = project
        .resources
        .iter()
        .flat_map(|r| &r.list)
        .filter_map(|r| Some((int(&r.uid)?, r)))
        .collect();
    let mut owners: HashMap<i64, Vec<&XmlResource>> = HashMap::new();
    for a in project.assignments.iter().flat_map(|a| &a.list) {
        let (Some(task), Some(res)) = (int(&a.task), int(&a.resource)) else {
            continue;
        };
        if let Some(r) = resources.get(&res)
            && text(&r.name).is_some()
            // Material (0) and cost (2) resources are not people.
            && !matches!(int(&r.kind), Some(0 | 2))
        {
            let list = owners.entry(task).or_default();
            if !list.iter().any(|x| std::ptr::eq(*x, *r)) {
                list.push(r);
            }
        }
    }

    // ---- Ids: the runbook's own (custom field `Cutover ID`, written by `cutover
    // export`), else from names, numbered with the MS Project ID where names repeat ----
    let field = |alias: &str| -> Option<String> {
        project
            .extended
            .iter()
            .flat_map(|e| &e.list)
            .find(|d| text(&d.alias).is_some_and(|a| a.eq_ignore_ascii_case(alias)))
            .and_then(|d| text(&d.field).map(str::to_owned))
    };
    let (id_field, tags_field, go_live_field) = (
        field(CUTOVER_ID),
        field(CUTOVER_TAGS),
        field(CUTOVER_GO_LIVE),
    );
    let value_of = |r: &Row, field: &Option<String>| -> Option<String> {
        let f = field.as_deref()?;
        r.xml
            .extended
            .iter()
            .find(|v| text(&v.field) == Some(f))
            .and_then(|v| text(&v.value).map(str::to_owned))
    };
    let kept: Vec<Option<String>> = rows
        .iter()
        .map(|r| value_of(r, &id_field).filter(|id| crate::validate::is_valid_id(id)))
        .collect();
    let mut slug_count: HashMap<String, usize> = HashMap::new();
    let slugs: Vec<String> = rows
        .iter()
        .map(|r| {
            let s = slug(text(&r.xml.name).unwrap_or(""));
            *slug_count.entry(s.clone()).or_default() += 1;
            s
        })
        .collect();
    let mut task_ids = IdSet::default();
    let mut ws_ids = IdSet::default();
    let mut own: Vec<Option<String>> = vec![None; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        if let Some(k) = &kept[i] {
            let set = if r.summary {
                &mut ws_ids
            } else {
                &mut task_ids
            };
            if !set.contains(k) {
                own[i] = Some(set.claim(k));
            }
        }
    }
    let ids: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if let Some(id) = own[i].take() {
                return id;
            }
            let s = &slugs[i];
            let prefix = if r.summary { "workstream" } else { "task" };
            let wanted = if s.is_empty() {
                format!("{prefix}-{}", r.id)
            } else if slug_count[s] > 1 {
                format!("{s}-{}", r.id)
            } else {
                s.clone()
            };
            if r.summary {
                ws_ids.claim(&wanted)
            } else {
                task_ids.claim(&wanted)
            }
        })
        .collect();

    // ---- Workstreams: top-level summaries that hold tasks ----
    let mut workstream_of: Vec<Option<usize>> = vec![None; rows.len()];
    for (i, r) in rows.iter().enumerate() {
        if !r.summary {
            workstream_of[i] = ancestors[i].first().copied();
        }
    }
    let used: HashSet<usize> = workstream_of.iter().flatten().copied().collect();
    for (i, r) in rows.iter().enumerate() {
        if r.summary && used.contains(&i) && ancestors[i].is_empty() {
            draft.workstreams.push(DraftWorkstream {
                id: ids[i].clone(),
                name: text(&r.xml.name).unwrap_or(&ids[i]).to_owned(),
            });
        }
    }
    if !draft.workstreams.is_empty() {
        draft.remarks.push(
            "Top-level summary tasks are workstreams; a deeper summary is a tag on its tasks."
                .to_owned(),
        );
    }

    // ---- Tasks ----
    let index_of_uid: HashMap<i64, usize> =
        rows.iter().enumerate().map(|(i, r)| (r.uid, i)).collect();
    let durations: Vec<i64> = rows
        .iter()
        .map(|r| text(&r.xml.duration).and_then(iso_minutes).unwrap_or(0))
        .collect();
    let mut manual = 0;
    let mut task_index: HashMap<usize, usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let t = r.xml;
        if r.summary {
            summary_losses(t, &mut problems);
            continue;
        }
        let here = place(t);
        let mut task = DraftTask {
            id: ids[i].clone(),
            name: text(&t.name).map_or_else(|| format!("Task {}", r.id), str::to_owned),
            workstream: workstream_of[i].map(|w| ids[w].clone()),
            go_live: value_of(r, &go_live_field)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("yes")),
            ..DraftTask::default()
        };
        match value_of(r, &tags_field) {
            Some(tags) => task.tags.extend(tags.split_whitespace().map(str::to_owned)),
            None if kept[i].is_none() => task.tags.push(format!("msp-{}", r.id)),
            None => {}
        }
        for &a in ancestors[i].iter().skip(1) {
            let tag = ids[a].clone();
            if !task.tags.contains(&tag) {
                task.tags.push(tag);
            }
        }
        // Owner.
        match owners.get(&r.uid) {
            Some(list) if !list.is_empty() => {
                task.owner = list
                    .iter()
                    .filter_map(|r| text(&r.name))
                    .collect::<Vec<_>>()
                    .join(", ");
                resource_calendar_warning(
                    r,
                    list,
                    &mut calendars,
                    project_cal_uid,
                    &here,
                    &mut problems,
                )?;
            }
            _ => {
                UNASSIGNED.clone_into(&mut task.owner);
                draft.unassigned += 1;
            }
        }
        // Duration and milestones.
        let minutes = durations[i];
        let format = format_unit(int(&t.duration_format));
        let milestone_flag = flag(&t.milestone);
        if minutes < 0 {
            problems.push(Problem::error(
                &here,
                "a negative duration was read as zero",
            ));
        }
        if minutes <= 0 {
            task.duration = None;
        } else {
            let (unit, elapsed) = format.unwrap_or((Unit::Days, false));
            task.duration = Some(Amount {
                minutes,
                unit,
                elapsed,
            });
            if milestone_flag {
                problems.push(Problem::warning(
                    &here,
                    "marked as a milestone but has a duration: imported as a task of that duration",
                ));
            }
        }
        // Calendar.
        if task.duration.is_some()
            && let Some(uid) = int(&t.calendar_uid).filter(|&u| u >= 0 && u != project_cal_uid)
        {
            match draft_calendar(uid, &mut draft, &mut calendars, &mut problems)? {
                Some(id) if id != draft.default_calendar.as_deref().unwrap_or("24x7") => {
                    task.calendar = Some(id);
                }
                Some(_) => {}
                None => problems.push(Problem::error(
                    &here,
                    format!("its calendar (UID {uid}) is missing; the project's calendar is used"),
                )),
            }
        }
        if flag(&t.manual) {
            manual += 1;
            problems.push(
                Problem::warning(
                    &here,
                    "manually scheduled in MS Project: cutover schedules it from its links",
                )
                .with_help("its dates were typed, not computed; check them after import"),
            );
            task.tags.push("manual".to_owned());
        }
        // Constraints, its own and its summaries'.
        constrain(&mut task, t, start, &here, &mut problems);
        for &a in &ancestors[i] {
            let s = rows[a].xml;
            let before = (task.not_before, task.deadline);
            constrain(&mut task, s, start, &here, &mut problems);
            if (task.not_before, task.deadline) != before {
                problems.push(Problem::warning(
                    &here,
                    format!(
                        "takes the constraint or deadline of its summary \"{}\"",
                        text(&s.name).unwrap_or("")
                    ),
                ));
            }
        }
        task.notes = text(&t.notes).map(|n| n.replace("\r\n", "\n").replace('\r', "\n"));
        task_index.insert(i, draft.tasks.len());
        draft.tasks.push(task);
    }
    if manual > 0 {
        draft.remarks.push(format!(
            "{manual} manually scheduled {} (tagged `manual`) {} scheduled from links here.",
            if manual == 1 { "task" } else { "tasks" },
            if manual == 1 { "is" } else { "are" }
        ));
    }

    // ---- Links ----
    // Read first, so links between tasks can show which tasks under a summary a link
    // to or from it needs.
    let mut raw: Vec<(usize, usize, LinkType, Option<Amount>)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for l in &r.xml.links {
            let here = place(r.xml);
            if flag(&l.cross_project) {
                problems.push(Problem::warning(
                    &here,
                    "a link from another project was left out",
                ));
                continue;
            }
            let Some(p) = int(&l.predecessor).and_then(|u| index_of_uid.get(&u).copied()) else {
                problems.push(Problem::error(
                    &here,
                    format!(
                        "a link from UID {} (no such task, or one left out) was dropped",
                        text(&l.predecessor).unwrap_or("?")
                    ),
                ));
                continue;
            };
            let link = match int(&l.kind).unwrap_or(1) {
                0 => LinkType::FF,
                1 => LinkType::FS,
                2 => LinkType::SF,
                3 => LinkType::SS,
                other => {
                    problems.push(Problem::error(
                        &here,
                        format!("a link of unknown type {other} was dropped"),
                    ));
                    continue;
                }
            };
            let lag = lag(l, durations[p], &here, &mut problems);
            if rows[p].summary && matches!(link, LinkType::SS | LinkType::SF) {
                problems.push(Problem::warning(
                    &here,
                    format!(
                        "a {link} link from the summary \"{}\" now waits for every task under it to start (MS Project: the first)",
                        text(&rows[p].xml.name).unwrap_or("")
                    ),
                ));
            }
            raw.push((i, p, link, lag));
        }
    }
    // Between tasks (not summaries): who starts after whom, who finishes after whom.
    let mut starts_after: HashSet<(usize, usize)> = HashSet::new();
    let mut finishes_before: HashSet<(usize, usize)> = HashSet::new();
    for &(s, p, link, lag) in &raw {
        if rows[s].summary || rows[p].summary || lag.is_some_and(|l| l.minutes < 0) {
            continue;
        }
        // s starts no earlier than p starts (FS, SS with a lag >= 0).
        if matches!(link, LinkType::FS | LinkType::SS) {
            starts_after.insert((s, p));
        }
        // p finishes no later than s finishes (FS, FF with a lag >= 0).
        if matches!(link, LinkType::FS | LinkType::FF) {
            finishes_before.insert((p, s));
        }
    }
    // (successor row, predecessor row, type) -> lag; repeats keep the larger lag.
    let mut links: BTreeMap<(usize, usize, u8), (LinkType, Option<Amount>)> = BTreeMap::new();
    for (i, p, link, lag) in raw {
        // A link into a summary applies to each task under it; one that holds back a
        // start is needed only by tasks that nothing else under the summary starts
        // before (the rest follow them).
        let succs: Vec<usize> = if rows[i].summary {
            let under = leaves.get(&i).cloned().unwrap_or_default();
            if matches!(link, LinkType::FS | LinkType::SS) {
                under
                    .iter()
                    .copied()
                    .filter(|&s| !under.iter().any(|&o| starts_after.contains(&(s, o))))
                    .collect()
            } else {
                under
            }
        } else {
            vec![i]
        };
        // A link from a summary's finish waits for the tasks under it that finish
        // last: those no other task under it finishes after.
        let preds: Vec<usize> = if rows[p].summary {
            let under = leaves.get(&p).cloned().unwrap_or_default();
            if matches!(link, LinkType::FS | LinkType::FF) {
                under
                    .iter()
                    .copied()
                    .filter(|&q| !under.iter().any(|&o| finishes_before.contains(&(q, o))))
                    .collect()
            } else {
                under
            }
        } else {
            vec![p]
        };
        for &s in &succs {
            for &q in &preds {
                if s == q || ancestors[s].contains(&q) || ancestors[q].contains(&s) {
                    continue;
                }
                let key = (s, q, link as u8);
                let keep = match links.get(&key) {
                    Some((_, old)) => old.map_or(0, |a| a.minutes) < lag.map_or(0, |a| a.minutes),
                    None => true,
                };
                if keep {
                    links.insert(key, (link, lag));
                }
            }
        }
    }
    for ((s, q, _), (link, lag)) in links {
        let (Some(&ts), Some(&tq)) = (task_index.get(&s), task_index.get(&q)) else {
            continue;
        };
        let pred = draft.tasks[tq].id.clone();
        let task = &mut draft.tasks[ts];
        if task.duration.is_none() && lag.is_some_and(|l| !l.elapsed && l.minutes != 0) {
            problems.push(Problem::warning(
                place(rows[s].xml),
                "a lag into a milestone counts in elapsed time in cutover (MS Project: working time)",
            ));
        }
        task.after.push(DraftLink {
            task: pred,
            link,
            lag,
        });
    }

    // ---- Status: actuals ----
    draft.status = status(&rows, &task_index, &draft, &project, start);
    Ok((draft, problems))
}

/// What a summary task has that a workstream cannot hold.
fn summary_losses(t: &XmlTask, problems: &mut Vec<Problem>) {
    if text(&t.notes).is_some() {
        problems.push(Problem::warning(
            place(t),
            "the notes of a summary task are not kept",
        ));
    }
}

/// Applies `source`'s constraint and deadline to `task` (from the task itself or one of
/// its summaries): start-no-earlier-than and must-start-on give `not_before`,
/// finish-no-later-than, must-finish-on and deadlines give `deadline`.
fn constrain(
    task: &mut DraftTask,
    source: &XmlTask,
    start: DateTime,
    here: &str,
    problems: &mut Vec<Problem>,
) {
    let date = datetime(&source.constraint_date);
    let kind = int(&source.constraint_type).unwrap_or(0);
    let later = |a: Option<DateTime>, b: DateTime| Some(a.map_or(b, |a| a.max(b)));
    let earlier = |a: Option<DateTime>, b: DateTime| Some(a.map_or(b, |a| a.min(b)));
    match (kind, date) {
        (0, _) => {}
        (4, Some(d)) => {
            task.not_before = later(task.not_before, d);
            if d < start {
                problems.push(Problem::warning(
                    here,
                    "its start-no-earlier-than date is before the project start; cutover starts it no earlier than the plan's start",
                ));
            }
        }
        (2, Some(d)) => {
            task.not_before = later(task.not_before, d);
            problems.push(Problem::warning(
                here,
                "must start on: imported as not before that date (it may start later if its links say so)",
            ));
        }
        (7, Some(d)) => task.deadline = earlier(task.deadline, d),
        (3, Some(d)) => {
            task.deadline = earlier(task.deadline, d);
            problems.push(Problem::warning(
                here,
                "must finish on: imported as a deadline (it may finish earlier)",
            ));
        }
        (1, _) => problems.push(Problem::warning(
            here,
            "as late as possible: cutover schedules every task as soon as possible",
        )),
        (5, Some(d)) => problems.push(Problem::warning(
            here,
            format!(
                "start no later than {}: the runbook has no such constraint; left out",
                crate::render::runbook::instant(d)
            ),
        )),
        (6, Some(d)) => problems.push(Problem::warning(
            here,
            format!(
                "finish no earlier than {}: the runbook has no such constraint; left out",
                crate::render::runbook::instant(d)
            ),
        )),
        (k, _) => problems.push(Problem::error(
            here,
            format!("a constraint (type {k}) without a readable date was left out"),
        )),
    }
    if let Some(d) = datetime(&source.deadline) {
        task.deadline = earlier(task.deadline, d);
    }
    if let (Some(nb), Some(dl)) = (task.not_before, task.deadline)
        && dl < nb
    {
        problems.push(Problem::error(
            here,
            "its deadline is before it may start: the deadline was left out",
        ));
        task.deadline = None;
    }
}

/// A link's lag: tenths of a minute of working (or elapsed) time, or a percentage of
/// the predecessor's duration.
fn lag(l: &XmlLink, pred_minutes: i64, here: &str, problems: &mut Vec<Problem>) -> Option<Amount> {
    let raw = int(&l.lag).unwrap_or(0);
    if raw == 0 {
        return None;
    }
    let code = int(&l.lag_format);
    if let Some((unit, elapsed)) = format_unit(code) {
        let minutes = (raw as f64 / 10.0).round() as i64;
        (minutes != 0).then_some(Amount {
            minutes,
            unit,
            elapsed,
        })
    } else {
        let elapsed = matches!(code, Some(20 | 52));
        let minutes = (pred_minutes as f64 * raw as f64 / 100.0).round() as i64;
        problems.push(Problem::warning(
            here,
            format!(
                "a lag of {raw}% of the predecessor's duration is a fixed lag here ({minutes} minutes)"
            ),
        ));
        (minutes != 0).then_some(Amount {
            minutes,
            unit: Unit::Hours,
            elapsed,
        })
    }
}

/// Warns when MS Project would schedule a task on its resources' calendars and those
/// differ from the task's own.
fn resource_calendar_warning(
    row: &Row,
    resources: &[&XmlResource],
    calendars: &mut Calendars2,
    project_cal: i64,
    here: &str,
    problems: &mut Vec<Problem>,
) -> Result<(), ImportError> {
    if flag(&row.xml.ignore_resource_calendar) {
        return Ok(());
    }
    let task_cal = int(&row.xml.calendar_uid)
        .filter(|&u| u >= 0)
        .unwrap_or(project_cal);
    let own = calendars.effective(task_cal, problems)?;
    for r in resources {
        let Some(uid) = int(&r.calendar_uid).filter(|&u| u >= 0) else {
            continue;
        };
        let theirs = calendars.effective(uid, problems)?;
        if theirs.is_some() && theirs != own {
            problems.push(
                Problem::warning(
                    here,
                    format!(
                        "MS Project schedules it on the calendar of its resource \"{}\"; cutover uses the task's calendar",
                        text(&r.name).unwrap_or("")
                    ),
                )
                .with_help("its dates may differ from MS Project's"),
            );
            return Ok(());
        }
    }
    Ok(())
}

/// Actual starts and finishes, with work remaining, for the status file. The data date
/// is the file's status date, else its current date, and never before an actual.
fn status(
    rows: &[Row],
    task_index: &HashMap<usize, usize>,
    draft: &Draft,
    project: &Project,
    start: DateTime,
) -> Option<DraftStatus> {
    let mut status = DraftStatus::default();
    let mut latest = start;
    for (i, r) in rows.iter().enumerate() {
        let Some(&k) = task_index.get(&i) else {
            continue;
        };
        let t = r.xml;
        let task = &draft.tasks[k];
        let percent = int(&t.percent_complete).map_or(0, |p| p.clamp(0, 100) as u8);
        let mut started = datetime(&t.actual_start);
        let mut finished = datetime(&t.actual_finish);
        if started.is_none() && finished.is_none() && percent == 0 {
            continue;
        }
        if started.is_none() && percent > 0 {
            started = datetime(&t.start);
        }
        if finished.is_none() && percent == 100 {
            finished = datetime(&t.finish);
        }
        let remaining = if finished.is_none() {
            text(&t.remaining_duration)
                .and_then(iso_minutes)
                .map(|m| Amount {
                    minutes: m.max(0),
                    unit: task.duration.map_or(Unit::Hours, |d| d.unit),
                    elapsed: task.duration.is_some_and(|d| d.elapsed),
                })
        } else {
            None
        };
        for d in [started, finished].into_iter().flatten() {
            latest = latest.max(d);
        }
        status.tasks.push(DraftActual {
            task: task.id.clone(),
            started,
            finished,
            remaining,
            percent: Some(percent),
        });
    }
    if status.tasks.is_empty() {
        return None;
    }
    let given = datetime(&project.status_date)
        .map(|d| (d, None))
        .or_else(|| {
            datetime(&project.current_date).map(|d| {
                (
                    d,
                    Some("the file has no status date; MS Project's current date".to_owned()),
                )
            })
        });
    (status.as_of, status.as_of_assumed) = match given {
        Some((d, note)) if d >= latest => (d, note),
        _ => (latest, Some("the latest actual in the file".to_owned())),
    };
    Some(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_are_minutes() {
        assert_eq!(iso_minutes("PT8H0M0S"), Some(480));
        assert_eq!(iso_minutes("PT800H0M0S"), Some(48_000));
        assert_eq!(iso_minutes("PT7H30M0S"), Some(450));
        assert_eq!(iso_minutes("PT0H0M29S"), Some(0));
        assert_eq!(iso_minutes("PT0H0M30S"), Some(1));
        assert_eq!(iso_minutes("-PT8H0M0S"), Some(-480));
        assert_eq!(iso_minutes("P1DT2H"), Some(1560));
        assert_eq!(iso_minutes("8 hours"), Some(480));
        assert_eq!(iso_minutes("nonsense"), None);
    }

    #[test]
    fn formats_give_units() {
        assert_eq!(format_unit(Some(7)), Some((Unit::Days, false)));
        assert_eq!(format_unit(Some(39)), Some((Unit::Days, false)));
        assert_eq!(format_unit(Some(9)), Some((Unit::Weeks, false)));
        assert_eq!(format_unit(Some(6)), Some((Unit::Hours, true)));
        assert_eq!(format_unit(Some(40)), Some((Unit::Days, true)));
        assert_eq!(format_unit(Some(19)), None);
        assert_eq!(format_unit(Some(52)), None);
    }

    /// The 27 recurring exceptions of the Project 2016 file, expanded by
    /// [`recurrence::dates`], give exactly the days MS Project expanded beside them.
    #[test]
    fn recurrences_expand_to_the_days_ms_project_wrote() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/interop/mspdi/calendar-recurring-exceptions-project2016-mspdi.xml"
        );
        let project = parse(&std::fs::read(path).unwrap()).unwrap();
        let cal = &project.calendars.as_ref().unwrap().list[0];
        let all = (Date::constant(1900, 1, 1), Date::constant(2999, 12, 31));
        let mut from_rows: BTreeMap<Date, Vec<(u16, u16)>> = BTreeMap::new();
        for wd in &cal.week_days.as_ref().unwrap().list {
            if int(&wd.day_type) == Some(0) {
                let (from, to) = Calendars2::period(wd.time_period.as_ref().unwrap()).unwrap();
                for d in recurrence::dates(
                    &Rule {
                        kind: 1,
                        ..Rule::default()
                    },
                    from,
                    to,
                    all,
                    Weekday::Sunday,
                ) {
                    from_rows.insert(d, day_ranges(&wd.day_working, &wd.working_times));
                }
            }
        }
        let mut from_rules: BTreeMap<Date, Vec<(u16, u16)>> = BTreeMap::new();
        let exceptions = &cal.exceptions.as_ref().unwrap().list;
        assert_eq!(exceptions.len(), 27);
        for ex in exceptions {
            let (from, to) = Calendars2::period(ex.time_period.as_ref().unwrap()).unwrap();
            let small = |v: &Option<String>| int(v).map_or(0, |n| n as u8);
            let rule = Rule {
                kind: small(&ex.kind),
                period: int(&ex.period).map_or(1, |n| n as u32),
                days_of_week: small(&ex.days_of_week),
                month_item: small(&ex.month_item),
                month_position: small(&ex.month_position),
                month: small(&ex.month),
                month_day: small(&ex.month_day),
            };
            let dates = recurrence::dates(&rule, from, to, all, Weekday::Sunday);
            // Each rule gives as many days as MS Project says it occurs.
            assert_eq!(
                Some(dates.len() as i64),
                int(&ex.occurrences),
                "{:?}",
                ex.name
            );
            for d in dates {
                from_rules.insert(d, day_ranges(&ex.day_working, &ex.working_times));
            }
        }
        // 138 rows; the first covers three days (1-3 January 2000).
        assert_eq!(from_rows.len(), 140);
        assert_eq!(from_rules, from_rows);
    }

    #[test]
    fn hostile_prologues_are_refused() {
        let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Project><Name>&lol2;</Name></Project>"#;
        let e = parse(laughs).unwrap_err().to_string();
        assert!(e.contains("DOCTYPE"), "{e}");
        let other = parse(b"<html><body/></html>").unwrap_err().to_string();
        assert!(other.contains("not MS Project XML"), "{other}");
        // An entity without a declaration is an error, not expanded.
        let undeclared = parse(b"<Project><Name>&xxe;</Name></Project>")
            .unwrap_err()
            .to_string();
        assert!(undeclared.contains("cannot read"), "{undeclared}");
        assert!(parse(b"").is_err());
        assert!(parse(&[0xff, 0xfe, 0x3c]).is_err());
    }
}
