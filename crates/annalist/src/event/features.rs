//! Token analysis and hashed features. Every feature is a 64-bit hash of a template
//! id and the hashes of the words it looks at; a model head maps it to a bucket
//! with its top bits. Nothing here allocates per token: the lowercase buffer and the
//! feature vector are reused.

use super::lexicon::{Cue, Lexicon, WordInfo};
use super::token::Token;

/// FNV-1a over bytes, then a final mix.
#[inline]
pub(crate) fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &x in b {
        h ^= x as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

/// The hash of a string (as used for lexicon keys: pass lowercase).
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// SplitMix64 finalizer.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[inline]
fn f1(template: u64, a: u64) -> u64 {
    mix(a ^ template.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

#[inline]
fn f2(template: u64, a: u64, b: u64) -> u64 {
    mix(f1(template, a) ^ b.rotate_left(17))
}

/// What the features need to know about one token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokInfo {
    pub start: usize,
    pub end: usize,
    /// Hash of the lowercase form.
    pub lower: u64,
    pub suf2: u64,
    pub suf3: u64,
    pub suf4: u64,
    pub shape: u64,
    /// Hash of a crude stem ("announced", "announcement" → "announc").
    pub stem: u64,
    pub info: WordInfo,
    /// Starts with an upper-case letter.
    pub cap: bool,
    /// Contains a letter.
    pub alpha: bool,
    /// Ends in "-ly" (an adverb, most likely).
    pub ly: bool,
}

impl TokInfo {
    /// Whether this token may be an event at all (never: stop words, punctuation,
    /// numbers).
    #[inline]
    pub fn candidate(&self) -> bool {
        self.alpha && !self.info.stop
    }
}

/// Hash of the padding "word" before the first and after the last token.
const PAD: u64 = 0x5151_5151_5151_5151;

/// Fills `out` with the analysis of `tokens` over `text`; `lower` is scratch space.
pub(crate) fn analyze(text: &str, tokens: &[Token], lex: &Lexicon, lower: &mut String, out: &mut Vec<TokInfo>) {
    out.clear();
    for t in tokens {
        let mut info = analyze_word(&text[t.start..t.end], lex, lower);
        info.start = t.start;
        info.end = t.end;
        out.push(info);
    }
}

/// The analysis of one token's text `w` (a function of `w` alone; `start` and `end`
/// are left 0); `lower` is scratch space.
pub(crate) fn analyze_word(w: &str, lex: &Lexicon, lower: &mut String) -> TokInfo {
    lower.clear();
    let mut shape: u64 = 0xcbf2_9ce4_8422_2325;
    let mut last_class = 0u8;
    let mut shape_len = 0;
    let mut alpha = false;
    if w.is_ascii() {
        for &b in w.as_bytes() {
            let class = match b {
                b'A'..=b'Z' => b'X',
                b'a'..=b'z' => b'x',
                b'0'..=b'9' => b'd',
                _ => b,
            };
            alpha |= class == b'X' || class == b'x';
            if class != last_class && shape_len < 6 {
                shape ^= class as u64;
                shape = shape.wrapping_mul(0x0000_0100_0000_01b3);
                shape_len += 1;
                last_class = class;
            }
            lower.push(b.to_ascii_lowercase() as char);
        }
    } else {
        for c in w.chars() {
            let class = if c.is_uppercase() {
                b'X'
            } else if c.is_lowercase() {
                b'x'
            } else if c.is_ascii_digit() {
                b'd'
            } else {
                c as u8
            };
            alpha |= class == b'X' || class == b'x' || c.is_alphabetic();
            if class != last_class && shape_len < 6 {
                shape ^= class as u64;
                shape = shape.wrapping_mul(0x0000_0100_0000_01b3);
                shape_len += 1;
                last_class = class;
            }
            lower.extend(c.to_lowercase());
        }
    }
    let lb = lower.as_bytes();
    let n = lb.len();
    let ascii = lower.is_ascii();
    let suffix = |k: usize| -> u64 {
        if ascii {
            hash_bytes(&lb[n.saturating_sub(k)..])
        } else {
            let s = lower.char_indices().rev().nth(k.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
            hash_bytes(&lb[s..])
        }
    };
    let lh = hash_bytes(lb);
    let stem = if ascii { hash_bytes(stem_of(lb)) } else { lh };
    TokInfo {
        start: 0,
        end: 0,
        lower: lh,
        suf2: suffix(2),
        suf3: suffix(3),
        suf4: suffix(4),
        shape: mix(shape),
        stem,
        info: lex.info(lh),
        cap: w.chars().next().is_some_and(char::is_uppercase),
        alpha,
        ly: n > 4 && lower.ends_with("ly"),
    }
}

/// A crude suffix-stripping stem of a lowercase ASCII word.
fn stem_of(w: &[u8]) -> &[u8] {
    const SUFFIXES: &[&[u8]] = &[
        b"ations", b"ation", b"ments", b"ment", b"ings", b"ing", b"ions", b"ion", b"ies", b"ied", b"ed", b"es", b"s",
        b"e",
    ];
    for suf in SUFFIXES {
        if w.len() >= suf.len() + 3 && w.ends_with(suf) {
            let s = &w[..w.len() - suf.len()];
            return s.strip_suffix(b"e").unwrap_or(s);
        }
    }
    w
}

/// The auxiliary chain left of a token: "had not been" before "signed".
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AuxChain {
    /// Hash of the auxiliaries in order from the nearest outwards (0 when none).
    pub hash: u64,
    /// The nearest auxiliary's hash (0 when none).
    pub nearest: u64,
    /// Index of the farthest token of the chain (the token itself when none).
    pub first_index: usize,
}

/// Walks left from `i` over auxiliaries, negation and skippable adverbs.
pub(crate) fn aux_chain(toks: &[TokInfo], i: usize) -> AuxChain {
    let mut ch = AuxChain { first_index: i, ..AuxChain::default() };
    let mut j = i;
    let mut steps = 0;
    while j > 0 && steps < 7 {
        j -= 1;
        steps += 1;
        let t = &toks[j];
        if t.info.aux {
            ch.hash = mix(ch.hash ^ t.lower);
            if ch.nearest == 0 {
                ch.nearest = t.lower;
            }
            ch.first_index = j;
        } else if t.info.adverb || t.ly {
            continue;
        } else {
            break;
        }
    }
    ch
}

/// Feature templates (ids are part of the model format: do not renumber).
mod tpl {
    pub const BIAS: u64 = 1;
    pub const W0: u64 = 2;
    pub const SUF2: u64 = 3;
    pub const SUF3: u64 = 4;
    pub const SUF4: u64 = 5;
    pub const SHAPE: u64 = 7;
    pub const CAP_POS: u64 = 8;
    pub const WM1: u64 = 9;
    pub const WM2: u64 = 10;
    pub const WP1: u64 = 11;
    pub const WP2: u64 = 12;
    pub const BI_M1: u64 = 13;
    pub const BI_P1: u64 = 14;
    pub const SUF3_M1: u64 = 15;
    pub const SUF3_P1: u64 = 16;
    pub const CUE: u64 = 19;
    pub const CUE_M1: u64 = 20;
    pub const AUX: u64 = 21;
    pub const AUX_NEAR: u64 = 22;
    pub const AUX_SUF: u64 = 24;
    pub const CLASS: u64 = 26;
    pub const CLASS_SUF: u64 = 27;
    pub const STEM: u64 = 30;
    pub const STEM_P1: u64 = 31;
}

fn cue_hash(c: Option<Cue>) -> u64 {
    c.map_or(0, |c| c as u64 + 1)
}

/// Appends the features of token `i` to `out`. `class` is the event class index for
/// the attribute heads (0 for the event head).
pub(crate) fn features(toks: &[TokInfo], i: usize, class: u64, out: &mut Vec<u64>) {
    let t = &toks[i];
    let at = |k: isize| -> Option<&TokInfo> {
        let j = i as isize + k;
        (j >= 0 && (j as usize) < toks.len()).then(|| &toks[j as usize])
    };
    let low = |k: isize| at(k).map_or(PAD, |t| t.lower);
    let m1 = low(-1);
    let p1 = low(1);
    out.push(f1(tpl::BIAS, 0));
    out.push(f1(tpl::W0, t.lower));
    out.push(f1(tpl::SUF2, t.suf2));
    out.push(f1(tpl::SUF3, t.suf3));
    out.push(f1(tpl::SUF4, t.suf4));
    out.push(f1(tpl::SHAPE, t.shape));
    out.push(f1(tpl::CAP_POS, (t.cap as u64) * 2 + (i == 0) as u64));
    out.push(f1(tpl::WM1, m1));
    out.push(f1(tpl::WM2, low(-2)));
    out.push(f1(tpl::WP1, p1));
    out.push(f1(tpl::WP2, low(2)));
    out.push(f2(tpl::BI_M1, m1, t.lower));
    out.push(f2(tpl::BI_P1, t.lower, p1));
    out.push(f1(tpl::SUF3_M1, at(-1).map_or(PAD, |t| t.suf3)));
    out.push(f1(tpl::SUF3_P1, at(1).map_or(PAD, |t| t.suf3)));
    out.push(f1(tpl::CUE, cue_hash(t.info.cue)));
    out.push(f1(tpl::CUE_M1, at(-1).map_or(PAD, |t| cue_hash(t.info.cue))));
    let ch = aux_chain(toks, i);
    out.push(f1(tpl::AUX, ch.hash));
    out.push(f1(tpl::AUX_NEAR, ch.nearest));
    out.push(f2(tpl::AUX_SUF, ch.hash, t.suf2));
    out.push(f1(tpl::STEM, t.stem));
    out.push(f2(tpl::STEM_P1, t.stem, p1));
    if class != 0 {
        out.push(f1(tpl::CLASS, class));
        out.push(f2(tpl::CLASS_SUF, class, t.suf3));
    }
}

/// The features of [`features`] for the event head (`class` 0), split by the tokens
/// they depend on, so that a word's share of a score can be summed once and reused
/// (the scores are integer sums, so the split cannot change a prediction).
pub(crate) mod split {
    use super::{PAD, TokInfo, aux_chain, cue_hash, f1, f2, tpl};

    /// Those of the word itself (with the bias): 8.
    #[inline]
    pub(crate) fn own(t: &TokInfo) -> [u64; 8] {
        [
            f1(tpl::BIAS, 0),
            f1(tpl::W0, t.lower),
            f1(tpl::SUF2, t.suf2),
            f1(tpl::SUF3, t.suf3),
            f1(tpl::SUF4, t.suf4),
            f1(tpl::SHAPE, t.shape),
            f1(tpl::CUE, cue_hash(t.info.cue)),
            f1(tpl::STEM, t.stem),
        ]
    }

    /// Those of the word right before (`None`: the sentence start).
    #[inline]
    pub(crate) fn left1(t: Option<&TokInfo>) -> [u64; 3] {
        [
            f1(tpl::WM1, t.map_or(PAD, |t| t.lower)),
            f1(tpl::SUF3_M1, t.map_or(PAD, |t| t.suf3)),
            f1(tpl::CUE_M1, t.map_or(PAD, |t| cue_hash(t.info.cue))),
        ]
    }

    /// Those of the word two before.
    #[inline]
    pub(crate) fn left2(t: Option<&TokInfo>) -> [u64; 1] {
        [f1(tpl::WM2, t.map_or(PAD, |t| t.lower))]
    }

    /// Those of the word right after (`None`: the sentence end).
    #[inline]
    pub(crate) fn right1(t: Option<&TokInfo>) -> [u64; 2] {
        [f1(tpl::WP1, t.map_or(PAD, |t| t.lower)), f1(tpl::SUF3_P1, t.map_or(PAD, |t| t.suf3))]
    }

    /// Those of the word two after.
    #[inline]
    pub(crate) fn right2(t: Option<&TokInfo>) -> [u64; 1] {
        [f1(tpl::WP2, t.map_or(PAD, |t| t.lower))]
    }

    /// Capitalisation and sentence position: `cap_pos(t.cap as u64 * 2 + (i == 0) as u64)`.
    #[inline]
    pub(crate) fn cap_pos(v: u64) -> u64 {
        f1(tpl::CAP_POS, v)
    }

    /// The rest: bigrams and the auxiliary chain (6).
    #[inline]
    pub(crate) fn context(toks: &[TokInfo], i: usize) -> [u64; 6] {
        let t = &toks[i];
        let m1 = if i > 0 { toks[i - 1].lower } else { PAD };
        let p1 = toks.get(i + 1).map_or(PAD, |t| t.lower);
        let ch = aux_chain(toks, i);
        [
            f2(tpl::BI_M1, m1, t.lower),
            f2(tpl::BI_P1, t.lower, p1),
            f1(tpl::AUX, ch.hash),
            f1(tpl::AUX_NEAR, ch.nearest),
            f2(tpl::AUX_SUF, ch.hash, t.suf2),
            f2(tpl::STEM_P1, t.stem, p1),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::token::tokenize;

    #[test]
    fn split_features_are_the_event_head_features() {
        let text = "The envoys hadn't quietly signed it, and Zürich's U.S. talks were to resume soon.";
        let toks = tokenize(text);
        let mut infos = Vec::new();
        analyze(text, &toks, Lexicon::get(), &mut String::new(), &mut infos);
        for i in 0..infos.len() {
            let mut all = Vec::new();
            features(&infos, i, 0, &mut all);
            let mut parts = split::own(&infos[i]).to_vec();
            parts.extend(split::left1(i.checked_sub(1).map(|j| &infos[j])));
            parts.extend(split::left2(i.checked_sub(2).map(|j| &infos[j])));
            parts.extend(split::right1(infos.get(i + 1)));
            parts.extend(split::right2(infos.get(i + 2)));
            parts.push(split::cap_pos(infos[i].cap as u64 * 2 + (i == 0) as u64));
            parts.extend(split::context(&infos, i));
            all.sort_unstable();
            parts.sort_unstable();
            assert_eq!(all, parts, "token {i}");
        }
    }
}
