"""Type stubs for the compiled extension module ``annalist._annalist``."""

import datetime
from collections.abc import Iterable
from typing import Any, Literal, TypedDict, final, overload

__version__: str

Dct = str | datetime.date | None
"""A document creation time: ``"YYYY-MM-DD"``, a ``datetime.date``/``datetime.datetime``, or None."""

Domain = Literal["news", "narrative", "auto"]
"""What relative expressions anchor to: the dct (news) or the story's time (narrative)."""

class TimexDict(TypedDict):
    """``Timex.to_dict()``: the keys of the CLI's JSON records."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None
    tid: str
    freq: str | None
    quant: str | None
    alternative_of: str | None

@final
class Timex:
    """One time expression found in a text.

    ``start`` and ``end`` are Python string indices (Unicode code points), so
    ``text[t.start:t.end] == t.text``. Timex objects are immutable, hashable,
    comparable and picklable.
    """

    @property
    def start(self) -> int:
        """Start index in the text (Unicode code points)."""
    @property
    def end(self) -> int:
        """End index, exclusive (Unicode code points)."""
    @property
    def text(self) -> str:
        """The expression as written."""
    @property
    def type(self) -> Literal["DATE", "TIME", "DURATION", "SET"]:
        """TIMEX3 type."""
    @property
    def value(self) -> str:
        """TIMEX3 value, e.g. ``1921-03-03``, ``P3D``, ``PRESENT_REF``."""
    @property
    def mod(self) -> str | None:
        """TIMEX3 ``mod`` (``START``, ``MID``, ``END``, ``APPROX``, …) or None."""
    @property
    def tid(self) -> str:
        """``t1``, ``t2``, … in text order."""
    @property
    def freq(self) -> str | None:
        """TIMEX3 ``freq`` for SETs ("twice a week" gives ``2X``), or None."""
    @property
    def quant(self) -> str | None:
        """TIMEX3 ``quant`` for SETs ("every" gives ``EVERY``), or None."""
    @property
    def alternative_of(self) -> str | None:
        """The ``tid`` this expression is an alternative to ("the 22nd or 23rd"), or None."""
    @property
    def rule(self) -> str:
        """The id of the rule that recognized the expression (for debugging)."""
    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        type: str,
        value: str,
        mod: str | None = None,
        tid: str = "",
        freq: str | None = None,
        quant: str | None = None,
        alternative_of: str | None = None,
        rule: str = "",
    ) -> None:
        """Builds a Timex by hand (the tagger builds them for you)."""
    def to_dict(self) -> TimexDict:
        """The expression as a dict with the keys of the CLI's JSON records."""

class SpanDict(TypedDict):
    """``Span.to_dict()``."""

    start: int
    end: int
    text: str

class AnchorDict(TypedDict):
    """``Anchor.to_dict()``: the keys of ``events[].anchor`` in the CLI's timeline JSON."""

    tid: str | None
    value: str
    mod: str | None
    until: str | None
    until_tid: str | None
    alternatives: list[str]
    relation: str
    granularity: str
    source: str
    certainty: str
    label: str
    axis_start: float
    axis_end: float

EventDict = TypedDict(
    "EventDict",
    {
        "eid": str,
        "start": int,
        "end": int,
        "trigger": str,
        "class": str,
        "pos": str,
        "tense": str,
        "aspect": str,
        "polarity": str,
        "modality": str,
        "occurred": bool,
        "status": str,
        "sentence": int,
        "actors": list[SpanDict],
        "patients": list[SpanDict],
        "anchor": AnchorDict | None,
    },
)
"""``Event.to_dict()``: the keys of ``events[]`` in the CLI's timeline JSON."""

EntryDict = TypedDict(
    "EntryDict",
    {
        "position": int,
        "eid": str,
        "trigger": str,
        "class": str,
        "when": str | None,
        "mod": str | None,
        "until": str | None,
        "alternatives": list[str],
        "relation": str | None,
        "label": str,
        "anchored": bool,
        "certainty": str | None,
        "who": list[str],
        "evidence": SpanDict,
    },
)
"""``Entry.to_dict()``: the keys of ``timeline[]`` in the CLI's timeline JSON."""

