//! Throughput of timeline building, on one thread.
//!
//! Input: the WikiWars development articles (tags stripped) when present at
//! `$ANNALIST_WIKIWARS` or `../shared/corpora/wikiwars-train/keyinline` (relative to the
//! workspace) or `/work/shared/corpora/wikiwars-train/keyinline`; otherwise a generated
//! narrative of the same kind of sentences. Each document is one `build` call, as the
//! CLI does it.
//!
//! `cargo bench -p annalist --bench timeline` reports, in bytes per second:
//! - `timeline/full`: `timeline::build` (time expressions + events + anchoring + order);
//! - `timeline/events`: the event tagger alone;
//! - `timeline/timexes`: the temporal tagger alone;
//! - `timeline/anchor_and_order`: `timeline::build_from` given both (this module's own cost).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use annalist::event::EventTagger;
use annalist::format::timex2::read_timex2;
use annalist::timeline::{build, build_from};
use annalist::{Context, Tagger};

fn corpus() -> (String, Vec<String>) {
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Ok(d) = std::env::var("ANNALIST_WIKIWARS") {
        dirs.push(d.into());
    }
    let ws = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    dirs.push(ws.join("shared/corpora/wikiwars-train/keyinline"));
    dirs.push("/work/shared/corpora/wikiwars-train/keyinline".into());
    for d in dirs {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        let docs: Vec<String> = paths
            .iter()
            .filter_map(|p| {
                let raw = std::fs::read_to_string(p).ok()?;
                read_timex2(&raw, &p.display().to_string()).ok().map(|d| d.text)
            })
            .collect();
        if !docs.is_empty() {
            return (format!("WikiWars ({} articles)", docs.len()), docs);
        }
    }
    let who = ["The army", "General Rowe", "The council", "The rebels", "The fleet", "Queen Ada", "The envoys"];
    let what = ["crossed the river", "took the town", "signed a truce", "retreated north", "besieged the fort"];
    let mut docs = Vec::new();
    for d in 0..8 {
        let mut s = String::new();
        for i in 0..600 {
            let y = 1700 + d * 10 + i / 60;
            match i % 4 {
                0 => s.push_str(&format!("In the spring of {y}, {} {}. ", who[i % 7], what[i % 5])),
                1 => s.push_str(&format!("{} {} and did not wait for orders. ", who[(i + 2) % 7], what[(i + 1) % 5])),
                2 => {
                    s.push_str(&format!("On {} May {y} {} asked the envoys to return. ", 1 + i % 28, who[(i + 3) % 7]))
                }
                _ => s.push_str(&format!("Two days later, {} {}. ", who[(i + 5) % 7], what[(i + 3) % 5])),
            }
        }
        docs.push(s);
    }
    ("generated narrative (WikiWars not found)".into(), docs)
}

fn bench(c: &mut Criterion) {
    let (name, docs) = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    eprintln!("timeline bench input: {name}, {bytes} bytes");
    let tagger = Tagger::new();
    let events = EventTagger::new();
    let ctx = Context::narrative();
    let found: Vec<_> = docs.iter().map(|d| (tagger.tag(d, &ctx), events.events(d))).collect();
    let mut g = c.benchmark_group("timeline");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("full", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(build(d, &ctx, &tagger, &events));
            }
        })
    });
    g.bench_function("events", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(events.events(d));
            }
        })
    });
    g.bench_function("timexes", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(tagger.tag(d, &ctx));
            }
        })
    });
    g.bench_function("anchor_and_order", |b| {
        b.iter(|| {
            for (d, (t, e)) in docs.iter().zip(&found) {
                black_box(build_from(d, &ctx, t, e.clone()));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
