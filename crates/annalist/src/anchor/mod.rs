//! Anchoring: recognized mentions become TIMEX3 values, resolved against a reference time.
//!
//! One pass over the mentions in text order keeps the story's history: every
//! explicit, realis date that has a known year. Relative and underspecified
//! expressions take the fields they lack from it:
//!
//! * a missing year comes from the most recent date with a year;
//! * "the 22nd" takes month and year from the most recent date with a month;
//! * "the next day" needs a day: the most recent date if it is a day, else the most
//!   recent day-level date *inside* the most recent date's period; where there is none
//!   the value keeps `X` fields rather than inventing a day.
//!
//! In news, deictic expressions ("yesterday", "last year", "on Friday") anchor to the
//! document creation time, with the tense of the clause choosing past or future for
//! bare weekdays and months. Dates inside irrealis clauses ("asked him to visit on the
//! 22nd", "would arrive on Monday") are resolved but do not move the story's time.

mod tense;

use std::sync::Arc;

use crate::recognize::build::{Base, Named};
use crate::recognize::{Mention, RuleSet, Sem};
use crate::value::{Date, Granularity, Part, Season, Time, Unit, Value, Year, astro_year, hist_year};
use crate::{Context, Domain, Timex};
use tense::Tense;

struct State {
    news: bool,
    dct: Option<Date>,
    history: Vec<Date>,
}

impl State {
    /// The most recent date with a known year, else the DCT.
    fn latest(&self) -> Option<Date> {
        self.history.last().copied().or(self.dct)
    }

    /// A reference at least as fine as `g`: the latest date if fine enough, else the latest
    /// finer date that lies inside the latest date's period.
    fn reference(&self, g: Granularity) -> Option<Date> {
        let Some(last) = self.history.last().copied() else {
            return self.dct.filter(|d| d.granularity() >= g);
        };
        if last.granularity() >= g {
            return Some(last);
        }
        // A finer antecedent further back than this is not one a reader would reach for;
        // the bound also keeps long documents linear.
        for d in self.history.iter().rev().skip(1).take(64) {
            if d.granularity() >= g && inside(d, &last) {
                return Some(*d);
            }
        }
        if let Some(d) = self.dct
            && d.granularity() >= g
            && inside(&d, &last)
        {
            return Some(d);
        }
        None
    }

    fn year_ref(&self) -> Option<i32> {
        match self.latest()?.year {
            Year::Known(y) => Some(y),
            _ => None,
        }
    }
}

/// Does `inner` lie within the period `outer` names (same year, and month when stated)?
fn inside(inner: &Date, outer: &Date) -> bool {
    if inner.year != outer.year {
        return false;
    }
    match (outer.part, inner.part) {
        (Part::None, _) => true,
        (Part::Month { month: Some(a), day: None }, Part::Month { month: Some(b), .. }) => a == b,
        (Part::Month { month: Some(a), day: Some(Some(d1)) }, Part::Month { month: Some(b), day: Some(Some(d2)) }) => {
            a == b && d1 == d2
        }
        (Part::Season(_), Part::Month { .. }) => true,
        (Part::Quarter(q), Part::Month { month: Some(m), .. }) => (m - 1) / 3 + 1 == q,
        (Part::Half(h), Part::Month { month: Some(m), .. }) => (m - 1) / 6 + 1 == h,
        _ => false,
    }
}

