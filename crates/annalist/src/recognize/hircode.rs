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
/// A shared subtree: an index into the table's dictionary.
const SHARED: u8 = 9;
/// Subtrees whose encoding is at least this long and that occur more than once in the
/// table are written once, in its dictionary, and cloned where they occur.
const SHARED_MIN: usize = 24;

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
    encode_with(h, out, &mut |_, _| false)
}

/// Appends the encoding of `h`; `share` may write a subtree itself (a reference to a shared
/// copy), which it says by returning `true`.
fn encode_with(h: &Hir, out: &mut Vec<u8>, share: &mut dyn FnMut(&Hir, &mut Vec<u8>) -> bool) {
    if share(h, out) {
        return;
    }
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
            encode_with(&r.sub, out, share);
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
            encode_with(&c.sub, out, share);
        }
        HirKind::Concat(xs) | HirKind::Alternation(xs) => {
            out.push(if matches!(h.kind(), HirKind::Concat(_)) { CONCAT } else { ALTERNATION });
            put(out, xs.len() as u64);
            for x in xs {
                encode_with(x, out, share);
            }
        }
    }
}

/// Reads encoded data; every read returns `None` past the end or on a malformed value.
pub(crate) struct Reader<'a, 'd> {
    bytes: &'a [u8],
    at: usize,
    /// The shared subtrees this data may refer to, and how many of them it may use.
    dict: Option<(&'d Dict<'d>, usize)>,
}

impl<'a, 'd> Reader<'a, 'd> {
    /// Reads `bytes` from the start.
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a, 'd> {
        Reader { bytes, at: 0, dict: None }
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
            SHARED => {
                let k = usize::try_from(self.num()?).ok()?;
                let (dict, below) = self.dict?;
                if k >= below {
                    return None;
                }
                dict.get(k, depth)?
            }
            _ => return None,
        })
    }
}

/// The shared subtrees of a table, decoded when first used, with the number of places
/// that refer to each: the last one takes the subtree instead of a copy (so that nothing
/// is left to free: freeing a HIR costs about as much as building it).
struct Dict<'a> {
    raw: Vec<&'a [u8]>,
    decoded: std::cell::RefCell<Vec<(usize, Option<Hir>)>>,
}

impl<'a> Dict<'a> {
    fn new(raw: Vec<&'a [u8]>, uses: Vec<usize>) -> Dict<'a> {
        Dict { raw, decoded: std::cell::RefCell::new(uses.into_iter().map(|n| (n, None)).collect()) }
    }

    /// Shared subtree `k` (which may use the subtrees before it).
    fn get(&self, k: usize, depth: usize) -> Option<Hir> {
        {
            let mut decoded = self.decoded.borrow_mut();
            let (left, h) = decoded.get_mut(k)?;
            *left = left.saturating_sub(1);
            if h.is_some() {
                return if *left == 0 { h.take() } else { h.clone() };
            }
        }
        let mut r = Reader { bytes: self.raw.get(k)?, at: 0, dict: Some((self, k)) };
        let h = r.hir(depth)?;
        if !r.is_done() {
            return None;
        }
        let mut decoded = self.decoded.borrow_mut();
        if decoded[k].0 > 0 {
            decoded[k].1 = Some(h.clone());
        }
        Some(h)
    }
}

/// How deep a decoded HIR may nest (the parser's own default nest limit is 250).
pub(crate) const MAX_DEPTH: usize = 1000;

/// Decodes one HIR that fills `bytes` exactly (without shared subtrees).
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn decode(bytes: &[u8]) -> Option<Hir> {
    let mut r = Reader::new(bytes);
    let h = r.hir(MAX_DEPTH)?;
    r.is_done().then_some(h)
}

/// The built-in patterns parsed at build time: (expanded pattern, encoded HIR) in file
/// order, rules first, then prefixes. An entry with an empty HIR is not cached. Subtrees
/// that recur (lexicon alternations) are stored once, in a dictionary before the entries.
pub(crate) struct Cache<'a> {
    dict: Dict<'a>,
    entries: Vec<(&'a [u8], &'a [u8])>,
}

