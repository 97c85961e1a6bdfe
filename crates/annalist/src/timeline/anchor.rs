//! Giving each event a time.
//!
//! Each sentence is cut into segments (clauses, roughly) at punctuation and at
//! subordinating words. A time expression, with its alternatives ("the 22nd or 23rd")
//! and range partner ("from May to July"), is a *unit*. An event takes, in order:
//!
//! 1. the nearest unit in its own segment that no other verb event stands between
//!    ("flew to Moscow on August 22nd"; in "asking X to allow Y to visit on the 22nd"
//!    the date governs *visit*, not *asking*);
//! 2. else a unit in a segment of its sentence that holds no event — a fronted
//!    adverbial ("On August 20th, …") or, failing that, a trailing one; for a
//!    participle or a noun, else the nearest unit of its sentence;
//! 3. else, in narratives, the reference time: the unit that last anchored an event
//!    that happened (verbs in a past form only; a past perfect is `before` it);
//! 4. else the document creation time by tense (news, or a narrative given a DCT):
//!    past and present perfect `before`, present `includes`, future `after`.

use std::ops::Range;
use std::sync::Arc;

use super::calendar::{self, Interval, granularity_name};
use super::{Anchor, AnchorSource, Certainty, Relation, TimeMention};
use crate::event::{Aspect, Event, EventClass, EventPos, Tense};
use crate::value::{Granularity, Mod, Value};
use crate::{Context, Domain, Timex, TimexType};

/// A time expression with its alternatives and range end, as one anchor candidate.
#[derive(Debug, Clone)]
struct Unit {
    base: usize,
    alts: Vec<usize>,
    until: Option<usize>,
    start: usize,
    end: usize,
    relation: Relation,
    bound_occurred: bool,
    bound_any: bool,
    /// A modifier of a noun ("the 1862 siege"): it dates that noun only.
    attributive: bool,
    /// In parentheses ("Ames (1801–1870)"): an aside, used by a clause only when no other
    /// time of its sentence is free; when it dates nothing it does not move the story.
    aside: bool,
}

fn placeable(t: &Timex, m: &TimeMention) -> bool {
    matches!(t.kind, TimexType::Date | TimexType::Time) && m.interval.is_some()
}

fn granularity(v: &Value) -> Granularity {
    match v {
        Value::Date(d) => d.granularity(),
        _ => Granularity::Year,
    }
}

/// The lowercase words of `s`, last first.
fn last_words(s: &str, n: usize) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .rev()
        .filter(|w| !w.eq_ignore_ascii_case("the"))
        .take(n)
        .map(|w| w.to_ascii_lowercase())
        .collect()
}

/// The relation a preposition before a time expression gives ("before 1939").
fn relation_before(prefix: &str, t: &Timex) -> Relation {
    let w = last_words(prefix, 2);
    let w0 = w.first().map(String::as_str).unwrap_or("");
    let w1 = w.get(1).map(String::as_str).unwrap_or("");
    match (w0, w1) {
        ("before", _) | ("by", _) | ("to", "prior") => return Relation::Before,
        ("after", _) | ("following", _) => return Relation::After,
        ("since", _) | ("from", _) => return Relation::From,
        ("until", _) | ("till", _) | ("til", _) => return Relation::Until,
        _ => {}
    }
    match t.modifier {
        Some(Mod::Before | Mod::OnOrBefore) => Relation::Before,
        Some(Mod::After | Mod::OnOrAfter) => Relation::After,
        _ if granularity(&t.value) >= Granularity::Day => Relation::On,
        _ => Relation::During,
    }
}

/// The units of the document, in text order.
fn units(text: &str, sentences: &[Range<usize>], timexes: &[Timex], mentions: &[TimeMention]) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut unit_of = vec![usize::MAX; timexes.len()];
    for (i, t) in timexes.iter().enumerate() {
        if !placeable(t, &mentions[i]) {
            continue;
        }
        if let Some(b) = t.alternative_of
            && b < i
            && unit_of[b] != usize::MAX
        {
            let u = &mut out[unit_of[b]];
            u.alts.push(i);
            u.end = u.end.max(t.end);
            unit_of[i] = unit_of[b];
            continue;
        }
        let s = &sentences[mentions[i].sentence];
        let prefix = text.get(s.start.min(t.start)..t.start).unwrap_or("");
        unit_of[i] = out.len();
        out.push(Unit {
            base: i,
            alts: Vec::new(),
            until: None,
            start: t.start,
            end: t.end,
            relation: relation_before(prefix, t),
            bound_occurred: false,
            bound_any: false,
            attributive: false,
            aside: false,
        });
    }
    // Ranges: "from May to July", "between 1939 and 1945", "1939 – 1945".
    let mut merged: Vec<Unit> = Vec::with_capacity(out.len());
    let mut it = out.into_iter().peekable();
    while let Some(mut u) = it.next() {
        if let Some(v) = it.peek()
            && mentions[u.base].sentence == mentions[v.base].sentence
            && u.alts.is_empty()
            && v.alts.is_empty()
        {
            let between = text.get(u.end..v.start).unwrap_or("").trim().to_ascii_lowercase();
            let s = &sentences[mentions[u.base].sentence];
            let before = last_words(text.get(s.start.min(u.start)..u.start).unwrap_or(""), 1);
            let before = before.first().map(String::as_str).unwrap_or("");
            let range = match between.as_str() {
                "to" | "until" | "till" | "through" | "into" => before == "from",
                "and" => before == "between",
                "-" | "–" | "—" => true,
                _ => false,
            };
            if range {
                let v = it.next().expect("peeked");
                u.until = Some(v.base);
                u.end = v.end;
                u.relation = Relation::FromTo;
            }
        }
        merged.push(u);
    }
    merged
}

