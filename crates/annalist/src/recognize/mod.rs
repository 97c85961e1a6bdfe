//! Recognition: rules (data in `lang/en/rules.toml`, words in `lang/en/lexicon.toml`)
//! find candidate spans; overlaps are resolved longest-first; prefixes such as
//! "early", "the end of" or "about" then extend a mention and set its `mod`.
//!
//! Each rule is a regular expression over the text, written with macros (`{MONTH}`)
//! that expand to lexicon alternations, and with named groups whose names say what
//! the captured text means (`year`, `month`, `day`, `num`, `unit`, `dir`…); the
//! [`build`] module turns those groups into a semantic value ([`Sem`]) that the
//! anchoring stage resolves.

pub(crate) mod build;
pub(crate) mod lexicon;

use std::collections::HashMap;
use std::sync::Arc;

use regex::Regex;

use crate::value::{Mod, TimexType, Value};
pub(crate) use build::Sem;
use lexicon::Lexicon;

/// A recognized mention, before anchoring.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub rule: usize,
    pub kind: TimexType,
    pub sem: Sem,
    pub modifier: Option<Mod>,
    pub freq: Option<String>,
    pub quant: Option<String>,
}

/// How a rule's captures become a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Norm {
    /// Dates, times, relative and deictic expressions.
    Date,
    /// Amounts of time.
    Duration,
    /// Recurrences.
    Set,
    /// A fixed value given by the rule.
    Fixed,
    /// The story's current reference time ("at that time").
    Reference,
}

pub(crate) struct Rule {
    pub id: Arc<str>,
    pub kind: TimexType,
    pub re: Regex,
    pub groups: Vec<Option<Group>>,
    pub span_group: Option<usize>,
    pub norm: Norm,
    pub value: Option<Value>,
    pub modifier: Option<Mod>,
    pub quant: Option<String>,
    pub freq: Option<String>,
    pub require_before: Option<Regex>,
    pub reject_before: Option<Regex>,
    pub require_after: Option<Regex>,
    pub reject_after: Option<Regex>,
    pub priority: i32,
    /// Only in this domain (annotation conventions differ: TIMEX2 narratives mark "former").
    pub domain: Option<crate::Domain>,
    /// Examples that must be found (`[span]` marks the expected extent).
    pub examples: Vec<Example>,
    /// Texts in which nothing may be found where `[span]` marks (or anywhere).
    pub counter: Vec<String>,
}

/// What a named group means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Year,
    Yy,
    Era,
    Decade,
    DecadeShort,
    DecadeWord,
    Century,
    Millennium,
    Month,
    MonthNum,
    Day,
    Weekday,
    Season,
    Quarter,
    Half,
    Pod,
    Hour,
    Minute,
    Second,
    Ampm,
    ClockWord,
    Mod,
    Approx,
    Num,
    Unit,
    Dir,
    Deictic,
    Holiday,
    Freq,
    PlusHalf,
}

impl Group {
    fn from_name(n: &str) -> Option<Group> {
        // Names may carry a numeric suffix (`month2`) so one pattern can hold alternatives.
        let base = n.trim_end_matches(|c: char| c.is_ascii_digit());
        Some(match base {
            "year" => Group::Year,
            "yy" => Group::Yy,
            "era" => Group::Era,
            "decade" => Group::Decade,
            "decade_short" => Group::DecadeShort,
            "decade_word" => Group::DecadeWord,
            "century" => Group::Century,
            "millennium" => Group::Millennium,
            "month" => Group::Month,
            "mnum" => Group::MonthNum,
            "day" => Group::Day,
            "weekday" => Group::Weekday,
            "season" => Group::Season,
            "quarter" => Group::Quarter,
            "half" => Group::Half,
            "pod" => Group::Pod,
            "hour" => Group::Hour,
            "minute" => Group::Minute,
            "second" => Group::Second,
            "ampm" => Group::Ampm,
            "clock_word" => Group::ClockWord,
            "mod" => Group::Mod,
            "approx" => Group::Approx,
            "num" => Group::Num,
            "unit" => Group::Unit,
            "dir" => Group::Dir,
            "deictic" => Group::Deictic,
            "holiday" => Group::Holiday,
            "freq" => Group::Freq,
            "plus_half" => Group::PlusHalf,
            _ => return None,
        })
    }
}

