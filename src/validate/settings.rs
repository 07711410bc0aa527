//! The runbook-level fields: format version, name, time zone, start and go-live, the
//! cutover window, thresholds, cost of delay and uncertainty.

use jiff::tz::TimeZone;

use super::Checker;
use super::common::{at, loc};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::runbook::Runbook;
use crate::model::{Located, Text};
use crate::project::{CostOfDelay, Thresholds, Uncertainty, Window};
use crate::source::{FileId, Span};
use crate::time::{
    HORIZON_YEARS, Horizon, Moment, fixed_offset, fixed_offset_help, parse_timezone, timezone_names,
};

/// The runbook-level fields, resolved: what every later section reads.
pub(super) struct Settings {
    /// The runbook's name (empty when missing).
    pub(super) name: String,
    pub(super) organisation: Option<String>,
    /// The zone as written (`UTC` when missing or wrong).
    pub(super) timezone_name: String,
    pub(super) tz: TimeZone,
    pub(super) start: Option<Moment>,
    pub(super) go_live: Option<Moment>,
    /// Where calendars work: from the start and go-live, or all time when either is
    /// missing.
    pub(super) horizon: Horizon,
    pub(super) window: Option<Window>,
    pub(super) thresholds: Thresholds,
    pub(super) cost_of_delay: Option<CostOfDelay>,
    pub(super) uncertainty: Uncertainty,
}

impl Checker {
    /// The runbook-level fields: version, name, time zone, start, go-live, window,
    /// thresholds, cost of delay and uncertainty; and the horizon they give.
    pub(super) fn settings(&mut self, runbook: &Runbook) -> Settings {
        let s = &runbook.settings;
        let main = runbook.main_file;
        let top = at(main, Span::default());

        if let Some(v) = &s.version
            && v.value != 1
        {
            self.push(
                Diagnostic::at(
                    Code::UnsupportedVersion,
                    loc(main, v),
                    format!("format version {} is not supported", v.value),
                )
                .with_help("this build of cutover reads version 1"),
            );
        }
        let name = self.required(
            main,
            top,
            s.runbook.as_ref(),
            "runbook",
            "the go-live's name, e.g. `runbook: Northgate Hospitals EPR go-live`",
        );
        let (tz, timezone_name) = match self.required(
            main,
            top,
            s.timezone.as_ref(),
            "timezone",
            "an IANA zone, e.g. `timezone: Europe/London`",
        ) {
            Some(text) => match parse_timezone(&text.value) {
                Ok(tz) => {
                    // `Etc/GMT+1` is a valid zone, and UTC-1: almost never what was meant.
                    if let Some(offset) = fixed_offset(&text.value) {
                        self.push(
                            Diagnostic::at(
                                Code::FixedOffsetTimezone,
                                loc(main, text),
                                format!(
                                    "`{}` is a fixed offset with no summer time",
                                    text.value.trim()
                                ),
                            )
                            .with_help(fixed_offset_help(&text.value, offset)),
                        );
                    }
                    (tz, text.value.clone())
                }
                Err(message) => {
                    // A fixed offset gets no "did you mean": the nearest name (`GMT+0`
                    // for `GMT+1`) would change the offset.
                    let help = if let Some(offset) = fixed_offset(&text.value) {
                        fixed_offset_help(&text.value, offset)
                    } else {
                        let names = timezone_names();
                        did_you_mean(&text.value, names.iter().map(String::as_str))
                            .filter(|s| fixed_offset(s).is_none())
                            .map_or_else(
                                || "use an IANA zone name such as `Europe/London`".to_owned(),
                                |s| format!("did you mean `{s}`?"),
                            )
                    };
                    self.push(
                        Diagnostic::at(Code::InvalidTimezone, loc(main, text), message)
                            .with_help(help),
                    );
                    (TimeZone::UTC, "UTC".to_owned())
                }
            },
            None => (TimeZone::UTC, "UTC".to_owned()),
        };
        let start = self
            .required(
                main,
                top,
                s.start.as_ref(),
                "start",
                "when the plan starts, e.g. `start: 2026-09-07T08:00`",
            )
            .and_then(|t| self.instant(main, t, &tz));
        let go_live = self
            .required(
                main,
                top,
                s.go_live.as_ref(),
                "go_live",
                "go-live (T-0), e.g. `go_live: 2027-03-08T07:00`",
            )
            .and_then(|t| self.instant(main, t, &tz));
        let window = s.window.as_ref().and_then(|w| {
            let opens = self
                .required(
                    main,
                    loc(main, w),
                    w.value.opens.as_ref(),
                    "opens",
                    "when the window opens",
                )
                .and_then(|t| self.instant(main, t, &tz));
            let closes = self
                .required(
                    main,
                    loc(main, w),
                    w.value.closes.as_ref(),
                    "closes",
                    "when the window closes",
                )
                .and_then(|t| self.instant(main, t, &tz));
            let (opens, closes) = (opens?, closes?);
            if opens >= closes {
                self.push(
                    Diagnostic::at(
                        Code::InvalidWindow,
                        loc(main, w),
                        "the cutover window closes before it opens",
                    )
                    .with_help("`opens` must be earlier than `closes`"),
                );
                return None;
            }
            Some(Window { opens, closes })
        });
        if let (Some(start), Some(go_live), Some(text)) = (start, go_live, &s.go_live) {
            if go_live <= start {
                self.push(
                    Diagnostic::at(
                        Code::InvalidWindow,
                        loc(main, text),
                        "go-live is not after the plan's start",
                    )
                    .with_help("`start` is when the plan begins; it must be before `go_live`"),
                );
            } else if go_live > start.add_years(&tz, HORIZON_YEARS) {
                self.push(
                    Diagnostic::at(
                        Code::InvalidWindow,
                        loc(main, text),
                        format!(
                            "go-live is more than {HORIZON_YEARS} years after the plan's start"
                        ),
                    )
                    .with_help("a cutover plan spans months or a few years: check the years of `start` and `go_live`"),
                );
            }
            if let Some(w) = window
                && !(w.opens..=w.closes).contains(&go_live)
            {
                self.push(
                    Diagnostic::at(
                        Code::InvalidWindow,
                        loc(main, text),
                        "go-live is outside the cutover window",
                    )
                    .with_help(
                        "go-live normally ends the window: `window.closes` at or after `go_live`",
                    ),
                );
            }
        }

        let thresholds = s
            .thresholds
            .as_ref()
            .map_or_else(Thresholds::default, |t| Thresholds {
                critical_float: t
                    .critical_float
                    .as_ref()
                    .and_then(|d| self.duration(main, d, false))
                    .unwrap_or_default(),
                min_float: t
                    .min_float
                    .as_ref()
                    .and_then(|d| self.elapsed_duration(main, d, false))
                    .unwrap_or(0),
            });
        let cost_of_delay = s
            .cost_of_delay
            .as_ref()
            .map(|c| self.cost_of_delay(main, c));
        let uncertainty = s
            .uncertainty
            .as_ref()
            .map_or_else(Uncertainty::default, |u| self.uncertainty(main, u));

        // Calendars work only inside the horizon.
        let horizon = match (start, go_live) {
            (Some(start), Some(go_live)) => Horizon::of_plan(start, go_live, &tz),
            _ => Horizon::ALL,
        };
        Settings {
            name: name.map(|n| n.value.clone()).unwrap_or_default(),
            organisation: s.organisation.as_ref().map(|o| o.value.clone()),
            timezone_name,
            tz,
            start,
            go_live,
            horizon,
            window,
            thresholds,
            cost_of_delay,
            uncertainty,
        }
    }

