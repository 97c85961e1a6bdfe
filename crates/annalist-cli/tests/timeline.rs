//! End-to-end tests of `annalist timeline`: every output format, on narratives written
//! for these tests.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const STORY: &str = "The Harbour Bridge Project\n\n\
In March 1921, the city council approved a plan for a new bridge. The engineers surveyed \
the river in the summer of 1921. On 4 May 1922, workers laid the foundations. The council \
did not approve a second tunnel. On 12 June 1922, the mayor asked the builders to finish the \
towers. From August to October 1923, the crews raised the steel arch. On the morning of \
2 April 1924, the governor opened the bridge. In the evening, crowds walked across it.";

const ANCIENT: &str = "In 490 BC the Persian army landed at Marathon. In 480 BC, Xerxes crossed \
the Hellespont. The Athenians defeated the fleet at Salamis in September 480 BC.";

const ORDER: [&str; 7] = ["approved", "surveyed", "laid", "asked", "raised", "opened", "walked"];

fn scratch(name: &str, content: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "annalist-timeline-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A run that fails on its arguments exits without reading: a broken pipe here is fine.
    if let Err(e) = input.write_all(stdin.unwrap_or_default()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let o = run(args, None);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn story() -> String {
    scratch("bridge.txt", STORY).display().to_string()
}

#[test]
fn json_record() {
    let out = ok(&["timeline", &story()]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "annalist-timeline/1");
    assert_eq!(v["id"], "bridge");
    assert_eq!(v["domain"], "narrative");
    let triggers: Vec<&str> =
        v["timeline"].as_array().unwrap().iter().map(|e| e["trigger"].as_str().unwrap()).collect();
    assert_eq!(triggers, ORDER);
    let raised = v["timeline"].as_array().unwrap().iter().find(|e| e["trigger"] == "raised").unwrap();
    assert_eq!((raised["when"].as_str(), raised["until"].as_str()), (Some("1923-08"), Some("1923-10")));
    assert_eq!(raised["relation"], "from_to");
    assert!(raised["who"].as_array().unwrap().iter().any(|w| w == "the crews"));
    // Evidence offsets are code points into the text.
    let chars: Vec<char> = STORY.chars().collect();
    let ev = &raised["evidence"];
    let span: String =
        chars[ev["start"].as_u64().unwrap() as usize..ev["end"].as_u64().unwrap() as usize].iter().collect();
    assert_eq!(span, ev["text"].as_str().unwrap());
    // Events carry modality and anchors; the refused tunnel is there but did not happen.
    let approve = v["events"].as_array().unwrap().iter().find(|e| e["trigger"] == "approve").unwrap();
    assert_eq!((approve["occurred"].as_bool(), approve["polarity"].as_str()), (Some(false), Some("NEG")));
    let opened = v["events"].as_array().unwrap().iter().find(|e| e["trigger"] == "opened").unwrap();
    assert_eq!(opened["anchor"]["value"], "1924-04-02TMO");
    assert_eq!(opened["anchor"]["granularity"], "part_of_day");
    let tid = opened["anchor"]["tid"].as_str().unwrap();
    let timex = v["timexes"].as_array().unwrap().iter().find(|t| t["tid"] == tid).unwrap();
    assert_eq!(timex["text"], "the morning of 2 April 1924");
}

#[test]
fn jsonl_and_several_files() {
    let b = story();
    let a = scratch("ancient.txt", ANCIENT).display().to_string();
    let out = ok(&["timeline", &b, &a, "--to", "jsonl"]);
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["id"], "ancient");
    let json: Value = serde_json::from_str(&ok(&["timeline", &b, &a])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
}

#[test]
fn stdin_and_dct() {
    let o = run(&["timeline", "-", "--dct", "1998-02-10", "--to", "json"], Some(b"The company reported losses."));
    assert!(o.status.success());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["domain"], "news");
    assert_eq!(v["timeline"][0]["relation"], "before");
    assert_eq!(v["timeline"][0]["when"], "1998-02-10");
}

#[test]
fn csv_rows() {
    let out = ok(&["timeline", &story(), "--to", "csv"]);
    let mut lines = out.lines();
    assert_eq!(lines.next().unwrap(), "document,position,when,value,until,relation,what,class,who,anchored,evidence");
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), ORDER.len());
    assert!(rows[0].starts_with("bridge,1,March 1921,1921-03,,during,approved,"), "{}", rows[0]);
    // The evidence contains commas, so it is quoted.
    assert!(rows[0].ends_with("\"In March 1921, the city council approved a plan for a new bridge.\""), "{}", rows[0]);
}

