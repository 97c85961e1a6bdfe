# Sourced by bench/identity.sh and bench/timeline_identity.sh: compares every `old.*` file in
# a directory with its `new.*` twin, prints "identical"/"DIFFERENT" per file (with the first
# differing lines, split at commas so one long JSON line shows where it differs), and
# exits 1 when any differ.
compare_runs() {
  local out=$1 status=0 f g
  for f in "$out"/old.*; do
    g=${f/old./new.}
    if cmp -s "$f" "$g"; then
      echo "identical: ${f##*/old.} ($(wc -c <"$f") bytes)"
    else
      echo "DIFFERENT: ${f##*/old.}"
      diff <(tr ',' '\n' <"$f") <(tr ',' '\n' <"$g") | head -20
      status=1
    fi
  done
  exit $status
}