    fn cost_of_delay(
        &mut self,
        file: FileId,
        c: &crate::model::runbook::CostOfDelay,
    ) -> CostOfDelay {
        let amount = |this: &mut Self, v: &Option<Located<f64>>| -> Option<f64> {
            let v = v.as_ref()?;
            if !(v.value.is_finite() && v.value >= 0.0) {
                this.push(
                    Diagnostic::at(
                        Code::WrongType,
                        loc(file, v),
                        "a cost must be a number, zero or more",
                    )
                    .with_help(
                        "write the amount without a currency sign, e.g. `per_month: 1800000`",
                    ),
                );
                return None;
            }
            Some(v.value)
        };
        let per_month = amount(self, &c.per_month);
        let per_week = amount(self, &c.per_week);
        let benefits = amount(self, &c.benefits_per_month).unwrap_or(0.0);
        if let (Some(_), Some(w)) = (&c.per_month, &c.per_week) {
            self.push(
                Diagnostic::at(
                    Code::WrongType,
                    loc(file, w),
                    "give the cost per month or per week, not both",
                )
                .with_help("remove `per_week` or `per_month`"),
            );
        }
        CostOfDelay {
            per_month: per_month
                .or(per_week.map(|w| w * 30.0 / 7.0))
                .unwrap_or(0.0),
            benefits_per_month: benefits,
            currency: c
                .currency
                .as_ref()
                .map_or_else(|| "GBP".to_owned(), |c| c.value.clone()),
        }
    }

    fn uncertainty(&mut self, file: FileId, u: &crate::model::runbook::Uncertainty) -> Uncertainty {
        /// Worst case at most ten times the planned duration.
        const MAX_UNCERTAINTY: f64 = 10.0;
        let pct = |this: &mut Self, v: &Option<Text>, default: f64| -> f64 {
            let Some(text) = v else { return default };
            let number = text
                .value
                .trim()
                .trim_end_matches('%')
                .trim()
                .parse::<f64>();
            match number {
                Ok(p) if p.is_finite() && p >= 0.0 => p / 100.0,
                _ => {
                    this.push(
                        Diagnostic::at(
                            Code::WrongType,
                            loc(file, text),
                            format!("`{}` is not a percentage", text.value),
                        )
                        .with_help(
                            "write a percentage of the planned duration, e.g. `90%` or `150%`",
                        ),
                    );
                    default
                }
            }
        };
        let best = pct(self, &u.best, 1.0);
        let mut worst = pct(self, &u.worst, 1.0);
        if worst > MAX_UNCERTAINTY {
            if let Some(text) = &u.worst {
                self.push(
                    Diagnostic::at(
                        Code::InvalidEstimate,
                        loc(file, text),
                        format!("`{}` is more than 1000% of the planned duration", text.value),
                    )
                    .with_help("a worst case above ten times the plan is not an estimate; use a three-point `estimate` on the task"),
                );
            }
            worst = 1.0;
        }
        if best > 1.0 || worst < 1.0 {
            let origin = u
                .best
                .as_ref()
                .or(u.worst.as_ref())
                .map_or(at(file, Span::default()), |t| loc(file, t));
            self.push(
                Diagnostic::at(
                    Code::InvalidEstimate,
                    origin,
                    "uncertainty must have best <= 100% <= worst",
                )
                .with_help("e.g. `uncertainty: { best: 90%, worst: 150% }`"),
            );
        }
        Uncertainty {
            best,
            worst,
            distribution: u
                .distribution
                .as_ref()
                .map_or_else(Default::default, |d| d.value),
        }
    }
}
