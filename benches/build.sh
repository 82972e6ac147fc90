#!/usr/bin/env bash
# Whole `dealbook build` of the shipped content from scratch, as a process, with the built-in
# and the system font: wall time and peak memory.
# Usage: benches/build.sh [RUNS]   (needs GNU time: Debian's `time` package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
bin=$(benches/release-bin.sh)
out=$(mktemp -d)
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
for font in builtin auto; do
  best=999; peak=0
  for _ in $(seq "$runs"); do
    rm -rf "$out/site"  # a cold build: no report PDF kept from the previous run
    line=$(/usr/bin/time -f "%e %M" "$bin" build --font "$font" --output "$out/site" 2>&1 >/dev/null | tail -1)
    set -- $line
    best=$(python3 -c "print(min($best, $1))")
    peak=$(( $2 > peak ? $2 : peak ))
  done
  echo "build --font $font: best of $runs runs ${best} s, peak memory $((peak / 1024)) MiB"
done
rm -rf "$out"
