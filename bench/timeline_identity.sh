#!/usr/bin/env bash
# Output identity check for timelines: runs `annalist timeline` (every output format) and
# `annalist eval --events` / `--tlinks` with two binaries over every WikiWars text and every
# TBAQ-cleaned file, and compares the outputs byte for byte (standard error too).
#
#   bench/timeline_identity.sh OLD_BIN NEW_BIN
#
# Uses /work/shared/corpora (or $ANNALIST_CORPORA); skips with a message when it is absent.
# Nothing is written to the repository: outputs go to a temporary directory.
set -euo pipefail
old=${1:?usage: timeline_identity.sh OLD_BIN NEW_BIN}
new=${2:?usage: timeline_identity.sh OLD_BIN NEW_BIN}
corp=${ANNALIST_CORPORA:-/work/shared/corpora}
if [ ! -d "$corp/tbaq-cleaned" ] || [ ! -d "$corp/wikiwars-train" ]; then
  echo "timeline identity: skipped ($corp not present)"
  exit 0
fi
out=$(mktemp -d /tmp/annalist-tl-identity.XXXXXX)
trap 'rm -rf "$out"' EXIT
find "$corp/tbaq-cleaned" -name '*.tml' | sort >"$out/tml.list"
ww=("$corp"/wikiwars-train/in/*.sgm)

run() { # bin tag
  local bin=$1 t=$2
  # Every WikiWars text, as a narrative and as news with a DCT, one JSON array each.
  "$bin" timeline --to json --domain narrative "${ww[@]}" >"$out/$t.ww-narrative.json" 2>"$out/$t.ww-narrative.err"
  "$bin" timeline --to json --domain news --dct 1998-02-13 "${ww[@]}" >"$out/$t.ww-news.json" 2>"$out/$t.ww-news.err"
  # One file at a time too (a single record, `id` per file).
  for f in "${ww[@]}"; do
    "$bin" timeline --to json "$f"
  done >"$out/$t.ww-each.json" 2>"$out/$t.ww-each.err"
  # Every TBAQ file as TimeML (its own DCT, news).
  xargs -a "$out/tml.list" "$bin" timeline --from timeml --to json >"$out/$t.tbaq.json" 2>"$out/$t.tbaq.err"
  xargs -a "$out/tml.list" "$bin" timeline --from timeml --to jsonl >"$out/$t.tbaq.jsonl" 2>"$out/$t.tbaq-l.err"
  # The other writers.
  for to in csv markdown html timelinejs; do
    "$bin" timeline --to "$to" "${ww[@]}" >"$out/$t.ww.$to" 2>"$out/$t.ww-$to.err"
    xargs -a "$out/tml.list" "$bin" timeline --from timeml --to "$to" >"$out/$t.tbaq.$to" 2>"$out/$t.tbaq-$to.err"
  done
  "$bin" timeline --to timeml "${ww[0]}" >"$out/$t.ww0.timeml" 2>"$out/$t.ww0-timeml.err"
  head -n 1 "$out/tml.list" | xargs "$bin" timeline --from timeml --to timeml >"$out/$t.tbaq0.timeml" 2>&1
  # Scores (event extraction and TLINKs) with their numbers.
  "$bin" eval --events --gold "$corp/tbaq-cleaned" --json >"$out/$t.eval-events.json" 2>&1 || true
  "$bin" eval --tlinks --gold "$corp/tbaq-cleaned" --json >"$out/$t.eval-tlinks.json" 2>&1 || true
}
run "$old" old
run "$new" new
. "$(dirname "$0")/compare_runs.sh"
compare_runs "$out"
