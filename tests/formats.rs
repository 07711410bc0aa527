//! One computed value, many renderings: every format of every command renders on the
//! shipped runbooks, and each fact the terminal table shows (readiness, float, the
//! driving chain's length, the decision) is in the JSON with the same value.

use serde_json::Value;

use crate::common::{json, run};

/// The shipped runbooks and the status file each is judged from.
const SHIPPED: &[(&str, Option<&str>)] = &[
    (
        "runbooks/northgate-acute.yaml",
        Some("runbooks/northgate-acute.status.yaml"),
    ),
    (
        "runbooks/riverside-mh-community.yaml",
        Some("runbooks/riverside-mh-community.status.yaml"),
    ),
    ("runbooks/twin-rivers-shared-instance.yaml", None),
];

/// The commands, their formats, and whether they need a data date.
const COMMANDS: &[(&str, &[&str])] = &[
    ("plan", &["table", "markdown", "json", "csv"]),
    ("critical-path", &["table", "markdown", "json", "csv"]),
    ("gates", &["table", "markdown", "json", "html"]),
    ("report", &["table", "markdown", "json", "html"]),
    ("simulate", &["table", "markdown", "json"]),
    ("graph", &["dot", "mermaid"]),
];

/// `cutover COMMAND RUNBOOK` with the status file (or a fixed data date) and `extra`.
fn args<'a>(command: &'a str, runbook: &'a str, status: Option<&'a str>) -> Vec<&'a str> {
    let mut a = vec![command, runbook];
    if command != "graph" {
        match status {
            Some(s) => a.extend(["--status", s]),
            None => a.extend(["--as-of", "2027-10-01T09:00"]),
        }
    }
    a
}

/// The value after `label:` on a line of the key/value summary.
fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .map_or_else(
            || panic!("no `{label}` in:\n{text}"),
            |rest| rest.trim_start_matches(':').trim(),
        )
}

/// Minutes from the text form of an elapsed time: `-1d 2h 30m`, `45m`.
fn minutes(text: &str) -> i64 {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, text),
    };
    sign * rest
        .split_whitespace()
        .map(|part| {
            let (n, unit) = part.split_at(part.len() - 1);
            let n: i64 = n
                .parse()
                .unwrap_or_else(|_| panic!("not a duration: {text}"));
            n * match unit {
                "d" => 1440,
                "h" => 60,
                "m" => 1,
                _ => panic!("not a duration: {text}"),
            }
        })
        .sum::<i64>()
}

/// `2027-06-13T04:30:00+01:00` as the table shows it: `2027-06-13 04:30`.
fn local(json_instant: &Value) -> String {
    let s = json_instant.as_str().expect("an instant");
    s[..16].replace('T', " ")
}

#[test]
fn every_format_of_every_command_renders() {
    for &(runbook, status) in SHIPPED {
        for &(command, formats) in COMMANDS {
            for format in formats {
                let mut a = args(command, runbook, status);
                a.extend(["--format", format]);
                let r = run(&a);
                assert_eq!(r.code, Some(0), "{a:?}: {}", r.stderr);
                assert!(r.stdout.len() > 100, "{a:?}: almost nothing written");
                if *format == "json" {
                    let v: Value = serde_json::from_str(&r.stdout)
                        .unwrap_or_else(|e| panic!("{a:?}: not JSON ({e})"));
                    assert_eq!(v["format"], 1, "{a:?}");
                }
            }
        }
    }
}

