//! Parses the built-in English rule and prefix patterns once, at build time, and writes
//! them to `$OUT_DIR/en_patterns.bin` (see `src/recognize/hircode.rs`), so that the
//! tagger does not parse them at every start.
//!
//! The patterns are expanded with the crate's own macro expansion (the same source files,
//! included below). An entry is written only when decoding it gives back exactly the HIR
//! the parser produced; the tagger takes an entry only when its pattern text is exactly
//! the one it expands at run time. Anything this script cannot handle (a rule file that
//! does not read, a pattern that does not parse) is left to the run-time path, which
//! reports the error as before: the build never fails because of the rules.

use std::collections::HashMap;

#[allow(dead_code)]
#[path = "src/recognize/lexicon.rs"]
mod lexicon;

#[allow(dead_code)]
#[path = "src/recognize/expand.rs"]
mod expand;

#[allow(dead_code)]
#[path = "src/recognize/hircode.rs"]
mod hircode;

fn main() {
    let lexicon_path = "lang/en/lexicon.toml";
    let rules_path = "lang/en/rules.toml";
    println!("cargo::rerun-if-changed={lexicon_path}");
    println!("cargo::rerun-if-changed={rules_path}");
    println!("cargo::rerun-if-changed=src/recognize/lexicon.rs");
    println!("cargo::rerun-if-changed=src/recognize/expand.rs");
    println!("cargo::rerun-if-changed=src/recognize/hircode.rs");
    let out_dir = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut entries = patterns(lexicon_path, rules_path).unwrap_or_default();
    // Keep only the entries that read back as exactly what the parser produced.
    let table = loop {
        let table = hircode::write_cache(&entries);
        let cache = hircode::Cache::read(&table);
        let mut faithful = true;
        for (i, (p, hir)) in entries.iter_mut().enumerate() {
            if hir.is_some() && cache.get(i, p) != *hir {
                *hir = None;
                faithful = false;
            }
        }
        if faithful {
            break table;
        }
    };
    std::fs::write(std::path::Path::new(&out_dir).join("en_patterns.bin"), table)
        .expect("cannot write the parsed-pattern table to OUT_DIR");
}

/// Each rule's and prefix's expanded pattern, with its HIR when it parses and encodes
/// faithfully; `None` when the files do not read.
fn patterns(lexicon_path: &str, rules_path: &str) -> Option<Vec<(String, Option<regex_syntax::hir::Hir>)>> {
    let lex = lexicon::Lexicon::parse(&std::fs::read_to_string(lexicon_path).ok()?).ok()?;
    let file: toml::Table = std::fs::read_to_string(rules_path).ok()?.parse().ok()?;
    let mut macros = HashMap::new();
    if let Some(m) = file.get("macros") {
        for (k, v) in m.as_table()? {
            macros.insert(k.clone(), v.as_str()?.to_string());
        }
    }
    let memo = std::cell::RefCell::new(HashMap::new());
    let list = |key: &str| -> Option<Vec<String>> {
        match file.get(key) {
            None => Some(Vec::new()),
            Some(v) => v.as_array()?.iter().map(|r| Some(r.get("pattern")?.as_str()?.to_string())).collect(),
        }
    };
    let mut out = Vec::new();
    for p in list("rule")? {
        out.push(expand::expand(&p, &macros, &lex, &memo, 0).ok()?);
    }
    for p in list("prefix")? {
        out.push(format!("(?:{})$", expand::expand(&p, &macros, &lex, &memo, 0).ok()?));
    }
    Some(
        out.into_iter()
            .map(|p| {
                let hir = regex_syntax::ParserBuilder::new().build().parse(&p).ok().filter(|h| {
                    let mut bytes = Vec::new();
                    hircode::encode(h, &mut bytes);
                    hircode::decode(&bytes).as_ref() == Some(h)
                });
                (p, hir)
            })
            .collect(),
    )
}
