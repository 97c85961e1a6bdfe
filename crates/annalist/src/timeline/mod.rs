//! Timelines: who did what, when.
//!
//! [`build`] runs the temporal tagger and the event tagger over a text and gives every
//! event a time ([`Anchor`]): the time expression that governs it in its clause or
//! sentence ("On August 22nd, the envoy flew"), else the time the narrative has reached
//! (or, in news, the document creation time by tense), else none. The [`Timeline`] then
//! orders the events that are said to have happened by that time; events that were
//! only asked for, planned, hypothetical or negated keep their anchor but are not
//! placed on the timeline.
//!
//! ```
//! use annalist::event::EventTagger;
//! use annalist::timeline::{self, Relation};
//! use annalist::{Context, Tagger};
//!
//! let text = "In May 1520, the fleet sailed from Seville. On 3 June 1520 the crew reached \
//!             the cape. The captain did not return home.";
//! let tl = timeline::build(text, &Context::narrative(), &Tagger::new(), &EventTagger::new());
//! let order: Vec<&str> = tl.entries.iter().map(|e| tl.events[e.event].event.trigger.as_str()).collect();
//! assert_eq!(order, ["sailed", "reached"]);
//! let reached = tl.events.iter().find(|e| e.event.trigger == "reached").unwrap();
//! let anchor = reached.anchor.as_ref().unwrap();
//! assert_eq!((anchor.value.as_str(), anchor.relation), ("1520-06-03", Relation::On));
//! let back = tl.events.iter().find(|e| e.event.trigger == "return").unwrap();
//! assert!(!back.occurred); // negated: not on the timeline
//! ```
//!
//! Offsets are byte offsets into the text, as everywhere in the library; the writers
//! in [`crate::format::timeline`] convert them to code points.

mod anchor;
pub mod calendar;
pub mod eval;
mod participants;
#[cfg(test)]
mod tests;

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::event::{Aspect, Event, EventTagger, Modality, Polarity, Tense};
use crate::{Context, Domain, Tagger, Timex, TimexType};

pub use calendar::Interval;

/// How an event relates to the time it is anchored to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// At a day or finer ("on August 22nd", "in the evening").
    On,
    /// Within a longer period ("in May", "at the end of 1938").
    During,
    /// Before it ("before 1939", "had already left", past tense before the DCT).
    Before,
    /// After it ("after 1945", future tense after the DCT).
    After,
    /// Over a range, from the anchor to `until` ("from May to July").
    FromTo,
    /// Beginning at it ("since 1936", "from 1936 on").
    From,
    /// Lasting until it ("until 1941").
    Until,
    /// Going on at it: a present-tense state or activity at the document creation time.
    Includes,
}

impl Relation {
    /// The snake_case name used in JSON (`on`, `during`, `from_to`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::On => "on",
            Relation::During => "during",
            Relation::Before => "before",
            Relation::After => "after",
            Relation::FromTo => "from_to",
            Relation::From => "from",
            Relation::Until => "until",
            Relation::Includes => "includes",
        }
    }

    /// The TimeML `relType` of a TLINK from the event to the time.
    pub fn tlink_rel_type(self) -> &'static str {
        match self {
            Relation::On | Relation::During => "IS_INCLUDED",
            Relation::Before => "BEFORE",
            Relation::After => "AFTER",
            Relation::FromTo => "DURING",
            Relation::From => "BEGUN_BY",
            Relation::Until => "ENDED_BY",
            Relation::Includes => "INCLUDES",
        }
    }
}

/// Where an event's time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorSource {
    /// A time expression in the same clause ("flew to Moscow on August 22nd").
    Clause,
    /// A time expression heading the sentence ("On August 22nd, …, the envoy flew").
    Sentence,
    /// The time the narrative has reached (no time expression in the sentence governs it).
    Narrative,
    /// The document creation time, by tense (news).
    Dct,
}

