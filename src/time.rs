//! Instants, durations and T-minus offsets: parsing the runbook's text and showing
//! results in the runbook's time zone.
//!
//! The scheduler works in whole minutes: an instant is minutes since the Unix epoch
//! (UTC), a duration a count of minutes. Parsing uses jiff (time-zone database,
//! daylight-saving gaps and folds, ISO 8601 and friendly durations).

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

/// Minutes in a day of elapsed time.
pub const DAY: i64 = 24 * 60;
/// Minutes in a week of elapsed time.
pub const WEEK: i64 = 7 * DAY;
/// The longest single duration accepted (50 years of elapsed time).
pub const MAX_DURATION: i64 = 50 * 366 * DAY;

/// First and last years a plan may touch.
pub const MIN_YEAR: i16 = 1900;
/// The last year a plan may touch.
pub const MAX_YEAR: i16 = 2999;

/// How many years a plan may run past go-live, and reach back before its start. An EPR
/// programme runs one to three years from plan to go-live, with hypercare and
/// decommissioning after it; ten years either side leaves room for any real plan, and
/// catches a wrong unit or year long before it costs seconds and gigabytes.
pub const HORIZON_YEARS: i16 = 10;

/// Which side of the instants a plan may use a computation fell off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfRange {
    /// Before the horizon's first instant.
    Before,
    /// After the horizon's last instant.
    After,
}

impl OutOfRange {
    /// The side a move of `minutes` (negative: backwards) runs off.
    pub fn toward(minutes: i64) -> OutOfRange {
        if minutes < 0 {
            OutOfRange::Before
        } else {
            OutOfRange::After
        }
    }
}

/// The instants a plan may use: from [`HORIZON_YEARS`] before its start to
/// [`HORIZON_YEARS`] after go-live, within the years 1900-2999. Calendars answer, and
/// build working time, only inside it, so a runbook's cost is bounded by its calendars
/// times these years however far its durations reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    /// The first instant a plan may use.
    pub from: Moment,
    /// The last instant a plan may use.
    pub until: Moment,
}

impl Horizon {
    /// Every supported instant (1900-2999).
    pub const ALL: Horizon = Horizon {
        from: Moment::MIN,
        until: Moment::MAX,
    };

    /// The horizon of a plan from `start` to `go_live` (local years in `tz`).
    pub fn of_plan(start: Moment, go_live: Moment, tz: &TimeZone) -> Horizon {
        Horizon {
            from: start.add_years(tz, -HORIZON_YEARS),
            until: go_live.max(start).add_years(tz, HORIZON_YEARS),
        }
    }

    /// True when `m` is inside the horizon (both ends included).
    pub fn contains(self, m: Moment) -> bool {
        (self.from..=self.until).contains(&m)
    }

    /// `m` if inside, otherwise the side it falls off.
    pub fn check(self, m: Moment) -> Result<Moment, OutOfRange> {
        if m < self.from {
            Err(OutOfRange::Before)
        } else if m > self.until {
            Err(OutOfRange::After)
        } else {
            Ok(m)
        }
    }
}

/// An instant: whole minutes since 1970-01-01T00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Moment(pub i64);

impl Moment {
    /// The earliest instant a plan may use (1900-01-01T00:00Z).
    pub const MIN: Moment = Moment(-36_816_480);
    /// The latest instant a plan may use (2999-12-31T23:59Z).
    pub const MAX: Moment = Moment(541_727_999);

    /// The instant of `ts`, rounded down to the whole minute.
    pub fn from_timestamp(ts: Timestamp) -> Moment {
        Moment(ts.as_second().div_euclid(60))
    }

    /// This instant as a jiff timestamp (the latest one if it overflows).
    pub fn timestamp(self) -> Timestamp {
        Timestamp::from_second(self.0.saturating_mul(60)).unwrap_or(Timestamp::MAX)
    }

    /// This instant plus `minutes` of elapsed time, if still within the supported range.
    pub fn plus(self, minutes: i64) -> Option<Moment> {
        let m = Moment(self.0.checked_add(minutes)?);
        m.in_range().then_some(m)
    }

    /// True when the instant is within the supported years (1900-2999).
    pub fn in_range(self) -> bool {
        (Moment::MIN..=Moment::MAX).contains(&self)
    }

    /// This instant moved by `minutes` of calendar time in `tz`: whole days keep the
    /// local clock time across a clock change (`4w` after 07:00 GMT is 07:00 BST), the
    /// rest is elapsed. Falls back to elapsed arithmetic outside the zone's range.
    pub fn shift_local(self, tz: &TimeZone, minutes: i64) -> Moment {
        let (days, rest) = (minutes / DAY, minutes % DAY);
        let shifted = self
            .local(tz)
            .checked_add(Span::new().days(days))
            .ok()
            .and_then(|dt| tz.to_ambiguous_zoned_datetime(dt).compatible().ok())
            .map(|z| Moment::from_timestamp(z.timestamp()).0 + rest);
        Moment(shifted.unwrap_or(self.0.saturating_add(minutes)))
    }

    /// The same local time `years` later (earlier when negative) in `tz`, kept within
    /// the supported years.
    pub fn add_years(self, tz: &TimeZone, years: i16) -> Moment {
        let beyond = if years < 0 { Moment::MIN } else { Moment::MAX };
        self.local(tz)
            .checked_add(Span::new().years(years))
            .ok()
            .and_then(|dt| tz.to_ambiguous_zoned_datetime(dt).compatible().ok())
            .map_or(beyond, |z| Moment::from_timestamp(z.timestamp()))
            .clamp(Moment::MIN, Moment::MAX)
    }

    /// The local date and time in `tz`.
    pub fn local(self, tz: &TimeZone) -> DateTime {
        tz.to_datetime(self.timestamp())
    }
}

/// A duration as written, before a calendar says how long its days are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DurationSpec {
    /// Weeks, as written: a calendar says how long its week is.
    pub weeks: i64,
    /// Days, as written: a calendar says how long its day is.
    pub days: i64,
    /// Hours and minutes as written, in minutes (`1h 30m` is 90).
    pub minutes: i64,
    /// `elapsed`: wall-clock time whatever the calendar.
    pub elapsed: bool,
}

impl DurationSpec {
    /// A duration of `minutes` (hours and minutes only, so no calendar changes it).
    pub fn from_minutes(minutes: i64) -> Self {
        DurationSpec {
            minutes,
            ..Default::default()
        }
    }

    /// True when it has only hours and minutes, so no calendar changes its length.
    pub fn is_exact(&self) -> bool {
        self.weeks == 0 && self.days == 0
    }

    /// Minutes, given the length of a day and a week in minutes.
    pub fn minutes_with(&self, day: i64, week: i64) -> i64 {
        let (day, week) = if self.elapsed {
            (DAY, WEEK)
        } else {
            (day, week)
        };
        self.weeks
            .saturating_mul(week)
            .saturating_add(self.days.saturating_mul(day))
            .saturating_add(self.minutes)
    }

