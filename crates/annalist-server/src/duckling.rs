//! Duckling-compatible `POST /parse` for the `time` and `duration` dimensions.
//!
//! Request: form fields `text`, `locale` (or `lang`), `reftime` (ms since the Unix
//! epoch), `tz` (IANA name), `dims` (JSON array), `latent` (accepted, ignored).
//! Response: a JSON array of `{"body", "start", "end", "dim", "latent", "value"}`.
//!
//! annalist tags the text as news written on the reference day, then each TIMEX3
//! value becomes a Duckling value: a calendar unit becomes an instant at its start
//! with its grain (`{"type": "value", "value", "grain", "values"}`), units Duckling
//! has no grain for (decades, seasons, parts of the day, weekends, halves) become
//! intervals (`{"type": "interval", "from", "to"}`, `to` exclusive), and `BEFORE` /
//! `AFTER` modifiers become open intervals. Underspecified values (`XXXX-08-23`,
//! `XXXX-WXX-1`) resolve, as Duckling does, to their next occurrences from the
//! reference time: the first is the `value`, up to three are `values`. Values that
//! RFC 3339 cannot write (BC years, years past 9999, fully unknown days) are left out.

use std::sync::atomic::Ordering;

use annalist::{
    Context, Date, Domain, Duration, Mod, Part, PartOfDay, Season, Tagger, Time, Timex, TimexType, Unit, Value, Year,
};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::{self, DateTime, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::Deserialize;
use serde_json::{Value as Json, json};

use crate::error::{ApiError, ErrorKind};
use crate::limits::{PermitSlot, read_body};
use crate::pool::Cancel;
use crate::server::AppState;

/// The form fields Duckling's example server reads.
#[derive(Deserialize, Default)]
struct ParseForm {
    text: Option<String>,
    lang: Option<String>,
    locale: Option<String>,
    reftime: Option<String>,
    tz: Option<String>,
    dims: Option<String>,
    #[allow(dead_code)]
    latent: Option<String>,
}

/// Which dimensions to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dims {
    pub time: bool,
    pub duration: bool,
}

/// Reads `dims`: a JSON array of names. Names of dimensions annalist does not
/// produce are ignored, as Duckling ignores unknown names; no names means all.
/// A JSON string holding the array (`"[\"time\"]"`, as in Duckling's README curl
/// examples) is accepted too.
pub(crate) fn parse_dims(s: Option<&str>) -> Result<Dims, String> {
    let all = Dims { time: true, duration: true };
    let Some(s) = s.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(all);
    };
    let err = || format!("dims: expected a JSON array of dimension names such as [\"time\",\"duration\"], got {s:?}");
    let mut v: Json = serde_json::from_str(s).map_err(|_| err())?;
    if let Json::String(inner) = &v {
        v = serde_json::from_str(inner).map_err(|_| err())?;
    }
    let Json::Array(items) = v else {
        return Err(err());
    };
    if items.is_empty() {
        return Ok(all);
    }
    let mut dims = Dims { time: false, duration: false };
    for item in items {
        match item.as_str() {
            Some("time") => dims.time = true,
            Some("duration") => dims.duration = true,
            Some(_) => {}
            None => return Err(err()),
        }
    }
    Ok(dims)
}

/// Checks `locale` (`en_GB`) or `lang` (`EN`): annalist reads English only.
fn check_language(locale: Option<&str>, lang: Option<&str>) -> Result<(), String> {
    for (field, v) in [("locale", locale), ("lang", lang)] {
        let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else {
            continue;
        };
        let language = v.split(['_', '-']).next().unwrap_or(v);
        if !language.eq_ignore_ascii_case("en") {
            return Err(format!("{field}: annalist reads English only (en, en_US, en_GB, …), got {v:?}"));
        }
    }
    Ok(())
}

/// `POST /parse`.
pub(crate) async fn parse(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let permit = req.extensions().get::<PermitSlot>().and_then(|s| s.take());
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, st.config.body_limit).await?;
    let form: ParseForm = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "expected a form body (application/x-www-form-urlencoded) with text, locale, reftime, tz, dims: {e}"
        ))
    })?;
    let Some(text) = form.text else {
        return Err(ApiError::new(ErrorKind::Unprocessable, "text: need a 'text' parameter to parse"));
    };
    check_language(form.locale.as_deref(), form.lang.as_deref()).map_err(ApiError::bad_request)?;
    let tz = match form.tz.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => st.default_tz.clone(),
        Some(name) => TimeZone::get(name).map_err(|_| {
            ApiError::bad_request(format!(
                "tz: unknown time zone {name:?}: expected an IANA name such as \"Europe/Paris\""
            ))
        })?,
    };
    let reftime = match form.reftime.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Timestamp::now(),
        Some(ms) => ms.parse::<i64>().ok().and_then(|ms| Timestamp::from_millisecond(ms).ok()).ok_or_else(|| {
            ApiError::bad_request(format!("reftime: expected milliseconds since the Unix epoch, got {ms:?}"))
        })?,
    };
    let dims = parse_dims(form.dims.as_deref()).map_err(ApiError::bad_request)?;
    let tagger = st.tagger.clone();
    let metrics = st.metrics.clone();
    let out = st
        .pool
        .run(permit, move |_: &Cancel| {
            let entities = parse_text(&tagger, &text, reftime, &tz, dims);
            metrics.documents.fetch_add(1, Ordering::Relaxed);
            metrics.timexes.fetch_add(entities.len() as u64, Ordering::Relaxed);
            Json::Array(entities).to_string()
        })
        .await?;
    let mut resp = out.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(resp)
}

