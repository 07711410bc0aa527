//! Arbitrary bytes as a file to import: MS Project XML, CSV or an Excel workbook (the
//! first byte picks, the rest is the file). The import must end in a draft or a clean
//! refusal, never a panic, a hang or runaway memory; a draft's YAML must load with no
//! YAML, type, field, id or reference error (those would be the writer's bugs, not the
//! file's); and a plan that validates must export to MS Project XML, Excel and CSV, and
//! its MS Project XML must import again.
#![no_main]

use std::path::Path;

use cutover::diagnostic::Code;
use cutover::interop::{self, DateOrder, ImportOptions, mspdi, table};
use cutover::load::Limits;
use cutover::pipeline::prepare_text;
use cutover::render::{Format, Render};
use libfuzzer_sys::fuzz_target;

fn options() -> ImportOptions {
    ImportOptions {
        format: None,
        timezone: None,
        start: None,
        go_live: None,
        sheet: None,
        dates: DateOrder::DayFirst,
        today: jiff::civil::date(2027, 1, 4),
        limits: Limits {
            max_file_bytes: 1 << 20,
            ..Limits::default()
        },
    }
}

/// Codes only a broken writer could cause: the YAML does not parse, a field is of the
/// wrong type or unknown, an id is invalid or repeated, a reference dangles.
const WRITER_BUGS: &[Code] = &[
    Code::YamlSyntax,
    Code::WrongType,
    Code::UnknownField,
    Code::DuplicateKey,
    Code::MissingField,
    Code::NotUtf8,
    Code::InvalidId,
    Code::DuplicateId,
    Code::UnknownDependency,
    Code::UnknownCalendar,
    Code::UnknownWorkstream,
    Code::MilestoneWithDuration,
    Code::MissingDuration,
    Code::DeadlineBeforeNotBefore,
    // The import marks exactly one go-live milestone, adding one if it must.
    Code::MultipleGoLive,
    Code::GoLiveNotMilestone,
    Code::MissingGoLive,
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, file)) = data.split_first() else { return };
    let opts = options();
    let read = match which % 3 {
        0 => mspdi::read(file, "fuzz.xml", &opts),
        1 => table::read_csv(file, "fuzz.csv", &opts),
        _ => table::read_xlsx(file, "fuzz.xlsx", &opts),
    };
    let Ok((draft, problems)) = read else { return };
    let out = Path::new("/nonexistent-cutover-fuzz/runbook.yaml");
    let Ok(imported) = interop::finish(draft, problems, out, &opts) else { return };
    for d in &imported.invalid {
        assert!(
            !WRITER_BUGS.contains(&d.code),
            "the runbook written has {:?}: {}\n{}",
            d.code,
            d.message,
            imported.runbook
        );
    }
    if let Some(status) = &imported.status {
        assert!(serde_saphyr::from_str::<cutover::model::status::StatusFile>(status).is_ok(), "{status}");
    }
    if !imported.invalid.is_empty() {
        return;
    }
    // A valid runbook exports, and its MS Project XML imports again.
    // What `cutover import` writes is the text that was checked.
    assert_eq!(imported.draft.to_bytes(Format::Yaml).expect("YAML renders"), imported.runbook.as_bytes());
    let ready = prepare_text(out, imported.runbook.clone(), &opts.limits).ready.expect("it validated");
    let (project, graph) = (ready.project, ready.graph);
    let now = cutover::time::Moment(29_000_000);
    let Ok(export) = interop::export::gather(&project, &graph, None, now) else { return };
    let xml = export.to_bytes(Format::Mspdi).expect("MS Project XML renders");
    export.to_bytes(Format::Xlsx).expect("the workbook renders");
    export.to_bytes(Format::Csv).expect("CSV renders");
    if let Err(e) = mspdi::read(&xml, "again.xml", &opts) {
        panic!("the exported MS Project XML does not import: {e}\n{}", String::from_utf8_lossy(&xml));
    }
});
