//! End-to-end tests of the `annalist` binary: input modes, output shapes, bad input.
//! All texts are written for these tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

/// A scratch directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "annalist-cli-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }

    fn file(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let p = self.0.join(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p.display().to_string()
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn annalist(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json_lines(o: &Output) -> Vec<Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const STORY: &str = "The lighthouse keeper arrived on March 3, 1921. Two weeks later the lamp failed.";

#[test]
fn jsonl_keeps_order_reports_bad_records_in_place_and_fails_at_the_end() {
    let input = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        serde_json::json!({"id": "a", "text": STORY, "dct": "1921-03-20"}),
        "{not json",
        serde_json::json!({"id": 7, "text": "Nothing to see."}),
        serde_json::json!({"id": "d", "text": "x", "dct": "someday"}),
        serde_json::json!({"id": "e", "text": "x", "domain": "poetry"}),
    );
    let o = annalist(&["tag", "--from", "jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let recs = json_lines(&o);
    assert_eq!(recs.len(), 5);
    assert_eq!(recs[0]["id"], "a");
    assert!(recs[0]["timexes"].is_array());
    assert!(recs[0].get("error").is_none());
    assert!(recs[1]["id"].is_null());
    assert!(recs[1]["error"].as_str().unwrap().contains("<stdin>:2"));
    assert_eq!(recs[2]["id"], 7);
    assert!(recs[2]["timexes"].is_array());
    assert_eq!(recs[3]["id"], "d");
    assert!(recs[3]["error"].as_str().unwrap().contains("someday"));
    assert!(recs[4]["error"].as_str().unwrap().contains("poetry"));
    assert!(stderr(&o).contains("3 documents could not be tagged"));
}

#[test]
fn jsonl_many_lines_stay_in_order() {
    // More lines than one parallel chunk.
    let mut input = String::new();
    for i in 0..1500 {
        input.push_str(&serde_json::json!({"id": i, "text": format!("Entry {i} of the log.")}).to_string());
        input.push('\n');
    }
    let o = annalist(&["tag", "--from", "jsonl", "--to", "jsonl"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let recs = json_lines(&o);
    assert_eq!(recs.len(), 1500);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], i);
    }
}

#[test]
fn jsonl_without_id_uses_the_line_number_and_blank_lines_are_errors() {
    let input = format!("{}\n\n", serde_json::json!({"text": "no id here"}));
    let o = annalist(&["tag", "--from", "jsonl"], input.as_bytes());
    let recs = json_lines(&o);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0]["id"], 1);
    assert!(recs[1]["error"].as_str().unwrap().contains("empty line"));
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn invalid_utf8_names_file_and_offset_or_is_replaced_with_lossy() {
    let s = Scratch::new();
    let f = s.file("bad.txt", b"Caf\xe9 opened in 1931.\n");
    let o = annalist(&["tag", &f], b"");
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("bad.txt: invalid UTF-8 at byte offset 3"), "{err}");
    let rec: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(rec["error"].as_str().unwrap().contains("byte offset 3"));

    let o = annalist(&["tag", "--lossy", &f], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let rec: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rec["id"], "bad");
    assert!(rec["timexes"].is_array());

    // In jsonl, the offset is counted from the start of the file.
    let line1 = serde_json::json!({"id": "ok", "text": "fine"}).to_string();
    let mut data = line1.clone().into_bytes();
    data.push(b'\n');
    data.extend_from_slice(b"{\"id\": \"x\", \"text\": \"caf\xe9\"}\n");
    let f = s.file("bad.jsonl", &data);
    let o = annalist(&["tag", "--from", "jsonl", &f], b"");
    let recs = json_lines(&o);
    assert_eq!(recs.len(), 2);
    assert!(recs[0]["timexes"].is_array());
    let e = recs[1]["error"].as_str().unwrap();
    let at = line1.len() + 1 + "{\"id\": \"x\", \"text\": \"caf".len();
    assert!(e.contains("bad.jsonl:2") && e.contains(&format!("byte offset {at}")), "{e}");
    let o = annalist(&["tag", "--from", "jsonl", "--lossy", &f], b"");
    assert!(o.status.success());
    assert_eq!(json_lines(&o)[1]["id"], "x");
}

#[test]
fn empty_input_gives_no_expressions_and_success() {
    let s = Scratch::new();
    let f = s.file("empty.txt", b"");
    let o = annalist(&["tag", &f], b"");
    assert!(o.status.success());
    let rec: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rec["id"], "empty");
    assert_eq!(rec["timexes"], serde_json::json!([]));

    let o = annalist(&["tag", "--from", "jsonl"], b"");
    assert!(o.status.success());
    assert_eq!(stdout(&o), "");

    let o = annalist(&["tag", "--to", "text", "-"], b"");
    assert!(o.status.success());
    assert!(stdout(&o).contains("(no time expressions)"));
}