class TimelineDict(TypedDict):
    """``Timeline.to_dict()``: the CLI's JSON record (``annalist timeline --to json``)."""

    id: Any
    schema: Literal["annalist-timeline/1"]
    domain: Literal["news", "narrative"]
    dct: str | None
    sentences: list[list[int]]
    timexes: list[TimexDict]
    events: list[EventDict]
    timeline: list[EntryDict]

@final
class Span:
    """A stretch of the text: a participant, or the sentence that is an entry's evidence.

    ``start`` and ``end`` are Python string indices (Unicode code points).
    Immutable, comparable and picklable.
    """

    @property
    def start(self) -> int:
        """Start index in the text (Unicode code points)."""
    @property
    def end(self) -> int:
        """End index, exclusive (Unicode code points)."""
    @property
    def text(self) -> str:
        """The text of the span."""
    def to_dict(self) -> SpanDict:
        """``{"start", "end", "text"}``, as in the CLI's timeline JSON."""

@final
class Anchor:
    """The time an event is anchored to. Immutable, comparable and picklable."""

    @property
    def tid(self) -> str | None:
        """The ``tid`` of the governing time expression; None for the document creation time."""
    @property
    def value(self) -> str:
        """The TIMEX3 value anchored to (``1939-08-22``, ``1938``)."""
    @property
    def mod(self) -> str | None:
        """The TIMEX3 ``mod`` of the governing expression (``END`` for "the end of 1938"), or None."""
    @property
    def until(self) -> str | None:
        """The end of a range ("from May to July") when ``relation`` is ``from_to``, or None."""
    @property
    def until_tid(self) -> str | None:
        """The ``tid`` of ``until``, or None."""
    @property
    def alternatives(self) -> list[str]:
        """Other values the text allows ("the 22nd or 23rd")."""
    @property
    def relation(self) -> Literal["on", "during", "before", "after", "from_to", "from", "until", "includes"]:
        """How the event relates to the anchor."""
    @property
    def granularity(self) -> str:
        """``year``, ``month``, ``day``, ``part_of_day``, …: the coarsest expression involved."""
    @property
    def source(self) -> Literal["clause", "sentence", "narrative", "dct"]:
        """Where the anchor comes from."""
    @property
    def certainty(self) -> Literal["stated", "inferred", "uncertain"]:
        """How sure the anchor is."""
    @property
    def label(self) -> str:
        """The anchor as a person writes it ("late 1938")."""
    @property
    def axis_start(self) -> float:
        """Start on the time axis, days since 1970-01-01 (proleptic Gregorian)."""
    @property
    def axis_end(self) -> float:
        """End on the time axis (exclusive; equal to ``axis_start`` for a point)."""
    def to_dict(self) -> AnchorDict:
        """The keys of ``events[].anchor`` in the CLI's timeline JSON (absent values None)."""

@final
class Event:
    """An event mention with its time. Immutable, comparable and picklable.

    ``start``/``end`` are Python string indices of the trigger word:
    ``text[e.start:e.end] == e.trigger``.
    """

    @property
    def eid(self) -> str:
        """``e1``, ``e2``, … in text order."""
    @property
    def start(self) -> int:
        """Start of the trigger word (Unicode code points)."""
    @property
    def end(self) -> int:
        """End of the trigger word, exclusive (Unicode code points)."""
    @property
    def trigger(self) -> str:
        """The trigger word as written."""
    @property
    def class_(self) -> str:
        """TimeML class: ``OCCURRENCE``, ``REPORTING``, ``STATE``, ``I_ACTION``, … (``class`` in ``to_dict()``)."""
    @property
    def pos(self) -> str:
        """``verb``, ``noun``, ``adjective`` or ``other``."""
    @property
    def tense(self) -> str:
        """TimeML tense."""
    @property
    def aspect(self) -> str:
        """TimeML aspect."""
    @property
    def polarity(self) -> Literal["POS", "NEG"]:
        """Polarity."""
    @property
    def modality(self) -> Literal["actual", "negated", "intended_requested", "hypothetical_conditional", "future"]:
        """Whether it happened, was negated, asked for, hypothetical or in the future."""
    @property
    def occurred(self) -> bool:
        """Whether the text says it happened; only these are timeline entries."""
    @property
    def status(self) -> str:
        """Why it is or is not an entry: ``occurred``, ``negated``, ``intended_requested``,
        ``hypothetical_conditional``, ``future``, ``infinitive``, ``writers_present``, ``mention``."""
    @property
    def sentence(self) -> int:
        """Index of its sentence in ``Timeline.sentences``."""
    @property
    def actors(self) -> list[Span]:
        """Who acts."""
    @property
    def patients(self) -> list[Span]:
        """Who or what is acted upon."""
    @property
    def anchor(self) -> Anchor | None:
        """Its time, or None."""
    @property
    def participants(self) -> list[str]:
        """Actors, participants found around the event, patients (not in ``to_dict()``)."""
    def to_dict(self) -> EventDict:
        """The keys of ``events[]`` in the CLI's timeline JSON (``anchor`` a dict or None)."""

