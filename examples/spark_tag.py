#!/usr/bin/env python3
"""Tag a corpus with annalist on Apache Spark.

    python examples/spark_tag.py INPUT OUTPUT [--timeline EVENTS] [--master local[2]] [--format jsonl|parquet]

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

With `--timeline EVENTS`, annalist also finds the events, gives each a time and
orders the ones that happened (`annalist.timeline`), and EVENTS gets a second
Parquet directory, one row per event (the same rule: at least one row per input
record, with `error` set or all-null event columns when there is nothing):

    doc_id          string   the input id
    eid             string   e1, e2, ... in text order within the document
    start, end      int32    the trigger word, in Unicode code points
    trigger         string   the trigger word as written
    class           string   TimeML class (OCCURRENCE, REPORTING, STATE, ...)
    pos, tense, aspect, polarity   string   as in the CLI's timeline JSON
    modality        string   actual, negated, intended_requested, hypothetical_conditional, future
    occurred        boolean  the text says it happened (only these are timeline entries)
    position        int32    1-based place in the document's timeline, null if not an entry
    when            string   the anchor's TIMEX3 value, null if the event has no time
    mod, until      string   the anchor's TIMEX3 mod and the end of a range, or null
    alternatives    array<string>  other values the text allows ("the 22nd or 23rd")
    relation        string   on, during, before, after, from_to, from, until, includes
    granularity     string   year, month, day, part_of_day, ...
    source          string   clause, sentence, narrative or dct
    certainty       string   stated, inferred or uncertain
    label           string   the time as a person writes it ("late 1938")
    anchor_tid      string   the tid of the governing time expression (join with OUTPUT), or null
    axis_start, axis_end  double  the anchor on a time axis (days since 1970-01-01)
    who             array<string>  participants: actors, others found around it, patients
    sentence_start, sentence_end  int32  the evidence sentence, in code points
    error           string   null, or why the document could not be processed

`ORDER BY doc_id, position` over the rows with a position gives each document's
timeline. The timelines are built once: OUTPUT's time expressions then come from
them (they are what `tag` finds), and both datasets are written from one cached
pass over the input.

Tagging runs per partition in `mapInArrow`: each Python worker process builds one
tagger (`annalist.default_tagger()`, on its first batch) and reuses it for every
batch and, with Spark's default `spark.python.worker.reuse=true`, every later task.
Within a task, documents are tagged by `Tagger.tag_many` (`Tagger.timeline_many`
with `--timeline`) on `--threads-per-task` threads (default 1: Spark already runs
one task per core).
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

EVENT_FIELDS = [
    ("doc_id", pa.string()),
    ("eid", pa.string()),
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("trigger", pa.string()),
    ("class", pa.string()),
    ("pos", pa.string()),
    ("tense", pa.string()),
    ("aspect", pa.string()),
    ("polarity", pa.string()),
    ("modality", pa.string()),
    ("occurred", pa.bool_()),
    ("position", pa.int32()),
    ("when", pa.string()),
    ("mod", pa.string()),
    ("until", pa.string()),
    ("alternatives", pa.list_(pa.string())),
    ("relation", pa.string()),
    ("granularity", pa.string()),
    ("source", pa.string()),
    ("certainty", pa.string()),
    ("label", pa.string()),
    ("anchor_tid", pa.string()),
    ("axis_start", pa.float64()),
    ("axis_end", pa.float64()),
    ("who", pa.list_(pa.string())),
    ("sentence_start", pa.int32()),
    ("sentence_end", pa.int32()),
    ("error", pa.string()),
]
#: The schema of the `--timeline` dataset: one row per event.
EVENTS_SCHEMA = pa.schema([pa.field(n, t) for n, t in EVENT_FIELDS])

# One row per document, from which both datasets are exploded.
_TIMEX_STRUCT = pa.struct([f for f in OUTPUT_SCHEMA if f.name not in ("doc_id", "error")])
_EVENT_STRUCT = pa.struct([f for f in EVENTS_SCHEMA if f.name not in ("doc_id", "error")])
_NESTED_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string()),
        pa.field("timexes", pa.list_(_TIMEX_STRUCT)),
        pa.field("events", pa.list_(_EVENT_STRUCT)),
        pa.field("error", pa.string()),
    ]
)


def _ddl(t: pa.DataType) -> str:
    """A Spark DDL type for the Arrow types used here."""
    if pa.types.is_struct(t):
        return "struct<" + ", ".join(f"`{f.name}`: {_ddl(f.type)}" for f in t) + ">"
    if pa.types.is_list(t):
        return f"array<{_ddl(t.value_type)}>"
    return {pa.string(): "string", pa.int32(): "int", pa.bool_(): "boolean", pa.float64(): "double"}[t]


_NESTED_DDL = ", ".join(f"`{f.name}` {_ddl(f.type)}" for f in _NESTED_SCHEMA)

CORRUPT = "_corrupt_record"


def _prepare(batch: pa.RecordBatch, default_domain: str):
    """The columns of an input batch, and each record's error when it cannot be processed."""
    cols = batch.to_pydict()
    n = batch.num_rows
    ids = cols["id"]
    texts = cols["text"]
    dcts = cols.get("dct") or [None] * n
    domains = [d if d is not None else default_domain for d in (cols.get("domain") or [None] * n)]
    corrupt = cols.get(CORRUPT) or [None] * n
    # Records that cannot be tagged at all get their error here; the rest go to
    # tag_many/timeline_many, which report per-document problems (bad dct or
    # domain) as exception objects in their slot.
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
    return ids, texts, dcts, domains, pre_errors


