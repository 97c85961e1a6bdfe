//! Event mentions as TimeML defines them: verbs ("signed"), nominalizations and
//! event nouns ("talks", "invasion"), and predicative adjectives, with their TimeML
//! class, part of speech, tense, aspect, polarity and a modality (actual, negated,
//! intended or requested, hypothetical or conditional, future), plus a light guess at
//! who acts and who is acted upon.
//!
//! ```
//! use annalist::event::{EventClass, EventTagger, Modality};
//!
//! let tagger = EventTagger::new();
//! let text = "The minister said the army did not attack the town.";
//! let events = tagger.events(text);
//! let said = events.iter().find(|e| e.trigger == "said").unwrap();
//! assert_eq!(said.class, EventClass::Reporting);
//! let attack = events.iter().find(|e| e.trigger == "attack").unwrap();
//! assert_eq!(attack.modality, Modality::Negated);
//! ```
//!
//! Detection and the class, part of speech, tense and aspect come from a small
//! averaged-perceptron model over hashed word features, trained on TimeML corpora
//! with [`train`] and shipped inside the crate (`models/events.bin`). Polarity,
//! modality and participants are rules over the model's output.

mod engine;
mod features;
mod lexicon;
mod model;
mod rules;
pub mod token;
mod train;

use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

pub use rules::Span;
pub use train::{
    AttrScore, DEV_PERCENT, EvalReport, HELDOUT_PERCENT, TrainConfig, TrainReport, evaluate, evaluate_docs, is_dev,
    is_heldout, train, train_with_progress,
};

use engine::{Engine, Share, WordCache};
use features::{TokInfo, features};
use lexicon::Lexicon;
use model::Model;
use token::{Token, tokenize_into};

/// The built-in model, trained by `annalist train events` (see docs/events.md).
static BUILTIN: &[u8] = include_bytes!("../../models/events.bin");

/// The TimeML event class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventClass {
    /// Something that happens ("attacked", "the invasion").
    Occurrence,
    /// An act of saying or reporting ("said", "announced").
    Reporting,
    /// An intensional action introducing another event ("asked", "tried", "ordered").
    IAction,
    /// Beginning, continuing or ending of another event ("began", "stopped").
    Aspectual,
    /// A state that holds ("remained", "the crisis", "ready").
    State,
    /// Perceiving another event ("saw", "heard").
    Perception,
    /// An intensional state ("wanted", "believed", "feared").
    IState,
}

impl EventClass {
    /// All classes, in model label order (after `O`).
    pub const ALL: [EventClass; 7] = [
        EventClass::Occurrence,
        EventClass::Reporting,
        EventClass::IAction,
        EventClass::Aspectual,
        EventClass::State,
        EventClass::Perception,
        EventClass::IState,
    ];

    /// The TimeML name (`OCCURRENCE`, `I_ACTION`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EventClass::Occurrence => "OCCURRENCE",
            EventClass::Reporting => "REPORTING",
            EventClass::IAction => "I_ACTION",
            EventClass::Aspectual => "ASPECTUAL",
            EventClass::State => "STATE",
            EventClass::Perception => "PERCEPTION",
            EventClass::IState => "I_STATE",
        }
    }

    /// Parses a TimeML class name.
    pub fn parse(s: &str) -> Option<EventClass> {
        EventClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether the class introduces another event as intended, wished or believed.
    pub fn is_intensional(self) -> bool {
        matches!(self, EventClass::IAction | EventClass::IState)
    }
}

/// Part of speech of the event word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventPos {
    /// A verb ("signed").
    Verb,
    /// A noun ("invasion", "talks").
    Noun,
    /// An adjective ("ready", "dead").
    Adjective,
    /// Anything else (prepositions such as "on board").
    Other,
}

/// TimeML tense (of verbs; `None` for nouns and adjectives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Tense {
    /// No tense (nouns, adjectives).
    None,
    /// "signed", "had signed".
    Past,
    /// "signs", "has signed".
    Present,
    /// "will sign".
    Future,
    /// "to sign".
    Infinitive,
    /// A bare present participle ("signing the pact, he …").
    Prespart,
    /// A bare past participle ("the pact signed in Moscow").
    Pastpart,
}

/// TimeML aspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Aspect {
    /// Simple.
    None,
    /// "is signing".
    Progressive,
    /// "has signed".
    Perfective,
    /// "has been signing".
    PerfectiveProgressive,
}

