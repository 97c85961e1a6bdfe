//! Rules over the model's output: polarity, modality and participants.
//!
//! All of it reads the tokens of one sentence around each event: the auxiliary chain
//! to the left ("would not have"), the nearest governing event ("asked … to"), and
//! noun-phrase-like chunks (runs of capitalised words, pronouns, "the old town").

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::features::{TokInfo, hash_str};
use super::lexicon::Cue;
use super::{Aspect, Event, EventClass, EventPos, Found, Modality, Polarity, Tense};

/// A participant: a span of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// The text of the span.
    pub text: String,
}

/// Hashes of the words the rules look for.
struct Words {
    neg: [u64; 5],
    no: [u64; 2],
    without: u64,
    hypo: [u64; 9],
    would: [u64; 2],
    future: [u64; 4],
    going: u64,
    to: u64,
    cond: [u64; 2],
    for_: u64,
    by: u64,
    of: u64,
    poss: u64,
    coord: [u64; 2],
    comma: u64,
    rel: [u64; 3],
    be: [u64; 9],
    fail: [u64; 12],
    prevent: [u64; 24],
    from: u64,
    did: u64,
    do_: [u64; 2],
    light: [u64; 24],
    subj_pron: [u64; 6],
    obj_pron: [u64; 6],
    det: [u64; 12],
    recipient: [u64; 6],
    particle: [u64; 6],
    between: u64,
    of_like: [u64; 4],
    connector: [u64; 2],
    cap_not_name: [u64; 14],
}

fn h<const N: usize>(ws: [&str; N]) -> [u64; N] {
    ws.map(hash_str)
}

fn words() -> &'static Words {
    static W: OnceLock<Words> = OnceLock::new();
    W.get_or_init(|| Words {
        neg: h(["not", "n't", "never", "cannot", "nor"]),
        no: h(["no", "neither"]),
        without: hash_str("without"),
        hypo: h(["would", "'d", "could", "might", "may", "should", "must", "can", "ca"]),
        would: h(["would", "'d"]),
        future: h(["will", "'ll", "shall", "wo"]),
        going: hash_str("going"),
        to: hash_str("to"),
        cond: h(["if", "unless"]),
        for_: hash_str("for"),
        by: hash_str("by"),
        of: hash_str("of"),
        poss: hash_str("'s"),
        coord: h(["and", "or"]),
        comma: hash_str(","),
        rel: h(["who", "which", "that"]),
        be: h(["is", "am", "are", "was", "were", "be", "been", "being", "'re"]),
        fail: h([
            "fail",
            "fails",
            "failed",
            "failing",
            "refuse",
            "refuses",
            "refused",
            "refusing",
            "decline",
            "declines",
            "declined",
            "declining",
        ]),
        prevent: h([
            "prevent",
            "prevents",
            "prevented",
            "preventing",
            "stop",
            "stops",
            "stopped",
            "stopping",
            "keep",
            "keeps",
            "kept",
            "keeping",
            "bar",
            "barred",
            "prohibit",
            "prohibited",
            "deter",
            "deterred",
            "dissuade",
            "dissuaded",
            "restrain",
            "restrained",
            "discourage",
            "discouraged",
        ]),
        from: hash_str("from"),
        did: hash_str("did"),
        do_: h(["do", "does"]),
        light: h([
            "held",
            "hold",
            "holds",
            "holding",
            "made",
            "make",
            "makes",
            "making",
            "gave",
            "give",
            "gives",
            "took",
            "take",
            "takes",
            "had",
            "have",
            "has",
            "conducted",
            "launched",
            "carried",
            "began",
            "begin",
            "staged",
            "opened",
        ]),
        subj_pron: h(["he", "she", "they", "we", "i", "you"]),
        obj_pron: h(["him", "her", "them", "us", "me", "it"]),
        det: h(["the", "a", "an", "his", "her", "its", "their", "our", "this", "these", "those", "my"]),
        recipient: h(["to", "against", "with", "into", "upon", "on"]),
        particle: h(["up", "out", "off", "down", "back", "over"]),
        between: hash_str("between"),
        of_like: h(["of", "in", "from", "at"]),
        connector: h(["of", "&"]),
        cap_not_name: h([
            "however",
            "meanwhile",
            "then",
            "after",
            "before",
            "when",
            "while",
            "later",
            "today",
            "yesterday",
            "once",
            "although",
            "but",
            "still",
        ]),
    })
}

