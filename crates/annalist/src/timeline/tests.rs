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

/// The entry status of the first event with this trigger.
fn status<'a>(t: &'a Timeline, trigger: &str) -> &'a str {
    event(t, trigger).status()
}

#[test]
fn inherited_days_coarsen_as_the_story_moves_on() {
    let t = tl("On 3 June 1888 the expedition left the coast. The porters carried the supplies. \
         The guides crossed the river. Then the rains came.\n\
         The column reached the hills.");
    // The next sentence keeps the day; later ones in the paragraph only the month; a
    // new paragraph only the year.
    assert_eq!((anchor(&t, "carried").value.as_str(), anchor(&t, "carried").relation), ("1888-06-03", Relation::On));
    let crossed = anchor(&t, "crossed");
    assert_eq!(
        (crossed.value.as_str(), crossed.relation, crossed.granularity.as_str()),
        ("1888-06", Relation::During, "month")
    );
    assert_eq!(crossed.label, "June 1888");
    assert_eq!(crossed.source, AnchorSource::Narrative);
    assert_eq!(anchor(&t, "reached").value, "1888");
    // No TLINK claims that the crossing is inside 3 June.
    let i = t.events.iter().position(|e| e.event.trigger == "crossed").unwrap();
    assert!(!tlinks(&t).iter().any(|l| l.event == i));
    let j = t.events.iter().position(|e| e.event.trigger == "carried").unwrap();
    assert!(tlinks(&t).iter().any(|l| l.event == j));
}

#[test]
fn states_inherit_only_the_year() {
    let t = tl("On 12 March 1904 the mill burned down. The owners seemed unable to rebuild it.");
    let a = anchor(&t, "seemed");
    assert_eq!((a.value.as_str(), a.relation), ("1904", Relation::During));
}

#[test]
fn habitual_clauses_and_quotations_inherit_nothing() {
    let t = tl("In May 1871 the fishermen left the harbour. The villagers usually dried the nets on the beach. \
         The mayor wrote: \"We rebuilt the pier and mended the boats.\"");
    assert!(event(&t, "dried").anchor.is_none(), "habitual");
    assert!(event(&t, "rebuilt").anchor.is_none(), "quoted");
    assert!(event(&t, "wrote").anchor.is_some());
    // Undated, they stay on the timeline, flagged.
    let dried = t.entries.iter().find(|e| t.events[e.event].event.trigger == "dried").unwrap();
    assert!(!dried.anchored);
}

#[test]
fn a_time_in_parentheses_is_an_aside() {
    // Life dates in parentheses do not date the clause when the sentence has its own time.
    let t = tl("In 1850 the colonists, led by Ames (1801–1870), founded the town.");
    assert_eq!(anchor(&t, "founded").value, "1850");
    // Without any other time, the parenthesised one still serves.
    let t = tl("The allies opened a second front with the northern campaign (1915).");
    assert_eq!(anchor(&t, "opened").value, "1915");
}

#[test]
fn a_time_inside_the_subject_dates_its_noun_only() {
    let t = tl("The town grew quickly in 1860. The 4 May 1861 flood ruined the harvest.");
    // "ruined" is a consequence of the flood, told without a time of its own.
    let a = anchor(&t, "ruined");
    assert_eq!(a.source, AnchorSource::Narrative);
    assert_eq!(a.value, "1860");
    if let Some(flood) = t.events.iter().find(|e| e.event.trigger == "flood") {
        assert_eq!(flood.anchor.as_ref().map(|a| a.value.as_str()), Some("1861-05-04"));
    }
    // Inside a prepositional phrase the time still dates the verb.
    let t = tl("The islands were returned to the crown in the 1783 peace settlement.");
    assert_eq!(anchor(&t, "returned").value, "1783");
}

