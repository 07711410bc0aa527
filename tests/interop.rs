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

use assert_cmd::Command;
use serde_json::Value;

const MSPDI_DIR: &str = "tests/fixtures/interop/mspdi";
const DOC: &str = "docs/interop.md";

fn cutover() -> Command {
    let mut cmd = Command::cargo_bin("cutover").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CUTOVER_MAX_FILE_SIZE");
    cmd
}

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
    assert!(compared >= 70, "compared only {compared} tasks");
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