/// A rule example: text with an optional `[span]`, the expected value, and context.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Example {
    pub text: String,
    pub value: String,
    #[serde(default)]
    pub dct: Option<String>,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, rename = "mod")]
    pub modifier: Option<String>,
}

/// A prefix that extends a mention leftwards ("early", "the end of", "about").
pub(crate) struct Prefix {
    pub id: Arc<str>,
    pub re: Regex,
    pub groups: Vec<Option<Group>>,
    pub applies: Vec<TimexType>,
    pub kind: Option<TimexType>,
    pub modifier: Option<Mod>,
    /// The mention's own text must match this, when given.
    pub mention: Option<Regex>,
    pub examples: Vec<Example>,
}

/// The compiled rules of one language.
pub(crate) struct RuleSet {
    pub rules: Vec<Rule>,
    pub prefixes: Vec<Prefix>,
    pub lex: Lexicon,
}

#[derive(serde::Deserialize)]
struct RuleFile {
    #[serde(default)]
    macros: HashMap<String, String>,
    #[serde(default)]
    rule: Vec<RuleSpec>,
    #[serde(default)]
    prefix: Vec<PrefixSpec>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    pattern: String,
    #[serde(default)]
    norm: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default, rename = "mod")]
    modifier: Option<String>,
    #[serde(default)]
    quant: Option<String>,
    #[serde(default)]
    freq: Option<String>,
    #[serde(default)]
    require_before: Option<String>,
    #[serde(default)]
    reject_before: Option<String>,
    #[serde(default)]
    require_after: Option<String>,
    #[serde(default)]
    reject_after: Option<String>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    counter: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PrefixSpec {
    id: String,
    pattern: String,
    applies: Vec<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, rename = "mod")]
    modifier: Option<String>,
    #[serde(default)]
    mention: Option<String>,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Expands `{NAME}` macros: user macros from the rule file, then lexicon tables
