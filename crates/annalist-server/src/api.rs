//! `POST /v1/tag` and `POST /v1/timeline`.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::Ordering;

use annalist::format::json::{DocRecord, timex_records};
use annalist::{Context, Date, Domain, Tagger};
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ErrorKind};
use crate::limits::{PermitSlot, read_body};
use crate::metrics::Metrics;
use crate::pool::{Cancel, panic_message};
use crate::server::AppState;
use crate::timeline::TimelineError;

/// The body of `POST /v1/tag`: one document, or a batch under `documents`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a JSON object with \"text\" (one document) or \"documents\" (a batch)")]
struct TagBody {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    dct: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    documents: Option<Vec<serde_json::Value>>,
}

/// One document of a batch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a document object {\"text\", \"dct\"?, \"domain\"?, \"id\"?}")]
struct DocIn {
    text: String,
    #[serde(default)]
    dct: Option<String>,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

/// A validated document ready to tag.
struct Doc {
    id: serde_json::Value,
    text: String,
    ctx: Context,
}

/// Deserializes `T`, naming the field at fault (`documents[2].dct: …`).
/// The body must be a JSON object (serde would also read a struct from an array).
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        None => {
            return Err(ApiError::bad_request(
                "empty request body: expected a JSON object with \"text\" (one document) or \"documents\" (a batch)",
            ));
        }
        Some(_) => {
            if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
                return Err(ApiError::bad_request(format!("malformed JSON: {e}")));
            }
            return Err(ApiError::bad_request(
                "invalid request: expected a JSON object with \"text\" (one document) or \"documents\" (a batch)",
            ));
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::bad_request(format!("malformed JSON: {inner}"))
        } else if path == "." {
            ApiError::bad_request(format!("invalid request: {inner}"))
        } else {
            ApiError::bad_request(format!("{path}: {inner}"))
        }
    })?;
    de.end().map_err(|e| ApiError::bad_request(format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// Deserializes one batch member, prefixing errors with `documents[i]`.
fn parse_doc(i: usize, v: serde_json::Value) -> Result<DocIn, String> {
    if !v.is_object() {
        return Err(format!("documents[{i}]: expected a document object {{\"text\", \"dct\"?, \"domain\"?, \"id\"?}}"));
    }
    serde_path_to_error::deserialize::<_, DocIn>(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." { format!("documents[{i}]: {inner}") } else { format!("documents[{i}].{path}: {inner}") }
    })
}

/// Reads `dct` (strictly `YYYY-MM-DD`, a real calendar day) and `domain`.
pub(crate) fn context(dct: Option<&str>, domain: Option<&str>, prefix: &str) -> Result<Context, String> {
    let domain = match domain {
        None => Domain::Auto,
        Some(s) => Domain::parse(s).ok_or_else(|| {
            format!("{prefix}domain: unknown domain {s:?}: expected \"news\", \"narrative\" or \"auto\"")
        })?,
    };
    let dct = match dct {
        None => None,
        Some(s) => Some(
            parse_day(s)
                .ok_or_else(|| format!("{prefix}dct: invalid date {s:?}: expected a calendar day as YYYY-MM-DD"))?,
        ),
    };
    Ok(Context { dct, domain })
}

fn parse_day(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return None;
    }
    let y: i16 = s[0..4].parse().ok()?;
    let m: i8 = s[5..7].parse().ok()?;
    let d: i8 = s[8..10].parse().ok()?;
    if y == 0 {
        return None;
    }
    jiff::civil::Date::new(y, m, d).ok().map(Date::from_civil)
}

fn validate(d: DocIn, prefix: &str) -> Result<Doc, String> {
    let ctx = context(d.dct.as_deref(), d.domain.as_deref(), prefix)?;
    Ok(Doc { id: d.id.unwrap_or(serde_json::Value::Null), text: d.text, ctx })
}

fn tag_doc(tagger: &Tagger, metrics: &Metrics, doc: &Doc) -> DocRecord {
    let timexes = tagger.tag(&doc.text, &doc.ctx);
    let records = timex_records(&doc.text, &timexes);
    metrics.documents.fetch_add(1, Ordering::Relaxed);
    metrics.timexes.fetch_add(records.len() as u64, Ordering::Relaxed);
    DocRecord { id: doc.id.clone(), timexes: Some(records), error: None }
}

fn error_record(id: serde_json::Value, error: String) -> DocRecord {
    DocRecord { id, timexes: None, error: Some(error) }
}

