//! `cutover lint` for people (findings with source snippets, then the summary table),
//! as Markdown, JSON (docs/json.md), GitHub annotations and SARIF 2.1.0.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Group, Level as SnippetLevel, Renderer, Snippet};
use serde::Serialize;
use serde_sarif::sarif;

use super::diagnostics::{escape_data, escape_property, place};
use super::table::{Style, Tone, cell, table};
use super::{Format, Render, RenderError, put, put_json};
use crate::lint::{Check, Finding, Level, Lint, Outcome, RunbookLint};

impl Render for Lint {
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError> {
        match format {
            Format::Human { color, .. } => put(out, &human(self, color)),
            Format::Markdown => put(out, &markdown(self)),
            Format::Json => put_json(
                out,
                &Json {
                    format: 1,
                    lint: self,
                },
            ),
            Format::Github => put(out, &github(self)),
            Format::Sarif => put_json(out, &sarif(self)?),
            _ => Err(RenderError::Unsupported {
                what: "the lint result",
                format,
            }),
        }
    }
}

/// Whether a finding is listed in the human, Markdown and GitHub formats: errors and
/// warnings always, notes only when they fail the run (`--fail-level note`); waived
/// findings are listed apart. JSON and SARIF carry every finding.
fn listed(lint: &Lint, f: &Finding) -> bool {
    f.waived.is_none() && (f.level >= Level::Warning || lint.fail_level == Level::Note)
}

#[derive(Serialize)]
struct Json<'a> {
    /// Version of this JSON shape.
    format: u32,
    #[serde(flatten)]
    lint: &'a Lint,
}

fn human(lint: &Lint, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for r in &lint.runbooks {
        for f in r.findings.iter().filter(|f| listed(lint, f)) {
            let _ = writeln!(out, "{}\n", snippet(&renderer, lint, f));
        }
    }
    for (i, r) in lint.runbooks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&heading(r));
        out.push_str(&summary_table(r, Style::Terminal { color, width: None }));
        out.push('\n');
        let waived: Vec<&Finding> = r.findings.iter().filter(|f| f.waived.is_some()).collect();
        if !waived.is_empty() {
            out.push_str("Waived:\n");
            for f in waived {
                let _ = writeln!(
                    out,
                    "  {} {} at {}:{}:{}: {}",
                    f.code.code(),
                    f.name,
                    f.file.display(),
                    f.line,
                    f.col,
                    f.waived.as_deref().unwrap_or_default()
                );
            }
        }
    }
    out.push_str(&verdict(lint));
    out
}

fn snippet(renderer: &Renderer, lint: &Lint, f: &Finding) -> String {
    let level = match f.level {
        Level::Error => SnippetLevel::ERROR,
        Level::Warning => SnippetLevel::WARNING,
        Level::Note => SnippetLevel::NOTE,
    };
    let title = super::visible::visible(&format!("{} [{}]", f.message, f.name)).into_owned();
    let help = f.help.as_deref().map(super::visible::visible);
    let mut group = Group::with_title(level.primary_title(title.as_str()).id(f.code.code()));
    let quoted = f.origin.and_then(|o| place(&lint.sources, o));
    let location = format!("in {}:{}:{}", f.file.display(), f.line, f.col);
    match &quoted {
        Some(p) => {
            group = group.element(
                Snippet::source(p.line_text)
                    .line_start(p.line as usize)
                    .path(p.path.to_string_lossy())
                    .annotation(AnnotationKind::Primary.span(p.mark.clone())),
            );
        }
        None => group = group.element(SnippetLevel::NOTE.message(location.as_str())),
    }
    if let Some(help) = &help {
        group = group.element(SnippetLevel::HELP.message(help.as_ref()));
    }
    renderer.render(&[group])
}

fn heading(r: &RunbookLint) -> String {
    let mut text = format!("{}: {}\n", r.path.display(), r.runbook);
    if let Some(config) = &r.config {
        let _ = writeln!(text, "settings also from {}", config.display());
    }
    if let Some(date) = &r.data_date {
        let _ = writeln!(text, "data date {}", date.local);
    }
    text
}

fn percent(p: f64) -> String {
    let text = format!("{p:.1}");
    format!("{}%", text.trim_end_matches(".0"))
}

