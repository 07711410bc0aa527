//! Random valid networks, written as runbook YAML: tasks with durations in every unit,
//! FS/SS/FF/SF links with working or elapsed lags and leads, custom calendars (split
//! hours, per-day hours, holidays, day lengths), time zones with odd clock changes,
//! constraints, deadlines and actuals. Each is validated and scheduled, and the
//! schedule is checked against rules that must hold whatever the input.
#![no_main]

use std::fmt::Write as _;
use std::path::Path;

use arbitrary::{Arbitrary, Unstructured};
use cutover::calendar::Calendar;
use cutover::load::{Limits, load_runbook_text};
use cutover::plan::{Filter, plan};
use cutover::project::{Dependency, LinkType, Project, TaskId};
use cutover::schedule::{Actual, Inputs, Progress, State, schedule_with};
use cutover::source::Sources;
use cutover::time::Moment;
use cutover::validate::validate;
use libfuzzer_sys::fuzz_target;

const ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe", // 30-minute clock changes
    "Asia/Kathmandu",      // +05:45
    "Pacific/Chatham",     // +12:45 / +13:45
    "America/St_Johns",    // -03:30, changes at 02:00
    "Pacific/Apia",        // skipped a whole day in 2011
];
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const UNITS: [(&str, i64); 4] = [("m", 1), ("h", 60), ("d", 1), ("w", 1)];

#[derive(Debug, Arbitrary)]
struct Net {
    zone: u8,
    /// Days after 2020-01-01 (about 20 years).
    start_day: u16,
    start_minute: u16,
    /// Hours from start to go-live.
    go_live_hours: u16,
    calendars: Vec<Cal>,
    default_calendar: Option<u8>,
    critical_float_minutes: u8,
    tasks: Vec<T>,
    progress: Option<Prog>,
}

#[derive(Debug, Arbitrary)]
struct Cal {
    /// Per day: up to three (start, length) ranges in minutes; None -> same as Monday.
    per_day: bool,
    ranges: [[(u16, u16); 3]; 7],
    nranges: [u8; 7],
    days: u8,
    england_and_wales: bool,
    holidays: Vec<u16>,
    day_length_minutes: Option<u16>,
}

#[derive(Debug, Arbitrary)]
struct T {
    milestone: bool,
    amount: u16,
    unit: u8,
    calendar: u8,
    deps: Vec<D>,
    not_before_hours: Option<u16>,
    deadline_hours: Option<u16>,
    go_live: bool,
}

#[derive(Debug, Arbitrary)]
struct D {
    pred: u16,
    link: u8,
    lag: i16,
    unit: u8,
    elapsed: bool,
}

#[derive(Debug, Arbitrary)]
struct Prog {
    as_of_hours: u16,
    /// (task, started hours, finished hours after start, remaining minutes)
    actuals: Vec<(u16, u16, Option<u16>, Option<u16>)>,
}

/// Local date-time text `minutes` after 2020-01-01T00:00 (as civil time).
fn civil(minutes: i64) -> String {
    let dt = jiff::civil::date(2020, 1, 1)
        .at(0, 0, 0, 0)
        .checked_add(jiff::Span::new().minutes(minutes))
        .expect("in range");
    dt.strftime("%Y-%m-%dT%H:%M").to_string()
}

fn hours_text(ranges: &[(u16, u16); 3], n: u8) -> Option<String> {
    let mut out = Vec::new();
    let mut at = 0u32;
    for &(gap, len) in ranges.iter().take(usize::from(n % 4)) {
        let start = at + u32::from(gap % 600);
        let end = start + 1 + u32::from(len % 720);
        if end > 1440 {
            break;
        }
        out.push(format!(
            "{:02}:{:02}-{:02}:{:02}",
            start / 60,
            start % 60,
            end / 60,
            end % 60
        ));
        at = end;
    }
    (!out.is_empty()).then(|| out.join(", "))
}