    /// Minutes of elapsed time (a day is 24 hours).
    pub fn elapsed_minutes(&self) -> i64 {
        self.minutes_with(DAY, WEEK)
    }

    /// True when the duration is negative (a lead, `-2h`).
    pub fn is_negative(&self) -> bool {
        self.elapsed_minutes() < 0
    }
}

impl fmt::Display for DurationSpec {
    /// As a runbook writes it: `1w 2d 3h 30m`, `0m`, `36h elapsed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.weeks != 0 {
            parts.push(format!("{}w", self.weeks));
        }
        if self.days != 0 {
            parts.push(format!("{}d", self.days));
        }
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        if h != 0 {
            parts.push(format!("{h}h"));
        }
        if m != 0 || parts.is_empty() {
            parts.push(format!("{m}m"));
        }
        f.write_str(&parts.join(" "))?;
        if self.elapsed {
            f.write_str(" elapsed")?;
        }
        Ok(())
    }
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError {
    /// What is wrong, quoting the text.
    pub message: String,
    /// How to write it instead.
    pub help: &'static str,
}

const DURATION_HELP: &str = "write a number and a unit: `30m`, `4h`, `2d`, `1w 2d`, `1h 30m`";

/// Reads `30m`, `4h`, `2d`, `1w 2d`, `1.5h`, `P1DT2H`, `-2h`, `48h elapsed`, `0`.
pub fn parse_duration(text: &str) -> Result<DurationSpec, DurationError> {
    let err = |message: String| DurationError {
        message,
        help: DURATION_HELP,
    };
    // Units in any case: `2 Days`, `2H`, `P1DT2H` and `48h Elapsed` read as written.
    let trimmed = text.trim();
    let lowered;
    let trimmed = if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
        lowered = trimmed.to_ascii_lowercase();
        lowered.as_str()
    } else {
        trimmed
    };
    let (body, elapsed) = match trimmed.strip_suffix("elapsed") {
        Some(rest) => (rest.trim_end(), true),
        None => (trimmed, false),
    };
    if body == "0" || body == "-0" {
        return Ok(DurationSpec {
            elapsed,
            ..Default::default()
        });
    }
    if body.is_empty() {
        return Err(err("the duration is empty".to_owned()));
    }
    if let Some(unit) = fraction_of_a_day(body) {
        return Err(DurationError {
            message: format!(
                "`{text}` has a fraction of a {unit}, and the length of a {unit} comes from the task's calendar (a 7.5-hour day, an 8-hour day, 24 hours)"
            ),
            help: "write whole days or weeks and the rest in hours, e.g. `1d 4h` instead of `1.5d`, or hours alone, e.g. `12h`",
        });
    }
    let span: Span = body
        .parse()
        .map_err(|_: jiff::Error| err(format!("`{text}` is not a duration")))?;
    if span.get_years() != 0 || span.get_months() != 0 {
        return Err(DurationError {
            message: format!("`{text}` uses months or years, which vary in length"),
            help: "write weeks or days instead, e.g. `4w` or `30d`",
        });
    }
    let sub_minute = span.get_seconds()
        | span.get_milliseconds()
        | span.get_microseconds()
        | span.get_nanoseconds();
    if sub_minute != 0 {
        return Err(DurationError {
            message: format!("`{text}` is not a whole number of minutes"),
            help: "durations are kept to the minute, e.g. `1m` or `90m`",
        });
    }
    let minutes = i64::from(span.get_hours())
        .checked_mul(60)
        .and_then(|h| h.checked_add(span.get_minutes()))
        .ok_or_else(|| err(format!("`{text}` is too long")))?;
    let spec = DurationSpec {
        weeks: i64::from(span.get_weeks()),
        days: i64::from(span.get_days()),
        minutes,
        elapsed,
    };
    if spec.elapsed_minutes().abs() > MAX_DURATION {
        return Err(DurationError {
            message: format!("`{text}` is longer than 50 years"),
            help: "check the unit: `m` is minutes, `w` is weeks",
        });
    }
    Ok(spec)
}

/// `day` or `week` when `body` (lower case) gives a fraction of one (`1.5d`, `0,5 weeks`).
fn fraction_of_a_day(body: &str) -> Option<&'static str> {
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let fraction =
            i + 1 < bytes.len() && matches!(bytes[i], b'.' | b',') && bytes[i + 1].is_ascii_digit();
        if !fraction {
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        match body[i..].trim_start().bytes().next() {
            Some(b'd') => return Some("day"),
            Some(b'w') => return Some("week"),
            _ => {}
        }
    }
    None
}

/// The text [`parse_duration`] reads, as an ECMA-262 regex for the JSON Schema (no
/// anchors; units in any case). `signed` allows a negative duration (`-2h`, `2h ago`),
/// which only a lag may be. Kept beside the parser and tested against it
/// (`tests::the_duration_pattern_agrees_with_the_parser`). Seconds, months and years,
/// which the parser refuses unless zero, are left out; a fraction is allowed on hours
/// only as whole minutes (`1.5h`, `1.25h`, not `1.01h`) and never on days or weeks.
fn duration_body(signed: bool) -> String {
    const WS: &str = r"[ \t\n\f\r]";
    let sep = format!(r"(,{WS}+|{WS}*)");
    // A fraction of an hour is whole minutes when it is a multiple of 0.05.
    let hours = format!(r"[0-9]+([.,][0-9][05]?0{{0,7}})?{WS}*(hours|hour|hrs|hr|h)");
    let whole_hours = format!(r"[0-9]+{WS}*(hours|hour|hrs|hr|h)");
    let minutes = format!(r"[0-9]+([.,]0{{1,9}})?{WS}*(minutes|minute|mins|min|m)");
    let hm = format!("({whole_hours}{sep}{minutes}|{hours}|{minutes})");
    let hms = r"[0-9]+:[0-9]+:0+([.,]0{1,9})?";
    let days = format!(r"[0-9]+{WS}*(days|day|d)({sep}({hms}|{hm}))?");
    let weeks = format!(r"[0-9]+{WS}*(weeks|week|wks|wk|w)({sep}({days}|{hms}|{hm}))?");
    let units = format!("({weeks}|{days}|{hm})");
    let iso_time =
        r"t([0-9]+h[0-9]+([.,]0{1,9})?m|[0-9]+([.,][0-9][05]?0{0,7})?h|[0-9]+([.,]0{1,9})?m)";
    let iso = format!(r"p([0-9]+w([0-9]+d)?({iso_time})?|[0-9]+d({iso_time})?|{iso_time})");
    let written = if signed {
        format!(r"0|-0|[-+]?{iso}|[-+]?{units}|({units}|{hms}){WS}+ago|[-+]?{hms}")
    } else {
        format!(r"0|-0|\+?{iso}|\+?{units}|\+?{hms}")
    };
    crate::schema::any_case(&format!(r"\s*({written})(\s*elapsed)?\s*"))
}

