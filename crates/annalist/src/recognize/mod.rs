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
mod expand;
mod hircode;
pub(crate) mod lexicon;
mod scan;

use std::collections::HashMap;
use std::sync::Arc;

use crate::value::{Mod, TimexType, Value};
pub(crate) use build::Sem;
use expand::expand;
use lexicon::Lexicon;
use scan::{Captor, Engine, Hit, LazyRegex};

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
    /// Not a time expression: the match claims its text so that no other rule tags it
    /// ("$2 a year" is a rate, "three-quarters" a fraction).
    Block,
}

pub(crate) struct Rule {
    pub id: Arc<str>,
    pub kind: TimexType,
    /// The rule's regex, for searching it on its own (compiled when first needed).
    pub re: LazyRegex,
    pub groups: Vec<Option<Group>>,
    pub span_group: Option<usize>,
    pub norm: Norm,
    pub value: Option<Value>,
    pub modifier: Option<Mod>,
    pub quant: Option<String>,
    pub freq: Option<String>,
    pub require_before: Option<LazyRegex>,
    pub reject_before: Option<LazyRegex>,
    pub require_after: Option<LazyRegex>,
    pub reject_after: Option<LazyRegex>,
    pub priority: i32,
    /// The type when a time of day is said (default TIME).
    pub time_type: TimexType,
    /// Only in this domain (annotation conventions differ: TIMEX2 narratives mark "former").
    pub domain: Option<crate::Domain>,
    /// Examples that must be found (`[span]` marks the expected extent); run by the tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub examples: Vec<Example>,
    /// Texts in which nothing may be found where `[span]` marks (or anywhere).
    #[cfg_attr(not(test), allow(dead_code))]
    pub counter: Vec<String>,
}

/// What a named group means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Year,
    /// A year said in words ("nineteen ninety-six", "two thousand and one").
    YearWords,
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
    Topic,
}

impl Group {
    fn from_name(n: &str) -> Option<Group> {
        // Names may carry a numeric suffix (`month2`) so one pattern can hold alternatives.
        let base = n.trim_end_matches(|c: char| c.is_ascii_digit());
        Some(match base {
            "year" => Group::Year,
            "year_words" => Group::YearWords,
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
            "topic" => Group::Topic,
            _ => return None,
        })
    }
}

/// A rule example: text with an optional `[span]`, the expected value, and context.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
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
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct Prefix {
    pub id: Arc<str>,
    pub re: LazyRegex,
    pub groups: Vec<Option<Group>>,
    pub applies: Vec<TimexType>,
    pub kind: Option<TimexType>,
    pub modifier: Option<Mod>,
    /// The mention's own text must match this, when given.
    pub mention: Option<LazyRegex>,
    /// Extend the extent only in this domain (elsewhere the prefix only sets `mod`).
    pub extend: Option<crate::Domain>,
    pub examples: Vec<Example>,
}

