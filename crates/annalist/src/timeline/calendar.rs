//! Placing TIMEX3 values on one continuous time axis.
//!
//! The axis counts days since 1970-01-01 in the proleptic Gregorian calendar, with
//! astronomical years (1 BC is year 0), as an `f64` so that times of day are fractions
//! and any year of history fits. A date becomes the interval it covers: "1939" is
//! 1939-01-01 to 1940-01-01, "the end of 1938" the last third of 1938, "480 BC" the
//! astronomical year −479.

use serde::{Deserialize, Serialize};

use crate::value::{Date, Granularity, Mod, Part, PartOfDay, Season, Time, Value, Year};

/// A half-open interval on the time axis, in days since 1970-01-01 (proleptic
/// Gregorian, fractional days for times of day).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// First instant covered.
    pub start: f64,
    /// First instant after the interval (equal to `start` for a point).
    pub end: f64,
}

impl Interval {
    /// The interval from `start` to `end`.
    pub fn new(start: f64, end: f64) -> Interval {
        Interval { start, end }
    }

    /// A point in time.
    pub fn point(at: f64) -> Interval {
        Interval { start: at, end: at }
    }

    /// The smallest interval covering both.
    pub fn union(self, other: Interval) -> Interval {
        Interval { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Applies a TIMEX3 `mod` that narrows a period: START, MID and END keep the
    /// first, middle or last third; other modifiers leave it as it is.
    pub fn narrowed(self, m: Option<Mod>) -> Interval {
        let third = (self.end - self.start) / 3.0;
        match m {
            Some(Mod::Start) => Interval::new(self.start, self.start + third),
            Some(Mod::Mid) => Interval::new(self.start + third, self.end - third),
            Some(Mod::End) => Interval::new(self.end - third, self.end),
            _ => self,
        }
    }
}

/// Days from 1970-01-01 to the given astronomical year, month (1–12) and day (1–31),
/// proleptic Gregorian (H. Hinnant's `days_from_civil`). Out-of-range months and days
/// roll over arithmetically.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The astronomical year, month and day of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Historical year (no year 0, negative = BC) to astronomical year (0 = 1 BC).
pub fn astronomical(year: i64) -> i64 {
    if year < 0 { year + 1 } else { year }
}

/// Astronomical year to historical year (negative = BC).
pub fn historical(year: i64) -> i64 {
    if year <= 0 { year - 1 } else { year }
}

/// The astronomical years `[first, last + 1)` a [`Year`] covers.
fn year_span(y: Year) -> Option<(i64, i64)> {
    Some(match y {
        Year::Known(0) => return None,
        Year::Known(y) => {
            let a = astronomical(y as i64);
            (a, a + 1)
        }
        // The 1930s: 1930–1939. The 480s BC: 489–480 BC.
        Year::Decade(n) if n >= 0 => (10 * n as i64, 10 * n as i64 + 10),
        Year::Decade(n) => {
            let k = -(n as i64);
            (astronomical(-(10 * k + 9)), astronomical(-(10 * k)) + 1)
        }
        // "18" is the 1800s; the 3rd century BC (-3) is 300–201 BC.
        Year::Century(c) if c >= 0 => (100 * c as i64, 100 * c as i64 + 100),
        Year::Century(c) => {
            let k = -(c as i64);
            (astronomical(-(100 * k)), astronomical(-(100 * k - 99)) + 1)
        }
        Year::Millennium(m) if m >= 0 => (1000 * m as i64, 1000 * m as i64 + 1000),
        Year::Millennium(m) => {
            let k = -(m as i64);
            (astronomical(-(1000 * k)), astronomical(-(1000 * k - 999)) + 1)
        }
        Year::Unknown => return None,
    })
}

/// Days covered by the months `[m0, m1)` of astronomical year `a` (`m1` may be 13+).
fn months(a: i64, m0: i64, m1: i64) -> (f64, f64) {
    (days_from_civil(a, m0, 1) as f64, days_from_civil(a + (m1 - 1) / 12, (m1 - 1) % 12 + 1, 1) as f64)
}

/// Hours `[from, to)` of the day a part of the day covers.
fn part_of_day_hours(p: PartOfDay) -> (f64, f64) {
    match p {
        PartOfDay::Morning => (6.0, 12.0),
        PartOfDay::Midday => (11.0, 14.0),
        PartOfDay::Afternoon => (12.0, 18.0),
        PartOfDay::Evening => (18.0, 22.0),
        PartOfDay::Night => (21.0, 24.0),
        PartOfDay::Daytime => (8.0, 18.0),
    }
}

/// The interval a date covers, or `None` when its year is not known (`XXXX-08-22`).
/// The time of day counts only when the day is known.
pub fn date_interval(d: &Date) -> Option<Interval> {
    let (y0, y1) = year_span(d.year)?;
    let whole = Interval::new(days_from_civil(y0, 1, 1) as f64, days_from_civil(y1, 1, 1) as f64);
    if y1 - y0 != 1 {
        return Some(whole);
    }
    let a = y0;
    let (s, e) = match d.part {
        Part::None | Part::Month { month: None, .. } | Part::Week { week: None, .. } => return Some(whole),
        Part::Month { month: Some(m), day: None | Some(None) } => {
            if !(1..=12).contains(&m) {
                return None;
            }
            months(a, m as i64, m as i64 + 1)
        }
        Part::Month { month: Some(m), day: Some(Some(day)) } => {
            if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
                return None;
            }
            let s = days_from_civil(a, m as i64, day as i64) as f64;
            (s, s + 1.0)
        }
        Part::Week { week: Some(w), weekday, weekend } => {
            // ISO week 1 is the week with 4 January; weeks start on Monday.
            let jan4 = days_from_civil(a, 1, 4);
            let monday = jan4 - (jan4 + 3).rem_euclid(7); // 1970-01-01 was a Thursday
            let start = monday + 7 * (w as i64 - 1);
            match (weekday, weekend) {
                (_, true) => ((start + 5) as f64, (start + 7) as f64),
                (Some(wd), false) => ((start + wd as i64 - 1) as f64, (start + wd as i64) as f64),
                (None, false) => (start as f64, (start + 7) as f64),
            }
        }
        Part::Season(s) => match s {
            Season::Spring => months(a, 3, 6),
            Season::Summer => months(a, 6, 9),
            Season::Fall => months(a, 9, 12),
            Season::Winter => months(a, 12, 15),
        },
        Part::Quarter(q) if (1..=4).contains(&q) => months(a, 3 * q as i64 - 2, 3 * q as i64 + 1),
        Part::Half(h) if (1..=2).contains(&h) => months(a, 6 * h as i64 - 5, 6 * h as i64 + 1),
        Part::Quarter(_) | Part::Half(_) => return None,
    };
    let day_known = matches!(d.part, Part::Month { day: Some(Some(_)), .. } | Part::Week { weekday: Some(_), .. });
    match d.time {
        Some(t) if day_known => {
            let (h0, h1) = match t {
                Time::PartOfDay(p) => part_of_day_hours(p),
                Time::Clock { hour, minute, second } => {
                    let h = hour as f64 + minute.unwrap_or(0) as f64 / 60.0 + second.unwrap_or(0) as f64 / 3600.0;
                    let len = if second.is_some() {
                        1.0 / 3600.0
                    } else if minute.is_some() {
                        1.0 / 60.0
                    } else {
                        1.0
                    };
                    (h, h + len)
                }
            };
            Some(Interval::new(s + h0 / 24.0, s + h1 / 24.0))
        }
        _ => Some(Interval::new(s, e)),
    }
}

/// The interval of a value that can be placed on the axis: a date or time with a
/// known year. Durations, sets and `PRESENT_REF` have none.
pub fn value_interval(v: &Value) -> Option<Interval> {
    match v {
        Value::Date(d) => date_interval(d),
        _ => None,
    }
}

/// A lowercase name of a granularity (`"day"`, `"part_of_day"`, …).
pub fn granularity_name(g: Granularity) -> &'static str {
    match g {
        Granularity::Millennium => "millennium",
        Granularity::Century => "century",
        Granularity::Decade => "decade",
        Granularity::Year => "year",
        Granularity::Half => "half",
        Granularity::Quarter => "quarter",
        Granularity::Season => "season",
        Granularity::Month => "month",
        Granularity::Week => "week",
        Granularity::Day => "day",
        Granularity::PartOfDay => "part_of_day",
        Granularity::Hour => "hour",
        Granularity::Minute => "minute",
        Granularity::Second => "second",
    }
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

fn year_label(y: Year) -> String {
    fn era(n: i64, suffix: &str) -> String {
        if n < 0 { format!("{}{suffix} BC", -n) } else { format!("{n}{suffix}") }
    }
    fn ordinal(n: i64) -> String {
        let s = match (n % 10, n % 100) {
            (1, r) if r != 11 => "st",
            (2, r) if r != 12 => "nd",
            (3, r) if r != 13 => "rd",
            _ => "th",
        };
        format!("{n}{s}")
    }
    match y {
        Year::Known(n) => era(n as i64, ""),
        Year::Decade(n) => {
            if n < 0 {
                format!("the {}0s BC", n.unsigned_abs())
            } else {
                format!("the {n}0s")
            }
        }
        Year::Century(c) => {
            if c < 0 {
                format!("the {} century BC", ordinal(-(c as i64)))
            } else {
                format!("the {} century", ordinal(c as i64 + 1))
            }
        }
        Year::Millennium(m) => {
            if m < 0 {
                format!("the {} millennium BC", ordinal(-(m as i64)))
            } else {
                format!("the {} millennium", ordinal(m as i64 + 1))
            }
        }
        Year::Unknown => "an unknown year".into(),
    }
}

/// A date as a person writes it: "22 August 1939", "August 1939", "480 BC",
/// "23 August 1939, afternoon", "summer 1941", "the 1930s".
pub fn date_label(d: &Date) -> String {
    let y = year_label(d.year);
    let mut s = match d.part {
        Part::None => y,
        Part::Month { month: Some(m), day: Some(Some(day)) } if (1..=12).contains(&m) => {
            format!("{day} {} {y}", MONTHS[m as usize - 1])
        }
        Part::Month { month: Some(m), .. } if (1..=12).contains(&m) => format!("{} {y}", MONTHS[m as usize - 1]),
        Part::Month { .. } => y,
        Part::Week { week: Some(w), .. } => format!("week {w} of {y}"),
        Part::Week { .. } => y,
        Part::Season(s) => {
            let n = match s {
                Season::Spring => "spring",
                Season::Summer => "summer",
                Season::Fall => "autumn",
                Season::Winter => "winter",
            };
            format!("{n} {y}")
        }
        Part::Quarter(q) => format!("Q{q} {y}"),
        Part::Half(h) => format!("{} half of {y}", if h == 1 { "first" } else { "second" }),
    };
    match d.time {
        Some(Time::PartOfDay(p)) => {
            let n = match p {
                PartOfDay::Morning => "morning",
                PartOfDay::Midday => "midday",
                PartOfDay::Afternoon => "afternoon",
                PartOfDay::Evening => "evening",
                PartOfDay::Night => "night",
                PartOfDay::Daytime => "daytime",
            };
            s.push_str(", ");
            s.push_str(n);
        }
        Some(Time::Clock { hour, minute, .. }) => s.push_str(&format!(", {hour:02}:{:02}", minute.unwrap_or(0))),
        None => {}
    }
    s
}

/// A value as a person writes it (see [`date_label`]); other values as TIMEX3 writes them.
pub fn value_label(v: &Value, m: Option<Mod>) -> String {
    let mut base = match v {
        Value::Date(d) => date_label(d),
        other => other.to_string(),
    };
    let prefix = match m {
        Some(Mod::Start) => "early ",
        Some(Mod::Mid) => "mid-",
        Some(Mod::End) => "late ",
        Some(Mod::Approx) => "about ",
        Some(Mod::Before) => "before ",
        Some(Mod::After) => "after ",
        Some(Mod::OnOrBefore) => "by ",
        Some(Mod::OnOrAfter) => "from ",
        _ => "",
    };
    base.insert_str(0, prefix);
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: &str) -> Interval {
        value_interval(&Value::parse(s).unwrap()).unwrap()
    }

