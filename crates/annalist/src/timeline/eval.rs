//! Scoring event–time links against gold TimeML TLINKs.
//!
//! Gold links are the TLINKs between an event instance and a time (a `TIMEX3` in the
//! text, or the document creation time), turned to read event → time (a link written
//! time → event has its relation inverted). System links are [`tlinks`] of the
//! timeline built on the same text. A system link *matches* a gold link when its event
//! overlaps the gold event's span and its time overlaps the gold time's span (or both
//! are the DCT); it is *correct* when the relation is the same as well.
//!
//! TimeML corpora annotate only some of the event–time pairs, so precision over all
//! system links understates; [`TlinkScores::aligned`] also gives precision over the
//! system links whose pair the gold data does relate.

use std::collections::HashMap;
use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

use super::{Timeline, tlinks};
use crate::format::timeml::TimemlDoc;

/// Counts of one comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlinkCounts {
    /// Gold event–time links.
    pub gold: usize,
    /// System event–time links.
    pub system: usize,
    /// Gold links with a system link on the same pair.
    pub pair_found: usize,
    /// Gold links with a system link on the same pair and the same relation.
    pub correct: usize,
    /// System links whose pair has a gold link.
    pub system_aligned: usize,
    /// Of those, with the same relation.
    pub system_aligned_correct: usize,
}

impl AddAssign for TlinkCounts {
    fn add_assign(&mut self, o: TlinkCounts) {
        self.gold += o.gold;
        self.system += o.system;
        self.pair_found += o.pair_found;
        self.correct += o.correct;
        self.system_aligned += o.system_aligned;
        self.system_aligned_correct += o.system_aligned_correct;
    }
}

/// Precision, recall, F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

fn prf(hit_p: usize, sys: usize, hit_r: usize, gold: usize) -> Prf {
    let p = if sys == 0 { 0.0 } else { hit_p as f64 / sys as f64 };
    let r = if gold == 0 { 0.0 } else { hit_r as f64 / gold as f64 };
    Prf { precision: p, recall: r, f1: if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) } }
}

/// Scores from counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TlinkScores {
    /// The counts.
    pub counts: TlinkCounts,
    /// Relation-correct links: precision over all system links, recall over gold links.
    pub strict: Prf,
    /// Pairs found regardless of relation.
    pub pairs: Prf,
    /// Precision of relations over system links on gold-linked pairs; recall as `strict`.
    pub aligned: Prf,
    /// Counts by where the system link came from (`clause`, `sentence`, `narrative`,
    /// `dct`, `tense`).
    pub by_origin: Vec<(String, TlinkCounts)>,
}

impl TlinkScores {
    /// Scores from total counts and per-origin counts.
    pub fn new(c: TlinkCounts, by_origin: Vec<(String, TlinkCounts)>) -> TlinkScores {
        TlinkScores {
            counts: c,
            strict: prf(c.correct, c.system, c.correct, c.gold),
            pairs: prf(c.system_aligned, c.system, c.pair_found, c.gold),
            aligned: prf(c.system_aligned_correct, c.system_aligned, c.correct, c.gold),
            by_origin,
        }
    }
}

/// The inverse of a TimeML relation (A rel B ⇔ B inverse A).
pub fn inverse(rel: &str) -> &str {
    match rel {
        "BEFORE" => "AFTER",
        "AFTER" => "BEFORE",
        "IBEFORE" => "IAFTER",
        "IAFTER" => "IBEFORE",
        "INCLUDES" => "IS_INCLUDED",
        "IS_INCLUDED" => "INCLUDES",
        "BEGINS" => "BEGUN_BY",
        "BEGUN_BY" => "BEGINS",
        "ENDS" => "ENDED_BY",
        "ENDED_BY" => "ENDS",
        "DURING" => "DURING_INV",
        "DURING_INV" => "DURING",
        other => other,
    }
}

/// A time end of a link: a text span, or the DCT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum TimeEnd {
    Dct,
    Span(usize, usize),
}

