#!/usr/bin/env bash
# Scale benchmark: a whole `dealbook build` (site + card + one report PDF per proposal) with N
# generated proposals on top of the 4 shipped ones, side by side with Hugo building the same
# number of Markdown pages (the 12 sections, plus N pages whose body is the same meeting notes),
# with minimal templates. Wall time and peak memory of each process
# (GNU time), best of REPEAT runs; then dealbook again over its own output, which keeps the
# unchanged report PDFs and report pages (the everyday rebuild), and again with the record of
# kept pages removed first, so every HTML page is made and only the PDFs are kept (site + HTML
# reports, the work Hugo does). A Markdown table at the end.
#
# Usage: benches/scale.sh [N...]            (default: 0 1000 10000)
#   BIN=path/to/dealbook  use this binary (default: cargo build --release, and cargo's release binary)
#   REPEAT=R              runs per measurement (default: 3 for N ≤ 1000, 1 above)
#   FONT=builtin          dealbook's --font (default builtin, the same glyphs on every machine)
#   SEED=S                generator seed (default: gen_proposals.py's own)
#   KEEP=1                keep the work folder (printed) for a look at the outputs
# Needs python3, GNU time (Debian `time`) and hugo (Debian `hugo`); installs the last two with
# apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(0 1000 10000)
font=${FONT:-builtin}

if [ -z "${BIN:-}" ]; then
  BIN=$(benches/release-bin.sh)
fi
BIN=$(realpath "$BIN")
[ -x "$BIN" ] || { echo "scale.sh: no binary at $BIN" >&2; exit 1; }
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"; fi

work=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi
seed_args=()
[ -z "${SEED:-}" ] || seed_args=(--seed "$SEED")

