//! `changes` and `effects` in process, on small runbooks whose answers are worked by
//! hand in each test.

use std::path::{Path, PathBuf};

use super::changes::{TaskRef, changes};
use super::effects::effects;
use super::{Version, finish, load_version};
use crate::load::{Files, Limits};

/// Files from memory: `old.yaml` and `new.yaml`.
struct Texts<'a>(&'a [(&'a str, &'a str)]);

impl Files for Texts<'_> {
    fn read(&self, path: &Path, _limit: u64) -> std::io::Result<Result<Vec<u8>, Option<u64>>> {
        self.0
            .iter()
            .find(|(p, _)| Path::new(p) == path)
            .map(|(_, t)| Ok(t.as_bytes().to_vec()))
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// Round-the-clock tasks from 2027-03-01 09:00: `build` (4h) then `load` (6h) then
/// `live`; `comms` (2h) beside them. Ready at 19:00, go-live 2027-03-02 09:00.
const BASE: &str = "\
runbook: Unit diff
timezone: Europe/London
start: 2027-03-01T09:00
go_live: 2027-03-02T09:00
default_calendar: 24x7
tasks:
  - { id: build, name: Build, duration: 4h }
  - { id: load, name: Load, duration: 6h, after: [build] }
  - { id: comms, name: Brief the wards, duration: 2h }
  - { id: live, name: Live, milestone: true, go_live: true, after: [load, comms] }
";

fn version(label: &str, text: &str) -> Version {
    let files = [(label, text)];
    load_version(
        &Texts(&files),
        Path::new(label),
        label.to_owned(),
        &Limits::default(),
        None,
    )
    .map_err(|e| e.to_string())
    .and_then(|v| {
        finish(v, Path::new(label), None).map_err(|bad| format!("{:?}", bad.checks[0].diagnostics))
    })
    .unwrap_or_else(|e| panic!("{label} is not a valid runbook: {e}"))
}

fn pair(new: &str) -> (Version, Version) {
    (version("old.yaml", BASE), version("new.yaml", new))
}

#[test]
fn the_same_runbook_has_no_changes_and_moves_nothing() {
    let (old, new) = pair(BASE);
    let c = changes(&old, &new);
    assert!(c.is_empty(), "{c:?}");
    let e = effects(&old, &new, &c, None, None).unwrap().unwrap();
    assert_eq!(e.ready_moved, 0);
    assert!(!e.moved());
}

#[test]
fn a_longer_driving_task_moves_readiness_by_exactly_its_change() {
    // `load` is on the driving path: 6h -> 9h moves ready from 19:00 to 22:00.
    let (old, new) = pair(&BASE.replace("duration: 6h", "duration: 9h"));
    let c = changes(&old, &new);
    assert_eq!(c.tasks.changed.len(), 1);
    let t = &c.tasks.changed[0];
    assert_eq!(t.id, "load");
    assert_eq!(t.fields.len(), 1);
    assert_eq!(t.fields[0].old.as_deref(), Some("6h"));
    assert_eq!(t.fields[0].new.as_deref(), Some("9h"));
    let e = effects(&old, &new, &c, None, None).unwrap().unwrap();
    assert_eq!(e.ready_moved, 180);
    assert!(e.later());
    assert_eq!(e.float_to_go_live.old - e.float_to_go_live.new, 180);
}

#[test]
fn a_longer_task_with_float_to_spare_moves_nothing() {
    // `comms` has 8h of float before `live` (ready at 19:00); 2h -> 5h uses 3h of it.
    let (old, new) = pair(&BASE.replace("duration: 2h", "duration: 5h"));
    let c = changes(&old, &new);
    assert_eq!(c.tasks.changed[0].id, "comms");
    let e = effects(&old, &new, &c, None, None).unwrap().unwrap();
    assert_eq!(e.ready_moved, 0);
    assert!(!e.later());
    assert!(e.driving_joined.is_empty() && e.driving_left.is_empty());
}

#[test]
fn a_task_that_overtakes_the_chain_joins_the_driving_path() {
    // `comms` 2h -> 12h: ready at 21:00 (2h later), driven by `comms`, not `build`/`load`.
    let (old, new) = pair(&BASE.replace("duration: 2h", "duration: 12h"));
    let c = changes(&old, &new);
    let e = effects(&old, &new, &c, None, None).unwrap().unwrap();
    assert_eq!(e.ready_moved, 120);
    let ids = |v: &[TaskRef]| v.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&e.driving_joined), ["comms"]);
    assert_eq!(ids(&e.driving_left), ["build", "load"]);
}

#[test]
fn a_new_id_with_the_same_name_and_links_is_a_rename() {
    let text = BASE
        .replace("id: load,", "id: load-data,")
        .replace("after: [load, comms]", "after: [load-data, comms]");
    let (old, new) = pair(&text);
    let c = changes(&old, &new);
    assert_eq!(c.tasks.renamed.len(), 1, "{c:?}");
    assert_eq!(c.tasks.renamed[0].old, "load");
    assert_eq!(c.tasks.renamed[0].new, "load-data");
    assert!(c.tasks.added.is_empty() && c.tasks.removed.is_empty());
    // Its links follow it: no link added or removed.
    assert!(
        c.links.added.is_empty() && c.links.removed.is_empty(),
        "{:?}",
        c.links
    );
    let e = effects(&old, &new, &c, None, None).unwrap().unwrap();
    assert!(e.driving_joined.is_empty() && e.driving_left.is_empty());
}

#[test]
fn a_new_id_and_a_new_name_is_removed_plus_added() {
    let text = BASE
        .replace(
            "id: load, name: Load,",
            "id: migrate, name: Migrate the data,",
        )
        .replace("after: [load, comms]", "after: [migrate, comms]");
    let (old, new) = pair(&text);
    let c = changes(&old, &new);
    assert!(c.tasks.renamed.is_empty());
    assert_eq!(c.tasks.added[0].id, "migrate");
    assert_eq!(c.tasks.removed[0].id, "load");
}

#[test]
fn a_link_added_is_listed_with_its_type_and_lag() {
    let text = BASE.replace(
        "{ id: comms, name: Brief the wards, duration: 2h }",
        "{ id: comms, name: Brief the wards, duration: 2h, after: [{ task: build, type: SS, lag: 1h }] }",
    );
    let (old, new) = pair(&text);
    let c = changes(&old, &new);
    assert_eq!(c.links.added.len(), 1, "{:?}", c.links);
    let l = &c.links.added[0];
    assert_eq!(
        (l.from.as_str(), l.to.as_str(), l.link.as_str()),
        ("build", "comms", "SS")
    );
    assert_eq!(l.lag, "1h");
    assert_eq!(
        c.tasks.changed.len(),
        0,
        "a link is not a field change: {c:?}"
    );
}
