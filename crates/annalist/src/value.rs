//! Typed TIMEX3 values.
//!
//! A [`Value`] is what a time expression means, kept as data (fields, granularity,
//! unknowns) until it is written. [`Value`]'s `Display` writes the TIMEX3 `value`
//! string exactly as the TimeML gold data writes it (`1939-08-23TAF`, `BC0480`,
//! `193`, `XXXX-WXX-1`, `P3D`, `PRESENT_REF`, …) and [`Value::parse`] reads one back.

use std::fmt;

/// The TIMEX3 `type` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period ("September 1, 1939", "1939", "the 1930s").
    Date,
    /// A time of day ("5 p.m.", "that evening").
    Time,
    /// An amount of time ("three years").
    Duration,
    /// A recurring time ("every Monday").
    Set,
}

impl TimexType {
    /// The TIMEX3 spelling (`DATE`, `TIME`, `DURATION`, `SET`).
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }

    /// Parses the TIMEX3 spelling, case-insensitively.
    pub fn parse(s: &str) -> Option<TimexType> {
        match s.to_ascii_uppercase().as_str() {
            "DATE" => Some(TimexType::Date),
            "TIME" => Some(TimexType::Time),
            "DURATION" => Some(TimexType::Duration),
            "SET" => Some(TimexType::Set),
            _ => None,
        }
    }
}

impl fmt::Display for TimexType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The TIMEX3 `mod` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mod {
    /// "early", "the beginning of".
    Start,
    /// "mid-", "the middle of".
    Mid,
    /// "late", "the end of".
    End,
    /// "about", "around", "nearly".
    Approx,
    /// "less than", "under".
    LessThan,
    /// "more than", "over".
    MoreThan,
    /// "at most", "no more than".
    EqualOrLess,
    /// "at least", "no less than".
    EqualOrMore,
    /// "before".
    Before,
    /// "after".
    After,
    /// "on or before", "by".
    OnOrBefore,
    /// "on or after".
    OnOrAfter,
}

impl Mod {
    /// The TIMEX3 spelling (`START`, `END`, `APPROX`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Mod::Start => "START",
            Mod::Mid => "MID",
            Mod::End => "END",
            Mod::Approx => "APPROX",
            Mod::LessThan => "LESS_THAN",
            Mod::MoreThan => "MORE_THAN",
            Mod::EqualOrLess => "EQUAL_OR_LESS",
            Mod::EqualOrMore => "EQUAL_OR_MORE",
            Mod::Before => "BEFORE",
            Mod::After => "AFTER",
            Mod::OnOrBefore => "ON_OR_BEFORE",
            Mod::OnOrAfter => "ON_OR_AFTER",
        }
    }

    /// Parses the TIMEX3 spelling.
    pub fn parse(s: &str) -> Option<Mod> {
        Some(match s {
            "START" => Mod::Start,
            "MID" => Mod::Mid,
            "END" => Mod::End,
            "APPROX" => Mod::Approx,
            "LESS_THAN" => Mod::LessThan,
            "MORE_THAN" => Mod::MoreThan,
            "EQUAL_OR_LESS" => Mod::EqualOrLess,
            "EQUAL_OR_MORE" => Mod::EqualOrMore,
            "BEFORE" => Mod::Before,
            "AFTER" => Mod::After,
            "ON_OR_BEFORE" => Mod::OnOrBefore,
            "ON_OR_AFTER" => Mod::OnOrAfter,
            _ => return None,
        })
    }
}

impl fmt::Display for Mod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The year part of a date. Years are historical: `-480` is 480 BC (there is no year 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Year {
    /// A known year (negative for BC).
    Known(i32),
    /// A decade, written as its first three digits: `193` is the 1930s. Negative for BC.
    Decade(i32),
    /// A century, written as its first two digits: `18` is the 1800s ("the 19th century").
    /// Negative for BC: `-3` is the 3rd century BC ("BC02" as TIMEX writes 300–201 BC).
    Century(i32),
    /// A millennium, written as its first digit: `1` is the 1000s.
    Millennium(i32),
    /// Not known (`XXXX`).
    Unknown,
}

/// Seasons of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Season {
    /// `SP`.
    Spring,
    /// `SU`.
    Summer,
    /// `FA`.
    Fall,
    /// `WI`.
    Winter,
}

impl Season {
    /// The TIMEX3 code.
    pub fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
}

