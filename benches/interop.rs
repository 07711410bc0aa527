//! `cutover import` and `cutover export` on generated MS Project XML and CSV files
//! (docs/performance.md): the budget is a 10,000-task MSPDI file imported in under a
//! second.
//!
//! ```text
//! cargo bench --bench interop                               # 1k and 10k tasks
//! CUTOVER_BENCH_SIZES=10000,50000 cargo bench --bench interop
//! ```
//! The MSPDI files are written the way MS Project writes them (every task with the
//! 60-odd elements MS Project saves, not only those the import reads), so the XML is
//! about 3 KB a task. Each measurement is the median of runs repeated for a second (3
//! to 50 runs), in milliseconds; the table goes to standard output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: it prints its results and stops at the first failure"
)]

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use cutover::interop::{self, DateOrder, ImportOptions};
use cutover::load::Limits;
use cutover::pipeline::prepare_text;
use cutover::render::{Format, Render};

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times = Vec::new();
    let begun = Instant::now();
    while times.len() < 3 || (begun.elapsed() < Duration::from_secs(1) && times.len() < 50) {
        let t = Instant::now();
        f();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Elements MS Project writes on every task that the import skips.
const FILLER: &str = "<Type>0</Type><IsNull>0</IsNull><CreateDate>2027-01-04T09:00:00</CreateDate><Priority>500</Priority><Work>PT0H0M0S</Work><ResumeValid>0</ResumeValid><EffortDriven>1</EffortDriven><Recurring>0</Recurring><OverAllocated>0</OverAllocated><Estimated>0</Estimated><Critical>0</Critical><IsSubproject>0</IsSubproject><IsSubprojectReadOnly>0</IsSubprojectReadOnly><ExternalTask>0</ExternalTask><StartVariance>0</StartVariance><FinishVariance>0</FinishVariance><WorkVariance>0</WorkVariance><FreeSlack>0</FreeSlack><TotalSlack>0</TotalSlack><FixedCost>0</FixedCost><FixedCostAccrual>3</FixedCostAccrual><PercentComplete>0</PercentComplete><PercentWorkComplete>0</PercentWorkComplete><Cost>0</Cost><OvertimeCost>0</OvertimeCost><OvertimeWork>PT0H0M0S</OvertimeWork><ActualDuration>PT0H0M0S</ActualDuration><ActualCost>0</ActualCost><ActualOvertimeCost>0</ActualOvertimeCost><ActualWork>PT0H0M0S</ActualWork><ActualOvertimeWork>PT0H0M0S</ActualOvertimeWork><RegularWork>PT0H0M0S</RegularWork><RemainingCost>0</RemainingCost><RemainingWork>PT0H0M0S</RemainingWork><RemainingOvertimeCost>0</RemainingOvertimeCost><RemainingOvertimeWork>PT0H0M0S</RemainingOvertimeWork><ACWP>0</ACWP><CV>0</CV><LevelAssignments>1</LevelAssignments><LevelingCanSplit>1</LevelingCanSplit><LevelingDelay>0</LevelingDelay><LevelingDelayFormat>8</LevelingDelayFormat><IgnoreResourceCalendar>0</IgnoreResourceCalendar><HideBar>0</HideBar><Rollup>0</Rollup><BCWS>0</BCWS><BCWP>0</BCWP><PhysicalPercentComplete>0</PhysicalPercentComplete><EarnedValueMethod>0</EarnedValueMethod><IsPublished>1</IsPublished><CommitmentType>0</CommitmentType>";

/// A plan of `n` tasks in workstreams of 100 (a summary and 99 tasks): chains with a
/// link of each type every few tasks, lags in days, hours and elapsed hours, links
/// across workstreams, an office calendar with holidays, resources on every task.
fn mspdi(n: usize) -> String {
    let mut x = String::with_capacity(n * 3200);
    x.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Project xmlns="http://schemas.microsoft.com/project"><SaveVersion>14</SaveVersion><Name>bench.xml</Name><ScheduleFromStart>1</ScheduleFromStart><StartDate>2027-01-04T08:00:00</StartDate><FinishDate>2027-01-04T08:00:00</FinishDate><CalendarUID>1</CalendarUID><MinutesPerDay>480</MinutesPerDay><MinutesPerWeek>2400</MinutesPerWeek><DaysPerMonth>20</DaysPerMonth><Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><BaseCalendarUID>-1</BaseCalendarUID><WeekDays><WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>"#);
    for d in 2..=6 {
        let _ = write!(
            x,
            "<WeekDay><DayType>{d}</DayType><DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime><WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes></WeekDay>"
        );
    }
    x.push_str("<WeekDay><DayType>7</DayType><DayWorking>0</DayWorking></WeekDay>");
    for year in 2027..2031 {
        for (m, d) in [(1, 1), (5, 3), (8, 30), (12, 27), (12, 28)] {
            let _ = write!(
                x,
                "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod><FromDate>{year}-{m:02}-{d:02}T00:00:00</FromDate><ToDate>{year}-{m:02}-{d:02}T23:59:00</ToDate></TimePeriod></WeekDay>"
            );
        }
    }
    x.push_str("</WeekDays></Calendar></Calendars><Tasks>");
    x.push_str("<Task><UID>0</UID><ID>0</ID><Name>bench</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>");
    let mut assignments = String::new();
    for i in 1..=n {
        let summary = i % 100 == 1;
        let level = if summary { 1 } else { 2 };
        let _ = write!(
            x,
            "<Task><UID>{i}</UID><ID>{i}</ID><Name>{} {i}</Name><Active>1</Active><Manual>0</Manual><OutlineNumber>{}</OutlineNumber><OutlineLevel>{level}</OutlineLevel><Start>2027-01-04T08:00:00</Start><Finish>2027-01-04T17:00:00</Finish><Duration>PT{}H0M0S</Duration><DurationFormat>{}</DurationFormat><Milestone>0</Milestone><Summary>{}</Summary>{FILLER}<ConstraintType>0</ConstraintType><CalendarUID>-1</CalendarUID>",
            if summary { "Workstream" } else { "Load batch" },
            i,
            if summary { 0 } else { 2 + (i * 7) % 30 },
            if i % 3 == 0 { 5 } else { 7 },
            u8::from(summary),
        );
        if !summary && i % 100 != 2 {
            // The previous task, with a type and lag that vary.
            let (kind, lag, format) = match i % 7 {
                0 => (3, 4800, 7),
                1 => (0, 0, 7),
                2 => (1, 600, 5),
                3 => (1, 36000, 6),
                _ => (1, 0, 7),
            };
            let _ = write!(
                x,
                "<PredecessorLink><PredecessorUID>{}</PredecessorUID><Type>{kind}</Type><CrossProject>0</CrossProject><LinkLag>{lag}</LinkLag><LagFormat>{format}</LagFormat></PredecessorLink>",
                i - 1
            );
            // A link from the workstream before, now and then.
            if i % 10 == 5 && i > 200 {
                let _ = write!(
                    x,
                    "<PredecessorLink><PredecessorUID>{}</PredecessorUID><Type>1</Type><CrossProject>0</CrossProject><LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink>",
                    i - 100
                );
            }
        }
        x.push_str("</Task>");
        if !summary {
            let _ = write!(
                assignments,
                "<Assignment><UID>{i}</UID><TaskUID>{i}</TaskUID><ResourceUID>{}</ResourceUID><Units>1</Units></Assignment>",
                1 + i % 20
            );
        }
    }
    x.push_str("</Tasks><Resources>");
    for r in 1..=20 {
        let _ = write!(
            x,
            "<Resource><UID>{r}</UID><ID>{r}</ID><Name>Analyst {r}</Name><Type>1</Type></Resource>"
        );
    }
    x.push_str("</Resources><Assignments>");
    x.push_str(&assignments);
    x.push_str("</Assignments></Project>\n");
    x
}

/// A CSV runbook of `n` rows in the template's columns.
fn csv(n: usize) -> String {
    let mut x = String::from(
        "Task ID,Task Name,Workstream,Owner,Planned Duration,Predecessor IDs,Fixed Start,Notes\n",
    );
    for i in 1..=n {
        let pred = match i {
            1 => String::new(),
            _ if i % 5 == 0 => format!("{}SS+15m", i - 1),
            _ => (i - 1).to_string(),
        };
        let _ = writeln!(
            x,
            "{i},Step {i},Stream {},Owner {},{}m,{pred},,",
            i % 12,
            i % 30,
            5 + i % 60
        );
    }
    x
}

fn options() -> ImportOptions {
    ImportOptions {
        format: None,
        timezone: None,
        start: None,
        go_live: None,
        sheet: None,
        dates: DateOrder::Unset,
        today: jiff::civil::date(2027, 1, 4),
        limits: Limits::default(),
    }
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let sizes: Vec<usize> = std::env::var("CUTOVER_BENCH_SIZES").ok().map_or_else(
        || vec![1_000, 10_000],
        |s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let dir = std::env::temp_dir().join(format!("cutover-bench-interop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    println!(
        "| tasks | MSPDI MB | read + draft ms | import ms | export MSPDI ms | export xlsx ms | CSV rows | CSV import ms |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &sizes {
        let xml = mspdi(n);
        let path = dir.join("bench.xml");
        std::fs::write(&path, &xml).expect("write the MSPDI file");
        let out = dir.join("bench.yaml");
        let opts = options();
        let read_ms = median_ms(|| {
            black_box(interop::mspdi::read(xml.as_bytes(), "bench.xml", &opts).expect("reads"));
        });
        // The whole of `cutover import`: read, draft, write the YAML, then load,
        // validate and plan it (twice: once to find when the plan finishes).
        let import_ms = median_ms(|| {
            let imported = interop::import(&path, &out, &opts).expect("imports");
            assert!(
                imported.invalid.is_empty(),
                "{:?}",
                imported.invalid.first()
            );
            black_box(imported);
        });
        let imported = interop::import(&path, &out, &opts).expect("imports");
        let ready = prepare_text(&out, imported.runbook, &Limits::default())
            .ready
            .expect("valid");
        let (project, graph) = (ready.project, ready.graph);
        let now = cutover::time::Moment::from_timestamp(
            jiff::Timestamp::from_second(1_800_000_000).expect("instant"),
        );
        let export_ms = |format: Format| {
            median_ms(|| {
                let e = interop::export::gather(&project, &graph, None, now).expect("exports");
                black_box(e.to_bytes(format).expect("renders"));
            })
        };
        let (mspdi_ms, xlsx_ms) = (export_ms(Format::Mspdi), export_ms(Format::Xlsx));
        let table = csv(n);
        let csv_path = dir.join("bench.csv");
        std::fs::write(&csv_path, &table).expect("write the CSV file");
        let csv_ms = median_ms(|| {
            let imported = interop::import(
                &csv_path,
                &out,
                &ImportOptions {
                    start: Some(jiff::civil::date(2027, 1, 4).at(9, 0, 0, 0)),
                    ..options()
                },
            )
            .expect("imports");
            assert!(imported.problems.is_empty() && imported.invalid.is_empty());
            black_box(imported);
        });
        println!(
            "| {n} | {:.1} | {read_ms:.1} | {import_ms:.1} | {mspdi_ms:.1} | {xlsx_ms:.1} | {n} | {csv_ms:.1} |",
            xml.len() as f64 / 1e6
        );
        let _ = Path::new(&out);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
