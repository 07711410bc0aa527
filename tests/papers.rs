//! Issue 13: the papers people read. The README tour works as written, the board paper,
//! the runsheet, tables that fit the terminal, spreadsheet-ready CSV.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn the_readme_tour_puts_cutover_on_the_path_before_calling_it() {
    let readme = readme();
    let tour = readme.find("## A quick tour").unwrap();
    let install = readme[tour..].find("cargo install --path .").unwrap();
    let first_call = readme[tour..].find("\ncutover ").unwrap();
    assert!(
        install < first_call,
        "the tour calls cutover before installing it"
    );
    // `graph | dot` says it needs Graphviz.
    let dot = readme.find("| dot -Tsvg").unwrap();
    let line_end = readme[dot..].find('\n').unwrap();
    assert!(readme[dot..dot + line_end].contains("Graphviz"));
    assert!(readme.contains("graphviz.org"));
}

#[test]
fn the_readme_has_no_placeholders_to_fill_in() {
    let readme = readme();
    assert!(!readme.contains("OWNER"), "an OWNER placeholder is left");
    // No pre-commit `rev:` that names a release tag: none is tagged yet.
    assert!(
        !readme.contains("rev: v"),
        "a pre-commit rev names a tag that does not exist"
    );
}

// ---------------------------------------------------------------- the board paper

use crate::common::run;

const ACUTE: [&str; 3] = [
    "runbooks/northgate-acute.yaml",
    "--status",
    "runbooks/northgate-acute.status.yaml",
];
const RIVERSIDE: [&str; 3] = [
    "runbooks/riverside-mh-community.yaml",
    "--status",
    "runbooks/riverside-mh-community.status.yaml",
];

fn paper(runbook: [&str; 3], extra: &[&str]) -> String {
    let args = [&["report"][..], &runbook, &["--format", "html"], extra].concat();
    let r = run(&args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r.stdout
}

/// Where each part starts, so that their order can be checked.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("the paper has no {needle:?}"))
}

#[test]
fn the_paper_has_its_parts_in_order() {
    let html = paper(ACUTE, &[]);
    let order = [
        "Decision: GO WITH CONDITIONS",
        "<h2>Summary</h2>",
        "What must happen to reach GO",
        "<h2>Reasons</h2>",
        "<strong>Plan:</strong>",
        "<h2>Points of no return</h2>",
        "<h2>Readiness gates</h2>",
        "<h2>Plan chart: workstreams and the driving path</h2>",
        "<!-- appendix -->",
        "Appendix: the cutover window, task by task",
        "Appendix: every gate criterion",
    ];
    let at: Vec<usize> = order.iter().map(|n| at(&html, n)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} at {at:?}");
    // Summary: the decision in words, what must happen with owner and date.
    assert!(
        html.contains(
            "Go-live on Sun 13 Jun 2027 07:00 can go ahead if 2 conditions below are met."
        )
    );
    assert!(
        html.contains(
            "<td>Medical Engineering Manager</td><td class=\"v\">Thu 3 Jun 2027 08:00</td>"
        )
    );
    // Names first, ids second.
    assert!(html.contains(
        "Integrate 900 vital-sign monitors and 60 ventilators (<code>di-device-integration</code>)"
    ));
    // The points of no return, with the task's name and its latest safe pass.
    assert!(html.contains("Switch interfaces to the EPR"));
    assert!(html.contains("Sun 13 Jun 2027 04:00"));
    // The task-level chart of every task only with --detail.
    assert!(!html.contains("Appendix: every task"));
    assert!(paper(ACUTE, &["--detail"]).contains("Appendix: every task"));
}

#[test]
fn each_cause_is_said_once() {
    let html = paper(RIVERSIDE, &[]);
    let reasons = &html[at(&html, "<h2>Reasons</h2>")..at(&html, "<strong>Plan:</strong>")];
    // The overrun is one row (with the gates that also see it), not five.
    let rows = reasons.matches("<tr><td class=\"v").count();
    assert_eq!(rows, 10, "{reasons}");
    assert_eq!(
        reasons.matches("The plan&#x27;s timing").count()
            + reasons.matches("The plan's timing").count(),
        1
    );
    assert_eq!(reasons.matches("<li>also ").count(), 4, "{reasons}");
    // The summary says that no deferral helps.
    assert!(html.contains("No deferral of up to 365 days gives GO"));
}