/// "from May to July 1939", "between March and June 1940": the first end of a range
/// takes the year the second states.
fn share_range_years(text: &str, ms: &mut [Mention]) {
    for i in 0..ms.len().saturating_sub(1) {
        let between = text[ms[i].end..ms[i + 1].start].trim();
        let joined = matches!(
            between.to_ascii_lowercase().as_str(),
            "to" | "until" | "till" | "through" | "and" | "or" | "-" | "–" | "—"
        );
        if !joined {
            continue;
        }
        // "1915–17": the short year takes the first one's century.
        let short = &text[ms[i + 1].start..ms[i + 1].end];
        if short.len() == 2
            && short.bytes().all(|b| b.is_ascii_digit())
            && let (Sem::Point(a), Sem::Point(b)) = (&ms[i].sem, &ms[i + 1].sem)
            && let (Year::Known(x), Year::Known(_)) = (a.year, b.year)
            && (1000..=9999).contains(&x)
            && let Ok(yy) = short.parse::<i32>()
        {
            let mut y = x / 100 * 100 + yy;
            if y < x {
                y += 100;
            }
            if let Sem::Point(b) = &mut ms[i + 1].sem {
                b.year = Year::Known(y);
            }
            continue;
        }
        // "April 24 and 25", "August 20–23": the second day is in the first one's month.
        if let (Sem::Point(a), Sem::Point(b)) = (&ms[i].sem, &ms[i + 1].sem)
            && let (Part::Month { month: Some(m), day: Some(Some(_)) }, Part::Month { month: None, day: Some(d) }) =
                (a.part, b.part)
            && b.year == Year::Unknown
        {
            let (year, part) = (a.year, Part::Month { month: Some(m), day: Some(d) });
            if let Sem::Point(b) = &mut ms[i + 1].sem {
                b.year = year;
                b.part = part;
            }
            continue;
        }
        let Sem::Point(b) = ms[i + 1].sem else { continue };
        let Sem::Point(a) = &mut ms[i].sem else { continue };
        match (a.year, b.year) {
            // "from May to July 1939"; "22–25 April 1951"
            (Year::Unknown, Year::Known(_)) if !matches!(a.part, Part::None) => {
                a.year = b.year;
                if let (Part::Month { month: None, day }, Part::Month { month: Some(m), .. }) = (a.part, b.part) {
                    a.part = Part::Month { month: Some(m), day };
                }
            }
            // "from 15 to 22 February": the month is said once, at the end; the year, if
            // any, comes from the story for both.
            (Year::Unknown, Year::Unknown) => {
                if let (Part::Month { month: None, day }, Part::Month { month: Some(m), .. }) = (a.part, b.part) {
                    a.part = Part::Month { month: Some(m), day };
                }
            }
            // "499–493 BC": the era is said once, at the end.
            (Year::Known(x), Year::Known(y)) if x > 0 && y < 0 && x > -y && matches!(a.part, Part::None) => {
                a.year = Year::Known(-x);
            }
            _ => {}
        }
    }
}

/// "5 p.m. on 3 March", "noon, Monday": a time of day followed by the day it is on.
fn day_after(text: &str, ms: &[Mention], i: usize, st: &State, tense: Tense) -> Option<Date> {
    let next = ms.get(i + 1)?;
    let between = text[ms[i].end..next.start].trim().to_ascii_lowercase();
    // "10:35 a.m. (0735 GMT) Friday": the same time in another zone, in brackets, between.
    let between = match between.strip_prefix('(').and_then(|b| b.split_once(')')) {
        Some((inside, rest)) if inside.len() <= 24 && !inside.contains('(') => rest.trim(),
        _ => between.as_str(),
    };
    // "at 4 in the morning (4 a.m. EDT Thursday)": the same time restated with its day.
    let restated = between == "(";
    if !restated && !matches!(between, "" | "," | "on" | "of" | ", on") {
        return None;
    }
    // The day is said in the same clause as the time: the clause's tense places it.
    match value_of(st, next, tense) {
        Value::Date(d)
            if matches!(d.part, Part::Month { month: Some(_), day: Some(Some(_)) })
                && (restated || d.time.is_none()) =>
        {
            Some(Date { time: None, ..d })
        }
        _ => None,
    }
}

