//! Runs every rule's and prefix's examples and counter-examples.

use super::{Example, RuleSet};
use crate::{Context, Domain, Tagger};

/// Splits `a [b] c` into the plain text and the byte span of `b`.
fn bracketed(text: &str) -> (String, Option<(usize, usize)>) {
    match (text.find('['), text.find(']')) {
        (Some(a), Some(b)) if a < b => {
            let plain = format!("{}{}{}", &text[..a], &text[a + 1..b], &text[b + 1..]);
            (plain, Some((a, b - 1)))
        }
        _ => (text.to_string(), None),
    }
}

fn context(ex: &Example, rule_domain: Option<Domain>) -> Context {
    let domain = ex.domain.as_deref().and_then(Domain::parse).or(rule_domain).unwrap_or(Domain::Auto);
    match &ex.dct {
        Some(d) => Context::with_dct(d, domain).expect("example dct"),
        None => Context { dct: None, domain },
    }
}

fn check_example(tagger: &Tagger, owner: &str, ex: &Example, domain: Option<Domain>) -> Option<String> {
    let (plain, span) = bracketed(&ex.text);
    let (s, e) = span.unwrap_or((0, plain.len()));
    let found = tagger.tag(&plain, &context(ex, domain));
    let hit = found.iter().find(|t| t.start == s && t.end == e);
    let Some(t) = hit else {
        let got: Vec<String> = found.iter().map(|t| format!("{:?}={} ({})", t.text, t.value, t.rule)).collect();
        return Some(format!("{owner}: {:?}: expected {:?} = {}, got {:?}", ex.text, &plain[s..e], ex.value, got));
    };
    let mut problems = Vec::new();
    if t.value.to_string() != ex.value {
        problems.push(format!("value {} (want {})", t.value, ex.value));
    }
    if let Some(k) = &ex.kind
        && t.kind.as_str() != k
    {
        problems.push(format!("type {} (want {k})", t.kind));
    }
    let m = t.modifier.map(|m| m.as_str().to_string());
    if ex.modifier.is_some() && m != ex.modifier {
        problems.push(format!("mod {m:?} (want {:?})", ex.modifier));
    }
    (!problems.is_empty()).then(|| format!("{owner}: {:?}: {} [rule {}]", ex.text, problems.join(", "), t.rule))
}

#[test]
fn rule_examples() {
    let tagger = Tagger::new();
    let rs = RuleSet::english();
    let mut failures = Vec::new();
    let mut n = 0;
    for r in &rs.rules {
        assert!(!r.examples.is_empty() || !r.counter.is_empty(), "rule {} has no examples", r.id);
        for ex in &r.examples {
            n += 1;
            failures.extend(check_example(&tagger, &r.id, ex, r.domain));
        }
    }
    for p in &rs.prefixes {
        assert!(!p.examples.is_empty(), "prefix {} has no examples", p.id);
        for ex in &p.examples {
            n += 1;
            failures.extend(check_example(&tagger, &p.id, ex, p.extend));
        }
    }
    assert!(failures.is_empty(), "{} of {n} examples fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn rule_counter_examples() {
    let tagger = Tagger::new();
    let rs = RuleSet::english();
    let mut failures = Vec::new();
    for r in &rs.rules {
        for c in &r.counter {
            let (plain, span) = bracketed(c);
            let (s, e) = span.unwrap_or((0, plain.len()));
            let ctx = Context { dct: None, domain: r.domain.unwrap_or(Domain::Auto) };
            let found = tagger.tag(&plain, &ctx);
            for t in found.iter().filter(|t| t.start < e && t.end > s) {
                failures.push(format!("{}: {c:?}: found {:?} = {} (rule {})", r.id, t.text, t.value, t.rule));
            }
        }
    }
    assert!(failures.is_empty(), "{} counter-examples fail:\n{}", failures.len(), failures.join("\n"));
}
