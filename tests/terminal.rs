//! Terminal safety (issue 12, item 8): text from a runbook or status file never reaches
//! a terminal as control characters. The fixture's names, owners, a note, a gate name and
//! a status reason hold OSC, CSI, BEL, CR and C1 sequences; every output a person reads
//! must show them (`␛`), with `--color never` holding no control byte but newline and
//! tab, and with `--color always` no escape sequence but our own colour codes.

use crate::common::cutover;

const RUNBOOK: &str = "tests/fixtures/terminal/hostile.yaml";
const STATUS: &str = "tests/fixtures/terminal/hostile.status.yaml";

/// Runs `cutover ARGS` and returns (stdout, stderr) as bytes, whatever the exit code.
fn output(args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let out = cutover().args(args).output().unwrap();
    (out.stdout, out.stderr)
}

/// The first control byte other than newline and tab in `bytes` (a C1 control in UTF-8
/// is `0xC2 0x80..=0x9F`), with its position.
fn first_control(bytes: &[u8]) -> Option<(usize, u8)> {
    bytes.iter().enumerate().find_map(|(i, &b)| {
        let c1 = b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n));
        ((b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f || c1).then_some((i, b))
    })
}

/// Asserts that `bytes` hold no control byte but newline and tab.
fn assert_clean(args: &[&str], what: &str, bytes: &[u8]) {
    if let Some((i, b)) = first_control(bytes) {
        let from = i.saturating_sub(60);
        panic!(
            "{args:?} {what}: control byte {b:#04x} at {i}: {:?}",
            String::from_utf8_lossy(&bytes[from..(i + 20).min(bytes.len())])
        );
    }
}

/// Asserts that every ESC in `bytes` starts an SGR colour code (`ESC [` digits `m`)
/// and that no other control byte but newline and tab is there. Returns how many colour
/// codes there are.
fn assert_only_colour(args: &[&str], what: &str, bytes: &[u8]) -> usize {
    let mut rest = bytes;
    let mut clean = Vec::with_capacity(bytes.len());
    let mut codes = 0;
    while let Some((&b, tail)) = rest.split_first() {
        if b == 0x1b {
            let params = tail
                .iter()
                .skip(1)
                .take_while(|c| c.is_ascii_digit() || **c == b';')
                .count();
            assert!(
                tail.first() == Some(&b'[') && tail.get(1 + params) == Some(&b'm'),
                "{args:?} {what}: an ESC that is not a colour code: {:?}",
                String::from_utf8_lossy(&tail[..tail.len().min(20)])
            );
            rest = &tail[params + 2..];
            codes += 1;
        } else {
            clean.push(b);
            rest = tail;
        }
    }
    assert_clean(args, what, &clean);
    codes
}

/// Every command a person reads in a terminal, on the hostile runbook and status file.
fn commands(new: &str) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    vec![
        s(&["validate", RUNBOOK, "--status", STATUS]),
        s(&["plan", RUNBOOK]),
        s(&["plan", RUNBOOK, "--format", "markdown"]),
        s(&["gates", RUNBOOK, "--status", STATUS]),
        s(&["gates", RUNBOOK, "--status", STATUS, "--format", "markdown"]),
        s(&["report", RUNBOOK, "--status", STATUS]),
        s(&[
            "report", RUNBOOK, "--status", STATUS, "--format", "markdown",
        ]),
        s(&["report", RUNBOOK, "--status", STATUS, "--format", "html"]),
        s(&["lint", RUNBOOK]),
        s(&["lint", RUNBOOK, "--format", "github"]),
        s(&["diff", RUNBOOK, new]),
        s(&["diff", RUNBOOK, new, "--format", "markdown"]),
    ]
}

/// A changed copy of the runbook, for `diff`: task `b` runs longer and is renamed.
fn changed_copy(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(RUNBOOK).unwrap();
    let text = text
        .replace("duration: 1d elapsed", "duration: 2d elapsed")
        .replace("Load \\e[H", "Load again \\e]0;renamed\\a");
    let path = dir.join("hostile-new.yaml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn no_control_character_reaches_the_terminal_without_colour() {
    let dir = tempfile::tempdir().unwrap();
    let new = changed_copy(dir.path());
    for mut args in commands(&new) {
        args.extend(["--color".to_owned(), "never".to_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (stdout, stderr) = output(&args);
        assert!(
            !stdout.is_empty() || !stderr.is_empty(),
            "{args:?}: no output"
        );
        assert_clean(&args, "stdout", &stdout);
        assert_clean(&args, "stderr", &stderr);
    }
}

#[test]
fn with_colour_the_only_escape_sequences_are_our_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let new = changed_copy(dir.path());
    for mut args in commands(&new) {
        let coloured = args
            .iter()
            .all(|a| a != "markdown" && a != "html" && a != "github");
        if !coloured {
            continue;
        }
        args.extend(["--color".to_owned(), "always".to_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (stdout, stderr) = output(&args);
        // The runbook's own colour codes (blink, red, conceal) are shown, not obeyed.
        for bytes in [&stdout, &stderr] {
            let text = String::from_utf8_lossy(bytes);
            for theirs in ["\u{1b}[5m", "\u{1b}[8m", "\u{1b}[31m"] {
                assert!(!text.contains(theirs), "{args:?}: {theirs:?} written raw");
            }
        }
        let codes = assert_only_colour(&args, "stdout", &stdout)
            + assert_only_colour(&args, "stderr", &stderr);
        // A clean `validate` has nothing to colour, and `diff` colours nothing.
        if args[0] != "validate" && args[0] != "diff" {
            assert!(codes > 0, "{args:?}: --color always wrote no colour");
        }
    }
}

#[test]
fn the_controls_are_shown_as_pictures() {
    let (stdout, _) = output(&["plan", RUNBOOK, "--color", "never"]);
    let text = String::from_utf8(stdout).unwrap();
    assert!(text.contains("Backup ␛]52;c;cHduZWQ=␇ done"), "{text}");
    assert!(text.contains("Load ␛[H␛[2J"), "{text}");
    let (stdout, _) = output(&["lint", RUNBOOK, "--format", "github"]);
    let text = String::from_utf8(stdout).unwrap();
    assert!(
        text.lines().all(|l| l.starts_with("::") || l.is_empty()),
        "{text}"
    );
}

#[test]
fn a_control_byte_in_a_quoted_source_line_is_shown() {
    // YAML refuses a raw ESC in the file; the error quotes the line holding it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raw.yaml");
    std::fs::write(
        &path,
        "runbook: x\ntimezone: Europe/London\nname: \"a \u{1b}]0;pwned\u{7} b\"\n",
    )
    .unwrap();
    let path = path.display().to_string();
    for format in ["human", "github"] {
        let (stdout, stderr) = output(&["validate", &path, "--format", format, "--color", "never"]);
        assert!(
            !stdout.is_empty() || !stderr.is_empty(),
            "{format}: no output"
        );
        assert_clean(&["validate", format], "stdout", &stdout);
        assert_clean(&["validate", format], "stderr", &stderr);
    }
    let (_, stderr) = output(&["validate", &path, "--color", "always"]);
    let codes = assert_only_colour(&["validate", "--color", "always"], "stderr", &stderr);
    assert!(codes > 0, "the error is coloured");
}
