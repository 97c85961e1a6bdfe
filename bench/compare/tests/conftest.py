"""Shared fixtures for the bench/compare tests (run by bench/compare/run.sh, not by cargo
test or CI): they need the peers installed in bench/.venv and bench/node_modules, and fail,
rather than skip, when a peer is broken."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
COMPARE = HERE.parent
ADAPTERS = COMPARE / "adapters"
sys.path.insert(0, str(ADAPTERS))
sys.path.insert(0, str(COMPARE))

# Our own sentences: a short account of the Tay Bridge, plus cases for offsets and DCTs.
DOCS = [
    {
        "id": "tay",
        "text": "The bridge over the Firth of Tay opened on 1 June 1878.\n"
        "On 28 December 1879 a storm brought it down. "
        "The inquiry sat for three months and reported in June 1880.",
        "dct": None,
    },
    {
        # An astral character (two UTF-16 units) before the date checks code point offsets.
        "id": "emoji",
        "text": "\U0001F6A2 The ferry service resumed on 14 March 1880 at 9:30 am.",
        "dct": "1880-03-20",
    },
    {"id": "news", "text": "The company said on Tuesday that profits rose in 1997.", "dct": "1998-01-08"},
    {"id": "empty", "text": "", "dct": "1998-01-08"},
]

COMMANDS = {
    "heideltime": [sys.executable, str(ADAPTERS / "heideltime_adapter.py")],
    "chrono-node": ["node", str(ADAPTERS / "chrono_adapter.js")],
    "recognizers-text": ["node", str(ADAPTERS / "recognizers_adapter.js")],
    "dateparser": [sys.executable, str(ADAPTERS / "dateparser_adapter.py")],
    "datefinder": [sys.executable, str(ADAPTERS / "datefinder_adapter.py")],
    "ctparse": [sys.executable, str(ADAPTERS / "ctparse_adapter.py")],
}


def run_adapter(name: str, docs: list[dict], tmp: Path, *extra: str) -> tuple[list[dict], dict]:
    inp = tmp / f"{name}.in.jsonl"
    out = tmp / f"{name}.out.jsonl"
    stats = tmp / f"{name}.stats.json"
    inp.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    env = dict(os.environ, TZ="UTC")
    r = subprocess.run(
        COMMANDS[name] + ["--input", str(inp), "--output", str(out), "--stats", str(stats), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert r.returncode == 0, f"{name} adapter failed:\n{r.stderr[-3000:]}"
    recs = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines() if l.strip()]
    return recs, json.loads(stats.read_text())


@pytest.fixture(scope="session")
def outputs(tmp_path_factory):
    """Every adapter run once on DOCS: {name: (records, stats)}."""
    tmp = tmp_path_factory.mktemp("adapters")
    return {name: run_adapter(name, DOCS, tmp) for name in COMMANDS}
