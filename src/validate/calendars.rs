//! Calendars: working hours, days, holidays, exceptions and day length, built for
//! the plan's horizon, and references to them by id.

use std::collections::HashMap;

use jiff::tz::TimeZone;

use super::Checker;
use super::common::{duplicate, loc};
use super::settings::Settings;
use crate::calendar::{Calendar, Holidays, WeekPattern, parse_days, parse_hours};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::calendar::{CalendarFields, CalendarSpec, Days, Hours};
use crate::model::runbook::{InFile, Runbook};
use crate::model::{Located, Text};
use crate::source::{FileId, Origin};
use crate::time::{Horizon, parse_date};

/// The calendars, resolved: what tasks and scenarios look up.
pub(super) struct Calendars {
    /// `24x7` first, then the runbook's in the order written.
    pub(super) list: Vec<Calendar>,
    /// Each calendar's place in `list`, by id.
    pub(super) index: HashMap<String, usize>,
    /// The calendar of tasks that name none (`default_calendar`, else `24x7`).
    pub(super) default: usize,
}

impl Checker {
    /// The calendars: the built-in `24x7` first, then each one written, and the
    /// default for tasks that name none.
    pub(super) fn calendars(&mut self, runbook: &Runbook, settings: &Settings) -> Calendars {
        let (tz, horizon) = (&settings.tz, settings.horizon);
        let (s, main) = (&runbook.settings, runbook.main_file);
        let mut calendars = vec![Calendar::elapsed("24x7", horizon)];
        let mut calendar_index: HashMap<String, usize> = HashMap::new();
        calendar_index.insert("24x7".to_owned(), 0);
        let mut calendar_seen: HashMap<String, Origin> = HashMap::new();
        for InFile {
            file,
            item: (id, spec),
        } in &runbook.calendars
        {
            let origin = loc(*file, id);
            if !self.check_id(origin, &id.value, "calendar") {
                continue;
            }
            if id.value == "24x7" {
                self.push(
                    Diagnostic::at(Code::DuplicateId, origin, "`24x7` is a built-in calendar")
                        .with_help("choose another id; `24x7` is always available"),
                );
                continue;
            }
            if let Some(first) = calendar_seen.get(&id.value) {
                self.push(duplicate("calendar", &id.value, origin, *first));
                continue;
            }
            calendar_seen.insert(id.value.clone(), origin);
            // A calendar with errors still answers to its id, so tasks naming it get
            // no second error; the project is refused anyway.
            let cal = self
                .calendar(*file, id, spec, tz, horizon)
                .unwrap_or_else(|| Calendar::elapsed(id.value.clone(), horizon));
            calendar_index.insert(id.value.clone(), calendars.len());
            calendars.push(cal);
        }
        let default_calendar = match &s.default_calendar {
            Some(text) => self.calendar_ref(main, text, &calendar_index).unwrap_or(0),
            None => 0,
        };
        Calendars {
            list: calendars,
            index: calendar_index,
            default: default_calendar,
        }
    }

    pub(super) fn calendar_ref(
        &mut self,
        file: FileId,
        text: &Text,
        index: &HashMap<String, usize>,
    ) -> Option<usize> {
        self.reference(file, text, index, Code::UnknownCalendar, "calendar")
    }

