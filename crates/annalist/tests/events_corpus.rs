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
