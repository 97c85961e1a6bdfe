"""ctparse (`ctparse.ctparse(sentence, ts=reference, timeout=...)`).

ctparse resolves one expression per call (the best-scoring parse of a short string). The
adapter calls it on each sentence, then again on the rest of the sentence after the span
found, until nothing more is found (at most 8 expressions a sentence, 0.5 s a call).
Mapping: Time → DATE/TIME with the fields ctparse resolved (unresolved ones written X, as
TIMEX3 does: "XXXX-10" for a bare "October"; a weekday alone → XXXX-WXX-n; part of day →
TMO/TAF/TEV/TNI); Interval → its start (lossy: a TIMEX3 annotation would have two
expressions); Duration → P<n><unit>. No SET and no mod.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

POD = {"morning": "MO", "forenoon": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
       "lateevening": "EV", "earlymorning": "MO", "noon": "MI", "midnight": "NI"}
UNIT = {"minutes": ("PT", "M"), "hours": ("PT", "H"), "days": ("P", "D"), "nights": ("P", "D"),
        "weeks": ("P", "W"), "months": ("P", "M"), "years": ("P", "Y")}


def time_value(t) -> tuple[str, str] | None:
    """(type, value) of a ctparse Time."""
    y, m, d, hh, mm = t.year, t.month, t.day, t.hour, t.minute
    date = None
    if y is not None or m is not None or d is not None:
        ys = f"{y:04d}" if y is not None else "XXXX"
        if m is None and d is None:
            date = ys
        elif d is None:
            date = f"{ys}-{m:02d}"
        else:
            ms = f"{m:02d}" if m is not None else "XX"
            date = f"{ys}-{ms}-{d:02d}"
    elif t.DOW is not None:
        date = f"XXXX-WXX-{t.DOW + 1}"
    if hh is not None:
        clock = f"T{hh:02d}:{(mm or 0):02d}"
        return "TIME", (date or "XXXX-XX-XX") + clock
    if t.POD:
        pod = POD.get(str(t.POD).replace("_", "").lower())
        if pod:
            return "TIME", (date or "XXXX-XX-XX") + "T" + pod
    if date is None:
        return None
    return "DATE", date


def resolve(res) -> tuple[str, str] | None:
    from ctparse.types import Duration, Interval, Time

    if isinstance(res, Time):
        return time_value(res)
    if isinstance(res, Interval):
        if res.t_from is not None:
            return time_value(res.t_from)
        if res.t_to is not None:
            return time_value(res.t_to)
        return None
    if isinstance(res, Duration):
        unit = getattr(res.unit, "value", str(res.unit)).lower()
        prefix, letter = UNIT.get(unit, ("P", "D"))
        return "DURATION", f"{prefix}{res.value}{letter}"
    return None


def normalize(text: str) -> tuple[str, list[int]]:
    """ctparse's own preprocessing (runs of separators → one space, runs of dashes → "-",
    stripped), done here so that its match offsets can be mapped back: returns the
    normalized string and, for each of its characters, the offset in `text`."""
    import regex

    pat = regex.compile(r"([,;\pZ\pC\p{Ps}\p{Pe}]+)|((?:\p{Pd}|[\u2010-\u2015]|\u2043)+)", regex.VERSION1)
    out: list[str] = []
    where: list[int] = []
    last = 0
    for m in pat.finditer(text):
        for i in range(last, m.start()):
            out.append(text[i])
            where.append(i)
        out.append(" " if m.group(1) is not None else "-")
        where.append(m.start())
        last = m.end()
    for i in range(last, len(text)):
        out.append(text[i])
        where.append(i)
    s = "".join(out)
    lead = len(s) - len(s.lstrip())
    s2 = s.strip()
    return s2, where[lead : lead + len(s2)]


def setup():
    logging.getLogger("ctparse").setLevel(logging.CRITICAL)
    logging.getLogger("ctparse.ctparse").setLevel(logging.CRITICAL)
    from ctparse import ctparse

    ctparse("warm up on May 3rd 2001")

    def tag(doc: common.Doc) -> list[common.Timex]:
        ref = doc.reference()
        out: list[common.Timex] = []
        for off, sent in common.sentences(doc.text):
            norm, where = normalize(sent)
            pos = 0
            for _ in range(8):
                while pos < len(norm) and norm[pos] == " ":
                    pos += 1  # ctparse strips leading blanks, which would shift its offsets
                rest = norm[pos:]
                if not rest.strip():
                    break
                p = ctparse(rest, ts=ref, timeout=0.5)
                if p is None:
                    break
                r = p.resolution
                s, e = r.mstart, r.mend
                if e <= s or pos + e > len(where):
                    break
                mapped = resolve(r)
                if mapped is not None:
                    typ, value = mapped
                    a, b = off + where[pos + s], off + where[pos + e - 1] + 1
                    out.append(common.Timex(a, b, doc.text[a:b], typ, value))
                pos += e
        return out

    return tag


def version() -> str:
    from importlib.metadata import version as v

    return v("ctparse")


if __name__ == "__main__":
    sys.exit(common.run("ctparse", version(), setup, __doc__.splitlines()[0]))
