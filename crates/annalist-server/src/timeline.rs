//! The pluggable timeline builder behind `POST /v1/timeline`.
//!
//! annalist's timeline module does not exist yet, so the default builder answers
//! 501. To plug the real one in, change [`default_timeline_builder`] (the only
//! place to edit) to return it, e.g.
//!
//! ```ignore
//! pub fn default_timeline_builder() -> Arc<dyn TimelineBuilder> {
//!     Arc::new(|tagger: &Tagger, text: &str, ctx: &Context| {
//!         let timeline = annalist::timeline::build(tagger, text, ctx);
//!         serde_json::to_value(timeline).map_err(|e| TimelineError::Failed(e.to_string()))
//!     })
//! }
//! ```
//!
//! or hand one to [`crate::Server::with_timeline`] at start-up.

use std::sync::Arc;

use annalist::{Context, Tagger};

/// Why a timeline could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimelineError {
    /// This build has no timeline support (501).
    #[error("{0}")]
    NotImplemented(String),
    /// The document could not be put on a timeline (422).
    #[error("{0}")]
    Failed(String),
}

/// Builds the timeline of one document as JSON. Runs on the tagging pool.
///
/// Any `Fn(&Tagger, &str, &Context) -> Result<serde_json::Value, TimelineError>`
/// closure is a builder.
pub trait TimelineBuilder: Send + Sync + 'static {
    /// The timeline of `text` read with `ctx`, as the JSON put under `"timeline"`.
    fn build(&self, tagger: &Tagger, text: &str, ctx: &Context) -> Result<serde_json::Value, TimelineError>;
}

impl<F> TimelineBuilder for F
where
    F: Fn(&Tagger, &str, &Context) -> Result<serde_json::Value, TimelineError> + Send + Sync + 'static,
{
    fn build(&self, tagger: &Tagger, text: &str, ctx: &Context) -> Result<serde_json::Value, TimelineError> {
        self(tagger, text, ctx)
    }
}

/// The builder the server uses unless told otherwise.
///
/// LEAD: once `annalist::timeline` exists, return a builder calling it here.
pub fn default_timeline_builder() -> Arc<dyn TimelineBuilder> {
    Arc::new(|_: &Tagger, _: &str, _: &Context| {
        Err(TimelineError::NotImplemented(
            "timelines are not implemented in this build yet; POST /v1/tag returns the time expressions".to_string(),
        ))
    })
}
