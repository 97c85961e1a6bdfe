#!/usr/bin/env python3
"""Tag a corpus with annalist on Apache Spark.

    python examples/spark_tag.py INPUT OUTPUT [--master local[2]] [--format jsonl|parquet]

INPUT is JSON Lines (one object a line) or Parquet, one document a record:

    id      the document id (any JSON scalar; written as a string)
    text    the text to tag
    dct     optional document creation time, "YYYY-MM-DD" (a Parquet date column works too)
    domain  optional "news", "narrative" or "auto" (default: --domain)

OUTPUT is a Parquet directory, one row per time expression, with this schema:

    doc_id  string  the input id (null only for a JSON line that could not be parsed)
    tid     string  t1, t2, ... in text order within the document
    start   int32   start offset in the text, in Unicode code points
    end     int32   end offset (exclusive), in Unicode code points
    text    string  the expression as written
    type    string  DATE, TIME, DURATION or SET
    value   string  the TIMEX3 value (1921-03-03, P3D, PRESENT_REF, ...)
    mod     string  the TIMEX3 mod (START, APPROX, ...), or null
    error   string  null, or why the document could not be tagged

Every input record yields at least one row: its time expressions; or, when it has
none, one row with null tid/start/end/text/type/value/mod and a null error; or,
when it could not be tagged (no text, a bad dct or domain, a malformed JSON line),
one row whose `error` says why. So `count(distinct doc_id)` over the output equals
the number of input documents, and nothing disappears silently.

Tagging runs per partition in `mapInArrow`: each Python worker process builds one
tagger (`annalist.default_tagger()`, on its first batch) and reuses it for every
batch and, with Spark's default `spark.python.worker.reuse=true`, every later task.
Within a task, documents are tagged by `Tagger.tag_many` on `--threads-per-task`
threads (default 1: Spark already runs one task per core).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterator

import pyarrow as pa

OUTPUT_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string()),
        pa.field("tid", pa.string()),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("text", pa.string()),
        pa.field("type", pa.string()),
        pa.field("value", pa.string()),
        pa.field("mod", pa.string()),
        pa.field("error", pa.string()),
    ]
)

#: The same schema as a Spark DDL string (for mapInArrow).
OUTPUT_DDL = (
    "doc_id string, tid string, start int, `end` int, text string, type string, "
    "value string, mod string, error string"
)

CORRUPT = "_corrupt_record"


def tag_batches(
    batches: Iterator[pa.RecordBatch], default_domain: str = "auto", threads: int = 1
) -> Iterator[pa.RecordBatch]:
    """Tags Arrow batches of (id, text, dct, domain[, _corrupt_record]) records.

    Runs in the Spark Python worker. The tagger is the process-wide one, so it is
    built once per worker process, not per batch, task or row.
    """
    import annalist

    tagger = annalist.default_tagger()
    names = OUTPUT_SCHEMA.names
    for batch in batches:
        cols = batch.to_pydict()
        n = batch.num_rows
        ids = cols["id"]
        texts = cols["text"]
        dcts = cols.get("dct") or [None] * n
        domains = [d if d is not None else default_domain for d in (cols.get("domain") or [None] * n)]
        corrupt = cols.get(CORRUPT) or [None] * n

        # Records that cannot be tagged at all get their error here; the rest go
        # to tag_many, which reports per-document problems (bad dct or domain) as
        # exception objects in their slot.
        pre_errors: list[str | None] = []
        for i in range(n):
            if corrupt[i] is not None:
                pre_errors.append(f"malformed JSON record: {corrupt[i][:200]!r}")
            elif ids[i] is None:
                pre_errors.append("record has no id")
            elif texts[i] is None:
                pre_errors.append("record has no text")
            else:
                pre_errors.append(None)
        todo = [i for i in range(n) if pre_errors[i] is None]
        results = tagger.tag_many(
            [texts[i] for i in todo],
            [dcts[i] for i in todo],
            [domains[i] for i in todo],
            errors="return",
            threads=threads,
        )
        by_row = dict(zip(todo, results))

        out: dict[str, list] = {name: [] for name in names}

        def row(doc_id, tid=None, start=None, end=None, text=None, typ=None, value=None, mod=None, error=None):
            for name, v in zip(names, (doc_id, tid, start, end, text, typ, value, mod, error)):
                out[name].append(v)

        for i in range(n):
            if pre_errors[i] is not None:
                row(ids[i], error=pre_errors[i])
                continue
            result = by_row[i]
            if isinstance(result, Exception):
                row(ids[i], error=f"{type(result).__name__}: {result}")
            elif not result:
                row(ids[i])
            else:
                for t in result:
                    row(ids[i], t.tid, t.start, t.end, t.text, t.type, t.value, t.mod)
        yield pa.RecordBatch.from_pydict(out, schema=OUTPUT_SCHEMA)


def read_documents(spark, path: str, fmt: str):
    """Reads INPUT as a DataFrame of (id, text, dct, domain[, _corrupt_record]) strings."""
    from pyspark.sql import functions as F

    if fmt == "auto":
        fmt = "parquet" if path.rstrip("/").endswith(".parquet") or os.path.isdir(path) else "jsonl"
    if fmt == "jsonl":
        schema = f"id string, text string, dct string, domain string, {CORRUPT} string"
        return (
            spark.read.schema(schema)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT)
            .json(path)
        )
    if fmt != "parquet":
        raise SystemExit(f"unknown input format {fmt!r}: expected jsonl or parquet")
    df = spark.read.parquet(path)
    missing = {"id", "text"} - set(df.columns)
    if missing:
        raise SystemExit(f"{path}: Parquet input lacks column(s) {sorted(missing)}")
    cols = [F.col("id").cast("string").alias("id"), F.col("text").cast("string").alias("text")]
    for c in ("dct", "domain"):
        cols.append(F.col(c).cast("string").alias(c) if c in df.columns else F.lit(None).cast("string").alias(c))
    return df.select(*cols)


def run(
    spark,
    input_path: str,
    output_path: str,
    fmt: str = "auto",
    domain: str = "auto",
    partitions: int | None = None,
    threads: int = 1,
) -> None:
    """Reads INPUT, tags every document and writes OUTPUT (Parquet, overwritten)."""
    import annalist

    # Check the default domain on the driver, before any task starts.
    annalist.default_tagger().tag("", domain=domain)
    df = read_documents(spark, input_path, fmt)
    if partitions:
        df = df.repartition(partitions)

    def tag_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return tag_batches(batches, domain, threads)

    df.mapInArrow(tag_partition, OUTPUT_DDL).write.mode("overwrite").parquet(output_path)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input", help="JSONL file(s) or Parquet file/directory")
    p.add_argument("output", help="Parquet directory to write (overwritten)")
    p.add_argument("--format", choices=["auto", "jsonl", "parquet"], default="auto",
                   help="input format (default: by extension; a directory is Parquet)")
    p.add_argument("--master", default=None,
                   help="Spark master, e.g. local[2] (default: spark-submit's, else local[*])")
    p.add_argument("--domain", default="auto", help="domain for records without one (news, narrative, auto)")
    p.add_argument("--partitions", type=int, default=None, help="repartition the input into N partitions")
    p.add_argument("--threads-per-task", type=int, default=1,
                   help="tagging threads inside each Spark task (default 1)")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="extra Spark configuration (repeatable), e.g. spark.ui.enabled=false")
    args = p.parse_args(argv)

    # Spark's Python workers must use this interpreter (the one annalist is installed in).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("annalist-spark-tag")
    if args.master:
        builder = builder.master(args.master)
    elif "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        builder = builder.master("local[*]")
    for kv in args.conf:
        key, sep, value = kv.partition("=")
        if not sep:
            p.error(f"--conf expects KEY=VALUE, got {kv!r}")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        t0 = time.perf_counter()
        run(spark, args.input, args.output, args.format, args.domain, args.partitions, args.threads_per_task)
        elapsed = time.perf_counter() - t0
        out = spark.read.parquet(args.output)
        stats = out.selectExpr(
            "count(distinct doc_id) + count_if(doc_id is null) as docs",
            "count(tid) as timexes",
            "count(error) as errors",
        ).first()
        print(
            f"{stats['docs']} documents, {stats['timexes']} time expressions, "
            f"{stats['errors']} errors; tagged and written in {elapsed:.1f}s "
            f"({stats['docs'] / elapsed:.0f} documents/s)",
            file=sys.stderr,
        )
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
