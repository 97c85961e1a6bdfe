//! Writers for [`Timeline`]s: the JSON record (schema in docs/timeline.md), CSV and
//! Markdown tables, TimeML with `EVENT`, `MAKEINSTANCE` and `TLINK`, TimelineJS3 JSON
//! and a self-contained HTML page.
//!
//! Every writer takes [`Doc`]s: a timeline with the text it was built from and an id.
//! Offsets written are Unicode code points.

mod html;
mod table;
mod timelinejs;
mod timeml;

use serde::{Deserialize, Serialize};

use crate::format::json::TimexRecord;
use crate::text::CharIndex;
use crate::timeline::{Anchor, Entry, TimedEvent, Timeline};

pub use html::write_html;
pub use table::{write_csv, write_markdown};
pub use timelinejs::{JsDate, JsEvent, JsText, JsTimeline, timelinejs};
pub use timeml::write_timeml;

/// The version of the JSON record written by [`timeline_record`].
pub const SCHEMA: &str = "annalist-timeline/1";

/// A timeline with the text it was built from.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The document id (file name without extension, or a record id).
    pub id: &'a str,
    /// The text the timeline was built on.
    pub text: &'a str,
    /// The timeline.
    pub timeline: &'a Timeline,
}

/// A span of the text, in code points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpanRecord {
    /// Start offset in code points.
    pub start: usize,
    /// End offset (exclusive) in code points.
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

/// An event's anchor in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnchorRecord {
    /// The governing time expression (`t1`, …); absent for the DCT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<String>,
    /// The TIMEX3 value anchored to.
    pub value: String,
    /// Its TIMEX3 `mod`.
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// The end of a range (`relation` = `from_to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// The `tid` of `until`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_tid: Option<String>,
    /// Alternative values ("the 22nd or 23rd").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// `on`, `during`, `before`, `after`, `from_to`, `from`, `until`.
    pub relation: String,
    /// `year`, `month`, `day`, `part_of_day`, ….
    pub granularity: String,
    /// `clause`, `sentence`, `narrative` or `dct`.
    pub source: String,
    /// `stated`, `inferred` or `uncertain`.
    pub certainty: String,
    /// A readable form ("late 1938").
    pub label: String,
    /// Start on the time axis, days since 1970-01-01 (proleptic Gregorian).
    pub axis_start: f64,
    /// End on the time axis (exclusive; equal to `axis_start` for a point).
    pub axis_end: f64,
}

/// One event in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// `e1`, `e2`, … in text order.
    pub eid: String,
    /// Start of the trigger, code points.
    pub start: usize,
    /// End of the trigger, code points.
    pub end: usize,
    /// The trigger word.
    pub trigger: String,
    /// TimeML class.
    pub class: String,
    /// `verb`, `noun`, `adjective`, `other`.
    pub pos: String,
    /// TimeML tense.
    pub tense: String,
    /// TimeML aspect.
    pub aspect: String,
    /// `POS` or `NEG`.
    pub polarity: String,
    /// `actual`, `negated`, `intended_requested`, `hypothetical_conditional`, `future`.
    pub modality: String,
    /// Whether the text says it happened (only these are timeline entries).
    pub occurred: bool,
    /// Why it is or is not an entry: `occurred`, `negated`, `intended_requested`,
    /// `hypothetical_conditional`, `future`, `infinitive`, `writers_present`, `mention`.
    #[serde(default)]
    pub status: String,
    /// Index of its sentence.
    pub sentence: usize,
    /// Who acts.
    pub actors: Vec<SpanRecord>,
    /// Who or what is acted upon.
    pub patients: Vec<SpanRecord>,
    /// Its time, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<AnchorRecord>,
}

/// One timeline entry in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRecord {
    /// 1-based position on the timeline.
    pub position: usize,
    /// The event (`e…`).
    pub eid: String,
    /// Its trigger word.
    pub trigger: String,
    /// Its TimeML class.
    pub class: String,
    /// The anchor value, absent when unanchored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The anchor's `mod`.
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// The end of a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Alternative values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The relation to the anchor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation: Option<String>,
    /// Readable time ("late 1938"), or "undated".
    pub label: String,
    /// False when the event has no time (placed by text order, flagged).
    pub anchored: bool,
    /// `stated`, `inferred`, `uncertain`; absent when unanchored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<String>,
    /// Participants: actors then patients.
    pub who: Vec<String>,
    /// The sentence that says so.
    pub evidence: SpanRecord,
}

