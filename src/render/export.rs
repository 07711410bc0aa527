//! `cutover export`: a runbook and its plan ([`Export`]) as MS Project XML (MSPDI), an
//! Excel workbook, or CSV. Each writer only lays out what `interop::export` computed.
//!
//! The MSPDI written follows the Project 2010 schema's element order. Each task's
//! runbook id and tags ride along in renamed custom fields, Text1 `Cutover ID` and
//! Text2 `Cutover tags`, and the go-live milestone is marked `yes` in Text3 `Cutover
//! go-live`, so `cutover import` gives back the same ids and the same go-live.

use std::io::Write;

use jiff::civil::{Date, DateTime};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::interop::export::{Export, ExportCalendar, ExportTask};
use crate::project::LinkType;
use crate::render::{Format as OutFormat, Render, RenderError};

/// MS Project's field id of the task custom field Text1 (`Cutover ID`).
pub const FIELD_TEXT1: &str = "188743731";
/// MS Project's field id of the task custom field Text2 (`Cutover tags`).
pub const FIELD_TEXT2: &str = "188743734";
/// MS Project's field id of the task custom field Text3 (`Cutover go-live`).
pub const FIELD_TEXT3: &str = "188743737";
/// The alias of Text1, which holds the runbook's task id.
pub const ALIAS_ID: &str = "Cutover ID";
/// The alias of Text2, which holds the task's tags, separated by spaces.
pub const ALIAS_TAGS: &str = "Cutover tags";
/// The alias of Text3, `yes` on the go-live milestone.
pub const ALIAS_GO_LIVE: &str = "Cutover go-live";

/// `cutover export`'s result in each of its formats. The workbook is binary: the
/// command line refuses to write it to a terminal, and `--out` writes it like any other
/// result (atomically, never over a file the command read).
impl Render for Export {
    fn render(&self, format: OutFormat, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            OutFormat::Mspdi => mspdi(self, out),
            OutFormat::Xlsx => xlsx(self, out),
            OutFormat::Csv => csv(self, out),
            format => Err(RenderError::Unsupported {
                what: "an export",
                format,
            }),
        }
    }
}

// ---- MS Project XML ----

/// `2027-03-05T18:00:00`.
fn xml_time(at: DateTime) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Working (or elapsed) minutes as an ISO 8601 duration: `PT16H30M0S`.
fn iso(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    format!("{sign}PT{}H{}M0S", m / 60, m % 60)
}

/// MSPDI's format code for a length: days when whole days of `day` minutes, else
/// hours; the elapsed codes for wall-clock time.
fn format_code(minutes: i64, day: i64, elapsed: bool) -> &'static str {
    match (elapsed, minutes % day.max(1) == 0 && minutes != 0) {
        (false, true) => "7",
        (false, false) => "5",
        (true, _) if minutes % 1440 == 0 && minutes != 0 => "8",
        (true, _) => "6",
    }
}

struct Xml<'w> {
    w: Writer<&'w mut dyn Write>,
}

impl Xml<'_> {
    fn open(&mut self, name: &str) -> std::io::Result<()> {
        self.w.write_event(Event::Start(BytesStart::new(name)))
    }

    fn close(&mut self, name: &str) -> std::io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    fn field(&mut self, name: &str, value: impl AsRef<str>) -> std::io::Result<()> {
        self.open(name)?;
        self.w
            .write_event(Event::Text(BytesText::new(value.as_ref())))?;
        self.close(name)
    }
}

