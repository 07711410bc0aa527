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
    yaml && !is_status_name(path)
}

/// What `validate` pairs: `--runbook` for the status files named, `--status` for the
/// runbook named.
#[derive(Debug, Default)]
pub(crate) struct Pairing {
    /// The runbook to check every status file named against (`--runbook`).
    pub runbook: Option<PathBuf>,
    /// A status file to check against the one runbook named (`--status`).
    pub status: Option<PathBuf>,
}

/// Loads and validates every discovered runbook, and checks every status file named
/// (see [`status_check`]). Files found in a directory that another runbook includes
/// are checked as part of that runbook only.
pub(crate) fn check_all(
    discovered: &Discovered,
    pairing: &Pairing,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<(Vec<FileCheck>, Vec<StatusCheck>), ReadError> {
    let mut checks = Vec::new();
    let mut files = Vec::new();
    let mut status_checks = Vec::new();
    for (path, from_directory) in &discovered.files {
        let first = sources.len();
        if is_status_file(path) {
            let (check, of_runbook, pairing) =
                status_check(path, pairing.runbook.as_deref(), limits, sources)?;
            // Only the runbook's errors are shown: they are why the status file was
            // checked alone. `cutover validate RUNBOOK` lists its warnings.
            let pair = of_runbook.filter(|c| c.errors() > 0);
            for c in pair.into_iter().chain([check]) {
                files.push((false, vec![c.path.clone()]));
                checks.push(c);
            }
            status_checks.push(pairing);
            continue;
        }
        let loaded = load_runbook(path, sources, limits)?;
        files.push((
            *from_directory,
            sources
                .iter()
                .skip(first)
                .map(|(_, f)| f.path.clone())
                .collect::<Vec<_>>(),
        ));
        let mut diagnostics = loaded.diagnostics;
        let load_failed = diagnostics.iter().any(Diagnostic::is_error);
        let mut status = None;
        if let Some(runbook) = loaded.runbook {
            let mut validated = validate(&runbook);
            diagnostics.append(&mut validated.diagnostics);
            if let (Some(status_path), Some(project), false) =
                (&pairing.status, &validated.project, load_failed)
            {
                status = Some(status_against(project, status_path, limits, sources)?);
            }
            let tasks = runbook.tasks.len();
            crate::background::drop_large((runbook, validated), tasks);
        }
        if let Some(status_path) = &pairing.status {
            let (check, found_by) = match status {
                Some(check) => (check, FoundBy::Status),
                None => (
                    status_alone(status_path, limits, sources)?,
                    FoundBy::RunbookInvalid,
                ),
            };
            status_checks.push(StatusCheck {
                path: status_path.clone(),
                runbook: Some(path.clone()),
                found_by,
            });
            sort(&mut diagnostics);
            checks.push(FileCheck {
                path: path.clone(),
                diagnostics,
            });
            files.push((false, vec![check.path.clone()]));
            checks.push(check);
            continue;
        }
        sort(&mut diagnostics);
        checks.push(FileCheck {
            path: path.clone(),
            diagnostics,
        });
    }
    let skip = included_elsewhere(
        &files
            .iter()
            .map(|(from_directory, files)| (*from_directory, files.as_slice()))
            .collect::<Vec<_>>(),
    );
    Ok((
        checks
            .into_iter()
            .zip(skip)
            .filter(|(_, skip)| !skip)
            .map(|(check, _)| check)
            .collect(),
        status_checks,
    ))
}

/// A status file named to `validate`, and the runbook it was checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCheck {
    /// The status file.
    pub path: PathBuf,
    /// The runbook it was checked against, if one was found.
    pub runbook: Option<PathBuf>,
    /// How that runbook was found, or why the status file was checked alone.
    pub found_by: FoundBy,
}

