#!/usr/bin/env bash
# Side-by-side comparison of annalist with other temporal taggers, on this machine and the
# development corpora (/work/shared/corpora, or $CORPORA). One command:
#
#   bench/compare/run.sh [--quick | --full] [--cap SECONDS] [--peers a,b,...] [--skip-build]
#
#   default   every tagger gets --cap (150) seconds of tagging on one core, at most 50 M chars
#             (about 20-30 minutes in all); slow taggers are scored on the documents they
#             reached, and the table says how many.
#   --full    every tagger tags the whole of both corpora whatever the cap (slow peers then
#             take 5-10 minutes each).
#   --quick   a 15-second cap and 2 M chars: checks the plumbing in a few minutes.
#
# Installs what it needs into git-ignored folders: bench/.venv (PyPI peers, matplotlib,
# psutil, pytest) and bench/node_modules (npm peers); builds annalist in release mode
# (CARGO_TARGET_DIR is respected); runs the adapter tests first, so that a broken peer
# install stops the run instead of scoring zero. Writes bench/compare/results/.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(dirname "$HERE")"
ROOT="$(dirname "$BENCH")"
CORPORA="${CORPORA:-/work/shared/corpora}"
WORK="${COMPARE_WORK:-$HERE/work}"
CAP=150
MAX_CHARS=50000000
MIN_CHARS=0
PEERS=all
BUILD=1
FULL=0

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) CAP=15; MAX_CHARS=2000000 ;;
    --full) FULL=1 ;;
    --cap) CAP="$2"; shift ;;
    --peers) PEERS="$2"; shift ;;
    --skip-build) BUILD=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -d "$CORPORA" ]; then
  echo "run.sh: corpora not found at $CORPORA (set CORPORA=...); nothing to compare on" >&2
  exit 2
fi
for tool in python3 node npm java javac taskset; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

step() { printf '\n== %s (%s)\n' "$1" "$(date +%H:%M:%S)" >&2; }

step "Python peers into bench/.venv"
if [ ! -x "$BENCH/.venv/bin/python" ]; then
  python3 -m venv "$BENCH/.venv"
fi
timeout 900 "$BENCH/.venv/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
PY="$BENCH/.venv/bin/python"

step "Node peers into bench/node_modules"
(cd "$BENCH" && timeout 600 npm ci --no-audit --no-fund --loglevel=error)

if [ "$BUILD" = 1 ]; then
  step "annalist (cargo build --release)"
  (cd "$ROOT" && timeout 1800 cargo build --release -q -p annalist-cli)
fi
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
ANNALIST="$TARGET/release/annalist"
ANNALIST_ARGS=()
if [ -x "$ANNALIST" ]; then ANNALIST_ARGS=(--annalist "$ANNALIST"); fi

step "adapter tests"
(cd "$HERE" && timeout 900 "$PY" -m pytest -q tests)

step "inputs from $CORPORA"
"$PY" "$HERE/prepare.py" --corpora "$CORPORA" --work "$WORK" --speed-chars "$MAX_CHARS" >/dev/null
if [ "$FULL" = 1 ]; then
  MIN_CHARS="$("$PY" -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["tbaq"]["chars"]+s["wikiwars"]["chars"])' "$WORK/inputs/summary.json")"
fi

step "measured runs (cap ${CAP}s a tagger)"
"$PY" "$HERE/runner.py" --work "$WORK" --cap "$CAP" --max-chars "$MAX_CHARS" --min-chars "$MIN_CHARS" \
  --peers "$PEERS" "${ANNALIST_ARGS[@]}"

step "report"
"$PY" "$HERE/report.py" --work "$WORK" --out "$HERE/results"
cat "$HERE/results/compare.md"
