//! The JSON Schemas that editors read (issue 12, item 7): committed beside the shipped
//! runbooks, where their modelines point, kept up to date with `cutover schema`, and
//! agreeing with the tool on every shipped file.

use serde_json::Value;

use crate::common::run_parts;

/// Each committed schema and the `cutover schema` arguments that write it.
const SCHEMAS: &[(&str, &[&str])] = &[
    ("runbooks/runbook.schema.json", &["schema"]),
    ("runbooks/status.schema.json", &["schema", "--status"]),
    ("runbooks/include.schema.json", &["schema", "--include"]),
];

#[test]
fn the_committed_schemas_are_what_cutover_schema_writes() {
    for (path, args) in SCHEMAS {
        let (code, stdout, stderr) = run_parts(args);
        assert_eq!(code, 0, "{stderr}");
        let committed = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{path}: {e}; write it with `cutover {}`", args.join(" ")));
        assert!(
            committed == stdout,
            "{path} is out of date: run `cargo run -- {} > {path}`",
            args.join(" ")
        );
    }
}

/// The schema a shipped YAML file names in its first line
/// (`# yaml-language-server: $schema=./runbook.schema.json`), as a path.
fn modeline_schema(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let text = std::fs::read_to_string(path).unwrap();
    let first = text.lines().next()?;
    let name = first.strip_prefix("# yaml-language-server: $schema=")?;
    Some(path.parent().unwrap().join(name.trim()))
}

fn yaml_files(dir: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(yaml_files(path.to_str().unwrap()));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_shipped_file_names_a_committed_schema_and_passes_it() {
    let files = yaml_files("runbooks");
    assert!(files.len() >= 10, "{files:?}");
    let mut checked = 0;
    for file in &files {
        // An included file (in a folder of its runbook's) is checked against the
        // include schema, whether or not it names one.
        let included = file.parent() != Some(std::path::Path::new("runbooks"));
        let schema_path = match modeline_schema(file) {
            Some(p) => p,
            None if included => "runbooks/include.schema.json".into(),
            None => panic!("{} has no schema modeline", file.display()),
        };
        let schema: Value = serde_json::from_str(
            &std::fs::read_to_string(&schema_path)
                .unwrap_or_else(|e| panic!("{}: {e}", schema_path.display())),
        )
        .unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let text = std::fs::read_to_string(file).unwrap();
        let value: Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        checked += 1;
    }
    assert_eq!(checked, files.len());
}

#[test]
fn the_schemas_refuse_what_the_tool_refuses_by_type() {
    // A sanity check that the agreement above has teeth: a task with a field the tool
    // does not know, and a task list that is not a list, fail the runbook schema.
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("runbooks/runbook.schema.json").unwrap())
            .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let good: Value = serde_saphyr::from_str(
        "runbook: r\ntimezone: Europe/London\nstart: 2027-04-12T09:00\ngo_live: 2027-04-19T07:00\ntasks:\n  - { id: a, name: A, duration: 1h }\n",
    )
    .unwrap();
    assert!(validator.is_valid(&good));
    let unknown_field: Value = serde_saphyr::from_str(
        "runbook: r\ntimezone: Europe/London\nstart: 2027-04-12T09:00\ngo_live: 2027-04-19T07:00\ntasks:\n  - { id: a, name: A, duration: 1h, owenr: B }\n",
    )
    .unwrap();
    assert!(!validator.is_valid(&unknown_field));
    let not_a_list: Value = serde_saphyr::from_str(
        "runbook: r\ntimezone: Europe/London\nstart: 2027-04-12T09:00\ngo_live: 2027-04-19T07:00\ntasks: a\n",
    )
    .unwrap();
    assert!(!validator.is_valid(&not_a_list));
}
