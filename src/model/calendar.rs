//! Calendars as written: `24x7`, or working hours, days and holidays.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Entries, Located, Text};
use crate::source::Span;

/// A calendar: the word `24x7`, or a mapping of hours, days and holidays.
#[derive(Debug, Clone)]
pub enum CalendarSpec {
    /// A single word, e.g. `24x7`.
    Preset(Text),
    /// A mapping of `hours`, `days`, `holidays` and `day_length`.
    Custom(Located<CalendarFields>),
}

/// A working-time calendar.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarFields {
    /// `08:00-18:00`, several ranges separated by commas, `24x7`; or a map from days
    /// (`mon-thu`, `fri`) to ranges.
    pub hours: Option<Located<Hours>>,
    /// Working days: `mon-fri` (default), `mon-sun`, `mon,wed,fri` or a list.
    pub days: Option<Located<Days>>,
    /// Non-working dates (`2026-12-29`) and named sets (`england-and-wales`).
    #[serde(default)]
    pub holidays: Vec<Text>,
    /// Dates with their own working hours (`2027-01-02: 09:00-13:00`), e.g. a working
    /// Saturday; they replace the weekday's hours and win over a holiday.
    #[serde(default)]
    pub exceptions: Entries<Text>,
    /// What one day (`1d`) means on this calendar; default the first working day's hours.
    #[schemars(with = "Option<crate::schema::Duration>")]
    pub day_length: Option<Text>,
}

/// Working hours: one set of ranges for every working day, or ranges per day.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Hours {
    /// e.g. `08:00-12:30, 13:30-17:00`.
    Every(String),
    /// e.g. `{ mon-thu: "08:00-17:00", fri: "08:00-16:00" }`.
    PerDay(Entries<String>),
}

/// Working days as text (`mon-fri`) or a list (`[mon, tue]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Days {
    /// As text: `mon-fri`, `mon-sun`, `mon,wed,fri`.
    Text(String),
    /// As a list: `[mon, tue]`.
    List(Vec<String>),
}

impl<'de> Deserialize<'de> for CalendarSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SpecVisitor)
    }
}

struct SpecVisitor;

impl<'de> Visitor<'de> for SpecVisitor {
    type Value = CalendarSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`24x7` or a mapping with hours, days and holidays")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<CalendarSpec, E> {
        Ok(CalendarSpec::Preset(Located::new(
            v.to_owned(),
            Span::default(),
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CalendarSpec, A::Error> {
        let fields = CalendarFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(CalendarSpec::Custom(Located::new(fields, Span::default())))
    }
}

impl JsonSchema for CalendarSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Calendar".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let fields = generator.subschema_for::<CalendarFields>();
        schemars::json_schema!({
            "description": "`24x7`, or working hours, days and holidays.",
            "anyOf": [ { "type": "string", "enum": ["24x7"] }, fields ]
        })
    }
}

impl JsonSchema for Hours {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Hours".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let hours = crate::calendar::hours_pattern();
        schemars::json_schema!({
            "description": "Working hours: `08:00-18:00`, several ranges separated by commas, `24x7`; or a map from days (`mon-thu`, `fri`) to ranges.",
            "anyOf": [
                { "type": "string", "pattern": hours },
                {
                    "type": "object",
                    "propertyNames": { "pattern": crate::calendar::days_pattern() },
                    "additionalProperties": { "type": "string", "pattern": hours }
                }
            ]
        })
    }
}

impl JsonSchema for Days {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Days".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let days = crate::calendar::days_pattern();
        schemars::json_schema!({
            "description": "Working days: `mon-fri` (default), `mon-sun`, `mon,wed,fri` or a list.",
            "anyOf": [
                { "type": "string", "pattern": days },
                { "type": "array", "minItems": 1, "items": { "type": "string", "pattern": days } }
            ]
        })
    }
}
