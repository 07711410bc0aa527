//! One call from files to a project ready to schedule: load -> validate -> graph ->
//! status. The command line, the examples and the benchmarks all go through
//! [`prepare`], so no caller repeats the chain or rebuilds a `FileId` by hand.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::graph::TaskGraph;
use crate::load::{self, Limits, ReadError};
use crate::model::status::StatusFile;
use crate::project::Project;
use crate::source::{FileId, Sources};
use crate::status::{self, DataDateSource, LogInput, Status};
use crate::time::Moment;
use crate::validate::validate;

/// What to read, and what to judge it from.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The runbook (its includes are read with it).
    pub runbook: PathBuf,
    /// A status file with the data date, actuals, metric readings and sign-offs.
    pub status: Option<PathBuf>,
    /// A data date given on the command line, as written (local time in the runbook's
    /// zone unless it carries an offset); it overrides the status file's.
    pub as_of: Option<String>,
    /// The clock, for the live commands (`board`, `update`): the data date when no
    /// `--as-of` is given, in place of the status file's `as_of`.
    pub now: Option<Moment>,
    /// Safety limits on input.
    pub limits: Limits,
}

/// Why [`prepare`] could not even start: a usage or I/O problem (exit code 2), not a
/// problem in the runbook.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The runbook or status file could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// `--as-of` is not an instant.
    #[error("--as-of: {0}")]
    AsOf(String),
}

/// Everything read for one command: the texts (for diagnostics), the resolved project,
/// its graph and status when there were no errors, and every problem found.
#[derive(Debug)]
pub struct Prepared {
    /// Every file read, the runbook first, then its includes, then the status file.
    pub sources: Sources,
    /// The status file among [`Prepared::sources`], if one was read.
    pub status_file: Option<FileId>,
    /// Problems in the runbook, its includes and the status file.
    pub diagnostics: Vec<Diagnostic>,
    /// The project, its graph and status, when nothing above is an error.
    pub ready: Option<Ready>,
}

/// A runbook that validated, with its graph and status.
#[derive(Debug)]
pub struct Ready {
    /// The validated runbook.
    pub project: Project,
    /// Its dependency graph: tasks in topological order, and each task's successors.
    pub graph: TaskGraph,
    /// From the status file, or a bare data date from `--as-of`; `None` when neither
    /// was given.
    pub status: Option<Status>,
}

impl Prepared {
    /// The paths of every file read (the runbook, its includes, the status file).
    pub fn files_read(&self) -> Vec<&Path> {
        self.sources.iter().map(|(_, f)| f.path.as_path()).collect()
    }

    /// Splits the diagnostics into those about the status file (and its event log, read
    /// after it) and the rest.
    pub fn take_status_diagnostics(&mut self) -> Vec<Diagnostic> {
        let Some(file) = self.status_file else {
            return Vec::new();
        };
        let (of_status, rest) = std::mem::take(&mut self.diagnostics)
            .into_iter()
            .partition(|d| d.origin.is_some_and(|o| o.file >= file));
        self.diagnostics = rest;
        of_status
    }
}

/// Loads the runbook (and status file), validates it and resolves the status.
pub fn prepare(request: &Request) -> Result<Prepared, PrepareError> {
    let mut sources = Sources::default();
    let loaded = load::load_runbook(&request.runbook, &mut sources, &request.limits)?;
    let mut diagnostics = loaded.diagnostics;
    let load_failed = diagnostics.iter().any(Diagnostic::is_error);
    let validated = loaded.runbook.as_ref().map(validate);
    // The model as written is not needed past validation.
    if let Some(model) = loaded.runbook {
        let tasks = model.tasks.len();
        crate::background::drop_large(model, tasks);
    }
    let mut project_graph = None;
    if let Some(v) = validated {
        diagnostics.extend(v.diagnostics);
        if let (Some(p), Some(g), false) = (v.project, v.graph, load_failed) {
            project_graph = Some((p, g));
        }
    }
    let Some((project, graph)) = project_graph else {
        return Ok(Prepared {
            sources,
            status_file: None,
            diagnostics,
            ready: None,
        });
    };
    let as_of = match &request.as_of {
        Some(text) => Some((
            status::parse_data_date(text, &project).map_err(PrepareError::AsOf)?,
            DataDateSource::AsOf,
        )),
        None => request.now.map(|now| (now, DataDateSource::Clock)),
    };
    let mut status_file = None;
    let status = match &request.status {
        Some(path) => {
            let (status, id) = read_status(
                &project,
                path,
                as_of,
                &request.limits,
                &mut sources,
                &mut diagnostics,
            )?;
            status_file = Some(id);
            status
        }
        None => as_of.map(|(a, source)| Status::at_from(&project, a, source)),
    };
    let ready = (request.status.is_none() || status.is_some()).then_some(Ready {
        project,
        graph,
        status,
    });
    Ok(Prepared {
        sources,
        status_file,
        diagnostics,
        ready,
    })
}

