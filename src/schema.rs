//! JSON Schemas (draft-07, which yaml-language-server reads) of the file formats,
//! generated from the same types the loader uses, so they never drift apart.

use schemars::generate::SchemaSettings;

use crate::model::runbook::{Parts, RunbookFile};
use crate::model::status::StatusFile;

/// Which file format to describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    Runbook,
    /// A file named in a runbook's `include:`.
    Include,
    Status,
}

/// The JSON Schema of `kind`, pretty-printed.
pub fn schema(kind: SchemaKind) -> String {
    let generator = SchemaSettings::draft07().for_deserialize().into_generator();
    let schema = match kind {
        SchemaKind::Runbook => generator.into_root_schema_for::<RunbookFile>(),
        SchemaKind::Include => generator.into_root_schema_for::<Parts>(),
        SchemaKind::Status => generator.into_root_schema_for::<StatusFile>(),
    };
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