/// [`duration_body`], anchored: the pattern of a duration field.
pub(crate) fn duration_pattern(signed: bool) -> String {
    format!("^{}$", duration_body(signed))
}

/// The text [`parse_t_minus`] reads (`T-14d`, `T+2h`, `T0`), as a JSON Schema pattern.
pub(crate) fn t_minus_pattern() -> String {
    format!(r"^\s*[tT]([-+]{}|\s*0\s*)$", duration_body(false))
}

/// The text [`parse_instant`] reads, as a JSON Schema pattern: a date in the years
/// 1900-2999 (`2027-04-16`, read as midnight with a warning), a time (`T09:00`,
/// seconds optional), an offset up to ±14:00 or `Z`, and a zone in brackets. A date
/// that does not exist (`2027-02-30`) and a zone in brackets that does not are left to
/// the tool.
pub(crate) fn instant_pattern() -> String {
    let year = "(19[0-9]{2}|2[0-9]{3})";
    let month = "(0[1-9]|1[0-2])";
    let day = "(0[1-9]|[12][0-9]|3[01])";
    let date = format!("({year}-{month}-{day}|{year}{month}{day})");
    let (h, m, s) = ("([01][0-9]|2[0-3])", "[0-5][0-9]", "([0-5][0-9]|60)");
    let frac = "([.,][0-9]{1,9})?";
    let time = format!("({h}(:{m}(:{s}{frac})?)?|{h}({m}({s}{frac})?)?)");
    let offset =
        format!("([zZ]|[-+]((0[0-9]|1[0-3])(:?{m}(:?{m}{frac})?)?|14(:?00(:?00{frac})?)?))");
    let zone = r"(\[!?[A-Za-z0-9_/+-]+\])?";
    format!(r"^\s*{date}([tT ]{time}{offset}?)?{zone}\s*$")
}

/// Why an instant could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstantError {
    /// What is wrong, quoting the text.
    pub message: String,
    /// How to write it instead.
    pub help: &'static str,
}

const INSTANT_HELP: &str = "write a local date and time like `2027-03-08T07:00` (year first, 24-hour clock), or add an offset: `2027-03-08T07:00+00:00`";

/// The largest UTC offset in use anywhere (Kiribati's +14:00; the most negative is
/// -12:00). Offsets beyond it, which ISO 8601 syntax allows up to ±25:59, are typos.
pub const MAX_OFFSET_MINUTES: i32 = 14 * 60;

/// Reads an instant: local time in `tz` (`2027-03-08T07:00`, `2027-03-08`), with an
/// offset or `Z` (`2027-03-08T07:00+01:00`), or local time in a named zone
/// (`2027-03-08T07:00[America/New_York]`, checked against an offset if one is given).
/// A local time in a clock-change gap moves forward by the gap; one in a fold takes
/// the earlier offset. Seconds are dropped. Years outside 1900-2999 and offsets beyond
/// ±14:00 are refused.
pub fn parse_instant(text: &str, tz: &TimeZone) -> Result<Moment, InstantError> {
    parse_instant_as_written(text, tz).map(|(m, _)| m)
}

/// Help for a date written with slashes.
const SLASHED_HELP: &str = "write the year first, then month and day, and the time on a 24-hour clock after a `T`: `2027-04-16T09:00` is 9 am on 16 April 2027";

/// A date written with slashes, `16/04/2027` (or `4/16/2027`, with a time after it or
/// not), as it would be written here: `2027-04-16T09:00`, with the time written or
/// `09:00`, and whether the day was taken to come first only because both readings are
/// dates. `None` for anything else.
fn slashed_date(text: &str) -> Option<(String, bool)> {
    let (date, time) = match text.split_once([' ', 'T', 't']) {
        Some((d, t)) => (d, t.trim()),
        None => (text, ""),
    };
    let mut parts = date.split('/');
    let (a, b, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || year.len() != 4 {
        return None;
    }
    let (a, b, year): (u8, u8, u16) = (a.parse().ok()?, b.parse().ok()?, year.parse().ok()?);
    let (day, month, guessed) = if a > 12 || b > 12 {
        if a > 12 { (a, b, false) } else { (b, a, false) }
    } else {
        (a, b, a != b)
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let time = match time.split_once(':') {
        Some((h, m)) if h.len() <= 2 && m.len() == 2 && h.parse::<u8>().is_ok_and(|h| h < 24) => {
            format!("{h:0>2}:{m}")
        }
        _ => "09:00".to_owned(),
    };
    Some((format!("{year:04}-{month:02}-{day:02}T{time}"), guessed))
}

/// `16/04/2027` in words, with the way to write it, for an instant or a date.
fn slashed_error(text: &str, iso: &str, guessed: bool) -> String {
    let guess = if guessed {
        " (taking the day first, as in the UK)"
    } else {
        ""
    };
    format!("`{text}` is written with slashes; dates are written year first: `{iso}`{guess}")
}

/// [`parse_instant`], and whether the text was a date alone (`2027-04-16`, read as
/// midnight at the start of that day), so that callers where a time matters can say so.
pub fn parse_instant_as_written(text: &str, tz: &TimeZone) -> Result<(Moment, bool), InstantError> {
    let text = text.trim();
    let outside = || InstantError {
        message: format!("`{text}` is outside the years {MIN_YEAR}-{MAX_YEAR}"),
        help: "check the year",
    };
    let pieces = Pieces::parse(text).map_err(|e| {
        if let Some((iso, guessed)) = slashed_date(text) {
            return InstantError {
                message: slashed_error(text, &iso, guessed),
                help: SLASHED_HELP,
            };
        }
        // The parser's words help only when the date is shaped right (`2027-02-30`);
        // otherwise they are jargon ("failed to parse four digit integer as year").
        let shaped = text.len() >= 10
            && text.as_bytes()[..10].iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        InstantError {
            message: if shaped {
                format!("`{text}` is not a date and time ({e})")
            } else {
                format!("`{text}` is not a date and time")
            },
            help: INSTANT_HELP,
        }
    })?;
    let date_only = pieces.time().is_none();
    // Before any conversion, so that year 9999 gets our words, not the library's.
    if !(MIN_YEAR..=MAX_YEAR).contains(&pieces.date().year()) {
        return Err(outside());
    }
    if let Some(offset) = pieces.offset() {
        let seconds = offset.to_numeric_offset().seconds();
        if seconds.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() * 60 {
            return Err(InstantError {
                message: format!(
                    "`{text}` has the offset {}, which no time zone uses",
                    offset_label(seconds)
                ),
                help: "UTC offsets run from -12:00 to +14:00; check the sign and the digits",
            });
        }
    }
    let dt = pieces
        .date()
        .to_datetime(pieces.time().unwrap_or(jiff::civil::Time::midnight()));
    let timestamp = match (pieces.time_zone_annotation(), pieces.offset()) {
        // A named zone: local time there (with an offset, the two must agree).
        (Some(_), _) => text
            .parse::<jiff::ZonedDateTime>()
            .map(|z| z.timestamp())
            .map_err(|e| InstantError {
                message: format!("`{text}` cannot be placed in the time zone it names ({e})"),
                help: "name an IANA zone such as `[Europe/London]`; an offset given with it must be the zone's at that time",
            })?,
        (None, Some(offset)) => offset
            .to_numeric_offset()
            .to_timestamp(dt)
            .map_err(|_| outside())?,
        (None, None) => tz
            .to_ambiguous_zoned_datetime(dt)
            .compatible()
            .map_err(|e| InstantError {
                message: format!("`{text}` cannot be placed in the time zone ({e})"),
                help: INSTANT_HELP,
            })?
            .timestamp(),
    };
    let moment = Moment::from_timestamp(timestamp);
    if !moment.in_range() {
        return Err(outside());
    }
    Ok((moment, date_only))
}

/// `W013`: `text`, an instant written as a date alone, was read as midnight at `at`.
pub fn date_without_time(text: &str, at: Moment, tz: &TimeZone) -> (String, String) {
    let text = text.trim();
    (
        format!(
            "`{text}` has no time of day, so it is read as midnight at the start of the day: {}",
            local_label(at, tz)
        ),
        format!(
            "write the time it means, e.g. `{text}T09:00`; write `{text}T00:00` if midnight is meant"
        ),
    )
}

/// A point relative to go-live, in elapsed minutes (negative before T-0).
pub fn parse_t_minus(text: &str) -> Option<Result<i64, DurationError>> {
    let text = text.trim();
    let rest = text.strip_prefix('T').or_else(|| text.strip_prefix('t'))?;
    let (sign, body) = if let Some(b) = rest.strip_prefix('-') {
        (-1, b)
    } else if let Some(b) = rest.strip_prefix('+') {
        (1, b)
    } else if rest.trim() == "0" {
        return Some(Ok(0));
    } else {
        return None;
    };
    Some(parse_duration(body).and_then(|d| {
        if d.is_negative() {
            Err(DurationError {
                message: format!("`{text}` has two signs"),
                help: "write `T-14d` for before go-live, `T+2h` for after",
            })
        } else {
            Ok(sign * d.elapsed_minutes())
        }
    }))
}

/// Reads a date: `2026-12-29`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    text.parse::<Date>().map_err(|e| match slashed_date(text) {
        Some((iso, guessed)) => {
            let date = iso.split('T').next().unwrap_or(&iso);
            slashed_error(text, date, guessed)
        }
        None => format!("`{text}` is not a date ({e})"),
    })
}

