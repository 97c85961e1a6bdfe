"""The spaCy component; runs only where spaCy is installed (a blank pipeline, no model)."""

import pytest

spacy = pytest.importorskip("spacy")

import annalist  # noqa: E402

TEXT = "Zürich, 2 May 1921. On 3 March 1921 the café reopened; two days later it closed."


@pytest.fixture()
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("annalist")  # found through the spacy_factories entry point
    return nlp


def expected(text, **kw):
    return [(t.start, t.end, t.type, t.value) for t in annalist.tag(text, **kw)]


def spans(doc, key="timex"):
    return [(s.start_char, s.end_char, s.label_, s._.timex_value) for s in doc.spans[key]]


def test_component_fills_span_group(nlp):
    assert nlp.pipe_names == ["annalist"]
    doc = nlp(TEXT)
    assert "timex" in doc.spans
    assert spans(doc) == expected(TEXT)
    for s in doc.spans["timex"]:
        assert isinstance(s._.timex, annalist.Timex)
        assert s._.timex_mod == s._.timex.mod


def test_config_and_per_doc_dct():
    nlp = spacy.blank("en")
    nlp.add_pipe("annalist", config={"dct": "1921-03-05", "domain": "news", "spans_key": "times"})
    doc = nlp(TEXT)
    assert spans(doc, "times") == expected(TEXT, dct="1921-03-05", domain="news")
    doc = nlp.make_doc(TEXT)
    doc._.annalist_dct = "1930-01-01"
    doc = nlp.get_pipe("annalist")(doc)
    assert spans(doc, "times") == expected(TEXT, dct="1930-01-01", domain="news")


def test_pipe_batches_match_single_docs(nlp):
    texts = [f"In {1900 + i} the town grew; by {1905 + i} it had doubled." for i in range(50)] + [TEXT]
    docs = list(nlp.pipe(texts, batch_size=7))
    assert [spans(d) for d in docs] == [expected(t) for t in texts]


def test_bad_config_is_value_error():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="document creation time"):
        nlp.add_pipe("annalist", config={"dct": "someday"})
    with pytest.raises(ValueError, match="unknown domain"):
        nlp.add_pipe("annalist", config={"domain": "poetry"})


def test_pipeline_round_trips_to_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    nlp2 = spacy.load(tmp_path / "pipeline")
    assert nlp2.pipe_names == ["annalist"]
    assert spans(nlp2(TEXT)) == spans(nlp(TEXT))


@pytest.mark.engine
def test_spans_carry_values(nlp):
    doc = nlp(TEXT)
    got = [(s.text, s.label_, s._.timex_value) for s in doc.spans["timex"]]
    assert ("3 March 1921", "DATE", "1921-03-03") in got