/// How sure the anchor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// A time expression governing the event states it.
    Stated,
    /// Inferred from the narrative's reference time or the document creation time.
    Inferred,
    /// Stated, but as alternatives ("the 22nd or 23rd") or approximately ("about 1450").
    Uncertain,
}

/// The time an event is anchored to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// The governing time expression (index into [`Timeline::timexes`]); `None` for the DCT.
    pub timex: Option<usize>,
    /// The TIMEX3 value of the anchor ("1939-08-22", "1938").
    pub value: String,
    /// The TIMEX3 `mod` of the governing expression ("END" for "the end of 1938").
    pub modifier: Option<String>,
    /// The end of a range ("from May to July": "1939-07"), for [`Relation::FromTo`].
    pub until: Option<String>,
    /// The time expression of `until`.
    pub until_timex: Option<usize>,
    /// Other values the text allows ("the 22nd or 23rd": "1939-08-23").
    pub alternatives: Vec<String>,
    /// The time expressions of `alternatives`.
    pub alternative_timexes: Vec<usize>,
    /// How the event relates to the anchor.
    pub relation: Relation,
    /// How fine the anchor is: `year`, `month`, `day`, `part_of_day`, … (the coarsest
    /// of the expressions involved).
    pub granularity: String,
    /// Where the anchor comes from.
    pub source: AnchorSource,
    /// How sure it is.
    pub certainty: Certainty,
    /// Where the event sits on the time axis (days since 1970-01-01).
    pub interval: Interval,
    /// The anchor as a person writes it ("late 1938", "22 or 23 August 1939").
    pub label: String,
}

/// A time expression of the document, as the timeline uses it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeMention {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// TIMEX3 value.
    pub value: String,
    /// TIMEX3 `mod`.
    pub modifier: Option<String>,
    /// TIMEX3 `freq` (sets).
    pub freq: Option<String>,
    /// TIMEX3 `quant` (sets).
    pub quant: Option<String>,
    /// Index of the expression this one is an alternative to.
    pub alternative_of: Option<usize>,
    /// Index of its sentence in [`Timeline::sentences`].
    pub sentence: usize,
    /// Where it sits on the time axis, when it is a placeable date or time.
    pub interval: Option<Interval>,
}

/// An event with its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimedEvent {
    /// The event as the event tagger found it (class, tense, modality, participants).
    pub event: Event,
    /// Said to have happened: modality `actual`, positive polarity and not a bare
    /// infinitive ("in order to avoid"). Events that were only asked for, planned,
    /// hypothetical, future or negated are `false` and are not timeline entries.
    pub occurred: bool,
    /// Participants found around the event that the event tagger did not attach: the
    /// subject list of a verb it gave no actor ("Stalin, Molotov and Ribbentrop held"),
    /// names after "to"/"with"/"against" ("sent a telegram to Stalin").
    pub more_participants: Vec<crate::event::Span>,
    /// The time it is anchored to, if any (shared: every event that inherits the same
    /// anchor points to one copy).
    pub anchor: Option<Arc<Anchor>>,
    /// Why an event the tagger calls actual is still not a timeline entry, if so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_entry: Option<NotEntry>,
}

/// Why an asserted event is not a timeline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotEntry {
    /// A present tense with no time of its own in a past narrative: the writer's or a
    /// historian's present ("Sealey suggests that …", "for more, see …"), not a step
    /// of the story.
    WritersPresent,
    /// A definite event noun with no time of its own that repeats one the text has
    /// already mentioned ("the war"): the same event again, not a new one.
    Mention,
}

impl TimedEvent {
    /// The participants' texts: actors first, then
    /// [`more_participants`](Self::more_participants), then patients, without repeats.
    pub fn participants(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for s in self.event.actors.iter().chain(&self.more_participants).chain(&self.event.patients) {
            if !out.iter().any(|o| o.eq_ignore_ascii_case(&s.text)) {
                out.push(&s.text);
            }
        }
        out
    }

