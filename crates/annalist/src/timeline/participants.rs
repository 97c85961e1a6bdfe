//! Participants the event tagger did not attach, found from the clause around a verb.
//!
//! Two light rules, applied only to verb events:
//! - **subject list**: a finite verb with no actor takes the words between it and the
//!   previous comma, semicolon, fronted time expression or sentence start when they
//!   are a short list of names ("On the 23rd, Stalin, Molotov and Ribbentrop held
//!   talks" → Stalin, Molotov, Ribbentrop), even in lower case;
//! - **named objects**: a capitalised name after "to", "with", "against", "into" or
//!   "toward(s)" before the next verb of the sentence ("sent a telegram directly to
//!   Stalin", "kept in contact with the Soviet Union").

use crate::Timex;
use crate::event::token::Token;
use crate::event::{Event, EventPos, Span, Tense};

const AUX: &[&str] = &[
    "had",
    "has",
    "have",
    "was",
    "were",
    "is",
    "are",
    "been",
    "be",
    "did",
    "does",
    "do",
    "not",
    "never",
    "would",
    "will",
    "could",
    "should",
    "might",
    "may",
    "must",
    "shall",
    "also",
    "then",
    "later",
    "finally",
    "already",
    "soon",
    "n't",
    "just",
    "still",
    "again",
    "first",
    "eventually",
    "immediately",
    "quickly",
];

/// Words that cannot be part of a subject list.
const NOT_NAME: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "to",
    "by",
    "for",
    "from",
    "with",
    "after",
    "before",
    "during",
    "when",
    "while",
    "that",
    "which",
    "who",
    "as",
    "if",
    "but",
    "so",
    "since",
    "because",
    "then",
    "there",
    "it",
    "this",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "its",
    "a",
    "an",
    "some",
    "many",
    "all",
    "both",
    "however",
    "meanwhile",
    "also",
    "only",
    "not",
    "no",
    "thus",
    "later",
    "soon",
    "finally",
    "eventually",
];

const RECIPIENT: &[&str] = &["to", "with", "against", "into", "toward", "towards"];

fn is_cap(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn word<'t>(text: &'t str, t: &Token) -> &'t str {
    &text[t.start..t.end]
}

fn overlaps(a: &Span, s: usize, e: usize) -> bool {
    a.start < e && s < a.end
}

/// Extra participants for event `k` of `events`.
///
/// `events` and `timexes` are those of the sentence, `toks` its tokens.
pub(super) fn supplement(text: &str, events: &[Event], k: usize, timexes: &[Timex], toks: &[Token]) -> Vec<Span> {
    let e = &events[k];
    if e.pos != EventPos::Verb {
        return Vec::new();
    }
    let Ok(vi) = toks.binary_search_by_key(&e.start, |t| t.start) else { return Vec::new() };
    let mut out: Vec<Span> = Vec::new();
    let known = |out: &[Span], s: usize, en: usize| {
        e.actors.iter().chain(&e.patients).chain(out.iter()).any(|a| overlaps(a, s, en))
    };
    let in_timex = |p: usize| timexes.iter().any(|t| t.start <= p && p < t.end);
    // A finite verb event ends the list (a "verb" without a finite tense there, such as
    // an infinitive without "to", is usually a mis-tagged name).
    let is_verb_event = |t: &Token| {
        events.iter().any(|o| {
            o.start == t.start
                && o.pos == EventPos::Verb
                && matches!(o.tense, Tense::Past | Tense::Present | Tense::Future)
                && o.start != e.start
        })
    };
    // Subject list.
    if e.actors.is_empty() && matches!(e.tense, Tense::Past | Tense::Present | Tense::Future) {
        let mut j = vi;
        while j > 0 && AUX.iter().any(|a| word(text, &toks[j - 1]).eq_ignore_ascii_case(a)) {
            j -= 1;
        }
        let end = j;
        let mut i = end;
        // Back over "A, B and C" while the words look like names.
        let mut words_seen = 0;
        while i > 0 {
            let w = word(text, &toks[i - 1]);
            if w == "," {
                // A comma continues the list only if a name stands before it.
                if i >= 2 && is_cap(word(text, &toks[i - 2])) && !in_timex(toks[i - 2].start) {
                    i -= 1;
                    continue;
                }
                break;
            }
            if w == "and" || w == "the" {
                i -= 1;
                continue;
            }
            let alpha = w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'');
            if !alpha
                || NOT_NAME.iter().any(|n| w.eq_ignore_ascii_case(n))
                || in_timex(toks[i - 1].start)
                || is_verb_event(&toks[i - 1])
                || words_seen >= 6
            {
                break;
            }
            words_seen += 1;
            i -= 1;
        }
        // The chunk must start a clause: sentence start, a comma or semicolon before it
        // (or a fronted time expression without a comma: "In 490 BC the army landed").
        let starts_clause =
            i == 0 || matches!(word(text, &toks[i - 1]), "," | ";" | ":") || in_timex(toks[i - 1].start);
        if starts_clause && i < end {
            let mut item_start: Option<usize> = None;
            let flush = |a: usize, b: usize, out: &mut Vec<Span>| {
                let (s, en) = (toks[a].start, toks[b - 1].end);
                let mut s2 = s;
                if word(text, &toks[a]).eq_ignore_ascii_case("the") && a + 1 < b {
                    s2 = toks[a + 1].start;
                }
                if !known(out, s2, en) {
                    out.push(Span { start: s2, end: en, text: text[s2..en].to_string() });
                }
            };
            for (x, tok) in toks.iter().enumerate().take(end).skip(i) {
                let w = word(text, tok);
                if w == "," || w == "and" {
                    if let Some(a) = item_start.take() {
                        flush(a, x, &mut out);
                    }
                } else if item_start.is_none() {
                    item_start = Some(x);
                }
            }
            if let Some(a) = item_start {
                flush(a, end, &mut out);
            }
        }
    }
    // Named objects after a recipient preposition, up to the next verb.
    let mut x = vi + 1;
    while x < toks.len() {
        let w = word(text, &toks[x]);
        if is_verb_event(&toks[x]) || matches!(w, ";" | ":" | "." | "!" | "?") {
            break;
        }
        if RECIPIENT.iter().any(|r| w.eq_ignore_ascii_case(r)) {
            let mut a = x + 1;
            if a < toks.len() && word(text, &toks[a]).eq_ignore_ascii_case("the") {
                a += 1;
            }
            let mut b = a;
            while b < toks.len() && is_cap(word(text, &toks[b])) && !in_timex(toks[b].start) {
                b += 1;
            }
            if b > a {
                let (s, en) = (toks[a].start, toks[b - 1].end);
                if !known(&out, s, en) {
                    out.push(Span { start: s, end: en, text: text[s..en].to_string() });
                }
                x = b;
                continue;
            }
        }
        x += 1;
    }
    out
}
