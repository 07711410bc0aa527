//! Inputs the fuzzers found (`tests/fixtures/fuzz/`, see docs/fuzzing.md): each must
//! load and validate without panicking, schedule if valid, and give the same
//! diagnostics every time.

use std::path::Path;

use cutover::load::{Limits, load_runbook};
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
