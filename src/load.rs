//! Files -> model: reads a runbook and the files it includes, or a status file,
//! keeping every file's text for diagnostics.
//!
//! Structural problems (YAML syntax, wrong types, unknown fields, duplicate keys,
//! limits) stop the reading of the file they are in and come back as diagnostics;
//! only an unreadable main file is an I/O error.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{Error as YamlError, MessageFormatter, UserMessageFormatter};

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::Located;
use crate::model::calendar::CalendarSpec;
use crate::model::event::Event;
use crate::model::runbook::{Parts, Runbook, RunbookFile, Skipped};
use crate::model::status::StatusFile;
use crate::source::{FileId, Origin, Sources, Span};

mod recover;
mod split;
mod task_events;
mod yaml_words;

pub use split::Reuse;

/// Files at least this large have their task list read in parts, and can reuse another
/// version's task items ([`Reuse`], [`load_runbook_reusing`]).
pub const REUSE_BYTES: u64 = split::PARALLEL_BYTES as u64;
use split::WithTasks;

/// Safety limits on input. Defaults suit runbooks of a million tasks.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest runbook or included file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest status file read, in bytes. Status files are small by nature (a line
    /// per task with actuals, a few readings per metric), so their limit is smaller.
    pub max_status_bytes: u64,
    /// Deepest YAML nesting accepted.
    pub max_depth: usize,
    /// Deepest chain of includes.
    pub max_include_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 256 * 1024 * 1024,
            max_status_bytes: DEFAULT_MAX_STATUS_BYTES,
            max_depth: 64,
            max_include_depth: 16,
        }
    }
}

/// The default status file limit: 4 MiB, about 60,000 tasks' actuals (a real cutover
/// has hundreds to a few thousand). Status files are read at 4-5 MB a second in their
/// slowest shape (long metric histories) and take about five bytes of memory per byte
/// (a 240 MB one took 1.2 GB), so the largest accepted one costs about a second.
pub const DEFAULT_MAX_STATUS_BYTES: u64 = 4 * 1024 * 1024;

/// The main file could not be read at all (exit code 2, not a runbook problem).
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}", path.display())]
pub struct ReadError {
    /// The path as given.
    pub path: PathBuf,
    /// Why the operating system could not read it.
    #[source]
    pub source: std::io::Error,
}

/// A runbook as read: the merged model if every file was well-formed, and the problems.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The files merged into one model; `None` when any of them could not be read or parsed.
    pub runbook: Option<Runbook>,
    /// Problems found while reading: YAML syntax, unknown fields, includes, size and depth limits.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where files are read from: the disk, or a git revision (`cutover diff --git`).
pub trait Files: Sync {
    /// The bytes of `path`, or `Err(size)` when it holds more than `limit` bytes
    /// (`size` if known). Reads at most `limit + 1` bytes of a file that keeps growing.
    fn read(&self, path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, Option<u64>>>;

    /// The same file whatever the spelling of `path`, to tell when an include repeats.
    fn canonical(&self, path: &Path) -> PathBuf;
}

/// The file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path, limit: u64) -> std::io::Result<Result<Vec<u8>, Option<u64>>> {
        let size = std::fs::metadata(path)?.len();
        if size > limit {
            return Ok(Err(Some(size)));
        }
        // Read at most one byte past the limit: a device or pipe (`/dev/zero`, named
        // in an `include:`) reports size 0 above but may never end.
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        std::fs::File::open(path)
            .and_then(|f| f.take(limit.saturating_add(1)).read_to_end(&mut bytes))?;
        if bytes.len() as u64 > limit {
            return Ok(Err(None));
        }
        Ok(Ok(bytes))
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        canonical(path)
    }
}