#[test]
fn the_confidence_is_in_the_summary_with_iterations() {
    let html = paper(ACUTE, &["--iterations", "200", "--seed", "7"]);
    let summary = &html[at(&html, "<h2>Summary</h2>")..at(&html, "<h2>Reasons</h2>")];
    assert!(
        summary.contains("In 200 simulated runs (seed 7), "),
        "{summary}"
    );
    assert!(
        summary.contains("% are ready by go-live; 80% are ready by "),
        "{summary}"
    );
    assert!(!paper(ACUTE, &[]).contains("simulated runs"));
}

/// The `x` of every `<text class="tick" ...>` in each chart.
fn tick_xs(html: &str) -> Vec<Vec<f64>> {
    html.split("<svg ")
        .skip(1)
        .map(|svg| {
            svg.split("<text class=\"tick\" x=\"")
                .skip(1)
                .map(|t| t[..t.find('"').unwrap()].parse().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn chart_labels_do_not_run_together_and_bars_stay_off_the_labels() {
    for runbook in [ACUTE, RIVERSIDE] {
        let html = paper(runbook, &["--detail"]);
        let charts = tick_xs(&html);
        assert!(charts.len() >= 3);
        for xs in &charts {
            assert!(xs.len() >= 2, "{xs:?}");
            // Labels are at most 12 characters at about 4.6 units each.
            assert!(xs.windows(2).all(|w| w[1] - w[0] >= 34.0), "{xs:?}");
        }
        // Dates read as day and month, never `06-13`.
        let ticks: Vec<&str> = html
            .split("<text class=\"tick\"")
            .skip(1)
            .map(|t| &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()])
            .collect();
        assert!(
            ticks
                .iter()
                .all(|t| t.chars().nth(2).is_none_or(|c| c != '-')),
            "{ticks:?}"
        );
        // Every chart clips its bars to the chart area, right of the labels.
        assert_eq!(
            html.matches("<svg ").count(),
            html.matches("clip-path=\"url(#").count()
        );
    }
}

/// Pages in a PDF that Chromium wrote (`/Type /Page`, not `/Type /Pages`).
fn pdf_pages(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

#[test]
fn the_acute_paper_fits_two_a4_pages_before_its_appendix() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("paper.html");
    let pdf = dir.path().join("paper.pdf");
    std::fs::write(&html, paper(ACUTE, &[])).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/print-paper.sh");
    let out = std::process::Command::new("sh")
        .arg(script)
        .arg(&html)
        .arg(&pdf)
        .arg("--before-appendix")
        .output()
        .unwrap();
    if out.status.code() == Some(3) {
        eprintln!("skipped: no headless Chromium installed");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages = pdf_pages(&std::fs::read(&pdf).unwrap());
    assert!(
        (1..=2).contains(&pages),
        "{pages} pages before the appendix"
    );
}

// ---------------------------------------------------------------- terminal width

#[test]
fn terminal_tables_fit_80_and_100_columns() {
    let runs: [&[&str]; 5] = [
        &["plan", "runbooks/northgate-acute.yaml"],
        &["critical-path", "runbooks/northgate-acute.yaml"],
        &["gates", ACUTE[0], ACUTE[1], ACUTE[2]],
        &["report", ACUTE[0], ACUTE[1], ACUTE[2]],
        &["report", RIVERSIDE[0], RIVERSIDE[1], RIVERSIDE[2]],
    ];
    for args in runs {
        for width in ["80", "100"] {
            let all = [args, &["--width", width, "--color", "never"]].concat();
            let r = run(&all);
            assert_eq!(r.code, Some(0), "{}", r.stderr);
            let widest = r.stdout.lines().map(|l| l.chars().count()).max().unwrap();
            let limit: usize = width.parse().unwrap();
            assert!(widest <= limit, "{all:?}: a line of {widest} columns");
            // Fitting keeps every row: the acute plan still lists its go-live task.
            if args[0] == "plan" {
                assert!(r.stdout.contains("epr-live"));
            }
        }
        // To a pipe (no --width), and with --wide, rows are whole: wider than 100.
        for extra in [&[][..], &["--wide"][..]] {
            let all = [args, extra, &["--color", "never"]].concat();
            let r = run(&all);
            let widest = r.stdout.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest > 100, "{all:?}: full rows expected, widest {widest}");
        }
    }
}

const LAST_BOARD: &str = "runbooks/northgate-acute.2027-05-14.status.yaml";

/// `report --since`: every value is what the engine says for each status file on its
/// own, and every format shows the section.
#[test]
fn changes_since_the_last_board_repeat_the_engine() {
    let json = |args: &[&str]| -> serde_json::Value {
        let r = run(args);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let then = json(&[
        "report", ACUTE[0], "--status", LAST_BOARD, "--format", "json",
    ]);
    let now = json(&[&["report"][..], &ACUTE, &["--format", "json"]].concat());
    let both = json(
        &[
            &["report"][..],
            &ACUTE,
            &["--since", LAST_BOARD, "--format", "json"],
        ]
        .concat(),
    );
    let since = &both["since"];
    // The report itself is unchanged by --since.
    assert_eq!(both["decision"], now["decision"]);
    assert_eq!(both["reasons"], now["reasons"]);
    assert_eq!(since["decision"]["then"], then["decision"]);
    assert_eq!(since["decision"]["now"], now["decision"]);
    assert_eq!(since["decision"]["then"], "NO-GO");
    assert_eq!(since["data_date"]["then"], then["data_date"]);
    assert_eq!(since["ready"]["then"], then["plan"]["ready"]);
    assert_eq!(since["ready"]["now"], now["plan"]["ready"]);
    assert_eq!(
        since["float_to_go_live_minutes"]["then"],
        then["plan"]["float_to_go_live_minutes"]
    );
    // Exactly the gates whose result differs between the two reports.
    let results = |r: &serde_json::Value| -> Vec<(String, String)> {
        r["gates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["id"].as_str().unwrap().to_owned(),
                    g["result"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let expected: Vec<(String, String, String)> = results(&then)
        .into_iter()
        .zip(results(&now))
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, b)| (a.0, a.1, b.1))
        .collect();
    let flipped: Vec<(String, String, String)> = since["gates_flipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["gate"].as_str().unwrap().to_owned(),
                f["then"].as_str().unwrap().to_owned(),
                f["now"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(flipped, expected);
    // The same section in the terminal, Markdown and HTML.
    let args = [&["report"][..], &ACUTE, &["--since", LAST_BOARD]].concat();
    let table = run(&args).stdout;
    let section = &table[table
        .find("Changes since the last board")
        .expect("a section")..];
    insta::assert_snapshot!("since-table", section);
    let md = run(&[&args[..], &["--format", "markdown"]].concat()).stdout;
    assert!(md.contains("## Changes since the last board"));
    assert!(md.contains("| Decision                    | NO-GO → GO WITH CONDITIONS"));
    let html = paper(ACUTE, &["--since", LAST_BOARD]);
    // In the paper before the appendix.
    assert!(at(&html, "Changes since the last board") < at(&html, "<!-- appendix -->"));
}

#[test]
fn since_a_newer_status_is_refused() {
    let r = run(&[
        "report", ACUTE[0], "--status", LAST_BOARD, "--since", ACUTE[2],
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("is after the report's"), "{}", r.stderr);
}

/// In a real pseudo-terminal of 80 and 100 columns (util-linux `script`, which sets the
/// terminal's size with `stty`), the width comes from the terminal itself, with no
/// `--width`: no line of `plan`, `gates`, `report` or `simulate` is wider than the
/// terminal. Skipped where `script` is missing.
#[cfg(target_os = "linux")]
#[test]
fn tables_fit_a_real_terminal_of_80_and_100_columns() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_cutover");
    let runs = [
        "plan runbooks/northgate-acute.yaml",
        "gates runbooks/northgate-acute.yaml --status runbooks/northgate-acute.status.yaml",
        "report runbooks/northgate-acute.yaml --status runbooks/northgate-acute.status.yaml",
        // Prose under the tables (earliest GO, changes against the baseline, risk
        // drivers) and the histogram too; the progress bar on stderr is left out.
        "simulate runbooks/northgate-acute.yaml --iterations 500",
    ];
    for args in runs {
        for cols in [80, 100] {
            let command =
                format!("stty cols {cols} rows 50; {bin} {args} --color never 2>/dev/null");
            let out = std::process::Command::new("script")
                .args(["-qec", &command, "/dev/null"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .env_remove("COLUMNS")
                .output()
                .unwrap();
            assert!(out.status.success(), "{command}");
            let text = String::from_utf8(out.stdout).unwrap().replace('\r', "");
            assert!(text.lines().count() > 10, "{command}: {text}");
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
            assert!(widest <= cols, "{command}: a line of {widest} columns");
            assert!(
                widest > cols - 20,
                "{command}: the terminal's width is not used"
            );
        }
    }
}