#[test]
fn binary_input_is_refused_clearly() {
    let s = Scratch::new();
    let f = s.file("image.bin", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0");
    let o = annalist(&["tag", &f], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("image.bin: binary data"), "{}", stderr(&o));
    // Even --lossy does not tag binary data.
    let o = annalist(&["tag", "--lossy", &f], b"");
    assert_eq!(o.status.code(), Some(1));

    let o = annalist(&["tag", "--from", "jsonl", &f], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("binary data, not JSON lines"), "{}", stderr(&o));
}

#[test]
fn a_long_single_line_works() {
    // 1 MB on one line with one date at its very end: found, so the whole line was read.
    let mut text = String::with_capacity(1 << 20);
    while text.len() < 1 << 20 {
        text.push_str("the keeper polished brass and wrote letters to his sister, ");
    }
    text.push_str("until 1931.");
    let o = annalist(&["tag", "-"], text.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let rec: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let last = rec["timexes"].as_array().unwrap().last().cloned().unwrap_or_default();
    assert_eq!(last["text"], "1931", "{last}");
    assert_eq!(last["end"], text.chars().count() - 1);

    let line = serde_json::json!({"id": "long", "text": text}).to_string();
    let o = annalist(&["tag", "--from", "jsonl"], line.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    let rec = &json_lines(&o)[0];
    assert_eq!(rec["id"], "long");
    assert_eq!(rec["timexes"].as_array().unwrap().last().unwrap()["value"], "1931");
}

#[test]
fn a_100_mb_line_works() {
    // The issue's bad-input list: one line of 100 MB, as text and as one JSON line, with
    // a date at its very end (so the whole line was read and tagged).
    let piece = "the keeper polished brass and wrote letters to his sister, ";
    let mut text = piece.repeat((100 << 20) / piece.len() + 1);
    text.push_str("until 1931.");
    assert!(text.len() > 100 << 20 && !text.contains('\n'));
    let s = Scratch::new();
    let f = s.file("long.txt", &text);
    let o = annalist(&["tag", "--to", "jsonl", &f], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let rec: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found = rec["timexes"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{rec}");
    assert_eq!(found[0]["value"], "1931");
    assert_eq!(found[0]["end"], text.len() - 1);

    let line = serde_json::json!({"id": "long", "text": text}).to_string();
    drop(text);
    let f = s.file("long.jsonl", &line);
    drop(line);
    let o = annalist(&["tag", "--from", "jsonl", &f], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let rec = &json_lines(&o)[0];
    assert_eq!(rec["id"], "long");
    assert_eq!(rec["timexes"][0]["value"], "1931");
}

#[test]
fn several_files_give_one_record_each_and_errors_do_not_stop_the_run() {
    let s = Scratch::new();
    let a = s.file("a.txt", STORY);
    let b = s.file("b.txt", "The harbour froze in 1947.");
    let missing = s.path().join("missing.txt").display().to_string();
    let o = annalist(&["tag", "--to", "jsonl", &a, &missing, &b], b"");
    assert_eq!(o.status.code(), Some(1));
    let recs = json_lines(&o);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0]["id"], "a");
    assert!(recs[1]["error"].as_str().unwrap().contains("missing.txt"));
    assert_eq!(recs[2]["id"], "b");
}

#[test]
fn json_output_of_jsonl_input_is_one_array_per_file() {
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "p", "text": STORY}),
        serde_json::json!({"id": "q", "text": "later"})
    );
    let o = annalist(&["tag", "--from", "jsonl", "--to", "json"], input.as_bytes());
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&Value> = v.as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert_eq!(ids, ["p", "q"]);
}

#[test]
fn text_listing_has_a_header_per_document() {
    let s = Scratch::new();
    let a = s.file("first.txt", STORY);
    let b = s.file("second.txt", "Nothing happened.");
    let o = annalist(&["tag", "--to", "text", &a, &b], b"");
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("== first =="), "{out}");
    assert!(out.contains("== second =="), "{out}");
}

