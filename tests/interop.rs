//! `cutover import` and `cutover export`: MS Project XML, Excel and CSV, run through the
//! binary on the fixtures in `tests/fixtures/interop/`.
//!
//! The oracle: eight MSPDI files saved by real MS Project versions (MPXJ's test data,
//! LGPL-2.1, see `tests/fixtures/interop/mspdi/LICENCE.md`). For every automatically
//! scheduled task, `import` then `plan` must give the Start and Finish MS Project
//! stored, to the minute, or the difference must be listed in `docs/interop.md`; the
//! test allows exactly the differences listed there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::cutover;

const MSPDI_DIR: &str = "tests/fixtures/interop/mspdi";
const DOC: &str = "docs/interop.md";

/// The eight MSPDI files, by name.
fn mspdi_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(MSPDI_DIR)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    files
}

/// Imports `source` into `dir`; returns the runbook's path and the command's stderr.
fn import(source: &Path, dir: &Path, extra: &[&str]) -> (PathBuf, String, i32) {
    let stem = source.file_stem().unwrap().to_string_lossy().into_owned();
    let out = dir.join(format!("{stem}.yaml"));
    let output = cutover()
        .arg("import")
        .arg(source)
        .arg("-o")
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    (out, stderr, output.status.code().unwrap())
}