/// Words that begin a new segment (clause).
const SUBORDINATORS: &[&str] =
    &["when", "while", "because", "although", "though", "whereas", "which", "who", "whom", "where", "whereupon"];

/// Byte offsets in `s` where a new segment (clause) begins.
fn segment_breaks(text: &str, s: &Range<usize>, timexes: &[Timex], tx: &Range<usize>) -> Vec<usize> {
    let inside = |p: usize| timexes[tx.clone()].iter().any(|t| t.start < p && p < t.end);
    let mut out = Vec::new();
    let sent = &text[s.clone()];
    let mut word_start: Option<usize> = None;
    for (i, c) in sent.char_indices().chain(std::iter::once((sent.len(), ' '))) {
        let p = s.start + i;
        if c.is_alphabetic() {
            if word_start.is_none() {
                word_start = Some(i);
            }
            continue;
        }
        if let Some(ws) = word_start.take() {
            let w = &sent[ws..i];
            if ws > 0 && lower_in(w, SUBORDINATORS) {
                out.push(s.start + ws);
            }
        }
        if matches!(c, ',' | ';' | ':' | '(' | ')' | '—' | '–' | '"' | '“' | '”') && !inside(p) {
            out.push(p + c.len_utf8());
        }
    }
    out.sort_unstable();
    out
}

fn segment_of(breaks: &[usize], pos: usize) -> usize {
    breaks.partition_point(|&b| b <= pos)
}

/// The anchors made from each unit, one a relation and source: narrative inheritance
/// gives one unit's anchor to many events, which share it.
type Memo = Vec<(Relation, AnchorSource, Option<Arc<Anchor>>)>;

/// [`unit_anchor`] of unit `u`, remembered in `memo[u]`.
fn unit_anchor_memo(
    memo: &mut [Memo],
    units: &[Unit],
    u: usize,
    timexes: &[Timex],
    mentions: &[TimeMention],
    relation: Relation,
    source: AnchorSource,
) -> Option<Arc<Anchor>> {
    if let Some((_, _, a)) = memo[u].iter().find(|(r, s, _)| *r == relation && *s == source) {
        return a.clone();
    }
    let a = unit_anchor(&units[u], timexes, mentions, relation, source).map(Arc::new);
    memo[u].push((relation, source, a.clone()));
    a
}

/// The anchor for an event governed by unit `u`.
fn unit_anchor(
    u: &Unit,
    timexes: &[Timex],
    mentions: &[TimeMention],
    relation: Relation,
    source: AnchorSource,
) -> Option<Anchor> {
    let base = &timexes[u.base];
    let mut interval = mentions[u.base].interval?;
    let mut g = granularity(&base.value);
    for &a in &u.alts {
        interval = interval.union(mentions[a].interval?);
        g = g.min(granularity(&timexes[a].value));
    }
    let mut label = calendar::value_label(&base.value, base.modifier);
    for &a in &u.alts {
        label.push_str(" or ");
        label.push_str(&calendar::value_label(&timexes[a].value, timexes[a].modifier));
    }
    if let Some(e) = u.until {
        let end = mentions[e].interval?;
        interval = Interval::new(interval.start, end.end.max(interval.start));
        g = g.min(granularity(&timexes[e].value));
        label = format!("{label} – {}", calendar::value_label(&timexes[e].value, timexes[e].modifier));
    }
    let interval = match relation {
        Relation::Before | Relation::From => Interval::point(interval.start),
        Relation::After | Relation::Until => Interval::point(interval.end),
        _ => interval,
    };
    let label = match relation {
        Relation::Before => format!("before {label}"),
        Relation::After => format!("after {label}"),
        Relation::From => format!("from {label}"),
        Relation::Until => format!("until {label}"),
        _ => label,
    };
    let certainty = match source {
        AnchorSource::Narrative | AnchorSource::Dct => Certainty::Inferred,
        _ if !u.alts.is_empty() || base.modifier == Some(Mod::Approx) => Certainty::Uncertain,
        _ => Certainty::Stated,
    };
    Some(Anchor {
        timex: Some(u.base),
        value: mentions[u.base].value.clone(),
        modifier: mentions[u.base].modifier.clone(),
        until: u.until.map(|e| mentions[e].value.clone()),
        until_timex: u.until,
        alternatives: u.alts.iter().map(|&a| mentions[a].value.clone()).collect(),
        alternative_timexes: u.alts.clone(),
        relation,
        granularity: granularity_name(g).to_string(),
        source,
        certainty,
        interval,
        label,
    })
}

fn occurred(e: &Event) -> bool {
    super::is_occurrence(e)
}