fn summary_table(r: &RunbookLint, style: Style) -> String {
    let mut t = table(
        style,
        &[
            "check",
            "threshold",
            "tolerated",
            "found",
            "share",
            "waived",
            "result",
        ],
    );
    for s in &r.summary {
        let tone = match s.outcome {
            Outcome::Pass => Tone::Good,
            Outcome::Fail if s.level == Level::Error => Tone::Bad,
            Outcome::Fail => Tone::Warn,
            Outcome::Off | Outcome::NotRun => Tone::Muted,
        };
        let result = match (&s.note, s.outcome) {
            (Some(note), Outcome::NotRun) => format!("not run: {note}"),
            (_, Outcome::Fail) => format!("fail ({})", s.level.as_str()),
            (_, outcome) => outcome.label().to_owned(),
        };
        let running = matches!(s.outcome, Outcome::Pass | Outcome::Fail);
        let (found, share) = if running {
            (
                format!("{} of {} {}", s.count, s.population, s.counted),
                percent(s.share),
            )
        } else {
            ("-".to_owned(), "-".to_owned())
        };
        t.add_row(vec![
            cell(style, &format!("{} {}", s.code.code(), s.name), Tone::Plain),
            cell(style, s.threshold.as_deref().unwrap_or("-"), Tone::Plain),
            cell(
                style,
                &s.max_share.map_or_else(|| "0".to_owned(), percent),
                Tone::Plain,
            ),
            cell(style, &found, Tone::Plain),
            cell(style, &share, Tone::Plain),
            cell(style, &s.waived.to_string(), Tone::Plain),
            cell(style, &result, tone),
        ]);
    }
    format!("{t}\n")
}

fn verdict(lint: &Lint) -> String {
    let t = lint.totals;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let notes = if t.notes > 0 && lint.fail_level != Level::Note {
        format!(
            "{} (listed with --fail-level note)",
            plural(t.notes, "note", "notes")
        )
    } else {
        plural(t.notes, "note", "notes")
    };
    format!(
        "{} linted: {}, {}, {notes}, {}; {} at --fail-level {}\n",
        plural(lint.runbooks.len(), "runbook", "runbooks"),
        plural(t.errors, "error", "errors"),
        plural(t.warnings, "warning", "warnings"),
        plural(t.waived, "waived", "waived"),
        if lint.failed { "fails" } else { "passes" },
        lint.fail_level.as_str()
    )
}

fn markdown(lint: &Lint) -> String {
    use super::table::markdown_escape as esc;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### cutover lint: {}\n",
        if lint.failed { "fails" } else { "passes" }
    );
    for r in &lint.runbooks {
        let _ = writeln!(out, "#### `{}`: {}\n", r.path.display(), esc(&r.runbook));
        out.push_str(&summary_table(r, Style::Markdown));
        out.push('\n');
        let shown: Vec<&Finding> = r.findings.iter().filter(|f| listed(lint, f)).collect();
        if !shown.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>{} findings</summary>\n",
                shown.len()
            );
            for f in shown {
                let _ = writeln!(
                    out,
                    "- **{}** {} `{}`: {} ({}:{}:{})",
                    f.level.as_str(),
                    f.code.code(),
                    f.name,
                    esc(&f.message),
                    esc(&f.file.display().to_string()),
                    f.line,
                    f.col
                );
            }
            out.push_str("\n</details>\n\n");
        }
        let waived: Vec<&Finding> = r.findings.iter().filter(|f| f.waived.is_some()).collect();
        if !waived.is_empty() {
            let _ = writeln!(out, "<details><summary>{} waived</summary>\n", waived.len());
            for f in waived {
                let _ = writeln!(
                    out,
                    "- {} `{}` at {}:{}: {}",
                    f.code.code(),
                    f.name,
                    esc(&f.file.display().to_string()),
                    f.line,
                    esc(f.waived.as_deref().unwrap_or_default())
                );
            }
            out.push_str("\n</details>\n\n");
        }
    }
    out.push_str(&verdict(lint));
    out
}

fn github(lint: &Lint) -> String {
    let mut out = String::new();
    for f in lint
        .runbooks
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| listed(lint, f))
    {
        let kind = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{kind} file={},line={},col={},title={}::{}",
            escape_property(&f.file.display().to_string()),
            f.line,
            f.col,
            escape_property(&format!("{} {}", f.code.code(), f.name)),
            escape_data(&message),
        );
    }
    out
}

/// The OASIS SARIF 2.1.0 schema (errata 01), which the output follows.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn sarif_level(level: Level) -> serde_json::Value {
    serde_json::Value::from(level.as_str())
}

