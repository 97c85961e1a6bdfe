//! Held-out scores of the built-in event model on TBAQ-cleaned (skipped when the
//! corpora are not installed).

use std::path::{Path, PathBuf};

use annalist::event::{EventTagger, evaluate};

const CORPORA: &str = "/work/shared/corpora";

#[test]
fn heldout_tbaq_scores() {
    let root = Path::new(CORPORA).join("tbaq-cleaned");
    if !root.is_dir() {
        eprintln!("skipping: {} not found", root.display());
        return;
    }
    let tagger = EventTagger::new();
    let r = evaluate(&tagger, &[PathBuf::from(&root)], true).expect("corpus reads");
    eprint!("{r}");
    assert!(r.docs >= 30 && r.gold > 1000, "held-out split too small: {r:?}");
    let (_, _, relaxed) = r.relaxed_prf();
    let (_, _, class) = r.class_prf();
    assert!(relaxed >= 85.0, "relaxed extraction F1 {relaxed:.1} < 85");
    assert!(class >= 73.0, "class F1 {class:.1} < 73");
}

/// The corpora beside the repository (`../shared/corpora`), else `/work/shared/corpora`.
fn corpora() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    [beside, PathBuf::from(CORPORA)].into_iter().find(|p| p.join("tbaq-cleaned").is_dir())
}

/// `annalist train events` with the documented options (the defaults) rebuilds the
/// shipped model byte for byte. Skipped without the corpora, and in unoptimized builds
/// (training takes minutes there; `scripts/test` builds the optimized `ci` profile).
#[test]
fn retraining_reproduces_the_shipped_model() {
    let Some(root) = corpora() else {
        eprintln!("skipping: no shared/corpora beside the repository or at {CORPORA}");
        return;
    };
    if cfg!(debug_assertions) {
        eprintln!("skipping: unoptimized build (run with --profile ci or --release)");
        return;
    }
    let cfg = annalist::event::TrainConfig {
        gold: vec![root.join("tbaq-cleaned")],
        silver: vec![root.join("te3-silver")],
        ..Default::default()
    };
    let rep = annalist::event::train(&cfg).expect("training runs");
    let shipped: &[u8] = include_bytes!("../models/events.bin");
    assert!(
        rep.model == shipped,
        "retrained model ({} bytes) differs from models/events.bin ({} bytes): retrain with the command in \
         docs/events.md and ship the result",
        rep.model.len(),
        shipped.len()
    );
}