/// Parts of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartOfDay {
    /// `MO`.
    Morning,
    /// `MI` (midday, noon as a period).
    Midday,
    /// `AF`.
    Afternoon,
    /// `EV`.
    Evening,
    /// `NI`.
    Night,
    /// `DT` (daytime).
    Daytime,
}

impl PartOfDay {
    /// The TIMEX3 code.
    pub fn code(self) -> &'static str {
        match self {
            PartOfDay::Morning => "MO",
            PartOfDay::Midday => "MI",
            PartOfDay::Afternoon => "AF",
            PartOfDay::Evening => "EV",
            PartOfDay::Night => "NI",
            PartOfDay::Daytime => "DT",
        }
    }
}

/// What a date says below the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// Nothing: a year, decade or century.
    None,
    /// A month (`None` = `XX`) and optionally a day (`Some(None)` = `XX`).
    Month {
        /// 1–12, or unknown.
        month: Option<u8>,
        /// 1–31, unknown, or absent.
        day: Option<Option<u8>>,
    },
    /// An ISO week (`None` = `WXX`), optionally a weekday (1 = Monday … 7 = Sunday)
    /// or the weekend (`weekend`).
    Week {
        /// 1–53 or unknown.
        week: Option<u8>,
        /// 1–7 (ISO).
        weekday: Option<u8>,
        /// `-WE`.
        weekend: bool,
    },
    /// A season.
    Season(Season),
    /// A quarter, 1–4.
    Quarter(u8),
    /// A half, 1–2.
    Half(u8),
}

/// A time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Time {
    /// A part of the day (`TMO`, `TEV`…).
    PartOfDay(PartOfDay),
    /// A clock time; minutes and seconds when said.
    Clock {
        /// 0–24.
        hour: u8,
        /// 0–59.
        minute: Option<u8>,
        /// 0–59.
        second: Option<u8>,
    },
}

/// A point or period on the calendar, possibly with unknown fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// The year, decade or century.
    pub year: Year,
    /// What is known below the year.
    pub part: Part,
    /// The time of day, when said.
    pub time: Option<Time>,
}

/// How fine a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    /// A millennium.
    Millennium,
    /// A century.
    Century,
    /// A decade.
    Decade,
    /// A year.
    Year,
    /// A half year.
    Half,
    /// A quarter.
    Quarter,
    /// A season.
    Season,
    /// A month.
    Month,
    /// A week.
    Week,
    /// A day.
    Day,
    /// A part of a day.
    PartOfDay,
    /// An hour.
    Hour,
    /// A minute.
    Minute,
    /// A second.
    Second,
}

impl Date {
    /// A year.
    pub fn year(y: i32) -> Date {
        Date { year: Year::Known(y), part: Part::None, time: None }
    }

    /// A month of a year.
    pub fn month(y: Year, m: u8) -> Date {
        Date { year: y, part: Part::Month { month: Some(m), day: None }, time: None }
    }

    /// A day.
    pub fn day(y: Year, m: Option<u8>, d: Option<u8>) -> Date {
        Date { year: y, part: Part::Month { month: m, day: Some(d) }, time: None }
    }

    /// The finest unit this date states.
    pub fn granularity(&self) -> Granularity {
        if let Some(t) = self.time {
            return match t {
                Time::PartOfDay(_) => Granularity::PartOfDay,
                Time::Clock { second: Some(_), .. } => Granularity::Second,
                Time::Clock { minute: Some(_), .. } => Granularity::Minute,
                Time::Clock { .. } => Granularity::Hour,
            };
        }
        match self.part {
            Part::None => match self.year {
                Year::Millennium(_) => Granularity::Millennium,
                Year::Century(_) => Granularity::Century,
                Year::Decade(_) => Granularity::Decade,
                _ => Granularity::Year,
            },
            Part::Month { day: Some(_), .. } => Granularity::Day,
            Part::Month { .. } => Granularity::Month,
            Part::Week { weekday: Some(_), .. } => Granularity::Day,
            Part::Week { .. } => Granularity::Week,
            Part::Season(_) => Granularity::Season,
            Part::Quarter(_) => Granularity::Quarter,
            Part::Half(_) => Granularity::Half,
        }
    }

    /// True when every field down to the stated granularity is known.
    pub fn is_complete(&self) -> bool {
        if !matches!(self.year, Year::Known(_) | Year::Decade(_) | Year::Century(_) | Year::Millennium(_)) {
            return false;
        }
        !matches!(
            self.part,
            Part::Month { month: None, .. } | Part::Month { day: Some(None), .. } | Part::Week { week: None, .. }
        )
    }