/// Tokens of the auxiliary chain left of `i` (nearest first), and the index of the
/// first token left of the chain (== `i` when the chain is empty).
fn chain(infos: &[TokInfo], i: usize, out: &mut [u64; 8]) -> (usize, usize) {
    let mut n = 0;
    let mut first = i;
    let mut j = i;
    while j > 0 && n < 8 && i - j < 7 {
        j -= 1;
        let t = &infos[j];
        // A capitalised word inside the sentence is a name, not an auxiliary ("the 3
        // May execution").
        if t.info.aux && !(t.cap && j > 0) {
            out[n] = t.lower;
            n += 1;
            first = j;
        } else if t.info.adverb && !t.cap && j + 1 == first {
            // "a stalemate soon occurred": a known adverb next to the chain is not part
            // of the subject.
            first = j;
        } else if t.info.adverb || t.ly {
            continue;
        } else {
            break;
        }
    }
    (n, first)
}

fn found_at(found: &[Found], tok: usize) -> Option<usize> {
    found.binary_search_by_key(&tok, |f| f.tok).ok()
}

fn span(text: &str, infos: &[TokInfo], s: usize, e: usize) -> Span {
    let (a, b) = (infos[s].start, infos[e - 1].end);
    Span { start: a, end: b, text: text[a..b].to_string() }
}

struct Ctx<'a> {
    text: &'a str,
    infos: &'a [TokInfo],
    found: &'a [Found],
    w: &'static Words,
}

