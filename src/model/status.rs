//! The status file: what has happened so far.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Entries, Located, Text};

/// Actuals, metric readings and sign-offs as of a data date.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cutover status file (format v1)")]
pub struct StatusFile {
    /// Name of the runbook this status belongs to (checked when given).
    pub runbook: Option<Text>,
    /// The data date.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Instant")]
    pub as_of: Option<Text>,
    /// Which run this status describes: the live cutover or a dress rehearsal.
    pub run: Option<Located<Run>>,
    /// This status is a dress rehearsal's, with its name (`rehearsal: DR2`): the short
    /// form of `run: { kind: rehearsal, name: DR2 }`. Absent (and no `run:`): the live run.
    pub rehearsal: Option<Text>,
    /// An append-only event log written by `cutover log`, relative to this file
    /// (`weekend.events.yaml`); its events are folded into the actuals below.
    pub log: Option<Text>,
    /// Task id -> actuals.
    #[serde(default)]
    #[schemars(with = "crate::schema::ById<Located<TaskStatus>>")]
    pub tasks: Entries<Located<TaskStatus>>,
    /// Metric name -> a number, or a list of `{ at, value }` readings.
    #[serde(default)]
    pub metrics: Entries<Located<MetricValue>>,
    /// Sign-off id -> who signed and when.
    #[serde(default)]
    #[schemars(with = "crate::schema::ById<Located<Signoff>>")]
    pub signoffs: Entries<Located<Signoff>>,
}

/// Which run a status file describes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// `live` (the real cutover) or `rehearsal` (a dress rehearsal).
    pub kind: Located<RunKind>,
    /// The run's name, e.g. `DR2` for the second dress rehearsal.
    pub name: Option<Text>,
}

/// The live cutover, or a dress rehearsal of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunKind {
    /// The real cutover.
    Live,
    /// A dress rehearsal: its decisions are not the live run's.
    Rehearsal,
}

/// What happened to one task.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStatus {
    /// Instant the task started.
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub started: Option<Text>,
    /// Instant it finished.
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub finished: Option<Text>,
    /// Duration left on a started task.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub remaining: Option<Text>,
    /// Why the task cannot progress.
    pub blocked: Option<Text>,
}

/// A metric's readings.
#[derive(Debug, Clone)]
pub enum MetricValue {
    /// One number, read at the data date.
    Single(f64),
    /// Readings over time.
    History(Vec<Located<Reading>>),
}

/// One reading of a metric.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// When it was read.
    #[schemars(with = "crate::schema::Instant")]
    pub at: Text,
    /// The value.
    pub value: Located<f64>,
}

/// A recorded sign-off.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    /// Who signed.
    pub by: Option<Text>,
    /// When.
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub at: Option<Text>,
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MetricVisitor)
    }
}

struct MetricVisitor;

impl<'de> Visitor<'de> for MetricVisitor {
    type Value = MetricValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a list of `{ at, value }` readings")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<MetricValue, E> {
        Ok(MetricValue::Single(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<MetricValue, E> {
        Ok(MetricValue::Single(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<MetricValue, E> {
        Ok(MetricValue::Single(v as f64))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MetricValue, A::Error> {
        let mut readings = Vec::new();
        while let Some(r) = seq.next_element()? {
            readings.push(r);
        }
        Ok(MetricValue::History(readings))
    }
}

impl JsonSchema for MetricValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MetricValue".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let reading = generator.subschema_for::<Reading>();
        schemars::json_schema!({
            "description": "A number read at the data date, or a list of `{ at, value }` readings.",
            "anyOf": [ { "type": "number" }, { "type": "array", "items": reading } ]
        })
    }
}
