//! Matching system time expressions to gold ones and counting, per TempEval-3.

use std::ops::AddAssign;

use serde::{Deserialize, Serialize};

use crate::text::CharIndex;

/// One time expression to compare: gold or system output, byte offsets into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// TIMEX3 `type`; `None` where the annotation has none (TIMEX2).
    pub kind: Option<String>,
    /// The normalized value (`""` when the annotation has none).
    pub value: String,
    /// The id of the rule that produced a system expression, when known.
    pub rule: Option<String>,
}

impl Expr {
    /// An expression with a type and value.
    pub fn new(start: usize, end: usize, kind: Option<&str>, value: &str) -> Expr {
        Expr { start, end, kind: kind.map(str::to_string), value: value.to_string(), rule: None }
    }

    fn overlap(&self, o: &Expr) -> usize {
        self.end.min(o.end).saturating_sub(self.start.max(o.start))
    }
}

impl From<&crate::Timex> for Expr {
    fn from(t: &crate::Timex) -> Expr {
        Expr {
            start: t.start,
            end: t.end,
            kind: Some(t.kind.as_str().to_string()),
            value: t.value.to_string(),
            rule: Some(t.rule.to_string()),
        }
    }
}

impl From<&crate::format::timeml::GoldTimex> for Expr {
    fn from(t: &crate::format::timeml::GoldTimex) -> Expr {
        Expr { start: t.start, end: t.end, kind: Some(t.kind.clone()), value: t.value.clone(), rule: None }
    }
}

impl From<&crate::format::timex2::GoldTimex2> for Expr {
    fn from(t: &crate::format::timex2::GoldTimex2) -> Expr {
        Expr { start: t.start, end: t.end, kind: None, value: t.value.clone(), rule: None }
    }
}

/// Converts JSON records (code point offsets, as `annalist tag --to jsonl` writes them)
/// over `text` to expressions with byte offsets. An offset past the end of the text or
/// a span whose start is after its end is an error naming the record.
pub fn exprs_from_records(text: &str, records: &[crate::format::json::TimexRecord]) -> Result<Vec<Expr>, String> {
    // Code point → byte, for every offset the records use, in one pass over the text.
    let mut wanted: Vec<usize> = records.iter().flat_map(|r| [r.start, r.end]).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut map = std::collections::HashMap::with_capacity(wanted.len());
    let mut w = wanted.iter().peekable();
    for (ch, (byte, _)) in text.char_indices().chain(std::iter::once((text.len(), ' '))).enumerate() {
        while let Some(&&c) = w.peek() {
            if c != ch {
                break;
            }
            map.insert(c, byte);
            w.next();
        }
        if w.peek().is_none() {
            break;
        }
    }
    records
        .iter()
        .map(|r| {
            let (Some(&start), Some(&end)) = (map.get(&r.start), map.get(&r.end)) else {
                return Err(format!(
                    "time expression {} ({}..{}) lies outside the text ({} characters)",
                    r.tid,
                    r.start,
                    r.end,
                    text.chars().count()
                ));
            };
            if start > end {
                return Err(format!("time expression {} ends before it starts", r.tid));
            }
            Ok(Expr { start, end, kind: Some(r.kind.clone()), value: r.value.clone(), rule: None })
        })
        .collect()
}

/// Raw counts; add them up over documents for micro-averaged scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Gold expressions.
    pub gold: usize,
    /// System expressions.
    pub system: usize,
    /// Pairs with identical spans.
    pub strict: usize,
    /// Pairs with overlapping spans (strict ones included).
    pub relaxed: usize,
    /// Relaxed pairs whose value equals the gold value.
    pub value: usize,
    /// Relaxed pairs whose type equals the gold type (only where gold has a type).
    #[serde(rename = "type")]
    pub kind: usize,
    /// Gold expressions that have a type.
    pub gold_typed: usize,
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.gold += o.gold;
        self.system += o.system;
        self.strict += o.strict;
        self.relaxed += o.relaxed;
        self.value += o.value;
        self.kind += o.kind;
        self.gold_typed += o.gold_typed;
    }
}

/// Precision, recall and F1, each in 0–1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// Correct / system.
    pub precision: f64,
    /// Correct / gold.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// From a number of correct items over `system` predicted and `gold` expected ones
    /// (0 where a denominator is 0).
    pub fn new(correct: usize, system: usize, gold: usize) -> Prf {
        let div = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = div(correct, system);
        let recall = div(correct, gold);
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Prf { precision, recall, f1 }
    }
}

