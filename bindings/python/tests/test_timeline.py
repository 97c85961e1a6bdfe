"""annalist.timeline / Tagger.timeline / timeline_many: objects, offsets, the CLI's
JSON schema, threads and bad input."""

import datetime
import json
import os
import pickle
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import annalist
from annalist import Anchor, Entry, Event, Span, Tagger, Timeline, Timex

# Our own sentences, written for these tests.
VOYAGE = (
    "In May 1520 the fleet sailed from Seville. On 3 June 1520 the crew reached the cape, "
    "and two days later they landed. The captain did not return home. "
    "Before 1519 the king had refused the plan."
)
# Non-ASCII before and inside the sentences, with a character outside the Basic
# Multilingual Plane (one code point, 4 UTF-8 bytes, 2 UTF-16 units), so byte,
# UTF-16 and code point offsets all differ.
UNICODE = (
    "Zürich 😀 — on 3 March 1921 the Straße reopened. The next day the mayor spoke to Müller. "
    "He did not resign. In May 1922 the council was going to meet."
)
NEWS = "The minister resigned on Tuesday. The president will visit Paris next week. Talks are continuing."

# The keys of `annalist timeline --to json` (docs/timeline.md).
RECORD_KEYS = ["id", "schema", "domain", "dct", "sentences", "timexes", "events", "timeline"]
EVENT_KEYS = [
    "eid", "start", "end", "trigger", "class", "pos", "tense", "aspect", "polarity", "modality",
    "occurred", "status", "sentence", "actors", "patients", "anchor",
]
ANCHOR_KEYS = [
    "tid", "value", "mod", "until", "until_tid", "alternatives", "relation", "granularity", "source",
    "certainty", "label", "axis_start", "axis_end",
]
ENTRY_KEYS = [
    "position", "eid", "trigger", "class", "when", "mod", "until", "alternatives", "relation", "label",
    "anchored", "certainty", "who", "evidence",
]


def story(i):
    return f"Chronicle {i}: in {1700 + i} the town was founded. In {1750 + i} the bridge was built and opened."


def check_offsets(text, tl):
    """Every offset of a timeline slices `text` to what the object says."""
    for t in tl.timexes:
        assert text[t.start:t.end] == t.text
    for e in tl.events:
        assert text[e.start:e.end] == e.trigger
        for s in e.actors + e.patients:
            assert text[s.start:s.end] == s.text
        assert 0 <= e.sentence < len(tl.sentences)
    for en in tl.entries:
        s, e = tl.sentences[en.event.sentence]
        assert (en.evidence.start, en.evidence.end) == (s, e)
        assert text[s:e] == en.evidence.text


def test_exports():
    for cls in (Anchor, Entry, Event, Span, Timeline):
        assert cls.__doc__ and cls.__module__ == "annalist"
    assert annalist.timeline.__doc__ and annalist.timeline_many.__doc__
    assert Tagger.timeline.__doc__ and Tagger.timeline_many.__doc__
    assert "domain='auto'" in str(Tagger.timeline.__text_signature__)
    for attr in ("when", "who", "evidence", "event", "class_"):
        assert getattr(Entry, attr).__doc__, attr


def test_timeline_objects(tagger):
    tl = tagger.timeline(VOYAGE)
    assert isinstance(tl, Timeline)
    assert tl.domain == "narrative" and tl.dct is None
    assert all(isinstance(t, Timex) for t in tl.timexes)
    assert all(isinstance(e, Event) for e in tl.events)
    assert all(isinstance(e, Entry) for e in tl.entries)
    assert len(tl) == len(tl.entries)
    assert [e.eid for e in tl.events] == [f"e{i + 1}" for i in range(len(tl.events))]
    assert [e.position for e in tl.entries] == list(range(1, len(tl.entries) + 1))
    by_eid = {e.eid: e for e in tl.events}
    for en in tl.entries:
        assert en.event == by_eid[en.eid]
        assert (en.trigger, en.class_) == (en.event.trigger, en.event.class_)
        assert en.who == en.event.participants
        assert en.event.occurred
        assert isinstance(en.evidence, Span)
        if en.anchored:
            a = en.event.anchor
            assert isinstance(a, Anchor)
            assert (en.when, en.mod, en.relation, en.label, en.certainty) == (
                a.value, a.mod, a.relation, a.label, a.certainty,
            )
        else:
            assert en.when is None and en.label == "undated"
    check_offsets(VOYAGE, tl)
    # The timexes are what tag() gives.
    assert tl.timexes == tagger.tag(VOYAGE)
    assert annalist.timeline(VOYAGE) == tl


