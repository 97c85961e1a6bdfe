//! Reads the development corpora in /work/shared/corpora when they are present
//! (skips with a message otherwise): every document must parse, the gold counts
//! must match the corpus README, and writing with no expressions must keep the text.

use std::path::{Path, PathBuf};

use annalist::format::timeml::{read_timeml, write_timeml};

fn corpus(rel: &str) -> Option<PathBuf> {
    let root = std::env::var_os("ANNALIST_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/corpora"));
    let p = root.join(rel);
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: corpus folder {} is absent", p.display());
        None
    }
}

fn files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    v.sort();
    v
}

#[test]
fn tbaq_reads_and_round_trips() {
    for (folder, docs, timexes) in [("TimeBank", 183, 1243), ("AQUAINT", 73, 579)] {
        let Some(dir) = corpus(&format!("tbaq-cleaned/{folder}")) else {
            return;
        };
        let paths = files(&dir, ".tml");
        assert_eq!(paths.len(), docs, "{folder}");
        let mut n = 0;
        for p in &paths {
            let xml = std::fs::read_to_string(p).unwrap();
            let doc = read_timeml(&xml, &p.display().to_string()).unwrap();
            assert!(doc.dct.is_some(), "{}: no DCT", p.display());
            for t in &doc.timexes {
                assert!(t.start < t.end && t.end <= doc.text.len());
            }
            n += doc.timexes.len();
            let bare = write_timeml(&xml, &[]).unwrap();
            let again = read_timeml(&bare, "again").unwrap();
            assert_eq!(again.text, doc.text, "{}", p.display());
            assert!(again.timexes.is_empty());
            assert_eq!(again.events.len(), doc.events.len());
            // Writing the gold expressions back gives the same spans and values.
            let gold: Vec<annalist::Timex> = doc
                .timexes
                .iter()
                .filter_map(|g| {
                    Some(annalist::Timex {
                        start: g.start,
                        end: g.end,
                        text: doc.text[g.start..g.end].to_string(),
                        kind: annalist::TimexType::parse(&g.kind)?,
                        value: annalist::Value::parse(&g.value).ok()?,
                        modifier: g.modifier.as_deref().and_then(annalist::Mod::parse),
                        freq: None,
                        quant: None,
                        rule: "gold".into(),
                        alternative_of: None,
                    })
                })
                .collect();
            let written = write_timeml(&xml, &gold).unwrap();
            let back = read_timeml(&written, "written").unwrap();
            assert_eq!(back.text, doc.text);
            let spans = |d: &annalist::format::timeml::TimemlDoc| -> Vec<(usize, usize, String)> {
                d.timexes.iter().map(|t| (t.start, t.end, t.value.clone())).collect()
            };
            let want: Vec<(usize, usize, String)> =
                gold.iter().map(|t| (t.start, t.end, t.value.to_string())).collect();
            assert_eq!(spans(&back), want, "{}", p.display());
        }
        assert_eq!(n, timexes, "{folder}");
    }
}

#[test]
fn wikiwars_reads_and_matches_the_unannotated_text() {
    use annalist::format::timex2::read_timex2;
    let (Some(key), Some(raw)) = (corpus("wikiwars-train/keyinline"), corpus("wikiwars-train/in")) else {
        return;
    };
    let paths = files(&key, ".key.xml");
    assert_eq!(paths.len(), 16);
    let (mut outer, mut no_val) = (0, 0);
    for p in &paths {
        let sgml = std::fs::read_to_string(p).unwrap();
        let doc = read_timex2(&sgml, &p.display().to_string()).unwrap();
        let stem = p.file_name().unwrap().to_string_lossy().replace(".key.xml", "");
        let plain = std::fs::read_to_string(raw.join(format!("{stem}.sgm"))).unwrap();
        let plain = read_timex2(&plain, "plain").unwrap();
        assert_eq!(doc.text, plain.text, "{stem}");
        assert_eq!(doc.id, stem);
        assert!(doc.dct.is_some());
        for w in doc.timexes.windows(2) {
            assert!(w[0].end <= w[1].start, "outermost expressions do not overlap");
        }
        outer += doc.timexes.len();
        no_val += doc.timexes.iter().filter(|t| t.value.is_empty()).count();
    }
    eprintln!("wikiwars: {outer} outermost TIMEX2, {no_val} without val");
    assert!(outer > 2000);
}
