//! A compact byte encoding of parsed patterns (`regex_syntax::hir::Hir`), so that the
//! built-in rules can be parsed once, when the crate is built (`build.rs`), instead of at
//! every start: parsing the expanded English patterns (lexicon alternations, `(?i)` case
//! folding) was half of the tagger's start-up.
//!
//! This file is also compiled into the build script (`#[path]`), so it uses nothing but
//! `std` and `regex_syntax`.
//!
//! The built-in cache ([`Cache`]) holds, for each rule and prefix in file order, the
//! expanded pattern text and its encoded HIR. A pattern is taken from the cache only when
//! its text is byte for byte the one the rule set expands at run time, and the build
//! script stores an entry only when decoding it gives back a HIR equal (`==`) to what the
//! parser produced; anything else is parsed as before.

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const UNICODE: u8 = 2;
const BYTES: u8 = 3;
const LOOK: u8 = 4;
const REPEAT: u8 = 5;
const CAPTURE: u8 = 6;
const CONCAT: u8 = 7;
const ALTERNATION: u8 = 8;

/// Appends `n` as a LEB128 variable-length number.
fn put(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends the encoding of `h`.
pub(crate) fn encode(h: &Hir, out: &mut Vec<u8>) {
    match h.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(l) => {
            out.push(LITERAL);
            put(out, l.0.len() as u64);
            out.extend_from_slice(&l.0);
        }
        HirKind::Class(Class::Unicode(c)) => {
            out.push(UNICODE);
            put(out, c.ranges().len() as u64);
            for r in c.ranges() {
                put(out, u64::from(r.start()));
                put(out, u64::from(r.end()) - u64::from(r.start()));
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            out.push(BYTES);
            put(out, c.ranges().len() as u64);
            for r in c.ranges() {
                out.push(r.start());
                out.push(r.end());
            }
        }
        HirKind::Look(l) => {
            out.push(LOOK);
            put(out, u64::from(l.as_repr()));
        }
        HirKind::Repetition(r) => {
            out.push(REPEAT);
            put(out, u64::from(r.min));
            put(out, r.max.map_or(0, |m| u64::from(m) + 1));
            out.push(u8::from(r.greedy));
            encode(&r.sub, out);
        }
        HirKind::Capture(c) => {
            out.push(CAPTURE);
            put(out, u64::from(c.index));
            match &c.name {
                None => put(out, 0),
                Some(n) => {
                    put(out, n.len() as u64 + 1);
                    out.extend_from_slice(n.as_bytes());
                }
            }
            encode(&c.sub, out);
        }
        HirKind::Concat(xs) | HirKind::Alternation(xs) => {
            out.push(if matches!(h.kind(), HirKind::Concat(_)) { CONCAT } else { ALTERNATION });
            put(out, xs.len() as u64);
            for x in xs {
                encode(x, out);
            }
        }
    }
}

/// Reads encoded data; every read returns `None` past the end or on a malformed value.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Reads `bytes` from the start.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes, at: 0 }
    }

    /// Whether everything has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// A number written by `put`.
    pub(crate) fn num(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    /// A count of items that each take at least one more byte, and room for them.
    fn items<T>(&mut self) -> Option<(u64, Vec<T>)> {
        let n = self.num()?;
        let room = usize::try_from(n).ok()?.min(self.bytes.len() - self.at.min(self.bytes.len()));
        Some((n, Vec::with_capacity(room)))
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.num()?).ok()
    }

    /// `n` bytes.
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    /// A length-prefixed byte string.
    pub(crate) fn chunk(&mut self) -> Option<&'a [u8]> {
        let n = usize::try_from(self.num()?).ok()?;
        self.take(n)
    }

    /// A HIR written by [`encode`], `depth` levels deep at most.
    pub(crate) fn hir(&mut self, depth: usize) -> Option<Hir> {
        let depth = depth.checked_sub(1)?;
        Some(match self.byte()? {
            EMPTY => Hir::empty(),
            LITERAL => Hir::literal(self.chunk()?),
            UNICODE => {
                let (n, mut ranges) = self.items()?;
                for _ in 0..n {
                    let start = self.u32()?;
                    let end = start.checked_add(self.u32()?)?;
                    ranges.push(ClassUnicodeRange::new(char::from_u32(start)?, char::from_u32(end)?));
                }
                Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
            }
            BYTES => {
                let (n, mut ranges) = self.items()?;
                for _ in 0..n {
                    ranges.push(ClassBytesRange::new(self.byte()?, self.byte()?));
                }
                Hir::class(Class::Bytes(ClassBytes::new(ranges)))
            }
            LOOK => Hir::look(Look::from_repr(self.u32()?)?),
            REPEAT => {
                let min = self.u32()?;
                let max = match self.u32()? {
                    0 => None,
                    m => Some(m - 1),
                };
                let greedy = self.byte()? != 0;
                let sub = Box::new(self.hir(depth)?);
                Hir::repetition(Repetition { min, max, greedy, sub })
            }
            CAPTURE => {
                let index = self.u32()?;
                let name = match usize::try_from(self.num()?).ok()? {
                    0 => None,
                    n => Some(Box::from(std::str::from_utf8(self.take(n - 1)?).ok()?)),
                };
                let sub = Box::new(self.hir(depth)?);
                Hir::capture(Capture { index, name, sub })
            }
            kind @ (CONCAT | ALTERNATION) => {
                let (n, mut xs) = self.items()?;
                for _ in 0..n {
                    xs.push(self.hir(depth)?);
                }
                if kind == CONCAT { Hir::concat(xs) } else { Hir::alternation(xs) }
            }
            _ => return None,
        })
    }
}