def test_non_ascii_offsets_are_code_points(tagger):
    tl = tagger.timeline(UNICODE)
    assert tl.events, "the test text has events"
    check_offsets(UNICODE, tl)
    # The sentences cover the text in order.
    starts = [s for s, _ in tl.sentences]
    assert starts == sorted(starts) and tl.sentences[-1][1] <= len(UNICODE)


def test_to_dict_has_the_cli_schema(tagger):
    tl = tagger.timeline(VOYAGE, domain="narrative")
    d = tl.to_dict()
    assert list(d) == RECORD_KEYS
    assert d["id"] is None and tl.to_dict(id="doc-7")["id"] == "doc-7" and tl.to_dict(id=7)["id"] == 7
    assert d["schema"] == "annalist-timeline/1"
    assert d["sentences"] == [list(s) for s in tl.sentences]
    assert d["timexes"] == [t.to_dict() for t in tl.timexes]
    assert d["events"] == [e.to_dict() for e in tl.events]
    assert d["timeline"] == [e.to_dict() for e in tl.entries]
    for e in d["events"]:
        assert list(e) == EVENT_KEYS
        assert e["anchor"] is None or list(e["anchor"]) == ANCHOR_KEYS
        assert all(list(s) == ["start", "end", "text"] for s in e["actors"] + e["patients"])
    for e in d["timeline"]:
        assert list(e) == ENTRY_KEYS
    # Plain JSON types only.
    assert json.loads(json.dumps(d)) == d


def _drop_absent(obj):
    """What the CLI writes: keys with None (and empty `alternatives`) left out."""
    if isinstance(obj, dict):
        return {
            k: _drop_absent(v) for k, v in obj.items()
            if v is not None and not (k == "alternatives" and v == [])
        }
    if isinstance(obj, list):
        return [_drop_absent(v) for v in obj]
    return obj


def _cli():
    """The `annalist` CLI built from this repository, if there is one."""
    for var in ("ANNALIST_CLI", "ANNALIST_BIN"):
        if os.environ.get(var) and Path(os.environ[var]).is_file():
            return os.environ[var]
    repo = Path(__file__).resolve().parents[3]
    dirs = [os.environ.get("CARGO_TARGET_DIR"), repo / "target"]
    for d in dirs:
        if d and (Path(d) / "release" / "annalist").is_file():
            return str(Path(d) / "release" / "annalist")
    return shutil.which("annalist")


@pytest.mark.parametrize("text,dct,domain", [(VOYAGE, None, "narrative"), (UNICODE, None, None), (NEWS, "2021-03-05", "news")])
def test_to_dict_equals_the_cli_json(tagger, text, dct, domain):
    cli = _cli()
    if cli is None:
        pytest.skip("no annalist CLI built (cargo build --release -p annalist-cli, or set ANNALIST_CLI)")
    args = [cli, "timeline", "-", "--to", "json"]
    if dct:
        args += ["--dct", dct]
    if domain:
        args += ["--domain", domain]
    out = subprocess.run(args, input=text.encode(), capture_output=True, check=True).stdout
    from_cli = json.loads(out)
    if isinstance(from_cli, list):
        (from_cli,) = from_cli
    assert _drop_absent(tagger.timeline(text, dct=dct, domain=domain).to_dict(id="-")) == from_cli


