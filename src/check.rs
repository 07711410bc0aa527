//! `validate` over many paths: finds the runbooks among files, directories and globs,
//! then loads and validates each.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

mod part_of;
mod sniff;

use part_of::Owners;
pub use part_of::PartFoundBy;
use sniff::Kind;

use crate::diagnostic::{Code, Diagnostic, Level};
use crate::load::{Limits, ReadError, load_runbook};
use crate::source::{FileId, Origin, Sources, Span};
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
        let key = canonical(&path);
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
    is_yaml_name(path) && !sniff::is_status_name(path)
}

/// A name ending `.yaml` or `.yml` (any case).
fn is_yaml_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `` `a`, `b` `` for a list of keys.
fn keys_list(keys: &[String]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    quoted.join(", ")
}

/// Why a file is not a cutover file, in words.
fn not_cutover(keys: &[String]) -> String {
    format!(
        "not a runbook, a part of one or a status file: none of its top-level keys ({}) is one cutover reads",
        keys_list(keys)
    )
}

/// Where a file's YAML starts: its first line that is not blank or a comment.
fn first_yaml_line(sources: &Sources, id: FileId) -> Origin {
    let text = sources.get(id).map_or("", |f| f.text.as_str());
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if !(t.is_empty() || t.starts_with('#') || t == "---") {
            let content = line.trim_end_matches(['\n', '\r']);
            return Origin {
                file: id,
                span: Span {
                    line: u32::try_from(n + 1).unwrap_or(u32::MAX),
                    col: 1,
                    offset: u32::try_from(offset).unwrap_or(u32::MAX),
                    len: u32::try_from(content.len()).unwrap_or(u32::MAX),
                },
            };
        }
        offset += line.len();
    }
    Origin {
        file: id,
        span: Span {
            line: 1,
            col: 1,
            offset: 0,
            len: 0,
        },
    }
}

/// E012: a file named to `validate` that is not a cutover file.
fn not_a_cutover_file(sources: &Sources, id: FileId, path: &Path, keys: &[String]) -> Diagnostic {
    Diagnostic::at(
        Code::NotACutoverFile,
        first_yaml_line(sources, id),
        format!("`{}` is {}", path.display(), not_cutover(keys)),
    )
    .with_label("not a cutover file")
    .with_help(
        "name only runbooks, the files they include and status files; with --skip-other-yaml \
         (as the pre-commit hook runs) other YAML files are skipped with a note",
    )
}

/// E011: a part of a runbook whose `# cutover-runbook:` comment names a file that is
/// not a runbook including it.
fn bad_marker(id: FileId, path: &Path, marker: &sniff::Marker, why: &str) -> Diagnostic {
    let span = Span {
        line: marker.line,
        col: marker.col,
        offset: marker.offset,
        len: u32::try_from(marker.path.len()).unwrap_or(u32::MAX),
    };
    Diagnostic::at(
        Code::PartWithoutRunbook,
        Origin { file: id, span },
        format!(
            "`{}` names its runbook `{}`, but {why}",
            path.display(),
            marker.path
        ),
    )
    .with_label("the runbook this file is part of")
    .with_help(
        "the path is relative to this file, e.g. `# cutover-runbook: ../northgate-acute.yaml`",
    )
}

/// E011: a part of a runbook that no runbook in the folders `searched` includes.
fn no_runbook_found(
    sources: &Sources,
    id: FileId,
    path: &Path,
    searched: &[PathBuf],
) -> Diagnostic {
    let searched: Vec<String> = searched
        .iter()
        .map(|d| format!("`{}`", d.display()))
        .collect();
    Diagnostic::at(
        Code::PartWithoutRunbook,
        first_yaml_line(sources, id),
        format!(
            "`{}` is a part of a runbook (it has no `runbook:` or `timezone:`), but no runbook that includes it was found",
            path.display()
        ),
    )
    .with_label("a part of a runbook: checked only with the runbook that includes it")
    .with_help(format!(
        "searched {}; validate the runbook that includes it, or name it at the top of this file: \
         `# cutover-runbook: ../runbook.yaml` (relative to this file)",
        searched.join(", ")
    ))
}