#[test]
fn a_verb_after_and_takes_its_own_time() {
    let t = tl("The siege started on 4 March 1862 and lasted until 20 April 1862.");
    let a = anchor(&t, "lasted");
    assert_eq!(a.relation, Relation::FromTo);
    assert_eq!((a.value.as_str(), a.until.as_deref()), ("1862-03-04", Some("1862-04-20")));
    assert_eq!(anchor(&t, "started").value, "1862-03-04");
    // A time before "and" inside a subject does not count as a conjunct.
    let t = tl("In 1871 the farmers and the millers rebuilt the dam.");
    assert_eq!(anchor(&t, "rebuilt").source, AnchorSource::Clause);
}

#[test]
fn after_and_before_adjuncts_order_the_main_clause() {
    let t = tl("After signing the treaty on 9 June 1875, the envoy returned home.");
    let a = anchor(&t, "returned");
    assert_eq!((a.relation, a.value.as_str(), a.source), (Relation::After, "1875-06-09", AnchorSource::Sentence));
    assert_eq!(anchor(&t, "signing").relation, Relation::On);
    let t = tl("On 2 August 1802, the rebels surrendered after signing a truce.");
    assert_eq!(anchor(&t, "surrendered").relation, Relation::On);
    let signing = anchor(&t, "signing");
    assert_eq!((signing.relation, signing.value.as_str()), (Relation::Before, "1802-08-02"));
}

#[test]
fn a_state_in_a_relative_clause_takes_no_fronted_day() {
    let t = tl("On 14 July 1830, the crowd stormed the old tower, which was regarded as a symbol of the old order.");
    assert_eq!(anchor(&t, "stormed").value, "1830-07-14");
    let regarded = event(&t, "regarded");
    assert_ne!(regarded.anchor.as_ref().map(|a| a.value.as_str()), Some("1830-07-14"));
}

#[test]
fn capitalised_event_words_are_names_and_inherit_nothing() {
    let t = tl("In 1812 the army marched east. The veterans later wrote about the Great Retreat.");
    if let Some(e) = t.events.iter().find(|e| e.event.trigger == "Retreat") {
        assert!(e.anchor.is_none());
    }
}

#[test]
fn the_writers_present_and_repeated_mentions_are_not_entries() {
    let t =
        tl("In 1904 the strike began. The strike closed the mines. Historians believe that the owners lost money. \
         The miners returned in 1905.");
    assert_eq!(status(&t, "believe"), "writers_present");
    assert!(!event(&t, "believe").occurred);
    // "The strike" again, with no time of its own: the same strike.
    let second = t.events.iter().filter(|e| e.event.trigger == "strike").nth(1);
    if let Some(s) = second {
        assert_eq!(s.status(), "mention");
        assert!(!s.occurred);
    }
    assert!(order(&t).contains(&"returned"));
    // A story told in the present keeps its present-tense events.
    let t = tl("In 1805 the admiral sails south. He meets the enemy fleet. He wins the battle.");
    assert_eq!(status(&t, "meets"), "occurred");
}

#[test]
fn later_and_soon_put_a_clause_after_the_time_around_it() {
    let t = tl("On 2 October 1940 the raid came; soon the harbour burned. \
         On 3 May 1916 the ships sailed. Later, they met the enemy. The later campaigns failed.");
    let burned = anchor(&t, "burned");
    assert_eq!((burned.relation, burned.value.as_str()), (Relation::After, "1940-10-02"));
    assert_eq!(anchor(&t, "came").relation, Relation::On);
    let met = anchor(&t, "met");
    assert_eq!((met.relation, met.source), (Relation::After, AnchorSource::Narrative));
    // A time from another segment of the same sentence.
    let t2 = tl("In 1915, the plan was drawn up; its rollout came later.");
    let came = anchor(&t2, "came");
    assert_eq!((came.relation, came.value.as_str(), came.source), (Relation::After, "1915", AnchorSource::Sentence));
    assert_eq!(anchor(&t2, "drawn").relation, Relation::During);
    // "later" as an adjective says nothing about order.
    if let Some(a) = event(&t, "failed").anchor.as_ref() {
        assert_ne!(a.relation, Relation::After);
    }
}
