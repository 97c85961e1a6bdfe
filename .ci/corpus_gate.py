#!/usr/bin/env python3
"""Corpus regression gate.

Runs `annalist eval` over the development corpora in ../shared/corpora and the worked example
in ../shared/examples, and fails when a score drops more than 0.5 points below the figures in
.ci/corpus-baseline.json (the same figures the README states). Skips, with a message, where
../shared is absent.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
BIN = os.environ.get("ANNALIST_BIN") or os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
    os.environ.get("ANNALIST_PROFILE", "release"), "annalist")
TOLERANCE = 0.5


def evaluate(paths, fmt):
    out = subprocess.run([BIN, "eval", "--gold", *paths, "--format", fmt, "--json"],
                         check=True, capture_output=True, text=True).stdout
    scores = json.loads(out)["scores"]
    return {k: round(100 * scores[k]["f1"], 1) for k in ("strict", "relaxed", "value", "type") if scores.get(k)}


def worked_example():
    """Every expected expression found with its value, type and mod; nothing spurious."""
    ex = os.path.join(SHARED, "examples", "pact-1939.txt")
    expected = json.load(open(os.path.join(SHARED, "examples", "pact-1939.expected.json")))
    out = subprocess.run([BIN, "tag", ex, "--domain", expected.get("domain") or "auto", "--to", "json"],
                         check=True, capture_output=True, text=True).stdout
    got = {(t["start"], t["end"]): t for t in json.loads(out)["timexes"]}
    problems = []
    for e in expected["timexes"]:
        t = got.pop((e["start"], e["end"]), None)
        if t is None:
            problems.append(f"missing {e['text']!r} at {e['start']}")
        elif (t["type"], t["value"], t.get("mod")) != (e["type"], e["value"], e.get("mod")):
            problems.append(f"{e['text']!r}: got {t['type']} {t['value']} {t.get('mod')}, "
                            f"want {e['type']} {e['value']} {e.get('mod')}")
    problems += [f"spurious {t['text']!r} = {t['value']}" for t in got.values()]
    return problems


def main():
    if not os.path.isdir(os.path.join(SHARED, "corpora")):
        print(f"corpus gate: SKIPPED — {SHARED}/corpora not found (development corpora are not part of the repo)")
        return 0
    baseline = json.load(open(os.path.join(ROOT, ".ci", "corpus-baseline.json")))
    corpora = os.path.join(SHARED, "corpora")
    measured = {
        "tbaq": evaluate([os.path.join(corpora, "tbaq-cleaned", "TimeBank"),
                          os.path.join(corpora, "tbaq-cleaned", "AQUAINT")], "timeml"),
        "wikiwars": evaluate([os.path.join(corpora, "wikiwars-train", "keyinline")], "timex2"),
    }
    failed = False
    for corpus, metrics in baseline.items():
        for metric, base in metrics.items():
            now = measured[corpus].get(metric)
            ok = now is not None and now >= base - TOLERANCE
            failed |= not ok
            print(f"corpus gate: {corpus:9} {metric:8} {now!s:>5} (README {base}) {'ok' if ok else 'DROPPED'}")
    problems = worked_example()
    for p in problems:
        print(f"corpus gate: worked example: {p}")
    print(f"corpus gate: worked example: {'ok' if not problems else 'FAILED'}")
    failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