/// TempEval-3 scores, micro-averaged over the documents whose counts were added.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// The counts the scores come from.
    pub counts: Counts,
    /// Exact span match.
    pub strict: Prf,
    /// Overlapping span match.
    pub relaxed: Prf,
    /// Value correct on relaxed matches (precision over all system expressions,
    /// recall over all gold ones).
    pub value: Prf,
    /// Type correct on relaxed matches; `None` when the gold data has no types (TIMEX2).
    #[serde(rename = "type")]
    pub kind: Option<Prf>,
}

impl Scores {
    /// Scores from counts.
    pub fn from_counts(c: Counts) -> Scores {
        Scores {
            counts: c,
            strict: Prf::new(c.strict, c.system, c.gold),
            relaxed: Prf::new(c.relaxed, c.system, c.gold),
            value: Prf::new(c.value, c.system, c.gold),
            kind: (c.gold_typed > 0).then(|| Prf::new(c.kind, c.system, c.gold)),
        }
    }
}

/// What went wrong with one expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A gold expression no system expression overlaps.
    Missed,
    /// A system expression no gold expression overlaps.
    Spurious,
    /// Overlapping but not identical spans.
    Span,
    /// Matched, with a different value.
    WrongValue,
    /// Matched, with a different type.
    WrongType,
}

impl ErrorKind {
    /// A short label (`missed`, `spurious`, `span`, `wrong_value`, `wrong_type`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Missed => "missed",
            ErrorKind::Spurious => "spurious",
            ErrorKind::Span => "span",
            ErrorKind::WrongValue => "wrong_value",
            ErrorKind::WrongType => "wrong_type",
        }
    }
}

/// An expression as shown in an error report (offsets in Unicode code points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExprView {
    /// Start, in code points.
    pub start: usize,
    /// End (exclusive), in code points.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// The type, if any.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The value.
    pub value: String,
    /// The rule that produced it (system expressions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// One error, with enough context to look into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalError {
    /// The document id.
    pub doc: String,
    /// What went wrong.
    pub kind: ErrorKind,
    /// The gold expression, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gold: Option<ExprView>,
    /// The system expression, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<ExprView>,
    /// The surrounding text on one line, the expression between `[` and `]`.
    pub context: String,
}

/// The result of scoring one document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocEval {
    /// Counts for this document.
    pub counts: Counts,
    /// Its errors, in text order.
    pub errors: Vec<EvalError>,
}

/// How many characters of context to show on each side of an error.
const CONTEXT: usize = 40;