/// The anchor of each event (same order as `events`).
pub(super) fn anchor_events(
    text: &str,
    sentences: &[Range<usize>],
    timexes: &[Timex],
    mentions: &[TimeMention],
    events: &[Event],
    ctx: &Context,
) -> Vec<Option<Arc<Anchor>>> {
    let mut units = units(text, sentences, timexes, mentions);
    // A time before a noun ("the 1862 siege"), not before a verb ("the 1860s saw …"); in
    // narratives (TimeBank's news links measured better without it).
    let narrative = ctx.effective_domain() == Domain::Narrative;
    for un in &mut units {
        let next = events.partition_point(|e| e.start < un.end);
        let verb_next = events
            .get(next)
            .is_some_and(|e| e.pos == EventPos::Verb && text.get(un.end..e.start).is_some_and(|g| g.trim().is_empty()));
        let s = &sentences[mentions[un.base].sentence];
        un.attributive = narrative && !verb_next && attributive(text, s.start, un.start, un.end);
        un.aside = parenthesised(text, s, un);
    }
    // One more for the DCT.
    let mut memo: Vec<Memo> = vec![Vec::new(); units.len() + 1];
    let domain = ctx.effective_domain();
    let mut out: Vec<Option<Arc<Anchor>>> = Vec::with_capacity(events.len());
    // The narrative's reference time: the unit that last anchored an event that happened,
    // and the sentence where it did.
    let mut reference: Option<Reference> = None;
    let mut coarse_memo: Vec<CoarseMemo> = vec![None; units.len()];
    let mut quotes = QuoteScan::default();
    let sentence_of = |pos: usize| sentences.partition_point(|r| r.end <= pos).min(sentences.len().saturating_sub(1));
    let (mut ei, mut ui, mut ti) = (0, 0, 0);
    let mut paragraph = 0;
    for (si, s) in sentences.iter().enumerate() {
        if si > 0 && text.get(sentences[si - 1].end..s.start).is_some_and(|gap| gap.contains('\n')) {
            paragraph += 1;
        }
        let sentence_text = text.get(s.clone()).unwrap_or("");
        // Whether the sentence is habitual ([`is_habitual`]): only asked about when one of
        // its events has no time of its own.
        let mut habitual: Option<bool> = None;
        let e0 = ei;
        while ei < events.len() && sentence_of(events[ei].start) <= si {
            ei += 1;
        }
        let u0 = ui;
        while ui < units.len() && mentions[units[ui].base].sentence <= si {
            ui += 1;
        }
        let t0 = ti;
        while ti < timexes.len() && mentions[ti].sentence <= si {
            ti += 1;
        }
        let sent_events = e0..ei;
        let sent_units = u0..ui;
        let breaks = if sent_units.is_empty() { Vec::new() } else { segment_breaks(text, s, timexes, &(t0..ti)) };
        let seg_has_event = |seg: usize| sent_events.clone().any(|k| segment_of(&breaks, events[k].start) == seg);
        let eventless: Vec<bool> =
            sent_units.clone().map(|k| !seg_has_event(segment_of(&breaks, units[k].start))).collect();
        // A main clause after "After signing the treaty on 9 June," is after that day.
        let mut adjunct: Option<(usize, Relation)> = None;
        for k in sent_events.clone() {
            let e = &events[k];
            let seg = segment_of(&breaks, e.start);
            // (Narratives only: news reports date their events by the DCT and the
            // TimeBank links were measured to prefer that.)
            let prep = if domain == Domain::Narrative { governing_preposition(text, s.start, e.start) } else { None };
            // "…; soon the city burned", "its development came later": the clause says its
            // event followed the time it takes from elsewhere in the sentence or the story
            // (looked at only where a time comes from there).
            let later = || later_adverb(text, &breaks, seg, s);
            // 1. Same segment, nothing verbal in between.
            let mut best: Option<(usize, usize)> = None;
            // A time before the verb across "and" belongs to the first conjunct
            // ("started on 4 March and lasted until 20 April"), unless the verb has none.
            let mut conjunct: Option<usize> = None;
            for u in sent_units.clone() {
                let un = &units[u];
                if segment_of(&breaks, un.start) != seg || segment_of(&breaks, un.end.saturating_sub(1)) < seg {
                    continue;
                }
                let (lo, hi) = if un.start >= e.end { (e.end, un.start) } else { (un.end, e.start) };
                if un.start < e.end && un.end > e.start {
                    continue; // overlapping: not a governor
                }
                let blocked = sent_events
                    .clone()
                    .any(|j| j != k && events[j].pos == EventPos::Verb && events[j].start >= lo && events[j].end <= hi);
                if blocked {
                    continue;
                }
                // "the 1862 siege": the time dates the noun it modifies, nothing else.
                if un.attributive
                    && !(un.end <= e.start && e.pos == EventPos::Noun && attributive_end(text, un.end, e.start))
                {
                    continue;
                }
                if un.end <= e.start
                    && e.pos == EventPos::Verb
                    && matches!(e.tense, Tense::Past | Tense::Present)
                    && joins_verb(text.get(lo..hi).unwrap_or(""))
                {
                    conjunct = Some(u);
                    continue;
                }
                let d = hi - lo;
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((u, d));
                }
            }
            // A conjunct's time still serves when the verb has none of its own ("told
            // them on Monday and stopped shipping").
            let best = best.or(conjunct.map(|u| (u, 0)));
            let conjunct = conjunct.filter(|&c| best.is_some_and(|(u, _)| u != c));
            let mut chosen = best.map(|(u, _)| (u, AnchorSource::Clause, units[u].relation));
            // 2. A fronted (else trailing) adverbial segment without events; one in
            // parentheses ("led by Ames (1801–1870)") only when there is no other; not for
            // a state described in a relative clause ("…, which was seen as a symbol").
            if chosen.is_none() && !(is_stative(e, text) && relative_segment(text, &breaks, seg, s)) {
                for aside in [false, true] {
                    let ok = |u: usize| eventless[u - u0] && units[u].aside == aside;
                    let before = sent_units.clone().rev().find(|&u| ok(u) && units[u].end <= e.start);
                    let after = sent_units.clone().find(|&u| ok(u) && units[u].start >= e.end);
                    chosen = before.or(after).map(|u| (u, AnchorSource::Sentence, units[u].relation));
                    if chosen.is_some() {
                        break;
                    }
                }
            }
            // 2b. A participle or a noun takes the nearest time of its sentence: it hangs
            // on a clause that has one ("despite outnumbering them, he lost in May 1863").
            if chosen.is_none() && (e.pos != EventPos::Verb || matches!(e.tense, Tense::Prespart | Tense::Pastpart)) {
                let dist = |u: usize| {
                    let un = &units[u];
                    if un.start >= e.end { un.start - e.end } else { e.start.saturating_sub(un.end) }
                };
                chosen =
                    sent_units.clone().min_by_key(|&u| dist(u)).map(|u| (u, AnchorSource::Sentence, units[u].relation));
            }
            // 2c. A verb after a fronted "after/before + event" adjunct with its own day.
            if chosen.is_none()
                && e.pos == EventPos::Verb
                && e.tense == Tense::Past
                && occurred(e)
                && let Some((u, rel)) = adjunct
            {
                chosen = Some((u, AnchorSource::Sentence, rel));
            }
            if let Some((u, source, rel)) = &mut chosen {
                let fine = granularity(&timexes[units[*u].base].value) >= Granularity::Day;
                let plain = matches!(*rel, Relation::On | Relation::During);
                if plain && *source == AnchorSource::Sentence && prep.is_none() && later() {
                    *rel = Relation::After;
                }
                match prep {
                    // The adjunct's own time: a later main clause is after (before) it.
                    Some(p)
                        if *source == AnchorSource::Clause
                            && plain
                            && fine
                            && occurred(e)
                            && object_of_preposition(e) =>
                    {
                        adjunct = Some((*u, if p == Relation::After { Relation::After } else { Relation::Before }));
                    }
                    // The main clause's time, for the event of an "after" ("before")
                    // adjunct: it came before (after) that time.
                    Some(p) if *source == AnchorSource::Sentence && plain && fine && object_of_preposition(e) => {
                        *rel = if p == Relation::After { Relation::Before } else { Relation::After };
                    }
                    _ => {}
                }
            }
            // "started on 4 March and lasted until 20 April": the second conjunct lasts
            // from the first conjunct's time to its own end.
            let range = match (chosen, conjunct) {
                (Some((u, AnchorSource::Clause, Relation::Until)), Some(c))
                    if units[c].alts.is_empty()
                        && units[c].until.is_none()
                        && matches!(units[c].relation, Relation::On | Relation::During) =>
                {
                    let mut r = units[c].clone();
                    r.until = Some(units[u].base);
                    r.end = units[u].end;
                    unit_anchor(&r, timexes, mentions, Relation::FromTo, AnchorSource::Clause)
                }
                _ => None,
            };
            let anchor = match chosen {
                Some((u, source, rel)) => {
                    let a = range
                        .map(Arc::new)
                        .or_else(|| unit_anchor_memo(&mut memo, &units, u, timexes, mentions, rel, source));
                    if a.is_some() {
                        units[u].bound_any = true;
                        // A time that dates a noun ("the 1862 siege") or the event of an
                        // "after"/"before" adjunct is background: it does not move the story.
                        if occurred(e) && prep.is_none() && !units[u].attributive {
                            units[u].bound_occurred = true;
                            reference = Some(Reference { unit: u, sentence: si, paragraph });
                        }
                    }
                    a
                }
                None => {
                    // Whether the narrative's time reaches this event, and how finely.
                    let consequence = k > e0
                        && events[k - 1].pos == EventPos::Noun
                        && e.pos == EventPos::Verb
                        && definite_subject(text.get(s.start..events[k - 1].start).unwrap_or(""));
                    let habitual = *habitual.get_or_insert_with(|| is_habitual(sentence_text));
                    let here = Here { sentence_start: s.start, si, paragraph, habitual };
                    let cap = inheritance(e, text, &here, consequence, reference.as_ref(), &mut quotes);
                    let r = cap.and(reference.as_ref().map(|r| r.unit));
                    let a = inherited(e, domain, r, later(), &units, &mut memo, timexes, mentions, ctx);
                    match (a, r, cap) {
                        (Some(a), Some(u), Some(cap)) if a.source == AnchorSource::Narrative => {
                            Some(coarsened(a, u, cap, &units, timexes, &mut coarse_memo))
                        }
                        (a, _, _) => a,
                    }
                }
            };
            out.push(anchor);
        }
        // A sentence whose times anchored no happening still moves the story on with
        // a time that anchored nothing at all ("1939 was a year of crisis").
        // A time in parentheses that anchors nothing is an aside ("a book (2003)"), not
        // a step of the story.
        if !sent_units.clone().any(|u| units[u].bound_occurred)
            && let Some(u) =
                sent_units.clone().rev().find(|&u| !units[u].bound_any && !units[u].attributive && !units[u].aside)
        {
            reference = Some(Reference { unit: u, sentence: si, paragraph });
        }
    }
    // Events after the last sentence (none in practice) get nothing.
    out.resize(events.len(), None);
    out
}

