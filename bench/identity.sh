#!/usr/bin/env bash
# Output identity check: tags every corpus text with two `annalist` binaries and diffs
# the results (eval --json numbers and error lists, tag --to jsonl output, batch mode in
# every output format).
#
#   bench/identity.sh OLD_BIN NEW_BIN
#
# Uses /work/shared/corpora (or $ANNALIST_CORPORA); skips with a message when it is absent.
# Nothing is written to the repository: outputs go to a temporary directory.
set -euo pipefail
old=${1:?usage: identity.sh OLD_BIN NEW_BIN}
new=${2:?usage: identity.sh OLD_BIN NEW_BIN}
corp=${ANNALIST_CORPORA:-/work/shared/corpora}
if [ ! -d "$corp/tbaq-cleaned" ] || [ ! -d "$corp/wikiwars-train" ]; then
  echo "identity: skipped ($corp not present)"
  exit 0
fi
out=$(mktemp -d /tmp/annalist-identity.XXXXXX)
trap 'rm -rf "$out"' EXIT

run() { # bin tag
  local bin=$1 t=$2
  "$bin" eval --gold "$corp/tbaq-cleaned" --json --errors >"$out/$t.eval-tbaq.json"
  "$bin" eval --gold "$corp/wikiwars-train/keyinline" --json --errors >"$out/$t.eval-ww.json"
  find "$corp/tbaq-cleaned" -name '*.tml' | sort >"$out/tml.list"
  xargs -a "$out/tml.list" "$bin" tag --from timeml --to jsonl >"$out/$t.tag-tbaq.jsonl"
  if [ -d "$corp/te3-silver" ]; then
    find "$corp/te3-silver" -name '*.tml' | sort >"$out/silver.list"
    xargs -a "$out/silver.list" "$bin" tag --from timeml --to jsonl >"$out/$t.tag-silver.jsonl"
  fi
  for d in narrative news; do
    "$bin" tag --from text --to jsonl --domain "$d" --dct 1998-02-13 "$corp"/wikiwars-train/in/*.sgm \
      >"$out/$t.tag-ww-$d.jsonl"
  done
  # Batch mode: the WikiWars paragraphs as JSON lines (with a few bad records), every output
  # format, two threads; stdin as well as a file.
  for to in jsonl json text; do
    RAYON_NUM_THREADS=2 "$bin" tag --from jsonl --to "$to" --domain narrative "$out/paras.jsonl" \
      >"$out/$t.tag-paras.$to" 2>"$out/$t.tag-paras-stderr.$to" || true
  done
  "$bin" tag --from jsonl <"$out/paras.jsonl" >"$out/$t.tag-paras-stdin.jsonl" 2>/dev/null || true
}
python3 - "$corp"/wikiwars-train/in/*.sgm >"$out/paras.jsonl" <<'PY'
import json, sys
for name in sys.argv[1:]:
    text = open(name, encoding="utf-8").read()
    for i, para in enumerate(p for p in text.split("\n\n") if p.strip()):
        rec = {"id": f"{name.rsplit('/', 1)[-1]}:{i}", "text": para}
        if i % 50 == 7:
            rec["dct"], rec["domain"] = "1998-02-13", "news"
        print(json.dumps(rec))
print('{"id": "bad-domain", "text": "next week", "domain": "bogus"}')
print("not json")
print("")
PY
run "$old" old
run "$new" new
. "$(dirname "$0")/compare_runs.sh"
compare_runs "$out"
