#!/usr/bin/env python3
"""Throughput of annalist from Python and on Spark, against the single-process CLI.

    python bindings/python/bench/spark_bench.py [--docs N] [--cli PATH] [--workdir DIR]

Builds a JSON Lines corpus in --workdir (default /tmp/annalist-bench): the texts
and DCTs of the TempEval-3 silver news documents when /work/shared/corpora is
there (read at run time, never copied into the repository), generated documents
otherwise; repeated or cut to --docs documents. Then it times, on that same input:

  * the CLI: `annalist tag --from jsonl --to jsonl` (when --cli or `annalist` on PATH),
  * Python: one `tag_many` call per 1,000 documents, threads=1 and all cores, and
    the same with `timeline_many` (time expressions, events, anchoring, order),
  * Spark: examples/spark_tag.py's job at local[1] and local[2] (read, tag, write
    Parquet), first in a new session (JIT warm-up, Python workers starting) and then
    again in the same session; the session start-up itself is not counted. With
    --spark-timeline, the job with `--timeline` (writing the event dataset too).

and prints a Markdown table of documents/s.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

CORPUS = Path(os.environ.get("ANNALIST_SHARED", "/work/shared")) / "corpora" / "te3-silver"
SCRIPT = Path(__file__).resolve().parents[3] / "examples" / "spark_tag.py"


def silver_documents():
    """(id, text, dct) of the TE3 silver documents, or nothing if absent."""
    if not CORPUS.is_dir():
        print(f"{CORPUS} not found: using generated documents", file=sys.stderr)
        return []
    docs = []
    for path in sorted(CORPUS.rglob("*.tml")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        m = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
        if not m:
            continue
        text = html.unescape(re.sub(r"<[^>]+>", "", m.group(1)))
        dct = re.search(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", raw, re.S)
        docs.append({"id": path.stem, "text": text, "dct": dct.group(1) if dct else None})
    return docs


def generated_documents(n):
    months = ["January", "March", "May", "July", "September", "November"]
    return [
        {
            "id": f"gen-{i}",
            "text": " ".join(
                f"On {j % 28 + 1} {months[j % 6]} {1900 + (i + j) % 100} the committee met again; "
                f"two weeks later it reported, and by the spring of {1901 + (i + j) % 100} the work was done."
                for j in range(20)
            ),
            "dct": f"{2000 + i % 20}-0{i % 9 + 1}-1{i % 9}",
        }
        for i in range(n)
    ]


def build_input(workdir: Path, n: int) -> tuple[Path, list[dict]]:
    docs = silver_documents() or generated_documents(min(n, 2000))
    out = []
    while len(out) < n:
        for d in docs[: n - len(out)]:
            out.append(dict(d, id=f"{d['id']}#{len(out)}"))
    path = workdir / "docs.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for d in out:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path, out


def time_cli(cli: str, path: Path, workdir: Path) -> float:
    with path.open("rb") as inp, (workdir / "cli.jsonl").open("wb") as out:
        t0 = time.perf_counter()
        subprocess.run([cli, "tag", "--from", "jsonl", "--to", "jsonl"], stdin=inp, stdout=out, check=True)
        return time.perf_counter() - t0


def time_python(docs: list[dict], threads: int | None, what: str = "tag_many") -> float:
    import annalist

    tagger = annalist.default_tagger()
    many = getattr(tagger, what)
    t0 = time.perf_counter()
    for i in range(0, len(docs), 1000):
        chunk = docs[i : i + 1000]
        many([d["text"] for d in chunk], [d["dct"] for d in chunk], threads=threads)
    return time.perf_counter() - t0


SPARK_CHILD = """
import sys, time
from pyspark.sql import SparkSession
import spark_tag
inp, out, master, events = sys.argv[1:5]
spark = (SparkSession.builder.master(master).config("spark.ui.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
for run in ("cold", "warm"):
    t0 = time.perf_counter()
    spark_tag.run(spark, inp, out, timeline_path=events or None)
    print(run, time.perf_counter() - t0, flush=True)
spark.stop()
"""


def time_spark(path: Path, workdir: Path, master: str, timeline: bool = False) -> tuple[float, float]:
    """Seconds for the first job in a new Spark session (JVM and Python workers
    warming up) and for the same job run again in that session."""
    env = dict(
        os.environ,
        PYSPARK_PYTHON=sys.executable,
        SPARK_LOCAL_IP="127.0.0.1",
        PYTHONPATH=os.pathsep.join([str(SCRIPT.parent), os.environ.get("PYTHONPATH", "")]),
    )
    out = workdir / ("spark-" + re.sub(r"\W", "", master))
    events = str(workdir / ("spark-events-" + re.sub(r"\W", "", master))) if timeline else ""
    proc = subprocess.run(
        [sys.executable, "-c", SPARK_CHILD, str(path), str(out), master, events],
        capture_output=True, text=True, env=env,
    )
    times = dict(re.findall(r"^(cold|warm) ([\d.]+)$", proc.stdout, re.M))
    if proc.returncode != 0 or len(times) != 2:
        raise RuntimeError(proc.stderr[-3000:])
    return float(times["cold"]), float(times["warm"])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=10000, help="documents in the input (default 10000)")
    p.add_argument("--cli", default=shutil.which("annalist"), help="the annalist CLI binary")
    p.add_argument("--workdir", type=Path, default=Path("/tmp/annalist-bench"))
    p.add_argument("--skip-spark", action="store_true")
    p.add_argument("--spark-timeline", action="store_true", help="also time the Spark job with --timeline")
    args = p.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    path, docs = build_input(args.workdir, args.docs)
    mb = path.stat().st_size / 1e6
    print(f"input: {len(docs)} documents, {mb:.1f} MB JSONL ({path}); {os.cpu_count()} cores", file=sys.stderr)

    rows = []
    if args.cli:
        rows.append(("CLI `annalist tag --from jsonl --to jsonl` (all cores)", time_cli(args.cli, path, args.workdir)))
    else:
        print("no annalist CLI found (--cli PATH): skipping it", file=sys.stderr)
    rows.append(("Python `tag_many(threads=1)`, 1,000 docs a call", time_python(docs, 1)))
    rows.append(("Python `tag_many()` (all cores), 1,000 docs a call", time_python(docs, None)))
    rows.append(("Python `timeline_many(threads=1)`, 1,000 docs a call", time_python(docs, 1, "timeline_many")))
    rows.append(("Python `timeline_many()` (all cores), 1,000 docs a call", time_python(docs, None, "timeline_many")))
    if not args.skip_spark:
        for master in ("local[1]", "local[2]"):
            cold, warm = time_spark(path, args.workdir, master)
            rows.append((f"Spark `{master}`: first job in a new session (tag + write Parquet)", cold))
            rows.append((f"Spark `{master}`: same job again, warm JVM and workers", warm))
            if args.spark_timeline:
                cold, warm = time_spark(path, args.workdir, master, timeline=True)
                rows.append((f"Spark `{master}` `--timeline`: first job in a new session", cold))
                rows.append((f"Spark `{master}` `--timeline`: same job again, warm", warm))

    print("| run | seconds | documents/s |")
    print("|---|---:|---:|")
    for name, secs in rows:
        print(f"| {name} | {secs:.1f} | {len(docs) / secs:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