/// Strips characters XML 1.0 cannot hold (control characters but tab and line breaks).
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
                && !matches!(c, '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// Owners as MS Project resources: names split at commas (MS Project refuses commas
/// in a resource name), without `unassigned`.
fn owners(owner: Option<&str>) -> Vec<String> {
    owner
        .into_iter()
        .flat_map(|o| o.split(','))
        .map(str::trim)
        .filter(|o| !o.is_empty() && *o != crate::interop::UNASSIGNED)
        .map(xml_safe)
        .collect()
}

/// The plan as MS Project XML.
pub fn mspdi(export: &Export, out: &mut dyn Write) -> Result<(), RenderError> {
    let mut x = Xml {
        w: Writer::new_with_indent(out, b' ', 1),
    };
    let day = export.minutes_per_day;
    let cal_uid = |i: usize| (i + 1).to_string();
    x.w.write_event(Event::Decl(BytesDecl::new(
        "1.0",
        Some("UTF-8"),
        Some("yes"),
    )))?;
    let mut root = BytesStart::new("Project");
    root.push_attribute(("xmlns", "http://schemas.microsoft.com/project"));
    x.w.write_event(Event::Start(root))?;
    x.field("SaveVersion", "14")?;
    x.field("Name", xml_safe(&export.runbook))?;
    x.field("Title", xml_safe(&export.runbook))?;
    if let Some(o) = &export.organisation {
        x.field("Company", xml_safe(o))?;
    }
    x.field("ScheduleFromStart", "1")?;
    x.field("StartDate", xml_time(export.start))?;
    x.field("FinishDate", xml_time(export.finish))?;
    x.field("CurrencyCode", "GBP")?;
    x.field("CalendarUID", cal_uid(export.default_calendar))?;
    let first = export.calendars[export.default_calendar]
        .week
        .iter()
        .find_map(|d| d.first().copied())
        .unwrap_or((480, 1020));
    x.field(
        "DefaultStartTime",
        format!("{:02}:{:02}:00", first.0 / 60, first.0 % 60),
    )?;
    x.field("MinutesPerDay", day.to_string())?;
    x.field("MinutesPerWeek", export.minutes_per_week.to_string())?;
    x.field("DaysPerMonth", "20")?;
    x.field("WeekStartDay", "1")?;
    if let Some(d) = export.data_date {
        x.field("StatusDate", xml_time(d))?;
    }
    x.field("NewTasksAreManual", "0")?;
    x.open("ExtendedAttributes")?;
    for (id, name, alias) in [
        (FIELD_TEXT1, "Text1", ALIAS_ID),
        (FIELD_TEXT2, "Text2", ALIAS_TAGS),
        (FIELD_TEXT3, "Text3", ALIAS_GO_LIVE),
    ] {
        x.open("ExtendedAttribute")?;
        x.field("FieldID", id)?;
        x.field("FieldName", name)?;
        x.field("Alias", alias)?;
        x.close("ExtendedAttribute")?;
    }
    x.close("ExtendedAttributes")?;

    x.open("Calendars")?;
    for (i, c) in export.calendars.iter().enumerate().filter(|(_, c)| c.used) {
        calendar(&mut x, c, &cal_uid(i))?;
    }
    x.close("Calendars")?;

    // Tasks: the project summary, then each workstream's summary and its tasks.
    x.open("Tasks")?;
    x.open("Task")?;
    x.field("UID", "0")?;
    x.field("ID", "0")?;
    x.field("Name", xml_safe(&export.runbook))?;
    x.field("Type", "1")?;
    x.field("IsNull", "0")?;
    x.field("OutlineNumber", "0")?;
    x.field("OutlineLevel", "0")?;
    x.field("Start", xml_time(export.start))?;
    x.field("Finish", xml_time(export.finish))?;
    x.field("Summary", "1")?;
    x.close("Task")?;
    // UIDs: tasks 1..=n in export order, workstream summaries after them.
    let n = export.tasks.len();
    let mut row = 0usize;
    let mut outline = (0usize, 0usize);
    let mut current: Option<usize> = None;
    for (i, t) in export.tasks.iter().enumerate() {
        if t.workstream != current {
            current = t.workstream;
            if let Some(w) = t.workstream {
                row += 1;
                outline = (outline.0 + 1, 0);
                let members = export.tasks.iter().filter(|x| x.workstream == Some(w));
                let start = members
                    .clone()
                    .map(|x| x.early_start)
                    .min()
                    .unwrap_or(export.start);
                let finish = members
                    .map(|x| x.early_finish)
                    .max()
                    .unwrap_or(export.finish);
                let ws = &export.workstreams[w];
                x.open("Task")?;
                x.field("UID", (n + 1 + w).to_string())?;
                x.field("ID", row.to_string())?;
                x.field("Name", xml_safe(&ws.name))?;
                x.field("Active", "1")?;
                x.field("Manual", "0")?;
                x.field("Type", "1")?;
                x.field("IsNull", "0")?;
                x.field("OutlineNumber", outline.0.to_string())?;
                x.field("OutlineLevel", "1")?;
                x.field("Start", xml_time(start))?;
                x.field("Finish", xml_time(finish))?;
                x.field("Summary", "1")?;
                extended(&mut x, &ws.id, &[], false)?;
                x.close("Task")?;
            }
        }
        row += 1;
        let (number, level) = if t.workstream.is_some() {
            outline.1 += 1;
            (format!("{}.{}", outline.0, outline.1), "2")
        } else {
            outline = (outline.0 + 1, 0);
            (outline.0.to_string(), "1")
        };
        task(&mut x, export, t, i + 1, row, &number, level, &cal_uid)?;
    }
    x.close("Tasks")?;

    // Owners as resources, and their assignments.
    let mut names: Vec<String> = Vec::new();
    for t in &export.tasks {
        for o in owners(t.owner.as_deref()) {
            if !names.contains(&o) {
                names.push(o);
            }
        }
    }
    x.open("Resources")?;
    for (i, name) in names.iter().enumerate() {
        x.open("Resource")?;
        x.field("UID", (i + 1).to_string())?;
        x.field("ID", (i + 1).to_string())?;
        x.field("Name", name)?;
        x.field("Type", "1")?;
        x.close("Resource")?;
    }
    x.close("Resources")?;
    x.open("Assignments")?;
    let mut uid = 0;
    for (i, t) in export.tasks.iter().enumerate() {
        for o in owners(t.owner.as_deref()) {
            let r = names.iter().position(|n| *n == o).unwrap_or(0) + 1;
            uid += 1;
            x.open("Assignment")?;
            x.field("UID", uid.to_string())?;
            x.field("TaskUID", (i + 1).to_string())?;
            x.field("ResourceUID", r.to_string())?;
            x.field("Units", "1")?;
            x.close("Assignment")?;
        }
    }
    x.close("Assignments")?;
    x.close("Project")?;
    x.w.get_mut().write_all(b"\n")?;
    Ok(())
}

/// Working times of one day: `ToTime` 00:00 is the midnight ending it.
fn working_times(x: &mut Xml, ranges: &[(u16, u16)]) -> std::io::Result<()> {
    x.open("WorkingTimes")?;
    for &(s, e) in ranges {
        let clock = |m: u16| format!("{:02}:{:02}:00", (m / 60) % 24, m % 60);
        x.open("WorkingTime")?;
        x.field("FromTime", clock(s))?;
        x.field("ToTime", clock(e))?;
        x.close("WorkingTime")?;
    }
    x.close("WorkingTimes")
}

/// Runs of consecutive dates: (first, last).
fn runs(dates: &[Date]) -> Vec<(Date, Date)> {
    let mut out: Vec<(Date, Date)> = Vec::new();
    for &d in dates {
        match out.last_mut() {
            Some(last) if last.1.tomorrow().ok() == Some(d) => last.1 = d,
            _ => out.push((d, d)),
        }
    }
    out
}

fn calendar(x: &mut Xml, c: &ExportCalendar, uid: &str) -> std::io::Result<()> {
    x.open("Calendar")?;
    x.field("UID", uid)?;
    x.field("Name", xml_safe(&c.id))?;
    x.field("IsBaseCalendar", "1")?;
    x.field("BaseCalendarUID", "-1")?;
    x.open("WeekDays")?;
    // DayType 1 is Sunday; the week is kept Monday first.
    for day_type in 1..=7 {
        let ranges = &c.week[(day_type + 5) % 7];
        x.open("WeekDay")?;
        x.field("DayType", day_type.to_string())?;
        x.field("DayWorking", if ranges.is_empty() { "0" } else { "1" })?;
        if !ranges.is_empty() {
            working_times(x, ranges)?;
        }
        x.close("WeekDay")?;
    }
    // Exceptions as Project 2003 wrote them (one row per run of dates)...
    let period = |x: &mut Xml, from: Date, to: Date| -> std::io::Result<()> {
        x.open("TimePeriod")?;
        x.field("FromDate", format!("{from}T00:00:00"))?;
        x.field("ToDate", format!("{to}T23:59:00"))?;
        x.close("TimePeriod")
    };
    for (from, to) in runs(&c.holidays) {
        x.open("WeekDay")?;
        x.field("DayType", "0")?;
        x.field("DayWorking", "0")?;
        period(x, from, to)?;
        x.close("WeekDay")?;
    }
    for (date, ranges) in &c.exceptions {
        x.open("WeekDay")?;
        x.field("DayType", "0")?;
        x.field("DayWorking", "1")?;
        period(x, *date, *date)?;
        working_times(x, ranges)?;
        x.close("WeekDay")?;
    }
    x.close("WeekDays")?;
    // ...and as Project 2007 and later do.
    if !c.holidays.is_empty() || !c.exceptions.is_empty() {
        x.open("Exceptions")?;
        for (from, to) in runs(&c.holidays) {
            x.open("Exception")?;
            x.field("EnteredByOccurrences", "0")?;
            period(x, from, to)?;
            x.field("Occurrences", "1")?;
            x.field("Name", "Holiday")?;
            x.field("Type", "1")?;
            x.field("DayWorking", "0")?;
            x.close("Exception")?;
        }
        for (date, ranges) in &c.exceptions {
            x.open("Exception")?;
            x.field("EnteredByOccurrences", "0")?;
            period(x, *date, *date)?;
            x.field("Occurrences", "1")?;
            x.field("Name", "Working hours")?;
            x.field("Type", "1")?;
            x.field("DayWorking", "1")?;
            working_times(x, ranges)?;
            x.close("Exception")?;
        }
        x.close("Exceptions")?;
    }
    x.close("Calendar")
}

fn extended(x: &mut Xml, id: &str, tags: &[String], go_live: bool) -> std::io::Result<()> {
    x.open("ExtendedAttribute")?;
    x.field("FieldID", FIELD_TEXT1)?;
    x.field("Value", xml_safe(id))?;
    x.close("ExtendedAttribute")?;
    if !tags.is_empty() {
        x.open("ExtendedAttribute")?;
        x.field("FieldID", FIELD_TEXT2)?;
        x.field("Value", xml_safe(&tags.join(" ")))?;
        x.close("ExtendedAttribute")?;
    }
    if go_live {
        x.open("ExtendedAttribute")?;
        x.field("FieldID", FIELD_TEXT3)?;
        x.field("Value", "yes")?;
        x.close("ExtendedAttribute")?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn task(
    x: &mut Xml,
    export: &Export,
    t: &ExportTask,
    uid: usize,
    row: usize,
    outline_number: &str,
    level: &str,
    cal_uid: &dyn Fn(usize) -> String,
) -> std::io::Result<()> {
    let day = export.minutes_per_day;
    x.open("Task")?;
    x.field("UID", uid.to_string())?;
    x.field("ID", row.to_string())?;
    x.field("Name", xml_safe(&t.name))?;
    x.field("Active", "1")?;
    x.field("Manual", "0")?;
    x.field("Type", "1")?;
    x.field("IsNull", "0")?;
    x.field("OutlineNumber", outline_number)?;
    x.field("OutlineLevel", level)?;
    x.field("Start", xml_time(t.early_start))?;
    x.field("Finish", xml_time(t.early_finish))?;
    x.field("Duration", iso(t.duration_minutes))?;
    x.field(
        "DurationFormat",
        format_code(t.duration_minutes, day, t.elapsed),
    )?;
    x.field("Milestone", if t.milestone { "1" } else { "0" })?;
    x.field("Summary", "0")?;
    x.field("Critical", if t.critical { "1" } else { "0" })?;
    x.field("EarlyStart", xml_time(t.early_start))?;
    x.field("EarlyFinish", xml_time(t.early_finish))?;
    x.field("LateStart", xml_time(t.late_start))?;
    x.field("LateFinish", xml_time(t.late_finish))?;
    x.field("FreeSlack", (t.free_float_minutes * 10).to_string())?;
    x.field("TotalSlack", (t.total_float_minutes * 10).to_string())?;
    x.field("PercentComplete", t.percent_complete.to_string())?;
    if let Some(a) = t.actual_start {
        x.field("ActualStart", xml_time(a))?;
    }
    if let Some(a) = t.actual_finish {
        x.field("ActualFinish", xml_time(a))?;
    }
    if let Some(r) = t.remaining_minutes {
        x.field("RemainingDuration", iso(r))?;
    }
    match t.not_before {
        Some(_) => x.field("ConstraintType", "4")?,
        None => x.field("ConstraintType", "0")?,
    }
    let own_calendar = !t.milestone && !t.elapsed && t.calendar != export.default_calendar;
    x.field(
        "CalendarUID",
        if own_calendar {
            cal_uid(t.calendar)
        } else {
            "-1".to_owned()
        },
    )?;
    if let Some(nb) = t.not_before {
        x.field("ConstraintDate", xml_time(nb))?;
    }
    if let Some(d) = t.deadline {
        x.field("Deadline", xml_time(d))?;
    }
    if let Some(n) = &t.notes {
        x.field("Notes", xml_safe(n))?;
    }
    for l in &t.after {
        x.open("PredecessorLink")?;
        x.field("PredecessorUID", (l.task + 1).to_string())?;
        x.field(
            "Type",
            match l.link {
                LinkType::FF => "0",
                LinkType::FS => "1",
                LinkType::SF => "2",
                LinkType::SS => "3",
            },
        )?;
        x.field("CrossProject", "0")?;
        x.field("LinkLag", (l.lag_minutes * 10).to_string())?;
        x.field("LagFormat", format_code(l.lag_minutes, day, l.lag_elapsed))?;
        x.close("PredecessorLink")?;
    }
    extended(x, &t.id, &t.tags, t.go_live)?;
    x.close("Task")
}

// ---- The task table: xlsx and CSV ----

/// The task table's columns, as `cutover import` reads them back.
const TASK_COLUMNS: [&str; 17] = [
    "ID",
    "Name",
    "Workstream",
    "Owner",
    "Duration (h)",
    "Predecessors",
    "Fixed start",
    "Deadline",
    "Milestone",
    "Tags",
    "Notes",
    "Planned start",
    "Planned finish",
    "Total float (h)",
    "Critical",
    "Status",
    "Go-live",
];

/// A task's predecessors by id as the import reads them: `dm-extract`, `dm-extract SS+2h`.
fn predecessor_text(export: &Export, t: &ExportTask) -> String {
    let links = t.after.iter().map(|l| super::predecessors::LinkText {
        task: &export.tasks[l.task].id,
        link: l.link,
        lag_minutes: l.lag_minutes,
        elapsed: l.lag_elapsed,
    });
    super::predecessors::predecessor_text(links, super::predecessors::Lags::Import)
}

/// Hours, to two decimals at most (minutes stay exact: 1h 20m is 1.3333).
fn hours(minutes: i64) -> f64 {
    minutes as f64 / 60.0
}

fn local_text(at: DateTime) -> String {
    at.strftime("%Y-%m-%d %H:%M").to_string()
}

/// A cell text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or
/// carriage return first) is written after a `'`; `cutover import` takes it off.
pub fn neutralise(text: &str) -> String {
    let risky = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), _) if risky(c) => format!("'{text}"),
        (Some('\''), Some(c)) if risky(c) => format!("'{text}"),
        _ => text.to_owned(),
    }
}

