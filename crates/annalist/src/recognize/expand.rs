//! Macro expansion of rule patterns: `{NAME}` is a user macro from the rule file or a
//! lexicon table. Also compiled into the build script (`#[path]`), which expands the
//! built-in patterns the same way to parse them at build time.

use std::collections::HashMap;

use super::lexicon::Lexicon;

/// Expands `{NAME}` macros: user macros from the rule file, then lexicon tables
/// (`{MONTH}` is the alternation of table `month`). `\b` becomes an ASCII word boundary.
/// `memo` keeps each macro's expansion, which many rules share.
pub(crate) fn expand(
    pattern: &str,
    macros: &HashMap<String, String>,
    lex: &Lexicon,
    memo: &std::cell::RefCell<HashMap<String, String>>,
    depth: usize,
) -> Result<String, String> {
    if depth > 8 {
        return Err(format!("macro recursion too deep in {pattern:?}"));
    }
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let close = after.find('}');
        let name = close.map(|c| &after[..c]);
        match name {
            Some(full) if is_macro_name(full) && memo.borrow().contains_key(full) => {
                out.push_str(&memo.borrow()[full]);
                rest = &after[close.unwrap_or(0) + 1..];
            }
            Some(full) if is_macro_name(full) => {
                let at = out.len();
                let (n, cap) = match full.strip_suffix(":cap") {
                    Some(n) => (n, true),
                    None => (full, false),
                };
                if let Some(m) = macros.get(n) {
                    out.push_str("(?:");
                    out.push_str(&expand(m, macros, lex, memo, depth + 1)?);
                    out.push(')');
                } else if let Some(alt) = lex.alternation(&n.to_ascii_lowercase(), cap) {
                    out.push_str(&alt);
                } else {
                    return Err(format!("unknown macro {{{n}}}"));
                }
                memo.borrow_mut().insert(full.to_string(), out[at..].to_string());
                rest = &after[close.unwrap_or(0) + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out.replace(r"\b", r"(?-u:\b)"))
}

fn is_macro_name(s: &str) -> bool {
    let n = s.strip_suffix(":cap").unwrap_or(s);
    !n.is_empty()
        && n.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && n.chars().all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
}