/// Resolves the mentions found in `text` into time expressions; `sentences` are the
/// sentences of `text`, as [`crate::text::sentences`] splits it.
pub(crate) fn resolve(
    text: &str,
    mut mentions: Vec<Mention>,
    ctx: &Context,
    rules: &RuleSet,
    sentences: &[std::ops::Range<usize>],
) -> Vec<Timex> {
    share_range_years(text, &mut mentions);
    let news = ctx.effective_domain() == Domain::News;
    let mut st = State { news, dct: ctx.dct, history: Vec::new() };
    let mut out: Vec<Timex> = Vec::with_capacity(mentions.len());
    let mut sent_ix = 0;
    for (i, m) in mentions.iter().enumerate() {
        while sent_ix + 1 < sentences.len() && sentences[sent_ix].end <= m.start {
            sent_ix += 1;
        }
        let sentence = sentences.get(sent_ix).cloned().unwrap_or(0..text.len());
        let clause_start = if i > 0 && mentions[i - 1].end > sentence.start && mentions[i - 1].end <= m.start {
            mentions[i - 1].end
        } else {
            sentence.start.min(m.start)
        };
        let before = &text[clause_start..m.start];
        let tense = if news { tense::of(&rules.lex, text, &sentence, m.start, m.end) } else { Tense::Unknown };
        let alternative = i > 0 && is_alternative(&text[mentions[i - 1].end..m.start]);
        let irrealis = if alternative {
            out.last().is_some_and(|t: &Timex| {
                t.alternative_of.is_some()
                    || irrealis_before(&text[sentence.start.min(mentions[i - 1].start)..mentions[i - 1].start])
            })
        } else {
            irrealis_before(before)
        };
        let mut value = value_of(&st, m, tense);
        if let (Sem::Point(p), Value::Date(v)) = (&m.sem, &mut value)
            && matches!(p.part, Part::Month { month: None, day: Some(None) })
            && let Some(d) = day_after(text, &mentions, i, &st, tense)
        {
            v.year = d.year;
            v.part = d.part;
        }
        if let (Sem::Relative { unit: Unit::Quarter, .. }, Value::Date(v)) = (&m.sem, &mut value)
            && let Some(q) = quarter_ended(text, &mentions, i, &st)
        {
            *v = q;
        }
        let explicit_year = matches!(&m.sem, Sem::Point(d) if matches!(d.year, Year::Known(_)));
        // Looking back ("a year earlier", "two days before") or from the time of writing
        // ("yesterday", "last year") compares; it does not move the story's time.
        let moves_story = match &m.sem {
            // Without a DCT, "next" counts from the story too ("The next day" moves it on).
            Sem::Relative { offset, base, .. } => {
                (*base == Base::Story || st.dct.is_none()) && offset.is_some_and(|k| k >= 0)
            }
            Sem::SameAsRef | Sem::PeriodOf(_) => false,
            // "the first incursion since 1995": a period reaching back to now, not a move to 1995.
            _ => {
                let b = before.trim_end().as_bytes();
                !b.len().checked_sub(5).is_some_and(|i| b[i..].eq_ignore_ascii_case(b"since"))
            }
        };
        if let Value::Date(d) = value
            && matches!(d.year, Year::Known(_) | Year::Decade(_) | Year::Century(_))
            && moves_story
            && (!irrealis || (explicit_year && !forward_look(&st, &d)))
            && !(endpoint_before(before) && later_year(&st, &d))
            && !matches!(m.kind, crate::TimexType::Set)
        {
            st.history.push(d);
        }
        out.push(Timex {
            start: m.start,
            end: m.end,
            text: text[m.start..m.end].to_string(),
            kind: m.kind,
            value,
            modifier: m.modifier,
            freq: m.freq.clone(),
            quant: m.quant.clone(),
            rule: Arc::clone(&rules.rules[m.rule].id),
            alternative_of: alternative.then(|| i - 1),
        });
    }
    out
}

/// A bare year in an irrealis clause, later than the story's time ("exposed for a planned
/// campaign in 1976"): a look ahead, not the story moving on. A day or month with its year
/// ("would sign on 23 August 1939") is the story's own next step and moves it.
fn forward_look(st: &State, d: &Date) -> bool {
    matches!(d.part, Part::None) && later_year(st, d)
}

/// A later year than the story's ("… 1945" while the story is in 1944).
fn later_year(st: &State, d: &Date) -> bool {
    st.year_ref().is_some_and(|y| matches!(d.year, Year::Known(x) if x > y))
}

