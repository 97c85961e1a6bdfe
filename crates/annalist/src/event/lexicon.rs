//! A small hand-written lexicon: closed-class words that are never events, the
//! auxiliaries that carry tense, aspect, modality and negation, and cue words for
//! the TimeML classes. The cue classes are only features for the learned model; the
//! model decides.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::features::hash_str;

/// Lexicon class of a word, used as a model feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Cue {
    Reporting = 1,
    Aspectual,
    IAction,
    IState,
    Perception,
    State,
    /// A temporal noun ("week", "Monday"): rarely an event.
    Time,
}

const REPORTING: &[&str] = &[
    "say",
    "tell",
    "report",
    "announce",
    "state",
    "add",
    "quote",
    "claim",
    "explain",
    "note",
    "declare",
    "insist",
    "deny",
    "acknowledge",
    "describe",
    "cite",
    "according",
    "testify",
    "confirm",
    "comment",
    "reply",
    "respond",
    "remark",
    "assert",
    "mention",
    "write",
    "argue",
    "predict",
    "disclose",
    "reveal",
    "admit",
    "inform",
    "recount",
    "proclaim",
    "publish",
];
const ASPECTUAL: &[&str] = &[
    "begin",
    "start",
    "continue",
    "stop",
    "end",
    "finish",
    "complete",
    "resume",
    "cease",
    "halt",
    "keep",
    "initiate",
    "terminate",
    "quit",
    "suspend",
    "commence",
    "discontinue",
    "renew",
];
const I_ACTION: &[&str] = &[
    "try",
    "attempt",
    "ask",
    "order",
    "request",
    "propose",
    "demand",
    "urge",
    "call",
    "promise",
    "seek",
    "offer",
    "allow",
    "permit",
    "refuse",
    "agree",
    "decide",
    "prevent",
    "persuade",
    "force",
    "authorize",
    "approve",
    "vow",
    "threaten",
    "investigate",
    "delay",
    "avoid",
    "postpone",
    "appoint",
    "nominate",
    "encourage",
    "invite",
    "pledge",
    "insist",
    "plead",
    "command",
    "instruct",
    "forbid",
    "ban",
    "block",
    "reject",
    "accept",
    "consent",
    "suggest",
    "recommend",
    "beg",
    "convince",
    "enable",
    "require",
    "oblige",
    "compel",
    "fail",
    "manage",
    "undertake",
    "resolve",
    "choose",
    "elect",
    "vote",
    "assign",
    "schedule",
];
const I_STATE: &[&str] = &[
    "want",
    "believe",
    "think",
    "expect",
    "hope",
    "fear",
    "wish",
    "intend",
    "plan",
    "need",
    "feel",
    "know",
    "doubt",
    "suspect",
    "worry",
    "love",
    "like",
    "prefer",
    "able",
    "unable",
    "likely",
    "unlikely",
    "ready",
    "willing",
    "afraid",
    "determined",
    "desire",
    "assume",
    "suppose",
    "anticipate",
    "aim",
    "mean",
    "imagine",
    "trust",
    "concern",
];
const PERCEPTION: &[&str] =
    &["see", "hear", "watch", "observe", "notice", "look", "view", "witness", "sight", "spot", "detect", "glimpse"];
const STATE: &[&str] = &["remain", "stay", "own", "exist", "live", "belong", "contain", "lack", "hold", "possess"];
const TIME: &[&str] = &[
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "today",
    "yesterday",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "morning",
    "evening",
    "night",
    "afternoon",
    "hour",
    "hours",
    "minute",
    "minutes",
    "decade",
    "century",
    "quarter",
    "time",
    "period",
    "season",
];

