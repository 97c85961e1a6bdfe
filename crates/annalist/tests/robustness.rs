//! Property tests over `Tagger::tag`: no input panics it, and every span it returns is a
//! valid, ordered, non-overlapping slice of the input whose text matches.
//!
//! Inputs are generated from a fixed-seed generator mixing temporal vocabulary, digits,
//! punctuation, non-ASCII text and control bytes, so failures reproduce exactly.

use annalist::{Context, Domain, Tagger};

/// xorshift64*: small, deterministic, good enough to shuffle test inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "On",
    "the",
    "next",
    "day",
    "May",
    "March",
    "1939",
    "480",
    "BC",
    "AD",
    "'39",
    "1930s",
    "22nd",
    "or",
    "23rd",
    "August",
    "Sept.",
    "20th",
    ",",
    ".",
    " ",
    "  ",
    "\n",
    "\n\n",
    "-",
    "–",
    "/",
    ":",
    "5",
    "p.m.",
    "17:30",
    "0530",
    "hours",
    "noon",
    "three",
    "years",
    "later",
    "ago",
    "earlier",
    "every",
    "Monday",
    "twice",
    "a",
    "week",
    "early",
    "late",
    "mid-",
    "the end of",
    "about",
    "more than",
    "spring",
    "winter",
    "of",
    "quarter",
    "first",
    "half",
    "century",
    "18th",
    "yesterday",
    "tomorrow",
    "tonight",
    "now",
    "recently",
    "Christmas",
    "Thanksgiving",
    "fiscal",
    "99999999999",
    "February 30",
    "31/31/31",
    "0000-00-00",
    "9999-12-31",
    "Zürich",
    "年",
    "🙂",
    "é",
    "\u{200b}",
    "\t",
    "\"",
    "(",
    ")",
    "$",
    "%",
    "1,500",
    "2000",
    "troops",
    "that",
    "evening",
    "afternoon",
];

fn check(tagger: &Tagger, text: &str, ctx: &Context) {
    let found = tagger.tag(text, ctx);
    let mut last_end = 0;
    for t in &found {
        assert!(t.start < t.end && t.end <= text.len(), "span {}..{} out of {:?}", t.start, t.end, text);
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "not a char boundary in {text:?}");
        assert!(t.start >= last_end, "overlapping or unordered spans in {text:?}");
        assert_eq!(&text[t.start..t.end], t.text);
        last_end = t.end;
        // Values always write and read back.
        let v = t.value.to_string();
        assert!(!v.is_empty());
    }
}

#[test]
fn random_token_soup_never_panics() {
    let tagger = Tagger::new();
    let contexts = [
        Context::narrative(),
        Context::with_dct("1998-08-07", Domain::News).unwrap(),
        Context::with_dct("0001-01-01", Domain::Auto).unwrap(),
        Context::with_dct("9999-12-31", Domain::News).unwrap(),
    ];
    let mut rng = Rng(0x5eed_1939_0823);
    for i in 0..3000 {
        let n = 1 + (rng.next() % 40) as usize;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(PIECES));
            if !rng.next().is_multiple_of(3) {
                text.push(' ');
            }
        }
        check(&tagger, &text, &contexts[i % contexts.len()]);
    }
}

#[test]
fn random_bytes_as_lossy_text_never_panic() {
    let tagger = Tagger::new();
    let mut rng = Rng(42);
    for _ in 0..500 {
        let n = (rng.next() % 200) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        let text = String::from_utf8_lossy(&bytes);
        check(&tagger, &text, &Context::default());
    }
}

#[test]
fn absurd_and_impossible_dates_are_not_tagged_as_dates() {
    let tagger = Tagger::new();
    let ctx = Context::narrative();
    for (text, bad) in [
        ("It happened on February 30, 1941.", "February 30"),
        ("In the year 99999999999 nothing happened.", "99999999999"),
        ("Filed 1998-13-45 in error.", "1998-13-45"),
        ("It was 31/31/1999.", "31/31/1999"),
    ] {
        for t in tagger.tag(text, &ctx) {
            assert!(!t.text.contains(bad), "{text:?}: tagged {:?} = {}", t.text, t.value);
        }
    }
}

#[test]
fn offsets_beyond_the_calendar_are_unknown_not_a_panic() {
    // Found by the property tests: "-1043498 week ago" overflowed the calendar library's
    // span range. An offset no calendar can hold leaves the date unknown.
    let tagger = Tagger::new();
    let ctx = Context::with_dct("1999-06-01", Domain::News).unwrap();
    for text in [
        "-1043498 week ago",
        "He left 99999999999 days later.",
        "It ended 4000000 weeks ago.",
        "10000000000000000000 month later",
        "9223372036854775807 quarters later",
        "9223372036854775807 years later",
        "600000 fortnights ago",
    ] {
        for t in tagger.tag(text, &ctx) {
            let v = t.value.to_string();
            assert!(!v.starts_with("1999") && !v.starts_with("-"), "{text:?}: {:?} = {v}", t.text);
        }
    }
}

#[test]
fn deeply_repeated_patterns_stay_linear() {
    // Many candidates in a row: every one must be found, none may overlap.
    let tagger = Tagger::new();
    let text = "On 1 May 1940, then on 2 May 1940, ".repeat(2000);
    let found = tagger.tag(&text, &Context::narrative());
    assert_eq!(found.len(), 4000);
    let text = "the next day ".repeat(5000);
    let found = tagger.tag(&text, &Context::narrative());
    assert_eq!(found.len(), 5000);
    assert!(found.iter().all(|t| t.value.to_string() == "XXXX-XX-XX"));
}

#[test]
fn a_dct_out_of_range_is_ignored_not_a_panic() {
    // Found by the property tests: a DCT in the year i32::MIN made anchoring overflow.
    use annalist::{Date, Part, Time, Year};
    let tagger = Tagger::new();
    let text = "In August the mill closed; the next year it reopened, and two days ago it burned.";
    let plain = tagger.tag(text, &Context::narrative());
    for year in [Year::Known(i32::MIN), Year::Known(i32::MAX), Year::Known(10_000), Year::Decade(i32::MIN)] {
        for part in [
            Part::Month { month: Some(8), day: Some(Some(20)) },
            Part::Week { week: None, weekday: None, weekend: false },
            Part::Quarter(0),
        ] {
            let dct = Date { year, part, time: None };
            assert!(!dct.in_range());
            let ctx = Context { dct: Some(dct), domain: Domain::Auto };
            assert_eq!(tagger.tag(text, &ctx), plain, "{dct:?}");
        }
    }
    // Fields out of range: month 13, day 45, hour 99.
    let bad = Date { year: Year::Known(1998), part: Part::Month { month: Some(13), day: Some(Some(45)) }, time: None };
    assert_eq!(tagger.tag(text, &Context { dct: Some(bad), domain: Domain::Auto }), plain);
    let late = Date {
        time: Some(Time::Clock { hour: 99, minute: None, second: None }),
        ..Date::day(Year::Known(1998), Some(1), Some(8))
    };
    assert_eq!(tagger.tag(text, &Context { dct: Some(late), domain: Domain::Auto }), plain);
    // Given as text, they are refused with a clear error.
    for s in ["1998-13-45", "1999-02-29", "1998-01-08T25:00"] {
        let e = Context::with_dct(s, Domain::News).unwrap_err();
        assert!(e.to_string().contains(s), "{e}");
    }
}