/// The compiled rules of one language.
pub(crate) struct RuleSet {
    pub rules: Vec<Rule>,
    pub prefixes: Vec<Prefix>,
    pub lex: Lexicon,
    /// The matching machinery: all rules at once, capture regexes, caches.
    engine: Engine,
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
    time_type: Option<String>,
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
    extend: Option<String>,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
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

fn group_table(names: &[Option<String>], id: &str) -> Result<(Vec<Option<Group>>, Option<usize>), String> {
    let mut groups = Vec::new();
    let mut span = None;
    for (i, name) in names.iter().enumerate() {
        match name.as_deref() {
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
        // The syntax of the built-in context patterns is checked by the tests
        // (`every_regex_compiles`), not at every start.
        // Their rule and prefix patterns were parsed when the crate was built (build.rs).
        let parsed = hircode::Cache::read(include_bytes!(concat!(env!("OUT_DIR"), "/en_patterns.bin")));
        RuleSet::from_sources_with(
            include_str!("../../lang/en/lexicon.toml"),
            include_str!("../../lang/en/rules.toml"),
            false,
            &parsed,
        )
        .unwrap_or_else(|e| panic!("built-in English resources are invalid: {e}"))
    }

    /// Builds a rule set from a lexicon and a rule file.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn from_sources(lexicon: &str, rules: &str) -> Result<RuleSet, String> {
        RuleSet::from_sources_with(lexicon, rules, true, &hircode::Cache::read(&[]))
    }

    /// Builds a rule set; `check_context` checks the syntax of the context patterns now
    /// (rule patterns are always checked: the union is built from them). Patterns found in
    /// `parsed` (same text, same place) are taken from it instead of being parsed.
    fn from_sources_with(
        lexicon: &str,
        rules: &str,
        check_context: bool,
        parsed_before: &hircode::Cache<'_>,
    ) -> Result<RuleSet, String> {
        let lex = Lexicon::parse(lexicon)?;
        let file: RuleFile = toml::from_str(rules).map_err(|e| format!("rules: {e}"))?;
        let memo = std::cell::RefCell::new(HashMap::new());
        let ctx = |p: &Option<String>, id: &str, anchor_end: bool| -> Result<Option<LazyRegex>, String> {
            match p {
                None => Ok(None),
                Some(p) => {
                    let e = expand(p, &file.macros, &lex, &memo, 0)?;
                    let e = if anchor_end { format!("(?:{e})$") } else { format!("^(?:{e})") };
                    if check_context { LazyRegex::new(e, id).map(Some) } else { Ok(Some(LazyRegex::parsed(e, id))) }
                }
            }
        };
        let mut out = Vec::new();
        let mut parsed = Vec::new();
        for spec in &file.rule {
            let id = spec.id.as_str();
            let pattern = expand(&spec.pattern, &file.macros, &lex, &memo, 0)?;
            let hir = match parsed_before.get(parsed.len(), &pattern) {
                Some(h) => h,
                None => scan::parse(&pattern).map_err(|e| format!("rule {id}: {e}"))?,
            };
            let (groups, span_group) = group_table(&scan::capture_names(&hir), id)?;
            let re = LazyRegex::parsed(pattern, id);
            let kind = parse_type(&spec.kind, id)?;
            let norm = match spec.norm.as_deref() {
                Some("date") => Norm::Date,
                Some("duration") => Norm::Duration,
                Some("set") => Norm::Set,
                Some("fixed") => Norm::Fixed,
                Some("reference") => Norm::Reference,
                Some("block") => Norm::Block,
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
                time_type: match &spec.time_type {
                    Some(t) => parse_type(t, id)?,
                    None => TimexType::Time,
                },
                domain: match spec.domain.as_deref() {
                    None => None,
                    Some(d) => Some(crate::Domain::parse(d).ok_or_else(|| format!("rule {id}: unknown domain {d:?}"))?),
                },
                examples: spec.examples.clone(),
                counter: spec.counter.clone(),
            });
            parsed.push(hir);
        }
        let mut engine = Engine::new(out.iter().map(|r| r.re.pattern()).zip(parsed).collect());
        let mut prefixes = Vec::new();
        let mut prefix_hirs = Vec::new();
        for p in &file.prefix {
            let id = p.id.as_str();
            let pattern = format!("(?:{})$", expand(&p.pattern, &file.macros, &lex, &memo, 0)?);
            let hir = match parsed_before.get(file.rule.len() + prefix_hirs.len(), &pattern) {
                Some(h) => h,
                None => scan::parse(&pattern).map_err(|e| format!("rule {id}: {e}"))?,
            };
            let (groups, _) = group_table(&scan::capture_names(&hir), id)?;
            let re = LazyRegex::parsed(pattern, id);
            prefix_hirs.push(hir);
            prefixes.push(Prefix {
                id: Arc::from(id),
                re,
                groups,
                applies: p.applies.iter().map(|s| parse_type(s, id)).collect::<Result<_, _>>()?,
                kind: p.kind.as_deref().map(|s| parse_type(s, id)).transpose()?,
                modifier: parse_mod(&p.modifier, id)?,
                mention: ctx(&p.mention, id, false)?,
                extend: match p.extend.as_deref() {
                    None => None,
                    Some(d) => {
                        Some(crate::Domain::parse(d).ok_or_else(|| format!("prefix {id}: unknown domain {d:?}"))?)
                    }
                },
                examples: p.examples.clone(),
            });
        }
        engine.set_prefixes(prefix_hirs);
        Ok(RuleSet { rules: out, prefixes, lex, engine })
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// All mentions of `text`, non-overlapping, in text order.
    ///
    /// The result is the one [`RuleSet::find_plain`] describes: every rule's matches
    /// (`captures_iter`), filtered by context and by whether a value can be built,
    /// then chosen longest-first. Here the matches of the rules come from one pass over
    /// the text ([`scan`]), in order of position, and are chosen among in groups of
    /// overlapping candidates as soon as a group is complete (no later match can reach
    /// back into it). Context checks, captures and value building run only for the
    /// candidates the choice reaches: a match inside a longer mention costs no more
    /// than its discovery, and memory stays proportional to one group.
    pub fn find(&self, text: &str, domain: crate::Domain) -> Vec<Mention> {
        let active = |ri: usize| self.rules[ri].domain.is_none_or(|d| d == domain);
        let mut session = self.engine.session();
        let mut chosen: Vec<Mention> = Vec::new();
        let all_covered = (0..self.rules.len()).all(|ri| !active(ri) || self.engine.covers(ri));
        let mut group: Vec<Hit> = Vec::new();
        let mut group_end = 0;
        let scanned = all_covered
            && session
                .scan(
                    text,
                    active,
                    |ri| self.rules[ri].span_group,
                    |h, captor| {
                        if h.s == h.e {
                            return;
                        }
                        // Later matches start at or after `h.start`, and so do their extents.
                        if h.start >= group_end && !group.is_empty() {
                            self.choose(text, &mut group, captor, &mut chosen);
                        }
                        group_end = group_end.max(h.e);
                        group.push(h);
                    },
                )
                .is_ok();
        if scanned {
            self.choose(text, &mut group, &mut session.captor(), &mut chosen);
        } else {
            // Some rule must be searched on its own (its pattern matches the empty
            // string), or the lazy DFA could not finish: collect everything, then choose.
            chosen.clear();
            group.clear();
            let mut from_scan = false;
            if !all_covered {
                let push = |h: Hit, _: &mut Captor<'_>| {
                    if h.s != h.e {
                        group.push(h)
                    }
                };
                from_scan = session.scan(text, active, |ri| self.rules[ri].span_group, push).is_ok();
                if !from_scan {
                    group.clear();
                }
            }
            for (ri, rule) in self.rules.iter().enumerate() {
                if !active(ri) || (from_scan && self.engine.covers(ri)) {
                    continue;
                }
                for caps in rule.re.get().captures_iter(text) {
                    let whole = caps.get(0).expect("group 0");
                    let (s, e) = rule
                        .span_group
                        .and_then(|g| caps.get(g))
                        .map_or((whole.start(), whole.end()), |m| (m.start(), m.end()));
                    if s != e {
                        group.push(Hit { rule: ri, start: whole.start(), end: whole.end(), s, e });
                    }
                }
            }
            self.choose(text, &mut group, &mut session.captor(), &mut chosen);
        }
        chosen.retain(|m| self.rules[m.rule].norm != Norm::Block);
        self.apply_prefixes(text, &mut chosen, domain, &mut session);
        chosen
    }

