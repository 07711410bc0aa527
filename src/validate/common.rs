//! Helpers every section uses: required fields, ids, references to other ids,
//! instants, durations and estimates, each reporting its own problems.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use super::{Checker, is_valid_id};
use crate::diagnostic::{Code, Diagnostic, shorten, suggestion};
use crate::model::{Located, Text, task};
use crate::project::Estimate;
use crate::source::{FileId, Origin, Span};
use crate::time::{
    DurationSpec, Moment, date_without_time, parse_duration, parse_instant_as_written,
};

impl Checker {
    /// Reports a missing required field at `parent` and returns the value if present.
    pub(super) fn required<'a>(
        &mut self,
        file: FileId,
        parent: Origin,
        value: Option<&'a Text>,
        field: &str,
        help: &str,
    ) -> Option<&'a Text> {
        if value.is_none() && !self.skipped.settings.iter().any(|s| s == field) {
            let _ = file;
            self.push(
                Diagnostic::at(
                    Code::MissingField,
                    parent,
                    format!("missing field `{field}`"),
                )
                .with_help(help.to_owned()),
            );
        }
        value
    }

    pub(super) fn check_id(&mut self, origin: Origin, id: &str, kind: &str) -> bool {
        if is_valid_id(id) {
            return true;
        }
        self.push(
            Diagnostic::at(
                Code::InvalidId,
                origin,
                format!("`{id}` is not a valid {kind} id"),
            )
            .with_help(
                "ids use letters, digits, `-`, `_` and `.`, and start with a letter or digit",
            ),
        );
        false
    }

    pub(super) fn reference(
        &mut self,
        file: FileId,
        text: &Text,
        index: &HashMap<String, usize>,
        code: Code,
        kind: &str,
    ) -> Option<usize> {
        if let Some(&i) = index.get(&text.value) {
            return Some(i);
        }
        if self.skipped.has(kind, &text.value) {
            return None;
        }
        let suggested = if index.len() <= self.suggestion_budget {
            self.suggestion_budget -= index.len();
            suggestion(&text.value, index.keys().map(String::as_str))
        } else {
            None
        };
        let help = suggested.unwrap_or_else(|| format!("no {kind} has this id"));
        let message = match code {
            Code::UnknownDependency => format!("unknown dependency `{}`", shorten(&text.value)),
            _ => format!("unknown {kind} `{}`", shorten(&text.value)),
        };
        self.push(
            Diagnostic::at(code, loc(file, text), message)
                .with_label(format!("no {kind} with this id"))
                .with_help(help),
        );
        None
    }

    /// An instant field: a date alone is read as midnight, with `W013` saying so.
    pub(super) fn instant(&mut self, file: FileId, text: &Text, tz: &TimeZone) -> Option<Moment> {
        match parse_instant_as_written(&text.value, tz) {
            Ok((m, false)) => Some(m),
            Ok((m, true)) => {
                let (message, help) = date_without_time(&text.value, m, tz);
                self.push(
                    Diagnostic::at(Code::DateWithoutTime, loc(file, text), message)
                        .with_label("read as 00:00")
                        .with_help(help),
                );
                Some(m)
            }
            Err(e) => {
                self.push(
                    Diagnostic::at(Code::InvalidInstant, loc(file, text), e.message)
                        .with_help(e.help),
                );
                None
            }
        }
    }

    pub(super) fn duration(
        &mut self,
        file: FileId,
        text: &Text,
        allow_negative: bool,
    ) -> Option<DurationSpec> {
        match parse_duration(&text.value) {
            Ok(d) if d.is_negative() && !allow_negative => {
                self.push(
                    Diagnostic::at(
                        Code::InvalidDuration,
                        loc(file, text),
                        format!("`{}` is negative", text.value),
                    )
                    .with_help("only lags may be negative (a lead)"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.push(
                    Diagnostic::at(Code::InvalidDuration, loc(file, text), e.message)
                        .with_help(e.help),
                );
                None
            }
        }
    }

    /// A duration in working minutes for a calendar with the given day and week.
    pub(super) fn work_duration(
        &mut self,
        file: FileId,
        text: &Text,
        day: i64,
        week: i64,
    ) -> Option<i64> {
        self.duration(file, text, false)
            .map(|d| d.minutes_with(day, week))
    }

    /// A duration in elapsed minutes (a day is 24 hours).
    pub(super) fn elapsed_duration(
        &mut self,
        file: FileId,
        text: &Text,
        allow_negative: bool,
    ) -> Option<i64> {
        self.duration(file, text, allow_negative)
            .map(|d| d.elapsed_minutes())
    }

    pub(super) fn estimate(
        &mut self,
        file: FileId,
        e: &Located<task::Estimate>,
        day: i64,
        week: i64,
    ) -> Option<Estimate> {
        let origin = loc(file, e);
        let part = |this: &mut Self, v: &Option<Text>, name: &str| {
            if let Some(text) = v {
                this.work_duration(file, text, day, week)
            } else {
                this.push(
                    Diagnostic::at(
                        Code::InvalidEstimate,
                        origin,
                        format!("estimate has no `{name}`"),
                    )
                    .with_help("write all three: `{ best: 5h, likely: 7h, worst: 12h }`"),
                );
                None
            }
        };
        let best = part(self, &e.value.best, "best");
        let likely = part(self, &e.value.likely, "likely");
        let worst = part(self, &e.value.worst, "worst");
        let (best, likely, worst) = (best?, likely?, worst?);
        if !(best <= likely && likely <= worst) {
            self.push(
                Diagnostic::at(Code::InvalidEstimate, origin, "estimate is out of order")
                    .with_help("it needs best <= likely <= worst"),
            );
            return None;
        }
        Some(Estimate {
            best,
            likely,
            worst,
            distribution: e
                .value
                .distribution
                .as_ref()
                .map_or_else(Default::default, |d| d.value),
        })
    }
}

pub(super) fn at(file: FileId, span: Span) -> Origin {
    Origin { file, span }
}

pub(super) fn loc<T>(file: FileId, value: &Located<T>) -> Origin {
    at(file, value.span)
}

pub(super) fn duplicate(kind: &str, id: &str, origin: Origin, first: Origin) -> Diagnostic {
    Diagnostic::at(
        Code::DuplicateId,
        origin,
        format!("duplicate {kind} id `{id}`"),
    )
    .with_label("defined again here")
    .with_related(first, "first defined here")
    .with_help(format!(
        "{kind} ids must be unique across the runbook and the files it includes"
    ))
}
