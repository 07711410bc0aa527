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
    let (mut sources, mut diagnostics, project_graph) = read_runbook(request)?;
    let Some((project, graph)) = project_graph else {
        return Ok(Prepared {
            sources,
            status_file: None,
            diagnostics,
            ready: None,
        });
    };
    let (status, status_file) = add_status(&project, request, &mut sources, &mut diagnostics)?;
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

/// The texts read, the problems found, and the project and graph when it validated.
type RunbookRead = (Sources, Vec<Diagnostic>, Option<(Project, TaskGraph)>);

/// Loads and validates the runbook `request` names, with its includes.
fn read_runbook(request: &Request) -> Result<RunbookRead, PrepareError> {
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
    Ok((sources, diagnostics, project_graph))
}

/// The status of `project` that `request` asks for: from its status file (read into
/// `sources`, with its event log), or a bare data date (`--as-of`, the clock), or none.
/// Also the status file's id among `sources`.
fn add_status(
    project: &Project,
    request: &Request,
    sources: &mut Sources,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Option<Status>, Option<FileId>), PrepareError> {
    let as_of = match &request.as_of {
        Some(text) => Some((
            status::parse_data_date(text, project).map_err(PrepareError::AsOf)?,
            DataDateSource::AsOf,
        )),
        None => request.now.map(|now| (now, DataDateSource::Clock)),
    };
    Ok(match &request.status {
        Some(path) => {
            let (status, id) =
                read_status(project, path, as_of, &request.limits, sources, diagnostics)?;
            (status, Some(id))
        }
        None => (
            as_of.map(|(a, source)| Status::at_from(project, a, source)),
            None,
        ),
    })
}

/// A runbook read and validated once, for a command that judges it again and again
/// (`board --watch`): each time, only the status file and its event log are read,
/// unless a file of the runbook has changed ([`KeptRunbook::unchanged`]).
#[derive(Debug)]
pub struct KeptRunbook {
    /// The runbook and its includes, as read.
    pub sources: Sources,
    /// Problems found in them (warnings: the runbook validated).
    pub diagnostics: Vec<Diagnostic>,
    /// The validated runbook.
    pub project: Project,
    /// Its dependency graph.
    pub graph: TaskGraph,
}

/// A status read for a [`KeptRunbook`].
#[derive(Debug)]
pub struct Restated {
    /// The runbook's texts and the status file's (and its event log's), for quoting.
    pub sources: Sources,
    /// The status file among [`Restated::sources`], if one was read.
    pub status_file: Option<FileId>,
    /// Problems in the status file and its event log.
    pub diagnostics: Vec<Diagnostic>,
    /// The status; `None` when the status file has errors, or none was asked for.
    pub status: Option<Status>,
}

impl KeptRunbook {
    /// Loads and validates the runbook `request` names (not its status file): the kept
    /// runbook, or everything read when it did not validate.
    pub fn read(request: &Request) -> Result<Result<KeptRunbook, Prepared>, PrepareError> {
        let (sources, diagnostics, project_graph) = read_runbook(request)?;
        Ok(match project_graph {
            Some((project, graph)) => Ok(KeptRunbook {
                sources,
                diagnostics,
                project,
                graph,
            }),
            None => Err(Prepared {
                sources,
                status_file: None,
                diagnostics,
                ready: None,
            }),
        })
    }

    /// Whether every file of the runbook still holds the text it was read with. A file
    /// that cannot be read counts as changed.
    pub fn unchanged(&self) -> bool {
        self.sources
            .iter()
            .all(|(_, f)| std::fs::read(&f.path).is_ok_and(|bytes| bytes == f.text.as_bytes()))
    }

    /// Reads the status `request` asks for (its status file, `--as-of`, `now`) against
    /// the kept runbook, as [`prepare`] would.
    pub fn status(&self, request: &Request) -> Result<Restated, PrepareError> {
        let mut sources = self.sources.clone();
        let mut diagnostics = Vec::new();
        let (status, status_file) =
            add_status(&self.project, request, &mut sources, &mut diagnostics)?;
        Ok(Restated {
            sources,
            status_file,
            diagnostics,
            status,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn request(dir: &Path) -> Request {
        let runbook = dir.join("r.yaml");
        let status = dir.join("r.status.yaml");
        std::fs::copy("runbooks/northgate-acute.yaml", &runbook).unwrap();
        std::fs::copy("runbooks/northgate-acute.status.yaml", &status).unwrap();
        // The acute runbook includes its workstream files from a folder beside it.
        let from = Path::new("runbooks/northgate-acute");
        let to = dir.join("northgate-acute");
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
        Request {
            runbook,
            status: Some(status),
            ..Request::default()
        }
    }

    #[test]
    fn a_kept_runbook_judges_its_status_as_prepare_does() {
        let dir = tempfile::tempdir().unwrap();
        let request = request(dir.path());
        let kept = KeptRunbook::read(&request).unwrap().unwrap();
        assert!(kept.unchanged());
        let restated = kept.status(&request).unwrap();
        let prepared = prepare(&request).unwrap();
        let ready = prepared.ready.unwrap();
        assert_eq!(restated.status_file, prepared.status_file);
        assert_eq!(restated.sources.len(), prepared.sources.len());
        let (a, b) = (restated.status.unwrap(), ready.status.unwrap());
        assert_eq!(a.as_of, b.as_of);
        let judged = crate::report::report(&kept.project, &kept.graph, a).unwrap();
        let expected = crate::report::report(&ready.project, &ready.graph, b).unwrap();
        assert_eq!(judged.outcome.decision, expected.outcome.decision);
        assert_eq!(judged.plan.fit.ready, expected.plan.fit.ready);
    }

    #[test]
    fn a_kept_runbook_knows_when_one_of_its_files_changed() {
        let dir = tempfile::tempdir().unwrap();
        let request = request(dir.path());
        let kept = KeptRunbook::read(&request).unwrap().unwrap();
        assert!(kept.unchanged());
        // The status file is not the runbook's: changing it changes nothing here.
        std::fs::write(
            request.status.as_ref().unwrap(),
            "as_of: 2027-06-11T09:00\n",
        )
        .unwrap();
        assert!(kept.unchanged());
        // An included file is.
        let (_, include) = kept.sources.iter().nth(1).unwrap();
        let mut text = include.text.clone();
        text.push_str("\n# edited\n");
        std::fs::write(&include.path, text).unwrap();
        assert!(!kept.unchanged());
    }
}