fn plan_json(runbook: &Path, extra: &[&str]) -> Value {
    let output = cutover()
        .args(["plan", "--format", "json"])
        .arg(runbook)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "plan failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// `cutover validate --strict` passes: no error and no warning.
fn assert_validates_clean(runbook: &Path) {
    let output = cutover()
        .args(["validate", "--strict"])
        .arg(runbook)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{} does not validate clean:\n{}",
        runbook.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// One task (or summary) as MS Project stored it.
#[derive(Debug, Default, Clone)]
struct Stored {
    id: String,
    name: String,
    start: String,
    finish: String,
    summary: bool,
    manual: bool,
    null: bool,
    uid0: bool,
}

/// The `<Task>`s of an MSPDI file, read with quick-xml's event reader (independently
/// of the importer).
fn stored_tasks(path: &Path) -> Vec<Stored> {
    use quick_xml::events::Event;
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut out = Vec::new();
    let mut current: Option<Stored> = None;
    let mut path_stack: Vec<String> = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                if name == "Task" && path_stack.last().is_some_and(|p| p == "Tasks") {
                    current = Some(Stored::default());
                }
                path_stack.push(name);
            }
            Event::End(_) => {
                let name = path_stack.pop().unwrap();
                if name == "Task"
                    && path_stack.last().is_some_and(|p| p == "Tasks")
                    && let Some(t) = current.take()
                {
                    out.push(t);
                }
            }
            Event::Text(t) => {
                let value = t.to_string();
                // Fields directly under <Task>.
                if let (Some(task), [.., parent, field]) = (current.as_mut(), path_stack.as_slice())
                    && parent == "Task"
                {
                    match field.as_str() {
                        "ID" => task.id = value,
                        "UID" => task.uid0 = value == "0",
                        "Name" => task.name = value,
                        "Start" => task.start = value[..16].replace('T', " "),
                        "Finish" => task.finish = value[..16].replace('T', " "),
                        "Summary" => task.summary = value == "1",
                        "Manual" => task.manual = value == "1",
                        "IsNull" => task.null = value == "1",
                        _ => {}
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A difference between MS Project and cutover: (file, MS Project ID, MS Project's
/// start and finish, cutover's start and finish).
type Difference = (String, String, String, String);

/// The differences `docs/interop.md` lists between its markers.
fn documented_differences() -> BTreeSet<Difference> {
    let doc = std::fs::read_to_string(DOC).unwrap();
    let start = doc
        .find("<!-- oracle-differences -->")
        .expect("start marker");
    let end = doc
        .find("<!-- /oracle-differences -->")
        .expect("end marker");
    let mut out = BTreeSet::new();
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `file` | ID | name | MS Project | cutover | why |
        if cells.len() < 7 || !cells[1].starts_with('`') {
            continue;
        }
        out.insert((
            cells[1].trim_matches('`').to_owned(),
            cells[2].to_owned(),
            cells[4].to_owned(),
            cells[5].to_owned(),
        ));
    }
    out
}

/// The runbook's tasks by MS Project ID (from their `msp-N` tags), and its tasks by
/// the summary each is under (workstream or tag).
fn by_msp_id(runbook: &Path) -> (BTreeMap<String, String>, BTreeMap<String, Vec<String>>) {
    let text = std::fs::read_to_string(runbook).unwrap();
    let mut sources = cutover::source::Sources::default();
    let loaded = cutover::load::load_runbook_text(
        runbook,
        text,
        &mut sources,
        &cutover::load::Limits::default(),
    );
    let rb = loaded.runbook.unwrap();
    let mut ids = BTreeMap::new();
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in &rb.tasks {
        let task = &t.item.value;
        let id = task.id.as_ref().unwrap().value.clone();
        for tag in &task.tags {
            if let Some(n) = tag.strip_prefix("msp-") {
                ids.insert(n.to_owned(), id.clone());
            } else {
                groups.entry(tag.clone()).or_default().push(id.clone());
            }
        }
        if let Some(w) = &task.workstream {
            groups.entry(w.value.clone()).or_default().push(id.clone());
        }
    }
    (ids, groups)
}

/// `2006-09-21T08:00:00+01:00` -> `2006-09-21 08:00`.
fn local(v: &Value) -> String {
    v.as_str().unwrap()[..16].replace('T', " ")
}

#[test]
fn import_then_plan_gives_ms_projects_dates() {
    let dir = tempfile::tempdir().unwrap();
    let mut found: BTreeSet<Difference> = BTreeSet::new();
    let mut compared = 0;
    for file in mspdi_files() {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let (runbook, stderr, code) = import(&file, dir.path(), &[]);
        assert_eq!(code, 0, "{name}: {stderr}");
        assert_validates_clean(&runbook);
        let plan = plan_json(&runbook, &[]);
        let dates: BTreeMap<String, (String, String)> = plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_owned(),
                    (local(&t["early_start"]), local(&t["early_finish"])),
                )
            })
            .collect();
        let (ids, groups) = by_msp_id(&runbook);
        let stored = stored_tasks(&file);
        // Summary ids, to find the tasks under each (workstream or tag).
        let summary_ids = summary_ids(&runbook);
        for t in stored.iter().filter(|t| !t.uid0 && !t.null && !t.manual) {
            let ours = if t.summary {
                // A summary spans the tasks under it.
                let Some(members) = summary_ids.get(&t.id).and_then(|s| groups.get(s)) else {
                    continue;
                };
                let start = members.iter().map(|m| &dates[m].0).min().unwrap().clone();
                let finish = members.iter().map(|m| &dates[m].1).max().unwrap().clone();
                (start, finish)
            } else {
                let id = ids
                    .get(&t.id)
                    .unwrap_or_else(|| panic!("{name}: task {} not imported", t.id));
                dates[id].clone()
            };
            compared += 1;
            if (t.start.clone(), t.finish.clone()) != ours {
                found.insert((
                    name.clone(),
                    t.id.clone(),
                    format!("{} → {}", t.start, t.finish),
                    format!("{} → {}", ours.0, ours.1),
                ));
            }
        }
    }
    // 61 tasks and 9 summaries, as docs/interop.md says.
    assert_eq!(compared, 70, "tasks and summaries compared");
    let documented = documented_differences();
    let undocumented: Vec<_> = found.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&found).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "differences not in {DOC}: {undocumented:#?}\nlisted in {DOC} but not found: {stale:#?}"
    );
}

/// MS Project ID of each summary task -> its id in the runbook (workstream or tag),
/// from the `# ---- Name ----` comments is not enough; read the ids from names.
fn summary_ids(runbook: &Path) -> BTreeMap<String, String> {
    // Workstreams and summary tags are made from the summary's name, numbered with its
    // MS Project ID when names repeat; the XML gives the names.
    let text = std::fs::read_to_string(runbook).unwrap();
    let source = text
        .lines()
        .find_map(|l| l.strip_prefix("# Imported by `cutover import` from "))
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let stored = stored_tasks(&Path::new(MSPDI_DIR).join(source));
    stored
        .iter()
        .filter(|t| t.summary && !t.uid0)
        .map(|t| (t.id.clone(), cutover::interop::slug(&t.name)))
        .collect()
}

