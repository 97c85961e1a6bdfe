//! Inference with a trained [`Model`], laid out for speed. Predictions are exactly
//! those of the heads' plain sums (`Head` rows added per feature):
//!
//! - the event head's weights are one row of eight `i16` per bucket, aligned so that a
//!   row is one load from one cache line;
//! - the three attribute heads (part of speech, tense, aspect), which always see the
//!   same features, are interleaved into one row of 16 `i16` per bucket (4 + 7 + 4 +
//!   padding): one cache line per feature instead of three;
//! - a per-thread [`WordCache`] keeps, for each recently seen word form, its analysis
//!   ([`TokInfo`]) and its share of the event-head scores: the sums of the rows of the
//!   features that depend on that word alone — as the word itself, and as the first or
//!   second neighbour left or right of a candidate ([`split`]). A candidate then adds
//!   five cached sums and six rows (bigrams, auxiliary chain) instead of 22 rows.
//!   Integer sums do not depend on their order, so the scores are the same.

use super::features::{TokInfo, analyze_word, split};
use super::lexicon::Lexicon;
use super::model::Model;
use crate::Error;

/// Scores of the event head's eight labels.
pub(crate) type Scores = [i32; 8];

#[derive(Clone, Copy, Default)]
#[repr(C, align(16))]
struct Row8([i16; 8]);

#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Row16([i16; 16]);

/// Label counts of the attribute heads, in row order: part of speech, tense, aspect.
const ATTR_LABELS: [usize; 3] = [4, 7, 4];

/// A word's share of the event-head scores (see the module docs).
#[derive(Clone, Copy, Default)]
pub(crate) struct Share {
    /// Features of the word itself (with the bias).
    pub own: Scores,
    /// As the word right before a candidate.
    pub left1: Scores,
    /// As the word two before.
    pub left2: Scores,
    /// As the word right after.
    pub right1: Scores,
    /// As the word two after.
    pub right2: Scores,
}

/// A [`Share`] as the word cache keeps it: the neighbour shares in 16 bits a score
/// (smaller, so more words stay in the processor's caches). Words whose neighbour
/// shares do not fit are not cached; the word's own share (with up to eight weights,
/// often beyond 16 bits) stays 32-bit.
#[derive(Clone, Copy, Default)]
struct CachedShare {
    own: Scores,
    neighbours: [[i16; 8]; 4],
}

impl CachedShare {
    fn new(s: &Share) -> Option<CachedShare> {
        let mut neighbours = [[0i16; 8]; 4];
        for (o, x) in neighbours.iter_mut().zip([&s.left1, &s.left2, &s.right1, &s.right2]) {
            for l in 0..8 {
                o[l] = i16::try_from(x[l]).ok()?;
            }
        }
        Some(CachedShare { own: s.own, neighbours })
    }

    #[inline]
    fn widen(&self) -> Share {
        let w = |k: usize| self.neighbours[k].map(i32::from);
        Share { own: self.own, left1: w(0), left2: w(1), right1: w(2), right2: w(3) }
    }
}

/// The model's heads, ready for prediction.
pub(crate) struct Engine {
    /// Unique per engine in the process: keys the per-thread word caches.
    id: u64,
    det_shift: u32,
    det: Vec<Row8>,
    attr_shift: u32,
    attr: Vec<Row16>,
    /// The padding word's share (beyond either end of a sentence).
    pad: Share,
    /// The four values of the capitalisation / sentence-start feature.
    cap_pos: [Scores; 4],
}

fn bad(message: String) -> Error {
    Error::Format { file: "event model".into(), line: 0, message }
}

#[inline]
fn add(acc: &mut Scores, x: &Scores) {
    for l in 0..8 {
        acc[l] += x[l];
    }
}

/// The index of the largest score, the lowest index on ties (as `Head::predict` does).
#[inline]
pub(crate) fn argmax(s: &[i32]) -> usize {
    let mut best = 0;
    for (i, &v) in s.iter().enumerate() {
        if v > s[best] {
            best = i;
        }
    }
    best
}

