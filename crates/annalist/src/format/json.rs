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