/// Reads an IANA time-zone name.
pub fn parse_timezone(name: &str) -> Result<TimeZone, String> {
    TimeZone::get(name.trim()).map_err(|_| format!("`{}` is not an IANA time zone", name.trim()))
}

/// A time zone written as a fixed offset from UTC: `GMT+1`, `UTC-05:00`, `Etc/GMT+1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedOffset {
    /// Minutes from UTC with the sign as written (for `Etc/GMT+1` that is not what
    /// the zone means: see [`FixedOffset::posix`]).
    pub written_minutes: i32,
    /// True for the `Etc/GMT±N` names, whose sign is POSIX's: `Etc/GMT+1` is UTC−1.
    pub posix: bool,
}

/// Reads `name` as a fixed offset (`GMT+1`, `UTC+01:00`, `Etc/GMT-2`; any case), or
/// `None` for a zone name or a bare `UTC`/`GMT`.
pub fn fixed_offset(name: &str) -> Option<FixedOffset> {
    let lower = name.trim().to_ascii_lowercase();
    let (posix, rest) = if let Some(r) = lower.strip_prefix("etc/gmt") {
        (true, r)
    } else if let Some(r) = lower
        .strip_prefix("gmt")
        .or_else(|| lower.strip_prefix("utc"))
    {
        (false, r)
    } else {
        return None;
    };
    let rest = rest.trim_start();
    let first = rest.chars().next()?;
    let sign = match first {
        '+' => 1,
        '-' | '\u{2212}' => -1,
        _ => return None,
    };
    let digits = rest[first.len_utf8()..].trim_start();
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let hours: i32 = hours.trim().parse().ok()?;
    let minutes: i32 = minutes.trim().parse().ok()?;
    (hours <= 14 && minutes < 60).then_some(FixedOffset {
        written_minutes: sign * (hours * 60 + minutes),
        posix,
    })
}

/// An offset as people write it: `UTC+1`, `UTC−5:30`, `UTC`.
fn fixed_label(minutes: i32) -> String {
    if minutes == 0 {
        return "UTC".to_owned();
    }
    let sign = if minutes > 0 { "+" } else { "\u{2212}" };
    let m = minutes.abs();
    if m % 60 == 0 {
        format!("UTC{sign}{}", m / 60)
    } else {
        format!("UTC{sign}{}:{:02}", m / 60, m % 60)
    }
}

/// The help for a time zone written as a fixed offset: no suggestion that changes the
/// offset, why a fixed offset is wrong for half the year, the region zone instead, and
/// the POSIX sign trap of `Etc/GMT±N`.
pub fn fixed_offset_help(name: &str, offset: FixedOffset) -> String {
    let name = name.trim();
    let meant = if offset.posix {
        format!(
            "`{name}` is {}: in the `Etc/GMT` names the sign is reversed (POSIX), so `Etc/GMT+1` is UTC\u{2212}1 and `Etc/GMT-1` is UTC+1",
            fixed_label(-offset.written_minutes)
        )
    } else {
        format!(
            "`{name}` would mean {} all year",
            fixed_label(offset.written_minutes)
        )
    };
    format!(
        "{meant}; a fixed offset has no summer time, so instants would be an hour out for half the year. \
         Use the region's zone, which follows the clocks: `Europe/London` for the UK (GMT in winter, BST = UTC+1 in summer)"
    )
}

/// All time-zone names known (for "did you mean").
pub fn timezone_names() -> Vec<String> {
    jiff::tz::db().available().map(|n| n.to_string()).collect()
}

/// A duration for people: `2d 4h 30m`, `45m`, `0m`, `-3h`.
pub struct Elapsed(pub i64);

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = self.0;
        if m < 0 {
            f.write_str("-")?;
            m = m.saturating_neg();
        }
        let (d, h, min) = (m / DAY, (m % DAY) / 60, m % 60);
        let mut parts = Vec::with_capacity(3);
        if d > 0 {
            parts.push(format!("{d}d"));
        }
        if h > 0 {
            parts.push(format!("{h}h"));
        }
        if min > 0 || parts.is_empty() {
            parts.push(format!("{min}m"));
        }
        f.write_str(&parts.join(" "))
    }
}

/// Working minutes in a calendar's days and hours: `2d 3h` (a day being one working
/// day of that calendar, `day` minutes), `45m`, `-1d`.
pub fn work_label(minutes: i64, day: i64) -> String {
    let day = day.max(1);
    let (sign, m) = if minutes < 0 {
        ("-", minutes.saturating_neg())
    } else {
        ("", minutes)
    };
    let (d, rest) = (m / day, m % day);
    let (h, min) = (rest / 60, rest % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d}d"));
    }
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if min > 0 || parts.is_empty() {
        parts.push(format!("{min}m"));
    }
    format!("{sign}{}", parts.join(" "))
}