/// The plan's tasks as CSV (UTF-8), in the columns `cutover import` reads.
pub fn csv(export: &Export, out: &mut dyn Write) -> Result<(), RenderError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(TASK_COLUMNS)?;
    for t in &export.tasks {
        let ws = t
            .workstream
            .map_or("", |w| export.workstreams[w].name.as_str());
        let duration = hours(t.duration_minutes);
        w.write_record([
            neutralise(&t.id),
            neutralise(&t.name),
            neutralise(ws),
            neutralise(t.owner.as_deref().unwrap_or("")),
            format!("{duration}"),
            neutralise(&predecessor_text(export, t)),
            t.not_before.map(local_text).unwrap_or_default(),
            t.deadline.map(local_text).unwrap_or_default(),
            if t.milestone {
                "yes".to_owned()
            } else {
                String::new()
            },
            neutralise(&t.tags.join(" ")),
            neutralise(t.notes.as_deref().unwrap_or("")),
            local_text(t.early_start),
            local_text(t.early_finish),
            format!("{}", hours(t.total_float_minutes)),
            if t.critical {
                "yes".to_owned()
            } else {
                String::new()
            },
            t.state.to_owned(),
            if t.go_live {
                "yes".to_owned()
            } else {
                String::new()
            },
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Excel holds at most this many characters in a cell; a longer text makes the whole
/// workbook unwritable.
const EXCEL_CELL_CHARS: usize = 32_767;
const CUT_MARK: &str =
    " … [cut: Excel holds 32,767 characters in a cell; the full text is in the runbook]";

/// A text as Excel can hold it: unchanged when it fits, else cut on a character
/// boundary with a visible mark saying so.
fn fit_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= EXCEL_CELL_CHARS || text.chars().count() <= EXCEL_CELL_CHARS {
        return text.into();
    }
    let keep = EXCEL_CELL_CHARS - CUT_MARK.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(CUT_MARK);
    cut.into()
}

/// Every text cell of the workbook goes through here, so no cell exceeds Excel's limit.
trait TextCells {
    fn text(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<(), XlsxError>;
    fn text_with(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<(), XlsxError>;
}

impl TextCells for Worksheet {
    fn text(&mut self, row: u32, col: u16, text: impl AsRef<str>) -> Result<(), XlsxError> {
        self.write_string(row, col, fit_cell(text.as_ref()))?;
        Ok(())
    }
    fn text_with(
        &mut self,
        row: u32,
        col: u16,
        text: impl AsRef<str>,
        format: &Format,
    ) -> Result<(), XlsxError> {
        self.write_string_with_format(row, col, fit_cell(text.as_ref()), format)?;
        Ok(())
    }
}

fn excel_time(at: DateTime) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(at.year() as u16, at.month() as u8, at.day() as u8)?.and_hms(
        at.hour() as u16,
        at.minute() as u8,
        at.second(),
    )
}

/// The plan as an Excel workbook: a summary sheet with the decision, the task sheet
/// (real dates in local time, durations and float in hours, a frozen header, filters,
/// critical rows shaded) and the gate sheet.
pub fn xlsx(export: &Export, out: &mut dyn Write) -> Result<(), RenderError> {
    let mut book = Workbook::new();
    // The same plan gives the same bytes: the workbook is "created" at the plan's data
    // date, or its start, never the clock.
    let created = excel_time(export.data_date.unwrap_or(export.start))?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x001F_3864))
        .set_font_color(Color::White)
        .set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let critical = Format::new().set_background_color(Color::RGB(0x00FB_E2E2));
    let critical_date = date.clone().set_background_color(Color::RGB(0x00FB_E2E2));
    let hours_format = Format::new().set_num_format("0.00");
    let critical_hours = hours_format
        .clone()
        .set_background_color(Color::RGB(0x00FB_E2E2));
    let bold = Format::new().set_bold();

    summary_sheet(book.add_worksheet(), export, &header, &date, &bold)?;

    let sheet = book.add_worksheet();
    sheet.set_name("Tasks")?;
    for (c, h) in TASK_COLUMNS.iter().enumerate() {
        sheet.text_with(0, c as u16, *h, &header)?;
    }
    for (i, t) in export.tasks.iter().enumerate() {
        let r = (i + 1) as u32;
        let (text, dates, hrs) = if t.critical {
            (&critical, &critical_date, &critical_hours)
        } else {
            (&Format::new(), &date, &hours_format)
        };
        let ws = t
            .workstream
            .map_or("", |w| export.workstreams[w].name.as_str());
        let strings: [(u16, String); 10] = [
            (0, t.id.clone()),
            (1, t.name.clone()),
            (2, ws.to_owned()),
            (3, t.owner.clone().unwrap_or_default()),
            (5, predecessor_text(export, t)),
            (
                8,
                if t.milestone {
                    "yes".to_owned()
                } else {
                    String::new()
                },
            ),
            (9, t.tags.join(" ")),
            (10, t.notes.clone().unwrap_or_default()),
            (15, t.state.to_owned()),
            (16, if t.go_live { "yes" } else { "" }.to_owned()),
        ];
        for (c, s) in strings {
            sheet.text_with(r, c, s, text)?;
        }
        sheet.write_number_with_format(r, 4, hours(t.duration_minutes), hrs)?;
        for (c, at) in [(6, t.not_before), (7, t.deadline)] {
            match at {
                Some(at) => {
                    sheet.write_datetime_with_format(r, c, excel_time(at)?, dates)?;
                }
                None => {
                    sheet.write_blank(r, c, text)?;
                }
            }
        }
        sheet.write_datetime_with_format(r, 11, excel_time(t.early_start)?, dates)?;
        sheet.write_datetime_with_format(r, 12, excel_time(t.early_finish)?, dates)?;
        sheet.write_number_with_format(r, 13, hours(t.total_float_minutes), hrs)?;
        sheet.text_with(r, 14, if t.critical { "yes" } else { "" }, text)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = export.tasks.len().max(1) as u32;
    sheet.autofilter(0, 0, last_row, (TASK_COLUMNS.len() - 1) as u16)?;
    for (c, width) in [
        (0, 22),
        (1, 44),
        (2, 22),
        (3, 24),
        (5, 30),
        (6, 17),
        (7, 17),
        (10, 40),
        (11, 17),
        (12, 17),
    ] {
        sheet.set_column_width(c, width)?;
    }

    gate_sheet(book.add_worksheet(), export, &header, &date)?;
    out.write_all(&book.save_to_buffer()?)?;
    Ok(())
}

fn summary_sheet(
    sheet: &mut Worksheet,
    export: &Export,
    header: &Format,
    date: &Format,
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name("Summary")?;
    sheet.text_with(0, 0, "Item", header)?;
    sheet.text_with(0, 1, "Value", header)?;
    let mut r = 1;
    let text = |sheet: &mut Worksheet, r: &mut u32, k: &str, v: &str| -> Result<(), XlsxError> {
        sheet.text(*r, 0, k)?;
        sheet.text(*r, 1, v)?;
        *r += 1;
        Ok(())
    };
    let when =
        |sheet: &mut Worksheet, r: &mut u32, k: &str, v: DateTime| -> Result<(), XlsxError> {
            sheet.text(*r, 0, k)?;
            sheet.write_datetime_with_format(*r, 1, excel_time(v)?, date)?;
            *r += 1;
            Ok(())
        };
    text(sheet, &mut r, "Runbook", &export.runbook)?;
    if let Some(o) = &export.organisation {
        text(sheet, &mut r, "Organisation", o)?;
    }
    let d = match &export.decision {
        Ok(d) => d,
        Err(why) => {
            sheet.text(r, 0, "Decision")?;
            sheet.text_with(r, 1, why, bold)?;
            r += 1;
            when(sheet, &mut r, "Plan start", export.start)?;
            when(sheet, &mut r, "Plan finish", export.finish)?;
            when(sheet, &mut r, "Go-live (T-0)", export.go_live)?;
            text(sheet, &mut r, "Time zone", &export.timezone)?;
            sheet.set_column_width(0, 28)?;
            sheet.set_column_width(1, 90)?;
            return Ok(());
        }
    };
    sheet.text(r, 0, "Decision")?;
    sheet.text_with(r, 1, d.decision, bold)?;
    r += 1;
    let as_of = if d.as_of_is_now {
        "Decided at (time of export)"
    } else {
        "Data date"
    };
    when(sheet, &mut r, as_of, d.as_of)?;
    when(sheet, &mut r, "Plan start", export.start)?;
    when(sheet, &mut r, "Ready for go-live", d.ready)?;
    when(sheet, &mut r, "Go-live (T-0)", export.go_live)?;
    sheet.text(r, 0, "Float to go-live (h)")?;
    sheet.write_number(r, 1, hours(d.float_to_go_live_minutes))?;
    r += 1;
    if let Some((opens, closes)) = d.window {
        when(sheet, &mut r, "Window opens", opens)?;
        when(sheet, &mut r, "Window closes", closes)?;
    }
    text(
        sheet,
        &mut r,
        "Fits the window",
        if d.fits { "yes" } else { "no" },
    )?;
    text(sheet, &mut r, "Time zone", &export.timezone)?;
    r += 1;
    for (c, h) in ["Weight", "About", "Reason"].iter().enumerate() {
        sheet.text_with(r, c as u16, *h, header)?;
    }
    r += 1;
    for reason in &d.reasons {
        sheet.text(r, 0, reason.weight)?;
        sheet.text(r, 1, &reason.about)?;
        sheet.text(r, 2, &reason.text)?;
        r += 1;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 48)?;
    sheet.set_column_width(2, 90)?;
    Ok(())
}

fn gate_sheet(
    sheet: &mut Worksheet,
    export: &Export,
    header: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name("Gates")?;
    let columns = [
        "Gate",
        "Gate name",
        "Due",
        "Gate result",
        "Criterion",
        "Severity",
        "Result",
        "Detail",
    ];
    for (c, h) in columns.iter().enumerate() {
        sheet.text_with(0, c as u16, *h, header)?;
    }
    let mut r = 1;
    for g in &export.gates {
        for c in &g.criteria {
            sheet.text(r, 0, &g.id)?;
            sheet.text(r, 1, &g.name)?;
            sheet.write_datetime_with_format(r, 2, excel_time(g.due)?, date)?;
            sheet.text(r, 3, g.verdict)?;
            sheet.text(r, 4, &c.label)?;
            sheet.text(r, 5, c.severity)?;
            sheet.text(r, 6, c.verdict)?;
            sheet.text(r, 7, &c.detail)?;
            r += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, r.saturating_sub(1).max(1), (columns.len() - 1) as u16)?;
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(2, 17)?;
    sheet.set_column_width(4, 50)?;
    sheet.set_column_width(7, 90)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_fit_excel() {
        assert_eq!(fit_cell("short"), "short");
        let exact = "é".repeat(EXCEL_CELL_CHARS);
        assert_eq!(fit_cell(&exact), exact.as_str());
        let long = "é".repeat(EXCEL_CELL_CHARS + 1);
        let cut = fit_cell(&long);
        assert_eq!(cut.chars().count(), EXCEL_CELL_CHARS);
        assert!(cut.ends_with(CUT_MARK));
    }

    #[test]
    fn durations_and_formats() {
        assert_eq!(iso(990), "PT16H30M0S");
        assert_eq!(iso(-480), "-PT8H0M0S");
        assert_eq!(format_code(960, 480, false), "7");
        assert_eq!(format_code(90, 480, false), "5");
        assert_eq!(format_code(2880, 480, true), "8");
        assert_eq!(format_code(600, 480, true), "6");
    }

    #[test]
    fn formula_text_is_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("- Freeze"), "'- Freeze");
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(neutralise("'quoted'"), "'quoted'");
        assert_eq!(neutralise("Load"), "Load");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn runs_join_consecutive_dates() {
        let d = |m, day| jiff::civil::date(2027, m, day);
        assert_eq!(
            runs(&[d(12, 24), d(12, 25), d(12, 26), d(12, 31)]),
            [(d(12, 24), d(12, 26)), (d(12, 31), d(12, 31))]
        );
    }
}
