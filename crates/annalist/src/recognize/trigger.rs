//! Triggers: derived from the parsed rule patterns, a short list of literals such that
//! every match of every rule contains one of them, and for each a pattern of what can come
//! before it in the match.
//!
//! A rule's pattern is split, at some element of a concatenation, into a *pre* part (the
//! elements before) and a *trigger*: a finite set of literals one of which every match of
//! the rest begins with. An alternation may split each of its branches its own way. Then
//! every match of the rule at `s` has a position `t >= s` where one of the rule's trigger
//! literals begins and where `text[s..t]` matches one of the rule's pre parts (evaluated in
//! the same text, so look-arounds see what they see in the match). The scan
//! ([`super::scan`]) finds the literals with Aho-Corasick and walks a reverse DFA of all
//! pre parts back from each: the match starts it reports are the only positions the union
//! needs to be walked at.
//!
//! Literals are folded to ASCII lower case (the search ignores ASCII case), so a trigger
//! may occur where the rule cannot match; it can never be missing where the rule matches.
//! Look-arounds inside a trigger are ignored (they only restrict), and a literal may be
//! cut short (a prefix of a trigger is a trigger). Nothing here depends on what the
//! rules mean: a rule for which no split is found disables the prefilter.

use std::hash::BuildHasherDefault;
use std::rc::Rc;

use regex_syntax::hir::{Class, Hir, HirKind};

use super::lexicon::Fnv;

/// Longest literal kept (longer ones are cut: still a trigger).
const MAX_LEN: usize = 8;
/// Most literals one element's set may grow to before it stops growing.
const MAX_LITS: usize = 256;
/// Largest class expanded into its characters.
const MAX_CLASS: u32 = 10;

/// A literal set: each literal (ASCII folded to lower case) and whether a match of the
/// expression is exactly that literal (so what follows may be appended).
type Lits = Vec<(Vec<u8>, bool)>;

/// A rule's split: per alternative, the pre part and the trigger literals.
pub(crate) struct Split {
    /// (pre part, literals); every match of the rule is covered by one of these.
    pub parts: Vec<(Hir, Vec<Vec<u8>>)>,
    /// Estimated trigger hits per byte of English prose (to choose between splits).
    #[cfg_attr(not(test), allow(dead_code))]
    pub cost: f64,
}

/// Literals already chosen: a literal that begins with one of them adds no position to
/// visit, so it costs (almost) nothing.
#[derive(Default)]
pub(crate) struct Free(std::collections::HashSet<Vec<u8>, BuildHasherDefault<Fnv>>);

impl Free {
    fn covers(&self, w: &[u8]) -> bool {
        !self.0.is_empty() && (1..=w.len()).any(|n| self.0.contains(&w[..n]))
    }
}

/// How a pattern is split (what [`split`] chose), before the pre parts are built.
enum Plan {
    /// The literals every match begins with: the pre part is what comes before.
    Lits(Rc<Lits>),
    /// In a concatenation: the elements before `i` join the pre part; `inner` splits the
    /// element `i` (or, as `Lits`, the rest of the concatenation from it).
    At(usize, Box<Plan>),
    /// An alternation, each branch its own way.
    Branches(Vec<Plan>),
    /// A capture group or a repetition (its first time).
    Inside(Box<Plan>),
}

/// The splits of all rules (`None` when one has none). Each rule is first split on its
/// own; then, from the most expensive rule down, each is split again with the literals
/// already taken by the others counting as free (the numbers, which some rules can only
/// be found by, make a number-based split of other rules free).
pub(crate) fn split_all(rules: &[&Hir]) -> Option<Vec<Split>> {
    let mut memo = Memo::default();
    let alone = rules.iter().map(|h| plan(h, &Free::default(), &mut memo)).collect::<Option<Vec<_>>>()?;
    let mut order: Vec<usize> = (0..rules.len()).collect();
    order.sort_by(|&a, &b| alone[b].1.total_cmp(&alone[a].1).then(a.cmp(&b)));
    let mut free = Free::default();
    let mut out: Vec<Option<Split>> = (0..rules.len()).map(|_| None).collect();
    for i in order {
        let (p, cost) = plan(rules[i], &free, &mut memo)?;
        let mut parts = Vec::new();
        build(rules[i], p, &mut Vec::new(), &mut parts);
        free.0.extend(parts.iter().flat_map(|(_, l)| l.iter().cloned()));
        out[i] = Some(Split { parts, cost });
    }
    out.into_iter().collect()
}

