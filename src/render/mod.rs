//! Output formats. Renderers only format what the library computed.
//!
//! `lint` and `diff` write to any `Write` and report a failure as a [`RenderError`],
//! never as empty output.

use std::io::Write;

pub mod diagnostics;
pub mod diff;
pub mod graph;
pub mod html;
pub mod lint;
pub mod plan;
pub mod report;
pub mod simulate;
pub mod table;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Writing failed.
    #[error("cannot write the output: {0}")]
    Io(#[from] std::io::Error),
    /// The JSON serialiser failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
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