def test_pickle_eq_repr(tagger):
    tl = tagger.timeline(UNICODE)
    assert pickle.loads(pickle.dumps(tl)) == tl
    for obj in [tl.events[0], tl.entries[0], tl.events[0].anchor, tl.entries[0].evidence]:
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert type(obj).__name__ in repr(obj)
    assert tl != tagger.timeline(UNICODE, dct="1921-03-01")
    assert repr(tl).startswith("Timeline(domain='narrative', dct=None, timexes=")
    with pytest.raises(AttributeError):
        tl.events = []  # immutable
    with pytest.raises(AttributeError):
        tl.entries[0].when = "1999"


def test_empty_and_eventless_text(tagger):
    tl = tagger.timeline("")
    assert (tl.timexes, tl.events, tl.entries, tl.sentences) == ([], [], [], [])
    assert tl.to_dict()["timeline"] == []
    assert tagger.timeline("   ").events == []


@pytest.mark.parametrize("dct", ["not a date", "", "P3D"])
def test_bad_dct_is_value_error(tagger, dct):
    with pytest.raises(ValueError, match="document creation time"):
        tagger.timeline(VOYAGE, dct=dct)
    with pytest.raises(ValueError, match="document creation time"):
        annalist.timeline(VOYAGE, dct=dct)


def test_bad_input_raises_clear_errors(tagger):
    with pytest.raises(ValueError, match="unknown domain"):
        tagger.timeline(VOYAGE, domain="poetry")
    with pytest.raises(TypeError, match="domain must be"):
        tagger.timeline(VOYAGE, domain=2)
    with pytest.raises(TypeError, match="dct must be"):
        tagger.timeline(VOYAGE, dct=20210305)
    for text in (None, 42, b"In May 1520"):
        with pytest.raises(TypeError, match="text must be str"):
            tagger.timeline(text)
    with pytest.raises(ValueError):  # a lone surrogate: UnicodeEncodeError
        annalist.timeline("In May 1520 \ud800 the fleet sailed.")
    with pytest.raises(TypeError):
        annalist.timeline()


def test_dct_and_domain(tagger):
    tl = tagger.timeline(NEWS, dct="2021-03-05")
    assert (tl.domain, tl.dct) == ("news", "2021-03-05")
    assert tagger.timeline(NEWS, dct=datetime.date(2021, 3, 5)) == tl
    assert tagger.timeline(NEWS, dct=datetime.datetime(2021, 3, 5, 9, 0), domain="auto") == tl
    assert tagger.timeline(NEWS, domain="news").domain == "news"
    assert tagger.timeline(NEWS, dct="2021-03-05", domain="narrative").domain == "narrative"


def test_timeline_many_matches_timeline_in_order(tagger):
    texts = [story(i) for i in range(120)] + [UNICODE, VOYAGE, NEWS, ""]
    dcts = [None if i % 4 else f"18{i % 90 + 10:02d}-0{i % 9 + 1}-1{i % 9}" for i in range(len(texts))]
    domains = ["news" if i % 2 else "narrative" for i in range(len(texts))]
    expected = [tagger.timeline(t, dct=d, domain=m) for t, d, m in zip(texts, dcts, domains)]
    assert tagger.timeline_many(texts, dcts, domains) == expected
    assert tagger.timeline_many(iter(texts), iter(dcts), iter(domains), threads=1) == expected
    assert tagger.timeline_many(tuple(texts), dcts, domains, threads=3) == expected
    assert annalist.timeline_many(texts, dcts, domains) == expected
    assert tagger.timeline_many(texts[:3], "1921-03-05", "news") == [
        tagger.timeline(t, dct="1921-03-05", domain="news") for t in texts[:3]
    ]
    assert tagger.timeline_many([]) == []