    /// Chooses among a group of candidates, longest first (then higher priority, then
    /// earlier, then earlier rules), as [`select`] does among built mentions: a
    /// candidate is checked (context, captures, value) only when it does not overlap one
    /// already taken. Appends the chosen mentions in text order; empties `group`.
    fn choose(&self, text: &str, group: &mut Vec<Hit>, captor: &mut Captor<'_>, out: &mut Vec<Mention>) {
        let rules = &self.rules;
        group.sort_unstable_by(|a, b| {
            (b.e - b.s)
                .cmp(&(a.e - a.s))
                .then(rules[b.rule].priority.cmp(&rules[a.rule].priority))
                .then(a.s.cmp(&b.s))
                .then(a.rule.cmp(&b.rule))
        });
        let first = out.len();
        let mut fields: Vec<(Group, &str)> = Vec::new();
        // Taken extents: in a list while few, in a map by start when many.
        let mut many: Option<std::collections::BTreeMap<usize, usize>> = None;
        for c in group.iter() {
            let overlaps = match &many {
                None => out[first..].iter().any(|t| t.start < c.e && c.s < t.end),
                Some(m) => {
                    m.range(..=c.s).next_back().is_some_and(|(_, &end)| end > c.s)
                        || m.range(c.s..).next().is_some_and(|(&s, _)| s < c.e)
                }
            };
            if overlaps {
                continue;
            }
            let rule = &rules[c.rule];
            if !self.context_ok(rule, text, c.s, c.e) {
                continue;
            }
            let Some(caps) = captor.captures(text, c.rule, c.start, c.end) else {
                debug_assert!(false, "rule {} does not match at {}", rule.id, c.start);
                continue;
            };
            fields.clear();
            fields.extend(
                rule.groups.iter().enumerate().filter_map(|(i, g)| Some(((*g)?, &text[caps.get_group(i)?.range()]))),
            );
            if let Some(m) = build::build(self, c.rule, rule, &fields, c.s, c.e) {
                // The choice relies on this: a mention spans what it was built for.
                debug_assert_eq!((m.start, m.end), (c.s, c.e));
                if let Some(map) = &mut many {
                    map.insert(c.s, c.e);
                } else if out.len() - first >= 16 {
                    many = Some(out[first..].iter().map(|t| (t.start, t.end)).chain([(c.s, c.e)]).collect());
                }
                out.push(m);
            }
        }
        out[first..].sort_unstable_by_key(|m| m.start);
        group.clear();
    }

