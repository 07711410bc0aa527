//! Reading working hours (`08:00-12:30, 13:30-17:00`) and days (`mon-fri`).

/// Working ranges for each weekday, Monday first, in minutes of the local day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeekPattern {
    /// Working `(start, end)` ranges of each weekday, Monday first, in minutes after
    /// local midnight; empty on a day off.
    pub ranges: [Vec<(u16, u16)>; 7],
}

impl WeekPattern {
    /// The same ranges on each working day.
    pub fn uniform(days: [bool; 7], ranges: &[(u16, u16)]) -> WeekPattern {
        let mut pattern = WeekPattern::default();
        for (day, works) in days.iter().enumerate() {
            if *works {
                pattern.ranges[day] = ranges.to_vec();
            }
        }
        pattern
    }

    /// Working minutes on the first weekday that has any.
    pub fn first_day_minutes(&self) -> i64 {
        self.ranges
            .iter()
            .map(|r| r.iter().map(|&(s, e)| i64::from(e - s)).sum::<i64>())
            .find(|&m| m > 0)
            .unwrap_or(0)
    }

    /// How many weekdays have working hours (five for `mon-fri`).
    pub fn working_days(&self) -> usize {
        self.ranges.iter().filter(|r| !r.is_empty()).count()
    }

    /// True when no weekday has working hours: the calendar never works.
    pub fn is_empty(&self) -> bool {
        self.working_days() == 0
    }
}

const DAY_NAMES: [[&str; 2]; 7] = [
    ["mon", "monday"],
    ["tue", "tuesday"],
    ["wed", "wednesday"],
    ["thu", "thursday"],
    ["fri", "friday"],
    ["sat", "saturday"],
    ["sun", "sunday"],
];

fn day_index(word: &str) -> Result<usize, String> {
    let w = word.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|names| names.contains(&w.as_str()))
        .ok_or_else(|| {
            format!(
                "`{}` is not a day (use mon, tue, wed, thu, fri, sat, sun)",
                word.trim()
            )
        })
}

/// Reads days: `mon-fri`, `mon,wed,fri`, `sat, sun`, `fri-mon` (wrapping), `mon-sun`.
pub fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let mut days = [false; 7];
    for part in text.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day_index(a)?, day_index(b)?);
                let mut d = a;
                loop {
                    days[d] = true;
                    if d == b {
                        break;
                    }
                    d = (d + 1) % 7;
                }
            }
            None => days[day_index(part)?] = true,
        }
    }
    if days.iter().all(|d| !d) {
        return Err(format!("`{text}` names no working day"));
    }
    Ok(days)
}

/// The text [`parse_days`] reads (`mon-fri`, `Monday, wed`, `fri-mon`), as a JSON
/// Schema pattern (day names in any case). Tested against the parser below.
pub(crate) fn days_pattern() -> String {
    let names: Vec<&str> = DAY_NAMES.iter().flatten().copied().collect();
    let day = crate::schema::any_case(&format!("({})", names.join("|")));
    let part = format!(r"\s*{day}\s*(-\s*{day}\s*)?");
    format!(r"^[\s,]*{part}(,[\s,]*{part})*[\s,]*$")
}

/// The text [`parse_hours`] reads (`08:00-18:00`, `08:00-12:30, 13:30-17:00`, `24x7`),
/// as a JSON Schema pattern. That the ranges are in order and do not overlap is left
/// to the tool.
pub(crate) fn hours_pattern() -> String {
    let clock = r"\s*\+?(0*([01]?[0-9]|2[0-3]):0*[0-5]?[0-9]|0*24:0*0?)\s*";
    let range = format!("{clock}-{clock}");
    let whole = crate::schema::any_case(r"\s*(24x7|all day)\s*");
    format!("^({whole}|{range}(,{range})*)$")
}

