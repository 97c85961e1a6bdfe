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
    use std::fmt::Write as _;
    let io = serde_json::Error::io;
    out.write_all(b"{\"id\":").map_err(io)?;
    serde_json::to_writer(&mut *out, id)?;
    out.write_all(b",\"timexes\":[").map_err(io)?;
    let ix = CharIndex::new(text);
    // The fields of a `TimexRecord`, in order. Type and mod names are plain ASCII words
    // (nothing to escape); the other strings go through serde_json's escaping.
    let mut value = String::new();
    let mut rec: Vec<u8> = Vec::with_capacity(256);
    for (i, t) in timexes.iter().enumerate() {
        rec.clear();
        if i > 0 {
            rec.push(b',');
        }
        // Plain appends: `write!` on a byte buffer goes through `fmt` (hundreds of
        // instructions a field); the bytes are the same.
        rec.extend_from_slice(b"{\"start\":");
        push_decimal(&mut rec, ix.char_offset(t.start));
        rec.extend_from_slice(b",\"end\":");
        push_decimal(&mut rec, ix.char_offset(t.end));
        rec.extend_from_slice(b",\"text\":");
        serde_json::to_writer(&mut rec, t.text.as_str())?;
        rec.extend_from_slice(b",\"type\":\"");
        rec.extend_from_slice(t.kind.as_str().as_bytes());
        rec.extend_from_slice(b"\",\"value\":");
        value.clear();
        write!(value, "{}", t.value).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))?;
        serde_json::to_writer(&mut rec, value.as_str())?;
        if let Some(m) = t.modifier {
            rec.extend_from_slice(b",\"mod\":\"");
            rec.extend_from_slice(m.as_str().as_bytes());
            rec.push(b'"');
        }
        if let Some(f) = &t.freq {
            rec.extend_from_slice(b",\"freq\":");
            serde_json::to_writer(&mut rec, f.as_str())?;
        }
        if let Some(q) = &t.quant {
            rec.extend_from_slice(b",\"quant\":");
            serde_json::to_writer(&mut rec, q.as_str())?;
        }
        rec.extend_from_slice(b",\"tid\":\"t");
        push_decimal(&mut rec, i + 1);
        rec.push(b'"');
        if let Some(j) = t.alternative_of {
            rec.extend_from_slice(b",\"alternative_of\":\"t");
            push_decimal(&mut rec, j + 1);
            rec.push(b'"');
        }
        rec.push(b'}');
        out.write_all(&rec).map_err(io)?;
    }
    out.write_all(b"]}").map_err(io)?;
    Ok(())
}

/// Appends `n` in decimal, as `{}` formats it.
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_as_fmt_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 12345, 1 << 40, usize::MAX - 1, usize::MAX] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
    use crate::{Context, Tagger};

    #[test]
    fn write_doc_is_the_records_json() {
        let tagger = Tagger::new();
        let text = "Née in Zürich on 3 May 1921 — \"early\" 1922, or on the 22nd or 23rd of May 1923; twice a week,\nevery Monday. About two years later\tit closed, in early 1925.";
        for ctx in [Context::narrative(), Context::with_dct("1998-02-13", crate::Domain::News).unwrap()] {
            let timexes = tagger.tag(text, &ctx);
            assert!(timexes.iter().any(|t| t.modifier.is_some()), "{timexes:?}");
            assert!(
                timexes.iter().any(|t| t.freq.is_some()) && timexes.iter().any(|t| t.quant.is_some()),
                "{timexes:?}"
            );
            assert!(timexes.iter().any(|t| t.alternative_of.is_some()), "{timexes:?}");
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
