//! JSON Schemas (draft-07, which yaml-language-server reads) of the file formats,
//! generated from the same types the loader uses, so they never drift apart.
//!
//! The schemas agree with the tool in both directions (`tests/schemas.rs`):
//! - They accept every form the loader reads. The loader reads any YAML scalar where it
//!   wants text (`name: 123`, `id: y`), the YAML 1.1 words (`yes`, `off`, any case) and
//!   quoted ones (`'true'`) where it wants a yes or no, and quoted numbers (`'90'`)
//!   where it wants a number: [`AsWritten`] widens the types to match, so an editor
//!   reading YAML 1.2 (`yes` is text) and one reading YAML 1.1 (`yes` is `true`) agree.
//! - They refuse the mistakes of type and format `cutover validate` refuses: durations,
//!   ids, instants, calendar hours and days, time-zone names, the format version and the
//!   one kind of a gate criterion have patterns. Each pattern is built beside the parser
//!   it describes (`time`, `calendar`, `model`) and tested against it there.
//!
//! What a schema cannot check (references, cycles, ranges in order, dates that do not
//! exist, durations over 50 years) is left to `cutover validate`, the authority.

use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use crate::model::runbook::{Parts, RunbookFile};
use crate::model::status::StatusFile;
use crate::render::{Format, Render, RenderError, put_json};

/// Which file format to describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemaKind {
    Runbook,
    /// A file named in a runbook's `include:`.
    Include,
    Status,
}

/// The JSON Schema of a file format, as `cutover schema` prints it.
#[derive(Debug, Clone)]
pub(crate) struct Schema(pub schemars::Schema);

/// The JSON Schema of `kind`.
pub(crate) fn schema(kind: SchemaKind) -> Schema {
    let generator = SchemaSettings::draft07()
        .for_deserialize()
        .with_transform(AsWritten)
        .into_generator();
    Schema(match kind {
        SchemaKind::Runbook => generator.into_root_schema_for::<RunbookFile>(),
        SchemaKind::Include => generator.into_root_schema_for::<Parts>(),
        SchemaKind::Status => generator.into_root_schema_for::<StatusFile>(),
    })
}

impl Render for Schema {
    fn render(&self, format: Format, out: &mut dyn std::io::Write) -> Result<(), RenderError> {
        match format {
            Format::Json => put_json(out, &self.0),
            _ => Err(RenderError::Unsupported {
                what: "the schema",
                format,
            }),
        }
    }
}

/// `text` with every ASCII letter outside a character class or escape written as a
/// class of both cases (`ab` -> `[aA][bB]`): ECMA-262 regexes in a schema have no
/// case-insensitive flag, and the tool reads units, day names and words in any case.
pub(crate) fn any_case(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 3);
    let mut in_class = false;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            out.push(c);
            escaped = false;
        } else if c == '\\' {
            out.push(c);
            escaped = true;
        } else if in_class {
            in_class = c != ']';
            out.push(c);
        } else if c == '[' {
            in_class = true;
            out.push(c);
        } else if c.is_ascii_alphabetic() {
            out.push('[');
            out.push(c.to_ascii_lowercase());
            out.push(c.to_ascii_uppercase());
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

/// The YAML words the loader reads as a yes or no, in any case and quoted or not (YAML
/// 1.1, as serde-saphyr reads a boolean field): `true`/`false`, `yes`/`no`, `y`/`n`,
/// `on`/`off`.
pub(crate) fn bool_pattern() -> String {
    format!(
        r"^[ \t\r\n]*{}[ \t\r\n]*$",
        any_case("(true|false|yes|no|y|n|on|off)")
    )
}

/// A number written as text (`'90'`, `"1.5e3"`), which the loader reads as the number.
pub(crate) const NUMBER_PATTERN: &str =
    r"^[ \t\r\n]*[-+]?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9_]+)([eE][-+]?[0-9]+)?[ \t\r\n]*$";

/// Widens the types of plain scalar schemas to what the loader reads (module docs):
/// text takes any scalar, a yes or no takes the YAML words, a number takes its digits
/// quoted. Schemas with a pattern, an enum or other constraints are left as they are.
#[derive(Debug, Clone)]
pub(crate) struct AsWritten;

impl Transform for AsWritten {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        let plain = object
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "description" | "format" | "title"));
        if !plain {
            return;
        }
        let types: Vec<String> = match object.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => return,
        };
        let nullable = types.iter().any(|t| t == "null");
        let kinds: Vec<&str> = types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        let null = nullable.then(|| json!({ "type": "null" }));
        match kinds.as_slice() {
            ["string"] => {
                let mut widened = vec![json!("string"), json!("number"), json!("boolean")];
                widened.extend(nullable.then(|| json!("null")));
                object.insert("type".to_owned(), Value::Array(widened));
            }
            ["boolean"] => {
                object.remove("type");
                let mut any = vec![
                    json!({ "type": "boolean" }),
                    json!({ "type": "string", "pattern": bool_pattern() }),
                ];
                any.extend(null);
                object.insert("anyOf".to_owned(), Value::Array(any));
            }
            ["number"] => {
                object.remove("type");
                object.remove("format");
                let mut any = vec![
                    json!({ "type": "number" }),
                    json!({ "type": "string", "pattern": NUMBER_PATTERN }),
                ];
                any.extend(null);
                object.insert("anyOf".to_owned(), Value::Array(any));
            }
            _ => {}
        }
    }
}

