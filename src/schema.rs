//! JSON Schemas (draft-07, which yaml-language-server reads) of the file formats,
//! generated from the same types the loader uses, so they never drift apart.

use schemars::generate::SchemaSettings;

use crate::model::runbook::{Parts, RunbookFile};
use crate::model::status::StatusFile;
use crate::render::{Format, Render, RenderError, put_json};

/// Which file format to describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemaKind {
    Runbook,
    /// A file named in a runbook's `include:`.
    Include,
    Status,
}

/// The JSON Schema of a file format, as `cutover schema` prints it.
#[derive(Debug, Clone)]
pub(crate) struct Schema(pub schemars::Schema);

/// The JSON Schema of `kind`.
pub(crate) fn schema(kind: SchemaKind) -> Schema {
    let generator = SchemaSettings::draft07().for_deserialize().into_generator();
    Schema(match kind {
        SchemaKind::Runbook => generator.into_root_schema_for::<RunbookFile>(),
        SchemaKind::Include => generator.into_root_schema_for::<Parts>(),
        SchemaKind::Status => generator.into_root_schema_for::<StatusFile>(),
    })
}

impl Render for Schema {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        match format {
            Format::Json => put_json(out, &self.0),
            _ => Err(RenderError::Unsupported {
                what: "the schema",
                format,
            }),
        }
    }
}