fn yaml(net: &Net) -> (String, usize) {
    let mut y = String::new();
    let zone = ZONES[usize::from(net.zone) % ZONES.len()];
    let start = i64::from(net.start_day % 7300) * 1440 + i64::from(net.start_minute % 1440);
    let go_live = start + 60 + i64::from(net.go_live_hours) * 60;
    let _ = writeln!(y, "runbook: fuzz\ntimezone: {zone}");
    let _ = writeln!(y, "start: {}\ngo_live: {}", civil(start), civil(go_live));
    let _ = writeln!(
        y,
        "thresholds: {{ critical_float: {}m }}",
        net.critical_float_minutes
    );
    let ncal = net.calendars.len().min(4);
    if ncal > 0 {
        y.push_str("calendars:\n");
    }
    for (c, cal) in net.calendars.iter().take(ncal).enumerate() {
        let _ = writeln!(y, "  c{c}:");
        if cal.per_day {
            let mut any = false;
            let mut lines = String::new();
            for (d, day) in DAYS.iter().enumerate() {
                if let Some(h) = hours_text(&cal.ranges[d], cal.nranges[d]) {
                    let _ = writeln!(lines, "      {day}: \"{h}\"");
                    any = true;
                }
            }
            if any {
                let _ = write!(y, "    hours:\n{lines}");
            } else {
                y.push_str("    hours: \"09:00-17:00\"\n");
            }
        } else {
            let h = hours_text(&cal.ranges[0], cal.nranges[0].max(1))
                .unwrap_or_else(|| "09:00-17:00".to_owned());
            let _ = writeln!(y, "    hours: \"{h}\"");
            let days: Vec<&str> = (0..7)
                .filter(|d| cal.days & (1 << d) != 0)
                .map(|d| DAYS[d])
                .collect();
            if !days.is_empty() {
                let _ = writeln!(y, "    days: [{}]", days.join(", "));
            }
        }
        let mut holidays: Vec<String> = cal
            .holidays
            .iter()
            .take(20)
            .map(|&d| civil(i64::from(d % 7300) * 1440)[..10].to_owned())
            .collect();
        if cal.england_and_wales {
            holidays.push("england-and-wales".to_owned());
        }
        if !holidays.is_empty() {
            let _ = writeln!(y, "    holidays: [{}]", holidays.join(", "));
        }
        if let Some(m) = cal.day_length_minutes {
            let _ = writeln!(y, "    day_length: {}m", 1 + m % 1440);
        }
    }
    if let Some(d) = net.default_calendar
        && ncal > 0
    {
        let _ = writeln!(y, "default_calendar: c{}", usize::from(d) % ncal);
    }
    y.push_str("tasks:\n");
    let n = net.tasks.len().clamp(1, 80);
    let mut go_live_done = false;
    for i in 0..n {
        let t = net.tasks.get(i).unwrap_or(&net.tasks[0]);
        let _ = write!(y, "  - {{ id: t{i}, name: T, owner: o");
        if t.milestone {
            y.push_str(", milestone: true");
            if t.go_live && !go_live_done {
                y.push_str(", go_live: true");
                go_live_done = true;
            }
        } else {
            let (unit, _) = UNITS[usize::from(t.unit) % 4];
            let amount = match unit {
                "m" => t.amount % 20000,
                "h" => t.amount % 400,
                "d" => t.amount % 60,
                _ => t.amount % 12,
            };
            let _ = write!(y, ", duration: {amount}{unit}");
        }
        // 0: the default calendar; 1: 24x7; 2..: a custom one.
        match usize::from(t.calendar) % (ncal + 2) {
            0 => {}
            1 => y.push_str(", calendar: 24x7"),
            c => {
                let _ = write!(y, ", calendar: c{}", c - 2);
            }
        }
        if let Some(h) = t.not_before_hours {
            let _ = write!(
                y,
                ", not_before: {}",
                civil(start + i64::from(h % 8000) * 60)
            );
        }
        if let Some(h) = t.deadline_hours {
            let _ = write!(y, ", deadline: {}", civil(start + i64::from(h) * 60));
        }
        let mut seen = Vec::new();
        let mut after = Vec::new();
        if i > 0 {
            for d in t.deps.iter().take(5) {
                let pred = usize::from(d.pred) % i;
                let link = ["FS", "SS", "FF", "SF"][usize::from(d.link) % 4];
                if seen.contains(&(pred, link)) {
                    continue;
                }
                seen.push((pred, link));
                let (unit, _) = UNITS[usize::from(d.unit) % 4];
                let lag = match unit {
                    "m" => i64::from(d.lag) % 5000,
                    "h" => i64::from(d.lag) % 200,
                    "d" => i64::from(d.lag) % 20,
                    _ => i64::from(d.lag) % 4,
                };
                let elapsed = if d.elapsed { " elapsed" } else { "" };
                after.push(format!(
                    "{{ task: t{pred}, type: {link}, lag: {lag}{unit}{elapsed} }}"
                ));
            }
        }
        if !after.is_empty() {
            let _ = write!(y, ", after: [{}]", after.join(", "));
        }
        y.push_str(" }\n");
    }
    (y, n)
}

/// `W(successor point) >= W(predecessor point) + lag` on the successor's calendar
/// (`None` when a point is outside the calendar's years).
fn link_holds(
    p: &Project,
    succ: TaskId,
    dep: &Dependency,
    pred: (Moment, Moment),
    this: (Moment, Moment),
) -> Option<bool> {
    let task = &p.tasks[succ];
    let cal: &Calendar = &p.calendars[task.calendar];
    let pred_point = match dep.link {
        LinkType::FS | LinkType::FF => pred.1,
        LinkType::SS | LinkType::SF => pred.0,
    };
    let succ_point = match dep.link {
        LinkType::FS | LinkType::SS => this.0,
        LinkType::FF | LinkType::SF => this.1,
    };
    Some(if dep.lag.elapsed {
        cal.work_at(succ_point).ok()? >= cal.work_at(pred_point.plus(dep.lag.minutes)?).ok()?
    } else {
        cal.work_at(succ_point).ok()? >= cal.work_at(pred_point).ok()? + dep.lag.minutes
    })
}

