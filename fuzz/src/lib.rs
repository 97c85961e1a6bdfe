//! Shared pieces of the fuzz targets: a document context built from fuzzer input, and
//! the invariants every tagger result must keep.

use std::sync::OnceLock;

use annalist::event::EventTagger;
use annalist::format::json::{DocRecord, timex_records, write_doc};
use annalist::{Context, Date, Domain, Part, PartOfDay, Season, Tagger, Time, Timex, Year};
use arbitrary::Arbitrary;

/// The tagger, built once per fuzzing process.
pub fn tagger() -> &'static Tagger {
    static T: OnceLock<Tagger> = OnceLock::new();
    T.get_or_init(Tagger::new)
}

/// The event tagger, built once per fuzzing process.
pub fn events() -> &'static EventTagger {
    static E: OnceLock<EventTagger> = OnceLock::new();
    E.get_or_init(EventTagger::new)
}

/// A document creation time as the fuzzer chooses it.
#[derive(Debug, Arbitrary)]
pub enum DctSpec {
    /// No DCT.
    None,
    /// Read as a string through `Context::with_dct` (as the CLI and server do).
    Text(String),
    /// A calendar day, any numbers.
    Day(i32, u8, u8),
    /// Any `Date` the public fields allow.
    Raw(RawDate),
}

/// Mirror of [`Date`]'s public fields, for `Arbitrary`.
#[derive(Debug, Arbitrary)]
pub struct RawDate {
    year: (u8, i32),
    part: (u8, Option<u8>, Option<Option<u8>>, bool),
    time: Option<(u8, u8, Option<u8>, Option<u8>)>,
}

impl RawDate {
    fn date(&self) -> Date {
        let (yk, y) = self.year;
        let year = match yk % 5 {
            0 => Year::Known(y),
            1 => Year::Decade(y),
            2 => Year::Century(y),
            3 => Year::Millennium(y),
            _ => Year::Unknown,
        };
        let (pk, a, b, we) = self.part;
        let n = a.unwrap_or(0);
        let part = match pk % 7 {
            0 => Part::None,
            1 => Part::Month { month: a, day: b },
            2 => Part::Week { week: a, weekday: b.flatten(), weekend: we },
            3 => Part::Season([Season::Spring, Season::Summer, Season::Fall, Season::Winter][n as usize % 4]),
            4 => Part::Quarter(n),
            5 => Part::Half(n),
            _ => Part::Month { month: a, day: Some(b.flatten()) },
        };
        let time = self.time.map(|(k, h, m, s)| {
            if k % 2 == 0 {
                let pods = [
                    PartOfDay::Morning,
                    PartOfDay::Midday,
                    PartOfDay::Afternoon,
                    PartOfDay::Evening,
                    PartOfDay::Night,
                    PartOfDay::Daytime,
                ];
                Time::PartOfDay(pods[h as usize % pods.len()])
            } else {
                Time::Clock { hour: h, minute: m, second: s }
            }
        });
        Date { year, part, time }
    }
}

/// A document context as the fuzzer chooses it.
#[derive(Debug, Arbitrary)]
pub struct CtxSpec {
    dct: DctSpec,
    domain: u8,
}

impl CtxSpec {
    /// The context; `None` when the DCT string is one `Context::with_dct` refuses (a
    /// clear error, which is all that input can give).
    pub fn context(&self) -> Option<Context> {
        let domain = [Domain::News, Domain::Narrative, Domain::Auto][self.domain as usize % 3];
        let dct = match &self.dct {
            DctSpec::None => None,
            DctSpec::Text(s) => return Context::with_dct(s, domain).ok(),
            DctSpec::Day(y, m, d) => Some(Date::day(Year::Known(*y), Some(*m), Some(*d))),
            DctSpec::Raw(r) => Some(r.date()),
        };
        Some(Context { dct, domain })
    }
}

/// The checks every tagger result over `text` must pass: spans inside the text, on
/// character boundaries, sorted and non-overlapping, with their text and a non-empty
/// value; alternatives pointing at another expression; JSON output that parses.
pub fn check_timexes(text: &str, timexes: &[Timex]) {
    let mut last_end = 0;
    for (i, t) in timexes.iter().enumerate() {
        assert!(t.start < t.end && t.end <= text.len(), "span {}..{} outside the text", t.start, t.end);
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end), "span not on char boundaries");
        assert!(t.start >= last_end, "overlapping or unordered spans");
        assert_eq!(&text[t.start..t.end], t.text);
        assert!(!t.value.to_string().is_empty(), "empty value");
        if let Some(j) = t.alternative_of {
            assert!(j < timexes.len() && j != i, "alternative_of {j} out of range");
        }
        last_end = t.end;
    }
    let mut out = Vec::new();
    write_doc(&mut out, &serde_json::json!("fuzz"), text, timexes).expect("write_doc");
    let rec: DocRecord = serde_json::from_slice(&out).expect("write_doc output parses");
    let recs = rec.timexes.expect("timexes");
    assert_eq!(recs, timex_records(text, timexes));
    let chars = text.chars().count();
    assert!(recs.iter().all(|r| r.start < r.end && r.end <= chars));
}
