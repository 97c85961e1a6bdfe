#!/usr/bin/env bash
# Browser test of the annalist web page (headless Debian Chromium + playwright-core).
# Installs what it needs, builds and starts annalist-server on a free loopback port,
# runs page.test.mjs, stops the server. Writes docs/img/server.png when SCREENSHOT=1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cd "$here"

if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: installing Debian's chromium" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi

profile="${ANNALIST_PROFILE:-release}"
(cd "$root" && cargo build -q --profile "$profile" --locked -p annalist-server)
bin="${CARGO_TARGET_DIR:-$root/target}/$profile/annalist-server"
port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
log="$(mktemp)"
"$bin" --addr "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

shot=""
if [ "${SCREENSHOT:-0}" = "1" ]; then shot="$root/docs/img/server.png"; fi
if ! ANNALIST_URL="http://127.0.0.1:$port" SCREENSHOT="$shot" node --test page.test.mjs; then
  echo "e2e: failed; server log:" >&2
  cat "$log" >&2
  exit 1
fi
