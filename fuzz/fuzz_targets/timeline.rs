//! The event tagger and `timeline::build` over any text and context, then every
//! timeline writer. Nothing may panic; indices must point inside the timeline; the JSON
//! record must read back; the TimeML output must be readable TimeML.
#![no_main]

use annalist::format::timeline::{self as out, Doc, TimelineRecord};
use annalist::format::timeml::read_timeml;
use annalist::timeline;
use annalist_fuzz::{CtxSpec, events, tagger};
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    ctx: CtxSpec,
    text: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let Some(ctx) = input.ctx.context() else { return };
    let text = String::from_utf8_lossy(&input.text);
    let tl = timeline::build(&text, &ctx, tagger(), events());
    for s in &tl.sentences {
        assert!(s.start <= s.end && text.get(s.clone()).is_some(), "sentence {s:?} not a slice of the text");
    }
    for e in &tl.events {
        assert!(text.get(e.event.start..e.event.end) == Some(e.event.trigger.as_str()), "event span");
        if let Some(a) = &e.anchor {
            assert!(a.timex.is_none_or(|i| i < tl.timexes.len()));
            assert!(a.until_timex.is_none_or(|i| i < tl.timexes.len()));
            assert!(a.alternative_timexes.iter().all(|&i| i < tl.timexes.len()));
        }
    }
    for en in &tl.entries {
        assert!(en.event < tl.events.len() && en.sentence < tl.sentences.len().max(1));
        let _ = tl.evidence(&text, en);
    }
    let _ = timeline::tlinks(&tl);

    let doc = Doc { id: "fuzz", text: &text, timeline: &tl };
    let rec = out::timeline_record(&doc);
    let json = serde_json::to_string(&rec).expect("timeline record serializes");
    let back: TimelineRecord = serde_json::from_str(&json).expect("timeline record reads back");
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
    let mut sink = Vec::new();
    out::write_csv(&mut sink, &[doc]).unwrap();
    out::write_markdown(&mut sink, &[doc]).unwrap();
    out::write_html(&mut sink, &[doc], "fuzz", false).unwrap();
    serde_json::to_string(&out::timelinejs(&[doc], "fuzz", true)).expect("timelinejs serializes");
    let tml = out::write_timeml(&doc);
    let read = read_timeml(&tml, "fuzz.tml").expect("timeline TimeML reads back");
    assert_eq!(read.text, *text);
});
