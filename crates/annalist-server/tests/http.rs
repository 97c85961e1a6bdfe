//! End-to-end HTTP tests: routes, shapes, every limit, and shutdown.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use annalist::{Context, Tagger};
use annalist_server::{Config, TimelineBuilder, TimelineError};
use common::*;
use serde_json::json;

fn config() -> Config {
    Config { workers: 2, ..Config::default() }
}

/// A timeline builder that takes `ms` milliseconds and counts its runs.
fn slow_timeline(ms: u64, runs: Arc<AtomicUsize>) -> Arc<dyn TimelineBuilder> {
    Arc::new(move |_: &Tagger, text: &str, _: &Context| {
        std::thread::sleep(Duration::from_millis(ms));
        runs.fetch_add(1, Ordering::SeqCst);
        Ok(json!({ "chars": text.chars().count() }))
    })
}

#[tokio::test]
async fn healthz_and_page() {
    let s = TestServer::start(config()).await;
    let r = get(s.addr, "/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    let r = get(s.addr, "/").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = r.text();
    assert!(html.contains("/assets/app.js") && html.contains("id=\"timeline\""));
    // Assets are embedded and served without any external host.
    assert!(!html.contains("http://") && !html.contains("https://"));
    let js = get(s.addr, "/assets/app.js").await;
    assert_eq!(js.status, 200);
    assert!(js.text().contains("/v1/tag"));
    assert_eq!(get(s.addr, "/assets/app.css").await.status, 200);
    assert!(r.header("x-request-id").is_some());
}

#[tokio::test]
async fn openapi_covers_every_route() {
    let s = TestServer::start(config()).await;
    let r = get(s.addr, "/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let routes = [
        ("post", "/v1/tag"),
        ("post", "/v1/timeline"),
        ("post", "/parse"),
        ("get", "/healthz"),
        ("get", "/metrics"),
        ("get", "/openapi.json"),
        ("get", "/"),
        ("get", "/assets/app.js"),
        ("get", "/assets/app.css"),
    ];
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), routes.len(), "documented paths: {:?}", paths.keys());
    for (method, path) in routes {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} undocumented");
        // …and the route exists (anything but 404).
        let r = request(s.addr, &method.to_uppercase(), path, "application/json", b"{}").await;
        assert_ne!(r.status, 404, "{method} {path}");
    }
}