/// TimeML polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Polarity {
    /// Affirmed.
    Pos,
    /// Explicitly negated ("did not attack", "no agreement", "without warning").
    Neg,
}

/// Whether an event is said to have happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Asserted as happening or having happened.
    Actual,
    /// Negated ("did not attack"), or the complement of a failure or refusal
    /// ("refused to sign").
    Negated,
    /// Only asked for, planned, wanted or proposed ("asked him to allow them to visit").
    IntendedRequested,
    /// Possible, conditional or counterfactual ("would visit", "if they attacked").
    HypotheticalConditional,
    /// Stated as future ("will visit").
    Future,
}

/// One event mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Start byte offset of the trigger word.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The trigger word as written.
    pub trigger: String,
    /// TimeML class.
    pub class: EventClass,
    /// Part of speech.
    pub pos: EventPos,
    /// Tense.
    pub tense: Tense,
    /// Aspect.
    pub aspect: Aspect,
    /// Polarity.
    pub polarity: Polarity,
    /// Modality.
    pub modality: Modality,
    /// Index of the sentence (as split by [`crate::text::sentences`]).
    pub sentence: usize,
    /// Who acts (subjects, "by" agents, possessors of event nouns).
    pub actors: Vec<Span>,
    /// Who or what is acted upon (objects, "to"/"against" recipients, "of" complements).
    pub patients: Vec<Span>,
}

const EVENT_LABELS: [&str; 8] =
    ["O", "OCCURRENCE", "REPORTING", "I_ACTION", "ASPECTUAL", "STATE", "PERCEPTION", "I_STATE"];
const POS_LABELS: [&str; 4] = ["VERB", "NOUN", "ADJECTIVE", "OTHER"];
const TENSE_LABELS: [&str; 7] = ["NONE", "PAST", "PRESENT", "FUTURE", "INFINITIVE", "PRESPART", "PASTPART"];
const ASPECT_LABELS: [&str; 4] = ["NONE", "PROGRESSIVE", "PERFECTIVE", "PERFECTIVE_PROGRESSIVE"];

fn pos_of(i: usize) -> EventPos {
    [EventPos::Verb, EventPos::Noun, EventPos::Adjective, EventPos::Other][i.min(3)]
}

fn tense_of(i: usize) -> Tense {
    [Tense::None, Tense::Past, Tense::Present, Tense::Future, Tense::Infinitive, Tense::Prespart, Tense::Pastpart]
        [i.min(6)]
}

fn aspect_of(i: usize) -> Aspect {
    [Aspect::None, Aspect::Progressive, Aspect::Perfective, Aspect::PerfectiveProgressive][i.min(3)]
}

/// The event tagger: the model loaded once. Immutable, `Send + Sync`, cheap to share.
pub struct EventTagger {
    engine: Arc<Engine>,
    lex: &'static Lexicon,
    to_hash: u64,
    that_hash: u64,
}

/// The event found at one token, before rules and participants.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found {
    pub tok: usize,
    pub class: EventClass,
    pub pos: EventPos,
    pub tense: Tense,
    pub aspect: Aspect,
}

/// Reusable buffers for one thread of tagging (kept between calls).
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    infos: Vec<TokInfo>,
    shares: Vec<Share>,
    feats: Vec<u64>,
    found: Vec<Found>,
    words: WordCache,
}