/// A T-minus label for an instant: `T-3d 04:00` (3 days and 4 hours before go-live),
/// `T+0d 02:30` after it.
pub fn t_label(at: Moment, go_live: Moment) -> String {
    TMinus { at, go_live }.to_string()
}

/// [`t_label`] as a value that writes itself (into JSON without a `String` between).
#[derive(Debug, Clone, Copy)]
pub struct TMinus {
    /// The instant to label.
    pub at: Moment,
    /// Go-live, T-0.
    pub go_live: Moment,
}

impl fmt::Display for TMinus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diff = self.at.0 - self.go_live.0;
        let sign = if diff < 0 { '-' } else { '+' };
        let m = diff.abs();
        write!(f, "T{sign}{}d {:02}:{:02}", m / DAY, (m % DAY) / 60, m % 60)
    }
}

impl serde::Serialize for TMinus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Local date and time for tables: `2027-03-06 02:30`. In the hour a clock change
/// repeats, the offset is added so the two are told apart: `2027-10-31 01:30+00:00`.
pub fn local_label(at: Moment, tz: &TimeZone) -> String {
    let dt = at.local(tz);
    let mut label = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute()
    );
    if tz.to_ambiguous_timestamp(dt).is_ambiguous() {
        label.push_str(&offset_label(tz.to_offset(at.timestamp()).seconds()));
    }
    label
}

/// An instant as a UK board paper writes it, with the weekday and year:
/// `Fri 11 Jun 2027 19:00` (the offset added in the hour a clock change repeats).
pub fn day_label(at: Moment, tz: &TimeZone) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let dt = at.local(tz);
    let weekday = DAYS[dt.weekday().to_monday_zero_offset() as usize];
    let month = MONTHS[(dt.month() - 1) as usize];
    let mut label = format!(
        "{weekday} {} {month} {} {:02}:{:02}",
        dt.day(),
        dt.year(),
        dt.hour(),
        dt.minute()
    );
    if tz.to_ambiguous_timestamp(dt).is_ambiguous() {
        label.push_str(&offset_label(tz.to_offset(at.timestamp()).seconds()));
    }
    label
}

/// An instant for output: [`local_label`] for people, RFC 3339 (what it serialises as)
/// for JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// For people, in the runbook's zone: [`local_label`].
    pub local: String,
    /// RFC 3339 with the local offset.
    pub rfc3339: String,
}

impl Stamp {
    /// `at` in the zone `tz`.
    pub fn new(at: Moment, tz: &TimeZone) -> Stamp {
        Stamp {
            local: local_label(at, tz),
            rfc3339: rfc3339(at, tz),
        }
    }
}

impl serde::Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.rfc3339)
    }
}

/// RFC 3339 with the local offset, for JSON: `2027-03-06T02:30:00+00:00`.
pub fn rfc3339(at: Moment, tz: &TimeZone) -> String {
    Rfc3339::new(at, tz).to_string()
}

/// [`rfc3339`] as a value that writes itself (into JSON without a `String` between).
#[derive(Debug, Clone, Copy)]
pub struct Rfc3339 {
    at: Timestamp,
    offset: jiff::tz::Offset,
}

impl Rfc3339 {
    /// The instant `at` with `tz`'s offset at that instant.
    pub fn new(at: Moment, tz: &TimeZone) -> Rfc3339 {
        let at = at.timestamp();
        Rfc3339 {
            at,
            offset: tz.to_offset(at),
        }
    }
}

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.at.display_with_offset(self.offset), f)
    }
}

impl serde::Serialize for Rfc3339 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// One change of a time zone's UTC offset (a clock change), as a calendar file's
/// `VTIMEZONE` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneChange {
    /// When the offset changes; `None` for an offset in force since before any
    /// recorded change (a zone that never changes its clocks).
    pub at: Option<Moment>,
    /// The offset before the change, in seconds east of UTC.
    pub offset_before: i32,
    /// The offset from the change on, in seconds east of UTC.
    pub offset_after: i32,
    /// The zone's abbreviation from the change on (`BST`, `GMT`).
    pub abbreviation: String,
    /// True when the new offset is daylight saving time.
    pub dst: bool,
}

/// The clock changes of `tz` a calendar needs to place every instant from `first` to
/// `last`: every change in the calendar years (local) those two span, and the last
/// change before them, which sets the offset the first year starts with. A zone with
/// no changes gives one entry with its fixed offset.
pub fn zone_changes(tz: &TimeZone, first: Moment, last: Moment) -> Vec<ZoneChange> {
    let year_start = |at: Moment, add: i16| {
        let year = at.local(tz).year().saturating_add(add);
        Date::new(year, 1, 1).ok().and_then(|d| {
            tz.to_ambiguous_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .compatible()
                .ok()
        })
    };
    let (Some(from), Some(until)) = (year_start(first, 0), year_start(last, 1)) else {
        return fixed_zone(tz, first);
    };
    let mut changes = Vec::new();
    let mut offset_before = None;
    if let Some(t) = tz.preceding(from).next() {
        let before = tz.to_offset(t.timestamp() - jiff::SignedDuration::from_secs(1));
        changes.push(ZoneChange {
            at: Some(Moment::from_timestamp(t.timestamp())),
            offset_before: before.seconds(),
            offset_after: t.offset().seconds(),
            abbreviation: t.abbreviation().to_owned(),
            dst: t.dst().is_dst(),
        });
        offset_before = Some(t.offset().seconds());
    }
    for t in tz.following(from).take_while(|t| t.timestamp() < until) {
        let before = offset_before.unwrap_or_else(|| {
            tz.to_offset(t.timestamp() - jiff::SignedDuration::from_secs(1))
                .seconds()
        });
        changes.push(ZoneChange {
            at: Some(Moment::from_timestamp(t.timestamp())),
            offset_before: before,
            offset_after: t.offset().seconds(),
            abbreviation: t.abbreviation().to_owned(),
            dst: t.dst().is_dst(),
        });
        offset_before = Some(t.offset().seconds());
    }
    if changes.is_empty() {
        return fixed_zone(tz, first);
    }
    changes
}

/// The one offset of a zone that does not change its clocks (in force at `at`).
fn fixed_zone(tz: &TimeZone, at: Moment) -> Vec<ZoneChange> {
    let info = tz.to_offset_info(at.timestamp());
    vec![ZoneChange {
        at: None,
        offset_before: info.offset().seconds(),
        offset_after: info.offset().seconds(),
        abbreviation: info.abbreviation().to_owned(),
        dst: info.dst().is_dst(),
    }]
}

