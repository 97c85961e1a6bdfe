//! The pluggable timeline builder behind `POST /v1/timeline`.
//!
//! The default builder is annalist's own timeline ([`default_timeline_builder`]);
//! another one can be handed to [`crate::Server::with_timeline`] at start-up.

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

/// The builder the server uses unless told otherwise: annalist's own timeline
/// (`annalist::timeline::build`), with the event model loaded once per process.
pub fn default_timeline_builder() -> Arc<dyn TimelineBuilder> {
    static EVENTS: std::sync::OnceLock<annalist::event::EventTagger> = std::sync::OnceLock::new();
    Arc::new(|tagger: &Tagger, text: &str, ctx: &Context| {
        let events = EVENTS.get_or_init(annalist::event::EventTagger::new);
        let timeline = annalist::timeline::build(text, ctx, tagger, events);
        serde_json::to_value(timeline).map_err(|e| TimelineError::Failed(e.to_string()))
    })
}
