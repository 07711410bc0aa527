//! `cutover diff`: what changed between two versions of a runbook, and what it does.
//!
//! *What changed* compares the two resolved projects item by item (tasks by id,
//! links by their two tasks and type, gates by id, criteria by kind and subject),
//! so a re-formatted file or a duration written another way (`1d` for `10h` on a
//! 10-hour calendar) is no change. A lowered bar is flagged as a **relaxation**.
//!
//! *What it does* schedules both versions from the same status file (or data date)
//! and compares readiness, float, window fit, the driving path (as the engine's
//! `plan.critical` gives it), points of no return and the decision.
//!
//! The rules are in `docs/diff.md`.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::check::{self, FileCheck};
use crate::load::{self, Disk, Files, Limits, ReadError};
use crate::model::runbook::Runbook;
use crate::model::status::StatusFile;
use crate::project::Project;
use crate::revision::{GitError, Revision};
use crate::source::Sources;
use crate::validate::validate;

pub mod changes;
mod effects;

pub use changes::{
    Change, Changes, GateChange, ItemChange, Link, LinkChange, LinkChanges, Rename, TaskChange,
    TaskChanges, TaskRef,
};
pub use effects::{DecisionChange, Effects, Moved, PointOfNoReturnChange};

/// Which versions to compare.
#[derive(Debug, Clone)]
pub enum Compare {
    /// Two runbook files.
    Files {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
    },
    /// Runbooks in the working copy against a git revision. With no runbooks named,
    /// every runbook under the current directory whose files differ from the revision.
    Git {
        /// The revision, as `git rev-parse` takes it.
        rev: String,
        /// The runbooks to compare; none for every changed one.
        runbooks: Vec<PathBuf>,
    },
}

/// What to compare, and the status both versions are scheduled from.
#[derive(Debug, Clone)]
pub struct Request {
    /// Which versions.
    pub compare: Compare,
    /// A status file (read from the working copy) for both versions.
    pub status: Option<PathBuf>,
    /// A data date, as written on the command line; it overrides the status file's.
    pub as_of: Option<String>,
    /// Safety limits on input.
    pub limits: Limits,
}

/// What `--fail-on` can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// A bar was lowered (see [`Change::relaxation`]).
    Relaxation,
    /// The plan is ready later, or has less float to go-live or to the window's close.
    Later,
    /// The decision under the same status is worse.
    Decision,
}

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// `HEAD~1:runbooks/a.yaml` for a revision, else the path.
    pub label: String,
    /// The runbook's name.
    pub runbook: String,
}

/// One runbook compared.
#[derive(Debug, Clone, Serialize)]
pub struct RunbookDiff {
    /// The old version.
    pub old: Side,
    /// The new version.
    pub new: Side,
    /// Nothing changed and nothing moved.
    pub same: bool,
    /// What changed.
    pub changes: Changes,
    /// What it does to the plan.
    pub effects: Effects,
    /// Relaxations among `changes`.
    pub relaxations: usize,
    /// The plan is ready later, or has less float to go-live or to the window's close.
    pub later: bool,
    /// The decision under the same status is worse.
    pub decision_worse: bool,
}

/// What `cutover diff` computes.
#[derive(Debug, Clone, Serialize)]
pub struct Review {
    /// The revision compared with, for `--git`.
    pub revision: Option<String>,
    /// The status file both versions were scheduled from.
    pub status: Option<PathBuf>,
    /// Each runbook compared.
    pub diffs: Vec<RunbookDiff>,
    /// Runbooks in the working copy that the revision does not have (`--git` without
    /// runbooks named): nothing to compare them with.
    pub new_runbooks: Vec<PathBuf>,
    /// Every runbook compared is the same.
    pub same: bool,
    /// Every file read (both versions of each runbook with its includes, the status
    /// file), so `--out` never writes over one of them. Not serialised.
    #[serde(skip)]
    pub read: Vec<PathBuf>,
}

impl Review {
    /// Whether the run fails (exit code 1): with no `fail_on`, when anything differs;
    /// otherwise when one of the conditions holds.
    pub fn fails(&self, fail_on: &[FailOn]) -> bool {
        if fail_on.is_empty() {
            return !self.same || !self.new_runbooks.is_empty();
        }
        self.diffs.iter().any(|d| {
            fail_on.iter().any(|f| match f {
                FailOn::Relaxation => d.relaxations > 0,
                FailOn::Later => d.later,
                FailOn::Decision => d.decision_worse,
            })
        })
    }
}