    /// True when every stated field is within the calendar the tagger works in: a year
    /// within ±9999 (a decade, century or millennium likewise), month 1–12, a day that
    /// exists in its month (1–31 when the year is not known), ISO week 1–53, weekday
    /// 1–7, quarter 1–4, half 1–2, hour 0–24, minute and second 0–59. Unknown (`XX`)
    /// fields are in range. The tagger ignores a document creation time that is not.
    pub fn in_range(&self) -> bool {
        let year = match self.year {
            Year::Known(y) => (-9999..=9999).contains(&y),
            Year::Decade(d) => (-999..=999).contains(&d),
            Year::Century(c) => (-99..=99).contains(&c),
            Year::Millennium(m) => (-9..=9).contains(&m),
            Year::Unknown => true,
        };
        let within = |v: Option<u8>, lo: u8, hi: u8| v.is_none_or(|v| (lo..=hi).contains(&v));
        let part = match self.part {
            Part::None | Part::Season(_) => true,
            Part::Month { month, day } => {
                let day = day.flatten();
                within(month, 1, 12)
                    && within(day, 1, 31)
                    && (day.is_none()
                        || month.is_none()
                        || !matches!(self.year, Year::Known(_))
                        || self.civil().is_some())
            }
            Part::Week { week, weekday, .. } => within(week, 1, 53) && within(weekday, 1, 7),
            Part::Quarter(q) => (1..=4).contains(&q),
            Part::Half(h) => (1..=2).contains(&h),
        };
        let time = match self.time {
            None | Some(Time::PartOfDay(_)) => true,
            Some(Time::Clock { hour, minute, second }) => hour <= 24 && within(minute, 0, 59) && within(second, 0, 59),
        };
        year && part && time
    }

    /// The calendar day, when year, month and day are all known and valid.
    pub fn civil(&self) -> Option<jiff::civil::Date> {
        match (self.year, self.part) {
            (Year::Known(y), Part::Month { month: Some(m), day: Some(Some(d)) }) => {
                jiff::civil::Date::new(astro_year(y)?, m as i8, d as i8).ok()
            }
            _ => None,
        }
    }

    /// A day-granular date from a calendar day.
    pub fn from_civil(d: jiff::civil::Date) -> Date {
        Date::day(Year::Known(hist_year(d.year())), Some(d.month() as u8), Some(d.day() as u8))
    }
}

/// Historical year (no year 0, negative = BC) to astronomical year (0 = 1 BC), in jiff's range.
pub(crate) fn astro_year(y: i32) -> Option<i16> {
    let a = if y < 0 { y + 1 } else { y };
    i16::try_from(a).ok().filter(|a| (-9999..=9999).contains(a))
}

/// Astronomical year to historical year.
pub(crate) fn hist_year(a: i16) -> i32 {
    let a = a as i32;
    if a <= 0 { a - 1 } else { a }
}

/// Units of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// `ML`.
    Millennium,
    /// `CE`.
    Century,
    /// `DE`.
    Decade,
    /// `Y`.
    Year,
    /// `Q`.
    Quarter,
    /// `M`.
    Month,
    /// `W`.
    Week,
    /// `WE` (weekend).
    Weekend,
    /// `D`.
    Day,
    /// `TH` as `PT…H`.
    Hour,
    /// `PT…M`.
    Minute,
    /// `PT…S`.
    Second,
}

impl Unit {
    /// The TIMEX3 letter(s) and whether it goes after `T`.
    pub fn code(self) -> (&'static str, bool) {
        match self {
            Unit::Millennium => ("ML", false),
            Unit::Century => ("CE", false),
            Unit::Decade => ("DE", false),
            Unit::Year => ("Y", false),
            Unit::Quarter => ("Q", false),
            Unit::Month => ("M", false),
            Unit::Week => ("W", false),
            Unit::Weekend => ("WE", false),
            Unit::Day => ("D", false),
            Unit::Hour => ("H", true),
            Unit::Minute => ("M", true),
            Unit::Second => ("S", true),
        }
    }
}

/// An amount of time: `P3D`, `P18M`, `PXY` (an unknown number of years), `PT5H`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duration {
    /// How many; `None` writes `X`.
    pub amount: Option<f64>,
    /// Of what.
    pub unit: Unit,
}

/// A TIMEX3 value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A date or time (types DATE and TIME, and SET values like `XXXX-WXX-1`).
    Date(Date),
    /// An amount of time (type DURATION, and SET values like `P1W`).
    Duration(Duration),
    /// `PRESENT_REF` ("now", "currently").
    PresentRef,
    /// `PAST_REF` ("recently", "the past", "former").
    PastRef,
    /// `FUTURE_REF` ("the future", "soon").
    FutureRef,
}

