"""The pure parts of bench/compare: corpus reading, mapping helpers, output splitting,
score parsing and the report."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import common
import prepare
import report
import runner

ADAPTERS = Path(__file__).resolve().parent.parent / "adapters"

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>x1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1879-12-29" functionInDocument="CREATION_TIME">29 Dec</TIMEX3></DCT>
<TEXT>
The storm of <TIMEX3 tid="t1" type="DATE" value="1879-12-28">Sunday</TIMEX3> &amp; the <EVENT eid="e1" class="OCCURRENCE">fall</EVENT>.\r
</TEXT>
</TimeML>
"""


def test_extract_timeml_keeps_line_ends_and_decodes_entities():
    text, dct = prepare.extract(TIMEML, "x1.tml")
    assert text == "\nThe storm of Sunday & the fall.\r\n"
    assert dct == "1879-12-29"


def test_extract_requires_text():
    try:
        prepare.extract("<DOC></DOC>", "bad.xml")
    except ValueError as e:
        assert "no <TEXT>" in str(e)
    else:
        raise AssertionError("no error")


def test_doc_ids_follow_the_cli():
    assert prepare.doc_id(Path("01_WW2.key.xml")) == "01_WW2"
    assert prepare.doc_id(Path("ABC19980108.1830.0711.tml")) == "ABC19980108.1830.0711"
    assert prepare.doc_id(Path("a.txt")) == "a"


def test_interleave_balances_by_size():
    big = [{"id": f"b{i}", "text": "x" * 100} for i in range(2)]
    small = [{"id": f"s{i}", "text": "x" * 10} for i in range(20)]
    order = prepare.interleave({"big": big, "small": small})
    assert len(order) == 22
    # After the first big document, about half of the small ones come before the second.
    second_big = [d["id"] for _, d in order].index("b1")
    assert 9 <= second_big <= 13, [d["id"] for _, d in order]


def test_finish_trims_sorts_drops_overlaps():
    text = "On 3 May 2001 and 4 May."
    ts = [
        common.Timex(17, 23, "", "DATE", "XXXX-05-04"),  # " 4 May"
        common.Timex(2, 13, "", "DATE", "2001-05-03"),  # " 3 May 2001" with a leading blank
        common.Timex(5, 8, "", "DATE", "XXXX-05"),  # inside the first: dropped
        common.Timex(30, 40, "", "DATE", "2001"),  # out of range: dropped
    ]
    out = common.finish(ts, text)
    assert [(r["start"], r["end"], r["text"], r["tid"]) for r in out] == [
        (3, 13, "3 May 2001", "t1"),
        (18, 23, "4 May", "t2"),
    ]


def test_fmt_date_granularities():
    d = dt.datetime(1879, 12, 28, 19, 15, 5)
    assert [common.fmt_date(d, g) for g in ("year", "month", "week", "day", "hour", "minute", "second")] == [
        "1879", "1879-12", "1879-W52", "1879-12-28", "1879-12-28T19", "1879-12-28T19:15", "1879-12-28T19:15:05",
    ]


def test_sentences_offsets():
    text = "First one. Second one!\n\nThird (3 May)."
    got = list(common.sentences(text))
    assert [s for _, s in got] == ["First one. ", "Second one!", "Third (3 May)."]
    assert all(text[o : o + len(s)] == s for o, s in got)


def test_ctparse_mapping():
    import ctparse_adapter as c
    from ctparse.types import Duration, DurationUnit, Interval, Time

    assert c.resolve(Time(year=1879, month=12, day=28)) == ("DATE", "1879-12-28")
    assert c.resolve(Time(month=10)) == ("DATE", "XXXX-10")
    assert c.resolve(Time(year=1879, month=12, day=28, hour=19, minute=15)) == ("TIME", "1879-12-28T19:15")
    assert c.resolve(Time(DOW=1)) == ("DATE", "XXXX-WXX-2")
    assert c.resolve(Interval(Time(year=1879, month=12, day=28), Time(year=1879, month=12, day=30))) == (
        "DATE", "1879-12-28")
    assert c.resolve(Duration(3, DurationUnit.MONTHS)) == ("DURATION", "P3M")
    assert c.resolve(Duration(2, DurationUnit.HOURS)) == ("DURATION", "PT2H")


def test_ctparse_normalize_maps_back():
    import ctparse_adapter as c

    text = "On 28 December, (1879) -- storm"
    norm, where = c.normalize(text)
    assert len(norm) == len(where)
    assert norm == "On 28 December 1879 - storm"
    i = norm.index("1879")
    assert text[where[i] : where[i + 3] + 1] == "1879"


def test_datefinder_granularity():
    import datefinder_adapter as d

    assert d.granularity("June 1880") == "month"
    assert d.granularity("28 December 1879") == "day"
    assert d.granularity("1879") == "year"
    assert d.granularity("at 9:30") == "minute"
    assert d.granularity("1880-03-14") == "day"