impl Engine {
    /// Lays out `model`, whose heads are event (8 labels), part of speech (4), tense
    /// (7) and aspect (4) in that order, the last three with the same bucket bits (as
    /// `train` writes them).
    pub fn new(model: &Model) -> Result<Engine, Error> {
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let [ev, pos, tense, aspect] = match &model.heads[..] {
            [a, b, c, d] => [a, b, c, d],
            hs => return Err(bad(format!("expected 4 heads, found {}", hs.len()))),
        };
        if ev.labels.len() != 8 {
            return Err(bad(format!("head {} has {} labels, expected 8", ev.name, ev.labels.len())));
        }
        for (h, n) in [pos, tense, aspect].into_iter().zip(ATTR_LABELS) {
            if h.labels.len() != n {
                return Err(bad(format!("head {} has {} labels, expected {n}", h.name, h.labels.len())));
            }
            if h.bits != pos.bits {
                return Err(bad(format!("head {} has {} bucket bits, head {} {}", h.name, h.bits, pos.name, pos.bits)));
            }
        }
        let det = ev.weights.chunks_exact(8).map(|c| Row8(c.try_into().expect("chunk of 8"))).collect();
        let mut attr = vec![Row16::default(); 1 << pos.bits];
        for (b, row) in attr.iter_mut().enumerate() {
            let mut k = 0;
            for (h, n) in [pos, tense, aspect].into_iter().zip(ATTR_LABELS) {
                row.0[k..k + n].copy_from_slice(&h.weights[b * n..(b + 1) * n]);
                k += n;
            }
        }
        let mut e = Engine {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            det_shift: 64 - ev.bits,
            det,
            attr_shift: 64 - pos.bits,
            attr,
            pad: Share::default(),
            cap_pos: [[0; 8]; 4],
        };
        e.pad = Share {
            own: [0; 8],
            left1: e.sum(&split::left1(None)),
            left2: e.sum(&split::left2(None)),
            right1: e.sum(&split::right1(None)),
            right2: e.sum(&split::right2(None)),
        };
        e.cap_pos = [0, 1, 2, 3].map(|v| e.sum(&[split::cap_pos(v)]));
        Ok(e)
    }

    /// Adds the event-head row of feature `f` to `acc`.
    #[inline]
    fn add_det(&self, acc: &mut Scores, f: u64) {
        let w = &self.det[(f >> self.det_shift) as usize].0;
        for l in 0..8 {
            acc[l] += w[l] as i32;
        }
    }

    /// The event-head scores of `feats`.
    #[inline]
    fn sum(&self, feats: &[u64]) -> Scores {
        let mut acc = [0; 8];
        for &f in feats {
            self.add_det(&mut acc, f);
        }
        acc
    }

    /// A word's share of the event-head scores.
    fn share(&self, t: &TokInfo) -> Share {
        Share {
            own: self.sum(&split::own(t)),
            left1: self.sum(&split::left1(Some(t))),
            left2: self.sum(&split::left2(Some(t))),
            right1: self.sum(&split::right1(Some(t))),
            right2: self.sum(&split::right2(Some(t))),
        }
    }

    /// The event-head label of token `i` (0: no event), given every token's share:
    /// the same as `Head::predict` over `features(toks, i, 0, …)`.
    #[inline]
    pub fn detect(&self, toks: &[TokInfo], shares: &[Share], i: usize) -> usize {
        let mut acc = shares[i].own;
        add(&mut acc, if i >= 1 { &shares[i - 1].left1 } else { &self.pad.left1 });
        add(&mut acc, if i >= 2 { &shares[i - 2].left2 } else { &self.pad.left2 });
        add(&mut acc, shares.get(i + 1).map_or(&self.pad.right1, |s| &s.right1));
        add(&mut acc, shares.get(i + 2).map_or(&self.pad.right2, |s| &s.right2));
        add(&mut acc, &self.cap_pos[toks[i].cap as usize * 2 + (i == 0) as usize]);
        for f in split::context(toks, i) {
            self.add_det(&mut acc, f);
        }
        argmax(&acc)
    }