/// Steps 3 and 4: the narrative reference time, or the DCT by tense.
#[allow(clippy::too_many_arguments)]
fn inherited(
    e: &Event,
    domain: Domain,
    reference: Option<usize>,
    later: bool,
    units: &[Unit],
    memo: &mut [Memo],
    timexes: &[Timex],
    mentions: &[TimeMention],
    ctx: &Context,
) -> Option<Arc<Anchor>> {
    if e.pos != EventPos::Verb {
        return None;
    }
    let past_perfect = e.tense == Tense::Past && matches!(e.aspect, Aspect::Perfective | Aspect::PerfectiveProgressive);
    if domain == Domain::Narrative
        && let Some(u) = reference
        && matches!(e.tense, Tense::Past | Tense::Pastpart | Tense::Prespart | Tense::None)
    {
        let relation = match units[u].relation {
            _ if past_perfect => Relation::Before,
            Relation::On | Relation::During if later => Relation::After,
            r => r,
        };
        return unit_anchor_memo(memo, units, u, timexes, mentions, relation, AnchorSource::Narrative);
    }
    let dct = ctx.dct?;
    let relation = match e.tense {
        Tense::Past | Tense::Pastpart => Relation::Before,
        Tense::Present if matches!(e.aspect, Aspect::Perfective | Aspect::PerfectiveProgressive) => Relation::Before,
        Tense::Present => Relation::Includes,
        Tense::Future => Relation::After,
        _ => return None,
    };
    let slot = memo.last_mut().expect("memo has the DCT's slot");
    if let Some((_, _, a)) = slot.iter().find(|(r, _, _)| *r == relation) {
        return a.clone();
    }
    let a = dct_anchor(dct, relation).map(Arc::new);
    slot.push((relation, AnchorSource::Dct, a.clone()));
    a
}

