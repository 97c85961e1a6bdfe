//! Property tests (proptest) over `Tagger::tag` and the event/timeline path: no input
//! panics them, and what they return is consistent with the text.
//!
//! Texts are built from a generator biased toward temporal vocabulary (month names,
//! numbers, ordinals, "the", "next", "ago", "BC", clock times, very long numbers,
//! repeated phrases) mixed with punctuation and arbitrary Unicode; each is tagged in
//! every domain with a random document creation time, including extreme ones.
//!
//! The number of cases is small by default so the suite stays quick; set
//! `PROPTEST_CASES` for a longer run (`PROPTEST_CASES=20000 cargo test --profile ci -p
//! annalist --test properties`). A failure is shrunk to a minimal input and its seed is
//! saved under `tests/properties.proptest-regressions`, which is replayed first on the
//! next run: commit that file with the fix. The cargo-fuzz targets in `fuzz/` explore
//! the same properties with coverage guidance (docs/robustness.md).

use std::sync::OnceLock;

use annalist::event::EventTagger;
use annalist::format::json::{DocRecord, timex_records, write_doc};
use annalist::format::timeline::{self as out, Doc, TimelineRecord};
use annalist::format::timeml::read_timeml;
use annalist::{Context, Date, Domain, Part, Tagger, Time, Year, timeline};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn tagger() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(Tagger::new)
}

fn events() -> &'static EventTagger {
    static E: OnceLock<EventTagger> = OnceLock::new();
    E.get_or_init(EventTagger::new)
}

/// `cases` unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(cases);
    Config { cases, ..Config::default() }
}

const WORDS: &[&str] = &[
    "the",
    "a",
    "of",
    "in",
    "on",
    "at",
    "by",
    "from",
    "to",
    "until",
    "since",
    "before",
    "after",
    "during",
    "and",
    "or",
    "next",
    "last",
    "this",
    "that",
    "same",
    "previous",
    "following",
    "coming",
    "past",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "century",
    "millennium",
    "hour",
    "minutes",
    "quarter",
    "half",
    "fortnight",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "night",
    "noon",
    "midnight",
    "tonight",
    "today",
    "yesterday",
    "tomorrow",
    "now",
    "ago",
    "later",
    "earlier",
    "early",
    "late",
    "mid-",
    "end",
    "beginning",
    "middle",
    "about",
    "around",
    "more than",
    "every",
    "each",
    "twice",
    "once",
    "daily",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "BC",
    "AD",
    "B.C.",
    "BCE",
    "first",
    "second",
    "third",
    "1st",
    "2nd",
    "22nd",
    "23rd",
    "31st",
    "18th",
    "one",
    "two",
    "three",
    "ten",
    "twenty",
    "hundred",
    "thousand",
    "few",
    "several",
    "a.m.",
    "p.m.",
    "o'clock",
    "GMT",
    "Christmas",
    "Easter",
    "fiscal",
    "the year",
    "the next day",
    "the same day",
    "two days later",
    "the end of",
    "in the 1930s",
    "'39",
    "the 90s",
    "February 30",
    "the year 99999999999",
    "31/31/1999",
    "1998-13-45",
    "0000-00-00",
    "9999-12-31",
    "12/25/1998",
    "17:30",
    "0530 hours",
    "1,500",
    "Jan.",
    "Sept.",
    "Mon.",
];

const MONTHS: &[&str] = &[
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
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const PUNCT: &[&str] = &[
    " ", " ", " ", "  ", ",", ".", ". ", "-", "–", "—", "/", ":", ";", "(", ")", "\"", "'", "\n", "\n\n", "\t", "\r\n",
    "$", "%", "?", "!", "…",
];

/// One piece of text, biased toward what time expressions are made of.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(WORDS).prop_map(str::to_string),
        4 => prop::sample::select(MONTHS).prop_map(str::to_string),
        4 => prop::sample::select(PUNCT).prop_map(str::to_string),
        3 => (0u32..3000).prop_map(|n| n.to_string()),
        2 => (1u32..32).prop_map(|n| format!("{n}th")),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => "[0-9]{12,40}",
        1 => "[0-9]{1,4}[-/.:][0-9]{1,4}([-/.:][0-9]{1,4})?",
        1 => "\\PC{1,6}",
        1 => any::<String>(),
    ]
}

/// Pieces joined with or without spaces.
fn words() -> impl Strategy<Value = String> {
    prop::collection::vec((piece(), any::<bool>()), 0..40).prop_map(|ps| {
        let mut s = String::new();
        for (p, space) in ps {
            s.push_str(&p);
            if space {
                s.push(' ');
            }
        }
        s
    })
}

/// A text: pieces joined with or without spaces, sometimes a phrase repeated many times.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => words(),
        1 => (prop::collection::vec(piece(), 1..5), 2usize..200).prop_map(|(ps, n)| ps.join(" ").repeat(n)),
        1 => (words(), prop::collection::vec(piece(), 1..4), 2usize..60)
            .prop_map(|(a, ps, n)| format!("{a}{}", format!("{} ", ps.join(" ")).repeat(n))),
    ]
}

