//! Arbitrary bytes as a runbook: load, validate and, when valid, schedule and plan.
//!
//! Anything but a panic (or a hang, or runaway memory) is fine: every problem must come
//! back as a diagnostic.
#![no_main]

use std::path::Path;

use cutover::load::{Limits, load_runbook_text};
use cutover::plan::{Filter, plan};
use cutover::render::diagnostics::Validation;
use cutover::render::{Format, Render};
use cutover::source::Sources;
use cutover::validate::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is refused before parsing (covered by tests); keep the rest of
    // the input useful by replacing bad bytes.
    let text = String::from_utf8_lossy(data).into_owned();
    // A directory that does not exist, so includes fail as unreadable files.
    let path = Path::new("/nonexistent-cutover-fuzz/runbook.yaml");
    let limits = Limits {
        max_file_bytes: 1 << 20,
        ..Limits::default()
    };
    let mut sources = Sources::default();
    let loaded = load_runbook_text(path, text, &mut sources, &limits);
    let mut diagnostics = loaded.diagnostics;
    if let Some(runbook) = &loaded.runbook {
        let v = validate(runbook);
        diagnostics.extend(v.diagnostics);
        if let (Some(project), Some(graph)) = (&v.project, &v.graph)
            && let Ok(plan) = plan(project, graph, None, &Filter::default())
        {
            let _ = plan.to_bytes(Format::Json);
            let _ = plan.to_bytes(Format::Csv);
        }
    }
    // Rendering every diagnostic against its source must not panic either.
    let checks = [cutover::render::diagnostics::FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    }];
    let validation = Validation {
        sources: &sources,
        checks: &checks,
    };
    let _ = validation.to_bytes(Format::Human {
        color: false,
        summary: true,
    });
    let _ = validation.to_bytes(Format::Json);
});
