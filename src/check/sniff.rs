//! What kind of YAML file a path holds, told from its first lines without parsing it:
//! a runbook, a part of one (a file named in an `include:`), a status file, or
//! something else (a CI workflow, a pre-commit configuration…).
//!
//! The rules, in order (documented in `docs/runbook-format.md`, "Which files
//! `validate` checks"):
//! 1. a name ending `.status.yaml` or `.status.yml`: a status file;
//! 2. an editor modeline naming one of cutover's schemas
//!    (`# yaml-language-server: $schema=…/include.schema.json`): that kind;
//! 3. a `# cutover-runbook: PATH` comment: a part of the runbook at `PATH`;
//! 4. a top-level `as_of:`, `metrics:` or `signoffs:` and no `timezone:`: a status file;
//! 5. a top-level key only a runbook has (`runbook:`, `timezone:`, `go_live:`…): a runbook;
//! 6. a top-level key a part has (`tasks:`, `workstreams:`, `calendars:`, `gates:`,
//!    `scenarios:`, `include:`): a part;
//! 7. no top-level key seen at all (an empty file, not text, a flow mapping `{…}`):
//!    read as a runbook, so that whatever is wrong with it is reported;
//! 8. anything else: not a cutover file.

use std::path::Path;

/// Keys only a runbook has at its top level: one of them makes a file a runbook.
const RUNBOOK_KEYS: &[&str] = &[
    "runbook",
    "organisation",
    "timezone",
    "go_live",
    "default_calendar",
    "thresholds",
    "cost_of_delay",
];

/// Keys a part of a runbook (and a runbook) has at its top level.
const PART_KEYS: &[&str] = &[
    "include",
    "calendars",
    "workstreams",
    "tasks",
    "gates",
    "scenarios",
];

/// Keys only a status file has at its top level.
const STATUS_KEYS: &[&str] = &["as_of", "metrics", "signoffs"];

/// Keys cutover's formats have that are common words in other tools' files too
/// (`version:`, `start:`, `run:`…): they neither make a file a cutover file nor make it
/// foreign.
const COMMON_KEYS: &[&str] = &[
    "version",
    "start",
    "window",
    "uncertainty",
    "lint",
    "run",
    "rehearsal",
    "log",
];

/// The comment that says which runbook a part belongs to: `# cutover-runbook: ../acute.yaml`.
pub(crate) const MARKER: &str = "cutover-runbook:";

/// What a YAML file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Runbook,
    /// A file a runbook includes.
    Part {
        /// The runbook named by a [`MARKER`] comment, with where the path is written.
        marker: Option<Marker>,
        /// Top-level keys no cutover file has (a part with `tasks:` may still be another
        /// tool's file, such as a Taskfile).
        foreign: Vec<String>,
    },
    Status,
    /// Not a cutover file: its top-level keys, as found.
    Other {
        keys: Vec<String>,
    },
}

/// A [`MARKER`] comment: the path it names and where that path is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    pub path: String,
    /// 1-based line and column (in characters) of the path, and its byte offset.
    pub line: u32,
    pub col: u32,
    pub offset: u32,
}

/// Tells what `text` (the start of the file at `path`) holds.
pub(crate) fn kind(path: &Path, text: &str) -> Kind {
    if is_status_name(path) {
        return Kind::Status;
    }
    if let Some(kind) = modeline_kind(text) {
        return kind;
    }
    if let Some(marker) = marker(text) {
        return Kind::Part {
            marker: Some(marker),
            foreign: Vec::new(),
        };
    }
    let keys = top_level_keys(text);
    let has = |set: &[&str]| keys.iter().any(|k| set.contains(&k.as_str()));
    if has(STATUS_KEYS) && !keys.iter().any(|k| k == "timezone") {
        return Kind::Status;
    }
    if has(RUNBOOK_KEYS) {
        return Kind::Runbook;
    }
    if has(PART_KEYS) {
        let foreign = keys
            .iter()
            .filter(|k| {
                ![PART_KEYS, COMMON_KEYS]
                    .iter()
                    .any(|set| set.contains(&k.as_str()))
            })
            .cloned()
            .collect();
        return Kind::Part {
            marker: None,
            foreign,
        };
    }
    if keys.is_empty() {
        return Kind::Runbook;
    }
    Kind::Other { keys }
}

/// A name ending `.status.yaml` or `.status.yml` (any case).
pub(crate) fn is_status_name(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| Path::new(s).extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("status"))
}

/// The kind a `# yaml-language-server: $schema=…` modeline names, if it names one of
/// the schemas `cutover schema` writes.
fn modeline_kind(text: &str) -> Option<Kind> {
    let schema = comments(text).find_map(|(_, c)| {
        let rest = c.trim_start().strip_prefix("yaml-language-server:")?;
        Some(rest.trim().strip_prefix("$schema=")?.trim().to_owned())
    })?;
    let file = schema.rsplit(['/', '\\']).next().unwrap_or(&schema);
    match file {
        "runbook.schema.json" => Some(Kind::Runbook),
        "status.schema.json" => Some(Kind::Status),
        "include.schema.json" => Some(Kind::Part {
            marker: marker(text),
            foreign: Vec::new(),
        }),
        _ => None,
    }
}