/// Step 4: the DCT with `relation`.
fn dct_anchor(dct: crate::value::Date, relation: Relation) -> Option<Anchor> {
    let iv = calendar::date_interval(&dct)?;
    let interval = match relation {
        Relation::Before => Interval::point(iv.start),
        Relation::After => Interval::point(iv.end),
        _ => iv,
    };
    let label = calendar::value_label(&Value::Date(dct), None);
    Some(Anchor {
        timex: None,
        value: dct.to_string(),
        modifier: None,
        until: None,
        until_timex: None,
        alternatives: Vec::new(),
        alternative_timexes: Vec::new(),
        relation,
        granularity: granularity_name(dct.granularity()).to_string(),
        source: AnchorSource::Dct,
        certainty: Certainty::Inferred,
        interval,
        label: match relation {
            Relation::Before => format!("before {label}"),
            Relation::After => format!("after {label}"),
            Relation::Includes => format!("ongoing on {label}"),
            _ => label,
        },
    })
}

/// Where the narrative's reference time was set.
#[derive(Debug, Clone, Copy)]
struct Reference {
    /// The unit.
    unit: usize,
    /// The sentence whose event (or unbound time) set it.
    sentence: usize,
    /// That sentence's paragraph.
    paragraph: usize,
}

/// Where an event without a time of its own stands in the text.
#[derive(Debug, Clone, Copy)]
struct Here {
    sentence_start: usize,
    si: usize,
    paragraph: usize,
    /// Its sentence is habitual or generic ([`is_habitual`]).
    habitual: bool,
}

/// Adverbs of quantification and "whenever": a clause with one is habitual or
/// generic ("the raiders usually struck at night"), about no particular time.
const HABITUAL: &[&str] = &[
    "usually",
    "often",
    "habitually",
    "routinely",
    "frequently",
    "generally",
    "typically",
    "always",
    "sometimes",
    "regularly",
    "repeatedly",
    "constantly",
    "continually",
    "traditionally",
    "customarily",
    "normally",
    "commonly",
    "occasionally",
    "whenever",
];

/// Whether `w`, lowercased (ASCII), is one of `list` (lowercase ASCII words of at most
/// 16 bytes, as the test `lists_are_short_lowercase_ascii` checks): the same as
/// `list.iter().any(|x| w.eq_ignore_ascii_case(x))`, with one lowercasing and
/// whole-word comparisons.
fn lower_in(w: &str, list: &[&str]) -> bool {
    let b = w.as_bytes();
    if b.len() > 16 {
        return false;
    }
    let mut buf = [0u8; 16];
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    let l = &buf[..b.len()];
    list.iter().any(|x| x.as_bytes() == l)
}

/// Whether the sentence has an adverb of quantification ([`HABITUAL`]).
fn is_habitual(sentence: &str) -> bool {
    sentence.split(|c: char| !c.is_alphabetic()).any(|w| lower_in(w, HABITUAL))
}

/// Verbs that describe a state (what held, what someone felt, knew or believed), in
/// the forms a narrative uses, beyond the model's STATE and I_STATE classes.
const STATIVE: &[&str] = &[
    "seemed",
    "seem",
    "seems",
    "remained",
    "remain",
    "remains",
    "felt",
    "knew",
    "believed",
    "lived",
    "lay",
    "belonged",
    "consisted",
    "contained",
    "resembled",
    "existed",
    "owned",
    "possessed",
    "lacked",
    "depended",
];

/// Verbs that attribute a property in the passive with "as" or "to be" ("was seen as
/// callous", "was considered to be"): a description, not a happening.
const ATTRIBUTIVE: &[&str] =
    &["seen", "regarded", "considered", "perceived", "viewed", "described", "known", "thought", "deemed", "judged"];

/// Whether event `e` describes a state (TimeML STATE / I_STATE, a stative verb, or an
/// attributive passive).
fn is_stative(e: &Event, text: &str) -> bool {
    if matches!(e.class, EventClass::State | EventClass::IState) {
        return true;
    }
    // (The same as looking the ASCII-lowercased trigger up.)
    if lower_in(&e.trigger, STATIVE) {
        return true;
    }
    if lower_in(&e.trigger, ATTRIBUTIVE) {
        let after = text.get(e.end..).unwrap_or("").trim_start();
        let next: Vec<&str> = after.split_whitespace().take(2).collect();
        return matches!(next.as_slice(), ["as", ..] | ["to", "be" | "have", ..]);
    }
    false
}

