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
use crate::event::{Aspect, Event, EventPos, Tense};
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

/// Byte offsets in `s` where a new segment (clause) begins.
fn segment_breaks(text: &str, s: &Range<usize>, timexes: &[Timex], tx: &Range<usize>) -> Vec<usize> {
    const SUBORDINATORS: &[&str] =
        &["when", "while", "because", "although", "though", "whereas", "which", "who", "whom", "where", "whereupon"];
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
            if ws > 0 && SUBORDINATORS.iter().any(|x| w.eq_ignore_ascii_case(x)) {
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
    // One more for the DCT.
    let mut memo: Vec<Memo> = vec![Vec::new(); units.len() + 1];
    let domain = ctx.effective_domain();
    let mut out: Vec<Option<Arc<Anchor>>> = Vec::with_capacity(events.len());
    // The narrative's reference time: the unit that last anchored an event that happened.
    let mut reference: Option<usize> = None;
    let sentence_of = |pos: usize| sentences.partition_point(|r| r.end <= pos).min(sentences.len().saturating_sub(1));
    let (mut ei, mut ui, mut ti) = (0, 0, 0);
    for (si, s) in sentences.iter().enumerate() {
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
        for k in sent_events.clone() {
            let e = &events[k];
            let seg = segment_of(&breaks, e.start);
            // 1. Same segment, nothing verbal in between.
            let mut best: Option<(usize, usize)> = None;
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
                let d = hi - lo;
                if best.is_none_or(|(_, bd)| d < bd) {
                    best = Some((u, d));
                }
            }
            let mut chosen = best.map(|(u, _)| (u, AnchorSource::Clause));
            // 2. A fronted (else trailing) adverbial segment without events.
            if chosen.is_none() {
                let before = sent_units.clone().rev().find(|&u| eventless[u - u0] && units[u].end <= e.start);
                let after = sent_units.clone().find(|&u| eventless[u - u0] && units[u].start >= e.end);
                chosen = before.or(after).map(|u| (u, AnchorSource::Sentence));
            }
            // 2b. A participle or a noun takes the nearest time of its sentence: it hangs
            // on a clause that has one ("despite outnumbering them, he lost in May 1863").
            if chosen.is_none() && (e.pos != EventPos::Verb || matches!(e.tense, Tense::Prespart | Tense::Pastpart)) {
                let dist = |u: usize| {
                    let un = &units[u];
                    if un.start >= e.end { un.start - e.end } else { e.start.saturating_sub(un.end) }
                };
                chosen = sent_units.clone().min_by_key(|&u| dist(u)).map(|u| (u, AnchorSource::Sentence));
            }
            let anchor = match chosen {
                Some((u, source)) => {
                    let a = unit_anchor_memo(&mut memo, &units, u, timexes, mentions, units[u].relation, source);
                    if a.is_some() {
                        units[u].bound_any = true;
                        if occurred(e) {
                            units[u].bound_occurred = true;
                            reference = Some(u);
                        }
                    }
                    a
                }
                None => inherited(e, domain, reference, &units, &mut memo, timexes, mentions, ctx),
            };
            out.push(anchor);
        }
        // A sentence whose times anchored no happening still moves the story on with
        // a time that anchored nothing at all ("1939 was a year of crisis").
        if !sent_units.clone().any(|u| units[u].bound_occurred)
            && let Some(u) = sent_units.clone().rev().find(|&u| !units[u].bound_any)
        {
            reference = Some(u);
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
        let relation = if past_perfect { Relation::Before } else { units[u].relation };
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