    /// Why the event is not an occurrence (`"negated"`, `"intended_requested"`, …), if it is not.
    pub fn status(&self) -> &'static str {
        if self.occurred {
            return "occurred";
        }
        match (self.event.polarity, self.event.modality) {
            (Polarity::Neg, _) | (_, Modality::Negated) => "negated",
            (_, Modality::IntendedRequested) => "intended_requested",
            (_, Modality::HypotheticalConditional) => "hypothetical_conditional",
            (_, Modality::Future) => "future",
            (_, Modality::Actual) if self.event.tense == Tense::Infinitive => "infinitive",
            (_, Modality::Actual) => match self.not_entry {
                Some(NotEntry::WritersPresent) => "writers_present",
                Some(NotEntry::Mention) => "mention",
                None => "occurred",
            },
        }
    }
}

/// One place on the timeline: an event that happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Index into [`Timeline::events`].
    pub event: usize,
    /// False for an event with no time: it is placed by text order after the anchored
    /// event that precedes it in the text, and flagged.
    pub anchored: bool,
    /// Where it sits on the time axis (`None` when not anchored).
    pub interval: Option<Interval>,
    /// Index of the sentence that is its evidence, in [`Timeline::sentences`].
    pub sentence: usize,
}

/// A document's events, their times and the ordered timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// The domain the document was read in (`news` or `narrative`).
    pub domain: Domain,
    /// The document creation time, when known (TIMEX3 value).
    pub dct: Option<String>,
    /// Byte ranges of the sentences.
    pub sentences: Vec<Range<usize>>,
    /// The time expressions, in text order.
    pub timexes: Vec<TimeMention>,
    /// Every event, in text order, with its anchor.
    pub events: Vec<TimedEvent>,
    /// The events that happened, in chronological order (ties by text order), with
    /// unanchored ones placed by text order between their neighbours.
    pub entries: Vec<Entry>,
}

impl Timeline {
    /// The sentence text of an entry (its evidence), from the text the timeline was built on.
    pub fn evidence<'t>(&self, text: &'t str, entry: &Entry) -> &'t str {
        self.sentences.get(entry.sentence).and_then(|r| text.get(r.clone())).unwrap_or("")
    }

    /// The number of entries that have a time.
    pub fn anchored_entries(&self) -> usize {
        self.entries.iter().filter(|e| e.anchored).count()
    }
}

/// Tags `text` for time expressions and events and builds its timeline.
pub fn build(text: &str, ctx: &Context, tagger: &Tagger, events: &EventTagger) -> Timeline {
    // The sentences serve both taggers; the event tagger's tokens are reused for the participants.
    let sentences = crate::text::sentences(text);
    let timexes = tagger.tag_in(text, ctx, &sentences);
    let (mut toks, mut starts) = (Vec::new(), Vec::new());
    let evs = events.events_in(text, &sentences, Some((&mut toks, &mut starts)));
    build_parts(text, ctx, &timexes, evs, sentences, Some((&toks, &starts)))
}

/// Builds the timeline of `text` from time expressions and events already found in it
/// (byte offsets into `text`, in text order).
pub fn build_from(text: &str, ctx: &Context, timexes: &[Timex], events: Vec<Event>) -> Timeline {
    build_parts(text, ctx, timexes, events, crate::text::sentences(text), None)
}