/// A document's timeline in JSON (`--to json`, one line of `--to jsonl`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineRecord {
    /// The document id.
    pub id: serde_json::Value,
    /// [`SCHEMA`].
    pub schema: String,
    /// `news` or `narrative`.
    pub domain: String,
    /// The document creation time, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dct: Option<String>,
    /// The sentences: `[start, end)` in code points; events and entries refer to them by index.
    pub sentences: Vec<[usize; 2]>,
    /// The time expressions.
    pub timexes: Vec<TimexRecord>,
    /// Every event, in text order.
    pub events: Vec<EventRecord>,
    /// The events that happened, in chronological order.
    pub timeline: Vec<EntryRecord>,
}

fn enum_str<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `t1`, `t2`, … for timex index `i`.
pub fn tid(i: usize) -> String {
    format!("t{}", i + 1)
}

/// `e1`, `e2`, … for event index `i`.
pub fn eid(i: usize) -> String {
    format!("e{}", i + 1)
}

fn anchor_record(a: &Anchor) -> AnchorRecord {
    AnchorRecord {
        tid: a.timex.map(tid),
        value: a.value.clone(),
        modifier: a.modifier.clone(),
        until: a.until.clone(),
        until_tid: a.until_timex.map(tid),
        alternatives: a.alternatives.clone(),
        relation: a.relation.as_str().to_string(),
        granularity: a.granularity.clone(),
        source: enum_str(&a.source),
        certainty: enum_str(&a.certainty),
        label: a.label.clone(),
        axis_start: a.interval.start,
        axis_end: a.interval.end,
    }
}

/// The readable time of an entry ("late 1938"; "undated" without an anchor).
pub fn when_label(e: &TimedEvent) -> String {
    e.anchor.as_ref().map_or_else(|| "undated".to_string(), |a| a.label.clone())
}

/// Converts a timeline over `text` to its JSON record (code point offsets).
pub fn timeline_record(doc: &Doc) -> TimelineRecord {
    let Doc { id, text, timeline: t } = *doc;
    let ix = CharIndex::new(text);
    let span = |s: usize, e: usize, txt: &str| SpanRecord {
        start: ix.char_offset(s),
        end: ix.char_offset(e),
        text: txt.to_string(),
    };
    let timexes = t
        .timexes
        .iter()
        .enumerate()
        .map(|(i, m)| TimexRecord {
            start: ix.char_offset(m.start),
            end: ix.char_offset(m.end),
            text: m.text.clone(),
            kind: m.kind.as_str().to_string(),
            value: m.value.clone(),
            modifier: m.modifier.clone(),
            freq: m.freq.clone(),
            quant: m.quant.clone(),
            tid: tid(i),
            alternative_of: m.alternative_of.map(tid),
        })
        .collect();
    let events = t
        .events
        .iter()
        .enumerate()
        .map(|(i, te)| {
            let e = &te.event;
            EventRecord {
                eid: eid(i),
                start: ix.char_offset(e.start),
                end: ix.char_offset(e.end),
                trigger: e.trigger.clone(),
                class: e.class.as_str().to_string(),
                pos: enum_str(&e.pos),
                tense: enum_str(&e.tense),
                aspect: enum_str(&e.aspect),
                polarity: enum_str(&e.polarity),
                modality: enum_str(&e.modality),
                occurred: te.occurred,
                status: te.status().to_string(),
                sentence: e.sentence,
                actors: e.actors.iter().map(|s| span(s.start, s.end, &s.text)).collect(),
                patients: e.patients.iter().map(|s| span(s.start, s.end, &s.text)).collect(),
                anchor: te.anchor.as_deref().map(anchor_record),
            }
        })
        .collect();
    let timeline = t
        .entries
        .iter()
        .enumerate()
        .map(|(k, en)| {
            let te = &t.events[en.event];
            let a = te.anchor.as_ref().filter(|_| en.anchored);
            let r = t.sentences.get(en.sentence).cloned().unwrap_or(0..0);
            EntryRecord {
                position: k + 1,
                eid: eid(en.event),
                trigger: te.event.trigger.clone(),
                class: te.event.class.as_str().to_string(),
                when: a.map(|a| a.value.clone()),
                modifier: a.and_then(|a| a.modifier.clone()),
                until: a.and_then(|a| a.until.clone()),
                alternatives: a.map(|a| a.alternatives.clone()).unwrap_or_default(),
                relation: a.map(|a| a.relation.as_str().to_string()),
                label: when_label(te),
                anchored: en.anchored,
                certainty: a.map(|a| enum_str(&a.certainty)),
                who: te.participants().into_iter().map(String::from).collect(),
                evidence: span(r.start, r.end, t.evidence(text, en)),
            }
        })
        .collect();
    TimelineRecord {
        id: serde_json::Value::String(id.to_string()),
        schema: SCHEMA.to_string(),
        domain: enum_str(&t.domain),
        dct: t.dct.clone(),
        sentences: t.sentences.iter().map(|r| [ix.char_offset(r.start), ix.char_offset(r.end)]).collect(),
        timexes,
        events,
        timeline,
    }
}