fn json_response(body: Vec<u8>) -> Response {
    let mut resp = Bytes::from(body).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

fn permit(req: &Request) -> Option<tokio::sync::OwnedSemaphorePermit> {
    req.extensions().get::<PermitSlot>().and_then(|s| s.take())
}

/// `POST /v1/tag`.
pub(crate) async fn tag(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let permit = permit(&req);
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, st.config.body_limit).await?;
    let body: TagBody = parse_json(&bytes)?;
    drop(bytes);
    let tagger = st.tagger.clone();
    let metrics = st.metrics.clone();
    match body.documents {
        Some(docs) => {
            if body.text.is_some() || body.dct.is_some() || body.domain.is_some() || body.id.is_some() {
                return Err(ApiError::bad_request(
                    "documents: a batch takes its fields per document; do not also give text, dct, domain or id at the top level",
                ));
            }
            if docs.len() > st.config.max_batch {
                return Err(ApiError::new(
                    ErrorKind::TooLarge,
                    format!("documents: the batch has {} documents; the limit is {}", docs.len(), st.config.max_batch),
                ));
            }
            let out = st
                .pool
                .run(permit, move |cancel: &Cancel| {
                    let results: Vec<DocRecord> = docs
                        .into_par_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let id = v.get("id").cloned().unwrap_or(serde_json::Value::Null);
                            if cancel.is_cancelled() {
                                return error_record(id, "request cancelled".into());
                            }
                            let doc = match parse_doc(i, v).and_then(|d| validate(d, &format!("documents[{i}]."))) {
                                Ok(doc) => doc,
                                Err(e) => return error_record(id, e),
                            };
                            match std::panic::catch_unwind(AssertUnwindSafe(|| tag_doc(&tagger, &metrics, &doc))) {
                                Ok(rec) => rec,
                                Err(p) => {
                                    let msg = panic_message(&p);
                                    tracing::error!(panic = %msg, document = i, "tagger panicked");
                                    error_record(doc.id, format!("internal error while tagging: {msg}"))
                                }
                            }
                        })
                        .collect();
                    serde_json::to_vec(&serde_json::json!({ "results": results }))
                })
                .await?;
            let body = out.map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(json_response(body))
        }
        None => {
            let Some(text) = body.text else {
                return Err(ApiError::bad_request("text: missing field `text` (or give `documents` for a batch)"));
            };
            let doc = validate(DocIn { text, dct: body.dct, domain: body.domain, id: body.id }, "")
                .map_err(ApiError::bad_request)?;
            let out =
                st.pool.run(permit, move |_: &Cancel| serde_json::to_vec(&tag_doc(&tagger, &metrics, &doc))).await?;
            let body = out.map_err(|e| ApiError::internal(e.to_string()))?;
            Ok(json_response(body))
        }
    }
}

/// `POST /v1/timeline`.
pub(crate) async fn timeline(State(st): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let permit = permit(&req);
    let (parts, body) = req.into_parts();
    let bytes = read_body(&parts.headers, body, st.config.body_limit).await?;
    let body: TagBody = parse_json(&bytes)?;
    if body.documents.is_some() {
        return Err(ApiError::bad_request("documents: /v1/timeline takes one document; send batches one by one"));
    }
    let Some(text) = body.text else {
        return Err(ApiError::bad_request("text: missing field `text`"));
    };
    let doc =
        validate(DocIn { text, dct: body.dct, domain: body.domain, id: body.id }, "").map_err(ApiError::bad_request)?;
    let tagger = st.tagger.clone();
    let builder = st.timeline.clone();
    let out = st
        .pool
        .run(permit, move |_: &Cancel| {
            builder.build(&tagger, &doc.text, &doc.ctx).map(|t| serde_json::json!({ "id": doc.id, "timeline": t }))
        })
        .await?;
    match out {
        Ok(v) => Ok(json_response(v.to_string().into_bytes())),
        Err(TimelineError::NotImplemented(m)) => Err(ApiError::new(ErrorKind::NotImplemented, m)),
        Err(TimelineError::Failed(m)) => Err(ApiError::new(ErrorKind::Unprocessable, m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_strict() {
        assert_eq!(parse_day("1939-08-23").unwrap().to_string(), "1939-08-23");
        assert_eq!(parse_day("2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "1939-8-23",
            "19390823",
            "1939-08-23T10:00",
            "0000-01-01",
            "+939-08-23",
            "",
            "١٩٣٩-08-23",
        ] {
            assert!(parse_day(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn context_names_the_field() {
        let e = context(Some("2023-02-30"), None, "documents[3].").unwrap_err();
        assert!(e.starts_with("documents[3].dct: invalid date \"2023-02-30\""), "{e}");
        let e = context(None, Some("poetry"), "").unwrap_err();
        assert!(e.starts_with("domain: unknown domain \"poetry\""), "{e}");
        let c = context(Some("1998-01-08"), Some("news"), "").unwrap();
        assert_eq!(c.domain, Domain::News);
        assert_eq!(c.dct.unwrap().to_string(), "1998-01-08");
    }

    #[test]
    fn json_errors_name_the_field() {
        let e = parse_json::<TagBody>(br#"{"text": 5}"#).unwrap_err();
        assert!(e.message.starts_with("text: invalid type: integer `5`"), "{}", e.message);
        let e = parse_json::<TagBody>(br#"{"txt": "a"}"#).unwrap_err();
        assert!(e.message.contains("unknown field `txt`"), "{}", e.message);
        let e = parse_json::<TagBody>(br#"{"text": "a""#).unwrap_err();
        assert!(e.message.starts_with("malformed JSON"), "{}", e.message);
        let e = parse_json::<TagBody>(br#"[1]"#).unwrap_err();
        assert!(e.message.contains("\"text\" (one document)"), "{}", e.message);
        let e = parse_json::<TagBody>(br#"{"text": "a"} x"#).unwrap_err();
        assert!(e.message.starts_with("malformed JSON"), "{}", e.message);
        let e = parse_doc(2, serde_json::json!({"text": "a", "dct": 19980108})).unwrap_err();
        assert!(e.starts_with("documents[2].dct: invalid type: integer"), "{e}");
        let e = parse_doc(0, serde_json::json!("just text")).unwrap_err();
        assert!(e.starts_with("documents[0]: expected a document object"), "{e}");
        let e = parse_json::<TagBody>(b"").unwrap_err();
        assert!(e.message.starts_with("empty request body"), "{}", e.message);
        let e = parse_json::<TagBody>(b"[1").unwrap_err();
        assert!(e.message.starts_with("malformed JSON"), "{}", e.message);
    }
}
