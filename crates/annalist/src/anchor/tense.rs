//! The tense of the clause around a time expression, for news anchoring.
//!
//! The words that mark tense are a language resource: the `[tense]` and `[tense_intent]`
//! tables of `lang/<lang>/lexicon.toml`. Only regular English past forms ("-ed") are
//! recognized here by their ending.

use std::ops::Range;

use crate::recognize::lexicon::Lexicon;

/// The tense that decides whether a bare "Friday" or "in March" is past or future.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tense {
    Past,
    Present,
    Future,
    Unknown,
}

/// Words that make a following "-ed" word an adjective ("a still unspecified date").
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "this", "these", "those", "its", "his", "her", "their", "our", "my", "your", "some", "any", "no",
    "every", "each", "still", "very", "most", "more", "less", "newly", "recently", "well",
];

/// Clause openers: the search for the clause's verb looks no further back than these first.
const CLAUSE_OPENERS: &[&str] =
    &["that", "which", "who", "whom", "because", "when", "while", "if", "whether", "although", "though", "unless"];

/// Words that may stand between an auxiliary and its verb ("will not be held").
const AUX_FILLERS: &[&str] = &[
    "be",
    "been",
    "have",
    "not",
    "n't",
    "also",
    "still",
    "then",
    "soon",
    "probably",
    "likely",
    "never",
    "now",
    "again",
    "finally",
    "only",
    "almost",
    "formally",
    "officially",
];

fn clean(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
}

fn is(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| clean(w).eq_ignore_ascii_case(x))
}

/// The tense `words[i]` marks, or `None`.
fn word_tense(lex: &Lexicon, words: &[&str], i: usize) -> Option<Tense> {
    let w = clean(words[i]);
    if w.is_empty() || !w.starts_with(|c: char| c.is_alphabetic() || c == '\'' || c == '’') {
        return None;
    }
    let t = match lex.str("tense", w) {
        Some("future") => Tense::Future,
        // "due to expire Friday": an infinitive has no tense of its own.
        Some("present") if i > 0 && clean(words[i - 1]).eq_ignore_ascii_case("to") => return None,
        Some("present") => Tense::Present,
        Some("past") => Tense::Past,
        Some(_) => return None,
        None => {
            let regular_past = w.len() > 4 && w.to_ascii_lowercase().ends_with("ed");
            // "a still unspecified date", "the detailed plan": an adjective, not a verb.
            if !regular_past || (i > 0 && is(words[i - 1], DETERMINERS)) {
                return None;
            }
            Tense::Past
        }
    };
    if t != Tense::Future && after_future_aux(words, i) {
        return Some(Tense::Future);
    }
    Some(t)
}

/// A verb form governed by "will"/"would"/"shall" ("will be held", "would not have met")
/// or an infinitive ("to set", "to be completed").
fn after_future_aux(words: &[&str], i: usize) -> bool {
    let mut j = i;
    let mut skipped = 0;
    while j > 0 && skipped <= 3 {
        j -= 1;
        let w = words[j];
        if is(w, &["will", "'ll", "shall", "would", "wo"]) {
            return true;
        }
        if is(w, &["to"]) {
            // Right before the verb, or with only "be"/"have" between ("to be completed").
            return words[j + 1..i].iter().all(|w| is(w, &["be", "have", "been"]));
        }
        if !is(w, AUX_FILLERS) {
            return false;
        }
        skipped += 1;
    }
    false
}

/// "agreed to buy … in January": an infinitive after a word of intention looks ahead.
fn intended_infinitive(lex: &Lexicon, words: &[&str], to: usize) -> bool {
    // Not when the intention itself is long past: "it had been due to expire Friday".
    to > 0
        && is(words[to], &["to"])
        && lex.get("tense_intent", clean(words[to - 1])).is_some()
        && !(to > 1 && is(words[to - 2], &["had", "been"]))
}

