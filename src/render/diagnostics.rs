//! Diagnostics for people (rustc-style snippets), JSON, GitHub annotations and `JUnit`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};
use serde::Serialize;

use super::visible::visible;
use super::{Format, Render, RenderError, put, put_json};
pub use crate::check::{FileCheck, FoundBy, PartCheck, PartFoundBy, Skipped, StatusCheck};
use crate::diagnostic::{Code, Diagnostic, Level};
use crate::source::{Origin, Sources};

/// Line, column and text of the line an origin points into.
pub(crate) struct Place<'a> {
    pub path: &'a Path,
    pub line: u32,
    /// The whole source line and where it starts in the file.
    pub line_text: &'a str,
    /// Byte range of the marked text within `line_text`.
    pub mark: std::ops::Range<usize>,
}

/// The longest line quoted in a snippet, in bytes.
const MAX_QUOTED: usize = 1000;

pub(crate) fn place(sources: &Sources, origin: Origin) -> Option<Place<'_>> {
    let file = sources.get(origin.file)?;
    let span = origin.span;
    if span.is_unknown() || file.text.is_empty() {
        return None;
    }
    let text = file.text.as_str();
    let offset = if span.offset == u32::MAX {
        crate::load::byte_offset(text, span.line, span.col) as usize
    } else {
        span.offset as usize
    }
    .min(text.len());
    // Quote lines of up to MAX_QUOTED bytes; a longer line (a minified file, a
    // milestone with thousands of links on one line) is named by line:col only, so each
    // diagnostic costs the same however long its line.
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let lo = boundary(offset.saturating_sub(MAX_QUOTED));
    let hi = boundary((offset + MAX_QUOTED).min(text.len()));
    let start = match text[lo..offset].rfind('\n') {
        Some(i) => lo + i + 1,
        None if lo == 0 => 0,
        None => return None,
    };
    let end = match text[offset..hi].find('\n') {
        Some(i) => offset + i,
        None if hi == text.len() => text.len(),
        None => return None,
    };
    let line_text = text[start..end].trim_end_matches('\r');
    let from = (offset - start).min(line_text.len());
    let mut to = (from + (span.len as usize).max(1)).min(line_text.len());
    while to < line_text.len() && !line_text.is_char_boundary(to) {
        to += 1;
    }
    Some(Place {
        path: &file.path,
        line: span.line,
        line_text,
        mark: from..to.max(from),
    })
}

fn location(sources: &Sources, origin: Option<Origin>) -> (String, u32, u32) {
    match origin {
        Some(o) => (
            sources.path(o.file).display().to_string(),
            o.span.line.max(1),
            o.span.col.max(1),
        ),
        None => (String::new(), 1, 1),
    }
}

/// What `cutover validate` shows: every problem of every file checked.
#[derive(Debug, Clone, Copy)]
pub struct Validation<'a> {
    /// Every file read, for quoting the lines a problem is on.
    pub sources: &'a Sources,
    /// Each runbook and status file checked, with its problems.
    pub checks: &'a [FileCheck],
    /// The status files among [`Validation::checks`], with the runbook each was
    /// checked against (or why it was checked alone).
    pub status_files: &'a [StatusCheck],
    /// Parts of runbooks named, with the runbooks they were checked as part of.
    pub parts: &'a [PartCheck],
    /// YAML files that are not cutover files, not checked.
    pub skipped: &'a [Skipped],
}

impl Render for Validation<'_> {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        let (sources, checks) = (self.sources, self.checks);
        match format {
            Format::Human { color, summary } => put(out, &human(self, color, summary)),
            Format::Json => put_json(out, &json(self)),
            Format::Github => put(out, &github(sources, checks)),
            Format::Junit => put(out, &junit(sources, checks)?),
            _ => Err(RenderError::Unsupported {
                what: "validation",
                format,
            }),
        }
    }
}

/// Problems shown per runbook checked (with its includes and status file) in the
/// human format. A status file generated against the
/// wrong runbook can name 100,000 unknown tasks (21 MB of snippets); the machine
/// formats (`--format json`, `github`, `junit`) list every one.
pub const MAX_SHOWN_PER_FILE: usize = 100;

