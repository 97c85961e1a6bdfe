//! The TimeML reader over any bytes (the `tag --from timeml` path): reading either
//! fails with an error or gives a document whose text is tagged, written back into the
//! original XML, and read again to the same text.
#![no_main]

use annalist::Context;
use annalist::format::timeml::{read_timeml, write_timeml};
use annalist_fuzz::{check_timexes, tagger};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let xml = String::from_utf8_lossy(data);
    let Ok(doc) = read_timeml(&xml, "fuzz.tml") else { return };
    for g in &doc.timexes {
        assert!(doc.text.get(g.start..g.end).is_some(), "gold TIMEX3 span not a slice of the text");
    }
    for g in &doc.events {
        assert!(doc.text.get(g.start..g.end).is_some(), "gold EVENT span not a slice of the text");
    }
    let ctx = Context { dct: doc.dct, ..Context::default() };
    let timexes = tagger().tag(&doc.text, &ctx);
    check_timexes(&doc.text, &timexes);
    if let Ok(written) = write_timeml(&xml, &timexes) {
        let again = read_timeml(&written, "fuzz.tml").expect("written TimeML reads back");
        assert_eq!(again.text, doc.text);
    }
});
