"""A spaCy pipeline component that tags time expressions.

spaCy finds it through the ``spacy_factories`` entry point, so no import is
needed::

    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("annalist", config={"domain": "news", "dct": "2021-03-05"})
    doc = nlp("Two days ago the council met.")
    for span in doc.spans["timex"]:
        print(span.text, span.label_, span._.timex_value)

Each span in ``doc.spans[spans_key]`` (default ``"timex"``) is labelled with
its TIMEX3 type (``DATE``, ``TIME``, ``DURATION``, ``SET``) and carries the
:class:`annalist.Timex` in ``span._.timex``; ``span._.timex_value`` and
``span._.timex_mod`` are shortcuts to its value and mod. A document's own
creation time can be set in ``doc._.annalist_dct`` before the component runs;
it overrides the ``dct`` of the config.

Importing this module requires spaCy; the rest of annalist does not.
"""

from __future__ import annotations

import datetime
from typing import Optional, Union

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import Tagger, Timex, default_tagger

__all__ = ["AnnalistComponent", "make_annalist"]

_DctLike = Union[str, datetime.date, None]


def _timex_value(span: Span) -> Optional[str]:
    t = span._.timex
    return t.value if t is not None else None


def _timex_mod(span: Span) -> Optional[str]:
    t = span._.timex
    return t.mod if t is not None else None


def _register_extensions() -> None:
    """Adds the ``Span._.timex*`` and ``Doc._.annalist_dct`` attributes once."""
    if not Span.has_extension("timex"):
        Span.set_extension("timex", default=None)
    if not Span.has_extension("timex_value"):
        Span.set_extension("timex_value", getter=_timex_value)
    if not Span.has_extension("timex_mod"):
        Span.set_extension("timex_mod", getter=_timex_mod)
    if not Doc.has_extension("annalist_dct"):
        Doc.set_extension("annalist_dct", default=None)


class AnnalistComponent:
    """Puts the time expressions of each Doc into ``doc.spans[spans_key]``."""

    def __init__(
        self,
        name: str = "annalist",
        *,
        dct: _DctLike = None,
        domain: str = "auto",
        spans_key: str = "timex",
        tagger: Optional[Tagger] = None,
    ) -> None:
        """Builds the component; a bad ``dct`` or ``domain`` raises ValueError now."""
        _register_extensions()
        self.name = name
        self.dct = dct
        self.domain = domain
        self.spans_key = spans_key
        self.tagger = tagger if tagger is not None else default_tagger()
        # Fail at construction, not on the first document.
        self.tagger.tag("", dct=dct, domain=domain)

    def _spans(self, doc: Doc, timexes: list[Timex]) -> list[Span]:
        spans = []
        for t in timexes:
            # Expand to token boundaries when an expression ends inside a token
            # ("1921-03-03T10:00Z" tokenized differently, "mid-March").
            span = doc.char_span(t.start, t.end, label=t.type, alignment_mode="expand")
            if span is None:
                continue
            span._.timex = t
            spans.append(span)
        return spans

    def __call__(self, doc: Doc) -> Doc:
        """Tags ``doc`` and stores its time expressions as spans."""
        dct = doc._.annalist_dct if doc._.annalist_dct is not None else self.dct
        timexes = self.tagger.tag(doc.text, dct=dct, domain=self.domain)
        doc.spans[self.spans_key] = self._spans(doc, timexes)
        return doc

    def pipe(self, stream, batch_size: int = 256):
        """Tags Docs in batches, on all cores (``Tagger.tag_many``)."""
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._tag_batch(batch)
                batch = []
        if batch:
            yield from self._tag_batch(batch)

    def _tag_batch(self, docs: list[Doc]):
        dcts = [d._.annalist_dct if d._.annalist_dct is not None else self.dct for d in docs]
        results = self.tagger.tag_many([d.text for d in docs], dcts=dcts, domains=self.domain)
        for doc, timexes in zip(docs, results):
            doc.spans[self.spans_key] = self._spans(doc, timexes)
            yield doc


@Language.factory(
    "annalist",
    default_config={"dct": None, "domain": "auto", "spans_key": "timex"},
)
def make_annalist(
    nlp: Language,
    name: str,
    dct: Optional[str],
    domain: str,
    spans_key: str,
) -> AnnalistComponent:
    """spaCy factory for the ``annalist`` component (``nlp.add_pipe("annalist")``)."""
    return AnnalistComponent(name, dct=dct, domain=domain, spans_key=spans_key)