@final
class Entry:
    """One place on the timeline: an event that happened. Immutable, comparable and picklable."""

    @property
    def position(self) -> int:
        """1-based position on the timeline."""
    @property
    def eid(self) -> str:
        """The event's ``eid``."""
    @property
    def trigger(self) -> str:
        """The event's trigger word."""
    @property
    def class_(self) -> str:
        """The event's TimeML class (``class`` in ``to_dict()``)."""
    @property
    def when(self) -> str | None:
        """The anchor's TIMEX3 value; None when the entry is undated."""
    @property
    def mod(self) -> str | None:
        """The anchor's TIMEX3 ``mod``, or None."""
    @property
    def until(self) -> str | None:
        """The end of a range, or None."""
    @property
    def alternatives(self) -> list[str]:
        """Alternative values ("the 22nd or 23rd")."""
    @property
    def relation(self) -> str | None:
        """The relation to the anchor (``on``, ``during``, ``before``, …); None when undated."""
    @property
    def label(self) -> str:
        """The time as a person writes it ("late 1938"), or ``"undated"``."""
    @property
    def anchored(self) -> bool:
        """False when undated: placed by text order after the dated entry before it."""
    @property
    def certainty(self) -> Literal["stated", "inferred", "uncertain"] | None:
        """How sure the time is; None when undated."""
    @property
    def who(self) -> list[str]:
        """The participants: actors, participants found around the event, patients."""
    @property
    def evidence(self) -> Span:
        """The sentence that says so."""
    @property
    def event(self) -> Event:
        """The Event this entry places (also in ``Timeline.events``)."""
    def to_dict(self) -> EntryDict:
        """The keys of ``timeline[]`` in the CLI's timeline JSON (absent values None)."""

@final
class Timeline:
    """A document's time expressions, events and ordered timeline.

    Immutable, comparable and picklable; ``len(tl)`` is the number of entries.
    Each attribute access builds a new list: bind it once (``events = tl.events``)
    rather than indexing ``tl.events[i]`` in a loop.
    """

    @property
    def domain(self) -> Literal["news", "narrative"]:
        """The domain the text was read in (``auto`` resolved)."""
    @property
    def dct(self) -> str | None:
        """The document creation time (TIMEX3 value), or None."""
    @property
    def sentences(self) -> list[tuple[int, int]]:
        """The sentences as ``(start, end)`` code point ranges."""
    @property
    def timexes(self) -> list[Timex]:
        """The time expressions, in text order (as ``tag()`` gives them)."""
    @property
    def events(self) -> list[Event]:
        """Every event in text order, also those that did not happen."""
    @property
    def entries(self) -> list[Entry]:
        """The events that happened, in chronological order."""
    def to_dict(self, id: Any = None) -> TimelineDict:
        """The CLI's JSON record (schema ``annalist-timeline/1``), with ``id`` as given.

        Where the CLI leaves an absent value out, the dict has None (``[]`` for no
        alternatives), so every record has the same keys.
        """
    def __len__(self) -> int:
        """The number of entries."""

