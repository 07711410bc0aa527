//! England and Wales bank holidays for any year.
//!
//! The statutory pattern (Banking and Financial Dealings Act 1971 and the royal
//! proclamations that settle it each year) plus the one-off changes proclaimed since
//! 1978, checked against the GOV.UK list. Easter comes from the `computus` crate.

use jiff::civil::{Date, Weekday};

/// A date as (year, month, day).
type Ymd = (i16, i8, i8);

/// One-off changes: (date removed, date added) pairs and extra days.
const MOVED: &[(Ymd, Ymd)] = &[
    ((1995, 5, 1), (1995, 5, 8)),  // VE Day 50th anniversary
    ((2002, 5, 27), (2002, 6, 3)), // Golden Jubilee
    ((2012, 5, 28), (2012, 6, 4)), // Diamond Jubilee
    ((2020, 5, 4), (2020, 5, 8)),  // VE Day 75th anniversary
    ((2022, 5, 30), (2022, 6, 2)), // Platinum Jubilee
];

const EXTRA: &[Ymd] = &[
    (1981, 7, 29),  // Royal wedding
    (1999, 12, 31), // Millennium
    (2002, 6, 4),   // Golden Jubilee
    (2011, 4, 29),  // Royal wedding
    (2012, 6, 5),   // Diamond Jubilee
    (2022, 6, 3),   // Platinum Jubilee
    (2022, 9, 19),  // State funeral of Queen Elizabeth II
    (2023, 5, 8),   // Coronation of King Charles III
];

/// The bank holidays of `year` in England and Wales, in date order.
pub fn england_and_wales(year: i16) -> Vec<Date> {
    let mut days = Vec::with_capacity(10);
    let Ok(jan1) = Date::new(year, 1, 1) else {
        return days;
    };
    days.push(next_weekday_if_weekend(jan1));
    if let Ok(easter) = computus::gregorian(i32::from(year))
        && let Ok(easter) = Date::new(year, easter.month as i8, easter.day as i8)
    {
        if let Ok(d) = easter.checked_sub(jiff::Span::new().days(2)) {
            days.push(d);
        }
        if let Ok(d) = easter.checked_add(jiff::Span::new().days(1)) {
            days.push(d);
        }
    }
    if let Some(d) = nth_weekday(year, 5, Weekday::Monday, 1) {
        days.push(d);
    }
    if let Some(d) = last_weekday(year, 5, Weekday::Monday) {
        days.push(d);
    }
    if let Some(d) = last_weekday(year, 8, Weekday::Monday) {
        days.push(d);
    }
    days.extend(christmas(year));

    for &(from, to) in MOVED {
        if from.0 == year {
            days.retain(|d| (d.year(), d.month(), d.day()) != from);
            if let Ok(d) = Date::new(to.0, to.1, to.2) {
                days.push(d);
            }
        }
    }
    for &(y, m, d) in EXTRA {
        if y == year
            && let Ok(d) = Date::new(y, m, d)
        {
            days.push(d);
        }
    }
    days.sort();
    days.dedup();
    days
}

fn next_weekday_if_weekend(d: Date) -> Date {
    let skip = match d.weekday() {
        Weekday::Saturday => 2,
        Weekday::Sunday => 1,
        _ => 0,
    };
    d.checked_add(jiff::Span::new().days(skip)).unwrap_or(d)
}

/// Christmas Day and Boxing Day, with their weekday substitutes.
fn christmas(year: i16) -> Vec<Date> {
    let (Ok(xmas), Ok(boxing)) = (Date::new(year, 12, 25), Date::new(year, 12, 26)) else {
        return Vec::new();
    };
    let plus = |n: i64| xmas.checked_add(jiff::Span::new().days(n)).unwrap_or(xmas);
    match xmas.weekday() {
        Weekday::Friday => vec![xmas, plus(3)], // Boxing Day on Saturday -> Monday 28th
        Weekday::Saturday => vec![plus(2), plus(3)], // Monday 27th and Tuesday 28th
        Weekday::Sunday => vec![boxing, plus(2)], // Boxing Day Monday, Christmas Tuesday 27th
        _ => vec![xmas, boxing],
    }
}

fn nth_weekday(year: i16, month: i8, weekday: Weekday, n: i8) -> Option<Date> {
    Date::new(year, month, 1)
        .ok()?
        .nth_weekday_of_month(n, weekday)
        .ok()
}

fn last_weekday(year: i16, month: i8, weekday: Weekday) -> Option<Date> {
    Date::new(year, month, 1)
        .ok()?
        .nth_weekday_of_month(-1, weekday)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(year: i16) -> Vec<String> {
        england_and_wales(year)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn matches_gov_uk_for_2026_and_2027() {
        assert_eq!(
            dates(2026),
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28"
            ]
        );
        assert_eq!(
            dates(2027),
            [
                "2027-01-01",
                "2027-03-26",
                "2027-03-29",
                "2027-05-03",
                "2027-05-31",
                "2027-08-30",
                "2027-12-27",
                "2027-12-28"
            ]
        );
    }

    #[test]
    fn keeps_the_one_off_changes() {
        assert_eq!(
            dates(2022),
            [
                "2022-01-03",
                "2022-04-15",
                "2022-04-18",
                "2022-05-02",
                "2022-06-02",
                "2022-06-03",
                "2022-08-29",
                "2022-09-19",
                "2022-12-26",
                "2022-12-27"
            ]
        );
        assert!(dates(2020).contains(&"2020-05-08".to_owned()));
        assert!(!dates(2020).contains(&"2020-05-04".to_owned()));
        assert!(dates(2023).contains(&"2023-05-08".to_owned()));
    }

    #[test]
    fn new_year_on_a_weekend_moves_to_monday() {
        assert_eq!(dates(2028)[0], "2028-01-03"); // Saturday 1 January 2028
        assert_eq!(dates(2034)[0], "2034-01-02"); // Sunday 1 January 2034
    }
}
