"""examples/spark_tag.py in Spark local mode: every input document yields its rows,
in the time expression dataset and (with --timeline) the event dataset.

Needs pyspark (and pyarrow) and Java 17; skipped otherwise. Takes ~30 s on 2 cores,
most of it the JVM starting.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import annalist  # noqa: E402

pytestmark = pytest.mark.spark

SCRIPT = Path(__file__).resolve().parents[3] / "examples" / "spark_tag.py"
# Smaller start-up and fewer tasks for a tiny local job.
FAST = ["--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
PLACES = ["Zürich", "Kraków", "São Paulo", "Malmö", "Reykjavík", "Łódź", "東京", "Αθήνα"]


def make_docs(n):
    """Our own short news and history snippets, many with non-ASCII text."""
    docs = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        day, month, year = i % 28 + 1, MONTHS[i % 12], 1850 + i % 150
        text = (
            f"{place} — on {day} {month} {year} the council of {place} met. "
            f"Two days later it voted, and the café stayed shut for three weeks 😀."
        )
        doc = {"id": f"doc-{i}", "text": text}
        if i % 4 == 0:
            doc["dct"] = f"{year}-{i % 12 + 1:02d}-{day:02d}"
            doc["domain"] = "news"
        if i % 7 == 0:
            doc["id"] = i  # numeric ids are written as strings
        docs.append(doc)
    docs.append({"id": "empty", "text": ""})
    docs.append({"id": "no-timex", "text": "Nothing here says when."})
    return docs


def run_script(inp, out, *extra):
    if not SCRIPT.exists():
        pytest.skip(f"{SCRIPT} is not in this checkout")
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(inp), str(out), *extra, *FAST],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return pq.read_table(out).to_pylist()


def expected_rows(docs):
    """What the output must hold for valid documents, computed in this process."""
    rows = []
    for d in docs:
        timexes = annalist.tag(d["text"], dct=d.get("dct"), domain=d.get("domain", "auto"))
        if not timexes:
            rows.append((str(d["id"]), None, None, None, None, None, None, None, None))
        for t in timexes:
            rows.append((str(d["id"]), t.tid, t.start, t.end, t.text, t.type, t.value, t.mod, None))
    return sorted(rows, key=repr)


def as_tuples(rows):
    keys = ["doc_id", "tid", "start", "end", "text", "type", "value", "mod", "error"]
    return sorted((tuple(r[k] for k in keys) for r in rows), key=repr)


EVENT_KEYS = [
    "doc_id", "eid", "start", "end", "trigger", "class", "pos", "tense", "aspect", "polarity", "modality",
    "occurred", "position", "when", "mod", "until", "alternatives", "relation", "granularity", "source",
    "certainty", "label", "anchor_tid", "axis_start", "axis_end", "who", "sentence_start", "sentence_end",
    "error",
]


def expected_event_rows(docs):
    """What the --timeline dataset must hold for valid documents, computed in this process."""
    rows = []
    for d in docs:
        tl = annalist.timeline(d["text"], dct=d.get("dct"), domain=d.get("domain", "auto"))
        if not tl.events:
            rows.append((str(d["id"]),) + (None,) * (len(EVENT_KEYS) - 1))
        positions = {en.eid: en.position for en in tl.entries}
        for e in tl.events:
            a = e.anchor
            ad = a.to_dict() if a else dict.fromkeys(["value", "mod", "until", "relation", "granularity",
                                                      "source", "certainty", "label", "tid",
                                                      "axis_start", "axis_end"])
            s, end = tl.sentences[e.sentence]
            rows.append((
                str(d["id"]), e.eid, e.start, e.end, e.trigger, e.class_, e.pos, e.tense, e.aspect,
                e.polarity, e.modality, e.occurred, positions.get(e.eid), ad["value"], ad["mod"],
                ad["until"], a.alternatives if a else [], ad["relation"], ad["granularity"], ad["source"],
                ad["certainty"], ad["label"], ad["tid"], ad["axis_start"], ad["axis_end"],
                e.participants, s, end, None,
            ))
    return sorted(rows, key=repr)


@pytest.fixture(scope="module")
def java():
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java (17); none found")


def test_jsonl_every_document_yields_rows_and_events(java, tmp_path):
    docs = make_docs(400)
    bad = [
        '{"id": "no-text"}',
        '{"id": "null-text", "text": null}',
        '{"id": "bad-dct", "text": "On 3 March 1921 it rained.", "dct": "the day after"}',
        '{"id": "bad-domain", "text": "On 3 March 1921 it rained.", "domain": "poetry"}',
        '{"text": "a record without an id"}',
        "this line is not JSON",
    ]
    inp = tmp_path / "docs.jsonl"
    with inp.open("w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
        f.write("\n".join(bad) + "\n")

    events_dir = tmp_path / "events"
    rows = run_script(inp, tmp_path / "out", "--master", "local[2]", "--partitions", "3",
                      "--timeline", str(events_dir))

    errors = {r["doc_id"]: r["error"] for r in rows if r["error"] is not None}
    assert set(errors) == {"no-text", "null-text", "bad-dct", "bad-domain", None}
    assert "no text" in errors["no-text"] and "no text" in errors["null-text"]
    assert "invalid document creation time" in errors["bad-dct"]
    assert "unknown domain" in errors["bad-domain"]
    null_id = [r["error"] for r in rows if r["doc_id"] is None]
    assert sorted(null_id) == sorted(["malformed JSON record: 'this line is not JSON'", "record has no id"])
    # Error rows carry nothing else.
    assert all(r["tid"] is None and r["value"] is None for r in rows if r["error"] is not None)

    good = [r for r in rows if r["error"] is None]
    assert {r["doc_id"] for r in good} == {str(d["id"]) for d in docs}
    assert as_tuples(good) == expected_rows(docs)
    for r in good:
        if r["tid"] is not None:
            text = next(d["text"] for d in docs if str(d["id"]) == r["doc_id"])
            assert text[r["start"]:r["end"]] == r["text"]  # code point offsets

    # The event dataset: the same documents and errors, and what annalist.timeline gives.
    events = pq.read_table(events_dir).to_pylist()
    assert pq.read_schema(next(events_dir.glob("*.parquet"))).names == EVENT_KEYS
    ev_errors = {r["doc_id"]: r["error"] for r in events if r["error"] is not None}
    assert ev_errors == errors
    assert sorted(r["error"] for r in events if r["doc_id"] is None) == sorted(null_id)
    assert all(r["eid"] is None for r in events if r["error"] is not None)
    ev_good = [r for r in events if r["error"] is None]
    assert {r["doc_id"] for r in ev_good} == {str(d["id"]) for d in docs}
    got = sorted((tuple(r[k] for k in EVENT_KEYS) for r in ev_good), key=repr)
    assert got == expected_event_rows(docs)
    texts = {str(d["id"]): d["text"] for d in docs}
    by_doc = {}
    for r in ev_good:
        if r["eid"] is not None:
            text = texts[r["doc_id"]]
            assert text[r["start"]:r["end"]] == r["trigger"]
            assert r["start"] >= r["sentence_start"] and r["end"] <= r["sentence_end"]
            if r["position"] is not None:
                by_doc.setdefault(r["doc_id"], []).append(r["position"])
    assert by_doc, "the generated documents have timeline entries"
    for positions in by_doc.values():
        assert sorted(positions) == list(range(1, len(positions) + 1))


def test_parquet_input_with_date_column(java, tmp_path):
    import datetime

    docs = make_docs(60)
    for d in docs:
        d.pop("domain", None)
    # Bad records: a null text and a bad domain.
    table = pa.table({
        "id": [str(d["id"]) for d in docs] + ["null-text", "bad-domain"],
        "text": [d["text"] for d in docs] + [None, "On 3 March 1921 it rained."],
        "dct": [datetime.date.fromisoformat(d["dct"]) if "dct" in d else None for d in docs] + [None, None],
        "domain": [None] * len(docs) + [None, "poetry"],
    })
    pq.write_table(table, tmp_path / "docs.parquet")
    rows = run_script(tmp_path / "docs.parquet", tmp_path / "out", "--master", "local[1]")
    errors = {r["doc_id"]: r["error"] for r in rows if r["error"] is not None}
    assert set(errors) == {"null-text", "bad-domain"}
    assert "no text" in errors["null-text"] and "unknown domain" in errors["bad-domain"]
    good = [r for r in rows if r["error"] is None]
    assert as_tuples(good) == expected_rows(docs)
