//! Dates as people say them: a year ("2019"), a month ("March 2019") or a day. The precision
//! is part of the recorded value, so "2019" is never read back as 1 January 2019.
//!
//! In a record a date is text: `"2019"`, `"2019-03"` or `"2019-03-14"` (format version 1
//! files only ever hold the last, and read unchanged). Typed answers are more forgiving:
//! month names and the UK's day/month/year order are understood, and a date that does not
//! exist says exactly why ("February 2031 has 28 days").

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

impl DatePrecision {
    /// A word for messages: "year", "month", "day".
    pub fn word(self) -> &'static str {
        match self {
            DatePrecision::Year => "year",
            DatePrecision::Month => "month",
            DatePrecision::Day => "day",
        }
    }
}

/// A calendar date known to the year, the month or the day. Kept as its first day and its
/// precision: `2019` is 2019-01-01 with year precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    first: NaiveDate,
    precision: DatePrecision,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The years a typed date may name: four digits.
const YEARS: std::ops::RangeInclusive<i32> = 1000..=9999;

/// The examples every "not a date" message gives.
pub const DATE_FORMS: &str = "2019, March 2019, 2019-03, 14 March 2019, 14/03/2019 or 2019-03-14";

impl PartialDate {
    /// A full date.
    pub fn day(date: NaiveDate) -> PartialDate {
        PartialDate {
            first: date,
            precision: DatePrecision::Day,
        }
    }

    /// A month, or the reason it is not one.
    pub fn month(year: i32, month: u32) -> Result<PartialDate, String> {
        check_year(year)?;
        check_month(month)?;
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(not_a_date)?;
        Ok(PartialDate {
            first,
            precision: DatePrecision::Month,
        })
    }

    /// A year, or the reason it is not one.
    pub fn year(year: i32) -> Result<PartialDate, String> {
        check_year(year)?;
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(not_a_date)?;
        Ok(PartialDate {
            first,
            precision: DatePrecision::Year,
        })
    }

    /// A day of a month, or exactly why there is no such day.
    pub fn ymd(year: i32, month: u32, day: u32) -> Result<PartialDate, String> {
        check_year(year)?;
        check_month(month)?;
        let days = days_in_month(year, month);
        if day == 0 {
            return Err("there is no day 0; days start at 1".into());
        }
        if day > days {
            return Err(format!(
                "{} {year} has {days} days",
                MONTHS[(month - 1) as usize]
            ));
        }
        let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(not_a_date)?;
        Ok(PartialDate::day(date))
    }

    pub fn precision(&self) -> DatePrecision {
        self.precision
    }

    /// The first day the date covers.
    pub fn first_day(&self) -> NaiveDate {
        self.first
    }

    /// The last day the date covers (the date itself for a full date).
    pub fn last_day(&self) -> NaiveDate {
        let span = match self.precision {
            DatePrecision::Day => return self.first,
            DatePrecision::Month => Months::new(1),
            DatePrecision::Year => Months::new(12),
        };
        self.first
            .checked_add_months(span)
            .and_then(|d| d.pred_opt())
            .unwrap_or(self.first)
    }

    /// Whether every day it covers is after `today` (a month or year that holds today is
    /// not in the future).
    pub fn is_after(&self, today: NaiveDate) -> bool {
        self.first > today
    }

    /// Days between the two, at their nearest: 0 when they overlap (2019 and 2019-03-14).
    pub fn days_apart(&self, other: &PartialDate) -> u64 {
        if self.last_day() < other.first {
            (other.first - self.last_day()).num_days().unsigned_abs()
        } else if other.last_day() < self.first {
            (self.first - other.last_day()).num_days().unsigned_abs()
        } else {
            0
        }
    }

    /// The date in words, as a person says it: "2019", "March 2019", "14 March 2019".
    pub fn spoken(&self) -> String {
        let month = MONTHS[self.first.month0() as usize];
        match self.precision {
            DatePrecision::Year => self.first.year().to_string(),
            DatePrecision::Month => format!("{month} {}", self.first.year()),
            DatePrecision::Day => format!("{} {month} {}", self.first.day(), self.first.year()),
        }
    }

