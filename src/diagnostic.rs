//! Problems found in a runbook or status file, each with a stable code.
//!
//! Rendering (human, JSON, GitHub annotations, `JUnit`) lives in `render::diagnostics`.

use std::fmt;

use crate::source::Origin;

/// How bad a problem is. `--strict` turns warnings into errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// The input cannot be used: no plan is made and the command exits with code 1.
    Error,
    /// Worth fixing, but a plan is still made; an error with `--strict`.
    Warning,
}

impl Level {
    /// The level as printed: `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $name:literal, $level:ident), )*) => {
        /// A stable diagnostic code. Codes never change meaning; new ones are added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in order (for documentation and tests).
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as printed, e.g. `E021`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The short kebab-case name, e.g. `unknown-dependency`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The level a problem with this code has unless `--strict` raises it.
            pub fn level(self) -> Level {
                match self { $(Code::$variant => Level::$level,)* }
            }
        }
    };
}

codes! {
    /// The file is not valid YAML.
    YamlSyntax = ("E001", "yaml-syntax", Error),
    /// A value has the wrong type (text where a list is expected, and so on).
    WrongType = ("E002", "wrong-type", Error),
    /// A field the format does not have (often a typo).
    UnknownField = ("E003", "unknown-field", Error),
    /// The same key twice in one mapping.
    DuplicateKey = ("E004", "duplicate-key", Error),
    /// A required field is missing.
    MissingField = ("E005", "missing-field", Error),
    /// The file is not UTF-8 text.
    NotUtf8 = ("E006", "not-utf8", Error),
    /// The file exceeds a safety limit (size, nesting, alias expansion).
    InputLimit = ("E007", "input-limit", Error),
    /// An included file cannot be read, or includes form a loop.
    IncludeFailed = ("E008", "include-failed", Error),
    /// A format version this build does not know.
    UnsupportedVersion = ("E009", "unsupported-version", Error),
    /// An id with characters ids may not have.
    InvalidId = ("E010", "invalid-id", Error),
    /// A part of a runbook (a file named in an `include:`) named to `validate` whose
    /// runbook cannot be found, or whose `# cutover-runbook:` comment is wrong.
    PartWithoutRunbook = ("E011", "part-without-runbook", Error),
    /// A YAML file named to `validate` that is not a runbook, a part of one or a status file.
    NotACutoverFile = ("E012", "not-a-cutover-file", Error),
    /// Two tasks, gates, workstreams, calendars or scenarios share an id.
    DuplicateId = ("E020", "duplicate-id", Error),
    /// `after:` names a task that does not exist.
    UnknownDependency = ("E021", "unknown-dependency", Error),
    /// Dependencies form a loop.
    DependencyCycle = ("E022", "dependency-cycle", Error),
    /// A task depends on itself.
    SelfDependency = ("E023", "self-dependency", Error),
    /// A calendar id that is not defined.
    UnknownCalendar = ("E024", "unknown-calendar", Error),
    /// A workstream id that is not defined.
    UnknownWorkstream = ("E025", "unknown-workstream", Error),
    /// A gate criterion, scenario or status entry names a task that does not exist.
    UnknownTask = ("E026", "unknown-task", Error),
    /// A duration that cannot be read.
    InvalidDuration = ("E040", "invalid-duration", Error),
    /// An instant or T-minus that cannot be read.
    InvalidInstant = ("E041", "invalid-instant", Error),
    /// A time zone that is not an IANA zone name.
    InvalidTimezone = ("E042", "invalid-timezone", Error),
    /// Calendar hours, days or holidays that cannot be read.
    InvalidCalendar = ("E043", "invalid-calendar", Error),
    /// A task's deadline is before its not-before constraint.
    DeadlineBeforeNotBefore = ("E044", "deadline-before-not-before", Error),
    /// The cutover window closes before it opens, or go-live is out of order.
    InvalidWindow = ("E045", "invalid-window", Error),
    /// The plan runs outside the dates `cutover` can represent.
    ScheduleOutOfRange = ("E046", "schedule-out-of-range", Error),
    /// A milestone with a duration or estimate.
    MilestoneWithDuration = ("E060", "milestone-with-duration", Error),
    /// A task with neither duration, estimate nor `milestone: true`.
    MissingDuration = ("E061", "missing-duration", Error),
    /// A task with both a duration and an estimate.
    ConflictingDuration = ("E062", "conflicting-duration", Error),
    /// A three-point estimate out of order or incomplete.
    InvalidEstimate = ("E063", "invalid-estimate", Error),
    /// More than one task marked `go_live: true`.
    MultipleGoLive = ("E064", "multiple-go-live", Error),
    /// The `go_live: true` task is not a milestone.
    GoLiveNotMilestone = ("E065", "go-live-not-milestone", Error),
    /// No task is marked `go_live: true`, so readiness has no meaning.
    MissingGoLive = ("E066", "missing-go-live-milestone", Error),
    /// A gate criterion with no kind, several kinds, or a missing threshold.
    InvalidCriterion = ("E080", "invalid-criterion", Error),
    /// A scenario that changes nothing or contradicts itself.
    InvalidScenario = ("E081", "invalid-scenario", Error),
    /// Status actuals that contradict each other or the data date.
    InvalidActuals = ("E090", "invalid-actuals", Error),
    /// Actuals on a milestone that it cannot have: remaining work, or reached before what it waits for.
    MilestoneActuals = ("E091", "milestone-actuals", Error),
    /// A task without an owner.
    MissingOwner = ("W001", "missing-owner", Warning),
    /// A task that neither leads to the go-live milestone nor follows it.
    NotConnectedToGoLive = ("W002", "not-connected-to-go-live", Warning),
    /// A workstream no task belongs to.
    EmptyWorkstream = ("W003", "empty-workstream", Warning),
    /// The same dependency listed twice.
    DuplicateDependency = ("W004", "duplicate-dependency", Warning),
    /// `rollback:` on a task that is not a point of no return.
    RollbackWithoutPointOfNoReturn = ("W005", "rollback-without-point-of-no-return", Warning),
    /// The status file names a different runbook.
    StatusRunbookMismatch = ("W006", "status-runbook-mismatch", Warning),
    /// A task in progress has run its planned duration and the status gives no
    /// `remaining:`, so the remaining work is assumed.
    OverdueWithoutRemaining = ("W007", "overdue-without-remaining", Warning),
    /// `--as-of` is earlier than entries of the status file, which are left out.
    AfterDataDateIgnored = ("W008", "after-data-date-ignored", Warning),
    /// An event log records a task starting before what it waits for had finished (or,
    /// for a start-to-start link, started): recorded, since it happened, and flagged.
    StartedBeforePredecessor = ("W009", "started-before-predecessor", Warning),
    /// The time zone is a fixed offset (`Etc/GMT+1`): no summer time, and POSIX signs.
    FixedOffsetTimezone = ("W010", "fixed-offset-timezone", Warning),
    /// A status file gives readings of a metric that no gate criterion of the runbook
    /// reads (often a typo of one that a gate does read).
    UnusedMetric = ("W011", "unused-metric", Warning),
    /// A status file records a sign-off that no gate criterion of the runbook asks for
    /// (often a typo of one that a gate does ask for).
    UnusedSignoff = ("W012", "unused-signoff", Warning),
    /// An instant written as a date alone (`not_before: 2027-04-16`): read as midnight at
    /// the start of that day, which is rarely what was meant.
    DateWithoutTime = ("W013", "date-without-time", Warning),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A second place a diagnostic refers to ("first defined here").
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// Where the other place is.
    pub origin: Origin,
    /// What it is, e.g. "first defined here".
    pub message: String,
}