impl Ctx<'_> {
    fn is_event_verb(&self, k: usize) -> bool {
        found_at(self.found, k).is_some_and(|f| self.found[f].pos == EventPos::Verb)
    }

    fn is_name(&self, k: usize) -> bool {
        let t = &self.infos[k];
        t.cap
            && t.alpha
            && !t.info.stop
            && t.info.cue.is_none()
            && !self.w.cap_not_name.contains(&t.lower)
            && !self.is_event_verb(k)
    }

    fn is_plain_word(&self, k: usize) -> bool {
        let t = &self.infos[k];
        t.alpha
            && !t.info.stop
            && !t.info.aux
            && !t.cap
            && !t.ly
            && t.info.cue != Some(Cue::Time)
            && !self.is_event_verb(k)
    }

    /// A noun-phrase-like chunk ending just before `end`: `(start, end, is_name)`.
    fn np_left(&self, end: usize) -> Option<(usize, usize, bool)> {
        if end == 0 {
            return None;
        }
        let k = end - 1;
        let t = &self.infos[k];
        if self.w.subj_pron.contains(&t.lower) {
            return Some((k, end, true));
        }
        if self.is_name(k) {
            let mut s = k;
            while s > 0 {
                if self.is_name(s - 1) {
                    s -= 1;
                } else if s > 1 && self.w.connector.contains(&self.infos[s - 1].lower) && self.is_name(s - 2) {
                    s -= 2;
                } else {
                    break;
                }
            }
            // "the invasion of Russia ended": the subject is the head before "of".
            if s > 1 && self.w.of_like.contains(&self.infos[s - 1].lower) {
                return self.np_left(s - 1).map(|(a, _, n)| (a, end, n));
            }
            return Some((s, end, true));
        }
        if self.is_plain_word(k) {
            let mut s = k;
            while s > 0 && k - s < 3 && self.is_plain_word(s - 1) {
                s -= 1;
            }
            if s > 0 && self.w.det.contains(&self.infos[s - 1].lower) {
                s -= 1;
            } else if s > 1 && self.infos[s - 1].lower == self.w.poss && self.is_name(s - 2) {
                s -= 2;
                while s > 0 && self.is_name(s - 1) {
                    s -= 1;
                }
            } else if s == k && s > 0 && !self.infos[s - 1].info.stop && self.infos[s - 1].alpha {
                // A lone lowercase word after another content word is more likely a
                // verb or adverb than a subject.
                return None;
            }
            return Some((s, end, false));
        }
        None
    }

    fn chunk_is_name(&self, (_, e): (usize, usize)) -> bool {
        self.is_name(e - 1) || self.w.subj_pron.contains(&self.infos[e - 1].lower)
    }

    /// A chunk starting at `start`, skipping a determiner.
    fn np_right(&self, start: usize) -> Option<(usize, usize)> {
        let n = self.infos.len();
        let mut s = start;
        if s < n && self.w.det.contains(&self.infos[s].lower) {
            s += 1;
        }
        if s >= n {
            return None;
        }
        if s == start && self.w.obj_pron.contains(&self.infos[s].lower) {
            return Some((s, s + 1));
        }
        if self.is_name(s) {
            let mut e = s + 1;
            loop {
                if e < n && self.is_name(e) {
                    e += 1;
                } else if e + 1 < n && self.w.connector.contains(&self.infos[e].lower) && self.is_name(e + 1) {
                    e += 2;
                } else {
                    break;
                }
            }
            // "Poland's border".
            if e + 1 < n && self.infos[e].lower == self.w.poss && self.is_plain_word(e + 1) {
                e += 2;
                while e < n && e - s < 6 && self.is_plain_word(e) {
                    e += 1;
                }
            }
            return Some((start.min(s), e));
        }
        let mut e = s;
        while e < n && e - s < 4 && (self.is_plain_word(e) || (e > s && self.is_name(e))) {
            e += 1;
        }
        // "next week" is a time, not a participant.
        if e < n && self.infos[e].info.cue == Some(Cue::Time) {
            return None;
        }
        (e > s).then_some((start, e))
    }

    /// The chunk ending before `end` and the chunks coordinated with it
    /// ("Stalin, Molotov and Ribbentrop"), in text order.
    fn coordinated_left(&self, end: usize, out: &mut Vec<Span>) -> bool {
        let Some((s, e, _)) = self.np_left(end) else {
            return false;
        };
        // The chunks, filled from the back (right to left): list[first..].
        let mut list = [(0usize, 0usize); 8];
        let mut first = 7;
        list[first] = (s, e);
        let mut cur = s;
        let mut seen_and = false;
        while cur > 1 && first > 0 {
            let sep = self.infos[cur - 1].lower;
            let is_and = self.w.coord.contains(&sep);
            // Commas extend a list only left of its "and": "A, B and C".
            if !(is_and || (sep == self.w.comma && seen_and)) {
                break;
            }
            let mut at = cur - 1;
            // Oxford comma: ", and".
            if is_and && at > 0 && self.infos[at - 1].lower == self.w.comma {
                at -= 1;
            }
            match self.np_left(at) {
                Some((s2, e2, true)) if self.chunk_is_name(list[first]) => {
                    first -= 1;
                    list[first] = (s2, e2);
                    seen_and |= is_and;
                    cur = s2;
                }
                _ => break,
            }
        }
        for &(s, e) in &list[first..] {
            out.push(span(self.text, self.infos, s, e));
        }
        true
    }

    /// A chunk starting at `start` and the chunks coordinated after it.
    fn coordinated_right(&self, start: usize, out: &mut Vec<Span>) -> Option<usize> {
        let (s, e) = self.np_right(start)?;
        out.push(span(self.text, self.infos, s, e));
        let mut end = e;
        let mut guard = 0;
        while end + 1 < self.infos.len() && guard < 6 {
            guard += 1;
            let sep = self.infos[end].lower;
            if !(self.w.coord.contains(&sep) || sep == self.w.comma) {
                break;
            }
            match self.np_right(end + 1) {
                Some((s2, e2)) if self.is_name(s2) || self.is_name(e2 - 1) => {
                    out.push(span(self.text, self.infos, s2, e2));
                    end = e2;
                }
                _ => break,
            }
        }
        Some(end)
    }
}