thread_local! {
    /// This thread's scratch space, taken by `events` while it runs.
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

impl EventTagger {
    /// The tagger with the built-in model. The model is decoded once per process
    /// (a few milliseconds) and shared by every `EventTagger::new()`.
    pub fn new() -> EventTagger {
        static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
        let engine = ENGINE
            .get_or_init(|| {
                let model = Model::from_bytes(BUILTIN).expect("the built-in event model is valid (tested)");
                Arc::new(Engine::new(&model).expect("the built-in event model is valid (tested)"))
            })
            .clone();
        EventTagger {
            engine,
            lex: Lexicon::get(),
            to_hash: features::hash_str("to"),
            that_hash: features::hash_str("that"),
        }
    }

    /// A tagger with a model written by [`train`] (e.g. read from a file).
    pub fn from_model_bytes(bytes: &[u8]) -> Result<EventTagger, crate::Error> {
        let model = Model::from_bytes(bytes)?;
        for (k, (name, labels)) in [
            ("event", &EVENT_LABELS[..]),
            ("pos", &POS_LABELS[..]),
            ("tense", &TENSE_LABELS[..]),
            ("aspect", &ASPECT_LABELS[..]),
        ]
        .into_iter()
        .enumerate()
        {
            let h = model.head(name)?;
            if h.labels != labels || model.heads[k].name != name {
                return Err(crate::Error::Format {
                    file: "event model".into(),
                    line: 0,
                    message: format!("head {name} (#{k}) has labels {:?}, expected {labels:?} at #{k}", h.labels),
                });
            }
        }
        Ok(EventTagger {
            engine: Arc::new(Engine::new(&model)?),
            lex: Lexicon::get(),
            to_hash: features::hash_str("to"),
            that_hash: features::hash_str("that"),
        })
    }

    /// Finds the event mentions of `text`, in text order.
    pub fn events(&self, text: &str) -> Vec<Event> {
        self.events_in(text, &crate::text::sentences(text), None)
    }

    /// [`EventTagger::events`] over the sentences `sentences` of `text` (as
    /// [`crate::text::sentences`] splits it); with `tokens`, also appends every
    /// sentence's tokens to `tokens.0` and pushes where each sentence's start there to
    /// `tokens.1` (and the end once more).
    pub(crate) fn events_in(
        &self,
        text: &str,
        sentences: &[std::ops::Range<usize>],
        mut tokens: Option<(&mut Vec<Token>, &mut Vec<usize>)>,
    ) -> Vec<Event> {
        let mut out = Vec::new();
        let mut s = SCRATCH.try_with(Cell::take).ok().flatten().unwrap_or_default();
        for (si, range) in sentences.iter().enumerate() {
            self.sentence(text, range.start, range.end, &mut s);
            rules::add_do_support(&s.infos, &mut s.found);
            rules::emit(text, &s.infos, &s.found, si, &mut out);
            if let Some((toks, starts)) = &mut tokens {
                starts.push(toks.len());
                toks.extend_from_slice(&s.tokens);
            }
        }
        if let Some((toks, starts)) = tokens {
            starts.push(toks.len());
        }
        let _ = SCRATCH.try_with(|c| c.set(Some(s)));
        out
    }

    /// Tags the tokens of one sentence into `s.found`.
    fn sentence(&self, text: &str, from: usize, to: usize, s: &mut Scratch) {
        s.tokens.clear();
        tokenize_into(text, from, to, &mut s.tokens);
        s.infos.clear();
        s.shares.clear();
        for t in &s.tokens {
            s.words.push(&self.engine, self.lex, &text[t.start..t.end], &mut s.infos, &mut s.shares);
            let info = s.infos.last_mut().expect("just pushed");
            info.start = t.start;
            info.end = t.end;
        }
        s.found.clear();
        for i in 0..s.infos.len() {
            if !s.infos[i].candidate() {
                continue;
            }
            let c = self.engine.detect(&s.infos, &s.shares, i);
            if c == 0 {
                continue;
            }
            s.feats.clear();
            features(&s.infos, i, c as u64, &mut s.feats);
            let [p, tense, aspect] = self.engine.attrs(&s.feats);
            // A finite tense belongs to verbs only (TimeML gives nouns tense NONE): when the
            // heads disagree ("the mayor spoke" as a noun with tense PAST), the tense wins.
            let p = match pos_of(p) {
                EventPos::Noun if matches!(tense_of(tense), Tense::Past | Tense::Present | Tense::Future) => {
                    EventPos::Verb
                }
                p => p,
            };
            let mut class = EventClass::ALL[c - 1];
            // An intensional verb the lexicon knows ("ordered", "wanted") with an
            // infinitive or "that" complement close after it: the model under-uses
            // I_ACTION / I_STATE there (measured on the held-out split: docs/events.md).
            if class == EventClass::Occurrence && p == EventPos::Verb {
                use lexicon::Cue;
                let cue = s.infos[i].info.cue;
                if matches!(cue, Some(Cue::IAction | Cue::IState))
                    && s.infos[i + 1..(i + 5).min(s.infos.len())]
                        .iter()
                        .any(|t| t.lower == self.to_hash || t.lower == self.that_hash)
                {
                    class = if cue == Some(Cue::IAction) { EventClass::IAction } else { EventClass::IState };
                }
            }
            s.found.push(Found { tok: i, class, pos: p, tense: tense_of(tense), aspect: aspect_of(aspect) });
        }
    }
}

impl Default for EventTagger {
    fn default() -> Self {
        EventTagger::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagger_is_send_sync() {
        fn is<T: Send + Sync>() {}
        is::<EventTagger>();
    }

    #[test]
    fn builtin_model_loads() {
        let t = EventTagger::from_model_bytes(BUILTIN).unwrap();
        assert_eq!(t.events("The king signed the treaty."), EventTagger::new().events("The king signed the treaty."));
        assert!(EventTagger::from_model_bytes(b"nope").is_err());
    }

    /// The engine's predictions (cached word shares, fused attribute rows) are the
    /// plain per-head sums over every feature, token by token.
    #[test]
    fn engine_matches_plain_heads() {
        let model = Model::from_bytes(BUILTIN).unwrap();
        let engine = Engine::new(&model).unwrap();
        let text = "On Monday the envoys hadn't signed it; the talks, said Ms. Orr, would resume. \
                    Zürich's council voted to allow the monks to visit in May 1721 — unexpectedly, \
                    antidisestablishmentarianism notwithstanding.\n\n\
                    Signing the pact, the Prussians were defeated by the invasion of Russia.";
        let mut words = WordCache::default();
        // Twice: the second pass reads every word from the cache.
        for _ in 0..2 {
            for r in crate::text::sentences(text) {
                let mut toks = Vec::new();
                tokenize_into(text, r.start, r.end, &mut toks);
                let (mut infos, mut shares) = (Vec::new(), Vec::new());
                for t in &toks {
                    words.push(&engine, Lexicon::get(), &text[t.start..t.end], &mut infos, &mut shares);
                    let info = infos.last_mut().unwrap();
                    info.start = t.start;
                    info.end = t.end;
                }
                let mut plain = Vec::new();
                features::analyze(text, &toks, Lexicon::get(), &mut String::new(), &mut plain);
                for (a, b) in infos.iter().zip(&plain) {
                    assert_eq!(
                        (a.start, a.end, a.lower, a.suf3, a.shape, a.stem, a.cap),
                        (b.start, b.end, b.lower, b.suf3, b.shape, b.stem, b.cap)
                    );
                }
                engine.check_against(&model.heads, &infos, &shares);
            }
        }
    }

    fn find<'a>(events: &'a [Event], trigger: &str) -> &'a Event {
        events.iter().find(|e| e.trigger == trigger).unwrap_or_else(|| {
            panic!("no event {trigger:?} in {:?}", events.iter().map(|e| &e.trigger).collect::<Vec<_>>())
        })
    }

    /// Do-support: the bare verb after "did/does/do" and a negation is a negated verb event.
    #[test]
    fn bare_verb_after_do_support_is_a_negated_event() {
        let t = EventTagger::new();
        for (text, verb, tense) in [
            ("The crew didn't sail that winter.", "sail", Tense::Past),
            ("The ferry did not really sail at dawn.", "sail", Tense::Past),
            ("The ferry does not sail on Sundays.", "sail", Tense::Present),
        ] {
            let events = t.events(text);
            let e = find(&events, verb);
            assert_eq!(
                (e.pos, e.tense, e.polarity, e.modality),
                (EventPos::Verb, tense, Polarity::Neg, Modality::Negated),
                "{text}"
            );
        }
        // Nothing is added without a verb after the negation.
        assert!(t.events("They did not.").iter().all(|e| e.trigger != "not"));
    }

    /// A prevented event did not happen.
    #[test]
    fn prevented_events_are_negated() {
        let events = EventTagger::new().events("The guards prevented the prisoners from escaping.");
        let e = find(&events, "escaping");
        assert_eq!(e.modality, Modality::Negated);
        assert_eq!(e.polarity, Polarity::Pos);
    }

    /// "May" inside a sentence is the month, not the modal.
    #[test]
    fn the_month_may_is_not_a_modal() {
        let events = EventTagger::new().events("The 3 May explosion destroyed the bridge.");
        if let Some(e) = events.iter().find(|e| e.trigger == "explosion") {
            assert_eq!(e.modality, Modality::Actual);
        }
        let events = EventTagger::new().events("The army may attack the town.");
        assert_eq!(find(&events, "attack").modality, Modality::HypotheticalConditional);
    }
}