#[test]
fn plan_and_critical_path_tables_agree_with_their_json() {
    for &(runbook, status) in SHIPPED {
        for command in ["plan", "critical-path"] {
            let a = args(command, runbook, status);
            let text = run(&a).stdout;
            let doc = json(&[&a[..], &["--format", "json"]].concat());
            let ready = field(&text, "Ready for go-live");
            assert!(ready.starts_with(&local(&doc["ready"])), "{a:?}: {ready}");
            let go_live = field(&text, "Go-live (T-0)");
            let float = go_live.rsplit("float ").next().expect("a float");
            assert_eq!(
                minutes(float),
                doc["float_to_go_live_minutes"],
                "{a:?}: {go_live}"
            );
            if let Some(close) = doc["float_to_window_close_minutes"].as_i64() {
                let window = field(&text, "Cutover window");
                let shown = window
                    .split("float to close ")
                    .nth(1)
                    .expect("float to close");
                let shown = shown.split(':').next().expect("a float");
                assert_eq!(minutes(shown), close, "{a:?}: {window}");
                assert_eq!(window.ends_with(": fits"), doc["fits"] == true, "{a:?}");
            }
            let critical = field(&text, "Critical tasks");
            let mut counts = critical
                .split(' ')
                .filter(|w| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty());
            assert_eq!(
                counts.next().map(str::to_owned),
                Some(doc["critical_to_go_live"].to_string()),
                "{a:?}: {critical}"
            );
            assert_eq!(
                counts.next().map(str::to_owned),
                Some(doc["tasks_to_go_live"].to_string()),
                "{a:?}: {critical}"
            );
            if command == "critical-path" {
                let chains = doc["driving_chains"].as_array().expect("chains");
                let shown: Vec<&str> = text
                    .lines()
                    .filter(|l| l.starts_with("Driving chain "))
                    .collect();
                assert_eq!(shown.len(), chains.len(), "{a:?}");
                for (line, chain) in shown.iter().zip(chains) {
                    // "Driving chain 1 of 1: 18 tasks, 1d 9h 30m from A to B"
                    let after = line.split(": ").nth(1).expect("a count");
                    let (count, rest) = after.split_once(" tasks, ").expect("tasks");
                    let length = rest.split(" from ").next().expect("a length");
                    assert_eq!(
                        count,
                        chain["tasks"].as_array().expect("tasks").len().to_string()
                    );
                    assert_eq!(minutes(length), chain["length_minutes"], "{line}");
                    assert!(line.ends_with(&local(&chain["finish"])), "{line}");
                }
            }
        }
    }
}

#[test]
fn report_and_gates_tables_agree_with_their_json() {
    for &(runbook, status) in SHIPPED {
        for command in ["report", "gates"] {
            let a = args(command, runbook, status);
            let text = run(&a).stdout;
            let doc = json(&[&a[..], &["--format", "json"]].concat());
            assert_eq!(field(&text, "Decision"), doc["decision"], "{a:?}");
            assert!(
                field(&text, "Data date").starts_with(&local(&doc["data_date"])),
                "{a:?}"
            );
            if command == "report" {
                let plan = &doc["plan"];
                assert!(
                    field(&text, "Ready for go-live").starts_with(&local(&plan["ready"])),
                    "{a:?}"
                );
                let go_live = field(&text, "Go-live (T-0)");
                let float = go_live.rsplit("float ").next().expect("a float");
                assert_eq!(minutes(float), plan["float_to_go_live_minutes"], "{a:?}");
                // Every reason in the JSON is a row of the reasons table.
                for reason in doc["reasons"].as_array().expect("reasons") {
                    let text_of = reason["text"].as_str().expect("text");
                    let head: String = text_of.chars().take(40).collect();
                    assert!(text.contains(&head), "{a:?}: reason not shown: {text_of}");
                }
            }
            // Each gate's result is shown on its row.
            for gate in doc["gates"].as_array().expect("gates") {
                let id = gate["id"].as_str().expect("id");
                let row = text
                    .lines()
                    .find(|l| l.contains(&format!(" {id} ")))
                    .unwrap_or_else(|| panic!("{a:?}: no row for gate {id}"));
                let result = gate["result"].as_str().expect("result");
                assert!(row.contains(result), "{a:?}: {row} lacks {result}");
            }
        }
    }
}

