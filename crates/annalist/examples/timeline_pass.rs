//! One pass of timeline building over a set of texts, for profilers (callgrind, perf):
//! `cargo run --profile profiling -p annalist --example timeline_pass -- [MODE] [PASSES] FILE…`
//! with MODE `full` (`timeline::build`), `events`, `timexes` or `anchor` (`build_from`
//! given both), `none` (start-up only). Files are plain text, or TIMEX2 inline
//! (`.sgm` with `<TIMEX2`), whose tags are stripped. Prints the number of bytes read.

use std::hint::black_box;

use annalist::event::EventTagger;
use annalist::format::timex2::read_timex2;
use annalist::timeline::{build, build_from};
use annalist::{Context, Tagger};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "full".into());
    let passes: usize = args.next().and_then(|p| p.parse().ok()).unwrap_or(1);
    let docs: Vec<String> = args
        .map(|p| {
            let raw = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"));
            if raw.contains("<TIMEX2") { read_timex2(&raw, &p).map(|d| d.text).unwrap_or(raw) } else { raw }
        })
        .collect();
    let tagger = Tagger::new();
    let events = EventTagger::new();
    let ctx = Context::narrative();
    let found: Vec<_> = if mode == "anchor" {
        docs.iter().map(|d| (tagger.tag(d, &ctx), events.events(d))).collect()
    } else {
        Vec::new()
    };
    for _ in 0..passes {
        for (k, d) in docs.iter().enumerate() {
            match mode.as_str() {
                "full" => drop(black_box(build(d, &ctx, &tagger, &events))),
                "events" => drop(black_box(events.events(d))),
                "timexes" => drop(black_box(tagger.tag(d, &ctx))),
                "anchor" => drop(black_box(build_from(d, &ctx, &found[k].0, found[k].1.clone()))),
                _ => {}
            }
        }
    }
    println!("{} bytes", docs.iter().map(String::len).sum::<usize>());
}
