#!/usr/bin/env bash
# Throughput, batch scaling, start-up and peak memory of `annalist tag` on the WikiWars
# article texts, repeated to the wanted size. Inputs are built in a temporary directory
# at run time (never in the repository); skips when the corpus is absent.
#
#   bench/throughput.sh [BIN] [MB]     (defaults: target/release/annalist, 50)
#
# Figures are CPU seconds (user+sys) and wall seconds from /usr/bin/time; MB/s is input
# bytes per CPU second (per wall second for the multi-thread run).
set -euo pipefail
bin=${1:-target/release/annalist}
mb=${2:-50}
corp=${ANNALIST_CORPORA:-/work/shared/corpora}/wikiwars-train/in
if [ ! -d "$corp" ]; then
  echo "throughput: skipped ($corp not present)"
  exit 0
fi
[ -x /usr/bin/time ] || { echo "throughput: needs /usr/bin/time (apt-get install time)"; exit 1; }
tmp=$(mktemp -d /tmp/annalist-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
want=$((mb * 1000 * 1000))

# One text document of $mb MB, and the same text as JSON lines (one record a paragraph).
cat "$corp"/*.sgm >"$tmp/one.txt"
: >"$tmp/big.txt"
while [ "$(stat -c %s "$tmp/big.txt")" -lt "$want" ]; do cat "$tmp/one.txt" >>"$tmp/big.txt"; done
python3 - "$tmp/one.txt" "$tmp/one.jsonl" <<'PY'
import json, sys
text = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, para in enumerate(p for p in text.split("\n\n") if p.strip()):
        out.write(json.dumps({"id": i, "text": para}) + "\n")
PY
: >"$tmp/big.jsonl"
while [ "$(stat -c %s "$tmp/big.jsonl")" -lt "$want" ]; do cat "$tmp/one.jsonl" >>"$tmp/big.jsonl"; done

measure() { # label bytes cmd...
  local label=$1 bytes=$2
  shift 2
  /usr/bin/time -f "%U %S %e %M" -o "$tmp/t" "$@" >/dev/null
  read -r u s e m <"$tmp/t"
  awk -v l="$label" -v b="$bytes" -v u="$u" -v s="$s" -v e="$e" -v m="$m" 'BEGIN {
    cpu = u + s; printf "%-34s %7.1f MB  cpu %6.2f s  wall %6.2f s  %6.1f MB/s cpu  %6.1f MB/s wall  peak %5.0f MB\n",
      l, b / 1e6, cpu, e, b / 1e6 / cpu, b / 1e6 / e, m / 1024 }'
}

tb=$(stat -c %s "$tmp/big.txt")
jb=$(stat -c %s "$tmp/big.jsonl")
measure "text, one document" "$tb" "$bin" tag --domain narrative --to jsonl "$tmp/big.txt"
RAYON_NUM_THREADS=1 measure "jsonl, 1 thread" "$jb" "$bin" tag --from jsonl --domain narrative "$tmp/big.jsonl"
threads=$(nproc)
RAYON_NUM_THREADS=$threads measure "jsonl, $threads threads" "$jb" "$bin" tag --from jsonl --domain narrative "$tmp/big.jsonl"

# Start-up: a one-sentence document, best of 10 runs.
echo "On 3 May 1921 the mill closed for two weeks." >"$tmp/small.txt"
best=""
for _ in $(seq 10); do
  /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$bin" tag "$tmp/small.txt" >/dev/null
  read -r e u s <"$tmp/t"
  best=$(awk -v b="$best" -v e="$e" 'BEGIN { print (b == "" || e < b) ? e : b }')
done
echo "start-up (tag one sentence):       best wall of 10 runs ${best} s"