    /// Reads a date as someone typed it: `2019`, `2019-03`, `2019-03-14`, `March 2019`,
    /// `Mar 2019`, `14 March 2019`, `14/03/2019` or `03/2019` (day before month, as in the
    /// UK). The message says what is wrong.
    pub fn parse_typed(input: &str) -> Result<PartialDate, String> {
        let text = input.trim();
        if text.is_empty() {
            return Err("no date typed".into());
        }
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        let date = match words.as_slice() {
            [one] if one.contains('/') => slashed(one),
            [one] => iso(one),
            [month, year] => PartialDate::month(year_of(year)?, month_named(month)?),
            [day, month, year] => {
                PartialDate::ymd(year_of(year)?, month_named(month)?, day_of(day)?)
            }
            _ => Err(not_a_date()),
        };
        date.map_err(|why| format!("`{text}`: {why}"))
    }
}

fn not_a_date() -> String {
    format!("not a date; type it as {DATE_FORMS}")
}

fn check_year(year: i32) -> Result<(), String> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(format!(
            "type the year in full, with four digits (not {year})"
        ))
    }
}

fn check_month(month: u32) -> Result<(), String> {
    if (1..=12).contains(&month) {
        Ok(())
    } else {
        Err(format!("there is no month {month}; months are 1 to 12"))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = first.and_then(|d| d.checked_add_months(Months::new(1)));
    match (first, next) {
        (Some(a), Some(b)) => u32::try_from((b - a).num_days()).unwrap_or(31),
        _ => 31,
    }
}

fn number<T: FromStr>(text: &str) -> Result<T, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_date());
    }
    text.parse().map_err(|_| not_a_date())
}

fn year_of(text: &str) -> Result<i32, String> {
    let year: i32 = number(text)?;
    check_year(year)?;
    Ok(year)
}

fn day_of(text: &str) -> Result<u32, String> {
    let text = text.to_ascii_lowercase();
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
        .unwrap_or(&text);
    number(digits)
}

fn month_named(text: &str) -> Result<u32, String> {
    if let Ok(n) = number::<u32>(text) {
        check_month(n)?;
        return Ok(n);
    }
    let lower = text.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|m| {
            let m = m.to_lowercase();
            m == lower || (lower.len() >= 3 && m.starts_with(&lower))
        })
        .map(|i| i as u32 + 1)
        .ok_or_else(|| format!("`{text}` is not a month; {}", not_a_date()))
}

/// `2019`, `2019-03`, `2019-03-14` (one-digit months and days too).
fn iso(text: &str) -> Result<PartialDate, String> {
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [y] => PartialDate::year(year_of(y)?),
        [y, m] => PartialDate::month(year_of(y)?, number(m)?),
        [y, m, d] => PartialDate::ymd(year_of(y)?, number(m)?, number(d)?),
        _ => Err(not_a_date()),
    }
}

/// `14/03/2019`, `03/2019`: the UK order, day first.
fn slashed(text: &str) -> Result<PartialDate, String> {
    let parts: Vec<&str> = text.split('/').collect();
    match parts.as_slice() {
        [m, y] => PartialDate::month(year_of(y)?, number(m)?),
        [d, m, y] => PartialDate::ymd(year_of(y)?, number(m)?, number(d)?),
        _ => Err(not_a_date()),
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(date: NaiveDate) -> Self {
        PartialDate::day(date)
    }
}

/// The record's form: `2019`, `2019-03`, `2019-03-14`.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            DatePrecision::Year => write!(f, "{}", self.first.format("%Y")),
            DatePrecision::Month => write!(f, "{}", self.first.format("%Y-%m")),
            DatePrecision::Day => write!(f, "{}", self.first.format("%Y-%m-%d")),
        }
    }
}

