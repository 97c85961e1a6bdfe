"""The Python API: objects, offsets, bad input, tag_many, threads."""

import datetime
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import annalist
from annalist import Tagger, Timex

# Our own sentences, written for these tests.
TREATY = "On 3 March 1921 the treaty was signed. The next day the delegates went home."
# Non-ASCII before, inside the sentence and after the expressions, including a
# character outside the Basic Multilingual Plane (one code point, 4 UTF-8 bytes,
# 2 UTF-16 units) so byte, UTF-16 and code point offsets all differ.
UNICODE = "Zürich, naïve café 😀 — on 3 March 1921 the Straße reopened; on 4 March 1921 the Übergang did."


def years_text(i):
    return f"Report {i}: the harvest of {1800 + i} was poor, and in {1801 + i} it failed."


def test_module_exports():
    assert annalist.__version__
    assert isinstance(annalist.default_tagger(), Tagger)
    assert annalist.default_tagger() is annalist.default_tagger()
    assert isinstance(Tagger().rule_count, int)
    for name in annalist.__all__:
        assert getattr(annalist, name).__doc__ or name == "__version__", name


def test_tag_returns_list_of_timex(tagger):
    out = tagger.tag(TREATY)
    assert isinstance(out, list)
    assert all(isinstance(t, Timex) for t in out)
    assert annalist.tag(TREATY) == out


def test_timex_attributes_to_dict_pickle():
    t = Timex(3, 15, "3 March 1921", "DATE", "1921-03-03", tid="t1", rule="r")
    assert (t.start, t.end, t.text, t.type, t.value, t.mod, t.tid) == (
        3, 15, "3 March 1921", "DATE", "1921-03-03", None, "t1",
    )
    d = t.to_dict()
    assert d == {
        "start": 3, "end": 15, "text": "3 March 1921", "type": "DATE", "value": "1921-03-03",
        "mod": None, "tid": "t1", "freq": None, "quant": None, "alternative_of": None,
    }
    assert pickle.loads(pickle.dumps(t)) == t
    assert hash(t) == hash(Timex(3, 15, "3 March 1921", "DATE", "1921-03-03", tid="t1", rule="r"))
    assert t != Timex(3, 15, "3 March 1921", "DATE", "1921-03-04", tid="t1", rule="r")
    assert repr(t) == "Timex(start=3, end=15, text='3 March 1921', type='DATE', value='1921-03-03', tid='t1')"
    m = Timex(0, 5, "early", "DATE", "1921", mod="START")
    assert m.to_dict()["mod"] == "START" and "mod='START'" in repr(m)
    with pytest.raises(AttributeError):
        t.value = "1999"  # immutable


def test_tagger_pickles_as_a_fresh_tagger(tagger):
    t2 = pickle.loads(pickle.dumps(tagger))
    assert isinstance(t2, Tagger) and t2.rule_count == tagger.rule_count
    assert t2.tag(TREATY) == tagger.tag(TREATY)


@pytest.mark.parametrize("dct", ["not a date", "", "yesterday", "1921-03-03-99", "P3D"])
def test_bad_dct_string_is_value_error(tagger, dct):
    with pytest.raises(ValueError, match="document creation time"):
        tagger.tag(TREATY, dct=dct)
    with pytest.raises(ValueError, match="document creation time"):
        annalist.tag(TREATY, dct=dct)


@pytest.mark.parametrize("dct", [3, 3.5, b"2021-03-05", ["2021-03-05"], object()])
def test_dct_of_wrong_type_is_type_error(tagger, dct):
    with pytest.raises(TypeError, match="dct must be"):
        tagger.tag(TREATY, dct=dct)


def test_bad_domain(tagger):
    with pytest.raises(ValueError, match="unknown domain"):
        tagger.tag(TREATY, domain="poetry")
    with pytest.raises(TypeError, match="domain must be"):
        tagger.tag(TREATY, domain=1)


@pytest.mark.parametrize("text", [None, 42, b"On 3 March 1921", ["a"]])
def test_text_of_wrong_type_is_type_error(tagger, text):
    with pytest.raises(TypeError, match="text must be str"):
        tagger.tag(text)


def test_unencodable_text_is_value_error(tagger):
    # A lone surrogate is a valid Python str but not valid Unicode text.
    with pytest.raises(ValueError):  # UnicodeEncodeError is a ValueError
        tagger.tag("On 3 March 1921 \ud800 it rained.")


def test_missing_argument_is_type_error(tagger):
    with pytest.raises(TypeError):
        tagger.tag()


def test_dct_accepts_dates_and_datetimes(tagger):
    s = tagger.tag(TREATY, dct="1921-03-05")
    assert tagger.tag(TREATY, dct=datetime.date(1921, 3, 5)) == s
    assert tagger.tag(TREATY, dct=datetime.datetime(1921, 3, 5, 12, 30)) == s
    assert tagger.tag(TREATY, dct="19210305") == s
    for domain in ("news", "narrative", "auto", "NEWS", None):
        tagger.tag(TREATY, dct=None, domain=domain)


def test_empty_text(tagger):
    assert tagger.tag("") == []
    assert tagger.tag_many([]) == []
    assert tagger.tag_many(["", ""]) == [[], []]