/// How `validate` treats the files named: which status file goes with which runbook,
/// and whether files that are not cutover files are skipped.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// The runbook to check every status file named against (`--runbook`).
    pub runbook: Option<PathBuf>,
    /// A status file to check against the one runbook named (`--status`).
    pub status: Option<PathBuf>,
    /// Skip, with a note, YAML files named that are not runbooks, parts of runbooks or
    /// status files (`--skip-other-yaml`, for hooks); files found in a directory or by
    /// a glob are always skipped so.
    pub skip_other_yaml: bool,
}

/// What `validate` found: the checks of runbooks and status files, with how status
/// files and parts were paired with their runbooks, and the files skipped.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    /// Each runbook and status file checked, with its problems.
    pub checks: Vec<FileCheck>,
    /// The status files among `checks`, with the runbook each was checked against.
    pub status_files: Vec<StatusCheck>,
    /// Parts of runbooks named, and the runbooks they were checked as part of.
    pub parts: Vec<PartCheck>,
    /// YAML files that are not cutover files, skipped.
    pub skipped: Vec<Skipped>,
}

/// A part of a runbook (a file named in an `include:`) named to `validate`: it is
/// checked as part of the runbooks that include it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartCheck {
    /// The part, as named.
    pub path: PathBuf,
    /// The runbooks checked with it.
    pub runbooks: Vec<PathBuf>,
    /// How they were found.
    pub found_by: PartFoundBy,
}

/// A YAML file `validate` did not check, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file, as named or found.
    pub path: PathBuf,
    /// Why, in words.
    pub reason: String,
}

/// Loads and validates every discovered runbook, and checks every status file named
/// (see [`status_check`]). Files found in a directory that another runbook includes
/// are checked as part of that runbook only. A part of a runbook is checked as part of
/// the runbooks that include it ([`part_of::owners`]); a file that is not a cutover
/// file ([`sniff::kind`]) is skipped when found in a directory or by a glob, or with
/// `skip_other_yaml`, and an error when named.
pub(crate) fn check_all(
    discovered: &Discovered,
    options: &Options,
    limits: &Limits,
    sources: &mut Sources,
) -> Result<Checked, ReadError> {
    let mut out = Checked::default();
    // For each check, whether it was found by walking and the files it read.
    let mut files: Vec<(bool, Vec<PathBuf>)> = Vec::new();
    let mut parts = Vec::new();
    for (path, from_directory) in &discovered.files {
        match sniff::kind(path, &head(path)) {
            Kind::Status => {
                let (check, of_runbook, pairing) =
                    status_check(path, options.runbook.as_deref(), limits, sources)?;
                // Only the runbook's errors are shown: they are why the status file
                // was checked alone. `cutover validate RUNBOOK` lists its warnings.
                let pair = of_runbook.filter(|c| c.errors() > 0);
                for c in pair.into_iter().chain([check]) {
                    files.push((false, vec![c.path.clone()]));
                    out.checks.push(c);
                }
                out.status_files.push(pairing);
            }
            Kind::Runbook => {
                check_runbook(
                    path,
                    *from_directory,
                    options,
                    limits,
                    sources,
                    &mut out,
                    &mut files,
                )?;
            }
            Kind::Part { marker, foreign } => parts.push((path, *from_directory, marker, foreign)),
            Kind::Other { keys } => {
                if *from_directory || options.skip_other_yaml {
                    out.skipped.push(Skipped {
                        path: path.clone(),
                        reason: not_cutover(&keys),
                    });
                } else {
                    let id = sources.add(path.clone(), head(path));
                    let problem = not_a_cutover_file(sources, id, path, &keys);
                    lone_problem(path, problem, &mut out, &mut files);
                }
            }
        }
    }
    for (path, from_directory, marker, foreign) in parts {
        check_part(
            path,
            from_directory,
            marker.as_ref(),
            &foreign,
            options,
            limits,
            sources,
            &mut out,
            &mut files,
        )?;
    }
    let skip = included_elsewhere(
        &files
            .iter()
            .map(|(from_directory, files)| (*from_directory, files.as_slice()))
            .collect::<Vec<_>>(),
    );
    out.checks = std::mem::take(&mut out.checks)
        .into_iter()
        .zip(skip)
        .filter(|(_, skip)| !skip)
        .map(|(check, _)| check)
        .collect();
    Ok(out)
}

