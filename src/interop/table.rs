//! Excel (.xlsx) and CSV task tables in, with the columns of the commercial runbook
//! tools' upload templates: id, name, workstream, owner, duration, predecessors, fixed
//! start, notes (and deadline, milestone).
//!
//! Headers are matched loosely ("Task ID", "Predecessor IDs", "Planned Duration").
//! Every problem names its cell (`Tasks!F12`), and a row with a problem is left out,
//! never guessed at; rows that depend on a row left out are left out too.
//!
//! A workbook is checked before calamine reads it: every zip entry is inflated once
//! into nothing, counting bytes, so a zip bomb is refused at
//! [`MAX_UNZIPPED_BYTES`](super::MAX_UNZIPPED_BYTES) whatever its headers claim. The
//! sheet is then read cell by cell (calamine's streaming reader), never as a dense
//! range, and refused past [`MAX_ROWS`](super::MAX_ROWS) rows.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read as _};

use calamine::{DataRef, Reader as _, Xlsx, XlsxFormulaMetadata};
use jiff::civil::{Date, DateTime};

use super::{
    Amount, DateOrder, Draft, DraftLink, DraftTask, DraftWorkstream, IdSet, ImportError,
    ImportOptions, MAX_ROWS, MAX_UNZIPPED_BYTES, Problem, UNASSIGNED, Unit, slug,
};
use crate::project::LinkType;
use crate::time::parse_duration;
use crate::validate::is_valid_id;

/// Columns read beyond this are ignored (a template has about ten).
const MAX_COLUMNS: u32 = 64;

/// How many rows from the top are searched for the header row.
const HEADER_SEARCH: u32 = 20;

/// A cell as read.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date and time (local, no zone).
    DateTime(DateTime),
    /// An Excel duration (`[h]:mm`), in minutes.
    Duration(i64),
    Bool(bool),
    /// An Excel error value (`#N/A`).
    Error(String),
    /// A formula, with its text.
    Formula(String),
}

impl Value {
    fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet: its name and its rows (0-based row index, cells by column).
#[derive(Debug, Default)]
struct Grid {
    name: String,
    rows: Vec<(u32, Vec<Value>)>,
    /// Merged ranges: (first row, first column, last row, last column).
    merged: Vec<(u32, u32, u32, u32)>,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Id,
    Name,
    Workstream,
    Owner,
    /// With the unit a bare number is in.
    Duration(Unit),
    Predecessors,
    FixedStart,
    Deadline,
    Notes,
    Milestone,
    Tags,
    /// `yes` on the go-live milestone (the column `cutover export` writes).
    GoLive,
}

/// `Task ID` -> `taskid`; `Duration (h)` -> (`duration`, `h`).
fn normalise(header: &str) -> (String, String) {
    let (base, unit) = match header.split_once('(') {
        Some((b, u)) => (b, u.trim_end_matches(')')),
        None => (header, ""),
    };
    let clean = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    (clean(base), clean(unit))
}

/// The column a header names, if any; `Err` for a header recognised but not read
/// (computed dates), with the reason.
fn column(header: &str) -> Option<Result<Column, &'static str>> {
    let (base, unit) = normalise(header);
    let hours = |u: &str| matches!(u, "h" | "hr" | "hrs" | "hour" | "hours");
    let minutes = |u: &str| matches!(u, "m" | "min" | "mins" | "minute" | "minutes");
    let days = |u: &str| matches!(u, "d" | "day" | "days");
    let duration_unit = |u: &str| {
        if hours(u) {
            Some(Unit::Hours)
        } else if days(u) {
            Some(Unit::Days)
        } else if minutes(u) || u.is_empty() {
            Some(Unit::Minutes)
        } else {
            None
        }
    };
    if header.trim() == "#" {
        return Some(Ok(Column::Id));
    }
    Some(Ok(match base.as_str() {
        "id" | "taskid" | "ref" | "reference" | "taskref" | "stepid" | "no" | "number"
        | "taskno" | "tasknumber" | "activityid" | "key" | "uid" => Column::Id,
        "name" | "taskname" | "task" | "title" | "activity" | "activityname" | "stepname"
        | "step" | "tasktitle" => Column::Name,
        "workstream" | "stream" | "workstreamname" | "phase" | "group" | "area" => {
            Column::Workstream
        }
        "owner" | "team" | "assignee" | "assignedto" | "responsible" | "resource" | "resources"
        | "resourcenames" | "lead" | "taskowner" | "ownerteam" => Column::Owner,
        "duration" | "plannedduration" | "estimatedduration" | "expectedduration" | "dur" => {
            Column::Duration(duration_unit(&unit)?)
        }
        "durationmins" | "durationminutes" | "plannedmins" => Column::Duration(Unit::Minutes),
        "durationh" | "durationhours" | "durationhrs" | "plannedhours" => {
            Column::Duration(Unit::Hours)
        }
        "durationdays" | "planneddays" => Column::Duration(Unit::Days),
        "predecessors" | "predecessor" | "predecessorids" | "predecessorid" | "dependencies"
        | "dependson" | "depends" | "after" | "preds" => Column::Predecessors,
        "fixedstart" | "fixedstarttime" | "startfixed" | "notbefore" | "startnoearlierthan"
        | "snet" | "earlieststart" => Column::FixedStart,
        "deadline" | "finishnolaterthan" | "fnlt" | "dueby" => Column::Deadline,
        "notes" | "note" | "comments" | "comment" | "description" | "details" => Column::Notes,
        "milestone" | "ismilestone" => Column::Milestone,
        "tags" | "tag" | "labels" | "label" => Column::Tags,
        "golive" | "isgolive" | "golivemilestone" | "t0" => Column::GoLive,
        // What `cutover export` computes: read back as nothing, silently.
        "plannedstart" | "plannedfinish" | "latestart" | "latefinish" | "totalfloat"
        | "totalfloath" | "float" | "slack" | "critical" | "status" | "state" | "tminus" => {
            return Some(Err(""));
        }
        "start" | "starttime" | "startdate" | "finish" | "finishtime" | "end" | "endtime" => {
            return Some(Err(
                "cutover computes start and finish times; a time a task may not start before \
                 goes in a `Fixed start` column",
            ));
        }
        _ => return None,
    }))
}