/// The tense of the clause a mention sits in: the nearest tense word before it in its clause,
/// else the nearest after it in the sentence, else the nearest before the clause.
pub(crate) fn of(lex: &Lexicon, text: &str, sentence: &Range<usize>, start: usize, end: usize) -> Tense {
    let s = sentence.start.min(start);
    let e = sentence.end.max(end).min(text.len());
    let before: Vec<&str> = text[s..start].split_whitespace().collect();
    let after: Vec<&str> = text[end..e].split_whitespace().collect();
    // "since Tuesday", "since March": a time that has passed.
    // "last Christmas", "next Easter" where the rule left the word outside.
    match before.last().map(|w| clean(w).to_ascii_lowercase()).as_deref() {
        Some("since" | "last" | "past" | "previous") => return Tense::Past,
        Some("next" | "coming") => return Tense::Future,
        _ => {}
    }
    // "postponed until Tuesday", "extended the deadline until Friday": put off to a later day.
    if before.last().is_some_and(|w| is(w, &["until", "till"]))
        && before.iter().any(|w| lex.get("tense_postpone", clean(w)).is_some())
    {
        return Tense::Future;
    }
    // "Tuesday's declaration", "Friday's close": a possessive names what has happened,
    // whatever the clause's verb ("would look for ways around Wednesday's ruling"), unless a
    // preposition looks ahead to it ("ahead of Sunday's vote", "until Friday's deadline").
    if text[end..].starts_with("'s") || text[end..].starts_with("’s") {
        let n = before.len();
        let ahead = n > 0
            && (is(before[n - 1], &["until", "till", "upcoming", "for"])
                || (n > 1 && is(before[n - 1], &["of"]) && is(before[n - 2], &["ahead"])));
        return if ahead { Tense::Future } else { Tense::Past };
    }

    // What word `i` before the mention says: an intended infinitive looks ahead, else its tense.
    let cue_before = |i: usize| {
        if intended_infinitive(lex, &before, i) { Some(Tense::Future) } else { word_tense(lex, &before, i) }
    };
    // Before the mention, back to the start of its clause.
    let mut opener = None;
    for i in (0..before.len()).rev() {
        if let Some(t) = cue_before(i) {
            return t;
        }
        if is(before[i], CLAUSE_OPENERS) || before[i].ends_with(';') || before[i].ends_with(':') {
            opener = Some(i);
            break;
        }
    }
    // After it, to the end of the sentence ("On Monday the talks will resume").
    for i in 0..after.len() {
        if let Some(t) = word_tense(lex, &after, i) {
            return t;
        }
    }
    // Before the clause ("said that on Monday, …").
    if let Some(o) = opener
        && let Some(t) = (0..o).rev().find_map(cue_before)
    {
        return t;
    }
    Tense::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tense_of(sentence: &str) -> Tense {
        let lex = Lexicon::parse(include_str!("../../lang/en/lexicon.toml")).expect("lexicon");
        let start = sentence.find('[').expect("[");
        let end = sentence.find(']').expect("]");
        let text = format!("{}{}{}", &sentence[..start], &sentence[start + 1..end], &sentence[end + 1..]);
        of(&lex, &text, &(0..text.len()), start, end - 1)
    }

    #[test]
    fn the_clause_verb_before_the_mention_comes_first() {
        assert_eq!(tense_of("Protesters planned a rally on [Saturday] and were planning more."), Tense::Future);
        assert_eq!(
            tense_of("The airline will double its flights by [August] in the search for untapped markets."),
            Tense::Future
        );
        assert_eq!(tense_of("The ambassador to Spain said on [Tuesday] that they would answer."), Tense::Past);
        assert_eq!(tense_of("On [Tuesday], the two powers condemned the move."), Tense::Past);
        assert_eq!(tense_of("He said that on [Monday] the talks will resume."), Tense::Future);
    }

    #[test]
    fn adjectives_in_ed_and_auxiliaries() {
        assert_eq!(tense_of("It would be paid on a still unspecified date in [January]."), Tense::Future);
        assert_eq!(tense_of("The plant is expected to be completed in [June]."), Tense::Future);
        assert_eq!(tense_of("Their boat sank off the coast in [November]."), Tense::Past);
        assert_eq!(tense_of("He named a new chairman, effective [Feb. 1]."), Tense::Future);
        assert_eq!(
            tense_of("Police have been searching for him since shortly after the [Oct. 3] attack."),
            Tense::Past
        );
    }

    #[test]
    fn intended_infinitives_look_ahead() {
        assert_eq!(tense_of("The bank announced an agreement to acquire the firm in [January]."), Tense::Future);
        assert_eq!(tense_of("The envoy talked to reporters on [Monday]."), Tense::Past);
        assert_eq!(tense_of("The offer had been due to expire [Friday]."), Tense::Past);
        assert_eq!(tense_of("Attacks that injured two doctors in [November] went unsolved."), Tense::Past);
        assert_eq!(tense_of("She would be flying to Rome [Thursday] with her son."), Tense::Future);
    }

    #[test]
    fn timetabled_present_looks_ahead() {
        assert_eq!(tense_of("The two leaders meet separately [Monday] with the envoy."), Tense::Present);
        assert_eq!(tense_of("The talks resume in Geneva on [Tuesday]."), Tense::Present);
        assert_eq!(tense_of("The permit had been set to expire on [Friday]."), Tense::Past);
    }

    #[test]
    fn markers_right_before_the_mention() {
        assert_eq!(tense_of("Prices have risen since [March]."), Tense::Past);
        assert_eq!(tense_of("Officials postponed the decision until [Tuesday]."), Tense::Future);
        assert_eq!(tense_of("The crew worked until [Tuesday]."), Tense::Past);
        assert_eq!(tense_of("The shops close next [Christmas]."), Tense::Future);
        assert_eq!(tense_of("[Tuesday]'s vote is a test."), Tense::Past);
        assert_eq!(tense_of("They would look for ways around [Wednesday]'s ruling."), Tense::Past);
        assert_eq!(tense_of("Polls closed ahead of [Sunday]'s vote."), Tense::Future);
    }
}