/// A file checked alone, whose one problem is what it is (E011, E012).
fn lone_problem(
    path: &Path,
    problem: Diagnostic,
    out: &mut Checked,
    files: &mut Vec<(bool, Vec<PathBuf>)>,
) {
    files.push((false, vec![path.to_path_buf()]));
    out.checks.push(FileCheck {
        path: path.to_path_buf(),
        diagnostics: vec![problem],
    });
}

/// Loads and validates the runbook at `path` (with the status file of `--status`),
/// adding its check (and the status file's) to `out` and the files it read to `files`.
fn check_runbook(
    path: &Path,
    from_directory: bool,
    options: &Options,
    limits: &Limits,
    sources: &mut Sources,
    out: &mut Checked,
    files: &mut Vec<(bool, Vec<PathBuf>)>,
) -> Result<(), ReadError> {
    let first = sources.len();
    let loaded = load_runbook(path, sources, limits)?;
    files.push((
        from_directory,
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
            (&options.status, &validated.project, load_failed)
        {
            status = Some(status_against(project, status_path, limits, sources)?);
        }
        let tasks = runbook.tasks.len();
        crate::background::drop_large((runbook, validated), tasks);
    }
    sort(&mut diagnostics);
    out.checks.push(FileCheck {
        path: path.to_path_buf(),
        diagnostics,
    });
    if let Some(status_path) = &options.status {
        let (check, found_by) = match status {
            Some(check) => (check, FoundBy::Status),
            None => (
                status_alone(status_path, limits, sources)?,
                FoundBy::RunbookInvalid,
            ),
        };
        out.status_files.push(StatusCheck {
            path: status_path.clone(),
            runbook: Some(path.to_path_buf()),
            found_by,
        });
        files.push((false, vec![check.path.clone()]));
        out.checks.push(check);
    }
    Ok(())
}

/// Checks the part at `path` as part of the runbooks that include it: those already
/// checked, else those [`part_of::owners`] finds. With none, the part is an error
/// (E011), or skipped as another tool's file when it has keys no cutover file has.
#[allow(
    clippy::too_many_arguments,
    reason = "the state of check_all, passed on"
)]
fn check_part(
    path: &Path,
    from_directory: bool,
    marker: Option<&sniff::Marker>,
    foreign: &[String],
    options: &Options,
    limits: &Limits,
    sources: &mut Sources,
    out: &mut Checked,
    files: &mut Vec<(bool, Vec<PathBuf>)>,
) -> Result<(), ReadError> {
    let me = canonical(path);
    let checked_in: Vec<PathBuf> = files
        .iter()
        .filter(|(_, read)| read.iter().skip(1).any(|f| canonical(f) == me))
        .filter_map(|(_, read)| read.first().cloned())
        .collect();
    if !checked_in.is_empty() {
        if !from_directory {
            out.parts.push(PartCheck {
                path: path.to_path_buf(),
                runbooks: checked_in,
                found_by: PartFoundBy::Named,
            });
        }
        return Ok(());
    }
    match part_of::owners(path, marker, limits) {
        Owners::Found(runbooks, found_by) => {
            for runbook in &runbooks {
                check_runbook(runbook, false, options, limits, sources, out, files)?;
            }
            out.parts.push(PartCheck {
                path: path.to_path_buf(),
                runbooks,
                found_by,
            });
        }
        Owners::NotFound { .. }
            if !foreign.is_empty() && (from_directory || options.skip_other_yaml) =>
        {
            out.skipped.push(Skipped {
                path: path.to_path_buf(),
                reason: format!(
                    "no runbook includes it, and it has {} no cutover file has",
                    keys_list(foreign)
                ),
            });
        }
        Owners::BadMarker { marker, why } => {
            let id = sources.add(path.to_path_buf(), head(path));
            let problem = bad_marker(id, path, &marker, &why);
            lone_problem(path, problem, out, files);
        }
        Owners::NotFound { searched } => {
            let id = sources.add(path.to_path_buf(), head(path));
            let problem = no_runbook_found(sources, id, path, &searched);
            lone_problem(path, problem, out, files);
        }
    }
    Ok(())
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
pub(super) fn head(path: &Path) -> String {
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