    fn calendar(
        &mut self,
        file: FileId,
        id: &Text,
        spec: &Located<CalendarSpec>,
        tz: &TimeZone,
        horizon: Horizon,
    ) -> Option<Calendar> {
        let fields = match &spec.value {
            CalendarSpec::Preset(p) if p.value.trim() == "24x7" => {
                return Some(Calendar::elapsed(id.value.clone(), horizon));
            }
            CalendarSpec::Preset(p) => {
                self.push(
                    Diagnostic::at(Code::InvalidCalendar, loc(file, p), format!("`{}` is not a calendar", p.value))
                        .with_help("write `24x7`, or a mapping: `{ hours: 08:00-18:00, days: mon-fri, holidays: [england-and-wales] }`"),
                );
                return None;
            }
            CalendarSpec::Custom(c) => c,
        };
        let CalendarFields {
            hours,
            days,
            holidays,
            exceptions,
            day_length,
        } = &fields.value;
        let bad = |this: &mut Self, origin: Origin, message: String| {
            this.push(Diagnostic::at(Code::InvalidCalendar, origin, message).with_help(
                "hours like `08:00-18:00` or `08:00-12:30, 13:30-17:00`; days like `mon-fri` or `[mon, wed]`",
            ));
        };
        let mut ok = true;
        let working_days = match days {
            None => Some([true, true, true, true, true, false, false]),
            Some(d) => {
                let parsed = match &d.value {
                    Days::Text(t) => parse_days(t),
                    Days::List(l) => parse_days(&l.join(",")),
                };
                match parsed {
                    Ok(days) => Some(days),
                    Err(m) => {
                        bad(self, loc(file, d), m);
                        ok = false;
                        None
                    }
                }
            }
        };
        let pattern = match hours {
            None => working_days.map(|d| WeekPattern::uniform(d, &[(540, 1020)])),
            Some(h) => match &h.value {
                Hours::Every(text) => match parse_hours(text) {
                    Ok(ranges) => working_days.map(|d| WeekPattern::uniform(d, &ranges)),
                    Err(m) => {
                        bad(self, loc(file, h), m);
                        None
                    }
                },
                Hours::PerDay(map) => {
                    if let Some(d) = days {
                        bad(
                            self,
                            loc(file, d),
                            "`days` cannot be used when `hours` names the days".to_owned(),
                        );
                        ok = false;
                    }
                    let mut pattern = WeekPattern::default();
                    for (day_spec, text) in map.iter() {
                        match (parse_days(&day_spec.value), parse_hours(text)) {
                            (Ok(days), Ok(ranges)) => {
                                for (i, on) in days.iter().enumerate() {
                                    if *on {
                                        pattern.ranges[i].clone_from(&ranges);
                                    }
                                }
                            }
                            (Err(m), _) | (_, Err(m)) => {
                                bad(self, loc(file, day_spec), m);
                                ok = false;
                            }
                        }
                    }
                    Some(pattern)
                }
            },
        };
        let mut set = Holidays::default();
        for h in holidays {
            let word = h.value.trim();
            if word.eq_ignore_ascii_case("england-and-wales") {
                set.england_and_wales = true;
                continue;
            }
            match parse_date(word) {
                Ok(date) => {
                    set.dates.insert(date);
                }
                Err(m) => {
                    let help = if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                        "write dates as YYYY-MM-DD".to_owned()
                    } else {
                        suggestion(word, ["england-and-wales"]).unwrap_or_else(|| {
                            "the built-in holiday set is `england-and-wales`".to_owned()
                        })
                    };
                    self.push(
                        Diagnostic::at(Code::InvalidCalendar, loc(file, h), m).with_help(help),
                    );
                    ok = false;
                }
            }
        }
        for (date, hours) in exceptions.iter() {
            match (parse_date(&date.value), parse_hours(&hours.value)) {
                (Ok(date), Ok(ranges)) => {
                    set.exceptions.insert(date, ranges);
                }
                (Err(m), _) => {
                    self.push(
                        Diagnostic::at(Code::InvalidCalendar, loc(file, date), m).with_help(
                            "an exception is a date and its hours: `2027-01-02: 09:00-13:00`",
                        ),
                    );
                    ok = false;
                }
                (_, Err(m)) => {
                    bad(self, loc(file, hours), m);
                    ok = false;
                }
            }
        }
        let pattern = pattern?;
        if pattern.is_empty() {
            bad(
                self,
                loc(file, id),
                format!("calendar `{}` has no working time", id.value),
            );
            return None;
        }
        let day = match day_length {
            Some(d) => match self.duration(file, d, false) {
                Some(spec) if spec.is_exact() && spec.minutes > 0 => Some(spec.minutes),
                Some(_) => {
                    self.push(
                        Diagnostic::at(
                            Code::InvalidDuration,
                            loc(file, d),
                            "a day length is hours and minutes, more than zero",
                        )
                        .with_help("e.g. `day_length: 7h 30m`"),
                    );
                    ok = false;
                    None
                }
                None => {
                    ok = false;
                    None
                }
            },
            None => None,
        };
        ok.then(|| Calendar::working(id.value.clone(), tz.clone(), pattern, set, day, horizon))
    }
}
