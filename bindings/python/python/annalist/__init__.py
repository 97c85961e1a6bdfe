"""annalist: find time expressions in English text and normalize them to TimeML
TIMEX3 values; find the events and order them on a timeline.

>>> import annalist
>>> [(t.text, t.type, t.value) for t in annalist.tag("On 3 March 1921 the treaty was signed.")]
[('3 March 1921', 'DATE', '1921-03-03')]
>>> tl = annalist.timeline("On 3 March 1921 the treaty was signed.")
>>> [(e.trigger, e.when) for e in tl.entries]
[('signed', '1921-03-03')]

``tag()``, ``tag_many()``, ``timeline()`` and ``timeline_many()`` use one tagger
shared by the whole process (``default_tagger()``); build your own ``Tagger()``
if you prefer. A Tagger is immutable and thread-safe: tagging releases the GIL,
and the ``*_many()`` functions work on all cores.

Offsets (``Timex.start``/``Timex.end``, ``Event.start``/``Event.end``,
``Span.start``/``Span.end``) are Python string indices (Unicode code points),
so ``text[t.start:t.end] == t.text``.

The spaCy pipeline component lives in :mod:`annalist.spacy_component` and is
found by spaCy through an entry point: ``nlp.add_pipe("annalist")``.
"""

from ._annalist import (
    Anchor,
    Entry,
    Event,
    Span,
    Tagger,
    Timeline,
    Timex,
    __version__,
    default_tagger,
    tag,
    tag_many,
    timeline,
    timeline_many,
)

__all__ = [
    "Anchor",
    "Entry",
    "Event",
    "Span",
    "Tagger",
    "Timeline",
    "Timex",
    "__version__",
    "default_tagger",
    "tag",
    "tag_many",
    "timeline",
    "timeline_many",
]