/// "until"/"till" among the last words of the clause before a date ("an assault that
/// lasted until the fall of the capital in February 1945"): the date ends something that
/// began at the story's time; the story itself stays there.
fn endpoint_before(before: &str) -> bool {
    let clause = before.rsplit([',', ';', ':', '(']).next().unwrap_or(before);
    clause
        .rsplit(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .any(|w| w.eq_ignore_ascii_case("until") || w.eq_ignore_ascii_case("till"))
}

/// "the quarter ended July 31": the three months that end on that day, named by the calendar
/// quarter holding most of them (the quarter of the middle month: May–July is the second).
fn quarter_ended(text: &str, ms: &[Mention], i: usize, st: &State) -> Option<Date> {
    let next = ms.get(i + 1)?;
    let between = text[ms[i].end..next.start].trim().to_ascii_lowercase();
    if !matches!(between.as_str(), "ended" | "ending" | "that ended" | "which ended" | "ended on" | "ending on") {
        return None;
    }
    let tense = if st.news { Tense::Past } else { Tense::Unknown };
    let Value::Date(d) = value_of(st, next, tense) else { return None };
    let (Year::Known(y), Part::Month { month: Some(m), .. }) = (d.year, d.part) else { return None };
    let (y, middle) = if m == 1 { (add_years(y, -1)?, 12) } else { (y, m - 1) };
    Some(Date { year: Year::Known(y), part: Part::Quarter((middle - 1) / 3 + 1), time: None })
}

fn is_alternative(between: &str) -> bool {
    let b = between.trim();
    b.eq_ignore_ascii_case("or") || b.eq_ignore_ascii_case("or the") || b == "/"
}

/// Irrealis markers in the clause before a date: a modal, or an infinitive "to" + verb.
fn irrealis_before(before: &str) -> bool {
    // The last ten words, read from the end (the clause can be long).
    let mut last = [""; 10];
    let mut n = 0;
    for w in before.rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').filter(|w| !w.is_empty()) {
        if n == last.len() {
            break;
        }
        n += 1;
        last[last.len() - n] = w;
    }
    let tail = &last[last.len() - n..];
    for (k, w) in tail.iter().enumerate() {
        if ["will", "would", "shall", "should", "could", "might", "'ll", "planned", "plans", "intended"]
            .iter()
            .any(|m| w.eq_ignore_ascii_case(m))
        {
            return true;
        }
        if w.eq_ignore_ascii_case("to")
            && let Some(next) = tail.get(k + 1)
            && next.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && !NOT_VERBS.iter().any(|v| next.eq_ignore_ascii_case(v))
            && !next.ends_with("ing")
        {
            return true;
        }
    }
    false
}

/// Words that follow "to" without making an infinitive.
const NOT_VERBS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "him",
    "them",
    "us",
    "me",
    "it",
    "power",
    "war",
    "peace",
    "date",
    "which",
    "whom",
    "what",
    "some",
    "many",
    "all",
    "both",
    "each",
    "one",
    "two",
    "three",
    "four",
    "five",
    "ten",
    "hundreds",
    "thousands",
    "death",
    "prison",
    "court",
    "town",
    "office",
    "sea",
    "land",
    "arms",
    "safety",
    "victory",
    "defeat",
    "battle",
    "trial",
    "exile",
    "and",
    "or",
    "about",
    "around",
    "over",
    "under",
    "nearly",
    "almost",
    "more",
    "less",
    "mid",
];

fn value_of(st: &State, m: &Mention, tense: Tense) -> Value {
    match &m.sem {
        Sem::Fixed(v) => *v,
        Sem::Point(d) => Value::Date(fill_point(st, *d, tense)),
        Sem::Relative { offset, sign, unit, base, time, counted, within } => {
            match (relative(st, *offset, *sign, *unit, *base, *time, *counted && within.is_none()), within) {
                (Value::Date(mut d), Some(p)) => {
                    d.part = *p;
                    Value::Date(d)
                }
                (v, _) => v,
            }
        }
        Sem::Named { part, dir, time, story } => named(st, *part, *dir, *time, *story, tense),
        Sem::PeriodOf(year) => match st.history.iter().rev().take(64).find_map(|d| match d.part {
            Part::Quarter(q) => Some(q),
            _ => None,
        }) {
            Some(q) => Value::Date(Date { year: *year, part: Part::Quarter(q), time: None }),
            None => Value::Date(Date { year: *year, part: Part::None, time: None }),
        },
        Sem::SameAsRef => match st.history.last() {
            Some(d) => Value::Date(*d),
            None => Value::PresentRef,
        },
    }
}

fn month_of(d: &Date) -> Option<u8> {
    match (d.part, d.year) {
        (Part::Month { month, .. }, _) => month,
        // A week lies in the month of its Thursday (as ISO weeks lie in years).
        (Part::Week { week: Some(w), .. }, Year::Known(y)) => {
            let thursday =
                jiff::civil::ISOWeekDate::new(astro_year(y)?, w as i8, jiff::civil::Weekday::Thursday).ok()?;
            Some(thursday.date().month() as u8)
        }
        _ => None,
    }
}

