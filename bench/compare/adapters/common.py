"""Shared plumbing for the Python adapters of bench/compare.

Every adapter is a command with the same interface:

    ADAPTER --input DOCS.jsonl --output OUT.jsonl [--stats STATS.json]
            [--max-seconds S] [--max-chars N] [--min-chars M]

The caps (tagging seconds, characters) are checked between documents once at least M
characters have been tagged.

DOCS.jsonl has one `{"id", "text", "dct"}` record a line (dct: `YYYY-MM-DD` or null).
OUT.jsonl gets one record a document in the shape of `annalist tag --to jsonl`:
`{"id", "timexes": [{"start", "end", "text", "type", "value", "mod"?, "tid"}]}`, offsets in
Unicode code points, or `{"id", "error"}` when the peer failed on that document.
STATS.json gets `{"peer", "version", "startup_s", "tag_s", "docs", "chars", "complete"}`:
start-up is the time from process creation until the peer is ready to tag; tag_s adds up the
time spent inside the peer's tagging calls only (no JSON reading or writing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

# Peers that need a "now" get this one for documents without a DCT (the WikiWars narratives),
# so that runs are reproducible. Values they derive from it are wrong for a narrative whatever
# date is chosen; only HeidelTime (narratives mode) and annalist anchor to the story instead.
FALLBACK_REFERENCE = dt.datetime(2000, 1, 1, 12, 0, 0)


def process_start_time() -> float:
    """Wall-clock time at which this process was created (for start-up measurement)."""
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:  # psutil missing: measure from the first line of the adapter instead
        return _IMPORT_TIME


_IMPORT_TIME = time.time()


@dataclass
class Timex:
    """One time expression found by a peer, already mapped to TIMEX3."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None

    def record(self, tid: int) -> dict:
        r = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
        }
        if self.mod:
            r["mod"] = self.mod
        r["tid"] = f"t{tid}"
        return r


@dataclass
class Doc:
    """An input document."""

    id: object
    text: str
    dct: str | None

    def reference(self) -> dt.datetime:
        """The DCT at noon, or FALLBACK_REFERENCE when there is none."""
        if self.dct:
            d = dt.date.fromisoformat(self.dct[:10])
            return dt.datetime(d.year, d.month, d.day, 12, 0, 0)
        return FALLBACK_REFERENCE


def read_docs(path: str) -> Iterator[Doc]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
                yield Doc(r["id"], r["text"], r.get("dct"))
            except (ValueError, KeyError) as e:
                raise SystemExit(f"{path}:{n}: bad input record: {e}")


def finish(timexes: list[Timex], text: str) -> list[dict]:
    """Trims white space off the spans, sorts them, drops those that are empty, out of range
    or overlap an earlier kept one (the scorer matches each expression once), and numbers
    them t1, t2, ..."""
    kept: list[Timex] = []
    for t in timexes:
        while t.start < t.end and t.start < len(text) and text[t.start].isspace():
            t.start += 1
        while t.end > t.start and t.end <= len(text) and text[t.end - 1].isspace():
            t.end -= 1
    for t in sorted(timexes, key=lambda t: (t.start, -(t.end - t.start))):
        if not (0 <= t.start < t.end <= len(text)):
            continue
        if kept and t.start < kept[-1].end:
            continue
        t.text = text[t.start : t.end]
        kept.append(t)
    return [t.record(i + 1) for i, t in enumerate(kept)]


@dataclass
class Stats:
    peer: str
    version: str
    startup_s: float = 0.0
    tag_s: float = 0.0
    docs: int = 0
    chars: int = 0
    errors: int = 0
    complete: bool = True
    startup_cpu_s: float = 0.0
    tag_cpu_s: float = 0.0
    extra: dict = field(default_factory=dict)


