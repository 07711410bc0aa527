//! Dates where an instant is meant (issue 12, item 3): a date alone is read as midnight
//! and said so (`W013`); a day-first date with slashes gets plain words and an example.

use crate::common::run_parts;

const DIR: &str = "tests/fixtures/dates";

/// (code, line, column) of every diagnostic in `validate --format json` output.
fn codes_at(args: &[&str]) -> Vec<(String, u64, u64)> {
    let (_, stdout, _) = run_parts(args);
    crate::common::diagnostic_places(&stdout)
}

fn w(code: &str, line: u64, col: u64) -> (String, u64, u64) {
    (code.to_owned(), line, col)
}

#[test]
fn a_date_alone_in_an_instant_field_is_read_as_midnight_and_said_so() {
    let runbook = format!("{DIR}/bare-dates.yaml");
    let (code, _, stderr) = run_parts(&["validate", "--color", "never", &runbook]);
    assert_eq!(code, 0, "a warning, not an error\n{stderr}");
    assert!(
        stderr.contains("`2027-04-16` has no time of day, so it is read as midnight at the start of the day: 2027-04-16 00:00"),
        "{stderr}"
    );
    assert!(
        stderr.contains("write the time it means, e.g. `2027-04-16T09:00`"),
        "{stderr}"
    );
    insta::assert_snapshot!("bare-dates.human", stderr);
    // `start`, `not_before` and `deadline`; the holiday is a date and is not warned about.
    assert_eq!(
        codes_at(&["validate", "--format", "json", &runbook]),
        [w("W013", 5, 8), w("W013", 18, 17), w("W013", 24, 15)]
    );
    let (code, _, _) = run_parts(&["validate", "--strict", &runbook]);
    assert_eq!(code, 1);
}

#[test]
fn a_date_alone_in_a_status_file_is_said_so_but_not_in_a_reading() {
    let status = format!("{DIR}/bare-dates.status.yaml");
    let codes = codes_at(&[
        "validate",
        "--format",
        "json",
        &status,
        "--runbook",
        &format!("{DIR}/bare-dates.yaml"),
    ]);
    // The finish read as midnight falls before the start: the harm the warning names.
    assert!(codes.contains(&w("W013", 3, 8)), "{codes:?}");
    assert!(codes.contains(&w("W013", 5, 54)), "{codes:?}");
    assert!(codes.contains(&w("E090", 5, 54)), "{codes:?}");
    // The runbook of the same name beside it is found without `--runbook`.
    let with_runbook = codes;
    let codes = codes_at(&["validate", "--format", "json", &status]);
    assert_eq!(codes, with_runbook);
}

#[test]
fn a_uk_date_gets_plain_words_and_an_example() {
    let runbook = format!("{DIR}/uk-date.yaml");
    let (code, _, stderr) = run_parts(&["validate", "--color", "never", &runbook]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "`16/04/2027` is written with slashes; dates are written year first: `2027-04-16T09:00`"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("failed to parse"),
        "no parser jargon\n{stderr}"
    );
    insta::assert_snapshot!("uk-date.human", stderr);
    assert_eq!(
        codes_at(&["validate", "--format", "json", &runbook]),
        [w("E041", 11, 17)]
    );
}
