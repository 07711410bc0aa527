//! What-if scenarios: changes to the runbook to compare with the plan.

use schemars::JsonSchema;
use serde::Deserialize;

use super::task::Estimate;
use super::{Entries, Located, Text};

/// A named change to the runbook.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Unique scenario id.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Id")]
    pub id: Option<Text>,
    /// Scenario name for reports.
    pub name: Option<Text>,
    /// Move go-live and the window later by this duration.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub defer_go_live: Option<Text>,
    /// A new go-live instant (the window moves with it).
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub go_live: Option<Text>,
    /// Task id -> duration added to the task.
    #[schemars(with = "Option<crate::schema::ById<crate::schema::SignedDuration>>")]
    pub slip: Option<Entries<Text>>,
    /// Task id -> new duration.
    #[schemars(with = "Option<crate::schema::ById<crate::schema::Duration>>")]
    pub durations: Option<Entries<Text>>,
    /// Task id -> new three-point estimate.
    pub estimates: Option<Entries<Located<Estimate>>>,
    /// Metric -> value read at the data date.
    pub metrics: Option<Entries<Located<f64>>>,
    /// Task ids to treat as finished.
    #[schemars(with = "Option<Vec<crate::schema::Id>>")]
    pub done: Option<Vec<Text>>,
}