const TML: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>keeper-1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1921-03-20" temporalFunction="false" functionInDocument="CREATION_TIME">March 20, 1921</TIMEX3></DCT>
<TEXT>
The keeper <EVENT eid="e1" class="OCCURRENCE">arrived</EVENT> on <TIMEX3 tid="t1" type="DATE" value="1921-03-03">March 3, 1921</TIMEX3>.
<TIMEX3 tid="t2" type="DURATION" value="P2W">Two weeks</TIMEX3> later the lamp &amp; the bell <EVENT eid="e2" class="OCCURRENCE">failed</EVENT> <TIMEX3 tid="t3" type="DATE" value="1921-03-17" functionInDocument="NONE">that Thursday</TIMEX3>.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
</TimeML>
"#;

#[test]
fn timeml_in_timeml_out_keeps_everything_but_text_timexes() {
    let s = Scratch::new();
    let f = s.file("keeper.tml", TML);
    let o = annalist(&["tag", "--from", "timeml", "--to", "timeml", &f], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let head = &TML[..TML.find("<TEXT>").unwrap()];
    let tail = &TML[TML.find("</TEXT>").unwrap()..];
    assert!(out.starts_with(head) && out.ends_with(tail), "{out}");
    assert!(out.contains("<EVENT eid=\"e1\" class=\"OCCURRENCE\">arrived</EVENT>"));
    assert!(out.contains("the lamp &amp; the bell"));
    // The gold tag is gone (the tagger's own tags carry no functionInDocument).
    assert!(!out.contains("functionInDocument=\"NONE\""), "{out}");
    // The output reads back as TimeML.
    let o = annalist(&["tag", "--from", "timeml", "-"], out.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn many_files_keep_input_order() {
    let s = Scratch::new();
    let names: Vec<String> = (0..40)
        .map(|i| s.file(&format!("d{i:02}.txt"), format!("Report {i}: the bridge opened in {}.", 1900 + i)))
        .collect();
    let mut args = vec!["tag", "--to", "jsonl"];
    args.extend(names.iter().map(String::as_str));
    let o = annalist(&args, b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let recs = json_lines(&o);
    assert_eq!(recs.len(), 40);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], format!("d{i:02}"));
        assert_eq!(r["timexes"][0]["value"], format!("{}", 1900 + i));
    }
}

#[test]
fn out_dir_writes_one_file_per_input() {
    let s = Scratch::new();
    let a = s.file("keeper.tml", TML);
    let b = s.file("other.tml", TML.replace("keeper-1", "keeper-2"));
    let dir = s.path().join("out");
    let d = dir.display().to_string();
    let o = annalist(&["tag", "--from", "timeml", "--to", "timeml", "--out-dir", &d, &a, &b], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    for name in ["keeper.tml", "other.tml"] {
        let out = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(out.contains("<TIMEX3"), "{out}");
        // Each file reads back as TimeML on its own.
        let back = annalist(&["tag", "--from", "timeml", "-"], out.as_bytes());
        assert!(back.status.success(), "{}", stderr(&back));
    }
    let o = annalist(&["tag", "--to", "json", "--out-dir", &d, &a], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("keeper.json")).unwrap()).unwrap();
    assert_eq!(v["id"], "keeper");
    // Two inputs that would overwrite each other are refused before anything is written.
    let c = s.file("sub/keeper.tml", TML);
    let o = annalist(&["tag", "--from", "timeml", "--to", "timeml", "--out-dir", &d, &a, &c], b"");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("both be written"), "{}", stderr(&o));
}

#[test]
fn text_to_timeml_is_well_formed_and_carries_the_dct() {
    let s = Scratch::new();
    let f = s.file("note.txt", "Fish & chips <cheap> on 4 July 1950.");
    let o = annalist(&["tag", "--to", "timeml", "--dct", "1950-07-05", &f], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("<DOCID>note</DOCID>"));
    assert!(out.contains("value=\"1950-07-05\""));
    assert!(out.contains("<TEXT>Fish &amp; chips &lt;cheap&gt; on "), "{out}");
    // It reads back: feed it to tag --from timeml.
    let o2 = annalist(&["tag", "--from", "timeml", "-"], out.as_bytes());
    assert!(o2.status.success(), "{}", stderr(&o2));
}