/// Tags `text` as news written at `reftime` in `tz` and answers Duckling entities.
pub(crate) fn parse_text(tagger: &Tagger, text: &str, reftime: Timestamp, tz: &TimeZone, dims: Dims) -> Vec<Json> {
    let now = reftime.to_zoned_datetime(tz.clone()).datetime();
    let ctx = Context { dct: Some(Date::from_civil(now.date())), domain: Domain::News };
    let timexes = tagger.tag(text, &ctx);
    entities(text, &timexes, now, tz, dims)
}

/// Duckling entities for tagger output over `text`, with `now` the reference time
/// on the wall clock of `tz`.
pub(crate) fn entities(text: &str, timexes: &[Timex], now: DateTime, tz: &TimeZone, dims: Dims) -> Vec<Json> {
    let records = annalist::format::json::timex_records(text, timexes);
    let mut out = Vec::new();
    let mut i = 0;
    while i < timexes.len() {
        // "today at 9am", "9am today": Duckling answers one entity for a day and a
        // time of that day; TimeML (and annalist) mark two.
        if let Some(next) = timexes.get(i + 1) {
            if let Some(value) = same_day_time(text, &timexes[i], next) {
                let t = Timex {
                    start: timexes[i].start,
                    end: next.end,
                    text: text[timexes[i].start..next.end].to_string(),
                    value,
                    ..next.clone()
                };
                if let Some(e) = entity(&t, records[i].start, records[i + 1].end, now, tz, dims) {
                    out.push(e);
                }
                i += 2;
                continue;
            }
        }
        if let Some(e) = entity(&timexes[i], records[i].start, records[i].end, now, tz, dims) {
            out.push(e);
        }
        i += 1;
    }
    out
}

/// One Duckling entity, or `None` when the value has no Duckling form or its
/// dimension was not asked for.
fn entity(t: &Timex, start: usize, end: usize, now: DateTime, tz: &TimeZone, dims: Dims) -> Option<Json> {
    let (dim, value) = match (t.kind, &t.value) {
        (TimexType::Duration, Value::Duration(d)) if dims.duration => ("duration", duration_value(d)?),
        (TimexType::Duration, _) | (TimexType::Set, Value::Duration(_)) => return None,
        (_, v) if dims.time => ("time", time_value(&said_grain(v, &t.text), t.modifier, now, tz)?),
        _ => return None,
    };
    Some(json!({
        "body": t.text,
        "start": start,
        "end": end,
        "dim": dim,
        "latent": false,
        "value": value,
    }))
}

/// The time of `a` and `b` when one is a day and the other a clock time on that
/// day, with nothing but "at", "on" or a comma between them.
fn same_day_time(text: &str, a: &Timex, b: &Timex) -> Option<Value> {
    let gap = text.get(a.end..b.start)?.trim().trim_end_matches(',').trim();
    if !(gap.is_empty() || gap.eq_ignore_ascii_case("at") || gap.eq_ignore_ascii_case("on")) {
        return None;
    }
    if a.modifier.is_some() || b.modifier.is_some() {
        return None;
    }
    let (Value::Date(x), Value::Date(y)) = (&a.value, &b.value) else {
        return None;
    };
    let (day, time) = match (x.time, y.time) {
        (None, Some(Time::Clock { .. })) => (x, y),
        (Some(Time::Clock { .. }), None) => (y, x),
        _ => return None,
    };
    let same = day.year == time.year && day.part == time.part && day.granularity() == annalist::Granularity::Day;
    same.then_some(Value::Date(*time))
}

/// A clock time written without minutes ("9am", "nine o'clock") has the grain of
/// an hour in Duckling, though the TIMEX3 value (`T09:00`) cannot tell.
fn said_grain(v: &Value, said: &str) -> Value {
    match v {
        Value::Date(d @ Date { time: Some(Time::Clock { hour, minute: Some(0), second: None }), .. })
            if !said.contains(':') =>
        {
            Value::Date(Date { time: Some(Time::Clock { hour: *hour, minute: None, second: None }), ..*d })
        }
        v => *v,
    }
}

