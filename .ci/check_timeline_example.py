#!/usr/bin/env python3
"""Acceptance check of `annalist timeline` on the worked example.

Runs `annalist timeline ../shared/examples/pact-1939.txt` and checks against
pact-1939.expected.json that:
- every expected event is a timeline entry with the expected anchor (`when`, `mod`,
  `until`), in the expected chronological order, with the expected participants
  (case-insensitive);
- "visit" (only requested) is an event but not a timeline entry;
- the HTML view embeds a chronology from the end of 1938 to the evening of
  23 August 1939.

Skips, with a message, where ../shared (or /work/shared) is absent. Run from the repo
root; the binary is $ANNALIST_BIN, else target/release/annalist, else target/debug/annalist.
"""
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def find_shared():
    for cand in (os.path.join(os.path.dirname(ROOT), "shared"), "/work/shared"):
        if os.path.isfile(os.path.join(cand, "examples", "pact-1939.expected.json")):
            return cand
    return None


def find_bin():
    env = os.environ.get("ANNALIST_BIN")
    if env:
        return env
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    for profile in ("release", "debug"):
        p = os.path.join(target, profile, "annalist")
        if os.path.isfile(p):
            return p
    sys.exit("check_timeline_example: no annalist binary (build it, or set ANNALIST_BIN)")


def same(a, b):
    a, b = (a or "").lower(), (b or "").lower()
    return a == b or a in b or b in a


def main():
    shared = find_shared()
    if shared is None:
        print("check_timeline_example: skipped (no shared/examples/pact-1939.* beside the repo)")
        return 0
    binary = find_bin()
    text_path = os.path.join(shared, "examples", "pact-1939.txt")
    expected = json.load(open(os.path.join(shared, "examples", "pact-1939.expected.json")))
    domain = expected.get("domain") or "auto"
    out = subprocess.run([binary, "timeline", text_path, "--domain", domain, "--to", "json"],
                         check=True, capture_output=True, text=True).stdout
    doc = json.loads(out)
    entries = doc["timeline"]
    problems = []
    last = -1
    for exp in expected["events"]:
        want = (exp["when"], exp.get("mod"), exp.get("until"))
        candidates = [e for e in entries if e["trigger"].lower() == exp["trigger"].lower()]
        match = None
        for e in candidates:
            if e["anchored"] and (e.get("when"), e.get("mod"), e.get("until")) == want and e["position"] > last:
                match = e
                break
        if match is None:
            got = [(e["position"], e.get("when"), e.get("mod"), e.get("until")) for e in candidates]
            problems.append(f"{exp['trigger']!r}: no entry anchored to {want} after position {last + 1}; "
                            f"entries with that trigger: {got}")
            continue
        last = match["position"]
        missing = [p for p in exp["participants"] if not any(same(p, w) for w in match["who"])]
        if missing:
            problems.append(f"{exp['trigger']!r} at {want[0]}: participants {missing} missing from {match['who']}")
    if any(e["trigger"].lower() == "visit" for e in entries):
        problems.append("'visit' (only requested) is on the timeline as an occurrence")
    visits = [e for e in doc["events"] if e["trigger"].lower() == "visit"]
    if not visits or any(e["occurred"] for e in visits):
        problems.append(f"'visit' should be an event that did not occur: {visits}")

    html = subprocess.run([binary, "timeline", text_path, "--domain", domain, "--to", "html"],
                          check=True, capture_output=True, text=True).stdout
    m = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', html, re.S)
    if not m:
        problems.append("HTML: no embedded timeline data")
    else:
        data = json.loads(m.group(1).replace("<\\/", "</"))
        items = [i for d in data["docs"] for i in d["items"] if i["anchored"]]
        if not items:
            problems.append("HTML: no anchored items")
        else:
            first, final = items[0], items[-1]
            if first["when"] != "late 1938":
                problems.append(f"HTML: chronology starts at {first['when']!r}, expected 'late 1938'")
            if final["when"] != "23 August 1939, evening":
                problems.append(f"HTML: chronology ends at {final['when']!r}, expected '23 August 1939, evening'")
        if "http://" in html or "https://" in html:
            problems.append("HTML: refers to the network")
    if problems:
        print("check_timeline_example: FAILED")
        for p in problems:
            print("  " + p)
        return 1
    print(f"check_timeline_example: ok ({len(expected['events'])} expected events found in order, "
          f"{len(entries)} timeline entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