/// Turns the events found in one sentence into [`Event`]s appended to `out`.
pub(crate) fn emit(text: &str, infos: &[TokInfo], found: &[Found], sentence: usize, out: &mut Vec<Event>) {
    let w = words();
    let c = Ctx { text, infos, found, w };
    let base = out.len();
    let mut ch = [0u64; 8];
    for (fi, f) in found.iter().enumerate() {
        let i = f.tok;
        let t = &infos[i];
        let (n, first) = chain(infos, i, &mut ch);
        let ch = &ch[..n];
        let has = |set: &[u64]| ch.iter().any(|x| set.contains(x));
        // Polarity.
        let mut neg = has(&w.neg);
        if !neg && f.pos != EventPos::Verb {
            let mut k = i;
            while k > 0 && i - k < 4 {
                k -= 1;
                let l = infos[k].lower;
                if w.no.contains(&l) || w.neg.contains(&l) || l == w.without {
                    neg = true;
                    break;
                }
                if !(c.is_plain_word(k) || w.det.contains(&l)) || found_at(found, k).is_some() {
                    break;
                }
            }
        }
        if !neg && first > 0 && infos[first - 1].lower == w.without {
            neg = true;
        }
        // The governing event: the nearest event left of the chain in this sentence.
        let gov = found[..fi].iter().rposition(|g| g.tok < first && first - g.tok <= 8);
        let infinitive = ch.contains(&w.to);
        let after_for = first > 0 && {
            // "called for talks", "plans for an invasion".
            let mut k = first;
            while k > 0
                && i - k < 4
                && (w.det.contains(&infos[k - 1].lower) || c.is_plain_word(k - 1))
                && found_at(found, k - 1).is_none()
            {
                k -= 1;
            }
            k > 0 && infos[k - 1].lower == w.for_
        };
        let noun_object = f.pos == EventPos::Noun
            && gov.is_some_and(|g| {
                let gt = found[g].tok;
                (gt + 1..i).all(|k| w.det.contains(&infos[k].lower) || c.is_plain_word(k))
            });
        let governed = infinitive || after_for || noun_object;
        let gov_intends = gov.is_some_and(|g| {
            let ge = &out[base + g];
            ge.class.is_intensional()
                || ge.modality == Modality::IntendedRequested
                || matches!(infos[found[g].tok].info.cue, Some(Cue::IAction | Cue::IState))
        });
        let gov_fails = gov.is_some_and(|g| w.fail.contains(&infos[found[g].tok].lower));
        // "prevented the army from crossing": a prevented event did not happen.
        let prevented = first > 0
            && infos[first - 1].lower == w.from
            && gov.is_some_and(|g| w.prevent.contains(&infos[found[g].tok].lower));
        let reported = found[..fi].iter().any(|g| matches!(g.class, EventClass::Reporting | EventClass::IState));
        let would = has(&w.would);
        let conditional = {
            let mut k = first;
            let mut hit = false;
            while k > 0 {
                k -= 1;
                let l = infos[k].lower;
                if w.cond.contains(&l) {
                    hit = true;
                    break;
                }
                if l == w.comma || infos[k].end - infos[k].start == 1 && !infos[k].alpha {
                    break;
                }
            }
            hit
        };
        let future = has(&w.future)
            || (ch.contains(&w.going) && infinitive)
            || f.tense == Tense::Future
            || (would && reported && !conditional);
        let modality = if neg || (governed && gov_fails) || prevented {
            Modality::Negated
        } else if conditional || (has(&w.hypo) && !(would && reported)) {
            Modality::HypotheticalConditional
        } else if future {
            Modality::Future
        } else if governed && gov_intends {
            Modality::IntendedRequested
        } else {
            Modality::Actual
        };
        // Participants.
        let mut actors = Vec::new();
        let mut patients = Vec::new();
        let verbal = f.pos == EventPos::Verb || f.pos == EventPos::Adjective;
        if verbal {
            let passive =
                has(&w.be) && f.aspect != Aspect::Progressive && f.tense != Tense::Infinitive && !t_ends_ing(text, t);
            let mut left = first;
            if left > 0 && w.rel.contains(&infos[left - 1].lower) {
                left -= 1;
                if left > 0 && infos[left - 1].lower == w.comma {
                    left -= 1;
                }
            }
            let mut subj = Vec::new();
            if !c.coordinated_left(left, &mut subj)
                && let Some(g) = found[..fi].iter().rposition(|g| g.pos == EventPos::Verb)
            {
                subj = out[base + g].actors.clone();
            }
            // Right side: object, or a recipient after a preposition, or a "by" agent.
            let mut r = i + 1;
            while r < infos.len() && (w.particle.contains(&infos[r].lower) || infos[r].ly || infos[r].info.adverb) {
                r += 1;
            }
            let mut by_agent = Vec::new();
            let mut obj = Vec::new();
            if r < infos.len() {
                let l = infos[r].lower;
                if l == w.by {
                    c.coordinated_right(r + 1, &mut by_agent);
                } else if w.recipient.contains(&l) {
                    c.coordinated_right(r + 1, &mut obj);
                } else if let Some(e) = c.coordinated_right(r, &mut obj)
                    && passive
                    && e < infos.len()
                    && infos[e].lower == w.by
                {
                    c.coordinated_right(e + 1, &mut by_agent);
                }
            }
            if passive {
                actors = by_agent;
                patients = subj;
                patients.extend(obj);
            } else {
                actors = subj;
                patients = obj;
            }
        } else {
            // Event nouns: "Germany's invasion of Poland", "talks between A and B",
            // "held talks" (the subject of a light verb).
            let mut k = i;
            while k > 0 && i - k < 3 && (c.is_plain_word(k - 1) && found_at(found, k - 1).is_none()) {
                k -= 1;
            }
            if k > 1 && infos[k - 1].lower == w.poss && c.is_name(k - 2) {
                c.coordinated_left(k - 1, &mut actors);
            } else {
                let mut d = k;
                if d > 0 && w.det.contains(&infos[d - 1].lower) {
                    d -= 1;
                }
                if d > 0 && w.light.contains(&infos[d - 1].lower) {
                    let (_, lf) = {
                        let mut tmp = [0u64; 8];
                        chain(infos, d - 1, &mut tmp)
                    };
                    c.coordinated_left(lf, &mut actors);
                }
            }
            if i + 1 < infos.len() {
                let l = infos[i + 1].lower;
                if l == w.of || w.recipient.contains(&l) {
                    c.coordinated_right(i + 2, &mut patients);
                } else if l == w.by || l == w.between {
                    c.coordinated_right(i + 2, &mut actors);
                }
            }
        }
        out.push(Event {
            start: t.start,
            end: t.end,
            trigger: text[t.start..t.end].to_string(),
            class: f.class,
            pos: f.pos,
            tense: f.tense,
            aspect: f.aspect,
            polarity: if neg { Polarity::Neg } else { Polarity::Pos },
            modality,
            sentence,
            actors,
            patients,
        });
    }
}

