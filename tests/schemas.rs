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

/// A YAML file as JSON, the way a schema validator sees it. `yaml12` reads the words
/// `yes`, `no`, `on`, `off`, `y` and `n` as text (YAML 1.2, as yaml-language-server
/// reads by default); otherwise they are booleans (YAML 1.1, as the loader reads a
/// yes-or-no field). The schemas accept both readings of every such word, so both give
/// the same verdict; the agreement tests check each file under both.
fn as_json(text: &str, yaml12: bool) -> Result<Value, String> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = yaml12;
    serde_saphyr::from_str_with_options(text, options).map_err(|e| e.to_string())
}

/// Which schema a file is checked against, from its name (`x.status.yaml`) and what it
/// holds; `None` for YAML that is not a runbook, include or status file (an event log,
/// a CI workflow).
fn schema_for(file: &std::path::Path, value: &Value) -> Option<&'static str> {
    let object = value.as_object()?;
    let name = file.file_name()?.to_str()?;
    if name.ends_with(".status.yaml") || object.contains_key("as_of") {
        return Some("runbooks/status.schema.json");
    }
    let settings = ["runbook", "timezone", "start", "go_live", "version"];
    if settings.iter().any(|k| object.contains_key(*k)) {
        return Some("runbooks/runbook.schema.json");
    }
    let parts = [
        "tasks",
        "gates",
        "calendars",
        "workstreams",
        "scenarios",
        "include",
    ];
    parts
        .iter()
        .any(|k| object.contains_key(*k))
        .then_some("runbooks/include.schema.json")
}

/// The schema's errors for `file` under both readings of YAML (they must agree), or
/// `None` when the file is not YAML of a cutover format.
fn schema_errors(file: &std::path::Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut verdicts = Vec::new();
    for yaml12 in [false, true] {
        let value = as_json(&text, yaml12).ok()?;
        let path = schema_for(file, &value)?;
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{path}: {} at {}", e, e.instance_path()))
            .collect();
        verdicts.push(errors);
    }
    assert_eq!(
        verdicts[0].is_empty(),
        verdicts[1].is_empty(),
        "{}: YAML 1.1 and 1.2 readings disagree: {verdicts:#?}",
        file.display()
    );
    verdicts.pop()
}

/// Errors `cutover validate` finds in each file, by path.
fn tool_errors(files: &[std::path::PathBuf]) -> std::collections::BTreeMap<String, u64> {
    let mut args = vec!["validate", "--format", "json"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let (_, stdout, stderr) = run_parts(&args);
    let report: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["errors"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn all_yaml() -> Vec<std::path::PathBuf> {
    let mut files = yaml_files("runbooks");
    files.extend(yaml_files("tests/fixtures"));
    files
}

#[test]
fn every_file_the_tool_accepts_passes_its_schema() {
    let files = all_yaml();
    let errors = tool_errors(&files);
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in &files {
        let Some(&0) = errors.get(file.to_str().unwrap()) else {
            continue;
        };
        match schema_errors(file) {
            Some(e) if !e.is_empty() => failures.push(format!("{}: {e:#?}", file.display())),
            Some(_) => checked += 1,
            None => {}
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(checked >= 40, "only {checked} valid files checked");
}

/// The mistakes of type and format from issue 12 and the fixtures of the diagnostics
/// that report them: each fails both `cutover validate` and the schema.
const REJECTED: &[&str] = &[
    "tests/fixtures/diagnostics/E002-wrong-type.yaml",
    "tests/fixtures/diagnostics/E003-unknown-field.yaml",
    "tests/fixtures/diagnostics/E009-unsupported-version.yaml",
    "tests/fixtures/diagnostics/E010-invalid-id.yaml",
    "tests/fixtures/diagnostics/E040-invalid-duration.yaml",
    "tests/fixtures/status/E041-invalid-instant.status.yaml",
    "tests/fixtures/status/E040-invalid-remaining.status.yaml",
    "tests/fixtures/status/E005-missing-as-of.status.yaml",
    "tests/fixtures/diagnostics/E042-invalid-timezone.yaml",
    "tests/fixtures/diagnostics/E042-fixed-offset.yaml",
];

#[test]
fn every_mistake_of_type_or_format_fails_the_schema_and_the_tool() {
    let mut files = yaml_files("tests/fixtures/schemas/reject");
    assert!(files.len() >= 15, "{files:?}");
    files.extend(REJECTED.iter().map(std::path::PathBuf::from));
    let errors = tool_errors(&files);
    for file in &files {
        let path = file.to_str().unwrap();
        assert!(
            errors.get(path).is_some_and(|&e| e > 0),
            "cutover validate accepts {path}"
        );
        let schema = schema_errors(file).unwrap_or_else(|| panic!("{path} has no schema"));
        assert!(!schema.is_empty(), "the schema accepts {path}");
    }
}

/// Files `cutover validate` refuses for what a schema cannot say, each with why: they
/// pass the schema, and the tool, the authority, refuses them.
const BEYOND_THE_SCHEMA: &[(&str, &str)] = &[
    (
        "tests/fixtures/diagnostics/E041-invalid-instant.yaml",
        "a date that does not exist (30 February)",
    ),
    (
        "tests/fixtures/diagnostics/E021-unknown-dependency.yaml",
        "a reference to a task that is not there",
    ),
    (
        "tests/fixtures/diagnostics/E022-dependency-cycle.yaml",
        "a cycle of dependencies",
    ),
    (
        "tests/fixtures/diagnostics/E020-duplicate-id.yaml",
        "two tasks with one id",
    ),
    (
        "tests/fixtures/diagnostics/E044-deadline-before-not-before.yaml",
        "instants in the wrong order",
    ),
    (
        "tests/fixtures/diagnostics/E060-milestone-with-duration.yaml",
        "a rule between two fields",
    ),
    (
        "tests/fixtures/diagnostics/E066-missing-go-live-milestone.yaml",
        "a rule over the whole plan",
    ),
];

#[test]
fn what_the_schema_cannot_say_is_left_to_the_tool() {
    let files: Vec<std::path::PathBuf> = BEYOND_THE_SCHEMA.iter().map(|(f, _)| f.into()).collect();
    let errors = tool_errors(&files);
    for (file, why) in BEYOND_THE_SCHEMA {
        assert!(
            errors.get(*file).is_some_and(|&e| e > 0),
            "cutover validate accepts {file}"
        );
        let schema = schema_errors(std::path::Path::new(file)).unwrap();
        assert!(
            schema.is_empty(),
            "{file} ({why}) now fails the schema: {schema:#?}; move it to REJECTED"
        );
    }
}

#[test]
fn every_form_the_tool_reads_passes_the_schema_and_the_tool() {
    let files = yaml_files("tests/fixtures/schemas/accept");
    assert!(files.len() >= 5, "{files:?}");
    let errors = tool_errors(&files);
    for file in &files {
        let path = file.to_str().unwrap();
        assert_eq!(
            errors.get(path),
            Some(&0),
            "cutover validate refuses {path}"
        );
        let schema = schema_errors(file).unwrap_or_else(|| panic!("{path} has no schema"));
        assert!(schema.is_empty(), "{path}: {schema:#?}");
    }
}
