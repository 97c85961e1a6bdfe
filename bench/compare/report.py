"""Turns WORK/results.json (from runner.py) into the committed results: a Markdown table,
a JSON copy without local paths, and a chart of value F1 against tagging speed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = (("tbaq", "TBAQ (news)"), ("wikiwars", "WikiWars (narrative)"))


def f1(entry: dict | None, measure: str) -> float | None:
    """An F1 from one corpus entry of a tagger's accuracy, or None when not scored."""
    if not entry or "scores" not in entry:
        return None
    m = entry["scores"].get(measure)
    if not isinstance(m, dict):
        return None
    return m.get("f1")


def rate(t: dict, key: str = "tag_s") -> float | None:
    s = t.get(key)
    if not s or t.get("failed"):
        return None
    return t["chars"] / s


def fmt_pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}"


def fmt_rate(x: float | None) -> str:
    if x is None:
        return "–"
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.0f}"


def coverage_note(entry: dict | None) -> str:
    if not entry:
        return ""
    if entry.get("complete"):
        return ""
    return f"{entry.get('coverage_docs', 0)}/{entry.get('total_docs', '?')} docs"


def table(results: dict) -> str:
    m = results["machine"]
    st = results["settings"]
    lines = [
        "# annalist compared with other temporal taggers",
        "",
        f"Run {m['date']} on {m['cpu']} ({m['cores']} cores, {m['memory_gb']} GB), {m['os']}; "
        f"Python {m['python']}, Node {m['node']}, {m['java']}. Load average (1, 5, 15 min) at "
        f"start {tuple(round(x, 1) for x in m['load_avg_at_start'])}, at end "
        f"{tuple(round(x, 1) for x in m.get('load_avg_at_end', (0, 0, 0)))}: the machine was shared, so "
        "wall-clock rates are lower bounds; the CPU-time rate is steadier.",
        "",
        "Made by `bench/compare/run.sh` "
        f"(cap {st['cap_s']:.0f} s of tagging a tagger, at most {st['max_chars'] / 1e6:.0f} M characters"
        + (f", at least {st['min_chars']:,} characters" if st.get("min_chars") else "")
        + f", one core: `taskset -c {st['core']}`).",
        "",
        "## Accuracy (TempEval-3 measures from `annalist eval`, micro-averaged, %)",
        "",
    ]
    oracle = results.get("oracle")
    if oracle:
        parts = [f"{c} {fmt_pct(o.get('strict_f1'))} %" for c, o in oracle.items()]
        lines += [
            "Oracle check — the gold annotations, as this harness reads them, scored as a system "
            f"(strict F1, must be 100): {', '.join(parts)}.",
            "",
        ]
    lines += [
        "| tagger | corpus | strict F1 | relaxed F1 | value F1 | type F1 | scored on |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    any_scored = False
    for t in results["taggers"]:
        if t.get("failed") or not t.get("accuracy"):
            continue
        for corpus, label in CORPORA:
            e = t["accuracy"].get(corpus)
            if e is None:
                continue
            any_scored = any_scored or "scores" in e
            cov = coverage_note(e) or "all docs"
            if "note" in e:
                cov = e["note"]
            lines.append(
                f"| {t['peer']} | {label} | {fmt_pct(f1(e, 'strict'))} | {fmt_pct(f1(e, 'relaxed'))} | "
                f"{fmt_pct(f1(e, 'value'))} | {fmt_pct(f1(e, 'type'))} | {cov} |"
            )
    if not any_scored:
        lines += ["", "_No accuracy yet: the annalist binary used has no `eval` subcommand "
                  "(it lands with branch `cli`)._"]
    lines += [
        "",
        "## Speed (one core unless said; start-up excluded from the rates)",
        "",
        "Rates are characters of text tagged per second of tagging (k = thousand, M = million). "
        "\"time cap\" marks a tagger stopped by the cap before 50 M characters. On a shared machine "
        "the all-cores run can be no faster than the one-core run: compare it only on an idle one.",
        "",
        "| tagger | language | chars tagged | chars/s (wall) | chars/CPU-s | start-up s | peak RSS MB | source |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for t in results["taggers"]:
        if t.get("failed"):
            lines.append(f"| {t['peer']} | {t.get('language', '')} | failed | – | – | – | – | {t.get('source', '')} |")
            continue
        note = "" if t.get("complete", True) else " (time cap)"
        lines.append(
            f"| {t['peer']} | {t.get('language', '')} | {t['chars']:,}{note} | {fmt_rate(rate(t))} | "
            f"{fmt_rate(rate(t, 'tag_cpu_s'))} | {t['startup_s']:.2f} | {t['peak_rss_mb']:.0f} | "
            f"{t.get('source', '')} |"
        )
    for n in results.get("not_installable", []):
        lines.append(f"| {n['name']} | {n['language']} | not run | – | – | – | – | cannot be installed here: {n['why']} |")
    if results.get("annalist_note"):
        lines += ["", f"_{results['annalist_note']}._"]
    lines += ["", "## How each peer's output was mapped to TIMEX3", ""]
    for t in results["taggers"]:
        if t.get("notes"):
            lines.append(f"- **{t['peer']}**: {t['notes']}.")
    lines += ["", "See docs/compare.md for the method and its limits.", ""]
    return "\n".join(lines)


def chart(results: dict, path: Path) -> bool:
    """Value F1 (y) against one-core characters per CPU-second (x, log): on a shared machine
    the CPU-time rate is what an idle core would give. One marker a corpus; a star after
    the name marks a tagger scored on part of a corpus only (it hit the time cap)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: matplotlib missing, no chart", file=sys.stderr)
        return False
    fig, ax = plt.subplots(figsize=(8, 5.5))
    xs: list[float] = []
    any_partial = False
    markers = {"tbaq": ("o", "TBAQ (news)"), "wikiwars": ("^", "WikiWars (narrative)")}
    plotted = False
    seen_labels = set()
    for i, t in enumerate(results["taggers"]):
        if t.get("failed") or t.get("mode") == "all cores":
            continue
        x = rate(t, "tag_cpu_s") or rate(t)
        if x is None:
            continue
        color = f"C{i % 10}"
        acc = t.get("accuracy") or {}
        partial = any(e and not e.get("complete", True) for e in acc.values())
        name = t["peer"] + (" *" if partial else "")
        any_partial = any_partial or partial
        xs.append(x)
        ys = []
        for corpus, (mk, label) in markers.items():
            y = f1((t.get("accuracy") or {}).get(corpus), "value")
            if y is None:
                continue
            lab = label if label not in seen_labels else None
            seen_labels.add(label)
            ax.scatter([x], [100 * y], marker=mk, s=70, color=color, label=lab, zorder=3,
                       edgecolors="black", linewidths=0.5)
            ys.append(100 * y)
            plotted = True
        if ys:
            ax.plot([x, x], [min(ys), max(ys)], color=color, lw=1, zorder=2)
            ax.annotate(name, (x, max(ys)), textcoords="offset points", xytext=(6, 4), fontsize=9, color=color)
        else:
            ax.axvline(x, color=color, lw=0.8, ls=":")
            ax.annotate(t["peer"] + " (not scored)", (x, 2), rotation=90, fontsize=8, color=color,
                        textcoords="offset points", xytext=(3, 0))
    ax.set_xscale("log")
    if xs:
        ax.set_xlim(min(xs) / 2, max(xs) * 4)  # room for the labels
    ax.set_xlabel("characters per CPU-second, one core (log scale, start-up excluded)")
    ax.set_ylabel("value F1 (%)")
    ax.set_ylim(0, 100)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title(f"Temporal taggers: value F1 vs speed ({results['machine']['date']})", fontsize=11)
    if plotted:
        ax.legend(loc="best", fontsize=9)
    if any_partial:
        fig.text(0.01, 0.005, "* scored on the part of the corpora tagged within the time cap",
                 fontsize=7, color="gray")
    fig.tight_layout()
    fig.savefig(path)
    if path.suffix == ".svg":
        fig.savefig(path.with_suffix(".png"), dpi=110)
    plt.close(fig)
    return True


def public(results: dict) -> dict:
    """A copy without local paths, log tails or document id lists, for committing."""
    out = json.loads(json.dumps(results))
    for t in out["taggers"]:
        t.pop("output", None)
        t.pop("log_tail", None)
        for e in (t.get("accuracy") or {}).values():
            e.pop("raw", None)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=HERE / "work")
    ap.add_argument("--out", type=Path, default=HERE / "results")
    a = ap.parse_args(argv)
    src = a.work / "results.json"
    if not src.exists():
        print(f"report: {src} missing; run runner.py first", file=sys.stderr)
        return 2
    results = json.loads(src.read_text())
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "compare.md").write_text(table(results))
    (a.out / "compare.json").write_text(json.dumps(public(results), indent=2) + "\n")
    chart(results, a.out / "compare.svg")
    print(f"report: wrote {a.out}/compare.md, compare.json, compare.svg, compare.png", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