/// Duckling's time grains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Grain {
    fn name(self) -> &'static str {
        match self {
            Grain::Second => "second",
            Grain::Minute => "minute",
            Grain::Hour => "hour",
            Grain::Day => "day",
            Grain::Week => "week",
            Grain::Month => "month",
            Grain::Quarter => "quarter",
            Grain::Year => "year",
        }
    }

    /// Seconds in one unit, as Duckling counts them (a month is 30 days, a year 365).
    fn seconds(self) -> i64 {
        match self {
            Grain::Second => 1,
            Grain::Minute => 60,
            Grain::Hour => 3600,
            Grain::Day => 86_400,
            Grain::Week => 604_800,
            Grain::Month => 2_592_000,
            Grain::Quarter => 7_776_000,
            Grain::Year => 31_536_000,
        }
    }

    /// The next finer grain and how many of it make one of this, for writing
    /// fractional amounts ("1.5 years" → 18 months).
    fn finer(self) -> Option<(Grain, f64)> {
        match self {
            Grain::Year => Some((Grain::Month, 12.0)),
            Grain::Quarter => Some((Grain::Month, 3.0)),
            Grain::Month => Some((Grain::Day, 30.0)),
            Grain::Week => Some((Grain::Day, 7.0)),
            Grain::Day => Some((Grain::Hour, 24.0)),
            Grain::Hour => Some((Grain::Minute, 60.0)),
            Grain::Minute => Some((Grain::Second, 60.0)),
            Grain::Second => None,
        }
    }
}

/// A stretch of wall-clock time `[start, end)`, written as an instant with its
/// grain, or as an interval when Duckling has no grain for it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stretch {
    start: DateTime,
    end: DateTime,
    grain: Grain,
    interval: bool,
}

fn year(y: i32) -> Option<i16> {
    i16::try_from(y).ok().filter(|y| (1..=9999).contains(y))
}

fn plus(dt: DateTime, span: Span) -> Option<DateTime> {
    dt.checked_add(span).ok()
}

fn midnight(d: civil::Date) -> DateTime {
    d.to_datetime(civil::Time::midnight())
}

fn unit_stretch(start: DateTime, grain: Grain, interval: bool) -> Option<Stretch> {
    let span = match grain {
        Grain::Second => Span::new().seconds(1),
        Grain::Minute => Span::new().minutes(1),
        Grain::Hour => Span::new().hours(1),
        Grain::Day => Span::new().days(1),
        Grain::Week => Span::new().weeks(1),
        Grain::Month => Span::new().months(1),
        Grain::Quarter => Span::new().months(3),
        Grain::Year => Span::new().years(1),
    };
    Some(Stretch { start, end: plus(start, span)?, grain, interval })
}

fn years_interval(first: i32, count: i32) -> Option<Stretch> {
    let start = midnight(civil::Date::new(year(first)?, 1, 1).ok()?);
    let end = plus(start, Span::new().years(count))?;
    Some(Stretch { start, end, grain: Grain::Year, interval: true })
}

fn day_interval(from: civil::Date, to: civil::Date) -> Stretch {
    Stretch { start: midnight(from), end: midnight(to), grain: Grain::Day, interval: true }
}