/// The [`MARKER`] comment, if the file has one.
fn marker(text: &str) -> Option<Marker> {
    comments(text).find_map(|(line_start, comment)| {
        let after_hash = comment.trim_start();
        let rest = after_hash.strip_prefix(MARKER)?;
        let path = rest.trim();
        if path.is_empty() {
            return None;
        }
        let path_start = line_start + (comment.len() - after_hash.len()) + MARKER.len();
        let path_start = path_start + (rest.len() - rest.trim_start().len());
        let line = text[..path_start].matches('\n').count() + 1;
        let line_begin = text[..path_start].rfind('\n').map_or(0, |i| i + 1);
        let col = text[line_begin..path_start].chars().count() + 1;
        Some(Marker {
            path: path.to_owned(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
            offset: u32::try_from(path_start).unwrap_or(u32::MAX),
        })
    })
}

/// The comment lines at the top of `text` (before the first line of YAML), as the
/// byte offset just after their `#` and the text after it.
fn comments(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .map(move |line| {
            let start = offset;
            offset += line.len();
            (start, line.trim_end_matches(['\n', '\r']))
        })
        .take_while(|(_, line)| {
            let t = line.trim();
            t.is_empty() || t.starts_with('#') || t == "---"
        })
        .filter_map(|(start, line)| {
            let indent = line.len() - line.trim_start().len();
            let comment = line.trim_start().strip_prefix('#')?;
            Some((start + indent + 1, comment))
        })
}

/// The keys of the top-level mapping: lines that start in column 1 with `key:`.
fn top_level_keys(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for line in text.lines() {
        let Some(first) = line.chars().next() else {
            continue;
        };
        if !(first.is_ascii_alphabetic() || first == '_' || first == '"' || first == '\'') {
            continue;
        }
        let unquoted = line.trim_start_matches(['"', '\'']);
        let end = unquoted
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .unwrap_or(unquoted.len());
        let (key, rest) = unquoted.split_at(end);
        let rest = rest.trim_start_matches(['"', '\'']);
        let is_key = rest
            .strip_prefix(':')
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t']));
        if is_key && !key.is_empty() && !keys.iter().any(|k| k == key) {
            keys.push(key.to_owned());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(name: &str, text: &str) -> Kind {
        kind(Path::new(name), text)
    }

    fn part(foreign: &[&str]) -> Kind {
        Kind::Part {
            marker: None,
            foreign: foreign.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn runbooks_parts_and_status_files_are_told_apart_by_their_keys() {
        let runbook = "# A runbook\nrunbook: Acute\ntimezone: Europe/London\ntasks:\n  - id: a\n";
        assert_eq!(of("acute.yaml", runbook), Kind::Runbook);
        // A misspelt key does not stop a runbook being one.
        assert_eq!(of("a.yaml", "runbok: A\ntimezone: UTC\n"), Kind::Runbook);
        assert_eq!(
            of("t.yaml", "workstreams:\n  t: {}\ntasks: []\n"),
            part(&[])
        );
        assert_eq!(
            of("s.yaml", "runbook: Acute\nas_of: 2027-01-01T09:00\n"),
            Kind::Status
        );
        assert_eq!(of("x.status.yaml", "anything: 1\n"), Kind::Status);
        // A status file whose `as_of:` is misspelt is still one by its other keys.
        assert_eq!(
            of("s.yaml", "runbook: A\nas-of: x\nmetrics: {}\n"),
            Kind::Status
        );
    }

    #[test]
    fn other_tools_files_are_not_cutover_files() {
        let precommit = "repos:\n  - repo: local\n    hooks:\n      - id: x\n";
        assert_eq!(
            of(".pre-commit-config.yaml", precommit),
            Kind::Other {
                keys: vec!["repos".to_owned()]
            }
        );
        let workflow = "name: CI\non:\n  push:\njobs:\n  test:\n    runs-on: ubuntu-latest\n";
        assert!(matches!(of("ci.yml", workflow), Kind::Other { .. }));
        let compose = "version: '3'\nservices:\n  db: {}\n";
        assert!(matches!(of("compose.yaml", compose), Kind::Other { .. }));
        // With no key to go by, a file is read as a runbook, to report what is wrong.
        assert_eq!(of("empty.yaml", ""), Kind::Runbook);
        assert_eq!(of("flow.yaml", "{runbook: A, tasks: []}\n"), Kind::Runbook);
        // A Taskfile has `tasks:`, and keys no cutover file has.
        let taskfile = "version: '3'\nvars:\n  X: 1\ntasks:\n  build: {}\n";
        assert_eq!(of("Taskfile.yml", taskfile), part(&["vars"]));
    }

    #[test]
    fn a_modeline_or_a_marker_decides() {
        let text = "# yaml-language-server: $schema=../include.schema.json\ntimezone: x\n";
        assert_eq!(of("p.yaml", text), part(&[]));
        let text = "# yaml-language-server: $schema=./status.schema.json\ntasks: {}\n";
        assert_eq!(of("p.yaml", text), Kind::Status);
        let text = "# Training.\n#  cutover-runbook:  ../acute.yaml\ntasks: []\n";
        assert_eq!(
            of("p.yaml", text),
            Kind::Part {
                marker: Some(Marker {
                    path: "../acute.yaml".to_owned(),
                    line: 2,
                    col: 22,
                    offset: 33,
                }),
                foreign: Vec::new(),
            }
        );
        assert_eq!(&text[33..46], "../acute.yaml");
        // Only the comments before the YAML count.
        let text = "tasks: []\n# cutover-runbook: ../acute.yaml\n";
        assert_eq!(of("p.yaml", text), part(&[]));
    }

    #[test]
    fn top_level_keys_are_those_in_column_one() {
        let text = "a: 1\n  b: 2\n- c: 3\n\"d\": 4\ne:\nf:x\n# g: 1\nh-i.j: k\n";
        assert_eq!(top_level_keys(text), ["a", "d", "e", "h-i.j"]);
    }
}