/// How many diagnostics of one code are printed per runbook in the human format, so
/// that one repeated mistake (a generated runbook's 467 loose tasks) leaves room for
/// the others within [`MAX_SHOWN_PER_FILE`]: at least five codes can show in full.
/// The rest are counted in a note; the machine formats list every one.
pub const MAX_SHOWN_PER_CODE: usize = 20;

/// Human-readable diagnostics with source snippets (the first [`MAX_SHOWN_PER_FILE`] of
/// each runbook checked, then a count of the rest), then (if `summary`) a count.
fn human(validation: &Validation<'_>, color: bool, summary: bool) -> String {
    let (sources, checks, paired) = (
        validation.sources,
        validation.checks,
        validation.status_files,
    );
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for check in checks {
        // How many of each code were seen, and those left out per code (with the level
        // they have) and for the file's cap.
        let mut seen: BTreeMap<Code, usize> = BTreeMap::new();
        let mut over_code: BTreeMap<Code, (usize, Level)> = BTreeMap::new();
        let mut over_file: Vec<&Diagnostic> = Vec::new();
        let mut shown = 0;
        for d in &check.diagnostics {
            let n = seen.entry(d.code).or_default();
            *n += 1;
            if *n > MAX_SHOWN_PER_CODE {
                over_code.entry(d.code).or_insert((0, d.level)).0 += 1;
            } else if shown >= MAX_SHOWN_PER_FILE {
                over_file.push(d);
            } else {
                shown += 1;
                let _ = writeln!(out, "{}\n", render_one(&renderer, sources, d));
            }
        }
        for (code, (n, level)) in &over_code {
            let _ = writeln!(
                out,
                "note: … and {n} more {code} {} ({}): only the first {MAX_SHOWN_PER_CODE} of one code are printed; `--format json` lists them all\n",
                plural(*n, level.as_str(), &format!("{}s", level.as_str())),
                code.name(),
            );
        }
        if !over_file.is_empty() {
            let errors = over_file.iter().filter(|d| d.is_error()).count();
            let warnings = over_file.len() - errors;
            let _ = writeln!(
                out,
                "note: {} more {} not shown ({errors} {}, {warnings} {}): only the first {MAX_SHOWN_PER_FILE} are printed; `--format json` lists them all\n",
                over_file.len(),
                plural(over_file.len(), "problem", "problems"),
                plural(errors, "error", "errors"),
                plural(warnings, "warning", "warnings"),
            );
        }
    }
    if !summary {
        return out;
    }
    for p in paired {
        let _ = writeln!(out, "note: {}", pairing_note(p));
    }
    for note in part_notes(validation.parts) {
        let _ = writeln!(out, "note: {note}");
    }
    for s in validation.skipped {
        let _ = writeln!(out, "note: skipped {}: {}", s.path.display(), s.reason);
    }
    let (files, invalid, errors, warnings) = totals(checks);
    let runbooks = files.saturating_sub(paired.len());
    let what = match (runbooks, paired.len()) {
        (r, 0) => format!("{r} {}", plural(r, "runbook", "runbooks")),
        (0, s) => format!("{s} {}", plural(s, "status file", "status files")),
        (r, s) => format!(
            "{r} {} and {s} {}",
            plural(r, "runbook", "runbooks"),
            plural(s, "status file", "status files")
        ),
    };
    let _ = writeln!(
        out,
        "{what} checked: {invalid} invalid, {errors} {}, {warnings} {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
    );
    out
}

/// Which runbook a status file was checked against, or why it was checked alone.
fn pairing_note(p: &StatusCheck) -> String {
    let status = p.path.display();
    match (&p.runbook, p.found_by.paired()) {
        (Some(r), true) => format!(
            "{status} checked against {} ({})",
            r.display(),
            p.found_by.label()
        ),
        (Some(r), false) => format!(
            "{status} checked alone ({} has errors): its task ids, metrics and sign-offs were not checked",
            r.display()
        ),
        (None, _) => format!(
            "{status} checked alone (no runbook found): its task ids, metrics, sign-offs and event log were not checked; \
             give the runbook with --runbook FILE, or name the two x.yaml and x.status.yaml"
        ),
    }
}