/// A document creation time: none, a valid day (years −9999…9999), or a `Date` with
/// extreme or impossible fields, as a library user can build one.
fn dct() -> impl Strategy<Value = Option<Date>> {
    let year = prop_oneof![
        4 => (-9999i32..=9999).prop_map(Year::Known),
        1 => prop::sample::select(vec![i32::MIN, i32::MAX, -1, 0, 1, 10000, -10000]).prop_map(Year::Known),
        1 => any::<i32>().prop_map(Year::Known),
        1 => any::<i32>().prop_map(Year::Decade),
        1 => any::<i32>().prop_map(Year::Century),
        1 => Just(Year::Unknown),
    ];
    let part = prop_oneof![
        6 => (1u8..=12, 1u8..=31).prop_map(|(m, d)| Part::Month { month: Some(m), day: Some(Some(d)) }),
        1 => (any::<Option<u8>>(), any::<Option<Option<u8>>>()).prop_map(|(month, day)| Part::Month { month, day }),
        1 => (any::<Option<u8>>(), any::<Option<u8>>(), any::<bool>())
            .prop_map(|(week, weekday, weekend)| Part::Week { week, weekday, weekend }),
        1 => any::<u8>().prop_map(Part::Quarter),
        1 => Just(Part::None),
    ];
    let time = prop_oneof![
        4 => Just(None),
        1 => (any::<u8>(), any::<Option<u8>>(), any::<Option<u8>>())
            .prop_map(|(hour, minute, second)| Some(Time::Clock { hour, minute, second })),
    ];
    prop_oneof![
        1 => Just(None),
        3 => (year, part, time).prop_map(|(year, part, time)| Some(Date { year, part, time })),
    ]
}

fn domain() -> impl Strategy<Value = Domain> {
    prop::sample::select(vec![Domain::News, Domain::Narrative, Domain::Auto])
}

/// Spans inside the text on character boundaries, sorted and non-overlapping, with
/// their text and a value; alternatives point at another expression; the JSON writer's
/// output parses and matches the records.
fn check_tag(text: &str, ctx: &Context) -> Result<(), TestCaseError> {
    let found = tagger().tag(text, ctx);
    let mut last_end = 0;
    for (i, t) in found.iter().enumerate() {
        prop_assert!(t.start < t.end && t.end <= text.len(), "span {}..{} outside the text", t.start, t.end);
        prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "not on char boundaries");
        prop_assert!(t.start >= last_end, "overlapping or unordered at {}", t.start);
        prop_assert_eq!(&text[t.start..t.end], t.text.as_str());
        prop_assert!(!t.value.to_string().is_empty(), "empty value for {:?}", t.text);
        if let Some(j) = t.alternative_of {
            prop_assert!(j < found.len() && j != i, "alternative_of {} out of range", j);
        }
        last_end = t.end;
    }
    let mut json = Vec::new();
    write_doc(&mut json, &serde_json::json!("p"), text, &found).unwrap();
    let rec: DocRecord = serde_json::from_slice(&json).map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
    prop_assert_eq!(rec.timexes.unwrap(), timex_records(text, &found));
    Ok(())
}

/// The timeline's indices point inside it, every writer runs, the JSON record reads back
/// and the TimeML it writes is readable TimeML with the same text.
fn check_timeline(text: &str, ctx: &Context) -> Result<(), TestCaseError> {
    let tl = timeline::build(text, ctx, tagger(), events());
    for s in &tl.sentences {
        prop_assert!(text.get(s.clone()).is_some(), "sentence {:?} not a slice", s);
    }
    for e in &tl.events {
        prop_assert_eq!(text.get(e.event.start..e.event.end), Some(e.event.trigger.as_str()));
        if let Some(a) = &e.anchor {
            prop_assert!(a.timex.is_none_or(|i| i < tl.timexes.len()));
            prop_assert!(a.alternative_timexes.iter().all(|&i| i < tl.timexes.len()));
        }
    }
    for en in &tl.entries {
        prop_assert!(en.event < tl.events.len());
        prop_assert!(en.sentence < tl.sentences.len());
    }
    timeline::tlinks(&tl);
    let doc = Doc { id: "p", text, timeline: &tl };
    let json = serde_json::to_string(&out::timeline_record(&doc)).unwrap();
    let back: Result<TimelineRecord, _> = serde_json::from_str(&json);
    prop_assert!(back.is_ok(), "timeline JSON does not read back: {:?}", back.err());
    let mut sink = Vec::new();
    out::write_csv(&mut sink, &[doc]).unwrap();
    out::write_markdown(&mut sink, &[doc]).unwrap();
    out::write_html(&mut sink, &[doc], "p", false).unwrap();
    serde_json::to_string(&out::timelinejs(&[doc], "p", true)).unwrap();
    let tml = read_timeml(&out::write_timeml(&doc), "p.tml");
    prop_assert!(tml.is_ok(), "timeline TimeML does not read back: {:?}", tml.err());
    prop_assert_eq!(tml.unwrap().text, text);
    Ok(())
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn tag_keeps_its_invariants(text in text(), dct in dct(), domain in domain()) {
        check_tag(&text, &Context { dct, domain })?;
    }

    #[test]
    fn tag_keeps_its_invariants_on_valid_dcts(text in text(), (y, m, d) in (-9999i32..=9999, 1u8..=12, 1u8..=28)) {
        let dct = Date::day(Year::Known(if y == 0 { 1 } else { y }), Some(m), Some(d));
        for domain in [Domain::News, Domain::Narrative, Domain::Auto] {
            check_tag(&text, &Context { dct: Some(dct), domain })?;
        }
    }
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn timeline_keeps_its_invariants(text in text(), dct in dct(), domain in domain()) {
        check_timeline(&text, &Context { dct, domain })?;
    }
}
