#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine: chromium, redis-server and a Chinese font
# from Debian's packages, and the Python packages into .venv. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing from Debian: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing Python packages into .venv"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# pywb (the Wayback indexer the WARC tests check our files with) pins old redis and pyOpenSSL:
# it gets a venv of its own so the crawler's packages stay as requirements.txt says.
if [ ! -x .venv-pywb/bin/cdx-indexer ]; then
  echo "installing pywb into .venv-pywb"
  python3 -m venv .venv-pywb
  .venv-pywb/bin/pip install -q --disable-pip-version-check "pywb==2.10.*"
fi
