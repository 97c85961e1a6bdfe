//! TempEval-3 TimeML: reading gold documents and writing tagger output back inline.
//!
//! [`read_timeml`] reads an inline TimeML 1.2.1 document (as distributed with
//! TempEval-3): the text to tag is the content of `<TEXT>` with tags removed and
//! entities decoded, the document creation time is the `TIMEX3` inside `<DCT>`, and
//! the gold `TIMEX3`, `EVENT`, `MAKEINSTANCE` and `TLINK` annotations are returned with
//! byte offsets into that text.
//!
//! [`write_timeml`] inserts `TIMEX3` tags for tagger output into the `<TEXT>` of the
//! original document, leaving every other byte as it was.
//!
//! Line ends inside `<TEXT>` are kept as written (no `\r\n` normalization), so offsets
//! map one-to-one onto the file's bytes outside entity references.

use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use crate::{Date, Error, Timex, Value};

/// A TimeML document: its text, creation time and gold annotations.
#[derive(Debug, Clone)]
pub struct TimemlDoc {
    /// The `<DOCID>` content, or the name the document was read under when it has none.
    pub id: String,
    /// The document creation time, when the `TIMEX3` in `<DCT>` has a date value.
    pub dct: Option<Date>,
    /// The `value` of the `TIMEX3` in `<DCT>`, as written.
    pub dct_raw: Option<String>,
    /// The content of `<TEXT>`, tags removed and entities decoded.
    pub text: String,
    /// Gold `TIMEX3` inside `<TEXT>`, in text order.
    pub timexes: Vec<GoldTimex>,
    /// Gold `EVENT` inside `<TEXT>`, in text order.
    pub events: Vec<GoldEvent>,
    /// `MAKEINSTANCE` elements, in document order.
    pub instances: Vec<MakeInstance>,
    /// `TLINK` elements, in document order.
    pub tlinks: Vec<TLink>,
}

/// A gold `TIMEX3` inside `<TEXT>`.
#[derive(Debug, Clone)]
pub struct GoldTimex {
    /// Start byte offset into [`TimemlDoc::text`].
    pub start: usize,
    /// End byte offset (exclusive) into [`TimemlDoc::text`].
    pub end: usize,
    /// `tid`.
    pub tid: String,
    /// `type` (`DATE`, `TIME`, `DURATION`, `SET`).
    pub kind: String,
    /// `value`.
    pub value: String,
    /// `mod`, when present.
    pub modifier: Option<String>,
    /// Every attribute as written (including those also given as fields).
    pub attrs: BTreeMap<String, String>,
}

/// A gold `EVENT` inside `<TEXT>`.
#[derive(Debug, Clone)]
pub struct GoldEvent {
    /// Start byte offset into [`TimemlDoc::text`].
    pub start: usize,
    /// End byte offset (exclusive) into [`TimemlDoc::text`].
    pub end: usize,
    /// `eid`.
    pub eid: String,
    /// `class` (`OCCURRENCE`, `REPORTING`, `STATE`, …).
    pub class: String,
    /// Every attribute as written (including those also given as fields).
    pub attrs: BTreeMap<String, String>,
}

/// A `MAKEINSTANCE`: an instance of an event, with its tense and aspect.
#[derive(Debug, Clone)]
pub struct MakeInstance {
    /// `eiid`.
    pub eiid: String,
    /// `eventID`: the `eid` of the event instantiated.
    pub event_id: String,
    /// `tense`.
    pub tense: Option<String>,
    /// `aspect`.
    pub aspect: Option<String>,
    /// `polarity`.
    pub polarity: Option<String>,
    /// `pos`.
    pub pos: Option<String>,
    /// Every attribute as written (including those also given as fields).
    pub attrs: BTreeMap<String, String>,
}