# The Hugo site skeleton and its 12 section pages, made once as in vs-hugo.sh: each section's
# Markdown plus the text dealbook renders for it from framework.yaml.
"$BIN" build --font "$font" --output "$work/ref-out" >/dev/null
mkdir -p "$work/hugo-skel/layouts/_default" "$work/sections"
printf 'baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' > "$work/hugo-skel/hugo.toml"
printf '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n' > "$work/hugo-skel/layouts/_default/single.html"
cp "$work/hugo-skel/layouts/_default/single.html" "$work/hugo-skel/layouts/_default/list.html"
cp "$work/hugo-skel/layouts/_default/single.html" "$work/hugo-skel/layouts/index.html"
for page in content/pages/*.md; do
  name=$(basename "$page" .md)
  [ "$name" = index ] && continue
  { printf -- '---\ntitle: "%s"\n---\n\n' "$name"
    sed -n '/^---$/,/^---$/!p' "$page"
    python3 -c 'import re,sys,html; t=open(sys.argv[1]).read(); t=re.sub(r"<[^>]+>","\n",t); print(html.unescape(re.sub(r"\n\s*\n+","\n\n",t)))' "$work/ref-out/$name.html"
  } > "$work/sections/$name.md"
done

# measure OUT_DIR RUNS CMD...: best wall time (s, 3 decimals) and the highest peak RSS (KiB) of
# RUNS runs, OUT_DIR removed before each run; "SECONDS KIB" on stdout. Stops the script, with the
# command's own stderr, when a run fails.
# With WARM=1 the output is kept between runs: dealbook then rebuilds over its previous output
# (unchanged report PDFs and pages are kept, everything else is made again). PREPARE is run
# (eval) before each run.
measure() {
  local out=$1 runs=$2; shift 2
  local best="" peak=0 t0 t1 wall rss
  for _ in $(seq "$runs"); do
    [ -n "${WARM:-}" ] || rm -rf "$out"
    [ -z "${PREPARE:-}" ] || eval "$PREPARE"
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
      echo "scale.sh: failed: $*" >&2; tail -20 "$work/stderr.txt" >&2; tail -2 "$work/time.txt" >&2
      exit 1
    fi
    t1=$(date +%s%N)
    wall=$(( (t1 - t0) / 1000000 ))  # ms, finer than %e's centiseconds
    rss=$(tail -1 "$work/time.txt" | cut -d' ' -f2)
    if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then best=$wall; fi
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  printf '%d.%03d %d\n' $((best / 1000)) $((best % 1000)) "$peak"
}

# hyperfine's minimum for the smallest case, when it is installed (finer than one process run).
hyperfine_min() { # OUT_DIR CMD
  hyperfine --warmup 2 --runs 10 --style none --export-json "$work/hf.json" --prepare "rm -rf $1" "$2" >/dev/null 2>&1 &&
    python3 -c 'import json,sys; t = json.load(open(sys.argv[1]))["results"][0]["times"]; print("%.3f" % min(t))' "$work/hf.json"
}

mib() { python3 -c "print(f'{$1 / 1024:.1f}')"; }
rows=()
declare -A dealbook_s
for n in "${sizes[@]}"; do
  runs=${REPEAT:-$([ "$n" -le 1000 ] && echo 3 || echo 1)}
  case_dir="$work/n$n"
  rm -rf "$case_dir"
  mkdir -p "$case_dir/hugo"
  cp -r content "$case_dir/content"
  cp -r "$work/hugo-skel/." "$case_dir/hugo/"
  mkdir -p "$case_dir/hugo/content"
  cp "$work/sections/"*.md "$case_dir/hugo/content/"
  if [ "$n" -gt 0 ]; then
    python3 benches/gen_proposals.py "$n" "$case_dir/content/proposals" --content content \
      --hugo "$case_dir/hugo/content/proposals" "${seed_args[@]}"
  fi
  "$BIN" check --content "$case_dir/content" >/dev/null 2>"$work/check.txt" ||
    { echo "scale.sh: dealbook check failed for N=$n:" >&2; head -20 "$work/check.txt" >&2; exit 1; }

  echo "N=$n: dealbook build ($runs run(s))…" >&2
  result=$(measure "$case_dir/out" "$runs" "$BIN" build --content "$case_dir/content" --font "$font" --output "$case_dir/out")
  read -r d_s d_k <<<"$result"
  echo "N=$n: dealbook build again over its output ($runs run(s))…" >&2
  result=$(WARM=1 measure "$case_dir/out" "$runs" "$BIN" build --content "$case_dir/content" --font "$font" --output "$case_dir/out")
  read -r w_s w_k <<<"$result"
  echo "N=$n: dealbook build again, every HTML page made (PDFs kept) ($runs run(s))…" >&2
  result=$(WARM=1 PREPARE="rm -f '$case_dir/out/.dealbook-pages'" measure "$case_dir/out" "$runs" "$BIN" build --content "$case_dir/content" --font "$font" --output "$case_dir/out")
  read -r p_s p_k <<<"$result"
  echo "N=$n: hugo ($runs run(s))…" >&2
  result=$(measure "$case_dir/hugo-out" "$runs" hugo --source "$case_dir/hugo" --destination "$case_dir/hugo-out" --quiet)
  read -r h_s h_k <<<"$result"
  if [ "$n" -eq 0 ] && command -v hyperfine >/dev/null; then
    d_s=$(hyperfine_min "$case_dir/out" "$BIN build --content $case_dir/content --font $font --output $case_dir/out") || true
    h_s=$(hyperfine_min "$case_dir/hugo-out" "hugo --source $case_dir/hugo --destination $case_dir/hugo-out --quiet") || true
  fi
  dealbook_s[$n]=$d_s
  d_html=$(find "$case_dir/out" -name '*.html' | wc -l)
  d_pdf=$(find "$case_dir/out" -name '*.pdf' | wc -l)
  d_size=$(du -sm "$case_dir/out" | cut -f1)
  h_html=$(find "$case_dir/hugo-out" -name '*.html' | wc -l)
  h_md=$(find "$case_dir/hugo/content" -name '*.md' | wc -l)
  yaml=$(find "$case_dir/content/proposals" -name '*.yaml' | wc -l)
  echo "N=$n: dealbook $d_s s, $(mib "$d_k") MiB ($yaml proposals → $d_html HTML, $d_pdf PDF, $d_size MiB on disk); hugo $h_s s, $(mib "$h_k") MiB ($h_md Markdown → $h_html HTML)" >&2
  ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
  rows+=("| $n | $d_s | $(mib "$d_k") | $w_s | $(mib "$w_k") | $p_s | $(mib "$p_k") | $h_s | $(mib "$h_k") | $(ratio "$d_s" "$h_s") | $(ratio "$w_s" "$h_s") | $(ratio "$p_s" "$h_s") | $(ratio "$d_k" "$h_k") | $d_html HTML + $d_pdf PDF | $h_html HTML |")
  rm -rf "$case_dir"
done

echo
echo "$("$BIN" --version 2>/dev/null | head -1 || true), hugo $(hugo version | cut -d' ' -f2), $(nproc) cores; best of REPEAT runs, peak RSS the highest"
echo
echo "| N | dealbook s | MiB | again s | again MiB | HTML made s | HTML made MiB | hugo s | hugo MiB | time ratio | again ratio | HTML made ratio | memory ratio | dealbook output | hugo output |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
printf '%s\n' "${rows[@]}"
# Per-proposal slope of dealbook between the two largest sizes measured (1000 and 10000 by default).
mapfile -t measured < <(printf '%s\n' "${!dealbook_s[@]}" | sort -n | tail -2)
if [ ${#measured[@]} -eq 2 ]; then
  a=${measured[0]} b=${measured[1]}
  python3 -c "print(f'\ndealbook slope between N=$a and N=$b: {(${dealbook_s[$b]} - ${dealbook_s[$a]}) / ($b - $a) * 1000:.2f} s per 1000 proposals')"
fi