    /// The candidates of one rule, searched on its own over the whole text.
    #[cfg(test)]
    fn find_rule(&self, text: &str, ri: usize, cands: &mut Vec<Mention>) {
        let rule = &self.rules[ri];
        for caps in rule.re.get().captures_iter(text) {
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

    /// All mentions of `text` found the plain way, every rule over the whole text
    /// (the reference the one-pass search must agree with).
    #[cfg(test)]
    pub fn find_plain(&self, text: &str, domain: crate::Domain) -> Vec<Mention> {
        let mut cands = Vec::new();
        for ri in 0..self.rules.len() {
            if self.rules[ri].domain.is_none_or(|d| d == domain) {
                self.find_rule(text, ri, &mut cands);
            }
        }
        let mut chosen = select(cands, &self.rules);
        chosen.retain(|m| self.rules[m.rule].norm != Norm::Block);
        self.apply_prefixes_plain(text, &mut chosen, domain);
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
            && !r.get().is_match(before)
        {
            return false;
        }
        if let Some(r) = &rule.reject_before
            && r.get().is_match(before)
        {
            return false;
        }
        if let Some(r) = &rule.require_after
            && !r.get().is_match(after)
        {
            return false;
        }
        if let Some(r) = &rule.reject_after
            && r.get().is_match(after)
        {
            return false;
        }
        true
    }

    /// [`RuleSet::apply_prefixes`] running every applicable prefix regex (the reference
    /// for tests).
    #[cfg(test)]
    fn apply_prefixes_plain(&self, text: &str, ms: &mut [Mention], domain: crate::Domain) {
        self.apply_prefixes_with(text, ms, domain, |_| u64::MAX);
    }

    /// Extends mentions leftwards with the prefixes that match before them. Only the
    /// prefixes that the reverse walk of all prefixes ([`scan::Session::prefixes_ending`])
    /// says can match there run their regex (the others would find no non-empty match).
    fn apply_prefixes(&self, text: &str, ms: &mut [Mention], domain: crate::Domain, session: &mut scan::Session<'_>) {
        self.apply_prefixes_with(text, ms, domain, |before| session.prefixes_ending(before));
    }

    /// Extends mentions leftwards with prefixes; `can` says which prefixes (a bit each,
    /// the 64th and later always tried) may match at the end of a text.
    fn apply_prefixes_with(
        &self,
        text: &str,
        ms: &mut [Mention],
        domain: crate::Domain,
        mut can: impl FnMut(&str) -> u64,
    ) {
        // Capture slots per prefix, made when first needed and reused.
        let mut slots: Vec<Option<regex::CaptureLocations>> = (0..self.prefixes.len()).map(|_| None).collect();
        let mut fields: Vec<(Group, &str)> = Vec::new();
        for i in 0..ms.len() {
            let limit = if i == 0 { 0 } else { ms[i - 1].end };
            for _round in 0..2 {
                let (m_start, m_end, m_kind) = (ms[i].start, ms[i].end, ms[i].kind);
                let from = floor_boundary(text, m_start.saturating_sub(64)).max(limit);
                let before = &text[from..m_start];
                let mut applied = false;
                let may = can(before);
                for (pi, p) in self.prefixes.iter().enumerate() {
                    if (pi < 64 && may >> pi & 1 == 0)
                        || !p.applies.contains(&m_kind)
                        || p.mention.as_ref().is_some_and(|r| !r.get().is_match(&text[m_start..m_end]))
                    {
                        continue;
                    }
                    let re = p.re.get();
                    let locs = slots[pi].get_or_insert_with(|| re.capture_locations());
                    let Some(whole) = re.captures_read(locs, before) else {
                        continue;
                    };
                    if whole.start() == whole.end() {
                        continue;
                    }
                    fields.clear();
                    fields.extend(p.groups.iter().enumerate().filter_map(|(gi, g)| {
                        let (a, b) = locs.get(gi)?;
                        Some(((*g)?, &before[a..b]))
                    }));
                    let m = &mut ms[i];
                    if build::apply_prefix(self, p, &fields, m) {
                        if p.extend.is_none_or(|d| d == domain) {
                            m.start = from + whole.start();
                            applied = true;
                        }
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
#[cfg(test)]
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