/// The stretch a date with a known year names, time of day included.
fn stretch_of(d: &Date) -> Option<Stretch> {
    let day = match (d.year, d.part) {
        (Year::Known(y), Part::Month { month: Some(m), day: Some(Some(day)) }) => {
            Some(civil::Date::new(year(y)?, m as i8, day as i8).ok()?)
        }
        (Year::Known(y), Part::Week { week: Some(w), weekday: Some(wd), weekend: false }) => Some(iso_week(y, w, wd)?),
        _ => None,
    };
    if let Some(day) = day {
        return match d.time {
            None => unit_stretch(midnight(day), Grain::Day, false),
            Some(t) => time_of_day(day, t),
        };
    }
    if d.time.is_some() {
        return None;
    }
    match (d.year, d.part) {
        (Year::Known(y), Part::None) => {
            unit_stretch(midnight(civil::Date::new(year(y)?, 1, 1).ok()?), Grain::Year, false)
        }
        (Year::Decade(n), Part::None) => years_interval(n.checked_mul(10)?, 10),
        (Year::Century(n), Part::None) => years_interval(n.checked_mul(100)?, 100),
        (Year::Millennium(n), Part::None) => years_interval(n.checked_mul(1000)?, 1000),
        (Year::Known(y), Part::Month { month: Some(m), day: None }) => {
            unit_stretch(midnight(civil::Date::new(year(y)?, m as i8, 1).ok()?), Grain::Month, false)
        }
        (Year::Known(y), Part::Week { week: Some(w), weekday: None, weekend: false }) => {
            unit_stretch(midnight(iso_week(y, w, 1)?), Grain::Week, false)
        }
        (Year::Known(y), Part::Week { week: Some(w), weekend: true, .. }) => {
            // Duckling's weekend: Friday 18:00 to Monday 00:00.
            let friday = iso_week(y, w, 5)?;
            let start = friday.to_datetime(civil::Time::new(18, 0, 0, 0).ok()?);
            Some(Stretch {
                start,
                end: midnight(friday.checked_add(Span::new().days(3)).ok()?),
                grain: Grain::Hour,
                interval: true,
            })
        }
        (Year::Known(y), Part::Quarter(q)) if (1..=4).contains(&q) => {
            unit_stretch(midnight(civil::Date::new(year(y)?, (q as i8 - 1) * 3 + 1, 1).ok()?), Grain::Quarter, false)
        }
        (Year::Known(y), Part::Half(h)) if (1..=2).contains(&h) => {
            let start = midnight(civil::Date::new(year(y)?, if h == 1 { 1 } else { 7 }, 1).ok()?);
            Some(Stretch { start, end: plus(start, Span::new().months(6))?, grain: Grain::Month, interval: true })
        }
        (Year::Known(y), Part::Season(s)) => {
            // Astronomical seasons of the northern hemisphere; winter Y starts in
            // December of Y.
            let y16 = year(y)?;
            let md = |m: i8, d: i8| civil::Date::new(y16, m, d).ok();
            Some(match s {
                Season::Spring => day_interval(md(3, 20)?, md(6, 21)?),
                Season::Summer => day_interval(md(6, 21)?, md(9, 23)?),
                Season::Fall => day_interval(md(9, 23)?, md(12, 21)?),
                Season::Winter => day_interval(md(12, 21)?, civil::Date::new(year(y + 1)?, 3, 20).ok()?),
            })
        }
        _ => None,
    }
}

fn iso_week(y: i32, week: u8, weekday: u8) -> Option<civil::Date> {
    let wd = Weekday::from_monday_one_offset(weekday as i8).ok()?;
    civil::ISOWeekDate::new(year(y)?, week as i8, wd).ok().map(|w| w.date())
}

/// A time on `day`: a clock time is an instant (grain hour, minute or second), a
/// part of the day an interval of hours (Duckling's: morning 4–12, afternoon 12–19,
/// evening and night 18–24).
fn time_of_day(day: civil::Date, t: Time) -> Option<Stretch> {
    match t {
        Time::Clock { hour, minute, second } => {
            let (m, s) = (minute.unwrap_or(0), second.unwrap_or(0));
            if hour > 24 || m > 59 || s > 59 || (hour == 24 && (m, s) != (0, 0)) {
                return None;
            }
            let grain = if second.is_some() {
                Grain::Second
            } else if minute.is_some() {
                Grain::Minute
            } else {
                Grain::Hour
            };
            let start = if hour == 24 {
                midnight(day.checked_add(Span::new().days(1)).ok()?)
            } else {
                day.to_datetime(civil::Time::new(hour as i8, m as i8, s as i8, 0).ok()?)
            };
            unit_stretch(start, grain, false)
        }
        Time::PartOfDay(p) => {
            let (from, to) = match p {
                PartOfDay::Morning => (4, 12),
                PartOfDay::Midday => (12, 14),
                PartOfDay::Afternoon => (12, 19),
                PartOfDay::Evening | PartOfDay::Night => (18, 24),
                PartOfDay::Daytime => (6, 18),
            };
            let at = |h: i8| -> Option<DateTime> {
                if h == 24 {
                    Some(midnight(day.checked_add(Span::new().days(1)).ok()?))
                } else {
                    Some(day.to_datetime(civil::Time::new(h, 0, 0, 0).ok()?))
                }
            };
            Some(Stretch { start: at(from)?, end: at(to)?, grain: Grain::Hour, interval: true })
        }
    }
}

