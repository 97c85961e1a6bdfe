//! The lexicon: word tables from `lang/<lang>/lexicon.toml`, as regex macros and lookups.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: the lexicon's keys are short words, looked up for every mention built; the
/// tables are fixed, so a keyed hash buys nothing here.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Map<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// One language's word tables. Keys are stored lower-case.
pub(crate) struct Lexicon {
    tables: Map<Map<toml::Value>>,
}

impl Lexicon {
    pub fn parse(src: &str) -> Result<Lexicon, String> {
        let root: toml::Table = src.parse().map_err(|e| format!("lexicon: {e}"))?;
        let mut tables = Map::default();
        for (name, v) in root {
            let t = v.as_table().ok_or_else(|| format!("lexicon: [{name}] is not a table"))?;
            let entries = t.iter().map(|(k, v)| (normalize_key(k), v.clone())).collect();
            tables.insert(name, entries);
        }
        Ok(Lexicon { tables })
    }

    /// The raw value of `word` (any case, any apostrophe) in `table`.
    pub fn get(&self, table: &str, word: &str) -> Option<&toml::Value> {
        let t = self.tables.get(table)?;
        // Most words are already in key form (and `normalize_key` would copy them).
        let plain =
            word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b' ' && !(9..=13).contains(&b));
        if plain { t.get(word) } else { t.get(&normalize_key(word)) }
    }

    pub fn int(&self, table: &str, word: &str) -> Option<i64> {
        self.get(table, word).and_then(|v| v.as_integer())
    }

    pub fn num(&self, table: &str, word: &str) -> Option<f64> {
        self.get(table, word).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
    }

    pub fn str(&self, table: &str, word: &str) -> Option<&str> {
        self.get(table, word).and_then(|v| v.as_str())
    }

    /// A regex alternation (non-capturing) matching every key of `table` in lower case,
    /// Title Case and UPPER CASE; longest first so alternation prefers the longest word.
    pub fn alternation(&self, table: &str, capitalized: bool) -> Option<String> {
        let t = self.tables.get(table)?;
        let mut keys: Vec<&String> = t.keys().collect();
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut alts = Vec::new();
        for k in keys {
            let variants = case_variants(k);
            let variants = if capitalized { &variants[1..] } else { &variants[..] };
            for variant in variants {
                let escaped = regex_syntax::escape(variant).replace('\'', "['’]").replace(' ', r"\s+");
                if !alts.contains(&escaped) {
                    alts.push(escaped);
                }
            }
        }
        Some(format!("(?:{})", alts.join("|")))
    }
}

fn normalize_key(k: &str) -> String {
    let mut s = String::with_capacity(k.len());
    let mut space = false;
    for c in k.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !s.is_empty() {
            s.push(' ');
        }
        space = false;
        s.push(if c == '’' { '\'' } else { c.to_ascii_lowercase() });
    }
    s
}

fn case_variants(k: &str) -> Vec<String> {
    let title: String = k
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    let first_only = {
        let mut c = k.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => String::new(),
        }
    };
    vec![k.to_string(), title, first_only, k.to_uppercase()]
}