/// Whether byte `pos` is inside a quotation opened earlier in its paragraph (straight
/// quotes counted, or a “ not yet closed). The reference for [`QuoteScan`], which
/// `anchor_events` uses.
#[cfg(test)]
fn in_quotation(text: &str, pos: usize) -> bool {
    let Some(before) = text.get(..pos) else { return false };
    let para = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    if para.matches('"').count() % 2 == 1 {
        return true;
    }
    match (para.rfind('“'), para.rfind('”')) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

/// [`in_quotation`] for positions asked about in increasing order, with one pass over
/// the text instead of a scan of the paragraph each time: the state of the paragraph up
/// to the last position asked about (a position before it starts again from the top).
#[derive(Debug, Default)]
struct QuoteScan {
    /// Bytes before this offset have been read.
    pos: usize,
    /// Straight quotes since the paragraph's start.
    straight: usize,
    /// The last “ and ” since the paragraph's start.
    open: Option<usize>,
    close: Option<usize>,
}

impl QuoteScan {
    /// Whether byte `pos` of `text` is inside a quotation: the same as
    /// [`in_quotation`]`(text, pos)`.
    fn in_quotation(&mut self, text: &str, pos: usize) -> bool {
        if !text.is_char_boundary(pos) {
            return false;
        }
        if pos < self.pos {
            *self = QuoteScan::default();
        }
        let b = text.as_bytes();
        // "“" and "”" are E2 80 9C and E2 80 9D; a character starting before the char
        // boundary `pos` ends at or before it.
        let mut at = self.pos;
        while let Some(k) = memchr::memchr3(b'\n', b'"', 0xE2, &b[at..pos]) {
            let i = at + k;
            match b[i] {
                b'\n' => {
                    self.straight = 0;
                    self.open = None;
                    self.close = None;
                }
                b'"' => self.straight += 1,
                _ => match (b.get(i + 1), b.get(i + 2)) {
                    (Some(0x80), Some(0x9C)) => self.open = Some(i),
                    (Some(0x80), Some(0x9D)) => self.close = Some(i),
                    _ => {}
                },
            }
            at = i + 1;
        }
        self.pos = pos;
        if self.straight % 2 == 1 {
            return true;
        }
        match (self.open, self.close) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        }
    }
}

/// Whether a unit sits inside parentheses in sentence `s`.
fn parenthesised(text: &str, s: &Range<usize>, u: &Unit) -> bool {
    let before = text.get(s.start.min(u.start)..u.start).unwrap_or("");
    match (before.rfind('('), before.rfind(')')) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether the narrative's reference time reaches event `e` (with no time of its own),
/// and how fine the inherited time may be: `None` for no inheritance.
///
/// The reference time moves on with every event the story tells (narrative
/// progression), so an event some sentences later is not at the same instant:
/// - habitual or generic clauses and events inside a quotation inherit nothing: they
///   are about no particular time of the story;
/// - a capitalised word inside the sentence is part of a name ("the First Punic War"),
///   mentioned, not told;
/// - a state holds around the reference time for as long as it does, and a verb whose
///   subject is an event noun ("the execution led to …") tells a consequence that
///   lasts beyond it: only the year;
/// - an event in the sentence that set the reference time keeps it as it is; in the
///   next sentence of the same paragraph at most the day; later in the same paragraph
///   at most the month; in a later paragraph only the year.
fn inheritance(
    e: &Event,
    text: &str,
    at: &Here,
    consequence: bool,
    reference: Option<&Reference>,
    quotes: &mut QuoteScan,
) -> Option<Granularity> {
    let Here { sentence_start, si, paragraph, habitual } = *at;
    if habitual || quotes.in_quotation(text, e.start) || is_name_word(text, sentence_start, e) {
        return None;
    }
    let Some(r) = reference else { return Some(Granularity::Second) };
    Some(if consequence || is_stative(e, text) || paragraph != r.paragraph {
        Granularity::Year
    } else if si == r.sentence {
        Granularity::Second
    } else if si == r.sentence + 1 {
        Granularity::Day
    } else {
        Granularity::Month
    })
}

/// `d` with nothing finer than `cap` (`cap` is a day or coarser).
fn coarsen_date(d: crate::value::Date, cap: Granularity) -> crate::value::Date {
    use crate::value::Part;
    let mut c = d;
    if cap <= Granularity::Day {
        c.time = None;
    }
    if cap < Granularity::Day {
        c.part = match c.part {
            Part::Month { month, .. } => Part::Month { month, day: None },
            p => p,
        };
    }
    if c.granularity() > cap {
        c.part = Part::None;
    }
    c
}

/// Anchor `a` inherited from unit `u`, made no finer than `cap`: the month or year of
/// the reference time, `during`. Kept as it is when it is already coarse enough, and
/// for relations other than `on`/`during` (before 3 May is not before May).
/// A unit's coarsened anchor, made once per granularity cap.
type CoarseMemo = Option<(Granularity, Option<Arc<Anchor>>)>;

fn coarsened(
    a: Arc<Anchor>,
    u: usize,
    cap: Granularity,
    units: &[Unit],
    timexes: &[Timex],
    memo: &mut [CoarseMemo],
) -> Arc<Anchor> {
    let un = &units[u];
    let Value::Date(d) = &timexes[un.base].value else { return a };
    let d = *d;
    if d.granularity() <= cap
        || !matches!(a.relation, Relation::On | Relation::During)
        || !un.alts.is_empty()
        || un.until.is_some()
    {
        return a;
    }
    if let Some((c, made)) = &memo[u]
        && *c == cap
    {
        return made.clone().unwrap_or(a);
    }
    let c = coarsen_date(d, cap);
    let made = calendar::date_interval(&c).map(|interval| {
        Arc::new(Anchor {
            value: c.to_string(),
            modifier: None,
            relation: Relation::During,
            granularity: granularity_name(c.granularity()).to_string(),
            interval,
            label: calendar::value_label(&Value::Date(c), None),
            ..(*a).clone()
        })
    });
    memo[u] = Some((cap, made.clone()));
    made.unwrap_or(a)
}

/// Whether the text before a verb ends with a coordinator that joins it to an earlier
/// verb phrase: "and", "but", "then", "and then", "and later", "and soon".
fn joins_verb(gap: &str) -> bool {
    let mut w = gap.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).rev();
    let is = |w: Option<&str>, set: &[&str]| w.is_some_and(|w| set.iter().any(|x| w.eq_ignore_ascii_case(x)));
    let last = w.next();
    is(last, &["and", "but", "then"])
        || (is(last, &["later", "soon", "eventually", "finally"]) || last.is_some_and(|l| l.ends_with("ly")))
            && is(w.next(), &["and", "but"])
}

