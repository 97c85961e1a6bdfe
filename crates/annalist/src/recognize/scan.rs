//! Fast candidate search: one pass over the text for all rules at once.
//!
//! The straightforward way to find every rule's matches is to run each rule's regex over
//! the whole text (`captures_iter`), which reads the text once per rule. This module gets
//! exactly the same matches while reading the text about once:
//!
//! 1. A table built from the union of all rule patterns says, for each pair (previous
//!    byte, byte), whether some rule can start a match there; in prose that leaves about
//!    the word starts.
//! 2. At each such position, a lazy DFA for the union with [`MatchKind::All`] semantics is
//!    walked anchored until it dies, and reports which rules match there and the farthest
//!    end of each.
//! 3. Only those rules run their own regex, anchored at the position and bounded by that
//!    reach, to get the capture groups.
//!
//! A rule's `captures_iter` yields its leftmost match, then continues after that match's
//! end; a per-rule cursor does the same here, so the matches are identical. A rule whose
//! pattern can match the empty string, and any search the lazy DFA cannot finish (a
//! Unicode word boundary on non-ASCII text), go back to the plain per-rule path (see
//! [`super::RuleSet::find`]).
//!
//! Regexes needed only once a rule matches somewhere (its own capture regex, its context
//! patterns, prefixes) are compiled on first use ([`LazyRegex`], [`LazyMeta`]), which keeps
//! start-up short: building the tagger compiles only the union.

use std::sync::OnceLock;

use regex::Regex;
use regex_automata::hybrid::dfa::{self, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, Input, MatchError, MatchKind, meta};
use regex_syntax::hir::{Hir, HirKind};

/// The NFA size limit for one rule (as `regex::RegexBuilder::size_limit`).
pub(crate) const RULE_SIZE_LIMIT: usize = 50 << 20;
/// The NFA size limit for the union of all rules.
const UNION_SIZE_LIMIT: usize = 400 << 20;
/// Transition table budget of each lazy DFA, per thread.
const DFA_CACHE: usize = 8 << 20;

/// Parses a pattern with the syntax options `regex::Regex::new` uses.
pub(crate) fn parse(pattern: &str) -> Result<Hir, String> {
    syntax::parse_with(pattern, &syntax::Config::new()).map_err(|e| e.to_string())
}

/// The names of a pattern's capture groups by group index (index 0, the whole match,
/// has none), as `regex::Regex::capture_names` lists them.
pub(crate) fn capture_names(hir: &Hir) -> Vec<Option<String>> {
    fn walk(h: &Hir, out: &mut Vec<(u32, Option<String>)>) {
        match h.kind() {
            HirKind::Capture(c) => {
                out.push((c.index, c.name.as_deref().map(str::to_string)));
                walk(&c.sub, out);
            }
            HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().for_each(|h| walk(h, out)),
            HirKind::Repetition(r) => walk(&r.sub, out),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
        }
    }
    let mut found = Vec::new();
    walk(hir, &mut found);
    let len = found.iter().map(|(i, _)| *i as usize + 1).max().unwrap_or(1);
    let mut names = vec![None; len];
    for (i, n) in found {
        names[i as usize] = n;
    }
    names
}

/// A `regex::Regex` compiled on first use from a pattern already checked by [`parse`].
pub(crate) struct LazyRegex {
    pattern: String,
    id: String,
    re: OnceLock<Regex>,
}

impl LazyRegex {
    /// Checks the syntax of `pattern` now; compiles it when first needed.
    pub fn new(pattern: String, id: &str) -> Result<LazyRegex, String> {
        parse(&pattern).map_err(|e| format!("rule {id}: {e}"))?;
        Ok(LazyRegex { pattern, id: id.to_string(), re: OnceLock::new() })
    }

    /// For a pattern that [`parse`] has accepted already.
    pub fn parsed(pattern: String, id: &str) -> LazyRegex {
        LazyRegex { pattern, id: id.to_string(), re: OnceLock::new() }
    }

    /// The pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The compiled regex.
    pub fn get(&self) -> &Regex {
        self.re.get_or_init(|| {
            regex::RegexBuilder::new(&self.pattern)
                .size_limit(RULE_SIZE_LIMIT)
                .build()
                .unwrap_or_else(|e| panic!("rule {}: {e}", self.id))
        })
    }
}

/// A rule's pattern as a capture-only `meta::Regex` (no lazy DFA, no prefilter: it runs
/// anchored over the short span where the union said it matches), compiled on first use
/// from the parsed pattern, with its alternations factored ([`factor`]).
pub(crate) struct LazyMeta {
    pattern: String,
    id: String,
    /// The parsed pattern, until it is compiled.
    hir: std::sync::Mutex<Option<Hir>>,
    re: OnceLock<meta::Regex>,
}

impl LazyMeta {
    fn new(pattern: &str, id: &str, hir: Hir) -> LazyMeta {
        LazyMeta {
            pattern: pattern.to_string(),
            id: id.to_string(),
            hir: std::sync::Mutex::new(Some(hir)),
            re: OnceLock::new(),
        }
    }

    fn get(&self) -> &meta::Regex {
        self.re.get_or_init(|| {
            let hir = self.hir.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
            let hir = match hir {
                Some(h) => h,
                None => parse(&self.pattern).unwrap_or_else(|e| panic!("rule {}: {e}", self.id)),
            };
            meta::Builder::new()
                .configure(
                    meta::Config::new()
                        .nfa_size_limit(Some(RULE_SIZE_LIMIT))
                        .onepass_size_limit(Some(RULE_SIZE_LIMIT))
                        .hybrid(false)
                        .dfa(false)
                        .auto_prefilter(false),
                )
                .build_from_hir(&factor(hir))
                .unwrap_or_else(|e| panic!("rule {}: {e}", self.id))
        })
    }
}

/// Rewrites alternations as tries where that cannot change what matches: alternatives
/// that begin with the same byte or class share it (`May|Mar|March` becomes
/// `M(?:ay|ar|arch)`), so a backtracking search tries a handful of branches instead of
/// every word of a lexicon table. An alternative moves up past another only when the two
/// cannot match at the same position (their first characters differ), so the
/// leftmost-first preference among the alternatives that can match, and with it every
/// match and capture, stays the same.
pub(crate) fn factor(h: Hir) -> Hir {
    // Only the paths to alternations that change are rebuilt (rebuilding is not free):
    // a first pass marks them, in pre-order, with the size of each subtree.
    let mut marks = Vec::new();
    mark(&h, &mut marks);
    factor_marked(h, &marks, &mut 0)
}