/// The best split of a pattern, if there is one.
#[cfg(test)]
pub(crate) fn split(h: &Hir, free: &Free) -> Option<Split> {
    let (p, cost) = plan(h, free, &mut Memo::default())?;
    let mut parts = Vec::new();
    build(h, p, &mut Vec::new(), &mut parts);
    Some(Split { parts, cost })
}

/// Builds the pre parts of `plan` (made for `h`), `before` being what precedes `h`.
fn build(h: &Hir, plan: Plan, before: &mut Vec<Hir>, out: &mut Vec<(Hir, Vec<Vec<u8>>)>) {
    match (plan, h.kind()) {
        (Plan::Lits(l), _) => out.push((Hir::concat(before.clone()), l.iter().map(|(w, _)| w.clone()).collect())),
        (Plan::At(i, inner), HirKind::Concat(xs)) => {
            let n = before.len();
            before.extend(xs[..i].iter().cloned());
            build(&xs[i], *inner, before, out);
            before.truncate(n);
        }
        (Plan::Branches(ps), HirKind::Alternation(alts)) => {
            for (p, a) in ps.into_iter().zip(alts) {
                build(a, p, before, out);
            }
        }
        (Plan::Inside(p), HirKind::Capture(c)) => build(&c.sub, *p, before, out),
        (Plan::Inside(p), HirKind::Repetition(r)) => build(&r.sub, *p, before, out),
        _ => unreachable!("a plan is built for its own pattern"),
    }
}

/// The cheapest split of `h` (by [`estimate`]), if there is one.
fn plan(h: &Hir, free: &Free, memo: &mut Memo) -> Option<(Plan, f64)> {
    match h.kind() {
        HirKind::Capture(c) => plan(&c.sub, free, memo).map(|(p, c)| (Plan::Inside(Box::new(p)), c)),
        HirKind::Repetition(r) if r.min >= 1 => plan(&r.sub, free, memo).map(|(p, c)| (Plan::Inside(Box::new(p)), c)),
        HirKind::Alternation(alts) => {
            let whole = zero(lits(h, memo), free);
            let each = alts.iter().map(|a| plan(a, free, memo)).collect::<Option<Vec<_>>>().map(|ps| {
                let cost = ps.iter().map(|p| p.1).sum();
                (Plan::Branches(ps.into_iter().map(|p| p.0).collect()), cost)
            });
            match (whole, each) {
                (Some(w), Some(e)) => Some(if w.1 <= e.1 { w } else { e }),
                (w, e) => w.or(e),
            }
        }
        HirKind::Concat(xs) => {
            let each: Vec<Option<Rc<Lits>>> = xs.iter().map(|x| lits(x, memo)).collect();
            let mut best: Option<(Plan, f64)> = None;
            let mut keep = |i: usize, p: Option<(Plan, f64)>| {
                if let Some((p, c)) = p
                    && best.as_ref().is_none_or(|b| c < b.1)
                {
                    best = Some((Plan::At(i, Box::new(p)), c));
                }
            };
            for i in 0..xs.len() {
                let rest =
                    if i + 1 == xs.len() { each[i].clone() } else { grow(each[i..].iter().cloned()).map(Rc::new) };
                keep(i, zero(rest, free));
                if matches!(xs[i].kind(), HirKind::Alternation(_) | HirKind::Capture(_) | HirKind::Repetition(_)) {
                    keep(i, plan(&xs[i], free, memo));
                }
            }
            best
        }
        _ => zero(lits(h, memo), free),
    }
}

/// The plan with an empty pre part, from the literals every match begins with.
fn zero(lits: Option<Rc<Lits>>, free: &Free) -> Option<(Plan, f64)> {
    let lits = lits?;
    if lits.iter().any(|(w, _)| w.is_empty()) {
        return None;
    }
    let cost = lits.iter().map(|(w, _)| if free.covers(w) { estimate(w) * 0.01 } else { estimate(w) }).sum();
    Some((Plan::Lits(lits), cost))
}

/// How often a literal may begin at a position of English prose (a rough model: letter,
/// digit and other byte frequencies, later bytes less likely). Only used to choose.
fn estimate(w: &[u8]) -> f64 {
    w.iter()
        .enumerate()
        .map(|(i, &b)| {
            let p: f64 = match b {
                b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'h' | b'r' => 0.07,
                b'a'..=b'z' => 0.02,
                b'0'..=b'9' => 0.003,
                b' ' => 0.17,
                0x80.. => 0.002,
                _ => 0.01,
            };
            if i == 0 { p } else { (p * 3.0).min(0.5) }
        })
        .product()
}