// ---- Round trips ----

/// A runbook reduced to what a round trip must keep, one line per fact, sorted: tasks
/// (name, workstream name, owner, duration in minutes, milestone, calendar, links with
/// type and lag, constraints, notes), calendars (week, holidays, exceptions) and each
/// task's planned start and finish.
fn digest(runbook: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(runbook).unwrap();
    let mut sources = cutover::source::Sources::default();
    let limits = cutover::load::Limits::default();
    let loaded = cutover::load::load_runbook_text(runbook, text, &mut sources, &limits);
    let v = cutover::validate::validate(loaded.runbook.as_ref().unwrap());
    let (project, graph) = (v.project.unwrap(), v.graph.unwrap());
    let plan =
        cutover::plan::plan(&project, &graph, None, &cutover::plan::Filter::default()).unwrap();
    let calendar = |i: usize| -> String {
        let c = &project.calendars[i];
        match c.definition() {
            None => "24x7".to_owned(),
            Some((week, holidays)) => {
                let mut dates: Vec<_> = holidays.dates.iter().collect();
                dates.sort();
                let mut ex: Vec<_> = holidays.exceptions.iter().collect();
                ex.sort();
                format!(
                    "{:?} e&w={} {dates:?} {ex:?}",
                    week.ranges, holidays.england_and_wales
                )
            }
        }
    };
    let mut out = vec![format!("start {:?}", project.start)];
    for (i, t) in project.tasks.iter().enumerate() {
        let mut deps: Vec<String> = t
            .deps
            .iter()
            .map(|d| {
                format!(
                    "{} {} {} {}",
                    project.tasks[d.pred].id, d.link, d.lag.minutes, d.lag.elapsed
                )
            })
            .collect();
        deps.sort();
        let dates = &plan.schedule.tasks[i];
        let mut tags = t.tags.clone();
        tags.sort();
        out.push(format!(
            "{} | {} | {:?} | {:?} | {} {} | {} | {deps:?} | {:?} {:?} | {:?} | {tags:?} | {:?} {:?}",
            t.id,
            t.name,
            t.workstream.map(|w| &project.workstreams[w].name),
            t.owner,
            t.duration,
            t.milestone,
            calendar(t.calendar),
            t.not_before,
            t.deadline,
            t.notes,
            dates.early_start,
            dates.early_finish,
        ));
    }
    out.sort();
    out
}