/// `A`, `B`, ... `Z`, `AA` for a 0-based column.
fn column_letters(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `Tasks!F12`.
fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", column_letters(col), row + 1)
}

/// `Tasks, row 12`.
fn row_ref(sheet: &str, row: u32) -> String {
    format!("{sheet}, row {}", row + 1)
}

// ---- Reading the file into a grid ----

/// Reads a CSV file (UTF-8, with or without a byte order mark; comma-separated).
pub fn read_csv(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<(Draft, Vec<Problem>), ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(ImportError::Invalid(
            "the CSV file is not UTF-8 text: save it as \"CSV UTF-8\"".to_owned(),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut grid = Grid {
        name: file_name.to_owned(),
        ..Grid::default()
    };
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| ImportError::Invalid(format!("cannot read the CSV: {e}")))?;
        if i > MAX_ROWS + HEADER_SEARCH as usize {
            return Err(too_many_rows(file_name));
        }
        let row = record
            .position()
            .map_or(i as u32, |p| p.line().saturating_sub(1) as u32);
        let cells = record
            .iter()
            .take(MAX_COLUMNS as usize)
            .map(|f| Value::Text(unquote(f).to_owned()))
            .collect();
        grid.rows.push((row, cells));
    }
    let (draft, problems) = draft_from(&[grid], file_name, "CSV file", options)?;
    Ok((draft, problems))
}

/// A CSV cell as `cutover export` (and careful tools) write text a spreadsheet would
/// run as a formula: after a `'`, which is taken off.
fn unquote(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest,
        _ => cell,
    }
}

fn too_many_rows(sheet: &str) -> ImportError {
    ImportError::Invalid(format!(
        "{sheet} has more than {MAX_ROWS} rows, the most an import reads: refused"
    ))
}