/// The record's form only (what [`fmt::Display`] writes); typed input goes through
/// [`PartialDate::parse_typed`].
impl FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let strict = s.len() == 4 || s.len() == 7 || s.len() == 10;
        let digits_and_dashes = s.bytes().all(|b| b.is_ascii_digit() || b == b'-');
        if !strict || !digits_and_dashes {
            return Err(format!(
                "a date is written YYYY, YYYY-MM or YYYY-MM-DD, not {s:?}"
            ));
        }
        iso(s)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> Result<String, String> {
        PartialDate::parse_typed(s).map(|d| d.to_string())
    }

    #[test]
    fn dates_are_accepted_as_people_say_them() {
        assert_eq!(typed("2019").as_deref(), Ok("2019"));
        assert_eq!(typed("March 2019").as_deref(), Ok("2019-03"));
        assert_eq!(typed("mar 2019").as_deref(), Ok("2019-03"));
        assert_eq!(typed("2019-3").as_deref(), Ok("2019-03"));
        assert_eq!(typed("03/2019").as_deref(), Ok("2019-03"));
        assert_eq!(typed("14 March 2019").as_deref(), Ok("2019-03-14"));
        assert_eq!(typed("14th Mar 2019").as_deref(), Ok("2019-03-14"));
        assert_eq!(typed("14/03/2019").as_deref(), Ok("2019-03-14"));
        assert_eq!(typed(" 2019-03-14 ").as_deref(), Ok("2019-03-14"));
        assert_eq!(typed("29 February 2024").as_deref(), Ok("2024-02-29"));
    }

    #[test]
    fn a_bad_date_says_exactly_what_is_wrong() {
        let err = |s| typed(s).expect_err(s);
        assert!(err("2031-02-30").contains("February 2031 has 28 days"));
        assert!(err("30/02/2031").contains("February 2031 has 28 days"));
        assert!(err("2024-02-30").contains("February 2024 has 29 days"));
        assert!(err("31 April 2019").contains("April 2019 has 30 days"));
        assert!(err("2019-13").contains("there is no month 13"));
        assert!(err("2019-00-10").contains("there is no month 0"));
        assert!(err("2019-03-00").contains("there is no day 0"));
        assert!(err("19").contains("four digits"));
        assert!(err("Marchly 2019").contains("`Marchly` is not a month"));
        assert!(err("last spring").contains("not a date"));
        assert!(
            err("last spring").contains("March 2019"),
            "the message shows forms"
        );
        assert!(err("").contains("no date typed"));
    }

    #[test]
    fn the_record_form_round_trips_and_old_full_dates_read_unchanged() {
        for s in ["2019", "2019-03", "2019-03-14"] {
            let d: PartialDate = s.parse().expect(s);
            assert_eq!(d.to_string(), s);
        }
        let full: PartialDate = "2026-01-31".parse().expect("v1 date");
        assert_eq!(full.precision(), DatePrecision::Day);
        assert!("March 2019".parse::<PartialDate>().is_err());
        assert!("2019-3".parse::<PartialDate>().is_err());
    }

    #[test]
    fn spans_overlap_and_distance() {
        let d = |s: &str| s.parse::<PartialDate>().expect(s);
        assert_eq!(d("2019").last_day().to_string(), "2019-12-31");
        assert_eq!(d("2024-02").last_day().to_string(), "2024-02-29");
        assert_eq!(d("2019").days_apart(&d("2019-03-14")), 0);
        assert_eq!(d("2019-03-14").days_apart(&d("2019")), 0);
        assert_eq!(d("2019").days_apart(&d("2020-01-05")), 5);
        assert_eq!(d("2019-03").days_apart(&d("2019-02-20")), 9);
        assert_eq!(d("2019-03-14").days_apart(&d("2019-03-10")), 4);
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).expect("date");
        assert!(!d("2026").is_after(today));
        assert!(!d("2026-03").is_after(today));
        assert!(d("2026-03-03").is_after(today));
        assert!(d("2031").is_after(today));
        assert_eq!(d("2019-03").spoken(), "March 2019");
        assert_eq!(d("2019-03-04").spoken(), "4 March 2019");
    }
}