/// The relation a preposition right before an event gives it ("after signing", "before
/// the battle"): `After` for *after, following*, `Before` for *before*; determiners and
/// possessives in between are skipped. Only within the sentence that starts at `from`.
fn governing_preposition(text: &str, from: usize, at: usize) -> Option<Relation> {
    let before = text.get(from.min(at)..at)?;
    for w in before.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).rev().take(3) {
        // (As matching the ASCII-lowercased word: the words are lowercase ASCII.)
        let is = |x: &str| w.eq_ignore_ascii_case(x);
        if is("after") || is("following") {
            return Some(Relation::After);
        }
        if is("before") {
            return Some(Relation::Before);
        }
        let possessive = w.len() >= 2 && w.as_bytes()[w.len() - 2..].eq_ignore_ascii_case(b"'s");
        if DETERMINERS.iter().any(|x| is(x)) || possessive {
            continue;
        }
        return None;
    }
    None
}

/// Whether the text from a time expression's end to an event at `event_start` is the
/// rest of a noun phrase the time modifies ("the 1862 siege", "their 1982 summer
/// offensives"): at most two lowercase words, no function word.
fn attributive_end(text: &str, time_end: usize, event_start: usize) -> bool {
    const FUNCTION: &[&str] = &[
        "and", "or", "but", "to", "of", "in", "on", "at", "by", "for", "with", "from", "as", "was", "were", "is",
        "are", "had", "has", "have", "the", "a", "an", "when", "then", "he", "she", "they", "it", "we", "after",
        "before", "until", "since", "during",
    ];
    let Some(gap) = text.get(time_end..event_start) else { return false };
    let words: Vec<&str> = gap.split_whitespace().collect();
    gap.starts_with(' ')
        && words.len() <= 2
        && words.iter().all(|w| w.chars().all(|c| c.is_ascii_lowercase()) && !FUNCTION.contains(w))
}

/// Whether a time expression at `start..end` modifies the noun of a sentence's subject
/// ("The 21 January execution led to …", "Germany's 1939 invasion …"): the sentence
/// begins with a determiner or a possessive name right before it, and a lowercase
/// content word follows it (the caller checks that it is not a verb). Inside a
/// prepositional phrase ("returned in the 1783 treaty") the phrase still dates the verb.
fn attributive(text: &str, sentence_start: usize, start: usize, end: usize) -> bool {
    let before = text.get(sentence_start.min(start)..start).unwrap_or("").trim();
    let words: Vec<&str> = before.split_whitespace().collect();
    let det_ok = match words.as_slice() {
        [d] => {
            matches!(
                d.to_ascii_lowercase().as_str(),
                "the" | "a" | "an" | "his" | "her" | "its" | "their" | "this" | "that"
            ) || d.ends_with("'s")
        }
        _ => false,
    };
    if !det_ok {
        return false;
    }
    let after = text.get(end..).unwrap_or("");
    let next = after.split_whitespace().next().unwrap_or("");
    after.starts_with(' ') && !next.is_empty() && attributive_end(text, end, end + 1 + next.len())
}

/// Whether a sentence's text up to an event noun is a definite noun phrase with no
/// clause break: "The", "This", "Its" … and no comma ("The 21 January execution").
fn definite_subject(prefix: &str) -> bool {
    let first = prefix.split_whitespace().next().unwrap_or("");
    matches!(first, "The" | "This" | "That" | "These" | "Those" | "Its" | "Their" | "His" | "Her")
        && !prefix.contains([',', ';', ':'])
}

/// Whether the event word is capitalised inside its sentence (not its first word): a
/// name or part of one ("the First Punic War").
fn is_name_word(text: &str, sentence_start: usize, e: &Event) -> bool {
    let capital = e.trigger.chars().next().is_some_and(char::is_uppercase);
    let before = text.get(sentence_start.min(e.start)..e.start).unwrap_or("").trim();
    capital && !before.is_empty() && !before.ends_with(['"', '“', '(', ':', '—', '–', '-'])
}

