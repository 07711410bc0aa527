//! The runbook and status formats as written: serde types that mirror the YAML.
//!
//! Values a later stage may need to point at are [`Located`]. Durations, instants and
//! references stay text here; `validate` parses and resolves them, so every mistake
//! is reported at once instead of stopping at the first.

mod entries;
mod located;

pub mod calendar;
pub mod event;
pub mod gate;
pub mod lint;
pub mod runbook;
pub mod scenario;
pub mod status;
pub mod task;

pub use entries::Entries;
pub use located::Located;

/// A text value with its position.
pub type Text = Located<String>;