/// How deep a decoded HIR may nest (the parser's own default nest limit is 250).
pub(crate) const MAX_DEPTH: usize = 1000;

/// Decodes one HIR that fills `bytes` exactly.
pub(crate) fn decode(bytes: &[u8]) -> Option<Hir> {
    let mut r = Reader::new(bytes);
    let h = r.hir(MAX_DEPTH)?;
    r.is_done().then_some(h)
}

/// The built-in patterns parsed at build time: (expanded pattern, encoded HIR) in file
/// order, rules first, then prefixes. An entry with an empty HIR is not cached.
pub(crate) struct Cache<'a> {
    entries: Vec<(&'a [u8], &'a [u8])>,
}

impl<'a> Cache<'a> {
    /// Reads the table written by [`write_cache`]; a malformed table reads as empty.
    pub(crate) fn read(bytes: &'a [u8]) -> Cache<'a> {
        let mut r = Reader::new(bytes);
        let mut entries = Vec::new();
        while !r.is_done() {
            match (r.chunk(), r.chunk()) {
                (Some(p), Some(h)) => entries.push((p, h)),
                _ => return Cache { entries: Vec::new() },
            }
        }
        Cache { entries }
    }

    /// The parsed pattern of entry `i`, if its pattern is exactly `pattern`.
    pub(crate) fn get(&self, i: usize, pattern: &str) -> Option<Hir> {
        let (p, h) = self.entries.get(i)?;
        if *p != pattern.as_bytes() || h.is_empty() {
            return None;
        }
        decode(h)
    }
}

/// Writes a cache table: each pattern with its HIR (`None`: not cached).
#[allow(dead_code)]
pub(crate) fn write_cache(entries: &[(String, Option<Hir>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut h = Vec::new();
    for (p, hir) in entries {
        put(&mut out, p.len() as u64);
        out.extend_from_slice(p.as_bytes());
        h.clear();
        if let Some(hir) = hir {
            encode(hir, &mut h);
        }
        put(&mut out, h.len() as u64);
        out.extend_from_slice(&h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(p: &str) -> Hir {
        crate::recognize::scan::parse(p).unwrap()
    }

    #[test]
    fn every_builtin_pattern_comes_from_the_build_time_table() {
        let cache = Cache::read(include_bytes!(concat!(env!("OUT_DIR"), "/en_patterns.bin")));
        let rs = crate::recognize::RuleSet::english();
        let patterns: Vec<&str> =
            rs.rules.iter().map(|r| r.re.pattern()).chain(rs.prefixes.iter().map(|p| p.re.pattern())).collect();
        assert_eq!(cache.entries.len(), patterns.len());
        for (i, p) in patterns.iter().enumerate() {
            let cached = cache.get(i, p).unwrap_or_else(|| panic!("pattern {i} is not in the table: {p}"));
            assert!(cached == parse(p), "pattern {i} decodes differently from its parse: {p}");
        }
    }

    #[test]
    fn encoding_round_trips() {
        for p in [
            "",
            "a",
            "(?i)kelvin|sept(?:ember)?",
            r"(?<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?<month>[A-Z][a-z]+)",
            r"(?-u:\b)\d{2,4}?(?-u:[a-f\d\s])[^\n]*$",
            r"^\w+\b(?m:^)x{3}(?s:.)+?",
            r"(?U)a*b+|[αβγ]{0,}|\p{Greek}",
            "(a)(b)((?:c|d)|e)",
        ] {
            let h = parse(p);
            let mut bytes = Vec::new();
            encode(&h, &mut bytes);
            assert!(decode(&bytes) == Some(h), "{p}");
        }
    }

    #[test]
    fn malformed_data_decodes_to_nothing() {
        let mut bytes = Vec::new();
        encode(&parse(r"(?<y>\d{4})-(?:0[1-9]|1[0-2])"), &mut bytes);
        for n in 0..bytes.len() {
            assert!(decode(&bytes[..n]).is_none(), "prefix of {n} bytes");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert!(decode(&extra).is_none());
        assert!(decode(&[99]).is_none());
        assert!(decode(&[LOOK, 0x7f]).is_none());
        assert!(decode(&[UNICODE, 1, 0x80, 0xb0, 0x03, 0]).is_none(), "a surrogate is not a char");
        // A truncated table reads as empty rather than half.
        let table = write_cache(&[("a".to_string(), Some(parse("a"))), ("b".to_string(), None)]);
        assert_eq!(Cache::read(&table).entries.len(), 2);
        assert!(Cache::read(&table[..table.len() - 1]).entries.is_empty());
    }

    #[test]
    fn an_entry_is_used_only_for_its_own_pattern() {
        let table = write_cache(&[("a+".to_string(), Some(parse("a+"))), ("b".to_string(), None)]);
        let cache = Cache::read(&table);
        assert!(cache.get(0, "a+") == Some(parse("a+")));
        assert!(cache.get(0, "a*").is_none());
        assert!(cache.get(1, "b").is_none(), "not cached");
        assert!(cache.get(2, "a+").is_none(), "past the end");
    }
}
