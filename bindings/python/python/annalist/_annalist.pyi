"""Type stubs for the compiled extension module ``annalist._annalist``."""

import datetime
from collections.abc import Iterable
from typing import Literal, TypedDict, final, overload

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

def default_tagger() -> Tagger:
    """The process-wide shared Tagger, built on first use.

    ``tag()`` and ``tag_many()`` use it; so should code running in worker
    processes (Spark, multiprocessing), so each process builds one tagger.
    """