/// Matches `system` to `gold` over `text` and counts, per TempEval-3: identical spans
/// pair first (strict), then the remaining expressions pair by overlap, each gold and
/// system expression used at most once; for each gold expression in text order the
/// unpaired system expression overlapping it most is taken (earliest on ties).
pub fn score_doc(doc: &str, text: &str, gold: &[Expr], system: &[Expr]) -> DocEval {
    let mut g_ord: Vec<usize> = (0..gold.len()).collect();
    g_ord.sort_by_key(|&i| (gold[i].start, gold[i].end));
    let mut s_ord: Vec<usize> = (0..system.len()).collect();
    s_ord.sort_by_key(|&i| (system[i].start, system[i].end));
    let s_starts: Vec<usize> = s_ord.iter().map(|&i| system[i].start).collect();
    let max_len = system.iter().map(|s| s.end.saturating_sub(s.start)).max().unwrap_or(0);

    let mut g_match: Vec<Option<usize>> = vec![None; gold.len()];
    let mut s_used = vec![false; system.len()];

    // Strict pairs.
    for &g in &g_ord {
        let ge = &gold[g];
        let from = s_starts.partition_point(|&s| s < ge.start);
        for &s in &s_ord[from..] {
            if system[s].start != ge.start {
                break;
            }
            if !s_used[s] && system[s].end == ge.end {
                s_used[s] = true;
                g_match[g] = Some(s);
                break;
            }
        }
    }
    // Relaxed pairs among the rest.
    for &g in &g_ord {
        if g_match[g].is_some() {
            continue;
        }
        let ge = &gold[g];
        let hi = s_starts.partition_point(|&s| s < ge.end);
        let lo = s_starts.partition_point(|&s| s + max_len <= ge.start);
        let mut best: Option<(usize, usize)> = None; // (overlap, index)
        for &s in &s_ord[lo..hi] {
            let ov = system[s].overlap(ge);
            if !s_used[s] && ov > 0 && best.is_none_or(|(b, _)| ov > b) {
                best = Some((ov, s));
            }
        }
        if let Some((_, s)) = best {
            s_used[s] = true;
            g_match[g] = Some(s);
        }
    }

    let ix = CharIndex::new(text);
    let view = |e: &Expr| ExprView {
        start: ix.char_offset(e.start.min(text.len())),
        end: ix.char_offset(e.end.min(text.len())),
        text: text.get(e.start..e.end).unwrap_or("").to_string(),
        kind: e.kind.clone(),
        value: e.value.clone(),
        rule: e.rule.clone(),
    };
    let mut counts = Counts {
        gold: gold.len(),
        system: system.len(),
        gold_typed: gold.iter().filter(|g| g.kind.is_some()).count(),
        ..Counts::default()
    };
    let mut errors: Vec<(usize, EvalError)> = Vec::new();
    let mut err = |kind, g: Option<&Expr>, s: Option<&Expr>| {
        let (a, b) = match (g, s) {
            (Some(g), Some(s)) => (g.start.min(s.start), g.end.max(s.end)),
            (Some(e), None) | (None, Some(e)) => (e.start, e.end),
            (None, None) => (0, 0),
        };
        errors.push((
            a,
            EvalError {
                doc: doc.to_string(),
                kind,
                gold: g.map(view),
                system: s.map(view),
                context: context(text, a, b),
            },
        ));
    };
    for &g in &g_ord {
        let ge = &gold[g];
        let Some(s) = g_match[g] else {
            err(ErrorKind::Missed, Some(ge), None);
            continue;
        };
        let se = &system[s];
        counts.relaxed += 1;
        if se.start == ge.start && se.end == ge.end {
            counts.strict += 1;
        } else {
            err(ErrorKind::Span, Some(ge), Some(se));
        }
        if se.value == ge.value {
            counts.value += 1;
        } else {
            err(ErrorKind::WrongValue, Some(ge), Some(se));
        }
        if let Some(k) = &ge.kind {
            if se.kind.as_ref() == Some(k) {
                counts.kind += 1;
            } else {
                err(ErrorKind::WrongType, Some(ge), Some(se));
            }
        }
    }
    for &s in &s_ord {
        if !s_used[s] {
            err(ErrorKind::Spurious, None, Some(&system[s]));
        }
    }
    errors.sort_by_key(|(at, _)| *at);
    DocEval { counts, errors: errors.into_iter().map(|(_, e)| e).collect() }
}