#[test]
fn bad_arguments_and_bad_timeml_are_clear_errors() {
    let o = annalist(&["tag", "--dct", "next tuesday", "-"], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("next tuesday"), "{}", stderr(&o));

    let o = annalist(&["tag", "--from", "jsonl", "--to", "timeml"], b"");
    assert_eq!(o.status.code(), Some(2));

    let s = Scratch::new();
    let f = s.file("broken.tml", "<TimeML>\n<TEXT>\nIt <EVENT eid=\"e1\">rained</TIMEX3>\n</TEXT>\n</TimeML>\n");
    let o = annalist(&["tag", "--from", "timeml", &f], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("broken.tml:3:"), "{}", stderr(&o));
}

#[test]
fn malformed_timeml_names_file_and_line_in_tag_and_timeline() {
    let s = Scratch::new();
    for (name, xml, line, what) in [
        ("truncated.tml", "<TimeML>\n<TEXT>\nIt rained on 3 May 1921.\n", 4, "end of file"),
        ("notext.tml", "<TimeML>\n<DOCID>x</DOCID>\n</TimeML>\n", 4, "no <TEXT>"),
        ("entity.tml", "<TimeML>\n<TEXT>\nA &bogus; entity in 1921.\n</TEXT>\n</TimeML>\n", 3, "&bogus;"),
        ("notid.tml", "<TimeML>\n<TEXT>\nIt <TIMEX3 type=\"DATE\">rained</TIMEX3>.\n</TEXT>\n</TimeML>\n", 3, "tid"),
        (
            "crossed.tml",
            "<TimeML>\n<TEXT>\n<EVENT eid=\"e1\">It <SIGNAL>\nrained</EVENT></SIGNAL>\n</TEXT>\n</TimeML>\n",
            4,
            "",
        ),
    ] {
        let f = s.file(name, xml);
        let want = format!("{name}:{line}: ");
        let o = annalist(&["tag", "--from", "timeml", &f], b"");
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = stderr(&o);
        assert!(err.contains(&want) && err.contains(what), "{name}: {err}");
        assert!(!err.contains("panicked") && !err.contains("internal error"), "{err}");
        let o = annalist(&["timeline", "--from", "timeml", "--to", "csv", &f], b"");
        assert_eq!(o.status.code(), Some(1), "{name}");
        assert!(stderr(&o).contains(&want), "{name}: {}", stderr(&o));
    }
    // A DCT out of range is ignored, not trusted: "the next day" stays unanchored.
    let f = s.file(
        "baddct.tml",
        "<TimeML>\n<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-13-45\">x</TIMEX3></DCT>\n<TEXT>\nthe next day\n</TEXT>\n</TimeML>\n",
    );
    let o = annalist(&["tag", "--from", "timeml", &f], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let rec: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rec["timexes"][0]["value"], "XXXX-XX-XX");
}

fn gold_dir(s: &Scratch) {
    s.file("gold/news/keeper.tml", TML);
    s.file(
        "gold/news/sub/harbour.tml",
        "<TimeML><DOCID>h</DOCID><DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1947-02-02\">x</TIMEX3></DCT>\
         <TEXT>The harbour froze <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1947-02-01\">yesterday</TIMEX3>.</TEXT></TimeML>",
    );
    s.file("gold/news/readme.txt", "not gold");
}

/// System output in `tag --to jsonl` shape. Offsets are code points.
fn record(id: &str, text: &str, exprs: &[(&str, &str, &str)]) -> String {
    let timexes: Vec<Value> = exprs
        .iter()
        .enumerate()
        .map(|(i, (words, kind, value))| {
            let b = text.find(words).unwrap();
            let start = text[..b].chars().count();
            serde_json::json!({"start": start, "end": start + words.chars().count(), "text": words,
                "type": kind, "value": value, "tid": format!("t{}", i + 1)})
        })
        .collect();
    serde_json::json!({"id": id, "timexes": timexes}).to_string()
}