/// A `TLINK`: a temporal relation between event instances and times.
#[derive(Debug, Clone)]
pub struct TLink {
    /// `lid`.
    pub lid: String,
    /// `relType` (`BEFORE`, `IS_INCLUDED`, …).
    pub rel_type: String,
    /// `eventInstanceID` or `timeID`.
    pub source: String,
    /// `relatedToEventInstance` or `relatedToTime`.
    pub target: String,
    /// Every attribute as written (including those also given as fields).
    pub attrs: BTreeMap<String, String>,
}

/// Reads an inline TimeML document. `name` names it in errors (usually the file path)
/// and is the id when the document has no `<DOCID>`.
///
/// Malformed XML, a missing `<TEXT>` element or a `TIMEX3`/`EVENT` without its
/// required attributes give [`Error::Format`] with the 1-based line of the problem.
pub fn read_timeml(xml: &str, name: &str) -> Result<TimemlDoc, Error> {
    parse(xml, name).map(|(doc, _)| doc)
}

/// Returns `original_xml` with `TIMEX3` tags for `timexes` inserted into its `<TEXT>`.
///
/// `timexes` carry byte offsets into the text [`read_timeml`] reads from the same
/// document (as [`crate::Tagger::tag`] returns them). `TIMEX3` tags already inside
/// `<TEXT>` are removed first (their content stays); every other byte of the document
/// is unchanged. Each new tag gets `tid` (`t1`, `t2`, … skipping ids still used by
/// `TIMEX3` outside `<TEXT>`, such as the DCT), `type`, `value`, and `mod`, `freq`,
/// `quant` when set; attribute values are escaped.
///
/// TimeML does not nest `TIMEX3`: of overlapping expressions the first (and, from the
/// same start, the longest) is written and the others are left out. An expression
/// whose span crosses the boundary of another element (say, half inside an `EVENT`)
/// cannot be written as XML and gives [`Error::Format`], as do offsets outside the text
/// or not on a character boundary.
pub fn write_timeml(original_xml: &str, timexes: &[Timex]) -> Result<String, Error> {
    let name = "<timeml>";
    let (doc, layout) = parse(original_xml, name)?;
    let fail = |msg: String| Error::Format { file: name.to_string(), line: layout.text_line, message: msg };

    // Pick the expressions to write: sorted, non-overlapping.
    let mut order: Vec<&Timex> = timexes.iter().collect();
    order.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut chosen: Vec<&Timex> = Vec::with_capacity(order.len());
    for t in order {
        if t.start >= t.end
            || t.end > doc.text.len()
            || !doc.text.is_char_boundary(t.start)
            || !doc.text.is_char_boundary(t.end)
        {
            return Err(fail(format!(
                "time expression at bytes {}..{} is not a span of the document text ({} bytes)",
                t.start,
                t.end,
                doc.text.len()
            )));
        }
        if chosen.last().is_some_and(|p| t.start < p.end) {
            continue;
        }
        chosen.push(t);
    }

    // Edits: deletions of old TIMEX3 tags, insertions of new ones.
    // Sort key (position, rank): at one position an end tag goes before a start tag,
    // and insertions before a deletion starting there.
    let mut edits: Vec<(usize, u8, Edit)> = Vec::new();
    for r in &layout.removed {
        edits.push((r.start, 2, Edit::Delete(r.end)));
    }
    let mut next_tid = 1usize;
    for t in chosen {
        let (p, pp) = layout
            .position(t.start, true)
            .ok_or_else(|| fail(format!("cannot place a tag at text byte {} (inside an entity reference)", t.start)))?;
        let (q, qp) = layout
            .position(t.end, false)
            .ok_or_else(|| fail(format!("cannot place a tag at text byte {} (inside an entity reference)", t.end)))?;
        if pp != qp {
            return Err(fail(format!(
                "time expression {:?} at text bytes {}..{} crosses the boundary of another element",
                &doc.text[t.start..t.end],
                t.start,
                t.end
            )));
        }
        let mut tid = format!("t{next_tid}");
        while layout.kept_tids.contains(&tid) {
            next_tid += 1;
            tid = format!("t{next_tid}");
        }
        next_tid += 1;
        edits.push((p, 1, Edit::Insert(start_tag(t, &tid))));
        edits.push((q, 0, Edit::Insert("</TIMEX3>".to_string())));
    }
    edits.sort_by_key(|e| (e.0, e.1));

    let extra: usize = edits
        .iter()
        .map(|e| match &e.2 {
            Edit::Insert(s) => s.len(),
            Edit::Delete(_) => 0,
        })
        .sum();
    let mut out = String::with_capacity(original_xml.len() + extra);
    let mut pos = 0;
    for (at, _, edit) in edits {
        if at > pos {
            out.push_str(&original_xml[pos..at]);
            pos = at;
        }
        match edit {
            Edit::Insert(s) => out.push_str(&s),
            Edit::Delete(end) => pos = end,
        }
    }
    out.push_str(&original_xml[pos..]);
    Ok(out)
}

