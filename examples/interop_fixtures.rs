//! Writes the workbooks `cutover import` is tested on, and the example workbook:
//!
//! - `examples/programme-office-runbook.xlsx`: a programme office's weekend runbook as
//!   the commercial runbook tools' upload templates lay it out; imports clean;
//! - `tests/fixtures/interop/hostile/*.xlsx`: formula cells, merged cells, an empty
//!   workbook, a 100,000-row sheet and a zip bomb (a valid workbook whose sheet inflates
//!   to 200 MB of spaces), the last two zipped by hand.
//!
//! `cargo run --example interop_fixtures` (from the repository root). The output is
//! committed; run it again only to change a fixture.

use std::io::Write as _;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

const HOSTILE: &str = "tests/fixtures/interop/hostile";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(HOSTILE)?;
    example("examples/programme-office-runbook.xlsx")?;
    formulas(&format!("{HOSTILE}/formulas.xlsx"))?;
    merged(&format!("{HOSTILE}/merged-cells.xlsx"))?;
    empty(&format!("{HOSTILE}/empty.xlsx"))?;
    // 100,000 identical rows (a name and a duration each) after the header.
    raw_workbook(&format!("{HOSTILE}/rows-100000.xlsx"), &mut |zip| {
        zip.write_all(br#"<row><c t="inlineStr"><is><t>Task Name</t></is></c><c t="inlineStr"><is><t>Planned Duration</t></is></c></row>"#)?;
        for _ in 0..100_000 {
            zip.write_all(
                br#"<row><c t="inlineStr"><is><t>Task</t></is></c><c><v>30</v></c></row>"#,
            )?;
        }
        Ok(())
    })?;
    // A header cell, then 200 MB of spaces.
    raw_workbook(&format!("{HOSTILE}/zip-bomb.xlsx"), &mut |zip| {
        zip.write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>Task Name</t></is></c>"#)?;
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..200 {
            zip.write_all(&chunk)?;
        }
        zip.write_all(b"</row>")
    })?;
    Ok(())
}

/// The header the examples use, as the runbook tools' templates word it.
const HEADER: [&str; 8] = [
    "Task ID",
    "Task Name",
    "Work Stream",
    "Owner / Team",
    "Planned Duration",
    "Predecessor IDs",
    "Fixed Start",
    "Notes",
];

/// A workbook with a fixed creation time, so the same code writes the same bytes.
fn workbook() -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2027, 1, 4)?.and_hms(9, 0, 0)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(book)
}

fn header(sheet: &mut rust_xlsxwriter::Worksheet, row: u32) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *h, &bold)?;
    }
    Ok(())
}

/// Task ID | Task Name | Work Stream | Owner / Team | Planned Duration | Predecessor IDs
/// | Fixed Start | Notes, for the example workbook.
const EXAMPLE_ROWS: &str = "\
CO-01|Cutover go decision confirmed by SRO|Command|SRO|0||2027-06-11 17:00|T-48h gate passed; see board minutes
CO-02|Freeze legacy PAS to read-only|Technical|Sam Okafor|30m|CO-01|2027-06-11 19:00|
CO-03|Stop inbound interfaces (HL7 feeds)|Technical|Integration Team|45m|CO-02||Queue messages on the engine
CO-04|Final extract from legacy PAS|Data Migration|Priya Shah|4h|CO-02||Rehearsal 3 took 3h40m
CO-05|Checksum and transfer extract files|Data Migration|Priya Shah|1h|CO-04||
CO-06|Load patients and demographics|Data Migration|Priya Shah|2h 30m|CO-05FS+15m||
CO-07|Load future appointments|Data Migration|Data Migration Team|3.5h|CO-06SS+1h||180k appointments
CO-08|Load waiting lists|Data Migration|RTT Lead|2h|CO-06||
CO-09|Reconcile counts against the extract|Data Migration|Priya Shah|1.5h|CO-07, CO-08||
CO-10|Clinical validation of migrated records|Clinical Safety|Clinical Safety Officer|3h|Reconcile counts against the extract||Sample of 400 records
CO-11|Point of no return: decommission PAS writes|Command|SRO|0|CO-09, CO-10||
CO-12|Enable EPR interfaces|Technical|Integration Team|1h|CO-11||
CO-13|Replay queued messages|Technical|Integration Team|90|CO-03, CO-12||Duration in minutes
CO-14|Smoke test: registration to discharge|Technical|Test Lead|2h|CO-12||
CO-15|Smoke test: orders and results|Technical|Test Lead|1h 30m|CO-14SS||
CO-16|Device integration checks on wards|Technical|Medical Devices Lead|2h|CO-12||
CO-17|Ward readiness walkround|Business Readiness|Head of Nursing|3h|CO-14FF+30m||
CO-18|Floorwalkers briefed and in place|Business Readiness|Training Manager|1h||2027-06-13 05:00|
CO-19|Go-live: EPR open to users|Command|SRO|0|CO-13, CO-15, CO-16, CO-17, CO-18||Go-live
CO-20|Hypercare command centre open|Command|Hypercare Lead|2 days|CO-19||
CO-21|Daily hypercare huddle 1|Command|Hypercare Lead|30m|CO-19SS+2h||
CO-22|Post go-live data quality report|Data Migration|Data Quality Manager|4h|CO-19FS+1 day||";