fn fill_point(st: &State, mut d: Date, tense: Tense) -> Date {
    let needs_day = matches!(d.part, Part::Month { month: None, day: Some(None) });
    let needs_month = matches!(d.part, Part::Month { month: None, day: Some(Some(_)) });
    if needs_day {
        // A time or part of day alone: the reference day.
        let r =
            if st.news { st.dct.or_else(|| st.reference(Granularity::Day)) } else { st.reference(Granularity::Day) };
        if let Some(r) = r
            && let Part::Month { day: Some(Some(_)), .. } = r.part
        {
            d.year = r.year;
            d.part = r.part;
        }
        return d;
    }
    if needs_month {
        if let Some(r) = st.reference(Granularity::Month)
            && let Some(m) = month_of(&r)
            && let Part::Month { day, .. } = d.part
        {
            d.year = r.year;
            d.part = Part::Month { month: Some(m), day };
        }
        return d;
    }
    if matches!(d.year, Year::Unknown) && !matches!(d.part, Part::None) {
        if st.news
            && let Some(dct) = st.dct
            && let Year::Known(y) = dct.year
        {
            d.year = Year::Known(news_year(y, month_of(&dct).unwrap_or(1), &d, tense));
        } else if let Some(y) = st.year_ref() {
            d.year = Year::Known(y);
            // A story told forwards: "in December 1941 … In January" is the January after,
            // when going forward is much the shorter way (a month more than half a year
            // behind the story's month lies ahead of it).
            if let (Some(r), Part::Month { month: Some(m), .. }) = (st.latest(), d.part)
                && let Some(rm) = month_of(&r)
                && rm > m
                && rm - m > FORWARD_MONTHS
                && let Some(next) = add_years(y, 1)
            {
                d.year = Year::Known(next);
            }
        }
        // "February 29" in a year without one: the year is not the one in view.
        if let Part::Month { month: Some(m), day: Some(Some(day)) } = d.part
            && let Year::Known(y) = d.year
            && astro_year(y).is_none_or(|a| jiff::civil::Date::new(a, m as i8, day as i8).is_err())
        {
            d.year = Year::Unknown;
        }
    }
    d
}

/// The year of an underspecified date in news: the DCT's, or one either side by tense.
fn news_year(y: i32, dct_month: u8, d: &Date, tense: Tense) -> i32 {
    // The months the period spans.
    let (first, last) = match d.part {
        Part::Month { month: Some(m), .. } => (m, m),
        Part::Season(s) => {
            let m = season_month(s);
            (m.saturating_sub(1).max(1), m + 1)
        }
        Part::Quarter(q) => ((q - 1) * 3 + 1, q * 3),
        Part::Half(h) => ((h - 1) * 6 + 1, h * 6),
        _ => return y,
    };
    match tense {
        // Said in the past: the most recent such period, unless it is only just ahead (news
        // reports dates a month or two ahead in the past tense: "said the offer expires Nov. 16").
        Tense::Past if first > dct_month + 2 => y - 1,
        Tense::Past if last <= dct_month => y,
        // Said of the future: the next such period.
        Tense::Future if last + 2 < dct_month => y + 1,
        Tense::Future if first >= dct_month => y,
        // Otherwise the nearest one, within six months either side.
        _ => {
            let diff = first as i32 - dct_month as i32;
            if diff > 6 {
                y - 1
            } else if diff < -6 {
                y + 1
            } else {
                y
            }
        }
    }
}

fn season_month(s: Season) -> u8 {
    match s {
        Season::Spring => 4,
        Season::Summer => 7,
        Season::Fall => 10,
        Season::Winter => 1,
    }
}

fn add_years(y: i32, k: i64) -> Option<i32> {
    let a = if y < 0 { y as i64 + 1 } else { y as i64 }.checked_add(k)?;
    let h = if a <= 0 { a - 1 } else { a };
    i32::try_from(h).ok().filter(|h| h.unsigned_abs() <= 9999)
}

fn unknown_like(unit: Unit, time: Option<Time>) -> Value {
    let part = match unit {
        Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => Part::Month { month: None, day: Some(None) },
        Unit::Week | Unit::Weekend => Part::Week { week: None, weekday: None, weekend: unit == Unit::Weekend },
        Unit::Month => Part::Month { month: None, day: None },
        Unit::Quarter => Part::Quarter(0),
        _ => Part::None,
    };
    if let Part::Quarter(_) = part {
        return Value::Date(Date { year: Year::Unknown, part: Part::None, time: None });
    }
    Value::Date(Date { year: Year::Unknown, part, time })
}