/// One problem: what, where, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning (the code's level, unless `--strict` raised it).
    pub level: Level,
    /// The stable code, e.g. `E021`.
    pub code: Code,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where the problem is; `None` when it concerns no one place.
    pub origin: Option<Origin>,
    /// Short text under the source snippet's marker.
    pub label: Option<String>,
    /// How to fix it, if there is a suggestion.
    pub help: Option<String>,
    /// Other places the problem involves, such as where an id was first defined.
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// A diagnostic with `code`'s level, at `origin` (or no one place).
    pub fn new(code: Code, origin: Option<Origin>, message: impl Into<String>) -> Self {
        Diagnostic {
            level: code.level(),
            code,
            message: message.into(),
            origin,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// A diagnostic with `code`'s level at `origin`.
    pub fn at(code: Code, origin: Origin, message: impl Into<String>) -> Self {
        Self::new(code, Some(origin), message)
    }

    /// Adds the text shown under the source snippet's marker.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help line, or clears it with `None`.
    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Adds a second place the problem involves.
    pub fn with_related(mut self, origin: Origin, message: impl Into<String>) -> Self {
        self.related.push(Related {
            origin,
            message: message.into(),
        });
        self
    }

    /// True for an error (after `--strict`, warnings are errors too).
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// Words and candidates longer than this (in bytes) are not compared for "did you
/// mean": a Jaro-Winkler comparison costs the product of the two lengths, so one
/// 200 KB key against a runbook's ids took 22 s. Ids people type are far shorter.
pub const MAX_SUGGEST_LEN: usize = 100;

/// How many comparisons "did you mean" may make for one file (runbook or status file).
/// Each unknown id compares against every id of its kind, so 100,000 unknown ids
/// against 100,000 tasks would otherwise take 10^10 comparisons (hours); past the
/// budget the help says only that no such id exists.
pub const SUGGESTION_BUDGET: usize = 5_000_000;

/// The budget for one status file, checked on every `report` and `gates` run: about
/// half a second of comparisons (each is about half a microsecond for short ids).
pub const STATUS_SUGGESTION_BUDGET: usize = 1_000_000;

/// The candidate closest to `word`, if close enough to be a likely typo. Words and
/// candidates longer than [`MAX_SUGGEST_LEN`] are not compared.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    if word.len() > MAX_SUGGEST_LEN {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for c in candidates
        .into_iter()
        .filter(|c| c.len() <= MAX_SUGGEST_LEN)
    {
        let score = strsim::jaro_winkler(word, c);
        // Ties go to the first in sorted order, so that the help is the same on every
        // run whatever order the candidates come in (often a HashMap's).
        if score > 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `id` for quoting in a message: ids longer than [`MAX_SUGGEST_LEN`] bytes are cut to
/// their first 60 characters and their length, so that a 200 KB key gives a line, not
/// 200 KB of message.
pub fn shorten(id: &str) -> std::borrow::Cow<'_, str> {
    if id.len() <= MAX_SUGGEST_LEN {
        return std::borrow::Cow::Borrowed(id);
    }
    let cut: String = id.chars().take(60).collect();
    std::borrow::Cow::Owned(format!("{cut}… ({} bytes)", id.len()))
}

/// The "did you mean" help line for `word`, if any candidate is close.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tie_goes_to_the_first_candidate_in_order_whatever_the_input_order() {
        for order in [
            ["t57", "t52", "t50"],
            ["t50", "t57", "t52"],
            ["t52", "t50", "t57"],
        ] {
            assert_eq!(did_you_mean("t53", order), Some("t50"));
        }
        assert_eq!(did_you_mean("owenr", ["name", "owner"]), Some("owner"));
        assert_eq!(did_you_mean("zzz", ["name", "owner"]), None);
    }
}
