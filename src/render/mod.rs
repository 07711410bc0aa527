//! Output formats. Renderers only format what the library computed.
//!
//! Every command's result implements [`Render`]: one computed value, written in the
//! [`Format`] the user asked for to any `Write`. A renderer computes nothing and
//! reports a failure as a [`RenderError`], never as empty output.

use std::io::Write;

pub mod board;
pub mod calibrate;
pub mod diagnostics;
pub mod diff;
pub mod export;
pub mod graph;
pub mod html;
mod ics;
pub mod import;
pub mod lint;
pub mod log;
pub mod paper;
pub mod plan;
mod predecessors;
pub mod report;
pub mod runbook;
pub mod runsheet;
pub mod simulate;
mod since;
pub mod table;
pub mod update;
pub mod visible;

/// Every output format of every command. A command offers some of them as its
/// `--format` values; asking a result for another is a [`RenderError::Unsupported`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal, coloured when `color` is set.
    Table {
        /// Colour the cells by meaning (red, amber, green).
        color: bool,
        /// Fit tables to this many columns (a terminal's width); `None` keeps full rows
        /// (a pipe, a file, `--wide`).
        width: Option<u16>,
    },
    /// Markdown, for pull requests, wikis and pandoc.
    Markdown,
    /// The documented JSON shapes (`docs/json.md`).
    Json,
    /// One row per task, for spreadsheets.
    Csv,
    /// One self-contained page.
    Html,
    /// Graphviz.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// Diagnostics with source snippets, for people.
    Human {
        /// Colour the snippets.
        color: bool,
        /// End with a count of errors and warnings.
        summary: bool,
    },
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// `JUnit` XML.
    Junit,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// A runbook (or status file) as YAML, as a person would write it (`import`).
    Yaml,
    /// MS Project XML (MSPDI), for MS Project and the tools that read it (`export`).
    Mspdi,
    /// An Excel workbook (`export`): binary, so for a file or a pipe.
    Xlsx,
    /// iCalendar (RFC 5545): one event per task, for Outlook and Google Calendar (`plan`).
    Ics,
}

impl Format {
    /// The name a user types after `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Table { .. } => "table",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Dot => "dot",
            Format::Mermaid => "mermaid",
            Format::Human { .. } => "human",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Sarif => "sarif",
            Format::Yaml => "yaml",
            Format::Mspdi => "mspdi",
            Format::Xlsx => "xlsx",
            Format::Ics => "ics",
        }
    }
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Writing failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The JSON serialiser failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The CSV writer failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The `JUnit` writer failed.
    #[error("cannot write JUnit XML: {0}")]
    Junit(String),
    /// The Excel writer failed.
    #[error("cannot build the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The iCalendar writer failed.
    #[error("cannot write the calendar: {0}")]
    Calendar(#[from] std::fmt::Error),
    /// The result has no such format.
    #[error("{what} has no {} format", .format.name())]
    Unsupported {
        /// The result asked for.
        what: &'static str,
        /// The format asked for.
        format: Format,
    },
}

/// A command's result, ready to be written in any of its formats.
pub trait Render {
    /// Writes `self` as `format` to `out`.
    fn render(&self, format: Format, out: &mut dyn Write) -> Result<(), RenderError>;

    /// The result as bytes in memory (for `--out`, which writes a file atomically).
    /// Every format a person reads in a terminal is [`visible::guard`]ed: text from a
    /// runbook cannot write control characters to it.
    fn to_bytes(&self, format: Format) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::new();
        self.render(format, &mut out)?;
        Ok(match format {
            Format::Table { color, .. } | Format::Human { color, .. } => visible::guard(out, color),
            Format::Markdown | Format::Github | Format::Html | Format::Dot | Format::Mermaid => {
                visible::guard(out, false)
            }
            Format::Json
            | Format::Csv
            | Format::Junit
            | Format::Sarif
            | Format::Yaml
            | Format::Mspdi
            | Format::Xlsx
            | Format::Ics => out,
        })
    }
}

/// Writes `text` to `out`.
pub(crate) fn put(out: &mut dyn Write, text: &str) -> Result<(), RenderError> {
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Writes `value` as pretty JSON and a final newline.
pub(crate) fn put_json<T: serde::Serialize>(
    out: &mut dyn Write,
    value: &T,
) -> Result<(), RenderError> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_format_a_result_lacks_is_an_error_not_empty_output() {
        let schema = crate::schema::schema(crate::schema::SchemaKind::Status);
        let err = schema.to_bytes(Format::Csv).unwrap_err();
        assert_eq!(err.to_string(), "the schema has no csv format");
        assert!(schema.to_bytes(Format::Json).unwrap().len() > 100);
    }

    /// A writer that fails after `room` bytes.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.room == 0 {
                return Err(std::io::Error::other("disk full"));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_is_reported() {
        let schema = crate::schema::schema(crate::schema::SchemaKind::Runbook);
        let err = schema
            .render(Format::Json, &mut Full { room: 10 })
            .unwrap_err();
        assert!(err.to_string().contains("disk full"), "{err}");
    }
}
