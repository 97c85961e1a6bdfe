//! Behaviour of the built-in event model on our own sentences.

use annalist::event::{Event, EventClass, EventPos, EventTagger, Modality, Polarity, Span, Tense};

fn find<'a>(evs: &'a [Event], w: &str) -> &'a Event {
    evs.iter()
        .find(|e| e.trigger == w)
        .unwrap_or_else(|| panic!("no event {w:?} in {:?}", evs.iter().map(|e| &e.trigger).collect::<Vec<_>>()))
}

fn names(spans: &[Span]) -> Vec<&str> {
    spans.iter().map(|s| s.text.as_str()).collect()
}

#[test]
fn finds_verbs_and_event_nouns_with_offsets() {
    let t = EventTagger::new();
    let text = "The minister said that the troops crossed the river. The invasion began at dawn.";
    let evs = t.events(text);
    for w in ["said", "crossed", "invasion", "began"] {
        let e = find(&evs, w);
        assert_eq!(&text[e.start..e.end], w);
    }
    assert!(evs.iter().all(|e| e.trigger != "the" && e.trigger != "river"));
    assert_eq!(find(&evs, "said").sentence, 0);
    assert_eq!(find(&evs, "began").sentence, 1);
    assert_eq!(find(&evs, "crossed").pos, EventPos::Verb);
    assert_eq!(find(&evs, "invasion").pos, EventPos::Noun);
}

#[test]
fn obvious_classes() {
    let t = EventTagger::new();
    let evs = t.events("The general said the siege began in spring, and reporters saw the fire.");
    assert_eq!(find(&evs, "said").class, EventClass::Reporting);
    assert_eq!(find(&evs, "began").class, EventClass::Aspectual);
    assert_eq!(find(&evs, "saw").class, EventClass::Perception);
    let evs = t.events("The king wanted peace, and he ordered the envoys to negotiate.");
    assert_eq!(find(&evs, "wanted").class, EventClass::IState);
    assert_eq!(find(&evs, "ordered").class, EventClass::IAction);
}

#[test]
fn negated_modal_future_and_requested() {
    let t = EventTagger::new();
    let evs = t.events("The garrison did not attack the town.");
    let a = find(&evs, "attack");
    assert_eq!(a.polarity, Polarity::Neg);
    assert_eq!(a.modality, Modality::Negated);

    let evs = t.events("The duke would visit the abbey.");
    assert_eq!(find(&evs, "visit").modality, Modality::HypotheticalConditional);

    let evs = t.events("The fleet will sail to the island.");
    let s = find(&evs, "sail");
    assert_eq!(s.modality, Modality::Future);
    assert_eq!(s.tense, Tense::Future);

    let evs = t.events("The rebels were asking the governor to allow the monks to visit the island.");
    assert_eq!(find(&evs, "allow").modality, Modality::IntendedRequested);
    assert_eq!(find(&evs, "visit").modality, Modality::IntendedRequested);

    let evs = t.events("If the barons rebelled, the king could lose his throne.");
    assert_eq!(find(&evs, "rebelled").modality, Modality::HypotheticalConditional);

    let evs = t.events("The senate refused to ratify the agreement.");
    assert_eq!(find(&evs, "ratify").modality, Modality::Negated);

    let evs = t.events("The armies fought for three days.");
    let f = find(&evs, "fought");
    assert_eq!(f.modality, Modality::Actual);
    assert_eq!(f.polarity, Polarity::Pos);
    assert_eq!(f.tense, Tense::Past);
}

#[test]
fn participants() {
    let t = EventTagger::new();
    let evs = t.events("Stalin, Molotov and Ribbentrop held talks in the Kremlin.");
    assert_eq!(names(&find(&evs, "talks").actors), ["Stalin", "Molotov", "Ribbentrop"]);

    let evs = t.events("Germany proposed to the Soviet Union a treaty of friendship.");
    let p = find(&evs, "proposed");
    assert_eq!(names(&p.actors), ["Germany"]);
    assert_eq!(names(&p.patients), ["the Soviet Union"]);

    let evs = t.events("The army was defeated by the Prussians near the border.");
    let d = find(&evs, "defeated");
    assert_eq!(names(&d.actors), ["the Prussians"]);
    assert_eq!(names(&d.patients), ["The army"]);

    let evs = t.events("Napoleon's invasion of Russia failed.");
    let i = find(&evs, "invasion");
    assert_eq!(names(&i.actors), ["Napoleon"]);
    assert_eq!(names(&i.patients), ["Russia"]);

    // An adverb beside the verb belongs to neither side.
    let evs = t.events("In the end a truce soon followed.");
    assert_eq!(names(&find(&evs, "followed").actors), ["a truce"]);
    let evs = t.events("The bridge was rebuilt and its opening came later.");
    assert!(find(&evs, "came").patients.is_empty());
}

#[test]
fn awkward_input_does_not_panic() {
    let t = EventTagger::new();
    for s in ["", "   \n\n ", "...!!!???", "Zürich — the talks’ failure; “they said” it’s over…", "didn't n't 's", "A"]
    {
        let evs = t.events(s);
        for e in &evs {
            assert!(s.is_char_boundary(e.start) && s.is_char_boundary(e.end));
            assert_eq!(&s[e.start..e.end], e.trigger);
        }
    }
}
