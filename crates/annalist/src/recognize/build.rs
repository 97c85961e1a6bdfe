//! From a rule's named captures to a semantic value ([`Sem`]) that anchoring resolves.

use super::lexicon::{parse_number, parse_ordinal};
use super::{Group, Mention, Norm, Prefix, Rule, RuleSet};
use crate::value::{Date, Duration, Mod, Part, PartOfDay, Season, Time, TimexType, Unit, Value, Year};

/// What a mention means before it is anchored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Sem {
    /// A calendar date; unknown higher fields (year, month, day) come from the reference time.
    Point(Date),
    /// `offset` units away from a base time ("two days later", "last year", "that evening").
    /// `None` offset: an unknown amount ("a few days later").
    /// `counted`: the offset was said as an amount ("a year earlier", "two years ago"), which
    /// keeps the granularity of a quarter under discussion.
    /// `within`: a part of the year named with it ("next year's first quarter").
    Relative {
        offset: Option<i64>,
        sign: i8,
        unit: Unit,
        base: Base,
        time: Option<Time>,
        counted: bool,
        within: Option<Part>,
    },
    /// A named part of the calendar near the reference ("last November", "Friday",
    /// "next spring"): `dir` −1 before, +1 after, 0 the one containing the reference;
    /// `None` when the text does not say (tense decides in news). `story`: counted from the
    /// time the story has reached ("the previous Friday"), not from the time of writing.
    Named { part: Named, dir: Option<i8>, time: Option<Time>, story: bool },
    /// A value that needs no anchoring (durations, sets, `PRESENT_REF`…).
    Fixed(Value),
    /// The time the story has reached ("at that time", "the same time").
    SameAsRef,
    /// "the 1988 quarter": the quarter under discussion, in that year;
    /// the year itself when no quarter is under discussion.
    PeriodOf(Year),
}

/// What a relative expression counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Base {
    /// The time of speaking or writing (DCT): "yesterday", "last year", "two years ago".
    Speech,
    /// The time the text has reached: "the next day", "the following year", "that evening".
    Story,
}

/// A calendar name that recurs every year or week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Named {
    Month(u8),
    Season(Season),
    Weekday(u8),
    /// The weekend (Saturday and Sunday of one ISO week).
    Weekend,
    /// A holiday on the `n`-th `weekday` of `month` (`n` = -1: the last), e.g. Thanksgiving.
    NthWeekday {
        month: u8,
        weekday: u8,
        n: i8,
    },
}

#[derive(Default)]
struct Fields<'a> {
    year: Option<&'a str>,
    topic: Option<&'a str>,
    year_words: Option<&'a str>,
    yy: Option<&'a str>,
    era: Option<&'a str>,
    decade: Option<&'a str>,
    decade_short: Option<&'a str>,
    decade_word: Option<&'a str>,
    century: Option<&'a str>,
    millennium: Option<&'a str>,
    month: Option<&'a str>,
    mnum: Option<&'a str>,
    day: Option<&'a str>,
    weekday: Option<&'a str>,
    season: Option<&'a str>,
    quarter: Option<&'a str>,
    half: Option<&'a str>,
    pod: Option<&'a str>,
    hour: Option<&'a str>,
    minute: Option<&'a str>,
    second: Option<&'a str>,
    ampm: Option<&'a str>,
    clock_word: Option<&'a str>,
    modifier: Option<&'a str>,
    approx: Option<&'a str>,
    num: Option<&'a str>,
    unit: Option<&'a str>,
    dir: Option<&'a str>,
    deictic: Option<&'a str>,
    holiday: Option<&'a str>,
    freq: Option<&'a str>,
    plus_half: Option<&'a str>,
}