/// Pushes (whether the subtree changes, its node count) for `h` and its nodes, in pre-order.
fn mark(h: &Hir, marks: &mut Vec<(bool, usize)>) -> bool {
    let at = marks.len();
    marks.push((false, 1));
    let mut changes = match h.kind() {
        HirKind::Alternation(alts) => shares_a_first(alts),
        _ => false,
    };
    match h.kind() {
        HirKind::Alternation(xs) | HirKind::Concat(xs) => {
            for x in xs {
                changes |= mark(x, marks);
            }
        }
        HirKind::Capture(c) => changes |= mark(&c.sub, marks),
        HirKind::Repetition(r) => changes |= mark(&r.sub, marks),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
    marks[at] = (changes, marks.len() - at);
    changes
}

/// Whether two of `alts` begin the same way.
fn shares_a_first(alts: &[Hir]) -> bool {
    let mut bytes = [false; 128];
    let mut classes = Vec::new();
    for a in alts {
        match First::of(a) {
            Some(First::Byte(b)) if bytes[b as usize] => return true,
            Some(First::Byte(b)) => bytes[b as usize] = true,
            Some(First::Class(c)) if classes.contains(&c) => return true,
            Some(First::Class(c)) => classes.push(c),
            None => {}
        }
    }
    false
}

fn factor_marked(h: Hir, marks: &[(bool, usize)], i: &mut usize) -> Hir {
    let (changes, size) = marks[*i];
    if !changes {
        *i += size;
        return h;
    }
    *i += 1;
    let mut each = |xs: Vec<Hir>| -> Vec<Hir> { xs.into_iter().map(|x| factor_marked(x, marks, i)).collect() };
    match h.into_kind() {
        HirKind::Alternation(alts) => factor_alternatives(each(alts)),
        HirKind::Concat(xs) => Hir::concat(each(xs)),
        HirKind::Capture(c) => {
            let sub = factor_marked(*c.sub, marks, i);
            Hir::capture(regex_syntax::hir::Capture { sub: Box::new(sub), ..c })
        }
        HirKind::Repetition(r) => {
            let sub = factor_marked(*r.sub, marks, i);
            Hir::repetition(regex_syntax::hir::Repetition { sub: Box::new(sub), ..r })
        }
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Look(l) => Hir::look(l),
    }
}

/// What an alternative begins with, when it is one ASCII byte or one small class.
#[derive(PartialEq)]
enum First {
    Byte(u8),
    Class(regex_syntax::hir::Class),
}

impl First {
    fn of(h: &Hir) -> Option<First> {
        let first = match h.kind() {
            HirKind::Concat(xs) => xs.first()?,
            _ => h,
        };
        match first.kind() {
            HirKind::Literal(l) if l.0.first().is_some_and(u8::is_ascii) => Some(First::Byte(l.0[0])),
            HirKind::Class(c) if class_len(c) <= 8 => Some(First::Class(c.clone())),
            _ => None,
        }
    }

    /// Whether no character can begin both.
    fn disjoint(&self, other: &First) -> bool {
        use regex_syntax::hir::Class;
        let has = |c: &Class, b: u8| match c {
            Class::Unicode(u) => u.ranges().iter().any(|r| r.start() <= b as char && b as char <= r.end()),
            Class::Bytes(y) => y.ranges().iter().any(|r| r.start() <= b && b <= r.end()),
        };
        match (self, other) {
            (First::Byte(a), First::Byte(b)) => a != b,
            (First::Byte(b), First::Class(c)) | (First::Class(c), First::Byte(b)) => !has(c, *b),
            (First::Class(Class::Unicode(a)), First::Class(Class::Unicode(b))) => {
                let mut both = a.clone();
                both.intersect(b);
                both.ranges().is_empty()
            }
            (First::Class(Class::Bytes(a)), First::Class(Class::Bytes(b))) => {
                let mut both = a.clone();
                both.intersect(b);
                both.ranges().is_empty()
            }
            _ => false,
        }
    }

    fn hir(&self) -> Hir {
        match self {
            First::Byte(b) => Hir::literal([*b]),
            First::Class(c) => Hir::class(c.clone()),
        }
    }

    /// `h` without its first byte or class (which is `self`).
    fn rest(h: Hir) -> Hir {
        let tail = |first: Hir| match first.into_kind() {
            HirKind::Literal(l) => Hir::literal(&l.0[1..]),
            _ => Hir::empty(),
        };
        if !matches!(h.kind(), HirKind::Concat(_)) {
            return tail(h);
        }
        let HirKind::Concat(mut xs) = h.into_kind() else { return Hir::empty() };
        let first = xs.remove(0);
        xs.insert(0, tail(first));
        Hir::concat(xs)
    }
}

/// The number of ranges of a class.
fn class_len(c: &regex_syntax::hir::Class) -> usize {
    match c {
        regex_syntax::hir::Class::Unicode(u) => u.ranges().len(),
        regex_syntax::hir::Class::Bytes(b) => b.ranges().len(),
    }
}

fn factor_alternatives(alts: Vec<Hir>) -> Hir {
    let mut groups: Vec<(Option<First>, Vec<Hir>)> = Vec::new();
    for a in alts {
        let first = First::of(&a);
        let join = first.as_ref().and_then(|f| {
            // The latest group that begins the same way, if every group after it begins
            // with something else entirely.
            for (i, (g, _)) in groups.iter().enumerate().rev() {
                match g {
                    Some(g) if g == f => return Some(i),
                    Some(g) if g.disjoint(f) => continue,
                    _ => return None,
                }
            }
            None
        });
        match join {
            Some(i) => groups[i].1.push(a),
            None => groups.push((first, vec![a])),
        }
    }
    Hir::alternation(
        groups
            .into_iter()
            .map(|(first, mut members)| match first {
                Some(f) if members.len() > 1 => {
                    Hir::concat(vec![f.hir(), factor_alternatives(members.into_iter().map(First::rest).collect())])
                }
                _ => members.pop().expect("a group has a member"),
            })
            .collect(),
    )
}

/// Per-thread search state.
pub(crate) struct ScanCache {
    scan: ScanState,
    /// The prefixes' reverse DFA cache, made when first needed.
    back: Option<dfa::Cache>,
    /// Per rule: its capture regex's cache and capture slots, made when first needed.
    rules: Vec<Option<(meta::Cache, Captures)>>,
    /// Capture results by what they depend on.
    memo: CaptureMemo,
}

/// The union search's part of [`ScanCache`].
struct ScanState {
    which: Option<dfa::Cache>,
    /// Where a match can start (learnt as texts are read).
    filter: Filter,
    /// What the DFA walk at one position found.
    walk: Walk,
    /// Per rule: where its next match may start (the end of its previous one).
    cursor: Vec<usize>,
}

/// What [`Union::which_at`] reports, and the start states it reuses.
struct Walk {
    /// Per pattern: the farthest end of a match at the current position (0: none).
    reach: Vec<usize>,
    /// Per pattern: the nearest end of a match at the current position.
    short: Vec<usize>,
    /// Patterns that match at the current position.
    hits: Vec<usize>,
    /// The anchored start state per kind of byte before (see [`Filter::kind`]), valid
    /// while the DFA cache has not been cleared since `starts_clears`.
    starts: [Option<regex_automata::hybrid::LazyStateID>; 5],
    starts_clears: usize,
}

type MakeCache = Box<dyn Fn() -> ScanCache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// The union of the rules that can be searched together.
struct Union {
    which: DFA,
    /// Whether the kinds of [`Filter::kind`] give the DFA's start states (so the
    /// position filter and the start state per kind can be used).
    kinds_ok: bool,
    /// Whether no match can start inside a word: with an ASCII letter, digit or `_` right
    /// after one (probed from the DFA: one transition from that kind's start state each).
    not_in_words: bool,
    /// Pattern index → rule index.
    pat_rule: Vec<usize>,
}

/// The matching machinery of a rule set: the union of its rules, each rule's capture
/// regex, and a pool of per-thread caches.
pub(crate) struct Engine {
    union: Option<Union>,
    /// Per rule: searched by the union (otherwise on its own, the plain way)?
    covered: Vec<bool>,
    /// Per rule: its pattern as an anchored capture regex.
    matchers: Vec<LazyMeta>,
    /// Per rule: whether its captures may be remembered ([`CaptureMemo`]: no Unicode
    /// word boundary, which looks further than one byte out).
    memoizable: Vec<bool>,
    pool: Pool<ScanCache, MakeCache>,
    /// The prefixes' patterns, until [`Engine::back`] is built from them.
    back_hirs: std::sync::Mutex<Vec<Hir>>,
    /// The prefixes' patterns as one reverse lazy DFA (built on first use; none when it
    /// cannot be built or there are more than 64 prefixes).
    back: OnceLock<Option<DFA>>,
}

/// One match of one rule, as [`Session::scan`] reports it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// Rule index.
    pub rule: usize,
    /// Where the whole match starts and ends.
    pub start: usize,
    pub end: usize,
    /// The extent of the mention: the span group's, or the whole match.
    pub s: usize,
    pub e: usize,
}