/// Reads the runbook at `path` and everything it includes into `sources`.
pub fn load_runbook(
    path: &Path,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<Loaded, ReadError> {
    load_runbook_from(&Disk, path, sources, limits)
}

/// [`load_runbook`], reading the runbook and its includes from `files`.
pub fn load_runbook_from(
    files: &dyn Files,
    path: &Path,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<Loaded, ReadError> {
    match read_text(files, path, limits)? {
        Ok(text) => Ok(load_runbook_text_from(files, path, text, sources, limits)),
        Err(problem) => {
            let id = sources.add(path.to_path_buf(), String::new());
            Ok(Loaded {
                runbook: None,
                diagnostics: vec![problem.into_diagnostic(id)],
            })
        }
    }
}

/// Reads a runbook from `text` as if it were the file at `path` (includes are
/// resolved relative to `path`).
pub fn load_runbook_text(
    path: &Path,
    text: String,
    sources: &mut Sources,
    limits: &Limits,
) -> Loaded {
    load_runbook_text_from(&Disk, path, text, sources, limits)
}

/// [`load_runbook_text`], reading the includes from `files`.
pub fn load_runbook_text_from(
    files: &dyn Files,
    path: &Path,
    text: String,
    sources: &mut Sources,
    limits: &Limits,
) -> Loaded {
    load_text(files, path, text, sources, limits, None)
}

/// [`load_runbook_from`] for a second version of a runbook (`diff`): each task item
/// written exactly as an item of `reuse` (the first version's) is copied from it
/// instead of parsed again. What is read is the same as [`load_runbook_from`] reads.
pub fn load_runbook_reusing(
    files: &dyn Files,
    path: &Path,
    sources: &mut Sources,
    limits: &Limits,
    reuse: &Reuse<'_>,
) -> Result<Loaded, ReadError> {
    match read_text(files, path, limits)? {
        Ok(text) => Ok(load_text(files, path, text, sources, limits, Some(reuse))),
        Err(problem) => {
            let id = sources.add(path.to_path_buf(), String::new());
            Ok(Loaded {
                runbook: None,
                diagnostics: vec![problem.into_diagnostic(id)],
            })
        }
    }
}

fn load_text(
    files: &dyn Files,
    path: &Path,
    text: String,
    sources: &mut Sources,
    limits: &Limits,
    reuse: Option<&Reuse<'_>>,
) -> Loaded {
    let mut diagnostics = Vec::new();
    let main_file = sources.add(path.to_path_buf(), text);
    let (parsed, problems, skipped) =
        parse_recovering::<RunbookFile>(sources, main_file, limits, reuse);
    diagnostics.extend(problems);
    let Some(mut settings) = parsed else {
        return Loaded {
            runbook: None,
            diagnostics,
        };
    };
    let parts = settings.take_parts();
    let mut runbook = Runbook {
        settings,
        main_file,
        skipped,
        ..Default::default()
    };

    let mut seen = HashSet::new();
    seen.insert(files.canonical(path));
    let mut ok = true;
    let mut pending = vec![(main_file, parts, 0usize)];
    while let Some((file, mut parts, depth)) = pending.pop() {
        let includes = std::mem::take(&mut parts.include);
        fix_spans(
            &mut parts,
            sources.get(file).map_or("", |f| f.text.as_str()),
        );
        runbook.absorb(file, parts);
        let base = sources
            .path(file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        for include in includes {
            let origin = Origin {
                file,
                span: include.span,
            };
            let target = base.join(&include.value);
            if depth + 1 > limits.max_include_depth {
                diagnostics.push(Diagnostic::at(
                    Code::IncludeFailed,
                    origin,
                    format!(
                        "includes nest deeper than {} files",
                        limits.max_include_depth
                    ),
                ));
                ok = false;
                continue;
            }
            if !seen.insert(files.canonical(&target)) {
                diagnostics.push(
                    Diagnostic::at(
                        Code::IncludeFailed,
                        origin,
                        format!("`{}` is already part of this runbook", include.value),
                    )
                    .with_label("included again here")
                    .with_help("each file may be included once; includes may not form a loop"),
                );
                ok = false;
                continue;
            }
            let text = match read_text(files, &target, limits) {
                Ok(Ok(text)) => text,
                Ok(Err(problem)) => {
                    let id = sources.add(target, String::new());
                    diagnostics.push(problem.into_diagnostic(id));
                    ok = false;
                    continue;
                }
                Err(e) => {
                    diagnostics.push(
                        Diagnostic::at(
                            Code::IncludeFailed,
                            origin,
                            format!(
                                "cannot read included file `{}`: {}",
                                include.value, e.source
                            ),
                        )
                        .with_label("included here")
                        .with_help("include paths are relative to the file that names them"),
                    );
                    ok = false;
                    continue;
                }
            };
            let id = sources.add(target, text);
            let (parts, problems, skipped) = parse_recovering::<Parts>(sources, id, limits, reuse);
            diagnostics.extend(problems);
            runbook.skipped.merge(skipped);
            match parts {
                Some(parts) => pending.push((id, parts, depth + 1)),
                None => ok = false,
            }
        }
    }

    Loaded {
        runbook: ok.then_some(runbook),
        diagnostics,
    }
}

/// Reads a status file into `sources`, within `limits.max_status_bytes`.
pub fn load_status(
    path: &Path,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<(Option<StatusFile>, Option<Diagnostic>), ReadError> {
    match read_text_within(&Disk, path, limits.max_status_bytes, "--max-status-size")? {
        Ok(text) => Ok(load_status_text(path, text, sources, limits)),
        Err(problem) => {
            let id = sources.add(path.to_path_buf(), String::new());
            Ok((None, Some(problem.into_diagnostic(id))))
        }
    }
}

/// Reads a status file from `text` as if it were the file at `path`.
pub fn load_status_text(
    path: &Path,
    text: String,
    sources: &mut Sources,
    limits: &Limits,
) -> (Option<StatusFile>, Option<Diagnostic>) {
    let id = sources.add(path.to_path_buf(), text);
    match parse::<StatusFile>(sources, id, limits) {
        Ok(status) => (Some(status), None),
        Err(d) => (None, Some(*d)),
    }
}

/// An event log as read: its events (none when the file does not exist yet: the first
/// `cutover log` creates it), or the problem that stopped its reading.
#[derive(Debug, Default)]
pub struct LoadedLog {
    /// The log's id in the sources, when it exists.
    pub file: Option<FileId>,
    /// Its events in file order; `None` when it could not be parsed.
    pub events: Option<Vec<Located<Event>>>,
    /// Why it could not be read or parsed.
    pub problem: Option<Diagnostic>,
}

/// Reads the event log at `path` into `sources`. A log that does not exist yet has no
/// events; one that cannot be read otherwise is an I/O error.
pub fn load_log(
    path: &Path,
    sources: &mut Sources,
    limits: &Limits,
) -> Result<LoadedLog, ReadError> {
    if !path.exists() {
        return Ok(LoadedLog {
            file: None,
            events: Some(Vec::new()),
            problem: None,
        });
    }
    // An event log is part of the status: the status file's own size limit holds.
    match read_text_within(&Disk, path, limits.max_status_bytes, "--max-status-size")? {
        Ok(text) => Ok(load_log_text(path, text, sources, limits)),
        Err(problem) => {
            let id = sources.add(path.to_path_buf(), String::new());
            Ok(LoadedLog {
                file: Some(id),
                events: None,
                problem: Some(problem.into_diagnostic(id)),
            })
        }
    }
}

/// Reads an event log from `text` as if it were the file at `path`.
pub fn load_log_text(
    path: &Path,
    text: String,
    sources: &mut Sources,
    limits: &Limits,
) -> LoadedLog {
    // Only comments and blank lines: a log with no events yet.
    let empty = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    let id = sources.add(path.to_path_buf(), text);
    if empty {
        return LoadedLog {
            file: Some(id),
            events: Some(Vec::new()),
            problem: None,
        };
    }
    match parse::<Vec<Located<Event>>>(sources, id, limits) {
        Ok(events) => LoadedLog {
            file: Some(id),
            events: Some(events),
            problem: None,
        },
        Err(d) => LoadedLog {
            file: Some(id),
            events: None,
            problem: Some(*d),
        },
    }
}

/// Why a readable file's content was refused before parsing.
enum TextProblem {
    /// `size` is unknown for a file that kept growing, or a device, read past the limit.
    TooLarge {
        size: Option<u64>,
        limit: u64,
        /// The option that raises the limit.
        flag: &'static str,
    },
    NotUtf8 {
        line: u32,
        col: u32,
        offset: u32,
    },
}

impl TextProblem {
    fn into_diagnostic(self, file: FileId) -> Diagnostic {
        match self {
            TextProblem::TooLarge { size, limit, flag } => Diagnostic::new(
                Code::InputLimit,
                Some(Origin {
                    file,
                    span: Span::default(),
                }),
                match size {
                    Some(size) => {
                        format!("the file is {size} bytes, more than the limit of {limit} bytes")
                    }
                    None => format!("the file is larger than the limit of {limit} bytes"),
                },
            )
            .with_help(format!(
                "raise the limit with {flag} if the file is genuine"
            )),
            TextProblem::NotUtf8 { line, col, offset } => Diagnostic::at(
                Code::NotUtf8,
                Origin {
                    file,
                    span: Span {
                        line,
                        col,
                        offset,
                        len: 0,
                    },
                },
                "the file is not UTF-8 text",
            )
            .with_help(
                "save the file as UTF-8 (most editors offer this under 'Save with encoding')",
            ),
        }
    }
}

/// Reads `path` from `files` as UTF-8 text within the size limit.
fn read_text(
    files: &dyn Files,
    path: &Path,
    limits: &Limits,
) -> Result<Result<String, TextProblem>, ReadError> {
    read_text_within(files, path, limits.max_file_bytes, "--max-file-size")
}

/// Reads `path` from `files` as UTF-8 text of at most `max` bytes (`flag` raises it).
fn read_text_within(
    files: &dyn Files,
    path: &Path,
    max: u64,
    flag: &'static str,
) -> Result<Result<String, TextProblem>, ReadError> {
    let bytes = match files.read(path, max) {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(size)) => {
            return Ok(Err(TextProblem::TooLarge {
                size,
                limit: max,
                flag,
            }));
        }
        Err(source) => {
            return Err(ReadError {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Ok(text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // `valid` bytes are UTF-8, so this cannot fail; fall back to 0 anyway.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
            let line = prefix.matches('\n').count() as u32 + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
            Ok(Err(TextProblem::NotUtf8 {
                line,
                col,
                offset: valid as u32,
            }))
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Parses a runbook or include file. After a structural error (unknown field, wrong
/// type) the file is read again part by part, so that every such error is reported
/// and the parts without one are kept; what was left out is in the [`Skipped`].
fn parse_recovering<T: WithTasks + recover::Collections>(
    sources: &Sources,
    file: FileId,
    limits: &Limits,
    reuse: Option<&Reuse<'_>>,
) -> (Option<T>, Vec<Diagnostic>, Skipped) {
    match parse_runbook::<T>(sources, file, limits, reuse) {
        Ok(value) => (Some(value), Vec::new(), Skipped::default()),
        Err(first) => {
            let text = sources.get(file).map_or("", |f| f.text.as_str());
            if recover::recoverable(first.code)
                && let Some((value, found, skipped)) = recover::recover::<T>(text, file, limits)
                && !found.is_empty()
            {
                return (value, found, skipped);
            }
            (None, vec![*first], Skipped::default())
        }
    }
}

/// Parses a runbook or include file; large ones have their tasks parsed in parallel.
fn parse_runbook<T: WithTasks>(
    sources: &Sources,
    file: FileId,
    limits: &Limits,
    reuse: Option<&Reuse<'_>>,
) -> Result<T, Box<Diagnostic>> {
    let text = sources.get(file).map_or("", |f| f.text.as_str());
    if text.len() >= split::PARALLEL_BYTES {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if let Some(parsed) = split::parse::<T>(text, |len| options(len, limits), threads, reuse) {
            return Ok(parsed);
        }
    }
    parse(sources, file, limits)
}

/// Parses one file of `sources` as `T`, with budgets scaled to its size.
fn parse<T: DeserializeOwned>(
    sources: &Sources,
    file: FileId,
    limits: &Limits,
) -> Result<T, Box<Diagnostic>> {
    let text = sources.get(file).map_or("", |f| f.text.as_str());
    if text.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::at(
                Code::MissingField,
                Origin {
                    file,
                    span: Span::default(),
                },
                "the file is empty",
            )
            .with_help("run `cutover init` for a starter runbook"),
        ));
    }
    serde_saphyr::from_str_with_options(text, options(text.len(), limits))
        .map_err(|e| Box::new(yaml_diagnostic(&e, file, text)))
}

fn options(len: usize, limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_nodes = budget.max_nodes.max(len / 4);
    budget.max_events = budget.max_events.max(len / 2);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(len);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

/// Turns a serde-saphyr error into a coded diagnostic at its position.
fn yaml_diagnostic(err: &YamlError, file: FileId, text: &str) -> Diagnostic {
    let mut inner = err;
    while let YamlError::AliasError { error, .. } | YamlError::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let span = inner
        .location()
        .map(|loc| {
            let line = u32::try_from(loc.line()).unwrap_or(u32::MAX);
            let col = u32::try_from(loc.column()).unwrap_or(u32::MAX);
            let offset = loc
                .span()
                .byte_offset()
                .and_then(|o| u32::try_from(o).ok())
                .unwrap_or_else(|| byte_offset(text, line, col));
            let len = loc
                .span()
                .byte_len()
                .and_then(|l| u32::try_from(l).ok())
                .unwrap_or(0);
            Span {
                line,
                col,
                offset,
                len,
            }
        })
        .unwrap_or_default();
    let origin = Origin { file, span };
    let plain = || sanitize(&UserMessageFormatter.format_message(inner));
    match inner {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => Diagnostic::at(
            Code::UnknownField,
            origin,
            format!("unknown field `{field}`"),
        )
        .with_label("not a field here")
        .with_help(
            suggestion(field, expected.iter().copied())
                .unwrap_or_else(|| format!("expected one of: {}", expected.join(", "))),
        ),
        YamlError::SerdeMissingField { field, .. } => Diagnostic::at(
            Code::MissingField,
            origin,
            format!("missing field `{field}`"),
        ),
        YamlError::DuplicateMappingKey { key, .. } => Diagnostic::at(
            Code::DuplicateKey,
            origin,
            match key {
                Some(k) => format!("duplicate key `{k}`"),
                None => "duplicate key".to_owned(),
            },
        )
        .with_label("written a second time here")
        .with_help("each key may appear once in a mapping; remove or rename one"),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => Diagnostic::at(
            Code::WrongType,
            origin,
            format!("unknown value `{variant}`"),
        )
        .with_help(
            suggestion(variant, expected.iter().copied())
                .unwrap_or_else(|| format!("expected one of: {}", expected.join(", "))),
        ),
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => Diagnostic::at(
            Code::WrongType,
            origin,
            format!(
                "found {}, expected {}",
                sanitize(unexpected),
                sanitize(expected)
            ),
        ),
        YamlError::Unexpected { .. }
        | YamlError::InvalidScalar { .. }
        | YamlError::InvalidBooleanStrict { .. }
        | YamlError::NullIntoString { .. }
        | YamlError::SerdeInvalidLength { .. }
        | YamlError::UnexpectedValueForUnit { .. }
        | YamlError::NonFiniteFloat { .. } => Diagnostic::at(Code::WrongType, origin, plain()),
        YamlError::Budget { breach, .. } => {
            Diagnostic::at(Code::InputLimit, origin, budget_message(breach))
                .with_help("runbooks are plain data; this much nesting or repetition is not one")
        }
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => Diagnostic::at(
            Code::InputLimit,
            origin,
            "YAML aliases expand to too much data",
        )
        .with_help("runbooks are plain data; this much alias repetition looks like an alias bomb"),
        YamlError::InvalidUtf8Input => {
            Diagnostic::at(Code::NotUtf8, origin, "the file is not UTF-8 text")
        }
        _ => {
            let message = plain();
            if message.contains("recursion limit") {
                Diagnostic::at(
                    Code::InputLimit,
                    origin,
                    format!("the YAML nests too deeply ({message})"),
                )
            } else if let Some(plain) = yaml_words::explain(&message, text, span) {
                // The parser's words stay as the label, with its place when the mistake
                // was found elsewhere (a tab, an unclosed bracket).
                let label = if plain.span.line == span.line && plain.span.col == span.col {
                    format!("YAML: {message}")
                } else {
                    format!("YAML, at {}:{}: {message}", span.line, span.col)
                };
                Diagnostic::at(
                    Code::YamlSyntax,
                    Origin {
                        file,
                        span: plain.span,
                    },
                    plain.message,
                )
                .with_label(label)
                .with_help(plain.help)
            } else {
                Diagnostic::at(Code::YamlSyntax, origin, message)
                    .with_help("check the indentation and the brackets or quotes around this point")
            }
        }
    }
}

fn budget_message(breach: &BudgetBreach) -> String {
    match breach {
        BudgetBreach::Depth { depth } => {
            format!(
                "the YAML nests too deeply (more than {} levels)",
                depth.saturating_sub(1)
            )
        }
        BudgetBreach::Nodes { nodes } => format!("the YAML has too many values ({nodes})"),
        BudgetBreach::Events { events } => format!("the YAML is too large ({events} events)"),
        BudgetBreach::Aliases { aliases } => format!("the YAML uses too many aliases ({aliases})"),
        BudgetBreach::Anchors { anchors } => {
            format!("the YAML defines too many anchors ({anchors})")
        }
        BudgetBreach::Documents { documents } => {
            format!("the file holds too many YAML documents ({documents})")
        }
        other => format!("the YAML exceeds a safety limit ({other:?})"),
    }
}

/// Keeps error text on one line and free of control characters.
fn sanitize(message: &str) -> String {
    message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Byte offset of a 1-based line and character column in `text`.
pub(crate) fn byte_offset(text: &str, line: u32, col: u32) -> u32 {
    let mut offset = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let within: usize = l
                .char_indices()
                .nth(col.saturating_sub(1) as usize)
                .map_or(l.len(), |(b, _)| b);
            return u32::try_from(offset + within).unwrap_or(u32::MAX);
        }
        offset += l.len();
    }
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// Gives values whose position serde could not see (inside custom visitors) the
/// position of the value around them, and an id in `after:` the text written in `text`.
fn fix_spans(parts: &mut Parts, text: &str) {
    for task in parts.tasks.iter_mut().flatten() {
        for dep in &mut task.value.after {
            if dep.value.task.span.is_unknown() {
                dep.value.task.span = dep.span;
                if let Some(written) = plain_scalar(text, dep.span)
                    && written != dep.value.task.value
                {
                    written.clone_into(&mut dep.value.task.value);
                }
            }
        }
    }
    for (_, spec) in &mut parts.calendars.0 {
        if let CalendarSpec::Preset(p) = &mut spec.value
            && p.span.is_unknown()
        {
            p.span = spec.span;
        }
        if let CalendarSpec::Custom(c) = &mut spec.value
            && c.span.is_unknown()
        {
            c.span = spec.span;
        }
    }
}

/// The plain (unquoted) scalar at `span` in `text` as written, when it differs from
/// how YAML reads it: `y` read as `true`, `007` as `7`, `1.0` as `1`. `None` for a
/// quoted or block scalar, a mapping, or a position outside `text`.
fn plain_scalar(text: &str, span: Span) -> Option<&str> {
    let start = usize::try_from(span.offset).ok()?;
    let end = start.checked_add(usize::try_from(span.len).ok()?)?;
    let written = text.get(start..end)?.trim();
    let plain = written
        .chars()
        .next()
        .is_some_and(|c| !matches!(c, '"' | '\'' | '{' | '[' | '|' | '>' | '&' | '*' | '!'));
    // A plain scalar in a flow sequence ends at `,`, `]` or a comment.
    let written = written
        .split([',', ']', '#'])
        .next()
        .map_or(written, str::trim_end);
    (plain && !written.is_empty()).then_some(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> (Sources, Loaded) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.yaml");
        std::fs::write(&path, text).unwrap();
        let mut sources = Sources::default();
        let loaded = load_runbook(&path, &mut sources, &Limits::default()).unwrap();
        (sources, loaded)
    }

    /// A second version read reusing the first one's task items reads exactly what it
    /// reads on its own: edited, added, removed and moved items, and every line and byte
    /// after them shifted (both ways).
    #[test]
    fn a_version_read_reusing_another_reads_what_it_reads_alone() {
        let old = crate::synthetic::runbook(12_000, 7);
        assert!(old.len() >= split::PARALLEL_BYTES, "{} bytes", old.len());
        let lines: Vec<&str> = old.lines().collect();
        let items: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with("  - { id: t"))
            .collect();
        assert!(items.len() > 10_000);
        let mut new: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        // Edited in place (same length and a different length).
        new[items[10]] = new[items[10]].replacen("id: t", "id: x", 1);
        let end = new[items[500]].len() - 2;
        new[items[500]].insert_str(end, ", notes: longer now");
        // An item that now spans two lines, and a comment after it: later lines move down.
        new[items[2_000]] = format!("{}\n    # a comment inside the list", new[items[2_000]]);
        // Two items swapped; one removed; one added.
        new.swap(items[3_000], items[3_001]);
        new[items[5_000]].clear();
        new[items[7_000]] = format!(
            "{}\n  - {{ id: added, name: Added, owner: o, duration: 1h, after: [t1] }}",
            new[items[7_000]]
        );
        // A comment at the top: every item moves down a line and along 20 bytes.
        new.insert(0, "# a comment, 20 b.".to_owned());
        let new = new.join("\n");

        let dir = tempfile::tempdir().unwrap();
        let (old_path, new_path) = (dir.path().join("old.yaml"), dir.path().join("new.yaml"));
        std::fs::write(&old_path, &old).unwrap();
        std::fs::write(&new_path, &new).unwrap();
        let limits = Limits::default();
        let mut old_sources = Sources::default();
        let first = load_runbook(&old_path, &mut old_sources, &limits).unwrap();
        let first = first.runbook.unwrap();
        let reuse = Reuse::new(&old_sources, &first);
        assert_eq!(reuse.len(), first.tasks.len(), "every old item is indexed");

        let mut alone_sources = Sources::default();
        let alone = load_runbook(&new_path, &mut alone_sources, &limits).unwrap();
        let mut reusing_sources = Sources::default();
        let reusing =
            load_runbook_reusing(&Disk, &new_path, &mut reusing_sources, &limits, &reuse).unwrap();
        assert_eq!(
            format!("{:?}", reusing.diagnostics),
            format!("{:?}", alone.diagnostics)
        );
        let (alone, reusing) = (alone.runbook.unwrap(), reusing.runbook.unwrap());
        assert_eq!(alone.tasks.len(), first.tasks.len());
        assert_eq!(format!("{:?}", reusing.tasks), format!("{:?}", alone.tasks));
        assert_eq!(format!("{reusing:?}"), format!("{alone:?}"));
        // The moved positions are the new file's: the last task's id is where it says.
        let last = alone.tasks.last().unwrap().item.value.id.clone().unwrap();
        assert_eq!(
            &new[last.span.offset as usize..][..last.value.len()],
            last.value
        );
    }

    #[test]
    fn ids_in_after_are_the_text_written_not_what_yaml_infers() {
        let (_, loaded) = load_str(
            "runbook: r\ntasks:\n  - id: a\n    after: [y, n, 007, on, 1, 1.0, \"yes\", 'off']\n  - id: b\n    after:\n      - 007   # a comment\n      - y\n      - { task: 1.50 }\n",
        );
        let runbook = loaded.runbook.unwrap();
        let ids = |t: usize| -> Vec<String> {
            runbook.tasks[t]
                .item
                .value
                .after
                .iter()
                .map(|d| d.value.task.value.clone())
                .collect()
        };
        assert_eq!(ids(0), ["y", "n", "007", "on", "1", "1.0", "yes", "off"]);
        assert_eq!(ids(1), ["007", "y", "1.50"]);
    }

    #[test]
    fn dependency_ids_keep_their_position_in_both_forms() {
        let (_, loaded) = load_str(
            "runbook: r\ntasks:\n  - id: a\n    after: [x, { task: yy, type: SS, lag: 2h }]\n",
        );
        let runbook = loaded.runbook.unwrap();
        let deps = &runbook.tasks[0].item.value.after;
        assert_eq!(
            (deps[0].value.task.span.line, deps[0].value.task.span.col),
            (4, 13)
        );
        assert_eq!(
            (deps[1].value.task.span.line, deps[1].value.task.span.col),
            (4, 24)
        );
        assert_eq!(
            deps[1].value.link.as_ref().unwrap().value,
            crate::model::task::LinkType::SS
        );
        assert_eq!(deps[1].value.lag.as_ref().unwrap().value, "2h");
    }

    #[test]
    fn calendar_values_keep_their_position() {
        let (_, loaded) =
            load_str("calendars:\n  w: 24x7\n  o:\n    hours: 08:00-18:00\n    days: [mon, tue]\n");
        let runbook = loaded.runbook.unwrap();
        let CalendarSpec::Preset(p) = &runbook.calendars[0].item.1.value else {
            panic!("preset expected")
        };
        assert_eq!((p.value.as_str(), p.span.line, p.span.col), ("24x7", 2, 6));
        let CalendarSpec::Custom(c) = &runbook.calendars[1].item.1.value else {
            panic!("custom expected")
        };
        assert_eq!(c.value.hours.as_ref().unwrap().span.line, 4);
    }

    #[test]
    fn unknown_field_suggests_the_nearest() {
        let (_, loaded) = load_str("runbook: r\ntasks:\n  - id: a\n    owenr: Sam\n");
        let d = &loaded.diagnostics[0];
        assert_eq!(d.code, Code::UnknownField);
        assert_eq!(d.help.as_deref(), Some("did you mean `owner`?"));
        let span = d.origin.unwrap().span;
        assert_eq!((span.line, span.col), (4, 5));
    }

    /// (code, line, col) of every load diagnostic.
    fn places(loaded: &Loaded) -> Vec<(Code, u32, u32)> {
        loaded
            .diagnostics
            .iter()
            .map(|d| {
                let s = d.origin.unwrap().span;
                (d.code, s.line, s.col)
            })
            .collect()
    }

    #[test]
    fn every_structural_error_is_reported_and_the_rest_kept() {
        let (_, loaded) = load_str(
            "runbook: r\nwindow: { opens: a, shuts: b }\ntasks:\n  - id: a\n    owenr: A\n    tags: 5\n  - { id: b, nmae: B, after: [a] }\n  - id: c\n    name: C\ngates:\n  - { id: g, due: T-1d, criteria: [{ metrc: m }] }\ncalendars:\n  office: { hours: 9-5, dayz: [] }\n",
        );
        assert_eq!(
            places(&loaded),
            [
                (Code::UnknownField, 2, 21),
                (Code::UnknownField, 5, 5),
                (Code::WrongType, 6, 11),
                (Code::UnknownField, 7, 14),
                (Code::UnknownField, 11, 38),
                (Code::UnknownField, 13, 25),
            ]
        );
        let runbook = loaded.runbook.unwrap();
        let ids: Vec<_> = runbook
            .tasks
            .iter()
            .map(|t| t.item.value.id.as_ref().unwrap().value.as_str())
            .collect();
        assert_eq!(ids, ["c"]);
        // The task kept has its own positions.
        assert_eq!(runbook.tasks[0].item.span.line, 8);
        assert!(runbook.gates.is_empty() && runbook.calendars.is_empty());
        assert_eq!(runbook.skipped.settings, ["window"]);
        assert!(runbook.skipped.has("task", "a") && runbook.skipped.has("task", "b"));
        assert!(runbook.skipped.has("gate", "g") && runbook.skipped.has("calendar", "office"));
        assert_eq!((runbook.skipped.items, runbook.skipped.tasks), (4, 2));
    }

    #[test]
    fn a_syntax_error_still_stops_the_file() {
        let (_, loaded) = load_str("runbook: r\ntasks:\n  - id: a\n    owenr: A\n  - { id: b\n");
        assert!(loaded.runbook.is_none());
        assert_eq!(loaded.diagnostics.len(), 1);
    }

    #[test]
    fn duplicate_key_points_at_the_second() {
        let (_, loaded) = load_str("runbook: r\ntasks:\n  - id: a\n    owner: A\n    owner: B\n");
        let d = &loaded.diagnostics[0];
        assert_eq!(d.code, Code::DuplicateKey);
        assert_eq!(d.origin.unwrap().span.line, 5);
    }

    #[test]
    fn non_utf8_is_reported_at_the_bad_byte() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.yaml");
        std::fs::write(&path, b"runbook: ok\nname: caf\xe9\n").unwrap();
        let mut sources = Sources::default();
        let loaded = load_runbook(&path, &mut sources, &Limits::default()).unwrap();
        let d = &loaded.diagnostics[0];
        assert_eq!(d.code, Code::NotUtf8);
        let span = d.origin.unwrap().span;
        assert_eq!((span.line, span.col), (2, 10));
    }

    #[test]
    fn byte_offset_counts_characters_not_bytes() {
        assert_eq!(byte_offset("ab\ncé d", 2, 4), 7);
        assert_eq!(byte_offset("ab\n", 1, 1), 0);
    }
}