/// A fictional acute trust's cutover weekend, as a programme office keeps it.
fn example(path: &str) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("Cutover runbook")?;
    let title = Format::new().set_bold().set_font_size(14);
    sheet.write_string_with_format(
        0,
        0,
        "Northgate Hospitals EPR cutover weekend (fictional)",
        &title,
    )?;
    sheet.write_string(
        1,
        0,
        "Programme office master runbook, v0.9. All times UK local.",
    )?;
    header(sheet, 3)?;
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (i, line) in EXAMPLE_ROWS.lines().enumerate() {
        let r = (i + 4) as u32;
        let cells: Vec<&str> = line.split('|').collect();
        for (c, text) in cells.iter().enumerate() {
            let c = c as u16;
            match c {
                // Bare numbers are minutes; Excel keeps them as numbers.
                4 if text.parse::<f64>().is_ok() => {
                    sheet.write_number(r, c, text.parse::<f64>().unwrap_or(0.0))?;
                }
                // A fixed start is a real Excel date and time.
                6 if !text.is_empty() => {
                    let n = |a: usize, b: usize| text[a..b].parse::<u16>().unwrap_or(0);
                    let at = ExcelDateTime::from_ymd(n(0, 4), n(5, 7) as u8, n(8, 10) as u8)?
                        .and_hms(n(11, 13), n(14, 16) as u8, 0)?;
                    sheet.write_datetime_with_format(r, c, at, &date)?;
                }
                _ => {
                    sheet.write_string(r, c, *text)?;
                }
            }
        }
    }
    sheet.set_column_width(1, 44)?;
    sheet.set_column_width(6, 17)?;
    sheet.set_column_width(7, 36)?;
    book.save(path)
}

fn formulas(path: &str) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("Tasks")?;
    header(sheet, 0)?;
    for (r, (id, name, dur)) in [
        ("T1", "Extract", "2h"),
        ("T2", "Load", ""),
        ("T3", "Reconcile", "1h"),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *id)?;
        sheet.write_string(r, 1, *name)?;
        sheet.write_string(r, 3, "Priya Shah")?;
        if !dur.is_empty() {
            sheet.write_string(r, 4, *dur)?;
        }
    }
    // A duration computed by a formula, and a predecessor built by one.
    sheet.write_formula(2, 4, "=60*3")?;
    sheet.write_formula(3, 5, "=A3&\"FS+10m\"")?;
    book.save(path)
}

fn merged(path: &str) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    let sheet = book.add_worksheet();
    sheet.set_name("Tasks")?;
    header(sheet, 0)?;
    let rows = [
        ("T1", "Extract", "1h"),
        ("T2", "Load", "2h"),
        ("T3", "Reconcile", "1h"),
        ("T4", "Sign off", "30m"),
    ];
    for (r, (id, name, dur)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, *id)?;
        sheet.write_string(r, 1, *name)?;
        sheet.write_string(r, 3, "Priya Shah")?;
        sheet.write_string(r, 4, *dur)?;
    }
    // One workstream written once across three rows.
    sheet.merge_range(1, 2, 3, 2, "Data Migration", &Format::new())?;
    sheet.write_string(4, 2, "Command")?;
    book.save(path)
}

fn empty(path: &str) -> Result<(), XlsxError> {
    let mut book = workbook()?;
    book.add_worksheet();
    book.save(path)
}

type Zip = zip::ZipWriter<std::fs::File>;

/// A workbook of one sheet, `Tasks`, whose rows `rows` writes, zipped at the highest
/// deflate ratio (written by hand so it can be far larger unzipped than on disk).
fn raw_workbook(
    path: &str,
    rows: &mut dyn FnMut(&mut Zip) -> std::io::Result<()>,
) -> Result<(), Box<dyn std::error::Error>> {
    let file = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    let parts: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Tasks" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, text) in parts {
        zip.start_file(name, options)?;
        zip.write_all(text.as_bytes())?;
    }
    zip.start_file("xl/worksheets/sheet1.xml", options)?;
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)?;
    rows(&mut zip)?;
    zip.write_all(b"</sheetData></worksheet>")?;
    zip.finish()?;
    Ok(())
}