#[tokio::test]
async fn tag_one_document_has_the_cli_shape() {
    let s = TestServer::start(config()).await;
    let r = post_json(
        s.addr,
        "/v1/tag",
        &json!({"id": "doc-1", "text": "The treaty was signed on 23 August 1939.", "dct": "1939-08-24", "domain": "news"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    let v = r.json();
    assert_eq!(v["id"], "doc-1");
    let timexes = v["timexes"].as_array().expect("timexes array");
    for t in timexes {
        for key in ["start", "end", "text", "type", "value", "tid"] {
            assert!(!t[key].is_null(), "{key} missing in {t}");
        }
    }
    assert!(v.get("error").is_none());
    // Without an id the answer says null.
    let r = post_json(s.addr, "/v1/tag", &json!({"text": ""})).await;
    assert_eq!(r.json(), json!({"id": null, "timexes": []}));
}

#[tokio::test]
async fn batch_results_keep_input_order() {
    let s = TestServer::start(config()).await;
    let mut docs = Vec::new();
    for i in 0..40 {
        let text = format!("Document {i}. ").repeat(i % 7 + 1);
        docs.push(match i {
            3 => json!({"id": i, "text": text, "dct": "1999-02-30"}),
            7 => json!({"id": i, "text": 42}),
            11 => json!({"id": i, "text": text, "domain": "poetry"}),
            13 => json!("not an object"),
            17 => json!({"id": i, "txt": text}),
            _ => json!({"id": i, "text": text, "dct": "1999-01-01", "domain": "news"}),
        });
    }
    let r = post_json(s.addr, "/v1/tag", &json!({ "documents": docs })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let results = r.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 40);
    for (i, res) in results.iter().enumerate() {
        let err = res["error"].as_str();
        match i {
            3 => assert!(err.unwrap().starts_with("documents[3].dct: invalid date \"1999-02-30\""), "{res}"),
            7 => assert!(err.unwrap().starts_with("documents[7].text: invalid type: integer `42`"), "{res}"),
            11 => assert!(err.unwrap().starts_with("documents[11].domain: unknown domain"), "{res}"),
            13 => assert!(err.unwrap().starts_with("documents[13]: expected a document object"), "{res}"),
            17 => assert!(err.unwrap().contains("unknown field `txt`"), "{res}"),
            _ => {
                assert!(err.is_none(), "{res}");
                assert!(res["timexes"].is_array());
            }
        }
        if i != 13 {
            assert_eq!(res["id"], json!(i), "result {i} out of order");
        }
    }
    let r = post_json(s.addr, "/v1/tag", &json!({ "documents": [] })).await;
    assert_eq!(r.json(), json!({"results": []}));
}

#[tokio::test]
async fn bad_input_is_400_naming_the_field() {
    let s = TestServer::start(config()).await;
    let cases: &[(&[u8], &str)] = &[
        (b"{\"text\": \"a\"", "malformed JSON"),
        (b"not json", "malformed JSON"),
        (b"", "empty request body"),
        (b"[\"text\"]", "invalid request: expected a JSON object"),
        (b"{\"text\": 5}", "text: invalid type: integer `5`, expected a string"),
        (b"{\"text\": \"a\", \"dct\": 19980108}", "dct: invalid type: integer"),
        (b"{\"text\": \"a\", \"dct\": \"1998-13-01\"}", "dct: invalid date \"1998-13-01\""),
        (b"{\"text\": \"a\", \"dct\": \"yesterday\"}", "dct: invalid date \"yesterday\""),
        (b"{\"text\": \"a\", \"domain\": \"poetry\"}", "domain: unknown domain \"poetry\""),
        (b"{\"text\": \"a\", \"domain\": [1]}", "domain: invalid type: sequence"),
        (b"{\"text\": \"a\", \"dtc\": \"1998-01-01\"}", "dtc: unknown field `dtc`, expected one of `text`, `dct`"),
        (b"{\"dct\": \"1998-01-01\"}", "text: missing field `text`"),
        (b"{\"documents\": {}}", "documents: invalid type: map"),
        (b"{\"documents\": [], \"text\": \"a\"}", "documents: a batch takes its fields per document"),
    ];
    for (body, want) in cases {
        let r = request(s.addr, "POST", "/v1/tag", "application/json", body).await;
        assert_eq!(r.status, 400, "{:?} → {}", String::from_utf8_lossy(body), r.text());
        assert!(r.error().starts_with(want), "{:?}: got {:?}, want {want:?}", String::from_utf8_lossy(body), r.error());
    }
    // Not valid UTF-8 inside a JSON string.
    let r = request(s.addr, "POST", "/v1/tag", "application/json", b"{\"text\": \"\xff\xfe\"}").await;
    assert_eq!(r.status, 400);
    assert!(r.error().starts_with("malformed JSON"), "{}", r.error());
    let r = get(s.addr, "/nowhere").await;
    assert_eq!(r.status, 404);
    assert!(r.error().contains("/nowhere"));
    let r = get(s.addr, "/v1/tag").await;
    assert_eq!(r.status, 405);
    assert!(r.error().contains("GET is not allowed on /v1/tag"), "{}", r.error());
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let s = TestServer::start(Config { body_limit: 1024, ..config() }).await;
    let big = json!({ "text": "x".repeat(2000) });
    let r = post_json(s.addr, "/v1/tag", &big).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.error(), "request body is larger than the 1024 byte limit");
    // Chunked, with no Content-Length to check up front.
    let chunk = "y".repeat(800);
    let req = format!(
        "POST /v1/tag HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len(),
        chunk.len()
    );
    let r = raw(s.addr, req.as_bytes()).await;
    assert_eq!(r.status, 413);
    assert!(r.error().contains("1024 byte limit"));
    // Within the limit is fine, and so is /parse's form over it refused the same way.
    assert_eq!(post_json(s.addr, "/v1/tag", &json!({"text": "short"})).await.status, 200);
    let r = post_form(s.addr, "/parse", &[("text", &"z".repeat(2000))]).await;
    assert_eq!(r.status, 413);
    // Too many documents in a batch.
    let s2 = TestServer::start(Config { max_batch: 3, ..config() }).await;
    let docs: Vec<_> = (0..4).map(|i| json!({"text": format!("d{i}")})).collect();
    let r = post_json(s2.addr, "/v1/tag", &json!({ "documents": docs })).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.error(), "documents: the batch has 4 documents; the limit is 3");
}

#[tokio::test]
async fn saturated_server_answers_503_and_still_reports_health() {
    let runs = Arc::new(AtomicUsize::new(0));
    let s = TestServer::start_with(
        Config { max_concurrency: 2, workers: 4, ..config() },
        Some(slow_timeline(2000, runs.clone())),
    )
    .await;
    let addr = s.addr;
    let slow: Vec<_> = (0..2)
        .map(|_| tokio::spawn(async move { post_json(addr, "/v1/timeline", &json!({"text": "slow"})).await }))
        .collect();
    // Wait (on a loaded machine, a while) until both slow requests hold their slots.
    let deadline = Instant::now() + Duration::from_millis(1500);
    let r = loop {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let r = post_json(addr, "/v1/tag", &json!({"text": "one more"})).await;
        if r.status != 200 || Instant::now() > deadline {
            break r;
        }
    };
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    assert!(r.error().starts_with("server is saturated: all 2 request slots are busy"), "{}", r.error());
    // Health and metrics are not behind the gate.
    assert_eq!(get(addr, "/healthz").await.status, 200);
    let m = get(addr, "/metrics").await.text();
    assert!(m.contains("annalist_http_errors_total{route=\"/v1/tag\",kind=\"saturated\"} 1"), "{m}");
    for h in slow {
        let r = h.await.unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["timeline"], json!({"chars": 4}));
    }
    // Slots are free again.
    assert_eq!(post_json(addr, "/v1/tag", &json!({"text": "now"})).await.status, 200);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn slow_requests_time_out_with_504() {
    let runs = Arc::new(AtomicUsize::new(0));
    let s = TestServer::start_with(
        Config { request_timeout: Duration::from_millis(300), max_concurrency: 1, ..config() },
        Some(slow_timeline(1200, runs.clone())),
    )
    .await;
    let t0 = Instant::now();
    let r = post_json(s.addr, "/v1/timeline", &json!({"text": "slow"})).await;
    let took = t0.elapsed();
    assert_eq!(r.status, 504, "{}", r.text());
    assert_eq!(r.error(), "request took longer than the 300 ms time limit");
    assert!(took < Duration::from_millis(1000), "answered after {took:?}");
    // The abandoned job still holds the only slot until it ends…
    let r = post_json(s.addr, "/v1/tag", &json!({"text": "x"})).await;
    assert_eq!(r.status, 503, "{}", r.text());
    // …and frees it after (the job sleeps 1.2 s; allow a loaded machine some slack).
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = post_json(s.addr, "/v1/tag", &json!({"text": "x"})).await.status;
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(Instant::now() < deadline, "the slot was never freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // A client that never finishes its body is cut off too.
    let mut c = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    use tokio::io::AsyncWriteExt;
    c.write_all(
        b"POST /v1/tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"text\":",
    )
    .await
    .unwrap();
    let t0 = Instant::now();
    let r = read_response(&mut c).await;
    assert_eq!(r.status, 504);
    assert!(t0.elapsed() < Duration::from_secs(2));
    let m = get(s.addr, "/metrics").await.text();
    assert!(m.contains("annalist_http_errors_total{route=\"/v1/timeline\",kind=\"timeout\"} 1"), "{m}");
}

#[tokio::test]
async fn timelines_are_built_and_failures_are_422() {
    let s = TestServer::start(config()).await;
    let r = post_json(
        s.addr,
        "/v1/timeline",
        &json!({"id": "cable", "text": "In 1858 engineers laid a cable. The next year it failed."}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.text();
    assert!(body.contains("\"timeline\"") && body.contains("1858"), "{body}");
    // Input is still checked first.
    let r = post_json(s.addr, "/v1/timeline", &json!({"text": "a", "dct": "1858-02-30"})).await;
    assert_eq!(r.status, 400);
    let failing: Arc<dyn TimelineBuilder> =
        Arc::new(|_: &Tagger, _: &str, _: &Context| Err(TimelineError::Failed("no anchor for the story".into())));
    let s = TestServer::start_with(config(), Some(failing)).await;
    let r = post_json(s.addr, "/v1/timeline", &json!({"id": 9, "text": "a"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error(), "no anchor for the story");
}

#[tokio::test]
async fn a_panicking_job_is_a_500_and_the_server_lives_on() {
    let boom: Arc<dyn TimelineBuilder> =
        Arc::new(|_: &Tagger, _: &str, _: &Context| -> Result<serde_json::Value, TimelineError> { panic!("boom") });
    let s = TestServer::start_with(config(), Some(boom)).await;
    for _ in 0..3 {
        let r = post_json(s.addr, "/v1/timeline", &json!({"text": "a"})).await;
        assert_eq!(r.status, 500);
        assert_eq!(r.error(), "internal error while tagging: boom");
    }
    assert_eq!(post_json(s.addr, "/v1/tag", &json!({"text": "a"})).await.status, 200);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let s = TestServer::start(config()).await;
    for _ in 0..3 {
        post_json(s.addr, "/v1/tag", &json!({"text": "a"})).await;
    }
    request(s.addr, "POST", "/v1/tag", "application/json", b"{").await;
    let r = get(s.addr, "/metrics").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    let m = r.text();
    for line in [
        "annalist_http_requests_total{route=\"/v1/tag\",method=\"POST\",status=\"200\"} 3",
        "annalist_http_requests_total{route=\"/v1/tag\",method=\"POST\",status=\"400\"} 1",
        "annalist_http_errors_total{route=\"/v1/tag\",kind=\"bad_request\"} 1",
        "annalist_http_request_duration_seconds_count{route=\"/v1/tag\"} 4",
        "annalist_http_request_duration_seconds_bucket{route=\"/v1/tag\",le=\"+Inf\"} 4",
        "annalist_documents_tagged_total 3",
        "# TYPE annalist_http_request_duration_seconds histogram",
    ] {
        assert!(m.contains(line), "missing {line:?} in\n{m}");
    }
}

#[tokio::test]
async fn parse_checks_its_form_fields() {
    let s = TestServer::start(config()).await;
    let r = post_form(s.addr, "/parse", &[("locale", "en_GB")]).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.error(), "text: need a 'text' parameter to parse");
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("text", "a"), ("tz", "Mars/Olympus")], "tz: unknown time zone \"Mars/Olympus\""),
        (&[("text", "a"), ("reftime", "yesterday")], "reftime: expected milliseconds"),
        (&[("text", "a"), ("reftime", "99999999999999999999")], "reftime: expected milliseconds"),
        (&[("text", "a"), ("dims", "time")], "dims: expected a JSON array"),
        (&[("text", "a"), ("locale", "fr_FR")], "locale: annalist reads English only"),
    ];
    for (fields, want) in cases {
        let r = post_form(s.addr, "/parse", fields).await;
        assert_eq!(r.status, 400, "{fields:?}: {}", r.text());
        assert!(r.error().starts_with(want), "{fields:?}: {}", r.error());
    }
    let r = post_form(
        s.addr,
        "/parse",
        &[
            ("text", "nothing to see"),
            ("locale", "en_US"),
            ("reftime", "1360650600000"),
            ("tz", "UTC"),
            ("dims", "[\"time\",\"numeral\"]"),
        ],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json().is_array());
}

#[tokio::test]
async fn garbage_never_breaks_the_server() {
    let s = TestServer::start(config()).await;
    // A small deterministic generator: bytes, JSON-ish fragments and form-ish noise.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let pieces: [&[u8]; 12] = [
        b"{",
        b"}",
        b"[",
        b"]",
        b"\"text\"",
        b":",
        b",",
        b"\"documents\"",
        b"\"dct\"",
        b"null",
        b"\xe2\x82",
        b"&text=%ZZ",
    ];
    for i in 0..150 {
        let mut body = Vec::new();
        for _ in 0..(next() % 12) {
            if next() % 3 == 0 {
                body.push((next() % 256) as u8);
            } else {
                body.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
            }
        }
        let path = ["/v1/tag", "/v1/timeline", "/parse"][i % 3];
        let r = request(s.addr, "POST", path, "application/json", &body).await;
        assert!(r.status < 500 || r.status == 501, "{path} {body:?} → {} {}", r.status, r.text());
        assert!(r.json()["error"].is_string() || r.status == 200, "{}", r.text());
    }
    // Broken HTTP is refused by hyper without hurting anyone.
    let r = raw(s.addr, b"BLAH\r\n\r\n").await;
    assert_eq!(r.status, 400);
    assert_eq!(get(s.addr, "/healthz").await.status, 200);
}

#[tokio::test]
async fn shutdown_finishes_in_flight_requests() {
    let runs = Arc::new(AtomicUsize::new(0));
    let mut s = TestServer::start_with(config(), Some(slow_timeline(600, runs.clone()))).await;
    let addr = s.addr;
    let in_flight = tokio::spawn(async move { post_json(addr, "/v1/timeline", &json!({"text": "finish me"})).await });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let t0 = Instant::now();
    s.stop();
    let r = in_flight.await.unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["timeline"], json!({"chars": 9}));
    tokio::time::timeout(Duration::from_secs(5), &mut s.handle)
        .await
        .expect("server stops after its last request")
        .unwrap()
        .unwrap();
    assert!(t0.elapsed() >= Duration::from_millis(300), "did not wait for the request");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "still accepting after shutdown");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn shutdown_gives_up_after_the_grace_period() {
    let mut s = TestServer::start_with(
        Config { shutdown_grace: Duration::from_millis(300), request_timeout: Duration::from_secs(30), ..config() },
        Some(slow_timeline(3000, Arc::new(AtomicUsize::new(0)))),
    )
    .await;
    let addr = s.addr;
    let _stuck = tokio::spawn(async move { post_json(addr, "/v1/timeline", &json!({"text": "x"})).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t0 = Instant::now();
    s.stop();
    tokio::time::timeout(Duration::from_secs(2), &mut s.handle)
        .await
        .expect("shutdown bounded by the grace period")
        .unwrap()
        .unwrap();
    assert!(t0.elapsed() < Duration::from_millis(1500));
}
