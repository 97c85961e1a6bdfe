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
                sentence: e.sentence,
                actors: e.actors.iter().map(|s| span(s.start, s.end, &s.text)).collect(),
                patients: e.patients.iter().map(|s| span(s.start, s.end, &s.text)).collect(),
                anchor: te.anchor.as_ref().map(anchor_record),
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