/// The stretches a date names: one when it is fully specified, else its next
/// occurrences (at most three) that have not ended at `now`.
fn resolve(d: &Date, now: DateTime) -> Vec<Stretch> {
    if d.year != Year::Unknown {
        return stretch_of(d).into_iter().collect();
    }
    let today = now.date();
    let concrete: Vec<Date> = match d.part {
        // "August 23", "in March", "this summer": the same part in nearby years.
        Part::Month { month: Some(_), .. } | Part::Season(_) | Part::Quarter(_) | Part::Half(_) => {
            (i32::from(today.year()) - 1..=i32::from(today.year()) + 8)
                .map(|y| Date { year: Year::Known(y), ..*d })
                .collect()
        }
        // "Monday", "on Monday evening": the coming days with that weekday.
        Part::Week { week: None, weekday: Some(wd), weekend: false } => days_from(today)
            .filter(|day| day.weekday().to_monday_one_offset() as u8 == wd)
            .map(|day| Date { time: d.time, ..Date::from_civil(day) })
            .collect(),
        // "the weekend": the coming weekends.
        Part::Week { week: None, weekend: true, .. } => days_from(today)
            .filter(|day| day.weekday() == Weekday::Friday)
            .map(|day| {
                let w = day.iso_week_date();
                Date {
                    year: Year::Known(i32::from(w.year())),
                    part: Part::Week { week: Some(w.week() as u8), weekday: None, weekend: true },
                    time: None,
                }
            })
            .collect(),
        // "at 8 pm", "tonight" with no day: the coming days.
        Part::Month { month: None, day: Some(None) } if d.time.is_some() => {
            days_from(today).map(|day| Date { time: d.time, ..Date::from_civil(day) }).collect()
        }
        _ => Vec::new(),
    };
    concrete.iter().filter_map(stretch_of).filter(|s| s.end > now).take(3).collect()
}

/// Three weeks of days from the day before `today`.
fn days_from(today: civil::Date) -> impl Iterator<Item = civil::Date> {
    (-1..21).filter_map(move |n| today.checked_add(Span::new().days(n)).ok())
}

/// Writes a wall-clock time in `tz` the way Duckling does:
/// `2013-02-12T04:30:00.000-02:00`.
fn rfc3339(dt: DateTime, tz: &TimeZone) -> Option<String> {
    let z = dt.to_zoned_datetime(tz.clone()).ok()?;
    let w = z.datetime();
    if !(0..=9999).contains(&w.year()) {
        return None;
    }
    let off = z.offset().seconds();
    let sign = if off < 0 { '-' } else { '+' };
    let off = off.unsigned_abs();
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{:02}:{:02}",
        w.year(),
        w.month(),
        w.day(),
        w.hour(),
        w.minute(),
        w.second(),
        w.subsec_nanosecond() / 1_000_000,
        off / 3600,
        (off % 3600) / 60
    ))
}

fn instant(dt: DateTime, grain: Grain, tz: &TimeZone) -> Option<Json> {
    Some(json!({ "value": rfc3339(dt, tz)?, "grain": grain.name() }))
}

/// One Duckling time value (without `values`) for a stretch under a modifier.
fn stretch_json(s: &Stretch, modifier: Option<Mod>, tz: &TimeZone) -> Option<Json> {
    Some(match modifier {
        Some(Mod::Before) => json!({ "type": "interval", "to": instant(s.start, s.grain, tz)? }),
        Some(Mod::OnOrBefore) => json!({ "type": "interval", "to": instant(s.end, s.grain, tz)? }),
        Some(Mod::After) => json!({ "type": "interval", "from": instant(s.end, s.grain, tz)? }),
        Some(Mod::OnOrAfter) => {
            json!({ "type": "interval", "from": instant(s.start, s.grain, tz)? })
        }
        _ if s.interval => json!({
            "type": "interval",
            "from": instant(s.start, s.grain, tz)?,
            "to": instant(s.end, s.grain, tz)?,
        }),
        _ => json!({
            "type": "value",
            "value": rfc3339(s.start, tz)?,
            "grain": s.grain.name(),
        }),
    })
}

/// The Duckling `time` value of a TIMEX3 value, or `None` when it has none.
fn time_value(v: &Value, modifier: Option<Mod>, now: DateTime, tz: &TimeZone) -> Option<Json> {
    let one = |value: Json| -> Json {
        let mut v = value.clone();
        v["values"] = json!([value]);
        v
    };
    match v {
        Value::PresentRef => Some(one(json!({ "type": "value", "value": rfc3339(now, tz)?, "grain": "second" }))),
        Value::PastRef => Some(one(json!({ "type": "interval", "to": instant(now, Grain::Second, tz)? }))),
        Value::FutureRef => Some(one(json!({ "type": "interval", "from": instant(now, Grain::Second, tz)? }))),
        Value::Duration(_) => None,
        Value::Date(d) => {
            let values: Vec<Json> = resolve(d, now).iter().filter_map(|s| stretch_json(s, modifier, tz)).collect();
            let mut first = values.first()?.clone();
            first["values"] = Json::Array(values);
            Some(first)
        }
    }
}

