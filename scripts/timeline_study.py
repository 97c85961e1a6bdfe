#!/usr/bin/env python3
"""WikiWars timeline study (docs/timeline.md).

Runs `annalist timeline --to jsonl` over the WikiWars development articles and reports:
- sentences with a (placeable, system-found) time expression, and how many of them
  yield an event anchored to a time expression of that sentence (any event / an
  occurrence that is a timeline entry);
- timeline entries: anchored (by source) and undated;
- with --sample N [--seed S]: N random timeline entries (when, what, who, evidence)
  for a manual check. Their text is printed, never stored.

Usage: python3 scripts/timeline_study.py [--corpus DIR] [--sample 50] [--seed 7]
Skips with a message when the corpus is absent.
"""
import argparse
import bisect
import glob
import json
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_bin():
    if os.environ.get("ANNALIST_BIN"):
        return os.environ["ANNALIST_BIN"]
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    for p in ("release", "debug"):
        b = os.path.join(target, p, "annalist")
        if os.path.isfile(b):
            return b
    sys.exit("no annalist binary (build it or set ANNALIST_BIN)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    corpus = args.corpus
    if corpus is None:
        for c in (os.path.join(os.path.dirname(ROOT), "shared", "corpora", "wikiwars-train", "keyinline"),
                  "/work/shared/corpora/wikiwars-train/keyinline"):
            if os.path.isdir(c):
                corpus = c
                break
    if corpus is None or not os.path.isdir(corpus):
        print("timeline_study: skipped (WikiWars corpus not found)")
        return 0
    binary = find_bin()
    files = sorted(glob.glob(os.path.join(corpus, "*.key.xml")))
    with tempfile.TemporaryDirectory() as tmp:
        # The articles' text without tags (as format::timex2 reads it: the <TEXT> body).
        texts = []
        for f in files:
            raw = open(f, encoding="utf-8").read()
            body = raw[raw.find("<TEXT>") + 6: raw.find("</TEXT>")] if "<TEXT>" in raw else raw
            body = re.sub(r"<[^>]+>", "", body)
            body = body.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
            p = os.path.join(tmp, os.path.basename(f).replace(".key.xml", ".txt"))
            open(p, "w", encoding="utf-8").write(body)
            texts.append(p)
        out = subprocess.run([binary, "timeline", *texts, "--domain", "narrative", "--to", "jsonl"],
                             check=True, capture_output=True, text=True).stdout
    docs = [json.loads(line) for line in out.splitlines() if line.strip()]
    sent_with_time = sent_anchored_any = sent_anchored_occ = 0
    entries = anchored = 0
    by_source = {}
    pool = []
    for d in docs:
        starts = [s[0] for s in d["sentences"]]
        sentences_with_timex = {}
        for t in d["timexes"]:
            if t["type"] in ("DATE", "TIME") and not t["value"].startswith(("XXXX", "P", "PRESENT", "PAST", "FUTURE")):
                si = bisect.bisect_right(starts, t["start"]) - 1
                sentences_with_timex.setdefault(si, set()).add(t["tid"])
        ev_by_sentence = {}
        for e in d["events"]:
            ev_by_sentence.setdefault(e["sentence"], []).append(e)
        for si, tids in sentences_with_timex.items():
            sent_with_time += 1
            hit = [e for e in ev_by_sentence.get(si, []) if e.get("anchor") and e["anchor"].get("tid") in tids
                   and e["anchor"]["source"] in ("clause", "sentence")]
            if hit:
                sent_anchored_any += 1
            if any(e["occurred"] for e in hit):
                sent_anchored_occ += 1
        evmap = {e["eid"]: e for e in d["events"]}
        for en in d["timeline"]:
            entries += 1
            if en["anchored"]:
                anchored += 1
                src = evmap[en["eid"]]["anchor"]["source"]
                by_source[src] = by_source.get(src, 0) + 1
            pool.append((d["id"], en, evmap[en["eid"]]))
    print(f"documents: {len(docs)}")
    print(f"sentences with a placeable time expression: {sent_with_time}")
    print(f"  ... yielding an event anchored to it: {sent_anchored_any} ({100 * sent_anchored_any / max(sent_with_time, 1):.1f}%)")
    print(f"  ... yielding a timeline entry (occurrence) anchored to it: {sent_anchored_occ} "
          f"({100 * sent_anchored_occ / max(sent_with_time, 1):.1f}%)")
    print(f"timeline entries: {entries}, anchored {anchored} ({100 * anchored / max(entries, 1):.1f}%), by source {by_source}")
    if args.sample:
        rng = random.Random(args.seed)
        for i, (doc, en, ev) in enumerate(rng.sample(pool, min(args.sample, len(pool))), 1):
            a = ev.get("anchor") or {}
            print(f"\n[{i}] {doc} #{en['position']}  {en['label']}  ({a.get('source', '-')}, {a.get('relation', '-')})")
            print(f"    what: {en['trigger']} ({ev['class']}, {ev['tense']})   who: {', '.join(en['who'])}")
            print(f"    {en['evidence']['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
