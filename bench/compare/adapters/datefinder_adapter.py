"""datefinder (`find_dates(text, source=True, index=True, base_date=reference)`).

datefinder gives a datetime, the matched source string and its offsets. It has no notion of
granularity, type, duration or set, so the adapter infers the granularity from the matched
string (a clock time → TIME at minute; a day number with a month → day; a month with a year
→ month; a lone year → year; otherwise day). Missing parts come from the reference date, as
datefinder fills them. Lossy: no DURATION/SET/mod; relative expressions are not understood.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?", re.I
)
CLOCK = re.compile(r"\d{1,2}:\d{2}|\b\d{1,2}\s*(a\.?m\.?|p\.?m\.?)(?!\w)", re.I)
YEAR = re.compile(r"\b(1\d{3}|20\d{2})\b")
DAYNUM = re.compile(r"\b(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)?\b")
NUMERIC_DATE = re.compile(r"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b")


def granularity(src: str) -> str:
    if CLOCK.search(src):
        return "minute"
    if NUMERIC_DATE.search(src):
        return "day"
    has_month = MONTH.search(src) is not None
    has_year = YEAR.search(src) is not None
    no_year = YEAR.sub(" ", src)
    has_day = DAYNUM.search(no_year) is not None
    if has_month and has_day:
        return "day"
    if has_month and has_year:
        return "month"
    if has_year and not has_month:
        return "year"
    return "day"


def setup():
    import datefinder

    list(datefinder.find_dates("warm up on 3 May 2001"))

    def tag(doc: common.Doc) -> list[common.Timex]:
        out: list[common.Timex] = []
        for when, src, (s, e) in datefinder.find_dates(
            doc.text, source=True, index=True, base_date=doc.reference(), strict=False
        ):
            core = src.strip()
            if not core:
                continue
            # datefinder's offsets are into its own normalized copy of the text and can be
            # off by a few characters after accented letters: find the string near them.
            found = doc.text.find(core, max(0, s - 40))
            s = found if found >= 0 and abs(found - s) <= 60 else s + src.index(core)
            e = s + len(core)
            g = granularity(core)
            typ = "TIME" if g == "minute" else "DATE"
            out.append(common.Timex(s, e, core, typ, common.fmt_date(when, g)))
        return out

    return tag


def version() -> str:
    from importlib.metadata import version as v

    return v("datefinder")


if __name__ == "__main__":
    sys.exit(common.run("datefinder", version(), setup, __doc__.splitlines()[0]))