impl<'a> Cache<'a> {
    /// Reads the table written by [`write_cache`]; a malformed table reads as empty.
    pub(crate) fn read(bytes: &'a [u8]) -> Cache<'a> {
        Cache::try_read(bytes).unwrap_or(Cache { dict: Dict::new(Vec::new(), Vec::new()), entries: Vec::new() })
    }

    fn try_read(bytes: &'a [u8]) -> Option<Cache<'a>> {
        let mut r = Reader::new(bytes);
        if r.is_done() {
            return None;
        }
        let n = r.num()?;
        let mut raw = Vec::new();
        let mut uses = Vec::new();
        for _ in 0..n {
            uses.push(usize::try_from(r.num()?).ok()?);
            raw.push(r.chunk()?);
        }
        let mut entries = Vec::new();
        while !r.is_done() {
            entries.push((r.chunk()?, r.chunk()?));
        }
        Some(Cache { dict: Dict::new(raw, uses), entries })
    }

    /// The parsed pattern of entry `i`, if its pattern is exactly `pattern`.
    pub(crate) fn get(&self, i: usize, pattern: &str) -> Option<Hir> {
        let (p, h) = self.entries.get(i)?;
        if *p != pattern.as_bytes() || h.is_empty() {
            return None;
        }
        let mut r = Reader { bytes: h, at: 0, dict: Some((&self.dict, self.dict.raw.len())) };
        let hir = r.hir(MAX_DEPTH)?;
        r.is_done().then_some(hir)
    }
}

/// Writes a cache table: each pattern with its HIR (`None`: not cached).
#[allow(dead_code)]
pub(crate) fn write_cache(entries: &[(String, Option<Hir>)]) -> Vec<u8> {
    use std::collections::HashMap;
    // How often each subtree occurs, by its plain encoding.
    fn count(h: &Hir, counts: &mut HashMap<Vec<u8>, usize>) {
        let mut e = Vec::new();
        encode(h, &mut e);
        if e.len() >= SHARED_MIN {
            *counts.entry(e).or_default() += 1;
        }
        match h.kind() {
            HirKind::Capture(c) => count(&c.sub, counts),
            HirKind::Repetition(r) => count(&r.sub, counts),
            HirKind::Concat(xs) | HirKind::Alternation(xs) => xs.iter().for_each(|x| count(x, counts)),
            _ => {}
        }
    }
    struct Shared {
        counts: HashMap<Vec<u8>, usize>,
        ids: HashMap<Vec<u8>, usize>,
        dict: Vec<Vec<u8>>,
        uses: Vec<usize>,
    }
    // Writes `h` with its recurring subtrees (itself too unless `top`) as references.
    fn write(h: &Hir, out: &mut Vec<u8>, top: bool, sh: &mut Shared) {
        let mut first = top;
        encode_with(h, out, &mut |x, out| {
            if std::mem::take(&mut first) {
                return false;
            }
            let mut e = Vec::new();
            encode(x, &mut e);
            if sh.counts.get(&e).is_none_or(|&n| n < 2) {
                return false;
            }
            let id = match sh.ids.get(&e) {
                Some(&id) => id,
                None => {
                    // The subtrees it uses get their ids first, so each refers only back.
                    let mut body = Vec::new();
                    write(x, &mut body, true, sh);
                    sh.dict.push(body);
                    sh.uses.push(0);
                    sh.ids.insert(e, sh.dict.len() - 1);
                    sh.dict.len() - 1
                }
            };
            sh.uses[id] += 1;
            out.push(SHARED);
            put(out, id as u64);
            true
        });
    }
    let mut sh = Shared { counts: HashMap::new(), ids: HashMap::new(), dict: Vec::new(), uses: Vec::new() };
    for hir in entries.iter().filter_map(|(_, h)| h.as_ref()) {
        count(hir, &mut sh.counts);
    }
    let mut bodies = Vec::new();
    for (_, hir) in entries {
        let mut h = Vec::new();
        if let Some(hir) = hir {
            write(hir, &mut h, false, &mut sh);
        }
        bodies.push(h);
    }
    let mut out = Vec::new();
    put(&mut out, sh.dict.len() as u64);
    for (d, uses) in sh.dict.iter().zip(&sh.uses) {
        put(&mut out, *uses as u64);
        put(&mut out, d.len() as u64);
        out.extend_from_slice(d);
    }
    for ((p, _), h) in entries.iter().zip(bodies) {
        put(&mut out, p.len() as u64);
        out.extend_from_slice(p.as_bytes());
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
        assert!(cache.dict.decoded.borrow().iter().all(|(_, h)| h.is_none()), "shared subtrees left over");
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

    #[test]
    fn shared_subtrees_are_written_once_and_read_back_whole() {
        let words = "(?:January|February|March|April|September|October)";
        let ps = [format!(r"(?i){words}\s+\d+"), format!(r"(?<m>{words})-(?<y>\d{{4}})"), format!("x{words}")];
        let entries: Vec<(String, Option<Hir>)> = ps.iter().map(|p| (p.clone(), Some(parse(p)))).collect();
        let table = write_cache(&entries);
        let cache = Cache::read(&table);
        assert!(!cache.dict.raw.is_empty(), "the month names recur");
        for (i, p) in ps.iter().enumerate() {
            assert!(cache.get(i, p) == Some(parse(p)), "{p}");
        }
        // The last use took each shared subtree: nothing is kept.
        assert!(cache.dict.decoded.borrow().iter().all(|(left, h)| *left == 0 && h.is_none()));
        // A reference needs the table's dictionary, and one that points past it fails.
        let mut r = Reader::new(&[SHARED, 0]);
        assert!(r.hir(MAX_DEPTH).is_none());
        let dict = Dict::new(vec![&[EMPTY]], vec![2]);
        let mut r = Reader { bytes: &[SHARED, 1], at: 0, dict: Some((&dict, 1)) };
        assert!(r.hir(MAX_DEPTH).is_none());
        let mut r = Reader { bytes: &[SHARED, 0], at: 0, dict: Some((&dict, 1)) };
        assert!(r.hir(MAX_DEPTH) == Some(Hir::empty()));
        // A shared subtree cannot refer to itself.
        let dict = Dict::new(vec![&[SHARED, 0]], vec![1]);
        let mut r = Reader { bytes: &[SHARED, 0], at: 0, dict: Some((&dict, 1)) };
        assert!(r.hir(MAX_DEPTH).is_none());
    }
}