fn t_ends_ing(text: &str, t: &TokInfo) -> bool {
    let w = &text.as_bytes()[t.start..t.end];
    w.len() > 4 && w[w.len() - 3..].eq_ignore_ascii_case(b"ing")
}

/// Do-support: the bare verb after *did/does/do* and a negation ("did not sail",
/// "didn't sail", "does not know") is a verb event, past after *did*, present
/// otherwise. Adds the ones the model missed to `found` (kept in token order); the
/// polarity rule then reads the negation.
pub(crate) fn add_do_support(infos: &[TokInfo], found: &mut Vec<Found>) {
    let w = words();
    for i in 0..infos.len() {
        let past = infos[i].lower == w.did;
        if !(past || w.do_.contains(&infos[i].lower)) || i + 2 >= infos.len() || !w.neg.contains(&infos[i + 1].lower) {
            continue;
        }
        let mut j = i + 2;
        while j + 1 < infos.len() && j < i + 4 && (infos[j].info.adverb || infos[j].ly) {
            j += 1;
        }
        let t = &infos[j];
        if !t.candidate() || t.cap || t.info.aux || t.info.adverb || t.ly {
            continue;
        }
        if let Err(at) = found.binary_search_by_key(&j, |f| f.tok) {
            let tense = if past { Tense::Past } else { Tense::Present };
            found.insert(
                at,
                Found { tok: j, class: EventClass::Occurrence, pos: EventPos::Verb, tense, aspect: Aspect::None },
            );
        }
    }
}
