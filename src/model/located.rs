//! Values that remember where they were written.

use std::fmt;

use serde::{Deserialize, Deserializer};

use crate::source::Span;

/// A value from a YAML file with its position, so later stages can point at it.
///
/// Deserialises through serde-saphyr's `Spanned` and keeps a compact copy of the
/// position (16 bytes instead of two full locations).
#[derive(Clone, PartialEq)]
pub struct Located<T> {
    /// The value as read.
    pub value: T,
    /// Where it is written in its file.
    pub span: Span,
}

impl<T> Located<T> {
    /// `value` as written at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }

    /// The value changed by `f`, at the same place.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Located<U> {
        Located {
            value: f(self.value),
            span: self.span,
        }
    }

    /// A reference to the value, at the same place.
    pub fn as_ref(&self) -> Located<&T> {
        Located {
            value: &self.value,
            span: self.span,
        }
    }
}

impl Located<String> {
    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Located<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}@{}:{}", self.value, self.span.line, self.span.col)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let loc = spanned.referenced;
        let span = loc.span();
        let clamp = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok(Located {
            value: spanned.value,
            span: Span {
                line: clamp(loc.line()),
                col: clamp(loc.column()),
                offset: span.byte_offset().map_or(u32::MAX, clamp),
                len: span.byte_len().map_or(0, clamp),
            },
        })
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}
