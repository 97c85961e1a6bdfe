//! The TimelineJS3 JSON format: `{"title": …, "events": [slide…]}`.

use serde::{Deserialize, Serialize};

use super::{Doc, when_label};
use crate::timeline::calendar::{civil_from_days, historical};
use crate::timeline::{Anchor, Relation};

/// A TimelineJS date: `year` is required; BC years are negative (480 BC is `-480`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsDate {
    /// The year (negative for BC; there is no year 0).
    pub year: i64,
    /// 1–12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u8>,
    /// 1–31.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<u8>,
    /// 0–23.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hour: Option<u8>,
    /// 0–59.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minute: Option<u8>,
    /// How to show it ("late 1938").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
}

/// A TimelineJS text object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsText {
    /// The title line.
    pub headline: String,
    /// The body (HTML allowed by TimelineJS; written escaped).
    pub text: String,
}

/// A TimelineJS slide (one event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsEvent {
    /// When it starts.
    pub start_date: JsDate,
    /// When it ends, for periods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date: Option<JsDate>,
    /// Headline and evidence.
    pub text: JsText,
    /// The row it is drawn in: the first participant, or the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The date as shown ("22 or 23 August 1939").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_date: Option<String>,
    /// `docid-e12`.
    pub unique_id: String,
}

/// A TimelineJS document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsTimeline {
    /// The title slide.
    pub title: JsTitle,
    /// The events.
    pub events: Vec<JsEvent>,
}

/// The title slide (text only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsTitle {
    /// Its text.
    pub text: JsText,
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The TimelineJS date of an axis position, to the given granularity
/// (`year`, `month`, `day` or finer).
fn js_date(days: f64, granularity: &str) -> JsDate {
    let whole = days.floor();
    let (y, m, d) = civil_from_days(whole as i64);
    let mins = ((days - whole) * 1440.0).round() as i64;
    let fine = matches!(granularity, "part_of_day" | "hour" | "minute" | "second");
    let coarse = matches!(granularity, "millennium" | "century" | "decade" | "year");
    let month_level = matches!(granularity, "month" | "season" | "quarter" | "half" | "week");
    JsDate {
        year: historical(y),
        month: (!coarse).then_some(m),
        day: (!coarse && !month_level).then_some(d),
        hour: fine.then_some((mins / 60).min(23) as u8),
        minute: (fine && mins % 60 != 0).then_some((mins % 60) as u8),
        display_date: None,
    }
}

/// A granularity fine enough to show a narrowed period ("late 1938" shows months).
fn shown_granularity(a: &Anchor) -> &str {
    match (a.modifier.as_deref(), a.granularity.as_str()) {
        (Some("START" | "MID" | "END"), "year" | "decade" | "century" | "millennium" | "half") => "month",
        (Some("START" | "MID" | "END"), "month" | "season" | "quarter" | "week") => "day",
        (_, g) => g,
    }
}

/// Converts timelines to TimelineJS3 JSON. Only anchored entries are written
/// (TimelineJS needs a `start_date`); periods get an `end_date` (the last day they
/// cover). `group` is the first participant, or the document id when `by_document`.
pub fn timelinejs(docs: &[Doc], title: &str, by_document: bool) -> JsTimeline {
    let mut events = Vec::new();
    for d in docs {
        for entry in &d.timeline.entries {
            let te = &d.timeline.events[entry.event];
            let (Some(a), true) = (&te.anchor, entry.anchored) else { continue };
            let g = shown_granularity(a);
            let iv = a.interval;
            let mut start = js_date(iv.start, g);
            let point = matches!(a.relation, Relation::Before | Relation::After | Relation::From | Relation::Until);
            let end = if point || iv.end <= iv.start {
                None
            } else {
                // The last instant inside the period, at the shown granularity.
                let last = if matches!(g, "part_of_day" | "hour" | "minute" | "second") {
                    iv.end - 1.0 / 1440.0
                } else {
                    iv.end - 0.5
                };
                let e = js_date(last, g);
                (e != start).then_some(e)
            };
            let label = when_label(te);
            start.display_date = Some(label.clone());
            let who = te.participants();
            let headline = if who.is_empty() {
                te.event.trigger.clone()
            } else {
                format!("{} — {}", te.event.trigger, who.join(", "))
            };
            let group = if by_document { Some(d.id.to_string()) } else { who.first().map(|s| s.to_string()) };
            events.push(JsEvent {
                start_date: start,
                end_date: end,
                text: JsText {
                    headline: html_escape(&headline),
                    text: html_escape(d.timeline.evidence(d.text, entry)),
                },
                group,
                display_date: Some(label),
                unique_id: format!("{}-e{}", d.id, entry.event + 1),
            });
        }
    }
    JsTimeline {
        title: JsTitle {
            text: JsText {
                headline: html_escape(title),
                text: format!("{} events, generated by annalist", events.len()),
            },
        },
        events,
    }
}