/// A bare month this many months or fewer behind the story's month is read as a look back
/// in the same year; further behind, as the same month of the next year.
const FORWARD_MONTHS: u8 = 7;

/// How many dates back a quarter stays under discussion for "a year earlier" (a report names
/// its quarter, then the day it ended and a few other dates before comparing).
const QUARTER_TOPIC_REACH: usize = 4;

/// The latest date to count from: the DCT first when counting from the time of speaking.
fn latest_from(st: &State, base: Base) -> Option<Date> {
    match base {
        Base::Speech => st.dct.or(st.latest()),
        Base::Story => st.latest().or(st.dct),
    }
}

/// `unknown_like(unit, time)` in the year of `b`, when that year is known ("days later"
/// → `1792-WXX`).
fn in_year_of(b: Option<Date>, unit: Unit, time: Option<Time>) -> Option<Value> {
    let b = b.filter(|b| matches!(b.year, Year::Known(_)))?;
    let Value::Date(d) = unknown_like(unit, time) else { return None };
    Some(Value::Date(Date { year: b.year, ..d }))
}

fn relative(
    st: &State,
    offset: Option<i64>,
    sign: i8,
    unit: Unit,
    base: Base,
    time: Option<Time>,
    counted: bool,
) -> Value {
    let Some(k) = offset else {
        // "days later", "a few weeks earlier": some days or weeks from the reference: its
        // year is known, the rest is not ("1792-WXX").
        if counted
            && matches!(unit, Unit::Day | Unit::Week | Unit::Month)
            && let Some(v) = in_year_of(latest_from(st, base), unit, None)
        {
            return v;
        }
        return match sign {
            s if s > 0 => Value::FutureRef,
            s if s < 0 => Value::PastRef,
            _ => Value::PresentRef,
        };
    };
    let need = match unit {
        Unit::Day | Unit::Week | Unit::Weekend | Unit::Hour | Unit::Minute | Unit::Second => Granularity::Day,
        Unit::Month => Granularity::Month,
        Unit::Quarter => Granularity::Quarter,
        // "the next decade" after "the 470s BC": a decade is reference enough.
        Unit::Decade => Granularity::Decade,
        Unit::Century => Granularity::Century,
        Unit::Millennium => Granularity::Millennium,
        _ => Granularity::Year,
    };
    // "the quarter", "the latest quarter": a quarter under discussion, not the quarter some
    // passing date falls in ("closed at $60 Friday … in the latest quarter").
    let from_story = if unit == Unit::Quarter && base == Base::Story && st.news {
        st.history.iter().rev().take(64).find(|d| matches!(d.part, Part::Quarter(_))).copied()
    } else {
        st.reference(need)
    };
    let b = match base {
        Base::Speech => st.dct.or(from_story),
        Base::Story => from_story.or(st.dct),
    };
    // "the quarter", "the latest quarter" with no quarter in the text: in news, the last
    // completed quarter before the document's date (results are reported after it ends).
    let k =
        if unit == Unit::Quarter && k == 0 && base == Base::Story && from_story.is_none() && st.news { -1 } else { k };
    let Some(b) = b.filter(|b| b.granularity() >= need) else {
        // A few days or weeks from a time known only to its year or month ("In October
        // 1915 …; four days later"): the day is unknown, the year is (almost surely) that one.
        let short = match unit {
            Unit::Day => k.unsigned_abs() <= 14,
            Unit::Week | Unit::Weekend => k.unsigned_abs() <= 2,
            _ => false,
        };
        if short && let Some(v) = in_year_of(b.or_else(|| latest_from(st, base)), unit, time) {
            return v;
        }
        return unknown_like(unit, time);
    };
    // "a year earlier", "the year-ago quarter" while a quarter is under discussion:
    // the same quarter of that year.
    if unit == Unit::Year
        && counted
        && let Some(q) = st.history.iter().rev().take(QUARTER_TOPIC_REACH).find(|d| matches!(d.part, Part::Quarter(_)))
        && let Some(d) = k.checked_mul(4).and_then(|k4| shift(q, k4, Unit::Quarter))
    {
        return Value::Date(d);
    }
    let v = shift(&b, k, unit);
    match v {
        Some(mut d) => {
            if time.is_some() && matches!(d.part, Part::Month { day: Some(Some(_)), .. }) {
                d.time = time;
            }
            Value::Date(d)
        }
        None => unknown_like(unit, time),
    }
}

