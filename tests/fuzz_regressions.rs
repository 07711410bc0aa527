//! Inputs the fuzzers found (`tests/fixtures/fuzz/`, see docs/fuzzing.md): each must
//! load and validate without panicking, schedule if valid, give the same diagnostics
//! every time, and load the same when padded past the size where the task list is
//! parsed in parallel.

use std::path::Path;

use cutover::load::{Limits, load_runbook, load_runbook_text};
use cutover::schedule::schedule;
use cutover::source::Sources;
use cutover::validate::validate;

/// Loads, validates and (when valid) schedules `path`; the diagnostics as text.
fn check(path: &Path) -> String {
    let mut sources = Sources::default();
    let loaded = load_runbook(path, &mut sources, &Limits::default()).expect("readable");
    let mut out = format!("{:?}", loaded.diagnostics);
    if let Some(runbook) = &loaded.runbook {
        let v = validate(runbook);
        out.push_str(&format!("{:?}", v.diagnostics));
        if let (Some(project), Some(graph)) = (&v.project, &v.graph) {
            let _ = schedule(project, graph, None);
        }
    }
    out
}

#[test]
fn every_fuzz_finding_loads_and_validates_the_same_every_time() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for path in &files {
        let first = check(path);
        // Each validation builds new hash maps with new random keys, so output that
        // depends on their order shows up here.
        for _ in 0..16 {
            assert_eq!(
                check(path),
                first,
                "{} changes between runs",
                path.display()
            );
        }
    }
}

#[test]
fn a_tied_suggestion_is_the_first_in_order() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz/suggestion-tie.yaml");
    for _ in 0..16 {
        let text = check(&path);
        assert!(text.contains("did you mean `t50`?"), "{text}");
    }
}

/// The model and diagnostics for `text`, as text.
fn load_text(text: String) -> String {
    let mut sources = Sources::default();
    let loaded = load_runbook_text(
        Path::new("fixture.yaml"),
        text,
        &mut sources,
        &Limits::default(),
    );
    let mut out = format!("{:?}{:?}", loaded.runbook, loaded.diagnostics);
    if let Some(runbook) = &loaded.runbook {
        out.push_str(&format!("{:?}", validate(runbook).diagnostics));
    }
    out
}

#[test]
fn every_fuzz_finding_loads_the_same_when_parsed_in_parallel() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        if !text.ends_with('\n') {
            continue;
        }
        // A trailing comment takes the file past 1 MiB, where `tasks:` is parsed in
        // chunks on several threads (src/load/split.rs).
        let padded = format!("{text}#{}\n", "x".repeat((1 << 20) + 16));
        assert_eq!(
            load_text(text),
            load_text(padded),
            "{} loads differently in parallel",
            path.display()
        );
    }
}