fn sarif(lint: &Lint) -> Result<sarif::Sarif, RenderError> {
    let rules: Vec<sarif::ReportingDescriptor> = Check::ALL
        .iter()
        .map(|c| {
            sarif::ReportingDescriptor::builder()
                .id(c.code())
                .name(c.name())
                .short_description(
                    sarif::MultiformatMessageString::builder()
                        .text(c.title())
                        .build(),
                )
                .default_configuration(
                    sarif::ReportingConfiguration::builder()
                        .level(sarif_level(c.default_level()))
                        .build(),
                )
                .build()
        })
        .collect();
    let index_of = |c: Check| Check::ALL.iter().position(|x| *x == c);
    let mut results = Vec::new();
    for f in lint.runbooks.iter().flat_map(|r| &r.findings) {
        let mut text = f.message.clone();
        if let Some(help) = &f.help {
            text.push_str("\nhelp: ");
            text.push_str(help);
        }
        let location = sarif::Location::builder()
            .physical_location(
                sarif::PhysicalLocation::builder()
                    .artifact_location(sarif::ArtifactLocation::builder().uri(uri(&f.file)).build())
                    .region(
                        sarif::Region::builder()
                            .start_line(i64::from(f.line))
                            .start_column(i64::from(f.col))
                            .build(),
                    )
                    .build(),
            )
            .build();
        let level = match f.level {
            Level::Error => sarif::ResultLevel::Error,
            Level::Warning => sarif::ResultLevel::Warning,
            Level::Note => sarif::ResultLevel::Note,
        };
        let message = sarif::Message::builder().text(text).build();
        let rule_index = index_of(f.code).map_or(-1, |i| i as i64);
        let result = match &f.waived {
            Some(reason) => sarif::Result::builder()
                .rule_id(f.code.code())
                .rule_index(rule_index)
                .level(level)
                .message(message)
                .locations(vec![location])
                .suppressions(vec![
                    sarif::Suppression::builder()
                        .kind("inSource")
                        .justification(reason.as_str())
                        .build(),
                ])
                .build(),
            None => sarif::Result::builder()
                .rule_id(f.code.code())
                .rule_index(rule_index)
                .level(level)
                .message(message)
                .locations(vec![location])
                .build(),
        };
        results.push(result);
    }
    // The summary tables ride along in the run's property bag.
    #[derive(Serialize)]
    struct Summary<'a> {
        path: &'a Path,
        runbook: &'a str,
        checks: &'a [crate::lint::CheckSummary],
    }
    #[derive(Serialize)]
    struct Properties<'a> {
        fail_level: Level,
        failed: bool,
        runbooks: Vec<Summary<'a>>,
    }
    let mut properties = BTreeMap::new();
    properties.insert(
        "cutover".to_owned(),
        serde_json::to_value(Properties {
            fail_level: lint.fail_level,
            failed: lint.failed,
            runbooks: lint
                .runbooks
                .iter()
                .map(|r| Summary {
                    path: &r.path,
                    runbook: &r.runbook,
                    checks: &r.summary,
                })
                .collect(),
        })?,
    );
    let driver = sarif::ToolComponent::builder()
        .name("cutover")
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(rules)
        .build();
    let run = sarif::Run::builder()
        .tool(sarif::Tool::builder().driver(driver).build())
        .column_kind("unicodeCodePoints")
        .results(results)
        .properties(
            sarif::PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    Ok(sarif::Sarif::builder()
        .schema(SARIF_SCHEMA)
        .version("2.1.0")
        .runs(vec![run])
        .build())
}

/// A file path as a SARIF artifact URI: relative paths stay relative (to the
/// repository root in CI), with `/` separators and reserved characters escaped.
fn uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(b));
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    if path.is_absolute() {
        format!("file://{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_relative_with_reserved_characters_escaped() {
        assert_eq!(uri(Path::new("runbooks/a b.yaml")), "runbooks/a%20b.yaml");
        assert_eq!(uri(Path::new("./r.yaml")), "r.yaml");
        assert_eq!(uri(Path::new("/tmp/r#1.yaml")), "file:///tmp/r%231.yaml");
    }

    #[test]
    fn shares_print_without_a_trailing_zero() {
        assert_eq!(percent(5.0), "5%");
        assert_eq!(percent(6.2857), "6.3%");
        assert_eq!(percent(0.0), "0%");
    }
}