/// The literals every match of `h` begins with (`None`: no finite set), remembered per
/// node (a node's literals do not depend on where it is).
fn lits(h: &Hir, memo: &mut Memo) -> Option<Rc<Lits>> {
    let key = h as *const Hir as usize;
    if let Some(l) = memo.get(&key) {
        return l.clone();
    }
    let l = lits_of(h, memo).map(Rc::new);
    memo.insert(key, l.clone());
    l
}

fn lits_of(h: &Hir, memo: &mut Memo) -> Option<Lits> {
    match h.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![(Vec::new(), true)]),
        HirKind::Literal(l) => Some(vec![cut(l.0.to_ascii_lowercase(), true)]),
        HirKind::Class(c) => class(c),
        HirKind::Capture(c) => lits(&c.sub, memo).map(|l| l.as_ref().clone()),
        HirKind::Repetition(r) => {
            let mut s = lits(&r.sub, memo)?.as_ref().clone();
            if !(r.min == 1 && r.max == Some(1)) {
                s.iter_mut().for_each(|(_, exact)| *exact = false);
            }
            if r.min == 0 {
                s.push((Vec::new(), true));
            }
            normal(s)
        }
        HirKind::Concat(xs) => {
            let mut each = xs.iter();
            grow(std::iter::from_fn(|| each.next().map(|x| lits(x, memo))))
        }
        HirKind::Alternation(alts) => {
            if alts.len() > MAX_LITS * 4 {
                return None;
            }
            let mut out = Vec::new();
            for a in alts {
                out.extend(lits(a, memo)?.iter().cloned());
                if out.len() > MAX_LITS * 4 {
                    return None;
                }
            }
            normal(out)
        }
    }
}

/// Literal sets by node address, while the patterns are split.
type Memo = std::collections::HashMap<usize, Option<Rc<Lits>>, BuildHasherDefault<Fnv>>;

/// The literals a concatenation begins with, from its elements' (computed as needed:
/// the rest is not looked at once no literal is exact).
fn grow(mut each: impl Iterator<Item = Option<Rc<Lits>>>) -> Option<Lits> {
    let mut acc: Lits = vec![(Vec::new(), true)];
    loop {
        if !acc.iter().any(|(_, exact)| *exact) {
            break;
        }
        let Some(next) = each.next() else { break };
        let next = match next {
            Some(n) if acc.iter().filter(|(_, e)| *e).count() * n.len() <= MAX_LITS => n,
            _ => {
                acc.iter_mut().for_each(|(_, exact)| *exact = false);
                break;
            }
        };
        let mut grown = Vec::with_capacity(acc.len() * next.len());
        for (a, exact) in acc {
            if !exact {
                grown.push((a, false));
                continue;
            }
            for (b, e) in next.iter() {
                let mut w = a.clone();
                w.extend_from_slice(b);
                grown.push(cut(w, *e));
            }
        }
        acc = normal(grown)?;
    }
    normal(acc)
}

/// The characters of a small class, each as a literal.
fn class(c: &Class) -> Option<Lits> {
    let mut out = Vec::new();
    match c {
        Class::Unicode(u) => {
            let n: u32 = u.ranges().iter().map(|r| r.end() as u32 - r.start() as u32 + 1).sum();
            if n > MAX_CLASS {
                return None;
            }
            for r in u.ranges() {
                for ch in r.start()..=r.end() {
                    let mut buf = [0; 4];
                    out.push((ch.encode_utf8(&mut buf).as_bytes().to_ascii_lowercase(), true));
                }
            }
        }
        Class::Bytes(b) => {
            let n: u32 = b.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            if n > MAX_CLASS {
                return None;
            }
            for r in b.ranges() {
                for byte in r.start()..=r.end() {
                    out.push((vec![byte.to_ascii_lowercase()], true));
                }
            }
        }
    }
    normal(out)
}

/// A literal cut to [`MAX_LEN`] bytes (then inexact).
fn cut(mut w: Vec<u8>, exact: bool) -> (Vec<u8>, bool) {
    if w.len() > MAX_LEN {
        w.truncate(MAX_LEN);
        return (w, false);
    }
    (w, exact)
}

