//! The tense of the clause around a time expression, for news anchoring.

use std::ops::Range;

/// The tense that decides whether a bare "Friday" or "in March" is past or future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Present,
    Future,
    Unknown,
}

const PAST_IRREGULAR: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "said",
    "told",
    "went",
    "came",
    "took",
    "made",
    "gave",
    "got",
    "began",
    "became",
    "left",
    "met",
    "saw",
    "found",
    "held",
    "brought",
    "thought",
    "knew",
    "fell",
    "rose",
    "lost",
    "won",
    "sold",
    "bought",
    "paid",
    "sent",
    "spent",
    "built",
    "led",
    "fought",
    "flew",
    "ran",
    "wrote",
    "spoke",
    "broke",
    "chose",
    "struck",
    "stood",
    "kept",
    "felt",
    "heard",
    "meant",
    "put",
    "set",
    "cut",
    "hit",
    "quit",
    "shot",
    "taught",
    "caught",
    "sought",
    "drew",
    "grew",
    "threw",
    "knew",
    "ate",
    "drove",
    "rode",
    "sat",
    "slept",
    "swore",
    "tore",
    "wore",
    "woke",
    "forgot",
    "understood",
    "withdrew",
    "overthrew",
    "ago",
];

const FUTURE: &[&str] =
    &["will", "'ll", "shall", "tomorrow", "upcoming", "expected", "scheduled", "plans", "planned", "going"];

const PRESENT: &[&str] = &["is", "are", "am", "says", "has", "have", "does"];

/// Classifies one word, or `None` when it marks no tense.
fn word_tense(w: &str) -> Option<Tense> {
    let lw = w.to_ascii_lowercase();
    let lw = lw.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
    if FUTURE.contains(&lw) {
        return Some(Tense::Future);
    }
    if PAST_IRREGULAR.contains(&lw) {
        return Some(Tense::Past);
    }
    if PRESENT.contains(&lw) {
        return Some(Tense::Present);
    }
    if lw.len() > 4
        && lw.ends_with("ed")
        && !matches!(
            lw,
            "need" | "speed" | "feed" | "seed" | "indeed" | "hundred" | "scheduled" | "planned" | "expected"
        )
    {
        return Some(Tense::Past);
    }
    None
}

/// The tense nearest the mention in its sentence: words before it first (nearest first), then after.
/// A past or present form right after a future auxiliary ("will be held", "to resume") is future.
pub(crate) fn of(text: &str, sentence: &Range<usize>, start: usize, end: usize) -> Tense {
    let s = sentence.start.min(start);
    let e = sentence.end.max(end).min(text.len());
    let before: Vec<&str> = text[s..start].split_whitespace().collect();
    let after: Vec<&str> = text[end..e].split_whitespace().collect();
    let future_aux = |w: &str| {
        matches!(
            w.to_ascii_lowercase().trim_matches(|c: char| !c.is_alphanumeric() && c != '\''),
            "will" | "'ll" | "shall" | "would" | "to"
        )
    };
    // "since Tuesday", "since March": a time that has passed.
    if before.last().is_some_and(|w| w.eq_ignore_ascii_case("since")) {
        return Tense::Past;
    }
    // "last Christmas", "next Easter" where the rule left the word outside.
    match before.last().map(|w| w.to_ascii_lowercase()).as_deref() {
        Some("last" | "past" | "previous") => return Tense::Past,
        Some("next" | "coming") => return Tense::Future,
        _ => {}
    }
    // "Tuesday's declaration", "Friday's close": a possessive names what has happened,
    // unless the clause says it is still to come ("ahead of Sunday's vote will…").
    let possessive = text[end..].starts_with("'s") || text[end..].starts_with("’s");
    let mut best: Option<(usize, Tense)> = None;
    for (dist, i) in (0..before.len()).rev().enumerate() {
        if let Some(t) = word_tense(before[i]) {
            let aux = before[i.saturating_sub(2)..i].iter().any(|w| future_aux(w));
            best = Some((dist, if aux && t != Tense::Future { Tense::Future } else { t }));
            break;
        }
    }
    for (dist, w) in after.iter().enumerate() {
        if let Some(t) = word_tense(w) {
            if best.is_none_or(|(d, _)| dist < d) {
                let aux = after[dist.saturating_sub(2)..dist].iter().any(|w| future_aux(w));
                best = Some((dist, if aux && t != Tense::Future { Tense::Future } else { t }));
            }
            break;
        }
    }
    match best.map(|(_, t)| t).unwrap_or(Tense::Unknown) {
        Tense::Present if possessive => Tense::Past,
        t => t,
    }
}