fn fmt_year(f: &mut fmt::Formatter<'_>, y: Year) -> fmt::Result {
    let (n, width) = match y {
        Year::Known(n) => (n, 4),
        Year::Decade(n) => (n, 3),
        Year::Century(n) => (n, 2),
        Year::Millennium(n) => (n, 1),
        Year::Unknown => return f.write_str("XXXX"),
    };
    // `unsigned_abs`: `-n` overflows for `i32::MIN`.
    if n < 0 {
        write!(f, "BC{:0width$}", n.unsigned_abs(), width = width)
    } else {
        write!(f, "{:0width$}", n, width = width)
    }
}

fn fmt_opt2(f: &mut fmt::Formatter<'_>, v: Option<u8>) -> fmt::Result {
    match v {
        Some(v) => write!(f, "{v:02}"),
        None => f.write_str("XX"),
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_year(f, self.year)?;
        match self.part {
            Part::None => {}
            Part::Month { month, day } => {
                f.write_str("-")?;
                fmt_opt2(f, month)?;
                if let Some(d) = day {
                    f.write_str("-")?;
                    fmt_opt2(f, d)?;
                }
            }
            Part::Week { week, weekday, weekend } => {
                f.write_str("-W")?;
                fmt_opt2(f, week)?;
                if weekend {
                    f.write_str("-WE")?;
                } else if let Some(d) = weekday {
                    write!(f, "-{d}")?;
                }
            }
            Part::Season(s) => write!(f, "-{}", s.code())?,
            Part::Quarter(q) => write!(f, "-Q{q}")?,
            Part::Half(h) => write!(f, "-H{h}")?,
        }
        match self.time {
            None => Ok(()),
            Some(Time::PartOfDay(p)) => write!(f, "T{}", p.code()),
            Some(Time::Clock { hour, minute, second }) => {
                write!(f, "T{hour:02}")?;
                match (minute, second) {
                    (Some(m), Some(s)) => write!(f, ":{m:02}:{s:02}"),
                    (Some(m), None) => write!(f, ":{m:02}"),
                    (None, _) => write!(f, ":00"),
                }
            }
        }
    }
}

/// The next smaller unit and how many of it make one, for writing fractions the way
/// TimeML does (2.5 years is `P2Y6M`, 1.5 minutes `PT1M30S`).
fn sub_unit(u: Unit) -> Option<(Unit, f64)> {
    Some(match u {
        Unit::Year => (Unit::Month, 12.0),
        Unit::Week => (Unit::Day, 7.0),
        Unit::Day => (Unit::Hour, 24.0),
        Unit::Hour => (Unit::Minute, 60.0),
        Unit::Minute => (Unit::Second, 60.0),
        _ => return None,
    })
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(a) = self.amount
            && a.fract() != 0.0
            && a > 0.0
            && let Some((sub, n)) = sub_unit(self.unit)
            && (a.fract() * n).fract() == 0.0
        {
            let whole = a.trunc() as i64;
            let part = (a.fract() * n) as i64;
            let (c1, t1) = self.unit.code();
            let (c2, t2) = sub.code();
            f.write_str("P")?;
            if whole > 0 {
                if t1 {
                    f.write_str("T")?;
                }
                write!(f, "{whole}{c1}")?;
            }
            if t2 && !(t1 && whole > 0) {
                f.write_str("T")?;
            }
            return write!(f, "{part}{c2}");
        }
        let (code, t) = self.unit.code();
        f.write_str(if t { "PT" } else { "P" })?;
        match self.amount {
            None => f.write_str("X")?,
            Some(a) if a.fract() == 0.0 && a.abs() < 1e15 => write!(f, "{}", a as i64)?,
            Some(a) => write!(f, "{a}")?,
        }
        f.write_str(code)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Date(d) => d.fmt(f),
            Value::Duration(d) => d.fmt(f),
            Value::PresentRef => f.write_str("PRESENT_REF"),
            Value::PastRef => f.write_str("PAST_REF"),
            Value::FutureRef => f.write_str("FUTURE_REF"),
        }
    }
}

/// An error reading a TIMEX3 value string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a TIMEX3 value: {0:?}")]
pub struct ParseValueError(pub String);