/// The Duckling `duration` value of a TIMEX3 duration: `{"type": "value",
/// "value", "unit", <unit>: value, "normalized": {"value": seconds, "unit":
/// "second"}}`. Decades and longer count in years; fractions move to a finer unit.
fn duration_value(d: &Duration) -> Option<Json> {
    let amount = d.amount?;
    let (mut grain, factor) = match d.unit {
        Unit::Millennium => (Grain::Year, 1000.0),
        Unit::Century => (Grain::Year, 100.0),
        Unit::Decade => (Grain::Year, 10.0),
        Unit::Year => (Grain::Year, 1.0),
        Unit::Quarter => (Grain::Quarter, 1.0),
        Unit::Month => (Grain::Month, 1.0),
        Unit::Week => (Grain::Week, 1.0),
        Unit::Weekend => return None,
        Unit::Day => (Grain::Day, 1.0),
        Unit::Hour => (Grain::Hour, 1.0),
        Unit::Minute => (Grain::Minute, 1.0),
        Unit::Second => (Grain::Second, 1.0),
    };
    let mut n = amount * factor;
    if !n.is_finite() || n < 0.0 {
        return None;
    }
    while (n - n.round()).abs() > 1e-9 {
        match grain.finer() {
            Some((g, k)) => {
                grain = g;
                n *= k;
            }
            None => break,
        }
    }
    let n = n.round();
    if n > 1e15 {
        return None;
    }
    let n = n as i64;
    let mut v = json!({
        "type": "value",
        "value": n,
        "unit": grain.name(),
        "normalized": { "value": n.checked_mul(grain.seconds())?, "unit": "second" },
    });
    v[grain.name()] = json!(n);
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn at(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    fn timex(text: &str, start: usize, kind: TimexType, value: &str, modifier: Option<Mod>) -> Timex {
        Timex {
            start,
            end: start + text.len(),
            text: text.to_string(),
            kind,
            value: Value::parse(value).unwrap(),
            modifier,
            freq: None,
            quant: None,
            rule: Arc::from("test"),
            alternative_of: None,
        }
    }

    const ALL: Dims = Dims { time: true, duration: true };

    /// Duckling's README: "today at 9am" →
    /// `{"values":[{"value":"2016-12-14T09:00:00.000-08:00","grain":"hour","type":"value"}],
    ///   "value":"2016-12-14T09:00:00.000-08:00","grain":"hour","type":"value"}`.
    /// annalist marks "today" and "9am" apart, as TimeML does; /parse joins them.
    #[test]
    fn readme_today_at_9am() {
        let text = "today at 9am";
        let ts = [
            timex("today", 0, TimexType::Date, "2016-12-14", None),
            timex("9am", 9, TimexType::Time, "2016-12-14T09:00", None),
        ];
        let out = entities(text, &ts, at("2016-12-14T06:10"), &tz("America/Los_Angeles"), ALL);
        assert_eq!(
            out,
            vec![json!({
                "body": "today at 9am", "start": 0, "end": 12, "dim": "time", "latent": false,
                "value": {
                    "values": [{"value": "2016-12-14T09:00:00.000-08:00", "grain": "hour", "type": "value"}],
                    "value": "2016-12-14T09:00:00.000-08:00", "grain": "hour", "type": "value"
                }
            })]
        );
        // The other order, and a minute that was said.
        let text = "9:00 today";
        let ts = [
            timex("9:00", 0, TimexType::Time, "2016-12-14T09:00", None),
            timex("today", 5, TimexType::Date, "2016-12-14", None),
        ];
        let out = entities(text, &ts, at("2016-12-14T06:10"), &tz("America/Los_Angeles"), ALL);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0]["body"].as_str(), out[0]["end"].as_u64()), (Some("9:00 today"), Some(10)));
        assert_eq!(out[0]["value"]["grain"], "minute");
        // Different days stay apart.
        let text = "today at 9am";
        let ts = [
            timex("today", 0, TimexType::Date, "2016-12-14", None),
            timex("9am", 9, TimexType::Time, "2016-12-15T09:00", None),
        ];
        assert_eq!(entities(text, &ts, at("2016-12-14T06:10"), &tz("UTC"), ALL).len(), 2);
    }

    /// Duckling's README: "the first Tuesday of October" →
    /// `{"value":"2017-10-03T00:00:00.000-07:00","grain":"day"}` (Pacific daylight time).
    #[test]
    fn readme_first_tuesday_of_october() {
        let v =
            time_value(&Value::parse("2017-10-03").unwrap(), None, at("2017-06-01T12:00"), &tz("America/Los_Angeles"))
                .unwrap();
        assert_eq!(v["value"], "2017-10-03T00:00:00.000-07:00");
        assert_eq!(v["grain"], "day");
        assert_eq!(v["type"], "value");
    }

    /// Duckling's README: "3 mins" →
    /// `{"value":3,"minute":3,"unit":"minute","normalized":{"value":180,"unit":"second"}}`.
    #[test]
    fn readme_three_minutes() {
        let text = "3 mins";
        let t = timex(text, 0, TimexType::Duration, "PT3M", None);
        let out = entities(text, &[t], at("2013-02-12T04:30"), &tz("UTC"), ALL);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["dim"], "duration");
        assert_eq!(
            out[0]["value"],
            json!({"type": "value", "value": 3, "minute": 3, "unit": "minute",
                   "normalized": {"value": 180, "unit": "second"}})
        );
    }

    /// Duckling's README debug example, reference time Tuesday Feb 12, 2013 4:30am
    /// at -02:00: "in two minutes" → 2013-02-12 04:32:00 -0200, grain second.
    #[test]
    fn readme_in_two_minutes() {
        let v = time_value(
            &Value::parse("2013-02-12T04:32:00").unwrap(),
            None,
            at("2013-02-12T04:30"),
            &tz("America/Sao_Paulo"),
        )
        .unwrap();
        assert_eq!(v["value"], "2013-02-12T04:32:00.000-02:00");
        assert_eq!(v["grain"], "second");
    }

    #[test]
    fn grains_of_calendar_units() {
        let now = at("2013-02-12T04:30");
        let utc = tz("UTC");
        let val = |s: &str| time_value(&Value::parse(s).unwrap(), None, now, &utc).unwrap();
        let v = val("1939");
        assert_eq!(
            (v["value"].as_str().unwrap(), v["grain"].as_str().unwrap()),
            ("1939-01-01T00:00:00.000+00:00", "year")
        );
        let v = val("1939-08");
        assert_eq!(
            (v["value"].as_str().unwrap(), v["grain"].as_str().unwrap()),
            ("1939-08-01T00:00:00.000+00:00", "month")
        );
        let v = val("2013-W07");
        assert_eq!(
            (v["value"].as_str().unwrap(), v["grain"].as_str().unwrap()),
            ("2013-02-11T00:00:00.000+00:00", "week")
        );
        let v = val("2013-Q3");
        assert_eq!(
            (v["value"].as_str().unwrap(), v["grain"].as_str().unwrap()),
            ("2013-07-01T00:00:00.000+00:00", "quarter")
        );
        let v = val("2013-02-12T17:45");
        assert_eq!(
            (v["value"].as_str().unwrap(), v["grain"].as_str().unwrap()),
            ("2013-02-12T17:45:00.000+00:00", "minute")
        );
        let v = val("193");
        assert_eq!(v["type"], "interval");
        assert_eq!(v["from"]["value"], "1930-01-01T00:00:00.000+00:00");
        assert_eq!(v["to"]["value"], "1940-01-01T00:00:00.000+00:00");
        assert_eq!(v["from"]["grain"], "year");
        let v = val("2013-02-12TEV");
        assert_eq!(v["from"]["value"], "2013-02-12T18:00:00.000+00:00");
        assert_eq!(v["to"]["value"], "2013-02-13T00:00:00.000+00:00");
        assert_eq!(v["from"]["grain"], "hour");
        let v = val("2013-SU");
        assert_eq!(v["from"]["value"], "2013-06-21T00:00:00.000+00:00");
        let v = val("2013-W07-WE");
        assert_eq!(v["from"]["value"], "2013-02-15T18:00:00.000+00:00");
        assert_eq!(v["to"]["value"], "2013-02-18T00:00:00.000+00:00");
        assert_eq!(v["values"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn underspecified_values_resolve_forward() {
        let now = at("2013-02-12T04:30");
        let utc = tz("UTC");
        // Tuesday Feb 12: "Tuesday" is today (not over yet), then the next two.
        let v = time_value(&Value::parse("XXXX-WXX-2").unwrap(), None, now, &utc).unwrap();
        assert_eq!(v["value"], "2013-02-12T00:00:00.000+00:00");
        let vals: Vec<&str> = v["values"].as_array().unwrap().iter().map(|x| x["value"].as_str().unwrap()).collect();
        assert_eq!(
            vals,
            ["2013-02-12T00:00:00.000+00:00", "2013-02-19T00:00:00.000+00:00", "2013-02-26T00:00:00.000+00:00"]
        );
        // "February 1" is past this year: next year first.
        let v = time_value(&Value::parse("XXXX-02-01").unwrap(), None, now, &utc).unwrap();
        assert_eq!(v["value"], "2014-02-01T00:00:00.000+00:00");
        // "February" has not ended: this one.
        let v = time_value(&Value::parse("XXXX-02").unwrap(), None, now, &utc).unwrap();
        assert_eq!(v["value"], "2013-02-01T00:00:00.000+00:00");
        assert_eq!(v["grain"], "month");
        // "at 3 am": tomorrow's, today's is over.
        let v = time_value(&Value::parse("XXXX-XX-XXT03:00").unwrap(), None, now, &utc).unwrap();
        assert_eq!(v["value"], "2013-02-13T03:00:00.000+00:00");
        // A day that is not known at all has no value.
        assert!(time_value(&Value::parse("XXXX-XX-XX").unwrap(), None, now, &utc).is_none());
        assert!(time_value(&Value::parse("1939-XX-23").unwrap(), None, now, &utc).is_none());
    }

    #[test]
    fn refs_modifiers_and_unwritable_years() {
        let now = at("2013-02-12T04:30:00.250");
        let utc = tz("UTC");
        let v = time_value(&Value::PresentRef, None, now, &utc).unwrap();
        assert_eq!(v["value"], "2013-02-12T04:30:00.250+00:00");
        assert_eq!(v["grain"], "second");
        let v = time_value(&Value::PastRef, None, now, &utc).unwrap();
        assert_eq!(v["to"]["value"], "2013-02-12T04:30:00.250+00:00");
        let y = Value::parse("1939").unwrap();
        let v = time_value(&y, Some(Mod::Before), now, &utc).unwrap();
        assert_eq!(
            v,
            json!({"type": "interval", "to": {"value": "1939-01-01T00:00:00.000+00:00", "grain": "year"},
                              "values": [{"type": "interval", "to": {"value": "1939-01-01T00:00:00.000+00:00", "grain": "year"}}]})
        );
        let v = time_value(&y, Some(Mod::After), now, &utc).unwrap();
        assert_eq!(v["from"]["value"], "1940-01-01T00:00:00.000+00:00");
        assert!(time_value(&Value::parse("BC0044-03-15").unwrap(), None, now, &utc).is_none());
        assert!(time_value(&Value::parse("2013-02-30").unwrap(), None, now, &utc).is_none());
    }

    #[test]
    fn durations() {
        let d = |s: &str| match Value::parse(s).unwrap() {
            Value::Duration(d) => duration_value(&d),
            _ => unreachable!(),
        };
        let v = d("P3D").unwrap();
        assert_eq!((v["value"].as_i64(), v["unit"].as_str(), v["day"].as_i64()), (Some(3), Some("day"), Some(3)));
        assert_eq!(v["normalized"]["value"], 259_200);
        let v = d("P1.5Y").unwrap();
        assert_eq!((v["value"].as_i64(), v["unit"].as_str()), (Some(18), Some("month")));
        let v = d("P2DE").unwrap();
        assert_eq!((v["value"].as_i64(), v["unit"].as_str()), (Some(20), Some("year")));
        assert_eq!(v["normalized"]["value"], 20 * 31_536_000_i64);
        assert!(d("PXY").is_none());
        assert!(d("P1WE").is_none());
    }

    #[test]
    fn dims_and_offsets() {
        let text = "Zürich, 3 days later, on 1939-08-24";
        let ts = [
            timex("3 days", 9, TimexType::Duration, "P3D", None),
            timex("1939-08-24", 26, TimexType::Date, "1939-08-24", None),
        ];
        let now = at("1939-08-20T12:00");
        let utc = tz("UTC");
        let out = entities(text, &ts, now, &utc, ALL);
        assert_eq!(out.len(), 2);
        // Code point offsets: "ü" is two bytes but one character.
        assert_eq!((out[0]["start"].as_u64(), out[0]["end"].as_u64()), (Some(8), Some(14)));
        assert_eq!(out[0]["body"], "3 days");
        let only_time = entities(text, &ts, now, &utc, Dims { time: true, duration: false });
        assert_eq!(only_time.len(), 1);
        assert_eq!(only_time[0]["dim"], "time");
    }

    #[test]
    fn dims_parsing() {
        assert_eq!(parse_dims(None).unwrap(), ALL);
        assert_eq!(parse_dims(Some("[]")).unwrap(), ALL);
        assert_eq!(parse_dims(Some(r#"["time"]"#)).unwrap(), Dims { time: true, duration: false });
        assert_eq!(parse_dims(Some(r#""[\"duration\"]""#)).unwrap(), Dims { time: false, duration: true });
        assert_eq!(parse_dims(Some(r#"["numeral"]"#)).unwrap(), Dims { time: false, duration: false });
        assert!(parse_dims(Some("time")).unwrap_err().starts_with("dims:"));
        assert!(parse_dims(Some("[1]")).is_err());
    }

    #[test]
    fn languages() {
        assert!(check_language(Some("en_GB"), None).is_ok());
        assert!(check_language(None, Some("EN")).is_ok());
        assert!(check_language(None, None).is_ok());
        assert!(check_language(Some("fr_FR"), None).unwrap_err().starts_with("locale:"));
    }
}
