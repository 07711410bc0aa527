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

/// An id (task, gate, scenario, calendar, workstream, sign-off) as a JSON Schema
/// pattern: letters, digits, `-`, `_` and `.`, starting with a letter or digit. The
/// same rule as `validate::is_valid_id` (tested against it below).
pub const ID_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9_.-]*$";

/// A text value with its position.
pub type Text = Located<String>;

#[cfg(test)]
mod tests {
    use crate::schema::tests::matches;

    #[test]
    fn the_id_pattern_agrees_with_the_validator() {
        for id in [
            "a",
            "dm-load",
            "tech_final.backup",
            "007",
            "1",
            "Y",
            "x-",
            "a..b",
            "Tech Final Backup!",
            "-a",
            ".a",
            "_a",
            "",
            "a b",
            "caf\u{e9}",
            "a/b",
            "a:b",
        ] {
            assert_eq!(
                matches(super::ID_PATTERN, id),
                crate::validate::is_valid_id(id),
                "{id:?}"
            );
        }
    }
}