impl Value {
    /// Reads a TIMEX3 `value` string (the forms [`Value`]'s `Display` writes, plus
    /// ISO dates with clock times and `YYYYMMDD` DCT values).
    pub fn parse(s: &str) -> Result<Value, ParseValueError> {
        parse_value(s.trim()).ok_or_else(|| ParseValueError(s.to_string()))
    }
}

fn parse_value(s: &str) -> Option<Value> {
    match s {
        "PRESENT_REF" => return Some(Value::PresentRef),
        "PAST_REF" => return Some(Value::PastRef),
        "FUTURE_REF" => return Some(Value::FutureRef),
        _ => {}
    }
    if let Some(rest) = s.strip_prefix('P') {
        return parse_duration(rest).map(Value::Duration);
    }
    parse_date(s).map(Value::Date)
}

fn parse_duration(rest: &str) -> Option<Duration> {
    let (t, rest) = match rest.strip_prefix('T') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let split = rest.find(|c: char| c.is_ascii_alphabetic() && c != 'X').unwrap_or(rest.len());
    let (num, code) = rest.split_at(split);
    let amount = if num == "X" { None } else { Some(num.parse::<f64>().ok()?) };
    let unit = match (code, t) {
        ("ML", false) => Unit::Millennium,
        ("CE", false) => Unit::Century,
        ("DE", false) => Unit::Decade,
        ("Y", false) => Unit::Year,
        ("Q", false) => Unit::Quarter,
        ("M", false) => Unit::Month,
        ("W", false) => Unit::Week,
        ("WE", false) => Unit::Weekend,
        ("D", false) => Unit::Day,
        ("H", true) => Unit::Hour,
        ("M", true) => Unit::Minute,
        ("S", true) => Unit::Second,
        _ => return None,
    };
    Some(Duration { amount, unit })
}

fn two(s: &str) -> Option<Option<u8>> {
    if s == "XX" {
        Some(None)
    } else if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        Some(Some(s.parse().ok()?))
    } else {
        None
    }
}

