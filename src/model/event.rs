//! The event log as written: a YAML list, one event per line, appended by `cutover log`.
//!
//! ```yaml
//! - { seq: 1, at: "2027-06-11T19:02+01:00", recorded_at: "2027-06-11T19:04+01:00", by: "Sam Okafor", kind: start, task: tech-pas-freeze }
//! - { seq: 2, at: "2027-06-11T19:31+01:00", recorded_at: "2027-06-11T19:31+01:00", by: "Sam Okafor", kind: done, task: tech-pas-freeze }
//! ```
//!
//! A list whose items each sit on one line can only grow at the end, so the file stays
//! valid YAML after every append and a reader never needs more than the file.

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Located, Text};

/// One recorded event: what happened, when, and who recorded it when.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cutover event log entry (format v1)")]
pub struct Event {
    /// Position in the log, from 1, one more than the event before.
    pub seq: Located<u64>,
    /// When it happened (an instant with its offset).
    pub at: Text,
    /// When it was recorded: the clock of the machine that ran `cutover log`.
    pub recorded_at: Text,
    /// Who recorded it.
    pub by: Text,
    /// What kind of event it is.
    pub kind: Located<EventKind>,
    /// The task (`start`, `done`, `block`, `unblock`, `remaining`).
    pub task: Option<Text>,
    /// Why a task is blocked (`block`), or why an event is void (`void`).
    pub reason: Option<Text>,
    /// Work left on a started task, as of `at` (`remaining`).
    pub remaining: Option<Text>,
    /// The metric's name (`metric`).
    pub metric: Option<Text>,
    /// The metric's reading (`metric`).
    pub value: Option<Located<f64>>,
    /// The sign-off's id (`signoff`).
    pub signoff: Option<Text>,
    /// Who signed (`signoff`).
    pub signed_by: Option<Text>,
    /// The `seq` of the event this one voids (`void`).
    pub void: Option<Located<u64>>,
}

/// What an event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A task started.
    Start,
    /// A task finished.
    Done,
    /// A task cannot progress (with a reason).
    Block,
    /// A blocked task can progress again.
    Unblock,
    /// The work left on a started task.
    Remaining,
    /// A metric reading.
    Metric,
    /// A sign-off was given.
    Signoff,
    /// An earlier event was recorded in error: it stays in the log but counts no more.
    Void,
}

impl EventKind {
    /// The name as written in the log and typed after `cutover log`.
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Start => "start",
            EventKind::Done => "done",
            EventKind::Block => "block",
            EventKind::Unblock => "unblock",
            EventKind::Remaining => "remaining",
            EventKind::Metric => "metric",
            EventKind::Signoff => "signoff",
            EventKind::Void => "void",
        }
    }
}