/// `b` moved by `k` units, at the unit's granularity.
fn shift(b: &Date, k: i64, unit: Unit) -> Option<Date> {
    // A decade, century or millennium moved by its own unit: the signed numbering
    // (`-47` is BC047, the 470s BC) steps the right way on both sides of year one.
    let whole = |n: i32, make: fn(i32) -> Year| {
        let m = i32::try_from((n as i64).checked_add(k)?).ok()?;
        let d = Date { year: make(m), part: Part::None, time: None };
        d.in_range().then_some(d)
    };
    match (b.year, unit) {
        (Year::Decade(n), Unit::Decade) => return whole(n, Year::Decade),
        (Year::Century(n), Unit::Century) => return whole(n, Year::Century),
        (Year::Millennium(n), Unit::Millennium) => return whole(n, Year::Millennium),
        _ => {}
    }
    let Year::Known(y) = b.year else { return None };
    match unit {
        Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => {
            let c = b.civil()?;
            let days = if matches!(unit, Unit::Day) { k } else { 0 };
            let n = c.checked_add(jiff::Span::new().try_days(days).ok()?).ok()?;
            Some(Date::from_civil(n))
        }
        Unit::Week | Unit::Weekend => {
            let c = b.civil()?.checked_add(jiff::Span::new().try_weeks(k).ok()?).ok()?;
            let w = c.iso_week_date();
            Some(Date {
                year: Year::Known(hist_year(w.year())),
                part: Part::Week { week: Some(w.week() as u8), weekday: None, weekend: unit == Unit::Weekend },
                time: None,
            })
        }
        Unit::Month => {
            let m = (month_of(b)? as i64 - 1).checked_add(k)?;
            let ny = add_years(y, m.div_euclid(12))?;
            Some(Date::month(Year::Known(ny), (m.rem_euclid(12) + 1) as u8))
        }
        Unit::Quarter => {
            let q = match b.part {
                Part::Quarter(q) => q as i64 - 1,
                _ => (month_of(b)? as i64 - 1) / 3,
            }
            .checked_add(k)?;
            let ny = add_years(y, q.div_euclid(4))?;
            Some(Date { year: Year::Known(ny), part: Part::Quarter((q.rem_euclid(4) + 1) as u8), time: None })
        }
        Unit::Year => Some(Date::year(add_years(y, k)?)),
        Unit::Decade => {
            let a = astro_year(y)? as i64;
            let d = a.div_euclid(10).checked_add(k)?;
            Some(Date { year: Year::Decade(i32::try_from(d).ok()?), part: Part::None, time: None })
        }
        Unit::Century => {
            let a = astro_year(y)? as i64;
            let c = a.div_euclid(100).checked_add(k)?;
            Some(Date { year: Year::Century(i32::try_from(c).ok()?), part: Part::None, time: None })
        }
        Unit::Millennium => {
            let a = astro_year(y)? as i64;
            Some(Date {
                year: Year::Millennium(i32::try_from(a.div_euclid(1000).checked_add(k)?).ok()?),
                part: Part::None,
                time: None,
            })
        }
    }
}

