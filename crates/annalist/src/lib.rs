//! # annalist
//!
//! Temporal information extraction: find time expressions in English text, normalize
//! them to TimeML TIMEX3 values, and anchor them in news (to the document creation
//! time) and in narratives (to the time the story has reached).
//!
//! ```
//! use annalist::{Context, Domain, Tagger};
//!
//! let tagger = Tagger::new();
//! let text = "On August 20th, 1939 the envoy left. The next day he arrived.";
//! let timexes = tagger.tag(text, &Context::narrative());
//! let values: Vec<String> = timexes.iter().map(|t| t.value.to_string()).collect();
//! assert_eq!(values, ["1939-08-20", "1939-08-21"]);
//! ```
//!
//! The pipeline, one module a stage: [`text`] (offsets, sentences) →
//! `recognize` (rules → candidate spans) → `anchor` (typed values resolved against
//! the reference time) → [`format`] (readers and writers) and [`eval`] (scoring).

#![warn(missing_docs)]

mod anchor;
pub mod eval;
pub mod event;
pub mod format;
mod recognize;
pub mod text;
pub mod timeline;
pub mod value;

use std::sync::Arc;

pub use value::{Date, Duration, Granularity, Mod, Part, PartOfDay, Season, Time, TimexType, Unit, Value, Year};

/// What kind of text a document is, which decides what relative expressions anchor to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Domain {
    /// News: deictic expressions ("yesterday", "on Monday") anchor to the document
    /// creation time, with tense choosing past or future.
    News,
    /// Narrative: relative expressions anchor to the time the story has reached.
    Narrative,
    /// News when a document creation time is given, narrative otherwise.
    #[default]
    Auto,
}

impl Domain {
    /// Parses `news`, `narrative` or `auto`.
    pub fn parse(s: &str) -> Option<Domain> {
        match s.to_ascii_lowercase().as_str() {
            "news" => Some(Domain::News),
            "narrative" | "narratives" | "history" => Some(Domain::Narrative),
            "auto" => Some(Domain::Auto),
            _ => None,
        }
    }
}

/// What the tagger knows about a document besides its text.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The document creation time, if known (a day or finer). The tagger ignores one
    /// with a field out of range ([`Date::in_range`]: a year beyond ±9999, month 13…),
    /// as if it were absent; [`Context::with_dct`] refuses those.
    pub dct: Option<Date>,
    /// The document's domain.
    pub domain: Domain,
}

impl Context {
    /// A narrative without a creation time.
    pub fn narrative() -> Context {
        Context { dct: None, domain: Domain::Narrative }
    }

    /// A news document written on `dct`.
    pub fn news(dct: Date) -> Context {
        Context { dct: Some(dct), domain: Domain::News }
    }

    /// Reads a DCT given as `YYYY-MM-DD` (or any TIMEX3 date value) for `domain`. A
    /// value with a field out of range ([`Date::in_range`]), such as `1998-13-45`, is an
    /// error.
    pub fn with_dct(dct: &str, domain: Domain) -> Result<Context, Error> {
        match Value::parse(dct) {
            Ok(Value::Date(d)) if (d.civil().is_some() || d.is_complete()) && d.in_range() => {
                Ok(Context { dct: Some(d), domain })
            }
            _ => Err(Error::BadDct(dct.to_string())),
        }
    }

    /// The context the tagger works with: the DCT dropped when it is out of range
    /// ([`Date::in_range`]).
    pub(crate) fn checked(&self) -> Context {
        Context { dct: self.dct.filter(Date::in_range), domain: self.domain }
    }

    /// The domain actually used: `Auto` resolves by whether a DCT is present.
    pub fn effective_domain(&self) -> Domain {
        match self.domain {
            Domain::Auto if self.dct.is_some() => Domain::News,
            Domain::Auto => Domain::Narrative,
            d => d,
        }
    }
}

/// One time expression found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Timex {
    /// Start byte offset in the text.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// The normalized value.
    pub value: Value,
    /// TIMEX3 `mod`, when the text qualifies the value ("early", "about").
    pub modifier: Option<Mod>,
    /// TIMEX3 `freq` for SETs ("twice a week" → `2X`).
    pub freq: Option<String>,
    /// TIMEX3 `quant` for SETs ("every" → `EVERY`).
    pub quant: Option<String>,
    /// The id of the rule that recognized it (for debugging and `eval --errors`).
    pub rule: Arc<str>,
    /// Index of the expression this one is an alternative to ("the 22nd or 23rd"), if any.
    pub alternative_of: Option<usize>,
}

/// Errors from building inputs for the tagger.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A document creation time that is not a valid day.
    #[error("invalid document creation time {0:?}: expected YYYY-MM-DD")]
    BadDct(String),
    /// A TimeML or TIMEX2 document that cannot be read.
    #[error("{file}:{line}: {message}")]
    Format {
        /// The file (or record id).
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// The temporal tagger. Build it once; it is immutable, `Send + Sync` and cheap to share.
pub struct Tagger {
    rules: recognize::RuleSet,
}

impl Tagger {
    /// Builds the English tagger from the built-in resources.
    pub fn new() -> Tagger {
        Tagger { rules: recognize::RuleSet::english() }
    }

    /// Finds and normalizes the time expressions of `text`, in text order.
    pub fn tag(&self, text: &str, ctx: &Context) -> Vec<Timex> {
        self.tag_in(text, ctx, &text::sentences(text))
    }

    /// [`Tagger::tag`] given the sentences of `text` (as [`text::sentences`] splits it).
    pub(crate) fn tag_in(&self, text: &str, ctx: &Context, sentences: &[std::ops::Range<usize>]) -> Vec<Timex> {
        let ctx = &ctx.checked();
        let cands = self.rules.find(text, ctx.effective_domain());
        anchor::resolve(text, cands, ctx, &self.rules, sentences)
    }

    /// The number of recognition rules loaded.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }
}

impl Default for Tagger {
    fn default() -> Self {
        Tagger::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tagger_is_send_sync() {
        fn is<T: Send + Sync>() {}
        is::<Tagger>();
    }
}