/// Reads a number written in digits ("20", "1,500", "2.5") or words ("twenty-four",
/// "a hundred", "two and a half"). Unknown quantities ("several", "a few") give `Some(None)`.
pub(crate) fn parse_number(lex: &Lexicon, s: &str) -> Option<Option<f64>> {
    let s = s.trim();
    let digits: String = s.chars().filter(|c| *c != ',').collect();
    if let Ok(v) = digits.parse::<f64>() {
        return v.is_finite().then_some(Some(v));
    }
    // "2 1/2"
    if let Some((whole, frac)) = s.split_once(char::is_whitespace)
        && let Some((n, d)) = frac.trim().split_once('/')
        && let (Ok(w), Ok(n), Ok(d)) = (whole.parse::<f64>(), n.parse::<f64>(), d.parse::<f64>())
        && d != 0.0
    {
        return Some(Some(w + n / d));
    }
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    let mut unknown = false;
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    if words.len() == 1 && (words[0].eq_ignore_ascii_case("a") || words[0].eq_ignore_ascii_case("an")) {
        return Some(Some(1.0));
    }
    for (i, &w) in words.iter().enumerate() {
        // Articles and "of" inside a number phrase ("a hundred", "a couple of") add nothing.
        if w.eq_ignore_ascii_case("and") || w.eq_ignore_ascii_case("of") {
            continue;
        }
        if (w.eq_ignore_ascii_case("a") || w.eq_ignore_ascii_case("an")) && i + 1 < words.len() {
            continue;
        }
        // "some eight years": before a number, "some" approximates it.
        if i == 0 && w.eq_ignore_ascii_case("some") && i + 1 < words.len() {
            continue;
        }
        let v = lex.num("number", w)?;
        any = true;
        if v < 0.0 {
            unknown = true;
        } else if v == 100.0 || v == 1000.0 {
            current = if current == 0.0 { v } else { current * v };
            if v == 1000.0 {
                total += current;
                current = 0.0;
            }
        } else if v == 0.5 && (current > 0.0 || total > 0.0) {
            current += 0.5;
        } else if v == 0.5 {
            current = 0.5;
        } else if v == 12.0 && w.eq_ignore_ascii_case("dozen") && current > 0.0 {
            current *= 12.0;
        } else {
            current += v;
        }
    }
    if !any {
        return None;
    }
    if unknown {
        return Some(None);
    }
    Some(Some(total + current))
}

/// Reads an ordinal: "3rd", "23rd", "third", "twenty-third".
pub(crate) fn parse_ordinal(lex: &Lexicon, s: &str) -> Option<i64> {
    let s = s.trim();
    let digits: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !digits.is_empty() {
        return digits.parse().ok();
    }
    let mut parts: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let last = parts.pop()?;
    let mut v = lex.int("ordinal", last)?;
    for p in parts {
        v += lex.int("number", p)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        Lexicon::parse(include_str!("../../lang/en/lexicon.toml")).unwrap()
    }

    #[test]
    fn numbers() {
        let l = lex();
        assert_eq!(parse_number(&l, "twenty-four"), Some(Some(24.0)));
        assert_eq!(parse_number(&l, "twenty four"), Some(Some(24.0)));
        assert_eq!(parse_number(&l, "a hundred"), Some(Some(100.0)));
        assert_eq!(parse_number(&l, "two hundred and fifty"), Some(Some(250.0)));
        assert_eq!(parse_number(&l, "1,500"), Some(Some(1500.0)));
        assert_eq!(parse_number(&l, "2.5"), Some(Some(2.5)));
        assert_eq!(parse_number(&l, "two and a half"), Some(Some(2.5)));
        assert_eq!(parse_number(&l, "several"), Some(None));
        assert_eq!(parse_number(&l, "a few"), Some(None));
        assert_eq!(parse_number(&l, "banana"), None);
        assert_eq!(parse_number(&l, "a"), Some(Some(1.0)));
        assert_eq!(parse_number(&l, "a couple of"), Some(Some(2.0)));
        assert_eq!(parse_number(&l, "a half"), Some(Some(0.5)));
        assert_eq!(parse_number(&l, "some eight"), Some(Some(8.0)));
        assert_eq!(parse_number(&l, "some"), Some(None));
        assert_eq!(parse_number(&l, "some few"), Some(None));
    }

    #[test]
    fn ordinals() {
        let l = lex();
        assert_eq!(parse_ordinal(&l, "23rd"), Some(23));
        assert_eq!(parse_ordinal(&l, "third"), Some(3));
        assert_eq!(parse_ordinal(&l, "twenty-third"), Some(23));
        assert_eq!(parse_ordinal(&l, "Eighteenth"), Some(18));
    }

    #[test]
    fn alternation_cases() {
        let l = lex();
        let re = regex::Regex::new(&format!("^{}$", l.alternation("month", false).unwrap())).unwrap();
        for w in ["January", "JANUARY", "january", "September"] {
            assert!(re.is_match(w), "{w}");
        }
        assert!(!re.is_match("jANUARY"));
        assert_eq!(l.int("month", "Sept"), None);
        assert_eq!(l.int("month_abbr", "Sept"), Some(9));
        assert_eq!(l.str("holiday", "New Year’s Day"), Some("01-01"));
    }
}
