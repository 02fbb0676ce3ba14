#!/usr/bin/env bash
# The main job on the bundled simulated portals: serve them on 127.0.0.1, crawl them through the
# proxy into ./data (or $ARCHIVE_DIR), print the run summary. Exit code is the crawl's.
set -euo pipefail
cd "$(dirname "$0")/.."
archive=${ARCHIVE_DIR:-data}
log=$(mktemp -d)/simportals
.venv/bin/python -m simportals serve --port 0 --log "$log.requests.jsonl" > "$log.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$log.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$log.out" | head -1)
[ -n "$port" ] || { cat "$log.out"; echo "simulated portals did not start" >&2; exit 1; }
echo "simulated portals on 127.0.0.1:$port; crawling into $archive"
export http_proxy=http://127.0.0.1:$port https_proxy=http://127.0.0.1:$port
SCRAPY_SETTINGS_MODULE=settings.demo .venv/bin/scrapy crawl reports -a portals=simulated \
  -s ARCHIVE_DIR="$archive" -s LOG_LEVEL=WARNING "$@"