/// [`build_from`] given the sentences of `text` and, optionally, their tokens (all of
/// them in order, and where each sentence's start, as `EventTagger::events_in` gives
/// them).
fn build_parts(
    text: &str,
    ctx: &Context,
    timexes: &[Timex],
    events: Vec<Event>,
    sentences: Vec<std::ops::Range<usize>>,
    tokens: Option<(&[crate::event::token::Token], &[usize])>,
) -> Timeline {
    // A DCT out of range is ignored, as the tagger ignores it.
    let ctx = &ctx.checked();
    let sentence_of = |pos: usize| sentences.partition_point(|r| r.end <= pos).min(sentences.len().saturating_sub(1));
    let mentions: Vec<TimeMention> = timexes
        .iter()
        .map(|t| TimeMention {
            start: t.start,
            end: t.end,
            text: t.text.clone(),
            kind: t.kind,
            value: t.value.to_string(),
            modifier: t.modifier.map(|m| m.as_str().to_string()),
            freq: t.freq.clone(),
            quant: t.quant.clone(),
            alternative_of: t.alternative_of,
            sentence: sentence_of(t.start),
            interval: match t.kind {
                TimexType::Date | TimexType::Time => calendar::value_interval(&t.value).map(|i| i.narrowed(t.modifier)),
                _ => None,
            },
        })
        .collect();
    // An event word inside a time expression ("the end of 1938") is part of the time.
    let events: Vec<Event> = {
        // Timexes are in text order: a moving window finds the ones that could contain an event.
        let mut j = 0;
        events
            .into_iter()
            .filter(|e| {
                while j < timexes.len() && timexes[j].end <= e.start {
                    j += 1;
                }
                !timexes[j..].iter().take_while(|t| t.start <= e.start).any(|t| e.end <= t.end)
            })
            .collect()
    };
    let domain = ctx.effective_domain();
    let anchors = anchor::anchor_events(text, &sentences, timexes, &mentions, &events, ctx);
    // Extra participants, one sentence at a time (its events, time expressions, tokens).
    let mut more: Vec<Vec<crate::event::Span>> = vec![Vec::new(); events.len()];
    let mut toks = Vec::new();
    let (mut e0, mut t0) = (0, 0);
    for (si, s) in sentences.iter().enumerate() {
        let mut e1 = e0;
        while e1 < events.len() && sentence_of(events[e1].start) <= si {
            e1 += 1;
        }
        let mut t1 = t0;
        while t1 < timexes.len() && sentence_of(timexes[t1].start) <= si {
            t1 += 1;
        }
        if e1 > e0 {
            let sentence_toks = match tokens {
                Some((all, starts)) => &all[starts[si]..starts[si + 1]],
                None => {
                    toks.clear();
                    crate::event::token::tokenize_into(text, s.start, s.end, &mut toks);
                    &toks[..]
                }
            };
            for (k, m) in more[e0..e1].iter_mut().enumerate() {
                *m = participants::supplement(text, &events[e0..e1], k, &timexes[t0..t1], sentence_toks);
            }
        }
        (e0, t0) = (e1, t1);
    }
    let not_entries = not_entries(text, &events, &anchors, domain);
    let events: Vec<TimedEvent> = events
        .into_iter()
        .zip(anchors)
        .zip(more)
        .zip(not_entries)
        .map(|(((event, anchor), more_participants), not_entry)| {
            let occurred = is_occurrence(&event) && not_entry.is_none();
            TimedEvent { event, occurred, anchor, more_participants, not_entry }
        })
        .collect();
    let entries = order(&events);
    Timeline { domain, dct: ctx.dct.map(|d| d.to_string()), sentences, timexes: mentions, events, entries }
}