/// Runs rules' capture regexes (anchored, with cached state).
pub(crate) struct Captor<'a> {
    engine: &'a Engine,
    slots: &'a mut [Option<(meta::Cache, Captures)>],
    memo: &'a mut CaptureMemo,
}

/// Capture results already computed, per thread: an anchored search of a rule bounded to
/// `start..end` sees only the bytes `start..end`, the byte before `start` and the byte
/// at `end` (ASCII look-arounds look one byte out; `^` and `$` are the text's ends, which
/// those two bytes' absence says), so its result is a function of them. Prose repeats
/// the same dates and durations, which then cost a hash lookup instead of a search.
#[derive(Default)]
struct CaptureMemo {
    /// Key (see [`CaptureMemo::key`]) → the match's pattern and its slots relative to `start`.
    map: std::collections::HashMap<Box<[u8]>, Remembered>,
    /// The key being looked up.
    key: Vec<u8>,
}

/// A remembered search: the match's pattern (none: no match) and its slots relative to
/// the search's start.
type Remembered = (Option<regex_automata::PatternID>, Box<[Option<u32>]>);

/// Entries of a [`CaptureMemo`] before it is emptied (and bytes of a search it keeps).
const MEMO_ENTRIES: usize = 1 << 13;
const MEMO_SPAN: usize = 48;

impl CaptureMemo {
    /// Sets `self.key` for rule `ri`'s search of `start..end` in `bytes`.
    fn key(&mut self, bytes: &[u8], ri: usize, start: usize, end: usize) {
        self.key.clear();
        self.key.extend_from_slice(&(ri as u32).to_le_bytes());
        let edge = |b: Option<&u8>| b.map_or([0, 0], |&b| [1, b]);
        self.key.extend_from_slice(&edge(start.checked_sub(1).and_then(|i| bytes.get(i))));
        self.key.extend_from_slice(&edge(bytes.get(end)));
        self.key.extend_from_slice(&bytes[start..end]);
    }
}

impl Captor<'_> {
    /// The captures of rule `ri`'s leftmost-first match starting at `start`, searched
    /// within `start..end` (the rest of the text still counts for `\b` and `$`).
    pub fn captures(&mut self, text: &str, ri: usize, start: usize, end: usize) -> Option<&Captures> {
        let re = self.engine.matchers[ri].get();
        let (rc, caps) = self.slots[ri].get_or_insert_with(|| (re.create_cache(), re.create_captures()));
        let memo = self.engine.memoizable[ri] && end - start <= MEMO_SPAN;
        if memo {
            self.memo.key(text.as_bytes(), ri, start, end);
            if let Some((pid, rel)) = self.memo.map.get(self.memo.key.as_slice()) {
                caps.set_pattern(*pid);
                for (slot, r) in caps.slots_mut().iter_mut().zip(rel.iter()) {
                    *slot = r.and_then(|r| NonMaxUsize::new(start + r as usize));
                }
                return caps.is_match().then_some(&*caps);
            }
        }
        let input = Input::new(text).span(start..end).anchored(Anchored::Yes);
        re.search_captures_with(rc, &input, caps);
        if memo {
            if self.memo.map.len() >= MEMO_ENTRIES {
                self.memo.map.clear();
            }
            let rel = caps.slots().iter().map(|s| s.map(|s| (s.get() - start) as u32)).collect();
            self.memo.map.insert(self.memo.key.as_slice().into(), (caps.pattern(), rel));
        }
        caps.is_match().then_some(&*caps)
    }
}

/// A pooled cache in use: searches with it.
pub(crate) struct Session<'e> {
    engine: &'e Engine,
    cache: regex_automata::util::pool::PoolGuard<'e, ScanCache, MakeCache>,
}