/// `text[a..b]` between `[` and `]` with up to [`CONTEXT`] characters either side, on
/// one line (line breaks and tabs shown as spaces).
fn context(text: &str, a: usize, b: usize) -> String {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (a, b) = (fix(a), fix(b.max(a)));
    let left_start = text[..a].char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
    let right_end = text[b..].char_indices().nth(CONTEXT).map_or(text.len(), |(i, _)| b + i);
    let s = format!(
        "{}{}[{}]{}{}",
        if left_start > 0 { "…" } else { "" },
        &text[left_start..a],
        &text[a..b],
        &text[b..right_end],
        if right_end < text.len() { "…" } else { "" }
    );
    s.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(start: usize, end: usize, kind: &str, value: &str) -> Expr {
        Expr::new(start, end, Some(kind), value)
    }

    /// The expression over the first occurrence of `words` in [`TEXT`].
    fn at(words: &str, kind: &str, value: &str) -> Expr {
        let s = TEXT.find(words).unwrap();
        e(s, s + words.len(), kind, value)
    }

    const TEXT: &str = "On May 3 the rains came, and for two weeks the river rose until early June.";

    #[test]
    fn perfect_output_scores_one() {
        let gold = [e(3, 8, "DATE", "XXXX-05-03"), e(33, 42, "DURATION", "P2W")];
        let d = score_doc("d", TEXT, &gold, &gold);
        let s = Scores::from_counts(d.counts);
        assert_eq!(s.strict.f1, 1.0);
        assert_eq!(s.relaxed.f1, 1.0);
        assert_eq!(s.value.f1, 1.0);
        assert_eq!(s.kind.unwrap().f1, 1.0);
        assert!(d.errors.is_empty());
    }

    #[test]
    fn counts_strict_relaxed_value_type_and_errors() {
        let gold = [
            at("May 3", "DATE", "XXXX-05-03"),
            at("for two weeks", "DURATION", "P2W"),
            at("early June", "DATE", "XXXX-06"),
        ];
        let system = [
            at("May 3", "DATE", "XXXX-05-03"),   // strict, all right
            at("two weeks", "DURATION", "P14D"), // relaxed, wrong value
            at("the", "DATE", "PRESENT_REF"),    // spurious
        ];
        let d = score_doc("d", TEXT, &gold, &system);
        assert_eq!(d.counts, Counts { gold: 3, system: 3, strict: 1, relaxed: 2, value: 1, kind: 2, gold_typed: 3 });
        let s = Scores::from_counts(d.counts);
        assert!((s.relaxed.precision - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.strict.f1 - 1.0 / 3.0).abs() < 1e-12);
        assert!((s.value.recall - 1.0 / 3.0).abs() < 1e-12);
        let kinds: Vec<ErrorKind> = d.errors.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [ErrorKind::Spurious, ErrorKind::Span, ErrorKind::WrongValue, ErrorKind::Missed]);
        assert_eq!(d.errors[0].context, "On May 3 [the] rains came, and for two weeks the river…");
        assert_eq!(d.errors[3].gold.as_ref().unwrap().text, "early June");
    }

    #[test]
    fn each_expression_matches_at_most_once() {
        // One long gold expression overlapped by two system ones: one pairs, one is spurious.
        let gold = [at("early June", "DATE", "XXXX-06")];
        let system = [at("early", "DATE", "XXXX-06"), at("June", "DATE", "XXXX-06")];
        let d = score_doc("d", TEXT, &gold, &system);
        assert_eq!(d.counts.relaxed, 1);
        assert_eq!(d.counts.value, 1);
        assert_eq!(d.counts.strict, 0);
        assert_eq!(d.errors.iter().filter(|e| e.kind == ErrorKind::Spurious).count(), 1);
        // The strict pair is preferred over an earlier overlapping one.
        let gold = [at("On May", "DATE", "a"), at("May 3", "DATE", "b")];
        let system = [at("May 3", "DATE", "b")];
        let d = score_doc("d", TEXT, &gold, &system);
        assert_eq!((d.counts.strict, d.counts.relaxed, d.counts.value), (1, 1, 1));
    }

    #[test]
    fn untyped_gold_has_no_type_score_and_empty_inputs_are_zero() {
        let gold = [Expr::new(3, 8, None, "XXXX-05-03")];
        let system = [e(3, 8, "DATE", "XXXX-05-03")];
        let s = Scores::from_counts(score_doc("d", TEXT, &gold, &system).counts);
        assert!(s.kind.is_none());
        assert_eq!(s.value.f1, 1.0);
        let s = Scores::from_counts(score_doc("d", "", &[], &[]).counts);
        assert_eq!(s.relaxed, Prf::default());
        let json = serde_json::to_value(s).unwrap();
        assert_eq!(json["relaxed"]["f1"], 0.0);
        assert!(json["type"].is_null());
    }

    #[test]
    fn records_convert_code_points_to_bytes() {
        use crate::format::json::TimexRecord;
        let text = "Zürich, 1 März 1848.";
        let rec = |start, end| TimexRecord {
            start,
            end,
            text: String::new(),
            kind: "DATE".into(),
            value: "1848-03-01".into(),
            modifier: None,
            freq: None,
            quant: None,
            tid: "t1".into(),
            alternative_of: None,
        };
        let got = exprs_from_records(text, &[rec(8, 19)]).unwrap();
        assert_eq!(&text[got[0].start..got[0].end], "1 März 1848");
        let got = exprs_from_records(text, &[rec(20, 20)]).unwrap();
        assert_eq!(got[0].start, text.len());
        assert!(exprs_from_records(text, &[rec(8, 21)]).is_err());
        assert!(exprs_from_records(text, &[rec(9, 8)]).is_err());
    }

    #[test]
    fn micro_average_adds_counts() {
        let mut c = score_doc("a", TEXT, &[e(3, 8, "DATE", "x")], &[e(3, 8, "DATE", "x")]).counts;
        c += score_doc("b", TEXT, &[e(3, 8, "DATE", "x"), at("early June", "DATE", "y")], &[]).counts;
        let s = Scores::from_counts(c);
        assert_eq!((c.gold, c.system, c.strict), (3, 1, 1));
        assert!((s.strict.recall - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.strict.precision, 1.0);
    }
}
