//! Tagger benchmarks: throughput (MB/s) on generated prose, and start-up.
//!
//! `cargo bench -p annalist` runs them; `cargo bench -p annalist -- tag` only the
//! throughput ones. The figures in docs/perf.md come from here and from `bench/`.

use std::hint::black_box;

use annalist::{Context, Domain, Tagger};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod prose;

fn throughput(c: &mut Criterion) {
    let tagger = Tagger::new();
    let news = Context::with_dct("1998-02-13", Domain::News).expect("dct");
    let mut group = c.benchmark_group("tag");
    group.sample_size(20);
    for (name, bytes) in [("prose_64KiB", 64 << 10), ("prose_4MiB", 4 << 20)] {
        let text = prose::prose(bytes, 7);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}/narrative"), |b| {
            b.iter(|| tagger.tag(black_box(&text), &Context::narrative()))
        });
        group.bench_function(format!("{name}/news"), |b| b.iter(|| tagger.tag(black_box(&text), &news)));
    }
    // Many small documents (as in batch mode), tagged one after the other.
    let docs: Vec<String> = (0..256).map(|i| prose::prose(2 << 10, i)).collect();
    group.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
    group.bench_function("docs_256x2KiB/narrative", |b| {
        b.iter(|| docs.iter().map(|d| tagger.tag(black_box(d), &Context::narrative()).len()).sum::<usize>())
    });
    group.finish();
}

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("startup");
    group.sample_size(20);
    group.bench_function("Tagger::new", |b| b.iter(Tagger::new));
    // Building the tagger and tagging one sentence: what a one-shot command pays.
    group.bench_function("new_and_tag_one_sentence", |b| {
        b.iter(|| Tagger::new().tag(black_box("On 3 May 1921 the mill closed for two weeks."), &Context::narrative()))
    });
    group.finish();
}

criterion_group!(benches, throughput, startup);
criterion_main!(benches);