fn clock(text: &str) -> Result<u16, String> {
    let t = text.trim();
    let bad = || format!("`{t}` is not a time of day (use HH:MM, e.g. 08:00)");
    let (h, m) = t.split_once(':').ok_or_else(bad)?;
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) || m.to_string().len() > 2 {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Reads hours: `08:00-18:00`, `08:00-12:30, 13:30-17:00`, `00:00-24:00`, `24x7`.
/// Ranges must be in order and must not overlap or cross midnight.
pub fn parse_hours(text: &str) -> Result<Vec<(u16, u16)>, String> {
    if text.trim().eq_ignore_ascii_case("24x7") || text.trim().eq_ignore_ascii_case("all day") {
        return Ok(vec![(0, 1440)]);
    }
    let mut ranges: Vec<(u16, u16)> = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let (a, b) = part
            .split_once('-')
            .ok_or_else(|| format!("`{part}` is not a range of hours (use e.g. 08:00-18:00)"))?;
        let (a, b) = (clock(a)?, clock(b)?);
        if a >= b {
            return Err(format!(
                "`{part}` ends before it starts; a range may not cross midnight (split it: `22:00-24:00` and `00:00-06:00` on the next day)"
            ));
        }
        if let Some(&(_, prev_end)) = ranges.last()
            && a < prev_end
        {
            return Err(format!(
                "`{part}` overlaps or comes before the range before it"
            ));
        }
        ranges.push((a, b));
    }
    Ok(ranges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_days_and_hours_patterns_agree_with_the_parsers() {
        use crate::schema::tests::matches;
        let days = days_pattern();
        for text in [
            "mon-fri",
            "Mon-Fri",
            "MONDAY",
            "sat, sun",
            "fri-mon",
            "mon,wed,fri",
            "mon , wed",
            ",mon,",
            "mon - fri",
            "weekdays",
            "mon-fry",
            "",
            ",",
            "mon-",
            "mon fri",
            "mon-tue-wed",
        ] {
            assert_eq!(
                matches(&days, text),
                parse_days(text).is_ok(),
                "days {text:?}"
            );
        }
        let hours = hours_pattern();
        for text in [
            "08:00-18:00",
            "8:00-17:00",
            "8:5-16:00",
            "08:00-12:30, 13:30-17:00",
            "00:00-24:00",
            "24x7",
            "24X7",
            "all day",
            " 09:00 - 17:00 ",
            "9-5",
            "8am-5pm",
            "08:60-09:00",
            "24:30-24:45",
            "",
            "08:00-18:00,",
            "08:00",
            "08:00-18:00-19:00",
            "25:00-26:00",
        ] {
            // Order and overlap are the tool's to check: compare the shape only.
            let shaped = parse_hours(text).is_ok()
                || parse_hours(text)
                    .is_err_and(|e| e.contains("ends before") || e.contains("overlaps"));
            assert_eq!(matches(&hours, text), shaped, "hours {text:?}");
        }
    }

    #[test]
    fn days_read_ranges_lists_and_wrapping() {
        assert_eq!(
            parse_days("mon-fri").unwrap(),
            [true, true, true, true, true, false, false]
        );
        assert_eq!(
            parse_days("sat, sun").unwrap(),
            [false, false, false, false, false, true, true]
        );
        assert_eq!(
            parse_days("fri-mon").unwrap(),
            [true, false, false, false, true, true, true]
        );
        assert_eq!(
            parse_days("Monday,wed").unwrap(),
            [true, false, true, false, false, false, false]
        );
        assert!(parse_days("mon-fry").unwrap_err().contains("fry"));
        assert!(parse_days("").is_err());
    }

    #[test]
    fn hours_read_ranges_in_order() {
        assert_eq!(parse_hours("08:00-18:00").unwrap(), [(480, 1080)]);
        assert_eq!(
            parse_hours("08:00-12:30, 13:30-17:00").unwrap(),
            [(480, 750), (810, 1020)]
        );
        assert_eq!(parse_hours("00:00-24:00").unwrap(), [(0, 1440)]);
        assert_eq!(parse_hours("24x7").unwrap(), [(0, 1440)]);
        assert!(parse_hours("18:00-08:00").unwrap_err().contains("midnight"));
        assert!(
            parse_hours("08:00-12:00, 11:00-13:00")
                .unwrap_err()
                .contains("overlaps")
        );
        assert!(parse_hours("8am-5pm").is_err());
        assert!(parse_hours("08:60-09:00").is_err());
    }

    #[test]
    fn pattern_knows_its_day_and_week() {
        let p = WeekPattern::uniform(
            parse_days("mon-fri").unwrap(),
            &parse_hours("08:00-18:00").unwrap(),
        );
        assert_eq!(p.first_day_minutes(), 600);
        assert_eq!(p.working_days(), 5);
    }
}