fn parse_date(s: &str) -> Option<Date> {
    // YYYYMMDD (DCT form)
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Date::day(
            Year::Known(s[0..4].parse().ok()?),
            Some(s[4..6].parse().ok()?),
            Some(s[6..8].parse().ok()?),
        ));
    }
    let (date_s, time_s) = match s.find('T') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (bc, date_s) = match date_s.strip_prefix("BC") {
        Some(r) => (true, r),
        None => (false, date_s),
    };
    let mut parts = date_s.split('-');
    let y = parts.next()?;
    let sign = if bc { -1 } else { 1 };
    let year = if y == "XXXX" {
        Year::Unknown
    } else if !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()) {
        let n: i32 = y.parse().ok()?;
        match y.len() {
            4 => Year::Known(sign * n),
            3 => Year::Decade(sign * n),
            2 => Year::Century(sign * n),
            1 => Year::Millennium(sign * n),
            _ => return None,
        }
    } else {
        return None;
    };
    let part = match parts.next() {
        None => Part::None,
        Some(p) if p.starts_with('W') && p != "WI" => {
            let week = two(&p[1..])?;
            let (weekday, weekend) = match parts.next() {
                None => (None, false),
                Some("WE") => (None, true),
                Some(d) if d.len() == 1 => (Some(d.parse().ok()?), false),
                _ => return None,
            };
            Part::Week { week, weekday, weekend }
        }
        Some("SP") => Part::Season(Season::Spring),
        Some("SU") => Part::Season(Season::Summer),
        Some("FA") | Some("AU") => Part::Season(Season::Fall),
        Some("WI") => Part::Season(Season::Winter),
        Some(p) if p.starts_with('Q') => Part::Quarter(p[1..].parse().ok()?),
        Some(p) if p.starts_with('H') => Part::Half(p[1..].parse().ok()?),
        Some(m) => {
            let month = two(m)?;
            let day = match parts.next() {
                None => None,
                Some(d) => Some(two(d)?),
            };
            Part::Month { month, day }
        }
    };
    if parts.next().is_some() {
        return None;
    }
    let time = match time_s {
        None => None,
        Some("MO") => Some(Time::PartOfDay(PartOfDay::Morning)),
        Some("MI") => Some(Time::PartOfDay(PartOfDay::Midday)),
        Some("AF") => Some(Time::PartOfDay(PartOfDay::Afternoon)),
        Some("EV") => Some(Time::PartOfDay(PartOfDay::Evening)),
        Some("NI") => Some(Time::PartOfDay(PartOfDay::Night)),
        Some("DT") => Some(Time::PartOfDay(PartOfDay::Daytime)),
        Some(t) => {
            // HH, HH:MM, HH:MM:SS, with an optional zone or fraction we drop.
            let t = t.split(['+', 'Z']).next().unwrap_or(t);
            let mut it = t.split(':');
            let hour: u8 = it.next()?.get(..2)?.parse().ok()?;
            let minute = match it.next() {
                Some(m) => Some(m.get(..2)?.parse().ok()?),
                None => None,
            };
            let second = match it.next() {
                Some(s) => Some(s.get(..2)?.parse().ok()?),
                None => None,
            };
            Some(Time::Clock { hour, minute, second })
        }
    };
    Some(Date { year, part, time })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for s in [
            "1939-08-23",
            "1939-08-23TAF",
            "1939-05",
            "1938",
            "BC0480",
            "193",
            "18",
            "XXXX-WXX-1",
            "XXXX-XX-XX",
            "1998-W05",
            "1998-W05-WE",
            "1942-H2",
            "1941-WI",
            "1999-Q1",
            "P3D",
            "P18M",
            "PXY",
            "PT5H",
            "PT30M",
            "P1DE",
            "P1.5DE",
            "PRESENT_REF",
            "PAST_REF",
            "FUTURE_REF",
            "1998-01-08T17:30",
            "1998-01-08T17:30:05",
        ] {
            assert_eq!(Value::parse(s).unwrap().to_string(), s, "{s}");
        }
    }

    #[test]
    fn fractional_durations() {
        let d = |a, unit| Value::Duration(Duration { amount: Some(a), unit }).to_string();
        assert_eq!(d(2.5, Unit::Year), "P2Y6M");
        assert_eq!(d(0.5, Unit::Year), "P6M");
        assert_eq!(d(1.5, Unit::Minute), "PT1M30S");
        assert_eq!(d(2.5, Unit::Hour), "PT2H30M");
        assert_eq!(d(1.5, Unit::Day), "P1DT12H");
        assert_eq!(d(1.5, Unit::Decade), "P1.5DE");
    }

    #[test]
    fn dct_form_and_errors() {
        assert_eq!(Value::parse("19980108").unwrap().to_string(), "1998-01-08");
        assert!(Value::parse("hello").is_err());
        assert!(Value::parse("P3Z").is_err());
        assert!(Value::parse("1939-08-23-99").is_err());
    }

    #[test]
    fn bc_years_convert() {
        let d = Date::day(Year::Known(-44), Some(3), Some(15));
        let c = d.civil().unwrap();
        assert_eq!(c.year(), -43);
        assert_eq!(Date::from_civil(c), d);
        assert_eq!(d.to_string(), "BC0044-03-15");
    }

    #[test]
    fn range_check() {
        let ok = |s: &str| match Value::parse(s).unwrap() {
            Value::Date(d) => d.in_range(),
            v => panic!("{v}"),
        };
        for s in
            ["1998-02-28", "BC0480-03-15", "2000-02-29", "XXXX-XX-XX", "XXXX-02-30", "193", "1998-W53-7", "1998-Q4"]
        {
            assert!(ok(s), "{s}");
        }
        for s in ["1998-13-01", "1998-00", "1998-02-30", "1999-02-29", "1998-W54", "1998-W01-8", "1998-Q5", "1998-H0"] {
            assert!(!ok(s), "{s}");
        }
        assert!(ok("1998-01-08T24:00") && !ok("1998-01-08T25:00") && !ok("1998-01-08T10:60"));
        assert!(!Date::year(10000).in_range() && !Date::year(i32::MIN).in_range() && Date::year(-9999).in_range());
    }

    #[test]
    fn extreme_years_write_without_overflow() {
        // Found by the `timeline` fuzz target: `-n` overflowed for the smallest year.
        assert_eq!(Date::year(i32::MIN).to_string(), "BC2147483648");
        assert_eq!(Date::year(i32::MAX).to_string(), "2147483647");
        let decade = Date { year: Year::Decade(i32::MIN), part: Part::None, time: None };
        assert_eq!(decade.to_string(), "BC2147483648");
    }

    #[test]
    fn granularity() {
        assert_eq!(Date::year(1939).granularity(), Granularity::Year);
        let v = Value::parse("1939-08-23TEV").unwrap();
        let Value::Date(d) = v else { panic!() };
        assert_eq!(d.granularity(), Granularity::PartOfDay);
        assert!(d.is_complete());
        let Value::Date(d) = Value::parse("XXXX-08-23").unwrap() else { panic!() };
        assert!(!d.is_complete());
    }
}
