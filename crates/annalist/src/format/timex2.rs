//! ACE/TERN SGML with inline `TIMEX2` (the WikiWars corpus).
//!
//! The text is the content of `<TEXT>` with tags removed and the XML predefined
//! entities decoded (a `&` that starts no known entity is kept as written, as SGML
//! allows). The document date comes from `<DATETIME>`; for WikiWars it is the download
//! date, so it is informational only: the articles are narratives. Gold expressions are
//! the outermost `TIMEX2` elements (nested ones are dropped); those without `val` are
//! kept with an empty value.

use std::collections::BTreeMap;

use crate::{Date, Error, Value};

/// A TIMEX2 document.
#[derive(Debug, Clone)]
pub struct Timex2Doc {
    /// The `<DOCID>` content, or the name the document was read under when it has none.
    pub id: String,
    /// The date in `<DATETIME>`, when it reads as a date (informational only).
    pub dct: Option<Date>,
    /// The `<DATETIME>` as written (its `TIMEX2` `val` when it has one, else its text).
    pub dct_raw: Option<String>,
    /// The content of `<TEXT>`, tags removed and entities decoded.
    pub text: String,
    /// The outermost `TIMEX2` inside `<TEXT>`, in text order.
    pub timexes: Vec<GoldTimex2>,
}

/// A gold `TIMEX2`.
#[derive(Debug, Clone)]
pub struct GoldTimex2 {
    /// Start byte offset into [`Timex2Doc::text`].
    pub start: usize,
    /// End byte offset (exclusive) into [`Timex2Doc::text`].
    pub end: usize,
    /// `val`, or `""` when the expression has none.
    pub value: String,
    /// `mod`, when present.
    pub modifier: Option<String>,
    /// Every attribute as written (`val`, `mod`, `anchor_val`, `anchor_dir`, `set`, `comment`…).
    pub attrs: BTreeMap<String, String>,
}

/// Reads an SGML document with inline `TIMEX2`. `name` names it in errors and is the
/// id when the document has no `<DOCID>`.
///
/// A missing `<TEXT>`, an unterminated tag, or an unbalanced `TIMEX2` inside `<TEXT>`
/// gives [`Error::Format`] with the 1-based line.
pub fn read_timex2(sgml: &str, name: &str) -> Result<Timex2Doc, Error> {
    let line_of = |pos: usize| sgml.as_bytes()[..pos.min(sgml.len())].iter().filter(|&&c| c == b'\n').count() + 1;
    let err = |pos: usize, message: String| Error::Format { file: name.to_string(), line: line_of(pos), message };

    let id = element_content(sgml, "DOCID")
        .map(|(_, c)| strip_tags(c).trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| name.to_string());

    let (dct, dct_raw) = match element_content(sgml, "DATETIME") {
        Some((_, c)) => {
            let raw = find_tag(c, 0, "TIMEX2")
                .and_then(|(s, e)| parse_attrs(&c[s + 1..e - 1]).remove("val"))
                .unwrap_or_else(|| strip_tags(c).trim().to_string());
            let dct = date_of(&raw);
            (dct, Some(raw).filter(|r| !r.is_empty()))
        }
        None => (None, None),
    };

    let Some((body_at, body)) = element_content(sgml, "TEXT") else {
        return Err(err(sgml.len(), "no <TEXT> element".into()));
    };

    let mut text = String::with_capacity(body.len());
    let mut timexes = Vec::new();
    // Open TIMEX2 elements: (start offset, attributes); only the outermost is kept.
    let mut open: Vec<(usize, BTreeMap<String, String>)> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let rest = &body[i..];
        let Some(lt) = rest.find(['<', '&']) else {
            text.push_str(rest);
            break;
        };
        text.push_str(&rest[..lt]);
        i += lt;
        if body.as_bytes()[i] == b'&' {
            let (s, used) = decode_entity(&body[i..]);
            text.push_str(s);
            i += used;
            continue;
        }
        let Some(gt) = body[i..].find('>') else {
            return Err(err(body_at + i, "unterminated tag".into()));
        };
        let tag = &body[i + 1..i + gt];
        let at = body_at + i;
        i += gt + 1;
        let (closing, rest) = match tag.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, tag),
        };
        let tname_end = rest.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(rest.len());
        if !rest[..tname_end].eq_ignore_ascii_case("TIMEX2") {
            continue; // other markup: dropped
        }
        if closing {
            let Some((start, attrs)) = open.pop() else {
                return Err(err(at, "</TIMEX2> without an open <TIMEX2>".into()));
            };
            if open.is_empty() {
                timexes.push(GoldTimex2 {
                    start,
                    end: text.len(),
                    value: attrs.get("val").cloned().unwrap_or_default(),
                    modifier: attrs.get("mod").cloned(),
                    attrs,
                });
            }
        } else if !rest.trim_end().ends_with('/') {
            open.push((text.len(), parse_attrs(&rest[tname_end..])));
        }
    }
    if !open.is_empty() {
        return Err(err(body_at + body.len(), "<TIMEX2> not closed before </TEXT>".into()));
    }
    Ok(Timex2Doc { id, dct, dct_raw, text, timexes })
}