enum Edit {
    Insert(String),
    /// Delete up to this byte.
    Delete(usize),
}

fn start_tag(t: &Timex, tid: &str) -> String {
    use quick_xml::escape::escape;
    let mut s = format!(
        "<TIMEX3 tid=\"{}\" type=\"{}\" value=\"{}\"",
        escape(tid),
        t.kind.as_str(),
        escape(t.value.to_string())
    );
    if let Some(m) = t.modifier {
        s.push_str(&format!(" mod=\"{}\"", m.as_str()));
    }
    if let Some(f) = &t.freq {
        s.push_str(&format!(" freq=\"{}\"", escape(f.as_str())));
    }
    if let Some(q) = &t.quant {
        s.push_str(&format!(" quant=\"{}\"", escape(q.as_str())));
    }
    s.push('>');
    s
}

/// Where the text of `<TEXT>` sits in the XML, for [`write_timeml`].
#[derive(Debug, Default)]
struct Layout {
    /// In document order: text pieces and the boundaries between markup items.
    items: Vec<Item>,
    /// Byte ranges of the `TIMEX3` tags inside `<TEXT>` (to remove when re-tagging).
    removed: Vec<std::ops::Range<usize>>,
    /// `tid`s of `TIMEX3` outside `<TEXT>`.
    kept_tids: BTreeSet<String>,
    /// Line of `<TEXT>` (for errors).
    text_line: usize,
}

#[derive(Debug)]
enum Item {
    /// A stretch of text copied verbatim: text bytes `text..text+len` are XML bytes `xml..xml+len`.
    Verbatim { text: usize, xml: usize, len: usize },
    /// An entity reference (or CDATA section) at XML byte `xml` decoding to text
    /// bytes `text..text+len`.
    Entity { text: usize, xml: usize, len: usize },
    /// A place between markup where a tag may go: XML byte `xml`, text offset `text`,
    /// inside the element instance `parent` at nesting `depth`.
    Gap { xml: usize, text: usize, parent: usize, depth: usize },
}

impl Layout {
    /// The XML byte where a tag for text offset `off` goes, and the element instance it
    /// would sit in. At a run of markup the outermost place is used (for a start tag the
    /// last such, for an end tag the first).
    fn position(&self, off: usize, start: bool) -> Option<(usize, usize)> {
        // First item whose text reaches past `off`, minus the gaps before it.
        let i = self.items.partition_point(|it| match *it {
            Item::Verbatim { text, len, .. } | Item::Entity { text, len, .. } => text + len <= off,
            Item::Gap { text, .. } => text < off,
        });
        // Gaps at exactly `off`.
        let mut best: Option<(usize, usize, usize)> = None; // (depth, xml, parent)
        let mut j = i;
        while let Some(Item::Gap { xml, text, parent, depth }) = self.items.get(j) {
            if *text != off {
                break;
            }
            let better = match best {
                None => true,
                Some((d, _, _)) => *depth < d || (start && *depth == d),
            };
            if better {
                best = Some((*depth, *xml, *parent));
            }
            j += 1;
        }
        if let Some((_, xml, parent)) = best {
            return Some((xml, parent));
        }
        // Inside a verbatim piece: the parent is that of the gap before it.
        match self.items.get(i)? {
            Item::Verbatim { text, xml, .. } | Item::Entity { text, xml, .. }
                if *text == off || (*text < off && matches!(self.items[i], Item::Verbatim { .. })) =>
            {
                let parent = self.items[..i].iter().rev().find_map(|it| match it {
                    Item::Gap { parent, .. } => Some(*parent),
                    _ => None,
                })?;
                Some((xml + (off - text), parent))
            }
            _ => None,
        }
    }
}

