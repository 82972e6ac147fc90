#!/usr/bin/env bash
# Scale benchmark: whole `dealbook build` processes with N generated proposals on top of the 4
# shipped ones, side by side with Hugo building as many Markdown pages (the 12 sections plus N
# pages whose body is the same meeting notes) with minimal templates. Wall time (best of
# REPEAT) and peak memory (the highest, GNU time) of:
#
#   cold      dealbook with an empty PDF cache: the site, the card, every report page and PDF;
#   everyday  dealbook after one new meeting: one proposal file added, the PDF cache warm from
#             the build before (every page is made again; one report PDF is rendered);
#   hugo      Hugo building the same number of pages.
#
# and the cold build's time per report PDF, (cold - everyday) / N. A Markdown table at the end.
#
# Usage: benches/scale.sh [N...]            (default: 0 1000 10000)
#   BIN=path/to/dealbook  this binary (default: cargo build --release, and cargo's release binary)
#   REPEAT=R              runs per measurement (default: 3 for N <= 1000, 1 above)
#   FONT=auto             dealbook's --font (default auto, as a user runs it: the system's Noto
#                         CJK when installed)
#   SEED=S                generator seed (default: gen_proposals.py's own)
# Needs python3, GNU time (Debian `time`) and hugo (Debian `hugo`); installs the last two with
# apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(0 1000 10000)
font=${FONT:-auto}
[ -n "${BIN:-}" ] || BIN=$(benches/release-bin.sh)
BIN=$(realpath "$BIN")
missing=()
[ -x /usr/bin/time ] || missing+=(time)
command -v hugo >/dev/null || missing+=(hugo)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed_args=()
[ -z "${SEED:-}" ] || seed_args=(--seed "$SEED")

# The Hugo site skeleton and its 12 section pages: each section's Markdown plus the text
# dealbook renders for it from framework.yaml.
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

# measure RUNS PREPARE CMD...: best wall time (s) and highest peak RSS (KiB) of RUNS runs,
# PREPARE evaluated before each; "SECONDS KIB" on stdout. Stops the script when a run fails.
measure() {
  local runs=$1 prepare=$2; shift 2
  local best="" peak=0 t0 t1 wall rss
  for i in $(seq "$runs"); do
    RUN=$i eval "$prepare"
    t0=$(date +%s%N)
    if ! /usr/bin/time -f '%M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt"; then
      echo "scale.sh: failed: $*" >&2; tail -20 "$work/stderr.txt" >&2; exit 1
    fi
    t1=$(date +%s%N)
    wall=$(( (t1 - t0) / 1000000 ))
    rss=$(tail -1 "$work/time.txt")
    if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then best=$wall; fi
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
  done
  printf '%d.%03d %d\n' $((best / 1000)) $((best % 1000)) "$peak"
}

py() { python3 -c "print($1)"; }
rows=()
for n in "${sizes[@]}"; do
  runs=${REPEAT:-$([ "$n" -le 1000 ] && echo 3 || echo 1)}
  case_dir="$work/n$n"
  mkdir -p "$case_dir/hugo/content"
  cp -r content "$case_dir/content"
  cp -r "$work/hugo-skel/." "$case_dir/hugo/"
  cp "$work/sections/"*.md "$case_dir/hugo/content/"
  if [ "$n" -gt 0 ]; then
    python3 benches/gen_proposals.py "$n" "$case_dir/content/proposals" --content content \
      --hugo "$case_dir/hugo/content/proposals" "${seed_args[@]}"
  fi
  build=("$BIN" build --content "$case_dir/content" --font "$font" --output "$case_dir/out")
  proposals="$case_dir/content/proposals"
  cache="$case_dir/.dealbook-cache"

  echo "N=$n: cold ($runs run(s))…" >&2
  read -r c_s c_k <<<"$(measure "$runs" "rm -rf '$case_dir/out' '$cache'" "${build[@]}")"
  echo "N=$n: everyday ($runs run(s))…" >&2
  # Each run adds a meeting no build has seen (a shipped proposal with a new title), after a
  # build that left the cache warm; the one added before is removed first.
  new_meeting="rm -f '$proposals'/zz-new-*.yaml; \"\${build[@]}\" >/dev/null;
    sed \"s/^title: .*/title: 新会谈 \$RUN/\" '$proposals/2026-03-18-aliyun-pilot.yaml' > \"$proposals/zz-new-\$RUN.yaml\""
  read -r e_s e_k <<<"$(measure "$runs" "$new_meeting" "${build[@]}")"
  rm -f "$proposals"/zz-new-*.yaml
  echo "N=$n: hugo ($runs run(s))…" >&2
  read -r h_s h_k <<<"$(measure "$runs" "rm -rf '$case_dir/hugo-out'" hugo --source "$case_dir/hugo" --destination "$case_dir/hugo-out" --quiet)"
  per_pdf="—"
  [ "$n" -eq 0 ] || per_pdf=$(py "f'{($c_s - $e_s) / $n * 1000:.2f}'")
  rows+=("| $n | $c_s | $(py "f'{$c_k/1024:.0f}'") | $e_s | $(py "f'{$e_k/1024:.0f}'") | $h_s | $(py "f'{$h_k/1024:.0f}'") | $(py "f'{$c_s/$h_s:.2f}'") | **$(py "f'{$e_s/$h_s:.2f}'")** | **$(py "f'{$e_k/$h_k:.2f}'")** | $per_pdf |")
  rm -rf "$case_dir"
done

echo
echo "$("$BIN" --version | head -1), --font $font, hugo $(hugo version | cut -d' ' -f2), $(nproc) cores; best of REPEAT runs, peak RSS the highest"
echo
echo "| N | cold s | cold MiB | everyday s | everyday MiB | Hugo s | Hugo MiB | cold / Hugo | everyday / Hugo | everyday memory / Hugo | cold ms per report PDF |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
