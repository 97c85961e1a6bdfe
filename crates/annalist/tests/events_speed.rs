//! Throughput of the event tagger. Run with
//! `cargo test --release -p annalist --test events_speed -- --ignored --nocapture`;
//! uses the WikiWars texts when /work/shared/corpora exists, our own text otherwise.

use std::time::Instant;

use annalist::event::EventTagger;

fn sample() -> String {
    let dir = std::path::Path::new("/work/shared/corpora/wikiwars-train/in");
    let mut text = String::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut files: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        files.sort();
        for f in files {
            if let Ok(s) = std::fs::read_to_string(&f) {
                // Drop SGML tags; keep the prose.
                let mut in_tag = false;
                for c in s.chars() {
                    match c {
                        '<' => in_tag = true,
                        '>' => in_tag = false,
                        _ if !in_tag => text.push(c),
                        _ => {}
                    }
                }
            }
        }
    }
    if text.is_empty() {
        eprintln!("WikiWars not found: timing on built-in sentences");
        text = "The envoys met in the capital and signed a treaty after long talks. \
                The king did not attack; he would wait until the spring, his advisers said.\n\n"
            .repeat(200);
    }
    text
}

#[test]
#[ignore = "timing; run in release with --ignored"]
fn events_throughput() {
    let t0 = Instant::now();
    // ANNALIST_EVENT_MODEL=path times another model file (no rebuild needed).
    let tagger = match std::env::var("ANNALIST_EVENT_MODEL") {
        Ok(p) => EventTagger::from_model_bytes(&std::fs::read(p).expect("model file")).expect("valid model"),
        Err(_) => EventTagger::new(),
    };
    eprintln!("model load: {:.1} ms", t0.elapsed().as_secs_f64() * 1e3);
    let base = sample();
    let reps = (20_000_000 / base.len().max(1)).max(1);
    let text = base.repeat(reps);
    let t = Instant::now();
    let evs = tagger.events(&text);
    let secs = t.elapsed().as_secs_f64();
    eprintln!(
        "{:.1} MB in {:.2}s: {:.1} MB/s, {} events",
        text.len() as f64 / 1e6,
        secs,
        text.len() as f64 / 1e6 / secs,
        evs.len()
    );
    assert!(!evs.is_empty());
}