fn offset_label(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    format!("{sign}{:02}:{:02}", s / 3600, (s % 3600) / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Durations as users write them, good and bad: the schema's pattern and the
    /// parser must agree on each (signed: any duration; unsigned: not negative).
    const DURATIONS: &[&str] = &[
        "30m",
        "4h",
        "2d",
        "1w 2d",
        "1w2d3h",
        "1h 30m",
        "1h30m",
        "1.5h",
        "1,5h",
        "1.25h",
        "1.05h",
        "1.50h",
        "0.1h",
        "2 days",
        "2 Days",
        "2H",
        "2 hrs",
        "2 hours, 30 minutes",
        "1 day, 02:00:00",
        "1w 01:30:00",
        "48h elapsed",
        "48h Elapsed",
        "0",
        "-0",
        "0m",
        "0 elapsed",
        "P1DT2H",
        "p1w2d",
        "PT30M",
        "PT1.5H",
        "-2h",
        "+2h",
        "2h ago",
        "-1d 4h",
        " 2h ",
        "1.5d",
        "1,5 weeks",
        "1.01h",
        "1.5m",
        "30s",
        "1 mo",
        "1y",
        "1.5h 30m",
        "1h30",
        "2",
        "30",
        "",
        "h",
        "2 Days!",
        "2 dayz",
        "P",
        "PT",
        "P1.5D",
        "P1M",
        "2h agoo",
        "T-2h",
        "1:30",
        "01:30:00",
        "--2h",
        "2.h",
        "1 week 2 days",
        "3 wks",
        "1wk",
        "10 mins",
        "1 minute",
        "2 hr",
        "1.5 hours",
        "2d elapsed",
    ];

    #[test]
    fn the_duration_pattern_agrees_with_the_parser() {
        use crate::schema::tests::matches;
        let (signed, unsigned) = (duration_pattern(true), duration_pattern(false));
        let mut disagree = Vec::new();
        for text in DURATIONS {
            let parsed = parse_duration(text);
            if matches(&signed, text) != parsed.is_ok() {
                disagree.push(format!("signed {text:?}: {parsed:?}"));
            }
            if matches(&unsigned, text) != parsed.as_ref().is_ok_and(|d| !d.is_negative()) {
                disagree.push(format!("unsigned {text:?}: {parsed:?}"));
            }
        }
        assert!(disagree.is_empty(), "{disagree:#?}");
        // Zero seconds are read by the tool but not by the schema, which has no seconds.
        for text in ["1h 0s", "0s"] {
            assert!(
                parse_duration(text).is_ok() && !matches(&signed, text),
                "{text}"
            );
        }
    }

    /// Every text of up to four pieces from units, numbers and separators: the pattern
    /// and the parser agree on each. Seconds, months and years, which the pattern leaves
    /// out and the parser takes only as zero, are in the table above instead.
    #[test]
    fn the_duration_pattern_agrees_with_the_parser_on_every_short_combination() {
        const PIECES: &[&str] = &[
            "1", "12", "1.5", "0.25", "1.01", "0", " ", ",", "h", "d", "w", "m", "hours", "Days",
            "elapsed", " ago", "-", "P", "T", "min", "wk", ":30:00",
        ];
        let schema = serde_json::json!({ "type": "string", "pattern": duration_pattern(true) });
        let validator = jsonschema::validator_for(&schema).unwrap();
        let mut texts = vec![String::new()];
        let mut disagree = Vec::new();
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| PIECES.iter().map(move |p| format!("{t}{p}")))
                .collect();
            for text in &texts {
                let parsed = parse_duration(text);
                // Left to the tool: zero in a unit the pattern leaves out (`0s`, `0mo`),
                // and more than 50 years.
                let zero = parsed.as_ref().is_ok_and(|d| d.elapsed_minutes() == 0);
                let too_long = parsed
                    .as_ref()
                    .is_err_and(|e| e.message.contains("50 years"));
                if validator.is_valid(&serde_json::json!(text)) != parsed.is_ok()
                    && !zero
                    && !too_long
                {
                    disagree.push(format!("{text:?}: {parsed:?}"));
                }
            }
        }
        assert!(
            disagree.is_empty(),
            "{} disagree: {:#?}",
            disagree.len(),
            &disagree[..disagree.len().min(20)]
        );
    }

    #[test]
    fn the_t_minus_pattern_agrees_with_the_parser() {
        use crate::schema::tests::matches;
        let pattern = t_minus_pattern();
        for text in [
            "T-14d", "t-2h", "T+2h", "T0", "T-0", "T-1w 2d", "T-2 Days", "T-1.5d", "T--2h",
            "T-2h ago", "T14d", "T-", "T-x", " T-1d ",
        ] {
            let parsed = parse_t_minus(text);
            assert_eq!(
                matches(&pattern, text),
                parsed.as_ref().is_some_and(Result::is_ok),
                "{text:?}: {parsed:?}"
            );
        }
    }

    #[test]
    fn the_instant_pattern_agrees_with_the_parser() {
        use crate::schema::tests::matches;
        let pattern = instant_pattern();
        let tz = TimeZone::get("Europe/London").unwrap();
        for text in [
            "2027-04-16T09:00",
            "2027-04-16t09:00",
            "2027-04-16 09:00",
            "2027-04-16T09:00:30",
            "2027-04-16T09:00:30.5",
            "2027-04-16T09",
            "2027-04-16",
            "2027-04-16T09:00Z",
            "2027-04-16T09:00+01:00",
            "2027-04-16T09:00+0100",
            "2027-04-16T09:00-05",
            "2027-04-16T09:00[Europe/London]",
            "2027-04-16T09:00+01:00[Europe/London]",
            "20270416T0900",
            "20270416",
            " 2027-04-16T09:00 ",
            "2027-04-16T09:00+15:00",
            "16/04/2027",
            "2027-4-16",
            "2027-04-16T9:00",
            "2027-04-16T24:00",
            "1899-12-31T09:00",
            "3000-01-01T00:00",
            "9999-01-01",
            "2027-13-01",
            "2027-04-16T09:00 Europe/London",
            "tomorrow",
            "",
            "2027-04-16T09:60",
        ] {
            let parsed = parse_instant(text, &tz);
            assert_eq!(
                matches(&pattern, text),
                parsed.is_ok(),
                "{text:?}: {parsed:?}"
            );
        }
    }

    #[test]
    fn london_changes_its_clocks_on_the_last_sundays_of_march_and_october_2027() {
        let tz = parse_timezone("Europe/London").unwrap();
        let first = parse_instant("2027-06-01T09:00", &tz).unwrap();
        let last = parse_instant("2027-06-30T09:00", &tz).unwrap();
        let changes = zone_changes(&tz, first, last);
        let at = |c: &ZoneChange| c.at.map(|m| m.timestamp().to_string());
        let seen: Vec<_> = changes
            .iter()
            .map(|c| {
                (
                    at(c),
                    c.offset_before,
                    c.offset_after,
                    c.dst,
                    c.abbreviation.as_str(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                // The change before 2027 sets the offset the year starts with.
                (
                    Some("2026-10-25T01:00:00Z".to_owned()),
                    3600,
                    0,
                    false,
                    "GMT"
                ),
                (
                    Some("2027-03-28T01:00:00Z".to_owned()),
                    0,
                    3600,
                    true,
                    "BST"
                ),
                (
                    Some("2027-10-31T01:00:00Z".to_owned()),
                    3600,
                    0,
                    false,
                    "GMT"
                ),
            ]
        );
    }

    #[test]
    fn a_zone_without_clock_changes_has_one_fixed_offset() {
        let tz = parse_timezone("Asia/Kolkata").unwrap();
        let at = parse_instant("2027-06-01T09:00", &tz).unwrap();
        let changes = zone_changes(&tz, at, at);
        // The last change, in 1945, sets +05:30 for every year since.
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!((changes[0].offset_after, changes[0].dst), (19_800, false));
        let utc = zone_changes(&TimeZone::UTC, at, at);
        assert_eq!(
            utc,
            [ZoneChange {
                at: None,
                offset_before: 0,
                offset_after: 0,
                abbreviation: "UTC".to_owned(),
                dst: false
            }]
        );
    }

    #[test]
    fn fixed_offsets_are_read_with_the_sign_as_written() {
        let f = |n| fixed_offset(n).map(|o| (o.written_minutes, o.posix));
        assert_eq!(f("GMT+1"), Some((60, false)));
        assert_eq!(f("utc+01:00"), Some((60, false)));
        assert_eq!(f("UTC-0530"), Some((-330, false)));
        assert_eq!(f("Etc/GMT+1"), Some((60, true)));
        assert_eq!(f("Etc/GMT-14"), Some((-840, true)));
        assert_eq!(f("UTC"), None);
        assert_eq!(f("Europe/London"), None);
        assert_eq!(f("GMT+99"), None);
        // The help never names an offset other than the one written, and explains
        // the reversed sign of the Etc/GMT names.
        let help = fixed_offset_help("GMT+1", fixed_offset("GMT+1").unwrap());
        assert!(help.contains("UTC+1 all year") && help.contains("Europe/London"));
        assert!(!help.contains("GMT+0"));
        let help = fixed_offset_help("Etc/GMT+1", fixed_offset("Etc/GMT+1").unwrap());
        assert!(help.starts_with("`Etc/GMT+1` is UTC\u{2212}1"));
    }

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    #[test]
    fn a_date_alone_is_marked_and_slashed_dates_are_rewritten() {
        let tz = london();
        let (m, date_only) = parse_instant_as_written("2027-04-16", &tz).unwrap();
        assert!(date_only);
        assert_eq!(local_label(m, &tz), "2027-04-16 00:00");
        assert!(!parse_instant_as_written("2027-04-16T09:00", &tz).unwrap().1);
        assert!(
            !parse_instant_as_written("2027-04-16T09:00Z", &tz)
                .unwrap()
                .1
        );
        // Day first (UK), unless only month first makes a date (US).
        assert_eq!(
            slashed_date("16/04/2027"),
            Some(("2027-04-16T09:00".to_owned(), false))
        );
        assert_eq!(
            slashed_date("4/16/2027"),
            Some(("2027-04-16T09:00".to_owned(), false))
        );
        assert_eq!(
            slashed_date("05/04/2027 17:30"),
            Some(("2027-04-05T17:30".to_owned(), true))
        );
        assert_eq!(
            slashed_date("5/5/2027"),
            Some(("2027-05-05T09:00".to_owned(), false))
        );
        assert_eq!(slashed_date("16/04/27"), None);
        assert_eq!(slashed_date("40/40/2027"), None);
        let e = parse_instant("16/04/2027", &tz).unwrap_err();
        assert_eq!(
            e.message,
            "`16/04/2027` is written with slashes; dates are written year first: `2027-04-16T09:00`"
        );
        // No parser jargon for text not shaped like a date; the detail stays for one
        // that is (an impossible day).
        assert_eq!(
            parse_instant("next friday", &tz).unwrap_err().message,
            "`next friday` is not a date and time"
        );
        assert!(
            parse_instant("2027-02-30T09:00", &tz)
                .unwrap_err()
                .message
                .contains('(')
        );
        assert_eq!(
            parse_date("14/04/2027").unwrap_err(),
            "`14/04/2027` is written with slashes; dates are written year first: `2027-04-14`"
        );
    }

    #[test]
    fn durations_read_as_the_format_says() {
        let d = |s| parse_duration(s).unwrap();
        assert_eq!(d("30m").minutes, 30);
        assert_eq!(d("1h 30m").minutes, 90);
        assert_eq!(d("1.5h").minutes, 90);
        assert_eq!((d("1w 2d").weeks, d("1w 2d").days), (1, 2));
        assert_eq!(d("2d").minutes_with(600, 3000), 1200);
        assert_eq!(d("2d elapsed").minutes_with(600, 3000), 2 * DAY);
        assert_eq!(d("-2h").minutes, -120);
        assert_eq!(d("P1DT2H").elapsed_minutes(), DAY + 120);
        assert_eq!(d("0"), DurationSpec::default());
        // Units in any case.
        assert_eq!(d("2 Days"), d("2d"));
        assert_eq!(d("2H").minutes, 120);
        assert_eq!(d("2 HRS").minutes, 120);
        assert_eq!(d("p1dt2h"), d("P1DT2H"));
        assert!(d("48h Elapsed").elapsed);
    }

    #[test]
    fn a_fraction_of_a_day_or_week_says_why_not() {
        for text in ["1.5d", "1.5 days", "0,5w", "2h 1.5D"] {
            let e = parse_duration(text).unwrap_err();
            assert!(e.message.contains("fraction of a"), "{text}: {}", e.message);
            assert!(e.help.contains("`1d 4h`"), "{text}");
        }
        assert!(
            parse_duration("0.5 weeks")
                .unwrap_err()
                .message
                .contains("fraction of a week")
        );
        // Fractions of hours stay fine.
        assert_eq!(parse_duration("1.5h").unwrap().minutes, 90);
    }

    #[test]
    fn bad_durations_say_why() {
        assert!(parse_duration("2x").is_err());
        assert!(parse_duration("").is_err());
        assert!(
            parse_duration("30s")
                .unwrap_err()
                .message
                .contains("whole number")
        );
        assert!(
            parse_duration("2mo")
                .unwrap_err()
                .message
                .contains("months")
        );
        assert!(
            parse_duration("3000w")
                .unwrap_err()
                .message
                .contains("50 years")
        );
        assert!(parse_duration("100000000w").is_err());
    }

    #[test]
    fn instants_follow_the_london_clock() {
        let tz = london();
        // GMT in March before the change.
        let gmt = parse_instant("2027-03-08T07:00", &tz).unwrap();
        assert_eq!(gmt, parse_instant("2027-03-08T07:00Z", &tz).unwrap());
        // 01:30 on 28 March 2027 does not exist: read as 02:30 BST = 01:30Z.
        let gap = parse_instant("2027-03-28T01:30", &tz).unwrap();
        assert_eq!(gap, parse_instant("2027-03-28T01:30Z", &tz).unwrap());
        // 01:30 on 31 October 2027 happens twice: the first (BST) = 00:30Z.
        let fold = parse_instant("2027-10-31T01:30", &tz).unwrap();
        assert_eq!(fold, parse_instant("2027-10-31T00:30Z", &tz).unwrap());
        // A date alone is local midnight; BST in July.
        let date = parse_instant("2027-07-01", &tz).unwrap();
        assert_eq!(date, parse_instant("2027-06-30T23:00Z", &tz).unwrap());
        assert_eq!(
            parse_instant("2027-07-01T09:00+01:00", &tz).unwrap(),
            parse_instant("2027-07-01T09:00", &tz).unwrap()
        );
    }

    #[test]
    fn bad_instants_are_refused() {
        let tz = london();
        assert!(parse_instant("2027-02-30T07:00", &tz).is_err());
        assert!(parse_instant("next tuesday", &tz).is_err());
        assert!(
            parse_instant("3100-01-01", &tz)
                .unwrap_err()
                .message
                .contains("outside")
        );
    }

    #[test]
    fn a_named_zone_is_local_time_there() {
        let tz = london();
        // 17:00 in New York in February (EST, -05:00) is 22:00 in London (GMT).
        let ny = parse_instant("2027-02-20T17:00[America/New_York]", &tz).unwrap();
        assert_eq!(ny, parse_instant("2027-02-20T22:00", &tz).unwrap());
        assert_eq!(
            parse_instant("2027-02-20T17:00-05:00[America/New_York]", &tz).unwrap(),
            ny
        );
        // An offset the zone does not have then is refused, not silently preferred.
        let wrong = parse_instant("2027-02-20T17:00+01:00[America/New_York]", &tz);
        assert!(wrong.unwrap_err().message.contains("cannot be placed"));
        assert!(parse_instant("2027-02-20T17:00[Mars/Olympus_Mons]", &tz).is_err());
        // A zone name with a hyphen is not an offset.
        let haiti = parse_instant("2027-02-20T17:00[America/Port-au-Prince]", &tz).unwrap();
        assert_eq!(haiti, ny);
    }

    #[test]
    fn offsets_beyond_fourteen_hours_are_refused() {
        let tz = london();
        assert!(parse_instant("2027-02-20T17:00+14:00", &tz).is_ok());
        assert!(parse_instant("2027-02-20T17:00-12:00", &tz).is_ok());
        for text in [
            "2027-02-20T17:00+25:59",
            "2027-02-20T17:00-14:01",
            "2027-02-20T17:00+15",
        ] {
            let e = parse_instant(text, &tz).unwrap_err();
            assert!(
                e.message.contains("no time zone uses"),
                "{text}: {}",
                e.message
            );
        }
    }

    #[test]
    fn far_years_get_our_words() {
        let tz = TimeZone::get("America/New_York").unwrap();
        for text in [
            "9999-12-31T23:59",
            "9999-12-31T23:59-12:00",
            "9999-12-31T23:59[Pacific/Kiritimati]",
            "0001-01-01",
        ] {
            let e = parse_instant(text, &tz).unwrap_err();
            assert!(
                e.message.contains("outside the years 1900-2999"),
                "{text}: {}",
                e.message
            );
            assert!(!e.message.contains("Unix timestamp"), "{}", e.message);
        }
        // Inside the years locally, outside in UTC: still ours.
        let e = parse_instant("2999-12-31T23:00-05:00", &tz).unwrap_err();
        assert!(e.message.contains("outside the years"), "{}", e.message);
    }

    #[test]
    fn t_minus_is_elapsed_time_from_go_live() {
        assert_eq!(parse_t_minus("T-14d").unwrap().unwrap(), -14 * DAY);
        assert_eq!(parse_t_minus("T-48h").unwrap().unwrap(), -48 * 60);
        assert_eq!(parse_t_minus("T+2h").unwrap().unwrap(), 120);
        assert_eq!(
            parse_t_minus("T-2d 12h").unwrap().unwrap(),
            -(2 * DAY + 720)
        );
        assert_eq!(parse_t_minus("T-0").unwrap().unwrap(), 0);
        assert!(parse_t_minus("2027-03-08").is_none());
        assert!(parse_t_minus("T--2h").unwrap().is_err());
    }

    #[test]
    fn labels_for_people() {
        assert_eq!(Elapsed(0).to_string(), "0m");
        assert_eq!(Elapsed(2 * DAY + 270).to_string(), "2d 4h 30m");
        assert_eq!(Elapsed(-180).to_string(), "-3h");
        let go = Moment(10 * DAY);
        assert_eq!(
            t_label(Moment(10 * DAY - (3 * DAY + 240)), go),
            "T-3d 04:00"
        );
        assert_eq!(t_label(Moment(10 * DAY + 150), go), "T+0d 02:30");
        let tz = london();
        let m = parse_instant("2027-07-01T09:05", &tz).unwrap();
        assert_eq!(local_label(m, &tz), "2027-07-01 09:05");
        assert_eq!(rfc3339(m, &tz), "2027-07-01T09:05:00+01:00");
    }

    #[test]
    fn moment_range_matches_the_years() {
        let tz = TimeZone::UTC;
        assert_eq!(
            parse_instant("1900-01-01T00:00Z", &tz).unwrap(),
            Moment::MIN
        );
        assert_eq!(
            parse_instant("2999-12-31T23:59Z", &tz).unwrap(),
            Moment::MAX
        );
        assert!(
            parse_instant("3000-01-01T00:00Z", &tz)
                .unwrap_err()
                .message
                .contains("outside")
        );
        assert_eq!(Moment::MAX.plus(1), None);
    }

    #[test]
    fn horizon_is_ten_local_years_either_side() {
        let tz = london();
        let start = parse_instant("2026-09-07T08:00", &tz).unwrap();
        let go_live = parse_instant("2027-03-08T07:00", &tz).unwrap();
        let h = Horizon::of_plan(start, go_live, &tz);
        // Summer time at the start, winter time at go-live: local clock times kept.
        assert_eq!(h.from, parse_instant("2016-09-07T08:00", &tz).unwrap());
        assert_eq!(h.until, parse_instant("2037-03-08T07:00", &tz).unwrap());
        assert_eq!(h.check(h.until), Ok(h.until));
        assert_eq!(h.check(Moment(h.until.0 + 1)), Err(OutOfRange::After));
        assert_eq!(h.check(Moment(h.from.0 - 1)), Err(OutOfRange::Before));
        // Clipped to the supported years.
        let late = parse_instant("2995-01-01T00:00", &tz).unwrap();
        assert_eq!(Horizon::of_plan(start, late, &tz).until, Moment::MAX);
        let early = parse_instant("1905-01-01T00:00", &tz).unwrap();
        assert_eq!(Horizon::of_plan(early, go_live, &tz).from, Moment::MIN);
    }
}