@final
class Tagger:
    """The temporal tagger.

    Build it once and share it: it is immutable and safe to use from many
    threads at once (tagging releases the GIL). Pickling a Tagger pickles no
    state: unpickling builds a new one.
    """

    def __init__(self) -> None:
        """Builds the English tagger from the built-in resources."""
    @property
    def rule_count(self) -> int:
        """The number of recognition rules loaded."""
    def tag(self, text: str, dct: Dct = None, domain: Domain | None = "auto") -> list[Timex]:
        """Finds and normalizes the time expressions of ``text``, in text order.

        ``dct`` is the document creation time; ``domain`` is ``"news"``,
        ``"narrative"`` or ``"auto"`` (news when a dct is given, narrative
        otherwise). Raises ValueError for a bad dct or domain and TypeError for
        arguments of the wrong type.
        """
    @overload
    def tag_many(
        self,
        texts: Iterable[str],
        dcts: Dct | Iterable[Dct] = None,
        domains: Domain | Iterable[Domain | None] | None = None,
        *,
        errors: Literal["raise"] = "raise",
        threads: int | None = None,
    ) -> list[list[Timex]]: ...
    @overload
    def tag_many(
        self,
        texts: Iterable[object],
        dcts: object = None,
        domains: object = None,
        *,
        errors: Literal["return"],
        threads: int | None = None,
    ) -> list[list[Timex] | Exception]:
        """Tags many documents in parallel and returns one result per text, in order.

        ``dcts`` and ``domains`` are None, one value for all texts, or an
        iterable with one value per text. ``threads`` caps the parallelism
        (None: all cores; 1: the calling thread only). With ``errors="raise"``
        the first bad document raises; with ``errors="return"`` its slot holds
        the exception (ValueError, TypeError or RuntimeError) instead.
        """
    def timeline(self, text: str, dct: Dct = None, domain: Domain | None = "auto") -> Timeline:
        """Finds the time expressions and events of ``text``, gives each event a
        time and orders the events that happened.

        ``dct`` and ``domain`` are as for ``tag()``. Raises ValueError for a bad
        dct or domain and TypeError for arguments of the wrong type.
        """
    @overload
    def timeline_many(
        self,
        texts: Iterable[str],
        dcts: Dct | Iterable[Dct] = None,
        domains: Domain | Iterable[Domain | None] | None = None,
        *,
        errors: Literal["raise"] = "raise",
        threads: int | None = None,
    ) -> list[Timeline]: ...
    @overload
    def timeline_many(
        self,
        texts: Iterable[object],
        dcts: object = None,
        domains: object = None,
        *,
        errors: Literal["return"],
        threads: int | None = None,
    ) -> list[Timeline | Exception]:
        """Builds many timelines in parallel and returns one Timeline per text, in
        order; arguments and errors as for ``tag_many()``.
        """

def tag(text: str, dct: Dct = None, domain: Domain | None = "auto") -> list[Timex]:
    """Finds and normalizes the time expressions of ``text`` with the shared tagger."""

@overload
def tag_many(
    texts: Iterable[str],
    dcts: Dct | Iterable[Dct] = None,
    domains: Domain | Iterable[Domain | None] | None = None,
    *,
    errors: Literal["raise"] = "raise",
    threads: int | None = None,
) -> list[list[Timex]]: ...
@overload
def tag_many(
    texts: Iterable[object],
    dcts: object = None,
    domains: object = None,
    *,
    errors: Literal["return"],
    threads: int | None = None,
) -> list[list[Timex] | Exception]:
    """Tags many documents in parallel with the shared tagger; see ``Tagger.tag_many``."""

def timeline(text: str, dct: Dct = None, domain: Domain | None = "auto") -> Timeline:
    """Builds the timeline of ``text`` with the shared tagger; see ``Tagger.timeline``."""

@overload
def timeline_many(
    texts: Iterable[str],
    dcts: Dct | Iterable[Dct] = None,
    domains: Domain | Iterable[Domain | None] | None = None,
    *,
    errors: Literal["raise"] = "raise",
    threads: int | None = None,
) -> list[Timeline]: ...
@overload
def timeline_many(
    texts: Iterable[object],
    dcts: object = None,
    domains: object = None,
    *,
    errors: Literal["return"],
    threads: int | None = None,
) -> list[Timeline | Exception]:
    """Builds many timelines in parallel with the shared tagger; see ``Tagger.timeline_many``."""

def default_tagger() -> Tagger:
    """The process-wide shared Tagger, built on first use.

    ``tag()``, ``tag_many()``, ``timeline()`` and ``timeline_many()`` use it;
    so should code running in worker processes (Spark, multiprocessing), so
    each process builds one tagger.
    """