def node_eval(expr: str):
    r = subprocess.run(
        ["node", "-e", f"const m = require({json.dumps(str(ADAPTERS / 'recognizers_adapter.js'))});"
                       f"console.log(JSON.stringify({expr}))"],
        capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_recognizers_mapping():
    assert node_eval("m.rangeValue('(1990-01-01,2000-01-01,P10Y)')") == "199"
    assert node_eval("m.rangeValue('(1800-01-01,1900-01-01,P100Y)')") == "18"
    assert node_eval("m.rangeValue('(1999-05-03,1999-05-05,P2D)')") == "1999-05-03"
    assert node_eval("m.mapMod('before-start')") == "START"
    assert node_eval("m.mapMod('since')") == "AFTER"
    ref = "new Date(Date.UTC(1998,0,8,12))"
    r = node_eval(
        "m.mapResult({typeName:'datetimeV2.date', resolution:{values:[{timex:'XXXX-03-12',value:'1997-03-12'},"
        f"{{timex:'XXXX-03-12',value:'1998-03-12'}}]}}}}, {ref})"
    )
    assert r == {"type": "DATE", "value": "1998-03-12", "mod": None}
    r = node_eval(f"m.mapResult({{typeName:'datetimeV2.time', resolution:{{values:[{{timex:'T15'}}]}}}}, {ref})")
    assert r["type"] == "TIME" and r["value"] == "XXXX-XX-XXT15"


def make_work(tmp: Path) -> Path:
    work = tmp / "work"
    (work / "inputs").mkdir(parents=True)
    (work / "inputs" / "summary.json").write_text(json.dumps({
        "tbaq": {"docs": 2, "chars": 8, "format": "timeml"},
        "wikiwars": {"docs": 1, "chars": 5, "format": "timex2"},
    }))
    (work / "inputs" / "tbaq.jsonl").write_text(
        json.dumps({"id": "a", "text": "abcd"}) + "\n" + json.dumps({"id": "b", "text": "efgh"}) + "\n")
    (work / "inputs" / "wikiwars.jsonl").write_text(json.dumps({"id": "w", "text": "12345"}) + "\n")
    return work


def test_split_output_first_repetition_and_coverage(tmp_path):
    work = make_work(tmp_path)
    out = tmp_path / "out.jsonl"
    out.write_text("\n".join(json.dumps(r) for r in [
        {"id": "tbaq:a#0", "timexes": []},
        {"id": "wikiwars:w#0", "error": "boom"},
        {"id": "tbaq:a#1", "timexes": []},
    ]) + "\n")
    cov = runner.split_output(out, work, tmp_path / "split")
    assert cov["tbaq"]["docs"] == 1 and cov["tbaq"]["chars"] == 4 and cov["tbaq"]["total_docs"] == 2
    assert cov["wikiwars"]["errors"] == 1
    lines = (tmp_path / "split" / "tbaq.jsonl").read_text().splitlines()
    assert [json.loads(l)["id"] for l in lines] == ["a"]


def test_gold_subset_links_only_covered_docs(tmp_path):
    work = make_work(tmp_path)
    gold = work / "gold" / "tbaq"
    gold.mkdir(parents=True)
    for n in ("a.tml", "b.tml"):
        (tmp_path / n).write_text("x")
        (gold / n).symlink_to(tmp_path / n)
    assert runner.gold_dir_for(work, "tbaq", ["a", "b"], True, "p") == gold
    sub = runner.gold_dir_for(work, "tbaq", ["a"], False, "p")
    assert sorted(p.name for p in sub.iterdir()) == ["a.tml"]


def test_find_scores_unwraps():
    s = {"strict": {"f1": 0.5}, "relaxed": {"f1": 0.7}, "value": {"f1": 0.6}}
    assert runner.find_scores(s) is s
    assert runner.find_scores({"docs": 3, "total": s}) is s
    assert runner.find_scores([{"x": 1}, {"scores": s}]) is s
    assert runner.find_scores({"x": 1}) is None


def sample_results() -> dict:
    acc = {"tbaq": {"scores": {"strict": {"f1": 0.5}, "relaxed": {"f1": 0.8}, "value": {"f1": 0.7},
                                "type": {"f1": 0.75}}, "complete": True, "coverage_docs": 2, "total_docs": 2},
           "wikiwars": {"scores": {"strict": {"f1": 0.4}, "relaxed": {"f1": 0.6}, "value": {"f1": 0.5},
                                    "type": None}, "complete": False, "coverage_docs": 1, "total_docs": 16}}
    return {
        "machine": {"date": "2026-01-01 00:00 UTC", "cpu": "cpu", "cores": 2, "memory_gb": 24, "os": "Linux",
                    "python": "3.11", "node": "v20", "java": "openjdk 17", "load_avg_at_start": [1, 1, 1],
                    "load_avg_at_end": [2, 2, 2]},
        "settings": {"cap_s": 150, "max_chars": 50_000_000, "min_chars": 0, "core": "0"},
        "taggers": [
            {"peer": "fast", "chars": 1_000_000, "tag_s": 2.0, "tag_cpu_s": 1.0, "startup_s": 0.1,
             "peak_rss_mb": 10, "mode": "1 core", "language": "Rust", "accuracy": acc, "notes": "native"},
            {"peer": "broken", "failed": True, "language": "Java", "source": "x"},
        ],
        "not_installable": [{"name": "Duckling", "language": "Haskell", "why": "no Hackage"}],
    }


def test_report_table_and_chart(tmp_path):
    md = report.table(sample_results())
    assert "| fast | TBAQ (news) | 50.0 | 80.0 | 70.0 | 75.0 | all docs |" in md
    assert "| fast | WikiWars (narrative) | 40.0 | 60.0 | 50.0 | – | 1/16 docs |" in md
    assert "| fast | Rust | 1,000,000 | 500.0 k | 1.00 M | 0.10 | 10 |" in md
    assert "| broken | Java | failed |" in md
    assert "Duckling" in md and "cannot be installed here" in md
    assert report.chart(sample_results(), tmp_path / "c.svg")
    assert (tmp_path / "c.svg").read_text().startswith("<?xml")
    assert (tmp_path / "c.png").stat().st_size > 1000