/// An element open inside `<TEXT>`.
struct Open {
    name: String,
    id: usize,
    /// For TIMEX3/EVENT: index into the doc's lists.
    annot: Option<(bool, usize)>,
}

fn parse(xml: &str, name: &str) -> Result<(TimemlDoc, Layout), Error> {
    let line_of = |pos: usize| -> usize {
        let pos = pos.min(xml.len());
        memchr_count(&xml.as_bytes()[..pos]) + 1
    };
    let err = |pos: usize, message: String| Error::Format { file: name.to_string(), line: line_of(pos), message };

    let mut reader = Reader::from_str(xml);
    let cfg = reader.config_mut();
    cfg.trim_text(false);
    cfg.check_end_names = true;
    cfg.expand_empty_elements = false;

    let mut doc = TimemlDoc {
        id: name.to_string(),
        dct: None,
        dct_raw: None,
        text: String::new(),
        timexes: Vec::new(),
        events: Vec::new(),
        instances: Vec::new(),
        tlinks: Vec::new(),
    };
    let mut layout = Layout::default();

    // Outside <TEXT>: the names of open elements.
    let mut outer: Vec<String> = Vec::new();
    let mut docid: Option<String> = None;
    let mut in_text = false;
    let mut seen_text = false;
    let mut inner: Vec<Open> = Vec::new();
    let mut next_id = 1usize; // 0 is <TEXT> itself

    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let pos = reader.error_position() as usize;
                return Err(err(pos, format!("malformed XML: {e}")));
            }
        };
        let after = reader.buffer_position() as usize;
        if in_text {
            match ev {
                Event::Text(t) => {
                    let s: &str = &t;
                    layout.items.push(Item::Verbatim { text: doc.text.len(), xml: before, len: s.len() });
                    doc.text.push_str(s);
                }
                Event::CData(t) => {
                    let s: &str = &t;
                    layout.items.push(Item::Entity { text: doc.text.len(), xml: before, len: s.len() });
                    doc.text.push_str(s);
                }
                Event::GeneralRef(r) => {
                    let s = resolve_ref(&r).map_err(|m| err(before, m))?;
                    layout.items.push(Item::Entity { text: doc.text.len(), xml: before, len: s.len() });
                    doc.text.push_str(&s);
                }
                Event::Start(e) => {
                    let tag = e.name().as_ref().to_string();
                    let annot = match tag.as_str() {
                        "TIMEX3" => {
                            layout.removed.push(before..after);
                            let t = gold_timex(&e, doc.text.len()).map_err(|m| err(before, m))?;
                            doc.timexes.push(t);
                            Some((true, doc.timexes.len() - 1))
                        }
                        "EVENT" => {
                            let ev = gold_event(&e, doc.text.len()).map_err(|m| err(before, m))?;
                            doc.events.push(ev);
                            Some((false, doc.events.len() - 1))
                        }
                        _ => None,
                    };
                    let is_timex = tag == "TIMEX3";
                    if !is_timex {
                        push_gap(&mut layout, &inner, before, doc.text.len());
                    }
                    inner.push(Open { name: tag, id: if is_timex { usize::MAX } else { next_id }, annot });
                    if !is_timex {
                        next_id += 1;
                        push_gap(&mut layout, &inner, after, doc.text.len());
                    }
                }
                Event::Empty(e) => {
                    let tag = e.name().as_ref().to_string();
                    if tag == "TIMEX3" {
                        layout.removed.push(before..after);
                        let t = gold_timex(&e, doc.text.len()).map_err(|m| err(before, m))?;
                        doc.timexes.push(t);
                    } else {
                        if tag == "EVENT" {
                            let ev = gold_event(&e, doc.text.len()).map_err(|m| err(before, m))?;
                            doc.events.push(ev);
                        }
                        push_gap(&mut layout, &inner, before, doc.text.len());
                        push_gap(&mut layout, &inner, after, doc.text.len());
                    }
                }
                Event::End(e) => {
                    let tag = e.name().as_ref().to_string();
                    match inner.pop() {
                        None => {
                            // </TEXT> (quick-xml checked the name).
                            push_gap(&mut layout, &inner, before, doc.text.len());
                            in_text = false;
                            outer.pop();
                        }
                        Some(open) => {
                            debug_assert_eq!(open.name, tag);
                            let end = doc.text.len();
                            match open.annot {
                                Some((true, i)) => doc.timexes[i].end = end,
                                Some((false, i)) => doc.events[i].end = end,
                                None => {}
                            }
                            if open.name == "TIMEX3" {
                                layout.removed.push(before..after);
                            } else {
                                inner.push(open);
                                push_gap(&mut layout, &inner, before, end);
                                inner.pop();
                                push_gap(&mut layout, &inner, after, end);
                            }
                        }
                    }
                }
                Event::Comment(_) | Event::PI(_) => {
                    push_gap(&mut layout, &inner, before, doc.text.len());
                    push_gap(&mut layout, &inner, after, doc.text.len());
                }
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(err(before, "unexpected declaration inside <TEXT>".into()));
                }
                Event::Eof => {
                    return Err(err(xml.len(), "unexpected end of file inside <TEXT>".into()));
                }
            }
            continue;
        }
        match ev {
            Event::Start(e) => {
                let tag = e.name().as_ref().to_string();
                if tag == "TEXT" {
                    if seen_text {
                        return Err(err(before, "more than one <TEXT> element".into()));
                    }
                    seen_text = true;
                    in_text = true;
                    layout.text_line = line_of(before);
                    push_gap(&mut layout, &inner, after, 0);
                } else if tag == "TIMEX3" {
                    outer_timex(&e, &outer, &mut doc, &mut layout);
                }
                outer.push(tag);
            }
            Event::Empty(e) => {
                let tag = e.name().as_ref().to_string();
                match tag.as_str() {
                    "MAKEINSTANCE" => {
                        let a = attrs(&e).map_err(|m| err(before, m))?;
                        doc.instances.push(MakeInstance {
                            eiid: required(&a, "eiid", "MAKEINSTANCE").map_err(|m| err(before, m))?,
                            event_id: required(&a, "eventID", "MAKEINSTANCE").map_err(|m| err(before, m))?,
                            tense: a.get("tense").cloned(),
                            aspect: a.get("aspect").cloned(),
                            polarity: a.get("polarity").cloned(),
                            pos: a.get("pos").cloned(),
                            attrs: a,
                        });
                    }
                    "TLINK" => {
                        let a = attrs(&e).map_err(|m| err(before, m))?;
                        let pick = |keys: [&str; 2], what: &str| {
                            keys.iter()
                                .find_map(|k| a.get(*k).cloned())
                                .ok_or_else(|| err(before, format!("TLINK without {what}")))
                        };
                        let source = pick(["eventInstanceID", "timeID"], "eventInstanceID or timeID")?;
                        let target = pick(
                            ["relatedToEventInstance", "relatedToTime"],
                            "relatedToEventInstance or relatedToTime",
                        )?;
                        doc.tlinks.push(TLink {
                            lid: a.get("lid").cloned().unwrap_or_default(),
                            rel_type: required(&a, "relType", "TLINK").map_err(|m| err(before, m))?,
                            source,
                            target,
                            attrs: a,
                        });
                    }
                    "TIMEX3" => outer_timex(&e, &outer, &mut doc, &mut layout),
                    "TEXT" => {
                        if seen_text {
                            return Err(err(before, "more than one <TEXT> element".into()));
                        }
                        seen_text = true;
                        layout.text_line = line_of(before);
                    }
                    _ => {}
                }
            }
            Event::End(_) => {
                outer.pop();
            }
            Event::Text(t) if outer.last().is_some_and(|n| n == "DOCID") => {
                docid.get_or_insert_with(String::new).push_str(&t);
            }
            Event::GeneralRef(r) => {
                let s = resolve_ref(&r).map_err(|m| err(before, m))?;
                if outer.last().is_some_and(|n| n == "DOCID") {
                    docid.get_or_insert_with(String::new).push_str(&s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = outer.last() {
        return Err(err(xml.len(), format!("unexpected end of file: <{open}> is not closed")));
    }
    if !seen_text {
        return Err(err(xml.len(), "no <TEXT> element".into()));
    }
    if let Some(id) = docid.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()) {
        doc.id = id;
    }
    Ok((doc, layout))
}

fn memchr_count(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c == b'\n').count()
}

fn push_gap(layout: &mut Layout, inner: &[Open], xml: usize, text: usize) {
    let open: Vec<&Open> = inner.iter().filter(|o| o.id != usize::MAX).collect();
    layout.items.push(Item::Gap { xml, text, parent: open.last().map_or(0, |o| o.id), depth: open.len() });
}

fn outer_timex(e: &BytesStart<'_>, outer: &[String], doc: &mut TimemlDoc, layout: &mut Layout) {
    let Ok(a) = attrs(e) else { return };
    if let Some(tid) = a.get("tid") {
        layout.kept_tids.insert(tid.clone());
    }
    if outer.last().is_some_and(|n| n == "DCT")
        && doc.dct_raw.is_none()
        && let Some(v) = a.get("value")
    {
        doc.dct_raw = Some(v.clone());
        if let Ok(Value::Date(d)) = Value::parse(v) {
            doc.dct = Some(d);
        }
    }
}

fn resolve_ref(r: &BytesRef<'_>) -> Result<String, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => return Ok(c.to_string()),
        Ok(None) => {}
        Err(e) => return Err(format!("bad character reference &{};: {e}", &**r)),
    }
    match &**r {
        "amp" => Ok("&".into()),
        "lt" => Ok("<".into()),
        "gt" => Ok(">".into()),
        "quot" => Ok("\"".into()),
        "apos" => Ok("'".into()),
        other => Err(format!("unknown entity &{other};")),
    }
}

