#!/usr/bin/env python3
"""Sort the wrong values of `annalist eval --errors` into kinds, to see which are ours to fix.

Usage:
    annalist eval --format timeml --gold DIR... --errors | python3 scripts/value_errors.py

Reads the tab-separated error lines (`doc  wrong_value  gold: "text" TYPE VALUE  system: "text"
TYPE VALUE [rule]  context`) and counts each wrong value in the first kind that fits:

- gold underspecified: the gold value has X where ours has digits and agrees elsewhere
  ("1989-WXX" for our "1989-W43"), is a coarser prefix of ours ("1998-10" for "1998-10-23"),
  or adds only unknown fields to ours ("1968-XX" for "1968");
- gold malformed: the gold value is not a TIMEX3 value ("2000-W8", "T17", "P1DT");
- point or duration: one side is a duration (P…) and the other a point;
- year or quarter: a year against a quarter of the same or the adjacent year (earnings reports);
- vague reference: PAST_REF/PRESENT_REF/FUTURE_REF against anything else;
- ours: the rest, counted by the rule that produced our value.
"""
import re
import sys
from collections import Counter

POINT = re.compile(
    r"^(BC)?[0-9X]{2,4}"
    r"(-(([0-9X]{2}(-[0-9X]{2})?)|W[0-9X]{2}(-[1-7](-WE)?|-WE)?|Q[1-4X]|H[12X]|SP|SU|FA|WI))?"
    r"(T([0-9X]{2}(:[0-9]{2}(:[0-9]{2})?)?|MO|MI|AF|EV|NI|DT)([+-][0-9]{2}(:?[0-9]{2})?|Z)?)?$"
)
DURATION = re.compile(r"^P(([0-9.X]+(Y|M|W|D|Q|DE|CE|ML|L|E|C|WE))+(T([0-9.X]+[HMS])+)?|T([0-9.X]+[HMS])+)$")
REFS = {"PAST_REF", "PRESENT_REF", "FUTURE_REF"}


def well_formed(v: str) -> bool:
    return v in REFS or bool(POINT.match(v)) or bool(DURATION.match(v))


def kind(gold: str, ours: str) -> str:
    if gold and "X" in gold and len(gold) == len(ours):
        if all(g == o or g == "X" for g, o in zip(gold, ours)):
            return "gold underspecified"
    if gold and len(gold) < len(ours) and ours.startswith(gold) and ours[len(gold)] in "-T":
        return "gold underspecified"
    if ours and len(gold) > len(ours) and gold.startswith(ours) and set(gold[len(ours):]) <= set("-XW"):
        return "gold underspecified"
    if not well_formed(gold):
        return "gold malformed"
    if gold.startswith("P") != ours.startswith("P") and not (gold in REFS or ours in REFS):
        return "point or duration"
    yq = re.compile(r"^(\d{4})(-Q[1-4X])?$")
    g, o = yq.match(gold), yq.match(ours)
    if g and o and bool(g.group(2)) != bool(o.group(2)) and abs(int(g.group(1)) - int(o.group(1))) <= 1:
        return "year or quarter"
    if gold in REFS or ours in REFS:
        return "vague reference"
    return "ours"


def main() -> None:
    kinds: Counter = Counter()
    rules: Counter = Counter()
    for line in sys.stdin:
        cols = line.rstrip("\n").split("\t")
        if len(cols) < 4 or cols[1] != "wrong_value":
            continue
        gm = re.match(r'gold: ".*" \S+ (\S*)$', cols[2])
        sm = re.match(r'system: ".*" \S+ (\S*)(?: \[(\S+)\])?$', cols[3])
        if not gm or not sm:
            continue
        k = kind(gm.group(1), sm.group(1))
        kinds[k] += 1
        if k == "ours":
            rules[sm.group(2) or "?"] += 1
    total = sum(kinds.values())
    print(f"wrong values: {total}")
    for k, n in kinds.most_common():
        print(f"  {k:20} {n:4}")
    print("ours, by rule:")
    for r, n in rules.most_common(12):
        print(f"  {r:28} {n:4}")


if __name__ == "__main__":
    main()