    fn day(y: i64, m: i64, d: i64) -> f64 {
        days_from_civil(y, m, d) as f64
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11017);
        for z in [-1_000_000, -719468, -1, 0, 1, 59, 11017, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m as i64, d as i64), z);
        }
    }

    #[test]
    fn intervals() {
        assert_eq!(iv("1939"), Interval::new(day(1939, 1, 1), day(1940, 1, 1)));
        assert_eq!(iv("1939-08"), Interval::new(day(1939, 8, 1), day(1939, 9, 1)));
        assert_eq!(iv("1939-12"), Interval::new(day(1939, 12, 1), day(1940, 1, 1)));
        assert_eq!(iv("1939-08-23"), Interval::new(day(1939, 8, 23), day(1939, 8, 24)));
        let af = iv("1939-08-23TAF");
        assert_eq!(af, Interval::new(day(1939, 8, 23) + 0.5, day(1939, 8, 23) + 0.75));
        assert!(iv("1939-08-23TEV").start > af.start);
        assert_eq!(iv("193"), Interval::new(day(1930, 1, 1), day(1940, 1, 1)));
        assert_eq!(iv("1941-WI").start, day(1941, 12, 1));
        assert_eq!(iv("1999-Q4"), Interval::new(day(1999, 10, 1), day(2000, 1, 1)));
        // ISO week 1 of 2009 starts on Monday 29 December 2008.
        assert_eq!(iv("2009-W01").start, day(2008, 12, 29));
        assert_eq!(iv("2009-W01-3").start, day(2008, 12, 31));
        assert_eq!(iv("1998-01-08T17:30").start, day(1998, 1, 8) + 17.5 / 24.0);
        assert!(value_interval(&Value::parse("XXXX-08-22").unwrap()).is_none());
        assert!(value_interval(&Value::parse("P3D").unwrap()).is_none());
    }

    #[test]
    fn bc_years() {
        // 480 BC is astronomical year -479; 44 BC precedes 43 BC.
        assert_eq!(iv("BC0480").start, day(-479, 1, 1));
        assert!(iv("BC0044").start < iv("BC0043").start);
        assert!(iv("BC0001").end <= iv("0001").start);
        assert_eq!(iv("BC0044-03-15").start, day(-43, 3, 15));
        // The 480s BC: 489–480 BC.
        assert_eq!(iv("BC048"), Interval::new(day(-488, 1, 1), day(-478, 1, 1)));
        // The 3rd century BC: 300–201 BC.
        let c = value_interval(&Value::Date(Date { year: Year::Century(-3), part: Part::None, time: None })).unwrap();
        assert_eq!(c, Interval::new(day(-299, 1, 1), day(-199, 1, 1)));
    }

    #[test]
    fn narrowing_and_labels() {
        let y = iv("1938");
        let late = y.narrowed(Some(Mod::End));
        assert!(late.start > day(1938, 9, 1) && late.end == y.end);
        assert_eq!(value_label(&Value::parse("1938").unwrap(), Some(Mod::End)), "late 1938");
        assert_eq!(value_label(&Value::parse("1939-08-23TAF").unwrap(), None), "23 August 1939, afternoon");
        assert_eq!(value_label(&Value::parse("BC0480").unwrap(), None), "480 BC");
        assert_eq!(value_label(&Value::parse("18").unwrap(), None), "the 19th century");
        assert_eq!(value_label(&Value::parse("193").unwrap(), None), "the 1930s");
    }

    #[test]
    fn labels_of_extreme_years_do_not_overflow() {
        let label = |year| date_label(&Date { year, part: crate::Part::None, time: None });
        assert_eq!(label(Year::Decade(i32::MIN)), "the 21474836480s BC");
        assert_eq!(label(Year::Known(i32::MIN)), "2147483648 BC");
        assert_eq!(label(Year::Century(i32::MIN)), "the 2147483648th century BC");
        assert_eq!(label(Year::Millennium(i32::MAX)), "the 2147483648th millennium");
    }
}