/// Which asserted events are not timeline entries ([`NotEntry`]); all are unanchored.
fn not_entries(text: &str, events: &[Event], anchors: &[Option<Arc<Anchor>>], domain: Domain) -> Vec<Option<NotEntry>> {
    const DEFINITE: &[&str] = &["the", "this", "that", "these", "those", "its", "their", "his", "her"];
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(events.len());
    // A past narrative: more finite verbs in the past than in the present.
    let finite = |t: Tense| events.iter().filter(|e| e.pos == crate::event::EventPos::Verb && e.tense == t).count();
    let past_narrative = domain == Domain::Narrative && finite(Tense::Past) > finite(Tense::Present);
    let mut lower = String::new();
    for (e, a) in events.iter().zip(anchors) {
        // The lowercase trigger, in a reused buffer (`to_lowercase` when not ASCII).
        if e.trigger.is_ascii() {
            lower.clear();
            lower.push_str(&e.trigger);
            lower.make_ascii_lowercase();
        } else {
            lower = e.trigger.to_lowercase();
        }
        let known = seen.contains(lower.as_str());
        let mut why = None;
        if a.is_none() && is_occurrence(e) {
            if past_narrative
                && e.pos == crate::event::EventPos::Verb
                && e.tense == Tense::Present
                && present_form(text, e)
            {
                why = Some(NotEntry::WritersPresent);
            } else if e.pos == crate::event::EventPos::Noun && known {
                let before = text.get(..e.start).unwrap_or("").trim_end();
                let det = before.rsplit(|c: char| !c.is_alphanumeric() && c != '\'').next().unwrap_or("");
                if DEFINITE.iter().any(|d| det.eq_ignore_ascii_case(d)) || det.ends_with("'s") {
                    why = Some(NotEntry::Mention);
                }
            }
        }
        if !known {
            seen.insert(lower.clone());
        }
        out.push(why);
    }
    out
}

/// Whether a verb the event tagger calls present is written in a present form: after
/// a present auxiliary ("has accepted", "are intended"), with the third-person "-s"
/// ("suggests"), or a base form of saying and thinking ("historians believe", "see").
/// The tagger's tense is sometimes present for a past form ("knew"): those stay.
fn present_form(text: &str, e: &Event) -> bool {
    const BASE: &[&str] = &[
        "believe", "argue", "suggest", "say", "write", "claim", "consider", "estimate", "note", "agree", "think",
        "describe", "see", "maintain", "assert", "contend", "doubt", "regard", "view", "call", "know", "remain",
    ];
    let w = e.trigger.to_lowercase();
    let before = text.get(..e.start).unwrap_or("");
    let prev = before
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .rev()
        .filter(|p| !p.is_empty())
        .find(|p| !p.ends_with("ly") && !matches!(*p, "not" | "also" | "still" | "now" | "often" | "long"))
        .unwrap_or("")
        .to_lowercase();
    match prev.as_str() {
        "is" | "are" | "am" | "has" | "have" | "do" | "does" => true,
        "was" | "were" | "had" | "did" | "been" | "be" | "being" | "to" => false,
        _ => (w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us")) || BASE.contains(&w.as_str()),
    }
}

/// Whether an event is said to have happened (see [`TimedEvent::occurred`]).
pub(crate) fn is_occurrence(e: &Event) -> bool {
    e.modality == Modality::Actual && e.polarity == Polarity::Pos && e.tense != Tense::Infinitive
}

/// Orders the occurred events: anchored ones by interval start, ties by text order;
/// each unanchored one right after the anchored event that precedes it in the text
/// (or first, when none does).
fn order(events: &[TimedEvent]) -> Vec<Entry> {
    // Anchored entries with their sort key: the interval's start, then events before a
    // time just before events at it. Ties go by text order, so the order is total and an
    // unstable sort gives the one sorted order.
    let mut keyed: Vec<(f64, u8, Entry)> = Vec::new();
    let mut loose: Vec<Entry> = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if !e.occurred {
            continue;
        }
        let interval = e.anchor.as_ref().map(|a| a.interval);
        let entry = Entry { event: i, anchored: interval.is_some(), interval, sentence: e.event.sentence };
        match &e.anchor {
            Some(a) => keyed.push((a.interval.start, if a.relation == Relation::Before { 0 } else { 1 }, entry)),
            None => loose.push(entry),
        }
    }
    keyed.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.event.cmp(&b.2.event)));
    let anchored: Vec<Entry> = keyed.into_iter().map(|(_, _, e)| e).collect();
    if loose.is_empty() {
        return anchored;
    }
    // Unanchored events follow the anchored event just before them in the text.
    let mut slot_of = vec![usize::MAX; events.len()];
    for (k, a) in anchored.iter().enumerate() {
        slot_of[a.event] = k + 1;
    }
    let mut after: Vec<Vec<Entry>> = vec![Vec::new(); anchored.len() + 1];
    let mut last = 0;
    let mut loose = loose.into_iter().peekable();
    for (i, &slot) in slot_of.iter().enumerate() {
        if slot != usize::MAX {
            last = slot;
        }
        while loose.peek().is_some_and(|l| l.event == i) {
            after[last].extend(loose.next());
        }
    }
    let mut out = Vec::with_capacity(events.len());
    let mut slots = after.into_iter();
    out.extend(slots.next().unwrap_or_default());
    for (a, tail) in anchored.into_iter().zip(slots) {
        out.push(a);
        out.extend(tail);
    }
    out
}

