//! Output formats. Renderers only format what the library computed.
//!
//! Every command's result implements [`Render`]: one computed value, written in the
//! [`Format`] the user asked for to any `Write`. A renderer computes nothing and
//! reports a failure as a [`RenderError`], never as empty output.

use std::io::Write;

pub mod diagnostics;
pub mod graph;
pub mod html;
pub mod plan;
pub mod report;
pub mod simulate;
pub mod table;

/// Every output format of every command. A command offers some of them as its
/// `--format` values; asking a result for another is a [`RenderError::Unsupported`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Tables for a terminal, coloured when `color` is set.
    Table {
        /// Colour the cells by meaning (red, amber, green).
        color: bool,
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
    /// JUnit XML.
    Junit,
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
    /// The JUnit writer failed.
    #[error("cannot write JUnit XML: {0}")]
    Junit(String),
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
    fn to_bytes(&self, format: Format) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::new();
        self.render(format, &mut out)?;
        Ok(out)
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
