//! Unit tests of anchoring and ordering, on sentences written for them.

use super::*;
use crate::event::EventTagger;
use crate::{Context, Tagger};

fn tl_in(text: &str, ctx: &Context) -> Timeline {
    build(text, ctx, &Tagger::new(), &EventTagger::new())
}

fn tl(text: &str) -> Timeline {
    tl_in(text, &Context::narrative())
}

fn event<'a>(t: &'a Timeline, trigger: &str) -> &'a TimedEvent {
    t.events.iter().find(|e| e.event.trigger == trigger).unwrap_or_else(|| {
        panic!("no event {trigger:?} in {:?}", t.events.iter().map(|e| &e.event.trigger).collect::<Vec<_>>())
    })
}

fn anchor<'a>(t: &'a Timeline, trigger: &str) -> &'a Anchor {
    event(t, trigger).anchor.as_ref().unwrap_or_else(|| panic!("{trigger:?} has no anchor"))
}

fn order(t: &Timeline) -> Vec<&str> {
    t.entries.iter().map(|e| t.events[e.event].event.trigger.as_str()).collect()
}

#[test]
fn fronted_time_governs_the_sentence() {
    let t = tl("On 4 May 1922, the workers began the foundations.");
    let a = anchor(&t, "began");
    assert_eq!(a.value, "1922-05-04");
    assert_eq!(a.relation, Relation::On);
    assert_eq!(a.source, AnchorSource::Sentence);
    assert_eq!(a.certainty, Certainty::Stated);
    assert_eq!(a.granularity, "day");
}

#[test]
fn clause_time_governs_its_verb_only() {
    // The date after "visit" governs the visit, not the asking before it.
    let t = tl("On 3 March 1850, the mayor wrote to the governor, asking him to visit the town on 10 April 1850.");
    assert_eq!(anchor(&t, "wrote").value, "1850-03-03");
    assert_eq!(anchor(&t, "asking").value, "1850-03-03");
    let visit = event(&t, "visit");
    assert_eq!(visit.anchor.as_ref().unwrap().value, "1850-04-10");
    assert_eq!(visit.anchor.as_ref().unwrap().source, AnchorSource::Clause);
    assert!(!visit.occurred, "a requested visit is not an occurrence");
    assert!(!order(&t).contains(&"visit"));
}

#[test]
fn narrative_reference_time_carries_over() {
    let t = tl("In June 1888 the expedition left the coast. The porters carried the supplies. Then the rains came.");
    let a = anchor(&t, "carried");
    assert_eq!(a.value, "1888-06");
    assert_eq!(a.source, AnchorSource::Narrative);
    assert_eq!(a.certainty, Certainty::Inferred);
    assert_eq!(a.relation, Relation::During);
}

#[test]
fn past_perfect_is_before_the_reference() {
    let t = tl("On 2 July 1905 the captain reached the island. He had sailed from the mainland.");
    let a = anchor(&t, "sailed");
    assert_eq!(a.relation, Relation::Before);
    assert_eq!(a.value, "1905-07-02");
}

#[test]
fn negated_and_hypothetical_events_are_not_on_the_timeline() {
    let t = tl("In May 1901 the council met. The council did not approve the tunnel. It would have cost too much.");
    let approve = event(&t, "approve");
    assert!(!approve.occurred);
    assert_eq!(approve.status(), "negated");
    assert!(!order(&t).contains(&"approve"));
    assert!(order(&t).contains(&"met"));
    if let Some(cost) = t.events.iter().find(|e| e.event.trigger == "cost") {
        assert!(!cost.occurred);
    }
}

#[test]
fn alternatives_stay_alternatives() {
    let t = tl("On 20 October 1810 the king wrote to the envoy, asking him to arrive in Paris on the 22nd or 23rd.");
    let arrive = event(&t, "arrive");
    let a = arrive.anchor.as_ref().expect("anchored");
    assert_eq!(a.value, "1810-10-22");
    assert_eq!(a.alternatives, vec!["1810-10-23".to_string()]);
    assert!(!arrive.occurred, "only asked for");
    assert_eq!(anchor(&t, "wrote").value, "1810-10-20");
    assert_eq!(a.certainty, Certainty::Uncertain);
    assert!(a.label.contains(" or "), "{}", a.label);
    // Neither date is asserted, so no TLINK is claimed for it.
    let i = t.events.iter().position(|e| e.event.trigger == "arrive").unwrap();
    assert!(!tlinks(&t).iter().any(|l| l.event == i && l.time.is_some()));
}

