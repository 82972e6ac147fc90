#!/usr/bin/env bash
# The test command: installs what the tests need where it is missing, then runs them.
#
#   scripts/test.sh [cargo test arguments...]
#
# The tests read the PDFs back with poppler-utils (pdftotext, pdffonts, pdfinfo), check the
# site in Debian's Chromium with the Nu HTML Checker (Java) and axe-core (tests/browser's npm
# packages), and draw with the system's Noto CJK font. On Debian or Ubuntu this installs the
# missing packages with apt-get (as root, or through sudo); elsewhere it says what to install.
# Deep property-test runs: PROPTEST_CASES=5000 scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }

# Debian packages, each with the command (or file) that shows it is there.
missing=()
need() { # need PACKAGE TEST...
  local package=$1; shift
  if ! "$@" >/dev/null 2>&1; then missing+=("$package"); fi
}
need poppler-utils sh -c 'command -v pdftotext && command -v pdffonts && command -v pdfinfo'
need chromium command -v chromium
need default-jre-headless command -v java
need fonts-noto-cjk test -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
need nodejs command -v node
need npm command -v npm

if [ ${#missing[@]} -gt 0 ]; then
  say "installing what the tests need: ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "scripts/test.sh: no apt-get here; install these first: ${missing[*]}" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "scripts/test.sh: run as root, or install these first: ${missing[*]}" >&2
      exit 1
    fi
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
fi

# tests/browser's npm packages, exactly as package-lock.json pins them.
lock=tests/browser/package-lock.json
stamp=tests/browser/node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
  say "npm ci --prefix tests/browser"
  npm ci --prefix tests/browser --no-audit --no-fund
fi

say "cargo test $*"
start=$(date +%s)
cargo test "$@"
say "tests passed in $(( $(date +%s) - start )) s"
