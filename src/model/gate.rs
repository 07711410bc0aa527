//! Readiness gates and their criteria.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Located, Text};

/// A checkpoint the board decides on, with criteria.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Unique gate id.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Id")]
    pub id: Option<Text>,
    /// Gate name, e.g. `Data readiness`.
    pub name: Option<Text>,
    /// When it is due: T-minus (`T-14d`) or an instant.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Due")]
    pub due: Option<Text>,
    /// Who presents the gate.
    pub owner: Option<Text>,
    /// What must hold for the gate to pass.
    #[serde(default)]
    pub criteria: Vec<Located<Criterion>>,
}

/// One criterion: exactly one of `metric`, `tasks_done`, `workstream_done`,
/// `float_to_go_live`, `fits_window`, `signoff`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    { "required": ["metric"] },
    { "required": ["tasks_done"] },
    { "required": ["workstream_done"] },
    { "required": ["float_to_go_live"] },
    { "required": ["fits_window"] },
    { "required": ["signoff"] },
]))]
pub struct Criterion {
    /// A metric from the status file, with `at_least`, `at_most` or `equals`.
    pub metric: Option<Text>,
    /// Passes when the value is at least this.
    pub at_least: Option<Located<f64>>,
    /// Passes when the value is at most this.
    pub at_most: Option<Located<f64>>,
    /// Passes when the value equals this.
    pub equals: Option<Located<f64>>,
    /// Task ids that must have finished.
    #[schemars(with = "Option<Vec<crate::schema::Id>>")]
    pub tasks_done: Option<Vec<Text>>,
    /// Workstream id whose planned duration must be `at_least` percent done.
    #[schemars(with = "Option<crate::schema::Id>")]
    pub workstream_done: Option<Text>,
    /// The plan must be ready at least this long before go-live.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub float_to_go_live: Option<Text>,
    /// The plan must finish before the window closes.
    pub fits_window: Option<Located<bool>>,
    /// Sign-off id that the status file must record.
    #[schemars(with = "Option<crate::schema::Id>")]
    pub signoff: Option<Text>,
    /// Who is expected to sign (for `signoff`).
    pub by: Option<Text>,
    /// `blocker`, `major` (default) or `minor`.
    pub severity: Option<Located<Severity>>,
    /// Who answers for this criterion.
    pub owner: Option<Text>,
    /// Label for reports.
    pub name: Option<Text>,
}

/// How much a failing criterion matters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Failing it means NO-GO.
    Blocker,
    /// Failing it means GO WITH CONDITIONS.
    #[default]
    Major,
    /// Reported, does not change the decision.
    Minor,
}
