//! Tasks and their dependencies.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Located, Text};
use crate::source::Span;

/// One piece of work in the plan.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Unique task id, e.g. `dm-load-appointments`.
    #[schemars(required)]
    #[schemars(with = "crate::schema::Id")]
    pub id: Option<Text>,
    /// What is done, in words a ward manager understands.
    #[schemars(required)]
    pub name: Option<String>,
    /// Workstream id.
    #[schemars(with = "Option<crate::schema::Id>")]
    pub workstream: Option<Text>,
    /// The person who does it or answers for it.
    pub owner: Option<String>,
    /// Planned duration, e.g. `30m`, `4h`, `2d`, `1w 2d`, `48h elapsed`.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub duration: Option<Text>,
    /// Three-point estimate; `likely` is planned, the spread feeds Monte Carlo.
    pub estimate: Option<Box<Located<Estimate>>>,
    /// A zero-length event.
    pub milestone: Option<bool>,
    /// Marks the one milestone that is go-live.
    pub go_live: Option<Located<bool>>,
    /// Calendar id (default: the runbook's `default_calendar`).
    #[schemars(with = "Option<crate::schema::Id>")]
    pub calendar: Option<Text>,
    /// Tasks this one depends on: ids (finish-to-start) or `{ task, type, lag }`.
    #[serde(default)]
    pub after: Vec<Located<Dependency>>,
    /// Start no earlier than this instant.
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub not_before: Option<Text>,
    /// Should finish by this instant.
    #[schemars(with = "Option<crate::schema::Instant>")]
    pub deadline: Option<Text>,
    /// Rolling back is no longer possible once this task is done.
    pub point_of_no_return: Option<bool>,
    /// Time needed to roll back from this point of no return.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub rollback: Option<Text>,
    /// Words to filter by.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free text.
    pub notes: Option<String>,
}

/// A three-point estimate.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// Best case (optimistic) duration.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub best: Option<Text>,
    /// Most likely duration: the one planned.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub likely: Option<Text>,
    /// Worst case (pessimistic) duration.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub worst: Option<Text>,
    /// `pert` (default) or `triangular`.
    pub distribution: Option<Located<Distribution>>,
}

/// Shape of a three-point estimate's distribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// PERT (the default): a Beta distribution with mean (best + 4 × likely + worst) / 6.
    #[default]
    Pert,
    /// Triangular: likelihood rises in a straight line from best to likely, then falls to worst.
    Triangular,
}

/// How two tasks are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
pub enum LinkType {
    /// Finish-to-start: starts after the other finishes.
    #[default]
    #[serde(alias = "fs", alias = "finish-to-start")]
    FS,
    /// Start-to-start: starts after the other starts.
    #[serde(alias = "ss", alias = "start-to-start")]
    SS,
    /// Finish-to-finish: finishes after the other finishes.
    #[serde(alias = "ff", alias = "finish-to-finish")]
    FF,
    /// Start-to-finish: finishes after the other starts.
    #[serde(alias = "sf", alias = "start-to-finish")]
    SF,
}

/// Every spelling serde reads, aliases included (schemars leaves aliases out).
impl JsonSchema for LinkType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LinkType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "How two tasks are linked: `FS` finish-to-start (default), `SS` start-to-start, `FF` finish-to-finish, `SF` start-to-finish.",
            "type": "string",
            "enum": [
                "FS", "SS", "FF", "SF", "fs", "ss", "ff", "sf",
                "finish-to-start", "start-to-start", "finish-to-finish", "start-to-finish"
            ]
        })
    }
}

/// As written: `FS`, `SS`, `FF`, `SF`.
impl serde::Serialize for LinkType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkType::FS => "FS",
            LinkType::SS => "SS",
            LinkType::FF => "FF",
            LinkType::SF => "SF",
        })
    }
}

/// One entry of `after:`: a task id, or `{ task, type, lag }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// The id of the task this one waits for.
    pub task: Text,
    /// `FS` (default), `SS`, `FF` or `SF`, if written.
    pub link: Option<Located<LinkType>>,
    /// The lag as written (`2h`, `-1h`, `12h elapsed`), if any.
    pub lag: Option<Text>,
}

impl<'de> Deserialize<'de> for Dependency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DependencyVisitor)
    }
}

struct DependencyVisitor;

impl<'de> Visitor<'de> for DependencyVisitor {
    type Value = Dependency;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a task id or a mapping `{ task, type, lag }`")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Dependency, E> {
        // The surrounding `Located` carries the position of this scalar; the loader
        // copies it onto `task` (see `Located<Dependency>` handling in `load`).
        Ok(Dependency {
            task: Located::new(v.to_owned(), Span::default()),
            link: None,
            lag: None,
        })
    }

    // YAML reads a plain `y`, `no`, `on`, `1` or `1.0` as a boolean or a number, but in
    // `after:` it is the id of a task (`id: y` is text). The value is kept here; the
    // loader replaces it with the text as written (see `fix_spans` in `load`).
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Dependency, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dependency, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dependency, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dependency, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dependency, A::Error> {
        let mut task: Option<Text> = None;
        let mut link = None;
        let mut lag = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "task" => {
                    if task.is_some() {
                        return Err(de::Error::duplicate_field("task"));
                    }
                    task = Some(map.next_value()?);
                }
                "type" => {
                    if link.is_some() {
                        return Err(de::Error::duplicate_field("type"));
                    }
                    link = Some(map.next_value()?);
                }
                "lag" => {
                    if lag.is_some() {
                        return Err(de::Error::duplicate_field("lag"));
                    }
                    lag = Some(map.next_value()?);
                }
                other => return Err(de::Error::unknown_field(other, &["task", "type", "lag"])),
            }
        }
        let task = task.ok_or_else(|| de::Error::missing_field("task"))?;
        Ok(Dependency { task, link, lag })
    }
}

impl JsonSchema for Dependency {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Dependency".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let link = generator.subschema_for::<LinkType>();
        let id = generator.subschema_for::<crate::schema::Id>();
        let lag = generator.subschema_for::<crate::schema::SignedDuration>();
        schemars::json_schema!({
            "description": "A task id (finish-to-start), or `{ task, type, lag }`.",
            "anyOf": [
                id,
                {
                    "type": "object",
                    "properties": {
                        "task": id,
                        "type": link,
                        "lag": lag
                    },
                    "required": ["task"],
                    "additionalProperties": false
                }
            ]
        })
    }
}