/// How `validate` found the runbook a status file goes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundBy {
    /// Given with `--runbook`.
    Argument,
    /// `validate RUNBOOK --status FILE`.
    Status,
    /// The file beside it with the same name without `.status` (`x.yaml` for
    /// `x.status.yaml`).
    SameName,
    /// A runbook in the same folder whose `runbook:` name is the status file's
    /// `runbook:`.
    RunbookField,
    /// No runbook found: checked alone.
    NotFound,
    /// The runbook found has errors: checked alone.
    RunbookInvalid,
}

impl FoundBy {
    /// How the pairing came about, in words (after "checked against RUNBOOK").
    pub fn label(self) -> &'static str {
        match self {
            FoundBy::Argument => "given with --runbook",
            FoundBy::Status => "given as the runbook of --status",
            FoundBy::SameName => "the runbook of the same name beside it",
            FoundBy::RunbookField => "the runbook in its folder named by its `runbook:` field",
            FoundBy::NotFound => "no runbook found",
            FoundBy::RunbookInvalid => "the runbook has errors",
        }
    }

    /// The JSON value: `argument`, `status`, `same_name`, `runbook_field`, `not_found`,
    /// `runbook_invalid`.
    pub fn name(self) -> &'static str {
        match self {
            FoundBy::Argument => "argument",
            FoundBy::Status => "status",
            FoundBy::SameName => "same_name",
            FoundBy::RunbookField => "runbook_field",
            FoundBy::NotFound => "not_found",
            FoundBy::RunbookInvalid => "runbook_invalid",
        }
    }

    /// True when the status file was checked against a runbook.
    pub fn paired(self) -> bool {
        !matches!(self, FoundBy::NotFound | FoundBy::RunbookInvalid)
    }
}

/// How much of a file is read to tell a status file from a runbook.
const SNIFF_BYTES: u64 = 64 * 1024;

/// The first [`SNIFF_BYTES`] of `path`, as text (empty if unreadable).
fn head(path: &Path) -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(SNIFF_BYTES).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The value of the top-level `key:` in `text`, unquoted, if written on one line.
fn top_level(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value = rest.split(" #").next().unwrap_or("").trim();
        let unquoted = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        Some(unquoted.to_owned())
    })
}

/// A status file: named `*.status.yaml` (or `.yml`), or with a top-level `as_of:`
/// near its start, which no runbook has.
pub(crate) fn is_status_file(path: &Path) -> bool {
    if is_status_name(path) {
        return true;
    }
    let text = head(path);
    top_level(&text, "as_of").is_some() && top_level(&text, "timezone").is_none()
}

fn is_status_name(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| Path::new(s).extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("status"))
}

/// The runbook a status file goes with: `x.yaml` (or `x.yml`) beside `x.status.yaml`,
/// else the one runbook in the same folder whose `runbook:` is the status file's.
pub(crate) fn find_runbook(status: &Path) -> Option<(PathBuf, FoundBy)> {
    let name = status.file_name()?.to_str()?;
    let dir = status.parent().filter(|d| !d.as_os_str().is_empty());
    let in_dir = |n: &str| dir.map_or_else(|| PathBuf::from(n), |d| d.join(n));
    let lower = name.to_ascii_lowercase();
    for suffix in [".status.yaml", ".status.yml"] {
        if lower.ends_with(suffix) {
            let stem = &name[..name.len() - suffix.len()];
            for ext in ["yaml", "yml"] {
                let candidate = in_dir(&format!("{stem}.{ext}"));
                if candidate.is_file() {
                    return Some((candidate, FoundBy::SameName));
                }
            }
        }
    }
    let wanted = top_level(&head(status), "runbook")?;
    let folder = dir.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut found: Vec<PathBuf> = std::fs::read_dir(&folder)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_runbook_name(p) && p.as_path() != status)
        .filter(|p| {
            let text = head(p);
            top_level(&text, "as_of").is_none()
                && top_level(&text, "runbook").is_some_and(|n| n == wanted)
        })
        .collect();
    found.sort();
    // Two runbooks of one name: which one is meant cannot be told.
    (found.len() == 1).then(|| (found.remove(0), FoundBy::RunbookField))
}