def _run_batch(many, batch: pa.RecordBatch, default_domain: str, threads):
    """Runs `many` (`Tagger.tag_many` or `Tagger.timeline_many`) over the batch's valid records.

    Returns the ids, the per-row input errors, and a dict from row index to result (or the
    exception `errors="return"` gave back) for the rows that had no input error.
    """
    ids, texts, dcts, domains, pre_errors = _prepare(batch, default_domain)
    todo = [i for i in range(batch.num_rows) if pre_errors[i] is None]
    results = many(
        [texts[i] for i in todo],
        [dcts[i] for i in todo],
        [domains[i] for i in todo],
        errors="return",
        threads=threads,
    )
    return ids, pre_errors, dict(zip(todo, results))


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
        n = batch.num_rows
        ids, pre_errors, by_row = _run_batch(tagger.tag_many, batch, default_domain, threads)

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


def _event_row(e, position) -> dict:
    a = e.anchor
    return {
        "eid": e.eid, "start": e.start, "end": e.end, "trigger": e.trigger, "class": e.class_,
        "pos": e.pos, "tense": e.tense, "aspect": e.aspect, "polarity": e.polarity,
        "modality": e.modality, "occurred": e.occurred, "position": position,
        "when": a and a.value, "mod": a and a.mod, "until": a and a.until,
        "alternatives": a.alternatives if a else [], "relation": a and a.relation,
        "granularity": a and a.granularity, "source": a and a.source, "certainty": a and a.certainty,
        "label": a and a.label, "anchor_tid": a and a.tid,
        "axis_start": a and a.axis_start, "axis_end": a and a.axis_end,
        "who": e.participants, "sentence_start": None, "sentence_end": None,
    }


def timeline_batches(
    batches: Iterator[pa.RecordBatch], default_domain: str = "auto", threads: int = 1
) -> Iterator[pa.RecordBatch]:
    """Builds the timelines of Arrow batches of (id, text, dct, domain[, _corrupt_record])
    records: one row per document with its time expressions and events (nested), from
    which `run` explodes the OUTPUT and EVENTS datasets.

    Runs in the Spark Python worker, with the process-wide tagger (see `tag_batches`).
    """
    import annalist

    tagger = annalist.default_tagger()
    for batch in batches:
        n = batch.num_rows
        ids, pre_errors, by_row = _run_batch(tagger.timeline_many, batch, default_domain, threads)
        out: dict[str, list] = {"doc_id": [], "timexes": [], "events": [], "error": []}
        for i in range(n):
            tl = by_row.get(i)
            error = pre_errors[i]
            if isinstance(tl, Exception):
                error, tl = f"{type(tl).__name__}: {tl}", None
            out["doc_id"].append(ids[i])
            out["error"].append(error)
            if tl is None:
                out["timexes"].append([])
                out["events"].append([])
                continue
            out["timexes"].append([
                {"tid": t.tid, "start": t.start, "end": t.end, "text": t.text, "type": t.type,
                 "value": t.value, "mod": t.mod}
                for t in tl.timexes
            ])
            positions = {en.eid: en.position for en in tl.entries}
            sentences = tl.sentences
            rows = []
            for e in tl.events:
                r = _event_row(e, positions.get(e.eid))
                r["sentence_start"], r["sentence_end"] = sentences[e.sentence]
                rows.append(r)
            out["events"].append(rows)
        yield pa.RecordBatch.from_pydict(out, schema=_NESTED_SCHEMA)


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
    timeline_path: str | None = None,
) -> None:
    """Reads INPUT, tags every document and writes OUTPUT (Parquet, overwritten);
    with `timeline_path`, also builds the timelines and writes their events there."""
    import annalist
    from pyspark.sql import functions as F

    # Check the default domain on the driver, before any task starts.
    annalist.default_tagger().tag("", domain=domain)
    df = read_documents(spark, input_path, fmt)
    if partitions:
        df = df.repartition(partitions)

    if timeline_path is None:
        def tag_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            return tag_batches(batches, domain, threads)

        df.mapInArrow(tag_partition, OUTPUT_DDL).write.mode("overwrite").parquet(output_path)
        return

    def timeline_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return timeline_batches(batches, domain, threads)

    # One pass builds the timelines; both datasets are exploded from it (kept
    # cached between the two writes, so nothing is tagged twice).
    nested = df.mapInArrow(timeline_partition, _NESTED_DDL).persist()
    try:
        def flat(column: str, fields: list[str]):
            x = nested.select("doc_id", "error", F.explode_outer(column).alias("x"))
            return x.select("doc_id", *[F.col("x").getField(f).alias(f) for f in fields], "error")

        flat("timexes", OUTPUT_SCHEMA.names[1:-1]).write.mode("overwrite").parquet(output_path)
        flat("events", EVENTS_SCHEMA.names[1:-1]).write.mode("overwrite").parquet(timeline_path)
    finally:
        nested.unpersist()


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
    p.add_argument("--timeline", metavar="EVENTS", default=None,
                   help="also build timelines and write one row per event to this Parquet directory")
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
        run(spark, args.input, args.output, args.format, args.domain, args.partitions, args.threads_per_task,
            args.timeline)
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
        if args.timeline:
            ev = spark.read.parquet(args.timeline).selectExpr(
                "count(eid) as events", "count(position) as entries", "count(`when`) as dated"
            ).first()
            print(
                f"{ev['events']} events, {ev['entries']} timeline entries ({ev['dated']} events with a time)",
                file=sys.stderr,
            )
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