/// Scores the event–time links of `timeline` (built on `doc.text`) against the gold
/// TLINKs of `doc`. Returns the counts, and counts by origin.
pub fn score_tlinks(doc: &TimemlDoc, timeline: &Timeline) -> (TlinkCounts, HashMap<String, TlinkCounts>) {
    let events: HashMap<&str, (usize, usize)> = doc.events.iter().map(|e| (e.eid.as_str(), (e.start, e.end))).collect();
    let instances: HashMap<&str, (usize, usize)> =
        doc.instances.iter().filter_map(|m| events.get(m.event_id.as_str()).map(|&s| (m.eiid.as_str(), s))).collect();
    let times: HashMap<&str, (usize, usize)> = doc.timexes.iter().map(|t| (t.tid.as_str(), (t.start, t.end))).collect();
    let time_end = |tid: &str| match times.get(tid) {
        Some(&(s, e)) => Some(TimeEnd::Span(s, e)),
        None if doc.dct_raw.is_some() => Some(TimeEnd::Dct),
        None => None,
    };
    // Gold links event → time (the last one wins for a pair annotated twice).
    let mut gold: HashMap<((usize, usize), TimeEnd), String> = HashMap::new();
    for l in &doc.tlinks {
        let src_time = l.attrs.contains_key("timeID");
        let tgt_time = l.attrs.contains_key("relatedToTime");
        let src_ev = l.attrs.contains_key("eventInstanceID");
        let tgt_ev = l.attrs.contains_key("relatedToEventInstance");
        let (ev, time, rel) = if src_ev && tgt_time {
            (instances.get(l.source.as_str()), time_end(&l.target), l.rel_type.clone())
        } else if src_time && tgt_ev {
            (instances.get(l.target.as_str()), time_end(&l.source), inverse(&l.rel_type).to_string())
        } else {
            continue;
        };
        if let (Some(&ev), Some(time)) = (ev, time) {
            gold.insert((ev, time), rel);
        }
    }
    let overlaps = |a: (usize, usize), b: (usize, usize)| a.0 < b.1 && b.0 < a.1;
    let same_time = |a: TimeEnd, b: TimeEnd| match (a, b) {
        (TimeEnd::Dct, TimeEnd::Dct) => true,
        (TimeEnd::Span(s1, e1), TimeEnd::Span(s2, e2)) => overlaps((s1, e1), (s2, e2)),
        _ => false,
    };
    let mut c = TlinkCounts { gold: gold.len(), ..Default::default() };
    let mut by_origin: HashMap<String, TlinkCounts> = HashMap::new();
    let mut found_pairs: HashMap<((usize, usize), TimeEnd), bool> = HashMap::new();
    for l in tlinks(timeline) {
        let e = &timeline.events[l.event].event;
        let time = match l.time {
            None => TimeEnd::Dct,
            Some(t) => TimeEnd::Span(timeline.timexes[t].start, timeline.timexes[t].end),
        };
        let o = by_origin.entry(l.origin.clone()).or_default();
        c.system += 1;
        o.system += 1;
        let hit = gold.iter().find(|((ge, gt), _)| overlaps(*ge, (e.start, e.end)) && same_time(*gt, time));
        if let Some((key, rel)) = hit {
            c.system_aligned += 1;
            o.system_aligned += 1;
            let right = *rel == l.rel_type;
            if right {
                c.system_aligned_correct += 1;
                o.system_aligned_correct += 1;
            }
            let entry = found_pairs.entry(*key).or_insert(false);
            *entry |= right;
        }
    }
    c.pair_found = found_pairs.len();
    c.correct = found_pairs.values().filter(|&&r| r).count();
    (c, by_origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::EventTagger;
    use crate::format::timeml::read_timeml;
    use crate::{Context, Tagger};

    #[test]
    fn scores_a_document_of_our_own() {
        let xml = r#"<?xml version="1.0" ?>
<TimeML><DOCID>x</DOCID><DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-10" functionInDocument="CREATION_TIME">1998-02-10</TIMEX3></DCT>
<TEXT>The board <EVENT eid="e1" class="OCCURRENCE">met</EVENT> on <TIMEX3 tid="t1" type="DATE" value="1998-02-09">Monday</TIMEX3>. It <EVENT eid="e2" class="OCCURRENCE">approved</EVENT> the plan.</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="AFTER" timeID="t0" relatedToEventInstance="ei2"/>
</TimeML>"#;
        let doc = read_timeml(xml, "x.tml").unwrap();
        let ctx = Context { dct: doc.dct, domain: crate::Domain::News };
        let tl = super::super::build(&doc.text, &ctx, &Tagger::new(), &EventTagger::new());
        let (c, by) = score_tlinks(&doc, &tl);
        assert_eq!(c.gold, 2);
        // "met" IS_INCLUDED Monday (clause), "approved" BEFORE the DCT (tense) = gold's inverse of AFTER.
        assert_eq!(c.correct, 2, "{c:?} {by:?}");
        assert!(c.system >= 2);
        let s = TlinkScores::new(c, Vec::new());
        assert_eq!(s.strict.recall, 1.0);
        assert_eq!(inverse("INCLUDES"), "IS_INCLUDED");
    }
}