fn attrs(e: &BytesStart<'_>) -> Result<BTreeMap<String, String>, String> {
    let tag = e.name().as_ref().to_string();
    let mut out = BTreeMap::new();
    for a in e.attributes() {
        let a = a.map_err(|x| format!("bad attribute in <{tag}>: {x}"))?;
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| format!("bad attribute value in <{tag}>: {x}"))?;
        out.insert(a.key.as_ref().to_string(), v.into_owned());
    }
    Ok(out)
}

fn required(a: &BTreeMap<String, String>, key: &str, tag: &str) -> Result<String, String> {
    a.get(key).cloned().ok_or_else(|| format!("<{tag}> without the {key} attribute"))
}

fn gold_timex(e: &BytesStart<'_>, at: usize) -> Result<GoldTimex, String> {
    let a = attrs(e)?;
    Ok(GoldTimex {
        start: at,
        end: at,
        tid: required(&a, "tid", "TIMEX3")?,
        kind: required(&a, "type", "TIMEX3")?,
        value: a.get("value").cloned().unwrap_or_default(),
        modifier: a.get("mod").cloned(),
        attrs: a,
    })
}

fn gold_event(e: &BytesStart<'_>, at: usize) -> Result<GoldEvent, String> {
    let a = attrs(e)?;
    Ok(GoldEvent {
        start: at,
        end: at,
        eid: required(&a, "eid", "EVENT")?,
        class: a.get("class").cloned().unwrap_or_default(),
        attrs: a,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mod, TimexType};
    use std::sync::Arc;

    const DOC: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>demo-1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-05-14" functionInDocument="CREATION_TIME">May 14, 2001</TIMEX3></DCT>
<TEXT>
The ferry <EVENT eid="e1" class="OCCURRENCE">sailed</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2001-05-11">Friday</TIMEX3> &amp; docked
<TIMEX3 tid="t2" type="DURATION" value="P2D" mod="APPROX">about two days</TIMEX3> later.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
</TimeML>
"#;

    fn timex(start: usize, end: usize, value: &str, kind: TimexType) -> Timex {
        Timex {
            start,
            end,
            text: String::new(),
            kind,
            value: Value::parse(value).unwrap(),
            modifier: None,
            freq: None,
            quant: None,
            rule: Arc::from("test"),
            alternative_of: None,
        }
    }

    #[test]
    fn reads_text_dct_and_annotations() {
        let doc = read_timeml(DOC, "demo.tml").unwrap();
        assert_eq!(doc.id, "demo-1");
        assert_eq!(doc.dct_raw.as_deref(), Some("2001-05-14"));
        assert_eq!(doc.dct.unwrap().to_string(), "2001-05-14");
        assert_eq!(doc.text, "\nThe ferry sailed on Friday & docked\nabout two days later.\n");
        assert_eq!(doc.timexes.len(), 2);
        let t = &doc.timexes[0];
        assert_eq!(&doc.text[t.start..t.end], "Friday");
        assert_eq!((t.tid.as_str(), t.kind.as_str(), t.value.as_str()), ("t1", "DATE", "2001-05-11"));
        let t = &doc.timexes[1];
        assert_eq!(&doc.text[t.start..t.end], "about two days");
        assert_eq!(t.modifier.as_deref(), Some("APPROX"));
        assert_eq!(t.attrs["type"], "DURATION");
        let e = &doc.events[0];
        assert_eq!(&doc.text[e.start..e.end], "sailed");
        assert_eq!(e.class, "OCCURRENCE");
        assert_eq!(doc.instances[0].event_id, "e1");
        assert_eq!(doc.instances[0].tense.as_deref(), Some("PAST"));
        assert_eq!(doc.tlinks[0].source, "ei1");
        assert_eq!(doc.tlinks[0].target, "t1");
        assert_eq!(doc.tlinks[0].rel_type, "IS_INCLUDED");
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let bad = "<TimeML>\n<TEXT>\nOne <EVENT eid=\"e1\">two</TIMEX3>\n</TEXT></TimeML>";
        match read_timeml(bad, "bad.tml") {
            Err(Error::Format { file, line, .. }) => {
                assert_eq!(file, "bad.tml");
                assert_eq!(line, 3);
            }
            other => panic!("{other:?}"),
        }
        let unclosed = "<TimeML>\n<TEXT>\nhello\n";
        assert!(matches!(read_timeml(unclosed, "u.tml"), Err(Error::Format { line: 4, .. })));
        assert!(matches!(read_timeml("<TimeML><DOCID>x</DOCID></TimeML>", "n.tml"), Err(Error::Format { .. })));
        assert!(matches!(read_timeml("<TimeML><TEXT>a &nbsp; b</TEXT></TimeML>", "e.tml"), Err(Error::Format { .. })));
    }

    #[test]
    fn writes_tags_and_round_trips() {
        let doc = read_timeml(DOC, "demo.tml").unwrap();
        let fri = doc.text.find("Friday").unwrap();
        let two = doc.text.find("two days").unwrap();
        let mut d = timex(two, two + "two days".len(), "P2D", TimexType::Duration);
        d.modifier = Some(Mod::Approx);
        let out = write_timeml(DOC, &[timex(fri, fri + 6, "2001-05-11", TimexType::Date), d]).unwrap();
        assert!(out.contains(
            "on <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2001-05-11\">Friday</TIMEX3> &amp; docked\nabout <TIMEX3 tid=\"t2\" type=\"DURATION\" value=\"P2D\" mod=\"APPROX\">two days</TIMEX3> later."
        ), "{out}");
        // Outside TEXT nothing changed.
        let head = &DOC[..DOC.find("<TEXT>").unwrap()];
        let tail = &DOC[DOC.find("</TEXT>").unwrap()..];
        assert!(out.starts_with(head) && out.ends_with(tail));
        let again = read_timeml(&out, "out.tml").unwrap();
        assert_eq!(again.text, doc.text);
        let spans: Vec<&str> = again.timexes.iter().map(|t| &again.text[t.start..t.end]).collect();
        assert_eq!(spans, ["Friday", "two days"]);
    }

    #[test]
    fn writer_places_tags_outside_adjacent_elements_and_skips_dct_tid() {
        let xml = "<TimeML><DCT><TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2001-01-01\">x</TIMEX3></DCT>\
                   <TEXT>the <EVENT eid=\"e1\">war</EVENT> ended <SIGNAL sid=\"s1\">in</SIGNAL> 1945</TEXT></TimeML>";
        let doc = read_timeml(xml, "x").unwrap();
        assert_eq!(doc.text, "the war ended in 1945");
        // "war ended" starts at the EVENT start: the tag goes outside the EVENT.
        let out = write_timeml(xml, &[timex(4, 21, "1945", TimexType::Date)]).unwrap();
        assert!(out.contains("<TEXT>the <TIMEX3 tid=\"t2\" type=\"DATE\" value=\"1945\"><EVENT eid=\"e1\">war</EVENT> ended <SIGNAL sid=\"s1\">in</SIGNAL> 1945</TIMEX3></TEXT>"), "{out}");
        // Inside an element is fine too.
        let out = write_timeml(xml, &[timex(4, 7, "1945", TimexType::Date)]).unwrap();
        assert!(
            out.contains("<TIMEX3 tid=\"t2\" type=\"DATE\" value=\"1945\"><EVENT eid=\"e1\">war</EVENT></TIMEX3>"),
            "{out}"
        );
        // Crossing an element boundary is an error, not broken XML.
        assert!(matches!(write_timeml(xml, &[timex(5, 10, "1945", TimexType::Date)]), Err(Error::Format { .. })));
        // Out of range.
        assert!(write_timeml(xml, &[timex(5, 100, "1945", TimexType::Date)]).is_err());
    }

    #[test]
    fn writer_replaces_existing_timexes_and_drops_overlaps() {
        let doc = read_timeml(DOC, "demo.tml").unwrap();
        let fri = doc.text.find("Friday").unwrap();
        let out = write_timeml(
            DOC,
            &[timex(fri, fri + 6, "2001-05-11", TimexType::Date), timex(fri + 2, fri + 4, "2001", TimexType::Date)],
        )
        .unwrap();
        let again = read_timeml(&out, "o").unwrap();
        assert_eq!(again.timexes.len(), 1);
        assert!(!out.contains("about two days</TIMEX3>"));
        assert!(out.contains("<DCT><TIMEX3 tid=\"t0\""));
        // No expressions: the old tags are gone, the text is the same.
        let bare = write_timeml(DOC, &[]).unwrap();
        let r = read_timeml(&bare, "b").unwrap();
        assert!(r.timexes.is_empty());
        assert_eq!(r.text, doc.text);
        assert_eq!(r.events.len(), 1);
    }

    #[test]
    fn writer_escapes_and_keeps_entities() {
        let xml = "<TimeML><TEXT>Q&amp;A on 3 &lt;May&gt;</TEXT></TimeML>";
        let doc = read_timeml(xml, "x").unwrap();
        assert_eq!(doc.text, "Q&A on 3 <May>");
        let s = doc.text.find('3').unwrap();
        let out = write_timeml(xml, &[timex(s, doc.text.len(), "XXXX-05-03", TimexType::Date)]).unwrap();
        assert_eq!(
            out,
            "<TimeML><TEXT>Q&amp;A on <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"XXXX-05-03\">3 &lt;May&gt;</TIMEX3></TEXT></TimeML>"
        );
    }
}