impl<'a> Fields<'a> {
    fn new(list: &[(Group, &'a str)]) -> Fields<'a> {
        let mut f = Fields::default();
        for &(g, s) in list {
            let slot = match g {
                Group::Year => &mut f.year,
                Group::YearWords => &mut f.year_words,
                Group::Yy => &mut f.yy,
                Group::Era => &mut f.era,
                Group::Decade => &mut f.decade,
                Group::DecadeShort => &mut f.decade_short,
                Group::DecadeWord => &mut f.decade_word,
                Group::Century => &mut f.century,
                Group::Millennium => &mut f.millennium,
                Group::Month => &mut f.month,
                Group::MonthNum => &mut f.mnum,
                Group::Day => &mut f.day,
                Group::Weekday => &mut f.weekday,
                Group::Season => &mut f.season,
                Group::Quarter => &mut f.quarter,
                Group::Half => &mut f.half,
                Group::Pod => &mut f.pod,
                Group::Hour => &mut f.hour,
                Group::Minute => &mut f.minute,
                Group::Second => &mut f.second,
                Group::Ampm => &mut f.ampm,
                Group::ClockWord => &mut f.clock_word,
                Group::Mod => &mut f.modifier,
                Group::Approx => &mut f.approx,
                Group::Num => &mut f.num,
                Group::Unit => &mut f.unit,
                Group::Dir => &mut f.dir,
                Group::Deictic => &mut f.deictic,
                Group::Holiday => &mut f.holiday,
                Group::Freq => &mut f.freq,
                Group::PlusHalf => &mut f.plus_half,
                Group::Topic => &mut f.topic,
            };
            if slot.is_none() {
                *slot = Some(s);
            }
        }
        f
    }
}

fn word_key(s: &str) -> &str {
    s.trim().trim_end_matches('.')
}

fn pod(rs: &RuleSet, s: &str) -> Option<PartOfDay> {
    Some(match rs.lex.str("part_of_day", word_key(s))? {
        "MO" => PartOfDay::Morning,
        "MI" => PartOfDay::Midday,
        "AF" => PartOfDay::Afternoon,
        "EV" => PartOfDay::Evening,
        "NI" => PartOfDay::Night,
        "DT" => PartOfDay::Daytime,
        _ => return None,
    })
}

fn season(rs: &RuleSet, s: &str) -> Option<Season> {
    Some(match rs.lex.str("season", word_key(s))? {
        "SP" => Season::Spring,
        "SU" => Season::Summer,
        "FA" => Season::Fall,
        "WI" => Season::Winter,
        _ => return None,
    })
}

fn month(rs: &RuleSet, s: &str) -> Option<u8> {
    let k = word_key(s);
    rs.lex
        .int("month", k)
        .or_else(|| rs.lex.int("month_ambiguous", k))
        .or_else(|| rs.lex.int("month_abbr", k))
        .map(|m| m as u8)
}

fn weekday(rs: &RuleSet, s: &str) -> Option<u8> {
    let k = word_key(s).trim_end_matches('s').to_string();
    let k2 = word_key(s);
    rs.lex
        .int("weekday", k2)
        .or_else(|| rs.lex.int("weekday", &k))
        .or_else(|| rs.lex.int("weekday_abbr", k2))
        .map(|d| d as u8)
}

/// A unit word's unit and multiplier ("fortnight" is two weeks).
fn unit(rs: &RuleSet, s: &str) -> Option<(Unit, f64)> {
    let key = word_key(s).replace('-', "");
    let code = rs.lex.str("unit", &key).or_else(|| rs.lex.str("unit_reporting", &key))?;
    Some(match code {
        "ML" => (Unit::Millennium, 1.0),
        "CE" => (Unit::Century, 1.0),
        "DE" => (Unit::Decade, 1.0),
        "Y" => (Unit::Year, 1.0),
        "Q" => (Unit::Quarter, 1.0),
        "M" => (Unit::Month, 1.0),
        "W" => (Unit::Week, 1.0),
        "2W" => (Unit::Week, 2.0),
        "WE" => (Unit::Weekend, 1.0),
        "D" => (Unit::Day, 1.0),
        "H" => (Unit::Hour, 1.0),
        "MIN" => (Unit::Minute, 1.0),
        "S" => (Unit::Second, 1.0),
        _ => return None,
    })
}

fn modifier(rs: &RuleSet, f: &Fields) -> Option<Mod> {
    if let Some(m) = f.modifier {
        let k = word_key(m).trim_end_matches('-').to_string();
        if let Some(m) = rs.lex.str("date_mod", &k).and_then(Mod::parse) {
            return Some(m);
        }
    }
    if let Some(a) = f.approx {
        let k = word_key(a);
        return rs
            .lex
            .str("approx", k)
            .or_else(|| rs.lex.str("approx_loose", k))
            .or_else(|| rs.lex.str("approx_abbrev", k))
            .and_then(Mod::parse);
    }
    None
}

fn clock(rs: &RuleSet, f: &Fields) -> Result<Option<Time>, ()> {
    if let Some(w) = f.clock_word {
        let h = rs.lex.int("clock_word", word_key(w)).ok_or(())?;
        return Ok(Some(Time::Clock { hour: h as u8, minute: Some(0), second: None }));
    }
    let Some(h) = f.hour else { return Ok(None) };
    // "4", or "four" in "four o'clock", "four in the morning".
    let mut hour: u32 = match h.parse() {
        Ok(n) => n,
        Err(_) => match parse_number(&rs.lex, h) {
            Some(Some(n)) if n.fract() == 0.0 && (1.0..=12.0).contains(&n) => n as u32,
            _ => return Err(()),
        },
    };
    let minute: Option<u32> = match f.minute {
        Some(m) => Some(m.parse().map_err(|_| ())?),
        None => None,
    };
    let second: Option<u32> = match f.second {
        Some(s) => Some(s.parse().map_err(|_| ())?),
        None => None,
    };
    if let Some(ap) = f.ampm {
        // "p.m.", "in the afternoon", "in the evening"; "at night" is after dusk from 6 to 11
        // and the small hours below that ("2 at night").
        let a = ap.trim().to_ascii_lowercase();
        let pm = a.starts_with('p')
            || a.ends_with("afternoon")
            || a.ends_with("evening")
            || (a.ends_with("night") && (6..12).contains(&hour));
        if !(1..=12).contains(&hour) {
            return Err(());
        }
        if pm && hour < 12 {
            hour += 12;
        } else if !pm && hour == 12 {
            hour = 0;
        }
    }
    if hour > 24 || minute.is_some_and(|m| m > 59) || second.is_some_and(|s| s > 59) {
        return Err(());
    }
    Ok(Some(Time::Clock { hour: hour as u8, minute: Some(minute.unwrap_or(0) as u8), second: second.map(|s| s as u8) }))
}

fn is_bc(era: Option<&str>) -> bool {
    era.is_some_and(|e| e.trim_start().starts_with(['B', 'b']))
}

/// A year said in words: "nineteen ninety-six" (1996), "eighteen hundred and twelve"
/// (1812), "nineteen oh five" (1905), "two thousand and one" (2001), "two thousand" (2000).
fn year_in_words(rs: &RuleSet, s: &str) -> Option<i32> {
    let lower = s.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let number = |ws: &[&str]| -> Option<i32> {
        let ws: Vec<&str> = ws.iter().copied().filter(|w| *w != "and").collect();
        if ws.is_empty() {
            return Some(0);
        }
        let v = parse_number(&rs.lex, &ws.join(" "))??;
        (v.fract() == 0.0 && (0.0..100.0).contains(&v)).then_some(v as i32)
    };
    if let ["two", "thousand", rest @ ..] = words.as_slice() {
        return Some(2000 + number(rest)?);
    }
    let (first, rest) = words.split_first()?;
    let century = number(&[first])?;
    if !(10..=20).contains(&century) {
        return None;
    }
    let rest = match rest {
        ["hundred", rest @ ..] => rest,
        ["oh" | "o", rest @ ..] if rest.len() == 1 => rest,
        [] => return None,
        rest => rest,
    };
    let n = number(rest)?;
    Some(century * 100 + n)
}

fn year_field(rs: &RuleSet, f: &Fields) -> Result<Year, ()> {
    let bc = is_bc(f.era);
    let sign = if bc { -1 } else { 1 };
    if let Some(y) = f.year {
        let n: i32 = y.trim().parse().map_err(|_| ())?;
        if n == 0 || n > 9999 {
            return Err(());
        }
        return Ok(Year::Known(sign * n));
    }
    if let Some(w) = f.year_words {
        return year_in_words(rs, w).map(Year::Known).ok_or(());
    }
    if let Some(y) = f.yy {
        let n: i32 = y.trim().parse().map_err(|_| ())?;
        // Two-digit years: '39 is 1939; '05 is 2005.
        return Ok(Year::Known(if n <= 30 { 2000 + n } else { 1900 + n }));
    }
    if let Some(d) = f.decade {
        let n: i32 = d.trim().parse().map_err(|_| ())?;
        return Ok(Year::Decade(sign * (n / 10)));
    }
    if let Some(d) = f.decade_short {
        let n: i32 = d.trim().parse().map_err(|_| ())?;
        return Ok(Year::Decade(190 + n / 10));
    }
    if let Some(d) = f.decade_word {
        let n = rs.lex.int("decade_word", word_key(d)).ok_or(())? as i32;
        return Ok(Year::Decade(190 + n));
    }
    if let Some(c) = f.century {
        let n = parse_ordinal(&rs.lex, c).ok_or(())? as i32;
        if !(1..=99).contains(&n) {
            return Err(());
        }
        return Ok(Year::Century(sign * (n - 1)));
    }
    if let Some(m) = f.millennium {
        let n = parse_ordinal(&rs.lex, m).ok_or(())? as i32;
        if !(1..=9).contains(&n) {
            return Err(());
        }
        return Ok(Year::Millennium(sign * (n - 1)));
    }
    Ok(Year::Unknown)
}

fn days_in_month(year: Year, m: u8) -> u8 {
    match m {
        2 => match year {
            Year::Known(y) => {
                let a = if y < 0 { y + 1 } else { y };
                if (a % 4 == 0 && a % 100 != 0) || a % 400 == 0 { 29 } else { 28 }
            }
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn direction(rs: &RuleSet, d: &str) -> Option<(i64, Base)> {
    let k = word_key(d).to_ascii_lowercase();
    let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    let v = rs.lex.int("direction", &k)?;
    let speech = matches!(
        k.as_str(),
        "last" | "next" | "this" | "ago" | "coming" | "current" | "present" | "past" | "from now" | "hence"
    );
    Some((v, if speech { Base::Speech } else { Base::Story }))
}

pub(crate) fn build(
    rs: &RuleSet,
    ri: usize,
    rule: &Rule,
    list: &[(Group, &str)],
    start: usize,
    end: usize,
) -> Option<Mention> {
    let f = Fields::new(list);
    let mut kind = rule.kind;
    let mut freq = rule.freq.clone();
    let sem = match rule.norm {
        Norm::Fixed => Sem::Fixed(rule.value?),
        Norm::Reference | Norm::Block => Sem::SameAsRef,
        Norm::Duration => Sem::Fixed(Value::Duration(duration(rs, &f)?)),
        Norm::Set => {
            if let Some(fr) = f.freq {
                freq = Some(freq_of(rs, fr)?);
            }
            Sem::Fixed(set_value(rs, rule, &f)?)
        }
        Norm::Date => date_sem(rs, &f)?,
    };
    if matches!(
        &sem,
        Sem::Point(Date { time: Some(_), .. }) | Sem::Relative { time: Some(_), .. } | Sem::Named { time: Some(_), .. }
    ) && kind == TimexType::Date
    {
        kind = rule.time_type;
    }
    Some(Mention {
        start,
        end,
        rule: ri,
        kind,
        sem,
        modifier: modifier(rs, &f).or(rule.modifier),
        freq,
        quant: rule.quant.clone(),
    })
}

fn freq_of(rs: &RuleSet, s: &str) -> Option<String> {
    let w = word_key(s).to_ascii_lowercase();
    let n = match w.as_str() {
        "once" => 1.0,
        "twice" => 2.0,
        "thrice" => 3.0,
        _ => parse_number(&rs.lex, w.trim_end_matches(" times").trim_end_matches(" time"))??,
    };
    Some(format!("{}X", n as i64))
}

/// Whether a unit word is a plural ("years", "millennia"), which without a number counts an
/// unknown amount of its unit. "seconds" never counts as one.
fn is_plural_unit(uw: &str, unit: Unit) -> bool {
    uw.trim_end().ends_with(['s', 'S']) && !matches!(unit, Unit::Second) || uw.ends_with("ia")
}

fn duration(rs: &RuleSet, f: &Fields) -> Option<Duration> {
    let uw = f.unit?;
    // "a second attack", "the first" are ordinals, not amounts of time.
    if uw.eq_ignore_ascii_case("second")
        && f.num.is_some_and(|n| matches!(n.trim().to_ascii_lowercase().as_str(), "a" | "an" | "one"))
    {
        return None;
    }
    let (unit, mult) = unit(rs, uw)?;
    // "the 1988 quarter": a year, not 1988 quarters.
    if let Some(n) = f.num
        && n.len() == 4
        && n.bytes().all(|b| b.is_ascii_digit())
        && !uw.trim_end().ends_with(['s', 'S'])
    {
        return None;
    }
    let half = if f.plus_half.is_some() { 0.5 } else { 0.0 };
    let amount = match f.num {
        Some(n) => parse_number(&rs.lex, n)?.map(|v| (v + half) * mult),
        // A bare plural ("for years") is an unknown amount; a singular is one.
        None if is_plural_unit(uw, unit) => None,
        None => Some(mult),
    };
    if amount.is_some_and(|a| !(0.0..1e9).contains(&a)) {
        return None;
    }
    Some(Duration { amount, unit })
}

fn set_value(rs: &RuleSet, rule: &Rule, f: &Fields) -> Option<Value> {
    if let Some(v) = rule.value {
        return Some(v);
    }
    if let Some(w) = f.weekday {
        let d = weekday(rs, w)?;
        let time = f.pod.and_then(|p| pod(rs, p)).map(Time::PartOfDay);
        return Some(Value::Date(Date {
            year: Year::Unknown,
            part: Part::Week { week: None, weekday: Some(d), weekend: false },
            time,
        }));
    }
    if f.unit.is_some() {
        let mut d = duration(rs, f)?;
        if f.num.is_none() {
            d.amount = Some(d.amount.unwrap_or(1.0));
        }
        return Some(Value::Duration(d));
    }
    if let Some(p) = f.pod {
        let p = pod(rs, p)?;
        return Some(Value::Date(Date {
            year: Year::Unknown,
            part: Part::Month { month: None, day: Some(None) },
            time: Some(Time::PartOfDay(p)),
        }));
    }
    if let Some(m) = f.month {
        let m = month(rs, m)?;
        return Some(Value::Date(Date {
            year: Year::Unknown,
            part: Part::Month { month: Some(m), day: None },
            time: None,
        }));
    }
    None
}

/// The quarter or half of a year a mention names: `Some(None)` when it names neither,
/// `None` when it names one that does not exist ("the fifth quarter").
fn year_part(rs: &RuleSet, f: &Fields) -> Option<Option<Part>> {
    if let Some(q) = f.quarter {
        let q = parse_ordinal(&rs.lex, q)?;
        let q = if q < 0 { 4 } else { q };
        if !(1..=4).contains(&q) {
            return None;
        }
        return Some(Some(Part::Quarter(q as u8)));
    }
    if let Some(h) = f.half {
        let h = parse_ordinal(&rs.lex, h)?;
        let h = if h < 0 { 2 } else { h };
        if !(1..=2).contains(&h) {
            return None;
        }
        return Some(Some(Part::Half(h as u8)));
    }
    Some(None)
}

fn date_sem(rs: &RuleSet, f: &Fields) -> Option<Sem> {
    let time = match clock(rs, f) {
        Ok(Some(t)) => Some(t),
        Ok(None) => f.pod.and_then(|p| pod(rs, p)).map(Time::PartOfDay),
        Err(()) => return None,
    };
    if let Some(d) = f.deictic {
        let k = word_key(d).to_ascii_lowercase();
        let offset = rs.lex.int("deictic", &k)?;
        let time = time.or_else(|| (k == "tonight").then_some(Time::PartOfDay(PartOfDay::Night)));
        return Some(Sem::Relative {
            offset: Some(offset),
            sign: offset.signum() as i8,
            unit: Unit::Day,
            base: Base::Speech,
            time,
            counted: false,
            within: None,
        });
    }
    let dir = match f.dir {
        Some(d) => Some(direction(rs, d)?),
        None => None,
    };
    if let Some(uw) = f.unit {
        let (unit, mult) = unit(rs, uw)?;
        let (d, base) = dir.unwrap_or((0, Base::Story));
        // "days later", "weeks earlier": a bare plural is some number of units (as in
        // `duration`), not one.
        let plural = f.num.is_none() && is_plural_unit(uw, unit);
        let offset = if d == 0 {
            Some(0)
        } else {
            match f.num {
                Some(n) => parse_number(&rs.lex, n)?.map(|v| (v * mult).round() as i64 * d),
                None if plural => None,
                None => Some(mult as i64 * d),
            }
        };
        let counted = f.num.is_some()
            || plural
            || f.dir.is_some_and(|d| matches!(d.trim().to_ascii_lowercase().as_str(), "earlier" | "ago"));
        // "next year's first quarter", "the second half of last year".
        let within = match (unit, f.month) {
            (Unit::Year, Some(m)) => Some(Part::Month { month: Some(month(rs, m)?), day: None }),
            (Unit::Year, None) => year_part(rs, f)?,
            _ => None,
        };
        return Some(Sem::Relative { offset, sign: d.signum() as i8, unit, base, time, counted, within });
    }
    let named_dir = dir.map(|(d, _)| d as i8);
    let story = matches!(dir, Some((_, Base::Story)));
    if f.day.is_none() && f.year.is_none() && f.yy.is_none() {
        if let Some(w) = f.weekday {
            if w.eq_ignore_ascii_case("weekend") {
                return Some(Sem::Named { part: Named::Weekend, dir: named_dir, time, story });
            }
            return Some(Sem::Named { part: Named::Weekday(weekday(rs, w)?), dir: named_dir, time, story });
        }
        if dir.is_some() {
            if let Some(m) = f.month {
                return Some(Sem::Named { part: Named::Month(month(rs, m)?), dir: named_dir, time, story });
            }
            if let Some(s) = f.season {
                return Some(Sem::Named { part: Named::Season(season(rs, s)?), dir: named_dir, time, story });
            }
        }
        if dir.is_some() && time.is_some() && f.month.is_none() && f.season.is_none() && f.quarter.is_none() {
            // "that evening", "this morning": the day of the reference.
            let (d, base) = dir.unwrap_or((0, Base::Story));
            return Some(Sem::Relative {
                offset: Some(d),
                sign: d.signum() as i8,
                unit: Unit::Day,
                base,
                time,
                counted: false,
                within: None,
            });
        }
    }
    let year = year_field(rs, f).ok()?;
    if f.topic.is_some() && matches!(year, Year::Known(_)) {
        return Some(Sem::PeriodOf(year));
    }
    let mut m = match (f.month, f.mnum) {
        (Some(w), _) => Some(month(rs, w)?),
        (None, Some(n)) => Some(n.parse::<u8>().ok().filter(|m| (1..=12).contains(m))?),
        _ => None,
    };
    let mut day = match f.day {
        Some(d) => Some(parse_ordinal(&rs.lex, d).filter(|d| (1..=31).contains(d))? as u8),
        None => None,
    };
    if let Some(h) = f.holiday {
        let md = rs.lex.str("holiday", word_key(h))?;
        if let Some((hm, rest)) = md.split_once('/') {
            let (wd, n) = rest.split_once('/')?;
            let part = Named::NthWeekday { month: hm.parse().ok()?, weekday: wd.parse().ok()?, n: n.parse().ok()? };
            if let Year::Known(_) = year {
                return Some(Sem::Point(nth_weekday_date(year, part)?));
            }
            return Some(Sem::Named { part, dir: named_dir, time, story });
        }
        let (hm, hd) = md.split_once('-')?;
        m = Some(hm.parse().ok()?);
        day = Some(hd.parse().ok()?);
    }
    if let (Some(mm), Some(dd)) = (m, day)
        && dd > days_in_month(year, mm)
    {
        return None;
    }
    let part = if let Some(p) = year_part(rs, f)? {
        p
    } else if let Some(s) = f.season {
        Part::Season(season(rs, s)?)
    } else if m.is_some() || day.is_some() {
        Part::Month { month: m, day: day.map(Some) }
    } else if time.is_some() && matches!(year, Year::Unknown) {
        Part::Month { month: None, day: Some(None) }
    } else {
        Part::None
    };
    if matches!(year, Year::Unknown) && matches!(part, Part::None) {
        return None;
    }
    Some(Sem::Point(Date { year, part, time }))
}

/// The date of an n-th-weekday holiday in a known year.
pub(crate) fn nth_weekday_date(year: Year, part: Named) -> Option<Date> {
    let (Year::Known(y), Named::NthWeekday { month, weekday, n }) = (year, part) else { return None };
    let first = jiff::civil::Date::new(crate::value::astro_year(y)?, month as i8, 1).ok()?;
    let day = if n > 0 {
        let w = first.weekday().to_monday_one_offset() as i64;
        1 + (weekday as i64 - w).rem_euclid(7) + 7 * (n as i64 - 1)
    } else {
        let last = first.last_of_month();
        let w = last.weekday().to_monday_one_offset() as i64;
        last.day() as i64 - (w - weekday as i64).rem_euclid(7)
    };
    let d = jiff::civil::Date::new(first.year(), month as i8, i8::try_from(day).ok()?).ok()?;
    Some(Date::from_civil(d))
}

/// Applies a prefix's captures to a mention; false when it does not fit.
pub(crate) fn apply_prefix(rs: &RuleSet, p: &Prefix, list: &[(Group, &str)], m: &mut Mention) -> bool {
    let f = Fields::new(list);
    let new_mod = modifier(rs, &f).or(p.modifier);
    let new_time = f.pod.and_then(|w| pod(rs, w)).map(Time::PartOfDay);
    if new_mod.is_some() && m.modifier.is_some() {
        return false;
    }
    if let Some(t) = new_time {
        let slot = match &mut m.sem {
            Sem::Point(d)
                if matches!(d.part, Part::Month { day: Some(_), .. } | Part::Week { weekday: Some(_), .. }) =>
            {
                &mut d.time
            }
            Sem::Relative { unit: Unit::Day, time, .. } => time,
            Sem::Named { part: Named::Weekday(_), time, .. } => time,
            _ => return false,
        };
        if slot.is_some() {
            return false;
        }
        *slot = Some(t);
        m.kind = TimexType::Time;
    }
    if let Some(md) = new_mod {
        m.modifier = Some(md);
    }
    if let Some(k) = p.kind {
        m.kind = k;
    }
    true
}