/// The entries of a timeline with their events, for the table writers.
pub(crate) fn rows(t: &Timeline) -> impl Iterator<Item = (&Entry, &TimedEvent)> {
    t.entries.iter().map(move |e| (e, &t.events[e.event]))
}

/// The JSON record of a timeline, serialized straight from the timeline: the same
/// bytes as [`timeline_record`]`(doc)` under any `serde_json` writer (compact or
/// pretty, alone or in an array), without copying the timeline's strings into a
/// record first. For writing large documents (`annalist timeline --to json|jsonl`).
#[derive(Debug)]
pub struct TimelineJson<'a> {
    doc: Doc<'a>,
    ix: CharIndex,
}

/// [`TimelineJson`] of `doc`.
pub fn timeline_json<'a>(doc: &Doc<'a>) -> TimelineJson<'a> {
    TimelineJson { doc: *doc, ix: CharIndex::new(doc.text) }
}

mod direct {
    //! Borrowed twins of the record types above: same field names, order and
    //! omissions, so `serde_json` writes the same bytes.

    use serde::{Serialize, Serializer};

    use super::TimelineJson;
    use crate::Domain;
    use crate::event::{Aspect, EventPos, Modality, Polarity, Tense};
    use crate::text::CharIndex;
    use crate::timeline::{Anchor, AnchorSource, Certainty};

    /// `t12` / `e3`: a prefix and a 0-based index, written 1-based.
    #[derive(Clone, Copy)]
    pub(super) struct Id(pub char, pub usize);

