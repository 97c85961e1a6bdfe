//! Unit tests of anchoring and ordering, on sentences written for them.

use super::*;
use crate::event::EventTagger;
use crate::{Context, Tagger};

fn tl(text: &str) -> Timeline {
    build(text, &Context::narrative(), &Tagger::new(), &EventTagger::new())
}

fn event<'a>(t: &'a Timeline, trigger: &str) -> &'a TimedEvent {
    t.events.iter().find(|e| e.event.trigger == trigger).unwrap_or_else(|| {
        panic!("no event {trigger:?} in {:?}", t.events.iter().map(|e| &e.event.trigger).collect::<Vec<_>>())
    })
}

fn order(t: &Timeline) -> Vec<&str> {
    t.entries.iter().map(|e| t.events[e.event].event.trigger.as_str()).collect()
}

#[test]
fn debug_dump() {
    let t = tl("On 4 July 1776, the delegates signed the declaration in Philadelphia.");
    for e in &t.events {
        eprintln!("{:?} {:?} {:?} {:?}", e.event.trigger, e.event.modality, e.event.tense, e.anchor.as_ref().map(|a| (&a.value, a.relation, a.source)));
    }
}