#[test]
fn eval_scores_given_system_output() {
    let s = Scratch::new();
    gold_dir(&s);
    let keeper_text =
        "\nThe keeper arrived on March 3, 1921.\nTwo weeks later the lamp & the bell failed that Thursday.\n";
    let system = format!(
        "{}\n{}\n",
        record(
            "keeper",
            keeper_text,
            &[
                ("March 3, 1921", "DATE", "1921-03-03"), // strict, right
                ("weeks", "DATE", "P2W"),                // relaxed, right value, wrong type
                ("Thursday", "DATE", "1921-03-24"),      // relaxed, wrong value
                ("lamp", "DATE", "XXXX"),                // spurious
            ]
        ),
        record("harbour", "The harbour froze yesterday.", &[("yesterday", "DATE", "1947-02-01")]),
    );
    let sys = s.file("system.jsonl", system);
    let gold = s.path().join("gold/news").display().to_string();
    let o = annalist(&["eval", "--gold", &gold, "--format", "timeml", "--system", &sys, "--json", "--errors"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["documents"], 2);
    let c = &r["scores"]["counts"];
    assert_eq!((c["gold"].as_u64(), c["system"].as_u64()), (Some(4), Some(5)));
    assert_eq!((c["strict"].as_u64(), c["relaxed"].as_u64()), (Some(2), Some(4)));
    assert_eq!((c["value"].as_u64(), c["type"].as_u64()), (Some(3), Some(3)));
    assert_eq!(r["scores"]["type"]["f1"], r["scores"]["value"]["f1"]);
    let f1 = r["scores"]["relaxed"]["f1"].as_f64().unwrap();
    assert!((f1 - 2.0 * 0.8 * 1.0 / 1.8).abs() < 1e-9);
    let kinds: Vec<&str> = r["errors"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["span", "wrong_type", "spurious", "span", "wrong_value"]);

    // The text report lists the errors with context and the table.
    let o = annalist(&["eval", "--gold", &gold, "--system", &sys, "--errors"], b"");
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(out.contains("keeper\twrong_value\tgold: \"that Thursday\" DATE 1921-03-17"), "{out}");
    assert!(out.contains("[that Thursday]"), "{out}");
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("relaxed") && l.contains("0.8000") && l.contains("1.0000")),
        "{out}"
    );
}

#[test]
fn eval_perfect_output_scores_one_and_missing_output_warns() {
    let s = Scratch::new();
    gold_dir(&s);
    let sys =
        s.file("sys.jsonl", record("harbour", "The harbour froze yesterday.", &[("yesterday", "DATE", "1947-02-01")]));
    let gold = s.path().join("gold/news/sub/harbour.tml").display().to_string();
    let o = annalist(&["eval", "--gold", &gold, "--system", &sys, "--json"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for k in ["strict", "relaxed", "value", "type"] {
        assert_eq!(r["scores"][k]["f1"], 1.0, "{k}");
    }
    let gold = s.path().join("gold").display().to_string();
    let o = annalist(&["eval", "--gold", &gold, "--system", &sys], b"");
    assert!(o.status.success());
    assert!(stderr(&o).contains("no system output for 1 document(s)"), "{}", stderr(&o));
}

#[test]
fn eval_timex2_has_no_type_score() {
    let s = Scratch::new();
    let text = "\nThe siege began in the summer of 1683 and lasted two months.\n";
    s.file(
        "ww/siege.key.xml",
        "<DOC>\n<DOCID>siege</DOCID>\n<DATETIME> 2010-01-01 </DATETIME>\n<TEXT>\nThe siege began in <TIMEX2 val=\"1683-SU\">the summer of <TIMEX2 val=\"1683\">1683</TIMEX2></TIMEX2> and lasted <TIMEX2 val=\"P2M\">two months</TIMEX2>.\n</TEXT>\n</DOC>\n",
    );
    let sys = s.file(
        "sys.jsonl",
        record("siege", text, &[("summer of 1683", "DATE", "1683-SU"), ("two months", "DURATION", "P3M")]),
    );
    let gold = s.path().join("ww").display().to_string();
    let o = annalist(&["eval", "--gold", &gold, "--system", &sys, "--json"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(r["scores"]["type"].is_null());
    let c = &r["scores"]["counts"];
    assert_eq!(
        (c["gold"].as_u64(), c["relaxed"].as_u64(), c["strict"].as_u64(), c["value"].as_u64()),
        (Some(2), Some(2), Some(1), Some(1))
    );
}

#[test]
fn eval_runs_the_tagger_and_reports_bad_gold() {
    let s = Scratch::new();
    gold_dir(&s);
    s.file(
        "gold/news/broken.tml",
        "<TimeML>\n<TEXT>\nunclosed <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1990\">1990\n</TEXT></TimeML>",
    );
    let gold = s.path().join("gold").display().to_string();
    let o = annalist(&["eval", "--gold", &gold], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("broken.tml:4: malformed XML"), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 documents, 4 gold"), "{}", stdout(&o));

    let o = annalist(&["eval", "--gold", &s.path().join("nowhere").display().to_string()], b"");
    assert_eq!(o.status.code(), Some(2));
    let empty = s.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = annalist(&["eval", "--gold", &empty.display().to_string()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no gold files"));
}