/// Which runbooks the parts named were checked as part of: one note per runbook (or
/// set of runbooks) and way of finding it, naming its parts in the order given.
fn part_notes(parts: &[PartCheck]) -> Vec<String> {
    let mut groups: Vec<(&[std::path::PathBuf], PartFoundBy, Vec<String>)> = Vec::new();
    for p in parts {
        let path = p.path.display().to_string();
        match groups
            .iter_mut()
            .find(|(runbooks, how, _)| *runbooks == p.runbooks.as_slice() && *how == p.found_by)
        {
            Some((_, _, paths)) => paths.push(path),
            None => groups.push((&p.runbooks, p.found_by, vec![path])),
        }
    }
    groups
        .into_iter()
        .map(|(runbooks, how, paths)| {
            let runbooks: Vec<String> = runbooks.iter().map(|r| r.display().to_string()).collect();
            format!(
                "{} checked as part of {}, which {} {} ({})",
                paths.join(", "),
                runbooks.join(" and "),
                plural(runbooks.len(), "includes", "include"),
                plural(paths.len(), "it", "them"),
                how.label()
            )
        })
        .collect()
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

fn totals(checks: &[FileCheck]) -> (usize, usize, usize, usize) {
    let errors: usize = checks.iter().map(FileCheck::errors).sum();
    let warnings: usize = checks.iter().map(FileCheck::warnings).sum();
    let invalid = checks.iter().filter(|c| c.errors() > 0).count();
    (checks.len(), invalid, errors, warnings)
}

fn render_one(renderer: &Renderer, sources: &Sources, d: &Diagnostic) -> String {
    let level = match d.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
    };
    // Runbook text in the words is shown, not obeyed, before colour is added.
    let title = visible(&format!("{} [{}]", d.message, d.code.name())).into_owned();
    let label = d.label.as_deref().map(visible);
    let help = d.help.as_deref().map(visible);
    let mut group = Group::with_title(level.primary_title(title.as_str()).id(d.code.as_str()));
    let main = d.origin.and_then(|o| place(sources, o));
    let path_only;
    match &main {
        Some(p) => {
            let mut annotation = AnnotationKind::Primary.span(p.mark.clone());
            if let Some(label) = &label {
                annotation = annotation.label(label.as_ref());
            }
            group = group.element(
                Snippet::source(p.line_text)
                    .line_start(p.line as usize)
                    .path(p.path.to_string_lossy())
                    .annotation(annotation),
            );
        }
        None => {
            if let Some(o) = d.origin {
                // No text to quote (e.g. a file that is not UTF-8): still say where.
                let path = sources.path(o.file).display();
                path_only = if o.span.is_unknown() {
                    format!("in {path}")
                } else {
                    format!("in {path}:{}:{}", o.span.line, o.span.col)
                };
                group = group.element(SnippetLevel::NOTE.message(path_only.as_str()));
            }
        }
    }
    let related: Vec<(Option<Place>, std::borrow::Cow<'_, str>)> = d
        .related
        .iter()
        .map(|r| (place(sources, r.origin), visible(&r.message)))
        .collect();
    for (p, message) in &related {
        if let Some(p) = p {
            group = group.element(
                Snippet::source(p.line_text)
                    .line_start(p.line as usize)
                    .path(p.path.to_string_lossy())
                    .annotation(AnnotationKind::Context.span(p.mark.clone()).label(message)),
            );
        }
    }
    if let Some(help) = &help {
        group = group.element(SnippetLevel::HELP.message(help.as_ref()));
    }
    renderer.render(&[group])
}

#[derive(Serialize)]
struct JsonReport<'a> {
    /// Version of this JSON shape.
    format: u32,
    valid: bool,
    summary: JsonSummary,
    files: Vec<JsonFile>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    status_files: Vec<JsonStatusFile>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    parts: Vec<JsonPart>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    skipped: Vec<JsonSkipped>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[allow(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct JsonStatusFile {
    path: String,
    runbook: Option<String>,
    found_by: &'static str,
}

#[derive(Serialize)]
struct JsonPart {
    path: String,
    runbooks: Vec<String>,
    found_by: &'static str,
}

#[derive(Serialize)]
struct JsonSkipped {
    path: String,
    reason: String,
}

#[derive(Serialize)]
struct JsonSummary {
    runbooks: usize,
    #[serde(skip_serializing_if = "is_zero")]
    status_files: usize,
    invalid: usize,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonFile {
    path: String,
    valid: bool,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    runbook: String,
    file: String,
    line: u32,
    column: u32,
    severity: &'static str,
    code: &'static str,
    name: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: u32,
    column: u32,
    message: &'a str,
}

/// The stable JSON shape documented in `docs/json.md`.
fn json<'a>(validation: &Validation<'a>) -> JsonReport<'a> {
    let (sources, checks, paired) = (
        validation.sources,
        validation.checks,
        validation.status_files,
    );
    let (files, invalid, errors, warnings) = totals(checks);
    let runbooks = files.saturating_sub(paired.len());
    let mut diagnostics = Vec::new();
    for check in checks {
        for d in &check.diagnostics {
            let (file, line, column) = location(sources, d.origin);
            diagnostics.push(JsonDiagnostic {
                runbook: check.path.display().to_string(),
                file,
                line,
                column,
                severity: d.level.as_str(),
                code: d.code.as_str(),
                name: d.code.name(),
                message: &d.message,
                label: d.label.as_deref(),
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let (file, line, column) = location(sources, Some(r.origin));
                        JsonRelated {
                            file,
                            line,
                            column,
                            message: &r.message,
                        }
                    })
                    .collect(),
            });
        }
    }
    JsonReport {
        format: 1,
        valid: invalid == 0,
        summary: JsonSummary {
            runbooks,
            status_files: paired.len(),
            invalid,
            errors,
            warnings,
        },
        files: checks
            .iter()
            .map(|c| JsonFile {
                path: c.path.display().to_string(),
                valid: c.errors() == 0,
                errors: c.errors(),
                warnings: c.warnings(),
            })
            .collect(),
        status_files: paired
            .iter()
            .map(|p| JsonStatusFile {
                path: p.path.display().to_string(),
                runbook: p.runbook.as_ref().map(|r| r.display().to_string()),
                found_by: p.found_by.name(),
            })
            .collect(),
        parts: validation
            .parts
            .iter()
            .map(|p| JsonPart {
                path: p.path.display().to_string(),
                runbooks: p.runbooks.iter().map(|r| r.display().to_string()).collect(),
                found_by: p.found_by.name(),
            })
            .collect(),
        skipped: validation
            .skipped
            .iter()
            .map(|s| JsonSkipped {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
        diagnostics,
    }
}

/// GitHub Actions workflow commands: one `::error`/`::warning` annotation per problem.
fn github(sources: &Sources, checks: &[FileCheck]) -> String {
    let mut out = String::new();
    for check in checks {
        for d in &check.diagnostics {
            let kind = match d.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let (file, line, col) = location(sources, d.origin);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(
                out,
                "::{kind} file={},line={line},col={col},title={}::{}",
                escape_property(&file),
                escape_property(&format!("{} {}", d.code.as_str(), d.code.name())),
                escape_data(&message),
            );
        }
    }
    out
}

pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `JUnit` XML: one test case per runbook, failing when it has errors.
fn junit(sources: &Sources, checks: &[FileCheck]) -> Result<String, RenderError> {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut suite = TestSuite::new("cutover validate");
    for check in checks {
        let name = check.path.display().to_string();
        let errors: Vec<&Diagnostic> = check.diagnostics.iter().filter(|d| d.is_error()).collect();
        let status = if errors.is_empty() {
            TestCaseStatus::success()
        } else {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(format!(
                "{} {}",
                errors.len(),
                plural(errors.len(), "error", "errors")
            ));
            status.set_type("invalid runbook");
            let mut description = String::new();
            for d in &errors {
                let (file, line, col) = location(sources, d.origin);
                let _ = writeln!(
                    description,
                    "{file}:{line}:{col}: {} {}: {}",
                    d.code.as_str(),
                    d.code.name(),
                    d.message
                );
            }
            status.set_description(description);
            status
        };
        let mut case = TestCase::new(name, status);
        case.set_classname("cutover.validate");
        suite.add_test_case(case);
    }
    let mut report = Report::new("cutover");
    report.add_test_suite(suite);
    report
        .to_string()
        .map_err(|e| RenderError::Junit(e.to_string()))
}