/// Why `diff` could not run (a usage or I/O problem, exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A runbook or the status file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// `git` failed or the revision does not exist.
    #[error(transparent)]
    Git(#[from] GitError),
    /// Finding the runbooks under the current directory failed.
    #[error("{0}")]
    Discover(String),
    /// `--as-of` is not an instant.
    #[error("--as-of: {0}")]
    AsOf(String),
    /// A runbook named with `--git` lies outside the repository.
    #[error("{} is not in the git repository", .0.display())]
    OutsideRepository(PathBuf),
    /// `--status` with more than one runbook to compare.
    #[error("--status goes with one runbook; {0} changed (name the runbook to compare)")]
    StatusWithMany(usize),
}

/// A version that did not validate: its problems, with the texts to quote.
#[derive(Debug)]
pub struct Invalid {
    /// The texts read.
    pub sources: Sources,
    /// The problems, per runbook.
    pub checks: Vec<FileCheck>,
}

/// The review, or the versions that did not validate.
#[derive(Debug)]
pub enum Diffed {
    /// Every version validated.
    Done(Review),
    /// These versions have errors.
    Invalid(Vec<Invalid>),
}

/// One version, read and validated.
pub(crate) struct Version {
    pub label: String,
    /// The texts read, for quoting problems found later (a plan out of range).
    pub sources: Sources,
    pub model: Runbook,
    pub project: Project,
    pub graph: crate::graph::TaskGraph,
    /// Each task id's entry in `model.tasks`, built when first needed.
    written: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
}

impl Version {
    /// The task `id` as written.
    pub(crate) fn written(&self, id: &str) -> Option<&crate::model::task::Task> {
        let index = self.written.get_or_init(|| {
            let mut index = std::collections::HashMap::new();
            for (i, t) in self.model.tasks.iter().enumerate() {
                if let Some(id) = &t.item.value.id {
                    index.entry(id.value.clone()).or_insert(i);
                }
            }
            index
        });
        index.get(id).map(|&i| &self.model.tasks[i].item.value)
    }
}

/// The runbook at `path` from `files`, loaded (not yet validated), with its texts.
struct LoadedVersion {
    label: String,
    sources: Sources,
    loaded: load::Loaded,
}

/// Loads the runbook at `path` from `files`, copying from `reuse` the task items
/// written as there.
fn load_version(
    files: &dyn Files,
    path: &Path,
    label: String,
    limits: &Limits,
    reuse: Option<&load::Reuse<'_>>,
) -> Result<LoadedVersion, ReadError> {
    let mut sources = Sources::default();
    let loaded = match reuse {
        Some(reuse) => load::load_runbook_reusing(files, path, &mut sources, limits, reuse)?,
        None => load::load_runbook_from(files, path, &mut sources, limits)?,
    };
    Ok(LoadedVersion {
        label,
        sources,
        loaded,
    })
}

/// Validates a loaded version (`validated` is its validation, when already done).
fn finish(
    version: LoadedVersion,
    path: &Path,
    validated: Option<crate::validate::Validated>,
) -> Result<Version, Invalid> {
    let LoadedVersion {
        label,
        mut sources,
        loaded,
    } = version;
    // A revision's files are named `REV:path` in what is shown.
    let display_path = PathBuf::from(&label);
    if display_path != path {
        let prefix = label
            .strip_suffix(&path.display().to_string())
            .unwrap_or("");
        let mut renamed = Sources::default();
        for (_, f) in sources.iter() {
            renamed.add(
                PathBuf::from(format!("{prefix}{}", f.path.display())),
                f.text.clone(),
            );
        }
        sources = renamed;
    }
    let mut diagnostics = loaded.diagnostics;
    let invalid = |sources: Sources, mut diagnostics: Vec<crate::diagnostic::Diagnostic>| {
        check::sort(&mut diagnostics);
        Invalid {
            sources,
            checks: vec![FileCheck {
                path: PathBuf::from(&label),
                diagnostics,
            }],
        }
    };
    let Some(model) = loaded.runbook else {
        return Err(invalid(sources, diagnostics));
    };
    let validated = validated.unwrap_or_else(|| validate(&model));
    diagnostics.extend(validated.diagnostics);
    match (validated.project, validated.graph) {
        (Some(project), Some(graph)) => Ok(Version {
            label,
            sources,
            model,
            project,
            graph,
            written: std::sync::OnceLock::new(),
        }),
        _ => Err(invalid(sources, diagnostics)),
    }
}

