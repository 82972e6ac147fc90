#!/usr/bin/env bash
# Whole `dealbook build` of the shipped content, as a process, with the built-in and the system
# font: cold (an empty PDF cache) and warm (the cache a build before left): best wall time and
# peak memory of RUNS runs. The content is copied to a temporary folder, so its cache is too.
# Usage: benches/build.sh [RUNS]   (needs GNU time: Debian's `time` package)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
bin=$(benches/release-bin.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r content "$work/content"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
for font in builtin auto; do
  for cache in cold warm; do
    best=999; peak=0
    for _ in $(seq "$runs"); do
      [ "$cache" = warm ] || rm -rf "$work/.dealbook-cache"
      line=$(/usr/bin/time -f "%e %M" "$bin" build --content "$work/content" --font "$font" \
        --output "$work/site" 2>&1 >/dev/null | tail -1)
      set -- $line
      best=$(python3 -c "print(min($best, $1))")
      peak=$(( $2 > peak ? $2 : peak ))
    done
    echo "build --font $font, $cache cache: best of $runs runs ${best} s, peak memory $((peak / 1024)) MiB"
  done
done