impl Engine {
    /// Builds the union of `rules` (pattern, parsed pattern; by rule index). Rules whose
    /// pattern can match the empty string are left out of the union and searched on
    /// their own, and so is everything when the union cannot be built (too large).
    pub fn new(rules: Vec<(&str, Hir)>) -> Engine {
        let rule_count = rules.len();
        let mut pat_rule = Vec::new();
        let mut hirs = Vec::new();
        let mut covered = vec![false; rule_count];
        for (ri, (_, hir)) in rules.iter().enumerate() {
            if hir.properties().minimum_len().is_none_or(|n| n == 0) {
                continue;
            }
            pat_rule.push(ri);
            hirs.push(hir);
            covered[ri] = true;
        }
        let union = Union::new(&hirs, pat_rule);
        let memoizable = rules.iter().map(|(_, h)| !h.properties().look_set().contains_word_unicode()).collect();
        let matchers: Vec<LazyMeta> =
            rules.into_iter().enumerate().map(|(i, (p, hir))| LazyMeta::new(p, &i.to_string(), hir)).collect();
        if union.is_none() {
            covered.iter_mut().for_each(|c| *c = false);
        }
        let which = union.as_ref().map(|u| u.which.clone());
        let n = union.as_ref().map_or(0, |u| u.pat_rule.len());
        let kinds_ok = union.as_ref().is_some_and(|u| u.kinds_ok);
        let not_in_words = union.as_ref().is_some_and(|u| u.not_in_words);
        let make: MakeCache = Box::new(move || ScanCache {
            scan: ScanState {
                which: which.as_ref().map(DFA::create_cache),
                filter: Filter::new(kinds_ok, not_in_words),
                walk: Walk {
                    reach: vec![0; n],
                    short: vec![0; n],
                    hits: Vec::new(),
                    starts: [None; 5],
                    starts_clears: 0,
                },
                cursor: vec![0; rule_count],
            },
            back: None,
            rules: (0..rule_count).map(|_| None).collect(),
            memo: CaptureMemo::default(),
        });
        Engine {
            union,
            covered,
            matchers,
            memoizable,
            pool: Pool::new(make),
            back_hirs: std::sync::Mutex::new(Vec::new()),
            back: OnceLock::new(),
        }
    }

    /// Sets the prefix patterns (each ends with `$`) that [`Session::prefixes_ending`]
    /// tests; they are compiled when first needed.
    pub fn set_prefixes(&mut self, hirs: Vec<Hir>) {
        self.back_hirs = std::sync::Mutex::new(hirs);
        self.back = OnceLock::new();
    }

    /// The reverse DFA of the prefix patterns, built on first use.
    fn back(&self) -> Option<&DFA> {
        self.back
            .get_or_init(|| {
                let hirs =
                    std::mem::take(&mut *self.back_hirs.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
                if hirs.is_empty() || hirs.len() > 64 {
                    return None;
                }
                let tc = thompson::Config::new()
                    .nfa_size_limit(Some(UNION_SIZE_LIMIT))
                    .which_captures(WhichCaptures::None)
                    .reverse(true);
                let nfa = thompson::Compiler::new().configure(tc).build_many_from_hir(&hirs).ok()?;
                DFA::builder()
                    .configure(
                        DFA::config().cache_capacity(DFA_CACHE).unicode_word_boundary(true).match_kind(MatchKind::All),
                    )
                    .build_from_nfa(nfa)
                    .ok()
            })
            .as_ref()
    }

    /// Whether rule `ri` is searched by the union (otherwise on its own).
    pub fn covers(&self, ri: usize) -> bool {
        self.covered.get(ri).copied().unwrap_or(false)
    }

    /// A cache from the pool, to search with.
    pub fn session(&self) -> Session<'_> {
        Session { engine: self, cache: self.pool.get() }
    }
}

impl Union {
    fn new(hirs: &[&Hir], pat_rule: Vec<usize>) -> Option<Union> {
        if hirs.is_empty() {
            return None;
        }
        let tc = thompson::Config::new().nfa_size_limit(Some(UNION_SIZE_LIMIT)).which_captures(WhichCaptures::None);
        let nfa = thompson::Compiler::new().configure(tc).build_many_from_hir(hirs).ok()?;
        let which = DFA::builder()
            .configure(DFA::config().cache_capacity(DFA_CACHE).unicode_word_boundary(true).match_kind(MatchKind::All))
            .build_from_nfa(nfa)
            .ok()?;
        let kinds_ok = Filter::usable(&which);
        let not_in_words = kinds_ok && Filter::not_in_words(&which);
        Some(Union { which, kinds_ok, not_in_words, pat_rule })
    }

    /// Walks the DFA anchored at `p`: fills `hits` with the patterns that match there,
    /// `short` and `reach` with the nearest and farthest end of each.
    /// Returns where the walk died, when it did before the end of the text.
    fn which_at(
        &self,
        bytes: &[u8],
        p: usize,
        cache: &mut dfa::Cache,
        c: &mut Walk,
    ) -> Result<Option<usize>, MatchError> {
        let dfa = &self.which;
        let look = if p == 0 { None } else { Some(bytes[p - 1]) };
        let start = |cache: &mut dfa::Cache, look| {
            dfa.start_state(cache, &start::Config::new().anchored(Anchored::Yes).look_behind(look))
                .map_err(|_| MatchError::quit(look.unwrap_or(0), p))
        };
        let mut sid = if self.kinds_ok {
            if c.starts_clears != cache.clear_count() {
                c.starts = [None; 5];
                c.starts_clears = cache.clear_count();
            }
            let k = Filter::kind(look.map_or(256, usize::from)) as usize;
            match c.starts[k] {
                Some(sid) => sid,
                None => {
                    let sid = start(cache, REPRESENTATIVE[k])?;
                    // Computing it may have cleared the cache (and made older ids stale).
                    if c.starts_clears == cache.clear_count() {
                        c.starts[k] = Some(sid);
                    }
                    sid
                }
            }
        } else {
            start(cache, look)?
        };
        let mut at = p;
        loop {
            sid = if at < bytes.len() {
                dfa.next_state(cache, sid, bytes[at]).map_err(|_| MatchError::gave_up(at))?
            } else {
                dfa.next_eoi_state(cache, sid).map_err(|_| MatchError::gave_up(at))?
            };
            if sid.is_tagged() {
                if sid.is_match() {
                    // Matches are reported one byte late: they end at `at`.
                    for k in 0..dfa.match_len(cache, sid) {
                        let pid = dfa.match_pattern(cache, sid, k).as_usize();
                        if c.reach[pid] == 0 {
                            c.hits.push(pid);
                            c.short[pid] = at;
                        }
                        c.reach[pid] = at;
                    }
                }
                if sid.is_dead() {
                    return Ok((at < bytes.len()).then_some(at));
                }
                if sid.is_quit() {
                    return Err(MatchError::quit(bytes.get(at).copied().unwrap_or(0), at));
                }
            }
            if at >= bytes.len() {
                return Ok(None);
            }
            at += 1;
        }
    }
}