/// Irregular forms: (form, base).
const IRREGULAR: &[(&str, &str)] = &[
    ("said", "say"),
    ("told", "tell"),
    ("began", "begin"),
    ("begun", "begin"),
    ("saw", "see"),
    ("seen", "see"),
    ("heard", "hear"),
    ("thought", "think"),
    ("knew", "know"),
    ("known", "know"),
    ("felt", "feel"),
    ("kept", "keep"),
    ("sought", "seek"),
    ("wrote", "write"),
    ("written", "write"),
    ("chose", "choose"),
    ("chosen", "choose"),
    ("forbade", "forbid"),
    ("forbidden", "forbid"),
    ("meant", "mean"),
    ("held", "hold"),
    ("undertook", "undertake"),
    ("undertaken", "undertake"),
    ("stood", "stand"),
];

/// Words that are never scored as events: determiners, pronouns, prepositions,
/// conjunctions, auxiliaries' function uses and particles. (In the training data
/// these make up well under 0.5% of events: copular "is"/"was" mainly.)
const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "into",
    "onto",
    "upon",
    "about",
    "as",
    "than",
    "and",
    "or",
    "but",
    "nor",
    "so",
    "if",
    "because",
    "while",
    "whereas",
    "although",
    "though",
    "unless",
    "whether",
    "i",
    "me",
    "my",
    "mine",
    "we",
    "us",
    "our",
    "ours",
    "you",
    "your",
    "yours",
    "he",
    "him",
    "his",
    "she",
    "her",
    "hers",
    "it",
    "its",
    "they",
    "them",
    "their",
    "theirs",
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "where",
    "when",
    "why",
    "how",
    "there",
    "here",
    "not",
    "n't",
    "no",
    "never",
    "is",
    "am",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "'re",
    "'m",
    "'s",
    "'ll",
    "'d",
    "'ve",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "also",
    "very",
    "too",
    "then",
    "now",
    "just",
    "only",
    "even",
    "still",
    "yet",
    "already",
    "some",
    "any",
    "all",
    "each",
    "every",
    "both",
    "either",
    "neither",
    "such",
    "more",
    "most",
    "less",
    "least",
    "much",
    "many",
    "few",
    "other",
    "another",
    "same",
    "own",
    "one",
    "two",
    "three",
    "mr",
    "mrs",
    "ms",
    "dr",
    "himself",
    "herself",
    "itself",
    "themselves",
    "ourselves",
    "myself",
    "yourself",
    "via",
    "per",
    "among",
    "between",
    "against",
    "during",
    "before",
    "after",
    "since",
    "until",
    "till",
    "through",
    "throughout",
    "under",
    "over",
    "above",
    "below",
    "within",
    "without",
    "across",
    "along",
    "around",
    "behind",
    "beside",
    "besides",
    "beyond",
    "near",
    "toward",
    "towards",
    "despite",
    "off",
    "out",
    "up",
    "down",
    "de",
    "la",
    "le",
    "von",
    "van",
];

/// Auxiliaries and the like, walked over leftwards to read tense, aspect, modality
/// and polarity.
pub(crate) const AUX: &[&str] = &[
    "is", "am", "are", "was", "were", "be", "been", "being", "'re", "'m", "'s", "has", "have", "had", "having", "'ve",
    "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "'ll", "'d", "to",
    "not", "n't", "never", "ca", "wo", "going", "about", "cannot", "ought", "get", "got", "gets",
];

/// Adverbs skipped while walking the auxiliary chain.
pub(crate) const SKIP_ADV: &[&str] = &[
    "also", "already", "still", "just", "yet", "ever", "even", "now", "then", "soon", "only", "always", "often",
    "never", "really", "finally", "again", "later", "first", "once",
];

/// What the lexicon knows about one word (looked up by its lowercase hash).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct WordInfo {
    pub cue: Option<Cue>,
    pub stop: bool,
    pub aux: bool,
    pub adverb: bool,
}

pub(crate) struct Lexicon {
    words: HashMap<u64, WordInfo, BuildHasherDefault<IdHasher>>,
}

