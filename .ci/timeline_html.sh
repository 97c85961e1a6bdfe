#!/usr/bin/env bash
# Headless-Chromium tests of `annalist timeline --to html` (tests/html/*.test.mjs).
# Installs what it needs: Debian's chromium (if missing) and the npm packages of
# tests/html (node_modules is git-ignored). Uses $ANNALIST_BIN, else builds
# target/$ANNALIST_PROFILE/annalist (default profile: release).
#   bash .ci/timeline_html.sh               # run the tests
#   bash .ci/timeline_html.sh --screenshot  # also re-render docs/img/timeline.png
#                                           # from ../shared/examples/pact-1939.txt
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
target="${CARGO_TARGET_DIR:-target}"
if [ -z "${ANNALIST_BIN:-}" ]; then
  profile="${ANNALIST_PROFILE:-release}"
  cargo build --profile "$profile" -p annalist-cli
  ANNALIST_BIN="$target/$profile/annalist"
fi
export ANNALIST_BIN="$(realpath "$ANNALIST_BIN")"
(cd tests/html && { npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent; })
node --test tests/html/
if [ "${1:-}" = "--screenshot" ]; then
  shared=""
  for s in ../shared /work/shared; do
    if [ -f "$s/examples/pact-1939.txt" ]; then shared="$s"; break; fi
  done
  if [ -z "$shared" ]; then
    echo "timeline_html: no shared/examples/pact-1939.txt; screenshot skipped"
  else
    mkdir -p docs/img
    node tests/html/screenshot.mjs "$shared/examples/pact-1939.txt" docs/img/timeline.png
  fi
fi