def test_tag_many_matches_tag_in_order(tagger):
    texts = [years_text(i) for i in range(300)] + [UNICODE, TREATY]
    dcts = [None if i % 3 else f"19{i % 90 + 10:02d}-0{i % 9 + 1}-1{i % 9}" for i in range(len(texts))]
    domains = ["news" if i % 2 else "narrative" for i in range(len(texts))]
    expected = [tagger.tag(t, dct=d, domain=m) for t, d, m in zip(texts, dcts, domains)]
    assert tagger.tag_many(texts, dcts, domains) == expected
    assert tagger.tag_many(iter(texts), iter(dcts), iter(domains), threads=1) == expected
    assert tagger.tag_many(tuple(texts), dcts, domains, threads=3) == expected
    assert annalist.tag_many(texts, dcts, domains) == expected
    # One dct / domain for all.
    assert tagger.tag_many(texts[:5], "1921-03-05", "news") == [
        tagger.tag(t, dct="1921-03-05", domain="news") for t in texts[:5]
    ]
    assert tagger.tag_many(texts[:5], datetime.date(1921, 3, 5)) == [
        tagger.tag(t, dct="1921-03-05") for t in texts[:5]
    ]


def test_tag_many_bad_input(tagger):
    with pytest.raises(TypeError, match="not a single str"):
        tagger.tag_many("On 3 March 1921")
    with pytest.raises(TypeError, match="iterable of str"):
        tagger.tag_many(5)
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, not NoneType"):
        tagger.tag_many(["a", None])
    with pytest.raises(ValueError, match="dcts has 3 items but there are 2 texts"):
        tagger.tag_many(["a", "b"], dcts=["2021-01-01", None, None])
    with pytest.raises(ValueError, match="domains has 1 items"):
        tagger.tag_many(["a", "b"], domains=["news"])
    with pytest.raises(ValueError, match=r"dcts\[1\]: invalid document creation time"):
        tagger.tag_many(["a", "b"], dcts=["2021-01-01", "tomorrow"])
    with pytest.raises(ValueError, match=r"domains\[0\]: unknown domain"):
        tagger.tag_many(["a", "b"], domains=["poetry", "news"])
    with pytest.raises(TypeError, match=r"dcts\[0\]: dct must be"):
        tagger.tag_many(["a", "b"], dcts=[1, 2])
    with pytest.raises(TypeError, match="dcts must be None"):
        tagger.tag_many(["a"], dcts=5)
    with pytest.raises(ValueError, match="errors must be"):
        tagger.tag_many(["a"], errors="ignore")
    for bad in (0, -1):
        with pytest.raises(ValueError, match="threads must be at least 1"):
            tagger.tag_many(["a"], threads=bad)


def test_tag_many_errors_return(tagger):
    texts = [TREATY, None, UNICODE, "x", "y", 7]
    dcts = [None, None, "1921-03-05", "bad", None, None]
    domains = [None, None, None, None, "poetry", None]
    out = tagger.tag_many(texts, dcts, domains, errors="return")
    assert len(out) == 6
    assert out[0] == tagger.tag(TREATY)
    assert isinstance(out[1], TypeError) and "text must be str, not NoneType" in str(out[1])
    assert out[2] == tagger.tag(UNICODE, dct="1921-03-05")
    assert isinstance(out[3], ValueError) and "invalid document creation time" in str(out[3])
    assert isinstance(out[4], ValueError) and "unknown domain" in str(out[4])
    assert isinstance(out[5], TypeError)


def test_shared_tagger_from_many_threads(tagger):
    texts = [years_text(i) for i in range(400)] + [UNICODE] * 20
    expected = [tagger.tag(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(tagger.tag, texts))
        got_default = list(pool.map(annalist.tag, texts))
        many = list(pool.map(lambda chunk: tagger.tag_many(chunk), [texts[i:i + 50] for i in range(0, len(texts), 50)]))
    assert got == expected
    assert got_default == expected
    assert [t for chunk in many for t in chunk] == expected


@pytest.mark.engine
def test_dates_and_values():
    (t,) = [t for t in annalist.tag("On 3 March 1921 the treaty was signed.") if t.text == "3 March 1921"]
    assert (t.type, t.value, t.tid) == ("DATE", "1921-03-03", "t1")
    out = annalist.tag(TREATY, domain="narrative")
    assert [(t.text, t.type, t.value) for t in out] == [
        ("3 March 1921", "DATE", "1921-03-03"),
        ("The next day", "DATE", "1921-03-04"),
    ]
    assert [t.tid for t in out] == ["t1", "t2"]
    news = annalist.tag("The minister resigned yesterday.", dct="2021-03-05")
    assert [(t.text, t.value) for t in news] == [("yesterday", "2021-03-04")]


@pytest.mark.engine
def test_non_ascii_offsets_are_code_points():
    out = annalist.tag(UNICODE)
    assert [(t.text, t.value) for t in out] == [("3 March 1921", "1921-03-03"), ("4 March 1921", "1921-03-04")]
    for t in out:
        assert UNICODE[t.start:t.end] == t.text
        assert t.to_dict()["start"] == t.start
    assert out[0].start == UNICODE.index("3 March 1921")
    # Same offsets through tag_many and from several threads.
    assert annalist.tag_many([UNICODE, TREATY])[0] == out


@pytest.mark.engine
def test_tag_many_order_real_values():
    texts = [years_text(i) for i in range(200)]
    out = annalist.tag_many(texts)
    for i, timexes in enumerate(out):
        values = [t.value for t in timexes]
        assert str(1800 + i) in values and str(1801 + i) in values, (i, values)


@pytest.mark.engine
def test_tagging_releases_the_gil(tagger):
    text = " ".join(years_text(i) for i in range(20000))
    ticks = 0
    done = threading.Event()

    def work():
        tagger.tag(text)
        done.set()

    start = time.perf_counter()
    th = threading.Thread(target=work)
    th.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0)
    th.join()
    elapsed = time.perf_counter() - start
    if elapsed < 0.05:
        pytest.skip(f"tagging took {elapsed * 1000:.0f} ms: too quick to observe")
    # With the GIL held for the whole call this loop could not run meanwhile.
    assert ticks > 100, (ticks, elapsed)