/// A version read, or why it is not valid.
type Read = Result<Version, Invalid>;

/// Reads both versions. A large runbook (its file on disk at least
/// [`load::REUSE_BYTES`]): the old one is loaded first; then, on two threads, the old
/// one is validated while the new one is loaded, copying the old one's task items
/// wherever the new one writes them the same ([`load::Reuse`]), and validated. A
/// smaller one: both are read at once, each on its own thread.
fn read_pair(
    old: (&dyn Files, &Path, String),
    new: (&dyn Files, &Path, String),
    limits: &Limits,
) -> Result<(Read, Read), ReadError> {
    let large = std::fs::metadata(new.1).is_ok_and(|m| m.len() >= load::REUSE_BYTES);
    if !large {
        return std::thread::scope(|scope| {
            let other = scope.spawn(|| {
                load_version(old.0, old.1, old.2, limits, None).map(|v| finish(v, old.1, None))
            });
            let new =
                load_version(new.0, new.1, new.2, limits, None).map(|v| finish(v, new.1, None));
            let old = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok((old?, new?))
        });
    }
    let first = load_version(old.0, old.1, old.2, limits, None)?;
    let (old_validated, second) = std::thread::scope(|scope| {
        let model = first.loaded.runbook.as_ref();
        let validating = scope.spawn(move || model.map(validate));
        let reuse = model.map(|m| load::Reuse::new(&first.sources, m));
        let second = load_version(new.0, new.1, new.2, limits, reuse.as_ref()).map(|second| {
            let validated = second.loaded.runbook.as_ref().map(validate);
            (second, validated)
        });
        let validated = validating
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (validated, second)
    });
    let (second, new_validated) = second?;
    let old = finish(first, old.1, old_validated);
    let new = finish(second, new.1, new_validated);
    Ok((old, new))
}

/// Compares the versions `request` names.
pub fn diff(request: &Request) -> Result<Diffed, DiffError> {
    let status = match &request.status {
        Some(path) => {
            let mut sources = Sources::default();
            let (file, problem) = load::load_status(path, &mut sources, &request.limits)?;
            match file {
                Some(file) => Some((file, sources)),
                None => {
                    return Ok(Diffed::Invalid(vec![Invalid {
                        sources,
                        checks: vec![FileCheck {
                            path: path.clone(),
                            diagnostics: problem.into_iter().collect(),
                        }],
                    }]));
                }
            }
        }
        None => None,
    };
    let mut pairs: Vec<(Box<dyn Files>, PathBuf, String, PathBuf)> = Vec::new();
    let mut revision_name = None;
    let mut new_runbooks = Vec::new();
    match &request.compare {
        Compare::Files { old, new } => {
            pairs.push((
                Box::new(Disk),
                old.clone(),
                old.display().to_string(),
                new.clone(),
            ));
        }
        Compare::Git { rev, runbooks } => {
            let revision = Revision::open(rev)?;
            revision_name = Some(rev.clone());
            let runbooks = if runbooks.is_empty() {
                let (found, missing) = changed_runbooks(&revision, &request.limits)?;
                new_runbooks = missing;
                found
            } else {
                for r in runbooks {
                    if revision.in_repository(r).is_none() {
                        return Err(DiffError::OutsideRepository(r.clone()));
                    }
                }
                runbooks.clone()
            };
            for r in runbooks {
                let label = format!("{rev}:{}", r.display());
                pairs.push((Box::new(revision.clone()), r.clone(), label, r));
            }
        }
    }
    if status.is_some() && pairs.len() > 1 {
        return Err(DiffError::StatusWithMany(pairs.len()));
    }
    let mut diffs = Vec::new();
    let mut invalid = Vec::new();
    let mut read: Vec<PathBuf> = request.status.iter().cloned().collect();
    for (old_files, old_path, old_label, new_path) in &pairs {
        let new_label = new_path.display().to_string();
        let (old, new) = read_pair(
            (old_files.as_ref(), old_path, old_label.clone()),
            (&Disk, new_path, new_label),
            &request.limits,
        )?;
        let (old, new) = match (old, new) {
            (Ok(old), Ok(new)) => (old, new),
            (old, new) => {
                invalid.extend(old.err());
                invalid.extend(new.err());
                continue;
            }
        };
        for version in [&old, &new] {
            read.extend(version.sources.iter().map(|(_, f)| f.path.clone()));
        }
        match compare(&old, &new, status.as_ref(), request.as_of.as_deref())? {
            Ok(d) => diffs.push(d),
            Err(bad) => invalid.push(bad),
        }
        let tasks = old.project.tasks.len() + new.project.tasks.len();
        crate::background::drop_large((old, new), tasks);
    }
    if !invalid.is_empty() {
        return Ok(Diffed::Invalid(invalid));
    }
    let same = diffs.iter().all(|d| d.same);
    Ok(Diffed::Done(Review {
        revision: revision_name,
        status: request.status.clone(),
        diffs,
        new_runbooks,
        same,
        read,
    }))
}