/// A hasher for keys that are already hashes.
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn inflections(base: &str) -> Vec<String> {
    let mut v = vec![base.to_string()];
    let (stem_e, ends_e) = match base.strip_suffix('e') {
        Some(s) => (s, true),
        None => (base, false),
    };
    if let Some(s) = base.strip_suffix('y')
        && !s.ends_with(['a', 'e', 'o', 'u'])
    {
        v.push(format!("{s}ies"));
        v.push(format!("{s}ied"));
        v.push(format!("{base}ing"));
        return v;
    }
    let es = base.ends_with(['s', 'x', 'z']) || base.ends_with("ch") || base.ends_with("sh");
    v.push(if es { format!("{base}es") } else { format!("{base}s") });
    if ends_e {
        v.push(format!("{base}d"));
        v.push(format!("{stem_e}ing"));
        v.push(format!("{stem_e}ion"));
    } else {
        v.push(format!("{base}ed"));
        v.push(format!("{base}ing"));
        // Doubled final consonant: "stop" → "stopped", "plan" → "planned".
        let b = base.as_bytes();
        if b.len() >= 3 {
            let (x, y, z) = (b[b.len() - 3], b[b.len() - 2], b[b.len() - 1]);
            let vowel = |c: u8| b"aeiou".contains(&c);
            if !vowel(x) && vowel(y) && !vowel(z) && !b"wxy".contains(&z) {
                let c = z as char;
                v.push(format!("{base}{c}ed"));
                v.push(format!("{base}{c}ing"));
            }
        }
        v.push(format!("{base}ion"));
    }
    v
}

impl Lexicon {
    fn build() -> Lexicon {
        let mut words: HashMap<u64, WordInfo, BuildHasherDefault<IdHasher>> = HashMap::default();
        fn entry<'a>(words: &'a mut HashMap<u64, WordInfo, BuildHasherDefault<IdHasher>>, w: &str) -> &'a mut WordInfo {
            words.entry(hash_str(w)).or_default()
        }
        for (list, cue) in [
            (TIME, Cue::Time),
            (STATE, Cue::State),
            (PERCEPTION, Cue::Perception),
            (I_STATE, Cue::IState),
            (I_ACTION, Cue::IAction),
            (ASPECTUAL, Cue::Aspectual),
            (REPORTING, Cue::Reporting),
        ] {
            for w in list {
                if cue == Cue::Time {
                    entry(&mut words, w).cue = Some(cue);
                    continue;
                }
                for f in inflections(w) {
                    entry(&mut words, &f).cue = Some(cue);
                }
                for (form, base) in IRREGULAR {
                    if base == w {
                        entry(&mut words, form).cue = Some(cue);
                    }
                }
            }
        }
        for w in STOP {
            entry(&mut words, w).stop = true;
        }
        for w in AUX {
            entry(&mut words, w).aux = true;
        }
        for w in SKIP_ADV {
            entry(&mut words, w).adverb = true;
        }
        Lexicon { words }
    }

    /// The shared lexicon, built on first use.
    pub(crate) fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(Lexicon::build)
    }

    /// What is known of the word whose lowercase form hashes to `h` ([`hash_str`]).
    #[inline]
    pub(crate) fn info(&self, h: u64) -> WordInfo {
        self.words.get(&h).copied().unwrap_or_default()
    }

    #[cfg(test)]
    fn cue(&self, lower: &str) -> Option<Cue> {
        self.info(hash_str(lower)).cue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_cover_inflections() {
        let l = Lexicon::get();
        assert_eq!(l.cue("said"), Some(Cue::Reporting));
        assert_eq!(l.cue("announced"), Some(Cue::Reporting));
        assert_eq!(l.cue("began"), Some(Cue::Aspectual));
        assert_eq!(l.cue("stopped"), Some(Cue::Aspectual));
        assert_eq!(l.cue("planned"), Some(Cue::IState));
        assert_eq!(l.cue("tries"), Some(Cue::IAction));
        assert_eq!(l.cue("invasion"), None);
        assert!(l.info(hash_str("the")).stop);
        assert!(l.info(hash_str("n't")).aux);
    }
}