impl Session<'_> {
    /// Calls `each` for every match of every rule covered by the union that `want`
    /// accepts: exactly the matches `captures_iter` of the rule's regex gives, in the
    /// order of their start positions. `span_group` names a rule's group whose span is
    /// the mention's extent, if any. `each` gets a [`Captor`] to run capture regexes
    /// with. Errors when the lazy DFA could not finish the search (the caller then
    /// searches the plain way).
    pub fn scan(
        &mut self,
        text: &str,
        want: impl Fn(usize) -> bool,
        span_group: impl Fn(usize) -> Option<usize>,
        mut each: impl FnMut(Hit, &mut Captor<'_>),
    ) -> Result<(), MatchError> {
        let Some(u) = self.engine.union.as_ref() else {
            return Ok(());
        };
        let ScanCache { scan: ScanState { which, filter, walk: st, cursor }, rules, memo, .. } = &mut *self.cache;
        let cache = which.as_mut().expect("a union cache");
        let mut captor = Captor { engine: self.engine, slots: rules, memo };
        // A search that stopped early (an error, a panic) may have left these behind.
        for &pid in &st.hits {
            st.reach[pid] = 0;
        }
        st.hits.clear();
        cursor.iter_mut().for_each(|c| *c = 0);
        let bytes = text.as_bytes();
        filter.candidates(bytes, |p| {
            let died = u.which_at(bytes, p, cache, st)?;
            if st.hits.is_empty() {
                return Ok(died);
            }
            st.hits.sort_unstable_by_key(|&pid| u.pat_rule[pid]);
            for hi in 0..st.hits.len() {
                let pid = st.hits[hi];
                let ri = u.pat_rule[pid];
                let reach = std::mem::take(&mut st.reach[pid]);
                if cursor[ri] > p || !want(ri) {
                    continue;
                }
                let group = span_group(ri);
                let hit = if st.short[pid] == reach && group.is_none() {
                    // One possible end: no need to run the rule's regex to know it.
                    Hit { rule: ri, start: p, end: reach, s: p, e: reach }
                } else {
                    let Some(caps) = captor.captures(text, ri, p, reach) else {
                        // The union says this rule matches here; its own regex must agree.
                        debug_assert!(false, "rule {ri} does not match at {p}");
                        continue;
                    };
                    let end = caps.get_match().map_or(reach, |m| m.end());
                    let (s, e) = group.and_then(|g| caps.get_group(g)).map_or((p, end), |sp| (sp.start, sp.end));
                    Hit { rule: ri, start: p, end, s, e }
                };
                cursor[ri] = hit.end;
                each(hit, &mut captor);
            }
            st.hits.clear();
            Ok(None)
        })
    }

    /// Which prefix patterns (bit `i` for the `i`th of [`Engine::set_prefixes`]) can
    /// match a non-empty end of `before` (`before` being the whole haystack, as the
    /// prefix regexes see it). One walk of the prefixes' reverse DFA from the end of
    /// `before` until it dies; a prefix whose bit is clear has no non-empty match there.
    /// All bits are set when this cannot be worked out.
    pub fn prefixes_ending(&mut self, before: &str) -> u64 {
        let Some(dfa) = self.engine.back() else { return u64::MAX };
        if before.is_empty() {
            return 0;
        }
        let cache = self.cache.back.get_or_insert_with(|| dfa.create_cache());
        let bytes = before.as_bytes();
        let Ok(mut sid) = dfa.start_state_reverse(cache, &Input::new(before).anchored(Anchored::Yes)) else {
            return u64::MAX;
        };
        let mut found = 0u64;
        // Matches are reported one byte late: after reading the byte at `i`, they start
        // at `i + 1` (at the end, for the first byte read: empty matches, not counted).
        let mut i = bytes.len();
        loop {
            let step = if i > 0 { dfa.next_state(cache, sid, bytes[i - 1]) } else { dfa.next_eoi_state(cache, sid) };
            let Ok(next) = step else { return u64::MAX };
            sid = next;
            if sid.is_tagged() {
                if sid.is_match() && i < bytes.len() {
                    for k in 0..dfa.match_len(cache, sid) {
                        found |= 1 << dfa.match_pattern(cache, sid, k).as_usize();
                    }
                }
                if sid.is_dead() {
                    return found;
                }
                if sid.is_quit() {
                    return u64::MAX;
                }
            }
            if i == 0 {
                return found;
            }
            i -= 1;
        }
    }

    /// A captor using this session's caches.
    pub fn captor(&mut self) -> Captor<'_> {
        let ScanCache { rules, memo, .. } = &mut *self.cache;
        Captor { engine: self.engine, slots: rules, memo }
    }
}

/// Which positions of a text can start a match of the union: a test of the byte before
/// (through the kind of start state it gives the DFA), the byte and the byte after, that
/// leaves in prose about one position in ten. It only lets positions be skipped.
///
/// The table is learnt as texts are read, per thread: it starts letting everything pass,
/// and each DFA walk that dies within its first two bytes ([`Union::which_at`]) marks
/// those bytes, after that kind of byte, as unable to start a match. So building the
/// tagger costs nothing here, and nothing is worked out that the texts do not need.
struct Filter {
    /// The kind of start state after each byte (index 256: the text start).
    kind_of: [u8; 257],
    /// Per kind, per byte: can a match start with this byte (at the end of the text)?
    last: [[bool; 256]; 8],
    /// Bit `kind << 16 | byte << 8 | next`: can a match start with these two bytes?
    pairs: Box<[u64; 8192]>,
    /// Three bytes after a kind of byte that cannot start a match, as far as learnt: a
    /// cache (one key a slot, the latest wins) of `kind << 24 | three bytes`, plus one.
    dead3: Box<[u32; DEAD3]>,
    /// Whether walks may be learnt from (the kinds give the DFA's start states).
    learns: bool,
    /// Whether positions inside words (a word byte, after a word byte) can be skipped
    /// without a test: [`Union::not_in_words`].
    skips_words: bool,
}

/// Slots of [`Filter::dead3`] (a power of two).
const DEAD3: usize = 1 << 14;