/// Compares two versions of one runbook.
fn compare(
    old: &Version,
    new: &Version,
    status: Option<&(StatusFile, Sources)>,
    as_of: Option<&str>,
) -> Result<Result<RunbookDiff, Invalid>, DiffError> {
    let changes = changes::changes(old, new);
    let effects = match effects::effects(old, new, &changes, status, as_of)? {
        Ok(e) => e,
        Err(bad) => return Ok(Err(bad)),
    };
    let relaxations = changes.relaxations();
    let later = effects.later();
    let decision_worse = effects.decision.as_ref().is_some_and(|d| d.worse);
    let same = changes.is_empty() && !effects.moved();
    Ok(Ok(RunbookDiff {
        old: Side {
            label: old.label.clone(),
            runbook: old.project.name.clone(),
        },
        new: Side {
            label: new.label.clone(),
            runbook: new.project.name.clone(),
        },
        same,
        changes,
        effects,
        relaxations,
        later,
        decision_worse,
    }))
}

/// The runbooks under the current directory whose files (itself or an include, in
/// either version) differ from `revision`, and those the revision does not have.
fn changed_runbooks(
    revision: &Revision,
    limits: &Limits,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>), DiffError> {
    let changed: std::collections::HashSet<PathBuf> =
        revision.changed_files()?.into_iter().collect();
    let discovered =
        check::discover(&[".".to_owned()]).map_err(|e| DiffError::Discover(e.to_string()))?;
    let mut found = Vec::new();
    let mut files_of = Vec::new();
    let mut missing = Vec::new();
    for (path, from_directory) in &discovered.files {
        let path = path.strip_prefix("./").unwrap_or(path).to_path_buf();
        let mut files = Vec::new();
        for reader in [&Disk as &dyn Files, revision as &dyn Files] {
            let mut sources = Sources::default();
            // A file the revision lacks reads as an I/O error: no earlier version.
            if let Ok(loaded) = load::load_runbook_from(reader, &path, &mut sources, limits) {
                drop(loaded);
                files.extend(sources.iter().map(|(_, f)| f.path.clone()));
            }
        }
        let exists_then = revision.read(&path, limits.max_file_bytes).is_ok();
        let touched = files
            .iter()
            .filter_map(|f| revision.in_repository(f))
            .any(|f| changed.contains(&f));
        files_of.push((*from_directory, files));
        found.push((path, exists_then, touched));
    }
    let skip = check::included_elsewhere(
        &files_of
            .iter()
            .map(|(d, f)| (*d, f.as_slice()))
            .collect::<Vec<_>>(),
    );
    let mut out = Vec::new();
    for ((path, exists_then, touched), skip) in found.into_iter().zip(skip) {
        if skip || !touched {
            continue;
        }
        if exists_then {
            out.push(path);
        } else {
            missing.push(path);
        }
    }
    Ok((out, missing))
}

#[cfg(test)]
mod tests;