fn progress(net: &Net, p: &Project) -> Option<Progress> {
    let prog = net.progress.as_ref()?;
    let n = p.tasks.len();
    let as_of = p.start.plus(i64::from(prog.as_of_hours) * 60)?;
    let mut actuals = vec![Actual::default(); n];
    for &(t, started, finished, remaining) in prog.actuals.iter().take(n) {
        let started = p.start.plus(i64::from(started) * 60)?.min(as_of);
        let finished = finished
            .and_then(|f| started.plus(i64::from(f) * 60))
            .map(|f| f.min(as_of));
        actuals[usize::from(t) % n] = Actual {
            started: Some(started),
            finished,
            remaining: remaining.map(i64::from),
            blocked: false,
        };
    }
    Some(Progress {
        as_of: Some(as_of),
        actuals,
    })
}

fn check(net: &Net) {
    let (text, _) = yaml(net);
    // `CUTOVER_FUZZ_PRINT=1 fuzz/target/.../schedule ARTIFACT` shows the runbook.
    if std::env::var_os("CUTOVER_FUZZ_PRINT").is_some() {
        eprintln!("{text}");
    }
    let mut sources = Sources::default();
    let loaded = load_runbook_text(
        Path::new("fuzz.yaml"),
        text.clone(),
        &mut sources,
        &Limits::default(),
    );
    // The generator writes well-formed YAML in the runbook's shape.
    assert!(
        loaded.diagnostics.is_empty(),
        "{:?}\n{text}",
        loaded.diagnostics
    );
    let runbook = loaded.runbook.expect("loaded");
    let v = validate(&runbook);
    let (Some(p), Some(g)) = (&v.project, &v.graph) else {
        // Only calendar and constraint combinations may be refused, never the shape.
        return;
    };
    let durations: Vec<i64> = p.tasks.iter().map(|t| t.duration).collect();
    let prog = progress(net, p);
    let inputs = Inputs::of(p, &durations, prog.as_ref());
    let Ok(s) = schedule_with(p, g, inputs) else {
        return;
    };
    // Deterministic.
    let again = schedule_with(p, g, inputs).expect("second run fails where the first did not");
    assert_eq!(s.tasks, again.tasks);

    let deadlines = p.tasks.iter().any(|t| t.deadline.is_some());
    for (t, task) in p.tasks.iter().enumerate() {
        let d = &s.tasks[t];
        assert!(
            d.early_start <= d.early_finish,
            "{} starts after it finishes",
            task.id
        );
        assert!(d.free_float <= d.total_float || d.state == State::Done);
        assert!(s.finish >= d.early_finish);
        if prog.is_some() {
            continue;
        }
        assert_eq!(d.state, State::NotStarted);
        assert!(
            d.early_start >= p.start,
            "{} starts before the plan",
            task.id
        );
        assert_eq!(
            d.early_work.1 - d.early_work.0,
            durations[t],
            "{} does not last its duration in working time",
            task.id
        );
        if let Some(nb) = task.not_before {
            let cal = &p.calendars[task.calendar];
            assert!(cal.work_at(d.early_start).unwrap() >= cal.work_at(nb).unwrap());
        }
        if !deadlines && s.go_live >= s.ready {
            assert!(
                d.total_float >= 0,
                "{} has float {}",
                task.id,
                d.total_float
            );
            assert!(d.free_float >= 0);
            assert!(d.early_start <= d.late_start && d.early_finish <= d.late_finish);
            assert!(d.late_finish <= s.finish.max(s.go_live));
        }
        for dep in &task.deps {
            let pd = &s.tasks[dep.pred];
            let early = link_holds(
                p,
                t,
                dep,
                (pd.early_start, pd.early_finish),
                (d.early_start, d.early_finish),
            );
            assert!(
                early != Some(false),
                "early {:?} from {} to {} broken\n{text}",
                dep,
                p.tasks[dep.pred].id,
                task.id
            );
            let late = link_holds(
                p,
                t,
                dep,
                (pd.late_start, pd.late_finish),
                (d.late_start, d.late_finish),
            );
            assert!(
                late != Some(false),
                "late {:?} from {} to {} broken\n{text}",
                dep,
                p.tasks[dep.pred].id,
                task.id
            );
        }
    }
    if prog.is_none() && !deadlines && s.go_live >= s.ready {
        assert!(s.tasks.iter().any(|d| d.critical), "no critical task");
    }
    // The rest of the plan (critical path, window fit, rendering) must not panic.
    if let Ok(plan) = plan(p, g, None, &Filter::default()) {
        use cutover::render::{Format, Render};
        let _ = plan.to_bytes(Format::Json);
        let path = cutover::plan::DrivingPath { plan };
        let _ = path.to_bytes(Format::Markdown);
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if let Ok(net) = Net::arbitrary(&mut u)
        && !net.tasks.is_empty()
    {
        check(&net);
    }
});