/// The slot of a [`Filter::dead3`] key.
#[inline]
fn dead3_slot(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - DEAD3.trailing_zeros())) as usize
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// A word byte (the kind after it is 3): an ASCII letter, digit or `_`.
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Bit 7 of each byte of `x` set where that byte is a [`word_byte`] (SWAR: no sum
/// below carries from one byte into the next, all being at most 0xff).
#[inline(always)]
fn word_bytes(x: u64) -> u64 {
    let ascii = !x & HIGH;
    let t = x & !HIGH;
    // Bit 7 of `v + (0x80 - lo)` is set where a byte of `v` (below 0x80) is >= lo.
    let ge = |v: u64, lo: u8| (v + u64::from(0x80 - lo) * ONES) & HIGH;
    let digit = ge(t, b'0') & !ge(t, b'9' + 1);
    let lower = t | (0x20 * ONES);
    let letter = ge(lower, b'a') & !ge(lower, b'z' + 1);
    let v = t ^ (u64::from(b'_') * ONES);
    let under = !((v + 0x7f * ONES) | v) & HIGH;
    (digit | letter | under) & ascii
}

/// The byte before a position that stands for each kind of start state (none: the text
/// start).
const REPRESENTATIVE: [Option<u8>; 5] = [None, Some(b'\n'), Some(b'\r'), Some(b'a'), Some(b' ')];

impl Filter {
    /// A filter that lets everything pass, and learns if `learns`; skips positions inside
    /// words if `skips_words`.
    fn new(learns: bool, skips_words: bool) -> Filter {
        let mut kind_of = [0u8; 257];
        kind_of.iter_mut().enumerate().for_each(|(i, k)| *k = Filter::kind(i));
        Filter {
            kind_of,
            last: [[true; 256]; 8],
            pairs: Box::new([u64::MAX; 8192]),
            dead3: vec![0; DEAD3].into_boxed_slice().try_into().expect("DEAD3 slots"),
            learns,
            skips_words,
        }
    }

    /// The kind of start state after `prev` (256: none, the text start), as
    /// `regex_automata::util::start` classifies it (checked by [`Filter::usable`]).
    fn kind(prev: usize) -> u8 {
        match prev {
            256 => 0,
            0x0A => 1,
            0x0D => 2,
            b if (b as u8).is_ascii_alphanumeric() || b == b'_' as usize => 3,
            _ => 4,
        }
    }

    /// Whether the DFA gives every byte before a position the start state of its kind
    /// (otherwise the filter cannot learn, and start states are not shared by kind).
    fn usable(dfa: &DFA) -> bool {
        let mut cache = dfa.create_cache();
        let mut start_id = |look: Option<u8>| {
            dfa.start_state(&mut cache, &start::Config::new().anchored(Anchored::Yes).look_behind(look)).ok()
        };
        (0..=256usize).all(|prev| {
            let look = (prev < 256).then_some(prev as u8);
            start_id(look) == start_id(REPRESENTATIVE[Filter::kind(prev) as usize])
        })
    }

    /// Whether the walk from the start state after a word byte dies on every word byte
    /// (so no match starts inside a word). Anything but the dead state (a live state, a
    /// match, a quit, an error) counts as a possible start.
    fn not_in_words(dfa: &DFA) -> bool {
        let mut cache = dfa.create_cache();
        let config = start::Config::new().anchored(Anchored::Yes).look_behind(REPRESENTATIVE[3]);
        (0..=255u8).filter(|&b| Filter::kind(b as usize) == 3).all(|b| {
            // Computed each time: a cleared cache would make an older id stale.
            dfa.start_state(&mut cache, &config)
                .ok()
                .and_then(|sid| dfa.next_state(&mut cache, sid, b).ok())
                .is_some_and(|n| n.is_dead())
        })
    }

    /// Learns from a walk at `p` that found no match and died on the byte at `died`: if
    /// that is the first, second or third byte, no match starts with them after this
    /// kind of byte.
    #[inline]
    fn learn(&mut self, bytes: &[u8], p: usize, died: usize) {
        if !self.learns {
            return;
        }
        let k = self.kind_of[if p == 0 { 256 } else { bytes[p - 1] as usize }] as usize & 7;
        let b0 = bytes[p] as usize;
        if died == p {
            self.last[k][b0] = false;
            let at = (k << 16 | b0 << 8) >> 6;
            self.pairs[at..at + 4].fill(0);
        } else if died == p + 1 {
            let bit = k << 16 | b0 << 8 | bytes[p + 1] as usize;
            self.pairs[bit >> 6 & 8191] &= !(1 << (bit & 63));
        } else if died == p + 2 {
            let key = ((k << 24 | b0 << 16 | (bytes[p + 1] as usize) << 8 | bytes[p + 2] as usize) as u32) + 1;
            self.dead3[dead3_slot(key)] = key;
        }
    }

    /// Tests position `p` (with a byte after it) and walks there if it can start a match.
    #[inline(always)]
    fn test<E>(
        &mut self,
        bytes: &[u8],
        p: usize,
        f: &mut impl FnMut(usize) -> Result<Option<usize>, E>,
    ) -> Result<(), E> {
        let k = self.kind_of[bytes[p - 1] as usize] as usize & 7;
        let bit = k << 16 | (bytes[p] as usize) << 8 | bytes[p + 1] as usize;
        if self.pairs[bit >> 6 & 8191] >> (bit & 63) & 1 != 0 {
            let known_dead = bytes.get(p + 2).is_some_and(|&b2| {
                let key = ((bit << 8 | b2 as usize) as u32) + 1;
                self.dead3[dead3_slot(key)] == key
            });
            if !known_dead && let Some(died) = f(p)? {
                self.learn(bytes, p, died);
            }
        }
        Ok(())
    }

    /// Can a match start at `p`?
    #[inline]
    fn at(&self, bytes: &[u8], p: usize) -> bool {
        let k = self.kind_of[if p == 0 { 256 } else { bytes[p - 1] as usize }] as usize & 7;
        match bytes.get(p + 1) {
            None => self.last[k][bytes[p] as usize],
            Some(&next) => {
                let bit = k << 16 | (bytes[p] as usize) << 8 | next as usize;
                self.pairs[bit >> 6 & 8191] >> (bit & 63) & 1 != 0
            }
        }
    }

    /// Calls `f` with each position where a match can start, in order; `f` says where
    /// the walk there died without a match, if it did (see [`Filter::learn`]).
    #[inline]
    fn candidates<E>(&mut self, bytes: &[u8], mut f: impl FnMut(usize) -> Result<Option<usize>, E>) -> Result<(), E> {
        let n = bytes.len();
        if n == 0 {
            return Ok(());
        }
        if self.at(bytes, 0)
            && let Some(died) = f(0)?
        {
            self.learn(bytes, 0, died);
        }
        // Positions 1..n-1, eight at a time while there are eight (and the byte after
        // them): a position inside a word (a word byte after a word byte) is skipped
        // without a table test when no match can start there (`skips_words`).
        let mut p = 1;
        let mut prev_word = if word_byte(bytes[0]) { HIGH } else { 0 };
        while p + 9 <= n {
            let chunk: [u8; 8] = bytes[p..p + 8].try_into().expect("eight bytes");
            let words = word_bytes(u64::from_le_bytes(chunk));
            let inside = if self.skips_words { words & (words << 8 | prev_word >> 56) } else { 0 };
            prev_word = words & (HIGH << 56);
            let mut open = !inside & HIGH;
            while open != 0 {
                let q = p + (open.trailing_zeros() / 8) as usize;
                open &= open - 1;
                self.test(bytes, q, &mut f)?;
            }
            p += 8;
        }
        while p + 1 < n {
            self.test(bytes, p, &mut f)?;
            p += 1;
        }
        if n >= 2
            && self.at(bytes, n - 1)
            && let Some(died) = f(n - 1)?
        {
            self.learn(bytes, n - 1, died);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::RuleSet;
    use crate::Domain;

    fn same(rs: &RuleSet, text: &str) {
        for d in [Domain::News, Domain::Narrative] {
            let fast: Vec<String> = rs.find(text, d).iter().map(|m| format!("{m:?}")).collect();
            let plain: Vec<String> = rs.find_plain(text, d).iter().map(|m| format!("{m:?}")).collect();
            assert_eq!(fast, plain, "one-pass and per-rule search differ on {text:?} ({d:?})");
        }
    }

    fn example_texts(rs: &RuleSet) -> Vec<String> {
        let mut out = Vec::new();
        for r in &rs.rules {
            out.extend(r.examples.iter().map(|e| e.text.replace(['[', ']'], "")));
            out.extend(r.counter.iter().map(|c| c.replace(['[', ']'], "")));
        }
        for p in &rs.prefixes {
            out.extend(p.examples.iter().map(|e| e.text.replace(['[', ']'], "")));
        }
        out
    }

    /// CPU time of this process so far, in seconds (wall time is meaningless on a busy machine).
    fn cpu() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let f: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let ticks: f64 = f.get(11).and_then(|u| u.parse().ok()).unwrap_or(0.0)
            + f.get(12).and_then(|s| s.parse().ok()).unwrap_or(0.0);
        ticks / 100.0
    }

    struct Clock(f64);
    impl Clock {
        fn start() -> Clock {
            Clock(cpu())
        }
        fn elapsed(&self) -> std::time::Duration {
            std::time::Duration::from_secs_f64((cpu() - self.0).max(0.01))
        }
    }

    /// Timing of the stages on the text in `$ANNALIST_PROFILE_TEXT` (development aid).
    #[test]
    #[ignore]
    fn profile_stages() {
        let Ok(path) = std::env::var("ANNALIST_PROFILE_TEXT") else { return };
        let text = std::fs::read_to_string(path).expect("text");
        let rs = RuleSet::english();
        if std::env::var("ANNALIST_PROFILE_ONLY").as_deref() == Ok("find") {
            // The best of several runs (the machine is shared), after one that compiles
            // what the text needs. Under callgrind, `--toggle-collect='*measured_find*'`
            // counts only the measured runs (instruction counts do not depend on the load).
            #[inline(never)]
            fn measured_find(rs: &RuleSet, text: &str) -> usize {
                rs.find(text, Domain::Narrative).len()
            }
            rs.find(&text, Domain::Narrative);
            let mut best = f64::MAX;
            for _ in 0..5 {
                let t = Clock::start();
                std::hint::black_box(measured_find(&rs, &text));
                best = best.min(t.elapsed().as_secs_f64());
            }
            eprintln!("find {:.1} MB/s (best of 5)", text.len() as f64 / 1e6 / best);
            return;
        }
        let u = rs.engine.union.as_ref().expect("union");
        let mut session = rs.engine.session();
        let t = Clock::start();
        let mut n = 0;
        let mut per_rule = vec![0usize; rs.rules.len()];
        session
            .scan(
                &text,
                |_| true,
                |_| None,
                |h, _| {
                    n += 1;
                    per_rule[h.rule] += 1;
                },
            )
            .expect("scan");
        let scan = t.elapsed();
        let st = &mut session.cache.scan;
        let dfa_cache = st.which.as_mut().expect("cache");
        let mut cands = 0usize;
        let b = text.as_bytes();
        let t = Clock::start();
        let mut walked = [0usize; 5];
        for p in 0..b.len() {
            if st.filter.at(b, p) {
                cands += 1;
                let died = u.which_at(b, p, dfa_cache, &mut st.walk).expect("which");
                let len = died.map_or(b.len() - p, |d| d + 1 - p);
                walked[match len {
                    0..=2 => 0,
                    3 => 1,
                    4..=6 => 2,
                    7..=12 => 3,
                    _ => 4,
                }] += 1;
                for &pid in &st.walk.hits {
                    st.walk.reach[pid] = 0;
                }
                st.walk.hits.clear();
            }
        }
        let which = t.elapsed();
        eprintln!(
            "walk lengths: <=2 {} / 3 {} / 4-6 {} / 7-12 {} / 13+ {}",
            walked[0], walked[1], walked[2], walked[3], walked[4]
        );
        let mem = dfa_cache.memory_usage();
        drop(session);
        let mut top: Vec<(usize, usize)> = per_rule.iter().copied().enumerate().filter(|x| x.1 > 0).collect();
        top.sort_by_key(|x| std::cmp::Reverse(x.1));
        for (ri, n) in top.iter().take(12) {
            eprintln!("{n:>8} {}", rs.rules[*ri].id);
        }
        let t = Clock::start();
        let found = rs.find(&text, Domain::Narrative);
        let find = t.elapsed();
        let tagger = crate::Tagger::new();
        let t = Clock::start();
        let tagged = tagger.tag(&text, &crate::Context::narrative());
        let tag = t.elapsed();
        let mb = text.len() as f64 / 1e6;
        eprintln!(
            "{mb:.1} MB: {cands} candidate positions, {n} rule matches, {} mentions, {} timexes\n\
             scan {:.0} MB/s (which only {:.0} MB/s), find {:.0} MB/s, tag {:.0} MB/s; dfa cache {} KB",
            found.len(),
            tagged.len(),
            mb / scan.as_secs_f64(),
            mb / which.as_secs_f64(),
            mb / find.as_secs_f64(),
            mb / tag.as_secs_f64(),
            mem / 1024,
        );
    }

    #[test]
    fn prefix_walk_finds_every_prefix_that_matches() {
        let rs = RuleSet::english();
        let mut texts = example_texts(&rs);
        texts.extend(["about ", "the end of the ", "early in ", "Éte sometime ", "— nearly ", " "].map(String::from));
        let mut session = rs.engine.session();
        let mut seen = 0;
        for t in &texts {
            for end in (0..=t.len()).filter(|&e| t.is_char_boundary(e)) {
                let before = &t[..end];
                let can = session.prefixes_ending(before);
                for (pi, p) in rs.prefixes.iter().enumerate() {
                    let m = p.re.get().find(before).filter(|m| m.start() < m.end());
                    if m.is_some() {
                        seen += 1;
                        assert!(can >> pi & 1 == 1, "prefix {} matches {before:?} but the walk says no", p.id);
                    }
                }
            }
        }
        assert!(seen > 50, "{seen} prefix matches");
    }

    #[test]
    fn word_bytes_eight_at_a_time() {
        for first in (0..=255u8).step_by(8) {
            for shift in 0..8u8 {
                let chunk: [u8; 8] = std::array::from_fn(|j| first.wrapping_add((j as u8).wrapping_mul(37) ^ shift));
                let w = super::word_bytes(u64::from_le_bytes(chunk));
                for (j, &b) in chunk.iter().enumerate() {
                    assert_eq!(w >> (8 * j) & 0xff, if super::word_byte(b) { 0x80 } else { 0 }, "byte {b:#x}");
                }
            }
        }
        for b in 0..=255u8 {
            assert_eq!(super::word_bytes(u64::from(b)) & 0xff != 0, super::word_byte(b), "byte {b:#x}");
            assert_eq!(super::word_byte(b), super::Filter::kind(b as usize) == 3);
        }
    }

    #[test]
    fn union_covers_the_rules() {
        let rs = RuleSet::english();
        let covered = (0..rs.rules.len()).filter(|&i| rs.engine.covers(i)).count();
        assert!(covered * 10 >= rs.rules.len() * 9, "only {covered} of {} rules in the union", rs.rules.len());
    }

    #[test]
    fn filter_passes_every_match_start() {
        let rs = RuleSet::english();
        let u = rs.engine.union.as_ref().expect("union");
        assert!(u.kinds_ok);
        let mut session = rs.engine.session();
        let st = &mut session.cache.scan;
        let cache = st.which.as_mut().expect("cache");
        let text = example_texts(&rs).join(" \n");
        let b = text.as_bytes();
        // Learn from the text, then check what was learnt against every position.
        for _round in 0..2 {
            let mut passed = Vec::new();
            st.filter
                .candidates(b, |p| {
                    passed.push(p);
                    st.walk.hits.iter().for_each(|&pid| st.walk.reach[pid] = 0);
                    st.walk.hits.clear();
                    let died = u.which_at(b, p, cache, &mut st.walk).expect("ascii rules");
                    Ok::<_, ()>(if st.walk.hits.is_empty() { died } else { None })
                })
                .expect("no error");
            st.walk.hits.iter().for_each(|&pid| st.walk.reach[pid] = 0);
            st.walk.hits.clear();
            let mut starts = 0;
            for p in 0..b.len() {
                u.which_at(b, p, cache, &mut st.walk).expect("ascii rules");
                if !st.walk.hits.is_empty() {
                    starts += 1;
                    assert!(passed.binary_search(&p).is_ok(), "a match starts at {p} but it was skipped");
                    assert!(st.filter.at(b, p), "a match starts at {p} ({:?}) but the filter skips it", &text[p..]);
                }
                for &pid in &st.walk.hits {
                    st.walk.reach[pid] = 0;
                }
                st.walk.hits.clear();
            }
            assert!(starts > 100, "{starts} starts");
        }
        // Once learnt, the filter leaves few positions to walk.
        assert!(st.filter.skips_words);
        let word = |p: usize| p > 0 && (b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_');
        let passing = (0..b.len()).filter(|&p| !(word(p) && word(p + 1)) && st.filter.at(b, p)).count();
        assert!(passing < b.len() / 2, "{passing} of {} pass", b.len());
    }

    #[test]
    fn every_regex_compiles() {
        let rs = RuleSet::english();
        for (i, r) in rs.rules.iter().enumerate() {
            r.re.get();
            rs.engine.matchers[i].get();
            for c in [&r.require_before, &r.reject_before, &r.require_after, &r.reject_after].into_iter().flatten() {
                c.get();
            }
        }
        for p in &rs.prefixes {
            p.re.get();
            if let Some(m) = &p.mention {
                m.get();
            }
        }
    }

    #[test]
    fn same_as_per_rule_search_on_examples() {
        let rs = RuleSet::english();
        let texts = example_texts(&rs);
        for t in &texts {
            same(&rs, t);
        }
        // All at once, so matches of different rules meet and overlap.
        for sep in [" ", "\n", ". ", ", ", "\n\n", ""] {
            same(&rs, &texts.join(sep));
        }
    }

    #[test]
    fn same_as_per_rule_search_on_odd_text() {
        let rs = RuleSet::english();
        for t in [
            "",
            " ",
            "1",
            "1939",
            "Zürich, 3 März 1939 — the 1990s… «next week» 12:30 p.m. 年 1939年",
            "\u{feff}On Monday, 5 May 1941 at 10 a.m.",
            "Éte 1944: the summer of 1944 ended; ’90s; '45; 3/4/1999/5; 1998-13-08-1",
            "two and a half years later, twice a week, every 3 days, the 21st century BC, 44 BC",
            "at the time at that time this time the same time now nowadays",
            "MAY MAY May may June june JUNE jun. Jun. Sept. Sep 9 Sept 11th, 2001",
        ] {
            same(&rs, t);
            same(&rs, &t.repeat(3));
        }
    }

    #[test]
    fn rules_matching_the_empty_string_are_searched_alone() {
        let rules = r#"
[[rule]]
id = "maybe_year"
type = "DATE"
pattern = '\b(?P<year>1[0-9]{3})?'
examples = [{ text = "In [1939].", value = "1939" }]

[[rule]]
id = "year_word"
type = "DATE"
pattern = '\b(?P<year>1[0-9]{3}) AD\b'
examples = [{ text = "In [1939 AD].", value = "1939" }]
"#;
        let rs = RuleSet::from_sources("", rules).expect("rules");
        assert!(!rs.engine.covers(0) && rs.engine.covers(1));
        for t in ["In 1939 and 1940 AD, then 1941 AD or 1942.", "", "1939", "1939 AD"] {
            same(&rs, t);
        }
        let found = rs.find("In 1939 and 1940 AD, then 1941.", Domain::Narrative);
        assert_eq!(found.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(), [(3, 7), (12, 19), (26, 30)]);
    }

    #[test]
    fn union_falls_back_on_unicode_word_boundaries() {
        // A rule set whose pattern needs a Unicode word boundary: the lazy DFA quits on
        // non-ASCII text and the search goes rule by rule, with the same result.
        let lexicon = "";
        let rules = r#"
[[rule]]
id = "year"
type = "DATE"
pattern = '(?P<year>1[0-9]{3})\B'
examples = [{ text = "In [1939]x.", value = "1939" }]
"#;
        let rs = RuleSet::from_sources(lexicon, rules).expect("rules");
        assert!(rs.engine.covers(0));
        same(&rs, "In 1939x and in 1940.");
        same(&rs, "Im Jahr 1939 — und 1940ü 1941");
        let found = rs.find("Im Jahr 1939 — und 1940ü 1941", Domain::Narrative);
        assert_eq!(found.iter().map(|m| m.start).collect::<Vec<_>>(), [21]);
        let mut session = rs.engine.session();
        assert!(session.scan("1940ü", |_| true, |_| None, |_, _| {}).is_err(), "the lazy DFA quits on non-ASCII");
        assert!(session.scan("1940x", |_| true, |_| None, |_, _| {}).is_ok());
    }
}
