//! TimeML 1.2.1 with inline `TIMEX3` and `EVENT`, then `MAKEINSTANCE` and `TLINK`.

use std::fmt::Write as _;

use super::{Doc, eid, tid};
use crate::timeline::tlinks;

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
    }
    o
}

fn attr(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, " {name}=\"{}\"", escape(value));
}

/// Writes a document as TimeML: `DOCID`, the `DCT` (`t0`) when known, the text with
/// inline `TIMEX3` (`t1`, … as in the JSON output) and `EVENT` (`e1`, …) tags, one
/// `MAKEINSTANCE` per event (`ei1`, …: tense, aspect, polarity, pos) and the
/// [`tlinks`] (`l1`, …, with `origin` saying where each comes from). Overlapping
/// tags cannot nest in TimeML: of overlapping spans the first is written.
pub fn write_timeml(doc: &Doc) -> String {
    let Doc { id, text, timeline: t } = *doc;
    let mut out = String::with_capacity(text.len() * 2 + 1024);
    out.push_str("<?xml version=\"1.0\" ?>\n<TimeML>\n<DOCID>");
    out.push_str(&escape(id));
    out.push_str("</DOCID>\n");
    if let Some(dct) = &t.dct {
        out.push_str("<DCT><TIMEX3 tid=\"t0\" type=\"DATE\"");
        attr(&mut out, "value", dct);
        out.push_str(" temporalFunction=\"false\" functionInDocument=\"CREATION_TIME\">");
        out.push_str(&escape(dct));
        out.push_str("</TIMEX3></DCT>\n");
    }
    // (start, end, opening tag, event?, index) in text order.
    let mut tags: Vec<(usize, usize, String, bool, usize)> = Vec::new();
    for (i, m) in t.timexes.iter().enumerate() {
        let mut tag = String::from("<TIMEX3");
        attr(&mut tag, "tid", &tid(i));
        attr(&mut tag, "type", m.kind.as_str());
        attr(&mut tag, "value", &m.value);
        for (k, v) in [("mod", &m.modifier), ("freq", &m.freq), ("quant", &m.quant)] {
            if let Some(v) = v {
                attr(&mut tag, k, v);
            }
        }
        tag.push('>');
        tags.push((m.start, m.end, tag, false, i));
    }
    for (i, te) in t.events.iter().enumerate() {
        let mut tag = String::from("<EVENT");
        attr(&mut tag, "eid", &eid(i));
        attr(&mut tag, "class", te.event.class.as_str());
        tag.push('>');
        tags.push((te.event.start, te.event.end, tag, true, i));
    }
    tags.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    out.push_str("<TEXT>");
    let mut pos = 0;
    let mut events_written = vec![false; t.events.len()];
    let mut timexes_written = vec![false; t.timexes.len()];
    for (s, e, tag, is_event, i) in &tags {
        if *s < pos || !text.is_char_boundary(*s) || !text.is_char_boundary(*e) || *e > text.len() {
            continue;
        }
        out.push_str(&escape(&text[pos..*s]));
        out.push_str(tag);
        out.push_str(&escape(&text[*s..*e]));
        if *is_event {
            out.push_str("</EVENT>");
            events_written[*i] = true;
        } else {
            out.push_str("</TIMEX3>");
            timexes_written[*i] = true;
        }
        pos = *e;
    }
    out.push_str(&escape(&text[pos..]));
    out.push_str("</TEXT>\n");
    let label = |s: &str| s.to_ascii_uppercase();
    for (i, te) in t.events.iter().enumerate().filter(|(i, _)| events_written[*i]) {
        let json = |v: serde_json::Result<serde_json::Value>| {
            v.ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        };
        let mut tag = String::from("<MAKEINSTANCE");
        attr(&mut tag, "eventID", &eid(i));
        attr(&mut tag, "eiid", &format!("ei{}", i + 1));
        attr(&mut tag, "tense", &json(serde_json::to_value(te.event.tense)));
        attr(&mut tag, "aspect", &json(serde_json::to_value(te.event.aspect)));
        attr(&mut tag, "polarity", &json(serde_json::to_value(te.event.polarity)));
        attr(&mut tag, "pos", &label(&json(serde_json::to_value(te.event.pos))));
        tag.push_str(" />\n");
        out.push_str(&tag);
    }
    let links = tlinks(t);
    let kept = links.iter().filter(|l| events_written[l.event] && l.time.is_none_or(|x| timexes_written[x]));
    for (k, l) in kept.enumerate() {
        let mut tag = String::from("<TLINK");
        attr(&mut tag, "lid", &format!("l{}", k + 1));
        attr(&mut tag, "relType", &l.rel_type);
        attr(&mut tag, "eventInstanceID", &format!("ei{}", l.event + 1));
        attr(&mut tag, "relatedToTime", &l.time.map_or_else(|| "t0".to_string(), tid));
        attr(&mut tag, "origin", &format!("annalist:{}", l.origin));
        tag.push_str(" />\n");
        out.push_str(&tag);
    }
    out.push_str("</TimeML>\n");
    out
}
