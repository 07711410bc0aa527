//! `validate` over many paths: finds the runbooks among files, directories and globs,
//! then loads and validates each.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Level};
use crate::load::{Limits, ReadError, load_runbook};
use crate::source::Sources;
use crate::validate::validate;

/// The diagnostics of one runbook (and the files it includes).
#[derive(Debug, Clone)]
pub struct FileCheck {
    /// The runbook's path as given (or as found in a directory or glob).
    pub path: PathBuf,
    /// Every problem in the runbook and the files it includes, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileCheck {
    /// How many of the problems are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count()
    }

    /// How many of the problems are warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.level == Level::Warning)
            .count()
    }
}

/// A path argument that names nothing readable.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DiscoverError {
    #[error("no such file or directory: {0}")]
    Missing(String),
    #[error("invalid glob pattern `{pattern}`: {message}")]
    BadPattern { pattern: String, message: String },
    #[error("`{0}` matches no file")]
    NoMatch(String),
    #[error("cannot read directory {}: {message}", path.display())]
    Unreadable { path: PathBuf, message: String },
}

/// Files to check: those named, plus `*.yaml`/`*.yml` found in directories or by globs
/// (except `*.status.yaml` status files). `from_directory` marks files found by
/// walking or globbing, which are skipped if another runbook includes them.
#[derive(Debug, Default)]
pub(crate) struct Discovered {
    pub files: Vec<(PathBuf, bool)>,
}

/// Expands the `validate` arguments into files, in a stable order, without repeats.
pub(crate) fn discover(inputs: &[String]) -> Result<Discovered, DiscoverError> {
    let mut seen = HashSet::new();
    let mut out = Discovered::default();
    let mut add = |path: PathBuf, from_directory: bool, out: &mut Discovered| {
        let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            out.files.push((path, from_directory));
        }
    };
    for input in inputs {
        let path = Path::new(input);
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| DiscoverError::Unreadable {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
                if entry.file_type().is_file() && is_runbook_name(entry.path()) {
                    found.push(entry.into_path());
                }
            }
            for f in found {
                add(f, true, &mut out);
            }
        } else if path.exists() {
            add(path.to_path_buf(), false, &mut out);
        } else if input.contains(['*', '?', '[']) {
            let matches = glob::glob(input).map_err(|e| DiscoverError::BadPattern {
                pattern: input.clone(),
                message: e.to_string(),
            })?;
            let mut any = false;
            for m in matches.flatten() {
                if m.is_file() && is_runbook_name(&m) {
                    any = true;
                    add(m, true, &mut out);
                }
            }
            if !any {
                return Err(DiscoverError::NoMatch(input.clone()));
            }
        } else {
            return Err(DiscoverError::Missing(input.clone()));
        }
    }
    Ok(out)
}

fn is_runbook_name(path: &Path) -> bool {
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let status = path
        .file_stem()
        .and_then(|s| Path::new(s).extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("status"));
    yaml && !status
}

/// Loads and validates every discovered runbook. Files found in a directory that
/// another runbook includes are checked as part of that runbook only.
pub(crate) fn check_all(
    discovered: &Discovered,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<Vec<FileCheck>, ReadError> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut checks = Vec::new();
    for (path, from_directory) in &discovered.files {
        let first = sources.len();
        let loaded = load_runbook(path, sources, limits)?;
        let me = canonical(path);
        let includes: HashSet<PathBuf> = sources
            .iter()
            .skip(first + 1)
            .map(|(_, file)| canonical(&file.path))
            .filter(|p| *p != me)
            .collect();
        let mut diagnostics = loaded.diagnostics;
        if let Some(runbook) = loaded.runbook {
            let mut validated = validate(&runbook);
            diagnostics.append(&mut validated.diagnostics);
            let tasks = runbook.tasks.len();
            crate::background::drop_large((runbook, validated), tasks);
        }
        sort(&mut diagnostics);
        checks.push((
            me,
            *from_directory,
            includes,
            FileCheck {
                path: path.clone(),
                diagnostics,
            },
        ));
    }
    // A file found by walking or a glob is checked only as part of a runbook that
    // includes it, unless the two include each other (a loop: both report it).
    let skip: Vec<bool> = checks
        .iter()
        .map(|(me, from_directory, mine, _)| {
            *from_directory
                && checks.iter().any(|(other, _, theirs, _)| {
                    other != me && theirs.contains(me) && !mine.contains(other)
                })
        })
        .collect();
    Ok(checks
        .into_iter()
        .zip(skip)
        .filter(|(_, skip)| !skip)
        .map(|((_, _, _, check), _)| check)
        .collect())
}

/// Orders diagnostics by file and position (stable for ties).
pub(crate) fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.origin.map(|o| (o.file, o.span.line, o.span.col)));
}

/// `--strict`: every warning becomes an error.
pub(crate) fn make_strict(checks: &mut [FileCheck]) {
    for d in checks.iter_mut().flat_map(|c| c.diagnostics.iter_mut()) {
        d.level = Level::Error;
    }
}