#[test]
fn simulate_table_agrees_with_its_json() {
    for &(runbook, status) in SHIPPED {
        let a = args("simulate", runbook, status);
        let text = run(&a).stdout;
        let doc = json(&[&a[..], &["--format", "json"]].concat());
        for case in doc["cases"].as_array().expect("cases") {
            let id = case["id"].as_str().expect("id");
            let row = text
                .lines()
                .find(|l| l.contains(&format!(" {id}: ")))
                .unwrap_or_else(|| panic!("{a:?}: no row for {id}"));
            let cells: Vec<&str> = row.split(['│', '┆']).map(str::trim).collect();
            // │ scenario ┆ go-live ┆ ready ┆ float to go-live ┆ float to close ┆ decision ┆ …
            assert!(cells[2].starts_with(&local(&case["go_live"])), "{row}");
            assert!(cells[3].starts_with(&local(&case["ready"])), "{row}");
            assert_eq!(minutes(cells[4]), case["float_to_go_live_minutes"], "{row}");
            assert_eq!(cells[6], case["decision"], "{row}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_failed_write_is_an_error_with_exit_code_2() {
    // /dev/full refuses every write: the command must say so, not exit 0.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cutover"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["plan", "runbooks/northgate-acute.yaml", "--format", "json"])
        .stdout(full)
        .output()
        .expect("cutover runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot write to standard output"), "{err}");
}

/// `cutover lint`: every format renders on every shipped runbook, and each row of the
/// summary table shows the JSON's count, population and outcome for its check.
#[test]
fn lint_renders_every_format_and_its_table_agrees_with_its_json() {
    for &(runbook, status) in SHIPPED {
        let mut a = vec!["lint", runbook];
        if let Some(s) = status {
            a.extend(["--status", s]);
        }
        let mut codes = Vec::new();
        for format in ["human", "markdown", "json", "github", "sarif"] {
            let r = run(&[&a[..], &["--format", format]].concat());
            assert!(
                matches!(r.code, Some(0 | 1)),
                "{a:?} {format}: {}",
                r.stderr
            );
            codes.push(r.code);
            if format != "github" {
                assert!(
                    r.stdout.len() > 100,
                    "{a:?} {format}: almost nothing written"
                );
            }
            if matches!(format, "json" | "sarif") {
                serde_json::from_str::<Value>(&r.stdout)
                    .unwrap_or_else(|e| panic!("{a:?} {format}: not JSON ({e})"));
            }
        }
        // The exit code is the verdict, whatever the format.
        assert!(codes.windows(2).all(|w| w[0] == w[1]), "{a:?}: {codes:?}");
        let text = run(&a).stdout;
        let doc: Value =
            serde_json::from_str(&run(&[&a[..], &["--format", "json"]].concat()).stdout).unwrap();
        let summary = doc["runbooks"][0]["summary"].as_array().expect("summary");
        assert!(summary.len() >= 13, "{a:?}");
        for check in summary {
            let head = format!(
                "{} {}",
                check["code"].as_str().unwrap(),
                check["name"].as_str().unwrap()
            );
            let row = text
                .lines()
                .find(|l| l.contains(&format!("│ {head} ")))
                .unwrap_or_else(|| panic!("{a:?}: no row for {head}"));
            let outcome = check["outcome"].as_str().unwrap();
            let last = row.trim_end_matches('│').rsplit('┆').next().unwrap().trim();
            if outcome == "not-run" {
                // A check that could not run (L011 with no status file) says why.
                let why = check["note"].as_str().expect("a reason");
                assert_eq!(last, format!("not run: {why}"), "{row}");
                continue;
            }
            let found = format!("{} of {}", check["count"], check["population"]);
            assert!(row.contains(&found), "{row} lacks {found}");
            assert!(last.starts_with(outcome), "{row} lacks {outcome}");
        }
    }
}

/// `cutover diff`: every format renders (exit 1: they differ), and the human summary
/// shows the JSON's readiness, float and decision.
#[test]
fn diff_renders_every_format_and_its_text_agrees_with_its_json() {
    let a = [
        "diff",
        "tests/fixtures/diff/base.yaml",
        "tests/fixtures/diff/pr.yaml",
        "--status",
        "tests/fixtures/diff/base.status.yaml",
    ];
    for format in ["human", "markdown", "json"] {
        let r = run(&[&a[..], &["--format", format]].concat());
        assert_eq!(r.code, Some(1), "{format}: {}", r.stderr);
        assert!(r.stdout.len() > 100, "{format}: almost nothing written");
    }
    let text = run(&a).stdout;
    let doc: Value =
        serde_json::from_str(&run(&[&a[..], &["--format", "json"]].concat()).stdout).unwrap();
    assert_eq!(doc["format"], 1);
    assert_eq!(doc["same"], false);
    let effects = &doc["diffs"][0]["effects"];
    let ready = field(&text, "Ready for go-live");
    assert!(
        ready.starts_with(&format!(
            "{} -> {}",
            local(&effects["ready"]["old"]),
            local(&effects["ready"]["new"])
        )),
        "{ready}"
    );
    let (old, new) = field(&text, "Float to go-live")
        .split_once(" -> ")
        .expect("old -> new");
    assert_eq!(minutes(old), effects["float_to_go_live_minutes"]["old"]);
    assert_eq!(minutes(new), effects["float_to_go_live_minutes"]["new"]);
    let decision = field(&text, "Decision");
    assert!(
        decision.starts_with(effects["decision"]["new"].as_str().unwrap()),
        "{decision}"
    );
    let relaxations = doc["diffs"][0]["relaxations"]
        .as_u64()
        .expect("relaxations");
    assert_eq!(text.matches("RELAXATION:").count() as u64, relaxations);
    assert!(
        text.contains(&format!("{relaxations} relaxations")),
        "{text}"
    );
}
