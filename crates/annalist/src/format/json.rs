//! The JSON shape of tagging results, shared by the CLI (`--to json`/`jsonl`), the
//! server and the bindings. Offsets are Unicode code points.

use serde::{Deserialize, Serialize};

use crate::Timex;
use crate::text::CharIndex;

/// One time expression as written in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimexRecord {
    /// Start offset in Unicode code points.
    pub start: usize,
    /// End offset (exclusive) in Unicode code points.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The TIMEX3 value.
    pub value: String,
    /// The TIMEX3 `mod`, when present.
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// TIMEX3 `freq` (SETs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freq: Option<String>,
    /// TIMEX3 `quant` (SETs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quant: Option<String>,
    /// `t1`, `t2`, … in text order.
    pub tid: String,
    /// The `tid` this expression is an alternative to ("the 22nd or 23rd").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_of: Option<String>,
}

/// One document's result: `{"id": …, "timexes": […]}`, or `{"id": …, "error": …}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocRecord {
    /// The document id (from the input record, or the file name).
    #[serde(default)]
    pub id: serde_json::Value,
    /// The time expressions, when tagging succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timexes: Option<Vec<TimexRecord>>,
    /// Why the record could not be processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Converts tagger output over `text` to JSON records with code point offsets.
pub fn timex_records(text: &str, timexes: &[Timex]) -> Vec<TimexRecord> {
    let ix = CharIndex::new(text);
    timexes
        .iter()
        .enumerate()
        .map(|(i, t)| TimexRecord {
            start: ix.char_offset(t.start),
            end: ix.char_offset(t.end),
            text: t.text.clone(),
            kind: t.kind.as_str().to_string(),
            value: t.value.to_string(),
            modifier: t.modifier.map(|m| m.as_str().to_string()),
            freq: t.freq.clone(),
            quant: t.quant.clone(),
            tid: format!("t{}", i + 1),
            alternative_of: t.alternative_of.map(|j| format!("t{}", j + 1)),
        })
        .collect()
}

/// Writes the compact JSON of the [`DocRecord`] `{"id": id, "timexes": timex_records(text,
/// timexes)}`, byte for byte as `serde_json::to_writer` writes it, without building the
/// records first (for large documents and batch output). No newline is added.
pub fn write_doc(
    out: &mut impl std::io::Write,
    id: &serde_json::Value,
    text: &str,
    timexes: &[Timex],
) -> serde_json::Result<()> {
    /// A [`TimexRecord`] that borrows from the tagger's output.
    #[derive(Serialize)]
    struct Borrowed<'a> {
        start: usize,
        end: usize,
        text: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        #[serde(serialize_with = "as_string")]
        value: &'a crate::Value,
        #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
        modifier: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        freq: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        quant: Option<&'a str>,
        #[serde(serialize_with = "tid")]
        tid: usize,
        #[serde(skip_serializing_if = "Option::is_none", serialize_with = "tid_of")]
        alternative_of: Option<usize>,
    }
    fn as_string<S: serde::Serializer>(v: &&crate::Value, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(*v)
    }
    fn tid<S: serde::Serializer>(i: &usize, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("t{}", i + 1))
    }
    fn tid_of<S: serde::Serializer>(i: &Option<usize>, s: S) -> Result<S::Ok, S::Error> {
        match i {
            Some(i) => tid(i, s),
            None => s.serialize_none(),
        }
    }
    let io = serde_json::Error::io;
    out.write_all(b"{\"id\":").map_err(io)?;
    serde_json::to_writer(&mut *out, id)?;
    out.write_all(b",\"timexes\":[").map_err(io)?;
    let ix = CharIndex::new(text);
    for (i, t) in timexes.iter().enumerate() {
        if i > 0 {
            out.write_all(b",").map_err(io)?;
        }
        let rec = Borrowed {
            start: ix.char_offset(t.start),
            end: ix.char_offset(t.end),
            text: &t.text,
            kind: t.kind.as_str(),
            value: &t.value,
            modifier: t.modifier.map(|m| m.as_str()),
            freq: t.freq.as_deref(),
            quant: t.quant.as_deref(),
            tid: i,
            alternative_of: t.alternative_of,
        };
        serde_json::to_writer(&mut *out, &rec)?;
    }
    out.write_all(b"]}").map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Context, Tagger};

    #[test]
    fn write_doc_is_the_records_json() {
        let tagger = Tagger::new();
        let text = "Née in Zürich on 3 May 1921 — \"early\" 1922, or the 4th or 5th; twice a week,\nevery Monday. About two years later\tit closed, in early 1925.";
        for ctx in [Context::narrative(), Context::with_dct("1998-02-13", crate::Domain::News).unwrap()] {
            let timexes = tagger.tag(text, &ctx);
            assert!(timexes.iter().any(|t| t.modifier.is_some()), "{timexes:?}");
            assert!(timexes.iter().any(|t| t.freq.is_some() || t.quant.is_some()), "{timexes:?}");
            for id in [serde_json::json!("a \"b\"\n"), serde_json::json!(7), serde_json::Value::Null] {
                let rec = DocRecord { id: id.clone(), timexes: Some(timex_records(text, &timexes)), error: None };
                let mut got = Vec::new();
                write_doc(&mut got, &id, text, &timexes).unwrap();
                assert_eq!(String::from_utf8(got).unwrap(), serde_json::to_string(&rec).unwrap());
            }
        }
        let mut got = Vec::new();
        write_doc(&mut got, &serde_json::json!("e"), "", &[]).unwrap();
        assert_eq!(String::from_utf8(got).unwrap(), r#"{"id":"e","timexes":[]}"#);
    }
}
