//! The runbook's `lint:` section as written: per check, on or off, its level and
//! thresholds. `cutover lint` reads it (`src/lint/config.rs`); `validate` checks only
//! its shape.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Located, Text};
use crate::source::Span;

/// One check's setting, by check name (`high-float`) or code (`L006`): a word (`off`,
/// `on`, `error`, `warning`, `note`) or a mapping of these fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckSetting {
    /// `error`, `warning` or `note`; `off` turns the check off, `on` keeps its level.
    pub level: Option<Text>,
    /// The check's limit, a duration: `long-lag`, `high-float`, `long-window-task`.
    pub threshold: Option<Text>,
    /// The share of items the check tolerates before it fails, e.g. `5%`.
    pub max_share: Option<Text>,
    /// The tag that marks a rollback rehearsal (`unrehearsed-rollback`).
    pub tag: Option<Text>,
}

/// A [`CheckSetting`] in either form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Setting(pub CheckSetting);

impl<'de> Deserialize<'de> for Setting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SettingVisitor)
    }
}

struct SettingVisitor;

impl<'de> Visitor<'de> for SettingVisitor {
    type Value = Setting;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "`off`, `on`, `error`, `warning`, `note`, or a mapping of `level`, `threshold`, \
             `max_share` and `tag`",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Setting, E> {
        // The surrounding `Located` carries the position; `lint` copies it here.
        Ok(Setting(CheckSetting {
            level: Some(Located::new(v.to_owned(), Span::default())),
            ..CheckSetting::default()
        }))
    }

    // YAML 1.1 readers take `off` and `on` for booleans; accept either reading.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Setting, E> {
        self.visit_str(if v { "on" } else { "off" })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Setting, A::Error> {
        CheckSetting::deserialize(de::value::MapAccessDeserializer::new(map)).map(Setting)
    }
}

impl JsonSchema for Setting {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LintSetting".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let fields = generator.subschema_for::<CheckSetting>();
        schemars::json_schema!({
            "description": "A lint check's setting (docs/lint.md): a word, or a mapping.",
            "anyOf": [
                { "type": "string", "enum": ["off", "on", "error", "warning", "note"] },
                { "type": "boolean" },
                fields
            ]
        })
    }
}