/// The date a `DATETIME` value such as `2009-12-19T17:00:00` or `20091219` names.
fn date_of(raw: &str) -> Option<Date> {
    let mut cands = vec![raw.to_string()];
    if raw.len() >= 10 {
        cands.push(raw[..10].to_string());
    }
    let digits: String = raw.chars().take_while(|c| c.is_ascii_digit()).collect();
    if digits.len() >= 8 {
        cands.push(format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..8]));
    }
    cands.into_iter().find_map(|c| match Value::parse(&c) {
        Ok(Value::Date(d)) if d.civil().is_some() => Some(Date::from_civil(d.civil()?)),
        _ => None,
    })
}

/// The byte offset and content of the first `<NAME …>…</NAME>` (case-insensitive).
fn element_content<'a>(doc: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let (_, open_end) = find_tag(doc, 0, name)?;
    let close = format!("</{name}");
    let rel = find_ci(&doc[open_end..], &close)?;
    Some((open_end, &doc[open_end..open_end + rel]))
}

/// The byte range of the first start tag `<NAME …>` at or after `from`.
fn find_tag(doc: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let pat = format!("<{name}");
    let mut from = from;
    loop {
        let s = from + find_ci(&doc[from..], &pat)?;
        let after = s + pat.len();
        let next = doc[after..].chars().next()?;
        if next == '>' || next.is_whitespace() {
            let e = after + doc[after..].find('>')? + 1;
            return Some((s, e));
        }
        from = after;
    }
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    let hb = hay.as_bytes();
    let nb = needle.as_bytes();
    if n > hb.len() {
        return None;
    }
    (0..=hb.len() - n).find(|&i| hb[i] == nb[0] && hb[i..i + n].eq_ignore_ascii_case(nb))
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes the entity at the start of `s` (which starts with `&`): the text and the
/// bytes used. Unknown or unterminated references are kept as a literal `&`.
fn decode_entity(s: &str) -> (&'static str, usize) {
    for (ent, rep) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'")] {
        if s.starts_with(ent) {
            return (rep, ent.len());
        }
    }
    ("&", 1)
}

/// Parses `a="x" b='y' c=z` attribute lists.
fn parse_attrs(s: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let ks = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let key = &s[ks..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            if !key.is_empty() {
                out.insert(key.to_string(), String::new());
            }
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let val = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
            let q = b[i];
            let vs = i + 1;
            let ve = s[vs..].find(q as char).map_or(s.len(), |e| vs + e);
            i = (ve + 1).min(s.len());
            &s[vs..ve]
        } else {
            let vs = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            &s[vs..i]
        };
        if !key.is_empty() {
            let mut v = String::with_capacity(val.len());
            let mut j = 0;
            while j < val.len() {
                if val.as_bytes()[j] == b'&' {
                    let (r, used) = decode_entity(&val[j..]);
                    v.push_str(r);
                    j += used;
                } else {
                    let c = val[j..].chars().next().unwrap_or(' ');
                    v.push(c);
                    j += c.len_utf8();
                }
            }
            out.insert(key.to_string(), v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "<DOC>\n<DOCID>99_Siege</DOCID>\n<DATETIME> <TIMEX2 val=\"2010-03-02T09:30:00\">2010-03-02T09:30:00</TIMEX2> </DATETIME>\n<TEXT>\nThe siege began in <TIMEX2 val=\"1683-07\" mod=\"START\">early July 1683</TIMEX2> &amp; lasted\n<TIMEX2 val=\"P2M\">two months, until <TIMEX2 val=\"1683-09-12\">September 12</TIMEX2></TIMEX2>. It was <TIMEX2 comment=\"vague\">a long time</TIMEX2> ago.\n</TEXT>\n</DOC>\n";

    #[test]
    fn reads_outermost_timex2() {
        let d = read_timex2(DOC, "siege.key.xml").unwrap();
        assert_eq!(d.id, "99_Siege");
        assert_eq!(d.dct_raw.as_deref(), Some("2010-03-02T09:30:00"));
        assert_eq!(d.dct.unwrap().to_string(), "2010-03-02");
        assert!(d.text.starts_with("\nThe siege began in early July 1683 & lasted\ntwo months"));
        let got: Vec<(&str, &str, Option<&str>)> =
            d.timexes.iter().map(|t| (&d.text[t.start..t.end], t.value.as_str(), t.modifier.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("early July 1683", "1683-07", Some("START")),
                ("two months, until September 12", "P2M", None),
                ("a long time", "", None),
            ]
        );
        assert_eq!(d.timexes[2].attrs["comment"], "vague");
    }

    #[test]
    fn bad_documents_name_the_line() {
        let unclosed = "<DOC>\n<TEXT>\nin <TIMEX2 val=\"1990\">1990\n</TEXT></DOC>";
        assert!(matches!(read_timex2(unclosed, "u"), Err(Error::Format { line: 4, .. })));
        let stray = "<DOC>\n<TEXT>\nin 1990</TIMEX2>\n</TEXT></DOC>";
        assert!(matches!(read_timex2(stray, "s"), Err(Error::Format { line: 3, .. })));
        assert!(matches!(read_timex2("<DOC>no text</DOC>", "n"), Err(Error::Format { .. })));
        let d = read_timex2("<DOC><TEXT>AT&T in 1990</TEXT></DOC>", "a").unwrap();
        assert_eq!(d.text, "AT&T in 1990");
        assert_eq!(d.id, "a");
        assert!(d.dct.is_none());
    }
}