#[test]
fn markdown_table() {
    let out = ok(&["timeline", &story(), "--to", "markdown"]);
    assert!(out.starts_with("## bridge\n\n| # | when | what | who | evidence |\n|---|---|---|---|---|\n"));
    assert!(out.contains("| 6 | 2 April 1924, morning | opened | the governor, the bridge |"), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| #")).count(), ORDER.len());
}

#[test]
fn timeml_loads_back() {
    let xml = ok(&["timeline", &story(), "--to", "timeml"]);
    let doc = annalist::format::timeml::read_timeml(&xml, "out.tml").expect("valid TimeML");
    assert_eq!(doc.text, STORY);
    assert!(doc.timexes.len() >= 7);
    assert!(doc.events.iter().any(|e| e.class == "OCCURRENCE" && &doc.text[e.start..e.end] == "raised"));
    assert_eq!(doc.instances.len(), doc.events.len());
    let opened = doc.events.iter().find(|e| &doc.text[e.start..e.end] == "opened").unwrap();
    let ei = doc.instances.iter().find(|m| m.event_id == opened.eid).unwrap();
    assert_eq!(ei.tense.as_deref(), Some("PAST"));
    let link = doc.tlinks.iter().find(|l| l.source == ei.eiid).expect("a TLINK for opened");
    assert_eq!(link.rel_type, "IS_INCLUDED");
    let t = doc.timexes.iter().find(|t| t.tid == link.target).unwrap();
    assert_eq!(t.value, "1924-04-02TMO");
    // With a DCT: the DCT is t0 and tense links point to it.
    let xml = ok(&["timeline", &story(), "--to", "timeml", "--dct", "1925-01-01", "--domain", "narrative"]);
    let doc = annalist::format::timeml::read_timeml(&xml, "out.tml").unwrap();
    assert_eq!(doc.dct_raw.as_deref().map(|s| s.contains("1925")), Some(true));
    assert!(doc.tlinks.iter().any(|l| l.target == "t0" && l.rel_type == "BEFORE"));
    // One document only.
    let o = run(&["timeline", &story(), &story(), "--to", "timeml"], None);
    assert!(!o.status.success());
}

#[test]
fn timelinejs_format() {
    let v: Value = serde_json::from_str(&ok(&["timeline", &story(), "--to", "timelinejs"])).unwrap();
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), ORDER.len());
    assert!(v["title"]["text"]["headline"].is_string());
    let raised = events.iter().find(|e| e["text"]["headline"].as_str().unwrap().starts_with("raised")).unwrap();
    assert_eq!(raised["start_date"]["year"], 1923);
    assert_eq!(raised["start_date"]["month"], 8);
    assert_eq!(raised["end_date"]["month"], 10);
    assert!(raised["start_date"].get("day").is_none());
    let opened = events.iter().find(|e| e["text"]["headline"].as_str().unwrap().starts_with("opened")).unwrap();
    assert_eq!((opened["start_date"]["day"].as_u64(), opened["start_date"]["hour"].as_u64()), (Some(2), Some(6)));
    assert!(opened["text"]["text"].as_str().unwrap().contains("governor opened the bridge"));
    assert_eq!(opened["group"], "the governor");
    // BC years are negative.
    let a = scratch("ancient.txt", ANCIENT).display().to_string();
    let v: Value = serde_json::from_str(&ok(&["timeline", &a, "--to", "timelinejs"])).unwrap();
    let years: Vec<i64> =
        v["events"].as_array().unwrap().iter().map(|e| e["start_date"]["year"].as_i64().unwrap()).collect();
    assert_eq!(years, [-490, -480, -480]);
    assert_eq!(v["events"][0]["display_date"], "490 BC");
}

#[test]
fn html_page() {
    let html = ok(&["timeline", &story(), "--to", "html", "--title", "Bridge <1921>"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>Bridge &lt;1921&gt; — timeline</title>"));
    assert!(!html.contains("http://") && !html.contains("https://"), "no network references");
    assert!(!html.contains("<script src") && !html.contains("<link"));
    let start = html.find("id=\"timeline-data\">").unwrap() + "id=\"timeline-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    let data: Value = serde_json::from_str(&html[start..end].replace("<\\/", "</")).unwrap();
    let items = data["docs"][0]["items"].as_array().unwrap();
    assert_eq!(items.len(), ORDER.len());
    assert_eq!(items[0]["when"], "March 1921");
    assert!(data["docs"][0]["unrealised"].as_array().unwrap().iter().any(|i| i["what"] == "finish"));
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let o = run(&["timeline", "/no/such/file.txt"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read"));
    let bin = scratch("bin.dat", "ab\0cd").display().to_string();
    let o = run(&["timeline", &bin], None);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&["timeline", "-", "--dct", "yesterday"], Some(b"text"));
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["timeline", "-", "--to", "csv"], Some(b""));
    assert!(o.status.success());
}