/// Checks the status file at `path`: against `runbook` if given, else against the one
/// [`find_runbook`] finds, else alone. Returns the status file's check, the runbook's
/// (when one was read) and how they were paired.
fn status_check(
    path: &Path,
    runbook: Option<&Path>,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<(FileCheck, Option<FileCheck>, StatusCheck), ReadError> {
    let found = match runbook {
        Some(r) => Some((r.to_path_buf(), FoundBy::Argument)),
        None => find_runbook(path),
    };
    let Some((runbook_path, found_by)) = found else {
        let check = status_alone(path, limits, sources)?;
        return Ok((
            check,
            None,
            StatusCheck {
                path: path.to_path_buf(),
                runbook: None,
                found_by: FoundBy::NotFound,
            },
        ));
    };
    let loaded = load_runbook(&runbook_path, sources, limits)?;
    let mut diagnostics = loaded.diagnostics;
    let load_failed = diagnostics.iter().any(Diagnostic::is_error);
    let mut status = None;
    if let Some(model) = loaded.runbook {
        let mut validated = validate(&model);
        diagnostics.append(&mut validated.diagnostics);
        if let (Some(project), false) = (&validated.project, load_failed) {
            status = Some(status_against(project, path, limits, sources)?);
        }
        let tasks = model.tasks.len();
        crate::background::drop_large((model, validated), tasks);
    }
    sort(&mut diagnostics);
    let of_runbook = FileCheck {
        path: runbook_path.clone(),
        diagnostics,
    };
    let (check, found_by) = match status {
        Some(check) => (check, found_by),
        None => (
            status_alone(path, limits, sources)?,
            FoundBy::RunbookInvalid,
        ),
    };
    Ok((
        check,
        Some(of_runbook),
        StatusCheck {
            path: path.to_path_buf(),
            runbook: Some(runbook_path),
            found_by,
        },
    ))
}

/// The status file at `path` (and its event log) resolved against `project`.
fn status_against(
    project: &crate::project::Project,
    path: &Path,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<FileCheck, ReadError> {
    let mut diagnostics = Vec::new();
    crate::pipeline::read_status(project, path, None, limits, sources, &mut diagnostics)?;
    sort(&mut diagnostics);
    Ok(FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    })
}

/// The status file at `path` checked without a runbook: its structure, data date,
/// instants and durations ([`crate::status::check_alone`]).
fn status_alone(
    path: &Path,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<FileCheck, ReadError> {
    let (file, problem) = crate::load::load_status(path, sources, limits)?;
    let id = crate::source::FileId(sources.len().saturating_sub(1) as u32);
    let mut diagnostics: Vec<Diagnostic> = problem.into_iter().collect();
    if let Some(file) = file {
        diagnostics.extend(crate::status::check_alone(&file, id));
    }
    sort(&mut diagnostics);
    Ok(FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    })
}

/// For each runbook read (whether it was found by walking or a glob, and its files:
/// itself first, then what it includes), whether it is only a part of another.
///
/// A file found by walking or a glob is checked only as part of a runbook that
/// includes it, unless the two include each other (a loop: both report it).
pub(crate) fn included_elsewhere(runbooks: &[(bool, &[PathBuf])]) -> Vec<bool> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let read: Vec<(PathBuf, HashSet<PathBuf>)> = runbooks
        .iter()
        .map(|(_, files)| {
            let me = files.first().map(|p| canonical(p)).unwrap_or_default();
            let includes = files
                .iter()
                .skip(1)
                .map(|p| canonical(p))
                .filter(|p| *p != me)
                .collect();
            (me, includes)
        })
        .collect();
    read.iter()
        .zip(runbooks)
        .map(|((me, mine), (from_directory, _))| {
            *from_directory
                && read.iter().any(|(other, theirs)| {
                    other != me && theirs.contains(me) && !mine.contains(other)
                })
        })
        .collect()
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