/// Text that must match `pattern`, or one of the other scalars a value may be read from.
fn text(pattern: &str, also: &[Value]) -> schemars::Schema {
    let mut any = vec![json!({ "type": "string", "pattern": pattern })];
    any.extend_from_slice(also);
    json_schema!({ "anyOf": any })
}

/// Declares a type that stands in a model field's place in the schema
/// (`#[schemars(with = "crate::schema::Duration")]`): the field stays text in the
/// model, and the schema says which text.
macro_rules! field_kinds {
    ($($(#[$doc:meta])* $name:ident => $body:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> schemars::Schema {
                $body
            }
        }
    )*};
}

field_kinds! {
    /// An id: letters, digits, `-`, `_` and `.`, starting with a letter or digit. YAML
    /// reads `id: 1` or `after: [007]` as a number and `id: y` (YAML 1.1) as a boolean;
    /// the tool takes the text as written, so those are ids too. A negative number is
    /// no id (ids start with a letter or digit).
    Id => text(
        crate::model::ID_PATTERN,
        &[json!({ "type": ["number", "boolean"], "minimum": 0 })],
    );
    /// A duration that may not be negative (`30m`, `2 days`, `1w 2d`, `1.5h`,
    /// `48h elapsed`); `0` may be written as a number.
    Duration => text(&crate::time::duration_pattern(false), &[json!({ "const": 0 })]);
    /// A duration that may be negative: a lag, or a lead (`-2h`, `2h ago`).
    SignedDuration => text(&crate::time::duration_pattern(true), &[json!({ "const": 0 })]);
    /// An instant: `2027-04-16T09:00` in the runbook's zone, or with an offset
    /// (`+01:00`, `Z`) or a zone (`[Europe/London]`). A date alone is read as midnight,
    /// with a warning.
    Instant => text(&crate::time::instant_pattern(), &[]);
    /// When a gate is due: relative to go-live (`T-14d`) or an instant.
    Due => json_schema!({
        "anyOf": [
            { "type": "string", "pattern": crate::time::t_minus_pattern() },
            { "type": "string", "pattern": crate::time::instant_pattern() },
        ]
    });
    /// An IANA time-zone name as the time-zone database spells it (`Europe/London`,
    /// `UTC`). The tool also takes other capitalisations (`europe/london`).
    TimeZone => {
        let mut names = crate::time::timezone_names();
        names.sort();
        json_schema!({ "type": "string", "enum": names })
    };
    /// The format version: 1, as a number or as text.
    Version => json_schema!({
        "anyOf": [
            { "const": 1 },
            { "type": "string", "pattern": r"^[ \t\r\n]*\+?1[ \t\r\n]*$" },
        ]
    });
    /// A percentage of the planned duration (`90%`, `150`).
    Percentage => text(
        r"^\s*\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*%*\s*$",
        &[json!({ "type": "number", "minimum": 0 })],
    );
}

/// A mapping keyed by id (`workstreams:`, `calendars:`, status `tasks:`), each value a
/// `T`.
pub(crate) struct ById<T>(std::marker::PhantomData<T>);

impl<T: JsonSchema> JsonSchema for ById<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Map_by_id_of_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> schemars::Schema {
        let value = generator.subschema_for::<T>();
        json_schema!({
            "type": "object",
            "propertyNames": { "pattern": crate::model::ID_PATTERN },
            "additionalProperties": value,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Does `text` match `pattern` as a JSON Schema validator reads it (ECMA-262)?
    pub(crate) fn matches(pattern: &str, text: &str) -> bool {
        let schema = json!({ "type": "string", "pattern": pattern });
        jsonschema::validator_for(&schema)
            .unwrap()
            .is_valid(&json!(text))
    }

    #[test]
    fn any_case_leaves_classes_and_escapes() {
        assert_eq!(any_case(r"a[a-z]\sB"), r"[aA][a-z]\s[bB]");
    }

    #[test]
    fn the_bool_words_are_what_serde_saphyr_reads() {
        let p = bool_pattern();
        for yes in ["true", "True", "YES", "y", "N", "on", "Off", " no "] {
            assert!(matches(&p, yes), "{yes}");
        }
        for no in ["1", "0", "yess", "t", ""] {
            assert!(!matches(&p, no), "{no}");
        }
    }

    #[test]
    fn the_number_pattern_takes_quoted_numbers() {
        for yes in ["90", "-1.5", "+3", ".5", "1e3", " 7 "] {
            assert!(matches(NUMBER_PATTERN, yes), "{yes}");
        }
        for no in ["", "ninety", "1,5", "90%"] {
            assert!(!matches(NUMBER_PATTERN, no), "{no}");
        }
    }
}