/// (`{MONTH}` is the alternation of table `month`). `\b` becomes an ASCII word boundary.
fn expand(pattern: &str, macros: &HashMap<String, String>, lex: &Lexicon, depth: usize) -> Result<String, String> {
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
            Some(full) if is_macro_name(full) => {
                let (n, cap) = match full.strip_suffix(":cap") {
                    Some(n) => (n, true),
                    None => (full, false),
                };
                if let Some(m) = macros.get(n) {
                    out.push_str("(?:");
                    out.push_str(&expand(m, macros, lex, depth + 1)?);
                    out.push(')');
                } else if let Some(alt) = lex.alternation(&n.to_ascii_lowercase(), cap) {
                    out.push_str(&alt);
                } else {
                    return Err(format!("unknown macro {{{n}}}"));
                }
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

fn parse_type(s: &str, id: &str) -> Result<TimexType, String> {
    TimexType::parse(s).ok_or_else(|| format!("rule {id}: unknown type {s:?}"))
}

fn parse_mod(s: &Option<String>, id: &str) -> Result<Option<Mod>, String> {
    match s {
        None => Ok(None),
        Some(m) => Mod::parse(m).map(Some).ok_or_else(|| format!("rule {id}: unknown mod {m:?}")),
    }
}

fn compile(pattern: &str, id: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern).size_limit(50 << 20).build().map_err(|e| format!("rule {id}: {e}"))
}

fn group_table(re: &Regex, id: &str) -> Result<(Vec<Option<Group>>, Option<usize>), String> {
    let mut groups = Vec::new();
    let mut span = None;
    for (i, name) in re.capture_names().enumerate() {
        match name {
            None => groups.push(None),
            Some("t") => {
                span = Some(i);
                groups.push(None)
            }
            Some(n) => {
                groups.push(Some(Group::from_name(n).ok_or_else(|| format!("rule {id}: unknown group name {n:?}"))?))
            }
        }
    }
    Ok((groups, span))
}

impl RuleSet {
    /// The built-in English resources.
    pub fn english() -> RuleSet {
        RuleSet::from_sources(include_str!("../../lang/en/lexicon.toml"), include_str!("../../lang/en/rules.toml"))
            .unwrap_or_else(|e| panic!("built-in English resources are invalid: {e}"))
    }

    /// Builds a rule set from a lexicon and a rule file.
    pub fn from_sources(lexicon: &str, rules: &str) -> Result<RuleSet, String> {
        let lex = Lexicon::parse(lexicon)?;
        let file: RuleFile = toml::from_str(rules).map_err(|e| format!("rules: {e}"))?;
        let ctx = |p: &Option<String>, id: &str, anchor_end: bool| -> Result<Option<Regex>, String> {
            match p {
                None => Ok(None),
                Some(p) => {
                    let e = expand(p, &file.macros, &lex, 0)?;
                    let e = if anchor_end { format!("(?:{e})$") } else { format!("^(?:{e})") };
                    compile(&e, id).map(Some)
                }
            }
        };
        let mut out = Vec::new();
        for spec in &file.rule {
            let id = spec.id.as_str();
            let pattern = expand(&spec.pattern, &file.macros, &lex, 0)?;
            let re = compile(&pattern, id)?;
            let (groups, span_group) = group_table(&re, id)?;
            let kind = parse_type(&spec.kind, id)?;
            let norm = match spec.norm.as_deref() {
                Some("date") => Norm::Date,
                Some("duration") => Norm::Duration,
                Some("set") => Norm::Set,
                Some("fixed") => Norm::Fixed,
                Some("reference") => Norm::Reference,
                Some(n) => return Err(format!("rule {id}: unknown norm {n:?}")),
                None if spec.value.is_some() => Norm::Fixed,
                None => match kind {
                    TimexType::Duration => Norm::Duration,
                    TimexType::Set => Norm::Set,
                    _ => Norm::Date,
                },
            };
            let value = match &spec.value {
                Some(v) => Some(Value::parse(v).map_err(|e| format!("rule {id}: {e}"))?),
                None => None,
            };
            out.push(Rule {
                id: Arc::from(id),
                kind,
                re,
                groups,
                span_group,
                norm,
                value,
                modifier: parse_mod(&spec.modifier, id)?,
                quant: spec.quant.clone(),
                freq: spec.freq.clone(),
                require_before: ctx(&spec.require_before, id, true)?,
                reject_before: ctx(&spec.reject_before, id, true)?,
                require_after: ctx(&spec.require_after, id, false)?,
                reject_after: ctx(&spec.reject_after, id, false)?,
                priority: spec.priority,
                domain: match spec.domain.as_deref() {
                    None => None,
                    Some(d) => Some(crate::Domain::parse(d).ok_or_else(|| format!("rule {id}: unknown domain {d:?}"))?),
                },
                examples: spec.examples.clone(),
                counter: spec.counter.clone(),
            });
        }
        let mut prefixes = Vec::new();
        for p in &file.prefix {
            let id = p.id.as_str();
            let pattern = format!("(?:{})$", expand(&p.pattern, &file.macros, &lex, 0)?);
            let re = compile(&pattern, id)?;
            let (groups, _) = group_table(&re, id)?;
            prefixes.push(Prefix {
                id: Arc::from(id),
                re,
                groups,
                applies: p.applies.iter().map(|s| parse_type(s, id)).collect::<Result<_, _>>()?,
                kind: p.kind.as_deref().map(|s| parse_type(s, id)).transpose()?,
                modifier: parse_mod(&p.modifier, id)?,
                mention: ctx(&p.mention, id, false)?,
                examples: p.examples.clone(),
            });
        }
        Ok(RuleSet { rules: out, prefixes, lex })
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// All mentions of `text`, non-overlapping, in text order.
    pub fn find(&self, text: &str, domain: crate::Domain) -> Vec<Mention> {
        let mut cands: Vec<Mention> = Vec::new();
        for (ri, rule) in self.rules.iter().enumerate() {
            if rule.domain.is_some_and(|d| d != domain) {
                continue;
            }
            for caps in rule.re.captures_iter(text) {
                let (s, e) = match rule.span_group.and_then(|g| caps.get(g)) {
                    Some(m) => (m.start(), m.end()),
                    None => {
                        let m = caps.get(0).expect("group 0");
                        (m.start(), m.end())
                    }
                };
                if s == e || !self.context_ok(rule, text, s, e) {
                    continue;
                }
                let fields: Vec<(Group, &str)> =
                    rule.groups.iter().enumerate().filter_map(|(i, g)| Some(((*g)?, caps.get(i)?.as_str()))).collect();
                if let Some(m) = build::build(self, ri, rule, &fields, s, e) {
                    cands.push(m);
                }
            }
        }
        let mut chosen = select(cands, &self.rules);
        self.apply_prefixes(text, &mut chosen);
        chosen
    }

    fn context_ok(&self, rule: &Rule, text: &str, s: usize, e: usize) -> bool {
        let from = floor_boundary(text, s.saturating_sub(96));
        // The start of the text reads as a line start to context patterns.
        let owned;
        let before = if from == 0 {
            owned = format!("\n{}", &text[..s]);
            owned.as_str()
        } else {
            &text[from..s]
        };
        let after = &text[e..ceil_boundary(text, (e + 96).min(text.len()))];
        if let Some(r) = &rule.require_before
            && !r.is_match(before)
        {
            return false;
        }
        if let Some(r) = &rule.reject_before
            && r.is_match(before)
        {
            return false;
        }
        if let Some(r) = &rule.require_after
            && !r.is_match(after)
        {
            return false;
        }
        if let Some(r) = &rule.reject_after
            && r.is_match(after)
        {
            return false;
        }
        true
    }

    fn apply_prefixes(&self, text: &str, ms: &mut [Mention]) {
        for i in 0..ms.len() {
            let limit = if i == 0 { 0 } else { ms[i - 1].end };
            for _round in 0..2 {
                let (m_start, m_end, m_kind) = (ms[i].start, ms[i].end, ms[i].kind);
                let from = floor_boundary(text, m_start.saturating_sub(64)).max(limit);
                let before = &text[from..m_start];
                let mut applied = false;
                for p in &self.prefixes {
                    if !p.applies.contains(&m_kind)
                        || p.mention.as_ref().is_some_and(|r| !r.is_match(&text[m_start..m_end]))
                    {
                        continue;
                    }
                    let Some(caps) = p.re.captures(before) else {
                        continue;
                    };
                    let whole = caps.get(0).expect("group 0");
                    if whole.start() == whole.end() {
                        continue;
                    }
                    let fields: Vec<(Group, &str)> = p
                        .groups
                        .iter()
                        .enumerate()
                        .filter_map(|(gi, g)| Some(((*g)?, caps.get(gi)?.as_str())))
                        .collect();
                    let m = &mut ms[i];
                    if build::apply_prefix(self, p, &fields, m) {
                        m.start = from + whole.start();
                        applied = true;
                        break;
                    }
                }
                if !applied {
                    break;
                }
            }
        }
    }
}

/// Resolves overlaps: longer spans win, then higher priority, then earlier rules.
fn select(mut cands: Vec<Mention>, rules: &[Rule]) -> Vec<Mention> {
    cands.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(rules[b.rule].priority.cmp(&rules[a.rule].priority))
            .then(a.start.cmp(&b.start))
            .then(a.rule.cmp(&b.rule))
    });
    let mut taken: std::collections::BTreeMap<usize, Mention> = std::collections::BTreeMap::new();
    for c in cands {
        let overlaps_prev = taken.range(..=c.start).next_back().is_some_and(|(_, t)| t.end > c.start);
        let overlaps_next = taken.range(c.start..).next().is_some_and(|(&s, _)| s < c.end);
        if !overlaps_prev && !overlaps_next {
            taken.insert(c.start, c);
        }
    }
    taken.into_values().collect()
}

pub(crate) fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub(crate) fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests;