/// Refuses a workbook whose entries inflate past [`MAX_UNZIPPED_BYTES`] in total,
/// counting the bytes actually inflated (not what the zip's headers claim).
fn check_zip(bytes: &[u8]) -> Result<(), ImportError> {
    let not_xlsx = |e: &dyn std::fmt::Display| {
        ImportError::Invalid(format!(
            "this is not an Excel workbook (.xlsx is a zip file: {e}); an .xls file must be saved as .xlsx first"
        ))
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| not_xlsx(&e))?;
    if zip.len() > 10_000 {
        return Err(ImportError::Invalid(format!(
            "the workbook holds {} files: refused",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| not_xlsx(&e))?;
        let budget = MAX_UNZIPPED_BYTES.saturating_sub(total);
        let n = std::io::copy(&mut entry.take(budget + 1), &mut std::io::sink())
            .map_err(|e| not_xlsx(&e))?;
        total += n;
        if total > MAX_UNZIPPED_BYTES {
            return Err(ImportError::Invalid(format!(
                "the workbook unzips to more than {} MB: refused (a zip bomb, or far larger than a runbook)",
                MAX_UNZIPPED_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// Reads an Excel workbook (.xlsx).
pub fn read_xlsx(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<(Draft, Vec<Problem>), ImportError> {
    check_zip(bytes)?;
    let mut book: Xlsx<Cursor<&[u8]>> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| ImportError::Invalid(format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    if names.is_empty() {
        return Err(ImportError::Invalid("the workbook has no sheet".to_owned()));
    }
    let names: Vec<String> = match &options.sheet {
        Some(s) => {
            if !names.contains(s) {
                return Err(ImportError::Invalid(format!(
                    "the workbook has no sheet `{s}` (its sheets: {})",
                    names.join(", ")
                )));
            }
            vec![s.clone()]
        }
        None => names,
    };
    let mut grids = Vec::new();
    for name in &names {
        grids.push(read_sheet(&mut book, name)?);
    }
    draft_from(&grids, file_name, "Excel workbook", options)
}

fn read_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Grid, ImportError> {
    let bad =
        |e: calamine::XlsxError| ImportError::Invalid(format!("cannot read sheet `{name}`: {e}"));
    let merged = book
        .merge_cells_by_sheet_name(name)
        .map_err(bad)?
        .iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
        .collect();
    let mut cells = book.worksheet_cells_reader(name).map_err(bad)?;
    // The sheet's own account of its size refuses a huge sheet before it is read.
    let dims = cells.dimensions();
    if dims.end.0 > MAX_ROWS as u32 + HEADER_SEARCH {
        return Err(too_many_rows(name));
    }
    let mut grid = Grid {
        name: name.to_owned(),
        merged,
        ..Grid::default()
    };
    let mut by_row: std::collections::BTreeMap<u32, Vec<Value>> = std::collections::BTreeMap::new();
    while let Some(cell) = cells.next_cell_with_formula_metadata().map_err(bad)? {
        let (row, col) = cell.pos;
        if row > MAX_ROWS as u32 + HEADER_SEARCH {
            return Err(too_many_rows(name));
        }
        if col >= MAX_COLUMNS {
            continue;
        }
        let value = match cell.formula {
            Some(
                XlsxFormulaMetadata::Normal { formula }
                | XlsxFormulaMetadata::Shared { formula, .. },
            ) => Value::Formula(formula),
            Some(_) => Value::Formula("a shared formula".to_owned()),
            None => value_of(&cell.value),
        };
        if value == Value::Empty {
            continue;
        }
        let r = by_row.entry(row).or_default();
        if r.len() <= col as usize {
            r.resize(col as usize + 1, Value::Empty);
        }
        r[col as usize] = value;
    }
    grid.rows = by_row.into_iter().collect();
    Ok(grid)
}

fn value_of(v: &DataRef) -> Value {
    match v {
        DataRef::Empty => Value::Empty,
        // An ISO duration cell (`PT2H30M`) is text, read like a duration written out.
        DataRef::String(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_owned()),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::Error(e) => Value::Error(format!("{e}")),
        DataRef::DateTime(dt) => {
            if dt.is_duration() || (0.0..1.0).contains(&dt.as_f64()) {
                Value::Duration((dt.as_f64() * 1440.0).round() as i64)
            } else {
                let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
                let date = Date::new(y as i16, mo as i8, d as i8);
                let time = jiff::civil::Time::new(h as i8, mi as i8, s as i8, 0);
                match (date, time) {
                    (Ok(date), Ok(time)) => Value::DateTime(date.to_datetime(time)),
                    _ => Value::Error("a date outside what cutover reads".to_owned()),
                }
            }
        }
        DataRef::DateTimeIso(s) => s
            .get(..19)
            .unwrap_or(s)
            .parse::<DateTime>()
            .map_or_else(|_| Value::Text(s.clone()), Value::DateTime),
    }
}

// ---- From a grid to a draft ----

/// The header row of `grid`: its index and the column each known header names.
fn find_header(grid: &Grid) -> Option<(usize, HashMap<Column, u32>, Vec<Problem>)> {
    for (i, (row, cells)) in grid.rows.iter().enumerate() {
        if *row >= HEADER_SEARCH {
            break;
        }
        let mut columns: HashMap<Column, u32> = HashMap::new();
        let mut notes = Vec::new();
        for (c, cell) in cells.iter().enumerate() {
            let Value::Text(h) = cell else { continue };
            if h.trim().is_empty() {
                continue;
            }
            match column(h) {
                Some(Ok(col)) => {
                    // Two duration columns count as one kind.
                    let kind = match col {
                        Column::Duration(_) => columns
                            .keys()
                            .find(|k| matches!(k, Column::Duration(_)))
                            .copied(),
                        _ => columns.contains_key(&col).then_some(col),
                    };
                    if kind.is_some() {
                        notes.push(
                            Problem::warning(
                                cell_ref(&grid.name, *row, c as u32),
                                format!("a second `{}` column is not read", h.trim()),
                            )
                            .at_row(*row),
                        );
                    } else {
                        columns.insert(col, c as u32);
                    }
                }
                Some(Err("")) => {}
                Some(Err(why)) => notes.push(
                    Problem::warning(
                        cell_ref(&grid.name, *row, c as u32),
                        format!("column `{}` is not read: {why}", h.trim()),
                    )
                    .at_row(*row),
                ),
                None => notes.push(
                    Problem::warning(
                        cell_ref(&grid.name, *row, c as u32),
                        format!("column `{}` is not one cutover reads; left out", h.trim()),
                    )
                    .at_row(*row),
                ),
            }
        }
        if columns.contains_key(&Column::Name) && columns.len() >= 2 {
            return Some((i, columns, notes));
        }
    }
    None
}

/// One task row before references are resolved.
struct Parsed {
    row: u32,
    source_id: Option<String>,
    name: String,
    workstream: Option<String>,
    owner: Option<String>,
    duration: Option<Amount>,
    /// (text as written, cell) for each predecessor.
    preds: Vec<String>,
    pred_cell: String,
    fixed_start: Option<DateTime>,
    deadline: Option<DateTime>,
    notes: Option<String>,
    tags: Vec<String>,
    go_live: bool,
}

fn draft_from(
    grids: &[Grid],
    file_name: &str,
    kind: &str,
    options: &ImportOptions,
) -> Result<(Draft, Vec<Problem>), ImportError> {
    let Some((grid, (header_at, columns, mut problems))) =
        grids.iter().find_map(|g| find_header(g).map(|h| (g, h)))
    else {
        return Err(ImportError::Invalid(format!(
            "no sheet has a header row with a task name column and at least one other known \
             column (id, workstream, owner, duration, predecessors, fixed start, notes) in its \
             first {HEADER_SEARCH} rows{}",
            if grids.iter().all(|g| g.rows.is_empty()) {
                ": the file is empty"
            } else {
                ""
            }
        )));
    };
    let header_row = grid.rows[header_at].0;
    // Merged cells: the value sits in the first cell only, so reading the others as
    // empty would be a guess.
    let mapped: HashSet<u32> = columns.values().copied().collect();
    let mut bad_rows: HashSet<u32> = HashSet::new();
    for &(r0, c0, r1, c1) in &grid.merged {
        if !(c0..=c1).any(|c| mapped.contains(&c)) || r1 < header_row {
            continue;
        }
        let range = format!(
            "{}:{}",
            cell_ref(&grid.name, r0, c0),
            cell_ref("", r1, c1).trim_start_matches('!')
        );
        if (r0..=r1).contains(&header_row) {
            return Err(ImportError::Invalid(format!(
                "the header row has merged cells ({range}): unmerge them so each column has its own header"
            )));
        }
        problems.push(
            Problem::error(
                range,
                format!(
                    "merged cells: the value sits in the first cell only; rows {}-{} left out",
                    r0 + 1,
                    r1 + 1
                ),
            )
            .at_row(r0)
            .with_help("unmerge the cells and fill in each row"),
        );
        bad_rows.extend(r0..=r1);
    }

    let get = |cells: &[Value], col: Column| -> (Value, u32) {
        match columns.get(&col) {
            Some(&c) => (cells.get(c as usize).cloned().unwrap_or(Value::Empty), c),
            None => (Value::Empty, u32::MAX),
        }
    };
    let duration_unit = columns.keys().find_map(|k| match k {
        Column::Duration(u) => Some(*u),
        _ => None,
    });
    let duration_col = duration_unit.map(Column::Duration);

    let mut parsed: Vec<Parsed> = Vec::new();
    // Ids and names of rows left out, so rows that refer to them can say so.
    let mut skipped: HashMap<String, u32> = HashMap::new();
    let skip = |skipped: &mut HashMap<String, u32>, cells: &[Value], row: u32| {
        for col in [Column::Id, Column::Name] {
            if let Some(t) = text_of(&get(cells, col).0) {
                skipped.insert(t.to_lowercase(), row);
            }
        }
    };
    for (row, cells) in grid.rows.iter().skip(header_at + 1) {
        let row = *row;
        if mapped
            .iter()
            .all(|&c| cells.get(c as usize).is_none_or(Value::is_empty))
        {
            continue;
        }
        if parsed.len() >= MAX_ROWS {
            return Err(too_many_rows(&grid.name));
        }
        let mut errors: Vec<Problem> = Vec::new();
        let here = |col: u32| cell_ref(&grid.name, row, col);
        // Formulas and error values in any column read.
        for &c in &mapped {
            match cells.get(c as usize) {
                Some(Value::Formula(f)) => errors.push(
                    Problem::error(
                        here(c),
                        format!(
                            "a formula (`={}`): cutover reads values, not formulas",
                            f.trim_start_matches('=')
                        ),
                    )
                    .at_row(row)
                    .with_help(
                        "copy the column and paste it back as values (Paste Special > Values)",
                    ),
                ),
                Some(Value::Error(e)) => errors
                    .push(Problem::error(here(c), format!("an error value ({e})")).at_row(row)),
                _ => {}
            }
        }
        if !errors.is_empty() || bad_rows.contains(&row) {
            problems.extend(errors);
            problems.push(Problem::error(row_ref(&grid.name, row), "row left out").at_row(row));
            skip(&mut skipped, cells, row);
            continue;
        }
        let (name_value, name_col) = get(cells, Column::Name);
        let name = text_of(&name_value);
        let Some(name) = name else {
            problems.push(Problem::error(here(name_col), "no task name: row left out").at_row(row));
            skip(&mut skipped, cells, row);
            continue;
        };
        let (id_value, _) = get(cells, Column::Id);
        let source_id = text_of(&id_value);
        let duration = match duration_col {
            Some(col) => {
                let (v, c) = get(cells, col);
                let milestone = yes(&get(cells, Column::Milestone).0);
                match duration_of(&v, duration_unit.unwrap_or(Unit::Minutes)) {
                    Ok(Some(a)) if a.minutes == 0 => None,
                    Ok(Some(a)) if milestone => {
                        errors.push(
                            Problem::error(
                                here(c),
                                format!("a milestone with a duration ({} minutes)", a.minutes),
                            )
                            .at_row(row),
                        );
                        None
                    }
                    Ok(Some(a)) => Some(a),
                    Ok(None) if milestone => None,
                    Ok(None) => {
                        errors.push(
                            Problem::error(here(c), "no duration").at_row(row)
                                .with_help("give a duration (45m, 2h 30m, 1.5h, 2 days, or minutes), 0 for a milestone"),
                        );
                        None
                    }
                    Err(m) => {
                        errors.push(
                            Problem::error(here(c), m).at_row(row).with_help(
                                "write 45m, 2h 30m, 1.5h, 2 days, or a number of minutes",
                            ),
                        );
                        None
                    }
                }
            }
            None => {
                if yes(&get(cells, Column::Milestone).0) {
                    None
                } else {
                    return Err(ImportError::Invalid(format!(
                        "{}: the header has no duration column (`Duration`, `Planned Duration`, `Duration (h)`)",
                        grid.name
                    )));
                }
            }
        };
        let mut instant = |col: Column| -> Option<DateTime> {
            let (v, c) = get(cells, col);
            match instant_of(&v, options.dates) {
                Ok(x) => x,
                Err(m) => {
                    errors.push(Problem::error(here(c), m.0).at_row(row).with_help(m.1));
                    None
                }
            }
        };
        let fixed_start = instant(Column::FixedStart);
        let deadline = instant(Column::Deadline);
        let (pred_value, pred_col) = get(cells, Column::Predecessors);
        let preds: Vec<String> = text_of(&pred_value)
            .map(|t| {
                t.split([',', ';', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        if !errors.is_empty() {
            problems.extend(errors);
            problems.push(
                Problem::error(row_ref(&grid.name, row), format!("\"{name}\" left out"))
                    .at_row(row),
            );
            skip(&mut skipped, cells, row);
            continue;
        }
        let go_live = yes(&get(cells, Column::GoLive).0);
        if go_live && duration.is_some() {
            problems.push(
                Problem::warning(
                    here(get(cells, Column::GoLive).1),
                    "go-live is marked on a task with a duration: not taken as the go-live milestone",
                )
                .at_row(row)
                .with_help("mark go-live on the milestone (no duration) whose finish means ready"),
            );
        }
        parsed.push(Parsed {
            go_live: go_live && duration.is_none(),
            row,
            source_id,
            name,
            workstream: text_of(&get(cells, Column::Workstream).0),
            owner: text_of(&get(cells, Column::Owner).0),
            duration,
            preds,
            pred_cell: here(pred_col),
            fixed_start,
            deadline,
            notes: text_of(&get(cells, Column::Notes).0),
            tags: text_of(&get(cells, Column::Tags).0)
                .map(|t| {
                    t.split([' ', ',', ';'])
                        .filter(|x| is_valid_id(x))
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        });
    }

    // ---- Ids ----
    let mut draft = Draft {
        name: file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem)
            .to_owned(),
        source: format!("{file_name} ({kind}, sheet `{}`)", grid.name),
        ..Draft::default()
    };
    if kind == "CSV file" {
        draft.source = format!("{file_name} (CSV)");
    }
    let mut ids = IdSet::default();
    let mut slug_count: HashMap<String, usize> = HashMap::new();
    for p in &parsed {
        if p.source_id.as_deref().is_none_or(|s| !usable_id(s)) {
            *slug_count.entry(slug(&p.name)).or_default() += 1;
        }
    }
    let mut task_ids: Vec<String> = Vec::with_capacity(parsed.len());
    let mut keep = vec![true; parsed.len()];
    let mut seen_source: HashMap<String, u32> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if let Some(s) = &p.source_id
            && let Some(first) = seen_source.insert(s.clone(), p.row)
        {
            problems.push(
                Problem::error(
                    row_ref(&grid.name, p.row),
                    format!(
                        "id `{s}` is already used by row {}: row left out",
                        first + 1
                    ),
                )
                .at_row(p.row),
            );
            keep[i] = false;
        }
        let wanted = match &p.source_id {
            Some(s) if usable_id(s) => s.clone(),
            other => {
                let s = slug(&p.name);
                let suffix = other.as_deref().map(slug).filter(|x| !x.is_empty());
                match (
                    s.is_empty(),
                    slug_count.get(&s).copied().unwrap_or(0) > 1,
                    suffix,
                ) {
                    (true, _, Some(n)) => format!("task-{n}"),
                    (true, _, None) => format!("row-{}", p.row + 1),
                    (false, true, Some(n)) => format!("{s}-{n}"),
                    (false, _, _) => s,
                }
            }
        };
        task_ids.push(ids.claim(&wanted));
    }

    // ---- References ----
    let mut by_source: HashMap<String, usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in parsed.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if let Some(s) = &p.source_id {
            by_source.insert(s.clone(), i);
        }
        by_id.insert(task_ids[i].clone(), i);
        by_name.entry(p.name.to_lowercase()).or_default().push(i);
    }
    let resolve = |text: &str| -> Option<usize> {
        let t = text.trim();
        by_source
            .get(t)
            .or_else(|| by_id.get(t))
            .copied()
            .or_else(|| match by_name.get(&t.to_lowercase()) {
                Some(v) if v.len() == 1 => Some(v[0]),
                _ => None,
            })
    };
    let mut links: Vec<Vec<(usize, LinkType, Option<Amount>)>> = vec![Vec::new(); parsed.len()];
    for (i, p) in parsed.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        for token in &p.preds {
            match predecessor(token, &resolve) {
                Ok((target, link, lag)) if target == i => {
                    problems.push(
                        Problem::error(&p.pred_cell, format!("`{token}` is the task itself"))
                            .at_row(p.row),
                    );
                    keep[i] = false;
                    let _ = (link, lag);
                }
                Ok((target, link, lag)) => links[i].push((target, link, lag)),
                Err(m) => {
                    let key = token.trim().to_lowercase();
                    let ambiguous = by_name.get(&key).is_some_and(|v| v.len() > 1);
                    let problem = if ambiguous {
                        Problem::error(
                            &p.pred_cell,
                            format!("`{token}` names more than one task: row left out"),
                        )
                        .with_help("name the task by its id")
                    } else if let Some(r) = skipped.get(&key) {
                        Problem::error(
                            &p.pred_cell,
                            format!(
                                "`{token}` is row {}, which was left out: row left out",
                                r + 1
                            ),
                        )
                    } else {
                        Problem::error(&p.pred_cell, format!("{m}: row left out")).with_help(
                            "write an id or a task name, with a type and lag if needed: `12FS+30m`, `12SS`, `5, 7`",
                        )
                    };
                    problems.push(problem.at_row(p.row));
                    keep[i] = false;
                }
            }
        }
    }
    // Rows that depend on a row left out are left out too (until nothing changes).
    loop {
        let mut changed = false;
        for i in 0..parsed.len() {
            if keep[i] && links[i].iter().any(|&(t, _, _)| !keep[t]) {
                keep[i] = false;
                changed = true;
                let gone: Vec<String> = links[i]
                    .iter()
                    .filter(|&&(t, _, _)| !keep[t])
                    .map(|&(t, _, _)| format!("row {}", parsed[t].row + 1))
                    .collect();
                problems.push(
                    Problem::error(
                        &parsed[i].pred_cell,
                        format!("depends on {} (left out): row left out", gone.join(", ")),
                    )
                    .at_row(parsed[i].row),
                );
            }
        }
        if !changed {
            break;
        }
    }

    // ---- Workstreams and tasks ----
    let mut ws_ids: HashMap<String, String> = HashMap::new();
    let mut ws_claimed = IdSet::default();
    let mut earliest: Option<DateTime> = None;
    for (i, p) in parsed.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        let workstream = p.workstream.as_ref().map(|w| {
            let key = w.trim().to_lowercase();
            ws_ids
                .entry(key)
                .or_insert_with(|| {
                    let w = w.trim();
                    let wanted = if is_valid_id(w) && !w.chars().any(|c| c.is_ascii_uppercase()) {
                        w.to_owned()
                    } else {
                        slug(w)
                    };
                    let wanted = if wanted.is_empty() {
                        "workstream".to_owned()
                    } else {
                        wanted
                    };
                    let id = ws_claimed.claim(&wanted);
                    draft.workstreams.push(DraftWorkstream {
                        id: id.clone(),
                        name: w.trim().to_owned(),
                    });
                    id
                })
                .clone()
        });
        let owner = if let Some(o) = &p.owner {
            o.clone()
        } else {
            draft.unassigned += 1;
            UNASSIGNED.to_owned()
        };
        let mut tags = p.tags.clone();
        if let Some(s) = &p.source_id
            && !usable_id(s)
        {
            let t = slug(s);
            if !t.is_empty() {
                tags.push(format!("src-{t}"));
            }
        }
        if let Some(f) = p.fixed_start {
            earliest = Some(earliest.map_or(f, |e| e.min(f)));
        }
        draft.tasks.push(DraftTask {
            id: task_ids[i].clone(),
            name: p.name.clone(),
            workstream,
            owner,
            duration: p.duration,
            calendar: None,
            after: links[i]
                .iter()
                .map(|&(t, link, lag)| DraftLink {
                    task: task_ids[t].clone(),
                    link,
                    lag,
                })
                .collect(),
            not_before: p.fixed_start,
            deadline: p.deadline.filter(|d| p.fixed_start.is_none_or(|f| *d >= f)),
            tags,
            notes: p.notes.clone(),
            go_live: p.go_live,
            go_live_assumed: None,
        });
    }
    if let Some(tz) = &options.timezone {
        draft.timezone.clone_from(tz);
    } else {
        super::DEFAULT_TIMEZONE.clone_into(&mut draft.timezone);
        draft.timezone_assumed = true;
    }
    draft.start = match (options.start, earliest) {
        (Some(s), _) => s,
        (None, Some(e)) => {
            draft.start_assumed = Some("the earliest fixed start in the sheet".to_owned());
            e
        }
        (None, None) => {
            draft.start_assumed = Some("the sheet has no fixed start; the day of import at 09:00 (import --start to choose)".to_owned());
            options.today.at(9, 0, 0, 0)
        }
    };
    draft.remarks.push(
        "Runbook tools time a runbook round the clock: tasks run on the built-in 24x7 calendar, \
         so `2d` is 48 hours. Set `default_calendar` if the plan keeps office hours."
            .to_owned(),
    );
    Ok((draft, problems))
}

/// An id that can be kept as it is: valid, and not just a number (`12` becomes an id
/// made from the name, with the number as a tag).
fn usable_id(s: &str) -> bool {
    is_valid_id(s) && !s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::DateTime(d) => Some(d.to_string()),
        _ => None,
    }
}

fn yes(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0,
        Value::Text(t) => matches!(
            t.trim().to_lowercase().as_str(),
            "yes" | "y" | "true" | "x" | "1" | "milestone"
        ),
        _ => false,
    }
}

/// A duration cell: `45m`, `2h 30m`, `1.5h`, `2 days`, a number in the column's unit
/// (minutes unless the header says), or an Excel time or duration.
fn duration_of(v: &Value, unit: Unit) -> Result<Option<Amount>, String> {
    let per = match unit {
        Unit::Minutes => 1.0,
        Unit::Hours => 60.0,
        Unit::Days => 1440.0,
        Unit::Weeks => 10080.0,
    };
    let amount = |minutes: i64, unit: Unit| -> Result<Option<Amount>, String> {
        if minutes < 0 {
            return Err("a negative duration".to_owned());
        }
        Ok(Some(Amount::working(minutes, unit)))
    };
    match v {
        Value::Empty => Ok(None),
        Value::Number(n) => {
            let minutes = n * per;
            if !minutes.is_finite() || minutes.abs() > crate::time::MAX_DURATION as f64 {
                return Err(format!("`{n}` is too long a duration"));
            }
            amount(minutes.round() as i64, unit)
        }
        Value::Duration(m) => amount(*m, Unit::Minutes),
        Value::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            if let Ok(n) = t.parse::<f64>() {
                return duration_of(&Value::Number(n), unit);
            }
            let spec = parse_duration(t).map_err(|e| e.message)?;
            if spec.elapsed {
                return Err(format!(
                    "`{t}`: durations here are elapsed already; drop `elapsed`"
                ));
            }
            let unit = if spec.weeks != 0 {
                Unit::Weeks
            } else if spec.days != 0 {
                Unit::Days
            } else if spec.minutes % 60 == 0 {
                Unit::Hours
            } else {
                Unit::Minutes
            };
            amount(spec.elapsed_minutes(), unit)
        }
        Value::DateTime(_) => Err("a date where a duration belongs".to_owned()),
        Value::Bool(_) => Err("true/false where a duration belongs".to_owned()),
        Value::Error(e) | Value::Formula(e) => Err(format!("`{e}` is not a duration")),
    }
}

/// A date-and-time cell: an Excel date, or text `2027-03-05 18:00`, `2027-03-05T18:00`,
/// `2027-03-05`; slashed text (`05/03/2027 18:00`) only with `--dates dmy|mdy`.
fn instant_of(v: &Value, order: DateOrder) -> Result<Option<DateTime>, (String, &'static str)> {
    const HELP: &str = "write 2027-03-05 18:00, or make the cell an Excel date";
    match v {
        Value::Empty => Ok(None),
        Value::DateTime(d) => Ok(Some(*d)),
        Value::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            if let Ok(d) = super::parse_local(t) {
                return Ok(Some(d));
            }
            if let Ok(d) = super::parse_local(&t.replacen(' ', "T", 1)) {
                return Ok(Some(d));
            }
            slashed(t, order).map(Some)
        }
        Value::Number(n) => Err((format!("`{n}` is a number, not a date"), HELP)),
        Value::Duration(_) => Err(("a time without a date".to_owned(), HELP)),
        _ => Err(("not a date".to_owned(), HELP)),
    }
}

/// `05/03/2027 18:00` in the order given.
fn slashed(t: &str, order: DateOrder) -> Result<DateTime, (String, &'static str)> {
    let (date, time) = t.split_once(' ').unwrap_or((t, "00:00"));
    let parts: Vec<&str> = date.split(['/', '.']).collect();
    let bad = || {
        (
            format!("`{t}` is not a date and time"),
            "write 2027-03-05 18:00, or make the cell an Excel date",
        )
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let nums: Vec<i16> = parts
        .iter()
        .map(|p| p.trim().parse().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let (d, m) = match order {
        DateOrder::DayFirst => (nums[0], nums[1]),
        DateOrder::MonthFirst => (nums[1], nums[0]),
        DateOrder::Unset => {
            return Err((
                format!("`{t}` could be day/month or month/day"),
                "give --dates dmy (05/03/2027 is 5 March) or --dates mdy, or write 2027-03-05",
            ));
        }
    };
    let y = if nums[2] < 100 {
        2000 + nums[2]
    } else {
        nums[2]
    };
    let time = time.trim();
    let (h, mi) = time.split_once(':').ok_or_else(bad)?;
    let (h, mi): (i8, i8) = (
        h.parse().map_err(|_| bad())?,
        mi.get(..2).unwrap_or(mi).parse().map_err(|_| bad())?,
    );
    let date = Date::new(
        y,
        i8::try_from(m).map_err(|_| bad())?,
        i8::try_from(d).map_err(|_| bad())?,
    );
    let time = jiff::civil::Time::new(h, mi, 0, 0);
    match (date, time) {
        (Ok(date), Ok(time)) => Ok(date.to_datetime(time)),
        _ => Err(bad()),
    }
}

/// A predecessor: `12`, `12FS+30m`, `12 SS`, `dm-extract FF-1h`, or a task name; the
/// longest leading text that names a task wins.
fn predecessor(
    token: &str,
    resolve: &dyn Fn(&str) -> Option<usize>,
) -> Result<(usize, LinkType, Option<Amount>), String> {
    if let Some(t) = resolve(token) {
        return Ok((t, LinkType::FS, None));
    }
    let bounds: Vec<usize> = token.char_indices().map(|(i, _)| i).skip(1).collect();
    for &k in bounds.iter().rev() {
        let (head, tail) = token.split_at(k);
        let Some(t) = resolve(head) else { continue };
        if let Some((link, lag)) = link_spec(tail) {
            return Ok((t, link, lag));
        }
    }
    Err(format!(
        "`{token}` names no task in the sheet (by id or name)"
    ))
}

/// `FS+30m`, ` SS`, `FF - 1h`, `+2 days`: a type (default FS) and a lag.
fn link_spec(text: &str) -> Option<(LinkType, Option<Amount>)> {
    let t = text.trim();
    let (link, rest) = match t.get(..2).map(str::to_ascii_uppercase).as_deref() {
        Some("FS") => (LinkType::FS, &t[2..]),
        Some("SS") => (LinkType::SS, &t[2..]),
        Some("FF") => (LinkType::FF, &t[2..]),
        Some("SF") => (LinkType::SF, &t[2..]),
        _ => (LinkType::FS, t),
    };
    let rest = rest.trim();
    if rest.is_empty() {
        return (t.len() >= 2 || t.is_empty())
            .then_some((link, None))
            .filter(|_| !t.is_empty());
    }
    let (sign, body) = match rest.as_bytes().first() {
        Some(b'+') => (1, rest[1..].trim()),
        Some(b'-') => (-1, rest[1..].trim()),
        _ => return None,
    };
    let lag = duration_of(&Value::Text(body.to_owned()), Unit::Minutes).ok()??;
    let minutes = sign * lag.minutes;
    Some((link, (minutes != 0).then_some(Amount { minutes, ..lag })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_loosely() {
        assert_eq!(column("Task ID"), Some(Ok(Column::Id)));
        assert_eq!(column("Predecessor IDs"), Some(Ok(Column::Predecessors)));
        assert_eq!(
            column("Planned Duration"),
            Some(Ok(Column::Duration(Unit::Minutes)))
        );
        assert_eq!(
            column("Duration (h)"),
            Some(Ok(Column::Duration(Unit::Hours)))
        );
        assert_eq!(
            column("duration_hours"),
            Some(Ok(Column::Duration(Unit::Hours)))
        );
        assert_eq!(column("Work stream"), Some(Ok(Column::Workstream)));
        assert_eq!(column("Owner / Team"), Some(Ok(Column::Owner)));
        assert_eq!(column("Fixed Start"), Some(Ok(Column::FixedStart)));
        assert_eq!(column("#"), Some(Ok(Column::Id)));
        assert!(matches!(column("Planned start"), Some(Err(_))));
        assert_eq!(column("Colour"), None);
        assert_eq!(column("Duration (fortnights)"), None);
    }

    #[test]
    fn columns_have_letters() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(cell_ref("Tasks", 11, 5), "Tasks!F12");
    }

    #[test]
    fn durations_read_as_written() {
        let m = |text: &str| {
            duration_of(&Value::Text(text.to_owned()), Unit::Minutes).map(|a| a.map(|a| a.minutes))
        };
        assert_eq!(m("45m"), Ok(Some(45)));
        assert_eq!(m("2h 30m"), Ok(Some(150)));
        assert_eq!(m("1.5h"), Ok(Some(90)));
        assert_eq!(m("2 days"), Ok(Some(2880)));
        assert_eq!(m("90"), Ok(Some(90)));
        assert_eq!(m(""), Ok(None));
        assert!(m("soon").is_err());
        assert!(m("-5").is_err());
        assert_eq!(
            duration_of(&Value::Number(1.5), Unit::Hours)
                .unwrap()
                .unwrap()
                .minutes,
            90
        );
        assert_eq!(
            duration_of(&Value::Duration(150), Unit::Hours)
                .unwrap()
                .unwrap()
                .minutes,
            150
        );
    }

    #[test]
    fn predecessors_read_ids_types_lags_and_names() {
        let ids = ["12", "5", "7", "dm-extract", "Load patients"];
        let resolve = |t: &str| ids.iter().position(|x| x.eq_ignore_ascii_case(t.trim()));
        let p = |t: &str| {
            predecessor(t, &resolve).map(|(i, l, lag)| (ids[i], l, lag.map(|a| a.minutes)))
        };
        assert_eq!(p("12FS+30m"), Ok(("12", LinkType::FS, Some(30))));
        assert_eq!(p("12SS"), Ok(("12", LinkType::SS, None)));
        assert_eq!(p("12 ff - 1h"), Ok(("12", LinkType::FF, Some(-60))));
        assert_eq!(p("5"), Ok(("5", LinkType::FS, None)));
        assert_eq!(
            p("dm-extract SF+2 days"),
            Ok(("dm-extract", LinkType::SF, Some(2880)))
        );
        assert_eq!(
            p("load patients"),
            Ok(("Load patients", LinkType::FS, None))
        );
        assert_eq!(p("12+1.5h"), Ok(("12", LinkType::FS, Some(90))));
        assert!(p("13").is_err());
        assert!(p("12XX").is_err());
        assert!(p("12FS+soon").is_err());
    }

    #[test]
    fn dates_are_never_guessed() {
        let d = |t: &str, o| instant_of(&Value::Text(t.to_owned()), o).map_err(|e| e.0);
        let at = |y, m, day, h, mi| Some(jiff::civil::date(y, m, day).at(h, mi, 0, 0));
        assert_eq!(
            d("2027-03-05 18:00", DateOrder::Unset),
            Ok(at(2027, 3, 5, 18, 0))
        );
        assert_eq!(
            d("2027-03-05T18:00", DateOrder::Unset),
            Ok(at(2027, 3, 5, 18, 0))
        );
        assert_eq!(d("2027-03-05", DateOrder::Unset), Ok(at(2027, 3, 5, 0, 0)));
        assert!(
            d("05/03/2027 18:00", DateOrder::Unset)
                .unwrap_err()
                .contains("day/month")
        );
        assert_eq!(
            d("05/03/2027 18:00", DateOrder::DayFirst),
            Ok(at(2027, 3, 5, 18, 0))
        );
        assert_eq!(
            d("03/05/2027 18:00", DateOrder::MonthFirst),
            Ok(at(2027, 3, 5, 18, 0))
        );
        assert!(d("31/02/2027", DateOrder::DayFirst).is_err());
        assert!(d("tomorrow", DateOrder::DayFirst).is_err());
    }
}
