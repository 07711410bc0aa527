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