/// A TimeML TLINK between an event and a time, as the timeline claims it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLink {
    /// Index into [`Timeline::events`].
    pub event: usize,
    /// Index into [`Timeline::timexes`]; `None` for the document creation time.
    pub time: Option<usize>,
    /// TimeML `relType` from the event to the time (`IS_INCLUDED`, `BEFORE`, …).
    pub rel_type: String,
    /// Where the link comes from: the anchor's source (`clause`, `sentence`,
    /// `narrative`, `dct`) or `tense` for an event–DCT link from the verb's tense.
    pub origin: String,
}

/// The event–time and event–DCT links of a timeline:
///
/// - each anchored event is linked to its anchor (a range "from May to July" gives
///   `BEGUN_BY` May and `ENDED_BY` July; alternatives "the 22nd or 23rd" give no link,
///   since neither is asserted);
/// - when the document has a creation time, each finite verb not already anchored to
///   it is linked to it by tense: past and present perfect `BEFORE`, present
///   `INCLUDES`, future `AFTER` (the relations the TimeBank annotators chose most
///   often for each tense).
pub fn tlinks(t: &Timeline) -> Vec<TimeLink> {
    let mut out = Vec::new();
    for (i, te) in t.events.iter().enumerate() {
        let mut to_dct = false;
        // A narrative anchor made coarser than its time expression ("May 1917" from
        // "3 May 1917") is not what the expression says: no link.
        let coarsened = |a: &Anchor| a.timex.is_some_and(|x| t.timexes.get(x).is_some_and(|m| m.value != a.value));
        if let Some(a) = &te.anchor
            && a.alternatives.is_empty()
            && !coarsened(a)
        {
            let origin = serde_json::to_value(a.source).ok().and_then(|v| v.as_str().map(String::from));
            let origin = origin.unwrap_or_default();
            match (a.relation, a.until_timex) {
                (Relation::FromTo, Some(u)) => {
                    out.push(TimeLink { event: i, time: a.timex, rel_type: "BEGUN_BY".into(), origin: origin.clone() });
                    out.push(TimeLink { event: i, time: Some(u), rel_type: "ENDED_BY".into(), origin });
                }
                (r, _) => {
                    out.push(TimeLink { event: i, time: a.timex, rel_type: r.tlink_rel_type().into(), origin });
                }
            }
            to_dct = a.timex.is_none();
        }
        if t.dct.is_some() && !to_dct && te.event.pos == crate::event::EventPos::Verb {
            let perfect = matches!(te.event.aspect, Aspect::Perfective | Aspect::PerfectiveProgressive);
            let rel = match te.event.tense {
                crate::event::Tense::Past => "BEFORE",
                crate::event::Tense::Present if perfect => "BEFORE",
                crate::event::Tense::Present => "INCLUDES",
                crate::event::Tense::Future => "AFTER",
                _ => continue,
            };
            out.push(TimeLink { event: i, time: None, rel_type: rel.into(), origin: "tense".into() });
        }
    }
    out
}