fn named(st: &State, part: Named, dir: Option<i8>, time: Option<Time>, story: bool, tense: Tense) -> Value {
    match part {
        Named::Weekday(wd) => {
            let b = if st.news && !story {
                st.dct.or_else(|| st.reference(Granularity::Day))
            } else {
                st.reference(Granularity::Day)
            };
            let Some(c) = b.and_then(|b| b.civil()) else {
                return Value::Date(Date {
                    year: Year::Unknown,
                    part: Part::Week { week: None, weekday: Some(wd), weekend: false },
                    time,
                });
            };
            let w = c.weekday().to_monday_one_offset() as i64;
            let d = wd as i64;
            let delta = match dir {
                Some(-1) => {
                    let b = (w - d).rem_euclid(7);
                    if b == 0 { -7 } else { -b }
                }
                Some(1) => {
                    let f = (d - w).rem_euclid(7);
                    if f == 0 { 7 } else { f }
                }
                Some(_) => d - w,
                // News reports the past; a present or future verb ("meet Monday") looks ahead.
                None if st.news && matches!(tense, Tense::Past | Tense::Unknown) => -((w - d).rem_euclid(7)),
                None => (d - w).rem_euclid(7),
            };
            match c.checked_add(jiff::Span::new().days(delta)) {
                Ok(n) => {
                    let mut r = Date::from_civil(n);
                    r.time = time;
                    Value::Date(r)
                }
                Err(_) => Value::Date(Date {
                    year: Year::Unknown,
                    part: Part::Week { week: None, weekday: Some(wd), weekend: false },
                    time,
                }),
            }
        }
        Named::Weekend => {
            // The Saturday the weekday logic picks, written as its ISO week's weekend.
            match named(st, Named::Weekday(6), dir, None, story, tense) {
                Value::Date(d) => match d.civil() {
                    Some(c) => {
                        let w = c.iso_week_date();
                        Value::Date(Date {
                            year: Year::Known(hist_year(w.year())),
                            part: Part::Week { week: Some(w.week() as u8), weekday: None, weekend: true },
                            time,
                        })
                    }
                    None => unknown_like(Unit::Weekend, time),
                },
                v => v,
            }
        }
        Named::NthWeekday { .. } => {
            let b = if st.news { st.dct.or_else(|| st.latest()) } else { st.latest() };
            let y = match (b.map(|b| b.year), part) {
                (Some(Year::Known(y)), Named::NthWeekday { month, .. }) => {
                    let bm = b.and_then(|b| month_of(&b)).unwrap_or(month);
                    match dir {
                        Some(-1) if month >= bm => y - 1,
                        Some(1) if month <= bm => y + 1,
                        None if st.news => news_year(
                            y,
                            bm,
                            &Date {
                                year: Year::Unknown,
                                part: Part::Month { month: Some(month), day: None },
                                time: None,
                            },
                            tense,
                        ),
                        _ => y,
                    }
                }
                _ => {
                    return Value::Date(Date { year: Year::Unknown, part: named_part(part), time });
                }
            };
            match crate::recognize::build::nth_weekday_date(Year::Known(y), part) {
                Some(mut d) => {
                    d.time = time;
                    Value::Date(d)
                }
                None => Value::Date(Date { year: Year::Unknown, part: named_part(part), time }),
            }
        }
        Named::Month(_) | Named::Season(_) => {
            let target_m = match part {
                Named::Month(m) => m,
                Named::Season(s) => season_month(s),
                Named::Weekday(_) | Named::Weekend | Named::NthWeekday { .. } => 1,
            };
            let b = if st.news && !story { st.dct.or_else(|| st.latest()) } else { st.latest() };
            let Some(b) = b else {
                return Value::Date(Date { year: Year::Unknown, part: named_part(part), time });
            };
            let Year::Known(y) = b.year else {
                return Value::Date(Date { year: Year::Unknown, part: named_part(part), time });
            };
            let bm = month_of(&b);
            let year = match (dir, bm) {
                (Some(-1), Some(bm)) => {
                    if target_m < bm {
                        y
                    } else {
                        y - 1
                    }
                }
                (Some(-1), None) => y - 1,
                (Some(1), Some(bm)) => {
                    if target_m > bm {
                        y
                    } else {
                        y + 1
                    }
                }
                (Some(1), None) => y + 1,
                (Some(_), _) => y,
                (None, Some(bm)) if st.news => {
                    news_year(y, bm, &Date { year: Year::Unknown, part: named_part(part), time: None }, tense)
                }
                (None, _) => y,
            };
            Value::Date(Date { year: Year::Known(if year == 0 { -1 } else { year }), part: named_part(part), time })
        }
    }
}

fn named_part(n: Named) -> Part {
    match n {
        Named::Month(m) => Part::Month { month: Some(m), day: None },
        Named::Season(s) => Part::Season(s),
        Named::Weekday(d) => Part::Week { week: None, weekday: Some(d), weekend: false },
        Named::Weekend => Part::Week { week: None, weekday: None, weekend: true },
        Named::NthWeekday { month, .. } => Part::Month { month: Some(month), day: Some(None) },
    }
}