/// Reads the status file at `path` and the event log it names, and resolves them
/// against `project`: the status (when there are no errors) and the status file's id.
pub fn read_status(
    project: &Project,
    path: &Path,
    as_of: Option<(Moment, DataDateSource)>,
    limits: &Limits,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Option<Status>, FileId), ReadError> {
    let (file, problem) = load::load_status(path, sources, limits)?;
    let id = FileId(sources.len().saturating_sub(1) as u32);
    diagnostics.extend(problem);
    let Some(file) = file else {
        return Ok((None, id));
    };
    Ok((
        resolve_with_log(
            project,
            &file,
            id,
            path,
            as_of,
            limits,
            sources,
            diagnostics,
        )?,
        id,
    ))
}

/// Where a status file's `log:` points: relative to the status file's folder.
pub fn log_path(status_path: &Path, log: &str) -> PathBuf {
    let log = Path::new(log);
    if log.is_absolute() {
        return log.to_path_buf();
    }
    match status_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(log),
        _ => log.to_path_buf(),
    }
}

/// Resolves a status file already read (as `id`), reading the event log it names.
#[allow(clippy::too_many_arguments)]
pub fn resolve_with_log(
    project: &Project,
    file: &StatusFile,
    id: FileId,
    status_path: &Path,
    as_of: Option<(Moment, DataDateSource)>,
    limits: &Limits,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Option<Status>, ReadError> {
    let loaded = match &file.log {
        Some(name) => {
            let path = log_path(status_path, &name.value);
            let loaded = load::load_log(&path, sources, limits)?;
            Some((path, loaded))
        }
        None => None,
    };
    if let Some((_, l)) = &loaded
        && let Some(problem) = &l.problem
    {
        diagnostics.push(problem.clone());
        return Ok(None);
    }
    let input = loaded.as_ref().map(|(path, l)| LogInput {
        path,
        file: l.file,
        events: l.events.as_deref().unwrap_or(&[]),
    });
    let (status, problems) = status::resolve(project, file, id, as_of, input);
    diagnostics.extend(problems);
    Ok(status)
}

/// Loads and validates a runbook held in memory (as if it were the file at `path`),
/// for examples, benchmarks and tests. The status, if any, is resolved at `as_of`.
pub fn prepare_text(path: &Path, text: String, limits: &Limits) -> Prepared {
    let mut sources = Sources::default();
    let loaded = load::load_runbook_text(path, text, &mut sources, limits);
    let mut diagnostics = loaded.diagnostics;
    let mut ready = None;
    let load_failed = diagnostics.iter().any(Diagnostic::is_error);
    if let Some(runbook) = loaded.runbook.as_ref().filter(|_| !load_failed) {
        let v = validate(runbook);
        diagnostics.extend(v.diagnostics);
        if let (Some(project), Some(graph)) = (v.project, v.graph) {
            ready = Some(Ready {
                project,
                graph,
                status: None,
            });
        }
    }
    Prepared {
        sources,
        status_file: None,
        diagnostics,
        ready,
    }
}

/// Resolves a status file held in memory against a prepared project (for benchmarks
/// and tests); the text is added to `prepared.sources`.
pub fn add_status_text(prepared: &mut Prepared, path: &Path, text: String, limits: &Limits) {
    let Some(ready) = prepared.ready.as_mut() else {
        return;
    };
    let (file, problem) = load::load_status_text(path, text, &mut prepared.sources, limits);
    let id = FileId(prepared.sources.len().saturating_sub(1) as u32);
    prepared.status_file = Some(id);
    prepared.diagnostics.extend(problem);
    ready.status = file.and_then(|file| {
        let (status, problems) = status::resolve(&ready.project, &file, id, None, None);
        prepared.diagnostics.extend(problems);
        status
    });
    if ready.status.is_none() {
        prepared.ready = None;
    }
}