def tree_cpu_seconds() -> float:
    """CPU seconds (user + system) used so far by this process, its live descendants and
    the children it has reaped. 0.0 when psutil is not available."""
    try:
        import psutil
    except ImportError:
        return 0.0
    me = psutil.Process()
    t = me.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for c in me.children(recursive=True):
        try:
            ct = c.cpu_times()
            total += ct.user + ct.system
        except psutil.Error:
            pass
    return total


def parse_args(description: str) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--stats")
    ap.add_argument("--max-seconds", type=float, default=None, help="stop after this much tagging time")
    ap.add_argument("--max-chars", type=int, default=None, help="stop after this many characters")
    ap.add_argument(
        "--min-chars", type=int, default=0, help="tag at least this many characters whatever the caps"
    )
    return ap.parse_args()


def run(
    peer: str,
    version: str,
    setup: Callable[[], object],
    description: str,
) -> int:
    """Runs one adapter: `setup()` loads the peer and returns the per-document tagger
    (a callable Doc -> list[Timex]), or a pair (tagger, close) when the peer holds a
    process that must be shut down."""
    a = parse_args(description)
    made = setup()
    tag, close = made if isinstance(made, tuple) else (made, None)
    stats = Stats(peer, version, startup_s=time.time() - process_start_time())
    cpu0 = tree_cpu_seconds()
    stats.startup_cpu_s = cpu0
    with open(a.output, "w", encoding="utf-8") as out:
        for doc in read_docs(a.input):
            if stats.chars >= a.min_chars and (
                (a.max_seconds is not None and stats.tag_s >= a.max_seconds)
                or (a.max_chars is not None and stats.chars >= a.max_chars)
            ):
                stats.complete = False
                break
            t0 = time.perf_counter()
            try:
                found = tag(doc)
                rec = {"id": doc.id, "timexes": finish(found, doc.text)}
            except Exception as e:  # one bad document must not end the run
                stats.errors += 1
                rec = {"id": doc.id, "error": f"{type(e).__name__}: {e}"}
            stats.tag_s += time.perf_counter() - t0
            stats.docs += 1
            stats.chars += len(doc.text)
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if close is not None:
        close()
    stats.tag_cpu_s = tree_cpu_seconds() - cpu0
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(stats.__dict__, f, indent=2)
    print(
        f"{peer}: {stats.docs} docs, {stats.chars} chars, tag {stats.tag_s:.2f}s, "
        f"start-up {stats.startup_s:.2f}s, errors {stats.errors}",
        file=sys.stderr,
    )
    return 0


# ---------------------------------------------------------------- value formatting helpers

def fmt_date(d: dt.date | dt.datetime, granularity: str) -> str:
    """TIMEX3 value of a date at a granularity: year, month, week, day, hour, minute, second."""
    if granularity == "year":
        return f"{d.year:04d}"
    if granularity == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if granularity == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if granularity == "day":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
    hh = getattr(d, "hour", 0)
    mm = getattr(d, "minute", 0)
    if granularity == "hour":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{hh:02d}"
    if granularity == "minute":
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{hh:02d}:{mm:02d}"
    ss = getattr(d, "second", 0)
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{hh:02d}:{mm:02d}:{ss:02d}"


def split_spans(text: str, max_len: int = 2000) -> Iterator[tuple[int, str]]:
    """Yields (offset, chunk) for the non-empty lines of `text`; lines longer than max_len
    are cut at sentence ends ('. ') so per-call costs stay bounded for utterance parsers."""
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        while len(line) > max_len:
            cut = line.rfind(". ", 0, max_len)
            cut = max_len if cut < 0 else cut + 2
            yield start, line[:cut]
            start += cut
            line = line[cut:]
        yield start, line


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """Yields (offset, sentence) using a simple end-of-sentence split within lines."""
    import re

    for off, line in split_spans(text, max_len=10**9):
        last = 0
        for m in re.finditer(r"[.!?][\"')\]]*\s+(?=[A-Z0-9\"'(])", line):
            yield off + last, line[last : m.end()]
            last = m.end()
        if last < len(line):
            yield off + last, line[last:]