#[test]
fn ranges_have_an_end() {
    let t = tl("From August to October 1923, the crews raised the steel arch.");
    let a = anchor(&t, "raised");
    assert_eq!(a.relation, Relation::FromTo);
    assert_eq!(a.value, "1923-08");
    assert_eq!(a.until.as_deref(), Some("1923-10"));
    assert!(a.interval.end - a.interval.start > 80.0);
    let i = t.events.iter().position(|e| e.event.trigger == "raised").unwrap();
    let links = tlinks(&t);
    let rels: Vec<&str> = links.iter().filter(|l| l.event == i).map(|l| l.rel_type.as_str()).collect();
    assert_eq!(rels, ["BEGUN_BY", "ENDED_BY"]);
}

#[test]
fn chronological_order_with_ties_in_text_order() {
    let t = tl(
        "On 9 March 1862 the ironclads fought at the river mouth. On 8 March 1862 the first ship sank the frigates. \
         On 9 March 1862 the crowds watched from the shore.",
    );
    assert_eq!(order(&t), ["sank", "fought", "watched"]);
    assert!(t.entries.iter().all(|e| e.anchored));
}

#[test]
fn unanchored_events_are_kept_in_text_order_and_flagged() {
    let t = tl("The old fort stood on the hill. In 1790 the garrison abandoned it. The villagers took the stones. \
         In 1750, soldiers built the walls.");
    let o: Vec<String> = order(&t).into_iter().map(String::from).collect();
    let pos = |w: &str| o.iter().position(|x| *x == w).unwrap_or_else(|| panic!("{w} not in {o:?}"));
    // "stood" has no time and nothing dated before it: it comes first.
    assert!(pos("stood") < pos("built") && pos("built") < pos("abandoned"));
    let stood = t.entries.iter().find(|e| t.events[e.event].event.trigger == "stood").unwrap();
    assert!(!stood.anchored && stood.interval.is_none());
    // "took" inherits 1790 from the narrative and follows "abandoned".
    assert!(pos("abandoned") < pos("took"));
}

#[test]
fn bc_years_order_correctly() {
    let t = tl("In 480 BC the fleet sailed to the strait. In 490 BC the army landed on the plain. \
         In 479 BC the allies won the battle.");
    let o: Vec<&str> = order(&t).into_iter().filter(|w| ["landed", "sailed", "won"].contains(w)).collect();
    assert_eq!(o, ["landed", "sailed", "won"]);
    assert_eq!(anchor(&t, "landed").value, "BC0490");
    assert_eq!(anchor(&t, "landed").label, "490 BC");
}

#[test]
fn news_events_anchor_to_the_dct_by_tense() {
    let ctx = Context::with_dct("1998-02-10", crate::Domain::News).unwrap();
    let t = tl_in("The company reported losses. The board will meet.", &ctx);
    let a = anchor(&t, "reported");
    assert_eq!((a.source, a.relation, a.value.as_str()), (AnchorSource::Dct, Relation::Before, "1998-02-10"));
    let links = tlinks(&t);
    assert!(links.iter().any(|l| l.time.is_none() && l.rel_type == "BEFORE"));
}

#[test]
fn participants_from_the_clause() {
    let t = tl(
        "On 5 May 1700, Anna, Boris and Clara signed the letter. The next day the clerk sent a copy directly to Dmitri.",
    );
    let who = event(&t, "signed").participants();
    for name in ["Anna", "Boris", "Clara"] {
        assert!(who.contains(&name), "{name} not in {who:?}");
    }
    assert!(event(&t, "sent").participants().contains(&"Dmitri"));
}

#[test]
fn empty_and_odd_input() {
    for text in ["", "   \n\n ", "1939", "On 1 May.", "!!!", "Zürich — am 3. Mai 1920 geschah nichts."] {
        let t = tl(text);
        assert!(t.entries.len() <= t.events.len());
    }
}
