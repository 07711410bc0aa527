//! Differential: a runbook of 1 MiB or more has its `tasks:` list parsed in parallel
//! chunks (src/load/split.rs). The same runbook padded past that size with a trailing
//! comment must load to exactly the same model, positions included, as it does whole.
#![no_main]

use std::path::Path;

use cutover::load::{Limits, load_runbook_text};
use cutover::source::Sources;
use cutover::validate::validate;
use libfuzzer_sys::fuzz_target;

/// Comfortably above the parallel-parse threshold (1 MiB).
const PAD: usize = (1 << 20) + 16;

fn load(text: String) -> (String, String) {
    let mut sources = Sources::default();
    let loaded = load_runbook_text(
        Path::new("/nonexistent-cutover-fuzz/runbook.yaml"),
        text,
        &mut sources,
        &Limits::default(),
    );
    let diagnostics = match &loaded.runbook {
        Some(r) => format!("{:?}", validate(r).diagnostics),
        None => String::new(),
    };
    (format!("{:?}", loaded.runbook), diagnostics)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Only plain layouts are split; a trailing comment line must not change meaning.
    if !text.ends_with('\n') || !text.contains("tasks:") || text.len() >= PAD {
        return;
    }
    let mut sources = Sources::default();
    let whole = load_runbook_text(
        Path::new("/nonexistent-cutover-fuzz/runbook.yaml"),
        text.to_owned(),
        &mut sources,
        &Limits::default(),
    );
    if !whole.diagnostics.is_empty() || whole.runbook.is_none() {
        return;
    }
    let mut padded = String::with_capacity(PAD + text.len());
    padded.push_str(text);
    padded.push('#');
    padded.extend(std::iter::repeat_n('x', PAD));
    padded.push('\n');
    let (a, da) = load(text.to_owned());
    let (b, db) = load(padded);
    assert_eq!(a, b, "the parallel parse gives a different model");
    assert_eq!(da, db, "the parallel parse gives different diagnostics");
});
