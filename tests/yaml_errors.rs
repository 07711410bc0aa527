//! YAML syntax errors at the right place, in plain words (issue 12, item 5): one fixture
//! per common mistake, each with the human output and the code at its line:col.

use crate::common::run_parts;

const DIR: &str = "tests/fixtures/yaml_errors";

/// (code, line, column) of every diagnostic in `validate --format json` output.
fn codes_at(path: &str) -> Vec<(String, u64, u64)> {
    let (_, stdout, _) = run_parts(&["validate", "--format", "json", path]);
    crate::common::diagnostic_places(&stdout)
}

/// Checks `name`'s one error: E001 at `line`:`col`, the human output holding `words`
/// (snapshotted whole).
fn check(name: &str, line: u64, col: u64, words: &[&str]) {
    let path = format!("{DIR}/{name}.yaml");
    assert_eq!(
        codes_at(&path),
        [("E001".to_owned(), line, col)],
        "{name}: code and place"
    );
    let (code, _, stderr) = run_parts(&["validate", "--color", "never", &path]);
    assert_eq!(code, 1, "{name}: a syntax error is an error\n{stderr}");
    assert!(
        stderr.contains(&format!("{path}:{line}:{col}")),
        "{name}: the place is shown\n{stderr}"
    );
    for w in words {
        assert!(stderr.contains(w), "{name}: `{w}` missing\n{stderr}");
    }
    insta::assert_snapshot!(name, stderr);
}

#[test]
fn a_tab_is_reported_where_it_is() {
    // The parser reports it at the end of the line above (8:12).
    check(
        "tab",
        9,
        1,
        &[
            "a tab is used for indentation here; YAML indents with spaces",
            "replace the tab with spaces",
        ],
    );
}

#[test]
fn a_colon_in_a_value_is_told_to_be_quoted() {
    check(
        "colon-in-value",
        8,
        17,
        &[
            "the value of `name` contains `: `, which YAML reads as the start of another key",
            "put the value in quotes: `name: \"Backup: final\"`",
            "YAML: mapping values are not allowed in this context",
        ],
    );
}

#[test]
fn a_line_indented_too_far_is_told_apart_from_a_colon_in_a_value() {
    check(
        "over-indented",
        9,
        11,
        &["this line is indented more than the line above it (5 spaces, not 4)"],
    );
}

#[test]
fn the_other_common_mistakes_have_plain_words() {
    check("unclosed-quote", 8, 11, &["this quote is never closed"]);
    // The parser notices it at the next `:` (11:13); the `[` left open is at 10:12.
    check("unclosed-bracket", 10, 12, &["this `[` is never closed"]);
    check(
        "item-in-mapping",
        11,
        7,
        &["a list item (`- `) starts here, where the mapping above expects a key"],
    );
    check(
        "under-indented",
        10,
        3,
        &["this line is neither a new list item nor part of the item above"],
    );
    check(
        "after-quote",
        8,
        20,
        &["text follows the closing quote of this value"],
    );
    check(
        "at-sign",
        9,
        12,
        &["a value cannot start with this character unless it is quoted"],
    );
    check(
        "star",
        11,
        12,
        &["refers to an anchor (`&name`) that is not defined above"],
    );
}
