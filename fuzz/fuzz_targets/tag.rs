//! `Tagger::tag` over any bytes (decoded as UTF-8, invalid bytes replaced), with any
//! document creation time and domain. Nothing may panic, and the result must keep the
//! invariants of `annalist_fuzz::check_timexes`.
#![no_main]

use annalist_fuzz::{CtxSpec, check_timexes, tagger};
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
    let timexes = tagger().tag(&text, &ctx);
    check_timexes(&text, &timexes);
});