    impl Serialize for Id {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(&format_args!("{}{}", self.0, self.1 + 1))
        }
    }

    /// A sequence serialized from an iterator made on demand.
    pub(super) struct Seq<F>(pub F);

    impl<F, I> Serialize for Seq<F>
    where
        F: Fn() -> I,
        I: Iterator,
        I::Item: Serialize,
    {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq((self.0)())
        }
    }

    #[derive(Serialize)]
    pub(super) struct Span<'a> {
        pub start: usize,
        pub end: usize,
        pub text: &'a str,
    }

    #[derive(Serialize)]
    pub(super) struct TimexJ<'a> {
        pub start: usize,
        pub end: usize,
        pub text: &'a str,
        #[serde(rename = "type")]
        pub kind: &'static str,
        pub value: &'a str,
        #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
        pub modifier: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub freq: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub quant: Option<&'a str>,
        pub tid: Id,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub alternative_of: Option<Id>,
    }

    #[derive(Serialize)]
    pub(super) struct AnchorJ<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub tid: Option<Id>,
        pub value: &'a str,
        #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
        pub modifier: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub until: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub until_tid: Option<Id>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        pub alternatives: &'a [String],
        pub relation: &'static str,
        pub granularity: &'a str,
        pub source: AnchorSource,
        pub certainty: Certainty,
        pub label: &'a str,
        pub axis_start: f64,
        pub axis_end: f64,
    }

    pub(super) fn anchor(a: &Anchor) -> AnchorJ<'_> {
        AnchorJ {
            tid: a.timex.map(|t| Id('t', t)),
            value: &a.value,
            modifier: a.modifier.as_deref(),
            until: a.until.as_deref(),
            until_tid: a.until_timex.map(|t| Id('t', t)),
            alternatives: &a.alternatives,
            relation: a.relation.as_str(),
            granularity: &a.granularity,
            source: a.source,
            certainty: a.certainty,
            label: &a.label,
            axis_start: a.interval.start,
            axis_end: a.interval.end,
        }
    }

    #[derive(Serialize)]
    pub(super) struct EventJ<'a> {
        pub eid: Id,
        pub start: usize,
        pub end: usize,
        pub trigger: &'a str,
        pub class: &'static str,
        pub pos: EventPos,
        pub tense: Tense,
        pub aspect: Aspect,
        pub polarity: Polarity,
        pub modality: Modality,
        pub occurred: bool,
        pub status: &'static str,
        pub sentence: usize,
        pub actors: Spans<'a>,
        pub patients: Spans<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub anchor: Option<AnchorJ<'a>>,
    }

    #[derive(Serialize)]
    pub(super) struct EntryJ<'a> {
        pub position: usize,
        pub eid: Id,
        pub trigger: &'a str,
        pub class: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub when: Option<&'a str>,
        #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
        pub modifier: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub until: Option<&'a str>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        pub alternatives: &'a [String],
        #[serde(skip_serializing_if = "Option::is_none")]
        pub relation: Option<&'static str>,
        pub label: &'a str,
        pub anchored: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub certainty: Option<Certainty>,
        pub who: Vec<&'a str>,
        pub evidence: Span<'a>,
    }

    #[derive(Serialize)]
    pub(super) struct RecordJ<'a, S, T, E, L> {
        pub id: &'a str,
        pub schema: &'static str,
        pub domain: Domain,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub dct: Option<&'a str>,
        pub sentences: S,
        pub timexes: T,
        pub events: E,
        pub timeline: L,
    }

    /// Participants as a sequence of spans.
    pub(super) struct Spans<'a>(pub &'a CharIndex, pub &'a [crate::event::Span]);

    impl Serialize for Spans<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let ix = self.0;
            s.collect_seq(self.1.iter().map(|p| Span {
                start: ix.char_offset(p.start),
                end: ix.char_offset(p.end),
                text: &p.text,
            }))
        }
    }

    impl<'a> Serialize for TimelineJson<'a> {
        fn serialize<S: Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
            let (ix, t, text) = (&self.ix, self.doc.timeline, self.doc.text);
            let timex = |(i, m): (usize, &'a crate::timeline::TimeMention)| TimexJ {
                start: ix.char_offset(m.start),
                end: ix.char_offset(m.end),
                text: &m.text,
                kind: m.kind.as_str(),
                value: &m.value,
                modifier: m.modifier.as_deref(),
                freq: m.freq.as_deref(),
                quant: m.quant.as_deref(),
                tid: Id('t', i),
                alternative_of: m.alternative_of.map(|j| Id('t', j)),
            };
            let event = |(i, te): (usize, &'a crate::timeline::TimedEvent)| {
                let e = &te.event;
                EventJ {
                    eid: Id('e', i),
                    start: ix.char_offset(e.start),
                    end: ix.char_offset(e.end),
                    trigger: &e.trigger,
                    class: e.class.as_str(),
                    pos: e.pos,
                    tense: e.tense,
                    aspect: e.aspect,
                    polarity: e.polarity,
                    modality: e.modality,
                    occurred: te.occurred,
                    status: te.status(),
                    sentence: e.sentence,
                    actors: Spans(ix, &e.actors),
                    patients: Spans(ix, &e.patients),
                    anchor: te.anchor.as_deref().map(anchor),
                }
            };
            let entry = |(k, en): (usize, &'_ crate::timeline::Entry)| {
                let te = &t.events[en.event];
                let a = te.anchor.as_ref().filter(|_| en.anchored);
                let r = t.sentences.get(en.sentence).cloned().unwrap_or(0..0);
                EntryJ {
                    position: k + 1,
                    eid: Id('e', en.event),
                    trigger: &te.event.trigger,
                    class: te.event.class.as_str(),
                    when: a.map(|a| a.value.as_str()),
                    modifier: a.and_then(|a| a.modifier.as_deref()),
                    until: a.and_then(|a| a.until.as_deref()),
                    alternatives: a.map_or(&[][..], |a| &a.alternatives[..]),
                    relation: a.map(|a| a.relation.as_str()),
                    // As `when_label`.
                    label: te.anchor.as_ref().map_or("undated", |a| a.label.as_str()),
                    anchored: en.anchored,
                    certainty: a.map(|a| a.certainty),
                    who: te.participants(),
                    evidence: Span {
                        start: ix.char_offset(r.start),
                        end: ix.char_offset(r.end),
                        text: t.evidence(text, en),
                    },
                }
            };
            RecordJ {
                id: self.doc.id,
                schema: super::SCHEMA,
                domain: t.domain,
                dct: t.dct.as_deref(),
                sentences: Seq(|| t.sentences.iter().map(|r| [ix.char_offset(r.start), ix.char_offset(r.end)])),
                timexes: Seq(|| t.timexes.iter().enumerate().map(timex)),
                events: Seq(|| t.events.iter().enumerate().map(event)),
                timeline: Seq(|| t.entries.iter().enumerate().map(entry)),
            }
            .serialize(ser)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventTagger;
    use crate::{Context, Domain, Tagger};

    /// [`timeline_json`] writes the bytes of [`timeline_record`], compact and pretty,
    /// alone and in arrays.
    #[test]
    fn direct_json_is_the_record_json() {
        let texts = [
            "In May 1520, the fleet sailed from Seville. On 3 June 1520 the crew reached the cape. \
             The captain did not sail home. Envoys from Zürich asked him to return on the 22nd or 23rd.",
            "From May to July 1939 the talks between Britain and France dragged on; the envoy had left \
             by 1938. Günther said the army would attack, and it attacked \"at dawn\" — twice.",
            "The council will meet next week. It met yesterday and voted; it is meeting now. At the end of \
             1938 the king had resigned.",
            "",
            "no times here, only words",
        ];
        let (tagger, events) = (Tagger::new(), EventTagger::new());
        let ctxs = [Context::narrative(), Context::with_dct("1998-02-13", Domain::News).unwrap()];
        let mut built = Vec::new();
        for (k, text) in texts.iter().enumerate() {
            let tl = crate::timeline::build(text, &ctxs[k % 2], &tagger, &events);
            built.push((format!("doc-{k}"), text, tl));
        }
        let docs: Vec<Doc> = built.iter().map(|(id, text, tl)| Doc { id, text, timeline: tl }).collect();
        for d in &docs {
            let (rec, direct) = (timeline_record(d), timeline_json(d));
            assert_eq!(serde_json::to_string(&direct).unwrap(), serde_json::to_string(&rec).unwrap());
            assert_eq!(serde_json::to_string_pretty(&direct).unwrap(), serde_json::to_string_pretty(&rec).unwrap());
        }
        let recs: Vec<_> = docs.iter().map(timeline_record).collect();
        let direct: Vec<_> = docs.iter().map(timeline_json).collect();
        assert_eq!(serde_json::to_string_pretty(&direct).unwrap(), serde_json::to_string_pretty(&recs).unwrap());
        // The texts exercise anchors, ranges, alternatives, participants and non-ASCII offsets.
        let all = serde_json::to_string(&recs).unwrap();
        for key in ["\"anchor\"", "\"alternatives\"", "\"until\"", "\"actors\":[{", "\"dct\"", "\"mod\""] {
            assert!(all.contains(key), "no {key} in the test documents");
        }
    }
}