fn export(runbook: &Path, format: &str, out: &Path, extra: &[&str]) {
    let output = cutover()
        .arg("export")
        .arg(runbook)
        .args(["--format", format, "-o"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "export {format} of {}: {}",
        runbook.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Import, export as `format`, import again: the same runbook, fact for fact.
fn round_trip(source: &Path, format: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let first_dir = dir.path().join("first");
    let second_dir = dir.path().join("second");
    std::fs::create_dir_all(&first_dir).unwrap();
    std::fs::create_dir_all(&second_dir).unwrap();
    let (first, stderr, code) = import(source, &first_dir, extra);
    assert!(code <= 1, "{stderr}");
    let exported = dir.path().join(format!(
        "plan.{}",
        if format == "mspdi" { "xml" } else { format }
    ));
    export(&first, format, &exported, &[]);
    let (second, stderr, code) = import(&exported, &second_dir, extra);
    assert_eq!(code, 0, "re-import of {}: {stderr}", exported.display());
    assert_validates_clean(&second);
    let (a, b) = (digest(&first), digest(&second));
    assert_eq!(a, b, "{} through {format}", source.display());
}

#[test]
fn mspdi_round_trips_keep_tasks_links_lags_calendars_and_dates() {
    for file in mspdi_files() {
        round_trip(&file, "mspdi", &[]);
    }
    round_trip(
        Path::new("tests/fixtures/interop/features/features.xml"),
        "mspdi",
        &[],
    );
}

#[test]
fn xlsx_and_csv_round_trips_keep_the_runbook() {
    let start = ["--start", "2027-06-11T17:00"];
    for format in ["xlsx", "csv"] {
        round_trip(
            Path::new("examples/programme-office-runbook.xlsx"),
            format,
            &start,
        );
        round_trip(Path::new(TABLE_CSV), format, &start);
    }
}

/// A shipped runbook (office calendars with bank holidays and per-day hours, 24x7
/// cutover tasks, elapsed lags, milestones, deadlines) exported to MS Project XML and
/// imported back plans to the same dates.
#[test]
fn a_shipped_runbook_survives_ms_project_xml() {
    let dir = tempfile::tempdir().unwrap();
    for runbook in [
        "runbooks/riverside-mh-community.yaml",
        "runbooks/northgate-acute.yaml",
    ] {
        let xml = dir.path().join("plan.xml");
        export(Path::new(runbook), "mspdi", &xml, &[]);
        let (back, stderr, code) = import(&xml, dir.path(), &["--timezone", "Europe/London"]);
        assert_eq!(code, 0, "{stderr}");
        assert_validates_clean(&back);
        let dates = |p: &Path| -> BTreeMap<String, (String, String)> {
            plan_json(p, &[])["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    let id = t["id"].as_str().unwrap().to_owned();
                    (id, (local(&t["early_start"]), local(&t["early_finish"])))
                })
                .collect()
        };
        assert_eq!(dates(Path::new(runbook)), dates(&back), "{runbook}");
    }
}

// ---- MS Project features beyond the eight files, checked by hand ----

const FEATURES: &str = "tests/fixtures/interop/features/features.xml";

#[test]
fn features_import_with_each_change_reported() {
    let dir = tempfile::tempdir().unwrap();
    let status = dir.path().join("features.status.yaml");
    let (runbook, stderr, code) = import(
        Path::new(FEATURES),
        dir.path(),
        &["--status-out", status.to_str().unwrap()],
    );
    // A link from a task that does not exist was left out: exit 1, runbook written.
    assert_eq!(code, 1, "{stderr}");
    assert_validates_clean(&runbook);
    let stderr = stderr.replace(&dir.path().display().to_string(), "[dir]");
    insta::assert_snapshot!("features-import-problems", stderr);
    insta::assert_snapshot!(
        "features-runbook",
        std::fs::read_to_string(&runbook).unwrap()
    );
    insta::assert_snapshot!("features-status", std::fs::read_to_string(&status).unwrap());

    // Dates worked by hand (Standard: Mon-Fri 08:00-12:00, 13:00-17:00; Friday 5
    // March 2027 a holiday; Saturday 6 March works 09:00-13:00):
    let plan = plan_json(&runbook, &[]);
    let at = |id: &str| -> (String, String) {
        let t = plan["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .unwrap();
        (local(&t["early_start"]), local(&t["early_finish"]))
    };
    let pair = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    // 1w = 40h: Mon-Thu 32h, Fri off, Sat 4h, Mon 08:00-12:00.
    assert_eq!(
        at("build-reports-3"),
        pair("2027-03-01 08:00", "2027-03-08 12:00")
    );
    // After the Build summary (its last task), on the all-day Data Centre calendar.
    assert_eq!(at("extract"), pair("2027-03-08 12:00", "2027-03-08 16:00"));
    // FS +30m (working), 90m: 16:30-17:00 and 08:00-09:00.
    assert_eq!(
        at("transform"),
        pair("2027-03-08 16:30", "2027-03-09 09:00")
    );
    // SS +10h elapsed from 16:30; one elapsed day.
    assert_eq!(at("load"), pair("2027-03-09 02:30", "2027-03-10 02:30"));
    // After Build (12:00, lunch until 13:00), 8h; FF +45m (50% of 90m) from 09:00.
    assert_eq!(
        at("reconcile"),
        pair("2027-03-08 13:00", "2027-03-09 12:00")
    );
    // A milestone's lag counts in elapsed time: 12:00 + 8h.
    assert_eq!(at("sign-off"), pair("2027-03-09 20:00", "2027-03-09 20:00"));
    // Must start on: not before 15 March 08:00.
    assert_eq!(
        at("go-live-prep"),
        pair("2027-03-15 08:00", "2027-03-15 17:00")
    );

    // The status file goes with the runbook.
    let with_status = plan_json(&runbook, &["--status", status.to_str().unwrap()]);
    let extract = with_status["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "extract")
        .unwrap();
    assert_eq!(extract["state"], "done");
    assert_eq!(local(&extract["early_finish"]), "2027-03-08 15:30");
}

// ---- Tables ----

const TABLE_CSV: &str = "tests/fixtures/interop/tables/runbook.csv";

#[test]
fn csv_problems_name_their_cell_and_leave_the_row_out() {
    let dir = tempfile::tempdir().unwrap();
    let (runbook, stderr, code) = import(
        Path::new("tests/fixtures/interop/tables/problems.csv"),
        dir.path(),
        &["--start", "2027-06-11T17:00"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_validates_clean(&runbook);
    let stderr = stderr.replace(&dir.path().display().to_string(), "[dir]");
    insta::assert_snapshot!("csv-problems", stderr);
    let text = std::fs::read_to_string(&runbook).unwrap();
    // The rows with problems, and the rows that depend on them, are not in the runbook.
    for left_out in [
        "Bad duration",
        "Depends on bad",
        "Slashed date",
        "Unknown predecessor",
    ] {
        assert!(!text.contains(left_out), "{left_out} was imported");
    }
    assert!(text.contains("Good after bad"));
}

#[test]
fn slashed_dates_need_an_order() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("dates.csv");
    std::fs::write(
        &csv,
        "Name,Duration,Fixed start\nFreeze,30m,05/03/2027 18:00\n",
    )
    .unwrap();
    let (_, stderr, code) = import(&csv, dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("dates.csv!C2: `05/03/2027 18:00` could be day/month or month/day"),
        "{stderr}"
    );
    for (order, expect) in [("dmy", "2027-03-05T18:00"), ("mdy", "2027-05-03T18:00")] {
        let (runbook, stderr, code) = import(&csv, dir.path(), &["--dates", order]);
        assert_eq!(code, 0, "{stderr}");
        let text = std::fs::read_to_string(runbook).unwrap();
        assert!(
            text.contains(&format!("not_before: {expect}")),
            "{order}: {text}"
        );
    }
}

#[test]
fn the_example_workbook_imports_clean() {
    let dir = tempfile::tempdir().unwrap();
    let (runbook, stderr, code) = import(
        Path::new("examples/programme-office-runbook.xlsx"),
        dir.path(),
        &["--go-live", "2027-06-13T07:00"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stderr.contains("warning") && !stderr.contains("error"),
        "{stderr}"
    );
    assert_validates_clean(&runbook);
    let text = std::fs::read_to_string(&runbook).unwrap();
    assert!(text.contains("go_live: 2027-06-13T07:00\n"), "{text}");
    let plan = plan_json(&runbook, &[]);
    assert_eq!(plan["tasks"].as_array().unwrap().len(), 22);
    // The workbook marks no go-live: CO-19, the one milestone named for it, is taken,
    // and the runbook says so.
    assert!(
        text.contains(
            "  # assumed: the go-live milestone, from its name; the source marks none\n  - { id: CO-19,"
        ),
        "{text}"
    );
    let co19 = text
        .lines()
        .skip_while(|l| !l.contains("id: CO-19,"))
        .take(3)
        .collect::<String>();
    assert!(co19.contains("go_live: true"), "{co19}");
    // CO-19 "Go-live: EPR open to users" waits for the floorwalkers, fixed at 05:00 for an hour.
    let live = plan["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "CO-19")
        .unwrap();
    assert_eq!(local(&live["early_start"]), "2027-06-13 06:00");
}

// ---- Export ----

/// The workbook, read back with calamine: the sheets are there, dates are dates and
/// numbers are numbers.
#[test]
fn the_xlsx_export_has_real_dates_and_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan.xlsx");
    export(
        Path::new("runbooks/northgate-acute.yaml"),
        "xlsx",
        &out,
        &["--status", "runbooks/northgate-acute.status.yaml"],
    );
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "Tasks", "Gates"]);
    let tasks = book.worksheet_range("Tasks").unwrap();
    let header: Vec<String> = tasks
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<_> = tasks.rows().skip(1).collect();
    assert_eq!(rows.len(), 175);
    for row in &rows {
        assert!(
            matches!(row[col("Planned start")], Data::DateTime(_)),
            "{row:?}"
        );
        assert!(
            matches!(row[col("Planned finish")], Data::DateTime(_)),
            "{row:?}"
        );
        assert!(
            matches!(row[col("Duration (h)")], Data::Float(_) | Data::Int(_)),
            "{row:?}"
        );
        assert!(
            matches!(row[col("Total float (h)")], Data::Float(_) | Data::Int(_)),
            "{row:?}"
        );
    }
    // The go-live milestone at 2027-06-13 04:30 local (as `cutover plan` shows it).
    let live = rows.iter().find(|r| r[0] == "epr-live").unwrap();
    let Data::DateTime(at) = &live[col("Planned finish")] else {
        unreachable!()
    };
    assert_eq!(at.to_ymd_hms_milli(), (2027, 6, 13, 4, 30, 0, 0));
    let summary = book.worksheet_range("Summary").unwrap();
    let decision = summary.rows().find(|r| r[0] == "Decision").unwrap();
    assert_eq!(decision[1].to_string(), "GO WITH CONDITIONS");
    let data_date = summary.rows().find(|r| r[0] == "Data date").unwrap();
    assert!(matches!(data_date[1], Data::DateTime(_)));
    let gates = book.worksheet_range("Gates").unwrap();
    assert!(
        gates
            .rows()
            .skip(1)
            .all(|r| matches!(r[2], Data::DateTime(_)))
    );
    assert!(gates.rows().count() > 5);
}

/// A cell longer than Excel holds (32,767 characters) is cut with a visible mark, never
/// an unwritable workbook (found by the `import` fuzzer, docs/fuzzing.md).
#[test]
fn an_overlong_note_is_cut_to_fit_an_excel_cell() {
    use calamine::{Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("long.yaml");
    let text = std::fs::read_to_string("tests/fixtures/plans/small.yaml").unwrap();
    let note = "x".repeat(40_000);
    let text = text.replacen(
        "  - { id: extract,",
        &format!("  - {{ notes: \"{note}\", id: extract,"),
        1,
    );
    assert!(text.contains(&note));
    std::fs::write(&runbook, text).unwrap();
    let out = dir.path().join("plan.xlsx");
    export(&runbook, "xlsx", &out, &[]);
    let mut book: Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let tasks = book.worksheet_range("Tasks").unwrap();
    let header: Vec<String> = tasks
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let notes = header.iter().position(|h| h == "Notes").unwrap();
    let cut = tasks
        .rows()
        .map(|r| r[notes].to_string())
        .find(|n| n.starts_with("xxx"))
        .expect("the long note is in the sheet");
    assert_eq!(cut.chars().count(), 32_767);
    assert!(
        cut.ends_with("the full text is in the runbook]"),
        "{}",
        &cut[32_600..]
    );
}

#[test]
fn exporting_an_invalid_runbook_shows_its_errors() {
    let output = cutover()
        .args([
            "export",
            "tests/fixtures/diagnostics/E021-unknown-dependency.yaml",
            "-f",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("E021"));
}

#[test]
fn csv_export_neutralises_formulas_and_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("f.yaml");
    std::fs::write(
        &runbook,
        "runbook: f\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-02-01T09:00\ntasks:\n  - { id: a, name: \"=HYPERLINK(\\\"http://x\\\")\", owner: \"@ops\", duration: 1h }\n  - { id: live, name: Live, owner: SRO, milestone: true, go_live: true, after: [a] }\n",
    )
    .unwrap();
    let csv = dir.path().join("f.csv");
    export(&runbook, "csv", &csv, &[]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains(",'@ops,"), "{text}");
    let (back, stderr, code) = import(&csv, dir.path(), &["--start", "2027-01-04T09:00"]);
    assert_eq!(code, 0, "{stderr}");
    let back = std::fs::read_to_string(back).unwrap();
    assert!(
        back.contains(r#"name: "=HYPERLINK(\"http://x\")""#),
        "{back}"
    );
    assert!(back.contains(r#"owner: "@ops""#), "{back}");
}

// ---- Hostile input: refused with a clear message, never expanded or fetched ----

fn refused(path: &str, expect: &str) {
    let output = cutover().args(["import", path]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{path}: {stderr}");
    assert!(output.stdout.is_empty(), "{path}");
    assert!(stderr.contains(expect), "{path}: {stderr}");
}

#[test]
fn billion_laughs_is_refused() {
    refused(
        "tests/fixtures/interop/hostile/billion-laughs.xml",
        "declares a DOCTYPE",
    );
}

#[test]
fn external_entities_are_never_fetched() {
    refused(
        "tests/fixtures/interop/hostile/external-entity.xml",
        "declares a DOCTYPE",
    );
    // Without a declaration, an entity is an error, not a lookup.
    refused(
        "tests/fixtures/interop/hostile/undeclared-entity.xml",
        "unrecognized entity `passwd`",
    );
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_read() {
    refused(
        "tests/fixtures/interop/hostile/zip-bomb.xlsx",
        "unzips to more than 128 MB",
    );
}

#[test]
fn a_100000_row_sheet_is_refused() {
    refused(
        "tests/fixtures/interop/hostile/rows-100000.xlsx",
        "more than 50000 rows",
    );
}

#[test]
fn an_empty_workbook_is_refused() {
    refused(
        "tests/fixtures/interop/hostile/empty.xlsx",
        "the file is empty",
    );
}

#[test]
fn formula_cells_leave_their_rows_out() {
    let dir = tempfile::tempdir().unwrap();
    let (runbook, stderr, code) = import(
        Path::new("tests/fixtures/interop/hostile/formulas.xlsx"),
        dir.path(),
        &["--start", "2027-01-04T09:00"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("Tasks!E3: a formula (`=60*3`)"), "{stderr}");
    assert!(stderr.contains("Tasks!F4: a formula"), "{stderr}");
    let text = std::fs::read_to_string(runbook).unwrap();
    assert!(
        text.contains("name: Extract")
            && !text.contains("name: Load")
            && !text.contains("name: Reconcile"),
        "{text}"
    );
}

#[test]
fn merged_cells_leave_their_rows_out() {
    let dir = tempfile::tempdir().unwrap();
    let (runbook, stderr, code) = import(
        Path::new("tests/fixtures/interop/hostile/merged-cells.xlsx"),
        dir.path(),
        &["--start", "2027-01-04T09:00"],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("Tasks!C2:C4: merged cells"), "{stderr}");
    let text = std::fs::read_to_string(runbook).unwrap();
    assert!(
        text.contains("name: Sign off") && !text.contains("name: Extract"),
        "{text}"
    );
}

#[test]
fn not_a_workbook_or_not_ms_project() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, "Name,Duration\nA,1h\n").unwrap();
    refused(fake.to_str().unwrap(), "not an Excel workbook");
    let html = dir.path().join("page.xml");
    std::fs::write(&html, "<html><body/></html>").unwrap();
    refused(html.to_str().unwrap(), "not MS Project XML");
    let unknown = dir.path().join("plan.mpp");
    std::fs::write(&unknown, "x").unwrap();
    refused(unknown.to_str().unwrap(), "give --from");
}

// ---- Where import and export write ----

#[test]
fn import_never_writes_over_its_source_or_its_own_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("plan.csv");
    std::fs::copy("tests/fixtures/interop/tables/runbook.csv", &csv).unwrap();
    let before = std::fs::read(&csv).unwrap();
    let output = cutover()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("plan.csv"), "{stderr}");
    assert_eq!(std::fs::read(&csv).unwrap(), before);

    let runbook = dir.path().join("plan.yaml");
    let output = cutover()
        .arg("import")
        .arg(&csv)
        .arg("-o")
        .arg(&runbook)
        .arg("--status-out")
        .arg(&runbook)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--status-out and --out name the same file"),
        "{stderr}"
    );
    assert!(!runbook.exists());
}

#[test]
fn export_never_writes_over_the_runbook() {
    let dir = tempfile::tempdir().unwrap();
    let runbook = dir.path().join("r.yaml");
    std::fs::write(
        &runbook,
        "runbook: r\ntimezone: Europe/London\nstart: 2027-01-04T09:00\ngo_live: 2027-02-01T09:00\ntasks:\n  - { id: a, name: A, owner: Ops, duration: 1h }\n  - { id: live, name: Live, owner: SRO, milestone: true, go_live: true, after: [a] }\n",
    )
    .unwrap();
    let before = std::fs::read(&runbook).unwrap();
    let output = cutover()
        .args(["export", "--format", "csv", "-o"])
        .arg(&runbook)
        .arg(&runbook)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read(&runbook).unwrap(), before);
}
