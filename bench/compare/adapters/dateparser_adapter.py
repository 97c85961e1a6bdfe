"""dateparser (`dateparser.search.search_dates`), English only.

search_dates returns (substring, datetime) pairs without offsets or granularity. The adapter
finds each substring in the text after the previous match, and re-reads the substring with
`DateDataParser.get_date_data`, whose `period` (time/day/week/month/year) gives the value's
granularity. Lossy: every result is a DATE or TIME point (no DURATION/SET, no mod; "three
hours" becomes a time of day); missing parts are filled from the reference date, as
dateparser does. Documents are fed line by line (long lines cut at sentence ends), because
search_dates is meant for short texts.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

PERIOD = {"time": "minute", "day": "day", "week": "week", "month": "month", "year": "year"}


def setup():
    logging.getLogger("dateparser").setLevel(logging.ERROR)
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    search_dates("warm up on 3 May 2001", languages=["en"])  # loads the English data

    def tag(doc: common.Doc) -> list[common.Timex]:
        settings = {"RELATIVE_BASE": doc.reference(), "RETURN_AS_TIMEZONE_AWARE": False}
        ddp = DateDataParser(languages=["en"], settings=settings)
        out: list[common.Timex] = []
        for off, chunk in common.split_spans(doc.text):
            found = search_dates(chunk, languages=["en"], settings=settings) or []
            pos = 0
            for sub, when in found:
                i = chunk.find(sub, pos)
                if i < 0:
                    continue
                pos = i + len(sub)
                core = sub.strip()
                i += sub.index(core) if core else 0
                data = ddp.get_date_data(core)
                period = PERIOD.get(data.period or "day", "day")
                d = data.date_obj or when
                if period == "minute" and d.second:
                    period = "second"
                typ = "TIME" if period in ("minute", "second") else "DATE"
                out.append(common.Timex(off + i, off + i + len(core), core, typ, common.fmt_date(d, period)))
        return out

    return tag


def version() -> str:
    from importlib.metadata import version as v

    return v("dateparser")


if __name__ == "__main__":
    sys.exit(common.run("dateparser", version(), setup, __doc__.splitlines()[0]))