/// Sorted, without duplicates; `None` when an inexact literal is empty (nothing known).
fn normal(mut s: Lits) -> Option<Lits> {
    if s.iter().any(|(w, exact)| w.is_empty() && !exact) {
        return None;
    }
    s.sort();
    s.dedup();
    // The same word exact and inexact: inexact covers both.
    s.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 = false;
            true
        } else {
            false
        }
    });
    Some(s)
}

/// The trigger literals of all splits, without those that begin with another (a hit of
/// the shorter one is at the same position).
pub(crate) fn literals<'a>(splits: impl IntoIterator<Item = &'a Split>) -> Vec<Vec<u8>> {
    let mut all: Vec<Vec<u8>> =
        splits.into_iter().flat_map(|s| s.parts.iter().flat_map(|(_, l)| l.iter().cloned())).collect();
    all.sort();
    all.dedup();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for w in all {
        // Sorted: a literal that begins with another comes after it, before anything else
        // that does not begin with it.
        if out.last().is_some_and(|p| w.starts_with(p)) {
            continue;
        }
        out.push(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hir(p: &str) -> Hir {
        crate::recognize::scan::parse(p).expect("pattern")
    }

    fn words(p: &str) -> Vec<String> {
        let s = split(&hir(p), &Free::default()).expect("a split");
        let mut out: Vec<String> =
            s.parts.iter().flat_map(|(_, l)| l.iter().map(|w| String::from_utf8_lossy(w).into_owned())).collect();
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn splits_pick_a_rare_mandatory_element() {
        // The optional article is not a trigger; the unit word is.
        assert_eq!(words(r"\b(?:the\s+)?(?:a|an|[0-9]+)\s+(?:day|week)s?\b"), ["day", "week"]);
        // Each branch of an alternation its own way.
        assert_eq!(words(r"\b(?:just|a\s+mere)\s+"), ["just", "mere"]);
        // Digits, extended while the set stays small.
        assert_eq!(words(r"\b19[0-9]0s\b").len(), 10);
        assert!(split(&hir(r"\b(?:the\s+)?"), &Free::default()).is_none());
        assert!(
            split(&hir(r"[a-z]+day"), &Free::default())
                .is_some_and(|s| s.parts.iter().all(|(_, l)| l == &[b"day".to_vec()]))
        );
        assert!(split(&hir(r"\w+"), &Free::default()).is_none());
    }

    #[test]
    fn literals_drop_longer_words_of_the_same_start() {
        let a = split(&hir("years|year|yr|day"), &Free::default()).expect("split");
        assert_eq!(literals([&a]), [b"day".to_vec(), b"year".to_vec(), b"yr".to_vec()]);
    }

    #[test]
    fn every_english_rule_has_a_trigger() {
        let rs = crate::recognize::RuleSet::english();
        let hirs: Vec<Hir> = rs.rules.iter().map(|r| hir(r.re.pattern())).collect();
        let splits = split_all(&hirs.iter().collect::<Vec<_>>()).expect("every rule has a trigger");
        for (r, s) in rs.rules.iter().zip(&splits) {
            assert!(s.parts.iter().all(|(_, l)| !l.is_empty() && l.iter().all(|w| !w.is_empty())), "{}", r.id);
        }
    }
}

#[cfg(test)]
mod show {
    #[test]
    #[ignore]
    fn show_triggers() {
        let rs = crate::recognize::RuleSet::english();
        let hirs: Vec<_> = rs.rules.iter().map(|r| crate::recognize::scan::parse(r.re.pattern()).unwrap()).collect();
        let splits = super::split_all(&hirs.iter().collect::<Vec<_>>()).unwrap();
        for (r, s) in rs.rules.iter().zip(&splits) {
            let n: usize = s.parts.iter().map(|p| p.1.len()).sum();
            let ex: Vec<String> = s
                .parts
                .iter()
                .flat_map(|p| p.1.iter().take(6).map(|w| String::from_utf8_lossy(w).into_owned()))
                .take(12)
                .collect();
            eprintln!("{:28} parts {:3} lits {:4} cost {:.5} {:?}", r.id, s.parts.len(), n, s.cost, ex);
        }
        let all = super::literals(&splits);
        eprintln!("{} literals", all.len());
        eprintln!("{:?}", all.iter().map(|w| String::from_utf8_lossy(w).into_owned()).collect::<Vec<_>>());
    }
}