    /// The part of speech, tense and aspect label indices for `feats` (as
    /// `features(…, class, …)` gives them).
    #[inline]
    pub fn attrs(&self, feats: &[u64]) -> [usize; 3] {
        let mut acc = [0i32; 16];
        for &f in feats {
            let w = &self.attr[(f >> self.attr_shift) as usize].0;
            for l in 0..16 {
                acc[l] += w[l] as i32;
            }
        }
        [argmax(&acc[0..4]), argmax(&acc[4..11]), argmax(&acc[11..15])]
    }

    /// Checks this engine against plain per-head sums (tests).
    #[cfg(test)]
    pub(crate) fn check_against(&self, heads: &[super::model::Head], toks: &[TokInfo], shares: &[Share]) {
        let mut feats = Vec::new();
        for i in 0..toks.len() {
            feats.clear();
            super::features::features(toks, i, 0, &mut feats);
            let c = heads[0].predict(&feats);
            assert_eq!(self.detect(toks, shares, i), c, "event head, token {i}");
            feats.clear();
            super::features::features(toks, i, 1 + (i as u64 % 7), &mut feats);
            let want = [heads[1].predict(&feats), heads[2].predict(&feats), heads[3].predict(&feats)];
            assert_eq!(self.attrs(&feats), want, "attribute heads, token {i}");
        }
    }
}

/// Longest word form (in bytes) kept in the cache; longer ones are analysed each time.
const WORD_MAX: usize = 23;
/// The cache has 2^CACHE_BITS slots (two-way set-associative).
const CACHE_BITS: u32 = 13;

/// One cached word form: 192 bytes, three cache lines.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Slot {
    /// 0: empty.
    len: u8,
    /// The word form, padded with zeros.
    bytes: [u8; WORD_MAX],
    tok: TokInfo,
    share: CachedShare,
}

/// Per-thread cache of word forms: their analysis and their share of the scores of
/// one engine (cleared when used with another).
#[derive(Default)]
pub(crate) struct WordCache {
    engine: u64,
    slots: Vec<Slot>,
    /// Per set, the way used last.
    recent: Vec<u8>,
    lower: String,
}

#[inline]
fn word_key(b: &[u8; WORD_MAX]) -> u64 {
    let w = |k: usize| u64::from_le_bytes(b[k..k + 8].try_into().expect("8 bytes"));
    let h = (w(0) ^ 0xcbf2_9ce4_8422_2325).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ w(8);
    super::features::mix(h.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ w(15))
}

impl WordCache {
    /// The analysis of word form `w` (offsets 0) and its share under `engine`, pushed
    /// onto `toks` and `shares`.
    #[inline]
    pub fn push(&mut self, engine: &Engine, lex: &Lexicon, w: &str, toks: &mut Vec<TokInfo>, shares: &mut Vec<Share>) {
        let b = w.as_bytes();
        if b.len() <= WORD_MAX && !b.is_empty() {
            if self.engine != engine.id || self.slots.is_empty() {
                self.engine = engine.id;
                self.slots.clear();
                self.slots.resize(
                    1 << CACHE_BITS,
                    Slot { len: 0, bytes: [0; WORD_MAX], tok: TokInfo::default(), share: CachedShare::default() },
                );
                self.recent.clear();
                self.recent.resize(1 << (CACHE_BITS - 1), 0);
            }
            let mut bytes = [0u8; WORD_MAX];
            bytes[..b.len()].copy_from_slice(b);
            // Two ways a set; a miss replaces the less recently used one.
            let set = (word_key(&bytes) >> (64 - (CACHE_BITS - 1))) as usize;
            let len = b.len() as u8;
            for way in 0..2 {
                let slot = &self.slots[2 * set + way];
                if slot.len == len && slot.bytes == bytes {
                    toks.push(slot.tok);
                    shares.push(slot.share.widen());
                    self.recent[set] = way as u8;
                    return;
                }
            }
            let tok = analyze_word(w, lex, &mut self.lower);
            let share = engine.share(&tok);
            if let Some(cached) = CachedShare::new(&share) {
                let way = 1 - self.recent[set] as usize;
                self.slots[2 * set + way] = Slot { len, bytes, tok, share: cached };
                self.recent[set] = way as u8;
            }
            toks.push(tok);
            shares.push(share);
            return;
        }
        let tok = analyze_word(w, lex, &mut self.lower);
        toks.push(tok);
        shares.push(engine.share(&tok));
    }
}
