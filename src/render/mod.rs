//! Output formats. Renderers only format what the library computed.

pub mod diagnostics;
pub mod export;
pub mod graph;
pub mod html;
pub mod import;
pub mod plan;
pub mod report;
pub mod runbook;
pub mod simulate;
pub mod table;
