//! `POST /parse` against Duckling's documented examples, through the real tagger.
//!
//! Duckling's README documents: "today at 9am" → `{"values":[{"value":
//! "2016-12-14T09:00:00.000-08:00","grain":"hour","type":"value"}],"value":
//! "2016-12-14T09:00:00.000-08:00","grain":"hour","type":"value"}`; "3 mins" →
//! `{"value":3,"minute":3,"unit":"minute","normalized":{"value":180,"unit":"second"}}`;
//! the request `curl -XPOST http://0.0.0.0:8000/parse --data 'locale=en_GB&text=tomorrow at eight'`;
//! and its corpus reference time, Tuesday Feb 12, 2013 at 4:30am (UTC-2).

mod common;

use annalist_server::Config;
use common::*;
use serde_json::json;

/// 2013-02-12T04:30:00-02:00, Duckling's corpus reference time, in ms.
const CORPUS_REFTIME: &str = "1360650600000";

fn config() -> Config {
    Config { workers: 2, ..Config::default() }
}

#[tokio::test]
async fn readme_today_at_9am() {
    let s = TestServer::start(config()).await;
    // 2016-12-14 06:10 in Los Angeles (14:10 UTC).
    let r = post_form(
        s.addr,
        "/parse",
        &[("text", "today at 9am"), ("locale", "en_US"), ("reftime", "1481724600000"), ("tz", "America/Los_Angeles")],
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.json(),
        json!([{
            "body": "today at 9am", "start": 0, "end": 12, "dim": "time", "latent": false,
            "value": {
                "values": [{"value": "2016-12-14T09:00:00.000-08:00", "grain": "hour", "type": "value"}],
                "value": "2016-12-14T09:00:00.000-08:00", "grain": "hour", "type": "value"
            }
        }])
    );
}

#[tokio::test]
async fn readme_three_minutes() {
    let s = TestServer::start(config()).await;
    let r = post_form(s.addr, "/parse", &[("text", "3 mins"), ("reftime", CORPUS_REFTIME), ("dims", "[\"duration\"]")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!((v[0]["body"].as_str(), v[0]["dim"].as_str()), (Some("3 mins"), Some("duration")));
    // Duckling's documented value, plus the "type" its encoder adds.
    assert_eq!(
        v[0]["value"],
        json!({"value": 3, "minute": 3, "unit": "minute", "normalized": {"value": 180, "unit": "second"}, "type": "value"})
    );
    // Asking for time only leaves the duration out.
    let r =
        post_form(s.addr, "/parse", &[("text", "3 mins"), ("reftime", CORPUS_REFTIME), ("dims", "[\"time\"]")]).await;
    assert_eq!(r.json(), json!([]));
}

#[tokio::test]
async fn readme_curl_request_tomorrow() {
    let s = TestServer::start(config()).await;
    // The README's request, with the corpus reference time and offset.
    let r = request(
        s.addr,
        "POST",
        "/parse",
        "application/x-www-form-urlencoded",
        format!("locale=en_GB&text=tomorrow at eight&reftime={CORPUS_REFTIME}&tz=America/Sao_Paulo").as_bytes(),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let tomorrow = v.as_array().unwrap().iter().find(|e| e["body"] == "tomorrow").expect("tomorrow");
    assert_eq!((tomorrow["start"].as_u64(), tomorrow["end"].as_u64()), (Some(0), Some(8)));
    assert_eq!(tomorrow["value"]["value"], "2013-02-13T00:00:00.000-02:00");
    assert_eq!(tomorrow["value"]["grain"], "day");
    assert_eq!(tomorrow["value"]["type"], "value");
}

#[tokio::test]
async fn now_is_the_reference_time() {
    let s = TestServer::start(config()).await;
    let r =
        post_form(s.addr, "/parse", &[("text", "right now"), ("reftime", CORPUS_REFTIME), ("tz", "America/Sao_Paulo")])
            .await;
    let v = r.json();
    let now = v.as_array().unwrap().iter().find(|e| e["body"].as_str().unwrap().contains("now")).expect("now");
    assert_eq!(now["value"]["value"], "2013-02-12T04:30:00.000-02:00");
    assert_eq!(now["value"]["grain"], "second");
}

#[tokio::test]
async fn tag_finds_dates_with_code_point_offsets() {
    let s = TestServer::start(config()).await;
    let text = "Brunel’s bridge opened on May 2, 1859.";
    let r = post_json(s.addr, "/v1/tag", &json!({"id": 1, "text": text, "domain": "narrative"})).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let t = &v["timexes"][0];
    assert_eq!(t["value"], "1859-05-02");
    assert_eq!(t["type"], "DATE");
    let start = t["start"].as_u64().unwrap() as usize;
    let end = t["end"].as_u64().unwrap() as usize;
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[start..end].iter().collect::<String>(), t["text"].as_str().unwrap());
}