def test_timeline_many_bad_input(tagger):
    with pytest.raises(TypeError, match="not a single str"):
        tagger.timeline_many(VOYAGE)
    with pytest.raises(TypeError, match="iterable of str"):
        tagger.timeline_many(5)
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, not NoneType"):
        tagger.timeline_many([VOYAGE, None])
    with pytest.raises(ValueError, match=r"dcts\[1\]: invalid document creation time"):
        tagger.timeline_many(["a", "b"], dcts=[None, "someday"])
    with pytest.raises(ValueError, match=r"domains\[0\]: unknown domain"):
        annalist.timeline_many(["a"], domains=["poetry"])
    with pytest.raises(ValueError, match="dcts has 1 items but there are 2 texts"):
        tagger.timeline_many(["a", "b"], dcts=["2021-01-01"])
    with pytest.raises(ValueError, match="errors must be"):
        tagger.timeline_many(["a"], errors="skip")
    with pytest.raises(ValueError, match="threads must be at least 1"):
        tagger.timeline_many(["a"], threads=0)


def test_timeline_many_errors_return(tagger):
    texts = [VOYAGE, None, UNICODE, "x", "y"]
    dcts = [None, None, None, "bad", None]
    domains = [None, None, None, None, "poetry"]
    out = tagger.timeline_many(texts, dcts, domains, errors="return")
    assert out[0] == tagger.timeline(VOYAGE)
    assert isinstance(out[1], TypeError) and "text must be str, not NoneType" in str(out[1])
    assert out[2] == tagger.timeline(UNICODE)
    assert isinstance(out[3], ValueError) and "invalid document creation time" in str(out[3])
    assert isinstance(out[4], ValueError) and "unknown domain" in str(out[4])


def test_shared_tagger_from_many_threads(tagger):
    texts = [story(i) for i in range(150)] + [UNICODE] * 10
    expected = [tagger.timeline(t) for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        got = list(pool.map(tagger.timeline, texts))
        got_default = list(pool.map(annalist.timeline, texts))
        chunks = [texts[i:i + 40] for i in range(0, len(texts), 40)]
        many = list(pool.map(tagger.timeline_many, chunks))
    assert got == expected
    assert got_default == expected
    assert [tl for chunk in many for tl in chunk] == expected


@pytest.mark.engine
def test_narrative_order_and_modality():
    tl = annalist.timeline(VOYAGE)
    entries = [(e.trigger, e.when, e.relation) for e in tl.entries]
    # Chronological, not text order: the refusal before 1519 comes first.
    assert entries == [
        ("refused", "1519", "before"),
        ("sailed", "1520-05", "during"),
        ("reached", "1520-06-03", "on"),
        ("landed", "1520-06-05", "on"),
    ]
    (ret,) = [e for e in tl.events if e.trigger == "return"]
    assert (ret.modality, ret.occurred) == ("negated", False)
    reached = tl.entries[2]
    assert reached.who == ["the crew", "the cape"]
    assert reached.evidence.text.startswith("On 3 June 1520 the crew reached the cape")
    assert reached.event.anchor.source == "clause" and reached.certainty == "stated"


@pytest.mark.engine
def test_non_ascii_values():
    tl = annalist.timeline(UNICODE)
    assert [(e.trigger, e.when, e.who) for e in tl.entries] == [
        ("reopened", "1921-03-03", ["Straße"]),
        ("spoke", "1921-03-04", ["the mayor", "Müller"]),
    ]
    (spoke,) = [e for e in tl.events if e.trigger == "spoke"]
    assert spoke.start == UNICODE.index("spoke")


@pytest.mark.engine
def test_news_uses_the_dct():
    tl = annalist.timeline(NEWS, dct="2021-03-05")
    events = {e.trigger: e for e in tl.events}
    assert events["resigned"].anchor.value == "2021-03-02"
    assert not events["visit"].occurred and events["visit"].modality == "future"
    cont = events["continuing"].anchor
    assert (cont.relation, cont.source, cont.tid) == ("includes", "dct", None)
