"""Builds the comparison inputs from the development corpora (never committed).

For each corpus it writes `WORK/inputs/<corpus>.jsonl` with one `{"id","text","dct"}` record a
document, and `WORK/gold/<corpus>/` with links to the gold files (one flat folder, so the
scorer sees TimeBank and AQUAINT together). It also writes `WORK/inputs/run.jsonl`, the
input of every measured run: the documents of both corpora interleaved (news and narrative
mixed in proportion to their size, so that any prefix is representative), repeated until the
total reaches `--speed-chars`. Its ids are `<corpus>:<id>#<repetition>`; the first
repetition (`#0`) is what accuracy is scored on.

Text extraction follows the corpus README: the content of <TEXT>...</TEXT> with all tags
removed and XML entities decoded; the DCT is the value of the TIMEX3 inside <DCT>
(TimeML) and absent for WikiWars, which are narratives. Ids are file stems (see doc_id).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

TEXT_RE = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
TAG_RE = re.compile(r"<[^>]*>")
DCT_RE = re.compile(r"<DCT>.*?value=\"([^\"]+)\".*?</DCT>", re.S)

CORPORA = {
    # name: (sub-folders of the corpora root, file suffix, gold format for `annalist eval`)
    "tbaq": (["tbaq-cleaned/TimeBank", "tbaq-cleaned/AQUAINT"], ".tml", "timeml"),
    "wikiwars": (["wikiwars-train/keyinline"], ".xml", "timex2"),
}


def decode_entities(s: str) -> str:
    """Decodes XML character and entity references (&amp; &lt; &#233; ...)."""
    return html.unescape(s)


def extract(markup: str, source: str) -> tuple[str, str | None]:
    """Returns (text, dct) of one TimeML or TIMEX2 document."""
    m = TEXT_RE.search(markup)
    if m is None:
        raise ValueError(f"{source}: no <TEXT> element")
    text = decode_entities(TAG_RE.sub("", m.group(1)))
    d = DCT_RE.search(markup)
    dct = None
    if d is not None:
        v = d.group(1)
        if re.match(r"^\d{4}-\d{2}-\d{2}", v):
            dct = v[:10]
    return text, dct


TOKEN_RE = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*)>|([^<]+)", re.S)
ATTR_RE = re.compile(r'([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*"([^"]*)"')


def gold_timexes(markup: str) -> list[dict]:
    """The gold TIMEX3/TIMEX2 inside <TEXT> as records in the shape of `annalist tag --to
    jsonl` (code point offsets into the extracted text; outermost TIMEX2 only; TIMEX2 has no
    type, written DATE). Used for the oracle check: scoring these must give 100 %."""
    m = TEXT_RE.search(markup)
    if m is None:
        return []
    pos = 0
    stack: list[tuple[int, dict]] = []
    out: list[dict] = []
    for t in TOKEN_RE.finditer(m.group(1)):
        closing, name, attrs, text = t.groups()
        if text is not None:
            pos += len(decode_entities(text))
            continue
        if name not in ("TIMEX3", "TIMEX2"):
            continue
        if attrs.rstrip().endswith("/"):
            continue
        if not closing:
            stack.append((pos, {k: decode_entities(v) for k, v in ATTR_RE.findall(attrs)}))
        elif stack:
            start, a = stack.pop()
            if not stack:
                rec = {"start": start, "end": pos, "type": a.get("type", "DATE"),
                       "value": a.get("value", a.get("val", ""))}
                if a.get("mod"):
                    rec["mod"] = a["mod"]
                out.append(rec)
    for i, r in enumerate(out, 1):
        r["tid"] = f"t{i}"
    return out


def doc_id(path: Path) -> str:
    """The document id `annalist eval` matches on: the file name without `.key.xml`,
    `.tml`, `.sgm` or its last extension (the corpora's DOCIDs are the same)."""
    name = path.name
    for suffix in (".key.xml", ".tml", ".sgm"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    i = name.rfind(".")
    return name[:i] if i > 0 else name


def corpus_files(root: Path, name: str) -> list[Path]:
    dirs, suffix, _ = CORPORA[name]
    files: list[Path] = []
    for d in dirs:
        folder = root / d
        if not folder.is_dir():
            raise FileNotFoundError(f"corpus folder missing: {folder}")
        files.extend(sorted(p for p in folder.iterdir() if p.name.endswith(suffix)))
    return files


def interleave(per_corpus: dict[str, list[dict]]) -> list[tuple[str, dict]]:
    """Merges the corpora so that, at every point, each has had about the same share of its
    characters: the next document comes from the corpus furthest behind."""
    totals = {c: max(1, sum(len(d["text"]) for d in docs)) for c, docs in per_corpus.items()}
    done = {c: 0 for c in per_corpus}
    pos = {c: 0 for c in per_corpus}
    out: list[tuple[str, dict]] = []
    while True:
        left = [c for c in per_corpus if pos[c] < len(per_corpus[c])]
        if not left:
            return out
        c = min(left, key=lambda c: (done[c] / totals[c], c))
        d = per_corpus[c][pos[c]]
        pos[c] += 1
        done[c] += len(d["text"])
        out.append((c, d))


def build(root: Path, work: Path, speed_chars: int) -> dict:
    inputs = work / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    summary = {}
    per_corpus: dict[str, list[dict]] = {}
    for name in CORPORA:
        gold = work / "gold" / name
        gold.mkdir(parents=True, exist_ok=True)
        for old in gold.iterdir():
            old.unlink()
        docs = []
        oracles: list[dict] = []
        for path in corpus_files(root, name):
            with open(path, encoding="utf-8", newline="") as f:  # keep line ends as written
                markup = f.read()
            text, dct = extract(markup, str(path))
            oracle = gold_timexes(markup)
            for r in oracle:
                r["text"] = text[r["start"] : r["end"]]
            oracles.append({"id": doc_id(path), "timexes": oracle})
            if name == "wikiwars":
                dct = None  # download date, not the story's time (see the corpus README)
            docs.append({"id": doc_id(path), "text": text, "dct": dct})
            (gold / path.name).symlink_to(path.resolve())
        with open(inputs / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        with open(inputs / f"{name}.oracle.jsonl", "w", encoding="utf-8") as f:
            for r in oracles:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        summary[name] = {
            "docs": len(docs),
            "chars": sum(len(d["text"]) for d in docs),
            "format": CORPORA[name][2],
        }
        per_corpus[name] = docs
    order = interleave(per_corpus)
    total = 0
    rep = 0
    with open(inputs / "run.jsonl", "w", encoding="utf-8") as f:
        while total < speed_chars:
            for corpus, d in order:
                rec = {"id": f"{corpus}:{d['id']}#{rep}", "text": d["text"], "dct": d["dct"]}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                total += len(d["text"])
                if total >= speed_chars and rep > 0:
                    break
            rep += 1
    summary["speed"] = {"chars": total, "repeats": rep}
    (inputs / "summary.json").write_text(json.dumps(summary, indent=2))
    return summary


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=Path("/work/shared/corpora"))
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--speed-chars", type=int, default=50_000_000)
    a = ap.parse_args(argv)
    if not a.corpora.is_dir():
        print(f"prepare: corpora folder {a.corpora} not found; nothing to compare on", file=sys.stderr)
        return 2
    print(json.dumps(build(a.corpora, a.work, a.speed_chars), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
