#!/usr/bin/env bash
# dealbook build of the shipped content (site + PDFs) side by side with Hugo building the same
# 12 sections as Markdown pages with minimal templates. Usage: benches/vs-hugo.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo; }
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Hugo site: each section page's Markdown plus the text dealbook renders from the YAML.
./target/release/dealbook build --font builtin --output "$work/dealbook-out" >/dev/null
mkdir -p "$work/hugo/content" "$work/hugo/layouts/_default"
printf 'baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' > "$work/hugo/hugo.toml"
printf '<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n' > "$work/hugo/layouts/_default/single.html"
cp "$work/hugo/layouts/_default/single.html" "$work/hugo/layouts/_default/list.html"
cp "$work/hugo/layouts/_default/single.html" "$work/hugo/layouts/index.html"
for page in content/pages/*.md; do
  name=$(basename "$page" .md)
  [ "$name" = index ] && continue
  html="$work/dealbook-out/$name.html"
  { printf -- '---\ntitle: "%s"\n---\n\n' "$name"
    sed -n '/^---$/,/^---$/!p' "$page"
    python3 -c 'import re,sys,html; t=open(sys.argv[1]).read(); t=re.sub(r"<[^>]+>","\n",t); print(html.unescape(re.sub(r"\n\s*\n+","\n\n",t)))' "$html"
  } > "$work/hugo/content/$name.md"
done

time_of() { # best wall time of $runs runs of a command
  python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = min((lambda t: (subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True), time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(runs))
print(f"{best:.3f}")
PY
}
d=$(time_of ./target/release/dealbook build --font builtin --output "$work/out")
h=$(time_of hugo --source "$work/hugo" --destination "$work/hugo-out" --quiet)
echo "dealbook build (site + card + 4 report PDFs): ${d} s"
echo "hugo (12 Markdown sections):                   ${h} s"
python3 -c "print(f'ratio dealbook / hugo: {$d / $h:.2f}')"