/// Determiners and possessive pronouns: skipped before a preposition's object; before
/// "later", they make it an adjective ("the later campaigns").
const DETERMINERS: &[&str] = &["the", "a", "an", "his", "her", "its", "their", "this", "that", "these", "those"];

/// Adverbs that put a clause's event after the time around it.
const LATER: &[&str] = &["later", "soon", "afterwards", "afterward", "subsequently", "thereafter", "eventually"];

/// Where segment `seg` of sentence `s` begins.
fn segment_start(breaks: &[usize], seg: usize, s: &Range<usize>) -> usize {
    if seg == 0 { s.start } else { breaks[seg - 1] }
}

/// Whether segment `seg` of sentence `s` holds an adverb that puts its event after the
/// time around it ([`LATER`]: "later", "soon", "afterwards"…), not as an adjective
/// ("the later campaigns").
fn later_adverb(text: &str, breaks: &[usize], seg: usize, s: &Range<usize>) -> bool {
    let end = breaks.get(seg).copied().unwrap_or(s.end).min(s.end);
    let Some(clause) = text.get(segment_start(breaks, seg, s)..end) else { return false };
    let mut prev = "";
    for w in clause.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if lower_in(w, LATER) && !lower_in(prev, DETERMINERS) {
            return true;
        }
        prev = w;
    }
    false
}

/// Whether segment `seg` of sentence `s` is a relative clause (starts with *which,
/// who, whom*).
fn relative_segment(text: &str, breaks: &[usize], seg: usize, s: &Range<usize>) -> bool {
    let start = segment_start(breaks, seg, s);
    let first = text.get(start..s.end).unwrap_or("").split_whitespace().next().unwrap_or("");
    ["which", "who", "whom"].iter().any(|w| first.eq_ignore_ascii_case(w))
}

/// Whether an event can be the object of "after"/"before": a noun or a gerund ("after
/// the battle", "after signing"), not a finite verb ("after he left" is a clause).
fn object_of_preposition(e: &Event) -> bool {
    e.pos == EventPos::Noun || matches!(e.tense, Tense::Prespart | Tense::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass quotation scan answers as the per-position paragraph scan, at every
    /// character boundary (and off one), asked in order and out of order.
    #[test]
    fn quote_scan_is_in_quotation() {
        let texts = [
            "He said \"we will sail\" and left.\nThen \"they rowed.\nA new line “quoted ” here “open",
            "“Nested \"mixed” quotes\" — é “x”\n\n\"",
            "",
            "no quotes at all",
            "”closing first “then open\n",
        ];
        for text in texts {
            let mut scan = QuoteScan::default();
            for pos in 0..=text.len() + 1 {
                assert_eq!(scan.in_quotation(text, pos), in_quotation(text, pos), "{text:?} at {pos}");
            }
            let mut scan = QuoteScan::default();
            for pos in (0..=text.len()).rev().step_by(3).chain([5, 1, 9]) {
                assert_eq!(scan.in_quotation(text, pos), in_quotation(text, pos), "{text:?} at {pos}, backwards");
            }
        }
    }

    /// [`lower_in`]'s lists are lowercase ASCII words of at most 16 bytes.
    #[test]
    fn lists_are_short_lowercase_ascii() {
        for w in HABITUAL.iter().chain(SUBORDINATORS).chain(STATIVE).chain(ATTRIBUTIVE).chain(DETERMINERS).chain(LATER)
        {
            assert!(w.len() <= 16 && w.bytes().all(|b| b.is_ascii_lowercase()), "{w}");
        }
        for w in ["Usually", "WHENEVER", "often", "oftén", "usuallyx", "", "a-very-long-word-indeed-yes"] {
            assert_eq!(lower_in(w, HABITUAL), HABITUAL.iter().any(|h| w.eq_ignore_ascii_case(h)), "{w}");
        }
    }

    /// The allocation-free word tests give what lowercasing and comparing gave.
    #[test]
    fn preposition_and_stative_words_ignore_ascii_case() {
        let t = "After the battle, BEFORE His Majesty's visit, following it, Rome's fall";
        assert_eq!(governing_preposition(t, 0, 10), Some(Relation::After));
        assert_eq!(governing_preposition(t, 0, t.find("visit").unwrap()), Some(Relation::Before));
        assert_eq!(governing_preposition(t, 0, t.find("Majesty").unwrap()), Some(Relation::Before));
        assert_eq!(governing_preposition(t, 0, t.find("battle").unwrap()), Some(Relation::After));
        assert_eq!(governing_preposition(t, 0, t.find("His").unwrap()), Some(Relation::Before));
        assert_eq!(governing_preposition(t, 0, t.find("BEFORE").unwrap()), None);
        assert_eq!(governing_preposition(t, 0, t.find("fall").unwrap()), None);
        assert_eq!(governing_preposition(t, 0, t.find("it, Rome").unwrap()), Some(Relation::After));
        let mut e = Event {
            start: 0,
            end: 0,
            trigger: "REMAINED".into(),
            class: EventClass::Occurrence,
            pos: EventPos::Verb,
            tense: Tense::Past,
            aspect: Aspect::None,
            polarity: crate::event::Polarity::Pos,
            modality: crate::event::Modality::Actual,
            sentence: 0,
            actors: Vec::new(),
            patients: Vec::new(),
        };
        assert!(is_stative(&e, ""));
        e.trigger = "Remainder".into();
        assert!(!is_stative(&e, ""));
        let text = "It was Seen as a loss.";
        e.trigger = "Seen".into();
        e.end = text.find("Seen").unwrap() + 4;
        assert!(is_stative(&e, text));
    }
}
